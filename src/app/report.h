/*
 * report.h - the transparency report in the application layer (SPEC §7,
 * core/report/report.h, docs/report.md).  Read-only: any role; nothing logged.
 */
#ifndef DOCKET_APP_REPORT_H
#define DOCKET_APP_REPORT_H

#include "app/app.h"
#include "core/report/report.h"

/* Build the report for o->period as published o->published.  A zero
 * o->band_width takes the report_band_width setting; o->provider NULL the
 * provider_name setting; o->now is the session's clock.  *out is freed with
 * report_free(). */
int app_report(struct session *s, const struct report_opts *o, struct report **out);

#endif

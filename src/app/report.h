/*
 * report.h - the transparency report in the application layer (SPEC §7,
 * core/report/report.h, docs/report.md).  Building and rendering are
 * read-only (any role, nothing logged); publishing stores the bytes and
 * logs their hash (role compliance).
 */
#ifndef DOCKET_APP_REPORT_H
#define DOCKET_APP_REPORT_H

#include "app/app.h"
#include "base/buf.h"
#include "core/report/report.h"

/* Build the report for o->period as published o->published.  A zero
 * o->band_width takes the report_band_width setting; o->provider NULL the
 * provider_name setting; o->now is the session's clock.  *out is freed with
 * report_free(). */
int app_report(struct session *s, const struct report_opts *o, struct report **out);

/* The report as `format` text - "json", "csv" or "html" - into `out`
 * (initialised here; the caller releases it).  table: with csv, one of
 * report_csv_tables (NULL: the SPEC table); E_USAGE for another format. */
int app_report_render(const struct report *r, const char *format, const char *table,
		      struct buf *out);
/* The media type of a format app_report_render() knows (NULL otherwise). */
const char *app_report_media_type(const char *format);

/* Publish the report of o->period in `format` (role compliance; SPEC §9,
 * §13): build and render it now, store its bytes and log their SHA-256,
 * size and the checkpoint it states ("report.published"), in one unit of
 * work.  *id is the new publication. */
int app_report_publish(struct session *s, const struct report_opts *o, const char *format,
		       int64_t *id);
/* The published reports, newest first (any role); with_body 0 leaves
 * p->body NULL.  app_report_publication: one, its bytes checked against the
 * stored SHA-256 (E_INVALID when they differ: changed outside docket). */
int app_report_publications(struct session *s, store_publication_cb cb, void *ctx);
int app_report_publication(struct session *s, int64_t id, store_publication_cb cb,
			   void *ctx);

#endif

/*
 * report.c - building the transparency report with the operator's
 * settings (app/report.h).
 */
#include <stdlib.h>

#include "app/report.h"
#include "base/err.h"
#include "core/config.h"

int app_report(struct session *s, const struct report_opts *o, struct report **out)
{
	struct report_opts opts = *o;
	int64_t band = o->band_width;
	char *provider = NULL;
	int rc;
	*out = NULL;
	if (!band && (rc = config_get_int(s->st, "report_band_width", &band)) < 0)
		return rc;
	if (!report_band_width_valid(band))
		return err_set(E_INVALID,
			       "setting 'report_band_width' is %lld; the law "
			       "allows 1000, 500, 250 or 100",
			       (long long)band);
	if (!opts.provider &&
	    (rc = config_get_value(s->st, config_find("provider_name"), &provider)) < 0)
		return rc;
	opts.band_width = (unsigned)band;
	if (provider)
		opts.provider = provider;
	opts.now = s->now;
	rc = report_build(s->st, &opts, out);
	free(provider);
	return rc;
}

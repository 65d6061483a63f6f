/* summary.c: the summary report, one row per group of the aggregate.
 *
 * Columns (docs/OUTPUTS.md): the key dimensions the aggregate groups by
 * (source, method, route unless --by says otherwise), then the fixed
 * statistics below, with one latency column per requested percentile;
 * every encoder writes the same names in the same order. Durations are milliseconds with
 * three decimals (microsecond precision); a group without any measured
 * latency gets empty latency cells, never 0.
 */
#include <stdio.h>
#include <string.h>

#include "output_int.h"

/* Statistic columns; "latency_pXX_ms" columns are inserted where
 * STATS_PCT_AT says, one per requested percentile. */
static const char *const stat_cols[] = {
    "requests",        "status_1xx",      "status_2xx",     "status_3xx",     "status_4xx",
    "status_5xx",      "frontend_errors", "backend_errors", "timeouts",       "latency_max_ms",
    "latency_mean_ms", "backend_p50_ms",  "backend_p99_ms", "overhead_p50_ms", "overhead_p99_ms",
    "bytes_in",        "bytes_out",       "first_time",     "last_time",
};
#define STATS_PCT_AT 9 /* the percentiles come before latency_max_ms */
#define MAX_COLS (EL_AGG_MAX_DIMS + EL_ARRAY_LEN(stat_cols) + EL_REPORT_MAX_PERCENTILES)

struct row {
    struct el_cell c[MAX_COLS];
    char buf[MAX_COLS][EL_CELL_TEXT];
};

static void fill_row(struct row *row, const struct el_group *g, size_t ndims,
                     const struct el_report_opts *ro)
{
    uint64_t fe = 0, be = 0;
    for (int c = 0; c < EL_EC_COUNT; c++) {
        if (el_error_class_is_frontend((enum el_error_class)c))
            fe += g->error_class[c];
        if (el_error_class_is_backend((enum el_error_class)c))
            be += g->error_class[c];
    }
    struct el_row rr = { row->c, row->buf, 0 }, *r = &rr;
    for (size_t d = 0; d < ndims; d++)
        el_row_str(r, g->key[d]);
    el_row_u64(r, g->requests);
    for (int sc = 1; sc <= 5; sc++)
        el_row_u64(r, g->status_class[sc]);
    el_row_u64(r, fe);
    el_row_u64(r, be);
    el_row_u64(r, g->error_class[EL_EC_TIMEOUT]);
    for (size_t i = 0; i < ro->npercentiles; i++)
        el_row_quantile(r, g->latency, ro->percentiles[i]);
    if (el_sketch_count(g->latency))
        el_row_ms(r, el_sketch_max(g->latency)); /* exact, not a bucket midpoint */
    else
        el_row_null(r);
    uint64_t n = el_sketch_count(g->latency);
    if (n) {
        int64_t sum = el_sketch_sum(g->latency);
        el_row_ms(r, (int64_t)(((uint64_t)sum + n / 2) / n));
    } else {
        el_row_null(r);
    }
    el_row_quantile(r, g->backend, 0.50);
    el_row_quantile(r, g->backend, 0.99);
    el_row_quantile(r, g->overhead, 0.50);
    el_row_quantile(r, g->overhead, 0.99);
    /* API Gateway access logs carry no request size: absent, not 0 */
    if (g->has_bytes_in)
        el_row_u64(r, g->bytes_in);
    else
        el_row_null(r);
    if (g->has_bytes_out)
        el_row_u64(r, g->bytes_out);
    else
        el_row_null(r);
    el_row_time(r, g->has_time, g->first_us);
    el_row_time(r, g->has_time, g->last_us);
}

enum el_err el_report_parse_percentiles(const char *list, struct el_report_opts *ro, char *err,
                                        size_t errlen)
{
    const char *p = list;
    ro->npercentiles = 0;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        int64_t micro; /* the scanner reads "99.9" as 99.9 "seconds": 99900000 */
        if (n == 0 || n >= sizeof(ro->labels[0]) ||
            el_scan_secs_us((struct el_str){ p, n }, &micro) != EL_OK || micro <= 0 ||
            micro > 100000000) {
            snprintf(err, errlen, "--percentiles: '%.*s' is not a percentile above 0 and at most 100",
                     (int)(n > 32 ? 32 : n), p);
            return EL_ERR_USAGE;
        }
        if (ro->npercentiles == EL_REPORT_MAX_PERCENTILES) {
            snprintf(err, errlen, "--percentiles: at most %d values", EL_REPORT_MAX_PERCENTILES);
            return EL_ERR_USAGE;
        }
        ro->percentiles[ro->npercentiles] = (double)micro / 1e8;
        memcpy(ro->labels[ro->npercentiles], p, n);
        ro->labels[ro->npercentiles][n] = '\0';
        ro->npercentiles++;
        if (!comma)
            return EL_OK;
        p = comma + 1;
    }
}

enum el_err el_report_summary(struct el_out *o, const struct el_agg *a,
                              const struct el_report_opts *ro)
{
    ro = el_report_opts_or_default(ro);
    size_t ndims;
    const enum el_dim *dims = el_agg_dims(a, &ndims);

    /* Column names: owned here for the length of the report. */
    char pct_names[EL_REPORT_MAX_PERCENTILES][40];
    const char *names[MAX_COLS];
    size_t nc = 0;
    for (size_t d = 0; d < ndims; d++)
        names[nc++] = el_dim_name(dims[d]);
    for (size_t i = 0; i < EL_ARRAY_LEN(stat_cols); i++) {
        if (i == STATS_PCT_AT)
            for (size_t q = 0; q < ro->npercentiles; q++) {
                snprintf(pct_names[q], sizeof(pct_names[q]), "latency_p%s_ms", ro->labels[q]);
                names[nc++] = pct_names[q];
            }
        names[nc++] = stat_cols[i];
    }

    size_t n = el_agg_count(a);
    struct el_group *groups = el_calloc(n ? n : 1, sizeof(*groups));
    if (!groups)
        return EL_ERR_NOMEM;
    el_agg_sorted(a, groups);

    enum el_err rc = el_out_begin(o, names, nc);
    struct row r;
    for (size_t i = 0; i < n && rc == EL_OK; i++) {
        fill_row(&r, &groups[i], ndims, ro);
        rc = el_out_row(o, r.c);
    }
    if (rc == EL_OK)
        rc = el_out_end(o);
    el_free(groups);
    return rc;
}

/* summary.c: the per-(source, method, route) summary report.
 *
 * The column list below is the contract of docs/OUTPUTS.md; every encoder
 * writes the same names in the same order. Durations are milliseconds with
 * three decimals (microsecond precision); a group without any measured
 * latency gets empty latency cells, never 0.
 */
#include <stdio.h>
#include <string.h>

#include "output_int.h"

static const char *const cols[] = {
    "source", "method", "route", "requests",
    "status_1xx", "status_2xx", "status_3xx", "status_4xx", "status_5xx",
    "frontend_errors", "backend_errors", "timeouts",
    "latency_p50_ms", "latency_p90_ms", "latency_p99_ms", "latency_max_ms", "latency_mean_ms",
    "backend_p50_ms", "backend_p99_ms", "overhead_p50_ms", "overhead_p99_ms",
    "bytes_in", "bytes_out", "first_time", "last_time",
};
#define NCOLS EL_ARRAY_LEN(cols)

struct row {
    struct el_cell c[NCOLS];
    char buf[NCOLS][32];
    size_t k;
};

static void put_str(struct row *r, struct el_str s)
{
    r->c[r->k++] = s.n ? (struct el_cell){ EL_CELL_STR, s }
                             : (struct el_cell){ EL_CELL_NULL, { 0 } };
}

static void put_u64(struct row *r, uint64_t v)
{
    int n = snprintf(r->buf[r->k], sizeof(r->buf[0]), "%llu", (unsigned long long)v);
    r->c[r->k] = (struct el_cell){ EL_CELL_NUM, { r->buf[r->k], (size_t)n } };
    r->k++;
}

static void put_ms(struct row *r, int64_t us)
{
    size_t n = el_fmt_ms(us, r->buf[r->k]);
    r->c[r->k] = (struct el_cell){ EL_CELL_NUM, { r->buf[r->k], n } };
    r->k++;
}

static void put_null(struct row *r)
{
    r->c[r->k++] = (struct el_cell){ EL_CELL_NULL, { 0 } };
}

static void put_quantile(struct row *r, const struct el_sketch *s, double q)
{
    int64_t v;
    if (el_sketch_quantile(s, q, &v) == EL_OK)
        put_ms(r, v);
    else
        put_null(r);
}

static void put_time(struct row *r, bool have, int64_t us)
{
    if (!have) {
        put_null(r);
        return;
    }
    size_t n = el_fmt_iso8601_us(us, r->buf[r->k]);
    r->c[r->k] = (struct el_cell){ EL_CELL_STR, { r->buf[r->k], n } };
    r->k++;
}

static void fill_row(struct row *r, const struct el_group *g)
{
    const char *src = el_src_name(g->src);
    uint64_t fe = 0, be = 0;
    for (int c = 0; c < EL_EC_COUNT; c++) {
        if (el_error_class_is_frontend((enum el_error_class)c))
            fe += g->error_class[c];
        if (el_error_class_is_backend((enum el_error_class)c))
            be += g->error_class[c];
    }
    r->k = 0;
    put_str(r, (struct el_str){ src, strlen(src) });
    put_str(r, g->method);
    put_str(r, g->route);
    put_u64(r, g->requests);
    for (int sc = 1; sc <= 5; sc++)
        put_u64(r, g->status_class[sc]);
    put_u64(r, fe);
    put_u64(r, be);
    put_u64(r, g->error_class[EL_EC_TIMEOUT]);
    put_quantile(r, g->latency, 0.50);
    put_quantile(r, g->latency, 0.90);
    put_quantile(r, g->latency, 0.99);
    if (el_sketch_count(g->latency))
        put_ms(r, el_sketch_max(g->latency)); /* exact, not a bucket midpoint */
    else
        put_null(r);
    uint64_t n = el_sketch_count(g->latency);
    if (n) {
        int64_t sum = el_sketch_sum(g->latency);
        put_ms(r, (int64_t)(((uint64_t)sum + n / 2) / n));
    } else {
        put_null(r);
    }
    put_quantile(r, g->backend, 0.50);
    put_quantile(r, g->backend, 0.99);
    put_quantile(r, g->overhead, 0.50);
    put_quantile(r, g->overhead, 0.99);
    put_u64(r, g->bytes_in);
    put_u64(r, g->bytes_out);
    put_time(r, g->has_time, g->first_us);
    put_time(r, g->has_time, g->last_us);
}

enum el_err el_report_summary(struct el_out *o, const struct el_agg *a)
{
    size_t n = el_agg_count(a);
    struct el_group *groups = el_calloc(n ? n : 1, sizeof(*groups));
    if (!groups)
        return EL_ERR_NOMEM;
    el_agg_sorted(a, groups);

    enum el_err rc = el_out_begin(o, cols, NCOLS);
    struct row r;
    for (size_t i = 0; i < n && rc == EL_OK; i++) {
        fill_row(&r, &groups[i]);
        rc = el_out_row(o, r.c);
    }
    if (rc == EL_OK)
        rc = el_out_end(o);
    el_free(groups);
    return rc;
}

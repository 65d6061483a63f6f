/* timeline.c: the timeline report: one row per time bucket (and per --by
 * key), UTC-aligned, with every bucket between the first and the last
 * present, so a chart made from the CSV has no holes.
 *
 * The aggregate groups by (time bucket, keys...). Rows come in time order,
 * keys bytewise within a bucket; a (bucket, key) pair without traffic is a
 * zero row. Groups without a time (records that had none) and "(other)"
 * follow at the end. Zero-filling is skipped when buckets x keys would pass
 * EL_TIMELINE_MAX_FILLED_ROWS; the caller is told and says so.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output_int.h"

#define MAX_COLS (EL_AGG_MAX_DIMS + 8 + EL_EC_COUNT + EL_REPORT_MAX_PERCENTILES + 2)

struct row {
    struct el_cell c[MAX_COLS];
    char buf[MAX_COLS][EL_CELL_TEXT];
};

static size_t g_ndims; /* qsort has no context argument; set per report */

/* Keys after the time, dimension by dimension. */
static int cmp_keys(const struct el_group *a, const struct el_group *b)
{
    for (size_t d = 1; d < g_ndims; d++) {
        int c = el_str_cmp(a->key[d], b->key[d]);
        if (c)
            return c;
    }
    return 0;
}

static int cmp_keys_v(const void *pa, const void *pb)
{
    return cmp_keys(pa, pb);
}

/* Timed groups first in (time, keys) order; then untimed; "(other)" last.
 * ISO-8601 times of one width sort as text. */
static int cmp_rows(const void *pa, const void *pb)
{
    const struct el_group *a = pa, *b = pb;
    if (a->is_other != b->is_other)
        return a->is_other ? 1 : -1;
    bool ta = a->key[0].n > 0, tb = b->key[0].n > 0;
    if (ta != tb)
        return ta ? -1 : 1;
    int c = el_str_cmp(a->key[0], b->key[0]);
    return c ? c : cmp_keys(a, b);
}

static void fill(struct row *row, struct el_str time, const struct el_group *keys,
                 const struct el_group *g, const struct el_report_opts *ro)
{
    struct el_row rr = { row->c, row->buf, 0 }, *r = &rr;
    el_row_str(r, time);
    for (size_t d = 1; d < g_ndims; d++)
        el_row_str(r, keys->key[d]);
    el_row_u64(r, g ? g->requests : 0);
    el_row_u64(r, g ? g->peak_rps : 0);
    for (int sc = 1; sc <= 5; sc++)
        el_row_u64(r, g ? g->status_class[sc] : 0);
    for (int c = 1; c < EL_EC_COUNT; c++)
        el_row_u64(r, g ? g->error_class[c] : 0);
    for (size_t q = 0; q < ro->npercentiles; q++)
        el_row_quantile(r, g ? g->latency : NULL, ro->percentiles[q]);
    if (g && !g->has_bytes_in)
        el_row_null(r);
    else
        el_row_u64(r, g ? g->bytes_in : 0);
    if (g && !g->has_bytes_out)
        el_row_null(r);
    else
        el_row_u64(r, g ? g->bytes_out : 0);
}

enum el_err el_report_timeline(struct el_out *o, const struct el_agg *a,
                               const struct el_report_opts *ro, bool *unfilled)
{
    ro = el_report_opts_or_default(ro);
    *unfilled = false;
    size_t ndims;
    const enum el_dim *dims = el_agg_dims(a, &ndims);
    g_ndims = ndims;

    const char *names[MAX_COLS];
    char pct[EL_REPORT_MAX_PERCENTILES][40];
    size_t nc = 0;
    for (size_t d = 0; d < ndims; d++)
        names[nc++] = el_dim_name(dims[d]);
    static const char *const counts[] = { "requests",   "peak_rps",   "status_1xx", "status_2xx",
                                          "status_3xx", "status_4xx", "status_5xx" };
    for (size_t i = 0; i < EL_ARRAY_LEN(counts); i++)
        names[nc++] = counts[i];
    for (int c = 1; c < EL_EC_COUNT; c++)
        names[nc++] = el_error_class_name((enum el_error_class)c);
    for (size_t q = 0; q < ro->npercentiles; q++) {
        snprintf(pct[q], sizeof(pct[q]), "latency_p%s_ms", ro->labels[q]);
        names[nc++] = pct[q];
    }
    names[nc++] = "bytes_in";
    names[nc++] = "bytes_out";

    size_t n = el_agg_count(a);
    struct el_group *g = el_calloc(n ? n : 1, sizeof(*g));
    struct el_group *keys = el_calloc(n ? n : 1, sizeof(*keys));
    if (!g || !keys) {
        el_free(g);
        el_free(keys);
        return EL_ERR_NOMEM;
    }
    el_agg_sorted(a, g);
    qsort(g, n, sizeof(*g), cmp_rows);

    /* Timed groups are g[0..nt); their distinct keys, sorted, in keys[]. */
    size_t nt = 0;
    while (nt < n && !g[nt].is_other && g[nt].key[0].n)
        nt++;
    size_t nk = 0;
    for (size_t i = 0; i < nt; i++)
        keys[nk++] = g[i];
    qsort(keys, nk, sizeof(*keys), cmp_keys_v);
    size_t u = 0;
    for (size_t i = 0; i < nk; i++)
        if (u == 0 || cmp_keys(&keys[u - 1], &keys[i]) != 0)
            keys[u++] = keys[i];
    nk = u;

    int64_t first = 0, last = 0, step = el_agg_bucket_us(a);
    bool timed = nt > 0 &&
                 el_scan_iso8601_us(g[0].key[0], &first) == EL_OK &&
                 el_scan_iso8601_us(g[nt - 1].key[0], &last) == EL_OK;
    uint64_t buckets = timed ? (uint64_t)((last - first) / step) + 1 : 0;
    if (timed && nk && buckets > EL_TIMELINE_MAX_FILLED_ROWS / nk) {
        timed = false; /* too many rows to fill: write the groups as they are */
        *unfilled = true;
    }

    enum el_err rc = el_out_begin(o, names, nc);
    struct row r;
    char tbuf[EL_ISO_BUF];
    size_t gi = 0;
    for (uint64_t b = 0; timed && b < buckets && rc == EL_OK; b++) {
        struct el_str t = { tbuf, el_fmt_iso8601_us(first + (int64_t)b * step, tbuf) };
        for (size_t k = 0; k < nk && rc == EL_OK; k++) {
            const struct el_group *hit = NULL;
            if (gi < nt && el_str_cmp(g[gi].key[0], t) == 0 && cmp_keys(&g[gi], &keys[k]) == 0)
                hit = &g[gi++];
            fill(&r, t, &keys[k], hit, ro);
            rc = el_out_row(o, r.c);
        }
    }
    for (size_t i = timed ? nt : 0; i < n && rc == EL_OK; i++) {
        fill(&r, g[i].key[0], &g[i], &g[i], ro);
        rc = el_out_row(o, r.c);
    }
    if (rc == EL_OK)
        rc = el_out_end(o);
    el_free(g);
    el_free(keys);
    return rc;
}

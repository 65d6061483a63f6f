/* compare.c: the compare report: the routes of two aggregates (a baseline
 * and a candidate, typically ALB and API Gateway over the same period, or
 * before and after a migration) side by side, with the differences.
 *
 * Both aggregates group by (source, method, route). Each side is re-keyed
 * by (method, route), so a side holding several sources (REST and HTTP
 * APIs, two load balancers) folds them into one row per endpoint, counters
 * added and sketches merged exactly; the sources folded are listed. The two
 * sides are then joined on (method, route): a route seen on one side only
 * is a row of its own with the other side's cells absent. Rows come by the
 * requests of both sides together, descending, then by key, "(other)" after
 * them and one "(all)" row last: every request of each side.
 *
 * Columns are one list of specs from which both the names and the cells are
 * made, so they cannot drift apart. Differences are candidate minus
 * baseline: durations exactly (quantiles are integer microseconds), error
 * rates in percentage points between the rates as shown (two decimals), so
 * a reader subtracting the columns gets the same digits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output_int.h"

enum kind {
    K_METHOD,
    K_ROUTE,
    K_ONLY_IN,
    K_SOURCES,
    K_REQUESTS,
    K_ERRORS,    /* every error class, % of requests */
    K_CLASS,     /* one error class, % of requests */
    K_QUANTILE,  /* ms */
    K_RELATIVE,  /* quantile difference, % of the baseline's */
};

enum { SIDE_B, SIDE_C, SIDE_DIFF, SIDE_NONE };

struct spec {
    enum kind kind;
    int side;
    int arg;    /* error class, or percentile index */
    int sketch; /* 0 latency, 1 backend, 2 overhead */
};

#define MAX_COLS (8 + 3 * EL_EC_COUNT + 10 * EL_REPORT_MAX_PERCENTILES)
#define SOURCES_TEXT 96

struct cols {
    struct spec s[MAX_COLS];
    char names[MAX_COLS][48];
    const char *p[MAX_COLS];
    size_t n;
};

static const char *const side_suffix[] = { "b", "c", "diff" };
static const char *const sketch_name[] = { "latency", "backend", "overhead" };

/* Adds a column named stem, plus "_b", "_c" or "_diff" for a side. */
static void col(struct cols *c, struct spec s, const char *stem)
{
    if (s.side < SIDE_NONE)
        snprintf(c->names[c->n], sizeof(c->names[0]), "%s_%s", stem, side_suffix[s.side]);
    else
        snprintf(c->names[c->n], sizeof(c->names[0]), "%s", stem);
    c->p[c->n] = c->names[c->n];
    c->s[c->n++] = s;
}

/* The columns: all of them for CSV and JSON; for a terminal table the key,
 * requests, overall error rate, total latency and overhead differences
 * (no sources, error classes, backend or relative columns). */
static void make_cols(struct cols *c, const struct el_report_opts *ro, bool wide)
{
    char stem[40];
    c->n = 0;
    col(c, (struct spec){ K_METHOD, SIDE_NONE, 0, 0 }, "method");
    col(c, (struct spec){ K_ROUTE, SIDE_NONE, 0, 0 }, "route");
    col(c, (struct spec){ K_ONLY_IN, SIDE_NONE, 0, 0 }, "only_in");
    for (int s = SIDE_B; wide && s <= SIDE_C; s++)
        col(c, (struct spec){ K_SOURCES, s, 0, 0 }, "sources");
    for (int s = SIDE_B; s <= SIDE_C; s++)
        col(c, (struct spec){ K_REQUESTS, s, 0, 0 }, "requests");
    for (int s = SIDE_B; s <= SIDE_DIFF; s++)
        col(c, (struct spec){ K_ERRORS, s, 0, 0 }, "error_pct");
    for (int e = 1; wide && e < EL_EC_COUNT; e++) {
        snprintf(stem, sizeof(stem), "%s_pct", el_error_class_name((enum el_error_class)e));
        for (int s = SIDE_B; s <= SIDE_DIFF; s++)
            col(c, (struct spec){ K_CLASS, s, e, 0 }, stem);
    }
    for (int k = 0; k < 3; k++) {
        if (!wide && k == 1)
            continue;
        for (size_t q = 0; q < ro->npercentiles; q++) {
            snprintf(stem, sizeof(stem), "%s_p%s_ms", sketch_name[k], ro->labels[q]);
            for (int s = SIDE_B; s <= SIDE_DIFF; s++)
                if (wide || k == 0 || s == SIDE_DIFF)
                    col(c, (struct spec){ K_QUANTILE, s, (int)q, k }, stem);
            snprintf(stem, sizeof(stem), "%s_p%s_diff_pct", sketch_name[k], ro->labels[q]);
            if (wide && k == 0)
                col(c, (struct spec){ K_RELATIVE, SIDE_NONE, (int)q, k }, stem);
        }
    }
}

/* One side: its groups by (method, route), and by (method, route, source)
 * for the sources column, both in key order; plus its "(all)" totals. */
struct side {
    struct el_agg *by_route, *by_source;
    struct el_group *g, *s;
    size_t n, ns;
    struct el_group all;
    struct el_sketch *all_sk[3];
};

/* Key order, "(other)" last: the order the sides are joined in. */
static int cmp_key(const struct el_group *a, const struct el_group *b)
{
    if (a->is_other != b->is_other)
        return a->is_other ? 1 : -1;
    for (size_t i = 0; i < EL_AGG_MAX_DIMS; i++) {
        int c = el_str_cmp(a->key[i], b->key[i]);
        if (c)
            return c;
    }
    return 0;
}

static int cmp_key_v(const void *a, const void *b)
{
    return cmp_key(a, b);
}

static enum el_err sorted_by_key(const struct el_agg *a, struct el_group **out, size_t *n)
{
    *n = el_agg_count(a);
    *out = el_calloc(*n ? *n : 1, sizeof(**out));
    if (!*out)
        return EL_ERR_NOMEM;
    el_agg_sorted(a, *out);
    qsort(*out, *n, sizeof(**out), cmp_key_v);
    return EL_OK;
}

static void side_free(struct side *sd)
{
    el_agg_destroy(sd->by_route);
    el_agg_destroy(sd->by_source);
    el_free(sd->g);
    el_free(sd->s);
    for (int k = 0; k < 3; k++)
        el_sketch_destroy(sd->all_sk[k]);
}

static enum el_err side_init(struct side *sd, const struct el_agg *a)
{
    static const enum el_dim by_route[] = { EL_DIM_METHOD, EL_DIM_ROUTE };
    static const enum el_dim by_source[] = { EL_DIM_METHOD, EL_DIM_ROUTE, EL_DIM_SOURCE };
    *sd = (struct side){ 0 };
    enum el_err rc = el_agg_regroup(a, by_route, 2, &sd->by_route);
    if (rc == EL_OK)
        rc = el_agg_regroup(a, by_source, 3, &sd->by_source);
    if (rc == EL_OK)
        rc = sorted_by_key(sd->by_route, &sd->g, &sd->n);
    if (rc == EL_OK)
        rc = sorted_by_key(sd->by_source, &sd->s, &sd->ns);
    for (int k = 0; k < 3 && rc == EL_OK; k++)
        rc = el_sketch_create(&sd->all_sk[k]);
    for (size_t i = 0; i < sd->n && rc == EL_OK; i++) {
        const struct el_group *g = &sd->g[i];
        sd->all.requests += g->requests;
        for (int e = 0; e < EL_EC_COUNT; e++)
            sd->all.error_class[e] += g->error_class[e];
        const struct el_sketch *from[3] = { g->latency, g->backend, g->overhead };
        for (int k = 0; k < 3 && rc == EL_OK; k++)
            rc = el_sketch_merge(sd->all_sk[k], from[k]);
    }
    sd->all.key[0] = sd->all.key[1] = EL_STR_LIT("(all)");
    sd->all.latency = sd->all_sk[0];
    sd->all.backend = sd->all_sk[1];
    sd->all.overhead = sd->all_sk[2];
    return rc;
}

/* A joined row: a group of each side (NULL when absent) and the run of
 * that side's (method, route, source) groups. */
struct joined {
    const struct el_group *g[2];
    const struct el_group *src[2];
    size_t nsrc[2];
};

static uint64_t total(const struct joined *j)
{
    return (j->g[0] ? j->g[0]->requests : 0) + (j->g[1] ? j->g[1]->requests : 0);
}

static int cmp_rows(const void *pa, const void *pb)
{
    const struct joined *a = pa, *b = pb;
    const struct el_group *ga = a->g[0] ? a->g[0] : a->g[1];
    const struct el_group *gb = b->g[0] ? b->g[0] : b->g[1];
    if (ga->is_other != gb->is_other)
        return ga->is_other ? 1 : -1;
    uint64_t ta = total(a), tb = total(b);
    if (ta != tb)
        return ta > tb ? -1 : 1;
    return cmp_key(ga, gb);
}

static bool same_route(const struct el_group *a, const struct el_group *b)
{
    return a->is_other == b->is_other && el_str_same(a->key[0], b->key[0]) &&
           el_str_same(a->key[1], b->key[1]);
}

/* The run of sd->s with the (method, route) of g; *at moves past it. Both
 * arrays are in key order, so the runs come in the order of the groups. */
static void source_run(const struct side *sd, size_t *at, const struct el_group *g,
                       struct joined *j, int side)
{
    while (*at < sd->ns && cmp_key(&sd->s[*at], g) < 0 && !same_route(&sd->s[*at], g))
        (*at)++;
    j->src[side] = &sd->s[*at];
    while (*at < sd->ns && same_route(&sd->s[*at], g)) {
        (*at)++;
        j->nsrc[side]++;
    }
}

/* Joins the two sides' key-ordered groups; rows[] must hold n0 + n1. */
static size_t join(const struct side sd[2], struct joined *rows)
{
    size_t i[2] = { 0, 0 }, at[2] = { 0, 0 }, n = 0;
    while (i[0] < sd[0].n || i[1] < sd[1].n) {
        int c;
        if (i[0] == sd[0].n)
            c = 1;
        else if (i[1] == sd[1].n)
            c = -1;
        else
            c = cmp_key(&sd[0].g[i[0]], &sd[1].g[i[1]]);
        struct joined *j = &rows[n++];
        *j = (struct joined){ 0 };
        for (int s = 0; s < 2; s++)
            if ((s == 0 && c <= 0) || (s == 1 && c >= 0)) {
                j->g[s] = &sd[s].g[i[s]++];
                source_run(&sd[s], &at[s], j->g[s], j, s);
            }
    }
    return n;
}

/* Distinct source names among groups (keyed method, route, source),
 * bytewise, comma-separated, into buf. */
static struct el_str sources(const struct el_group *g, size_t n, char *buf)
{
    struct el_str seen[8];
    size_t k = 0, len = 0;
    for (size_t i = 0; i < n; i++) {
        struct el_str s = g[i].key[2];
        size_t at = 0;
        while (at < k && el_str_cmp(seen[at], s) < 0)
            at++;
        if ((at < k && el_str_same(seen[at], s)) || k == EL_ARRAY_LEN(seen))
            continue;
        memmove(seen + at + 1, seen + at, (k - at) * sizeof(seen[0]));
        seen[at] = s;
        k++;
    }
    for (size_t i = 0; i < k && len + seen[i].n + 1 < SOURCES_TEXT; i++) {
        if (i)
            buf[len++] = ',';
        memcpy(buf + len, seen[i].p, seen[i].n);
        len += seen[i].n;
    }
    return (struct el_str){ buf, len };
}

/* Fixed point with two decimals, from hundredths; "C" digits whatever the
 * locale. */
static void put_hundredths(struct el_row *r, int64_t h)
{
    uint64_t v = h < 0 ? (uint64_t)0 - (uint64_t)h : (uint64_t)h;
    int n = snprintf(r->buf[r->k], EL_CELL_TEXT, "%s%llu.%02llu", h < 0 ? "-" : "",
                     (unsigned long long)(v / 100), (unsigned long long)(v % 100));
    r->c[r->k] = (struct el_cell){ EL_CELL_NUM, { r->buf[r->k], (size_t)n } };
    r->k++;
}

static int64_t round_half_away(double d)
{
    return d < 0 ? -(int64_t)(-d + 0.5) : (int64_t)(d + 0.5);
}

/* Share of g's requests in error class e (every class but none when e is
 * 0), in hundredths of a percent. */
static int64_t rate_h(const struct el_group *g, int e)
{
    uint64_t n = 0;
    for (int c = 1; c < EL_EC_COUNT; c++)
        if (e == 0 || c == e)
            n += g->error_class[c];
    return g->requests ? round_half_away((double)n * 10000.0 / (double)g->requests) : 0;
}

static bool quantile(const struct el_group *g, int sketch, double q, int64_t *v)
{
    if (!g)
        return false;
    const struct el_sketch *sk[3] = { g->latency, g->backend, g->overhead };
    return el_sketch_quantile(sk[sketch], q, v) == EL_OK;
}

struct row {
    struct el_cell c[MAX_COLS];
    char buf[MAX_COLS][EL_CELL_TEXT];
    char src[2][SOURCES_TEXT];
};

static void fill(struct row *row, const struct cols *cs, const struct joined *j,
                 const struct el_report_opts *ro)
{
    struct el_row rr = { row->c, row->buf, 0 }, *r = &rr;
    const struct el_group *key = j->g[0] ? j->g[0] : j->g[1];
    for (size_t i = 0; i < cs->n; i++) {
        const struct spec *s = &cs->s[i];
        const struct el_group *g = s->side < SIDE_DIFF ? j->g[s->side] : NULL;
        bool both = j->g[0] && j->g[1];
        int64_t v[2];
        switch (s->kind) {
        case K_METHOD:
        case K_ROUTE:
            el_row_str(r, key->key[s->kind == K_METHOD ? 0 : 1]);
            break;
        case K_ONLY_IN:
            el_row_str(r, both ? (struct el_str){ 0 }
                               : j->g[0] ? EL_STR_LIT("baseline") : EL_STR_LIT("candidate"));
            break;
        case K_SOURCES:
            el_row_str(r, g ? sources(j->src[s->side], j->nsrc[s->side], row->src[s->side])
                            : (struct el_str){ 0 });
            break;
        case K_REQUESTS:
            if (g)
                el_row_u64(r, g->requests);
            else
                el_row_null(r);
            break;
        case K_ERRORS:
        case K_CLASS:
            if (g)
                put_hundredths(r, rate_h(g, s->arg));
            else if (s->side == SIDE_DIFF && both)
                put_hundredths(r, rate_h(j->g[1], s->arg) - rate_h(j->g[0], s->arg));
            else
                el_row_null(r);
            break;
        case K_QUANTILE:
        case K_RELATIVE: {
            double q = ro->percentiles[s->arg];
            bool hb = quantile(j->g[0], s->sketch, q, &v[0]);
            bool hc = quantile(j->g[1], s->sketch, q, &v[1]);
            if (s->kind == K_QUANTILE && s->side < SIDE_DIFF && (s->side == SIDE_B ? hb : hc))
                el_row_ms(r, v[s->side]);
            else if (s->kind == K_QUANTILE && s->side == SIDE_DIFF && hb && hc)
                el_row_ms(r, v[1] - v[0]);
            else if (s->kind == K_RELATIVE && hb && hc && v[0] > 0)
                put_hundredths(r, round_half_away((double)(v[1] - v[0]) * 10000.0 /
                                                  (double)v[0]));
            else
                el_row_null(r);
            break;
        }
        }
    }
}

enum el_err el_report_compare(struct el_out *o, const struct el_agg *base,
                              const struct el_agg *cand, const struct el_report_opts *ro)
{
    ro = el_report_opts_or_default(ro);
    struct cols *cs = el_malloc(sizeof(*cs));
    struct row *row = el_malloc(sizeof(*row));
    struct side sd[2] = { { 0 }, { 0 } };
    struct joined *rows = NULL;
    enum el_err rc = cs && row ? EL_OK : EL_ERR_NOMEM;
    if (rc == EL_OK)
        rc = side_init(&sd[0], base);
    if (rc == EL_OK)
        rc = side_init(&sd[1], cand);
    if (rc == EL_OK) {
        rows = el_calloc(sd[0].n + sd[1].n + 1, sizeof(*rows));
        rc = rows ? EL_OK : EL_ERR_NOMEM;
    }
    if (rc == EL_OK) {
        size_t n = join(sd, rows);
        qsort(rows, n, sizeof(*rows), cmp_rows);
        /* the "(all)" row: every request of each side */
        struct joined *all = &rows[n];
        *all = (struct joined){ .src = { sd[0].s, sd[1].s }, .nsrc = { sd[0].ns, sd[1].ns } };
        for (int s = 0; s < 2; s++)
            if (sd[s].all.requests)
                all->g[s] = &sd[s].all;
        if (all->g[0] || all->g[1])
            n++;
        make_cols(cs, ro, o->ops != &el_output_table);
        rc = el_out_begin(o, cs->p, cs->n);
        for (size_t i = 0; i < n && rc == EL_OK; i++) {
            fill(row, cs, &rows[i], ro);
            rc = el_out_row(o, row->c);
        }
        if (rc == EL_OK)
            rc = el_out_end(o);
    }
    el_free(rows);
    side_free(&sd[0]);
    side_free(&sd[1]);
    el_free(cs);
    el_free(row);
    return rc;
}

/* align.c: ALB routes put on API Gateway's templates (contract in
 * analysis.h), so a side-by-side summary has one row per endpoint and
 * front-end instead of /orders/{id} beside /orders/{orderId}.
 *
 * ALB logs carry only concrete paths, which edgelog templates by guesswork;
 * API Gateway logs carry the API's own templates. Matching is done on the
 * final groups rather than per record because the templates are only all
 * known at the end (and may come from another shard through merge); the
 * answer depends on the set of groups alone, so threads and merges agree.
 */
#include <string.h>

#include "analysis_int.h"

#define MAX_SEGMENTS 64

struct tmpl {
    struct el_str s;
    struct el_str seg[MAX_SEGMENTS];
    size_t nseg, literal;
    bool greedy;
};

static size_t split(struct el_str s, struct el_str *seg)
{
    size_t n = 0;
    const char *p = s.p, *end = s.p + s.n;
    if (p < end && *p == '/')
        p++;
    while (p <= end && n < MAX_SEGMENTS) {
        const char *q = memchr(p, '/', (size_t)(end - p));
        const char *e = q ? q : end;
        seg[n++] = (struct el_str){ p, (size_t)(e - p) };
        if (!q)
            break;
        p = q + 1;
    }
    return n;
}

static bool is_placeholder(struct el_str s)
{
    return s.n >= 3 && s.p[0] == '{' && s.p[s.n - 1] == '}';
}

/* edgelog's own placeholders (parsers/route.c); an API's template uses
 * names of its own ({orderId}). */
static bool is_auto_placeholder(struct el_str s)
{
    return el_str_eq(s, "{id}") || el_str_eq(s, "{uuid}") || el_str_eq(s, "{hex}") ||
           el_str_eq(s, "{token}");
}

/* true when the route names at least one placeholder the way an API does */
static bool has_api_placeholder(const struct el_str *seg, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (is_placeholder(seg[i]) && !is_auto_placeholder(seg[i]))
            return true;
    return false;
}

static bool has_auto_placeholder(const struct el_str *seg, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (is_auto_placeholder(seg[i]))
            return true;
    return false;
}

static bool fits(const struct tmpl *t, const struct el_str *rs, size_t rn)
{
    for (size_t i = 0; i < t->nseg; i++) {
        struct el_str ts = t->seg[i];
        if (t->greedy && i + 1 == t->nseg)
            return rn > i && rs[i].n > 0;
        if (i >= rn)
            return false;
        if (is_placeholder(ts)) {
            if (rs[i].n == 0)
                return false;
        } else if (!el_str_same(ts, rs[i])) {
            return false;
        }
    }
    return rn == t->nseg;
}

/* Better template: more literal segments, then fewer segments (no greedy
 * tail beats a greedy one), then bytewise. */
static bool better(const struct tmpl *a, const struct tmpl *b)
{
    if (a->literal != b->literal)
        return a->literal > b->literal;
    if (a->greedy != b->greedy)
        return !a->greedy;
    return el_str_cmp(a->s, b->s) < 0;
}

struct el_templates {
    struct tmpl *t;
    size_t n;
    char *text; /* the templates' bytes, owned */
};

void el_templates_destroy(struct el_templates *ts)
{
    if (!ts)
        return;
    el_free(ts->t);
    el_free(ts->text);
    el_free(ts);
}

static bool dims_of(const struct el_agg *a, int *src_d, int *route_d)
{
    const struct el_agg_opts *o = el_agg_options(a);
    *src_d = *route_d = -1;
    for (size_t d = 0; d < o->ndims; d++) {
        if (o->dims[d] == EL_DIM_SOURCE)
            *src_d = (int)d;
        if (o->dims[d] == EL_DIM_ROUTE)
            *route_d = (int)d;
    }
    return *src_d >= 0 && *route_d >= 0 && !o->track_peak;
}

/* Adds the API's own templates among a's route groups to ts (ts->t and
 * ts->text are sized by the caller); a template seen before is not added
 * twice, so the set does not depend on the order of the aggregates. */
static void collect(struct el_templates *ts, size_t *used, const struct el_agg *a)
{
    int src_d, route_d;
    if (!dims_of(a, &src_d, &route_d))
        return;
    size_t slots = el_agg_slots(a);
    struct el_str key[EL_AGG_MAX_DIMS];
    for (size_t i = 0; i < slots; i++) {
        if (!el_agg_slot_key(a, i, key) || !el_str_has_prefix(key[src_d], "apigw-") ||
            !key[route_d].n || key[route_d].p[0] != '/')
            continue;
        bool dup = false;
        for (size_t k = 0; k < ts->n && !dup; k++)
            dup = el_str_same(ts->t[k].s, key[route_d]);
        if (dup)
            continue;
        struct tmpl *x = &ts->t[ts->n];
        memcpy(ts->text + *used, key[route_d].p, key[route_d].n);
        x->s = (struct el_str){ ts->text + *used, key[route_d].n };
        x->nseg = split(x->s, x->seg);
        /* Only the API's own templates lead (named placeholders, or none: a
         * literal resource such as /users/me); an API Gateway route with
         * edgelog's placeholders was logged without its resource and is
         * one to move. */
        if (has_auto_placeholder(x->seg, x->nseg))
            continue;
        *used += key[route_d].n;
        ts->n++;
        for (size_t k = 0; k < x->nseg; k++)
            if (!is_placeholder(x->seg[k]))
                x->literal++;
        x->greedy = x->nseg && is_placeholder(x->seg[x->nseg - 1]) &&
                    x->seg[x->nseg - 1].p[x->seg[x->nseg - 1].n - 2] == '+';
    }
}

/* The templates of several aggregates, as one set (*out NULL when none). */
static enum el_err templates_of(const struct el_agg *const *aggs, size_t naggs,
                                struct el_templates **out)
{
    *out = NULL;
    size_t slots = 0, bytes = 0;
    struct el_str key[EL_AGG_MAX_DIMS];
    for (size_t j = 0; j < naggs; j++) {
        int src_d, route_d;
        if (!dims_of(aggs[j], &src_d, &route_d))
            continue;
        size_t n = el_agg_slots(aggs[j]);
        slots += n;
        for (size_t i = 0; i < n; i++)
            if (el_agg_slot_key(aggs[j], i, key))
                bytes += key[route_d].n;
    }
    if (slots == 0)
        return EL_OK;
    struct el_templates *ts = el_calloc(1, sizeof(*ts));
    if (!ts)
        return EL_ERR_NOMEM;
    ts->t = el_calloc(slots, sizeof(*ts->t));
    ts->text = el_malloc(bytes ? bytes : 1);
    if (!ts->t || !ts->text) {
        el_templates_destroy(ts);
        return EL_ERR_NOMEM;
    }
    size_t used = 0;
    for (size_t j = 0; j < naggs; j++)
        collect(ts, &used, aggs[j]);
    if (ts->n == 0) {
        el_templates_destroy(ts);
        return EL_OK;
    }
    *out = ts;
    return EL_OK;
}

enum el_err el_templates_create(const struct el_agg *a, struct el_templates **out)
{
    return templates_of(&a, 1, out);
}

/* The API template a route fits, or NULL: for routes edgelog templated
 * itself (an ALB one, or an API Gateway one with edgelog's placeholders).
 * It may be the route itself (an ALB /orders beside the API's /orders). */
static const struct tmpl *best_for(const struct el_templates *ts, bool alb, struct el_str route)
{
    if (!route.n || route.p[0] != '/')
        return NULL;
    struct el_str rs[MAX_SEGMENTS];
    size_t rn = split(route, rs);
    if (has_api_placeholder(rs, rn))
        return NULL; /* already an API's template (or a --routes rule's) */
    if (!alb && !has_auto_placeholder(rs, rn))
        return NULL; /* an API Gateway route that is the API's own */
    const struct tmpl *best = NULL;
    for (size_t k = 0; k < ts->n; k++)
        if (fits(&ts->t[k], rs, rn) && (!best || better(&ts->t[k], best)))
            best = &ts->t[k];
    return best;
}

bool el_templates_apply(const struct el_templates *ts, struct el_record *r)
{
    if (!ts || r->route_from == EL_ROUTE_RULES || r->src == EL_SRC_UNKNOWN)
        return false;
    const struct tmpl *t = best_for(ts, r->src == EL_SRC_ALB, r->route);
    if (!t)
        return false;
    r->route = t->s;
    r->route_from = EL_ROUTE_API;
    return true;
}

/* Moves a's routes onto the templates of ts (see el_agg_align_routes). */
static enum el_err align_to(struct el_agg **ap, const struct el_templates *ts, size_t *changed)
{
    struct el_agg *a = *ap;
    int src_d, route_d;
    *changed = 0;
    if (!ts || !dims_of(a, &src_d, &route_d))
        return EL_OK;

    size_t slots = el_agg_slots(a);
    const struct tmpl **best = el_calloc(slots ? slots : 1, sizeof(*best));
    if (!best)
        return EL_ERR_NOMEM;
    struct el_str key[EL_AGG_MAX_DIMS];
    for (size_t i = 0; i < slots; i++) {
        if (!el_agg_slot_key(a, i, key) || el_str_eq(key[src_d], "unknown"))
            continue;
        best[i] = best_for(ts, el_str_eq(key[src_d], "alb"), key[route_d]);
        if (best[i] && el_str_same(best[i]->s, key[route_d]))
            best[i] = NULL; /* already the template: nothing to move */
        if (best[i])
            (*changed)++;
    }

    enum el_err rc = EL_OK;
    if (*changed) {
        struct el_agg *n = NULL;
        rc = el_agg_create(el_agg_options(a), &n);
        for (size_t i = 0; i <= slots && rc == EL_OK; i++) {
            if (i < slots && !el_agg_slot_key(a, i, key))
                continue;
            if (i < slots && best[i])
                key[route_d] = best[i]->s;
            rc = el_agg_fold_group(n, a, i, key);
        }
        if (rc == EL_OK) {
            el_agg_destroy(a);
            *ap = n;
        } else {
            el_agg_destroy(n);
        }
    }
    el_free(best);
    return rc;
}

enum el_err el_agg_align_routes(struct el_agg **ap, size_t *changed)
{
    return el_agg_align_routes_all(ap, 1, changed);
}

/* One set of templates from all the aggregates, then each aggregate moved
 * onto it: a baseline of ALB logs meets the templates of a candidate of
 * API Gateway logs, whichever side they are on. */
enum el_err el_agg_align_routes_all(struct el_agg **aggs, size_t n, size_t *changed)
{
    for (size_t j = 0; j < n; j++)
        changed[j] = 0;
    struct el_templates *ts;
    if (templates_of((const struct el_agg *const *)aggs, n, &ts) != EL_OK)
        return EL_ERR_NOMEM;
    enum el_err rc = EL_OK;
    for (size_t j = 0; j < n && rc == EL_OK; j++)
        rc = align_to(&aggs[j], ts, &changed[j]);
    el_templates_destroy(ts);
    return rc;
}

/* Re-keying by fewer dimensions: every group of src folds into the group of
 * its kept key values, so counters add and sketches merge exactly. */
enum el_err el_agg_regroup(const struct el_agg *src, const enum el_dim *dims, size_t ndims,
                           struct el_agg **out)
{
    const struct el_agg_opts *so = el_agg_options(src);
    struct el_agg_opts o = *so;
    size_t from[EL_AGG_MAX_DIMS];
    if (ndims == 0 || ndims > EL_AGG_MAX_DIMS)
        return EL_ERR_USAGE;
    for (size_t d = 0; d < ndims; d++) {
        size_t k = 0;
        while (k < so->ndims && so->dims[k] != dims[d])
            k++;
        if (k == so->ndims)
            return EL_ERR_USAGE;
        from[d] = k;
        o.dims[d] = dims[d];
    }
    o.ndims = ndims;
    struct el_agg *n;
    if (el_agg_create(&o, &n) != EL_OK)
        return EL_ERR_NOMEM;
    size_t slots = el_agg_slots(src);
    struct el_str key[EL_AGG_MAX_DIMS], kept[EL_AGG_MAX_DIMS] = { { 0 } };
    enum el_err rc = EL_OK;
    for (size_t i = 0; i <= slots && rc == EL_OK; i++) {
        if (i < slots) {
            if (!el_agg_slot_key(src, i, key))
                continue;
            for (size_t d = 0; d < ndims; d++)
                kept[d] = key[from[d]];
        }
        rc = el_agg_fold_group(n, src, i, kept);
    }
    if (rc != EL_OK) {
        el_agg_destroy(n);
        return rc;
    }
    *out = n;
    return EL_OK;
}

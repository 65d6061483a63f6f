/* agg.c: group-by aggregation of records into per-(source, method, route)
 * counters and latency sketches.
 *
 * An open-addressing hash table (linear probing, power-of-two size, at most
 * half full) of pointers to groups. A group owns a copy of its key, made the
 * first time the key is seen: most lines hit an existing route, so the copy
 * costs one allocation per distinct route instead of one per line, and the
 * parsers stay allocation-free. Everything in a group is additive or
 * min/max, so merge is exact.
 */
#include <stdlib.h>
#include <string.h>

#include "analysis.h"

struct group {
    uint64_t hash;
    enum el_src src;
    char *key; /* method, then route; not NUL-separated, lengths below */
    size_t mlen, rlen;
    uint64_t requests;
    uint64_t status_class[6];
    uint64_t error_class[EL_EC_COUNT];
    uint64_t bytes_in, bytes_out;
    int64_t first_us, last_us;
    bool have_time;
    struct el_sketch *lat, *be, *ov;
};

struct el_agg {
    struct group **slots;
    size_t cap, n;
};

enum el_err el_agg_create(const struct el_agg_opts *opts, struct el_agg **out)
{
    (void)opts;
    struct el_agg *a = el_calloc(1, sizeof(*a));
    if (!a)
        return EL_ERR_NOMEM;
    a->cap = 64;
    a->slots = el_calloc(a->cap, sizeof(*a->slots));
    if (!a->slots) {
        el_free(a);
        return EL_ERR_NOMEM;
    }
    *out = a;
    return EL_OK;
}

static void group_free(struct group *g)
{
    if (!g)
        return;
    el_sketch_destroy(g->lat);
    el_sketch_destroy(g->be);
    el_sketch_destroy(g->ov);
    el_free(g->key);
    el_free(g);
}

void el_agg_destroy(struct el_agg *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->cap; i++)
        group_free(a->slots[i]);
    el_free(a->slots);
    el_free(a);
}

/* FNV-1a over source, method and route, with a separator byte so that
 * ("GET", "/x") and ("GE", "T/x") differ. Keys are short, so this costs a
 * few nanoseconds per line. */
static uint64_t key_hash(enum el_src src, struct el_str m, struct el_str r)
{
    uint64_t h = 1469598103934665603ull;
    h = (h ^ (uint64_t)src) * 1099511628211ull;
    for (size_t i = 0; i < m.n; i++)
        h = (h ^ (unsigned char)m.p[i]) * 1099511628211ull;
    h = (h ^ 0xffu) * 1099511628211ull;
    for (size_t i = 0; i < r.n; i++)
        h = (h ^ (unsigned char)r.p[i]) * 1099511628211ull;
    return h;
}

static bool key_eq(const struct group *g, uint64_t h, enum el_src src, struct el_str m,
                   struct el_str r)
{
    /* Absent method or route are empty views whose pointer may be NULL,
     * which memcmp must never see, even with a zero length. */
    return g->hash == h && g->src == src && g->mlen == m.n && g->rlen == r.n &&
           (m.n == 0 || memcmp(g->key, m.p, m.n) == 0) &&
           (r.n == 0 || memcmp(g->key + m.n, r.p, r.n) == 0);
}

static enum el_err grow(struct el_agg *a)
{
    size_t cap = a->cap * 2;
    struct group **slots = el_calloc(cap, sizeof(*slots));
    if (!slots)
        return EL_ERR_NOMEM;
    for (size_t i = 0; i < a->cap; i++) {
        struct group *g = a->slots[i];
        if (!g)
            continue;
        size_t j = (size_t)g->hash & (cap - 1);
        while (slots[j])
            j = (j + 1) & (cap - 1);
        slots[j] = g;
    }
    el_free(a->slots);
    a->slots = slots;
    a->cap = cap;
    return EL_OK;
}

static struct group *group_new(uint64_t h, enum el_src src, struct el_str m, struct el_str r)
{
    struct group *g = el_calloc(1, sizeof(*g));
    if (!g)
        return NULL;
    g->hash = h;
    g->src = src;
    g->mlen = m.n;
    g->rlen = r.n;
    g->key = el_malloc(m.n + r.n);
    if (!g->key || el_sketch_create(&g->lat) || el_sketch_create(&g->be) ||
        el_sketch_create(&g->ov)) {
        group_free(g);
        return NULL;
    }
    if (m.n)
        memcpy(g->key, m.p, m.n);
    if (r.n)
        memcpy(g->key + m.n, r.p, r.n);
    return g;
}

/* Finds the group for the key, creating it if needed. NULL only on NOMEM. */
static struct group *lookup(struct el_agg *a, enum el_src src, struct el_str m, struct el_str r)
{
    uint64_t h = key_hash(src, m, r);
    size_t j = (size_t)h & (a->cap - 1);
    for (struct group *g; (g = a->slots[j]) != NULL; j = (j + 1) & (a->cap - 1))
        if (key_eq(g, h, src, m, r))
            return g;
    if ((a->n + 1) * 2 > a->cap) {
        if (grow(a) != EL_OK)
            return NULL;
        j = (size_t)h & (a->cap - 1);
        while (a->slots[j])
            j = (j + 1) & (a->cap - 1);
    }
    struct group *g = group_new(h, src, m, r);
    if (!g)
        return NULL;
    a->slots[j] = g;
    a->n++;
    return g;
}

static void note_time(struct group *g, int64_t first, int64_t last)
{
    if (!g->have_time) {
        g->first_us = first;
        g->last_us = last;
        g->have_time = true;
        return;
    }
    if (first < g->first_us)
        g->first_us = first;
    if (last > g->last_us)
        g->last_us = last;
}

enum el_err el_agg_add(struct el_agg *a, const struct el_record *r)
{
    struct group *g = lookup(a, r->src, r->method, r->route);
    if (!g)
        return EL_ERR_NOMEM;
    /* Sketch adds can only fail for values out of range (impossible for
     * parsed durations, which are capped far lower) or NOMEM; a value that
     * could not be stored must not stop the count. */
    if (el_rec_has(r, EL_REC_HAS_LATENCY) && el_sketch_add(g->lat, r->latency_us) == EL_ERR_NOMEM)
        return EL_ERR_NOMEM;
    if (el_rec_has(r, EL_REC_HAS_BACKEND) && el_sketch_add(g->be, r->backend_us) == EL_ERR_NOMEM)
        return EL_ERR_NOMEM;
    if (el_rec_has(r, EL_REC_HAS_OVERHEAD) &&
        el_sketch_add(g->ov, r->overhead_us) == EL_ERR_NOMEM)
        return EL_ERR_NOMEM;
    g->requests++;
    unsigned sc = el_rec_has(r, EL_REC_HAS_STATUS) ? r->status / 100u : 0;
    g->status_class[sc <= 5 ? sc : 0]++;
    g->error_class[el_classify(r)]++;
    if (el_rec_has(r, EL_REC_HAS_BYTES_IN))
        g->bytes_in += r->bytes_in;
    if (el_rec_has(r, EL_REC_HAS_BYTES_OUT))
        g->bytes_out += r->bytes_out;
    if (el_rec_has(r, EL_REC_HAS_TIME))
        note_time(g, r->time_us, r->time_us);
    return EL_OK;
}

enum el_err el_agg_merge(struct el_agg *dst, const struct el_agg *src)
{
    for (size_t i = 0; i < src->cap; i++) {
        const struct group *s = src->slots[i];
        if (!s)
            continue;
        struct el_str m = { s->key, s->mlen }, r = { s->key + s->mlen, s->rlen };
        struct group *d = lookup(dst, s->src, m, r);
        if (!d || el_sketch_merge(d->lat, s->lat) || el_sketch_merge(d->be, s->be) ||
            el_sketch_merge(d->ov, s->ov))
            return EL_ERR_NOMEM;
        d->requests += s->requests;
        for (size_t k = 0; k < EL_ARRAY_LEN(d->status_class); k++)
            d->status_class[k] += s->status_class[k];
        for (size_t k = 0; k < EL_EC_COUNT; k++)
            d->error_class[k] += s->error_class[k];
        d->bytes_in += s->bytes_in;
        d->bytes_out += s->bytes_out;
        if (s->have_time)
            note_time(d, s->first_us, s->last_us);
    }
    return EL_OK;
}

size_t el_agg_count(const struct el_agg *a)
{
    return a->n;
}

static int cmp_str(struct el_str a, struct el_str b)
{
    size_t n = a.n < b.n ? a.n : b.n;
    int c = n ? memcmp(a.p, b.p, n) : 0;
    if (c)
        return c;
    return (a.n > b.n) - (a.n < b.n);
}

static int cmp_groups(const void *pa, const void *pb)
{
    const struct el_group *a = pa, *b = pb;
    if (a->requests != b->requests)
        return a->requests > b->requests ? -1 : 1;
    int c = strcmp(el_src_name(a->src), el_src_name(b->src));
    if (c)
        return c;
    c = cmp_str(a->method, b->method);
    return c ? c : cmp_str(a->route, b->route);
}

void el_agg_sorted(const struct el_agg *a, struct el_group *out)
{
    size_t k = 0;
    for (size_t i = 0; i < a->cap; i++) {
        const struct group *g = a->slots[i];
        if (!g)
            continue;
        struct el_group *o = &out[k++];
        o->src = g->src;
        o->method = (struct el_str){ g->key, g->mlen };
        o->route = (struct el_str){ g->key + g->mlen, g->rlen };
        o->requests = g->requests;
        memcpy(o->status_class, g->status_class, sizeof(o->status_class));
        memcpy(o->error_class, g->error_class, sizeof(o->error_class));
        o->bytes_in = g->bytes_in;
        o->bytes_out = g->bytes_out;
        o->first_us = g->have_time ? g->first_us : 0;
        o->last_us = g->have_time ? g->last_us : 0;
        o->has_time = g->have_time;
        o->latency = g->lat;
        o->backend = g->be;
        o->overhead = g->ov;
    }
    qsort(out, k, sizeof(*out), cmp_groups);
}

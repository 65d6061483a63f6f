/* agg.c: group-by aggregation of records into per-key counters and latency
 * sketches.
 *
 * A record's key is the text of each chosen dimension (source name, method,
 * route, "2xx", a bucket's ISO start time, ...), laid end to end in a small
 * stack buffer with one length per dimension. An open-addressing hash table
 * (linear probing, power-of-two size, at most half full) points at groups;
 * a group owns a copy of its key, made the first time the key is seen: most
 * lines hit an existing key, so the copy costs one allocation per distinct
 * key instead of one per line, and parsers stay allocation-free. Everything
 * in a group is additive or min/max, so merge is exact. Past max_groups,
 * new keys go to one "(other)" group kept outside the table. The state
 * codec at the end writes groups in key order, never table order, so the
 * bytes do not depend on how the table happened to fill.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis_int.h"

/* Longest key kept; longer values are cut (routes are already capped at
 * 4 KiB by the parsers, so this bites only on pathological input). */
#define KEY_CAP 8192

struct group {
    uint64_t hash;
    char *key; /* the dimensions' text, end to end */
    uint16_t len[EL_AGG_MAX_DIMS];
    uint64_t requests;
    uint64_t status_class[6];
    uint64_t error_class[EL_EC_COUNT];
    uint64_t bytes_in, bytes_out;
    bool has_bytes_in, has_bytes_out;
    int64_t first_us, last_us;
    bool have_time;
    struct el_sketch *lat, *be, *ov;
    struct el_peak peak; /* per-second counts, with track_peak only */
};

struct el_agg {
    struct el_agg_opts o;
    struct group **slots;
    size_t cap, n;
    struct group *other;
    uint64_t other_records;
};

struct key {
    char b[KEY_CAP + 8]; /* + 8: key_hash pads the last word with zeros */
    size_t used;
    uint16_t len[EL_AGG_MAX_DIMS];
};

static const char *const dim_names[EL_DIM_COUNT] = {
    [EL_DIM_SOURCE] = "source",
    [EL_DIM_METHOD] = "method",
    [EL_DIM_ROUTE] = "route",
    [EL_DIM_HOST] = "host",
    [EL_DIM_STATUS] = "status",
    [EL_DIM_STATUS_CLASS] = "status_class",
    [EL_DIM_ERROR_CLASS] = "error_class",
    [EL_DIM_TARGET_GROUP] = "target_group",
    [EL_DIM_CLIENT_IP] = "client_ip",
    [EL_DIM_TIME] = "time",
};

const char *el_dim_name(enum el_dim d)
{
    return (unsigned)d < EL_DIM_COUNT ? dim_names[d] : "unknown";
}

enum el_err el_agg_parse_by(const char *list, struct el_agg_opts *opts, char *err,
                            size_t errlen)
{
    static const struct {
        const char *name;
        int64_t us;
    } buckets[] = {
        { "minute", 60000000LL }, { "1m", 60000000LL },     { "5m", 300000000LL },
        { "hour", 3600000000LL }, { "1h", 3600000000LL },   { "day", 86400000000LL },
        { "1d", 86400000000LL },
    };
    const char *p = list;
    opts->ndims = 0;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        struct el_str w = { p, n };
        int dim = -1;
        int64_t bucket = 0;
        for (int d = 0; d < EL_DIM_COUNT && dim < 0; d++)
            if (d != EL_DIM_TIME && el_str_eq(w, dim_names[d]))
                dim = d;
        for (size_t b = 0; b < EL_ARRAY_LEN(buckets) && dim < 0; b++)
            if (el_str_eq(w, buckets[b].name)) {
                dim = EL_DIM_TIME;
                bucket = buckets[b].us;
            }
        if (dim < 0) {
            snprintf(err, errlen,
                     "--by: unknown key '%.*s' (expected source, method, route, host, status, "
                     "status_class, error_class, target_group, client_ip, minute, 5m, hour "
                     "or day)",
                     (int)(n > 64 ? 64 : n), p);
            return EL_ERR_USAGE;
        }
        for (size_t i = 0; i < opts->ndims; i++)
            if ((int)opts->dims[i] == dim) {
                snprintf(err, errlen, "--by: '%.*s' given twice%s", (int)(n > 64 ? 64 : n), p,
                         dim == EL_DIM_TIME ? " (one time bucket at most)" : "");
                return EL_ERR_USAGE;
            }
        if (opts->ndims == EL_AGG_MAX_DIMS) {
            snprintf(err, errlen, "--by: at most %d keys", EL_AGG_MAX_DIMS);
            return EL_ERR_USAGE;
        }
        opts->dims[opts->ndims++] = (enum el_dim)dim;
        if (dim == EL_DIM_TIME)
            opts->bucket_us = bucket;
        if (!comma)
            return EL_OK;
        p = comma + 1;
    }
}

enum el_err el_agg_create(const struct el_agg_opts *opts, struct el_agg **out)
{
    struct el_agg *a = el_calloc(1, sizeof(*a));
    if (!a)
        return EL_ERR_NOMEM;
    if (opts)
        a->o = *opts;
    if (a->o.ndims == 0) {
        a->o.dims[0] = EL_DIM_SOURCE;
        a->o.dims[1] = EL_DIM_METHOD;
        a->o.dims[2] = EL_DIM_ROUTE;
        a->o.ndims = 3;
    }
    if (a->o.ndims > EL_AGG_MAX_DIMS)
        a->o.ndims = EL_AGG_MAX_DIMS;
    if (a->o.bucket_us <= 0)
        a->o.bucket_us = 3600000000LL;
    if (a->o.max_groups == 0)
        a->o.max_groups = EL_AGG_DEFAULT_MAX_GROUPS;
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
    el_peak_free(&g->peak);
    el_free(g->key);
    el_free(g);
}

void el_agg_destroy(struct el_agg *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->cap; i++)
        group_free(a->slots[i]);
    group_free(a->other);
    el_free(a->slots);
    el_free(a);
}

/* ---- keys ---------------------------------------------------------------- */

static void put(struct key *k, size_t i, const char *p, size_t n)
{
    size_t room = KEY_CAP - k->used;
    if (n > room)
        n = room;
    if (n > UINT16_MAX)
        n = UINT16_MAX;
    if (n)
        memcpy(k->b + k->used, p, n);
    k->used += n;
    k->len[i] = (uint16_t)n;
}

static void put_str(struct key *k, size_t i, struct el_str s)
{
    put(k, i, s.p, s.n);
}

static void build_key(const struct el_agg *a, const struct el_record *r,
                      enum el_error_class ec, struct key *k)
{
    char tmp[EL_ISO_BUF];
    k->used = 0;
    for (size_t i = 0; i < a->o.ndims; i++) {
        switch (a->o.dims[i]) {
        case EL_DIM_SOURCE: {
            const char *s = el_src_name(r->src);
            put(k, i, s, strlen(s));
            break;
        }
        case EL_DIM_METHOD: put_str(k, i, r->method); break;
        case EL_DIM_ROUTE: put_str(k, i, r->route); break;
        case EL_DIM_HOST: put_str(k, i, r->host); break;
        case EL_DIM_TARGET_GROUP: put_str(k, i, r->target_group); break;
        case EL_DIM_CLIENT_IP: put_str(k, i, r->client_ip); break;
        case EL_DIM_STATUS:
            if (el_rec_has(r, EL_REC_HAS_STATUS)) {
                int n = snprintf(tmp, sizeof(tmp), "%u", (unsigned)r->status);
                put(k, i, tmp, (size_t)n);
            } else {
                put(k, i, NULL, 0);
            }
            break;
        case EL_DIM_STATUS_CLASS:
            if (el_rec_has(r, EL_REC_HAS_STATUS)) {
                tmp[0] = (char)('0' + r->status / 100 % 10);
                tmp[1] = tmp[2] = 'x';
                put(k, i, tmp, 3);
            } else {
                put(k, i, NULL, 0);
            }
            break;
        case EL_DIM_ERROR_CLASS: {
            const char *s = el_error_class_name(ec);
            put(k, i, s, strlen(s));
            break;
        }
        case EL_DIM_TIME:
            if (el_rec_has(r, EL_REC_HAS_TIME) && r->time_us >= 0) {
                int64_t t = r->time_us - r->time_us % a->o.bucket_us;
                put(k, i, tmp, el_fmt_iso8601_us(t, tmp));
            } else {
                put(k, i, NULL, 0);
            }
            break;
        default: put(k, i, NULL, 0); break;
        }
    }
}

/* Eight key bytes at a time (the last word padded with zeros), then the
 * dimension lengths, so ("GE", "T/a") and ("GE", "T/a") differ from ("GET",
 * "/a"). FNV-1a byte by byte cost ~4 instructions per key byte on every
 * record; the hash only places groups in the table, it never reaches an
 * output or a state file (both are in key order). */
static uint64_t key_hash(struct key *k, size_t ndims)
{
    const uint64_t m = 0xbf58476d1ce4e5b9ull;
    uint64_t h = 0x9e3779b97f4a7c15ull ^ k->used;
    memset(k->b + k->used, 0, 8);
    for (size_t i = 0; i < k->used; i += 8) {
        uint64_t w;
        memcpy(&w, k->b + i, 8);
        h = (h ^ w) * m;
        h ^= h >> 32;
    }
    for (size_t i = 0; i < ndims; i++)
        h = (h ^ k->len[i]) * m;
    h ^= h >> 29;
    h *= 0x94d049bb133111ebull;
    return h ^ (h >> 32);
}

static bool key_eq(const struct group *g, uint64_t h, const struct key *k, size_t ndims)
{
    if (g->hash != h)
        return false;
    size_t total = 0;
    for (size_t i = 0; i < ndims; i++) {
        if (g->len[i] != k->len[i])
            return false;
        total += k->len[i];
    }
    return total == 0 || memcmp(g->key, k->b, total) == 0;
}

/* Puts g in the first free slot of its probe sequence; the table has room. */
static void place(struct group **slots, size_t cap, struct group *g)
{
    size_t j = (size_t)g->hash & (cap - 1);
    while (slots[j])
        j = (j + 1) & (cap - 1);
    slots[j] = g;
}

/* Moves the table to cap slots (a power of two holding every group). */
static enum el_err resize(struct el_agg *a, size_t cap)
{
    struct group **slots = el_calloc(cap, sizeof(*slots));
    if (!slots)
        return EL_ERR_NOMEM;
    for (size_t i = 0; i < a->cap; i++)
        if (a->slots[i])
            place(slots, cap, a->slots[i]);
    el_free(a->slots);
    a->slots = slots;
    a->cap = cap;
    return EL_OK;
}

static enum el_err grow(struct el_agg *a)
{
    return resize(a, a->cap * 2);
}

static struct group *group_new(uint64_t h, const struct key *k, size_t ndims)
{
    struct group *g = el_calloc(1, sizeof(*g));
    if (!g)
        return NULL;
    g->hash = h;
    g->key = el_malloc(k ? k->used : 1);
    if (!g->key || el_sketch_create(&g->lat) || el_sketch_create(&g->be) ||
        el_sketch_create(&g->ov)) {
        group_free(g);
        return NULL;
    }
    if (k) {
        if (k->used)
            memcpy(g->key, k->b, k->used);
        memcpy(g->len, k->len, ndims * sizeof(k->len[0]));
    }
    return g;
}

static struct group *other_group(struct el_agg *a)
{
    if (!a->other)
        a->other = group_new(0, NULL, 0);
    return a->other;
}

/* The group for the key: found, created, or "(other)" past the cap. NULL
 * only on NOMEM. *overflow tells the caller the record went to "(other)". */
static struct group *lookup(struct el_agg *a, struct key *k, bool *overflow)
{
    uint64_t h = key_hash(k, a->o.ndims);
    size_t j = (size_t)h & (a->cap - 1);
    *overflow = false;
    for (struct group *g; (g = a->slots[j]) != NULL; j = (j + 1) & (a->cap - 1))
        if (key_eq(g, h, k, a->o.ndims))
            return g;
    if (a->n >= a->o.max_groups) {
        *overflow = true;
        return other_group(a);
    }
    if ((a->n + 1) * 2 > a->cap) {
        if (grow(a) != EL_OK)
            return NULL;
        j = (size_t)h & (a->cap - 1);
        while (a->slots[j])
            j = (j + 1) & (a->cap - 1);
    }
    struct group *g = group_new(h, k, a->o.ndims);
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
    struct key k;
    bool overflow;
    enum el_error_class ec = el_classify(r);
    build_key(a, r, ec, &k);
    struct group *g = lookup(a, &k, &overflow);
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
    /* The second within the bucket: the key holds the bucket's start. */
    if (a->o.track_peak && el_rec_has(r, EL_REC_HAS_TIME) && r->time_us >= 0 &&
        el_peak_add(&g->peak, (uint32_t)(r->time_us % a->o.bucket_us / 1000000), 1) != EL_OK)
        return EL_ERR_NOMEM;
    if (overflow)
        a->other_records++;
    g->requests++;
    unsigned sc = el_rec_has(r, EL_REC_HAS_STATUS) ? r->status / 100u : 0;
    g->status_class[sc <= 5 ? sc : 0]++;
    g->error_class[ec]++;
    if (el_rec_has(r, EL_REC_HAS_BYTES_IN)) {
        g->bytes_in += r->bytes_in;
        g->has_bytes_in = true;
    }
    if (el_rec_has(r, EL_REC_HAS_BYTES_OUT)) {
        g->bytes_out += r->bytes_out;
        g->has_bytes_out = true;
    }
    if (el_rec_has(r, EL_REC_HAS_TIME))
        note_time(g, r->time_us, r->time_us);
    return EL_OK;
}

static enum el_err fold(struct group *d, const struct group *s)
{
    if (el_sketch_merge(d->lat, s->lat) || el_sketch_merge(d->be, s->be) ||
        el_sketch_merge(d->ov, s->ov) || el_peak_merge(&d->peak, &s->peak))
        return EL_ERR_NOMEM;
    d->requests += s->requests;
    for (size_t k = 0; k < EL_ARRAY_LEN(d->status_class); k++)
        d->status_class[k] += s->status_class[k];
    for (size_t k = 0; k < EL_EC_COUNT; k++)
        d->error_class[k] += s->error_class[k];
    d->bytes_in += s->bytes_in;
    d->bytes_out += s->bytes_out;
    d->has_bytes_in |= s->has_bytes_in;
    d->has_bytes_out |= s->has_bytes_out;
    if (s->have_time)
        note_time(d, s->first_us, s->last_us);
    return EL_OK;
}

enum el_err el_agg_merge(struct el_agg *dst, const struct el_agg *src)
{
    if (dst->o.ndims != src->o.ndims ||
        memcmp(dst->o.dims, src->o.dims, dst->o.ndims * sizeof(dst->o.dims[0])) != 0 ||
        dst->o.bucket_us != src->o.bucket_us || dst->o.track_peak != src->o.track_peak)
        return EL_ERR_USAGE;
    for (size_t i = 0; i < src->cap; i++) {
        const struct group *s = src->slots[i];
        if (!s)
            continue;
        struct key k;
        memcpy(k.len, s->len, sizeof(k.len));
        k.used = 0;
        for (size_t d = 0; d < src->o.ndims; d++)
            k.used += s->len[d];
        memcpy(k.b, s->key, k.used);
        bool overflow;
        struct group *d = lookup(dst, &k, &overflow);
        if (!d || fold(d, s) != EL_OK)
            return EL_ERR_NOMEM;
        if (overflow)
            dst->other_records += s->requests;
    }
    if (src->other) {
        struct group *d = other_group(dst);
        if (!d || fold(d, src->other) != EL_OK)
            return EL_ERR_NOMEM;
        dst->other_records += src->other_records;
    }
    return EL_OK;
}

/* The group of src at slot i, or its "(other)" when i == src->cap, folded
 * into dst under the given key text. For el_agg_align_routes. */
enum el_err el_agg_fold_group(struct el_agg *dst, const struct el_agg *src, size_t i,
                              const struct el_str *key)
{
    const struct group *s = i < src->cap ? src->slots[i] : src->other;
    if (!s)
        return EL_OK;
    struct group *d;
    bool overflow = false;
    if (i == src->cap) {
        d = other_group(dst);
        if (d)
            dst->other_records += src->other_records;
    } else {
        struct key k;
        k.used = 0;
        for (size_t dd = 0; dd < dst->o.ndims; dd++)
            put(&k, dd, key[dd].p, key[dd].n);
        d = lookup(dst, &k, &overflow);
    }
    if (!d || fold(d, s) != EL_OK)
        return EL_ERR_NOMEM;
    if (overflow)
        dst->other_records += s->requests;
    return EL_OK;
}

size_t el_agg_slots(const struct el_agg *a)
{
    return a->cap;
}

/* The key of the group at slot i (false when the slot is empty). */
bool el_agg_slot_key(const struct el_agg *a, size_t i, struct el_str *key)
{
    const struct group *g = a->slots[i];
    if (!g)
        return false;
    size_t off = 0;
    for (size_t d = 0; d < a->o.ndims; d++) {
        key[d] = (struct el_str){ g->key + off, g->len[d] };
        off += g->len[d];
    }
    return true;
}

bool el_agg_tracks_peak(const struct el_agg *a)
{
    return a->o.track_peak;
}

const struct el_agg_opts *el_agg_options(const struct el_agg *a)
{
    return &a->o;
}

size_t el_agg_count(const struct el_agg *a)
{
    return a->n + (a->other ? 1 : 0);
}

uint64_t el_agg_other(const struct el_agg *a)
{
    return a->other_records;
}

size_t el_agg_max_groups(const struct el_agg *a)
{
    return a->o.max_groups;
}

int64_t el_agg_bucket_us(const struct el_agg *a)
{
    return a->o.bucket_us;
}

const enum el_dim *el_agg_dims(const struct el_agg *a, size_t *n)
{
    *n = a->o.ndims;
    return a->o.dims;
}

static int cmp_groups(const void *pa, const void *pb)
{
    const struct el_group *a = pa, *b = pb;
    if (a->is_other != b->is_other)
        return a->is_other ? 1 : -1;
    if (a->requests != b->requests)
        return a->requests > b->requests ? -1 : 1;
    for (size_t i = 0; i < EL_AGG_MAX_DIMS; i++) {
        int c = el_str_cmp(a->key[i], b->key[i]);
        if (c)
            return c;
    }
    return 0;
}

static void view(const struct el_agg *a, const struct group *g, bool other, struct el_group *o)
{
    *o = (struct el_group){ .is_other = other };
    size_t off = 0;
    for (size_t d = 0; d < a->o.ndims; d++) {
        if (other) {
            o->key[d] = EL_STR_LIT("(other)");
        } else {
            o->key[d] = (struct el_str){ g->key + off, g->len[d] };
            off += g->len[d];
        }
    }
    o->requests = g->requests;
    memcpy(o->status_class, g->status_class, sizeof(o->status_class));
    memcpy(o->error_class, g->error_class, sizeof(o->error_class));
    o->bytes_in = g->bytes_in;
    o->bytes_out = g->bytes_out;
    o->has_bytes_in = g->has_bytes_in;
    o->has_bytes_out = g->has_bytes_out;
    o->has_time = g->have_time;
    o->first_us = g->have_time ? g->first_us : 0;
    o->last_us = g->have_time ? g->last_us : 0;
    o->peak_rps = g->peak.max;
    o->latency = g->lat;
    o->backend = g->be;
    o->overhead = g->ov;
}

void el_agg_sorted(const struct el_agg *a, struct el_group *out)
{
    size_t k = 0;
    for (size_t i = 0; i < a->cap; i++)
        if (a->slots[i])
            view(a, a->slots[i], false, &out[k++]);
    if (a->other)
        view(a, a->other, true, &out[k++]);
    qsort(out, k, sizeof(*out), cmp_groups);
}

/* ---- state (docs/STATE.md) ---------------------------------------------------- */

/* Dimensions are stored by their enum value and error classes by position,
 * so renumbering either changes what existing states mean: that needs a new
 * EL_STATE_VERSION and a reader for the old one, not just an edit here. */
_Static_assert(EL_DIM_SOURCE == 0 && EL_DIM_TIME == 9 && EL_DIM_COUNT == 10,
               "dimension codes are part of the state format");
_Static_assert(EL_EC_NONE == 0 && EL_EC_COUNT == 11, "error classes are part of the state format");

enum { GF_BYTES_IN = 1u, GF_BYTES_OUT = 2u, GF_TIME = 4u, GF_ALL = 7u };

/* The smallest group body: counters, flags, times and three empty sketches
 * (37 bytes each). A claimed group count is checked against it before the
 * table is sized, so a few bytes cannot ask for a huge allocation. */
#define BODY_MIN (8u * (1u + 6u + EL_EC_COUNT + 2u) + 1u + 16u + 3u * 37u)

static void put_body(const struct group *g, struct el_wbuf *w)
{
    el_put_u64(w, g->requests);
    for (size_t k = 0; k < EL_ARRAY_LEN(g->status_class); k++)
        el_put_u64(w, g->status_class[k]);
    for (size_t k = 0; k < EL_EC_COUNT; k++)
        el_put_u64(w, g->error_class[k]);
    el_put_u64(w, g->bytes_in);
    el_put_u64(w, g->bytes_out);
    el_put_u8(w, (uint8_t)((g->has_bytes_in ? GF_BYTES_IN : 0u) |
                           (g->has_bytes_out ? GF_BYTES_OUT : 0u) | (g->have_time ? GF_TIME : 0u)));
    el_put_i64(w, g->first_us);
    el_put_i64(w, g->last_us);
    el_sketch_encode(g->lat, w);
    el_sketch_encode(g->be, w);
    el_sketch_encode(g->ov, w);
}

/* Dimension by dimension, bytewise, a prefix before its extensions: the
 * tie-break order of el_agg_sorted. */
static int cmp_keys(const struct group *a, const struct group *b, size_t ndims)
{
    size_t oa = 0, ob = 0;
    for (size_t d = 0; d < ndims; d++) {
        int c = el_str_cmp((struct el_str){ a->key + oa, a->len[d] },
                        (struct el_str){ b->key + ob, b->len[d] });
        if (c)
            return c;
        oa += a->len[d];
        ob += b->len[d];
    }
    return 0;
}

/* qsort has no context argument; lengths past ndims are 0 in every group,
 * so comparing all EL_AGG_MAX_DIMS gives the same order. */
static int cmp_by_key(const void *pa, const void *pb)
{
    return cmp_keys(*(const struct group *const *)pa, *(const struct group *const *)pb,
                    EL_AGG_MAX_DIMS);
}

/* track_peak is carried in the top bit of the dimension count (states
 * without it have counts of 1..8), and each body is then followed by its
 * per-second counts. */
#define TRACK_PEAK_BIT 0x80u

static int cmp_u32(const void *pa, const void *pb)
{
    uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
    return (a > b) - (a < b);
}

/* The per-second counts in second order: the table's own order is its
 * hash layout, which must not reach the bytes. */
static enum el_err put_peak(const struct group *g, struct el_wbuf *w)
{
    uint32_t *secs = el_malloc((g->peak.n ? g->peak.n : 1) * sizeof(*secs));
    if (!secs)
        return EL_ERR_NOMEM;
    size_t k = 0;
    for (uint32_t i = 0; i < g->peak.cap; i++)
        if (g->peak.sec[i])
            secs[k++] = g->peak.sec[i];
    qsort(secs, k, sizeof(*secs), cmp_u32);
    el_put_u32(w, (uint32_t)k);
    for (size_t i = 0; i < k; i++) {
        uint32_t key = secs[i], j = (key * 2654435761u) & (g->peak.cap - 1);
        while (g->peak.sec[j] != key)
            j = (j + 1) & (g->peak.cap - 1);
        el_put_u32(w, key - 1);
        el_put_u64(w, g->peak.cnt[j]);
    }
    el_free(secs);
    return EL_OK;
}

enum el_err el_agg_encode_payload(const struct el_agg *a, struct el_wbuf *w)
{
    const struct group **v = el_malloc(a->n * sizeof(*v));
    if (!v)
        return EL_ERR_NOMEM;
    size_t n = 0;
    for (size_t i = 0; i < a->cap; i++)
        if (a->slots[i])
            v[n++] = a->slots[i];
    qsort(v, n, sizeof(*v), cmp_by_key);

    el_put_u8(w, (uint8_t)(a->o.ndims | (a->o.track_peak ? TRACK_PEAK_BIT : 0u)));
    for (size_t d = 0; d < a->o.ndims; d++)
        el_put_u8(w, (uint8_t)a->o.dims[d]);
    el_put_i64(w, a->o.bucket_us);
    el_put_u64(w, a->o.max_groups);
    el_put_u64(w, n);
    for (size_t i = 0; i < n; i++) {
        size_t used = 0;
        for (size_t d = 0; d < a->o.ndims; d++) {
            el_put_u16(w, v[i]->len[d]);
            used += v[i]->len[d];
        }
        el_put_bytes(w, v[i]->key, used);
        put_body(v[i], w);
        if (a->o.track_peak && put_peak(v[i], w) != EL_OK) {
            el_free(v);
            return EL_ERR_NOMEM;
        }
    }
    el_put_u8(w, a->other ? 1 : 0);
    if (a->other) {
        put_body(a->other, w);
        if (a->o.track_peak && put_peak(a->other, w) != EL_OK) {
            el_free(v);
            return EL_ERR_NOMEM;
        }
    }
    el_put_u64(w, a->other_records);
    el_free(v);
    return EL_OK;
}

/* Sums counters that the same records incremented; false on overflow,
 * which no real aggregate reaches. */
static bool sum_u64(const uint64_t *v, size_t n, uint64_t *out)
{
    uint64_t t = 0;
    for (size_t i = 0; i < n; i++)
        if (__builtin_add_overflow(t, v[i], &t))
            return false;
    *out = t;
    return true;
}

/* Reads counters, flags, times and sketches into g (fresh from group_new),
 * checking what el_agg_add guarantees: every record counts once in requests,
 * once among the status classes and once among the error classes, and adds
 * at most one value to each sketch. */
static enum el_err decode_body(struct el_rbuf *r, struct group *g, const char *label)
{
    static const char *const names[3] = { "latency", "backend", "overhead" };
    uint8_t flags;
    snprintf(r->ctx, sizeof(r->ctx), "%s", label);
    if (!el_get_u64(r, &g->requests))
        return EL_ERR_PARSE;
    for (size_t k = 0; k < EL_ARRAY_LEN(g->status_class); k++)
        if (!el_get_u64(r, &g->status_class[k]))
            return EL_ERR_PARSE;
    for (size_t k = 0; k < EL_EC_COUNT; k++)
        if (!el_get_u64(r, &g->error_class[k]))
            return EL_ERR_PARSE;
    if (!el_get_u64(r, &g->bytes_in) || !el_get_u64(r, &g->bytes_out) || !el_get_u8(r, &flags) ||
        !el_get_i64(r, &g->first_us) || !el_get_i64(r, &g->last_us))
        return EL_ERR_PARSE;

    uint64_t sc, ec;
    if (!sum_u64(g->status_class, EL_ARRAY_LEN(g->status_class), &sc) || sc != g->requests)
        return el_rbuf_fail(r, "status classes do not add up to its %llu requests",
                            (unsigned long long)g->requests);
    if (!sum_u64(g->error_class, EL_EC_COUNT, &ec) || ec != g->requests)
        return el_rbuf_fail(r, "error classes do not add up to its %llu requests",
                            (unsigned long long)g->requests);
    if (flags & ~GF_ALL)
        return el_rbuf_fail(r, "unknown flags 0x%x", (unsigned)flags);
    g->has_bytes_in = flags & GF_BYTES_IN;
    g->has_bytes_out = flags & GF_BYTES_OUT;
    g->have_time = flags & GF_TIME;
    if ((!g->has_bytes_in && g->bytes_in) || (!g->has_bytes_out && g->bytes_out))
        return el_rbuf_fail(r, "byte sums without the flag that says bytes were logged");
    if (g->have_time ? g->first_us > g->last_us : (g->first_us || g->last_us))
        return el_rbuf_fail(r, "time range %lld..%lld impossible", (long long)g->first_us,
                            (long long)g->last_us);

    struct el_sketch *sk[3] = { g->lat, g->be, g->ov };
    for (size_t i = 0; i < 3; i++) {
        snprintf(r->ctx, sizeof(r->ctx), "%s, %s sketch", label, names[i]);
        enum el_err rc = el_sketch_decode(r, sk[i]);
        if (rc != EL_OK)
            return rc;
        if (el_sketch_count(sk[i]) > g->requests)
            return el_rbuf_fail(r, "%llu values for %llu requests",
                                (unsigned long long)el_sketch_count(sk[i]),
                                (unsigned long long)g->requests);
    }
    return EL_OK;
}

/* Per-second counts after a body (track_peak): strictly increasing
 * seconds inside the bucket, counts that add up to at most the requests. */
static enum el_err decode_peak(struct el_rbuf *r, const struct el_agg *a, struct group *g)
{
    uint32_t n;
    if (!el_get_u32(r, &n))
        return EL_ERR_PARSE;
    if (n > el_rbuf_left(r) / 12)
        return el_rbuf_fail(r, "truncated: %u per-second counts", (unsigned)n);
    uint64_t total = 0, limit = (uint64_t)(a->o.bucket_us / 1000000);
    uint32_t prev = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t sec;
        uint64_t cnt;
        if (!el_get_u32(r, &sec) || !el_get_u64(r, &cnt))
            return EL_ERR_PARSE;
        if ((i && sec <= prev) || sec >= limit || cnt == 0 ||
            __builtin_add_overflow(total, cnt, &total) || total > g->requests)
            return el_rbuf_fail(r, "per-second count %u of %u impossible", (unsigned)i + 1,
                                (unsigned)n);
        if (el_peak_add(&g->peak, sec, cnt) != EL_OK)
            return EL_ERR_NOMEM;
        prev = sec;
    }
    return EL_OK;
}

static enum el_err decode_options(struct el_rbuf *r, struct el_agg_opts *o, uint64_t *ngroups)
{
    uint8_t nd;
    snprintf(r->ctx, sizeof(r->ctx), "options");
    if (!el_get_u8(r, &nd))
        return EL_ERR_PARSE;
    o->track_peak = nd & TRACK_PEAK_BIT;
    nd &= (uint8_t)~TRACK_PEAK_BIT;
    if (nd == 0 || nd > EL_AGG_MAX_DIMS)
        return el_rbuf_fail(r, "%u dimensions (1 to %d)", (unsigned)nd, EL_AGG_MAX_DIMS);
    for (size_t d = 0; d < nd; d++) {
        uint8_t code;
        if (!el_get_u8(r, &code))
            return EL_ERR_PARSE;
        if (code >= EL_DIM_COUNT)
            return el_rbuf_fail(r, "dimension %zu: unknown code %u", d + 1, (unsigned)code);
        o->dims[d] = (enum el_dim)code;
    }
    o->ndims = nd;
    uint64_t mg, n;
    if (!el_get_i64(r, &o->bucket_us) || !el_get_u64(r, &mg) || !el_get_u64(r, &n))
        return EL_ERR_PARSE;
    if (o->bucket_us <= 0)
        return el_rbuf_fail(r, "time bucket of %lld us", (long long)o->bucket_us);
    if (mg == 0 || (uint64_t)(size_t)mg != mg)
        return el_rbuf_fail(r, "max_groups %llu out of range", (unsigned long long)mg);
    o->max_groups = (size_t)mg;
    if (n > mg)
        return el_rbuf_fail(r, "%llu groups, more than max_groups %llu", (unsigned long long)n,
                            (unsigned long long)mg);
    size_t min_group = 2u * nd + BODY_MIN;
    if (n > el_rbuf_left(r) / min_group)
        return el_rbuf_fail(
            r, "truncated: %llu groups need at least %llu bytes, %zu left", (unsigned long long)n,
            n > UINT64_MAX / min_group ? UINT64_MAX : (unsigned long long)(n * min_group),
            el_rbuf_left(r));
    *ngroups = n;
    return EL_OK;
}

/* Reads group number i (1-based, for messages) into the table of a. The
 * group is in the table, owned by a, before its body is checked, so every
 * failure is cleaned up by el_agg_destroy. */
static enum el_err decode_group(struct el_rbuf *r, struct el_agg *a, uint64_t i, uint64_t n,
                                const struct group *prev, struct group **out)
{
    char label[48];
    struct key k;
    const unsigned char *bytes;
    size_t nd = a->o.ndims;
    snprintf(label, sizeof(label), "group %llu of %llu", (unsigned long long)i,
             (unsigned long long)n);
    snprintf(r->ctx, sizeof(r->ctx), "%s", label);
    memset(k.len, 0, sizeof(k.len));
    k.used = 0;
    for (size_t d = 0; d < nd; d++) {
        if (!el_get_u16(r, &k.len[d]))
            return EL_ERR_PARSE;
        k.used += k.len[d];
    }
    /* el_agg_add cuts keys at KEY_CAP, so a longer one is not ours. */
    if (k.used > KEY_CAP)
        return el_rbuf_fail(r, "key of %zu bytes, longer than %d", k.used, KEY_CAP);
    if (!el_get_bytes(r, k.used, &bytes))
        return EL_ERR_PARSE;
    if (k.used)
        memcpy(k.b, bytes, k.used);
    struct group *g = group_new(key_hash(&k, nd), &k, nd);
    if (!g)
        return EL_ERR_NOMEM;
    place(a->slots, a->cap, g);
    a->n++;
    /* Strictly increasing keys: the encoder sorts them, and one comparison
     * with the previous group finds any duplicate. */
    int c = prev ? cmp_keys(prev, g, nd) : -1;
    if (c >= 0)
        return el_rbuf_fail(r, c == 0 ? "duplicate key" : "keys out of order");
    *out = g;
    enum el_err rc = decode_body(r, g, label);
    return rc == EL_OK && a->o.track_peak ? decode_peak(r, a, g) : rc;
}

enum el_err el_agg_decode_payload(struct el_rbuf *r, struct el_agg **out)
{
    struct el_agg_opts o = { 0 };
    uint64_t n = 0;
    if (decode_options(r, &o, &n) != EL_OK)
        return EL_ERR_PARSE;
    struct el_agg *a;
    if (el_agg_create(&o, &a) != EL_OK)
        return EL_ERR_NOMEM;
    /* Sized as el_agg_add would have grown it: at most half full. n is
     * bounded by the input, so the doubling cannot overflow. */
    size_t cap = a->cap;
    while (cap < 2 * n)
        cap *= 2;
    enum el_err rc = cap > a->cap ? resize(a, cap) : EL_OK;
    const struct group *prev = NULL;
    for (uint64_t i = 0; i < n && rc == EL_OK; i++) {
        struct group *g = NULL;
        rc = decode_group(r, a, i + 1, n, prev, &g);
        prev = g;
    }
    uint8_t has_other = 0;
    if (rc == EL_OK) {
        snprintf(r->ctx, sizeof(r->ctx), "(other)");
        if (!el_get_u8(r, &has_other))
            rc = EL_ERR_PARSE;
        else if (has_other > 1)
            rc = el_rbuf_fail(r, "presence byte %u", (unsigned)has_other);
    }
    if (rc == EL_OK && has_other) {
        a->other = group_new(0, NULL, 0);
        rc = a->other ? decode_body(r, a->other, "(other)") : EL_ERR_NOMEM;
        if (rc == EL_OK && a->o.track_peak)
            rc = decode_peak(r, a, a->other);
    }
    if (rc == EL_OK) {
        snprintf(r->ctx, sizeof(r->ctx), "(other)");
        if (!el_get_u64(r, &a->other_records))
            rc = EL_ERR_PARSE;
        /* Every record past the cap is counted in both. */
        else if (a->other_records != (a->other ? a->other->requests : 0))
            rc = el_rbuf_fail(r, "%llu overflowed records, but the group holds %llu",
                              (unsigned long long)a->other_records,
                              (unsigned long long)(a->other ? a->other->requests : 0));
    }
    if (rc == EL_OK && el_rbuf_left(r) != 0) {
        r->ctx[0] = '\0';
        rc = el_rbuf_fail(r, "%zu bytes after the last field of the payload", el_rbuf_left(r));
    }
    if (rc != EL_OK) {
        el_agg_destroy(a);
        return rc;
    }
    *out = a;
    return EL_OK;
}

/* sketch.c: the mergeable latency sketch behind el_sketch_* (analysis.h).
 *
 * Main invariant: every observable answer is a function of the multiset of
 * values added, never of their order or of how the data was split before a
 * merge. Exact sorted (value, count) pairs up to EL_SKETCH_EXACT_CAP distinct
 * values, then integer-indexed log buckets in a dense array that grows at
 * either end. No floating point in the bucketing, no locking. The state
 * codec at the end writes only what the multiset determines and refuses any
 * encoding that no sequence of adds could have produced.
 */
#include <float.h>
#include <string.h>

#include "analysis_int.h"

/* Bucket layout: values below 128 keep their own bucket; from 128 up, every
 * power of two [2^e, 2^(e+1)) is cut into 64 sub-buckets of width 2^(e-6).
 * EL_SKETCH_MAX_VALUE = 2^52 lands in the first sub-bucket of e = 52, so no
 * index exceeds MAX_INDEX and the store never exceeds 3009 counters (24 KiB)
 * however wide the data is. */
#define MAX_INDEX (128u + (52u - 7u) * 64u)

/* When the bucket store has to grow, it grows one octave further than asked
 * so a run of slowly rising (or falling) latencies reallocates once per
 * octave, not once per new bucket. */
#define GROW_PAD 64u

/* First exact-mode allocation; doubling from here reaches the cap exactly. */
#define PAIRS_INITIAL 16u
_Static_assert((EL_SKETCH_EXACT_CAP & (EL_SKETCH_EXACT_CAP - 1)) == 0 &&
                   EL_SKETCH_EXACT_CAP >= PAIRS_INITIAL, "pair array doubling must hit the cap");

/* Dense counters for bucket indices [lo, lo + len). */
struct el_sketch_store {
    uint64_t *counts;
    unsigned lo, len;
};

struct el_sketch {
    uint64_t n;
    int64_t min, max, sum; /* min/max are 0 while n == 0 */
    bool bucketed;
    /* exact mode: pair i is (vals[i], cnts[i]), sorted by value, values
     * distinct, counts >= 1. The values are an array of their own, since
     * every add searches them: 512 of them fill 64 cache lines, not 128.
     * One allocation of cap values then cap counts (pairs_alloc). */
    int64_t *vals;
    uint64_t *cnts;
    size_t npairs, cap;
    /* bucket mode: covers at least [bucket_index(min), bucket_index(max)] */
    struct el_sketch_store store;
};

static unsigned bucket_index(int64_t v)
{
    uint64_t u = (uint64_t)v;
    if (u < 128u)
        return (unsigned)u;
    unsigned e = 63u - (unsigned)__builtin_clzll(u); /* u >= 128, so e >= 7 */
    return 128u + (e - 7u) * 64u + (unsigned)((u >> (e - 6u)) & 63u);
}

/* The bucket midpoint, the inverse of bucket_index up to half a width. The
 * width is at most 1/64 of the lower bound, hence the 0.79 % in the header. */
static int64_t bucket_mid(unsigned idx)
{
    if (idx < 128u)
        return (int64_t)idx;
    unsigned shift = (idx - 128u) / 64u + 1u; /* e - 6: log2 of the width */
    uint64_t lower = (uint64_t)(64u + (idx - 128u) % 64u) << shift;
    return (int64_t)(lower + ((uint64_t)1 << (shift - 1u)));
}

/* Folds in the summary of `count` values spanning [lo, hi] with total `sum`.
 * Every value is non-negative, so the saturated sum is min(total, INT64_MAX)
 * whatever the order of additions, as merge == single pass requires. */
static void note(struct el_sketch *s, uint64_t count, int64_t lo, int64_t hi, int64_t sum)
{
    if (s->n == 0 || lo < s->min)
        s->min = lo;
    if (s->n == 0 || hi > s->max)
        s->max = hi;
    s->n += count;
    s->sum = s->sum > INT64_MAX - sum ? INT64_MAX : s->sum + sum;
}

/* Lower bound: the first pair whose value is >= v. Without a branch on the
 * comparison (GCC makes the select a cmov): each add searches up to 512
 * values, three adds a record, and a branch there would be mispredicted on
 * every other step. The range [base, base + n] always holds the answer;
 * each step keeps the half that does. (Stopping the halving at 16 values
 * and counting those below v, for 5 dependent loads instead of 9, measured
 * no faster and cost 100 more instructions a record.) */
static size_t pair_find(const struct el_sketch *s, int64_t v)
{
    size_t n = s->npairs;
    if (n == 0)
        return 0;
    const int64_t *base = s->vals;
    while (n > 1) {
        size_t half = n / 2;
        base = base[half] < v ? base + half : base;
        n -= half;
    }
    return (size_t)(base - s->vals) + (*base < v);
}

/* Room for cap pairs: *vals and *cnts share one block (free *vals). */
static enum el_err pairs_alloc(size_t cap, int64_t **vals, uint64_t **cnts)
{
    _Static_assert(sizeof(int64_t) == sizeof(uint64_t), "counts follow values unpadded");
    int64_t *block = el_malloc(cap * (sizeof(int64_t) + sizeof(uint64_t)));
    if (!block)
        return EL_ERR_NOMEM;
    *vals = block;
    *cnts = (uint64_t *)(void *)(block + cap);
    return EL_OK;
}

/* Sets *out to a store covering [lo, hi] and everything cur covers. When cur
 * already does, *out aliases it and nothing is allocated; otherwise *out is a
 * fresh copy and cur is untouched, so callers can still back out on a later
 * failure. Release the old one with store_commit. */
static enum el_err store_cover(const struct el_sketch_store *cur, unsigned lo, unsigned hi,
                               struct el_sketch_store *out)
{
    bool have = cur->len != 0;
    unsigned cur_hi = have ? cur->lo + cur->len - 1u : 0u;

    if (have && lo >= cur->lo && hi <= cur_hi) {
        *out = *cur;
        return EL_OK;
    }
    unsigned new_lo = cur->lo, new_hi = cur_hi;
    if (!have || lo < cur->lo)
        new_lo = lo > GROW_PAD ? lo - GROW_PAD : 0u;
    if (!have || hi > cur_hi)
        new_hi = hi + GROW_PAD < MAX_INDEX ? hi + GROW_PAD : MAX_INDEX;

    uint64_t *counts = el_calloc(new_hi - new_lo + 1u, sizeof(*counts));
    if (!counts)
        return EL_ERR_NOMEM;
    if (cur->len)
        memcpy(counts + (cur->lo - new_lo), cur->counts, cur->len * sizeof(*counts));
    *out = (struct el_sketch_store){ counts, new_lo, new_hi - new_lo + 1u };
    return EL_OK;
}

/* Installs a store prepared by store_cover/exact_to_store. This is the only
 * place a sketch leaves exact mode, and it cannot fail. */
static void store_commit(struct el_sketch *s, const struct el_sketch_store *next)
{
    if (!s->bucketed) {
        el_free(s->vals);
        s->vals = NULL;
        s->cnts = NULL;
        s->npairs = s->cap = 0;
        s->bucketed = true;
    } else if (next->counts != s->store.counts) {
        el_free(s->store.counts);
    }
    s->store = *next;
}

/* Callers guarantee every value's bucket lies inside st. */
static void pour_pairs(struct el_sketch_store *st, const struct el_sketch *src)
{
    for (size_t i = 0; i < src->npairs; i++)
        st->counts[bucket_index(src->vals[i]) - st->lo] += src->cnts[i];
}

/* Walks only [bucket_index(min), bucket_index(max)] of src: its padding may
 * lie outside st, but it holds no counts. */
static void pour_store(struct el_sketch_store *st, const struct el_sketch *src)
{
    unsigned first = bucket_index(src->min), last = bucket_index(src->max);
    for (unsigned i = first; i <= last; i++)
        st->counts[i - st->lo] += src->store.counts[i - src->store.lo];
}

/* A fresh store holding s's exact pairs, covering [lo, hi] too. */
static enum el_err exact_to_store(const struct el_sketch *s, unsigned lo, unsigned hi,
                                  struct el_sketch_store *out)
{
    const struct el_sketch_store none = { NULL, 0, 0 };

    if (s->n) {
        unsigned smin = bucket_index(s->min), smax = bucket_index(s->max);
        lo = smin < lo ? smin : lo;
        hi = smax > hi ? smax : hi;
    }
    enum el_err rc = store_cover(&none, lo, hi, out);
    if (rc == EL_OK)
        pour_pairs(out, s);
    return rc;
}

static enum el_err add_bucketed(struct el_sketch *s, int64_t v)
{
    unsigned idx = bucket_index(v);

    if (EL_UNLIKELY(idx < s->store.lo || idx - s->store.lo >= s->store.len)) {
        struct el_sketch_store next;
        enum el_err rc = store_cover(&s->store, idx, idx, &next);
        if (rc != EL_OK)
            return rc;
        store_commit(s, &next);
    }
    s->store.counts[idx - s->store.lo]++;
    return EL_OK;
}

static enum el_err add_exact(struct el_sketch *s, int64_t v)
{
    size_t i = pair_find(s, v);

    if (i < s->npairs && s->vals[i] == v) {
        s->cnts[i]++;
        return EL_OK;
    }
    if (s->npairs == EL_SKETCH_EXACT_CAP) {
        /* v is distinct value number cap + 1: switch now, so that the mode
         * depends on the distinct count alone. */
        struct el_sketch_store next;
        unsigned idx = bucket_index(v);
        enum el_err rc = exact_to_store(s, idx, idx, &next);
        if (rc != EL_OK)
            return rc;
        next.counts[idx - next.lo]++;
        store_commit(s, &next);
        return EL_OK;
    }
    if (s->npairs == s->cap) {
        size_t cap = s->cap ? s->cap * 2u : PAIRS_INITIAL;
        int64_t *vals;
        uint64_t *cnts;
        if (pairs_alloc(cap, &vals, &cnts) != EL_OK)
            return EL_ERR_NOMEM;
        if (s->npairs) {
            memcpy(vals, s->vals, s->npairs * sizeof(*vals));
            memcpy(cnts, s->cnts, s->npairs * sizeof(*cnts));
        }
        el_free(s->vals);
        s->vals = vals;
        s->cnts = cnts;
        s->cap = cap;
    }
    memmove(s->vals + i + 1, s->vals + i, (s->npairs - i) * sizeof(*s->vals));
    memmove(s->cnts + i + 1, s->cnts + i, (s->npairs - i) * sizeof(*s->cnts));
    s->vals[i] = v;
    s->cnts[i] = 1;
    s->npairs++;
    return EL_OK;
}

enum el_err el_sketch_create(struct el_sketch **out)
{
    struct el_sketch *s = el_calloc(1, sizeof(*s));
    if (!s)
        return EL_ERR_NOMEM;
    *out = s;
    return EL_OK;
}

void el_sketch_destroy(struct el_sketch *s)
{
    if (!s)
        return;
    el_free(s->vals);
    el_free(s->store.counts);
    el_free(s);
}

enum el_err el_sketch_add(struct el_sketch *s, int64_t v)
{
    if (v < 0 || v > EL_SKETCH_MAX_VALUE)
        return EL_ERR_RANGE;
    enum el_err rc = s->bucketed ? add_bucketed(s, v) : add_exact(s, v);
    if (rc == EL_OK)
        note(s, 1, v, v, v);
    return rc;
}

/* Sorted merge of two exact pair lists into out, or just a count when out
 * is NULL: one walk serves both, so the count that picks the mode and the
 * merge that fills the array cannot disagree. Returns the distinct count. */
static size_t merge_pairs(const struct el_sketch *a, const struct el_sketch *b,
                          int64_t *out_vals, uint64_t *out_cnts)
{
    size_t i = 0, j = 0, n = 0;
    while (i < a->npairs || j < b->npairs) {
        bool from_a = j == b->npairs || (i < a->npairs && a->vals[i] <= b->vals[j]);
        bool from_b = i == a->npairs || (j < b->npairs && b->vals[j] <= a->vals[i]);
        if (out_vals) {
            out_vals[n] = from_a ? a->vals[i] : b->vals[j];
            out_cnts[n] = (from_a ? a->cnts[i] : 0u) + (from_b ? b->cnts[j] : 0u);
        }
        i += from_a;
        j += from_b;
        n++;
    }
    return n;
}

enum el_err el_sketch_merge(struct el_sketch *dst, const struct el_sketch *src)
{
    if (src->n == 0)
        return EL_OK;

    /* Read everything needed from src before dst changes: dst == src is a
     * legal call and doubles every count. */
    uint64_t n = src->n;
    int64_t lo = src->min, hi = src->max, sum = src->sum;
    enum el_err rc;

    if (!dst->bucketed && !src->bucketed) {
        size_t distinct = merge_pairs(dst, src, NULL, NULL), cap = PAIRS_INITIAL;
        if (distinct <= EL_SKETCH_EXACT_CAP) {
            /* Into a new array, so dst keeps its pairs until nothing can fail. */
            while (cap < distinct) /* stops at the cap at the latest */
                cap *= 2u;
            int64_t *vals;
            uint64_t *cnts;
            if (pairs_alloc(cap, &vals, &cnts) != EL_OK)
                return EL_ERR_NOMEM;
            merge_pairs(dst, src, vals, cnts);
            el_free(dst->vals);
            dst->vals = vals;
            dst->cnts = cnts;
            dst->npairs = distinct;
            dst->cap = cap;
            note(dst, n, lo, hi, sum);
            return EL_OK;
        }
    }

    /* The result is bucketed; it must cover both value ranges. */
    unsigned first = bucket_index(lo), last = bucket_index(hi);
    struct el_sketch_store next;
    if (dst->bucketed)
        rc = store_cover(&dst->store, first, last, &next);
    else
        rc = exact_to_store(dst, first, last, &next);
    if (rc != EL_OK)
        return rc;
    if (src->bucketed)
        pour_store(&next, src);
    else
        pour_pairs(&next, src);
    store_commit(dst, &next);
    note(dst, n, lo, hi, sum);
    return EL_OK;
}

/* ceil(q * n), clamped to [1, n]. q usually comes from a decimal such as
 * 0.07, whose double is a hair above 0.07, so q * n can land an ulp or two
 * above the integer the caller meant (0.07 * 100 = 7.000000000000001). A
 * fractional part within a few ulps of x counts as zero; that is far below
 * any real fractional rank for the counts a log can reach. */
static uint64_t nearest_rank(double q, uint64_t n)
{
    double x = q * (double)n;
    if (x <= 1.0)
        return 1;
    if (x >= (double)n)
        return n;
    uint64_t r = (uint64_t)x; /* floor: 1 < x < n */
    if (x - (double)r > x * (4.0 * DBL_EPSILON))
        r++;
    return r < n ? r : n;
}

enum el_err el_sketch_quantile(const struct el_sketch *s, double q, int64_t *out)
{
    if (!(q >= 0.0 && q <= 1.0)) /* also rejects NaN */
        return EL_ERR_RANGE;
    if (s->n == 0)
        return EL_ERR_EMPTY;

    uint64_t rank = nearest_rank(q, s->n), seen = 0;
    if (!s->bucketed) {
        for (size_t i = 0; i < s->npairs; i++) {
            seen += s->cnts[i];
            if (seen >= rank) {
                *out = s->vals[i];
                return EL_OK;
            }
        }
    } else {
        for (unsigned i = 0; i < s->store.len; i++) {
            seen += s->store.counts[i];
            if (seen >= rank) {
                int64_t v = bucket_mid(s->store.lo + i);
                *out = v < s->min ? s->min : v > s->max ? s->max : v;
                return EL_OK;
            }
        }
    }
    /* Unreachable while the counts sum to n. */
    return EL_ERR_EMPTY;
}

uint64_t el_sketch_count(const struct el_sketch *s)
{
    return s->n;
}

int64_t el_sketch_min(const struct el_sketch *s)
{
    return s->min;
}

int64_t el_sketch_max(const struct el_sketch *s)
{
    return s->max;
}

int64_t el_sketch_sum(const struct el_sketch *s)
{
    return s->sum;
}

bool el_sketch_is_bucketed(const struct el_sketch *s)
{
    return s->bucketed;
}

/* ---- state (docs/STATE.md) ---------------------------------------------------- */

enum { MODE_EXACT = 0, MODE_BUCKETED = 1 };

/* A state stores bucket indices and relies on the switch point, so changing
 * either changes what existing states mean: bump EL_STATE_VERSION. */
_Static_assert(EL_SKETCH_EXACT_CAP == 512 && MAX_INDEX == 3008,
               "the sketch layout is part of the state format");

void el_sketch_encode(const struct el_sketch *s, struct el_wbuf *w)
{
    el_put_u8(w, s->bucketed ? MODE_BUCKETED : MODE_EXACT);
    el_put_u64(w, s->n);
    el_put_i64(w, s->min);
    el_put_i64(w, s->max);
    el_put_i64(w, s->sum);
    if (!s->bucketed) {
        el_put_u32(w, (uint32_t)s->npairs);
        for (size_t i = 0; i < s->npairs; i++) {
            el_put_i64(w, s->vals[i]);
            el_put_u64(w, s->cnts[i]);
        }
        return;
    }
    /* Only the buckets of min..max: the rest of the store is growth padding,
     * always zero, whose extent depends on the order values arrived in.
     * Leaving it out keeps the bytes a function of the multiset. */
    unsigned lo = bucket_index(s->min), hi = bucket_index(s->max);
    el_put_u32(w, lo);
    el_put_u32(w, hi);
    for (unsigned i = lo; i <= hi; i++)
        el_put_u64(w, s->store.counts[i - s->store.lo]);
}

/* n * v saturated at INT64_MAX, the way note() saturates sums (v >= 0). */
static int64_t sat_mul(uint64_t n, int64_t v)
{
    uint64_t p;
    if (__builtin_mul_overflow(n, (uint64_t)v, &p) || p > (uint64_t)INT64_MAX)
        return INT64_MAX;
    return (int64_t)p;
}

static int64_t sat_add(int64_t a, int64_t b)
{
    return a > INT64_MAX - b ? INT64_MAX : a + b;
}

/* Checked before any array is allocated, so a claimed count costs nothing
 * until the bytes that back it are known to be there. */
static enum el_err need(struct el_rbuf *r, uint64_t items, size_t size, const char *what)
{
    if (items > el_rbuf_left(r) / size)
        return el_rbuf_fail(r, "truncated: %llu %s need %llu bytes, %zu left",
                            (unsigned long long)items, what, (unsigned long long)items * size,
                            el_rbuf_left(r));
    return EL_OK;
}

static enum el_err decode_exact(struct el_rbuf *r, struct el_sketch *s, uint64_t n, int64_t min,
                                int64_t max, int64_t sum)
{
    uint32_t np;
    if (!el_get_u32(r, &np))
        return EL_ERR_PARSE;
    if (np > EL_SKETCH_EXACT_CAP)
        return el_rbuf_fail(r, "%lu exact pairs, more than the %d an exact sketch holds",
                            (unsigned long)np, EL_SKETCH_EXACT_CAP);
    if ((n == 0) != (np == 0))
        return el_rbuf_fail(r, "%lu pairs for %llu values", (unsigned long)np,
                            (unsigned long long)n);
    if (np == 0)
        return EL_OK; /* nothing to install: s is already the empty sketch */
    if (need(r, np, 16, "exact pairs") != EL_OK)
        return EL_ERR_PARSE;

    /* The capacity merge would have chosen, so later adds grow the array
     * the same way they would on the original. */
    size_t cap = PAIRS_INITIAL;
    while (cap < np)
        cap *= 2u;
    int64_t *vals;
    uint64_t *cnts;
    if (pairs_alloc(cap, &vals, &cnts) != EL_OK)
        return EL_ERR_NOMEM;
    uint64_t total = 0;
    int64_t vsum = 0;
    enum el_err rc = EL_OK;
    for (uint32_t i = 0; i < np && rc == EL_OK; i++) {
        if (!el_get_i64(r, &vals[i]) || !el_get_u64(r, &cnts[i]))
            rc = EL_ERR_PARSE;
        else if (vals[i] < 0 || vals[i] > EL_SKETCH_MAX_VALUE)
            rc = el_rbuf_fail(r, "pair %lu: value %lld out of range", (unsigned long)i,
                              (long long)vals[i]);
        else if (i > 0 && vals[i] <= vals[i - 1])
            rc = el_rbuf_fail(r, "pair %lu: values not strictly increasing", (unsigned long)i);
        else if (cnts[i] == 0 || __builtin_add_overflow(total, cnts[i], &total))
            rc = el_rbuf_fail(r, "pair %lu: count %llu impossible", (unsigned long)i,
                              (unsigned long long)cnts[i]);
        else
            vsum = sat_add(vsum, sat_mul(cnts[i], vals[i]));
    }
    if (rc == EL_OK && total != n)
        rc = el_rbuf_fail(r, "count %llu but the pairs hold %llu values", (unsigned long long)n,
                          (unsigned long long)total);
    if (rc == EL_OK && (vals[0] != min || vals[np - 1] != max))
        rc = el_rbuf_fail(r, "min/max %lld/%lld but the pairs span %lld..%lld", (long long)min,
                          (long long)max, (long long)vals[0], (long long)vals[np - 1]);
    if (rc == EL_OK && vsum != sum)
        rc = el_rbuf_fail(r, "sum %lld but the pairs add up to %lld", (long long)sum,
                          (long long)vsum);
    if (rc != EL_OK) {
        el_free(vals);
        return rc;
    }
    s->vals = vals;
    s->cnts = cnts;
    s->npairs = np;
    s->cap = cap;
    return EL_OK;
}

static enum el_err decode_bucketed(struct el_rbuf *r, struct el_sketch *s, uint64_t n, int64_t min,
                                   int64_t max)
{
    /* A sketch switches when its distinct values exceed the cap, so it has
     * more values than that, spread over at least cap + 1 integers. */
    if (n <= EL_SKETCH_EXACT_CAP || (uint64_t)(max - min) < EL_SKETCH_EXACT_CAP)
        return el_rbuf_fail(r,
                            "bucketed with %llu values in %lld..%lld, but a sketch switches "
                            "only past %d distinct values",
                            (unsigned long long)n, (long long)min, (long long)max,
                            EL_SKETCH_EXACT_CAP);
    uint32_t lo, hi;
    if (!el_get_u32(r, &lo) || !el_get_u32(r, &hi))
        return EL_ERR_PARSE;
    unsigned want_lo = bucket_index(min), want_hi = bucket_index(max);
    if (lo != want_lo || hi != want_hi)
        return el_rbuf_fail(r, "buckets %lu..%lu, but min and max fall in %u..%u",
                            (unsigned long)lo, (unsigned long)hi, want_lo, want_hi);
    size_t width = hi - lo + 1u; /* <= MAX_INDEX + 1: max is in range */
    if (need(r, width, 8, "bucket counters") != EL_OK)
        return EL_ERR_PARSE;
    uint64_t *counts = el_calloc(width, sizeof(*counts));
    if (!counts)
        return EL_ERR_NOMEM;
    uint64_t total = 0;
    enum el_err rc = EL_OK;
    for (size_t i = 0; i < width && rc == EL_OK; i++) {
        if (!el_get_u64(r, &counts[i]))
            rc = EL_ERR_PARSE;
        else if (__builtin_add_overflow(total, counts[i], &total))
            rc = el_rbuf_fail(r, "bucket counts overflow");
    }
    if (rc == EL_OK && (counts[0] == 0 || counts[width - 1] == 0))
        rc = el_rbuf_fail(r, "no value in the bucket of the %s", counts[0] ? "max" : "min");
    if (rc == EL_OK && total != n)
        rc = el_rbuf_fail(r, "count %llu but the buckets hold %llu values", (unsigned long long)n,
                          (unsigned long long)total);
    if (rc != EL_OK) {
        el_free(counts);
        return rc;
    }
    s->store = (struct el_sketch_store){ counts, lo, (unsigned)width };
    s->bucketed = true;
    return EL_OK;
}

enum el_err el_sketch_decode(struct el_rbuf *r, struct el_sketch *s)
{
    uint8_t mode;
    uint64_t n;
    int64_t min, max, sum;
    if (!el_get_u8(r, &mode) || !el_get_u64(r, &n) || !el_get_i64(r, &min) ||
        !el_get_i64(r, &max) || !el_get_i64(r, &sum))
        return EL_ERR_PARSE;
    if (mode != MODE_EXACT && mode != MODE_BUCKETED)
        return el_rbuf_fail(r, "unknown mode %u", (unsigned)mode);
    if (n == 0 && (min != 0 || max != 0 || sum != 0))
        return el_rbuf_fail(r, "empty, but min/max/sum %lld/%lld/%lld", (long long)min,
                            (long long)max, (long long)sum);
    if (n > 0 && (min < 0 || min > max || max > EL_SKETCH_MAX_VALUE))
        return el_rbuf_fail(r, "min %lld and max %lld impossible", (long long)min, (long long)max);
    /* Every value lies in [min, max], so the (saturated) sum does too,
     * n times over. Exact mode checks the sum to the unit below. */
    if (n > 0 && (sum < sat_mul(n, min) || sum > sat_mul(n, max)))
        return el_rbuf_fail(r, "sum %lld impossible for %llu values in %lld..%lld", (long long)sum,
                            (unsigned long long)n, (long long)min, (long long)max);
    enum el_err rc = mode == MODE_EXACT ? decode_exact(r, s, n, min, max, sum)
                                        : decode_bucketed(r, s, n, min, max);
    if (rc != EL_OK)
        return rc;
    s->n = n;
    s->min = min;
    s->max = max;
    s->sum = sum;
    return EL_OK;
}

/* sketch.c: the mergeable latency sketch behind el_sketch_* (analysis.h).
 *
 * Main invariant: every observable answer is a function of the multiset of
 * values added, never of their order or of how the data was split before a
 * merge. Exact sorted (value, count) pairs up to EL_SKETCH_EXACT_CAP distinct
 * values, then integer-indexed log buckets in a dense array that grows at
 * either end. No floating point in the bucketing, no locking.
 */
#include <float.h>
#include <string.h>

#include "analysis.h"

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

struct el_sketch_pair {
    int64_t value;
    uint64_t count;
};

/* Dense counters for bucket indices [lo, lo + len). */
struct el_sketch_store {
    uint64_t *counts;
    unsigned lo, len;
};

struct el_sketch {
    uint64_t n;
    int64_t min, max, sum; /* min/max are 0 while n == 0 */
    bool bucketed;
    /* exact mode: sorted by value, values distinct, count >= 1 */
    struct el_sketch_pair *pairs;
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

/* Lower bound: the first pair whose value is >= v. */
static size_t pair_find(const struct el_sketch *s, int64_t v)
{
    size_t lo = 0, hi = s->npairs;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->pairs[mid].value < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
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
        el_free(s->pairs);
        s->pairs = NULL;
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
        st->counts[bucket_index(src->pairs[i].value) - st->lo] += src->pairs[i].count;
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

    if (i < s->npairs && s->pairs[i].value == v) {
        s->pairs[i].count++;
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
        struct el_sketch_pair *p = el_realloc(s->pairs, cap * sizeof(*p));
        if (!p)
            return EL_ERR_NOMEM;
        s->pairs = p;
        s->cap = cap;
    }
    memmove(s->pairs + i + 1, s->pairs + i, (s->npairs - i) * sizeof(*s->pairs));
    s->pairs[i] = (struct el_sketch_pair){ v, 1 };
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
    el_free(s->pairs);
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
                          struct el_sketch_pair *out)
{
    size_t i = 0, j = 0, n = 0;
    while (i < a->npairs || j < b->npairs) {
        bool from_a = j == b->npairs || (i < a->npairs && a->pairs[i].value <= b->pairs[j].value);
        bool from_b = i == a->npairs || (j < b->npairs && b->pairs[j].value <= a->pairs[i].value);
        if (out)
            out[n] = (struct el_sketch_pair){ from_a ? a->pairs[i].value : b->pairs[j].value,
                                              (from_a ? a->pairs[i].count : 0u) +
                                                  (from_b ? b->pairs[j].count : 0u) };
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
        size_t distinct = merge_pairs(dst, src, NULL), cap = PAIRS_INITIAL;
        if (distinct <= EL_SKETCH_EXACT_CAP) {
            /* Into a new array, so dst keeps its pairs until nothing can fail. */
            while (cap < distinct) /* stops at the cap at the latest */
                cap *= 2u;
            struct el_sketch_pair *p = el_malloc(cap * sizeof(*p));
            if (!p)
                return EL_ERR_NOMEM;
            merge_pairs(dst, src, p);
            el_free(dst->pairs);
            dst->pairs = p;
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
            seen += s->pairs[i].count;
            if (seen >= rank) {
                *out = s->pairs[i].value;
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

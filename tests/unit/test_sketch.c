/* test_sketch.c: unit tests for the quantile sketch (analysis.h).
 *
 * Accuracy is checked as a bound against an exact sorted array, never
 * against hard-coded numbers; merges are checked for exact equality with a
 * single pass; allocation counts and injected failures use the core/ seam.
 * Test data comes from a fixed-seed splitmix64, so runs are reproducible.
 */
#include "analysis.h"

#include <inttypes.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* ---- helpers --------------------------------------------------------------- */

/* splitmix64: tiny, fixed-seed, and the same on every platform (rand() is not). */
static uint64_t rng_next(uint64_t *st)
{
    uint64_t z = (*st += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* Uniform in (0, 1]: never 0, so it can be a divisor. */
static double rng_unit(uint64_t *st)
{
    return (double)((rng_next(st) >> 11) + 1) * 0x1.0p-53;
}

enum dist { DIST_UNIFORM, DIST_LOG_UNIFORM, DIST_PARETO };

#define US_PER_S INT64_C(1000000)

/* Latency-like values from 0 to tens of seconds. The heavy-tailed shapes use
 * only integer ops and one division, so the test needs no libm. */
static int64_t draw(enum dist d, uint64_t *st)
{
    switch (d) {
    case DIST_UNIFORM:
        return (int64_t)(rng_next(st) % (uint64_t)(30 * US_PER_S));
    case DIST_LOG_UNIFORM: { /* same mass in every octave, 1 us .. 67 s */
        unsigned k = (unsigned)(rng_next(st) % 26u);
        return ((int64_t)1 << k) + (int64_t)(rng_next(st) % ((uint64_t)1 << k));
    }
    case DIST_PARETO: { /* alpha = 1, scale 50 us, capped at 60 s */
        double x = 50.0 / rng_unit(st);
        return x >= (double)(60 * US_PER_S) ? 60 * US_PER_S : (int64_t)x;
    }
    }
    return 0;
}

/* Test-side buffers use plain malloc on purpose: el_malloc would disturb the
 * allocation counts and injected failures the tests are measuring. */
static int64_t *gen(enum dist d, size_t n, uint64_t seed)
{
    int64_t *v = malloc(n * sizeof(*v));
    assert_non_null(v);
    for (size_t i = 0; i < n; i++)
        v[i] = draw(d, &seed);
    return v;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int64_t *sorted_copy(const int64_t *v, size_t n)
{
    int64_t *s = malloc((n ? n : 1) * sizeof(*s));
    assert_non_null(s);
    if (n)
        memcpy(s, v, n * sizeof(*s));
    qsort(s, n, sizeof(*s), cmp_i64);
    return s;
}

/* Nearest rank for q = pm / 1000, in integers so it does not share the
 * sketch's floating-point reasoning. */
static uint64_t rank_permille(unsigned pm, uint64_t n)
{
    uint64_t r = (pm * n + 999u) / 1000u;
    return r ? r : 1;
}

static struct el_sketch *new_sketch(void)
{
    struct el_sketch *s = NULL;
    assert_int_equal(el_sketch_create(&s), EL_OK);
    assert_non_null(s);
    return s;
}

static void add_all(struct el_sketch *s, const int64_t *v, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++) {
        enum el_err rc = el_sketch_add(s, v[i]);
        if (rc != EL_OK)
            fail_msg("%s: add(%" PRId64 ") at %zu: %s", name, v[i], i, el_strerror(rc));
    }
}

static void add_ok(struct el_sketch *s, int64_t v, const char *name)
{
    enum el_err rc = el_sketch_add(s, v);
    if (rc != EL_OK)
        fail_msg("%s: add(%" PRId64 "): %s", name, v, el_strerror(rc));
}

static void merge_ok(struct el_sketch *dst, const struct el_sketch *src, const char *name)
{
    enum el_err rc = el_sketch_merge(dst, src);
    if (rc != EL_OK)
        fail_msg("%s: merge: %s", name, el_strerror(rc));
}

static struct el_sketch *sketch_of(const int64_t *v, size_t n, const char *name)
{
    struct el_sketch *s = new_sketch();
    add_all(s, v, n, name);
    return s;
}

/* Every query equal: what "merge == single pass" and "unchanged" mean. */
static void check_same(const struct el_sketch *got, const struct el_sketch *want,
                       const char *name)
{
    if (el_sketch_count(got) != el_sketch_count(want))
        fail_msg("%s: count %" PRIu64 ", want %" PRIu64, name, el_sketch_count(got),
                 el_sketch_count(want));
    if (el_sketch_min(got) != el_sketch_min(want) || el_sketch_max(got) != el_sketch_max(want))
        fail_msg("%s: min/max %" PRId64 "/%" PRId64 ", want %" PRId64 "/%" PRId64, name,
                 el_sketch_min(got), el_sketch_max(got), el_sketch_min(want), el_sketch_max(want));
    if (el_sketch_sum(got) != el_sketch_sum(want))
        fail_msg("%s: sum %" PRId64 ", want %" PRId64, name, el_sketch_sum(got),
                 el_sketch_sum(want));
    if (el_sketch_is_bucketed(got) != el_sketch_is_bucketed(want))
        fail_msg("%s: bucketed %d, want %d", name, el_sketch_is_bucketed(got),
                 el_sketch_is_bucketed(want));
    for (unsigned pm = 0; pm <= 1000; pm++) {
        int64_t a = -1, b = -1;
        enum el_err ra = el_sketch_quantile(got, pm / 1000.0, &a);
        enum el_err rb = el_sketch_quantile(want, pm / 1000.0, &b);
        if (ra != rb || a != b)
            fail_msg("%s: q=%.3f gives %" PRId64 " (%s), want %" PRId64 " (%s)", name,
                     pm / 1000.0, a, el_strerror(ra), b, el_strerror(rb));
    }
}

/* ---- 1. empty sketch and invalid q ------------------------------------------ */

static void test_sketch_empty_and_bad_q(void **state)
{
    (void)state;
    struct el_sketch *s = new_sketch();
    const double bad_q[] = { -0.1, 1.5, -0.0 - 1e-300, 1.0 + 1e-15, (double)NAN };
    int64_t out = 12345;

    assert_int_equal(el_sketch_count(s), 0);
    assert_int_equal(el_sketch_min(s), 0);
    assert_int_equal(el_sketch_max(s), 0);
    assert_int_equal(el_sketch_sum(s), 0);
    assert_false(el_sketch_is_bucketed(s));
    assert_int_equal(el_sketch_quantile(s, 0.5, &out), EL_ERR_EMPTY);
    assert_int_equal(el_sketch_quantile(s, 0.0, &out), EL_ERR_EMPTY);
    assert_int_equal(out, 12345);

    el_sketch_add(s, 7);
    for (size_t i = 0; i < EL_ARRAY_LEN(bad_q); i++) {
        enum el_err rc = el_sketch_quantile(s, bad_q[i], &out);
        if (rc != EL_ERR_RANGE || out != 12345)
            fail_msg("bad q[%zu] = %g: rc %s, out %" PRId64, i, bad_q[i], el_strerror(rc), out);
    }
    /* Range is checked before emptiness: a bad q is a caller bug either way. */
    struct el_sketch *e = new_sketch();
    assert_int_equal(el_sketch_quantile(e, (double)NAN, &out), EL_ERR_RANGE);
    assert_int_equal(out, 12345);

    el_sketch_destroy(s);
    el_sketch_destroy(e);
    el_sketch_destroy(NULL);
}

/* ---- 2. small exact data ---------------------------------------------------- */

struct small_case {
    const char *name;
    int64_t values[12];
    size_t n;
    double q;
    int64_t want;
};

static const struct small_case small_cases[] = {
    { "1..10 p50", { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 10, 0.50, 5 },
    { "1..10 p90", { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 10, 0.90, 9 },
    { "1..10 p99", { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 10, 0.99, 10 },
    { "1..10 p0", { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 10, 0.0, 1 },
    { "1..10 p100", { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 10, 1.0, 10 },
    { "1..10 p10", { 10, 9, 8, 7, 6, 5, 4, 3, 2, 1 }, 10, 0.10, 1 },
    { "1..10 p11", { 10, 9, 8, 7, 6, 5, 4, 3, 2, 1 }, 10, 0.11, 2 },
    { "1..10 tiny q", { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 10, 1e-300, 1 },
    { "single value", { 42 }, 1, 0.5, 42 },
    { "single zero", { 0 }, 1, 1.0, 0 },
    { "dups p20", { 5, 5, 5, 1, 9 }, 5, 0.20, 1 },
    { "dups p21", { 5, 5, 5, 1, 9 }, 5, 0.21, 5 },
    { "dups p80", { 5, 5, 5, 1, 9 }, 5, 0.80, 5 },
    { "dups p81", { 5, 5, 5, 1, 9 }, 5, 0.81, 9 },
    { "all equal p99", { 3, 3, 3, 3, 3, 3, 3 }, 7, 0.99, 3 },
    { "max value p100", { 0, EL_SKETCH_MAX_VALUE }, 2, 1.0, EL_SKETCH_MAX_VALUE },
    { "max value p50", { 0, EL_SKETCH_MAX_VALUE }, 2, 0.5, 0 },
};

static void test_sketch_small_exact(void **state)
{
    (void)state;
    for (size_t i = 0; i < EL_ARRAY_LEN(small_cases); i++) {
        const struct small_case *c = &small_cases[i];
        struct el_sketch *s = sketch_of(c->values, c->n, c->name);
        int64_t got = -1, lo = INT64_MAX, hi = 0, sum = 0;

        for (size_t j = 0; j < c->n; j++) {
            lo = c->values[j] < lo ? c->values[j] : lo;
            hi = c->values[j] > hi ? c->values[j] : hi;
            sum += c->values[j];
        }
        enum el_err rc = el_sketch_quantile(s, c->q, &got);
        if (rc != EL_OK || got != c->want)
            fail_msg("case '%s': q=%g gives %" PRId64 " (%s), want %" PRId64, c->name, c->q, got,
                     el_strerror(rc), c->want);
        if (el_sketch_count(s) != c->n || el_sketch_min(s) != lo || el_sketch_max(s) != hi ||
            el_sketch_sum(s) != sum || el_sketch_is_bucketed(s))
            fail_msg("case '%s': count/min/max/sum/mode wrong", c->name);
        el_sketch_destroy(s);
    }
}

/* Every q = pm / 1000 against integer nearest rank: catches 0.07 * 100
 * rounding up to rank 8 and similar floating-point slips. */
static void test_sketch_rank_arithmetic(void **state)
{
    (void)state;
    const uint64_t sizes[] = { 1, 2, 3, 7, 10, 100, 333, 512 };
    for (size_t i = 0; i < EL_ARRAY_LEN(sizes); i++) {
        struct el_sketch *s = new_sketch();
        for (uint64_t v = 1; v <= sizes[i]; v++)
            assert_int_equal(el_sketch_add(s, (int64_t)v), EL_OK);
        for (unsigned pm = 0; pm <= 1000; pm++) {
            int64_t got = -1;
            int64_t want = (int64_t)rank_permille(pm, sizes[i]);
            enum el_err rc = el_sketch_quantile(s, pm / 1000.0, &got);
            if (rc != EL_OK || got != want)
                fail_msg("n=%" PRIu64 " q=%.3f: got %" PRId64 ", want rank %" PRId64, sizes[i],
                         pm / 1000.0, got, want);
        }
        el_sketch_destroy(s);
    }
}

/* ---- 3. out-of-range values and the saturating sum --------------------------- */

static void test_sketch_rejects_out_of_range(void **state)
{
    (void)state;
    const int64_t bad[] = { -1, INT64_MIN, EL_SKETCH_MAX_VALUE + 1, INT64_MAX };
    struct el_sketch *s = new_sketch();

    for (size_t i = 0; i < EL_ARRAY_LEN(bad); i++) {
        enum el_err rc = el_sketch_add(s, bad[i]);
        if (rc != EL_ERR_RANGE)
            fail_msg("bad[%zu] = %" PRId64 ": rc %s", i, bad[i], el_strerror(rc));
    }
    assert_int_equal(el_sketch_count(s), 0);
    assert_int_equal(el_sketch_sum(s), 0);

    assert_int_equal(el_sketch_add(s, 0), EL_OK);
    assert_int_equal(el_sketch_add(s, EL_SKETCH_MAX_VALUE), EL_OK);
    for (size_t i = 0; i < EL_ARRAY_LEN(bad); i++)
        assert_int_equal(el_sketch_add(s, bad[i]), EL_ERR_RANGE);
    assert_int_equal(el_sketch_count(s), 2);
    assert_int_equal(el_sketch_min(s), 0);
    assert_int_equal(el_sketch_max(s), EL_SKETCH_MAX_VALUE);
    assert_int_equal(el_sketch_sum(s), EL_SKETCH_MAX_VALUE);
    el_sketch_destroy(s);
}

static void test_sketch_sum_saturates(void **state)
{
    (void)state;
    /* 2^63 / 2^52 = 2048 maximal values reach INT64_MAX. */
    struct el_sketch *one = new_sketch(), *a = new_sketch(), *b = new_sketch();
    for (int i = 0; i < 2200; i++) {
        assert_int_equal(el_sketch_add(one, EL_SKETCH_MAX_VALUE), EL_OK);
        assert_int_equal(el_sketch_add(i % 2 ? a : b, EL_SKETCH_MAX_VALUE), EL_OK);
    }
    assert_int_equal(el_sketch_sum(one), INT64_MAX);
    assert_int_equal(el_sketch_sum(a), 1100 * EL_SKETCH_MAX_VALUE);
    merge_ok(a, b, "saturated sum via merge");
    check_same(a, one, "saturated sum via merge");
    el_sketch_destroy(one);
    el_sketch_destroy(a);
    el_sketch_destroy(b);
}

/* ---- 4. accuracy against an exact sort --------------------------------------- */

static const unsigned accuracy_permille[] = { 0, 10, 100, 250, 500, 750, 900, 950, 990, 999, 1000 };

static void check_accuracy(enum dist d, const char *name, uint64_t seed)
{
    const size_t n = 200000;
    int64_t *v = gen(d, n, seed);
    int64_t *sorted = sorted_copy(v, n);
    struct el_sketch *s = sketch_of(v, n, name);

    assert_true(el_sketch_is_bucketed(s));
    assert_int_equal(el_sketch_count(s), n);
    assert_int_equal(el_sketch_min(s), sorted[0]);
    assert_int_equal(el_sketch_max(s), sorted[n - 1]);
    for (size_t i = 0; i < EL_ARRAY_LEN(accuracy_permille); i++) {
        unsigned pm = accuracy_permille[i];
        int64_t exact = sorted[rank_permille(pm, n) - 1], est = -1;
        enum el_err rc = el_sketch_quantile(s, pm / 1000.0, &est);
        int64_t err = est > exact ? est - exact : exact - est;
        /* err <= 1 % of exact, in integers; never outside the data */
        if (rc != EL_OK || err * 100 > exact || est < sorted[0] || est > sorted[n - 1])
            fail_msg("%s: q=%.3f est %" PRId64 ", exact %" PRId64 " (rc %s)", name, pm / 1000.0,
                     est, exact, el_strerror(rc));
    }
    el_sketch_destroy(s);
    free(sorted);
    free(v);
}

static void test_sketch_accuracy_uniform(void **state)
{
    (void)state;
    check_accuracy(DIST_UNIFORM, "uniform 0..30 s", 1);
}

static void test_sketch_accuracy_log_uniform(void **state)
{
    (void)state;
    check_accuracy(DIST_LOG_UNIFORM, "log-uniform 1 us..67 s", 2);
}

static void test_sketch_accuracy_pareto(void **state)
{
    (void)state;
    check_accuracy(DIST_PARETO, "pareto alpha=1", 3);
}

/* ---- 5. merge == single pass ------------------------------------------------- */

enum split { SPLIT_HALVES, SPLIT_SHARDS7, SPLIT_ROUND_ROBIN, SPLIT_ONE_SMALL };

#define MAX_SHARDS 7

/* Which shard value i of n goes to. */
static unsigned shard_of(enum split sp, size_t i, size_t n, uint64_t *rng)
{
    switch (sp) {
    case SPLIT_HALVES: return i < n / 2 ? 0u : 1u;
    case SPLIT_SHARDS7: return (unsigned)(rng_next(rng) % MAX_SHARDS);
    case SPLIT_ROUND_ROBIN: return (unsigned)(i % 5u);
    case SPLIT_ONE_SMALL: return i < 100 ? 0u : 1u; /* shard 0 stays exact */
    }
    return 0;
}

struct merge_case {
    const char *name;
    enum dist d;
    size_t n;
    enum split sp;
};

static const struct merge_case merge_cases[] = {
    { "halves, uniform", DIST_UNIFORM, 50000, SPLIT_HALVES },
    { "halves, pareto", DIST_PARETO, 50000, SPLIT_HALVES },
    { "7 random shards, log-uniform", DIST_LOG_UNIFORM, 50000, SPLIT_SHARDS7 },
    { "7 random shards, pareto", DIST_PARETO, 50000, SPLIT_SHARDS7 },
    { "round robin, uniform", DIST_UNIFORM, 50000, SPLIT_ROUND_ROBIN },
    { "exact shard + bucketed shard", DIST_LOG_UNIFORM, 50000, SPLIT_ONE_SMALL },
    { "7 random shards, all exact", DIST_PARETO, 300, SPLIT_SHARDS7 },
    { "halves, 2000 values", DIST_UNIFORM, 2000, SPLIT_HALVES },
};

static void test_sketch_merge_equals_single_pass(void **state)
{
    (void)state;
    for (size_t c = 0; c < EL_ARRAY_LEN(merge_cases); c++) {
        const struct merge_case *mc = &merge_cases[c];
        int64_t *v = gen(mc->d, mc->n, 100 + c);
        struct el_sketch *one = sketch_of(v, mc->n, mc->name);
        struct el_sketch *shard[MAX_SHARDS];
        uint64_t rng = 7;

        for (size_t k = 0; k < MAX_SHARDS; k++)
            shard[k] = new_sketch();
        for (size_t i = 0; i < mc->n; i++)
            add_ok(shard[shard_of(mc->sp, i, mc->n, &rng)], v[i], mc->name);
        if (mc->sp == SPLIT_ONE_SMALL && (el_sketch_is_bucketed(shard[0]) ||
                                          !el_sketch_is_bucketed(shard[1])))
            fail_msg("%s: setup wants one exact and one bucketed shard", mc->name);

        /* Forward fold into a fresh sketch, and a backward fold into the
         * last shard: two different orders, one answer. */
        struct el_sketch *fwd = new_sketch();
        for (size_t k = 0; k < MAX_SHARDS; k++)
            merge_ok(fwd, shard[k], mc->name);
        check_same(fwd, one, mc->name);
        for (size_t k = MAX_SHARDS - 1; k-- > 0;)
            merge_ok(shard[MAX_SHARDS - 1], shard[k], mc->name);
        check_same(shard[MAX_SHARDS - 1], one, mc->name);

        el_sketch_destroy(fwd);
        for (size_t k = 0; k < MAX_SHARDS; k++)
            el_sketch_destroy(shard[k]);
        el_sketch_destroy(one);
        free(v);
    }
}

/* Builds a and b from two ranges of distinct values (each value added twice)
 * and checks a+b and b+a against one pass. */
static void check_merge_ranges(int64_t a_lo, int64_t a_hi, int64_t b_lo, int64_t b_hi,
                               bool want_bucketed, const char *name)
{
    struct el_sketch *a = new_sketch(), *b = new_sketch(), *one = new_sketch();
    for (int rep = 0; rep < 2; rep++) {
        for (int64_t x = a_lo; x <= a_hi; x++) {
            add_ok(a, x * 1000, name);
            add_ok(one, x * 1000, name);
        }
        for (int64_t x = b_lo; x <= b_hi; x++) {
            add_ok(b, x * 1000, name);
            add_ok(one, x * 1000, name);
        }
    }
    if (el_sketch_is_bucketed(a) || el_sketch_is_bucketed(b) ||
        el_sketch_is_bucketed(one) != want_bucketed)
        fail_msg("%s: setup modes wrong", name);

    struct el_sketch *ab = new_sketch(), *ba = new_sketch();
    merge_ok(ab, a, name);
    merge_ok(ab, b, name);
    merge_ok(ba, b, name);
    merge_ok(ba, a, name);
    check_same(ab, one, name);
    check_same(ba, one, name);
    merge_ok(a, b, name); /* into a non-empty dst */
    check_same(a, one, name);

    el_sketch_destroy(a);
    el_sketch_destroy(b);
    el_sketch_destroy(ab);
    el_sketch_destroy(ba);
    el_sketch_destroy(one);
}

static void test_sketch_merge_exact_pairs(void **state)
{
    (void)state;
    check_merge_ranges(1, 300, 301, 600, true, "both exact, union 600 > cap");
    check_merge_ranges(1, 300, 200, 512, false, "both exact, overlapping union 512");
    check_merge_ranges(1, 300, 200, 513, true, "both exact, overlapping union 513");
    check_merge_ranges(1, 512, 1, 512, false, "both exact, identical");
    check_merge_ranges(400, 700, 1, 250, true, "both exact, src below dst");
}

static void test_sketch_merge_empty_and_self(void **state)
{
    (void)state;
    const size_t n = 20000;
    int64_t *v = gen(DIST_PARETO, 2 * n, 11);
    memcpy(v + n, v, n * sizeof(*v)); /* second half repeats the first */
    struct el_sketch *s = sketch_of(v, n, "self");
    struct el_sketch *twice = sketch_of(v, 2 * n, "self twice");
    struct el_sketch *e = new_sketch(), *e2 = new_sketch(), *ref = sketch_of(v, n, "ref");

    assert_int_equal(el_sketch_merge(s, e), EL_OK);
    check_same(s, ref, "non-empty + empty");
    assert_int_equal(el_sketch_merge(e, s), EL_OK);
    check_same(e, ref, "empty + non-empty");
    assert_int_equal(el_sketch_merge(e2, e2), EL_OK);
    assert_int_equal(el_sketch_count(e2), 0);
    assert_false(el_sketch_is_bucketed(e2));

    assert_int_equal(el_sketch_merge(s, s), EL_OK);
    check_same(s, twice, "bucketed merged with itself");

    int64_t small[] = { 3, 1, 4, 1, 5, 9, 2, 6 }, small2[16];
    memcpy(small2, small, sizeof(small));
    memcpy(small2 + 8, small, sizeof(small));
    struct el_sketch *x = sketch_of(small, 8, "x"), *x2 = sketch_of(small2, 16, "x2");
    assert_int_equal(el_sketch_merge(x, x), EL_OK);
    check_same(x, x2, "exact merged with itself");

    el_sketch_destroy(x);
    el_sketch_destroy(x2);
    el_sketch_destroy(s);
    el_sketch_destroy(twice);
    el_sketch_destroy(e);
    el_sketch_destroy(e2);
    el_sketch_destroy(ref);
    free(v);
}

/* ---- 6. the exact -> bucket switch -------------------------------------------- */

static void check_exact_answers(const struct el_sketch *s, const int64_t *v, size_t n,
                                const char *name)
{
    int64_t *sorted = sorted_copy(v, n);
    for (unsigned pm = 0; pm <= 1000; pm++) {
        int64_t got = -1, want = sorted[rank_permille(pm, n) - 1];
        enum el_err rc = el_sketch_quantile(s, pm / 1000.0, &got);
        if (rc != EL_OK || got != want)
            fail_msg("%s: q=%.3f got %" PRId64 ", want exactly %" PRId64, name, pm / 1000.0, got,
                     want);
    }
    free(sorted);
}

static void test_sketch_switches_past_cap(void **state)
{
    (void)state;
    /* Distinct wide values, added high to low with repeats, so exact mode
     * inserts at the front and counts duplicates. Bucketing them would lose
     * precision, so exact answers prove the sketch is still exact. */
    enum { N = 3 * EL_SKETCH_EXACT_CAP + 1 };
    int64_t v[N];
    size_t n = 0;
    for (size_t i = 0; i < EL_SKETCH_EXACT_CAP; i++) {
        int64_t x = (int64_t)(EL_SKETCH_EXACT_CAP - i) * 1013 + 100000;
        v[n++] = x;
        v[n++] = x;
        if (i % 2)
            v[n++] = x;
    }
    struct el_sketch *s = sketch_of(v, n, "512 distinct");
    assert_false(el_sketch_is_bucketed(s));
    check_exact_answers(s, v, n, "512 distinct");

    v[n++] = v[0]; /* a repeat does not switch */
    assert_int_equal(el_sketch_add(s, v[n - 1]), EL_OK);
    assert_false(el_sketch_is_bucketed(s));
    check_exact_answers(s, v, n, "512 distinct + repeat");

    assert_int_equal(el_sketch_add(s, 1), EL_OK); /* distinct value 513 */
    assert_true(el_sketch_is_bucketed(s));
    v[n++] = 1;
    assert_int_equal(el_sketch_count(s), n);
    assert_int_equal(el_sketch_min(s), 1);
    int64_t p0 = -1;
    assert_int_equal(el_sketch_quantile(s, 0.0, &p0), EL_OK);
    assert_int_equal(p0, 1); /* values below 128 keep their own bucket */

    /* Same multiset in another order: same state, same answers. */
    struct el_sketch *r = new_sketch();
    for (size_t i = n; i-- > 0;)
        assert_int_equal(el_sketch_add(r, v[i]), EL_OK);
    check_same(r, s, "513 distinct, reversed order");
    el_sketch_destroy(r);
    el_sketch_destroy(s);
}

/* A bucket midpoint can lie outside the data; answers are clamped to the
 * exact min and max, so p0 and p100 are exact when the extremes sit at the
 * wrong end of their buckets. */
static void test_sketch_bucketed_clamps_to_min_max(void **state)
{
    (void)state;
    /* [2^20, 2^20 + 2^14) is one bucket with midpoint 2^20 + 2^13. */
    const int64_t low = ((int64_t)1 << 20) + ((int64_t)1 << 14) - 1, high = (int64_t)1 << 22;
    struct el_sketch *s = new_sketch();
    for (int64_t i = 0; i <= EL_SKETCH_EXACT_CAP; i++)
        assert_int_equal(el_sketch_add(s, low + i * 1000), EL_OK);
    assert_int_equal(el_sketch_add(s, high), EL_OK);
    assert_true(el_sketch_is_bucketed(s));

    int64_t p0 = -1, p100 = -1;
    assert_int_equal(el_sketch_quantile(s, 0.0, &p0), EL_OK);
    assert_int_equal(el_sketch_quantile(s, 1.0, &p100), EL_OK);
    assert_int_equal(p0, low);
    assert_int_equal(p100, high);
    el_sketch_destroy(s);
}

/* ---- 7. allocation budget ----------------------------------------------------- */

static void test_sketch_steady_state_allocates_nothing(void **state)
{
    (void)state;
    const size_t n = 50000;
    int64_t *v = gen(DIST_LOG_UNIFORM, n, 21);
    struct el_sketch *b = sketch_of(v, n, "bucketed warm-up");
    struct el_sketch *x = sketch_of(v, 100, "exact warm-up");
    int64_t out;
    uint64_t rng = 5;

    assert_true(el_sketch_is_bucketed(b));
    assert_false(el_sketch_is_bucketed(x));
    uint64_t before = el_mem_allocs();
    for (size_t i = 0; i < 10000; i++) {
        assert_int_equal(el_sketch_add(b, v[rng_next(&rng) % n]), EL_OK);
        assert_int_equal(el_sketch_add(x, v[rng_next(&rng) % 100]), EL_OK);
    }
    for (unsigned pm = 0; pm <= 1000; pm++) {
        assert_int_equal(el_sketch_quantile(b, pm / 1000.0, &out), EL_OK);
        assert_int_equal(el_sketch_quantile(x, pm / 1000.0, &out), EL_OK);
    }
    uint64_t made = el_mem_allocs() - before;
    if (made != 0)
        fail_msg("20,000 adds into existing buckets/pairs made %" PRIu64 " allocations", made);
    el_sketch_destroy(b);
    el_sketch_destroy(x);
    free(v);
}

/* ---- 8. allocation failure ---------------------------------------------------- */

static int disarm(void **state)
{
    (void)state;
    el_mem_fail_after(0);
    return 0;
}

static void test_sketch_create_nomem(void **state)
{
    (void)state;
    struct el_sketch *s = NULL;
    el_mem_fail_after(1);
    assert_int_equal(el_sketch_create(&s), EL_ERR_NOMEM);
    el_mem_fail_after(0);
    assert_null(s);
}

/* A value sequence that exercises every allocating path of add: pair growth,
 * the switch at the cap, and bucket growth downward and upward. */
static size_t nomem_values(int64_t *v)
{
    size_t n = 0;
    for (int64_t i = 0; i < EL_SKETCH_EXACT_CAP + 40; i++)
        v[n++] = 50000 + i * 7;
    for (int64_t x = 40000; x > 10; x /= 3)
        v[n++] = x;
    for (int64_t x = 60000; x < 40 * US_PER_S; x *= 3)
        v[n++] = x;
    return n;
}

static void test_sketch_add_nomem(void **state)
{
    (void)state;
    int64_t v[EL_SKETCH_EXACT_CAP + 100], kept[EL_SKETCH_EXACT_CAP + 100];
    size_t n = nomem_values(v);
    bool failed = true;

    /* Fail the 1st, 2nd, ... allocation of the run until a run needs fewer. */
    for (uint64_t nth = 1; failed; nth++) {
        struct el_sketch *s = new_sketch();
        size_t nkept = 0;
        failed = false;
        el_mem_fail_after(nth);
        for (size_t i = 0; i < n; i++) {
            enum el_err rc = el_sketch_add(s, v[i]);
            if (rc == EL_OK)
                kept[nkept++] = v[i];
            else if (rc == EL_ERR_NOMEM)
                failed = true;
            else
                fail_msg("fail at %" PRIu64 ": add(%" PRId64 "): %s", nth, v[i], el_strerror(rc));
        }
        el_mem_fail_after(0);
        if (failed && nkept != n - 1)
            fail_msg("fail at %" PRIu64 ": %zu of %zu kept, want all but one", nth, nkept, n);

        char name[64];
        snprintf(name, sizeof(name), "add, allocation %" PRIu64 " fails", nth);
        struct el_sketch *ref = sketch_of(kept, nkept, name);
        check_same(s, ref, name);
        /* Still usable afterwards. */
        add_all(s, v, n, name);
        add_all(ref, v, n, name);
        check_same(s, ref, name);
        el_sketch_destroy(ref);
        el_sketch_destroy(s);
    }
}

struct nomem_merge_case {
    const char *name;
    int64_t dst_lo, dst_n, src_lo, src_n; /* distinct values lo, lo+step, ... */
    int64_t step;
};

static const struct nomem_merge_case nomem_merge_cases[] = {
    { "exact + exact -> exact", 1000, 200, 1100, 200, 3 },
    { "exact + exact -> bucketed", 1000, 400, 9000, 400, 7 },
    { "exact + bucketed", 1000, 100, 5000, 2000, 11 },
    { "bucketed + exact below", 500000, 2000, 10, 50, 1 },
    { "bucketed + bucketed, wider", 100000, 1000, 1000, 100000, 97 },
    { "empty + exact", 0, 0, 5000, 100, 3 },
    { "empty + bucketed", 0, 0, 5000, 1000, 3 },
};

static struct el_sketch *range_sketch(int64_t lo, int64_t n, int64_t step, const char *name)
{
    struct el_sketch *s = new_sketch();
    for (int64_t i = 0; i < n; i++)
        add_ok(s, lo + i * step, name);
    return s;
}

static void test_sketch_merge_nomem(void **state)
{
    (void)state;
    for (size_t c = 0; c < EL_ARRAY_LEN(nomem_merge_cases); c++) {
        const struct nomem_merge_case *mc = &nomem_merge_cases[c];
        struct el_sketch *src = range_sketch(mc->src_lo, mc->src_n, mc->step, mc->name);
        struct el_sketch *before = range_sketch(mc->dst_lo, mc->dst_n, mc->step, mc->name);
        struct el_sketch *after = range_sketch(mc->dst_lo, mc->dst_n, mc->step, mc->name);
        struct el_sketch *src_copy = range_sketch(mc->src_lo, mc->src_n, mc->step, mc->name);
        merge_ok(after, src, mc->name);

        enum el_err rc = EL_ERR_NOMEM;
        for (uint64_t nth = 1; rc == EL_ERR_NOMEM; nth++) {
            struct el_sketch *dst = range_sketch(mc->dst_lo, mc->dst_n, mc->step, mc->name);
            el_mem_fail_after(nth);
            rc = el_sketch_merge(dst, src);
            el_mem_fail_after(0);
            if (rc == EL_ERR_NOMEM)
                check_same(dst, before, mc->name); /* dst untouched */
            else if (rc == EL_OK)
                check_same(dst, after, mc->name);
            else
                fail_msg("case '%s': merge rc %s", mc->name, el_strerror(rc));
            check_same(src, src_copy, mc->name); /* src never changes */
            el_sketch_destroy(dst);
        }
        el_sketch_destroy(src);
        el_sketch_destroy(src_copy);
        el_sketch_destroy(before);
        el_sketch_destroy(after);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sketch_empty_and_bad_q),
        cmocka_unit_test(test_sketch_small_exact),
        cmocka_unit_test(test_sketch_rank_arithmetic),
        cmocka_unit_test(test_sketch_rejects_out_of_range),
        cmocka_unit_test(test_sketch_sum_saturates),
        cmocka_unit_test(test_sketch_accuracy_uniform),
        cmocka_unit_test(test_sketch_accuracy_log_uniform),
        cmocka_unit_test(test_sketch_accuracy_pareto),
        cmocka_unit_test(test_sketch_merge_equals_single_pass),
        cmocka_unit_test(test_sketch_merge_exact_pairs),
        cmocka_unit_test(test_sketch_merge_empty_and_self),
        cmocka_unit_test(test_sketch_switches_past_cap),
        cmocka_unit_test(test_sketch_bucketed_clamps_to_min_max),
        cmocka_unit_test(test_sketch_steady_state_allocates_nothing),
        cmocka_unit_test_teardown(test_sketch_create_nomem, disarm),
        cmocka_unit_test_teardown(test_sketch_add_nomem, disarm),
        cmocka_unit_test_teardown(test_sketch_merge_nomem, disarm),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

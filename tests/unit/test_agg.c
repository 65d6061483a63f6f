/* test_agg.c: the group-by aggregate: grouping, counters, ordering, merge of
 * any split equal to one pass, and the allocation budget of the hot path
 * (parse + aggregate allocates nothing for lines that hit known groups). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "analysis.h"
#include "check.h"
#include "guard.h"

static struct el_str S(const char *s)
{
    return (struct el_str){ s, strlen(s) };
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void)
{
    return check_splitmix(&rng_state);
}

static const char *const methods[] = { "GET", "POST", "PUT" };
static const char *const routes[] = { "/orders/{id}", "/orders", "/users/{uuid}/cart", "/",
                                      "/catalog/items/{hex}", "" };

static struct el_record make_record(uint64_t i)
{
    struct el_record r = { .src = EL_SRC_ALB };
    r.method = S(methods[rnd() % 3]);
    r.route = S(routes[rnd() % EL_ARRAY_LEN(routes)]);
    r.flags = EL_REC_HAS_TIME | EL_REC_HAS_STATUS | EL_REC_HAS_BYTES_IN | EL_REC_HAS_BYTES_OUT;
    r.time_us = 1773100800000000 + (int64_t)(rnd() % 86400000000ull);
    static const uint16_t st[] = { 200, 200, 200, 201, 301, 404, 429, 460, 502, 503, 504 };
    r.status = st[rnd() % EL_ARRAY_LEN(st)];
    if (r.status < 500 || rnd() % 2) {
        r.flags |= EL_REC_HAS_BACKEND_STATUS;
        r.backend_status = r.status;
    }
    if (i % 7 != 0) { /* some requests have no measured latency */
        r.flags |= EL_REC_HAS_LATENCY | EL_REC_HAS_BACKEND | EL_REC_HAS_OVERHEAD;
        r.backend_us = (int64_t)(rnd() % 3000000);
        r.overhead_us = (int64_t)(rnd() % 2000);
        r.latency_us = r.backend_us + r.overhead_us;
    }
    r.bytes_in = rnd() % 5000;
    r.bytes_out = rnd() % 50000;
    return r;
}

/* Everything a report can read from an aggregate, in a comparable form. */
static void fingerprint(const struct el_agg *a, char *out, size_t cap)
{
    size_t n = el_agg_count(a), o = 0;
    struct el_group g[64];
    assert_true(n <= 64);
    el_agg_sorted(a, g);
    for (size_t i = 0; i < n; i++) {
        o += (size_t)snprintf(out + o, cap - o, "%.*s|%.*s|%.*s|%d|%llu|", (int)g[i].key[0].n,
                              g[i].key[0].p, (int)g[i].key[1].n, g[i].key[1].p,
                              (int)g[i].key[2].n, g[i].key[2].p, g[i].is_other,
                              (unsigned long long)g[i].requests);
        for (int k = 0; k < 6; k++)
            o += (size_t)snprintf(out + o, cap - o, "%llu,", (unsigned long long)g[i].status_class[k]);
        for (int k = 0; k < EL_EC_COUNT; k++)
            o += (size_t)snprintf(out + o, cap - o, "%llu,", (unsigned long long)g[i].error_class[k]);
        o += (size_t)snprintf(out + o, cap - o, "|%llu|%llu|%lld|%lld|",
                              (unsigned long long)g[i].bytes_in,
                              (unsigned long long)g[i].bytes_out, (long long)g[i].first_us,
                              (long long)g[i].last_us);
        const struct el_sketch *sk[] = { g[i].latency, g[i].backend, g[i].overhead };
        for (int s = 0; s < 3; s++) {
            o += (size_t)snprintf(out + o, cap - o, "%llu:%lld:", (unsigned long long)el_sketch_count(sk[s]),
                                  (long long)el_sketch_sum(sk[s]));
            for (int q = 0; q <= 100; q += 5) {
                int64_t v = -1;
                el_sketch_quantile(sk[s], q / 100.0, &v);
                o += (size_t)snprintf(out + o, cap - o, "%lld,", (long long)v);
            }
        }
        o += (size_t)snprintf(out + o, cap - o, "\n");
        assert_true(o < cap);
    }
}

#define N_RECORDS 20000

static void test_agg_merge_equals_single_pass(void **state)
{
    (void)state;
    static struct el_record recs[N_RECORDS];
    rng_state = 42;
    for (uint64_t i = 0; i < N_RECORDS; i++)
        recs[i] = make_record(i);

    struct el_agg *one;
    assert_int_equal(el_agg_create(NULL, &one), EL_OK);
    for (size_t i = 0; i < N_RECORDS; i++)
        assert_int_equal(el_agg_add(one, &recs[i]), EL_OK);
    static char want[1 << 16], got[1 << 16];
    fingerprint(one, want, sizeof(want));

    static const size_t shard_counts[] = { 2, 3, 7, 16 };
    for (size_t si = 0; si < EL_ARRAY_LEN(shard_counts); si++) {
        size_t k = shard_counts[si];
        for (int split = 0; split < 3; split++) {
            struct el_agg *sh[16];
            for (size_t s = 0; s < k; s++)
                assert_int_equal(el_agg_create(NULL, &sh[s]), EL_OK);
            for (size_t i = 0; i < N_RECORDS; i++) {
                size_t s = split == 0   ? i * k / N_RECORDS /* contiguous ranges */
                           : split == 1 ? i % k             /* round robin */
                                        : (size_t)(rnd() % k); /* shuffled */
                assert_int_equal(el_agg_add(sh[s], &recs[i]), EL_OK);
            }
            struct el_agg *m;
            assert_int_equal(el_agg_create(NULL, &m), EL_OK);
            for (size_t s = k; s-- > 0;) /* merge in reverse order for good measure */
                assert_int_equal(el_agg_merge(m, sh[s]), EL_OK);
            fingerprint(m, got, sizeof(got));
            if (strcmp(want, got) != 0)
                fail_msg("%zu shards, split %d: merged state differs from one pass", k, split);
            for (size_t s = 0; s < k; s++)
                el_agg_destroy(sh[s]);
            el_agg_destroy(m);
        }
    }
    el_agg_destroy(one);
}

static void test_agg_groups_and_order(void **state)
{
    (void)state;
    struct el_agg *a;
    assert_int_equal(el_agg_create(NULL, &a), EL_OK);
    struct el_record r = { .src = EL_SRC_ALB, .flags = EL_REC_HAS_STATUS };
    const struct {
        const char *m, *route;
        uint16_t status;
        int times;
    } adds[] = {
        { "GET", "/b", 200, 2 }, { "GET", "/a", 200, 2 }, { "POST", "/a", 500, 3 },
        { "GE", "T/a", 200, 1 }, /* must not collide with GET /a */
        { "", "", 400, 1 },
    };
    for (size_t i = 0; i < EL_ARRAY_LEN(adds); i++) {
        r.method = S(adds[i].m);
        r.route = S(adds[i].route);
        r.status = adds[i].status;
        for (int k = 0; k < adds[i].times; k++)
            assert_int_equal(el_agg_add(a, &r), EL_OK);
    }
    /* absent method and route are NULL views: same group as "" and "" */
    r.method = (struct el_str){ 0 };
    r.route = (struct el_str){ 0 };
    r.status = 400;
    assert_int_equal(el_agg_add(a, &r), EL_OK);
    assert_int_equal(el_agg_add(a, &r), EL_OK);
    assert_int_equal(el_agg_count(a), 5);
    struct el_group g[5];
    el_agg_sorted(a, g);
    /* requests descending, then key bytewise */
    const char *want[][2] = { { "", "" }, { "POST", "/a" }, { "GET", "/a" }, { "GET", "/b" },
                              { "GE", "T/a" } };
    for (size_t i = 0; i < 5; i++) {
        if (!el_str_eq(g[i].key[0], "alb") || !el_str_eq(g[i].key[1], want[i][0]) ||
            !el_str_eq(g[i].key[2], want[i][1]))
            fail_msg("row %zu: got '%.*s %.*s'", i, (int)g[i].key[1].n, g[i].key[1].p,
                     (int)g[i].key[2].n, g[i].key[2].p);
    }
    assert_int_equal(g[1].status_class[5], 3);
    assert_int_equal(g[1].error_class[EL_EC_FRONTEND_5XX], 3);
    assert_int_equal(g[0].requests, 3);
    assert_int_equal(g[0].status_class[4], 3);
    assert_int_equal(g[0].error_class[EL_EC_CLIENT], 3);
    assert_false(g[1].has_time);
    assert_int_equal(el_sketch_count(g[1].latency), 0);
    el_agg_destroy(a);
}

/* --by with other dimensions, a time bucket, and the group cap: records
 * with new keys past the cap land in "(other)", which sorts last, and
 * nothing is lost from the totals. */
static void test_agg_by_dims_and_cap(void **state)
{
    (void)state;
    struct el_agg_opts o = { 0 };
    char err[200];
    assert_int_equal(el_agg_parse_by("status_class,5m,host", &o, err, sizeof(err)), EL_OK);
    assert_int_equal(o.ndims, 3);
    assert_int_equal(o.dims[0], EL_DIM_STATUS_CLASS);
    assert_int_equal(o.dims[1], EL_DIM_TIME);
    assert_int_equal(o.bucket_us, 300000000);
    o.max_groups = 3;
    struct el_agg *a;
    assert_int_equal(el_agg_create(&o, &a), EL_OK);
    static const struct {
        uint16_t status;
        int64_t t_s; /* seconds after 2026-03-10T10:00:00Z */
        const char *host;
    } adds[] = {
        { 200, 0, "a.example" },   { 204, 299, "a.example" }, /* same group: 2xx, 10:00 */
        { 200, 300, "a.example" },                            /* 10:05 bucket */
        { 503, 10, "a.example" },                             /* 5xx: third group, cap hit next */
        { 404, 10, "a.example" },  { 200, 10, "b.example" },  /* both to (other) */
        { 200, 1, "a.example" },                              /* existing key still counts */
    };
    for (size_t i = 0; i < EL_ARRAY_LEN(adds); i++) {
        struct el_record r = { .src = EL_SRC_ALB,
                               .flags = EL_REC_HAS_STATUS | EL_REC_HAS_TIME,
                               .status = adds[i].status,
                               .time_us = (1773136800LL + adds[i].t_s) * 1000000,
                               .host = S(adds[i].host) };
        assert_int_equal(el_agg_add(a, &r), EL_OK);
    }
    assert_int_equal(el_agg_count(a), 4);
    assert_int_equal(el_agg_other(a), 2);
    struct el_group g[4];
    el_agg_sorted(a, g);
    assert_true(el_str_eq(g[0].key[0], "2xx"));
    assert_true(el_str_eq(g[0].key[1], "2026-03-10T10:00:00.000000Z"));
    assert_true(el_str_eq(g[0].key[2], "a.example"));
    assert_int_equal(g[0].requests, 3);
    assert_true(el_str_eq(g[1].key[0], "2xx"));
    assert_true(el_str_eq(g[1].key[1], "2026-03-10T10:05:00.000000Z"));
    assert_true(el_str_eq(g[2].key[0], "5xx"));
    assert_true(g[3].is_other);
    assert_true(el_str_eq(g[3].key[2], "(other)"));
    assert_int_equal(g[3].requests, 2);
    assert_int_equal(g[3].status_class[4] + g[3].status_class[2], 2);

    /* merging into a different grouping is refused */
    struct el_agg *b;
    assert_int_equal(el_agg_create(NULL, &b), EL_OK);
    assert_int_equal(el_agg_merge(b, a), EL_ERR_USAGE);
    el_agg_destroy(b);
    el_agg_destroy(a);

    static const char *const bad[] = { "route,nonsense", "hour,day", "route,route", "" };
    for (size_t i = 0; i < EL_ARRAY_LEN(bad); i++) {
        struct el_agg_opts x = { 0 };
        if (el_agg_parse_by(bad[i], &x, err, sizeof(err)) != EL_ERR_USAGE)
            fail_msg("--by '%s' accepted", bad[i]);
        assert_non_null(strstr(err, "--by"));
    }
}

/* track_peak: the most requests in one second of each bucket, exact under
 * merge of any split. */
static void test_agg_peak_rps(void **state)
{
    (void)state;
    struct el_agg_opts o = { .dims = { EL_DIM_TIME }, .ndims = 1, .bucket_us = 60000000,
                             .track_peak = true };
    /* seconds after 10:00:00: three in second 5, two in second 7, one in 65 */
    static const int64_t at_ms[] = { 5000, 5100, 5999, 7000, 7500, 65000 };
    struct el_agg *one, *a, *b;
    assert_int_equal(el_agg_create(&o, &one), EL_OK);
    assert_int_equal(el_agg_create(&o, &a), EL_OK);
    assert_int_equal(el_agg_create(&o, &b), EL_OK);
    for (size_t i = 0; i < EL_ARRAY_LEN(at_ms); i++) {
        struct el_record r = { .src = EL_SRC_ALB, .flags = EL_REC_HAS_TIME,
                               .time_us = 1773136800000000LL + at_ms[i] * 1000 };
        assert_int_equal(el_agg_add(one, &r), EL_OK);
        assert_int_equal(el_agg_add(i % 2 ? a : b, &r), EL_OK);
    }
    assert_int_equal(el_agg_merge(a, b), EL_OK);
    struct el_agg *both[] = { one, a };
    for (size_t k = 0; k < 2; k++) {
        struct el_group g[2];
        assert_int_equal(el_agg_count(both[k]), 2);
        el_agg_sorted(both[k], g);
        assert_true(el_str_eq(g[0].key[0], "2026-03-10T10:00:00.000000Z"));
        assert_int_equal(g[0].requests, 5);
        assert_int_equal(g[0].peak_rps, 3);
        assert_int_equal(g[1].requests, 1);
        assert_int_equal(g[1].peak_rps, 1);
    }
    /* the state carries the per-second counts: a decoded copy gives the
     * same peaks and encodes to the same bytes */
    char *buf, *buf2;
    size_t len, len2;
    char err[200];
    struct el_agg *back;
    assert_int_equal(el_agg_encode(one, &buf, &len), EL_OK);
    assert_int_equal(el_agg_decode(buf, len, &back, err, sizeof(err)), EL_OK);
    assert_true(el_agg_tracks_peak(back));
    struct el_group gb[2];
    el_agg_sorted(back, gb);
    assert_int_equal(gb[0].peak_rps, 3);
    assert_int_equal(gb[1].peak_rps, 1);
    assert_int_equal(el_agg_encode(back, &buf2, &len2), EL_OK);
    assert_int_equal(len, len2);
    assert_memory_equal(buf, buf2, len);
    el_free(buf2);
    el_agg_destroy(back);
    el_free(buf);
    el_agg_destroy(one);
    el_agg_destroy(a);
    el_agg_destroy(b);
}

/* ALB routes (and API Gateway routes logged without their resource) move
 * onto the API's own templates they fit; nothing else moves. */
static void test_agg_align_routes(void **state)
{
    (void)state;
    static const struct {
        enum el_src src;
        const char *route;
        int n;
    } adds[] = {
        { EL_SRC_ALB, "/orders/{id}", 3 },          /* -> /orders/{orderId} */
        { EL_SRC_ALB, "/users/{uuid}/cart", 2 },    /* -> /users/{userId}/cart */
        { EL_SRC_ALB, "/users/me/cart", 1 },        /* literal beats placeholder */
        { EL_SRC_ALB, "/files/a/b", 1 },            /* -> /files/{proxy+} */
        { EL_SRC_ALB, "/health", 4 },               /* no template: stays */
        { EL_SRC_ALB, "/orders/{id}/items", 1 },    /* no template fits: stays */
        { EL_SRC_APIGW_REST, "/orders/{orderId}", 2 },
        { EL_SRC_APIGW_REST, "/orders/{id}", 1 },   /* logged without resource: moves */
        { EL_SRC_APIGW_REST, "/users/{userId}/cart", 1 },
        { EL_SRC_APIGW_REST, "/users/me/cart", 1 },
        { EL_SRC_APIGW_REST, "/files/{proxy+}", 1 },
    };
    struct el_agg *a;
    assert_int_equal(el_agg_create(NULL, &a), EL_OK);
    for (size_t i = 0; i < EL_ARRAY_LEN(adds); i++)
        for (int k = 0; k < adds[i].n; k++) {
            struct el_record r = { .src = adds[i].src, .method = S("GET"),
                                   .route = S(adds[i].route) };
            assert_int_equal(el_agg_add(a, &r), EL_OK);
        }
    size_t moved = 0;
    assert_int_equal(el_agg_align_routes(&a, &moved), EL_OK);
    assert_int_equal(moved, 4); /* 3 ALB groups and the resource-less API Gateway one */
    static const struct {
        const char *src, *route;
        uint64_t requests;
    } want[] = {
        { "alb", "/health", 4 },           { "alb", "/orders/{orderId}", 3 },
        { "apigw-rest", "/orders/{orderId}", 3 }, { "alb", "/users/{userId}/cart", 2 },
        { "alb", "/files/{proxy+}", 1 },   { "alb", "/orders/{id}/items", 1 },
        { "alb", "/users/me/cart", 1 },    { "apigw-rest", "/files/{proxy+}", 1 },
        { "apigw-rest", "/users/me/cart", 1 }, { "apigw-rest", "/users/{userId}/cart", 1 },
    };
    assert_int_equal(el_agg_count(a), EL_ARRAY_LEN(want));
    struct el_group g[EL_ARRAY_LEN(want)];
    el_agg_sorted(a, g);
    for (size_t i = 0; i < EL_ARRAY_LEN(want); i++)
        if (!el_str_eq(g[i].key[0], want[i].src) || !el_str_eq(g[i].key[2], want[i].route) ||
            g[i].requests != want[i].requests)
            fail_msg("row %zu: %.*s %.*s %llu, want %s %s %llu", i, (int)g[i].key[0].n,
                     g[i].key[0].p, (int)g[i].key[2].n, g[i].key[2].p,
                     (unsigned long long)g[i].requests, want[i].src, want[i].route,
                     (unsigned long long)want[i].requests);
    el_agg_destroy(a);
}

static struct el_agg *agg_of(enum el_src src, const char *const *names, const int *counts,
                              size_t n)
{
    struct el_agg *a;
    assert_int_equal(el_agg_create(NULL, &a), EL_OK);
    for (size_t i = 0; i < n; i++)
        for (int k = 0; k < counts[i]; k++) {
            struct el_record r = { .src = src, .method = S("GET"), .route = S(names[i]) };
            assert_int_equal(el_agg_add(a, &r), EL_OK);
        }
    return a;
}

/* compare: an ALB baseline meets the templates of an API Gateway
 * candidate held in another aggregate, in whichever order they are given;
 * alone, the ALB aggregate has no templates to move to. */
static void test_agg_align_routes_across_aggregates(void **state)
{
    (void)state;
    static const char *const alb_routes[] = { "/orders/{id}", "/users/{uuid}/cart", "/health" };
    static const int alb_n[] = { 3, 1, 2 };
    static const char *const api_routes[] = { "/orders/{orderId}", "/users/{userId}/cart" };
    static const int api_n[] = { 2, 1 };
    char want[2][8192], got[2][8192];

    struct el_agg *alone = agg_of(EL_SRC_ALB, alb_routes, alb_n, 3);
    size_t moved;
    assert_int_equal(el_agg_align_routes(&alone, &moved), EL_OK);
    assert_int_equal(moved, 0);
    el_agg_destroy(alone);

    for (int order = 0; order < 2; order++) {
        struct el_agg *alb = agg_of(EL_SRC_ALB, alb_routes, alb_n, 3);
        struct el_agg *api = agg_of(EL_SRC_APIGW_REST, api_routes, api_n, 2);
        struct el_agg *v[2] = { order ? api : alb, order ? alb : api };
        size_t changed[2];
        assert_int_equal(el_agg_align_routes_all(v, 2, changed), EL_OK);
        assert_int_equal(changed[order ? 1 : 0], 2); /* orders and cart moved */
        assert_int_equal(changed[order ? 0 : 1], 0);
        fingerprint(v[order ? 1 : 0], order ? got[0] : want[0], sizeof(want[0]));
        fingerprint(v[order ? 0 : 1], order ? got[1] : want[1], sizeof(want[1]));
        if (order == 0) {
            struct el_group g[3];
            assert_int_equal(el_agg_count(v[0]), 3);
            el_agg_sorted(v[0], g);
            assert_true(el_str_eq(g[0].key[2], "/orders/{orderId}") && g[0].requests == 3);
            assert_true(el_str_eq(g[1].key[2], "/health"));
            assert_true(el_str_eq(g[2].key[2], "/users/{userId}/cart"));
        }
        el_agg_destroy(v[0]);
        el_agg_destroy(v[1]);
    }
    assert_string_equal(want[0], got[0]);
    assert_string_equal(want[1], got[1]);
}

/* Re-keying by fewer dimensions equals aggregating by them directly:
 * counters, times and every quantile of the three sketches. */
static void test_agg_regroup_equals_direct(void **state)
{
    (void)state;
    const struct el_agg_opts by_route = { .ndims = 2, .dims = { EL_DIM_METHOD, EL_DIM_ROUTE } };
    struct el_agg *full, *direct, *re = NULL;
    assert_int_equal(el_agg_create(NULL, &full), EL_OK);
    assert_int_equal(el_agg_create(&by_route, &direct), EL_OK);
    for (uint64_t i = 0; i < 3000; i++) {
        struct el_record r = make_record(i);
        r.src = i % 3 == 0 ? EL_SRC_APIGW_REST : i % 3 == 1 ? EL_SRC_APIGW_HTTP : EL_SRC_ALB;
        assert_int_equal(el_agg_add(full, &r), EL_OK);
        assert_int_equal(el_agg_add(direct, &r), EL_OK);
    }
    assert_int_equal(el_agg_regroup(full, by_route.dims, 2, &re), EL_OK);
    static char a[1 << 16], b[1 << 16];
    fingerprint(direct, a, sizeof(a));
    fingerprint(re, b, sizeof(b));
    assert_string_equal(a, b);
    assert_true(el_agg_count(re) < el_agg_count(full));

    const enum el_dim host[] = { EL_DIM_HOST };
    struct el_agg *none = NULL;
    assert_int_equal(el_agg_regroup(full, host, 1, &none), EL_ERR_USAGE);
    assert_null(none);
    el_agg_destroy(re);
    el_agg_destroy(direct);
    el_agg_destroy(full);
}

/* The hot path end to end: after the groups exist, parsing ALB lines and
 * adding them makes no allocation at all. */
static void test_agg_parse_and_add_allocates_nothing(void **state)
{
    (void)state;
    struct el_parser *p;
    assert_int_equal(el_parser_alb.create(&p), EL_OK);
    struct el_agg *a;
    assert_int_equal(el_agg_create(NULL, &a), EL_OK);
    char line[1024];
    struct el_record rec;
    struct el_diag d;
    for (int pass = 0; pass < 2; pass++) {
        uint64_t before = el_mem_allocs();
        for (int i = 0; i < 10000; i++) {
            int n = snprintf(line, sizeof(line),
                "h2 2026-03-10T10:%02d:%02d.%06dZ app/shop-edge/4c1d2e3f4a5b6c7d 2001:db8::%x:%d - "
                "0.00%d 0.%03d 0.000 %d %d %d %d \"GET https://api.shop.example:443/orders/%d?x=%d "
                "HTTP/2.0\" \"agent \\x22%d\\x22\" - - arn:aws:elasticloadbalancing:us-east-1:"
                "111122223333:targetgroup/orders-fn/9f8e7d6c5b4a3921 \"Root=1-abc\" \"-\" \"-\" 0 "
                "2026-03-10T10:00:00.000000Z \"forward\" \"-\" \"-\" \"-\" \"-\" \"-\" \"-\" "
                "TID_%032x",
                i / 60 % 60, i % 60, i, i, 1024 + i, i % 10, i % 1000, i % 3 ? 200 : 502,
                i % 3 ? 200 : 500, 100 + i, 2000 + i, i * 7, i, i, (unsigned)i);
            assert_true(n > 0 && n < (int)sizeof(line));
            assert_int_equal(el_parser_alb.parse(p, line, (size_t)n, &rec, &d), EL_OK);
            assert_int_equal(el_agg_add(a, &rec), EL_OK);
        }
        /* pass 0 warms up: creates the group and grows the sketches */
        if (pass == 1 && el_mem_allocs() != before)
            fail_msg("%llu allocations for 10,000 lines of known groups",
                     (unsigned long long)(el_mem_allocs() - before));
    }
    el_agg_destroy(a);
    el_parser_alb.destroy(p);
}

/* Parses one line from a guard page (a read past it faults), hands every
 * record the parser gives out (at once, or drained for multi-line formats)
 * to the aggregate. */
static void feed(const struct el_parser_ops *ops, struct el_parser *p, struct el_agg *a,
                 const char *line, int n)
{
    struct el_record rec;
    struct el_diag d = { 0 };
    assert_true(n > 0);
    enum el_err rc = ops->parse(p, guard_copy(line, (size_t)n), (size_t)n, &rec, &d);
    if (rc == EL_OK)
        assert_int_equal(el_agg_add(a, &rec), EL_OK);
    else
        assert_int_equal(rc, EL_PENDING);
    while (ops->drain && (rc = ops->drain(p, &rec, &d)) == EL_OK)
        assert_int_equal(el_agg_add(a, &rec), EL_OK);
}

/* The lines of execution-log request k (a GET of /v1/orders/{id}), line j
 * of NEXEC; two requests are written interleaved, as API Gateway does. */
#define NEXEC 9
static int exec_line(char *b, size_t cap, int k, int j)
{
    char id[40];
    snprintf(id, sizeof(id), "%08x-1b4d-4c8e-9f00-%012x", (unsigned)k * 2654435761u, (unsigned)k);
    const char *ts = j < 5 ? "2026-03-10T10:00:00.042Z" : "2026-03-10T10:00:00.061Z";
    switch (j) {
    case 0: return snprintf(b, cap, "%s (%s) Extended Request Id: X%dx=", ts, id, k);
    case 1:
        return snprintf(b, cap, "%s (%s) Verifying Usage Plan for request: %s. API Key:  API "
                        "Stage: k7q2m9x4ab/prod", ts, id, id);
    case 2: return snprintf(b, cap, "%s (%s) Starting execution for request: %s", ts, id, id);
    case 3:
        return snprintf(b, cap, "%s (%s) HTTP Method: GET, Resource Path: /v1/orders/%d", ts, id,
                        k % 5000);
    case 4: return snprintf(b, cap, "%s (%s) Method request path: {orderId=%d}", ts, id, k % 5000);
    case 5:
        return snprintf(b, cap, "%s (%s) Received response. Status: 200, Integration latency: "
                        "%d ms", ts, id, 5 + k % 600);
    case 6:
        return snprintf(b, cap, "%s (%s) Endpoint response body before transformations: "
                        "{\"statusCode\":%d}", ts, id, k % 7 ? 200 : 502);
    case 7:
        return snprintf(b, cap, "%s (%s) Method completed with status: %d", ts, id,
                        k % 7 ? 200 : 502);
    default: return snprintf(b, cap, "%s (%s) X-ray Tracing ID : 1-69af5f00-%024x", ts, id, k);
    }
}

/* A REST (JSON preset) or HTTP API access-log line for request k. Every
 * value repeats with a period dividing 6,000, so the second pass of the
 * test below brings no value its first pass had not seen. */
static int access_line(char *b, size_t cap, int k)
{
    if (k % 2)
        return snprintf(b, cap,
            "{\"requestId\":\"%08x-e20a-4262-84ed-%012x\",\"ip\":\"103.53.116.%d\","
            "\"requestTime\":\"10/Mar/2026:00:00:00 +0000\",\"requestTimeEpoch\":%lld,"
            "\"httpMethod\":\"GET\",\"resourcePath\":\"/v1/products/{id}\",\"path\":"
            "\"/prod/v1/products/%d\",\"status\":\"%d\",\"protocol\":\"HTTP/1.1\","
            "\"responseLength\":\"%d\",\"responseLatency\":\"%d\",\"integrationLatency\":"
            "\"%d\",\"integrationStatus\":\"200\",\"integration.status\":\"200\","
            "\"error.responseType\":\"-\",\"userAgent\":\"ShopApp/5.8.2 (iOS \\\"18\\\")\","
            "\"xrayTraceId\":\"1-69af5f00-%024x\"}",
            (unsigned)k * 2654435761u, (unsigned)k, k % 250, 1773100800214LL + k, k % 3000,
            k % 8 ? 200 : 404, 100 + k % 900, 20 + k % 400, 18 + k % 400 - k % 5, (unsigned)k);
    return snprintf(b, cap,
        "{\"requestId\":\"%dWl4Y9j8X9Ic6h=\",\"ip\":\"86.22.82.%d\",\"requestTime\":"
        "\"10/Mar/2026:00:00:00 +0000\",\"requestTimeEpoch\":%lld,\"httpMethod\":\"GET\","
        "\"routeKey\":\"$default\",\"path\":\"/v1/inventory/%d\",\"stage\":\"$default\","
        "\"status\":\"%d\",\"protocol\":\"HTTP/1.1\",\"responseLength\":\"472\","
        "\"responseLatency\":\"%d\",\"integrationLatency\":\"%d\",\"integrationStatus\":"
        "\"200\",\"error.message\":\"-\",\"userAgent\":\"okhttp/4.12.0\"}",
        k, k % 250, 1773100800188LL + k, k % 3000, k % 10 ? 200 : 500, 26 + k % 500,
        25 + k % 500 - k % 4);
}

/* The same for API Gateway: after a warm-up pass (groups created, sketches
 * grown, for execution logs the pool of open requests at its steady size),
 * a second pass over new requests of the same shape allocates nothing. The
 * execution-log parser keeps requests open until their trailing lines have
 * had time to arrive, so its warm-up is long enough to reach that state. */
static void test_agg_apigw_parse_and_add_allocates_nothing(void **state)
{
    (void)state;
    const struct el_parser_ops *ops[2] = { &el_parser_apigw_exec, &el_parser_apigw_access };
    for (size_t f = 0; f < 2; f++) {
        struct el_parser *p;
        struct el_agg *a;
        assert_int_equal(ops[f]->create(&p), EL_OK);
        assert_int_equal(el_agg_create(NULL, &a), EL_OK);
        char line[2048];
        for (int pass = 0; pass < 2; pass++) {
            uint64_t before = el_mem_allocs();
            int first = pass * 6000, last = first + 6000;
            for (int k = first; k < last; k += 2) {
                if (f == 0) {
                    for (int j = 0; j < NEXEC; j++) {
                        feed(ops[f], p, a, line, exec_line(line, sizeof(line), k, j));
                        feed(ops[f], p, a, line, exec_line(line, sizeof(line), k + 1, j));
                    }
                } else {
                    feed(ops[f], p, a, line, access_line(line, sizeof(line), k));
                    feed(ops[f], p, a, line, access_line(line, sizeof(line), k + 1));
                }
            }
            if (pass == 1 && el_mem_allocs() != before)
                fail_msg("%s: %llu allocations for 6,000 requests of known groups",
                         ops[f]->name, (unsigned long long)(el_mem_allocs() - before));
        }
        uint64_t n = 0;
        size_t ng = el_agg_count(a);
        struct el_group *g = test_malloc(ng * sizeof(*g));
        el_agg_sorted(a, g);
        for (size_t i = 0; i < ng; i++)
            n += g[i].requests;
        test_free(g);
        /* every request of both passes became a record (exec: all but the
         * ones still lingering for their trailing lines) */
        assert_true(f == 0 ? n > 11000 && n <= 12000 : n == 12000);
        el_agg_destroy(a);
        ops[f]->destroy(p);
    }
}

static void test_agg_nomem_is_clean(void **state)
{
    (void)state;
    /* Fail each allocation in turn: every failure must surface as an error
     * (never a crash or a silent miscount) and leave nothing leaked. */
    for (uint64_t n = 1; n < 40; n++) {
        struct el_agg *a = NULL;
        el_mem_fail_after(n);
        enum el_err rc = el_agg_create(NULL, &a);
        if (rc == EL_OK) {
            struct el_record r = { .src = EL_SRC_ALB, .method = S("GET"),
                                   .flags = EL_REC_HAS_LATENCY, .latency_us = 5 };
            for (int i = 0; i < 100 && rc == EL_OK; i++) {
                char route[16];
                snprintf(route, sizeof(route), "/r%d", i);
                r.route = S(route);
                rc = el_agg_add(a, &r);
            }
        }
        el_mem_fail_after(0);
        assert_true(rc == EL_OK || rc == EL_ERR_NOMEM);
        el_agg_destroy(a);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_agg_merge_equals_single_pass),
        cmocka_unit_test(test_agg_groups_and_order),
        cmocka_unit_test(test_agg_by_dims_and_cap),
        cmocka_unit_test(test_agg_peak_rps),
        cmocka_unit_test(test_agg_align_routes),
        cmocka_unit_test(test_agg_align_routes_across_aggregates),
        cmocka_unit_test(test_agg_regroup_equals_direct),
        cmocka_unit_test(test_agg_parse_and_add_allocates_nothing),
        cmocka_unit_test(test_agg_apigw_parse_and_add_allocates_nothing),
        cmocka_unit_test(test_agg_nomem_is_clean),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_migrate.c: unit tests for the migration-risk table (analysis/migrate.c).
 *
 * el_risks_of is pinned per risk at its boundaries (exactly at a limit is
 * not over it), by direction (ALB records never get API Gateway feature
 * risks and the reverse), and the table by its rows: order, the "(other)"
 * cap, merge of random splits equal to one pass, and every allocation
 * failing in turn. Records are built here; no parser runs.
 */
#include "migrate.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "check.h"

#define S(lit) ((struct el_str){ (lit), sizeof(lit) - 1 })
#define B(k) (1u << (k))
#define MIB UINT64_C(1048576)

static struct el_record alb(void)
{
    return (struct el_record){ .src = EL_SRC_ALB, .type = S("https"), .method = S("GET"),
                               .route = S("/orders/{id}") };
}

static struct el_record apigw(enum el_src src)
{
    return (struct el_record){ .src = src, .method = S("GET"), .route = S("/orders/{orderId}") };
}

static struct el_record with_backend(struct el_record r, int64_t us)
{
    r.flags |= EL_REC_HAS_BACKEND;
    r.backend_us = us;
    return r;
}

static struct el_record with_bytes(struct el_record r, bool in, uint64_t n)
{
    if (in) {
        r.flags |= EL_REC_HAS_BYTES_IN;
        r.bytes_in = n;
    } else {
        r.flags |= EL_REC_HAS_BYTES_OUT;
        r.bytes_out = n;
    }
    return r;
}

static struct el_record with_type(struct el_record r, struct el_str t)
{
    r.type = t;
    return r;
}

static struct el_record with_target(struct el_record r, struct el_str t)
{
    r.target = t;
    return r;
}

static struct el_record with_reason(struct el_record r, struct el_str e)
{
    r.flags |= EL_REC_HAS_STATUS;
    r.status = 502;
    r.error_reason = e;
    return r;
}

static struct el_record with_features(struct el_record r, uint32_t f)
{
    r.features = f;
    return r;
}

/* ---- el_risks_of ------------------------------------------------------------------ */

struct risk_case {
    const char *name;
    struct el_record rec;
    uint32_t want;
};

static void test_migrate_risks_of(void **state)
{
    (void)state;
    const uint32_t feats = EL_FEAT_API_KEY | EL_FEAT_USAGE_PLAN | EL_FEAT_AUTHORIZER |
                           EL_FEAT_THROTTLED | EL_FEAT_VALIDATION | EL_FEAT_MAPPING |
                           EL_FEAT_CACHE;
    const struct risk_case cases[] = {
        { "plain ALB record", alb(), 0 },
        { "no backend time: nothing", with_backend(alb(), 0), 0 },
        { "exactly 29 s is not over", with_backend(alb(), 29000000), 0 },
        { "29,000,001 us is over REST", with_backend(alb(), 29000001), B(EL_RISK_TIMEOUT_REST) },
        { "exactly 30 s: REST only", with_backend(alb(), 30000000), B(EL_RISK_TIMEOUT_REST) },
        { "30,000,001 us: REST and HTTP", with_backend(alb(), 30000001),
          B(EL_RISK_TIMEOUT_REST) | B(EL_RISK_TIMEOUT_HTTP) },
        { "a big backend value without its flag is absent",
          (struct el_record){ .src = EL_SRC_ALB, .backend_us = 60000000 }, 0 },
        { "request exactly 10 MiB is not over", with_bytes(alb(), true, 10 * MIB), 0 },
        { "request 10 MiB + 1", with_bytes(alb(), true, 10 * MIB + 1), B(EL_RISK_PAYLOAD_10MB) },
        { "response 10 MiB + 1", with_bytes(alb(), false, 10 * MIB + 1),
          B(EL_RISK_PAYLOAD_10MB) },
        { "2 MiB on ALB: no ALB-bound risk", with_bytes(alb(), false, 2 * MIB), 0 },
        { "ws", with_type(alb(), S("ws")), B(EL_RISK_WEBSOCKET) },
        { "wss", with_type(alb(), S("wss")), B(EL_RISK_WEBSOCKET) },
        { "wss connection: its long time and big bytes are the connection's",
          with_bytes(with_backend(with_type(alb(), S("wss")), 600000000), false, 50 * MIB),
          B(EL_RISK_WEBSOCKET) },
        { "h2 and grpcs are not WebSockets", with_type(alb(), S("h2")), 0 },
        { "ip:port target", with_target(alb(), S("10.0.5.10:8080")), B(EL_RISK_NON_LAMBDA) },
        { "IPv6 target", with_target(alb(), S("2001:db8::10:443")), B(EL_RISK_NON_LAMBDA) },
        { "LambdaRequestTooLarge", with_reason(alb(), S("LambdaRequestTooLarge")),
          B(EL_RISK_ALB_LIMIT_HIT) },
        { "LambdaResponseTooLarge", with_reason(alb(), S("LambdaResponseTooLarge")),
          B(EL_RISK_ALB_LIMIT_HIT) },
        { "other Lambda reasons: nothing", with_reason(alb(), S("LambdaUnhandled")), 0 },
        { "ALB record never maps features", with_features(alb(), feats), 0 },
        { "API Gateway: response exactly 1 MiB is not over",
          with_bytes(apigw(EL_SRC_APIGW_REST), false, MIB), 0 },
        { "API Gateway: response 1 MiB + 1",
          with_bytes(apigw(EL_SRC_APIGW_HTTP), false, MIB + 1), B(EL_RISK_ALB_1MB) },
        { "API Gateway: request 1 MiB + 1", with_bytes(apigw(EL_SRC_APIGW_REST), true, MIB + 1),
          B(EL_RISK_ALB_1MB) },
        { "API Gateway never gets ALB-side risks",
          with_reason(with_target(with_type(with_bytes(with_backend(apigw(EL_SRC_APIGW_REST),
                                                                    40000000),
                                                       false, 11 * MIB),
                                            S("wss")),
                                  S("10.0.0.1:80")),
                      S("LambdaRequestTooLarge")),
          B(EL_RISK_ALB_1MB) },
        { "api_key", with_features(apigw(EL_SRC_APIGW_REST), EL_FEAT_API_KEY),
          B(EL_RISK_API_KEY) },
        { "usage_plan", with_features(apigw(EL_SRC_APIGW_REST), EL_FEAT_USAGE_PLAN),
          B(EL_RISK_USAGE_PLAN) },
        { "authorizer", with_features(apigw(EL_SRC_APIGW_HTTP), EL_FEAT_AUTHORIZER),
          B(EL_RISK_AUTHORIZER) },
        { "throttled", with_features(apigw(EL_SRC_APIGW_HTTP), EL_FEAT_THROTTLED),
          B(EL_RISK_THROTTLING) },
        { "validation", with_features(apigw(EL_SRC_APIGW_REST), EL_FEAT_VALIDATION),
          B(EL_RISK_VALIDATION) },
        { "mapping", with_features(apigw(EL_SRC_APIGW_REST), EL_FEAT_MAPPING),
          B(EL_RISK_MAPPING) },
        { "cache", with_features(apigw(EL_SRC_APIGW_REST), EL_FEAT_CACHE), B(EL_RISK_CACHE) },
        { "every feature", with_features(apigw(EL_SRC_APIGW_REST), feats),
          B(EL_RISK_API_KEY) | B(EL_RISK_USAGE_PLAN) | B(EL_RISK_AUTHORIZER) |
              B(EL_RISK_THROTTLING) | B(EL_RISK_VALIDATION) | B(EL_RISK_MAPPING) |
              B(EL_RISK_CACHE) },
        { "unknown source: nothing",
          with_features((struct el_record){ .src = EL_SRC_UNKNOWN, .target = S("1.2.3.4:80") },
                        feats),
          0 },
    };
    size_t failed = 0;
    for (size_t i = 0; i < EL_ARRAY_LEN(cases); i++) {
        uint32_t got = el_risks_of(&cases[i].rec);
        if (got != cases[i].want) {
            print_error("case '%s': risks 0x%x, want 0x%x\n", cases[i].name, got, cases[i].want);
            failed++;
        }
        /* the direction contract, whatever the row says */
        for (unsigned k = 0; k < EL_RISK_COUNT; k++) {
            if (!(got & B(k)))
                continue;
            bool to_apigw = strcmp(el_risk_direction((enum el_risk)k), "alb-to-apigw") == 0;
            bool from_alb = cases[i].rec.src == EL_SRC_ALB;
            if (from_alb != (to_apigw || k == EL_RISK_ALB_LIMIT_HIT)) {
                print_error("case '%s': risk %s from the wrong side\n", cases[i].name,
                            el_risk_name((enum el_risk)k));
                failed++;
            }
        }
    }
    if (failed)
        fail_msg("%zu of %zu risk cases failed (see above)", failed, EL_ARRAY_LEN(cases));
}

/* Names are unique snake_case, every risk has a direction and advice, and
 * the blockers are the hard limits. */
static void test_migrate_names(void **state)
{
    (void)state;
    for (unsigned k = 0; k < EL_RISK_COUNT; k++) {
        const char *n = el_risk_name((enum el_risk)k);
        assert_true(n[0] != '\0');
        for (const char *c = n; *c; c++)
            assert_true((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_');
        for (unsigned j = 0; j < k; j++)
            assert_string_not_equal(n, el_risk_name((enum el_risk)j));
        const char *d = el_risk_direction((enum el_risk)k);
        assert_true(strcmp(d, "alb-to-apigw") == 0 || strcmp(d, "apigw-to-alb") == 0);
        assert_true(strlen(el_risk_advice((enum el_risk)k)) > 20);
    }
    assert_string_equal(el_risk_name(EL_RISK_TIMEOUT_REST), "integration_over_29s");
    assert_string_equal(el_risk_direction(EL_RISK_NON_LAMBDA), "alb-to-apigw");
    assert_string_equal(el_risk_direction(EL_RISK_ALB_LIMIT_HIT), "apigw-to-alb");
    assert_string_equal(el_risk_direction(EL_RISK_CACHE), "apigw-to-alb");
    static const enum el_risk blockers[] = { EL_RISK_TIMEOUT_REST, EL_RISK_TIMEOUT_HTTP,
                                             EL_RISK_PAYLOAD_10MB, EL_RISK_WEBSOCKET,
                                             EL_RISK_ALB_1MB, EL_RISK_ALB_LIMIT_HIT };
    unsigned nb = 0;
    for (unsigned k = 0; k < EL_RISK_COUNT; k++)
        nb += el_risk_is_blocker((enum el_risk)k);
    assert_int_equal(nb, EL_ARRAY_LEN(blockers));
    for (size_t i = 0; i < EL_ARRAY_LEN(blockers); i++)
        assert_true(el_risk_is_blocker(blockers[i]));
    assert_string_equal(el_risk_name(EL_RISK_COUNT), "unknown");
    assert_string_equal(el_risk_direction(EL_RISK_COUNT), "");
    assert_false(el_risk_is_blocker(EL_RISK_COUNT));
}

/* ---- the table ---------------------------------------------------------------------- */

static struct el_record timed(struct el_record r, int64_t t)
{
    r.flags |= EL_REC_HAS_TIME;
    r.time_us = t;
    return r;
}

static enum el_err add(struct el_migrate *m, struct el_record r)
{
    return el_migrate_add(m, &r);
}

static bool str_is(struct el_str s, const char *lit)
{
    return s.n == strlen(lit) && (s.n == 0 || memcmp(s.p, lit, s.n) == 0);
}

static void test_migrate_rows_and_order(void **state)
{
    (void)state;
    struct el_migrate *m = NULL;
    assert_int_equal(el_migrate_create(0, &m), EL_OK);
    struct el_record slow = with_target(with_backend(alb(), 31000000), S("10.0.0.7:8080"));
    struct el_record other_route = slow;
    other_route.route = S("/reports");
    struct el_record keyed = with_features(apigw(EL_SRC_APIGW_REST), EL_FEAT_API_KEY);
    struct el_record no_route = with_type(alb(), S("wss"));
    no_route.route = (struct el_str){ 0 };
    no_route.method = (struct el_str){ 0 };

    uint64_t before = el_mem_allocs();
    assert_int_equal(add(m, alb()), EL_OK); /* no risk */
    assert_int_equal(el_mem_allocs(), before);

    assert_int_equal(add(m, (struct el_record){ 0 }), EL_OK);
    assert_int_equal(el_migrate_add(m, &slow), EL_OK);
    assert_int_equal(add(m, timed(slow, 500)), EL_OK);
    assert_int_equal(add(m, timed(slow, 200)), EL_OK);
    assert_int_equal(el_migrate_add(m, &other_route), EL_OK);
    assert_int_equal(add(m, timed(keyed, 900)), EL_OK);
    assert_int_equal(el_migrate_add(m, &no_route), EL_OK);
    before = el_mem_allocs();
    assert_int_equal(add(m, timed(slow, 100)), EL_OK); /* known key: no alloc */
    assert_int_equal(el_mem_allocs(), before);

    struct el_risk_row *rows;
    size_t n;
    assert_int_equal(el_migrate_rows(m, &rows, &n), EL_OK);
    /* slow: REST, HTTP, non_lambda (x2 routes) + wss + api_key */
    struct {
        enum el_risk risk;
        const char *route;
        uint64_t count;
        bool has_time;
        int64_t first;
    } want[] = {
        { EL_RISK_TIMEOUT_REST, "/orders/{id}", 4, true, 100 },
        { EL_RISK_TIMEOUT_REST, "/reports", 1, false, 0 },
        { EL_RISK_TIMEOUT_HTTP, "/orders/{id}", 4, true, 100 },
        { EL_RISK_TIMEOUT_HTTP, "/reports", 1, false, 0 },
        { EL_RISK_WEBSOCKET, "", 1, false, 0 },
        { EL_RISK_NON_LAMBDA, "/orders/{id}", 4, true, 100 },
        { EL_RISK_NON_LAMBDA, "/reports", 1, false, 0 },
        { EL_RISK_API_KEY, "/orders/{orderId}", 1, true, 900 },
    };
    assert_int_equal(n, EL_ARRAY_LEN(want));
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(rows[i].risk, want[i].risk);
        assert_true(str_is(rows[i].route, want[i].route));
        assert_int_equal(rows[i].count, want[i].count);
        assert_int_equal(rows[i].has_time, want[i].has_time);
        if (want[i].has_time)
            assert_int_equal(rows[i].first_us, want[i].first);
        assert_false(rows[i].is_other);
    }
    assert_true(str_is(rows[0].source, "alb"));
    assert_true(str_is(rows[0].method, "GET"));
    assert_true(str_is(rows[4].method, ""));
    assert_true(str_is(rows[7].source, "apigw-rest"));
    assert_int_equal(el_migrate_total(m, EL_RISK_TIMEOUT_REST), 5);
    assert_int_equal(el_migrate_total(m, EL_RISK_CACHE), 0);
    assert_int_equal(el_migrate_total(m, EL_RISK_COUNT), 0);
    el_free(rows);
    el_migrate_destroy(m);

    /* an empty table has no rows and allocates none */
    assert_int_equal(el_migrate_create(0, &m), EL_OK);
    rows = (struct el_risk_row *)1;
    assert_int_equal(el_migrate_rows(m, &rows, &n), EL_OK);
    assert_null(rows);
    assert_int_equal(n, 0);
    el_migrate_destroy(m);
    el_migrate_destroy(NULL);
}

static void test_migrate_cap_other(void **state)
{
    (void)state;
    struct el_migrate *m = NULL;
    assert_int_equal(el_migrate_create(2, &m), EL_OK);
    static const char *const routes[] = { "/a", "/b", "/c", "/d", "/a", "/c" };
    for (size_t i = 0; i < EL_ARRAY_LEN(routes); i++) {
        struct el_record r = timed(with_type(alb(), S("ws")), (int64_t)(1000 - i));
        r.route = (struct el_str){ routes[i], strlen(routes[i]) };
        assert_int_equal(el_migrate_add(m, &r), EL_OK);
    }
    struct el_risk_row *rows;
    size_t n;
    assert_int_equal(el_migrate_rows(m, &rows, &n), EL_OK);
    assert_int_equal(n, 3);
    assert_true(str_is(rows[0].route, "/a"));
    assert_int_equal(rows[0].count, 2);
    assert_true(str_is(rows[1].route, "/b"));
    assert_int_equal(rows[1].count, 1);
    assert_true(rows[2].is_other); /* last in its risk, though it counts most */
    assert_int_equal(rows[2].count, 3);
    assert_int_equal(rows[2].first_us, 1000 - 5);
    assert_int_equal(rows[2].source.n + rows[2].method.n + rows[2].route.n, 0);
    assert_int_equal(el_migrate_total(m, EL_RISK_WEBSOCKET), 6);
    el_free(rows);
    el_migrate_destroy(m);
}

/* ---- merge --------------------------------------------------------------------------- */

#define NREC 3000

static const char *const gen_routes[] = { "/orders/{id}", "/orders", "/reports/{id}", "",
                                          "/files/{proxy+}", "/health", "/users/{uuid}/cart" };
static const char *const gen_methods[] = { "GET", "POST", "" };

/* A deterministic mixed stream: ALB and API Gateway records, most with a
 * risk, some without a time. */
static void gen(struct el_record *recs, size_t n, uint64_t seed)
{
    static const enum el_src srcs[] = { EL_SRC_ALB, EL_SRC_APIGW_REST, EL_SRC_APIGW_HTTP };
    static const char *const types[] = { "https", "http", "ws", "wss", "h2" };
    for (size_t i = 0; i < n; i++) {
        uint64_t v = check_splitmix(&seed);
        struct el_record r = { .src = srcs[v % 3] };
        const char *route = gen_routes[(v >> 4) % EL_ARRAY_LEN(gen_routes)];
        const char *method = gen_methods[(v >> 8) % EL_ARRAY_LEN(gen_methods)];
        r.route = (struct el_str){ route, strlen(route) };
        r.method = (struct el_str){ method, strlen(method) };
        if ((v >> 10) % 5) {
            r.flags |= EL_REC_HAS_TIME;
            r.time_us = (int64_t)((v >> 13) % 100000);
        }
        uint64_t w = check_splitmix(&seed);
        if (r.src == EL_SRC_ALB) {
            const char *t = types[w % EL_ARRAY_LEN(types)];
            r.type = (struct el_str){ t, strlen(t) };
            r = with_backend(r, (int64_t)((w >> 4) % 40000000));
            if ((w >> 30) % 3 == 0)
                r.target = S("10.1.2.3:443");
            if ((w >> 32) % 7 == 0)
                r = with_bytes(r, true, 9 * MIB + (w >> 36) % (3 * MIB));
        } else {
            r.features = (uint32_t)((w >> 4) & 0x7f) & (uint32_t)((w >> 11) & 0x7f);
            if ((w >> 20) % 4 == 0)
                r = with_bytes(r, false, MIB - 4 + (w >> 24) % 8);
        }
        recs[i] = r;
    }
}

static bool row_eq(const struct el_risk_row *a, const struct el_risk_row *b)
{
    return el_str_cmp(a->source, b->source) == 0 && el_str_cmp(a->method, b->method) == 0 &&
           el_str_cmp(a->route, b->route) == 0 && a->risk == b->risk && a->count == b->count &&
           a->has_time == b->has_time && (!a->has_time || a->first_us == b->first_us) &&
           a->is_other == b->is_other;
}

static void expect_same_rows(const struct el_migrate *x, const struct el_migrate *y,
                             const char *what)
{
    struct el_risk_row *a, *b;
    size_t na, nb;
    assert_int_equal(el_migrate_rows(x, &a, &na), EL_OK);
    assert_int_equal(el_migrate_rows(y, &b, &nb), EL_OK);
    if (na != nb)
        fail_msg("%s: %zu rows, want %zu", what, nb, na);
    for (size_t i = 0; i < na; i++)
        if (!row_eq(&a[i], &b[i]))
            fail_msg("%s: row %zu differs (%s)", what, i, el_risk_name(a[i].risk));
    for (unsigned k = 0; k < EL_RISK_COUNT; k++)
        assert_int_equal(el_migrate_total(x, (enum el_risk)k),
                         el_migrate_total(y, (enum el_risk)k));
    el_free(a);
    el_free(b);
}

/* One pass over the records, against the same records dealt into 1..5 parts
 * at random, each part fed in reverse, merged in random order. */
static void test_migrate_merge_equals_one_pass(void **state)
{
    (void)state;
    static struct el_record recs[NREC];
    gen(recs, NREC, 42);
    struct el_migrate *one = NULL;
    assert_int_equal(el_migrate_create(0, &one), EL_OK);
    for (size_t i = 0; i < NREC; i++)
        assert_int_equal(el_migrate_add(one, &recs[i]), EL_OK);
    assert_true(el_migrate_total(one, EL_RISK_ALB_1MB) > 0);
    assert_true(el_migrate_total(one, EL_RISK_PAYLOAD_10MB) > 0);

    uint64_t seed = 7;
    for (int round = 0; round < 20; round++) {
        size_t parts = 1 + check_splitmix(&seed) % 5;
        struct el_migrate *p[5] = { 0 };
        for (size_t j = 0; j < parts; j++)
            assert_int_equal(el_migrate_create(0, &p[j]), EL_OK);
        uint8_t where[NREC];
        for (size_t i = 0; i < NREC; i++)
            where[i] = (uint8_t)(check_splitmix(&seed) % parts);
        for (size_t i = NREC; i-- > 0;)
            assert_int_equal(el_migrate_add(p[where[i]], &recs[i]), EL_OK);
        struct el_migrate *all = NULL;
        assert_int_equal(el_migrate_create(0, &all), EL_OK);
        size_t first = check_splitmix(&seed) % parts;
        for (size_t j = 0; j < parts; j++)
            assert_int_equal(el_migrate_merge(all, p[(first + j) % parts]), EL_OK);
        char what[48];
        snprintf(what, sizeof(what), "round %d (%zu parts)", round, parts);
        expect_same_rows(one, all, what);
        el_migrate_destroy(all);
        for (size_t j = 0; j < parts; j++)
            el_migrate_destroy(p[j]);
    }
    el_migrate_destroy(one);
}

/* Every allocation fails in turn: NOMEM comes back cleanly, a record that
 * failed is not counted at all, and the table stays usable (ASan sees no
 * leak or bad access). */
static void test_migrate_nomem_walk(void **state)
{
    (void)state;
    static struct el_record recs[200];
    gen(recs, EL_ARRAY_LEN(recs), 9);
    for (uint64_t at = 1; at < 120; at++) {
        struct el_migrate *m = NULL, *src = NULL;
        el_mem_fail_after(at);
        enum el_err rc = el_migrate_create(0, &m);
        if (rc != EL_OK) {
            el_mem_fail_after(0);
            assert_int_equal(rc, EL_ERR_NOMEM);
            continue;
        }
        for (size_t i = 0; i < EL_ARRAY_LEN(recs); i++) {
            uint64_t before[EL_RISK_COUNT];
            for (unsigned k = 0; k < EL_RISK_COUNT; k++)
                before[k] = el_migrate_total(m, (enum el_risk)k);
            rc = el_migrate_add(m, &recs[i]);
            assert_true(rc == EL_OK || rc == EL_ERR_NOMEM);
            if (rc == EL_ERR_NOMEM)
                for (unsigned k = 0; k < EL_RISK_COUNT; k++)
                    assert_int_equal(el_migrate_total(m, (enum el_risk)k), before[k]);
        }
        rc = el_migrate_create(1, &src);
        if (rc == EL_OK) {
            for (size_t i = 0; i < 20; i++)
                (void)el_migrate_add(src, &recs[i]);
            rc = el_migrate_merge(m, src);
            assert_true(rc == EL_OK || rc == EL_ERR_NOMEM);
        }
        struct el_risk_row *rows = NULL;
        size_t n = 0;
        rc = el_migrate_rows(m, &rows, &n);
        assert_true(rc == EL_OK || rc == EL_ERR_NOMEM);
        if (rc != EL_OK)
            assert_null(rows);
        el_mem_fail_after(0);
        /* still consistent: rows again, now without failures, add up */
        el_free(rows);
        assert_int_equal(el_migrate_rows(m, &rows, &n), EL_OK);
        for (unsigned k = 0; k < EL_RISK_COUNT; k++) {
            uint64_t sum = 0;
            for (size_t i = 0; i < n; i++)
                if (rows[i].risk == k)
                    sum += rows[i].count;
            assert_int_equal(sum, el_migrate_total(m, (enum el_risk)k));
        }
        el_free(rows);
        el_migrate_destroy(src);
        el_migrate_destroy(m);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_migrate_risks_of),
        cmocka_unit_test(test_migrate_names),
        cmocka_unit_test(test_migrate_rows_and_order),
        cmocka_unit_test(test_migrate_cap_other),
        cmocka_unit_test(test_migrate_merge_equals_one_pass),
        cmocka_unit_test(test_migrate_nomem_walk),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_pricing.c: unit tests for the price tables and money arithmetic
 * (analysis/pricing.h).
 *
 * The vectors are AWS's own worked examples as the team's reference notes
 * quote them (shared/reference/pricing.md, section numbers beside each),
 * asserted as exact integer micros and as the cents AWS prints. Tier edges,
 * saturation, every class of bad pricing file, and allocation failures
 * inside cJSON (routed to the core/ seam by hooks this executable installs;
 * it links no other cJSON user) are pinned too.
 */
#include "pricing.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#define GIB ((uint64_t)1 << 30)

/* ---- helpers --------------------------------------------------------------- */

/* micros == want, and formats as want_text at `decimals`. */
static void check_money(const char *row, int64_t micros, int64_t want, int decimals,
                        const char *want_text)
{
    char buf[32];
    if (micros != want)
        fail_msg("%s: %lld micros, want %lld", row, (long long)micros, (long long)want);
    el_fmt_money(buf, sizeof(buf), micros, decimals);
    if (strcmp(buf, want_text) != 0)
        fail_msg("%s: formats as '%s', want '%s'", row, buf, want_text);
}

static const struct el_prices *us_east_1(void)
{
    const struct el_prices *p = el_prices_builtin("us-east-1");
    assert_non_null(p);
    return p;
}

/* One flat price per GiB, as AWS's API Gateway examples apply it. */
static struct el_dto flat_dto(int64_t micros_per_gib)
{
    return (struct el_dto){ .n = 1, .t = { { UINT64_MAX, micros_per_gib } } };
}

/* Field by field: a struct copy need not copy padding, so no memcmp here. */
static void assert_prices_equal(const struct el_prices *a, const struct el_prices *b)
{
    assert_string_equal(a->region, b->region);
    assert_string_equal(a->currency, b->currency);
    assert_string_equal(a->source, b->source);
    assert_int_equal(a->alb_hour_micros, b->alb_hour_micros);
    assert_int_equal(a->alb_lcu_hour_micros, b->alb_lcu_hour_micros);
    assert_int_equal(a->alb_trust_store_hour_micros, b->alb_trust_store_hour_micros);
    assert_memory_equal(&a->lcu, &b->lcu, sizeof(a->lcu));
    assert_memory_equal(&a->rest, &b->rest, sizeof(a->rest));
    assert_memory_equal(&a->http, &b->http, sizeof(a->http));
    assert_int_equal(a->http_increment_bytes, b->http_increment_bytes);
    assert_int_equal(a->ncache, b->ncache);
    for (size_t i = 0; i < a->ncache; i++) {
        assert_int_equal(a->cache[i].size_mb, b->cache[i].size_mb);
        assert_int_equal(a->cache[i].micros_per_hour, b->cache[i].micros_per_hour);
    }
    assert_memory_equal(&a->dto, &b->dto, sizeof(a->dto));
}

static enum el_err load(const char *json, struct el_prices *p, char *err, size_t errlen)
{
    return el_prices_load_json(json, strlen(json), p, err, errlen);
}

/* ---- ALB (reference 1.7) ------------------------------------------------------ */

/* 1 new connection/s lasting 2 min, 300 KB/s (decimal), 5 requests/s, 60
 * rules: one hour of it. */
static const struct el_alb_usage ec2_example_hour = {
    .new_conns = 3600,
    .active_conn_minutes = 120 * 60,
    .bytes_other = 300000ull * 3600,
    .requests = 5 * 3600,
    .rules = 60,
};

static void test_pricing_alb_ec2_example(void **state)
{
    (void)state;
    const struct el_prices *p = us_east_1();
    struct el_lcu lcu;
    el_alb_lcu(&p->lcu, &ec2_example_hour, &lcu);
    assert_int_equal(ec2_example_hour.bytes_other, 1080000000);
    assert_int_equal(lcu.dim[EL_LCU_NEW_CONNS], 40000);
    assert_int_equal(lcu.dim[EL_LCU_ACTIVE_CONNS], 40000);
    assert_int_equal(lcu.dim[EL_LCU_BYTES], 1080000);
    assert_int_equal(lcu.dim[EL_LCU_RULES], 250000);
    assert_int_equal(lcu.billed, 1080000);
    assert_int_equal(lcu.dominant, EL_LCU_BYTES);
    assert_string_equal(el_lcu_dim_name(lcu.dominant), "processed_bytes");

    int64_t lcu_money = el_alb_lcu_micros(p, lcu.billed);
    check_money("LCU part of one hour", lcu_money, 8640, 5, "0.00864");
    int64_t hour = p->alb_hour_micros + lcu_money;
    check_money("one hour", hour, 31140, 5, "0.03114");
    /* AWS's monthly convention: 24 hours * 30 days */
    check_money("month", hour * 720, 22420800, 2, "22.42");
    check_money("month, LCU part", lcu_money * 720, 6220800, 2, "6.22");
}

/* Same traffic with one rule and one mTLS trust store; with mutual TLS one
 * LCU buys 1,500 active connections a minute (reference 1.2). */
static void test_pricing_alb_mtls_variant(void **state)
{
    (void)state;
    const struct el_prices *p = us_east_1();
    struct el_lcu_allowance mtls = p->lcu;
    mtls.active_conns_per_min = 1500;
    struct el_alb_usage u = ec2_example_hour;
    u.rules = 1;
    struct el_lcu lcu;
    el_alb_lcu(&mtls, &u, &lcu);
    assert_int_equal(lcu.dim[EL_LCU_NEW_CONNS], 40000);
    assert_int_equal(lcu.dim[EL_LCU_ACTIVE_CONNS], 80000);
    assert_int_equal(lcu.dim[EL_LCU_BYTES], 1080000);
    assert_int_equal(lcu.dim[EL_LCU_RULES], 0);
    assert_int_equal(lcu.dominant, EL_LCU_BYTES);
    assert_int_equal(p->alb_trust_store_hour_micros, 5600);
    int64_t hour =
        p->alb_hour_micros + p->alb_trust_store_hour_micros + el_alb_lcu_micros(p, lcu.billed);
    check_money("mTLS hour", hour, 36740, 5, "0.03674");
    check_money("mTLS month", hour * 720, 26452800, 2, "26.45");
}

static void test_pricing_lcu_edges(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        struct el_lcu_allowance a;
        struct el_alb_usage u;
        int64_t want[EL_LCU_DIM_COUNT];
        enum el_lcu_dim dominant;
    } cases[] = {
        { "nothing: all zero, first dimension dominant",
          { 25, 3000, 400000000, 1000000000, 1000, 10 },
          { 0 },
          { 0, 0, 0, 0 },
          EL_LCU_NEW_CONNS },
        { "one connection rounds up to one micro-LCU",
          { 25, 3000, 400000000, 1000000000, 1000, 10 },
          { .new_conns = 1 },
          { 12, 0, 0, 0 },
          EL_LCU_NEW_CONNS },
        { "lambda bytes use 0.4 GB",
          { 25, 3000, 400000000, 1000000000, 1000, 10 },
          { .bytes_lambda = 400000000 },
          { 0, 0, 1000000, 0 },
          EL_LCU_BYTES },
        { "lambda and other bytes: one fraction, one ceil",
          { 25, 3000, 400000000, 1000000000, 1000, 10 },
          { .bytes_lambda = 1, .bytes_other = 1 },
          { 0, 0, 1, 0 },
          EL_LCU_BYTES },
        { "fractions below one",
          { 0, 0, 3, 3, 0, 0 },
          { .bytes_lambda = 1, .bytes_other = 1 },
          { 0, 0, 666667, 0 },
          EL_LCU_BYTES },
        { "fractions summing to exactly one",
          { 0, 0, 3, 6, 0, 0 },
          { .bytes_lambda = 1, .bytes_other = 1 },
          { 0, 0, 500000, 0 },
          EL_LCU_BYTES },
        { "fractions above one",
          { 0, 0, 3, 3, 0, 0 },
          { .bytes_lambda = 2, .bytes_other = 2 },
          { 0, 0, 1333334, 0 },
          EL_LCU_BYTES },
        { "ten rules are free",
          { 25, 3000, 400000000, 1000000000, 1000, 10 },
          { .requests = 1000000, .rules = 10 },
          { 0, 0, 0, 0 },
          EL_LCU_NEW_CONNS },
        { "eleventh rule",
          { 25, 3000, 400000000, 1000000000, 1000, 10 },
          { .requests = 3600, .rules = 11 },
          { 0, 0, 0, 1000 },
          EL_LCU_RULES },
        { "ties go to the first dimension",
          { 25, 3000, 400000000, 1000000000, 1000, 10 },
          { .new_conns = 90000, .active_conn_minutes = 180000 },
          { 1000000, 1000000, 0, 0 },
          EL_LCU_NEW_CONNS },
        { "zero allowances count nothing",
          { 0, 0, 0, 0, 0, 0 },
          { 5, 5, 5, 5, 5, 50 },
          { 0, 0, 0, 0 },
          EL_LCU_NEW_CONNS },
        { "zero lambda allowance drops only that term",
          { 25, 3000, 0, 1000000000, 1000, 10 },
          { .bytes_lambda = 999, .bytes_other = 1000000000 },
          { 0, 0, 1000000, 0 },
          EL_LCU_BYTES },
        { "huge usage saturates",
          { 1, 1, 1, 1, 1, 0 },
          { UINT64_MAX, UINT64_MAX, UINT64_MAX, UINT64_MAX, UINT64_MAX, UINT64_MAX },
          { INT64_MAX, INT64_MAX, INT64_MAX, INT64_MAX },
          EL_LCU_NEW_CONNS },
        { "huge allowances",
          { UINT64_MAX, UINT64_MAX, UINT64_MAX, UINT64_MAX, UINT64_MAX, 0 },
          { UINT64_MAX, UINT64_MAX, UINT64_MAX, UINT64_MAX, 1, 1 },
          { 278, 16667, 2000000, 1 },
          EL_LCU_BYTES },
    };
    for (size_t i = 0; i < EL_ARRAY_LEN(cases); i++) {
        struct el_lcu got;
        el_alb_lcu(&cases[i].a, &cases[i].u, &got);
        for (int d = 0; d < EL_LCU_DIM_COUNT; d++)
            if (got.dim[d] != cases[i].want[d])
                fail_msg("%s: %s = %lld, want %lld", cases[i].name,
                         el_lcu_dim_name((enum el_lcu_dim)d), (long long)got.dim[d],
                         (long long)cases[i].want[d]);
        if (got.dominant != cases[i].dominant || got.billed != got.dim[got.dominant])
            fail_msg("%s: dominant %s billed %lld", cases[i].name, el_lcu_dim_name(got.dominant),
                     (long long)got.billed);
    }
    assert_string_equal(el_lcu_dim_name(EL_LCU_NEW_CONNS), "new_connections");
    assert_string_equal(el_lcu_dim_name(EL_LCU_ACTIVE_CONNS), "active_connections");
    assert_string_equal(el_lcu_dim_name(EL_LCU_RULES), "rule_evaluations");
    assert_string_equal(el_lcu_dim_name(EL_LCU_DIM_COUNT), "unknown");

    const struct el_prices *p = us_east_1();
    assert_int_equal(el_alb_lcu_micros(p, 0), 0);
    assert_int_equal(el_alb_lcu_micros(p, 62), 0); /* 0.496 micros */
    assert_int_equal(el_alb_lcu_micros(p, 63), 1); /* 0.504 */
    assert_int_equal(el_alb_lcu_micros(p, -63), -1);
    assert_int_equal(el_alb_lcu_micros(p, INT64_MAX), 73786976294838206);
}

/* ---- API Gateway (reference 2.4) ---------------------------------------------- */

static void test_pricing_http_examples(void **state)
{
    (void)state;
    const struct el_prices *p = us_east_1();
    /* 2.4.1: 10,000 page loads a minute for 30 days */
    uint64_t requests = 10000ull * 60 * 24 * 30;
    assert_int_equal(requests, 432000000);
    int64_t month = el_tiered_micros(&p->http, requests);
    check_money("2.4.1 month", month, 418800000, 2, "418.80");
    check_money("2.4.1 per million", el_rate_micros(1000000, month, requests), 969444, 2, "0.97");

    /* 2.4.2: 25 uploads a minute of 4.5 MiB, metered in 512 KiB */
    uint64_t calls = 25ull * 60 * 24 * 30;
    assert_int_equal(calls, 1080000);
    uint64_t units = el_http_units(4718592, p->http_increment_bytes);
    assert_int_equal(units, 9);
    assert_int_equal(calls * units, 9720000);
    check_money("2.4.2 month", el_tiered_micros(&p->http, calls * units), 9720000, 2, "9.72");

    static const struct {
        uint64_t bytes, increment, want;
    } metering[] = {
        { 524288, 524288, 1 },  { 524289, 524288, 2 },
        { 0, 524288, 1 },       { 1, 524288, 1 },
        { 1048576, 524288, 2 }, { UINT64_MAX, 524288, 35184372088832 },
        { 12345, 0, 1 },        { UINT64_MAX, 1, UINT64_MAX },
    };
    for (size_t i = 0; i < EL_ARRAY_LEN(metering); i++)
        if (el_http_units(metering[i].bytes, metering[i].increment) != metering[i].want)
            fail_msg("metering row %zu: %llu", i,
                     (unsigned long long)el_http_units(metering[i].bytes, metering[i].increment));
}

static void test_pricing_rest_examples(void **state)
{
    (void)state;
    const struct el_prices *p = us_east_1();
    struct el_dto flat9 = flat_dto(90000), flat1 = flat_dto(10000);

    /* 2.4.3: 5 million calls of 3 KB (KiB) responses, no caching */
    int64_t calls = el_tiered_micros(&p->rest, 5000000);
    check_money("2.4.3 calls", calls, 17500000, 2, "17.50");
    int64_t dto = el_dto_micros(&flat9, 5000000ull * 3 * 1024);
    check_money("2.4.3 transfer", dto, 1287460, 2, "1.29");
    check_money("2.4.3 total", calls + dto, 18787460, 2, "18.79");

    /* 2.4.4: 15 billion calls of 4 KB: 333M + 667M + 14B */
    calls = el_tiered_micros(&p->rest, 15000000000);
    check_money("2.4.4 calls", calls, 36353100000, 2, "36353.10");
    dto = el_dto_micros(&flat9, 15000000000ull * 4096);
    check_money("2.4.4 transfer", dto, 5149841309, 2, "5149.84");
    check_money("2.4.4 total", calls + dto, 41502941309, 2, "41502.94");

    /* 2.4.5: private API; VPC endpoint 720 h at $0.01 and its data at
     * $0.01/GB on (3 + 0.3) KB x 5M = 16,500,000 KiB */
    calls = el_tiered_micros(&p->rest, 5000000);
    int64_t endpoint = el_rate_micros(720, 10000, 1);
    check_money("2.4.5 endpoint hours", endpoint, 7200000, 2, "7.20");
    uint64_t bytes = 16500000ull * 1024;
    assert_int_equal(bytes, 16896000000);
    int64_t data = el_dto_micros(&flat1, bytes);
    assert_int_equal(data, el_rate_micros(bytes, 10000, GIB));
    check_money("2.4.5 endpoint data", data, 157356, 2, "0.16");
    check_money("2.4.5 total", calls + endpoint + data, 24857356, 2, "24.86");

    /* 2.4.6: a 1.6 GB cache for a day */
    int64_t cache_hour = el_rest_cache_hour_micros(p, 1600);
    assert_int_equal(cache_hour, 38000);
    check_money("2.4.6 a day", cache_hour * 24, 912000, 2, "0.91");
    check_money("2.4.6 a day, 3 decimals", cache_hour * 24, 912000, 3, "0.912");
    assert_int_equal(el_rest_cache_hour_micros(p, 1700), -1);
    assert_int_equal(el_rest_cache_hour_micros(el_prices_builtin("us-east-2"), 1600), -1);
}

static void test_pricing_tier_boundaries(void **state)
{
    (void)state;
    const struct el_prices *p = us_east_1();
    const struct el_prices *london = el_prices_builtin("eu-west-2");
    assert_non_null(london);
    static const struct el_tiers unknown = { 0 };
    const struct {
        const char *name;
        const struct el_tiers *t;
        uint64_t units;
        int64_t want;
    } cases[] = {
        { "REST 0", &p->rest, 0, 0 },
        { "REST 1 (3.5 micros, half up)", &p->rest, 1, 4 },
        { "REST first tier full", &p->rest, 333000000, 1165500000 },
        { "REST one into the second", &p->rest, 333000001, 1165500003 },
        { "REST second tier full", &p->rest, 1000000000, 3033100000 },
        { "REST third tier full", &p->rest, 20000000000, 48253100000 },
        { "REST one into the fourth", &p->rest, 20000000001, 48253100002 },
        { "REST saturates", &p->rest, UINT64_MAX, INT64_MAX },
        { "HTTP first tier full", &p->http, 300000000, 300000000 },
        { "HTTP one over", &p->http, 300000001, 300000001 },
        { "HTTP past 64-bit products", &p->http, 5000000000000000000, 4500000000030000000 },
        { "HTTP saturates", &p->http, UINT64_MAX, INT64_MAX },
        { "partial table, inside", &london->rest, 333000000, 1165500000 },
        { "partial table, above", &london->rest, 333000001, -1 },
        { "partial HTTP table", &london->http, 1000000, 1160000 },
        { "unknown table", &unknown, 0, -1 },
    };
    for (size_t i = 0; i < EL_ARRAY_LEN(cases); i++) {
        int64_t got = el_tiered_micros(cases[i].t, cases[i].units);
        if (got != cases[i].want)
            fail_msg("%s: %lld, want %lld", cases[i].name, (long long)got,
                     (long long)cases[i].want);
    }

    /* data transfer out, us-east-1: 10 TiB, next 40, next 100, then over */
    static const struct {
        uint64_t gib;
        int64_t want;
    } dto[] = {
        { 0, 0 },
        { 10240, 921600000 },
        { 10241, 921685000 },
        { 51200, 4403200000 },
        { 153600, 11571200000 },
        { 153601, 11571250000 },
    };
    for (size_t i = 0; i < EL_ARRAY_LEN(dto); i++)
        if (el_dto_micros(&p->dto, dto[i].gib * GIB) != dto[i].want)
            fail_msg("dto %llu GiB: %lld", (unsigned long long)dto[i].gib,
                     (long long)el_dto_micros(&p->dto, dto[i].gib * GIB));
    assert_int_equal(el_dto_micros(&p->dto, 1), 0); /* 0.00008 micros */
    assert_int_equal(el_dto_micros(&p->dto, UINT64_MAX), 858997350400000);
    struct el_dto dear = flat_dto(INT64_MAX);
    assert_int_equal(el_dto_micros(&dear, UINT64_MAX), INT64_MAX);
    assert_int_equal(el_dto_micros(&el_prices_builtin("eu-west-1")->dto, 1000000), 0);

    assert_int_equal(el_rate_micros(3, 5, 2), 8);
    assert_int_equal(el_rate_micros(3, -5, 2), -8);
    assert_int_equal(el_rate_micros(5, 7, 0), 0);
    assert_int_equal(el_rate_micros(UINT64_MAX, INT64_MAX, 1), INT64_MAX);
    assert_int_equal(el_rate_micros(UINT64_MAX, INT64_MIN, 1), -INT64_MAX);
    assert_int_equal(el_rate_micros(UINT64_MAX, INT64_MAX, UINT64_MAX), INT64_MAX);
}

static void test_pricing_fmt_money(void **state)
{
    (void)state;
    static const struct {
        int64_t micros;
        int decimals;
        const char *want;
    } cases[] = {
        { 31140, 5, "0.03114" },
        { 418800000, 2, "418.80" },
        { 915000, 2, "0.92" },
        { 914999, 2, "0.91" },
        { 0, 2, "0.00" },
        { 500000, 0, "1" },
        { 499999, 0, "0" },
        { 1, 6, "0.000001" },
        { -5000, 2, "-0.01" },
        { -4999, 2, "0.00" },
        { -17500000, 2, "-17.50" },
        { 1234567, 9, "1.234567" },
        { 1234567, -1, "1" },
        { INT64_MAX, 0, "9223372036855" },
        { INT64_MAX, 6, "9223372036854.775807" },
        { INT64_MIN, 6, "-9223372036854.775808" },
        { INT64_MIN, 2, "-9223372036854.78" },
    };
    for (size_t i = 0; i < EL_ARRAY_LEN(cases); i++) {
        char buf[32];
        const char *got = el_fmt_money(buf, sizeof(buf), cases[i].micros, cases[i].decimals);
        if (got != buf || strcmp(buf, cases[i].want) != 0)
            fail_msg("row %zu: '%s', want '%s'", i, buf, cases[i].want);
    }
    char small[4] = "xyz";
    assert_string_equal(el_fmt_money(small, sizeof(small), 418800000, 2), "418");
    assert_ptr_equal(el_fmt_money(small, 0, 1, 2), small);
    assert_string_equal(small, "418");
}

/* ---- built-in tables ------------------------------------------------------------ */

static void test_pricing_builtin(void **state)
{
    (void)state;
    size_t n;
    const char *const *names = el_prices_regions(&n);
    static const char *const want[] = { "us-east-1",      "us-east-2",      "us-west-2",
                                        "ap-south-1",     "eu-west-1",      "eu-west-2",
                                        "ap-northeast-1", "ap-northeast-2", "ca-central-1",
                                        "cn-northwest-1" };
    assert_int_equal(n, EL_ARRAY_LEN(want));
    const struct el_prices *ref = us_east_1();
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(names[i], want[i]);
        const struct el_prices *p = el_prices_builtin(names[i]);
        assert_non_null(p);
        assert_string_equal(p->region, names[i]);
        /* every source is set, dated or marked, and NUL-terminated in its array */
        assert_non_null(memchr(p->source, '\0', sizeof(p->source)));
        assert_true(strlen(p->source) > 40);
        assert_memory_equal(&p->lcu, &ref->lcu, sizeof(p->lcu));
        assert_int_equal(p->http_increment_bytes, 524288);
        const struct el_tiers *tiers[] = { &p->rest, &p->http };
        for (size_t k = 0; k < 2; k++)
            for (size_t j = 1; j < tiers[k]->n; j++)
                assert_true(tiers[k]->t[j].upto > tiers[k]->t[j - 1].upto);
    }
    assert_null(el_prices_builtin("eu-central-1"));
    assert_null(el_prices_builtin("US-EAST-1"));
    assert_null(el_prices_builtin(""));
    assert_null(el_prices_builtin(NULL));
    assert_non_null(el_prices_builtin(EL_PRICES_DEFAULT_REGION));

    /* us-east-1, every number (reference 1.1, 1.2, 2.1, 2.2) */
    assert_string_equal(ref->currency, "USD");
    assert_non_null(strstr(ref->source, "2025-11"));
    assert_int_equal(ref->alb_hour_micros, 22500);
    assert_int_equal(ref->alb_lcu_hour_micros, 8000);
    assert_int_equal(ref->alb_trust_store_hour_micros, 5600);
    assert_int_equal(ref->lcu.new_conns_per_s, 25);
    assert_int_equal(ref->lcu.active_conns_per_min, 3000);
    assert_int_equal(ref->lcu.bytes_per_hour_lambda, 400000000);
    assert_int_equal(ref->lcu.bytes_per_hour_other, 1000000000);
    assert_int_equal(ref->lcu.rule_evals_per_s, 1000);
    assert_int_equal(ref->lcu.free_rules, 10);
    static const struct el_tiers rest = { 4,
                                          { { 333000000, 3500000 },
                                            { 1000000000, 2800000 },
                                            { 20000000000, 2380000 },
                                            { UINT64_MAX, 1510000 } } };
    static const struct el_tiers http = { 2, { { 300000000, 1000000 }, { UINT64_MAX, 900000 } } };
    assert_memory_equal(&ref->rest, &rest, sizeof(rest));
    assert_memory_equal(&ref->http, &http, sizeof(http));
    static const uint32_t sizes[] = { 500, 1600, 6100, 13500, 28400, 58200, 118000, 237000 };
    static const int64_t hours[] = {
        20000, 38000, 200000, 250000, 500000, 1000000, 1900000, 3800000
    };
    assert_int_equal(ref->ncache, 8);
    for (size_t i = 0; i < EL_ARRAY_LEN(sizes); i++)
        assert_int_equal(el_rest_cache_hour_micros(ref, sizes[i]), hours[i]);
    static const struct el_dto dto = {
        4, { { 10240, 90000 }, { 51200, 85000 }, { 153600, 70000 }, { UINT64_MAX, 50000 } }
    };
    assert_memory_equal(&ref->dto, &dto, sizeof(dto));

    /* the REST rates the examples share; nothing else is known there */
    static const char *const rest_only[] = { "us-east-2", "us-west-2", "ap-south-1" };
    for (size_t i = 0; i < EL_ARRAY_LEN(rest_only); i++) {
        const struct el_prices *p = el_prices_builtin(rest_only[i]);
        assert_memory_equal(&p->rest, &rest, sizeof(rest));
        assert_int_equal(p->http.n, 0);
        assert_int_equal(p->alb_hour_micros, 0);
        assert_int_equal(p->alb_lcu_hour_micros, 0);
        assert_int_equal(p->ncache, 0);
        assert_int_equal(p->dto.n, 0);
    }
    /* ALB-only regions */
    static const struct {
        const char *region;
        int64_t hour, lcu;
    } alb[] = {
        { "eu-west-1", 25200, 8000 },        { "ap-northeast-1", 24300, 8000 },
        { "ap-northeast-2", 22500, 8000 },   { "ca-central-1", 24750, 8800 },
        { "cn-northwest-1", 156000, 72000 },
    };
    for (size_t i = 0; i < EL_ARRAY_LEN(alb); i++) {
        const struct el_prices *p = el_prices_builtin(alb[i].region);
        assert_int_equal(p->alb_hour_micros, alb[i].hour);
        assert_int_equal(p->alb_lcu_hour_micros, alb[i].lcu);
        assert_int_equal(p->alb_trust_store_hour_micros, 0);
        assert_int_equal(p->rest.n, 0);
        assert_int_equal(p->http.n, 0);
        assert_int_equal(p->ncache, 0);
        assert_int_equal(p->dto.n, 0);
        assert_int_equal(el_tiered_micros(&p->rest, 1), -1);
        assert_string_equal(p->currency, strcmp(alb[i].region, "cn-northwest-1") ? "USD" : "CNY");
    }
    /* London: first tiers only */
    const struct el_prices *london = el_prices_builtin("eu-west-2");
    assert_int_equal(london->rest.n, 1);
    assert_int_equal(london->rest.t[0].upto, 333000000);
    assert_int_equal(london->rest.t[0].micros_per_million, 3500000);
    assert_int_equal(london->http.n, 1);
    assert_int_equal(london->http.t[0].upto, 300000000);
    assert_int_equal(london->http.t[0].micros_per_million, 1160000);
    assert_int_equal(london->alb_hour_micros, 0);
}

/* ---- pricing files ---------------------------------------------------------------- */

static const char full_file[] =
    "{\n"
    "  \"source\": \"our 2026 contract\",\n"
    "  \"region\": \"contract-1\",\n"
    "  \"currency\": \"EUR\",\n"
    "  \"alb\": {\"hour\": 0.03, \"lcu_hour\": \"0.0075\", \"trust_store_hour\": 0.006,\n"
    "    \"lcu\": {\"new_connections_per_second\": 20, \"active_connections_per_minute\": 2500,\n"
    "      \"processed_bytes_per_hour_lambda\": 500000000,\n"
    "      \"processed_bytes_per_hour\": \"2000000000\",\n"
    "      \"rule_evaluations_per_second\": 900, \"free_rules\": 5}},\n"
    "  \"rest\": {\"tiers\": [{\"up_to\": 100000000, \"per_million\": 3.25},\n"
    "                       {\"up_to\": \"100000000000000000\", \"per_million\": \"2.000001\"},\n"
    "                       {\"per_million\": 1}],\n"
    "           \"cache\": [{\"size_gb\": \"1.6\", \"hour\": 0.03}, {\"size_gb\": 0.5, \"hour\": "
    "\"0.015\"}]},\n"
    "  \"http\": {\"tiers\": [{\"per_million\": 0.95}], \"increment_bytes\": 1048576},\n"
    "  \"data_transfer_out\": {\"tiers\": [{\"up_to_gib\": 1024, \"per_gib\": 0.1}, "
    "{\"per_gib\": 0.08}]}\n"
    "}\n";

static void test_pricing_json_full(void **state)
{
    (void)state;
    struct el_prices p = *us_east_1();
    char err[200] = "unset";
    assert_int_equal(load(full_file, &p, err, sizeof(err)), EL_OK);
    assert_string_equal(err, "");
    struct el_prices want = {
        .region = "contract-1",
        .currency = "EUR",
        .source = "our 2026 contract",
        .alb_hour_micros = 30000,
        .alb_lcu_hour_micros = 7500,
        .alb_trust_store_hour_micros = 6000,
        .lcu = { 20, 2500, 500000000, 2000000000, 900, 5 },
        .rest = { 3,
                  { { 100000000, 3250000 },
                    { 100000000000000000, 2000001 },
                    { UINT64_MAX, 1000000 } } },
        .http = { 1, { { UINT64_MAX, 950000 } } },
        .http_increment_bytes = 1048576,
        .cache = { { 1600, 30000 }, { 500, 15000 } },
        .ncache = 2,
        .dto = { 2, { { 1024, 100000 }, { UINT64_MAX, 80000 } } },
    };
    assert_prices_equal(&p, &want);
}

static void test_pricing_json_partial(void **state)
{
    (void)state;
    const struct el_prices *ref = us_east_1();
    char err[200];

    /* one key: only it changes, and the source says a file did it */
    struct el_prices p = *ref, want = *ref;
    assert_int_equal(load("{\"alb\": {\"lcu_hour\": \"0.0075\"}}", &p, err, sizeof(err)), EL_OK);
    want.alb_lcu_hour_micros = 7500;
    int len = snprintf(want.source, sizeof(want.source), "pricing file; base: %s", ref->source);
    assert_true(len < (int)sizeof(want.source)); /* the long case is below */
    assert_prices_equal(&p, &want);
    assert_int_equal(strncmp(p.source, "pricing file; base: AWS pricing pages", 37), 0);

    /* a built-in region starts from its table; alone, it changes nothing else */
    p = *ref;
    assert_int_equal(load("{\"region\": \"eu-west-1\"}", &p, err, sizeof(err)), EL_OK);
    assert_prices_equal(&p, el_prices_builtin("eu-west-1"));

    /* ... and the file fills what that table lacks */
    p = *ref;
    assert_int_equal(load("{\"rest\": {\"tiers\": [{\"per_million\": 4}]}, \"region\": "
                          "\"eu-west-1\", \"source\": \"quote 2026-01\"}",
                          &p, err, sizeof(err)),
                     EL_OK);
    want = *el_prices_builtin("eu-west-1");
    want.rest = (struct el_tiers){ 1, { { UINT64_MAX, 4000000 } } };
    snprintf(want.source, sizeof(want.source), "quote 2026-01");
    assert_prices_equal(&p, &want);

    /* another name keeps the values under that name */
    p = *ref;
    assert_int_equal(load("{\"region\": \"my-region_2\"}", &p, err, sizeof(err)), EL_OK);
    want = *ref;
    snprintf(want.region, sizeof(want.region), "my-region_2");
    assert_prices_equal(&p, &want);

    /* empty object, whitespace around it: nothing changes */
    p = *ref;
    assert_int_equal(load(" \r\n\t{ }\n\n", &p, err, sizeof(err)), EL_OK);
    assert_prices_equal(&p, ref);

    /* a long source is cut to fit when marked */
    p = *ref;
    memset(p.source, 'x', sizeof(p.source) - 1);
    p.source[sizeof(p.source) - 1] = '\0';
    assert_int_equal(load("{\"currency\": \"CNY\"}", &p, err, sizeof(err)), EL_OK);
    assert_string_equal(p.currency, "CNY");
    assert_int_equal(strlen(p.source), sizeof(p.source) - 1);
}

/* Price values as JSON numbers and as strings, to the micro. */
static void test_pricing_json_values(void **state)
{
    (void)state;
    static const struct {
        const char *value;
        int64_t want;
    } cases[] = {
        { "0.0225", 22500 },
        { "\"0.0225\"", 22500 },
        { "3.5", 3500000 },
        { "\"3.50\"", 3500000 },
        { "2.38", 2380000 },
        { "1.51", 1510000 },
        { "0.000001", 1 },
        { "1e-6", 1 },
        { "\"0.000001\"", 1 },
        { "\"0.02250000\"", 22500 },
        { "0", 0 },
        { "-0", 0 },
        { "\"0\"", 0 },
        { "\"1000000\"", 1000000000000 },
        { "1000000", 1000000000000 },
        { "999999.999999", 999999999999 },
        { "0.29", 290000 },
        { "0.57", 570000 },
        { "1.16", 1160000 },
    };
    for (size_t i = 0; i < EL_ARRAY_LEN(cases); i++) {
        char json[100], err[200];
        snprintf(json, sizeof(json), "{\"alb\": {\"hour\": %s}}", cases[i].value);
        struct el_prices p = *us_east_1();
        enum el_err rc = load(json, &p, err, sizeof(err));
        if (rc != EL_OK || p.alb_hour_micros != cases[i].want)
            fail_msg("%s: rc %d '%s', %lld micros, want %lld", cases[i].value, rc, err,
                     (long long)p.alb_hour_micros, (long long)cases[i].want);
    }
}

static void test_pricing_json_errors(void **state)
{
    (void)state;
    static const struct {
        const char *name, *json, *want;
    } cases[] = {
        { "unknown top-level key", "{\"regoin\": \"x\"}",
          "regoin: unknown key (expected region, currency, source, alb, rest, http, "
          "data_transfer_out)" },
        { "unknown key in a tier",
          "{\"rest\": {\"tiers\": [{\"up_to\": 1, \"per_million\": 1}, {\"up_to\": 2, "
          "\"per_million\": 1}, {\"per_milion\": 1}]}}",
          "rest.tiers[2].per_milion: unknown key (expected up_to, per_million)" },
        { "unknown lcu key", "{\"alb\": {\"lcu\": {\"free_rule\": 10}}}",
          "alb.lcu.free_rule: unknown key (expected new_connections_per_second," },
        { "unknown DTO key", "{\"data_transfer_out\": {\"tiers\": [{\"per_gb\": 0.09}]}}",
          "data_transfer_out.tiers[0].per_gb: unknown key (expected up_to_gib, per_gib)" },
        { "price of the wrong type", "{\"alb\": {\"lcu_hour\": true}}",
          "alb.lcu_hour: not a number (a JSON number or a decimal string)" },
        { "price null", "{\"alb\": {\"hour\": null}}", "alb.hour: not a number" },
        { "section not an object", "{\"alb\": 5}", "alb: not an object" },
        { "tiers not an array", "{\"rest\": {\"tiers\": {}}}", "rest.tiers: not an array" },
        { "tier not an object", "{\"http\": {\"tiers\": [1]}}", "http.tiers[0]: not an object" },
        { "negative number", "{\"alb\": {\"hour\": -0.01}}", "alb.hour: negative" },
        { "negative string", "{\"alb\": {\"hour\": \"-1\"}}", "alb.hour: negative" },
        { "negative count", "{\"alb\": {\"lcu\": {\"free_rules\": -1}}}",
          "alb.lcu.free_rules: negative" },
        { "7 decimals, number", "{\"alb\": {\"lcu_hour\": 0.0080001}}",
          "alb.lcu_hour: more than 6 decimals" },
        { "7 decimals, string", "{\"alb\": {\"lcu_hour\": \"0.0000001\"}}",
          "alb.lcu_hour: more than 6 decimals" },
        { "exponent in a string", "{\"alb\": {\"hour\": \"1e-3\"}}",
          "alb.hour: not a decimal number" },
        { "string with a space", "{\"alb\": {\"hour\": \" 1\"}}",
          "alb.hour: not a decimal number" },
        { "string without fraction digits", "{\"alb\": {\"hour\": \"1.\"}}",
          "alb.hour: not a decimal number" },
        { "empty string", "{\"alb\": {\"hour\": \"\"}}", "alb.hour: not a decimal number" },
        { "huge number", "{\"alb\": {\"hour\": 1e300}}", "alb.hour: too large" },
        { "price over the cap", "{\"alb\": {\"hour\": 1000001}}",
          "alb.hour: too large (at most 1000000000000)" },
        { "huge string", "{\"alb\": {\"hour\": \"99999999999999999999999\"}}",
          "alb.hour: too large" },
        { "count beyond 2^53 as a number",
          "{\"rest\": {\"tiers\": [{\"up_to\": 1e17, \"per_million\": 1}, {\"per_million\": 1}]}}",
          "rest.tiers[0].up_to: too large (at most 18446744073709551614; as a string" },
        { "fractional count", "{\"http\": {\"increment_bytes\": 1.5}}",
          "http.increment_bytes: not a whole number" },
        { "fractional count string", "{\"http\": {\"increment_bytes\": \"1.5\"}}",
          "http.increment_bytes: not a whole number" },
        { "zero increment", "{\"http\": {\"increment_bytes\": 0}}",
          "http.increment_bytes: less than 1" },
        { "tiers not rising",
          "{\"rest\": {\"tiers\": [{\"up_to\": 10, \"per_million\": 1}, {\"up_to\": 10, "
          "\"per_million\": 1}, {\"per_million\": 1}]}}",
          "rest.tiers[1].up_to: tiers must rise (10 after 10)" },
        { "last tier bounded",
          "{\"rest\": {\"tiers\": [{\"up_to\": 10, \"per_million\": 1}, {\"up_to\": 20, "
          "\"per_million\": 1}]}}",
          "rest.tiers[1].up_to: the last tier has no up_to (it is unbounded)" },
        { "middle tier unbounded",
          "{\"http\": {\"tiers\": [{\"per_million\": 1}, {\"per_million\": 1}]}}",
          "http.tiers[0]: missing up_to (only the last tier is unbounded)" },
        { "tier without price", "{\"http\": {\"tiers\": [{}]}}",
          "http.tiers[0]: missing per_million" },
        { "zero bound",
          "{\"http\": {\"tiers\": [{\"up_to\": 0, \"per_million\": 1}, "
          "{\"per_million\": 1}]}}",
          "http.tiers[0].up_to: less than 1" },
        { "no tiers", "{\"rest\": {\"tiers\": []}}", "rest.tiers: want 1 to 8 tiers, not 0" },
        { "nine tiers",
          "{\"rest\": {\"tiers\": [{\"up_to\": 1, \"per_million\": 1}, {\"up_to\": 2, "
          "\"per_million\": 1}, {\"up_to\": 3, \"per_million\": 1}, {\"up_to\": 4, "
          "\"per_million\": 1}, {\"up_to\": 5, \"per_million\": 1}, {\"up_to\": 6, "
          "\"per_million\": 1}, {\"up_to\": 7, \"per_million\": 1}, {\"up_to\": 8, "
          "\"per_million\": 1}, {\"per_million\": 1}]}}",
          "rest.tiers: want 1 to 8 tiers, not 9" },
        { "DTO last tier bounded",
          "{\"data_transfer_out\": {\"tiers\": [{\"up_to_gib\": 10, \"per_gib\": 1}]}}",
          "data_transfer_out.tiers[0].up_to_gib: the last tier has no up_to_gib" },
        { "cache size twice",
          "{\"rest\": {\"cache\": [{\"size_gb\": 1.6, \"hour\": 1}, {\"size_gb\": \"1.600\", "
          "\"hour\": 2}]}}",
          "rest.cache[1].size_gb: size listed twice" },
        { "cache size too precise",
          "{\"rest\": {\"cache\": [{\"size_gb\": \"1.6001\", "
          "\"hour\": 1}]}}",
          "rest.cache[0].size_gb: more than 3 decimals" },
        { "cache without price", "{\"rest\": {\"cache\": [{\"size_gb\": 1.6}]}}",
          "rest.cache[0]: missing hour" },
        { "cache unknown key", "{\"rest\": {\"cache\": [{\"size\": 1.6}]}}",
          "rest.cache[0].size: unknown key (expected size_gb, hour)" },
        { "cache not an array", "{\"rest\": {\"cache\": 1}}", "rest.cache: not an array" },
        { "duplicate key", "{\"alb\": {\"hour\": 1, \"hour\": 2}}", "alb.hour: duplicate key" },
        { "duplicate section", "{\"rest\": {}, \"http\": {}, \"rest\": {}}",
          "rest: duplicate key" },
        { "not JSON", "{\n  \"alb\": {\n    \"hour\": 0.02,,\n  }\n}\n",
          "line 3, column 19: not JSON" },
        { "truncated", "{\"alb\": {", "line 1, column " },
        { "empty text", "", "line 1, column 1: not JSON" },
        { "trailing garbage", "{}\n  x", "line 2, column 3: text after the JSON object" },
        { "two objects", "{} {}", "line 1, column 4: text after the JSON object" },
        { "top level array", "[]", "top level: not a JSON object" },
        { "top level number", " 42 ", "top level: not a JSON object" },
        { "region not a string", "{\"region\": 1}", "region: not a string" },
        { "region empty", "{\"region\": \"\"}", "region: want 1 to 31 of" },
        { "region with a space", "{\"region\": \"us east\"}", "region: want 1 to 31 of" },
        { "region too long", "{\"region\": \"abcdefghijklmnopqrstuvwxyz0123456\"}",
          "region: want 1 to 31 of" },
        { "currency lower case", "{\"currency\": \"usd\"}",
          "currency: want three capital letters (USD, CNY)" },
        { "currency too long", "{\"currency\": \"DOLLAR\"}",
          "currency: want three capital letters (USD, CNY)" },
        { "source empty", "{\"source\": \"\"}", "source: want 1 to 159 printable characters" },
        { "source with a newline", "{\"source\": \"a\\nb\"}",
          "source: want 1 to 159 printable characters" },
        { "good keys before a bad one leave nothing behind",
          "{\"region\": \"eu-west-1\", \"alb\": {\"hour\": 1}, \"rest\": {\"tiers\": 5}}",
          "rest.tiers: not an array" },
    };
    for (size_t i = 0; i < EL_ARRAY_LEN(cases); i++) {
        struct el_prices p, before;
        memset(&p, 0xa5, sizeof(p)); /* padding too, so memcmp sees any write */
        memcpy(&p, us_east_1(), sizeof(p));
        memcpy(&before, &p, sizeof(p));
        char err[300] = "";
        enum el_err rc = load(cases[i].json, &p, err, sizeof(err));
        if (rc != EL_ERR_PARSE || !strstr(err, cases[i].want))
            fail_msg("%s: rc %d, err '%s', want '%s'", cases[i].name, rc, err, cases[i].want);
        if (memcmp(&p, &before, sizeof(p)) != 0)
            fail_msg("%s: *p changed", cases[i].name);
    }
    /* a NULL error buffer is allowed, and so is NULL text of length 0 */
    struct el_prices p = *us_east_1();
    assert_int_equal(load("{\"x\": 1}", &p, NULL, 0), EL_ERR_PARSE);
    assert_int_equal(el_prices_load_json(NULL, 0, &p, NULL, 0), EL_ERR_PARSE);
    /* the text is read by length: what follows it does not count */
    static const char padded[] = "{\"alb\": {\"hour\": 1}}garbage";
    assert_int_equal(el_prices_load_json(padded, sizeof(padded) - 1 - 7, &p, NULL, 0), EL_OK);
    assert_int_equal(p.alb_hour_micros, 1000000);
    /* a short error buffer gets a cut, terminated message */
    char tiny[8];
    assert_int_equal(load("{\"x\": 1}", &p, tiny, sizeof(tiny)), EL_ERR_PARSE);
    assert_string_equal(tiny, "x: unkn");
}

/* cJSON's allocations go through el_malloc here (main installs the hooks),
 * so the walk fails each of them in turn: no crash, no leak (LeakSanitizer),
 * and either the full result or an error with *p untouched. */
static void test_pricing_json_nomem(void **state)
{
    (void)state;
    struct el_prices want = *us_east_1();
    char err[200];
    uint64_t before = el_mem_allocs();
    assert_int_equal(load(full_file, &want, err, sizeof(err)), EL_OK);
    uint64_t allocs = el_mem_allocs() - before;
    assert_true(allocs > 20);
    for (uint64_t n = 1; n <= allocs + 1; n++) {
        struct el_prices p, keep;
        memset(&p, 0x5a, sizeof(p));
        memcpy(&p, us_east_1(), sizeof(p));
        memcpy(&keep, &p, sizeof(p));
        el_mem_fail_after(n);
        enum el_err rc = load(full_file, &p, err, sizeof(err));
        el_mem_fail_after(0);
        if (n <= allocs) {
            if (rc != EL_ERR_PARSE || memcmp(&p, &keep, sizeof(p)) != 0)
                fail_msg("allocation %llu failing: rc %d, *p %s", (unsigned long long)n, rc,
                         memcmp(&p, &keep, sizeof(p)) ? "changed" : "kept");
        } else {
            assert_int_equal(rc, EL_OK);
            assert_prices_equal(&p, &want);
        }
    }
}

int main(void)
{
    cJSON_Hooks hooks = { .malloc_fn = el_malloc, .free_fn = el_free };
    cJSON_InitHooks(&hooks);

    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pricing_alb_ec2_example),
        cmocka_unit_test(test_pricing_alb_mtls_variant),
        cmocka_unit_test(test_pricing_lcu_edges),
        cmocka_unit_test(test_pricing_http_examples),
        cmocka_unit_test(test_pricing_rest_examples),
        cmocka_unit_test(test_pricing_tier_boundaries),
        cmocka_unit_test(test_pricing_fmt_money),
        cmocka_unit_test(test_pricing_builtin),
        cmocka_unit_test(test_pricing_json_full),
        cmocka_unit_test(test_pricing_json_partial),
        cmocka_unit_test(test_pricing_json_values),
        cmocka_unit_test(test_pricing_json_errors),
        cmocka_unit_test(test_pricing_json_nomem),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

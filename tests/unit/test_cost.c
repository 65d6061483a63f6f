/* test_cost.c: the cost model (analysis/cost.c) on a small hand-made ALB
 * log whose every hourly LCU and charge is worked out by hand below, and
 * the break-even points against the closed-form answers of a simple
 * traffic shape. Prices: the built-in us-east-1 table. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "check.h"
#include "cost.h"

#define SEC 1000000LL

/* Six requests to a Lambda target over two clock hours, idle timeout 60 s.
 *
 * Connections (first request .. last request + 60 s):
 *   TID_A 10:00:00 .. 10:01:20   80 s in hour 10
 *   TID_B 10:30:00 .. 10:31:00   60 s in hour 10
 *   TID_C 10:59:50 .. 11:01:10   10 s in hour 10, 70 s in hour 11
 *   TID_D 11:20:00 .. 11:21:00   60 s in hour 11
 *
 * Hour 10: 3 new connections -> ceil(3e6 / (3600 * 25)) = 34 micro-LCU;
 *   150 connection-seconds -> 3 connection-minutes -> ceil(3e6 / (60 * 3000))
 *   = 17; bytes 1,000,000 + 1,000,000 + 2,000,000 + 2,000 = 4,002,000 at
 *   0.4 GB per LCU -> 10,005; rules 0. Billed 10,005 (bytes);
 *   $0.0225 + 10,005 * 8,000 / 1e6 = 22,500 + 80 = 22,580 micros.
 * Hour 11: 1 new -> ceil(1e6 / 90,000) = 12; 130 s -> 3 min -> 17; bytes
 *   2,000 + 4,000,000 -> 10,005. Billed 10,005; 22,580 micros.
 * Window: 45,160 micros. Month (720 / 2 = x360): 20,010 * 360 = 7,203,600
 *   micro-LCU-hours -> 57,628.8 -> 57,629 micros, + 720 * 22,500 =
 *   16,257,629 micros.
 * REST: 6 requests -> 2,160 a month at $3.50 per million -> 7,560 micros.
 * HTTP: units max(in, out) / 512 KiB rounded up: 2 + 2 + 3 + 1 + 1 + 4 = 13
 *   -> 4,680 a month at $1.00 per million -> 4,680 micros. */
static const char *const hand_log[] = {
    "https 2026-03-10T10:00:00.000000Z app/edge/0a1b 203.0.113.5:41000 - 0.001 0.050 0.000 200 "
    "200 400000 600000 \"POST https://api.example.com:443/upload HTTP/1.1\" \"curl/8.5\" "
    "TLS_AES_128_GCM_SHA256 TLSv1.3 arn:aws:elasticloadbalancing:us-east-1:123456789012:"
    "targetgroup/fn/0a1b \"Root=1-65ed8000-000000000000000000000001\" \"api.example.com\" \"-\" 1 "
    "2026-03-10T09:59:59.950000Z \"forward\" \"-\" \"-\" \"-\" \"-\" \"-\" \"-\" TID_A",
    "https 2026-03-10T10:00:20.000000Z app/edge/0a1b 203.0.113.5:41000 - 0.001 0.050 0.000 200 "
    "200 0 1000000 \"GET https://api.example.com:443/files/7 HTTP/1.1\" \"curl/8.5\" "
    "TLS_AES_128_GCM_SHA256 TLSv1.3 arn:aws:elasticloadbalancing:us-east-1:123456789012:"
    "targetgroup/fn/0a1b \"Root=1-65ed8014-000000000000000000000002\" \"api.example.com\" \"-\" 1 "
    "2026-03-10T10:00:19.950000Z \"forward\" \"-\" \"-\" \"-\" \"-\" \"-\" \"-\" TID_A",
    "https 2026-03-10T10:30:00.000000Z app/edge/0a1b 198.51.100.20:52000 - 0.001 0.050 0.000 200 "
    "200 500000 1500000 \"POST https://api.example.com:443/upload HTTP/1.1\" \"curl/8.5\" "
    "TLS_AES_128_GCM_SHA256 TLSv1.3 arn:aws:elasticloadbalancing:us-east-1:123456789012:"
    "targetgroup/fn/0a1b \"Root=1-65ed8708-000000000000000000000003\" \"api.example.com\" \"-\" 1 "
    "2026-03-10T10:29:59.950000Z \"forward\" \"-\" \"-\" \"-\" \"-\" \"-\" \"-\" TID_B",
    "https 2026-03-10T10:59:50.000000Z app/edge/0a1b 192.0.2.44:33000 - 0.001 0.050 0.000 200 "
    "200 1000 1000 \"GET https://api.example.com:443/health HTTP/1.1\" \"curl/8.5\" "
    "TLS_AES_128_GCM_SHA256 TLSv1.3 arn:aws:elasticloadbalancing:us-east-1:123456789012:"
    "targetgroup/fn/0a1b \"Root=1-65ed8e06-000000000000000000000004\" \"api.example.com\" \"-\" 1 "
    "2026-03-10T10:59:49.950000Z \"forward\" \"-\" \"-\" \"-\" \"-\" \"-\" \"-\" TID_C",
    "https 2026-03-10T11:00:10.000000Z app/edge/0a1b 192.0.2.44:33000 - 0.001 0.050 0.000 200 "
    "200 1000 1000 \"GET https://api.example.com:443/health HTTP/1.1\" \"curl/8.5\" "
    "TLS_AES_128_GCM_SHA256 TLSv1.3 arn:aws:elasticloadbalancing:us-east-1:123456789012:"
    "targetgroup/fn/0a1b \"Root=1-65ed8e1a-000000000000000000000005\" \"api.example.com\" \"-\" 1 "
    "2026-03-10T11:00:09.950000Z \"forward\" \"-\" \"-\" \"-\" \"-\" \"-\" \"-\" TID_C",
    "https 2026-03-10T11:20:00.000000Z app/edge/0a1b 203.0.113.77:60000 - 0.001 0.050 0.000 200 "
    "200 2000000 2000000 \"PUT https://api.example.com:443/files/9 HTTP/1.1\" \"curl/8.5\" "
    "TLS_AES_128_GCM_SHA256 TLSv1.3 arn:aws:elasticloadbalancing:us-east-1:123456789012:"
    "targetgroup/fn/0a1b \"Root=1-65ed92c0-000000000000000000000006\" \"api.example.com\" \"-\" 1 "
    "2026-03-10T11:19:59.950000Z \"forward\" \"-\" \"-\" \"-\" \"-\" \"-\" \"-\" TID_D",
};

static struct el_usage *hand_usage(void)
{
    struct el_parser *p;
    assert_int_equal(el_parser_alb.create(&p), EL_OK);
    struct el_usage_opts o = { .idle_timeout_us = 60 * SEC };
    struct el_usage *u;
    assert_int_equal(el_usage_create(&o, &u), EL_OK);
    for (size_t i = 0; i < EL_ARRAY_LEN(hand_log); i++) {
        struct el_record r;
        struct el_diag d = { 0 };
        assert_int_equal(el_parser_alb.parse(p, hand_log[i], strlen(hand_log[i]), &r, &d), EL_OK);
        assert_int_equal(el_usage_add(u, &r), EL_OK);
    }
    el_parser_alb.destroy(p);
    return u;
}

static void test_hand_made_log(void **state)
{
    (void)state;
    struct el_usage *u = hand_usage();
    struct el_cost_opts co = { .prices = el_prices_builtin("us-east-1") };
    struct el_cost c;
    assert_int_equal(el_cost_compute(u, &co, &c), EL_OK);

    assert_int_equal(c.nhours, 2);
    const struct el_cost_hour *h = c.hours;
    assert_int_equal(h[0].u.new_conns, 3);
    assert_int_equal(h[0].u.active_conn_us, 150 * SEC);
    assert_int_equal(h[0].u.bytes_lambda, 4002000);
    assert_int_equal(h[0].lcu.dim[EL_LCU_NEW_CONNS], 34);
    assert_int_equal(h[0].lcu.dim[EL_LCU_ACTIVE_CONNS], 17);
    assert_int_equal(h[0].lcu.dim[EL_LCU_BYTES], 10005);
    assert_int_equal(h[0].lcu.dim[EL_LCU_RULES], 0);
    assert_int_equal(h[0].lcu.billed, 10005);
    assert_int_equal(h[0].lcu.dominant, EL_LCU_BYTES);
    assert_int_equal(h[0].micros, 22580);
    assert_int_equal(h[1].u.new_conns, 1);
    assert_int_equal(h[1].u.active_conn_us, 130 * SEC);
    assert_int_equal(h[1].lcu.dim[EL_LCU_NEW_CONNS], 12);
    assert_int_equal(h[1].lcu.dim[EL_LCU_ACTIVE_CONNS], 17);
    assert_int_equal(h[1].lcu.billed, 10005);
    assert_int_equal(h[1].micros, 22580);

    const struct el_front_cost *alb = &c.front[EL_FRONT_ALB];
    assert_true(alb->priced);
    assert_int_equal(alb->observed_micros, 45160);
    assert_int_equal(alb->month_micros, 16257629);
    assert_int_equal(alb->month_requests, 2160);
    assert_int_equal(c.dominant_hours[EL_LCU_BYTES], 2);

    const struct el_front_cost *rest = &c.front[EL_FRONT_REST];
    assert_int_equal(rest->requests, 6);
    assert_int_equal(rest->month_requests, 2160);
    assert_int_equal(rest->month_micros, 7560);
    assert_int_equal(rest->observed_micros, 21); /* 7,560 * 2 / 720 */
    const struct el_front_cost *http = &c.front[EL_FRONT_HTTP];
    assert_int_equal(http->units, 13);
    assert_int_equal(http->month_units, 4680);
    assert_int_equal(http->month_micros, 4680);
    /* per million requests of this traffic: 16,257,629 * 1e6 / 2,160 */
    assert_int_equal(alb->per_million_micros, 7526680093LL);
    el_cost_fini(&c);

    /* Rules: 60 evaluated per request, 50 billed. Hour 10 has 4 requests:
     * ceil(4 * 50 * 1e6 / 3.6e6) = 56 micro-LCU. Bytes still dominate. */
    co.alb_rules = 60;
    assert_int_equal(el_cost_compute(u, &co, &c), EL_OK);
    assert_int_equal(c.hours[0].lcu.dim[EL_LCU_RULES], 56);
    assert_int_equal(c.hours[0].lcu.billed, 10005);
    el_cost_fini(&c);

    /* --scale 2: LCUs double (20,010 per hour -> 160.08 -> 160 micros). */
    co.alb_rules = 0;
    co.scale = 2;
    assert_int_equal(el_cost_compute(u, &co, &c), EL_OK);
    assert_int_equal(c.hours[0].micros, 22500 + 160);
    assert_int_equal(c.front[EL_FRONT_REST].month_requests, 4320);
    assert_int_equal(c.front[EL_FRONT_REST].month_micros, 15120);
    el_cost_fini(&c);
    el_usage_destroy(u);
}

/* n ALB requests to a Lambda target on one kept-alive connection, `step`
 * apart, each of in + out bytes. */
static struct el_usage *steady(int n, int64_t t, int64_t step, uint64_t in, uint64_t out)
{
    struct el_usage *u;
    assert_int_equal(el_usage_create(NULL, &u), EL_OK);
    for (int i = 0; i < n; i++) {
        struct el_record r = {
            .src = EL_SRC_ALB,
            .flags = EL_REC_HAS_TIME | EL_REC_HAS_BYTES_IN | EL_REC_HAS_BYTES_OUT |
                     EL_REC_HAS_STATUS,
            .status = 200,
            .time_us = t + i * step,
            .conn_id = { "TID_keep", 8 },
            .bytes_in = in,
            .bytes_out = out,
        };
        assert_int_equal(el_usage_add(u, &r), EL_OK);
    }
    return u;
}

/* One connection kept alive all hour, N requests of 5,000 bytes each, in
 * one clock hour: bytes dominate (N * 5,000 / 0.4e9 LCU). The month is
 * x720. ALB(F) = 720 * 22,500 + F * N * 5,000 / 400,000,000 * 720 * 8,000,
 * i.e. $16.20 + $0.10 per million requests; REST is $3.50 per million and
 * HTTP $1.00: break-even at 16.20 / 3.40 = 4.765 M and 16.20 / 0.90 = 18 M
 * requests a month (pricing notes, section 4). */
static void test_breakeven(void **state)
{
    (void)state;
    int64_t t = el_days_from_civil(2026, 3, 10) * 86400 * SEC;
    struct el_usage *u = steady(3600, t, SEC, 1000, 4000);
    struct el_cost_opts co = { .prices = el_prices_builtin("us-east-1") };
    struct el_cost c;
    assert_int_equal(el_cost_compute(u, &co, &c), EL_OK);
    assert_int_equal(c.hours[0].lcu.dominant, EL_LCU_BYTES);
    const struct el_breakeven *rest = &c.be[EL_FRONT_REST], *http = &c.be[EL_FRONT_HTTP];
    assert_true(rest->has_volume);
    assert_true(http->has_volume);
    assert_true(fabs((double)rest->month_requests - 16.2e6 / 3.4) < 16.2e6 / 3.4 * 0.001);
    assert_true(fabs((double)http->month_requests - 18e6) < 18e6 * 0.001);
    assert_true(fabs(rest->rps - 16.2e6 / 3.4 / (720 * 3600.0)) < 0.01);
    /* The size break-even at this volume (2,592,000 requests a month): ALB
     * costs 16.20 + 2.592 M * b / 0.4e9 * 0.008 $; REST 2.592 * 3.50 =
     * 9.072 $ < 16.20: ALB is the dearer at any size. HTTP even more so. */
    assert_true(rest->alb_dearer_at_any_size);
    assert_false(rest->has_bytes);
    el_cost_fini(&c);

    /* Scaled x100 (259.2 M requests a month), REST: 907.20 $ against ALB
     * 16.20 + 259.2e6 * b * 2e-11: equal at b = 891 / 5184 * 1000 = 171,875
     * bytes (the pricing notes' 175 KB is the same sum without the hourly
     * charge). */
    co.scale = 100;
    assert_int_equal(el_cost_compute(u, &co, &c), EL_OK);
    assert_true(c.be[EL_FRONT_REST].has_bytes);
    assert_true(llabs((long long)c.be[EL_FRONT_REST].bytes_per_request - 171875) <= 2);
    el_cost_fini(&c);
    el_usage_destroy(u);
}

static void test_empty_and_unpriced(void **state)
{
    (void)state;
    struct el_usage *u;
    assert_int_equal(el_usage_create(NULL, &u), EL_OK);
    struct el_cost_opts co = { .prices = el_prices_builtin("us-east-1") };
    struct el_cost c;
    assert_int_equal(el_cost_compute(u, &co, &c), EL_OK);
    assert_int_equal(c.nhours, 0);
    assert_int_equal(c.front[EL_FRONT_ALB].month_micros, 0);
    el_cost_fini(&c);
    el_usage_destroy(u);
}

/* Two requests 19 years apart: 166,561 clock hours, so the month holds
 * 2 * 720 / 166,561 = 0.009 requests, which rounds to none. Cost per
 * million of no requests is undefined, not 0; the volume break-even is
 * still that of this shape. Each request is a connection of its own, and
 * new connections set its two hours' LCUs: ceil(1e6 / 90,000) = 12
 * micro-LCU a request, $0.096 per million. ALB's month is $16.20 plus
 * that, so against REST at $3.50 per million the break-even is 16.20 /
 * 3.404 = 4.759 M requests, and 16.20 / 0.904 = 17.92 M against HTTP. */
static void test_sparse_window(void **state)
{
    (void)state;
    int64_t t = el_days_from_civil(2007, 3, 10) * 86400 * SEC;
    struct el_usage *u = steady(2, t, (int64_t)166560 * 3600 * SEC, 100, 100);
    struct el_cost_opts co = { .prices = el_prices_builtin("us-east-1") };
    struct el_cost c;
    assert_int_equal(el_cost_compute(u, &co, &c), EL_OK);
    assert_int_equal(c.nhours, 166561);
    assert_int_equal(c.front[EL_FRONT_ALB].month_requests, 0);
    assert_int_equal(c.front[EL_FRONT_ALB].month_micros, 16200000);
    for (int fr = 0; fr < EL_FRONT_COUNT; fr++)
        assert_false(c.front[fr].has_per_million);
    assert_true(c.be[EL_FRONT_REST].has_volume);
    assert_true(fabs((double)c.be[EL_FRONT_REST].month_requests - 16.2e6 / 3.404) <
                16.2e6 / 3.404 * 0.001);
    assert_true(c.be[EL_FRONT_HTTP].has_volume);
    assert_true(fabs((double)c.be[EL_FRONT_HTTP].month_requests - 16.2e6 / 0.904) <
                16.2e6 / 0.904 * 0.001);
    el_cost_fini(&c);
    el_usage_destroy(u);
}

/* London's tiers stop at 333 M (REST) and 300 M (HTTP) requests a month.
 * With ALB prices given (a pricing file would), the break-even searches
 * must not read "no price" as a price. */
static void test_partial_tables_in_breakeven(void **state)
{
    (void)state;
    int64_t t = el_days_from_civil(2026, 3, 10) * 86400 * SEC;
    struct el_prices p = *el_prices_builtin("eu-west-2");
    p.alb_hour_micros = 22500;
    p.alb_lcu_hour_micros = 1; /* $0.000001: ALB bytes nearly free */
    /* 50 requests a second for an hour: 129.6 M a month, 5,000 bytes each.
     * HTTP meters 129.6 M units up to 512 KiB a request, 259.2 M up to
     * 1 MiB, then 388.8 M: past the table. ALB at 1 MiB a request costs
     * 16.20 + 129.6e6 * 2^20 / 0.4e9 * 1e-6 = 16.54 $, far below HTTP's
     * 259.2 * 1.16 = 300.67 $: ALB does not catch up while HTTP has a
     * price, so there is no size break-even (not one at 1 MiB + 1, where
     * the prices run out). */
    struct el_usage *u = steady(3600 * 50, t, SEC / 50, 1000, 4000);
    struct el_cost_opts co = { .prices = &p };
    struct el_cost c;
    assert_int_equal(el_cost_compute(u, &co, &c), EL_OK);
    assert_true(c.front[EL_FRONT_HTTP].priced);
    assert_false(c.be[EL_FRONT_HTTP].has_bytes);
    assert_false(c.be[EL_FRONT_HTTP].alb_dearer_at_any_size);
    el_cost_fini(&c);
    el_usage_destroy(u);

    /* 200,000 bytes a request to Lambda: ALB's bytes cost 200e3 / 0.4e9 *
     * 0.008 = $4.00 per million, above REST's $3.50, so ALB is never the
     * cheaper below 333 M, and above it London has no price: unknown,
     * which the report must not print as "never". */
    p.alb_lcu_hour_micros = 8000;
    u = steady(3600, t, SEC, 100000, 100000);
    assert_int_equal(el_cost_compute(u, &co, &c), EL_OK);
    assert_false(c.be[EL_FRONT_REST].has_volume);
    assert_true(c.be[EL_FRONT_REST].volume_unknown);
    el_cost_fini(&c);
    /* us-east-1 prices every volume: there "never" is the answer. */
    co.prices = el_prices_builtin("us-east-1");
    assert_int_equal(el_cost_compute(u, &co, &c), EL_OK);
    assert_false(c.be[EL_FRONT_REST].has_volume);
    assert_false(c.be[EL_FRONT_REST].volume_unknown);
    el_cost_fini(&c);
    el_usage_destroy(u);
}

/* --scale 1e6 on ten requests of 2 TB in one hour: 2e13 bytes / 0.4e9 =
 * 50,000 LCU = 5e10 micro-LCU. The month is 5e10 * 1e6 * 720 = 3.6e19
 * micro-LCU-hours, past 64 bits, at $0.008: 2.88e17 micros, + 720 *
 * 22,500. Capping the LCU count first would give 9.2e18 * 0.008 = 7.4e16,
 * a wrong amount printed as if right. */
static void test_huge_scale_lcu_money(void **state)
{
    (void)state;
    int64_t t = el_days_from_civil(2026, 3, 10) * 86400 * SEC;
    struct el_usage *u = steady(10, t, SEC, 1000000000000ull, 1000000000000ull);
    struct el_cost_opts co = { .prices = el_prices_builtin("us-east-1"), .scale = 1e6 };
    struct el_cost c;
    assert_int_equal(el_cost_compute(u, &co, &c), EL_OK);
    assert_int_equal(c.lcu_billed_sum, 50000000000LL);
    assert_int_equal(c.front[EL_FRONT_ALB].month_micros, 288000000000000000LL + 16200000);
    /* the hour: 5e10 * 1e6 micro-LCU * 0.008 = 4e14 micros + 22,500 */
    assert_int_equal(c.hours[0].micros, 400000000000000LL + 22500);
    el_cost_fini(&c);
    el_usage_destroy(u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_made_log),
        cmocka_unit_test(test_breakeven),
        cmocka_unit_test(test_empty_and_unpriced),
        cmocka_unit_test(test_sparse_window),
        cmocka_unit_test(test_partial_tables_in_breakeven),
        cmocka_unit_test(test_huge_scale_lcu_money),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

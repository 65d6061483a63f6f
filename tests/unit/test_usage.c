/* test_usage.c: the hourly usage behind the cost model (analysis/usage.c):
 * connections opened and open, bytes, billable requests, peaks, and that
 * merging any split of the records gives the same hours as one pass. Every
 * expected number is worked out by hand in the comments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "check.h"
#include "cost.h"

#define S(lit) ((struct el_str){ (lit), sizeof(lit) - 1 })
#define SEC 1000000LL
#define HOUR (3600 * SEC)

/* 2026-03-10T10:00:00Z */
static int64_t t0(void)
{
    return el_days_from_civil(2026, 3, 10) * 86400 * SEC + 10 * HOUR;
}

static struct el_record alb(int64_t t, struct el_str tid, uint64_t in, uint64_t out)
{
    return (struct el_record){
        .src = EL_SRC_ALB,
        .flags = EL_REC_HAS_TIME | EL_REC_HAS_BYTES_IN | EL_REC_HAS_BYTES_OUT |
                 EL_REC_HAS_CLIENT_PORT | EL_REC_HAS_STATUS,
        .status = 200,
        .time_us = t,
        .conn_id = tid,
        .client_ip = S("203.0.113.9"),
        .client_port = 40000,
        .bytes_in = in,
        .bytes_out = out,
    };
}

static struct el_usage *collect(const struct el_record *r, size_t n, int64_t idle_us)
{
    struct el_usage_opts o = { .idle_timeout_us = idle_us };
    struct el_usage *u = NULL;
    assert_int_equal(el_usage_create(&o, &u), EL_OK);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(el_usage_add(u, &r[i]), EL_OK);
    return u;
}

static void hours_of(struct el_usage *u, struct el_usage_hour **h, size_t *n,
                     struct el_usage_totals *t)
{
    assert_int_equal(el_usage_hours(u, h, n, t), EL_OK);
}

static void test_one_kept_alive_connection(void **state)
{
    (void)state;
    /* Three requests on one connection, 30 s apart, idle timeout 60 s: the
     * connection opens at 10:00:00 and closes at 10:02:00 (last request
     * 10:01:00 + 60 s): one new connection, 120 s open. */
    int64_t t = t0();
    struct el_record r[] = { alb(t, S("TID_a"), 100, 900), alb(t + 30 * SEC, S("TID_a"), 100, 900),
                             alb(t + 60 * SEC, S("TID_a"), 100, 900) };
    struct el_usage *u = collect(r, 3, 60 * SEC);
    struct el_usage_hour *h;
    size_t n;
    struct el_usage_totals tot;
    hours_of(u, &h, &n, &tot);
    assert_int_equal(n, 1);
    assert_int_equal(h[0].start_us, t);
    assert_int_equal(h[0].requests, 3);
    assert_int_equal(h[0].new_conns, 1);
    assert_int_equal(h[0].active_conn_us, 120 * SEC);
    assert_int_equal(h[0].bytes_lambda, 3000); /* no target: Lambda */
    assert_int_equal(h[0].bytes_other, 0);
    assert_int_equal(h[0].apigw_billable, 3);
    assert_int_equal(h[0].http_units, 3);
    assert_int_equal(h[0].peak_rps, 1);
    assert_int_equal(tot.by_trace_id, 3);
    assert_int_equal(tot.conns, 1);
    el_free(h);
    el_usage_destroy(u);
}

static void test_idle_gap_reopens(void **state)
{
    (void)state;
    /* The same id 5 minutes later, past the 60 s idle timeout: the first
     * connection lived 10:00:00-10:01:00, a second one 10:05:00-10:06:00:
     * two openings, 120 s open in all. Read in either order. */
    int64_t t = t0();
    struct el_record r[] = { alb(t, S("TID_b"), 1, 1), alb(t + 300 * SEC, S("TID_b"), 1, 1) };
    for (int order = 0; order < 2; order++) {
        struct el_record rr[2] = { r[order], r[1 - order] };
        struct el_usage *u = collect(rr, 2, 60 * SEC);
        struct el_usage_hour *h;
        size_t n;
        struct el_usage_totals tot;
        hours_of(u, &h, &n, &tot);
        assert_int_equal(n, 1);
        assert_int_equal(h[0].new_conns, 2);
        assert_int_equal(h[0].active_conn_us, 120 * SEC);
        assert_int_equal(tot.conns, 2);
        el_free(h);
        el_usage_destroy(u);
    }
}

static void test_connection_across_hours_and_window(void **state)
{
    (void)state;
    /* A request at 10:59:30 keeps its connection open until 11:00:30: 30 s
     * in each hour. A second client at 12:10:00 makes the window 10:00 to
     * 12:00 (three hours; 11:00 has no request but is billed all the same),
     * and its connection (ip:port, no trace id) is 60 s in hour 12. */
    int64_t t = t0();
    struct el_record r[] = { alb(t + 3570 * SEC, S("TID_c"), 10, 20),
                             alb(t + 2 * HOUR + 600 * SEC, (struct el_str){ 0 }, 5, 5) };
    r[1].client_port = 50000;
    struct el_usage *u = collect(r, 2, 60 * SEC);
    struct el_usage_hour *h;
    size_t n;
    struct el_usage_totals tot;
    hours_of(u, &h, &n, &tot);
    assert_int_equal(n, 3);
    assert_int_equal(h[0].new_conns, 1);
    assert_int_equal(h[0].active_conn_us, 30 * SEC);
    assert_int_equal(h[1].start_us, t + HOUR);
    assert_int_equal(h[1].requests, 0);
    assert_int_equal(h[1].new_conns, 0);
    assert_int_equal(h[1].active_conn_us, 30 * SEC);
    assert_int_equal(h[2].new_conns, 1);
    assert_int_equal(h[2].active_conn_us, 60 * SEC);
    assert_int_equal(tot.by_trace_id, 1);
    assert_int_equal(tot.by_ip_port, 1);
    assert_int_equal(tot.first_us, t + 3570 * SEC);
    assert_int_equal(tot.last_us, t + 2 * HOUR + 600 * SEC);
    el_free(h);
    el_usage_destroy(u);
}

static void test_apigw_billing_and_identity(void **state)
{
    (void)state;
    /* API Gateway records: a throttled one is not billed; one refused by
     * the authorizer (403 with no integration answer) is not billed; a
     * 600,000-byte response is two HTTP API units (512 KiB = 524,288); a
     * request without any client identity is a connection of its own, open
     * for its 250 ms latency. By IP (no port): one kept-alive connection. */
    int64_t t = t0() + 100 * SEC;
    struct el_record base = { .src = EL_SRC_APIGW_HTTP,
                              .flags = EL_REC_HAS_TIME | EL_REC_HAS_STATUS,
                              .status = 200,
                              .time_us = t,
                              .client_ip = S("198.51.100.7") };
    struct el_record r[5];
    for (int i = 0; i < 5; i++)
        r[i] = base;
    r[0].status = 429;
    r[0].features = EL_FEAT_THROTTLED;
    r[1].status = 403;
    r[1].features = EL_FEAT_AUTHORIZER;
    r[2].flags |= EL_REC_HAS_BYTES_OUT;
    r[2].bytes_out = 600000;
    r[3].time_us = t + 10 * SEC;
    r[4].client_ip = (struct el_str){ 0 };
    r[4].flags |= EL_REC_HAS_LATENCY;
    r[4].latency_us = 250000;
    struct el_usage *u = collect(r, 5, 60 * SEC);
    struct el_usage_hour *h;
    size_t n;
    struct el_usage_totals tot;
    hours_of(u, &h, &n, &tot);
    assert_int_equal(n, 1);
    assert_int_equal(h[0].requests, 5);
    assert_int_equal(h[0].apigw_billable, 3);
    assert_int_equal(h[0].http_units, 2 + 1 + 1);
    assert_int_equal(h[0].peak_rps, 4); /* r0, r1, r2, r4 in the same second */
    assert_int_equal(tot.by_ip, 4);
    assert_int_equal(tot.unidentified, 1);
    assert_int_equal(tot.conns, 2);
    assert_int_equal(tot.without_bytes, 4);
    assert_int_equal(h[0].new_conns, 2);
    /* the IP's connection: t .. t+10 s + 60 s idle = 70 s; the other 0.25 s */
    assert_int_equal(h[0].active_conn_us, 70 * SEC + 250000);
    assert_int_equal(tot.peak_rps, 4);
    assert_int_equal(tot.peak_us, t);
    el_free(h);
    el_usage_destroy(u);
}

static void test_targets_and_untimed(void **state)
{
    (void)state;
    int64_t t = t0();
    struct el_record r[2] = { alb(t, S("TID_d"), 300, 700), alb(t, S("TID_d"), 1, 1) };
    r[0].target = S("10.0.0.5:8080"); /* an instance target */
    r[1].flags &= ~(uint32_t)EL_REC_HAS_TIME;
    struct el_usage *u = collect(r, 2, 60 * SEC);
    struct el_usage_hour *h;
    size_t n;
    struct el_usage_totals tot;
    hours_of(u, &h, &n, &tot);
    assert_int_equal(n, 1);
    assert_int_equal(h[0].bytes_other, 1000);
    assert_int_equal(h[0].bytes_lambda, 0);
    assert_int_equal(tot.untimed, 1);
    assert_int_equal(tot.requests, 2);
    el_free(h);
    el_usage_destroy(u);
}

static void test_connection_cap(void **state)
{
    (void)state;
    /* max 2 remembered: the third distinct connection is booked at once
     * (opened, open for the idle timeout) and counted as untracked. */
    int64_t t = t0();
    struct el_record r[3] = { alb(t, S("TID_1"), 1, 1), alb(t, S("TID_2"), 1, 1),
                              alb(t, S("TID_3"), 1, 1) };
    struct el_usage_opts o = { .idle_timeout_us = 60 * SEC, .max_conns = 2 };
    struct el_usage *u;
    assert_int_equal(el_usage_create(&o, &u), EL_OK);
    for (int i = 0; i < 3; i++)
        assert_int_equal(el_usage_add(u, &r[i]), EL_OK);
    struct el_usage_hour *h;
    size_t n;
    struct el_usage_totals tot;
    hours_of(u, &h, &n, &tot);
    assert_int_equal(h[0].new_conns, 3);
    assert_int_equal(h[0].active_conn_us, 3 * 60 * SEC);
    assert_int_equal(tot.conns, 3);
    assert_int_equal(tot.conns_untracked, 1);
    el_free(h);
    el_usage_destroy(u);
}

/* Random traffic over three hours: 200 clients, each keeping a connection
 * alive with requests a few seconds apart, sometimes pausing past the idle
 * timeout. Records are generated in time order per client. */
#define N_RECS 3000
static void make_traffic(struct el_record *r, char ids[][16])
{
    uint64_t s = 42;
    int64_t clock[200];
    for (int c = 0; c < 200; c++)
        clock[c] = t0() + (int64_t)(check_splitmix(&s) % 600) * SEC;
    for (int i = 0; i < N_RECS; i++) {
        int c = (int)(check_splitmix(&s) % 200);
        clock[c] += (int64_t)(check_splitmix(&s) % 60 + 1) * SEC;
        if (check_splitmix(&s) % 10 == 0)
            clock[c] += 1800 * SEC;
        snprintf(ids[i], 16, "TID_%03d", c);
        r[i] = alb(clock[c], (struct el_str){ ids[i], strlen(ids[i]) },
                   check_splitmix(&s) % 5000, check_splitmix(&s) % 50000);
    }
}

static void test_merge_equals_single_pass(void **state)
{
    (void)state;
    static struct el_record r[N_RECS];
    static char ids[N_RECS][16];
    make_traffic(r, ids);
    /* Sort by time as one ALB node's file would be. */
    for (int i = 1; i < N_RECS; i++)
        for (int j = i; j > 0 && r[j].time_us < r[j - 1].time_us; j--) {
            struct el_record x = r[j];
            r[j] = r[j - 1];
            r[j - 1] = x;
        }
    struct el_usage *one = collect(r, N_RECS, 60 * SEC);
    struct el_usage_hour *h1;
    size_t n1;
    struct el_usage_totals t1;
    hours_of(one, &h1, &n1, &t1);
    assert_true(n1 >= 2);

    /* Contiguous splits (files read on different threads), merged in
     * either order: the same hours. */
    static const int cuts[] = { 1, 700, 1500, 2999 };
    for (size_t k = 0; k < EL_ARRAY_LEN(cuts); k++) {
        for (int order = 0; order < 2; order++) {
            struct el_usage *a = collect(r, (size_t)cuts[k], 60 * SEC);
            struct el_usage *b = collect(r + cuts[k], (size_t)(N_RECS - cuts[k]), 60 * SEC);
            struct el_usage *dst = order ? b : a, *src = order ? a : b;
            assert_int_equal(el_usage_merge(dst, src), EL_OK);
            struct el_usage_hour *h2;
            size_t n2;
            struct el_usage_totals t2;
            hours_of(dst, &h2, &n2, &t2);
            assert_int_equal(n2, n1);
            for (size_t i = 0; i < n1; i++) {
                assert_int_equal(h2[i].requests, h1[i].requests);
                assert_int_equal(h2[i].new_conns, h1[i].new_conns);
                assert_int_equal(h2[i].active_conn_us, h1[i].active_conn_us);
                assert_int_equal(h2[i].bytes_lambda, h1[i].bytes_lambda);
                assert_int_equal(h2[i].peak_rps, h1[i].peak_rps);
                assert_int_equal(h2[i].http_units, h1[i].http_units);
            }
            assert_int_equal(t2.conns, t1.conns);
            assert_int_equal(t2.first_us, t1.first_us);
            assert_int_equal(t2.last_us, t1.last_us);
            assert_int_equal(t2.peak_rps, t1.peak_rps);
            assert_int_equal(t2.peak_us, t1.peak_us);
            el_free(h2);
            el_usage_destroy(a);
            el_usage_destroy(b);
        }
    }
    el_free(h1);
    el_usage_destroy(one);
}

static void test_settle_then_more(void **state)
{
    (void)state;
    /* Asking for the hours settles the spans in place; asking again, or
     * adding the rest of the records and asking then, must give what one
     * collector given everything at once gives. */
    static struct el_record r[N_RECS];
    static char ids[N_RECS][16];
    make_traffic(r, ids);
    struct el_usage *one = collect(r, N_RECS, 60 * SEC);
    struct el_usage_hour *h1, *h2;
    size_t n1, n2;
    struct el_usage_totals t1, t2;
    hours_of(one, &h1, &n1, &t1);

    struct el_usage *u = collect(r, N_RECS / 2, 60 * SEC);
    hours_of(u, &h2, &n2, &t2);
    el_free(h2);
    hours_of(u, &h2, &n2, &t2); /* twice: the same */
    el_free(h2);
    for (int i = N_RECS / 2; i < N_RECS; i++)
        assert_int_equal(el_usage_add(u, &r[i]), EL_OK);
    hours_of(u, &h2, &n2, &t2);
    assert_int_equal(n2, n1);
    assert_int_equal(t2.conns, t1.conns);
    for (size_t i = 0; i < n1; i++) {
        assert_int_equal(h2[i].new_conns, h1[i].new_conns);
        assert_int_equal(h2[i].active_conn_us, h1[i].active_conn_us);
    }
    el_free(h1);
    el_free(h2);
    el_usage_destroy(one);
    el_usage_destroy(u);
}

static void test_nomem_is_clean(void **state)
{
    (void)state;
    static struct el_record r[N_RECS];
    static char ids[N_RECS][16];
    make_traffic(r, ids);
    for (uint64_t k = 1; k < 30; k++) {
        struct el_usage *u = NULL;
        el_mem_fail_after(k);
        enum el_err rc = el_usage_create(NULL, &u);
        for (int i = 0; i < 500 && rc == EL_OK; i++)
            rc = el_usage_add(u, &r[i]);
        struct el_usage_hour *h = NULL;
        size_t n;
        struct el_usage_totals t;
        if (rc == EL_OK)
            rc = el_usage_hours(u, &h, &n, &t);
        el_mem_fail_after(0);
        assert_true(rc == EL_OK || rc == EL_ERR_NOMEM);
        el_free(h);
        el_usage_destroy(u);
    }
}

static void test_huge_sizes_saturate(void **state)
{
    (void)state;
    /* Sizes up to 2^62 - 1 a field parse (alb.c's bound): three such
     * requests of 2 x (2^62 - 1) bytes would wrap a 64-bit sum to about
     * 2^63 and price the hour as a smaller one. They saturate instead,
     * and so does a merge of two such hours. */
    int64_t t = t0();
    uint64_t big = UINT64_MAX / 4;
    struct el_record r[3] = { alb(t, S("TID_h"), big, big), alb(t + SEC, S("TID_h"), big, big),
                              alb(t + 2 * SEC, S("TID_h"), big, big) };
    struct el_usage *u = collect(r, 3, 60 * SEC);
    struct el_usage *v = collect(r, 1, 60 * SEC);
    assert_int_equal(el_usage_merge(v, u), EL_OK);
    struct el_usage *w = collect(r, 1, 60 * SEC);
    struct el_usage_hour *h;
    size_t n;
    struct el_usage_totals tot;
    hours_of(u, &h, &n, &tot);
    assert_true(h[0].bytes_lambda == UINT64_MAX);
    el_free(h);
    hours_of(v, &h, &n, &tot);
    assert_true(h[0].bytes_lambda == UINT64_MAX);
    el_free(h);
    hours_of(w, &h, &n, &tot);
    assert_true(h[0].bytes_lambda == 2 * big); /* one request: exact */
    el_free(h);
    el_usage_destroy(u);
    el_usage_destroy(v);
    el_usage_destroy(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_kept_alive_connection),
        cmocka_unit_test(test_idle_gap_reopens),
        cmocka_unit_test(test_connection_across_hours_and_window),
        cmocka_unit_test(test_apigw_billing_and_identity),
        cmocka_unit_test(test_targets_and_untimed),
        cmocka_unit_test(test_connection_cap),
        cmocka_unit_test(test_merge_equals_single_pass),
        cmocka_unit_test(test_settle_then_more),
        cmocka_unit_test(test_nomem_is_clean),
        cmocka_unit_test(test_huge_sizes_saturate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

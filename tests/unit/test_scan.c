/* test_scan.c: the strict scanners of core/: every edge of the integer,
 * decimal-seconds and ISO-8601 scanners, and the formatters that must be
 * their exact inverses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core.h"
#include "guard.h"

static struct el_str g(const char *s)
{
    size_t n = strlen(s);
    return (struct el_str){ guard_copy(s, n), n };
}

struct u64_case {
    const char *name, *in;
    uint64_t max;
    enum el_err rc;
    uint64_t want;
};

static void test_scan_u64_cases(void **state)
{
    (void)state;
    static const struct u64_case cases[] = {
        { "zero", "0", 999, EL_OK, 0 },
        { "status", "200", 999, EL_OK, 200 },
        { "at max", "999", 999, EL_OK, 999 },
        { "over max", "1000", 999, EL_ERR_RANGE, 0 },
        { "u64 max", "18446744073709551615", UINT64_MAX, EL_OK, UINT64_MAX },
        { "u64 overflow", "18446744073709551616", UINT64_MAX, EL_ERR_RANGE, 0 },
        { "empty", "", 999, EL_ERR_PARSE, 0 },
        { "sign", "-1", 999, EL_ERR_PARSE, 0 },
        { "plus", "+1", 999, EL_ERR_PARSE, 0 },
        { "trailing junk", "12a", 999, EL_ERR_PARSE, 0 },
        { "space", "1 2", 999, EL_ERR_PARSE, 0 },
        { "leading zeros", "007", 999, EL_OK, 7 },
    };
    for (size_t i = 0; i < EL_ARRAY_LEN(cases); i++) {
        const struct u64_case *c = &cases[i];
        uint64_t out = 12345;
        enum el_err rc = el_scan_u64(g(c->in), c->max, &out);
        if (rc != c->rc)
            fail_msg("case '%s': rc %d, want %d", c->name, rc, c->rc);
        if (rc == EL_OK && out != c->want)
            fail_msg("case '%s': got %llu, want %llu", c->name, (unsigned long long)out,
                     (unsigned long long)c->want);
        if (rc != EL_OK && out != 12345)
            fail_msg("case '%s': output written on failure", c->name);
    }
}

struct secs_case {
    const char *name, *in;
    enum el_err rc;
    int64_t want;
};

static void test_scan_secs_cases(void **state)
{
    (void)state;
    static const struct secs_case cases[] = {
        { "alb ms", "0.001", EL_OK, 1000 },
        { "zero", "0.000", EL_OK, 0 },
        { "whole", "12", EL_OK, 12000000 },
        { "not measured", "-1", EL_OK, -1000000 },
        { "micro", "1.000001", EL_OK, 1000001 },
        { "nanos truncated", "0.0000019", EL_OK, 1 },
        { "thirty seconds", "30.012", EL_OK, 30012000 },
        { "max whole", "999999999", EL_OK, 999999999000000 },
        { "too big", "1000000000", EL_ERR_RANGE, 0 },
        { "empty", "", EL_ERR_PARSE, 0 },
        { "dot only", ".", EL_ERR_PARSE, 0 },
        { "no int part", ".5", EL_ERR_PARSE, 0 },
        { "no frac digits", "1.", EL_ERR_PARSE, 0 },
        { "dash only", "-", EL_ERR_PARSE, 0 },
        { "junk", "0.0x1", EL_ERR_PARSE, 0 },
        { "exponent", "1e3", EL_ERR_PARSE, 0 },
    };
    for (size_t i = 0; i < EL_ARRAY_LEN(cases); i++) {
        const struct secs_case *c = &cases[i];
        int64_t out = 777;
        enum el_err rc = el_scan_secs_us(g(c->in), &out);
        if (rc != c->rc)
            fail_msg("case '%s': rc %d, want %d", c->name, rc, c->rc);
        if (rc == EL_OK && out != c->want)
            fail_msg("case '%s': got %lld, want %lld", c->name, (long long)out,
                     (long long)c->want);
        if (rc != EL_OK && out != 777)
            fail_msg("case '%s': output written on failure", c->name);
    }
}

struct iso_case {
    const char *name, *in;
    enum el_err rc;
    int64_t want;
};

static void test_scan_iso8601_cases(void **state)
{
    (void)state;
    static const struct iso_case cases[] = {
        { "epoch", "1970-01-01T00:00:00Z", EL_OK, 0 },
        { "alb micro", "2018-07-02T22:23:00.186641Z", EL_OK, 1530570180186641 },
        { "millis", "2026-03-10T00:00:00.500Z", EL_OK, 1773100800500000 },
        { "leap day", "2024-02-29T12:00:00Z", EL_OK, 1709208000000000 },
        { "year 9999", "9999-12-31T23:59:59.999999Z", EL_OK, 253402300799999999 },
        { "nanos truncated", "1970-01-01T00:00:01.0000019Z", EL_OK, 1000001 },
        { "feb 30", "2026-02-30T00:00:00Z", EL_ERR_RANGE, 0 },
        { "feb 29 non leap", "2025-02-29T00:00:00Z", EL_ERR_RANGE, 0 },
        { "1900 not leap", "1900-02-29T00:00:00Z", EL_ERR_RANGE, 0 },
        { "year 0", "0000-01-01T00:00:00Z", EL_ERR_RANGE, 0 },
        { "before epoch", "1969-12-31T23:59:59Z", EL_ERR_RANGE, 0 },
        { "month 13", "2026-13-01T00:00:00Z", EL_ERR_RANGE, 0 },
        { "hour 24", "2026-01-01T24:00:00Z", EL_ERR_RANGE, 0 },
        { "no Z", "2026-01-01T00:00:00", EL_ERR_PARSE, 0 },
        { "offset", "2026-01-01T00:00:00+01:00", EL_ERR_PARSE, 0 },
        { "space sep", "2026-01-01 00:00:00Z", EL_ERR_PARSE, 0 },
        { "letters", "2026-0a-01T00:00:00Z", EL_ERR_PARSE, 0 },
        { "dot no digits", "2026-01-01T00:00:00.Z", EL_ERR_PARSE, 0 },
        { "trailing", "2026-01-01T00:00:00Zx", EL_ERR_PARSE, 0 },
        { "short", "2026-01-01", EL_ERR_PARSE, 0 },
        { "empty", "", EL_ERR_PARSE, 0 },
    };
    for (size_t i = 0; i < EL_ARRAY_LEN(cases); i++) {
        const struct iso_case *c = &cases[i];
        int64_t out = 42;
        enum el_err rc = el_scan_iso8601_us(g(c->in), &out);
        if (rc != c->rc)
            fail_msg("case '%s': rc %d, want %d", c->name, rc, c->rc);
        if (rc == EL_OK && out != c->want)
            fail_msg("case '%s': got %lld, want %lld", c->name, (long long)out,
                     (long long)c->want);
        if (rc != EL_OK && out != 42)
            fail_msg("case '%s': output written on failure", c->name);
    }
}

/* Formatting then scanning must give back the same microseconds for every
 * day over a long span, which also checks civil-from-days against
 * days-from-civil at every month and leap boundary. */
static void test_fmt_iso8601_round_trip(void **state)
{
    (void)state;
    char buf[EL_ISO_BUF];
    for (int64_t day = 0; day < 200 * 366; day += 1) {
        int64_t us = day * 86400000000LL + (day % 86400) * 1000000LL + day % 1000000;
        size_t n = el_fmt_iso8601_us(us, buf);
        assert_int_equal(n, 27);
        int64_t back = -1;
        if (el_scan_iso8601_us((struct el_str){ buf, n }, &back) != EL_OK || back != us)
            fail_msg("day %lld: '%s' scanned back to %lld", (long long)day, buf,
                     (long long)back);
    }
    el_fmt_iso8601_us(1530570180186641, buf);
    assert_string_equal(buf, "2018-07-02T22:23:00.186641Z");
}

static void test_fmt_ms(void **state)
{
    (void)state;
    char buf[32];
    static const struct {
        int64_t us;
        const char *want;
    } cases[] = {
        { 0, "0.000" },         { 1, "0.001" },          { 999, "0.999" },
        { 1000, "1.000" },      { 123456, "123.456" },   { 30012000, "30012.000" },
        { -1500, "-1.500" },    { INT64_MAX, "9223372036854775.807" },
    };
    for (size_t i = 0; i < EL_ARRAY_LEN(cases); i++) {
        size_t n = el_fmt_ms(cases[i].us, buf);
        if (strcmp(buf, cases[i].want) != 0 || n != strlen(cases[i].want))
            fail_msg("%lld us: got '%s', want '%s'", (long long)cases[i].us, buf,
                     cases[i].want);
    }
}

static void test_mem_fail_after(void **state)
{
    (void)state;
    uint64_t before = el_mem_allocs();
    el_mem_fail_after(2);
    void *a = el_malloc(8);
    void *b = el_malloc(8);
    void *c = el_malloc(8);
    assert_non_null(a);
    assert_null(b);
    assert_non_null(c);
    assert_int_equal(el_mem_allocs() - before, 2);
    el_free(a);
    el_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scan_u64_cases),
        cmocka_unit_test(test_scan_secs_cases),
        cmocka_unit_test(test_scan_iso8601_cases),
        cmocka_unit_test(test_fmt_iso8601_round_trip),
        cmocka_unit_test(test_fmt_ms),
        cmocka_unit_test(test_mem_fail_after),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

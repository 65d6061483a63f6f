/* test_route.c: unit tests for el_route_template (parsers/route.c).
 *
 * Two tables: the placeholder rules (path -> route with room to spare) and
 * the cap rules (a route that does not fit is cut at a segment boundary, and
 * the buffer is never written past cap). Every input path is a guard-page
 * copy, and every output buffer has a sentinel tail checked after the call.
 */
#include "parsers.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "guard.h"

#define SENTINEL 0x5A
#define TAIL 16

struct route_case {
    const char *name;
    const char *path;
    size_t cap; /* 0 in the rules table means "plenty" */
    const char *want;
};

static const struct route_case rule_cases[] = {
    /* empty and root */
    { "root", "/", 0, "/" },
    { "empty path is '/'", "", 0, "/" },
    { "plain words kept", "/health", 0, "/health" },
    /* all digits */
    { "numeric id", "/users/123", 0, "/users/{id}" },
    { "two numeric ids", "/users/123/orders/456", 0, "/users/{id}/orders/{id}" },
    { "single digit", "/page/0", 0, "/page/{id}" },
    { "very long number", "/n/123456789012345678901234567890", 0, "/n/{id}" },
    /* UUID */
    { "uuid lower case", "/items/550e8400-e29b-41d4-a716-446655440000", 0, "/items/{uuid}" },
    { "uuid upper case", "/items/550E8400-E29B-41D4-A716-446655440000", 0, "/items/{uuid}" },
    { "uuid without dashes is 32 hex", "/items/550e8400e29b41d4a716446655440000", 0,
      "/items/{hex}" },
    /* hex */
    { "16 hex with a digit", "/blobs/0123456789abcdef", 0, "/blobs/{hex}" },
    { "24 hex mixed case", "/blobs/0123456789ABCDEFabcdef01", 0, "/blobs/{hex}" },
    { "15 hex kept", "/blobs/0123456789abcde", 0, "/blobs/0123456789abcde" },
    { "hex-like word without a digit kept", "/w/deadbeefdeadbeefcafe", 0,
      "/w/deadbeefdeadbeefcafe" },
    /* tokens */
    { "16-char token", "/s/a8Fk2L9xQ7mZ3pR1", 0, "/s/{token}" },
    { "token with '-' inside a mixed run", "/t/x9Y8z7q-w6V5u4T3p", 0, "/t/{token}" },
    /* switches are counted within runs between '-' and '_': word-number slugs stay */
    { "word_number slug kept", "/t/abc_123_def-456_ghi789", 0, "/t/abc_123_def-456_ghi789" },
    { "blog slug kept", "/blog/top-10-tips-for-2024", 0, "/blog/top-10-tips-for-2024" },
    { "product slug kept", "/p/iphone-15-pro-256gb", 0, "/p/iphone-15-pro-256gb" },
    { "15-char token-like kept", "/s/a8Fk2L9xQ7mZ3pR", 0, "/s/a8Fk2L9xQ7mZ3pR" },
    { "long word with one switch kept", "/x/abcdefghijklmnop1234", 0,
      "/x/abcdefghijklmnop1234" },
    { "two switches kept", "/x/abcdefgh1234abcdefgh", 0, "/x/abcdefgh1234abcdefgh" },
    /* words that must stay */
    { "slug with a year kept", "/promo/summer-sale-2024", 0, "/promo/summer-sale-2024" },
    { "version segment kept", "/api/v2/users/42", 0, "/api/v2/users/{id}" },
    { "file name kept", "/static/app.3f9a.js", 0, "/static/app.3f9a.js" },
    /* slashes */
    { "trailing slash kept", "/a/1/", 0, "/a/{id}/" },
    { "double slashes kept", "//a//1", 0, "//a//{id}" },
    { "only slashes", "///", 0, "///" },
    { "no leading slash", "users/7", 0, "users/{id}" },
    /* percent-encoding is not decoded: such segments are kept verbatim */
    { "percent-encoded word kept", "/files/%7Euser/42", 0, "/files/%7Euser/{id}" },
    { "percent-encoded digits kept", "/files/%31%32%33", 0, "/files/%31%32%33" },
    { "percent-encoded space in a slug kept", "/q/summer%20sale", 0, "/q/summer%20sale" },
    { "matrix parameter kept", "/users/123;jsessionid=x", 0, "/users/123;jsessionid=x" },
    { "non-ASCII segment kept", "/caf\xC3\xA9/9", 0, "/caf\xC3\xA9/{id}" },
};

static const struct route_case cap_cases[] = {
    { "fits exactly", "/users/123", 11, "/users/{id}" },
    { "one byte short: cut before {id}", "/users/123", 10, "/users/" },
    { "cut at a segment boundary", "/users/123/orders", 8, "/users/" },
    { "several segments, cap 5", "/a/b/c/d/e/f", 5, "/a/b/" },
    { "several segments, cap 6", "/a/b/c/d/e/f", 6, "/a/b/" },
    { "several segments, cap 7", "/a/b/c/d/e/f", 7, "/a/b/c/" },
    { "last segment without slash fits", "/a/b", 4, "/a/b" },
    { "first segment too long: '/'", "/abcdefghij", 5, "/" },
    { "no leading slash, nothing fits: '/'", "abcdef", 3, "/" },
    { "cap 2", "/a/b", 2, "/" },
    { "cap 1", "/users/123", 1, "/" },
    { "cap 1, empty path", "", 1, "/" },
    { "placeholder longer than the raw segment does not fit", "/1", 3, "/" },
};

/* Runs one row; returns 1 (and prints) on failure. */
static int run_case(const struct route_case *c, size_t cap)
{
    char buf[512 + TAIL];
    size_t pn = strlen(c->path);

    assert_true(cap <= 512);
    memset(buf, SENTINEL, sizeof(buf));
    struct el_str path = { guard_copy(c->path, pn), pn };
    struct el_str got = el_route_template(path, buf, cap);

    for (size_t k = cap; k < sizeof(buf); k++) {
        if ((unsigned char)buf[k] != SENTINEL) {
            print_error("case '%s': wrote byte %zu, past cap %zu\n", c->name, k, cap);
            return 1;
        }
    }
    size_t wn = strlen(c->want);
    if (got.n != wn || (wn && (got.p != buf || memcmp(got.p, c->want, wn) != 0))) {
        print_error("case '%s': route '%.*s' (%zu bytes), want '%s' (%zu bytes)\n", c->name,
                    (int)got.n, got.p ? got.p : "", got.n, c->want, wn);
        return 1;
    }
    if (got.n > cap) {
        print_error("case '%s': route length %zu over cap %zu\n", c->name, got.n, cap);
        return 1;
    }
    return 0;
}

static void test_route_rules(void **state)
{
    (void)state;
    size_t failed = 0;
    for (size_t i = 0; i < EL_ARRAY_LEN(rule_cases); i++)
        failed += (size_t)run_case(&rule_cases[i], 512);
    if (failed)
        fail_msg("%zu of %zu rule cases failed (see above)", failed, EL_ARRAY_LEN(rule_cases));
}

static void test_route_cap(void **state)
{
    (void)state;
    size_t failed = 0;
    for (size_t i = 0; i < EL_ARRAY_LEN(cap_cases); i++)
        failed += (size_t)run_case(&cap_cases[i], cap_cases[i].cap);
    if (failed)
        fail_msg("%zu of %zu cap cases failed (see above)", failed, EL_ARRAY_LEN(cap_cases));
}

/* cap 0: nothing can be written, the view is empty and the buffer untouched. */
static void test_route_cap_zero(void **state)
{
    (void)state;
    char buf[TAIL];
    memset(buf, SENTINEL, sizeof(buf));
    struct el_str got = el_route_template(EL_STR_LIT("/users/1"), buf, 0);
    assert_int_equal(got.n, 0);
    for (size_t k = 0; k < sizeof(buf); k++)
        assert_int_equal((unsigned char)buf[k], SENTINEL);
}

/* Every rule case, run again at every cap from 0 to its full length: the
 * result is always a prefix of the full route that ends at a segment
 * boundary (or is "/"), and nothing is written past cap. */
static void test_route_every_cap_is_a_segment_prefix(void **state)
{
    (void)state;
    for (size_t i = 0; i < EL_ARRAY_LEN(rule_cases); i++) {
        const struct route_case *c = &rule_cases[i];
        size_t full = strlen(c->want);
        for (size_t cap = 1; cap <= full; cap++) {
            char buf[512 + TAIL];
            memset(buf, SENTINEL, sizeof(buf));
            size_t pn = strlen(c->path);
            struct el_str path = { guard_copy(c->path, pn), pn };
            struct el_str got = el_route_template(path, buf, cap);
            for (size_t k = cap; k < sizeof(buf); k++)
                if ((unsigned char)buf[k] != SENTINEL)
                    fail_msg("case '%s' cap %zu: wrote byte %zu", c->name, cap, k);
            if (got.n == 0 || got.n > cap)
                fail_msg("case '%s' cap %zu: length %zu", c->name, cap, got.n);
            bool is_root = got.n == 1 && got.p[0] == '/';
            bool prefix = memcmp(got.p, c->want, got.n) == 0 &&
                          (got.n == full || got.p[got.n - 1] == '/');
            if (!is_root && !prefix)
                fail_msg("case '%s' cap %zu: '%.*s' is not a segment prefix of '%s'", c->name,
                         cap, (int)got.n, got.p, c->want);
            if (cap == full && (got.n != full || memcmp(got.p, c->want, full) != 0))
                fail_msg("case '%s' cap %zu: full route '%.*s' should fit", c->name, cap,
                         (int)got.n, got.p);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_route_rules),
        cmocka_unit_test(test_route_cap),
        cmocka_unit_test(test_route_cap_zero),
        cmocka_unit_test(test_route_every_cap_is_a_segment_prefix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_routes.c: --routes rules: template and regex rules, methods, first
 * match wins across blocks, greedy placeholders, bad files, allocation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "analysis.h"
#include "guard.h"

static const char rules[] = "# shop\n"
                            "\n"
                            "GET /orders/{orderId}\n"
                            "  POST /orders   \r\n"
                            "/users/{userId}/cart\n"
                            "* /files/{path+}\n"
                            "scanners ~ \\.(php|env)$\n"
                            "GET /orders/special\n" /* after the regex block: still reachable */
                            "legacy ~ ^/v1/\n"
                            "GET /v1/orders/{id}\n"; /* shadowed by legacy for any /v1/ path */

static void test_routes_cases(void **state)
{
    (void)state;
    struct el_routes *rt;
    char err[200];
    assert_int_equal(el_routes_create(rules, strlen(rules), &rt, err, sizeof(err)), EL_OK);
    static const struct {
        const char *name, *method, *path, *want; /* want NULL: no rule */
    } cases[] = {
        { "template, method", "GET", "/orders/1001", "/orders/{orderId}" },
        { "template, other method", "DELETE", "/orders/1001", NULL },
        { "literal with method", "POST", "/orders", "/orders" },
        { "any method", "PUT", "/users/u-42/cart", "/users/{userId}/cart" },
        { "placeholder is one segment", "GET", "/users/a/b/cart", NULL },
        { "greedy placeholder", "GET", "/files/2026/03/report.csv", "/files/{path+}" },
        { "regex rule", "GET", "/wp-login.php", "scanners" },
        { "first match wins: template before", "GET", "/orders/special", "/orders/{orderId}" },
        { "regex with its own anchor", "GET", "/v1/orders/7", "legacy" },
        { "anchored templates: no prefix match", "GET", "/orders/1/items", NULL },
        { "regex chars in path are literal", "GET", "/orders/a.b", "/orders/{orderId}" },
        { "no method", "", "/users/9/cart", "/users/{userId}/cart" },
    };
    for (size_t i = 0; i < EL_ARRAY_LEN(cases); i++) {
        size_t pn = strlen(cases[i].path);
        struct el_record r = { .src = EL_SRC_ALB, .route_from = EL_ROUTE_AUTO,
                               .method = { cases[i].method, strlen(cases[i].method) },
                               .path = { guard_copy(cases[i].path, pn), pn },
                               .route = EL_STR_LIT("/orig") };
        bool hit = el_routes_apply(rt, &r);
        if (!cases[i].want) {
            if (hit || !el_str_eq(r.route, "/orig") || r.route_from != EL_ROUTE_AUTO)
                fail_msg("case '%s': a rule matched", cases[i].name);
        } else if (!hit || !el_str_eq(r.route, cases[i].want) ||
                   r.route_from != EL_ROUTE_RULES) {
            fail_msg("case '%s': route '%.*s', want '%s'", cases[i].name, (int)r.route.n,
                     r.route.p, cases[i].want);
        }
    }
    /* steady state allocates nothing */
    uint64_t before = el_mem_allocs();
    for (int k = 0; k < 10000; k++) {
        struct el_record r = { .method = EL_STR_LIT("GET"), .path = EL_STR_LIT("/orders/77") };
        assert_true(el_routes_apply(rt, &r));
    }
    assert_int_equal(el_mem_allocs(), before);
    el_routes_destroy(rt);
}

static void test_routes_bad_files(void **state)
{
    (void)state;
    static const struct {
        const char *text, *want;
    } cases[] = {
        { "GET /a/{x\n", "line 1: unclosed or empty {placeholder}" },
        { "\n/ok\nGET /a/{}\n", "line 3: unclosed or empty {placeholder}" },
        { "orders/{id}\n", "line 1: want [METHOD] /template or NAME ~ REGEX" },
        { "GET /a b\n", "line 1: want [METHOD] /template or NAME ~ REGEX" },
        { "bad ~ (unclosed\n", "line 1: missing closing parenthesis" },
        { " ~ ^/x\n", "line 1: want NAME ~ REGEX" },
    };
    for (size_t i = 0; i < EL_ARRAY_LEN(cases); i++) {
        struct el_routes *rt = NULL;
        char err[200] = "";
        enum el_err rc = el_routes_create(cases[i].text, strlen(cases[i].text), &rt, err,
                                          sizeof(err));
        if (rc != EL_ERR_USAGE || rt || !strstr(err, cases[i].want))
            fail_msg("case %zu: rc %d, err '%s', want '%s'", i, rc, err, cases[i].want);
    }
    struct el_routes *rt = NULL;
    char err[200];
    assert_int_equal(el_routes_create("# only comments\n\n", 17, &rt, err, sizeof(err)), EL_OK);
    struct el_record r = { .method = EL_STR_LIT("GET"), .path = EL_STR_LIT("/x") };
    assert_false(el_routes_apply(rt, &r));
    el_routes_destroy(rt);
}

static void test_routes_nomem(void **state)
{
    (void)state;
    for (uint64_t n = 1; n < 60; n++) {
        struct el_routes *rt = NULL;
        char err[200];
        el_mem_fail_after(n);
        enum el_err rc = el_routes_create(rules, strlen(rules), &rt, err, sizeof(err));
        el_mem_fail_after(0);
        assert_true(rc == EL_OK || rc == EL_ERR_NOMEM);
        assert_true((rc == EL_OK) == (rt != NULL));
        el_routes_destroy(rt);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_routes_cases),
        cmocka_unit_test(test_routes_bad_files),
        cmocka_unit_test(test_routes_nomem),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

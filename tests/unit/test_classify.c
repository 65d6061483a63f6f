/* test_classify.c: unit tests for the error classifier (analysis/classify.c).
 *
 * Records are built directly (no parser): status, backend status and
 * error_reason are the only inputs el_classify reads. One table pins every
 * ALB error_reason documented in the reference (log-formats.md section 1.4,
 * AWS ALB guide 2023) to the class in classify.c's table and prefix rules;
 * another pins the status-only rules. error_reason strings are guard-page
 * copies, so a read past the view faults.
 */
#include "analysis.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "guard.h"

struct class_case {
    const char *name;
    uint16_t status;         /* 0 = absent (flag cleared) */
    uint16_t backend_status; /* 0 = absent (flag cleared) */
    const char *reason;      /* NULL = absent */
    enum el_error_class want;
};

/* Every documented error_reason. The ALB status in each row is a typical
 * one; the reason decides whenever the status is an error (>= 400). */
static const struct class_case reason_cases[] = {
    /* authenticate action: all Auth* -> auth */
    { "AuthInvalidCookie", 401, 0, "AuthInvalidCookie", EL_EC_AUTH },
    { "AuthInvalidGrantError", 401, 0, "AuthInvalidGrantError", EL_EC_AUTH },
    { "AuthInvalidIdToken", 401, 0, "AuthInvalidIdToken", EL_EC_AUTH },
    { "AuthInvalidStateParam", 401, 0, "AuthInvalidStateParam", EL_EC_AUTH },
    { "AuthInvalidTokenResponse", 500, 0, "AuthInvalidTokenResponse", EL_EC_AUTH },
    { "AuthInvalidUserinfoResponse", 500, 0, "AuthInvalidUserinfoResponse", EL_EC_AUTH },
    { "AuthMissingCodeParam", 401, 0, "AuthMissingCodeParam", EL_EC_AUTH },
    { "AuthMissingHostHeader", 401, 0, "AuthMissingHostHeader", EL_EC_AUTH },
    { "AuthMissingStateParam", 401, 0, "AuthMissingStateParam", EL_EC_AUTH },
    { "AuthTokenEpRequestFailed", 500, 0, "AuthTokenEpRequestFailed", EL_EC_AUTH },
    { "AuthTokenEpRequestTimeout", 500, 0, "AuthTokenEpRequestTimeout", EL_EC_AUTH },
    { "AuthUnhandledException", 500, 0, "AuthUnhandledException", EL_EC_AUTH },
    { "AuthUserinfoEpRequestFailed", 500, 0, "AuthUserinfoEpRequestFailed", EL_EC_AUTH },
    { "AuthUserinfoEpRequestTimeout", 500, 0, "AuthUserinfoEpRequestTimeout", EL_EC_AUTH },
    { "AuthUserinfoResponseSizeExceeded", 500, 0, "AuthUserinfoResponseSizeExceeded",
      EL_EC_AUTH },
    /* weighted target groups */
    { "AWSALBTGCookieInvalid", 500, 0, "AWSALBTGCookieInvalid", EL_EC_CLIENT },
    { "WeightedTargetGroupsUnhandledException", 500, 0, "WeightedTargetGroupsUnhandledException",
      EL_EC_FRONTEND_5XX },
    /* Lambda targets: explicit table entries */
    { "LambdaThrottling", 503, 0, "LambdaThrottling", EL_EC_THROTTLED },
    { "LambdaEC2ThrottledException", 502, 0, "LambdaEC2ThrottledException", EL_EC_THROTTLED },
    { "LambdaRequestTooLarge", 413, 0, "LambdaRequestTooLarge", EL_EC_PAYLOAD },
    { "LambdaResponseTooLarge", 502, 0, "LambdaResponseTooLarge", EL_EC_PAYLOAD },
    { "LambdaUnhandled", 502, 0, "LambdaUnhandled", EL_EC_LAMBDA_FUNCTION },
    { "LambdaInvalidResponse", 502, 0, "LambdaInvalidResponse", EL_EC_LAMBDA_FUNCTION },
    { "LambdaConnectionTimeout", 504, 0, "LambdaConnectionTimeout", EL_EC_TIMEOUT },
    { "LambdaUnhandledException (the LB's own)", 502, 0, "LambdaUnhandledException",
      EL_EC_FRONTEND_5XX },
    /* Lambda targets: every other Lambda* is a failure to invoke */
    { "LambdaAccessDenied", 502, 0, "LambdaAccessDenied", EL_EC_LAMBDA_INVOKE },
    { "LambdaBadRequest", 400, 0, "LambdaBadRequest", EL_EC_LAMBDA_INVOKE },
    { "LambdaConnectionError", 502, 0, "LambdaConnectionError", EL_EC_LAMBDA_INVOKE },
    { "LambdaEC2AccessDeniedException", 502, 0, "LambdaEC2AccessDeniedException",
      EL_EC_LAMBDA_INVOKE },
    { "LambdaEC2UnexpectedException", 502, 0, "LambdaEC2UnexpectedException",
      EL_EC_LAMBDA_INVOKE },
    { "LambdaENILimitReachedException", 502, 0, "LambdaENILimitReachedException",
      EL_EC_LAMBDA_INVOKE },
    { "LambdaInvalidRuntimeException", 502, 0, "LambdaInvalidRuntimeException",
      EL_EC_LAMBDA_INVOKE },
    { "LambdaInvalidSecurityGroupIDException", 502, 0, "LambdaInvalidSecurityGroupIDException",
      EL_EC_LAMBDA_INVOKE },
    { "LambdaInvalidSubnetIDException", 502, 0, "LambdaInvalidSubnetIDException",
      EL_EC_LAMBDA_INVOKE },
    { "LambdaInvalidZipFileException", 502, 0, "LambdaInvalidZipFileException",
      EL_EC_LAMBDA_INVOKE },
    { "LambdaKMSAccessDeniedException", 502, 0, "LambdaKMSAccessDeniedException",
      EL_EC_LAMBDA_INVOKE },
    { "LambdaKMSDisabledException", 502, 0, "LambdaKMSDisabledException", EL_EC_LAMBDA_INVOKE },
    { "LambdaKMSInvalidStateException", 502, 0, "LambdaKMSInvalidStateException",
      EL_EC_LAMBDA_INVOKE },
    { "LambdaKMSNotFoundException", 502, 0, "LambdaKMSNotFoundException", EL_EC_LAMBDA_INVOKE },
    { "LambdaResourceNotFound", 502, 0, "LambdaResourceNotFound", EL_EC_LAMBDA_INVOKE },
    { "LambdaServiceException", 502, 0, "LambdaServiceException", EL_EC_LAMBDA_INVOKE },
    { "LambdaSubnetIPAddressLimitReachedException", 502, 0,
      "LambdaSubnetIPAddressLimitReachedException", EL_EC_LAMBDA_INVOKE },
    { "LambdaWebsocketNotSupported", 502, 0, "LambdaWebsocketNotSupported",
      EL_EC_LAMBDA_INVOKE },
    { "LambdaSomethingNewer (open set)", 502, 0, "LambdaSomethingNewer", EL_EC_LAMBDA_INVOKE },
    /* WAF integration failures */
    { "WAFConnectionError", 500, 0, "WAFConnectionError", EL_EC_FRONTEND_5XX },
    { "WAFConnectionTimeout", 500, 0, "WAFConnectionTimeout", EL_EC_FRONTEND_5XX },
    { "WAFResponseReadTimeout", 500, 0, "WAFResponseReadTimeout", EL_EC_FRONTEND_5XX },
    { "WAFServiceError", 500, 0, "WAFServiceError", EL_EC_FRONTEND_5XX },
    { "WAFUnhandledException", 500, 0, "WAFUnhandledException", EL_EC_FRONTEND_5XX },
    /* how the reason and the status interact */
    { "reason wins over a backend 5xx", 502, 502, "LambdaUnhandled", EL_EC_LAMBDA_FUNCTION },
    { "reason wins over 504-without-backend", 504, 0, "LambdaThrottling", EL_EC_THROTTLED },
    { "reason ignored when the status is not an error", 200, 200, "LambdaUnhandled",
      EL_EC_NONE },
    { "reason ignored without a status", 0, 0, "LambdaUnhandled", EL_EC_NONE },
    { "unknown reason falls back to the status (503)", 503, 0, "SomethingElseEntirely",
      EL_EC_FRONTEND_5XX },
    { "unknown reason falls back to the status (404)", 404, 0, "SomethingElseEntirely",
      EL_EC_CLIENT },
    { "match is exact: prefix of a table name is not that name", 502, 0, "LambdaUnhandle",
      EL_EC_LAMBDA_INVOKE },
    { "match is case-sensitive", 503, 0, "lambdathrottling", EL_EC_FRONTEND_5XX },
};

static const struct class_case status_cases[] = {
    { "200", 200, 200, NULL, EL_EC_NONE },
    { "101 websocket", 101, 101, NULL, EL_EC_NONE },
    { "301 redirect, no backend", 301, 0, NULL, EL_EC_NONE },
    { "304", 304, 304, NULL, EL_EC_NONE },
    { "no status", 0, 0, NULL, EL_EC_NONE },
    { "no status, backend 502", 0, 502, NULL, EL_EC_NONE },
    { "400", 400, 0, NULL, EL_EC_CLIENT },
    { "404 from backend", 404, 404, NULL, EL_EC_CLIENT },
    { "405", 405, 405, NULL, EL_EC_CLIENT },
    { "463 (too many X-Forwarded-For)", 463, 0, NULL, EL_EC_CLIENT },
    { "401", 401, 401, NULL, EL_EC_AUTH },
    { "403 WAF block, no backend", 403, 0, NULL, EL_EC_AUTH },
    { "413", 413, 0, NULL, EL_EC_PAYLOAD },
    { "429", 429, 429, NULL, EL_EC_THROTTLED },
    { "460 client closed", 460, 0, NULL, EL_EC_CLIENT_CLOSED },
    { "502 with backend 502", 502, 502, NULL, EL_EC_BACKEND_5XX },
    { "500 with backend 500", 500, 500, NULL, EL_EC_BACKEND_5XX },
    { "503 with backend 503", 503, 503, NULL, EL_EC_BACKEND_5XX },
    { "504 with backend 504", 504, 504, NULL, EL_EC_BACKEND_5XX },
    { "504 without backend status", 504, 0, NULL, EL_EC_TIMEOUT },
    { "503 without backend status", 503, 0, NULL, EL_EC_FRONTEND_5XX },
    { "502 without backend status", 502, 0, NULL, EL_EC_FRONTEND_5XX },
    { "500 without backend status", 500, 0, NULL, EL_EC_FRONTEND_5XX },
    { "561 (IdP error)", 561, 0, NULL, EL_EC_FRONTEND_5XX },
    { "502 while the backend said 200", 502, 200, NULL, EL_EC_FRONTEND_5XX },
    { "504 while the backend said 200", 504, 200, NULL, EL_EC_FRONTEND_5XX },
};

static void make_record(const struct class_case *c, struct el_record *r)
{
    *r = (struct el_record){ .src = EL_SRC_ALB, .flags = EL_REC_HAS_TIME };
    if (c->status) {
        r->status = c->status;
        r->flags |= EL_REC_HAS_STATUS;
    }
    if (c->backend_status) {
        r->backend_status = c->backend_status;
        r->flags |= EL_REC_HAS_BACKEND_STATUS;
    }
    if (c->reason) {
        size_t n = strlen(c->reason);
        r->error_reason = (struct el_str){ guard_copy(c->reason, n), n };
    }
}

static void run_table(const struct class_case *cases, size_t n)
{
    size_t failed = 0;
    for (size_t i = 0; i < n; i++) {
        const struct class_case *c = &cases[i];
        struct el_record r;
        make_record(c, &r);
        enum el_error_class got = el_classify(&r);
        if (got != c->want) {
            print_error("case '%s': class %s, want %s\n", c->name, el_error_class_name(got),
                        el_error_class_name(c->want));
            failed++;
        }
    }
    if (failed)
        fail_msg("%zu of %zu cases failed (see above)", failed, n);
}

static void test_classify_error_reasons(void **state)
{
    (void)state;
    run_table(reason_cases, EL_ARRAY_LEN(reason_cases));
}

static void test_classify_status_only(void **state)
{
    (void)state;
    run_table(status_cases, EL_ARRAY_LEN(status_cases));
}

/* API Gateway records: execution-log reason names and gateway response
 * types map through the table; ALB's prefix rules must not read API
 * Gateway free text. */
static void test_classify_apigw_reasons(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        enum el_src src;
        uint16_t status;
        const char *reason;
        enum el_error_class want;
        uint16_t backend_status; /* 0 = absent */
    } cases[] = {
        { "exec function error", EL_SRC_APIGW_REST, 502, "LambdaFunctionError", EL_EC_LAMBDA_FUNCTION, 0 },
        { "exec proxy response", EL_SRC_APIGW_REST, 502, "MalformedLambdaProxyResponse", EL_EC_LAMBDA_FUNCTION, 0 },
        { "exec config", EL_SRC_APIGW_REST, 500, "ConfigurationError", EL_EC_LAMBDA_INVOKE, 0 },
        { "exec timeout", EL_SRC_APIGW_REST, 504, "IntegrationTimeout", EL_EC_TIMEOUT, 0 },
        { "exec throttled", EL_SRC_APIGW_REST, 429, "Throttled", EL_EC_THROTTLED, 0 },
        { "exec unauthorized", EL_SRC_APIGW_REST, 401, "Unauthorized", EL_EC_AUTH, 0 },
        { "THROTTLED", EL_SRC_APIGW_HTTP, 429, "THROTTLED", EL_EC_THROTTLED, 0 },
        { "QUOTA_EXCEEDED", EL_SRC_APIGW_REST, 429, "QUOTA_EXCEEDED", EL_EC_THROTTLED, 0 },
        { "ACCESS_DENIED", EL_SRC_APIGW_REST, 403, "ACCESS_DENIED", EL_EC_AUTH, 0 },
        { "WAF_FILTERED", EL_SRC_APIGW_REST, 403, "WAF_FILTERED", EL_EC_AUTH, 0 },
        { "MISSING_AUTHENTICATION_TOKEN", EL_SRC_APIGW_REST, 403, "MISSING_AUTHENTICATION_TOKEN", EL_EC_CLIENT, 0 },
        { "BAD_REQUEST_BODY", EL_SRC_APIGW_REST, 400, "BAD_REQUEST_BODY", EL_EC_CLIENT, 0 },
        { "REQUEST_TOO_LARGE", EL_SRC_APIGW_HTTP, 413, "REQUEST_TOO_LARGE", EL_EC_PAYLOAD, 0 },
        { "INTEGRATION_TIMEOUT", EL_SRC_APIGW_HTTP, 504, "INTEGRATION_TIMEOUT", EL_EC_TIMEOUT, 0 },
        { "INTEGRATION_FAILURE", EL_SRC_APIGW_HTTP, 500, "INTEGRATION_FAILURE", EL_EC_LAMBDA_INVOKE, 0 },
        { "AUTHORIZER_FAILURE", EL_SRC_APIGW_REST, 500, "AUTHORIZER_FAILURE", EL_EC_FRONTEND_5XX, 0 },
        { "DEFAULT_5XX falls to status", EL_SRC_APIGW_REST, 502, "DEFAULT_5XX", EL_EC_FRONTEND_5XX, 0 },
        { "free text is not an ALB prefix", EL_SRC_APIGW_REST, 500, "Authorizer crashed", EL_EC_FRONTEND_5XX, 0 },
        { "free Lambda text", EL_SRC_APIGW_HTTP, 502, "Lambda returned junk", EL_EC_FRONTEND_5XX, 0 },
        { "same text on ALB is a prefix", EL_SRC_ALB, 500, "AuthUnhandledException", EL_EC_AUTH, 0 },
        /* status only, with the integration's status in backend_status */
        { "REST 502, integration 200: function failed", EL_SRC_APIGW_REST, 502, "", EL_EC_LAMBDA_FUNCTION, 200 },
        { "HTTP 500, integration 200: function failed", EL_SRC_APIGW_HTTP, 500, "", EL_EC_LAMBDA_FUNCTION, 200 },
        { "REST 500, function said 500", EL_SRC_APIGW_REST, 500, "", EL_EC_BACKEND_5XX, 500 },
        { "REST 503, integration 200", EL_SRC_APIGW_REST, 503, "", EL_EC_FRONTEND_5XX, 200 },
        { "ALB 502, target 200 stays front-end", EL_SRC_ALB, 502, "", EL_EC_FRONTEND_5XX, 200 },
    };
    for (size_t i = 0; i < EL_ARRAY_LEN(cases); i++) {
        struct el_record r = { .src = cases[i].src, .flags = EL_REC_HAS_STATUS,
                               .status = cases[i].status };
        size_t n = strlen(cases[i].reason);
        if (n)
            r.error_reason = (struct el_str){ guard_copy(cases[i].reason, n), n };
        if (cases[i].backend_status) {
            r.backend_status = cases[i].backend_status;
            r.flags |= EL_REC_HAS_BACKEND_STATUS;
        }
        enum el_error_class got = el_classify(&r);
        if (got != cases[i].want)
            fail_msg("case '%s': class %s, want %s", cases[i].name, el_error_class_name(got),
                     el_error_class_name(cases[i].want));
    }
}

/* The flag, not the number, says whether a value is there: stale numbers
 * behind cleared flags must not change the class. */
static void test_classify_respects_flags(void **state)
{
    (void)state;
    struct el_record r = { .src = EL_SRC_ALB, .status = 502, .backend_status = 502 };
    assert_int_equal(el_classify(&r), EL_EC_NONE); /* no HAS_STATUS */
    r.flags = EL_REC_HAS_STATUS;                  /* backend 502 not flagged */
    assert_int_equal(el_classify(&r), EL_EC_FRONTEND_5XX);
    r.status = 504;
    assert_int_equal(el_classify(&r), EL_EC_TIMEOUT);
    r.flags |= EL_REC_HAS_BACKEND_STATUS;
    assert_int_equal(el_classify(&r), EL_EC_BACKEND_5XX);
}

struct family_case {
    enum el_error_class c;
    bool frontend, backend;
};

static void test_classify_families(void **state)
{
    (void)state;
    static const struct family_case cases[] = {
        { EL_EC_NONE, false, false },
        { EL_EC_CLIENT, false, false },
        { EL_EC_AUTH, false, false },
        { EL_EC_THROTTLED, false, false },
        { EL_EC_CLIENT_CLOSED, false, false },
        { EL_EC_PAYLOAD, false, false },
        { EL_EC_TIMEOUT, false, false },
        { EL_EC_LAMBDA_FUNCTION, false, true },
        { EL_EC_LAMBDA_INVOKE, true, false },
        { EL_EC_FRONTEND_5XX, true, false },
        { EL_EC_BACKEND_5XX, false, true },
    };
    _Static_assert(EL_ARRAY_LEN(cases) == EL_EC_COUNT, "one row per error class");
    size_t failed = 0;
    for (size_t i = 0; i < EL_ARRAY_LEN(cases); i++) {
        const struct family_case *f = &cases[i];
        if ((unsigned)f->c != i) {
            print_error("row %zu holds class %d: keep the rows in enum order\n", i, (int)f->c);
            failed++;
            continue;
        }
        bool fe = el_error_class_is_frontend(f->c), be = el_error_class_is_backend(f->c);
        if (fe != f->frontend || be != f->backend) {
            print_error("case '%s': frontend %d backend %d, want %d %d\n",
                        el_error_class_name(f->c), fe, be, f->frontend, f->backend);
            failed++;
        }
    }
    assert_false(el_error_class_is_frontend(EL_EC_COUNT));
    assert_false(el_error_class_is_backend(EL_EC_COUNT));
    if (failed)
        fail_msg("%zu family cases failed", failed);
}

static void test_classify_names(void **state)
{
    (void)state;
    static const char *const want[EL_EC_COUNT] = {
        [EL_EC_NONE] = "none",
        [EL_EC_CLIENT] = "client_4xx",
        [EL_EC_AUTH] = "auth",
        [EL_EC_THROTTLED] = "throttled",
        [EL_EC_CLIENT_CLOSED] = "client_closed",
        [EL_EC_PAYLOAD] = "payload_too_large",
        [EL_EC_TIMEOUT] = "timeout",
        [EL_EC_LAMBDA_FUNCTION] = "lambda_function",
        [EL_EC_LAMBDA_INVOKE] = "lambda_invoke",
        [EL_EC_FRONTEND_5XX] = "frontend_5xx",
        [EL_EC_BACKEND_5XX] = "backend_5xx",
    };
    for (unsigned i = 0; i < EL_EC_COUNT; i++) {
        const char *n = el_error_class_name((enum el_error_class)i);
        if (!n || !*n)
            fail_msg("class %u: name is NULL or empty", i);
        for (const char *p = n; *p; p++)
            if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
                fail_msg("class %u: name '%s' is not lower_snake", i, n);
        if (strcmp(n, want[i]) != 0)
            fail_msg("class %u: name '%s', want '%s'", i, n, want[i]);
        for (unsigned j = 0; j < i; j++)
            if (strcmp(n, el_error_class_name((enum el_error_class)j)) == 0)
                fail_msg("classes %u and %u share the name '%s'", j, i, n);
    }
    /* Out of range: still a static string, never NULL. */
    const char *u = el_error_class_name(EL_EC_COUNT);
    assert_non_null(u);
    assert_string_equal(u, "unknown");
    assert_non_null(el_error_class_name((enum el_error_class)1000));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_classify_error_reasons),
        cmocka_unit_test(test_classify_status_only),
        cmocka_unit_test(test_classify_apigw_reasons),
        cmocka_unit_test(test_classify_respects_flags),
        cmocka_unit_test(test_classify_families),
        cmocka_unit_test(test_classify_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

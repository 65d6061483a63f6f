/* classify.c: the error class of one request.
 *
 * A pure function of the record: the front-end's own reason string wins when
 * there is one (ALB error_reason tells a function crash from a throttle from
 * a permissions problem, which the status code alone cannot), otherwise the
 * status codes decide. docs/RECORD.md has the full table; tests/unit/
 * test_classify.c pins every documented error_reason.
 */
#include <string.h>

#include "analysis.h"

struct reason_class {
    const char *name;
    enum el_error_class cls;
};

/* Exact names from the ALB access-log documentation (error_reason), then
 * the names the API Gateway parsers give the failures they recognise. Names
 * not listed fall back to the prefix rules in by_reason(). */
static const struct reason_class reasons[] = {
    { "AWSALBTGCookieInvalid", EL_EC_CLIENT },
    { "WeightedTargetGroupsUnhandledException", EL_EC_FRONTEND_5XX },
    { "LambdaThrottling", EL_EC_THROTTLED },
    { "LambdaEC2ThrottledException", EL_EC_THROTTLED },
    { "LambdaRequestTooLarge", EL_EC_PAYLOAD },
    { "LambdaResponseTooLarge", EL_EC_PAYLOAD },
    { "LambdaUnhandled", EL_EC_LAMBDA_FUNCTION },
    { "LambdaInvalidResponse", EL_EC_LAMBDA_FUNCTION },
    { "LambdaConnectionTimeout", EL_EC_TIMEOUT },
    { "LambdaUnhandledException", EL_EC_FRONTEND_5XX },
    /* API Gateway execution logs (parsers/apigw_exec.c names these) */
    { "LambdaFunctionError", EL_EC_LAMBDA_FUNCTION },
    { "MalformedLambdaProxyResponse", EL_EC_LAMBDA_FUNCTION },
    { "ConfigurationError", EL_EC_LAMBDA_INVOKE },
    { "IntegrationTimeout", EL_EC_TIMEOUT },
    { "Throttled", EL_EC_THROTTLED },
    { "Unauthorized", EL_EC_AUTH },
    { "AuthorizerError", EL_EC_AUTH },
    /* API Gateway access logs: $context.error.responseType (gateway responses) */
    { "THROTTLED", EL_EC_THROTTLED },
    { "QUOTA_EXCEEDED", EL_EC_THROTTLED },
    { "UNAUTHORIZED", EL_EC_AUTH },
    { "ACCESS_DENIED", EL_EC_AUTH },
    { "EXPIRED_TOKEN", EL_EC_AUTH },
    { "INVALID_API_KEY", EL_EC_AUTH },
    { "INVALID_SIGNATURE", EL_EC_AUTH },
    { "WAF_FILTERED", EL_EC_AUTH },
    { "MISSING_AUTHENTICATION_TOKEN", EL_EC_CLIENT }, /* mostly an unknown path or method */
    { "BAD_REQUEST_PARAMETERS", EL_EC_CLIENT },
    { "BAD_REQUEST_BODY", EL_EC_CLIENT },
    { "RESOURCE_NOT_FOUND", EL_EC_CLIENT },
    { "UNSUPPORTED_MEDIA_TYPE", EL_EC_CLIENT },
    { "REQUEST_TOO_LARGE", EL_EC_PAYLOAD },
    { "INTEGRATION_TIMEOUT", EL_EC_TIMEOUT },
    { "INTEGRATION_FAILURE", EL_EC_LAMBDA_INVOKE },
    { "AUTHORIZER_FAILURE", EL_EC_FRONTEND_5XX },
    { "AUTHORIZER_CONFIGURATION_ERROR", EL_EC_FRONTEND_5XX },
    { "API_CONFIGURATION_ERROR", EL_EC_FRONTEND_5XX },
};

static bool reason_eq(struct el_str s, const char *lit)
{
    return el_str_eq(s, lit);
}

/* Returns EL_EC_COUNT when the reason says nothing we can use. The prefix
 * rules read ALB's closed vocabulary; API Gateway may carry free text
 * (error.message), where "Authorizer ..." must not mean anything. */
static enum el_error_class by_reason(enum el_src src, struct el_str reason)
{
    for (size_t i = 0; i < EL_ARRAY_LEN(reasons); i++)
        if (reason_eq(reason, reasons[i].name))
            return reasons[i].cls;
    if (src != EL_SRC_ALB)
        return EL_EC_COUNT;
    if (el_str_has_prefix(reason, "Auth"))
        return EL_EC_AUTH;
    /* Every other Lambda* reason is the load balancer failing to invoke the
     * function: permissions, ENI/subnet/KMS problems, Lambda service errors,
     * a missing function, a request Lambda cannot take (LambdaBadRequest). */
    if (el_str_has_prefix(reason, "Lambda"))
        return EL_EC_LAMBDA_INVOKE;
    /* WAF*: the WAF integration itself failed; the load balancer answered. */
    if (el_str_has_prefix(reason, "WAF"))
        return EL_EC_FRONTEND_5XX;
    return EL_EC_COUNT;
}

enum el_error_class el_classify(const struct el_record *r)
{
    if (!el_rec_has(r, EL_REC_HAS_STATUS))
        return EL_EC_NONE;
    unsigned st = r->status;
    if (st < 400)
        return EL_EC_NONE;
    if (r->error_reason.n) {
        enum el_error_class c = by_reason(r->src, r->error_reason);
        if (c != EL_EC_COUNT)
            return c;
    }
    switch (st) {
    case 401:
    case 403:
        return EL_EC_AUTH;
    case 413:
        return EL_EC_PAYLOAD;
    case 429:
        return EL_EC_THROTTLED;
    case 460:
        return EL_EC_CLIENT_CLOSED;
    default:
        break;
    }
    if (st < 500)
        return EL_EC_CLIENT;
    bool backend_answered = el_rec_has(r, EL_REC_HAS_BACKEND_STATUS);
    if (backend_answered && r->backend_status >= 500)
        return EL_EC_BACKEND_5XX;
    if (st == 504 && !backend_answered)
        return EL_EC_TIMEOUT;
    /* API Gateway answers 500/502 itself when the Lambda service call
     * succeeded (integration status 2xx) but the function threw or returned
     * something unusable: the function's fault, as ALB's LambdaUnhandled. */
    if (r->src != EL_SRC_ALB && backend_answered && r->backend_status < 300 &&
        (st == 500 || st == 502))
        return EL_EC_LAMBDA_FUNCTION;
    return EL_EC_FRONTEND_5XX;
}

const char *el_error_class_name(enum el_error_class c)
{
    static const char *const names[EL_EC_COUNT] = {
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
    return (unsigned)c < EL_EC_COUNT ? names[c] : "unknown";
}

bool el_error_class_is_frontend(enum el_error_class c)
{
    return c == EL_EC_FRONTEND_5XX || c == EL_EC_LAMBDA_INVOKE;
}

bool el_error_class_is_backend(enum el_error_class c)
{
    return c == EL_EC_BACKEND_5XX || c == EL_EC_LAMBDA_FUNCTION;
}

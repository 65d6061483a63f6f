/* gen_apigw_text.c: how API Gateway writes a planned request down: the
 * REST execution-log messages (reference log-formats.md 2.2, INFO level,
 * data-trace lines for some requests) and the access-log JSON lines
 * (section 4). Each message is queued with its own timestamp; the queue
 * (gen_apigw_out.c) interleaves requests by time.
 *
 * Text-only randomness (tokens, body filler) comes from its own PRNG
 * stream, so that changing a dump never changes what a request is.
 */
#include <string.h>

#include "gen_apigw.h"

#define TRUNC_AT 1000       /* data-trace values are cut here, as API Gateway does */

/* ------------------------------------------------------------------ */
/* Small writers                                                       */
/* ------------------------------------------------------------------ */

static char *put_id_prefix(char *p, const struct el_ag_req *q)
{
    *p++ = '(';
    p = el_put_str(p, q->id);
    *p++ = ')';
    *p++ = ' ';
    return p;
}

static char *put_fn_arn(char *p, const char *fn)
{
    p = EL_PUT_LIT(p, "arn:aws:lambda:" EL_WL_REGION ":" EL_WL_ACCOUNT ":function:");
    return el_put_str(p, fn);
}

static char *put_lambda_uri(char *p, const char *fn)
{
    p = EL_PUT_LIT(p, "https://lambda." EL_WL_REGION ".amazonaws.com/2015-03-31/functions/");
    p = put_fn_arn(p, fn);
    return EL_PUT_LIT(p, "/invocations");
}

static const char month_names[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

/* Writes "HH:MM:SS" of ms at p; gives the day number and civil date. */
static char *put_day_hms(char *p, int64_t ms, int *y, unsigned *m, unsigned *d, int64_t *day)
{
    unsigned secs;

    *day = el_floor_div(ms, 86400000);
    secs = (unsigned)((ms - *day * 86400000) / 1000);
    el_gen_civil_from_days(*day, y, m, d);
    p = el_put_dec(p, secs / 3600, 2);
    *p++ = ':';
    p = el_put_dec(p, secs / 60 % 60, 2);
    *p++ = ':';
    return el_put_dec(p, secs % 60, 2);
}

/* "10/Mar/2026:17:30:01 +0000" */
static char *put_clf_time(char *p, int64_t ms)
{
    char hms[8];
    int64_t day;
    int y;
    unsigned m, d;

    put_day_hms(hms, ms, &y, &m, &d, &day);
    p = el_put_dec(p, d, 2);
    *p++ = '/';
    p = el_put_mem(p, month_names + 3 * (m - 1), 3);
    *p++ = '/';
    p = el_put_dec(p, (unsigned)y, 4);
    *p++ = ':';
    p = el_put_mem(p, hms, sizeof hms);
    return EL_PUT_LIT(p, " +0000");
}

/* "Tue, 10 Mar 2026 17:30:01 GMT" (the Date header) */
static char *put_http_date(char *p, int64_t ms)
{
    static const char days[] = "ThuFriSatSunMonTueWed";   /* 1970-01-01 was a Thursday */
    char hms[8];
    int64_t day;
    int y;
    unsigned m, d;

    put_day_hms(hms, ms, &y, &m, &d, &day);
    p = el_put_mem(p, days + 3 * (unsigned)(((day % 7) + 7) % 7), 3);
    p = EL_PUT_LIT(p, ", ");
    p = el_put_dec(p, d, 2);
    *p++ = ' ';
    p = el_put_mem(p, month_names + 3 * (m - 1), 3);
    *p++ = ' ';
    p = el_put_dec(p, (unsigned)y, 4);
    *p++ = ' ';
    p = el_put_mem(p, hms, sizeof hms);
    return EL_PUT_LIT(p, " GMT");
}

/* A data-trace value: cut at TRUNC_AT bytes with " [TRUNCATED]". */
static char *put_traced(char *p, const char *s, size_t n)
{
    if (n <= TRUNC_AT)
        return el_put_mem(p, s, n);
    p = el_put_mem(p, s, TRUNC_AT);
    return EL_PUT_LIT(p, " [TRUNCATED]");
}

/* A JSON-looking body of about n bytes, for the data-trace dumps. */
static char *put_filler_body(char *p, struct el_rng *r, uint64_t n)
{
    char *start = p;

    p = EL_PUT_LIT(p, "{\"items\":[");
    while ((uint64_t)(p - start) + 60 < n && p - start < 1400) {
        if (p[-1] != '[')
            *p++ = ',';
        p = EL_PUT_LIT(p, "{\"sku\":\"");
        p = el_put_rand_hex(p, r, 10);
        p = EL_PUT_LIT(p, "\",\"qty\":");
        p = el_put_u64(p, 1 + el_rng_below(r, 4));
        p = EL_PUT_LIT(p, ",\"price\":");
        p = el_put_u64(p, 199 + el_rng_below(r, 20000));
        *p++ = '}';
    }
    return EL_PUT_LIT(p, "]}");
}

const char *el_ag_reason(const struct el_ag_gen *g, const struct el_ag_req *q)
{
    bool access = g->o->fmt == EL_AG_ACCESS_REST || g->o->fmt == EL_AG_ACCESS_HTTP;

    switch (q->kind) {
    case EL_AG_FN_ERROR:
    case EL_AG_PROXY_ERROR:
        if (!access)
            return q->kind == EL_AG_FN_ERROR ? "LambdaFunctionError"
                                             : "MalformedLambdaProxyResponse";
        return g->o->fmt == EL_AG_ACCESS_REST ? "DEFAULT_5XX" : "Internal Server Error";
    case EL_AG_TIMEOUT: return access ? "INTEGRATION_TIMEOUT" : "IntegrationTimeout";
    case EL_AG_THROTTLED: return access ? "THROTTLED" : "Throttled";
    case EL_AG_UNAUTHORIZED: return access ? "UNAUTHORIZED" : "Unauthorized";
    default: return "";
    }
}

/* ------------------------------------------------------------------ */
/* Execution-log messages of one request (reference section 2.2)        */
/* ------------------------------------------------------------------ */

struct emit {
    struct el_ag_gen *g;
    struct el_ag_pending *pd;
    const struct el_ag_req *q;
    int rc;
};

/* Queues the message built in g->line[0..p). */
static void put_msg(struct emit *em, int64_t ts, const char *p)
{
    if (em->rc == 0)
        em->rc = el_ag_queue_line(em->g, em->pd, em->q, ts, em->g->line, (size_t)(p - em->g->line));
}

/* g->line with the "(id) " prefix, ready for the message text. */
static char *msg_start(struct emit *em)
{
    return put_id_prefix(em->g->line, em->q);
}

static char *put_stage(char *p)
{
    return EL_PUT_LIT(p, EL_WL_REST_API_ID "/" EL_WL_REST_STAGE);
}

static void exec_request_trace(struct emit *em, struct el_rng *r, int64_t ts)
{
    const struct el_ag_req *q = em->q;
    char tmp[4096], *t;
    char *p;

    /* Method request headers: {...} */
    t = EL_PUT_LIT(tmp, "{Accept=application/json, Accept-Encoding=gzip, deflate, br, ");
    if (q->bearer) {
        t = EL_PUT_LIT(t, "Authorization=Bearer ");
        for (int k = 0; k < 24; k++)
            *t++ = '*';
        t = EL_PUT_LIT(t, ", ");
    }
    t = EL_PUT_LIT(t, "Host=api.shop.example, ");
    if (q->ua[0]) {
        t = EL_PUT_LIT(t, "User-Agent=");
        t = el_put_str(t, q->ua);
        t = EL_PUT_LIT(t, ", ");
    }
    t = EL_PUT_LIT(t, "X-Amzn-Trace-Id=Root=");
    t = el_put_str(t, q->xray);
    t = EL_PUT_LIT(t, ", X-Forwarded-For=");
    t = el_put_str(t, q->ip);
    t = EL_PUT_LIT(t, ", X-Forwarded-Port=443, X-Forwarded-Proto=https}");
    p = EL_PUT_LIT(msg_start(em), "Method request headers: ");
    p = put_traced(p, tmp, (size_t)(t - tmp));
    put_msg(em, ts, p);

    p = EL_PUT_LIT(msg_start(em), "Method request body before transformations: ");
    if (q->req_len) {
        t = put_filler_body(tmp, r, q->req_len);
        p = put_traced(p, tmp, (size_t)(t - tmp));
    }
    put_msg(em, ts, p);
}

static void exec_endpoint_trace(struct emit *em, struct el_rng *r, int64_t ts)
{
    const struct el_ag_req *q = em->q;
    char tmp[4096], *t;
    char *p;

    t = EL_PUT_LIT(tmp, "{x-amzn-lambda-integration-tag=");
    t = el_put_str(t, q->id);
    t = EL_PUT_LIT(t, ", Authorization=");
    for (int k = 0; k < 102; k++)
        *t++ = '*';
    t = EL_PUT_LIT(t, ", X-Amz-Date=");
    {
        char iso[32];

        el_put_iso_milli(iso, &em->g->dc, ts * 1000);
        t = el_put_mem(t, iso, 4);
        t = el_put_mem(t, iso + 5, 2);
        t = el_put_mem(t, iso + 8, 2);
        *t++ = 'T';
        t = el_put_mem(t, iso + 11, 2);
        t = el_put_mem(t, iso + 14, 2);
        t = el_put_mem(t, iso + 17, 2);
        *t++ = 'Z';
    }
    t = EL_PUT_LIT(t, ", x-amzn-apigateway-api-id=" EL_WL_REST_API_ID
                      ", X-Amz-Source-Arn=arn:aws:execute-api:"
                   EL_WL_REGION ":" EL_WL_ACCOUNT ":" EL_WL_REST_API_ID "/" EL_WL_REST_STAGE "/");
    t = el_put_str(t, q->rt->method);
    t = el_put_str(t, q->tmpl);
    t = EL_PUT_LIT(t, ", Accept=application/json, User-Agent=AmazonAPIGateway_" EL_WL_REST_API_ID
                   ", X-Amz-Security-Token=IQoJb3JpZ2luX2Vj");
    for (int k = 0; k < 60; k++) {
        static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        uint64_t v = el_rng_next(r);

        for (int b = 0; b < 10; b++, v >>= 6)
            *t++ = a[v & 63];
    }
    *t++ = '}';
    p = EL_PUT_LIT(msg_start(em), "Endpoint request headers: ");
    p = put_traced(p, tmp, (size_t)(t - tmp));
    put_msg(em, ts, p);

    /* the proxy event, as JSON */
    t = EL_PUT_LIT(tmp, "{\"resource\":\"");
    t = el_put_str(t, q->tmpl);
    t = EL_PUT_LIT(t, "\",\"path\":\"");
    t = el_put_str(t, q->path);
    t = EL_PUT_LIT(t, "\",\"httpMethod\":\"");
    t = el_put_str(t, q->rt->method);
    t = EL_PUT_LIT(t, "\",\"headers\":{\"Accept\":\"application/json\","
                      "\"Host\":\"api.shop.example\"");
    if (q->ua[0]) {
        t = EL_PUT_LIT(t, ",\"User-Agent\":\"");
        t = el_put_json_str(t, q->ua, strlen(q->ua));
        *t++ = '"';
    }
    t = EL_PUT_LIT(t, ",\"X-Amzn-Trace-Id\":\"Root=");
    t = el_put_str(t, q->xray);
    t = EL_PUT_LIT(t, "\",\"X-Forwarded-For\":\"");
    t = el_put_str(t, q->ip);
    t = EL_PUT_LIT(t, "\",\"X-Forwarded-Port\":\"443\",\"X-Forwarded-Proto\":\"https\"},"
                      "\"requestContext\":{\"resourcePath\":\"");
    t = el_put_str(t, q->tmpl);
    t = EL_PUT_LIT(t, "\",\"httpMethod\":\"");
    t = el_put_str(t, q->rt->method);
    t = EL_PUT_LIT(t, "\",\"extendedRequestId\":\"");
    t = el_put_str(t, q->ext);
    t = EL_PUT_LIT(t, "\",\"requestTime\":\"");
    t = put_clf_time(t, q->t0);
    t = EL_PUT_LIT(t, "\",\"path\":\"/" EL_WL_REST_STAGE);
    t = el_put_str(t, q->path);
    t = EL_PUT_LIT(t, "\",\"accountId\":\"" EL_WL_ACCOUNT
                      "\",\"protocol\":\"HTTP/1.1\",\"stage\":\""
                      EL_WL_REST_STAGE "\",\"domainPrefix\":\"api\",\"requestTimeEpoch\":");
    t = el_put_u64(t, (uint64_t)q->t0);
    t = EL_PUT_LIT(t, ",\"requestId\":\"");
    t = el_put_str(t, q->id);
    t = EL_PUT_LIT(t, "\",\"identity\":{\"sourceIp\":\"");
    t = el_put_str(t, q->ip);
    t = EL_PUT_LIT(t, "\"},\"domainName\":\"api.shop.example\",\"apiId\":\"" EL_WL_REST_API_ID
                      "\"},\"body\":");
    if (q->req_len) {
        *t++ = '"';
        t = EL_PUT_LIT(t, "{\\\"note\\\":\\\"");
        t = el_put_rand_hex(t, r, 40);
        t = EL_PUT_LIT(t, "\\\"}\"");
    } else {
        t = EL_PUT_LIT(t, "null");
    }
    t = EL_PUT_LIT(t, ",\"isBase64Encoded\":false}");
    p = EL_PUT_LIT(msg_start(em), "Endpoint request body after transformations: ");
    p = put_traced(p, tmp, (size_t)(t - tmp));
    put_msg(em, ts, p);
}

static void exec_response_trace(struct emit *em, struct el_rng *r, int64_t ts, bool body_first)
{
    const struct el_ag_req *q = em->q;
    char tmp[4096], body[2048], *t, *b;
    char *p;

    b = put_filler_body(body, r, q->resp_len ? q->resp_len : 20);
    t = tmp;
    if (q->kind == EL_AG_FN_ERROR) {
        t = EL_PUT_LIT(t, "{\"errorType\":\"Error\",\"errorMessage\":\"");
        t = el_put_json_str(t, q->error, strlen(q->error));
        t = EL_PUT_LIT(t, "\",\"trace\":[\"Error: at handler (/var/task/index.mjs:42:11)\"]}");
    } else if (q->kind == EL_AG_PROXY_ERROR) {
        /* what makes it malformed: no statusCode, the body an object */
        t = EL_PUT_LIT(t, "{\"body\":");
        t = el_put_mem(t, body, (size_t)(b - body));
        *t++ = '}';
    } else {
        t = EL_PUT_LIT(t, "{\"statusCode\":");
        t = el_put_u64(t, q->status);
        t = EL_PUT_LIT(t, ",\"headers\":{\"Content-Type\":\"application/json\"},\"body\":\"");
        t = el_put_json_str(t, body, (size_t)(b - body));
        *t++ = '"';
        *t++ = '}';
    }
    if (body_first) {
        p = EL_PUT_LIT(msg_start(em), "Endpoint response body before transformations: ");
        p = put_traced(p, tmp, (size_t)(t - tmp));
        put_msg(em, ts, p);
    }
    /* Endpoint response headers: also logged without data trace when the
     * function failed (X-Amz-Function-Error tells why) */
    p = EL_PUT_LIT(msg_start(em), "Endpoint response headers: {Date=");
    p = put_http_date(p, ts);
    p = EL_PUT_LIT(p, ", Content-Type=application/json, Content-Length=");
    p = el_put_u64(p, (uint64_t)(t - tmp));
    p = EL_PUT_LIT(p, ", Connection=keep-alive, x-amzn-RequestId=");
    p = el_put_str(p, q->lambda_id);
    if (q->kind == EL_AG_FN_ERROR)
        p = EL_PUT_LIT(p, ", X-Amz-Function-Error=Unhandled");
    p = EL_PUT_LIT(p, ", x-amzn-Remapped-Content-Length=0, X-Amz-Executed-Version=$LATEST, "
                      "X-Amzn-Trace-Id=root=");
    p = el_put_str(p, q->xray);
    p = EL_PUT_LIT(p, ";sampled=0}");
    put_msg(em, ts, p);
    if (!body_first && q->trace) {
        p = EL_PUT_LIT(msg_start(em), "Endpoint response body before transformations: ");
        p = put_traced(p, tmp, (size_t)(t - tmp));
        put_msg(em, ts, p);
    }
    if (q->kind == EL_AG_OK || q->kind == EL_AG_FN_4XX || q->kind == EL_AG_FN_500) {
        p = EL_PUT_LIT(msg_start(em), "Method response body after transformations: ");
        p = put_traced(p, body, (size_t)(b - body));
        put_msg(em, ts, p);
        p = EL_PUT_LIT(msg_start(em), "Method response headers: {Content-Type=application/json, "
                                      "X-Amzn-Trace-Id=Root=");
        p = el_put_str(p, q->xray);
        p = EL_PUT_LIT(p, ";Sampled=0}");
        put_msg(em, ts, p);
    }
}

int el_ag_render_exec(struct el_ag_gen *g, struct el_ag_pending *pd, const struct el_ag_req *q)
{
    struct emit em = { g, pd, q, 0 };
    struct el_rng rr, *r = &rr;
    const char *fn = el_wl_tgs[q->rt->tg].name;
    int64_t ts = q->t0, t_recv = q->t_send + (q->int_ms > 0 ? q->int_ms : 0);
    char *p;

    /* text-only randomness gets its own stream: plan() decides the request */
    el_rng_line(r, g->o->c.seed ^ 0x7e47ULL, q->i);

    p = EL_PUT_LIT(msg_start(&em), "Extended Request Id: ");
    p = el_put_str(p, q->ext);
    put_msg(&em, ts, p);

    if (q->bearer && q->kind != EL_AG_THROTTLED) {
        p = EL_PUT_LIT(msg_start(&em), "Starting authorizer: " EL_WL_AUTHORIZER " for request: ");
        p = el_put_str(p, q->id);
        put_msg(&em, ts, p);
        p = EL_PUT_LIT(msg_start(&em), "Incoming identity: ");
        for (int k = 0; k < 40; k++)
            *p++ = '*';
        p = el_put_rand_hex(p, r, 4);
        put_msg(&em, ts, p);
        ts = q->t0 + q->auth_ms;
        if (q->kind == EL_AG_UNAUTHORIZED) {
            p = EL_PUT_LIT(msg_start(&em), "Unauthorized request: ");
            p = el_put_str(p, q->id);
            put_msg(&em, ts, p);
            p = EL_PUT_LIT(msg_start(&em), "Method completed with status: 401");
            put_msg(&em, ts, p);
            return em.rc;
        }
        p = EL_PUT_LIT(msg_start(&em), "Successfully completed authorizer execution");
        put_msg(&em, ts, p);
    }

    p = EL_PUT_LIT(msg_start(&em), "Verifying Usage Plan for request: ");
    p = el_put_str(p, q->id);
    p = EL_PUT_LIT(p, ". API Key:  API Stage: ");
    p = put_stage(p);
    put_msg(&em, ts, p);
    if (q->kind == EL_AG_THROTTLED) {
        /* API Gateway's resource id: one per resource path, so a hash of it */
        uint64_t h = 14695981039346656037ULL;

        for (const char *c = q->tmpl; *c; c++)
            h = (h ^ (unsigned char)*c) * 1099511628211ULL;
        h = el_mix64(h);
        p = EL_PUT_LIT(msg_start(&em), "Key throttle limit exceeded for RestApi " EL_WL_REST_API_ID
                                       ", Stage " EL_WL_REST_STAGE ", Resource ");
        for (int k = 0; k < 6; k++, h /= 36)
            *p++ = "abcdefghijklmnopqrstuvwxyz0123456789"[h % 36];
        p = EL_PUT_LIT(p, ", HttpMethod ");
        p = el_put_str(p, q->rt->method);
        p = EL_PUT_LIT(p, ". Limit: 500.00 Burst: 1000");
        put_msg(&em, q->t_done, p);
        p = EL_PUT_LIT(msg_start(&em), "Method completed with status: 429");
        put_msg(&em, q->t_done, p);
        return em.rc;
    }
    p = EL_PUT_LIT(msg_start(&em), "API Key authorized because method '");
    p = el_put_str(p, q->rt->method);
    *p++ = ' ';
    p = el_put_str(p, q->tmpl);
    p = EL_PUT_LIT(p, "' does not require API Key. Request will not contribute to throttle or "
                      "quota limits");
    put_msg(&em, ts, p);
    p = EL_PUT_LIT(msg_start(&em), "Usage Plan check succeeded for API Key and API Stage ");
    p = put_stage(p);
    put_msg(&em, ts, p);
    ts += q->t_send > ts;
    p = EL_PUT_LIT(msg_start(&em), "Starting execution for request: ");
    p = el_put_str(p, q->id);
    put_msg(&em, ts, p);
    p = EL_PUT_LIT(msg_start(&em), "HTTP Method: ");
    p = el_put_str(p, q->rt->method);
    p = EL_PUT_LIT(p, ", Resource Path: ");
    p = el_put_str(p, q->path);
    put_msg(&em, ts, p);
    p = EL_PUT_LIT(msg_start(&em), "Method request path: {");
    p = el_put_str(p, q->param);
    *p++ = '}';
    put_msg(&em, ts, p);
    p = EL_PUT_LIT(msg_start(&em), "Method request query string: {");
    p = el_put_str(p, q->query);
    *p++ = '}';
    put_msg(&em, ts, p);
    if (q->trace)
        exec_request_trace(&em, r, ts);
    p = EL_PUT_LIT(msg_start(&em), "Endpoint request URI: ");
    p = put_lambda_uri(p, fn);
    put_msg(&em, ts, p);
    if (q->trace)
        exec_endpoint_trace(&em, r, ts);
    p = EL_PUT_LIT(msg_start(&em), "Sending request to ");
    p = put_lambda_uri(p, fn);
    put_msg(&em, q->t_send, p);

    if (q->kind == EL_AG_TIMEOUT) {
        p = EL_PUT_LIT(msg_start(&em), "Execution failed due to a timeout error");
        put_msg(&em, q->t_done, p);
        p = EL_PUT_LIT(msg_start(&em), "Method completed with status: 504");
        put_msg(&em, q->t_done, p);
        p = EL_PUT_LIT(msg_start(&em), "X-ray Tracing ID : ");
        p = el_put_str(p, q->xray);
        put_msg(&em, q->t_done, p);
        return em.rc;
    }

    p = EL_PUT_LIT(msg_start(&em), "Received response. ");
    if (!q->old_form)
        p = EL_PUT_LIT(p, "Status: 200, ");
    p = EL_PUT_LIT(p, "Integration latency: ");
    p = el_put_u64(p, (uint64_t)q->int_ms);
    p = EL_PUT_LIT(p, " ms");
    put_msg(&em, t_recv, p);
    if (q->trace || q->kind == EL_AG_FN_ERROR)
        exec_response_trace(&em, r, t_recv, q->trace);
    if (q->kind == EL_AG_FN_ERROR) {
        p = EL_PUT_LIT(msg_start(&em), "Lambda execution failed with status 200 due to customer "
                                       "function error: ");
        p = el_put_str(p, q->error);
        p = EL_PUT_LIT(p, ". Lambda request id: ");
        p = el_put_str(p, q->lambda_id);
        put_msg(&em, t_recv, p);
    } else if (q->kind == EL_AG_PROXY_ERROR) {
        p = EL_PUT_LIT(msg_start(&em), "Execution failed due to configuration error: Malformed "
                                       "Lambda proxy response");
        put_msg(&em, t_recv, p);
    } else {
        p = EL_PUT_LIT(msg_start(&em), "Successfully completed execution");
        put_msg(&em, q->t_done, p);
    }
    p = EL_PUT_LIT(msg_start(&em), "Method completed with status: ");
    p = el_put_u64(p, q->status);
    put_msg(&em, q->t_done, p);
    p = EL_PUT_LIT(msg_start(&em), "AWS Integration Endpoint RequestId : ");
    p = el_put_str(p, q->lambda_id);
    put_msg(&em, q->t_done, p);
    p = EL_PUT_LIT(msg_start(&em), "X-ray Tracing ID : ");
    p = el_put_str(p, q->xray);
    put_msg(&em, q->t_done, p);
    return em.rc;
}

/* ------------------------------------------------------------------ */
/* Access-log lines (reference section 4)                              */
/* ------------------------------------------------------------------ */

/* key is the JSON text up to the value's opening quote (",\"ip\":\""); the
 * value goes in raw, then the closing quote. */
static char *put_jkey(char *p, const char *key, const char *val)
{
    p = el_put_str(p, key);
    p = el_put_str(p, val);
    *p++ = '"';
    return p;
}

/* The same for a number written as a string, as the console presets do;
 * v < 0 is "-", API Gateway's missing value. */
static char *put_jnum(char *p, const char *key, int64_t v)
{
    p = el_put_str(p, key);
    if (v < 0)
        *p++ = '-';
    else
        p = el_put_u64(p, (uint64_t)v);
    *p++ = '"';
    return p;
}

/* One JSON line per request. Values are substituted raw, as API Gateway
 * does: a '"' or '\' in the user agent makes the line invalid JSON. */
int el_ag_render_access(struct el_ag_gen *g, struct el_ag_pending *pd, const struct el_ag_req *q)
{
    bool http = g->o->fmt == EL_AG_ACCESS_HTTP;
    bool called = q->int_ms >= 0;
    bool fn_status = q->kind == EL_AG_OK || q->kind == EL_AG_FN_4XX || q->kind == EL_AG_FN_500;
    bool lambda_failed = q->kind == EL_AG_FN_ERROR || q->kind == EL_AG_PROXY_ERROR;
    /* the gateway's own answers name their gateway response type; a
     * failed function is DEFAULT_5XX on a REST API and only a message
     * on an HTTP API */
    bool gateway_response = q->kind == EL_AG_TIMEOUT || q->kind == EL_AG_THROTTLED
                            || q->kind == EL_AG_UNAUTHORIZED || (lambda_failed && !http);
    char *p = g->line;

    p = put_jkey(p, "{\"requestId\":\"", http ? q->http_id : q->id);
    if (!http)
        p = put_jkey(p, ",\"extendedRequestId\":\"", q->ext);
    p = put_jkey(p, ",\"ip\":\"", q->ip);
    p = EL_PUT_LIT(p, ",\"requestTime\":\"");
    p = put_clf_time(p, q->t0);
    p = EL_PUT_LIT(p, "\",\"requestTimeEpoch\":");
    p = el_put_u64(p, (uint64_t)q->t0);
    p = put_jkey(p, ",\"httpMethod\":\"", q->rt->method);
    if (http) {
        p = EL_PUT_LIT(p, ",\"routeKey\":\"");
        p = el_put_str(p, q->rt->method);
        *p++ = ' ';
        p = el_put_str(p, q->tmpl);
        p = put_jkey(p, "\",\"path\":\"", q->path);
        p = EL_PUT_LIT(p, ",\"stage\":\"$default\"");
    } else {
        p = put_jkey(p, ",\"resourcePath\":\"", q->tmpl);
        p = EL_PUT_LIT(p, ",\"path\":\"/" EL_WL_REST_STAGE);
        p = el_put_str(p, q->path);
        *p++ = '"';
    }
    p = put_jnum(p, ",\"status\":\"", q->status);
    p = EL_PUT_LIT(p, ",\"protocol\":\"HTTP/1.1\"");
    p = put_jnum(p, ",\"responseLength\":\"", (int64_t)q->resp_len);
    p = put_jnum(p, ",\"responseLatency\":\"", q->t_done - q->t0);
    p = put_jnum(p, ",\"integrationLatency\":\"", called ? q->int_ms : -1);
    p = put_jnum(p, ",\"integrationStatus\":\"", called ? 200 : -1);
    p = put_jnum(p, ",\"integration.status\":\"", fn_status ? (int64_t)q->status : -1);
    p = put_jkey(p, ",\"error.responseType\":\"", gateway_response ? el_ag_reason(g, q) : "-");
    if (http)
        p = put_jkey(p, ",\"error.message\":\"", lambda_failed ? "Internal Server Error" : "-");
    p = put_jkey(p, ",\"userAgent\":\"", q->ua[0] ? q->ua : "-");
    if (!http)                     /* HTTP APIs have no X-Ray tracing */
        p = put_jkey(p, ",\"xrayTraceId\":\"", q->xray);
    *p++ = '}';
    return el_ag_queue_line(g, pd, q, q->t_done, g->line, (size_t)(p - g->line));
}

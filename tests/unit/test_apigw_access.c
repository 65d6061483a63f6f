/* test_apigw_access.c: unit tests for the API Gateway access-log parser
 * (parsers/apigw_access.c).
 *
 * Table-driven: one named row per behaviour, every row checked (a failing row
 * prints its name and the test fails after the whole table ran). Every parse
 * input is a guard-page copy, so a read one byte past the line faults. All
 * lines are this project's own fixtures (invented API ids, request ids, IPs).
 *
 * cJSON allocations are counted through cJSON_InitHooks. That is process-wide,
 * which STYLE.md rules out in the product (output/json.c shares cJSON); this
 * executable links no output code, so here it only proves which lines reach
 * the cJSON fallback.
 */
#include "parsers.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "check.h"
#include "guard.h"

/* ---- fixture pieces --------------------------------------------------------- */

#define RID "3f6c1a2e-8b4d-4e7f-9a0c-5d2e1b3c4f60" /* REST request id: a UUID */
#define RID2 "b7e0d9c4-12ab-4cde-8f01-a2b3c4d5e6f7"
#define XID "Zx9QkHs1joEFq2w="                     /* REST extendedRequestId */
#define HID "Hq7Lw2XpoAMEb4Q="                     /* HTTP API request id */
#define IP "203.0.113.41"
#define API "a1b2c3d4e5"
#define DOMAIN API ".execute-api.eu-west-1.amazonaws.com"
#define T_CLF "10/Mar/2026:10:00:00 +0000"
#define T_US INT64_C(1773136800000000) /* 2026-03-10T10:00:00Z */
#define T_EPOCH_MS "1773136800123"
#define T_EPOCH_US INT64_C(1773136800123000)
#define TRACE "Root=1-65ed8a40-0a1b2c3d4e5f60718293a4b5"

/* The console presets with our values. */
#define REST_JSON(status, len)                                                                 \
    "{\"requestId\":\"" RID "\",\"extendedRequestId\":\"" XID "\",\"ip\":\"" IP                \
    "\",\"caller\":\"-\",\"user\":\"-\",\"requestTime\":\"" T_CLF                              \
    "\",\"httpMethod\":\"GET\",\"resourcePath\":\"/orders/{orderId}\",\"status\":\"" status    \
    "\",\"protocol\":\"HTTP/1.1\",\"responseLength\":\"" len "\"}"
#define REST_JSON_SPACED                                                                       \
    "{ \"requestId\": \"" RID "\", \"extendedRequestId\": \"" XID "\", \"ip\": \"" IP          \
    "\", \"caller\": \"-\", \"user\": \"-\", \"requestTime\": \"" T_CLF                        \
    "\", \"httpMethod\": \"GET\", \"resourcePath\": \"/orders/{orderId}\", \"status\": "       \
    "\"200\", \"protocol\": \"HTTP/1.1\", \"responseLength\": \"512\" }  "
#define HTTP_JSON(route_key, extra)                                                            \
    "{\"requestId\":\"" HID "\",\"ip\":\"" IP "\",\"requestTime\":\"" T_CLF                    \
    "\",\"httpMethod\":\"GET\",\"routeKey\":\"" route_key "\",\"status\":\"200\","             \
    "\"protocol\":\"HTTP/1.1\",\"responseLength\":\"2048\"" extra "}"

#define F_BASE (EL_REC_HAS_TIME | EL_REC_HAS_STATUS | EL_REC_HAS_BYTES_OUT)
#define F_TIMINGS (EL_REC_HAS_LATENCY | EL_REC_HAS_BACKEND | EL_REC_HAS_OVERHEAD)

/* ---- the case table --------------------------------------------------------- */

/* String expectations: NULL = not checked, ABSENT (check.h) = must be an
 * empty view. */
struct case_ {
    const char *name;
    const char *line;
    size_t len;
    enum el_err rc;
    const char *what; /* rc != EL_OK: diag.what; NULL = not checked */
    bool cjson;       /* reaches the cJSON fallback (allocates) */
    /* rc == EL_OK: src always; numbers only when check_flags is set, and then
     * only those whose flag is expected set. */
    enum el_src src;
    bool check_flags;
    uint32_t flags;
    int64_t time_us, latency_us, backend_us, overhead_us;
    uint16_t status, backend_status;
    uint64_t bytes_out;
    const char *request_id, *trace_id, *client_ip, *method, *path, *route, *protocol;
    const char *error_reason, *user_agent, *host;
};

#define LN(s) .line = (s), .len = sizeof(s) - 1

static const struct case_ cases[] = {
    /* -- console JSON presets -------------------------------------------------- */
    { "REST JSON preset, compact", LN(REST_JSON("200", "512")), EL_OK,
      .src = EL_SRC_APIGW_REST, .check_flags = true, .flags = F_BASE, .time_us = T_US,
      .status = 200, .bytes_out = 512, .request_id = RID, .trace_id = ABSENT, .client_ip = IP,
      .method = "GET", .path = ABSENT, .route = "/orders/{orderId}", .protocol = "HTTP/1.1",
      .error_reason = ABSENT, .user_agent = ABSENT, .host = ABSENT },
    { "REST JSON preset, console spacing", LN(REST_JSON_SPACED), EL_OK,
      .src = EL_SRC_APIGW_REST, .check_flags = true, .flags = F_BASE, .time_us = T_US,
      .status = 200, .bytes_out = 512, .request_id = RID, .client_ip = IP, .method = "GET",
      .route = "/orders/{orderId}", .protocol = "HTTP/1.1" },
    { "HTTP JSON preset, routeKey 'GET /orders/{id}'",
      LN(HTTP_JSON("GET /orders/{id}", ",\"stage\":\"$default\",\"domainName\":\"" DOMAIN "\"")),
      EL_OK, .src = EL_SRC_APIGW_HTTP, .check_flags = true, .flags = F_BASE, .time_us = T_US,
      .status = 200, .bytes_out = 2048, .request_id = HID, .client_ip = IP, .method = "GET",
      .path = ABSENT, .route = "/orders/{id}", .protocol = "HTTP/1.1", .host = DOMAIN },
    { "HTTP JSON $default with a path: templated path",
      LN(HTTP_JSON("$default", ",\"path\":\"/v2/items/8812?full=1\"")), EL_OK,
      .src = EL_SRC_APIGW_HTTP, .method = "GET", .path = "/v2/items/8812",
      .route = "/v2/items/{id}" },
    { "HTTP JSON $default without a path: route '$default'", LN(HTTP_JSON("$default", "")),
      EL_OK, .src = EL_SRC_APIGW_HTTP, .method = "GET", .path = ABSENT, .route = "$default" },
    { "HTTP JSON 'ANY /{proxy+}' without httpMethod: method from routeKey",
      LN("{\"requestId\":\"" HID "\",\"routeKey\":\"ANY /{proxy+}\",\"status\":\"200\"}"), EL_OK,
      .src = EL_SRC_APIGW_HTTP, .method = "ANY", .route = "/{proxy+}" },
    { "HTTP API told by stage $default alone",
      LN("{\"requestId\":\"" RID "\",\"stage\":\"$default\",\"status\":\"200\","
         "\"path\":\"/health\"}"),
      EL_OK, .src = EL_SRC_APIGW_HTTP, .route = "/health" },
    { "HTTP API told by a non-UUID requestId alone",
      LN("{\"requestId\":\"" HID "\",\"status\":\"204\"}"), EL_OK, .src = EL_SRC_APIGW_HTTP,
      .route = ABSENT, .method = ABSENT },
    { "REST told by UUID_REPLACED_INVALID_REQUEST_ID",
      LN("{\"requestId\":\"UUID_REPLACED_INVALID_REQUEST_ID\",\"status\":\"400\"}"), EL_OK,
      .src = EL_SRC_APIGW_REST, .status = 400 },
    { "REST without resourcePath: route is the templated path with its stage",
      LN("{\"requestId\":\"" RID "\",\"httpMethod\":\"GET\",\"path\":\"/prod/orders/77\","
         "\"status\":\"200\"}"),
      EL_OK, .src = EL_SRC_APIGW_REST, .path = "/prod/orders/77", .route = "/prod/orders/{id}" },

    /* -- CLF presets --------------------------------------------------------------- */
    { "CLF REST, +0100 offset",
      LN(IP " - - [10/Mar/2026:11:00:00 +0100] \"POST /orders/{orderId}/items HTTP/1.1\" 201 87 "
            RID " " XID),
      EL_OK, .src = EL_SRC_APIGW_REST, .check_flags = true, .flags = F_BASE, .time_us = T_US,
      .status = 201, .bytes_out = 87, .request_id = RID, .client_ip = IP, .method = "POST",
      .route = "/orders/{orderId}/items", .protocol = "HTTP/1.1", .path = ABSENT },
    { "CLF REST console preset: no space before the request",
      LN(IP " - - [" T_CLF "]\"GET /orders HTTP/1.1\" 200 1400 " RID " " XID), EL_OK,
      .src = EL_SRC_APIGW_REST, .check_flags = true, .flags = F_BASE, .time_us = T_US,
      .status = 200, .bytes_out = 1400, .request_id = RID, .method = "GET", .route = "/orders" },
    { "CLF REST with IAM caller and user",
      LN(IP " AIDAEXAMPLEUSER01 arn:aws:iam::123456789012:user/ops [" T_CLF
            "] \"DELETE /orders/{orderId} HTTP/1.1\" 204 0 " RID " " XID),
      EL_OK, .src = EL_SRC_APIGW_REST, .check_flags = true, .flags = F_BASE, .time_us = T_US,
      .status = 204, .bytes_out = 0, .client_ip = IP, .method = "DELETE",
      .route = "/orders/{orderId}" },
    { "CLF HTTP, -0100 offset, routeKey in the request",
      LN(IP " - - [10/Mar/2026:09:00:00 -0100] \"GET GET /orders/{id} HTTP/1.1\" 200 512 " HID),
      EL_OK, .src = EL_SRC_APIGW_HTTP, .check_flags = true, .flags = F_BASE, .time_us = T_US,
      .status = 200, .bytes_out = 512, .request_id = HID, .client_ip = IP, .method = "GET",
      .route = "/orders/{id}", .protocol = "HTTP/1.1" },
    { "CLF HTTP $default, newer preset with extendedRequestId",
      LN(IP " - - [" T_CLF "] \"PUT $default HTTP/1.1\" 200 16 " HID " " HID), EL_OK,
      .src = EL_SRC_APIGW_HTTP, .method = "PUT", .route = "$default", .request_id = HID },
    { "CLF length '-' is absent",
      LN(IP " - - [" T_CLF "] \"GET /orders HTTP/1.1\" 502 - " RID " " XID), EL_OK,
      .src = EL_SRC_APIGW_REST, .check_flags = true,
      .flags = EL_REC_HAS_TIME | EL_REC_HAS_STATUS, .time_us = T_US, .status = 502 },
    { "CLF with fields appended to the preset",
      LN(IP " - - [" T_CLF "] \"GET /orders HTTP/1.1\" 200 10 " RID " " XID " 31 \"curl/8\""),
      EL_OK, .src = EL_SRC_APIGW_REST, .status = 200, .request_id = RID },
    { "CLF leap day with a +1400 offset",
      LN(IP " - - [01/Mar/2024:13:59:59 +1400] \"GET /x HTTP/1.1\" 200 1 " RID " " XID), EL_OK,
      .src = EL_SRC_APIGW_REST, .check_flags = true, .flags = F_BASE,
      .time_us = INT64_C(1709251199000000), .status = 200, .bytes_out = 1 },

    /* -- CSV and XML presets ------------------------------------------------------ */
    { "CSV REST preset",
      LN(IP ",-,-," T_CLF ",GET,/orders/{orderId},HTTP/1.1,200,512," RID "," XID), EL_OK,
      .src = EL_SRC_APIGW_REST, .check_flags = true, .flags = F_BASE, .time_us = T_US,
      .status = 200, .bytes_out = 512, .request_id = RID, .client_ip = IP, .method = "GET",
      .route = "/orders/{orderId}", .protocol = "HTTP/1.1" },
    { "CSV HTTP preset (routeKey, no caller/user)",
      LN(IP "," T_CLF ",GET,GET /orders/{id},HTTP/1.1,404,38," HID), EL_OK,
      .src = EL_SRC_APIGW_HTTP, .check_flags = true, .flags = F_BASE, .time_us = T_US,
      .status = 404, .bytes_out = 38, .request_id = HID, .method = "GET",
      .route = "/orders/{id}" },
    { "CSV resourcePath holding a comma",
      LN(IP ",-,-," T_CLF ",GET,/a,b/{id},HTTP/1.1,200,5," RID "," XID), EL_OK,
      .src = EL_SRC_APIGW_REST, .route = "/a,b/{id}", .status = 200, .request_id = RID },
    { "XML REST preset",
      LN("<request id=\"" RID "\"> <extendedRequestId>" XID "</extendedRequestId> <ip>" IP
         "</ip> <caller>-</caller> <user>-</user> <requestTime>" T_CLF
         "</requestTime> <httpMethod>PUT</httpMethod> <resourcePath>/orders/{orderId}"
         "</resourcePath> <status>200</status> <protocol>HTTP/1.1</protocol> <responseLength>64"
         "</responseLength> </request>"),
      EL_OK, .src = EL_SRC_APIGW_REST, .check_flags = true, .flags = F_BASE, .time_us = T_US,
      .status = 200, .bytes_out = 64, .request_id = RID, .client_ip = IP, .method = "PUT",
      .route = "/orders/{orderId}", .protocol = "HTTP/1.1" },
    { "XML HTTP preset",
      LN("<request id=\"" HID "\"> <ip>" IP "</ip> <requestTime>" T_CLF "</requestTime> "
         "<httpMethod>GET</httpMethod> <routeKey>GET /orders/{id}</routeKey> <status>429"
         "</status> <protocol>HTTP/1.1</protocol> <responseLength>-</responseLength> </request>"),
      EL_OK, .src = EL_SRC_APIGW_HTTP, .check_flags = true,
      .flags = EL_REC_HAS_TIME | EL_REC_HAS_STATUS, .time_us = T_US, .status = 429,
      .request_id = HID, .route = "/orders/{id}" },
    { "XML value with a raw '<'",
      LN("<request id=\"" RID "\"><userAgent>a<b</userAgent><status>200</status></request>"),
      EL_OK, .src = EL_SRC_APIGW_REST, .user_agent = "a<b", .status = 200 },

    /* -- custom JSON ---------------------------------------------------------------- */
    { "custom JSON: numbers, epoch ms, gateway timeout",
      LN("{\"requestId\":\"" RID "\",\"requestTimeEpoch\":" T_EPOCH_MS ",\"httpMethod\":\"POST\","
         "\"resourcePath\":\"/orders\",\"path\":\"/prod/orders\",\"status\":504,"
         "\"responseLatency\":29012,\"integrationLatency\":\"-\",\"integrationStatus\":\"-\","
         "\"error\":{\"message\":\"Endpoint request timed out\","
         "\"responseType\":\"INTEGRATION_TIMEOUT\"},\"userAgent\":\"curl/8.6.0\","
         "\"domainName\":\"" DOMAIN "\",\"xrayTraceId\":\"" TRACE "\","
         "\"tags\":[1,{\"a\":[]},\"x\"],"
         "\"ok\":true,\"none\":null}"),
      EL_OK, .src = EL_SRC_APIGW_REST, .check_flags = true,
      .flags = EL_REC_HAS_TIME | EL_REC_HAS_STATUS | EL_REC_HAS_LATENCY,
      .time_us = T_EPOCH_US, .latency_us = 29012000, .status = 504, .request_id = RID,
      .trace_id = TRACE, .method = "POST", .path = "/prod/orders", .route = "/orders",
      .error_reason = "INTEGRATION_TIMEOUT", .user_agent = "curl/8.6.0", .host = DOMAIN },
    { "custom JSON: nested integration object, integration.status preferred",
      LN("{\"requestId\":\"" RID "\",\"requestTime\":\"" T_CLF "\",\"status\":\"502\","
         "\"responseLatency\":\"45\",\"integration\":{\"status\":500,\"latency\":41.5,"
         "\"integrationStatus\":\"200\",\"error\":\"boom\"},\"responseLength\":\"36\"}"),
      EL_OK, .src = EL_SRC_APIGW_REST, .check_flags = true,
      .flags = F_BASE | F_TIMINGS | EL_REC_HAS_BACKEND_STATUS, .time_us = T_US,
      .latency_us = 45000, .backend_us = 41500, .overhead_us = 3500, .status = 502,
      .backend_status = 500, .bytes_out = 36, .error_reason = ABSENT },
    { "custom JSON: flattened dotted keys",
      LN("{\"requestId\":\"" RID "\",\"identity.sourceIp\":\"198.51.100.7\","
         "\"identity.userAgent\":\"Mozilla/5.0 (X11)\",\"status\":\"200\","
         "\"responseLatency\":\"15\",\"integration.latency\":\"12\",\"integration.status\":\"200\","
         "\"error.message\":\"-\",\"error.responseType\":\"-\"}"),
      EL_OK, .src = EL_SRC_APIGW_REST, .check_flags = true,
      .flags = EL_REC_HAS_STATUS | F_TIMINGS | EL_REC_HAS_BACKEND_STATUS, .latency_us = 15000,
      .backend_us = 12000, .overhead_us = 3000, .status = 200, .backend_status = 200,
      .client_ip = "198.51.100.7", .user_agent = "Mozilla/5.0 (X11)", .error_reason = ABSENT },
    { "custom JSON: nested identity object, integrationStatus only",
      LN("{\"requestId\":\"" RID "\",\"identity\":{\"sourceIp\":\"198.51.100.8\","
         "\"userAgent\":\"ua/1\"},\"status\":\"200\",\"integrationStatus\":\"202\"}"),
      EL_OK, .src = EL_SRC_APIGW_REST, .check_flags = true,
      .flags = EL_REC_HAS_STATUS | EL_REC_HAS_BACKEND_STATUS, .status = 200,
      .backend_status = 202, .client_ip = "198.51.100.8", .user_agent = "ua/1" },
    { "custom JSON: snake_case and hyphenated keys",
      LN("{\"request_id\":\"" RID "\",\"source_ip\":\"" IP "\",\"http_method\":\"PATCH\","
         "\"resource_path\":\"/carts/{cartId}\",\"status\":\"200\",\"response_latency\":\"7\","
         "\"user-agent\":\"okhttp/4.12.0\",\"domain_name\":\"" DOMAIN "\"}"),
      EL_OK, .src = EL_SRC_APIGW_REST, .check_flags = true,
      .flags = EL_REC_HAS_STATUS | EL_REC_HAS_LATENCY, .status = 200, .latency_us = 7000,
      .request_id = RID, .client_ip = IP, .method = "PATCH", .route = "/carts/{cartId}",
      .user_agent = "okhttp/4.12.0", .host = DOMAIN },
    { "custom JSON: $context.-prefixed keys",
      LN("{\"$context.requestId\":\"" RID "\",\"$context.status\":\"403\","
         "\"$context.error.responseType\":\"ACCESS_DENIED\",\"$context.httpMethod\":\"GET\"}"),
      EL_OK, .src = EL_SRC_APIGW_REST, .status = 403, .error_reason = "ACCESS_DENIED",
      .method = "GET" },
    { "custom JSON: decimal latencies in strings",
      LN("{\"requestId\":\"" RID "\",\"status\":\"200\",\"responseLatency\":\"12.5\","
         "\"integrationLatency\":\"10.25\"}"),
      EL_OK, .src = EL_SRC_APIGW_REST, .check_flags = true,
      .flags = EL_REC_HAS_STATUS | F_TIMINGS, .status = 200, .latency_us = 12500,
      .backend_us = 10250, .overhead_us = 2250 },
    { "custom JSON: backend slower than total: no overhead",
      LN("{\"requestId\":\"" RID "\",\"responseLatency\":5,\"integrationLatency\":6}"), EL_OK,
      .src = EL_SRC_APIGW_REST, .check_flags = true,
      .flags = EL_REC_HAS_LATENCY | EL_REC_HAS_BACKEND, .latency_us = 5000, .backend_us = 6000 },
    { "custom JSON: 10-digit requestTimeEpoch is seconds",
      LN("{\"requestId\":\"" RID "\",\"requestTimeEpoch\":\"1773136800\"}"), EL_OK,
      .src = EL_SRC_APIGW_REST, .check_flags = true, .flags = EL_REC_HAS_TIME,
      .time_us = T_US },
    { "custom JSON: requestTimeEpoch wins over requestTime",
      LN("{\"requestId\":\"" RID "\",\"requestTime\":\"11/Mar/2026:10:00:00 +0000\","
         "\"requestTimeEpoch\":\"" T_EPOCH_MS "\"}"),
      EL_OK, .src = EL_SRC_APIGW_REST, .check_flags = true, .flags = EL_REC_HAS_TIME,
      .time_us = T_EPOCH_US },
    { "custom JSON: error.message when there is no responseType",
      LN("{\"requestId\":\"" RID "\",\"status\":\"401\",\"errorMessage\":\"Unauthorized\"}"),
      EL_OK, .src = EL_SRC_APIGW_REST, .error_reason = "Unauthorized" },
    { "custom JSON: error.messageString is unquoted",
      LN("{\"requestId\":\"" RID "\",\"status\":\"403\","
         "\"error.messageString\":\"\\\"Missing Authentication Token\\\"\"}"),
      EL_OK, .src = EL_SRC_APIGW_REST, .error_reason = "Missing Authentication Token" },
    { "custom JSON: first present value wins among synonyms",
      LN("{\"requestId\":\"" RID "\",\"ip\":\"-\",\"sourceIp\":\"192.0.2.9\","
         "\"clientIp\":\"192.0.2.10\"}"),
      EL_OK, .src = EL_SRC_APIGW_REST, .client_ip = "192.0.2.9" },
    { "custom JSON: escapes decoded",
      LN("{\"requestId\":\"" RID "\",\"userAgent\":\"say \\\"hi\\\" caf\\u00e9 \\ud83d\\ude00 "
         "a\\\\b\\/c\\tend\",\"path\":\"/caf\\u00e9/7\",\"lone\":\"\\ud800\"}"),
      EL_OK, .src = EL_SRC_APIGW_REST,
      .user_agent = "say \"hi\" caf\xC3\xA9 \xF0\x9F\x98\x80 a\\b/c\tend",
      .path = "/caf\xC3\xA9/7", .route = "/caf\xC3\xA9/{id}" },
    { "custom JSON: lone surrogate becomes U+FFFD",
      LN("{\"requestId\":\"" RID "\",\"userAgent\":\"x\\ud800y\\udc00z\"}"), EL_OK,
      .src = EL_SRC_APIGW_REST, .user_agent = "x\xEF\xBF\xBDy\xEF\xBF\xBDz" },
    { "custom JSON: key written with an escape goes to cJSON",
      LN("{\"request\\u0049d\":\"" RID "\",\"status\":200,\"httpMethod\":\"GET\","
         "\"resourcePath\":\"/x\",\"responseLatency\":12.5,\"integration\":{\"latency\":10},"
         "\"requestTimeEpoch\":" T_EPOCH_MS ",\"userAgent\":\"a\\\"b\"}"),
      EL_OK, .cjson = true, .src = EL_SRC_APIGW_REST, .check_flags = true,
      .flags = EL_REC_HAS_TIME | EL_REC_HAS_STATUS | F_TIMINGS, .time_us = T_EPOCH_US,
      .status = 200, .latency_us = 12500, .backend_us = 10000, .overhead_us = 2500,
      .request_id = RID, .method = "GET", .route = "/x", .user_agent = "a\"b" },

    /* -- '-' and null mean absent, numeric fields included ------------------------ */
    { "'-' in every numeric field",
      LN("{\"requestId\":\"" RID "\",\"status\":\"-\",\"responseLength\":\"-\","
         "\"responseLatency\":\"-\",\"integrationLatency\":\"-\",\"integrationStatus\":\"-\","
         "\"integration.status\":\"-\",\"requestTime\":\"-\",\"requestTimeEpoch\":\"-\","
         "\"ip\":\"-\",\"userAgent\":\"-\",\"httpMethod\":\"-\",\"resourcePath\":\"-\"}"),
      EL_OK, .src = EL_SRC_APIGW_REST, .check_flags = true, .flags = 0, .client_ip = ABSENT,
      .user_agent = ABSENT, .method = ABSENT, .route = ABSENT },
    { "null and empty strings are absent",
      LN("{\"requestId\":\"" RID "\",\"status\":null,\"responseLength\":\"\","
         "\"responseLatency\":null,\"userAgent\":\"\"}"),
      EL_OK, .src = EL_SRC_APIGW_REST, .check_flags = true, .flags = 0,
      .user_agent = ABSENT },

    /* -- CloudWatch export prefix ------------------------------------------------- */
    { "export prefix gives the time when the line has none",
      LN("2026-03-10T10:00:00.123Z {\"requestId\":\"" RID "\",\"status\":\"200\"}"), EL_OK,
      .src = EL_SRC_APIGW_REST, .check_flags = true,
      .flags = EL_REC_HAS_TIME | EL_REC_HAS_STATUS, .time_us = INT64_C(1773136800123000),
      .status = 200, .request_id = RID },
    { "requestTime wins over the export prefix",
      LN("2026-03-10T10:00:05.000Z " REST_JSON("200", "1")), EL_OK,
      .src = EL_SRC_APIGW_REST, .check_flags = true, .flags = F_BASE, .time_us = T_US,
      .status = 200, .bytes_out = 1 },
    { "export prefix before a CLF line",
      LN("2026-03-10T10:00:00.999Z " IP " - - [" T_CLF "] \"GET GET /x HTTP/1.1\" 200 3 " HID),
      EL_OK, .src = EL_SRC_APIGW_HTTP, .check_flags = true, .flags = F_BASE, .time_us = T_US,
      .status = 200, .bytes_out = 3, .route = "/x" },

    /* -- invalid JSON: API Gateway does not escape values ------------------------- */
    { "unescaped quotes in userAgent: lenient recovery",
      LN("{\"requestId\":\"" RID "\",\"httpMethod\":\"GET\",\"userAgent\":\"Mozilla/5.0 "
         "\"Quoted\" Agent\",\"status\":\"503\",\"responseLatency\":\"31\","
         "\"integrationLatency\":\"-\"}"),
      EL_OK, .src = EL_SRC_APIGW_REST, .check_flags = true,
      .flags = EL_REC_HAS_STATUS | EL_REC_HAS_LATENCY, .status = 503, .latency_us = 31000,
      .request_id = RID, .method = "GET", .user_agent = "Mozilla/5.0 \"Quoted\" Agent" },
    { "unescaped '\", \"' inside a value, last key quoted value",
      LN("{ \"requestId\": \"" RID "\", \"userAgent\": \"a\", \"b\", \"status\": \"200\", "
         "\"path\": \"/x\"y\" }"),
      EL_OK, .src = EL_SRC_APIGW_REST, .status = 200, .user_agent = "a\", \"b",
      .path = "/x\"y" },
    { "raw backslash (invalid escape) kept as is",
      LN("{\"requestId\":\"" RID "\",\"userAgent\":\"C:\\agent\\x\",\"status\":\"200\"}"),
      EL_OK, .src = EL_SRC_APIGW_REST, .status = 200, .user_agent = "C:\\agent\\x" },
    { "truncated JSON keeps what it read",
      LN("{\"requestId\":\"" RID "\",\"status\":\"200\",\"userAgent\":\"cut off"), EL_OK,
      .src = EL_SRC_APIGW_REST, .status = 200, .request_id = RID, .user_agent = ABSENT },
    { "unescaped quote in a nested object",
      LN("{\"requestId\":\"" HID "\",\"integration\":{\"error\":\"bad \"thing\"\",\"latency\":"
         "\"8\"},\"responseLatency\":\"9\",\"routeKey\":\"$default\"}"),
      EL_OK, .src = EL_SRC_APIGW_HTTP, .check_flags = true, .flags = F_TIMINGS,
      .latency_us = 9000, .backend_us = 8000, .overhead_us = 1000, .route = "$default" },

    /* -- rejected lines --------------------------------------------------------------- */
    { "ALB line", LN("https 2026-03-10T10:00:00.000000Z app/edge-alb/5f3e2d1c0b9a8776 "
                     "198.51.100.23:53124 10.0.4.21:8080 0.001 0.020 0.000 200 200 310 2048 "
                     "\"GET https://api.example.net:443/ HTTP/1.1\" \"curl/8.5.0\" - - "
                     "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/x/1 "
                     "\"Root=1-65ed8a40-0a1b2c3d4e5f60718293a4b5\""),
      EL_ERR_PARSE, .what = "not an API Gateway access log line" },
    { "free text", LN("the quick brown fox jumps over the lazy dog"), EL_ERR_PARSE,
      .what = "not an API Gateway access log line" },
    { "execution-log line behind an export prefix",
      LN("2026-03-10T10:00:00.123Z (" RID ") Method completed with status: 200"), EL_ERR_PARSE,
      .what = "not an API Gateway access log line" },
    { "empty line", .line = "", .len = 0, .rc = EL_ERR_PARSE, .what = "empty line" },
    { "export prefix alone", LN("2026-03-10T10:00:00.123Z "), EL_ERR_PARSE,
      .what = "export prefix without a message" },
    { "JSON without access-log keys", LN("{\"level\":\"info\",\"msg\":\"hello\"}"),
      EL_ERR_PARSE, .what = "JSON line without access-log keys" },
    { "JSON garbage", LN("{nonsense"), EL_ERR_PARSE, .what = "unreadable JSON line" },
    { "XML cut inside a tag", LN("<request id=\"" RID "\"> <status>200</status"),
      EL_ERR_PARSE, .what = "malformed XML access log line" },
    { "Apache CLF line without a request id",
      LN("192.0.2.1 - frank [" T_CLF "] \"GET /index.html HTTP/1.0\" 200 2326"), EL_ERR_PARSE,
      .what = "CLF line ends before its request id" },
    { "Apache combined line: a quoted referer where the id should be",
      LN("192.0.2.1 - - [" T_CLF "] \"GET / HTTP/1.0\" 200 2326 \"http://r.example/\" \"ua\""),
      EL_ERR_PARSE, .what = "CLF line without a request id after the length" },
    { "status not a number", LN("{\"requestId\":\"" RID "\",\"status\":\"OK\"}"), EL_ERR_PARSE,
      .what = "bad status" },
    { "status 1000", LN("{\"requestId\":\"" RID "\",\"status\":1000}"), EL_ERR_RANGE,
      .what = "bad status" },
    { "status as a JSON float", LN("{\"requestId\":\"" RID "\",\"status\":200.0}"),
      EL_ERR_PARSE, .what = "bad status" },
    { "negative latency", LN("{\"requestId\":\"" RID "\",\"responseLatency\":\"-5\"}"),
      EL_ERR_RANGE, .what = "bad responseLatency" },
    { "integration.status 42", LN("{\"requestId\":\"" RID "\",\"integration.status\":42}"),
      EL_ERR_RANGE, .what = "bad integration.status" },
    { "requestTime 30 Feb",
      LN("{\"requestId\":\"" RID "\",\"requestTime\":\"30/Feb/2026:10:00:00 +0000\"}"),
      EL_ERR_RANGE, .what = "bad requestTime" },
    { "requestTime in ISO form",
      LN("{\"requestId\":\"" RID "\",\"requestTime\":\"2026-03-10T10:00:00Z\"}"), EL_ERR_PARSE,
      .what = "bad requestTime" },
    { "requestTimeEpoch with letters",
      LN("{\"requestId\":\"" RID "\",\"requestTimeEpoch\":\"17731368x0\"}"), EL_ERR_PARSE,
      .what = "bad requestTimeEpoch" },
    { "CLF with a bad month",
      LN(IP " - - [10/Mrz/2026:10:00:00 +0000] \"GET /x HTTP/1.1\" 200 1 " RID), EL_ERR_PARSE,
      .what = "bad requestTime" },
    { "CLF request not quoted",
      LN(IP " - - [" T_CLF "] GET /x HTTP/1.1 200 1 " RID), EL_ERR_PARSE,
      .what = "CLF request not in double quotes" },
};

/* ---- cJSON allocation counter ------------------------------------------------- */

static uint64_t cj_mallocs, cj_frees;

static void *cj_malloc(size_t n)
{
    cj_mallocs++;
    return malloc(n);
}

static void cj_free(void *p)
{
    if (p)
        cj_frees++;
    free(p);
}

/* ---- helpers ------------------------------------------------------------------- */

static int parser_setup(void **state)
{
    return check_parser_setup(&el_parser_apigw_access, state);
}

static int parser_teardown(void **state)
{
    el_parser_apigw_access.destroy(*state);
    return 0;
}

static int check_record(const struct case_ *c, const struct el_record *r)
{
    int bad = 0;

    bad += check_i64(c->name, "src", r->src, c->src);
    if (c->check_flags) {
        struct el_record want = {
            .flags = c->flags, .time_us = c->time_us, .latency_us = c->latency_us,
            .backend_us = c->backend_us, .overhead_us = c->overhead_us, .status = c->status,
            .backend_status = c->backend_status, .bytes_out = c->bytes_out,
        };
        bad += check_numbers(c->name, r, &want);
    } else if (c->status) {
        if (!el_rec_has(r, EL_REC_HAS_STATUS)) {
            print_error("case '%s': status absent, want %u\n", c->name, c->status);
            bad++;
        } else {
            bad += check_i64(c->name, "status", r->status, c->status);
        }
    }
    /* Fields this format never fills. */
    if (r->client_port || r->bytes_in || r->conn_id.n || r->scheme.n || r->target.n ||
        r->target_group.n || r->actions.n || r->type.n) {
        print_error("case '%s': an ALB-only field is set\n", c->name);
        bad++;
    }
    bad += check_str(c->name, "request_id", r->request_id, c->request_id);
    bad += check_str(c->name, "trace_id", r->trace_id, c->trace_id);
    bad += check_str(c->name, "client_ip", r->client_ip, c->client_ip);
    bad += check_str(c->name, "method", r->method, c->method);
    bad += check_str(c->name, "path", r->path, c->path);
    bad += check_str(c->name, "route", r->route, c->route);
    bad += check_str(c->name, "protocol", r->protocol, c->protocol);
    bad += check_str(c->name, "error_reason", r->error_reason, c->error_reason);
    bad += check_str(c->name, "user_agent", r->user_agent, c->user_agent);
    bad += check_str(c->name, "host", r->host, c->host);
    return bad;
}

static int run_case(struct el_parser *p, const struct case_ *c)
{
    struct el_record rec;
    struct el_diag diag;
    memset(&rec, 0xA5, sizeof(rec)); /* stale garbage must not leak into the result */
    enum el_err rc = check_parse(&el_parser_apigw_access, p, c->line, c->len, &rec, &diag);

    if (check_rc(c->name, rc, c->rc, &diag))
        return 1;
    if (rc == EL_OK)
        return check_record(c, &rec);
    return check_diag(c->name, rc, &diag, c->what, c->len);
}

/* ---- tests ------------------------------------------------------------------------ */

static void test_apigw_access_cases(void **state)
{
    size_t failed = 0;
    for (size_t i = 0; i < EL_ARRAY_LEN(cases); i++)
        if (run_case(*state, &cases[i]) != 0)
            failed++;
    if (failed)
        fail_msg("%zu of %zu cases failed (see above)", failed, EL_ARRAY_LEN(cases));
}

/* ---- features ------------------------------------------------------------------------ */

/* A REST JSON line with EXTRA members appended. */
#define REST_PLUS(extra)                                                                       \
    "{\"requestId\":\"" RID "\",\"httpMethod\":\"POST\",\"resourcePath\":\"/orders\","         \
    "\"status\":\"200\"" extra "}"

struct feat_case {
    const char *name;
    const char *line;
    uint32_t features;
};

/* Each feature from the fields and gateway response types that imply it;
 * none from absent values ("-", "") or from types and messages several
 * causes share. */
static const struct feat_case feat_cases[] = {
    { "preset line: no features", REST_JSON("200", "512"), 0 },
    { "THROTTLED", REST_PLUS(",\"error\":{\"responseType\":\"THROTTLED\"}"), EL_FEAT_THROTTLED },
    { "QUOTA_EXCEEDED: a plan's quota, hence a key",
      REST_PLUS(",\"errorResponseType\":\"QUOTA_EXCEEDED\""),
      EL_FEAT_USAGE_PLAN | EL_FEAT_API_KEY },
    { "INVALID_API_KEY", REST_PLUS(",\"error.responseType\":\"INVALID_API_KEY\""),
      EL_FEAT_API_KEY },
    { "UNAUTHORIZED", REST_PLUS(",\"$context.error.responseType\":\"UNAUTHORIZED\""),
      EL_FEAT_AUTHORIZER },
    { "ACCESS_DENIED", REST_PLUS(",\"error\":{\"responseType\":\"ACCESS_DENIED\"}"),
      EL_FEAT_AUTHORIZER },
    { "AUTHORIZER_FAILURE", REST_PLUS(",\"error\":{\"responseType\":\"AUTHORIZER_FAILURE\"}"),
      EL_FEAT_AUTHORIZER },
    { "AUTHORIZER_CONFIGURATION_ERROR",
      REST_PLUS(",\"error\":{\"responseType\":\"AUTHORIZER_CONFIGURATION_ERROR\"}"),
      EL_FEAT_AUTHORIZER },
    { "BAD_REQUEST_BODY", REST_PLUS(",\"error\":{\"responseType\":\"BAD_REQUEST_BODY\"}"),
      EL_FEAT_VALIDATION },
    { "BAD_REQUEST_PARAMETERS",
      REST_PLUS(",\"error\":{\"responseType\":\"BAD_REQUEST_PARAMETERS\"}"), EL_FEAT_VALIDATION },
    { "message only: 'Too Many Requests'", REST_PLUS(",\"errorMessage\":\"Too Many Requests\""),
      EL_FEAT_THROTTLED },
    { "message only: 'Missing required request parameters: [id]'",
      REST_PLUS(",\"error\":{\"message\":\"Missing required request parameters: [id]\"}"),
      EL_FEAT_VALIDATION },
    { "type and message both logged",
      REST_PLUS(",\"error\":{\"responseType\":\"BAD_REQUEST_BODY\",\"message\":"
                "\"Invalid request body\"}"),
      EL_FEAT_VALIDATION },
    { "shared or unrelated types set nothing: INTEGRATION_TIMEOUT",
      REST_PLUS(",\"error\":{\"responseType\":\"INTEGRATION_TIMEOUT\"}"), 0 },
    { "'Forbidden' alone proves nothing", REST_PLUS(",\"error\":{\"message\":\"Forbidden\"}"), 0 },
    { "a type only as a prefix is not the type",
      REST_PLUS(",\"error\":{\"responseType\":\"THROTTLED_SOMETHING\"}"), 0 },
    { "identity.apiKeyId with a value",
      REST_PLUS(",\"identity\":{\"apiKeyId\":\"k3y1d0042x\"}"), EL_FEAT_API_KEY },
    { "$context.identity.apiKey with a value",
      REST_PLUS(",\"$context.identity.apiKey\":\"Qx7Tz2abcdef\""), EL_FEAT_API_KEY },
    { "api key '-' or empty: none",
      REST_PLUS(",\"apiKey\":\"-\",\"identity\":{\"apiKeyId\":\"\"}"), 0 },
    { "authorizer.principalId with a value",
      REST_PLUS(",\"authorizer\":{\"principalId\":\"user-17\"}"), EL_FEAT_AUTHORIZER },
    { "flat authorizerLatency",
      REST_PLUS(",\"authorizerLatency\":\"12\""), EL_FEAT_AUTHORIZER },
    { "$context.authorizer.claims.sub",
      REST_PLUS(",\"$context.authorizer.claims.sub\":\"8d2f-user\""), EL_FEAT_AUTHORIZER },
    { "authorizer fields all '-': none",
      REST_PLUS(",\"authorizer\":{\"principalId\":\"-\",\"latency\":\"-\"}"), 0 },
    { "authorize.* (any authorization attempt) is not an authorizer",
      REST_PLUS(",\"authorize\":{\"status\":\"200\",\"latency\":\"3\"}"), 0 },
    { "several at once",
      REST_PLUS(",\"identity\":{\"apiKeyId\":\"k3y1d0042x\"},\"authorizer\":{\"error\":"
                "\"-\",\"status\":\"200\"},\"error\":{\"responseType\":\"THROTTLED\"}"),
      EL_FEAT_API_KEY | EL_FEAT_AUTHORIZER | EL_FEAT_THROTTLED },
};

static void test_apigw_access_features(void **state)
{
    size_t failed = 0;
    for (size_t i = 0; i < EL_ARRAY_LEN(feat_cases); i++) {
        const struct feat_case *c = &feat_cases[i];
        struct el_record rec;
        struct el_diag diag;
        memset(&rec, 0xA5, sizeof(rec));
        enum el_err rc = check_parse(&el_parser_apigw_access, *state, c->line, strlen(c->line),
                                     &rec, &diag);
        if (check_rc(c->name, rc, EL_OK, &diag)) {
            failed++;
        } else if (rec.features != c->features) {
            print_error("case '%s': features 0x%x, want 0x%x\n", c->name, rec.features,
                        c->features);
            failed++;
        }
    }
    if (failed)
        fail_msg("%zu of %zu feature cases failed (see above)", failed, EL_ARRAY_LEN(feat_cases));
}

/* Only rows marked cjson reach cJSON, and its tree lives exactly until the
 * next parse call (views into it are valid for one record) or destroy. */
static void test_apigw_access_cjson_only_on_decline(void **state)
{
    struct el_parser *p = *state;
    struct el_record r;
    struct el_diag d;
    size_t failed = 0;

    for (size_t i = 0; i < EL_ARRAY_LEN(cases); i++) {
        const struct case_ *c = &cases[i];
        uint64_t before = cj_mallocs;
        check_parse(&el_parser_apigw_access, p, c->line, c->len, &r, &d);
        bool used = cj_mallocs != before;
        if (used != c->cjson) {
            print_error("case '%s': cJSON %s, want %s\n", c->name, used ? "used" : "unused",
                        c->cjson ? "used" : "unused");
            failed++;
        }
        if (c->cjson && cj_mallocs == cj_frees) {
            print_error("case '%s': cJSON tree already freed\n", c->name);
            failed++;
        }
        /* the next call frees it */
        check_parse(&el_parser_apigw_access, p, REST_JSON("200", "1"),
                    sizeof(REST_JSON("200", "1")) - 1, &r, &d);
        if (cj_mallocs != cj_frees) {
            print_error("case '%s': cJSON tree not freed by the next call\n", c->name);
            failed++;
        }
    }
    if (failed)
        fail_msg("%zu cases failed", failed);
}

static void test_apigw_access_destroy_frees_tree(void **state)
{
    (void)state;
    struct el_parser *p = NULL;
    struct el_record r;
    struct el_diag d;
    const struct case_ *c = NULL;

    for (size_t i = 0; i < EL_ARRAY_LEN(cases) && !c; i++)
        if (cases[i].cjson)
            c = &cases[i];
    assert_non_null(c);
    assert_int_equal(el_parser_apigw_access.create(&p), EL_OK);
    assert_int_equal(check_parse(&el_parser_apigw_access, p, c->line, c->len, &r, &d), EL_OK);
    assert_true(cj_mallocs > cj_frees);
    el_parser_apigw_access.destroy(p);
    assert_true(cj_mallocs == cj_frees);
}

struct sniff_case {
    const char *name;
    const char *line;
    int min, max;
};

#define ALB_LINE                                                                               \
    "https 2026-03-10T10:00:00.000000Z app/edge-alb/5f3e2d1c0b9a8776 198.51.100.23:53124 "       \
    "10.0.4.21:8080 0.001 0.020 0.000 200 200 310 2048 \"GET https://api.example.net:443/v1/a,b " \
    "HTTP/1.1\" \"Mozilla/5.0 (a, b, c)\" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 "                  \
    "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/x/1 "                       \
    "\"Root=1-65ed8a40-0a1b2c3d4e5f60718293a4b5\" \"api.example.net\" \"-\" 5 "                  \
    "2026-03-10T10:00:00.000000Z \"waf,forward\" \"-\" \"-\" \"-\" \"-\" \"-\" \"-\" TID_1"

static void test_apigw_access_sniff(void **state)
{
    (void)state;
    static const struct sniff_case sc[] = {
        { "REST JSON preset", REST_JSON("200", "1"), 90, 90 },
        { "REST JSON console spacing", REST_JSON_SPACED, 90, 90 },
        { "HTTP JSON preset", HTTP_JSON("GET /x", ""), 90, 90 },
        { "export-prefixed JSON", "2026-03-10T10:00:00.123Z " REST_JSON("200", "1"), 90, 90 },
        { "JSON with an unescaped quote",
          "{\"requestId\":\"" RID "\",\"userAgent\":\"a \"b\" c\",\"status\":\"200\"}", 90, 90 },
        { "CLF REST", IP " - - [" T_CLF "] \"GET /x HTTP/1.1\" 200 1 " RID " " XID, 90, 90 },
        { "CLF HTTP", IP " - - [" T_CLF "] \"GET $default HTTP/1.1\" 200 1 " HID, 90, 90 },
        { "CSV REST", IP ",-,-," T_CLF ",GET,/x,HTTP/1.1,200,5," RID "," XID, 90, 90 },
        { "XML", "<request id=\"" RID "\"> <status>200</status> </request>", 90, 90 },
        { "JSON with status and method, no id",
          "{\"status\":\"200\",\"httpMethod\":\"GET\"}", 31, 89 },
        { "ALB line", ALB_LINE, 0, 0 },
        { "Apache CLF", "192.0.2.1 - - [" T_CLF "] \"GET / HTTP/1.0\" 200 2326", 0, 0 },
        { "other JSON", "{\"level\":\"info\",\"msg\":\"hello\"}", 0, 0 },
        { "execution log", "2026-03-10T10:00:00.123Z (" RID ") Method completed with status: 200",
          0, 0 },
        { "free text", "the quick brown fox", 0, 0 },
        { "empty", "", 0, 0 },
    };
    size_t failed = 0;
    for (size_t i = 0; i < EL_ARRAY_LEN(sc); i++)
        failed += (size_t)check_sniff(sc[i].name, &el_parser_apigw_access, sc[i].line, sc[i].min,
                                      sc[i].max);
    /* The registry: ALB lines go to alb, presets to apigw-access, both ways. */
    struct el_str alb = EL_STR_LIT(ALB_LINE);
    struct el_str mine[] = { EL_STR_LIT("garbage first"), EL_STR_LIT(REST_JSON("200", "1")) };
    if (el_parser_alb.sniff(mine + 1, 1) != 0) {
        print_error("ALB claims an access-log line\n");
        failed++;
    }
    if (el_parser_sniff(&alb, 1) != &el_parser_alb) {
        print_error("registry does not pick alb for an ALB line\n");
        failed++;
    }
    if (el_parser_sniff(mine, 2) != &el_parser_apigw_access) {
        print_error("registry does not pick apigw-access for a JSON access line\n");
        failed++;
    }
    if (el_parser_find("apigw-access") != &el_parser_apigw_access) {
        print_error("apigw-access not registered by name\n");
        failed++;
    }
    if (el_parser_apigw_access.sniff(NULL, 0) != 0) {
        print_error("empty set sniffs non-zero\n");
        failed++;
    }
    if (failed)
        fail_msg("%zu sniff cases failed", failed);
}

/* An envelope event: the time comes from the event unless the line has one;
 * a trailing newline in the message is not part of the line. */
static void test_apigw_access_parse_event(void **state)
{
    struct el_parser *p = *state;
    static const char no_time[] = "{\"requestId\":\"" RID "\",\"status\":\"200\"}\n";
    static const char with_time[] = REST_JSON("200", "1") "\r\n";
    struct el_record r;
    struct el_diag d = { 0 };
    struct el_event ev = { .time_us = INT64_C(1773136801000000) };

    assert_non_null(el_parser_apigw_access.parse_event);
    ev.message = (struct el_str){ guard_copy(no_time, sizeof(no_time) - 1), sizeof(no_time) - 1 };
    assert_int_equal(el_parser_apigw_access.parse_event(p, &ev, &r, &d), EL_OK);
    assert_true(el_rec_has(&r, EL_REC_HAS_TIME));
    assert_true(r.time_us == ev.time_us);
    assert_int_equal(r.status, 200);

    ev.message =
        (struct el_str){ guard_copy(with_time, sizeof(with_time) - 1), sizeof(with_time) - 1 };
    assert_int_equal(el_parser_apigw_access.parse_event(p, &ev, &r, &d), EL_OK);
    assert_true(r.time_us == T_US);
    assert_int_equal(r.bytes_out, 1);
}

/* ---- long lines -------------------------------------------------------------------- */

#define LONG_REPS 20000
#define ESC_UNIT "\\\"\\u00e9\\\\"   /* decodes to '"' 0xC3 0xA9 '\' */
#define RAW_UNIT "x \"q\", "          /* invalid JSON: raw quotes and commas */

#define LONG_HEAD "{\"requestId\":\"" RID "\",\"userAgent\":\""
#define LONG_TAIL "\",\"status\":\"200\",\"responseLatency\":\"3\"}"

/* {"requestId":RID,"userAgent":"<unit * LONG_REPS>","status":"200","responseLatency":"3"} */
static char *build_long(const char *unit, size_t *len)
{
    return check_repeat(LONG_HEAD, unit, LONG_REPS, LONG_TAIL, len);
}

static void check_long(const struct el_record *r, bool decoded)
{
    assert_int_equal(r->status, 200);
    assert_true(r->latency_us == 3000);
    assert_int_equal(check_str("long", "request_id", r->request_id, RID), 0);
    if (decoded) {
        assert_int_equal(r->user_agent.n, 4 * LONG_REPS);
        for (size_t i = 0; i < LONG_REPS; i++) {
            const char *u = r->user_agent.p + 4 * i;
            if (u[0] != '"' || u[1] != '\xC3' || u[2] != '\xA9' || u[3] != '\\')
                fail_msg("long line: user agent unit %zu not decoded", i);
        }
    } else {
        size_t un = sizeof(ESC_UNIT) - 1;
        assert_int_equal(r->user_agent.n, un * LONG_REPS);
        for (size_t i = 0; i < LONG_REPS; i++)
            if (memcmp(r->user_agent.p + un * i, ESC_UNIT, un) != 0)
                fail_msg("long line: raw user agent unit %zu changed", i);
    }
}

static void test_apigw_access_long_lines(void **state)
{
    struct el_parser *p = *state;
    size_t len, rlen;
    char *s = build_long(ESC_UNIT, &len);
    char *raw = build_long(RAW_UNIT, &rlen);
    struct el_record r;
    struct el_diag d;

    assert_true(len > 64 * 1024 && rlen > 64 * 1024);
    uint64_t before = el_mem_allocs();
    assert_int_equal(check_parse(&el_parser_apigw_access, p, s, len, &r, &d), EL_OK);
    assert_true(el_mem_allocs() - before <= 1); /* the scratch grows once */
    check_long(&r, true);
    before = el_mem_allocs();
    assert_int_equal(check_parse(&el_parser_apigw_access, p, s, len, &r, &d), EL_OK);
    assert_int_equal(el_mem_allocs() - before, 0);
    check_long(&r, true);

    /* The lenient path on a long invalid line: linear, allocation-free. */
    before = el_mem_allocs();
    uint64_t cj = cj_mallocs;
    assert_int_equal(check_parse(&el_parser_apigw_access, p, raw, rlen, &r, &d), EL_OK);
    assert_true(el_mem_allocs() - before <= 1);
    assert_true(cj_mallocs == cj);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.user_agent.n, (sizeof(RAW_UNIT) - 1) * LONG_REPS);
    assert_memory_equal(r.user_agent.p, RAW_UNIT, sizeof(RAW_UNIT) - 1);
    free(s);
    free(raw);
}

/* If the scratch cannot grow, the line still parses; escaped values that no
 * longer fit stay raw (documented in parse_line). */
static void test_apigw_access_long_line_when_scratch_cannot_grow(void **state)
{
    struct el_parser *p = *state;
    size_t len;
    char *s = build_long(ESC_UNIT, &len);
    struct el_record r;
    struct el_diag d;

    el_mem_fail_after(1);
    enum el_err rc = check_parse(&el_parser_apigw_access, p, s, len, &r, &d);
    el_mem_fail_after(0);
    assert_int_equal(rc, EL_OK);
    check_long(&r, false);
    free(s);
}

/* After warm-up, parsing never allocates: neither el_malloc nor cJSON, for
 * every row that does not need the cJSON fallback (presets, strict JSON,
 * lenient JSON, rejected lines) and the long line itself. */
static void test_apigw_access_zero_alloc_per_line(void **state)
{
    struct el_parser *p = *state;
    size_t long_len;
    char *long_line = build_long(ESC_UNIT, &long_len);
    struct el_record r;
    struct el_diag d;
    size_t nrows = EL_ARRAY_LEN(cases);

    assert_int_equal(check_parse(&el_parser_apigw_access, p, long_line, long_len, &r, &d), EL_OK);
    uint64_t before = el_mem_allocs(), cj = cj_mallocs;
    size_t ok = 0, runs = 0;
    for (size_t i = 0; i < 10000; i++) {
        size_t k = i % (nrows + 1);
        if (k < nrows && cases[k].cjson)
            continue;
        const char *line = k == nrows ? long_line : cases[k].line;
        size_t len = k == nrows ? long_len : cases[k].len;
        ok += check_parse(&el_parser_apigw_access, p, line, len, &r, &d) == EL_OK;
        runs++;
    }
    uint64_t made = el_mem_allocs() - before;
    if (made != 0 || cj_mallocs != cj)
        fail_msg("%zu lines made %llu el_malloc and %llu cJSON allocations, want 0", runs,
                 (unsigned long long)made, (unsigned long long)(cj_mallocs - cj));
    assert_true(ok > runs / 2);
    free(long_line);
}

static void test_apigw_access_create_nomem(void **state)
{
    (void)state;
    check_create_nomem(&el_parser_apigw_access, 2);
}

int main(void)
{
    cJSON_Hooks hooks = { .malloc_fn = cj_malloc, .free_fn = cj_free };
    cJSON_InitHooks(&hooks);

    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_apigw_access_cases, parser_setup, parser_teardown),
        cmocka_unit_test_setup_teardown(test_apigw_access_cjson_only_on_decline, parser_setup,
                                        parser_teardown),
        cmocka_unit_test(test_apigw_access_destroy_frees_tree),
        cmocka_unit_test_setup_teardown(test_apigw_access_features, parser_setup,
                                        parser_teardown),
        cmocka_unit_test(test_apigw_access_sniff),
        cmocka_unit_test_setup_teardown(test_apigw_access_parse_event, parser_setup,
                                        parser_teardown),
        cmocka_unit_test_setup_teardown(test_apigw_access_long_lines, parser_setup,
                                        parser_teardown),
        cmocka_unit_test_setup_teardown(test_apigw_access_long_line_when_scratch_cannot_grow,
                                        parser_setup, parser_teardown),
        cmocka_unit_test_setup_teardown(test_apigw_access_zero_alloc_per_line, parser_setup,
                                        parser_teardown),
        cmocka_unit_test(test_apigw_access_create_nomem),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* apigw_access.c: Amazon API Gateway access-log lines, REST and HTTP APIs.
 *
 * One line is one request. The user picks the format (a template with
 * $context variables; reference log-formats.md section 4), so this parser
 * reads the shapes the console offers and any JSON built from the same
 * variables:
 *
 *   line    = [ export-prefix ] ( json / xml / clf / csv )
 *   export-prefix = ISO-8601 "Z" SP        ; CloudWatch export, "2026-03-10T10:00:00.123Z "
 *   json    = "{" member *( "," member ) "}" ; any JSON object, see below
 *   xml     = "<request" [ SP "id=" DQUOTE requestId DQUOTE ] ">"
 *             *( "<" name ">" value "</" name ">" ) "</request>"
 *   clf     = ip SP caller SP user SP "[" requestTime "]" [ SP ]
 *             DQUOTE httpMethod SP middle SP protocol DQUOTE SP status SP
 *             responseLength SP requestId [ SP extendedRequestId ] *( SP ignored )
 *   csv     = ip [ "," caller "," user ] "," requestTime "," httpMethod ","
 *             middle "," protocol "," status "," responseLength "," requestId
 *             [ "," extendedRequestId ]
 *   middle  = resourcePath (REST, "/pets/{petId}") / routeKey (HTTP, "GET /pets"
 *             or "$default"); in CSV it may hold commas, protocol is the next
 *             field that starts with "HTTP/"
 *   requestTime = DD "/" Mon "/" YYYY ":" hh ":" mm ":" ss SP ( "+" / "-" ) hhmm
 *
 * JSON keys are matched by $context variable name wherever they appear, after
 * dropping a "$context." or "context." prefix, '_' and '-', and case: so
 * "requestId", "request_id" and "$context.requestId" are one key, and so are
 * "identity.sourceIp" and "identity_sourceIp". A nested object one level down
 * ("integration":{"latency":..}) is read as "integration.latency". Values are
 * strings or numbers; "-", "" and null mean absent, numeric fields included.
 * Unknown keys and deeper values are skipped. The table key_names[] lists
 * every recognised name.
 *
 * API Gateway substitutes values raw, so a '"' or '\' in a user agent or path
 * makes a JSON line invalid. JSON is therefore read in up to three passes
 * (strict scanner, cJSON for what it declines, lenient scanner for invalid
 * lines): see apigw_json.c. The XML, CLF and CSV presets are read by
 * apigw_presets.c; this file picks the reader by the line's first byte and
 * builds the record from what it collected.
 *
 * A JSON or XML line counts as an access-log request when it has requestId or
 * extendedRequestId, or a status plus httpMethod, routeKey, resourcePath or path.
 *
 * REST or HTTP API (first rule that applies): a routeKey -> HTTP; a
 * resourcePath -> REST; stage "$default" -> HTTP; a requestId that is a UUID
 * (or UUID_REPLACED_INVALID_REQUEST_ID) -> REST, any other requestId -> HTTP
 * (HTTP API ids look like "GQIVriFLIAMEMsA="); otherwise REST.
 * extendedRequestId proves nothing: HTTP APIs log it too.
 *
 * Record: route is resourcePath (REST) or the path part of routeKey (HTTP,
 * "GET /orders/{id}" -> "/orders/{id}"). For "$default" and when neither is
 * logged, the route is the templated path (el_route_template; REST paths keep
 * their stage prefix), and "$default" itself when no path was logged. Time is
 * requestTimeEpoch (ms; 10-digit values are taken as seconds), else
 * requestTime, else the export prefix, else the envelope event's time. Latencies are
 * milliseconds, decimals accepted. backend_status prefers integration.status
 * (for Lambda proxy the function's statusCode) over integrationStatus (the
 * Lambda service's answer, 200 even when the function failed). error_reason is
 * error.responseType, else error.message, else error.messageString unquoted.
 * A known numeric or time field that holds something else rejects the line
 * with diag.what naming the field, as alb.c does.
 *
 * Strings with JSON escapes are decoded (apigw_json.c) into the scratch
 * buffer when the record asks for them. The buffer is reset on every call and
 * sized once to the longest line (decoding never grows a string), as in alb.c.
 */
#include <string.h>

#include <cjson/cJSON.h>

#include "parsers_int.h"

#define ROUTE_CAP 4096
#define KEY_MAX 48         /* a longer key matches no known name */

struct el_parser {
    struct el_scratch scratch; /* decoded JSON escapes; reset per line */
    cJSON *tree; /* last cJSON fallback parse; views point into it */
    char route[ROUTE_CAP];
};

static enum el_err apigw_create(struct el_parser **out)
{
    struct el_parser *p = el_calloc(1, sizeof(*p));
    if (!p)
        return EL_ERR_NOMEM;
    if (el_scratch_init(&p->scratch) != EL_OK) {
        el_free(p);
        return EL_ERR_NOMEM;
    }
    *out = p;
    return EL_OK;
}

static void apigw_destroy(struct el_parser *p)
{
    if (!p)
        return;
    cJSON_Delete(p->tree);
    el_scratch_fini(&p->scratch);
    el_free(p);
}

/* ---- keys and slots (shared with the collectors) ------------------------------ */

/* Normalised names: lower case, no '_' or '-', "$context."/"context." dropped. */
struct key_name {
    const char *name;
    uint8_t len;
    uint8_t key;
};
#define KN(s, k) { s, (uint8_t)(sizeof(s) - 1), k }
static const struct key_name key_names[] = {
    KN("requestid", EL_AK_REQUEST_ID),
    KN("extendedrequestid", EL_AK_EXT_REQUEST_ID),
    KN("ip", EL_AK_IP),
    KN("sourceip", EL_AK_IP),
    KN("clientip", EL_AK_IP),
    KN("identity.sourceip", EL_AK_IP),
    KN("identitysourceip", EL_AK_IP),
    KN("requesttime", EL_AK_REQUEST_TIME),
    KN("requesttimeepoch", EL_AK_REQUEST_TIME_EPOCH),
    KN("httpmethod", EL_AK_HTTP_METHOD),
    KN("method", EL_AK_HTTP_METHOD),
    KN("resourcepath", EL_AK_RESOURCE_PATH),
    KN("routekey", EL_AK_ROUTE_KEY),
    KN("path", EL_AK_PATH),
    KN("status", EL_AK_STATUS),
    KN("protocol", EL_AK_PROTOCOL),
    KN("responselength", EL_AK_RESPONSE_LENGTH),
    KN("responselatency", EL_AK_RESPONSE_LATENCY),
    KN("integrationlatency", EL_AK_INTEGRATION_LATENCY),
    KN("integration.latency", EL_AK_INTEGRATION_LATENCY),
    KN("integration.status", EL_AK_INTEGRATION_STATUS),
    KN("integrationstatus", EL_AK_INTEG_SVC_STATUS),
    KN("integration.integrationstatus", EL_AK_INTEG_SVC_STATUS),
    KN("error.responsetype", EL_AK_ERROR_TYPE),
    KN("errorresponsetype", EL_AK_ERROR_TYPE),
    KN("error.message", EL_AK_ERROR_MESSAGE),
    KN("errormessage", EL_AK_ERROR_MESSAGE),
    KN("error.messagestring", EL_AK_ERROR_MESSAGE_STRING),
    KN("useragent", EL_AK_USER_AGENT),
    KN("identity.useragent", EL_AK_USER_AGENT),
    KN("identityuseragent", EL_AK_USER_AGENT),
    KN("domainname", EL_AK_DOMAIN_NAME),
    KN("stage", EL_AK_STAGE),
    KN("xraytraceid", EL_AK_XRAY_TRACE_ID),
    KN("identity.apikey", EL_AK_API_KEY),
    KN("identity.apikeyid", EL_AK_API_KEY),
    KN("identityapikey", EL_AK_API_KEY),
    KN("identityapikeyid", EL_AK_API_KEY),
    KN("apikey", EL_AK_API_KEY),
    KN("apikeyid", EL_AK_API_KEY),
};

/* $context.authorizer.* are the Lambda (and Cognito, JWT) authorizer's
 * variables: principalId, claims.*, error, latency, status, the context map
 * entries... any of them with a value means an authorizer ran. Matched by
 * the normalised prefix, so "authorizer.principalId", "authorizerError" and
 * {"authorizer":{"latency":..}} all count. authorize.* and authenticate.*
 * (no "r") are left out: they describe any authorization attempt, IAM and
 * resource policies included. */
static bool is_authorizer_key(const char *buf, size_t n)
{
    return n > 10 && memcmp(buf, "authorizer", 10) == 0;
}

/* Appends the normalised form of s to buf[*n..KEY_MAX). False when too long. */
static bool norm_append(struct el_str s, char *buf, size_t *n)
{
    size_t i = 0;
    if (s.n >= 9 && memcmp(s.p, "$context.", 9) == 0)
        i = 9;
    else if (s.n >= 8 && memcmp(s.p, "context.", 8) == 0)
        i = 8;
    for (; i < s.n; i++) {
        char c = s.p[i];
        if (c == '_' || c == '-')
            continue;
        if (*n >= KEY_MAX)
            return false;
        buf[(*n)++] = (unsigned)(c - 'A') < 26u ? (char)(c | 0x20) : c;
    }
    return true;
}

/* Exact spellings of the console presets and $context names, tried before
 * normalising: most keys are one of these, and normalising every key was
 * half the time of a JSON line. KEY_IGNORED: known, not used. */
#define KEY_IGNORED 0xFF
static const struct key_name exact_names[] = {
    KN("requestId", EL_AK_REQUEST_ID),
    KN("extendedRequestId", EL_AK_EXT_REQUEST_ID),
    KN("ip", EL_AK_IP),
    KN("sourceIp", EL_AK_IP),
    KN("caller", KEY_IGNORED),
    KN("user", KEY_IGNORED),
    KN("requestTime", EL_AK_REQUEST_TIME),
    KN("requestTimeEpoch", EL_AK_REQUEST_TIME_EPOCH),
    KN("httpMethod", EL_AK_HTTP_METHOD),
    KN("resourcePath", EL_AK_RESOURCE_PATH),
    KN("routeKey", EL_AK_ROUTE_KEY),
    KN("path", EL_AK_PATH),
    KN("status", EL_AK_STATUS),
    KN("protocol", EL_AK_PROTOCOL),
    KN("responseLength", EL_AK_RESPONSE_LENGTH),
    KN("responseLatency", EL_AK_RESPONSE_LATENCY),
    KN("integrationLatency", EL_AK_INTEGRATION_LATENCY),
    KN("integrationStatus", EL_AK_INTEG_SVC_STATUS),
    KN("userAgent", EL_AK_USER_AGENT),
    KN("domainName", EL_AK_DOMAIN_NAME),
    KN("stage", EL_AK_STAGE),
    KN("apiId", KEY_IGNORED),
};

/* The known key named by KEY (inside object PARENT when depth is 1), or -1. */
int el_access_match_key(int depth, struct el_str parent, struct el_str key)
{
    char buf[KEY_MAX];
    size_t n = 0;

    if (depth > 1 || key.n > 2 * KEY_MAX)
        return -1;
    if (depth == 0) {
        for (size_t i = 0; i < EL_ARRAY_LEN(exact_names); i++)
            if (exact_names[i].len == key.n && memcmp(exact_names[i].name, key.p, key.n) == 0)
                return exact_names[i].key == KEY_IGNORED ? -1 : exact_names[i].key;
    }
    if (depth == 1) {
        if (!norm_append(parent, buf, &n) || n >= KEY_MAX)
            return -1;
        buf[n++] = '.';
    }
    if (!norm_append(key, buf, &n))
        return -1;
    for (size_t i = 0; i < EL_ARRAY_LEN(key_names); i++)
        if (key_names[i].len == n && memcmp(key_names[i].name, buf, n) == 0)
            return key_names[i].key;
    return is_authorizer_key(buf, n) ? EL_AK_AUTHORIZER : -1;
}

bool el_access_slot_absent(const struct el_access_slot *s)
{
    if (s->kind == EL_SLOT_NONE)
        return true;
    if (s->kind == EL_SLOT_DBL)
        return false;
    return s->n == 0 || (s->n == 1 && s->p[0] == '-');
}

/* The first present value of a key wins ("ip" and "sourceIp" both logged). */
void el_access_set_slot(struct el_access_slot *slots, int k, const char *p, size_t n,
                        enum el_access_slot_kind kind, bool esc)
{
    if (k < 0 || !el_access_slot_absent(&slots[k]))
        return;
    slots[k] = (struct el_access_slot){ .p = p, .n = n, .kind = (uint8_t)kind, .esc = esc };
}

/* ---- values ---------------------------------------------------------------------- */

/* The text of a slot, decoded; an empty view when absent. A decoded slot is
 * rewritten to point at its decoded text, so asking twice decodes once and
 * the scratch (sized to the line) cannot run out. */
static struct el_str slot_str(struct el_parser *ps, struct el_access_slot *s)
{
    if (el_access_slot_absent(s) || s->kind == EL_SLOT_DBL)
        return (struct el_str){ 0 };
    if (s->kind == EL_SLOT_JSTR && s->esc) {
        struct el_str v = el_access_json_unescape(&ps->scratch, (struct el_str){ s->p, s->n });
        if (v.p != s->p) {
            s->p = v.p;
            s->n = v.n;
            s->kind = EL_SLOT_RAW;
        }
        if (el_access_slot_absent(s))
            return (struct el_str){ 0 };
    }
    return (struct el_str){ s->p, s->n };
}

/* Milliseconds ("12", "12.5") to microseconds, via the seconds scanner: the
 * digits are the same, only the unit moves by 1000. */
static enum el_err ms_to_us(struct el_str s, int64_t *us)
{
    int64_t v;
    enum el_err rc = el_scan_secs_us(s, &v);
    if (rc != EL_OK)
        return rc;
    if (v < 0)
        return EL_ERR_RANGE;
    *us = v / 1000;
    return EL_OK;
}

/* Epoch time: 12 or more integer digits are milliseconds, fewer are seconds
 * (the HTTP API doc only says "Epoch-formatted"); a fraction is accepted. */
static enum el_err epoch_to_us(struct el_str s, int64_t *us)
{
    size_t i = 0;
    int64_t whole = 0, frac = 0;
    while (i < s.n && el_isdigit(s.p[i])) {
        if (i >= 15) /* 15 digits of ms times 1000 still fit in int64 */
            return EL_ERR_RANGE;
        whole = whole * 10 + (s.p[i++] - '0');
    }
    if (i == 0)
        return EL_ERR_PARSE;
    bool ms = i >= 12;
    int64_t unit = ms ? 1000 : 1000000, scale = unit;
    if (i < s.n && s.p[i] == '.') {
        if (++i == s.n)
            return EL_ERR_PARSE;
        for (; i < s.n && el_isdigit(s.p[i]); i++)
            if (scale > 1) {
                scale /= 10;
                frac += (s.p[i] - '0') * scale;
            }
    }
    if (i != s.n)
        return EL_ERR_PARSE;
    int64_t v = whole * unit + frac;
    if (v > INT64_C(253402300799999999)) /* 9999-12-31T23:59:59.999999Z */
        return EL_ERR_RANGE;
    *us = v;
    return EL_OK;
}

/* "10/Mar/2026:10:00:00 +0100" (CLF, any offset) to UTC microseconds. */
static enum el_err clf_time_to_us(struct el_str s, int64_t *us)
{
    static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    static const unsigned char dim[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    const char *p = s.p;
    unsigned d, y, h, mi, se, oh, om, mo = 0;

    if (!el_looks_like_clf_time(s.p, s.n) || p[14] != ':' || p[17] != ':' ||
        (p[21] != '+' && p[21] != '-'))
        return EL_ERR_PARSE;
    for (unsigned m = 0; m < 12; m++)
        if (memcmp(p + 3, months + 3 * m, 3) == 0)
            mo = m + 1;
    if (!mo || !el_scan_fixed_digits(p, 2, &d) || !el_scan_fixed_digits(p + 7, 4, &y) ||
        !el_scan_fixed_digits(p + 12, 2, &h) || !el_scan_fixed_digits(p + 15, 2, &mi) ||
        !el_scan_fixed_digits(p + 18, 2, &se) || !el_scan_fixed_digits(p + 22, 2, &oh) ||
        !el_scan_fixed_digits(p + 24, 2, &om))
        return EL_ERR_PARSE;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 1970 || d < 1 || d > dim[mo - 1] || (mo == 2 && d == 29 && !leap) || h > 23 ||
        mi > 59 || se > 60 || oh > 23 || om > 59)
        return EL_ERR_RANGE;
    int64_t off = ((int64_t)oh * 60 + om) * 60 * (p[21] == '-' ? -1 : 1);
    int64_t secs = ((el_days_from_civil(y, mo, d) * 24 + h) * 60 + mi) * 60 + se - off;
    if (secs < 0)
        return EL_ERR_RANGE;
    *us = secs * 1000000;
    return EL_OK;
}

/* The number in a slot, via scan(text) or from cJSON's double. */
static enum el_err slot_ms(struct el_parser *ps, struct el_access_slot *s, int64_t *us)
{
    if (s->kind == EL_SLOT_DBL) {
        if (!(s->d >= 0 && s->d < 1e12))
            return EL_ERR_RANGE;
        *us = (int64_t)(s->d * 1000 + 0.5);
        return EL_OK;
    }
    return ms_to_us(slot_str(ps, s), us);
}

static enum el_err slot_u64(struct el_parser *ps, struct el_access_slot *s, uint64_t max,
                            uint64_t *out)
{
    if (s->kind == EL_SLOT_DBL) {
        if (!(s->d >= 0 && s->d <= (double)max) || s->d != (double)(uint64_t)s->d)
            return EL_ERR_RANGE;
        *out = (uint64_t)s->d;
        return EL_OK;
    }
    return el_scan_u64(slot_str(ps, s), max, out);
}

static enum el_err slot_status(struct el_parser *ps, struct el_access_slot *s, uint16_t *out)
{
    uint64_t v;
    enum el_err rc = slot_u64(ps, s, 999, &v);
    if (rc != EL_OK)
        return rc;
    if (v < 100)
        return EL_ERR_RANGE;
    *out = (uint16_t)v;
    return EL_OK;
}

/* ---- record ------------------------------------------------------------------------ */

static bool is_dash(struct el_str s)
{
    return s.n == 1 && s.p[0] == '-';
}

static bool is_uuid(struct el_str s)
{
    if (s.n != 36)
        return false;
    for (size_t i = 0; i < 36; i++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s.p[i] != '-' : !el_isxdigit(s.p[i]))
            return false;
    }
    return true;
}

static enum el_src which_api(struct el_parser *ps, struct el_access_slot *sl,
                             struct el_str route_key, struct el_str resource)
{
    if (route_key.n)
        return EL_SRC_APIGW_HTTP;
    if (resource.n)
        return EL_SRC_APIGW_REST;
    if (el_str_eq(slot_str(ps, &sl[EL_AK_STAGE]), "$default"))
        return EL_SRC_APIGW_HTTP;
    struct el_str rid = slot_str(ps, &sl[EL_AK_REQUEST_ID]);
    if (rid.n) {
        static const char repl[] = "_REPLACED_INVALID_REQUEST_ID";
        bool replaced = rid.n >= sizeof(repl) - 1 &&
                        memcmp(rid.p + rid.n - (sizeof(repl) - 1), repl, sizeof(repl) - 1) == 0;
        return is_uuid(rid) || replaced ? EL_SRC_APIGW_REST : EL_SRC_APIGW_HTTP;
    }
    return EL_SRC_APIGW_REST;
}

static bool enough_keys(const struct el_access_slot *sl)
{
    if (!el_access_slot_absent(&sl[EL_AK_REQUEST_ID]) ||
        !el_access_slot_absent(&sl[EL_AK_EXT_REQUEST_ID]))
        return true;
    return !el_access_slot_absent(&sl[EL_AK_STATUS]) &&
           (!el_access_slot_absent(&sl[EL_AK_HTTP_METHOD]) ||
            !el_access_slot_absent(&sl[EL_AK_ROUTE_KEY]) ||
            !el_access_slot_absent(&sl[EL_AK_RESOURCE_PATH]) ||
            !el_access_slot_absent(&sl[EL_AK_PATH]));
}

static const char *const bad_what[EL_AK_COUNT] = {
    [EL_AK_REQUEST_TIME] = "bad requestTime",
    [EL_AK_REQUEST_TIME_EPOCH] = "bad requestTimeEpoch",
    [EL_AK_STATUS] = "bad status",
    [EL_AK_RESPONSE_LENGTH] = "bad responseLength",
    [EL_AK_RESPONSE_LATENCY] = "bad responseLatency",
    [EL_AK_INTEGRATION_LATENCY] = "bad integrationLatency",
    [EL_AK_INTEGRATION_STATUS] = "bad integration.status",
    [EL_AK_INTEG_SVC_STATUS] = "bad integrationStatus",
};

static enum el_err bad_value(struct el_diag *diag, enum el_err rc, int k,
                             const struct el_access_slot *s, const char *line, size_t len)
{
    size_t off = 0;
    if (s->p && s->p >= line && s->p <= line + len)
        off = (size_t)(s->p - line);
    return el_diag_set(diag, rc == EL_ERR_RANGE ? EL_ERR_RANGE : EL_ERR_PARSE, (unsigned)k, off,
                       bad_what[k] ? bad_what[k] : "bad value");
}

/* Features a gateway response type (error.responseType) or its default
 * message (error.message) names; docs/RECORD.md. A quota is per API key, so
 * QUOTA_EXCEEDED proves the key too. Messages are matched only where one
 * type owns them ("Forbidden" is shared by several and proves nothing). */
static uint32_t error_features(struct el_str e)
{
    static const struct {
        const char *text;
        uint8_t len;
        bool prefix;
        uint32_t feat;
    } map[] = {
#define EF(s, pre, f) { s, (uint8_t)(sizeof(s) - 1), pre, f }
        EF("THROTTLED", false, EL_FEAT_THROTTLED),
        EF("QUOTA_EXCEEDED", false, EL_FEAT_USAGE_PLAN | EL_FEAT_API_KEY),
        EF("INVALID_API_KEY", false, EL_FEAT_API_KEY),
        EF("UNAUTHORIZED", false, EL_FEAT_AUTHORIZER),
        EF("ACCESS_DENIED", false, EL_FEAT_AUTHORIZER),
        EF("AUTHORIZER_FAILURE", false, EL_FEAT_AUTHORIZER),
        EF("AUTHORIZER_CONFIGURATION_ERROR", false, EL_FEAT_AUTHORIZER),
        EF("BAD_REQUEST_BODY", false, EL_FEAT_VALIDATION),
        EF("BAD_REQUEST_PARAMETERS", false, EL_FEAT_VALIDATION),
        EF("Too Many Requests", false, EL_FEAT_THROTTLED),
        EF("Limit Exceeded", false, EL_FEAT_USAGE_PLAN | EL_FEAT_API_KEY),
        EF("Unauthorized", false, EL_FEAT_AUTHORIZER),
        EF("Invalid request body", false, EL_FEAT_VALIDATION),
        EF("Missing required request parameters: ", true, EL_FEAT_VALIDATION),
#undef EF
    };
    if (!e.n)
        return 0;
    for (size_t i = 0; i < EL_ARRAY_LEN(map); i++)
        if ((map[i].prefix ? e.n >= map[i].len : e.n == map[i].len) &&
            memcmp(e.p, map[i].text, map[i].len) == 0)
            return map[i].feat;
    return 0;
}

static uint32_t access_features(struct el_parser *ps, struct el_access_slot *sl,
                                struct el_str reason)
{
    uint32_t f = error_features(reason);
    if (!el_access_slot_absent(&sl[EL_AK_ERROR_TYPE]))
        f |= error_features(slot_str(ps, &sl[EL_AK_ERROR_MESSAGE]));
    if (!el_access_slot_absent(&sl[EL_AK_API_KEY]))
        f |= EL_FEAT_API_KEY;
    if (!el_access_slot_absent(&sl[EL_AK_AUTHORIZER]))
        f |= EL_FEAT_AUTHORIZER;
    return f;
}

static enum el_err build_record(struct el_parser *ps, struct el_access_slot *sl,
                                const char *line, size_t len, const int64_t *prefix_ts,
                                const int64_t *ts_hint, struct el_record *r,
                                struct el_diag *diag)
{
    struct el_str route_key = slot_str(ps, &sl[EL_AK_ROUTE_KEY]);
    struct el_str resource = slot_str(ps, &sl[EL_AK_RESOURCE_PATH]);
    enum el_err rc;
    int k;

    *r = (struct el_record){ .src = which_api(ps, sl, route_key, resource) };

    k = EL_AK_REQUEST_TIME_EPOCH;
    if (!el_access_slot_absent(&sl[k])) {
        if (sl[k].kind == EL_SLOT_DBL) {
            /* cJSON path: same ms-or-seconds rule as epoch_to_us */
            double d = sl[k].d, us = d >= 1e11 ? d * 1e3 : d * 1e6;
            if (!(us >= 0 && us < 253402300800e6))
                return bad_value(diag, EL_ERR_RANGE, k, &sl[k], line, len);
            r->time_us = (int64_t)us;
        } else if ((rc = epoch_to_us(slot_str(ps, &sl[k]), &r->time_us)) != EL_OK) {
            return bad_value(diag, rc, k, &sl[k], line, len);
        }
        r->flags |= EL_REC_HAS_TIME;
    }
    k = EL_AK_REQUEST_TIME;
    if (!el_access_slot_absent(&sl[k])) {
        int64_t t;
        if ((rc = clf_time_to_us(slot_str(ps, &sl[k]), &t)) != EL_OK)
            return bad_value(diag, rc, k, &sl[k], line, len);
        if (!(r->flags & EL_REC_HAS_TIME)) {
            r->time_us = t;
            r->flags |= EL_REC_HAS_TIME;
        }
    }
    if (!(r->flags & EL_REC_HAS_TIME) && (prefix_ts || ts_hint)) {
        r->time_us = prefix_ts ? *prefix_ts : *ts_hint;
        r->flags |= EL_REC_HAS_TIME;
    }

    k = EL_AK_STATUS;
    if (!el_access_slot_absent(&sl[k])) {
        if ((rc = slot_status(ps, &sl[k], &r->status)) != EL_OK)
            return bad_value(diag, rc, k, &sl[k], line, len);
        r->flags |= EL_REC_HAS_STATUS;
    }
    k = !el_access_slot_absent(&sl[EL_AK_INTEGRATION_STATUS]) ? EL_AK_INTEGRATION_STATUS
                                                               : EL_AK_INTEG_SVC_STATUS;
    if (!el_access_slot_absent(&sl[k])) {
        if ((rc = slot_status(ps, &sl[k], &r->backend_status)) != EL_OK)
            return bad_value(diag, rc, k, &sl[k], line, len);
        r->flags |= EL_REC_HAS_BACKEND_STATUS;
    }
    k = EL_AK_RESPONSE_LATENCY;
    if (!el_access_slot_absent(&sl[k])) {
        if ((rc = slot_ms(ps, &sl[k], &r->latency_us)) != EL_OK)
            return bad_value(diag, rc, k, &sl[k], line, len);
        r->flags |= EL_REC_HAS_LATENCY;
    }
    k = EL_AK_INTEGRATION_LATENCY;
    if (!el_access_slot_absent(&sl[k])) {
        if ((rc = slot_ms(ps, &sl[k], &r->backend_us)) != EL_OK)
            return bad_value(diag, rc, k, &sl[k], line, len);
        r->flags |= EL_REC_HAS_BACKEND;
    }
    if (el_rec_has(r, EL_REC_HAS_LATENCY) && el_rec_has(r, EL_REC_HAS_BACKEND) &&
        r->latency_us >= r->backend_us) {
        r->overhead_us = r->latency_us - r->backend_us;
        r->flags |= EL_REC_HAS_OVERHEAD;
    }
    k = EL_AK_RESPONSE_LENGTH;
    if (!el_access_slot_absent(&sl[k])) {
        if ((rc = slot_u64(ps, &sl[k], UINT64_MAX / 4, &r->bytes_out)) != EL_OK)
            return bad_value(diag, rc, k, &sl[k], line, len);
        r->flags |= EL_REC_HAS_BYTES_OUT;
    }

    r->request_id = slot_str(ps, &sl[EL_AK_REQUEST_ID]);
    if (!r->request_id.n)
        r->request_id = slot_str(ps, &sl[EL_AK_EXT_REQUEST_ID]);
    r->trace_id = slot_str(ps, &sl[EL_AK_XRAY_TRACE_ID]);
    r->client_ip = slot_str(ps, &sl[EL_AK_IP]);
    r->method = slot_str(ps, &sl[EL_AK_HTTP_METHOD]);
    r->protocol = slot_str(ps, &sl[EL_AK_PROTOCOL]);
    r->user_agent = slot_str(ps, &sl[EL_AK_USER_AGENT]);
    r->host = slot_str(ps, &sl[EL_AK_DOMAIN_NAME]);
    r->error_reason = slot_str(ps, &sl[EL_AK_ERROR_TYPE]);
    if (!r->error_reason.n)
        r->error_reason = slot_str(ps, &sl[EL_AK_ERROR_MESSAGE]);
    if (!r->error_reason.n) {
        struct el_str m = slot_str(ps, &sl[EL_AK_ERROR_MESSAGE_STRING]);
        if (m.n >= 2 && m.p[0] == '"' && m.p[m.n - 1] == '"')
            m = (struct el_str){ m.p + 1, m.n - 2 };
        r->error_reason = is_dash(m) ? (struct el_str){ 0 } : m;
    }
    r->features = access_features(ps, sl, r->error_reason);

    struct el_str path = slot_str(ps, &sl[EL_AK_PATH]);
    if (path.n) {
        const char *q = memchr(path.p, '?', path.n);
        if (q)
            path.n = (size_t)(q - path.p);
        r->path = path;
    }
    struct el_str rk_path = { 0 };
    if (route_key.n) {
        const char *sp = memchr(route_key.p, ' ', route_key.n);
        if (sp) {
            if (!r->method.n)
                r->method = (struct el_str){ route_key.p, (size_t)(sp - route_key.p) };
            rk_path = (struct el_str){ sp + 1, (size_t)(route_key.p + route_key.n - sp - 1) };
        } else if (!el_str_eq(route_key, "$default")) {
            rk_path = route_key;
        }
    }
    r->route_from = EL_ROUTE_API;
    if (r->src == EL_SRC_APIGW_REST && resource.n) {
        r->route = resource;
    } else if (rk_path.n) {
        r->route = rk_path;
    } else if (r->path.n) {
        r->route = el_route_template(r->path, ps->route, sizeof(ps->route));
        r->route_from = EL_ROUTE_AUTO;
    } else if (route_key.n) {
        r->route = route_key; /* "$default" and no path logged */
    } else {
        r->route_from = EL_ROUTE_NONE;
    }
    return EL_OK;
}

/* ---- the line ---------------------------------------------------------------------- */

/* "2026-03-10T10:00:00.123Z " at the start: CloudWatch export. */
static bool strip_export_prefix(const char **pp, const char *end, int64_t *ts)
{
    const char *p = *pp;
    if (end - p < 21 || p[4] != '-' || p[10] != 'T')
        return false;
    const char *sp = el_find_byte(p, end, ' ');
    if (sp == end || el_scan_iso8601_us((struct el_str){ p, (size_t)(sp - p) }, ts) != EL_OK)
        return false;
    *pp = sp + 1;
    return true;
}

enum shape { SH_NONE, SH_JSON, SH_XML, SH_CLF, SH_CSV };

/* Fills slots from one line body (after the export prefix) with the collector
 * its first byte picks. On EL_COLLECT_BAD, diag is set. The cJSON fallback
 * runs only when ps is given (not while sniffing); without it a declined JSON
 * line goes to the lenient scanner. */
static enum el_access_collect collect(struct el_parser *ps, const char *line, const char *p,
                                      const char *end, struct el_access_slot *slots,
                                      enum shape *shape, struct el_diag *diag)
{
    enum el_access_collect pr;

    *shape = SH_NONE;
    if (*p == '{') {
        *shape = SH_JSON;
        return el_access_collect_json(ps ? &ps->tree : NULL, line, p, end, slots, diag);
    }
    if (*p == '<') {
        *shape = SH_XML;
        return el_access_collect_xml(line, p, end, slots, diag);
    }
    *shape = SH_CLF;
    if ((pr = el_access_collect_clf(line, p, end, slots, diag)) != EL_COLLECT_NOMATCH)
        return pr;
    memset(slots, 0, EL_AK_COUNT * sizeof(*slots));
    *shape = SH_CSV;
    if ((pr = el_access_collect_csv(line, p, end, slots, diag)) != EL_COLLECT_NOMATCH)
        return pr;
    *shape = SH_NONE;
    return EL_COLLECT_NOMATCH;
}

static enum el_err parse_line(struct el_parser *ps, const char *line, size_t len,
                              const int64_t *ts_hint, struct el_record *rec,
                              struct el_diag *diag)
{
    const char *p = line, *end = line + len;
    struct el_access_slot slots[EL_AK_COUNT];
    int64_t prefix_ts;
    enum shape shape;

    if (ps->tree) {
        cJSON_Delete(ps->tree);
        ps->tree = NULL;
    }
    el_scratch_reset(&ps->scratch, len);
    memset(slots, 0, sizeof(slots));
    bool have_prefix = strip_export_prefix(&p, end, &prefix_ts);
    p = el_skip_ws(p, end);
    if (p == end)
        return el_diag_set(diag, EL_ERR_PARSE, 0, 0,
                           have_prefix ? "export prefix without a message" : "empty line");
    enum el_access_collect pr = collect(ps, line, p, end, slots, &shape, diag);
    if (pr == EL_COLLECT_BAD)
        return diag->code;
    if (pr == EL_COLLECT_NOMATCH)
        return el_diag_set(diag, EL_ERR_PARSE, 0, (size_t)(p - line),
                           "not an API Gateway access log line");
    if (!enough_keys(slots))
        return el_diag_set(diag, EL_ERR_PARSE, 0, (size_t)(p - line),
                           shape == SH_XML ? "XML line without access-log fields"
                                           : "JSON line without access-log keys");
    return build_record(ps, slots, line, len, have_prefix ? &prefix_ts : NULL, ts_hint, rec,
                        diag);
}

/* The ops entry points: the only places that know the interface's signatures. */
static enum el_err apigw_parse(struct el_parser *ps, const char *line, size_t len,
                               struct el_record *rec, struct el_diag *diag)
{
    return parse_line(ps, line, len, NULL, rec, diag);
}

/* A CloudWatch Logs envelope event: one access-log line as the message, and
 * the event time, used when the line carries no time of its own. */
static enum el_err apigw_parse_event(struct el_parser *ps, const struct el_event *ev,
                                     struct el_record *rec, struct el_diag *diag)
{
    size_t n = ev->message.n;
    while (n && (ev->message.p[n - 1] == '\n' || ev->message.p[n - 1] == '\r'))
        n--;
    return parse_line(ps, ev->message.p, n, &ev->time_us, rec, diag);
}

/* Sniffing reads each line with the same collectors (no state, no cJSON, no
 * allocation). A request id plus a method, route or status is this format
 * with high confidence; ALB lines match none of the shapes and score 0. */
static int sniff_line(struct el_str l)
{
    const char *p = l.p, *end = l.p + l.n;
    struct el_access_slot slots[EL_AK_COUNT];
    struct el_diag diag = { 0 };
    enum shape shape;
    int64_t ts;

    memset(slots, 0, sizeof(slots));
    strip_export_prefix(&p, end, &ts);
    p = el_skip_ws(p, end);
    if (p == end || collect(NULL, l.p, p, end, slots, &shape, &diag) != EL_COLLECT_OK)
        return 0;
    bool id = !el_access_slot_absent(&slots[EL_AK_REQUEST_ID]) ||
              !el_access_slot_absent(&slots[EL_AK_EXT_REQUEST_ID]);
    bool what = !el_access_slot_absent(&slots[EL_AK_HTTP_METHOD]) ||
                !el_access_slot_absent(&slots[EL_AK_ROUTE_KEY]) ||
                !el_access_slot_absent(&slots[EL_AK_STATUS]) ||
                !el_access_slot_absent(&slots[EL_AK_RESOURCE_PATH]);
    if (id && what)
        return 90;
    if (enough_keys(slots))
        return 60;
    return 0;
}

static int apigw_sniff(const struct el_str *lines, size_t n)
{
    int best = 0;
    for (size_t i = 0; i < n; i++) {
        int s = sniff_line(lines[i]);
        if (s > best)
            best = s;
    }
    return best;
}

const struct el_parser_ops el_parser_apigw_access = {
    .name = "apigw-access",
    .summary = "Amazon API Gateway access log (REST and HTTP APIs: JSON, CLF, CSV, XML presets "
               "and custom JSON)",
    .sniff = apigw_sniff,
    .create = apigw_create,
    .parse = apigw_parse,
    .destroy = apigw_destroy,
    .parse_event = apigw_parse_event,
};

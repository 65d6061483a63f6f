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
 * makes a JSON line invalid. JSON is read in up to three passes:
 *  1. A strict single-pass scanner (RFC 8259 objects; raw control bytes inside
 *     strings are tolerated). It fills views into the line, allocates nothing,
 *     and handles every line API Gateway writes correctly. It declines (does
 *     not reject) keys written with escapes and nesting deeper than
 *     JSON_MAX_DEPTH, which it does not resolve.
 *  2. Only for a declined line: cJSON, as the reference reader. The tree is kept
 *     until the next parse call (views point into it) and then freed, so this
 *     rare path allocates per line; the common paths never touch cJSON. Always
 *     running cJSON instead would cost one allocation per node per line and
 *     about five times the time (see the measurement in the report).
 *  3. For a line the strict scanner found invalid: a lenient key scanner. It
 *     walks `"key" : value` pairs in order; a string value ends at the first
 *     '"' that is followed by `,` and something shaped like the next key
 *     (`"name":`), or by the closing `}` and the end of the line. So
 *     {"userAgent":"x "quoted" y","status":"200"} gives userAgent `x "quoted" y`.
 *     Values are taken raw (API Gateway does not escape). It reads what it can
 *     and stops at the first thing it cannot follow.
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
 * Strings with JSON escapes are decoded into the scratch buffer, reset on
 * every call and sized once to the longest line (decoding never grows a
 * string), as in alb.c.
 */
#include <string.h>

#include <cjson/cJSON.h>

#include "parsers_int.h"

#define ROUTE_CAP 4096
#define KEY_MAX 48         /* a longer key matches no known name */
#define JSON_MAX_DEPTH 32  /* strict scanner declines deeper nesting */
#define LENIENT_MAX_DEPTH 3
#define KEY_LOOKAHEAD 64   /* lenient: how far to look for the next key's closing quote */

enum key {
    K_REQUEST_ID,
    K_EXT_REQUEST_ID,
    K_IP,
    K_REQUEST_TIME,
    K_REQUEST_TIME_EPOCH,
    K_HTTP_METHOD,
    K_RESOURCE_PATH,
    K_ROUTE_KEY,
    K_PATH,
    K_STATUS,
    K_PROTOCOL,
    K_RESPONSE_LENGTH,
    K_RESPONSE_LATENCY,
    K_INTEGRATION_LATENCY,
    K_INTEGRATION_STATUS, /* integration.status: what the integration returned */
    K_INTEG_SVC_STATUS,   /* integrationStatus: for Lambda, the service's status */
    K_ERROR_TYPE,
    K_ERROR_MESSAGE,
    K_ERROR_MESSAGE_STRING,
    K_USER_AGENT,
    K_DOMAIN_NAME,
    K_STAGE,
    K_XRAY_TRACE_ID,
    K_COUNT
};

/* Normalised names: lower case, no '_' or '-', "$context."/"context." dropped. */
struct key_name {
    const char *name;
    uint8_t len;
    uint8_t key;
};
#define KN(s, k) { s, (uint8_t)(sizeof(s) - 1), k }
static const struct key_name key_names[] = {
    KN("requestid", K_REQUEST_ID),
    KN("extendedrequestid", K_EXT_REQUEST_ID),
    KN("ip", K_IP),
    KN("sourceip", K_IP),
    KN("clientip", K_IP),
    KN("identity.sourceip", K_IP),
    KN("identitysourceip", K_IP),
    KN("requesttime", K_REQUEST_TIME),
    KN("requesttimeepoch", K_REQUEST_TIME_EPOCH),
    KN("httpmethod", K_HTTP_METHOD),
    KN("method", K_HTTP_METHOD),
    KN("resourcepath", K_RESOURCE_PATH),
    KN("routekey", K_ROUTE_KEY),
    KN("path", K_PATH),
    KN("status", K_STATUS),
    KN("protocol", K_PROTOCOL),
    KN("responselength", K_RESPONSE_LENGTH),
    KN("responselatency", K_RESPONSE_LATENCY),
    KN("integrationlatency", K_INTEGRATION_LATENCY),
    KN("integration.latency", K_INTEGRATION_LATENCY),
    KN("integration.status", K_INTEGRATION_STATUS),
    KN("integrationstatus", K_INTEG_SVC_STATUS),
    KN("integration.integrationstatus", K_INTEG_SVC_STATUS),
    KN("error.responsetype", K_ERROR_TYPE),
    KN("errorresponsetype", K_ERROR_TYPE),
    KN("error.message", K_ERROR_MESSAGE),
    KN("errormessage", K_ERROR_MESSAGE),
    KN("error.messagestring", K_ERROR_MESSAGE_STRING),
    KN("useragent", K_USER_AGENT),
    KN("identity.useragent", K_USER_AGENT),
    KN("identityuseragent", K_USER_AGENT),
    KN("domainname", K_DOMAIN_NAME),
    KN("stage", K_STAGE),
    KN("xraytraceid", K_XRAY_TRACE_ID),
};

/* What a slot holds: a view into the line (RAW: use as is; JSTR: a JSON
 * string body, decode when `esc`; JNUM: JSON number text) or a number that
 * only cJSON had (DBL). */
enum slot_kind { S_NONE = 0, S_RAW, S_JSTR, S_JNUM, S_DBL };

struct slot {
    const char *p;
    size_t n;
    double d;
    uint8_t kind;
    bool esc;
};

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

/* ---- small helpers ---------------------------------------------------------- */

static inline bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static inline const char *skip_ws(const char *p, const char *end)
{
    while (p < end && is_ws(*p))
        p++;
    return p;
}

static inline bool is_dash(struct el_str s)
{
    return s.n == 1 && s.p[0] == '-';
}

static inline bool has_prefix(const char *p, const char *end, const char *lit, size_t n)
{
    return (size_t)(end - p) >= n && memcmp(p, lit, n) == 0;
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
 * half the time of a JSON line. K_IGNORED: known, not used. */
#define K_IGNORED 0xFF
static const struct key_name exact_names[] = {
    KN("requestId", K_REQUEST_ID),
    KN("extendedRequestId", K_EXT_REQUEST_ID),
    KN("ip", K_IP),
    KN("sourceIp", K_IP),
    KN("caller", K_IGNORED),
    KN("user", K_IGNORED),
    KN("requestTime", K_REQUEST_TIME),
    KN("requestTimeEpoch", K_REQUEST_TIME_EPOCH),
    KN("httpMethod", K_HTTP_METHOD),
    KN("resourcePath", K_RESOURCE_PATH),
    KN("routeKey", K_ROUTE_KEY),
    KN("path", K_PATH),
    KN("status", K_STATUS),
    KN("protocol", K_PROTOCOL),
    KN("responseLength", K_RESPONSE_LENGTH),
    KN("responseLatency", K_RESPONSE_LATENCY),
    KN("integrationLatency", K_INTEGRATION_LATENCY),
    KN("integrationStatus", K_INTEG_SVC_STATUS),
    KN("userAgent", K_USER_AGENT),
    KN("domainName", K_DOMAIN_NAME),
    KN("stage", K_STAGE),
    KN("apiId", K_IGNORED),
};

/* The known key named by KEY (inside object PARENT when depth is 1), or -1. */
static int match_key(int depth, struct el_str parent, struct el_str key)
{
    char buf[KEY_MAX];
    size_t n = 0;

    if (depth > 1 || key.n > 2 * KEY_MAX)
        return -1;
    if (depth == 0) {
        for (size_t i = 0; i < EL_ARRAY_LEN(exact_names); i++)
            if (exact_names[i].len == key.n && memcmp(exact_names[i].name, key.p, key.n) == 0)
                return exact_names[i].key == K_IGNORED ? -1 : exact_names[i].key;
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
    return -1;
}

static bool slot_absent(const struct slot *s)
{
    if (s->kind == S_NONE)
        return true;
    if (s->kind == S_DBL)
        return false;
    return s->n == 0 || (s->n == 1 && s->p[0] == '-');
}

/* The first present value of a key wins ("ip" and "sourceIp" both logged). */
static void set_slot(struct slot *slots, int k, const char *p, size_t n, enum slot_kind kind,
                     bool esc)
{
    if (k < 0 || !slot_absent(&slots[k]))
        return;
    slots[k] = (struct slot){ .p = p, .n = n, .kind = (uint8_t)kind, .esc = esc };
}

/* ---- JSON pass 1: strict single-pass scanner --------------------------------- */

enum jr { J_OK, J_BAD, J_DECLINE };

static bool hex4(const char *p)
{
    return el_isxdigit(p[0]) && el_isxdigit(p[1]) && el_isxdigit(p[2]) && el_isxdigit(p[3]);
}

/* *pp at the opening quote. On J_OK, *pp is past the closing quote and *out
 * the raw body; *esc says whether it holds escapes. One byte loop: values are
 * short, and two memchr calls per string (quote, then backslash) cost more. */
static enum jr j_string(const char **pp, const char *end, struct el_str *out, bool *esc)
{
    const char *s = *pp + 1, *p = s;
    bool e = false;

    for (;;) {
        while (p < end && *p != '"' && *p != '\\')
            p++;
        if (p == end)
            return J_BAD;
        if (*p == '"')
            break;
        e = true;
        if (end - p < 2)
            return J_BAD;
        char c = p[1];
        if (c == 'u') {
            if (end - p < 6 || !hex4(p + 2))
                return J_BAD;
            p += 6;
        } else if (c == '"' || c == '\\' || c == '/' || c == 'b' || c == 'f' || c == 'n' ||
                   c == 'r' || c == 't') {
            p += 2;
        } else {
            return J_BAD;
        }
    }
    *out = (struct el_str){ s, (size_t)(p - s) };
    *esc = e;
    *pp = p + 1;
    return J_OK;
}

/* -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static enum jr j_number(const char **pp, const char *end)
{
    const char *p = *pp;
    if (p < end && *p == '-')
        p++;
    if (p == end || !el_isdigit(*p))
        return J_BAD;
    if (*p == '0')
        p++;
    else
        while (p < end && el_isdigit(*p))
            p++;
    if (p < end && *p == '.') {
        p++;
        if (p == end || !el_isdigit(*p))
            return J_BAD;
        while (p < end && el_isdigit(*p))
            p++;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < end && (*p == '+' || *p == '-'))
            p++;
        if (p == end || !el_isdigit(*p))
            return J_BAD;
        while (p < end && el_isdigit(*p))
            p++;
    }
    *pp = p;
    return J_OK;
}

static enum jr j_literal(const char **pp, const char *end)
{
    static const char *const lits[] = { "true", "false", "null" };
    for (size_t i = 0; i < EL_ARRAY_LEN(lits); i++) {
        size_t n = strlen(lits[i]);
        if (has_prefix(*pp, end, lits[i], n)) {
            *pp += n;
            return J_OK;
        }
    }
    return J_BAD;
}

/* Skips any value; *pp at its first byte. */
static enum jr j_skip(const char **pp, const char *end, int depth)
{
    const char *p = *pp;
    struct el_str s;
    bool esc;
    enum jr rc;

    if (p == end)
        return J_BAD;
    if (*p == '"')
        return j_string(pp, end, &s, &esc);
    if (*p != '{' && *p != '[')
        return (*p == 't' || *p == 'f' || *p == 'n') ? j_literal(pp, end) : j_number(pp, end);
    if (depth >= JSON_MAX_DEPTH)
        return J_DECLINE;
    char close = *p == '{' ? '}' : ']';
    p = skip_ws(p + 1, end);
    if (p < end && *p == close) {
        *pp = p + 1;
        return J_OK;
    }
    for (;;) {
        if (close == '}') {
            if (p == end || *p != '"')
                return J_BAD;
            if ((rc = j_string(&p, end, &s, &esc)) != J_OK)
                return rc;
            p = skip_ws(p, end);
            if (p == end || *p != ':')
                return J_BAD;
            p = skip_ws(p + 1, end);
        }
        if ((rc = j_skip(&p, end, depth + 1)) != J_OK)
            return rc;
        p = skip_ws(p, end);
        if (p < end && *p == ',') {
            p = skip_ws(p + 1, end);
            continue;
        }
        if (p < end && *p == close) {
            *pp = p + 1;
            return J_OK;
        }
        return J_BAD;
    }
}

/* An object; depth 0 is the line, depth 1 an object value of a top-level key
 * (PARENT), whose members are matched as "parent.member". */
static enum jr j_object(const char **pp, const char *end, int depth, struct el_str parent,
                        struct slot *slots)
{
    const char *p = skip_ws(*pp + 1, end);
    enum jr rc;

    if (p < end && *p == '}') {
        *pp = p + 1;
        return J_OK;
    }
    for (;;) {
        struct el_str key, v;
        bool esc;
        if (p == end || *p != '"')
            return J_BAD;
        if ((rc = j_string(&p, end, &key, &esc)) != J_OK)
            return rc;
        if (esc)
            return J_DECLINE; /* might be a known name, spelled with escapes */
        p = skip_ws(p, end);
        if (p == end || *p != ':')
            return J_BAD;
        p = skip_ws(p + 1, end);
        if (p == end)
            return J_BAD;
        int k = match_key(depth, parent, key);
        const char *v0 = p;
        if (*p == '"') {
            if ((rc = j_string(&p, end, &v, &esc)) != J_OK)
                return rc;
            set_slot(slots, k, v.p, v.n, S_JSTR, esc);
        } else if (*p == '{' && depth == 0) {
            if ((rc = j_object(&p, end, 1, key, slots)) != J_OK)
                return rc;
        } else if (*p == '-' || el_isdigit(*p)) {
            if ((rc = j_number(&p, end)) != J_OK)
                return rc;
            set_slot(slots, k, v0, (size_t)(p - v0), S_JNUM, false);
        } else if ((rc = j_skip(&p, end, depth + 1)) != J_OK) {
            return rc; /* null, true, false, arrays, deeper objects */
        }
        p = skip_ws(p, end);
        if (p < end && *p == ',') {
            p = skip_ws(p + 1, end);
            continue;
        }
        if (p < end && *p == '}') {
            *pp = p + 1;
            return J_OK;
        }
        return J_BAD;
    }
}

/* The whole line must be one object (trailing whitespace allowed). */
static enum jr json_strict(const char *p, const char *end, struct slot *slots)
{
    enum jr rc = j_object(&p, end, 0, (struct el_str){ 0 }, slots);
    if (rc != J_OK)
        return rc;
    return skip_ws(p, end) == end ? J_OK : J_BAD;
}

/* ---- JSON pass 2: cJSON, only for lines pass 1 declined ---------------------- */

static void cj_collect(const cJSON *obj, int depth, struct el_str parent, struct slot *slots)
{
    for (const cJSON *c = obj->child; c; c = c->next) {
        if (!c->string)
            continue;
        struct el_str key = { c->string, strlen(c->string) };
        int k = match_key(depth, parent, key);
        if (cJSON_IsObject(c) && depth == 0)
            cj_collect(c, 1, key, slots);
        else if (cJSON_IsString(c) && c->valuestring)
            set_slot(slots, k, c->valuestring, strlen(c->valuestring), S_RAW, false);
        else if (cJSON_IsNumber(c) && k >= 0 && slot_absent(&slots[k]))
            slots[k] = (struct slot){ .d = c->valuedouble, .kind = S_DBL };
    }
}

/* ---- JSON pass 3: lenient scanner for invalid lines -------------------------- */

/* r at '"': does `"name" :` follow (a plausible next key)? */
static bool looks_like_key(const char *r, const char *end)
{
    size_t room = (size_t)(end - r - 1);
    const char *q = memchr(r + 1, '"', room < KEY_LOOKAHEAD ? room : KEY_LOOKAHEAD);
    if (!q || q == r + 1)
        return false;
    q = skip_ws(q + 1, end);
    return q < end && *q == ':';
}

/* s is the first byte of a string value; returns its closing quote or NULL. */
static const char *lenient_string_end(const char *s, const char *end, int depth)
{
    for (const char *c = memchr(s, '"', (size_t)(end - s)); c;
         c = memchr(c + 1, '"', (size_t)(end - c - 1))) {
        const char *r = skip_ws(c + 1, end);
        if (r == end)
            return c; /* the line ends: a truncated object */
        if (*r == ',') {
            r = skip_ws(r + 1, end);
            if (r < end && *r == '"' && looks_like_key(r, end))
                return c;
        } else if (*r == '}') {
            r = skip_ws(r + 1, end);
            if (r == end || (depth > 0 && (*r == ',' || *r == '}')))
                return c;
        }
    }
    return NULL;
}

/* *pp just past '{'. Returns how many members were read. */
static size_t lenient_object(const char **pp, const char *end, int depth, struct el_str parent,
                             struct slot *slots)
{
    const char *p = *pp;
    size_t found = 0;

    for (;;) {
        p = skip_ws(p, end);
        if (p == end)
            break;
        if (*p == '}') {
            p++;
            break;
        }
        if (*p == ',') {
            p++;
            continue;
        }
        if (*p != '"')
            break;
        const char *kq = memchr(p + 1, '"', (size_t)(end - p - 1));
        if (!kq)
            break;
        struct el_str key = { p + 1, (size_t)(kq - p - 1) };
        p = skip_ws(kq + 1, end);
        if (p == end || *p != ':')
            break;
        p = skip_ws(p + 1, end);
        if (p == end)
            break;
        int k = match_key(depth, parent, key);
        if (*p == '"') {
            const char *ve = lenient_string_end(p + 1, end, depth);
            if (!ve)
                break;
            set_slot(slots, k, p + 1, (size_t)(ve - p - 1), S_RAW, false);
            p = ve + 1;
        } else if (*p == '{') {
            if (depth >= LENIENT_MAX_DEPTH)
                break;
            p++;
            found += lenient_object(&p, end, depth + 1, key, slots);
        } else {
            const char *q = p;
            while (q < end && *q != ',' && *q != '}' && !is_ws(*q))
                q++;
            struct el_str v = { p, (size_t)(q - p) };
            if (!el_str_eq(v, "null") && !el_str_eq(v, "true") && !el_str_eq(v, "false"))
                set_slot(slots, k, v.p, v.n, S_RAW, false);
            p = q;
        }
        found++;
    }
    *pp = p;
    return found;
}

/* ---- XML preset ----------------------------------------------------------------- */

/* Values are raw text (API Gateway does not escape '<' or '&'); a value ends
 * at its own closing tag. Returns false for a shape that is not the preset. */
static bool collect_xml(const char *p, const char *end, struct slot *slots, const char **bad)
{
    *bad = p;
    if (!has_prefix(p, end, "<request", 8))
        return false;
    p += 8;
    if (p == end || (*p != '>' && !is_ws(*p)))
        return false;
    for (;;) { /* attributes: only id="..." is used */
        p = skip_ws(p, end);
        if (p == end)
            return false;
        if (*p == '>') {
            p++;
            break;
        }
        const char *eq = p;
        while (eq < end && *eq != '=' && *eq != '>' && !is_ws(*eq))
            eq++;
        if (eq + 1 >= end || *eq != '=' || eq[1] != '"') {
            *bad = eq;
            return false;
        }
        const char *vq = memchr(eq + 2, '"', (size_t)(end - eq - 2));
        if (!vq) {
            *bad = eq;
            return false;
        }
        if (eq - p == 2 && memcmp(p, "id", 2) == 0)
            set_slot(slots, K_REQUEST_ID, eq + 2, (size_t)(vq - eq - 2), S_RAW, false);
        p = vq + 1;
    }
    for (;;) {
        p = skip_ws(p, end);
        if (p == end || has_prefix(p, end, "</request>", 10))
            return true; /* a cut-off line keeps what it has */
        const char *q = p + 1;
        while (q < end && *q != '>' && *q != '<' && *q != '/' && !is_ws(*q))
            q++;
        if (*p != '<' || q == p + 1 || q == end || *q != '>') {
            *bad = p;
            return false;
        }
        struct el_str name = { p + 1, (size_t)(q - p - 1) };
        const char *v = q + 1, *c = v;
        for (;;) {
            c = memchr(c, '<', (size_t)(end - c));
            if (!c) {
                *bad = p;
                return false;
            }
            if ((size_t)(end - c) >= name.n + 3 && c[1] == '/' &&
                memcmp(c + 2, name.p, name.n) == 0 && c[2 + name.n] == '>')
                break;
            c++;
        }
        set_slot(slots, match_key(0, (struct el_str){ 0 }, name), v, (size_t)(c - v), S_RAW,
                 false);
        p = c + name.n + 3;
    }
}

/* ---- CLF and CSV presets ---------------------------------------------------------- */

static bool is_upper_word(const char *p, size_t n)
{
    if (!n)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned)(p[i] - 'A') >= 26u)
            return false;
    return true;
}

/* The middle of "METHOD middle PROTOCOL": an HTTP API routeKey ("$default",
 * "GET /pets/{id}", "ANY /{proxy+}") or a REST resourcePath ("/pets/{id}"). */
static void set_middle(struct slot *slots, const char *p, size_t n)
{
    const char *sp = memchr(p, ' ', n);
    if ((n == 8 && memcmp(p, "$default", 8) == 0) || (sp && is_upper_word(p, (size_t)(sp - p))))
        set_slot(slots, K_ROUTE_KEY, p, n, S_RAW, false);
    else
        set_slot(slots, K_RESOURCE_PATH, p, n, S_RAW, false);
}

static const char *find_byte(const char *p, const char *end, char c)
{
    const char *q = memchr(p, c, (size_t)(end - p));
    return q ? q : end;
}

enum preset { P_NOMATCH, P_OK, P_BAD };

/* The CLF preset (REST and HTTP share the shape). P_NOMATCH unless the line
 * has three words and then "[": anything else is some other format. */
static enum preset collect_clf(const char *line, const char *p, const char *end,
                               struct slot *slots, struct el_diag *diag)
{
    const char *t[3];
    size_t tn[3];
    for (int i = 0; i < 3; i++) {
        const char *q = find_byte(p, end, ' ');
        if (q == p || q == end)
            return P_NOMATCH;
        t[i] = p;
        tn[i] = (size_t)(q - p);
        p = q + 1;
    }
    if (p == end || *p != '[')
        return P_NOMATCH;
    const char *rb = find_byte(p, end, ']');
    if (rb == end) {
        el_diag_set(diag, EL_ERR_PARSE, K_REQUEST_TIME, (size_t)(p - line),
                    "unterminated [requestTime]");
        return P_BAD;
    }
    set_slot(slots, K_IP, t[0], tn[0], S_RAW, false);
    set_slot(slots, K_REQUEST_TIME, p + 1, (size_t)(rb - p - 1), S_RAW, false);
    p = rb + 1;
    if (p < end && *p == ' ') /* the REST console preset has none here */
        p++;
    if (p == end || *p != '"')
        goto bad_request;
    const char *rq = find_byte(p + 1, end, '"');
    if (rq == end)
        goto bad_request;
    {
        /* method up to the first space, protocol after the last one */
        const char *s = p + 1, *e = rq;
        const char *sp1 = find_byte(s, e, ' ');
        const char *sp2 = e;
        while (sp2 > sp1 && sp2[-1] != ' ')
            sp2--;
        set_slot(slots, K_HTTP_METHOD, s, (size_t)(sp1 - s), S_RAW, false);
        if (sp1 < e) {
            if (sp2 - 1 > sp1) {
                set_middle(slots, sp1 + 1, (size_t)(sp2 - 1 - sp1 - 1));
                set_slot(slots, K_PROTOCOL, sp2, (size_t)(e - sp2), S_RAW, false);
            } else {
                set_middle(slots, sp1 + 1, (size_t)(e - sp1 - 1));
            }
        }
    }
    p = rq + 1;
    static const uint8_t after[] = { K_STATUS, K_RESPONSE_LENGTH, K_REQUEST_ID,
                                     K_EXT_REQUEST_ID };
    for (size_t i = 0; i < EL_ARRAY_LEN(after); i++) {
        if (p == end || *p != ' ') {
            if (i < 3) {
                el_diag_set(diag, EL_ERR_PARSE, after[i], (size_t)(p - line),
                            "CLF line ends before its request id");
                return P_BAD;
            }
            break;
        }
        const char *q = find_byte(p + 1, end, ' ');
        if (q == p + 1 || p[1] == '"') {
            if (i >= 3)
                break; /* no extendedRequestId; what follows is the user's */
            el_diag_set(diag, EL_ERR_PARSE, after[i], (size_t)(p + 1 - line),
                        "CLF line without a request id after the length");
            return P_BAD;
        }
        p++;
        set_slot(slots, after[i], p, (size_t)(q - p), S_RAW, false);
        p = q;
    }
    return P_OK; /* fields a user appended to the preset are ignored */

bad_request:
    el_diag_set(diag, EL_ERR_PARSE, K_HTTP_METHOD, (size_t)(p - line),
                "CLF request not in double quotes");
    return P_BAD;
}

static bool looks_like_clf_time(const char *p, size_t n)
{
    return n == 26 && p[2] == '/' && p[6] == '/' && p[11] == ':' && p[20] == ' ';
}

#define CSV_MAX_FIELDS 24

/* The CSV preset: REST "ip,caller,user,time,..." or HTTP "ip,time,...". The
 * requestTime field anchors the layout. */
static enum preset collect_csv(const char *line, const char *p, const char *end,
                               struct slot *slots, struct el_diag *diag)
{
    const char *f[CSV_MAX_FIELDS];
    size_t fl[CSV_MAX_FIELDS], nf = 0;

    for (const char *s = p;; ) {
        const char *c = find_byte(s, end, ',');
        f[nf] = s;
        fl[nf++] = (size_t)(c - s);
        if (c == end || nf == CSV_MAX_FIELDS)
            break; /* fields past the cap are ignored */
        s = c + 1;
    }
    if (nf < 7)
        return P_NOMATCH;
#define FLEN(i) (fl[i])
    size_t t = 0;
    for (size_t i = 1; i <= 3 && i < nf; i++)
        if (looks_like_clf_time(f[i], FLEN(i))) {
            t = i;
            break;
        }
    if (!t || nf < t + 7)
        return P_NOMATCH;
    size_t proto = t + 3; /* the protocol follows the middle, which may hold commas */
    for (size_t i = t + 3; i + 3 < nf; i++)
        if (FLEN(i) >= 5 && memcmp(f[i], "HTTP/", 5) == 0) {
            proto = i;
            break;
        }
    if (proto + 3 >= nf) {
        el_diag_set(diag, EL_ERR_PARSE, K_REQUEST_ID, (size_t)(end - line),
                    "CSV line ends before its request id");
        return P_BAD;
    }
    set_slot(slots, K_IP, f[0], FLEN(0), S_RAW, false);
    set_slot(slots, K_REQUEST_TIME, f[t], FLEN(t), S_RAW, false);
    set_slot(slots, K_HTTP_METHOD, f[t + 1], FLEN(t + 1), S_RAW, false);
    set_middle(slots, f[t + 2], (size_t)(f[proto - 1] + fl[proto - 1] - f[t + 2]));
    set_slot(slots, K_PROTOCOL, f[proto], FLEN(proto), S_RAW, false);
    set_slot(slots, K_STATUS, f[proto + 1], FLEN(proto + 1), S_RAW, false);
    set_slot(slots, K_RESPONSE_LENGTH, f[proto + 2], FLEN(proto + 2), S_RAW, false);
    set_slot(slots, K_REQUEST_ID, f[proto + 3], FLEN(proto + 3), S_RAW, false);
    if (proto + 4 < nf)
        set_slot(slots, K_EXT_REQUEST_ID, f[proto + 4], FLEN(proto + 4), S_RAW, false);
#undef FLEN
    return P_OK;
}

/* ---- values ---------------------------------------------------------------------- */

static void put_utf8(char **o, unsigned cp)
{
    char *q = *o;
    if (cp < 0x80) {
        *q++ = (char)cp;
    } else if (cp < 0x800) {
        *q++ = (char)(0xC0 | cp >> 6);
        *q++ = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *q++ = (char)(0xE0 | cp >> 12);
        *q++ = (char)(0x80 | (cp >> 6 & 0x3F));
        *q++ = (char)(0x80 | (cp & 0x3F));
    } else {
        *q++ = (char)(0xF0 | cp >> 18);
        *q++ = (char)(0x80 | (cp >> 12 & 0x3F));
        *q++ = (char)(0x80 | (cp >> 6 & 0x3F));
        *q++ = (char)(0x80 | (cp & 0x3F));
    }
    *o = q;
}

static unsigned hexval4(const char *p)
{
    return (unsigned)(el_xval(p[0]) << 12 | el_xval(p[1]) << 8 | el_xval(p[2]) << 4 |
                      el_xval(p[3]));
}

/* JSON string body (validated by j_string) into scratch. Output never exceeds
 * input: \uXXXX (6 bytes) -> at most 3, a surrogate pair (12) -> 4. A lone
 * surrogate becomes U+FFFD. If scratch could not grow, the raw body is kept. */
static struct el_str json_unescape(struct el_parser *ps, struct el_str v)
{
    char *o = el_scratch_room(&ps->scratch, v.n), *start = o;
    if (!o)
        return v;
    const char *p = v.p, *end = v.p + v.n;
    while (p < end) {
        const char *b = memchr(p, '\\', (size_t)(end - p));
        size_t run = (size_t)((b ? b : end) - p);
        memcpy(o, p, run);
        o += run;
        p += run;
        if (!b || end - b < 2)
            break;
        char c = b[1];
        p = b + 2;
        switch (c) {
        case 'b': *o++ = '\b'; break;
        case 'f': *o++ = '\f'; break;
        case 'n': *o++ = '\n'; break;
        case 'r': *o++ = '\r'; break;
        case 't': *o++ = '\t'; break;
        case 'u': {
            if (end - b < 6 || !hex4(b + 2)) {
                *o++ = c;
                break;
            }
            unsigned cp = hexval4(b + 2);
            p = b + 6;
            if (cp >= 0xD800 && cp < 0xDC00 && end - p >= 6 && p[0] == '\\' && p[1] == 'u' &&
                hex4(p + 2)) {
                unsigned lo = hexval4(p + 2);
                if (lo >= 0xDC00 && lo < 0xE000) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    p += 6;
                }
            }
            if (cp >= 0xD800 && cp < 0xE000)
                cp = 0xFFFD;
            put_utf8(&o, cp);
            break;
        }
        default: *o++ = c; break; /* '"', '\\', '/' */
        }
    }
    return el_scratch_commit(&ps->scratch, start, (size_t)(o - start));
}

/* The text of a slot, decoded; an empty view when absent. A decoded slot is
 * rewritten to point at its decoded text, so asking twice decodes once and
 * the scratch (sized to the line) cannot run out. */
static struct el_str slot_str(struct el_parser *ps, struct slot *s)
{
    if (slot_absent(s) || s->kind == S_DBL)
        return (struct el_str){ 0 };
    if (s->kind == S_JSTR && s->esc) {
        struct el_str v = json_unescape(ps, (struct el_str){ s->p, s->n });
        if (v.p != s->p) {
            s->p = v.p;
            s->n = v.n;
            s->kind = S_RAW;
        }
        if (slot_absent(s))
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

static bool digits_n(const char *p, size_t n, unsigned *out)
{
    unsigned v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!el_isdigit(p[i]))
            return false;
        v = v * 10 + (unsigned)(p[i] - '0');
    }
    *out = v;
    return true;
}

/* "10/Mar/2026:10:00:00 +0100" (CLF, any offset) to UTC microseconds. */
static enum el_err clf_time_to_us(struct el_str s, int64_t *us)
{
    static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    static const unsigned char dim[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    const char *p = s.p;
    unsigned d, y, h, mi, se, oh, om, mo = 0;

    if (!looks_like_clf_time(s.p, s.n) || p[14] != ':' || p[17] != ':' ||
        (p[21] != '+' && p[21] != '-'))
        return EL_ERR_PARSE;
    for (unsigned m = 0; m < 12; m++)
        if (memcmp(p + 3, months + 3 * m, 3) == 0)
            mo = m + 1;
    if (!mo || !digits_n(p, 2, &d) || !digits_n(p + 7, 4, &y) || !digits_n(p + 12, 2, &h) ||
        !digits_n(p + 15, 2, &mi) || !digits_n(p + 18, 2, &se) || !digits_n(p + 22, 2, &oh) ||
        !digits_n(p + 24, 2, &om))
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
static enum el_err slot_ms(struct el_parser *ps, struct slot *s, int64_t *us)
{
    if (s->kind == S_DBL) {
        if (!(s->d >= 0 && s->d < 1e12))
            return EL_ERR_RANGE;
        *us = (int64_t)(s->d * 1000 + 0.5);
        return EL_OK;
    }
    return ms_to_us(slot_str(ps, s), us);
}

static enum el_err slot_u64(struct el_parser *ps, struct slot *s, uint64_t max,
                            uint64_t *out)
{
    if (s->kind == S_DBL) {
        if (!(s->d >= 0 && s->d <= (double)max) || s->d != (double)(uint64_t)s->d)
            return EL_ERR_RANGE;
        *out = (uint64_t)s->d;
        return EL_OK;
    }
    return el_scan_u64(slot_str(ps, s), max, out);
}

static enum el_err slot_status(struct el_parser *ps, struct slot *s, uint16_t *out)
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

static enum el_src which_api(struct el_parser *ps, struct slot *sl, struct el_str route_key,
                             struct el_str resource)
{
    if (route_key.n)
        return EL_SRC_APIGW_HTTP;
    if (resource.n)
        return EL_SRC_APIGW_REST;
    if (el_str_eq(slot_str(ps, &sl[K_STAGE]), "$default"))
        return EL_SRC_APIGW_HTTP;
    struct el_str rid = slot_str(ps, &sl[K_REQUEST_ID]);
    if (rid.n) {
        static const char repl[] = "_REPLACED_INVALID_REQUEST_ID";
        bool replaced = rid.n >= sizeof(repl) - 1 &&
                        memcmp(rid.p + rid.n - (sizeof(repl) - 1), repl, sizeof(repl) - 1) == 0;
        return is_uuid(rid) || replaced ? EL_SRC_APIGW_REST : EL_SRC_APIGW_HTTP;
    }
    return EL_SRC_APIGW_REST;
}

static bool enough_keys(const struct slot *sl)
{
    if (!slot_absent(&sl[K_REQUEST_ID]) || !slot_absent(&sl[K_EXT_REQUEST_ID]))
        return true;
    return !slot_absent(&sl[K_STATUS]) &&
           (!slot_absent(&sl[K_HTTP_METHOD]) || !slot_absent(&sl[K_ROUTE_KEY]) ||
            !slot_absent(&sl[K_RESOURCE_PATH]) || !slot_absent(&sl[K_PATH]));
}

static const char *const bad_what[K_COUNT] = {
    [K_REQUEST_TIME] = "bad requestTime",
    [K_REQUEST_TIME_EPOCH] = "bad requestTimeEpoch",
    [K_STATUS] = "bad status",
    [K_RESPONSE_LENGTH] = "bad responseLength",
    [K_RESPONSE_LATENCY] = "bad responseLatency",
    [K_INTEGRATION_LATENCY] = "bad integrationLatency",
    [K_INTEGRATION_STATUS] = "bad integration.status",
    [K_INTEG_SVC_STATUS] = "bad integrationStatus",
};

static enum el_err bad_value(struct el_diag *diag, enum el_err rc, int k, const struct slot *s,
                             const char *line, size_t len)
{
    size_t off = 0;
    if (s->p && s->p >= line && s->p <= line + len)
        off = (size_t)(s->p - line);
    return el_diag_set(diag, rc == EL_ERR_RANGE ? EL_ERR_RANGE : EL_ERR_PARSE, (unsigned)k, off,
                       bad_what[k] ? bad_what[k] : "bad value");
}

static enum el_err build_record(struct el_parser *ps, struct slot *sl, const char *line,
                                size_t len, const int64_t *prefix_ts, const int64_t *ts_hint,
                                struct el_record *r, struct el_diag *diag)
{
    struct el_str route_key = slot_str(ps, &sl[K_ROUTE_KEY]);
    struct el_str resource = slot_str(ps, &sl[K_RESOURCE_PATH]);
    enum el_err rc;
    int k;

    *r = (struct el_record){ .src = which_api(ps, sl, route_key, resource) };

    k = K_REQUEST_TIME_EPOCH;
    if (!slot_absent(&sl[k])) {
        if (sl[k].kind == S_DBL) {
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
    k = K_REQUEST_TIME;
    if (!slot_absent(&sl[k])) {
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

    k = K_STATUS;
    if (!slot_absent(&sl[k])) {
        if ((rc = slot_status(ps, &sl[k], &r->status)) != EL_OK)
            return bad_value(diag, rc, k, &sl[k], line, len);
        r->flags |= EL_REC_HAS_STATUS;
    }
    k = !slot_absent(&sl[K_INTEGRATION_STATUS]) ? K_INTEGRATION_STATUS : K_INTEG_SVC_STATUS;
    if (!slot_absent(&sl[k])) {
        if ((rc = slot_status(ps, &sl[k], &r->backend_status)) != EL_OK)
            return bad_value(diag, rc, k, &sl[k], line, len);
        r->flags |= EL_REC_HAS_BACKEND_STATUS;
    }
    k = K_RESPONSE_LATENCY;
    if (!slot_absent(&sl[k])) {
        if ((rc = slot_ms(ps, &sl[k], &r->latency_us)) != EL_OK)
            return bad_value(diag, rc, k, &sl[k], line, len);
        r->flags |= EL_REC_HAS_LATENCY;
    }
    k = K_INTEGRATION_LATENCY;
    if (!slot_absent(&sl[k])) {
        if ((rc = slot_ms(ps, &sl[k], &r->backend_us)) != EL_OK)
            return bad_value(diag, rc, k, &sl[k], line, len);
        r->flags |= EL_REC_HAS_BACKEND;
    }
    if (el_rec_has(r, EL_REC_HAS_LATENCY) && el_rec_has(r, EL_REC_HAS_BACKEND) &&
        r->latency_us >= r->backend_us) {
        r->overhead_us = r->latency_us - r->backend_us;
        r->flags |= EL_REC_HAS_OVERHEAD;
    }
    k = K_RESPONSE_LENGTH;
    if (!slot_absent(&sl[k])) {
        if ((rc = slot_u64(ps, &sl[k], UINT64_MAX / 4, &r->bytes_out)) != EL_OK)
            return bad_value(diag, rc, k, &sl[k], line, len);
        r->flags |= EL_REC_HAS_BYTES_OUT;
    }

    r->request_id = slot_str(ps, &sl[K_REQUEST_ID]);
    if (!r->request_id.n)
        r->request_id = slot_str(ps, &sl[K_EXT_REQUEST_ID]);
    r->trace_id = slot_str(ps, &sl[K_XRAY_TRACE_ID]);
    r->client_ip = slot_str(ps, &sl[K_IP]);
    r->method = slot_str(ps, &sl[K_HTTP_METHOD]);
    r->protocol = slot_str(ps, &sl[K_PROTOCOL]);
    r->user_agent = slot_str(ps, &sl[K_USER_AGENT]);
    r->host = slot_str(ps, &sl[K_DOMAIN_NAME]);
    r->error_reason = slot_str(ps, &sl[K_ERROR_TYPE]);
    if (!r->error_reason.n)
        r->error_reason = slot_str(ps, &sl[K_ERROR_MESSAGE]);
    if (!r->error_reason.n) {
        struct el_str m = slot_str(ps, &sl[K_ERROR_MESSAGE_STRING]);
        if (m.n >= 2 && m.p[0] == '"' && m.p[m.n - 1] == '"')
            m = (struct el_str){ m.p + 1, m.n - 2 };
        r->error_reason = is_dash(m) ? (struct el_str){ 0 } : m;
    }

    struct el_str path = slot_str(ps, &sl[K_PATH]);
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
    if (r->src == EL_SRC_APIGW_REST && resource.n)
        r->route = resource;
    else if (rk_path.n)
        r->route = rk_path;
    else if (r->path.n)
        r->route = el_route_template(r->path, ps->route, sizeof(ps->route));
    else if (route_key.n)
        r->route = route_key; /* "$default" and no path logged */
    return EL_OK;
}

/* ---- the line ---------------------------------------------------------------------- */

/* "2026-03-10T10:00:00.123Z " at the start: CloudWatch export. */
static bool strip_export_prefix(const char **pp, const char *end, int64_t *ts)
{
    const char *p = *pp;
    if (end - p < 21 || p[4] != '-' || p[10] != 'T')
        return false;
    const char *sp = find_byte(p, end, ' ');
    if (sp == end || el_scan_iso8601_us((struct el_str){ p, (size_t)(sp - p) }, ts) != EL_OK)
        return false;
    *pp = sp + 1;
    return true;
}

enum shape { SH_NONE, SH_JSON, SH_XML, SH_CLF, SH_CSV };

/* Fills slots from one line body (after the export prefix). On P_BAD, diag is
 * set. The cJSON fallback runs only when ps is given (not while sniffing);
 * without it a declined line goes to the lenient scanner. */
static enum preset collect(struct el_parser *ps, const char *line, const char *p,
                           const char *end, struct slot *slots, enum shape *shape,
                           struct el_diag *diag)
{
    enum preset pr;
    const char *bad;

    *shape = SH_NONE;
    if (*p == '{') {
        *shape = SH_JSON;
        enum jr jr = json_strict(p, end, slots);
        if (jr == J_OK)
            return P_OK;
        memset(slots, 0, K_COUNT * sizeof(*slots));
        if (jr == J_DECLINE && ps) {
            cJSON *t = cJSON_ParseWithLength(p, (size_t)(end - p));
            if (t && cJSON_IsObject(t)) {
                ps->tree = t;
                cj_collect(t, 0, (struct el_str){ 0 }, slots);
                return P_OK;
            }
            cJSON_Delete(t);
        }
        const char *q = p + 1;
        if (lenient_object(&q, end, 0, (struct el_str){ 0 }, slots) == 0) {
            el_diag_set(diag, EL_ERR_PARSE, 0, (size_t)(p - line), "unreadable JSON line");
            return P_BAD;
        }
        return P_OK;
    }
    if (*p == '<') {
        *shape = SH_XML;
        if (collect_xml(p, end, slots, &bad))
            return P_OK;
        el_diag_set(diag, EL_ERR_PARSE, 0, (size_t)(bad - line), "malformed XML access log line");
        return P_BAD;
    }
    *shape = SH_CLF;
    if ((pr = collect_clf(line, p, end, slots, diag)) != P_NOMATCH)
        return pr;
    memset(slots, 0, K_COUNT * sizeof(*slots));
    *shape = SH_CSV;
    if ((pr = collect_csv(line, p, end, slots, diag)) != P_NOMATCH)
        return pr;
    *shape = SH_NONE;
    return P_NOMATCH;
}

static enum el_err parse_line(struct el_parser *ps, const char *line, size_t len,
                              const int64_t *ts_hint, struct el_record *rec,
                              struct el_diag *diag)
{
    const char *p = line, *end = line + len;
    struct slot slots[K_COUNT];
    int64_t prefix_ts;
    enum shape shape;

    if (ps->tree) {
        cJSON_Delete(ps->tree);
        ps->tree = NULL;
    }
    el_scratch_reset(&ps->scratch, len);
    memset(slots, 0, sizeof(slots));
    bool have_prefix = strip_export_prefix(&p, end, &prefix_ts);
    p = skip_ws(p, end);
    if (p == end)
        return el_diag_set(diag, EL_ERR_PARSE, 0, 0,
                           have_prefix ? "export prefix without a message" : "empty line");
    enum preset pr = collect(ps, line, p, end, slots, &shape, diag);
    if (pr == P_BAD)
        return diag->code;
    if (pr == P_NOMATCH)
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
    struct slot slots[K_COUNT];
    struct el_diag diag = { 0 };
    enum shape shape;
    int64_t ts;

    memset(slots, 0, sizeof(slots));
    strip_export_prefix(&p, end, &ts);
    p = skip_ws(p, end);
    if (p == end || collect(NULL, l.p, p, end, slots, &shape, &diag) != P_OK)
        return 0;
    bool id = !slot_absent(&slots[K_REQUEST_ID]) || !slot_absent(&slots[K_EXT_REQUEST_ID]);
    bool what = !slot_absent(&slots[K_HTTP_METHOD]) || !slot_absent(&slots[K_ROUTE_KEY]) ||
                !slot_absent(&slots[K_STATUS]) || !slot_absent(&slots[K_RESOURCE_PATH]);
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

/* apigw_json.c: API Gateway access-log lines written as JSON objects.
 *
 * Which keys count and how they are spelled is in apigw_access.c (the grammar
 * and the key table); this file only walks the JSON and hands each member to
 * el_access_match_key and el_access_set_slot.
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
 *
 * Pass 1 leaves string values with escapes undecoded (EL_SLOT_JSTR, esc);
 * el_access_json_unescape decodes one when the record asks for it.
 */
#include <string.h>

#include <cjson/cJSON.h>

#include "parsers_int.h"

#define JSON_MAX_DEPTH 32  /* strict scanner declines deeper nesting */
#define LENIENT_MAX_DEPTH 3
#define KEY_LOOKAHEAD 64   /* lenient: how far to look for the next key's closing quote */

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
        p = el_find_byte2(p, end, '"', '\\');
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
        if (el_has_prefix(*pp, end, lits[i], n)) {
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
    p = el_skip_ws(p + 1, end);
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
            p = el_skip_ws(p, end);
            if (p == end || *p != ':')
                return J_BAD;
            p = el_skip_ws(p + 1, end);
        }
        if ((rc = j_skip(&p, end, depth + 1)) != J_OK)
            return rc;
        p = el_skip_ws(p, end);
        if (p < end && *p == ',') {
            p = el_skip_ws(p + 1, end);
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
                        struct el_access_slot *slots)
{
    const char *p = el_skip_ws(*pp + 1, end);
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
        p = el_skip_ws(p, end);
        if (p == end || *p != ':')
            return J_BAD;
        p = el_skip_ws(p + 1, end);
        if (p == end)
            return J_BAD;
        int k = el_access_match_key(depth, parent, key);
        const char *v0 = p;
        if (*p == '"') {
            if ((rc = j_string(&p, end, &v, &esc)) != J_OK)
                return rc;
            el_access_set_slot(slots, k, v.p, v.n, EL_SLOT_JSTR, esc);
        } else if (*p == '{' && depth == 0) {
            if ((rc = j_object(&p, end, 1, key, slots)) != J_OK)
                return rc;
        } else if (*p == '-' || el_isdigit(*p)) {
            if ((rc = j_number(&p, end)) != J_OK)
                return rc;
            el_access_set_slot(slots, k, v0, (size_t)(p - v0), EL_SLOT_JNUM, false);
        } else if ((rc = j_skip(&p, end, depth + 1)) != J_OK) {
            return rc; /* null, true, false, arrays, deeper objects */
        }
        p = el_skip_ws(p, end);
        if (p < end && *p == ',') {
            p = el_skip_ws(p + 1, end);
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
static enum jr json_strict(const char *p, const char *end, struct el_access_slot *slots)
{
    enum jr rc = j_object(&p, end, 0, (struct el_str){ 0 }, slots);
    if (rc != J_OK)
        return rc;
    return el_skip_ws(p, end) == end ? J_OK : J_BAD;
}

/* ---- JSON pass 2: cJSON, only for lines pass 1 declined ---------------------- */

static void cj_collect(const cJSON *obj, int depth, struct el_str parent,
                       struct el_access_slot *slots)
{
    for (const cJSON *c = obj->child; c; c = c->next) {
        if (!c->string)
            continue;
        struct el_str key = { c->string, strlen(c->string) };
        int k = el_access_match_key(depth, parent, key);
        if (cJSON_IsObject(c) && depth == 0)
            cj_collect(c, 1, key, slots);
        else if (cJSON_IsString(c) && c->valuestring)
            el_access_set_slot(slots, k, c->valuestring, strlen(c->valuestring), EL_SLOT_RAW,
                               false);
        else if (cJSON_IsNumber(c) && k >= 0 && el_access_slot_absent(&slots[k]))
            slots[k] = (struct el_access_slot){ .d = c->valuedouble, .kind = EL_SLOT_DBL };
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
    q = el_skip_ws(q + 1, end);
    return q < end && *q == ':';
}

/* s is the first byte of a string value; returns its closing quote or NULL. */
static const char *lenient_string_end(const char *s, const char *end, int depth)
{
    for (const char *c = memchr(s, '"', (size_t)(end - s)); c;
         c = memchr(c + 1, '"', (size_t)(end - c - 1))) {
        const char *r = el_skip_ws(c + 1, end);
        if (r == end)
            return c; /* the line ends: a truncated object */
        if (*r == ',') {
            r = el_skip_ws(r + 1, end);
            if (r < end && *r == '"' && looks_like_key(r, end))
                return c;
        } else if (*r == '}') {
            r = el_skip_ws(r + 1, end);
            if (r == end || (depth > 0 && (*r == ',' || *r == '}')))
                return c;
        }
    }
    return NULL;
}

/* *pp just past '{'. Returns how many members were read. */
static size_t lenient_object(const char **pp, const char *end, int depth, struct el_str parent,
                             struct el_access_slot *slots)
{
    const char *p = *pp;
    size_t found = 0;

    for (;;) {
        p = el_skip_ws(p, end);
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
        p = el_skip_ws(kq + 1, end);
        if (p == end || *p != ':')
            break;
        p = el_skip_ws(p + 1, end);
        if (p == end)
            break;
        int k = el_access_match_key(depth, parent, key);
        if (*p == '"') {
            const char *ve = lenient_string_end(p + 1, end, depth);
            if (!ve)
                break;
            el_access_set_slot(slots, k, p + 1, (size_t)(ve - p - 1), EL_SLOT_RAW, false);
            p = ve + 1;
        } else if (*p == '{') {
            if (depth >= LENIENT_MAX_DEPTH)
                break;
            p++;
            found += lenient_object(&p, end, depth + 1, key, slots);
        } else {
            const char *q = p;
            while (q < end && *q != ',' && *q != '}' && !el_is_ws(*q))
                q++;
            struct el_str v = { p, (size_t)(q - p) };
            if (!el_str_eq(v, "null") && !el_str_eq(v, "true") && !el_str_eq(v, "false"))
                el_access_set_slot(slots, k, v.p, v.n, EL_SLOT_RAW, false);
            p = q;
        }
        found++;
    }
    *pp = p;
    return found;
}

/* ---- the passes in order ------------------------------------------------------- */

enum el_access_collect el_access_collect_json(struct cJSON **tree, const char *line,
                                              const char *p, const char *end,
                                              struct el_access_slot *slots,
                                              struct el_diag *diag)
{
    enum jr jr = json_strict(p, end, slots);
    if (jr == J_OK)
        return EL_COLLECT_OK;
    memset(slots, 0, EL_AK_COUNT * sizeof(*slots));
    if (jr == J_DECLINE && tree) {
        cJSON *t = cJSON_ParseWithLength(p, (size_t)(end - p));
        if (t && cJSON_IsObject(t)) {
            *tree = t;
            cj_collect(t, 0, (struct el_str){ 0 }, slots);
            return EL_COLLECT_OK;
        }
        cJSON_Delete(t);
    }
    const char *q = p + 1;
    if (lenient_object(&q, end, 0, (struct el_str){ 0 }, slots) == 0) {
        el_diag_set(diag, EL_ERR_PARSE, 0, (size_t)(p - line), "unreadable JSON line");
        return EL_COLLECT_BAD;
    }
    return EL_COLLECT_OK;
}

/* ---- escapes ----------------------------------------------------------------------- */

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
struct el_str el_access_json_unescape(struct el_scratch *s, struct el_str v)
{
    char *o = el_scratch_room(s, v.n), *start = o;
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
    return el_scratch_commit(s, start, (size_t)(o - start));
}

/* apigw_presets.c: the API Gateway console's XML, CLF and CSV access-log
 * presets; their grammar is atop apigw_access.c. The CLF and CSV collectors
 * first check the shape a preset shares across REST and HTTP APIs (CLF: three
 * words, then "[requestTime]"; CSV: a requestTime among the first four fields)
 * and otherwise return EL_COLLECT_NOMATCH, so the next collector can try.
 * Appended fields are ignored. Values are views into the line, taken as they
 * stand: API Gateway does not escape them. */
#include <string.h>

#include "parsers_int.h"

/* Preset values are never JSON strings, so never decoded. */
static void set_raw(struct el_access_slot *slots, int k, const char *p, size_t n)
{
    el_access_set_slot(slots, k, p, n, EL_SLOT_RAW, false);
}

/* ---- XML preset ----------------------------------------------------------------- */

/* Values are raw text (API Gateway does not escape '<' or '&'); a value ends
 * at its own closing tag. Returns false for a shape that is not the preset. */
static bool xml_request(const char *p, const char *end, struct el_access_slot *slots,
                        const char **bad)
{
    *bad = p;
    if (!el_has_prefix(p, end, "<request", 8))
        return false;
    p += 8;
    if (p == end || (*p != '>' && !el_is_ws(*p)))
        return false;
    for (;;) { /* attributes: only id="..." is used */
        p = el_skip_ws(p, end);
        if (p == end)
            return false;
        if (*p == '>') {
            p++;
            break;
        }
        const char *eq = p;
        while (eq < end && *eq != '=' && *eq != '>' && !el_is_ws(*eq))
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
            set_raw(slots, EL_AK_REQUEST_ID, eq + 2, (size_t)(vq - eq - 2));
        p = vq + 1;
    }
    for (;;) {
        p = el_skip_ws(p, end);
        if (p == end || el_has_prefix(p, end, "</request>", 10))
            return true; /* a cut-off line keeps what it has */
        const char *q = p + 1;
        while (q < end && *q != '>' && *q != '<' && *q != '/' && !el_is_ws(*q))
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
        set_raw(slots, el_access_match_key(0, (struct el_str){ 0 }, name), v, (size_t)(c - v));
        p = c + name.n + 3;
    }
}

enum el_access_collect el_access_collect_xml(const char *line, const char *p, const char *end,
                                             struct el_access_slot *slots,
                                             struct el_diag *diag)
{
    const char *bad;

    if (xml_request(p, end, slots, &bad))
        return EL_COLLECT_OK;
    el_diag_set(diag, EL_ERR_PARSE, 0, (size_t)(bad - line), "malformed XML access log line");
    return EL_COLLECT_BAD;
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
static void set_middle(struct el_access_slot *slots, const char *p, size_t n)
{
    const char *sp = memchr(p, ' ', n);
    if ((n == 8 && memcmp(p, "$default", 8) == 0) || (sp && is_upper_word(p, (size_t)(sp - p))))
        set_raw(slots, EL_AK_ROUTE_KEY, p, n);
    else
        set_raw(slots, EL_AK_RESOURCE_PATH, p, n);
}

/* The CLF preset (REST and HTTP share the shape). EL_COLLECT_NOMATCH unless
 * the line has three words and then "[": anything else is some other format. */
enum el_access_collect el_access_collect_clf(const char *line, const char *p, const char *end,
                                             struct el_access_slot *slots,
                                             struct el_diag *diag)
{
    const char *t[3];
    size_t tn[3];
    for (int i = 0; i < 3; i++) {
        const char *q = el_find_byte(p, end, ' ');
        if (q == p || q == end)
            return EL_COLLECT_NOMATCH;
        t[i] = p;
        tn[i] = (size_t)(q - p);
        p = q + 1;
    }
    if (p == end || *p != '[')
        return EL_COLLECT_NOMATCH;
    const char *rb = el_find_byte(p, end, ']');
    if (rb == end) {
        el_diag_set(diag, EL_ERR_PARSE, EL_AK_REQUEST_TIME, (size_t)(p - line),
                    "unterminated [requestTime]");
        return EL_COLLECT_BAD;
    }
    set_raw(slots, EL_AK_IP, t[0], tn[0]);
    set_raw(slots, EL_AK_REQUEST_TIME, p + 1, (size_t)(rb - p - 1));
    p = rb + 1;
    if (p < end && *p == ' ') /* the REST console preset has none here */
        p++;
    if (p == end || *p != '"')
        goto bad_request;
    const char *rq = el_find_byte(p + 1, end, '"');
    if (rq == end)
        goto bad_request;
    {
        /* method up to the first space, protocol after the last one */
        const char *s = p + 1, *e = rq;
        const char *sp1 = el_find_byte(s, e, ' ');
        const char *sp2 = e;
        while (sp2 > sp1 && sp2[-1] != ' ')
            sp2--;
        set_raw(slots, EL_AK_HTTP_METHOD, s, (size_t)(sp1 - s));
        if (sp1 < e) {
            if (sp2 - 1 > sp1) {
                set_middle(slots, sp1 + 1, (size_t)(sp2 - 1 - sp1 - 1));
                set_raw(slots, EL_AK_PROTOCOL, sp2, (size_t)(e - sp2));
            } else {
                set_middle(slots, sp1 + 1, (size_t)(e - sp1 - 1));
            }
        }
    }
    p = rq + 1;
    static const uint8_t after[] = { EL_AK_STATUS, EL_AK_RESPONSE_LENGTH, EL_AK_REQUEST_ID,
                                     EL_AK_EXT_REQUEST_ID };
    for (size_t i = 0; i < EL_ARRAY_LEN(after); i++) {
        if (p == end || *p != ' ') {
            if (i < 3) {
                el_diag_set(diag, EL_ERR_PARSE, after[i], (size_t)(p - line),
                            "CLF line ends before its request id");
                return EL_COLLECT_BAD;
            }
            break;
        }
        const char *q = el_find_byte(p + 1, end, ' ');
        if (q == p + 1 || p[1] == '"') {
            if (i >= 3)
                break; /* no extendedRequestId; what follows is the user's */
            el_diag_set(diag, EL_ERR_PARSE, after[i], (size_t)(p + 1 - line),
                        "CLF line without a request id after the length");
            return EL_COLLECT_BAD;
        }
        p++;
        set_raw(slots, after[i], p, (size_t)(q - p));
        p = q;
    }
    return EL_COLLECT_OK; /* fields a user appended to the preset are ignored */

bad_request:
    el_diag_set(diag, EL_ERR_PARSE, EL_AK_HTTP_METHOD, (size_t)(p - line),
                "CLF request not in double quotes");
    return EL_COLLECT_BAD;
}

#define CSV_MAX_FIELDS 24

/* The CSV preset: REST "ip,caller,user,time,..." or HTTP "ip,time,...". The
 * requestTime field anchors the layout. */
enum el_access_collect el_access_collect_csv(const char *line, const char *p, const char *end,
                                             struct el_access_slot *slots,
                                             struct el_diag *diag)
{
    const char *f[CSV_MAX_FIELDS];
    size_t fl[CSV_MAX_FIELDS], nf = 0;

    for (const char *s = p;; ) {
        const char *c = el_find_byte(s, end, ',');
        f[nf] = s;
        fl[nf++] = (size_t)(c - s);
        if (c == end || nf == CSV_MAX_FIELDS)
            break; /* fields past the cap are ignored */
        s = c + 1;
    }
    if (nf < 7)
        return EL_COLLECT_NOMATCH;
#define FLEN(i) (fl[i])
    size_t t = 0;
    for (size_t i = 1; i <= 3 && i < nf; i++)
        if (el_looks_like_clf_time(f[i], FLEN(i))) {
            t = i;
            break;
        }
    if (!t || nf < t + 7)
        return EL_COLLECT_NOMATCH;
    size_t proto = t + 3; /* the protocol follows the middle, which may hold commas */
    for (size_t i = t + 3; i + 3 < nf; i++)
        if (FLEN(i) >= 5 && memcmp(f[i], "HTTP/", 5) == 0) {
            proto = i;
            break;
        }
    if (proto + 3 >= nf) {
        el_diag_set(diag, EL_ERR_PARSE, EL_AK_REQUEST_ID, (size_t)(end - line),
                    "CSV line ends before its request id");
        return EL_COLLECT_BAD;
    }
    set_raw(slots, EL_AK_IP, f[0], FLEN(0));
    set_raw(slots, EL_AK_REQUEST_TIME, f[t], FLEN(t));
    set_raw(slots, EL_AK_HTTP_METHOD, f[t + 1], FLEN(t + 1));
    set_middle(slots, f[t + 2], (size_t)(f[proto - 1] + fl[proto - 1] - f[t + 2]));
    set_raw(slots, EL_AK_PROTOCOL, f[proto], FLEN(proto));
    set_raw(slots, EL_AK_STATUS, f[proto + 1], FLEN(proto + 1));
    set_raw(slots, EL_AK_RESPONSE_LENGTH, f[proto + 2], FLEN(proto + 2));
    set_raw(slots, EL_AK_REQUEST_ID, f[proto + 3], FLEN(proto + 3));
    if (proto + 4 < nf)
        set_raw(slots, EL_AK_EXT_REQUEST_ID, f[proto + 4], FLEN(proto + 4));
#undef FLEN
    return EL_COLLECT_OK;
}

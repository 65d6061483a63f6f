/* alb.c: AWS Application Load Balancer access log lines.
 *
 * Grammar (docs: ../docs/RECORD.md, reference log-formats.md section 1):
 *   line   = field *( SP field )          ; runs of spaces are tolerated
 *   field  = bare / DQUOTE *qchar DQUOTE  ; ALB writes '"' as \x22 and '\' as
 *                                         ; \x5c, so the next '"' ends a field
 *    0 type  1 time  2 elb  3 client:port  4 target:port|-
 *    5 request_processing_time  6 target_processing_time
 *    7 response_processing_time            ; seconds, "-1" = not measured
 *    8 elb_status_code|-  9 target_status_code|-  10 received_bytes
 *   11 sent_bytes  12 "request"  13 "user_agent"  14 ssl_cipher
 *   15 ssl_protocol  16 target_group_arn|-  17 "trace_id"  18 "domain_name"
 *   19 "chosen_cert_arn"  20 matched_rule_priority  21 request_creation_time
 *   22 "actions_executed"  23 "redirect_url"  24 "error_reason"
 *   25 "target:port_list"  26 "target_status_code_list"  27 "classification"
 *   28 "classification_reason"  29 conn_trace_id (unquoted, 2024-)
 *   30 "transformed_host"  31 "transformed_uri"
 *   32 "request_transform_status" (2025-)  33.. unknown, ignored
 * Lines of every length that ever shipped are accepted: 18, 20, 23, 25, 27,
 * 29 fields, and 30 or more. "-" (quoted or not) means absent.
 *
 * Lines that share buckets with ALB logs but are not requests (NLB "tls 2.0"
 * lines, Classic ELB and ALB connection-log lines that start with a
 * timestamp, the ELBAccessLogTestFile text) return EL_SKIP with their kind.
 *
 * Fields are views into the line, except where \xHH escapes had to be
 * decoded or the route was templated: those live in the parser's scratch
 * buffer, reset on every call.
 */
#include <string.h>

#include "parsers_int.h"

#define MAX_TOKENS 40
#define ROUTE_CAP 4096

enum {
    F_TYPE, F_TIME, F_ELB, F_CLIENT, F_TARGET, F_REQ_T, F_TGT_T, F_RESP_T, F_ELB_STATUS,
    F_TGT_STATUS, F_RECV, F_SENT, F_REQUEST, F_UA, F_CIPHER, F_PROTO, F_TG_ARN, F_TRACE,
    F_DOMAIN, F_CERT, F_PRIORITY, F_CREATED, F_ACTIONS, F_REDIRECT, F_ERROR_REASON,
    F_TARGET_LIST, F_TGT_STATUS_LIST, F_CLASS, F_CLASS_REASON, F_CONN_TRACE,
};

struct tok {
    const char *p;
    uint32_t n;
    bool quoted;
};

struct el_parser {
    struct el_scratch scratch; /* decoded escapes; reset per line */
    struct el_iso_cache iso;   /* the time field's date, converted once a day */
    char route[ROUTE_CAP];
};

static enum el_err alb_create(struct el_parser **out)
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

static void alb_destroy(struct el_parser *p)
{
    if (!p)
        return;
    el_scratch_fini(&p->scratch);
    el_free(p);
}

/* Splits the line into tokens. Returns the count, or -1 for an unterminated
 * quote. Tokens past MAX_TOKENS are unknown trailing fields: ignored. */
static int tokenize(const char *s, size_t len, struct tok *t, int max, size_t *bad_off)
{
    const char *p = s, *end = s + len;
    int n = 0;

    while (p < end && n < max) {
        /* One space separates fields (skipped below); runs are tolerated. */
        if (EL_UNLIKELY(*p == ' '))
            while (*p == ' ')
                if (++p == end)
                    return n;
        if (*p == '"') {
            const char *q = el_find_byte(p + 1, end, '"');
            if (q == end) {
                *bad_off = (size_t)(p - s);
                return -1;
            }
            t[n++] = (struct tok){ p + 1, (uint32_t)(q - p - 1), true };
            p = q + 1;
            /* A closing quote glued to more text has been seen in hand-edited
             * fixtures; the extra text belongs to no field. */
            if (p < end && *p != ' ')
                p = el_find_byte(p, end, ' ');
        } else {
            const char *q = el_find_byte(p, end, ' ');
            t[n++] = (struct tok){ p, (uint32_t)(q - p), false };
            p = q;
        }
        p += p < end; /* p is at the space after the field, or at the end */
    }
    return n;
}

static inline struct el_str tstr(const struct tok *t)
{
    return (struct el_str){ t->p, t->n };
}

static inline bool is_dash(const struct tok *t)
{
    return t->n == 1 && t->p[0] == '-';
}

static inline struct el_str opt_str(const struct tok *t)
{
    return is_dash(t) || t->n == 0 ? (struct el_str){ NULL, 0 } : tstr(t);
}

/* \xHH decoding into scratch. ALB escapes '"', '\' and every non-ASCII byte
 * this way; a backslash is never a generic escape, so "\q" stays "\q". */
static struct el_str decode(struct el_parser *ps, struct el_str v)
{
    if (!v.n || !memchr(v.p, '\\', v.n))
        return v;
    char *o = el_scratch_room(&ps->scratch, v.n), *start = o;
    if (!o)
        return v; /* alb_parse sized scratch to the line; keep raw if it could not */
    for (size_t i = 0; i < v.n; i++) {
        if (v.p[i] == '\\' && i + 3 < v.n && v.p[i + 1] == 'x' && el_isxdigit(v.p[i + 2]) &&
            el_isxdigit(v.p[i + 3])) {
            *o++ = (char)(el_xval(v.p[i + 2]) << 4 | el_xval(v.p[i + 3]));
            i += 3;
        } else {
            *o++ = v.p[i];
        }
    }
    return el_scratch_commit(&ps->scratch, start, (size_t)(o - start));
}

/* "addr:port" with the port after the LAST colon, since ALB writes IPv6
 * addresses without brackets; "[addr]:port" is accepted too. */
static bool split_host_port(struct el_str v, struct el_str *ip, uint16_t *port)
{
    const char *c = NULL;
    for (size_t i = v.n; i-- > 0;) {
        if (v.p[i] == ':') {
            c = v.p + i;
            break;
        }
    }
    if (!c || c == v.p)
        return false;
    uint64_t pv;
    struct el_str ps = { c + 1, (size_t)(v.p + v.n - c - 1) };
    if (el_scan_u64(ps, 65535, &pv) != EL_OK)
        return false;
    struct el_str a = { v.p, (size_t)(c - v.p) };
    if (a.n >= 2 && a.p[0] == '[' && a.p[a.n - 1] == ']') {
        a.p++;
        a.n -= 2;
    }
    *ip = a;
    *port = (uint16_t)pv;
    return true;
}

/* "METHOD URL VERSION": the method ends at the first space and the version
 * starts after the last one, because the URL itself may hold raw spaces
 * (classification SpaceInUri). Malformed requests appear as "- - -" and
 * "- http://host:80- -". */
static void split_request(struct el_parser *ps, struct el_str req, struct el_record *r)
{
    const char *sp1 = memchr(req.p, ' ', req.n);
    if (!sp1) {
        r->method = (req.n && !(req.n == 1 && req.p[0] == '-')) ? req : (struct el_str){ 0 };
        return;
    }
    const char *sp2 = req.p + req.n;
    while (sp2 > sp1 && sp2[-1] != ' ')
        sp2--;
    sp2--; /* the last space; equals sp1 when there are only two words */
    struct el_str m = { req.p, (size_t)(sp1 - req.p) };
    struct el_str url, ver;
    if (sp2 > sp1) {
        url = (struct el_str){ sp1 + 1, (size_t)(sp2 - sp1 - 1) };
        ver = (struct el_str){ sp2 + 1, (size_t)(req.p + req.n - sp2 - 1) };
    } else {
        url = (struct el_str){ sp1 + 1, (size_t)(req.p + req.n - sp1 - 1) };
        ver = (struct el_str){ 0 };
    }
    if (!(m.n == 1 && m.p[0] == '-'))
        r->method = m;
    if (ver.n && !(ver.n == 1 && ver.p[0] == '-'))
        r->protocol = ver;

    /* URL: [scheme "://" authority] path ["?" query] */
    const char *p = url.p, *end = url.p + url.n;
    if (url.n == 0 || (url.n == 1 && url.p[0] == '-'))
        return;
    const char *colon = p;
    while (colon < end && (el_isalnum(*colon) || *colon == '+' || *colon == '-' || *colon == '.'))
        colon++;
    if (colon > p && end - colon >= 3 && colon[0] == ':' && colon[1] == '/' && colon[2] == '/') {
        r->scheme = (struct el_str){ p, (size_t)(colon - p) };
        const char *a = colon + 3, *h_end;
        /* the first '/', '?' or '#': '#' never reaches a load balancer
         * from a browser, so look for it only before the first of the others */
        const char *auth_end = el_find_byte2(a, end, '/', '?');
        const char *hash = memchr(a, '#', (size_t)(auth_end - a));
        if (EL_UNLIKELY(hash != NULL))
            auth_end = hash;
        if (a < auth_end && *a == '[') {
            const char *rb = memchr(a, ']', (size_t)(auth_end - a));
            h_end = rb ? rb + 1 : auth_end;
        } else {
            const char *pc = memchr(a, ':', (size_t)(auth_end - a));
            h_end = pc ? pc : auth_end;
        }
        if (h_end > a)
            r->host = (struct el_str){ a, (size_t)(h_end - a) };
        p = auth_end;
    }
    if (p < end && *p == '/') {
        const char *q = memchr(p, '?', (size_t)(end - p));
        r->path = (struct el_str){ p, (size_t)((q ? q : end) - p) };
        r->route = el_route_template_view(r->path, ps->route, sizeof(ps->route));
        r->route_from = EL_ROUTE_AUTO;
    } else if (r->method.n && r->host.n && (p == end || *p == '?')) {
        /* "GET https://example.com HTTP/2.0": no path written means "/". */
        r->path = r->route = EL_STR_LIT("/");
        r->route_from = EL_ROUTE_AUTO;
    }
}

static bool known_length(int n)
{
    return n >= 30 || n == 29 || n == 27 || n == 25 || n == 23 || n == 20 || n == 18;
}

static bool is_type(struct el_str t)
{
    const char *p = t.p;
    switch (t.n) {
    case 2: return (p[0] == 'h' && p[1] == '2') || (p[0] == 'w' && p[1] == 's');
    case 3: return p[0] == 'w' && p[1] == 's' && p[2] == 's';
    case 4: return memcmp(p, "http", 4) == 0;
    case 5: return memcmp(p, "https", 5) == 0 || memcmp(p, "grpcs", 5) == 0;
    default: return false;
    }
}

static bool all_digits(struct el_str s)
{
    if (!s.n)
        return false;
    for (size_t i = 0; i < s.n; i++)
        if (!el_isdigit(s.p[i]))
            return false;
    return true;
}

/* Lines that are not ALB requests but live in the same buckets. Returns the
 * kind, or NULL for "treat as an ALB line". */
static const char *foreign_kind(const struct tok *t, int n, const char *line, size_t len)
{
    int64_t ts;
    if (len >= 25 && memcmp(line, "Enable AccessLog for ELB:", 25) == 0)
        return "alb test-file line";
    if (n >= 2 && el_str_eq(tstr(&t[0]), "tls") && !t[1].quoted && t[1].n && el_isdigit(t[1].p[0]))
        return "nlb access log line";
    if (n >= 3 && el_scan_iso8601_us(tstr(&t[0]), &ts) == EL_OK)
        return all_digits(tstr(&t[2])) ? "alb connection log line" : "classic elb line";
    return NULL;
}

/* Optional seconds field: absent on "-1" (not measured) or "-". */
static enum el_err secs_field(const struct tok *t, int64_t *us, bool *have)
{
    *have = false;
    if (is_dash(t))
        return EL_OK;
    enum el_err rc = el_scan_secs_us(tstr(t), us);
    if (rc != EL_OK)
        return rc;
    if (*us < 0) {
        if (*us != -1000000)
            return EL_ERR_RANGE;
        return EL_OK;
    }
    *have = true;
    return EL_OK;
}

static enum el_err status_field(const struct tok *t, uint16_t *out, bool *have)
{
    uint64_t v;
    *have = false;
    if (is_dash(t) || t->n == 0)
        return EL_OK;
    enum el_err rc = el_scan_u64(tstr(t), 999, &v);
    if (rc != EL_OK)
        return rc;
    if (v < 100)
        return EL_ERR_RANGE;
    *out = (uint16_t)v;
    *have = true;
    return EL_OK;
}

static enum el_err bytes_field(const struct tok *t, uint64_t *out, bool *have)
{
    *have = false;
    if (is_dash(t))
        return EL_OK;
    enum el_err rc = el_scan_u64(tstr(t), UINT64_MAX / 4, out);
    if (rc == EL_OK)
        *have = true;
    return rc;
}

static enum el_err alb_parse(struct el_parser *ps, const char *line, size_t len,
                             struct el_record *r, struct el_diag *diag)
{
    struct tok t[MAX_TOKENS];
    size_t bad = 0;
    int n = tokenize(line, len, t, MAX_TOKENS, &bad);

    el_scratch_reset(&ps->scratch, len);
    if (n < 0) {
        const char *kind = foreign_kind(t, 0, line, len);
        if (kind)
            return el_diag_set(diag, EL_SKIP, 0, 0, kind);
        return el_diag_set(diag, EL_ERR_PARSE, 0, bad, "unterminated quoted field");
    }
    if (n == 0)
        return el_diag_set(diag, EL_ERR_PARSE, 0, 0, "empty line");
    if (EL_UNLIKELY(!is_type(tstr(&t[F_TYPE])))) {
        const char *kind = foreign_kind(t, n, line, len);
        if (kind)
            return el_diag_set(diag, EL_SKIP, 0, 0, kind);
        /* "Ignore any other values" says the ALB guide: a new type with the
         * right shape is still a request, so only reject a lowercase-word
         * mismatch when the rest does not look like ALB either. */
        if (n < 18 || t[0].quoted || t[0].n > 8)
            return el_diag_set(diag, EL_ERR_PARSE, 0, 0, "not an ALB access log line");
    }
    if (!known_length(n))
        return el_diag_set(diag, EL_ERR_PARSE, (unsigned)n, len,
                           n < 18 ? "too few fields for an ALB line"
                                  : "field count matches no ALB layout");

    *r = (struct el_record){ .src = EL_SRC_ALB, .type = tstr(&t[F_TYPE]) };
    enum el_err rc;
    bool have;
    unsigned f;

    f = F_TIME;
    if ((rc = el_scan_iso8601_us_cached(tstr(&t[f]), &ps->iso, &r->time_us)) != EL_OK)
        goto bad_field;
    r->flags |= EL_REC_HAS_TIME;

    f = F_CLIENT;
    if (!split_host_port(tstr(&t[f]), &r->client_ip, &r->client_port)) {
        rc = EL_ERR_PARSE;
        goto bad_field;
    }
    r->flags |= EL_REC_HAS_CLIENT_PORT;
    r->target = opt_str(&t[F_TARGET]);

    int64_t rq, tg, rs;
    bool h_rq, h_tg, h_rs;
    f = F_REQ_T;
    if ((rc = secs_field(&t[f], &rq, &h_rq)) != EL_OK)
        goto bad_field;
    f = F_TGT_T;
    if ((rc = secs_field(&t[f], &tg, &h_tg)) != EL_OK)
        goto bad_field;
    f = F_RESP_T;
    if ((rc = secs_field(&t[f], &rs, &h_rs)) != EL_OK)
        goto bad_field;
    if (h_rq && h_tg && h_rs) {
        r->latency_us = rq + tg + rs;
        r->flags |= EL_REC_HAS_LATENCY;
    }
    if (h_tg) {
        r->backend_us = tg;
        r->flags |= EL_REC_HAS_BACKEND;
    }
    if (h_rq && h_rs) {
        r->overhead_us = rq + rs;
        r->flags |= EL_REC_HAS_OVERHEAD;
    }

    f = F_ELB_STATUS;
    if ((rc = status_field(&t[f], &r->status, &have)) != EL_OK)
        goto bad_field;
    if (have)
        r->flags |= EL_REC_HAS_STATUS;
    f = F_TGT_STATUS;
    if ((rc = status_field(&t[f], &r->backend_status, &have)) != EL_OK)
        goto bad_field;
    if (have)
        r->flags |= EL_REC_HAS_BACKEND_STATUS;
    f = F_RECV;
    if ((rc = bytes_field(&t[f], &r->bytes_in, &have)) != EL_OK)
        goto bad_field;
    if (have)
        r->flags |= EL_REC_HAS_BYTES_IN;
    f = F_SENT;
    if ((rc = bytes_field(&t[f], &r->bytes_out, &have)) != EL_OK)
        goto bad_field;
    if (have)
        r->flags |= EL_REC_HAS_BYTES_OUT;

    f = F_REQUEST;
    if (!t[f].quoted) {
        rc = EL_ERR_PARSE;
        goto bad_field;
    }
    split_request(ps, decode(ps, tstr(&t[f])), r);
    r->user_agent = opt_str(&t[F_UA]);
    r->user_agent = decode(ps, r->user_agent);
    r->target_group = opt_str(&t[F_TG_ARN]);
    r->trace_id = opt_str(&t[F_TRACE]);
    if (n > F_ACTIONS)
        r->actions = opt_str(&t[F_ACTIONS]);
    if (n > F_ERROR_REASON)
        r->error_reason = opt_str(&t[F_ERROR_REASON]);
    if (n > F_CONN_TRACE)
        r->conn_id = opt_str(&t[F_CONN_TRACE]);
    return EL_OK;

bad_field: {
    static const char *const what[] = {
        [F_TIME] = "bad time",
        [F_CLIENT] = "bad client:port",
        [F_REQ_T] = "bad request_processing_time",
        [F_TGT_T] = "bad target_processing_time",
        [F_RESP_T] = "bad response_processing_time",
        [F_ELB_STATUS] = "bad elb_status_code",
        [F_TGT_STATUS] = "bad target_status_code",
        [F_RECV] = "bad received_bytes",
        [F_SENT] = "bad sent_bytes",
        [F_REQUEST] = "request field not quoted",
    };
    return el_diag_set(diag, rc == EL_ERR_RANGE ? EL_ERR_RANGE : EL_ERR_PARSE, f,
                       (size_t)(t[f].p - line), what[f] ? what[f] : "bad field");
}
}

/* Sniffing: the first token is an ALB type and the second an ISO time, the
 * third an "app/..." load balancer name. Foreign-but-related lines (NLB,
 * connection logs) score low, so a file of only those still goes to this
 * parser and is counted by kind rather than rejected. */
static int alb_sniff(const struct el_str *lines, size_t n)
{
    int best = 0;
    for (size_t i = 0; i < n; i++) {
        struct tok t[4];
        size_t bad;
        const char *s = lines[i].p;
        size_t len = lines[i].n;
        /* tokenize only the first few fields: cap the view */
        int nt = tokenize(s, len, t, (int)EL_ARRAY_LEN(t), &bad);
        int64_t ts;
        int score = 0;
        if (nt >= 3 && is_type(tstr(&t[0])) && el_scan_iso8601_us(tstr(&t[1]), &ts) == EL_OK)
            score = el_str_has_prefix(tstr(&t[2]), "app/") ? 100 : 80;
        else if (nt > 0 && foreign_kind(t, nt, s, len))
            score = 40;
        if (score > best)
            best = score;
    }
    return best;
}

const struct el_parser_ops el_parser_alb = {
    .name = "alb",
    .summary = "AWS Application Load Balancer access log (every layout, 2016 to today)",
    .sniff = alb_sniff,
    .create = alb_create,
    .parse = alb_parse,
    .destroy = alb_destroy,
};

/* filter.c: the record filters behind --since, --until, --source, --host,
 * --method, --status, --path and --route.
 *
 * All the work with the user's strings happens once, in el_filter_create:
 * times become microseconds, sources a bit mask, statuses a bitmap, lists
 * private copies, and the path pattern compiled (JIT when the platform allows)
 * with its match data. el_filter_match then only compares integers and bytes
 * and runs the compiled pattern, so it allocates nothing per record. It does
 * not know argv or print: bad values come back as EL_ERR_USAGE plus a message.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "analysis_int.h"

/* HTTP status codes are three digits, 100..599 (RFC 9110 section 15). */
#define STATUS_MIN 100
#define STATUS_MAX 599

/* A comma list as views into one private block, right after the array. */
struct list {
    struct el_str *item;
    size_t n; /* 0: not a filter */
};

struct el_filter {
    bool has_since, has_until;
    int64_t since_us; /* inclusive */
    int64_t until_us; /* exclusive */
    uint32_t sources; /* bit (1u << enum el_src); 0: not a filter */
    bool has_status;
    uint64_t status_bits[(STATUS_MAX + 64) / 64];
    struct list hosts, methods, routes;
    struct el_regex rx; /* rx.re NULL: no --path */
};

__attribute__((format(printf, 3, 4))) static enum el_err usage(char *err, size_t errlen,
                                                               const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return EL_ERR_USAGE;
}

static char lower(char c)
{
    return (unsigned)(c - 'A') < 26u ? (char)(c + ('a' - 'A')) : c;
}

/* ASCII only: hosts and methods are ASCII on the wire, and tolower() would
 * make the result depend on the locale. */
static bool eq_nocase(struct el_str a, struct el_str b)
{
    if (a.n != b.n)
        return false;
    for (size_t i = 0; i < a.n; i++)
        if (lower(a.p[i]) != lower(b.p[i]))
            return false;
    return true;
}

static bool eq_exact(struct el_str a, struct el_str b)
{
    return a.n == b.n && memcmp(a.p, b.p, a.n) == 0;
}

/* ---- lists ---------------------------------------------------------------- */

/* Next item of a comma list: [*pp, comma or end), without surrounding blanks,
 * so "alb, apigw-rest" reads as the shell user meant it. Advances *pp past
 * the comma; returns false at the end of the list. */
static bool next_item(const char **pp, bool *done, struct el_str *out)
{
    if (*done)
        return false;
    const char *p = *pp;
    const char *comma = strchr(p, ',');
    const char *end = comma ? comma : p + strlen(p);
    const char *b = p, *e = end;
    while (b < e && (*b == ' ' || *b == '\t'))
        b++;
    while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
        e--;
    *out = (struct el_str){ b, (size_t)(e - b) };
    *pp = comma ? comma + 1 : end;
    *done = comma == NULL;
    return true;
}

/* Copies a comma list into one allocation (the caller's string may go away).
 * An empty item ("a,,b", "", "a,") is a usage error: it would otherwise match
 * nothing, silently. */
static enum el_err parse_list(const char *opt, const char *value, struct list *out, char *err,
                              size_t errlen)
{
    size_t n = 0;
    const char *p = value;
    bool done = false;
    struct el_str it;
    while (next_item(&p, &done, &it)) {
        if (it.n == 0)
            return usage(err, errlen, "%s: empty item in '%s'", opt, value);
        n++;
    }

    size_t len = strlen(value);
    struct el_str *item = el_malloc(n * sizeof(*item) + len);
    if (!item)
        return EL_ERR_NOMEM;
    char *text = (char *)(item + n);
    memcpy(text, value, len);
    p = value;
    done = false;
    for (size_t i = 0; next_item(&p, &done, &it); i++)
        item[i] = (struct el_str){ text + (it.p - value), it.n };
    out->item = item;
    out->n = n;
    return EL_OK;
}

static bool in_list(const struct list *l, struct el_str s, bool nocase)
{
    for (size_t i = 0; i < l->n; i++)
        if (nocase ? eq_nocase(l->item[i], s) : eq_exact(l->item[i], s))
            return true;
    return false;
}

/* ---- sources and statuses -------------------------------------------------- */

static enum el_err parse_sources(const char *value, uint32_t *out, char *err, size_t errlen)
{
    uint32_t mask = 0;
    const char *p = value;
    bool done = false;
    struct el_str it;
    while (next_item(&p, &done, &it)) {
        bool found = false;
        for (int s = EL_SRC_UNKNOWN + 1; s < EL_SRC_COUNT && !found; s++) {
            const char *name = el_src_name((enum el_src)s);
            if (eq_nocase(it, (struct el_str){ name, strlen(name) })) {
                mask |= 1u << s;
                found = true;
            }
        }
        if (!found) {
            char valid[128];
            size_t o = 0;
            valid[0] = '\0';
            for (int s = EL_SRC_UNKNOWN + 1; s < EL_SRC_COUNT; s++) {
                int w = snprintf(valid + o, sizeof(valid) - o, "%s%s", o ? ", " : "",
                                 el_src_name((enum el_src)s));
                if (w < 0 || (size_t)w >= sizeof(valid) - o)
                    break;
                o += (size_t)w;
            }
            if (it.n == 0)
                return usage(err, errlen, "--source: empty item in '%s' (valid: %s)", value, valid);
            return usage(err, errlen, "--source: unknown source '%.*s' (valid: %s)", (int)it.n,
                         it.p, valid);
        }
    }
    *out = mask;
    return EL_OK;
}

/* "404" sets one bit, "5xx" (or "5XX") the hundred bits of its class. */
static enum el_err parse_statuses(const char *value, uint64_t *bits, char *err, size_t errlen)
{
    const char *p = value;
    bool done = false;
    struct el_str it;
    while (next_item(&p, &done, &it)) {
        unsigned code = 0, lo = 0, hi = 0;
        bool ok = false;
        if (it.n == 0)
            return usage(err, errlen, "--status: empty item in '%s'", value);
        if (it.n == 3 && el_isdigit(it.p[0])) {
            if ((it.p[1] | 0x20) == 'x' && (it.p[2] | 0x20) == 'x') {
                lo = (unsigned)(it.p[0] - '0') * 100;
                hi = lo + 99;
                ok = lo >= STATUS_MIN && hi <= STATUS_MAX;
            } else if (el_scan_fixed_digits(it.p, 3, &code)) {
                lo = hi = code;
                ok = code >= STATUS_MIN && code <= STATUS_MAX;
            }
        }
        if (!ok)
            return usage(err, errlen,
                         "--status: invalid status '%.*s' (want a code 100-599 such as 404, "
                         "or a class 1xx-5xx)",
                         (int)it.n, it.p);
        for (unsigned c = lo; c <= hi; c++)
            bits[c / 64] |= (uint64_t)1 << (c % 64);
    }
    return EL_OK;
}

/* ---- times ----------------------------------------------------------------- */

/* Accepted forms, all UTC:
 *   2026-03-10T17:30:00Z, 2026-03-10T17:30:00.5Z, either without the Z,
 *   2026-03-10 (midnight), and N followed by s, m, h or d (now_us minus N of
 *   that unit).
 * The absolute forms are rewritten into the one layout el_scan_iso8601_us
 * reads, so the calendar checks live in one place. */
static enum el_err parse_time(const char *s, int64_t now_us, int64_t *out)
{
    static const struct {
        char unit;
        int64_t us;
    } units[] = {
        { 's', 1000000 },
        { 'm', 60 * (int64_t)1000000 },
        { 'h', 3600 * (int64_t)1000000 },
        { 'd', 86400 * (int64_t)1000000 },
    };
    size_t n = strlen(s);
    if (n == 0)
        return EL_ERR_PARSE;

    for (size_t u = 0; u < EL_ARRAY_LEN(units); u++) {
        if (n >= 2 && s[n - 1] == units[u].unit && el_isdigit(s[0])) {
            uint64_t k;
            enum el_err rc =
                el_scan_u64((struct el_str){ s, n - 1 }, (uint64_t)(INT64_MAX / units[u].us), &k);
            if (rc != EL_OK)
                return rc;
            int64_t d = (int64_t)k * units[u].us;
            if (now_us < INT64_MIN + d)
                return EL_ERR_RANGE;
            *out = now_us - d;
            return EL_OK;
        }
    }

    /* Longest useful form: 19 + '.' + a long fraction + 'Z'. Fractions past
     * microseconds are truncated anyway; 64 bytes leaves room for 40 digits. */
    char buf[64];
    if (n == 10) {
        memcpy(buf, s, 10);
        memcpy(buf + 10, "T00:00:00Z", 10);
        n = 20;
    } else if (n >= 19 && n < sizeof(buf) - 1) {
        memcpy(buf, s, n);
        if (s[n - 1] != 'Z')
            buf[n++] = 'Z';
    } else {
        return EL_ERR_PARSE;
    }
    return el_scan_iso8601_us((struct el_str){ buf, n }, out);
}

static enum el_err time_opt(const char *opt, const char *value, int64_t now_us, int64_t *out,
                            char *err, size_t errlen)
{
    if (parse_time(value, now_us, out) == EL_OK)
        return EL_OK;
    return usage(err, errlen,
                 "%s: invalid time '%s' (want 2026-03-10T17:30:00Z, 2026-03-10 or a time "
                 "before now such as 90s, 15m, 24h, 7d)",
                 opt, value);
}

/* ---- path pattern ---------------------------------------------------------- */

static enum el_err compile_path(struct el_filter *f, const char *pattern, char *err, size_t errlen)
{
    char msg[300];
    enum el_err rc = el_regex_compile(&f->rx, pattern, strlen(pattern), msg, sizeof(msg));
    if (rc == EL_ERR_PARSE)
        return usage(err, errlen, "--path: invalid pattern '%s': %s", pattern, msg);
    return rc;
}

/* ---- create / destroy ------------------------------------------------------ */

void el_filter_destroy(struct el_filter *f)
{
    if (!f)
        return;
    el_regex_free(&f->rx);
    el_free(f->hosts.item);
    el_free(f->methods.item);
    el_free(f->routes.item);
    el_free(f);
}

static enum el_err build(struct el_filter *f, const struct el_filter_opts *o, char *err,
                         size_t errlen)
{
    enum el_err rc;
    if (o->since && (rc = time_opt("--since", o->since, o->now_us, &f->since_us, err, errlen)))
        return rc;
    if (o->until && (rc = time_opt("--until", o->until, o->now_us, &f->until_us, err, errlen)))
        return rc;
    f->has_since = o->since != NULL;
    f->has_until = o->until != NULL;
    if (f->has_since && f->has_until && f->since_us >= f->until_us) {
        char a[EL_ISO_BUF], b[EL_ISO_BUF];
        el_fmt_iso8601_us(f->since_us, a);
        el_fmt_iso8601_us(f->until_us, b);
        return usage(err, errlen, "--since '%s' (%s) is not before --until '%s' (%s)", o->since, a,
                     o->until, b);
    }
    if (o->sources && (rc = parse_sources(o->sources, &f->sources, err, errlen)))
        return rc;
    if (o->hosts && (rc = parse_list("--host", o->hosts, &f->hosts, err, errlen)))
        return rc;
    if (o->methods && (rc = parse_list("--method", o->methods, &f->methods, err, errlen)))
        return rc;
    if (o->statuses && (rc = parse_statuses(o->statuses, f->status_bits, err, errlen)))
        return rc;
    f->has_status = o->statuses != NULL;
    if (o->path && (rc = compile_path(f, o->path, err, errlen)))
        return rc;
    if (o->routes && (rc = parse_list("--route", o->routes, &f->routes, err, errlen)))
        return rc;
    return EL_OK;
}

enum el_err el_filter_create(const struct el_filter_opts *opts, struct el_filter **out, char *err,
                             size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    if (!opts || !(opts->since || opts->until || opts->sources || opts->hosts || opts->methods ||
                   opts->statuses || opts->path || opts->routes)) {
        *out = NULL;
        return EL_OK;
    }
    struct el_filter *f = el_calloc(1, sizeof(*f));
    if (!f)
        return EL_ERR_NOMEM;
    enum el_err rc = build(f, opts, err, errlen);
    if (rc != EL_OK) {
        el_filter_destroy(f);
        return rc;
    }
    *out = f;
    return EL_OK;
}

/* ---- the hot path ---------------------------------------------------------- */

/* Cheapest tests first, the pattern last: most filters that reject a record
 * do so on time or status before any byte of the path is read. */
bool el_filter_match(struct el_filter *f, const struct el_record *r)
{
    if (!f)
        return true;
    if (f->has_since || f->has_until) {
        if (!el_rec_has(r, EL_REC_HAS_TIME))
            return false;
        /* since is inclusive and until exclusive, so consecutive windows
         * (--since A --until B, then --since B --until C) count every
         * record exactly once. */
        if (f->has_since && r->time_us < f->since_us)
            return false;
        if (f->has_until && r->time_us >= f->until_us)
            return false;
    }
    if (f->sources && ((unsigned)r->src >= 32 || !(f->sources & (1u << r->src))))
        return false;
    if (f->has_status) {
        if (!el_rec_has(r, EL_REC_HAS_STATUS) || r->status > STATUS_MAX ||
            !(f->status_bits[r->status / 64] & ((uint64_t)1 << (r->status % 64))))
            return false;
    }
    /* An empty view is an absent field (parsers.h), and no list holds an
     * empty item, so in_list alone rejects records without the field. */
    if (f->methods.n && !in_list(&f->methods, r->method, true))
        return false;
    if (f->hosts.n && !in_list(&f->hosts, r->host, true))
        return false;
    if (f->routes.n && !in_list(&f->routes, r->route, false))
        return false;
    if (f->rx.re && (r->path.n == 0 || !el_regex_search(&f->rx, r->path.p, r->path.n, NULL)))
        return false;
    return true;
}

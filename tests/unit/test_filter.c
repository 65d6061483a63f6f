/* test_filter.c: unit tests for the record filters (analysis/filter.c).
 *
 * Records are built directly (no parser) from a base record that every
 * option accepts; each table row changes only what it is about. Paths are
 * guard-page copies (guard.h), so a pattern match reading past the view
 * faults. Times are pinned at their boundaries (one microsecond either side)
 * rather than read back, since the filter is opaque. PCRE2 allocates through
 * el_malloc here too, so the allocation tests cover it.
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

#define SEC ((int64_t)1000000)
#define T0 (1773163800 * SEC)   /* 2026-03-10T17:30:00Z */
#define DAY0 (1773100800 * SEC) /* 2026-03-10T00:00:00Z */
#define NOW T0                  /* "now" for relative times */

/* ---- records ------------------------------------------------------------------ */

enum { NO_TIME = 1, NO_STATUS = 2, UNKNOWN_SRC = 4 };

/* A record as a change to the base record: zero members keep the base value
 * (alb, T0, 200, GET api.example.com /orders/42, route /orders/{id}); ""
 * makes a string field absent (an empty view). */
struct rec_spec {
    enum el_src src;
    int64_t time_us;
    uint16_t status;
    const char *method, *host, *path, *route;
    size_t path_len; /* 0: strlen(path); set it for paths holding NUL bytes */
    unsigned drop;   /* NO_TIME, NO_STATUS, UNKNOWN_SRC */
};

static struct el_str S(const char *s) {
    return (struct el_str){ s, strlen(s) };
}

/* The path is a guard-page copy, valid until the next make_record. */
static struct el_record
make_record(const struct rec_spec *s)
{
    struct el_record r = { 0 };
    r.src = s->src ? s->src : EL_SRC_ALB;
    if (s->drop & UNKNOWN_SRC)
        r.src = EL_SRC_UNKNOWN;
    r.flags = EL_REC_HAS_TIME | EL_REC_HAS_STATUS | EL_REC_HAS_LATENCY;
    if (s->drop & NO_TIME)
        r.flags &= ~(uint32_t)EL_REC_HAS_TIME;
    if (s->drop & NO_STATUS)
        r.flags &= ~(uint32_t)EL_REC_HAS_STATUS;
    r.time_us = s->time_us ? s->time_us : T0;
    r.status = s->status ? s->status : 200;
    r.method = S(s->method ? s->method : "GET");
    r.host = S(s->host ? s->host : "api.example.com");
    r.route = S(s->route ? s->route : "/orders/{id}");
    const char *path = s->path ? s->path : "/orders/42";
    size_t n = s->path_len ? s->path_len : strlen(path);
    r.path = n ? (struct el_str){ guard_copy(path, n), n } : (struct el_str){ 0 };
    return r;
}

/* ---- matching ----------------------------------------------------------------- */

struct match_case {
    const char *name;
    struct el_filter_opts opts;
    struct rec_spec rec;
    bool want;
};

/* Every option at once, each accepting the base record. */
#define ALL_OPTS                                                                                   \
    .since = "2026-03-10", .until = "2026-03-11", .sources = "alb", .hosts = "api.example.com",    \
    .methods = "GET", .statuses = "2xx", .path = "^/orders/\\d+$", .routes = "/orders/{id}"

static const struct match_case match_cases[] = {
    /* since: inclusive */
    { "since: record at the instant passes",
      { .since = "2026-03-10T17:30:00Z" },
      { .time_us = T0 },
      true },
    { "since: 1 us earlier fails",
      { .since = "2026-03-10T17:30:00Z" },
      { .time_us = T0 - 1 },
      false },
    { "since: a day later passes",
      { .since = "2026-03-10T17:30:00Z" },
      { .time_us = T0 + 86400 * SEC },
      true },
    { "since: record without time fails", { .since = "2026-03-10" }, { .drop = NO_TIME }, false },
    /* until: exclusive */
    { "until: record at the instant fails",
      { .until = "2026-03-10T17:30:00Z" },
      { .time_us = T0 },
      false },
    { "until: 1 us earlier passes",
      { .until = "2026-03-10T17:30:00Z" },
      { .time_us = T0 - 1 },
      true },
    { "until: record without time fails", { .until = "2030-01-01" }, { .drop = NO_TIME }, false },
    /* window */
    { "window: start is inside",
      { .since = "2026-03-10T17:00:00", .until = "2026-03-10T18:00:00" },
      { .time_us = T0 - 1800 * SEC },
      true },
    { "window: middle is inside",
      { .since = "2026-03-10T17:00:00", .until = "2026-03-10T18:00:00" },
      { .time_us = T0 },
      true },
    { "window: end is outside",
      { .since = "2026-03-10T17:00:00", .until = "2026-03-10T18:00:00" },
      { .time_us = T0 + 1800 * SEC },
      false },
    { "window: relative last hour",
      { .since = "1h", .until = "0s", .now_us = NOW },
      { .time_us = NOW - 3600 * SEC },
      true },
    { "window: relative, now itself is outside",
      { .since = "1h", .until = "0s", .now_us = NOW },
      { .time_us = NOW },
      false },
    { "window: relative, 1 us too old",
      { .since = "1h", .until = "0s", .now_us = NOW },
      { .time_us = NOW - 3600 * SEC - 1 },
      false },
    /* sources */
    { "source alb: alb passes", { .sources = "alb" }, { .src = EL_SRC_ALB }, true },
    { "source alb: apigw-rest fails", { .sources = "alb" }, { .src = EL_SRC_APIGW_REST }, false },
    { "source list: apigw-http passes",
      { .sources = "apigw-rest,apigw-http" },
      { .src = EL_SRC_APIGW_HTTP },
      true },
    { "source list: alb fails",
      { .sources = "apigw-rest,apigw-http" },
      { .src = EL_SRC_ALB },
      false },
    { "source list with blanks", { .sources = " apigw-rest , alb " }, { .src = EL_SRC_ALB }, true },
    { "source name in capitals", { .sources = "APIGW-REST" }, { .src = EL_SRC_APIGW_REST }, true },
    { "source: unknown source fails",
      { .sources = "alb,apigw-rest,apigw-http" },
      { .drop = UNKNOWN_SRC },
      false },
    /* hosts */
    { "host: exact passes", { .hosts = "api.example.com" }, { 0 }, true },
    { "host: case-insensitive", { .hosts = "API.Example.COM" }, { 0 }, true },
    { "host: record in capitals",
      { .hosts = "api.example.com" },
      { .host = "API.EXAMPLE.COM" },
      true },
    { "host: list with blanks", { .hosts = "www.example.com, api.example.com" }, { 0 }, true },
    { "host: other host fails", { .hosts = "www.example.com" }, { 0 }, false },
    { "host: prefix is not a match", { .hosts = "api.example.co" }, { 0 }, false },
    { "host: longer is not a match", { .hosts = "api.example.com.evil" }, { 0 }, false },
    { "host: absent fails", { .hosts = "api.example.com" }, { .host = "" }, false },
    /* methods */
    { "method: GET passes", { .methods = "GET" }, { 0 }, true },
    { "method: lower case passes", { .methods = "get" }, { 0 }, true },
    { "method: record in lower case", { .methods = "POST,GET" }, { .method = "get" }, true },
    { "method: list without GET fails", { .methods = "POST,PUT" }, { 0 }, false },
    { "method: prefix is not a match", { .methods = "GE" }, { 0 }, false },
    { "method: absent fails", { .methods = "GET" }, { .method = "" }, false },
    /* statuses */
    { "status: code passes", { .statuses = "200" }, { .status = 200 }, true },
    { "status: other code fails", { .statuses = "404" }, { .status = 200 }, false },
    { "status: 2xx passes 200", { .statuses = "2xx" }, { .status = 200 }, true },
    { "status: 2xx passes 299", { .statuses = "2xx" }, { .status = 299 }, true },
    { "status: 2xx fails 300", { .statuses = "2xx" }, { .status = 300 }, false },
    { "status: 2XX passes 204", { .statuses = "2XX" }, { .status = 204 }, true },
    { "status: 4xx,502 passes 404", { .statuses = "4xx,502" }, { .status = 404 }, true },
    { "status: 4xx,502 passes 502", { .statuses = "4xx,502" }, { .status = 502 }, true },
    { "status: 4xx,502 fails 500", { .statuses = "4xx,502" }, { .status = 500 }, false },
    { "status: 4xx,502 fails 200", { .statuses = "4xx,502" }, { .status = 200 }, false },
    { "status: 1xx passes 100", { .statuses = "1xx" }, { .status = 100 }, true },
    { "status: 5xx passes 599", { .statuses = "5xx" }, { .status = 599 }, true },
    { "status: out-of-range record code fails", { .statuses = "5xx" }, { .status = 600 }, false },
    { "status: record code 65535 fails", { .statuses = "5xx" }, { .status = 65535 }, false },
    { "status: ALB 460 in 4xx", { .statuses = "4xx" }, { .status = 460 }, true },
    { "status: absent fails", { .statuses = "2xx" }, { .drop = NO_STATUS }, false },
    /* path pattern */
    { "path: anchored pattern passes", { .path = "^/orders/[0-9]+$" }, { 0 }, true },
    { "path: anchored pattern fails",
      { .path = "^/orders/[0-9]+$" },
      { .path = "/orders/abc" },
      false },
    { "path: unanchored search", { .path = "ders" }, { 0 }, true },
    { "path: case-sensitive by default", { .path = "ORDERS" }, { 0 }, false },
    { "path: (?i) in the pattern", { .path = "(?i)ORDERS" }, { 0 }, true },
    { "path: empty pattern passes any path", { .path = "" }, { 0 }, true },
    { "path: empty pattern still needs a path", { .path = "" }, { .path = "" }, false },
    { "path: absent fails", { .path = "." }, { .path = "" }, false },
    { "path: $ is the end of the view", { .path = "/42$" }, { 0 }, true },
    { "path: search runs past a NUL",
      { .path = "b/c$" },
      { .path = "/a\0b/c", .path_len = 6 },
      true },
    { "path: \\x00 matches the NUL",
      { .path = "^/a\\x00b/c$" },
      { .path = "/a\0b/c", .path_len = 6 },
      true },
    { "path: dot matches the NUL",
      { .path = "^/a.b" },
      { .path = "/a\0b/c", .path_len = 6 },
      true },
    { "path: NUL is not the end", { .path = "^/a$" }, { .path = "/a\0b/c", .path_len = 6 }, false },
    { "path: trailing NUL is a byte", { .path = "/x$" }, { .path = "/x\0", .path_len = 3 }, false },
    { "path: high bytes are bytes (no UTF)",
      { .path = "^/caf\\xe9$" },
      { .path = "/caf\xe9" },
      true },
    { "path: without UTF a dot is a byte",
      { .path = "^/caf..$" },
      { .path = "/caf\xc3\xa9" },
      true },
    { "path: (*UTF) dot is a code point",
      { .path = "(*UTF)^/caf.$" },
      { .path = "/caf\xc3\xa9" },
      true },
    { "path: (*UTF) and a path not UTF-8", { .path = "(*UTF)caf" }, { .path = "/caf\xe9" }, false },
    { "path: one byte path", { .path = "^/$" }, { .path = "/" }, true },
    /* routes */
    { "route: exact passes", { .routes = "/orders/{id}" }, { 0 }, true },
    { "route: prefix fails", { .routes = "/orders" }, { 0 }, false },
    { "route: case-sensitive", { .routes = "/Orders/{id}" }, { 0 }, false },
    { "route: list passes", { .routes = "/users/{uuid},/orders/{id}" }, { 0 }, true },
    { "route: absent fails", { .routes = "/orders/{id}" }, { .route = "" }, false },
    /* all at once: each field in turn spoils the match */
    { "all: base record passes", { ALL_OPTS }, { 0 }, true },
    { "all: too early", { ALL_OPTS }, { .time_us = DAY0 - 1 }, false },
    { "all: too late", { ALL_OPTS }, { .time_us = DAY0 + 86400 * SEC }, false },
    { "all: last us of the day", { ALL_OPTS }, { .time_us = DAY0 + 86400 * SEC - 1 }, true },
    { "all: no time", { ALL_OPTS }, { .drop = NO_TIME }, false },
    { "all: other source", { ALL_OPTS }, { .src = EL_SRC_APIGW_HTTP }, false },
    { "all: other host", { ALL_OPTS }, { .host = "www.example.com" }, false },
    { "all: other method", { ALL_OPTS }, { .method = "POST" }, false },
    { "all: other status", { ALL_OPTS }, { .status = 503 }, false },
    { "all: no status", { ALL_OPTS }, { .drop = NO_STATUS }, false },
    { "all: other path", { ALL_OPTS }, { .path = "/orders/42/items" }, false },
    { "all: other route", { ALL_OPTS }, { .route = "/orders/{id}/items" }, false },
    { "all: other path and route",
      { ALL_OPTS },
      { .path = "/orders/7", .route = "/orders/{id}" },
      true },
};

/* One row; with NO_JIT the path pattern runs on PCRE2's interpreter, which
 * must give the JIT's answers. Returns the number of mismatches. */
static size_t check_match(const struct match_case *c, bool no_jit)
{
    struct el_filter_opts o = c->opts;
    char pattern[128];
    if (no_jit) {
        snprintf(pattern, sizeof(pattern), "(*NO_JIT)%s", c->opts.path);
        o.path = pattern;
    }
    const char *how = no_jit ? " (interpreter)" : "";
    struct el_filter *f = NULL;
    char err[256];
    enum el_err rc = el_filter_create(&o, &f, err, sizeof(err));
    if (rc != EL_OK || !f) {
        print_error("case '%s'%s: create rc %d (%s)\n", c->name, how, rc, err);
        el_filter_destroy(f);
        return 1;
    }
    struct el_record r = make_record(&c->rec);
    bool got = el_filter_match(f, &r);
    el_filter_destroy(f);
    if (got != c->want) {
        print_error("case '%s'%s: match %d, want %d\n", c->name, how, got, c->want);
        return 1;
    }
    return 0;
}

static void test_filter_match_cases(void **state)
{
    (void)state;
    size_t failed = 0;
    for (size_t i = 0; i < EL_ARRAY_LEN(match_cases); i++) {
        failed += check_match(&match_cases[i], false);
        if (match_cases[i].opts.path)
            failed += check_match(&match_cases[i], true);
    }
    if (failed)
        fail_msg("%zu checks of %zu cases failed (see above)", failed, EL_ARRAY_LEN(match_cases));
}

/* ---- time values ---------------------------------------------------------------- */

struct time_case {
    const char *name;
    const char *text;
    int64_t want_us; /* the instant the text names (with now = NOW) */
};

static const struct time_case time_cases[] = {
    { "Z, whole seconds", "2026-03-10T17:30:00Z", T0 },
    { "no Z", "2026-03-10T17:30:00", T0 },
    { "fraction and Z", "2026-03-10T17:30:00.5Z", T0 + 500000 },
    { "fraction without Z", "2026-03-10T17:30:00.123456", T0 + 123456 },
    { "digits past us truncated", "2026-03-10T17:30:00.1234569Z", T0 + 123456 },
    { "date is midnight UTC", "2026-03-10", DAY0 },
    { "leap day", "2024-02-29", 1709164800 * SEC },
    { "epoch", "1970-01-01T00:00:00Z", 0 },
    { "last second of 9999", "9999-12-31T23:59:59Z", 253402300799 * SEC },
    { "90s", "90s", NOW - 90 * SEC },
    { "15m", "15m", NOW - 15 * 60 * SEC },
    { "24h", "24h", NOW - 24 * 3600 * SEC },
    { "7d", "7d", NOW - 7 * 86400 * SEC },
    { "0s is now", "0s", NOW },
    { "leading zeros", "007m", NOW - 7 * 60 * SEC },
    { "36500d", "36500d", NOW - 36500 * (86400 * SEC) },
};

/* One filter with only OPT set to C->text; checks the record at want - 1 and
 * at want. Returns the number of mismatches. */
static size_t check_time(const struct time_case *c, bool until)
{
    struct el_filter_opts o = { .now_us = NOW };
    *(until ? &o.until : &o.since) = c->text;
    struct el_filter *f = NULL;
    char err[256];
    enum el_err rc = el_filter_create(&o, &f, err, sizeof(err));
    if (rc != EL_OK) {
        print_error("case '%s' as %s: create rc %d (%s)\n", c->name, until ? "until" : "since", rc,
                    err);
        return 1;
    }
    size_t failed = 0;
    struct el_record r = make_record(&(struct rec_spec){ 0 });
    r.time_us = c->want_us - 1;
    if (el_filter_match(f, &r) != until) {
        print_error("case '%s' as %s: want - 1 us %s\n", c->name, until ? "until" : "since",
                    until ? "rejected" : "accepted");
        failed++;
    }
    r.time_us = c->want_us;
    if (el_filter_match(f, &r) != !until) {
        print_error("case '%s' as %s: the instant itself %s\n", c->name, until ? "until" : "since",
                    until ? "accepted" : "rejected");
        failed++;
    }
    el_filter_destroy(f);
    return failed;
}

static void test_filter_time_values(void **state)
{
    (void)state;
    size_t failed = 0;
    for (size_t i = 0; i < EL_ARRAY_LEN(time_cases); i++) {
        failed += check_time(&time_cases[i], false);
        failed += check_time(&time_cases[i], true);
    }
    if (failed)
        fail_msg("%zu time checks failed (see above)", failed);
}

/* ---- bad values ----------------------------------------------------------------- */

struct bad_case {
    const char *name;
    struct el_filter_opts opts;
    const char *want[4]; /* substrings the message must hold; NULL ends */
};

static const struct bad_case bad_cases[] = {
    { "since: a word", { .since = "yesterday" }, { "--since", "'yesterday'" } },
    { "since: empty", { .since = "" }, { "--since", "''" } },
    { "since: month 13", { .since = "2026-13-01" }, { "--since", "2026-13-01" } },
    { "since: 30 February", { .since = "2026-02-30" }, { "--since", "2026-02-30" } },
    { "since: 29 February of a common year",
      { .since = "2025-02-29" },
      { "--since", "2025-02-29" } },
    { "since: hour 25", { .since = "2026-03-10T25:00:00Z" }, { "--since", "T25:00:00Z" } },
    { "since: no seconds", { .since = "2026-03-10T17:30" }, { "--since", "2026-03-10T17:30" } },
    { "since: offset instead of Z",
      { .since = "2026-03-10T17:30:00+01:00" },
      { "--since", "+01:00" } },
    { "since: space instead of T",
      { .since = "2026-03-10 17:30:00" },
      { "--since", "2026-03-10 17:30:00" } },
    { "since: lower-case z", { .since = "2026-03-10T17:30:00z" }, { "--since", "17:30:00z" } },
    { "since: dot without digits", { .since = "2026-03-10T17:30:00.Z" }, { "--since", ".Z" } },
    { "since: before 1970", { .since = "1969-12-31" }, { "--since", "1969-12-31" } },
    { "since: short date", { .since = "2026-3-10" }, { "--since", "2026-3-10" } },
    { "since: number without unit", { .since = "15" }, { "--since", "'15'" } },
    { "since: unknown unit", { .since = "15w" }, { "--since", "15w" } },
    { "since: capital unit", { .since = "15M" }, { "--since", "15M" } },
    { "since: negative", { .since = "-5m" }, { "--since", "-5m" } },
    { "since: fraction", { .since = "1.5h" }, { "--since", "1.5h" } },
    { "since: unit alone", { .since = "h" }, { "--since", "'h'" } },
    { "since: more days than int64 us", { .since = "106751992d" }, { "--since", "106751992d" } },
    /* the largest count parses: the error is the order, not the value */
    { "until: most days that fit",
      { .since = "1d", .until = "106751991d", .now_us = NOW },
      { "--since '1d'", "is not before --until '106751991d'" } },
    { "since: relative before the earliest time",
      { .since = "1d", .now_us = INT64_MIN + 1 },
      { "--since", "'1d'" } },
    { "since: overflowing count",
      { .since = "99999999999999999999s" },
      { "--since", "99999999999999999999s" } },
    { "until: a word", { .until = "tomorrow" }, { "--until", "tomorrow" } },
    { "until: empty", { .until = "" }, { "--until", "''" } },
    { "since == until",
      { .since = "2026-03-10", .until = "2026-03-10T00:00:00Z" },
      { "--since '2026-03-10'", "--until '2026-03-10T00:00:00Z'" } },
    { "since after until",
      { .since = "1h", .until = "2h", .now_us = NOW },
      { "--since '1h'", "--until '2h'" } },
    { "source: unknown",
      { .sources = "elb" },
      { "--source", "'elb'", "alb, apigw-rest, apigw-http" } },
    { "source: unknown in a list", { .sources = "alb,apigw" }, { "--source", "'apigw'" } },
    { "source: empty", { .sources = "" }, { "--source", "''" } },
    { "source: trailing comma", { .sources = "alb," }, { "--source", "'alb,'" } },
    { "source: 'unknown' is no source", { .sources = "unknown" }, { "--source", "'unknown'" } },
    { "host: empty", { .hosts = "" }, { "--host", "''" } },
    { "host: blank", { .hosts = "  " }, { "--host", "'  '" } },
    { "host: empty item", { .hosts = "a.com,,b.com" }, { "--host", "'a.com,,b.com'" } },
    { "method: comma alone", { .methods = "," }, { "--method", "','" } },
    { "method: empty", { .methods = "" }, { "--method", "''" } },
    { "status: class 6xx", { .statuses = "6xx" }, { "--status", "'6xx'" } },
    { "status: class 0xx", { .statuses = "0xx" }, { "--status", "'0xx'" } },
    { "status: 600", { .statuses = "600" }, { "--status", "'600'" } },
    { "status: 099", { .statuses = "099" }, { "--status", "'099'" } },
    { "status: two digits", { .statuses = "99" }, { "--status", "'99'" } },
    { "status: four digits", { .statuses = "2000" }, { "--status", "'2000'" } },
    { "status: 4x", { .statuses = "4x" }, { "--status", "'4x'" } },
    { "status: 4xxx", { .statuses = "4xxx" }, { "--status", "'4xxx'" } },
    { "status: 4xy", { .statuses = "4xy" }, { "--status", "'4xy'" } },
    { "status: 40x", { .statuses = "40x" }, { "--status", "'40x'" } },
    { "status: word", { .statuses = "abc" }, { "--status", "'abc'" } },
    { "status: sign", { .statuses = "+200" }, { "--status", "'+200'" } },
    { "status: bad item in a list", { .statuses = "404,5xx,7xx" }, { "--status", "'7xx'" } },
    { "status: trailing comma", { .statuses = "404," }, { "--status", "'404,'" } },
    { "status: empty", { .statuses = "" }, { "--status", "''" } },
    { "path: open group",
      { .path = "(" },
      { "--path", "'('", "missing closing parenthesis", "offset 1" } },
    { "path: open class",
      { .path = "[a-" },
      { "--path", "'[a-'", "missing terminating ] for character class", "offset 3" } },
    { "path: quantifier order",
      { .path = "/a{2,1}" },
      { "--path", "'/a{2,1}'", "numbers out of order", "offset 6" } },
    { "path: trailing backslash", { .path = "/a\\" }, { "--path", "'/a\\'", "offset 3" } },
    { "path: nothing to repeat",
      { .path = "*a" },
      { "--path", "'*a'", "quantifier does not follow a repeatable item", "offset 0" } },
    { "route: empty", { .routes = "" }, { "--route", "''" } },
    { "route: trailing comma", { .routes = "/a," }, { "--route", "'/a,'" } },
    /* the first bad option is reported even when later ones are fine */
    { "bad status among good options",
      { .sources = "alb", .statuses = "2xx,9xx", .path = "x" },
      { "--status", "'9xx'" } },
};

static void test_filter_bad_values(void **state)
{
    (void)state;
    size_t failed = 0;
    for (size_t i = 0; i < EL_ARRAY_LEN(bad_cases); i++) {
        const struct bad_case *c = &bad_cases[i];
        struct el_filter *sentinel = (struct el_filter *)&failed, *f = sentinel;
        char err[512];
        enum el_err rc = el_filter_create(&c->opts, &f, err, sizeof(err));
        if (rc != EL_ERR_USAGE) {
            print_error("case '%s': rc %d, want EL_ERR_USAGE\n", c->name, rc);
            if (rc == EL_OK)
                el_filter_destroy(f);
            failed++;
            continue;
        }
        if (f != sentinel) {
            print_error("case '%s': *out written on error\n", c->name);
            failed++;
        }
        for (size_t k = 0; k < EL_ARRAY_LEN(c->want) && c->want[k]; k++)
            if (!strstr(err, c->want[k])) {
                print_error("case '%s': message \"%s\" lacks \"%s\"\n", c->name, err, c->want[k]);
                failed++;
            }
    }
    if (failed)
        fail_msg("%zu bad-value checks failed (see above)", failed);
}

/* A message is optional: NULL or a short buffer still gets the return code,
 * and a short buffer holds a NUL-terminated prefix. */
static void test_filter_error_buffer(void **state)
{
    (void)state;
    struct el_filter_opts o = { .statuses = "7xx" };
    struct el_filter *f = NULL;
    assert_int_equal(el_filter_create(&o, &f, NULL, 0), EL_ERR_USAGE);
    assert_null(f);

    char small[9];
    memset(small, 'x', sizeof(small));
    assert_int_equal(el_filter_create(&o, &f, small, sizeof(small)), EL_ERR_USAGE);
    assert_string_equal(small, "--status");

    char err[64] = "stale";
    o = (struct el_filter_opts){ .statuses = "2xx" };
    assert_int_equal(el_filter_create(&o, &f, err, sizeof(err)), EL_OK);
    assert_string_equal(err, "");
    el_filter_destroy(f);
}

/* ---- no filter ------------------------------------------------------------------ */

static void test_filter_none_passes_everything(void **state)
{
    (void)state;
    int dummy;
    struct el_filter *sentinel = (struct el_filter *)&dummy, *f = sentinel;
    struct el_filter_opts o = { .now_us = NOW }; /* now alone filters nothing */
    assert_int_equal(el_filter_create(&o, &f, NULL, 0), EL_OK);
    assert_null(f);
    f = sentinel;
    assert_int_equal(el_filter_create(NULL, &f, NULL, 0), EL_OK);
    assert_null(f);

    struct el_record empty = { 0 };
    struct el_record full = make_record(&(struct rec_spec){ 0 });
    assert_true(el_filter_match(NULL, &empty));
    assert_true(el_filter_match(NULL, &full));
    el_filter_destroy(NULL);
}

/* ---- ownership and allocation ----------------------------------------------------- */

/* The option strings may go away right after create. */
static void test_filter_copies_options(void **state)
{
    (void)state;
    char since[] = "2026-03-10", until[] = "2026-03-11", src[] = "alb", host[] = "api.example.com",
         meth[] = "GET", st[] = "2xx", path[] = "^/orders/\\d+$", route[] = "/orders/{id}";
    struct el_filter_opts o = { .since = since,
                                .until = until,
                                .sources = src,
                                .hosts = host,
                                .methods = meth,
                                .statuses = st,
                                .path = path,
                                .routes = route };
    struct el_filter *f = NULL;
    assert_int_equal(el_filter_create(&o, &f, NULL, 0), EL_OK);
    char *all[] = { since, until, src, host, meth, st, path, route };
    for (size_t i = 0; i < EL_ARRAY_LEN(all); i++)
        memset(all[i], '?', strlen(all[i]));

    struct el_record r = make_record(&(struct rec_spec){ 0 });
    assert_true(el_filter_match(f, &r));
    r = make_record(&(struct rec_spec){ .method = "POST" });
    assert_false(el_filter_match(f, &r));
    el_filter_destroy(f);
}

static const char *const bench_paths[] = {
    "/orders/42", "/orders/abc", "/users/7/cart", "/", "/orders/123456789", "/health",
};

/* After the first record, matching allocates nothing, PCRE2 included, with
 * the JIT and with the interpreter ((*NO_JIT) keeps the pattern off the JIT;
 * the interpreter keeps its backtracking frames in the match data). */
static void test_filter_match_allocates_nothing(void **state)
{
    (void)state;
    static const char *const patterns[] = { "^/orders/\\d+$", "(*NO_JIT)^/orders/\\d+$" };
    for (size_t p = 0; p < EL_ARRAY_LEN(patterns); p++) {
        struct el_filter_opts o = { ALL_OPTS };
        o.path = patterns[p];
        struct el_filter *f = NULL;
        assert_int_equal(el_filter_create(&o, &f, NULL, 0), EL_OK);

        struct el_record recs[EL_ARRAY_LEN(bench_paths) * 3];
        for (size_t i = 0; i < EL_ARRAY_LEN(recs); i++) {
            recs[i] = make_record(&(struct rec_spec){ .status = (uint16_t)(200 + 100 * (i % 3)) });
            recs[i].path = S(bench_paths[i % EL_ARRAY_LEN(bench_paths)]);
        }
        for (size_t i = 0; i < EL_ARRAY_LEN(recs); i++)
            (void)el_filter_match(f, &recs[i]);

        uint64_t before = el_mem_allocs();
        size_t passed = 0;
        for (size_t i = 0; i < 10000; i++)
            passed += el_filter_match(f, &recs[i % EL_ARRAY_LEN(recs)]);
        uint64_t allocs = el_mem_allocs() - before;
        el_filter_destroy(f);
        if (allocs)
            fail_msg("pattern '%s': %llu allocations for 10,000 matches", patterns[p],
                     (unsigned long long)allocs);
        /* Only i % 6 == 0 is a 200 on /orders/<digits> ("/orders/123456789"
         * at i % 6 == 4 always carries status 300). */
        assert_int_equal(passed, (10000 + 5) / 6);
    }
}

/* Fails each allocation of a full create in turn. Failures inside PCRE2's JIT
 * compiler fall back to the interpreter (create succeeds, the filter works);
 * every other failure is EL_ERR_NOMEM with *out untouched. LeakSanitizer
 * catches anything left behind. */
static void test_filter_create_nomem(void **state)
{
    (void)state;
    struct el_filter_opts o = { ALL_OPTS };
    o.hosts = "a.example.com, api.example.com";
    struct el_filter *f = NULL;
    uint64_t before = el_mem_allocs();
    assert_int_equal(el_filter_create(&o, &f, NULL, 0), EL_OK);
    uint64_t nallocs = el_mem_allocs() - before;
    el_filter_destroy(f);
    assert_true(nallocs >= 5); /* filter, 3 lists, PCRE2 contexts, code, match data */

    unsigned nomem = 0, fallback = 0;
    for (uint64_t n = 1; n <= nallocs; n++) {
        struct el_filter *sentinel = (struct el_filter *)&nomem;
        f = sentinel;
        char err[128] = "";
        el_mem_fail_after(n);
        enum el_err rc = el_filter_create(&o, &f, err, sizeof(err));
        el_mem_fail_after(0);
        if (rc == EL_ERR_NOMEM) {
            if (f != sentinel)
                fail_msg("allocation %llu: *out written on NOMEM", (unsigned long long)n);
            nomem++;
            continue;
        }
        if (rc != EL_OK)
            fail_msg("allocation %llu: rc %d (%s)", (unsigned long long)n, rc, err);
        struct el_record r = make_record(&(struct rec_spec){ 0 });
        assert_true(el_filter_match(f, &r));
        r = make_record(&(struct rec_spec){ .path = "/orders/x" });
        assert_false(el_filter_match(f, &r));
        el_filter_destroy(f);
        fallback++;
    }
    print_message("create: %llu allocations, %u NOMEM, %u JIT fallbacks\n",
                  (unsigned long long)nallocs, nomem, fallback);
    assert_true(nomem >= 6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_filter_none_passes_everything),
        cmocka_unit_test(test_filter_match_cases),
        cmocka_unit_test(test_filter_time_values),
        cmocka_unit_test(test_filter_bad_values),
        cmocka_unit_test(test_filter_error_buffer),
        cmocka_unit_test(test_filter_copies_options),
        cmocka_unit_test(test_filter_match_allocates_nothing),
        cmocka_unit_test(test_filter_create_nomem),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

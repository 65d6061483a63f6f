/* gen_alb.c: deterministic generator of AWS ALB access logs for benchmarks
 * and sample fixtures.
 *
 * Every line is a pure function of the options and its line number: the
 * per-line PRNG is seeded from the line number, and the line's timestamp
 * comes from a stratified inverse of the daily rate curve. So the
 * single-file and S3 layouts hold exactly the same lines, and the same
 * arguments give the same bytes (gzip mtime 0, no clock; exp and log are
 * computed below with + - * / only and sqrt is exactly rounded, so the
 * values do not depend on the libm or the compiler).
 *
 * Line format: the 30 fields of the current AWS documentation, through
 * conn_trace_id, optionally followed by the three transform fields. What is
 * requested and how it behaves lives in workload.h; this file only knows
 * how an ALB writes it down. It does not emit older (shorter) line formats,
 * NLB or connection-log lines: parser tests cover those with fixtures.
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <pthread.h>
#include <unistd.h>
#include <zlib.h>

#include "workload.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#define US_PER_SEC  1000000LL
#define US_PER_MIN  (60 * US_PER_SEC)
#define US_PER_DAY  (86400 * US_PER_SEC)
#define MAX_LINE    4096           /* longest line we can build, with margin */

/* ------------------------------------------------------------------ */
/* PRNG: splitmix64, one independent stream per line                   */
/* ------------------------------------------------------------------ */

struct el_rng {
    uint64_t s;
};

static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t rng_next(struct el_rng *r)
{
    r->s += 0x9e3779b97f4a7c15ULL;
    return mix64(r->s);
}

/* Streams of neighbouring lines must not overlap: seeding with seed + i
 * would make line i+1 a shifted copy of line i, so the index is hashed. */
static void rng_line(struct el_rng *r, uint64_t seed, uint64_t i)
{
    r->s = mix64(seed ^ mix64(i + 0x6a09e667f3bcc908ULL));
}

/* Uniform in [0, n), n < 2^32 (multiply-shift, bias < 2^-32). */
static uint32_t below(struct el_rng *r, uint32_t n)
{
    return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* Uniform in [0, 1) with 53 bits. */
static double unit(struct el_rng *r)
{
    return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* ------------------------------------------------------------------ */
/* exp/log from + - * / only, so the output does not depend on libm    */
/* ------------------------------------------------------------------ */

static double pow2i(int k)
{
    uint64_t bits = (uint64_t)(k + 1023) << 52;
    double d;

    memcpy(&d, &bits, sizeof d);
    return d;
}

static double det_exp(double x)
{
    static const double ln2_hi = 6.93147180369123816490e-01;
    static const double ln2_lo = 1.90821492927058770002e-10;
    double r, sum, term;
    int k;

    if (x > 700.0)
        x = 700.0;
    if (x < -700.0)
        return 0.0;
    k = (int)(x * 1.44269504088896338700 + (x >= 0 ? 0.5 : -0.5));
    r = (x - k * ln2_hi) - k * ln2_lo;           /* |r| <= 0.35 */
    sum = 1.0;
    term = 1.0;
    for (int n = 1; n <= 13; n++) {
        term *= r / n;
        sum += term;
    }
    return sum * pow2i(k);
}

/* x > 0 and normal (our inputs are at least 2^-53). */
static double det_log(double x)
{
    uint64_t bits;
    double m, s, s2, sum, pw;
    int e;

    memcpy(&bits, &x, sizeof bits);
    e = (int)((bits >> 52) & 0x7ff) - 1022;
    bits = (bits & 0x000fffffffffffffULL) | 0x3fe0000000000000ULL;
    memcpy(&m, &bits, sizeof m);                 /* m in [0.5, 1) */
    if (m < 0.70710678118654752440) {
        m *= 2.0;
        e--;
    }
    s = (m - 1.0) / (m + 1.0);                   /* |s| < 0.172 */
    s2 = s * s;
    sum = 0.0;
    pw = s;
    for (int n = 1; n <= 23; n += 2) {
        sum += pw / n;
        pw *= s2;
    }
    return e * 6.93147180559945309417e-01 + 2.0 * sum;
}

/* Standard normal deviate, Marsaglia's polar method (needs only log and
 * sqrt; sqrt is exactly rounded by IEEE 754, so it is deterministic). */
static double normal(struct el_rng *r)
{
    for (;;) {
        double u = 2.0 * unit(r) - 1.0;
        double v = 2.0 * unit(r) - 1.0;
        double s = u * u + v * v;

        if (s > 0.0 && s < 1.0)
            return u * sqrt(-2.0 * det_log(s) / s);
    }
}

/* Lognormal with the given median and sigma x 100, as an integer >= lo. */
static int64_t lognorm(struct el_rng *r, double median, unsigned sigma100,
                       int64_t lo, int64_t hi)
{
    double v = median * det_exp(normal(r) * (sigma100 / 100.0));
    int64_t n = (int64_t)(v + 0.5);

    if (n < lo)
        n = lo;
    if (n > hi)
        n = hi;
    return n;
}

/* ------------------------------------------------------------------ */
/* Text helpers: build lines with memcpy and hand-written integer output */
/* ------------------------------------------------------------------ */

static char *put_mem(char *p, const char *s, size_t n)
{
    memcpy(p, s, n);
    return p + n;
}

static char *put_str(char *p, const char *s)
{
    return put_mem(p, s, strlen(s));
}

#define PUT_LIT(p, s) put_mem((p), (s), sizeof(s) - 1)

static char *put_u64(char *p, uint64_t v)
{
    char tmp[20];
    int n = 0;

    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        *p++ = tmp[--n];
    return p;
}

static char *put_dec(char *p, unsigned v, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
    return p + width;
}

static const char hexd[] = "0123456789abcdef";

static char *put_hex(char *p, uint64_t v, int digits)
{
    for (int i = digits - 1; i >= 0; i--) {
        p[i] = hexd[v & 15];
        v >>= 4;
    }
    return p + digits;
}

/* Random lowercase hex of any length. */
static char *put_rand_hex(char *p, struct el_rng *r, int digits)
{
    while (digits > 0) {
        int n = digits > 16 ? 16 : digits;

        p = put_hex(p, rng_next(r), n);
        digits -= n;
    }
    return p;
}

/* IPv6 group: lowercase, no leading zeros (how ALB prints addresses). */
static char *put_hex_group(char *p, unsigned v)
{
    int digits = v >= 0x1000 ? 4 : v >= 0x100 ? 3 : v >= 0x10 ? 2 : 1;

    return put_hex(p, v, digits);
}

/* ALB timings: seconds with exactly three decimals, or -1. */
static char *put_secs3(char *p, int64_t ms)
{
    if (ms < 0)
        return PUT_LIT(p, "-1");
    p = put_u64(p, (uint64_t)(ms / 1000));
    *p++ = '.';
    return put_dec(p, (unsigned)(ms % 1000), 3);
}

/* ------------------------------------------------------------------ */
/* Calendar (proleptic Gregorian, days since 1970-01-01)               */
/* ------------------------------------------------------------------ */

static int64_t days_from_civil(int y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;

    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)((int64_t)yoe + era * 400 + (*m <= 2));
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;

    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Formatting a date costs a division chain; lines share a few days, so
 * the "YYYY-MM-DDT" prefix is cached per day. */
struct el_datecache {
    int64_t day;
    char text[11];
};

static char *put_date(char *p, struct el_datecache *dc, int64_t day)
{
    if (day != dc->day) {
        int y;
        unsigned m, d;
        char *q = dc->text;

        civil_from_days(day, &y, &m, &d);
        q = put_dec(q, (unsigned)y, 4);
        *q++ = '-';
        q = put_dec(q, m, 2);
        *q++ = '-';
        q = put_dec(q, d, 2);
        *q = 'T';
        dc->day = day;
    }
    return put_mem(p, dc->text, sizeof dc->text);
}

/* 2026-03-10T14:03:27.123456Z */
static char *put_iso_us(char *p, struct el_datecache *dc, int64_t us)
{
    int64_t day = floor_div(us, US_PER_DAY);
    int64_t rem = us - day * US_PER_DAY;
    unsigned secs = (unsigned)(rem / US_PER_SEC);

    p = put_date(p, dc, day);
    p = put_dec(p, secs / 3600, 2);
    *p++ = ':';
    p = put_dec(p, secs / 60 % 60, 2);
    *p++ = ':';
    p = put_dec(p, secs % 60, 2);
    *p++ = '.';
    p = put_dec(p, (unsigned)(rem % US_PER_SEC), 6);
    *p++ = 'Z';
    return p;
}

/* request_creation_time has millisecond precision: 14:03:27.123000Z */
static char *put_iso_ms(char *p, struct el_datecache *dc, int64_t us)
{
    return put_iso_us(p, dc, floor_div(us, 1000) * 1000);
}

/* ------------------------------------------------------------------ */
/* Daily rate curve and stratified timestamps                          */
/* ------------------------------------------------------------------ */

struct el_curve {
    int64_t start_us;              /* first instant of the span */
    unsigned minutes;
    double *cum;                   /* cum[m] = mass before minute m, m <= minutes */
    unsigned pos;                  /* cursor: lines come in increasing order */
};

static double hourly_rate(unsigned minute_of_day)
{
    /* hour values sit at mid-hour; interpolate linearly between them */
    double x = (minute_of_day + 0.5) / 60.0 - 0.5;
    int h = (int)(x + 1.0) - 1;                  /* floor for x >= -1 */
    double f = x - h;
    unsigned a = el_wl_hourly[(h + 24) % 24];
    unsigned b = el_wl_hourly[(h + 25) % 24];

    return (double)a + ((double)b - (double)a) * f;
}

static int curve_init(struct el_curve *c, uint64_t seed, int64_t day_start_us,
                      unsigned start_min, unsigned minutes)
{
    c->cum = malloc((minutes + 1) * sizeof *c->cum);
    if (!c->cum)
        return -1;
    c->start_us = day_start_us + (int64_t)start_min * US_PER_MIN;
    c->minutes = minutes;
    c->pos = 0;
    c->cum[0] = 0.0;
    for (unsigned m = 0; m < minutes; m++) {
        unsigned mod = start_min + m;
        /* +-8 % minute-to-minute noise, fixed by the seed */
        double noise = 0.92 + 0.16 * (double)(mix64(seed ^ 0x51ed27d0ULL ^ mod) >> 11)
                                   * (1.0 / 9007199254740992.0);
        double rate = hourly_rate(mod) * noise;

        if (mod >= EL_WL_SPIKE_START_MIN && mod < EL_WL_SPIKE_START_MIN + EL_WL_SPIKE_MINUTES)
            rate = rate * EL_WL_SPIKE_PCT / 100.0;
        c->cum[m + 1] = c->cum[m] + rate;
    }
    return 0;
}

/* Time of line i of n: the inverse CDF at (i + u) / n. Each line owns its
 * own slice of probability mass, so times never decrease with i and the
 * files come out sorted without a sort. */
static int64_t curve_time(struct el_curve *c, uint64_t i, uint64_t n, double u)
{
    double q = ((double)i + u) / (double)n * c->cum[c->minutes];
    double lo, hi, f;

    while (c->pos + 1 < c->minutes && c->cum[c->pos + 1] <= q)
        c->pos++;
    lo = c->cum[c->pos];
    hi = c->cum[c->pos + 1];
    f = hi > lo ? (q - lo) / (hi - lo) : 0.0;
    if (f < 0.0)
        f = 0.0;
    if (f >= 1.0)
        f = 0.999999;
    return c->start_us + (int64_t)c->pos * US_PER_MIN + (int64_t)(f * (double)US_PER_MIN);
}

/* ------------------------------------------------------------------ */
/* The kinds of lines an ALB writes                                    */
/* ------------------------------------------------------------------ */

enum el_kind {
    K_OK,
    K_FN_4XX,               /* function / target answered 4xx */
    K_FN_500,               /* Lambda returned statusCode 500 */
    K_TARGET_500,           /* instance target answered 500 */
    K_LAMBDA_UNHANDLED,     /* 502 LambdaUnhandled */
    K_LAMBDA_TIMEOUT,       /* 502 LambdaUnhandled after 30 s */
    K_LAMBDA_INVALID,       /* 502 LambdaInvalidResponse */
    K_LAMBDA_RESP_LARGE,    /* 502 LambdaResponseTooLarge */
    K_LAMBDA_REQ_LARGE,     /* 413 LambdaRequestTooLarge */
    K_LAMBDA_THROTTLE,      /* 503 LambdaThrottling */
    K_GATEWAY_TIMEOUT,      /* 504, -1 -1 -1 */
    K_NO_TARGETS,           /* 503, -1 -1 -1, no healthy target */
    K_CLIENT_GONE,          /* 460 */
    K_WAF_BLOCK,            /* 403 "waf" */
    K_AUTH_FAIL,            /* 401 "authenticate" + Auth* reason */
    K_SCANNER,              /* 404 "fixed-response" */
    K_SPACE_IN_URI,         /* same, raw space in the URL, SpaceInUri */
    K_REDIRECT,             /* 301 "redirect" */
    K_MALFORMED,            /* 400 "- http://host:80- -" */
    K_WEBSOCKET,            /* 101 ws / wss */
    K_WAF_FAILED,           /* "waf-failed,forward", error_reason set, 200 */
    K_DESYNC,               /* forwarded, desync classification set */
    K_COUNT
};

static const char *const kind_names[K_COUNT] = {
    "ok", "fn_4xx", "fn_500", "target_500", "lambda_unhandled",
    "lambda_timeout", "lambda_invalid", "lambda_resp_large",
    "lambda_req_large", "lambda_throttle", "gateway_timeout", "no_targets",
    "client_gone", "waf_block", "auth_fail", "scanner", "space_in_uri",
    "redirect", "malformed", "websocket", "waf_failed", "desync",
};

enum el_type { T_HTTP, T_HTTPS, T_H2, T_WS, T_WSS, T_COUNT };
static const char *const type_names[T_COUNT] = { "http", "https", "h2", "ws", "wss" };

struct el_cipher {
    const char *name;
    const char *proto;
    unsigned permil;
};

static const struct el_cipher ciphers[] = {
    { "TLS_AES_128_GCM_SHA256", "TLSv1.3", 540 },
    { "TLS_AES_256_GCM_SHA384", "TLSv1.3", 150 },
    { "TLS_CHACHA20_POLY1305_SHA256", "TLSv1.3", 50 },
    { "ECDHE-RSA-AES128-GCM-SHA256", "TLSv1.2", 210 },
    { "ECDHE-RSA-AES256-GCM-SHA384", "TLSv1.2", 50 },
};

/* ------------------------------------------------------------------ */
/* Generator state                                                     */
/* ------------------------------------------------------------------ */

struct el_gen {
    uint64_t seed;
    uint64_t lines;
    unsigned trailing_permil;      /* share of lines with transform fields */
    bool showcase;
    struct el_curve curve;
    struct el_datecache dc;
    uint64_t route_cum[EL_WL_NROUTES];
    uint64_t route_total;
    uint32_t ua_cum[ARRAY_LEN(el_wl_uas)];
    uint32_t ua_total;
    uint32_t scan_ua_cum[ARRAY_LEN(el_wl_scan_uas)];
    uint32_t scan_ua_total;
    uint32_t scan_cum[ARRAY_LEN(el_wl_scans)];
    uint32_t scan_total;
    uint64_t kind_count[K_COUNT];
    uint64_t type_count[T_COUNT];
    uint64_t status_class[6];
};

static void model_init(struct el_gen *g)
{
    uint64_t acc = 0;
    uint32_t a;

    for (size_t i = 0; i < EL_WL_NROUTES; i++) {
        acc += el_wl_routes[i].weight;
        g->route_cum[i] = acc;
    }
    g->route_total = acc;
    a = 0;
    for (size_t i = 0; i < ARRAY_LEN(el_wl_uas); i++)
        g->ua_cum[i] = a += el_wl_uas[i].weight;
    g->ua_total = a;
    a = 0;
    for (size_t i = 0; i < ARRAY_LEN(el_wl_scan_uas); i++)
        g->scan_ua_cum[i] = a += el_wl_scan_uas[i].weight;
    g->scan_ua_total = a;
    a = 0;
    for (size_t i = 0; i < ARRAY_LEN(el_wl_scans); i++)
        g->scan_cum[i] = a += el_wl_scans[i].weight;
    g->scan_total = a;
    g->dc.day = INT64_MIN;
}

static size_t pick_cum32(const uint32_t *cum, size_t n, uint32_t x)
{
    size_t i = 0;

    while (i + 1 < n && cum[i] <= x)
        i++;
    return i;
}

/* Ordinary traffic: binary search in the cumulative weights. */
static const struct el_wl_route *pick_route(const struct el_gen *g, struct el_rng *r)
{
    uint64_t x = (uint64_t)(unit(r) * (double)g->route_total);
    size_t lo = 0, hi = EL_WL_NROUTES - 1;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;

        if (g->route_cum[mid] > x)
            hi = mid;
        else
            lo = mid + 1;
    }
    return &el_wl_routes[lo];
}

static bool is_ip_route(const struct el_wl_route *rt)
{
    return el_wl_tgs[rt->tg].port != 0;
}

/* Rare kinds need a route of the right sort. A linear scan is fine: this
 * runs for a few lines in a thousand. want_ip: 1 IP target, 0 Lambda,
 * -1 either; need: flag bits that must all be present. */
static const struct el_wl_route *pick_route_where(struct el_rng *r, int want_ip, unsigned need)
{
    uint64_t total = 0, x = 0;
    const struct el_wl_route *last = &el_wl_routes[0];

    for (int pass = 0; pass < 2; pass++) {
        uint64_t acc = 0;

        if (pass == 1) {
            if (total == 0)
                break;
            x = (uint64_t)(unit(r) * (double)total);
        }
        for (size_t i = 0; i < EL_WL_NROUTES; i++) {
            const struct el_wl_route *rt = &el_wl_routes[i];
            /* special sets (need != 0) are small and drawn uniformly, so a
             * redirect-only route of weight 0 still shows up */
            uint64_t w = need ? 1 : rt->weight;

            if ((rt->flags & need) != need)
                continue;
            if (want_ip >= 0 && is_ip_route(rt) != (want_ip == 1))
                continue;
            if (!need && !rt->weight)
                continue;
            if (pass == 0) {
                total += w;
            } else {
                acc += w;
                last = rt;
                if (acc > x)
                    return rt;
            }
        }
    }
    return last;
}

/* ------------------------------------------------------------------ */
/* Clients                                                             */
/* ------------------------------------------------------------------ */

struct el_client {
    bool v6;
    bool compress;                 /* print a "::" run */
    unsigned v4[4];
    unsigned v6g[8];
    const char *ua;                /* NULL: "-" */
};

static void client_make(const struct el_gen *g, uint64_t id, bool scanner, struct el_client *c)
{
    uint64_t h = mix64(g->seed ^ 0xc1e47a5d00000000ULL ^ (id * 0x9e3779b97f4a7c15ULL)
                       ^ (scanner ? 0x5ca9ULL : 0));
    uint64_t h2 = mix64(h + 1), h3 = mix64(h + 2);

    c->v6 = !scanner && h % 1000 < EL_WL_IPV6_PERMIL;
    c->compress = (h >> 10) % 5 == 0;
    if (c->v6) {
        uint32_t pfx = el_wl_v6_prefix[(h >> 20) % ARRAY_LEN(el_wl_v6_prefix)];

        c->v6g[0] = pfx >> 16;
        c->v6g[1] = pfx & 0xffff;
        for (int k = 2; k < 6; k++)
            c->v6g[k] = (unsigned)(h2 >> (16 * (k - 2))) & 0xffff;
        c->v6g[6] = (unsigned)h3 & 0xffff;
        c->v6g[7] = (unsigned)(h3 >> 16) & 0xffff;
        if (c->compress)
            c->v6g[4] = c->v6g[5] = 0;
    } else {
        c->v4[0] = el_wl_v4_first[(h >> 20) % ARRAY_LEN(el_wl_v4_first)];
        c->v4[1] = (unsigned)(h2 & 0xff);
        c->v4[2] = (unsigned)((h2 >> 8) & 0xff);
        c->v4[3] = 1 + (unsigned)((h2 >> 16) % 254);
    }
    if (scanner) {
        uint32_t x = (uint32_t)((h3 >> 32) % g->scan_ua_total);
        c->ua = el_wl_scan_uas[pick_cum32(g->scan_ua_cum, ARRAY_LEN(el_wl_scan_uas), x)].ua;
    } else {
        uint32_t x = (uint32_t)((h3 >> 32) % g->ua_total);
        c->ua = el_wl_uas[pick_cum32(g->ua_cum, ARRAY_LEN(el_wl_uas), x)].ua;
    }
}

/* Popularity is skewed: u^2 gives the busiest client ~0.16 % of lines. */
static uint64_t pick_client(struct el_rng *r)
{
    double u = unit(r);

    return (uint64_t)(u * u * EL_WL_CLIENTS);
}

static char *put_client(char *p, const struct el_client *c, unsigned port)
{
    if (c->v6) {
        for (int k = 0; k < 8; k++) {
            if (c->compress && k == 4) {
                *p++ = ':';            /* groups 4 and 5 are the zero run */
                k = 5;
                continue;
            }
            if (k)
                *p++ = ':';
            p = put_hex_group(p, c->v6g[k]);
        }
    } else {
        for (int k = 0; k < 4; k++) {
            if (k)
                *p++ = '.';
            p = put_u64(p, c->v4[k]);
        }
    }
    *p++ = ':';
    return put_u64(p, port);
}

/* ------------------------------------------------------------------ */
/* One line                                                            */
/* ------------------------------------------------------------------ */

struct el_line {
    enum el_kind kind;
    enum el_type type;
    const struct el_wl_route *rt;  /* NULL: scanner or malformed */
    const struct el_wl_scan *scan;
    int64_t time_us;               /* the "time" field: response sent */
    int64_t rp, tp, rsp;           /* ms, -1 = not dispatched */
    int64_t wait_us;               /* time - request_creation_time */
    int elb, target;               /* statuses, target -1 = "-" */
    uint64_t recv, sent;
    bool ip_target;                /* target:port and lists filled */
    unsigned tgt_addr[2];
    unsigned tgt_port;
    bool tg;                       /* target_group_arn present */
    int rule;                      /* -1: "-" */
    const char *actions;
    const char *redirect;          /* NULL: "-" */
    const char *error;             /* NULL: "-" */
    const char *cls, *cls_reason;  /* NULL: "-" */
};

/* Where --showcase forces a kind: two evenly spread lines per rare kind,
 * so that a few thousand lines still hold every case. */
static int showcase_kind(const struct el_gen *g, uint64_t i, int *round)
{
    const uint64_t nk = K_COUNT - 1, slots = 2 * nk;
    uint64_t j = i * slots / g->lines;

    if (((2 * j + 1) * g->lines) / (2 * slots) != i)
        return -1;
    *round = (int)(j / nk);
    return (int)(1 + j % nk);
}

static enum el_kind draw_kind(const struct el_gen *g, struct el_rng *r,
                              const struct el_wl_route **rt)
{
    uint32_t x = below(r, 1000000);
    uint32_t lim = 0;

    if (x < (lim += EL_WL_PPM_WEBSOCKET))
        return K_WEBSOCKET;
    if (x < (lim += EL_WL_PPM_REDIRECT))
        return K_REDIRECT;
    if (x < (lim += EL_WL_PPM_SCANNER))
        return K_SCANNER;
    if (x < (lim += EL_WL_PPM_MALFORMED))
        return K_MALFORMED;
    if (x < (lim += EL_WL_PPM_WAF_BLOCK))
        return K_WAF_BLOCK;
    if (x < (lim += EL_WL_PPM_AUTH_FAIL))
        return K_AUTH_FAIL;
    if (x < (lim += EL_WL_PPM_CLIENT_GONE))
        return K_CLIENT_GONE;
    if (x < (lim += EL_WL_PPM_WAF_FAILED))
        return K_WAF_FAILED;
    if (x < (lim += EL_WL_PPM_DESYNC))
        return K_DESYNC;

    *rt = pick_route(g, r);
    x = below(r, 10000);
    if (x < (*rt)->err4_bp) {
        if ((*rt)->err4_code == 413 && below(r, 1000) < 600)
            return K_LAMBDA_REQ_LARGE;
        return K_FN_4XX;
    }
    if (x >= (uint32_t)(*rt)->err4_bp + (*rt)->err5_bp)
        return K_OK;
    x = below(r, 1000);
    /* exports fail mostly by size: the 1 MB cap bites before anything else */
    if (((*rt)->flags & EL_WL_BIG_RESP) && x < 400)
        return K_LAMBDA_RESP_LARGE;
    if (is_ip_route(*rt)) {
        if (x < EL_WL_I5_TARGET500)
            return K_TARGET_500;
        if (x < EL_WL_I5_TARGET500 + EL_WL_I5_NO_TARGETS)
            return K_NO_TARGETS;
        return K_GATEWAY_TIMEOUT;
    }
    if (x < (lim = EL_WL_L5_FN500))
        return K_FN_500;
    if (x < (lim += EL_WL_L5_UNHANDLED))
        return K_LAMBDA_UNHANDLED;
    if (x < (lim += EL_WL_L5_TIMEOUT))
        return K_LAMBDA_TIMEOUT;
    if (x < (lim += EL_WL_L5_INVALID))
        return K_LAMBDA_INVALID;
    if (x < (lim += EL_WL_L5_THROTTLE))
        return K_LAMBDA_THROTTLE;
    if (x < (lim += EL_WL_L5_GATEWAY))
        return K_GATEWAY_TIMEOUT;
    return ((*rt)->flags & EL_WL_BIG_RESP) ? K_LAMBDA_RESP_LARGE : K_LAMBDA_UNHANDLED;
}

/* A forced kind (showcase) or a drawn one still needs a fitting route. */
static const struct el_wl_route *route_for(const struct el_gen *g, struct el_rng *r,
                                           enum el_kind k, const struct el_wl_route *rt)
{
    switch (k) {
    case K_WEBSOCKET:
        return pick_route_where(r, -1, EL_WL_WS);
    case K_REDIRECT:
        return pick_route_where(r, -1, EL_WL_REDIRECT);
    case K_AUTH_FAIL:
        return pick_route_where(r, -1, EL_WL_AUTH);
    case K_LAMBDA_REQ_LARGE:
        return pick_route_where(r, 0, EL_WL_BIG_REQ);
    case K_LAMBDA_RESP_LARGE:
        return pick_route_where(r, 0, EL_WL_BIG_RESP);
    case K_TARGET_500:
    case K_NO_TARGETS:
        return rt && is_ip_route(rt) ? rt : pick_route_where(r, 1, 0);
    case K_FN_500:
    case K_LAMBDA_UNHANDLED:
    case K_LAMBDA_TIMEOUT:
    case K_LAMBDA_INVALID:
    case K_LAMBDA_THROTTLE:
        return rt && !is_ip_route(rt) ? rt : pick_route_where(r, 0, 0);
    case K_SCANNER:
    case K_SPACE_IN_URI:
    case K_MALFORMED:
        return NULL;
    default:
        return rt ? rt : pick_route(g, r);
    }
}

static enum el_type draw_type(struct el_rng *r)
{
    uint32_t x = below(r, 1000);

    if (x < 30)
        return T_HTTP;
    if (x < 30 + 381)
        return T_H2;
    return T_HTTPS;
}

/* Response headers and request headers: HPACK makes h2 ones small. */
static uint64_t req_head_bytes(struct el_rng *r, enum el_type t, const char *ua)
{
    if (t == T_H2)
        return (uint64_t)lognorm(r, 70, 60, 9, 4000);
    return 160 + (ua ? strlen(ua) : 0) + (uint64_t)lognorm(r, 260, 45, 20, 8000);
}

static uint64_t resp_head_bytes(struct el_rng *r, enum el_type t)
{
    if (t == T_H2)
        return (uint64_t)lognorm(r, 95, 30, 30, 600);
    return (uint64_t)lognorm(r, 330, 20, 150, 900);
}

static const char *const sorts[] = { "price_asc", "price_desc", "newest", "popular", "rating" };

/* The request URL's path and query, as the client sent them. */
static char *put_path(char *p, struct el_rng *r, const struct el_wl_route *rt)
{
    const char *s = rt->path;

    while (*s) {
        if (s[0] == '{' && s[1] == 'n' && s[2] == '}') {
            /* half of the hits go to the 2 % most popular ids */
            uint32_t max = rt->id_max ? rt->id_max : 1000;
            uint32_t span = below(r, 2) ? max / 50 + 1 : max;

            p = put_u64(p, 1 + below(r, span));
            s += 3;
        } else if (strncmp(s, "{uuid}", 6) == 0) {
            uint64_t a = rng_next(r), b = rng_next(r);

            p = put_hex(p, a >> 32, 8);
            *p++ = '-';
            p = put_hex(p, a >> 16, 4);
            *p++ = '-';
            *p++ = '4';
            p = put_hex(p, a, 3);
            *p++ = '-';
            *p++ = hexd[8 + (b >> 62)];
            p = put_hex(p, b >> 48, 3);
            *p++ = '-';
            p = put_hex(p, b, 12);
            s += 6;
        } else {
            *p++ = *s++;
        }
    }
    if (rt->query == EL_WL_Q_NONE || below(r, 100) >= rt->query_pct)
        return p;
    switch (rt->query) {
    case EL_WL_Q_PRODUCTS:
        p = PUT_LIT(p, "?category=");
        p = put_u64(p, 1 + below(r, 480));
        p = PUT_LIT(p, "&sort=");
        p = put_str(p, sorts[below(r, ARRAY_LEN(sorts))]);
        if (below(r, 100) < 40) {
            p = PUT_LIT(p, "&cursor=");
            p = put_rand_hex(p, r, 24);
        }
        break;
    case EL_WL_Q_SEARCH:
        p = PUT_LIT(p, "?q=");
        p = put_str(p, el_wl_words[below(r, ARRAY_LEN(el_wl_words))]);
        p = PUT_LIT(p, "&page=");
        p = put_u64(p, below(r, 3) ? 1 : 2 + below(r, 6));
        break;
    case EL_WL_Q_SUGGEST: {
        /* a prefix of a word, stopping before any escape or separator */
        const char *w = el_wl_words[below(r, ARRAY_LEN(el_wl_words))];
        size_t n = strcspn(w, "+%\\");
        size_t k = n < 2 ? n : 2 + below(r, (uint32_t)(n - 1));

        p = PUT_LIT(p, "?q=");
        p = put_mem(p, w, k);
        break;
    }
    case EL_WL_Q_LIST:
        p = PUT_LIT(p, "?limit=");
        p = put_u64(p, below(r, 3) ? 20 : 50);
        if (below(r, 2)) {
            p = PUT_LIT(p, "&cursor=");
            p = put_rand_hex(p, r, 32);
        }
        break;
    case EL_WL_Q_GEO:
        p = PUT_LIT(p, "?lat=");
        p = put_u64(p, 25 + below(r, 24));
        *p++ = '.';
        p = put_dec(p, below(r, 10000), 4);
        p = PUT_LIT(p, "&lon=-");
        p = put_u64(p, 67 + below(r, 57));
        *p++ = '.';
        p = put_dec(p, below(r, 10000), 4);
        p = PUT_LIT(p, "&radius=");
        p = put_u64(p, 5 + 5 * below(r, 10));
        break;
    case EL_WL_Q_TOKEN:
        p = PUT_LIT(p, "?token=");
        p = put_rand_hex(p, r, 40);
        break;
    case EL_WL_Q_THUMB: {
        unsigned w = 160u << below(r, 3);

        p = PUT_LIT(p, "?w=");
        p = put_u64(p, w);
        p = PUT_LIT(p, "&h=");
        p = put_u64(p, w);
        p = PUT_LIT(p, "&fmt=webp");
        break;
    }
    default:
        break;
    }
    return p;
}

/* Timings of a request a target answered. */
static void target_timings(struct el_line *ln, struct el_rng *r, const struct el_wl_route *rt,
                           uint64_t body, double lat_scale)
{
    ln->rp = below(r, 100) < 12 ? 1 : 0;
    if (body > 4096) {
        /* upload time; with Lambda targets it counts before dispatch */
        int64_t bw = lognorm(r, 4e6, 80, 200000, 200000000);      /* bytes/s */
        ln->rp += (int64_t)(body * 1000 / (uint64_t)bw);
    }
    ln->tp = lognorm(r, rt->lat_ms * lat_scale, rt->lat_sigma, 1, 29000);
    if (!is_ip_route(rt) && below(r, 1000) < EL_WL_COLD_START_PERMIL)
        ln->tp += lognorm(r, EL_WL_COLD_START_MS, 40, 120, 6000);
    ln->rsp = below(r, 100) < 9 ? 1 : 0;
    if (ln->sent > 200000)
        ln->rsp += (int64_t)(ln->sent / 60000);                 /* ~60 MB/s */
}

static void not_dispatched(struct el_line *ln, int64_t wait_us)
{
    ln->rp = ln->tp = ln->rsp = -1;
    ln->wait_us = wait_us;
}

static const char *actions_for(const struct el_wl_route *rt)
{
    return (rt->flags & EL_WL_AUTH) ? "waf,authenticate,forward" : "waf,forward";
}

/* Decide every value of line i (kind, route, timings, sizes, statuses).
 * Everything random comes from r, which is line i's private stream. */
static void plan_line(struct el_gen *g, struct el_rng *r, uint64_t i, struct el_line *ln,
                      struct el_client *cl)
{
    const struct el_wl_route *rt = NULL;
    int forced, sc_round = 0;
    uint64_t body = 0;

    memset(ln, 0, sizeof *ln);
    ln->rule = -1;
    ln->target = -1;
    forced = g->showcase ? showcase_kind(g, i, &sc_round) : -1;
    ln->kind = forced >= 0 ? (enum el_kind)forced : draw_kind(g, r, &rt);
    rt = route_for(g, r, ln->kind, rt);
    ln->rt = rt;
    ln->type = draw_type(r);

    if (ln->kind == K_SCANNER || ln->kind == K_SPACE_IN_URI || ln->kind == K_MALFORMED
        || (ln->kind == K_WAF_BLOCK && below(r, 2)))
        client_make(g, below(r, EL_WL_SCANNERS), true, cl);
    else
        client_make(g, pick_client(r), false, cl);
    if (forced >= 0 && sc_round == 1) {
        /* second showcase round: the user agents that need \xHH escapes,
         * too rare to turn up in a small sample on their own */
        size_t n = 0, want = (size_t)forced;

        for (size_t k = 0; k < ARRAY_LEN(el_wl_uas); k++)
            n += el_wl_uas[k].ua && strstr(el_wl_uas[k].ua, "\\x") != NULL;
        for (size_t k = 0, seen = 0; k < ARRAY_LEN(el_wl_uas); k++) {
            if (el_wl_uas[k].ua && strstr(el_wl_uas[k].ua, "\\x") && seen++ == want % n)
                cl->ua = el_wl_uas[k].ua;
        }
    }

    if (rt && rt->req_bytes)
        body = (uint64_t)lognorm(r, rt->req_bytes, (rt->flags & EL_WL_BIG_REQ) ? 100 : 50,
                                 2, EL_WL_LAMBDA_BODY_MAX - 1);
    ln->recv = req_head_bytes(r, ln->type, cl->ua) + body;
    ln->tg = rt != NULL;
    ln->rule = rt ? rt->rule : -1;
    ln->actions = rt ? actions_for(rt) : "-";
    if (rt && is_ip_route(rt)) {
        const struct el_wl_tg *tg = &el_wl_tgs[rt->tg];
        ln->tgt_addr[0] = tg->subnet + below(r, 3);
        ln->tgt_addr[1] = 10 + below(r, 4) * 37 + below(r, 3);
        ln->tgt_port = tg->port;
    }

    switch (ln->kind) {
    case K_OK:
    case K_WAF_FAILED:
    case K_DESYNC:
        ln->elb = ln->target = rt->ok_status;
        ln->sent = resp_head_bytes(r, ln->type)
                   + (rt->ok_status == 204 ? 0 : (uint64_t)lognorm(r, rt->resp_bytes, 60, 2, 900000));
        target_timings(ln, r, rt, body, 1.0);
        ln->ip_target = is_ip_route(rt);
        if (ln->kind == K_WAF_FAILED) {
            ln->actions = "waf-failed,forward";
            ln->error = below(r, 2) ? "WAFConnectionTimeout" : "WAFResponseReadTimeout";
        } else if (ln->kind == K_DESYNC) {
            uint32_t x = below(r, 10);
            if (x < 3 || (forced >= 0 && sc_round == 1)) {
                ln->cls = "Ambiguous";
                ln->cls_reason = "UndefinedContentLengthSemantics";
            } else {
                ln->cls = "Acceptable";
                ln->cls_reason = rt->req_bytes ? "NonCompliantHeader" : "GetHeadZeroContentLength";
            }
        }
        break;
    case K_FN_4XX: {
        unsigned code = rt->err4_code;
        uint32_t x = below(r, 1000);

        if (x >= 600) {
            unsigned acc = 600;
            for (size_t k = 0; k < ARRAY_LEN(el_wl_4xx_codes); k++) {
                code = el_wl_4xx_codes[k];
                if (x < (acc += el_wl_4xx_permil[k]))
                    break;
            }
        }
        if (code == 413)
            code = 400;
        ln->elb = ln->target = (int)code;
        ln->sent = resp_head_bytes(r, ln->type) + (uint64_t)lognorm(r, 110, 40, 20, 2000);
        target_timings(ln, r, rt, body, 0.6);
        ln->ip_target = is_ip_route(rt);
        break;
    }
    case K_FN_500:
    case K_TARGET_500:
        ln->elb = ln->target = 500;
        ln->sent = resp_head_bytes(r, ln->type) + (uint64_t)lognorm(r, 140, 40, 20, 2000);
        target_timings(ln, r, rt, body, 1.6);
        ln->ip_target = is_ip_route(rt);
        break;
    case K_LAMBDA_UNHANDLED:
    case K_LAMBDA_INVALID:
    case K_LAMBDA_RESP_LARGE:
        ln->elb = 502;
        ln->sent = (ln->type == T_H2 ? 150 : 272) + below(r, 8);
        target_timings(ln, r, rt, body, ln->kind == K_LAMBDA_RESP_LARGE ? 1.5 : 1.2);
        ln->error = ln->kind == K_LAMBDA_UNHANDLED ? "LambdaUnhandled"
                  : ln->kind == K_LAMBDA_INVALID ? "LambdaInvalidResponse"
                  : "LambdaResponseTooLarge";
        break;
    case K_LAMBDA_TIMEOUT:
        /* the function ran into its 30 s timeout: Lambda reports an
         * Unhandled error and ALB answers 502 after the full wait */
        ln->elb = 502;
        ln->sent = (ln->type == T_H2 ? 150 : 272) + below(r, 8);
        target_timings(ln, r, rt, body, 1.0);
        ln->tp = EL_WL_LAMBDA_TIMEOUT_MS + below(r, 60);
        ln->error = "LambdaUnhandled";
        break;
    case K_LAMBDA_REQ_LARGE:
        /* body over the 1 MB Lambda limit: rejected before any invoke */
        body = EL_WL_LAMBDA_BODY_MAX + (uint64_t)lognorm(r, 400000, 90, 1, 40000000);
        ln->recv = req_head_bytes(r, ln->type, cl->ua) + body;
        ln->elb = 413;
        ln->sent = (ln->type == T_H2 ? 160 : 290) + below(r, 8);
        not_dispatched(ln, lognorm(r, 900000, 70, 20000, 60000000));
        ln->error = "LambdaRequestTooLarge";
        break;
    case K_LAMBDA_THROTTLE:
        ln->elb = 503;
        ln->sent = (ln->type == T_H2 ? 160 : 292) + below(r, 8);
        ln->rp = 0;
        ln->tp = 1 + below(r, 14);
        ln->rsp = 0;
        ln->error = "LambdaThrottling";
        break;
    case K_GATEWAY_TIMEOUT:
        /* nothing came back within the 60 s idle timeout */
        ln->elb = 504;
        ln->sent = (ln->type == T_H2 ? 170 : 308) + below(r, 8);
        not_dispatched(ln, (int64_t)EL_WL_IDLE_TIMEOUT_MS * 1000 + below(r, 5000));
        ln->ip_target = is_ip_route(rt);
        break;
    case K_NO_TARGETS:
        ln->elb = 503;
        ln->sent = (ln->type == T_H2 ? 160 : 292) + below(r, 8);
        not_dispatched(ln, below(r, 1500));
        break;
    case K_CLIENT_GONE:
        ln->elb = 460;
        ln->sent = 0;
        not_dispatched(ln, lognorm(r, 4e6, 80, 200000, 55000000));
        ln->ip_target = is_ip_route(rt);
        break;
    case K_WAF_BLOCK:
        ln->elb = 403;
        ln->sent = (ln->type == T_H2 ? 120 : 250) + below(r, 20);
        not_dispatched(ln, 300 + below(r, 2500));
        ln->tg = false;
        ln->rule = 0;
        ln->actions = "waf";
        break;
    case K_AUTH_FAIL:
        ln->elb = 401;
        ln->sent = (ln->type == T_H2 ? 110 : 230) + below(r, 20);
        not_dispatched(ln, 2000 + (int64_t)below(r, 40000));
        ln->actions = "waf,authenticate";
        ln->error = el_wl_auth_errors[below(r, ARRAY_LEN(el_wl_auth_errors))];
        break;
    case K_SCANNER:
    case K_SPACE_IN_URI: {
        size_t k = ln->kind == K_SPACE_IN_URI ? EL_WL_SCAN_SPACE
                 : pick_cum32(g->scan_cum, ARRAY_LEN(el_wl_scans), below(r, g->scan_total));

        ln->scan = &el_wl_scans[k];
        if (k == EL_WL_SCAN_SPACE) {
            ln->kind = K_SPACE_IN_URI;
            ln->cls = "Acceptable";
            ln->cls_reason = "SpaceInUri";
        }
        if (ln->type == T_H2 || below(r, 2))
            ln->type = below(r, 2) ? T_HTTP : T_HTTPS;
        ln->elb = 404;
        ln->sent = (ln->type == T_HTTP ? 170 : 178) + below(r, 4);
        not_dispatched(ln, below(r, 1200));
        ln->rule = 5;
        ln->actions = "waf,fixed-response";
        break;
    }
    case K_REDIRECT:
        ln->elb = 301;
        if (strcmp(rt->path, "/") == 0) {
            ln->type = T_HTTP;                  /* http -> https */
            ln->rule = 1;
            ln->redirect = "https://www.shop.example:443/";
        } else {
            ln->redirect = "https://docs.shop.example:443/";
        }
        ln->tg = false;
        ln->sent = (ln->type == T_H2 ? 140 : 360) + below(r, 8);
        not_dispatched(ln, below(r, 900));
        ln->actions = "waf,redirect";
        break;
    case K_MALFORMED:
        ln->type = below(r, 10) < 7 ? T_HTTP : T_HTTPS;
        ln->elb = 400;
        ln->recv = below(r, 4) ? 0 : below(r, 600);
        ln->sent = 272;
        not_dispatched(ln, (int64_t)below(r, 3000) * 1000);
        ln->tg = false;
        ln->rule = -1;
        ln->actions = "-";
        break;
    case K_WEBSOCKET: {
        /* time = when the connection closed; creation = when it opened;
         * bytes count the whole connection, timings only the upgrade */
        int64_t life_ms = lognorm(r, 90000, 130, 1500, 4 * 3600 * 1000LL);

        ln->type = (forced >= 0 ? sc_round == 1 : below(r, 100) < 15) ? T_WS : T_WSS;
        ln->elb = ln->target = 101;
        ln->recv = (uint64_t)lognorm(r, 9000, 120, 200, 500000000);
        ln->sent = (uint64_t)lognorm(r, 60000, 140, 400, 2000000000);
        ln->rp = 0;
        ln->tp = 1 + below(r, 4);
        ln->rsp = 0;
        ln->wait_us = life_ms * 1000 + below(r, 1000);
        ln->ip_target = true;
        break;
    }
    default:
        break;
    }
    if (ln->rp >= 0 && ln->kind != K_WEBSOCKET)
        ln->wait_us = (ln->rp + ln->tp + ln->rsp) * 1000 + below(r, 1000);
}

static char *put_tg_arn(char *p, const struct el_wl_tg *tg)
{
    p = PUT_LIT(p, "arn:aws:elasticloadbalancing:" EL_WL_REGION ":" EL_WL_ACCOUNT ":targetgroup/");
    p = put_str(p, tg->name);
    *p++ = '/';
    return put_str(p, tg->id);
}

static char *put_quoted(char *p, const char *s)
{
    *p++ = '"';
    p = s ? put_str(p, s) : PUT_LIT(p, "-");
    *p++ = '"';
    return p;
}

static char *put_trace_root(char *p, struct el_rng *r, int64_t us)
{
    p = PUT_LIT(p, "1-");
    p = put_hex(p, (uint64_t)floor_div(us, US_PER_SEC), 8);
    *p++ = '-';
    return put_rand_hex(p, r, 24);
}

/* Build line i into out (at least MAX_LINE bytes); returns its length
 * including the newline, and the line's time through *time_us. */
static size_t build_line(struct el_gen *g, uint64_t i, char *out, int64_t *time_us)
{
    struct el_rng rr, *r = &rr;
    struct el_line L, *ln = &L;
    struct el_client cl;
    const struct el_wl_route *rt;
    const struct el_wl_host *host = NULL;
    bool tls, trailing;
    char *p = out;
    int64_t t, created;

    rng_line(r, g->seed, i);
    t = curve_time(&g->curve, i, g->lines, unit(r));
    trailing = below(r, 1000) < g->trailing_permil;
    plan_line(g, r, i, ln, &cl);
    ln->time_us = t;
    rt = ln->rt;
    if (rt)
        host = &el_wl_hosts[rt->host];
    tls = ln->type == T_HTTPS || ln->type == T_H2 || ln->type == T_WSS;
    created = ln->time_us - ln->wait_us;

    g->kind_count[ln->kind]++;
    g->type_count[ln->type]++;
    g->status_class[ln->elb / 100 <= 5 ? ln->elb / 100 : 0]++;

    /* type time elb client:port target:port */
    p = put_str(p, type_names[ln->type]);
    *p++ = ' ';
    p = put_iso_us(p, &g->dc, ln->time_us);
    p = PUT_LIT(p, " app/" EL_WL_LB_NAME "/" EL_WL_LB_ID " ");
    p = put_client(p, &cl, 1024 + below(r, 64511));
    *p++ = ' ';
    if (ln->ip_target) {
        p = PUT_LIT(p, "10.0.");
        p = put_u64(p, ln->tgt_addr[0]);
        *p++ = '.';
        p = put_u64(p, ln->tgt_addr[1]);
        *p++ = ':';
        p = put_u64(p, ln->tgt_port);
    } else {
        *p++ = '-';
    }

    /* request_processing_time target_processing_time response_processing_time */
    *p++ = ' ';
    p = put_secs3(p, ln->rp);
    *p++ = ' ';
    p = put_secs3(p, ln->tp);
    *p++ = ' ';
    p = put_secs3(p, ln->rsp);

    /* elb_status_code target_status_code received_bytes sent_bytes */
    *p++ = ' ';
    p = put_u64(p, (uint64_t)ln->elb);
    *p++ = ' ';
    if (ln->target >= 0)
        p = put_u64(p, (uint64_t)ln->target);
    else
        *p++ = '-';
    *p++ = ' ';
    p = put_u64(p, ln->recv);
    *p++ = ' ';
    p = put_u64(p, ln->sent);

    /* "request" */
    p = PUT_LIT(p, " \"");
    if (ln->kind == K_MALFORMED) {
        p = tls ? PUT_LIT(p, "- https://" EL_WL_LB_DNS ":443- -")
                : PUT_LIT(p, "- http://" EL_WL_LB_DNS ":80- -");
    } else {
        const char *hname = host ? host->name
                          : (below(r, 3) ? EL_WL_LB_DNS : el_wl_hosts[EL_WL_H_WWW].name);

        p = put_str(p, rt ? rt->method : ln->scan->method);
        p = tls ? PUT_LIT(p, " https://") : PUT_LIT(p, " http://");
        p = put_str(p, hname);
        p = tls ? PUT_LIT(p, ":443") : PUT_LIT(p, ":80");
        if (rt) {
            p = put_path(p, r, rt);
        } else {
            p = put_str(p, ln->scan->path);
            if (ln->scan->query) {
                *p++ = '?';
                p = put_str(p, ln->scan->query);
            }
        }
        if (ln->type == T_H2)
            p = PUT_LIT(p, " HTTP/2.0");
        else if (!rt && below(r, 10) == 0)
            p = PUT_LIT(p, " HTTP/1.0");
        else
            p = PUT_LIT(p, " HTTP/1.1");
    }
    p = PUT_LIT(p, "\" ");

    /* "user_agent" ssl_cipher ssl_protocol target_group_arn */
    p = put_quoted(p, ln->kind == K_MALFORMED ? NULL : cl.ua);
    *p++ = ' ';
    if (tls) {
        uint32_t x = below(r, 1000), acc = 0;
        const struct el_cipher *c = &ciphers[0];

        for (size_t k = 0; k < ARRAY_LEN(ciphers); k++) {
            c = &ciphers[k];
            if (x < (acc += c->permil))
                break;
        }
        p = put_str(p, c->name);
        *p++ = ' ';
        p = put_str(p, c->proto);
    } else {
        p = PUT_LIT(p, "- -");
    }
    *p++ = ' ';
    if (ln->tg)
        p = put_tg_arn(p, &el_wl_tgs[rt->tg]);
    else
        *p++ = '-';

    /* "trace_id": ALB's own root, or the client's root with ALB's Self */
    p = PUT_LIT(p, " \"");
    if (ln->kind == K_MALFORMED) {
        *p++ = '-';
    } else if (below(r, 100) < 4) {
        p = PUT_LIT(p, "Self=");
        p = put_trace_root(p, r, created);
        p = PUT_LIT(p, ";Root=");
        p = put_trace_root(p, r, created - (int64_t)below(r, 3000) * 1000);
    } else {
        p = PUT_LIT(p, "Root=");
        p = put_trace_root(p, r, created);
    }
    p = PUT_LIT(p, "\" ");

    /* "domain_name" "chosen_cert_arn" matched_rule_priority */
    if (tls && ln->kind != K_MALFORMED && (rt || below(r, 2))) {
        const struct el_wl_host *sni = host ? host : &el_wl_hosts[EL_WL_H_WWW];

        p = put_quoted(p, sni->name);
        *p++ = ' ';
        if (below(r, 100) < 50) {
            p = PUT_LIT(p, "\"session-reused\"");
        } else {
            p = PUT_LIT(p, "\"arn:aws:acm:" EL_WL_REGION ":" EL_WL_ACCOUNT ":certificate/");
            p = put_str(p, el_wl_certs[sni->cert]);
            *p++ = '"';
        }
    } else if (tls && ln->kind != K_MALFORMED) {
        /* no SNI: the listener's default certificate */
        p = PUT_LIT(p, "\"-\" \"arn:aws:acm:" EL_WL_REGION ":" EL_WL_ACCOUNT ":certificate/");
        p = put_str(p, el_wl_certs[0]);
        *p++ = '"';
    } else {
        p = PUT_LIT(p, "\"-\" \"-\"");
    }
    *p++ = ' ';
    if (ln->rule >= 0)
        p = put_u64(p, (uint64_t)ln->rule);
    else
        *p++ = '-';

    /* request_creation_time "actions_executed" "redirect_url" "error_reason" */
    *p++ = ' ';
    p = put_iso_ms(p, &g->dc, created);
    *p++ = ' ';
    p = put_quoted(p, ln->actions);
    *p++ = ' ';
    p = put_quoted(p, ln->redirect);
    *p++ = ' ';
    p = put_quoted(p, ln->error);

    /* "target:port_list" "target_status_code_list" */
    *p++ = ' ';
    if (ln->ip_target) {
        p = PUT_LIT(p, "\"10.0.");
        p = put_u64(p, ln->tgt_addr[0]);
        *p++ = '.';
        p = put_u64(p, ln->tgt_addr[1]);
        *p++ = ':';
        p = put_u64(p, ln->tgt_port);
        p = PUT_LIT(p, "\" ");
        if (ln->target >= 0) {
            *p++ = '"';
            p = put_u64(p, (uint64_t)ln->target);
            *p++ = '"';
        } else {
            p = PUT_LIT(p, "\"-\"");
        }
    } else {
        p = PUT_LIT(p, "\"-\" \"-\"");
    }

    /* "classification" "classification_reason" conn_trace_id */
    *p++ = ' ';
    p = put_quoted(p, ln->cls);
    *p++ = ' ';
    p = put_quoted(p, ln->cls_reason);
    p = PUT_LIT(p, " TID_");
    p = put_rand_hex(p, r, 32);

    /* "transformed_host" "transformed_uri" "request_transform_status" */
    if (trailing)
        p = PUT_LIT(p, " \"-\" \"-\" \"-\"");
    *p++ = '\n';

    *time_us = ln->time_us;
    return (size_t)(p - out);
}

/* ------------------------------------------------------------------ */
/* Output: a buffered sink, plain or gzip with block-parallel deflate   */
/* ------------------------------------------------------------------ */

/* zlib level 6 runs at ~60 MB/s here, so one stream would spend ~22 s on
 * the 1.25 GB corpus. As in pigz, the text is cut into fixed 1 MiB blocks,
 * each compressed on its own with the previous 32 KiB as dictionary and
 * ended with a sync flush, and the raw pieces are glued into one gzip
 * member. The block size is fixed, so the bytes do not depend on --jobs. */
#define BLOCK_SIZE  (1u << 20)
#define DICT_SIZE   32768u
#define MAX_JOBS    64

enum el_job_state { JOB_FREE, JOB_QUEUED, JOB_RUNNING, JOB_DONE };

struct el_job {
    enum el_job_state state;
    bool last;                     /* Z_FINISH instead of Z_SYNC_FLUSH */
    bool failed;
    char *in;
    size_t in_len;
    unsigned char dict[DICT_SIZE];
    size_t dict_len;
    unsigned char *out;
    size_t out_len, out_cap;
    uLong crc;
};

struct el_sink {
    FILE *fp;
    bool gz, is_stdout;
    int level;
    unsigned jobs;                 /* worker threads; 0: compress inline */
    char *buf;                     /* block being filled (a job's input) */
    size_t fill;
    unsigned char tail[DICT_SIZE]; /* last bytes of the previous block */
    size_t tail_len;
    struct el_job *ring;           /* 2 x jobs + 2 slots: bounds memory */
    unsigned nring;
    unsigned head, next;           /* oldest unwritten job, next free slot */
    bool stop;
    pthread_t threads[MAX_JOBS];
    unsigned nthreads;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool sync_ok;
    z_stream inline_zs;
    bool inline_ready;
    uLong crc;
    uint64_t raw, packed;
    bool io_failed;
    char path[4096];
};

static int compress_job(z_stream *zs, struct el_job *j)
{
    size_t bound = deflateBound(zs, (uLong)j->in_len) + 64;

    if (deflateReset(zs) != Z_OK)        /* keeps the level of deflateInit2 */
        return -1;
    if (j->dict_len && deflateSetDictionary(zs, j->dict, (uInt)j->dict_len) != Z_OK)
        return -1;
    if (j->out_cap < bound) {
        unsigned char *p = realloc(j->out, bound);

        if (!p)
            return -1;
        j->out = p;
        j->out_cap = bound;
    }
    zs->next_in = (Bytef *)j->in;
    zs->avail_in = (uInt)j->in_len;
    zs->next_out = j->out;
    zs->avail_out = (uInt)j->out_cap;
    /* the bound leaves room to spare: anything else is an error */
    if (deflate(zs, j->last ? Z_FINISH : Z_SYNC_FLUSH) == Z_STREAM_ERROR
        || zs->avail_in != 0 || zs->avail_out == 0)
        return -1;
    j->out_len = j->out_cap - zs->avail_out;
    j->crc = crc32(0L, (const Bytef *)j->in, (uInt)j->in_len);
    return 0;
}

static int deflate_init_raw(z_stream *zs, int level)
{
    memset(zs, 0, sizeof *zs);
    return deflateInit2(zs, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) == Z_OK ? 0 : -1;
}

static void *worker_main(void *arg)
{
    struct el_sink *s = arg;
    z_stream zs;
    bool ok = deflate_init_raw(&zs, s->level) == 0;

    pthread_mutex_lock(&s->mu);
    for (;;) {
        struct el_job *j = NULL;

        /* oldest queued job first, so output can be written in order */
        for (unsigned k = s->head; k != s->next; k = (k + 1) % s->nring) {
            if (s->ring[k].state == JOB_QUEUED) {
                j = &s->ring[k];
                break;
            }
        }
        if (!j) {
            if (s->stop)
                break;
            pthread_cond_wait(&s->cv, &s->mu);
            continue;
        }
        j->state = JOB_RUNNING;
        pthread_mutex_unlock(&s->mu);
        j->failed = !ok || compress_job(&zs, j) != 0;
        pthread_mutex_lock(&s->mu);
        j->state = JOB_DONE;
        pthread_cond_broadcast(&s->cv);
    }
    pthread_mutex_unlock(&s->mu);
    if (ok)
        deflateEnd(&zs);
    return NULL;
}

/* head, next and job states are shared with the workers; without
 * workers there is nothing to lock. */
static void sink_lock(struct el_sink *s)
{
    if (s->nthreads)
        pthread_mutex_lock(&s->mu);
}

static void sink_unlock(struct el_sink *s)
{
    if (s->nthreads)
        pthread_mutex_unlock(&s->mu);
}

static int sink_write_out(struct el_sink *s, const void *p, size_t n)
{
    if (n && fwrite(p, 1, n, s->fp) != n) {
        s->io_failed = true;
        return -1;
    }
    s->packed += n;
    return 0;
}

/* Write the oldest job once it is done (waiting for it if wait). */
static int sink_drain_one(struct el_sink *s, bool wait)
{
    struct el_job *j = &s->ring[s->head];
    int rc;

    sink_lock(s);
    while (wait && s->nthreads && j->state != JOB_DONE)
        pthread_cond_wait(&s->cv, &s->mu);
    rc = j->state == JOB_DONE;
    sink_unlock(s);
    if (!rc)
        return 1;                      /* not ready yet */
    /* a done job is no longer touched by any worker */
    rc = j->failed ? -1 : sink_write_out(s, j->out, j->out_len);
    s->crc = crc32_combine(s->crc, j->crc, (z_off_t)j->in_len);
    sink_lock(s);
    j->state = JOB_FREE;
    s->head = (s->head + 1) % s->nring;
    sink_unlock(s);
    return rc;
}

/* Hand the filled block to a worker (or compress it here) and start a new
 * one. The next block's dictionary is this block's tail. */
static int sink_submit(struct el_sink *s, bool last)
{
    struct el_job *j = &s->ring[s->next];
    size_t keep = s->fill < DICT_SIZE ? s->fill : DICT_SIZE;
    int rc = 0;

    memcpy(j->dict, s->tail, s->tail_len);
    j->dict_len = s->tail_len;
    if (keep < DICT_SIZE && s->tail_len + keep > DICT_SIZE) {
        /* short block: the window still reaches into the one before */
        memmove(s->tail, s->tail + (s->tail_len + keep - DICT_SIZE), DICT_SIZE - keep);
        s->tail_len = DICT_SIZE - keep;
    } else if (keep == DICT_SIZE) {
        s->tail_len = 0;
    }
    memcpy(s->tail + s->tail_len, s->buf + s->fill - keep, keep);
    s->tail_len += keep;

    {
        char *tmp = j->in;             /* swap buffers: the job owns the text */
        j->in = s->buf;
        s->buf = tmp;
    }
    j->in_len = s->fill;
    j->last = last;
    j->failed = false;
    s->fill = 0;
    if (s->nthreads) {
        pthread_mutex_lock(&s->mu);
        j->state = JOB_QUEUED;
        s->next = (s->next + 1) % s->nring;
        pthread_cond_broadcast(&s->cv);
        pthread_mutex_unlock(&s->mu);
    } else {
        j->failed = compress_job(&s->inline_zs, j) != 0;
        j->state = JOB_DONE;
        s->next = (s->next + 1) % s->nring;
    }
    if (!s->buf) {
        s->buf = malloc(BLOCK_SIZE);
        if (!s->buf)
            return -1;
    }
    /* keep at most 2 x jobs blocks in flight; write what is finished */
    while (rc == 0 && s->head != s->next) {
        unsigned inflight = (s->next + s->nring - s->head) % s->nring;
        int d = sink_drain_one(s, inflight > 2 * (s->nthreads ? s->nthreads : 1));

        if (d == 1)
            break;
        rc = d;
    }
    return rc;
}

/* path NULL: stdout. The gzip header has mtime 0, no name and OS 3, so
 * the output is byte-identical between runs and machines. */
static int sink_open(struct el_sink *s, const char *path, bool gz, int level, unsigned jobs)
{
    memset(s, 0, sizeof *s);
    s->gz = gz;
    s->level = level;
    snprintf(s->path, sizeof s->path, "%s", path ? path : "<stdout>");
    s->buf = malloc(BLOCK_SIZE);
    if (!s->buf)
        return -1;
    if (path) {
        s->fp = fopen(path, "wb");
        if (!s->fp)
            return -1;
    } else {
        s->fp = stdout;
        s->is_stdout = true;
    }
    if (!gz)
        return 0;
    {
        /* XFL as zlib writes it: 2 = best compression, 4 = fastest */
        unsigned char hdr[10] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3 };

        hdr[8] = level == 9 ? 2 : level == 1 ? 4 : 0;
        if (sink_write_out(s, hdr, sizeof hdr) != 0)
            return -1;
    }
    s->crc = crc32(0L, Z_NULL, 0);
    s->nring = 2 * (jobs > 1 ? jobs : 1) + 2;
    s->ring = calloc(s->nring, sizeof *s->ring);
    if (!s->ring)
        return -1;
    if (jobs <= 1) {
        if (deflate_init_raw(&s->inline_zs, level) != 0)
            return -1;
        s->inline_ready = true;
        return 0;
    }
    if (pthread_mutex_init(&s->mu, NULL) != 0)
        return -1;
    if (pthread_cond_init(&s->cv, NULL) != 0) {
        pthread_mutex_destroy(&s->mu);
        return -1;
    }
    s->sync_ok = true;
    for (unsigned k = 0; k < jobs; k++) {
        if (pthread_create(&s->threads[k], NULL, worker_main, s) != 0)
            return -1;
        s->nthreads++;
    }
    return 0;
}

static int sink_put(struct el_sink *s, const char *p, size_t n)
{
    s->raw += n;
    while (n) {
        size_t room = BLOCK_SIZE - s->fill, k = n < room ? n : room;

        memcpy(s->buf + s->fill, p, k);
        s->fill += k;
        p += k;
        n -= k;
        if (s->fill == BLOCK_SIZE) {
            if (s->gz ? sink_submit(s, false) != 0 : sink_write_out(s, s->buf, s->fill) != 0)
                return -1;
            if (!s->gz)
                s->fill = 0;
        }
    }
    return 0;
}

static void put_le32(unsigned char *p, uint32_t v)
{
    for (int k = 0; k < 4; k++)
        p[k] = (unsigned char)(v >> (8 * k));
}

/* Finishes the stream and always releases the sink; returns -1 if
 * anything failed on the way (errno may tell why). */
static int sink_close(struct el_sink *s)
{
    int rc = s->io_failed ? -1 : 0;

    if (s->fp && s->gz) {
        if (s->buf && sink_submit(s, true) != 0)
            rc = -1;
        while (s->head != s->next)
            if (sink_drain_one(s, true) != 0)
                rc = -1;
        if (rc == 0) {
            unsigned char trailer[8];

            put_le32(trailer, (uint32_t)s->crc);
            put_le32(trailer + 4, (uint32_t)s->raw);
            rc = sink_write_out(s, trailer, sizeof trailer);
        }
    } else if (s->fp && s->fill) {
        rc |= sink_write_out(s, s->buf, s->fill);
    }
    if (s->nthreads) {
        pthread_mutex_lock(&s->mu);
        s->stop = true;
        pthread_cond_broadcast(&s->cv);
        pthread_mutex_unlock(&s->mu);
        for (unsigned k = 0; k < s->nthreads; k++)
            pthread_join(s->threads[k], NULL);
        s->nthreads = 0;
    }
    if (s->sync_ok) {
        pthread_cond_destroy(&s->cv);
        pthread_mutex_destroy(&s->mu);
        s->sync_ok = false;
    }
    if (s->inline_ready) {
        deflateEnd(&s->inline_zs);
        s->inline_ready = false;
    }
    if (s->fp) {
        if (s->is_stdout ? fflush(s->fp) != 0 : fclose(s->fp) != 0)
            rc = -1;
        s->fp = NULL;
    }
    for (unsigned k = 0; s->ring && k < s->nring; k++) {
        free(s->ring[k].in);
        free(s->ring[k].out);
    }
    free(s->ring);
    s->ring = NULL;
    free(s->buf);
    s->buf = NULL;
    return rc;
}

/* ------------------------------------------------------------------ */
/* Layouts                                                             */
/* ------------------------------------------------------------------ */

struct el_opts {
    uint64_t lines;
    uint64_t seed;
    int year;
    unsigned month, day;
    unsigned start_min;
    unsigned minutes;
    const char *out;
    bool s3;
    unsigned files;
    unsigned trailing_permil;
    bool plain;
    int level;
    bool showcase;
    bool stats;
    unsigned jobs;
};

static int mkdir_p(const char *dir)
{
    char tmp[4096];
    size_t n = strlen(dir);

    if (n == 0 || n >= sizeof tmp)
        return -1;
    memcpy(tmp, dir, n + 1);
    for (size_t k = 1; k <= n; k++) {
        if (tmp[k] == '/' || tmp[k] == '\0') {
            char c = tmp[k];

            tmp[k] = '\0';
            if (mkdir(tmp, 0777) != 0 && errno != EEXIST)
                return -1;
            tmp[k] = c;
        }
    }
    return 0;
}

static int write_single(struct el_gen *g, const struct el_opts *o, char *line)
{
    struct el_sink s;
    bool to_stdout = strcmp(o->out, "-") == 0;
    int rc = 0;

    if (sink_open(&s, to_stdout ? NULL : o->out, !o->plain && !to_stdout, o->level, o->jobs) != 0) {
        fprintf(stderr, "el_gen_alb: %s: %s\n", o->out, strerror(errno));
        sink_close(&s);
        return -1;
    }
    for (uint64_t i = 0; i < g->lines && rc == 0; i++) {
        int64_t t;
        size_t n = build_line(g, i, line, &t);

        rc = sink_put(&s, line, n);
    }
    if (sink_close(&s) != 0 || rc != 0) {
        fprintf(stderr, "el_gen_alb: %s: write failed: %s\n", o->out, strerror(errno));
        return -1;
    }
    if (o->stats)
        fprintf(stderr, "el_gen_alb: %s: %llu bytes, %llu written\n", o->out,
                (unsigned long long)s.raw, (unsigned long long)s.packed);
    return 0;
}

/* The S3 key of one (node, window) file. The date folder is the date of
 * the window's end, so the last window of a day lands in the next day's
 * folder, as delivered logs do. */
static int s3_paths(const struct el_opts *o, int64_t end_us, unsigned node,
                    uint64_t salt, char *dir, size_t dirsz, char *file, size_t filesz)
{
    static const char alnum[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    int64_t day = floor_div(end_us, US_PER_DAY);
    unsigned mod = (unsigned)((end_us - day * US_PER_DAY) / US_PER_MIN);
    char rnd[9];
    int y;
    unsigned m, d;
    int n;

    civil_from_days(day, &y, &m, &d);
    for (int k = 0; k < 8; k++) {
        rnd[k] = alnum[salt % 36];
        salt /= 36;
    }
    rnd[8] = '\0';
    n = snprintf(dir, dirsz, "%s/AWSLogs/%s/elasticloadbalancing/%s/%04d/%02u/%02u",
                 o->out, EL_WL_ACCOUNT, EL_WL_REGION, y, m, d);
    if (n < 0 || (size_t)n >= dirsz)
        return -1;
    n = snprintf(file, filesz,
                 "%s/%s_elasticloadbalancing_%s_app.%s.%s_%04d%02u%02uT%02u%02uZ_%s_%s.log%s",
                 dir, EL_WL_ACCOUNT, EL_WL_REGION, EL_WL_LB_NAME, EL_WL_LB_ID, y, m, d,
                 mod / 60, mod % 60, el_wl_nodes[node], rnd, o->plain ? "" : ".gz");
    if (n < 0 || (size_t)n >= filesz)
        return -1;
    return 0;
}

/* The object ALB puts at the top of the prefix when logging is enabled. */
static int write_test_file(const struct el_opts *o)
{
    char dir[4096], path[4200], body[160];
    int64_t day = days_from_civil(o->year, o->month, o->day) - 1;
    int y;
    unsigned m, d;
    FILE *fp;
    int n;

    civil_from_days(day, &y, &m, &d);
    n = snprintf(dir, sizeof dir, "%s/AWSLogs/%s", o->out, EL_WL_ACCOUNT);
    if (n < 0 || (size_t)n >= sizeof dir || mkdir_p(dir) != 0)
        return -1;
    snprintf(path, sizeof path, "%s/ELBAccessLogTestFile", dir);
    n = snprintf(body, sizeof body, "Enable AccessLog for ELB: app/%s/%s at %04d-%02u-%02uT21:14:03.592Z",
                 EL_WL_LB_NAME, EL_WL_LB_ID, y, m, d);
    fp = fopen(path, "wb");
    if (!fp)
        return -1;
    if (fwrite(body, 1, (size_t)n, fp) != (size_t)n) {
        fclose(fp);
        return -1;
    }
    return fclose(fp);
}

/* One file per (node, window): windows split the span at 5-minute
 * boundaries as evenly as possible; each line goes to a node chosen by a
 * hash of its index (not its content), and to the window of its time. */
static int write_s3(struct el_gen *g, const struct el_opts *o, char *line)
{
    unsigned nodes = o->files % 2 == 0 ? 2 : 1;
    unsigned windows = o->files / nodes;
    unsigned slots = o->minutes / 5;
    struct el_sink *sinks = calloc(EL_WL_NODES_MAX, sizeof *sinks);
    bool is_open[EL_WL_NODES_MAX] = { false };
    unsigned w = 0, nfiles = 0;
    uint64_t raw = 0, packed = 0;
    int rc = 0;

    if (!sinks) {
        fprintf(stderr, "el_gen_alb: out of memory\n");
        return -1;
    }
    if (write_test_file(o) != 0) {
        free(sinks);
        fprintf(stderr, "el_gen_alb: %s: cannot write ELBAccessLogTestFile: %s\n", o->out,
                strerror(errno));
        return -1;
    }
    for (uint64_t i = 0; i < g->lines && rc == 0; i++) {
        int64_t t;
        size_t n = build_line(g, i, line, &t);
        unsigned slot = (unsigned)((t - g->curve.start_us) / (5 * US_PER_MIN));
        unsigned node = (unsigned)(mix64(g->seed ^ 0x0de5ULL ^ mix64(i)) % nodes);

        /* window w covers slots [ceil(w*slots/W), ceil((w+1)*slots/W)) */
        while (w + 1 < windows && slot >= ((w + 1) * slots + windows - 1) / windows) {
            for (unsigned k = 0; k < nodes; k++) {
                if (is_open[k]) {
                    if (sink_close(&sinks[k]) != 0) {
                        fprintf(stderr, "el_gen_alb: %s: write failed: %s\n", sinks[k].path,
                                strerror(errno));
                        rc = -1;
                    }
                    raw += sinks[k].raw;
                    packed += sinks[k].packed;
                    is_open[k] = false;
                }
            }
            w++;
        }
        if (rc == 0 && !is_open[node]) {
            char dir[4096], file[4600] = "";
            unsigned end_slot = ((w + 1) * slots + windows - 1) / windows;
            int64_t end_us = g->curve.start_us + (int64_t)end_slot * 5 * US_PER_MIN;
            uint64_t salt = mix64(g->seed ^ 0x5a17ULL ^ mix64((uint64_t)end_us) ^ node);

            if (s3_paths(o, end_us, node, salt, dir, sizeof dir, file, sizeof file) != 0
                || mkdir_p(dir) != 0
                || sink_open(&sinks[node], file, !o->plain, o->level, o->jobs) != 0) {
                fprintf(stderr, "el_gen_alb: %s: %s\n", file, strerror(errno));
                sink_close(&sinks[node]);
                rc = -1;
                break;
            }
            is_open[node] = true;
            nfiles++;
        }
        if (rc == 0)
            rc = sink_put(&sinks[node], line, n);
    }
    for (unsigned k = 0; k < nodes; k++) {
        if (is_open[k]) {
            if (sink_close(&sinks[k]) != 0)
                rc = -1;
            raw += sinks[k].raw;
            packed += sinks[k].packed;
        }
    }
    free(sinks);
    if (rc != 0) {
        fprintf(stderr, "el_gen_alb: %s: write failed\n", o->out);
        return -1;
    }
    if (o->stats)
        fprintf(stderr, "el_gen_alb: %s: %u files (%u nodes x %u windows), %llu bytes, %llu written\n",
                o->out, nfiles, nodes, windows, (unsigned long long)raw,
                (unsigned long long)packed);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Options                                                             */
/* ------------------------------------------------------------------ */

enum el_opt_key {
    O_LINES, O_SEED, O_DATE, O_START, O_MINUTES, O_OUT, O_LAYOUT, O_FILES,
    O_TRAILING, O_TRAILING_PCT, O_PLAIN, O_LEVEL, O_JOBS, O_SHOWCASE, O_STATS, O_HELP,
};

struct el_opt {
    const char *name;
    enum el_opt_key key;
    const char *arg;               /* NULL: a flag */
    const char *help;
};

static const struct el_opt opt_table[] = {
    { "lines",          O_LINES,        "N",      "number of lines (default 2000000)" },
    { "seed",           O_SEED,         "S",      "PRNG seed, unsigned 64-bit decimal (default 1)" },
    { "date",           O_DATE,         "YYYY-MM-DD", "UTC day of the traffic (default 2026-03-10)" },
    { "start",          O_START,        "HH:MM",  "first minute of the span, on a 5-minute mark (default 00:00)" },
    { "minutes",        O_MINUTES,      "M",      "length of the span in minutes, a multiple of 5, within the day\n"
                                                  "                         (default: to the end of the day)" },
    { "out",            O_OUT,          "PATH",   "output: FILE.gz, '-' for plain text on stdout, or the\n"
                                                  "                         directory under which --layout s3 writes AWSLogs/..." },
    { "layout",         O_LAYOUT,       "single|s3", "one file (default), or ALB's S3 key layout" },
    { "files",          O_FILES,        "N",      "s3 layout: number of files, 2 nodes x N/2 windows when N is\n"
                                                  "                         even, else 1 node (default 20)" },
    { "trailing-fields", O_TRAILING,    NULL,     "append \"-\" \"-\" \"-\" (transformed_host/uri/status) to every line" },
    { "trailing-pct",   O_TRAILING_PCT, "P",      "append them to P percent of the lines (0-100, default 0)" },
    { "plain",          O_PLAIN,        NULL,     "write uncompressed text (s3 layout: .log files)" },
    { "level",          O_LEVEL,        "N",      "gzip level 1-9 (default 6)" },
    { "jobs",           O_JOBS,         "N",      "compression threads per file, 1-64 (default: online CPUs);\n"
                                                  "                         the output is the same for any N" },
    { "showcase",       O_SHOWCASE,     NULL,     "force two lines of every rare kind, evenly spread (small samples)" },
    { "stats",          O_STATS,        NULL,     "print counts per kind, type and status class to stderr" },
    { "help",           O_HELP,         NULL,     "show this help and exit" },
};

static void usage(FILE *fp)
{
    fprintf(fp, "usage: el_gen_alb --out PATH [options]\n\n"
                "Writes a deterministic synthetic AWS ALB access log (30 fields per line,\n"
                "Lambda targets, one UTC day with a daily rate curve). Same options give\n"
                "byte-identical output; the s3 layout holds exactly the lines of the single\n"
                "file for the same --lines/--seed/--date/--start/--minutes.\n\noptions:\n");
    for (size_t k = 0; k < ARRAY_LEN(opt_table); k++) {
        char left[64];
        const struct el_opt *op = &opt_table[k];

        snprintf(left, sizeof left, "--%s%s%s", op->name, op->arg ? " " : "",
                 op->arg ? op->arg : "");
        if (strlen(left) < 24)
            fprintf(fp, "  %-23s%s\n", left, op->help);
        else
            fprintf(fp, "  %s\n                         %s\n", left, op->help);
    }
    fprintf(fp, "\nexamples:\n"
                "  el_gen_alb --lines 2000000 --out alb-2000000.log.gz\n"
                "  el_gen_alb --lines 2000000 --layout s3 --files 20 --out corpus/s3\n"
                "  el_gen_alb --lines 20 --out - | less -S\n");
}

/* Strict unsigned decimal: digits only, no sign, no spaces, no overflow. */
static int parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
    uint64_t v = 0;

    if (!*s)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        if (v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
            return -1;
        v = v * 10 + (uint64_t)(*s - '0');
    }
    if (v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

static int parse_fixed_digits(const char *s, int n, unsigned *out)
{
    unsigned v = 0;

    for (int k = 0; k < n; k++) {
        if (s[k] < '0' || s[k] > '9')
            return -1;
        v = v * 10 + (unsigned)(s[k] - '0');
    }
    *out = v;
    return 0;
}

static int parse_date(const char *s, struct el_opts *o)
{
    static const unsigned mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    unsigned y, m, d, dim;

    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || parse_fixed_digits(s, 4, &y)
        || parse_fixed_digits(s + 5, 2, &m) || parse_fixed_digits(s + 8, 2, &d))
        return -1;
    if (y < 1970 || m < 1 || m > 12)
        return -1;
    dim = mdays[m - 1] + (m == 2 && (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)));
    if (d < 1 || d > dim)
        return -1;
    o->year = (int)y;
    o->month = m;
    o->day = d;
    return 0;
}

static int parse_hhmm(const char *s, unsigned *min)
{
    unsigned h, m;

    if (strlen(s) != 5 || s[2] != ':' || parse_fixed_digits(s, 2, &h)
        || parse_fixed_digits(s + 3, 2, &m) || h > 23 || m > 59)
        return -1;
    *min = h * 60 + m;
    return 0;
}

static int bad_value(const char *name, const char *val, const char *why)
{
    fprintf(stderr, "el_gen_alb: --%s: invalid value '%s' (%s)\n", name, val, why);
    return 2;
}

/* Returns 0 to run, 1 after --help, 2 on a usage error (message printed). */
static int parse_args(int argc, char **argv, struct el_opts *o)
{
    bool minutes_set = false;
    uint64_t v;

    *o = (struct el_opts){ .lines = 2000000, .seed = 1, .year = 2026, .month = 3, .day = 10,
                           .files = 20, .level = 6 };
    for (int a = 1; a < argc; a++) {
        const char *arg = argv[a], *val = NULL, *eq;
        const struct el_opt *op = NULL;
        size_t nlen;

        if (strncmp(arg, "--", 2) != 0) {
            fprintf(stderr, "el_gen_alb: unexpected argument '%s' (see --help)\n", arg);
            return 2;
        }
        eq = strchr(arg + 2, '=');
        nlen = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);
        for (size_t k = 0; k < ARRAY_LEN(opt_table); k++) {
            if (strlen(opt_table[k].name) == nlen && memcmp(opt_table[k].name, arg + 2, nlen) == 0)
                op = &opt_table[k];
        }
        if (!op) {
            fprintf(stderr, "el_gen_alb: unknown option '%s' (see --help)\n", arg);
            return 2;
        }
        if (op->arg) {
            if (eq) {
                val = eq + 1;
            } else if (a + 1 < argc) {
                val = argv[++a];
            } else {
                fprintf(stderr, "el_gen_alb: --%s needs a value (%s)\n", op->name, op->arg);
                return 2;
            }
        } else if (eq) {
            fprintf(stderr, "el_gen_alb: --%s takes no value\n", op->name);
            return 2;
        }
        switch (op->key) {
        case O_LINES:
            if (parse_u64(val, 1, 10000000000ULL, &o->lines) != 0)
                return bad_value(op->name, val, "1 to 10000000000");
            break;
        case O_SEED:
            if (parse_u64(val, 0, UINT64_MAX, &o->seed) != 0)
                return bad_value(op->name, val, "unsigned decimal");
            break;
        case O_DATE:
            if (parse_date(val, o) != 0)
                return bad_value(op->name, val, "a real date YYYY-MM-DD, 1970 or later");
            break;
        case O_START:
            if (parse_hhmm(val, &o->start_min) != 0 || o->start_min % 5 != 0)
                return bad_value(op->name, val, "HH:MM on a 5-minute mark");
            break;
        case O_MINUTES:
            if (parse_u64(val, 5, 1440, &v) != 0 || v % 5 != 0)
                return bad_value(op->name, val, "5 to 1440, a multiple of 5");
            o->minutes = (unsigned)v;
            minutes_set = true;
            break;
        case O_OUT:
            if (!*val)
                return bad_value(op->name, val, "empty path");
            o->out = val;
            break;
        case O_LAYOUT:
            if (strcmp(val, "single") == 0)
                o->s3 = false;
            else if (strcmp(val, "s3") == 0)
                o->s3 = true;
            else
                return bad_value(op->name, val, "single or s3");
            break;
        case O_FILES:
            if (parse_u64(val, 1, 2 * 288, &v) != 0)
                return bad_value(op->name, val, "1 to 576");
            o->files = (unsigned)v;
            break;
        case O_TRAILING:
            o->trailing_permil = 1000;
            break;
        case O_TRAILING_PCT:
            if (parse_u64(val, 0, 100, &v) != 0)
                return bad_value(op->name, val, "0 to 100");
            o->trailing_permil = (unsigned)v * 10;
            break;
        case O_PLAIN:
            o->plain = true;
            break;
        case O_LEVEL:
            if (parse_u64(val, 1, 9, &v) != 0)
                return bad_value(op->name, val, "1 to 9");
            o->level = (int)v;
            break;
        case O_JOBS:
            if (parse_u64(val, 1, MAX_JOBS, &v) != 0)
                return bad_value(op->name, val, "1 to 64");
            o->jobs = (unsigned)v;
            break;
        case O_SHOWCASE:
            o->showcase = true;
            break;
        case O_STATS:
            o->stats = true;
            break;
        case O_HELP:
            usage(stdout);
            return 1;
        }
    }
    if (!minutes_set)
        o->minutes = 1440 - o->start_min;
    if (!o->jobs) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);

        o->jobs = n < 1 ? 1 : n > MAX_JOBS ? MAX_JOBS : (unsigned)n;
    }
    if (o->start_min + o->minutes > 1440) {
        fprintf(stderr, "el_gen_alb: --start + --minutes runs past the end of the day\n");
        return 2;
    }
    if (!o->out) {
        fprintf(stderr, "el_gen_alb: --out is required (see --help)\n");
        return 2;
    }
    if (o->s3) {
        unsigned nodes = o->files % 2 == 0 ? 2 : 1;

        if (strcmp(o->out, "-") == 0) {
            fprintf(stderr, "el_gen_alb: --layout s3 needs a directory for --out\n");
            return 2;
        }
        if (o->files / nodes > o->minutes / 5) {
            fprintf(stderr, "el_gen_alb: --files %u: windows would be shorter than 5 minutes\n",
                    o->files);
            return 2;
        }
    } else if (strcmp(o->out, "-") != 0) {
        size_t n = strlen(o->out);
        bool dot_gz = n > 3 && strcmp(o->out + n - 3, ".gz") == 0;

        if (dot_gz == o->plain) {
            fprintf(stderr, "el_gen_alb: --out %s: use a .gz name for gzip output, or --plain "
                            "with a name not ending in .gz\n", o->out);
            return 2;
        }
    }
    return 0;
}

static void print_stats(const struct el_gen *g)
{
    fprintf(stderr, "el_gen_alb: %llu lines\n", (unsigned long long)g->lines);
    for (int k = 0; k < K_COUNT; k++)
        fprintf(stderr, "  kind %-18s %10llu  %7.3f %%\n", kind_names[k],
                (unsigned long long)g->kind_count[k], 100.0 * g->kind_count[k] / g->lines);
    for (int k = 0; k < T_COUNT; k++)
        fprintf(stderr, "  type %-18s %10llu  %7.3f %%\n", type_names[k],
                (unsigned long long)g->type_count[k], 100.0 * g->type_count[k] / g->lines);
    for (int k = 1; k <= 5; k++)
        fprintf(stderr, "  status %dxx %17llu  %7.3f %%\n", k,
                (unsigned long long)g->status_class[k], 100.0 * g->status_class[k] / g->lines);
}

int main(int argc, char **argv)
{
    struct el_opts o;
    struct el_gen *g;
    char *line;
    int rc = parse_args(argc, argv, &o);

    if (rc == 1)
        return 0;
    if (rc != 0)
        return 2;
    g = calloc(1, sizeof *g);
    line = malloc(MAX_LINE);
    if (!g || !line) {
        fprintf(stderr, "el_gen_alb: out of memory\n");
        return 1;
    }
    g->seed = o.seed;
    g->lines = o.lines;
    g->trailing_permil = o.trailing_permil;
    g->showcase = o.showcase;
    model_init(g);
    if (curve_init(&g->curve, o.seed, days_from_civil(o.year, o.month, o.day) * US_PER_DAY,
                   o.start_min, o.minutes) != 0) {
        fprintf(stderr, "el_gen_alb: out of memory\n");
        return 1;
    }
    rc = o.s3 ? write_s3(g, &o, line) : write_single(g, &o, line);
    if (rc == 0 && o.stats)
        print_stats(g);
    free(g->curve.cum);
    free(line);
    free(g);
    return rc == 0 ? 0 : 1;
}

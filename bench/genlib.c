/* genlib.c: the generators' shared machinery (see genlib.h).
 *
 * Everything here was first written for gen_alb.c and moved out unchanged
 * when gen_apigw.c needed it: the ALB corpus and samples must stay byte for
 * byte what they were, so the order of PRNG draws inside each function is
 * part of its contract.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "genlib.h"
#include "gzwriter.h"

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

double el_gen_exp(double x)
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
double el_gen_log(double x)
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

/* Marsaglia's polar method needs only log and sqrt; sqrt is exactly
 * rounded by IEEE 754, so it is deterministic. */
double el_rng_normal(struct el_rng *r)
{
    for (;;) {
        double u = 2.0 * el_rng_unit(r) - 1.0;
        double v = 2.0 * el_rng_unit(r) - 1.0;
        double s = u * u + v * v;

        if (s > 0.0 && s < 1.0)
            return u * sqrt(-2.0 * el_gen_log(s) / s);
    }
}

int64_t el_rng_lognorm(struct el_rng *r, double median, unsigned sigma100, int64_t lo,
                       int64_t hi)
{
    double v = median * el_gen_exp(el_rng_normal(r) * (sigma100 / 100.0));
    int64_t n = (int64_t)(v + 0.5);

    if (n < lo)
        n = lo;
    if (n > hi)
        n = hi;
    return n;
}

/* Two draws: version nibble 4, variant 8-b. */
char *el_put_uuid(char *p, struct el_rng *r)
{
    uint64_t a = el_rng_next(r), b = el_rng_next(r);

    p = el_put_hex(p, a >> 32, 8);
    *p++ = '-';
    p = el_put_hex(p, a >> 16, 4);
    *p++ = '-';
    *p++ = '4';
    p = el_put_hex(p, a, 3);
    *p++ = '-';
    *p++ = el_hex_digit((unsigned)(8 + (b >> 62)));
    p = el_put_hex(p, b >> 48, 3);
    *p++ = '-';
    return el_put_hex(p, b, 12);
}

char *el_put_json_str(char *p, const char *s, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        unsigned char c = (unsigned char)s[k];

        if (c == '"' || c == '\\') {
            *p++ = '\\';
            *p++ = (char)c;
        } else if (c < 0x20) {
            p = EL_PUT_LIT(p, "\\u00");
            p = el_put_hex(p, c, 2);
        } else {
            *p++ = (char)c;
        }
    }
    return p;
}

/* ------------------------------------------------------------------ */
/* Calendar                                                            */
/* ------------------------------------------------------------------ */

int64_t el_gen_days_from_civil(int y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

void el_gen_civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
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

static char *put_date(char *p, struct el_datecache *dc, int64_t day)
{
    if (day != dc->day) {
        int y;
        unsigned m, d;
        char *q = dc->text;

        el_gen_civil_from_days(day, &y, &m, &d);
        q = el_put_dec(q, (unsigned)y, 4);
        *q++ = '-';
        q = el_put_dec(q, m, 2);
        *q++ = '-';
        q = el_put_dec(q, d, 2);
        *q = 'T';
        dc->day = day;
    }
    return el_put_mem(p, dc->text, sizeof dc->text);
}

/* "YYYY-MM-DDTHH:MM:SS." and the sub-second remainder in microseconds. */
static char *put_iso_secs(char *p, struct el_datecache *dc, int64_t us, unsigned *frac_us)
{
    int64_t day = el_floor_div(us, EL_US_PER_DAY);
    int64_t rem = us - day * EL_US_PER_DAY;
    unsigned secs = (unsigned)(rem / EL_US_PER_SEC);

    p = put_date(p, dc, day);
    p = el_put_dec(p, secs / 3600, 2);
    *p++ = ':';
    p = el_put_dec(p, secs / 60 % 60, 2);
    *p++ = ':';
    p = el_put_dec(p, secs % 60, 2);
    *p++ = '.';
    *frac_us = (unsigned)(rem % EL_US_PER_SEC);
    return p;
}

char *el_put_iso_us(char *p, struct el_datecache *dc, int64_t us)
{
    unsigned frac;

    p = put_iso_secs(p, dc, us, &frac);
    p = el_put_dec(p, frac, 6);
    *p++ = 'Z';
    return p;
}

char *el_put_iso_ms(char *p, struct el_datecache *dc, int64_t us)
{
    return el_put_iso_us(p, dc, el_floor_div(us, 1000) * 1000);
}

char *el_put_iso_milli(char *p, struct el_datecache *dc, int64_t us)
{
    unsigned frac;

    p = put_iso_secs(p, dc, el_floor_div(us, 1000) * 1000, &frac);
    p = el_put_dec(p, frac / 1000, 3);
    *p++ = 'Z';
    return p;
}

/* ------------------------------------------------------------------ */
/* Daily rate curve                                                    */
/* ------------------------------------------------------------------ */

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

int el_curve_init(struct el_curve *c, uint64_t seed, int64_t day_start_us,
                  unsigned start_min, unsigned minutes)
{
    c->cum = malloc((minutes + 1) * sizeof *c->cum);
    if (!c->cum)
        return -1;
    c->start_us = day_start_us + (int64_t)start_min * EL_US_PER_MIN;
    c->minutes = minutes;
    c->pos = 0;
    c->cum[0] = 0.0;
    for (unsigned m = 0; m < minutes; m++) {
        unsigned mod = start_min + m;
        /* +-8 % minute-to-minute noise, fixed by the seed */
        double noise = 0.92 + 0.16 * (double)(el_mix64(seed ^ 0x51ed27d0ULL ^ mod) >> 11)
                                   * (1.0 / 9007199254740992.0);
        double rate = hourly_rate(mod) * noise;

        if (mod >= EL_WL_SPIKE_START_MIN && mod < EL_WL_SPIKE_START_MIN + EL_WL_SPIKE_MINUTES)
            rate = rate * EL_WL_SPIKE_PCT / 100.0;
        c->cum[m + 1] = c->cum[m] + rate;
    }
    return 0;
}

void el_curve_fini(struct el_curve *c)
{
    free(c->cum);
    c->cum = NULL;
}

int64_t el_curve_time(struct el_curve *c, uint64_t i, uint64_t n, double u)
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
    return c->start_us + (int64_t)c->pos * EL_US_PER_MIN + (int64_t)(f * (double)EL_US_PER_MIN);
}

/* ------------------------------------------------------------------ */
/* Routes, clients, user agents                                        */
/* ------------------------------------------------------------------ */

void el_model_init(struct el_model *m)
{
    uint64_t acc = 0;
    uint32_t a;

    for (size_t i = 0; i < EL_WL_NROUTES; i++) {
        acc += el_wl_routes[i].weight;
        m->route_cum[i] = acc;
    }
    m->route_total = acc;
    a = 0;
    for (size_t i = 0; i < EL_ARRAY_LEN(el_wl_uas); i++)
        m->ua_cum[i] = a += el_wl_uas[i].weight;
    m->ua_total = a;
    a = 0;
    for (size_t i = 0; i < EL_ARRAY_LEN(el_wl_scan_uas); i++)
        m->scan_ua_cum[i] = a += el_wl_scan_uas[i].weight;
    m->scan_ua_total = a;
    a = 0;
    for (size_t i = 0; i < EL_ARRAY_LEN(el_wl_scans); i++)
        m->scan_cum[i] = a += el_wl_scans[i].weight;
    m->scan_total = a;
}

size_t el_pick_cum32(const uint32_t *cum, size_t n, uint32_t x)
{
    size_t i = 0;

    while (i + 1 < n && cum[i] <= x)
        i++;
    return i;
}

size_t el_pick_cum64(const uint64_t *cum, size_t n, uint64_t total, struct el_rng *r)
{
    uint64_t x = (uint64_t)(el_rng_unit(r) * (double)total);
    size_t lo = 0, hi = n - 1;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;

        if (cum[mid] > x)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

const struct el_wl_route *el_model_pick_route(const struct el_model *m, struct el_rng *r)
{
    return &el_wl_routes[el_pick_cum64(m->route_cum, EL_WL_NROUTES, m->route_total, r)];
}

void el_client_make(const struct el_model *m, uint64_t seed, uint64_t id, bool scanner,
                    struct el_client *c)
{
    uint64_t h = el_mix64(seed ^ 0xc1e47a5d00000000ULL ^ (id * 0x9e3779b97f4a7c15ULL)
                          ^ (scanner ? 0x5ca9ULL : 0));
    uint64_t h2 = el_mix64(h + 1), h3 = el_mix64(h + 2);

    c->v6 = !scanner && h % 1000 < EL_WL_IPV6_PERMIL;
    c->compress = (h >> 10) % 5 == 0;
    if (c->v6) {
        uint32_t pfx = el_wl_v6_prefix[(h >> 20) % EL_ARRAY_LEN(el_wl_v6_prefix)];

        c->v6g[0] = pfx >> 16;
        c->v6g[1] = pfx & 0xffff;
        for (int k = 2; k < 6; k++)
            c->v6g[k] = (unsigned)(h2 >> (16 * (k - 2))) & 0xffff;
        c->v6g[6] = (unsigned)h3 & 0xffff;
        c->v6g[7] = (unsigned)(h3 >> 16) & 0xffff;
        if (c->compress)
            c->v6g[4] = c->v6g[5] = 0;
    } else {
        c->v4[0] = el_wl_v4_first[(h >> 20) % EL_ARRAY_LEN(el_wl_v4_first)];
        c->v4[1] = (unsigned)(h2 & 0xff);
        c->v4[2] = (unsigned)((h2 >> 8) & 0xff);
        c->v4[3] = 1 + (unsigned)((h2 >> 16) % 254);
    }
    if (scanner) {
        uint32_t x = (uint32_t)((h3 >> 32) % m->scan_ua_total);
        c->ua = el_wl_scan_uas[el_pick_cum32(m->scan_ua_cum, EL_ARRAY_LEN(el_wl_scan_uas), x)].ua;
    } else {
        uint32_t x = (uint32_t)((h3 >> 32) % m->ua_total);
        c->ua = el_wl_uas[el_pick_cum32(m->ua_cum, EL_ARRAY_LEN(el_wl_uas), x)].ua;
    }
}

uint64_t el_client_pick(struct el_rng *r)
{
    double u = el_rng_unit(r);

    return (uint64_t)(u * u * EL_WL_CLIENTS);
}

/* IPv6 group: lowercase, no leading zeros. */
static char *put_hex_group(char *p, unsigned v)
{
    int digits = v >= 0x1000 ? 4 : v >= 0x100 ? 3 : v >= 0x10 ? 2 : 1;

    return el_put_hex(p, v, digits);
}

char *el_put_client_addr(char *p, const struct el_client *c)
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
            p = el_put_u64(p, c->v4[k]);
        }
    }
    return p;
}

static const char *const sorts[] = { "price_asc", "price_desc", "newest", "popular", "rating" };

char *el_put_path(char *p, struct el_rng *r, const struct el_wl_route *rt)
{
    const char *s = rt->path;

    while (*s) {
        if (s[0] == '{' && s[1] == 'n' && s[2] == '}') {
            /* half of the hits go to the 2 % most popular ids */
            uint32_t max = rt->id_max ? rt->id_max : 1000;
            uint32_t span = el_rng_below(r, 2) ? max / 50 + 1 : max;

            p = el_put_u64(p, 1 + el_rng_below(r, span));
            s += 3;
        } else if (strncmp(s, "{uuid}", 6) == 0) {
            p = el_put_uuid(p, r);
            s += 6;
        } else {
            *p++ = *s++;
        }
    }
    if (rt->query == EL_WL_Q_NONE || el_rng_below(r, 100) >= rt->query_pct)
        return p;
    switch (rt->query) {
    case EL_WL_Q_PRODUCTS:
        p = EL_PUT_LIT(p, "?category=");
        p = el_put_u64(p, 1 + el_rng_below(r, 480));
        p = EL_PUT_LIT(p, "&sort=");
        p = el_put_str(p, sorts[el_rng_below(r, EL_ARRAY_LEN(sorts))]);
        if (el_rng_below(r, 100) < 40) {
            p = EL_PUT_LIT(p, "&cursor=");
            p = el_put_rand_hex(p, r, 24);
        }
        break;
    case EL_WL_Q_SEARCH:
        p = EL_PUT_LIT(p, "?q=");
        p = el_put_str(p, el_wl_words[el_rng_below(r, EL_ARRAY_LEN(el_wl_words))]);
        p = EL_PUT_LIT(p, "&page=");
        p = el_put_u64(p, el_rng_below(r, 3) ? 1 : 2 + el_rng_below(r, 6));
        break;
    case EL_WL_Q_SUGGEST: {
        /* a prefix of a word, stopping before any escape or separator */
        const char *w = el_wl_words[el_rng_below(r, EL_ARRAY_LEN(el_wl_words))];
        size_t n = strcspn(w, "+%\\");
        size_t k = n < 2 ? n : 2 + el_rng_below(r, (uint32_t)(n - 1));

        p = EL_PUT_LIT(p, "?q=");
        p = el_put_mem(p, w, k);
        break;
    }
    case EL_WL_Q_LIST:
        p = EL_PUT_LIT(p, "?limit=");
        p = el_put_u64(p, el_rng_below(r, 3) ? 20 : 50);
        if (el_rng_below(r, 2)) {
            p = EL_PUT_LIT(p, "&cursor=");
            p = el_put_rand_hex(p, r, 32);
        }
        break;
    case EL_WL_Q_GEO:
        p = EL_PUT_LIT(p, "?lat=");
        p = el_put_u64(p, 25 + el_rng_below(r, 24));
        *p++ = '.';
        p = el_put_dec(p, el_rng_below(r, 10000), 4);
        p = EL_PUT_LIT(p, "&lon=-");
        p = el_put_u64(p, 67 + el_rng_below(r, 57));
        *p++ = '.';
        p = el_put_dec(p, el_rng_below(r, 10000), 4);
        p = EL_PUT_LIT(p, "&radius=");
        p = el_put_u64(p, 5 + 5 * el_rng_below(r, 10));
        break;
    case EL_WL_Q_TOKEN:
        p = EL_PUT_LIT(p, "?token=");
        p = el_put_rand_hex(p, r, 40);
        break;
    case EL_WL_Q_THUMB: {
        unsigned w = 160u << el_rng_below(r, 3);

        p = EL_PUT_LIT(p, "?w=");
        p = el_put_u64(p, w);
        p = EL_PUT_LIT(p, "&h=");
        p = el_put_u64(p, w);
        p = EL_PUT_LIT(p, "&fmt=webp");
        break;
    }
    default:
        break;
    }
    return p;
}

static int hex_val(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

char *el_put_unescaped(char *p, const char *s)
{
    while (*s) {
        int hi, lo;

        if (s[0] == '\\' && s[1] == 'x' && (hi = hex_val(s[2])) >= 0 && (lo = hex_val(s[3])) >= 0) {
            *p++ = (char)(hi * 16 + lo);
            s += 4;
        } else {
            *p++ = *s++;
        }
    }
    return p;
}

int64_t el_showcase_slot(uint64_t i, uint64_t lines, uint64_t slots)
{
    uint64_t j = i * slots / lines;

    if (((2 * j + 1) * lines) / (2 * slots) != i)
        return -1;
    return (int64_t)j;
}

/* ------------------------------------------------------------------ */
/* Files and options                                                   */
/* ------------------------------------------------------------------ */

int el_gen_mkdir_p(const char *dir)
{
    char tmp[4096];
    size_t n = strlen(dir);

    if (n == 0 || n >= sizeof tmp) {
        errno = ENAMETOOLONG;
        return -1;
    }
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

int el_gen_write_file(const char *path, const char *body, size_t n)
{
    FILE *fp = fopen(path, "wb");

    if (!fp)
        return -1;
    if (fwrite(body, 1, n, fp) != n) {
        fclose(fp);
        return -1;
    }
    return fclose(fp);
}

int el_gen_opt_parse(const char *prog, int argc, char **argv, const struct el_gen_opt *t,
                     size_t n, int (*fn)(void *ctx, const struct el_gen_opt *op, const char *val),
                     void *ctx)
{
    for (int a = 1; a < argc; a++) {
        const char *arg = argv[a], *val = NULL, *eq;
        const struct el_gen_opt *op = NULL;
        size_t nlen;
        int rc;

        if (strncmp(arg, "--", 2) != 0) {
            fprintf(stderr, "%s: unexpected argument '%s' (see --help)\n", prog, arg);
            return 2;
        }
        eq = strchr(arg + 2, '=');
        nlen = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);
        for (size_t k = 0; k < n; k++) {
            if (strlen(t[k].name) == nlen && memcmp(t[k].name, arg + 2, nlen) == 0)
                op = &t[k];
        }
        if (!op) {
            fprintf(stderr, "%s: unknown option '%s' (see --help)\n", prog, arg);
            return 2;
        }
        if (op->arg) {
            if (eq) {
                val = eq + 1;
            } else if (a + 1 < argc) {
                val = argv[++a];
            } else {
                fprintf(stderr, "%s: --%s needs a value (%s)\n", prog, op->name, op->arg);
                return 2;
            }
        } else if (eq) {
            fprintf(stderr, "%s: --%s takes no value\n", prog, op->name);
            return 2;
        }
        rc = fn(ctx, op, val);
        if (rc != 0)
            return rc;
    }
    return 0;
}

void el_gen_opt_usage(FILE *fp, const struct el_gen_opt *t, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        char left[64];
        const struct el_gen_opt *op = &t[k];
        const char *h = op->help, *nl;

        snprintf(left, sizeof left, "--%s%s%s", op->name, op->arg ? " " : "",
                 op->arg ? op->arg : "");
        if (strlen(left) < 24)
            fprintf(fp, "  %-23s", left);
        else
            fprintf(fp, "  %s\n%25s", left, "");
        /* help lines after the first line up under it */
        while ((nl = strchr(h, '\n')) != NULL) {
            fprintf(fp, "%.*s\n%25s", (int)(nl - h), h, "");
            h = nl + 1;
        }
        fprintf(fp, "%s\n", h);
    }
}

int el_gen_bad_value(const char *prog, const char *name, const char *val, const char *why)
{
    fprintf(stderr, "%s: --%s: invalid value '%s' (%s)\n", prog, name, val, why);
    return 2;
}

int el_gen_parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
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

int el_gen_parse_date(const char *s, int *year, unsigned *month, unsigned *day)
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
    *year = (int)y;
    *month = m;
    *day = d;
    return 0;
}

int el_gen_parse_hhmm(const char *s, unsigned *min)
{
    unsigned h, m;

    if (strlen(s) != 5 || s[2] != ':' || parse_fixed_digits(s, 2, &h)
        || parse_fixed_digits(s + 3, 2, &m) || h > 23 || m > 59)
        return -1;
    *min = h * 60 + m;
    return 0;
}

static void common_init(struct el_gen_common *c)
{
    *c = (struct el_gen_common){ .seed = 1, .year = 2026, .month = 3, .day = 10, .level = 6 };
}

int el_gen_common_opt(const char *prog, struct el_gen_common *c, const struct el_gen_opt *op,
                      const char *val)
{
    uint64_t v;

    switch (op->key) {
    case EL_GEN_O_SEED:
        if (el_gen_parse_u64(val, 0, UINT64_MAX, &c->seed) != 0)
            return el_gen_bad_value(prog, op->name, val, "unsigned decimal");
        return 0;
    case EL_GEN_O_DATE:
        if (el_gen_parse_date(val, &c->year, &c->month, &c->day) != 0)
            return el_gen_bad_value(prog, op->name, val, "a real date YYYY-MM-DD, 1970 or later");
        return 0;
    case EL_GEN_O_START:
        if (el_gen_parse_hhmm(val, &c->start_min) != 0 || c->start_min % 5 != 0)
            return el_gen_bad_value(prog, op->name, val, "HH:MM on a 5-minute mark");
        return 0;
    case EL_GEN_O_MINUTES:
        if (el_gen_parse_u64(val, 5, 1440, &v) != 0 || v % 5 != 0)
            return el_gen_bad_value(prog, op->name, val, "5 to 1440, a multiple of 5");
        c->minutes = (unsigned)v;
        c->minutes_set = true;
        return 0;
    case EL_GEN_O_OUT:
        if (!*val)
            return el_gen_bad_value(prog, op->name, val, "empty path");
        c->out = val;
        return 0;
    case EL_GEN_O_PLAIN:
        c->plain = true;
        return 0;
    case EL_GEN_O_LEVEL:
        if (el_gen_parse_u64(val, 1, 9, &v) != 0)
            return el_gen_bad_value(prog, op->name, val, "1 to 9");
        c->level = (int)v;
        return 0;
    case EL_GEN_O_JOBS:
        if (el_gen_parse_u64(val, 1, EL_GZW_MAX_JOBS, &v) != 0)
            return el_gen_bad_value(prog, op->name, val, "1 to 64");
        c->jobs = (unsigned)v;
        return 0;
    case EL_GEN_O_SHOWCASE:
        c->showcase = true;
        return 0;
    case EL_GEN_O_STATS:
        c->stats = true;
        return 0;
    default:
        return -1;
    }
}

static int common_finish(const char *prog, struct el_gen_common *c)
{
    if (!c->minutes_set)
        c->minutes = 1440 - c->start_min;
    if (!c->jobs) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);

        c->jobs = n < 1 ? 1 : n > EL_GZW_MAX_JOBS ? EL_GZW_MAX_JOBS : (unsigned)n;
    }
    if (c->start_min + c->minutes > 1440) {
        fprintf(stderr, "%s: --start + --minutes runs past the end of the day\n", prog);
        return 2;
    }
    if (!c->out) {
        fprintf(stderr, "%s: --out is required (see --help)\n", prog);
        return 2;
    }
    return 0;
}

int el_gen_parse_args(const char *prog, int argc, char **argv, const struct el_gen_opt *t,
                      size_t n, int (*fn)(void *ctx, const struct el_gen_opt *op, const char *val),
                      void *ctx, struct el_gen_common *c)
{
    common_init(c);
    int rc = el_gen_opt_parse(prog, argc, argv, t, n, fn, ctx);
    return rc ? rc : common_finish(prog, c);
}

int el_gen_check_gz_name(const char *prog, const struct el_gen_common *c)
{
    size_t n = strlen(c->out);
    bool dot_gz = n > 3 && strcmp(c->out + n - 3, ".gz") == 0;

    if (strcmp(c->out, "-") == 0 || dot_gz != c->plain)
        return 0;
    fprintf(stderr, "%s: --out %s: use a .gz name for gzip output, or --plain "
                    "with a name not ending in .gz\n", prog, c->out);
    return 2;
}

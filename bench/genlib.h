/* genlib.h: what the benchmark log generators share: a per-record PRNG,
 * deterministic exp/log, text building, calendar, the daily rate curve,
 * the workload's route/client/user-agent draws and a small option parser.
 *
 * Determinism is the invariant: every value is a pure function of the seed
 * and a record index, exp and log use only + - * / (sqrt is exactly
 * rounded), so the generators give the same bytes on any compiler, libm and
 * -O level. Nothing here knows a log syntax: gen_alb.c and gen_apigw.c
 * decide how a request is written down.
 *
 * The helpers called for every field of every line are static inline, so
 * that moving them out of gen_alb.c cost no speed; the rest is genlib.c.
 */
#ifndef EL_BENCH_GENLIB_H
#define EL_BENCH_GENLIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "workload.h"

#define EL_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#define EL_US_PER_SEC 1000000LL
#define EL_US_PER_MIN (60 * EL_US_PER_SEC)
#define EL_US_PER_DAY (86400 * EL_US_PER_SEC)

/* ------------------------------------------------------------------ */
/* PRNG: splitmix64, one independent stream per record                 */
/* ------------------------------------------------------------------ */

struct el_rng {
    uint64_t s;
};

static inline uint64_t el_mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static inline uint64_t el_rng_next(struct el_rng *r)
{
    r->s += 0x9e3779b97f4a7c15ULL;
    return el_mix64(r->s);
}

/* Streams of neighbouring records must not overlap: seeding with seed + i
 * would make record i+1 a shifted copy of record i, so the index is hashed. */
static inline void el_rng_line(struct el_rng *r, uint64_t seed, uint64_t i)
{
    r->s = el_mix64(seed ^ el_mix64(i + 0x6a09e667f3bcc908ULL));
}

/* Uniform in [0, n), n < 2^32 (multiply-shift, bias < 2^-32). */
static inline uint32_t el_rng_below(struct el_rng *r, uint32_t n)
{
    return (uint32_t)(((el_rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* Uniform in [0, 1) with 53 bits. */
static inline double el_rng_unit(struct el_rng *r)
{
    return (double)(el_rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* exp and log from + - * / only; x > 0 and normal for el_gen_log. */
double el_gen_exp(double x);
double el_gen_log(double x);

/* Standard normal deviate (Marsaglia's polar method). */
double el_rng_normal(struct el_rng *r);

/* Lognormal with the given median and sigma x 100, as an integer clamped
 * to [lo, hi]. */
int64_t el_rng_lognorm(struct el_rng *r, double median, unsigned sigma100, int64_t lo,
                       int64_t hi);

/* ------------------------------------------------------------------ */
/* Text: lines are built with memcpy and hand-written integer output   */
/* ------------------------------------------------------------------ */

/* Each writer stores at p (the caller guarantees room) and returns the
 * position after what it wrote. Nothing is NUL-terminated. */
static inline char *el_put_mem(char *p, const char *s, size_t n)
{
    memcpy(p, s, n);
    return p + n;
}

static inline char *el_put_str(char *p, const char *s)
{
    return el_put_mem(p, s, strlen(s));
}

#define EL_PUT_LIT(p, s) el_put_mem((p), (s), sizeof(s) - 1)

static inline char *el_put_u64(char *p, uint64_t v)
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

/* Exactly width digits, zero-padded (v is cut to its low digits). */
static inline char *el_put_dec(char *p, unsigned v, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
    return p + width;
}

static inline char el_hex_digit(unsigned v)
{
    return "0123456789abcdef"[v & 15];
}

/* The low `digits` hex digits of v, lowercase. */
static inline char *el_put_hex(char *p, uint64_t v, int digits)
{
    for (int i = digits - 1; i >= 0; i--) {
        p[i] = el_hex_digit((unsigned)v);
        v >>= 4;
    }
    return p + digits;
}

/* Random lowercase hex of any length. */
static inline char *el_put_rand_hex(char *p, struct el_rng *r, int digits)
{
    while (digits > 0) {
        int n = digits > 16 ? 16 : digits;

        p = el_put_hex(p, el_rng_next(r), n);
        digits -= n;
    }
    return p;
}

/* s[0..n) as the body of a JSON string: '"', '\\' and control bytes
 * escaped, other bytes (UTF-8) as they are. Writes at most 6n bytes. */
char *el_put_json_str(char *p, const char *s, size_t n);

/* A random UUID v4, lowercase: 8-4-4-4-12. */
char *el_put_uuid(char *p, struct el_rng *r);

/* ------------------------------------------------------------------ */
/* Calendar (proleptic Gregorian, days since 1970-01-01)               */
/* ------------------------------------------------------------------ */

static inline int64_t el_floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;

    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int64_t el_gen_days_from_civil(int y, unsigned m, unsigned d);
void el_gen_civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d);

/* Formatting a date costs a division chain; lines share a few days, so
 * the "YYYY-MM-DDT" prefix is cached per day. Set day to INT64_MIN first. */
struct el_datecache {
    int64_t day;
    char text[11];
};

/* 2026-03-10T14:03:27.123456Z */
char *el_put_iso_us(char *p, struct el_datecache *dc, int64_t us);
/* 2026-03-10T14:03:27.123000Z: microsecond layout, millisecond precision */
char *el_put_iso_ms(char *p, struct el_datecache *dc, int64_t us);
/* 2026-03-10T14:03:27.123Z: three decimals, as CloudWatch writes */
char *el_put_iso_milli(char *p, struct el_datecache *dc, int64_t us);

/* ------------------------------------------------------------------ */
/* Daily rate curve and stratified timestamps                          */
/* ------------------------------------------------------------------ */

struct el_curve {
    int64_t start_us;              /* first instant of the span */
    unsigned minutes;
    double *cum;                   /* cum[m] = mass before minute m, m <= minutes */
    unsigned pos;                  /* cursor: records come in increasing order */
};

/* The span [start_min, start_min + minutes) of the UTC day starting at
 * day_start_us. Returns -1 when out of memory; el_curve_fini releases. */
int el_curve_init(struct el_curve *c, uint64_t seed, int64_t day_start_us,
                  unsigned start_min, unsigned minutes);
void el_curve_fini(struct el_curve *c);

/* Time of record i of n: the inverse CDF at (i + u) / n. Each record owns
 * its own slice of probability mass, so times never decrease with i. Calls
 * must come with non-decreasing i (the cursor only moves forward). */
int64_t el_curve_time(struct el_curve *c, uint64_t i, uint64_t n, double u);

/* ------------------------------------------------------------------ */
/* The workload's draws: routes, clients, user agents                  */
/* ------------------------------------------------------------------ */

/* Cumulative weights of the workload tables, built once. */
struct el_model {
    uint64_t route_cum[EL_WL_NROUTES];
    uint64_t route_total;
    uint32_t ua_cum[EL_ARRAY_LEN(el_wl_uas)];
    uint32_t ua_total;
    uint32_t scan_ua_cum[EL_ARRAY_LEN(el_wl_scan_uas)];
    uint32_t scan_ua_total;
    uint32_t scan_cum[EL_ARRAY_LEN(el_wl_scans)];
    uint32_t scan_total;
};

void el_model_init(struct el_model *m);

/* Index of the first cumulative weight above x (the last one at most). */
size_t el_pick_cum32(const uint32_t *cum, size_t n, uint32_t x);
/* Binary search of unit(r) * total in cum[0..n): one draw from r. */
size_t el_pick_cum64(const uint64_t *cum, size_t n, uint64_t total, struct el_rng *r);

/* Ordinary traffic: a route by weight. */
const struct el_wl_route *el_model_pick_route(const struct el_model *m, struct el_rng *r);

struct el_client {
    bool v6;
    bool compress;                 /* print a "::" run */
    unsigned v4[4];
    unsigned v6g[8];
    const char *ua;                /* NULL: no User-Agent; ALB's \xHH escapes */
};

/* Client `id` (a function of seed and id only, so a client keeps its
 * address and user agent across records); scanners draw from their own
 * address and user-agent pools. */
void el_client_make(const struct el_model *m, uint64_t seed, uint64_t id, bool scanner,
                    struct el_client *c);

/* Popularity is skewed: u^2 gives the busiest client ~0.16 % of records. */
uint64_t el_client_pick(struct el_rng *r);

/* The address as text: dotted IPv4, or IPv6 in lowercase without leading
 * zeros and without brackets. */
char *el_put_client_addr(char *p, const struct el_client *c);

/* The request URL's path and query of route rt, as the client sent them
 * ({n} and {uuid} filled in; a query string by the route's shape). */
char *el_put_path(char *p, struct el_rng *r, const struct el_wl_route *rt);

/* Copies s, decoding ALB's \xHH escapes into the raw bytes (the workload
 * keeps user agents and query words as ALB writes them). */
char *el_put_unescaped(char *p, const char *s);

/* --showcase: where record i of `lines` is forced to a rare case. The
 * `slots` forced records are spread evenly; returns the slot number, or -1
 * for an ordinary record. */
int64_t el_showcase_slot(uint64_t i, uint64_t lines, uint64_t slots);

/* ------------------------------------------------------------------ */
/* Files and options                                                   */
/* ------------------------------------------------------------------ */

/* mkdir -p; 0 or -1 (errno set). */
int el_gen_mkdir_p(const char *dir);

/* Writes the n bytes of body to path (a marker object); 0 or -1. */
int el_gen_write_file(const char *path, const char *body, size_t n);

/* One table drives the parsing and the --help text. */
struct el_gen_opt {
    const char *name;
    int key;
    const char *arg;               /* NULL: a flag */
    const char *help;
};

/* Calls fn(ctx, op, value) for each option in argv (value NULL for flags).
 * fn returns 0 to go on, else a code that is returned at once. Returns 0,
 * or 2 after printing a usage error for prog. */
int el_gen_opt_parse(const char *prog, int argc, char **argv, const struct el_gen_opt *t,
                     size_t n, int (*fn)(void *ctx, const struct el_gen_opt *op, const char *val),
                     void *ctx);

/* Prints "  --name ARG   help" for each option; a '\n' in help starts a
 * line indented under the first. */
void el_gen_opt_usage(FILE *fp, const struct el_gen_opt *t, size_t n);

/* Prints "prog: --name: invalid value 'val' (why)" and returns 2. */
int el_gen_bad_value(const char *prog, const char *name, const char *val, const char *why);

/* The options both generators take (they embed this as their `c`), their
 * keys in an el_gen_opt table, and the table rows they share word for word. */
struct el_gen_common {
    uint64_t seed;
    int year;
    unsigned month, day;
    unsigned start_min, minutes;
    bool minutes_set;
    const char *out;
    bool plain, showcase, stats;
    int level;
    unsigned jobs;
};

enum el_gen_common_key {
    EL_GEN_O_SEED = 1000, EL_GEN_O_DATE, EL_GEN_O_START, EL_GEN_O_MINUTES, EL_GEN_O_OUT,
    EL_GEN_O_PLAIN, EL_GEN_O_LEVEL, EL_GEN_O_JOBS, EL_GEN_O_SHOWCASE, EL_GEN_O_STATS,
};

#define EL_GEN_OPT_ROWS_SPAN                                                                 \
    { "seed", EL_GEN_O_SEED, "S", "PRNG seed, unsigned 64-bit decimal (default 1)" },        \
    { "date", EL_GEN_O_DATE, "YYYY-MM-DD", "UTC day of the traffic (default 2026-03-10)" },  \
    { "start", EL_GEN_O_START, "HH:MM",                                                      \
      "first minute of the span, on a 5-minute mark (default 00:00)" },                      \
    { "minutes", EL_GEN_O_MINUTES, "M",                                                      \
      "length of the span in minutes, a multiple of 5, within the day\n"                     \
      "(default: to the end of the day)" }
#define EL_GEN_OPT_ROWS_GZIP                                                                 \
    { "level", EL_GEN_O_LEVEL, "N", "gzip level 1-9 (default 6)" },                          \
    { "jobs", EL_GEN_O_JOBS, "N",                                                            \
      "compression threads per file, 1-64 (default: online CPUs);\n"                         \
      "the output is the same for any N" }

/* Applies a common option: 0 done, 2 usage error (printed), -1 when op is
 * not a common option. */
int el_gen_common_opt(const char *prog, struct el_gen_common *c, const struct el_gen_opt *op,
                      const char *val);

/* A generator's whole command line: c (embedded in ctx) gets the common
 * defaults (seed 1, 2026-03-10, gzip level 6), el_gen_opt_parse calls fn
 * for each option, then the defaults that depend on other options are
 * filled and the span and --out checked. 0, 1 after --help (from fn), or 2
 * after printing a usage error. */
int el_gen_parse_args(const char *prog, int argc, char **argv, const struct el_gen_opt *t,
                      size_t n, int (*fn)(void *ctx, const struct el_gen_opt *op, const char *val),
                      void *ctx, struct el_gen_common *c);

/* A single output file must be named .gz exactly when it is gzip; 0 or 2. */
int el_gen_check_gz_name(const char *prog, const struct el_gen_common *c);

/* Strict unsigned decimal in [lo, hi]: digits only; 0 or -1. */
int el_gen_parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *out);
/* A real date YYYY-MM-DD, 1970 or later; 0 or -1. */
int el_gen_parse_date(const char *s, int *year, unsigned *month, unsigned *day);
/* HH:MM to minutes of the day; 0 or -1. */
int el_gen_parse_hhmm(const char *s, unsigned *min);

#endif /* EL_BENCH_GENLIB_H */

/* pricing.c: the built-in price tables, the JSON pricing file, and the
 * integer arithmetic of pricing.h.
 *
 * Main invariant: money never passes through floating point. Every product
 * is exact in unsigned __int128 and is divided (rounded) once; the only
 * double is cJSON's reading of a JSON number, which is accepted only when
 * it sits within 1e-6 of a whole number of micros. Every built-in number
 * comes from the team's reference notes (shared/reference/pricing.md),
 * section named beside it; what the notes do not give stays unknown
 * (pricing.h, "Unknown prices") rather than borrowed from another region.
 */
#include <float.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "pricing.h"

__extension__ typedef unsigned __int128 u128; /* GCC and Clang; exact products */

#define GIB ((uint64_t)1 << 30)
#define MICROS ((uint64_t)EL_MICROS_PER_UNIT)

/* ---- built-in tables --------------------------------------------------------
 * Every region's LCU allowances are the same (reference 1.2), as is HTTP
 * API's 512 KiB metering increment (2.2: a product rule from the private
 * APIs whitepaper, not a regional price). */

#define LCU_ALLOWANCE                                                                              \
    {                                                                                              \
        .new_conns_per_s = 25, .active_conns_per_min = 3000, .bytes_per_hour_lambda = 400000000,   \
        .bytes_per_hour_other = 1000000000, .rule_evals_per_s = 1000, .free_rules = 10             \
    }
#define HTTP_INCREMENT 524288

/* 2.1 / 2.4: "pricing for US East (N. Virginia, Ohio), US West (Oregon),
 * Asia Pacific (Mumbai)". */
#define REST_US_TIERS                                                                              \
    {                                                                                              \
        .n = 4, .t = {                                                                             \
            { 333000000, 3500000 },                                                                \
            { 1000000000, 2800000 },                                                               \
            { 20000000000, 2380000 },                                                              \
            { UINT64_MAX, 1510000 }                                                                \
        }                                                                                          \
    }

/* The other regions of the REST examples: those rates, nothing else. */
#define REST_EXAMPLE_REGION(name)                                                                  \
    {                                                                                              \
        .region = name, .currency = "USD",                                                         \
        .source = "AWS API Gateway pricing page snapshot 2025-11-02: REST example rates "          \
                  "shared with us-east-1; no ALB, HTTP API, cache or DTO price known",             \
        .lcu = LCU_ALLOWANCE, .rest = REST_US_TIERS, .http_increment_bytes = HTTP_INCREMENT        \
    }

/* Regions whose notes give the two ALB prices (reference 1.1) and no more. */
#define ALB_ONLY_REGION(name, cur, hour, lcu_hour, src)                                            \
    {                                                                                              \
        .region = name, .currency = cur, .source = src "; no API Gateway or DTO price known",      \
        .alb_hour_micros = hour, .alb_lcu_hour_micros = lcu_hour, .lcu = LCU_ALLOWANCE,            \
        .http_increment_bytes = HTTP_INCREMENT                                                     \
    }

static const struct el_prices builtin[] = {
    {
        .region = "us-east-1",
        .currency = "USD",
        .source = "AWS pricing pages, us-east-1, as of 2025-11 (API Gateway snapshot "
                  "2025-11-02; ALB page examples); cache and DTO from Price List quotes",
        .alb_hour_micros = 22500,            /* 1.1 */
        .alb_lcu_hour_micros = 8000,         /* 1.1 */
        .alb_trust_store_hour_micros = 5600, /* 1.1, mTLS example in 1.7 */
        .lcu = LCU_ALLOWANCE,
        .rest = REST_US_TIERS, /* 2.1 */
        .http = { .n = 2, .t = { { 300000000, 1000000 }, { UINT64_MAX, 900000 } } },
        .http_increment_bytes = HTTP_INCREMENT,
        .cache = { { 500, 20000 }, /* 2.2; 1.6 GB confirmed by example 2.4.6 */
                   { 1600, 38000 },
                   { 6100, 200000 },
                   { 13500, 250000 },
                   { 28400, 500000 },
                   { 58200, 1000000 },
                   { 118000, 1900000 },
                   { 237000, 3800000 } },
        .ncache = 8,
        .dto = { .n = 4, /* 2.2, [PL]: 10 TB, next 40, next 100 */
                 .t = { { 10240, 90000 },
                        { 51200, 85000 },
                        { 153600, 70000 },
                        { UINT64_MAX, 50000 } } },
    },
    REST_EXAMPLE_REGION("us-east-2"),
    REST_EXAMPLE_REGION("us-west-2"),
    REST_EXAMPLE_REGION("ap-south-1"),
    ALB_ONLY_REGION("eu-west-1", "USD", 25200, 8000,
                    "AWS Price List, EU (Ireland) ALB bill lines and EU-LCUUsage "
                    "(offer 20260911124544), unverified"),
    {
        .region = "eu-west-2",
        .currency = "USD",
        .source = "AWS Price List fixture, eu-west-2, unverified: first REST tier (333M) and "
                  "first HTTP API tier (300M) only; no ALB, cache or DTO price known",
        .lcu = LCU_ALLOWANCE,
        .rest = { .n = 1, .t = { { 333000000, 3500000 } } }, /* 2.1, partial */
        .http = { .n = 1, .t = { { 300000000, 1160000 } } }, /* 2.1, partial */
        .http_increment_bytes = HTTP_INCREMENT,
    },
    ALB_ONLY_REGION("ap-northeast-1", "USD", 24300, 8000,
                    "AWS Price List, Tokyo offer APN1-LoadBalancerUsage and APN1-LCUUsage "
                    "(2026-08-27), unverified"),
    ALB_ONLY_REGION("ap-northeast-2", "USD", 22500, 8000,
                    "AWS Price List, AWSELB ap-northeast-2 (quoted 2026-10-01), unverified"),
    ALB_ONLY_REGION("ca-central-1", "USD", 24750, 8800,
                    "AWS Price List, CAN1-LCUUsage and ALB-hour fixture (same in a Jan 2022 "
                    "blog), unverified"),
    ALB_ONLY_REGION("cn-northwest-1", "CNY", 156000, 72000,
                    "AWS China bill lines (ALB-hour, LCU-hour) quoted in a public repository, "
                    "undated"),
};

/* Address constants into the tables, so the names cannot drift from them. */
static const char *const region_names[] = {
    builtin[0].region, builtin[1].region, builtin[2].region, builtin[3].region, builtin[4].region,
    builtin[5].region, builtin[6].region, builtin[7].region, builtin[8].region, builtin[9].region,
};
_Static_assert(EL_ARRAY_LEN(region_names) == EL_ARRAY_LEN(builtin), "one name per table");

const struct el_prices *el_prices_builtin(const char *region)
{
    if (!region)
        return NULL;
    for (size_t i = 0; i < EL_ARRAY_LEN(builtin); i++)
        if (strcmp(builtin[i].region, region) == 0)
            return &builtin[i];
    return NULL;
}

const char *const *el_prices_regions(size_t *n)
{
    *n = EL_ARRAY_LEN(region_names);
    return region_names;
}

/* ---- arithmetic -------------------------------------------------------------- */

/* Numerators are capped here before dividing by 10^6 or 2^30: anything at
 * or above it is past INT64_MAX after the division anyway, and keeping
 * sums below it leaves room for one more product (< 2^127) in a u128. */
#define NUM_CAP ((u128)INT64_MAX * MICROS * GIB)

static int64_t clamp_i64(u128 v)
{
    return v > (u128)INT64_MAX ? INT64_MAX : (int64_t)v;
}

static u128 div_half_up(u128 num, u128 den)
{
    u128 q = num / den;
    return q + (num % den >= den - den / 2); /* remainder >= den/2, rounded up */
}

static u128 div_ceil(u128 num, u128 den)
{
    return num / den + (num % den != 0);
}

static uint64_t price_mag(int64_t micros)
{
    return micros > 0 ? (uint64_t)micros : 0; /* never loaded nor built in: count 0 */
}

/* Sum over tiers of units_in_tier * price, exact; NUM_CAP when it gets
 * there (the caller saturates). Units above the last upto are not counted. */
static u128 tier_numerator(const struct el_tiers *t, uint64_t units)
{
    u128 num = 0;
    uint64_t lo = 0;
    for (size_t i = 0; i < t->n && i < EL_PRICE_MAX_TIERS && lo < units; i++) {
        uint64_t hi = t->t[i].upto < units ? t->t[i].upto : units;
        if (hi > lo)
            num += (u128)(hi - lo) * price_mag(t->t[i].micros_per_million);
        if (num >= NUM_CAP)
            return NUM_CAP;
        lo = hi;
    }
    return num;
}

int64_t el_tiered_micros(const struct el_tiers *t, uint64_t units)
{
    if (t->n == 0 || t->n > EL_PRICE_MAX_TIERS || units > t->t[t->n - 1].upto)
        return -1;
    u128 num = tier_numerator(t, units);
    return num >= NUM_CAP ? INT64_MAX : clamp_i64(div_half_up(num, MICROS));
}

uint64_t el_http_units(uint64_t bytes, uint64_t increment_bytes)
{
    if (bytes == 0 || increment_bytes == 0)
        return 1;
    return (bytes - 1) / increment_bytes + 1;
}

int64_t el_rate_micros(uint64_t quantity, int64_t rate_micros, uint64_t per)
{
    if (per == 0)
        return 0;
    uint64_t mag = rate_micros < 0 ? 0 - (uint64_t)rate_micros : (uint64_t)rate_micros;
    /* quantity * mag < 2^128, but INT64_MIN's magnitude is 2^63: still fits */
    int64_t v = clamp_i64(div_half_up((u128)quantity * mag, per));
    return rate_micros < 0 ? -v : v;
}

int64_t el_dto_micros(const struct el_dto *d, uint64_t bytes)
{
    /* the same tiers with bounds in bytes; a bound past 2^64 bytes is none */
    struct el_tiers t = { .n = d->n < EL_PRICE_MAX_TIERS ? d->n : EL_PRICE_MAX_TIERS };
    for (size_t i = 0; i < t.n; i++) {
        u128 top = (u128)d->t[i].upto_gib * GIB;
        t.t[i] = (struct el_tier){ top > UINT64_MAX ? UINT64_MAX : (uint64_t)top,
                                   d->t[i].micros_per_gib };
    }
    u128 num = tier_numerator(&t, bytes);
    return num >= NUM_CAP ? INT64_MAX : clamp_i64(div_half_up(num, GIB));
}

int64_t el_rest_cache_hour_micros(const struct el_prices *p, uint32_t size_mb)
{
    for (size_t i = 0; i < p->ncache && i < EL_PRICE_MAX_CACHE_SIZES; i++)
        if (p->cache[i].size_mb == size_mb)
            return p->cache[i].micros_per_hour;
    return -1;
}

/* ---- ALB capacity units ------------------------------------------------------ */

const char *el_lcu_dim_name(enum el_lcu_dim d)
{
    static const char *const names[EL_LCU_DIM_COUNT] = {
        [EL_LCU_NEW_CONNS] = "new_connections",
        [EL_LCU_ACTIVE_CONNS] = "active_connections",
        [EL_LCU_BYTES] = "processed_bytes",
        [EL_LCU_RULES] = "rule_evaluations",
    };
    return (unsigned)d < EL_LCU_DIM_COUNT ? names[d] : "unknown";
}

/* ceil(count * 10^6 / (seconds * allowance)): count < 2^64, so the
 * numerator stays below 2^84 and the denominator below 2^76. */
static int64_t per_allowance(uint64_t count, uint64_t seconds, uint64_t allowance)
{
    if (allowance == 0)
        return 0;
    return clamp_i64(div_ceil((u128)count * MICROS, (u128)seconds * allowance));
}

/* ceil(a * 10^6 / x + b * 10^6 / y) exactly, for any 64-bit inputs. With
 * a*10^6 = qa*x + ra and b*10^6 = qb*y + rb, the fraction ra/x + rb/y lies
 * in [0, 2) and is compared with 1 by cross-multiplying
 * (ra*y > x*(y - rb)), two products below 2^128, instead of forming the
 * common denominator x*y, whose numerator could pass 2^128. */
static int64_t bytes_lcu(uint64_t a, uint64_t x, uint64_t b, uint64_t y)
{
    if (x == 0)
        return per_allowance(b, 1, y);
    if (y == 0)
        return per_allowance(a, 1, x);
    u128 na = (u128)a * MICROS, nb = (u128)b * MICROS;
    u128 q = na / x + nb / y;
    u128 ra = na % x, rb = nb % y;
    if (ra != 0 || rb != 0)
        q += (u128)ra * y > (u128)x * (y - rb) ? 2 : 1;
    return clamp_i64(q);
}

void el_alb_lcu(const struct el_lcu_allowance *a, const struct el_alb_usage *u, struct el_lcu *out)
{
    out->dim[EL_LCU_NEW_CONNS] = per_allowance(u->new_conns, 3600, a->new_conns_per_s);
    out->dim[EL_LCU_ACTIVE_CONNS] =
        per_allowance(u->active_conn_minutes, 60, a->active_conns_per_min);
    out->dim[EL_LCU_BYTES] = bytes_lcu(u->bytes_lambda, a->bytes_per_hour_lambda, u->bytes_other,
                                       a->bytes_per_hour_other);

    uint64_t paid_rules = u->rules > a->free_rules ? u->rules - a->free_rules : 0;
    u128 evals = (u128)u->requests * paid_rules; /* < 2^128 */
    if (a->rule_evals_per_s == 0 || evals == 0)
        out->dim[EL_LCU_RULES] = 0;
    else if (evals > ~(u128)0 / MICROS)
        out->dim[EL_LCU_RULES] = INT64_MAX;
    else
        out->dim[EL_LCU_RULES] =
            clamp_i64(div_ceil(evals * MICROS, (u128)3600 * a->rule_evals_per_s));

    out->dominant = EL_LCU_NEW_CONNS;
    for (int d = 1; d < EL_LCU_DIM_COUNT; d++)
        if (out->dim[d] > out->dim[out->dominant])
            out->dominant = (enum el_lcu_dim)d;
    out->billed = out->dim[out->dominant];
}

int64_t el_alb_lcu_micros(const struct el_prices *p, int64_t lcu_micro)
{
    if (lcu_micro < 0)
        return -el_rate_micros(0 - (uint64_t)lcu_micro, p->alb_lcu_hour_micros, MICROS);
    return el_rate_micros((uint64_t)lcu_micro, p->alb_lcu_hour_micros, MICROS);
}

/* ---- formatting -------------------------------------------------------------- */

char *el_fmt_money(char *buf, size_t cap, int64_t micros, int decimals)
{
    if (cap == 0)
        return buf;
    if (decimals < 0)
        decimals = 0;
    if (decimals > 6)
        decimals = 6;
    uint64_t scale = 1;
    for (int i = decimals; i < 6; i++)
        scale *= 10;
    uint64_t mag = micros < 0 ? 0 - (uint64_t)micros : (uint64_t)micros;
    uint64_t q = mag / scale + (mag % scale >= scale - scale / 2);
    uint64_t unit = MICROS / scale; /* 10^decimals */
    const char *sign = micros < 0 && q != 0 ? "-" : "";
    if (decimals == 0)
        snprintf(buf, cap, "%s%llu", sign, (unsigned long long)q);
    else
        snprintf(buf, cap, "%s%llu.%0*llu", sign, (unsigned long long)(q / unit), decimals,
                 (unsigned long long)(q % unit));
    return buf;
}

/* ---- JSON pricing files ------------------------------------------------------
 * The file is parsed into a cJSON tree once; every object's keys are checked
 * against its list before any value is read, so a misspelt key is never
 * silently ignored. Values are written into a copy that replaces *p only
 * when the whole file is good. */

#define PATH_CAP 128
#define PRICE_MAX_MICROS ((uint64_t)1000000 * MICROS) /* 1,000,000 a unit */
#define COUNT_MAX ((uint64_t)1000000000000000)        /* allowances, increment */
#define JSON_EXACT_MAX 9007199254740992.0             /* 2^53 */

struct load {
    char *err;
    size_t errlen;
};

__attribute__((format(printf, 2, 3))) static enum el_err failf(struct load *l, const char *fmt, ...)
{
    if (l->err && l->errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(l->err, l->errlen, fmt, ap);
        va_end(ap);
    }
    return EL_ERR_PARSE;
}

/* "alb" + "hour" -> "alb.hour"; "" + "alb" -> "alb". The precisions keep
 * any path (keys come from the file) within PATH_CAP, cut, not overflowed. */
static void path_key(char *dst, const char *path, const char *key)
{
    snprintf(dst, PATH_CAP, "%.80s%s%.40s", path, *path ? "." : "", key ? key : "");
}

static void path_index(char *dst, const char *path, size_t i)
{
    snprintf(dst, PATH_CAP, "%.100s[%zu]", path, i);
}

/* The first key of obj that is not in names, or that repeats an earlier
 * key (cJSON keeps both copies; the file would mean one of them). */
static enum el_err check_keys(struct load *l, const cJSON *obj, const char *path,
                              const char *const *names, size_t n)
{
    for (const cJSON *k = obj->child; k; k = k->next) {
        char kp[PATH_CAP];
        const char *key = k->string ? k->string : "";
        path_key(kp, path, key);
        size_t i = 0;
        while (i < n && strcmp(key, names[i]) != 0)
            i++;
        if (i == n) {
            char list[160] = "";
            size_t used = 0;
            for (i = 0; i < n && used < sizeof(list); i++) {
                int w = snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "", names[i]);
                used += w > 0 ? (size_t)w : 0;
            }
            return failf(l, "%s: unknown key (expected %s)", kp, list);
        }
        for (const cJSON *d = obj->child; d != k; d = d->next)
            if (d->string && strcmp(d->string, key) == 0)
                return failf(l, "%s: duplicate key", kp);
    }
    return EL_OK;
}

/* The object at obj[key] (NULL when absent), keys checked. */
static enum el_err get_object(struct load *l, const cJSON *obj, const char *path, const char *key,
                              const char *const *names, size_t n, const cJSON **out, char *kp)
{
    *out = cJSON_GetObjectItemCaseSensitive(obj, key);
    path_key(kp, path, key);
    if (!*out)
        return EL_OK;
    if (!cJSON_IsObject(*out))
        return failf(l, "%s: not an object", kp);
    return check_keys(l, *out, kp, names, n);
}

/* A non-negative decimal as an integer in units of 10^-dec: a JSON number,
 * or a string of digits with an optional fraction. Trailing zeros past
 * `dec` decimals are fine ("0.02250"); any other digit there is not. */
static enum el_err fixed_value(struct load *l, const cJSON *v, const char *kp, int dec,
                               uint64_t min, uint64_t max, uint64_t *out)
{
    u128 acc = 0;
    if (cJSON_IsString(v) && v->valuestring) {
        const char *s = v->valuestring;
        if (*s == '-')
            return failf(l, "%s: negative", kp);
        if (!el_isdigit(*s))
            return failf(l, "%s: not a decimal number", kp);
        for (; el_isdigit(*s); s++)
            if ((acc = acc * 10 + (unsigned)(*s - '0')) > (u128)UINT64_MAX)
                return failf(l, "%s: too large (at most %llu)", kp, (unsigned long long)max);
        int seen = 0;
        if (*s == '.') {
            if (!el_isdigit(*++s))
                return failf(l, "%s: not a decimal number", kp);
            for (; el_isdigit(*s); s++) {
                if (seen < dec)
                    acc = acc * 10 + (unsigned)(*s - '0');
                else if (*s != '0')
                    return dec ? failf(l, "%s: more than %d decimals", kp, dec)
                               : failf(l, "%s: not a whole number", kp);
                seen += seen < dec;
            }
        }
        if (*s)
            return failf(l, "%s: not a decimal number", kp);
        for (; seen < dec; seen++)
            acc *= 10;
    } else if (cJSON_IsNumber(v)) {
        double d = v->valuedouble, x = d;
        for (int i = 0; i < dec; i++)
            x *= 10;
        if (d != d)
            return failf(l, "%s: not a number", kp);
        if (d < 0)
            return failf(l, "%s: negative", kp);
        if (x > JSON_EXACT_MAX || x > (double)max + 0.5)
            return failf(l, "%s: too large (at most %llu%s)", kp, (unsigned long long)max,
                         x > JSON_EXACT_MAX ? "; as a string beyond 2^53" : "");
        acc = (uint64_t)(x + 0.5);
        double off = x - (double)(uint64_t)acc;
        /* 1e-6, as pricing.h promises, widened by the rounding of
         * d * 10^dec itself, which grows with x. */
        if ((off < 0 ? -off : off) > 1e-6 + x * 4 * DBL_EPSILON)
            return dec ? failf(l, "%s: more than %d decimals", kp, dec)
                       : failf(l, "%s: not a whole number", kp);
    } else {
        return failf(l, "%s: not a number (a JSON number or a decimal string)", kp);
    }
    if (acc > max)
        return failf(l, "%s: too large (at most %llu)", kp, (unsigned long long)max);
    if (acc < min)
        return failf(l, "%s: less than %llu", kp, (unsigned long long)min);
    *out = (uint64_t)acc;
    return EL_OK;
}

/* obj[key] as fixed_value, when present (*present tells). */
static enum el_err get_fixed(struct load *l, const cJSON *obj, const char *path, const char *key,
                             int dec, uint64_t min, uint64_t max, uint64_t *out, bool *present)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    *present = v != NULL;
    if (!v)
        return EL_OK;
    char kp[PATH_CAP];
    path_key(kp, path, key);
    return fixed_value(l, v, kp, dec, min, max, out);
}

static enum el_err get_price(struct load *l, const cJSON *obj, const char *path, const char *key,
                             int64_t *out)
{
    uint64_t u = 0;
    bool present;
    enum el_err rc = get_fixed(l, obj, path, key, 6, 0, PRICE_MAX_MICROS, &u, &present);
    if (rc == EL_OK && present)
        *out = (int64_t)u;
    return rc;
}

static enum el_err get_count(struct load *l, const cJSON *obj, const char *path, const char *key,
                             uint64_t min, uint64_t *out)
{
    uint64_t u = 0;
    bool present;
    enum el_err rc = get_fixed(l, obj, path, key, 0, min, COUNT_MAX, &u, &present);
    if (rc == EL_OK && present)
        *out = u;
    return rc;
}

/* The array at obj[key] (NULL when absent), of min..max elements. */
static enum el_err get_array(struct load *l, const cJSON *obj, const char *path, const char *key,
                             int min, int max, const char *noun, const cJSON **out, char *kp)
{
    *out = cJSON_GetObjectItemCaseSensitive(obj, key);
    path_key(kp, path, key);
    if (!*out)
        return EL_OK;
    if (!cJSON_IsArray(*out))
        return failf(l, "%s: not an array", kp);
    int count = cJSON_GetArraySize(*out);
    if (count < min || count > max)
        return failf(l, "%s: want %d to %d %s, not %d", kp, min, max, noun, count);
    return EL_OK;
}

/* Element i of the array at path ap: an object with the two keys `names`
 * at most; its path goes to ep. */
static enum el_err get_element(struct load *l, const cJSON *e, const char *ap, size_t i,
                               const char *const names[2], char *ep)
{
    path_index(ep, ap, i);
    if (!cJSON_IsObject(e))
        return failf(l, "%s: not an object", ep);
    return check_keys(l, e, ep, names, 2);
}

/* A tier list into out[0..*n): `bound` rising strictly, the last tier with
 * no bound (UINT64_MAX), prices in micros. Used for request tiers and for
 * data transfer out, which differ only in their key names. */
static enum el_err get_tiers(struct load *l, const cJSON *obj, const char *path, const char *bound,
                             const char *price, struct el_tier *out, size_t *n, bool *present)
{
    const cJSON *arr;
    char ap[PATH_CAP];
    enum el_err rc = get_array(l, obj, path, "tiers", 1, EL_PRICE_MAX_TIERS, "tiers", &arr, ap);
    *present = arr != NULL;
    if (rc != EL_OK || !arr)
        return rc;
    const char *const names[] = { bound, price };
    size_t i = 0;
    for (const cJSON *t = arr->child; t; t = t->next, i++) {
        char tp[PATH_CAP];
        if ((rc = get_element(l, t, ap, i, names, tp)) != EL_OK)
            return rc;
        bool last = t->next == NULL, has_bound, has_price;
        uint64_t up = UINT64_MAX, cost = 0;
        if ((rc = get_fixed(l, t, tp, bound, 0, 1, UINT64_MAX - 1, &up, &has_bound)) != EL_OK ||
            (rc = get_fixed(l, t, tp, price, 6, 0, PRICE_MAX_MICROS, &cost, &has_price)) != EL_OK)
            return rc;
        if (!has_price)
            return failf(l, "%s: missing %s", tp, price);
        if (last && has_bound)
            return failf(l, "%s.%s: the last tier has no %s (it is unbounded)", tp, bound, bound);
        if (!last && !has_bound)
            return failf(l, "%s: missing %s (only the last tier is unbounded)", tp, bound);
        if (i > 0 && up <= out[i - 1].upto)
            return failf(l, "%s.%s: tiers must rise (%llu after %llu)", tp, bound,
                         (unsigned long long)up, (unsigned long long)out[i - 1].upto);
        out[i] = (struct el_tier){ up, (int64_t)cost };
    }
    *n = i;
    return EL_OK;
}

static enum el_err load_cache(struct load *l, const cJSON *rest, const char *path,
                              struct el_prices *w)
{
    const cJSON *arr;
    char ap[PATH_CAP];
    enum el_err rc =
        get_array(l, rest, path, "cache", 0, EL_PRICE_MAX_CACHE_SIZES, "sizes", &arr, ap);
    if (rc != EL_OK || !arr)
        return rc;
    static const char *const names[] = { "size_gb", "hour" };
    struct el_rest_cache_price c[EL_PRICE_MAX_CACHE_SIZES];
    size_t i = 0;
    for (const cJSON *e = arr->child; e; e = e->next, i++) {
        char ep[PATH_CAP];
        uint64_t mb = 0, hour = 0;
        bool has_size, has_hour;
        if ((rc = get_element(l, e, ap, i, names, ep)) != EL_OK ||
            (rc = get_fixed(l, e, ep, "size_gb", 3, 1, UINT32_MAX, &mb, &has_size)) != EL_OK ||
            (rc = get_fixed(l, e, ep, "hour", 6, 0, PRICE_MAX_MICROS, &hour, &has_hour)) != EL_OK)
            return rc;
        if (!has_size || !has_hour)
            return failf(l, "%s: missing %s", ep, has_size ? "hour" : "size_gb");
        for (size_t j = 0; j < i; j++)
            if (c[j].size_mb == mb)
                return failf(l, "%s.size_gb: size listed twice", ep);
        c[i] = (struct el_rest_cache_price){ (uint32_t)mb, (int64_t)hour };
    }
    memcpy(w->cache, c, i * sizeof(c[0]));
    w->ncache = i;
    return EL_OK;
}

static enum el_err load_alb(struct load *l, const cJSON *top, struct el_prices *w)
{
    static const char *const keys[] = { "hour", "lcu_hour", "trust_store_hour", "lcu" };
    static const char *const lcu_keys[] = {
        "new_connections_per_second",      "active_connections_per_minute",
        "processed_bytes_per_hour_lambda", "processed_bytes_per_hour",
        "rule_evaluations_per_second",     "free_rules",
    };
    const cJSON *alb, *lcu;
    char ap[PATH_CAP], lp[PATH_CAP];
    enum el_err rc = get_object(l, top, "", "alb", keys, EL_ARRAY_LEN(keys), &alb, ap);
    if (rc != EL_OK || !alb)
        return rc;
    if ((rc = get_price(l, alb, ap, "hour", &w->alb_hour_micros)) != EL_OK ||
        (rc = get_price(l, alb, ap, "lcu_hour", &w->alb_lcu_hour_micros)) != EL_OK ||
        (rc = get_price(l, alb, ap, "trust_store_hour", &w->alb_trust_store_hour_micros)) !=
            EL_OK ||
        (rc = get_object(l, alb, ap, "lcu", lcu_keys, EL_ARRAY_LEN(lcu_keys), &lcu, lp)) != EL_OK ||
        !lcu)
        return rc;
    uint64_t *const dst[] = {
        &w->lcu.new_conns_per_s,      &w->lcu.active_conns_per_min, &w->lcu.bytes_per_hour_lambda,
        &w->lcu.bytes_per_hour_other, &w->lcu.rule_evals_per_s,     &w->lcu.free_rules,
    };
    _Static_assert(EL_ARRAY_LEN(dst) == EL_ARRAY_LEN(lcu_keys), "one field per key");
    for (size_t i = 0; i < EL_ARRAY_LEN(dst) && rc == EL_OK; i++)
        rc = get_count(l, lcu, lp, lcu_keys[i], 0, dst[i]);
    return rc;
}

/* "rest" and "http": tiers, plus the cache or the metering increment. */
static enum el_err load_api(struct load *l, const cJSON *top, const char *key, struct el_prices *w)
{
    static const char *const rest_keys[] = { "tiers", "cache" };
    static const char *const http_keys[] = { "tiers", "increment_bytes" };
    bool rest = strcmp(key, "rest") == 0;
    const cJSON *api;
    char kp[PATH_CAP];
    enum el_err rc = get_object(l, top, "", key, rest ? rest_keys : http_keys, 2, &api, kp);
    if (rc != EL_OK || !api)
        return rc;
    struct el_tiers *t = rest ? &w->rest : &w->http;
    struct el_tier tiers[EL_PRICE_MAX_TIERS];
    size_t n;
    bool present;
    if ((rc = get_tiers(l, api, kp, "up_to", "per_million", tiers, &n, &present)) != EL_OK)
        return rc;
    if (present) {
        memset(t, 0, sizeof(*t));
        memcpy(t->t, tiers, n * sizeof(tiers[0]));
        t->n = n;
    }
    return rest ? load_cache(l, api, kp, w)
                : get_count(l, api, kp, "increment_bytes", 1, &w->http_increment_bytes);
}

static enum el_err load_dto(struct load *l, const cJSON *top, struct el_prices *w)
{
    static const char *const keys[] = { "tiers" };
    const cJSON *dto;
    char kp[PATH_CAP];
    enum el_err rc = get_object(l, top, "", "data_transfer_out", keys, 1, &dto, kp);
    if (rc != EL_OK || !dto)
        return rc;
    struct el_tier tiers[EL_PRICE_MAX_TIERS];
    size_t n;
    bool present;
    if ((rc = get_tiers(l, dto, kp, "up_to_gib", "per_gib", tiers, &n, &present)) != EL_OK ||
        !present)
        return rc;
    memset(&w->dto, 0, sizeof(w->dto));
    for (size_t i = 0; i < n; i++)
        w->dto.t[i] = (struct el_dto_tier){ tiers[i].upto, tiers[i].micros_per_million };
    w->dto.n = n;
    return EL_OK;
}

/* A string value of 1..cap-1 bytes, each accepted by ok(), copied NUL-padded. */
static enum el_err get_name(struct load *l, const cJSON *top, const char *key, char *dst,
                            size_t cap, bool (*ok)(char), const char *want)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(top, key);
    if (!v)
        return EL_OK;
    if (!cJSON_IsString(v) || !v->valuestring)
        return failf(l, "%s: not a string", key);
    size_t n = strlen(v->valuestring);
    bool good = n > 0 && n < cap;
    for (size_t i = 0; good && i < n; i++)
        good = ok(v->valuestring[i]);
    if (!good)
        return failf(l, "%s: want %s", key, want);
    memset(dst, 0, cap);
    memcpy(dst, v->valuestring, n);
    return EL_OK;
}

static bool region_char(char c)
{
    return el_isalnum(c) || c == '-' || c == '_' || c == '.';
}

static bool currency_char(char c)
{
    return c >= 'A' && c <= 'Z';
}

static bool source_char(char c)
{
    return (unsigned char)c >= 0x20 && c != 0x7f; /* UTF-8 bytes pass */
}

/* Line and column (1-based, in bytes) of offset `at` in text. */
static void line_col(const char *text, size_t at, size_t *line, size_t *col)
{
    *line = 1;
    size_t start = 0;
    for (size_t i = 0; i < at; i++)
        if (text[i] == '\n') {
            (*line)++;
            start = i + 1;
        }
    *col = at - start + 1;
}

static enum el_err apply(struct load *l, const cJSON *top, struct el_prices *w)
{
    static const char *const keys[] = { "region", "currency", "source",           "alb",
                                        "rest",   "http",     "data_transfer_out" };
    enum el_err rc = check_keys(l, top, "", keys, EL_ARRAY_LEN(keys));
    if (rc != EL_OK)
        return rc;

    /* "region" first, wherever it stands: it picks the base table */
    char region[sizeof(w->region)];
    memcpy(region, w->region, sizeof(region));
    if ((rc = get_name(l, top, "region", region, sizeof(region), region_char,
                       "1 to 31 of A-Z a-z 0-9 . _ -")) != EL_OK)
        return rc;
    const struct el_prices *base = el_prices_builtin(region);
    if (base && cJSON_GetObjectItemCaseSensitive(top, "region"))
        *w = *base;
    memcpy(w->region, region, sizeof(region));

    if ((rc = get_name(l, top, "currency", w->currency, sizeof(w->currency), currency_char,
                       "three capital letters (USD, CNY)")) != EL_OK)
        return rc;
    if (cJSON_GetObjectItemCaseSensitive(top, "currency") && strlen(w->currency) != 3)
        return failf(l, "currency: want three capital letters (USD, CNY)");
    if ((rc = load_alb(l, top, w)) != EL_OK || (rc = load_api(l, top, "rest", w)) != EL_OK ||
        (rc = load_api(l, top, "http", w)) != EL_OK || (rc = load_dto(l, top, w)) != EL_OK)
        return rc;

    if (cJSON_GetObjectItemCaseSensitive(top, "source"))
        return get_name(l, top, "source", w->source, sizeof(w->source), source_char,
                        "1 to 159 printable characters");
    static const char *const valued[] = { "currency", "alb", "rest", "http", "data_transfer_out" };
    for (size_t i = 0; i < EL_ARRAY_LEN(valued); i++) {
        if (cJSON_GetObjectItemCaseSensitive(top, valued[i])) {
            char was[sizeof(w->source)];
            memcpy(was, w->source, sizeof(was));
            snprintf(w->source, sizeof(w->source), "pricing file; base: %.139s", was);
            break;
        }
    }
    return EL_OK;
}

enum el_err el_prices_load_json(const char *text, size_t len, struct el_prices *p, char *err,
                                size_t errlen)
{
    struct load l = { err, errlen };
    if (err && errlen)
        err[0] = '\0';
    if (!text || len == 0)
        return failf(&l, "line 1, column 1: not JSON (empty)");

    const char *end = NULL;
    cJSON *top = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    size_t at = end && end >= text && end <= text + len ? (size_t)(end - text) : 0;
    size_t line, col;
    if (!top) {
        line_col(text, at, &line, &col);
        return failf(&l, "line %zu, column %zu: not JSON", line, col);
    }
    while (at < len &&
           (text[at] == ' ' || text[at] == '\t' || text[at] == '\n' || text[at] == '\r'))
        at++;
    enum el_err rc;
    if (at < len) {
        line_col(text, at, &line, &col);
        rc = failf(&l, "line %zu, column %zu: text after the JSON object", line, col);
    } else if (!cJSON_IsObject(top)) {
        rc = failf(&l, "top level: not a JSON object");
    } else {
        struct el_prices w = *p;
        rc = apply(&l, top, &w);
        if (rc == EL_OK)
            *p = w;
    }
    cJSON_Delete(top);
    return rc;
}

/* scan.c: strict number scanners over (ptr, len) tokens.
 *
 * Used by the parsers on every line and by the CLI for option values, so
 * they never allocate, never depend on the locale, never need a NUL, and
 * check for overflow digit by digit (no strtol/strtod/sscanf).
 */
#include "core.h"

/* Up to 19 digits cannot overflow 64 bits, so the common token is
 * accumulated without a per-digit bound check and compared with max once.
 * The answer is the one a digit-by-digit check gives: the value of the
 * digits seen only grows, so "past max before a non-digit" is "past max at
 * the non-digit". */
enum el_err el_scan_u64(struct el_str s, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;

    if (s.n == 0)
        return EL_ERR_PARSE;
    if (EL_LIKELY(s.n <= 19)) {
        for (size_t i = 0; i < s.n; i++) {
            unsigned d = (unsigned)(s.p[i] - '0');
            if (d > 9)
                return v > max ? EL_ERR_RANGE : EL_ERR_PARSE;
            v = v * 10 + d;
        }
        if (v > max)
            return EL_ERR_RANGE;
        *out = v;
        return EL_OK;
    }
    for (size_t i = 0; i < s.n; i++) {
        char c = s.p[i];
        if (!el_isdigit(c))
            return EL_ERR_PARSE;
        unsigned d = (unsigned)(c - '0');
        if (v > (max - d) / 10)
            return EL_ERR_RANGE;
        v = v * 10 + d;
    }
    *out = v;
    return EL_OK;
}

/* ALB writes processing times as seconds with a millisecond fraction
 * ("0.001") and "-1" when it could not measure; API Gateway and users give
 * other precisions. Microsecond integers keep aggregation exact and free of
 * floating point; whole seconds are capped below 1e9 (31 years), far beyond any
 * real duration, so the multiplication below cannot overflow. */
enum el_err el_scan_secs_us(struct el_str s, int64_t *out)
{
    const char *p = s.p, *end = s.p + s.n;
    int64_t whole = 0, frac = 0;
    bool neg = false;

    /* ALB writes "D.DDD" (milliseconds) and "-1": straight-line for those. */
    if (s.n == 5 && p[1] == '.') {
        unsigned a = (unsigned)(p[0] - '0'), b = (unsigned)(p[2] - '0'),
                 c = (unsigned)(p[3] - '0'), d = (unsigned)(p[4] - '0');
        if ((a | b | c | d) < 10) {
            *out = (int64_t)a * 1000000 + (int64_t)(b * 100 + c * 10 + d) * 1000;
            return EL_OK;
        }
    } else if (s.n == 2 && p[0] == '-' && p[1] == '1') {
        *out = -1000000;
        return EL_OK;
    }

    if (p < end && *p == '-') {
        neg = true;
        p++;
    }
    if (p == end || !el_isdigit(*p))
        return EL_ERR_PARSE;
    while (p < end && el_isdigit(*p)) {
        whole = whole * 10 + (*p++ - '0');
        if (whole > 999999999)
            return EL_ERR_RANGE;
    }
    if (p < end && *p == '.') {
        p++;
        if (p == end || !el_isdigit(*p))
            return EL_ERR_PARSE;
        /* the first six digits as an integer, scaled once at the end */
        static const int32_t pow10[7] = { 1000000, 100000, 10000, 1000, 100, 10, 1 };
        int k = 0;
        for (; p < end && el_isdigit(*p); p++) {
            if (k < 6) {
                frac = frac * 10 + (*p - '0');
                k++;
            }
        }
        frac *= pow10[k];
    }
    if (p != end)
        return EL_ERR_PARSE;
    int64_t v = whole * 1000000 + frac;
    *out = neg ? -v : v;
    return EL_OK;
}

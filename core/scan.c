/* scan.c: strict number scanners over (ptr, len) tokens.
 *
 * Used by the parsers on every line and by the CLI for option values, so
 * they never allocate, never depend on the locale, never need a NUL, and
 * check for overflow digit by digit (no strtol/strtod/sscanf).
 */
#include "core.h"

enum el_err el_scan_u64(struct el_str s, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;

    if (s.n == 0)
        return EL_ERR_PARSE;
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
    int64_t whole = 0, frac = 0, scale = 1000000;
    bool neg = false;

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
        for (; p < end && el_isdigit(*p); p++) {
            if (scale > 1) {
                scale /= 10;
                frac += (*p - '0') * scale;
            }
        }
    }
    if (p != end)
        return EL_ERR_PARSE;
    int64_t v = whole * 1000000 + frac;
    *out = neg ? -v : v;
    return EL_OK;
}

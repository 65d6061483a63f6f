/* time.c: ISO-8601 timestamps and duration formatting by arithmetic.
 *
 * Per-line timestamp parsing must not call mktime/timegm/strptime (slow, and
 * dependent on TZ and locale), so dates are converted with the days-from-civil
 * algorithm for the proleptic Gregorian calendar. Only years 1970..9999 are
 * accepted: nothing older appears in AWS logs, and the bound keeps every
 * intermediate value far from overflow.
 */
#include <string.h>

#include "core.h"

int64_t el_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static bool is_leap(unsigned y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned days_in_month(unsigned y, unsigned m)
{
    static const unsigned char dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

bool el_scan_fixed_digits(const char *p, size_t n, unsigned *out)
{
    unsigned v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!el_isdigit(p[i]))
            return false;
        v = v * 10 + (unsigned)(p[i] - '0');
    }
    *out = v;
    return true;
}

/* Two digits at p, or -1. Straight-line: a timestamp has fourteen digits
 * at fixed places and this runs once or more per input line. */
static inline int dig2(const char *p)
{
    unsigned a = (unsigned)(p[0] - '0'), b = (unsigned)(p[1] - '0');
    return a < 10 && b < 10 ? (int)(a * 10 + b) : -1;
}

/* Whether the n bytes (8 <= n <= 32) at a and b are equal, by words; the
 * last word overlaps the one before, so nothing past n is read. */
static inline bool same_upto32(const char *a, const char *b, size_t n)
{
    uint64_t x, y, d = 0;
    size_t i = 0;
    for (; i + 8 < n; i += 8) {
        memcpy(&x, a + i, 8);
        memcpy(&y, b + i, 8);
        d |= x ^ y;
    }
    memcpy(&x, a + n - 8, 8);
    memcpy(&y, b + n - 8, 8);
    return (d | (x ^ y)) == 0;
}

/* Layout by position: YYYY-MM-DDTHH:MM:SS then an optional fraction of any
 * length (digits past microseconds are truncated) and a mandatory 'Z'.
 * With a cache, a timestamp equal to the previous one costs a compare, and
 * one of the same day skips the date: the date's ten bytes are kept only
 * once they passed every check, so equal bytes give the same answer. */
static enum el_err iso_scan(struct el_str s, struct el_iso_cache *c, int64_t *out)
{
    const char *p = s.p;

    if (c && c->last_n && s.n == c->last_n && same_upto32(p, c->last, s.n)) {
        *out = c->last_us;
        return EL_OK;
    }
    if (s.n < 20 || p[4] != '-' || p[7] != '-' || p[10] != 'T' || p[13] != ':' ||
        p[16] != ':')
        return EL_ERR_PARSE;
    int h = dig2(p + 11), mi = dig2(p + 14), se = dig2(p + 17);
    int64_t day_us;
    if (c && c->have_date && memcmp(p, c->date, 10) == 0) {
        if ((h | mi | se) < 0)
            return EL_ERR_PARSE;
        day_us = c->day_us;
    } else {
        int y1 = dig2(p), y2 = dig2(p + 2), mo = dig2(p + 5), d = dig2(p + 8);
        if ((y1 | y2 | mo | d | h | mi | se) < 0)
            return EL_ERR_PARSE;
        unsigned y = (unsigned)(y1 * 100 + y2);
        if (y < 1970 || mo < 1 || mo > 12 || d < 1 ||
            (unsigned)d > days_in_month(y, (unsigned)mo))
            return EL_ERR_RANGE;
        day_us = el_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 * 1000000;
        if (c) {
            memcpy(c->date, p, 10);
            c->have_date = true;
            c->day_us = day_us;
        }
    }
    if (h > 23 || mi > 59 || se > 60)
        return EL_ERR_RANGE;

    size_t i = 19;
    int64_t frac = 0;
    if (p[i] == '.') {
        /* the first six digits as an integer, scaled once at the end */
        static const int32_t pow10[7] = { 1000000, 100000, 10000, 1000, 100, 10, 1 };
        int k = 0;
        i++;
        if (i >= s.n || !el_isdigit(p[i]))
            return EL_ERR_PARSE;
        for (; i < s.n && el_isdigit(p[i]); i++) {
            if (k < 6) {
                frac = frac * 10 + (p[i] - '0');
                k++;
            }
        }
        frac *= pow10[k];
    }
    if (i + 1 != s.n || p[i] != 'Z')
        return EL_ERR_PARSE;

    *out = day_us + ((int64_t)h * 3600 + mi * 60 + se) * 1000000 + frac;
    if (c && s.n <= sizeof(c->last)) {
        memcpy(c->last, p, s.n);
        c->last_n = (uint8_t)s.n;
        c->last_us = *out;
    }
    return EL_OK;
}

enum el_err el_scan_iso8601_us(struct el_str s, int64_t *out)
{
    return iso_scan(s, NULL, out);
}

enum el_err el_scan_iso8601_us_cached(struct el_str s, struct el_iso_cache *c, int64_t *out)
{
    return iso_scan(s, c, out);
}

static void put2(char *b, unsigned v)
{
    b[0] = (char)('0' + v / 10);
    b[1] = (char)('0' + v % 10);
}

/* Inverse of days-from-civil (civil-from-days), same calendar and bounds. */
size_t el_fmt_iso8601_us(int64_t us, char *buf)
{
    int64_t secs = us >= 0 ? us / 1000000 : (us - 999999) / 1000000;
    int64_t frac = us - secs * 1000000;
    int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
    int64_t sod = secs - days * 86400;

    int64_t z = days + 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = (int64_t)yoe + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    if (y < 0)
        y = 0;
    if (y > 9999)
        y = 9999;

    unsigned yy = (unsigned)y;
    put2(buf, yy / 100);
    put2(buf + 2, yy % 100);
    buf[4] = '-';
    put2(buf + 5, m);
    buf[7] = '-';
    put2(buf + 8, d);
    buf[10] = 'T';
    put2(buf + 11, (unsigned)(sod / 3600));
    buf[13] = ':';
    put2(buf + 14, (unsigned)(sod / 60 % 60));
    buf[16] = ':';
    put2(buf + 17, (unsigned)(sod % 60));
    buf[19] = '.';
    unsigned f = (unsigned)frac;
    for (int k = 25; k >= 20; k--) {
        buf[k] = (char)('0' + f % 10);
        f /= 10;
    }
    buf[26] = 'Z';
    buf[27] = '\0';
    return 27;
}

size_t el_fmt_ms(int64_t us, char *buf)
{
    char tmp[32];
    size_t n = 0;
    bool neg = us < 0;
    uint64_t v = neg ? (uint64_t)0 - (uint64_t)us : (uint64_t)us;
    uint64_t ms = v / 1000, frac = v % 1000;

    for (int k = 0; k < 3; k++) {
        tmp[n++] = (char)('0' + frac % 10);
        frac /= 10;
    }
    tmp[n++] = '.';
    do {
        tmp[n++] = (char)('0' + ms % 10);
        ms /= 10;
    } while (ms);
    if (neg)
        tmp[n++] = '-';
    for (size_t i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    buf[n] = '\0';
    return n;
}

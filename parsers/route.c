/* route.c: from a concrete path to a route template.
 *
 * Per-endpoint numbers need one row per endpoint, not per URL, so segments
 * that look like identifiers become placeholders. The rules are heuristics
 * chosen to be predictable (documented in parsers.h and docs/RECORD.md):
 * all digits -> {id}, UUID -> {uuid}, 16+ hex -> {hex}, and long tokens that
 * keep switching between letters and digits -> {token}. Words, slugs and
 * version segments like v2 are kept.
 */
#include <string.h>

#include "parsers.h"

#define TOKEN_MIN_LEN 16
#define HEX_MIN_LEN 16
#define TOKEN_MIN_SWITCHES 3

static bool is_uuid(const char *s, size_t n)
{
    if (n != 36)
        return false;
    for (size_t i = 0; i < 36; i++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !el_isxdigit(s[i]))
            return false;
    }
    return true;
}

static const char *classify(const char *s, size_t n)
{
    size_t digits = 0, hex = 0, alpha = 0, other = 0, switches = 0;
    int last = 0; /* 1 letter, 2 digit */

    if (n == 0)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (el_isdigit(c)) {
            digits++;
            hex++;
            if (last == 1)
                switches++;
            last = 2;
        } else if ((unsigned)((c | 0x20) - 'a') < 26u) {
            alpha++;
            if (el_isxdigit(c))
                hex++;
            if (last == 2)
                switches++;
            last = 1;
        } else if (c == '-' || c == '_') {
            /* Switches count within a run only, so slugs made of words and
             * numbers (top-10-tips-for-2024, iphone-15-pro-256gb) stay. */
            last = 0;
        } else {
            other++;
        }
    }
    if (digits == n)
        return "{id}";
    if (is_uuid(s, n))
        return "{uuid}";
    if (other)
        return NULL;
    if (hex == n && n >= HEX_MIN_LEN && digits > 0)
        return "{hex}";
    if (n >= TOKEN_MIN_LEN && digits && alpha && switches >= TOKEN_MIN_SWITCHES)
        return "{token}";
    return NULL;
}

/* classify() for the common case first: below 16 bytes a segment can only
 * become {id} ({hex} and {token} need 16, a UUID 36), so short words stop
 * at their first non-digit instead of being counted through. */
static inline const char *classify_fast(const char *s, size_t n)
{
    if (n >= TOKEN_MIN_LEN || n >= HEX_MIN_LEN)
        return classify(s, n);
    if (n == 0)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (!el_isdigit(s[i]))
            return NULL;
    return "{id}";
}

/* Hot paths are mostly static ("/v1/events", "/health"): their route is
 * the path itself, so the view is returned without building a copy. */
struct el_str el_route_template_view(struct el_str path, char *buf, size_t cap)
{
    if (path.n == 0 || path.n > cap)
        return el_route_template(path, buf, cap);
    const char *p = path.p, *end = path.p + path.n;
    for (;;) {
        const char *se = p;
        while (se < end && *se != '/')
            se++;
        if (classify_fast(p, (size_t)(se - p)))
            return el_route_template(path, buf, cap);
        if (se == end)
            return path;
        p = se + 1;
    }
}

struct el_str el_route_template(struct el_str path, char *buf, size_t cap)
{
    size_t o = 0;
    const char *p = path.p, *end = path.p + path.n;

    if (path.n == 0 || cap < 2) {
        if (cap >= 1)
            buf[0] = '/';
        return (struct el_str){ buf, cap >= 1 ? 1 : 0 };
    }
    while (p < end) {
        const char *seg = p;
        const char *slash = memchr(p, '/', (size_t)(end - p));
        const char *se = slash ? slash : end;
        const char *ph = classify_fast(seg, (size_t)(se - seg));
        const char *src = ph ? ph : seg;
        size_t n = ph ? strlen(ph) : (size_t)(se - seg);
        size_t need = n + (slash ? 1 : 0);
        if (o + need > cap)
            break; /* cut at a segment boundary */
        memcpy(buf + o, src, n);
        o += n;
        if (slash)
            buf[o++] = '/';
        p = slash ? slash + 1 : end;
    }
    if (o == 0)
        buf[o++] = '/';
    return (struct el_str){ buf, o };
}

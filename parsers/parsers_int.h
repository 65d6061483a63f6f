/* parsers_int.h: shared between the parsers of parsers/; never included
 * from outside the module. */
#ifndef EL_PARSERS_INT_H
#define EL_PARSERS_INT_H

#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "parsers.h"

/* A per-parser buffer for field values that had to be transformed (escapes
 * decoded) and so cannot be views into the line. Reset at the start of every
 * line; record views into it live until the next parse call. Decoding never
 * makes a value longer than its source, so a buffer as long as the longest
 * line seen never runs out, and lines after the longest allocate nothing. */
struct el_scratch {
    char *p;
    size_t len, cap;
};

enum el_err el_scratch_init(struct el_scratch *s);
void el_scratch_fini(struct el_scratch *s);

/* Empties the buffer and makes room for a line of len bytes. If it cannot
 * grow, it keeps its size: callers then leave escaped values raw (a failed
 * el_scratch_room) rather than failing the line. */
void el_scratch_reset(struct el_scratch *s, size_t len);

/* n free bytes at the end of the buffer, or NULL. Write, then commit. */
static inline char *el_scratch_room(struct el_scratch *s, size_t n)
{
    return s->len + n <= s->cap ? s->p + s->len : NULL;
}
static inline struct el_str el_scratch_commit(struct el_scratch *s, const char *start, size_t n)
{
    s->len += n;
    return (struct el_str){ start, n };
}

/* ---- byte cursors ----------------------------------------------------------
 * For parsers that walk [p, end) byte by byte. None reads at or past end. */

static inline bool el_is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The first byte at or after p that is not JSON whitespace, or end. */
static inline const char *el_skip_ws(const char *p, const char *end)
{
    while (p < end && el_is_ws(*p))
        p++;
    return p;
}

/* Whether [p, end) starts with the n bytes of lit. */
static inline bool el_has_prefix(const char *p, const char *end, const char *lit, size_t n)
{
    return (size_t)(end - p) >= n && memcmp(p, lit, n) == 0;
}

/* The first c in [p, end), or end. Inlined: fields are 1 to 100 bytes,
 * where a memchr call spends more on call and setup (~30 instructions)
 * than on searching. SSE2 (every x86-64) tests 16 bytes at a time; a
 * 16-byte load is only made when all 16 bytes lie before end, so a line
 * that ends at a guard page is never read past, and the last bytes go one
 * by one. */
static inline const char *el_find_byte(const char *p, const char *end, char c)
{
#ifdef __SSE2__
    const __m128i cv = _mm_set1_epi8(c);
    while (end - p >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, cv));
        if (m)
            return p + __builtin_ctz(m);
        p += 16;
    }
#endif
    while (p < end && *p != c)
        p++;
    return p;
}

/* The first a or b in [p, end), or end; same bounds as el_find_byte. For
 * JSON strings, which end at a quote and escape with a backslash. */
static inline const char *el_find_byte2(const char *p, const char *end, char a, char b)
{
#ifdef __SSE2__
    const __m128i av = _mm_set1_epi8(a), bv = _mm_set1_epi8(b);
    while (end - p >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
        unsigned m = (unsigned)_mm_movemask_epi8(
            _mm_or_si128(_mm_cmpeq_epi8(v, av), _mm_cmpeq_epi8(v, bv)));
        if (m)
            return p + __builtin_ctz(m);
        p += 16;
    }
#endif
    while (p < end && *p != a && *p != b)
        p++;
    return p;
}

/* ---- API Gateway access logs -----------------------------------------------
 * One parser in three files: apigw_access.c (the grammar, key names, record,
 * shape dispatch, sniffing, the ops table), apigw_json.c (JSON lines) and
 * apigw_presets.c (the XML, CLF and CSV console presets). A collector reads
 * one line into slots, one per known key; apigw_access.c then builds the
 * record from the slots. */

/* The $context variables the record is built from. The value doubles as
 * diag.field of a line rejected for that key's value. */
enum el_access_key {
    EL_AK_REQUEST_ID,
    EL_AK_EXT_REQUEST_ID,
    EL_AK_IP,
    EL_AK_REQUEST_TIME,
    EL_AK_REQUEST_TIME_EPOCH,
    EL_AK_HTTP_METHOD,
    EL_AK_RESOURCE_PATH,
    EL_AK_ROUTE_KEY,
    EL_AK_PATH,
    EL_AK_STATUS,
    EL_AK_PROTOCOL,
    EL_AK_RESPONSE_LENGTH,
    EL_AK_RESPONSE_LATENCY,
    EL_AK_INTEGRATION_LATENCY,
    EL_AK_INTEGRATION_STATUS, /* integration.status: what the integration returned */
    EL_AK_INTEG_SVC_STATUS,   /* integrationStatus: for Lambda, the service's status */
    EL_AK_ERROR_TYPE,
    EL_AK_ERROR_MESSAGE,
    EL_AK_ERROR_MESSAGE_STRING,
    EL_AK_USER_AGENT,
    EL_AK_DOMAIN_NAME,
    EL_AK_STAGE,
    EL_AK_XRAY_TRACE_ID,
    EL_AK_API_KEY,    /* identity.apiKey / identity.apiKeyId (features only) */
    EL_AK_AUTHORIZER, /* any authorizer.* variable (features only) */
    EL_AK_COUNT
};

/* What a slot holds: a view into the line (RAW: use as is; JSTR: a JSON
 * string body, decode when `esc`; JNUM: JSON number text) or a number that
 * only cJSON had (DBL). */
enum el_access_slot_kind {
    EL_SLOT_NONE = 0,
    EL_SLOT_RAW,
    EL_SLOT_JSTR,
    EL_SLOT_JNUM,
    EL_SLOT_DBL
};

/* One key's value; a line's slots are an array indexed by enum el_access_key,
 * zeroed before collecting. Views live as long as the line (or the cJSON
 * tree they point into). */
struct el_access_slot {
    const char *p;
    size_t n;
    double d;
    uint8_t kind; /* enum el_access_slot_kind */
    bool esc;
};

/* What a collector made of a line: not its shape (slots may hold partial
 * values: zero them before trying another collector), slots filled, or
 * rejected with diag set. */
enum el_access_collect { EL_COLLECT_NOMATCH, EL_COLLECT_OK, EL_COLLECT_BAD };

/* apigw_access.c. The known key named KEY (inside object PARENT when depth is
 * 1, matched as "parent.key"), or -1 for an unknown or unused name. Names
 * match after dropping a "$context."/"context." prefix, '_', '-' and case. */
int el_access_match_key(int depth, struct el_str parent, struct el_str key);

/* apigw_access.c. Whether a slot holds nothing, "" or "-". */
bool el_access_slot_absent(const struct el_access_slot *s);

/* apigw_access.c. Stores a value in slots[k]; a k < 0 (unknown key) is
 * ignored. The first present value of a key wins ("ip" and "sourceIp" both
 * logged). */
void el_access_set_slot(struct el_access_slot *slots, int k, const char *p, size_t n,
                        enum el_access_slot_kind kind, bool esc);

/* apigw_access.c and apigw_presets.c: the CLF time layout by its separators,
 * "10/Mar/2026:10:00:00 +0000" (26 bytes); digits are not checked. */
static inline bool el_looks_like_clf_time(const char *p, size_t n)
{
    return n == 26 && p[2] == '/' && p[6] == '/' && p[11] == ':' && p[20] == ' ';
}

/* The collectors. Each reads the body [p, end) of LINE (what follows the
 * export prefix; p < end) into SLOTS, which the caller zeroed, and never
 * reads outside [p, end). diag offsets count from LINE. */

struct cJSON;

/* apigw_json.c. A line starting with '{': never EL_COLLECT_NOMATCH. TREE is
 * where the cJSON fallback leaves its tree, which slot views then point
 * into; the caller frees it with cJSON_Delete before the next line. With
 * TREE NULL (sniffing) there is no fallback and nothing is allocated. */
enum el_access_collect el_access_collect_json(struct cJSON **tree, const char *line,
                                              const char *p, const char *end,
                                              struct el_access_slot *slots,
                                              struct el_diag *diag);

/* apigw_presets.c. A line starting with '<': never EL_COLLECT_NOMATCH. */
enum el_access_collect el_access_collect_xml(const char *line, const char *p, const char *end,
                                             struct el_access_slot *slots,
                                             struct el_diag *diag);

/* apigw_presets.c. The CLF preset; EL_COLLECT_NOMATCH unless the line is
 * three words and then "[". */
enum el_access_collect el_access_collect_clf(const char *line, const char *p, const char *end,
                                             struct el_access_slot *slots,
                                             struct el_diag *diag);

/* apigw_presets.c. The CSV preset; EL_COLLECT_NOMATCH unless one of fields 2
 * to 4 is a CLF time and enough fields follow it. */
enum el_access_collect el_access_collect_csv(const char *line, const char *p, const char *end,
                                             struct el_access_slot *slots,
                                             struct el_diag *diag);

/* apigw_json.c. Decodes the escapes of a JSON string body that the strict
 * scanner validated into S and returns the view there. The result is never
 * longer than V. If S has no room, returns V unchanged (raw). */
struct el_str el_access_json_unescape(struct el_scratch *s, struct el_str v);

#endif /* EL_PARSERS_INT_H */

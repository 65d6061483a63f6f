/* core.h: the few things every edgelog module shares.
 *
 * String views, the project error enum, per-line diagnostics, the
 * allocation seam (counting and fault injection for tests), and the
 * cursor scanners that parse numbers and timestamps without libc's
 * locale-dependent or allocating routines. No dependencies beyond libc.
 */
#ifndef EL_CORE_H
#define EL_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EL_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define EL_LIKELY(x) __builtin_expect(!!(x), 1)
#define EL_UNLIKELY(x) __builtin_expect(!!(x), 0)

/* A view: NOT NUL-terminated, never owns memory. */
struct el_str {
    const char *p;
    size_t n;
};

#define EL_STR_LIT(s) ((struct el_str){ (s), sizeof(s) - 1 })

bool el_str_eq(struct el_str a, const char *lit);
/* Bytewise order, a prefix before its extensions; 0 when equal. */
int el_str_cmp(struct el_str a, struct el_str b);
static inline bool el_str_same(struct el_str a, struct el_str b)
{
    return el_str_cmp(a, b) == 0;
}
bool el_str_has_prefix(struct el_str a, const char *lit);

enum el_err {
    EL_OK = 0,
    EL_DONE,         /* not an error: end of input */
    EL_SKIP,         /* not an error: a recognised non-request line, kind in el_diag */
    EL_PENDING,      /* not an error: the line joined an open multi-line request */
    EL_ERR_NOMEM,
    EL_ERR_IO,       /* errno-style detail available from the caller's context */
    EL_ERR_GZIP,     /* corrupt or truncated gzip stream */
    EL_ERR_PARSE,    /* the line did not match; details in el_diag */
    EL_ERR_RANGE,    /* a number out of the accepted range */
    EL_ERR_TOO_LONG, /* line longer than the configured cap */
    EL_ERR_USAGE,
    EL_ERR_EMPTY,    /* a query on an empty aggregate (no values) */
};

/* Static strings, never NULL. */
const char *el_strerror(enum el_err e);

/* One event of a CloudWatch Logs envelope (subscription or Firehose
 * delivery): the message, and what the envelope knew about it. Produced by
 * ingest/, consumed by parsers/; views valid until the next event. */
struct el_event {
    struct el_str message;
    int64_t time_us; /* the event's timestamp */
    struct el_str log_group;
    struct el_str log_stream;
};

/* Per-line diagnostic. `what` is always a static string, so the pipeline can
 * count reasons by pointer and keep samples without allocating. */
struct el_diag {
    enum el_err code;
    uint16_t field;  /* 0-based field index where it failed, if known */
    uint32_t offset; /* byte offset in the line */
    const char *what;
};

static inline enum el_err el_diag_set(struct el_diag *d, enum el_err code, unsigned field,
                                      size_t offset, const char *what)
{
    d->code = code;
    d->field = (uint16_t)field;
    d->offset = offset > UINT32_MAX ? UINT32_MAX : (uint32_t)offset;
    d->what = what;
    return code;
}

/* ---- allocation seam ------------------------------------------------------
 * Every module allocates through these. They return NULL on failure and never
 * abort. Tests can read the call count and make the Nth call fail. */
void *el_malloc(size_t n);
void *el_calloc(size_t nmemb, size_t size);
void *el_realloc(void *p, size_t n);
void el_free(void *p);
char *el_strndup(const char *s, size_t n);

/* Number of successful el_malloc/el_calloc/el_realloc calls so far. */
uint64_t el_mem_allocs(void);
/* Make the n-th allocation call from now fail (1 = the next one); 0 disables. */
void el_mem_fail_after(uint64_t n);
/* Tests: fill every block el_malloc returns from now on with byte (0..255),
 * so a result that depends on memory never written shows; -1 stops. */
void el_mem_fill_new(int byte);

/* ---- character classes ---------------------------------------------------- */
static inline bool el_isdigit(char c) { return (unsigned)(c - '0') < 10u; }
static inline bool el_isxdigit(char c)
{
    return el_isdigit(c) || (unsigned)((c | 0x20) - 'a') < 6u;
}
static inline bool el_isalnum(char c)
{
    return el_isdigit(c) || (unsigned)((c | 0x20) - 'a') < 26u;
}
static inline int el_xval(char c)
{
    return el_isdigit(c) ? c - '0' : ((c | 0x20) - 'a' + 10);
}

/* ---- scanners --------------------------------------------------------------
 * Each takes a whole token [p, p+n) and writes *out only on success. */

/* Unsigned decimal, digits only, no sign, no spaces; EL_ERR_RANGE past max. */
enum el_err el_scan_u64(struct el_str s, uint64_t max, uint64_t *out);

/* Decimal seconds like "0.001", "12", "-1" into integer microseconds. Digits
 * beyond microseconds are truncated. A leading '-' is accepted (ALB's -1). */
enum el_err el_scan_secs_us(struct el_str s, int64_t *out);

/* ISO-8601 UTC timestamp "YYYY-MM-DDTHH:MM:SS[.frac]Z" into microseconds since
 * the epoch. Years 1970..9999; the day is checked against the month. */
enum el_err el_scan_iso8601_us(struct el_str s, int64_t *out);

/* The same, remembering the last timestamp and the last date it accepted,
 * so a stream of timestamps of one day (a log file) converts each date
 * once and a repeated timestamp costs one compare. Same results as
 * el_scan_iso8601_us for any sequence of calls. Zero-initialise the cache;
 * one per parser state (not thread-safe). */
struct el_iso_cache {
    char last[32];
    uint8_t last_n; /* 0: nothing cached */
    bool have_date;
    char date[10];
    int64_t last_us, day_us;
};
enum el_err el_scan_iso8601_us_cached(struct el_str s, struct el_iso_cache *c, int64_t *out);

/* Exactly n decimal digits at p (n <= 9) into *out; false on any non-digit.
 * For fixed-layout fields such as the parts of a date. */
bool el_scan_fixed_digits(const char *p, size_t n, unsigned *out);

/* Days since 1970-01-01 for a proleptic Gregorian date. */
int64_t el_days_from_civil(int64_t y, unsigned m, unsigned d);

/* Formats microseconds since the epoch as "YYYY-MM-DDTHH:MM:SS.uuuuuuZ" into
 * buf (at least EL_ISO_BUF bytes); returns the length written (27). */
#define EL_ISO_BUF 32
size_t el_fmt_iso8601_us(int64_t us, char *buf);

/* Formats a duration in microseconds as milliseconds with microsecond
 * precision ("12.345"), trailing zeros kept for column alignment; returns the
 * length. buf must hold 32 bytes. */
size_t el_fmt_ms(int64_t us, char *buf);

#endif /* EL_CORE_H */

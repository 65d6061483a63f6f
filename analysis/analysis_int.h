/* analysis_int.h: internals shared by the files of analysis/ only; never
 * included from outside the folder.
 *
 * The aggregate state (docs/STATE.md) is written by the part that owns each
 * structure: state.c frames it (magic, version, length, checksum) and holds
 * the little-endian byte layer below, agg.c writes and reads the options and
 * groups, sketch.c one sketch. Each reader validates what it reads, so a
 * structure's invariants are checked next to the code that relies on them.
 */
#ifndef EL_ANALYSIS_INT_H
#define EL_ANALYSIS_INT_H

#include "analysis.h"

/* ---- writing ---------------------------------------------------------------
 * A state is written twice: once with p == NULL, which only counts bytes, and
 * once into a buffer of exactly that size. The writers never fail and never
 * allocate; the two passes see the same aggregate, so they write the same
 * number of bytes. Integers are little-endian and fixed-width whatever the
 * host. */
struct el_wbuf {
    unsigned char *p; /* NULL: count only */
    size_t n;         /* bytes written (or counted) so far */
};

void el_put_u8(struct el_wbuf *w, uint8_t v);
void el_put_u16(struct el_wbuf *w, uint16_t v);
void el_put_u32(struct el_wbuf *w, uint32_t v);
void el_put_u64(struct el_wbuf *w, uint64_t v);
void el_put_i64(struct el_wbuf *w, int64_t v); /* two's complement, as a u64 */
void el_put_bytes(struct el_wbuf *w, const void *p, size_t n);

/* ---- reading ---------------------------------------------------------------
 * A cursor over [p, end). Each getter returns false when fewer bytes remain
 * than it needs; it then records a "truncated" message and the cursor does
 * not move. The first message recorded wins, so callers just propagate
 * EL_ERR_PARSE. ctx names what is being read ("group 3, latency sketch") and
 * prefixes every message. */
struct el_rbuf {
    const unsigned char *p, *end;
    char *err; /* NUL-terminated message buffer, errlen > 0 */
    size_t errlen;
    char ctx[64];
    bool failed;
};

static inline size_t el_rbuf_left(const struct el_rbuf *r)
{
    return (size_t)(r->end - r->p);
}

bool el_get_u8(struct el_rbuf *r, uint8_t *v);
bool el_get_u16(struct el_rbuf *r, uint16_t *v);
bool el_get_u32(struct el_rbuf *r, uint32_t *v);
bool el_get_u64(struct el_rbuf *r, uint64_t *v);
bool el_get_i64(struct el_rbuf *r, int64_t *v);
/* A view of the next n bytes, which stay owned by the input. */
bool el_get_bytes(struct el_rbuf *r, size_t n, const unsigned char **out);

/* Records "ctx: message" (unless a message is already recorded) and returns
 * EL_ERR_PARSE. */
enum el_err el_rbuf_fail(struct el_rbuf *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ---- sketch state (sketch.c) -----------------------------------------------
 * Writes s: 37 bytes plus 16 per exact pair, or, once bucketed, 41 bytes
 * plus 8 per counter from the bucket of min to the bucket of max. */
void el_sketch_encode(const struct el_sketch *s, struct el_wbuf *w);

/* Reads one sketch into s, which must be empty (fresh from
 * el_sketch_create). EL_ERR_PARSE (message in r) when the encoding is not a
 * state some sequence of el_sketch_add calls could have produced, without
 * changing s; EL_ERR_NOMEM. Allocates no more than the bytes it consumes
 * justify: at most one array, of the pairs or counters it has read. */
enum el_err el_sketch_decode(struct el_rbuf *r, struct el_sketch *s);

/* ---- aggregate state (agg.c) -----------------------------------------------
 * The payload: options, groups in key order, "(other)". EL_ERR_NOMEM only
 * (for the sort), with nothing written. */
enum el_err el_agg_encode_payload(const struct el_agg *a, struct el_wbuf *w);

/* Reads a whole payload (all of r) into a new aggregate. EL_ERR_PARSE
 * (message in r) or EL_ERR_NOMEM; *out is written only on success. */
enum el_err el_agg_decode_payload(struct el_rbuf *r, struct el_agg **out);

/* ---- per-second counts (peak.c) ---------------------------------------------
 * Requests per second within one group's time bucket, for peak requests per
 * second. An open-addressing table of (second + 1, count); zeroed storage is
 * an empty table. Memory follows the seconds that saw traffic, not the
 * bucket width. Counts add, so merging is exact. */
struct el_peak {
    uint32_t *sec; /* second within the bucket, plus one; 0 = empty slot */
    uint64_t *cnt;
    uint32_t cap, n;
    uint64_t max;
};

enum el_err el_peak_add(struct el_peak *p, uint32_t sec, uint64_t count);
enum el_err el_peak_merge(struct el_peak *dst, const struct el_peak *src);
void el_peak_free(struct el_peak *p);

/* ---- compiled patterns (regex.c) ---------------------------------------------
 * PCRE2 once per pattern: compiled, JIT-compiled when the platform allows
 * (the interpreter gives the same answers), with match data allocated once.
 * Memory goes through el_malloc, so it is counted and can be made to fail.
 * One el_regex per thread (the match data is not shared). */
struct el_regex {
    void *re; /* pcre2_code; NULL when empty */
    void *md; /* pcre2_match_data */
    bool jit; /* JIT code present and safe to call directly */
};

/* EL_OK; EL_ERR_PARSE with "<pcre2 message> at offset N" in msg; NOMEM. */
enum el_err el_regex_compile(struct el_regex *x, const char *pattern, size_t len, char *msg,
                             size_t msglen);
/* Searches s[0..n) (a view: not NUL-terminated, may hold NUL bytes). true on
 * a match; errors (match or heap limits) count as no match. When mark is not
 * NULL it receives the name of the last (*MARK:...) passed, or NULL. */
bool el_regex_search(struct el_regex *x, const char *s, size_t n, const char **mark);
void el_regex_free(struct el_regex *x);

/* ---- re-keying (align.c uses these from agg.c) ---- */
size_t el_agg_slots(const struct el_agg *a);
bool el_agg_slot_key(const struct el_agg *a, size_t i, struct el_str *key);
const struct el_agg_opts *el_agg_options(const struct el_agg *a);
/* Folds the group at slot i of src (i == el_agg_slots(src): its "(other)")
 * into dst under key. */
enum el_err el_agg_fold_group(struct el_agg *dst, const struct el_agg *src, size_t i,
                              const struct el_str *key);

#endif /* EL_ANALYSIS_INT_H */

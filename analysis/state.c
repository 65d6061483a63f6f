/* state.c: the frame of an aggregate state (docs/STATE.md) and the
 * little-endian byte layer every part of the state is written with.
 *
 * The frame is magic, version, flags, payload length, payload, checksum.
 * Decoding checks them in that order, so each kind of damage gets its own
 * message: a foreign file fails on the magic, a newer edgelog's state on the
 * version (before anything whose layout a newer version may have changed),
 * a cut file on the length, a flipped bit on the checksum. Only then is the
 * payload read, by agg.c and sketch.c, which check every value. Integers are
 * assembled from bytes with shifts, never memcpy'd, so neither the host's
 * byte order nor struct padding reaches the file.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "analysis_int.h"

static const unsigned char magic[8] = { 'E', 'L', 'S', 'T', 'A', 'T', 'E', '\0' };

/* magic, u32 version, u32 flags, u64 payload length */
#define HEADER_SIZE 24u
#define CHECKSUM_SIZE 8u

/* ---- byte layer --------------------------------------------------------------- */

void el_put_u8(struct el_wbuf *w, uint8_t v)
{
    if (w->p)
        w->p[w->n] = v;
    w->n++;
}

static void put_le(struct el_wbuf *w, uint64_t v, unsigned size)
{
    if (w->p)
        for (unsigned i = 0; i < size; i++)
            w->p[w->n + i] = (unsigned char)(v >> (8u * i));
    w->n += size;
}

void el_put_u16(struct el_wbuf *w, uint16_t v)
{
    put_le(w, v, 2);
}

void el_put_u32(struct el_wbuf *w, uint32_t v)
{
    put_le(w, v, 4);
}

void el_put_u64(struct el_wbuf *w, uint64_t v)
{
    put_le(w, v, 8);
}

void el_put_i64(struct el_wbuf *w, int64_t v)
{
    put_le(w, (uint64_t)v, 8);
}

void el_put_bytes(struct el_wbuf *w, const void *p, size_t n)
{
    if (w->p && n)
        memcpy(w->p + w->n, p, n);
    w->n += n;
}

enum el_err el_rbuf_fail(struct el_rbuf *r, const char *fmt, ...)
{
    if (r->failed)
        return EL_ERR_PARSE;
    r->failed = true;
    size_t o = 0;
    if (r->ctx[0]) {
        int k = snprintf(r->err, r->errlen, "%s: ", r->ctx);
        o = k < 0 ? 0 : (size_t)k < r->errlen ? (size_t)k : r->errlen - 1;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->err + o, r->errlen - o, fmt, ap);
    va_end(ap);
    return EL_ERR_PARSE;
}

static bool get_le(struct el_rbuf *r, unsigned size, uint64_t *v)
{
    if (el_rbuf_left(r) < size) {
        el_rbuf_fail(r, "truncated: %u bytes needed, %zu left", size, el_rbuf_left(r));
        return false;
    }
    uint64_t x = 0;
    for (unsigned i = 0; i < size; i++)
        x |= (uint64_t)r->p[i] << (8u * i);
    r->p += size;
    *v = x;
    return true;
}

bool el_get_u8(struct el_rbuf *r, uint8_t *v)
{
    uint64_t x;
    if (!get_le(r, 1, &x))
        return false;
    *v = (uint8_t)x;
    return true;
}

bool el_get_u16(struct el_rbuf *r, uint16_t *v)
{
    uint64_t x;
    if (!get_le(r, 2, &x))
        return false;
    *v = (uint16_t)x;
    return true;
}

bool el_get_u32(struct el_rbuf *r, uint32_t *v)
{
    uint64_t x;
    if (!get_le(r, 4, &x))
        return false;
    *v = (uint32_t)x;
    return true;
}

bool el_get_u64(struct el_rbuf *r, uint64_t *v)
{
    return get_le(r, 8, v);
}

bool el_get_i64(struct el_rbuf *r, int64_t *v)
{
    uint64_t x;
    if (!get_le(r, 8, &x))
        return false;
    /* Two's complement back to signed without implementation-defined
     * conversion of values above INT64_MAX. */
    *v = x <= (uint64_t)INT64_MAX ? (int64_t)x : -(int64_t)(~x) - 1;
    return true;
}

bool el_get_bytes(struct el_rbuf *r, size_t n, const unsigned char **out)
{
    if (el_rbuf_left(r) < n) {
        el_rbuf_fail(r, "truncated: %zu bytes needed, %zu left", n, el_rbuf_left(r));
        return false;
    }
    *out = r->p;
    r->p += n;
    return true;
}

/* ---- frame -------------------------------------------------------------------- */

/* 64-bit FNV-1a. Every step (h ^ b) * prime is a bijection of h for a given
 * byte, so changing any single byte always changes the result; random damage
 * slips through with probability about 2^-64. No table, no zlib dependency. */
static uint64_t fnv1a(const unsigned char *p, size_t n)
{
    uint64_t h = 14695981039346656037ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 1099511628211ull;
    return h;
}

static uint64_t load_le(const unsigned char *p, unsigned size)
{
    uint64_t x = 0;
    for (unsigned i = 0; i < size; i++)
        x |= (uint64_t)p[i] << (8u * i);
    return x;
}

static void write_header(struct el_wbuf *w, uint64_t payload_len)
{
    el_put_bytes(w, magic, sizeof(magic));
    el_put_u32(w, EL_STATE_VERSION);
    el_put_u32(w, 0); /* flags: none defined in version 1 */
    el_put_u64(w, payload_len);
}

enum el_err el_agg_encode(const struct el_agg *a, char **buf, size_t *len)
{
    /* Pass 1 counts, pass 2 writes into a buffer of exactly that size: one
     * allocation, and writers that cannot fail. */
    struct el_wbuf w = { NULL, 0 };
    enum el_err rc = el_agg_encode_payload(a, &w);
    if (rc != EL_OK)
        return rc;
    size_t payload_len = w.n, total = HEADER_SIZE + payload_len + CHECKSUM_SIZE;
    unsigned char *p = el_malloc(total);
    if (!p)
        return EL_ERR_NOMEM;
    w = (struct el_wbuf){ p, 0 };
    write_header(&w, payload_len);
    rc = el_agg_encode_payload(a, &w);
    if (rc != EL_OK || w.n != HEADER_SIZE + payload_len) {
        el_free(p);
        return rc != EL_OK ? rc : EL_ERR_RANGE; /* the passes disagreed: a bug */
    }
    el_put_u64(&w, fnv1a(p, w.n));
    *buf = (char *)p;
    *len = total;
    return EL_OK;
}

/* Checks everything but the payload; r only carries the message. */
static enum el_err check_frame(struct el_rbuf *r, const unsigned char *b, size_t len,
                               uint64_t *payload_len)
{
    size_t m = len < sizeof(magic) ? len : sizeof(magic);
    if (len == 0 || memcmp(b, magic, m) != 0)
        return el_rbuf_fail(r, "not an edgelog state%s", len ? "" : " (empty)");
    if (len < sizeof(magic) + 4)
        return el_rbuf_fail(r, "truncated: %zu bytes, not even a header", len);
    uint64_t version = load_le(b + 8, 4);
    if (version > EL_STATE_VERSION)
        return el_rbuf_fail(r, "state version %llu is newer than this edgelog reads (%d)",
                            (unsigned long long)version, EL_STATE_VERSION);
    if (version == 0)
        return el_rbuf_fail(r, "state version 0 does not exist");
    if (len < HEADER_SIZE)
        return el_rbuf_fail(r, "truncated: %zu bytes, not even a header", len);
    uint64_t pl = load_le(b + 16, 8);
    size_t room = len - HEADER_SIZE;
    if (room < CHECKSUM_SIZE || pl > room - CHECKSUM_SIZE)
        return el_rbuf_fail(r,
                            "truncated: %zu bytes, but the header announces a %llu-byte "
                            "payload",
                            len, (unsigned long long)pl);
    if (pl < room - CHECKSUM_SIZE)
        return el_rbuf_fail(r, "%zu bytes after the end of the state",
                            (size_t)(room - CHECKSUM_SIZE - pl));
    if (fnv1a(b, HEADER_SIZE + (size_t)pl) != load_le(b + HEADER_SIZE + pl, 8))
        return el_rbuf_fail(r, "corrupt (checksum)");
    /* Checked after the checksum: a set flag in a damaged file is damage,
     * in an intact one a feature this build does not know. */
    uint64_t flags = load_le(b + 12, 4);
    if (flags != 0)
        return el_rbuf_fail(r, "unknown flags 0x%llx", (unsigned long long)flags);
    *payload_len = pl;
    return EL_OK;
}

enum el_err el_agg_decode(const char *buf, size_t len, struct el_agg **out, char *err,
                          size_t errlen)
{
    char spare[1];
    if (!err || errlen == 0) { /* the message is optional; the checks are not */
        err = spare;
        errlen = sizeof(spare);
    }
    err[0] = '\0';
    const unsigned char *b = (const unsigned char *)buf;
    struct el_rbuf r = { .err = err, .errlen = errlen }; /* the frame reads b directly */
    uint64_t pl = 0;
    if (check_frame(&r, b, len, &pl) != EL_OK)
        return EL_ERR_PARSE;
    r = (struct el_rbuf){
        .p = b + HEADER_SIZE, .end = b + HEADER_SIZE + pl, .err = err, .errlen = errlen
    };
    enum el_err rc = el_agg_decode_payload(&r, out);
    if (rc == EL_ERR_NOMEM)
        snprintf(err, errlen, "out of memory");
    return rc;
}

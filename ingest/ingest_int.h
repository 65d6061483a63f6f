/* ingest_int.h: shared by the files of ingest/ only (never included from
 * outside the module, except by its unit test).
 *
 * The inflate backends. reader.c does the gzip framing itself (member
 * headers, CRC32 and ISIZE trailers, member after member, gzip inside gzip)
 * in one code path for every backend; a backend only turns raw deflate data
 * into bytes and computes CRC32. That keeps every backend's answer the same
 * by construction: they can only differ in speed.
 */
#ifndef EL_INGEST_INT_H
#define EL_INGEST_INT_H

#include <stddef.h>
#include <stdint.h>

#include "ingest.h"

struct el_inflater; /* one raw deflate stream's state, opaque per backend */

struct el_inflate_ops {
    const char *name;
    /* EL_OK or EL_ERR_NOMEM. */
    enum el_err (*create)(struct el_inflater **out);
    /* Starts a new raw deflate stream (the next gzip member). */
    void (*reset)(struct el_inflater *f);
    /* Inflates from in[0, *in_n) into out[0, *out_n). On return *in_n holds
     * the input bytes consumed and *out_n the bytes written. Returns EL_OK
     * (give more input, or more room), EL_DONE (the deflate stream ended;
     * input after its last byte is left unconsumed), EL_ERR_GZIP (invalid
     * deflate data) or EL_ERR_NOMEM. Bytes written before an error are
     * output, but on invalid data they may hold garbage decoded before the
     * backend noticed, and how much depends on how the input was split
     * (ISA-L's fast path decodes ahead): only the damaged line differs. */
    enum el_err (*run)(struct el_inflater *f, const unsigned char *in, size_t *in_n,
                       unsigned char *out, size_t *out_n);
    /* After EL_DONE: the bytes the backend had taken past the end of the
     * deflate stream (ISA-L reads ahead up to 8 bytes into its bit buffer;
     * zlib gives them back itself), copied to out[0, 8). Returns how many;
     * they come before the unconsumed input. NULL: never any. */
    size_t (*unread)(struct el_inflater *f, unsigned char out[8]);
    /* CRC-32 as gzip defines it (RFC 1952), continuing from crc (0 to start). */
    uint32_t (*crc32)(uint32_t crc, const unsigned char *p, size_t n);
    void (*destroy)(struct el_inflater *f); /* NULL is fine */
};

extern const struct el_inflate_ops el_inflate_zlib;
#ifdef EL_HAVE_ISAL
extern const struct el_inflate_ops el_inflate_isal;
#endif

/* CRC-32 as gzip defines it, continuing from crc (0 to start): zlib's
 * crc32() with its bulk done by carry-less multiplication when the CPU
 * has it (crc32.c). The zlib backend's crc32. */
uint32_t el_crc32(uint32_t crc, const unsigned char *p, size_t n);
/* Tests only: el_crc32 at most at level (0: zlib's crc32, 1: PCLMULQDQ
 * folding, 2: VPCLMULQDQ folding), or the best the CPU has for -1. Returns
 * the level el_crc32 now uses. Not for use while other threads run. */
int el_crc32_limit(int level);

/* The ops of backend b (AUTO: the fastest built in); NULL when this build
 * does not have it. */
const struct el_inflate_ops *el_inflate_ops_for(enum el_inflate b);

/* Tests only: a reader from el_reader_open_mem hands its bytes over at
 * most n at a time (0: all at once), as a pipe or a slow disk would, so
 * the gzip framing meets every split of its input. Call before reading. */
void el_reader_set_mem_chunk(struct el_reader *r, size_t n);

#endif /* EL_INGEST_INT_H */

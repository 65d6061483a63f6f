/* fuzz_reader.c: the line reader over arbitrary bytes, gzip or plain.
 *
 * One input is read several ways and the results are compared (each
 * result: return code, line length and a hash of the line, then the
 * final code and message):
 * - zlib, and ISA-L when built in: two decoders, one framing. When either
 *   reaches a clean end, both must give the same lines, the same end and
 *   the same message; on damaged deflate data the same error code. (The
 *   decoders may stop at different bits of garbage, and ISA-L accepts
 *   incomplete Huffman codes zlib refuses, so the lines just before the
 *   damage and the message are not compared.)
 * - the bytes handed over in small pieces (as a pipe does) and all at
 *   once, with a small line cap: the same results on a clean stream, and
 *   the same error code on a damaged one. (ISA-L decodes garbage in bigger
 *   steps when it has more input at hand, so the text of the damaged
 *   region may differ; it ends in a rejected line either way.)
 * - cut at an offset chosen from the input: every result before the cut
 *   stream's last line is also a result of the whole stream.
 * - blocks (el_reader_start_blocks) and the threaded reader, for some
 *   inputs (they start a thread): the same results as el_reader_next.
 * - el_reader_read: the raw chunks add up to el_reader_out_bytes.
 * - el_reader_trailing: part of every comparison above, and 0 for plain
 *   text.
 * For plain text (no gzip magic) the lines must also rebuild the input:
 * each line at its offset, followed by "\n", "\r\n", the end, or "\r" and
 * the end; a line
 * over the cap skipped up to its newline. */
#include "ingest.h"
#include "ingest_int.h"
#include "fuzz.h"

struct rseq {
    uint64_t *v; /* pairs: code << 32 | length, hash */
    size_t n, cap;
    enum el_err end;
    uint64_t trailing; /* el_reader_trailing at the end */
    char err[160];
    size_t results;
};

static void rseq_add(struct rseq *q, enum el_err rc, struct el_str l)
{
    if (q->n + 2 > q->cap) {
        q->cap = q->cap ? q->cap * 2 : 256;
        q->v = realloc(q->v, q->cap * sizeof(*q->v));
        FUZZ_CHECK(q->v != NULL, "out of memory");
    }
    bool text = rc == EL_OK || rc == EL_ERR_PARSE;
    q->v[q->n++] = (uint64_t)rc << 32 | (text ? (uint32_t)l.n : 0);
    q->v[q->n++] = text ? fuzz_hash((const uint8_t *)l.p, l.n) : 0;
    q->results++;
}

static void rseq_free(struct rseq *q)
{
    free(q->v);
    memset(q, 0, sizeof(*q));
}

static bool rseq_equal(const struct rseq *a, const struct rseq *b)
{
    return a->n == b->n && (a->n == 0 || memcmp(a->v, b->v, a->n * sizeof(*a->v)) == 0) &&
           a->end == b->end && a->trailing == b->trailing && strcmp(a->err, b->err) == 0;
}

/* For a failed comparison: both sequences, side by side. */
static void rseq_dump(const char *what, const struct rseq *a, const struct rseq *b)
{
    fprintf(stderr, "%s:\n", what);
    for (size_t i = 0; i < a->n || i < b->n; i += 2) {
        long long ac = i < a->n ? (long long)(a->v[i] >> 32) : -1;
        long long al = i < a->n ? (long long)(uint32_t)a->v[i] : -1;
        long long bc = i < b->n ? (long long)(b->v[i] >> 32) : -1;
        long long bl = i < b->n ? (long long)(uint32_t)b->v[i] : -1;
        fprintf(stderr, "  %3zu: code %lld len %lld | code %lld len %lld%s\n", i / 2, ac, al, bc,
                bl, i < a->n && i < b->n && a->v[i + 1] != b->v[i + 1] ? " (text differs)" : "");
    }
    fprintf(stderr, "  end %d '%s' trailing %llu | end %d '%s' trailing %llu\n", (int)a->end,
            a->err, (unsigned long long)a->trailing, (int)b->end, b->err,
            (unsigned long long)b->trailing);
}

#define SAME(check, a, b, what)                                                            \
    do {                                                                                   \
        if (!check(a, b))                                                                  \
            rseq_dump(what, a, b);                                                         \
        FUZZ_CHECK(check(a, b), what);                                                     \
    } while (0)

/* Equal when either is clean; else the same error (ingest.h: the
 * decoders may notice invalid data at different points, so the message
 * and the damaged line may differ). */
static bool rseq_agree(const struct rseq *a, const struct rseq *b)
{
    if (a->end == EL_DONE || b->end == EL_DONE)
        return rseq_equal(a, b);
    return a->end == b->end;
}

static bool is_gzip(const uint8_t *d, size_t n)
{
    return n >= 2 && d[0] == 0x1f && d[1] == 0x8b;
}

/* The end of a read: its code, message and trailing byte count. */
static void rseq_end(struct rseq *q, const struct el_reader *r, enum el_err rc, const uint8_t *d,
                     size_t n)
{
    q->end = rc;
    q->trailing = el_reader_trailing(r);
    FUZZ_CHECK(q->trailing == 0 || is_gzip(d, n), "trailing bytes in plain text");
    snprintf(q->err, sizeof(q->err), "%s", rc == EL_DONE ? "" : el_reader_error(r));
}

/* Plain input: line l must sit at *off in the input. */
static void plain_step(const uint8_t *d, size_t n, size_t *off, enum el_err rc, struct el_str l)
{
    if (rc == EL_ERR_TOO_LONG) {
        const uint8_t *nl = *off < n ? memchr(d + *off, '\n', n - *off) : NULL;
        *off = nl ? (size_t)(nl - d) + 1 : n;
        return;
    }
    FUZZ_CHECK(rc == EL_OK, "plain text gave an error result");
    FUZZ_CHECK(l.n <= n - *off && (l.n == 0 || memcmp(d + *off, l.p, l.n) == 0),
               "a plain line is not the input's bytes");
    size_t at = *off + l.n;
    if (at == n)
        *off = n;
    else if (d[at] == '\n')
        *off = at + 1;
    else if (d[at] == '\r' && at + 1 < n && d[at + 1] == '\n')
        *off = at + 2;
    else if (d[at] == '\r' && at + 1 == n)
        *off = n; /* a last line's '\r' goes too, as if its '\n' were cut off */
    else
        FUZZ_CHECK(false, "a plain line does not end at a newline or the end");
}

struct how {
    enum el_inflate inflate;
    size_t max_line, chunk, peek;
    bool threaded;
};

static void read_lines(const uint8_t *d, size_t n, const struct how *h, struct rseq *q)
{
    struct el_reader_opts o = { .max_line = h->max_line, .inflate = h->inflate,
                                .threaded = h->threaded };
    struct el_reader *r;
    memset(q, 0, sizeof(*q));
    FUZZ_CHECK(el_reader_open_mem(d, n, &o, &r) == EL_OK, "open");
    el_reader_set_mem_chunk(r, h->chunk);
    struct el_str l;
    if (h->peek) {
        enum el_err prc = el_reader_peek(r, h->peek, &l);
        if (prc == EL_OK && !is_gzip(d, n))
            FUZZ_CHECK(l.n <= n && (l.n == 0 || memcmp(l.p, d, l.n) == 0) &&
                           (l.n >= h->peek || l.n == n),
                       "a plain peek is not the input's first bytes");
    }
    bool plain = !is_gzip(d, n);
    size_t off = 0;
    enum el_err rc;
    for (;;) {
        l = (struct el_str){ 0 }; /* a skipped over-long line leaves it alone */
        rc = el_reader_next(r, &l);
        if (rc != EL_OK && rc != EL_ERR_PARSE && rc != EL_ERR_TOO_LONG)
            break;
        (void)fuzz_touch(l);
        if (rc != EL_ERR_TOO_LONG)
            FUZZ_CHECK(h->max_line == 0 || l.n <= h->max_line, "a line over the cap");
        if (plain)
            plain_step(d, n, &off, rc, l);
        rseq_add(q, rc, l);
        FUZZ_CHECK(q->results <= 2 * (n + 1) + 64 * 1024 * 1024, "endless lines");
    }
    rseq_end(q, r, rc, d, n);
    FUZZ_CHECK(el_reader_is_gzip(r) == is_gzip(d, n), "gzip detection is not the magic");
    if (plain) {
        FUZZ_CHECK(rc == EL_DONE, "plain text ended in an error");
        FUZZ_CHECK(off == n, "plain lines do not cover the input");
    }
    /* after the end or an error, only the end */
    FUZZ_CHECK(el_reader_next(r, &l) == EL_DONE, "a result after the end");
    el_reader_close(r);
}

static void read_blocks(const uint8_t *d, size_t n, const struct how *h, struct rseq *q)
{
    struct el_reader_opts o = { .max_line = h->max_line, .inflate = h->inflate };
    struct el_reader *r;
    memset(q, 0, sizeof(*q));
    FUZZ_CHECK(el_reader_open_mem(d, n, &o, &r) == EL_OK, "open");
    el_reader_set_mem_chunk(r, h->chunk);
    struct el_str l;
    if (h->peek)
        el_reader_peek(r, h->peek, &l);
    FUZZ_CHECK(el_reader_start_blocks(r) == EL_OK, "start blocks");
    struct el_block b;
    enum el_err rc;
    while ((rc = el_reader_take(r, &b)) == EL_OK) {
        enum el_err lr;
        for (;;) {
            l = (struct el_str){ 0 };
            if ((lr = el_block_next(&b, &l)) == EL_DONE)
                break;
            (void)fuzz_touch(l);
            rseq_add(q, lr, l);
        }
        el_reader_give_back(r, &b);
    }
    rseq_end(q, r, rc, d, n);
    FUZZ_CHECK(el_reader_take(r, &b) == EL_DONE, "the stream's error told twice");
    el_reader_close(r);
}

/* el_reader_read: chunks are never empty and add up to the bytes out; for
 * plain text they are the input. */
static void read_raw(const uint8_t *d, size_t n, const struct how *h)
{
    struct el_reader_opts o = { .inflate = h->inflate };
    struct el_reader *r;
    FUZZ_CHECK(el_reader_open_mem(d, n, &o, &r) == EL_OK, "open");
    el_reader_set_mem_chunk(r, h->chunk);
    struct el_str c;
    uint64_t total = 0;
    enum el_err rc;
    while ((rc = el_reader_read(r, &c)) == EL_OK) {
        FUZZ_CHECK(c.n > 0, "an empty chunk");
        if (!is_gzip(d, n))
            FUZZ_CHECK(c.n <= n - total && memcmp(c.p, d + total, c.n) == 0,
                       "a plain chunk is not the input's bytes");
        total += c.n;
    }
    FUZZ_CHECK(total == el_reader_out_bytes(r), "chunks do not add up to the bytes out");
    if (!is_gzip(d, n))
        FUZZ_CHECK(rc == EL_DONE && total == n, "plain chunks do not cover the input");
    el_reader_close(r);
}

/* Every OK or too-long result of the cut stream but its last one is the
 * whole stream's result at the same place. */
static void check_prefix(const struct rseq *cut, const struct rseq *whole)
{
    size_t last = cut->n; /* index of the cut stream's last OK/too-long pair */
    for (size_t i = 0; i < cut->n; i += 2) {
        enum el_err rc = (enum el_err)(cut->v[i] >> 32);
        if (rc == EL_OK || rc == EL_ERR_TOO_LONG)
            last = i;
    }
    for (size_t i = 0; i < cut->n && i < last; i += 2) {
        enum el_err rc = (enum el_err)(cut->v[i] >> 32);
        if (rc != EL_OK && rc != EL_ERR_TOO_LONG)
            continue;
        FUZZ_CHECK(i + 1 < whole->n && cut->v[i] == whole->v[i] &&
                       cut->v[i + 1] == whole->v[i + 1],
                   "a line before a cut differs from the whole stream's");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint32_t h = fuzz_hash(data, size);
    bool isal = el_inflate_available(EL_INFLATE_ISAL);
    struct rseq zl, other, small, pieces;

    struct how whole = { .inflate = EL_INFLATE_ZLIB, .peek = 65536 };
    read_lines(data, size, &whole, &zl);
    if (isal) {
        whole.inflate = EL_INFLATE_ISAL;
        read_lines(data, size, &whole, &other);
        SAME(rseq_agree, &zl, &other, "zlib and ISA-L disagree");
        rseq_free(&other);
    }

    /* a small cap, whole and in pieces, on one backend chosen by the hash */
    struct how sm = { .inflate = isal && (h & 1) ? EL_INFLATE_ISAL : EL_INFLATE_ZLIB,
                      .max_line = 1 + (h >> 1) % 300, .peek = (h >> 9) % 512 };
    read_lines(data, size, &sm, &small);
    struct how pc = sm;
    pc.chunk = 1 + (h >> 18) % 61;
    read_lines(data, size, &pc, &pieces);
    SAME(rseq_agree, &small, &pieces, "reading in pieces changed the lines");
    rseq_free(&pieces);

    if (size > 0) {
        struct rseq cut;
        size_t at = (size_t)((h >> 3) % size);
        read_lines(data, at, &sm, &cut);
        check_prefix(&cut, &small);
        rseq_free(&cut);
    }

    switch (h >> 28) {
    case 0: { /* blocks: one taker sees them in order */
        struct rseq b;
        read_blocks(data, size, &sm, &b);
        SAME(rseq_equal, &small, &b, "blocks differ from lines");
        rseq_free(&b);
        break;
    }
    case 1: { /* the threaded reader */
        struct rseq t;
        struct how th = sm;
        th.threaded = true;
        read_lines(data, size, &th, &t);
        SAME(rseq_equal, &small, &t, "the threaded reader differs");
        rseq_free(&t);
        break;
    }
    default:
        break;
    }
    read_raw(data, size, &pc);

    rseq_free(&small);
    rseq_free(&zl);
    return 0;
}

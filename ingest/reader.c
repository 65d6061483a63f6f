/* reader.c: lines from a file or stdin, gzip or plain, through one buffer.
 *
 * The stream is gzip when its first two bytes are the gzip magic (1f 8b),
 * whatever the file is called; otherwise bytes are copied through. Gzip is
 * decoded member after member until the input ends (cat a.gz b.gz and
 * Firehose objects are concatenations). The gzip wrapper (header, CRC32 and
 * ISIZE trailer) is parsed here, once for every inflate backend; a backend
 * (ingest_int.h: zlib or ISA-L) only inflates raw deflate data, straight
 * into the line buffer. Decoding goes on as far as the data allows, so a
 * damaged file still yields every line before the damage.
 *
 * Invariant: buf[pos, fill) is unread data; every line returned is a view
 * into buf, valid until the next call. Lines are found with memchr and only
 * the partial tail is moved to the front before the next read.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ingest_int.h"

/* Bytes produced per refill. Large refills keep per-call overhead
 * negligible; the compressed side is read in IN_CHUNK pieces. */
#define READ_CHUNK ((size_t)1 << 20)
#define IN_CHUNK ((size_t)256 * 1024)
#define UNREAD_MAX 8 /* bytes a backend may read past a deflate stream's end */

enum mode { MODE_DETECT, MODE_PLAIN, MODE_GZIP, MODE_GZIP2 };

/* A byte source feeding one inflate layer: level 0 is the file itself,
 * level 1 the output of the outer layer when the data is gzip inside gzip
 * (Firehose compresses records that CloudWatch had already compressed). */
struct src {
    unsigned char *buf;
    size_t pos, len, cap;
    bool eof;
};

/* One gzip layer: the backend's deflate state and the running checks of
 * the member being decoded. */
struct gz {
    struct el_inflater *f;
    bool in_member; /* inside a gzip member: the end of input here is truncation */
    uint32_t crc, isize;
};

/* Threaded mode: a producer thread decompresses into NBLOCKS blocks, taken
 * from a free list and queued in order once filled.
 * - raw mode (opts.threaded): blocks of READ_CHUNK bytes; refill() copies
 *   the next one behind the unread tail. The copy costs far less than the
 *   inflate it takes off this core.
 * - lines mode (el_reader_start_blocks): blocks of whole lines, handed to
 *   any number of takers, and made by the takers themselves: no thread of
 *   its own. A taker that finds the producer's turn free (and an empty
 *   block) inflates the next block, queues it, and asks again; the others
 *   take queued blocks. So the threads that parse are the threads that
 *   inflate, never more runnable threads than the caller started, and a
 *   taker parses only when the serial part (inflate) is already in hand
 *   or the queue is full. A block holds up to max_line bytes carried over
 *   from the previous one plus READ_CHUNK new bytes; with short lines about
 *   READ_CHUNK of it is ever touched, so the pool costs NBLOCKS MiB. */
#define NBLOCKS 8

struct pipe {
    pthread_t tid;
    pthread_mutex_t mu;
    pthread_cond_t can_take, can_put;
    bool lines;
    size_t blk_cap;
    char *blk[NBLOCKS];
    size_t len[NBLOCKS];
    uint64_t too_long[NBLOCKS]; /* lines mode: lines skipped before the block */
    bool cut[NBLOCKS];          /* lines mode: its last line was cut by damage */
    int ready[NBLOCKS]; /* FIFO of filled blocks */
    int rhead, rcount;
    int free_[NBLOCKS]; /* stack of empty blocks */
    int nfree;
    bool done;          /* the producer has queued its last block */
    bool stop;          /* the reader is closing */
    bool started;       /* raw mode: the thread runs (and must be joined) */
    bool error_taken;   /* lines mode: the stream's error went to a taker */
    /* lines mode: a taker is producing; the producer's state between turns
     * (the carried partial line is r->buf[0, carry)) */
    bool producing, skipping;
    size_t carry;
    uint64_t skipped;
    bool whole; /* peeking read the stream whole: r->buf is its one block */
};

struct el_reader {
    const struct el_inflate_ops *ops;
    struct pipe *pipe; /* NULL: decompress in the caller's thread */
    bool want_thread;  /* opts.threaded: start the producer on the first read */
    int fd; /* -1: the memory source below */
    bool own_fd;
    /* el_reader_open_mem: the bytes read instead of fd (not owned) */
    const unsigned char *mem;
    size_t mem_len, mem_pos, mem_chunk;
    enum mode mode;
    struct src src[2];
    struct gz gz[2];
    atomic_uint_fast64_t in_total;
    bool was_gzip;
    /* bytes after the last complete gzip member that start no member (any
     * layer), and whether any of them is not zero padding */
    uint64_t trailing;
    bool trailing_data;
    /* decompressed lines */
    char *buf;
    size_t cap, pos, fill;
    size_t max_line;
    uint64_t line_no;
    uint64_t out_bytes;
    bool eof;            /* the source has no more data */
    bool failed;         /* an error was returned; only EL_DONE from now on */
    enum el_err pending; /* error to return once buffered data is drained */
    char err[160];
};

static enum el_err pipe_start(struct el_reader *r, bool lines);
static void pipe_free(struct el_reader *r);

static void set_error(struct el_reader *r, enum el_err code, const char *msg)
{
    r->pending = code;
    snprintf(r->err, sizeof(r->err), "%s", msg);
}

/* A reader over fd (closed by el_reader_close when own_fd). On failure
 * nothing is allocated and fd is left to the caller. */
static enum el_err reader_new(const struct el_reader_opts *opts, int fd, bool own_fd,
                              struct el_reader **out)
{
    size_t max_line = opts && opts->max_line ? opts->max_line : EL_READER_DEFAULT_MAX_LINE;
    const struct el_inflate_ops *ops = el_inflate_ops_for(opts ? opts->inflate : EL_INFLATE_AUTO);
    if (!ops)
        return EL_ERR_USAGE;

    struct el_reader *r = el_calloc(1, sizeof(*r));
    if (!r)
        goto nomem;
    r->ops = ops;
    r->fd = fd;
    r->own_fd = own_fd;
    r->max_line = max_line;
    /* Room for one maximal partial line plus a full refill behind it. */
    r->cap = max_line + READ_CHUNK + 1;
    r->buf = el_malloc(r->cap);
    r->src[0].buf = el_malloc(IN_CHUNK + UNREAD_MAX);
    r->src[0].cap = IN_CHUNK;
    if (!r->buf || !r->src[0].buf)
        goto nomem;
    r->pending = EL_OK;
    r->want_thread = opts && opts->threaded;
    *out = r;
    return EL_OK;

nomem:
    if (r) {
        el_free(r->buf);
        el_free(r->src[0].buf);
        el_free(r);
    }
    errno = ENOMEM;
    return EL_ERR_NOMEM;
}

enum el_err el_reader_open(const char *path, const struct el_reader_opts *opts,
                           struct el_reader **out)
{
    if (!el_inflate_ops_for(opts ? opts->inflate : EL_INFLATE_AUTO))
        return EL_ERR_USAGE;
    bool is_stdin = strcmp(path, "-") == 0;
    int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return EL_ERR_IO;
    enum el_err rc = reader_new(opts, fd, !is_stdin, out);
    if (rc != EL_OK && !is_stdin) {
        close(fd);
        errno = ENOMEM;
    }
    return rc;
}

enum el_err el_reader_open_mem(const void *data, size_t len, const struct el_reader_opts *opts,
                               struct el_reader **out)
{
    struct el_reader *r;
    enum el_err rc = reader_new(opts, -1, false, &r);
    if (rc != EL_OK)
        return rc;
    r->mem = data;
    r->mem_len = len;
    r->mem_chunk = SIZE_MAX;
    *out = r;
    return EL_OK;
}

void el_reader_set_mem_chunk(struct el_reader *r, size_t n)
{
    r->mem_chunk = n ? n : SIZE_MAX;
}

void el_reader_close(struct el_reader *r)
{
    if (!r)
        return;
    pipe_free(r); /* stops and joins the producer before its state goes */
    for (int i = 0; i < 2; i++) {
        r->ops->destroy(r->gz[i].f);
        el_free(r->src[i].buf);
    }
    if (r->own_fd)
        close(r->fd);
    el_free(r->buf);
    el_free(r);
}

static size_t gz_produce(struct el_reader *r, int lvl, char *dst, size_t cap);

/* read(2) on the file, or the next piece of the memory source (at most
 * mem_chunk bytes, so tests can cut it anywhere). */
static ssize_t src_read(struct el_reader *r, void *dst, size_t cap)
{
    if (r->fd >= 0)
        return read(r->fd, dst, cap);
    size_t n = r->mem_len - r->mem_pos;
    if (n > cap)
        n = cap;
    if (n > r->mem_chunk)
        n = r->mem_chunk;
    if (n)
        memcpy(dst, r->mem + r->mem_pos, n);
    r->mem_pos += n;
    return (ssize_t)n;
}

/* Appends more bytes to source lvl (moving unread bytes to the front).
 * Returns false at its end or on an error (r->pending set). */
static bool src_more(struct el_reader *r, int lvl)
{
    struct src *s = &r->src[lvl];
    if (s->eof)
        return false;
    if (s->pos > 0) {
        if (s->pos < s->len)
            memmove(s->buf, s->buf + s->pos, s->len - s->pos);
        s->len -= s->pos;
        s->pos = 0;
    }
    if (s->len >= s->cap)
        return true; /* full of unread bytes (put back by src_unread) */
    if (lvl == 1) {
        size_t got = gz_produce(r, 0, (char *)s->buf + s->len, s->cap - s->len);
        s->len += got;
        if (got == 0)
            s->eof = true;
        return got > 0;
    }
    for (;;) {
        ssize_t got = src_read(r, s->buf + s->len, s->cap - s->len);
        if (got > 0) {
            s->len += (size_t)got;
            atomic_fetch_add_explicit(&r->in_total, (uint_fast64_t)got, memory_order_relaxed);
            return true;
        }
        if (got < 0 && errno == EINTR)
            continue;
        s->eof = true;
        if (got < 0)
            set_error(r, EL_ERR_IO, strerror(errno));
        return false;
    }
}

static bool at_gzip_magic(const struct src *s)
{
    return s->len - s->pos >= 2 && s->buf[s->pos] == 0x1f && s->buf[s->pos + 1] == 0x8b;
}

static bool ensure(struct el_reader *r, int lvl, size_t n)
{
    while (r->src[lvl].len - r->src[lvl].pos < n)
        if (!src_more(r, lvl))
            return false;
    return true;
}

/* Decides plain, gzip, or gzip inside gzip from the first bytes. */
static void detect(struct el_reader *r)
{
    ensure(r, 0, 2);
    if (!at_gzip_magic(&r->src[0])) {
        r->mode = MODE_PLAIN;
        return;
    }
    r->was_gzip = true;
    r->mode = MODE_GZIP;
    r->src[1].buf = el_malloc(IN_CHUNK + UNREAD_MAX);
    if (!r->src[1].buf) {
        set_error(r, EL_ERR_NOMEM, "out of memory");
        r->src[0].eof = true;
        return;
    }
    r->src[1].cap = IN_CHUNK;
    ensure(r, 1, 2);
    if (at_gzip_magic(&r->src[1]))
        r->mode = MODE_GZIP2;
}

/* ---- the gzip wrapper (RFC 1952), the same for every backend ---------- */

static void gz_truncated(struct el_reader *r, int lvl)
{
    if (r->pending == EL_OK)
        set_error(r, EL_ERR_GZIP, lvl ? "truncated inner gzip data (unexpected end)"
                                      : "truncated gzip data (unexpected end of file)");
}

static void gz_corrupt(struct el_reader *r, int lvl, enum el_err code, const char *why)
{
    char m[128];
    snprintf(m, sizeof(m), "corrupt %sgzip data (%s)", lvl ? "inner " : "", why);
    set_error(r, code, m);
    r->src[lvl].eof = true;
    r->src[lvl].pos = r->src[lvl].len;
}

/* Consumes n header bytes (copied to out when not NULL), adding them to the
 * header CRC. false when the input ends first (truncation recorded). */
static bool hdr_take(struct el_reader *r, int lvl, size_t n, unsigned char *out, uint32_t *hcrc)
{
    struct src *s = &r->src[lvl];
    while (n > 0) {
        if (s->pos == s->len && !src_more(r, lvl)) {
            gz_truncated(r, lvl);
            return false;
        }
        size_t k = s->len - s->pos < n ? s->len - s->pos : n;
        *hcrc = r->ops->crc32(*hcrc, s->buf + s->pos, k);
        if (out) {
            memcpy(out, s->buf + s->pos, k);
            out += k;
        }
        s->pos += k;
        n -= k;
    }
    return true;
}

/* Skips a zero-terminated header field (file name, comment), whatever its
 * length. */
static bool hdr_skip_string(struct el_reader *r, int lvl, uint32_t *hcrc)
{
    struct src *s = &r->src[lvl];
    for (;;) {
        if (s->pos == s->len && !src_more(r, lvl)) {
            gz_truncated(r, lvl);
            return false;
        }
        const unsigned char *z = memchr(s->buf + s->pos, 0, s->len - s->pos);
        size_t k = z ? (size_t)(z - (s->buf + s->pos)) + 1 : s->len - s->pos;
        *hcrc = r->ops->crc32(*hcrc, s->buf + s->pos, k);
        s->pos += k;
        if (z)
            return true;
    }
}

enum { FTEXT = 1, FHCRC = 2, FEXTRA = 4, FNAME = 8, FCOMMENT = 16 };

/* Parses one member header (the magic is already seen). false on an error
 * (recorded). */
static bool gz_header(struct el_reader *r, int lvl)
{
    unsigned char h[10];
    uint32_t hcrc = 0;
    if (!hdr_take(r, lvl, sizeof(h), h, &hcrc))
        return false;
    if (h[2] != 8) {
        gz_corrupt(r, lvl, EL_ERR_GZIP, "unknown compression method");
        return false;
    }
    unsigned flg = h[3];
    if (flg & 0xe0) {
        gz_corrupt(r, lvl, EL_ERR_GZIP, "unknown header flags set");
        return false;
    }
    if (flg & FEXTRA) {
        unsigned char xl[2];
        if (!hdr_take(r, lvl, 2, xl, &hcrc) ||
            !hdr_take(r, lvl, (size_t)xl[0] | (size_t)xl[1] << 8, NULL, &hcrc))
            return false;
    }
    if ((flg & FNAME) && !hdr_skip_string(r, lvl, &hcrc))
        return false;
    if ((flg & FCOMMENT) && !hdr_skip_string(r, lvl, &hcrc))
        return false;
    if (flg & FHCRC) {
        unsigned char c[2];
        uint32_t ignore = 0;
        if (!hdr_take(r, lvl, 2, c, &ignore))
            return false;
        if (((unsigned)c[0] | (unsigned)c[1] << 8) != (hcrc & 0xffff)) {
            gz_corrupt(r, lvl, EL_ERR_GZIP, "header crc mismatch");
            return false;
        }
    }
    return true;
}

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Checks the member trailer: CRC32 and ISIZE (length mod 2^32). */
static bool gz_trailer(struct el_reader *r, int lvl)
{
    struct src *s = &r->src[lvl];
    struct gz *g = &r->gz[lvl];
    if (!ensure(r, lvl, 8)) {
        gz_truncated(r, lvl);
        return false;
    }
    const unsigned char *t = s->buf + s->pos;
    if (le32(t) != g->crc) {
        gz_corrupt(r, lvl, EL_ERR_GZIP, "incorrect data check");
        return false;
    }
    if (le32(t + 4) != g->isize) {
        gz_corrupt(r, lvl, EL_ERR_GZIP, "incorrect length check");
        return false;
    }
    s->pos += 8;
    return true;
}

/* Puts back k (<= UNREAD_MAX) bytes in front of the unconsumed input: in
 * place when they are still there, else shifted in (buffers have
 * UNREAD_MAX bytes of slack beyond cap for this). */
static void src_unread(struct src *s, const unsigned char *bytes, size_t k)
{
    if (s->pos >= k) {
        s->pos -= k;
    } else {
        memmove(s->buf + k, s->buf + s->pos, s->len - s->pos);
        s->len = s->len - s->pos + k;
        s->pos = 0;
    }
    memcpy(s->buf + s->pos, bytes, k);
}

/* Not a gzip header after a complete member: the rest of layer lvl is not
 * read as logs. gzip(1) ignores it too; zero padding (some tools pad to a
 * block size) says nothing, but other bytes are reported by the caller
 * (el_reader_trailing), since they may be lines appended to a .gz that no
 * report would otherwise count. Streams to the end to count them. */
static void skip_trailing(struct el_reader *r, int lvl)
{
    struct src *s = &r->src[lvl];
    do {
        const unsigned char *p = s->buf + s->pos, *end = s->buf + s->len;
        r->trailing += (uint64_t)(end - p);
        for (; !r->trailing_data && p < end; p++)
            r->trailing_data = *p != 0;
        s->pos = s->len;
    } while (src_more(r, lvl));
    s->eof = true;
}

/* Inflates layer lvl into dst: up to cap bytes, member after member.
 * Returns how many; 0 means the end of input or an error (r->pending). */
static size_t gz_produce(struct el_reader *r, int lvl, char *dst, size_t cap)
{
    struct gz *g = &r->gz[lvl];
    struct src *s = &r->src[lvl];
    size_t done = 0;
    if (!g->f && r->ops->create(&g->f) != EL_OK) {
        set_error(r, EL_ERR_NOMEM, "out of memory");
        return 0;
    }
    while (done < cap && r->pending == EL_OK) {
        if (!g->in_member) {
            /* Between members: another member, or the end. Anything that is
             * not a gzip header after a complete member is ignored, as
             * gzip(1) does with trailing garbage (often zero padding). */
            ensure(r, lvl, 2);
            if (r->pending != EL_OK)
                break;
            if (!at_gzip_magic(s)) {
                skip_trailing(r, lvl);
                break;
            }
            if (!gz_header(r, lvl))
                break;
            r->ops->reset(g->f);
            g->crc = 0;
            g->isize = 0;
            g->in_member = true;
        }
        if (s->pos == s->len && !src_more(r, lvl)) {
            gz_truncated(r, lvl);
            break;
        }
        size_t in_n = s->len - s->pos, out_n = cap - done;
        enum el_err rc = r->ops->run(g->f, s->buf + s->pos, &in_n, (unsigned char *)dst + done,
                                     &out_n);
        s->pos += in_n;
        if (out_n) {
            g->crc = r->ops->crc32(g->crc, (const unsigned char *)dst + done, out_n);
            g->isize += (uint32_t)out_n;
            done += out_n;
        }
        if (rc == EL_DONE) {
            unsigned char back[8];
            size_t k = r->ops->unread ? r->ops->unread(g->f, back) : 0;
            if (k)
                src_unread(s, back, k);
            if (!gz_trailer(r, lvl))
                break;
            g->in_member = false;
        } else if (rc == EL_ERR_NOMEM) {
            gz_corrupt(r, lvl, EL_ERR_NOMEM, "out of memory");
        } else if (rc != EL_OK) {
            gz_corrupt(r, lvl, EL_ERR_GZIP, "invalid deflate data");
        } else if (in_n == 0 && out_n == 0 && s->pos < s->len) {
            /* Both backends buffer what they cannot decode yet, so input
             * left over with room to spare means a stuck decoder. */
            gz_corrupt(r, lvl, EL_ERR_GZIP, "inflate made no progress");
        }
    }
    return done;
}
/* Plain input, or gzip whose first inflated bytes were looked at while
 * detecting: those are handed out before reading on. */
static size_t take_buffered(struct src *s, char *dst, size_t cap)
{
    size_t n = s->len - s->pos;
    if (n > cap)
        n = cap;
    if (n)
        memcpy(dst, s->buf + s->pos, n);
    s->pos += n;
    return n;
}

static size_t produce_plain(struct el_reader *r, char *dst, size_t cap)
{
    struct src *s = &r->src[0];
    if (s->pos < s->len)
        return take_buffered(s, dst, cap);
    while (!s->eof) {
        ssize_t got = src_read(r, dst, cap);
        if (got > 0) {
            atomic_fetch_add_explicit(&r->in_total, (uint_fast64_t)got, memory_order_relaxed);
            return (size_t)got;
        }
        if (got < 0 && errno == EINTR)
            continue;
        s->eof = true;
        if (got < 0)
            set_error(r, EL_ERR_IO, strerror(errno));
    }
    return 0;
}

static size_t produce(struct el_reader *r, char *dst, size_t cap)
{
    switch (r->mode) {
    case MODE_GZIP2:
        return gz_produce(r, 1, dst, cap);
    case MODE_GZIP:
        if (r->src[1].pos < r->src[1].len)
            return take_buffered(&r->src[1], dst, cap);
        return gz_produce(r, 0, dst, cap);
    default:
        return produce_plain(r, dst, cap);
    }
}

/* ---- the producer thread ------------------------------------------------ */

/* An empty block, waiting for one; -1 when the reader is closing. */
static int get_free(struct pipe *pp)
{
    pthread_mutex_lock(&pp->mu);
    while (pp->nfree == 0 && !pp->stop)
        pthread_cond_wait(&pp->can_put, &pp->mu);
    int slot = pp->stop ? -1 : pp->free_[--pp->nfree];
    pthread_mutex_unlock(&pp->mu);
    return slot;
}

/* Queues a filled block (slot -1: none) and, when last, marks the end. */
static void put_ready(struct pipe *pp, int slot, size_t len, uint64_t too_long, bool cut,
                      bool last)
{
    pthread_mutex_lock(&pp->mu);
    if (slot >= 0) {
        pp->len[slot] = len;
        pp->too_long[slot] = too_long;
        pp->cut[slot] = cut;
        pp->ready[(pp->rhead + pp->rcount) % NBLOCKS] = slot;
        pp->rcount++;
    }
    if (last) {
        pp->done = true;
        pthread_cond_broadcast(&pp->can_take);
    } else {
        pthread_cond_signal(&pp->can_take);
    }
    pthread_mutex_unlock(&pp->mu);
}

static void produce_raw(struct el_reader *r, struct pipe *pp)
{
    for (;;) {
        int slot = get_free(pp);
        if (slot < 0)
            return;
        size_t got = produce(r, pp->blk[slot], READ_CHUNK);
        if (!got) {
            pthread_mutex_lock(&pp->mu);
            pp->free_[pp->nfree++] = slot;
            pthread_mutex_unlock(&pp->mu);
        }
        put_ready(pp, got ? slot : -1, got, 0, false, !got);
        if (!got)
            return;
    }
}

static const char *last_newline(const char *p, size_t n)
{
    while (n > 0)
        if (p[--n] == '\n')
            return p + n;
    return NULL;
}

/* Lines mode, one producer's turn: fills slot (an empty block the caller
 * took) and queues it, or at the end queues the last block and sets done.
 * The partial line after a block's last newline is carried in r->buf
 * (which the takers never use) to the front of the next block; it starts
 * out as whatever el_reader_peek left buffered. A carry over the cap is a
 * line too long: it is counted once, with the next block, and the rest of
 * it is dropped as it arrives, so no line is ever buffered whole. */
static void produce_block(struct el_reader *r, struct pipe *pp, int slot)
{
    if (r->mode == MODE_DETECT)
        detect(r);
    char *b = pp->blk[slot];
    for (;;) {
        memcpy(b, r->buf, pp->carry);
        size_t len = pp->carry, target = pp->carry + READ_CHUNK;
        if (target > pp->blk_cap - 1)
            target = pp->blk_cap - 1; /* only the first carry, peeked data, can be long */
        pp->carry = 0;
        bool end = false;
        while (len < target) {
            size_t got = produce(r, b + len, target - len);
            if (got == 0) {
                end = true;
                break;
            }
            if (pp->skipping) {
                const char *nl = memchr(b + len, '\n', got);
                if (!nl)
                    continue; /* still inside the line too long */
                size_t rest = got - (size_t)(nl + 1 - (b + len));
                memmove(b + len, nl + 1, rest);
                got = rest;
                pp->skipping = false;
            }
            len += got;
        }
        if (end) {
            bool cut = r->pending != EL_OK && len > 0 && b[len - 1] != '\n';
            bool any = len || pp->skipped;
            put_ready(pp, any ? slot : -1, len, pp->skipped, cut, true);
            if (!any) {
                pthread_mutex_lock(&pp->mu);
                pp->free_[pp->nfree++] = slot;
                pthread_mutex_unlock(&pp->mu);
            }
            return;
        }
        const char *nl = last_newline(b, len);
        size_t keep = nl ? (size_t)(nl + 1 - b) : 0;
        size_t tail = len - keep;
        bool too_long = tail > r->max_line;
        if (!too_long) {
            memcpy(r->buf, b + keep, tail);
            pp->carry = tail;
        }
        uint64_t skipped = pp->skipped;
        if (too_long) { /* counted with the block after it */
            pp->skipped++;
            pp->skipping = true;
        }
        if (keep > 0) {
            pp->skipped -= skipped;
            put_ready(pp, slot, keep, skipped, false, false);
            return;
        } /* else no whole line yet: fill the same block again */
    }
}

/* The producer: decompresses into free blocks until the input ends, an
 * error is recorded (r->pending, read by the consumers only after done), or
 * the reader is closed. */
static void *producer(void *arg)
{
    struct el_reader *r = arg;
    if (r->mode == MODE_DETECT)
        detect(r);
    produce_raw(r, r->pipe);
    return NULL;
}

/* Raw mode, the consumer's half: appends the next block behind the unread
 * tail, or returns 0 at the end (r->pending then holds the producer's
 * error). */
static size_t take_block(struct el_reader *r)
{
    struct pipe *pp = r->pipe;
    pthread_mutex_lock(&pp->mu);
    while (pp->rcount == 0 && !pp->done)
        pthread_cond_wait(&pp->can_take, &pp->mu);
    size_t got = 0;
    if (pp->rcount) {
        int slot = pp->ready[pp->rhead];
        got = pp->len[slot];
        memcpy(r->buf + r->fill, pp->blk[slot], got);
        pp->rhead = (pp->rhead + 1) % NBLOCKS;
        pp->rcount--;
        pp->free_[pp->nfree++] = slot;
        pthread_cond_signal(&pp->can_put);
    }
    pthread_mutex_unlock(&pp->mu);
    return got;
}

static void pipe_free(struct el_reader *r)
{
    struct pipe *pp = r->pipe;
    if (!pp)
        return;
    if (pp->started) {
        pthread_mutex_lock(&pp->mu);
        pp->stop = true;
        pthread_cond_broadcast(&pp->can_put);
        pthread_mutex_unlock(&pp->mu);
        pthread_join(pp->tid, NULL);
    }
    pthread_mutex_destroy(&pp->mu);
    pthread_cond_destroy(&pp->can_take);
    pthread_cond_destroy(&pp->can_put);
    for (int i = 0; i < NBLOCKS; i++)
        el_free(pp->blk[i]);
    el_free(pp);
    r->pipe = NULL;
}

/* Sets up threaded (raw) or blocks (lines) mode. EL_ERR_NOMEM (also when
 * no thread can be made) leaves the reader as it was. In raw mode only half
 * the blocks are used: they are copied out at once, so a longer queue buys
 * nothing. */
static enum el_err pipe_start(struct el_reader *r, bool lines)
{
    struct pipe *pp = el_calloc(1, sizeof(*pp));
    if (!pp)
        return EL_ERR_NOMEM;
    r->pipe = pp;
    pp->lines = lines;
    pp->blk_cap = lines ? r->max_line + READ_CHUNK + 1 : READ_CHUNK;
    pthread_mutex_init(&pp->mu, NULL);
    pthread_cond_init(&pp->can_take, NULL);
    pthread_cond_init(&pp->can_put, NULL);
    int n = lines ? NBLOCKS : NBLOCKS / 2;
    for (int i = 0; i < n; i++) {
        if (!(pp->blk[i] = el_malloc(pp->blk_cap))) {
            pipe_free(r);
            return EL_ERR_NOMEM;
        }
        pp->free_[pp->nfree++] = i;
    }
    if (lines) {
        /* the takers produce (el_reader_take); what peeking buffered is the
         * first carry */
        pp->carry = r->fill - r->pos;
        memmove(r->buf, r->buf + r->pos, pp->carry);
        r->pos = r->fill = 0;
        return EL_OK;
    }
    if (pthread_create(&pp->tid, NULL, producer, r) != 0) {
        pipe_free(r);
        return EL_ERR_NOMEM;
    }
    pp->started = true;
    return EL_OK;
}

/* opts.threaded: the producer starts with the first read, so that peeks
 * (format sniffing) stay in the caller's thread and el_reader_start_blocks
 * can still take over. */
static void maybe_start_thread(struct el_reader *r)
{
    if (EL_UNLIKELY(r->want_thread)) {
        r->want_thread = false;
        if (!r->eof)
            pipe_start(r, false);
    }
}

/* Moves the unread tail to the front and reads more. Returns EL_OK when some
 * data arrived, EL_DONE at the end or on an error (recorded in r->pending). */
static enum el_err refill(struct el_reader *r)
{
    if (r->eof)
        return EL_DONE;
    if (r->pos > 0) {
        size_t tail = r->fill - r->pos;
        if (tail)
            memmove(r->buf, r->buf + r->pos, tail);
        r->fill = tail;
        r->pos = 0;
    }
    size_t got;
    if (r->pipe) {
        got = take_block(r);
    } else {
        if (r->mode == MODE_DETECT)
            detect(r);
        size_t room = r->cap - r->fill;
        if (room > READ_CHUNK)
            room = READ_CHUNK;
        got = produce(r, r->buf + r->fill, room);
    }
    r->fill += got;
    if (got > 0)
        return EL_OK;
    r->eof = true;
    return EL_DONE;
}

static struct el_str make_line(const char *s, size_t n)
{
    if (n && s[n - 1] == '\r')
        n--;
    return (struct el_str){ s, n };
}

/* Discards the rest of an over-long line. Returns true when its end was
 * found (the reader then points just past it), false at end of input. */
static bool skip_rest_of_line(struct el_reader *r)
{
    for (;;) {
        const char *s = r->buf + r->pos;
        const char *nl = memchr(s, '\n', r->fill - r->pos);
        if (nl) {
            r->pos = (size_t)(nl - r->buf) + 1;
            return true;
        }
        r->pos = r->fill;
        if (refill(r) != EL_OK)
            return false;
    }
}

enum el_err el_reader_next(struct el_reader *r, struct el_str *line)
{
    if (r->failed)
        return EL_DONE;
    maybe_start_thread(r);
    for (;;) {
        const char *s = r->buf + r->pos;
        size_t avail = r->fill - r->pos;
        const char *nl = memchr(s, '\n', avail);

        if (nl) {
            size_t n = (size_t)(nl - s);
            r->pos += n + 1;
            r->line_no++;
            r->out_bytes += n + 1;
            if (EL_UNLIKELY(n > r->max_line))
                return EL_ERR_TOO_LONG;
            *line = make_line(s, n);
            return EL_OK;
        }
        if (avail > r->max_line) {
            /* The line is already over the cap: drop it without buffering. */
            r->line_no++;
            r->out_bytes += avail;
            skip_rest_of_line(r);
            return EL_ERR_TOO_LONG;
        }
        if (refill(r) == EL_OK)
            continue;
        /* End of input or an error: hand out a final unterminated line
         * first, so data before a damaged region is never lost. */
        if (r->pos < r->fill) {
            size_t n = r->fill - r->pos;
            s = r->buf + r->pos;
            r->pos = r->fill;
            r->line_no++;
            r->out_bytes += n;
            if (n > r->max_line)
                return EL_ERR_TOO_LONG;
            *line = make_line(s, n);
            /* Before damaged data the last line is whatever arrived of it: it
             * may parse, but it is not what was logged. */
            return r->pending != EL_OK ? EL_ERR_PARSE : EL_OK;
        }
        if (r->pending != EL_OK) {
            r->failed = true;
            return r->pending;
        }
        return EL_DONE;
    }
}

enum el_err el_reader_read(struct el_reader *r, struct el_str *chunk)
{
    if (r->failed)
        return EL_DONE;
    maybe_start_thread(r);
    if (r->pos == r->fill && refill(r) != EL_OK) {
        if (r->pending != EL_OK) {
            r->failed = true;
            return r->pending;
        }
        return EL_DONE;
    }
    *chunk = (struct el_str){ r->buf + r->pos, r->fill - r->pos };
    r->out_bytes += chunk->n;
    r->pos = r->fill;
    return EL_OK;
}

enum el_err el_reader_peek(struct el_reader *r, size_t want, struct el_str *data)
{
    if (want > r->cap - 1)
        want = r->cap - 1;
    while (r->fill - r->pos < want && refill(r) == EL_OK)
        ;
    *data = (struct el_str){ r->buf + r->pos, r->fill - r->pos };
    return EL_OK;
}

/* ---- blocks of whole lines ---------------------------------------------- */

enum el_err el_reader_start_blocks(struct el_reader *r)
{
    r->want_thread = false;
    if (r->pipe)
        return EL_OK;
    if (r->eof) {
        /* Peeking read it all (a small file): one block, the buffer
         * itself, and no thread. */
        struct pipe *pp = el_calloc(1, sizeof(*pp));
        if (!pp)
            return EL_ERR_NOMEM;
        pthread_mutex_init(&pp->mu, NULL);
        pthread_cond_init(&pp->can_take, NULL);
        pthread_cond_init(&pp->can_put, NULL);
        pp->lines = true;
        pp->done = true;
        pp->whole = true;
        r->pipe = pp;
        return EL_OK;
    }
    return pipe_start(r, true);
}

enum el_err el_reader_take(struct el_reader *r, struct el_block *b)
{
    struct pipe *pp = r->pipe;
    enum el_err rc = EL_DONE;
    pthread_mutex_lock(&pp->mu);
    for (;;) {
        /* The producer's turn first, whenever it is free and a block is
         * empty: inflating is the serial part, so it must never wait for a
         * taker that chose to parse. */
        if (!pp->producing && !pp->done && pp->nfree > 0) {
            int slot = pp->free_[--pp->nfree];
            pp->producing = true;
            pthread_mutex_unlock(&pp->mu);
            produce_block(r, pp, slot); /* queues under the lock itself */
            pthread_mutex_lock(&pp->mu);
            pp->producing = false;
            pthread_cond_broadcast(&pp->can_take);
            continue;
        }
        if (pp->rcount || pp->done)
            break;
        pthread_cond_wait(&pp->can_take, &pp->mu);
    }
    if (pp->rcount) {
        int slot = pp->ready[pp->rhead];
        pp->rhead = (pp->rhead + 1) % NBLOCKS;
        pp->rcount--;
        *b = (struct el_block){ .p = pp->blk[slot], .n = pp->len[slot],
                                ._too_long = pp->too_long[slot], ._cut = pp->cut[slot],
                                ._max_line = r->max_line, ._slot = slot };
        rc = EL_OK;
    } else if (pp->whole && r->pos < r->fill) {
        /* the single block of a stream peeking read whole */
        *b = (struct el_block){ .p = r->buf + r->pos, .n = r->fill - r->pos,
                                ._cut = r->pending != EL_OK && r->buf[r->fill - 1] != '\n',
                                ._max_line = r->max_line, ._slot = -1 };
        r->pos = r->fill;
        rc = EL_OK;
    } else if (r->pending != EL_OK && !pp->error_taken) {
        pp->error_taken = true;
        rc = r->pending;
    }
    pthread_mutex_unlock(&pp->mu);
    return rc;
}

void el_reader_give_back(struct el_reader *r, struct el_block *b)
{
    struct pipe *pp = r->pipe;
    if (b->_slot < 0)
        return;
    pthread_mutex_lock(&pp->mu);
    pp->free_[pp->nfree++] = b->_slot;
    pthread_cond_signal(&pp->can_take); /* a taker waiting for a block can now make one */
    pthread_mutex_unlock(&pp->mu);
    b->_slot = -1;
}

enum el_err el_block_next(struct el_block *b, struct el_str *line)
{
    if (EL_UNLIKELY(b->_too_long)) {
        b->_too_long--;
        return EL_ERR_TOO_LONG;
    }
    if (b->_pos >= b->n)
        return EL_DONE;
    const char *s = b->p + b->_pos;
    size_t avail = b->n - b->_pos;
    const char *nl = memchr(s, '\n', avail);
    size_t n = nl ? (size_t)(nl - s) : avail;
    b->_pos += nl ? n + 1 : n;
    if (EL_UNLIKELY(n > b->_max_line))
        return EL_ERR_TOO_LONG;
    *line = make_line(s, n);
    return !nl && b->_cut ? EL_ERR_PARSE : EL_OK;
}

uint64_t el_reader_line_no(const struct el_reader *r)
{
    return r->line_no;
}

uint64_t el_reader_in_bytes(const struct el_reader *r)
{
    return atomic_load_explicit(&r->in_total, memory_order_relaxed);
}

uint64_t el_reader_out_bytes(const struct el_reader *r)
{
    return r->out_bytes;
}

bool el_reader_is_gzip(const struct el_reader *r)
{
    return r->was_gzip;
}

uint64_t el_reader_trailing(const struct el_reader *r)
{
    return r->trailing_data ? r->trailing : 0;
}

const char *el_reader_error(const struct el_reader *r)
{
    return r->err[0] ? r->err : "no error";
}

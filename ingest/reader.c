/* reader.c: lines from a file or stdin, gzip or plain, through one buffer.
 *
 * The stream is gzip when its first two bytes are the gzip magic (1f 8b),
 * whatever the file is called; otherwise bytes are copied through. Gzip is
 * decoded with zlib's inflate() directly into the line buffer, member after
 * member until the input ends (cat a.gz b.gz and Firehose objects are
 * concatenations). We use inflate() rather than gzread() because gzread
 * discards what it decoded in a call that ends in an error, and a damaged
 * file must still yield every line before the damage.
 *
 * Invariant: buf[pos, fill) is unread data; every line returned is a view
 * into buf, valid until the next call. Lines are found with memchr and only
 * the partial tail is moved to the front before the next read.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "ingest.h"

/* Bytes produced per refill. Large refills keep per-call overhead
 * negligible; the compressed side is read in IN_CHUNK pieces. */
#define READ_CHUNK ((size_t)1 << 20)
#define IN_CHUNK ((size_t)256 * 1024)

enum mode { MODE_DETECT, MODE_PLAIN, MODE_GZIP, MODE_GZIP2 };

/* A byte source feeding one inflate layer: level 0 is the file itself,
 * level 1 the output of the outer layer when the data is gzip inside gzip
 * (Firehose compresses records that CloudWatch had already compressed). */
struct src {
    unsigned char *buf;
    size_t pos, len, cap;
    bool eof;
};

struct gz {
    z_stream z;
    bool init;
    bool in_member; /* inside a gzip member: the end of input here is truncation */
};

/* Threaded mode: a producer thread runs produce() into NBLOCKS blocks of
 * READ_CHUNK bytes; refill() copies the next full block behind the unread
 * tail. The copy costs far less than the inflate it takes off this core. */
#define NBLOCKS 4

struct pipe {
    pthread_t tid;
    pthread_mutex_t mu;
    pthread_cond_t can_take, can_put;
    char *blk[NBLOCKS];
    size_t len[NBLOCKS];
    int head, count;
    bool done, stop, started;
};

struct el_reader {
    struct pipe *pipe; /* NULL: decompress in the caller's thread */
    int fd;
    bool own_fd;
    enum mode mode;
    struct src src[2];
    struct gz gz[2];
    atomic_uint_fast64_t in_total;
    bool was_gzip;
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

static void pipe_start(struct el_reader *r);
static void pipe_free(struct el_reader *r);

static void set_error(struct el_reader *r, enum el_err code, const char *msg)
{
    r->pending = code;
    snprintf(r->err, sizeof(r->err), "%s", msg);
}

enum el_err el_reader_open(const char *path, const struct el_reader_opts *opts,
                           struct el_reader **out)
{
    size_t max_line = opts && opts->max_line ? opts->max_line : EL_READER_DEFAULT_MAX_LINE;
    bool is_stdin = strcmp(path, "-") == 0;
    int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return EL_ERR_IO;

    struct el_reader *r = el_calloc(1, sizeof(*r));
    if (!r)
        goto nomem;
    r->fd = fd;
    r->own_fd = !is_stdin;
    r->max_line = max_line;
    /* Room for one maximal partial line plus a full refill behind it. */
    r->cap = max_line + READ_CHUNK + 1;
    r->buf = el_malloc(r->cap);
    r->src[0].buf = el_malloc(IN_CHUNK);
    r->src[0].cap = IN_CHUNK;
    if (!r->buf || !r->src[0].buf)
        goto nomem;
    r->pending = EL_OK;
    if (opts && opts->threaded)
        pipe_start(r);
    *out = r;
    return EL_OK;

nomem:
    if (r) {
        el_free(r->buf);
        el_free(r->src[0].buf);
        el_free(r);
    }
    if (!is_stdin)
        close(fd);
    errno = ENOMEM;
    return EL_ERR_NOMEM;
}

void el_reader_close(struct el_reader *r)
{
    if (!r)
        return;
    pipe_free(r); /* stops and joins the producer before its state goes */
    for (int i = 0; i < 2; i++) {
        if (r->gz[i].init)
            inflateEnd(&r->gz[i].z);
        el_free(r->src[i].buf);
    }
    if (r->own_fd)
        close(r->fd);
    el_free(r->buf);
    el_free(r);
}

static size_t gz_produce(struct el_reader *r, int lvl, char *dst, size_t cap);

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
    if (lvl == 1) {
        size_t got = gz_produce(r, 0, (char *)s->buf + s->len, s->cap - s->len);
        s->len += got;
        if (got == 0)
            s->eof = true;
        return got > 0;
    }
    for (;;) {
        ssize_t got = read(r->fd, s->buf + s->len, s->cap - s->len);
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
    r->src[1].buf = el_malloc(IN_CHUNK);
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

/* Inflates layer lvl into dst: up to cap bytes, member after member.
 * Returns how many; 0 means the end of input or an error (r->pending). */
static size_t gz_produce(struct el_reader *r, int lvl, char *dst, size_t cap)
{
    struct gz *g = &r->gz[lvl];
    struct src *s = &r->src[lvl];
    if (!g->init) {
        if (inflateInit2(&g->z, 15 + 16) != Z_OK) {
            set_error(r, EL_ERR_NOMEM, "out of memory in zlib");
            return 0;
        }
        g->init = true;
    }
    g->z.next_out = (unsigned char *)dst;
    g->z.avail_out = (unsigned)cap;
    while (g->z.avail_out > 0 && r->pending == EL_OK) {
        if (s->pos == s->len && !src_more(r, lvl)) {
            if (r->pending == EL_OK && g->in_member)
                set_error(r, EL_ERR_GZIP, lvl ? "truncated inner gzip data (unexpected end)"
                                              : "truncated gzip data (unexpected end of file)");
            break;
        }
        if (!g->in_member) {
            /* Between members: another member, or the end. Anything that is
             * not a gzip header after a complete member is ignored, as
             * gzip(1) does with trailing garbage (often zero padding). */
            ensure(r, lvl, 2);
            if (!at_gzip_magic(s)) {
                s->pos = s->len;
                s->eof = true;
                break;
            }
            inflateReset(&g->z);
            g->in_member = true;
        }
        g->z.next_in = s->buf + s->pos;
        g->z.avail_in = (unsigned)(s->len - s->pos);
        int zr = inflate(&g->z, Z_NO_FLUSH);
        s->pos = s->len - g->z.avail_in;
        if (zr == Z_STREAM_END) {
            g->in_member = false;
        } else if (zr == Z_BUF_ERROR && s->pos == s->len) {
            continue; /* needs more input; the loop reads it */
        } else if (zr != Z_OK) {
            char m[128];
            snprintf(m, sizeof(m), "corrupt %sgzip data (%s)", lvl ? "inner " : "",
                     g->z.msg ? g->z.msg : (zr == Z_MEM_ERROR ? "out of memory" : "bad data"));
            set_error(r, zr == Z_MEM_ERROR ? EL_ERR_NOMEM : EL_ERR_GZIP, m);
            s->eof = true;
            s->pos = s->len;
            break;
        }
    }
    return cap - g->z.avail_out;
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
        ssize_t got = read(r->fd, dst, cap);
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

/* The producer: decompresses into free blocks until the input ends, an
 * error is recorded (r->pending, read by the consumer only after done), or
 * the reader is closed. */
static void *producer(void *arg)
{
    struct el_reader *r = arg;
    struct pipe *pp = r->pipe;
    detect(r);
    for (;;) {
        pthread_mutex_lock(&pp->mu);
        while (pp->count == NBLOCKS && !pp->stop)
            pthread_cond_wait(&pp->can_put, &pp->mu);
        bool stop = pp->stop;
        int slot = (pp->head + pp->count) % NBLOCKS;
        pthread_mutex_unlock(&pp->mu);
        if (stop)
            break;
        size_t got = produce(r, pp->blk[slot], READ_CHUNK);
        pthread_mutex_lock(&pp->mu);
        if (got) {
            pp->len[slot] = got;
            pp->count++;
        } else {
            pp->done = true;
        }
        pthread_cond_signal(&pp->can_take);
        pthread_mutex_unlock(&pp->mu);
        if (!got)
            break;
    }
    return NULL;
}

/* The consumer's half: appends the next block behind the unread tail, or
 * returns 0 at the end (r->pending then holds the producer's error). */
static size_t take_block(struct el_reader *r)
{
    struct pipe *pp = r->pipe;
    pthread_mutex_lock(&pp->mu);
    while (pp->count == 0 && !pp->done)
        pthread_cond_wait(&pp->can_take, &pp->mu);
    size_t got = 0;
    if (pp->count) {
        got = pp->len[pp->head];
        memcpy(r->buf + r->fill, pp->blk[pp->head], got);
        pp->head = (pp->head + 1) % NBLOCKS;
        pp->count--;
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
        pthread_cond_signal(&pp->can_put);
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

/* Sets up threaded mode; on any failure the reader simply stays
 * single-threaded. */
static void pipe_start(struct el_reader *r)
{
    struct pipe *pp = el_calloc(1, sizeof(*pp));
    if (!pp)
        return;
    r->pipe = pp;
    pthread_mutex_init(&pp->mu, NULL);
    pthread_cond_init(&pp->can_take, NULL);
    pthread_cond_init(&pp->can_put, NULL);
    for (int i = 0; i < NBLOCKS; i++)
        if (!(pp->blk[i] = el_malloc(READ_CHUNK))) {
            pipe_free(r);
            return;
        }
    if (pthread_create(&pp->tid, NULL, producer, r) != 0) {
        pipe_free(r);
        return;
    }
    pp->started = true;
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

const char *el_reader_error(const struct el_reader *r)
{
    return r->err[0] ? r->err : "no error";
}

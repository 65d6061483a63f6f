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
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "ingest.h"

/* Bytes produced per refill. Large refills keep per-call overhead
 * negligible; the compressed side is read in IN_CHUNK pieces. */
#define READ_CHUNK ((size_t)1 << 20)
#define IN_CHUNK ((size_t)256 * 1024)

enum mode { MODE_DETECT, MODE_PLAIN, MODE_GZIP };

struct el_reader {
    int fd;
    bool own_fd;
    enum mode mode;
    /* compressed input */
    unsigned char *in;
    size_t in_pos, in_len;
    bool in_eof;
    uint64_t in_total;
    z_stream z;
    bool z_init;
    bool in_member; /* inside a gzip member: EOF here means truncation */
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
    r->in = el_malloc(IN_CHUNK);
    if (!r->buf || !r->in)
        goto nomem;
    r->pending = EL_OK;
    *out = r;
    return EL_OK;

nomem:
    if (r) {
        el_free(r->buf);
        el_free(r->in);
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
    if (r->z_init)
        inflateEnd(&r->z);
    if (r->own_fd)
        close(r->fd);
    el_free(r->in);
    el_free(r->buf);
    el_free(r);
}

/* Reads more compressed input. Returns false at end of file or on error
 * (r->pending set). */
static bool read_input(struct el_reader *r)
{
    if (r->in_eof)
        return false;
    if (r->in_pos < r->in_len && r->in_pos > 0) {
        memmove(r->in, r->in + r->in_pos, r->in_len - r->in_pos);
    }
    r->in_len -= r->in_pos;
    r->in_pos = 0;
    for (;;) {
        ssize_t got = read(r->fd, r->in + r->in_len, IN_CHUNK - r->in_len);
        if (got > 0) {
            r->in_len += (size_t)got;
            r->in_total += (uint64_t)got;
            return true;
        }
        if (got < 0 && errno == EINTR)
            continue;
        r->in_eof = true;
        if (got < 0)
            set_error(r, EL_ERR_IO, strerror(errno));
        return false;
    }
}

static bool at_gzip_magic(const struct el_reader *r)
{
    return r->in_len - r->in_pos >= 2 && r->in[r->in_pos] == 0x1f &&
           r->in[r->in_pos + 1] == 0x8b;
}

/* Decides plain or gzip from the first bytes of the stream. */
static void detect(struct el_reader *r)
{
    while (r->in_len - r->in_pos < 2 && read_input(r))
        ;
    r->mode = at_gzip_magic(r) ? MODE_GZIP : MODE_PLAIN;
    r->was_gzip = r->mode == MODE_GZIP;
}

/* Produces up to cap decompressed bytes into dst; returns how many. 0 means
 * end of input or an error (r->pending says which). */
static size_t produce_gzip(struct el_reader *r, char *dst, size_t cap)
{
    if (!r->z_init) {
        if (inflateInit2(&r->z, 15 + 16) != Z_OK) {
            set_error(r, EL_ERR_NOMEM, "out of memory in zlib");
            return 0;
        }
        r->z_init = true;
    }
    r->z.next_out = (unsigned char *)dst;
    r->z.avail_out = (unsigned)cap;
    while (r->z.avail_out > 0) {
        if (r->in_pos == r->in_len && !read_input(r)) {
            if (r->pending == EL_OK && r->in_member)
                set_error(r, EL_ERR_GZIP, "truncated gzip data (unexpected end of file)");
            break;
        }
        if (!r->in_member) {
            /* Between members: another member, or the end. Anything that is
             * not a gzip header after a complete member is ignored, as
             * gzip(1) does with trailing garbage (often zero padding). */
            while (r->in_len - r->in_pos < 2 && read_input(r))
                ;
            if (!at_gzip_magic(r)) {
                r->in_pos = r->in_len;
                r->in_eof = true;
                break;
            }
            inflateReset(&r->z);
            r->in_member = true;
        }
        r->z.next_in = r->in + r->in_pos;
        r->z.avail_in = (unsigned)(r->in_len - r->in_pos);
        int zr = inflate(&r->z, Z_NO_FLUSH);
        r->in_pos = r->in_len - r->z.avail_in;
        if (zr == Z_STREAM_END) {
            r->in_member = false;
        } else if (zr == Z_BUF_ERROR && r->in_pos == r->in_len) {
            continue; /* needs more input; the loop reads it */
        } else if (zr != Z_OK) {
            char m[128];
            snprintf(m, sizeof(m), "corrupt gzip data (%s)",
                     r->z.msg ? r->z.msg : (zr == Z_MEM_ERROR ? "out of memory" : "bad data"));
            set_error(r, zr == Z_MEM_ERROR ? EL_ERR_NOMEM : EL_ERR_GZIP, m);
            r->in_eof = true;
            r->in_pos = r->in_len;
            break;
        }
    }
    return cap - r->z.avail_out;
}

static size_t produce_plain(struct el_reader *r, char *dst, size_t cap)
{
    size_t n = 0;
    if (r->in_pos < r->in_len) {
        n = r->in_len - r->in_pos;
        if (n > cap)
            n = cap;
        memcpy(dst, r->in + r->in_pos, n);
        r->in_pos += n;
        return n;
    }
    while (n == 0 && !r->in_eof) {
        ssize_t got = read(r->fd, dst, cap);
        if (got > 0) {
            r->in_total += (uint64_t)got;
            return (size_t)got;
        }
        if (got < 0 && errno == EINTR)
            continue;
        r->in_eof = true;
        if (got < 0)
            set_error(r, EL_ERR_IO, strerror(errno));
    }
    return 0;
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
    if (r->mode == MODE_DETECT)
        detect(r);
    size_t room = r->cap - r->fill;
    if (room > READ_CHUNK)
        room = READ_CHUNK;
    size_t got = r->mode == MODE_GZIP ? produce_gzip(r, r->buf + r->fill, room)
                                      : produce_plain(r, r->buf + r->fill, room);
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
            return EL_OK;
        }
        if (r->pending != EL_OK) {
            r->failed = true;
            return r->pending;
        }
        return EL_DONE;
    }
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
    return r->in_total;
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

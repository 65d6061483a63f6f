/* reader.c: lines from a file or stdin, gzip or plain, through one buffer.
 *
 * zlib's gz* layer does the format work: it detects gzip by its magic bytes
 * (plain input is copied through), decodes concatenated members to the end,
 * and inflates straight into our buffer when asked for large reads. We find
 * lines with memchr and move only the partial tail to the front before the
 * next read. Invariant: buf[pos, fill) is unread data; every line returned is
 * a view into buf and stays valid until the next call.
 *
 * A truncated gzip stream is not a gzread() failure (zlib reports it only
 * through gzerror() == Z_BUF_ERROR at EOF), so EOF is always checked.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "ingest.h"

/* Bytes asked of zlib per read. Large reads let inflate write directly into
 * our buffer and keep per-call overhead negligible. */
#define READ_CHUNK ((size_t)1 << 20)
#define GZ_INTERNAL_BUF (256u * 1024u)

struct el_reader {
    gzFile gz;
    char *buf;
    size_t cap, pos, fill;
    size_t max_line;
    uint64_t line_no;
    uint64_t out_bytes;
    bool eof;       /* zlib has no more data */
    bool failed;    /* an error was returned; only EL_DONE from now on */
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
    int fd;

    if (strcmp(path, "-") == 0) {
        fd = dup(STDIN_FILENO);
    } else {
        fd = open(path, O_RDONLY | O_CLOEXEC);
    }
    if (fd < 0)
        return EL_ERR_IO;

    struct el_reader *r = el_calloc(1, sizeof(*r));
    if (!r) {
        close(fd);
        return EL_ERR_NOMEM;
    }
    r->max_line = max_line;
    /* Room for one maximal partial line plus a full read behind it. */
    r->cap = max_line + READ_CHUNK + 1;
    r->buf = el_malloc(r->cap);
    if (!r->buf) {
        el_free(r);
        close(fd);
        return EL_ERR_NOMEM;
    }
    r->gz = gzdopen(fd, "rb");
    if (!r->gz) {
        int e = errno;
        close(fd);
        el_free(r->buf);
        el_free(r);
        errno = e ? e : ENOMEM;
        return e ? EL_ERR_IO : EL_ERR_NOMEM;
    }
    gzbuffer(r->gz, GZ_INTERNAL_BUF);
    r->pending = EL_OK;
    *out = r;
    return EL_OK;
}

void el_reader_close(struct el_reader *r)
{
    if (!r)
        return;
    if (r->gz)
        gzclose_r(r->gz);
    el_free(r->buf);
    el_free(r);
}

/* Moves the unread tail to the front and reads more. Returns EL_OK when some
 * data arrived, EL_DONE at the end, or records an error in r->pending. */
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
    size_t room = r->cap - r->fill;
    if (room > READ_CHUNK)
        room = READ_CHUNK;
    int got = gzread(r->gz, r->buf + r->fill, (unsigned)room);
    if (got > 0) {
        r->fill += (size_t)got;
        return EL_OK;
    }
    r->eof = true;
    int zerr = Z_OK;
    const char *msg = gzerror(r->gz, &zerr);
    if (got < 0 || zerr != Z_OK) {
        if (zerr == Z_ERRNO) {
            set_error(r, EL_ERR_IO, strerror(errno));
        } else if (zerr == Z_BUF_ERROR) {
            set_error(r, EL_ERR_GZIP, "truncated gzip data (unexpected end of file)");
        } else if (zerr == Z_MEM_ERROR) {
            set_error(r, EL_ERR_NOMEM, "out of memory in zlib");
        } else {
            char m[128];
            snprintf(m, sizeof(m), "corrupt gzip data (%s)", msg ? msg : "unknown");
            set_error(r, EL_ERR_GZIP, m);
        }
    }
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
    z_off_t off = gzoffset(r->gz);
    return off > 0 ? (uint64_t)off : 0;
}

uint64_t el_reader_out_bytes(const struct el_reader *r)
{
    return r->out_bytes;
}

bool el_reader_is_gzip(const struct el_reader *r)
{
    return gzdirect(r->gz) == 0;
}

const char *el_reader_error(const struct el_reader *r)
{
    return r->err[0] ? r->err : "no error";
}

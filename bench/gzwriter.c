/* gzwriter.c: the generators' buffered output, plain or gzip with
 * block-parallel deflate (see gzwriter.h for the scheme).
 *
 * Moved out of gen_alb.c unchanged in behaviour: the ALB corpus and the
 * committed samples must keep their exact bytes. Threads only ever touch
 * queued jobs; the ring's head and next and the job states are shared and
 * change under the mutex.
 */
#include <stdlib.h>
#include <string.h>

#include "gzwriter.h"

enum el_job_state { JOB_FREE, JOB_QUEUED, JOB_RUNNING, JOB_DONE };

struct el_gzw_job {
    enum el_job_state state;
    bool last;                     /* Z_FINISH instead of Z_SYNC_FLUSH */
    bool failed;
    char *in;
    size_t in_len;
    unsigned char dict[EL_GZW_DICT_SIZE];
    size_t dict_len;
    unsigned char *out;
    size_t out_len, out_cap;
    uLong crc;
};


static int compress_job(z_stream *zs, struct el_gzw_job *j)
{
    size_t bound = deflateBound(zs, (uLong)j->in_len) + 64;

    if (deflateReset(zs) != Z_OK)        /* keeps the level of deflateInit2 */
        return -1;
    if (j->dict_len && deflateSetDictionary(zs, j->dict, (uInt)j->dict_len) != Z_OK)
        return -1;
    if (j->out_cap < bound) {
        unsigned char *p = realloc(j->out, bound);

        if (!p)
            return -1;
        j->out = p;
        j->out_cap = bound;
    }
    zs->next_in = (Bytef *)j->in;
    zs->avail_in = (uInt)j->in_len;
    zs->next_out = j->out;
    zs->avail_out = (uInt)j->out_cap;
    /* the bound leaves room to spare: anything else is an error */
    if (deflate(zs, j->last ? Z_FINISH : Z_SYNC_FLUSH) == Z_STREAM_ERROR
        || zs->avail_in != 0 || zs->avail_out == 0)
        return -1;
    j->out_len = j->out_cap - zs->avail_out;
    j->crc = crc32(0L, (const Bytef *)j->in, (uInt)j->in_len);
    return 0;
}

static int deflate_init_raw(z_stream *zs, int level)
{
    memset(zs, 0, sizeof *zs);
    return deflateInit2(zs, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) == Z_OK ? 0 : -1;
}

static void *worker_main(void *arg)
{
    struct el_gzwriter *s = arg;
    z_stream zs;
    bool ok = deflate_init_raw(&zs, s->level) == 0;

    pthread_mutex_lock(&s->mu);
    for (;;) {
        struct el_gzw_job *j = NULL;

        /* oldest queued job first, so output can be written in order */
        for (unsigned k = s->head; k != s->next; k = (k + 1) % s->nring) {
            if (s->ring[k].state == JOB_QUEUED) {
                j = &s->ring[k];
                break;
            }
        }
        if (!j) {
            if (s->stop)
                break;
            pthread_cond_wait(&s->cv, &s->mu);
            continue;
        }
        j->state = JOB_RUNNING;
        pthread_mutex_unlock(&s->mu);
        j->failed = !ok || compress_job(&zs, j) != 0;
        pthread_mutex_lock(&s->mu);
        j->state = JOB_DONE;
        pthread_cond_broadcast(&s->cv);
    }
    pthread_mutex_unlock(&s->mu);
    if (ok)
        deflateEnd(&zs);
    return NULL;
}

/* head, next and job states are shared with the workers; without
 * workers there is nothing to lock. */
static void sink_lock(struct el_gzwriter *s)
{
    if (s->nthreads)
        pthread_mutex_lock(&s->mu);
}

static void sink_unlock(struct el_gzwriter *s)
{
    if (s->nthreads)
        pthread_mutex_unlock(&s->mu);
}

static int sink_write_out(struct el_gzwriter *s, const void *p, size_t n)
{
    if (n && fwrite(p, 1, n, s->fp) != n) {
        s->io_failed = true;
        return -1;
    }
    s->packed += n;
    return 0;
}

/* Write the oldest job once it is done (waiting for it if wait). */
static int sink_drain_one(struct el_gzwriter *s, bool wait)
{
    struct el_gzw_job *j = &s->ring[s->head];
    int rc;

    sink_lock(s);
    while (wait && s->nthreads && j->state != JOB_DONE)
        pthread_cond_wait(&s->cv, &s->mu);
    rc = j->state == JOB_DONE;
    sink_unlock(s);
    if (!rc)
        return 1;                      /* not ready yet */
    /* a done job is no longer touched by any worker */
    rc = j->failed ? -1 : sink_write_out(s, j->out, j->out_len);
    s->crc = crc32_combine(s->crc, j->crc, (z_off_t)j->in_len);
    sink_lock(s);
    j->state = JOB_FREE;
    s->head = (s->head + 1) % s->nring;
    sink_unlock(s);
    return rc;
}

/* Hand the filled block to a worker (or compress it here) and start a new
 * one. The next block's dictionary is this block's tail. */
static int sink_submit(struct el_gzwriter *s, bool last)
{
    struct el_gzw_job *j = &s->ring[s->next];
    size_t keep = s->fill < EL_GZW_DICT_SIZE ? s->fill : EL_GZW_DICT_SIZE;
    int rc = 0;

    memcpy(j->dict, s->tail, s->tail_len);
    j->dict_len = s->tail_len;
    if (keep < EL_GZW_DICT_SIZE && s->tail_len + keep > EL_GZW_DICT_SIZE) {
        /* short block: the window still reaches into the one before */
        memmove(s->tail, s->tail + (s->tail_len + keep - EL_GZW_DICT_SIZE),
                EL_GZW_DICT_SIZE - keep);
        s->tail_len = EL_GZW_DICT_SIZE - keep;
    } else if (keep == EL_GZW_DICT_SIZE) {
        s->tail_len = 0;
    }
    memcpy(s->tail + s->tail_len, s->buf + s->fill - keep, keep);
    s->tail_len += keep;

    {
        char *tmp = j->in;             /* swap buffers: the job owns the text */
        j->in = s->buf;
        s->buf = tmp;
    }
    j->in_len = s->fill;
    j->last = last;
    j->failed = false;
    s->fill = 0;
    if (s->nthreads) {
        pthread_mutex_lock(&s->mu);
        j->state = JOB_QUEUED;
        s->next = (s->next + 1) % s->nring;
        pthread_cond_broadcast(&s->cv);
        pthread_mutex_unlock(&s->mu);
    } else {
        j->failed = compress_job(&s->inline_zs, j) != 0;
        j->state = JOB_DONE;
        s->next = (s->next + 1) % s->nring;
    }
    if (!s->buf) {
        s->buf = malloc(EL_GZW_BLOCK_SIZE);
        if (!s->buf)
            return -1;
    }
    /* keep at most 2 x jobs blocks in flight; write what is finished */
    while (rc == 0 && s->head != s->next) {
        unsigned inflight = (s->next + s->nring - s->head) % s->nring;
        int d = sink_drain_one(s, inflight > 2 * (s->nthreads ? s->nthreads : 1));

        if (d == 1)
            break;
        rc = d;
    }
    return rc;
}

/* The gzip header: mtime 0, no name, OS 3 (Unix), and XFL as zlib writes
 * it (2 = best compression, 4 = fastest), so the output is byte-identical
 * between runs and machines. */
static void gzip_header(unsigned char hdr[10], int level)
{
    static const unsigned char base[10] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3 };

    memcpy(hdr, base, sizeof base);
    hdr[8] = level == 9 ? 2 : level == 1 ? 4 : 0;
}

int el_gzwriter_open(struct el_gzwriter *s, const char *path, bool gz, int level, unsigned jobs)
{
    memset(s, 0, sizeof *s);
    s->gz = gz;
    s->level = level;
    snprintf(s->path, sizeof s->path, "%s", path ? path : "<stdout>");
    s->buf = malloc(EL_GZW_BLOCK_SIZE);
    if (!s->buf)
        return -1;
    if (path) {
        s->fp = fopen(path, "wb");
        if (!s->fp)
            return -1;
    } else {
        s->fp = stdout;
        s->is_stdout = true;
    }
    if (!gz)
        return 0;
    {
        unsigned char hdr[10];

        gzip_header(hdr, level);
        if (sink_write_out(s, hdr, sizeof hdr) != 0)
            return -1;
    }
    s->crc = crc32(0L, Z_NULL, 0);
    s->nring = 2 * (jobs > 1 ? jobs : 1) + 2;
    s->ring = calloc(s->nring, sizeof *s->ring);
    if (!s->ring)
        return -1;
    if (jobs <= 1) {
        if (deflate_init_raw(&s->inline_zs, level) != 0)
            return -1;
        s->inline_ready = true;
        return 0;
    }
    if (pthread_mutex_init(&s->mu, NULL) != 0)
        return -1;
    if (pthread_cond_init(&s->cv, NULL) != 0) {
        pthread_mutex_destroy(&s->mu);
        return -1;
    }
    s->sync_ok = true;
    for (unsigned k = 0; k < jobs; k++) {
        if (pthread_create(&s->threads[k], NULL, worker_main, s) != 0)
            return -1;
        s->nthreads++;
    }
    return 0;
}

int el_gzwriter_put(struct el_gzwriter *s, const void *data, size_t n)
{
    const char *p = data;

    s->raw += n;
    while (n) {
        size_t room = EL_GZW_BLOCK_SIZE - s->fill, k = n < room ? n : room;

        memcpy(s->buf + s->fill, p, k);
        s->fill += k;
        p += k;
        n -= k;
        if (s->fill == EL_GZW_BLOCK_SIZE) {
            if (s->gz ? sink_submit(s, false) != 0 : sink_write_out(s, s->buf, s->fill) != 0)
                return -1;
            if (!s->gz)
                s->fill = 0;
        }
    }
    return 0;
}

static void put_le32(unsigned char *p, uint32_t v)
{
    for (int k = 0; k < 4; k++)
        p[k] = (unsigned char)(v >> (8 * k));
}

int el_gzwriter_close(struct el_gzwriter *s)
{
    int rc = s->io_failed ? -1 : 0;

    if (s->fp && s->gz) {
        if (s->buf && sink_submit(s, true) != 0)
            rc = -1;
        while (s->head != s->next)
            if (sink_drain_one(s, true) != 0)
                rc = -1;
        if (rc == 0) {
            unsigned char trailer[8];

            put_le32(trailer, (uint32_t)s->crc);
            put_le32(trailer + 4, (uint32_t)s->raw);
            rc = sink_write_out(s, trailer, sizeof trailer);
        }
    } else if (s->fp && s->fill) {
        rc |= sink_write_out(s, s->buf, s->fill);
    }
    if (s->nthreads) {
        pthread_mutex_lock(&s->mu);
        s->stop = true;
        pthread_cond_broadcast(&s->cv);
        pthread_mutex_unlock(&s->mu);
        for (unsigned k = 0; k < s->nthreads; k++)
            pthread_join(s->threads[k], NULL);
        s->nthreads = 0;
    }
    if (s->sync_ok) {
        pthread_cond_destroy(&s->cv);
        pthread_mutex_destroy(&s->mu);
        s->sync_ok = false;
    }
    if (s->inline_ready) {
        deflateEnd(&s->inline_zs);
        s->inline_ready = false;
    }
    if (s->fp) {
        if (s->is_stdout ? fflush(s->fp) != 0 : fclose(s->fp) != 0)
            rc = -1;
        s->fp = NULL;
    }
    for (unsigned k = 0; s->ring && k < s->nring; k++) {
        free(s->ring[k].in);
        free(s->ring[k].out);
    }
    free(s->ring);
    s->ring = NULL;
    free(s->buf);
    s->buf = NULL;
    return rc;
}


int el_gz_member(const void *in, size_t n, int level, unsigned char **out, size_t *out_len)
{
    z_stream zs;
    unsigned char *buf;
    size_t cap;
    int rc;

    *out = NULL;
    *out_len = 0;
    if (deflate_init_raw(&zs, level) != 0)
        return -1;
    cap = 10 + deflateBound(&zs, (uLong)n) + 64 + 8;
    buf = malloc(cap);
    if (!buf) {
        deflateEnd(&zs);
        return -1;
    }
    gzip_header(buf, level);
    zs.next_in = (Bytef *)(uintptr_t)in;
    zs.avail_in = (uInt)n;
    zs.next_out = buf + 10;
    zs.avail_out = (uInt)(cap - 10 - 8);
    rc = deflate(&zs, Z_FINISH);
    deflateEnd(&zs);
    if (rc != Z_STREAM_END) {
        free(buf);
        return -1;
    }
    {
        size_t len = cap - 8 - zs.avail_out;

        put_le32(buf + len, (uint32_t)crc32(0L, (const Bytef *)in, (uInt)n));
        put_le32(buf + len + 4, (uint32_t)n);
        *out = buf;
        *out_len = len + 8;
    }
    return 0;
}

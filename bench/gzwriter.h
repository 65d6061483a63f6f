/* gzwriter.h: the generators' output sink: plain text, or one gzip member
 * deflated block-parallel (pigz-style), byte-identical for any thread count.
 *
 * zlib level 6 runs at ~60 MB/s here, so one stream would spend ~22 s on a
 * 1.25 GB corpus. The text is cut into fixed 1 MiB blocks, each compressed
 * on its own with the previous 32 KiB as dictionary and ended with a sync
 * flush, and the raw pieces are glued into one gzip member. The block size
 * is fixed, so the bytes do not depend on the number of jobs. The gzip
 * header has mtime 0, no name and OS 3: same bytes on every run and host.
 */
#ifndef EL_BENCH_GZWRITER_H
#define EL_BENCH_GZWRITER_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <zlib.h>

#define EL_GZW_BLOCK_SIZE (1u << 20)
#define EL_GZW_DICT_SIZE  32768u
#define EL_GZW_MAX_JOBS   64

struct el_gzw_job;                 /* one block in flight (gzwriter.c) */

/* Exposed so that callers can keep writers in arrays; the fields other
 * than raw, packed and path are private. */
struct el_gzwriter {
    uint64_t raw, packed;          /* bytes put, bytes written to the file */
    char path[4096];               /* for messages; "<stdout>" for stdout */
    FILE *fp;
    bool gz, is_stdout;
    int level;
    char *buf;                     /* block being filled (a job's input) */
    size_t fill;
    unsigned char tail[EL_GZW_DICT_SIZE]; /* last bytes of the previous block */
    size_t tail_len;
    struct el_gzw_job *ring;       /* 2 x jobs + 2 slots: bounds memory */
    unsigned nring;
    unsigned head, next;           /* oldest unwritten job, next free slot */
    bool stop;
    pthread_t threads[EL_GZW_MAX_JOBS];
    unsigned nthreads;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool sync_ok;
    z_stream inline_zs;
    bool inline_ready;
    uLong crc;
    bool io_failed;
};

/* Opens path for writing (NULL: stdout), gzip when gz, with jobs worker
 * threads (0 or 1: compress on the calling thread). Returns -1 on failure
 * (errno may tell why); el_gzwriter_close must be called either way. */
int el_gzwriter_open(struct el_gzwriter *w, const char *path, bool gz, int level, unsigned jobs);

/* Appends n bytes; 0 or -1. */
int el_gzwriter_put(struct el_gzwriter *w, const void *p, size_t n);

/* Finishes the stream and always releases the writer; returns -1 if
 * anything failed on the way (errno may tell why). */
int el_gzwriter_close(struct el_gzwriter *w);

/* Compresses in[0..n) into one complete gzip member (same header as the
 * writer) in a malloc'd buffer, for objects built of many members.
 * 0 or -1; *out is the caller's to free. */
int el_gz_member(const void *in, size_t n, int level, unsigned char **out, size_t *out_len);

#endif /* EL_BENCH_GZWRITER_H */

/* inflate_floor.c: el_inflate_floor, the decompression floor of the
 * benchmark. It inflates gzip files with zlib's inflate() or ISA-L's
 * isal_inflate() and does nothing else: no CRC, no line splitting, no
 * parsing, output into one reused buffer. Whatever edgelog does on the same
 * files with the same backend cannot take less wall time than this on one
 * stream, nor less CPU time in all, so bench.sh times it beside edgelog and
 * zcat and the report gives edgelog's distance from it.
 *
 *   el_inflate_floor [--inflate zlib|isal] [--threads N] FILE...
 *   el_inflate_floor --has isal          exit 0 when built with ISA-L
 *
 * Files are mapped (no read copy) and taken by N threads, one file at a
 * time, as edgelog's workers take files; every gzip member of a file is
 * inflated, so concatenated members count. Prints the uncompressed byte
 * count, which bench.sh checks against the corpus's. Exit 0, or 1 on a file
 * that is not gzip or does not inflate, 2 on a usage error.
 *
 * The gzip header is skipped by hand and the raw deflate data inflated
 * (zlib windowBits -15, ISA-L ISAL_DEFLATE), which is what edgelog's
 * backends do: the wrapper's own CRC-32 would be extra work here.
 */
#define _GNU_SOURCE /* MAP_POPULATE */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>
#ifdef EL_HAVE_ISAL
#include <isa-l/igzip_lib.h>
#endif

#define OUT_CAP ((size_t)1 << 20) /* edgelog's block size */

enum backend { ZLIB, ISAL };

struct job {
    enum backend be;
    char **files;
    int nfiles;
    atomic_int next;
    atomic_ullong bytes;
    atomic_int failed;
};

/* Offset of the deflate data after the gzip header at p[0, n), or 0 when
 * the bytes are not a complete gzip header (RFC 1952, section 2.3). */
static size_t skip_header(const unsigned char *p, size_t n)
{
    if (n < 10 || p[0] != 0x1f || p[1] != 0x8b || p[2] != 8)
        return 0;
    unsigned flg = p[3];
    size_t i = 10;
    if (flg & 4) { /* FEXTRA */
        if (n - i < 2)
            return 0;
        size_t xlen = (size_t)p[i] | (size_t)p[i + 1] << 8;
        if (n - i - 2 < xlen)
            return 0;
        i += 2 + xlen;
    }
    for (unsigned bit = 8; bit <= 16; bit <<= 1) { /* FNAME, FCOMMENT */
        if (!(flg & bit))
            continue;
        const unsigned char *z = memchr(p + i, 0, n - i);
        if (!z)
            return 0;
        i = (size_t)(z - p) + 1;
    }
    if (flg & 2) /* FHCRC */
        i += 2;
    return i <= n ? i : 0;
}

/* Inflates the raw deflate stream at p[0, n) into a reused buffer; returns
 * the bytes it took, including what the backend read past the end (handed
 * back), or 0 on invalid data. Adds the output size to *out. */
static size_t inflate_zlib(z_stream *z, unsigned char *buf, const unsigned char *p, size_t n,
                           unsigned long long *out)
{
    inflateReset(z);
    z->next_in = (unsigned char *)(uintptr_t)p;
    z->avail_in = n > UINT_MAX ? UINT_MAX : (uInt)n;
    for (;;) {
        if (z->avail_in == 0 && (size_t)(z->next_in - p) < n) {
            size_t left = n - (size_t)(z->next_in - p);
            z->avail_in = left > UINT_MAX ? UINT_MAX : (uInt)left;
        }
        z->next_out = buf;
        z->avail_out = (uInt)OUT_CAP;
        int rc = inflate(z, Z_NO_FLUSH);
        *out += OUT_CAP - z->avail_out;
        if (rc == Z_STREAM_END)
            return (size_t)(z->next_in - p);
        if (rc != Z_OK)
            return 0;
    }
}

#ifdef EL_HAVE_ISAL
static size_t inflate_isal(struct inflate_state *s, unsigned char *buf, const unsigned char *p,
                           size_t n, unsigned long long *out)
{
    isal_inflate_init(s);
    s->crc_flag = ISAL_DEFLATE;
    s->next_in = (uint8_t *)(uintptr_t)p;
    s->avail_in = n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
    for (;;) {
        if (s->avail_in == 0 && (size_t)(s->next_in - p) < n) {
            size_t left = n - (size_t)(s->next_in - p);
            s->avail_in = left > UINT32_MAX ? UINT32_MAX : (uint32_t)left;
        }
        s->next_out = buf;
        s->avail_out = (uint32_t)OUT_CAP;
        if (isal_inflate(s) < 0)
            return 0;
        size_t got = OUT_CAP - s->avail_out;
        *out += got;
        if (s->block_state == ISAL_BLOCK_FINISH) /* whole bytes still in the bit buffer */
            return (size_t)(s->next_in - p) - (size_t)(s->read_in_length / 8);
        if (!got && s->avail_in == 0)
            return 0; /* cut short */
    }
}
#endif

struct worker {
    z_stream z;
#ifdef EL_HAVE_ISAL
    struct inflate_state isal;
#endif
    unsigned char buf[OUT_CAP];
};

/* Every member of one mapped file; false when it is not gzip throughout. */
static bool inflate_file(struct job *j, struct worker *w, const unsigned char *p, size_t n,
                         unsigned long long *out)
{
    size_t pos = 0;
    do {
        size_t h = skip_header(p + pos, n - pos);
        if (!h)
            return false;
        pos += h;
        size_t used;
#ifdef EL_HAVE_ISAL
        if (j->be == ISAL)
            used = inflate_isal(&w->isal, w->buf, p + pos, n - pos, out);
        else
#endif
            used = inflate_zlib(&w->z, w->buf, p + pos, n - pos, out);
        if (!used || n - pos - used < 8)
            return false;
        pos += used + 8; /* CRC-32 and ISIZE: not checked, see the header */
    } while (pos < n && p[pos] == 0x1f);
    return true;
}

static void *work(void *arg)
{
    struct job *j = arg;
    struct worker *w = calloc(1, sizeof(*w));
    if (!w || inflateInit2(&w->z, -15) != Z_OK) {
        fprintf(stderr, "el_inflate_floor: out of memory\n");
        atomic_store(&j->failed, 1);
        free(w);
        return NULL;
    }
    for (int i; (i = atomic_fetch_add(&j->next, 1)) < j->nfiles;) {
        const char *path = j->files[i];
        int fd = open(path, O_RDONLY);
        struct stat st;
        if (fd < 0 || fstat(fd, &st) != 0) {
            fprintf(stderr, "el_inflate_floor: %s: %s\n", path, strerror(errno));
            atomic_store(&j->failed, 1);
            if (fd >= 0)
                close(fd);
            continue;
        }
        size_t n = (size_t)st.st_size;
        void *m = n ? mmap(NULL, n, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0) : MAP_FAILED;
        close(fd);
        unsigned long long out = 0;
        if (m == MAP_FAILED || !inflate_file(j, w, m, n, &out)) {
            fprintf(stderr, "el_inflate_floor: %s: not gzip, or does not inflate\n", path);
            atomic_store(&j->failed, 1);
        }
        if (m != MAP_FAILED)
            munmap(m, n);
        atomic_fetch_add(&j->bytes, out);
    }
    inflateEnd(&w->z);
    free(w);
    return NULL;
}

static int usage(FILE *f, int rc)
{
    fputs("usage: el_inflate_floor [--inflate zlib|isal] [--threads N] FILE...\n"
          "       el_inflate_floor --has isal\n"
          "Inflates the gzip files and nothing else (see bench/inflate_floor.c);\n"
          "prints the uncompressed byte count.\n",
          f);
    return rc;
}

int main(int argc, char **argv)
{
    struct job j = { .be = ZLIB };
    int threads = 1, i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h"))
            return usage(stdout, 0);
        if (!v)
            return usage(stderr, 2);
        i++;
        if (!strcmp(a, "--has")) {
#ifdef EL_HAVE_ISAL
            return strcmp(v, "isal") == 0 || strcmp(v, "zlib") == 0 ? 0 : 1;
#else
            return strcmp(v, "zlib") == 0 ? 0 : 1;
#endif
        } else if (!strcmp(a, "--inflate") && !strcmp(v, "zlib")) {
            j.be = ZLIB;
        } else if (!strcmp(a, "--inflate") && !strcmp(v, "isal")) {
#ifndef EL_HAVE_ISAL
            fprintf(stderr, "el_inflate_floor: built without ISA-L\n");
            return 2;
#endif
            j.be = ISAL;
        } else if (!strcmp(a, "--threads") && atoi(v) >= 1 && atoi(v) <= 64) {
            threads = atoi(v);
        } else {
            return usage(stderr, 2);
        }
    }
    if (i == argc)
        return usage(stderr, 2);
    j.files = argv + i;
    j.nfiles = argc - i;
    if (threads > j.nfiles)
        threads = j.nfiles;
    pthread_t tid[64];
    int started = 0;
    for (; started < threads - 1; started++)
        if (pthread_create(&tid[started], NULL, work, &j) != 0)
            break;
    work(&j);
    for (int t = 0; t < started; t++)
        pthread_join(tid[t], NULL);
    printf("%llu\n", (unsigned long long)atomic_load(&j.bytes));
    return atomic_load(&j.failed) ? 1 : 0;
}

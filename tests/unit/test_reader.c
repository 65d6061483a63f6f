/* test_reader.c: the line reader over real files: plain and gzip,
 * concatenated members, truncated and corrupt streams, CRLF, NUL bytes, a
 * missing final newline, over-long lines, peeking, blocks of whole lines
 * for several threads, and the input walker's ordering and marker
 * detection. The reader's cases run once per inflate backend this build
 * has (zlib, and ISA-L when built in); further cases check that the
 * backends agree byte for byte, at every truncation offset. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <pthread.h>
#include <unistd.h>
#include <zlib.h>

#include <cmocka.h>

#include "ingest.h"
#include "ingest_int.h"

static char tmpdir[256];
/* the inflate backend the current group runs with */
static enum el_inflate backend = EL_INFLATE_ZLIB;
static int file_seq;

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/el_test_reader_XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *path_for(const char *name)
{
    static char p[512];
    snprintf(p, sizeof(p), "%s/%d_%s", tmpdir, file_seq++, name);
    return p;
}

static void write_raw(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

/* gzip bytes of data as one member, in memory. */
static size_t gzip_bytes(const void *data, size_t n, unsigned char *out, size_t cap)
{
    z_stream z = { 0 };
    assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
    z.next_in = (unsigned char *)(uintptr_t)data;
    z.avail_in = (unsigned)n;
    z.next_out = out;
    z.avail_out = (unsigned)cap;
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    size_t got = cap - z.avail_out;
    deflateEnd(&z);
    return got;
}

struct lines {
    char text[64][128];
    size_t len[64];
    size_t n;
    enum el_err end;
    size_t too_long, cut;
};

static void read_all(const char *path, size_t max_line, struct lines *out)
{
    struct el_reader *r;
    struct el_reader_opts o = { .max_line = max_line, .inflate = backend };
    memset(out, 0, sizeof(*out));
    assert_int_equal(el_reader_open(path, &o, &r), EL_OK);
    for (;;) {
        struct el_str l;
        enum el_err rc = el_reader_next(r, &l);
        if (rc == EL_ERR_TOO_LONG) {
            out->too_long++;
            continue;
        }
        if (rc == EL_ERR_PARSE) { /* the line the damage cut short */
            out->cut++;
            continue;
        }
        if (rc != EL_OK) {
            out->end = rc;
            break;
        }
        assert_true(out->n < 64);
        size_t n = l.n < 127 ? l.n : 127;
        memcpy(out->text[out->n], l.p, n);
        out->len[out->n] = l.n;
        out->n++;
    }
    /* after the end, the reader keeps saying so */
    struct el_str l;
    assert_int_equal(el_reader_next(r, &l), EL_DONE);
    el_reader_close(r);
}

static void test_reader_plain_lines(void **state)
{
    (void)state;
    const char *p = path_for("plain.log");
    write_raw(p, "a\nbb\r\n\nccc", 10);
    struct lines L;
    read_all(p, 0, &L);
    assert_int_equal(L.end, EL_DONE);
    assert_int_equal(L.n, 4);
    assert_string_equal(L.text[0], "a");
    assert_string_equal(L.text[1], "bb"); /* CR stripped */
    assert_int_equal(L.len[2], 0);        /* blank line is a line */
    assert_string_equal(L.text[3], "ccc"); /* no final newline */
}

static void test_reader_nul_bytes_kept(void **state)
{
    (void)state;
    const char *p = path_for("nul.log");
    write_raw(p, "ab\0cd\nx\n", 8);
    struct lines L;
    read_all(p, 0, &L);
    assert_int_equal(L.n, 2);
    assert_int_equal(L.len[0], 5);
    assert_memory_equal(L.text[0], "ab\0cd", 5);
}

static void test_reader_gzip_and_members(void **state)
{
    (void)state;
    unsigned char a[256], b[256], both[512];
    size_t na = gzip_bytes("one\ntwo\n", 8, a, sizeof(a));
    size_t nb = gzip_bytes("three\nfour", 10, b, sizeof(b));
    memcpy(both, a, na);
    memcpy(both + na, b, nb);
    const char *p = path_for("two-members.log.gz");
    write_raw(p, both, na + nb);

    struct el_reader *r;
    assert_int_equal(el_reader_open(p, &(struct el_reader_opts){ .inflate = backend }, &r), EL_OK);
    struct el_str peek;
    assert_int_equal(el_reader_peek(r, 4096, &peek), EL_OK);
    /* peek sees decompressed data across both members, without consuming */
    assert_int_equal(peek.n, 18);
    assert_memory_equal(peek.p, "one\ntwo\nthree\nfour", 18);
    assert_true(el_reader_is_gzip(r));
    const char *want[] = { "one", "two", "three", "four" };
    for (size_t i = 0; i < 4; i++) {
        struct el_str l;
        assert_int_equal(el_reader_next(r, &l), EL_OK);
        assert_int_equal(l.n, strlen(want[i]));
        assert_memory_equal(l.p, want[i], l.n);
        assert_int_equal(el_reader_line_no(r), i + 1);
    }
    struct el_str l;
    assert_int_equal(el_reader_next(r, &l), EL_DONE);
    assert_int_equal(el_reader_out_bytes(r), 18);
    el_reader_close(r);
}

static void test_reader_plain_not_gzip_by_name(void **state)
{
    (void)state;
    const char *p = path_for("looks-like.gz");
    write_raw(p, "plain\n", 6);
    struct el_reader *r;
    assert_int_equal(el_reader_open(p, &(struct el_reader_opts){ .inflate = backend }, &r), EL_OK);
    struct el_str l;
    assert_int_equal(el_reader_next(r, &l), EL_OK);
    assert_false(el_reader_is_gzip(r));
    assert_int_equal(l.n, 5);
    el_reader_close(r);
}

/* A gzip member cut short at any point must be an error, with every whole
 * line before the cut still delivered and a partial last line handed out
 * (it will be counted by the caller, never silently dropped). */
static void test_reader_truncated_gzip(void **state)
{
    (void)state;
    char text[4000];
    size_t tn = 0;
    for (int i = 0; i < 200; i++)
        tn += (size_t)snprintf(text + tn, sizeof(text) - tn, "line %03d\n", i);
    unsigned char gz[8192];
    size_t gn = gzip_bytes(text, tn, gz, sizeof(gz));
    for (size_t cut = 10; cut < gn; cut += 7) {
        const char *p = path_for("cut.gz");
        write_raw(p, gz, cut);
        struct el_reader *r;
        assert_int_equal(el_reader_open(p, &(struct el_reader_opts){ .inflate = backend }, &r), EL_OK);
        size_t n = 0;
        enum el_err rc;
        struct el_str l;
        /* whole lines, then possibly the line the cut went through
         * (EL_ERR_PARSE: rejected by the caller), then the error */
        while ((rc = el_reader_next(r, &l)) == EL_OK || rc == EL_ERR_PARSE) {
            char want[16];
            int wn = snprintf(want, sizeof(want), "line %03zu", n);
            if (l.n == (size_t)wn)
                assert_memory_equal(l.p, want, l.n);
            else
                assert_true(l.n < (size_t)wn && memcmp(l.p, want, l.n) == 0);
            n++;
        }
        if (rc != EL_ERR_GZIP)
            fail_msg("cut at %zu of %zu: rc %d, want EL_ERR_GZIP", cut, gn, rc);
        assert_true(strstr(el_reader_error(r), "truncated") != NULL);
        el_reader_close(r);
    }
}

static void test_reader_corrupt_gzip(void **state)
{
    (void)state;
    char text[2000];
    size_t tn = 0;
    for (int i = 0; i < 50; i++)
        tn += (size_t)snprintf(text + tn, sizeof(text) - tn, "row %d\n", i);
    unsigned char gz[4096];
    size_t gn = gzip_bytes(text, tn, gz, sizeof(gz));
    gz[gn - 6] ^= 0xff; /* inside the CRC32 trailer */
    const char *p = path_for("badcrc.gz");
    write_raw(p, gz, gn);
    struct lines L;
    read_all(p, 0, &L);
    assert_int_equal(L.end, EL_ERR_GZIP);
    /* The CRC is checked at the end of the member: every line before it
     * must still be delivered. */
    assert_int_equal(L.n, 50);
    assert_string_equal(L.text[49], "row 49");
}

/* Damage in the middle of the deflate data: an error, and the lines decoded
 * before the damage are delivered, in order. Deflate cannot notice damage at
 * once (a bad back-reference decodes to wrong bytes until an invalid code or
 * the CRC), so only the first quarter is compared byte for byte. */
static void test_reader_corrupt_mid_stream_keeps_prefix(void **state)
{
    (void)state;
    size_t cap = 400000, tn = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    for (int i = 0; tn + 64 < cap; i++)
        tn += (size_t)snprintf(text + tn, cap - tn, "%08d %x\n", i, (unsigned)(i * 2654435761u));
    unsigned char *gz = malloc(cap);
    assert_non_null(gz);
    size_t gn = gzip_bytes(text, tn, gz, cap);
    for (size_t k = gn / 2; k < gn / 2 + 64; k++)
        gz[k] = 0xff;
    const char *p = path_for("mid.gz");
    write_raw(p, gz, gn);
    free(gz);

    struct el_reader *r;
    assert_int_equal(el_reader_open(p, &(struct el_reader_opts){ .inflate = backend }, &r), EL_OK);
    struct el_str l;
    enum el_err rc;
    size_t n = 0, off = 0;
    while ((rc = el_reader_next(r, &l)) == EL_OK || rc == EL_ERR_PARSE) {
        if (off + l.n < tn / 4)
            assert_memory_equal(l.p, text + off, l.n);
        off += l.n + 1;
        n++;
    }
    assert_int_equal(rc, EL_ERR_GZIP);
    assert_true(n > 1000); /* the damage is half way through ~10,000 lines */
    assert_true(strstr(el_reader_error(r), "corrupt") != NULL);
    el_reader_close(r);
    free(text);
}

/* Firehose writes gzip inside gzip: both layers are undone, members of the
 * inner layer included; a cut inside is still reported as truncation. */
static void test_reader_double_gzip(void **state)
{
    (void)state;
    unsigned char inner_a[256], inner_b[256], inner[512], outer[1024];
    size_t na = gzip_bytes("{\"a\":1}\n", 8, inner_a, sizeof(inner_a));
    size_t nb = gzip_bytes("{\"b\":2}\n", 8, inner_b, sizeof(inner_b));
    memcpy(inner, inner_a, na);
    memcpy(inner + na, inner_b, nb);
    size_t no = gzip_bytes(inner, na + nb, outer, sizeof(outer));
    const char *p = path_for("double.gz");
    write_raw(p, outer, no);
    struct lines L;
    read_all(p, 0, &L);
    assert_int_equal(L.end, EL_DONE);
    assert_int_equal(L.n, 2);
    assert_string_equal(L.text[0], "{\"a\":1}");
    assert_string_equal(L.text[1], "{\"b\":2}");

    /* outer layer intact, inner one cut short */
    size_t no2 = gzip_bytes(inner, na + nb - 5, outer, sizeof(outer));
    p = path_for("double-cut.gz");
    write_raw(p, outer, no2);
    read_all(p, 0, &L);
    /* the cut takes only the inner trailer: both lines decode, then the
     * missing CRC is reported */
    assert_int_equal(L.end, EL_ERR_GZIP);
    assert_int_equal(L.n, 2);
}

/* Opens data as a file and reads it to the end, by lines or by blocks;
 * returns el_reader_trailing and sets *lines, *end. */
static uint64_t trailing_of(const void *data, size_t n, bool blocks, size_t *lines,
                            enum el_err *end)
{
    const char *p = path_for("trailing.gz");
    write_raw(p, data, n);
    struct el_reader *r;
    assert_int_equal(el_reader_open(p, &(struct el_reader_opts){ .inflate = backend }, &r), EL_OK);
    *lines = 0;
    struct el_str l;
    if (blocks) {
        assert_int_equal(el_reader_start_blocks(r), EL_OK);
        struct el_block b;
        while ((*end = el_reader_take(r, &b)) == EL_OK) {
            while (el_block_next(&b, &l) != EL_DONE)
                (*lines)++;
            el_reader_give_back(r, &b);
        }
    } else {
        while ((*end = el_reader_next(r, &l)) == EL_OK)
            (*lines)++;
    }
    uint64_t t = el_reader_trailing(r);
    el_reader_close(r);
    return t;
}

/* Bytes after the last member that start no member are skipped, as gzip(1)
 * does, but counted for the caller to report; zero padding is not. */
static void test_reader_trailing_bytes(void **state)
{
    (void)state;
    unsigned char gz[256], buf[8192], inner[512], outer[1024];
    size_t ng = gzip_bytes("one\ntwo\n", 8, gz, sizeof(gz));
    for (int blocks = 0; blocks < 2; blocks++) {
        size_t lines;
        enum el_err end;
        /* none */
        assert_int_equal(trailing_of(gz, ng, blocks, &lines, &end), 0);
        assert_int_equal(lines, 2);
        assert_int_equal(end, EL_DONE);
        /* text appended to a .gz */
        memcpy(buf, gz, ng);
        memcpy(buf + ng, "three\n", 6);
        assert_int_equal(trailing_of(buf, ng + 6, blocks, &lines, &end), 6);
        assert_int_equal(lines, 2);
        assert_int_equal(end, EL_DONE);
        /* one byte: too short to be a gzip magic */
        assert_int_equal(trailing_of(buf, ng + 1, blocks, &lines, &end), 1);
        /* the first magic byte alone */
        buf[ng] = 0x1f;
        assert_int_equal(trailing_of(buf, ng + 1, blocks, &lines, &end), 1);
        /* zero padding past the read buffer: not data */
        memset(buf + ng, 0, sizeof(buf) - ng);
        assert_int_equal(trailing_of(buf, sizeof(buf), blocks, &lines, &end), 0);
        assert_int_equal(lines, 2);
        assert_int_equal(end, EL_DONE);
        /* zeros then one other byte: all of it counted */
        buf[sizeof(buf) - 1] = 'x';
        assert_int_equal(trailing_of(buf, sizeof(buf), blocks, &lines, &end), sizeof(buf) - ng);
        /* inside the inner layer of gzip in gzip */
        memcpy(inner, gz, ng);
        memcpy(inner + ng, "junk", 4);
        size_t no = gzip_bytes(inner, ng + 4, outer, sizeof(outer));
        assert_int_equal(trailing_of(outer, no, blocks, &lines, &end), 4);
        assert_int_equal(lines, 2);
        assert_int_equal(end, EL_DONE);
    }
    /* plain text never has any */
    size_t lines;
    enum el_err end;
    assert_int_equal(trailing_of("a\nb\n", 4, false, &lines, &end), 0);
    assert_int_equal(lines, 2);
}

/* About cap bytes of numbered lines (some with a '\r' inside), with a line
 * of long_len bytes before every every-th one. */
static char *numbered_lines(size_t cap, unsigned every, size_t long_len, size_t *len)
{
    char *text = malloc(cap);
    assert_non_null(text);
    size_t tn = 0;
    for (unsigned i = 0; tn + long_len + 100 < cap; i++) {
        if (i % every == 0) {
            memset(text + tn, 'L', long_len);
            tn += long_len;
            text[tn++] = '\n';
        }
        tn += (size_t)snprintf(text + tn, cap - tn, "%u %x %s\n", i, i * 2654435761u,
                               i % 3 ? "abc" : "d\re");
    }
    *len = tn;
    return text;
}

/* Threaded reading (inflate on the reader's own thread) gives exactly the
 * lines, line numbers and end codes of the plain reader, over many blocks,
 * long-line skips, several members and a truncated tail. */
static void test_reader_threaded_same_as_plain(void **state)
{
    (void)state;
    size_t cap = 6u << 20, tn;
    char *text = numbered_lines(cap, 9973, 250, &tn); /* 250: over the 200-byte cap below */
    unsigned char *gz = malloc(cap);
    assert_non_null(gz);
    size_t half = tn / 2;
    size_t g1 = gzip_bytes(text, half, gz, cap);
    size_t g2 = gzip_bytes(text + half, tn - half, gz + g1, cap - g1);
    const char *paths[2];
    char pbuf[2][512];
    snprintf(pbuf[0], sizeof(pbuf[0]), "%s", path_for("thr-full.gz"));
    write_raw(pbuf[0], gz, g1 + g2);
    snprintf(pbuf[1], sizeof(pbuf[1]), "%s", path_for("thr-cut.gz"));
    write_raw(pbuf[1], gz, g1 + g2 / 2);
    paths[0] = pbuf[0];
    paths[1] = pbuf[1];
    for (int f = 0; f < 2; f++) {
        struct el_reader *a, *b;
        struct el_reader_opts plain = { .max_line = 200, .inflate = backend },
                              thr = { .max_line = 200, .threaded = true, .inflate = backend };
        assert_int_equal(el_reader_open(paths[f], &plain, &a), EL_OK);
        assert_int_equal(el_reader_open(paths[f], &thr, &b), EL_OK);
        uint64_t n = 0;
        for (;;) {
            struct el_str la, lb;
            enum el_err ra = el_reader_next(a, &la), rb = el_reader_next(b, &lb);
            if (ra != rb)
                fail_msg("file %d line %llu: plain rc %d, threaded rc %d", f,
                         (unsigned long long)n, ra, rb);
            if (ra == EL_OK && (la.n != lb.n || memcmp(la.p, lb.p, la.n) != 0))
                fail_msg("file %d line %llu differs", f, (unsigned long long)n);
            assert_int_equal(el_reader_line_no(a), el_reader_line_no(b));
            if (ra != EL_OK && ra != EL_ERR_TOO_LONG && ra != EL_ERR_PARSE) {
                assert_int_equal(ra, f == 0 ? EL_DONE : EL_ERR_GZIP);
                break;
            }
            n++;
        }
        assert_true(n > 100000);
        el_reader_close(a);
        el_reader_close(b);
    }
    /* closing early stops the producer without reading the rest */
    struct el_reader *c;
    struct el_reader_opts thr = { .threaded = true, .inflate = backend };
    assert_int_equal(el_reader_open(paths[0], &thr, &c), EL_OK);
    struct el_str l;
    assert_int_equal(el_reader_next(c, &l), EL_OK);
    el_reader_close(c);
    free(gz);
    free(text);
}

static void test_reader_long_lines_skipped(void **state)
{
    (void)state;
    char buf[600];
    memset(buf, 'x', sizeof(buf));
    buf[99] = '\n';  /* 99 bytes: fits a 100-byte cap */
    buf[300] = '\n'; /* 200 bytes: too long */
    buf[599] = '\n'; /* 298 bytes: too long */
    const char *p = path_for("long.log");
    write_raw(p, buf, sizeof(buf));
    struct el_reader *r;
    struct el_reader_opts o = { .max_line = 100, .inflate = backend };
    assert_int_equal(el_reader_open(p, &o, &r), EL_OK);
    struct el_str l;
    assert_int_equal(el_reader_next(r, &l), EL_OK);
    assert_int_equal(l.n, 99);
    assert_int_equal(el_reader_next(r, &l), EL_ERR_TOO_LONG);
    assert_int_equal(el_reader_line_no(r), 2);
    assert_int_equal(el_reader_next(r, &l), EL_ERR_TOO_LONG);
    assert_int_equal(el_reader_line_no(r), 3);
    assert_int_equal(el_reader_next(r, &l), EL_DONE);
    el_reader_close(r);
}

/* A line far longer than one read chunk (and than the cap) is skipped
 * without buffering it, and the next line is intact. */
static void test_reader_huge_line_bounded(void **state)
{
    (void)state;
    size_t big = (size_t)5 << 20;
    char *buf = malloc(big + 16);
    assert_non_null(buf);
    memset(buf, 'y', big);
    memcpy(buf + big, "\nafter\n", 7);
    const char *p = path_for("huge.log");
    write_raw(p, buf, big + 7);
    free(buf);
    struct el_reader *r;
    struct el_reader_opts o = { .max_line = 1024, .inflate = backend };
    assert_int_equal(el_reader_open(p, &o, &r), EL_OK);
    struct el_str l;
    assert_int_equal(el_reader_next(r, &l), EL_ERR_TOO_LONG);
    assert_int_equal(el_reader_next(r, &l), EL_OK);
    assert_int_equal(l.n, 5);
    assert_memory_equal(l.p, "after", 5);
    assert_int_equal(el_reader_line_no(r), 2);
    el_reader_close(r);
}

static void test_reader_empty_and_missing(void **state)
{
    (void)state;
    const char *p = path_for("empty.log");
    write_raw(p, "", 0);
    struct lines L;
    read_all(p, 0, &L);
    assert_int_equal(L.n, 0);
    assert_int_equal(L.end, EL_DONE);
    struct el_reader *r = NULL;
    assert_int_equal(el_reader_open("/nonexistent/edgelog/x.log", NULL, &r), EL_ERR_IO);
    assert_null(r);
}

static void touch(const char *dir, const char *name)
{
    char p[512];
    snprintf(p, sizeof(p), "%s/%s", dir, name);
    write_raw(p, "x\n", 2);
}

/* Folders tmpdir/name and tmpdir/name/subname, their paths in root[300]
 * and sub[320]. */
static void make_tree(const char *name, const char *subname, char *root, char *sub)
{
    snprintf(root, 300, "%s/%s", tmpdir, name);
    assert_int_equal(mkdir(root, 0755), 0);
    snprintf(sub, 320, "%s/%s", root, subname);
    assert_int_equal(mkdir(sub, 0755), 0);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static void test_inputs_sorted_walk_and_markers(void **state)
{
    (void)state;
    char root[300], sub[320], p[400];
    make_tree("walk", "b", root, sub);
    touch(root, "c.log");
    touch(root, "a.log");
    touch(sub, "z.log.gz");
    touch(sub, "ELBAccessLogTestFile");
    touch(root, "aws-logs-write-test");
    /* a symlink back to the root must not loop */
    snprintf(p, sizeof(p), "%s/loop", sub);
    assert_int_equal(symlink(root, p), 0);

    struct el_input_list L = { 0 };
    const char *paths[] = { root, "-" };
    assert_int_equal(el_inputs_expand(&L, paths, 2), EL_OK);
    static const struct {
        const char *suffix;
        enum el_input_kind kind;
    } want[] = {
        { "/walk/a.log", EL_INPUT_FILE },
        { "/walk/aws-logs-write-test", EL_INPUT_MARKER },
        { "/walk/b/ELBAccessLogTestFile", EL_INPUT_MARKER },
        { "/walk/b/loop", EL_INPUT_ERROR },
        { "/walk/b/z.log.gz", EL_INPUT_FILE },
        { "/walk/c.log", EL_INPUT_FILE },
        { "-", EL_INPUT_STDIN },
    };
    assert_int_equal(L.n, EL_ARRAY_LEN(want));
    for (size_t i = 0; i < L.n; i++) {
        if (!ends_with(L.v[i].path, want[i].suffix) || L.v[i].kind != want[i].kind)
            fail_msg("entry %zu: '%s' kind %d, want '*%s' kind %d", i, L.v[i].path,
                     L.v[i].kind, want[i].suffix, want[i].kind);
    }
    assert_int_equal(L.v[0].size, 2);
    el_inputs_free(&L);
}

/* A file reached twice (named twice, a hard link, a linked folder) is
 * listed once as a file, then as EL_INPUT_SAME pointing at the first. */
static void test_inputs_same_file_once(void **state)
{
    (void)state;
    char root[300], sub[320], p[400], q[400];
    make_tree("same", "a", root, sub);
    touch(sub, "x.log");
    touch(sub, "y.log");
    snprintf(p, sizeof(p), "%s/x.log", sub);
    snprintf(q, sizeof(q), "%s/hard.log", root);
    assert_int_equal(link(p, q), 0);
    snprintf(q, sizeof(q), "%s/b", root);
    assert_int_equal(symlink(sub, q), 0);

    struct el_input_list L = { 0 };
    const char *paths[] = { root, p, "-" };
    assert_int_equal(el_inputs_expand(&L, paths, 3), EL_OK);
    assert_int_equal(el_inputs_mark_same(&L), 4);
    static const struct {
        const char *suffix;
        enum el_input_kind kind;
        size_t same_as;
    } want[] = {
        { "/same/a/x.log", EL_INPUT_FILE, 0 },
        { "/same/a/y.log", EL_INPUT_FILE, 0 },
        { "/same/b/x.log", EL_INPUT_SAME, 0 },
        { "/same/b/y.log", EL_INPUT_SAME, 1 },
        { "/same/hard.log", EL_INPUT_SAME, 0 },
        { "/same/a/x.log", EL_INPUT_SAME, 0 },
        { "-", EL_INPUT_STDIN, 0 },
    };
    assert_int_equal(L.n, EL_ARRAY_LEN(want));
    for (size_t i = 0; i < L.n; i++) {
        if (!ends_with(L.v[i].path, want[i].suffix) || L.v[i].kind != want[i].kind ||
            (want[i].kind == EL_INPUT_SAME && L.v[i].same_as != want[i].same_as))
            fail_msg("entry %zu: '%s' kind %d same_as %zu, want '*%s' kind %d same_as %zu", i,
                     L.v[i].path, L.v[i].kind, L.v[i].same_as, want[i].suffix, want[i].kind,
                     want[i].same_as);
    }
    /* marking again finds nothing new */
    assert_int_equal(el_inputs_mark_same(&L), 0);
    el_inputs_free(&L);

    /* distinct files with equal content are not the same file */
    const char *two[] = { sub };
    assert_int_equal(el_inputs_expand(&L, two, 1), EL_OK);
    assert_int_equal(L.n, 2);
    assert_int_equal(el_inputs_mark_same(&L), 0);
    el_inputs_free(&L);
}

/* el_crc32 is zlib's crc32() at every length (under, at and past each
 * 16-, 64- and 128-byte step of the folding), every alignment, any start
 * value, and across any split into two calls; at each level this CPU has
 * (zlib's, the 128-bit folding, the 256-bit folding). */
static void crc32_same_as_zlib(void)
{
    enum { N = 1100 };
    static unsigned char buf[N + 16];
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < sizeof(buf); i++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        buf[i] = (unsigned char)x;
    }
    for (size_t off = 0; off < 16; off++)
        for (size_t n = 0; n <= N; n++) {
            uint32_t want = (uint32_t)crc32(0, buf + off, (uInt)n);
            if (el_crc32(0, buf + off, n) != want)
                fail_msg("offset %zu length %zu", off, n);
            want = (uint32_t)crc32(0xdeadbeef, buf + off, (uInt)n);
            if (el_crc32(0xdeadbeef, buf + off, n) != want)
                fail_msg("offset %zu length %zu from 0xdeadbeef", off, n);
        }
    uint32_t whole = (uint32_t)crc32(0, buf, N);
    for (size_t cut = 0; cut <= N; cut++)
        if (el_crc32(el_crc32(0, buf, cut), buf + cut, N - cut) != whole)
            fail_msg("split at %zu", cut);
    /* all zeros and all ones: no lane may cancel */
    memset(buf, 0, sizeof(buf));
    assert_int_equal(el_crc32(0, buf, N), (uint32_t)crc32(0, buf, N));
    memset(buf, 0xff, sizeof(buf));
    assert_int_equal(el_crc32(0, buf, N), (uint32_t)crc32(0, buf, N));
}

static void test_crc32_same_as_zlib(void **state)
{
    (void)state;
    int best = el_crc32_limit(-1);
    for (int level = 0; level <= best; level++) {
        assert_int_equal(el_crc32_limit(level), level);
        crc32_same_as_zlib();
    }
    assert_int_equal(el_crc32_limit(-1), best);
    print_message("el_crc32: levels 0..%d checked\n", best);
}

/* ---- backends and blocks ------------------------------------------------ */

/* What a reader hands out, call by call: the return code, and for lines
 * their length and CRC; then the error text. Two readers agree when these
 * are equal. */
struct seq {
    uint32_t *v; /* triples: code, length, crc */
    size_t n, cap;
    char err[160];
    size_t lines, too_long, cut;
    bool blind_cut; /* leave out the text of a cut line (see the damage case) */
};

static void seq_add(struct seq *q, enum el_err rc, struct el_str l)
{
    if (q->n + 3 > q->cap) {
        q->cap = q->cap ? q->cap * 2 : 3072;
        q->v = realloc(q->v, q->cap * sizeof(*q->v));
        assert_non_null(q->v);
    }
    bool has_text = rc == EL_OK || (rc == EL_ERR_PARSE && !q->blind_cut);
    q->v[q->n++] = (uint32_t)rc;
    q->v[q->n++] = has_text ? (uint32_t)l.n : 0;
    q->v[q->n++] = has_text ? (uint32_t)crc32(0, (const unsigned char *)l.p, (uInt)l.n) : 0;
    q->lines += rc == EL_OK;
    q->too_long += rc == EL_ERR_TOO_LONG;
    q->cut += rc == EL_ERR_PARSE;
}

static void seq_free(struct seq *q)
{
    free(q->v);
    memset(q, 0, sizeof(*q));
}

static void seq_end(struct seq *q, struct el_reader *r, enum el_err rc)
{
    seq_add(q, rc, (struct el_str){ 0 });
    snprintf(q->err, sizeof(q->err), "%s", rc == EL_DONE ? "" : el_reader_error(r));
}

/* Set while comparing backends on damaged deflate data: see
 * test_backends_agree_on_damage. */
static bool blind_cut;

/* el_reader_next from start to end, after a peek as the CLI does; closes r. */
static void seq_read(struct el_reader *r, struct seq *q)
{
    struct el_str l;
    el_reader_peek(r, 65536, &l);
    enum el_err rc;
    while ((rc = el_reader_next(r, &l)) == EL_OK || rc == EL_ERR_PARSE || rc == EL_ERR_TOO_LONG)
        seq_add(q, rc, l);
    seq_end(q, r, rc);
    el_reader_close(r);
}

static void seq_lines(const char *path, enum el_inflate b, size_t max_line, struct seq *q)
{
    struct el_reader *r;
    struct el_reader_opts o = { .max_line = max_line, .inflate = b };
    memset(q, 0, sizeof(*q));
    q->blind_cut = blind_cut;
    assert_int_equal(el_reader_open(path, &o, &r), EL_OK);
    seq_read(r, q);
}

/* The same through blocks taken by one thread, which sees them in order. */
static void seq_blocks(const char *path, enum el_inflate b, size_t max_line, struct seq *q)
{
    struct el_reader *r;
    struct el_reader_opts o = { .max_line = max_line, .inflate = b, .threaded = true };
    memset(q, 0, sizeof(*q));
    q->blind_cut = blind_cut;
    assert_int_equal(el_reader_open(path, &o, &r), EL_OK);
    struct el_str l;
    el_reader_peek(r, 65536, &l);
    assert_int_equal(el_reader_start_blocks(r), EL_OK);
    struct el_block blk;
    enum el_err rc;
    while ((rc = el_reader_take(r, &blk)) == EL_OK) {
        enum el_err lr;
        while ((lr = el_block_next(&blk, &l)) != EL_DONE)
            seq_add(q, lr, l);
        el_reader_give_back(r, &blk);
    }
    seq_end(q, r, rc);
    /* the error is told once; after it, only the end */
    assert_int_equal(el_reader_take(r, &blk), EL_DONE);
    el_reader_close(r);
}

static void assert_seq_equal(const struct seq *a, const struct seq *b, const char *what,
                             size_t at)
{
    if (a->n != b->n || memcmp(a->v, b->v, a->n * sizeof(*a->v)) != 0 ||
        strcmp(a->err, b->err) != 0) {
        for (size_t k = 0; k < a->n && k < b->n; k += 3)
            if (memcmp(a->v + k, b->v + k, 3 * sizeof(*a->v)) != 0) {
                print_message("first difference at result %zu: code %u/%u len %u/%u\n", k / 3,
                              a->v[k], b->v[k], a->v[k + 1], b->v[k + 1]);
                break;
            }
        fail_msg("%s (offset %zu): %zu vs %zu results, %zu vs %zu lines, '%s' vs '%s'", what, at,
                 a->n / 3, b->n / 3, a->lines, b->lines, a->err, b->err);
    }
}

/* gzip bytes of data as one member with every optional header field (name,
 * comment, extra, header CRC), so the shared header parser meets them all. */
static size_t gzip_bytes_hdr(const void *data, size_t n, unsigned char *out, size_t cap)
{
    z_stream z = { 0 };
    assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
    static unsigned char extra[] = { 'E', 'X', 4, 0, 'a', 'b', 'c', 'd' };
    gz_header h = { .text = 1, .name = (Bytef *)(uintptr_t)"access.log", .comment =
                    (Bytef *)(uintptr_t)"edgelog test", .extra = extra, .extra_len = 8,
                    .hcrc = 1 };
    assert_int_equal(deflateSetHeader(&z, &h), Z_OK);
    z.next_in = (unsigned char *)(uintptr_t)data;
    z.avail_in = (unsigned)n;
    z.next_out = out;
    z.avail_out = (unsigned)cap;
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    size_t got = cap - z.avail_out;
    deflateEnd(&z);
    return got;
}

/* Three members (the middle one with every header field), ALB-like lines. */
static size_t three_members(unsigned char *gz, size_t cap, size_t *text_len)
{
    char text[24000];
    size_t tn = 0;
    for (unsigned i = 0; tn + 200 < sizeof(text); i++)
        tn += (size_t)snprintf(text + tn, sizeof(text) - tn,
                               "h2 2026-03-10T10:%02u:%02u.%06uZ app/x 10.0.%u.%u:%u - 0.%03u "
                               "200 \"GET https://x:443/v1/items/%u HTTP/2.0\"\n",
                               i / 60 % 60, i % 60, i * 7919 % 1000000, i % 256, i * 7 % 256,
                               40000 + i, i % 1000, i * 2654435761u % 100000);
    size_t a = tn / 3, b2 = 2 * tn / 3;
    size_t g = gzip_bytes(text, a, gz, cap);
    g += gzip_bytes_hdr(text + a, b2 - a, gz + g, cap - g);
    g += gzip_bytes(text + b2, tn - b2, gz + g, cap - g);
    *text_len = tn;
    return g;
}

static size_t nbackends(enum el_inflate *v)
{
    size_t n = 0;
    v[n++] = EL_INFLATE_ZLIB;
    if (el_inflate_available(EL_INFLATE_ISAL))
        v[n++] = EL_INFLATE_ISAL;
    return n;
}

/* Every backend, and blocks, give exactly what zlib gives with
 * el_reader_next: whole file, and cut at every single offset (inside
 * headers, deflate data, trailers, between members). */
static void test_backends_agree_at_every_cut(void **state)
{
    (void)state;
    unsigned char gz[16384];
    size_t tn;
    size_t gn = three_members(gz, sizeof(gz), &tn);
    enum el_inflate bk[2];
    size_t nb = nbackends(bk);
    const char *p = path_for("cut-every.gz");
    for (size_t cut = gn; cut > 0; cut--) {
        write_raw(p, gz, cut);
        struct seq ref, q;
        seq_lines(p, EL_INFLATE_ZLIB, 0, &ref);
        if (cut == gn)
            assert_string_equal(ref.err, "");
        for (size_t i = 0; i < nb; i++) {
            if (bk[i] != EL_INFLATE_ZLIB) {
                seq_lines(p, bk[i], 0, &q);
                assert_seq_equal(&ref, &q, el_inflate_name(bk[i]), cut);
                seq_free(&q);
            }
            if (cut % 5 == 0 || cut == gn) { /* blocks start a thread: sample */
                seq_blocks(p, bk[i], 0, &q);
                assert_seq_equal(&ref, &q, "blocks", cut);
                seq_free(&q);
            }
        }
        seq_free(&ref);
    }
}

/* el_reader_open_mem over the same bytes gives what the file gives,
 * whether its bytes arrive at once or a few at a time; plain text too. */
static void seq_mem(const void *data, size_t n, enum el_inflate b, size_t chunk, struct seq *q)
{
    struct el_reader *r;
    struct el_reader_opts o = { .inflate = b };
    memset(q, 0, sizeof(*q));
    assert_int_equal(el_reader_open_mem(data, n, &o, &r), EL_OK);
    el_reader_set_mem_chunk(r, chunk);
    seq_read(r, q);
}

static void test_reader_mem_same_as_file(void **state)
{
    (void)state;
    static unsigned char gz[16384];
    size_t tn;
    size_t gn = three_members(gz, sizeof(gz), &tn);
    static const char plain[] = "a\r\nb\n\nlast without newline";
    const struct {
        const char *name;
        const void *p;
        size_t n;
    } inputs[] = {
        { "three members", gz, gn },
        { "cut inside the second member", gz, gn / 2 },
        { "plain", plain, sizeof(plain) - 1 },
        { "empty", plain, 0 },
    };
    static const size_t chunks[] = { 0, 1, 7, 4096 };
    enum el_inflate bk[2];
    size_t nb = nbackends(bk);
    for (size_t i = 0; i < EL_ARRAY_LEN(inputs); i++) {
        const char *p = path_for("mem");
        write_raw(p, inputs[i].p, inputs[i].n);
        for (size_t b = 0; b < nb; b++) {
            struct seq ref, q;
            seq_lines(p, bk[b], 0, &ref);
            for (size_t c = 0; c < EL_ARRAY_LEN(chunks); c++) {
                seq_mem(inputs[i].p, inputs[i].n, bk[b], chunks[c], &q);
                assert_seq_equal(&ref, &q, inputs[i].name, chunks[c]);
                seq_free(&q);
            }
            seq_free(&ref);
        }
    }
}

/* Invalid deflate data on which ISA-L hands out bytes of its state that it
 * never wrote (tests/fuzz/regressions/reader): the lines, the damaged one
 * included, must not depend on what the memory held before. */
static void test_isal_garbage_not_from_old_memory(void **state)
{
    (void)state;
    if (!el_inflate_available(EL_INFLATE_ISAL)) {
        print_message("isal: not built in, skipped\n");
        return;
    }
    static unsigned char in[4096];
    FILE *f = fopen(EL_FUZZ_REGRESSIONS "/reader/isal-garbage-from-stale-state", "rb");
    assert_non_null(f);
    size_t n = fread(in, 1, sizeof(in), f);
    fclose(f);
    struct seq zero, ee;
    el_mem_fill_new(0x00);
    seq_mem(in, n, EL_INFLATE_ISAL, 0, &zero);
    el_mem_fill_new(0xee);
    seq_mem(in, n, EL_INFLATE_ISAL, 0, &ee);
    el_mem_fill_new(-1);
    assert_int_equal(zero.cut, 1);
    assert_seq_equal(&zero, &ee, "filled with 00 and ee", n);
    seq_free(&zero);
    seq_free(&ee);
}

/* Damage that is not a cut: a flipped CRC or length in a trailer, bad
 * header fields, and a burst of garbage in the deflate data. The backends
 * give the same lines and the same message. One thing may differ: garbage
 * in the deflate data decodes to garbage until a decoder rejects it, and
 * zlib and ISA-L do not reject at exactly the same bit, so one may hand out
 * a few garbage bytes more. Those end up in the line the damage cut
 * (rejected either way), so its text is not compared. */
static void test_backends_agree_on_damage(void **state)
{
    (void)state;
    unsigned char gz[16384], bad[16384];
    size_t tn;
    size_t gn = three_members(gz, sizeof(gz), &tn);
    enum el_inflate bk[2];
    size_t nb = nbackends(bk);
    struct {
        const char *what, *msg;
        size_t at; /* offset of the byte to change */
        unsigned char x;
    } cases[] = {
        { "last trailer's CRC", "corrupt gzip data (incorrect data check)", gn - 8, 0x01 },
        { "last trailer's length", "corrupt gzip data (incorrect length check)", gn - 2, 0x40 },
        { "compression method", "corrupt gzip data (unknown compression method)", 2, 0x01 },
        { "reserved flag", "corrupt gzip data (unknown header flags set)", 3, 0x80 },
        { "deflate data", NULL, gn / 2, 0xff },
        { "deflate data", NULL, gn / 5, 0xff },
        { "deflate data", NULL, gn / 3 + 17, 0xff },
        { "deflate data", NULL, gn * 3 / 4, 0xff },
        { "deflate data", NULL, gn - 60, 0xff },
    };
    for (size_t c = 0; c < EL_ARRAY_LEN(cases); c++) {
        memcpy(bad, gz, gn);
        if (strcmp(cases[c].what, "deflate data") == 0)
            for (size_t k = 0; k < 40; k++)
                bad[cases[c].at + k] ^= 0xff;
        else
            bad[cases[c].at] ^= cases[c].x;
        const char *p = path_for("damaged.gz");
        write_raw(p, bad, gn);
        blind_cut = cases[c].msg == NULL;
        struct seq ref, q;
        seq_lines(p, EL_INFLATE_ZLIB, 0, &ref);
        if (cases[c].msg && strcmp(ref.err, cases[c].msg) != 0)
            fail_msg("%s: '%s', want '%s'", cases[c].what, ref.err, cases[c].msg);
        assert_true(ref.err[0] != '\0');
        for (size_t i = 0; i < nb; i++) {
            seq_lines(p, bk[i], 0, &q);
            assert_seq_equal(&ref, &q, cases[c].what, c);
            seq_free(&q);
            seq_blocks(p, bk[i], 0, &q);
            assert_seq_equal(&ref, &q, cases[c].what, c);
            seq_free(&q);
        }
        seq_free(&ref);
    }
    blind_cut = false;
    /* the header CRC of the middle member: find its FHCRC member by the
     * file name and break the CRC16 after the comment */
    memcpy(bad, gz, gn);
    unsigned char *cm = NULL;
    for (size_t k = 0; k + 13 <= gn && !cm; k++)
        if (memcmp(bad + k, "edgelog test", 13) == 0)
            cm = bad + k;
    assert_non_null(cm);
    cm[13] ^= 0x55;
    const char *p = path_for("hcrc.gz");
    write_raw(p, bad, gn);
    for (size_t i = 0; i < nb; i++) {
        struct seq q;
        seq_lines(p, bk[i], 0, &q);
        assert_string_equal(q.err, "corrupt gzip data (header crc mismatch)");
        seq_free(&q);
    }
}

/* The backend interface itself, fed 1 to 97 bytes at a time: the output
 * is the data, and the bytes a backend read past the end of the deflate
 * stream (unread) are exactly those that follow it. */
static void test_inflate_ops_any_feed(void **state)
{
    (void)state;
    enum el_inflate bk[2];
    size_t nb = nbackends(bk);
    static unsigned char text[60000], def[70000], out[70000];
    for (size_t i = 0; i < sizeof(text); i++)
        text[i] = (unsigned char)(i % 61 == 0 ? '\n' : 'a' + (i * 2654435761u >> 13) % 11);
    z_stream z = { 0 };
    assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
    z.next_in = text;
    z.avail_in = sizeof(text);
    z.next_out = def;
    z.avail_out = sizeof(def) - 16;
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    size_t dn = sizeof(def) - 16 - z.avail_out;
    deflateEnd(&z);
    memcpy(def + dn, "0123456789abcdef", 16);
    for (size_t i = 0; i < nb; i++) {
        const struct el_inflate_ops *ops = el_inflate_ops_for(bk[i]);
        struct el_inflater *f;
        assert_int_equal(ops->create(&f), EL_OK);
        for (size_t feed = 1; feed < 98; feed += 8) {
            ops->reset(f);
            size_t pos = 0, got = 0;
            enum el_err rc = EL_OK;
            while (rc == EL_OK) {
                size_t in_n = dn + 16 - pos < feed ? dn + 16 - pos : feed;
                size_t out_n = sizeof(out) - got;
                rc = ops->run(f, def + pos, &in_n, out + got, &out_n);
                pos += in_n;
                got += out_n;
                assert_true(pos <= dn + 16);
            }
            assert_int_equal(rc, EL_DONE);
            unsigned char back[8];
            size_t k = ops->unread ? ops->unread(f, back) : 0;
            if (pos - k != dn || memcmp(back, def + dn, k) != 0)
                fail_msg("%s, feed %zu: consumed %zu, unread %zu, stream %zu", ops->name, feed,
                         pos, k, dn);
            assert_int_equal(got, sizeof(text));
            assert_memory_equal(out, text, got);
        }
        assert_int_equal(ops->crc32(0, text, sizeof(text)),
                         (uint32_t)crc32(0, text, sizeof(text)));
        ops->destroy(f);
    }
}

/* Blocks: lines longer than a block but within the cap, lines over the cap
 * inside a block, across blocks and at the very end, CRLF, a final line
 * without newline, over several MiB; one taker sees exactly what
 * el_reader_next gives. Plain and gzip. */
static void test_blocks_same_as_lines(void **state)
{
    (void)state;
    size_t cap = 16u << 20, tn = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    size_t max_line = (size_t)3 << 20; /* over one 1 MiB block */
    for (unsigned i = 0; tn + (4u << 20) < cap; i++) {
        if (i == 500) { /* 2.5 MiB: longer than a block, within the cap */
            memset(text + tn, 'W', (size_t)5 << 19);
            tn += (size_t)5 << 19;
            text[tn++] = '\n';
        }
        if (i == 9000) { /* 3.5 MiB: over the cap, across blocks */
            memset(text + tn, 'X', (size_t)7 << 19);
            tn += (size_t)7 << 19;
            text[tn++] = '\n';
        }
        tn += (size_t)snprintf(text + tn, cap - tn, "%u %x%s\n", i, i * 2654435761u,
                               i % 5 ? "" : " crlf\r");
    }
    memset(text + tn, 'Z', 3000); /* last line, no newline */
    tn += 3000;
    unsigned char *gz = malloc(cap);
    assert_non_null(gz);
    size_t gn = gzip_bytes(text, tn, gz, cap);
    char pp[512], pg[512], pc[512]; /* path_for's buffer is reused */
    snprintf(pp, sizeof(pp), "%s", path_for("blocks.log"));
    snprintf(pg, sizeof(pg), "%s", path_for("blocks.log.gz"));
    snprintf(pc, sizeof(pc), "%s", path_for("blocks-cut.log.gz"));
    write_raw(pp, text, tn);
    write_raw(pg, gz, gn);
    write_raw(pc, gz, gn - 20);
    const char *paths[] = { pp, pg, pc };
    size_t caps[] = { max_line, 100 }; /* 100: most lines fit, a few do not */
    for (size_t f = 0; f < 3; f++)
        for (size_t c = 0; c < 2; c++) {
            struct seq a, b;
            seq_lines(paths[f], backend, caps[c], &a);
            seq_blocks(paths[f], backend, caps[c], &b);
            assert_seq_equal(&a, &b, paths[f], caps[c]);
            assert_true(a.lines > 100000);
            if (c == 0)
                assert_int_equal(a.too_long, 1);
            seq_free(&a);
            seq_free(&b);
        }
    /* a small file: peeking read it whole, and blocks still work */
    const char *ps = path_for("small.log");
    write_raw(ps, "a\nb\r\n\nlast", 10);
    struct seq a, b;
    seq_lines(ps, backend, 0, &a);
    seq_blocks(ps, backend, 0, &b);
    assert_seq_equal(&a, &b, "small", 0);
    assert_int_equal(a.lines, 4);
    seq_free(&a);
    seq_free(&b);
    free(gz);
    free(text);
}

/* Several takers: every line exactly once (count and an order-independent
 * sum), the error to exactly one of them; and closing while the producer
 * waits for room does not hang. */
struct taker {
    struct el_reader *r;
    uint64_t lines, too_long, cut, sum;
    int errors;
    bool quit_early;
};

static void *take_all(void *arg)
{
    struct taker *t = arg;
    struct el_block b;
    enum el_err rc;
    while ((rc = el_reader_take(t->r, &b)) == EL_OK) {
        struct el_str l;
        enum el_err lr;
        while ((lr = el_block_next(&b, &l)) != EL_DONE) {
            t->lines += lr == EL_OK;
            t->too_long += lr == EL_ERR_TOO_LONG;
            t->cut += lr == EL_ERR_PARSE;
            if (lr == EL_OK)
                t->sum += crc32(0, (const unsigned char *)l.p, (uInt)l.n);
        }
        el_reader_give_back(t->r, &b);
        if (t->quit_early)
            return NULL;
    }
    t->errors += rc != EL_DONE;
    return NULL;
}

static void test_blocks_many_takers(void **state)
{
    (void)state;
    size_t cap = 12u << 20, tn;
    char *text = numbered_lines(cap, 7919, 300, &tn); /* 300: over the 256-byte cap below */
    unsigned char *gz = malloc(cap);
    assert_non_null(gz);
    size_t gn = gzip_bytes(text, tn, gz, cap);
    char pf[512], pc[512];
    snprintf(pf, sizeof(pf), "%s", path_for("takers.gz"));
    snprintf(pc, sizeof(pc), "%s", path_for("takers-cut.gz"));
    write_raw(pf, gz, gn);
    write_raw(pc, gz, gn * 2 / 3);
    const char *paths[] = { pf, pc };
    for (size_t f = 0; f < 2; f++) {
        struct seq ref;
        seq_lines(paths[f], backend, 256, &ref);
        uint64_t want_sum = 0;
        for (size_t k = 0; k + 3 <= ref.n; k += 3)
            if (ref.v[k] == EL_OK)
                want_sum += ref.v[k + 2];
        struct el_reader *r;
        struct el_reader_opts o = { .max_line = 256, .inflate = backend };
        assert_int_equal(el_reader_open(paths[f], &o, &r), EL_OK);
        assert_int_equal(el_reader_start_blocks(r), EL_OK);
        struct taker t[3];
        pthread_t tid[3];
        for (int i = 0; i < 3; i++) {
            t[i] = (struct taker){ .r = r };
            assert_int_equal(pthread_create(&tid[i], NULL, take_all, &t[i]), 0);
        }
        uint64_t lines = 0, too_long = 0, cut = 0, sum = 0;
        int errors = 0;
        for (int i = 0; i < 3; i++) {
            pthread_join(tid[i], NULL);
            lines += t[i].lines;
            too_long += t[i].too_long;
            cut += t[i].cut;
            sum += t[i].sum;
            errors += t[i].errors;
        }
        assert_int_equal(lines, ref.lines);
        assert_int_equal(too_long, ref.too_long);
        if (cut != ref.cut)
            fail_msg("file %zu: %llu cut lines, want %zu", f, (unsigned long long)cut, ref.cut);
        assert_int_equal(sum, want_sum);
        if (errors != (f == 1 ? 1 : 0))
            fail_msg("file %zu: %d errors (%s), ref %s", f, errors, el_reader_error(r), ref.err);
        el_reader_close(r);
        seq_free(&ref);
    }
    /* one block taken, then closed with the producer blocked on a full pool */
    struct el_reader *r;
    struct el_reader_opts o = { .inflate = backend };
    assert_int_equal(el_reader_open(pf, &o, &r), EL_OK);
    assert_int_equal(el_reader_start_blocks(r), EL_OK);
    struct taker t = { .r = r, .quit_early = true };
    take_all(&t);
    nanosleep(&(struct timespec){ .tv_nsec = 20000000 }, NULL);
    el_reader_close(r);
    free(gz);
    free(text);
}

/* Out of memory when switching to blocks: either it worked, or
 * el_reader_start_blocks said EL_ERR_NOMEM and the reader still reads
 * every line with el_reader_next (the CLI's fallback). */
static void test_blocks_out_of_memory(void **state)
{
    (void)state;
    size_t tn;
    char *text = numbered_lines((size_t)3 << 20, 5000, 10, &tn);
    unsigned char *gz = malloc(tn + 1024);
    assert_non_null(gz);
    size_t gn = gzip_bytes(text, tn, gz, tn + 1024);
    char p[512];
    snprintf(p, sizeof(p), "%s", path_for("oom.gz"));
    write_raw(p, gz, gn);
    struct seq ref;
    seq_lines(p, backend, 0, &ref);
    bool failed_once = false, worked_once = false;
    for (uint64_t n = 1; n <= 12; n++) {
        struct el_reader *r;
        struct el_reader_opts o = { .inflate = backend, .threaded = true };
        assert_int_equal(el_reader_open(p, &o, &r), EL_OK);
        struct el_str l;
        el_reader_peek(r, 65536, &l);
        el_mem_fail_after(n);
        enum el_err rc = el_reader_start_blocks(r);
        el_mem_fail_after(0);
        struct seq q = { 0 };
        if (rc == EL_OK) {
            worked_once = true;
            struct el_block b;
            while ((rc = el_reader_take(r, &b)) == EL_OK) {
                enum el_err lr;
                while ((lr = el_block_next(&b, &l)) != EL_DONE)
                    seq_add(&q, lr, l);
                el_reader_give_back(r, &b);
            }
        } else {
            assert_int_equal(rc, EL_ERR_NOMEM);
            failed_once = true;
            while ((rc = el_reader_next(r, &l)) == EL_OK || rc == EL_ERR_TOO_LONG)
                seq_add(&q, rc, l);
        }
        seq_end(&q, r, rc);
        assert_seq_equal(&ref, &q, "after an allocation failure", (size_t)n);
        seq_free(&q);
        el_reader_close(r);
    }
    assert_true(failed_once && worked_once);
    seq_free(&ref);
    free(gz);
    free(text);
}

static int use_zlib(void **state)
{
    backend = EL_INFLATE_ZLIB;
    return setup(state);
}

static int use_isal(void **state)
{
    backend = EL_INFLATE_ISAL;
    return setup(state);
}

int main(void)
{
    /* the reader's cases, once per backend */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reader_plain_lines),
        cmocka_unit_test(test_reader_nul_bytes_kept),
        cmocka_unit_test(test_reader_gzip_and_members),
        cmocka_unit_test(test_reader_plain_not_gzip_by_name),
        cmocka_unit_test(test_reader_truncated_gzip),
        cmocka_unit_test(test_reader_corrupt_gzip),
        cmocka_unit_test(test_reader_double_gzip),
        cmocka_unit_test(test_reader_trailing_bytes),
        cmocka_unit_test(test_reader_threaded_same_as_plain),
        cmocka_unit_test(test_reader_corrupt_mid_stream_keeps_prefix),
        cmocka_unit_test(test_reader_long_lines_skipped),
        cmocka_unit_test(test_reader_huge_line_bounded),
        cmocka_unit_test(test_reader_empty_and_missing),
        cmocka_unit_test(test_blocks_same_as_lines),
        cmocka_unit_test(test_blocks_many_takers),
        cmocka_unit_test(test_blocks_out_of_memory),
    };
    /* cases that compare the backends, and the rest */
    const struct CMUnitTest once[] = {
        cmocka_unit_test(test_inflate_ops_any_feed),
        cmocka_unit_test(test_backends_agree_at_every_cut),
        cmocka_unit_test(test_reader_mem_same_as_file),
        cmocka_unit_test(test_isal_garbage_not_from_old_memory),
        cmocka_unit_test(test_backends_agree_on_damage),
        cmocka_unit_test(test_inputs_sorted_walk_and_markers),
        cmocka_unit_test(test_inputs_same_file_once),
        cmocka_unit_test(test_crc32_same_as_zlib),
    };
    int failed = cmocka_run_group_tests_name("zlib", tests, use_zlib, teardown);
    if (el_inflate_available(EL_INFLATE_ISAL))
        failed += cmocka_run_group_tests_name("isal", tests, use_isal, teardown);
    else
        printf("isal: not built in, its group is skipped\n");
    failed += cmocka_run_group_tests_name("backends", once, setup, teardown);
    return failed;
}

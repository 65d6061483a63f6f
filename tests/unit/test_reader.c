/* test_reader.c: the line reader over real files: plain and gzip,
 * concatenated members, truncated and corrupt streams, CRLF, NUL bytes, a
 * missing final newline, over-long lines, peeking, and the input walker's
 * ordering and marker detection. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cmocka.h>

#include "ingest.h"

static char tmpdir[256];
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
    struct el_reader_opts o = { .max_line = max_line };
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
    assert_int_equal(el_reader_open(p, NULL, &r), EL_OK);
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
    assert_int_equal(el_reader_open(p, NULL, &r), EL_OK);
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
        assert_int_equal(el_reader_open(p, NULL, &r), EL_OK);
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
    assert_int_equal(el_reader_open(p, NULL, &r), EL_OK);
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

/* Threaded reading (inflate on the reader's own thread) gives exactly the
 * lines, line numbers and end codes of the plain reader, over many blocks,
 * long-line skips, several members and a truncated tail. */
static void test_reader_threaded_same_as_plain(void **state)
{
    (void)state;
    size_t cap = 6u << 20, tn = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    for (unsigned i = 0; tn + 300 < cap; i++) {
        if (i % 9973 == 0) {
            memset(text + tn, 'L', 250); /* over the 200-byte cap below */
            tn += 250;
            text[tn++] = '\n';
        }
        tn += (size_t)snprintf(text + tn, cap - tn, "%u %x %s\n", i, i * 2654435761u,
                               i % 3 ? "abc" : "d\re");
    }
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
        struct el_reader_opts plain = { .max_line = 200 }, thr = { .max_line = 200, .threaded = true };
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
    struct el_reader_opts thr = { .threaded = true };
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
    struct el_reader_opts o = { .max_line = 100 };
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
    struct el_reader_opts o = { .max_line = 1024 };
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

static void test_inputs_sorted_walk_and_markers(void **state)
{
    (void)state;
    char root[300], sub[320], p[400];
    snprintf(root, sizeof(root), "%s/walk", tmpdir);
    assert_int_equal(mkdir(root, 0755), 0);
    snprintf(sub, sizeof(sub), "%s/b", root);
    assert_int_equal(mkdir(sub, 0755), 0);
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
        size_t pl = strlen(L.v[i].path), sl = strlen(want[i].suffix);
        if (pl < sl || strcmp(L.v[i].path + pl - sl, want[i].suffix) != 0 ||
            L.v[i].kind != want[i].kind)
            fail_msg("entry %zu: '%s' kind %d, want '*%s' kind %d", i, L.v[i].path,
                     L.v[i].kind, want[i].suffix, want[i].kind);
    }
    assert_int_equal(L.v[0].size, 2);
    el_inputs_free(&L);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reader_plain_lines),
        cmocka_unit_test(test_reader_nul_bytes_kept),
        cmocka_unit_test(test_reader_gzip_and_members),
        cmocka_unit_test(test_reader_plain_not_gzip_by_name),
        cmocka_unit_test(test_reader_truncated_gzip),
        cmocka_unit_test(test_reader_corrupt_gzip),
        cmocka_unit_test(test_reader_double_gzip),
        cmocka_unit_test(test_reader_threaded_same_as_plain),
        cmocka_unit_test(test_reader_corrupt_mid_stream_keeps_prefix),
        cmocka_unit_test(test_reader_long_lines_skipped),
        cmocka_unit_test(test_reader_huge_line_bounded),
        cmocka_unit_test(test_reader_empty_and_missing),
        cmocka_unit_test(test_inputs_sorted_walk_and_markers),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

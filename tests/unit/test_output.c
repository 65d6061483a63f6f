/* test_output.c: the encoders on hand-made rows: CSV quoting (RFC 4180),
 * JSON types and escaping, table alignment, and absent values in each. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "output.h"

static const char *const cols[] = { "name", "count", "note" };

static struct el_cell str(const char *s)
{
    return (struct el_cell){ EL_CELL_STR, { s, strlen(s) } };
}
static struct el_cell num(const char *s)
{
    return (struct el_cell){ EL_CELL_NUM, { s, strlen(s) } };
}
static const struct el_cell null_cell = { EL_CELL_NULL, { NULL, 0 } };

/* Encodes rows with the named encoder and returns what it wrote. */
static const char *encode_with(const struct el_output_ops *ops, const struct el_cell (*rows)[3],
                               size_t n)
{
    static char out[4096];
    FILE *f = tmpfile();
    assert_non_null(f);
    struct el_out *o;
    assert_int_equal(el_out_create(ops, f, &o), EL_OK);
    assert_int_equal(el_out_begin(o, cols, 3), EL_OK);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(el_out_row(o, rows[i]), EL_OK);
    assert_int_equal(el_out_end(o), EL_OK);
    el_out_destroy(o);
    rewind(f);
    size_t got = fread(out, 1, sizeof(out) - 1, f);
    out[got] = '\0';
    fclose(f);
    return out;
}

static const char *encode(const char *fmt, const struct el_cell (*rows)[3], size_t n)
{
    return encode_with(el_output_find(fmt), rows, n);
}

static void test_csv_quoting(void **state)
{
    (void)state;
    const struct el_cell rows[][3] = {
        { str("plain"), num("1"), null_cell },
        { str("a,b"), num("22"), str("say \"hi\"") },
        { str("line\nbreak"), num("3.500"), str(" edge ") },
        { str("cr\rx"), null_cell, str("") },
    };
    assert_string_equal(encode("csv", rows, 4),
                        "name,count,note\n"
                        "plain,1,\n"
                        "\"a,b\",22,\"say \"\"hi\"\"\"\n"
                        "\"line\nbreak\",3.500,\" edge \"\n"
                        "\"cr\rx\",,\n");
}

/* OWASP CSV injection: text cells that a spreadsheet would run as a
 * formula get a leading quote; numbers edgelog wrote (a negative
 * difference) stay numbers; --csv-raw's encoder writes cells as they are. */
static void test_csv_neutralises_formulas(void **state)
{
    (void)state;
    const struct el_cell rows[][3] = {
        { str("=cmd|'/C calc'!A0"), num("-2.000"), str("+SUM(1,2)") },
        { str("-2+3"), num("1"), str("@SUM(A1)") },
        { str("\t=tab"), null_cell, str("\r=cr") },
        { str("a=b"), num("+1"), str("'quoted") },
    };
    assert_string_equal(encode("csv", rows, 4),
                        "name,count,note\n"
                        "'=cmd|'/C calc'!A0,-2.000,\"'+SUM(1,2)\"\n"
                        "'-2+3,1,'@SUM(A1)\n"
                        "'\t=tab,,\"'\r=cr\"\n"
                        "a=b,+1,'quoted\n");
    assert_string_equal(encode_with(&el_output_csv_raw, rows, 1),
                        "name,count,note\n"
                        "=cmd|'/C calc'!A0,-2.000,\"+SUM(1,2)\"\n");
}

/* Log fields are bytes: JSON output stays valid UTF-8 whatever they hold. */
static void test_json_bytes_not_utf8(void **state)
{
    (void)state;
    const struct el_cell rows[][3] = {
        { { EL_CELL_STR, { "a\0b", 3 } }, num("1"), str("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80") },
        { str("\xff\xfe \xc0\xaf \xed\xa0\x80 \xf4\x90\x80\x80 \xe2\x82"), num("2"),
          str("\x01\x1f\x7f") },
    };
    assert_string_equal(encode("jsonl", rows, 2),
                        "{\"name\":\"a\\u0000b\",\"count\":1,"
                        "\"note\":\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"}\n"
                        "{\"name\":\"\\ufffd\\ufffd \\ufffd\\ufffd \\ufffd\\ufffd\\ufffd "
                        "\\ufffd\\ufffd\\ufffd\\ufffd \\ufffd\\ufffd\",\"count\":2,"
                        "\"note\":\"\\u0001\\u001f\\u007f\"}\n");
}

static void test_json_types(void **state)
{
    (void)state;
    const struct el_cell rows[][3] = {
        { str("q\"b\\s"), num("18446744073709551615"), null_cell },
        { str("tab\there"), num("0.001"), str("ok") },
    };
    assert_string_equal(encode("json", rows, 2),
                        "[\n"
                        "{\"name\":\"q\\\"b\\\\s\",\"count\":18446744073709551615,\"note\":null},\n"
                        "{\"name\":\"tab\\there\",\"count\":0.001,\"note\":\"ok\"}\n"
                        "]\n");
    assert_string_equal(encode("json", rows, 0), "[]\n");
    assert_string_equal(encode("jsonl", rows, 2),
                        "{\"name\":\"q\\\"b\\\\s\",\"count\":18446744073709551615,\"note\":null}\n"
                        "{\"name\":\"tab\\there\",\"count\":0.001,\"note\":\"ok\"}\n");
}

static void test_table_alignment(void **state)
{
    (void)state;
    const struct el_cell rows[][3] = {
        { str("alpha"), num("1"), null_cell },
        { null_cell, num("12345"), str("esc\033[2Jx") },
    };
    assert_string_equal(encode("table", rows, 2),
                        "name   count  note\n"
                        "alpha      1  -\n"
                        "-      12345  esc?[2Jx\n");
}

static void test_write_error_reported(void **state)
{
    (void)state;
    FILE *f = fopen("/dev/full", "w");
    if (!f)
        skip();
    setvbuf(f, NULL, _IONBF, 0);
    struct el_out *o;
    assert_int_equal(el_out_create(&el_output_csv, f, &o), EL_OK);
    enum el_err rc = el_out_begin(o, cols, 3);
    if (rc == EL_OK)
        rc = el_out_end(o);
    assert_int_equal(rc, EL_ERR_IO);
    el_out_destroy(o);
    fclose(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_quoting),
        cmocka_unit_test(test_csv_neutralises_formulas),
        cmocka_unit_test(test_json_bytes_not_utf8),
        cmocka_unit_test(test_json_types),
        cmocka_unit_test(test_table_alignment),
        cmocka_unit_test(test_write_error_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

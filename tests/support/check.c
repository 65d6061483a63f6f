/* check.c: checks and parser drivers shared by the parser unit tests (see
 * check.h). Messages start "case '<row>':" like the tests' own, so a failing
 * table row reads the same whichever file printed it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "check.h"
#include "guard.h"

const char check_absent[] = "(absent)";

int check_str(const char *row, const char *field, struct el_str got, const char *want)
{
    if (!want)
        return 0;
    if (want == ABSENT) {
        if (got.n == 0)
            return 0;
        print_error("case '%s': %s = '%.*s', want absent\n", row, field, (int)got.n, got.p);
        return 1;
    }
    size_t wn = strlen(want);
    if (got.n == wn && memcmp(got.p, want, wn) == 0)
        return 0;
    print_error("case '%s': %s = '%.*s' (%zu bytes), want '%s' (%zu bytes)\n", row, field,
                (int)got.n, got.p ? got.p : "", got.n, want, wn);
    return 1;
}

int check_i64(const char *row, const char *field, int64_t got, int64_t want)
{
    if (got == want)
        return 0;
    print_error("case '%s': %s = %lld, want %lld\n", row, field, (long long)got,
                (long long)want);
    return 1;
}

int check_numbers(const char *row, const struct el_record *got, const struct el_record *want)
{
    const struct {
        uint32_t flag;
        const char *field;
        int64_t got, want;
    } nums[] = {
        { EL_REC_HAS_TIME, "time_us", got->time_us, want->time_us },
        { EL_REC_HAS_LATENCY, "latency_us", got->latency_us, want->latency_us },
        { EL_REC_HAS_BACKEND, "backend_us", got->backend_us, want->backend_us },
        { EL_REC_HAS_OVERHEAD, "overhead_us", got->overhead_us, want->overhead_us },
        { EL_REC_HAS_STATUS, "status", got->status, want->status },
        { EL_REC_HAS_BACKEND_STATUS, "backend_status", got->backend_status,
          want->backend_status },
        { EL_REC_HAS_CLIENT_PORT, "client_port", got->client_port, want->client_port },
        { EL_REC_HAS_BYTES_IN, "bytes_in", (int64_t)got->bytes_in, (int64_t)want->bytes_in },
        { EL_REC_HAS_BYTES_OUT, "bytes_out", (int64_t)got->bytes_out, (int64_t)want->bytes_out },
    };
    int bad = 0;

    if (got->flags != want->flags) {
        print_error("case '%s': flags = 0x%x, want 0x%x\n", row, (unsigned)got->flags,
                    (unsigned)want->flags);
        bad++;
    }
    for (size_t i = 0; i < EL_ARRAY_LEN(nums); i++)
        if (want->flags & nums[i].flag)
            bad += check_i64(row, nums[i].field, nums[i].got, nums[i].want);
    return bad;
}

int check_rc(const char *row, enum el_err got, enum el_err want, const struct el_diag *diag)
{
    if (got == want)
        return 0;
    print_error("case '%s': rc %s, want %s (diag: %s, field %u, offset %u)\n", row,
                el_strerror(got), el_strerror(want), diag->what ? diag->what : "-",
                (unsigned)diag->field, (unsigned)diag->offset);
    return 1;
}

int check_diag(const char *row, enum el_err rc, const struct el_diag *diag,
               const char *want_what, size_t len)
{
    int bad = 0;

    if (diag->code != rc) {
        print_error("case '%s': diag.code %s, want %s\n", row, el_strerror(diag->code),
                    el_strerror(rc));
        bad++;
    }
    if (!diag->what) {
        print_error("case '%s': diag.what is NULL\n", row);
        return bad + 1;
    }
    if (want_what && strcmp(diag->what, want_what) != 0) {
        print_error("case '%s': diag.what '%s', want '%s'\n", row, diag->what, want_what);
        bad++;
    }
    if (diag->offset > len) {
        print_error("case '%s': diag.offset %u past the line (%zu)\n", row,
                    (unsigned)diag->offset, len);
        bad++;
    }
    return bad;
}

int check_parser_setup(const struct el_parser_ops *ops, void **state)
{
    struct el_parser *p = NULL;
    if (ops->create(&p) != EL_OK || !p)
        return -1;
    *state = p;
    return 0;
}

enum el_err check_parse(const struct el_parser_ops *ops, struct el_parser *p, const char *s,
                        size_t n, struct el_record *rec, struct el_diag *diag)
{
    const char *line = guard_copy(s, n);
    *diag = (struct el_diag){ 0 };
    return ops->parse(p, line, n, rec, diag);
}

int check_sniff(const char *row, const struct el_parser_ops *ops, const char *line, int min,
                int max)
{
    struct el_str l = { NULL, 0 };
    size_t n = 0;

    if (line) {
        l.n = strlen(line);
        l.p = guard_copy(line, l.n);
        n = 1;
    }
    int score = ops->sniff(&l, n);
    if (score >= min && score <= max)
        return 0;
    print_error("case '%s': sniff %d, want %d..%d\n", row, score, min, max);
    return 1;
}

void check_create_nomem(const struct el_parser_ops *ops, unsigned nallocs)
{
    for (uint64_t k = 1; k <= nallocs; k++) {
        struct el_parser *p = (struct el_parser *)&k; /* must stay untouched */
        el_mem_fail_after(k);
        enum el_err rc = ops->create(&p);
        el_mem_fail_after(0);
        if (rc != EL_ERR_NOMEM || p != (struct el_parser *)&k)
            fail_msg("%s: failing allocation %llu: rc %s, out %s", ops->name,
                     (unsigned long long)k, el_strerror(rc),
                     p == (struct el_parser *)&k ? "untouched" : "written");
    }
    ops->destroy(NULL);
}

char *check_repeat(const char *head, const char *unit, size_t reps, const char *tail,
                   size_t *len)
{
    size_t hn = strlen(head), un = strlen(unit), tn = strlen(tail);
    size_t n = hn + un * reps + tn;
    char *s = malloc(n);
    assert_non_null(s);
    memcpy(s, head, hn);
    for (size_t i = 0; i < reps; i++)
        memcpy(s + hn + i * un, unit, un);
    memcpy(s + hn + un * reps, tail, tn);
    *len = n;
    return s;
}

uint64_t check_splitmix(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

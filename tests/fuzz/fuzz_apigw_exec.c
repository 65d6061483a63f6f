/* fuzz_apigw_exec.c: the API Gateway execution-log correlator over any
 * sequence of lines. Each line is parsed, then every complete request is
 * drained; at the end finish() closes what is still open and the rest is
 * drained. A first line "@events GROUP" feeds the lines after it as
 * CloudWatch Logs events of log group GROUP instead (the subscription
 * path), one millisecond apart.
 *
 * Invariants: records are valid (fuzz_record.h), a request needs at least
 * one line so there are never more records than lines, and after the
 * final drain nothing more comes out. */
#include "fuzz_record.h"

struct exec_run {
    struct el_parser *ps;
    bool events, started; /* started: past the first line */
    struct el_str group;
    int64_t t_us;
    size_t lines, records;
};

static void drain(struct exec_run *x)
{
    struct el_record rec;
    struct el_diag diag;
    for (;;) {
        memset(&rec, 0, sizeof(rec));
        memset(&diag, 0, sizeof(diag));
        enum el_err rc = el_parser_apigw_exec.drain(x->ps, &rec, &diag);
        if (rc == EL_DONE)
            return;
        FUZZ_CHECK(rc == EL_OK, "drain returned neither a record nor the end");
        fuzz_check_record(&rec, NULL, 0);
        FUZZ_CHECK(rec.src == EL_SRC_APIGW_REST, "execution logs are REST APIs");
        x->records++;
        FUZZ_CHECK(x->records <= x->lines, "more requests than lines");
    }
}

static void exec_line(const char *line, size_t len, void *arg)
{
    struct exec_run *x = arg;
    struct el_record rec;
    struct el_diag diag;
    memset(&rec, 0, sizeof(rec));
    memset(&diag, 0, sizeof(diag));
    bool first = !x->started;
    x->started = true;
    if (first && len >= 8 && memcmp(line, "@events ", 8) == 0) {
        x->events = true;
        char *g = fuzz_dup(line + 8, len - 8); /* kept until the end of the run */
        x->group = (struct el_str){ g, len - 8 };
        return;
    }
    x->lines++;
    enum el_err rc;
    if (x->events) {
        struct el_event ev = { .message = { line, len }, .time_us = x->t_us,
                               .log_group = x->group, .log_stream = EL_STR_LIT("stream") };
        x->t_us += 1000;
        rc = el_parser_apigw_exec.parse_event(x->ps, &ev, &rec, &diag);
    } else {
        rc = el_parser_apigw_exec.parse(x->ps, line, len, &rec, &diag);
    }
    fuzz_check_diag(rc, &diag, len);
    if (rc == EL_OK) {
        fuzz_check_record(&rec, line, len);
        x->records++;
    }
    drain(x);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct exec_run x = { .t_us = 1773162000000000 };
    FUZZ_CHECK(el_parser_apigw_exec.create(&x.ps) == EL_OK, "parser create");
    fuzz_each_line(data, size, exec_line, &x);
    el_parser_apigw_exec.finish(x.ps);
    drain(&x);
    struct el_record rec;
    struct el_diag diag;
    FUZZ_CHECK(el_parser_apigw_exec.drain(x.ps, &rec, &diag) == EL_DONE,
               "records after the final drain");
    el_parser_apigw_exec.destroy(x.ps);
    free((void *)(uintptr_t)x.group.p);
    return 0;
}

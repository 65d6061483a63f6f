/* fuzz_lines.h: one line parser over the lines of an input.
 *
 * The input is split at '\n'; each line (a heap copy of exactly its
 * length) goes through parse() and, when the format has one, through
 * parse_event() as the message of a CloudWatch Logs event, on one parser
 * state, so the state carried between lines (time caches, scratch) is
 * exercised too. The first lines also go through every sniffer. */
#ifndef EL_FUZZ_LINES_H
#define EL_FUZZ_LINES_H

#include "fuzz_record.h"

struct line_run {
    const struct el_parser_ops *ops;
    struct el_parser *ps;
    struct el_str group;
};

static void line_one(const char *line, size_t len, void *arg)
{
    struct line_run *lr = arg;
    struct el_record rec;
    struct el_diag diag;

    memset(&rec, 0, sizeof(rec));
    memset(&diag, 0, sizeof(diag));
    enum el_err rc = lr->ops->parse(lr->ps, line, len, &rec, &diag);
    fuzz_check_diag(rc, &diag, len);
    if (rc == EL_OK)
        fuzz_check_record(&rec, line, len);

    if (lr->ops->parse_event) {
        struct el_event ev = { .message = { line, len }, .time_us = 1773162000000000,
                               .log_group = lr->group, .log_stream = EL_STR_LIT("s") };
        memset(&rec, 0, sizeof(rec));
        memset(&diag, 0, sizeof(diag));
        rc = lr->ops->parse_event(lr->ps, &ev, &rec, &diag);
        fuzz_check_diag(rc, &diag, len);
        if (rc == EL_OK)
            fuzz_check_record(&rec, line, len);
    }
}

static inline void fuzz_sniff_all(const uint8_t *data, size_t size)
{
    struct el_str lines[16];
    size_t n = 0, at = 0;
    while (at < size && n < EL_ARRAY_LEN(lines)) {
        const uint8_t *nl = memchr(data + at, '\n', size - at);
        size_t len = nl ? (size_t)(nl - (data + at)) : size - at;
        lines[n++] = (struct el_str){ (const char *)data + at, len };
        at += len + 1;
    }
    size_t np;
    const struct el_parser_ops *const *all = el_parsers_all(&np);
    for (size_t i = 0; i < np; i++) {
        int c = all[i]->sniff(lines, n);
        FUZZ_CHECK(c >= 0 && c <= 100, "sniff confidence out of 0..100");
    }
    (void)el_parser_sniff(lines, n);
}

static inline int fuzz_line_parser(const struct el_parser_ops *ops, struct el_str group,
                                   const uint8_t *data, size_t size)
{
    struct line_run lr = { .ops = ops, .group = group };
    FUZZ_CHECK(ops->create(&lr.ps) == EL_OK, "parser create");
    fuzz_sniff_all(data, size);
    fuzz_each_line(data, size, line_one, &lr);
    ops->destroy(lr.ps);
    return 0;
}

#endif /* EL_FUZZ_LINES_H */

/* fuzz_cwl.c: the CloudWatch Logs envelope reader (subscription and
 * Firehose deliveries) over arbitrary bytes, gzip or plain, as the
 * pipeline reads it: peek, sniff, then events one by one, each handed to
 * the two parsers that take events. Half the inputs run with a small
 * envelope cap, so over-large envelopes are skipped.
 *
 * Invariants: event views are readable and the message is never empty
 * with a NULL pointer; a record made from an event is valid; the reader
 * ends (EL_DONE or an error) within a bounded number of calls, and after
 * the end only the end comes. */
#include "ingest.h"
#include "ingest_int.h"
#include "fuzz_record.h"

static void feed(const struct el_parser_ops *ops, struct el_parser *ps, const struct el_event *ev)
{
    struct el_record rec;
    struct el_diag diag;
    memset(&rec, 0, sizeof(rec));
    memset(&diag, 0, sizeof(diag));
    enum el_err rc = ops->parse_event(ps, ev, &rec, &diag);
    fuzz_check_diag(rc, &diag, ev->message.n);
    if (rc == EL_OK)
        fuzz_check_record(&rec, ev->message.p, ev->message.n);
    if (ops->drain) {
        while ((rc = ops->drain(ps, &rec, &diag)) == EL_OK)
            fuzz_check_record(&rec, NULL, 0);
        FUZZ_CHECK(rc == EL_DONE, "drain");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint32_t h = fuzz_hash(data, size);
    struct el_reader_opts o = {
        .inflate = el_inflate_available(EL_INFLATE_ISAL) && (h & 2) ? EL_INFLATE_ISAL
                                                                    : EL_INFLATE_ZLIB
    };
    struct el_reader *r;
    FUZZ_CHECK(el_reader_open_mem(data, size, &o, &r) == EL_OK, "open");
    el_reader_set_mem_chunk(r, (h >> 8) & 1 ? 1 + (h >> 9) % 97 : 0);
    struct el_str head;
    if (el_reader_peek(r, 4096, &head) == EL_OK)
        (void)el_cwl_sniff(head);

    struct el_cwl *c;
    size_t cap = h & 1 ? 64 + (h >> 16) % 2048 : 0;
    FUZZ_CHECK(el_cwl_create(r, cap, &c) == EL_OK, "create");
    struct el_parser *exec, *access;
    FUZZ_CHECK(el_parser_apigw_exec.create(&exec) == EL_OK, "exec parser");
    FUZZ_CHECK(el_parser_apigw_access.create(&access) == EL_OK, "access parser");

    struct el_event ev;
    struct el_diag diag;
    enum el_err rc;
    size_t calls = 0;
    for (;;) {
        memset(&ev, 0, sizeof(ev));
        memset(&diag, 0, sizeof(diag));
        rc = el_cwl_next(c, &ev, &diag);
        FUZZ_CHECK(++calls <= size + 16, "more results than input bytes");
        if (rc == EL_OK) {
            fuzz_check_view(ev.message, NULL, 0);
            fuzz_check_view(ev.log_group, NULL, 0);
            fuzz_check_view(ev.log_stream, NULL, 0);
            feed(&el_parser_apigw_exec, exec, &ev);
            feed(&el_parser_apigw_access, access, &ev);
            continue;
        }
        if (rc == EL_SKIP || rc == EL_ERR_PARSE) {
            FUZZ_CHECK(diag.what != NULL, "skip or reject without a reason");
            continue;
        }
        break;
    }
    FUZZ_CHECK(rc == EL_DONE || rc == EL_ERR_GZIP || rc == EL_ERR_IO || rc == EL_ERR_NOMEM,
               "an unexpected end code");
    FUZZ_CHECK(el_cwl_next(c, &ev, &diag) == EL_DONE, "a result after the end");

    el_parser_apigw_exec.finish(exec);
    struct el_record rec;
    while (el_parser_apigw_exec.drain(exec, &rec, &diag) == EL_OK)
        fuzz_check_record(&rec, NULL, 0);
    el_parser_apigw_exec.destroy(exec);
    el_parser_apigw_access.destroy(access);
    el_cwl_destroy(c);
    el_reader_close(r);
    return 0;
}

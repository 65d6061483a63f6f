/* fuzz_record.h: the invariants of a parsed record (parsers.h,
 * docs/RECORD.md), checked by every target that parses lines. */
#ifndef EL_FUZZ_RECORD_H
#define EL_FUZZ_RECORD_H

#include "analysis.h"
#include "fuzz.h"

static inline void fuzz_check_record(const struct el_record *r, const char *line, size_t len)
{
    const struct el_str views[] = {
        r->request_id, r->trace_id,     r->conn_id, r->client_ip,    r->method,
        r->scheme,     r->host,         r->path,    r->route,        r->protocol,
        r->error_reason, r->target,     r->target_group, r->user_agent, r->actions,
        r->type,
    };
    for (size_t i = 0; i < EL_ARRAY_LEN(views); i++)
        fuzz_check_view(views[i], line, len);
    FUZZ_CHECK(r->src > EL_SRC_UNKNOWN && r->src < EL_SRC_COUNT, "source out of range");
    FUZZ_CHECK(r->route_from <= EL_ROUTE_RULES, "route_from out of range");
    FUZZ_CHECK(r->features < (1u << EL_FEAT_COUNT), "unknown feature bits");
    FUZZ_CHECK(r->flags < (EL_REC_INCOMPLETE << 1), "unknown flag bits");
    /* absent values are cleared flags, never negative sentinels */
    if (el_rec_has(r, EL_REC_HAS_LATENCY))
        FUZZ_CHECK(r->latency_us >= 0, "negative latency");
    if (el_rec_has(r, EL_REC_HAS_BACKEND))
        FUZZ_CHECK(r->backend_us >= 0, "negative backend latency");
    FUZZ_CHECK(el_classify(r) < EL_EC_COUNT, "error class out of range");
    FUZZ_CHECK(el_error_class_name(el_classify(r)) != NULL, "no error class name");
}

/* A rejected or skipped line names its reason with a static string. */
static inline void fuzz_check_diag(enum el_err rc, const struct el_diag *d, size_t len)
{
    if (rc == EL_SKIP || rc >= EL_ERR_NOMEM) {
        FUZZ_CHECK(d->what != NULL, "diag without a reason");
        (void)strlen(d->what);
    }
    if (rc >= EL_ERR_NOMEM && d->offset != UINT32_MAX)
        FUZZ_CHECK(d->offset <= len, "diag offset past the line");
}

#endif /* EL_FUZZ_RECORD_H */

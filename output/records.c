/* records.c: the normalized records themselves, one row per request, with
 * the field names of docs/RECORD.md. Streams: nothing is buffered beyond the
 * encoder's own FILE buffer. */
#include <stdio.h>
#include <string.h>

#include "output_int.h"

static const char *const cols[] = {
    "source", "time", "request_id", "trace_id", "conn_id", "client_ip", "client_port",
    "method", "scheme", "host", "path", "route", "protocol", "status", "backend_status",
    "latency_ms", "backend_ms", "overhead_ms", "bytes_in", "bytes_out", "error_class",
    "error_reason", "target", "target_group", "user_agent", "incomplete", "route_from",
    "features",
};
#define NCOLS EL_ARRAY_LEN(cols)

struct row {
    struct el_cell c[NCOLS];
    char buf[NCOLS][32];
    char feat[96]; /* every feature name joined by '+' fits */
    size_t k;
};

static void str(struct row *r, struct el_str s)
{
    r->c[r->k++] = s.n ? (struct el_cell){ EL_CELL_STR, s }
                             : (struct el_cell){ EL_CELL_NULL, { 0 } };
}

static void cstr(struct row *r, const char *s)
{
    str(r, (struct el_str){ s, strlen(s) });
}

static void num(struct row *r, bool have, uint64_t v)
{
    if (!have) {
        r->c[r->k++] = (struct el_cell){ EL_CELL_NULL, { 0 } };
        return;
    }
    int n = snprintf(r->buf[r->k], sizeof(r->buf[0]), "%llu", (unsigned long long)v);
    r->c[r->k] = (struct el_cell){ EL_CELL_NUM, { r->buf[r->k], (size_t)n } };
    r->k++;
}

static void ms(struct row *r, bool have, int64_t us)
{
    if (!have) {
        r->c[r->k++] = (struct el_cell){ EL_CELL_NULL, { 0 } };
        return;
    }
    size_t n = el_fmt_ms(us, r->buf[r->k]);
    r->c[r->k] = (struct el_cell){ EL_CELL_NUM, { r->buf[r->k], n } };
    r->k++;
}

/* "api_key+usage_plan": the feature names in bit order; absent when none. */
static void features(struct row *r, uint32_t f)
{
    size_t n = 0;
    for (unsigned b = 0; b < EL_FEAT_COUNT; b++) {
        const char *name = el_feature_name((enum el_rec_feature)(1u << b));
        size_t len = strlen(name);
        if (!(f & (1u << b)) || n + len + 1 > sizeof(r->feat))
            continue;
        if (n)
            r->feat[n++] = '+';
        memcpy(r->feat + n, name, len);
        n += len;
    }
    str(r, (struct el_str){ r->feat, n });
}

enum el_err el_report_records_begin(struct el_out *o)
{
    return el_out_begin(o, cols, NCOLS);
}

enum el_err el_report_records_row(struct el_out *o, const struct el_record *rec)
{
    struct row r = { .k = 0 };

    cstr(&r, el_src_name(rec->src));
    if (el_rec_has(rec, EL_REC_HAS_TIME)) {
        size_t n = el_fmt_iso8601_us(rec->time_us, r.buf[r.k]);
        r.c[r.k] = (struct el_cell){ EL_CELL_STR, { r.buf[r.k], n } };
        r.k++;
    } else {
        str(&r, (struct el_str){ 0 });
    }
    str(&r, rec->request_id);
    str(&r, rec->trace_id);
    str(&r, rec->conn_id);
    str(&r, rec->client_ip);
    num(&r, el_rec_has(rec, EL_REC_HAS_CLIENT_PORT), rec->client_port);
    str(&r, rec->method);
    str(&r, rec->scheme);
    str(&r, rec->host);
    str(&r, rec->path);
    str(&r, rec->route);
    str(&r, rec->protocol);
    num(&r, el_rec_has(rec, EL_REC_HAS_STATUS), rec->status);
    num(&r, el_rec_has(rec, EL_REC_HAS_BACKEND_STATUS), rec->backend_status);
    ms(&r, el_rec_has(rec, EL_REC_HAS_LATENCY), rec->latency_us);
    ms(&r, el_rec_has(rec, EL_REC_HAS_BACKEND), rec->backend_us);
    ms(&r, el_rec_has(rec, EL_REC_HAS_OVERHEAD), rec->overhead_us);
    num(&r, el_rec_has(rec, EL_REC_HAS_BYTES_IN), rec->bytes_in);
    num(&r, el_rec_has(rec, EL_REC_HAS_BYTES_OUT), rec->bytes_out);
    cstr(&r, el_error_class_name(el_classify(rec)));
    str(&r, rec->error_reason);
    str(&r, rec->target);
    str(&r, rec->target_group);
    str(&r, rec->user_agent);
    if (rec->flags & EL_REC_INCOMPLETE)
        r.c[r.k++] = (struct el_cell){ EL_CELL_NUM, EL_STR_LIT("true") };
    else
        str(&r, (struct el_str){ 0 });
    cstr(&r, el_route_from_name(rec->route_from));
    features(&r, rec->features);
    return el_out_row(o, r.c);
}

/* gen_apigw.h: what the three files of el_gen_apigw share (not a public
 * API): a planned request, the generator's state and the calls between
 * the model (gen_apigw.c), the log text (gen_apigw_text.c) and the line
 * queue and output layouts (gen_apigw_out.c).
 *
 * A request is planned once, completely, in struct el_ag_req; the text
 * writers only read it, so each format says the same thing about it.
 */
#ifndef EL_BENCH_GEN_APIGW_H
#define EL_BENCH_GEN_APIGW_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "genlib.h"
#include "gzwriter.h"

#define EL_AG_PROG "el_gen_apigw"
#define EL_AG_LINE_CAP 8192            /* longest message built, with margin */
#define EL_AG_MAX_STREAMS 64
#define EL_AG_INTEGRATION_TIMEOUT_MS 29000

/* What a request turns into: the workload's outcome, as API Gateway
 * surfaces it. */
enum el_ag_kind {
    EL_AG_OK,
    EL_AG_FN_4XX,            /* the function answered 4xx */
    EL_AG_FN_500,            /* the function answered statusCode 500 */
    EL_AG_FN_ERROR,          /* the function threw: X-Amz-Function-Error, 502 */
    EL_AG_PROXY_ERROR,       /* malformed Lambda proxy response, 502 */
    EL_AG_TIMEOUT,           /* no answer within 29 s, 504 */
    EL_AG_THROTTLED,         /* stage/key throttle, 429 before anything runs */
    EL_AG_UNAUTHORIZED,      /* the authorizer refused the token, 401 */
    EL_AG_KIND_COUNT
};

enum el_ag_fmt { EL_AG_EXEC, EL_AG_ACCESS_REST, EL_AG_ACCESS_HTTP, EL_AG_FIREHOSE };

struct el_ag_req {
    uint64_t i;
    enum el_ag_kind kind;
    const struct el_wl_route *rt;
    unsigned status;
    unsigned stream;
    int64_t t0;                    /* ms: first line, request received */
    int64_t auth_ms;               /* authorizer (bearer routes) */
    int64_t t_send;                /* ms: "Sending request to" */
    int64_t int_ms;                /* integration latency, -1: no answer */
    int64_t t_done;                /* ms: "Method completed" */
    uint64_t resp_len, req_len;
    bool trace, old_form, bearer;
    const char *error;             /* function error text */
    struct el_client cl;
    char id[37], ext[17], lambda_id[37], xray[36], http_id[17];
    char path[256];                /* concrete path, no query */
    char query[512];               /* decoded "k=v, k=v" or "" */
    char tmpl[128];                /* API resource: /v1/products/{id} */
    char param[80];                /* "id=123", "" for none */
    char ua[512];                  /* raw User-Agent, "" for none */
    char ip[48];
};

/* Lines wait here until no later request can write an earlier one. */
struct el_ag_pending {
    char *buf;
    size_t len, cap;
    unsigned left;                 /* lines not written yet */
    unsigned stream;
    struct el_ag_pending *next_free;
};

struct el_ag_hent {
    int64_t ts;                    /* ms */
    uint64_t seq;                  /* request index << 8 | line number */
    uint32_t off, len;
    struct el_ag_pending *pd;
};

struct el_ag_stream {
    char name[33];
    unsigned part;
    uint64_t part_lines;
    bool open;
    struct el_gzwriter w;
    /* firehose: the envelope being filled */
    char *env;
    size_t env_len, env_cap;
    unsigned env_events;
    int64_t env_first;
    uint64_t env_seq;
};

struct el_ag_opts {
    struct el_gen_common c;        /* seed, span, --out, gzip, --showcase, --stats */
    uint64_t requests;
    const char *truth;
    enum el_ag_fmt fmt;
    bool export_layout;
    unsigned streams;
    uint64_t part_lines;
};

struct el_ag_gen {
    const struct el_ag_opts *o;
    struct el_model model;
    struct el_curve curve;
    struct el_datecache dc;
    /* the API's routes: Lambda routes of the api host */
    const struct el_wl_route *routes[EL_WL_NROUTES];
    uint64_t route_cum[EL_WL_NROUTES];
    size_t nroutes;
    uint64_t route_total;
    /* bursts: start time and client of the current one */
    int64_t burst_t;
    uint64_t burst_client;
    /* output */
    struct el_ag_hent *heap;
    size_t nheap, heap_cap;
    struct el_ag_pending *free_pd;
    struct el_ag_stream *streams;
    unsigned nstreams;
    uint32_t stream_cum[EL_AG_MAX_STREAMS];
    char task[37];
    char export_dir[4096];
    struct el_gzwriter obj;        /* single file, or the current Firehose object */
    bool obj_open;
    int64_t obj_window;
    int64_t event_window;          /* window of the latest Firehose event */
    bool control_written;
    char *line, *out;              /* scratch: one message, one output line */
    FILE *truth;
    /* counts */
    uint64_t kind_count[EL_AG_KIND_COUNT];
    uint64_t lines, envelopes, files;
    uint64_t raw, packed;
};

/* gen_apigw_text.c: queues the lines of request q (an execution log's
 * messages, or one access-log JSON line) into pd; 0 or -1 (no memory). */
int el_ag_render_exec(struct el_ag_gen *g, struct el_ag_pending *pd, const struct el_ag_req *q);
int el_ag_render_access(struct el_ag_gen *g, struct el_ag_pending *pd, const struct el_ag_req *q);

/* The error reason a reader finds for q in g's format ("" for none): the
 * names edgelog gives execution-log failures, the gateway response type or
 * error message of an access log. */
const char *el_ag_reason(const struct el_ag_gen *g, const struct el_ag_req *q);

/* gen_apigw_out.c: the line queue and the layouts. */
int el_ag_output_open(struct el_ag_gen *g);
/* Flushes and closes every file; 0 or -1. */
int el_ag_output_close(struct el_ag_gen *g);
/* Frees the queue's memory (after el_ag_output_close). */
void el_ag_output_free(struct el_ag_gen *g);
/* A buffer for one request's lines, bound for log stream `stream`. */
struct el_ag_pending *el_ag_pending_get(struct el_ag_gen *g, unsigned stream);
/* Gives back a buffer none of whose lines are queued. */
void el_ag_pending_put(struct el_ag_gen *g, struct el_ag_pending *pd);
/* Queues message msg[0..n) of request q at time ts (ms); 0 or -1. */
int el_ag_queue_line(struct el_ag_gen *g, struct el_ag_pending *pd, const struct el_ag_req *q,
                     int64_t ts, const char *msg, size_t n);
/* Writes every queued line earlier than bound (ms; INT64_MAX: all), in
 * (time, request, line) order; 0 or -1. */
int el_ag_drain(struct el_ag_gen *g, int64_t bound);

#endif /* EL_BENCH_GEN_APIGW_H */

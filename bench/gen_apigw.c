/* gen_apigw.c: deterministic generator of Amazon API Gateway logs for
 * benchmarks and sample fixtures, drawn from the same workload as gen_alb.c.
 *
 * The Lambda routes of api.shop.example (workload.h) sit behind a REST API
 * (stage prod) and an HTTP API ($default). Every request is a pure function
 * of the options and its index: its PRNG stream is seeded from the index and
 * its start time comes from the same stratified rate curve as the ALB lines,
 * so both generators describe the same traffic over the same minutes. The
 * workload's error rates are kept; only where a failure surfaces moves (a
 * bearer route's 401 comes from the gateway's authorizer, Lambda's throttle
 * share becomes the stage's 429s, a function that outlives the 29 s
 * integration timeout is a 504).
 *
 * Formats (reference log-formats.md sections 2-4):
 *   exec         REST execution log at INFO, "<ISO ms>Z (<id>) <message>";
 *                about 1 request in 12 also has data-trace lines. Requests
 *                interleave: clients fire bursts of calls, and lines are
 *                written in timestamp order.
 *   access-rest  one JSON line per request (REST variables)
 *   access-http  one JSON line per request (HTTP API: routeKey, $default)
 *   firehose     the exec events as CloudWatch subscription envelopes, each
 *                its own gzip member, the object gzipped again
 * Layouts: one file, or the CloudWatch CreateExportTask key layout
 * (exportedlogs/<task>/<stream>/000000.gz, numbered parts), or for firehose
 * Firehose's YYYY/MM/DD/HH/<stream>-1-<time>-<uuid> objects.
 *
 * --truth writes what each request is meant to be read as (status,
 * latencies, error reason and class), so that a reader can be checked line
 * by line (bench/check_apigw.sh).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen_apigw.h"

#define PROG EL_AG_PROG

/* How API Gateway was set up, per thousand requests: the share with data
 * trace logged (really a stage setting; mixed here so that one corpus
 * holds both shapes), the share written with the pre-2021 "Received
 * response." form, and the authorizer results served from its cache. */
#define TRACE_PERMIL      80
#define OLD_FORM_PERMIL   250
#define AUTH_CACHED_PERMIL 700
/* Clients fire bursts of calls (an app screen loads several resources):
 * a new burst starts at this share of requests; calls in a burst start
 * 0-24 ms apart. This is what makes requests interleave in a stream. */
#define BURST_START_PCT   45
#define BURST_GAP_MS      25

static const char *const kind_names[EL_AG_KIND_COUNT] = {
    "ok", "fn_4xx", "fn_500", "fn_error", "proxy_error", "timeout", "throttled", "unauthorized",
};

static const char *const fmt_names[] = { "exec", "access-rest", "access-http", "firehose" };

static const char *const fn_errors[] = {
    "TypeError: Cannot read properties of undefined (reading 'id')",
    "Error: connect ETIMEDOUT 10.0.42.17:5432",
    "Runtime.UnhandledPromiseRejection: Error: upstream answered 503",
    "KeyError: 'cart_id'",
};
#define PAYLOAD_ERROR "Response payload size exceeded maximum allowed payload size (6291556 bytes)"

/* Base64url-looking id of 15 characters and "=": API Gateway's extended
 * request id, and the HTTP API's request id. */
static char *put_b64_id(char *p, struct el_rng *r)
{
    static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

    for (int k = 0; k < 15; k++)
        *p++ = a[el_rng_below(r, 64)];
    *p++ = '=';
    return p;
}

/* ------------------------------------------------------------------ */
/* Planning a request                                                  */
/* ------------------------------------------------------------------ */

static bool api_route(const struct el_wl_route *rt)
{
    return rt->host == EL_WL_H_API && el_wl_tgs[rt->tg].port == 0 && rt->weight > 0;
}

static void routes_init(struct el_ag_gen *g)
{
    uint64_t acc = 0;

    for (size_t k = 0; k < EL_WL_NROUTES; k++) {
        if (!api_route(&el_wl_routes[k]))
            continue;
        acc += el_wl_routes[k].weight;
        g->routes[g->nroutes] = &el_wl_routes[k];
        g->route_cum[g->nroutes++] = acc;
    }
    g->route_total = acc;
}

/* A forced rare kind needs a route where it can happen (showcase). */
static const struct el_wl_route *route_with(const struct el_ag_gen *g, struct el_rng *r,
                                            unsigned need)
{
    const struct el_wl_route *cand[EL_WL_NROUTES];
    size_t n = 0;

    for (size_t k = 0; k < g->nroutes; k++)
        if ((g->routes[k]->flags & need) == need)
            cand[n++] = g->routes[k];
    return cand[el_rng_below(r, (uint32_t)n)];
}

/* The workload's error rates, surfaced as API Gateway surfaces them. */
static enum el_ag_kind draw_kind(const struct el_wl_route *rt, struct el_rng *r,
                                 unsigned *code, const char **error)
{
    uint32_t x = el_rng_below(r, 10000);

    *error = NULL;
    if (x < rt->err4_bp) {
        uint32_t y = el_rng_below(r, 1000);

        *code = rt->err4_code;
        if (y >= 600) {
            unsigned acc = 600;
            for (size_t k = 0; k < EL_ARRAY_LEN(el_wl_4xx_codes); k++) {
                *code = el_wl_4xx_codes[k];
                if (y < (acc += el_wl_4xx_permil[k]))
                    break;
            }
        }
        if (*code == 413)
            *code = 400;            /* a 10 MB REST payload is rare; the function says 400 */
        if (*code == 401 && (rt->flags & EL_WL_BEARER))
            return EL_AG_UNAUTHORIZED;
        return EL_AG_FN_4XX;
    }
    if (x >= (uint32_t)rt->err4_bp + rt->err5_bp)
        return EL_AG_OK;
    x = el_rng_below(r, 1000);
    if ((rt->flags & EL_WL_BIG_RESP) && x < 400) {
        *error = PAYLOAD_ERROR;     /* Lambda's 6 MB cap, reported as a function error */
        return EL_AG_FN_ERROR;
    }
    uint32_t lim = EL_WL_L5_FN500;
    if (x < lim)
        return EL_AG_FN_500;
    if (x < (lim += EL_WL_L5_UNHANDLED))
        return EL_AG_FN_ERROR;
    if (x < (lim += EL_WL_L5_TIMEOUT))
        return EL_AG_TIMEOUT;           /* the function's 30 s outlast the gateway's 29 */
    if (x < (lim += EL_WL_L5_INVALID))
        return EL_AG_PROXY_ERROR;
    if (x < (lim += EL_WL_L5_THROTTLE))
        return EL_AG_THROTTLED;
    if (x < (lim += EL_WL_L5_GATEWAY))
        return EL_AG_TIMEOUT;
    return EL_AG_FN_ERROR;
}

/* The API resource of a workload template: {n} is an {id} parameter and
 * {uuid} a {uuid} one, so API Gateway's route names read like the ALB's
 * templated paths and the two front ends line up in one summary. */
static void make_template(struct el_ag_req *q)
{
    char *p = q->tmpl;

    for (const char *s = q->rt->path; *s;) {
        if (strncmp(s, "{n}", 3) == 0) {
            p = EL_PUT_LIT(p, "{id}");
            s += 3;
        } else {
            *p++ = *s++;
        }
    }
    *p = '\0';
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Splits the client's URL into path and decoded query parameters, and
 * finds the value of the route's one path parameter. */
static void split_url(struct el_ag_req *q, const char *url, size_t n)
{
    const char *qm = memchr(url, '?', n);
    size_t pn = qm ? (size_t)(qm - url) : n;
    const char *t = q->rt->path;
    char *o;

    memcpy(q->path, url, pn);
    q->path[pn] = '\0';
    q->param[0] = '\0';
    /* segment by segment: where the template has {n} or {uuid} */
    for (const char *a = q->path, *b = t; *a && *b;) {
        const char *ae = strchr(a + 1, '/'), *be = strchr(b + 1, '/');
        size_t an = ae ? (size_t)(ae - a) : strlen(a), bn = be ? (size_t)(be - b) : strlen(b);

        if (bn > 1 && b[1] == '{') {
            o = q->param;
            o = b[2] == 'n' ? EL_PUT_LIT(o, "id=") : EL_PUT_LIT(o, "uuid=");
            o = el_put_mem(o, a + 1, an - 1);
            *o = '\0';
        }
        a += an;
        b += bn;
    }
    /* "k=v&k=v" -> "k=v, k=v": %XX decoded, '+' kept (API Gateway does not
     * turn it into a space), ALB's \xHH escapes back to raw bytes */
    o = q->query;
    if (qm) {
        char raw[512], *e = el_put_mem(raw, qm + 1, n - pn - 1);
        char dec[512], *d;

        *e = '\0';
        d = el_put_unescaped(dec, raw);
        for (const char *s = dec; s < d; s++) {
            int hi, lo;

            if (*s == '&') {
                o = EL_PUT_LIT(o, ", ");
            } else if (*s == '%' && s + 2 < d && (hi = hexval(s[1])) >= 0
                       && (lo = hexval(s[2])) >= 0) {
                *o++ = (char)(hi * 16 + lo);
                s += 2;
            } else {
                *o++ = *s;
            }
        }
    }
    *o = '\0';
}

/* Start of request i: a new burst starts on the rate curve, the other
 * calls of a burst follow a few ms apart. Called with i = 0, 1, 2, ... */
static int64_t request_start(struct el_ag_gen *g, uint64_t i, struct el_rng *r, bool *new_burst)
{
    uint64_t h = el_mix64(g->o->c.seed ^ 0xb0257ULL ^ el_mix64(i));

    *new_burst = i == 0 || h % 100 < BURST_START_PCT;
    if (*new_burst) {
        g->burst_t = el_curve_time(&g->curve, i, g->o->requests, el_rng_unit(r));
        g->burst_client = el_client_pick(r);
    } else {
        g->burst_t += (int64_t)((h >> 32) % BURST_GAP_MS) * 1000;
    }
    return g->burst_t;
}

static unsigned pick_stream(const struct el_ag_gen *g, uint64_t i)
{
    uint64_t h = el_mix64(g->o->c.seed ^ 0x57eaULL ^ el_mix64(i + 7));

    if (g->nstreams <= 1)
        return 0;
    return (unsigned)el_pick_cum32(g->stream_cum, g->nstreams,
                                   (uint32_t)(h % g->stream_cum[g->nstreams - 1]));
}

/* Decides everything about request i, and whether it opens a burst. */
static void plan(struct el_ag_gen *g, uint64_t i, struct el_ag_req *q, bool *new_burst)
{
    struct el_rng rr, *r = &rr;
    int64_t slot = -1;
    unsigned code = 0;
    char url[1024], *e;
    int64_t t_us;

    memset(q, 0, sizeof *q);
    q->i = i;
    el_rng_line(r, g->o->c.seed ^ 0xa9e7ULL, i);
    t_us = request_start(g, i, r, new_burst);
    q->t0 = el_floor_div(t_us, 1000);
    q->stream = pick_stream(g, i);

    /* showcase: two requests of every rare kind, evenly spread; the
     * second round also carries the user agents with quotes, backslashes
     * and UTF-8, which make access-log JSON invalid */
    if (g->o->c.showcase)
        slot = el_showcase_slot(i, g->o->requests, 2 * (EL_AG_KIND_COUNT - 1));
    q->rt = g->routes[el_pick_cum64(g->route_cum, g->nroutes, g->route_total, r)];
    q->kind = draw_kind(q->rt, r, &code, &q->error);
    if (slot >= 0) {
        q->kind = (enum el_ag_kind)(1 + slot % (EL_AG_KIND_COUNT - 1));
        if (q->kind == EL_AG_UNAUTHORIZED)
            q->rt = route_with(g, r, EL_WL_BEARER);
        code = q->rt->err4_code == 413 || (q->rt->err4_code == 401 && (q->rt->flags & EL_WL_BEARER))
             ? 404 : q->rt->err4_code;
        q->error = NULL;
    }
    q->bearer = (q->rt->flags & EL_WL_BEARER) != 0;
    if (q->kind == EL_AG_FN_ERROR && !q->error)
        q->error = fn_errors[el_rng_below(r, EL_ARRAY_LEN(fn_errors))];
    switch (q->kind) {
    case EL_AG_OK: q->status = q->rt->ok_status; break;
    case EL_AG_FN_4XX: q->status = code; break;
    case EL_AG_FN_500: q->status = 500; break;
    case EL_AG_FN_ERROR:
    case EL_AG_PROXY_ERROR: q->status = g->o->fmt == EL_AG_ACCESS_HTTP ? 500 : 502; break;
    case EL_AG_TIMEOUT: q->status = g->o->fmt == EL_AG_ACCESS_HTTP ? 503 : 504; break;
    case EL_AG_THROTTLED: q->status = 429; break;
    case EL_AG_UNAUTHORIZED: q->status = 401; break;
    default: break;
    }

    el_client_make(&g->model, g->o->c.seed, g->burst_client, false, &q->cl);
    if (slot >= 0 && slot >= EL_AG_KIND_COUNT - 1) {
        size_t n = 0, want = (size_t)slot;

        for (size_t k = 0; k < EL_ARRAY_LEN(el_wl_uas); k++)
            n += el_wl_uas[k].ua && strstr(el_wl_uas[k].ua, "\\x") != NULL;
        for (size_t k = 0, seen = 0; k < EL_ARRAY_LEN(el_wl_uas); k++)
            if (el_wl_uas[k].ua && strstr(el_wl_uas[k].ua, "\\x") && seen++ == want % n)
                q->cl.ua = el_wl_uas[k].ua;
    }
    e = q->cl.ua ? el_put_unescaped(q->ua, q->cl.ua) : q->ua;
    *e = '\0';
    e = el_put_client_addr(q->ip, &q->cl);
    *e = '\0';

    e = el_put_path(url, r, q->rt);
    make_template(q);
    split_url(q, url, (size_t)(e - url));

    e = el_put_uuid(q->id, r);
    *e = '\0';
    e = put_b64_id(q->ext, r);
    *e = '\0';
    e = put_b64_id(q->http_id, r);
    *e = '\0';
    e = el_put_uuid(q->lambda_id, r);
    *e = '\0';
    e = EL_PUT_LIT(q->xray, "1-");
    e = el_put_hex(e, (uint64_t)el_floor_div(q->t0, 1000), 8);
    *e++ = '-';
    e = el_put_rand_hex(e, r, 24);
    *e = '\0';

    q->trace = el_rng_below(r, 1000) < TRACE_PERMIL;
    q->old_form = el_rng_below(r, 1000) < OLD_FORM_PERMIL;
    if (q->rt->req_bytes)
        q->req_len = (uint64_t)el_rng_lognorm(r, q->rt->req_bytes,
                                              (q->rt->flags & EL_WL_BIG_REQ) ? 100 : 50, 2,
                                              EL_WL_LAMBDA_BODY_MAX - 1);
    switch (q->kind) {
    case EL_AG_OK:
        q->resp_len = q->rt->ok_status == 204 ? 0
                    : (uint64_t)el_rng_lognorm(r, q->rt->resp_bytes, 60, 2, 900000);
        break;
    case EL_AG_FN_4XX:
    case EL_AG_FN_500:
        q->resp_len = (uint64_t)el_rng_lognorm(r, 110, 40, 20, 2000);
        break;
    case EL_AG_THROTTLED:
        q->resp_len = 31;               /* {"message":"Too Many Requests"} */
        break;
    case EL_AG_UNAUTHORIZED:
        q->resp_len = 26;               /* {"message":"Unauthorized"} */
        break;
    case EL_AG_TIMEOUT:
        q->resp_len = g->o->fmt == EL_AG_ACCESS_HTTP ? 33 : 41;
        break;
    default:
        q->resp_len = g->o->fmt == EL_AG_ACCESS_HTTP ? 35 : 36; /* Internal [Ss]erver [Ee]rror */
        break;
    }

    /* gateway time before the call: authorizer, then a few ms, plus the
     * upload of a large body */
    q->auth_ms = 0;
    if (q->bearer && q->kind != EL_AG_THROTTLED)
        q->auth_ms = el_rng_below(r, 1000) < AUTH_CACHED_PERMIL
                   ? el_rng_below(r, 2) : el_rng_lognorm(r, 14, 50, 3, 3000);
    q->t_send = q->t0 + q->auth_ms + el_rng_below(r, 3);
    if (q->req_len > 4096)
        q->t_send += (int64_t)(q->req_len * 1000
                               / (uint64_t)el_rng_lognorm(r, 4e6, 80, 200000, 200000000));
    q->int_ms = -1;
    if (q->kind == EL_AG_OK || q->kind == EL_AG_FN_4XX || q->kind == EL_AG_FN_500
        || q->kind == EL_AG_FN_ERROR || q->kind == EL_AG_PROXY_ERROR) {
        double scale = q->kind == EL_AG_FN_4XX ? 0.6 : q->kind == EL_AG_FN_500 ? 1.6
                     : q->kind == EL_AG_OK ? 1.0 : 1.2;

        q->int_ms = el_rng_lognorm(r, q->rt->lat_ms * scale, q->rt->lat_sigma, 1,
                                   EL_AG_INTEGRATION_TIMEOUT_MS - 1);
        if (el_rng_below(r, 1000) < EL_WL_COLD_START_PERMIL)
            q->int_ms += el_rng_lognorm(r, EL_WL_COLD_START_MS, 40, 120, 6000);
        if (q->int_ms >= EL_AG_INTEGRATION_TIMEOUT_MS)
            q->int_ms = EL_AG_INTEGRATION_TIMEOUT_MS - 1;
        q->t_done = q->t_send + q->int_ms + el_rng_below(r, 3);
        if (q->resp_len > 200000)
            q->t_done += (int64_t)(q->resp_len / 60000);
    } else if (q->kind == EL_AG_TIMEOUT) {
        q->t_done = q->t_send + EL_AG_INTEGRATION_TIMEOUT_MS + el_rng_below(r, 40);
    } else if (q->kind == EL_AG_THROTTLED) {
        q->t_done = q->t0 + el_rng_below(r, 2);
    } else {
        q->t_done = q->t0 + q->auth_ms;
    }
}

/* ------------------------------------------------------------------ */
/* Truth: what a reader must make of each request                      */
/* ------------------------------------------------------------------ */

/* The class the generator means: who failed, not how the log words it. */
static const char *truth_class(const struct el_ag_req *q)
{
    switch (q->kind) {
    case EL_AG_FN_4XX:
        return q->status == 401 || q->status == 403 ? "auth"
             : q->status == 429 ? "throttled" : "client_4xx";
    case EL_AG_FN_500: return "backend_5xx";
    case EL_AG_FN_ERROR:
    case EL_AG_PROXY_ERROR: return "lambda_function";
    case EL_AG_TIMEOUT: return "timeout";
    case EL_AG_THROTTLED: return "throttled";
    case EL_AG_UNAUTHORIZED: return "auth";
    default: return "none";
    }
}

static void write_truth(struct el_ag_gen *g, const struct el_ag_req *q)
{
    bool http = g->o->fmt == EL_AG_ACCESS_HTTP;

    fprintf(g->truth, "%s,%u,%lld,", http ? q->http_id : q->id, q->status,
            (long long)(q->t_done - q->t0));
    if (q->int_ms >= 0)
        fprintf(g->truth, "%lld", (long long)q->int_ms);
    fprintf(g->truth, ",%s,%s,%s,%s\n", el_ag_reason(g, q), truth_class(q), kind_names[q->kind],
            q->tmpl);
}

static int run(struct el_ag_gen *g)
{
    struct el_ag_req *q = malloc(sizeof *q);
    int rc = 0;

    if (!q || el_ag_output_open(g) != 0) {
        free(q);
        return -1;
    }
    for (uint64_t i = 0; i < g->o->requests && rc == 0; i++) {
        bool new_burst;
        struct el_ag_pending *pd;

        plan(g, i, q, &new_burst);
        /* every later request starts at or after this burst's start */
        if (new_burst)
            rc = el_ag_drain(g, q->t0);
        if (rc != 0)
            break;
        g->kind_count[q->kind]++;
        if (g->truth)
            write_truth(g, q);
        pd = el_ag_pending_get(g, q->stream);
        if (!pd) {
            rc = -1;
            break;
        }
        rc = g->o->fmt == EL_AG_ACCESS_REST || g->o->fmt == EL_AG_ACCESS_HTTP
           ? el_ag_render_access(g, pd, q) : el_ag_render_exec(g, pd, q);
        if (pd->left == 0)
            el_ag_pending_put(g, pd);
    }
    if (rc == 0)
        rc = el_ag_drain(g, INT64_MAX);
    if (el_ag_output_close(g) != 0)
        rc = -1;
    free(q);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Options                                                             */
/* ------------------------------------------------------------------ */

enum opt_key {
    O_REQUESTS, O_FORMAT, O_LAYOUT, O_STREAMS, O_PART_LINES, O_TRUTH, O_HELP,
};

static const struct el_gen_opt opt_table[] = {
    { "requests", O_REQUESTS, "N", "number of requests (default 1000000)" },
    EL_GEN_OPT_ROWS_SPAN,
    { "out", EL_GEN_O_OUT, "PATH",
      "output: FILE.gz, '-' for plain text on stdout, or the\n"
      "directory under which --layout export writes" },
    { "format", O_FORMAT, "exec|access-rest|access-http|firehose",
      "what API Gateway writes (default exec)" },
    { "layout", O_LAYOUT, "single|export",
      "one file (default), or CloudWatch's export layout\n"
      "PATH/exportedlogs/<task>/<stream>/000000.gz (firehose:\n"
      "PATH/YYYY/MM/DD/HH/<delivery-stream>-1-<time>-<uuid>)" },
    { "streams", O_STREAMS, "N", "export layout: log streams, 1-64 (default 4)" },
    { "part-lines", O_PART_LINES, "N",
      "export layout: lines per stream part before 000001.gz\n(default 200000)" },
    { "truth", O_TRUTH, "FILE",
      "also write request_id,status,latency_ms,integration_ms,\n"
      "error_reason,error_class,kind,route per request" },
    { "plain", EL_GEN_O_PLAIN, NULL, "write uncompressed text (firehose: members stay gzip)" },
    EL_GEN_OPT_ROWS_GZIP,
    { "showcase", EL_GEN_O_SHOWCASE, NULL,
      "force two requests of every failure kind, evenly spread,\n"
      "and the user agents that break JSON (samples)" },
    { "stats", EL_GEN_O_STATS, NULL, "print counts per kind to stderr" },
    { "help", O_HELP, NULL, "show this help and exit" },
};

static void usage(FILE *fp)
{
    fprintf(fp, "usage: " PROG " --out PATH [options]\n\n"
                "Writes deterministic synthetic Amazon API Gateway logs for the workload of\n"
                "bench/workload.h (the Lambda routes of api.shop.example behind a REST and an\n"
                "HTTP API; same rate curve and error rates as el_gen_alb). Same options give\n"
                "byte-identical output.\n\noptions:\n");
    el_gen_opt_usage(fp, opt_table, EL_ARRAY_LEN(opt_table));
    fprintf(fp, "\nexamples:\n"
                "  " PROG " --requests 1000000 --out exec-1000000.log.gz\n"
                "  " PROG " --format access-rest --layout export --out corpus/cwl\n"
                "  " PROG " --format firehose --layout export --out corpus/firehose\n"
                "  " PROG " --requests 5 --out - | less -S\n");
}

static int apply_opt(void *ctx, const struct el_gen_opt *op, const char *val)
{
    struct el_ag_opts *o = ctx;
    uint64_t v;
    int rc = el_gen_common_opt(PROG, &o->c, op, val);

    if (rc >= 0)
        return rc;
    switch ((enum opt_key)op->key) {
    case O_REQUESTS:
        if (el_gen_parse_u64(val, 1, 1000000000ULL, &o->requests) != 0)
            return el_gen_bad_value(PROG, op->name, val, "1 to 1000000000");
        break;
    case O_FORMAT: {
        size_t k = 0;

        while (k < EL_ARRAY_LEN(fmt_names) && strcmp(val, fmt_names[k]) != 0)
            k++;
        if (k == EL_ARRAY_LEN(fmt_names))
            return el_gen_bad_value(PROG, op->name, val,
                                    "exec, access-rest, access-http or firehose");
        o->fmt = (enum el_ag_fmt)k;
        break;
    }
    case O_LAYOUT:
        if (strcmp(val, "single") == 0)
            o->export_layout = false;
        else if (strcmp(val, "export") == 0)
            o->export_layout = true;
        else
            return el_gen_bad_value(PROG, op->name, val, "single or export");
        break;
    case O_STREAMS:
        if (el_gen_parse_u64(val, 1, EL_AG_MAX_STREAMS, &v) != 0)
            return el_gen_bad_value(PROG, op->name, val, "1 to 64");
        o->streams = (unsigned)v;
        break;
    case O_PART_LINES:
        if (el_gen_parse_u64(val, 1, UINT64_MAX, &o->part_lines) != 0)
            return el_gen_bad_value(PROG, op->name, val, "a positive count");
        break;
    case O_TRUTH:
        if (!*val)
            return el_gen_bad_value(PROG, op->name, val, "empty path");
        o->truth = val;
        break;
    case O_HELP:
        usage(stdout);
        return 1;
    }
    return 0;
}

/* Returns 0 to run, 1 after --help, 2 on a usage error (message printed). */
static int parse_args(int argc, char **argv, struct el_ag_opts *o)
{
    int rc;

    *o = (struct el_ag_opts){ .requests = 1000000, .streams = 4, .part_lines = 200000 };
    rc = el_gen_parse_args(PROG, argc, argv, opt_table, EL_ARRAY_LEN(opt_table), apply_opt, o,
                           &o->c);
    if (rc != 0)
        return rc;
    if (o->c.showcase && o->requests < 4 * EL_AG_KIND_COUNT) {
        fprintf(stderr, PROG ": --showcase needs at least %d requests\n", 4 * EL_AG_KIND_COUNT);
        return 2;
    }
    if (o->export_layout) {
        if (strcmp(o->c.out, "-") == 0) {
            fprintf(stderr, PROG ": --layout export needs a directory for --out\n");
            return 2;
        }
        return 0;
    }
    /* a Firehose object has no extension */
    return o->fmt == EL_AG_FIREHOSE ? 0 : el_gen_check_gz_name(PROG, &o->c);
}

static void print_stats(const struct el_ag_gen *g)
{
    fprintf(stderr, PROG ": %llu requests (%s), %llu lines", (unsigned long long)g->o->requests,
            fmt_names[g->o->fmt], (unsigned long long)g->lines);
    if (g->o->fmt == EL_AG_FIREHOSE)
        fprintf(stderr, " in %llu envelopes", (unsigned long long)g->envelopes);
    fprintf(stderr, ", %llu files, %llu bytes, %llu written\n", (unsigned long long)g->files,
            (unsigned long long)g->raw, (unsigned long long)g->packed);
    for (int k = 0; k < EL_AG_KIND_COUNT; k++)
        fprintf(stderr, "  kind %-14s %10llu  %7.3f %%\n", kind_names[k],
                (unsigned long long)g->kind_count[k],
                100.0 * (double)g->kind_count[k] / (double)g->o->requests);
}

int main(int argc, char **argv)
{
    struct el_ag_opts o;
    struct el_ag_gen *g;
    int rc = parse_args(argc, argv, &o);

    if (rc == 1)
        return 0;
    if (rc != 0)
        return 2;
    g = calloc(1, sizeof *g);
    if (!g) {
        fprintf(stderr, PROG ": out of memory\n");
        return 1;
    }
    g->o = &o;
    g->line = malloc(EL_AG_LINE_CAP);
    g->out = malloc(EL_AG_LINE_CAP + 64);
    g->dc.day = INT64_MIN;
    el_model_init(&g->model);
    routes_init(g);
    if (!g->line || !g->out
        || el_curve_init(&g->curve, o.c.seed, el_gen_days_from_civil(o.c.year, o.c.month, o.c.day)
                                            * EL_US_PER_DAY, o.c.start_min, o.c.minutes) != 0) {
        fprintf(stderr, PROG ": out of memory\n");
        return 1;
    }
    if (o.truth) {
        g->truth = fopen(o.truth, "w");
        if (!g->truth) {
            fprintf(stderr, PROG ": %s: %s\n", o.truth, strerror(errno));
            return 1;
        }
        fputs("request_id,status,latency_ms,integration_ms,error_reason,error_class,kind,route\n",
              g->truth);
    }
    rc = run(g);
    if (g->truth && fclose(g->truth) != 0) {
        fprintf(stderr, PROG ": %s: %s\n", o.truth, strerror(errno));
        rc = -1;
    }
    if (rc == 0 && o.c.stats)
        print_stats(g);
    el_ag_output_free(g);
    free(g->line);
    free(g->out);
    el_curve_fini(&g->curve);
    free(g);
    return rc == 0 ? 0 : 1;
}

/* gen_alb.c: deterministic generator of AWS ALB access logs for benchmarks
 * and sample fixtures.
 *
 * Every line is a pure function of the options and its line number: the
 * per-line PRNG is seeded from the line number, and the line's timestamp
 * comes from a stratified inverse of the daily rate curve. So the
 * single-file and S3 layouts hold exactly the same lines, and the same
 * arguments give the same bytes (gzip mtime 0, no clock; exp and log are
 * computed with + - * / only and sqrt is exactly rounded, so the values do
 * not depend on the libm or the compiler). The PRNG, the rate curve, the
 * workload draws and the parallel gzip writer are shared with gen_apigw.c
 * (genlib.c, gzwriter.c).
 *
 * Line format: the 30 fields of the current AWS documentation, through
 * conn_trace_id, optionally followed by the three transform fields. What is
 * requested and how it behaves lives in workload.h; this file only knows
 * how an ALB writes it down. It does not emit older (shorter) line formats,
 * NLB or connection-log lines: parser tests cover those with fixtures.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "genlib.h"
#include "gzwriter.h"

#define PROG        "el_gen_alb"
#define MAX_LINE    4096           /* longest line we can build, with margin */

/* ALB timings: seconds with exactly three decimals, or -1. */
static char *put_secs3(char *p, int64_t ms)
{
    if (ms < 0)
        return EL_PUT_LIT(p, "-1");
    p = el_put_u64(p, (uint64_t)(ms / 1000));
    *p++ = '.';
    return el_put_dec(p, (unsigned)(ms % 1000), 3);
}

/* ------------------------------------------------------------------ */
/* The kinds of lines an ALB writes                                    */
/* ------------------------------------------------------------------ */

enum el_kind {
    K_OK,
    K_FN_4XX,               /* function / target answered 4xx */
    K_FN_500,               /* Lambda returned statusCode 500 */
    K_TARGET_500,           /* instance target answered 500 */
    K_LAMBDA_UNHANDLED,     /* 502 LambdaUnhandled */
    K_LAMBDA_TIMEOUT,       /* 502 LambdaUnhandled after 30 s */
    K_LAMBDA_INVALID,       /* 502 LambdaInvalidResponse */
    K_LAMBDA_RESP_LARGE,    /* 502 LambdaResponseTooLarge */
    K_LAMBDA_REQ_LARGE,     /* 413 LambdaRequestTooLarge */
    K_LAMBDA_THROTTLE,      /* 503 LambdaThrottling */
    K_GATEWAY_TIMEOUT,      /* 504, -1 -1 -1 */
    K_NO_TARGETS,           /* 503, -1 -1 -1, no healthy target */
    K_CLIENT_GONE,          /* 460 */
    K_WAF_BLOCK,            /* 403 "waf" */
    K_AUTH_FAIL,            /* 401 "authenticate" + Auth* reason */
    K_SCANNER,              /* 404 "fixed-response" */
    K_SPACE_IN_URI,         /* same, raw space in the URL, SpaceInUri */
    K_REDIRECT,             /* 301 "redirect" */
    K_MALFORMED,            /* 400 "- http://host:80- -" */
    K_WEBSOCKET,            /* 101 ws / wss */
    K_WAF_FAILED,           /* "waf-failed,forward", error_reason set, 200 */
    K_DESYNC,               /* forwarded, desync classification set */
    K_COUNT
};

static const char *const kind_names[K_COUNT] = {
    "ok", "fn_4xx", "fn_500", "target_500", "lambda_unhandled",
    "lambda_timeout", "lambda_invalid", "lambda_resp_large",
    "lambda_req_large", "lambda_throttle", "gateway_timeout", "no_targets",
    "client_gone", "waf_block", "auth_fail", "scanner", "space_in_uri",
    "redirect", "malformed", "websocket", "waf_failed", "desync",
};

enum el_type { T_HTTP, T_HTTPS, T_H2, T_WS, T_WSS, T_COUNT };
static const char *const type_names[T_COUNT] = { "http", "https", "h2", "ws", "wss" };

struct el_cipher {
    const char *name;
    const char *proto;
    unsigned permil;
};

static const struct el_cipher ciphers[] = {
    { "TLS_AES_128_GCM_SHA256", "TLSv1.3", 540 },
    { "TLS_AES_256_GCM_SHA384", "TLSv1.3", 150 },
    { "TLS_CHACHA20_POLY1305_SHA256", "TLSv1.3", 50 },
    { "ECDHE-RSA-AES128-GCM-SHA256", "TLSv1.2", 210 },
    { "ECDHE-RSA-AES256-GCM-SHA384", "TLSv1.2", 50 },
};

/* ------------------------------------------------------------------ */
/* Generator state                                                     */
/* ------------------------------------------------------------------ */

struct el_gen {
    uint64_t seed;
    uint64_t lines;
    unsigned trailing_permil;      /* share of lines with transform fields */
    bool showcase;
    struct el_curve curve;
    struct el_datecache dc;
    struct el_model model;
    uint64_t kind_count[K_COUNT];
    uint64_t type_count[T_COUNT];
    uint64_t status_class[6];
};

static bool is_ip_route(const struct el_wl_route *rt)
{
    return el_wl_tgs[rt->tg].port != 0;
}

/* Rare kinds need a route of the right sort. A linear scan is fine: this
 * runs for a few lines in a thousand. want_ip: 1 IP target, 0 Lambda,
 * -1 either; need: flag bits that must all be present. */
static const struct el_wl_route *pick_route_where(struct el_rng *r, int want_ip, unsigned need)
{
    uint64_t total = 0, x = 0;
    const struct el_wl_route *last = &el_wl_routes[0];

    for (int pass = 0; pass < 2; pass++) {
        uint64_t acc = 0;

        if (pass == 1) {
            if (total == 0)
                break;
            x = (uint64_t)(el_rng_unit(r) * (double)total);
        }
        for (size_t i = 0; i < EL_WL_NROUTES; i++) {
            const struct el_wl_route *rt = &el_wl_routes[i];
            /* special sets (need != 0) are small and drawn uniformly, so a
             * redirect-only route of weight 0 still shows up */
            uint64_t w = need ? 1 : rt->weight;

            if ((rt->flags & need) != need)
                continue;
            if (want_ip >= 0 && is_ip_route(rt) != (want_ip == 1))
                continue;
            if (!need && !rt->weight)
                continue;
            if (pass == 0) {
                total += w;
            } else {
                acc += w;
                last = rt;
                if (acc > x)
                    return rt;
            }
        }
    }
    return last;
}

/* client:port as ALB writes it: IPv6 unbracketed. */
static char *put_client(char *p, const struct el_client *c, unsigned port)
{
    p = el_put_client_addr(p, c);
    *p++ = ':';
    return el_put_u64(p, port);
}

/* ------------------------------------------------------------------ */
/* One line                                                            */
/* ------------------------------------------------------------------ */

struct el_line {
    enum el_kind kind;
    enum el_type type;
    const struct el_wl_route *rt;  /* NULL: scanner or malformed */
    const struct el_wl_scan *scan;
    int64_t time_us;               /* the "time" field: response sent */
    int64_t rp, tp, rsp;           /* ms, -1 = not dispatched */
    int64_t wait_us;               /* time - request_creation_time */
    int elb, target;               /* statuses, target -1 = "-" */
    uint64_t recv, sent;
    bool ip_target;                /* target:port and lists filled */
    unsigned tgt_addr[2];
    unsigned tgt_port;
    bool tg;                       /* target_group_arn present */
    int rule;                      /* -1: "-" */
    const char *actions;
    const char *redirect;          /* NULL: "-" */
    const char *error;             /* NULL: "-" */
    const char *cls, *cls_reason;  /* NULL: "-" */
};

/* Where --showcase forces a kind: two evenly spread lines per rare kind,
 * so that a few thousand lines still hold every case. */
static int showcase_kind(const struct el_gen *g, uint64_t i, int *round)
{
    const uint64_t nk = K_COUNT - 1;
    int64_t j = el_showcase_slot(i, g->lines, 2 * nk);

    if (j < 0)
        return -1;
    *round = (int)((uint64_t)j / nk);
    return (int)(1 + (uint64_t)j % nk);
}

static enum el_kind draw_kind(const struct el_gen *g, struct el_rng *r,
                              const struct el_wl_route **rt)
{
    uint32_t x = el_rng_below(r, 1000000);
    uint32_t lim = 0;

    if (x < (lim += EL_WL_PPM_WEBSOCKET))
        return K_WEBSOCKET;
    if (x < (lim += EL_WL_PPM_REDIRECT))
        return K_REDIRECT;
    if (x < (lim += EL_WL_PPM_SCANNER))
        return K_SCANNER;
    if (x < (lim += EL_WL_PPM_MALFORMED))
        return K_MALFORMED;
    if (x < (lim += EL_WL_PPM_WAF_BLOCK))
        return K_WAF_BLOCK;
    if (x < (lim += EL_WL_PPM_AUTH_FAIL))
        return K_AUTH_FAIL;
    if (x < (lim += EL_WL_PPM_CLIENT_GONE))
        return K_CLIENT_GONE;
    if (x < (lim += EL_WL_PPM_WAF_FAILED))
        return K_WAF_FAILED;
    if (x < (lim += EL_WL_PPM_DESYNC))
        return K_DESYNC;

    *rt = el_model_pick_route(&g->model, r);
    x = el_rng_below(r, 10000);
    if (x < (*rt)->err4_bp) {
        if ((*rt)->err4_code == 413 && el_rng_below(r, 1000) < 600)
            return K_LAMBDA_REQ_LARGE;
        return K_FN_4XX;
    }
    if (x >= (uint32_t)(*rt)->err4_bp + (*rt)->err5_bp)
        return K_OK;
    x = el_rng_below(r, 1000);
    /* exports fail mostly by size: the 1 MB cap bites before anything else */
    if (((*rt)->flags & EL_WL_BIG_RESP) && x < 400)
        return K_LAMBDA_RESP_LARGE;
    if (is_ip_route(*rt)) {
        if (x < EL_WL_I5_TARGET500)
            return K_TARGET_500;
        if (x < EL_WL_I5_TARGET500 + EL_WL_I5_NO_TARGETS)
            return K_NO_TARGETS;
        return K_GATEWAY_TIMEOUT;
    }
    if (x < (lim = EL_WL_L5_FN500))
        return K_FN_500;
    if (x < (lim += EL_WL_L5_UNHANDLED))
        return K_LAMBDA_UNHANDLED;
    if (x < (lim += EL_WL_L5_TIMEOUT))
        return K_LAMBDA_TIMEOUT;
    if (x < (lim += EL_WL_L5_INVALID))
        return K_LAMBDA_INVALID;
    if (x < (lim += EL_WL_L5_THROTTLE))
        return K_LAMBDA_THROTTLE;
    if (x < (lim += EL_WL_L5_GATEWAY))
        return K_GATEWAY_TIMEOUT;
    return ((*rt)->flags & EL_WL_BIG_RESP) ? K_LAMBDA_RESP_LARGE : K_LAMBDA_UNHANDLED;
}

/* A forced kind (showcase) or a drawn one still needs a fitting route. */
static const struct el_wl_route *route_for(const struct el_gen *g, struct el_rng *r,
                                           enum el_kind k, const struct el_wl_route *rt)
{
    switch (k) {
    case K_WEBSOCKET:
        return pick_route_where(r, -1, EL_WL_WS);
    case K_REDIRECT:
        return pick_route_where(r, -1, EL_WL_REDIRECT);
    case K_AUTH_FAIL:
        return pick_route_where(r, -1, EL_WL_AUTH);
    case K_LAMBDA_REQ_LARGE:
        return pick_route_where(r, 0, EL_WL_BIG_REQ);
    case K_LAMBDA_RESP_LARGE:
        return pick_route_where(r, 0, EL_WL_BIG_RESP);
    case K_TARGET_500:
    case K_NO_TARGETS:
        return rt && is_ip_route(rt) ? rt : pick_route_where(r, 1, 0);
    case K_FN_500:
    case K_LAMBDA_UNHANDLED:
    case K_LAMBDA_TIMEOUT:
    case K_LAMBDA_INVALID:
    case K_LAMBDA_THROTTLE:
        return rt && !is_ip_route(rt) ? rt : pick_route_where(r, 0, 0);
    case K_SCANNER:
    case K_SPACE_IN_URI:
    case K_MALFORMED:
        return NULL;
    default:
        return rt ? rt : el_model_pick_route(&g->model, r);
    }
}

static enum el_type draw_type(struct el_rng *r)
{
    uint32_t x = el_rng_below(r, 1000);

    if (x < 30)
        return T_HTTP;
    if (x < 30 + 381)
        return T_H2;
    return T_HTTPS;
}

/* Response headers and request headers: HPACK makes h2 ones small. */
static uint64_t req_head_bytes(struct el_rng *r, enum el_type t, const char *ua)
{
    if (t == T_H2)
        return (uint64_t)el_rng_lognorm(r, 70, 60, 9, 4000);
    return 160 + (ua ? strlen(ua) : 0) + (uint64_t)el_rng_lognorm(r, 260, 45, 20, 8000);
}

static uint64_t resp_head_bytes(struct el_rng *r, enum el_type t)
{
    if (t == T_H2)
        return (uint64_t)el_rng_lognorm(r, 95, 30, 30, 600);
    return (uint64_t)el_rng_lognorm(r, 330, 20, 150, 900);
}
/* Timings of a request a target answered. */
static void target_timings(struct el_line *ln, struct el_rng *r, const struct el_wl_route *rt,
                           uint64_t body, double lat_scale)
{
    ln->rp = el_rng_below(r, 100) < 12 ? 1 : 0;
    if (body > 4096) {
        /* upload time; with Lambda targets it counts before dispatch */
        int64_t bw = el_rng_lognorm(r, 4e6, 80, 200000, 200000000);      /* bytes/s */
        ln->rp += (int64_t)(body * 1000 / (uint64_t)bw);
    }
    ln->tp = el_rng_lognorm(r, rt->lat_ms * lat_scale, rt->lat_sigma, 1, 29000);
    if (!is_ip_route(rt) && el_rng_below(r, 1000) < EL_WL_COLD_START_PERMIL)
        ln->tp += el_rng_lognorm(r, EL_WL_COLD_START_MS, 40, 120, 6000);
    ln->rsp = el_rng_below(r, 100) < 9 ? 1 : 0;
    if (ln->sent > 200000)
        ln->rsp += (int64_t)(ln->sent / 60000);                 /* ~60 MB/s */
}

static void not_dispatched(struct el_line *ln, int64_t wait_us)
{
    ln->rp = ln->tp = ln->rsp = -1;
    ln->wait_us = wait_us;
}

static const char *actions_for(const struct el_wl_route *rt)
{
    return (rt->flags & EL_WL_AUTH) ? "waf,authenticate,forward" : "waf,forward";
}

/* Decide every value of line i (kind, route, timings, sizes, statuses).
 * Everything random comes from r, which is line i's private stream. */
static void plan_line(struct el_gen *g, struct el_rng *r, uint64_t i, struct el_line *ln,
                      struct el_client *cl)
{
    const struct el_wl_route *rt = NULL;
    int forced, sc_round = 0;
    uint64_t body = 0;

    memset(ln, 0, sizeof *ln);
    ln->rule = -1;
    ln->target = -1;
    forced = g->showcase ? showcase_kind(g, i, &sc_round) : -1;
    ln->kind = forced >= 0 ? (enum el_kind)forced : draw_kind(g, r, &rt);
    rt = route_for(g, r, ln->kind, rt);
    ln->rt = rt;
    ln->type = draw_type(r);

    if (ln->kind == K_SCANNER || ln->kind == K_SPACE_IN_URI || ln->kind == K_MALFORMED
        || (ln->kind == K_WAF_BLOCK && el_rng_below(r, 2)))
        el_client_make(&g->model, g->seed, el_rng_below(r, EL_WL_SCANNERS), true, cl);
    else
        el_client_make(&g->model, g->seed, el_client_pick(r), false, cl);
    if (forced >= 0 && sc_round == 1) {
        /* second showcase round: the user agents that need \xHH escapes,
         * too rare to turn up in a small sample on their own */
        size_t n = 0, want = (size_t)forced;

        for (size_t k = 0; k < EL_ARRAY_LEN(el_wl_uas); k++)
            n += el_wl_uas[k].ua && strstr(el_wl_uas[k].ua, "\\x") != NULL;
        for (size_t k = 0, seen = 0; k < EL_ARRAY_LEN(el_wl_uas); k++) {
            if (el_wl_uas[k].ua && strstr(el_wl_uas[k].ua, "\\x") && seen++ == want % n)
                cl->ua = el_wl_uas[k].ua;
        }
    }

    if (rt && rt->req_bytes)
        body = (uint64_t)el_rng_lognorm(r, rt->req_bytes, (rt->flags & EL_WL_BIG_REQ) ? 100 : 50,
                                 2, EL_WL_LAMBDA_BODY_MAX - 1);
    ln->recv = req_head_bytes(r, ln->type, cl->ua) + body;
    ln->tg = rt != NULL;
    ln->rule = rt ? rt->rule : -1;
    ln->actions = rt ? actions_for(rt) : "-";
    if (rt && is_ip_route(rt)) {
        const struct el_wl_tg *tg = &el_wl_tgs[rt->tg];
        ln->tgt_addr[0] = tg->subnet + el_rng_below(r, 3);
        ln->tgt_addr[1] = 10 + el_rng_below(r, 4) * 37 + el_rng_below(r, 3);
        ln->tgt_port = tg->port;
    }

    switch (ln->kind) {
    case K_OK:
    case K_WAF_FAILED:
    case K_DESYNC:
        ln->elb = ln->target = rt->ok_status;
        ln->sent = resp_head_bytes(r, ln->type)
                   + (rt->ok_status == 204 ? 0 : (uint64_t)el_rng_lognorm(r, rt->resp_bytes, 60, 2, 900000));
        target_timings(ln, r, rt, body, 1.0);
        ln->ip_target = is_ip_route(rt);
        if (ln->kind == K_WAF_FAILED) {
            ln->actions = "waf-failed,forward";
            ln->error = el_rng_below(r, 2) ? "WAFConnectionTimeout" : "WAFResponseReadTimeout";
        } else if (ln->kind == K_DESYNC) {
            uint32_t x = el_rng_below(r, 10);
            if (x < 3 || (forced >= 0 && sc_round == 1)) {
                ln->cls = "Ambiguous";
                ln->cls_reason = "UndefinedContentLengthSemantics";
            } else {
                ln->cls = "Acceptable";
                ln->cls_reason = rt->req_bytes ? "NonCompliantHeader" : "GetHeadZeroContentLength";
            }
        }
        break;
    case K_FN_4XX: {
        unsigned code = rt->err4_code;
        uint32_t x = el_rng_below(r, 1000);

        if (x >= 600) {
            unsigned acc = 600;
            for (size_t k = 0; k < EL_ARRAY_LEN(el_wl_4xx_codes); k++) {
                code = el_wl_4xx_codes[k];
                if (x < (acc += el_wl_4xx_permil[k]))
                    break;
            }
        }
        if (code == 413)
            code = 400;
        ln->elb = ln->target = (int)code;
        ln->sent = resp_head_bytes(r, ln->type) + (uint64_t)el_rng_lognorm(r, 110, 40, 20, 2000);
        target_timings(ln, r, rt, body, 0.6);
        ln->ip_target = is_ip_route(rt);
        break;
    }
    case K_FN_500:
    case K_TARGET_500:
        ln->elb = ln->target = 500;
        ln->sent = resp_head_bytes(r, ln->type) + (uint64_t)el_rng_lognorm(r, 140, 40, 20, 2000);
        target_timings(ln, r, rt, body, 1.6);
        ln->ip_target = is_ip_route(rt);
        break;
    case K_LAMBDA_UNHANDLED:
    case K_LAMBDA_INVALID:
    case K_LAMBDA_RESP_LARGE:
        ln->elb = 502;
        ln->sent = (ln->type == T_H2 ? 150 : 272) + el_rng_below(r, 8);
        target_timings(ln, r, rt, body, ln->kind == K_LAMBDA_RESP_LARGE ? 1.5 : 1.2);
        ln->error = ln->kind == K_LAMBDA_UNHANDLED ? "LambdaUnhandled"
                  : ln->kind == K_LAMBDA_INVALID ? "LambdaInvalidResponse"
                  : "LambdaResponseTooLarge";
        break;
    case K_LAMBDA_TIMEOUT:
        /* the function ran into its 30 s timeout: Lambda reports an
         * Unhandled error and ALB answers 502 after the full wait */
        ln->elb = 502;
        ln->sent = (ln->type == T_H2 ? 150 : 272) + el_rng_below(r, 8);
        target_timings(ln, r, rt, body, 1.0);
        ln->tp = EL_WL_LAMBDA_TIMEOUT_MS + el_rng_below(r, 60);
        ln->error = "LambdaUnhandled";
        break;
    case K_LAMBDA_REQ_LARGE:
        /* body over the 1 MB Lambda limit: rejected before any invoke */
        body = EL_WL_LAMBDA_BODY_MAX + (uint64_t)el_rng_lognorm(r, 400000, 90, 1, 40000000);
        ln->recv = req_head_bytes(r, ln->type, cl->ua) + body;
        ln->elb = 413;
        ln->sent = (ln->type == T_H2 ? 160 : 290) + el_rng_below(r, 8);
        not_dispatched(ln, el_rng_lognorm(r, 900000, 70, 20000, 60000000));
        ln->error = "LambdaRequestTooLarge";
        break;
    case K_LAMBDA_THROTTLE:
        ln->elb = 503;
        ln->sent = (ln->type == T_H2 ? 160 : 292) + el_rng_below(r, 8);
        ln->rp = 0;
        ln->tp = 1 + el_rng_below(r, 14);
        ln->rsp = 0;
        ln->error = "LambdaThrottling";
        break;
    case K_GATEWAY_TIMEOUT:
        /* nothing came back within the 60 s idle timeout */
        ln->elb = 504;
        ln->sent = (ln->type == T_H2 ? 170 : 308) + el_rng_below(r, 8);
        not_dispatched(ln, (int64_t)EL_WL_IDLE_TIMEOUT_MS * 1000 + el_rng_below(r, 5000));
        ln->ip_target = is_ip_route(rt);
        break;
    case K_NO_TARGETS:
        ln->elb = 503;
        ln->sent = (ln->type == T_H2 ? 160 : 292) + el_rng_below(r, 8);
        not_dispatched(ln, el_rng_below(r, 1500));
        break;
    case K_CLIENT_GONE:
        ln->elb = 460;
        ln->sent = 0;
        not_dispatched(ln, el_rng_lognorm(r, 4e6, 80, 200000, 55000000));
        ln->ip_target = is_ip_route(rt);
        break;
    case K_WAF_BLOCK:
        ln->elb = 403;
        ln->sent = (ln->type == T_H2 ? 120 : 250) + el_rng_below(r, 20);
        not_dispatched(ln, 300 + el_rng_below(r, 2500));
        ln->tg = false;
        ln->rule = 0;
        ln->actions = "waf";
        break;
    case K_AUTH_FAIL:
        ln->elb = 401;
        ln->sent = (ln->type == T_H2 ? 110 : 230) + el_rng_below(r, 20);
        not_dispatched(ln, 2000 + (int64_t)el_rng_below(r, 40000));
        ln->actions = "waf,authenticate";
        ln->error = el_wl_auth_errors[el_rng_below(r, EL_ARRAY_LEN(el_wl_auth_errors))];
        break;
    case K_SCANNER:
    case K_SPACE_IN_URI: {
        size_t k = ln->kind == K_SPACE_IN_URI ? EL_WL_SCAN_SPACE
                 : el_pick_cum32(g->model.scan_cum, EL_ARRAY_LEN(el_wl_scans), el_rng_below(r, g->model.scan_total));

        ln->scan = &el_wl_scans[k];
        if (k == EL_WL_SCAN_SPACE) {
            ln->kind = K_SPACE_IN_URI;
            ln->cls = "Acceptable";
            ln->cls_reason = "SpaceInUri";
        }
        if (ln->type == T_H2 || el_rng_below(r, 2))
            ln->type = el_rng_below(r, 2) ? T_HTTP : T_HTTPS;
        ln->elb = 404;
        ln->sent = (ln->type == T_HTTP ? 170 : 178) + el_rng_below(r, 4);
        not_dispatched(ln, el_rng_below(r, 1200));
        ln->rule = 5;
        ln->actions = "waf,fixed-response";
        break;
    }
    case K_REDIRECT:
        ln->elb = 301;
        if (strcmp(rt->path, "/") == 0) {
            ln->type = T_HTTP;                  /* http -> https */
            ln->rule = 1;
            ln->redirect = "https://www.shop.example:443/";
        } else {
            ln->redirect = "https://docs.shop.example:443/";
        }
        ln->tg = false;
        ln->sent = (ln->type == T_H2 ? 140 : 360) + el_rng_below(r, 8);
        not_dispatched(ln, el_rng_below(r, 900));
        ln->actions = "waf,redirect";
        break;
    case K_MALFORMED:
        ln->type = el_rng_below(r, 10) < 7 ? T_HTTP : T_HTTPS;
        ln->elb = 400;
        ln->recv = el_rng_below(r, 4) ? 0 : el_rng_below(r, 600);
        ln->sent = 272;
        not_dispatched(ln, (int64_t)el_rng_below(r, 3000) * 1000);
        ln->tg = false;
        ln->rule = -1;
        ln->actions = "-";
        break;
    case K_WEBSOCKET: {
        /* time = when the connection closed; creation = when it opened;
         * bytes count the whole connection, timings only the upgrade */
        int64_t life_ms = el_rng_lognorm(r, 90000, 130, 1500, 4 * 3600 * 1000LL);

        ln->type = (forced >= 0 ? sc_round == 1 : el_rng_below(r, 100) < 15) ? T_WS : T_WSS;
        ln->elb = ln->target = 101;
        ln->recv = (uint64_t)el_rng_lognorm(r, 9000, 120, 200, 500000000);
        ln->sent = (uint64_t)el_rng_lognorm(r, 60000, 140, 400, 2000000000);
        ln->rp = 0;
        ln->tp = 1 + el_rng_below(r, 4);
        ln->rsp = 0;
        ln->wait_us = life_ms * 1000 + el_rng_below(r, 1000);
        ln->ip_target = true;
        break;
    }
    default:
        break;
    }
    if (ln->rp >= 0 && ln->kind != K_WEBSOCKET)
        ln->wait_us = (ln->rp + ln->tp + ln->rsp) * 1000 + el_rng_below(r, 1000);
}

static char *put_tg_arn(char *p, const struct el_wl_tg *tg)
{
    p = EL_PUT_LIT(p, "arn:aws:elasticloadbalancing:" EL_WL_REGION ":" EL_WL_ACCOUNT ":targetgroup/");
    p = el_put_str(p, tg->name);
    *p++ = '/';
    return el_put_str(p, tg->id);
}

static char *put_quoted(char *p, const char *s)
{
    *p++ = '"';
    p = s ? el_put_str(p, s) : EL_PUT_LIT(p, "-");
    *p++ = '"';
    return p;
}

static char *put_trace_root(char *p, struct el_rng *r, int64_t us)
{
    p = EL_PUT_LIT(p, "1-");
    p = el_put_hex(p, (uint64_t)el_floor_div(us, EL_US_PER_SEC), 8);
    *p++ = '-';
    return el_put_rand_hex(p, r, 24);
}

/* Build line i into out (at least MAX_LINE bytes); returns its length
 * including the newline, and the line's time through *time_us. */
static size_t build_line(struct el_gen *g, uint64_t i, char *out, int64_t *time_us)
{
    struct el_rng rr, *r = &rr;
    struct el_line L, *ln = &L;
    struct el_client cl;
    const struct el_wl_route *rt;
    const struct el_wl_host *host = NULL;
    bool tls, trailing;
    char *p = out;
    int64_t t, created;

    el_rng_line(r, g->seed, i);
    t = el_curve_time(&g->curve, i, g->lines, el_rng_unit(r));
    trailing = el_rng_below(r, 1000) < g->trailing_permil;
    plan_line(g, r, i, ln, &cl);
    ln->time_us = t;
    rt = ln->rt;
    if (rt)
        host = &el_wl_hosts[rt->host];
    tls = ln->type == T_HTTPS || ln->type == T_H2 || ln->type == T_WSS;
    created = ln->time_us - ln->wait_us;

    g->kind_count[ln->kind]++;
    g->type_count[ln->type]++;
    g->status_class[ln->elb / 100 <= 5 ? ln->elb / 100 : 0]++;

    /* type time elb client:port target:port */
    p = el_put_str(p, type_names[ln->type]);
    *p++ = ' ';
    p = el_put_iso_us(p, &g->dc, ln->time_us);
    p = EL_PUT_LIT(p, " app/" EL_WL_LB_NAME "/" EL_WL_LB_ID " ");
    p = put_client(p, &cl, 1024 + el_rng_below(r, 64511));
    *p++ = ' ';
    if (ln->ip_target) {
        p = EL_PUT_LIT(p, "10.0.");
        p = el_put_u64(p, ln->tgt_addr[0]);
        *p++ = '.';
        p = el_put_u64(p, ln->tgt_addr[1]);
        *p++ = ':';
        p = el_put_u64(p, ln->tgt_port);
    } else {
        *p++ = '-';
    }

    /* request_processing_time target_processing_time response_processing_time */
    *p++ = ' ';
    p = put_secs3(p, ln->rp);
    *p++ = ' ';
    p = put_secs3(p, ln->tp);
    *p++ = ' ';
    p = put_secs3(p, ln->rsp);

    /* elb_status_code target_status_code received_bytes sent_bytes */
    *p++ = ' ';
    p = el_put_u64(p, (uint64_t)ln->elb);
    *p++ = ' ';
    if (ln->target >= 0)
        p = el_put_u64(p, (uint64_t)ln->target);
    else
        *p++ = '-';
    *p++ = ' ';
    p = el_put_u64(p, ln->recv);
    *p++ = ' ';
    p = el_put_u64(p, ln->sent);

    /* "request" */
    p = EL_PUT_LIT(p, " \"");
    if (ln->kind == K_MALFORMED) {
        p = tls ? EL_PUT_LIT(p, "- https://" EL_WL_LB_DNS ":443- -")
                : EL_PUT_LIT(p, "- http://" EL_WL_LB_DNS ":80- -");
    } else {
        const char *hname = host ? host->name
                          : (el_rng_below(r, 3) ? EL_WL_LB_DNS : el_wl_hosts[EL_WL_H_WWW].name);

        p = el_put_str(p, rt ? rt->method : ln->scan->method);
        p = tls ? EL_PUT_LIT(p, " https://") : EL_PUT_LIT(p, " http://");
        p = el_put_str(p, hname);
        p = tls ? EL_PUT_LIT(p, ":443") : EL_PUT_LIT(p, ":80");
        if (rt) {
            p = el_put_path(p, r, rt);
        } else {
            p = el_put_str(p, ln->scan->path);
            if (ln->scan->query) {
                *p++ = '?';
                p = el_put_str(p, ln->scan->query);
            }
        }
        if (ln->type == T_H2)
            p = EL_PUT_LIT(p, " HTTP/2.0");
        else if (!rt && el_rng_below(r, 10) == 0)
            p = EL_PUT_LIT(p, " HTTP/1.0");
        else
            p = EL_PUT_LIT(p, " HTTP/1.1");
    }
    p = EL_PUT_LIT(p, "\" ");

    /* "user_agent" ssl_cipher ssl_protocol target_group_arn */
    p = put_quoted(p, ln->kind == K_MALFORMED ? NULL : cl.ua);
    *p++ = ' ';
    if (tls) {
        uint32_t x = el_rng_below(r, 1000), acc = 0;
        const struct el_cipher *c = &ciphers[0];

        for (size_t k = 0; k < EL_ARRAY_LEN(ciphers); k++) {
            c = &ciphers[k];
            if (x < (acc += c->permil))
                break;
        }
        p = el_put_str(p, c->name);
        *p++ = ' ';
        p = el_put_str(p, c->proto);
    } else {
        p = EL_PUT_LIT(p, "- -");
    }
    *p++ = ' ';
    if (ln->tg)
        p = put_tg_arn(p, &el_wl_tgs[rt->tg]);
    else
        *p++ = '-';

    /* "trace_id": ALB's own root, or the client's root with ALB's Self */
    p = EL_PUT_LIT(p, " \"");
    if (ln->kind == K_MALFORMED) {
        *p++ = '-';
    } else if (el_rng_below(r, 100) < 4) {
        p = EL_PUT_LIT(p, "Self=");
        p = put_trace_root(p, r, created);
        p = EL_PUT_LIT(p, ";Root=");
        p = put_trace_root(p, r, created - (int64_t)el_rng_below(r, 3000) * 1000);
    } else {
        p = EL_PUT_LIT(p, "Root=");
        p = put_trace_root(p, r, created);
    }
    p = EL_PUT_LIT(p, "\" ");

    /* "domain_name" "chosen_cert_arn" matched_rule_priority */
    if (tls && ln->kind != K_MALFORMED && (rt || el_rng_below(r, 2))) {
        const struct el_wl_host *sni = host ? host : &el_wl_hosts[EL_WL_H_WWW];

        p = put_quoted(p, sni->name);
        *p++ = ' ';
        if (el_rng_below(r, 100) < 50) {
            p = EL_PUT_LIT(p, "\"session-reused\"");
        } else {
            p = EL_PUT_LIT(p, "\"arn:aws:acm:" EL_WL_REGION ":" EL_WL_ACCOUNT ":certificate/");
            p = el_put_str(p, el_wl_certs[sni->cert]);
            *p++ = '"';
        }
    } else if (tls && ln->kind != K_MALFORMED) {
        /* no SNI: the listener's default certificate */
        p = EL_PUT_LIT(p, "\"-\" \"arn:aws:acm:" EL_WL_REGION ":" EL_WL_ACCOUNT ":certificate/");
        p = el_put_str(p, el_wl_certs[0]);
        *p++ = '"';
    } else {
        p = EL_PUT_LIT(p, "\"-\" \"-\"");
    }
    *p++ = ' ';
    if (ln->rule >= 0)
        p = el_put_u64(p, (uint64_t)ln->rule);
    else
        *p++ = '-';

    /* request_creation_time "actions_executed" "redirect_url" "error_reason" */
    *p++ = ' ';
    p = el_put_iso_ms(p, &g->dc, created);
    *p++ = ' ';
    p = put_quoted(p, ln->actions);
    *p++ = ' ';
    p = put_quoted(p, ln->redirect);
    *p++ = ' ';
    p = put_quoted(p, ln->error);

    /* "target:port_list" "target_status_code_list" */
    *p++ = ' ';
    if (ln->ip_target) {
        p = EL_PUT_LIT(p, "\"10.0.");
        p = el_put_u64(p, ln->tgt_addr[0]);
        *p++ = '.';
        p = el_put_u64(p, ln->tgt_addr[1]);
        *p++ = ':';
        p = el_put_u64(p, ln->tgt_port);
        p = EL_PUT_LIT(p, "\" ");
        if (ln->target >= 0) {
            *p++ = '"';
            p = el_put_u64(p, (uint64_t)ln->target);
            *p++ = '"';
        } else {
            p = EL_PUT_LIT(p, "\"-\"");
        }
    } else {
        p = EL_PUT_LIT(p, "\"-\" \"-\"");
    }

    /* "classification" "classification_reason" conn_trace_id */
    *p++ = ' ';
    p = put_quoted(p, ln->cls);
    *p++ = ' ';
    p = put_quoted(p, ln->cls_reason);
    p = EL_PUT_LIT(p, " TID_");
    p = el_put_rand_hex(p, r, 32);

    /* "transformed_host" "transformed_uri" "request_transform_status" */
    if (trailing)
        p = EL_PUT_LIT(p, " \"-\" \"-\" \"-\"");
    *p++ = '\n';

    *time_us = ln->time_us;
    return (size_t)(p - out);
}

/* ------------------------------------------------------------------ */
/* Layouts                                                             */
/* ------------------------------------------------------------------ */

struct el_opts {
    struct el_gen_common c;        /* seed, span, --out, gzip, --showcase, --stats */
    uint64_t lines;
    bool s3;
    unsigned files;
    unsigned trailing_permil;
};

static int write_single(struct el_gen *g, const struct el_opts *o, char *line)
{
    struct el_gzwriter s;
    bool to_stdout = strcmp(o->c.out, "-") == 0;
    int rc = 0;

    if (el_gzwriter_open(&s, to_stdout ? NULL : o->c.out, !o->c.plain && !to_stdout, o->c.level, o->c.jobs) != 0) {
        fprintf(stderr, "el_gen_alb: %s: %s\n", o->c.out, strerror(errno));
        el_gzwriter_close(&s);
        return -1;
    }
    for (uint64_t i = 0; i < g->lines && rc == 0; i++) {
        int64_t t;
        size_t n = build_line(g, i, line, &t);

        rc = el_gzwriter_put(&s, line, n);
    }
    if (el_gzwriter_close(&s) != 0 || rc != 0) {
        fprintf(stderr, "el_gen_alb: %s: write failed: %s\n", o->c.out, strerror(errno));
        return -1;
    }
    if (o->c.stats)
        fprintf(stderr, "el_gen_alb: %s: %llu bytes, %llu written\n", o->c.out,
                (unsigned long long)s.raw, (unsigned long long)s.packed);
    return 0;
}

/* The S3 key of one (node, window) file. The date folder is the date of
 * the window's end, so the last window of a day lands in the next day's
 * folder, as delivered logs do. */
static int s3_paths(const struct el_opts *o, int64_t end_us, unsigned node,
                    uint64_t salt, char *dir, size_t dirsz, char *file, size_t filesz)
{
    static const char alnum[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    int64_t day = el_floor_div(end_us, EL_US_PER_DAY);
    unsigned mod = (unsigned)((end_us - day * EL_US_PER_DAY) / EL_US_PER_MIN);
    char rnd[9];
    int y;
    unsigned m, d;
    int n;

    el_gen_civil_from_days(day, &y, &m, &d);
    for (int k = 0; k < 8; k++) {
        rnd[k] = alnum[salt % 36];
        salt /= 36;
    }
    rnd[8] = '\0';
    n = snprintf(dir, dirsz, "%s/AWSLogs/%s/elasticloadbalancing/%s/%04d/%02u/%02u",
                 o->c.out, EL_WL_ACCOUNT, EL_WL_REGION, y, m, d);
    if (n < 0 || (size_t)n >= dirsz)
        return -1;
    n = snprintf(file, filesz,
                 "%s/%s_elasticloadbalancing_%s_app.%s.%s_%04d%02u%02uT%02u%02uZ_%s_%s.log%s",
                 dir, EL_WL_ACCOUNT, EL_WL_REGION, EL_WL_LB_NAME, EL_WL_LB_ID, y, m, d,
                 mod / 60, mod % 60, el_wl_nodes[node], rnd, o->c.plain ? "" : ".gz");
    if (n < 0 || (size_t)n >= filesz)
        return -1;
    return 0;
}

/* The object ALB puts at the top of the prefix when logging is enabled. */
static int write_test_file(const struct el_opts *o)
{
    char dir[4096], path[4200], body[160];
    int64_t day = el_gen_days_from_civil(o->c.year, o->c.month, o->c.day) - 1;
    int y;
    unsigned m, d;
    int n;

    el_gen_civil_from_days(day, &y, &m, &d);
    n = snprintf(dir, sizeof dir, "%s/AWSLogs/%s", o->c.out, EL_WL_ACCOUNT);
    if (n < 0 || (size_t)n >= sizeof dir || el_gen_mkdir_p(dir) != 0)
        return -1;
    snprintf(path, sizeof path, "%s/ELBAccessLogTestFile", dir);
    n = snprintf(body, sizeof body, "Enable AccessLog for ELB: app/%s/%s at %04d-%02u-%02uT21:14:03.592Z",
                 EL_WL_LB_NAME, EL_WL_LB_ID, y, m, d);
    return el_gen_write_file(path, body, (size_t)n);
}

/* One file per (node, window): windows split the span at 5-minute
 * boundaries as evenly as possible; each line goes to a node chosen by a
 * hash of its index (not its content), and to the window of its time. */
static int write_s3(struct el_gen *g, const struct el_opts *o, char *line)
{
    unsigned nodes = o->files % 2 == 0 ? 2 : 1;
    unsigned windows = o->files / nodes;
    unsigned slots = o->c.minutes / 5;
    struct el_gzwriter *sinks = calloc(EL_WL_NODES_MAX, sizeof *sinks);
    bool is_open[EL_WL_NODES_MAX] = { false };
    unsigned w = 0, nfiles = 0;
    uint64_t raw = 0, packed = 0;
    int rc = 0;

    if (!sinks) {
        fprintf(stderr, "el_gen_alb: out of memory\n");
        return -1;
    }
    if (write_test_file(o) != 0) {
        free(sinks);
        fprintf(stderr, "el_gen_alb: %s: cannot write ELBAccessLogTestFile: %s\n", o->c.out,
                strerror(errno));
        return -1;
    }
    for (uint64_t i = 0; i < g->lines && rc == 0; i++) {
        int64_t t;
        size_t n = build_line(g, i, line, &t);
        unsigned slot = (unsigned)((t - g->curve.start_us) / (5 * EL_US_PER_MIN));
        unsigned node = (unsigned)(el_mix64(g->seed ^ 0x0de5ULL ^ el_mix64(i)) % nodes);

        /* window w covers slots [ceil(w*slots/W), ceil((w+1)*slots/W)) */
        while (w + 1 < windows && slot >= ((w + 1) * slots + windows - 1) / windows) {
            for (unsigned k = 0; k < nodes; k++) {
                if (is_open[k]) {
                    if (el_gzwriter_close(&sinks[k]) != 0) {
                        fprintf(stderr, "el_gen_alb: %s: write failed: %s\n", sinks[k].path,
                                strerror(errno));
                        rc = -1;
                    }
                    raw += sinks[k].raw;
                    packed += sinks[k].packed;
                    is_open[k] = false;
                }
            }
            w++;
        }
        if (rc == 0 && !is_open[node]) {
            char dir[4096], file[4600] = "";
            unsigned end_slot = ((w + 1) * slots + windows - 1) / windows;
            int64_t end_us = g->curve.start_us + (int64_t)end_slot * 5 * EL_US_PER_MIN;
            uint64_t salt = el_mix64(g->seed ^ 0x5a17ULL ^ el_mix64((uint64_t)end_us) ^ node);

            if (s3_paths(o, end_us, node, salt, dir, sizeof dir, file, sizeof file) != 0
                || el_gen_mkdir_p(dir) != 0
                || el_gzwriter_open(&sinks[node], file, !o->c.plain, o->c.level, o->c.jobs) != 0) {
                fprintf(stderr, "el_gen_alb: %s: %s\n", file, strerror(errno));
                el_gzwriter_close(&sinks[node]);
                rc = -1;
                break;
            }
            is_open[node] = true;
            nfiles++;
        }
        if (rc == 0)
            rc = el_gzwriter_put(&sinks[node], line, n);
    }
    for (unsigned k = 0; k < nodes; k++) {
        if (is_open[k]) {
            if (el_gzwriter_close(&sinks[k]) != 0)
                rc = -1;
            raw += sinks[k].raw;
            packed += sinks[k].packed;
        }
    }
    free(sinks);
    if (rc != 0) {
        fprintf(stderr, "el_gen_alb: %s: write failed\n", o->c.out);
        return -1;
    }
    if (o->c.stats)
        fprintf(stderr, "el_gen_alb: %s: %u files (%u nodes x %u windows), %llu bytes, %llu written\n",
                o->c.out, nfiles, nodes, windows, (unsigned long long)raw,
                (unsigned long long)packed);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Options                                                             */
/* ------------------------------------------------------------------ */

enum el_opt_key {
    O_LINES, O_LAYOUT, O_FILES, O_TRAILING, O_TRAILING_PCT, O_HELP,
};

static const struct el_gen_opt opt_table[] = {
    { "lines", O_LINES, "N", "number of lines (default 2000000)" },
    EL_GEN_OPT_ROWS_SPAN,
    { "out", EL_GEN_O_OUT, "PATH",
      "output: FILE.gz, '-' for plain text on stdout, or the\n"
      "directory under which --layout s3 writes AWSLogs/..." },
    { "layout", O_LAYOUT, "single|s3", "one file (default), or ALB's S3 key layout" },
    { "files", O_FILES, "N",
      "s3 layout: number of files, 2 nodes x N/2 windows when N is\n"
      "even, else 1 node (default 20)" },
    { "trailing-fields", O_TRAILING, NULL,
      "append \"-\" \"-\" \"-\" (transformed_host/uri/status) to every line" },
    { "trailing-pct", O_TRAILING_PCT, "P",
      "append them to P percent of the lines (0-100, default 0)" },
    { "plain", EL_GEN_O_PLAIN, NULL, "write uncompressed text (s3 layout: .log files)" },
    EL_GEN_OPT_ROWS_GZIP,
    { "showcase", EL_GEN_O_SHOWCASE, NULL,
      "force two lines of every rare kind, evenly spread (small samples)" },
    { "stats", EL_GEN_O_STATS, NULL, "print counts per kind, type and status class to stderr" },
    { "help", O_HELP, NULL, "show this help and exit" },
};

static void usage(FILE *fp)
{
    fprintf(fp, "usage: el_gen_alb --out PATH [options]\n\n"
                "Writes a deterministic synthetic AWS ALB access log (30 fields per line,\n"
                "Lambda targets, one UTC day with a daily rate curve). Same options give\n"
                "byte-identical output; the s3 layout holds exactly the lines of the single\n"
                "file for the same --lines/--seed/--date/--start/--minutes.\n\noptions:\n");
    el_gen_opt_usage(fp, opt_table, EL_ARRAY_LEN(opt_table));
    fprintf(fp, "\nexamples:\n"
                "  el_gen_alb --lines 2000000 --out alb-2000000.log.gz\n"
                "  el_gen_alb --lines 2000000 --layout s3 --files 20 --out corpus/s3\n"
                "  el_gen_alb --lines 20 --out - | less -S\n");
}

/* One option (el_gen_opt_parse callback): 0 to go on, 1 after --help, 2 on
 * a usage error (message printed). */
static int apply_opt(void *ctx, const struct el_gen_opt *op, const char *val)
{
    struct el_opts *o = ctx;
    uint64_t v;
    int rc = el_gen_common_opt(PROG, &o->c, op, val);

    if (rc >= 0)
        return rc;
    switch ((enum el_opt_key)op->key) {
    case O_LINES:
        if (el_gen_parse_u64(val, 1, 10000000000ULL, &o->lines) != 0)
            return el_gen_bad_value(PROG, op->name, val, "1 to 10000000000");
        break;
    case O_LAYOUT:
        if (strcmp(val, "single") == 0)
            o->s3 = false;
        else if (strcmp(val, "s3") == 0)
            o->s3 = true;
        else
            return el_gen_bad_value(PROG, op->name, val, "single or s3");
        break;
    case O_FILES:
        if (el_gen_parse_u64(val, 1, 2 * 288, &v) != 0)
            return el_gen_bad_value(PROG, op->name, val, "1 to 576");
        o->files = (unsigned)v;
        break;
    case O_TRAILING:
        o->trailing_permil = 1000;
        break;
    case O_TRAILING_PCT:
        if (el_gen_parse_u64(val, 0, 100, &v) != 0)
            return el_gen_bad_value(PROG, op->name, val, "0 to 100");
        o->trailing_permil = (unsigned)v * 10;
        break;
    case O_HELP:
        usage(stdout);
        return 1;
    }
    return 0;
}

/* Returns 0 to run, 1 after --help, 2 on a usage error (message printed). */
static int parse_args(int argc, char **argv, struct el_opts *o)
{
    int rc;

    *o = (struct el_opts){ .lines = 2000000, .files = 20 };
    rc = el_gen_parse_args(PROG, argc, argv, opt_table, EL_ARRAY_LEN(opt_table), apply_opt, o,
                           &o->c);
    if (rc != 0)
        return rc;
    if (o->s3) {
        unsigned nodes = o->files % 2 == 0 ? 2 : 1;

        if (strcmp(o->c.out, "-") == 0) {
            fprintf(stderr, PROG ": --layout s3 needs a directory for --out\n");
            return 2;
        }
        if (o->files / nodes > o->c.minutes / 5) {
            fprintf(stderr, PROG ": --files %u: windows would be shorter than 5 minutes\n",
                    o->files);
            return 2;
        }
        return 0;
    }
    return el_gen_check_gz_name(PROG, &o->c);
}

static void print_stats(const struct el_gen *g)
{
    fprintf(stderr, "el_gen_alb: %llu lines\n", (unsigned long long)g->lines);
    for (int k = 0; k < K_COUNT; k++)
        fprintf(stderr, "  kind %-18s %10llu  %7.3f %%\n", kind_names[k],
                (unsigned long long)g->kind_count[k], 100.0 * g->kind_count[k] / g->lines);
    for (int k = 0; k < T_COUNT; k++)
        fprintf(stderr, "  type %-18s %10llu  %7.3f %%\n", type_names[k],
                (unsigned long long)g->type_count[k], 100.0 * g->type_count[k] / g->lines);
    for (int k = 1; k <= 5; k++)
        fprintf(stderr, "  status %dxx %17llu  %7.3f %%\n", k,
                (unsigned long long)g->status_class[k], 100.0 * g->status_class[k] / g->lines);
}

int main(int argc, char **argv)
{
    struct el_opts o;
    struct el_gen *g;
    char *line;
    int rc = parse_args(argc, argv, &o);

    if (rc == 1)
        return 0;
    if (rc != 0)
        return 2;
    g = calloc(1, sizeof *g);
    line = malloc(MAX_LINE);
    if (!g || !line) {
        fprintf(stderr, "el_gen_alb: out of memory\n");
        return 1;
    }
    g->seed = o.c.seed;
    g->lines = o.lines;
    g->trailing_permil = o.trailing_permil;
    g->showcase = o.c.showcase;
    el_model_init(&g->model);
    g->dc.day = INT64_MIN;
    if (el_curve_init(&g->curve, o.c.seed, el_gen_days_from_civil(o.c.year, o.c.month, o.c.day) * EL_US_PER_DAY,
                   o.c.start_min, o.c.minutes) != 0) {
        fprintf(stderr, "el_gen_alb: out of memory\n");
        return 1;
    }
    rc = o.s3 ? write_s3(g, &o, line) : write_single(g, &o, line);
    if (rc == 0 && o.c.stats)
        print_stats(g);
    el_curve_fini(&g->curve);
    free(line);
    free(g);
    return rc == 0 ? 0 : 1;
}

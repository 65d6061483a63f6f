/* apigw_exec.c: API Gateway REST API execution logs, many lines per request.
 *
 * Line grammar (reference log-formats.md sections 2 and 3):
 *   line    = [stamp SP] [ "(" request-id ") " ] message
 *   stamp   = ISO-8601 "YYYY-MM-DDTHH:MM:SS.mmmZ"       ; CloudWatch export
 *           / "Www Mmm DD HH:MM:SS UTC YYYY :"          ; console test invoke
 *   A line with neither the stamp nor the "(id) " prefix that the stream
 *   otherwise uses continues the previous message (messages may hold
 *   newlines) and belongs to the previous line's request.
 * Messages used (others belong to their request and are ignored):
 *   Verifying Usage Plan for request: ID. ...   Starting execution for request: ID
 *   HTTP Method: M, Resource Path: /concrete/path
 *   Method request path: {name=value, ...}      -> the route template
 *   Endpoint request URI: .../functions/ARN/invocations  -> target function
 *   Received response. [Status: S, ]Integration latency: N ms
 *   Endpoint response headers: {... X-Amz-Function-Error=Unhandled ...}
 *   Lambda execution failed with status S due to customer function error: ...
 *   Execution failed due to configuration error: ...   (a timeout error, ...)
 *   ... throttle limit exceeded ...   Unauthorized request: ID
 *   Method completed with status: S             ; NOT the request's last line
 *   AWS Integration Endpoint RequestId : ID     X-ray Tracing ID : ID
 * and, for el_record.features only (see set_features_*() below):
 *   Verifying Usage Plan ... API Key: K API Stage: ...   Usage Plan check ...
 *   API Key: K   API Key ID: ID   API Key [K] [not ]authorized because method ...
 *   Starting authorizer: ...   Incoming identity: ...   Authorizer...
 *   Using ... authorizer ...   Successfully completed authorizer execution
 *   Request body does not match model schema ...   Missing required request parameters: [...]
 *   Method request body before transformations: B    Endpoint request body after ...: B
 *   Endpoint response body before transformations: B Method response body after ...: B
 *
 * Requests are correlated by the "(id) " prefix; the 2016 form without it by
 * the ids in "Verifying Usage Plan"/"Starting execution" lines and stream
 * order. Lines of different requests interleave. A request is handed out
 * once it completed and either its X-ray line arrived or LINGER_LINES more
 * lines went by (its trailing lines come right after completion). Open
 * requests are capped: past the cap the oldest is handed out as incomplete,
 * so memory is bounded by the cap, never by the input. finish() hands out
 * everything still open. Every line is consumed into a request (EL_PENDING)
 * or reported.
 */
#include <string.h>

#include "parsers_int.h"

#define DEFAULT_MAX_OPEN EL_EXEC_MAX_OPEN
#define LINGER_LINES 256
#define ID_MAX 63
#define METHOD_MAX 15
#define PATH_MAX_ 400
#define PARAMS_MAX 400
#define TARGET_MAX 140
#define XRAY_MAX 63
#define NIL UINT32_MAX

/* Canonical error reasons, classified by analysis/classify.c. */
static const char R_FUNCTION[] = "LambdaFunctionError";
static const char R_PROXY[] = "MalformedLambdaProxyResponse";
static const char R_CONFIG[] = "ConfigurationError";
static const char R_TIMEOUT[] = "IntegrationTimeout";
static const char R_THROTTLED[] = "Throttled";
static const char R_UNAUTHORIZED[] = "Unauthorized";
static const char R_AUTHORIZER[] = "AuthorizerError";

enum req_state { REQ_FREE, REQ_OPEN, REQ_DONE, REQ_READY };

/* Doubly linked lists threaded through the request array by index. */
struct list {
    uint32_t head, tail, n;
};

struct req {
    uint32_t hnext;      /* hash chain of open requests */
    uint32_t prev, next; /* open list in creation order, or ready/free list */
    enum req_state state;
    bool completed, incomplete_evicted;
    bool has_time, has_done_time, has_status, has_int_status, has_int_latency;
    uint64_t done_seq;
    int64_t first_us, done_us, int_latency_us;
    uint16_t status, int_status;
    const char *error;
    /* Features (docs/RECORD.md). key_feat holds what a logged API key
     * implies (a key and its usage plan); it is void when the method said
     * it "does not require API Key", whichever line came first. */
    uint32_t feat, key_feat;
    bool key_not_required;
    bool executing;   /* "HTTP Method:" seen: bodies from here on are the integration's */
    bool proxy_event; /* the endpoint request body was a Lambda proxy event */
    bool has_req_body, has_resp_body;
    uint64_t req_body_hash, resp_body_hash; /* first line of the "before" bodies */
    uint8_t idlen, mlen, xlen;
    uint16_t plen, parlen, tlen;
    char id[ID_MAX + 1];
    char method[METHOD_MAX + 1];
    char xray[XRAY_MAX + 1];
    char path[PATH_MAX_];
    char params[PARAMS_MAX];
    char target[TARGET_MAX];
};

struct el_parser {
    struct req *reqs;
    uint32_t nreqs, cap_reqs, max_open;
    uint32_t *buckets;
    uint32_t nbuckets; /* power of two */
    struct list open;  /* not completed yet, in creation order */
    struct list done;  /* completed, waiting for trailing lines, in completion order */
    struct list ready; /* to be handed out by drain() */
    uint32_t free_head;
    uint32_t emitting; /* handed out by drain(); released on the next call */
    uint32_t current;  /* no-prefix streams: the request lines attach to */
    uint32_t last;     /* request of the previous line, for continuations */
    uint64_t seq;
    bool stream_has_stamps, stream_has_ids;
    struct el_iso_cache iso; /* line stamps: repeated ones cost a compare */
    char route[PATH_MAX_ + PARAMS_MAX];
};

/* ---- small string helpers ---------------------------------------------- */

static bool starts(struct el_str s, const char *lit, size_t n)
{
    return s.n >= n && memcmp(s.p, lit, n) == 0;
}
#define STARTS(s, lit) starts((s), (lit), sizeof(lit) - 1)
#define SKIP(s, lit) ((struct el_str){ (s).p + sizeof(lit) - 1, (s).n - (sizeof(lit) - 1) })

static const char *find(struct el_str s, const char *lit, size_t n)
{
    if (s.n < n)
        return NULL;
    const char *end = s.p + s.n - n + 1;
    for (const char *p = s.p; p < end; p++) {
        p = memchr(p, lit[0], (size_t)(end - p));
        if (!p)
            return NULL;
        if (memcmp(p, lit, n) == 0)
            return p;
    }
    return NULL;
}
#define FIND(s, lit) find((s), (lit), sizeof(lit) - 1)

static size_t copy_cap(char *dst, size_t cap, const char *src, size_t n)
{
    if (n > cap)
        n = cap;
    if (n)
        memcpy(dst, src, n);
    return n;
}

/* Leading decimal digits as an unsigned value (at most max). */
static bool lead_uint(struct el_str s, uint64_t max, uint64_t *out)
{
    size_t n = 0;
    while (n < s.n && el_isdigit(s.p[n]))
        n++;
    return n && el_scan_u64((struct el_str){ s.p, n }, max, out) == EL_OK;
}

/* ---- request table ------------------------------------------------------- */

/* Eight bytes at a time (a request id is a 36-byte UUID; FNV-1a byte by
 * byte was ~150 instructions per line). The last word is the id's last
 * eight bytes, overlapping the one before: no read past the id. Only the
 * bucket depends on it, and equal ids share a bucket under any hash, so
 * which request a line joins does not. */
static uint32_t hash_id(const char *id, size_t n)
{
    const uint64_t m = 0xbf58476d1ce4e5b9ull;
    uint64_t h = 0x9e3779b97f4a7c15ull ^ n, w;
    if (n >= 8) {
        size_t i = 0;
        for (; i + 8 < n; i += 8) {
            memcpy(&w, id + i, 8);
            h = (h ^ w) * m;
        }
        memcpy(&w, id + n - 8, 8);
        h = (h ^ w) * m;
    } else {
        for (size_t i = 0; i < n; i++)
            h = (h ^ (unsigned char)id[i]) * m;
    }
    h ^= h >> 29;
    h *= 0x94d049bb133111ebull;
    return (uint32_t)(h ^ (h >> 32));
}

static void list_unlink(struct el_parser *ps, struct list *l, uint32_t i)
{
    struct req *r = &ps->reqs[i];
    if (r->prev != NIL)
        ps->reqs[r->prev].next = r->next;
    else
        l->head = r->next;
    if (r->next != NIL)
        ps->reqs[r->next].prev = r->prev;
    else
        l->tail = r->prev;
    l->n--;
}

static void list_push(struct el_parser *ps, struct list *l, uint32_t i)
{
    struct req *r = &ps->reqs[i];
    r->prev = l->tail;
    r->next = NIL;
    if (l->tail != NIL)
        ps->reqs[l->tail].next = i;
    else
        l->head = i;
    l->tail = i;
    l->n++;
}

static void hash_remove(struct el_parser *ps, uint32_t i)
{
    struct req *r = &ps->reqs[i];
    uint32_t *pp = &ps->buckets[hash_id(r->id, r->idlen) & (ps->nbuckets - 1)];
    while (*pp != NIL && *pp != i)
        pp = &ps->reqs[*pp].hnext;
    if (*pp == i)
        *pp = r->hnext;
}

/* Moves an open or done request to the ready queue (drain hands it out). */
static void make_ready(struct el_parser *ps, uint32_t i)
{
    struct req *r = &ps->reqs[i];
    hash_remove(ps, i);
    list_unlink(ps, r->state == REQ_DONE ? &ps->done : &ps->open, i);
    if (ps->current == i)
        ps->current = NIL;
    if (ps->last == i)
        ps->last = NIL;
    r->state = REQ_READY;
    list_push(ps, &ps->ready, i);
}

/* "Method completed" seen: the request waits on the done list for the lines
 * that follow it (Lambda request id, X-ray id). */
static void mark_done(struct el_parser *ps, uint32_t i)
{
    struct req *r = &ps->reqs[i];
    if (r->state != REQ_OPEN)
        return;
    list_unlink(ps, &ps->open, i);
    r->state = REQ_DONE;
    r->completed = true;
    r->done_seq = ps->seq;
    list_push(ps, &ps->done, i);
}

static uint32_t lookup(const struct el_parser *ps, const char *id, size_t n)
{
    uint32_t i = ps->buckets[hash_id(id, n) & (ps->nbuckets - 1)];
    while (i != NIL && !(ps->reqs[i].idlen == n && memcmp(ps->reqs[i].id, id, n) == 0))
        i = ps->reqs[i].hnext;
    return i;
}

/* A new open request; NIL only when memory ran out. At the cap the request
 * waiting longest is handed out first: a completed one early (it lacks at
 * most its trailing ids), else the oldest open one, as incomplete. */
static uint32_t open_request(struct el_parser *ps, const char *id, size_t n)
{
    if (ps->open.n + ps->done.n >= ps->max_open) {
        if (ps->done.head != NIL) {
            make_ready(ps, ps->done.head);
        } else if (ps->open.head != NIL) {
            ps->reqs[ps->open.head].incomplete_evicted = true;
            make_ready(ps, ps->open.head);
        }
    }
    uint32_t i = ps->free_head;
    if (i != NIL) {
        ps->free_head = ps->reqs[i].next;
    } else {
        if (ps->nreqs == ps->cap_reqs) {
            /* At most max_open requests are open or done, plus the one being
             * handed out and the one just evicted to the ready queue: the
             * pool never needs more, so growth stops there. */
            uint32_t limit = ps->max_open + 4;
            uint32_t cap = ps->cap_reqs ? ps->cap_reqs * 2 : 64;
            if (cap > limit)
                cap = limit;
            if (cap <= ps->nreqs)
                return NIL;
            struct req *v = el_realloc(ps->reqs, (size_t)cap * sizeof(*v));
            if (!v)
                return NIL;
            ps->reqs = v;
            ps->cap_reqs = cap;
        }
        i = ps->nreqs++;
    }
    struct req *r = &ps->reqs[i];
    memset(r, 0, offsetof(struct req, id));
    r->idlen = (uint8_t)copy_cap(r->id, ID_MAX, id, n);
    r->state = REQ_OPEN;
    uint32_t *b = &ps->buckets[hash_id(r->id, r->idlen) & (ps->nbuckets - 1)];
    r->hnext = *b;
    *b = i;
    list_push(ps, &ps->open, i);
    return i;
}

/* Completed requests whose trailing lines have had time to arrive. */
static void release_lingering(struct el_parser *ps)
{
    while (ps->done.head != NIL && ps->reqs[ps->done.head].done_seq + LINGER_LINES <= ps->seq)
        make_ready(ps, ps->done.head);
}

static void release_emitting(struct el_parser *ps)
{
    if (ps->emitting == NIL)
        return;
    struct req *r = &ps->reqs[ps->emitting];
    r->state = REQ_FREE;
    r->next = ps->free_head;
    ps->free_head = ps->emitting;
    ps->emitting = NIL;
}

/* ---- lifecycle ------------------------------------------------------------ */

static enum el_err exec_create(struct el_parser **out)
{
    struct el_parser *ps = el_calloc(1, sizeof(*ps));
    if (!ps)
        return EL_ERR_NOMEM;
    ps->max_open = DEFAULT_MAX_OPEN;
    ps->nbuckets = 1;
    while (ps->nbuckets < ps->max_open)
        ps->nbuckets <<= 1;
    ps->buckets = el_malloc((size_t)ps->nbuckets * sizeof(*ps->buckets));
    if (!ps->buckets) {
        el_free(ps);
        return EL_ERR_NOMEM;
    }
    memset(ps->buckets, 0xff, (size_t)ps->nbuckets * sizeof(*ps->buckets));
    ps->open = ps->done = ps->ready = (struct list){ NIL, NIL, 0 };
    ps->free_head = ps->emitting = ps->current = ps->last = NIL;
    *out = ps;
    return EL_OK;
}

static void exec_destroy(struct el_parser *ps)
{
    if (!ps)
        return;
    el_free(ps->reqs);
    el_free(ps->buckets);
    el_free(ps);
}

/* ---- prefixes ------------------------------------------------------------- */

static bool console_stamp(struct el_str s, int64_t *us, size_t *len)
{
    /* "Wed Aug 03 08:10:00 UTC 2022 : " (the weekday is sometimes garbled) */
    static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    const char *sp = memchr(s.p, ' ', s.n < 5 ? s.n : 5);
    if (!sp)
        return false;
    size_t o = (size_t)(sp - s.p) + 1;
    if (s.n < o + 28 || s.p[o + 3] != ' ' || s.p[o + 6] != ' ' ||
        memcmp(s.p + o + 15, " UTC ", 5) != 0 || memcmp(s.p + o + 24, " : ", 3) != 0)
        return false;
    int mon = -1;
    for (int m = 0; m < 12; m++)
        if (memcmp(s.p + o, months + 3 * m, 3) == 0)
            mon = m + 1;
    if (mon < 0)
        return false;
    char iso[24];
    memcpy(iso, s.p + o + 20, 4);
    iso[4] = '-';
    iso[5] = (char)('0' + mon / 10);
    iso[6] = (char)('0' + mon % 10);
    iso[7] = '-';
    memcpy(iso + 8, s.p + o + 4, 2);
    iso[10] = 'T';
    memcpy(iso + 11, s.p + o + 7, 8);
    iso[19] = 'Z';
    if (el_scan_iso8601_us((struct el_str){ iso, 20 }, us) != EL_OK)
        return false;
    *len = o + 27;
    return true;
}

/* Splits "[stamp ][(id) ]message". */
static void split_prefix(struct el_str s, struct el_iso_cache *iso, bool *has_ts, int64_t *ts,
                         bool *has_id, struct el_str *id, struct el_str *msg)
{
    *has_ts = *has_id = false;
    size_t stamp_len;
    if (s.n >= 25 && s.p[4] == '-' && s.p[10] == 'T' && s.p[24] == ' ' &&
        el_scan_iso8601_us_cached((struct el_str){ s.p, 24 }, iso, ts) == EL_OK) {
        *has_ts = true;
        s.p += 25;
        s.n -= 25;
    } else if (s.n >= 29 && s.p[0] >= 'A' && s.p[0] <= 'Z' && console_stamp(s, ts, &stamp_len)) {
        *has_ts = true;
        s.p += stamp_len;
        s.n -= stamp_len;
    }
    if (s.n > 3 && s.p[0] == '(') {
        size_t lim = s.n - 1 < ID_MAX + 1 ? s.n - 1 : ID_MAX + 1;
        const char *close = el_find_byte(s.p + 1, s.p + 1 + lim, ')');
        if (close < s.p + 1 + lim && close > s.p + 1 && close + 1 < s.p + s.n && close[1] == ' ') {
            *has_id = true;
            *id = (struct el_str){ s.p + 1, (size_t)(close - s.p - 1) };
            size_t skip = (size_t)(close - s.p) + 2;
            s.p += skip;
            s.n -= skip;
        }
    }
    *msg = s;
}

/* The request id of the lines that name one (2016 lines without a
 * prefix). Only these messages: a response body may well say "failed for
 * request: 42". */
static bool request_id_in(struct el_str msg, struct el_str *id)
{
    const char *p;
    if (STARTS(msg, "Verifying Usage Plan for request: "))
        p = msg.p + sizeof("Verifying Usage Plan for request: ") - 1;
    else if (STARTS(msg, "Starting execution for request: "))
        p = msg.p + sizeof("Starting execution for request: ") - 1;
    else if (STARTS(msg, "Starting authorizer: ") && (p = FIND(msg, " for request: ")) != NULL)
        p += sizeof(" for request: ") - 1;
    else
        return false;
    const char *end = msg.p + msg.n, *q = p;
    while (q < end && (el_isxdigit(*q) || *q == '-'))
        q++;
    if (q == p || q - p > ID_MAX)
        return false;
    *id = (struct el_str){ p, (size_t)(q - p) };
    return true;
}

static bool is_trailing(struct el_str msg)
{
    return STARTS(msg, "AWS Integration Endpoint RequestId") || STARTS(msg, "X-ray Tracing ID");
}

/* ---- features -------------------------------------------------------------------- */

/* The word at AT (spaces skipped), up to the next space; empty when the
 * next text is a non-empty STOP ("API Key:  API Stage: ..." logs no key). */
static struct el_str word_at(struct el_str s, const char *at, const char *stop, size_t stopn)
{
    const char *end = s.p + s.n;
    while (at < end && *at == ' ')
        at++;
    if (stopn && (size_t)(end - at) >= stopn && memcmp(at, stop, stopn) == 0)
        return (struct el_str){ 0 };
    const char *e = memchr(at, ' ', (size_t)(end - at));
    return (struct el_str){ at, (size_t)((e ? e : end) - at) };
}
#define WORD_AT(s, at, stop) word_at((s), (at), (stop), sizeof(stop) - 1)

/* A logged API key implies a key check and, since API Gateway refuses keys
 * that belong to no usage plan, the plan's check. Both are void if the same
 * request says its method "does not require API Key": a client may send a
 * key nobody asked for. */
static void key_logged(struct req *r, struct el_str key)
{
    if (key.n)
        r->key_feat |= EL_FEAT_API_KEY | EL_FEAT_USAGE_PLAN;
}

/* "API Key ..." messages: the 2016 "API Key: K" and "API Key ID: ID" lines,
 * and the verdict "API Key K authorized because method 'M /r' requires API
 * Key ..." / "... not authorized because ..." / "API Key  authorized because
 * method 'M /r' does not require API Key. Request will not contribute to
 * throttle or quota limits". The last one is the common line of every REST
 * API without keys, so it is a "no", not a "yes". */
static void api_key_line(struct req *r, struct el_str msg)
{
    if (STARTS(msg, "API Key ID: ")) {
        key_logged(r, WORD_AT(msg, msg.p + 12, ""));
    } else if (STARTS(msg, "API Key: ")) {
        key_logged(r, WORD_AT(msg, msg.p + 9, ""));
    } else if (FIND(msg, "authorized because ")) {
        if (FIND(msg, "does not require API Key"))
            r->key_not_required = true;
        else
            r->feat |= EL_FEAT_API_KEY; /* required: checked, passed or refused */
    }
}

/* 64-bit FNV-1a of a body's first line: passthrough leaves the body as it
 * was, a mapping template changes it. Bodies are cut at the same length
 * (" [TRUNCATED]") on both sides, so equal bodies stay equal. */
static uint64_t body_hash(struct el_str b)
{
    uint64_t h = UINT64_C(14695981039346656037);
    for (size_t i = 0; i < b.n; i++)
        h = (h ^ (unsigned char)b.p[i]) * UINT64_C(1099511628211);
    return h;
}

/* The body after "...transformations:" (one optional space). */
static struct el_str body_of(struct el_str msg, size_t litn)
{
    struct el_str b = { msg.p + litn, msg.n - litn };
    if (b.n && b.p[0] == ' ') {
        b.p++;
        b.n--;
    }
    return b;
}
#define BODY(msg, lit) body_of((msg), sizeof(lit) - 1)

/* "Endpoint request body after transformations:" of the integration (the
 * authorizer's own request, logged before "HTTP Method:", is skipped). A
 * Lambda proxy event ({"resource":...) is no mapping; a body equal to the
 * method request body is passthrough; a different one came from a template.
 * Without the method request body (data trace logs both, so only a partial
 * log lacks it) nothing is claimed. */
static void endpoint_request_body(struct req *r, struct el_str b)
{
    if (!r->executing)
        return;
    if (STARTS(b, "{\"resource\":")) {
        r->proxy_event = true;
        return;
    }
    if (r->has_req_body && body_hash(b) != r->req_body_hash)
        r->feat |= EL_FEAT_MAPPING;
}

/* "Method response body after transformations:" differing from the
 * endpoint's answer is an integration response template, except for proxy
 * integrations, where the gateway itself unwraps {"statusCode":..,"body":..}. */
static void method_response_body(struct req *r, struct el_str b)
{
    if (r->executing && !r->proxy_event && r->has_resp_body && body_hash(b) != r->resp_body_hash)
        r->feat |= EL_FEAT_MAPPING;
}

/* "Key throttle limit exceeded for ...", "Method throttle ...", "Account
 * throttle ...": one word, then the phrase. Checked only for messages the
 * dispatch did not take, without scanning the line. */
static bool is_throttle(struct el_str msg)
{
    static const char phrase[] = " throttle limit exceeded";
    size_t lim = msg.n < 16 ? msg.n : 16;
    const char *sp = memchr(msg.p, ' ', lim);
    return sp && (size_t)(msg.p + msg.n - sp) >= sizeof(phrase) - 1 &&
           memcmp(sp, phrase, sizeof(phrase) - 1) == 0;
}

/* ---- message handling ------------------------------------------------------ */

static void set_error(struct req *r, const char *reason)
{
    /* The first specific cause wins; a function error seen in the response
     * headers is confirmed, not replaced, by the later failure line. */
    if (!r->error || r->error == R_CONFIG)
        r->error = reason;
}

static void http_method(struct req *r, struct el_str msg)
{
    struct el_str m = SKIP(msg, "HTTP Method: ");
    const char *comma = memchr(m.p, ',', m.n);
    r->executing = true;
    if (comma) {
        r->mlen = (uint8_t)copy_cap(r->method, METHOD_MAX, m.p, (size_t)(comma - m.p));
        const char *rp = FIND(m, "Resource Path: ");
        if (rp) {
            rp += 15;
            r->plen = (uint16_t)copy_cap(r->path, PATH_MAX_, rp, (size_t)(m.p + m.n - rp));
        }
    }
}

static void received_response(struct req *r, struct el_str msg)
{
    uint64_t v;
    struct el_str m = SKIP(msg, "Received response. ");
    if (STARTS(m, "Status: ") && lead_uint(SKIP(m, "Status: "), 999, &v)) {
        r->int_status = (uint16_t)v;
        r->has_int_status = true;
    }
    const char *il = FIND(m, "Integration latency: ");
    if (il) {
        struct el_str n = { il + 21, (size_t)(m.p + m.n - il - 21) };
        if (lead_uint(n, 1000000000, &v)) {
            r->int_latency_us = (int64_t)v * 1000;
            r->has_int_latency = true;
        }
    }
}

static void execution_failed(struct req *r, struct el_str msg)
{
    struct el_str m = SKIP(msg, "Execution failed due to ");
    if (FIND(m, "Malformed Lambda proxy response")) {
        set_error(r, R_PROXY);
    } else if (STARTS(m, "a timeout error") || FIND(m, "timed out")) {
        set_error(r, R_TIMEOUT);
    } else if (FIND(m, "uthorizer")) {
        set_error(r, R_AUTHORIZER);
        r->feat |= EL_FEAT_AUTHORIZER;
    } else {
        set_error(r, R_CONFIG);
    }
}

static void throttled(struct req *r, struct el_str msg)
{
    /* "Key throttle limit exceeded for RestApi ID, Stage S, Resource RID,
     * HttpMethod M. Limit: ..." names no path, but the method helps. "Key"
     * is no proof of an API key: it is logged with an empty key too. */
    set_error(r, R_THROTTLED);
    r->feat |= EL_FEAT_THROTTLED;
    const char *hm = msg.n < 512 ? FIND(msg, "HttpMethod ") : NULL;
    if (hm && !r->mlen) {
        const char *m = hm + 11, *e = m, *end = msg.p + msg.n;
        while (e < end && *e >= 'A' && *e <= 'Z')
            e++;
        r->mlen = (uint8_t)copy_cap(r->method, METHOD_MAX, m, (size_t)(e - m));
    }
}

/* Dispatch on the message's first byte, then its prefix: most lines cost one
 * switch and a memcmp or two, and no line is scanned unless its prefix asked
 * for it. Returns false for a message nothing here takes. */
static bool apply_msg(struct el_parser *ps, uint32_t i, struct req *r, struct el_str msg,
                      bool has_ts, int64_t ts)
{
    uint64_t v;
    switch (msg.n ? msg.p[0] : 0) {
    case 'A':
        if (STARTS(msg, "API Key"))
            api_key_line(r, msg);
        else if (STARTS(msg, "Authorizer")) /* result body, ...ConfigurationException */
            r->feat |= EL_FEAT_AUTHORIZER;
        else
            return false;
        return true;
    case 'E':
        if (STARTS(msg, "Endpoint request URI: ")) {
            struct el_str m = SKIP(msg, "Endpoint request URI: ");
            const char *f = FIND(m, "/functions/");
            if (f) {
                f += 11;
                const char *e = memchr(f, '/', (size_t)(m.p + m.n - f));
                r->tlen = (uint16_t)copy_cap(r->target, TARGET_MAX, f,
                                             (size_t)((e ? e : m.p + m.n) - f));
            }
        } else if (STARTS(msg, "Endpoint response headers: ")) {
            if (FIND(msg, "X-Amz-Function-Error="))
                set_error(r, R_FUNCTION);
        } else if (STARTS(msg, "Endpoint request body after transformations:")) {
            endpoint_request_body(r, BODY(msg, "Endpoint request body after transformations:"));
        } else if (STARTS(msg, "Endpoint response body before transformations:")) {
            struct el_str b = BODY(msg, "Endpoint response body before transformations:");
            r->resp_body_hash = body_hash(b);
            r->has_resp_body = true;
        } else if (STARTS(msg, "Execution failed due to ")) {
            execution_failed(r, msg);
        } else {
            return false;
        }
        return true;
    case 'H':
        if (!STARTS(msg, "HTTP Method: "))
            return false;
        http_method(r, msg);
        return true;
    case 'I':
        if (!STARTS(msg, "Incoming identity: "))
            return false;
        r->feat |= EL_FEAT_AUTHORIZER;
        return true;
    case 'L': {
        if (!STARTS(msg, "Lambda execution failed with status "))
            return false;
        struct el_str m = SKIP(msg, "Lambda execution failed with status ");
        if (lead_uint(m, 999, &v)) {
            r->int_status = (uint16_t)v;
            r->has_int_status = true;
        }
        set_error(r, FIND(m, "customer function error") ? R_FUNCTION : R_CONFIG);
        return true;
    }
    case 'M':
        if (STARTS(msg, "Method completed with status: ")) {
            if (lead_uint(SKIP(msg, "Method completed with status: "), 999, &v)) {
                r->status = (uint16_t)v;
                r->has_status = true;
            }
            if (has_ts) {
                r->done_us = ts;
                r->has_done_time = true;
            }
            mark_done(ps, i);
        } else if (STARTS(msg, "Method request path: ")) {
            struct el_str p = SKIP(msg, "Method request path: ");
            r->parlen = (uint16_t)copy_cap(r->params, PARAMS_MAX, p.p, p.n);
        } else if (STARTS(msg, "Method request body before transformations:")) {
            struct el_str b = BODY(msg, "Method request body before transformations:");
            r->req_body_hash = body_hash(b);
            r->has_req_body = true;
        } else if (STARTS(msg, "Method response body after transformations:")) {
            method_response_body(r, BODY(msg, "Method response body after transformations:"));
        } else if (STARTS(msg, "Missing required request parameters: ")) {
            r->feat |= EL_FEAT_VALIDATION;
        } else {
            return false;
        }
        return true;
    case 'R':
        if (STARTS(msg, "Received response. "))
            received_response(r, msg);
        else if (STARTS(msg, "Request body does not match model schema"))
            r->feat |= EL_FEAT_VALIDATION;
        else
            return false;
        return true;
    case 'S':
        if (STARTS(msg, "Starting execution for request: "))
            r->executing = true;
        else if (STARTS(msg, "Starting authorizer: ") ||
                 STARTS(msg, "Successfully completed authorizer execution"))
            r->feat |= EL_FEAT_AUTHORIZER;
        else
            return false;
        return true;
    case 'U':
        if (STARTS(msg, "Unauthorized request")) {
            set_error(r, R_UNAUTHORIZED);
            r->feat |= EL_FEAT_AUTHORIZER;
        } else if (STARTS(msg, "Usage Plan check succeeded for API Key")) {
            struct el_str m = SKIP(msg, "Usage Plan check succeeded for API Key");
            key_logged(r, WORD_AT(m, m.p, "and API Stage"));
        } else if (STARTS(msg, "Usage Plan check failed")) {
            r->feat |= EL_FEAT_USAGE_PLAN;
        } else if (STARTS(msg, "Using ") && msg.n < 512 && FIND(msg, "authorizer")) {
            r->feat |= EL_FEAT_AUTHORIZER; /* "Using valid authorizer policy for principal" */
        } else {
            return false;
        }
        return true;
    case 'V': {
        if (!STARTS(msg, "Verifying Usage Plan for request: "))
            return false;
        const char *k = FIND(msg, " API Key:");
        if (k)
            key_logged(r, WORD_AT(msg, k + 9, "API Stage:"));
        return true;
    }
    case 'X': {
        if (!STARTS(msg, "X-ray Tracing ID : "))
            return false;
        struct el_str x = SKIP(msg, "X-ray Tracing ID : ");
        r->xlen = (uint8_t)copy_cap(r->xray, XRAY_MAX, x.p, x.n);
        if (r->state == REQ_DONE)
            make_ready(ps, i);
        return true;
    }
    default:
        return false;
    }
}

static void apply(struct el_parser *ps, uint32_t i, struct el_str msg, bool has_ts, int64_t ts)
{
    struct req *r = &ps->reqs[i];
    if (has_ts && !r->has_time) {
        r->first_us = ts;
        r->has_time = true;
    }
    if (!apply_msg(ps, i, r, msg, has_ts, ts) && is_throttle(msg))
        throttled(r, msg);
}

static enum el_err handle(struct el_parser *ps, struct el_str s, bool ev_has_ts, int64_t ev_ts,
                          struct el_diag *diag)
{
    bool has_ts, has_id;
    int64_t ts = 0;
    struct el_str id = { 0 }, msg;

    ps->seq++;
    release_emitting(ps);
    release_lingering(ps);
    split_prefix(s, &ps->iso, &has_ts, &ts, &has_id, &id, &msg);
    if (!has_ts && ev_has_ts) {
        has_ts = true;
        ts = ev_ts;
    }

    /* A line without the stamp or id the stream uses continues the previous
     * message (CloudWatch writes multi-line messages raw). */
    bool continuation = !ev_has_ts && ((ps->stream_has_stamps && !has_ts) ||
                                       (ps->stream_has_ids && !has_id && !has_ts));
    if (continuation) {
        if (ps->last != NIL)
            return EL_PENDING;
        return el_diag_set(diag, EL_SKIP, 0, 0, "execution-log line outside a request");
    }
    if (has_ts && !ev_has_ts)
        ps->stream_has_stamps = true;
    if (has_id)
        ps->stream_has_ids = true;

    uint32_t i;
    if (has_id) {
        i = lookup(ps, id.p, id.n);
        if (i == NIL) {
            if (is_trailing(msg))
                return el_diag_set(diag, EL_SKIP, 0, 0,
                                   "execution-log line after its request was reported");
            i = open_request(ps, id.p, id.n);
        }
    } else {
        struct el_str rid;
        if (request_id_in(msg, &rid)) {
            i = lookup(ps, rid.p, rid.n);
            if (i == NIL)
                i = open_request(ps, rid.p, rid.n);
        } else if (ps->current != NIL &&
                   (!ps->reqs[ps->current].completed || is_trailing(msg))) {
            i = ps->current;
        } else {
            i = open_request(ps, "", 0); /* pasted console output: no id at all */
        }
        ps->current = i;
    }
    if (i == NIL)
        return el_diag_set(diag, EL_ERR_NOMEM, 0, 0, "out of memory");
    ps->last = i;
    apply(ps, i, msg, has_ts, ts);
    return EL_PENDING;
}

static enum el_err exec_parse(struct el_parser *ps, const char *line, size_t len,
                              struct el_record *rec, struct el_diag *diag)
{
    (void)rec;
    return handle(ps, (struct el_str){ line, len }, false, 0, diag);
}

static enum el_err exec_parse_event(struct el_parser *ps, const struct el_event *ev,
                                    struct el_record *rec, struct el_diag *diag)
{
    (void)rec;
    struct el_str m = ev->message;
    /* An event is one whole message; text after an embedded newline is the
     * rest of that message (a header or body dump), never a new line. */
    const char *nl = memchr(m.p, '\n', m.n);
    if (nl)
        m.n = (size_t)(nl - m.p);
    return handle(ps, m, true, ev->time_us, diag);
}

/* ---- records ---------------------------------------------------------------- */

/* Route template from the concrete path and "Method request path: {k=v, ...}":
 * each value is put back as {k} where it stands as a whole segment; a value
 * holding '/' is a greedy {k+} path suffix. Without parameters the path is
 * already the template. */
static struct el_str template_route(struct el_parser *ps, const struct req *r)
{
    char *out = ps->route;
    size_t cap = sizeof(ps->route);
    struct el_str path = { r->path, r->plen };
    const char *p = r->params, *end = r->params + r->parlen;

    if (r->parlen < 2 || p[0] != '{')
        return r->parlen ? path : el_route_template(path, out, cap);
    memcpy(out, path.p, path.n);
    size_t n = path.n;
    p++;
    while (p < end && *p != '}') {
        const char *eq = memchr(p, '=', (size_t)(end - p));
        if (!eq)
            break;
        const char *vend = eq + 1;
        while (vend < end && *vend != ',' && *vend != '}')
            vend++;
        struct el_str key = { p, (size_t)(eq - p) }, val = { eq + 1, (size_t)(vend - eq - 1) };
        /* A greedy {name+} resource is recognised by a value holding '/',
         * or by the name API Gateway's console gives it (proxy), so that
         * /users and /users/42 under {proxy+} land on one route. */
        bool greedy = (val.n && memchr(val.p, '/', val.n)) ||
                      (key.n == 5 && memcmp(key.p, "proxy", 5) == 0);
        char ph[80];
        if (key.n + 4 > sizeof(ph) || !val.n)
            goto next;
        ph[0] = '{';
        memcpy(ph + 1, key.p, key.n);
        size_t phn = key.n + 1;
        if (greedy)
            ph[phn++] = '+';
        ph[phn++] = '}';
        /* find val as a whole segment (or, greedy, as the path's tail) */
        for (size_t at = 0; at + 1 + val.n <= n; at++) {
            if (out[at] != '/' || memcmp(out + at + 1, val.p, val.n) != 0)
                continue;
            size_t after = at + 1 + val.n;
            if (greedy ? after != n : (after != n && out[after] != '/'))
                continue;
            if (n - val.n + phn > cap)
                break;
            memmove(out + at + 1 + phn, out + after, n - after);
            memcpy(out + at + 1, ph, phn);
            n = n - val.n + phn;
            break;
        }
    next:
        p = vend;
        while (p < end && (*p == ',' || *p == ' '))
            p++;
    }
    return (struct el_str){ out, n };
}

static void fill_record(struct el_parser *ps, const struct req *r, struct el_record *rec)
{
    *rec = (struct el_record){ .src = EL_SRC_APIGW_REST };
    if (r->has_time) {
        rec->time_us = r->first_us;
        rec->flags |= EL_REC_HAS_TIME;
    }
    if (r->idlen)
        rec->request_id = (struct el_str){ r->id, r->idlen };
    if (r->xlen)
        rec->trace_id = (struct el_str){ r->xray, r->xlen };
    if (r->mlen)
        rec->method = (struct el_str){ r->method, r->mlen };
    if (r->plen) {
        rec->path = (struct el_str){ r->path, r->plen };
        rec->route = template_route(ps, r);
        /* Without "Method request path" (ERROR-level logs) the template is
         * edgelog's own guess, not the API's. */
        rec->route_from = r->parlen ? EL_ROUTE_API : EL_ROUTE_AUTO;
    }
    if (r->has_status) {
        rec->status = r->status;
        rec->flags |= EL_REC_HAS_STATUS;
    }
    /* "Received response. Status: 200" is the Lambda service's status, not
     * the function's answer. When the request failed in no way the gateway
     * names, the method status is what the integration produced (for proxy
     * integrations, the function's statusCode): that is the backend status
     * ALB reports too, so both front-ends compare. */
    if (r->has_int_status && (r->error || !r->has_status)) {
        rec->backend_status = r->int_status;
        rec->flags |= EL_REC_HAS_BACKEND_STATUS;
    } else if ((r->has_int_status || r->has_int_latency) && r->has_status) {
        rec->backend_status = r->status;
        rec->flags |= EL_REC_HAS_BACKEND_STATUS;
    }
    if (r->has_time && r->has_done_time && r->done_us >= r->first_us) {
        rec->latency_us = r->done_us - r->first_us;
        rec->flags |= EL_REC_HAS_LATENCY;
    }
    if (r->has_int_latency) {
        rec->backend_us = r->int_latency_us;
        rec->flags |= EL_REC_HAS_BACKEND;
    }
    /* Timestamps have millisecond resolution and integration latency is
     * rounded to ms too, so total - backend can come out slightly negative
     * for a fast front-end: that is "no measurable overhead", not absent. */
    if ((rec->flags & EL_REC_HAS_LATENCY) && (rec->flags & EL_REC_HAS_BACKEND)) {
        int64_t o = rec->latency_us - rec->backend_us;
        rec->overhead_us = o > 0 ? o : 0;
        rec->flags |= EL_REC_HAS_OVERHEAD;
    }
    if (r->error)
        rec->error_reason = (struct el_str){ r->error, strlen(r->error) };
    if (r->tlen)
        rec->target = (struct el_str){ r->target, r->tlen };
    if (!r->completed)
        rec->flags |= EL_REC_INCOMPLETE;
    rec->features = r->feat | (r->key_not_required ? 0 : r->key_feat);
}

static enum el_err exec_drain(struct el_parser *ps, struct el_record *rec, struct el_diag *diag)
{
    release_emitting(ps);
    uint32_t i = ps->ready.head;
    if (i == NIL)
        return EL_DONE;
    struct req *r = &ps->reqs[i];
    list_unlink(ps, &ps->ready, i);
    ps->emitting = i;
    fill_record(ps, r, rec);
    if (!r->completed)
        el_diag_set(diag, EL_OK, 0, 0,
                    r->incomplete_evicted ? "evicted at the open-request cap"
                                          : "never completed");
    return EL_OK;
}

static void exec_finish(struct el_parser *ps)
{
    while (ps->done.head != NIL)
        make_ready(ps, ps->done.head);
    while (ps->open.head != NIL)
        make_ready(ps, ps->open.head);
    ps->current = ps->last = NIL;
    ps->stream_has_ids = ps->stream_has_stamps = false;
}

/* ---- sniffing ------------------------------------------------------------------ */

static int exec_sniff(const struct el_str *lines, size_t n)
{
    static const char *const phrases[] = {
        "Extended Request Id: ", "Verifying Usage Plan for request: ",
        "Starting execution for request: ", "HTTP Method: ", "Method request path: ",
        "Method completed with status: ", "Received response. ",
        "Execution failed due to ", "Lambda execution failed with status ",
        "API Key authorized because ", "Usage Plan check succeeded",
    };
    int hits = 0;
    for (size_t i = 0; i < n; i++) {
        bool has_ts, has_id;
        int64_t ts;
        struct el_str id, msg;
        split_prefix(lines[i], NULL, &has_ts, &ts, &has_id, &id, &msg);
        for (size_t k = 0; k < EL_ARRAY_LEN(phrases); k++)
            if (starts(msg, phrases[k], strlen(phrases[k]))) {
                hits++;
                break;
            }
    }
    return hits == 0 ? 0 : hits == 1 ? 60 : 95;
}

const struct el_parser_ops el_parser_apigw_exec = {
    .name = "apigw-exec",
    .summary = "Amazon API Gateway REST API execution log (CloudWatch export, pasted or "
               "subscription events)",
    .sniff = exec_sniff,
    .create = exec_create,
    .parse = exec_parse,
    .destroy = exec_destroy,
    .parse_event = exec_parse_event,
    .drain = exec_drain,
    .finish = exec_finish,
};

/* migrate.c: migration risks of a record, and the per-route table of them.
 *
 * The limits are those of reference pricing.md section 3 (docs/COST.md cites
 * each). The table is an open-addressing hash index (linear probing,
 * power-of-two size, at most half full) of entries that each own a copy of
 * their key and hold one count and one earliest time per risk: sums and
 * mins, so merge is exact. Rows are sorted on output, never in table order,
 * so they do not depend on how the table happened to fill.
 */
#include <stdlib.h>
#include <string.h>

#include "migrate.h"

#define TIMEOUT_REST_US INT64_C(29000000) /* REST default integration timeout */
#define TIMEOUT_HTTP_US INT64_C(30000000) /* HTTP API integration timeout, fixed */
#define APIGW_PAYLOAD_MAX UINT64_C(10485760) /* 10 MiB, REST and HTTP APIs */
#define ALB_LAMBDA_MAX UINT64_C(1048576)     /* 1 MiB, ALB to and from Lambda */

/* ---- risks of one record ------------------------------------------------------ */

static const struct {
    const char *name;
    bool alb_to_apigw;
    bool blocker;
    const char *advice;
} risk_info[EL_RISK_COUNT] = {
    [EL_RISK_TIMEOUT_REST] = { "integration_over_29s", true, true,
                               "Slower than a REST API's 29 s integration timeout: ask for a "
                               "higher quota (Regional and private APIs), speed it up or make "
                               "it asynchronous." },
    [EL_RISK_TIMEOUT_HTTP] = { "integration_over_30s", true, true,
                               "Slower than an HTTP API's fixed 30 s timeout: only a REST API "
                               "with a raised quota, or an asynchronous design, can carry it." },
    [EL_RISK_PAYLOAD_10MB] = { "payload_over_10mb", true, true,
                               "Over API Gateway's 10 MB payload limit: move the body to S3 "
                               "(presigned URLs) or keep this route on ALB." },
    [EL_RISK_WEBSOCKET] = { "websocket", true, true,
                            "WebSocket traffic: REST and HTTP APIs do not proxy it; it needs an "
                            "API Gateway WebSocket API with its own routes and pricing." },
    [EL_RISK_NON_LAMBDA] = { "non_lambda_target", true, false,
                             "The target is an instance, IP or container: API Gateway reaches "
                             "it through an HTTP integration (a VPC link for private targets)." },
    [EL_RISK_ALB_1MB] = { "payload_over_1mb", false, true,
                          "Over ALB's 1 MB limit for Lambda requests and responses: move large "
                          "bodies to S3 or keep this route on API Gateway." },
    [EL_RISK_ALB_LIMIT_HIT] = { "alb_lambda_payload_refused", false, true,
                                "ALB already refused a Lambda payload over 1 MB here "
                                "(LambdaRequestTooLarge/LambdaResponseTooLarge): the limit is "
                                "real for this route." },
    [EL_RISK_API_KEY] = { "api_key", false, false,
                          "API keys are checked by API Gateway: on ALB the function (or a "
                          "header rule with a shared secret) must check them." },
    [EL_RISK_USAGE_PLAN] = { "usage_plan", false, false,
                             "Usage plans meter and cap each key: ALB has no quotas; build them "
                             "in the function (e.g. counters in DynamoDB)." },
    [EL_RISK_AUTHORIZER] = { "authorizer", false, false,
                             "An authorizer checks callers: ALB offers OIDC/Cognito "
                             "authentication on HTTPS listeners, anything else moves into the "
                             "function." },
    [EL_RISK_THROTTLING] = { "throttling", false, false,
                             "API Gateway throttled these: ALB does not rate-limit; use AWS WAF "
                             "rate-based rules or Lambda reserved concurrency." },
    [EL_RISK_VALIDATION] = { "request_validation", false, false,
                             "Request validation rejected these before the function ran: on ALB "
                             "the function must validate (and pay for) them." },
    [EL_RISK_MAPPING] = { "mapping_template", false, false,
                          "A mapping template rewrote the request or response: on ALB the "
                          "function receives the raw request and must do it." },
    [EL_RISK_CACHE] = { "api_cache", false, false,
                        "The API cache answered for the function: ALB has no cache; put "
                        "CloudFront in front or cache in the function." },
};

const char *el_risk_name(enum el_risk k)
{
    return (unsigned)k < EL_RISK_COUNT ? risk_info[k].name : "unknown";
}

const char *el_risk_direction(enum el_risk k)
{
    if ((unsigned)k >= EL_RISK_COUNT)
        return "";
    return risk_info[k].alb_to_apigw ? "alb-to-apigw" : "apigw-to-alb";
}

const char *el_risk_advice(enum el_risk k)
{
    return (unsigned)k < EL_RISK_COUNT ? risk_info[k].advice : "";
}

bool el_risk_is_blocker(enum el_risk k)
{
    return (unsigned)k < EL_RISK_COUNT && risk_info[k].blocker;
}

#define BIT(k) (1u << (k))

static bool over(const struct el_record *r, enum el_rec_flag f, uint64_t v, uint64_t max)
{
    return el_rec_has(r, f) && v > max;
}

static uint32_t alb_risks(const struct el_record *r)
{
    uint32_t k = 0;
    /* A WebSocket record is a whole connection: its bytes and times are the
     * connection's, not one request's, so only the WebSocket risk applies. */
    if (el_str_eq(r->type, "ws") || el_str_eq(r->type, "wss")) {
        k |= BIT(EL_RISK_WEBSOCKET);
    } else {
        if (el_rec_has(r, EL_REC_HAS_BACKEND) && r->backend_us > TIMEOUT_REST_US)
            k |= BIT(EL_RISK_TIMEOUT_REST);
        if (el_rec_has(r, EL_REC_HAS_BACKEND) && r->backend_us > TIMEOUT_HTTP_US)
            k |= BIT(EL_RISK_TIMEOUT_HTTP);
        if (over(r, EL_REC_HAS_BYTES_IN, r->bytes_in, APIGW_PAYLOAD_MAX) ||
            over(r, EL_REC_HAS_BYTES_OUT, r->bytes_out, APIGW_PAYLOAD_MAX))
            k |= BIT(EL_RISK_PAYLOAD_10MB);
    }
    /* alb.c leaves target empty for Lambda targets and when no target was
     * chosen; an address means an instance, IP or container target. */
    if (r->target.n)
        k |= BIT(EL_RISK_NON_LAMBDA);
    /* The exact reasons, not el_classify's payload_too_large, which a plain
     * 413 from a target reaches too. */
    if (el_str_eq(r->error_reason, "LambdaRequestTooLarge") ||
        el_str_eq(r->error_reason, "LambdaResponseTooLarge"))
        k |= BIT(EL_RISK_ALB_LIMIT_HIT);
    return k;
}

static uint32_t apigw_risks(const struct el_record *r)
{
    static const struct {
        uint32_t feat;
        enum el_risk risk;
    } feats[] = {
        { EL_FEAT_API_KEY, EL_RISK_API_KEY },
        { EL_FEAT_USAGE_PLAN, EL_RISK_USAGE_PLAN },
        { EL_FEAT_AUTHORIZER, EL_RISK_AUTHORIZER },
        { EL_FEAT_THROTTLED, EL_RISK_THROTTLING },
        { EL_FEAT_VALIDATION, EL_RISK_VALIDATION },
        { EL_FEAT_MAPPING, EL_RISK_MAPPING },
        { EL_FEAT_CACHE, EL_RISK_CACHE },
    };
    uint32_t k = 0;
    if (over(r, EL_REC_HAS_BYTES_IN, r->bytes_in, ALB_LAMBDA_MAX) ||
        over(r, EL_REC_HAS_BYTES_OUT, r->bytes_out, ALB_LAMBDA_MAX))
        k |= BIT(EL_RISK_ALB_1MB);
    if (r->features)
        for (size_t i = 0; i < EL_ARRAY_LEN(feats); i++)
            if (r->features & feats[i].feat)
                k |= BIT(feats[i].risk);
    return k;
}

uint32_t el_risks_of(const struct el_record *r)
{
    switch (r->src) {
    case EL_SRC_ALB: return alb_risks(r);
    case EL_SRC_APIGW_REST:
    case EL_SRC_APIGW_HTTP: return apigw_risks(r);
    default: return 0;
    }
}

/* ---- the table ------------------------------------------------------------------ */

struct entry {
    uint64_t hash;
    enum el_src src;
    uint32_t mlen, rlen; /* key[] holds the method, then the route */
    uint32_t risks;      /* risks with a count */
    uint32_t timed;      /* risks with a first_us */
    uint64_t count[EL_RISK_COUNT];
    int64_t first_us[EL_RISK_COUNT];
    char key[];
};

struct el_migrate {
    struct entry **slots;
    size_t cap, n, max_routes;
    struct entry *other; /* keys past max_routes; src EL_SRC_UNKNOWN, no key */
    uint64_t total[EL_RISK_COUNT];
};

enum el_err el_migrate_create(size_t max_routes, struct el_migrate **out)
{
    struct el_migrate *m = el_calloc(1, sizeof(*m));
    if (!m)
        return EL_ERR_NOMEM;
    m->max_routes = max_routes ? max_routes : EL_MIGRATE_DEFAULT_MAX_ROUTES;
    m->cap = 64;
    m->slots = el_calloc(m->cap, sizeof(*m->slots));
    if (!m->slots) {
        el_free(m);
        return EL_ERR_NOMEM;
    }
    *out = m;
    return EL_OK;
}

void el_migrate_destroy(struct el_migrate *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->cap; i++)
        el_free(m->slots[i]);
    el_free(m->other);
    el_free(m->slots);
    el_free(m);
}

static uint64_t hash_key(enum el_src src, struct el_str method, struct el_str route)
{
    uint64_t h = UINT64_C(14695981039346656037) ^ (uint64_t)src;
    h *= UINT64_C(1099511628211);
    for (size_t i = 0; i < method.n; i++)
        h = (h ^ (unsigned char)method.p[i]) * UINT64_C(1099511628211);
    h = (h ^ 0xffu) * UINT64_C(1099511628211); /* no byte of a method: ends it */
    for (size_t i = 0; i < route.n; i++)
        h = (h ^ (unsigned char)route.p[i]) * UINT64_C(1099511628211);
    return h;
}

static bool same_key(const struct entry *e, uint64_t h, enum el_src src, struct el_str method,
                     struct el_str route)
{
    return e->hash == h && e->src == src && e->mlen == method.n && e->rlen == route.n &&
           (!method.n || memcmp(e->key, method.p, method.n) == 0) &&
           (!route.n || memcmp(e->key + method.n, route.p, route.n) == 0);
}

static struct entry *entry_new(uint64_t h, enum el_src src, struct el_str method,
                               struct el_str route)
{
    struct entry *e = el_calloc(1, sizeof(*e) + method.n + route.n);
    if (!e)
        return NULL;
    e->hash = h;
    e->src = src;
    e->mlen = (uint32_t)method.n;
    e->rlen = (uint32_t)route.n;
    if (method.n)
        memcpy(e->key, method.p, method.n);
    if (route.n)
        memcpy(e->key + method.n, route.p, route.n);
    return e;
}

static void place(struct entry **slots, size_t cap, struct entry *e)
{
    size_t j = (size_t)e->hash & (cap - 1);
    while (slots[j])
        j = (j + 1) & (cap - 1);
    slots[j] = e;
}

static enum el_err grow(struct el_migrate *m)
{
    size_t cap = m->cap * 2;
    struct entry **slots = el_calloc(cap, sizeof(*slots));
    if (!slots)
        return EL_ERR_NOMEM;
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i])
            place(slots, cap, m->slots[i]);
    el_free(m->slots);
    m->slots = slots;
    m->cap = cap;
    return EL_OK;
}

/* The entry of a key: found, new, or "(other)" past the cap. NULL only when
 * memory ran out, with nothing inserted. */
static struct entry *lookup(struct el_migrate *m, enum el_src src, struct el_str method,
                            struct el_str route)
{
    uint64_t h = hash_key(src, method, route);
    size_t j = (size_t)h & (m->cap - 1);
    for (struct entry *e; (e = m->slots[j]) != NULL; j = (j + 1) & (m->cap - 1))
        if (same_key(e, h, src, method, route))
            return e;
    if (m->n >= m->max_routes) {
        if (!m->other)
            m->other = entry_new(0, EL_SRC_UNKNOWN, (struct el_str){ 0 }, (struct el_str){ 0 });
        return m->other;
    }
    if ((m->n + 1) * 2 > m->cap) {
        if (grow(m) != EL_OK)
            return NULL;
        j = (size_t)h & (m->cap - 1);
        while (m->slots[j])
            j = (j + 1) & (m->cap - 1);
    }
    struct entry *e = entry_new(h, src, method, route);
    if (!e)
        return NULL;
    m->slots[j] = e;
    m->n++;
    return e;
}

/* Adds COUNT requests of risk k with earliest time T (when timed). */
static void count(struct el_migrate *m, struct entry *e, enum el_risk k, uint64_t n,
                  bool timed, int64_t t)
{
    e->risks |= BIT(k);
    e->count[k] += n;
    m->total[k] += n;
    if (timed && (!(e->timed & BIT(k)) || t < e->first_us[k])) {
        e->first_us[k] = t;
        e->timed |= BIT(k);
    }
}

enum el_err el_migrate_add(struct el_migrate *m, const struct el_record *r)
{
    uint32_t risks = el_risks_of(r);
    if (!risks)
        return EL_OK;
    struct entry *e = lookup(m, r->src, r->method, r->route);
    if (!e)
        return EL_ERR_NOMEM;
    bool timed = el_rec_has(r, EL_REC_HAS_TIME);
    for (unsigned k = 0; k < EL_RISK_COUNT; k++)
        if (risks & BIT(k))
            count(m, e, (enum el_risk)k, 1, timed, r->time_us);
    return EL_OK;
}

static void fold(struct el_migrate *m, struct entry *d, const struct entry *s)
{
    for (unsigned k = 0; k < EL_RISK_COUNT; k++)
        if (s->risks & BIT(k))
            count(m, d, (enum el_risk)k, s->count[k], (s->timed & BIT(k)) != 0,
                  s->first_us[k]);
}

static struct el_str method_of(const struct entry *e)
{
    return (struct el_str){ e->key, e->mlen };
}

static struct el_str route_of(const struct entry *e)
{
    return (struct el_str){ e->key + e->mlen, e->rlen };
}

enum el_err el_migrate_merge(struct el_migrate *dst, const struct el_migrate *src)
{
    for (size_t i = 0; i < src->cap; i++) {
        const struct entry *s = src->slots[i];
        if (!s)
            continue;
        struct entry *d = lookup(dst, s->src, method_of(s), route_of(s));
        if (!d)
            return EL_ERR_NOMEM;
        fold(dst, d, s);
    }
    if (src->other) {
        if (!dst->other) {
            dst->other = entry_new(0, EL_SRC_UNKNOWN, (struct el_str){ 0 },
                                   (struct el_str){ 0 });
            if (!dst->other)
                return EL_ERR_NOMEM;
        }
        fold(dst, dst->other, src->other);
    }
    return EL_OK;
}

uint64_t el_migrate_total(const struct el_migrate *m, enum el_risk k)
{
    return (unsigned)k < EL_RISK_COUNT ? m->total[k] : 0;
}

/* ---- rows --------------------------------------------------------------------------- */

static int cmp_rows(const void *pa, const void *pb)
{
    const struct el_risk_row *a = pa, *b = pb;
    bool da = risk_info[a->risk].alb_to_apigw, db = risk_info[b->risk].alb_to_apigw;
    if (da != db)
        return da ? -1 : 1;
    if (a->risk != b->risk)
        return a->risk < b->risk ? -1 : 1;
    if (a->is_other != b->is_other)
        return a->is_other ? 1 : -1;
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    int c = el_str_cmp(a->source, b->source);
    if (!c)
        c = el_str_cmp(a->method, b->method);
    if (!c)
        c = el_str_cmp(a->route, b->route);
    return c;
}

static size_t popcount(uint32_t v)
{
    size_t n = 0;
    for (; v; v &= v - 1)
        n++;
    return n;
}

static size_t emit(const struct entry *e, bool is_other, struct el_risk_row *out)
{
    size_t n = 0;
    const char *src = el_src_name(e->src);
    for (unsigned k = 0; k < EL_RISK_COUNT; k++) {
        if (!(e->risks & BIT(k)))
            continue;
        struct el_risk_row *r = &out[n++];
        *r = (struct el_risk_row){ .risk = (enum el_risk)k, .count = e->count[k],
                                   .first_us = e->first_us[k],
                                   .has_time = (e->timed & BIT(k)) != 0,
                                   .is_other = is_other };
        if (!is_other) {
            r->source = (struct el_str){ src, strlen(src) };
            r->method = method_of(e);
            r->route = route_of(e);
        }
    }
    return n;
}

enum el_err el_migrate_rows(const struct el_migrate *m, struct el_risk_row **rows, size_t *n)
{
    size_t total = m->other ? popcount(m->other->risks) : 0;
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i])
            total += popcount(m->slots[i]->risks);
    *rows = NULL;
    *n = 0;
    if (!total)
        return EL_OK;
    struct el_risk_row *out = el_malloc(total * sizeof(*out));
    if (!out)
        return EL_ERR_NOMEM;
    size_t k = 0;
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i])
            k += emit(m->slots[i], false, out + k);
    if (m->other)
        k += emit(m->other, true, out + k);
    qsort(out, k, sizeof(*out), cmp_rows);
    *rows = out;
    *n = k;
    return EL_OK;
}

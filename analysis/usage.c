/* usage.c: the per-hour quantities ALB and API Gateway bills are made of,
 * estimated from records (cost.h, docs/COST.md "How usage is estimated").
 *
 * Hours live in a small open-addressing table keyed by hour number, with a
 * one-entry cache since records mostly arrive in time order.
 *
 * Connections are spans: a 64-bit hash of the client's identity
 * (conn_trace_id, else client ip:port, else client ip) with the times of a
 * run of its requests no more than the idle timeout apart. An index keeps
 * each identity's latest span, so a request extends it or, after a longer
 * pause, starts a new one. Nothing is booked while records arrive: merging
 * appends the other collector's spans, and el_usage_hours sorts all spans
 * by identity and time, in place, and joins those within the idle timeout
 * of each other. Joining runs of requests is the same whichever way the requests
 * were split, so the connection figures of any split and merge order equal
 * those of one pass over all the records. Only past the span cap are
 * connections booked at once (counted, and said in the report).
 */
#include <stdlib.h>
#include <string.h>

#include "analysis_int.h"
#include "cost.h"

#define HOUR_US 3600000000LL
#define SEC_US 1000000LL

struct slot {
    int64_t hour; /* hour number since the epoch; the table key */
    struct el_usage_hour h;
    struct el_peak secs; /* requests per second within the hour */
};

struct span {
    uint64_t key; /* identity hash, never 0 */
    int64_t first_us, last_us;
};

/* An index slot: the identity's high 32 bits, so a probe past other
 * identities rarely touches their spans, and 1 + its latest span (0 =
 * empty). */
struct ixslot {
    uint32_t tag;
    uint32_t span;
};

struct el_usage {
    struct el_usage_opts o;
    struct slot *slots;
    size_t nslots, cap; /* cap: power of two, at most half full */
    size_t last;        /* index of the slot hit last */
    struct span *spans;
    size_t nspans, spancap;
    struct ixslot *index; /* identity -> its latest span */
    size_t icap;     /* power of two, at most 3/4 full */
    struct el_usage_totals t;
};

enum el_err el_usage_create(const struct el_usage_opts *opts, struct el_usage **out)
{
    struct el_usage *u = el_calloc(1, sizeof(*u));
    if (!u)
        return EL_ERR_NOMEM;
    if (opts)
        u->o = *opts;
    if (u->o.idle_timeout_us <= 0)
        u->o.idle_timeout_us = EL_USAGE_DEFAULT_IDLE_US;
    if (!u->o.max_conns)
        u->o.max_conns = EL_USAGE_DEFAULT_MAX_CONNS;
    *out = u;
    return EL_OK;
}

void el_usage_destroy(struct el_usage *u)
{
    if (!u)
        return;
    for (size_t i = 0; i < u->cap; i++)
        el_peak_free(&u->slots[i].secs);
    el_free(u->slots);
    el_free(u->spans);
    el_free(u->index);
    el_free(u);
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Byte and unit counts saturate rather than wrap: a log may claim sizes
 * up to 2^62 a field (the parsers' bound), and a wrapped sum would price a
 * huge hour as a small one. */
static uint64_t sat_add_u64(uint64_t a, uint64_t b)
{
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static size_t hour_pos(int64_t hour, size_t cap)
{
    return (size_t)(((uint64_t)hour * 0x9E3779B97F4A7C15ull) >> 17) & (cap - 1);
}

static enum el_err grow_slots(struct el_usage *u)
{
    size_t cap = u->cap ? u->cap * 2 : 64;
    struct slot *s = el_calloc(cap, sizeof(*s));
    if (!s)
        return EL_ERR_NOMEM;
    for (size_t i = 0; i < cap; i++)
        s[i].hour = INT64_MIN;
    for (size_t i = 0; i < u->cap; i++) {
        if (u->slots[i].hour == INT64_MIN)
            continue;
        size_t j = hour_pos(u->slots[i].hour, cap);
        while (s[j].hour != INT64_MIN)
            j = (j + 1) & (cap - 1);
        s[j] = u->slots[i];
    }
    el_free(u->slots);
    u->slots = s;
    u->cap = cap;
    u->last = 0;
    return EL_OK;
}

/* The slot of an hour, created empty if needed; NULL when out of memory. */
static struct slot *slot_of(struct el_usage *u, int64_t hour)
{
    if (u->cap && u->slots[u->last].hour == hour)
        return &u->slots[u->last];
    if ((u->nslots + 1) * 2 > u->cap && grow_slots(u) != EL_OK)
        return NULL;
    size_t j = hour_pos(hour, u->cap);
    while (u->slots[j].hour != INT64_MIN && u->slots[j].hour != hour)
        j = (j + 1) & (u->cap - 1);
    if (u->slots[j].hour == INT64_MIN) {
        u->slots[j].hour = hour;
        u->slots[j].h.start_us = hour * HOUR_US;
        u->nslots++;
    }
    u->last = j;
    return &u->slots[j];
}

/* Books one connection: opened at open_us, open until close_us. Hours are
 * created as needed (el_usage_hours keeps only those within the window of
 * the requests). */
static enum el_err book_conn(struct el_usage *u, int64_t open_us, int64_t close_us)
{
    struct slot *s = slot_of(u, floor_div(open_us, HOUR_US));
    if (!s)
        return EL_ERR_NOMEM;
    s->h.new_conns++;
    for (int64_t t = open_us; t < close_us;) {
        int64_t hour = floor_div(t, HOUR_US);
        int64_t end = (hour + 1) * HOUR_US;
        if (end > close_us)
            end = close_us;
        if (!(s = slot_of(u, hour)))
            return EL_ERR_NOMEM;
        s->h.active_conn_us += (uint64_t)(end - t);
        t = end;
    }
    return EL_OK;
}

/* ---- connection identity ---- */

static uint64_t hash_bytes(uint64_t h, const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 1099511628211ull;
    return h;
}

static uint64_t mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h ? h : 1; /* 0 marks an empty slot */
}

enum conn_kind { BY_TRACE, BY_IP_PORT, BY_IP, UNIDENTIFIED };

static enum conn_kind conn_key(const struct el_record *r, uint64_t *key)
{
    uint64_t h = 1469598103934665603ull;
    if (r->conn_id.n) {
        *key = mix(hash_bytes(h ^ 't', r->conn_id.p, r->conn_id.n));
        return BY_TRACE;
    }
    if (!r->client_ip.n)
        return UNIDENTIFIED;
    h = hash_bytes(h, r->client_ip.p, r->client_ip.n);
    if (el_rec_has(r, EL_REC_HAS_CLIENT_PORT)) {
        *key = mix((h ^ r->client_port) * 1099511628211ull);
        return BY_IP_PORT;
    }
    *key = mix(h ^ 'i');
    return BY_IP;
}

static enum el_err grow_index(struct el_usage *u)
{
    size_t cap = u->icap ? u->icap * 2 : 1024;
    struct ixslot *ix = el_calloc(cap, sizeof(*ix));
    if (!ix)
        return EL_ERR_NOMEM;
    for (size_t i = 0; i < u->icap; i++) {
        if (!u->index[i].span)
            continue;
        size_t j = (size_t)u->spans[u->index[i].span - 1].key & (cap - 1);
        while (ix[j].span)
            j = (j + 1) & (cap - 1);
        ix[j] = u->index[i];
    }
    el_free(u->index);
    u->index = ix;
    u->icap = cap;
    return EL_OK;
}

/* The index slot of identity key: its own, or the empty one where it would
 * go. */
static size_t find_slot(const struct el_usage *u, uint64_t key)
{
    uint32_t tag = (uint32_t)(key >> 32);
    size_t j = (size_t)key & (u->icap - 1);
    for (; u->index[j].span; j = (j + 1) & (u->icap - 1))
        if (u->index[j].tag == tag && u->spans[u->index[j].span - 1].key == key)
            break;
    return j;
}

/* Requests of identity `key` from first_us to last_us (one request, or a
 * span of another collector). */
static enum el_err touch_conn(struct el_usage *u, uint64_t key, int64_t first_us, int64_t last_us)
{
    int64_t idle = u->o.idle_timeout_us;
    size_t j = 0;
    bool found = false;
    if (u->icap) {
        j = find_slot(u, key);
        found = u->index[j].span != 0;
        if (found) {
            struct span *sp = &u->spans[u->index[j].span - 1];
            if (first_us <= sp->last_us + idle && last_us + idle >= sp->first_us) {
                if (first_us < sp->first_us)
                    sp->first_us = first_us;
                if (last_us > sp->last_us)
                    sp->last_us = last_us;
                return EL_OK;
            }
            /* a pause longer than the idle timeout: a new span */
        }
    }
    if (u->nspans >= u->o.max_conns) {
        u->t.conns++;
        u->t.conns_untracked++;
        return book_conn(u, first_us, last_us + idle);
    }
    if (u->nspans == u->spancap) {
        size_t cap = u->spancap ? u->spancap * 2 : 1024;
        if (cap > u->o.max_conns)
            cap = u->o.max_conns; /* never room past the cap */
        struct span *sp = el_realloc(u->spans, cap * sizeof(*sp));
        if (!sp)
            return EL_ERR_NOMEM;
        u->spans = sp;
        u->spancap = cap;
    }
    if (!found && (u->nspans + 1) * 4 > u->icap * 3) {
        if (grow_index(u) != EL_OK)
            return EL_ERR_NOMEM;
        j = find_slot(u, key);
    }
    u->spans[u->nspans] = (struct span){ key, first_us, last_us };
    /* The index follows the identity's latest span in time. */
    if (!found || last_us > u->spans[u->index[j].span - 1].last_us)
        u->index[j] = (struct ixslot){ (uint32_t)(key >> 32), (uint32_t)(u->nspans + 1) };
    u->nspans++;
    return EL_OK;
}

/* ---- records ---- */

static bool is_apigw(const struct el_record *r)
{
    return r->src == EL_SRC_APIGW_REST || r->src == EL_SRC_APIGW_HTTP;
}

/* Whether API Gateway bills the request: not when the gateway itself
 * throttled it or refused it for authentication or an API key (no
 * integration answered). Requests from ALB logs are all billed: their
 * authentication would move into the gateway only if the team moved it. */
static bool apigw_bills(const struct el_record *r)
{
    if (!is_apigw(r))
        return true;
    if (r->features & EL_FEAT_THROTTLED)
        return false;
    if (el_rec_has(r, EL_REC_HAS_BACKEND_STATUS))
        return true;
    enum el_error_class c = el_classify(r);
    return c != EL_EC_THROTTLED && c != EL_EC_AUTH;
}

/* HTTP API metering: the larger of request and response, in 512 KiB
 * increments, at least one (docs/COST.md: AWS does not say which side is
 * metered; this never bills less than either reading). */
static uint64_t http_units(const struct el_record *r)
{
    uint64_t in = el_rec_has(r, EL_REC_HAS_BYTES_IN) ? r->bytes_in : 0;
    uint64_t out = el_rec_has(r, EL_REC_HAS_BYTES_OUT) ? r->bytes_out : 0;
    return el_http_units(in > out ? in : out, 524288);
}

enum el_err el_usage_add(struct el_usage *u, const struct el_record *r)
{
    u->t.requests++;
    if ((unsigned)r->src < EL_SRC_COUNT)
        u->t.requests_by_src[r->src]++;
    if (!el_rec_has(r, EL_REC_HAS_TIME)) {
        u->t.untimed++;
        return EL_OK;
    }
    int64_t t = r->time_us;
    struct slot *s = slot_of(u, floor_div(t, HOUR_US));
    if (!s || el_peak_add(&s->secs, (uint32_t)floor_div(t - s->h.start_us, SEC_US), 1) != EL_OK)
        return EL_ERR_NOMEM;
    s->h.requests++;
    if (apigw_bills(r)) {
        s->h.apigw_billable++;
        s->h.http_units = sat_add_u64(s->h.http_units, http_units(r));
    }
    bool has_bytes = el_rec_has(r, EL_REC_HAS_BYTES_IN) || el_rec_has(r, EL_REC_HAS_BYTES_OUT);
    uint64_t bytes = (el_rec_has(r, EL_REC_HAS_BYTES_IN) ? r->bytes_in : 0) +
                     (el_rec_has(r, EL_REC_HAS_BYTES_OUT) ? r->bytes_out : 0);
    if (!has_bytes)
        u->t.without_bytes++;
    /* ALB logs an instance, IP or container target as ip:port and a Lambda
     * target as "-"; API Gateway is priced onto ALB as Lambda behind it. */
    if (r->src == EL_SRC_ALB && r->target.n)
        s->h.bytes_other = sat_add_u64(s->h.bytes_other, bytes);
    else
        s->h.bytes_lambda = sat_add_u64(s->h.bytes_lambda, bytes);

    bool first_timed = u->t.requests - u->t.untimed == 1;
    if (first_timed || t < u->t.first_us)
        u->t.first_us = t;
    if (first_timed || t > u->t.last_us)
        u->t.last_us = t;

    uint64_t key = 0;
    switch (conn_key(r, &key)) {
    case BY_TRACE: u->t.by_trace_id++; break;
    case BY_IP_PORT: u->t.by_ip_port++; break;
    case BY_IP: u->t.by_ip++; break;
    case UNIDENTIFIED: {
        /* No client identity: a connection of its own, open while the
         * request was served. */
        u->t.unidentified++;
        u->t.conns++;
        int64_t lat = el_rec_has(r, EL_REC_HAS_LATENCY) ? r->latency_us : 0;
        return book_conn(u, t, t + lat);
    }
    }
    return touch_conn(u, key, t, t);
}

uint64_t el_usage_requests(const struct el_usage *u)
{
    return u ? u->t.requests : 0;
}

enum el_err el_usage_merge(struct el_usage *dst, const struct el_usage *src)
{
    for (size_t i = 0; i < src->cap; i++) {
        const struct slot *from = &src->slots[i];
        if (from->hour == INT64_MIN)
            continue;
        struct slot *to = slot_of(dst, from->hour);
        if (!to || el_peak_merge(&to->secs, &from->secs) != EL_OK)
            return EL_ERR_NOMEM;
        to->h.requests += from->h.requests;
        to->h.apigw_billable += from->h.apigw_billable;
        to->h.http_units = sat_add_u64(to->h.http_units, from->h.http_units);
        to->h.bytes_lambda = sat_add_u64(to->h.bytes_lambda, from->h.bytes_lambda);
        to->h.bytes_other = sat_add_u64(to->h.bytes_other, from->h.bytes_other);
        to->h.new_conns += from->h.new_conns;
        to->h.active_conn_us += from->h.active_conn_us;
    }
    for (size_t i = 0; i < src->nspans; i++) {
        const struct span *sp = &src->spans[i];
        if (touch_conn(dst, sp->key, sp->first_us, sp->last_us) != EL_OK)
            return EL_ERR_NOMEM;
    }
    struct el_usage_totals *d = &dst->t;
    const struct el_usage_totals *s = &src->t;
    uint64_t dtimed = d->requests - d->untimed, stimed = s->requests - s->untimed;
    if (stimed && (!dtimed || s->first_us < d->first_us))
        d->first_us = s->first_us;
    if (stimed && (!dtimed || s->last_us > d->last_us))
        d->last_us = s->last_us;
    d->requests += s->requests;
    d->untimed += s->untimed;
    d->by_trace_id += s->by_trace_id;
    d->by_ip_port += s->by_ip_port;
    d->by_ip += s->by_ip;
    d->unidentified += s->unidentified;
    d->conns += s->conns;
    d->conns_untracked += s->conns_untracked;
    d->without_bytes += s->without_bytes;
    for (size_t k = 0; k < EL_SRC_COUNT; k++)
        d->requests_by_src[k] += s->requests_by_src[k];
    return EL_OK;
}

/* Adds a connection's opening and open time to the hours of the window
 * [h0, h0 + n). */
static void book_into(struct el_usage_hour *hours, size_t n, int64_t h0, int64_t open_us,
                      int64_t close_us)
{
    int64_t first = floor_div(open_us, HOUR_US);
    if (first >= h0 && first < h0 + (int64_t)n)
        hours[first - h0].new_conns++;
    for (int64_t t = open_us; t < close_us;) {
        int64_t hour = floor_div(t, HOUR_US);
        int64_t end = (hour + 1) * HOUR_US;
        if (end > close_us)
            end = close_us;
        if (hour >= h0 && hour < h0 + (int64_t)n)
            hours[hour - h0].active_conn_us += (uint64_t)(end - t);
        t = end;
    }
}

static int cmp_spans(const void *pa, const void *pb)
{
    const struct span *a = pa, *b = pb;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    if (a->first_us != b->first_us)
        return a->first_us < b->first_us ? -1 : 1;
    return (a->last_us > b->last_us) - (a->last_us < b->last_us);
}

static const struct slot *slot_of_const(const struct el_usage *u, int64_t hour)
{
    size_t j = hour_pos(hour, u->cap);
    while (u->slots[j].hour != hour)
        j = (j + 1) & (u->cap - 1);
    return &u->slots[j];
}

static uint32_t first_peak_second(const struct el_peak *p)
{
    uint32_t best = UINT32_MAX;
    for (uint32_t k = 0; k < p->cap; k++)
        if (p->sec[k] && p->cnt[k] == p->max && p->sec[k] - 1 < best)
            best = p->sec[k] - 1;
    return best == UINT32_MAX ? 0 : best;
}

/* A window longer than this is a mistake in the data (a year-0 timestamp
 * beside a 2026 one), not traffic to price hour by hour. */
#define MAX_WINDOW_HOURS (24 * 366 * 20)

/* Sorts the spans by identity and time and joins those no more than the
 * idle timeout apart, in place; the index goes (it would point at moved
 * spans) and is rebuilt, empty, by the next request: a span the index does
 * not know is joined here the next time. */
static void settle(struct el_usage *u)
{
    el_free(u->index);
    u->index = NULL;
    u->icap = 0;
    if (!u->nspans)
        return;
    qsort(u->spans, u->nspans, sizeof(*u->spans), cmp_spans);
    int64_t idle = u->o.idle_timeout_us;
    size_t k = 0;
    for (size_t i = 0; i < u->nspans;) {
        struct span c = u->spans[i++];
        while (i < u->nspans && u->spans[i].key == c.key && u->spans[i].first_us <= c.last_us + idle) {
            if (u->spans[i].last_us > c.last_us)
                c.last_us = u->spans[i].last_us;
            i++;
        }
        u->spans[k++] = c;
    }
    u->nspans = k;
}

enum el_err el_usage_hours(struct el_usage *u, struct el_usage_hour **hours, size_t *n,
                           struct el_usage_totals *totals)
{
    *hours = NULL;
    *n = 0;
    *totals = u->t;
    if (u->t.requests == u->t.untimed)
        return EL_OK;
    int64_t h0 = floor_div(u->t.first_us, HOUR_US), h1 = floor_div(u->t.last_us, HOUR_US);
    if (h1 - h0 >= MAX_WINDOW_HOURS)
        return EL_ERR_RANGE;
    size_t nh = (size_t)(h1 - h0 + 1);
    struct el_usage_hour *hs = el_calloc(nh, sizeof(*hs));
    if (!hs)
        return EL_ERR_NOMEM;
    for (size_t i = 0; i < nh; i++)
        hs[i].start_us = (h0 + (int64_t)i) * HOUR_US;
    for (size_t i = 0; i < u->cap; i++) {
        const struct slot *s = &u->slots[i];
        if (s->hour == INT64_MIN || s->hour < h0 || s->hour > h1)
            continue;
        hs[s->hour - h0] = s->h;
        hs[s->hour - h0].peak_rps = s->secs.max;
    }
    /* The busiest second: the first of the hours, in time order, with the
     * highest count, and its first second with that count. */
    for (size_t i = 0; i < nh; i++) {
        if (hs[i].peak_rps <= totals->peak_rps)
            continue;
        const struct slot *s = slot_of_const(u, h0 + (int64_t)i);
        totals->peak_rps = hs[i].peak_rps;
        totals->peak_us = hs[i].start_us + (int64_t)first_peak_second(&s->secs) * SEC_US;
    }
    /* Each settled span is one connection. */
    settle(u);
    for (size_t i = 0; i < u->nspans; i++) {
        totals->conns++;
        book_into(hs, nh, h0, u->spans[i].first_us, u->spans[i].last_us + u->o.idle_timeout_us);
    }
    *hours = hs;
    *n = nh;
    return EL_OK;
}

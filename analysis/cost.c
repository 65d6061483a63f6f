/* cost.c: prices the hours of usage.c on ALB, REST API and HTTP API
 * (cost.h, docs/COST.md "The model").
 *
 * ALB: every clock hour from the first request's to the last's is billed
 * (partial hours as whole ones) at the hourly price plus its LCUs, the
 * largest of the four dimensions of that hour. API Gateway: the billable
 * requests (HTTP API: metering units) projected to a 30-day month go
 * through the monthly tiers; the observed window's share is that month's
 * cost pro rata. Projection and --scale multiply quantities (requests,
 * micro-LCU-hours), which are rounded to integers before any price touches
 * them, so money itself is only ever integer arithmetic.
 */
#include <math.h>
#include <string.h>

#include "cost.h"

/* Products of counts and prices can pass 64 bits before they are divided. */
__extension__ typedef unsigned __int128 u128;

static const char *const front_names[EL_FRONT_COUNT] = { "alb", "rest-api", "http-api" };

const char *el_front_name(enum el_front f)
{
    return (unsigned)f < EL_FRONT_COUNT ? front_names[f] : "unknown";
}

/* q observed over nhours, as a 30-day month, times scale; rounded half up,
 * in 128 bits (a month of micro-LCU-hours at a large --scale can pass 64),
 * saturating at 2^127. Exact integer arithmetic when scale is 1. */
static u128 project_wide(uint64_t q, double scale, uint64_t nhours)
{
    if (scale == 1.0)
        return ((u128)q * EL_COST_MONTH_HOURS + nhours / 2) / nhours;
    long double v = (long double)q * scale * EL_COST_MONTH_HOURS / (long double)nhours;
    return v >= 0x1p127L ? (u128)1 << 127 : (u128)(v + 0.5L);
}

static uint64_t clamp_u64(u128 v)
{
    return v > UINT64_MAX ? UINT64_MAX : (uint64_t)v;
}

static uint64_t project(uint64_t q, double scale, uint64_t nhours)
{
    return clamp_u64(project_wide(q, scale, nhours));
}

/* q times scale, rounded half up, in 128 bits. */
static u128 scaled(uint64_t q, double scale)
{
    if (scale == 1.0)
        return q;
    long double v = (long double)q * scale;
    return v >= 0x1p127L ? (u128)1 << 127 : (u128)(v + 0.5L);
}

/* Money of micro-LCU-hours at the LCU-hour price, half up, as
 * el_alb_lcu_micros but for a quantity past 64 bits: capping the quantity
 * first would price a saturated count as if it were the real one. The price
 * is below 2^40 micros, so below 2^87 micro-LCU-hours the product fits; at
 * or above, any price of at least one micro is past INT64_MAX anyway. */
static int64_t lcu_money(const struct el_prices *p, u128 lcu)
{
    uint64_t price = p->alb_lcu_hour_micros > 0 ? (uint64_t)p->alb_lcu_hour_micros : 0;
    if (price == 0)
        return 0;
    if (lcu >> 87)
        return INT64_MAX;
    u128 v = (lcu * price + (uint64_t)EL_MICROS_PER_UNIT / 2) / (uint64_t)EL_MICROS_PER_UNIT;
    return v > INT64_MAX ? INT64_MAX : (int64_t)v;
}

static int64_t sat_add(int64_t a, int64_t b)
{
    return a > INT64_MAX - b ? INT64_MAX : a + b;
}

static int64_t mul_div(int64_t a, uint64_t b, uint64_t c)
{
    u128 v = ((u128)(uint64_t)a * b + c / 2) / c;
    return v > INT64_MAX ? INT64_MAX : (int64_t)v;
}

static bool tiers_known(const struct el_tiers *t)
{
    return t->n > 0;
}

/* ---- what a month costs for a traffic multiplier f ------------------------------ */

struct shape {
    const struct el_cost *c;
    const struct el_prices *p;
    uint64_t requests, billable, units; /* observed */
    uint64_t nhours;
};

static int64_t alb_month(const struct shape *s, double f)
{
    return sat_add(s->p->alb_hour_micros * EL_COST_MONTH_HOURS,
                   lcu_money(s->p, project_wide((uint64_t)s->c->lcu_billed_sum, f, s->nhours)));
}

static int64_t api_month(const struct shape *s, enum el_front fr, double f)
{
    if (fr == EL_FRONT_REST)
        return el_tiered_micros(&s->p->rest, project(s->billable, f, s->nhours));
    return el_tiered_micros(&s->p->http, project(s->units, f, s->nhours));
}

/* API minus ALB for a multiplier: negative while the API is the cheaper. */
static int64_t diff_at(const struct shape *s, enum el_front fr, double f)
{
    return api_month(s, fr, f) - alb_month(s, f);
}

/* The multiplier in (lo, hi] where diff changes sign from `neg` to not,
 * found by bisection on a log scale. */
static double crossing(const struct shape *s, enum el_front fr, double lo, double hi, bool rising)
{
    for (int i = 0; i < 100; i++) {
        double mid = sqrt(lo * hi);
        bool api_dearer = diff_at(s, fr, mid) >= 0;
        if (api_dearer == rising)
            hi = mid;
        else
            lo = mid;
    }
    return hi;
}

static void volume_breakeven(const struct shape *s, enum el_front fr, struct el_breakeven *be)
{
    /* A table known only up to some volume answers -1 above it: the walk
     * stops there. */
    /* Walk multipliers from a millionth of the traffic to a volume of about
     * 10^15 requests a month in steps of 5 %, watching the sign. */
    /* Unrounded: a few requests over a long window are a fraction of a
     * request a month, and still have a break-even. */
    double month_at_1 = (double)s->requests * EL_COST_MONTH_HOURS / (double)s->nhours;
    if (month_at_1 <= 0)
        return;
    double top = 1e15 / month_at_1;
    double prev = 1e-6;
    bool api_dearer = diff_at(s, fr, prev) >= 0;
    for (double f = prev * 1.05; f <= top; prev = f, f *= 1.05) {
        if (api_month(s, fr, f) < 0) {
            /* no price past here: whether ALB gets cheaper is unknown */
            be->volume_unknown = !be->has_volume;
            break;
        }
        bool now = diff_at(s, fr, f) >= 0;
        if (now == api_dearer)
            continue;
        double x = crossing(s, fr, prev, f, now);
        uint64_t m = project(s->requests, x, s->nhours);
        if (now && !be->has_volume) {
            be->has_volume = true;
            be->month_requests = m;
            be->rps = (double)m / (EL_COST_MONTH_HOURS * 3600.0);
        } else if (!now && be->has_volume && !be->has_upper) {
            be->has_upper = true;
            be->upper_month_requests = m;
            be->upper_rps = (double)m / (EL_COST_MONTH_HOURS * 3600.0);
        }
        api_dearer = now;
    }
}

/* ALB's month at the projected volume if every request and response
 * together were `b` bytes (the other LCU dimensions as observed). */
static int64_t alb_month_at_size(const struct shape *s, double scale, uint64_t b)
{
    const struct el_cost *c = s->c;
    bool lambda = c->bytes_total == 0 || c->hours_bytes_lambda >= c->hours_bytes_other;
    int64_t billed = 0;
    for (size_t i = 0; i < c->nhours; i++) {
        const struct el_cost_hour *h = &c->hours[i];
        struct el_alb_usage au = {
            .new_conns = h->u.new_conns,
            .active_conn_minutes = (h->u.active_conn_us + 59999999) / 60000000,
            .requests = h->u.requests,
            .rules = c->rules,
        };
        u128 bytes = (u128)h->u.requests * b;
        uint64_t bb = bytes > UINT64_MAX ? UINT64_MAX : (uint64_t)bytes;
        if (lambda)
            au.bytes_lambda = bb;
        else
            au.bytes_other = bb;
        struct el_lcu l;
        el_alb_lcu(&s->p->lcu, &au, &l);
        billed = sat_add(billed, l.billed);
    }
    return sat_add(s->p->alb_hour_micros * EL_COST_MONTH_HOURS,
                   lcu_money(s->p, project_wide((uint64_t)billed, scale, s->nhours)));
}

static int64_t api_month_at_size(const struct shape *s, enum el_front fr, double scale,
                                 uint64_t b)
{
    uint64_t billable = project(s->billable, scale, s->nhours);
    if (fr == EL_FRONT_REST)
        return el_tiered_micros(&s->p->rest, billable);
    u128 units =
        (u128)billable * el_http_units(b, s->p->http_increment_bytes);
    return el_tiered_micros(&s->p->http, units > UINT64_MAX ? UINT64_MAX : (uint64_t)units);
}

/* ALB at least as dear as the API at size b, or the API has no price
 * there (its metered units grow with b past a partial table). */
static bool alb_not_cheaper(const struct shape *s, enum el_front fr, double scale, uint64_t b)
{
    int64_t api = api_month_at_size(s, fr, scale, b);
    return api < 0 || alb_month_at_size(s, scale, b) >= api;
}

static void size_breakeven(const struct shape *s, enum el_front fr, double scale,
                           struct el_breakeven *be)
{
    if (api_month_at_size(s, fr, scale, 0) < 0)
        return;
    if (alb_month_at_size(s, scale, 0) >= api_month_at_size(s, fr, scale, 0)) {
        be->alb_dearer_at_any_size = true;
        return;
    }
    /* Double up to 4 GB per request, then bisect on whole bytes. */
    uint64_t lo = 0, hi = 1;
    while (hi <= ((uint64_t)1 << 32) && !alb_not_cheaper(s, fr, scale, hi)) {
        lo = hi;
        hi *= 2;
    }
    if (hi > ((uint64_t)1 << 32))
        return;
    while (hi - lo > 1) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (alb_not_cheaper(s, fr, scale, mid))
            hi = mid;
        else
            lo = mid;
    }
    /* The API's prices ran out before ALB caught up: no answer. */
    if (api_month_at_size(s, fr, scale, hi) < 0)
        return;
    be->has_bytes = true;
    be->bytes_per_request = hi;
}

/* ---- the report ----------------------------------------------------------------- */

enum el_err el_cost_compute(struct el_usage *u, const struct el_cost_opts *opts,
                            struct el_cost *c)
{
    memset(c, 0, sizeof(*c));
    const struct el_prices *p = opts->prices;
    c->scale = opts->scale > 0 ? opts->scale : 1.0;
    c->rules = opts->alb_rules;
    struct el_usage_hour *uh;
    size_t n;
    enum el_err rc = el_usage_hours(u, &uh, &n, &c->t);
    if (rc != EL_OK)
        return rc;
    c->front[EL_FRONT_ALB].priced = p->alb_hour_micros > 0 || p->alb_lcu_hour_micros > 0;
    c->front[EL_FRONT_REST].priced = tiers_known(&p->rest);
    c->front[EL_FRONT_HTTP].priced = tiers_known(&p->http);
    if (n == 0) /* nothing timed: nothing to bill */
        return EL_OK;
    c->hours = el_calloc(n, sizeof(*c->hours));
    if (!c->hours) {
        el_free(uh);
        return EL_ERR_NOMEM;
    }
    c->nhours = n;
    c->window_hours = n;

    uint64_t requests = 0, billable = 0, units = 0;
    int64_t alb_observed = 0;
    for (size_t i = 0; i < n; i++) {
        struct el_cost_hour *h = &c->hours[i];
        h->u = uh[i];
        struct el_alb_usage au = {
            .new_conns = uh[i].new_conns,
            .active_conn_minutes = (uh[i].active_conn_us + 59999999) / 60000000,
            .bytes_lambda = uh[i].bytes_lambda,
            .bytes_other = uh[i].bytes_other,
            .requests = uh[i].requests,
            .rules = opts->alb_rules,
        };
        el_alb_lcu(&p->lcu, &au, &h->lcu);
        for (int d = 0; d < EL_LCU_DIM_COUNT; d++)
            c->lcu_dim_sum[d] = sat_add(c->lcu_dim_sum[d], h->lcu.dim[d]);
        c->lcu_billed_sum = sat_add(c->lcu_billed_sum, h->lcu.billed);
        if (h->lcu.billed > 0)
            c->dominant_hours[h->lcu.dominant]++;
        if (h->lcu.billed > c->lcu_peak)
            c->lcu_peak = h->lcu.billed;
        h->micros = sat_add(p->alb_hour_micros, lcu_money(p, scaled((uint64_t)h->lcu.billed, c->scale)));
        alb_observed = sat_add(alb_observed, h->micros);
        requests += uh[i].requests;
        billable += uh[i].apigw_billable;
        units += uh[i].http_units;
        c->hours_bytes_lambda = clamp_u64((u128)c->hours_bytes_lambda + uh[i].bytes_lambda);
        c->hours_bytes_other = clamp_u64((u128)c->hours_bytes_other + uh[i].bytes_other);
        c->bytes_total = clamp_u64((u128)c->hours_bytes_lambda + c->hours_bytes_other);
    }
    el_free(uh);

    struct shape s = { c, p, requests, billable, units, n };
    uint64_t month_requests = project(requests, c->scale, n);

    struct el_front_cost *alb = &c->front[EL_FRONT_ALB];
    alb->requests = requests;
    alb->units = requests;
    alb->month_requests = month_requests;
    alb->month_units = month_requests;
    alb->observed_micros = alb_observed;
    alb->month_micros = alb_month(&s, c->scale);

    for (enum el_front fr = EL_FRONT_REST; fr <= EL_FRONT_HTTP; fr++) {
        struct el_front_cost *f = &c->front[fr];
        const struct el_tiers *t = fr == EL_FRONT_REST ? &p->rest : &p->http;
        f->requests = billable;
        f->units = fr == EL_FRONT_REST ? billable : units;
        f->month_requests = project(billable, c->scale, n);
        f->month_units = project(f->units, c->scale, n);
        if (!f->priced)
            continue;
        f->month_micros = el_tiered_micros(t, f->month_units);
        if (f->month_micros < 0) { /* the table stops below this volume */
            f->priced = false;
            f->month_micros = 0;
            continue;
        }
        f->observed_micros = mul_div(f->month_micros, n, EL_COST_MONTH_HOURS);
        if (alb->priced) {
            volume_breakeven(&s, fr, &c->be[fr]);
            size_breakeven(&s, fr, c->scale, &c->be[fr]);
        }
    }
    for (enum el_front fr = 0; fr < EL_FRONT_COUNT; fr++)
        if ((c->front[fr].has_per_million = c->front[fr].priced && month_requests))
            c->front[fr].per_million_micros =
                mul_div(c->front[fr].month_micros, 1000000, month_requests);
    return EL_OK;
}

void el_cost_fini(struct el_cost *c)
{
    el_free(c->hours);
    c->hours = NULL;
    c->nhours = 0;
}

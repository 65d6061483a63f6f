/* cost.c: the cost report (docs/OUTPUTS.md "cost").
 *
 * CSV is one table a file, so it holds one view: the front-ends (default),
 * the ALB hours (--by hour) or the migration risks (--by route). A table on
 * a terminal shows the chosen view; the default view comes with the LCU
 * breakdown, the break-even points, the risks and the assumptions as
 * sections below it. JSON is one object holding everything.
 *
 * Money is printed from integer micros: CSV and JSON with all six decimals
 * (exact), the table rounded to cents (hourly ALB charges to 1/100,000).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "output_int.h"

#define MAX_CELLS 24

struct line {
    struct el_cell c[MAX_CELLS];
    char buf[MAX_CELLS][48];
    size_t k;
};

__attribute__((format(printf, 3, 4))) static void cell(struct line *l, enum el_cell_kind kind,
                                                       const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(l->buf[l->k], sizeof(l->buf[0]), fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    if ((size_t)n >= sizeof(l->buf[0]))
        n = sizeof(l->buf[0]) - 1;
    l->c[l->k] = (struct el_cell){ kind, { l->buf[l->k], (size_t)n } };
    l->k++;
}

static void cell_none(struct line *l)
{
    l->c[l->k++] = (struct el_cell){ EL_CELL_NULL, { 0 } };
}

static void cell_text(struct line *l, const char *s)
{
    l->c[l->k++] = (struct el_cell){ EL_CELL_STR, { s, strlen(s) } };
}

static void cell_money(struct line *l, int64_t micros, int decimals)
{
    char m[40];
    cell(l, EL_CELL_NUM, "%s", el_fmt_money(m, sizeof(m), micros, decimals));
}

static void cell_time(struct line *l, int64_t us)
{
    char t[40];
    el_fmt_iso8601_us(us, t);
    cell(l, EL_CELL_STR, "%s", t);
}

/* micro-LCUs as LCUs with six decimals */
static void cell_lcu(struct line *l, int64_t micro)
{
    cell(l, EL_CELL_NUM, "%lld.%06lld", (long long)(micro / 1000000), (long long)(micro % 1000000));
}

static bool is_table(const struct el_out *o)
{
    return o->ops == &el_output_table;
}

/* ---- the front-ends ---- */

static const char *const front_cols[] = {
    "front_end",          "billed_requests",     "billing_units",        "window_hours",
    "window_cost",        "month_requests",      "month_cost",           "cost_per_million",
    "alb_cheaper_above_month_requests", "alb_cheaper_above_rps", "api_cheaper_again_above_month_requests",
    "alb_dearer_above_bytes_per_request", "currency",
};

static enum el_err write_fronts(struct el_out *o, const struct el_cost_report *r)
{
    const struct el_cost *c = r->cost;
    int dec = is_table(o) ? 2 : 6;
    enum el_err rc = el_out_begin(o, front_cols, EL_ARRAY_LEN(front_cols));
    for (enum el_front fr = 0; fr < EL_FRONT_COUNT && rc == EL_OK; fr++) {
        const struct el_front_cost *f = &c->front[fr];
        const struct el_breakeven *be = &c->be[fr];
        struct line l = { .k = 0 };
        cell_text(&l, el_front_name(fr));
        cell(&l, EL_CELL_NUM, "%llu", (unsigned long long)f->requests);
        cell(&l, EL_CELL_NUM, "%llu", (unsigned long long)f->units);
        cell(&l, EL_CELL_NUM, "%llu", (unsigned long long)c->window_hours);
        if (f->priced) {
            cell_money(&l, f->observed_micros, dec);
            cell(&l, EL_CELL_NUM, "%llu", (unsigned long long)f->month_requests);
            cell_money(&l, f->month_micros, dec);
            cell_money(&l, f->per_million_micros, dec);
        } else {
            cell_none(&l);
            cell(&l, EL_CELL_NUM, "%llu", (unsigned long long)f->month_requests);
            cell_none(&l);
            cell_none(&l);
        }
        if (be->has_volume) {
            cell(&l, EL_CELL_NUM, "%llu", (unsigned long long)be->month_requests);
            cell(&l, EL_CELL_NUM, "%.2f", be->rps);
        } else {
            cell_none(&l);
            cell_none(&l);
        }
        if (be->has_upper)
            cell(&l, EL_CELL_NUM, "%llu", (unsigned long long)be->upper_month_requests);
        else
            cell_none(&l);
        if (be->has_bytes)
            cell(&l, EL_CELL_NUM, "%llu", (unsigned long long)be->bytes_per_request);
        else
            cell_none(&l);
        cell_text(&l, r->prices->currency);
        rc = el_out_row(o, l.c);
    }
    return rc == EL_OK ? el_out_end(o) : rc;
}

/* ---- the ALB hours ---- */

static const char *const hour_cols[] = {
    "hour",         "requests",        "peak_rps",        "new_connections",
    "active_connections_avg", "processed_bytes", "lcu_new_connections", "lcu_active_connections",
    "lcu_processed_bytes", "lcu_rule_evaluations", "lcu_billed", "dominant_dimension",
    "alb_cost",
};

static enum el_err write_hours(struct el_out *o, const struct el_cost_report *r)
{
    const struct el_cost *c = r->cost;
    enum el_err rc = el_out_begin(o, hour_cols, EL_ARRAY_LEN(hour_cols));
    for (size_t i = 0; i < c->nhours && rc == EL_OK; i++) {
        const struct el_cost_hour *h = &c->hours[i];
        struct line l = { .k = 0 };
        cell_time(&l, h->u.start_us);
        cell(&l, EL_CELL_NUM, "%llu", (unsigned long long)h->u.requests);
        cell(&l, EL_CELL_NUM, "%llu", (unsigned long long)h->u.peak_rps);
        cell(&l, EL_CELL_NUM, "%llu", (unsigned long long)h->u.new_conns);
        /* mean open connections: connection-us over the hour's us */
        uint64_t milli = (h->u.active_conn_us + 1800000) / 3600000;
        cell(&l, EL_CELL_NUM, "%llu.%03llu", (unsigned long long)(milli / 1000),
             (unsigned long long)(milli % 1000));
        cell(&l, EL_CELL_NUM, "%llu", (unsigned long long)(h->u.bytes_lambda + h->u.bytes_other));
        for (int d = 0; d < EL_LCU_DIM_COUNT; d++)
            cell_lcu(&l, h->lcu.dim[d]);
        cell_lcu(&l, h->lcu.billed);
        if (h->lcu.billed > 0)
            cell_text(&l, el_lcu_dim_name(h->lcu.dominant));
        else
            cell_none(&l);
        cell_money(&l, h->micros, is_table(o) ? 5 : 6);
        rc = el_out_row(o, l.c);
    }
    return rc == EL_OK ? el_out_end(o) : rc;
}

/* ---- migration risks ---- */

static const char *const risk_cols[] = { "direction", "risk",       "kind",   "source",
                                         "method",    "route",      "requests", "first_time",
                                         "meaning" };

static enum el_err write_risks(struct el_out *o, const struct el_cost_report *r)
{
    enum el_err rc = el_out_begin(o, risk_cols, EL_ARRAY_LEN(risk_cols));
    for (size_t i = 0; i < r->nrisks && rc == EL_OK; i++) {
        const struct el_risk_row *k = &r->risks[i];
        struct line l = { .k = 0 };
        cell_text(&l, el_risk_direction(k->risk));
        cell_text(&l, el_risk_name(k->risk));
        cell_text(&l, el_risk_is_blocker(k->risk) ? "blocker" : "feature to replace");
        if (k->is_other) {
            cell_text(&l, "(other)");
            cell_none(&l);
            cell_none(&l);
        } else {
            l.c[l.k++] = (struct el_cell){ k->source.n ? EL_CELL_STR : EL_CELL_NULL, k->source };
            l.c[l.k++] = (struct el_cell){ k->method.n ? EL_CELL_STR : EL_CELL_NULL, k->method };
            l.c[l.k++] = (struct el_cell){ k->route.n ? EL_CELL_STR : EL_CELL_NULL, k->route };
        }
        cell(&l, EL_CELL_NUM, "%llu", (unsigned long long)k->count);
        if (k->has_time)
            cell_time(&l, k->first_us);
        else
            cell_none(&l);
        cell_text(&l, el_risk_advice(k->risk));
        rc = el_out_row(o, l.c);
    }
    return rc == EL_OK ? el_out_end(o) : rc;
}

/* ---- the table's extra sections ---- */

static const char *const dim_cols[] = { "dimension", "lcu_hours", "hours_dominated",
                                        "what_one_lcu_buys" };

static enum el_err write_dims(struct el_out *o, const struct el_cost_report *r)
{
    const struct el_cost *c = r->cost;
    const struct el_lcu_allowance *a = &r->prices->lcu;
    enum el_err rc = el_out_begin(o, dim_cols, EL_ARRAY_LEN(dim_cols));
    for (int d = 0; d < EL_LCU_DIM_COUNT && rc == EL_OK; d++) {
        struct line l = { .k = 0 };
        cell_text(&l, el_lcu_dim_name((enum el_lcu_dim)d));
        cell_lcu(&l, c->lcu_dim_sum[d]);
        cell(&l, EL_CELL_NUM, "%llu", (unsigned long long)c->dominant_hours[d]);
        switch (d) {
        case EL_LCU_NEW_CONNS:
            cell(&l, EL_CELL_STR, "%llu new connections/s", (unsigned long long)a->new_conns_per_s);
            break;
        case EL_LCU_ACTIVE_CONNS:
            cell(&l, EL_CELL_STR, "%llu active connections/min",
                 (unsigned long long)a->active_conns_per_min);
            break;
        case EL_LCU_BYTES:
            cell(&l, EL_CELL_STR, "%.1f GB/h Lambda, %.1f GB/h other",
                 (double)a->bytes_per_hour_lambda / 1e9, (double)a->bytes_per_hour_other / 1e9);
            break;
        default:
            cell(&l, EL_CELL_STR, "%llu rule evaluations/s, %llu rules free",
                 (unsigned long long)a->rule_evals_per_s, (unsigned long long)a->free_rules);
            break;
        }
        rc = el_out_row(o, l.c);
    }
    struct line l = { .k = 0 };
    cell_text(&l, "billed (max per hour)");
    cell_lcu(&l, c->lcu_billed_sum);
    cell_none(&l);
    cell(&l, EL_CELL_STR, "peak hour %lld.%06lld LCU", (long long)(c->lcu_peak / 1000000),
         (long long)(c->lcu_peak % 1000000));
    if (rc == EL_OK)
        rc = el_out_row(o, l.c);
    return rc == EL_OK ? el_out_end(o) : rc;
}

/* The assumptions, one sentence each, shared by the table and JSON. */
static size_t assumptions(const struct el_cost_report *r, char out[][320], size_t max)
{
    const struct el_cost *c = r->cost;
    const struct el_usage_totals *t = &c->t;
    size_t n = 0;
#define SAY(...) (n < max ? (void)snprintf(out[n++], sizeof(out[0]), __VA_ARGS__) : (void)0)
    SAY("Prices: %s, %s (%s).", r->prices->region, r->prices->currency, r->prices->source);
    SAY("Window: %llu clock hours from the first request to the last, partial hours billed "
        "whole; projected to a %d-hour month (x%.4g) and scaled x%g.",
        (unsigned long long)c->window_hours, EL_COST_MONTH_HOURS,
        c->window_hours ? (double)EL_COST_MONTH_HOURS / (double)c->window_hours : 0.0, c->scale);
    SAY("New connections: %llu requests identified theirs by conn_trace_id, %llu by client "
        "ip:port, %llu by client IP alone (one kept-alive connection per address assumed), "
        "%llu not at all (one connection per request, open while it was served).",
        (unsigned long long)t->by_trace_id, (unsigned long long)t->by_ip_port,
        (unsigned long long)t->by_ip, (unsigned long long)t->unidentified);
    SAY("Active connections: a connection is open from its first request until %u s (the ALB "
        "idle timeout) after its last; %llu connections in all.",
        r->idle_timeout_s, (unsigned long long)t->conns);
    if (t->conns_untracked)
        SAY("The connection table was full (%u connections): %llu connections were counted "
            "as opened and idle without being followed, which may overstate new connections.",
            EL_USAGE_DEFAULT_MAX_CONNS, (unsigned long long)t->conns_untracked);
    SAY("Processed bytes: received + sent bytes as logged (headers included; TLS overhead and "
        "the Lambda leg are not logged, so this is a lower bound)%s; %llu requests logged no "
        "sizes.",
        c->hours_bytes_other ? "; instance/IP targets at 1 GB per LCU, Lambda at 0.4 GB"
                             : "; Lambda targets, 0.4 GB per LCU",
        (unsigned long long)t->without_bytes);
    SAY("Rule evaluations: %llu listener rules evaluated per request (--alb-rules), the first "
        "%llu free.",
        (unsigned long long)c->rules, (unsigned long long)r->prices->lcu.free_rules);
    SAY("API Gateway: requests the gateway throttled or refused at authentication are not "
        "billed (%llu of %llu); HTTP API requests are metered by the larger of request and "
        "response in %llu-byte increments.",
        (unsigned long long)(c->front[EL_FRONT_ALB].requests - c->front[EL_FRONT_REST].requests),
        (unsigned long long)c->front[EL_FRONT_ALB].requests,
        (unsigned long long)r->prices->http_increment_bytes);
    if (t->requests_by_src[EL_SRC_APIGW_REST] || t->requests_by_src[EL_SRC_APIGW_HTTP])
        SAY("API Gateway logs priced on ALB: Lambda targets behind the ALB, connections as "
            "above, bytes from the logged request and response sizes where the logs have them.");
    if (t->requests_by_src[EL_SRC_ALB])
        SAY("ALB logs priced on API Gateway: every logged request billed (authentication and "
            "throttling would move into the gateway only if the team moved them).");
    SAY("Break-even: the traffic scaled up or down with its shape kept; the size break-even "
        "prices every request at one mean request+response size at the projected volume.");
    SAY("Not included: data transfer out (the same rate on every front-end), Lambda, "
        "free tiers, REST API caching, and LCU reservations.");
    if (t->untimed)
        SAY("%llu requests had no time and are in no hour.", (unsigned long long)t->untimed);
#undef SAY
    return n;
}

static enum el_err write_table(FILE *f, const struct el_cost_report *r)
{
    const struct el_cost *c = r->cost;
    struct el_out *o = NULL;
    enum el_err rc;
    char a[16][320];
    size_t na = assumptions(r, a, EL_ARRAY_LEN(a));

#define SECTION(title, fn)                                                        \
    do {                                                                          \
        if (fprintf(f, "%s\n", title) < 0)                                        \
            return EL_ERR_IO;                                                     \
        if ((rc = el_out_create(&el_output_table, f, &o)) != EL_OK)               \
            return rc;                                                            \
        rc = fn(o, r);                                                            \
        el_out_destroy(o);                                                        \
        if (rc != EL_OK)                                                          \
            return rc;                                                            \
    } while (0)

    if (r->view == EL_COST_VIEW_HOURS) {
        SECTION("ALB by hour", write_hours);
        return EL_OK;
    }
    if (r->view == EL_COST_VIEW_RISKS) {
        SECTION("Migration risks by route", write_risks);
        return EL_OK;
    }
    char head[200];
    char f0[40], f1[40];
    el_fmt_iso8601_us(c->t.first_us, f0);
    el_fmt_iso8601_us(c->t.last_us, f1);
    snprintf(head, sizeof(head), "Cost in %s, %s prices: %llu requests from %s to %s",
             r->prices->currency, r->prices->region, (unsigned long long)c->t.requests, f0, f1);
    SECTION(head, write_fronts);
    SECTION("\nALB LCUs by dimension (window)", write_dims);
    if (fprintf(f, "\nPeak: %llu requests/s", (unsigned long long)c->t.peak_rps) < 0)
        return EL_ERR_IO;
    if (c->t.peak_rps) {
        char pt[40];
        el_fmt_iso8601_us(c->t.peak_us, pt);
        fprintf(f, " at %s", pt);
    }
    fprintf(f, " (API Gateway's default account quota: %u requests/s, burst %u)\n",
            EL_APIGW_ACCOUNT_RPS, EL_APIGW_ACCOUNT_BURST);
    if (r->nrisks)
        SECTION("\nMigration risks by route", write_risks);
    else if (fputs("\nMigration risks: none found in these logs\n", f) < 0)
        return EL_ERR_IO;
    if (fputs("\nAssumptions\n", f) < 0)
        return EL_ERR_IO;
    for (size_t i = 0; i < na; i++)
        if (fprintf(f, "- %s\n", a[i]) < 0)
            return EL_ERR_IO;
#undef SECTION
    return EL_OK;
}

/* ---- JSON ---- */

static cJSON *json_money(int64_t micros)
{
    char m[40];
    el_fmt_money(m, sizeof(m), micros, 6);
    return cJSON_CreateRaw(m);
}

static cJSON *json_u64(uint64_t v)
{
    char b[24];
    snprintf(b, sizeof(b), "%llu", (unsigned long long)v);
    return cJSON_CreateRaw(b);
}

static cJSON *json_lcu(int64_t micro)
{
    char b[32];
    snprintf(b, sizeof(b), "%lld.%06lld", (long long)(micro / 1000000),
             (long long)(micro % 1000000));
    return cJSON_CreateRaw(b);
}

static cJSON *json_time(int64_t us)
{
    char t[40];
    el_fmt_iso8601_us(us, t);
    return cJSON_CreateString(t);
}

static cJSON *build_json(const struct el_cost_report *r)
{
    const struct el_cost *c = r->cost;
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "region", r->prices->region);
    cJSON_AddStringToObject(root, "currency", r->prices->currency);
    cJSON_AddStringToObject(root, "prices_source", r->prices->source);
    cJSON_AddItemToObject(root, "requests", json_u64(c->t.requests));
    if (c->nhours) {
        cJSON_AddItemToObject(root, "first_time", json_time(c->t.first_us));
        cJSON_AddItemToObject(root, "last_time", json_time(c->t.last_us));
    }
    cJSON_AddItemToObject(root, "window_hours", json_u64(c->window_hours));
    cJSON_AddItemToObject(root, "month_hours", json_u64(EL_COST_MONTH_HOURS));
    cJSON_AddNumberToObject(root, "scale", c->scale);
    cJSON_AddItemToObject(root, "peak_rps", json_u64(c->t.peak_rps));
    if (c->t.peak_rps)
        cJSON_AddItemToObject(root, "peak_time", json_time(c->t.peak_us));

    cJSON *fronts = cJSON_AddArrayToObject(root, "front_ends");
    for (enum el_front fr = 0; fr < EL_FRONT_COUNT; fr++) {
        const struct el_front_cost *f = &c->front[fr];
        const struct el_breakeven *be = &c->be[fr];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "front_end", el_front_name(fr));
        cJSON_AddBoolToObject(o, "priced", f->priced);
        cJSON_AddItemToObject(o, "billed_requests", json_u64(f->requests));
        cJSON_AddItemToObject(o, "billing_units", json_u64(f->units));
        cJSON_AddItemToObject(o, "month_requests", json_u64(f->month_requests));
        cJSON_AddItemToObject(o, "month_units", json_u64(f->month_units));
        cJSON_AddItemToObject(o, "window_cost", f->priced ? json_money(f->observed_micros)
                                                          : cJSON_CreateNull());
        cJSON_AddItemToObject(o, "month_cost", f->priced ? json_money(f->month_micros)
                                                         : cJSON_CreateNull());
        cJSON_AddItemToObject(o, "cost_per_million", f->priced
                                                         ? json_money(f->per_million_micros)
                                                         : cJSON_CreateNull());
        if (fr != EL_FRONT_ALB) {
            cJSON *b = cJSON_AddObjectToObject(o, "breakeven");
            cJSON_AddItemToObject(b, "alb_cheaper_above_month_requests",
                                  be->has_volume ? json_u64(be->month_requests)
                                                 : cJSON_CreateNull());
            cJSON_AddItemToObject(b, "alb_cheaper_above_rps",
                                  be->has_volume ? cJSON_CreateNumber(be->rps)
                                                 : cJSON_CreateNull());
            cJSON_AddItemToObject(b, "api_cheaper_again_above_month_requests",
                                  be->has_upper ? json_u64(be->upper_month_requests)
                                                : cJSON_CreateNull());
            cJSON_AddItemToObject(b, "alb_dearer_above_bytes_per_request",
                                  be->has_bytes ? json_u64(be->bytes_per_request)
                                                : cJSON_CreateNull());
            cJSON_AddBoolToObject(b, "alb_dearer_at_any_size", be->alb_dearer_at_any_size);
        }
        cJSON_AddItemToArray(fronts, o);
    }

    cJSON *lcu = cJSON_AddObjectToObject(root, "alb_lcu");
    for (int d = 0; d < EL_LCU_DIM_COUNT; d++) {
        cJSON *o = cJSON_AddObjectToObject(lcu, el_lcu_dim_name((enum el_lcu_dim)d));
        cJSON_AddItemToObject(o, "lcu_hours", json_lcu(c->lcu_dim_sum[d]));
        cJSON_AddItemToObject(o, "hours_dominated", json_u64(c->dominant_hours[d]));
    }
    cJSON_AddItemToObject(lcu, "billed_lcu_hours", json_lcu(c->lcu_billed_sum));
    cJSON_AddItemToObject(lcu, "peak_hour_lcu", json_lcu(c->lcu_peak));

    cJSON *hours = cJSON_AddArrayToObject(root, "hours");
    for (size_t i = 0; i < c->nhours; i++) {
        const struct el_cost_hour *h = &c->hours[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToObject(o, "hour", json_time(h->u.start_us));
        cJSON_AddItemToObject(o, "requests", json_u64(h->u.requests));
        cJSON_AddItemToObject(o, "peak_rps", json_u64(h->u.peak_rps));
        cJSON_AddItemToObject(o, "new_connections", json_u64(h->u.new_conns));
        cJSON_AddItemToObject(o, "processed_bytes",
                              json_u64(h->u.bytes_lambda + h->u.bytes_other));
        for (int d = 0; d < EL_LCU_DIM_COUNT; d++) {
            char name[48];
            snprintf(name, sizeof(name), "lcu_%s", el_lcu_dim_name((enum el_lcu_dim)d));
            cJSON_AddItemToObject(o, name, json_lcu(h->lcu.dim[d]));
        }
        cJSON_AddItemToObject(o, "lcu_billed", json_lcu(h->lcu.billed));
        if (h->lcu.billed > 0)
            cJSON_AddStringToObject(o, "dominant_dimension", el_lcu_dim_name(h->lcu.dominant));
        else
            cJSON_AddNullToObject(o, "dominant_dimension");
        cJSON_AddItemToObject(o, "alb_cost", json_money(h->micros));
        cJSON_AddItemToArray(hours, o);
    }

    cJSON *risks = cJSON_AddArrayToObject(root, "migration_risks");
    for (size_t i = 0; i < r->nrisks; i++) {
        const struct el_risk_row *k = &r->risks[i];
        cJSON *o = cJSON_CreateObject();
        char tmp[1024];
        cJSON_AddStringToObject(o, "direction", el_risk_direction(k->risk));
        cJSON_AddStringToObject(o, "risk", el_risk_name(k->risk));
        cJSON_AddStringToObject(o, "kind",
                                el_risk_is_blocker(k->risk) ? "blocker" : "feature to replace");
#define VIEW(name, v)                                                                        \
    do {                                                                                     \
        size_t n_ = (v).n < sizeof(tmp) - 1 ? (v).n : sizeof(tmp) - 1;                       \
        if (k->is_other || !(v).n) {                                                         \
            cJSON_AddNullToObject(o, name);                                                  \
        } else {                                                                             \
            memcpy(tmp, (v).p, n_);                                                          \
            tmp[n_] = '\0';                                                                  \
            cJSON_AddStringToObject(o, name, tmp);                                           \
        }                                                                                    \
    } while (0)
        VIEW("source", k->source);
        VIEW("method", k->method);
        VIEW("route", k->route);
#undef VIEW
        cJSON_AddBoolToObject(o, "other", k->is_other);
        cJSON_AddItemToObject(o, "requests", json_u64(k->count));
        cJSON_AddItemToObject(o, "first_time",
                              k->has_time ? json_time(k->first_us) : cJSON_CreateNull());
        cJSON_AddStringToObject(o, "meaning", el_risk_advice(k->risk));
        cJSON_AddItemToArray(risks, o);
    }

    char a[16][320];
    size_t na = assumptions(r, a, EL_ARRAY_LEN(a));
    cJSON *as = cJSON_AddArrayToObject(root, "assumptions");
    for (size_t i = 0; i < na; i++)
        cJSON_AddItemToArray(as, cJSON_CreateString(a[i]));
    return root;
}

enum el_err el_report_cost(FILE *f, const struct el_output_ops *fmt,
                           const struct el_cost_report *r)
{
    if (fmt == &el_output_table)
        return write_table(f, r);
    if (fmt == &el_output_json || fmt == &el_output_jsonl) {
        cJSON *root = build_json(r);
        char *text = root ? cJSON_Print(root) : NULL;
        cJSON_Delete(root);
        if (!text)
            return EL_ERR_NOMEM;
        int ok = fputs(text, f) >= 0 && fputc('\n', f) != EOF;
        cJSON_free(text);
        return ok ? EL_OK : EL_ERR_IO;
    }
    struct el_out *o;
    enum el_err rc = el_out_create(fmt, f, &o);
    if (rc != EL_OK)
        return rc;
    if (r->view == EL_COST_VIEW_HOURS)
        rc = write_hours(o, r);
    else if (r->view == EL_COST_VIEW_RISKS)
        rc = write_risks(o, r);
    else
        rc = write_fronts(o, r);
    el_out_destroy(o);
    return rc;
}

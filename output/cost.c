/* cost.c: the cost report (docs/OUTPUTS.md "cost").
 *
 * The traffic of each log source (ALB, REST API, HTTP API logs) is priced
 * on all three front-ends; with several sources there is also their sum,
 * "all". CSV is one table a file, so it holds one view: the front-ends
 * (default), the ALB hours (--by hour) or the migration risks (--by
 * route), every row naming its log source. A table on a terminal shows
 * the chosen view; the default one comes with the break-even points, the
 * LCU breakdown, the peaks, the risks and the assumptions as sections. JSON
 * is one object holding everything.
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

static void cell_view(struct line *l, struct el_str s)
{
    l->c[l->k++] = (struct el_cell){ s.n ? EL_CELL_STR : EL_CELL_NULL, s };
}

static void cell_u64(struct line *l, uint64_t v)
{
    cell(l, EL_CELL_NUM, "%llu", (unsigned long long)v);
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

/* An hour's processed bytes; each part saturates in usage.c, so may the sum. */
static uint64_t hour_bytes(const struct el_usage_hour *h)
{
    return h->bytes_lambda > UINT64_MAX - h->bytes_other ? UINT64_MAX
                                                         : h->bytes_lambda + h->bytes_other;
}

static bool is_table(const struct el_out *o)
{
    return o->ops == &el_output_table;
}

/* The dimension that dominated most hours of a part ("" when no hour had
 * an LCU). */
static const char *dominant(const struct el_cost *c)
{
    int best = -1;
    for (int d = 0; d < EL_LCU_DIM_COUNT; d++)
        if (c->dominant_hours[d] && (best < 0 || c->dominant_hours[d] > c->dominant_hours[best]))
            best = d;
    return best < 0 ? "" : el_lcu_dim_name((enum el_lcu_dim)best);
}

/* ---- the front-ends ---- */

static const char *const front_cols[] = {
    "logs",           "front_end",        "priced",
    "billed_requests", "billing_units",   "window_start",
    "window_hours",   "window_cost",      "month_requests",
    "month_units",    "month_cost",       "cost_per_million",
    "dominant_lcu_dimension", "breakeven_month_requests", "breakeven_rps",
    "api_cheaper_again_above_month_requests", "breakeven_bytes_per_request", "currency",
};

/* The table's narrower version; break-even gets a section of its own. */
static const char *const front_table_cols[] = {
    "logs",       "front_end",  "billed_requests", "window_cost",
    "month_requests", "month_cost", "cost_per_million", "dominant_lcu_dimension",
};

static void front_row(struct line *l, const char *logs, const struct el_cost *c,
                      enum el_front fr, bool table)
{
    const struct el_front_cost *f = &c->front[fr];
    const struct el_breakeven *be = &c->be[fr];
    int dec = table ? 2 : 6;
    cell_text(l, logs);
    cell_text(l, el_front_name(fr));
    if (!table)
        cell_text(l, f->priced ? "yes" : "no");
    cell_u64(l, f->requests);
    if (!table) {
        cell_u64(l, f->units);
        if (c->nhours)
            cell_time(l, c->hours[0].u.start_us);
        else
            cell_none(l);
        cell_u64(l, c->window_hours);
    }
    if (f->priced)
        cell_money(l, f->observed_micros, dec);
    else
        cell_none(l);
    cell_u64(l, f->month_requests);
    if (!table)
        cell_u64(l, f->month_units);
    if (f->priced)
        cell_money(l, f->month_micros, dec);
    else
        cell_none(l);
    if (f->has_per_million)
        cell_money(l, f->per_million_micros, dec);
    else
        cell_none(l);
    if (fr == EL_FRONT_ALB && *dominant(c))
        cell_text(l, dominant(c));
    else
        cell_none(l);
    if (table)
        return;
    if (be->has_volume) {
        cell_u64(l, be->month_requests);
        cell(l, EL_CELL_NUM, "%.2f", be->rps);
    } else {
        cell_none(l);
        cell_none(l);
    }
    if (be->has_upper)
        cell_u64(l, be->upper_month_requests);
    else
        cell_none(l);
    if (be->has_bytes || be->alb_dearer_at_any_size)
        cell_u64(l, be->alb_dearer_at_any_size ? 0 : be->bytes_per_request);
    else
        cell_none(l);
}

static enum el_err write_fronts(struct el_out *o, const struct el_cost_report *r)
{
    bool table = is_table(o);
    enum el_err rc = table ? el_out_begin(o, front_table_cols, EL_ARRAY_LEN(front_table_cols))
                           : el_out_begin(o, front_cols, EL_ARRAY_LEN(front_cols));
    for (size_t p = 0; p < r->nparts && rc == EL_OK; p++)
        for (enum el_front fr = 0; fr < EL_FRONT_COUNT && rc == EL_OK; fr++) {
            struct line l = { .k = 0 };
            front_row(&l, r->parts[p].logs, r->parts[p].cost, fr, table);
            if (!table)
                cell_text(&l, r->prices->currency);
            rc = el_out_row(o, l.c);
        }
    return rc == EL_OK ? el_out_end(o) : rc;
}

static const char *const be_cols[] = {
    "logs", "api", "alb_cheaper_above_month_requests", "avg_rps", "api_cheaper_again_above",
    "alb_dearer_above_bytes_per_request",
};

static enum el_err write_breakeven(struct el_out *o, const struct el_cost_report *r)
{
    enum el_err rc = el_out_begin(o, be_cols, EL_ARRAY_LEN(be_cols));
    for (size_t p = 0; p < r->nparts && rc == EL_OK; p++)
        for (enum el_front fr = EL_FRONT_REST; fr <= EL_FRONT_HTTP && rc == EL_OK; fr++) {
            const struct el_cost *c = r->parts[p].cost;
            const struct el_breakeven *be = &c->be[fr];
            struct line l = { .k = 0 };
            cell_text(&l, r->parts[p].logs);
            cell_text(&l, el_front_name(fr));
            if (be->has_volume) {
                cell_u64(&l, be->month_requests);
                cell(&l, EL_CELL_NUM, "%.2f", be->rps);
            } else {
                /* "never" only when it was searched: not without traffic to
                 * scale, a price of either side, or prices for the volumes */
                if (c->nhours && c->front[EL_FRONT_ALB].priced && c->front[fr].priced &&
                    !be->volume_unknown)
                    cell_text(&l, "never");
                else
                    cell_none(&l);
                cell_none(&l);
            }
            if (be->has_upper)
                cell_u64(&l, be->upper_month_requests);
            else
                cell_none(&l);
            if (be->alb_dearer_at_any_size)
                cell_text(&l, "any size");
            else if (be->has_bytes)
                cell_u64(&l, be->bytes_per_request);
            else
                cell_none(&l);
            rc = el_out_row(o, l.c);
        }
    return rc == EL_OK ? el_out_end(o) : rc;
}

/* ---- the ALB hours ---- */

static const char *const hour_cols[] = {
    "logs",          "hour",           "requests",       "peak_rps",
    "new_connections", "active_connections_avg", "processed_bytes", "lcu_new_connections",
    "lcu_active_connections", "lcu_processed_bytes", "lcu_rule_evaluations", "lcu_billed",
    "dominant_dimension", "alb_cost",
};

static enum el_err write_hours(struct el_out *o, const struct el_cost_report *r)
{
    enum el_err rc = el_out_begin(o, hour_cols, EL_ARRAY_LEN(hour_cols));
    for (size_t p = 0; p < r->nparts && rc == EL_OK; p++) {
        const struct el_cost *c = r->parts[p].cost;
        for (size_t i = 0; i < c->nhours && rc == EL_OK; i++) {
            const struct el_cost_hour *h = &c->hours[i];
            struct line l = { .k = 0 };
            cell_text(&l, r->parts[p].logs);
            cell_time(&l, h->u.start_us);
            cell_u64(&l, h->u.requests);
            cell_u64(&l, h->u.peak_rps);
            cell_u64(&l, h->u.new_conns);
            /* mean open connections: connection-us over the hour's us */
            uint64_t milli = (h->u.active_conn_us + 1800000) / 3600000;
            cell(&l, EL_CELL_NUM, "%llu.%03llu", (unsigned long long)(milli / 1000),
                 (unsigned long long)(milli % 1000));
            cell_u64(&l, hour_bytes(&h->u));
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
    }
    return rc == EL_OK ? el_out_end(o) : rc;
}

/* ---- migration risks ---- */

static const char *const risk_cols[] = { "direction", "risk",     "kind",       "source", "method",
                                         "route",     "requests", "first_time", "meaning" };

static enum el_err write_risks(struct el_out *o, const struct el_cost_report *r)
{
    bool table = is_table(o); /* the meanings follow the table as a legend */
    enum el_err rc = el_out_begin(o, risk_cols, EL_ARRAY_LEN(risk_cols) - table);
    for (size_t i = 0; i < r->nrisks && rc == EL_OK; i++) {
        const struct el_risk_row *k = &r->risks[i];
        struct line l = { .k = 0 };
        cell_text(&l, el_risk_direction(k->risk));
        cell_text(&l, el_risk_name(k->risk));
        cell_text(&l, el_risk_is_blocker(k->risk) ? "blocker" : "to replace");
        if (k->is_other) {
            cell_text(&l, "(other)");
            cell_none(&l);
            cell_none(&l);
        } else {
            cell_view(&l, k->source);
            cell_view(&l, k->method);
            cell_view(&l, k->route);
        }
        cell_u64(&l, k->count);
        if (k->has_time)
            cell_time(&l, k->first_us);
        else
            cell_none(&l);
        if (!table)
            cell_text(&l, el_risk_advice(k->risk));
        rc = el_out_row(o, l.c);
    }
    return rc == EL_OK ? el_out_end(o) : rc;
}

/* ---- the table's other sections ---- */

static const char *const dim_cols[] = { "logs", "dimension", "lcu_hours", "hours_dominated" };

static enum el_err write_dims(struct el_out *o, const struct el_cost_report *r)
{
    enum el_err rc = el_out_begin(o, dim_cols, EL_ARRAY_LEN(dim_cols));
    for (size_t p = 0; p < r->nparts && rc == EL_OK; p++) {
        const struct el_cost *c = r->parts[p].cost;
        for (int d = 0; d <= EL_LCU_DIM_COUNT && rc == EL_OK; d++) {
            struct line l = { .k = 0 };
            cell_text(&l, r->parts[p].logs);
            if (d < EL_LCU_DIM_COUNT) {
                cell_text(&l, el_lcu_dim_name((enum el_lcu_dim)d));
                cell_lcu(&l, c->lcu_dim_sum[d]);
                cell_u64(&l, c->dominant_hours[d]);
            } else {
                cell_text(&l, "billed (the largest, hour by hour)");
                cell_lcu(&l, c->lcu_billed_sum);
                cell_none(&l);
            }
            rc = el_out_row(o, l.c);
        }
    }
    return rc == EL_OK ? el_out_end(o) : rc;
}

#define MAX_SAY 32
#define SAY_LEN 400
struct says {
    char s[MAX_SAY][SAY_LEN];
    size_t n;
};

__attribute__((format(printf, 2, 3))) static void say(struct says *a, const char *fmt, ...)
{
    if (a->n == MAX_SAY)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->s[a->n++], SAY_LEN, fmt, ap);
    va_end(ap);
}

/* What one part's figures rest on. */
static void part_assumptions(const struct el_cost_report *r, const struct el_cost_part *p,
                             struct says *a)
{
    const struct el_cost *c = p->cost;
    const struct el_usage_totals *t = &c->t;
    if (!c->nhours) {
        say(a, "%s: none of its %llu requests had a time: there is nothing to price.", p->logs,
            (unsigned long long)t->requests);
        return;
    }
    say(a,
        "%s: %llu clock hour%s from the first request to the last (partial hours billed "
        "whole), x%.4g to a %d-hour month, x%g --scale.",
        p->logs, (unsigned long long)c->window_hours, c->window_hours == 1 ? "" : "s",
        c->window_hours ? (double)EL_COST_MONTH_HOURS / (double)c->window_hours : 0.0,
        EL_COST_MONTH_HOURS, c->scale);
    say(a,
        "%s: connections from conn_trace_id for %llu requests, client ip:port for %llu, the "
        "client IP alone for %llu (one kept-alive connection per address assumed), none for "
        "%llu (one connection each, open while served); open until %u s (the ALB idle "
        "timeout) after their last request: %llu connections.",
        p->logs, (unsigned long long)t->by_trace_id, (unsigned long long)t->by_ip_port,
        (unsigned long long)t->by_ip, (unsigned long long)t->unidentified, r->idle_timeout_s,
        (unsigned long long)t->conns);
    if (t->conns_untracked)
        say(a,
            "%s: more than %u connection spans: %llu connections were booked as opened and "
            "idle without being followed, which can overstate new connections.",
            p->logs, EL_USAGE_DEFAULT_MAX_CONNS, (unsigned long long)t->conns_untracked);
    if (t->without_bytes)
        say(a, "%s: %llu requests logged no sizes: their processed bytes count as 0.", p->logs,
            (unsigned long long)t->without_bytes);
    if (c->front[EL_FRONT_ALB].requests != c->front[EL_FRONT_REST].requests)
        say(a, "%s: %llu requests the gateway throttled or refused at authentication are not "
               "billed by API Gateway.",
            p->logs,
            (unsigned long long)(c->front[EL_FRONT_ALB].requests -
                                 c->front[EL_FRONT_REST].requests));
    if (t->untimed)
        say(a, "%s: %llu requests had no time and are in no hour.", p->logs,
            (unsigned long long)t->untimed);
}

static void assumptions(const struct el_cost_report *r, struct says *a)
{
    const struct el_prices *pr = r->prices;
    say(a, "Prices: %s, %s; %s.", pr->region, pr->currency, pr->source);
    for (enum el_front fr = 0; fr < EL_FRONT_COUNT; fr++) {
        /* any part: the sum may pass a table known only up to a volume */
        bool unpriced = false;
        for (size_t i = 0; i < r->nparts; i++)
            unpriced |= !r->parts[i].cost->front[fr].priced;
        const struct el_tiers *t = fr == EL_FRONT_REST ? &pr->rest : &pr->http;
        if (!unpriced)
            continue;
        if (fr != EL_FRONT_ALB && t->n > 0)
            say(a, "%s: %s prices are known only up to %llu requests a month; a larger month "
                   "is left unpriced: give the rest with --pricing FILE (docs/COST.md).",
                pr->region, el_front_name(fr), (unsigned long long)t->t[t->n - 1].upto);
        else
            say(a, "%s has no %s price: give one with --pricing FILE (docs/COST.md).",
                pr->region, el_front_name(fr));
    }
    for (size_t i = 0; i < r->nparts; i++)
        part_assumptions(r, &r->parts[i], a);
    if (r->nparts > 1)
        say(a, "all: the traffic of every log source added up. When the logs are the same "
               "requests seen by two front-ends, read one source's rows instead.");
    say(a,
        "ALB LCU per hour: the largest of new connections/s / %llu, mean open connections / "
        "%llu, processed bytes / %.1f GB (Lambda targets; %.1f GB others), rule evaluations/s "
        "/ %llu (--alb-rules %llu, first %llu free). Processed bytes are the logged received + sent "
        "bytes, headers included, so a lower bound (TLS and the Lambda leg are not logged).",
        (unsigned long long)pr->lcu.new_conns_per_s,
        (unsigned long long)pr->lcu.active_conns_per_min,
        (double)pr->lcu.bytes_per_hour_lambda / 1e9, (double)pr->lcu.bytes_per_hour_other / 1e9,
        (unsigned long long)pr->lcu.rule_evals_per_s,
        (unsigned long long)(r->nparts ? r->parts[0].cost->rules : 0),
        (unsigned long long)pr->lcu.free_rules);
    say(a, "API Gateway: tiers applied to the projected month; HTTP API requests metered by the "
           "larger of request and response in %llu-byte increments; ALB logs priced on API "
           "Gateway bill every logged request, API Gateway logs priced on ALB put Lambda "
           "targets behind it.",
        (unsigned long long)pr->http_increment_bytes);
    say(a, "Break-even: the same traffic scaled up or down with its shape kept (hours, "
           "connections, bytes per request); the size break-even gives every request one mean "
           "request + response size at the projected volume (0: ALB is the dearer at any size).");
    say(a, "Not included: data transfer out (the same rate on every front-end), Lambda, free "
           "tiers, REST API caching, LCU reservations.");
}

static enum el_err section(FILE *f, const char *title, const struct el_cost_report *r,
                           enum el_err (*fn)(struct el_out *, const struct el_cost_report *))
{
    struct el_out *o;
    if (fprintf(f, "%s\n", title) < 0)
        return EL_ERR_IO;
    enum el_err rc = el_out_create(&el_output_table, f, &o);
    if (rc != EL_OK)
        return rc;
    rc = fn(o, r);
    el_out_destroy(o);
    return rc;
}

static enum el_err write_peaks(FILE *f, const struct el_cost_report *r)
{
    fputs("\nPeak requests per second (API Gateway's default account quota: ", f);
    fprintf(f, "%u/s, burst %u)\n", EL_APIGW_ACCOUNT_RPS, EL_APIGW_ACCOUNT_BURST);
    for (size_t p = 0; p < r->nparts; p++) {
        const struct el_cost *c = r->parts[p].cost;
        const struct el_usage_totals *t = &c->t;
        char at[40] = "", scaled[64] = "";
        if (t->peak_rps)
            el_fmt_iso8601_us(t->peak_us, at);
        /* --scale grows the peak with the rest of the traffic */
        double peak = (double)t->peak_rps * c->scale;
        if (c->scale != 1.0 && t->peak_rps)
            snprintf(scaled, sizeof(scaled), ", x%g --scale: %.0f", c->scale, peak);
        fprintf(f, "  %-11s %llu%s%s%s%s\n", r->parts[p].logs, (unsigned long long)t->peak_rps,
                t->peak_rps ? " at " : "", at, scaled,
                peak > EL_APIGW_ACCOUNT_RPS ? "  over the quota: ask for an increase" : "");
    }
    return ferror(f) ? EL_ERR_IO : EL_OK;
}

static enum el_err write_table(FILE *f, const struct el_cost_report *r)
{
    enum el_err rc;
    if (r->view == EL_COST_VIEW_HOURS)
        return section(f, "ALB hour by hour", r, write_hours);
    if (r->view == EL_COST_VIEW_RISKS)
        return section(f, "Migration risks by route", r, write_risks);

    char head[160];
    snprintf(head, sizeof(head), "Cost in %s at %s prices; month = %d hours", r->prices->currency,
             r->prices->region, EL_COST_MONTH_HOURS);
    if ((rc = section(f, head, r, write_fronts)) != EL_OK ||
        (rc = section(f, "\nBreak-even: where ALB and each API type cost the same", r,
                      write_breakeven)) != EL_OK ||
        (rc = section(f, "\nALB LCU-hours by dimension (window)", r, write_dims)) != EL_OK ||
        (rc = write_peaks(f, r)) != EL_OK)
        return rc;
    if (r->nrisks) {
        if ((rc = section(f, "\nMigration risks by route", r, write_risks)) != EL_OK)
            return rc;
        bool seen[EL_RISK_COUNT] = { false };
        for (size_t i = 0; i < r->nrisks; i++)
            if (!seen[r->risks[i].risk]) {
                seen[r->risks[i].risk] = true;
                fprintf(f, "  %s: %s\n", el_risk_name(r->risks[i].risk),
                        el_risk_advice(r->risks[i].risk));
            }
    } else {
        fputs("\nMigration risks: none found in these logs\n", f);
    }
    struct says *a = el_calloc(1, sizeof(*a)); /* 12 KB: not on the stack */
    if (!a)
        return EL_ERR_NOMEM;
    assumptions(r, a);
    fputs("\nAssumptions\n", f);
    for (size_t i = 0; i < a->n; i++)
        fprintf(f, "- %s\n", a->s[i]);
    el_free(a);
    return ferror(f) ? EL_ERR_IO : EL_OK;
}

/* ---- JSON ---- */

static cJSON *json_raw(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static cJSON *json_raw(const char *fmt, ...)
{
    char b[48];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(b, sizeof(b), fmt, ap);
    va_end(ap);
    return cJSON_CreateRaw(b);
}

static cJSON *json_money(int64_t micros)
{
    char m[40];
    return cJSON_CreateRaw(el_fmt_money(m, sizeof(m), micros, 6));
}

static cJSON *json_u64(uint64_t v)
{
    return json_raw("%llu", (unsigned long long)v);
}

static cJSON *json_lcu(int64_t micro)
{
    return json_raw("%lld.%06lld", (long long)(micro / 1000000), (long long)(micro % 1000000));
}

static cJSON *json_time(int64_t us)
{
    char t[40];
    el_fmt_iso8601_us(us, t);
    return cJSON_CreateString(t);
}

static cJSON *json_view(struct el_str s)
{
    return s.n ? el_json_string(s) : cJSON_CreateNull();
}

static void add(cJSON *o, const char *name, cJSON *v)
{
    cJSON_AddItemToObject(o, name, v ? v : cJSON_CreateNull());
}

static cJSON *json_front(const struct el_cost *c, enum el_front fr)
{
    const struct el_front_cost *f = &c->front[fr];
    const struct el_breakeven *be = &c->be[fr];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "front_end", el_front_name(fr));
    cJSON_AddBoolToObject(o, "priced", f->priced);
    add(o, "billed_requests", json_u64(f->requests));
    add(o, "billing_units", json_u64(f->units));
    add(o, "month_requests", json_u64(f->month_requests));
    add(o, "month_units", json_u64(f->month_units));
    add(o, "window_cost", f->priced ? json_money(f->observed_micros) : NULL);
    add(o, "month_cost", f->priced ? json_money(f->month_micros) : NULL);
    add(o, "cost_per_million", f->has_per_million ? json_money(f->per_million_micros) : NULL);
    if (fr == EL_FRONT_ALB)
        return o;
    cJSON *b = cJSON_AddObjectToObject(o, "breakeven");
    add(b, "alb_cheaper_above_month_requests", be->has_volume ? json_u64(be->month_requests) : NULL);
    add(b, "alb_cheaper_above_rps", be->has_volume ? json_raw("%.4f", be->rps) : NULL);
    add(b, "api_cheaper_again_above_month_requests",
        be->has_upper ? json_u64(be->upper_month_requests) : NULL);
    add(b, "alb_dearer_above_bytes_per_request",
        be->alb_dearer_at_any_size ? json_u64(0)
        : be->has_bytes            ? json_u64(be->bytes_per_request)
                                   : NULL);
    return o;
}

static cJSON *json_part(const struct el_cost_report *r, const struct el_cost_part *p)
{
    const struct el_cost *c = p->cost;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "logs", p->logs);
    add(o, "requests", json_u64(c->t.requests));
    add(o, "first_time", c->nhours ? json_time(c->t.first_us) : NULL);
    add(o, "last_time", c->nhours ? json_time(c->t.last_us) : NULL);
    add(o, "window_hours", json_u64(c->window_hours));
    add(o, "peak_rps", json_u64(c->t.peak_rps));
    add(o, "peak_time", c->t.peak_rps ? json_time(c->t.peak_us) : NULL);
    add(o, "connections", json_u64(c->t.conns));
    cJSON *fronts = cJSON_AddArrayToObject(o, "front_ends");
    for (enum el_front fr = 0; fr < EL_FRONT_COUNT; fr++)
        cJSON_AddItemToArray(fronts, json_front(c, fr));
    cJSON *lcu = cJSON_AddObjectToObject(o, "alb_lcu_hours");
    for (int d = 0; d < EL_LCU_DIM_COUNT; d++) {
        cJSON *x = cJSON_AddObjectToObject(lcu, el_lcu_dim_name((enum el_lcu_dim)d));
        add(x, "lcu_hours", json_lcu(c->lcu_dim_sum[d]));
        add(x, "hours_dominated", json_u64(c->dominant_hours[d]));
    }
    add(lcu, "billed", json_lcu(c->lcu_billed_sum));
    add(lcu, "peak_hour", json_lcu(c->lcu_peak));
    cJSON *hours = cJSON_AddArrayToObject(o, "hours");
    for (size_t i = 0; i < c->nhours; i++) {
        const struct el_cost_hour *h = &c->hours[i];
        cJSON *x = cJSON_CreateObject();
        add(x, "hour", json_time(h->u.start_us));
        add(x, "requests", json_u64(h->u.requests));
        add(x, "peak_rps", json_u64(h->u.peak_rps));
        add(x, "new_connections", json_u64(h->u.new_conns));
        uint64_t milli = (h->u.active_conn_us + 1800000) / 3600000;
        add(x, "active_connections_avg", json_raw("%llu.%03llu", (unsigned long long)(milli / 1000),
                                                  (unsigned long long)(milli % 1000)));
        add(x, "processed_bytes", json_u64(hour_bytes(&h->u)));
        for (int d = 0; d < EL_LCU_DIM_COUNT; d++) {
            char name[48];
            snprintf(name, sizeof(name), "lcu_%s", el_lcu_dim_name((enum el_lcu_dim)d));
            add(x, name, json_lcu(h->lcu.dim[d]));
        }
        add(x, "lcu_billed", json_lcu(h->lcu.billed));
        add(x, "dominant_dimension",
            h->lcu.billed > 0 ? cJSON_CreateString(el_lcu_dim_name(h->lcu.dominant)) : NULL);
        add(x, "alb_cost", json_money(h->micros));
        cJSON_AddItemToArray(hours, x);
    }
    (void)r;
    return o;
}

static cJSON *build_json(const struct el_cost_report *r)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "region", r->prices->region);
    cJSON_AddStringToObject(root, "currency", r->prices->currency);
    cJSON_AddStringToObject(root, "prices_source", r->prices->source);
    add(root, "month_hours", json_u64(EL_COST_MONTH_HOURS));
    cJSON *parts = cJSON_AddArrayToObject(root, "logs");
    for (size_t i = 0; i < r->nparts; i++)
        cJSON_AddItemToArray(parts, json_part(r, &r->parts[i]));
    cJSON *risks = cJSON_AddArrayToObject(root, "migration_risks");
    for (size_t i = 0; i < r->nrisks; i++) {
        const struct el_risk_row *k = &r->risks[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "direction", el_risk_direction(k->risk));
        cJSON_AddStringToObject(o, "risk", el_risk_name(k->risk));
        cJSON_AddStringToObject(o, "kind", el_risk_is_blocker(k->risk) ? "blocker" : "to replace");
        add(o, "source", k->is_other ? cJSON_CreateString("(other)") : json_view(k->source));
        add(o, "method", k->is_other ? NULL : json_view(k->method));
        add(o, "route", k->is_other ? NULL : json_view(k->route));
        add(o, "requests", json_u64(k->count));
        add(o, "first_time", k->has_time ? json_time(k->first_us) : NULL);
        cJSON_AddStringToObject(o, "meaning", el_risk_advice(k->risk));
        cJSON_AddItemToArray(risks, o);
    }
    struct says *a = el_calloc(1, sizeof(*a));
    if (!a) {
        cJSON_Delete(root);
        return NULL;
    }
    assumptions(r, a);
    cJSON *as = cJSON_AddArrayToObject(root, "assumptions");
    for (size_t i = 0; i < a->n; i++)
        cJSON_AddItemToArray(as, cJSON_CreateString(a->s[i]));
    el_free(a);
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
        bool ok = fputs(text, f) >= 0 && fputc('\n', f) != EOF;
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

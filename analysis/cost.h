/* cost.h: what the observed traffic would cost on ALB, REST API and HTTP
 * API (docs/COST.md).
 *
 * Two steps. The usage collector (usage.c) turns records into per clock
 * hour quantities, the ones the bills are made of: requests, billable
 * requests and HTTP API metering units, processed bytes (Lambda or not),
 * connections opened and connection-minutes active, and requests per
 * second. It merges exactly, like the aggregate, so threads and files
 * split any way give the same numbers (short of the connection cap). The
 * model (cost.c) then prices those hours with a price table: ALB per hour
 * plus LCU-hours, API Gateway per request in monthly tiers, a projection to
 * a 30-day month, --scale, and the break-even points. Money is integer
 * micros throughout (pricing.h).
 */
#ifndef EL_COST_H
#define EL_COST_H

#include "analysis.h"
#include "pricing.h"

/* ---- usage ------------------------------------------------------------------ */

#define EL_USAGE_DEFAULT_IDLE_US (60LL * 1000000)
/* Connection spans remembered per collector: 24 bytes each, and an index
 * of 2^19 8-byte slots at most 3/4 full, so 13.6 MB at the cap (3 x 2^17:
 * one more span would double the index). A run keeps one collector per log
 * source and thread; two threads at the cap stay inside the 64 MiB budget.
 * Past this, a new connection is booked at once, as opened and then open
 * for the idle timeout, and the totals say how many were. */
#define EL_USAGE_DEFAULT_MAX_CONNS 393216u

struct el_usage_opts {
    int64_t idle_timeout_us; /* 0 = 60 s */
    size_t max_conns;        /* 0 = EL_USAGE_DEFAULT_MAX_CONNS */
};

struct el_usage;

enum el_err el_usage_create(const struct el_usage_opts *opts, struct el_usage **out);
void el_usage_destroy(struct el_usage *u); /* NULL is fine */

/* Adds one record. EL_ERR_NOMEM may leave it partly counted (its request
 * and hour, without its connection): the collector stays safe to merge and
 * destroy, but its figures are no longer those of the records added, so
 * the caller gives up on the report (the CLI does). */
enum el_err el_usage_add(struct el_usage *u, const struct el_record *r);

/* Folds src into dst; src is unchanged. */
enum el_err el_usage_merge(struct el_usage *dst, const struct el_usage *src);

/* Records added (timed or not). */
uint64_t el_usage_requests(const struct el_usage *u);

/* One clock hour of traffic. */
struct el_usage_hour {
    int64_t start_us; /* UTC, a multiple of one hour */
    uint64_t requests;
    uint64_t apigw_billable;   /* requests API Gateway would bill (not throttled or
                                  refused by auth at the gateway) */
    uint64_t http_units;       /* HTTP API metering units of the billable requests */
    uint64_t bytes_lambda;     /* received + sent bytes of requests to Lambda */
    uint64_t bytes_other;      /* ... to instance, IP or container targets */
    uint64_t new_conns;        /* connections whose first request falls in the hour */
    uint64_t active_conn_us;   /* connection-time open within the hour, in us: the
                                  hour's mean number of open connections is this /
                                  3,600,000,000 */
    uint64_t peak_rps;         /* most requests in one second of the hour */
};

/* How the connection figures were estimated, for the report's
 * assumptions. Every timed request counts in exactly one of the four. */
struct el_usage_totals {
    uint64_t requests;       /* records added */
    uint64_t untimed;        /* records without a time: in no hour */
    uint64_t by_trace_id;    /* connection from conn_trace_id */
    uint64_t by_ip_port;     /* from client ip:port */
    uint64_t by_ip;          /* from the client ip alone (one kept-alive connection
                                per address: API Gateway access logs) */
    uint64_t unidentified;   /* no client identity: one connection per request,
                                open for its own latency (execution logs) */
    uint64_t conns;          /* distinct connections */
    uint64_t conns_untracked; /* opened past the connection cap: not remembered */
    uint64_t without_bytes;  /* timed requests whose sizes were not logged */
    uint64_t requests_by_src[EL_SRC_COUNT];
    uint64_t peak_rps;
    int64_t peak_us;         /* the second of the peak */
    int64_t first_us, last_us; /* first and last request time (when any) */
};

/* Every hour from the first request's to the last's, hours without traffic
 * included (an ALB bills them too), with connections counted: a connection
 * opens at its first request and stays open until idle_timeout after its
 * last. Settles the connection spans in place (sorted and joined, no
 * copy), so u changes but counts the same; it can take more records and
 * merges after. *hours is new (free with el_free); *n is 0 when no record had a
 * time. */
enum el_err el_usage_hours(struct el_usage *u, struct el_usage_hour **hours, size_t *n,
                           struct el_usage_totals *totals);

/* ---- the model ------------------------------------------------------------------ */

enum el_front {
    EL_FRONT_ALB,
    EL_FRONT_REST,
    EL_FRONT_HTTP,
    EL_FRONT_COUNT
};
const char *el_front_name(enum el_front f); /* "alb", "rest-api", "http-api" */

/* API Gateway's default throttle for an account and region (raisable). */
#define EL_APIGW_ACCOUNT_RPS 10000u
#define EL_APIGW_ACCOUNT_BURST 5000u

#define EL_COST_MONTH_HOURS 720 /* a 30-day month, as AWS's own examples count */

struct el_cost_opts {
    const struct el_prices *prices;
    uint64_t alb_rules;    /* listener rules evaluated per request */
    double scale;          /* traffic multiplier; 0 = 1 */
};

/* One hour priced on ALB. */
struct el_cost_hour {
    struct el_usage_hour u;
    struct el_lcu lcu;     /* micro-LCUs of the observed hour (unscaled) */
    int64_t micros;        /* ALB charge of the hour: hourly + LCUs (scaled) */
};

struct el_front_cost {
    bool priced;             /* false: the price table has no price for it */
    uint64_t requests;       /* observed requests it would bill (ALB: all) */
    uint64_t units;          /* observed billing units (HTTP API: metered) */
    uint64_t month_requests; /* projected to a 30-day month, scaled */
    uint64_t month_units;
    int64_t observed_micros; /* the observed window (scaled) */
    int64_t month_micros;    /* 30-day month (scaled) */
    int64_t per_million_micros; /* month_micros per million of all the month's
                                   requests (ALB's month_requests) */
    bool has_per_million;    /* false when the month rounds to no request */
};

/* Where ALB and an API Gateway type cost the same, this traffic's shape
 * kept (how it spreads over the hours, its connections and bytes per
 * request): the monthly request volume above which ALB is the cheaper
 * (and, with tiers, the volume above which the API is cheaper again, if
 * one exists below 10^15 requests a month), and the mean request +
 * response size at which ALB's processed-bytes LCUs cost what the API does
 * at the projected volume. */
struct el_breakeven {
    bool has_volume;
    bool volume_unknown;       /* the API's price table stops before ALB got
                                  cheaper: no answer (rather than never) */
    uint64_t month_requests;   /* ALB is the cheaper above this volume */
    double rps;                /* the same as an average rate */
    bool has_upper;
    uint64_t upper_month_requests; /* the API is the cheaper again above this */
    double upper_rps;
    bool has_bytes;
    uint64_t bytes_per_request; /* above this mean size ALB is the dearer */
    bool alb_dearer_at_any_size; /* at the projected volume, even empty requests */
};

struct el_cost {
    struct el_usage_totals t;
    size_t nhours;
    struct el_cost_hour *hours;          /* nhours, from el_usage_hours */
    double scale;
    uint64_t window_hours;               /* billed hours observed (= nhours) */
    struct el_front_cost front[EL_FRONT_COUNT];
    int64_t lcu_dim_sum[EL_LCU_DIM_COUNT]; /* micro-LCU-hours per dimension, observed */
    int64_t lcu_billed_sum;              /* micro-LCU-hours billed, observed */
    uint64_t dominant_hours[EL_LCU_DIM_COUNT]; /* hours each dimension dominated */
    int64_t lcu_peak;                    /* the largest hourly LCU */
    struct el_breakeven be[EL_FRONT_COUNT]; /* [EL_FRONT_REST], [EL_FRONT_HTTP] */
    uint64_t bytes_total;                /* observed processed bytes */
    uint64_t hours_bytes_lambda, hours_bytes_other; /* of which to Lambda / others */
    uint64_t rules;                      /* --alb-rules */
};

/* Prices the usage. *c is filled; free with el_cost_fini. */
enum el_err el_cost_compute(struct el_usage *u, const struct el_cost_opts *opts,
                            struct el_cost *c);
void el_cost_fini(struct el_cost *c);

#endif /* EL_COST_H */

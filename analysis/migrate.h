/* migrate.h: what in the logs would block or risk moving a route between ALB
 * and API Gateway, in either direction, per (source, method, route).
 *
 * A risk is a pure function of one record (el_risks_of): hard limits the
 * other front-end has (timeouts, payload sizes, WebSockets) and API Gateway
 * features ALB has no counterpart for (el_record.features). The table counts
 * requests per key and risk and keeps the earliest request time of each, an
 * example to look up. Every count is a sum and every time a min, so tables
 * built over any split of the records merge into the table one pass builds.
 * docs/COST.md "Migration risks" documents each risk and its source.
 */
#ifndef EL_MIGRATE_H
#define EL_MIGRATE_H

#include "core.h"
#include "parsers.h"

enum el_risk {
    /* ALB -> API Gateway (from ALB records) */
    EL_RISK_TIMEOUT_REST, /* target time > 29 s: over REST's default integration timeout */
    EL_RISK_TIMEOUT_HTTP, /* > 30 s: over HTTP API's hard limit */
    EL_RISK_PAYLOAD_10MB, /* request or response > 10 MiB (API Gateway payload limit) */
    EL_RISK_WEBSOCKET,    /* ALB type ws/wss: REST and HTTP APIs do not proxy WebSockets */
    EL_RISK_NON_LAMBDA,   /* the target is an ip:port (instance, IP, container), not Lambda */
    /* API Gateway -> ALB */
    EL_RISK_ALB_1MB,       /* API Gateway request or response > 1 MiB: over ALB's Lambda limit */
    EL_RISK_ALB_LIMIT_HIT, /* ALB records: ALB refused a Lambda payload already
                            * (LambdaRequestTooLarge / LambdaResponseTooLarge) */
    /* API Gateway features ALB lacks (API Gateway records, el_record.features) */
    EL_RISK_API_KEY,
    EL_RISK_USAGE_PLAN,
    EL_RISK_AUTHORIZER,
    EL_RISK_THROTTLING,
    EL_RISK_VALIDATION,
    EL_RISK_MAPPING,
    EL_RISK_CACHE,
    EL_RISK_COUNT
};

/* Stable snake_case name ("integration_over_29s", ...); "unknown" out of range. */
const char *el_risk_name(enum el_risk k);
/* "alb-to-apigw" or "apigw-to-alb"; "" out of range. */
const char *el_risk_direction(enum el_risk k);
/* One sentence: what the risk means and what would replace the feature. */
const char *el_risk_advice(enum el_risk k);
/* A hard limit of the other front-end (timeouts, payload sizes, WebSockets),
 * as opposed to something the migration has to rebuild. */
bool el_risk_is_blocker(enum el_risk k);

/* The risks of one record, bit (1u << k) per enum el_risk. Pure. ALB
 * records only ever carry alb-to-apigw risks and EL_RISK_ALB_LIMIT_HIT;
 * API Gateway records only apigw-to-alb ones. Limits are strict: exactly
 * 29 s or exactly 10 MiB is not over. */
uint32_t el_risks_of(const struct el_record *r);

/* ---- the per-route table ----------------------------------------------------
 * Keyed by (source, method, route) as the record carries them (an empty
 * method or route is a key like any other). Only records with a risk touch
 * it: one with none costs el_risks_of and a branch. At most max_routes keys
 * are kept (copied once, on first sight); records of new keys past that
 * count in one "(other)" entry, whose rows say is_other. As in el_agg, which
 * keys make the cap then depends on input order; below the cap nothing
 * does. Not thread-safe: one table per thread, then merge. */
#define EL_MIGRATE_DEFAULT_MAX_ROUTES 10000

struct el_migrate;

/* max_routes 0 means EL_MIGRATE_DEFAULT_MAX_ROUTES. */
enum el_err el_migrate_create(size_t max_routes, struct el_migrate **out);
void el_migrate_destroy(struct el_migrate *m); /* NULL is fine */

/* Counts the record under each of its risks. EL_ERR_NOMEM when a new key
 * could not be stored: the record is then not counted at all and the table
 * is as it was (a grown hash index aside). */
enum el_err el_migrate_add(struct el_migrate *m, const struct el_record *r);

/* Adds src into dst (src unchanged): counts add up, example times take the
 * earlier, dst's cap applies to keys new to it. EL_ERR_NOMEM leaves dst
 * consistent, holding the keys merged so far. */
enum el_err el_migrate_merge(struct el_migrate *dst, const struct el_migrate *src);

/* One (key, risk) with requests. source is el_src_name() of the key's
 * source; source, method and route are views into the table (valid while it
 * lives and is not added to) and all empty for "(other)". */
struct el_risk_row {
    struct el_str source, method, route;
    enum el_risk risk;
    uint64_t count;
    int64_t first_us; /* earliest request time with this risk on this key */
    bool has_time;    /* false when none of those requests had a time */
    bool is_other;
};

/* Every row, sorted by direction ("alb-to-apigw" first), risk (enum order),
 * count (descending), then source, method and route bytewise; "(other)"
 * last within its risk. The same for any input order and any merge. *rows
 * is NULL when *n is 0; free it with el_free. EL_ERR_NOMEM: *rows NULL. */
enum el_err el_migrate_rows(const struct el_migrate *m, struct el_risk_row **rows, size_t *n);

/* Requests with risk k over all keys, "(other)" included; 0 out of range. */
uint64_t el_migrate_total(const struct el_migrate *m, enum el_risk k);

#endif /* EL_MIGRATE_H */

/* pricing.h: what ALB and API Gateway charge, and the arithmetic of it.
 *
 * Money is integer micro-units of the table's currency (1 USD = 1,000,000
 * micros), never floating point: a price of $0.0225 per hour is 22,500
 * micros, $3.50 per million requests is 3,500,000 micros per million. Sums
 * are exact; a rounding happens once, where a rate times a quantity is
 * turned into money, and it rounds half up (LCU and usage quantities round
 * up, since AWS bills partial units). docs/COST.md explains every formula
 * and its source (../shared/reference/pricing.md in the team's notes).
 *
 * Built-in tables carry their region, currency, source and date; a JSON
 * pricing file (--pricing) overrides any of their values.
 *
 * Unknown prices. A built-in table holds only what its sources give, so a
 * region may lack some prices. Unknown is written as: 0 for the scalar
 * prices (alb_hour_micros, alb_lcu_hour_micros,
 * alb_trust_store_hour_micros), n == 0 for rest, http and dto, ncache == 0
 * for the cache sizes. A tier table may also be known only up to a volume
 * (its last upto is not UINT64_MAX: eu-west-2 publishes only its first
 * tiers); el_tiered_micros then answers -1 above that volume. The caller
 * says which price is missing and asks for it with --pricing.
 */
#ifndef EL_PRICING_H
#define EL_PRICING_H

#include "core.h"

#define EL_MICROS_PER_UNIT 1000000LL /* micros in one dollar (or yuan) */
#define EL_PRICE_MAX_TIERS 8
#define EL_PRICE_MAX_CACHE_SIZES 8

/* Monthly volume tiers: tier i covers the units from upto[i-1] (0 for the
 * first) to upto[i]; upto rises strictly. The last tier's upto is
 * UINT64_MAX, except in a table known only up to that volume (see
 * "Unknown prices" above). Prices are micros per million units, >= 0. */
struct el_tier {
    uint64_t upto;
    int64_t micros_per_million;
};

struct el_tiers {
    size_t n; /* 1..EL_PRICE_MAX_TIERS; 0 = unknown for this region */
    struct el_tier t[EL_PRICE_MAX_TIERS];
};

/* What one LCU buys per hour (the four dimensions), and the free rules.
 * The same in every region. An allowance of 0 makes its dimension (or, for
 * the two byte allowances, its term) count 0 rather than divide by zero. */
struct el_lcu_allowance {
    uint64_t new_conns_per_s;          /* 25 */
    uint64_t active_conns_per_min;     /* 3,000 (1,500 with mutual TLS) */
    uint64_t bytes_per_hour_lambda;    /* 400,000,000 (0.4 GB, decimal) */
    uint64_t bytes_per_hour_other;     /* 1,000,000,000 */
    uint64_t rule_evals_per_s;         /* 1,000 */
    uint64_t free_rules;               /* 10 */
};

struct el_rest_cache_price {
    uint32_t size_mb; /* cache size in MB, e.g. 1600 for "1.6 GB" */
    int64_t micros_per_hour;
};

/* Data transfer out, in GiB (2^30 bytes, as AWS's API Gateway examples
 * count "GB"): tier i covers GiB from upto_gib[i-1] to upto_gib[i]. It costs
 * the same whichever front-end sends the bytes, so it cancels in a
 * comparison; edgelog reports it beside, never inside, the front-end cost. */
struct el_dto_tier {
    uint64_t upto_gib; /* UINT64_MAX for the last tier */
    int64_t micros_per_gib;
};

struct el_dto {
    size_t n;
    struct el_dto_tier t[EL_PRICE_MAX_TIERS];
};

struct el_prices {
    char region[32];   /* "us-east-1"; a --pricing file may name its own */
    char currency[8];  /* "USD", "CNY" */
    char source[160];  /* where the numbers come from, and when */
    int64_t alb_hour_micros;        /* per ALB-hour or partial hour; 0 = unknown */
    int64_t alb_lcu_hour_micros;    /* per LCU-hour; 0 = unknown */
    int64_t alb_trust_store_hour_micros; /* mutual TLS trust store, per hour; 0 = unknown */
    struct el_lcu_allowance lcu;
    struct el_tiers rest;           /* REST API, per million requests a month */
    struct el_tiers http;           /* HTTP API, per million metered requests a month */
    uint64_t http_increment_bytes;  /* HTTP API metering increment, 524,288 (a
                                       product rule, set in every region) */
    struct el_rest_cache_price cache[EL_PRICE_MAX_CACHE_SIZES]; /* REST caching */
    size_t ncache;                  /* 0 when the region's cache prices are unknown */
    struct el_dto dto;              /* data transfer out to the internet; n == 0
                                       when unknown */
};

/* ---- built-in tables ---- */

/* The built-in table for a region ("us-east-1"), or NULL. */
const struct el_prices *el_prices_builtin(const char *region);
/* The regions with a built-in table, in a fixed order; *n of them. */
const char *const *el_prices_regions(size_t *n);
#define EL_PRICES_DEFAULT_REGION "us-east-1"

/* Applies a JSON pricing file (docs/COST.md "Prices and pricing files")
 * over *p, which holds the starting table (the --region one). Only the keys
 * present change, with two rules: an array (tiers, cache) replaces the
 * whole list, and "source", when the file does not set it, becomes
 * "pricing file; base: <the old source>" (cut to fit) once any value
 * changed, so a report never credits AWS with the file's numbers.
 *
 *   {
 *     "region": "us-east-1",      a built-in region: start from its table;
 *                                 any other name (1..31 of [A-Za-z0-9._-])
 *                                 keeps *p's values under that name
 *     "currency": "USD",          three capital letters
 *     "source": "our 2026 contract",          1..159 printable characters
 *     "alb": {
 *       "hour": 0.0225, "lcu_hour": "0.008", "trust_store_hour": 0.0056,
 *       "lcu": { "new_connections_per_second": 25,
 *                "active_connections_per_minute": 3000,
 *                "processed_bytes_per_hour_lambda": 400000000,
 *                "processed_bytes_per_hour": 1000000000,
 *                "rule_evaluations_per_second": 1000, "free_rules": 10 } },
 *     "rest": { "tiers": [ { "up_to": 333000000, "per_million": 3.50 },
 *                          { "up_to": 1000000000, "per_million": 2.80 },
 *                          { "per_million": 1.51 } ],
 *               "cache": [ { "size_gb": "1.6", "hour": 0.038 } ] },
 *     "http": { "tiers": [ ... as rest ... ], "increment_bytes": 524288 },
 *     "data_transfer_out": { "tiers": [ { "up_to_gib": 10240, "per_gib": 0.09 },
 *                                       { "per_gib": 0.085 } ] }
 *   }
 *
 * Prices ("hour", "lcu_hour", "trust_store_hour", "per_million", "per_gib")
 * are JSON numbers or decimal strings with at most six decimals, 0 to
 * 1,000,000; strings convert digit by digit, numbers must lie within 1e-6
 * of a whole number of micros. "size_gb" has at most three decimals (it
 * becomes size_mb). Counts ("up_to", "up_to_gib", the lcu allowances,
 * "increment_bytes") are whole numbers, as JSON numbers up to 2^53 or as
 * digit strings beyond. Tiers: 1..EL_PRICE_MAX_TIERS objects, "up_to"
 * rising strictly, every tier but the last bounded and the last unbounded.
 * Cache: up to EL_PRICE_MAX_CACHE_SIZES distinct sizes. A price of 0 reads
 * as unknown (see above).
 *
 * Text that is not JSON, trailing text, a top level that is not an object,
 * an unknown or repeated key, a wrong type, a negative, out-of-range or too
 * precise value, or tiers that break the rules is EL_ERR_PARSE, *p
 * unchanged, and a message in err naming the key path or the line:
 *   "rest.tiers[2].per_milion: unknown key (expected up_to, per_million)"
 *   "alb.lcu_hour: more than 6 decimals"      "line 3, column 9: not JSON"
 * cJSON allocates with its own hooks (libc unless the program set others);
 * a failed allocation there reads as text that is not JSON. */
enum el_err el_prices_load_json(const char *text, size_t len, struct el_prices *p, char *err,
                                size_t errlen);

/* ---- arithmetic (all exact integers; __int128 inside where products can
 * exceed 64 bits) ---- */

/* Cost of `units` in one month on tiered prices, in micros: the exact sum
 * over tiers of units_in_tier * micros_per_million, divided by 10^6 once,
 * rounded half up; saturates at INT64_MAX. -1 when the table has no price
 * for that volume (n == 0, or units above a partial table's last upto). */
int64_t el_tiered_micros(const struct el_tiers *t, uint64_t units);

/* HTTP API metered requests for one request of this many bytes: the size in
 * increments, rounded up, at least 1 (1 when increment_bytes is 0). */
uint64_t el_http_units(uint64_t bytes, uint64_t increment_bytes);

/* quantity * rate_micros / per, rounded half up (e.g. bytes at a price per
 * GB: per = 10^9). A negative rate gives the negated result of its
 * magnitude (halves round away from zero). Saturates at INT64_MAX (and
 * -INT64_MAX); per == 0 gives 0. */
int64_t el_rate_micros(uint64_t quantity, int64_t rate_micros, uint64_t per);

/* The four ALB usage dimensions of one clock hour. */
struct el_alb_usage {
    uint64_t new_conns;            /* connections opened in the hour */
    uint64_t active_conn_minutes;  /* sum over the hour's 60 minutes of the
                                      connections active in that minute */
    uint64_t bytes_lambda;         /* processed bytes to/from Lambda targets */
    uint64_t bytes_other;          /* processed bytes for other targets */
    uint64_t requests;             /* requests in the hour */
    uint64_t rules;                /* listener rules evaluated per request */
};

enum el_lcu_dim {
    EL_LCU_NEW_CONNS,
    EL_LCU_ACTIVE_CONNS,
    EL_LCU_BYTES,
    EL_LCU_RULES,
    EL_LCU_DIM_COUNT
};
const char *el_lcu_dim_name(enum el_lcu_dim d); /* "new_connections", ... */

/* LCUs of one hour in micro-LCUs (1 LCU = 1,000,000), each dimension
 * computed exactly and rounded up once (the bytes sum as one fraction):
 *   new   = new_conns / 3600 / new_conns_per_s
 *   active= active_conn_minutes / 60 / active_conns_per_min
 *   bytes = bytes_lambda / bytes_per_hour_lambda + bytes_other / bytes_per_hour_other
 *   rules = requests / 3600 * max(0, rules - free_rules) / rule_evals_per_s
 * A zero allowance counts 0 (see el_lcu_allowance); each dimension
 * saturates at INT64_MAX. billed = the largest; dominant = its dimension
 * (the first on ties, in enum order). */
struct el_lcu {
    int64_t dim[EL_LCU_DIM_COUNT];
    int64_t billed;
    enum el_lcu_dim dominant;
};
void el_alb_lcu(const struct el_lcu_allowance *a, const struct el_alb_usage *u, struct el_lcu *out);

/* Money of `lcu_micro` micro-LCU-hours at the table's LCU-hour price, half
 * up: el_rate_micros(lcu_micro, alb_lcu_hour_micros, 10^6). */
int64_t el_alb_lcu_micros(const struct el_prices *p, int64_t lcu_micro);

/* Data transfer out of `bytes` in one month on d's tiers, in micros:
 * sum over tiers of (bytes in tier) * micros_per_gib / 2^30, exact, rounded
 * half up once; saturates at INT64_MAX. 0 when d->n == 0 (unknown). */
int64_t el_dto_micros(const struct el_dto *d, uint64_t bytes);

/* The REST cache price for a size in MB, or -1 if the table has no such
 * size. */
int64_t el_rest_cache_hour_micros(const struct el_prices *p, uint32_t size_mb);

/* Formats micros as a decimal amount with `decimals` digits (0..6, clamped),
 * rounded half up on the magnitude, into buf ("418.80", "0.03114").
 * Negative amounts get a '-' unless they round to zero. Cut to fit cap
 * (always NUL-terminated when cap > 0); 32 bytes always suffice. Returns
 * buf. */
char *el_fmt_money(char *buf, size_t cap, int64_t micros, int decimals);

#endif /* EL_PRICING_H */

/* fuzz_pricing.c: the JSON pricing-file reader (--pricing) over arbitrary
 * text, applied over a built-in table chosen by the input's hash.
 *
 * Invariants (pricing.h): a rejected file leaves the table byte for byte
 * unchanged and says why; an accepted one gives a table that keeps the
 * rules (strings NUL-terminated, currency three capitals, tiers 1..8 with
 * rising bounds, cache sizes within their count, prices in range), and the
 * arithmetic over it neither overflows nor goes negative. */
#include "pricing.h"
#include "fuzz.h"

static void check_tiers(const struct el_tiers *t)
{
    FUZZ_CHECK(t->n <= EL_PRICE_MAX_TIERS, "tier count");
    for (size_t i = 0; i < t->n; i++) {
        FUZZ_CHECK(t->t[i].micros_per_million >= 0 &&
                       t->t[i].micros_per_million <= 1000000 * EL_MICROS_PER_UNIT,
                   "tier price out of range");
        if (i > 0)
            FUZZ_CHECK(t->t[i].upto > t->t[i - 1].upto, "tier bounds do not rise");
    }
    static const uint64_t units[] = { 0, 1, 999999, 1000000, 333000001, UINT64_MAX / 3,
                                      UINT64_MAX };
    for (size_t i = 0; i < EL_ARRAY_LEN(units); i++)
        FUZZ_CHECK(el_tiered_micros(t, units[i]) >= -1, "tiered cost below -1");
}

static void check_table(const struct el_prices *p)
{
    FUZZ_CHECK(memchr(p->region, '\0', sizeof(p->region)) != NULL, "region not terminated");
    FUZZ_CHECK(memchr(p->source, '\0', sizeof(p->source)) != NULL, "source not terminated");
    FUZZ_CHECK(strlen(p->currency) == 3 && p->currency[0] >= 'A' && p->currency[0] <= 'Z' &&
                   p->currency[1] >= 'A' && p->currency[1] <= 'Z' && p->currency[2] >= 'A' &&
                   p->currency[2] <= 'Z',
               "currency is not three capitals");
    const int64_t prices[] = { p->alb_hour_micros, p->alb_lcu_hour_micros,
                               p->alb_trust_store_hour_micros };
    for (size_t i = 0; i < EL_ARRAY_LEN(prices); i++)
        FUZZ_CHECK(prices[i] >= 0 && prices[i] <= 1000000 * EL_MICROS_PER_UNIT,
                   "price out of range");
    check_tiers(&p->rest);
    check_tiers(&p->http);
    FUZZ_CHECK(p->ncache <= EL_PRICE_MAX_CACHE_SIZES, "cache count");
    for (size_t i = 0; i < p->ncache; i++)
        FUZZ_CHECK(el_rest_cache_hour_micros(p, p->cache[i].size_mb) >= 0, "cache price");
    FUZZ_CHECK(p->dto.n <= EL_PRICE_MAX_TIERS, "transfer tier count");
    FUZZ_CHECK(el_dto_micros(&p->dto, UINT64_MAX) >= 0, "transfer cost");
    FUZZ_CHECK(el_http_units(UINT64_MAX, p->http_increment_bytes) >= 1, "http units");

    struct el_alb_usage u = { .new_conns = UINT64_MAX, .active_conn_minutes = UINT64_MAX,
                              .bytes_lambda = UINT64_MAX, .bytes_other = UINT64_MAX,
                              .requests = UINT64_MAX, .rules = UINT64_MAX };
    struct el_lcu l;
    el_alb_lcu(&p->lcu, &u, &l);
    FUZZ_CHECK(l.billed >= 0 && l.dominant < EL_LCU_DIM_COUNT, "lcu");
    FUZZ_CHECK(el_alb_lcu_micros(p, l.billed) >= 0, "lcu money");
    char buf[32];
    el_fmt_money(buf, sizeof(buf), el_alb_lcu_micros(p, l.billed), 6);
    FUZZ_CHECK(memchr(buf, '\0', sizeof(buf)) != NULL, "money not terminated");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t nreg;
    const char *const *regions = el_prices_regions(&nreg);
    const struct el_prices *base = el_prices_builtin(regions[fuzz_hash(data, size) % nreg]);
    FUZZ_CHECK(base != NULL, "built-in table");
    struct el_prices p = *base;
    char *text = fuzz_dup(data, size);
    char err[200];
    memset(err, 'x', sizeof(err));
    enum el_err rc = el_prices_load_json(text, size, &p, err, sizeof(err));
    if (rc != EL_OK) {
        FUZZ_CHECK(rc == EL_ERR_PARSE, "load code");
        FUZZ_CHECK(memcmp(&p, base, sizeof(p)) == 0, "a rejected file changed the table");
        FUZZ_CHECK(memchr(err, '\0', sizeof(err)) != NULL && err[0], "no message");
    } else {
        check_table(&p);
    }
    free(text);
    return 0;
}

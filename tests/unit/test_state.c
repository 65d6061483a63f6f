/* test_state.c: the aggregate state (analysis.h, docs/STATE.md).
 *
 * A decoded state must be the same aggregate: every view and sketch answer
 * equal, the same bytes when encoded again, and the same behaviour under
 * later adds and merges. Shards encoded, decoded and merged must equal one
 * pass byte for byte. Every kind of damage (a cut at each offset, a flipped
 * byte at each offset, foreign data, a newer version, values that no
 * aggregate can hold, failed allocations) must be a clean error. The
 * invalid states are written by a small builder that follows STATE.md field
 * by field, so these tests also pin the documented layout.
 */
#include "analysis.h"
#include "check.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "guard.h"

/* ---- records ------------------------------------------------------------------ */

static struct el_str S(const char *s) {
    return (struct el_str){ s, strlen(s) };
}

static uint64_t rng_state;
static uint64_t rnd(void)
{
    return check_splitmix(&rng_state);
}

static const char *const methods[] = { "GET", "POST", "PUT" };
static const char *const routes[] = { "/orders/{id}",         "/orders", "/users/{uuid}/cart", "/",
                                      "/catalog/items/{hex}", "/health" };
static const char *const hosts[] = { "a.example", "b.example", "" };

/* Like test_agg's records, plus hosts and client addresses for other --by
 * keys, and byte counts that are sometimes absent. /health answers from a
 * handful of latencies, so its sketches stay exact while the others switch
 * to buckets. */
static struct el_record make_record(uint64_t i)
{
    struct el_record r = { .src = i % 5 == 4 ? EL_SRC_APIGW_REST : EL_SRC_ALB };
    r.method = S(methods[rnd() % EL_ARRAY_LEN(methods)]);
    /* half the traffic on one route, so its groups see enough distinct
     * latencies to switch to buckets */
    size_t route = rnd() % 2 ? 0 : (size_t)(rnd() % EL_ARRAY_LEN(routes));
    r.route = S(routes[route]);
    r.host = S(hosts[rnd() % EL_ARRAY_LEN(hosts)]);
    static const char *const ips[] = { "192.0.2.1", "192.0.2.2", "2001:db8::7" };
    r.client_ip = S(ips[rnd() % EL_ARRAY_LEN(ips)]);
    r.flags = EL_REC_HAS_TIME | EL_REC_HAS_STATUS;
    if (i % 3)
        r.flags |= EL_REC_HAS_BYTES_IN;
    if (i % 11)
        r.flags |= EL_REC_HAS_BYTES_OUT;
    r.time_us = 1773100800000000 + (int64_t)(rnd() % 86400000000ull);
    static const uint16_t st[] = { 200, 200, 200, 201, 301, 404, 429, 460, 502, 503, 504 };
    r.status = st[rnd() % EL_ARRAY_LEN(st)];
    if (r.status < 500 || rnd() % 2) {
        r.flags |= EL_REC_HAS_BACKEND_STATUS;
        r.backend_status = r.status;
    }
    if (i % 7 != 0) {
        r.flags |= EL_REC_HAS_LATENCY | EL_REC_HAS_BACKEND | EL_REC_HAS_OVERHEAD;
        bool narrow = route == EL_ARRAY_LEN(routes) - 1;
        r.backend_us = (int64_t)(rnd() % (narrow ? 40 : 3000000));
        r.overhead_us = (int64_t)(rnd() % (narrow ? 7 : 2000));
        r.latency_us = r.backend_us + r.overhead_us;
    }
    r.bytes_in = rnd() % 5000;
    r.bytes_out = rnd() % 50000;
    return r;
}

#define N_RECORDS 12000
static struct el_record recs[N_RECORDS];

static void make_records(uint64_t seed)
{
    rng_state = seed;
    for (uint64_t i = 0; i < N_RECORDS; i++)
        recs[i] = make_record(i);
}

static struct el_agg *build(const struct el_agg_opts *o, size_t from, size_t to)
{
    struct el_agg *a;
    assert_int_equal(el_agg_create(o, &a), EL_OK);
    for (size_t i = from; i < to; i++)
        assert_int_equal(el_agg_add(a, &recs[i]), EL_OK);
    return a;
}

static struct el_agg_opts by(const char *list, size_t max_groups)
{
    struct el_agg_opts o = { 0 };
    char err[200];
    if (list && el_agg_parse_by(list, &o, err, sizeof(err)) != EL_OK)
        fail_msg("--by %s: %s", list, err);
    o.max_groups = max_groups;
    return o;
}

/* ---- comparing aggregates -------------------------------------------------------- */

struct text {
    char *p;
    size_t n, cap;
};

static void tprintf(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void tprintf(struct text *t, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int k = vsnprintf(t->p ? t->p + t->n : NULL, t->p ? t->cap - t->n : 0, fmt, ap);
        va_end(ap);
        assert_true(k >= 0);
        if (t->p && t->n + (size_t)k < t->cap) {
            t->n += (size_t)k;
            return;
        }
        t->cap = t->cap ? t->cap * 2 + (size_t)k : 1 << 16;
        t->p = realloc(t->p, t->cap);
        assert_non_null(t->p);
    }
}

static void fp_sketch(struct text *t, const struct el_sketch *s)
{
    tprintf(t, " [%llu %lld %lld %lld %d:", (unsigned long long)el_sketch_count(s),
            (long long)el_sketch_min(s), (long long)el_sketch_max(s), (long long)el_sketch_sum(s),
            el_sketch_is_bucketed(s));
    static const double qs[] = { 0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.995, 0.999, 1 };
    for (size_t i = 0; i < EL_ARRAY_LEN(qs); i++) {
        int64_t v = -1;
        enum el_err rc = el_sketch_quantile(s, qs[i], &v);
        tprintf(t, "%d/%lld,", rc, (long long)v);
    }
    tprintf(t, "]");
}

/* Everything anything can read from an aggregate, as text (free with free). */
static char *fingerprint(const struct el_agg *a)
{
    struct text t = { 0 };
    size_t nd, n = el_agg_count(a);
    const enum el_dim *dims = el_agg_dims(a, &nd);
    tprintf(&t, "dims");
    for (size_t d = 0; d < nd; d++)
        tprintf(&t, " %s", el_dim_name(dims[d]));
    tprintf(&t, "; %zu groups, max %zu, other %llu\n", n, el_agg_max_groups(a),
            (unsigned long long)el_agg_other(a));
    struct el_group *g = malloc((n ? n : 1) * sizeof(*g));
    assert_non_null(g);
    el_agg_sorted(a, g);
    for (size_t i = 0; i < n; i++) {
        for (size_t d = 0; d < nd; d++)
            tprintf(&t, "%.*s|", (int)g[i].key[d].n, g[i].key[d].p);
        tprintf(&t, "%d %llu", g[i].is_other, (unsigned long long)g[i].requests);
        for (int k = 0; k < 6; k++)
            tprintf(&t, " %llu", (unsigned long long)g[i].status_class[k]);
        for (int k = 0; k < EL_EC_COUNT; k++)
            tprintf(&t, " %llu", (unsigned long long)g[i].error_class[k]);
        tprintf(&t, " %d:%llu %d:%llu %d:%lld..%lld", g[i].has_bytes_in,
                (unsigned long long)g[i].bytes_in, g[i].has_bytes_out,
                (unsigned long long)g[i].bytes_out, g[i].has_time, (long long)g[i].first_us,
                (long long)g[i].last_us);
        fp_sketch(&t, g[i].latency);
        fp_sketch(&t, g[i].backend);
        fp_sketch(&t, g[i].overhead);
        tprintf(&t, "\n");
    }
    free(g);
    return t.p;
}

static void assert_same(const struct el_agg *want, const struct el_agg *got, const char *what)
{
    char *w = fingerprint(want), *g = fingerprint(got);
    if (strcmp(w, g) != 0) {
        size_t i = 0;
        while (w[i] && w[i] == g[i])
            i++;
        fail_msg("%s: aggregates differ at char %zu: want '%.60s' got '%.60s'", what, i, w + i,
                 g + i);
    }
    free(w);
    free(g);
}

struct state {
    char *p;
    size_t n;
};

static struct state encode(const struct el_agg *a)
{
    struct state s;
    assert_int_equal(el_agg_encode(a, &s.p, &s.n), EL_OK);
    return s;
}

static struct el_agg *decode(struct state s)
{
    struct el_agg *a = NULL;
    char err[256] = "x";
    enum el_err rc = el_agg_decode(s.p, s.n, &a, err, sizeof(err));
    if (rc != EL_OK)
        fail_msg("decode: rc %d: %s", rc, err);
    assert_string_equal(err, "");
    return a;
}

static void assert_same_bytes(struct state want, struct state got, const char *what)
{
    if (want.n != got.n)
        fail_msg("%s: %zu bytes, want %zu", what, got.n, want.n);
    for (size_t i = 0; i < want.n; i++)
        if (want.p[i] != got.p[i])
            fail_msg("%s: byte %zu differs", what, i);
}

/* decode(x) equals x, and encode(decode(x)) is x byte for byte. */
static struct el_agg *round_trip(const struct el_agg *a, const char *what)
{
    struct state s = encode(a);
    struct el_agg *b = decode(s);
    assert_same(a, b, what);
    struct state again = encode(b);
    assert_same_bytes(s, again, what);
    el_free(s.p);
    el_free(again.p);
    return b;
}

/* ---- round trips --------------------------------------------------------------- */

static void test_state_empty_aggregates(void **state)
{
    (void)state;
    static const struct {
        const char *by;
        size_t max_groups;
        size_t size; /* STATE.md: 24 + 1 + ndims + 24 + 1 + 8 + 8 */
    } cases[] = {
        { NULL, 0, 69 },
        { "status_class,5m,host", 3, 69 },
        { "error_class,day,source,method,route,host,status,client_ip", 1, 74 },
        { "target_group", 12345, 67 },
    };
    for (size_t i = 0; i < EL_ARRAY_LEN(cases); i++) {
        struct el_agg_opts o = by(cases[i].by, cases[i].max_groups);
        struct el_agg *a = build(&o, 0, 0);
        struct state s = encode(a);
        if (s.n != cases[i].size)
            fail_msg("--by %s: %zu bytes, want %zu", cases[i].by, s.n, cases[i].size);
        struct el_agg *b = round_trip(a, cases[i].by ? cases[i].by : "default");
        size_t na, nb;
        const enum el_dim *da = el_agg_dims(a, &na), *db = el_agg_dims(b, &nb);
        assert_int_equal(na, nb);
        assert_memory_equal(da, db, na * sizeof(*da));
        assert_int_equal(el_agg_max_groups(b), el_agg_max_groups(a));
        assert_int_equal(el_agg_count(b), 0);
        /* same grouping, bucket width included: they merge both ways */
        assert_int_equal(el_agg_merge(a, b), EL_OK);
        assert_int_equal(el_agg_merge(b, a), EL_OK);
        el_free(s.p);
        el_agg_destroy(a);
        el_agg_destroy(b);
    }
}

/* Default and custom --by, exact and bucketed sketches, absent bytes and
 * keys: decoded equals original, and stays equal under further adds and
 * merges. */
static void test_state_round_trip_and_keep_working(void **state)
{
    (void)state;
    static const char *const lists[] = { NULL, "route,status,hour", "host,client_ip,5m",
                                         "error_class,day,source,method,route,host,status,"
                                         "client_ip" };
    make_records(7);
    for (size_t i = 0; i < EL_ARRAY_LEN(lists); i++) {
        const char *what = lists[i] ? lists[i] : "default";
        struct el_agg_opts o = by(lists[i], 0);
        struct el_agg *a = build(&o, 0, N_RECORDS / 2);
        struct el_agg *b = round_trip(a, what);

        size_t n = el_agg_count(a), exact = 0, bucketed = 0;
        struct el_group *g = malloc(n * sizeof(*g));
        assert_non_null(g);
        el_agg_sorted(a, g);
        for (size_t k = 0; k < n; k++) {
            const struct el_sketch *sk[] = { g[k].latency, g[k].backend, g[k].overhead };
            for (size_t j = 0; j < 3; j++) {
                if (el_sketch_is_bucketed(sk[j]))
                    bucketed++;
                else if (el_sketch_count(sk[j]))
                    exact++;
            }
        }
        free(g);
        if (i == 0 && (!exact || !bucketed))
            fail_msg("%s: %zu exact and %zu bucketed sketches; the data should have both", what,
                     exact, bucketed);

        /* the other half of the data, added to both */
        for (size_t r = N_RECORDS / 2; r < N_RECORDS; r++) {
            assert_int_equal(el_agg_add(a, &recs[r]), EL_OK);
            assert_int_equal(el_agg_add(b, &recs[r]), EL_OK);
        }
        assert_same(a, b, what);
        /* merged into, and merged from */
        struct el_agg *c = build(&o, 0, N_RECORDS / 3);
        assert_int_equal(el_agg_merge(a, c), EL_OK);
        assert_int_equal(el_agg_merge(b, c), EL_OK);
        assert_same(a, b, what);
        struct el_agg *d1 = build(&o, 0, 0), *d2 = build(&o, 0, 0);
        assert_int_equal(el_agg_merge(d1, a), EL_OK);
        assert_int_equal(el_agg_merge(d2, b), EL_OK);
        assert_same(d1, d2, what);
        struct state sa = encode(a), sb = encode(b);
        assert_same_bytes(sa, sb, what);
        el_free(sa.p);
        el_free(sb.p);
        el_agg_destroy(a);
        el_agg_destroy(b);
        el_agg_destroy(c);
        el_agg_destroy(d1);
        el_agg_destroy(d2);
    }
}

/* The group cap and its "(other)" group survive the trip, and a decoded
 * capped aggregate goes on sending new keys to "(other)". */
static void test_state_other_group(void **state)
{
    (void)state;
    make_records(11);
    struct el_agg_opts o = by("route,status", 5);
    struct el_agg *a = build(&o, 0, 3000);
    assert_int_equal(el_agg_count(a), 6);
    assert_true(el_agg_other(a) > 0);
    struct el_agg *b = round_trip(a, "capped");
    assert_int_equal(el_agg_other(b), el_agg_other(a));
    struct el_group g[6];
    el_agg_sorted(b, g);
    assert_true(g[5].is_other);
    assert_true(el_str_eq(g[5].key[0], "(other)"));
    for (size_t r = 3000; r < N_RECORDS; r++) {
        assert_int_equal(el_agg_add(a, &recs[r]), EL_OK);
        assert_int_equal(el_agg_add(b, &recs[r]), EL_OK);
    }
    assert_same(a, b, "capped, after more records");
    assert_int_equal(el_agg_count(b), 6);

    /* "(other)" without a full table: merged in from a capped shard */
    struct el_agg_opts wide = by("route,status", 0);
    struct el_agg *c = build(&wide, 0, 10);
    struct el_agg_opts narrow = by("route,status", 1);
    struct el_agg *d = build(&narrow, 10, 200);
    assert_int_equal(el_agg_merge(c, d), EL_OK);
    assert_true(el_agg_other(c) > 0);
    struct el_agg *e = round_trip(c, "other below the cap");
    el_agg_destroy(e);
    el_agg_destroy(d);
    el_agg_destroy(c);
    el_agg_destroy(b);
    el_agg_destroy(a);
}

/* The use the state exists for: shards aggregated apart, written, read back
 * and merged give exactly one pass over all the data, down to the bytes. */
static void test_state_merged_shards_equal_one_pass(void **state)
{
    (void)state;
    make_records(42);
    static const char *const lists[] = { NULL, "status_class,5m,host" };
    static const size_t shard_counts[] = { 2, 7 };
    for (size_t li = 0; li < EL_ARRAY_LEN(lists); li++) {
        struct el_agg_opts o = by(lists[li], 0);
        struct el_agg *one = build(&o, 0, N_RECORDS);
        struct state want = encode(one);
        for (size_t si = 0; si < EL_ARRAY_LEN(shard_counts); si++) {
            size_t k = shard_counts[si];
            struct state parts[7];
            for (size_t s = 0; s < k; s++) {
                struct el_agg *sh = build(&o, 0, 0);
                for (size_t i = s; i < N_RECORDS; i += k) /* round robin */
                    assert_int_equal(el_agg_add(sh, &recs[i]), EL_OK);
                parts[s] = encode(sh);
                el_agg_destroy(sh);
            }
            struct el_agg *m = decode(parts[k - 1]);
            for (size_t s = k - 1; s-- > 0;) {
                struct el_agg *p = decode(parts[s]);
                assert_int_equal(el_agg_merge(m, p), EL_OK);
                el_agg_destroy(p);
            }
            char what[64];
            snprintf(what, sizeof(what), "%s, %zu shards", lists[li] ? lists[li] : "default", k);
            assert_same(one, m, what);
            struct state got = encode(m);
            assert_same_bytes(want, got, what);
            el_free(got.p);
            for (size_t s = 0; s < k; s++)
                el_free(parts[s].p);
            el_agg_destroy(m);
        }
        el_free(want.p);
        el_agg_destroy(one);
    }
}

/* Same records in another order: same bytes, though the hash table filled
 * differently (other sizes, other probe positions). */
static void test_state_deterministic(void **state)
{
    (void)state;
    make_records(5);
    struct el_agg_opts o = by("route,status,client_ip,minute", 1000000);
    struct el_agg *fwd = build(&o, 0, N_RECORDS);
    struct el_agg *rev = build(&o, 0, 0);
    for (size_t i = N_RECORDS; i-- > 0;)
        assert_int_equal(el_agg_add(rev, &recs[i]), EL_OK);
    struct el_agg *mixed = build(&o, 0, 0);
    for (size_t i = 0; i < N_RECORDS; i++) /* 7919 is prime: a permutation */
        assert_int_equal(el_agg_add(mixed, &recs[i * 7919 % N_RECORDS]), EL_OK);
    assert_true(el_agg_count(fwd) > 1000); /* a table grown many times */
    assert_int_equal(el_agg_other(fwd), 0);
    struct state a = encode(fwd), b = encode(rev), c = encode(mixed);
    assert_same_bytes(a, b, "reversed");
    assert_same_bytes(a, c, "permuted");
    el_free(a.p);
    el_free(b.p);
    el_free(c.p);
    el_agg_destroy(fwd);
    el_agg_destroy(rev);
    el_agg_destroy(mixed);
}

/* ---- the documented layout ------------------------------------------------------ */

/* A builder that writes states field by field as docs/STATE.md lays them
 * out. */
struct sb {
    unsigned char b[8192];
    size_t n;
};

static void le(struct sb *b, uint64_t v, unsigned size)
{
    assert_true(b->n + size <= sizeof(b->b));
    for (unsigned i = 0; i < size; i++)
        b->b[b->n++] = (unsigned char)(v >> (8 * i));
}

static uint64_t fnv1a(const unsigned char *p, size_t n)
{
    uint64_t h = 14695981039346656037ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 1099511628211ull;
    return h;
}

static void frame_begin(struct sb *b, uint32_t version)
{
    b->n = 0;
    memcpy(b->b, "ELSTATE", 8);
    b->n = 8;
    le(b, version, 4);
    le(b, 0, 4); /* flags */
    le(b, 0, 8); /* payload length, set by frame_end */
}

/* Payload length and checksum over everything before it. */
static void frame_end(struct sb *b)
{
    uint64_t pl = b->n - 24;
    for (unsigned i = 0; i < 8; i++)
        b->b[16 + i] = (unsigned char)(pl >> (8 * i));
    le(b, fnv1a(b->b, b->n), 8);
}

/* Checksum again after a byte was patched. */
static void resign(struct sb *b)
{
    b->n -= 8;
    le(b, fnv1a(b->b, b->n), 8);
}

/* Default grouping: source, method, route; one hour; 10,000 groups. */
static void opts(struct sb *b, uint64_t max_groups, uint64_t ngroups)
{
    le(b, 3, 1);
    le(b, EL_DIM_SOURCE, 1);
    le(b, EL_DIM_METHOD, 1);
    le(b, EL_DIM_ROUTE, 1);
    le(b, 3600000000ull, 8);
    le(b, max_groups, 8);
    le(b, ngroups, 8);
}

static void key3(struct sb *b, const char *k0, const char *k1, const char *k2)
{
    const char *k[] = { k0, k1, k2 };
    for (int i = 0; i < 3; i++)
        le(b, strlen(k[i]), 2);
    for (int i = 0; i < 3; i++) {
        memcpy(b->b + b->n, k[i], strlen(k[i]));
        b->n += strlen(k[i]);
    }
}

/* requests, all with status 2xx and error class none; no bytes, no time. */
static void counters(struct sb *b, uint64_t requests)
{
    le(b, requests, 8);
    for (int k = 0; k < 6; k++)
        le(b, k == 2 ? requests : 0, 8);
    for (int k = 0; k < EL_EC_COUNT; k++)
        le(b, k == EL_EC_NONE ? requests : 0, 8);
    le(b, 0, 8); /* bytes in */
    le(b, 0, 8); /* bytes out */
    le(b, 0, 1); /* flags */
    le(b, 0, 8); /* first */
    le(b, 0, 8); /* last */
}

static void sketch_head(struct sb *b, unsigned mode, uint64_t n, int64_t min, int64_t max,
                        int64_t sum)
{
    le(b, mode, 1);
    le(b, n, 8);
    le(b, (uint64_t)min, 8);
    le(b, (uint64_t)max, 8);
    le(b, (uint64_t)sum, 8);
}

static void sketch_empty(struct sb *b)
{
    sketch_head(b, 0, 0, 0, 0, 0);
    le(b, 0, 4);
}

/* One value v, count times. */
static void sketch_one(struct sb *b, int64_t v, uint64_t count)
{
    sketch_head(b, 0, count, v, v, v * (int64_t)count);
    le(b, 1, 4);
    le(b, (uint64_t)v, 8);
    le(b, count, 8);
}

static void tail(struct sb *b, bool other, uint64_t other_records)
{
    if (other) {
        le(b, 1, 1);
        counters(b, other_records);
        sketch_empty(b);
        sketch_empty(b);
        sketch_empty(b);
    } else {
        le(b, 0, 1);
    }
    le(b, other_records, 8);
}

/* One group "alb GET /": two requests, both with latency 5. */
static void valid(struct sb *b)
{
    frame_begin(b, 1);
    opts(b, 10000, 1);
    key3(b, "alb", "GET", "/");
    counters(b, 2);
    sketch_one(b, 5, 2);
    sketch_empty(b);
    sketch_empty(b);
    tail(b, false, 0);
    frame_end(b);
}

static void test_state_layout_matches_doc(void **state)
{
    (void)state;
    struct el_agg *a;
    assert_int_equal(el_agg_create(NULL, &a), EL_OK);
    struct el_record r = { .src = EL_SRC_ALB,
                           .method = S("GET"),
                           .route = S("/"),
                           .flags = EL_REC_HAS_STATUS | EL_REC_HAS_LATENCY,
                           .status = 200,
                           .latency_us = 5 };
    assert_int_equal(el_agg_add(a, &r), EL_OK);
    assert_int_equal(el_agg_add(a, &r), EL_OK);
    struct state got = encode(a);
    static struct sb want;
    valid(&want);
    /* 24 header + 28 options + 6 lengths + 7 key + 177 counters + 53 + 37 + 37
     * sketches + 9 tail + 8 checksum */
    assert_int_equal(want.n, 386);
    assert_same_bytes((struct state){ (char *)want.b, want.n }, got, "builder vs encoder");
    /* the frame and options spelled out, so byte order is pinned apart from
     * the builder */
    /* clang-format off */
    static const unsigned char head[] = {
        'E', 'L', 'S', 'T', 'A', 'T', 'E', 0,             /* magic */
        1, 0, 0, 0,  0, 0, 0, 0,                          /* version 1, flags 0 */
        0x62, 0x01, 0, 0, 0, 0, 0, 0,                     /* payload 354 bytes */
        3, 0, 1, 2,                                       /* source, method, route */
        0x00, 0xa4, 0x93, 0xd6, 0, 0, 0, 0,               /* 3,600,000,000 us */
        0x10, 0x27, 0, 0, 0, 0, 0, 0,                     /* max_groups 10,000 */
        1, 0, 0, 0, 0, 0, 0, 0,                           /* 1 group */
        3, 0, 3, 0, 1, 0,                                 /* key lengths */
        'a', 'l', 'b', 'G', 'E', 'T', '/',                /* key */
        2, 0, 0, 0, 0, 0, 0, 0,                           /* 2 requests */
    };
    /* clang-format on */
    assert_memory_equal(got.p, head, sizeof(head));
    el_free(got.p);
    el_agg_destroy(a);
}

/* ---- damage --------------------------------------------------------------------- */

/* A small state with a bucketed sketch, an exact one and "(other)". */
static struct state small_state(void)
{
    struct el_agg_opts o = by("method,status", 2);
    struct el_agg *a;
    assert_int_equal(el_agg_create(&o, &a), EL_OK);
    struct el_record r = { .src = EL_SRC_ALB,
                           .method = S("GET"),
                           .status = 200,
                           .flags = EL_REC_HAS_STATUS | EL_REC_HAS_LATENCY | EL_REC_HAS_TIME |
                                    EL_REC_HAS_BYTES_OUT,
                           .time_us = 1773100800000000,
                           .bytes_out = 10 };
    for (int64_t v = 0; v < 600; v++) { /* 600 distinct values in 25 buckets */
        r.latency_us = 1000 + v;
        assert_int_equal(el_agg_add(a, &r), EL_OK);
    }
    r.method = S("POST");
    r.latency_us = 77;
    assert_int_equal(el_agg_add(a, &r), EL_OK);
    r.method = S("PUT");
    assert_int_equal(el_agg_add(a, &r), EL_OK);
    struct state s = encode(a);
    el_agg_destroy(a);
    return s;
}

/* Decoding fails with EL_ERR_PARSE, leaves *out alone and says something
 * containing want (when not NULL). */
static void expect_refused(const char *what, const void *buf, size_t len, const char *want)
{
    struct el_agg *sentinel = (struct el_agg *)&sentinel, *out = sentinel;
    char err[256] = "";
    const char *p = guard_copy(buf, len);
    enum el_err rc = el_agg_decode(p, len, &out, err, sizeof(err));
    if (rc != EL_ERR_PARSE)
        fail_msg("%s: rc %d, want EL_ERR_PARSE", what, rc);
    if (out != sentinel)
        fail_msg("%s: *out written on failure", what);
    if (err[0] == '\0')
        fail_msg("%s: no message", what);
    if (want && !strstr(err, want))
        fail_msg("%s: message '%s', want '%s'", what, err, want);
}

static void test_state_truncated_at_every_offset(void **state)
{
    (void)state;
    struct state s = small_state();
    assert_true(s.n > 200 && s.n < 4096);
    for (size_t len = 0; len < s.n; len++) {
        char what[48];
        snprintf(what, sizeof(what), "cut to %zu of %zu bytes", len, s.n);
        expect_refused(what, s.p, len, len ? "truncated" : "not an edgelog state");
    }
    /* and the whole thing still decodes from a guard-page copy */
    struct el_agg *a = NULL;
    char err[256];
    assert_int_equal(el_agg_decode(guard_copy(s.p, s.n), s.n, &a, err, sizeof(err)), EL_OK);
    el_agg_destroy(a);
    el_free(s.p);
}

static void test_state_flipped_byte_at_every_offset(void **state)
{
    (void)state;
    struct state s = small_state();
    unsigned char *c = malloc(s.n);
    assert_non_null(c);
    static const unsigned char masks[] = { 0x01, 0x02, 0x10, 0x80, 0xff };
    for (size_t off = 0; off < s.n; off++) {
        const char *want = off < 8    ? "not an edgelog state"
                           : off < 12 ? "version"
                           : off < 16 ? "corrupt (checksum)"
                           : off < 24 ? NULL /* a length: truncated, or bytes after the end */
                                      : "corrupt (checksum)";
        for (size_t m = 0; m < EL_ARRAY_LEN(masks); m++) {
            memcpy(c, s.p, s.n);
            c[off] ^= masks[m];
            char what[64];
            snprintf(what, sizeof(what), "byte %zu ^ 0x%02x", off, masks[m]);
            expect_refused(what, c, s.n, want);
        }
    }
    /* a state with a byte appended or removed at the end */
    memcpy(c, s.p, s.n);
    expect_refused("one byte short", c, s.n - 1, "truncated");
    char *longer = malloc(s.n + 1);
    assert_non_null(longer);
    memcpy(longer, s.p, s.n);
    longer[s.n] = 0;
    expect_refused("one byte extra", longer, s.n + 1, "1 bytes after the end of the state");
    free(longer);
    free(c);
    el_free(s.p);
}

static void test_state_foreign_and_newer(void **state)
{
    (void)state;
    static struct sb b;
    expect_refused("text", "this is not a state\n", 20, "not an edgelog state");
    expect_refused("gzip", "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10, "not an edgelog state");
    expect_refused("empty", "", 0, "not an edgelog state");
    expect_refused("magic alone", "ELSTATE", 8, "truncated");

    /* a newer version is refused by its number, checksum or not */
    valid(&b);
    b.b[8] = 2;
    expect_refused("version 2, old checksum", b.b, b.n,
                   "state version 2 is newer than this edgelog reads (1)");
    resign(&b);
    struct el_agg *out = NULL;
    char err[256];
    assert_int_equal(el_agg_decode((const char *)b.b, b.n, &out, err, sizeof(err)), EL_ERR_PARSE);
    assert_string_equal(err, "state version 2 is newer than this edgelog reads (1)");
    valid(&b);
    b.b[11] = 0x80;
    resign(&b);
    expect_refused("version 2^31", b.b, b.n, "state version 2147483649 is newer");
    valid(&b);
    b.b[8] = 0;
    resign(&b);
    expect_refused("version 0", b.b, b.n, "version 0 does not exist");
    valid(&b);
    b.b[12] = 1;
    resign(&b);
    expect_refused("flags", b.b, b.n, "unknown flags 0x1");
    valid(&b);
    b.b[b.n - 1] ^= 1;
    expect_refused("checksum", b.b, b.n, "corrupt (checksum)");
    /* a header announcing 2^63 payload bytes */
    valid(&b);
    b.b[23] = 0x80;
    expect_refused("payload 2^63", b.b, b.n, "truncated");
    /* NULL message buffer: still refused */
    assert_int_equal(el_agg_decode("xx", 2, &out, NULL, 0), EL_ERR_PARSE);
}

/* States with a valid frame and checksum whose content no aggregate can
 * have. Each writes the payload of valid() with one thing changed. */
typedef void payload_fn(struct sb *b);

static void p_ndims0(struct sb *b)
{
    le(b, 0, 1);
    le(b, 3600000000ull, 8);
    le(b, 1, 8);
    le(b, 0, 8);
    tail(b, false, 0);
}

static void p_ndims9(struct sb *b)
{
    le(b, 9, 1);
    for (int i = 0; i < 9; i++)
        le(b, 0, 1);
    le(b, 3600000000ull, 8);
    le(b, 1, 8);
    le(b, 0, 8);
    tail(b, false, 0);
}

static void p_dim_code(struct sb *b)
{
    le(b, 2, 1);
    le(b, EL_DIM_ROUTE, 1);
    le(b, EL_DIM_COUNT, 1);
    le(b, 3600000000ull, 8);
    le(b, 1, 8);
    le(b, 0, 8);
    tail(b, false, 0);
}

static void p_bucket0(struct sb *b)
{
    le(b, 1, 1);
    le(b, EL_DIM_TIME, 1);
    le(b, 0, 8);
    le(b, 1, 8);
    le(b, 0, 8);
    tail(b, false, 0);
}

static void p_max_groups0(struct sb *b)
{
    opts(b, 0, 0);
    tail(b, false, 0);
}

static void p_groups_huge(struct sb *b)
{
    opts(b, (uint64_t)1 << 62, (uint64_t)1 << 60);
    tail(b, false, 0);
}

static void p_groups_over_cap(struct sb *b)
{
    opts(b, 1, 2);
    key3(b, "alb", "GET", "/a");
    counters(b, 1);
    sketch_empty(b), sketch_empty(b), sketch_empty(b);
    key3(b, "alb", "GET", "/b");
    counters(b, 1);
    sketch_empty(b), sketch_empty(b), sketch_empty(b);
    tail(b, false, 0);
}

static void two_groups(struct sb *b, const char *r1, const char *r2)
{
    opts(b, 10, 2);
    key3(b, "alb", "GET", r1);
    counters(b, 1);
    sketch_empty(b), sketch_empty(b), sketch_empty(b);
    key3(b, "alb", "GET", r2);
    counters(b, 1);
    sketch_empty(b), sketch_empty(b), sketch_empty(b);
    tail(b, false, 0);
}

static void p_duplicate_key(struct sb *b)
{
    two_groups(b, "/a", "/a");
}

static void p_keys_out_of_order(struct sb *b)
{
    two_groups(b, "/b", "/a");
}

/* "GE" "T/a" sorts before "GET" "/a": the order is per dimension. */
static void p_keys_by_dimension(struct sb *b)
{
    opts(b, 10, 2);
    key3(b, "alb", "GET", "/a");
    counters(b, 1);
    sketch_empty(b), sketch_empty(b), sketch_empty(b);
    key3(b, "alb", "GE", "T/a");
    counters(b, 1);
    sketch_empty(b), sketch_empty(b), sketch_empty(b);
    tail(b, false, 0);
}

static void p_key_past_end(struct sb *b)
{
    opts(b, 10, 1);
    le(b, 3, 2);
    le(b, 3, 2);
    le(b, 5000, 2); /* 5,006 key bytes, ~300 left */
    memcpy(b->b + b->n, "albGET/", 7);
    b->n += 7;
    counters(b, 1);
    sketch_empty(b), sketch_empty(b), sketch_empty(b);
    tail(b, false, 0);
}

static void p_key_too_long(struct sb *b)
{
    opts(b, 10, 1);
    le(b, 65535, 2);
    le(b, 0, 2);
    le(b, 0, 2);
    counters(b, 1);
    sketch_empty(b), sketch_empty(b), sketch_empty(b);
    tail(b, false, 0);
}

static void one_group_with(struct sb *b, void (*lat)(struct sb *), uint64_t requests)
{
    opts(b, 10000, 1);
    key3(b, "alb", "GET", "/");
    counters(b, requests);
    lat(b);
    sketch_empty(b);
    sketch_empty(b);
    tail(b, false, 0);
}

static void s_mode(struct sb *b)
{
    sketch_head(b, 2, 0, 0, 0, 0);
    le(b, 0, 4);
}

static void s_pairs_huge(struct sb *b)
{
    sketch_head(b, 0, 3, 1, 1, 3);
    le(b, (uint64_t)1 << 31, 4);
}

static void s_pairs_past_end(struct sb *b)
{
    sketch_head(b, 0, 3, 1, 1, 3);
    le(b, 512, 4);
    le(b, 1, 8);
    le(b, 3, 8);
}

static void s_count_mismatch(struct sb *b)
{
    sketch_head(b, 0, 3, 5, 5, 15);
    le(b, 1, 4);
    le(b, 5, 8);
    le(b, 2, 8);
}

static void s_not_increasing(struct sb *b)
{
    sketch_head(b, 0, 2, 5, 5, 10);
    le(b, 2, 4);
    le(b, 5, 8), le(b, 1, 8);
    le(b, 5, 8), le(b, 1, 8);
}

static void s_zero_count_pair(struct sb *b)
{
    sketch_head(b, 0, 1, 4, 5, 5);
    le(b, 2, 4);
    le(b, 4, 8), le(b, 0, 8);
    le(b, 5, 8), le(b, 1, 8);
}

static void s_min_over_max(struct sb *b)
{
    sketch_head(b, 0, 2, 9, 3, 12);
    le(b, 2, 4);
    le(b, 3, 8), le(b, 1, 8);
    le(b, 9, 8), le(b, 1, 8);
}

static void s_wrong_sum(struct sb *b)
{
    sketch_head(b, 0, 2, 3, 9, 13);
    le(b, 2, 4);
    le(b, 3, 8), le(b, 1, 8);
    le(b, 9, 8), le(b, 1, 8);
}

static void s_negative(struct sb *b)
{
    sketch_head(b, 0, 1, -5, -5, -5);
    le(b, 1, 4);
    le(b, (uint64_t)-5, 8), le(b, 1, 8);
}

static void s_empty_with_min(struct sb *b)
{
    sketch_head(b, 0, 0, 1, 1, 0);
    le(b, 0, 4);
}

static void s_bucketed_too_few(struct sb *b)
{
    sketch_head(b, 1, 2, 0, 1, 1);
    le(b, 0, 4), le(b, 1, 4);
    le(b, 1, 8), le(b, 1, 8);
}

/* 1000 values 0..2^52 claim all 3,009 counters; 24 KiB the file lacks. */
static void s_buckets_past_end(struct sb *b)
{
    sketch_head(b, 1, 1000, 0, (int64_t)1 << 52, (int64_t)1 << 52);
    le(b, 0, 4), le(b, 3008, 4);
    le(b, 999, 8), le(b, 1, 8);
}

static void s_buckets_off_range(struct sb *b)
{
    sketch_head(b, 1, 1000, 0, 999, 499500);
    le(b, 0, 4), le(b, 5000, 4);
}

static void s_buckets_edge_empty(struct sb *b)
{
    /* 0..600: buckets 0..~334; all the count in bucket 0 */
    sketch_head(b, 1, 1000, 0, 600, 600);
    unsigned hi = 128 + 2 * 64 + (600 >> 3) % 64;
    le(b, 0, 4), le(b, hi, 4);
    for (unsigned i = 0; i <= hi; i++)
        le(b, i == 0 ? 1000 : 0, 8);
}

static void s_value_over_requests(struct sb *b)
{
    sketch_one(b, 5, 3); /* three values, the group has two requests */
}

#define LAT_CASE(fn)                                                                               \
    static void p_##fn(struct sb *b)                                                               \
    {                                                                                              \
        one_group_with(b, fn, 2);                                                                  \
    }
LAT_CASE(s_mode)
LAT_CASE(s_pairs_huge)
LAT_CASE(s_pairs_past_end)
LAT_CASE(s_count_mismatch)
LAT_CASE(s_not_increasing)
LAT_CASE(s_zero_count_pair)
LAT_CASE(s_min_over_max)
LAT_CASE(s_wrong_sum)
LAT_CASE(s_negative)
LAT_CASE(s_empty_with_min)
LAT_CASE(s_bucketed_too_few)
LAT_CASE(s_value_over_requests)
static void p_s_buckets_past_end(struct sb *b)
{
    one_group_with(b, s_buckets_past_end, 1000);
}
static void p_s_buckets_off_range(struct sb *b)
{
    one_group_with(b, s_buckets_off_range, 1000);
}
static void p_s_buckets_edge_empty(struct sb *b)
{
    one_group_with(b, s_buckets_edge_empty, 1000);
}

static void p_status_sum(struct sb *b)
{
    opts(b, 10, 1);
    key3(b, "alb", "GET", "/");
    size_t at = b->n;
    counters(b, 2);
    b->b[at + 8 + 2 * 8] = 1; /* status_class[2] = 1 of 2 requests */
    sketch_empty(b), sketch_empty(b), sketch_empty(b);
    tail(b, false, 0);
}

static void p_error_sum(struct sb *b)
{
    opts(b, 10, 1);
    key3(b, "alb", "GET", "/");
    size_t at = b->n;
    counters(b, 2);
    b->b[at + 8 + 6 * 8 + 3 * 8] = 1; /* one more error class */
    sketch_empty(b), sketch_empty(b), sketch_empty(b);
    tail(b, false, 0);
}

/* offsets in a body: requests 0, status 8, errors 56, bytes 144/152,
 * flags 160, first 161, last 169 */
static void body_patch(struct sb *b, size_t off, uint8_t v)
{
    opts(b, 10, 1);
    key3(b, "alb", "GET", "/");
    size_t at = b->n;
    counters(b, 2);
    b->b[at + off] = v;
    sketch_empty(b), sketch_empty(b), sketch_empty(b);
    tail(b, false, 0);
}

static void p_bytes_without_flag(struct sb *b)
{
    body_patch(b, 144, 9);
}
static void p_unknown_group_flag(struct sb *b)
{
    body_patch(b, 160, 8);
}
static void p_time_without_flag(struct sb *b)
{
    body_patch(b, 161, 1);
}

static void p_time_reversed(struct sb *b)
{
    opts(b, 10, 1);
    key3(b, "alb", "GET", "/");
    size_t at = b->n;
    counters(b, 2);
    b->b[at + 160] = 4;
    b->b[at + 161] = 9; /* first 9 */
    b->b[at + 169] = 3; /* last 3 */
    sketch_empty(b), sketch_empty(b), sketch_empty(b);
    tail(b, false, 0);
}

static void p_other_presence(struct sb *b)
{
    opts(b, 10, 0);
    le(b, 2, 1);
    le(b, 0, 8);
}

static void p_other_records_mismatch(struct sb *b)
{
    opts(b, 10, 0);
    tail(b, true, 4);
    b->b[b->n - 8] = 5;
}

static void p_other_records_without_group(struct sb *b)
{
    opts(b, 10, 0);
    tail(b, false, 3);
}

static void p_trailing(struct sb *b)
{
    opts(b, 10, 0);
    tail(b, false, 0);
    le(b, 0, 1);
}

static void p_short(struct sb *b)
{
    opts(b, 10, 0);
    le(b, 0, 1); /* other_records missing */
}

static void test_state_invalid_payloads(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        payload_fn *fn;
        const char *want;
    } cases[] = {
        { "no dimensions", p_ndims0, "options: 0 dimensions (1 to 8)" },
        { "nine dimensions", p_ndims9, "options: 9 dimensions" },
        { "unknown dimension", p_dim_code, "options: dimension 2: unknown code 10" },
        { "time bucket 0", p_bucket0, "time bucket of 0 us" },
        { "max_groups 0", p_max_groups0, "max_groups 0 out of range" },
        { "2^60 groups in a few bytes", p_groups_huge, "truncated: 1152921504606846976 groups" },
        { "more groups than max_groups", p_groups_over_cap, "2 groups, more than max_groups 1" },
        { "duplicate key", p_duplicate_key, "group 2 of 2: duplicate key" },
        { "keys out of order", p_keys_out_of_order, "group 2 of 2: keys out of order" },
        { "order is per dimension", p_keys_by_dimension, "keys out of order" },
        { "key past the end", p_key_past_end, "group 1 of 1: truncated: 5006 bytes needed" },
        { "key over 8 KiB", p_key_too_long, "key of 65535 bytes, longer than 8192" },
        { "status classes", p_status_sum, "status classes do not add up to its 2 requests" },
        { "error classes", p_error_sum, "error classes do not add up" },
        { "bytes without flag", p_bytes_without_flag, "byte sums without the flag" },
        { "unknown group flag", p_unknown_group_flag, "unknown flags 0x8" },
        { "time without flag", p_time_without_flag, "time range 1..0 impossible" },
        { "time reversed", p_time_reversed, "time range 9..3 impossible" },
        { "sketch mode", p_s_mode, "group 1 of 1, latency sketch: unknown mode 2" },
        { "2^31 exact pairs", p_s_pairs_huge, "2147483648 exact pairs, more than the 512" },
        { "pairs past the end", p_s_pairs_past_end, "truncated: 512 exact pairs need 8192" },
        { "count != pair counts", p_s_count_mismatch, "count 3 but the pairs hold 2 values" },
        { "pairs repeat a value", p_s_not_increasing, "pair 1: values not strictly increasing" },
        { "pair of count 0", p_s_zero_count_pair, "pair 0: count 0 impossible" },
        { "min > max", p_s_min_over_max, "min 9 and max 3 impossible" },
        { "sum", p_s_wrong_sum, "sum 13 but the pairs add up to 12" },
        { "negative value", p_s_negative, "min -5 and max -5 impossible" },
        { "empty with a min", p_s_empty_with_min, "empty, but min/max/sum 1/1/0" },
        { "bucketed too early", p_s_bucketed_too_few, "bucketed with 2 values" },
        { "3009 counters in a few bytes", p_s_buckets_past_end,
          "truncated: 3009 bucket counters need 24072 bytes" },
        { "buckets off the range", p_s_buckets_off_range,
          "buckets 0..5000, but min and max fall in" },
        { "bucket of max empty", p_s_buckets_edge_empty, "no value in the bucket of the max" },
        { "more values than requests", p_s_value_over_requests, "3 values for 2 requests" },
        { "other presence byte", p_other_presence, "(other): presence byte 2" },
        { "other_records", p_other_records_mismatch,
          "(other): 5 overflowed records, but the group holds 4" },
        { "other_records, no group", p_other_records_without_group, "3 overflowed records" },
        { "trailing payload", p_trailing, "1 bytes after the last field of the payload" },
        { "payload ends early", p_short, "(other): truncated" },
    };
    static struct sb b;
    for (size_t i = 0; i < EL_ARRAY_LEN(cases); i++) {
        frame_begin(&b, 1);
        cases[i].fn(&b);
        frame_end(&b);
        expect_refused(cases[i].name, b.b, b.n, cases[i].want);
    }
    /* the builder itself writes valid states */
    valid(&b);
    struct el_agg *a = decode((struct state){ (char *)b.b, b.n });
    el_agg_destroy(a);
    /* "GE" "T/a" first, then "GET" "/a", and an empty "(other)" */
    frame_begin(&b, 1);
    opts(&b, 10, 2);
    key3(&b, "alb", "GE", "T/a");
    counters(&b, 1);
    sketch_empty(&b), sketch_empty(&b), sketch_empty(&b);
    key3(&b, "alb", "GET", "/a");
    counters(&b, 1);
    sketch_empty(&b), sketch_empty(&b), sketch_empty(&b);
    tail(&b, true, 0);
    frame_end(&b);
    a = decode((struct state){ (char *)b.b, b.n });
    assert_int_equal(el_agg_count(a), 3); /* an empty "(other)" is kept as it was */
    el_agg_destroy(a);
}

/* ---- allocation failures -------------------------------------------------------- */

static void test_state_nomem_is_clean(void **state)
{
    (void)state;
    make_records(3);
    struct el_agg_opts o = by("route,status", 20);
    struct el_agg *a = build(&o, 0, 4000);
    struct state s = encode(a);

    uint64_t n, failures = 0;
    for (n = 1;; n++) {
        struct el_agg *sentinel = (struct el_agg *)&sentinel, *out = sentinel;
        char err[256] = "";
        el_mem_fail_after(n);
        enum el_err rc = el_agg_decode(s.p, s.n, &out, err, sizeof(err));
        el_mem_fail_after(0);
        if (rc == EL_OK) {
            assert_same(a, out, "decoded after the failures");
            el_agg_destroy(out);
            break;
        }
        if (rc != EL_ERR_NOMEM)
            fail_msg("allocation %llu failed: rc %d (%s)", (unsigned long long)n, rc, err);
        if (out != sentinel)
            fail_msg("allocation %llu failed: *out written", (unsigned long long)n);
        assert_string_equal(err, "out of memory");
        failures++;
    }
    assert_true(failures > 20); /* table, groups, keys, sketches, pairs, counters */

    for (n = 1;; n++) {
        char *buf = NULL;
        size_t len = 0;
        el_mem_fail_after(n);
        enum el_err rc = el_agg_encode(a, &buf, &len);
        el_mem_fail_after(0);
        if (rc == EL_OK) {
            assert_same_bytes(s, (struct state){ buf, len }, "encoded after the failures");
            el_free(buf);
            break;
        }
        assert_int_equal(rc, EL_ERR_NOMEM);
        assert_null(buf);
    }
    assert_int_equal(n, 4); /* sort, buffer, sort: the fourth call succeeds */
    el_free(s.p);
    el_agg_destroy(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_state_empty_aggregates),
        cmocka_unit_test(test_state_round_trip_and_keep_working),
        cmocka_unit_test(test_state_other_group),
        cmocka_unit_test(test_state_merged_shards_equal_one_pass),
        cmocka_unit_test(test_state_deterministic),
        cmocka_unit_test(test_state_layout_matches_doc),
        cmocka_unit_test(test_state_truncated_at_every_offset),
        cmocka_unit_test(test_state_flipped_byte_at_every_offset),
        cmocka_unit_test(test_state_foreign_and_newer),
        cmocka_unit_test(test_state_invalid_payloads),
        cmocka_unit_test(test_state_nomem_is_clean),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

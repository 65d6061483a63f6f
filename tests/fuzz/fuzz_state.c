/* fuzz_state.c: the aggregate state reader of `merge` (docs/STATE.md) over
 * arbitrary bytes.
 *
 * A state is checksummed, so nearly every mutation of a good state would
 * stop at the checksum. Each input is therefore decoded twice: as it is
 * (the frame checks), and, when it starts with the magic, with its payload
 * length and checksum made right (docs/STATE.md "Frame"), so mutations
 * reach the payload's own checks.
 *
 * Invariants: a rejected state says why (a non-empty, NUL-terminated
 * message); an accepted one round-trips: encode(decode(x)) decodes again,
 * and encoding that gives the same bytes; merging it into a copy of
 * itself doubles every counter and keeps the groups; every group and
 * sketch answers its queries. */
#include "analysis.h"
#include "fuzz.h"

/* *requests: the sum of the groups' requests, or UINT64_MAX when a sum
 * could wrap (a crafted state may hold any count). */
static void walk(const struct el_agg *a, uint64_t *requests)
{
    size_t n = el_agg_count(a);
    struct el_group *g = calloc(n ? n : 1, sizeof(*g));
    FUZZ_CHECK(g != NULL, "out of memory");
    el_agg_sorted(a, g);
    size_t nd;
    (void)el_agg_dims(a, &nd);
    FUZZ_CHECK(nd >= 1 && nd <= EL_AGG_MAX_DIMS, "dimension count");
    *requests = 0;
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < nd; k++)
            (void)fuzz_touch(g[i].key[k]);
        if (i > 0 && !g[i].is_other && !g[i - 1].is_other)
            FUZZ_CHECK(g[i - 1].requests >= g[i].requests, "groups not sorted by requests");
        if (g[i].requests > (UINT64_MAX >> 4) / (n + 1) || *requests == UINT64_MAX)
            *requests = UINT64_MAX;
        else
            *requests += g[i].requests;
        const struct el_sketch *sk[] = { g[i].latency, g[i].backend, g[i].overhead };
        for (size_t k = 0; k < EL_ARRAY_LEN(sk); k++) {
            FUZZ_CHECK(sk[k] != NULL, "a group without its sketch");
            int64_t q50, q99;
            enum el_err rc = el_sketch_quantile(sk[k], 0.5, &q50);
            if (el_sketch_count(sk[k]) == 0) {
                FUZZ_CHECK(rc == EL_ERR_EMPTY, "empty sketch answered");
                continue;
            }
            FUZZ_CHECK(rc == EL_OK, "quantile of a non-empty sketch");
            FUZZ_CHECK(el_sketch_quantile(sk[k], 0.99, &q99) == EL_OK, "q99");
            FUZZ_CHECK(el_sketch_min(sk[k]) <= q50 && q50 <= q99 &&
                           q99 <= el_sketch_max(sk[k]),
                       "quantiles outside min..max or out of order");
            (void)el_sketch_sum(sk[k]);
        }
    }
    free(g);
}

static void decode_one(const char *in, size_t size);

static void put_le64(char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (char)(v >> (8 * i));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *in = fuzz_dup(data, size);
    decode_one(in, size);
    static const char magic[8] = { 'E', 'L', 'S', 'T', 'A', 'T', 'E', '\0' };
    if (size >= 32 && memcmp(in, magic, 8) == 0) {
        put_le64(in + 16, size - 32);
        uint64_t h = 14695981039346656037u;
        for (size_t i = 0; i < size - 8; i++)
            h = (h ^ (unsigned char)in[i]) * 1099511628211u;
        put_le64(in + size - 8, h);
        decode_one(in, size);
    }
    free(in);
    return 0;
}

static void decode_one(const char *in, size_t size)
{
    char err[256];
    memset(err, 'x', sizeof(err));
    struct el_agg *a = NULL;
    enum el_err rc = el_agg_decode(in, size, &a, err, sizeof(err));
    if (rc != EL_OK) {
        FUZZ_CHECK(rc == EL_ERR_PARSE || rc == EL_ERR_NOMEM, "decode code");
        FUZZ_CHECK(memchr(err, '\0', sizeof(err)) != NULL && (rc != EL_ERR_PARSE || err[0]),
                   "a rejected state without a message");
        FUZZ_CHECK(a == NULL, "*out written on failure");
        return;
    }

    char *b1, *b2;
    size_t n1, n2;
    FUZZ_CHECK(el_agg_encode(a, &b1, &n1) == EL_OK, "encode");
    struct el_agg *a2;
    rc = el_agg_decode(b1, n1, &a2, err, sizeof(err));
    if (rc != EL_OK)
        fprintf(stderr, "re-decode: %s\n", err);
    FUZZ_CHECK(rc == EL_OK, "an encoded state does not decode");
    FUZZ_CHECK(el_agg_encode(a2, &b2, &n2) == EL_OK, "encode again");
    FUZZ_CHECK(n1 == n2 && memcmp(b1, b2, n1) == 0, "decode/encode does not round-trip");

    uint64_t req1, req2;
    walk(a, &req1);
    size_t groups = el_agg_count(a);
    rc = el_agg_merge(a2, a);
    FUZZ_CHECK(rc == EL_OK || rc == EL_ERR_NOMEM, "merge into a copy of itself");
    if (rc == EL_OK) {
        walk(a2, &req2);
        FUZZ_CHECK(req1 == UINT64_MAX || req2 == 2 * req1, "merge did not double the requests");
        FUZZ_CHECK(el_agg_count(a2) == groups, "merge with itself changed the groups");
    }

    el_free(b1);
    el_free(b2);
    el_agg_destroy(a2);
    el_agg_destroy(a);
}

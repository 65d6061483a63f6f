/* peak.c: requests per second within a time bucket, for timeline's
 * peak_rps (see analysis_int.h). Linear probing, at most half full, grown by
 * doubling: a group allocates as it meets new seconds, and a second it has
 * seen costs a probe and an add. */
#include <string.h>

#include "analysis_int.h"

/* agg.c's state writer probes with the same function: keep them equal. */
static uint32_t slot_of(uint32_t key, uint32_t cap)
{
    return (key * 2654435761u) & (cap - 1);
}

static enum el_err grow(struct el_peak *p)
{
    uint32_t cap = p->cap ? p->cap * 2 : 16;
    uint32_t *sec = el_calloc(cap, sizeof(*sec));
    uint64_t *cnt = el_calloc(cap, sizeof(*cnt));
    if (!sec || !cnt) {
        el_free(sec);
        el_free(cnt);
        return EL_ERR_NOMEM;
    }
    for (uint32_t i = 0; i < p->cap; i++) {
        if (!p->sec[i])
            continue;
        uint32_t j = slot_of(p->sec[i], cap);
        while (sec[j])
            j = (j + 1) & (cap - 1);
        sec[j] = p->sec[i];
        cnt[j] = p->cnt[i];
    }
    el_free(p->sec);
    el_free(p->cnt);
    p->sec = sec;
    p->cnt = cnt;
    p->cap = cap;
    return EL_OK;
}

enum el_err el_peak_add(struct el_peak *p, uint32_t sec, uint64_t count)
{
    uint32_t key = sec + 1;
    if (p->cap) {
        for (uint32_t j = slot_of(key, p->cap); p->sec[j]; j = (j + 1) & (p->cap - 1)) {
            if (p->sec[j] == key) {
                p->cnt[j] += count;
                if (p->cnt[j] > p->max)
                    p->max = p->cnt[j];
                return EL_OK;
            }
        }
    }
    if ((p->n + 1) * 2 > p->cap && grow(p) != EL_OK)
        return EL_ERR_NOMEM;
    uint32_t j = slot_of(key, p->cap);
    while (p->sec[j])
        j = (j + 1) & (p->cap - 1);
    p->sec[j] = key;
    p->cnt[j] = count;
    p->n++;
    if (count > p->max)
        p->max = count;
    return EL_OK;
}

enum el_err el_peak_merge(struct el_peak *dst, const struct el_peak *src)
{
    for (uint32_t i = 0; i < src->cap; i++)
        if (src->sec[i] && el_peak_add(dst, src->sec[i] - 1, src->cnt[i]) != EL_OK)
            return EL_ERR_NOMEM;
    return EL_OK;
}

void el_peak_free(struct el_peak *p)
{
    el_free(p->sec);
    el_free(p->cnt);
    memset(p, 0, sizeof(*p));
}

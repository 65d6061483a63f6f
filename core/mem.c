/* mem.c: the allocation seam. Every edgelog allocation passes here so tests
 * can count calls (the zero-allocations-per-line budget) and make the Nth
 * call fail (clean NOMEM paths). Counters are atomic because aggregation
 * threads allocate too; the cost is one relaxed add per allocation, and
 * allocations are per distinct key, never per line. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

static atomic_uint_fast64_t alloc_calls;
static atomic_uint_fast64_t fail_at; /* 0: never; else the call number that fails */
static atomic_int fill_byte = -1;     /* el_mem_fill_new */

static bool should_fail(void)
{
    uint_fast64_t at = atomic_load_explicit(&fail_at, memory_order_relaxed);
    if (EL_LIKELY(at == 0))
        return false;
    if (at == 1) {
        atomic_store_explicit(&fail_at, 0, memory_order_relaxed);
        return true;
    }
    atomic_store_explicit(&fail_at, at - 1, memory_order_relaxed);
    return false;
}

static void *counted(void *p)
{
    if (p)
        atomic_fetch_add_explicit(&alloc_calls, 1, memory_order_relaxed);
    return p;
}

void *el_malloc(size_t n)
{
    if (should_fail())
        return NULL;
    void *p = counted(malloc(n ? n : 1));
    int fill = atomic_load_explicit(&fill_byte, memory_order_relaxed);
    if (EL_UNLIKELY(fill >= 0) && p)
        memset(p, fill, n ? n : 1);
    return p;
}

void *el_calloc(size_t nmemb, size_t size)
{
    return should_fail() ? NULL : counted(calloc(nmemb ? nmemb : 1, size ? size : 1));
}

void *el_realloc(void *p, size_t n)
{
    return should_fail() ? NULL : counted(realloc(p, n ? n : 1));
}

void el_free(void *p)
{
    free(p);
}

char *el_strndup(const char *s, size_t n)
{
    char *d = el_malloc(n + 1);
    if (!d)
        return NULL;
    if (n)
        memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

uint64_t el_mem_allocs(void)
{
    return atomic_load_explicit(&alloc_calls, memory_order_relaxed);
}

void el_mem_fill_new(int byte)
{
    atomic_store_explicit(&fill_byte, byte >= 0 ? byte & 0xff : -1, memory_order_relaxed);
}

void el_mem_fail_after(uint64_t n)
{
    atomic_store_explicit(&fail_at, n, memory_order_relaxed);
}

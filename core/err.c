/* err.c: error names and small string-view helpers shared by all modules. */
#include <string.h>

#include "core.h"

const char *el_strerror(enum el_err e)
{
    switch (e) {
    case EL_OK: return "ok";
    case EL_DONE: return "end of input";
    case EL_SKIP: return "not a request line";
    case EL_PENDING: return "part of an open request";
    case EL_ERR_NOMEM: return "out of memory";
    case EL_ERR_IO: return "read error";
    case EL_ERR_GZIP: return "corrupt or truncated gzip data";
    case EL_ERR_PARSE: return "malformed line";
    case EL_ERR_RANGE: return "value out of range";
    case EL_ERR_TOO_LONG: return "line too long";
    case EL_ERR_USAGE: return "usage error";
    case EL_ERR_EMPTY: return "no values";
    }
    return "unknown error";
}

bool el_str_eq(struct el_str a, const char *lit)
{
    size_t n = strlen(lit);
    return a.n == n && (n == 0 || memcmp(a.p, lit, n) == 0);
}

int el_str_cmp(struct el_str a, struct el_str b)
{
    size_t n = a.n < b.n ? a.n : b.n;
    int c = n ? memcmp(a.p, b.p, n) : 0; /* absent views may have a NULL p */
    return c ? c : (a.n > b.n) - (a.n < b.n);
}

bool el_str_has_prefix(struct el_str a, const char *lit)
{
    size_t n = strlen(lit);
    return a.n >= n && (n == 0 || memcmp(a.p, lit, n) == 0);
}

/* scratch.c: the per-line buffer for transformed field values (see
 * parsers_int.h). */
#include "parsers_int.h"

#define SCRATCH_INITIAL (64 * 1024)

enum el_err el_scratch_init(struct el_scratch *s)
{
    s->len = 0;
    s->cap = SCRATCH_INITIAL;
    s->p = el_malloc(s->cap);
    return s->p ? EL_OK : EL_ERR_NOMEM;
}

void el_scratch_fini(struct el_scratch *s)
{
    el_free(s->p);
    *s = (struct el_scratch){ 0 };
}

void el_scratch_reset(struct el_scratch *s, size_t len)
{
    s->len = 0;
    if (EL_UNLIKELY(len > s->cap)) {
        char *p = el_realloc(s->p, len);
        if (p) {
            s->p = p;
            s->cap = len;
        }
    }
}

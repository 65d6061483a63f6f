/* parsers_int.h: shared between the parsers of parsers/; never included
 * from outside the module. */
#ifndef EL_PARSERS_INT_H
#define EL_PARSERS_INT_H

#include "parsers.h"

/* A per-parser buffer for field values that had to be transformed (escapes
 * decoded) and so cannot be views into the line. Reset at the start of every
 * line; record views into it live until the next parse call. Decoding never
 * makes a value longer than its source, so a buffer as long as the longest
 * line seen never runs out, and lines after the longest allocate nothing. */
struct el_scratch {
    char *p;
    size_t len, cap;
};

enum el_err el_scratch_init(struct el_scratch *s);
void el_scratch_fini(struct el_scratch *s);

/* Empties the buffer and makes room for a line of len bytes. If it cannot
 * grow, it keeps its size: callers then leave escaped values raw (a failed
 * el_scratch_room) rather than failing the line. */
void el_scratch_reset(struct el_scratch *s, size_t len);

/* n free bytes at the end of the buffer, or NULL. Write, then commit. */
static inline char *el_scratch_room(struct el_scratch *s, size_t n)
{
    return s->len + n <= s->cap ? s->p + s->len : NULL;
}
static inline struct el_str el_scratch_commit(struct el_scratch *s, const char *start, size_t n)
{
    s->len += n;
    return (struct el_str){ start, n };
}

#endif /* EL_PARSERS_INT_H */

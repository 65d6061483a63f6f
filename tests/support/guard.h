/* guard.h: test inputs that end exactly at an unmapped page, so a parser
 * reading one byte past its input faults instead of reading silently. */
#ifndef EL_GUARD_H
#define EL_GUARD_H

#include <stddef.h>

/* Copies s[0..n) so that its last byte is the last byte before a PROT_NONE
 * page. Valid until the next guard_copy call. */
const char *guard_copy(const char *s, size_t n);

#endif

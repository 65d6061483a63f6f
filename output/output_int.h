/* output_int.h: shared between the encoders of output/; never included from
 * outside the module. */
#ifndef EL_OUTPUT_INT_H
#define EL_OUTPUT_INT_H

#include "output.h"

struct el_out {
    const struct el_output_ops *ops;
    FILE *f;
    const char *const *cols;
    size_t ncols;
    /* table: every cell is buffered to compute column widths */
    char **cells;
    size_t *lens;
    bool *right; /* right-align (numeric) */
    size_t ncells, cap;
    /* json/csv: rows written so far */
    uint64_t rows;
    /* reusable NUL-terminated copy for libraries that want C strings */
    char *tmp;
    size_t tmp_cap;
};

/* A NUL-terminated copy of s in o->tmp, valid until the next call. */
const char *el_out_cstr(struct el_out *o, struct el_str s);

#endif /* EL_OUTPUT_INT_H */

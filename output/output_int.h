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

/* s as a JSON string literal, quotes included, NUL-terminated, in *buf
 * (grown with el_realloc as needed; *cap is its size): always valid JSON
 * and valid UTF-8, whatever the bytes of s (json.c). EL_ERR_NOMEM. */
enum el_err el_json_quote(struct el_str s, char **buf, size_t *cap);
struct cJSON;
/* The same as a new cJSON raw value (NULL when out of memory). */
struct cJSON *el_json_string(struct el_str s);

/* ---- building a row of cells (summary, timeline, compare) ----
 * A row is the caller's arrays of cells and of text for the cells that are
 * formatted here; k is the next cell. Numbers are written in the
 * "C" way whatever the locale, so every format shows the same digits. */
#define EL_CELL_TEXT 32
struct el_row {
    struct el_cell *c;
    char (*buf)[EL_CELL_TEXT];
    size_t k;
};

void el_row_null(struct el_row *r);
void el_row_str(struct el_row *r, struct el_str s); /* empty: absent */
void el_row_u64(struct el_row *r, uint64_t v);
void el_row_ms(struct el_row *r, int64_t us); /* milliseconds, 3 decimals */
/* The q quantile of s in milliseconds; absent when s is empty. */
void el_row_quantile(struct el_row *r, const struct el_sketch *s, double q);
void el_row_time(struct el_row *r, bool have, int64_t us); /* ISO-8601 UTC */

/* ro, or the default percentiles (50, 90, 99) when ro is NULL or empty. */
const struct el_report_opts *el_report_opts_or_default(const struct el_report_opts *ro);

#endif /* EL_OUTPUT_INT_H */

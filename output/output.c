/* output.c: the encoder registry and the generic begin/row/end calls. */
#include <string.h>

#include "output_int.h"

static const struct el_output_ops *const encoders[] = {
    &el_output_table,
    &el_output_csv,
    &el_output_json,
    &el_output_jsonl,
};

const struct el_output_ops *el_output_find(const char *name)
{
    for (size_t i = 0; i < EL_ARRAY_LEN(encoders); i++)
        if (strcmp(encoders[i]->name, name) == 0)
            return encoders[i];
    return NULL;
}

enum el_err el_out_create(const struct el_output_ops *ops, FILE *f, struct el_out **out)
{
    struct el_out *o = el_calloc(1, sizeof(*o));
    if (!o)
        return EL_ERR_NOMEM;
    o->ops = ops;
    o->f = f;
    *out = o;
    return EL_OK;
}

void el_out_destroy(struct el_out *o)
{
    if (!o)
        return;
    for (size_t i = 0; i < o->ncells; i++)
        el_free(o->cells[i]);
    el_free(o->cells);
    el_free(o->lens);
    el_free(o->right);
    el_free(o->tmp);
    el_free(o);
}

enum el_err el_out_begin(struct el_out *o, const char *const *cols, size_t ncols)
{
    o->cols = cols;
    o->ncols = ncols;
    return o->ops->begin(o, cols, ncols);
}

enum el_err el_out_row(struct el_out *o, const struct el_cell *cells)
{
    enum el_err rc = o->ops->row(o, cells);
    o->rows++;
    return rc;
}

enum el_err el_out_end(struct el_out *o)
{
    enum el_err rc = o->ops->end(o);
    if (rc == EL_OK && (fflush(o->f) != 0 || ferror(o->f)))
        rc = EL_ERR_IO;
    return rc;
}

const char *el_out_cstr(struct el_out *o, struct el_str s)
{
    if (s.n + 1 > o->tmp_cap) {
        size_t cap = (s.n + 1) * 2;
        char *t = el_realloc(o->tmp, cap);
        if (!t)
            return NULL;
        o->tmp = t;
        o->tmp_cap = cap;
    }
    if (s.n)
        memcpy(o->tmp, s.p, s.n);
    o->tmp[s.n] = '\0';
    return o->tmp;
}

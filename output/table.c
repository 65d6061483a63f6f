/* table.c: an aligned text table for terminals.
 *
 * Column widths need every row, so cells are buffered until end(); tables
 * are for summaries (one row per group), never for record streams. Numbers
 * are right-aligned, text left-aligned, absent values shown as "-".
 * Control characters in cells are shown as '?' so a hostile user agent
 * cannot move the cursor of the terminal showing the report.
 */
#include <string.h>

#include "output_int.h"

static enum el_err push_cell(struct el_out *o, struct el_str s, bool right)
{
    if (o->ncells == o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 256;
        char **c = el_realloc(o->cells, cap * sizeof(*c));
        if (!c)
            return EL_ERR_NOMEM;
        o->cells = c;
        size_t *l = el_realloc(o->lens, cap * sizeof(*l));
        if (!l)
            return EL_ERR_NOMEM;
        o->lens = l;
        bool *r = el_realloc(o->right, cap * sizeof(*r));
        if (!r)
            return EL_ERR_NOMEM;
        o->right = r;
        o->cap = cap;
    }
    char *d = el_strndup(s.p, s.n);
    if (!d)
        return EL_ERR_NOMEM;
    for (size_t i = 0; i < s.n; i++)
        if ((unsigned char)d[i] < 0x20 || d[i] == 0x7f)
            d[i] = '?';
    o->cells[o->ncells] = d;
    o->lens[o->ncells] = s.n;
    o->right[o->ncells] = right;
    o->ncells++;
    return EL_OK;
}

static enum el_err table_begin(struct el_out *o, const char *const *cols, size_t ncols)
{
    for (size_t i = 0; i < ncols; i++) {
        enum el_err rc = push_cell(o, (struct el_str){ cols[i], strlen(cols[i]) }, false);
        if (rc)
            return rc;
    }
    return EL_OK;
}

static enum el_err table_row(struct el_out *o, const struct el_cell *cells)
{
    for (size_t i = 0; i < o->ncols; i++) {
        const struct el_cell *c = &cells[i];
        struct el_str s = c->kind == EL_CELL_NULL ? EL_STR_LIT("-") : c->s;
        enum el_err rc = push_cell(o, s, c->kind == EL_CELL_NUM);
        if (rc)
            return rc;
    }
    return EL_OK;
}

static void pad(FILE *f, size_t n)
{
    while (n--)
        fputc(' ', f);
}

static enum el_err table_end(struct el_out *o)
{
    size_t nc = o->ncols;
    if (nc == 0)
        return EL_OK;
    size_t *w = el_calloc(nc, sizeof(*w));
    bool *num = el_calloc(nc, sizeof(*num));
    if (!w || !num) {
        el_free(w);
        el_free(num);
        return EL_ERR_NOMEM;
    }
    for (size_t i = 0; i < o->ncells; i++) {
        size_t c = i % nc;
        if (o->lens[i] > w[c])
            w[c] = o->lens[i];
        if (i >= nc && o->right[i])
            num[c] = true;
    }
    for (size_t i = 0; i < o->ncells; i++) {
        size_t c = i % nc;
        size_t gap = w[c] - o->lens[i];
        if (num[c])
            pad(o->f, gap);
        fwrite(o->cells[i], 1, o->lens[i], o->f);
        if (c + 1 == nc)
            fputc('\n', o->f);
        else {
            if (!num[c])
                pad(o->f, gap);
            fputs("  ", o->f);
        }
    }
    el_free(w);
    el_free(num);
    return ferror(o->f) ? EL_ERR_IO : EL_OK;
}

const struct el_output_ops el_output_table = {
    .name = "table",
    .begin = table_begin,
    .row = table_row,
    .end = table_end,
};

/* csv.c: RFC 4180 CSV through libcsv.
 *
 * Fields are quoted only when they must be (a comma, quote, CR or LF inside,
 * or leading/trailing space that spreadsheets would trim), so numbers stay
 * bare and files stay readable; libcsv does the quoting itself. An absent
 * value is an empty cell. Lines end with LF, which every spreadsheet and
 * CSV library reads, and which keeps diff and cut usable on reports.
 */
#include <csv.h>
#include <string.h>

#include "output_int.h"

static bool needs_quotes(struct el_str s)
{
    if (s.n == 0)
        return false;
    if (s.p[0] == ' ' || s.p[s.n - 1] == ' ')
        return true;
    for (size_t i = 0; i < s.n; i++) {
        char c = s.p[i];
        if (c == ',' || c == '"' || c == '\n' || c == '\r')
            return true;
    }
    return false;
}

static void put_field(FILE *f, struct el_str s)
{
    if (needs_quotes(s))
        csv_fwrite(f, s.p, s.n);
    else if (s.n)
        fwrite(s.p, 1, s.n, f);
}

static enum el_err csv_begin(struct el_out *o, const char *const *cols, size_t ncols)
{
    for (size_t i = 0; i < ncols; i++) {
        if (i)
            fputc(',', o->f);
        put_field(o->f, (struct el_str){ cols[i], strlen(cols[i]) });
    }
    fputc('\n', o->f);
    return ferror(o->f) ? EL_ERR_IO : EL_OK;
}

static enum el_err csv_row(struct el_out *o, const struct el_cell *cells)
{
    for (size_t i = 0; i < o->ncols; i++) {
        if (i)
            fputc(',', o->f);
        if (cells[i].kind != EL_CELL_NULL)
            put_field(o->f, cells[i].s);
    }
    fputc('\n', o->f);
    return ferror(o->f) ? EL_ERR_IO : EL_OK;
}

static enum el_err csv_end(struct el_out *o)
{
    return ferror(o->f) ? EL_ERR_IO : EL_OK;
}

const struct el_output_ops el_output_csv = {
    .name = "csv",
    .begin = csv_begin,
    .row = csv_row,
    .end = csv_end,
};

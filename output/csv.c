/* csv.c: RFC 4180 CSV through libcsv.
 *
 * Fields are quoted only when they must be (a comma, quote, CR or LF inside,
 * or leading/trailing space that spreadsheets would trim), so numbers stay
 * bare and files stay readable; libcsv does the quoting itself. An absent
 * value is an empty cell. Lines end with LF, which every spreadsheet and
 * CSV library reads, and which keeps diff and cut usable on reports.
 *
 * CSV injection (OWASP "CSV Injection"): a spreadsheet runs a cell that
 * starts with = + - @ TAB or CR as a formula, and routes, paths, user
 * agents and hosts come from whoever sent the request. By default a text
 * cell (EL_CELL_STR) that starts with one of those gets a leading single
 * quote, which spreadsheets show as text. Numbers edgelog formats itself
 * (EL_CELL_NUM, such as a negative difference "-2.000") are never touched,
 * and client text is never typed as a number, so columns of numbers stay
 * numbers. el_output_csv_raw (--csv-raw) writes every cell as it is.
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

static bool is_formula(struct el_str s)
{
    return s.n && (s.p[0] == '=' || s.p[0] == '+' || s.p[0] == '-' || s.p[0] == '@' ||
                   s.p[0] == '\t' || s.p[0] == '\r');
}

/* The text cell with a leading quote, written as any other cell (quoted
 * by libcsv when the rest needs it). EL_ERR_NOMEM. */
static enum el_err put_neutralised(struct el_out *o, struct el_str s)
{
    if (s.n + 1 > o->tmp_cap) {
        char *t = el_realloc(o->tmp, (s.n + 1) * 2);
        if (!t)
            return EL_ERR_NOMEM;
        o->tmp = t;
        o->tmp_cap = (s.n + 1) * 2;
    }
    o->tmp[0] = '\'';
    memcpy(o->tmp + 1, s.p, s.n);
    put_field(o->f, (struct el_str){ o->tmp, s.n + 1 });
    return EL_OK;
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
    bool raw = o->ops == &el_output_csv_raw;
    for (size_t i = 0; i < o->ncols; i++) {
        if (i)
            fputc(',', o->f);
        if (cells[i].kind == EL_CELL_STR && !raw && is_formula(cells[i].s)) {
            if (put_neutralised(o, cells[i].s) != EL_OK)
                return EL_ERR_NOMEM;
        } else if (cells[i].kind != EL_CELL_NULL) {
            put_field(o->f, cells[i].s);
        }
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

/* Not in the registry (el_output_find): only --csv-raw selects it. */
const struct el_output_ops el_output_csv_raw = {
    .name = "csv",
    .begin = csv_begin,
    .row = csv_row,
    .end = csv_end,
};

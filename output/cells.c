/* cells.c: the typed cells every report is made of (contract in
 * output_int.h). One place formats counts, durations and times, so summary,
 * timeline and compare cells agree digit for digit. */
#include <stdio.h>

#include "output_int.h"

void el_row_null(struct el_row *r)
{
    r->c[r->k++] = (struct el_cell){ EL_CELL_NULL, { 0 } };
}

void el_row_str(struct el_row *r, struct el_str s)
{
    if (s.n)
        r->c[r->k++] = (struct el_cell){ EL_CELL_STR, s };
    else
        el_row_null(r);
}

void el_row_u64(struct el_row *r, uint64_t v)
{
    int n = snprintf(r->buf[r->k], EL_CELL_TEXT, "%llu", (unsigned long long)v);
    r->c[r->k] = (struct el_cell){ EL_CELL_NUM, { r->buf[r->k], (size_t)n } };
    r->k++;
}

void el_row_ms(struct el_row *r, int64_t us)
{
    size_t n = el_fmt_ms(us, r->buf[r->k]);
    r->c[r->k] = (struct el_cell){ EL_CELL_NUM, { r->buf[r->k], n } };
    r->k++;
}

void el_row_quantile(struct el_row *r, const struct el_sketch *s, double q)
{
    int64_t v;
    if (s && el_sketch_quantile(s, q, &v) == EL_OK)
        el_row_ms(r, v);
    else
        el_row_null(r);
}

void el_row_time(struct el_row *r, bool have, int64_t us)
{
    if (!have) {
        el_row_null(r);
        return;
    }
    size_t n = el_fmt_iso8601_us(us, r->buf[r->k]);
    r->c[r->k] = (struct el_cell){ EL_CELL_STR, { r->buf[r->k], n } };
    r->k++;
}

const struct el_report_opts *el_report_opts_or_default(const struct el_report_opts *ro)
{
    static const struct el_report_opts defaults = {
        .percentiles = { 0.50, 0.90, 0.99 },
        .labels = { "50", "90", "99" },
        .npercentiles = 3,
    };
    return ro && ro->npercentiles ? ro : &defaults;
}

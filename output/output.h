/* output.h: writing results as an aligned table, CSV or JSON.
 *
 * Reports are built in two steps: a report (summary, records) turns analysis
 * results into rows of typed cells with fixed column names, and an encoder
 * (struct el_output_ops) writes rows in one format. Columns are defined once,
 * so every format has the same names and order (docs/OUTPUTS.md).
 * Output never reads input and never decides exit codes; write errors are
 * returned as EL_ERR_IO.
 */
#ifndef EL_OUTPUT_H
#define EL_OUTPUT_H

#include <stdio.h>

#include "analysis.h"
#include "cost.h"
#include "migrate.h"

enum el_cell_kind {
    EL_CELL_NULL, /* absent: empty CSV cell, JSON null, "-" in a table */
    EL_CELL_STR,
    EL_CELL_NUM, /* text already formatted as a number; JSON writes it bare */
};

struct el_cell {
    enum el_cell_kind kind;
    struct el_str s;
};

struct el_out; /* an open encoder: format state plus the FILE it writes to */

struct el_output_ops {
    const char *name; /* --output-format value */
    enum el_err (*begin)(struct el_out *o, const char *const *cols, size_t ncols);
    enum el_err (*row)(struct el_out *o, const struct el_cell *cells);
    enum el_err (*end)(struct el_out *o);
};

extern const struct el_output_ops el_output_table; /* aligned, for terminals */
extern const struct el_output_ops el_output_csv;   /* RFC 4180 via libcsv; text cells
                                                       * starting = + - @ TAB CR get a
                                                       * leading ' (CSV injection) */
extern const struct el_output_ops el_output_csv_raw; /* the same, cells as they are */
extern const struct el_output_ops el_output_json;  /* one JSON array of objects */
extern const struct el_output_ops el_output_jsonl; /* one JSON object per line */

/* The encoder with this name, or NULL. */
const struct el_output_ops *el_output_find(const char *name);

/* Creates an encoder writing to f (not closed by el_out_destroy). */
enum el_err el_out_create(const struct el_output_ops *ops, FILE *f, struct el_out **out);
void el_out_destroy(struct el_out *o);
enum el_err el_out_begin(struct el_out *o, const char *const *cols, size_t ncols);
enum el_err el_out_row(struct el_out *o, const struct el_cell *cells);
enum el_err el_out_end(struct el_out *o);

/* ---- reports ---------------------------------------------------------------- */

#define EL_REPORT_MAX_PERCENTILES 16

/* Report choices. percentiles are fractions in (0, 1]; labels are the
 * user's text for the column names ("99.9" -> latency_p99.9_ms). */
struct el_report_opts {
    double percentiles[EL_REPORT_MAX_PERCENTILES];
    char labels[EL_REPORT_MAX_PERCENTILES][12];
    size_t npercentiles; /* 0 = 50, 90, 99 */
};

/* Parses --percentiles ("50,90,95,99,99.9"). EL_ERR_USAGE with a message in
 * err on a bad value. */
enum el_err el_report_parse_percentiles(const char *list, struct el_report_opts *ro, char *err,
                                        size_t errlen);

/* Writes the summary of every group, sorted by requests descending then by
 * key, "(other)" last, one row per group with the columns of
 * docs/OUTPUTS.md. ro may be NULL (defaults). The column-name array handed
 * to the encoder lives only for this call. */
enum el_err el_report_summary(struct el_out *o, const struct el_agg *a,
                              const struct el_report_opts *ro);

/* Writes the compare report (docs/OUTPUTS.md): base and cand are grouped by
 * (source, method, route), routes already aligned across both
 * (el_agg_align_routes_all). One row per (method, route) of either side,
 * each side's sources folded together, sorted by the requests of both
 * sides descending then by key, "(other)" next, and an "(all)" row last;
 * differences are candidate minus baseline. The table encoder gets fewer
 * columns than CSV and JSON. EL_ERR_USAGE when an aggregate lacks the
 * method or route key; EL_ERR_NOMEM; EL_ERR_IO. */
enum el_err el_report_compare(struct el_out *o, const struct el_agg *base,
                              const struct el_agg *cand, const struct el_report_opts *ro);

/* Zero rows are written for at most this many (bucket, key) pairs. */
#define EL_TIMELINE_MAX_FILLED_ROWS 5000000u

/* Writes the timeline of an aggregate grouped by (time bucket, keys...)
 * with track_peak: one row per bucket and key in time order, zero rows for
 * buckets without traffic between the first and the last, then groups
 * without a time and "(other)". *unfilled is set when the zero rows were
 * left out because there would have been too many. */
enum el_err el_report_timeline(struct el_out *o, const struct el_agg *a,
                               const struct el_report_opts *ro, bool *unfilled);

/* The records report streams: begin once, then one call per record. */
enum el_err el_report_records_begin(struct el_out *o);
enum el_err el_report_records_row(struct el_out *o, const struct el_record *r);

/* ---- cost (cost.c) ------------------------------------------------------------ */

/* What `edgelog cost` shows: the front-ends (with, on a table, the LCU
 * breakdown, break-even, risks and assumptions), the ALB hours (--by
 * hour), or the migration risks by route (--by route). JSON always holds
 * everything. */
enum el_cost_view {
    EL_COST_VIEW_FRONTS,
    EL_COST_VIEW_HOURS,
    EL_COST_VIEW_RISKS,
};

/* One log source's traffic priced ("alb", "apigw-rest", "apigw-http"), or
 * all of them together ("all"). */
struct el_cost_part {
    const char *logs;
    const struct el_cost *cost;
};

struct el_cost_report {
    const struct el_cost_part *parts;
    size_t nparts;
    const struct el_prices *prices;
    const struct el_risk_row *risks;
    size_t nrisks;
    unsigned idle_timeout_s; /* for the assumptions */
    enum el_cost_view view;
};

/* Writes the cost report to f in fmt. EL_ERR_IO on a write error. */
enum el_err el_report_cost(FILE *f, const struct el_output_ops *fmt,
                           const struct el_cost_report *r);

#endif /* EL_OUTPUT_H */

/* compare.c: edgelog compare BASELINE... -- CANDIDATE...: the routes of two
 * sets of logs side by side (docs/OUTPUTS.md), typically the same traffic
 * seen by an ALB and by API Gateway, or an API before and after a
 * migration.
 *
 * Each side is one ordinary pass (its own inputs, workers and accounting,
 * the filters and --routes of both), aggregated by (source, method, route)
 * as summary does. Routes are then aligned across the sides, not within
 * each: the API Gateway templates of both sides form one set that both are
 * moved onto, so an ALB baseline's /orders/{id} meets the candidate's
 * /orders/{orderId}. The report (output/compare.c) joins the sides on
 * (method, route).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli_int.h"

enum { BASE, CAND };
static const char *const side_name[] = { "baseline", "candidate" };

static bool reads_stdin(const char *const *paths, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(paths[i], "-") == 0)
            return true;
    return false;
}

static int usage(const char *msg)
{
    fprintf(stderr, "edgelog: compare: %s\nTry 'edgelog --help' for more information.\n", msg);
    return EL_EXIT_USAGE;
}

/* The options compare cannot honour, before anything is read. */
static int check_usage(const struct el_cli *cli, const char *fmt)
{
    if (cli->state_out)
        return usage("--state-out: compare writes a report; run summary --state-out on each "
                     "side and merge them instead");
    if (cli->agg.ndims)
        return usage("--by: compare always groups by method and route");
    if (!el_output_find(fmt))
        return usage("--output-format: compare writes table, csv or json");
    if (reads_stdin(cli->paths, cli->npaths) && reads_stdin(cli->cand_paths, cli->ncand_paths))
        return usage("'-' (stdin) can be read by one side only");
    return EL_EXIT_OK;
}

/* One side's pass; *w holds the merged worker (free with
 * el_cli_workers_free, also after an error). */
static enum el_err run_side(struct el_shared *sh, const char *const *paths, size_t npaths,
                            struct el_input_list *inputs, struct el_worker **w, unsigned *nw)
{
    if (el_cli_expand(inputs, paths, npaths) != EL_OK)
        return EL_ERR_NOMEM;
    el_cli_progress_init(sh, inputs);
    return el_cli_pass(sh, inputs, w, nw);
}

/* The per-side lines of stderr and the side's share of the exit code. */
static int report_side(const struct el_cli *cli, struct el_worker *r, const char *label)
{
    if (!cli->quiet) {
        el_cli_print_accounting_as(r, label);
        if (el_agg_other(r->agg))
            fprintf(stderr,
                    "edgelog: %s: the group cap (--max-groups %zu) was reached: %llu requests "
                    "are counted in the (other) row\n",
                    label, el_agg_max_groups(r->agg), (unsigned long long)el_agg_other(r->agg));
    }
    if (r->failed)
        return EL_EXIT_FAILURE;
    if (cli->have_max_bad && r->lines &&
        (double)r->rejected / (double)r->lines > (double)cli->max_bad_ppm / 1e6) {
        fprintf(stderr,
                "edgelog: %s: %llu of %llu lines rejected, more than --max-bad-ratio allows\n",
                label, (unsigned long long)r->rejected, (unsigned long long)r->lines);
        return EL_EXIT_BAD_RATIO;
    }
    return EL_EXIT_OK;
}

int el_cli_compare(const struct el_cli *cli)
{
    const char *fmt = el_cli_infer_format(cli);
    if (strcmp(fmt, "jsonl") == 0)
        fmt = "json"; /* a report is one document, as summary's */
    int code = check_usage(cli, fmt);
    if (code != EL_EXIT_OK)
        return code;

    /* Each side is read as a summary is: the same options, its own run. */
    struct el_cli side = *cli;
    side.cmd = EL_CMD_SUMMARY;
    struct el_shared sh[2];
    code = el_cli_shared_init(&side, &sh[BASE]);
    if (code != EL_EXIT_OK)
        return code;
    /* The candidate shares the baseline's clock and --routes text (which
     * sh[BASE] owns). */
    sh[CAND] = (struct el_shared){ .cli = &side, .now_us = sh[BASE].now_us,
                                   .routes_text = sh[BASE].routes_text,
                                   .routes_len = sh[BASE].routes_len };
    pthread_mutex_init(&sh[CAND].lock, NULL);

    const char *const *paths[2] = { cli->paths, cli->cand_paths };
    size_t npaths[2] = { cli->npaths, cli->ncand_paths };
    struct el_input_list inputs[2] = { { 0 }, { 0 } };
    struct el_worker *w[2] = { NULL, NULL };
    unsigned nw[2] = { 0, 0 };
    struct el_outfile of = { 0 }, rejf = { 0 };
    struct el_out *out = NULL, *rejects = NULL;
    enum el_err rc = EL_OK;
    const char *failed_path = cli->output_path; /* what a write error names */

    if (el_outfile_open(&of, cli->output_path) != 0) {
        fprintf(stderr, "edgelog: %s: %s\n", cli->output_path, strerror(errno));
        code = EL_EXIT_FAILURE;
        goto out;
    }
    if (cli->rejects_path && el_outfile_open(&rejf, cli->rejects_path) != 0) {
        fprintf(stderr, "edgelog: %s: %s\n", cli->rejects_path, strerror(errno));
        el_outfile_close(&of, false);
        code = EL_EXIT_FAILURE;
        goto out;
    }
    if (rejf.f) {
        static const char *const rcols[] = { "file", "line", "reason", "text" };
        rc = el_out_create(el_cli_encoder(cli, "csv"), rejf.f, &rejects);
        if (rc == EL_OK)
            rc = el_out_begin(rejects, rcols, 4);
        sh[BASE].rejects = sh[CAND].rejects = rejects;
        failed_path = cli->rejects_path;
    }
    for (int s = BASE; s <= CAND && rc == EL_OK; s++)
        rc = run_side(&sh[s], paths[s], npaths[s], &inputs[s], &w[s], &nw[s]);
    if (rc == EL_OK && rejects)
        rc = el_out_end(rejects);
    if (rc == EL_OK)
        failed_path = cli->output_path;

    size_t moved[2] = { 0, 0 };
    struct el_agg *aggs[2] = { NULL, NULL };
    if (rc == EL_OK) {
        aggs[BASE] = w[BASE]->agg;
        aggs[CAND] = w[CAND]->agg;
        rc = el_agg_align_routes_all(aggs, 2, moved);
        w[BASE]->agg = aggs[BASE];
        w[CAND]->agg = aggs[CAND];
    }
    if (rc == EL_OK)
        rc = el_out_create(el_cli_encoder(cli, fmt), of.f, &out);
    if (rc == EL_OK)
        rc = el_report_compare(out, aggs[BASE], aggs[CAND], &cli->report);
    if (rc != EL_OK) {
        if (rc == EL_ERR_NOMEM)
            fputs("edgelog: out of memory\n", stderr);
        else
            fprintf(stderr, "edgelog: %s: write error: %s\n",
                    failed_path ? failed_path : "(stdout)", strerror(errno));
        el_outfile_close(&of, false);
        el_outfile_close(&rejf, false);
        code = EL_EXIT_FAILURE;
        goto out;
    }
    if (el_cli_commit_outputs(cli, &of, &rejf) != EL_EXIT_OK)
        code = EL_EXIT_FAILURE;
    for (int s = BASE; s <= CAND; s++) {
        if (moved[s] && !cli->quiet)
            fprintf(stderr,
                    "edgelog: %s: %zu route groups put on the API Gateway templates they fit\n",
                    side_name[s], moved[s]);
        int sc = report_side(cli, w[s], side_name[s]);
        /* a failed input (1) outranks a bad ratio (3), as in a summary */
        if (sc != EL_EXIT_OK && (code == EL_EXIT_OK || sc == EL_EXIT_FAILURE))
            code = sc;
    }

out:
    el_out_destroy(out);
    el_out_destroy(rejects);
    for (int s = BASE; s <= CAND; s++) {
        el_cli_workers_free(w[s], nw[s]);
        el_inputs_free(&inputs[s]);
    }
    pthread_mutex_destroy(&sh[CAND].lock);
    el_cli_shared_fini(&sh[BASE]);
    return code;
}

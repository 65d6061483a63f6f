/* cost.c: edgelog cost PATH...: what the traffic in the logs costs on ALB,
 * REST API and HTTP API, and what would stand in the way of moving it
 * (docs/COST.md).
 *
 * One pass collects, per worker, the hourly usage (analysis/usage.c) and
 * the per-route migration risks (analysis/migrate.c); both merge exactly
 * across threads. When the inputs mix ALB and API Gateway files, ALB
 * records carry the API Gateway templates their paths fit (learned in a
 * quiet first pass, as for records) so that risks of the two front-ends
 * land on the same routes; API Gateway logs alone are read once. Prices come from the --region
 * table with --pricing applied over it; both are checked before any input
 * is read.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli_int.h"

/* A pricing file is a few kilobytes; this only stops a wrong path. */
#define MAX_PRICING_BYTES ((size_t)1 << 20)

static int usage_fail(const char *msg, const char *arg)
{
    fprintf(stderr, "edgelog: %s%s\nTry 'edgelog --help' for more information.\n", msg, arg);
    return EL_EXIT_USAGE;
}

static int load_prices(const struct el_cli *cli, struct el_prices *p)
{
    const char *region = cli->region ? cli->region : EL_PRICES_DEFAULT_REGION;
    const struct el_prices *base = el_prices_builtin(region);
    if (!base) {
        size_t n;
        const char *const *all = el_prices_regions(&n);
        fprintf(stderr, "edgelog: --region: no built-in prices for '%s'; built in:", region);
        for (size_t i = 0; i < n; i++)
            fprintf(stderr, "%s %s", i ? "," : "", all[i]);
        fputs("; other regions: --pricing FILE (docs/COST.md)\n", stderr);
        return EL_EXIT_USAGE;
    }
    *p = *base;
    if (!cli->pricing_path)
        return EL_EXIT_OK;
    char *text, err[256];
    size_t len;
    enum el_err rc = el_read_file(cli->pricing_path, MAX_PRICING_BYTES, &text, &len, err,
                                  sizeof(err));
    if (rc == EL_OK) {
        rc = el_prices_load_json(text, len, p, err, sizeof(err));
        el_free(text);
    }
    if (rc == EL_OK)
        return EL_EXIT_OK;
    fprintf(stderr, "edgelog: --pricing: %s: %s\n", cli->pricing_path,
            rc == EL_ERR_NOMEM ? "out of memory" : err);
    return rc == EL_ERR_NOMEM ? EL_EXIT_FAILURE : EL_EXIT_USAGE;
}

/* --by for cost: nothing (the front-ends), hour, or route. */
static int cost_view(const struct el_cli *cli, enum el_cost_view *view)
{
    const struct el_agg_opts *a = &cli->agg;
    *view = EL_COST_VIEW_FRONTS;
    if (a->ndims == 0)
        return EL_EXIT_OK;
    if (a->ndims == 1 && a->dims[0] == EL_DIM_TIME && a->bucket_us == 3600000000LL) {
        *view = EL_COST_VIEW_HOURS;
        return EL_EXIT_OK;
    }
    if (a->ndims == 1 && a->dims[0] == EL_DIM_ROUTE) {
        *view = EL_COST_VIEW_RISKS;
        return EL_EXIT_OK;
    }
    return usage_fail("--by: cost is reported by hour (ALB LCUs hour by hour) or by route "
                      "(migration risks)", "");
}

int el_cli_cost(const struct el_cli *cli)
{
    enum el_cost_view view;
    int code = cost_view(cli, &view);
    if (code != EL_EXIT_OK)
        return code;
    if (cli->state_out)
        return usage_fail("--state-out: cost reports are not states; summary and timeline "
                          "write them", "");
    const char *fmt = el_cli_infer_format(cli);
    if (strcmp(fmt, "jsonl") == 0)
        fmt = "json";
    struct el_prices prices;
    if ((code = load_prices(cli, &prices)) != EL_EXIT_OK)
        return code;

    const char *const *paths;
    size_t npaths;
    if (!el_cli_input_paths(cli, &paths, &npaths))
        return EL_EXIT_USAGE;
    struct el_shared sh;
    if ((code = el_cli_shared_init(cli, &sh)) != EL_EXIT_OK)
        return code;

    struct el_input_list inputs = { 0 };
    struct el_templates *templates = NULL;
    struct el_worker *workers = NULL;
    unsigned nworkers = 0;
    struct el_outfile of = { 0 }, rejf = { 0 };
    struct el_usage *all = NULL;
    struct el_cost costs[EL_SRC_COUNT + 1];
    struct el_cost_part parts[EL_SRC_COUNT + 1];
    size_t nparts = 0;
    memset(costs, 0, sizeof(costs));
    struct el_risk_row *risks = NULL;
    size_t nrisks = 0;
    enum el_err rc;

    if (el_cli_expand(&inputs, paths, npaths) != EL_OK)
        goto nomem;
    if (el_outfile_open(&of, cli->output_path) != 0) {
        fprintf(stderr, "edgelog: %s: %s\n", cli->output_path, strerror(errno));
        code = EL_EXIT_FAILURE;
        goto out;
    }
    if (cli->rejects_path) {
        static const char *const rcols[] = { "file", "line", "reason", "text" };
        if (el_outfile_open(&rejf, cli->rejects_path) != 0) {
            fprintf(stderr, "edgelog: %s: %s\n", cli->rejects_path, strerror(errno));
            code = EL_EXIT_FAILURE;
            goto fail;
        }
        if (el_out_create(el_cli_encoder(cli, "csv"), rejf.f, &sh.rejects) != EL_OK ||
            el_out_begin(sh.rejects, rcols, 4) != EL_OK)
            goto nomem;
    }
    bool has_stdin = false;
    for (size_t i = 0; i < inputs.n; i++)
        has_stdin |= inputs.v[i].kind == EL_INPUT_STDIN;
    if (!has_stdin && el_cli_learn_templates(cli, &inputs, true, &templates) != EL_OK)
        goto nomem;
    sh.templates = templates;
    el_cli_progress_init(&sh, &inputs);
    rc = el_cli_pass(&sh, &inputs, &workers, &nworkers);
    if (rc == EL_ERR_NOMEM)
        goto nomem;
    if (rc != EL_OK)
        goto io;

    struct el_worker *r = &workers[0];
    /* One part per log source with requests, and "all" when there are
     * several; "all" is the sum of the sources' usage (merging is exact). */
    struct el_usage *use[EL_SRC_COUNT + 1];
    const char *names[EL_SRC_COUNT + 1];
    size_t nuse = 0;
    for (size_t i = 0; i < EL_SRC_COUNT; i++) {
        if (el_usage_requests(r->usage[i]) == 0)
            continue;
        use[nuse] = r->usage[i];
        names[nuse++] = i == EL_SRC_UNKNOWN ? "unknown" : el_src_name((enum el_src)i);
    }
    if (nuse != 1) { /* none (an empty report) or several: their sum too */
        struct el_usage_opts uo = { .idle_timeout_us = (int64_t)cli->idle_timeout_s * 1000000 };
        if (el_usage_create(&uo, &all) != EL_OK)
            goto nomem;
        for (size_t i = 0; i < nuse; i++)
            if (el_usage_merge(all, use[i]) != EL_OK)
                goto nomem;
        use[nuse] = all;
        names[nuse++] = "all";
    }
    struct el_cost_opts co = { .prices = &prices, .alb_rules = cli->alb_rules,
                               .scale = cli->scale };
    for (size_t i = 0; i < nuse; i++) {
        rc = el_cost_compute(use[i], &co, &costs[i]);
        parts[i] = (struct el_cost_part){ names[i], &costs[i] };
        nparts = i + 1;
        if (rc != EL_OK)
            break;
    }
    if (rc == EL_ERR_RANGE) {
        fputs("edgelog: cost: the request times span more than twenty years; narrow them with "
              "--since and --until\n",
              stderr);
        if (!cli->quiet) /* the lines were read: account for them all the same */
            el_cli_print_accounting(r);
        code = EL_EXIT_FAILURE;
        goto fail;
    }
    if (rc != EL_OK || el_migrate_rows(r->migrate, &risks, &nrisks) != EL_OK)
        goto nomem;
    struct el_cost_report report = {
        .parts = parts,
        .nparts = nparts,
        .prices = &prices,
        .risks = risks,
        .nrisks = nrisks,
        .idle_timeout_s = cli->idle_timeout_s ? cli->idle_timeout_s : 60,
        .view = view,
    };
    rc = el_report_cost(of.f, el_cli_encoder(cli, fmt), &report);
    if (rc == EL_ERR_NOMEM)
        goto nomem;
    if (rc != EL_OK || (sh.rejects && el_out_end(sh.rejects) != EL_OK))
        goto io;
    if (el_cli_commit_outputs(cli, &of, &rejf) != EL_EXIT_OK)
        code = EL_EXIT_FAILURE;
    if (!cli->quiet)
        el_cli_print_accounting(r);
    if (!cli->quiet && nparts == 1 && el_usage_requests(use[0]) == 0)
        fputs("edgelog: cost: no requests to price\n", stderr);
    code = el_cli_exit_code(cli, r, code);
    goto out;

nomem:
    code = el_cli_abandon_outputs(cli, &sh.progress, &of, &rejf, EL_ERR_NOMEM);
    goto out;
io:
    code = el_cli_abandon_outputs(cli, &sh.progress, &of, &rejf, EL_ERR_IO);
    goto out;
fail: /* after its own message */
    el_outfile_close(&of, false);
    el_outfile_close(&rejf, false);
out:
    el_out_destroy(sh.rejects);
    el_free(risks);
    for (size_t i = 0; i < nparts; i++)
        el_cost_fini(&costs[i]);
    el_usage_destroy(all);
    el_cli_workers_free(workers, nworkers);
    el_inputs_free(&inputs);
    el_templates_destroy(templates);
    el_cli_shared_fini(&sh);
    return code;
}

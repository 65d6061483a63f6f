/* run.c: running a command over its inputs: expanding paths, opening the
 * outputs, dispatching inputs to workers on --threads threads, merging the
 * workers' results, writing the report, and the accounting line and exit
 * code (docs/OUTPUTS.md).
 *
 * Threads take whole inputs. Inputs that must be read in order (execution
 * logs and CloudWatch envelopes, whose requests straddle files; stdin) form
 * one unit read by one worker; every other file is a unit of its own,
 * largest first. When there are fewer units than threads, the threads left
 * without one help parse the others' inputs, block by block (el_par,
 * pipeline.c). Aggregates merge exactly and reasons are listed in a fixed
 * order, so the report is byte-identical for any number of threads (short
 * of the --max-groups cap, where input order decides which keys overflow).
 * records and --rejects stream in input order and so run on one thread.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli_int.h"

#define MAX_THREADS 64

static int cmp_reasons(const void *pa, const void *pb)
{
    const struct el_reason *a = pa, *b = pb;
    if (a->n != b->n)
        return a->n > b->n ? -1 : 1;
    return strcmp(a->what, b->what);
}

/* Reasons are listed most frequent first, then by name, so the line is the
 * same whatever order the files (or threads) met them in. */
void el_cli_print_accounting(struct el_worker *r)
{
    el_cli_print_accounting_as(r, NULL);
}

void el_cli_print_accounting_as(struct el_worker *r, const char *label)
{
    qsort(r->reasons, r->nreasons, sizeof(r->reasons[0]), cmp_reasons);
    qsort(r->incomplete_reasons, r->nincomplete_reasons, sizeof(r->incomplete_reasons[0]),
          cmp_reasons);
    fprintf(stderr, "edgelog: %s%s%llu files", label ? label : "", label ? ": " : "",
            (unsigned long long)r->files);
    if (r->files_marker)
        fprintf(stderr, " (+%llu skipped: not logs)", (unsigned long long)r->files_marker);
    if (r->files_same)
        fprintf(stderr, " (+%llu skipped: the same file again)", (unsigned long long)r->files_same);
    if (r->files_failed)
        fprintf(stderr, " (%llu failed)", (unsigned long long)r->files_failed);
    fprintf(stderr, ", %llu lines: %llu records", (unsigned long long)r->lines,
            (unsigned long long)r->records);
    if (r->multi_records) {
        fprintf(stderr, " (%llu of them built from %llu execution-log lines",
                (unsigned long long)r->multi_records, (unsigned long long)r->request_lines);
        if (r->incomplete) {
            fprintf(stderr, "; %llu incomplete:", (unsigned long long)r->incomplete);
            for (size_t i = 0; i < r->nincomplete_reasons; i++)
                fprintf(stderr, "%s %s: %llu", i ? "," : "", r->incomplete_reasons[i].what,
                        (unsigned long long)r->incomplete_reasons[i].n);
        }
        fputc(')', stderr);
    } else if (r->request_lines) {
        fprintf(stderr, ", %llu execution-log lines", (unsigned long long)r->request_lines);
    }

    for (int pass = 0; pass < 2; pass++) {
        bool rej = pass == 1;
        uint64_t total = rej ? r->rejected : r->skipped;
        if (!total)
            continue;
        fprintf(stderr, ", %llu %s (", (unsigned long long)total,
                rej ? "rejected" : "not requests");
        bool first = true;
        for (size_t i = 0; i < r->nreasons; i++) {
            if (r->reasons[i].rejected != rej)
                continue;
            fprintf(stderr, "%s%s: %llu", first ? "" : ", ", r->reasons[i].what,
                    (unsigned long long)r->reasons[i].n);
            first = false;
        }
        fputc(')', stderr);
    }
    if (r->filter)
        fprintf(stderr, "; the filters left out %llu of the records",
                (unsigned long long)r->filtered);
    fputc('\n', stderr);
}

int el_cli_abandon_outputs(const struct el_cli *cli, struct el_progress *progress,
                           struct el_outfile *of, struct el_outfile *rejf, enum el_err rc)
{
    int err = errno;
    el_progress_clear(progress);
    if (rc == EL_ERR_NOMEM) {
        fputs("edgelog: out of memory\n", stderr);
    } else {
        const char *what = rejf->f && ferror(rejf->f) ? cli->rejects_path
                           : cli->output_path         ? cli->output_path
                                                      : "(stdout)";
        fprintf(stderr, "edgelog: %s: write error: %s\n", what, strerror(err));
    }
    el_outfile_close(of, false);
    el_outfile_close(rejf, false);
    return EL_EXIT_FAILURE;
}

const struct el_output_ops *el_cli_encoder(const struct el_cli *cli, const char *name)
{
    const struct el_output_ops *ops = el_output_find(name);
    return ops == &el_output_csv && cli->csv_raw ? &el_output_csv_raw : ops;
}

const char *el_cli_infer_format(const struct el_cli *cli)
{
    if (cli->output_format)
        return cli->output_format;
    const char *p = cli->output_path;
    if (p) {
        const char *dot = strrchr(p, '.');
        if (dot && strcmp(dot, ".csv") == 0)
            return "csv";
        if (dot && strcmp(dot, ".json") == 0)
            return cli->cmd == EL_CMD_RECORDS ? "jsonl" : "json";
        if (dot && strcmp(dot, ".jsonl") == 0)
            return "jsonl";
        return "csv";
    }
    if (cli->cmd == EL_CMD_RECORDS)
        return "csv";
    return isatty(STDOUT_FILENO) ? "table" : "csv";
}

static int list_formats(void)
{
    size_t n;
    const struct el_parser_ops *const *all = el_parsers_all(&n);
    for (size_t i = 0; i < n; i++)
        printf("%-12s %s\n", all[i]->name, all[i]->summary);
    return EL_EXIT_OK;
}

/* A unit of work: input indices read in order by one worker. */
struct unit {
    size_t *idx;
    size_t n;
    uint64_t size;
};

struct pool {
    struct el_worker *workers;
    struct unit *units;
    const struct el_input_list *inputs;
    struct el_par *par;
};

struct thread_arg {
    struct pool *pool;
    size_t w;
};

void el_par_abort(struct el_par *par, enum el_err rc)
{
    int none = EL_OK;
    atomic_compare_exchange_strong(&par->abort_rc, &none, (int)rc);
    pthread_mutex_lock(&par->mu);
    pthread_cond_broadcast(&par->cv); /* helpers waiting for a stream stop */
    pthread_mutex_unlock(&par->mu);
}

/* The next unit, counted as an owner under the same lock, so a helper
 * never sees "no unit left, no owner" while a unit is being started. */
static bool take_unit(struct el_par *par, size_t *u)
{
    pthread_mutex_lock(&par->mu);
    bool ok = par->next_unit < par->nunits && atomic_load(&par->abort_rc) == EL_OK;
    if (ok) {
        *u = par->next_unit++;
        par->owners++;
    }
    pthread_mutex_unlock(&par->mu);
    return ok;
}

static void unit_done(struct el_par *par)
{
    pthread_mutex_lock(&par->mu);
    par->owners--;
    pthread_cond_broadcast(&par->cv);
    pthread_mutex_unlock(&par->mu);
}

static void *work(void *p)
{
    struct thread_arg *ta = p;
    struct pool *pool = ta->pool;
    struct el_par *par = pool->par;
    struct el_worker *w = &pool->workers[ta->w];
    size_t u;
    enum el_err rc = EL_OK;
    while (rc == EL_OK && take_unit(par, &u)) {
        for (size_t i = 0; i < pool->units[u].n && rc == EL_OK; i++)
            rc = el_worker_process(w, &pool->inputs->v[pool->units[u].idx[i]]);
        unit_done(par);
    }
    if (rc == EL_OK && par->blocks)
        rc = el_worker_help(w);
    if (rc == EL_OK)
        rc = el_worker_finish(w);
    if (rc != EL_OK)
        el_par_abort(par, rc);
    return NULL;
}

static int cmp_units(const void *pa, const void *pb)
{
    const struct unit *a = pa, *b = pb;
    if (a->size != b->size)
        return a->size > b->size ? -1 : 1;
    return a->idx[0] < b->idx[0] ? -1 : a->idx[0] > b->idx[0];
}

/* Splits the inputs into units; unit 0 holds every sequential input, in
 * order. idx storage is one array of n entries. */
static enum el_err make_units(const struct el_cli *cli, const struct el_input_list *in,
                              bool one_unit, struct unit **out, size_t *nout, size_t **store)
{
    size_t *idx = el_malloc((in->n ? in->n : 1) * sizeof(*idx));
    struct unit *u = el_calloc(in->n + 1, sizeof(*u));
    if (!idx || !u) {
        el_free(idx);
        el_free(u);
        return EL_ERR_NOMEM;
    }
    size_t k = 0, nu = 1;
    u[0].idx = idx;
    for (size_t i = 0; i < in->n; i++)
        if (one_unit || el_input_is_sequential(cli, &in->v[i])) {
            idx[k++] = i;
            u[0].size += in->v[i].size;
        }
    u[0].n = k;
    if (!one_unit)
        for (size_t i = 0; i < in->n; i++) {
            if (k > 0 && u[0].n > 0) {
                bool seq = false;
                for (size_t j = 0; j < u[0].n && !seq; j++)
                    seq = u[0].idx[j] == i;
                if (seq)
                    continue;
            }
            idx[k] = i;
            u[nu++] = (struct unit){ &idx[k], 1, in->v[i].size };
            k++;
        }
    if (u[0].n == 0) { /* no sequential inputs: drop the empty unit */
        memmove(u, u + 1, (nu - 1) * sizeof(*u));
        nu--;
    } else if (nu > 1) {
        qsort(u + 1, nu - 1, sizeof(*u), cmp_units);
    }
    *out = u;
    *nout = nu;
    *store = idx;
    return EL_OK;
}

/* records: the API Gateway templates in the inputs, learned in a quiet
 * first pass over the API Gateway files only, so ALB records can carry
 * them as summary rows do. Not for stdin, which cannot be read twice. */
enum el_err el_cli_learn_templates(const struct el_cli *cli, const struct el_input_list *in,
                                  bool only_if_mixed, struct el_templates **out)
{
    *out = NULL;
    /* Worth a pass only when there are API Gateway files to learn from
     * (and, for only_if_mixed, other files whose routes would move). */
    bool *apigw = el_calloc(in->n ? in->n : 1, sizeof(*apigw));
    if (!apigw)
        return EL_ERR_NOMEM;
    bool any_apigw = false, any_other = false;
    for (size_t i = 0; i < in->n; i++) {
        if (in->v[i].kind != EL_INPUT_FILE)
            continue;
        apigw[i] = el_input_is_apigw(cli, &in->v[i]);
        any_apigw |= apigw[i];
        any_other |= !apigw[i];
    }
    if (!any_apigw || (only_if_mixed && !any_other)) {
        el_free(apigw);
        return EL_OK;
    }
    struct el_cli pre = *cli;
    pre.cmd = EL_CMD_SUMMARY;
    pre.filter = (struct el_filter_opts){ 0 };
    pre.agg = (struct el_agg_opts){ .ndims = 2, .dims = { EL_DIM_SOURCE, EL_DIM_ROUTE } };
    struct el_shared sh = { .cli = &pre, .silent = true };
    pthread_mutex_init(&sh.lock, NULL);
    struct el_worker w;
    char err[256];
    enum el_err rc = el_worker_init(&w, &sh, err, sizeof(err));
    for (size_t i = 0; i < in->n && rc == EL_OK; i++)
        if (apigw[i])
            rc = el_worker_process(&w, &in->v[i]);
    if (rc == EL_OK)
        rc = el_worker_finish(&w);
    if (rc == EL_OK)
        rc = el_templates_create(w.agg, out);
    el_worker_fini(&w);
    pthread_mutex_destroy(&sh.lock);
    el_free(apigw);
    return rc;
}

static unsigned requested_threads(const struct el_cli *cli)
{
    if (cli->threads)
        return cli->threads;
    long c = sysconf(_SC_NPROCESSORS_ONLN);
    return c > 0 ? (unsigned)c : 1;
}

static unsigned thread_count(const struct el_cli *cli, size_t nunits)
{
    unsigned n = requested_threads(cli);
    if (cli->cmd == EL_CMD_RECORDS || cli->rejects_path)
        n = 1; /* streams in input order */
    if (n > MAX_THREADS)
        n = MAX_THREADS;
    if (n > nunits)
        n = nunits ? (unsigned)nunits : 1;
    return n;
}

/* ALB routes onto API Gateway templates (el_agg_align_routes), on the
 * whole aggregate so the answer never depends on input order. */
int el_cli_align(const struct el_cli *cli, struct el_agg **agg)
{
    size_t moved = 0;
    if (el_agg_align_routes(agg, &moved) != EL_OK) {
        fputs("edgelog: out of memory\n", stderr);
        return EL_EXIT_FAILURE;
    }
    if (moved && !cli->quiet)
        fprintf(stderr, "edgelog: %zu route groups put on the API Gateway templates they fit\n",
                moved);
    return EL_EXIT_OK;
}

int el_cli_write_summary(const struct el_cli *cli, const struct el_agg *agg)
{
    bool timeline = el_agg_tracks_peak(agg), unfilled = false;
    const char *fmt = el_cli_infer_format(cli);
    if (strcmp(fmt, "jsonl") == 0)
        fmt = "json";
    struct el_outfile of;
    struct el_out *out = NULL;
    if (el_outfile_open(&of, cli->output_path) != 0) {
        fprintf(stderr, "edgelog: %s: %s\n", cli->output_path, strerror(errno));
        return EL_EXIT_FAILURE;
    }
    enum el_err rc = el_out_create(el_cli_encoder(cli, fmt), of.f, &out);
    if (rc == EL_OK)
        rc = timeline ? el_report_timeline(out, agg, &cli->report, &unfilled)
                      : el_report_summary(out, agg, &cli->report);
    el_out_destroy(out);
    if (unfilled)
        fprintf(stderr, "edgelog: timeline: more than %u bucket x key rows; buckets without "
                        "traffic are left out\n", EL_TIMELINE_MAX_FILLED_ROWS);
    if (el_outfile_close(&of, rc == EL_OK) != 0 || rc != EL_OK) {
        fprintf(stderr, "edgelog: %s: %s%s\n", cli->output_path ? cli->output_path : "(stdout)",
                rc == EL_ERR_NOMEM ? "" : "write error: ",
                rc == EL_ERR_NOMEM ? "out of memory" : strerror(errno));
        return EL_EXIT_FAILURE;
    }
    return EL_EXIT_OK;
}

/* summary --state-out: the aggregate's state instead of a report. */
static int write_state(const struct el_cli *cli, const struct el_agg *agg)
{
    char *buf;
    size_t len;
    if (el_agg_encode(agg, &buf, &len) != EL_OK) {
        fputs("edgelog: out of memory\n", stderr);
        return EL_EXIT_FAILURE;
    }
    struct el_outfile of;
    int code = EL_EXIT_OK;
    if (el_outfile_open(&of, cli->state_out) != 0) {
        fprintf(stderr, "edgelog: %s: %s\n", cli->state_out, strerror(errno));
        el_free(buf);
        return EL_EXIT_FAILURE;
    }
    bool ok = fwrite(buf, 1, len, of.f) == len;
    if (el_outfile_close(&of, ok) != 0 || !ok) {
        fprintf(stderr, "edgelog: %s: write error: %s\n", cli->state_out, strerror(errno));
        code = EL_EXIT_FAILURE;
    }
    el_free(buf);
    return code;
}

/* Reads the inputs on the workers the options allow and merges their
 * results into (*workers)[0]. The caller owns sh (options, outputs,
 * progress) and frees the workers with el_cli_workers_free, also after an
 * error. EL_ERR_NOMEM, or EL_ERR_IO when an output failed. */
enum el_err el_cli_pass(struct el_shared *sh, const struct el_input_list *inputs,
                        struct el_worker **workers_out, unsigned *nworkers_out)
{
    const struct el_cli *cli = sh->cli;
    struct unit *units = NULL;
    size_t nunits = 0, *store = NULL;
    char err[512];

    *workers_out = NULL;
    *nworkers_out = 0;
    bool single = thread_count(cli, inputs->n) == 1;
    if (make_units(cli, inputs, single, &units, &nunits, &store) != EL_OK)
        return EL_ERR_NOMEM;
    unsigned nworkers = thread_count(cli, nunits);
    unsigned want = requested_threads(cli);
    if (want > MAX_THREADS)
        want = MAX_THREADS;
    /* Fewer inputs than threads (one big .gz, stdin) for a report that does
     * not depend on line order: every thread parses, sharing out blocks of
     * whole lines of the inputs, which the same threads inflate in turn
     * (el_reader_take: whoever finds the producer's turn free). */
    bool blocks = want > 1 && nworkers > 0 && nunits > 0 && nunits < want &&
                  cli->cmd != EL_CMD_RECORDS && !cli->rejects_path;
    if (blocks)
        nworkers = want;
    /* One worker but cores to spare (records, --rejects): the reader
     * inflates on a second thread while the worker parses. With blocks,
     * inputs that cannot be shared (multi-line formats) do the same. */
    sh->threaded_readers = (nworkers == 1 && want > 1) || blocks;
    struct el_worker *workers = el_calloc(nworkers, sizeof(*workers));
    enum el_err rc = workers ? EL_OK : EL_ERR_NOMEM;
    for (unsigned i = 0; i < nworkers && rc == EL_OK; i++)
        if (el_worker_init(&workers[i], sh, err, sizeof(err)) != EL_OK)
            rc = EL_ERR_NOMEM;
    if (rc != EL_OK) {
        el_cli_workers_free(workers, nworkers);
        el_free(units);
        el_free(store);
        return rc;
    }

    struct el_par par = { .nunits = nunits, .blocks = blocks };
    pthread_mutex_init(&par.mu, NULL);
    pthread_cond_init(&par.cv, NULL);
    atomic_init(&par.abort_rc, EL_OK);
    sh->par = &par;
    struct pool pool = { .workers = workers, .units = units, .inputs = inputs, .par = &par };
    struct thread_arg args[MAX_THREADS];
    pthread_t tids[MAX_THREADS];
    unsigned started = 0;
    for (unsigned i = 1; i < nworkers; i++) {
        args[i] = (struct thread_arg){ &pool, i };
        if (pthread_create(&tids[i], NULL, work, &args[i]) != 0)
            break; /* the threads that did start, and this one, do the work */
        started = i;
    }
    args[0] = (struct thread_arg){ &pool, 0 };
    work(&args[0]);
    for (unsigned i = 1; i <= started; i++)
        pthread_join(tids[i], NULL);
    el_progress_clear(&sh->progress);
    sh->par = NULL;
    rc = (enum el_err)atomic_load(&par.abort_rc);
    pthread_cond_destroy(&par.cv);
    pthread_mutex_destroy(&par.mu);
    for (unsigned i = 1; i < nworkers && rc == EL_OK; i++)
        rc = el_worker_merge(&workers[0], &workers[i]);
    el_free(units);
    el_free(store);
    *workers_out = workers;
    *nworkers_out = nworkers;
    return rc;
}

enum el_err el_cli_expand(struct el_input_list *list, const char *const *paths, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        size_t before = list->n;
        enum el_err rc = el_inputs_expand(list, &paths[i], 1);
        if (rc != EL_OK)
            return rc;
        /* Only a folder holding nothing adds no input (a file, even an
         * unreadable one, is always listed): say so, since a wrong or not
         * yet synced export folder otherwise looks like a quiet hour. */
        if (list->n == before)
            fprintf(stderr, "edgelog: %s: empty folder, nothing to read\n", paths[i]);
    }
    /* A log reached twice (named twice, overlapping folders, a link) would
     * count every request twice: read once, and say where it was seen. */
    size_t same = el_inputs_mark_same(list);
    if (same == (size_t)-1)
        return EL_ERR_NOMEM;
    for (size_t i = 0; same && i < list->n; i++)
        if (list->v[i].kind == EL_INPUT_SAME)
            fprintf(stderr, "edgelog: %s: the same file as %s: read once\n", list->v[i].path,
                    list->v[list->v[i].same_as].path);
    return EL_OK;
}

void el_cli_workers_free(struct el_worker *workers, unsigned n)
{
    for (unsigned i = 0; workers && i < n; i++)
        el_worker_fini(&workers[i]);
    el_free(workers);
}

/* The total size of the inputs for the progress line (0 = unknown: stdin). */
void el_cli_progress_init(struct el_shared *sh, const struct el_input_list *inputs)
{
    uint64_t total = 0;
    bool known = true;
    for (size_t i = 0; i < inputs->n; i++) {
        if (inputs->v[i].kind == EL_INPUT_FILE && inputs->v[i].size)
            total += inputs->v[i].size;
        else if (inputs->v[i].kind == EL_INPUT_STDIN)
            known = false;
    }
    el_progress_init(&sh->progress, !sh->cli->quiet && isatty(STDERR_FILENO), known ? total : 0,
                     inputs->n);
}

int el_cli_commit_outputs(const struct el_cli *cli, struct el_outfile *of,
                          struct el_outfile *rejf)
{
    int code = EL_EXIT_OK;
    if (el_outfile_close(of, true) != 0) {
        fprintf(stderr, "edgelog: %s: write error: %s\n",
                cli->output_path ? cli->output_path : "(stdout)", strerror(errno));
        code = EL_EXIT_FAILURE;
    }
    if (el_outfile_close(rejf, true) != 0) {
        fprintf(stderr, "edgelog: %s: write error: %s\n", cli->rejects_path, strerror(errno));
        code = EL_EXIT_FAILURE;
    }
    return code;
}

int el_cli_exit_code(const struct el_cli *cli, const struct el_worker *r, int code)
{
    if (r->failed && code == EL_EXIT_OK)
        code = EL_EXIT_FAILURE;
    if (code == EL_EXIT_OK && cli->have_max_bad && r->lines &&
        (double)r->rejected / (double)r->lines > (double)cli->max_bad_ppm / 1e6) {
        fprintf(stderr, "edgelog: %llu of %llu lines rejected, more than --max-bad-ratio allows\n",
                (unsigned long long)r->rejected, (unsigned long long)r->lines);
        code = EL_EXIT_BAD_RATIO;
    }
    return code;
}

bool el_cli_input_paths(const struct el_cli *cli, const char *const **paths, size_t *n)
{
    static const char *const stdin_path[] = { "-" };
    *paths = cli->paths;
    *n = cli->npaths;
    if (*n == 0) {
        if (isatty(STDIN_FILENO)) {
            fputs("edgelog: no input: give PATHs, '-' for stdin, or pipe logs in\n"
                  "Try 'edgelog --help' for more information.\n",
                  stderr);
            return false;
        }
        *paths = stdin_path;
        *n = 1;
    }
    return true;
}

int el_cli_shared_init(const struct el_cli *cli, struct el_shared *sh)
{
    *sh = (struct el_shared){ .cli = cli };
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    sh->now_us = (int64_t)now.tv_sec * 1000000 + now.tv_nsec / 1000;
    pthread_mutex_init(&sh->lock, NULL);

    /* Options first: a bad filter or routes file is a usage error before
     * anything is read. */
    if (cli->routes_path) {
        size_t n;
        char *text;
        char rerr[256];
        enum el_err rrc = el_read_file(cli->routes_path, EL_MAX_ROUTES_BYTES, &text, &n, rerr,
                                       sizeof(rerr));
        if (rrc != EL_OK) {
            fprintf(stderr, "edgelog: --routes: %s: %s\n", cli->routes_path,
                    rrc == EL_ERR_NOMEM ? "out of memory" : rerr);
            el_cli_shared_fini(sh);
            return rrc == EL_ERR_NOMEM ? EL_EXIT_FAILURE : EL_EXIT_USAGE;
        }
        sh->routes_text = text;
        sh->routes_len = n;
    }
    struct el_worker probe;
    char err[512];
    enum el_err frc = el_worker_init(&probe, sh, err, sizeof(err));
    el_worker_fini(&probe);
    if (frc == EL_OK)
        return EL_EXIT_OK;
    if (frc == EL_ERR_USAGE)
        fprintf(stderr, "edgelog: %s\nTry 'edgelog --help' for more information.\n", err);
    else
        fputs("edgelog: out of memory\n", stderr);
    el_cli_shared_fini(sh);
    return frc == EL_ERR_USAGE ? EL_EXIT_USAGE : EL_EXIT_FAILURE;
}

void el_cli_shared_fini(struct el_shared *sh)
{
    pthread_mutex_destroy(&sh->lock);
    el_free(sh->routes_text);
    sh->routes_text = NULL;
}

int el_cli_run(const struct el_cli *cli)
{
    if (cli->cmd == EL_CMD_FORMATS)
        return list_formats();
    if (cli->cmd == EL_CMD_MERGE)
        return el_cli_merge(cli);
    if (cli->cmd == EL_CMD_COST)
        return el_cli_cost(cli);
    if (cli->cmd == EL_CMD_COMPARE)
        return el_cli_compare(cli);
    if (cli->state_out && cli->cmd == EL_CMD_RECORDS) {
        fputs("edgelog: --state-out: records are a stream; summary and timeline write states\n",
              stderr);
        return EL_EXIT_USAGE;
    }

    const char *fmt = el_cli_infer_format(cli);
    if (cli->cmd == EL_CMD_RECORDS && strcmp(fmt, "table") == 0) {
        fputs("edgelog: --output-format: records are written as csv or jsonl, not table\n",
              stderr);
        return EL_EXIT_USAGE;
    }
    if (cli->cmd != EL_CMD_RECORDS && strcmp(fmt, "jsonl") == 0)
        fmt = "json";

    const char *const *paths;
    size_t npaths;
    if (!el_cli_input_paths(cli, &paths, &npaths))
        return EL_EXIT_USAGE;
    struct el_shared sh;
    int code = el_cli_shared_init(cli, &sh);
    if (code != EL_EXIT_OK)
        return code;

    struct el_worker *workers = NULL;
    struct el_templates *templates = NULL;
    unsigned nworkers = 0;
    struct el_input_list inputs = { 0 };
    struct el_outfile of = { 0 }, rejf = { 0 };
    int exit_code = EL_EXIT_OK;

    if (el_cli_expand(&inputs, paths, npaths) != EL_OK)
        goto nomem;
    if (!cli->state_out && el_outfile_open(&of, cli->output_path) != 0) {
        fprintf(stderr, "edgelog: %s: %s\n", cli->output_path, strerror(errno));
        exit_code = EL_EXIT_FAILURE;
        goto out;
    }
    if (cli->rejects_path && el_outfile_open(&rejf, cli->rejects_path) != 0) {
        fprintf(stderr, "edgelog: %s: %s\n", cli->rejects_path, strerror(errno));
        el_outfile_close(&of, false);
        exit_code = EL_EXIT_FAILURE;
        goto out;
    }
    if (of.f && el_out_create(el_cli_encoder(cli, fmt), of.f, &sh.out) != EL_OK)
        goto nomem;
    if (rejf.f) {
        static const char *const rcols[] = { "file", "line", "reason", "text" };
        if (el_out_create(el_cli_encoder(cli, "csv"), rejf.f, &sh.rejects) != EL_OK ||
            el_out_begin(sh.rejects, rcols, 4) != EL_OK)
            goto nomem;
    }
    if (cli->cmd == EL_CMD_RECORDS && el_report_records_begin(sh.out) != EL_OK)
        goto io;

    el_cli_progress_init(&sh, &inputs);

    if (cli->cmd == EL_CMD_RECORDS) {
        bool has_stdin = false;
        for (size_t i = 0; i < inputs.n; i++)
            has_stdin |= inputs.v[i].kind == EL_INPUT_STDIN;
        if (!has_stdin && el_cli_learn_templates(cli, &inputs, false, &templates) != EL_OK)
            goto nomem;
        sh.templates = templates;
    }
    enum el_err rc = el_cli_pass(&sh, &inputs, &workers, &nworkers);
    if (rc == EL_ERR_NOMEM)
        goto nomem;
    if (rc != EL_OK)
        goto io;

    struct el_worker *r = &workers[0];
    if (cli->state_out) {
        exit_code = write_state(cli, r->agg);
    } else if (cli->cmd == EL_CMD_TIMELINE) {
        bool unfilled;
        if (el_report_timeline(sh.out, r->agg, &cli->report, &unfilled) != EL_OK)
            goto io;
        if (unfilled)
            fprintf(stderr, "edgelog: timeline: more than %u bucket x key rows; buckets without "
                            "traffic are left out\n", EL_TIMELINE_MAX_FILLED_ROWS);
    } else if (r->agg && (el_cli_align(cli, &r->agg) != EL_EXIT_OK ||
                          el_report_summary(sh.out, r->agg, &cli->report) != EL_OK)) {
        goto io;
    } else if (!r->agg && el_out_end(sh.out) != EL_OK) {
        goto io;
    }
    if (sh.rejects && el_out_end(sh.rejects) != EL_OK)
        goto io;
    if (el_cli_commit_outputs(cli, &of, &rejf) != EL_EXIT_OK)
        exit_code = EL_EXIT_FAILURE;
    if (!cli->quiet)
        el_cli_print_accounting(r);
    if (!cli->quiet && r->agg && el_agg_other(r->agg))
        fprintf(stderr,
                "edgelog: the group cap (--max-groups %zu) was reached: %llu requests are counted "
                "in the (other) row\n",
                el_agg_max_groups(r->agg), (unsigned long long)el_agg_other(r->agg));
    exit_code = el_cli_exit_code(cli, r, exit_code);
    goto out;

nomem:
    exit_code = el_cli_abandon_outputs(cli, &sh.progress, &of, &rejf, EL_ERR_NOMEM);
    goto out;
io:
    exit_code = el_cli_abandon_outputs(cli, &sh.progress, &of, &rejf, EL_ERR_IO);
out:
    el_out_destroy(sh.out);
    el_out_destroy(sh.rejects);
    el_cli_workers_free(workers, nworkers);
    el_inputs_free(&inputs);
    el_templates_destroy(templates);
    el_cli_shared_fini(&sh);
    return exit_code;
}

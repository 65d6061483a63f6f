/* run.c: the pipeline behind every command: inputs -> reader -> parser ->
 * aggregate or record stream -> encoder, with the accounting that makes
 * sure every input line is either a record or a counted, reported line.
 *
 * Accounting rules (docs/OUTPUTS.md): a line is a record, a "not a request"
 * line of a known kind (NLB, connection log, blank, ...), or rejected
 * (malformed, too long, unrecognised format). Only rejected lines count
 * towards --max-bad-ratio. A file that cannot be read, or whose gzip data is
 * damaged, is reported as "file: reason" and makes the exit code 1; what was
 * read before the damage still counts.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli_int.h"

#define MAX_REASONS 64
#define SNIFF_BYTES (64 * 1024)
#define SNIFF_LINES 16
#define PROGRESS_EVERY 8192

struct reason {
    const char *what;
    uint64_t n;
    bool rejected;
};

struct run {
    const struct el_cli *cli;
    struct el_agg *agg;
    struct el_filter *filter; /* NULL: every record passes */
    struct el_out *out;      /* records: streamed; summary: at the end */
    struct el_out *rejects;  /* --rejects */
    struct el_parser *parsers[8];
    struct el_progress progress;
    struct reason reasons[MAX_REASONS];
    size_t nreasons;
    uint64_t files, files_marker, files_failed;
    uint64_t lines, records, skipped, rejected;
    uint64_t filtered; /* records the filters left out (counted in records) */
    uint64_t request_lines;  /* lines taken into multi-line requests */
    uint64_t multi_records;  /* records built from multi-line requests */
    uint64_t incomplete;     /* of those, requests that never completed */
    struct reason incomplete_reasons[4];
    size_t nincomplete_reasons;
    bool failed;
};

static const char R_TOO_LONG[] = "line too long";
static const char R_BLANK[] = "blank line";
static const char R_UNKNOWN_FORMAT[] = "unrecognised input format";
static const char R_OTHER[] = "other";

static void count_reason(struct run *r, const char *what, bool rejected)
{
    for (size_t i = 0; i < r->nreasons; i++) {
        if (r->reasons[i].what == what) {
            r->reasons[i].n++;
            return;
        }
    }
    if (r->nreasons < MAX_REASONS) {
        r->reasons[r->nreasons++] = (struct reason){ what, 1, rejected };
        return;
    }
    /* Parsers use a handful of static reasons; past the table size the rest
     * is still counted, under one name. */
    count_reason(r, R_OTHER, rejected);
}

static void write_reject(struct run *r, const char *path, uint64_t line_no, const char *what,
                         struct el_str text)
{
    if (!r->rejects)
        return;
    char num[24];
    int n = snprintf(num, sizeof(num), "%llu", (unsigned long long)line_no);
    struct el_cell cells[4] = {
        { EL_CELL_STR, { path, strlen(path) } },
        { EL_CELL_NUM, { num, (size_t)n } },
        { EL_CELL_STR, { what, strlen(what) } },
        { text.n ? EL_CELL_STR : EL_CELL_NULL, text },
    };
    el_out_row(r->rejects, cells);
}

static void not_a_record(struct run *r, const char *path, uint64_t line_no, const char *what,
                         bool rejected, struct el_str text)
{
    count_reason(r, what, rejected);
    if (rejected)
        r->rejected++;
    else
        r->skipped++;
    write_reject(r, path, line_no, what, text);
}

/* Hands one record to the aggregate or the record stream, unless the
 * filters leave it out. */
static enum el_err emit(struct run *r, const struct el_record *rec)
{
    r->records++;
    if (r->filter && !el_filter_match(r->filter, rec)) {
        r->filtered++;
        return EL_OK;
    }
    if (r->agg)
        return el_agg_add(r->agg, rec);
    return el_report_records_row(r->out, rec);
}

/* Collects the requests a multi-line parser has completed. */
static enum el_err drain(struct run *r, const struct el_parser_ops *ops, struct el_parser *ps)
{
    struct el_record rec;
    struct el_diag diag = { 0 };
    enum el_err rc;
    while ((rc = ops->drain(ps, &rec, &diag)) == EL_OK) {
        r->multi_records++;
        if (rec.flags & EL_REC_INCOMPLETE) {
            r->incomplete++;
            const char *what = diag.what ? diag.what : "never completed";
            size_t k = 0;
            while (k < r->nincomplete_reasons && r->incomplete_reasons[k].what != what)
                k++;
            if (k == r->nincomplete_reasons && k < EL_ARRAY_LEN(r->incomplete_reasons))
                r->incomplete_reasons[r->nincomplete_reasons++] = (struct reason){ what, 0, false };
            if (k < r->nincomplete_reasons)
                r->incomplete_reasons[k].n++;
        }
        if ((rc = emit(r, &rec)) != EL_OK)
            return rc;
        diag = (struct el_diag){ 0 };
    }
    return rc == EL_DONE ? EL_OK : rc;
}

/* Accounts for one parse result: a record is emitted, a line that joined a
 * multi-line request counted, anything else counted by its reason; then
 * whatever a multi-line parser completed is collected. Returns EL_OK, or
 * the error that must end the run (NOMEM, or the output failing). */
static enum el_err take(struct run *r, const struct el_parser_ops *ops, struct el_parser *ps,
                        enum el_err rc, const struct el_record *rec, const struct el_diag *diag,
                        const char *name, uint64_t line_no, struct el_str text)
{
    if (rc == EL_OK)
        return emit(r, rec);
    if (rc == EL_ERR_NOMEM)
        return rc;
    if (rc == EL_PENDING)
        r->request_lines++;
    else
        not_a_record(r, name, line_no, diag->what ? diag->what : el_strerror(rc),
                     rc != EL_SKIP, text);
    return ops->drain ? drain(r, ops, ps) : EL_OK;
}

static const struct el_parser_ops *choose_parser(struct run *r, struct el_reader *rd)
{
    if (r->cli->input_format)
        return el_parser_find(r->cli->input_format);
    struct el_str data;
    el_reader_peek(rd, SNIFF_BYTES, &data);
    struct el_str lines[SNIFF_LINES];
    size_t n = 0;
    const char *p = data.p, *end = data.p + data.n;
    while (p < end && n < SNIFF_LINES) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        size_t len = (size_t)(le - p);
        if (len && p[len - 1] == '\r')
            len--;
        if (len)
            lines[n++] = (struct el_str){ p, len };
        if (!nl)
            break;
        p = nl + 1;
    }
    return n ? el_parser_sniff(lines, n) : NULL;
}

static struct el_parser *parser_state(struct run *r, const struct el_parser_ops *ops)
{
    size_t n;
    const struct el_parser_ops *const *all = el_parsers_all(&n);
    for (size_t i = 0; i < n && i < EL_ARRAY_LEN(r->parsers); i++) {
        if (all[i] != ops)
            continue;
        if (!r->parsers[i] && ops->create(&r->parsers[i]) != EL_OK)
            return NULL;
        return r->parsers[i];
    }
    return NULL;
}

static void file_error(struct run *r, const char *path, const char *msg)
{
    el_progress_clear(&r->progress);
    fprintf(stderr, "edgelog: %s: %s\n", strcmp(path, "-") == 0 ? "(stdin)" : path, msg);
    r->failed = true;
}

/* The parser for one envelope event: forced by --input-format, named by the
 * log group (API Gateway creates API-Gateway-Execution-Logs_{api-id}/{stage}
 * for execution logs), or sniffed from the message. The last answer is kept
 * per log group, since an envelope's events all share one. */
struct event_route {
    char group[256];
    size_t group_n;
    const struct el_parser_ops *ops;
    bool valid;
};

static const struct el_parser_ops *parser_for_event(struct run *r, struct event_route *er,
                                                    const struct el_event *ev)
{
    if (r->cli->input_format)
        return el_parser_find(r->cli->input_format);
    if (er->valid && er->group_n == ev->log_group.n && er->group_n &&
        memcmp(er->group, ev->log_group.p, er->group_n) == 0)
        return er->ops;
    const struct el_parser_ops *ops;
    if (el_str_has_prefix(ev->log_group, "API-Gateway-Execution-Logs_"))
        ops = el_parser_find("apigw-exec");
    else
        ops = el_parser_sniff(&ev->message, 1);
    if (ev->log_group.n && ev->log_group.n <= sizeof(er->group)) {
        memcpy(er->group, ev->log_group.p, ev->log_group.n);
        er->group_n = ev->log_group.n;
        er->ops = ops;
        er->valid = true;
    }
    return ops;
}

/* A stream of CloudWatch Logs envelopes: each event counts as one input
 * line and goes to the parser its log group (or message) calls for. */
static enum el_err process_envelopes(struct run *r, const struct el_input *in,
                                     struct el_reader *rd)
{
    const char *name = in->kind == EL_INPUT_STDIN ? "(stdin)" : in->path;
    struct el_cwl *cwl;
    if (el_cwl_create(rd, 0, &cwl) != EL_OK)
        return EL_ERR_NOMEM;
    struct event_route er = { .valid = false };
    struct el_event ev;
    struct el_record rec;
    struct el_diag diag;
    enum el_err rc, out_rc = EL_OK;
    uint64_t n = 0;
    for (;;) {
        diag = (struct el_diag){ 0 };
        rc = el_cwl_next(cwl, &ev, &diag);
        if (rc == EL_DONE)
            break;
        if (rc == EL_ERR_NOMEM) {
            out_rc = rc;
            break;
        }
        if (rc == EL_ERR_GZIP || rc == EL_ERR_IO) {
            file_error(r, in->path, el_reader_error(rd));
            r->files_failed++;
            break;
        }
        r->lines++;
        n++;
        if (EL_UNLIKELY((r->lines & (PROGRESS_EVERY - 1)) == 0))
            el_progress_update(&r->progress, el_reader_in_bytes(rd));
        if (rc != EL_OK) {
            not_a_record(r, name, n, diag.what, rc != EL_SKIP, (struct el_str){ 0 });
            continue;
        }
        const struct el_parser_ops *ops = parser_for_event(r, &er, &ev);
        struct el_parser *ps = ops ? parser_state(r, ops) : NULL;
        if (ops && !ps) {
            out_rc = EL_ERR_NOMEM;
            break;
        }
        if (!ps) {
            not_a_record(r, name, n, R_UNKNOWN_FORMAT, true, ev.message);
            continue;
        }
        diag = (struct el_diag){ 0 };
        rc = ops->parse_event ? ops->parse_event(ps, &ev, &rec, &diag)
                              : ops->parse(ps, ev.message.p, ev.message.n, &rec, &diag);
        rc = take(r, ops, ps, rc, &rec, &diag, name, n, ev.message);
        if (rc != EL_OK) {
            out_rc = rc;
            break;
        }
    }
    el_cwl_destroy(cwl);
    return out_rc;
}

/* Returns EL_ERR_NOMEM or EL_ERR_IO (output) to abort the run; per-file
 * problems are reported and counted here and return EL_OK. */
static enum el_err process_input(struct run *r, const struct el_input *in)
{
    const char *name = in->kind == EL_INPUT_STDIN ? "(stdin)" : in->path;
    struct el_reader_opts ropts = { .max_line = r->cli->max_line };
    struct el_reader *rd;
    enum el_err rc = el_reader_open(in->path, &ropts, &rd);
    if (rc == EL_ERR_NOMEM)
        return rc;
    r->files++;
    if (rc != EL_OK) {
        file_error(r, in->path, strerror(errno));
        r->files_failed++;
        return EL_OK;
    }

    struct el_str head;
    el_reader_peek(rd, SNIFF_BYTES, &head);
    if (el_cwl_sniff(head)) {
        enum el_err erc = process_envelopes(r, in, rd);
        el_progress_file_done(&r->progress, in->size);
        el_reader_close(rd);
        return erc;
    }

    const struct el_parser_ops *ops = choose_parser(r, rd);
    struct el_parser *ps = ops ? parser_state(r, ops) : NULL;
    if (ops && !ps) {
        el_reader_close(rd);
        return EL_ERR_NOMEM;
    }

    struct el_record rec;
    struct el_diag diag;
    struct el_str line;
    uint64_t unknown_lines = 0;
    enum el_err out_rc = EL_OK;
    for (;;) {
        rc = el_reader_next(rd, &line);
        if (rc == EL_DONE)
            break;
        r->lines++;
        uint64_t ln = el_reader_line_no(rd);
        if (EL_UNLIKELY((r->lines & (PROGRESS_EVERY - 1)) == 0))
            el_progress_update(&r->progress, el_reader_in_bytes(rd));
        if (EL_UNLIKELY(rc != EL_OK)) {
            if (rc == EL_ERR_TOO_LONG) {
                not_a_record(r, name, ln, R_TOO_LONG, true, (struct el_str){ 0 });
                continue;
            }
            r->lines--; /* an error is not a line */
            if (rc == EL_ERR_NOMEM) {
                el_reader_close(rd);
                return rc;
            }
            file_error(r, in->path, el_reader_error(rd));
            r->files_failed++;
            break;
        }
        if (EL_UNLIKELY(line.n == 0)) {
            not_a_record(r, name, ln, R_BLANK, false, line);
            continue;
        }
        if (EL_UNLIKELY(!ps)) {
            unknown_lines++;
            not_a_record(r, name, ln, R_UNKNOWN_FORMAT, true, line);
            continue;
        }
        diag = (struct el_diag){ 0 };
        rc = ops->parse(ps, line.p, line.n, &rec, &diag);
        rc = EL_LIKELY(rc == EL_OK) ? emit(r, &rec)
                                    : take(r, ops, ps, rc, &rec, &diag, name, ln, line);
        if (EL_UNLIKELY(rc != EL_OK)) {
            out_rc = rc;
            break;
        }
    }
    if (unknown_lines) {
        char msg[96];
        snprintf(msg, sizeof(msg), "not a recognised log format; %llu lines rejected",
                 (unsigned long long)unknown_lines);
        el_progress_clear(&r->progress);
        fprintf(stderr, "edgelog: %s: %s\n", name, msg);
    }
    el_progress_file_done(&r->progress, in->size);
    el_reader_close(rd);
    return out_rc;
}

static void print_accounting(const struct run *r)
{
    fprintf(stderr, "edgelog: %llu files", (unsigned long long)r->files);
    if (r->files_marker)
        fprintf(stderr, " (+%llu skipped: not logs)", (unsigned long long)r->files_marker);
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

/* ---- output files ---------------------------------------------------------
 * A report given with -o is written to a temporary file in the same folder
 * and renamed over the target only when complete, so a failed run never
 * leaves a half-written report where the previous one was. Targets that are
 * not regular files (/dev/null, a FIFO) are written directly. */
struct outfile {
    FILE *f;
    char *tmp; /* NULL when written directly */
    const char *path;
};

static int outfile_open(struct outfile *of, const char *path)
{
    struct stat st;
    *of = (struct outfile){ .path = path };
    if (!path) {
        of->f = stdout;
        return 0;
    }
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        if (S_ISDIR(st.st_mode)) {
            errno = EISDIR;
            return -1;
        }
        of->f = fopen(path, "w");
        return of->f ? 0 : -1;
    }
    size_t n = strlen(path);
    of->tmp = malloc(n + 16);
    if (!of->tmp)
        return -1;
    memcpy(of->tmp, path, n);
    memcpy(of->tmp + n, ".tmp.XXXXXX", 12);
    int fd = mkstemp(of->tmp);
    if (fd < 0) {
        free(of->tmp);
        of->tmp = NULL;
        return -1;
    }
    fchmod(fd, 0644);
    of->f = fdopen(fd, "w");
    if (!of->f) {
        close(fd);
        unlink(of->tmp);
        free(of->tmp);
        of->tmp = NULL;
        return -1;
    }
    return 0;
}

/* Closes and commits (ok) or discards the output. Returns 0 on success. */
static int outfile_close(struct outfile *of, bool ok)
{
    int rc = 0;
    if (!of->f)
        return 0;
    if (of->f == stdout) {
        if (fflush(stdout) != 0 || ferror(stdout))
            rc = -1;
        return rc;
    }
    if (fclose(of->f) != 0)
        rc = -1;
    of->f = NULL;
    if (of->tmp) {
        if (ok && rc == 0 && rename(of->tmp, of->path) != 0)
            rc = -1;
        if (!ok || rc != 0)
            unlink(of->tmp);
        free(of->tmp);
        of->tmp = NULL;
    }
    return rc;
}

static const char *infer_format(const struct el_cli *cli)
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

int el_cli_run(const struct el_cli *cli)
{
    if (cli->cmd == EL_CMD_FORMATS)
        return list_formats();

    const char *fmt = infer_format(cli);
    if (cli->cmd == EL_CMD_RECORDS && strcmp(fmt, "table") == 0) {
        fputs("edgelog: --output-format: records are written as csv or jsonl, not table\n",
              stderr);
        return EL_EXIT_USAGE;
    }
    if (cli->cmd == EL_CMD_SUMMARY && strcmp(fmt, "jsonl") == 0)
        fmt = "json";

    static const char *const stdin_path[] = { "-" };
    const char *const *paths = cli->paths;
    size_t npaths = cli->npaths;
    if (npaths == 0) {
        if (isatty(STDIN_FILENO)) {
            fputs("edgelog: no input: give PATHs, '-' for stdin, or pipe logs in\n"
                  "Try 'edgelog --help' for more information.\n",
                  stderr);
            return EL_EXIT_USAGE;
        }
        paths = stdin_path;
        npaths = 1;
    }

    struct run r = { .cli = cli };
    {
        struct timespec now;
        char err[512];
        struct el_filter_opts fo = cli->filter;
        clock_gettime(CLOCK_REALTIME, &now);
        fo.now_us = (int64_t)now.tv_sec * 1000000 + now.tv_nsec / 1000;
        enum el_err frc = el_filter_create(&fo, &r.filter, err, sizeof(err));
        if (frc == EL_ERR_USAGE) {
            fprintf(stderr, "edgelog: %s\nTry 'edgelog --help' for more information.\n", err);
            return EL_EXIT_USAGE;
        }
        if (frc != EL_OK) {
            fputs("edgelog: out of memory\n", stderr);
            return EL_EXIT_FAILURE;
        }
    }
    struct el_input_list inputs = { 0 };
    struct outfile of = { 0 }, rejf = { 0 };
    int exit_code = EL_EXIT_OK;
    enum el_err rc = el_inputs_expand(&inputs, paths, npaths);
    if (rc != EL_OK)
        goto nomem;

    if (outfile_open(&of, cli->output_path) != 0) {
        fprintf(stderr, "edgelog: %s: %s\n", cli->output_path, strerror(errno));
        el_inputs_free(&inputs);
        return EL_EXIT_FAILURE;
    }
    if (cli->rejects_path && outfile_open(&rejf, cli->rejects_path) != 0) {
        fprintf(stderr, "edgelog: %s: %s\n", cli->rejects_path, strerror(errno));
        outfile_close(&of, false);
        el_inputs_free(&inputs);
        return EL_EXIT_FAILURE;
    }
    if (el_out_create(el_output_find(fmt), of.f, &r.out) != EL_OK)
        goto nomem;
    if (rejf.f) {
        static const char *const rcols[] = { "file", "line", "reason", "text" };
        if (el_out_create(&el_output_csv, rejf.f, &r.rejects) != EL_OK ||
            el_out_begin(r.rejects, rcols, 4) != EL_OK)
            goto nomem;
    }
    if (cli->cmd == EL_CMD_SUMMARY) {
        if (el_agg_create(&cli->agg, &r.agg) != EL_OK)
            goto nomem;
    } else if (el_report_records_begin(r.out) != EL_OK) {
        goto io;
    }

    uint64_t total = 0;
    bool known = true;
    for (size_t i = 0; i < inputs.n; i++) {
        if (inputs.v[i].kind == EL_INPUT_FILE && inputs.v[i].size)
            total += inputs.v[i].size;
        else if (inputs.v[i].kind == EL_INPUT_STDIN)
            known = false;
    }
    el_progress_init(&r.progress, !cli->quiet && isatty(STDERR_FILENO), known ? total : 0,
                     inputs.n);

    for (size_t i = 0; i < inputs.n; i++) {
        const struct el_input *in = &inputs.v[i];
        if (in->kind == EL_INPUT_ERROR) {
            file_error(&r, in->path, strerror(in->error));
            r.files++;
            r.files_failed++;
            continue;
        }
        if (in->kind == EL_INPUT_MARKER) {
            r.files_marker++;
            continue;
        }
        rc = process_input(&r, in);
        if (rc == EL_ERR_NOMEM)
            goto nomem;
        if (rc != EL_OK)
            goto io;
    }
    el_progress_clear(&r.progress);

    /* End of all input: multi-line parsers close what is still open. State
     * is kept across files because CloudWatch splits one log stream into
     * numbered parts (000000.gz, 000001.gz) and a request may straddle
     * them. */
    {
        size_t np;
        const struct el_parser_ops *const *all = el_parsers_all(&np);
        for (size_t i = 0; i < np && i < EL_ARRAY_LEN(r.parsers); i++) {
            if (!r.parsers[i] || !all[i]->finish)
                continue;
            all[i]->finish(r.parsers[i]);
            rc = drain(&r, all[i], r.parsers[i]);
            if (rc == EL_ERR_NOMEM)
                goto nomem;
            if (rc != EL_OK)
                goto io;
        }
    }

    if (r.agg && el_report_summary(r.out, r.agg, &cli->report) != EL_OK)
        goto io;
    if (!r.agg && el_out_end(r.out) != EL_OK)
        goto io;
    if (r.rejects && el_out_end(r.rejects) != EL_OK)
        goto io;
    if (outfile_close(&of, true) != 0) {
        fprintf(stderr, "edgelog: %s: %s\n", cli->output_path ? cli->output_path : "(stdout)",
                strerror(errno));
        exit_code = EL_EXIT_FAILURE;
    }
    if (outfile_close(&rejf, true) != 0) {
        fprintf(stderr, "edgelog: %s: %s\n", cli->rejects_path, strerror(errno));
        exit_code = EL_EXIT_FAILURE;
    }
    if (!cli->quiet)
        print_accounting(&r);
    if (!cli->quiet && r.agg && el_agg_other(r.agg))
        fprintf(stderr,
                "edgelog: the group cap (--max-groups %zu) was reached: %llu requests are counted "
                "in the (other) row\n",
                el_agg_max_groups(r.agg), (unsigned long long)el_agg_other(r.agg));
    if (r.failed && exit_code == EL_EXIT_OK)
        exit_code = EL_EXIT_FAILURE;
    if (exit_code == EL_EXIT_OK && cli->have_max_bad && r.lines &&
        (double)r.rejected / (double)r.lines > (double)cli->max_bad_ppm / 1e6) {
        fprintf(stderr, "edgelog: %llu of %llu lines rejected, more than --max-bad-ratio allows\n",
                (unsigned long long)r.rejected, (unsigned long long)r.lines);
        exit_code = EL_EXIT_BAD_RATIO;
    }
    goto out;

nomem:
    el_progress_clear(&r.progress);
    fputs("edgelog: out of memory\n", stderr);
    exit_code = EL_EXIT_FAILURE;
    goto fail;
io:
    el_progress_clear(&r.progress);
    fprintf(stderr, "edgelog: %s: write error: %s\n",
            cli->output_path ? cli->output_path : "(stdout)", strerror(errno));
    exit_code = EL_EXIT_FAILURE;
fail:
    outfile_close(&of, false);
    outfile_close(&rejf, false);
out:
    el_out_destroy(r.out);
    el_out_destroy(r.rejects);
    el_agg_destroy(r.agg);
    el_filter_destroy(r.filter);
    {
        size_t np;
        const struct el_parser_ops *const *all = el_parsers_all(&np);
        for (size_t i = 0; i < np && i < EL_ARRAY_LEN(r.parsers); i++)
            if (r.parsers[i])
                all[i]->destroy(r.parsers[i]);
    }
    el_inputs_free(&inputs);
    return exit_code;
}

/* pipeline.c: one worker's reading of inputs: input -> reader -> parser ->
 * aggregate or record stream, with the accounting that makes sure every
 * input line is a record, part of a multi-line request, a counted "not a
 * request" line of a known kind (NLB, connection log, blank, ...), or a
 * counted rejection (malformed, too long, unrecognised format).
 *
 * A worker owns its parsers, filter and aggregate, so workers on different
 * threads share nothing but the options, progress and stderr (under the
 * shared lock); their results merge exactly (el_worker_merge). A file that
 * cannot be read, or whose gzip data is damaged, is reported as "file:
 * reason"; what was read before the damage still counts.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "cli_int.h"

#define SNIFF_BYTES (64 * 1024)
#define SNIFF_LINES 16
#define PROGRESS_EVERY 8192

static const char R_TOO_LONG[] = "line too long";
static const char R_CUT[] = "line cut short by damaged input";
static const char R_BLANK[] = "blank line";
static const char R_UNKNOWN_FORMAT[] = "unrecognised input format";
static const char R_OTHER[] = "other";

static void count_reason(struct el_worker *w, const char *what, bool rejected)
{
    for (size_t i = 0; i < w->nreasons; i++) {
        if (w->reasons[i].what == what) {
            w->reasons[i].n++;
            return;
        }
    }
    if (w->nreasons < EL_MAX_REASONS) {
        w->reasons[w->nreasons++] = (struct el_reason){ what, 1, rejected };
        return;
    }
    /* Parsers use a handful of static reasons; past the table size the rest
     * is still counted, under one name. */
    count_reason(w, R_OTHER, rejected);
}

static void write_reject(struct el_worker *w, const char *path, uint64_t line_no, const char *what,
                         struct el_str text)
{
    if (!w->sh->rejects)
        return;
    char num[24];
    int n = snprintf(num, sizeof(num), "%llu", (unsigned long long)line_no);
    struct el_cell cells[4] = {
        { EL_CELL_STR, { path, strlen(path) } },
        { EL_CELL_NUM, { num, (size_t)n } },
        { EL_CELL_STR, { what, strlen(what) } },
        { text.n ? EL_CELL_STR : EL_CELL_NULL, text },
    };
    el_out_row(w->sh->rejects, cells);
}

static void not_a_record(struct el_worker *w, const char *path, uint64_t line_no, const char *what,
                         bool rejected, struct el_str text)
{
    count_reason(w, what, rejected);
    if (rejected)
        w->rejected++;
    else
        w->skipped++;
    write_reject(w, path, line_no, what, text);
}

/* Hands one record to the aggregate or the record stream, unless the
 * filters leave it out. */
static enum el_err emit(struct el_worker *w, const struct el_record *rec)
{
    w->records++;
    struct el_record ruled;
    if ((w->routes || w->sh->templates) && rec->route.n) {
        /* a copy, since the parser's record is const to us; --routes rules
         * first, then the API Gateway templates for what they left */
        ruled = *rec;
        bool changed = w->routes && rec->path.n && el_routes_apply(w->routes, &ruled);
        changed |= el_templates_apply(w->sh->templates, &ruled);
        if (changed)
            rec = &ruled;
    }
    if (w->filter && !el_filter_match(w->filter, rec)) {
        w->filtered++;
        return EL_OK;
    }
    if (w->migrate) {
        /* cost: the usage of the record's source (cost.c adds them up) */
        enum el_err rc = el_usage_add(w->usage[(unsigned)rec->src < EL_SRC_COUNT ? rec->src : 0],
                                      rec);
        return rc == EL_OK ? el_migrate_add(w->migrate, rec) : rc;
    }
    if (w->agg)
        return el_agg_add(w->agg, rec);
    return el_report_records_row(w->sh->out, rec);
}

/* Collects the requests a multi-line parser has completed. */
static enum el_err drain(struct el_worker *w, const struct el_parser_ops *ops, struct el_parser *ps)
{
    struct el_record rec;
    struct el_diag diag = { 0 };
    enum el_err rc;
    while ((rc = ops->drain(ps, &rec, &diag)) == EL_OK) {
        w->multi_records++;
        if (rec.flags & EL_REC_INCOMPLETE) {
            w->incomplete++;
            const char *what = diag.what ? diag.what : "never completed";
            size_t k = 0;
            while (k < w->nincomplete_reasons && w->incomplete_reasons[k].what != what)
                k++;
            if (k == w->nincomplete_reasons && k < EL_ARRAY_LEN(w->incomplete_reasons))
                w->incomplete_reasons[w->nincomplete_reasons++] =
                    (struct el_reason){ what, 0, false };
            if (k < w->nincomplete_reasons)
                w->incomplete_reasons[k].n++;
        }
        if ((rc = emit(w, &rec)) != EL_OK)
            return rc;
        diag = (struct el_diag){ 0 };
    }
    return rc == EL_DONE ? EL_OK : rc;
}

/* Accounts for one parse result: a record is emitted, a line that joined a
 * multi-line request counted, anything else counted by its reason; then
 * whatever a multi-line parser completed is collected. Returns EL_OK, or
 * the error that must end the run (NOMEM, or the output failing). */
static enum el_err take(struct el_worker *w, const struct el_parser_ops *ops, struct el_parser *ps,
                        enum el_err rc, const struct el_record *rec, const struct el_diag *diag,
                        const char *name, uint64_t line_no, struct el_str text)
{
    if (rc == EL_OK)
        return emit(w, rec);
    if (rc == EL_ERR_NOMEM)
        return rc;
    if (rc == EL_PENDING)
        w->request_lines++;
    else
        not_a_record(w, name, line_no, diag->what ? diag->what : el_strerror(rc),
                     rc != EL_SKIP, text);
    return ops->drain ? drain(w, ops, ps) : EL_OK;
}


static void progress(struct el_worker *w, uint64_t cur_file_bytes)
{
    if (!w->sh->progress.on)
        return;
    pthread_mutex_lock(&w->sh->lock);
    el_progress_update(&w->sh->progress, cur_file_bytes);
    pthread_mutex_unlock(&w->sh->lock);
}

static void file_done(struct el_worker *w, uint64_t bytes)
{
    pthread_mutex_lock(&w->sh->lock);
    el_progress_file_done(&w->sh->progress, bytes);
    pthread_mutex_unlock(&w->sh->lock);
}

static const struct el_parser_ops *choose_parser(const struct el_cli *cli, struct el_reader *rd)
{
    if (cli->input_format)
        return el_parser_find(cli->input_format);
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

static struct el_parser *parser_state(struct el_worker *w, const struct el_parser_ops *ops)
{
    size_t n;
    const struct el_parser_ops *const *all = el_parsers_all(&n);
    for (size_t i = 0; i < n && i < EL_ARRAY_LEN(w->parsers); i++) {
        if (all[i] != ops)
            continue;
        if (!w->parsers[i] && ops->create(&w->parsers[i]) != EL_OK)
            return NULL;
        return w->parsers[i];
    }
    return NULL;
}

static void file_error(struct el_worker *w, const char *path, const char *msg)
{
    if (w->sh->silent) {
        w->failed = true;
        return;
    }
    pthread_mutex_lock(&w->sh->lock);
    el_progress_clear(&w->sh->progress);
    fprintf(stderr, "edgelog: %s: %s\n", strcmp(path, "-") == 0 ? "(stdin)" : path, msg);
    pthread_mutex_unlock(&w->sh->lock);
    w->failed = true;
}

/* Bytes after the last gzip member that start no member are not lines, so
 * no rejection counts them: they are named here and end the run with exit
 * 1, as any input that could not be read in full. Zero padding is not
 * reported (el_reader_trailing). */
static void trailing_report(struct el_worker *w, const char *path, const struct el_reader *rd)
{
    uint64_t n = el_reader_trailing(rd);
    if (!n)
        return;
    char msg[112];
    snprintf(msg, sizeof(msg), "%llu byte%s after the last gzip member %s not gzip data: not read",
             (unsigned long long)n, n == 1 ? "" : "s", n == 1 ? "is" : "are");
    file_error(w, path, msg);
}

/* The end of one input, however it was read: what follows its gzip data is
 * reported, progress counts it whole, and the reader is closed. */
static void file_end(struct el_worker *w, const struct el_input *in, struct el_reader *rd)
{
    trailing_report(w, in->path, rd);
    file_done(w, in->size);
    el_reader_close(rd);
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

static const struct el_parser_ops *parser_for_event(struct el_worker *w, struct event_route *er,
                                                    const struct el_event *ev)
{
    if (w->sh->cli->input_format)
        return el_parser_find(w->sh->cli->input_format);
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
static enum el_err process_envelopes(struct el_worker *w, const struct el_input *in,
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
            file_error(w, in->path, el_reader_error(rd));
            w->files_failed++;
            break;
        }
        w->lines++;
        n++;
        if (EL_UNLIKELY((w->lines & (PROGRESS_EVERY - 1)) == 0))
            progress(w, el_reader_in_bytes(rd));
        if (rc != EL_OK) {
            not_a_record(w, name, n, diag.what, rc != EL_SKIP, (struct el_str){ 0 });
            continue;
        }
        const struct el_parser_ops *ops = parser_for_event(w, &er, &ev);
        struct el_parser *ps = ops ? parser_state(w, ops) : NULL;
        if (ops && !ps) {
            out_rc = EL_ERR_NOMEM;
            break;
        }
        if (!ps) {
            not_a_record(w, name, n, R_UNKNOWN_FORMAT, true, ev.message);
            continue;
        }
        diag = (struct el_diag){ 0 };
        rc = ops->parse_event ? ops->parse_event(ps, &ev, &rec, &diag)
                              : ops->parse(ps, ev.message.p, ev.message.n, &rec, &diag);
        rc = take(w, ops, ps, rc, &rec, &diag, name, n, ev.message);
        if (rc != EL_OK) {
            out_rc = rc;
            break;
        }
    }
    el_cwl_destroy(cwl);
    return out_rc;
}

/* One line as the reader gave it (rc EL_OK, EL_ERR_TOO_LONG or
 * EL_ERR_PARSE for the line damage cut short): parsed and emitted, or
 * counted. ps NULL: the input's format is unknown (counted in *unknown).
 * Returns EL_OK, or the error that must end the run. */
static inline enum el_err line_in(struct el_worker *w, const struct el_parser_ops *ops,
                                  struct el_parser *ps, enum el_err rc, struct el_str line,
                                  const char *name, uint64_t ln, uint64_t *unknown)
{
    if (EL_UNLIKELY(rc != EL_OK)) {
        if (rc == EL_ERR_TOO_LONG)
            not_a_record(w, name, ln, R_TOO_LONG, true, (struct el_str){ 0 });
        else
            not_a_record(w, name, ln, R_CUT, true, line);
        return EL_OK;
    }
    if (EL_UNLIKELY(line.n == 0)) {
        not_a_record(w, name, ln, R_BLANK, false, line);
        return EL_OK;
    }
    if (EL_UNLIKELY(!ps)) {
        (*unknown)++;
        not_a_record(w, name, ln, R_UNKNOWN_FORMAT, true, line);
        return EL_OK;
    }
    struct el_record rec;
    struct el_diag diag = { 0 };
    rc = ops->parse(ps, line.p, line.n, &rec, &diag);
    return EL_LIKELY(rc == EL_OK) ? emit(w, &rec)
                                  : take(w, ops, ps, rc, &rec, &diag, name, ln, line);
}

/* ---- one input parsed by several workers --------------------------------
 * The owner publishes the input as a stream of blocks of whole lines; idle
 * workers join, each parsing whole blocks with its own parser state and
 * aggregate. Only single-line formats qualify: a line's meaning does not
 * depend on its neighbours, so the merged result is the one-thread result.
 * The owner retires the stream only when every helper has left it, so the
 * reader outlives all its takers; the stream's error goes to one taker. */

static void publish(struct el_par *par, struct el_stream *st)
{
    pthread_mutex_lock(&par->mu);
    st->next = par->streams;
    par->streams = st;
    pthread_cond_broadcast(&par->cv);
    pthread_mutex_unlock(&par->mu);
}

static void retire(struct el_par *par, struct el_stream *st)
{
    pthread_mutex_lock(&par->mu);
    st->drained = true;
    st->users--;
    while (st->users > 0)
        pthread_cond_wait(&par->cv, &par->mu);
    struct el_stream **pp = &par->streams;
    while (*pp != st)
        pp = &(*pp)->next;
    *pp = st->next;
    pthread_mutex_unlock(&par->mu);
}

/* Takes and parses blocks of st until its end (or a fatal error anywhere).
 * Returns EL_OK, or the error that must end the run. */
static enum el_err read_stream(struct el_worker *w, struct el_stream *st)
{
    struct el_par *par = w->sh->par;
    const char *name = strcmp(st->path, "-") == 0 ? "(stdin)" : st->path;
    struct el_parser *ps = parser_state(w, st->ops);
    if (!ps)
        return EL_ERR_NOMEM;
    uint64_t unknown = 0;
    for (;;) {
        if (atomic_load_explicit(&par->abort_rc, memory_order_relaxed) != EL_OK)
            return EL_OK; /* another worker's error ends the run */
        struct el_block b;
        enum el_err rc = el_reader_take(st->rd, &b);
        if (rc != EL_OK) {
            pthread_mutex_lock(&par->mu);
            st->drained = true;
            pthread_mutex_unlock(&par->mu);
            if (rc == EL_DONE)
                return EL_OK;
            if (rc == EL_ERR_NOMEM)
                return rc;
            file_error(w, st->path, el_reader_error(st->rd));
            w->files_failed++;
            return EL_OK;
        }
        struct el_str line;
        enum el_err lr;
        while ((lr = el_block_next(&b, &line)) != EL_DONE) {
            w->lines++;
            if (EL_UNLIKELY((w->lines & (PROGRESS_EVERY - 1)) == 0))
                progress(w, el_reader_in_bytes(st->rd));
            if (EL_UNLIKELY((rc = line_in(w, st->ops, ps, lr, line, name, 0, &unknown)) !=
                            EL_OK))
                break;
        }
        el_reader_give_back(st->rd, &b);
        if (rc != EL_OK)
            return rc;
    }
}

enum el_err el_worker_help(struct el_worker *w)
{
    struct el_par *par = w->sh->par;
    for (;;) {
        struct el_stream *st = NULL;
        pthread_mutex_lock(&par->mu);
        while (atomic_load(&par->abort_rc) == EL_OK) {
            for (struct el_stream *s = par->streams; s; s = s->next)
                if (!s->drained && (!st || s->users < st->users))
                    st = s;
            if (st || (par->next_unit >= par->nunits && par->owners == 0))
                break;
            pthread_cond_wait(&par->cv, &par->mu);
        }
        if (st)
            st->users++;
        pthread_mutex_unlock(&par->mu);
        if (!st)
            return EL_OK;
        enum el_err rc = read_stream(w, st);
        pthread_mutex_lock(&par->mu);
        st->users--;
        pthread_cond_broadcast(&par->cv);
        pthread_mutex_unlock(&par->mu);
        if (rc != EL_OK)
            return rc;
    }
}

/* Returns EL_ERR_NOMEM or EL_ERR_IO (output) to abort the run; per-file
 * problems are reported and counted here and return EL_OK. */
static enum el_err process_file(struct el_worker *w, const struct el_input *in)
{
    const char *name = in->kind == EL_INPUT_STDIN ? "(stdin)" : in->path;
    struct el_reader_opts ropts = { .max_line = w->sh->cli->max_line,
                                    .threaded = w->sh->threaded_readers,
                                    .inflate = w->sh->cli->inflate };
    struct el_reader *rd;
    enum el_err rc = el_reader_open(in->path, &ropts, &rd);
    if (rc == EL_ERR_NOMEM)
        return rc;
    w->files++;
    if (rc != EL_OK) {
        file_error(w, in->path, strerror(errno));
        w->files_failed++;
        return EL_OK;
    }

    struct el_str head;
    el_reader_peek(rd, SNIFF_BYTES, &head);
    if (el_cwl_sniff(head)) {
        enum el_err erc = process_envelopes(w, in, rd);
        file_end(w, in, rd);
        return erc;
    }

    const struct el_parser_ops *ops = choose_parser(w->sh->cli, rd);
    struct el_parser *ps = ops ? parser_state(w, ops) : NULL;
    if (ops && !ps) {
        el_reader_close(rd);
        return EL_ERR_NOMEM;
    }

    struct el_par *par = w->sh->par;
    if (ps && !ops->drain && par && par->blocks && el_reader_start_blocks(rd) == EL_OK) {
        struct el_stream st = { .rd = rd, .ops = ops, .path = in->path, .users = 1 };
        publish(par, &st);
        enum el_err src = read_stream(w, &st);
        if (src != EL_OK)
            el_par_abort(par, src); /* before waiting for the helpers: they stop too */
        retire(par, &st);
        file_end(w, in, rd);
        return src;
    }

    struct el_str line;
    uint64_t unknown_lines = 0;
    enum el_err out_rc = EL_OK;
    for (;;) {
        rc = el_reader_next(rd, &line);
        if (rc == EL_DONE)
            break;
        if (EL_UNLIKELY(rc != EL_OK && rc != EL_ERR_TOO_LONG && rc != EL_ERR_PARSE)) {
            if (rc == EL_ERR_NOMEM) {
                el_reader_close(rd);
                return rc;
            }
            file_error(w, in->path, el_reader_error(rd));
            w->files_failed++;
            break;
        }
        w->lines++;
        if (EL_UNLIKELY((w->lines & (PROGRESS_EVERY - 1)) == 0))
            progress(w, el_reader_in_bytes(rd));
        rc = line_in(w, ops, ps, rc, line, name, el_reader_line_no(rd), &unknown_lines);
        if (EL_UNLIKELY(rc != EL_OK)) {
            out_rc = rc;
            break;
        }
    }
    if (unknown_lines) {
        char msg[96];
        snprintf(msg, sizeof(msg), "not a recognised log format; %llu lines rejected",
                 (unsigned long long)unknown_lines);
        pthread_mutex_lock(&w->sh->lock);
        el_progress_clear(&w->sh->progress);
        fprintf(stderr, "edgelog: %s: %s\n", name, msg);
        pthread_mutex_unlock(&w->sh->lock);
    }
    file_end(w, in, rd);
    return out_rc;
}


enum el_err el_worker_process(struct el_worker *w, const struct el_input *in)
{
    if (in->kind == EL_INPUT_ERROR) {
        file_error(w, in->path, strerror(in->error));
        w->files++;
        w->files_failed++;
        return EL_OK;
    }
    if (in->kind == EL_INPUT_MARKER) {
        w->files_marker++;
        return EL_OK;
    }
    if (in->kind == EL_INPUT_SAME) {
        w->files_same++;
        return EL_OK;
    }
    return process_file(w, in);
}

enum el_err el_worker_init(struct el_worker *w, struct el_shared *sh, char *err, size_t errlen)
{
    *w = (struct el_worker){ .sh = sh };
    struct el_filter_opts fo = sh->cli->filter;
    fo.now_us = sh->now_us;
    enum el_err rc = el_filter_create(&fo, &w->filter, err, errlen);
    if (rc != EL_OK)
        return rc;
    if (sh->routes_text &&
        (rc = el_routes_create(sh->routes_text, sh->routes_len, &w->routes, err, errlen)) !=
            EL_OK) {
        el_filter_destroy(w->filter);
        w->filter = NULL;
        return rc;
    }
    bool aggregate = sh->cli->cmd == EL_CMD_SUMMARY || sh->cli->cmd == EL_CMD_TIMELINE;
    struct el_usage_opts uo = { .idle_timeout_us = (int64_t)sh->cli->idle_timeout_s * 1000000 };
    bool cost_ok = true;
    if (sh->cli->cmd == EL_CMD_COST) {
        cost_ok = el_migrate_create(sh->cli->agg.max_groups, &w->migrate) == EL_OK;
        for (size_t i = 0; i < EL_SRC_COUNT && cost_ok; i++)
            cost_ok = el_usage_create(&uo, &w->usage[i]) == EL_OK;
    }
    if (!cost_ok || (aggregate && el_agg_create(&sh->cli->agg, &w->agg) != EL_OK)) {
        for (size_t i = 0; i < EL_SRC_COUNT; i++) {
            el_usage_destroy(w->usage[i]);
            w->usage[i] = NULL;
        }
        el_migrate_destroy(w->migrate);
        el_filter_destroy(w->filter);
        el_routes_destroy(w->routes);
        w->migrate = NULL;
        w->filter = NULL;
        w->routes = NULL;
        return EL_ERR_NOMEM;
    }
    return EL_OK;
}

void el_worker_fini(struct el_worker *w)
{
    el_agg_destroy(w->agg);
    for (size_t i = 0; i < EL_SRC_COUNT; i++)
        el_usage_destroy(w->usage[i]);
    el_migrate_destroy(w->migrate);
    el_filter_destroy(w->filter);
    el_routes_destroy(w->routes);
    size_t np;
    const struct el_parser_ops *const *all = el_parsers_all(&np);
    for (size_t i = 0; i < np && i < EL_ARRAY_LEN(w->parsers); i++)
        if (w->parsers[i])
            all[i]->destroy(w->parsers[i]);
    *w = (struct el_worker){ 0 };
}

/* End of the worker's inputs: multi-line parsers close what is still open.
 * Their state is kept across files until here because CloudWatch splits one
 * log stream into numbered parts (000000.gz, 000001.gz) and a request may
 * straddle them; run.c gives all such files to one worker, in order. */
enum el_err el_worker_finish(struct el_worker *w)
{
    size_t np;
    const struct el_parser_ops *const *all = el_parsers_all(&np);
    for (size_t i = 0; i < np && i < EL_ARRAY_LEN(w->parsers); i++) {
        if (!w->parsers[i] || !all[i]->finish)
            continue;
        all[i]->finish(w->parsers[i]);
        enum el_err rc = drain(w, all[i], w->parsers[i]);
        if (rc != EL_OK)
            return rc;
    }
    return EL_OK;
}

static void merge_reasons(struct el_reason *dst, size_t *ndst, size_t cap,
                          const struct el_reason *src, size_t nsrc)
{
    for (size_t i = 0; i < nsrc; i++) {
        size_t k = 0;
        while (k < *ndst && dst[k].what != src[i].what)
            k++;
        if (k == *ndst) {
            if (*ndst == cap)
                continue; /* cannot happen: both sides hold the same static reasons */
            dst[(*ndst)++] = (struct el_reason){ src[i].what, 0, src[i].rejected };
        }
        dst[k].n += src[i].n;
    }
}

enum el_err el_worker_merge(struct el_worker *dst, const struct el_worker *src)
{
    if (dst->agg && src->agg) {
        enum el_err rc = el_agg_merge(dst->agg, src->agg);
        if (rc != EL_OK)
            return rc;
    }
    if (dst->migrate && src->migrate) {
        enum el_err rc = el_migrate_merge(dst->migrate, src->migrate);
        for (size_t i = 0; i < EL_SRC_COUNT && rc == EL_OK; i++)
            rc = el_usage_merge(dst->usage[i], src->usage[i]);
        if (rc != EL_OK)
            return rc;
    }
    merge_reasons(dst->reasons, &dst->nreasons, EL_ARRAY_LEN(dst->reasons), src->reasons,
                  src->nreasons);
    merge_reasons(dst->incomplete_reasons, &dst->nincomplete_reasons,
                  EL_ARRAY_LEN(dst->incomplete_reasons), src->incomplete_reasons,
                  src->nincomplete_reasons);
    dst->files += src->files;
    dst->files_marker += src->files_marker;
    dst->files_same += src->files_same;
    dst->files_failed += src->files_failed;
    dst->lines += src->lines;
    dst->records += src->records;
    dst->skipped += src->skipped;
    dst->rejected += src->rejected;
    dst->filtered += src->filtered;
    dst->request_lines += src->request_lines;
    dst->multi_records += src->multi_records;
    dst->incomplete += src->incomplete;
    dst->failed |= src->failed;
    return EL_OK;
}

/* What an input is, by a look at its first bytes (one small inflate):
 * CloudWatch envelopes, or the parser its lines call for (NULL: none).
 * false when it cannot be opened; the worker will report that. */
static bool sniff_input(const struct el_cli *cli, const struct el_input *in, bool *envelopes,
                        const struct el_parser_ops **ops)
{
    struct el_reader *rd;
    struct el_reader_opts ropts = { .inflate = cli->inflate };
    if (in->kind != EL_INPUT_FILE || el_reader_open(in->path, &ropts, &rd) != EL_OK)
        return false;
    struct el_str head;
    el_reader_peek(rd, SNIFF_BYTES, &head);
    *envelopes = el_cwl_sniff(head);
    *ops = *envelopes ? NULL : choose_parser(cli, rd);
    el_reader_close(rd);
    return true;
}

bool el_input_is_apigw(const struct el_cli *cli, const struct el_input *in)
{
    bool env;
    const struct el_parser_ops *ops;
    if (in->kind != EL_INPUT_FILE)
        return false;
    if (cli->input_format)
        return strncmp(cli->input_format, "apigw", 5) == 0;
    return sniff_input(cli, in, &env, &ops) &&
           (env || (ops && strncmp(ops->name, "apigw", 5) == 0));
}

/* Multi-line inputs (execution logs, CloudWatch envelopes) must be read in
 * order by one worker; so must stdin, which cannot be peeked and reopened.
 * Peeking costs one small inflate per file. */
bool el_input_is_sequential(const struct el_cli *cli, const struct el_input *in)
{
    bool env;
    const struct el_parser_ops *ops;
    if (in->kind == EL_INPUT_STDIN)
        return true;
    if (in->kind != EL_INPUT_FILE)
        return false;
    if (cli->input_format) {
        ops = el_parser_find(cli->input_format);
        return ops && ops->drain;
    }
    return sniff_input(cli, in, &env, &ops) && (env || (ops && ops->drain));
}

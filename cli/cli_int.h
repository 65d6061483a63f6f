/* cli_int.h: shared by the files of cli/, the only module that knows argv,
 * stdout, stderr and exit codes. */
#ifndef EL_CLI_INT_H
#define EL_CLI_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

#include "ingest.h"
#include "output.h"
#include "cost.h"

/* Whole files read by edgelog: a state for merge, a --routes file. */
#define EL_MAX_STATE_BYTES ((size_t)1 << 30)
#define EL_MAX_ROUTES_BYTES ((size_t)16 << 20)

/* Exit codes (docs/OUTPUTS.md). */
enum el_exit {
    EL_EXIT_OK = 0,
    EL_EXIT_FAILURE = 1,  /* an input could not be read or was corrupt */
    EL_EXIT_USAGE = 2,
    EL_EXIT_BAD_RATIO = 3, /* finished, but too many lines were rejected */
};

enum el_cmd {
    EL_CMD_NONE,
    EL_CMD_SUMMARY,
    EL_CMD_RECORDS,
    EL_CMD_FORMATS,
    EL_CMD_MERGE,
    EL_CMD_TIMELINE,
    EL_CMD_COST,
    EL_CMD_COMPARE,
};

struct el_cli {
    enum el_cmd cmd;
    const char *output_path;  /* -o, NULL = stdout */
    const char *output_format; /* NULL = infer */
    const char *input_format;  /* NULL or "auto" = sniff */
    const char *rejects_path;
    const char *state_out; /* summary --state-out: write the aggregate state */
    const char *routes_path; /* --routes FILE */
    bool quiet;
    bool csv_raw; /* --csv-raw: no CSV-injection guard */
    bool have_max_bad;
    int64_t max_bad_ppm; /* --max-bad-ratio in parts per million */
    size_t max_line;
    unsigned threads; /* --threads; 0 = the number of cores */
    enum el_inflate inflate; /* --inflate */
    struct el_agg_opts agg;     /* --by, --max-groups */
    struct el_report_opts report; /* --percentiles */
    struct el_filter_opts filter; /* --since ... --route */
    const char *const *paths; /* compare: the baseline's */
    size_t npaths;
    const char *const *cand_paths; /* compare: the candidate's (after "--") */
    size_t ncand_paths;
    /* cost */
    const char *region;       /* --region; NULL = us-east-1 */
    const char *pricing_path; /* --pricing FILE */
    uint64_t alb_rules;       /* --alb-rules: rules evaluated per request */
    unsigned idle_timeout_s;  /* --alb-idle-timeout; 0 = 60 */
    double scale;             /* --scale; 0 = 1 */
};

/* Parses argv into cli. Returns EL_EXIT_OK to go on, or the exit code to end
 * with (after --help/--version: 0, after a usage error: 2, message printed). */
int el_cli_parse(int argc, char **argv, struct el_cli *cli, bool *done);

/* Runs the command; returns the exit code. */
int el_cli_run(const struct el_cli *cli);

/* edgelog cost PATH...: prices the traffic on ALB, REST API and HTTP API
 * (cost.c). */
int el_cli_cost(const struct el_cli *cli);

/* edgelog compare BASELINE... -- CANDIDATE...: the routes of both sides
 * side by side (compare.c). */
int el_cli_compare(const struct el_cli *cli);

/* edgelog merge STATE...: folds aggregate states into one report. */
int el_cli_merge(const struct el_cli *cli);

/* Puts ALB routes on API Gateway's templates (see el_agg_align_routes);
 * 0, or 1 after an out-of-memory message. */
int el_cli_align(const struct el_cli *cli, struct el_agg **agg);

/* Writes the summary report of agg to the output the options name; returns
 * an exit code (0, or 1 with a message). Shared by summary and merge. */
int el_cli_write_summary(const struct el_cli *cli, const struct el_agg *agg);

/* ---- running a pass over inputs (run.c) ---- */
struct el_shared;
struct el_worker;
struct el_input_list;
/* The encoder for an output format name: el_output_find's, but CSV is
 * el_output_csv_raw under --csv-raw. NULL for an unknown name. */
const struct el_output_ops *el_cli_encoder(const struct el_cli *cli, const char *name);
/* The output format the options and -o's extension ask for. */
const char *el_cli_infer_format(const struct el_cli *cli);
/* The accounting line on stderr (sorts r's reasons). */
void el_cli_print_accounting(struct el_worker *r);
/* The same, "edgelog: LABEL: ..." (compare's "baseline", "candidate"). */
void el_cli_print_accounting_as(struct el_worker *r, const char *label);

/* ---- progress (stderr, terminals only) ---- */
struct el_progress {
    bool on;
    uint64_t total_bytes; /* 0 = unknown */
    uint64_t done_bytes;  /* of finished files */
    size_t files_total, files_done;
    double start, last;
    bool drawn;
};
void el_progress_init(struct el_progress *p, bool on, uint64_t total_bytes, size_t files);
void el_progress_update(struct el_progress *p, uint64_t cur_file_bytes);
void el_progress_file_done(struct el_progress *p, uint64_t file_bytes);
void el_progress_clear(struct el_progress *p);

/* ---- output files (outfile.c) ---- */
struct el_outfile {
    FILE *f;
    char *tmp; /* NULL when written directly */
    const char *path;
};
/* path NULL or "-" = stdout. Returns 0, or -1 with errno set. */
int el_outfile_open(struct el_outfile *of, const char *path);
/* Closes; commits (fsync, then renames into place) when ok, else discards.
 * 0 on success, -1 with errno set. */
int el_outfile_close(struct el_outfile *of, bool ok);
/* Ends a run that cannot finish: clears the progress line, says why (rc
 * EL_ERR_NOMEM: out of memory; otherwise a write error, naming the
 * --rejects file when its stream failed, else the report's -o FILE or
 * "(stdout)", with errno's text) and discards both outputs. Returns
 * EL_EXIT_FAILURE, the run's exit code. */
int el_cli_abandon_outputs(const struct el_cli *cli, struct el_progress *progress,
                           struct el_outfile *of, struct el_outfile *rejf, enum el_err rc);
/* Installs the handler that removes the temporary files of open outputs
 * when SIGINT, SIGTERM, SIGHUP or SIGPIPE ends the run, then lets the
 * signal end it as it would have (a broken pipe: quietly, status 141). */
void el_outfile_on_signals(void);

/* Reads a whole file (or stdin for "-") of at most max bytes into a new
 * buffer (free with el_free). EL_ERR_IO or EL_ERR_PARSE (too large) with a
 * message in err; EL_ERR_NOMEM. */
enum el_err el_read_file(const char *path, size_t max, char **buf, size_t *len, char *err,
                         size_t errlen);

/* ---- workers (pipeline.c) ---- */
#define EL_MAX_REASONS 64

struct el_reason {
    const char *what; /* static string; reasons are told apart by pointer */
    uint64_t n;
    bool rejected;
};

/* One input read as blocks of whole lines by several workers at once: the
 * worker that opened it (its owner) and any idle ones. Lives on the
 * owner's stack, listed in el_par while others may join. */
struct el_stream {
    struct el_reader *rd;
    const struct el_parser_ops *ops;
    const char *path;  /* for messages */
    unsigned users;    /* workers taking its blocks, the owner included */
    bool drained;      /* a taker met its end: nobody joins any more */
    struct el_stream *next;
};

/* How the workers of a pass share out the work. Units (run.c) are taken
 * in turn; when there are fewer inputs than workers (one big .gz, stdin),
 * the owners of single-line-format inputs publish them as streams and the
 * workers without a unit parse blocks of them (el_worker_help). */
struct el_par {
    pthread_mutex_t mu;
    pthread_cond_t cv; /* a stream was published, or an owner finished */
    size_t next_unit, nunits;
    unsigned owners;          /* workers still reading a unit of their own */
    struct el_stream *streams; /* published, not yet retired */
    bool blocks;               /* read inputs as streams of blocks */
    atomic_int abort_rc;       /* first fatal error (NOMEM, output), EL_OK if none */
};

/* What the workers of a run share: options, the record and rejects streams
 * (only ever used with a single worker), the progress line and stderr,
 * both under lock. */
struct el_shared {
    const struct el_cli *cli;
    int64_t now_us; /* for relative --since/--until */
    struct el_out *out;
    struct el_out *rejects;
    struct el_progress progress;
    pthread_mutex_t lock;
    bool threaded_readers; /* one worker on a multi-core run: inflate on a second thread */
    struct el_par *par;    /* the pass's work sharing (set by el_cli_pass) */
    char *routes_text; /* --routes file content, read once (owned) */
    size_t routes_len;
    const struct el_templates *templates; /* records: API Gateway templates for ALB paths */
    bool silent; /* a pre-pass: report no file errors (the real pass will) */
};

/* One thread's pipeline: its own parsers, filter and aggregate, and the
 * counters the accounting line is made of. */
struct el_worker {
    struct el_shared *sh;
    struct el_agg *agg;     /* summary, timeline */
    struct el_usage *usage[EL_SRC_COUNT]; /* cost: the usage of each source's records */
    struct el_migrate *migrate;           /* cost (set: this is a cost worker) */
    struct el_filter *filter;
    struct el_routes *routes; /* --routes; NULL without */
    struct el_parser *parsers[8];
    struct el_reason reasons[EL_MAX_REASONS];
    size_t nreasons;
    uint64_t files, files_marker, files_same, files_failed;
    uint64_t lines, records, skipped, rejected;
    uint64_t filtered;      /* records the filters left out (counted in records) */
    uint64_t request_lines; /* lines taken into multi-line requests */
    uint64_t multi_records; /* records built from multi-line requests */
    uint64_t incomplete;    /* of those, requests that never completed */
    struct el_reason incomplete_reasons[4];
    size_t nincomplete_reasons;
    bool failed; /* an input could not be read */
};

/* EL_ERR_USAGE (bad filter option, message in err) or EL_ERR_NOMEM. */
enum el_err el_worker_init(struct el_worker *w, struct el_shared *sh, char *err, size_t errlen);
void el_worker_fini(struct el_worker *w);
/* Reads one input. Per-file problems are reported and counted; the return
 * is EL_ERR_NOMEM or EL_ERR_IO (the output failed) to end the run. */
enum el_err el_worker_process(struct el_worker *w, const struct el_input *in);
/* Once the units are all taken: parses blocks of the streams other workers
 * publish, until none is left and no owner is still reading. Same returns
 * as el_worker_process. */
enum el_err el_worker_help(struct el_worker *w);
/* Records a fatal error of the pass (the first one wins); workers stop. */
void el_par_abort(struct el_par *par, enum el_err rc);
/* Closes multi-line requests still open at the end of the worker's inputs. */
enum el_err el_worker_finish(struct el_worker *w);
/* Adds src's counts and aggregate to dst; exact. */
enum el_err el_worker_merge(struct el_worker *dst, const struct el_worker *src);
/* One pass of a run (run.c): reads the inputs on the threads the options
 * allow and merges the workers into (*workers)[0]; free them with
 * el_cli_workers_free, also after an error. EL_ERR_NOMEM, or EL_ERR_IO
 * when an output failed. */
enum el_err el_cli_pass(struct el_shared *sh, const struct el_input_list *inputs,
                        struct el_worker **workers, unsigned *nworkers);
void el_cli_workers_free(struct el_worker *workers, unsigned n);
/* el_inputs_expand, with a note on stderr for each path that is a folder
 * with nothing in it, then el_inputs_mark_same, with a note for each file
 * listed twice. EL_ERR_NOMEM. */
enum el_err el_cli_expand(struct el_input_list *list, const char *const *paths, size_t n);
/* Closes (commits) the report and --rejects outputs of a finished run; 1
 * after a message naming the output that failed, else 0. */
int el_cli_commit_outputs(const struct el_cli *cli, struct el_outfile *of,
                          struct el_outfile *rejf);
/* The exit code of a finished run: code, or 1 when an input failed, or 3
 * (after a message) when more lines were rejected than --max-bad-ratio
 * allows. */
int el_cli_exit_code(const struct el_cli *cli, const struct el_worker *r, int code);
/* The paths to read: the command line's, or stdin when there are none and
 * stdin is not a terminal (false, after a message, when it is). */
bool el_cli_input_paths(const struct el_cli *cli, const char *const **paths, size_t *n);
/* Sets up what a run's workers share: the clock for relative times, the
 * lock, the --routes file; checks the filter options. EL_EXIT_OK, or the
 * exit code after a message (nothing left to free). */
int el_cli_shared_init(const struct el_cli *cli, struct el_shared *sh);
void el_cli_shared_fini(struct el_shared *sh);
/* The progress line for these inputs (off when quiet or not a terminal). */
void el_cli_progress_init(struct el_shared *sh, const struct el_input_list *inputs);
/* The API Gateway templates in the inputs, learned in a quiet first pass
 * over the API Gateway files only (*out NULL when none); not for stdin.
 * only_if_mixed: skip the pass unless other files are there too (then
 * only ALB routes would move, and the pass costs a second read of every
 * API Gateway file). */
enum el_err el_cli_learn_templates(const struct el_cli *cli, const struct el_input_list *in,
                                   bool only_if_mixed, struct el_templates **out);

/* Whether an input must be read in order with the other multi-line inputs
 * (execution logs, CloudWatch envelopes, stdin) rather than on any thread. */
bool el_input_is_sequential(const struct el_cli *cli, const struct el_input *in);
/* Whether an input holds API Gateway logs (by sniffing; envelopes count). */
bool el_input_is_apigw(const struct el_cli *cli, const struct el_input *in);

#endif /* EL_CLI_INT_H */

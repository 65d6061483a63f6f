/* cli_int.h: shared by the files of cli/, the only module that knows argv,
 * stdout, stderr and exit codes. */
#ifndef EL_CLI_INT_H
#define EL_CLI_INT_H

#include <stdio.h>

#include "ingest.h"
#include "output.h"

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
};

struct el_cli {
    enum el_cmd cmd;
    const char *output_path;  /* -o, NULL = stdout */
    const char *output_format; /* NULL = infer */
    const char *input_format;  /* NULL or "auto" = sniff */
    const char *rejects_path;
    bool quiet;
    bool have_max_bad;
    int64_t max_bad_ppm; /* --max-bad-ratio in parts per million */
    size_t max_line;
    struct el_agg_opts agg;     /* --by, --max-groups */
    struct el_report_opts report; /* --percentiles */
    struct el_filter_opts filter; /* --since ... --route */
    const char *const *paths;
    size_t npaths;
};

/* Parses argv into cli. Returns EL_EXIT_OK to go on, or the exit code to end
 * with (after --help/--version: 0, after a usage error: 2, message printed). */
int el_cli_parse(int argc, char **argv, struct el_cli *cli, bool *done);

/* Runs the command; returns the exit code. */
int el_cli_run(const struct el_cli *cli);

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

#endif /* EL_CLI_INT_H */

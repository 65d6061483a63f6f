/* options.c: the command line. One table drives both getopt_long and
 * --help, so the help cannot drift from what is parsed. Values are checked
 * with the same strict scanners the parsers use; a usage error names the
 * option and the bad value and exits 2.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli_int.h"

enum {
    OPT_REJECTS = 256,
    OPT_MAX_BAD,
    OPT_MAX_LINE,
    OPT_BY,
    OPT_MAX_GROUPS,
    OPT_PERCENTILES,
    OPT_SINCE,
    OPT_UNTIL,
    OPT_SOURCE,
    OPT_HOST,
    OPT_METHOD,
    OPT_STATUS,
    OPT_PATH,
    OPT_ROUTE,
    OPT_THREADS,
    OPT_STATE_OUT,
    OPT_BUCKET,
    OPT_ROUTES,
    OPT_REGION,
    OPT_PRICING,
    OPT_ALB_RULES,
    OPT_IDLE_TIMEOUT,
    OPT_SCALE,
    OPT_INFLATE,
    OPT_CSV_RAW,
};

struct el_opt {
    const char *name;
    int key;
    const char *arg; /* placeholder, NULL for flags */
    const char *help;
};

static const struct el_opt opts[] = {
    { "output", 'o', "FILE",
      "write the report to FILE instead of stdout; .csv, .json and .jsonl choose the format" },
    { "output-format", 'f', "FMT",
      "table, csv or json for summary; csv or jsonl for records (default: table on a "
      "terminal, csv otherwise)" },
    { "input-format", 'i', "NAME",
      "auto (default: sniffed per file) or a name from `edgelog formats`" },
    { "rejects", OPT_REJECTS, "FILE",
      "write every line that did not become a record to FILE as CSV (file,line,reason,text)" },
    { "max-bad-ratio", OPT_MAX_BAD, "R",
      "exit 3 when more than this share (0 to 1) of the lines read was rejected" },
    { "by", OPT_BY, "KEYS",
      "group summary rows by these, comma-separated: source, method, route, host, status, "
      "status_class, error_class, target_group, client_ip, and one time bucket: minute, 5m, "
      "hour or day (default source,method,route)" },
    { "max-groups", OPT_MAX_GROUPS, "N",
      "keep at most N groups; records with new keys past that go to one (other) row "
      "(default 10000)" },
    { "percentiles", OPT_PERCENTILES, "LIST",
      "latency percentiles to report, e.g. 50,90,95,99,99.9 (default 50,90,99)" },
    { "since", OPT_SINCE, "TIME",
      "only requests at or after TIME: 2026-03-10T17:30:00Z, 2026-03-10, or relative: 90s, "
      "15m, 24h, 7d ago" },
    { "until", OPT_UNTIL, "TIME", "only requests before TIME (same forms as --since)" },
    { "source", OPT_SOURCE, "LIST", "only these sources, e.g. alb,apigw-rest" },
    { "host", OPT_HOST, "LIST", "only these hosts (case-insensitive)" },
    { "method", OPT_METHOD, "LIST", "only these methods, e.g. GET,POST" },
    { "status", OPT_STATUS, "LIST", "only these statuses: codes and classes, e.g. 5xx,429" },
    { "path", OPT_PATH, "REGEX", "only requests whose path matches this PCRE2 pattern" },
    { "route", OPT_ROUTE, "LIST", "only these route templates, e.g. /orders/{id}" },
    { "threads", OPT_THREADS, "N",
      "read files on N threads (default: the number of cores); the report is the same for "
      "any N. records and --rejects use one" },
    { "bucket", OPT_BUCKET, "WIDTH", "timeline: bucket width, 1m, 5m, 1h or 1d (default 1h)" },
    { "routes", OPT_ROUTES, "FILE",
      "route templates, one a line, first match wins: 'GET /users/{id}', '/health', or "
      "'name ~ REGEX'; other paths keep edgelog's templating" },
    { "region", OPT_REGION, "NAME",
      "cost: the AWS region whose prices apply (default us-east-1; see docs/COST.md)" },
    { "pricing", OPT_PRICING, "FILE",
      "cost: a JSON file of prices that override the region's (docs/COST.md)" },
    { "alb-rules", OPT_ALB_RULES, "N",
      "cost: listener rules ALB evaluates per request; the first 10 are free (default 0)" },
    { "alb-idle-timeout", OPT_IDLE_TIMEOUT, "SECS",
      "cost: ALB idle timeout, how long a connection stays open after its last request "
      "(default 60)" },
    { "scale", OPT_SCALE, "F",
      "cost: price F times the observed traffic, e.g. 2 or 0.5 (default 1)" },
    { "state-out", OPT_STATE_OUT, "FILE",
      "summary: write the aggregate state (docs/STATE.md) to FILE instead of a report, "
      "for edgelog merge" },
    { "max-line", OPT_MAX_LINE, "BYTES",
      "longest line accepted (default 1048576); longer lines are skipped and counted" },
    { "inflate", OPT_INFLATE, "LIB",
      "gzip decoder: auto (ISA-L when this build has it, else zlib), zlib or isal; the "
      "results are the same, only the speed differs (--version lists what is built in)" },
    { "csv-raw", OPT_CSV_RAW, NULL,
      "write CSV cells as they are: by default a text cell starting with = + - @ TAB or CR "
      "(a formula to a spreadsheet; routes and user agents come from clients) gets a "
      "leading ' (docs/OUTPUTS.md)" },
    { "quiet", 'q', NULL, "no progress line and no accounting line on stderr" },
    { "help", 'h', NULL, "show this help and exit" },
    { "version", 'V', NULL, "show the version and exit" },
};

static const struct {
    const char *name;
    enum el_cmd cmd;
    const char *help;
} commands[] = {
    { "summary", EL_CMD_SUMMARY, "one row per (source, method, route): requests, status "
                                 "classes, errors, latency percentiles, bytes" },
    { "records", EL_CMD_RECORDS, "the normalized records, one per request (CSV or JSON Lines)" },
    { "timeline", EL_CMD_TIMELINE, "one row per time bucket (--bucket, and --by key): requests, "
                                   "peak requests/s, statuses, error classes, percentiles, bytes" },
    { "cost", EL_CMD_COST, "what the traffic costs on ALB, REST API and HTTP API (observed and "
                           "per 30-day month), ALB LCUs, break-even, migration risks" },
    { "compare", EL_CMD_COMPARE, "BASELINE... -- CANDIDATE...: the same routes side by side: "
                                 "requests, errors, latency, overhead, differences" },
    { "merge", EL_CMD_MERGE, "fold state files written by summary --state-out (or '-' for "
                             "stdin) into the report one run over all their inputs would give" },
    { "formats", EL_CMD_FORMATS, "list the input formats this build reads" },
};

static void usage(FILE *f)
{
    fputs("usage: edgelog COMMAND [OPTIONS] [PATH...]\n\n"
          "Reads AWS load balancer and API Gateway logs (gzip or plain; files, whole\n"
          "folders walked recursively, or '-' for stdin; stdin when no PATH is given\n"
          "and stdin is not a terminal) and reports latency, errors and traffic.\n\n"
          "Commands:\n",
          f);
    for (size_t i = 0; i < EL_ARRAY_LEN(commands); i++)
        fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].help);
    fputs("\nOptions:\n", f);
    for (size_t i = 0; i < EL_ARRAY_LEN(opts); i++) {
        char left[64];
        if (opts[i].key < 256)
            snprintf(left, sizeof(left), "-%c, --%s%s%s", opts[i].key, opts[i].name,
                     opts[i].arg ? " " : "", opts[i].arg ? opts[i].arg : "");
        else
            snprintf(left, sizeof(left), "    --%s%s%s", opts[i].name, opts[i].arg ? " " : "",
                     opts[i].arg ? opts[i].arg : "");
        fprintf(f, "  %-28s %s\n", left, opts[i].help);
    }
    /* Every bound that keeps memory and time in check on hostile input, and
     * what edgelog says when it is reached (docs/RELIABILITY.md). */
    fprintf(f,
            "\nLimits (memory stays bounded whatever the input; each is reported when hit):\n"
            "  line length          %zu bytes, --max-line; longer lines are skipped and\n"
            "                       counted as rejected (line too long)\n"
            "  groups               %d, --max-groups; later keys go to one (other) row, and\n"
            "                       stderr says how many requests it holds\n"
            "  open execution-log   %d requests; past it the oldest is closed as incomplete\n"
            "    requests           (evicted at the open-request cap, in the accounting line)\n"
            "  CloudWatch envelope  %zu MiB; a larger one is one rejected line (envelope over\n"
            "                       the size cap)\n"
            "  percentile sketch    exact up to %d distinct values a group, then at most 3,009\n"
            "                       log buckets (24 KiB) within 0.79%% of the exact value\n"
            "  timeline rows        %u bucket x key rows with zero rows filled in; past it\n"
            "                       empty buckets are left out, with a note on stderr\n"
            "  cost connections     %u connection spans per log source and thread; more are\n"
            "                       counted as new, not followed (said in the report's\n"
            "                       assumptions)\n"
            "  state file (merge)   %zu MiB; a larger file is an error naming it\n"
            "  --routes file        %zu MiB; a larger file is a usage error\n",
            EL_READER_DEFAULT_MAX_LINE, EL_AGG_DEFAULT_MAX_GROUPS, EL_EXEC_MAX_OPEN,
            EL_CWL_DEFAULT_MAX_ENVELOPE >> 20, EL_SKETCH_EXACT_CAP, EL_TIMELINE_MAX_FILLED_ROWS,
            EL_USAGE_DEFAULT_MAX_CONNS, EL_MAX_STATE_BYTES >> 20, EL_MAX_ROUTES_BYTES >> 20);
    fputs("\nExit status: 0 ok; 1 an input could not be read or was corrupt (the rest is\n"
          "still reported); 2 usage error; 3 --max-bad-ratio exceeded.\n\n"
          "Examples:\n"
          "  edgelog summary exported/AWSLogs/\n"
          "  zcat *.log.gz | edgelog summary -o routes.csv\n"
          "  edgelog records --output-format jsonl app.log.gz > records.jsonl\n"
          "  edgelog cost --region eu-west-1 alb-logs/ apigw-logs/\n"
          "  edgelog compare alb-logs/ -- apigw-logs/\n",
          f);
}

__attribute__((format(printf, 1, 2))) static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("edgelog: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nTry 'edgelog --help' for more information.\n", stderr);
    return EL_EXIT_USAGE;
}

static struct el_str cs(const char *s)
{
    return (struct el_str){ s, strlen(s) };
}

/* The option loop over argv[optind..argc). Non-options are left at
 * argv[optind..argc) afterwards (getopt moves them there). */
static int parse_options(int argc, char **argv, struct el_cli *cli, bool *done,
                         int64_t *bucket_us)
{
    struct option lo[EL_ARRAY_LEN(opts) + 1];
    char shorts[64];
    size_t ns = 0;

    for (size_t i = 0; i < EL_ARRAY_LEN(opts); i++) {
        lo[i] = (struct option){ opts[i].name, opts[i].arg ? required_argument : no_argument,
                                 NULL, opts[i].key };
        if (opts[i].key < 256) {
            shorts[ns++] = (char)opts[i].key;
            if (opts[i].arg)
                shorts[ns++] = ':';
        }
    }
    lo[EL_ARRAY_LEN(opts)] = (struct option){ 0 };
    shorts[ns] = '\0';

    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, shorts, lo, NULL)) != -1) {
        uint64_t v;
        int64_t ppm;
        switch (c) {
        case 'o': cli->output_path = optarg; break;
        case 'f':
            if (!el_output_find(optarg))
                return usage_error("--output-format: unknown format '%s'%s", optarg,
                                   " (expected table, csv, json or jsonl)");
            cli->output_format = optarg;
            break;
        case 'i':
            if (strcmp(optarg, "auto") != 0 && !el_parser_find(optarg))
                return usage_error("--input-format: unknown format '%s'%s", optarg,
                                   " (see 'edgelog formats')");
            cli->input_format = strcmp(optarg, "auto") == 0 ? NULL : optarg;
            break;
        case OPT_REJECTS: cli->rejects_path = optarg; break;
        case OPT_CSV_RAW: cli->csv_raw = true; break;
        case OPT_MAX_BAD:
            if (el_scan_secs_us(cs(optarg), &ppm) != EL_OK || ppm < 0 || ppm > 1000000)
                return usage_error("--max-bad-ratio: '%s' is not a number from 0 to 1",
                                   optarg);
            cli->have_max_bad = true;
            cli->max_bad_ppm = ppm;
            break;
        case OPT_BY: {
            char err[256];
            if (el_agg_parse_by(optarg, &cli->agg, err, sizeof(err)) != EL_OK)
                return usage_error("%s", err);
            break;
        }
        case OPT_MAX_GROUPS:
            if (el_scan_u64(cs(optarg), 100000000, &v) != EL_OK || v < 1)
                return usage_error("--max-groups: '%s' is not a number from 1 to 100000000",
                                   optarg);
            cli->agg.max_groups = (size_t)v;
            break;
        case OPT_PERCENTILES: {
            char err[256];
            if (el_report_parse_percentiles(optarg, &cli->report, err, sizeof(err)) != EL_OK)
                return usage_error("%s", err);
            break;
        }
        case OPT_SINCE: cli->filter.since = optarg; break;
        case OPT_UNTIL: cli->filter.until = optarg; break;
        case OPT_SOURCE: cli->filter.sources = optarg; break;
        case OPT_HOST: cli->filter.hosts = optarg; break;
        case OPT_METHOD: cli->filter.methods = optarg; break;
        case OPT_STATUS: cli->filter.statuses = optarg; break;
        case OPT_PATH: cli->filter.path = optarg; break;
        case OPT_ROUTE: cli->filter.routes = optarg; break;
        case OPT_THREADS:
            if (el_scan_u64(cs(optarg), 64, &v) != EL_OK || v < 1)
                return usage_error("--threads: '%s' is not a number from 1 to 64", optarg);
            cli->threads = (unsigned)v;
            break;
        case OPT_STATE_OUT: cli->state_out = optarg; break;
        case OPT_ROUTES: cli->routes_path = optarg; break;
        case OPT_BUCKET: {
            static const struct {
                const char *name;
                int64_t us;
            } widths[] = { { "1m", 60000000LL }, { "5m", 300000000LL },
                           { "1h", 3600000000LL }, { "1d", 86400000000LL } };
            *bucket_us = 0;
            for (size_t i = 0; i < EL_ARRAY_LEN(widths); i++)
                if (strcmp(optarg, widths[i].name) == 0)
                    *bucket_us = widths[i].us;
            if (!*bucket_us)
                return usage_error("--bucket: '%s' is not 1m, 5m, 1h or 1d", optarg);
            break;
        }
        case OPT_REGION: cli->region = optarg; break;
        case OPT_PRICING: cli->pricing_path = optarg; break;
        case OPT_ALB_RULES:
            if (el_scan_u64(cs(optarg), 100000, &v) != EL_OK)
                return usage_error("--alb-rules: '%s' is not a number from 0 to 100000", optarg);
            cli->alb_rules = v;
            break;
        case OPT_IDLE_TIMEOUT:
            if (el_scan_u64(cs(optarg), 4000, &v) != EL_OK || v < 1)
                return usage_error("--alb-idle-timeout: '%s' is not a number of seconds from 1 "
                                   "to 4000", optarg);
            cli->idle_timeout_s = (unsigned)v;
            break;
        case OPT_SCALE: {
            char *end;
            errno = 0;
            double f = strtod(optarg, &end);
            if (errno || end == optarg || *end || !(f > 0) || f > 1e6)
                return usage_error("--scale: '%s' is not a factor above 0 and at most 1000000",
                                   optarg);
            cli->scale = f;
            break;
        }
        case OPT_MAX_LINE:
            if (el_scan_u64(cs(optarg), (uint64_t)1 << 30, &v) != EL_OK || v < 64)
                return usage_error("--max-line: '%s' is not a byte count from 64 to %s",
                                   optarg, "1073741824");
            cli->max_line = (size_t)v;
            break;
        case OPT_INFLATE:
            if (strcmp(optarg, "auto") == 0)
                cli->inflate = EL_INFLATE_AUTO;
            else if (strcmp(optarg, "zlib") == 0)
                cli->inflate = EL_INFLATE_ZLIB;
            else if (strcmp(optarg, "isal") == 0)
                cli->inflate = EL_INFLATE_ISAL;
            else
                return usage_error("--inflate: '%s' is not auto, zlib or isal", optarg);
            if (!el_inflate_available(cli->inflate))
                return usage_error("--inflate: this build has no %s (install libisal-dev and "
                                   "rebuild)", optarg);
            break;
        case 'q': cli->quiet = true; break;
        case 'h':
            usage(stdout);
            *done = true;
            return EL_EXIT_OK;
        case 'V':
            printf("edgelog %s\ninflate: %s%s (auto: %s)\n", EL_VERSION, "zlib",
                   el_inflate_available(EL_INFLATE_ISAL) ? ", isal" : "",
                   el_inflate_name(EL_INFLATE_AUTO));
            *done = true;
            return EL_EXIT_OK;
        case ':':
        case '?':
        default: {
            const char *bad = argv[optind - 1];
            if (optopt && c == '?' && optopt < 256) {
                char o[3] = { '-', (char)optopt, '\0' };
                return usage_error("%s: unknown option or missing value", o);
            }
            return usage_error("%s: unknown option or missing value", bad);
        }
        }
    }
    return EL_EXIT_OK;
}

/* compare BASELINE... -- CANDIDATE...: options may stand on either side of
 * the "--"; each side's other words are its paths. */
static int parse_compare(int argc, char **argv, int first, struct el_cli *cli, bool *done,
                         int64_t *bucket_us)
{
    int sep = -1;
    for (int i = first; i < argc && sep < 0; i++)
        if (strcmp(argv[i], "--") == 0)
            sep = i;
    if (sep < 0) {
        /* Still honour --help, and name a bad option before the missing "--". */
        optind = first;
        int code = parse_options(argc, argv, cli, done, bucket_us);
        if (code != EL_EXIT_OK || *done)
            return code;
        return usage_error("compare: give the BASELINE paths, then --, then the CANDIDATE "
                           "paths%s", "");
    }
    optind = first;
    int code = parse_options(sep, argv, cli, done, bucket_us);
    if (code != EL_EXIT_OK || *done)
        return code;
    cli->paths = (const char *const *)(argv + optind);
    cli->npaths = (size_t)(sep - optind);
    /* The candidate side is parsed as an argv of its own, starting after
     * "--" (getopt reads argv[0] as the program name, so the "--" stands
     * in for it). */
    optind = 0; /* glibc: full reinitialisation for the new vector */
    code = parse_options(argc - sep, argv + sep, cli, done, bucket_us);
    if (code != EL_EXIT_OK || *done)
        return code;
    cli->cand_paths = (const char *const *)(argv + sep + optind);
    cli->ncand_paths = (size_t)(argc - sep - optind);
    if (cli->npaths == 0 || cli->ncand_paths == 0)
        return usage_error("compare: %s side has no paths (BASELINE... -- CANDIDATE...)",
                           cli->npaths == 0 ? "the baseline" : "the candidate");
    return EL_EXIT_OK;
}

int el_cli_parse(int argc, char **argv, struct el_cli *cli, bool *done)
{
    *done = false;
    *cli = (struct el_cli){ .max_line = 0 };

    int first = 1;
    if (argc > 1 && argv[1][0] != '-') {
        for (size_t i = 0; i < EL_ARRAY_LEN(commands); i++)
            if (strcmp(argv[1], commands[i].name) == 0)
                cli->cmd = commands[i].cmd;
        if (strcmp(argv[1], "help") == 0) {
            usage(stdout);
            *done = true;
            return EL_EXIT_OK;
        }
        if (cli->cmd == EL_CMD_NONE)
            return usage_error("unknown command '%s'", argv[1]);
        first = 2;
    }

    int64_t bucket_us = 0;
    int code;
    if (cli->cmd == EL_CMD_COMPARE) {
        code = parse_compare(argc, argv, first, cli, done, &bucket_us);
    } else {
        optind = first;
        code = parse_options(argc, argv, cli, done, &bucket_us);
        cli->paths = (const char *const *)(argv + optind);
        cli->npaths = (size_t)(argc - optind);
    }
    if (code != EL_EXIT_OK || *done)
        return code;
    if (cli->cmd == EL_CMD_NONE)
        return usage_error("no command given (summary, records, timeline, cost, compare, merge "
                           "or formats)");
    if (cli->cmd == EL_CMD_TIMELINE) {
        /* The timeline groups by its bucket first, then by the --by keys. */
        for (size_t i = 0; i < cli->agg.ndims; i++)
            if (cli->agg.dims[i] == EL_DIM_TIME)
                return usage_error("--by: timeline takes its time bucket from --bucket%s", "");
        if (cli->agg.ndims == EL_AGG_MAX_DIMS)
            return usage_error("--by: timeline takes at most %d keys", EL_AGG_MAX_DIMS - 1);
        memmove(cli->agg.dims + 1, cli->agg.dims, cli->agg.ndims * sizeof(cli->agg.dims[0]));
        cli->agg.dims[0] = EL_DIM_TIME;
        cli->agg.ndims++;
        cli->agg.bucket_us = bucket_us ? bucket_us : 3600000000LL;
        cli->agg.track_peak = true;
    } else if (bucket_us) {
        return usage_error("--bucket: only timeline has buckets (summary: --by %s)", "hour");
    }
    return EL_EXIT_OK;
}

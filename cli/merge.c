/* merge.c: edgelog merge STATE...: fold aggregate states written by
 * summary --state-out (on other processes or machines) into the report one
 * run over all their inputs would have written, byte for byte.
 *
 * States are read whole (capped, so a wrong file cannot exhaust memory),
 * validated by el_agg_decode, and merged in the order given; merging is
 * exact and order-independent, so any split of the inputs gives the same
 * report. A state that cannot be read is an error naming the file.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli_int.h"

/* A state holds one group per distinct key, capped by --max-groups; even
 * 100,000 wide groups stay far below this. */
#define MAX_STATE_BYTES EL_MAX_STATE_BYTES


int el_cli_merge(const struct el_cli *cli)
{
    static const char *const stdin_path[] = { "-" };
    const char *const *paths = cli->paths;
    size_t n = cli->npaths;
    if (n == 0) {
        if (isatty(STDIN_FILENO)) {
            fputs("edgelog: merge: give STATE files, or '-' for stdin\n"
                  "Try 'edgelog --help' for more information.\n",
                  stderr);
            return EL_EXIT_USAGE;
        }
        paths = stdin_path;
        n = 1;
    }
    struct el_agg *all = NULL;
    int code = EL_EXIT_OK;
    for (size_t i = 0; i < n && code == EL_EXIT_OK; i++) {
        char err[256] = "";
        char *buf;
        size_t len;
        struct el_agg *a = NULL;
        enum el_err rc = el_read_file(paths[i], MAX_STATE_BYTES, &buf, &len, err, sizeof(err));
        if (rc == EL_OK) {
            rc = el_agg_decode(buf, len, &a, err, sizeof(err));
            el_free(buf);
        }
        if (rc == EL_OK && !all) {
            all = a;
            continue;
        }
        if (rc == EL_OK) {
            rc = el_agg_merge(all, a);
            if (rc == EL_ERR_USAGE)
                snprintf(err, sizeof(err), "groups by other keys than the states before it");
            el_agg_destroy(a);
        }
        if (rc != EL_OK) {
            fprintf(stderr, "edgelog: %s: %s\n", strcmp(paths[i], "-") == 0 ? "(stdin)" : paths[i],
                    rc == EL_ERR_NOMEM ? "out of memory" : err);
            code = EL_EXIT_FAILURE;
        }
    }
    if (code == EL_EXIT_OK)
        code = el_cli_align(cli, &all);
    if (code == EL_EXIT_OK) {
        code = el_cli_write_summary(cli, all);
        if (code == EL_EXIT_OK && !cli->quiet)
            fprintf(stderr, "edgelog: merged %zu states: %zu groups\n", n, el_agg_count(all));
    }
    el_agg_destroy(all);
    return code;
}

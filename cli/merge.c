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
#define MAX_STATE_BYTES ((size_t)1 << 30)

static enum el_err read_all(const char *path, char **buf, size_t *len, char *err, size_t errlen)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s", strerror(errno));
        return EL_ERR_IO;
    }
    size_t cap = 64 * 1024, n = 0;
    char *b = el_malloc(cap);
    enum el_err rc = b ? EL_OK : EL_ERR_NOMEM;
    while (rc == EL_OK) {
        if (n == cap) {
            if (cap >= MAX_STATE_BYTES) {
                snprintf(err, errlen, "larger than %zu bytes: not a state", MAX_STATE_BYTES);
                rc = EL_ERR_PARSE;
                break;
            }
            char *nb = el_realloc(b, cap * 2);
            if (!nb) {
                rc = EL_ERR_NOMEM;
                break;
            }
            b = nb;
            cap *= 2;
        }
        size_t got = fread(b + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            if (ferror(f)) {
                snprintf(err, errlen, "%s", strerror(errno));
                rc = EL_ERR_IO;
            }
            break;
        }
    }
    if (f != stdin)
        fclose(f);
    if (rc != EL_OK) {
        el_free(b);
        return rc;
    }
    *buf = b;
    *len = n;
    return EL_OK;
}

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
        enum el_err rc = read_all(paths[i], &buf, &len, err, sizeof(err));
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

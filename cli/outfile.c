/* outfile.c: whole files in and out. A report given with -o is written to a
 * temporary file in the same folder and renamed over the target only when
 * complete, so a failed run never leaves a half-written report where the
 * previous one was. Targets that are not regular files (/dev/null, a FIFO)
 * are written directly. Small inputs that are not logs (states, a routes
 * file) are read whole, up to a cap, so a wrong file cannot exhaust memory. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_int.h"

int el_outfile_open(struct el_outfile *of, const char *path)
{
    struct stat st;
    *of = (struct el_outfile){ .path = path };
    if (!path || strcmp(path, "-") == 0) {
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
int el_outfile_close(struct el_outfile *of, bool ok)
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

enum el_err el_read_file(const char *path, size_t max, char **buf, size_t *len, char *err,
                         size_t errlen)
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
            if (cap >= max) {
                snprintf(err, errlen, "larger than %zu bytes", max);
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

/* outfile.c: where reports go. A report given with -o is written to a
 * temporary file in the same folder and renamed over the target only when
 * complete, so a failed run never leaves a half-written report where the
 * previous one was. Targets that are not regular files (/dev/null, a FIFO)
 * are written directly. */
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


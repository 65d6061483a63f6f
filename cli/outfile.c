/* outfile.c: whole files in and out. A report given with -o is written to a
 * temporary file in the same folder (so rename(2) is atomic: same file
 * system), flushed to disk with fsync and renamed over the target only when
 * complete, so a failed or interrupted run never leaves a half-written
 * report where the previous one was. The temporary files of a run are
 * listed for the signal handler (el_outfile_on_signals), which removes them
 * when SIGINT, SIGTERM, SIGHUP or SIGPIPE ends the run. Targets that are
 * not regular files (/dev/null, a FIFO, a symbolic link such as
 * /dev/stdout) are written directly. Small inputs
 * that are not logs (states, a routes file) are read whole, up to a cap, so
 * a wrong file cannot exhaust memory. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_int.h"

/* The temporary files not yet renamed or removed. Only the main thread
 * opens and closes outputs; the handler only reads the list. A run has at
 * most a report, --rejects and --state-out open at once. */
#define MAX_PENDING 4
static char *volatile pending[MAX_PENDING];

static void pending_add(char *tmp)
{
    for (size_t i = 0; i < MAX_PENDING; i++)
        if (!pending[i]) {
            pending[i] = tmp;
            return;
        }
}

static void pending_del(const char *tmp)
{
    for (size_t i = 0; i < MAX_PENDING; i++)
        if (pending[i] == tmp)
            pending[i] = NULL;
}

/* Async-signal-safe: unlink, signal and raise only. The default action then
 * ends the process as the signal would have (exit status 128 + signal in a
 * shell), so `edgelog ... | head` ends quietly as cat or zcat do. */
static void on_signal(int sig)
{
    for (size_t i = 0; i < MAX_PENDING; i++)
        if (pending[i])
            unlink(pending[i]);
    signal(sig, SIG_DFL);
    raise(sig);
}

void el_outfile_on_signals(void)
{
    static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };
    for (size_t i = 0; i < EL_ARRAY_LEN(sigs); i++) {
        struct sigaction sa = { .sa_handler = on_signal };
        sigemptyset(&sa.sa_mask);
        for (size_t j = 0; j < EL_ARRAY_LEN(sigs); j++)
            sigaddset(&sa.sa_mask, sigs[j]); /* one cleanup at a time */
        struct sigaction old;
        /* A signal ignored by whoever started us (nohup) stays ignored. */
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue;
        sigaction(sigs[i], &sa, NULL);
    }
}

int el_outfile_open(struct el_outfile *of, const char *path)
{
    struct stat st;
    *of = (struct el_outfile){ .path = path };
    if (!path || strcmp(path, "-") == 0) {
        of->f = stdout;
        return 0;
    }
    /* lstat: only a regular file named directly is replaced. A symbolic
     * link is written through, as a shell's > does: renaming over it would
     * replace the link itself, and /dev/stdout or /dev/stderr (links to
     * /proc/self/fd/N) would become plain files in /dev. */
    bool exists = lstat(path, &st) == 0;
    if (exists && !S_ISREG(st.st_mode)) {
        if (S_ISLNK(st.st_mode) && stat(path, &st) != 0)
            st.st_mode = 0; /* a dangling link: fopen creates its target */
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
    pending_add(of->tmp);
    /* mkstemp makes 0600: a report replacing one keeps its mode, a new one
     * gets what fopen would have given it (0666 less the umask). */
    mode_t mode = exists ? st.st_mode & 07777 : 0666;
    if (!exists) {
        mode_t mask = umask(0);
        umask(mask);
        mode &= ~mask;
    }
    fchmod(fd, mode);
    of->f = fdopen(fd, "w");
    if (!of->f) {
        int e = errno;
        close(fd);
        unlink(of->tmp);
        pending_del(of->tmp);
        free(of->tmp);
        of->tmp = NULL;
        errno = e;
        return -1;
    }
    return 0;
}

/* Closes and commits (ok) or discards the output. Returns 0 on success, or
 * -1 with errno set by the step that failed. */
int el_outfile_close(struct el_outfile *of, bool ok)
{
    int rc = 0, e = 0;
    if (!of->f)
        return 0;
    if (of->f == stdout) {
        if (fflush(stdout) != 0 || ferror(stdout))
            rc = -1;
        return rc;
    }
    /* The data reaches the disk before the name does: after a crash the
     * target holds the old report or the whole new one, never an empty or
     * partial file. */
    if (fflush(of->f) != 0 || ferror(of->f) || (of->tmp && ok && fsync(fileno(of->f)) != 0)) {
        rc = -1;
        e = errno;
    }
    if (fclose(of->f) != 0 && rc == 0) {
        rc = -1;
        e = errno;
    }
    of->f = NULL;
    if (of->tmp) {
        if (ok && rc == 0 && rename(of->tmp, of->path) != 0) {
            rc = -1;
            e = errno;
        }
        if (!ok || rc != 0)
            unlink(of->tmp);
        pending_del(of->tmp);
        free(of->tmp);
        of->tmp = NULL;
    }
    if (rc != 0)
        errno = e;
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
    /* A regular file over the cap is refused by its size, before a byte is
     * read or a gibibyte allocated. */
    struct stat st;
    if (f != stdin && fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) &&
        (uint64_t)st.st_size > (uint64_t)max) {
        snprintf(err, errlen, "larger than %zu bytes", max);
        fclose(f);
        return EL_ERR_PARSE;
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

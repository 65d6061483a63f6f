/* progress.c: one self-overwriting status line on stderr for long runs.
 *
 * Shown only when stderr is a terminal and --quiet is off (the caller
 * decides), redrawn at most four times a second, and erased before the
 * accounting line so logs captured from a terminal stay clean.
 */
#include <stdio.h>
#include <time.h>

#include "cli_int.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void el_progress_init(struct el_progress *p, bool on, uint64_t total_bytes, size_t files)
{
    *p = (struct el_progress){ .on = on, .total_bytes = total_bytes, .files_total = files };
    if (on)
        p->start = p->last = now();
}

void el_progress_update(struct el_progress *p, uint64_t cur_file_bytes)
{
    if (!p->on)
        return;
    double t = now();
    if (t - p->last < 0.25)
        return;
    p->last = t;
    double done = (double)(p->done_bytes + cur_file_bytes);
    double el = t - p->start;
    double rate = el > 0 ? done / el : 0;
    fprintf(stderr, "\r\033[K%zu/%zu files  %.1f MB read  %.1f MB/s", p->files_done,
            p->files_total, done / 1e6, rate / 1e6);
    if (p->total_bytes && rate > 0 && done <= (double)p->total_bytes) {
        unsigned left = (unsigned)(((double)p->total_bytes - done) / rate + 0.5);
        fprintf(stderr, "  %u:%02u left", left / 60, left % 60);
    }
    fflush(stderr);
    p->drawn = true;
}

void el_progress_file_done(struct el_progress *p, uint64_t file_bytes)
{
    p->done_bytes += file_bytes;
    p->files_done++;
}

void el_progress_clear(struct el_progress *p)
{
    if (p->on && p->drawn) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
}

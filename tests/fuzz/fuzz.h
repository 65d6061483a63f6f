/* fuzz.h: what the fuzz targets share.
 *
 * Every target defines LLVMFuzzerTestOneInput. Built with -DEL_FUZZ=ON
 * (clang) it links libFuzzer; in every other build the same file links
 * replay.c instead, whose main runs the function on each file of the
 * directories it is given (the committed corpus and regressions), so the
 * normal sanitizer test suite replays every input a fuzzer ever kept.
 *
 * The checks here go beyond "no crash": a target states an invariant with
 * FUZZ_CHECK, which prints what broke and aborts (libFuzzer records the
 * input; the replay test fails).
 */
#ifndef EL_FUZZ_H
#define EL_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond, what)                                                             \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            fprintf(stderr, "%s:%d: invariant broken: %s (%s)\n", __FILE__, __LINE__,      \
                    (what), #cond);                                                        \
            abort();                                                                       \
        }                                                                                  \
    } while (0)

/* A copy of [p, p+n) in a heap block of exactly n bytes (one byte for an
 * empty line), so AddressSanitizer reports a read one byte past the end of
 * a line: inside the fuzzer's input it would land on the next line. */
static inline char *fuzz_dup(const void *p, size_t n)
{
    /* zeroed: an empty input still hands out a defined byte */
    char *c = calloc(n ? n : 1, 1);
    FUZZ_CHECK(c != NULL, "out of memory");
    if (n)
        memcpy(c, p, n);
    else
        c[0] = '\0'; /* never read, but written: gcc -O2 checks */
    return c;
}

/* Reads every byte of a view, so the sanitizers see a view that points at
 * freed memory or past its buffer. Returns a sum to keep the reads. */
static inline unsigned fuzz_touch(struct el_str v)
{
    FUZZ_CHECK(v.n == 0 || v.p != NULL, "non-empty view with a NULL pointer");
    const volatile unsigned char *p = (const volatile unsigned char *)v.p;
    unsigned sum = 0;
    for (size_t i = 0; i < v.n; i++)
        sum += p[i];
    return sum;
}

/* A view that starts inside [line, line+len) must end inside it too, and
 * one that starts before it must not run into it: a view is either into
 * the line or into some other buffer, never across a boundary. */
static inline void fuzz_check_view(struct el_str v, const char *line, size_t len)
{
    (void)fuzz_touch(v);
    if (!v.n)
        return;
    uintptr_t a = (uintptr_t)v.p, lo = (uintptr_t)line, hi = lo + len;
    if (a >= lo && a < hi)
        FUZZ_CHECK(v.n <= hi - a, "a view runs past the end of its line");
    else
        FUZZ_CHECK(a > hi || a + v.n <= lo, "a view straddles the start of its line");
}

/* Splits [data, data+size) at '\n' and calls fn on each line (without the
 * '\n'), as a heap copy of exactly its length; the copy is freed after. */
static inline void fuzz_each_line(const uint8_t *data, size_t size,
                                  void (*fn)(const char *line, size_t len, void *arg), void *arg)
{
    size_t at = 0;
    while (at < size) {
        const uint8_t *nl = memchr(data + at, '\n', size - at);
        size_t n = nl ? (size_t)(nl - (data + at)) : size - at;
        char *line = fuzz_dup(data + at, n);
        fn(line, n, arg);
        free(line);
        at += n + 1;
    }
}

/* A small deterministic hash of the input, for choosing options (chunk
 * sizes, caps) without spending input bytes on them. */
static inline uint32_t fuzz_hash(const uint8_t *data, size_t size)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < size; i++)
        h = (h ^ data[i]) * 16777619u;
    return h;
}

#endif /* EL_FUZZ_H */

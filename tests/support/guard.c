/* guard.c: guard-page copies of test inputs (see guard.h). One mapping of
 * data pages plus a trailing PROT_NONE page is made once and reused. */
/* MAP_ANONYMOUS is not POSIX; glibc shows it with _DEFAULT_SOURCE. */
#define _DEFAULT_SOURCE 1
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "guard.h"

#define DATA_PAGES 512

const char *guard_copy(const char *s, size_t n)
{
    static char *base;
    static size_t page;

    if (!base) {
        page = (size_t)sysconf(_SC_PAGESIZE);
        base = mmap(NULL, (DATA_PAGES + 1) * page, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (base == MAP_FAILED)
            abort();
        if (mprotect(base + DATA_PAGES * page, page, PROT_NONE) != 0)
            abort();
    }
    if (n > DATA_PAGES * page)
        abort();
    char *dst = base + DATA_PAGES * page - n;
    if (n)
        memcpy(dst, s, n);
    return dst;
}

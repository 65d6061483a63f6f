/* regex.c: PCRE2 for user-supplied patterns (--path, --routes), compiled
 * once and matched on (ptr, len) views. Fixed log formats never come here:
 * a regex per line is for what the user writes, not for parsing. */
#include <stdio.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "analysis_int.h"

/* PCRE2 allocates through these, so its memory is counted and can be made to
 * fail like every other allocation (tests walk the NOMEM paths through it). */
static void *pcre_alloc(PCRE2_SIZE n, void *data)
{
    (void)data;
    return el_malloc(n);
}

static void pcre_free(void *p, void *data)
{
    (void)data;
    el_free(p);
}

enum el_err el_regex_compile(struct el_regex *x, const char *pattern, size_t len, char *msg,
                             size_t msglen)
{
    enum el_err rc = EL_ERR_NOMEM;
    *x = (struct el_regex){ 0 };
    pcre2_general_context *gc = pcre2_general_context_create(pcre_alloc, pcre_free, NULL);
    pcre2_compile_context *cc = gc ? pcre2_compile_context_create(gc) : NULL;
    if (!cc)
        goto out;
    int code;
    PCRE2_SIZE off;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, len, 0, &code, &off, cc);
    if (!re) {
        if (code == PCRE2_ERROR_HEAP_FAILED)
            goto out;
        PCRE2_UCHAR m[256];
        if (pcre2_get_error_message(code, m, sizeof(m)) < 0)
            memcpy(m, "unknown error", sizeof("unknown error"));
        snprintf(msg, msglen, "%s at offset %zu", (const char *)m, (size_t)off);
        rc = EL_ERR_PARSE;
        goto out;
    }
    x->re = re;
    /* JIT is a speed-up, not a requirement: it fails on platforms without
     * support and where W^X policy (SELinux execmem, hardened kernels)
     * refuses executable memory, which PCRE2 reports as NOMEMORY too, so
     * any JIT failure is ignored. With JIT code, pcre2_jit_match saves
     * pcre2_match's argument and UTF checks, about 15 of 45 ns per typical
     * path. Skipping the UTF check is only safe without UTF: a pattern that
     * turns it on ("(*UTF)") needs the log bytes validated, so it goes
     * through pcre2_match, where a path that is not UTF-8 is no match. */
    size_t jitsize = 0;
    uint32_t opts = 0;
    x->jit = pcre2_jit_compile(re, PCRE2_JIT_COMPLETE) == 0 &&
             pcre2_pattern_info(re, PCRE2_INFO_JITSIZE, &jitsize) == 0 && jitsize > 0 &&
             pcre2_pattern_info(re, PCRE2_INFO_ALLOPTIONS, &opts) == 0 && !(opts & PCRE2_UTF);
    /* Sized for the pattern's capture groups, once; reused for every record. */
    x->md = pcre2_match_data_create_from_pattern(re, gc);
    if (!x->md) {
        pcre2_code_free(re);
        x->re = NULL;
        goto out;
    }
    rc = EL_OK;
out:
    pcre2_compile_context_free(cc);
    pcre2_general_context_free(gc);
    return rc;
}

bool el_regex_search(struct el_regex *x, const char *s, size_t n, const char **mark)
{
    PCRE2_SPTR p = (PCRE2_SPTR)(s ? s : "");
    int m = x->jit ? pcre2_jit_match(x->re, p, n, 0, 0, x->md, NULL)
                   : pcre2_match(x->re, p, n, 0, 0, x->md, NULL);
    if (mark)
        *mark = m >= 0 ? (const char *)pcre2_get_mark(x->md) : NULL;
    return m >= 0;
}

void el_regex_free(struct el_regex *x)
{
    pcre2_match_data_free(x->md);
    pcre2_code_free(x->re);
    *x = (struct el_regex){ 0 };
}

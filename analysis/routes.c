/* routes.c: the user's route rules (--routes FILE; grammar in analysis.h).
 *
 * Rules are matched against "METHOD PATH". Runs of consecutive template
 * rules become one anchored alternation, each alternative ending in
 * (*MARK:n), so one JIT match finds the first rule that matches and the
 * mark says which; PCRE2 tries alternatives in order, which is exactly
 * "first match wins". A named regex rule is its own block, searched in the
 * path alone, so the user's own anchors mean what they say.
 */
#include <stdio.h>
#include <string.h>

#include "analysis_int.h"

#define MAX_RULES 4096

struct rule {
    char *route; /* template path, or the rule's name */
    size_t route_n;
};

struct block {
    struct el_regex rx;
    bool raw;    /* a named regex rule, matched on the path only */
    size_t rule; /* raw: its rule; templates: marks are rule numbers */
};

struct el_routes {
    struct rule *rules;
    size_t nrules;
    struct block *blocks;
    size_t nblocks;
    char *subject; /* "METHOD PATH", reused */
    size_t subject_cap;
};

void el_routes_destroy(struct el_routes *rt)
{
    if (!rt)
        return;
    for (size_t i = 0; i < rt->nrules; i++)
        el_free(rt->rules[i].route);
    for (size_t i = 0; i < rt->nblocks; i++)
        el_regex_free(&rt->blocks[i].rx);
    el_free(rt->rules);
    el_free(rt->blocks);
    el_free(rt->subject);
    el_free(rt);
}

/* A growable pattern under construction. */
struct pat {
    char *p;
    size_t n, cap;
    bool nomem;
};

static void pat_add(struct pat *b, const char *s, size_t n)
{
    if (b->nomem)
        return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *p = el_realloc(b->p, cap);
        if (!p) {
            b->nomem = true;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

static void pat_lit(struct pat *b, char c)
{
    if (strchr("\\^$.|?*+()[]{}", c)) {
        char e[2] = { '\\', c };
        pat_add(b, e, 2);
    } else {
        pat_add(b, &c, 1);
    }
}

static bool is_method(const char *p, size_t n)
{
    if (n == 1 && p[0] == '*')
        return true;
    for (size_t i = 0; i < n; i++)
        if (p[i] < 'A' || p[i] > 'Z')
            return false;
    return n > 0;
}

/* One template alternative: method, space, path with {x} and {x+}. */
static bool add_template(struct pat *b, const char *m, size_t mn, const char *t, size_t tn,
                         size_t rule)
{
    if (mn && !(mn == 1 && m[0] == '*'))
        for (size_t i = 0; i < mn; i++)
            pat_lit(b, m[i]);
    else
        pat_add(b, "[^ ]*", 5); /* any method, or none logged */
    pat_add(b, " ", 1);
    for (size_t i = 0; i < tn; i++) {
        if (t[i] == '{') {
            const char *close = memchr(t + i, '}', tn - i);
            if (!close || close == t + i + 1)
                return false;
            bool greedy = close[-1] == '+';
            pat_add(b, greedy ? ".+" : "[^/]+", greedy ? 2 : 5);
            i = (size_t)(close - t);
        } else {
            pat_lit(b, t[i]);
        }
    }
    char mark[32];
    int n = snprintf(mark, sizeof(mark), "$(*MARK:%zu)", rule);
    pat_add(b, mark, (size_t)n);
    return true;
}

static enum el_err add_rule(struct el_routes *rt, const char *route, size_t n)
{
    if (rt->nrules == MAX_RULES)
        return EL_ERR_RANGE;
    if (rt->nrules % 64 == 0) {
        struct rule *v = el_realloc(rt->rules, (rt->nrules + 64) * sizeof(*v));
        if (!v)
            return EL_ERR_NOMEM;
        rt->rules = v;
    }
    char *c = el_strndup(route, n);
    if (!c)
        return EL_ERR_NOMEM;
    rt->rules[rt->nrules++] = (struct rule){ c, n };
    return EL_OK;
}

static enum el_err add_block(struct el_routes *rt, const char *pattern, size_t n, bool raw,
                             size_t rule, char *msg, size_t msglen)
{
    if (rt->nblocks % 16 == 0) {
        struct block *v = el_realloc(rt->blocks, (rt->nblocks + 16) * sizeof(*v));
        if (!v)
            return EL_ERR_NOMEM;
        rt->blocks = v;
    }
    struct block *b = &rt->blocks[rt->nblocks];
    *b = (struct block){ .raw = raw, .rule = rule };
    enum el_err rc = el_regex_compile(&b->rx, pattern, n, msg, msglen);
    if (rc == EL_OK)
        rt->nblocks++;
    return rc;
}

static enum el_err fail(char *err, size_t errlen, unsigned line, const char *what,
                        const char *text, size_t n)
{
    snprintf(err, errlen, "--routes: line %u: %s: '%.*s'", line, what, (int)(n > 80 ? 80 : n),
             text);
    return EL_ERR_USAGE;
}

/* Closes the open run of template alternatives into a block. */
static enum el_err flush(struct el_routes *rt, struct pat *alt, size_t *nalt, char *err,
                         size_t errlen)
{
    if (!*nalt)
        return EL_OK;
    pat_add(alt, ")", 1);
    if (alt->nomem)
        return EL_ERR_NOMEM;
    char msg[300];
    enum el_err rc = add_block(rt, alt->p, alt->n, false, 0, msg, sizeof(msg));
    if (rc == EL_ERR_PARSE)
        snprintf(err, errlen, "--routes: a template could not be compiled: %s", msg);
    alt->n = 0;
    *nalt = 0;
    return rc == EL_ERR_PARSE ? EL_ERR_USAGE : rc;
}

enum el_err el_routes_create(const char *text, size_t len, struct el_routes **out, char *err,
                             size_t errlen)
{
    struct el_routes *rt = el_calloc(1, sizeof(*rt));
    if (!rt)
        return EL_ERR_NOMEM;
    struct pat alt = { 0 };
    size_t nalt = 0;
    enum el_err rc = EL_OK;
    unsigned line = 0;
    const char *p = text, *end = text + len;
    while (p < end && rc == EL_OK) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end, *s = p;
        p = nl ? nl + 1 : end;
        line++;
        while (s < le && (*s == ' ' || *s == '\t'))
            s++;
        while (le > s && (le[-1] == ' ' || le[-1] == '\t' || le[-1] == '\r'))
            le--;
        if (s == le || *s == '#')
            continue;
        size_t n = (size_t)(le - s);
        const char *tilde = NULL;
        for (const char *q = s; q + 3 <= le; q++)
            if (q[0] == ' ' && q[1] == '~' && q[2] == ' ') {
                tilde = q;
                break;
            }
        if (!tilde && n >= 2 && s[0] == '~' && s[1] == ' ') {
            rc = fail(err, errlen, line, "want NAME ~ REGEX", s, n);
            break;
        }
        if (tilde) { /* name ~ regex */
            const char *re = tilde + 3;
            while (re < le && *re == ' ')
                re++;
            if (tilde == s || re == le) {
                rc = fail(err, errlen, line, "want NAME ~ REGEX", s, n);
                break;
            }
            if ((rc = flush(rt, &alt, &nalt, err, errlen)) != EL_OK)
                break;
            if ((rc = add_rule(rt, s, (size_t)(tilde - s))) != EL_OK)
                break;
            char msg[300];
            rc = add_block(rt, re, (size_t)(le - re), true, rt->nrules - 1, msg, sizeof(msg));
            if (rc == EL_ERR_PARSE)
                rc = fail(err, errlen, line, msg, s, n);
            continue;
        }
        const char *sp = memchr(s, ' ', n), *m = s, *t = s;
        size_t mn = 0;
        if (sp && is_method(s, (size_t)(sp - s))) {
            mn = (size_t)(sp - s);
            t = sp + 1;
            while (t < le && *t == ' ')
                t++;
        }
        if (t == le || *t != '/' || memchr(t, ' ', (size_t)(le - t))) {
            rc = fail(err, errlen, line, "want [METHOD] /template or NAME ~ REGEX", s, n);
            break;
        }
        if ((rc = add_rule(rt, t, (size_t)(le - t))) != EL_OK)
            break;
        pat_add(&alt, nalt ? "|" : "^(?:", nalt ? 1 : 4);
        if (!add_template(&alt, m, mn, t, (size_t)(le - t), rt->nrules - 1)) {
            rc = fail(err, errlen, line, "unclosed or empty {placeholder}", s, n);
            break;
        }
        nalt++;
    }
    if (rc == EL_OK)
        rc = flush(rt, &alt, &nalt, err, errlen);
    if (rc == EL_ERR_RANGE)
        rc = fail(err, errlen, line, "more than 4096 rules", "", 0);
    el_free(alt.p);
    if (rc != EL_OK) {
        el_routes_destroy(rt);
        return rc;
    }
    *out = rt;
    return EL_OK;
}

bool el_routes_apply(struct el_routes *rt, struct el_record *r)
{
    if (!rt || !r->path.n)
        return false;
    size_t need = r->method.n + 1 + r->path.n;
    if (need > rt->subject_cap) {
        /* grows to the longest method + path seen, then never again */
        size_t cap = need * 2;
        char *s = el_realloc(rt->subject, cap);
        if (!s)
            return false;
        rt->subject = s;
        rt->subject_cap = cap;
    }
    if (r->method.n)
        memcpy(rt->subject, r->method.p, r->method.n);
    rt->subject[r->method.n] = ' ';
    memcpy(rt->subject + r->method.n + 1, r->path.p, r->path.n);
    for (size_t i = 0; i < rt->nblocks; i++) {
        struct block *b = &rt->blocks[i];
        const char *mark = NULL;
        size_t rule;
        if (b->raw) {
            if (!el_regex_search(&b->rx, r->path.p, r->path.n, NULL))
                continue;
            rule = b->rule;
        } else {
            if (!el_regex_search(&b->rx, rt->subject, need, &mark) || !mark)
                continue;
            uint64_t v;
            if (el_scan_u64((struct el_str){ mark, strlen(mark) }, MAX_RULES, &v) != EL_OK ||
                v >= rt->nrules)
                continue;
            rule = (size_t)v;
        }
        r->route = (struct el_str){ rt->rules[rule].route, rt->rules[rule].route_n };
        r->route_from = EL_ROUTE_RULES;
        return true;
    }
    return false;
}

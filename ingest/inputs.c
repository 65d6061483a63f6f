/* inputs.c: expanding command-line paths into the ordered list of inputs.
 *
 * Users point edgelog at whole S3 exports, so directories are walked
 * recursively. Entries are sorted bytewise per directory: output must never
 * depend on readdir order. Loops through symbolic links are caught by
 * keeping the (device, inode) chain of the directories being walked.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ingest.h"

struct dir_chain {
    dev_t dev;
    ino_t ino;
    const struct dir_chain *up;
};

static enum el_err push(struct el_input_list *l, const char *path, enum el_input_kind kind,
                        const struct stat *st, int error)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        struct el_input *v = el_realloc(l->v, cap * sizeof(*v));
        if (!v)
            return EL_ERR_NOMEM;
        l->v = v;
        l->cap = cap;
    }
    char *p = el_strndup(path, strlen(path));
    if (!p)
        return EL_ERR_NOMEM;
    struct el_input in = { .path = p, .kind = kind, .error = error };
    if (st && S_ISREG(st->st_mode)) {
        in.size = (uint64_t)st->st_size;
        in.dev = (uint64_t)st->st_dev;
        in.ino = (uint64_t)st->st_ino;
    }
    l->v[l->n++] = in;
    return EL_OK;
}

bool el_input_is_marker(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    return strcmp(base, "ELBAccessLogTestFile") == 0 || strcmp(base, "aws-logs-write-test") == 0;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static enum el_err add_path(struct el_input_list *l, const char *path,
                            const struct dir_chain *up);

static enum el_err walk_dir(struct el_input_list *l, const char *path, const struct stat *st,
                            const struct dir_chain *up)
{
    for (const struct dir_chain *c = up; c; c = c->up)
        if (c->dev == st->st_dev && c->ino == st->st_ino)
            return push(l, path, EL_INPUT_ERROR, NULL, ELOOP);

    DIR *d = opendir(path);
    if (!d)
        return push(l, path, EL_INPUT_ERROR, NULL, errno);

    char **names = NULL;
    size_t n = 0, cap = 0;
    enum el_err rc = EL_OK;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 32;
            char **v = el_realloc(names, ncap * sizeof(*v));
            if (!v) {
                rc = EL_ERR_NOMEM;
                break;
            }
            names = v;
            cap = ncap;
        }
        names[n] = el_strndup(e->d_name, strlen(e->d_name));
        if (!names[n]) {
            rc = EL_ERR_NOMEM;
            break;
        }
        n++;
    }
    closedir(d);

    if (rc == EL_OK && n > 1)
        qsort(names, n, sizeof(*names), cmp_names);

    struct dir_chain here = { st->st_dev, st->st_ino, up };
    size_t plen = strlen(path);
    bool slash = plen > 0 && path[plen - 1] == '/';
    for (size_t i = 0; i < n && rc == EL_OK; i++) {
        size_t nlen = strlen(names[i]);
        char *child = el_malloc(plen + 1 + nlen + 1);
        if (!child) {
            rc = EL_ERR_NOMEM;
            break;
        }
        memcpy(child, path, plen);
        size_t k = plen;
        if (!slash)
            child[k++] = '/';
        memcpy(child + k, names[i], nlen + 1);
        rc = add_path(l, child, &here);
        el_free(child);
    }
    for (size_t i = 0; i < n; i++)
        el_free(names[i]);
    el_free(names);
    return rc;
}

static enum el_err add_path(struct el_input_list *l, const char *path,
                            const struct dir_chain *up)
{
    struct stat st;

    if (strcmp(path, "-") == 0)
        return push(l, path, EL_INPUT_STDIN, NULL, 0);
    if (stat(path, &st) != 0)
        return push(l, path, EL_INPUT_ERROR, NULL, errno);
    if (S_ISDIR(st.st_mode))
        return walk_dir(l, path, &st, up);
    if (el_input_is_marker(path))
        return push(l, path, EL_INPUT_MARKER, &st, 0);
    /* Inside a walked folder only regular files are logs: a FIFO or socket
     * there would block or fail, so it is skipped like a marker. Named on
     * the command line, a FIFO is read (process substitution). */
    if (up && !S_ISREG(st.st_mode))
        return push(l, path, EL_INPUT_MARKER, NULL, 0);
    return push(l, path, EL_INPUT_FILE, &st, 0);
}

enum el_err el_inputs_expand(struct el_input_list *list, const char *const *paths, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        enum el_err rc = add_path(list, paths[i], NULL);
        if (rc != EL_OK)
            return rc;
    }
    return EL_OK;
}

struct identity {
    uint64_t dev, ino;
    size_t i; /* position in the list */
};

/* By (device, inode), then by position: the first of a run of equal
 * identities is the first listing. */
static int cmp_identity(const void *a, const void *b)
{
    const struct identity *x = a, *y = b;
    if (x->dev != y->dev)
        return x->dev < y->dev ? -1 : 1;
    if (x->ino != y->ino)
        return x->ino < y->ino ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

size_t el_inputs_mark_same(struct el_input_list *list)
{
    size_t n = 0;
    for (size_t i = 0; i < list->n; i++)
        n += list->v[i].kind == EL_INPUT_FILE && list->v[i].ino != 0;
    if (n < 2)
        return 0;
    struct identity *id = el_malloc(n * sizeof(*id));
    if (!id)
        return (size_t)-1;
    n = 0;
    for (size_t i = 0; i < list->n; i++)
        if (list->v[i].kind == EL_INPUT_FILE && list->v[i].ino != 0)
            id[n++] = (struct identity){ list->v[i].dev, list->v[i].ino, i };
    qsort(id, n, sizeof(*id), cmp_identity);
    size_t marked = 0, first = 0;
    for (size_t k = 1; k < n; k++) {
        if (id[k].dev != id[first].dev || id[k].ino != id[first].ino) {
            first = k;
            continue;
        }
        list->v[id[k].i].kind = EL_INPUT_SAME;
        list->v[id[k].i].same_as = id[first].i;
        marked++;
    }
    el_free(id);
    return marked;
}

void el_inputs_free(struct el_input_list *list)
{
    for (size_t i = 0; i < list->n; i++)
        el_free(list->v[i].path);
    el_free(list->v);
    *list = (struct el_input_list){ 0 };
}

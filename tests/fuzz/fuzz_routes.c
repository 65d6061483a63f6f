/* fuzz_routes.c: the routes-file reader (--routes) over arbitrary text,
 * then the rules applied to fixed requests and to each line of the input
 * taken as a path (a path is attacker-controlled; the rules are not, but a
 * bad rules file must be an error, never a crash).
 *
 * Invariants: a rejected file says why; applying rules never touches a
 * record that no rule matched, and a match gives a readable route marked
 * as the rules'. */
#include "analysis.h"
#include "fuzz.h"

static struct el_routes *rt;

static void apply(struct el_str method, struct el_str path)
{
    struct el_record r = { .src = EL_SRC_ALB, .route_from = EL_ROUTE_AUTO, .method = method,
                           .path = path, .route = EL_STR_LIT("/orig") };
    bool hit = el_routes_apply(rt, &r);
    if (hit) {
        FUZZ_CHECK(r.route_from == EL_ROUTE_RULES, "a match not marked as the rules'");
        (void)fuzz_touch(r.route);
    } else {
        FUZZ_CHECK(r.route_from == EL_ROUTE_AUTO && el_str_eq(r.route, "/orig"),
                   "no match, yet the record changed");
    }
}

static void apply_line(const char *line, size_t len, void *arg)
{
    (void)arg;
    apply(EL_STR_LIT("GET"), (struct el_str){ line, len });
    apply((struct el_str){ 0 }, (struct el_str){ line, len });
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_dup(data, size);
    char err[200];
    memset(err, 'x', sizeof(err));
    rt = NULL;
    enum el_err rc = el_routes_create(text, size, &rt, err, sizeof(err));
    if (rc != EL_OK) {
        FUZZ_CHECK(rc == EL_ERR_USAGE || rc == EL_ERR_NOMEM, "create code");
        FUZZ_CHECK(memchr(err, '\0', sizeof(err)) != NULL && (rc != EL_ERR_USAGE || err[0]),
                   "no message");
        free(text);
        return 0;
    }
    free(text); /* the rules must not keep views into the file's text */
    static const char *const paths[] = { "/", "", "/users/42/orders/7", "/v1/legacy/x",
                                         "/health", "/a//b", "/%2F", "/{id}" };
    static const char *const methods[] = { "GET", "POST", "", "DELETE" };
    for (size_t i = 0; i < EL_ARRAY_LEN(paths); i++)
        for (size_t k = 0; k < EL_ARRAY_LEN(methods); k++) {
            char *pc = fuzz_dup(paths[i], strlen(paths[i]));
            apply((struct el_str){ methods[k], strlen(methods[k]) },
                  (struct el_str){ pc, strlen(paths[i]) });
            free(pc);
        }
    fuzz_each_line(data, size, apply_line, NULL);
    el_routes_destroy(rt);
    return 0;
}

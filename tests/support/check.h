/* check.h: checks and parser drivers shared by the parser unit tests.
 *
 * Each check_* that compares returns the number of mismatches (0 when all is
 * as wanted) and prints every mismatch with cmocka's print_error, naming the
 * table row, so a test runs its whole table and then fails once. Parsers are
 * reached only through the ops table a test passes in, so check.c links
 * against no parser (the core-only tests build it too).
 */
#ifndef EL_CHECK_H
#define EL_CHECK_H

#include "parsers.h"

/* A string expectation: NULL = not checked, ABSENT = must be an empty view.
 * Recognised by address, so tables write ABSENT, never its text. */
extern const char check_absent[];
#define ABSENT check_absent

/* ---- fields ------------------------------------------------------------------ */

/* GOT holds exactly the bytes of WANT (a C string), or is empty when WANT is
 * ABSENT. NULL WANT: not checked. */
int check_str(const char *row, const char *field, struct el_str got, const char *want);

int check_i64(const char *row, const char *field, int64_t got, int64_t want);

/* GOT->flags equals WANT->flags, and every number whose flag is set in
 * WANT->flags (time, latency, backend, overhead, status, backend status,
 * client port, bytes in and out) equals WANT's. Numbers whose flag is clear
 * are not compared: a parser may leave them as they were. */
int check_numbers(const char *row, const struct el_record *got, const struct el_record *want);

/* ---- results ----------------------------------------------------------------- */

/* The return code of one parse. A mismatch is printed with the diag and
 * counts 1; the caller then has nothing further worth comparing. */
int check_rc(const char *row, enum el_err got, enum el_err want, const struct el_diag *diag);

/* The diag of a line that was not parsed into a record (RC is not EL_OK):
 * diag.code equals RC, diag.what is set and equals WANT_WHAT (unless NULL),
 * and diag.offset lies within the line of LEN bytes. */
int check_diag(const char *row, enum el_err rc, const struct el_diag *diag,
               const char *want_what, size_t len);

/* ---- driving a parser -------------------------------------------------------- */

/* Body of a cmocka setup: *state = a new parser of OPS. 0, or -1 when create
 * fails. The matching teardown calls OPS->destroy(*state). */
int check_parser_setup(const struct el_parser_ops *ops, void **state);

/* OPS->parse on a guard-page copy of s[0..n) (guard.h), so a read past the
 * line faults; *diag is cleared first. Returns what parse returned. */
enum el_err check_parse(const struct el_parser_ops *ops, struct el_parser *p, const char *s,
                        size_t n, struct el_record *rec, struct el_diag *diag);

/* OPS->sniff on a guard-page copy of one LINE (NULL: no lines at all) scores
 * within [min, max]. */
int check_sniff(const char *row, const struct el_parser_ops *ops, const char *line, int min,
                int max);

/* Fails the test unless OPS->create reports EL_ERR_NOMEM and leaves *out
 * untouched whichever of its first NALLOCS allocations fails. Leaks show up
 * under LeakSanitizer. Also calls OPS->destroy(NULL), which must be a no-op. */
void check_create_nomem(const struct el_parser_ops *ops, unsigned nallocs);

/* HEAD, then UNIT REPS times, then TAIL, without a NUL, in a buffer from
 * plain malloc (not el_malloc, so el_mem_allocs counts only the parser).
 * Sets *len; the caller frees. */
char *check_repeat(const char *head, const char *unit, size_t reps, const char *tail,
                   size_t *len);

/* splitmix64: a deterministic generator for test data (no rand()). */
uint64_t check_splitmix(uint64_t *state);

#endif

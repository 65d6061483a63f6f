/* ingest.h: turning paths into lines.
 *
 * el_reader reads one file or stdin, gzip (any number of concatenated
 * members, detected by magic bytes, not by name) or plain text, and hands
 * out lines as views into one reused buffer: no allocation per line, NUL
 * bytes are ordinary bytes, CRLF and a missing final newline are handled,
 * and a line longer than the cap is skipped and reported.
 *
 * el_inputs expands the command line's paths (files, directories walked
 * recursively in sorted order, "-" for stdin) into the ordered list of
 * inputs, and recognises the marker objects AWS writes next to real logs.
 */
#ifndef EL_INGEST_H
#define EL_INGEST_H

#include "core.h"

#define EL_READER_DEFAULT_MAX_LINE ((size_t)1 << 20)

struct el_reader_opts {
    size_t max_line; /* longest line accepted, bytes; 0 = default (1 MiB) */
    /* Decompress on a thread of the reader's own, handing over blocks of
     * decompressed bytes, so a single stream uses two cores: one inflates
     * while the caller parses. Results are the same either way. */
    bool threaded;
};

struct el_reader;

/* Opens path, or stdin when path is "-". On failure returns EL_ERR_IO (errno
 * set) or EL_ERR_NOMEM and writes nothing to *out. */
enum el_err el_reader_open(const char *path, const struct el_reader_opts *opts,
                           struct el_reader **out);
void el_reader_close(struct el_reader *r); /* NULL is fine */

/* Next line, without its '\n' (and one '\r' before it). Returns:
 *   EL_OK        *line is valid until the next call on r;
 *   EL_ERR_PARSE the line the input's damage cut short (no newline, and
 *                the gzip data broke after it): *line holds what arrived,
 *                for the caller to count as rejected; the error follows;
 *   EL_ERR_TOO_LONG  a line over the cap was skipped (its number is
 *                el_reader_line_no); call again for the next line;
 *   EL_DONE      end of input;
 *   EL_ERR_GZIP  the gzip data is corrupt or truncated (el_reader_error says
 *                how); lines returned before stay valid results;
 *   EL_ERR_IO    a read error (el_reader_error says how);
 *   EL_ERR_NOMEM
 * After an error every later call returns EL_DONE. */
enum el_err el_reader_next(struct el_reader *r, struct el_str *line);

/* Raw decompressed bytes, for container formats that are not made of
 * lines: a view of everything buffered (at least one byte), consumed by the
 * call and valid until the next call. Same end and error returns as
 * el_reader_next. Do not mix with el_reader_next on one reader. */
enum el_err el_reader_read(struct el_reader *r, struct el_str *chunk);

/* Reads ahead without consuming, so a caller can sniff the format: *data
 * holds at least the first `want` bytes of the (decompressed) stream, or all
 * of it when shorter. The view is valid until the next el_reader_next. */
enum el_err el_reader_peek(struct el_reader *r, size_t want, struct el_str *data);

/* 1-based number of the line last returned or skipped. */
uint64_t el_reader_line_no(const struct el_reader *r);
/* Bytes consumed from the underlying file so far (compressed bytes for gzip):
 * progress against the file size. */
uint64_t el_reader_in_bytes(const struct el_reader *r);
/* Decompressed bytes handed out so far. */
uint64_t el_reader_out_bytes(const struct el_reader *r);
bool el_reader_is_gzip(const struct el_reader *r);
/* Detail of the last error, a static or reader-owned string, never NULL. */
const char *el_reader_error(const struct el_reader *r);

/* ---- CloudWatch Logs envelopes ---------------------------------------------
 * Subscription deliveries and Firehose objects hold JSON envelopes
 *   {"messageType":"DATA_MESSAGE","logGroup":...,"logStream":...,
 *    "logEvents":[{"id":"<56 digits>","timestamp":<ms>,"message":"..."}]}
 * written back to back with no separator (or one per line). el_cwl splits
 * the stream into envelopes by brace depth (strings and escapes honoured),
 * parses each with cJSON, and hands out its events one at a time. Event ids
 * are never parsed as numbers. */
#define EL_CWL_DEFAULT_MAX_ENVELOPE ((size_t)16 << 20)

struct el_cwl;

/* true when the first bytes of a stream look like envelopes. */
bool el_cwl_sniff(struct el_str head);

/* Reads envelopes from r (not owned). max_envelope 0 = default (16 MiB). */
enum el_err el_cwl_create(struct el_reader *r, size_t max_envelope, struct el_cwl **out);
void el_cwl_destroy(struct el_cwl *c); /* NULL is fine */

/* Next event. EL_OK: *ev is valid until the next call. EL_SKIP: a control
 * message or an envelope without events (kind in diag->what). EL_ERR_PARSE:
 * an envelope or event that could not be read (reason in diag->what); the
 * next call goes on after it. EL_DONE at the end; reader errors as
 * el_reader_next (EL_ERR_GZIP, EL_ERR_IO, EL_ERR_NOMEM). */
enum el_err el_cwl_next(struct el_cwl *c, struct el_event *ev, struct el_diag *diag);

/* ---- inputs ------------------------------------------------------------- */

enum el_input_kind {
    EL_INPUT_FILE,   /* a regular file, or something that reads like one */
    EL_INPUT_STDIN,  /* "-" */
    EL_INPUT_MARKER, /* not a log (AWS marker object, or a FIFO/socket inside a
                        walked folder): skipped and counted */
    EL_INPUT_ERROR,  /* could not be opened or walked; error holds why */
};

struct el_input {
    char *path; /* owned by the list */
    enum el_input_kind kind;
    uint64_t size; /* bytes on disk, 0 when unknown (stdin, FIFO) */
    int error;     /* errno for EL_INPUT_ERROR */
};

struct el_input_list {
    struct el_input *v;
    size_t n, cap;
};

/* Appends the inputs named by paths[0..n) to list, expanding directories
 * recursively with entries in bytewise sorted order, so results never depend
 * on readdir order. Symbolic links to directories are followed once; a
 * directory that is its own ancestor is reported as an error (a loop).
 * Problems with one path become EL_INPUT_ERROR entries; only EL_ERR_NOMEM
 * fails the call. */
enum el_err el_inputs_expand(struct el_input_list *list, const char *const *paths, size_t n);
void el_inputs_free(struct el_input_list *list);

/* true for the objects AWS writes beside logs that are not logs:
 * ELBAccessLogTestFile (ALB, on enabling access logs) and
 * aws-logs-write-test (CloudWatch Logs export). Looks at the base name. */
bool el_input_is_marker(const char *path);

#endif /* EL_INGEST_H */

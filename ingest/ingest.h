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

/* Which library inflates gzip data. Every backend gives the same bytes,
 * the same errors and the same messages on valid data (the gzip framing
 * and checks are shared); they differ only in speed. Invalid deflate data
 * is an EL_ERR_GZIP with either, but the decoders may notice it at
 * different points: ISA-L does not check that a Huffman code is complete,
 * so where zlib reports "invalid deflate data" ISA-L may decode garbage
 * further and report the failed data check; the lines before the damage
 * are the same, the damaged one may differ. */
enum el_inflate {
    EL_INFLATE_AUTO, /* the fastest this build has: ISA-L when built in, else zlib */
    EL_INFLATE_ZLIB,
    EL_INFLATE_ISAL, /* only in builds with ISA-L (CMake option EL_ISAL) */
};

/* Whether this build has backend b (AUTO and ZLIB always). */
bool el_inflate_available(enum el_inflate b);
/* "zlib" or "isal" (what AUTO resolves to), or "none" when not built in. */
const char *el_inflate_name(enum el_inflate b);

struct el_reader_opts {
    size_t max_line; /* longest line accepted, bytes; 0 = default (1 MiB) */
    /* Decompress on a thread of the reader's own, handing over blocks of
     * decompressed bytes, so a single stream uses two cores: one inflates
     * while the caller parses. The thread starts with the first
     * el_reader_next or el_reader_read (peeks before it are served in the
     * caller's thread). Results are the same either way. */
    bool threaded;
    enum el_inflate inflate; /* EL_INFLATE_AUTO (0) by default */
};

struct el_reader;

/* Opens path, or stdin when path is "-". On failure returns EL_ERR_IO (errno
 * set), EL_ERR_USAGE (opts asks for an inflate backend this build lacks) or
 * EL_ERR_NOMEM, and writes nothing to *out. */
enum el_err el_reader_open(const char *path, const struct el_reader_opts *opts,
                           struct el_reader **out);
/* The same over len bytes in memory (a buffer the caller keeps alive and
 * unchanged until el_reader_close): for tests and fuzzers, and callers
 * that already hold a whole object. EL_ERR_USAGE or EL_ERR_NOMEM. */
enum el_err el_reader_open_mem(const void *data, size_t len, const struct el_reader_opts *opts,
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

/* ---- blocks of whole lines, for parsing one stream on several threads ----
 * After el_reader_start_blocks, a thread of the reader's own decompresses
 * into a small pool of blocks (8 of about 1 MiB: the memory is bounded) and
 * cuts each at its last newline, carrying the partial line into the next.
 * Any number of threads take blocks, split them into lines with
 * el_block_next, and give them back. The lines, and the lines reported as
 * too long or cut short, are exactly those el_reader_next would give,
 * though blocks reach the takers in no particular order. */
struct el_block {
    const char *p; /* whole lines; the last one lacks its '\n' only at the end */
    size_t n;
    /* private */
    uint64_t _too_long; /* lines over the cap skipped just before p */
    size_t _pos, _max_line;
    bool _cut; /* the last line is what arrived before damaged data */
    int _slot;
};

/* Switches r to blocks. Call once, from the thread that opened r, after any
 * el_reader_peek and before any other read; data already peeked is handed
 * out first. EL_OK, or EL_ERR_NOMEM (r is then unchanged: read it with
 * el_reader_next). */
enum el_err el_reader_start_blocks(struct el_reader *r);

/* Takes the next block; thread-safe, waits for one. EL_OK: *b is the
 * caller's until el_reader_give_back. At the end EL_DONE, except that the
 * stream's error (EL_ERR_GZIP, EL_ERR_IO, EL_ERR_NOMEM; el_reader_error says
 * how) is returned once, to one taker, after the last block. */
enum el_err el_reader_take(struct el_reader *r, struct el_block *b);
/* Returns b's memory to the reader; thread-safe. */
void el_reader_give_back(struct el_reader *r, struct el_block *b);

/* Next line of b, with the codes of el_reader_next: EL_OK, EL_ERR_TOO_LONG
 * (a line over the cap: count it and call again), EL_ERR_PARSE (the line
 * damage cut short, to reject), EL_DONE at the end of the block. Views point
 * into the block. Line numbers are not tracked in block mode. */
enum el_err el_block_next(struct el_block *b, struct el_str *line);

/* 1-based number of the line last returned or skipped. */
uint64_t el_reader_line_no(const struct el_reader *r);
/* Bytes consumed from the underlying file so far (compressed bytes for gzip):
 * progress against the file size. */
uint64_t el_reader_in_bytes(const struct el_reader *r);
/* Decompressed bytes handed out so far. */
uint64_t el_reader_out_bytes(const struct el_reader *r);
bool el_reader_is_gzip(const struct el_reader *r);
/* Once the stream has ended (EL_DONE, or an error after it): how many bytes
 * after the last gzip member were ignored because they start no member, or
 * 0 when there were none or all were zero padding. Not lines: the caller
 * reports them. */
uint64_t el_reader_trailing(const struct el_reader *r);
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
    EL_INPUT_SAME,   /* a file listed before under another path (same device
                        and inode): not read again; same_as is its index */
};

struct el_input {
    char *path; /* owned by the list */
    enum el_input_kind kind;
    uint64_t size; /* bytes on disk, 0 when unknown (stdin, FIFO) */
    int error;     /* errno for EL_INPUT_ERROR */
    size_t same_as; /* EL_INPUT_SAME: index of the first listing */
    uint64_t dev, ino; /* of a regular file, else 0 */
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
/* Turns every regular file that appears more than once in list (named
 * twice, reached through a link, or through overlapping folders) into
 * EL_INPUT_SAME after its first appearance, so no log is counted twice.
 * Returns how many were marked, or (size_t)-1 when out of memory (list
 * unchanged). */
size_t el_inputs_mark_same(struct el_input_list *list);
void el_inputs_free(struct el_input_list *list);

/* true for the objects AWS writes beside logs that are not logs:
 * ELBAccessLogTestFile (ALB, on enabling access logs) and
 * aws-logs-write-test (CloudWatch Logs export). Looks at the base name. */
bool el_input_is_marker(const char *path);

#endif /* EL_INGEST_H */

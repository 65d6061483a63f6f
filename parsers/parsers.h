/* parsers.h: the normalized record and the parser plug-in interface.
 *
 * A parser turns one input line (ptr, len) into one struct el_record, or says
 * why it could not (struct el_diag), or that the line is a known non-request
 * line (EL_SKIP, kind in diag.what). Parsers never read files, never print and
 * never allocate per line: record fields are views into the line or into the
 * parser's own scratch buffer, valid until the next parse call on the same
 * parser state. docs/RECORD.md documents every field.
 */
#ifndef EL_PARSERS_H
#define EL_PARSERS_H

#include "core.h"

enum el_src {
    EL_SRC_UNKNOWN = 0,
    EL_SRC_ALB,
    EL_SRC_APIGW_REST,
    EL_SRC_APIGW_HTTP,
    EL_SRC_COUNT
};

/* "alb", "apigw-rest", "apigw-http"; "unknown" otherwise. */
const char *el_src_name(enum el_src s);

/* Which optional values are present. An absent value is a cleared bit, never
 * a magic number: the outputs print an empty cell / JSON null. */
enum el_rec_flag {
    EL_REC_HAS_TIME = 1u << 0,
    EL_REC_HAS_STATUS = 1u << 1,
    EL_REC_HAS_BACKEND_STATUS = 1u << 2,
    EL_REC_HAS_LATENCY = 1u << 3,  /* latency_us (total) */
    EL_REC_HAS_BACKEND = 1u << 4,  /* backend_us */
    EL_REC_HAS_OVERHEAD = 1u << 5, /* overhead_us */
    EL_REC_HAS_BYTES_IN = 1u << 6,
    EL_REC_HAS_BYTES_OUT = 1u << 7,
    EL_REC_HAS_CLIENT_PORT = 1u << 8,
    EL_REC_INCOMPLETE = 1u << 9, /* a multi-line request that never completed */
};

/* API Gateway features a request was seen to use (el_record.features), from
 * execution-log lines and access-log error types. Each is something ALB does
 * not do, so a migration from API Gateway to ALB would have to replace it
 * (analysis/migrate.h). Zero for ALB records. */
enum el_rec_feature {
    EL_FEAT_API_KEY = 1u << 0,      /* an API key was checked ("API Key authorized", key ids) */
    EL_FEAT_USAGE_PLAN = 1u << 1,   /* a usage plan was checked ("Verifying Usage Plan") */
    EL_FEAT_AUTHORIZER = 1u << 2,   /* a Lambda/Cognito authorizer ran or refused */
    EL_FEAT_THROTTLED = 1u << 3,    /* API Gateway throttled it ("throttle limit exceeded") */
    EL_FEAT_VALIDATION = 1u << 4,   /* request validation failed (BAD_REQUEST_BODY/PARAMETERS) */
    EL_FEAT_MAPPING = 1u << 5,      /* a mapping template transformed it (non-proxy integration) */
    EL_FEAT_CACHE = 1u << 6,        /* the API cache was consulted (hit or miss) */
};
/* Execution-log requests kept open at once while their lines arrive; past
 * it the oldest is closed as incomplete ("evicted at the open-request cap"
 * in the accounting line), so memory stays bounded on any input. */
#define EL_EXEC_MAX_OPEN 32768

#define EL_FEAT_COUNT 7 /* bits 0 .. EL_FEAT_COUNT - 1 */

/* Stable lower-case name of one feature bit ("api_key", "usage_plan",
 * "authorizer", "throttled", "validation", "mapping", "cache"); "" for
 * anything else (0, several bits, unknown bits). */
const char *el_feature_name(enum el_rec_feature f);

/* Where a record's route template came from (records column route_from). */
enum el_route_from {
    EL_ROUTE_NONE = 0, /* no route */
    EL_ROUTE_AUTO,     /* edgelog templated the concrete path ({id}, {uuid}, ...) */
    EL_ROUTE_API,      /* the API's own template (API Gateway resource / route key) */
    EL_ROUTE_RULES,    /* a --routes rule */
};

/* "auto", "api", "rules"; "" for none. */
const char *el_route_from_name(enum el_route_from f);

struct el_record {
    enum el_src src;
    enum el_route_from route_from;
    uint32_t flags;    /* enum el_rec_flag bits */
    uint32_t features; /* enum el_rec_feature bits */
    int64_t time_us;
    int64_t latency_us;
    int64_t backend_us;
    int64_t overhead_us;
    uint64_t bytes_in, bytes_out;
    uint16_t status;
    uint16_t backend_status;
    uint16_t client_port;
    struct el_str request_id, trace_id, conn_id;
    struct el_str client_ip;
    struct el_str method, scheme, host, path, route, protocol;
    struct el_str error_reason, target, target_group, user_agent;
    /* ALB only, used by the classifier and later the cost model. */
    struct el_str actions; /* actions_executed, e.g. "waf,forward" */
    struct el_str type;    /* ALB type field: http, https, h2, ws, wss, grpcs */
};

_Static_assert(sizeof(struct el_record) <= 384, "record grew; check the hot path");

static inline bool el_rec_has(const struct el_record *r, enum el_rec_flag f)
{
    return (r->flags & f) != 0;
}

/* ---- plug-in interface -----------------------------------------------------
 * A parser is a const ops table; the registry lists them. A new format is one
 * new .c file, one extern line and one registry entry. */
struct el_parser; /* opaque per-format state */

/* struct el_event (one CloudWatch Logs envelope event) is in core.h: ingest
 * produces it, parsers consume it. */

struct el_parser_ops {
    const char *name;    /* --input-format value */
    const char *summary; /* one line for `edgelog formats` */
    /* Confidence 0..100 that these first lines of a stream are this format. */
    int (*sniff)(const struct el_str *lines, size_t n);
    enum el_err (*create)(struct el_parser **out);
    /* Parses one line (no trailing newline). EL_OK: *rec filled. EL_SKIP: a
     * recognised non-request line, diag->what names its kind. EL_ERR_*: a
     * rejected line, diag says why. Views stay valid until the next call. */
    enum el_err (*parse)(struct el_parser *p, const char *line, size_t len,
                         struct el_record *rec, struct el_diag *diag);
    void (*destroy)(struct el_parser *p);

    /* Optional (NULL when the format has no use for them). */

    /* Parses one event of a CloudWatch Logs envelope, whose time and log
     * group the envelope supplied. NULL: the pipeline calls parse() on the
     * message. Same returns as parse(). */
    enum el_err (*parse_event)(struct el_parser *p, const struct el_event *ev,
                               struct el_record *rec, struct el_diag *diag);
    /* Multi-line formats, where one request spans many lines. parse()
     * returns EL_PENDING when the line was taken into an open request;
     * drain() then hands out requests that are complete, one per call
     * (EL_OK with *rec filled, valid until the next call), or EL_DONE.
     * finish() closes every request still open at the end of the input, so
     * drain() returns them too, flagged EL_REC_INCOMPLETE. */
    enum el_err (*drain)(struct el_parser *p, struct el_record *rec, struct el_diag *diag);
    void (*finish)(struct el_parser *p);
};

extern const struct el_parser_ops el_parser_alb;
extern const struct el_parser_ops el_parser_apigw_access;
extern const struct el_parser_ops el_parser_apigw_exec;

/* All registered parsers, in sniffing priority order. */
const struct el_parser_ops *const *el_parsers_all(size_t *n);
const struct el_parser_ops *el_parser_find(const char *name); /* NULL if unknown */
/* The parser most confident about these lines, or NULL if none reaches the
 * minimum confidence. */
const struct el_parser_ops *el_parser_sniff(const struct el_str *lines, size_t n);

/* ---- route templates ---------------------------------------------------------
 * The route of a request is its path without the query string, with id-like
 * segments replaced: all digits -> {id}, a UUID -> {uuid}, 16+ hex digits ->
 * {hex}, and other high-entropy tokens (16+ characters of letters, digits, '-'
 * and '_' whose letter/digit runs switch at least 3 times between '-' or '_')
 * -> {token}. The caller strips the query string.
 * Writes into buf (cap bytes) and returns the view; a path longer than cap is
 * cut at a segment boundary. An empty path is "/". */
struct el_str el_route_template(struct el_str path, char *buf, size_t cap);

/* The same route, as a view that is either path itself (when no segment is
 * replaced and nothing is cut: the common static route costs no copy) or
 * buf as written by el_route_template. Same bytes in both cases; the view
 * lives as long as the shorter-lived of path and buf. */
struct el_str el_route_template_view(struct el_str path, char *buf, size_t cap);

#endif /* EL_PARSERS_H */

/* cwl.c: CloudWatch Logs envelopes (subscription and Firehose deliveries).
 *
 * The stream is a sequence of JSON objects, back to back or separated by
 * whitespace. Objects are found by brace depth outside strings (a '}' in a
 * message is inside a string), copied into one reused buffer, and parsed
 * with cJSON; the tree lives until the last of its events was handed out.
 * Bytes between objects that are not whitespace are skipped and reported
 * once per run. An object larger than the cap is skipped whole and
 * reported, so memory stays bounded whatever the input.
 */
#include <cjson/cJSON.h>
#include <string.h>

#include "ingest.h"

struct el_cwl {
    struct el_reader *r;
    struct el_str chunk; /* unread part of the reader's last chunk */
    bool at_end;
    char *obj;
    size_t len, cap, max;
    cJSON *tree;
    const cJSON *ev; /* next event of tree to hand out */
    struct el_str group, stream;
};

bool el_cwl_sniff(struct el_str head)
{
    size_t i = 0;
    while (i < head.n && (head.p[i] == ' ' || head.p[i] == '\t' || head.p[i] == '\r' ||
                          head.p[i] == '\n'))
        i++;
    if (i == head.n || head.p[i] != '{')
        return false;
    static const char k1[] = "\"logEvents\"", k2[] = "\"messageType\"";
    size_t n = head.n - i;
    const char *p = head.p + i;
    for (size_t k = 0; k + sizeof(k2) - 1 <= n; k++) {
        if (p[k] != '"')
            continue;
        if ((k + sizeof(k1) - 1 <= n && memcmp(p + k, k1, sizeof(k1) - 1) == 0) ||
            memcmp(p + k, k2, sizeof(k2) - 1) == 0)
            return true;
    }
    return false;
}

enum el_err el_cwl_create(struct el_reader *r, size_t max_envelope, struct el_cwl **out)
{
    struct el_cwl *c = el_calloc(1, sizeof(*c));
    if (!c)
        return EL_ERR_NOMEM;
    c->r = r;
    c->max = max_envelope ? max_envelope : EL_CWL_DEFAULT_MAX_ENVELOPE;
    *out = c;
    return EL_OK;
}

void el_cwl_destroy(struct el_cwl *c)
{
    if (!c)
        return;
    cJSON_Delete(c->tree);
    el_free(c->obj);
    el_free(c);
}

static bool append(struct el_cwl *c, const char *p, size_t n)
{
    if (c->len + n + 1 > c->cap) {
        size_t cap = c->cap ? c->cap : 64 * 1024;
        while (cap < c->len + n + 1)
            cap *= 2;
        char *o = el_realloc(c->obj, cap);
        if (!o)
            return false;
        c->obj = o;
        c->cap = cap;
    }
    memcpy(c->obj + c->len, p, n);
    c->len += n;
    return true;
}

static bool is_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

/* Reads the next whole object into c->obj. EL_OK, EL_DONE, EL_ERR_PARSE
 * (garbage or an oversized object, skipped: diag says which), or a reader
 * error. */
static enum el_err next_object(struct el_cwl *c, struct el_diag *diag)
{
    int depth = 0;
    bool in_str = false, esc = false, garbage = false, oversized = false;
    c->len = 0;
    for (;;) {
        if (c->chunk.n == 0) {
            if (c->at_end)
                break;
            enum el_err rc = el_reader_read(c->r, &c->chunk);
            if (rc == EL_DONE) {
                c->at_end = true;
                break;
            }
            if (rc != EL_OK)
                return rc;
        }
        const char *p = c->chunk.p, *end = p + c->chunk.n, *start = p;
        if (depth == 0) {
            while (p < end && *p != '{') {
                if (!is_space(*p))
                    garbage = true;
                p++;
            }
            c->chunk = (struct el_str){ p, (size_t)(end - p) };
            if (garbage && p < end)
                return el_diag_set(diag, EL_ERR_PARSE, 0, 0,
                                   "bytes outside a CloudWatch Logs envelope");
            if (p == end)
                continue;
            start = p;
        }
        for (; p < end; p++) {
            char ch = *p;
            if (in_str) {
                if (esc)
                    esc = false;
                else if (ch == '\\')
                    esc = true;
                else if (ch == '"')
                    in_str = false;
            } else if (ch == '"') {
                in_str = true;
            } else if (ch == '{' || ch == '[') {
                depth++;
            } else if (ch == '}' || ch == ']') {
                if (--depth == 0) {
                    p++;
                    break;
                }
            }
        }
        size_t n = (size_t)(p - start);
        if (!oversized && c->len + n > c->max) {
            oversized = true;
            c->len = 0;
        }
        if (!oversized && !append(c, start, n))
            return EL_ERR_NOMEM;
        c->chunk = (struct el_str){ p, (size_t)(end - p) };
        if (depth == 0) {
            if (oversized)
                return el_diag_set(diag, EL_ERR_PARSE, 0, 0,
                                   "CloudWatch Logs envelope over the size cap");
            return EL_OK;
        }
    }
    if (garbage)
        return el_diag_set(diag, EL_ERR_PARSE, 0, 0, "bytes outside a CloudWatch Logs envelope");
    if (depth > 0)
        return el_diag_set(diag, EL_ERR_PARSE, 0, 0, "CloudWatch Logs envelope cut short");
    return EL_DONE;
}

static struct el_str str_of(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (cJSON_IsString(v) && v->valuestring)
        return (struct el_str){ v->valuestring, strlen(v->valuestring) };
    return (struct el_str){ NULL, 0 };
}

enum el_err el_cwl_next(struct el_cwl *c, struct el_event *ev, struct el_diag *diag)
{
    for (;;) {
        if (c->ev) {
            const cJSON *e = c->ev;
            c->ev = e->next;
            const cJSON *msg = cJSON_GetObjectItemCaseSensitive(e, "message");
            const cJSON *ts = cJSON_GetObjectItemCaseSensitive(e, "timestamp");
            if (!cJSON_IsString(msg) || !msg->valuestring)
                return el_diag_set(diag, EL_ERR_PARSE, 0, 0, "envelope event without a message");
            if (!cJSON_IsNumber(ts) || ts->valuedouble < 0 || ts->valuedouble > 253402300799999.0)
                return el_diag_set(diag, EL_ERR_PARSE, 0, 0,
                                   "envelope event without a valid timestamp");
            *ev = (struct el_event){
                .message = { msg->valuestring, strlen(msg->valuestring) },
                .time_us = (int64_t)ts->valuedouble * 1000,
                .log_group = c->group,
                .log_stream = c->stream,
            };
            return EL_OK;
        }
        cJSON_Delete(c->tree);
        c->tree = NULL;
        enum el_err rc = next_object(c, diag);
        if (rc != EL_OK)
            return rc;
        c->tree = cJSON_ParseWithLength(c->obj, c->len);
        if (!cJSON_IsObject(c->tree))
            return el_diag_set(diag, EL_ERR_PARSE, 0, 0, "invalid CloudWatch Logs envelope");
        struct el_str type = str_of(c->tree, "messageType");
        if (el_str_eq(type, "CONTROL_MESSAGE"))
            return el_diag_set(diag, EL_SKIP, 0, 0, "cloudwatch control message");
        const cJSON *events = cJSON_GetObjectItemCaseSensitive(c->tree, "logEvents");
        if (!cJSON_IsArray(events))
            return el_diag_set(diag, EL_ERR_PARSE, 0, 0, "envelope without logEvents");
        c->group = str_of(c->tree, "logGroup");
        c->stream = str_of(c->tree, "logStream");
        c->ev = events->child;
        if (!c->ev)
            return el_diag_set(diag, EL_SKIP, 0, 0, "envelope without events");
    }
}

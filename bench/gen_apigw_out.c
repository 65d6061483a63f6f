/* gen_apigw_out.c: where el_gen_apigw's lines go. A min-heap orders the
 * queued lines by (time, request, line), so that concurrent requests
 * interleave in a log stream as CloudWatch stores them; a line leaves the
 * heap once no request still to come can start before it. Then it is
 * written to one file, to its stream's part in CloudWatch's export layout
 * (exportedlogs/<task>/<stream>/000000.gz, a new part every --part-lines
 * lines), or into a subscription envelope of a Firehose object.
 *
 * Memory is bounded by the requests in flight, not by the corpus.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gen_apigw.h"

#define FIREHOSE_WINDOW_MS (900 * 1000LL)  /* Firehose's longest buffer interval */
#define ENVELOPE_EVENTS 64      /* a subscription delivery batches events */
#define ENVELOPE_SPAN_MS 1000

/* Exactly width digits: the low ones of v, zero-padded. */
static char *put_dec_u64(char *p, uint64_t v, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
    return p + width;
}

/* ------------------------------------------------------------------ */
/* The line queue: a min-heap on (time, request, line)                 */
/* ------------------------------------------------------------------ */

static bool hent_less(const struct el_ag_hent *a, const struct el_ag_hent *b)
{
    return a->ts < b->ts || (a->ts == b->ts && a->seq < b->seq);
}

static int heap_push(struct el_ag_gen *g, struct el_ag_hent e)
{
    size_t k;

    if (g->nheap == g->heap_cap) {
        size_t cap = g->heap_cap ? 2 * g->heap_cap : 1024;
        struct el_ag_hent *v = realloc(g->heap, cap * sizeof *v);

        if (!v)
            return -1;
        g->heap = v;
        g->heap_cap = cap;
    }
    k = g->nheap++;
    while (k > 0 && hent_less(&e, &g->heap[(k - 1) / 2])) {
        g->heap[k] = g->heap[(k - 1) / 2];
        k = (k - 1) / 2;
    }
    g->heap[k] = e;
    return 0;
}

static struct el_ag_hent heap_pop(struct el_ag_gen *g)
{
    struct el_ag_hent top = g->heap[0], last = g->heap[--g->nheap];
    size_t k = 0, n = g->nheap;

    for (;;) {
        size_t c = 2 * k + 1;

        if (c >= n)
            break;
        if (c + 1 < n && hent_less(&g->heap[c + 1], &g->heap[c]))
            c++;
        if (!hent_less(&g->heap[c], &last))
            break;
        g->heap[k] = g->heap[c];
        k = c;
    }
    if (n)
        g->heap[k] = last;
    return top;
}

void el_ag_pending_put(struct el_ag_gen *g, struct el_ag_pending *pd)
{
    pd->next_free = g->free_pd;
    g->free_pd = pd;
}

struct el_ag_pending *el_ag_pending_get(struct el_ag_gen *g, unsigned stream)
{
    struct el_ag_pending *pd = g->free_pd;

    if (pd) {
        g->free_pd = pd->next_free;
    } else {
        pd = calloc(1, sizeof *pd);
        if (!pd)
            return NULL;
    }
    pd->len = 0;
    pd->left = 0;
    pd->stream = stream;
    return pd;
}

/* Queues one message of request q at time ts (ms). */
int el_ag_queue_line(struct el_ag_gen *g, struct el_ag_pending *pd, const struct el_ag_req *q,
                     int64_t ts, const char *msg, size_t n)
{
    if (pd->len + n > pd->cap) {
        size_t cap = pd->cap ? pd->cap : 4096;
        char *b;

        while (cap < pd->len + n)
            cap *= 2;
        b = realloc(pd->buf, cap);
        if (!b)
            return -1;
        pd->buf = b;
        pd->cap = cap;
    }
    memcpy(pd->buf + pd->len, msg, n);
    struct el_ag_hent e = { ts, q->i << 8 | pd->left, (uint32_t)pd->len, (uint32_t)n, pd };

    if (heap_push(g, e) != 0)
        return -1;
    pd->len += n;
    pd->left++;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Output                                                              */
/* ------------------------------------------------------------------ */

static int open_writer(struct el_ag_gen *g, struct el_gzwriter *w, const char *path, bool gz)
{
    if (el_gzwriter_open(w, path, gz, g->o->c.level, g->o->c.jobs) != 0) {
        fprintf(stderr, EL_AG_PROG ": %s: %s\n", path ? path : "<stdout>", strerror(errno));
        el_gzwriter_close(w);
        return -1;
    }
    g->files++;
    return 0;
}

static int close_writer(struct el_ag_gen *g, struct el_gzwriter *w)
{
    int rc = el_gzwriter_close(w);

    g->raw += w->raw;
    g->packed += w->packed;
    if (rc != 0)
        fprintf(stderr, EL_AG_PROG ": %s: write failed: %s\n", w->path, strerror(errno));
    return rc;
}

/* The export object of a stream part: exportedlogs/<task>/<stream>/000000.gz */
static int open_part(struct el_ag_gen *g, struct el_ag_stream *s)
{
    char dir[4096], path[4200];
    int n = snprintf(dir, sizeof dir, "%s/%s", g->export_dir, s->name);

    if (n < 0 || (size_t)n >= sizeof dir || el_gen_mkdir_p(dir) != 0) {
        fprintf(stderr, EL_AG_PROG ": %s: %s\n", dir, strerror(errno));
        return -1;
    }
    snprintf(path, sizeof path, "%s/%06u%s", dir, s->part, g->o->c.plain ? "" : ".gz");
    if (open_writer(g, &s->w, path, !g->o->c.plain) != 0)
        return -1;
    s->open = true;
    s->part_lines = 0;
    return 0;
}

/* Firehose object of the window that holds ts (export layout), or --out. */
static int firehose_object(struct el_ag_gen *g, int64_t ts)
{
    int64_t win = el_floor_div(ts, FIREHOSE_WINDOW_MS);
    char dir[4096], path[4400], uuid[40], *e;
    struct el_rng r;
    int64_t ws = win * FIREHOSE_WINDOW_MS, day = el_floor_div(ws, 86400000);
    unsigned secs = (unsigned)((ws - day * 86400000) / 1000);
    int y, n;
    unsigned m, d;

    if (g->obj_open && (!g->o->export_layout || win == g->obj_window))
        return 0;
    if (g->obj_open && close_writer(g, &g->obj) != 0)
        return -1;
    g->obj_open = false;
    if (!g->o->export_layout) {
        bool out_stdout = strcmp(g->o->c.out, "-") == 0;

        if (open_writer(g, &g->obj, out_stdout ? NULL : g->o->c.out,
                        !g->o->c.plain && !out_stdout) != 0)
            return -1;
        g->obj_open = true;
        return 0;
    }
    el_gen_civil_from_days(day, &y, &m, &d);
    n = snprintf(dir, sizeof dir, "%s/%04d/%02u/%02u/%02u", g->o->c.out, y, m, d, secs / 3600);
    if (n < 0 || (size_t)n >= sizeof dir || el_gen_mkdir_p(dir) != 0) {
        fprintf(stderr, EL_AG_PROG ": %s: %s\n", dir, strerror(errno));
        return -1;
    }
    el_rng_line(&r, g->o->c.seed ^ 0xf1e5ULL, (uint64_t)win);
    e = el_put_uuid(uuid, &r);
    *e = '\0';
    snprintf(path, sizeof path, "%s/apigw-exec-to-s3-1-%04d-%02u-%02u-%02u-%02u-%02u-%s", dir, y,
             m, d, secs / 3600, secs / 60 % 60, secs % 60, uuid);
    if (open_writer(g, &g->obj, path, !g->o->c.plain) != 0)
        return -1;
    g->obj_open = true;
    g->obj_window = win;
    return 0;
}

/* One envelope: its own gzip member, appended to the current object. */
static int put_member(struct el_ag_gen *g, const char *json, size_t n)
{
    unsigned char *m;
    size_t mn;
    int rc;

    if (el_gz_member(json, n, 6, &m, &mn) != 0) {
        fprintf(stderr, EL_AG_PROG ": out of memory\n");
        return -1;
    }
    rc = el_gzwriter_put(&g->obj, m, mn);
    free(m);
    g->envelopes++;
    return rc;
}

static int env_reserve(struct el_ag_stream *s, size_t more)
{
    if (s->env_len + more > s->env_cap) {
        size_t cap = s->env_cap ? s->env_cap : 65536;
        char *b;

        while (cap < s->env_len + more)
            cap *= 2;
        b = realloc(s->env, cap);
        if (!b)
            return -1;
        s->env = b;
        s->env_cap = cap;
    }
    return 0;
}

static int flush_envelope(struct el_ag_gen *g, struct el_ag_stream *s)
{
    int rc;

    if (!s->env_events)
        return 0;
    if (firehose_object(g, s->env_first) != 0)
        return -1;
    if (!g->control_written) {
        /* Sent when the subscription is set up, to check the destination. */
        char c[400], *p = c;

        p = EL_PUT_LIT(p, "{\"messageType\":\"CONTROL_MESSAGE\",\"owner\":\"CloudwatchLogs\","
                          "\"logGroup\":\"\",\"logStream\":\"\",\"subscriptionFilters\":[],"
                          "\"logEvents\":[{\"id\":\"\",\"timestamp\":");

        p = el_put_u64(p, (uint64_t)(s->env_first - 41377));
        p = EL_PUT_LIT(p, ",\"message\":\"CWL CONTROL MESSAGE: Checking health of destination "
                          "Firehose.\"}]}");
        if (put_member(g, c, (size_t)(p - c)) != 0)
            return -1;
        g->control_written = true;
    }
    if (env_reserve(s, 2) != 0)
        return -1;
    s->env[s->env_len++] = ']';
    s->env[s->env_len++] = '}';
    rc = put_member(g, s->env, s->env_len);
    s->env_len = 0;
    s->env_events = 0;
    return rc;
}

/* Appends one event to its stream's envelope (compact JSON, as CloudWatch
 * Logs delivers it); a batch closes at ENVELOPE_EVENTS events or when it
 * spans ENVELOPE_SPAN_MS. */
static int put_event(struct el_ag_gen *g, struct el_ag_stream *s, int64_t ts, const char *msg,
                     size_t n)
{
    char *p;

    int64_t win = el_floor_div(ts, FIREHOSE_WINDOW_MS);

    /* An object holds one buffer window: when events enter the next one,
     * every stream's open batch goes out first, so objects never reopen. */
    if (g->o->export_layout && win != g->event_window) {
        for (unsigned k = 0; k < g->nstreams; k++)
            if (flush_envelope(g, &g->streams[k]) != 0)
                return -1;
        g->event_window = win;
    }
    if (s->env_events && (s->env_events == ENVELOPE_EVENTS || ts - s->env_first >= ENVELOPE_SPAN_MS)
        && flush_envelope(g, s) != 0)
        return -1;
    if (env_reserve(s, 6 * n + 512) != 0)
        return -1;
    p = s->env + s->env_len;
    if (!s->env_events) {
        s->env_first = ts;
        p = EL_PUT_LIT(p, "{\"messageType\":\"DATA_MESSAGE\",\"owner\":\"" EL_WL_ACCOUNT "\","
                          "\"logGroup\":\"API-Gateway-Execution-Logs_" EL_WL_REST_API_ID "/"
                          EL_WL_REST_STAGE "\",\"logStream\":\"");
        p = el_put_str(p, s->name);
        p = EL_PUT_LIT(p, "\",\"subscriptionFilters\":[\"apigw-exec-to-firehose\"],"
                          "\"logEvents\":[");
    } else {
        *p++ = ',';
    }
    /* event ids are 56-digit decimal strings that grow with time within a
     * stream: ms timestamp, a per-stream number, a sequence number */
    p = EL_PUT_LIT(p, "{\"id\":\"");
    p = put_dec_u64(p, (uint64_t)ts, 13);
    p = put_dec_u64(p, el_mix64(g->o->c.seed ^ (uint64_t)(s - g->streams)), 19); /* low digits */
    p = put_dec_u64(p, 0, 8);
    p = put_dec_u64(p, s->env_seq++, 16);
    p = EL_PUT_LIT(p, "\",\"timestamp\":");
    p = el_put_u64(p, (uint64_t)ts);
    p = EL_PUT_LIT(p, ",\"message\":\"");
    p = el_put_json_str(p, msg, n);
    p = EL_PUT_LIT(p, "\"}");
    s->env_len = (size_t)(p - s->env);
    s->env_events++;
    return 0;
}

/* Writes one queued line where it belongs. */
static int write_line(struct el_ag_gen *g, unsigned stream, int64_t ts, const char *msg, size_t n)
{
    struct el_ag_stream *s = &g->streams[stream];
    struct el_gzwriter *w = &g->obj;
    char *p = g->out;

    g->lines++;
    if (g->o->fmt == EL_AG_FIREHOSE)
        return put_event(g, s, ts, msg, n);
    if (g->o->export_layout) {
        if (s->open && s->part_lines >= g->o->part_lines) {
            s->open = false;
            if (close_writer(g, &s->w) != 0)
                return -1;
            s->part++;
        }
        if (!s->open && open_part(g, s) != 0)
            return -1;
        s->part_lines++;
        w = &s->w;
    }
    if (g->o->fmt == EL_AG_EXEC || g->o->export_layout) {
        p = el_put_iso_milli(p, &g->dc, ts * 1000);
        *p++ = ' ';
    }
    p = el_put_mem(p, msg, n);
    *p++ = '\n';
    return el_gzwriter_put(w, g->out, (size_t)(p - g->out));
}

/* Writes every queued line earlier than bound (ms); INT64_MAX: all. */
int el_ag_drain(struct el_ag_gen *g, int64_t bound)
{
    while (g->nheap && g->heap[0].ts < bound) {
        struct el_ag_hent e = heap_pop(g);

        if (write_line(g, e.pd->stream, e.ts, e.pd->buf + e.off, e.len) != 0)
            return -1;
        if (--e.pd->left == 0)
            el_ag_pending_put(g, e.pd);
    }
    return 0;
}

int el_ag_output_open(struct el_ag_gen *g)
{
    const struct el_ag_opts *o = g->o;
    struct el_rng r;
    /* exec and firehose read one log group: same stream names for a seed */
    uint64_t salt = o->fmt == EL_AG_ACCESS_REST   ? 0xacce55ULL
                  : o->fmt == EL_AG_ACCESS_HTTP ? 0x4177ULL
                                                : 0xe8ecULL;
    uint32_t acc = 0;
    char *e;

    g->nstreams = o->export_layout ? o->streams : 1;
    g->streams = calloc(g->nstreams, sizeof *g->streams);
    if (!g->streams)
        return -1;
    /* stream k carries k+1 shares: real streams are uneven */
    for (unsigned k = 0; k < g->nstreams; k++) {
        struct el_ag_stream *s = &g->streams[k];

        e = el_put_hex(s->name, el_mix64(o->c.seed ^ salt ^ (0x5eedULL + k)), 16);
        e = el_put_hex(e, el_mix64(o->c.seed ^ salt ^ (0xfeedULL + k)), 16);
        *e = '\0';
        g->stream_cum[k] = acc += k + 1;
    }
    el_rng_line(&r, o->c.seed ^ salt, 0x7a5cULL);
    e = el_put_uuid(g->task, &r);
    *e = '\0';
    if (o->fmt == EL_AG_FIREHOSE)
        return 0;                  /* objects open with their first envelope */
    if (o->export_layout) {
        char path[4200];
        static const char body[] = "Permission Check Successful";
        int n = snprintf(g->export_dir, sizeof g->export_dir, "%s/exportedlogs", o->c.out);

        if (n < 0 || (size_t)n >= sizeof g->export_dir || el_gen_mkdir_p(g->export_dir) != 0) {
            fprintf(stderr, EL_AG_PROG ": %s: %s\n", g->export_dir, strerror(errno));
            return -1;
        }
        snprintf(path, sizeof path, "%s/aws-logs-write-test", g->export_dir);
        if (el_gen_write_file(path, body, sizeof body - 1) != 0) {
            fprintf(stderr, EL_AG_PROG ": %s: %s\n", path, strerror(errno));
            return -1;
        }
        n = snprintf(g->export_dir, sizeof g->export_dir, "%s/exportedlogs/%s", o->c.out, g->task);
        if (n < 0 || (size_t)n >= sizeof g->export_dir)
            return -1;
        return 0;
    }
    {
        bool out_stdout = strcmp(o->c.out, "-") == 0;

        if (open_writer(g, &g->obj, out_stdout ? NULL : o->c.out, !o->c.plain && !out_stdout) != 0)
            return -1;
        g->obj_open = true;
    }
    return 0;
}

int el_ag_output_close(struct el_ag_gen *g)
{
    int rc = 0;

    for (unsigned k = 0; k < g->nstreams; k++) {
        struct el_ag_stream *s = &g->streams[k];

        if (g->o->fmt == EL_AG_FIREHOSE && rc == 0)
            rc = flush_envelope(g, s);
        if (s->open) {
            s->open = false;
            if (close_writer(g, &s->w) != 0)
                rc = -1;
        }
    }
    if (g->obj_open) {
        g->obj_open = false;
        if (close_writer(g, &g->obj) != 0)
            rc = -1;
    }
    return rc;
}

void el_ag_output_free(struct el_ag_gen *g)
{
    while (g->free_pd) {
        struct el_ag_pending *pd = g->free_pd;

        g->free_pd = pd->next_free;
        free(pd->buf);
        free(pd);
    }
    for (unsigned k = 0; k < g->nstreams; k++)
        free(g->streams[k].env);
    free(g->streams);
    g->streams = NULL;
    free(g->heap);
    g->heap = NULL;
}

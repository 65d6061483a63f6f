/* json.c: JSON through cJSON: a whole report as one array of objects
 * ("json"), or one object per line for streams of records ("jsonl").
 *
 * Keys come in column order. Numeric cells are already formatted text, so
 * they go in as raw JSON numbers: no round trip through double, no 2^53
 * limit on counters, and the same digits as the CSV. Absent values are null.
 */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <string.h>

#include "output_int.h"

/* The length of the valid UTF-8 sequence at p (1 to 4), or 0 when the
 * byte at p does not start one (Unicode 15, table 3-7). */
static size_t utf8_len(const unsigned char *p, const unsigned char *end)
{
    unsigned char c = p[0];
    size_t n = (size_t)(end - p);
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        return n >= 2 && (p[1] & 0xC0) == 0x80 ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        unsigned char lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
        return n >= 3 && p[1] >= lo && p[1] <= hi && (p[2] & 0xC0) == 0x80 ? 3 : 0;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        unsigned char lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
        return n >= 4 && p[1] >= lo && p[1] <= hi && (p[2] & 0xC0) == 0x80 &&
                       (p[3] & 0xC0) == 0x80
                   ? 4
                   : 0;
    }
    return 0;
}

enum el_err el_json_quote(struct el_str s, char **buf, size_t *cap)
{
    /* Each input byte takes at most 6 output bytes ("\u001f", "\ufffd"). */
    if (s.n > (SIZE_MAX - 3) / 6)
        return EL_ERR_NOMEM;
    size_t need = s.n * 6 + 3;
    if (need > *cap) {
        char *b = el_realloc(*buf, need);
        if (!b)
            return EL_ERR_NOMEM;
        *buf = b;
        *cap = need;
    }
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s.p, *end = p + s.n;
    char *o = *buf;
    *o++ = '"';
    while (p < end) {
        unsigned char c = *p;
        size_t len = utf8_len(p, end);
        if (len == 0) {
            memcpy(o, "\\ufffd", 6);
            o += 6;
            p++;
        } else if (len > 1) {
            memcpy(o, p, len);
            o += len;
            p += len;
        } else if (c == '"' || c == '\\') {
            *o++ = '\\';
            *o++ = (char)c;
            p++;
        } else if (c < 0x20 || c == 0x7f) {
            const char *esc = c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t" : NULL;
            if (esc) {
                memcpy(o, esc, 2);
                o += 2;
            } else {
                memcpy(o, "\\u00", 4);
                o[4] = hex[c >> 4];
                o[5] = hex[c & 15];
                o += 6;
            }
            p++;
        } else {
            *o++ = (char)c;
            p++;
        }
    }
    *o++ = '"';
    *o = '\0';
    return EL_OK;
}

cJSON *el_json_string(struct el_str s)
{
    char *buf = NULL;
    size_t cap = 0;
    cJSON *v = el_json_quote(s, &buf, &cap) == EL_OK ? cJSON_CreateRaw(buf) : NULL;
    el_free(buf);
    return v;
}

static cJSON *row_object(struct el_out *o, const struct el_cell *cells)
{
    cJSON *obj = cJSON_CreateObject();
    if (!obj)
        return NULL;
    for (size_t i = 0; i < o->ncols; i++) {
        cJSON *v;
        const char *s;
        switch (cells[i].kind) {
        case EL_CELL_NULL:
            v = cJSON_CreateNull();
            break;
        case EL_CELL_NUM:
            s = el_out_cstr(o, cells[i].s);
            v = s ? cJSON_CreateRaw(s) : NULL;
            break;
        default:
            v = el_json_quote(cells[i].s, &o->tmp, &o->tmp_cap) == EL_OK
                    ? cJSON_CreateRaw(o->tmp)
                    : NULL;
            break;
        }
        if (!v || !cJSON_AddItemToObject(obj, o->cols[i], v)) {
            cJSON_Delete(v);
            cJSON_Delete(obj);
            return NULL;
        }
    }
    return obj;
}

static enum el_err print_obj(struct el_out *o, cJSON *obj, bool pretty)
{
    char *txt = pretty ? cJSON_Print(obj) : cJSON_PrintUnformatted(obj);
    cJSON_Delete(obj);
    if (!txt)
        return EL_ERR_NOMEM;
    fputs(txt, o->f);
    cJSON_free(txt);
    return ferror(o->f) ? EL_ERR_IO : EL_OK;
}

static enum el_err json_begin(struct el_out *o, const char *const *cols, size_t ncols)
{
    (void)cols;
    (void)ncols;
    fputs("[", o->f);
    return ferror(o->f) ? EL_ERR_IO : EL_OK;
}

static enum el_err json_row(struct el_out *o, const struct el_cell *cells)
{
    cJSON *obj = row_object(o, cells);
    if (!obj)
        return EL_ERR_NOMEM;
    fputs(o->rows ? ",\n" : "\n", o->f);
    return print_obj(o, obj, false);
}

static enum el_err json_end(struct el_out *o)
{
    fputs(o->rows ? "\n]\n" : "]\n", o->f);
    return ferror(o->f) ? EL_ERR_IO : EL_OK;
}

static enum el_err jsonl_begin(struct el_out *o, const char *const *cols, size_t ncols)
{
    (void)o;
    (void)cols;
    (void)ncols;
    return EL_OK;
}

static enum el_err jsonl_row(struct el_out *o, const struct el_cell *cells)
{
    cJSON *obj = row_object(o, cells);
    if (!obj)
        return EL_ERR_NOMEM;
    enum el_err rc = print_obj(o, obj, false);
    fputc('\n', o->f);
    return rc;
}

static enum el_err jsonl_end(struct el_out *o)
{
    return ferror(o->f) ? EL_ERR_IO : EL_OK;
}

const struct el_output_ops el_output_json = {
    .name = "json",
    .begin = json_begin,
    .row = json_row,
    .end = json_end,
};

const struct el_output_ops el_output_jsonl = {
    .name = "jsonl",
    .begin = jsonl_begin,
    .row = jsonl_row,
    .end = jsonl_end,
};

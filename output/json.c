/* json.c: JSON through cJSON: a whole report as one array of objects
 * ("json"), or one object per line for streams of records ("jsonl").
 *
 * Keys come in column order. Numeric cells are already formatted text, so
 * they go in as raw JSON numbers: no round trip through double, no 2^53
 * limit on counters, and the same digits as the CSV. Absent values are null.
 */
#include <cjson/cJSON.h>
#include <string.h>

#include "output_int.h"

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
            s = el_out_cstr(o, cells[i].s);
            v = s ? cJSON_CreateString(s) : NULL;
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

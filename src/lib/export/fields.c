/* Fields carried past a format that has no place for them.
 *
 * RIS and BibTeX cannot say everything a record holds (a BibTeX tag on an
 * RIS extra, a type code of another format, values with line breaks ...).
 * Their writers put such fields in one extra whose value is
 *     winnow-fields: {"type_raw":"JOUR","authors":[...],"extra":[[tag,value]]}
 * (an RIS "N1" note, a BibTeX "winnow" field): each key is a winnow column
 * name with the field's final values (a string, an array, or [] for none),
 * and "extra" lists extras to append. Import applies it after normalization
 * (wn_export_fields_apply), so the values are taken as they are. */
#include <string.h>

#include <cjson/cJSON.h>

#include "export/export_impl.h"

#define PREFIX "winnow-fields:"

/* ---- writing ----------------------------------------------------------- */

void wn_x_carry_init(wn_x_carry *c)
{
    memset(c, 0, sizeof *c);
    c->fields.limit = c->extras.limit = 8u * WN_RECORD_MAX;
}

void wn_x_carry_clear(wn_x_carry *c)
{
    wn_buf_clear(&c->fields);
    wn_buf_clear(&c->extras);
    c->n_fields = c->n_extras = 0;
}

void wn_x_carry_free(wn_x_carry *c)
{
    wn_buf_free(&c->fields);
    wn_buf_free(&c->extras);
}

int wn_x_carry_field(wn_x_carry *c, const wn_record *rec, wn_field f)
{
    const char *name = wn_field_name(f);
    if (wn_buf_puts(&c->fields, c->n_fields++ ? "," : "") ||
        wn_x_json_string(&c->fields, name, strlen(name)) || wn_buf_puts(&c->fields, ":["))
        return WN_ENOMEM;
    size_t n = 0;
    for (size_t i = 0; i < wn_record_size(rec); i++) {
        wn_field_value v = wn_record_at(rec, i);
        if (v.field != f)
            continue;
        if ((n++ && wn_buf_putc(&c->fields, ',')) ||
            wn_x_json_string(&c->fields, v.value, v.len))
            return WN_ENOMEM;
    }
    return wn_buf_putc(&c->fields, ']');
}

int wn_x_carry_extra(wn_x_carry *c, const char *tag, const char *value, size_t len)
{
    if (wn_buf_puts(&c->extras, c->n_extras++ ? ",[" : "[") ||
        wn_x_json_string(&c->extras, tag, strlen(tag)) || wn_buf_putc(&c->extras, ',') ||
        wn_x_json_string(&c->extras, value, len) || wn_buf_putc(&c->extras, ']'))
        return WN_ENOMEM;
    return 0;
}

int wn_x_carry_empty(const wn_x_carry *c) { return !c->n_fields && !c->n_extras; }

int wn_x_carry_text(const wn_x_carry *c, wn_buf *out)
{
    if (wn_buf_puts(out, PREFIX " {") ||
        wn_buf_append(out, c->fields.data ? c->fields.data : "", c->fields.len))
        return WN_ENOMEM;
    if (c->n_extras &&
        (wn_buf_puts(out, c->n_fields ? ",\"extra\":[" : "\"extra\":[") ||
         wn_buf_append(out, c->extras.data, c->extras.len) || wn_buf_putc(out, ']')))
        return WN_ENOMEM;
    return wn_buf_putc(out, '}');
}

/* ---- reading ----------------------------------------------------------- */

/* The carried fields of one extra, or NULL when its value is not a field
 * list (then it stays an ordinary extra). */
static cJSON *carried(const wn_field_value *v)
{
    size_t n = strlen(PREFIX);
    if (v->field != WN_F_EXTRA || v->len <= n || memcmp(v->value, PREFIX, n) != 0)
        return NULL;
    const char *end = NULL;
    cJSON *j = cJSON_ParseWithLengthOpts(v->value + n, v->len - n, &end, 0);
    /* Nothing may follow the object: a cut or damaged list is no list. */
    while (j && end && *end == ' ')
        end++;
    if (!cJSON_IsObject(j) || !end || end != v->value + v->len) {
        cJSON_Delete(j);
        return NULL;
    }
    /* Every key must name a field, every value be text, so that a damaged
     * list is kept whole as an extra rather than half applied. */
    const cJSON *it;
    cJSON_ArrayForEach(it, j) {
        int f = wn_field_by_name(it->string);
        int ok = f >= 0 && (cJSON_IsString(it) || cJSON_IsArray(it));
        const cJSON *e;
        if (ok && cJSON_IsArray(it)) {
            cJSON_ArrayForEach(e, it) {
                if (f == WN_F_EXTRA)
                    ok &= cJSON_GetArraySize(e) == 2 &&
                          cJSON_IsString(cJSON_GetArrayItem(e, 0)) &&
                          cJSON_IsString(cJSON_GetArrayItem(e, 1));
                else
                    ok &= cJSON_IsString(e);
            }
        }
        if (!ok || (f == WN_F_EXTRA && !cJSON_IsArray(it))) {
            cJSON_Delete(j);
            return NULL;
        }
    }
    return j;
}

static int apply(wn_record *rec, const cJSON *j)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, j) {
        wn_field f = (wn_field)wn_field_by_name(it->string);
        int rc = 0;
        if (f == WN_F_EXTRA) {
            const cJSON *e;
            cJSON_ArrayForEach(e, it) {
                rc = wn_record_add_str(rec, WN_F_EXTRA, cJSON_GetArrayItem(e, 0)->valuestring,
                                       cJSON_GetArrayItem(e, 1)->valuestring);
                if (rc)
                    return rc;
            }
            continue;
        }
        wn_record_remove(rec, f);
        if (cJSON_IsString(it)) {
            rc = wn_record_add_str(rec, f, NULL, it->valuestring);
        } else {
            const cJSON *e;
            cJSON_ArrayForEach(e, it) {
                if ((rc = wn_record_add_str(rec, f, NULL, e->valuestring)))
                    break;
            }
        }
        if (rc)
            return rc;
    }
    return 0;
}

int wn_export_fields_apply(wn_record *rec)
{
    /* A writer leaves at most one list per record: the first is applied,
     * and extras it adds are never read as lists again. */
    for (size_t i = 0; i < wn_record_size(rec); i++) {
        wn_field_value v = wn_record_at(rec, i);
        cJSON *j = carried(&v);
        if (!j)
            continue;
        /* The JSON holds copies: the carrier can go before the record
         * changes. */
        wn_record_remove_at(rec, i);
        int rc = apply(rec, j);
        cJSON_Delete(j);
        return rc;
    }
    return 0;
}

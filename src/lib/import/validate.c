/* winnow validate: read a file the way import does, but count and check
 * instead of storing. Records are taken as read (no normalization) for speed;
 * the checks below only need raw values. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "winnow/normalize.h"
#include "winnow/text.h"
#include "winnow/validate.h"
#include "import/parser.h"

typedef struct checker {
    wn_validation *v;
    int this_year;
} checker;

static void add_suspect(checker *c, const wn_record *rec, const char *reason)
{
    wn_validation *v = c->v;
    v->suspects++;
    if (v->n_suspect >= WN_VALIDATE_KEEP)
        return;
    wn_suspect *s = &v->suspect[v->n_suspect++];
    s->position = wn_record_origin_c(rec)->position;
    s->line = wn_record_origin_c(rec)->line;
    snprintf(s->reason, sizeof s->reason, "%s", reason);
}

#define MAX_TYPES (sizeof ((wn_validation *)0)->types / sizeof ((wn_validation *)0)->types[0])

/* Counts one record of a type; past the table's size, the last row gathers
 * the rest as "(other)". Rows are kept most common first. */
static void count_type(wn_validation *v, const char *type)
{
    size_t i = 0;
    while (i < v->n_types && strcmp(v->types[i].type, type) != 0)
        i++;
    if (i == v->n_types) {
        if (v->n_types == MAX_TYPES) {
            i = MAX_TYPES - 1;
            snprintf(v->types[i].type, sizeof v->types[i].type, "(other)");
        } else {
            v->n_types++;
            snprintf(v->types[i].type, sizeof v->types[i].type, "%s", type);
            v->types[i].n = 0;
        }
    }
    v->types[i].n++;
    for (; i > 0 && v->types[i].n > v->types[i - 1].n; i--) {
        wn_type_count t = v->types[i];
        v->types[i] = v->types[i - 1];
        v->types[i - 1] = t;
    }
}

/* Strings that start a record in one of the tagged formats: finding one
 * inside a value means two records ran together. All but the RIS one need a
 * line break or an "@" before them, which most values do not have. */
static const char *const record_starts[] = {"\nPMID- ", "\nPT J", "@article{", "\n%0 ", NULL};

static int holds_record_start(const char *s)
{
    if (strstr(s, "TY  - "))
        return 1;
    if (!strchr(s, '\n') && !strchr(s, '@'))
        return 0;
    for (size_t k = 0; record_starts[k]; k++)
        if (strstr(s, record_starts[k]))
            return 1;
    return 0;
}

static int check_record(void *ctx, const wn_record *rec)
{
    checker *c = ctx;
    wn_validation *v = c->v;
    v->records++;
    /* One pass over the fields: which are present. */
    unsigned char seen[WN_F_COUNT] = {0};
    size_t n = wn_record_size(rec);
    for (size_t i = 0; i < n; i++)
        seen[wn_record_at(rec, i).field] = 1;
    for (int f = 0; f < WN_F_COUNT; f++)
        v->with[f] += seen[f];
    const char *raw = wn_record_first(rec, WN_F_TYPE_RAW);
    const char *type = wn_record_first(rec, WN_F_TYPE);
    if (!type)
        type = raw ? wn_type_from_code(raw) : NULL;
    count_type(v, type ? type : raw ? raw : "(none)");

    const char *title = wn_record_first(rec, WN_F_TITLE);
    char reason[160];
    if (!title)
        add_suspect(c, rec, "no title");
    else if (strlen(title) > 1000)
        add_suspect(c, rec, "title is over 1000 characters long (two records merged?)");
    const char *year = wn_record_first(rec, WN_F_YEAR);
    if (year) {
        int y = wn_year_in(year);
        if (!y || y < 1800 || y > c->this_year + 1) {
            snprintf(reason, sizeof reason, "year '%.40s' looks wrong", year);
            add_suspect(c, rec, reason);
        }
    }
    size_t dois = wn_record_count(rec, WN_F_DOI);
    for (size_t i = 1; i < dois; i++) {
        if (strcasecmp(wn_record_get(rec, WN_F_DOI, i), wn_record_get(rec, WN_F_DOI, 0))) {
            add_suspect(c, rec, "has two different DOIs (two records merged?)");
            break;
        }
    }
    static const wn_field texts[] = {WN_F_TITLE, WN_F_ABSTRACT};
    for (size_t t = 0; t < 2; t++) {
        const char *s = wn_record_first(rec, texts[t]);
        if (s && holds_record_start(s)) {
            snprintf(reason, sizeof reason, "the %s holds the start of another record",
                     wn_field_name(texts[t]));
            add_suspect(c, rec, reason);
        }
    }
    return 0;
}

static void keep_warning(void *ctx, const wn_warning *w)
{
    wn_validation *v = ((checker *)ctx)->v;
    v->warnings++;
    if (v->n_kept >= WN_VALIDATE_KEEP)
        return;
    char *msg = wn_strdup(w->message);
    if (!msg)
        return;
    v->kept[v->n_kept++] = (wn_kept_warning){w->line, w->record, msg};
}

int wn_validate_file(const char *path, const char *name, const char *format,
                     const char *encoding, const char *map, wn_validation *v, wn_err *err)
{
    memset(v, 0, sizeof *v);
    v->kept = calloc(WN_VALIDATE_KEEP, sizeof *v->kept);
    v->suspect = calloc(WN_VALIDATE_KEEP, sizeof *v->suspect);
    if (!v->kept || !v->suspect)
        return wn_err_set(err, WN_ENOMEM, "out of memory");
    wn_input in;
    int rc = wn_input_open(&in, path, name, format, encoding, WN_INPUT_HASH, err);
    if (rc) {
        wn_input_close(&in);
        return rc;
    }
    snprintf(v->format, sizeof v->format, "%s", wn_format_name(in.format));
    snprintf(v->label, sizeof v->label, "%s", wn_format_label(in.format));
    snprintf(v->why, sizeof v->why, "%s", in.why);
    size_t used = strlen(v->why);
    if (map)
        snprintf(v->why + used, sizeof v->why - used, "; columns mapped by --map");
    snprintf(v->encoding, sizeof v->encoding, "%s", in.text.encoding);
    v->bytes = in.size;
    if (in.text.first_bad_line) {
        char msg[160];
        snprintf(msg, sizeof msg, "not valid UTF-8 (first at line %zu): read as windows-1252",
                 in.text.first_bad_line);
        wn_warning w = {in.name, in.text.first_bad_line, 0, msg};
        checker c0 = {v, 0};
        keep_warning(&c0, &w);
    }
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    checker c = {v, tm.tm_year + 1900};
    wn_parse_opts po = {in.name, check_record, keep_warning, &c};
    /* The hash has been running on the other core all along. */
    rc = wn_parse_with(in.format, in.text.text, in.text.len, map, &po, NULL, err, 1);
    wn_input_hash_wait(&in);
    snprintf(v->sha256, sizeof v->sha256, "%s", in.sha256);
    wn_input_close(&in);
    return rc;
}

void wn_validation_free(wn_validation *v)
{
    if (!v)
        return;
    for (size_t i = 0; i < v->n_kept; i++)
        free(v->kept[i].message);
    free(v->kept);
    free(v->suspect);
    memset(v, 0, sizeof *v);
}

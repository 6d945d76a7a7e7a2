#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cli.h"

cJSON *cli_record_json(const wn_record *rec, const wn_record_meta *m)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "id", (double)m->id);
    cJSON_AddNumberToObject(o, "source_id", (double)m->source_id);
    cJSON_AddStringToObject(o, "source", m->source_name);
    cJSON_AddStringToObject(o, "file", m->filename);
    cJSON_AddNumberToObject(o, "line", (double)m->line);
    cJSON_AddNumberToObject(o, "position", (double)m->position);
    for (int f = 0; f < WN_F_EXTRA; f++) {
        size_t n = wn_record_count(rec, (wn_field)f);
        if (!n)
            continue;
        const char *name = wn_field_name((wn_field)f);
        if (wn_field_is_list((wn_field)f)) {
            cJSON *a = cJSON_AddArrayToObject(o, name);
            for (size_t i = 0; i < n; i++)
                cJSON_AddItemToArray(a, cJSON_CreateString(wn_record_get(rec, (wn_field)f, i)));
        } else if (f == WN_F_YEAR) {
            cJSON_AddNumberToObject(o, name, atoi(wn_record_first(rec, (wn_field)f)));
        } else {
            cJSON_AddStringToObject(o, name, wn_record_first(rec, (wn_field)f));
        }
    }
    cJSON *extras = cJSON_AddArrayToObject(o, "extra");
    for (size_t i = 0; i < wn_record_size(rec); i++) {
        wn_field_value v = wn_record_at(rec, i);
        if (v.field != WN_F_EXTRA)
            continue;
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "tag", v.tag);
        cJSON_AddStringToObject(e, "value", v.value);
        cJSON_AddItemToArray(extras, e);
    }
    return o;
}

/* Prints "label   value" lines, continuation lines indented under the value. */
static void field_line(const char *label, const char *value)
{
    printf("%-14s ", label);
    for (const char *p = value; *p; p++) {
        putchar(*p);
        if (*p == '\n' && p[1])
            printf("%-14s ", "");
    }
    putchar('\n');
}

static int run(cli_ctx *ctx, int argc, char **argv)
{
    const char *json = NULL, *no_raw = NULL, *pos[1];
    int n;
    const cli_opt opts[] = {
        {"json", 0, 0, &json}, {"no-raw", 0, 0, &no_raw}, {NULL, 0, 0, NULL}};
    if (cli_parse(&cmd_show, argc, argv, opts, pos, 1, &n))
        return EXIT_USAGE;
    if (n != 1)
        return cli_usage(&cmd_show, "name one record id");
    long long id;
    if (cli_int(&cmd_show, "the record id", pos[0], &id))
        return EXIT_USAGE;
    wn_project *p = cli_open_project(ctx);
    if (!p)
        return EXIT_RUNTIME;
    wn_record *rec = wn_record_new();
    wn_record_meta m;
    char *raw = NULL;
    int rc = rec ? wn_record_load(p, id, rec, &m, &raw) : WN_ENOMEM;
    if (rc) {
        cli_error(EXIT_RUNTIME, "%s", rec ? wn_project_errmsg(p) : "out of memory");
        goto done;
    }
    if (json) {
        cJSON *o = cli_record_json(rec, &m);
        cJSON_AddStringToObject(o, "raw", raw ? raw : "");
        char *s = cJSON_Print(o);
        puts(s);
        cJSON_free(s);
        cJSON_Delete(o);
        goto done;
    }
    printf("record %lld: source %lld '%s', %s line %lld (record %lld of the file)\n\n",
           (long long)m.id, (long long)m.source_id, m.source_name, m.filename,
           (long long)m.line, (long long)m.position);
    for (int f = 0; f < WN_F_EXTRA; f++) {
        size_t count = wn_record_count(rec, (wn_field)f);
        if (!count)
            continue;
        wn_buf b = WN_BUF_INIT;
        for (size_t i = 0; i < count; i++) {
            if (i)
                wn_buf_puts(&b, wn_field_is_list((wn_field)f) ? "\n" : "; ");
            wn_buf_puts(&b, wn_record_get(rec, (wn_field)f, i));
        }
        field_line(wn_field_name((wn_field)f), b.data ? b.data : "");
        wn_buf_free(&b);
    }
    for (size_t i = 0; i < wn_record_size(rec); i++) {
        wn_field_value v = wn_record_at(rec, i);
        if (v.field != WN_F_EXTRA)
            continue;
        char label[80];
        snprintf(label, sizeof label, "[%s]", v.tag);
        field_line(label, v.value);
    }
    if (!no_raw && raw) {
        printf("\nas read from %s line %lld:\n", m.filename, (long long)m.line);
        fputs(raw, stdout);
        size_t len = strlen(raw);
        if (len && raw[len - 1] != '\n')
            putchar('\n');
    }
done:
    free(raw);
    wn_record_free(rec);
    wn_project_close(p);
    return rc ? EXIT_RUNTIME : EXIT_OK;
}

const cli_command cmd_show = {
    "show",
    "show one record: fields, where it came from, and its raw text",
    "show ID [--json] [--no-raw]",
    "Shows a record by its id (see 'winnow records'): every normalized field,\n"
    "the fields kept as the export wrote them (in [TAG] form), its source, file\n"
    "and line, and the record's text exactly as it stood in the file.\n"
    "\n"
    "  --json     machine-readable output, raw text included\n"
    "  --no-raw   leave out the raw text\n",
    run,
};

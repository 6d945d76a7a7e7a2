/* Sheets: blinded work packets as CSV that spreadsheet programs open and
 * save back, and their all-or-nothing import. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "screen/screen_impl.h"
#include "winnow/rules.h"
#include "winnow/text.h"
#include "winnow/units.h"

#define SHEET_MAGIC "winnow sheet"
#define SHEET_VERSION "1"

/* ---- export ------------------------------------------------------------ */

typedef struct sheet_out {
    int (*write)(void *ctx, const char *data, size_t len);
    void *ctx;
    wn_buf line;
} sheet_out;

/* Appends one quoted cell. Text a spreadsheet would run as a formula gets
 * a leading apostrophe, so a crafted title cannot act on the reviewer's
 * machine. */
static int cell(wn_buf *b, const char *s, int first)
{
    int rc = first ? 0 : wn_buf_putc(b, ',');
    if (!s)
        s = "";
    if (!rc)
        rc = wn_buf_putc(b, '"');
    if (!rc && (*s == '=' || *s == '+' || *s == '-' || *s == '@'))
        rc = wn_buf_putc(b, '\'');
    for (const char *c = s; *c && !rc; c++)
        rc = *c == '"' ? wn_buf_puts(b, "\"\"") : wn_buf_putc(b, *c);
    if (!rc)
        rc = wn_buf_putc(b, '"');
    return rc;
}

static int end_line(sheet_out *o)
{
    int rc = wn_buf_puts(&o->line, "\r\n");
    if (!rc)
        rc = o->write(o->ctx, o->line.data, o->line.len);
    wn_buf_clear(&o->line);
    return rc;
}

/* Values of a list field joined by "; " (authors). */
static int joined(wn_buf *b, const wn_record *r, wn_field f)
{
    wn_buf_clear(b);
    for (size_t i = 0; i < wn_record_count(r, f); i++)
        if (wn_buf_printf(b, "%s%s", i ? "; " : "", wn_record_get(r, f, i)))
            return WN_ENOMEM;
    return 0;
}

/* Rule terms as text markers: [[term]] for terms that speak for a unit,
 * {{term}} for those that speak against it (spreadsheets show no colour
 * from CSV). Spans outside the value or overlapping an earlier one are
 * left unmarked. */
static int by_start(const void *a, const void *b)
{
    const wn_highlight *x = a, *y = b;
    return (x->start > y->start) - (x->start < y->start);
}

static int marked(wn_buf *b, const char *value, wn_field f, const wn_highlight *h, size_t n)
{
    wn_buf_clear(b);
    if (!value)
        return 0;
    size_t len = strlen(value), at = 0;
    for (size_t i = 0; i < n; i++) {
        if (h[i].field != f || h[i].index != 0 || h[i].start < at || h[i].end > len ||
            h[i].start >= h[i].end)
            continue;
        if (wn_buf_append(b, value + at, h[i].start - at) ||
            wn_buf_puts(b, h[i].negative ? "{{" : "[[") ||
            wn_buf_append(b, value + h[i].start, h[i].end - h[i].start) ||
            wn_buf_puts(b, h[i].negative ? "}}" : "]]"))
            return WN_ENOMEM;
        at = h[i].end;
    }
    return wn_buf_append(b, value + at, len - at);
}

/* The distinct matched terms: "for: a, b; against: c" (words, not signs:
 * a cell starting with + or - reads as a formula in spreadsheets). */
static int term_list(wn_buf *b, const wn_record *r, const wn_highlight *h, size_t n)
{
    wn_buf_clear(b);
    wn_buf group = WN_BUF_INIT, term = WN_BUF_INIT;
    int rc = 0;
    for (int negative = 0; negative < 2 && !rc; negative++) {
        wn_buf_clear(&group);
        for (size_t i = 0; i < n && !rc; i++) {
            const char *v = wn_record_get(r, h[i].field, h[i].index);
            if (h[i].negative != negative || !v || h[i].end > strlen(v) ||
                h[i].start >= h[i].end)
                continue;
            wn_buf_clear(&term);
            if ((rc = wn_buf_append(&term, v + h[i].start, h[i].end - h[i].start)))
                break;
            /* Few terms per unit: a linear search for repeats is enough. */
            int seen = 0;
            for (const char *at = group.data; at && !seen && (at = strstr(at, term.data)); at++)
                seen = (at == group.data || at[-1] == ' ') &&
                       (at[term.len] == '\0' || at[term.len] == ',');
            if (!seen)
                rc = wn_buf_printf(&group, "%s%s", group.len ? ", " : "", term.data);
        }
        if (!rc && group.len)
            rc = wn_buf_printf(b, "%s%s: %s", b->len ? "; " : "", negative ? "against" : "for",
                               group.data);
    }
    wn_buf_free(&group);
    wn_buf_free(&term);
    return rc;
}

/* The unit's merged record. A record no one joined is loaded by its id
 * directly: wn_unit_load finds members through a view that is read whole
 * for every unit, which makes a large sheet take quadratic time. */
static int load_unit(wn_project *p, sqlite3_stmt *clustered, int64_t unit, wn_record *rec)
{
    sqlite3_bind_int64(clustered, 1, unit);
    int in_cluster = sqlite3_step(clustered) == SQLITE_ROW;
    sqlite3_reset(clustered);
    if (in_cluster)
        return wn_unit_load(p, unit, rec);
    wn_record_meta meta;
    return wn_record_load(p, unit, rec, &meta, NULL);
}

int wn_sheet_export(wn_project *p, const char *stage, const char *reviewer,
                    int (*write)(void *ctx, const char *data, size_t len), void *ctx,
                    size_t *rows)
{
    *rows = 0;
    if (!wn_screen_valid_stage(stage))
        return wn_screen_bad_stage(p, stage);
    int ft = !strcmp(stage, "ft");
    sqlite3_stmt *who = NULL, *units = NULL, *own = NULL, *clustered = NULL;
    wn_record *rec = wn_record_new();
    sheet_out o = {write, ctx, WN_BUF_INIT};
    wn_buf authors = WN_BUF_INIT, text = WN_BUF_INIT;
    wn_highlight *hl = NULL;
    size_t n_hl = 0;
    char *project_id = wn_project_get_meta(p, "id");
    int rc = 0;
    if (!rec || !project_id) {
        rc = wn_err_set(&p->err, WN_ENOMEM, "cannot read the project id of '%s'", p->path);
        goto done;
    }
    if ((rc = wn_screen_prepare(p, "SELECT 1 FROM reviewer WHERE handle = ?", &who,
                                "cannot read reviewers")) ||
        (rc = wn_screen_prepare(
             p,
             ft ? "SELECT a.unit_id, r.unit_id, r.location FROM assignment a"
                  " JOIN report r ON r.id = a.unit_id"
                  " WHERE a.stage = 'ft' AND a.reviewer = ?1 AND r.status <> 'not_retrieved'"
                  " ORDER BY a.unit_id"
                : "SELECT unit_id, unit_id, NULL FROM assignment"
                  " WHERE stage = 'ta' AND reviewer = ?1 ORDER BY unit_id",
             &units, "cannot read assignments")) ||
        (rc = wn_screen_prepare(p,
                                "SELECT decision, reason, note FROM decision WHERE stage = ?1"
                                " AND unit_id = ?2 AND reviewer = ?3 AND kind = 'vote'"
                                " ORDER BY id DESC LIMIT 1",
                                &own, "cannot read decisions")) ||
        (rc = wn_screen_prepare(p, "SELECT 1 FROM cluster_member WHERE cluster_id = ? LIMIT 1",
                                &clustered, "cannot read units")))
        goto done;
    sqlite3_bind_text(who, 1, reviewer, -1, SQLITE_STATIC);
    if (sqlite3_step(who) != SQLITE_ROW) {
        rc = wn_err_set(&p->err, WN_ENOTFOUND, "unknown reviewer '%s' (see 'winnow reviewer add')",
                        reviewer);
        goto done;
    }
    /* The byte order mark makes spreadsheet programs read UTF-8. */
    if ((rc = wn_buf_puts(&o.line, "\xEF\xBB\xBF")) || (rc = cell(&o.line, SHEET_MAGIC, 1)) ||
        (rc = cell(&o.line, SHEET_VERSION, 0)) || (rc = cell(&o.line, "project", 0)) ||
        (rc = cell(&o.line, project_id, 0)) || (rc = cell(&o.line, "stage", 0)) ||
        (rc = cell(&o.line, stage, 0)) || (rc = cell(&o.line, "reviewer", 0)) ||
        (rc = cell(&o.line, reviewer, 0)) || (rc = end_line(&o)))
        goto done;
    static const char *const ta_head[] = {"id",       "title",    "authors", "year",
                                          "journal",  "abstract", "terms",   "decision",
                                          "reason",   "note"};
    static const char *const ft_head[] = {"id",      "unit",     "title",    "authors",
                                          "year",    "journal",  "abstract", "terms",
                                          "full_text", "decision", "reason", "note"};
    const char *const *head = ft ? ft_head : ta_head;
    size_t n_head = ft ? 12 : 10;
    for (size_t i = 0; i < n_head && !rc; i++)
        rc = cell(&o.line, head[i], i == 0);
    if (rc || (rc = end_line(&o)))
        goto done;
    sqlite3_bind_text(units, 1, reviewer, -1, SQLITE_STATIC);
    int step;
    while (!rc && (step = sqlite3_step(units)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(units, 0), unit = sqlite3_column_int64(units, 1);
        const char *location = (const char *)sqlite3_column_text(units, 2);
        if ((rc = load_unit(p, clustered, unit, rec)))
            break;
        char num[24];
        snprintf(num, sizeof num, "%lld", (long long)id);
        rc = wn_buf_puts(&o.line, num);
        if (ft && !rc) {
            snprintf(num, sizeof num, "%lld", (long long)unit);
            rc = wn_buf_printf(&o.line, ",%s", num);
        }
        const char *year = wn_record_first(rec, WN_F_YEAR);
        wn_highlights_free(hl, n_hl);
        hl = NULL;
        n_hl = 0;
        if (!rc && (rc = wn_rules_unit_highlights(p, unit, &hl, &n_hl)))
            break;
        if (n_hl)
            qsort(hl, n_hl, sizeof *hl, by_start);
        if (!rc && !(rc = marked(&text, wn_record_first(rec, WN_F_TITLE), WN_F_TITLE, hl, n_hl)) &&
            !(rc = cell(&o.line, text.data, 0)) && !(rc = joined(&authors, rec, WN_F_AUTHOR)) &&
            !(rc = cell(&o.line, authors.data, 0)) &&
            !(rc = wn_buf_printf(&o.line, ",%s", year ? year : "")) &&
            !(rc = cell(&o.line, wn_record_first(rec, WN_F_JOURNAL), 0)) &&
            !(rc = marked(&text, wn_record_first(rec, WN_F_ABSTRACT), WN_F_ABSTRACT, hl, n_hl)) &&
            !(rc = cell(&o.line, text.data, 0)) && !(rc = term_list(&text, rec, hl, n_hl)) &&
            !(rc = cell(&o.line, text.data, 0)) && ft)
            rc = cell(&o.line, location, 0);
        /* The reviewer's own newest decision, never anyone else's. */
        sqlite3_bind_text(own, 1, stage, -1, SQLITE_STATIC);
        sqlite3_bind_int64(own, 2, id);
        sqlite3_bind_text(own, 3, reviewer, -1, SQLITE_STATIC);
        int have = sqlite3_step(own) == SQLITE_ROW;
        for (int c = 0; c < 3 && !rc; c++)
            rc = cell(&o.line, have ? (const char *)sqlite3_column_text(own, c) : NULL, 0);
        sqlite3_reset(own);
        if (!rc)
            rc = end_line(&o);
        (*rows)++;
    }
    if (!rc && step != SQLITE_DONE)
        rc = wn_db_fail(p, "cannot read assignments");
    if (rc == WN_ENOMEM)
        wn_err_set(&p->err, rc, "out of memory");
done:
    sqlite3_finalize(who);
    sqlite3_finalize(units);
    sqlite3_finalize(own);
    sqlite3_finalize(clustered);
    wn_record_free(rec);
    wn_buf_free(&o.line);
    wn_buf_free(&authors);
    wn_buf_free(&text);
    wn_highlights_free(hl, n_hl);
    free(project_id);
    return rc;
}

/* ---- reading CSV -------------------------------------------------------- */

typedef struct csv_row {
    size_t number; /* as a spreadsheet numbers it: 1-based */
    size_t n;
    char **cells;
} csv_row;

typedef struct csv {
    csv_row *rows;
    size_t n, cap;
    char *arena; /* every cell's text, each ended by a NUL */
} csv;

static void csv_free(csv *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->rows[i].cells);
    free(c->rows);
    free(c->arena);
    memset(c, 0, sizeof *c);
}

/* The separator of the first row: the most frequent of , ; and tab outside
 * quotes (spreadsheets in many locales save with semicolons). */
static char sniff_separator(const char *s, const char *end)
{
    size_t comma = 0, semi = 0, tab = 0;
    int quoted = 0;
    for (; s < end; s++) {
        if (*s == '"')
            quoted = !quoted;
        else if (!quoted && (*s == '\n' || *s == '\r'))
            break;
        else if (!quoted)
            comma += *s == ',', semi += *s == ';', tab += *s == '\t';
    }
    if (semi > comma && semi >= tab)
        return ';';
    if (tab > comma && tab > semi)
        return '\t';
    return ',';
}

static int push_cell(csv_row *r, size_t *cap, char *cell)
{
    if (r->n == *cap) {
        size_t grown_cap = *cap ? *cap * 2 : 16;
        char **grown = realloc(r->cells, grown_cap * sizeof *grown);
        if (!grown)
            return WN_ENOMEM;
        r->cells = grown;
        *cap = grown_cap;
    }
    r->cells[r->n++] = cell;
    return 0;
}

/* Splits text into rows of cells: quoted cells may hold separators, line
 * breaks and doubled quotes; rows end at CRLF, LF or CR. A cell's text is
 * never longer than its raw span, and the separator or line end after it
 * (or one byte past the end) makes room for its NUL, so all cells fit in
 * one arena of len + 1 bytes instead of one allocation each. */
static int csv_parse(const char *s, size_t len, csv *out)
{
    const char *end = s + len;
    char sep = sniff_separator(s, end);
    char *w = out->arena = malloc(len + 1);
    if (!w)
        return WN_ENOMEM;
    size_t number = 0;
    int rc = 0;
    while (s < end && !rc) {
        csv_row row = {++number, 0, NULL};
        size_t cap = 0;
        for (;;) {
            char *cell = w;
            if (s < end && *s == '"') {
                s++;
                while (s < end) {
                    if (*s == '"' && s + 1 < end && s[1] == '"') {
                        *w++ = '"';
                        s += 2;
                    } else if (*s == '"') {
                        s++;
                        break;
                    } else {
                        *w++ = *s++;
                    }
                }
            }
            /* Unquoted text (or text after a closing quote) up to the
             * separator or the end of the row. */
            while (s < end && *s != sep && *s != '\n' && *s != '\r')
                *w++ = *s++;
            *w++ = '\0';
            rc = push_cell(&row, &cap, cell);
            if (rc || s >= end || *s != sep)
                break;
            s++;
        }
        if (s < end && *s == '\r')
            s++;
        if (s < end && *s == '\n')
            s++;
        if (!rc && out->n == out->cap) {
            size_t c = out->cap ? out->cap * 2 : 256;
            csv_row *grown = realloc(out->rows, c * sizeof *grown);
            if (!grown)
                rc = WN_ENOMEM;
            else
                out->rows = grown, out->cap = c;
        }
        if (rc) {
            free(row.cells);
            break;
        }
        out->rows[out->n++] = row;
    }
    return rc;
}

/* The cell trimmed of blanks, in place. */
static char *trimmed(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        s[--n] = '\0';
    return s;
}

static const char *row_cell(const csv_row *r, int col)
{
    return col >= 0 && (size_t)col < r->n ? r->cells[col] : "";
}

static int row_blank(const csv_row *r)
{
    for (size_t i = 0; i < r->n; i++)
        if (*trimmed(r->cells[i]))
            return 0;
    return 1;
}

/* ---- import ------------------------------------------------------------- */

static int add_problem(wn_sheet_result *res, const char *name, size_t row, const char *fmt,
                       ...) __attribute__((format(printf, 4, 5)));

static int add_problem(wn_sheet_result *res, const char *name, size_t row, const char *fmt, ...)
{
    char **grown = realloc(res->problems, (res->n_problems + 1) * sizeof *grown);
    if (!grown)
        return WN_ENOMEM;
    res->problems = grown;
    wn_buf b = WN_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    int rc = row ? wn_buf_printf(&b, "'%s' row %zu: ", name, row)
                 : wn_buf_printf(&b, "'%s': ", name);
    if (!rc)
        rc = wn_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    char *msg = rc ? NULL : wn_buf_detach(&b);
    wn_buf_free(&b);
    if (!msg)
        return WN_ENOMEM;
    res->problems[res->n_problems++] = msg;
    return 0;
}

void wn_sheet_result_free(wn_sheet_result *res)
{
    if (!res)
        return;
    for (size_t i = 0; i < res->n_problems; i++)
        free(res->problems[i]);
    free(res->problems);
    res->problems = NULL;
    res->n_problems = 0;
}

/* The values after the magic cell: "project" ID "stage" S "reviewer" R. */
static const char *meta_value(const csv_row *r, const char *key)
{
    for (size_t i = 2; i + 1 < r->n; i++)
        if (!strcasecmp(trimmed(r->cells[i]), key))
            return trimmed(r->cells[i + 1]);
    return NULL;
}

static int find_column(const csv_row *head, const char *name)
{
    for (size_t i = 0; i < head->n; i++)
        if (!strcasecmp(trimmed(head->cells[i]), name))
            return (int)i;
    return -1;
}

typedef struct sheet_row {
    size_t number;
    int64_t id;
    wn_decision d;
    const char *reason; /* as it will be stored */
    int write;
} sheet_row;

static int by_unit(const void *a, const void *b)
{
    const sheet_row *x = a, *y = b;
    if (x->id != y->id)
        return (x->id > y->id) - (x->id < y->id);
    return (x->number > y->number) - (x->number < y->number);
}

/* Checks the rows of a parsed sheet whose first two rows are the magic row
 * and the header; collects problems and the rows to write. */
static int check_rows(wn_checker *c, const char *name, const csv *t, const csv_row *head,
                      const char *reviewer, wn_sheet_result *res, sheet_row *out,
                      size_t *n_out)
{
    int col_id = find_column(head, "id"), col_dec = find_column(head, "decision");
    int col_reason = find_column(head, "reason"), col_note = find_column(head, "note");
    int rc = 0;
    if (col_id < 0 || col_dec < 0)
        return add_problem(res, name, head->number,
                           "the header needs an 'id' and a 'decision' column");
    char why[384];
    for (size_t i = 0; i < t->n && !rc; i++) {
        const csv_row *r = &t->rows[i];
        if (r->number <= head->number || row_blank(r))
            continue;
        res->rows++;
        const char *id_text = trimmed((char *)row_cell(r, col_id));
        const char *dec = trimmed((char *)row_cell(r, col_dec));
        const char *reason = trimmed((char *)row_cell(r, col_reason));
        const char *note = trimmed((char *)row_cell(r, col_note));
        char *endp;
        long long id = strtoll(id_text, &endp, 10);
        if (!*id_text || *endp || id <= 0) {
            rc = add_problem(res, name, r->number, "id '%s' is not a unit number", id_text);
            continue;
        }
        if (!*dec) {
            if (*reason || *note)
                rc = add_problem(res, name, r->number,
                                 "unit %lld has a reason or note but no decision", id);
            else
                res->blank++;
            continue;
        }
        sheet_row *sr = &out[(*n_out)++];
        sr->number = r->number;
        sr->id = id;
        sr->d = (wn_decision){c->stage, id, reviewer, NULL, dec, *reason ? reason : NULL,
                              *note ? note : NULL};
        int bad = wn_checker_check(c, &sr->d, &sr->reason, why, sizeof why);
        if (bad) {
            sr->write = -1;
            rc = add_problem(res, name, r->number, "%s", why);
            continue;
        }
        const char *word = wn_screen_decision_word(dec, strlen(dec));
        sr->d.decision = word;
        sr->write = !wn_checker_unchanged(c, id, reviewer, word, sr->reason, sr->d.note);
        res->unchanged += !sr->write;
    }
    /* Duplicate ids: each repeat is a problem naming the first row. */
    qsort(out, *n_out, sizeof *out, by_unit);
    for (size_t i = 1; i < *n_out && !rc; i++) {
        size_t first = i - 1;
        while (i < *n_out && out[i].id == out[first].id) {
            rc = add_problem(res, name, out[i].number, "unit %lld appears again (first on row %zu)",
                             (long long)out[i].id, out[first].number);
            i++;
        }
    }
    return rc;
}

static int by_problem_row(const void *a, const void *b)
{
    /* Problems start with "'name' row N:"; order them by N. */
    const char *x = strstr(*(char *const *)a, "' row "), *y = strstr(*(char *const *)b, "' row ");
    long long nx = x ? atoll(x + 6) : 0, ny = y ? atoll(y + 6) : 0;
    return (nx > ny) - (nx < ny);
}

int wn_sheet_import(wn_project *p, const char *name, const char *data, size_t len,
                    const char *expect_stage, const char *expect_reviewer,
                    const wn_actor *actor, wn_sheet_result *res)
{
    memset(res, 0, sizeof *res);
    wn_decoded text;
    int rc = wn_text_decode(name, data, len, &text, &p->err);
    if (rc)
        return rc;
    csv t = {0};
    wn_checker c = {0};
    sheet_row *rows = NULL;
    size_t n_rows = 0;
    char *project_id = wn_project_get_meta(p, "id");
    const char *stage = NULL, *reviewer = NULL, *sheet_project = NULL;
    int checker_open = 0;
    if (!project_id || csv_parse(text.text, text.len, &t)) {
        rc = wn_err_set(&p->err, WN_ENOMEM, "out of memory reading '%s'", name);
        goto done;
    }
    /* The first non-blank row says whose sheet it is. */
    size_t first = 0;
    while (first < t.n && row_blank(&t.rows[first]))
        first++;
    const csv_row *magic = first < t.n ? &t.rows[first] : NULL;
    if (!magic || magic->n < 2 || strcasecmp(trimmed(magic->cells[0]), SHEET_MAGIC)) {
        rc = add_problem(res, name, magic ? magic->number : 1,
                         "not a winnow sheet (its first row must start with '" SHEET_MAGIC
                         "'; make one with 'winnow sheet export')");
        goto checked;
    }
    sheet_project = meta_value(magic, "project");
    stage = meta_value(magic, "stage");
    reviewer = meta_value(magic, "reviewer");
    if (!sheet_project || !stage || !reviewer || !wn_screen_valid_stage(stage) || !*reviewer) {
        rc = add_problem(res, name, magic->number,
                         "the first row must name the project, a stage (ta or ft) and a "
                         "reviewer");
        goto checked;
    }
    snprintf(res->stage, sizeof res->stage, "%s", stage);
    snprintf(res->reviewer, sizeof res->reviewer, "%s", reviewer);
    if (strcmp(sheet_project, project_id)) {
        rc = add_problem(res, name, magic->number,
                         "the sheet belongs to another project (%s, not %s)", sheet_project,
                         project_id);
        goto checked;
    }
    if (expect_stage && strcmp(expect_stage, stage)) {
        rc = add_problem(res, name, magic->number, "the sheet is for stage %s, not %s", stage,
                         expect_stage);
        goto checked;
    }
    if (expect_reviewer && strcmp(expect_reviewer, reviewer)) {
        rc = add_problem(res, name, magic->number, "the sheet is %s's, not %s's", reviewer,
                         expect_reviewer);
        goto checked;
    }
    size_t h = first + 1;
    while (h < t.n && row_blank(&t.rows[h]))
        h++;
    if (h >= t.n) {
        rc = add_problem(res, name, magic->number + 1, "the header row is missing");
        goto checked;
    }
    if (!(rows = calloc(t.n, sizeof *rows))) {
        rc = WN_ENOMEM;
        goto checked;
    }
    if ((rc = wn_checker_open(&c, p, stage)))
        goto done;
    checker_open = 1;
    /* Checked under the write lock, so what was checked is what is written. */
    if ((rc = wn_screen_begin(p)))
        goto done;
    rc = check_rows(&c, name, &t, &t.rows[h], reviewer, res, rows, &n_rows);
checked:
    if (rc == WN_ENOMEM) {
        rc = wn_err_set(&p->err, WN_ENOMEM, "out of memory reading '%s'", name);
    } else if (res->n_problems) {
        qsort(res->problems, res->n_problems, sizeof *res->problems, by_problem_row);
        rc = wn_err_set(&p->err, WN_EPARSE, "%s%s", res->problems[0],
                        res->n_problems > 1 ? " (and more problems; nothing was imported)"
                                            : " (nothing was imported)");
    }
    if (!rc && checker_open) {
        char at[32];
        wn_utc_now(at);
        for (size_t i = 0; i < n_rows && !rc; i++)
            if (rows[i].write > 0 && !(rc = wn_checker_insert(&c, &rows[i].d, rows[i].reason, at)))
                res->written++;
        if (!rc)
            rc = wn_checker_flush(&c, at);
        char summary[256];
        snprintf(summary, sizeof summary,
                 "sheet '%.100s' (%s, %s): %zu decisions recorded, %zu unchanged, %zu blank",
                 name, stage, reviewer, res->written, res->unchanged, res->blank);
        rc = rc ? rc : wn_screen_commit(p, actor, summary);
    }
    if (rc && checker_open)
        wn_tx_rollback(p);
    if (rc)
        res->written = 0;
done:
    if (checker_open)
        wn_checker_close(&c);
    free(rows);
    free(project_id);
    csv_free(&t);
    wn_decoded_free(&text);
    return rc;
}

/* winnow screen: one reviewer screens their assigned units at the keyboard.
 *
 * Each decision is written (its own transaction and audit row) the moment
 * its key is pressed, so nothing is lost if the terminal dies; a restart
 * opens at the first assigned unit still without the reviewer's decision.
 * Only the reviewer's own decisions are ever read or shown. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "tui.h"
#include "winnow/screen_queue.h"

/* The widest the unit's text is wrapped to, in columns. */
#define TEXT_WIDTH_MAX 100

typedef enum mode { MODE_VIEW, MODE_REASON, MODE_NOTE, MODE_SEARCH, MODE_HELP } mode;

typedef struct term_list {
    char **v;
    size_t n, cap;
} term_list;

/* Where a field value of the merged record sits in the body text, so the
 * rule file's matched spans can be marked on it. */
typedef struct shown_value {
    wn_field field;
    size_t index, off, len;
} shown_value;

typedef struct screen {
    wn_project *p;
    wn_actor actor;
    const char *stage, *reviewer;
    int full_text;
    wn_queue q;
    size_t pos;
    int finished; /* every unit has a decision: the closing page is shown */
    /* the unit on view */
    wn_record *rec;
    tui_text body;
    tui_line *lines;
    size_t n_lines, scroll;
    int64_t body_unit; /* the unit body was built for; -1: rebuild */
    shown_value *shown;
    size_t n_shown, cap_shown;
    int body_width;
    size_t found;
    size_t help_scroll;
    /* highlight terms, the search, the reasons offered */
    term_list include, exclude;
    char *search;
    char **reasons;
    size_t n_reasons;
    /* this session */
    size_t *history; /* queue positions decided, newest last */
    size_t n_history, cap_history;
    size_t decided_now;
    struct timespec started;
    char *pending_note;
    mode m;
    wn_buf input;
    char message[256];
    int no_color, rows, cols;
} screen;

static const char help_text[] =
    "Keys (space: more)\n"
    "  i        include this unit\n"
    "  e        exclude it: pick a reason by number, or type a new one + Enter\n"
    "  m        maybe\n"
    "  n        add a note (saved with your decision)\n"
    "  s  \xE2\x86\x92     skip to the next unit without your decision\n"
    "  b  \xE2\x86\x90     back to the previous unit in the queue\n"
    "  u        undo: back to your last decision, to change it\n"
    "  /        search in this unit (Enter with nothing clears it)\n"
    "  j k \xE2\x86\x91 \xE2\x86\x93  scroll a line     space PgDn PgUp  scroll a page\n"
    "  ?        this help          q  quit (every decision is already saved)\n"
    "\n"
    "A decision is written the moment you press its key; pressing another\n"
    "later adds a new one and the newest counts. Space scrolls this help;\n"
    "any other key goes back.";

/* The key bar: the short one fits 80 columns; wider terminals get back too. */
static const char keys_hint[] =
    " i include  e exclude  m maybe  n note  s skip  u undo  / find  ? help  q quit";
static const char keys_hint_wide[] = " i include  e exclude  m maybe  n note  s skip  b back"
                                     "  u undo  / find  ? help  q quit";

/* ---- term lists -------------------------------------------------------- */

/* Makes room for one more element in arr (n used of *cap, elem bytes each):
 * returns the array to use from now on, or NULL when out of memory (arr is
 * then unchanged and still owned by the caller). */
static void *grow(void *arr, size_t n, size_t *cap, size_t elem)
{
    if (n < *cap)
        return arr;
    size_t ncap = *cap ? *cap * 2 : 16;
    void *grown = realloc(arr, ncap * elem);
    if (grown)
        *cap = ncap;
    return grown;
}

static int list_add(term_list *l, const char *s, size_t len)
{
    char **v = grow(l->v, l->n, &l->cap, sizeof *l->v);
    if (!v)
        return WN_ENOMEM;
    l->v = v;
    if (!(l->v[l->n] = wn_strndup(s, len)))
        return WN_ENOMEM;
    l->n++;
    return 0;
}

static void list_free(term_list *l)
{
    wn_strings_free(l->v, l->n);
    memset(l, 0, sizeof *l);
}

/* Splits "a, b ,c" at commas into trimmed, non-empty terms. */
static int list_split(term_list *l, const char *csv)
{
    const char *p = csv;
    while (*p) {
        const char *end = strchr(p, ',');
        if (!end)
            end = p + strlen(p);
        const char *a = p, *b = end;
        while (a < b && (*a == ' ' || *a == '\t'))
            a++;
        while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
            b--;
        if (b > a && list_add(l, a, (size_t)(b - a)))
            return WN_ENOMEM;
        p = *end ? end + 1 : end;
    }
    return 0;
}

static int collect_highlight(void *ctx, const char *kind, const char *term)
{
    screen *sc = ctx;
    term_list *l = !strcmp(kind, "include") ? &sc->include : &sc->exclude;
    return list_add(l, term, strlen(term));
}

/* ---- the queue --------------------------------------------------------- */

static wn_queue_item *current(screen *sc) { return sc->finished ? NULL : &sc->q.items[sc->pos]; }

/* First position at or after from (wrapping) whose unit has no decision;
 * the queue length when there is none. */
static size_t next_undecided(const screen *sc, size_t from)
{
    for (size_t k = 0; k < sc->q.n; k++) {
        size_t i = (from + k) % sc->q.n;
        if (!sc->q.items[i].decision)
            return i;
    }
    return sc->q.n;
}

static void go_to(screen *sc, size_t pos)
{
    if (pos != sc->pos || sc->finished) {
        free(sc->pending_note);
        sc->pending_note = NULL;
    }
    sc->finished = pos >= sc->q.n;
    if (!sc->finished)
        sc->pos = pos;
    sc->scroll = 0;
    sc->body_unit = -1;
}

static void say(screen *sc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(screen *sc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sc->message, sizeof sc->message, fmt, ap);
    va_end(ap);
}

/* Writes the reviewer's decision on the unit on view and moves on. */
static void decide(screen *sc, const char *decision, const char *reason, const char *note)
{
    wn_queue_item *it = current(sc);
    if (!it)
        return;
    wn_decision d = {sc->stage, it->unit_id, sc->reviewer, NULL, decision, reason,
                     note ? note : sc->pending_note};
    int rc = wn_decision_add(sc->p, &d, &sc->actor);
    if (!rc)
        rc = wn_queue_refresh(sc->p, sc->stage, sc->reviewer, it);
    if (rc) {
        say(sc, "not saved: %s", wn_project_errmsg(sc->p));
        return;
    }
    /* Without memory for it, undo just cannot go back this far. */
    size_t *history = grow(sc->history, sc->n_history, &sc->cap_history, sizeof *history);
    if (history) {
        sc->history = history;
        sc->history[sc->n_history++] = sc->pos;
    }
    sc->decided_now++;
    say(sc, "saved %s %lld: %s%s%s", sc->full_text ? "report" : "unit",
        (long long)it->unit_id, decision, reason ? " \xE2\x80\x94 " : "",
        reason ? reason : "");
    /* The reason list grows with reasons typed for the first time (reason
     * may point into it: not used past here). */
    if (reason) {
        wn_strings_free(sc->reasons, sc->n_reasons);
        if (wn_queue_reasons(sc->p, sc->stage, sc->reviewer, &sc->reasons, &sc->n_reasons))
            sc->n_reasons = 0;
    }
    go_to(sc, next_undecided(sc, sc->pos + 1));
}

/* ---- drawing ----------------------------------------------------------- */

/* Adds the index-th value of field f to the body, noting where it went. */
static void add_value(screen *sc, wn_field f, size_t index, const char *value, unsigned style)
{
    shown_value *shown = grow(sc->shown, sc->n_shown, &sc->cap_shown, sizeof *shown);
    if (shown) {
        sc->shown = shown;
        sc->shown[sc->n_shown++] = (shown_value){f, index, sc->body.text.len, strlen(value)};
    }
    tui_text_puts(&sc->body, value, style);
}

static void add_joined(screen *sc, wn_field f, const char *sep, unsigned style)
{
    size_t n = wn_record_count(sc->rec, f);
    for (size_t i = 0; i < n; i++) {
        if (i)
            tui_text_puts(&sc->body, sep, style);
        add_value(sc, f, i, wn_record_get(sc->rec, f, i), style);
    }
}

/* Marks the terms the latest rule-file run matched in this unit (none when
 * no rule file has been applied). */
static void mark_rule_matches(screen *sc, int64_t unit)
{
    wn_highlight *h;
    size_t n;
    if (wn_rules_unit_highlights(sc->p, unit, &h, &n) != 0)
        return;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < sc->n_shown; k++) {
            const shown_value *v = &sc->shown[k];
            if (v->field != h[i].field || v->index != h[i].index || h[i].start >= h[i].end ||
                h[i].end > v->len)
                continue;
            for (size_t b = h[i].start; b < h[i].end; b++)
                sc->body.style[v->off + b] |= h[i].negative ? TUI_EXCLUDE : TUI_INCLUDE;
        }
    wn_highlights_free(h, n);
}

static void build_body(screen *sc)
{
    tui_text *t = &sc->body;
    tui_text_clear(t);
    sc->n_shown = 0;
    wn_queue_item *it = current(sc);
    if (!it) {
        char line[160];
        snprintf(line, sizeof line,
                 "All %zu units assigned to you at this stage have your decision.\n\n",
                 sc->q.n);
        tui_text_puts(t, line, TUI_BOLD);
        tui_text_puts(t, "Press b or u to revisit one and change it, q to quit.", 0);
        sc->body_unit = -2;
        return;
    }
    if (wn_unit_load(sc->p, it->record_unit, sc->rec) != 0) {
        tui_text_puts(t, "cannot show this unit: ", TUI_BOLD);
        tui_text_puts(t, wn_project_errmsg(sc->p), 0);
        sc->body_unit = it->unit_id;
        return;
    }
    const wn_record *r = sc->rec;
    const char *title = wn_record_first(r, WN_F_TITLE);
    if (title)
        add_value(sc, WN_F_TITLE, 0, title, TUI_BOLD);
    else
        tui_text_puts(t, "(no title)", TUI_BOLD);
    tui_text_puts(t, "\n", 0);
    if (wn_record_count(r, WN_F_AUTHOR)) {
        add_joined(sc, WN_F_AUTHOR, "; ", TUI_DIM);
        tui_text_puts(t, "\n", 0);
    }
    /* year · journal · doi:... on one line, each when present. */
    static const wn_field facts[] = {WN_F_YEAR, WN_F_JOURNAL, WN_F_DOI};
    int any = 0;
    for (size_t i = 0; i < 3; i++) {
        const char *v = wn_record_first(r, facts[i]);
        if (!v)
            continue;
        tui_text_puts(t, any ? " \xC2\xB7 " : "", 0);
        tui_text_puts(t, facts[i] == WN_F_DOI ? "doi:" : "", 0);
        add_value(sc, facts[i], 0, v, 0);
        any = 1;
    }
    if (any)
        tui_text_puts(t, "\n", 0);
    if (wn_record_count(r, WN_F_KEYWORD)) {
        tui_text_puts(t, "Keywords: ", TUI_DIM);
        add_joined(sc, WN_F_KEYWORD, "; ", 0);
        tui_text_puts(t, "\n", 0);
    }
    tui_text_puts(t, "\n", 0);
    const char *abstract = wn_record_first(r, WN_F_ABSTRACT);
    if (abstract)
        add_value(sc, WN_F_ABSTRACT, 0, abstract, 0);
    else
        tui_text_puts(t, "(no abstract)", TUI_DIM);
    mark_rule_matches(sc, it->record_unit);
    tui_text_mark(t, (const char *const *)sc->include.v, sc->include.n, TUI_INCLUDE);
    tui_text_mark(t, (const char *const *)sc->exclude.v, sc->exclude.n, TUI_EXCLUDE);
    sc->found = 0;
    if (sc->search && *sc->search) {
        const char *one[] = {sc->search};
        sc->found = tui_text_mark(t, one, 1, TUI_FOUND);
    }
    sc->body_unit = it->unit_id;
}

/* Rows the body gets between the fixed lines at the top and bottom. */
static int body_top(const screen *sc) { return sc->full_text ? 4 : 3; }
static int body_rows(const screen *sc) { return sc->rows - body_top(sc) - 2; }

static void layout(screen *sc)
{
    wn_queue_item *it = current(sc);
    int64_t want = it ? it->unit_id : -2;
    int rebuilt = 0;
    if (sc->body_unit != want || sc->body_unit == -1) {
        build_body(sc);
        rebuilt = 1;
    }
    /* Long lines are hard to read: on wide terminals the text stays narrower. */
    int width = sc->cols < TEXT_WIDTH_MAX ? sc->cols : TEXT_WIDTH_MAX;
    if (rebuilt || sc->body_width != width) {
        free(sc->lines);
        if (tui_wrap(&sc->body, width, &sc->lines, &sc->n_lines))
            sc->n_lines = 0;
        sc->body_width = width;
    }
    size_t rows = (size_t)(body_rows(sc) > 0 ? body_rows(sc) : 1);
    size_t max_scroll = sc->n_lines > rows ? sc->n_lines - rows : 0;
    if (sc->scroll > max_scroll)
        sc->scroll = max_scroll;
}

/* Whether the unit's text goes on below the window. */
static int more_below(const screen *sc)
{
    return body_rows(sc) > 0 && sc->scroll + (size_t)body_rows(sc) < sc->n_lines;
}

/* Draws a one-line text (cut at the width) at row. */
static void draw_text_row(screen *sc, wn_buf *out, int row, const char *s, unsigned style)
{
    tui_text t = {WN_BUF_INIT, NULL, 0};
    tui_text_puts(&t, s, style);
    const char *nl = strchr(t.text.data ? t.text.data : "", '\n');
    tui_line l = {0, nl ? (size_t)(nl - t.text.data) : t.text.len};
    tui_draw_line(out, &t, l, row, sc->cols, sc->no_color);
    tui_text_free(&t);
}

/* Draws text wrapped into rows [top, top + rows) from line skip on. */
static void draw_block(screen *sc, wn_buf *out, const tui_text *t, const tui_line *lines,
                       size_t n, size_t skip, int top, int rows)
{
    for (int r = 0; r < rows; r++) {
        size_t i = skip + (size_t)r;
        if (i < n)
            tui_draw_line(out, t, lines[i], top + r, sc->cols, sc->no_color);
        else
            wn_buf_printf(out, "\x1b[%d;1H\x1b[K", top + r + 1);
    }
}

static void draw_overlay(screen *sc, wn_buf *out, const char *text, size_t skip)
{
    tui_text t = {WN_BUF_INIT, NULL, 0};
    tui_text_puts(&t, text, 0);
    tui_line *lines = NULL;
    size_t n = 0;
    if (!tui_wrap(&t, sc->cols, &lines, &n))
        draw_block(sc, out, &t, lines, n, skip < n ? skip : (n ? n - 1 : 0), body_top(sc),
                   body_rows(sc));
    free(lines);
    tui_text_free(&t);
}

/* Rows a line of text takes once wrapped to the width (bytes counted as
 * columns: at worst a row too many). */
static int rows_for(const screen *sc, size_t len)
{
    return len == 0 ? 1 : (int)((len + (size_t)sc->cols - 1) / (size_t)sc->cols);
}

/* The exclusion prompt: what to do first, then as many reasons as fit; the
 * rest are still picked by typing their number. */
static void draw_reasons(screen *sc, wn_buf *out)
{
    wn_buf b = WN_BUF_INIT;
    const char *ask = sc->full_text ? "Exclude: a reason is needed at full text."
                                    : "Exclude: why? (Enter alone: no reason)";
    const char *how = sc->n_reasons && sc->n_reasons <= 9
                          ? "Press a number, or type a new reason and Enter. Esc cancels."
                          : "Type a number or a new reason, then Enter. Esc cancels.";
    wn_buf_printf(&b, "%s\n%s\n", ask, how);
    int left = body_rows(sc) - rows_for(sc, strlen(ask)) - rows_for(sc, strlen(how)) - 1;
    if (sc->message[0]) {
        wn_buf_printf(&b, "%s\n", sc->message);
        left -= rows_for(sc, strlen(sc->message));
    }
    wn_buf_putc(&b, '\n');
    if (!sc->n_reasons)
        wn_buf_puts(&b, "  (no reasons yet: type one)");
    for (size_t i = 0; i < sc->n_reasons; i++) {
        int need = rows_for(sc, 6 + strlen(sc->reasons[i]));
        /* Keep a row to say how many more there are, unless this is the last. */
        if (need > left - (i + 1 < sc->n_reasons)) {
            wn_buf_printf(&b, "  \xE2\x80\xA6 %zu more: type a number up to %zu",
                          sc->n_reasons - i, sc->n_reasons);
            break;
        }
        wn_buf_printf(&b, "  %2zu  %s\n", i + 1, sc->reasons[i]);
        left -= need;
    }
    draw_overlay(sc, out, b.data ? b.data : "", 0);
    wn_buf_free(&b);
}

static double minutes_since(const struct timespec *t0)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t0->tv_sec) / 60.0 +
           (double)(now.tv_nsec - t0->tv_nsec) / 6e10;
}

static void draw(screen *sc)
{
    wn_buf out = WN_BUF_INIT;
    tui_size(&sc->rows, &sc->cols);
    if (sc->rows < 10 || sc->cols < 40) {
        wn_buf_puts(&out, "\x1b[0m\x1b[H\x1b[2J");
        wn_buf_printf(&out, "terminal too small (%dx%d): winnow screen needs 40x10", sc->cols,
                      sc->rows);
        tui_write(&out);
        wn_buf_free(&out);
        return;
    }
    layout(sc);
    wn_queue_item *it = current(sc);
    char line[1024];
    if (it)
        snprintf(line, sizeof line, " winnow screen \xC2\xB7 %s \xC2\xB7 %s    %s %lld \xC2\xB7 %zu of %zu",
                 sc->stage, sc->reviewer, sc->full_text ? "report" : "unit",
                 (long long)it->unit_id, sc->pos + 1, sc->q.n);
    else
        snprintf(line, sizeof line, " winnow screen \xC2\xB7 %s \xC2\xB7 %s    finished",
                 sc->stage, sc->reviewer);
    draw_text_row(sc, &out, 0, line, TUI_BAR);
    size_t done = wn_queue_decided(&sc->q);
    double mins = minutes_since(&sc->started);
    snprintf(line, sizeof line, "done %zu/%zu \xC2\xB7 %zu left \xC2\xB7 this session %zu (%.1f/min)",
             done, sc->q.n, sc->q.n - done, sc->decided_now,
             mins > 0.05 ? (double)sc->decided_now / mins : 0.0);
    draw_text_row(sc, &out, 1, line, TUI_DIM);
    if (it && it->decision)
        snprintf(line, sizeof line, "Your decision: %s%s%s%s%s", it->decision,
                 it->reason ? " \xE2\x80\x94 " : "", it->reason ? it->reason : "",
                 it->note ? " \xC2\xB7 note: " : "", it->note ? it->note : "");
    else
        snprintf(line, sizeof line, "Your decision: none yet%s%s",
                 sc->pending_note ? " \xC2\xB7 note to save: " : "",
                 sc->pending_note ? sc->pending_note : "");
    draw_text_row(sc, &out, 2, it ? line : "", TUI_BOLD);
    if (sc->full_text) {
        snprintf(line, sizeof line, "Full text: %s \xC2\xB7 %s",
                 it && it->retrieval ? it->retrieval : "no report",
                 it && it->location ? it->location : "no PDF path or URL");
        draw_text_row(sc, &out, 3, it ? line : "", 0);
    }
    if (sc->m == MODE_HELP)
        draw_overlay(sc, &out, help_text, sc->help_scroll);
    else if (sc->m == MODE_REASON)
        draw_reasons(sc, &out);
    else
        draw_block(sc, &out, &sc->body, sc->lines, sc->n_lines, sc->scroll, body_top(sc),
                   body_rows(sc));
    /* The status line: a prompt being typed, or the last message. */
    static const char *const prompts[] = {"", "Reason: ", "Note: ", "Find: ", ""};
    if (sc->m == MODE_REASON || sc->m == MODE_NOTE || sc->m == MODE_SEARCH) {
        snprintf(line, sizeof line, "%s%s_", prompts[sc->m], sc->input.data ? sc->input.data : "");
        draw_text_row(sc, &out, sc->rows - 2, line, TUI_BOLD);
    } else if (!sc->message[0] && sc->m == MODE_VIEW && more_below(sc)) {
        /* Nothing to say: tell that the unit goes on below the window. */
        size_t shown = sc->scroll + (size_t)body_rows(sc);
        snprintf(line, sizeof line, "\xE2\x86\x93 more below (space, j): lines %zu-%zu of %zu",
                 sc->scroll + 1, shown, sc->n_lines);
        draw_text_row(sc, &out, sc->rows - 2, line, TUI_DIM);
    } else {
        draw_text_row(sc, &out, sc->rows - 2, sc->message, 0);
    }
    draw_text_row(sc, &out, sc->rows - 1,
                  sc->cols >= (int)sizeof keys_hint_wide ? keys_hint_wide : keys_hint, TUI_BAR);
    tui_write(&out);
    wn_buf_free(&out);
}

/* ---- keys -------------------------------------------------------------- */

/* Typing into the prompt: printable bytes and backspace. 1 if consumed. */
static int edit_input(screen *sc, int key)
{
    if (key == 127 || key == 8) {
        size_t n = sc->input.len;
        while (n > 0 && ((unsigned char)sc->input.data[n - 1] & 0xC0) == 0x80)
            n--;
        wn_buf_truncate(&sc->input, n > 0 ? n - 1 : 0);
        return 1;
    }
    if (key >= 0x20 && key < 0x100 && key != 127) {
        if (sc->input.len < 500)
            wn_buf_putc(&sc->input, (char)key);
        return 1;
    }
    return 0;
}

static int is_enter(int key) { return key == '\r' || key == '\n'; }

/* The prompt's text without surrounding spaces (borrowed from input). */
static const char *input_text(screen *sc)
{
    if (!sc->input.data)
        return "";
    char *s = sc->input.data;
    while (*s == ' ')
        s++;
    size_t n = strlen(s);
    while (n > 0 && s[n - 1] == ' ')
        s[--n] = '\0';
    return s;
}

static void reason_key(screen *sc, int key)
{
    if (key == TUI_KEY_ESC) {
        sc->m = MODE_VIEW;
        say(sc, "exclusion cancelled");
        return;
    }
    /* With a short list one digit picks at once. */
    if (sc->input.len == 0 && key >= '1' && key <= '9' && sc->n_reasons <= 9 &&
        (size_t)(key - '0') <= sc->n_reasons) {
        sc->m = MODE_VIEW;
        decide(sc, "exclude", sc->reasons[key - '1'], NULL);
        return;
    }
    if (!is_enter(key)) {
        edit_input(sc, key);
        return;
    }
    const char *text = input_text(sc);
    char *end = NULL;
    long pick = strtol(text, &end, 10);
    const char *reason = text;
    if (*text && end && !*end) {
        if (pick < 1 || (size_t)pick > sc->n_reasons) {
            say(sc, "no reason numbered %s", text);
            return;
        }
        reason = sc->reasons[pick - 1];
    }
    if (!*reason && sc->full_text) {
        say(sc, "a reason is needed to exclude at full text");
        return;
    }
    char *copy = *reason ? wn_strdup(reason) : NULL;
    sc->m = MODE_VIEW;
    decide(sc, "exclude", copy, NULL);
    free(copy);
}

static void note_entered(screen *sc)
{
    const char *text = input_text(sc);
    wn_queue_item *it = current(sc);
    if (!*text || !it)
        return;
    if (!it->decision) {
        free(sc->pending_note);
        sc->pending_note = wn_strdup(text);
        say(sc, "the note will be saved with your decision on this unit");
        return;
    }
    /* Already decided: the same decision again, now with the note. */
    char *decision = wn_strdup(it->decision), *reason = it->reason ? wn_strdup(it->reason) : NULL;
    size_t pos = sc->pos;
    decide(sc, decision, reason, text);
    go_to(sc, pos);
    say(sc, "note saved with your decision");
    free(decision);
    free(reason);
}

static void search_entered(screen *sc)
{
    const char *text = input_text(sc);
    free(sc->search);
    sc->search = *text ? wn_strdup(text) : NULL;
    sc->body_unit = -1;
    layout(sc);
    if (!sc->search) {
        say(sc, "search cleared");
        return;
    }
    /* Scroll to the first line holding a match. */
    for (size_t i = 0; i < sc->n_lines; i++) {
        const tui_line *l = &sc->lines[i];
        int hit = 0;
        for (size_t k = 0; k < l->len && !hit; k++)
            hit = sc->body.style[l->off + k] & TUI_FOUND;
        if (hit) {
            sc->scroll = i > 0 ? i - 1 : 0;
            break;
        }
    }
    say(sc, "%zu match%s for '%s'", sc->found, sc->found == 1 ? "" : "es", sc->search);
}

static void prompt_key(screen *sc, int key)
{
    if (key == TUI_KEY_ESC) {
        sc->m = MODE_VIEW;
        sc->message[0] = '\0';
        return;
    }
    if (!is_enter(key)) {
        edit_input(sc, key);
        return;
    }
    mode was = sc->m;
    sc->m = MODE_VIEW;
    if (was == MODE_NOTE)
        note_entered(sc);
    else
        search_entered(sc);
}

static void start_prompt(screen *sc, mode m)
{
    wn_buf_clear(&sc->input);
    sc->message[0] = '\0';
    sc->m = m;
}

/* Handles one key in the view; returns 1 to quit. */
static int view_key(screen *sc, int key)
{
    int page = body_rows(sc) > 2 ? body_rows(sc) - 1 : 1;
    wn_queue_item *it = current(sc);
    sc->message[0] = '\0';
    switch (key) {
    case 'q': case 'Q':
        return 1;
    case 'i': case 'm': case 'e':
        if (!it) {
            say(sc, "every unit is decided: b or u to revisit one, q to quit");
        } else if (key == 'e') {
            start_prompt(sc, MODE_REASON);
        } else {
            decide(sc, key == 'i' ? "include" : "maybe", NULL, NULL);
        }
        break;
    case 'n':
        if (it)
            start_prompt(sc, MODE_NOTE);
        break;
    case '/':
        if (it)
            start_prompt(sc, MODE_SEARCH);
        break;
    case '?':
        sc->m = MODE_HELP;
        sc->help_scroll = 0;
        break;
    case 's': case TUI_KEY_RIGHT: {
        size_t next = next_undecided(sc, it ? sc->pos + 1 : 0);
        if (next >= sc->q.n || (it && next == sc->pos))
            say(sc, "no other unit is waiting for your decision");
        else
            go_to(sc, next);
        break;
    }
    case 'b': case TUI_KEY_LEFT:
        if (!it)
            go_to(sc, sc->q.n - 1);
        else if (sc->pos > 0)
            go_to(sc, sc->pos - 1);
        else
            say(sc, "this is the first unit");
        break;
    case 'u':
        if (!sc->n_history) {
            say(sc, "nothing to undo in this session");
            break;
        }
        go_to(sc, sc->history[--sc->n_history]);
        say(sc, "back to your last decision: press i, e or m to change it, s to keep it");
        break;
    case 'j': case TUI_KEY_DOWN:
        sc->scroll++;
        break;
    case 'k': case TUI_KEY_UP:
        if (sc->scroll)
            sc->scroll--;
        break;
    case ' ': case TUI_KEY_PGDN:
        sc->scroll += (size_t)page;
        break;
    case TUI_KEY_PGUP:
        sc->scroll = sc->scroll > (size_t)page ? sc->scroll - (size_t)page : 0;
        break;
    case 'g': case TUI_KEY_HOME:
        sc->scroll = 0;
        break;
    default:
        break;
    }
    return 0;
}

/* The help scrolls on small terminals; any other key closes it. */
static void help_key(screen *sc, int key)
{
    if (key == ' ' || key == 'j' || key == TUI_KEY_DOWN || key == TUI_KEY_PGDN)
        sc->help_scroll += key == 'j' || key == TUI_KEY_DOWN ? 1 : (size_t)body_rows(sc) - 1;
    else if ((key == 'k' || key == TUI_KEY_UP || key == TUI_KEY_PGUP) && sc->help_scroll)
        sc->help_scroll--;
    else
        sc->m = MODE_VIEW;
}

static int run_view(screen *sc)
{
    if (tui_open() != 0)
        return cli_error(EXIT_RUNTIME, "screen needs a terminal (stdin and stdout)");
    go_to(sc, next_undecided(sc, 0));
    for (;;) {
        draw(sc);
        int key = tui_read_key(-1);
        if (key == TUI_KEY_EOF)
            break;
        if (key == TUI_KEY_NONE || key == TUI_KEY_RESIZE || key == 12 /* Ctrl-L */)
            continue;
        if (sc->m == MODE_HELP)
            help_key(sc, key);
        else if (sc->m == MODE_REASON)
            reason_key(sc, key);
        else if (sc->m != MODE_VIEW)
            prompt_key(sc, key);
        else if (view_key(sc, key))
            break;
    }
    tui_close();
    size_t done = wn_queue_decided(&sc->q);
    printf("%s at %s: %zu of %zu units decided, %zu in this session\n", sc->reviewer,
           sc->stage, done, sc->q.n, sc->decided_now);
    return EXIT_OK;
}

/* ---- the command -------------------------------------------------------- */

/* Stores the highlight terms given on the command line (one transaction
 * per kind). */
static int store_highlights(screen *sc, const char *kind, const char *csv)
{
    term_list l = {0};
    int rc = list_split(&l, csv);
    if (!rc)
        rc = wn_highlight_terms_set(sc->p, kind, (const char *const *)l.v, l.n, &sc->actor);
    if (!rc)
        printf("%s highlight terms: %zu\n", kind, l.n);
    list_free(&l);
    return rc;
}

static void screen_free(screen *sc)
{
    wn_queue_free(&sc->q);
    wn_record_free(sc->rec);
    tui_text_free(&sc->body);
    free(sc->lines);
    free(sc->shown);
    list_free(&sc->include);
    list_free(&sc->exclude);
    free(sc->search);
    wn_strings_free(sc->reasons, sc->n_reasons);
    free(sc->history);
    free(sc->pending_note);
    wn_buf_free(&sc->input);
}

static int run(cli_ctx *ctx, int argc, char **argv)
{
    const char *stage = NULL, *reviewer = NULL, *order_name = NULL, *hl_include = NULL,
               *hl_exclude = NULL, *pos[1];
    int n_pos;
    const cli_opt opts[] = {{"stage", 0, 1, &stage},
                            {"reviewer", 0, 1, &reviewer},
                            {"order", 0, 1, &order_name},
                            {"highlight-include", 0, 1, &hl_include},
                            {"highlight-exclude", 0, 1, &hl_exclude},
                            {NULL, 0, 0, NULL}};
    if (cli_parse(&cmd_screen, argc, argv, opts, pos, 0, &n_pos))
        return EXIT_USAGE;
    int storing = hl_include || hl_exclude;
    if (!stage && !storing)
        return cli_usage(&cmd_screen, "--stage is required");
    if (stage && strcmp(stage, "ta") && strcmp(stage, "ft"))
        return cli_usage(&cmd_screen, "unknown stage '%s' (ta or ft)", stage);
    if (stage && !reviewer)
        return cli_usage(&cmd_screen, "--reviewer is required");
    wn_queue_order order = WN_ORDER_ASSIGNED;
    if (order_name && wn_queue_order_parse(order_name, &order))
        return cli_usage(&cmd_screen, "unknown order '%s' (assigned, random or oldest-first)",
                         order_name);
    screen sc;
    memset(&sc, 0, sizeof sc);
    sc.p = cli_open_project(ctx);
    if (!sc.p)
        return EXIT_RUNTIME;
    sc.actor = cli_actor(ctx);
    sc.actor.user = reviewer;
    int rc = 0;
    if (hl_include)
        rc = store_highlights(&sc, "include", hl_include);
    if (!rc && hl_exclude)
        rc = store_highlights(&sc, "exclude", hl_exclude);
    if (rc || !stage) {
        screen_free(&sc);
        return cli_finish(sc.p, rc);
    }
    sc.stage = stage;
    sc.reviewer = reviewer;
    sc.full_text = !strcmp(stage, "ft");
    sc.body_unit = -1;
    sc.input.limit = 4096;
    const char *no_color = getenv("NO_COLOR");
    sc.no_color = no_color && *no_color;
    clock_gettime(CLOCK_MONOTONIC, &sc.started);
    if (!(sc.rec = wn_record_new()))
        rc = wn_err_set(NULL, WN_ENOMEM, "out of memory");
    if (!rc)
        rc = wn_queue_load(sc.p, stage, reviewer, order, &sc.q);
    if (!rc)
        rc = wn_highlight_terms_each(sc.p, collect_highlight, &sc);
    if (!rc)
        rc = wn_queue_reasons(sc.p, stage, reviewer, &sc.reasons, &sc.n_reasons);
    int status;
    if (rc) {
        status = cli_finish(sc.p, rc);
    } else if (sc.q.n == 0) {
        printf("nothing to screen: no units are assigned to '%s' at %s\n", reviewer, stage);
        status = cli_finish(sc.p, 0);
    } else {
        status = run_view(&sc);
        cli_finish(sc.p, 0);
    }
    screen_free(&sc);
    return status;
}

const cli_command cmd_screen = {
    "screen",
    "screen your assigned units at the keyboard, one at a time",
    "screen --stage ta|ft --reviewer HANDLE [--order assigned|random|oldest-first]"
    " [--highlight-include TERMS] [--highlight-exclude TERMS]",
    "Shows the units assigned to one reviewer at a stage, one at a time, in\n"
    "the terminal: title, authors, year, journal, DOI, keywords and abstract,\n"
    "with the project's highlight terms in colour (NO_COLOR: bold for\n"
    "inclusion terms, underlined for exclusion terms). At ft it also shows the\n"
    "full text's retrieval status and its PDF path or URL.\n"
    "\n"
    "Keys: i include, e exclude (then a reason by number, or type one), m maybe,\n"
    "n note, s skip, b back, u undo (go back to your last decision to change\n"
    "it), / search, ? help, q quit. Every decision is saved the moment its key\n"
    "is pressed; running the command again continues where you stopped. You\n"
    "only ever see your own decisions. An exclusion at ft needs a reason.\n"
    "\n"
    "--order: assigned (default), random (the same shuffle on every run), or\n"
    "oldest-first (by publication year).\n"
    "--highlight-include/--highlight-exclude \"social work*,equity\": replace the\n"
    "project's terms of that kind (comma-separated; '*' at the end matches any\n"
    "ending). Given without --stage, only stores them.\n",
    run,
};

/* Styled text for the screening view: highlight marking, word wrapping by
 * display columns, and drawing lines with ANSI attributes. */
#include <stdlib.h>
#include <string.h>

#include "tui.h"
#include "winnow/text.h"

void tui_text_clear(tui_text *t) { wn_buf_clear(&t->text); }

void tui_text_free(tui_text *t)
{
    wn_buf_free(&t->text);
    free(t->style);
    t->style = NULL;
    t->cap = 0;
}

int tui_text_add(tui_text *t, const char *s, size_t len, unsigned style)
{
    if (len == 0)
        return 0;
    size_t need = t->text.len + len;
    if (need > t->cap) {
        size_t ncap = t->cap ? t->cap : 256;
        while (ncap < need)
            ncap *= 2;
        unsigned char *grown = realloc(t->style, ncap);
        if (!grown)
            return WN_ENOMEM;
        t->style = grown;
        t->cap = ncap;
    }
    memset(t->style + t->text.len, (int)style, len);
    return wn_buf_append(&t->text, s, len);
}

int tui_text_puts(tui_text *t, const char *s, unsigned style)
{
    return tui_text_add(t, s, strlen(s), style);
}

/* Bytes of UTF-8 beyond ASCII count as letters, so accented words hold together. */
static int is_word(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           c >= 0x80;
}

static unsigned char lower(unsigned char c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

/* Length of the match of term at s[i..n), or 0. */
static size_t match_at(const char *s, size_t i, size_t n, const char *term)
{
    size_t tl = strlen(term);
    int prefix = tl > 0 && term[tl - 1] == '*';
    if (prefix)
        tl--;
    if (tl == 0 || i + tl > n)
        return 0;
    for (size_t k = 0; k < tl; k++)
        if (lower((unsigned char)s[i + k]) != lower((unsigned char)term[k]))
            return 0;
    size_t end = i + tl;
    if (prefix)
        while (end < n && is_word((unsigned char)s[end]))
            end++;
    else if (end < n && is_word((unsigned char)s[end]))
        return 0;
    return end - i;
}

size_t tui_text_mark(tui_text *t, const char *const *terms, size_t n, unsigned style)
{
    const char *s = t->text.data;
    size_t len = t->text.len, found = 0;
    for (size_t i = 0; i < len; i++) {
        if (i > 0 && is_word((unsigned char)s[i - 1]))
            continue;
        size_t best = 0;
        for (size_t k = 0; k < n; k++) {
            size_t m = match_at(s, i, len, terms[k]);
            if (m > best)
                best = m;
        }
        if (!best)
            continue;
        for (size_t k = i; k < i + best; k++)
            t->style[k] |= (unsigned char)style;
        found++;
        i += best - 1;
    }
    return found;
}

int tui_cp_width(unsigned cp)
{
    if (cp == 0 || (cp >= 0x300 && cp < 0x370) || (cp >= 0x200B && cp <= 0x200F) ||
        (cp >= 0xFE00 && cp <= 0xFE0F))
        return 0;
    /* East Asian wide and full-width ranges. */
    if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
        (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
        (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6) ||
        (cp >= 0x1F300 && cp <= 0x1FAFF) || (cp >= 0x20000 && cp <= 0x3FFFD))
        return 2;
    return 1;
}

static int push_line(tui_line **lines, size_t *n, size_t *cap, size_t off, size_t len)
{
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 64;
        tui_line *grown = realloc(*lines, ncap * sizeof **lines);
        if (!grown)
            return WN_ENOMEM;
        *lines = grown;
        *cap = ncap;
    }
    (*lines)[(*n)++] = (tui_line){off, len};
    return 0;
}

int tui_wrap(const tui_text *t, int width, tui_line **lines, size_t *n)
{
    *lines = NULL;
    *n = 0;
    size_t cap = 0;
    const char *s = t->text.data ? t->text.data : "";
    const char *end = s + t->text.len;
    if (width < 1)
        width = 1;
    const char *line = s;
    while (line < end) {
        /* Walk to the width, remembering the last space seen. */
        const char *p = line, *brk = NULL;
        int cols = 0;
        while (p < end && *p != '\n') {
            const char *q = p;
            unsigned cp = wn_utf8_next(&q, end);
            int w = tui_cp_width(cp);
            if (cols + w > width)
                break;
            if (cp == ' ')
                brk = p;
            cols += w;
            p = q;
        }
        const char *stop = p, *next = p;
        if (p < end && *p == '\n') {
            next = p + 1;
        } else if (p < end) {
            if (*p == ' ') {
                next = p + 1;
            } else if (brk && brk > line) {
                stop = brk;
                next = brk + 1;
            }
            if (stop == line) /* a character wider than the line */
                stop = next = p + 1;
        }
        if (push_line(lines, n, &cap, (size_t)(line - s), (size_t)(stop - line))) {
            free(*lines);
            *lines = NULL;
            *n = 0;
            return WN_ENOMEM;
        }
        line = next;
    }
    return 0;
}

/* The SGR parameters of a style. Without colour, inclusion terms are bold,
 * exclusion terms underlined and search matches reversed. */
static void put_style(wn_buf *out, unsigned st, int no_color)
{
    wn_buf_puts(out, "\x1b[0");
    if (st & TUI_BOLD)
        wn_buf_puts(out, ";1");
    if (st & TUI_DIM)
        wn_buf_puts(out, ";2");
    if (st & TUI_BAR)
        wn_buf_puts(out, ";7");
    if (no_color) {
        if (st & TUI_INCLUDE)
            wn_buf_puts(out, ";1");
        if (st & TUI_EXCLUDE)
            wn_buf_puts(out, ";4");
        if (st & TUI_FOUND)
            wn_buf_puts(out, ";7");
    } else if (st & TUI_FOUND) {
        wn_buf_puts(out, ";30;43");
    } else if (st & TUI_EXCLUDE) {
        wn_buf_puts(out, ";1;31");
    } else if (st & TUI_INCLUDE) {
        wn_buf_puts(out, ";1;32");
    }
    wn_buf_putc(out, 'm');
}

int tui_draw_line(wn_buf *out, const tui_text *t, tui_line line, int row, int width,
                  int no_color)
{
    wn_buf_printf(out, "\x1b[%d;1H", row + 1);
    const char *s = t->text.data ? t->text.data : "";
    const char *p = s + line.off, *end = p + line.len;
    int cols = 0, cur = -1;
    unsigned bar = 0;
    while (p < end) {
        const char *q = p;
        unsigned cp = wn_utf8_next(&q, end);
        int w = tui_cp_width(cp);
        if (cols + w > width)
            break;
        unsigned st = t->style[p - s];
        bar = st & TUI_BAR;
        if ((int)st != cur) {
            put_style(out, st, no_color);
            cur = (int)st;
        }
        if (cp < 0x20 || cp == 0x7f)
            wn_buf_putc(out, ' ');
        else
            wn_buf_append(out, p, (size_t)(q - p));
        cols += w;
        p = q;
    }
    /* A bar runs the full width; other lines are cleared to the end. */
    if (bar) {
        put_style(out, TUI_BAR, no_color);
        while (cols++ < width)
            wn_buf_putc(out, ' ');
    }
    if (cur != 0)
        wn_buf_puts(out, "\x1b[0m");
    /* After the last column the cursor still sits on it: erasing from
     * there would wipe the line's last character. */
    return cols < width ? wn_buf_puts(out, "\x1b[K") : 0;
}

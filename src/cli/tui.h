/* The terminal layer of `winnow screen`: raw mode on the alternate screen,
 * keys, and styled text wrapped to the width. Plain termios and ANSI
 * sequences; nothing here knows about projects. */
#ifndef WINNOW_TUI_H
#define WINNOW_TUI_H

#include <stddef.h>

#include "winnow/buf.h"

/* ---- terminal (tui_term.c) ------------------------------------------- */

/* Enters raw mode and the alternate screen on stdin/stdout, and installs
 * handlers so the terminal is restored on exit and on SIGINT, SIGTERM,
 * SIGHUP and SIGQUIT (which then end the process as they normally would),
 * and before a crash signal (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT) goes
 * on to its earlier handler.
 * Ctrl-Z restores it, stops, and takes it back on resume. Returns 0, or -1
 * when stdin or stdout is not a terminal. */
int tui_open(void);
/* Leaves the alternate screen and restores the saved modes; idempotent. */
void tui_close(void);
/* Current size (rows, cols); 24x80 when unknown. */
void tui_size(int *rows, int *cols);
/* Writes all of b to the terminal. */
void tui_write(const wn_buf *b);

enum {
    TUI_KEY_NONE = -1,    /* timed out */
    TUI_KEY_RESIZE = -2,  /* the window changed size (or the view came back) */
    TUI_KEY_EOF = -3,     /* the terminal went away */
    TUI_KEY_UP = 0x1000,
    TUI_KEY_DOWN,
    TUI_KEY_LEFT,
    TUI_KEY_RIGHT,
    TUI_KEY_PGUP,
    TUI_KEY_PGDN,
    TUI_KEY_HOME,
    TUI_KEY_END,
    TUI_KEY_ESC,
};
/* Waits up to timeout_ms (-1: forever) for a key: a byte (UTF-8 bytes come
 * one at a time), a TUI_KEY_* code, or a negative event. */
int tui_read_key(int timeout_ms);

/* ---- styled text (tui_text.c) ---------------------------------------- */

enum {
    TUI_BOLD = 1,
    TUI_DIM = 2,
    TUI_INCLUDE = 4, /* an inclusion term */
    TUI_EXCLUDE = 8, /* an exclusion term */
    TUI_FOUND = 16,  /* a search match */
    TUI_BAR = 32,    /* header and footer bars */
};

/* Text with one style byte per byte of text. A '\n' ends a line. */
typedef struct tui_text {
    wn_buf text;
    unsigned char *style;
    size_t cap;
} tui_text;

void tui_text_clear(tui_text *t);
void tui_text_free(tui_text *t);
/* Appends s[0..len) in style; returns 0 or WN_ENOMEM. */
int tui_text_add(tui_text *t, const char *s, size_t len, unsigned style);
int tui_text_puts(tui_text *t, const char *s, unsigned style);
/* Adds style to every match of the terms (ASCII case ignored, whole words;
 * a trailing '*' matches any word starting so). Returns the match count. */
size_t tui_text_mark(tui_text *t, const char *const *terms, size_t n, unsigned style);

/* One display line: a slice of the text. */
typedef struct tui_line {
    size_t off, len;
} tui_line;

/* Wraps t to width columns at spaces (hard-splitting longer words); the
 * lines array is owned by the caller (free()). Returns 0 or WN_ENOMEM. */
int tui_wrap(const tui_text *t, int width, tui_line **lines, size_t *n);
/* Appends one line drawn at screen row (0-based) with its styles (colour
 * unless no_color), padded to width and cleared to the end. */
int tui_draw_line(wn_buf *out, const tui_text *t, tui_line line, int row, int width,
                  int no_color);
/* Display columns of a code point (0, 1 or 2). */
int tui_cp_width(unsigned cp);

#endif

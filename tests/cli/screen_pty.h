/* A pseudo-terminal harness for driving `winnow screen` as a person would:
 * runs the real program on a pty of a given size, keeps a small model of
 * the screen it draws (cursor moves, erases, attributes, the alternate
 * screen), and lets a test type keys, resize, signal, and read the screen.
 * Included by the screen tests (static functions only). */
#ifndef WINNOW_SCREEN_PTY_H
#define WINNOW_SCREEN_PTY_H

#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "support.h"

enum { VT_BOLD = 1, VT_UNDERLINE = 2, VT_REVERSE = 4, VT_DIM = 8 };

typedef struct vt_cell {
    unsigned cp;
    unsigned char attr;
    signed char fg; /* 0-7, or -1 for the default colour */
} vt_cell;

typedef struct pty_run {
    pid_t pid;
    int fd;
    int rows, cols;
    vt_cell *grid;
    int cy, cx, wrap_pending;
    unsigned char attr;
    signed char fg;
    int in_alt, entered_alt, left_alt, saw_color;
    int state;          /* 0 text, 1 after ESC, 2 in CSI */
    char params[64];
    size_t n_params;
    unsigned u_cp;      /* UTF-8 being decoded */
    int u_left;
    int exited, status;
} pty_run;

/* The run in progress, ended by pty_teardown if a test fails midway. */
static pty_run *pty_live;

static inline long long pty_now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static inline void vt_clear(pty_run *h)
{
    for (int i = 0; i < h->rows * h->cols; i++)
        h->grid[i] = (vt_cell){' ', 0, -1};
}

static inline void vt_alloc(pty_run *h, int rows, int cols)
{
    free(h->grid);
    h->rows = rows;
    h->cols = cols;
    h->grid = calloc((size_t)rows * (size_t)cols, sizeof *h->grid);
    assert_non_null(h->grid);
    vt_clear(h);
    h->cy = h->cx = h->wrap_pending = 0;
}

static inline void vt_newline(pty_run *h)
{
    if (++h->cy < h->rows)
        return;
    h->cy = h->rows - 1;
    memmove(h->grid, h->grid + h->cols, (size_t)(h->rows - 1) * (size_t)h->cols * sizeof *h->grid);
    for (int c = 0; c < h->cols; c++)
        h->grid[(h->rows - 1) * h->cols + c] = (vt_cell){' ', 0, -1};
}

static inline void vt_put(pty_run *h, unsigned cp)
{
    if (h->wrap_pending) {
        h->cx = 0;
        h->wrap_pending = 0;
        vt_newline(h);
    }
    h->grid[h->cy * h->cols + h->cx] = (vt_cell){cp, h->attr, h->fg};
    if (++h->cx >= h->cols) {
        h->cx = h->cols - 1;
        h->wrap_pending = 1;
    }
}

static inline int vt_param(const char *s, int idx, int dflt)
{
    for (int i = 0; i < idx; i++) {
        s = strchr(s, ';');
        if (!s)
            return dflt;
        s++;
    }
    return (*s >= '0' && *s <= '9') ? atoi(s) : dflt;
}

static inline void vt_sgr(pty_run *h, const char *p)
{
    if (!*p) {
        h->attr = 0;
        h->fg = -1;
        return;
    }
    for (const char *s = p; s; s = strchr(s, ';') ? strchr(s, ';') + 1 : NULL) {
        int v = atoi(s);
        if (v == 0) {
            h->attr = 0;
            h->fg = -1;
        } else if (v == 1) {
            h->attr |= VT_BOLD;
        } else if (v == 2) {
            h->attr |= VT_DIM;
        } else if (v == 4) {
            h->attr |= VT_UNDERLINE;
        } else if (v == 7) {
            h->attr |= VT_REVERSE;
        } else if (v >= 30 && v <= 37) {
            h->fg = (signed char)(v - 30);
            h->saw_color = 1;
        } else if (v == 39) {
            h->fg = -1;
        } else if ((v >= 38 && v <= 49) || (v >= 90 && v <= 107)) {
            h->saw_color = 1;
        }
    }
}

static inline void vt_csi(pty_run *h, char final)
{
    const char *p = h->params;
    int priv = *p == '?';
    if (priv)
        p++;
    int a = vt_param(p, 0, 1), b = vt_param(p, 1, 1);
    if (priv) {
        if (a == 1049 && final == 'h') {
            h->in_alt = h->entered_alt = 1;
            vt_clear(h);
        } else if (a == 1049 && final == 'l') {
            h->in_alt = 0;
            h->left_alt = 1;
            vt_clear(h);
        }
        return;
    }
    h->wrap_pending = 0;
    switch (final) {
    case 'H': case 'f':
        h->cy = a < 1 ? 0 : (a > h->rows ? h->rows - 1 : a - 1);
        h->cx = b < 1 ? 0 : (b > h->cols ? h->cols - 1 : b - 1);
        break;
    case 'A': h->cy = h->cy - a < 0 ? 0 : h->cy - a; break;
    case 'B': h->cy = h->cy + a >= h->rows ? h->rows - 1 : h->cy + a; break;
    case 'C': h->cx = h->cx + a >= h->cols ? h->cols - 1 : h->cx + a; break;
    case 'D': h->cx = h->cx - a < 0 ? 0 : h->cx - a; break;
    case 'K': {
        int mode = vt_param(p, 0, 0);
        int from = mode == 0 ? h->cx : 0, to = mode == 1 ? h->cx + 1 : h->cols;
        for (int c = from; c < to; c++)
            h->grid[h->cy * h->cols + c] = (vt_cell){' ', 0, -1};
        break;
    }
    case 'J':
        if (vt_param(p, 0, 0) == 2)
            vt_clear(h);
        else
            for (int i = h->cy * h->cols + h->cx; i < h->rows * h->cols; i++)
                h->grid[i] = (vt_cell){' ', 0, -1};
        break;
    case 'm':
        vt_sgr(h, p);
        break;
    default:
        break;
    }
}

static inline void vt_feed(pty_run *h, const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = s[i];
        if (h->state == 1) {
            h->state = c == '[' ? 2 : 0;
            h->n_params = 0;
            h->params[0] = '\0';
            continue;
        }
        if (h->state == 2) {
            if (c >= 0x30 && c <= 0x3F) {
                if (h->n_params + 1 < sizeof h->params) {
                    h->params[h->n_params++] = (char)c;
                    h->params[h->n_params] = '\0';
                }
            } else if (c >= 0x40 && c <= 0x7E) {
                h->state = 0;
                vt_csi(h, (char)c);
            }
            continue;
        }
        if (h->u_left > 0 && (c & 0xC0) == 0x80) {
            h->u_cp = (h->u_cp << 6) | (c & 0x3F);
            if (--h->u_left == 0)
                vt_put(h, h->u_cp);
            continue;
        }
        h->u_left = 0;
        if (c == 0x1b) {
            h->state = 1;
        } else if (c == '\r') {
            h->cx = 0;
            h->wrap_pending = 0;
        } else if (c == '\n') {
            h->wrap_pending = 0;
            vt_newline(h);
        } else if (c == '\b') {
            if (h->cx > 0)
                h->cx--;
        } else if (c >= 0xF0) {
            h->u_cp = c & 0x07;
            h->u_left = 3;
        } else if (c >= 0xE0) {
            h->u_cp = c & 0x0F;
            h->u_left = 2;
        } else if (c >= 0xC0) {
            h->u_cp = c & 0x1F;
            h->u_left = 1;
        } else if (c >= 0x20 && c < 0x7f) {
            vt_put(h, c);
        }
    }
}

/* Runs winnow with args in this (child) process; never returns. */
static inline void pty_exec(const char *const *env, const char *const *args)
{
    const char *argv[32];
    int n = 0;
    argv[n++] = "winnow";
    for (int i = 0; args[i] && n < 31; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    /* Tests end it with crash signals too: no core files. */
    struct rlimit no_core = {0, 0};
    setrlimit(RLIMIT_CORE, &no_core);
    setenv("TERM", "xterm", 1);
    unsetenv("NO_COLOR");
    unsetenv("COLUMNS");
    unsetenv("LINES");
    for (int i = 0; env && env[i]; i++)
        putenv((char *)env[i]);
    execv(WINNOW_CLI, (char *const *)argv);
    _exit(127);
}

/* The shell's part of job control, in the pty's session leader: winnow runs
 * as the foreground job. When it stops (Ctrl-Z), the terminal comes back
 * here and "[winnow stopped: f resumes]" is shown; a line starting with f
 * (read in the modes winnow left the terminal in) puts it back in the
 * foreground and continues it. Ends as winnow ends. Without such a shell
 * the kernel ignores Ctrl-Z's stop, as it does for any orphaned job. */
static inline void pty_job_shell(const char *const *env, const char *const *args)
{
    signal(SIGTTOU, SIG_IGN);
    pid_t job = fork();
    if (job < 0)
        _exit(126);
    if (job == 0) {
        /* Both sides set the group and foreground, whichever runs first. */
        setpgid(0, 0);
        tcsetpgrp(STDIN_FILENO, getpid());
        signal(SIGTTOU, SIG_DFL);
        pty_exec(env, args);
    }
    setpgid(job, job);
    tcsetpgrp(STDIN_FILENO, job);
    for (;;) {
        int st;
        if (waitpid(job, &st, WUNTRACED) < 0)
            _exit(126);
        if (WIFEXITED(st))
            _exit(WEXITSTATUS(st));
        if (WIFSIGNALED(st)) {
            signal(WTERMSIG(st), SIG_DFL);
            raise(WTERMSIG(st));
            _exit(126);
        }
        tcsetpgrp(STDIN_FILENO, getpgrp());
        static const char stopped[] = "\r\n[winnow stopped: f resumes]\r\n";
        if (write(STDOUT_FILENO, stopped, sizeof stopped - 1) < 0)
            _exit(126);
        char c = 0;
        while (c != 'f')
            if (read(STDIN_FILENO, &c, 1) != 1)
                _exit(126);
        tcsetpgrp(STDIN_FILENO, job);
        kill(-job, SIGCONT);
    }
}

/* Starts winnow with args (NULL-terminated) on a rows x cols terminal, with
 * environment additions env ("K=V", NULL-terminated, may be NULL); as_job:
 * under pty_job_shell, so Ctrl-Z really stops it. */
static inline void pty_start_as(pty_run *h, int rows, int cols, const char *const *env,
                                const char *const *args, int as_job)
{
    memset(h, 0, sizeof *h);
    h->fg = -1;
    vt_alloc(h, rows, cols);
    struct winsize ws = {(unsigned short)rows, (unsigned short)cols, 0, 0};
    h->pid = forkpty(&h->fd, NULL, NULL, &ws);
    assert_true(h->pid >= 0);
    pty_live = h;
    if (h->pid == 0) {
        if (as_job)
            pty_job_shell(env, args);
        pty_exec(env, args);
    }
}

static inline void pty_start(pty_run *h, int rows, int cols, const char *const *env,
                             const char *const *args)
{
    pty_start_as(h, rows, cols, env, args, 0);
}

/* Waits up to ms for output and reads one chunk; 0 when none came. */
static inline int pty_read_once(pty_run *h, int ms)
{
    struct pollfd pfd = {h->fd, POLLIN, 0};
    if (poll(&pfd, 1, ms) <= 0)
        return 0;
    unsigned char chunk[4096];
    ssize_t n = read(h->fd, chunk, sizeof chunk);
    if (n <= 0)
        return 0;
    vt_feed(h, chunk, (size_t)n);
    return 1;
}

/* Reads what the program writes for ms milliseconds (0: what is there). */
static inline void pty_pump(pty_run *h, int ms)
{
    long long until = pty_now_ms() + ms;
    for (;;) {
        int left = (int)(until - pty_now_ms());
        if (!pty_read_once(h, left > 0 ? left : 0))
            return;
    }
}

/* Row r of the screen as UTF-8, trailing spaces trimmed (static buffer). */
static inline const char *pty_row(const pty_run *h, int r)
{
    static char line[4096];
    size_t len = 0;
    for (int c = 0; c < h->cols && len + 5 < sizeof line; c++) {
        unsigned cp = h->grid[r * h->cols + c].cp;
        if (cp < 0x80) {
            line[len++] = (char)cp;
        } else if (cp < 0x800) {
            line[len++] = (char)(0xC0 | (cp >> 6));
            line[len++] = (char)(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            line[len++] = (char)(0xE0 | (cp >> 12));
            line[len++] = (char)(0x80 | ((cp >> 6) & 0x3F));
            line[len++] = (char)(0x80 | (cp & 0x3F));
        } else {
            line[len++] = (char)(0xF0 | (cp >> 18));
            line[len++] = (char)(0x80 | ((cp >> 12) & 0x3F));
            line[len++] = (char)(0x80 | ((cp >> 6) & 0x3F));
            line[len++] = (char)(0x80 | (cp & 0x3F));
        }
    }
    while (len > 0 && line[len - 1] == ' ')
        len--;
    line[len] = '\0';
    return line;
}

/* The whole screen, rows joined by newlines (owned). */
static inline char *pty_screen(const pty_run *h)
{
    wn_buf b = WN_BUF_INIT;
    for (int r = 0; r < h->rows; r++) {
        wn_buf_puts(&b, pty_row(h, r));
        wn_buf_putc(&b, '\n');
    }
    return wn_buf_detach(&b);
}

/* Row and column where text appears on screen, or 0 when it does not. */
static inline int pty_find(const pty_run *h, const char *text, int *row, int *col)
{
    for (int r = 0; r < h->rows; r++) {
        const char *line = pty_row(h, r), *hit = strstr(line, text);
        if (!hit)
            continue;
        int c = 0;
        for (const char *p = line; p < hit; p++)
            c += ((unsigned char)*p & 0xC0) != 0x80;
        if (row)
            *row = r;
        if (col)
            *col = c;
        return 1;
    }
    return 0;
}

static inline int pty_shows(const pty_run *h, const char *text)
{
    return pty_find(h, text, NULL, NULL);
}

#define pty_wait_for(h, text) pty_wait_for_at(h, text, __FILE__, __LINE__)
/* Pumps output until text is on screen (then lets the rest of that frame
 * arrive); fails with the screen after 10 s (a loaded machine is slow; a
 * working program answers in milliseconds). */
static inline void pty_wait_for_at(pty_run *h, const char *text, const char *file, int line)
{
    long long until = pty_now_ms() + 10000;
    while (!pty_shows(h, text)) {
        if (pty_now_ms() > until) {
            char *s = pty_screen(h);
            print_error("%s:%d: '%s' never appeared; the screen:\n%s\n", file, line, text, s);
            free(s);
            fail();
        }
        pty_read_once(h, 30);
    }
    /* The rest of the frame: whatever follows within a moment. */
    while (pty_read_once(h, 15)) {
    }
}

/* Types keys. */
static inline void pty_send(pty_run *h, const char *keys)
{
    size_t n = strlen(keys);
    assert_int_equal(write(h->fd, keys, n), (ssize_t)n);
}

/* Resizes the terminal (the program gets SIGWINCH) and the screen model. */
static inline void pty_resize(pty_run *h, int rows, int cols)
{
    pty_pump(h, 50);
    struct winsize ws = {(unsigned short)rows, (unsigned short)cols, 0, 0};
    assert_int_equal(ioctl(h->fd, TIOCSWINSZ, &ws), 0);
    vt_alloc(h, rows, cols);
}

/* Waits (up to 10 s, reading output) for the program to end; returns its
 * wait status. */
static inline int pty_wait_exit(pty_run *h)
{
    long long until = pty_now_ms() + 10000;
    while (!h->exited && pty_now_ms() < until) {
        pty_pump(h, 20);
        if (waitpid(h->pid, &h->status, WNOHANG) == h->pid)
            h->exited = 1;
    }
    if (!h->exited)
        fail_msg("winnow did not exit");
    pty_pump(h, 0);
    return h->status;
}

/* Non-zero when the terminal is back in cooked mode with echo. */
static inline int pty_cooked(const pty_run *h)
{
    struct termios t;
    if (tcgetattr(h->fd, &t) != 0)
        return -1;
    return (t.c_lflag & ICANON) && (t.c_lflag & ECHO);
}

static inline void pty_kill(pty_run *h, int sig)
{
    kill(h->pid, sig);
    pty_wait_exit(h);
}

static inline void pty_end(pty_run *h)
{
    if (!h->exited && h->pid > 0) {
        kill(h->pid, SIGKILL);
        waitpid(h->pid, &h->status, 0);
    }
    close(h->fd);
    free(h->grid);
    h->grid = NULL;
    pty_live = NULL;
}

/* A cmocka teardown: stops a program a failed test left running. */
static inline int pty_teardown(void **state)
{
    (void)state;
    if (pty_live)
        pty_end(pty_live);
    return 0;
}

#endif

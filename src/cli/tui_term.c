/* Raw mode, the alternate screen, signals and keys for `winnow screen`.
 *
 * Everything the signal handlers touch is set up before they are installed
 * and only async-signal-safe calls (write, tcsetattr, sigaction, raise) run
 * inside them, so a reviewer's terminal comes back however the view ends. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "tui.h"

static struct termios saved_modes;
static volatile sig_atomic_t active;
static int wake_pipe[2] = {-1, -1};

static const char enter_seq[] = "\x1b[?1049h\x1b[?25l\x1b[H\x1b[2J";
static const char leave_seq[] = "\x1b[0m\x1b[?25h\x1b[?1049l";

static void write_all(const char *s, size_t len)
{
    while (len > 0) {
        ssize_t w = write(STDOUT_FILENO, s, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        s += w;
        len -= (size_t)w;
    }
}

static void enter_view(void)
{
    struct termios raw = saved_modes;
    raw.c_iflag &= ~(tcflag_t)(IXON | ICRNL | INLCR | ISTRIP | BRKINT);
    raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO | IEXTEN);
    /* Reads never block: a signal between poll and read can flush the
     * input poll saw (the mode switches discard typed-ahead keys). */
    raw.c_cc[VMIN] = 0;
    raw.c_cc[VTIME] = 0;
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw);
    write_all(enter_seq, sizeof enter_seq - 1);
    active = 1;
}

/* Safe inside a signal handler. */
static void leave_view(void)
{
    if (!active)
        return;
    active = 0;
    write_all(leave_seq, sizeof leave_seq - 1);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_modes);
}

static void wake(void)
{
    int saved = errno;
    if (wake_pipe[1] >= 0 && write(wake_pipe[1], "w", 1) < 0) {
        /* a full pipe already holds a wake-up */
    }
    errno = saved;
}

static void handle(int sig, void (*fn)(int))
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

static void on_fatal(int sig)
{
    leave_view();
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Crashes: what handled them before (the default, or a sanitizer's report)
 * handles them again once the terminal is given back. */
static const int crash_sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
#define N_CRASH_SIGS (sizeof crash_sigs / sizeof crash_sigs[0])
static struct sigaction crash_previous[N_CRASH_SIGS];

static void restore_crash_handlers(void)
{
    for (size_t i = 0; i < N_CRASH_SIGS; i++)
        sigaction(crash_sigs[i], &crash_previous[i], NULL);
}

static void on_crash(int sig, siginfo_t *info, void *context)
{
    (void)context;
    leave_view();
    restore_crash_handlers();
    /* A fault comes back by itself when the instruction runs again; a
     * signal that was sent (kill, abort) is sent again. */
    if (info->si_code <= 0)
        raise(sig);
}

static void on_stop(int sig)
{
    (void)sig;
    int saved = errno;
    leave_view();
    /* Stop now, as the default action would. The signal is blocked inside
     * its own handler: left blocked, the raise would only come back here
     * once the handler is reinstalled, again and again. */
    signal(SIGTSTP, SIG_DFL);
    sigset_t tstp;
    sigemptyset(&tstp);
    sigaddset(&tstp, SIGTSTP);
    sigprocmask(SIG_UNBLOCK, &tstp, NULL);
    raise(SIGTSTP);
    /* Running again (or never stopped: the kernel drops the stop for a
     * process group no shell controls): take the terminal back, redraw. */
    handle(SIGTSTP, on_stop);
    if (!active)
        enter_view();
    wake();
    errno = saved;
}

static void on_cont(int sig)
{
    (void)sig;
    int saved = errno;
    if (!active)
        enter_view();
    wake();
    errno = saved;
}

static void on_winch(int sig)
{
    (void)sig;
    wake();
}

int tui_open(void)
{
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
        return -1;
    if (tcgetattr(STDIN_FILENO, &saved_modes) != 0)
        return -1;
    if (wake_pipe[0] < 0) {
        if (pipe(wake_pipe) != 0)
            return -1;
        for (int i = 0; i < 2; i++)
            fcntl(wake_pipe[i], F_SETFL, fcntl(wake_pipe[i], F_GETFL) | O_NONBLOCK);
    }
    atexit(tui_close);
    enter_view();
    handle(SIGINT, on_fatal);
    handle(SIGTERM, on_fatal);
    handle(SIGHUP, on_fatal);
    handle(SIGQUIT, on_fatal);
    handle(SIGTSTP, on_stop);
    handle(SIGCONT, on_cont);
    handle(SIGWINCH, on_winch);
    struct sigaction crash;
    memset(&crash, 0, sizeof crash);
    crash.sa_sigaction = on_crash;
    crash.sa_flags = SA_SIGINFO;
    sigemptyset(&crash.sa_mask);
    for (size_t i = 0; i < N_CRASH_SIGS; i++)
        sigaction(crash_sigs[i], &crash, &crash_previous[i]);
    return 0;
}

void tui_close(void)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP, SIGCONT, SIGWINCH};
    if (!active)
        return;
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        signal(sigs[i], SIG_DFL);
    restore_crash_handlers();
    leave_view();
}

void tui_size(int *rows, int *cols)
{
    struct winsize ws;
    *rows = 24;
    *cols = 80;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0) {
        *rows = ws.ws_row;
        *cols = ws.ws_col;
    }
}

void tui_write(const wn_buf *b)
{
    if (b->len)
        write_all(b->data, b->len);
}

/* One byte from the terminal within timeout_ms: 1, 0 (timeout or woken),
 * -1 (closed). *woken tells a wake-up apart. */
static int read_byte(unsigned char *c, int timeout_ms, int *woken)
{
    struct pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0}, {wake_pipe[0], POLLIN, 0}};
    *woken = 0;
    int r = poll(fds, 2, timeout_ms);
    if (r < 0)
        return errno == EINTR ? 0 : -1;
    if (r == 0)
        return 0;
    if (fds[1].revents & POLLIN) {
        char drain[64];
        while (read(wake_pipe[0], drain, sizeof drain) > 0) {
        }
        *woken = 1;
        return 0;
    }
    if (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL) && !(fds[0].revents & POLLIN))
        return -1;
    ssize_t n = read(STDIN_FILENO, c, 1);
    if (n == 1)
        return 1;
    if (n == 0) /* nothing there any more, or the terminal hung up */
        return fds[0].revents & POLLHUP ? -1 : 0;
    return (errno == EINTR || errno == EAGAIN) ? 0 : -1;
}

/* The rest of an escape sequence, after ESC. */
static int read_escape(void)
{
    unsigned char c, d;
    int woken;
    /* A lone ESC: nothing follows within a moment. */
    if (read_byte(&c, 40, &woken) != 1)
        return TUI_KEY_ESC;
    if (c != '[' && c != 'O')
        return TUI_KEY_ESC;
    if (read_byte(&d, 40, &woken) != 1)
        return TUI_KEY_ESC;
    switch (d) {
    case 'A': return TUI_KEY_UP;
    case 'B': return TUI_KEY_DOWN;
    case 'C': return TUI_KEY_RIGHT;
    case 'D': return TUI_KEY_LEFT;
    case 'H': return TUI_KEY_HOME;
    case 'F': return TUI_KEY_END;
    default: break;
    }
    /* ESC [ digits ~ */
    int num = 0;
    while (d >= '0' && d <= '9') {
        num = num * 10 + (d - '0');
        if (read_byte(&d, 40, &woken) != 1)
            return TUI_KEY_ESC;
    }
    if (d != '~')
        return TUI_KEY_NONE;
    switch (num) {
    case 1: case 7: return TUI_KEY_HOME;
    case 4: case 8: return TUI_KEY_END;
    case 5: return TUI_KEY_PGUP;
    case 6: return TUI_KEY_PGDN;
    default: return TUI_KEY_NONE;
    }
}

int tui_read_key(int timeout_ms)
{
    unsigned char c;
    int woken;
    int r = read_byte(&c, timeout_ms, &woken);
    if (r < 0)
        return TUI_KEY_EOF;
    if (r == 0)
        return woken ? TUI_KEY_RESIZE : TUI_KEY_NONE;
    return c == 0x1b ? read_escape() : c;
}

/* The fetch tests' loopback HTTP server: one thread, one connection at a
 * time, a script of responses. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http_fixture.h"
#include "support.h"

#define MAX_REQUESTS 64

struct t_http_server {
    const t_http_step *steps;
    size_t n_steps;
    int listen_fd;
    char base[64];
    pthread_t thread;
    pthread_mutex_t mu;
    volatile int stop;
    size_t n_requests;
    char *targets[MAX_REQUESTS];
};

static int stopping(t_http_server *s)
{
    pthread_mutex_lock(&s->mu);
    int stop = s->stop;
    pthread_mutex_unlock(&s->mu);
    return stop;
}

/* Reads the request head; returns its target (owned) or NULL. */
static char *read_request(int fd)
{
    char buf[8192];
    size_t len = 0;
    while (len + 1 < sizeof buf) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 2000) <= 0)
            return NULL;
        ssize_t n = recv(fd, buf + len, sizeof buf - 1 - len, 0);
        if (n <= 0)
            return NULL;
        len += (size_t)n;
        buf[len] = 0;
        if (strstr(buf, "\r\n\r\n"))
            break;
    }
    char *sp = strchr(buf, ' '), *sp2 = sp ? strchr(sp + 1, ' ') : NULL;
    return sp && sp2 ? strndup(sp + 1, (size_t)(sp2 - sp - 1)) : NULL;
}

/* Waits ms, or less when the client hangs up or the server stops. */
static void linger_for(t_http_server *s, int fd, int ms)
{
    for (int waited = 0; waited < ms && !stopping(s); waited += 20) {
        struct pollfd p = {fd, POLLIN, 0};
        char c;
        if (poll(&p, 1, 20) > 0 && recv(fd, &c, 1, MSG_PEEK) <= 0)
            return;
    }
}

static void send_all(int fd, const char *data, size_t len)
{
    while (len) {
        ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
        if (n <= 0)
            return;
        data += n;
        len -= (size_t)n;
    }
}

static void answer(t_http_server *s, int fd, const t_http_step *st)
{
    char *file_body = NULL;
    size_t len = 0;
    const char *body = "";
    if (st && st->file) {
        char path[1024];
        snprintf(path, sizeof path, "%s/fixtures/http/%s", WINNOW_SOURCE_DIR, st->file);
        file_body = t_read_file(path, &len);
        body = file_body;
    } else if (st && st->body) {
        body = st->body;
        len = strlen(body);
    } else if (!st) {
        body = "{\"error\": \"the test script has no more responses\"}";
        len = strlen(body);
    }
    if (st && st->delay_ms)
        linger_for(s, fd, st->delay_ms);
    int status = !st ? 500 : st->status ? st->status : 200;
    size_t send_len = st && st->cut_to > 0 && (size_t)st->cut_to < len ? (size_t)st->cut_to
                      : st && st->reset_after > 0 && (size_t)st->reset_after < len
                          ? (size_t)st->reset_after
                          : len;
    size_t announced = st && st->cut_to > 0 ? send_len : len;
    char head[1024];
    int n = snprintf(head, sizeof head,
                     "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
                     "Connection: close\r\n%s\r\n",
                     status, status == 200 ? "OK" : "Status",
                     len && body[0] == '<' ? "text/xml; charset=UTF-8"
                                           : "application/json; charset=utf-8",
                     announced, st && st->headers ? st->headers : "");
    send_all(fd, head, (size_t)n);
    send_all(fd, body, send_len);
    if (st && st->reset_after > 0) {
        struct linger l = {1, 0}; /* close with RST */
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    } else {
        shutdown(fd, SHUT_WR);
        linger_for(s, fd, 200); /* let the client read to the end */
    }
    free(file_body);
}

static void *serve(void *arg)
{
    t_http_server *s = arg;
    while (!stopping(s)) {
        struct pollfd p = {s->listen_fd, POLLIN, 0};
        if (poll(&p, 1, 20) <= 0)
            continue;
        int fd = accept(s->listen_fd, NULL, NULL);
        if (fd < 0)
            continue;
        char *target = read_request(fd);
        if (target) {
            pthread_mutex_lock(&s->mu);
            size_t i = s->n_requests++;
            if (i < MAX_REQUESTS)
                s->targets[i] = target;
            else
                free(target);
            const t_http_step *step = i < s->n_steps ? &s->steps[i] : NULL;
            pthread_mutex_unlock(&s->mu);
            answer(s, fd, step);
        }
        close(fd);
    }
    return NULL;
}

t_http_server *t_http_start(const t_http_step *steps, size_t n)
{
    t_http_server *s = calloc(1, sizeof *s);
    assert_non_null(s);
    s->steps = steps;
    s->n_steps = n;
    pthread_mutex_init(&s->mu, NULL);
    s->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(s->listen_fd >= 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t alen = sizeof a;
    assert_int_equal(bind(s->listen_fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(s->listen_fd, 16), 0);
    assert_int_equal(getsockname(s->listen_fd, (struct sockaddr *)&a, &alen), 0);
    snprintf(s->base, sizeof s->base, "http://127.0.0.1:%u", (unsigned)ntohs(a.sin_port));
    assert_int_equal(pthread_create(&s->thread, NULL, serve, s), 0);
    return s;
}

const char *t_http_base(const t_http_server *s) { return s->base; }

static void forget_requests(t_http_server *s)
{
    for (size_t i = 0; i < s->n_requests && i < MAX_REQUESTS; i++)
        free(s->targets[i]);
    s->n_requests = 0;
}

void t_http_reset(t_http_server *s, const t_http_step *steps, size_t n)
{
    pthread_mutex_lock(&s->mu);
    forget_requests(s);
    s->steps = steps;
    s->n_steps = n;
    pthread_mutex_unlock(&s->mu);
}

size_t t_http_count(t_http_server *s)
{
    pthread_mutex_lock(&s->mu);
    size_t n = s->n_requests;
    pthread_mutex_unlock(&s->mu);
    return n;
}

const char *t_http_target(t_http_server *s, size_t i)
{
    pthread_mutex_lock(&s->mu);
    const char *t = i < s->n_requests && i < MAX_REQUESTS ? s->targets[i] : NULL;
    pthread_mutex_unlock(&s->mu);
    return t;
}

void t_http_stop(t_http_server *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->mu);
    s->stop = 1;
    pthread_mutex_unlock(&s->mu);
    pthread_join(s->thread, NULL);
    close(s->listen_fd);
    forget_requests(s);
    pthread_mutex_destroy(&s->mu);
    free(s);
}

/* winnow — error codes and the one-line error message carried with them.
 *
 * Every library function returns int: 0 on success, a negative WN_E* code on
 * failure. These values are part of the API and are never renumbered. The
 * message explaining a failure lives in a wn_err owned by the caller (or by a
 * project handle) and is one lowercase line naming its subject in quotes. */
#ifndef WINNOW_ERROR_H
#define WINNOW_ERROR_H

#include <stddef.h>

enum {
    WN_OK = 0,
    WN_ENOMEM = -1,    /* out of memory or a size cap was exceeded */
    WN_EIO = -2,       /* a file or the project could not be read or written */
    WN_EPARSE = -3,    /* input is malformed */
    WN_EFORMAT = -4,   /* format unknown, or not the one asked for */
    WN_EINVAL = -5,    /* a caller passed something unusable */
    WN_ENOTFOUND = -6, /* no such record, source, project ... */
    WN_EEXISTS = -7,   /* already there (e.g. a file imported twice) */
    WN_EVERSION = -8,  /* project written by a newer winnow */
    WN_EDB = -9,       /* sqlite reported an error */
    WN_EABORT = -10,   /* a callback asked to stop */
};

#define WN_ERRMSG_MAX 512

typedef struct wn_err {
    int code;
    char msg[WN_ERRMSG_MAX];
} wn_err;

/* Sets e (if not NULL) to code and a printf-style message; returns code so a
 * caller can write `return wn_err_set(e, WN_EIO, "...")`. */
int wn_err_set(wn_err *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Clears e to WN_OK and an empty message. */
void wn_err_clear(wn_err *e);

/* Short stable name of a code ("parse error"); never NULL. */
const char *wn_strerror(int code);

#endif

#include <stdarg.h>
#include <stdio.h>

#include "winnow/error.h"

int wn_err_set(wn_err *e, int code, const char *fmt, ...)
{
    if (e) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(e->msg, sizeof e->msg, fmt, ap);
        va_end(ap);
        e->code = code;
    }
    return code;
}

void wn_err_clear(wn_err *e)
{
    if (e) {
        e->code = WN_OK;
        e->msg[0] = '\0';
    }
}

const char *wn_strerror(int code)
{
    switch (code) {
    case WN_OK: return "ok";
    case WN_ENOMEM: return "out of memory";
    case WN_EIO: return "input/output error";
    case WN_EPARSE: return "parse error";
    case WN_EFORMAT: return "unknown or wrong format";
    case WN_EINVAL: return "invalid argument";
    case WN_ENOTFOUND: return "not found";
    case WN_EEXISTS: return "already exists";
    case WN_EVERSION: return "project too new";
    case WN_EDB: return "database error";
    case WN_EABORT: return "stopped";
    default: return "unknown error";
    }
}

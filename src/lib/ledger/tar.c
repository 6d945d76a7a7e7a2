/* The ustar archive format (POSIX.1-1988), written and read by hand: a
 * 512-byte header per member (name, octal size, checksum), the data padded
 * to 512 bytes, and two zero blocks at the end. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ledger/tar.h"
#include "winnow/text.h"

enum { BLOCK = 512 };

/* width - 1 octal digits, zero-padded, and a NUL (callers keep v in range:
 * sizes below 8 GiB, times below year 2242). */
static void octal(char *field, size_t width, unsigned long long v)
{
    char digits[32];
    int n = snprintf(digits, sizeof digits, "%0*llo", (int)width - 1, v);
    size_t skip = n > (int)width - 1 ? (size_t)n - (width - 1) : 0;
    memcpy(field, digits + skip, width - 1);
    field[width - 1] = '\0';
}

int wn_tar_add(FILE *f, const char *name, const void *data, size_t len, long long mtime)
{
    unsigned char h[BLOCK];
    memset(h, 0, sizeof h);
    if (strlen(name) >= 100 || len >= (1ull << 33))
        return WN_EINVAL;
    memcpy(h, name, strlen(name));              /* name */
    octal((char *)h + 100, 8, 0644);            /* mode */
    octal((char *)h + 108, 8, 0);               /* uid */
    octal((char *)h + 116, 8, 0);               /* gid */
    octal((char *)h + 124, 12, len);            /* size */
    octal((char *)h + 136, 12, (unsigned long long)(mtime > 0 ? mtime : 0));
    memset(h + 148, ' ', 8);                    /* checksum counted as spaces */
    h[156] = '0';                               /* a regular file */
    memcpy(h + 257, "ustar", 6);                /* magic with its NUL */
    memcpy(h + 263, "00", 2);                   /* version */
    memcpy(h + 265, "winnow", 6);               /* owner and group names */
    memcpy(h + 297, "winnow", 6);
    unsigned sum = 0;
    for (size_t i = 0; i < BLOCK; i++)
        sum += h[i];
    snprintf((char *)h + 148, 8, "%06o", sum);  /* six digits, NUL, space */
    h[155] = ' ';
    static const unsigned char zeros[BLOCK];
    size_t pad = (BLOCK - len % BLOCK) % BLOCK;
    if (fwrite(h, 1, BLOCK, f) != BLOCK || (len && fwrite(data, 1, len, f) != len) ||
        (pad && fwrite(zeros, 1, pad, f) != pad))
        return WN_EIO;
    return 0;
}

int wn_tar_end(FILE *f)
{
    static const unsigned char zeros[2 * BLOCK];
    return fwrite(zeros, 1, sizeof zeros, f) == sizeof zeros ? 0 : WN_EIO;
}

static unsigned long long read_octal(const unsigned char *field, size_t width, int *ok)
{
    unsigned long long v = 0;
    size_t i = 0;
    while (i < width && field[i] == ' ')
        i++;
    for (; i < width && field[i] >= '0' && field[i] <= '7'; i++)
        v = v * 8 + (unsigned)(field[i] - '0');
    if (i < width && field[i] != '\0' && field[i] != ' ')
        *ok = 0;
    return v;
}

int wn_tar_each(const unsigned char *data, size_t len, const char *what, wn_err *err,
                int (*fn)(void *ctx, const char *name, const unsigned char *body, size_t n),
                void *ctx)
{
    size_t at = 0;
    while (at + BLOCK <= len) {
        const unsigned char *h = data + at;
        int empty = 1;
        for (size_t i = 0; i < BLOCK && empty; i++)
            empty = h[i] == 0;
        if (empty)
            return 0; /* the end blocks */
        int ok = 1;
        unsigned long long stored = read_octal(h + 148, 8, &ok);
        unsigned long long size = read_octal(h + 124, 12, &ok);
        unsigned sum = 0;
        for (size_t i = 0; i < BLOCK; i++)
            sum += i >= 148 && i < 156 ? ' ' : h[i];
        if (!ok || stored != sum)
            return wn_err_set(err, WN_EPARSE,
                              "cannot read '%s': the header at byte %zu is damaged (checksum)",
                              what, at);
        if (size > len - at - BLOCK)
            return wn_err_set(err, WN_EPARSE,
                              "cannot read '%s': member at byte %zu runs past the end", what, at);
        char name[256];
        size_t nlen = strnlen((const char *)h, 100);
        size_t plen = memcmp(h + 257, "ustar", 5) == 0 ? strnlen((const char *)h + 345, 155) : 0;
        snprintf(name, sizeof name, "%.*s%s%.*s", (int)plen, (const char *)h + 345,
                 plen ? "/" : "", (int)nlen, (const char *)h);
        char type = (char)h[156];
        if (type == '0' || type == '\0') {
            int rc = fn(ctx, name, h + BLOCK, (size_t)size);
            if (rc)
                return rc;
        }
        at += BLOCK + ((size_t)size + BLOCK - 1) / BLOCK * BLOCK;
    }
    return wn_err_set(err, WN_EPARSE, "cannot read '%s': the archive ends without its end "
                      "blocks (cut short?)", what);
}

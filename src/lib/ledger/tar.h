/* Internal: the ustar archive format of bundles. */
#ifndef WINNOW_TAR_H
#define WINNOW_TAR_H

#include <stddef.h>
#include <stdio.h>

#include "winnow/error.h"

/* Appends one regular file member (name shorter than 100 bytes). */
int wn_tar_add(FILE *f, const char *name, const void *data, size_t len, long long mtime);
/* Writes the two zero blocks that end an archive. */
int wn_tar_end(FILE *f);
/* Calls fn for each regular file member of the archive in data[0..len)
 * (what names it in messages); other member types are skipped. A damaged
 * header or a cut archive is WN_EPARSE. fn's non-zero return stops. */
int wn_tar_each(const unsigned char *data, size_t len, const char *what, wn_err *err,
                int (*fn)(void *ctx, const char *name, const unsigned char *body, size_t n),
                void *ctx);

#endif

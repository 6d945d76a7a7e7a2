/* Internal: what the PRISMA counting and rendering files share. */
#ifndef WINNOW_PRISMA_IMPL_H
#define WINNOW_PRISMA_IMPL_H

#include "winnow/prisma.h"

/* Adds n to the item called name, appending it if new. */
int wn_prisma_list_add(wn_prisma_list *l, const char *name, int64_t n);

/* Sum of the items' counts. */
int64_t wn_prisma_list_sum(const wn_prisma_list *l);

/* The other-methods arm has records (both arms are then drawn). */
int wn_prisma_has_other_arm(const wn_prisma *c);

/* Reads what wn_prisma_write_json wrote back into c (zeroed first; freed
 * again on failure). WN_EPARSE if the text is not such a flow. */
int wn_prisma_read_json(const char *text, wn_prisma *c);

#endif

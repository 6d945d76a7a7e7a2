/* Internal: the Web of Science field tags, shared by the plain-text reader
 * (wos.c) and the tab-delimited one (wos_tab.c). Both exports use the same
 * two-letter tags ("PT", "AU", "TI" ...); they differ only in layout. */
#ifndef WINNOW_WOS_TAGS_H
#define WINNOW_WOS_TAGS_H

#include <stddef.h>

#include "winnow/record.h"

/* How a tag's value divides into values. */
typedef enum wos_split {
    WOS_TEXT,  /* one value: wrapped lines join with a space */
    WOS_ITEMS, /* a list: one item per line in plain text, "; " in a cell */
    WOS_SEMI,  /* a list written as wrapped text with "; " between items */
} wos_split;

/* Where the value comes from, which decides how a list is cut. */
typedef enum wos_source {
    WOS_FROM_LINE, /* plain text: WOS_ITEMS values are already one item */
    WOS_FROM_CELL, /* tab-delimited: every list is "; "-separated */
} wos_source;

/* Tag index for a two-letter tag [A-Z][A-Z0-9]; -1 for anything else. */
int wos_tag_index(const char *s, size_t n);
/* The tag of an index as a C string. */
void wos_tag_name(int ix, char out[3]);
wos_split wos_tag_split(int ix);
/* Non-zero for tags the table knows (unknown ones are kept as extras). */
int wos_tag_known(int ix);

/* Adds a value of tag ix to rec, split as the table says. Returns 0 or
 * WN_ENOMEM. */
int wos_add_value(wn_record *rec, int ix, const char *v, size_t n, wos_source from);

/* Choices that need the whole record: full author names (AF) make the short
 * ones (AU) extras; J9 is the abbreviation only without JI; an article
 * number (AR) is the pages only without BP; PT gives the winnow type. */
int wos_settle_record(wn_record *rec);

#endif

/* Internal: what the two PubMed readers (MEDLINE text and PubMed XML)
 * share. Not installed. */
#ifndef WINNOW_PUBMED_TYPES_H
#define WINNOW_PUBMED_TYPES_H

#include "winnow/record.h"

/* Adds the record's type code (WN_F_TYPE_RAW, under tag) chosen from its
 * publication types (WN_F_PUBTYPE); adds nothing when it lists none. */
int wn_pubmed_add_type(wn_record *r, const char *tag);

#endif

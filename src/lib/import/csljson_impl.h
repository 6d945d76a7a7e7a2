/* Internal: what the CSL-JSON reader shares with the CSL-JSON writer
 * (src/lib/export/csljson_out.c). Not installed. */
#ifndef WINNOW_CSLJSON_IMPL_H
#define WINNOW_CSLJSON_IMPL_H

#include "winnow/record.h"

/* Non-zero for the fields a winnow export carries in custom.winnow only
 * (CSL cannot hold them exactly): the writer puts them there whenever they
 * are present, and the reader takes them from there alone. */
int wn_csljson_custom_only(wn_field f);

#endif

/* The type code of a PubMed record. */
#include "import/pubmed_types.h"

#include <string.h>

#include "winnow/normalize.h"

/* PubMed lists several publication types, the first often a minor one
 * ("Historical Article"); "Preprint" wins since a preprint is also tagged
 * "Journal Article", then the first type with a known meaning, then simply
 * the first. */
int wn_pubmed_add_type(wn_record *r, const char *tag)
{
    const char *first = NULL, *known = NULL;
    size_t n = wn_record_size(r);
    for (size_t i = 0; i < n; i++) {
        wn_field_value f = wn_record_at(r, i);
        if (f.field != WN_F_PUBTYPE)
            continue;
        if (strcmp(f.value, "Preprint") == 0)
            return wn_record_add_str(r, WN_F_TYPE_RAW, tag, f.value);
        if (!first)
            first = f.value;
        /* The usual first type, checked without a table search. */
        if (!known && (strcmp(f.value, "Journal Article") == 0 || wn_type_from_code(f.value)))
            known = f.value;
    }
    /* code points into the record; adding copes with that. */
    const char *code = known ? known : first;
    return code ? wn_record_add_str(r, WN_F_TYPE_RAW, tag, code) : 0;
}

/* libFuzzer target: arbitrary bytes through decoding, PubMed XML sniffing
 * and the PubMed XML reader (checks: fuzz_common.h), which must read at
 * least one record when it succeeds. On top, every origin must span exactly
 * one record element, in order: from "<PubmedArticle" or
 * "<PubmedBookArticle" to the '>' that closes it. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "winnow/winnow.h"

typedef struct spans {
    const char *text;
    size_t len, last_end;
} spans;

static int check_span(void *user, const wn_record *rec)
{
    spans *s = user;
    const wn_origin *o = wn_record_origin_c(rec);
    if (o->offset < s->last_end || o->length < 2 || o->offset + o->length > s->len)
        abort();
    const char *start = s->text + o->offset;
    size_t room = s->len - o->offset;
    int article = room >= 14 && memcmp(start, "<PubmedArticle", 14) == 0;
    int book = room >= 18 && memcmp(start, "<PubmedBookArticle", 18) == 0;
    if ((!article && !book) || start[o->length - 1] != '>')
        abort();
    s->last_end = o->offset + o->length;
    return 0;
}

static void exact_origins(const char *text, size_t len)
{
    spans s = {text, len, 0};
    wn_parse_opts opts = {"fuzz", check_span, NULL, &s};
    wn_err err;
    (void)wn_parse(wn_format_find("pubmed-xml"), text, len, &opts, NULL, &err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const fuzz_target pubmed_xml = {"pubmed-xml", FUZZ_WELL_FORMED | FUZZ_NEED_RECORDS,
                                           exact_origins};
    return fuzz_input(data, size, &pubmed_xml);
}

/* libFuzzer target: arbitrary bytes as an API's answer, read the way a
 * fetch reads each response: as a count (PubMed's esearch JSON; a page
 * elsewhere) and as a page of records, for each of the three APIs. A read
 * either succeeds with a consistent answer or fails with a known code and
 * a message; nothing it returns may outlive the body it was read from. */
#include <stdlib.h>
#include <string.h>

#include "fetch/fetch_impl.h"
#include "fuzz_common.h"

static void check(int rc, const api_answer *a, const wn_err *err)
{
    if (rc) {
        if ((rc != WN_EPARSE && rc != WN_EINVAL && rc != WN_ENOMEM) || !err->msg[0])
            abort();
        return;
    }
    if (a->next && !a->next[0])
        abort(); /* an empty cursor would loop on the first page */
    if (a->webenv && (!a->webenv[0] || strlen(a->webenv) > (1u << 20)))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Bodies arrive as bytes with a NUL after them (a wn_buf). */
    char *body = malloc(size + 1);
    if (!body)
        return 0;
    memcpy(body, data, size);
    body[size] = 0;
    static const wn_fetch_api apis[] = {WN_API_PUBMED, WN_API_OPENALEX, WN_API_CROSSREF};
    for (size_t i = 0; i < sizeof apis / sizeof apis[0]; i++) {
        wn_fetch_opts o;
        memset(&o, 0, sizeof o);
        o.api = apis[i];
        api_answer a;
        memset(&a, 0, sizeof a);
        wn_err err;
        wn_err_clear(&err);
        check(api_read_count(&o, "fuzz count", body, size, &a, &err), &a, &err);
        wn_err_clear(&err);
        check(api_read_page(&o, "fuzz page", body, size, &a, &err), &a, &err);
        api_answer_clear(&a);
    }
    free(body);
    return 0;
}

/* libFuzzer target: arbitrary bytes as the fields deduplication reduces to
 * matching keys. The input's first line is a title (and an author name),
 * the rest a second title; besides memory errors it checks what the keys
 * promise: title keys hold only a-z and 0-9, the kind is a known one, page
 * numbers are digits without a leading zero that fit their buffer, and
 * similarities lie in [0, 1], equal keys scoring 1. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "normalize/match_keys.h"

static void check_key(const wn_buf *k)
{
    for (size_t i = 0; i < k->len; i++) {
        char c = k->data[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
            abort();
    }
    if (k->len && k->data[k->len] != 0)
        abort();
}

static void check_page(const char *text)
{
    char out[16];
    memset(out, 'x', sizeof out);
    wn_match_page(text, out, sizeof out);
    size_t n = strnlen(out, sizeof out);
    if (n >= sizeof out || (n && out[0] == '0'))
        abort();
    for (size_t i = 0; i < n; i++)
        if (out[i] < '0' || out[i] > '9')
            abort();
}

static void check_similarity(const wn_buf *a, const wn_buf *b)
{
    const char *x = a->data ? a->data : "", *y = b->data ? b->data : "";
    double s = wn_match_similarity(x, a->len, y, b->len, 0.5);
    double self = wn_match_similarity(x, a->len, x, a->len, 0.5);
    double jw = wn_match_jaro_winkler(x, a->len, y, b->len);
    if (s < 0.0 || s > 1.0 || jw < 0.0 || jw > 1.0 || (a->len && self != 1.0))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = 0;
    const char *nl = memchr(text, '\n', size);
    size_t first = nl ? (size_t)(nl - text) : size;
    const char *second = nl ? nl + 1 : "";
    size_t second_len = nl ? size - first - 1 : 0;

    wn_title_keys a = {WN_BUF_INIT, WN_BUF_INIT, WN_BUF_INIT, 0, 0};
    wn_title_keys b = {WN_BUF_INIT, WN_BUF_INIT, WN_BUF_INIT, 0, 0};
    if (wn_title_keys_make(&a, text, first) == 0 &&
        wn_title_keys_make(&b, second, second_len) == 0) {
        const wn_title_keys *both[2] = {&a, &b};
        for (int i = 0; i < 2; i++) {
            check_key(&both[i]->full);
            check_key(&both[i]->main);
            check_key(&both[i]->bracket);
            if (both[i]->kind < WN_KIND_ARTICLE || both[i]->kind > WN_KIND_PROTOCOL ||
                both[i]->part < 0)
                abort();
        }
        check_similarity(&a.full, &b.full);
    }
    wn_title_keys_free(&a);
    wn_title_keys_free(&b);

    wn_buf name = WN_BUF_INIT;
    char initial = 0;
    (void)wn_match_surname(&name, text, first, &initial);
    wn_buf_free(&name);
    /* up to the first NUL: pages and journals are C strings */
    check_page(text);
    check_page(second);
    (void)wn_match_journal(text, second);
    free(text);
    return 0;
}

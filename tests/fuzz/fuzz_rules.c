/* libFuzzer target: arbitrary bytes as a rule file. Besides memory errors
 * it checks that a file either compiles without problems or fails with at
 * least one located, non-empty message; and that evaluating what compiles
 * on a few records yields spans inside the values they point into. An
 * `include` reads one fixed list (or fails for other names), so include
 * handling and cycles are exercised too. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "winnow/winnow.h"

static int read_fixed(void *ctx, const char *path, char **text, size_t *len, wn_err *err)
{
    (void)ctx;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (!strcmp(base, "self.rules")) {
        *text = strdup("include \"self.rules\"\n");
    } else if (!strcmp(base, "list.rules")) {
        *text = strdup("list l = nurse*, \"social work*\", medRxiv\n");
    } else {
        return wn_err_set(err, WN_ENOTFOUND, "no file '%s'", path);
    }
    if (!*text)
        return wn_err_set(err, WN_ENOMEM, "out of memory");
    *len = strlen(*text);
    return 0;
}

static wn_record *make_record(int which)
{
    wn_record *r = wn_record_new();
    if (!r)
        abort();
    static const char *const titles[] = {
        "Burnout among hospital social workers: a study protocol",
        "\xC3\x89migr\xC3\xA9 nurses in Stra\xC3\x9F" "e (preprint)"};
    wn_record_add_str(r, WN_F_TITLE, NULL, titles[which]);
    wn_record_add_str(r, WN_F_ABSTRACT, NULL, "Stress of midwives and nurses. aaaaaaaaaaaaaaaaaaaaaaaab");
    wn_record_add_str(r, WN_F_YEAR, NULL, which ? "1985" : "2015");
    wn_record_add_str(r, WN_F_JOURNAL, NULL, which ? "medRxiv" : "Health and Social Work");
    wn_record_add_str(r, WN_F_EXTRA, "Open Access", "All Open Access; Gold");
    return r;
}

static void check_spans(const wn_rules *r, wn_rules_eval *e, const wn_record *rec)
{
    size_t n;
    const wn_rule_span *sp = wn_rules_eval_spans(e, &n);
    for (size_t i = 0; i < n; i++) {
        if (sp[i].rule >= wn_rules_count(r) || sp[i].start > sp[i].end)
            abort();
        const char *v = sp[i].field == WN_F_EXTRA ? NULL : wn_record_get(rec, sp[i].field,
                                                                         sp[i].index);
        if (sp[i].field != WN_F_EXTRA && (!v || sp[i].end > strlen(v)))
            abort();
        if (!wn_rules_eval_matched(e, sp[i].rule))
            abort();
    }
    long by = wn_rules_eval_excluded_by(e);
    if (by >= (long)wn_rules_count(r))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    wn_rules *r = NULL;
    wn_rule_diags d = {NULL, 0};
    int rc = wn_rules_compile("fuzz.rules", (const char *)data, size, read_fixed, NULL, &r, &d);
    if (rc == 0) {
        if (!r || d.n)
            abort();
        wn_rules_eval *e = wn_rules_eval_new(r);
        if (!e)
            abort();
        const char *const sources[] = {"Scopus", "PubMed"};
        for (int k = 0; k < 2; k++) {
            wn_record *rec = make_record(k);
            if (wn_rules_eval_unit(e, rec, sources, 2, WN_RULES_SPANS))
                abort();
            check_spans(r, e, rec);
            wn_record_free(rec);
        }
        wn_rules_eval_free(e);
        wn_rules_free(r);
    } else if (rc == WN_EPARSE) {
        if (r || d.n == 0)
            abort();
        for (size_t i = 0; i < d.n; i++)
            if (!d.items[i].message[0] || d.items[i].line == 0 || d.items[i].column == 0 ||
                !d.items[i].source_line)
                abort();
    } else if (rc != WN_ENOMEM) {
        abort();
    }
    wn_rule_diags_free(&d);
    return 0;
}

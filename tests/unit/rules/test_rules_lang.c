/* The rule language: parsing (precedence, nesting, truncation, phrases,
 * field tags, proximity, regex flags, unicode folding), field tests,
 * rule order, spans, includes, and bad files with line:column. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "support.h"

/* What a test allocated, freed by its teardown even when an assertion fails
 * half-way, so that a failure is reported as one and not also as leaks. */
typedef enum kept_kind { KEPT_RECORD, KEPT_RULES, KEPT_EVAL, KEPT_TEXT } kept_kind;
static struct {
    kept_kind kind;
    void *p;
} kept_allocs[128];
static size_t n_kept;

static void *keep(kept_kind kind, void *p)
{
    if (n_kept == sizeof kept_allocs / sizeof kept_allocs[0])
        fail_msg("too many allocations kept by one test");
    kept_allocs[n_kept].kind = kind;
    kept_allocs[n_kept++].p = p;
    return p;
}

static int free_kept(void **state)
{
    (void)state;
    while (n_kept > 0) {
        void *p = kept_allocs[--n_kept].p;
        switch (kept_allocs[n_kept].kind) {
        case KEPT_RECORD: wn_record_free(p); break;
        case KEPT_RULES: wn_rules_free(p); break;
        case KEPT_EVAL: wn_rules_eval_free(p); break;
        case KEPT_TEXT: free(p); break;
        }
    }
    return 0;
}

static wn_record *rec_of(const char *const *triples)
{
    return keep(KEPT_RECORD, t_record(triples));
}

static wn_record *raw_rec_of(const char *const *triples)
{
    return keep(KEPT_RECORD, t_record_raw(triples));
}

/* Compiles text; fails the test with the diagnostics if it does not. */
static wn_rules *compile(const char *text)
{
    wn_rules *r = NULL;
    wn_rule_diags d = {NULL, 0};
    int rc = wn_rules_compile("t.rules", text, strlen(text), NULL, NULL, &r, &d);
    if (rc) {
        for (size_t i = 0; i < d.n; i++)
            print_message("%zu:%zu: %s\n", d.items[i].line, d.items[i].column,
                          d.items[i].message);
        wn_rule_diags_free(&d);
        fail_msg("rules did not compile: %s", text);
    }
    return r;
}

/* Whether condition cond holds for record rec (sources may be NULL). */
static int holds_src(const char *cond, const wn_record *rec, const char *const *sources,
                     size_t n_sources)
{
    char text[2048];
    snprintf(text, sizeof text, "flag t when %s\n", cond);
    wn_rules *r = compile(text);
    wn_rules_eval *e = wn_rules_eval_new(r);
    int rc = e ? wn_rules_eval_unit(e, rec, sources, n_sources, 0) : WN_ENOMEM;
    int m = rc ? -1 : wn_rules_eval_matched(e, 0);
    int rc_spans = rc ? rc : wn_rules_eval_unit(e, rec, sources, n_sources, WN_RULES_SPANS);
    int m_spans = rc_spans ? -1 : wn_rules_eval_matched(e, 0);
    wn_rules_eval_free(e);
    wn_rules_free(r);
    assert_int_equal(rc, 0);
    assert_int_equal(rc_spans, 0);
    /* Collecting spans must not change the outcome. */
    assert_int_equal(m_spans, m);
    return m;
}

static int holds(const char *cond, const wn_record *rec)
{
    return holds_src(cond, rec, NULL, 0);
}

static wn_record *titled(const char *title, const char *abstract)
{
    const char *t[] = {"title", NULL, title, abstract ? "abstract" : NULL, NULL, abstract, NULL};
    return rec_of(t);
}

static void test_precedence(void **state)
{
    (void)state;
    wn_record *a = titled("alpha", NULL), *b = titled("beta", NULL),
              *bc = titled("beta gamma", NULL), *ab = titled("alpha beta", NULL);
    /* AND binds tighter than OR */
    assert_true(holds("alpha OR beta AND gamma", a));
    assert_false(holds("alpha OR beta AND gamma", b));
    assert_true(holds("alpha OR beta AND gamma", bc));
    assert_false(holds("(alpha OR beta) AND gamma", a));
    /* NOT binds tighter than AND; "x NOT y" is x AND NOT y */
    assert_true(holds("NOT alpha AND beta", b));
    assert_false(holds("NOT alpha AND beta", ab));
    assert_true(holds("beta NOT alpha", b));
    assert_false(holds("beta NOT alpha", ab));
    assert_true(holds("NOT NOT alpha", a));
    /* operators in any case */
    assert_true(holds("alpha and beta", ab));
    assert_false(holds("alpha and gamma", ab));
}

static void test_nesting(void **state)
{
    (void)state;
    wn_record *r = titled("nurses in rural clinics", NULL);
    assert_true(holds("(doctor OR (nurses AND (rural OR urban))) AND NOT (hospital)", r));
    assert_false(holds("(doctor OR (nurses AND (urban OR suburban)))", r));
    assert_true(holds("((((nurses))))", r));
}

static void test_truncation(void **state)
{
    (void)state;
    wn_record *r = titled("Childhood obesity in schoolchildren", NULL);
    assert_true(holds("child*", r));
    assert_true(holds("CHILDHOOD", r));
    assert_false(holds("child", r));   /* whole words only */
    assert_true(holds("schoolchild*", r));
    assert_false(holds("obese*", r));
    assert_true(holds("obes*", r));
    assert_false(holds("hood*", r));   /* truncation is at the end */
    /* stems of one and two letters, and a word with no stem of its start */
    assert_true(holds("c*", r));
    assert_true(holds("sc*", r));
    assert_false(holds("x*", r));
    assert_false(holds("ob*[ab]", r));
    /* words longer than 64 bytes, and accents inside an ASCII-led word */
    char long_word[80], query[100];
    memset(long_word, 'q', 70);
    long_word[70] = '\0';
    snprintf(query, sizeof query, "%.66s*", long_word);
    wn_record *l = titled(long_word, "Co\xC3\xB6peration and na\xC3\xAFvet\xC3\xA9");
    assert_true(holds(query, l));
    assert_true(holds(long_word, l));
    query[64] = '\0';
    assert_false(holds(query, l)); /* a shorter exact word */
    assert_true(holds("cooperat*", l));
    assert_true(holds("\"cooperation and naivete\"", l));
}

static void test_phrases(void **state)
{
    (void)state;
    wn_record *r = titled("Social-Work practice with social workers' families", NULL);
    assert_true(holds("\"social work\"", r));
    assert_true(holds("\"social work practice\"", r));
    assert_false(holds("\"work social\"", r));
    assert_true(holds("\"social work*\"", r));
    assert_true(holds("\"social workers\"", r));
    assert_true(holds("social-work", r));      /* a punctuated word is a phrase */
    assert_false(holds("\"practice social\"", r));
    assert_true(holds("\"practice with\"", r));
}

static void test_field_tags(void **state)
{
    (void)state;
    const char *t[] = {"title", NULL, "Burnout in hospitals",
                       "abstract", NULL, "We surveyed nurses.",
                       "keywords", NULL, "Occupational stress",
                       "authors", NULL, "Smith, Jane",
                       "journal", NULL, "Journal of Advanced Nursing",
                       "journal_abbr", NULL, "J Adv Nurs", NULL};
    wn_record *r = rec_of(t);
    assert_true(holds("nurses", r));          /* default: title, abstract, keywords */
    assert_false(holds("nurses[ti]", r));
    assert_true(holds("nurses[ab]", r));
    assert_true(holds("nurses[tiab]", r));
    assert_true(holds("stress", r));
    assert_true(holds("stress[kw]", r));
    assert_false(holds("stress[tiab]", r));
    assert_false(holds("smith", r));
    assert_true(holds("smith[au]", r));
    assert_false(holds("nursing", r));
    assert_true(holds("nursing[so]", r));
    assert_true(holds("\"adv nurs\"[so]", r));
    /* a tag after a group applies to the untagged terms inside it */
    assert_false(holds("(nurses OR stress)[ti]", r));
    assert_true(holds("(nurses[ab] OR stress)[ti]", r));
    assert_true(holds("(burnout OR stress)[ti]", r));
}

static void test_proximity(void **state)
{
    (void)state;
    wn_record *r = titled("Burnout among hospital nurses", "Stress of midwives");
    assert_true(holds("burnout NEAR/2 nurse*", r));
    assert_false(holds("burnout NEAR/1 nurse*", r));
    assert_true(holds("nurse* NEAR/2 burnout", r));   /* either order */
    assert_true(holds("(stress OR burnout) NEAR/0 among", r));
    assert_true(holds("(stress OR burnout) NEAR/2 (nurse* OR midwi*)", r));
    /* both in the same field value */
    assert_false(holds("burnout NEAR/5 midwives", r));
    assert_true(holds("stress NEAR/1 midwives", r));
    assert_false(holds("(burnout NEAR/3 nurses)[ab]", r));
    assert_true(holds("\"hospital nurses\" NEAR/1 burnout", r));
}

static void test_regex_flags(void **state)
{
    (void)state;
    const char *t[] = {"title", NULL, "A Study Protocol for a randomised trial", "abstract", NULL,
                       "line one\nline two", NULL};
    wn_record *r = raw_rec_of(t);
    assert_false(holds("title ~ /study protocol/", r));
    assert_true(holds("title ~ /study protocol/i", r));
    assert_true(holds("title ~ /\\bProtocol\\b/", r));
    assert_false(holds("abstract ~ /one.line/", r));
    assert_true(holds("abstract ~ /one.line/s", r));
    assert_false(holds("abstract ~ /^line two$/", r));
    assert_true(holds("abstract ~ /^line two$/m", r));
    assert_true(holds("title ~ /study \\s protocol # a comment/xi", r));
    assert_true(holds("title ~ /protocol\\/? for/i", r)); /* an escaped slash */
}

static void test_unicode_folding(void **state)
{
    (void)state;
    wn_record *r = titled("Émigré workers in Straße, Łódź and Ψυχική υγεία", "NAÏVE Æsir");
    assert_true(holds("emigre", r));
    assert_true(holds("EMIGRÉ", r));
    assert_true(holds("émigré[ti]", r));
    assert_true(holds("strasse", r));
    assert_true(holds("lodz", r));
    assert_true(holds("\"ψυχικη υγεια\"", r));
    assert_true(holds("ΨΥΧΙΚΉ", r));
    assert_true(holds("naive", r));
    assert_true(holds("aesir", r));
    assert_true(holds("emig*", r));
    assert_false(holds("emigrant", r));
    /* regexes see the text as written: Unicode-aware, not folded */
    assert_true(holds("title ~ /\\bÉmigré\\b/", r));
    assert_true(holds("title ~ /émigré/i", r));
    assert_false(holds("title ~ /emigre/i", r));
}

static void test_field_tests(void **state)
{
    (void)state;
    const char *t[] = {"title", NULL, "A title",
                       "year", NULL, "2015",
                       "language", NULL, "English",
                       "type", NULL, "article",
                       "pubtypes", NULL, "Randomized Controlled Trial",
                       "doi", NULL, "10.1000/xyz",
                       "journal", NULL, "BMJ Open",
                       "extra", "Open Access", "All Open Access; Gold Open Access",
                       "extra", "Publication Stage", "Final", NULL};
    wn_record *r = raw_rec_of(t);
    assert_true(holds("year 1990-2023", r));
    assert_true(holds("year 2015..2015", r));
    assert_false(holds("year 2016-2023", r));
    assert_true(holds("year >= 2015", r));
    assert_false(holds("year > 2015", r));
    assert_true(holds("year < 2016", r));
    assert_true(holds("year != 2014", r));
    assert_false(holds("year != 2015", r));
    assert_true(holds("year = 2015", r));
    assert_true(holds("language is english", r));
    assert_true(holds("language in (French, \"ENGLISH\")", r));
    assert_false(holds("language is german", r));
    assert_true(holds("type is article", r));
    assert_true(holds("pubtype is \"randomized controlled trial\"", r));
    assert_true(holds("has doi", r));
    assert_false(holds("has abstract", r));
    assert_true(holds("NOT has abstract", r));
    assert_true(holds("journal in (\"BMJ Open\", Lancet)", r));
    assert_false(holds("journal is BMJ", r));
    assert_true(holds("journal ~ /^BMJ/", r));
    assert_true(holds("is open access", r));
    assert_true(holds("extra \"Open Access\" ~ /gold|green/i", r));
    assert_false(holds("extra \"Open Access\" ~ /bronze/i", r));
    assert_true(holds("extra \"publication stage\" is final", r));
    assert_true(holds("has extra \"Publication Stage\"", r));
    assert_false(holds("has extra \"OA\"", r));
    assert_true(holds("is peer reviewed", r));
    assert_false(holds("is preprint", r));
    const char *const sources[] = {"Scopus", "Web of Science"};
    assert_true(holds_src("source is scopus", r, sources, 2));
    assert_true(holds_src("source in (pubmed, \"web of science\")", r, sources, 2));
    assert_false(holds_src("source is pubmed", r, sources, 2));
    assert_false(holds("source is scopus", r));
}

static void test_open_access_and_preprints(void **state)
{
    (void)state;
    const char *wos[] = {"title", NULL, "x", "extra", "OA", "Green Published", NULL};
    const char *oa_false[] = {"title", NULL, "x", "extra", "is_oa", "false", NULL};
    const char *oa_true[] = {"title", NULL, "x", "extra", "is_oa", "true", NULL};
    const char *closed[] = {"title", NULL, "x", "extra", "oa_status", "closed", NULL};
    const char *none[] = {"title", NULL, "x", NULL};
    const char *med[] = {"title", NULL, "x", "type", NULL, "article",
                         "journal", NULL, "medRxiv : the preprint server for health sciences",
                         NULL};
    const char *doi[] = {"title", NULL, "x", "type", NULL, "article", "doi", NULL,
                         "10.1101/2020.01.01.123456", NULL};
    const char *pt[] = {"title", NULL, "x", "type", NULL, "article", "pubtypes", NULL, "Preprint",
                        NULL};
    const char *conf[] = {"title", NULL, "x", "type", NULL, "conference", NULL};
    const char *const *oa_yes[] = {wos, oa_true}, *const *oa_no[] = {oa_false, closed, none};
    for (size_t i = 0; i < 2; i++) {
        wn_record *r = raw_rec_of(oa_yes[i]);
        assert_true(holds("is open access", r));
    }
    for (size_t i = 0; i < 3; i++) {
        wn_record *r = raw_rec_of(oa_no[i]);
        assert_false(holds("is open access", r));
    }
    const char *const *pre[] = {med, doi, pt};
    for (size_t i = 0; i < 3; i++) {
        wn_record *r = raw_rec_of(pre[i]);
        assert_true(holds("is preprint", r));
        assert_false(holds("is peer reviewed", r));
    }
    wn_record *c = raw_rec_of(conf);
    assert_false(holds("is peer reviewed", c));
    assert_false(holds("is preprint", c));
}

static void test_rule_order_and_spans(void **state)
{
    (void)state;
    wn_rules *r = keep(KEPT_RULES, compile("# criteria\n"
                          "require recent \"Too old\" when year >= 2000\n"
                          "exclude protocol \"Protocol\" as other when protocol[ti]\n"
                          "exclude trial when trial\n"
                          "flag hint when \"study protocol\" OR trial* OR NOT missing\n"
                          "flag bad as negative when trial\n"));
    assert_int_equal(wn_rules_count(r), 5);
    wn_rule_info i1 = wn_rules_info(r, 1);
    assert_string_equal(i1.reason, "Protocol");
    assert_true(i1.other);
    assert_string_equal(wn_rules_info(r, 2).reason, "trial");
    assert_int_equal(wn_rules_info(r, 3).line, 5);
    wn_rules_eval *e = keep(KEPT_EVAL, wn_rules_eval_new(r));
    const char *t[] = {"title", NULL, "A study protocol for a trial", "year", NULL, "2010", NULL};
    wn_record *rec = rec_of(t);
    assert_int_equal(wn_rules_eval_unit(e, rec, NULL, 0, WN_RULES_SPANS), 0);
    assert_int_equal(wn_rules_eval_excluded_by(e), 1); /* first rule that removes it */
    assert_true(wn_rules_eval_matched(e, 2));
    size_t n;
    const wn_rule_span *sp = wn_rules_eval_spans(e, &n);
    const char *title = wn_record_first(rec, WN_F_TITLE);
    int saw_phrase = 0, saw_trial_neg = 0;
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(sp[i].field, WN_F_TITLE);
        char *text = keep(KEPT_TEXT, wn_strndup(title + sp[i].start, sp[i].end - sp[i].start));
        if (sp[i].rule == 3 && !strcmp(text, "study protocol"))
            saw_phrase = !sp[i].negative;
        if (sp[i].rule == 4 && !strcmp(text, "trial"))
            saw_trial_neg = sp[i].negative;
        assert_true(strcmp(text, "missing")); /* nothing under NOT */
    }
    assert_true(saw_phrase);
    assert_true(saw_trial_neg);
    /* too old: excluded by the require rule */
    const char *old[] = {"title", NULL, "A trial", "year", NULL, "1980", NULL};
    rec = rec_of(old);
    assert_int_equal(wn_rules_eval_unit(e, rec, NULL, 0, 0), 0);
    assert_int_equal(wn_rules_eval_excluded_by(e), 0);
    const char *kept[] = {"title", NULL, "Cohort", "year", NULL, "2001", NULL};
    rec = rec_of(kept);
    assert_int_equal(wn_rules_eval_unit(e, rec, NULL, 0, 0), 0);
    assert_int_equal(wn_rules_eval_excluded_by(e), -1);
}

static void test_lists_and_continuations(void **state)
{
    (void)state;
    wn_rules *r = keep(KEPT_RULES, compile("list servers = \"medRxiv\", bioRxiv,\n"
                          "    \"Research Square\"\n"
                          "list words = nurse*, \"social work*\"\n"
                          "exclude pre when journal in @servers\n"
                          "flag w when\n"
                          "    @words[ti]\n"
                          "    AND NOT hospital\n"));
    wn_rules_eval *e = keep(KEPT_EVAL, wn_rules_eval_new(r));
    const char *t[] = {"title", NULL, "Social workers at home", "journal", NULL,
                       "Research Square", NULL};
    wn_record *rec = raw_rec_of(t);
    assert_int_equal(wn_rules_eval_unit(e, rec, NULL, 0, 0), 0);
    assert_true(wn_rules_eval_matched(e, 0));
    assert_true(wn_rules_eval_matched(e, 1));
}

/* The first diagnostic of a rule file that must fail to compile (rc, r and
 * d are what compiling returned; freed here) as "LINE:COLUMN: message
 * [FILE]"; *count (if wanted) the number of diagnostics. */
static char *failure(int rc, wn_rules *r, wn_rule_diags d, size_t *count)
{
    int compiled = r != NULL;
    size_t n = d.n;
    char buf[1024] = "";
    if (n)
        snprintf(buf, sizeof buf, "%zu:%zu: %s [%s]", d.items[0].line, d.items[0].column,
                 d.items[0].message, d.items[0].file);
    wn_rules_free(r);
    wn_rule_diags_free(&d);
    assert_int_equal(rc, WN_EPARSE);
    assert_false(compiled);
    assert_true(n > 0);
    if (count)
        *count = n;
    return keep(KEPT_TEXT, wn_strdup(buf));
}

static char *first_diag(const char *text, size_t *count)
{
    wn_rules *r = NULL;
    wn_rule_diags d = {NULL, 0};
    int rc = wn_rules_compile("bad.rules", text, strlen(text), NULL, NULL, &r, &d);
    return failure(rc, r, d, count);
}

static char *first_load_diag(const char *path, size_t *count)
{
    wn_rules *r = NULL;
    wn_rule_diags d = {NULL, 0};
    int rc = wn_rules_load(path, &r, &d);
    return failure(rc, r, d, count);
}

static void expect_diag(const char *text, const char *where, const char *part)
{
    char *got = first_diag(text, NULL);
    if (strncmp(got, where, strlen(where)) || !strstr(got, part))
        fail_msg("for %s\nwant %s ... %s\ngot  %s", text, where, part, got);
}

static void test_bad_files(void **state)
{
    (void)state;
    expect_diag("exclude x when title ~ /study(/\n", "1:31:", "regex: missing closing parenthesis");
    expect_diag("exclude x when title ~ /a/q\n", "1:27:", "unknown regex flag 'q'");
    expect_diag("exclude x when title ~ /abc\n", "1:24:", "unterminated regex");
    expect_diag("exclude x when social work\n", "1:23:", "expected AND, OR, NOT or NEAR/n");
    expect_diag("exclude x when (a OR b\n", "1:23:", "expected ')'");
    expect_diag("exclude x when a OR b)\n", "1:22:", "')' without a matching '('");
    expect_diag("exclude x when year 2023-1990\n", "1:21:", "runs backwards");
    expect_diag("exclude x when year 19x0\n", "1:21:", "expected a year");
    expect_diag("\n\nexclude x when nurse[xx]\n", "3:22:", "unknown field tag 'xx'");
    expect_diag("exclude x when @nope\n", "1:16:", "unknown list '@nope'");
    expect_diag("exclude x \"reason when a\n", "1:11:", "unterminated string");
    expect_diag("exclude x when chi*ld\n", "1:16:", "truncation '*' must end a word");
    expect_diag("exclude x when a NEAR b\n", "1:18:", "NEAR needs a distance");
    expect_diag("exclude x when year > 2000 NEAR/3 b\n", "1:28:", "NEAR joins search terms");
    expect_diag("exclude x as maybe when a\n", "1:14:", "'automation' or 'other'");
    expect_diag("exclude x when is retracted\n", "1:19:", "'open access', 'peer reviewed'");
    expect_diag("exclude x a\n", "1:11:", "expected 'when'");
    expect_diag("exclude x when\nnurse\n", "1:15:", "expected a condition after 'when'");
    expect_diag("nurse OR midwife\n", "1:1:", "expected exclude, require, flag, list or include");
    expect_diag("exclude x when a\nexclude X when b\n", "2:9:", "already exists");
    expect_diag("exclude x when has colour\n", "1:20:", "unknown field 'colour'");
    expect_diag("include nope.rules\n", "1:9:", "expected the file to include in quotes");
    expect_diag("exclude x when title ~ /é(/ AND b\n", "1:27:", "regex:");
    expect_diag("exclude x when extra \"OA\" ~ /a(/\n", "1:32:", "regex: missing closing");
    expect_diag("exclude x when extra \"OA\" like b\n", "1:27:", "after the extra tag");
    expect_diag("exclude x when a\001b\n", "1:17:", "unexpected control character (byte 0x01)");
    /* every bad statement is reported, not just the first */
    size_t n = 0;
    first_diag("exclude a when (x\nexclude b when y z\nflag c when ok\nfoo\n", &n);
    assert_int_equal(n, 3);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_includes(void **state)
{
    (void)state;
    char dir[512], main_path[600], sub[600], list[700], a[600], b[600];
    snprintf(dir, sizeof dir, "%s", t_tmp_path("rules_inc"));
    snprintf(sub, sizeof sub, "%s/lists", dir);
    char cmd[1400];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", sub);
    assert_int_equal(system(cmd), 0);
    snprintf(main_path, sizeof main_path, "%s/main.rules", dir);
    snprintf(list, sizeof list, "%s/servers.rules", sub);
    write_file(list, "# shared list\nlist servers = medRxiv, \"bioRxiv\"\n");
    write_file(main_path, "include \"lists/servers.rules\"\nexclude pre when journal in @servers\n");
    wn_rules *r = NULL;
    wn_rule_diags d = {NULL, 0};
    int rc = wn_rules_load(main_path, &r, &d);
    keep(KEPT_RULES, r);
    wn_rule_diags_free(&d);
    assert_int_equal(rc, 0);
    assert_int_equal(wn_rules_file_count(r), 2);
    const char *p1, *sha1;
    wn_rules_file(r, 1, &p1, &sha1, NULL);
    assert_non_null(strstr(p1, "lists/servers.rules"));
    assert_int_equal(strlen(sha1), 64);
    /* a cycle is reported with its chain */
    snprintf(a, sizeof a, "%s/a.rules", dir);
    snprintf(b, sizeof b, "%s/b.rules", dir);
    write_file(a, "include \"b.rules\"\n");
    write_file(b, "\n  \ninclude \"a.rules\"\n");
    size_t n = 0;
    char *got = first_load_diag(a, &n);
    assert_int_equal(n, 1);
    assert_string_equal(got + strlen(got) - strlen("b.rules]"), "b.rules]");
    assert_true(!strncmp(got, "3:", 2) && strstr(got, "include cycle"));
    /* a missing include names the file */
    write_file(a, "flag x when y\ninclude \"missing.rules\"\n");
    got = first_load_diag(a, NULL);
    assert_true(!strncmp(got, "2:", 2) && strstr(got, "missing.rules"));
}

static void test_pathological_regex_is_bounded(void **state)
{
    (void)state;
    char title[200];
    memset(title, 'a', 60);
    memcpy(title + 60, "!", 2);
    wn_record *rec = titled(title, NULL);
    wn_rules *r = keep(KEPT_RULES, compile("flag slow when title ~ /^(a+)+$/\n"));
    wn_rules_eval *e = keep(KEPT_EVAL, wn_rules_eval_new(r));
    clock_t t0 = clock();
    assert_int_equal(wn_rules_eval_unit(e, rec, NULL, 0, 0), 0);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    assert_false(wn_rules_eval_matched(e, 0));
    assert_true(wn_rules_eval_limit_hits(e, 0) >= 1);
    assert_true(secs < 2.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define TEST(f) cmocka_unit_test_teardown(f, free_kept)
        TEST(test_precedence),
        TEST(test_nesting),
        TEST(test_truncation),
        TEST(test_phrases),
        TEST(test_field_tags),
        TEST(test_proximity),
        TEST(test_regex_flags),
        TEST(test_unicode_folding),
        TEST(test_field_tests),
        TEST(test_open_access_and_preprints),
        TEST(test_rule_order_and_spans),
        TEST(test_lists_and_continuations),
        TEST(test_bad_files),
        TEST(test_includes),
        TEST(test_pathological_regex_is_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Scoring one pair of records: field comparisons, vetoes, then rules.
 *
 * Order matters: a preprint against a journal article is a version link
 * whatever its DOIs and pages; otherwise any veto keeps a pair apart (a
 * shared DOI or PMID only lifts the page and year vetoes to "possible",
 * since databases mistype those); then the first rule that holds makes a
 * duplicate, and weaker agreement leaves the pair for a person. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dedup/dedup_impl.h"
#include "normalize/match_keys.h"
#include "winnow/dedup.h"

/* A field compared on both records. */
enum { CMP_NONE = 0, CMP_SAME, CMP_DIFF };

static int cmp_str(const char *a, const char *b)
{
    if (!*a || !*b)
        return CMP_NONE;
    return strcmp(a, b) ? CMP_DIFF : CMP_SAME;
}

static const char *cmp_name(int c) { return c == CMP_SAME ? "same" : c == CMP_DIFF ? "diff" : "none"; }

/* Non-zero when the newline-separated ISSN lists share one. */
static int issn_shared(const char *a, const char *b)
{
    for (const char *p = a; *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        for (const char *q = b; *q;) {
            const char *nq = strchr(q, '\n');
            size_t m = nq ? (size_t)(nq - q) : strlen(q);
            if (n == m && n && memcmp(p, q, n) == 0)
                return 1;
            q += m + (nq ? 1 : 0);
        }
        p += n + (nl ? 1 : 0);
    }
    return 0;
}

static int journal_cmp(const dd_rec *a, const dd_rec *b)
{
    if (*a->issn && *b->issn && issn_shared(a->issn, b->issn))
        return CMP_SAME;
    const char *an[2] = {a->journal, a->journal_abbr}, *bn[2] = {b->journal, b->journal_abbr};
    int known = 0;
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++) {
            if (!*an[i] || !*bn[j])
                continue;
            known = 1;
            if (wn_match_journal_folded(an[i], bn[j]))
                return CMP_SAME;
        }
    return known ? CMP_DIFF : CMP_NONE;
}

/* Share of the shorter author list found in the other. */
static double author_overlap(const dd_rec *a, const dd_rec *b)
{
    if (!a->n_authors || !b->n_authors)
        return -1.0;
    int shared = 0;
    for (int i = 0; i < a->n_authors; i++)
        for (int j = 0; j < b->n_authors; j++)
            if (a->authors[i] == b->authors[j]) {
                shared++;
                break;
            }
    int fewer = a->n_authors < b->n_authors ? a->n_authors : b->n_authors;
    double r = (double)shared / (double)fewer;
    return r > 1.0 ? 1.0 : r;
}

static int first_author_cmp(const dd_rec *a, const dd_rec *b)
{
    if (!*a->surname || !*b->surname)
        return CMP_NONE;
    if (!strcmp(a->surname, b->surname))
        return CMP_SAME;
    /* "Il Cheong" and "Cheong", "Goicoechea de Jorge" and "de Jorge" */
    size_t la = strlen(a->surname), lb = strlen(b->surname);
    const char *lo = la > lb ? a->surname : b->surname, *sh = la > lb ? b->surname : a->surname;
    size_t ls = la > lb ? lb : la, ll = la > lb ? la : lb;
    if (ls >= 4 && (!strcmp(lo + ll - ls, sh) || !strncmp(lo, sh, ls)))
        return CMP_SAME;
    double jw = wn_match_jaro_winkler(a->surname, strlen(a->surname), b->surname,
                                      strlen(b->surname));
    return jw >= 0.92 ? CMP_SAME : CMP_DIFF;
}

static int equal_keys(const char *a, size_t alen, const char *b, size_t blen)
{
    return alen && alen == blen && memcmp(a, b, alen) == 0;
}

static const char *kind_name(int k)
{
    switch (k) {
    case WN_KIND_ERRATUM: return "erratum";
    case WN_KIND_RETRACTION: return "retraction";
    case WN_KIND_COMMENT: return "comment";
    case WN_KIND_PROTOCOL: return "protocol";
    default: return "article";
    }
}

const char *dd_outcome_name(int outcome)
{
    switch (outcome) {
    case DD_DUPLICATE: return WN_PAIR_DUPLICATE;
    case DD_POSSIBLE: return WN_PAIR_POSSIBLE;
    case DD_VERSION: return WN_PAIR_VERSION;
    default: return WN_PAIR_DISTINCT;
    }
}

void dd_score(const dd_rec *a, const dd_rec *b, dd_verdict *v)
{
    memset(v, 0, sizeof *v);
    int have_titles = *a->t_full && *b->t_full;
    double title = 0.0;
    if (have_titles)
        title = equal_keys(a->t_full, a->t_full_len, b->t_full, b->t_full_len)
                    ? 1.0
                    : wn_match_similarity(a->t_full, a->t_full_len, b->t_full, b->t_full_len,
                                          0.75);
    /* One title without the other's subtitle, or inside the other (a
     * heading or a citation added before or after it). */
    int subtitle = (a->t_main_len >= 20 &&
                    equal_keys(a->t_main, a->t_main_len, b->t_full, b->t_full_len)) ||
                   (b->t_main_len >= 20 &&
                    equal_keys(a->t_full, a->t_full_len, b->t_main, b->t_main_len));
    if (!subtitle && have_titles && title < 0.93) {
        const dd_rec *shorter = a->t_full_len < b->t_full_len ? a : b;
        const dd_rec *longer = shorter == a ? b : a;
        subtitle = shorter->t_full_len >= 20 && strstr(longer->t_full, shorter->t_full);
    }
    int translated = equal_keys(a->t_bracket, a->t_bracket_len, b->t_full, b->t_full_len) ||
                     equal_keys(a->t_full, a->t_full_len, b->t_bracket, b->t_bracket_len) ||
                     equal_keys(a->t_bracket, a->t_bracket_len, b->t_bracket, b->t_bracket_len);
    int doi = cmp_str(a->doi, b->doi), pmid = cmp_str(a->pmid, b->pmid);
    int spage = cmp_str(a->spage, b->spage), epage = cmp_str(a->epage, b->epage);
    int volume = cmp_str(a->volume, b->volume);
    int first = first_author_cmp(a, b);
    double overlap = author_overlap(a, b);
    /* A mistyped first page with the same last page is still one range. */
    int pages = spage == CMP_SAME || (epage == CMP_SAME && spage != CMP_NONE) ? CMP_SAME : spage;
    int years = a->year && b->year ? abs(a->year - b->year) : -1;
    int journal = journal_cmp(a, b);
    v->title = title;

    char year_text[8] = "none";
    if (years >= 0)
        snprintf(year_text, sizeof year_text, "+%d", years > 999 ? 999 : years);
    snprintf(v->evidence, sizeof v->evidence,
             "title=%.2f%s first_author=%s authors=%.2f year=%s first_page=%s end_page=%s "
             "volume=%s journal=%s doi=%s pmid=%s",
             title, subtitle ? "(subtitle)" : translated ? "(translation)" : "", cmp_name(first),
             overlap < 0 ? 0.0 : overlap, year_text, cmp_name(spage), cmp_name(epage),
             cmp_name(volume), cmp_name(journal), cmp_name(doi), cmp_name(pmid));

    int title_like = title >= 0.9 || subtitle || translated;
    v->alike = title >= 0.8 || subtitle || translated || doi == CMP_SAME || pmid == CMP_SAME ||
               !have_titles;
    if (a->preprint != b->preprint && title_like && first != CMP_DIFF &&
        (years < 0 || years <= 2) && a->kind == b->kind) {
        v->outcome = DD_VERSION;
        v->rule = "preprint";
        return;
    }

    /* Vetoes. An erratum notice printed at the same volume and first page
     * as a record by the same first author is that notice again, one copy
     * not labelled as such: not a notice against its article. */
    int one_item = a->kind != b->kind &&
                   (a->kind == WN_KIND_ERRATUM || b->kind == WN_KIND_ERRATUM) &&
                   spage == CMP_SAME && volume == CMP_SAME && epage != CMP_DIFF &&
                   first == CMP_SAME;
    const char *veto = NULL;
    int soft = 0;    /* a veto a shared identifier may outweigh */
    int notice = 0;  /* a notice or reply against the article it names */
    if (a->kind != b->kind && !one_item) {
        notice = a->kind != WN_KIND_PROTOCOL && b->kind != WN_KIND_PROTOCOL;
        veto = a->kind == WN_KIND_ARTICLE || b->kind == WN_KIND_ARTICLE
                   ? (a->kind == WN_KIND_ARTICLE ? kind_name(b->kind) : kind_name(a->kind))
                   : "kind";
    } else if (a->conference != b->conference)
        veto = "abstract";
    else if (a->part != b->part)
        veto = "part";
    else if (doi == CMP_DIFF)
        veto = "doi";
    else if (pmid == CMP_DIFF)
        veto = "pmid";
    else if (pages == CMP_DIFF)
        veto = "pages", soft = 1;
    else if (years > 1)
        veto = "year", soft = 1;
    if (veto) {
        v->vetoed = 1;
        v->rule = veto;
        /* A shared identifier, or the same title and first author (or
         * most authors), with only pages or years apart: a person should
         * look (an untyped erratum notice, an abstract printed as an
         * article, or a mistyped page). The veto still keeps the pair from
         * merging automatically. */
        if (soft && (((doi == CMP_SAME || pmid == CMP_SAME) && (title_like || !have_titles)) ||
                     (title_like && (first == CMP_SAME || overlap >= 0.5)))) {
            v->outcome = DD_POSSIBLE;
            return;
        }
        /* A correction, retraction or reply and the article it names, by
         * the same authors or in the same journal volume: labelled sets
         * often count them as one; a person decides, nothing merges on its
         * own. (A protocol and its trial, or a record typed as a
         * conference abstract and an article, are separate reports.) */
        if (notice && title_like &&
            (first == CMP_SAME || overlap >= 0.5 || (journal == CMP_SAME && volume == CMP_SAME))) {
            v->outcome = DD_POSSIBLE;
            return;
        }
        v->outcome = DD_DISTINCT;
        return;
    }

    int bib = (pages == CMP_SAME) + (volume == CMP_SAME) + (journal == CMP_SAME);
    int same_place = first == CMP_SAME && pages == CMP_SAME && volume == CMP_SAME;
    /* Databases disagree on end pages and mangle compound surnames; those
     * count against a pair only when nothing else places it. */
    int conflict = volume == CMP_DIFF || (epage == CMP_DIFF && !same_place) ||
                   (first == CMP_DIFF && overlap < 0.5);
    int ids = doi == CMP_SAME || pmid == CMP_SAME;
    if (ids) {
        if (!have_titles || title >= 0.75 || subtitle || translated) {
            v->outcome = first == CMP_DIFF && title < 0.9 ? DD_POSSIBLE : DD_DUPLICATE;
            v->rule = doi == CMP_SAME ? "doi" : "pmid";
            return;
        }
        v->outcome = DD_POSSIBLE;
        v->rule = "identifier-title-differs";
        return;
    }
    if (have_titles && title >= 0.93 && years >= 0 && !conflict) {
        int authors_ok = first == CMP_SAME || (first != CMP_SAME && overlap >= 0.5 && bib >= 2) ||
                         (first == CMP_NONE && bib >= 2);
        if (authors_ok && bib >= 1) {
            v->outcome = DD_DUPLICATE;
            v->rule = "title+authors+source";
            return;
        }
        if (first == CMP_SAME && title >= 0.999 && a->t_full_len >= 50) {
            v->outcome = DD_DUPLICATE;
            v->rule = "long-title+authors";
            return;
        }
    }
    if ((subtitle || translated) && first == CMP_SAME && years >= 0 && pages == CMP_SAME &&
        !conflict) {
        v->outcome = DD_DUPLICATE;
        v->rule = subtitle ? "subtitle+authors+pages" : "translation+authors+pages";
        return;
    }
    /* Same first author, year, journal, volume and whole page range: one
     * article whatever its titles say (a translated or garbled title). */
    if (have_titles && same_place && spage == CMP_SAME && epage == CMP_SAME && journal == CMP_SAME &&
        years == 0 && a->initial == b->initial) {
        v->outcome = DD_DUPLICATE;
        v->rule = "authors+source";
        return;
    }
    if (have_titles && (title >= 0.8 || subtitle || translated) &&
        (first == CMP_SAME || years == 0 || bib >= 1)) {
        v->outcome = DD_POSSIBLE;
        v->rule = "similar-title";
        return;
    }
    if (!have_titles && same_place && years >= 0) {
        v->outcome = DD_POSSIBLE;
        v->rule = "no-title+source";
        return;
    }
    v->outcome = DD_DISTINCT;
    v->rule = "different";
}

/* Internal: matching keys for deduplication.
 *
 * These forms exist only to compare records; nothing here is shown to a
 * user or stored as a field. Every function appends to or fills buffers the
 * caller owns and never fails on odd input (only WN_ENOMEM). */
#ifndef WINNOW_MATCH_KEYS_H
#define WINNOW_MATCH_KEYS_H

#include <stddef.h>

#include "winnow/buf.h"

/* Appends s[0..len) folded for comparison: lower-case ASCII letters and
 * digits, every other run of characters one space (none at the ends).
 * Diacritics are dropped (é e, ß ss, æ ae, ø o), Greek letters spelled
 * (α or Α gives "alpha", µ gives "mu"), "&" read as "and". */
int wn_match_fold(wn_buf *out, const char *s, size_t len);

/* What a title says about the kind of publication it names. */
enum {
    WN_KIND_ARTICLE = 0,
    WN_KIND_ERRATUM,    /* erratum, correction, corrigendum */
    WN_KIND_RETRACTION, /* retraction or withdrawal notice */
    WN_KIND_COMMENT,    /* comment on, reply to, response to */
    WN_KIND_PROTOCOL,   /* study protocol for a trial or review */
};

/* A title reduced for matching. Each key is the folded title without
 * spaces (so "double-blind", "double blind" and "doubleblind" agree) and
 * without a leading article. Owned buffers: wn_title_keys_free. */
typedef struct wn_title_keys {
    wn_buf full;    /* whole title; brackets of a translated title removed,
                       and the citation a correction notice ends with */
    wn_buf main;    /* before a subtitle (": ", " - ", ". ", "? "), and
                       without a bracketed translation; empty when the same
                       as full */
    wn_buf bracket; /* the bracketed part of "Original [Translated]"; empty
                       when none */
    int kind;       /* WN_KIND_* read from the wording ("Erratum: ...",
                       "... - Reply", a cited original: "(vol 3, pg 5, 2009)") */
    int part;       /* "Part II", "part 2": 2; 0 when none */
} wn_title_keys;

/* Fills k (cleared first) from a title in plain or marked-up text (HTML
 * entities and tags, LaTeX are read as text). Returns 0 or WN_ENOMEM. */
int wn_title_keys_make(wn_title_keys *k, const char *title, size_t len);
void wn_title_keys_free(wn_title_keys *k);

/* Appends the surname key of an author ("Müller-Lüdenscheidt, H.",
 * "van der Berg JA", "Jason I. Kang"): folded letters of the surname
 * without particles (van, der, de, von, ...) and with German umlaut
 * spellings made one vowel (ue u, oe o, ae a), and sets *initial to the
 * first given-name initial (0 when none). "et al." gives nothing. */
int wn_match_surname(wn_buf *out, const char *author, size_t len, char *initial);

/* Non-zero when two journal names (full or abbreviated, any case and
 * punctuation) can name the same journal: equal when folded, or one the
 * ISO-style abbreviation of the other ("Nat Rev Nephrol" and "Nature
 * Reviews Nephrology"). */
int wn_match_journal(const char *a, const char *b);
/* The same for names already folded with wn_match_fold. */
int wn_match_journal_folded(const char *a, const char *b);

/* The page or e-locator number for comparing ("e0623472" and "623472"
 * agree, "S12" and "12" agree): digits without leading zeros, written to
 * out (NUL-terminated, at most cap - 1 bytes); empty when there are none. */
void wn_match_page(const char *page, char *out, size_t cap);

/* Similarity of two keys in [0, 1]: 1 - edit distance / longer length.
 * Computed in a band, so values below min come back as 0. */
double wn_match_similarity(const char *a, size_t alen, const char *b, size_t blen,
                           double min);

/* Jaro-Winkler similarity of two short strings (names), in [0, 1]. */
double wn_match_jaro_winkler(const char *a, size_t alen, const char *b, size_t blen);

#endif

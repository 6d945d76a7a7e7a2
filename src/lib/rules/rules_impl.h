/* Internal: the compiled form of a rule file, shared by the parser and the
 * evaluator, and the text folding both use. */
#ifndef WINNOW_RULES_IMPL_H
#define WINNOW_RULES_IMPL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "winnow/buf.h"
#include "winnow/rules.h"

/* ---- folding and words ------------------------------------------------ */

/* One word of a text: bytes [start, end) of the original, and its folded
 * form (lower case, no diacritics) at fold[off .. off+len). */
typedef struct rl_word {
    uint32_t start, end;
    uint32_t off, len;
} rl_word;

typedef struct rl_words {
    rl_word *v;
    size_t n, cap;
} rl_words;

/* Splits s into words (runs of letters and digits) and appends their folded
 * forms to fold. Returns 0 or WN_ENOMEM. */
int rl_split_words(const char *s, size_t len, wn_buf *fold, rl_words *out);
/* Calls fn for each word of s that may be in the filter lead (a bitset of
 * the keys of words' first three bytes, see rl_lead_key; NULL: every
 * word): its position among all words, its bytes [start, end) and its
 * folded form (not NUL-terminated, valid during the call). Without a
 * filter the folded forms are appended to fold and stay there; with one,
 * fold is only scratch. A non-zero return stops the scan and is returned.
 * s[len] must be NUL (as record values are). */
typedef int (*rl_word_fn)(void *ctx, size_t index, size_t start, size_t end,
                          const char *folded, size_t len);
int rl_scan_words(const char *s, size_t len, const uint64_t *lead, wn_buf *fold,
                  rl_word_fn fn, void *ctx);
/* The 15-bit filter key of a word's first three ASCII bytes (0 past its
 * end). Only a function of the lower-cased bytes: keys may collide. */
unsigned rl_lead_key(unsigned c0, unsigned c1, unsigned c2);
#define RL_LEAD_WORDS (1u << 15) / 64
/* Appends the folded words of s joined by single spaces (the form `is`
 * comparisons use). The _with form reuses the caller's scratch memory. */
int rl_fold_phrase(const char *s, size_t len, wn_buf *out);
int rl_fold_phrase_with(const char *s, size_t len, wn_buf *out, rl_words *w, wn_buf *fold);

/* ---- text queries ----------------------------------------------------- */

/* Field groups of text searches ([ti] [ab] [kw] [au] [so]). */
enum {
    RL_TI = 1,
    RL_AB = 2,
    RL_KW = 4,
    RL_AU = 8,
    RL_SO = 16,
    RL_DEFAULT = RL_TI | RL_AB | RL_KW,
};

/* A phrase of one or more words; each word is an entry of the dictionary. */
typedef struct rl_term {
    uint32_t *words; /* dictionary ids */
    size_t n;
    unsigned fields; /* RL_* mask */
    int tagged;      /* fields set by an explicit tag */
} rl_term;

/* Distinct query words: exact words and truncation stems. */
typedef struct rl_dict_entry {
    char *text;
    size_t len;
    int prefix;
} rl_dict_entry;

/* ---- conditions --------------------------------------------------------- */

typedef enum rl_kind {
    RL_AND,
    RL_OR,
    RL_NOT,
    RL_TEXT,   /* any of terms */
    RL_NEAR,   /* kids[0] NEAR/n kids[1], both RL_TEXT */
    RL_REGEX,
    RL_YEAR,
    RL_IS,     /* a field's value equals one of values */
    RL_SOURCE,
    RL_HAS,
    RL_OA,
    RL_PREPRINT,
    RL_PEER,
} rl_kind;

/* Which values a field test reads. */
typedef struct rl_select {
    unsigned fields;   /* bit per wn_field */
    char *extra_tag;   /* folded tag for `extra "TAG"`, else NULL */
} rl_select;

typedef struct rl_node rl_node;
struct rl_node {
    rl_kind kind;
    rl_node **kids;
    size_t n_kids;
    rl_term *terms; /* RL_TEXT */
    size_t n_terms;
    int distance;   /* RL_NEAR */
    rl_select sel;  /* RL_REGEX, RL_IS, RL_HAS */
    pcre2_code *re;
    unsigned char *start_bytes; /* RL_REGEX: 256 flags, the bytes a match
                                   can start with; NULL: not known */
    int year_lo, year_hi;
    char **values;  /* RL_IS, RL_SOURCE: folded */
    size_t n_values;
    size_t rule;    /* owning rule (for limit counts) */
};

typedef struct rl_rule {
    wn_rule_info info;
    rl_node *cond;
} rl_rule;

typedef struct rl_file {
    char *path, *text;
    char sha256[65];
} rl_file;

/* Open-addressing table of dictionary ids by folded text. */
typedef struct rl_table {
    uint32_t *slots; /* id + 1; 0 empty */
    uint64_t *hashes;
    size_t mask;
} rl_table;

struct wn_rules {
    rl_node **nodes; /* every condition node, owned */
    size_t n_nodes;
    rl_rule *rules;
    size_t n_rules;
    rl_file *files;
    size_t n_files;
    rl_dict_entry *dict;
    size_t n_dict;
    rl_table exact, prefix;
    uint64_t lead[RL_LEAD_WORDS]; /* lead keys of the words a text can match */
    uint64_t prefix_lengths; /* bit 1: some stem is 1 byte long */
    /* Bit L: some stem of L bytes (2 <= L < 64) starts with the two bytes
     * of this rl_stem_key, so a word is looked up only at the lengths of
     * stems sharing its start. */
    uint64_t stem_lengths[1u << 10];
    int long_prefixes;       /* some stem is 64 bytes or longer */
    int use_sources;
    unsigned text_fields;    /* RL_* groups any rule searches */
    pcre2_match_context *mctx;
    size_t n_regex;
};

uint64_t rl_hash(const char *s, size_t len);
/* The key of a folded word's (or stem's) first two bytes, len >= 2. */
static inline unsigned rl_stem_key(const char *s)
{
    return ((unsigned char)s[0] & 31u) << 5 | ((unsigned char)s[1] & 31u);
}
/* Dictionary id of text (exact or stem) whose rl_hash is h, or -1. Inline:
 * the evaluator calls it for most words of a record. */
static inline long rl_table_find(const wn_rules *r, const rl_table *t, const char *s,
                                 size_t len, uint64_t h)
{
    if (!t->slots)
        return -1;
    for (size_t i = h & t->mask;; i = (i + 1) & t->mask) {
        uint32_t v = t->slots[i];
        if (!v)
            return -1;
        const rl_dict_entry *e = &r->dict[v - 1];
        if (t->hashes[i] == h && e->len == len && !memcmp(e->text, s, len))
            return (long)v - 1;
    }
}

/* Limits every regex match so a pathological pattern cannot hang a run. */
#define RL_MATCH_LIMIT 200000u
#define RL_DEPTH_LIMIT 5000u

#endif

/* RIS tagged text ("TY  - JOUR" ... "ER  - ") as real exports write it:
 * EndNote, Zotero, Mendeley, Scopus, Web of Science, Embase, Ovid, EBSCO
 * (CINAHL), ProQuest, PsycINFO, Google Scholar, JSTOR and Rayyan.
 *
 * A record runs from a TY line to an ER line. A line that is not a tag line
 * continues the value of the tag before it. Every value reaches a record field
 * through the tag table below; a value with no field is kept as an extra under
 * its own tag, so nothing an export says is lost.
 *
 * Choices worth knowing:
 * - A tag line is "XX  - value". Odd spacing ("TY - x", "TY  -x", "TY\t- x")
 *   is accepted for tags in the table only, so a wrapped abstract line such as
 *   "IL -6 levels rose" stays text; an ER line with odd spacing must have
 *   nothing after its hyphen ("ER - positive tumours" is text, not an end).
 * - Bare numbers are PMIDs where the database puts them there: C2 in Scopus
 *   exports, C5 in Embase exports (also for its MEDLINE records).
 * - AN (accession number) is the database's own id of the record: it becomes
 *   the record's source id when the record has no ID line, and stays an extra
 *   otherwise. It is a PMID only when it says so ("PMID: 123", "123[pmid]")
 *   or when the record comes from PubMed/MEDLINE (DB or DP line).
 * - SN holds ISSNs and ISBNs alike: 8 digits make an ISSN, 10 or 13 an ISBN,
 *   anything else stays an extra "SN" rather than become a false ISSN.
 * - CP is an issue number in the RIS specification, but Web of Science writes
 *   the conference name there: only short values with a digit are issues.
 * - T2 is the journal (or the book a chapter is in) unless the record also
 *   has JF/JO, which EBSCO uses beside a translated title in T2; for a whole
 *   book T2 is its series. JO after a different JF is the abbreviation.
 * - Lines between ER and the next TY are ignored with one warning per run of
 *   lines (export headers, "1.", Ovid's trailing "NL  - " line). */
#include <string.h>

#include "import/parser.h"
#include "import/tagged.h"

/* What storing a value needs beyond adding it to the field. */
enum how {
    HOW_PLAIN,
    HOW_TYPE,       /* TY: remembered for the T2/BT meaning */
    HOW_AUTHOR,     /* spacing after the comma; "et al." is no author */
    HOW_SECONDARY,  /* T2: journal, book or proceedings title; a book's series */
    HOW_BOOK_TITLE, /* BT: a book's own title, else the book a part is in */
    HOW_JO,         /* JO: full name in most exports, abbreviation in some */
    HOW_START_PAGE, /* SP: may hold the whole range */
    HOW_SERIAL,     /* SN: ISSNs and ISBNs, several per line */
    HOW_URL,        /* several URLs per line */
    HOW_LINK_OR_DOI, /* L3: CINAHL writes the DOI there */
    HOW_WORK_TYPE,  /* M3: type of work, or a DOI in some exports */
    HOW_ISSUE_CP,   /* CP: issue, or a conference name (Web of Science) */
    HOW_ACCESSION,  /* AN */
    HOW_CUSTOM,     /* C1-C8, M1, M2, U1-U5: may hold a PMID or PMCID */
    HOW_DATABASE,   /* DB, DP: tells which database the record came from */
    HOW_ABSTRACT,   /* AB */
    HOW_N2,         /* N2: abstract unless AB is there too */
    HOW_END,        /* ER */
};

typedef struct ris_tag {
    unsigned char known;
    unsigned char field;
    unsigned char join; /* wn_join */
    unsigned char how;
} ris_tag;

/* Tags are [A-Z][A-Z0-9]: index them directly. PsycINFO also writes one
 * four-letter tag, "PMID  - ", which gets the slot after the last pair. */
#define TAG_INDEX(a, b) (((a) - 'A') * 36 + ((b) >= 'A' ? (b) - 'A' + 10 : (b) - '0'))
#define TAG_PMID (26 * 36)
#define N_TAGS (26 * 36 + 1)
#define TAG_TY TAG_INDEX('T', 'Y')
#define TAG_ER TAG_INDEX('E', 'R')
#define T(a, b, f, j, h) [TAG_INDEX(a, b)] = {1, f, j, h}

static const ris_tag tag_table[N_TAGS] = {
    T('T', 'Y', WN_F_TYPE_RAW, WN_JOIN_SPLIT, HOW_TYPE),
    T('E', 'R', WN_F_EXTRA, WN_JOIN_SPACE, HOW_END),
    T('I', 'D', WN_F_SOURCE_ID, WN_JOIN_SPACE, HOW_PLAIN),
    /* titles */
    T('T', 'I', WN_F_TITLE, WN_JOIN_SPACE, HOW_PLAIN),
    T('T', '1', WN_F_TITLE, WN_JOIN_SPACE, HOW_PLAIN),
    T('C', 'T', WN_F_TITLE, WN_JOIN_SPACE, HOW_PLAIN),
    T('B', 'T', WN_F_TITLE, WN_JOIN_SPACE, HOW_BOOK_TITLE),
    T('T', '2', WN_F_JOURNAL, WN_JOIN_SPACE, HOW_SECONDARY),
    T('T', '3', WN_F_EXTRA, WN_JOIN_SPACE, HOW_PLAIN),
    T('S', 'T', WN_F_EXTRA, WN_JOIN_SPACE, HOW_PLAIN),
    T('T', 'T', WN_F_EXTRA, WN_JOIN_SPACE, HOW_PLAIN),
    T('O', 'P', WN_F_EXTRA, WN_JOIN_SPACE, HOW_PLAIN),
    /* journal */
    T('J', 'F', WN_F_JOURNAL, WN_JOIN_SPACE, HOW_PLAIN),
    T('J', 'O', WN_F_JOURNAL, WN_JOIN_SPACE, HOW_JO),
    T('J', 'A', WN_F_JOURNAL_ABBR, WN_JOIN_SPACE, HOW_PLAIN),
    T('J', '1', WN_F_JOURNAL_ABBR, WN_JOIN_SPACE, HOW_PLAIN),
    T('J', '2', WN_F_JOURNAL_ABBR, WN_JOIN_SPACE, HOW_PLAIN),
    T('J', 'I', WN_F_JOURNAL_ABBR, WN_JOIN_SPACE, HOW_PLAIN), /* WoS ISO abbreviation */
    T('J', '9', WN_F_EXTRA, WN_JOIN_SPACE, HOW_PLAIN),        /* WoS 29-letter form */
    /* people */
    T('A', 'U', WN_F_AUTHOR, WN_JOIN_SPLIT, HOW_AUTHOR),
    T('A', '1', WN_F_AUTHOR, WN_JOIN_SPLIT, HOW_AUTHOR),
    T('A', '2', WN_F_EXTRA, WN_JOIN_SPLIT, HOW_PLAIN), /* editors */
    T('A', '3', WN_F_EXTRA, WN_JOIN_SPLIT, HOW_PLAIN),
    T('A', '4', WN_F_EXTRA, WN_JOIN_SPLIT, HOW_PLAIN),
    T('E', 'D', WN_F_EXTRA, WN_JOIN_SPLIT, HOW_PLAIN),
    T('T', 'A', WN_F_EXTRA, WN_JOIN_SPLIT, HOW_PLAIN),
    T('A', 'D', WN_F_EXTRA, WN_JOIN_SPLIT, HOW_PLAIN),
    /* dates */
    T('P', 'Y', WN_F_YEAR, WN_JOIN_SPACE, HOW_PLAIN),
    T('Y', '1', WN_F_YEAR, WN_JOIN_SPACE, HOW_PLAIN),
    T('D', 'A', WN_F_DATE, WN_JOIN_SPACE, HOW_PLAIN),
    T('Y', '2', WN_F_EXTRA, WN_JOIN_SPACE, HOW_PLAIN),
    T('E', 'T', WN_F_EXTRA, WN_JOIN_SPACE, HOW_PLAIN),
    /* where in the journal */
    T('V', 'L', WN_F_VOLUME, WN_JOIN_SPACE, HOW_PLAIN),
    T('V', 'O', WN_F_VOLUME, WN_JOIN_SPACE, HOW_PLAIN),
    T('I', 'S', WN_F_ISSUE, WN_JOIN_SPACE, HOW_PLAIN),
    T('C', 'P', WN_F_ISSUE, WN_JOIN_SPACE, HOW_ISSUE_CP),
    T('S', 'P', WN_F_START_PAGE, WN_JOIN_SPACE, HOW_START_PAGE),
    T('E', 'P', WN_F_END_PAGE, WN_JOIN_SPACE, HOW_PLAIN),
    /* identifiers and links */
    T('D', 'O', WN_F_DOI, WN_JOIN_SPACE, HOW_PLAIN),
    T('S', 'N', WN_F_ISSN, WN_JOIN_SPLIT, HOW_SERIAL),
    T('A', 'N', WN_F_EXTRA, WN_JOIN_SPACE, HOW_ACCESSION),
    T('U', 'R', WN_F_URL, WN_JOIN_SPLIT, HOW_URL),
    T('L', '1', WN_F_URL, WN_JOIN_SPLIT, HOW_URL),
    T('L', '2', WN_F_URL, WN_JOIN_SPLIT, HOW_URL),
    T('L', 'K', WN_F_URL, WN_JOIN_SPLIT, HOW_URL),
    T('L', '3', WN_F_URL, WN_JOIN_SPLIT, HOW_LINK_OR_DOI),
    T('L', '4', WN_F_EXTRA, WN_JOIN_SPLIT, HOW_PLAIN),
    T('D', 'B', WN_F_EXTRA, WN_JOIN_SPACE, HOW_DATABASE),
    T('D', 'P', WN_F_EXTRA, WN_JOIN_SPACE, HOW_DATABASE),
    T('C', 'N', WN_F_EXTRA, WN_JOIN_SPACE, HOW_PLAIN),
    /* content */
    T('A', 'B', WN_F_ABSTRACT, WN_JOIN_NEWLINE, HOW_ABSTRACT),
    T('N', '2', WN_F_ABSTRACT, WN_JOIN_NEWLINE, HOW_N2),
    T('N', '1', WN_F_EXTRA, WN_JOIN_NEWLINE, HOW_PLAIN),
    T('R', 'N', WN_F_EXTRA, WN_JOIN_NEWLINE, HOW_PLAIN),
    T('K', 'W', WN_F_KEYWORD, WN_JOIN_SPLIT, HOW_PLAIN),
    T('L', 'A', WN_F_LANGUAGE, WN_JOIN_SPACE, HOW_PLAIN),
    T('M', '3', WN_F_PUBTYPE, WN_JOIN_SPACE, HOW_WORK_TYPE),
    /* publisher */
    T('P', 'B', WN_F_PUBLISHER, WN_JOIN_SPACE, HOW_PLAIN),
    T('P', 'U', WN_F_PUBLISHER, WN_JOIN_SPACE, HOW_PLAIN), /* Web of Science */
    T('C', 'Y', WN_F_EXTRA, WN_JOIN_SPACE, HOW_PLAIN),
    T('P', 'I', WN_F_EXTRA, WN_JOIN_SPACE, HOW_PLAIN),
    T('P', 'A', WN_F_EXTRA, WN_JOIN_SPACE, HOW_PLAIN),
    /* custom and miscellaneous fields */
    T('C', '1', WN_F_EXTRA, WN_JOIN_NEWLINE, HOW_CUSTOM),
    T('C', '2', WN_F_EXTRA, WN_JOIN_NEWLINE, HOW_CUSTOM),
    T('C', '3', WN_F_EXTRA, WN_JOIN_NEWLINE, HOW_CUSTOM),
    T('C', '4', WN_F_EXTRA, WN_JOIN_NEWLINE, HOW_CUSTOM),
    T('C', '5', WN_F_EXTRA, WN_JOIN_NEWLINE, HOW_CUSTOM),
    T('C', '6', WN_F_EXTRA, WN_JOIN_NEWLINE, HOW_CUSTOM),
    T('C', '7', WN_F_EXTRA, WN_JOIN_NEWLINE, HOW_CUSTOM),
    T('C', '8', WN_F_EXTRA, WN_JOIN_NEWLINE, HOW_CUSTOM),
    T('M', '1', WN_F_EXTRA, WN_JOIN_NEWLINE, HOW_CUSTOM),
    T('M', '2', WN_F_EXTRA, WN_JOIN_NEWLINE, HOW_CUSTOM),
    T('U', '1', WN_F_EXTRA, WN_JOIN_NEWLINE, HOW_CUSTOM),
    T('U', '2', WN_F_EXTRA, WN_JOIN_NEWLINE, HOW_CUSTOM),
    T('U', '3', WN_F_EXTRA, WN_JOIN_NEWLINE, HOW_CUSTOM),
    T('U', '4', WN_F_EXTRA, WN_JOIN_NEWLINE, HOW_CUSTOM),
    T('U', '5', WN_F_EXTRA, WN_JOIN_NEWLINE, HOW_CUSTOM),
    T('N', 'V', WN_F_EXTRA, WN_JOIN_SPACE, HOW_PLAIN),
    T('S', 'E', WN_F_EXTRA, WN_JOIN_SPACE, HOW_PLAIN),
    T('R', 'P', WN_F_EXTRA, WN_JOIN_SPACE, HOW_PLAIN),
    T('A', 'V', WN_F_EXTRA, WN_JOIN_SPACE, HOW_PLAIN),
    T('C', 'A', WN_F_EXTRA, WN_JOIN_SPACE, HOW_PLAIN),
    T('L', 'B', WN_F_EXTRA, WN_JOIN_SPACE, HOW_PLAIN),
    T('W', 'E', WN_F_EXTRA, WN_JOIN_SPACE, HOW_PLAIN), /* Web of Science edition */
    T('F', 'U', WN_F_EXTRA, WN_JOIN_NEWLINE, HOW_PLAIN),
    T('F', 'X', WN_F_EXTRA, WN_JOIN_NEWLINE, HOW_PLAIN),
    [TAG_PMID] = {1, WN_F_PMID, WN_JOIN_SPACE, HOW_PLAIN},
};

static const ris_tag unknown_tag = {0, WN_F_EXTRA, WN_JOIN_NEWLINE, HOW_PLAIN};

/* Which databases a record names in DB/DP: some ids mean a PMID only there. */
enum {
    DB_PUBMED = 1, /* also MEDLINE, NLM */
    DB_SCOPUS = 2,
    DB_EMBASE = 4,
};

typedef struct ris {
    wn_parser *p;
    wn_buf tmp; /* rewritten values (authors, ISSN lists) */

    /* the record being read */
    int in_record;
    wn_tagged_span span;
    char type[12];   /* upper-cased TY code */
    int whole_book;  /* BOOK and friends: BT is the title, T2 a series */
    int databases;   /* DB_* */
    int have_pmid, have_id;
    /* entry positions (index + 1, 0 for none) settled when the record ends */
    size_t jf_at, t2_at, abbr_at, ab_at, n2_at, an_at, c2_at, c5_at;
    int an_digits, c2_digits, c5_digits;
    int embedded_tags; /* a Rayyan record: "UR  - x     U2  - y" on one line */

    wn_pending pend; /* tag: the tag index */

    /* lines outside any record, reported together */
    size_t stray_line, stray_count, stray_tag_line;
    const char *stray_text;
    size_t stray_text_len;
    int seen_ty;
} ris;

/* ---- small text tests -------------------------------------------------- */

static int is_upper(unsigned char c) { return c >= 'A' && c <= 'Z'; }
static int is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
static unsigned char lower(unsigned char c) { return is_upper(c) ? (unsigned char)(c + 32) : c; }
static unsigned char upper(unsigned char c)
{
    return c >= 'a' && c <= 'z' ? (unsigned char)(c - 32) : c;
}

static int starts_nocase(const char *s, size_t n, const char *prefix)
{
    size_t k = strlen(prefix);
    if (n < k)
        return 0;
    for (size_t i = 0; i < k; i++)
        if (lower((unsigned char)s[i]) != (unsigned char)prefix[i])
            return 0;
    return 1;
}

static int contains_nocase(const char *s, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (starts_nocase(s + i, n - i, needle))
            return 1;
    return 0;
}

static int all_digits(const char *s, size_t n)
{
    if (!n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!is_digit((unsigned char)s[i]))
            return 0;
    return 1;
}

static void trim(const char **s, size_t *n)
{
    while (*n && is_space((unsigned char)**s))
        (*s)++, (*n)--;
    while (*n && is_space((unsigned char)(*s)[*n - 1]))
        (*n)--;
}

/* ---- tag lines ----------------------------------------------------------- */

static void tag_name(int ix, char out[5])
{
    if (ix == TAG_PMID) {
        memcpy(out, "PMID", 5);
        return;
    }
    int second = ix % 36;
    out[0] = (char)('A' + ix / 36);
    out[1] = (char)(second < 10 ? '0' + second : 'A' + second - 10);
    out[2] = '\0';
}

/* Recognizes a tag line; sets the tag index and where the (trimmed) value
 * starts and how long it is. */
static int tag_line(const char *s, size_t n, int *ix, const char **val, size_t *val_len)
{
    if (n < 4 || !is_upper((unsigned char)s[0]))
        return 0;
    unsigned char second = (unsigned char)s[1];
    if (!is_upper(second) && !is_digit(second)) {
        return 0;
    }
    size_t k;
    /* The canonical "XX  - " form is a tag line whatever the tag. */
    if (s[2] == ' ' && s[3] == ' ' && n >= 5 && s[4] == '-' && (n == 5 || s[5] == ' ')) {
        *ix = TAG_INDEX(s[0], second);
        k = 5;
    } else if (wn_tagged_is_blank((unsigned char)s[2])) {
        k = 2;
        while (k < n && wn_tagged_is_blank((unsigned char)s[k]))
            k++;
        if (k >= n || s[k] != '-')
            return 0;
        *ix = TAG_INDEX(s[0], second);
        if (!tag_table[*ix].known)
            return 0;
        k++;
        if (*ix == TAG_ER && !wn_tagged_all_blank(s + k, n - k))
            return 0;
    } else if (n >= 7 && memcmp(s, "PMID", 4) == 0 && wn_tagged_is_blank((unsigned char)s[4])) {
        k = 5;
        while (k < n && wn_tagged_is_blank((unsigned char)s[k]))
            k++;
        if (k >= n || s[k] != '-' || (k + 1 < n && !wn_tagged_is_blank((unsigned char)s[k + 1])))
            return 0;
        *ix = TAG_PMID;
        k++;
    } else {
        return 0;
    }
    const char *v = s + k;
    size_t vn = n - k;
    trim(&v, &vn);
    *val = v;
    *val_len = vn;
    return 1;
}

/* MEDLINE's three- and four-letter tags ("PMID- ", "FAU - "): RIS never has
 * them, so they tell the two formats apart. */
static int medline_tag_line(const char *s, size_t n)
{
    return n >= 5 && is_upper((unsigned char)s[0]) && is_upper((unsigned char)s[1]) &&
           is_upper((unsigned char)s[2]) && (is_upper((unsigned char)s[3]) || s[3] == ' ') &&
           s[4] == '-' && (n == 5 || s[5] == ' ');
}

/* ---- storing values -------------------------------------------------------- */

static int out_of_room(ris *r, int rc)
{
    return wn_tagged_out_of_room(r->p, r->span.line, rc, "is an 'ER  - ' line missing?");
}

/* Adds a value; *at (if given) gets its entry position + 1, or 0 when the
 * value was empty and nothing was added. */
static int add(ris *r, wn_field f, const char *tag, const char *v, size_t len, size_t *at)
{
    size_t before = wn_record_size(r->p->rec);
    if (at)
        *at = 0;
    int rc = wn_record_add(r->p->rec, f, tag, v, len);
    if (rc)
        return out_of_room(r, rc);
    if (at)
        *at = wn_record_size(r->p->rec) > before ? before + 1 : 0;
    return 0;
}

static int is_et_al(const char *v, size_t n)
{
    if (n && v[n - 1] == '.')
        n--;
    return n == 5 && starts_nocase(v, n, "et al");
}

/* "R.", "D.G.", "J.-P." or, without dots, at most two capitals ("JA"). */
static int initials_token(const char *t, size_t n)
{
    size_t letters = 0, dots = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)t[i];
        if (is_upper(c))
            letters++;
        else if (c == '.')
            dots++;
        else if (c != '-')
            return 0;
    }
    return letters && letters <= 4 && (dots || letters <= 2);
}

static int has_lower_letter(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'a' && c <= 'z') || c >= 0x80)
            return 1;
    }
    return 0;
}

/* Authors as "Surname, Given": Zotero and EndNote write "Shannon,Claude E.",
 * Embase "Adler D.G.". */
static int store_author(ris *r, const char *tag, const char *v, size_t n)
{
    if (is_et_al(v, n))
        return add(r, WN_F_EXTRA, tag, v, n, NULL);
    const char *comma = memchr(v, ',', n);
    wn_buf_clear(&r->tmp);
    if (comma) {
        int tight = 0;
        for (size_t i = (size_t)(comma - v); i + 1 < n && !tight; i++)
            tight = v[i] == ',' && v[i + 1] != ' ';
        if (!tight)
            return add(r, WN_F_AUTHOR, tag, v, n, NULL);
        for (size_t i = 0; i < n; i++) {
            if (wn_buf_putc(&r->tmp, v[i]) ||
                (v[i] == ',' && i + 1 < n && v[i + 1] != ' ' && wn_buf_putc(&r->tmp, ' ')))
                return out_of_room(r, WN_ENOMEM);
        }
        return add(r, WN_F_AUTHOR, tag, r->tmp.data, r->tmp.len, NULL);
    }
    size_t sp = n;
    while (sp && v[sp - 1] != ' ')
        sp--;
    if (!sp || !initials_token(v + sp, n - sp) || !has_lower_letter(v, sp - 1))
        return add(r, WN_F_AUTHOR, tag, v, n, NULL);
    if (wn_buf_append(&r->tmp, v, sp - 1) || wn_buf_append(&r->tmp, ", ", 2) ||
        wn_buf_append(&r->tmp, v + sp, n - sp))
        return out_of_room(r, WN_ENOMEM);
    return add(r, WN_F_AUTHOR, tag, r->tmp.data, r->tmp.len, NULL);
}

/* A page range in one value: a dash (or an en/em dash) after the first
 * character. */
static int has_range(const char *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        if (v[i] == '-')
            return 1;
        if ((unsigned char)v[i] == 0xE2 && i + 2 < n && (unsigned char)v[i + 1] == 0x80 &&
            (unsigned char)v[i + 2] >= 0x90 && (unsigned char)v[i + 2] <= 0x95)
            return 1;
    }
    return 0;
}

/* Digits of an ISSN/ISBN in s (a trailing X check digit counts), skipping
 * bracketed qualifiers such as "(Print)". */
static size_t serial_digits(const char *s, size_t n)
{
    size_t d = 0;
    int depth = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '(' || c == '[')
            depth++;
        else if ((c == ')' || c == ']') && depth)
            depth--;
        else if (!depth && (is_digit(c) || ((c == 'X' || c == 'x') && d)))
            d++;
    }
    return d;
}

static int store_serial_one(ris *r, const char *tag, const char *v, size_t n, size_t digits)
{
    wn_field f = digits == 8 ? WN_F_ISSN : (digits == 10 || digits == 13) ? WN_F_ISBN : WN_F_EXTRA;
    return add(r, f, tag, v, n, NULL);
}

static size_t token_digits(const char *t, size_t n)
{
    size_t d = 0;
    for (size_t i = 0; i < n; i++)
        d += is_digit((unsigned char)t[i]);
    return d;
}

/* One part of an SN line (between commas or semicolons): one number with its
 * qualifiers, or several separated by spaces ("1234-5678 (Print) 2345-6789"). */
static int store_serial_part(ris *r, const char *tag, const char *v, size_t n)
{
    /* Rayyan writes a JSON list: ["1932-8494", "1932-8486"] */
    while (n && (is_space((unsigned char)*v) || *v == '[' || *v == '"'))
        v++, n--;
    while (n && (is_space((unsigned char)v[n - 1]) || v[n - 1] == ']' || v[n - 1] == '"'))
        n--;
    if (!n)
        return 0;
    size_t total = serial_digits(v, n);
    if (total == 8 || total == 10 || total == 13)
        return store_serial_one(r, tag, v, n, total);
    /* Several numbers: each starts a group that keeps the words after it;
     * words before the first ("ISSN:") are labels. */
    const char *group = NULL, *group_end = NULL;
    int found = 0;
    size_t i = 0;
    while (i < n) {
        while (i < n && is_space((unsigned char)v[i]))
            i++;
        size_t start = i;
        while (i < n && !is_space((unsigned char)v[i]))
            i++;
        if (i == start)
            break;
        if (token_digits(v + start, i - start) >= 4) {
            if (group) {
                int rc = store_serial_one(r, tag, group, (size_t)(group_end - group),
                                          serial_digits(group, (size_t)(group_end - group)));
                if (rc)
                    return rc;
            }
            group = v + start;
            found = 1;
        }
        if (group)
            group_end = v + i;
    }
    if (!found)
        return add(r, WN_F_EXTRA, tag, v, n, NULL);
    return store_serial_one(r, tag, group, (size_t)(group_end - group),
                            serial_digits(group, (size_t)(group_end - group)));
}

static int store_serial(ris *r, const char *tag, const char *v, size_t n)
{
    size_t start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || v[i] == ';' || v[i] == ',') {
            int rc = store_serial_part(r, tag, v + start, i - start);
            if (rc)
                return rc;
            start = i + 1;
        }
    }
    return 0;
}

static int url_start(const char *s, size_t n)
{
    return starts_nocase(s, n, "http://") || starts_nocase(s, n, "https://") ||
           starts_nocase(s, n, "ftp://") || starts_nocase(s, n, "www.") ||
           starts_nocase(s, n, "file:") || starts_nocase(s, n, "internal-pdf:");
}

/* Several URLs on one line, split at white space, or at a semicolon that
 * starts another URL (a semicolon inside a URL stays). */
static int store_urls(ris *r, wn_field f, const char *tag, const char *v, size_t n)
{
    size_t i = 0;
    while (i < n) {
        while (i < n && (is_space((unsigned char)v[i]) || v[i] == ';'))
            i++;
        size_t start = i;
        while (i < n && !is_space((unsigned char)v[i])) {
            if (v[i] == ';') {
                size_t k = i + 1;
                while (k < n && v[k] == ' ')
                    k++;
                if (url_start(v + k, n - k))
                    break;
            }
            i++;
        }
        if (i > start) {
            int rc = add(r, f, tag, v + start, i - start, NULL);
            if (rc)
                return rc;
        }
    }
    return 0;
}

enum id_kind { ID_OTHER, ID_DIGITS, ID_PMID, ID_PMCID };

/* Recognizes a value that is only a PubMed id: "PMID: 123", "123[pmid]",
 * "PMC123" (PMCID), or bare digits (a PMID only where the database says). */
static int id_kind(const char *v, size_t n)
{
    int labelled = 0;
    if (starts_nocase(v, n, "pmcid:"))
        v += 6, n -= 6, labelled = 2;
    while (n && wn_tagged_is_blank((unsigned char)*v))
        v++, n--;
    if (n > 3 && starts_nocase(v, n, "pmc") && all_digits(v + 3, n - 3))
        return ID_PMCID;
    if (labelled)
        return ID_OTHER;
    if (starts_nocase(v, n, "pmid")) {
        v += 4, n -= 4;
        if (n && v[0] == ':')
            v++, n--;
        while (n && wn_tagged_is_blank((unsigned char)*v))
            v++, n--;
        labelled = 1;
    }
    size_t d = 0;
    while (d < n && is_digit((unsigned char)v[d]))
        d++;
    if (!d || d > 10)
        return ID_OTHER;
    const char *rest = v + d;
    size_t rn = n - d;
    while (rn && wn_tagged_is_blank((unsigned char)*rest))
        rest++, rn--;
    if (rn) {
        if (!starts_nocase(rest, rn, "[pmid]") && !starts_nocase(rest, rn, "[pubmed]"))
            return ID_OTHER;
        size_t label = rest[2] == 'm' || rest[2] == 'M' ? 6 : 8;
        if (rn != label)
            return ID_OTHER;
        labelled = 1;
    }
    return labelled ? ID_PMID : ID_DIGITS;
}

/* PMID or PMCID when the value clearly is one; else an extra. */
static int store_maybe_id(ris *r, const char *tag, const char *v, size_t n, size_t *at,
                          int *digits)
{
    int kind = id_kind(v, n);
    *digits = kind == ID_DIGITS;
    if (kind == ID_PMID) {
        r->have_pmid = 1;
        *at = 0;
        return add(r, WN_F_PMID, tag, v, n, NULL);
    }
    if (kind == ID_PMCID) {
        *at = 0;
        return add(r, WN_F_PMCID, tag, v, n, NULL);
    }
    return add(r, WN_F_EXTRA, tag, v, n, at);
}

static int is_whole_book(const char *type)
{
    return !strcmp(type, "BOOK") || !strcmp(type, "EBOOK") || !strcmp(type, "EDBOOK") ||
           !strcmp(type, "SER");
}

/* Journal names: remembers where the first one from JF/JO (*first_at is
 * &r->jf_at) or from T2/BT (&r->t2_at) went, for the choices settled when
 * the record ends. */
static int store_journal(ris *r, wn_field f, const char *tag, const char *v, size_t n,
                         size_t *first_at)
{
    size_t at;
    int rc = add(r, f, tag, v, n, &at);
    if (!rc && at && f == WN_F_JOURNAL && first_at && !*first_at)
        *first_at = at;
    if (!rc && at && f == WN_F_JOURNAL_ABBR)
        r->abbr_at = at;
    return rc;
}

static int store(ris *r, int ix, const char *v, size_t n)
{
    const ris_tag *t = tag_table[ix].known ? &tag_table[ix] : &unknown_tag;
    char tag[5];
    tag_name(ix, tag);
    wn_field f = (wn_field)t->field;
    size_t at = 0;
    int rc;
    switch ((enum how)t->how) {
    case HOW_TYPE:
        if (!r->type[0]) {
            size_t k = 0;
            for (; k < n && k + 1 < sizeof r->type; k++)
                r->type[k] = (char)upper((unsigned char)v[k]);
            r->type[k] = '\0';
            r->whole_book = is_whole_book(r->type);
        }
        return add(r, f, tag, v, n, NULL);
    case HOW_AUTHOR:
        return store_author(r, tag, v, n);
    case HOW_SECONDARY:
        if (r->whole_book)
            return add(r, WN_F_EXTRA, tag, v, n, NULL);
        return store_journal(r, WN_F_JOURNAL, tag, v, n, &r->t2_at);
    case HOW_BOOK_TITLE:
        if (r->whole_book)
            return add(r, WN_F_TITLE, tag, v, n, NULL);
        return store_journal(r, WN_F_JOURNAL, tag, v, n, &r->t2_at);
    case HOW_JO:
        /* After a different JF it is the abbreviation (Embase, Ovid). */
        if (r->jf_at && !r->abbr_at) {
            wn_field_value jf = wn_record_at(r->p->rec, r->jf_at - 1);
            if (jf.len != n || memcmp(jf.value, v, n) != 0)
                return store_journal(r, WN_F_JOURNAL_ABBR, tag, v, n, NULL);
        }
        return store_journal(r, WN_F_JOURNAL, tag, v, n, &r->jf_at);
    case HOW_PLAIN:
        if (f == WN_F_JOURNAL || f == WN_F_JOURNAL_ABBR)
            return store_journal(r, f, tag, v, n, &r->jf_at);
        if (f == WN_F_SOURCE_ID && n)
            r->have_id = 1;
        if (f == WN_F_PMID && n)
            r->have_pmid = 1;
        return add(r, f, tag, v, n, NULL);
    case HOW_START_PAGE:
        return add(r, has_range(v, n) ? WN_F_PAGES : WN_F_START_PAGE, tag, v, n, NULL);
    case HOW_SERIAL:
        return store_serial(r, tag, v, n);
    case HOW_URL:
        return store_urls(r, f, tag, v, n);
    case HOW_LINK_OR_DOI:
        if (starts_nocase(v, n, "10."))
            return add(r, WN_F_DOI, tag, v, n, NULL);
        return store_urls(r, f, tag, v, n);
    case HOW_WORK_TYPE:
        if (contains_nocase(v, n, "doi") || starts_nocase(v, n, "10."))
            return add(r, contains_nocase(v, n, "10.") ? WN_F_DOI : WN_F_EXTRA, tag, v, n, NULL);
        return add(r, f, tag, v, n, NULL);
    case HOW_ISSUE_CP: {
        int digit = 0;
        for (size_t i = 0; i < n; i++)
            digit |= is_digit((unsigned char)v[i]);
        return add(r, digit && n <= 12 ? WN_F_ISSUE : WN_F_EXTRA, tag, v, n, NULL);
    }
    case HOW_ACCESSION: {
        int digits;
        if (starts_nocase(v, n, "rayyan-"))
            r->embedded_tags = 1;
        rc = store_maybe_id(r, tag, v, n, &at, &digits);
        if (!rc && at && !r->an_at)
            r->an_at = at, r->an_digits = digits;
        return rc;
    }
    case HOW_CUSTOM: {
        int digits;
        rc = store_maybe_id(r, tag, v, n, &at, &digits);
        if (!rc && at && digits && ix == TAG_INDEX('C', '2') && !r->c2_at)
            r->c2_at = at, r->c2_digits = 1;
        if (!rc && at && digits && ix == TAG_INDEX('C', '5') && !r->c5_at)
            r->c5_at = at, r->c5_digits = 1;
        return rc;
    }
    case HOW_DATABASE:
        if (contains_nocase(v, n, "pubmed") || contains_nocase(v, n, "medline") ||
            (n == 3 && starts_nocase(v, n, "nlm")))
            r->databases |= DB_PUBMED;
        if (contains_nocase(v, n, "scopus"))
            r->databases |= DB_SCOPUS;
        if (contains_nocase(v, n, "embase"))
            r->databases |= DB_EMBASE;
        return add(r, f, tag, v, n, NULL);
    case HOW_ABSTRACT:
        rc = add(r, f, tag, v, n, &at);
        if (!rc && at && !r->ab_at)
            r->ab_at = at;
        return rc;
    case HOW_N2:
        rc = add(r, f, tag, v, n, &at);
        if (!rc && at && !r->n2_at)
            r->n2_at = at;
        return rc;
    case HOW_END:
        return add(r, WN_F_EXTRA, tag, v, n, NULL);
    }
    return add(r, f, tag, v, n, NULL);
}

/* ---- pending value and continuation lines --------------------------------- */

static int store_pending(void *reader, int ix, const char *v, size_t n)
{
    return store(reader, ix, v, n);
}

static int flush(ris *r)
{
    return wn_pending_flush(&r->pend, &r->p->scratch, store_pending, r);
}

static int continue_value(ris *r, const char *s, size_t n)
{
    if (r->pend.tag < 0)
        return 0;
    trim(&s, &n);
    const ris_tag *t = tag_table[r->pend.tag].known ? &tag_table[r->pend.tag] : &unknown_tag;
    return out_of_room(r, wn_pending_continue(&r->pend, &r->p->scratch, (wn_join)t->join, s, n,
                                              store_pending, r));
}

/* Rayyan exports join some fields into one line with a run of spaces:
 * "DO  - 10.1/x     LK  - https://...". Stores each joined value but the
 * last, which is left in *ix, *v, *n to be continued like any value. */
static int split_embedded(ris *r, int *ix, const char **v, size_t *n)
{
    const char *s = *v;
    size_t len = *n;
    for (size_t i = 4; i + 1 < len; i++) {
        if (s[i] != '-' || s[i - 1] != ' ' || s[i - 2] != ' ' || s[i + 1] != ' ')
            continue;
        /* "  XX  - " with the tag at i-4, i-3 and white space before it */
        if (i < 6 || s[i - 5] != ' ' || s[i - 6] != ' ' || !is_upper((unsigned char)s[i - 4]) ||
            !(is_upper((unsigned char)s[i - 3]) || is_digit((unsigned char)s[i - 3])))
            continue;
        const char *head = s;
        size_t head_len = i - 4;
        trim(&head, &head_len);
        int rc = store(r, *ix, head, head_len);
        if (rc)
            return rc;
        *ix = TAG_INDEX(s[i - 4], s[i - 3]);
        s += i + 2;
        len -= i + 2;
        trim(&s, &len);
        i = 3;
    }
    *v = s;
    *n = len;
    return 0;
}

/* ---- records ------------------------------------------------------------- */

static void begin_record(ris *r, size_t line, size_t offset, size_t end)
{
    r->in_record = 1;
    r->seen_ty = 1;
    wn_tagged_begin(&r->span, &r->pend, line, offset, end);
    r->type[0] = '\0';
    r->whole_book = 0;
    r->databases = 0;
    r->have_pmid = r->have_id = 0;
    r->jf_at = r->t2_at = r->abbr_at = r->ab_at = r->n2_at = r->an_at = r->c2_at = r->c5_at = 0;
    r->an_digits = r->c2_digits = r->c5_digits = 0;
    r->embedded_tags = 0;
}

/* Decisions that need the whole record: which abstract, which ids. */
static int settle_record(ris *r)
{
    wn_record *rec = r->p->rec;
    int rc = 0;
    /* AB is the abstract; N2 only when AB is missing. */
    if (r->n2_at && r->ab_at && r->n2_at < r->ab_at)
        rc = wn_record_retag_at(rec, r->n2_at - 1, WN_F_EXTRA, "N2");
    /* JF/JO name the journal where T2 may be something else (EBSCO puts a
     * translated title there). */
    if (!rc && r->t2_at && r->jf_at && r->t2_at < r->jf_at) {
        wn_field_value t2 = wn_record_at(rec, r->t2_at - 1);
        rc = wn_record_retag_at(rec, r->t2_at - 1, WN_F_EXTRA, t2.tag);
    }
    if (!rc && !r->have_pmid) {
        if (r->c2_at && r->c2_digits && (r->databases & DB_SCOPUS)) {
            rc = wn_record_retag_at(rec, r->c2_at - 1, WN_F_PMID, "C2");
        } else if (r->c5_at && r->c5_digits && (r->databases & (DB_EMBASE | DB_PUBMED))) {
            rc = wn_record_retag_at(rec, r->c5_at - 1, WN_F_PMID, "C5");
        } else if (r->an_at && r->an_digits && (r->databases & DB_PUBMED)) {
            wn_field_value an = wn_record_at(rec, r->an_at - 1);
            /* The value lives in the record's arena, which add may move:
             * the record copes with that (see wn_record_add). */
            rc = wn_record_add(rec, WN_F_PMID, "AN", an.value, an.len);
        }
    }
    if (!rc && !r->have_id && r->an_at)
        rc = wn_record_retag_at(rec, r->an_at - 1, WN_F_SOURCE_ID, "AN");
    return rc ? out_of_room(r, rc) : 0;
}

static int end_record(ris *r)
{
    int rc = flush(r);
    if (!rc)
        rc = settle_record(r);
    if (rc)
        return rc;
    r->in_record = 0;
    return wn_tagged_emit(r->p, &r->span);
}

/* ---- lines outside records ------------------------------------------------ */

static void note_stray(ris *r, size_t line, const char *s, size_t n, int is_tag)
{
    if (!r->stray_count) {
        r->stray_line = line;
        r->stray_text = s;
        r->stray_text_len = n;
    }
    r->stray_count++;
    if (is_tag && !r->stray_tag_line)
        r->stray_tag_line = line;
}

static void report_stray(ris *r)
{
    if (!r->stray_count)
        return;
    int shown = r->stray_text_len > 40 ? 40 : (int)r->stray_text_len;
    /* Do not cut a UTF-8 sequence in the quote. */
    while (shown > 0 && shown < (int)r->stray_text_len &&
           ((unsigned char)r->stray_text[shown] & 0xC0) == 0x80)
        shown--;
    wn_parser_warn(r->p, r->stray_line,
                   "ignored %zu line%s outside a record, starting '%.*s%s' (a record runs "
                   "from 'TY  - ' to 'ER  - ')",
                   r->stray_count, r->stray_count == 1 ? "" : "s", shown, r->stray_text,
                   (size_t)shown < r->stray_text_len ? "..." : "");
    r->stray_count = 0;
}

/* ---- the reader ------------------------------------------------------------ */

static int parse_lines(ris *r)
{
    wn_parser *p = r->p;
    wn_lines it;
    wn_lines_init(&it, p->text, p->len);
    const char *s;
    size_t n, off;
    int rc;
    while (wn_tagged_next_line(&it, &s, &n, &off)) {
        int ix;
        const char *v;
        size_t vn;
        if (tag_line(s, n, &ix, &v, &vn)) {
            if (ix == TAG_TY) {
                if (r->in_record) {
                    wn_parser_warn(p, it.lineno,
                                   "record started at line %zu has no 'ER  - ' line; it ends "
                                   "where the next 'TY  - ' begins",
                                   r->span.line);
                    if ((rc = end_record(r)))
                        return rc;
                }
                report_stray(r);
                begin_record(r, it.lineno, off, it.pos);
                wn_pending_set(&r->pend, ix, v, vn);
            } else if (!r->in_record) {
                note_stray(r, it.lineno, s, n, 1);
            } else if (ix == TAG_ER) {
                if ((rc = flush(r)))
                    return rc;
                wn_pending_set(&r->pend, ix, v, vn);
                r->span.end = it.pos;
                if ((rc = end_record(r)))
                    return rc;
            } else {
                if ((rc = flush(r)))
                    return rc;
                if (r->embedded_tags && (rc = split_embedded(r, &ix, &v, &vn)))
                    return rc;
                wn_pending_set(&r->pend, ix, v, vn);
                r->span.end = it.pos;
            }
        } else if (wn_tagged_all_blank(s, n)) {
            continue;
        } else if (r->in_record) {
            if ((rc = continue_value(r, s, n)))
                return rc;
            r->span.end = it.pos;
        } else {
            note_stray(r, it.lineno, s, n, 0);
        }
    }
    if (r->in_record) {
        wn_parser_warn(p, it.lineno,
                       "record started at line %zu has no 'ER  - ' line at the end of the "
                       "file; kept it",
                       r->span.line);
        if ((rc = end_record(r)))
            return rc;
    }
    if (!r->seen_ty) {
        if (r->stray_tag_line)
            return wn_parser_fail(p, r->stray_tag_line,
                                  "tag line outside a record and no 'TY  - ' line in the "
                                  "file; a RIS record starts with 'TY  - <type>'");
        return wn_parser_fail(p, r->stray_line,
                              "no RIS records found (expected a line 'TY  - <type>')");
    }
    report_stray(r);
    return 0;
}

static int parse(wn_parser *p)
{
    ris r;
    memset(&r, 0, sizeof r);
    r.p = p;
    r.pend.tag = -1;
    r.tmp.limit = WN_RECORD_MAX;
    int rc = parse_lines(&r);
    wn_buf_free(&r.tmp);
    return rc;
}

/* ---- detection ------------------------------------------------------------- */

static int sniff(const char *text, size_t len)
{
    wn_lines it;
    wn_lines_init(&it, text, len);
    const char *s;
    size_t n;
    size_t nonblank = 0, tags = 0, bounds = 0, medline = 0;
    while (wn_tagged_next_filled(&it, &s, &n)) {
        nonblank++;
        int ix;
        const char *v;
        size_t vn;
        if (tag_line(s, n, &ix, &v, &vn)) {
            tags++;
            bounds += ix == TAG_TY || ix == TAG_ER;
        } else if (medline_tag_line(s, n)) {
            medline++;
        }
    }
    /* MEDLINE shares "AU  - " and "TI  - " with RIS but has four-letter tags
     * on almost every record and never TY or ER. */
    if (!tags || medline * 10 > tags)
        return 0;
    if (bounds)
        return (int)(50 + 50 * tags / nonblank);
    /* A window inside one long record: weak, but not "not RIS". */
    return tags >= 5 && tags * 5 >= nonblank * 4 ? 15 : 0;
}

const wn_format wn_format_ris = {"ris", "RIS", sniff, parse};

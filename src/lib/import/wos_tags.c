/* The Web of Science field tags and how their values reach a record; used by
 * both the plain-text and the tab-delimited reader. */
#include <string.h>

#include "import/wos_tags.h"

/* Tags are [A-Z][A-Z0-9]: index them directly. */
#define TAG_INDEX(a, b) (((a) - 'A') * 36 + ((b) >= 'A' ? (b) - 'A' + 10 : (b) - '0'))
#define N_TAGS (26 * 36)

typedef struct wos_tag {
    unsigned char known;
    unsigned char field;
    unsigned char split;
} wos_tag;

#define T(a, b, f, s) [TAG_INDEX(a, b)] = {1, f, s}

static const wos_tag tag_table[N_TAGS] = {
    T('P', 'T', WN_F_TYPE_RAW, WOS_TEXT), /* J journal, B book, S series, P patent */
    /* people: AU/AF are settled per record; book authors and editors stay
     * extras, one per name */
    T('A', 'U', WN_F_AUTHOR, WOS_ITEMS),
    T('A', 'F', WN_F_AUTHOR, WOS_ITEMS),
    T('C', 'A', WN_F_AUTHOR, WOS_ITEMS), /* group authors, as written */
    T('B', 'A', WN_F_EXTRA, WOS_ITEMS),
    T('B', 'F', WN_F_EXTRA, WOS_ITEMS),
    T('B', 'E', WN_F_EXTRA, WOS_ITEMS),
    T('G', 'P', WN_F_EXTRA, WOS_ITEMS),
    /* titles and the source */
    T('T', 'I', WN_F_TITLE, WOS_TEXT),
    T('S', 'O', WN_F_JOURNAL, WOS_TEXT),
    T('J', 'I', WN_F_JOURNAL_ABBR, WOS_TEXT),
    T('J', '9', WN_F_EXTRA, WOS_TEXT), /* the abbreviation when there is no JI */
    T('S', 'E', WN_F_EXTRA, WOS_TEXT),
    T('B', 'S', WN_F_EXTRA, WOS_TEXT),
    T('P', 'U', WN_F_PUBLISHER, WOS_TEXT),
    /* where and when */
    T('P', 'Y', WN_F_YEAR, WOS_TEXT),
    T('P', 'D', WN_F_DATE, WOS_TEXT),
    T('V', 'L', WN_F_VOLUME, WOS_TEXT),
    T('I', 'S', WN_F_ISSUE, WOS_TEXT),
    T('B', 'P', WN_F_START_PAGE, WOS_TEXT),
    T('E', 'P', WN_F_END_PAGE, WOS_TEXT),
    T('A', 'R', WN_F_EXTRA, WOS_TEXT), /* the pages when there is no BP */
    /* identifiers */
    T('D', 'I', WN_F_DOI, WOS_TEXT),
    T('D', 'L', WN_F_URL, WOS_TEXT),
    T('P', 'M', WN_F_PMID, WOS_TEXT),
    T('S', 'N', WN_F_ISSN, WOS_TEXT),
    T('E', 'I', WN_F_ISSN, WOS_TEXT),
    T('B', 'N', WN_F_ISBN, WOS_TEXT),
    T('U', 'T', WN_F_SOURCE_ID, WOS_TEXT),
    /* content */
    T('L', 'A', WN_F_LANGUAGE, WOS_TEXT),
    T('D', 'T', WN_F_PUBTYPE, WOS_SEMI),
    T('D', 'E', WN_F_KEYWORD, WOS_SEMI),
    T('I', 'D', WN_F_KEYWORD, WOS_SEMI),
    T('A', 'B', WN_F_ABSTRACT, WOS_TEXT),
    /* kept as extras; the lists one per line or item */
    T('C', 'R', WN_F_EXTRA, WOS_ITEMS), /* cited references */
    T('C', '1', WN_F_EXTRA, WOS_ITEMS), /* addresses */
    T('C', '3', WN_F_EXTRA, WOS_TEXT),
    T('R', 'P', WN_F_EXTRA, WOS_TEXT),
    T('E', 'M', WN_F_EXTRA, WOS_TEXT),
    T('R', 'I', WN_F_EXTRA, WOS_TEXT),
    T('O', 'I', WN_F_EXTRA, WOS_TEXT),
    T('F', 'U', WN_F_EXTRA, WOS_TEXT),
    T('F', 'P', WN_F_EXTRA, WOS_TEXT),
    T('F', 'X', WN_F_EXTRA, WOS_TEXT),
    T('N', 'R', WN_F_EXTRA, WOS_TEXT),
    T('T', 'C', WN_F_EXTRA, WOS_TEXT),
    T('Z', '9', WN_F_EXTRA, WOS_TEXT),
    T('U', '1', WN_F_EXTRA, WOS_TEXT),
    T('U', '2', WN_F_EXTRA, WOS_TEXT),
    T('P', 'I', WN_F_EXTRA, WOS_TEXT),
    T('P', 'A', WN_F_EXTRA, WOS_TEXT),
    T('P', 'G', WN_F_EXTRA, WOS_TEXT),
    T('P', 'N', WN_F_EXTRA, WOS_TEXT),
    T('S', 'U', WN_F_EXTRA, WOS_TEXT),
    T('S', 'I', WN_F_EXTRA, WOS_TEXT),
    T('M', 'A', WN_F_EXTRA, WOS_TEXT),
    T('D', '2', WN_F_EXTRA, WOS_TEXT),
    T('E', 'A', WN_F_EXTRA, WOS_TEXT),
    T('W', 'C', WN_F_EXTRA, WOS_TEXT),
    T('W', 'E', WN_F_EXTRA, WOS_TEXT),
    T('S', 'C', WN_F_EXTRA, WOS_TEXT),
    T('G', 'A', WN_F_EXTRA, WOS_TEXT),
    T('O', 'A', WN_F_EXTRA, WOS_TEXT),
    T('H', 'C', WN_F_EXTRA, WOS_TEXT),
    T('H', 'P', WN_F_EXTRA, WOS_TEXT),
    T('D', 'A', WN_F_EXTRA, WOS_TEXT),
    T('C', 'T', WN_F_EXTRA, WOS_TEXT),
    T('C', 'Y', WN_F_EXTRA, WOS_TEXT),
    T('C', 'L', WN_F_EXTRA, WOS_TEXT),
    T('S', 'P', WN_F_EXTRA, WOS_TEXT),
    T('H', 'O', WN_F_EXTRA, WOS_TEXT),
};

static int is_upper(unsigned char c) { return c >= 'A' && c <= 'Z'; }
static int is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

int wos_tag_index(const char *s, size_t n)
{
    if (n < 2 || !is_upper((unsigned char)s[0]) ||
        !(is_upper((unsigned char)s[1]) || is_digit((unsigned char)s[1])))
        return -1;
    return TAG_INDEX(s[0], s[1]);
}

void wos_tag_name(int ix, char out[3])
{
    int second = ix % 36;
    out[0] = (char)('A' + ix / 36);
    out[1] = (char)(second < 10 ? '0' + second : 'A' + second - 10);
    out[2] = '\0';
}

int wos_tag_known(int ix) { return ix >= 0 && ix < N_TAGS && tag_table[ix].known; }

wos_split wos_tag_split(int ix)
{
    return wos_tag_known(ix) ? (wos_split)tag_table[ix].split : WOS_TEXT;
}

/* "[Anonymous]" is how Web of Science says a work has no author. */
static int is_anonymous(const char *v, size_t n)
{
    while (n && (*v == ' ' || *v == '\t'))
        v++, n--;
    while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
        n--;
    return n == 11 && memcmp(v, "[Anonymous]", 11) == 0;
}

static int add_one(wn_record *rec, wn_field f, const char *tag, const char *v, size_t n)
{
    if (f == WN_F_AUTHOR && is_anonymous(v, n))
        f = WN_F_EXTRA;
    return wn_record_add(rec, f, tag, v, n);
}

int wos_add_value(wn_record *rec, int ix, const char *v, size_t n, wos_source from)
{
    char tag[3];
    wos_tag_name(ix, tag);
    wn_field f = wos_tag_known(ix) ? (wn_field)tag_table[ix].field : WN_F_EXTRA;
    wos_split split = wos_tag_split(ix);
    if (split == WOS_TEXT || (split == WOS_ITEMS && from == WOS_FROM_LINE))
        return add_one(rec, f, tag, v, n);
    /* "; " separates items, but not inside the brackets of an address
     * ("[Doe, J; Roe, R] Univ X"). */
    size_t start = 0;
    int depth = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && v[i] == '[') {
            depth++;
        } else if (i < n && v[i] == ']') {
            depth -= depth > 0;
        } else if (i == n || (v[i] == ';' && !depth)) {
            int rc = add_one(rec, f, tag, v + start, i - start);
            if (rc)
                return rc;
            start = i + 1;
        }
    }
    return 0;
}

/* Publication type codes of the PT tag. */
static const char *type_of(const char *code)
{
    static const struct {
        const char *code, *type;
    } types[] = {
        {"J", "article"}, {"B", "book"}, {"S", "book"}, {"P", "patent"}, {"C", "conference"},
    };
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (strcmp(code, types[i].code) == 0)
            return types[i].type;
    return NULL;
}

int wos_settle_record(wn_record *rec)
{
    size_t n = wn_record_size(rec), none = (size_t)-1;
    size_t j9_at = none, ar_at = none;
    int have_af = 0, have_abbr = 0, have_start = 0, have_type = 0;
    const char *code = NULL;
    for (size_t i = 0; i < n; i++) {
        wn_field_value v = wn_record_at(rec, i);
        if (v.field == WN_F_AUTHOR && strcmp(v.tag, "AF") == 0)
            have_af = 1;
        else if (v.field == WN_F_JOURNAL_ABBR)
            have_abbr = 1;
        else if (v.field == WN_F_START_PAGE)
            have_start = 1;
        else if (v.field == WN_F_TYPE)
            have_type = 1;
        else if (v.field == WN_F_TYPE_RAW && !code)
            code = v.value;
        else if (v.field == WN_F_EXTRA && j9_at == none && strcmp(v.tag, "J9") == 0)
            j9_at = i;
        else if (v.field == WN_F_EXTRA && ar_at == none && strcmp(v.tag, "AR") == 0)
            ar_at = i;
    }
    /* code points into the record's arena, which retagging may move: map it
     * to a (static) type first. */
    const char *type = code && !have_type ? type_of(code) : NULL;
    int rc = 0;
    for (size_t i = 0; have_af && i < n && !rc; i++) {
        wn_field_value v = wn_record_at(rec, i);
        if (v.field == WN_F_AUTHOR && strcmp(v.tag, "AU") == 0)
            rc = wn_record_retag_at(rec, i, WN_F_EXTRA, "AU");
    }
    if (!rc && !have_abbr && j9_at != none)
        rc = wn_record_retag_at(rec, j9_at, WN_F_JOURNAL_ABBR, "J9");
    if (!rc && !have_start && ar_at != none) {
        /* "UNSP 1722034": an article number Web of Science marks as
         * unspecified; the pages are the number, the extra keeps the mark. */
        wn_field_value ar = wn_record_at(rec, ar_at);
        if (ar.len > 5 && memcmp(ar.value, "UNSP ", 5) == 0)
            rc = wn_record_add(rec, WN_F_PAGES, "AR", ar.value + 5, ar.len - 5);
        else
            rc = wn_record_retag_at(rec, ar_at, WN_F_PAGES, "AR");
    }
    if (!rc && type)
        rc = wn_record_add(rec, WN_F_TYPE, NULL, type, strlen(type));
    return rc;
}

/* RIS export: "TY  - " first, "ER  - " last, one "XX  - value" line per
 * value, LF line ends, a blank line after each record, UTF-8 without BOM.
 *
 * Fields go under the tags RIS readers know (TI, AU, PY, DA, T2/JF, J2, VL,
 * IS, SP, EP, SN, DO, C2 for a PMCID, LA, KW, M3, UR, PB, AB, ID, and
 * "PMID  - " as PsycINFO writes it). Extras keep their own tag when it is an
 * RIS tag that winnow's RIS reader (src/lib/import/ris.c) takes back as the
 * same extra. What RIS cannot say that way (another format's type code or
 * tags, values with line breaks, values the reader would read differently)
 * is carried in one last note, "N1  - winnow-fields: {...}" (see fields.c),
 * so an export reads back to the same fields. Once one extra has to be
 * carried, the ones after it are too, which keeps the extras in order. */
#include <string.h>
#include <strings.h>

#include "export/export_impl.h"
#include "winnow/normalize.h"

/* ---- what the reader does with each tag ---------------------------------- */

enum back {
    BACK_OTHER = 0,  /* not in the reader's table: an extra, lines joined by LF */
    BACK_LINES,      /* an extra, lines joined by LF */
    BACK_SPACE,      /* an extra, lines joined by a space */
    BACK_SPLIT,      /* an extra, one value per line */
    BACK_FIELD,      /* goes to a field: never used for an extra */
    BACK_CUSTOM,     /* an extra, unless it looks like a PMID or PMCID */
    BACK_ACCESSION,  /* AN: the same, and the source id when there is no ID */
    BACK_DATABASE,   /* DB, DP: an extra that says where PMIDs are */
    BACK_CP,         /* an issue number when short with a digit */
};

static const struct {
    char tag[3];
    unsigned char back;
} reader_tags[] = {
    {"TY", BACK_FIELD}, {"ER", BACK_FIELD}, {"ID", BACK_FIELD}, {"TI", BACK_FIELD},
    {"T1", BACK_FIELD}, {"CT", BACK_FIELD}, {"BT", BACK_FIELD}, {"T2", BACK_FIELD},
    {"JF", BACK_FIELD}, {"JO", BACK_FIELD}, {"JA", BACK_FIELD}, {"J1", BACK_FIELD},
    {"J2", BACK_FIELD}, {"JI", BACK_FIELD}, {"AU", BACK_FIELD}, {"A1", BACK_FIELD},
    {"PY", BACK_FIELD}, {"Y1", BACK_FIELD}, {"DA", BACK_FIELD}, {"VL", BACK_FIELD},
    {"VO", BACK_FIELD}, {"IS", BACK_FIELD}, {"SP", BACK_FIELD}, {"EP", BACK_FIELD},
    {"DO", BACK_FIELD}, {"SN", BACK_FIELD}, {"UR", BACK_FIELD}, {"L1", BACK_FIELD},
    {"L2", BACK_FIELD}, {"LK", BACK_FIELD}, {"L3", BACK_FIELD}, {"AB", BACK_FIELD},
    {"N2", BACK_FIELD}, {"KW", BACK_FIELD}, {"LA", BACK_FIELD}, {"M3", BACK_FIELD},
    {"PB", BACK_FIELD}, {"PU", BACK_FIELD}, {"CP", BACK_CP},    {"AN", BACK_ACCESSION},
    {"DB", BACK_DATABASE}, {"DP", BACK_DATABASE},
    {"C1", BACK_CUSTOM}, {"C2", BACK_CUSTOM}, {"C3", BACK_CUSTOM}, {"C4", BACK_CUSTOM},
    {"C5", BACK_CUSTOM}, {"C6", BACK_CUSTOM}, {"C7", BACK_CUSTOM}, {"C8", BACK_CUSTOM},
    {"M1", BACK_CUSTOM}, {"M2", BACK_CUSTOM}, {"U1", BACK_CUSTOM}, {"U2", BACK_CUSTOM},
    {"U3", BACK_CUSTOM}, {"U4", BACK_CUSTOM}, {"U5", BACK_CUSTOM},
    {"N1", BACK_LINES}, {"RN", BACK_LINES}, {"FU", BACK_LINES}, {"FX", BACK_LINES},
    {"A2", BACK_SPLIT}, {"A3", BACK_SPLIT}, {"A4", BACK_SPLIT}, {"ED", BACK_SPLIT},
    {"TA", BACK_SPLIT}, {"AD", BACK_SPLIT}, {"L4", BACK_SPLIT},
    {"T3", BACK_SPACE}, {"ST", BACK_SPACE}, {"TT", BACK_SPACE}, {"OP", BACK_SPACE},
    {"J9", BACK_SPACE}, {"Y2", BACK_SPACE}, {"ET", BACK_SPACE}, {"CN", BACK_SPACE},
    {"CY", BACK_SPACE}, {"PI", BACK_SPACE}, {"PA", BACK_SPACE}, {"NV", BACK_SPACE},
    {"SE", BACK_SPACE}, {"RP", BACK_SPACE}, {"AV", BACK_SPACE}, {"CA", BACK_SPACE},
    {"LB", BACK_SPACE}, {"WE", BACK_SPACE},
};

static int is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* How the reader takes a tag back; -1 for a tag that is no RIS tag. */
static int tag_back(const char *tag)
{
    if (!is_upper(tag[0]) || !(is_upper(tag[1]) || is_digit(tag[1])) || tag[2])
        return -1;
    for (size_t i = 0; i < sizeof reader_tags / sizeof reader_tags[0]; i++)
        if (memcmp(reader_tags[i].tag, tag, 2) == 0)
            return reader_tags[i].back;
    return BACK_OTHER;
}

/* ---- types ------------------------------------------------------------- */

static const char *const ris_types[] = {
    "ABST", "ADVS", "AGGR", "ANCIENT", "ART", "BILL", "BLOG", "BOOK", "CASE", "CHAP",
    "CHART", "CLSWK", "COMP", "CONF", "CPAPER", "CTLG", "DATA", "DBASE", "DICT", "EBOOK",
    "ECHAP", "EDBOOK", "EJOUR", "ELEC", "ENCYC", "EQUA", "FIGURE", "GEN", "GOVDOC", "GRANT",
    "HEAR", "ICOMM", "INPR", "JFULL", "JOUR", "LEGAL", "MANSCPT", "MAP", "MGZN", "MPCT",
    "MULTI", "MUSIC", "NEWS", "PAMP", "PAT", "PCOMM", "RPRT", "SER", "SLIDE", "SOUND",
    "STAND", "STAT", "THES", "UNBILL", "UNPB", "VIDEO", "WEB", NULL,
};

static const struct {
    const char *type;
    const char *code;
} type_codes[] = {
    {"article", "JOUR"},    {"book", "BOOK"},         {"chapter", "CHAP"},
    {"conference", "CPAPER"}, {"thesis", "THES"},     {"report", "RPRT"},
    {"web", "ELEC"},        {"dataset", "DATA"},      {"patent", "PAT"},
    {"magazine", "MGZN"},   {"newspaper", "NEWS"},    {"standard", "STAND"},
    {"legal", "CASE"},      {"preprint", "UNPB"},     {"abstract", "ABST"},
    {"unpublished", "UNPB"}, {"generic", "GEN"},
};

/* TY: the record's own code when it is an RIS type, else one for its
 * normalized type. */
static const char *ty_code(const wn_record *rec)
{
    const char *raw = wn_record_first(rec, WN_F_TYPE_RAW);
    for (size_t i = 0; raw && ris_types[i]; i++)
        if (strcmp(raw, ris_types[i]) == 0)
            return ris_types[i];
    const char *t = wn_record_first(rec, WN_F_TYPE);
    if (!t && raw)
        t = wn_type_from_code(raw);
    for (size_t i = 0; t && i < sizeof type_codes / sizeof type_codes[0]; i++)
        if (strcmp(t, type_codes[i].type) == 0)
            return type_codes[i].code;
    return "GEN";
}

/* Types whose T2 the reader takes for a series, not the journal. */
static int whole_book(const char *code)
{
    return !strcmp(code, "BOOK") || !strcmp(code, "EBOOK") || !strcmp(code, "EDBOOK") ||
           !strcmp(code, "SER");
}

/* Does f hold exactly the one value v (or nothing, for v NULL)? */
static int holds(const wn_record *rec, wn_field f, const char *v)
{
    size_t n = wn_record_count(rec, f);
    if (!v)
        return n == 0;
    return n == 1 && strcmp(wn_record_first(rec, f), v) == 0;
}

/* ---- values the reader reads back as written ------------------------------ */

static int one_line(const char *v, size_t len)
{
    return !memchr(v, '\n', len) && !memchr(v, '\r', len);
}

static int starts_nocase(const char *v, const char *prefix)
{
    return strncasecmp(v, prefix, strlen(prefix)) == 0;
}

/* The reader rewrites "Shannon,Claude", turns "Adler DG" into "Adler, DG"
 * and "et al." into an extra. */
static int author_ok(const char *v, size_t len)
{
    size_t n = len;
    if (n && v[n - 1] == '.')
        n--;
    if (n == 5 && starts_nocase(v, "et al"))
        return 0;
    const char *comma = memchr(v, ',', len);
    if (comma) {
        for (const char *c = comma; c < v + len; c++)
            if (*c == ',' && c + 1 < v + len && c[1] != ' ')
                return 0;
        return 1;
    }
    size_t sp = len;
    while (sp && v[sp - 1] != ' ')
        sp--;
    if (!sp)
        return 1;
    for (size_t i = sp; i < len; i++)
        if (!is_upper(v[i]) && v[i] != '.' && v[i] != '-')
            return 1;
    return 0; /* ends in what could be initials */
}

static int issn_ok(const char *v, size_t len)
{
    if (len != 9 || v[4] != '-')
        return 0;
    for (size_t i = 0; i < 9; i++)
        if (i != 4 && !is_digit(v[i]) && !(i == 8 && v[i] == 'X'))
            return 0;
    return 1;
}

static int isbn_ok(const char *v, size_t len)
{
    if (len != 10 && len != 13)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (!is_digit(v[i]) && !(i == len - 1 && v[i] == 'X'))
            return 0;
    return 1;
}

/* The reader splits URLs at white space and at a ';' that starts another. */
static int url_ok(const char *v, size_t len)
{
    static const char *const starts[] = {"http://", "https://", "ftp://", "www.", "file:",
                                         "internal-pdf:"};
    for (size_t i = 0; i < len; i++) {
        if (v[i] == ' ' || v[i] == '\t' || v[i] == '\f' || v[i] == '\v')
            return 0;
        if (v[i] != ';')
            continue;
        size_t k = i + 1;
        while (k < len && v[k] == ' ')
            k++;
        for (size_t s = 0; s < sizeof starts / sizeof starts[0]; s++)
            if (starts_nocase(v + k, starts[s]))
                return 0;
    }
    return 1;
}

static int pmcid_ok(const char *v, size_t len)
{
    if (len < 4 || strncmp(v, "PMC", 3) != 0)
        return 0;
    for (size_t i = 3; i < len; i++)
        if (!is_digit(v[i]))
            return 0;
    return 1;
}

static int value_ok(wn_field f, const char *v, size_t len)
{
    if (!one_line(v, len))
        return 0;
    switch (f) {
    case WN_F_AUTHOR:
        return author_ok(v, len);
    case WN_F_ISSN:
        return issn_ok(v, len);
    case WN_F_ISBN:
        return isbn_ok(v, len);
    case WN_F_URL:
        return url_ok(v, len);
    case WN_F_PMCID:
        return pmcid_ok(v, len);
    case WN_F_PUBTYPE:
        /* M3 holding a DOI is read as one */
        return !starts_nocase(v, "doi:") && !starts_nocase(v, "10.");
    default:
        return 1;
    }
}

/* Might the reader take the value for a PMID or PMCID? */
static int id_like(const char *v)
{
    return is_digit(v[0]) || starts_nocase(v, "pmc") || starts_nocase(v, "pmid") ||
           strstr(v, "[pmid]") || strstr(v, "[PMID]") || strstr(v, "[pubmed]");
}

/* A continuation line the reader could take for a tag line, or drop. */
static int line_ok(const char *s, size_t n)
{
    if (!n || s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t')
        return 0;
    if (n >= 3 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB &&
        (unsigned char)s[2] == 0xBF)
        return 0;
    if (n >= 3 && is_upper(s[0]) && (is_upper(s[1]) || is_digit(s[1])) &&
        (s[2] == ' ' || s[2] == '\t'))
        return 0;
    if (n >= 5 && memcmp(s, "PMID", 4) == 0 && (s[4] == ' ' || s[4] == '\t'))
        return 0;
    return 1;
}

/* Can an extra go out as its own tag line(s) and come back the same? */
static int extra_ok(const wn_record *rec, const wn_field_value *v)
{
    int back = tag_back(v->tag);
    if (back < 0 || back == BACK_FIELD)
        return 0;
    if (strncmp(v->value, "winnow-fields:", 14) == 0)
        return 0;
    int has_pmid = wn_record_count(rec, WN_F_PMID) > 0;
    if (back == BACK_CUSTOM && id_like(v->value) && !(has_pmid && is_digit(v->value[0])))
        return 0;
    if (back == BACK_ACCESSION &&
        (!wn_record_first(rec, WN_F_SOURCE_ID) ||
         (id_like(v->value) && !(has_pmid && is_digit(v->value[0])))))
        return 0;
    if (back == BACK_CP) {
        int digit = 0;
        for (size_t i = 0; i < v->len; i++)
            digit |= is_digit(v->value[i]);
        if (digit && v->len <= 12)
            return 0;
    }
    if (one_line(v->value, v->len))
        return 1;
    if (back != BACK_OTHER && back != BACK_LINES && back != BACK_CUSTOM)
        return 0;
    if (memchr(v->value, '\r', v->len))
        return 0;
    for (const char *s = v->value, *end = v->value + v->len; s <= end;) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *e = nl ? nl : end;
        if (!line_ok(s, (size_t)(e - s)))
            return 0;
        s = e + 1;
    }
    return 1;
}

/* ---- writing ------------------------------------------------------------------ */

static int put_line(wn_export *x, const char *tag, wn_field f, const char *v, size_t len)
{
    if (wn_buf_puts(&x->out, tag) || wn_buf_puts(&x->out, "  - ") ||
        wn_x_put_value(&x->out, f, v, len) || wn_buf_putc(&x->out, '\n'))
        return WN_ENOMEM;
    return 0;
}

/* Writes every value of f under tag, or carries f when one of them would
 * not come back as written (those are then left out). A single-valued field
 * with several values is carried, with its first value written. */
static int put_field(wn_export *x, wn_x_carry *carry, const wn_record *rec, wn_field f,
                     const char *tag)
{
    int too_many = wn_record_count(rec, f) > 1 && !wn_field_is_list(f) && f != WN_F_DOI;
    int carried = too_many;
    for (size_t i = 0; i < wn_record_size(rec) && !carried; i++) {
        wn_field_value v = wn_record_at(rec, i);
        carried = v.field == f && !value_ok(f, v.value, v.len);
    }
    if (carried && wn_x_carry_field(carry, rec, f))
        return WN_ENOMEM;
    for (size_t i = 0; i < wn_record_size(rec); i++) {
        wn_field_value v = wn_record_at(rec, i);
        if (v.field != f || !value_ok(f, v.value, v.len))
            continue;
        if (put_line(x, tag, f, v.value, v.len))
            return WN_ENOMEM;
        if (too_many)
            break;
    }
    return 0;
}

/* SP/EP: the page range as one SP value; the reader and normalizer split it
 * again. Parts that would come back different are carried. */
static int put_pages(wn_export *x, wn_x_carry *carry, const wn_record *rec)
{
    const char *pages = wn_record_first(rec, WN_F_PAGES);
    const char *end = wn_record_first(rec, WN_F_END_PAGE);
    int rc = 0;
    if (wn_record_count(rec, WN_F_PAGES) > 1 || (pages && !one_line(pages, strlen(pages))) ||
        (end && !one_line(end, strlen(end)))) {
        /* Carried whole: nothing written, nothing derived. */
        if (wn_x_carry_field(carry, rec, WN_F_PAGES) ||
            wn_x_carry_field(carry, rec, WN_F_START_PAGE) ||
            wn_x_carry_field(carry, rec, WN_F_END_PAGE))
            return WN_ENOMEM;
        return 0;
    }
    /* What import makes of it: SP with a dash after its first character is
     * a range, otherwise a start page from which the normalizer rebuilds the
     * range ("SP-EP"). */
    wn_buf first = WN_BUF_INIT, last = WN_BUF_INIT;
    const char *want_pages = NULL, *want_start = NULL, *want_end = NULL;
    if (pages) {
        rc = put_line(x, "SP", WN_F_PAGES, pages, strlen(pages));
        int range = 0;
        for (size_t i = 1; pages[i] && !range; i++)
            range = pages[i] == '-' || ((unsigned char)pages[i] == 0xE2 &&
                                        (unsigned char)pages[i + 1] == 0x80 &&
                                        (unsigned char)pages[i + 2] >= 0x90 &&
                                        (unsigned char)pages[i + 2] <= 0x95);
        want_pages = pages;
        if (!rc && range) {
            rc = wn_pages_split(pages, &first, &last);
            want_start = first.len ? first.data : NULL;
            want_end = last.len ? last.data : NULL;
        } else {
            want_start = pages;
        }
    } else if (end) {
        rc = put_line(x, "EP", WN_F_END_PAGE, end, strlen(end));
        want_end = end;
    }
    if (!rc && !holds(rec, WN_F_PAGES, want_pages))
        rc = wn_x_carry_field(carry, rec, WN_F_PAGES);
    if (!rc && !holds(rec, WN_F_START_PAGE, want_start))
        rc = wn_x_carry_field(carry, rec, WN_F_START_PAGE);
    if (!rc && !holds(rec, WN_F_END_PAGE, want_end))
        rc = wn_x_carry_field(carry, rec, WN_F_END_PAGE);
    wn_buf_free(&first);
    wn_buf_free(&last);
    return rc;
}

static int ris_record(wn_export *x, const wn_record *rec)
{
    int rc = 0;
    wn_x_carry carry;
    wn_x_carry_init(&carry);

    const char *code = ty_code(rec);
    rc = put_line(x, "TY", WN_F_TYPE_RAW, code, strlen(code));
    if (!rc && !holds(rec, WN_F_TYPE_RAW, code))
        rc = wn_x_carry_field(&carry, rec, WN_F_TYPE_RAW);
    if (!rc && !holds(rec, WN_F_TYPE, wn_type_from_code(code)))
        rc = wn_x_carry_field(&carry, rec, WN_F_TYPE);

    static const struct {
        wn_field field;
        const char *tag;
    } order[] = {
        {WN_F_TITLE, "TI"},    {WN_F_AUTHOR, "AU"},       {WN_F_YEAR, "PY"},
        {WN_F_DATE, "DA"},     {WN_F_JOURNAL, NULL},      {WN_F_JOURNAL_ABBR, "J2"},
        {WN_F_VOLUME, "VL"},   {WN_F_ISSUE, "IS"},        {WN_F_PAGES, NULL},
        {WN_F_ISSN, "SN"},     {WN_F_ISBN, "SN"},         {WN_F_DOI, "DO"},
        {WN_F_PMID, "PMID"},   {WN_F_PMCID, "C2"},        {WN_F_LANGUAGE, "LA"},
        {WN_F_KEYWORD, "KW"},  {WN_F_PUBTYPE, "M3"},      {WN_F_URL, "UR"},
        {WN_F_PUBLISHER, "PB"}, {WN_F_ABSTRACT, "AB"},    {WN_F_SOURCE_ID, "ID"},
    };
    for (size_t k = 0; k < sizeof order / sizeof order[0] && !rc; k++) {
        if (order[k].field == WN_F_PAGES)
            rc = put_pages(x, &carry, rec);
        else if (order[k].field == WN_F_JOURNAL)
            rc = put_field(x, &carry, rec, WN_F_JOURNAL, whole_book(code) ? "JF" : "T2");
        else
            rc = put_field(x, &carry, rec, order[k].field, order[k].tag);
    }

    int carrying = 0;
    for (size_t i = 0; i < wn_record_size(rec) && !rc; i++) {
        wn_field_value v = wn_record_at(rec, i);
        if (v.field != WN_F_EXTRA)
            continue;
        carrying = carrying || !extra_ok(rec, &v);
        if (carrying)
            rc = wn_x_carry_extra(&carry, v.tag, v.value, v.len);
        else
            rc = put_line(x, v.tag, WN_F_EXTRA, v.value, v.len);
    }
    if (!rc && !wn_x_carry_empty(&carry)) {
        rc = wn_buf_puts(&x->out, "N1  - ");
        if (!rc)
            rc = wn_x_carry_text(&carry, &x->out);
        if (!rc)
            rc = wn_buf_putc(&x->out, '\n');
    }
    if (!rc)
        rc = wn_buf_puts(&x->out, "ER  - \n\n");
    wn_x_carry_free(&carry);
    return rc;
}

const wn_exporter wn_exporter_ris = {"ris", NULL, ris_record, NULL};

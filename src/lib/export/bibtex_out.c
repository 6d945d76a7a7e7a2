/* BibTeX export: "@type{key,", one "  name = {value}," line per field, "}"
 * and a blank line; LF line ends, UTF-8 (BibLaTeX and biber read it as is).
 *
 * The type is the record's own code when it is a BibTeX type, else one for
 * its normalized type; the key is the source id when it is a plain key,
 * else "winnowN". Authors are joined with " and " as "Surname, Given",
 * group names in braces. Text is escaped so that winnow's LaTeX decoder
 * gives back the original UTF-8 ({ } \ # % & $ _ ~ ^ and the -- `` ''
 * ligatures). Extras become fields named by their tag when the tag is a
 * plain lower-case field name BibTeX readers leave alone. What BibTeX cannot
 * say that way (tags of other formats, values with line breaks or runs of
 * spaces, keywords with commas, publication types ...) is carried in one
 * last field, "winnow = {winnow-fields: {...}}" (see fields.c), so an export
 * reads back through src/lib/import/bibtex.c to the same fields. */
#include <stdio.h>
#include <string.h>

#include "export/export_impl.h"
#include "winnow/normalize.h"

/* ---- types and keys ---------------------------------------------------- */

static const char *const bib_types[] = {
    "article", "book", "booklet", "inbook", "incollection", "inproceedings", "conference",
    "manual", "mastersthesis", "misc", "phdthesis", "proceedings", "techreport",
    "unpublished", "online", "report", "thesis", "dataset", "patent", "electronic", "www",
    "software", "collection", "mvbook", "periodical", "reference", "bookinbook", NULL,
};

static const struct {
    const char *type;
    const char *bib;
} type_names[] = {
    {"article", "article"},     {"book", "book"},          {"chapter", "incollection"},
    {"conference", "inproceedings"}, {"thesis", "phdthesis"}, {"report", "techreport"},
    {"web", "online"},          {"dataset", "dataset"},    {"patent", "patent"},
    {"magazine", "article"},    {"newspaper", "article"},  {"preprint", "unpublished"},
    {"unpublished", "unpublished"}, {"generic", "misc"},
};

static const char *entry_type(const wn_record *rec)
{
    const char *raw = wn_record_first(rec, WN_F_TYPE_RAW);
    for (size_t i = 0; raw && bib_types[i]; i++)
        if (strcmp(raw, bib_types[i]) == 0)
            return bib_types[i];
    const char *t = wn_record_first(rec, WN_F_TYPE);
    if (!t && raw)
        t = wn_type_from_code(raw);
    for (size_t i = 0; t && i < sizeof type_names / sizeof type_names[0]; i++)
        if (strcmp(t, type_names[i].type) == 0)
            return type_names[i].bib;
    return "misc";
}

/* Entries whose booktitle the reader takes for the journal field. */
static int in_collection(const char *type)
{
    return !strcmp(type, "inproceedings") || !strcmp(type, "incollection") ||
           !strcmp(type, "conference");
}

static int key_ok(const char *k)
{
    if (!*k)
        return 0;
    for (const char *c = k; *c; c++) {
        int ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                 (*c >= '0' && *c <= '9') || strchr("_:.+/-", *c);
        if (!ok)
            return 0;
    }
    return 1;
}

/* Does f hold exactly the one value v (or nothing, for v NULL)? */
static int holds(const wn_record *rec, wn_field f, const char *v)
{
    size_t n = wn_record_count(rec, f);
    if (!v)
        return n == 0;
    return n == 1 && strcmp(wn_record_first(rec, f), v) == 0;
}

/* ---- escaping ------------------------------------------------------------ */

/* Only single spaces survive the reader: it folds every other run of white
 * space. */
static int plain_spacing(const char *v, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        char c = v[i];
        if (c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\v')
            return 0;
        if (c == ' ' && (i == 0 || i + 1 == len || v[i + 1] == ' '))
            return 0;
    }
    return 1;
}

/* Appends text so that the LaTeX decoder gives it back unchanged. */
static int put_latex(wn_buf *out, const char *s, size_t len)
{
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        const char *esc = NULL;
        char two[3] = {'\\', c, 0};
        switch (c) {
        case '\\': esc = "\\textbackslash{}"; break;
        case '~': esc = "\\textasciitilde{}"; break;
        case '^': esc = "\\textasciicircum{}"; break;
        case '{': case '}': case '$': case '&': case '%': case '#': case '_':
            esc = two;
            break;
        case '-': case '`': case '\'':
            /* "--", "``" and "''" are ligatures: break them with {}. */
            if (i + 1 < len && s[i + 1] == c) {
                two[0] = c, two[1] = '{';
                if (wn_buf_append(out, s + run, i - run) || wn_buf_append(out, two, 2) ||
                    wn_buf_putc(out, '}'))
                    return WN_ENOMEM;
                run = i + 1;
            }
            continue;
        default:
            continue;
        }
        if (wn_buf_append(out, s + run, i - run) || wn_buf_puts(out, esc))
            return WN_ENOMEM;
        run = i + 1;
    }
    return wn_buf_append(out, s + run, len - run);
}

/* Verbatim fields (doi, url, pages, file): the reader only drops braces,
 * unescapes \_ \% \& \# \$ \~ \{ \} and folds white space. Sets
 * *unwritable when v cannot be written so (a backslash before one of
 * those). */
static int put_verbatim(wn_buf *out, const char *v, size_t len, int *unwritable)
{
    *unwritable = 0;
    for (size_t i = 0; i < len; i++) {
        char c = v[i];
        if (c == '\\' && i + 1 < len && strchr("_%&#$~{}", v[i + 1])) {
            *unwritable = 1;
            return 0;
        }
        if ((c == '{' || c == '}') && wn_buf_putc(out, '\\'))
            return WN_ENOMEM;
        if (wn_buf_putc(out, c))
            return WN_ENOMEM;
    }
    return 0;
}

/* ---- fields --------------------------------------------------------------- */

typedef struct bib_writer {
    wn_export *x;
    wn_x_carry carry;
    wn_buf val; /* a value being escaped */
} bib_writer;

static int open_field(wn_export *x, const char *name)
{
    return wn_buf_printf(&x->out, "  %s = {", name);
}

static int close_field(wn_export *x) { return wn_buf_puts(&x->out, "},\n"); }

/* name = {text}; *written stays 0 when the text cannot be written so (the
 * caller carries it). */
static int put_text(bib_writer *w, const char *name, wn_field f, const char *v, size_t len,
                    int *written)
{
    *written = 0;
    if (!plain_spacing(v, len))
        return 0;
    *written = 1;
    wn_buf_clear(&w->val);
    if (wn_x_put_value(&w->val, f, v, len) || open_field(w->x, name) ||
        put_latex(&w->x->out, w->val.data, w->val.len) || close_field(w->x))
        return WN_ENOMEM;
    return 0;
}

static int put_verbatim_field(bib_writer *w, const char *name, const char *v, size_t len,
                              int *written)
{
    *written = 0;
    if (!plain_spacing(v, len))
        return 0;
    wn_buf_clear(&w->val);
    int unwritable = 0;
    if (put_verbatim(&w->val, v, len, &unwritable))
        return WN_ENOMEM;
    if (unwritable)
        return 0;
    *written = 1;
    if (open_field(w->x, name) || wn_buf_append(&w->x->out, w->val.data, w->val.len) ||
        close_field(w->x))
        return WN_ENOMEM;
    return 0;
}

/* A single-valued field: written when there is one value that can be,
 * carried otherwise. */
static int put_single(bib_writer *w, const wn_record *rec, wn_field f, const char *name,
                      int verbatim)
{
    size_t n = wn_record_count(rec, f);
    if (!n)
        return 0;
    const char *v = wn_record_first(rec, f);
    int written = 0;
    int rc = verbatim ? put_verbatim_field(w, name, v, strlen(v), &written)
                      : put_text(w, name, f, v, strlen(v), &written);
    if (!rc && (!written || n > 1))
        rc = wn_x_carry_field(&w->carry, rec, f);
    return rc;
}

/* A list written as one field joined by sep, unless a value holds one of
 * the characters the reader splits on (split): then it is carried. */
static int put_joined(bib_writer *w, const wn_record *rec, wn_field f, const char *name,
                      const char *sep, const char *split)
{
    size_t n = 0;
    int rc = 0, splits = 0;
    wn_buf joined = WN_BUF_INIT;
    for (size_t i = 0; i < wn_record_size(rec) && !rc; i++) {
        wn_field_value v = wn_record_at(rec, i);
        if (v.field != f)
            continue;
        splits |= strcspn(v.value, split) != v.len;
        if (n++)
            rc = wn_buf_puts(&joined, sep);
        if (!rc)
            rc = wn_buf_append(&joined, v.value, v.len);
    }
    int written = 0;
    if (!rc && n && !splits)
        rc = put_text(w, name, f, joined.data, joined.len, &written);
    if (!rc && n && !written)
        rc = wn_x_carry_field(&w->carry, rec, f);
    wn_buf_free(&joined);
    return rc;
}

/* Does "and" stand as a word in v (where the reader splits names)? */
static int has_and_word(const char *v, size_t len)
{
    for (size_t i = 1; i + 4 < len; i++)
        if ((v[i - 1] == ' ') && (memcmp(v + i, "and", 3) == 0 || memcmp(v + i, "AND", 3) == 0) &&
            v[i + 3] == ' ')
            return 1;
    return 0;
}

/* Appends one name part, braced when the reader would split it. */
static int put_name_part(bib_writer *w, const char *v, size_t len, int brace)
{
    wn_buf_clear(&w->val);
    if (wn_x_put_value(&w->val, WN_F_AUTHOR, v, len))
        return WN_ENOMEM;
    if ((brace && wn_buf_putc(&w->x->out, '{')) ||
        put_latex(&w->x->out, w->val.data, w->val.len) ||
        (brace && wn_buf_putc(&w->x->out, '}')))
        return WN_ENOMEM;
    return 0;
}

/* "Surname, Given" as written; "Surname, Given, Jr" as BibTeX's
 * "Surname, Jr, Given"; anything else (group names, odd commas) braced
 * whole so the reader keeps it as one surname. */
static int put_name(bib_writer *w, const char *v, size_t len)
{
    const char *parts[3];
    size_t lens[3], n = 0, spaces = 0;
    int simple = plain_spacing(v, len) && !(len == 6 && memcmp(v, "others", 6) == 0);
    const char *s = v, *end = v + len;
    while (simple && s <= end) {
        const char *comma = memchr(s, ',', (size_t)(end - s));
        const char *e = comma ? comma : end;
        if (n == 3 || e == s || (comma && (comma + 1 >= end || comma[1] != ' ')) ||
            e[-1] == ' ')
            simple = 0;
        else
            parts[n] = s, lens[n++] = (size_t)(e - s);
        s = comma ? comma + 2 : end + 1;
    }
    for (size_t i = 0; i < len; i++)
        spaces += v[i] == ' ';
    if (!simple || n < 2 || spaces > 60)
        return put_name_part(w, v, len, 1);
    /* winnow keeps a suffix last; BibTeX puts it second. */
    size_t order[3] = {0, 2, 1};
    for (size_t k = 0; k < n; k++) {
        size_t p = n == 3 ? order[k] : k;
        if (k && wn_buf_puts(&w->x->out, ", "))
            return WN_ENOMEM;
        if (put_name_part(w, parts[p], lens[p], has_and_word(parts[p], lens[p])))
            return WN_ENOMEM;
    }
    return 0;
}

static int put_authors(bib_writer *w, const wn_record *rec)
{
    if (!wn_record_count(rec, WN_F_AUTHOR))
        return 0;
    if (open_field(w->x, "author"))
        return WN_ENOMEM;
    size_t n = 0;
    for (size_t i = 0; i < wn_record_size(rec); i++) {
        wn_field_value v = wn_record_at(rec, i);
        if (v.field != WN_F_AUTHOR)
            continue;
        if ((n++ && wn_buf_puts(&w->x->out, " and ")) || put_name(w, v.value, v.len))
            return WN_ENOMEM;
    }
    return close_field(w->x);
}

/* pages: the range as given; the normalizer splits it again. Parts that
 * would come back different are carried. */
static int put_pages(bib_writer *w, const wn_record *rec)
{
    const char *pages = wn_record_first(rec, WN_F_PAGES);
    int rc = 0, written = 0;
    const char *want_start = NULL, *want_end = NULL;
    wn_buf first = WN_BUF_INIT, last = WN_BUF_INIT;
    if (pages) {
        /* The reader makes "--" one "-". */
        if (!strstr(pages, "--"))
            rc = put_verbatim_field(w, "pages", pages, strlen(pages), &written);
        if (!rc && (!written || wn_record_count(rec, WN_F_PAGES) > 1))
            rc = wn_x_carry_field(&w->carry, rec, WN_F_PAGES);
    }
    if (!rc && written) {
        rc = wn_pages_split(pages, &first, &last);
        want_start = first.len ? first.data : NULL;
        want_end = last.len ? last.data : NULL;
    }
    if (!rc && !holds(rec, WN_F_START_PAGE, want_start))
        rc = wn_x_carry_field(&w->carry, rec, WN_F_START_PAGE);
    if (!rc && !holds(rec, WN_F_END_PAGE, want_end))
        rc = wn_x_carry_field(&w->carry, rec, WN_F_END_PAGE);
    wn_buf_free(&first);
    wn_buf_free(&last);
    return rc;
}

/* Field names the reader maps to record fields: an extra of that name
 * would not come back as the same extra. */
static const char *const mapped_names[] = {
    "abstract", "author", "booktitle", "date", "doi", "isbn", "issn", "issue", "journal",
    "journal-abbrev", "journaltitle", "keywords", "langid", "language", "number", "pages",
    "pmcid", "pmid", "publisher", "shortjournal", "title", "url", "volume", "year", NULL,
};
/* Names it keeps as extras but reads once per entry, some verbatim. */
static const char *const once_names[] = {"editor", "month", "type", NULL};
static const char *const verbatim_names[] = {"eprint", "file", "pdf", NULL};

static int in_list(const char *const *list, const char *s)
{
    for (size_t i = 0; list[i]; i++)
        if (strcmp(list[i], s) == 0)
            return 1;
    return 0;
}

static int field_name_ok(const char *tag)
{
    size_t n = strlen(tag);
    if (!n || n > 63 || !(tag[0] >= 'a' && tag[0] <= 'z'))
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = tag[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return 0;
    }
    return !in_list(mapped_names, tag) && strcmp(tag, "winnow") != 0;
}

/* Writes an extra as its own field; *written stays 0 when it has to be
 * carried. */
static int put_extra(bib_writer *w, const wn_field_value *v, unsigned *once_seen, int *written)
{
    *written = 0;
    if (!field_name_ok(v->tag) || strncmp(v->value, "winnow-fields:", 14) == 0)
        return 0;
    for (size_t i = 0; once_names[i]; i++) {
        if (strcmp(once_names[i], v->tag) != 0)
            continue;
        if (*once_seen & (1u << i))
            return 0;
        *once_seen |= 1u << i;
    }
    for (size_t i = 0; verbatim_names[i]; i++) {
        if (strcmp(verbatim_names[i], v->tag) != 0)
            continue;
        if (*once_seen & (8u << i))
            return 0;
        *once_seen |= 8u << i;
        return put_verbatim_field(w, v->tag, v->value, v->len, written);
    }
    return put_text(w, v->tag, WN_F_EXTRA, v->value, v->len, written);
}

/* The carrier: JSON with runs of spaces spelled \u0020 (the reader folds
 * them), escaped like any text. */
static int put_carrier(bib_writer *w)
{
    wn_buf json = WN_BUF_INIT, spaced = WN_BUF_INIT;
    int rc = wn_x_carry_text(&w->carry, &json);
    for (size_t i = 0; i < json.len && !rc; i++) {
        int run = json.data[i] == ' ' &&
                  ((i + 1 < json.len && json.data[i + 1] == ' ') ||
                   (i > 0 && json.data[i - 1] == ' '));
        rc = run ? wn_buf_puts(&spaced, "\\u0020") : wn_buf_putc(&spaced, json.data[i]);
    }
    if (!rc)
        rc = open_field(w->x, "winnow");
    if (!rc)
        rc = put_latex(&w->x->out, spaced.data, spaced.len);
    if (!rc)
        rc = close_field(w->x);
    wn_buf_free(&json);
    wn_buf_free(&spaced);
    return rc;
}

static int bib_entry(bib_writer *w, const wn_record *rec)
{
    wn_export *x = w->x;
    int rc = 0;
    const char *type = entry_type(rec);
    const char *id = wn_record_first(rec, WN_F_SOURCE_ID);
    char key[40];
    if (id && key_ok(id) && wn_record_count(rec, WN_F_SOURCE_ID) == 1) {
        rc = wn_buf_printf(&x->out, "@%s{%s,\n", type, id);
    } else {
        snprintf(key, sizeof key, "winnow%zu", x->records + 1);
        rc = wn_buf_printf(&x->out, "@%s{%s,\n", type, key);
        if (!rc)
            rc = wn_x_carry_field(&w->carry, rec, WN_F_SOURCE_ID);
    }
    if (!rc && !holds(rec, WN_F_TYPE_RAW, type))
        rc = wn_x_carry_field(&w->carry, rec, WN_F_TYPE_RAW);
    if (!rc && !holds(rec, WN_F_TYPE, wn_type_from_code(type)))
        rc = wn_x_carry_field(&w->carry, rec, WN_F_TYPE);

    if (!rc)
        rc = put_single(w, rec, WN_F_TITLE, "title", 0);
    if (!rc)
        rc = put_authors(w, rec);
    if (!rc)
        rc = put_single(w, rec, WN_F_YEAR, "year", 0);
    if (!rc)
        rc = put_single(w, rec, WN_F_DATE, "date", 0);
    if (!rc)
        rc = put_single(w, rec, WN_F_JOURNAL, in_collection(type) ? "booktitle" : "journal", 0);
    if (!rc)
        rc = put_single(w, rec, WN_F_JOURNAL_ABBR, "shortjournal", 0);
    if (!rc)
        rc = put_single(w, rec, WN_F_VOLUME, "volume", 0);
    if (!rc)
        rc = put_single(w, rec, WN_F_ISSUE, "number", 0);
    if (!rc)
        rc = put_pages(w, rec);
    if (!rc)
        rc = put_single(w, rec, WN_F_DOI, "doi", 1);
    if (!rc)
        rc = put_single(w, rec, WN_F_PMID, "pmid", 0);
    if (!rc)
        rc = put_single(w, rec, WN_F_PMCID, "pmcid", 0);
    if (!rc)
        rc = put_joined(w, rec, WN_F_ISSN, "issn", ", ", ",;");
    if (!rc)
        rc = put_joined(w, rec, WN_F_ISBN, "isbn", ", ", ",;");
    if (!rc)
        rc = put_single(w, rec, WN_F_LANGUAGE, "language", 0);
    if (!rc)
        rc = put_joined(w, rec, WN_F_KEYWORD, "keywords", ", ", ",;");
    if (!rc && wn_record_count(rec, WN_F_PUBTYPE))
        rc = wn_x_carry_field(&w->carry, rec, WN_F_PUBTYPE);
    if (!rc && wn_record_count(rec, WN_F_URL)) {
        const char *url = wn_record_first(rec, WN_F_URL);
        int written = 0;
        rc = put_verbatim_field(w, "url", url, strlen(url), &written);
        if (!rc && (!written || wn_record_count(rec, WN_F_URL) > 1))
            rc = wn_x_carry_field(&w->carry, rec, WN_F_URL);
    }
    if (!rc)
        rc = put_single(w, rec, WN_F_PUBLISHER, "publisher", 0);
    if (!rc)
        rc = put_single(w, rec, WN_F_ABSTRACT, "abstract", 0);

    int carrying = 0;
    unsigned once_seen = 0;
    for (size_t i = 0; i < wn_record_size(rec) && !rc; i++) {
        wn_field_value v = wn_record_at(rec, i);
        if (v.field != WN_F_EXTRA)
            continue;
        if (!carrying) {
            int written = 0;
            rc = put_extra(w, &v, &once_seen, &written);
            carrying = !rc && !written;
        }
        if (!rc && carrying)
            rc = wn_x_carry_extra(&w->carry, v.tag, v.value, v.len);
    }
    if (!rc && !wn_x_carry_empty(&w->carry))
        rc = put_carrier(w);
    if (!rc)
        rc = wn_buf_puts(&x->out, "}\n\n");
    return rc;
}

static int bib_record(wn_export *x, const wn_record *rec)
{
    bib_writer w = {x, {WN_BUF_INIT, WN_BUF_INIT, 0, 0}, WN_BUF_INIT};
    wn_x_carry_init(&w.carry);
    w.val.limit = 8u * WN_RECORD_MAX;
    int rc = bib_entry(&w, rec);
    wn_x_carry_free(&w.carry);
    wn_buf_free(&w.val);
    return rc;
}

const wn_exporter wn_exporter_bibtex = {"bibtex", NULL, bib_record, NULL};

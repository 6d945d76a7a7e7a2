/* PubMed MEDLINE tagged format (.nbib, PubMed "Save as PubMed format").
 *
 * Each line is "TAG - value" with the tag left-aligned and padded to four
 * characters ("PMID- ", "TI  - ", "FAU - "); longer values wrap onto lines
 * indented by six spaces. Records are separated by blank lines and start with
 * PMID. Exports from other databases in the same layout (ERIC) have no PMID,
 * and hand-made files bend the layout ("PMID-123", "TI-", "ISSN - "), so the
 * reader accepts any short upper-case tag followed by a dash. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "import/parser.h"
#include "import/pubmed_types.h"

/* ---- tags -------------------------------------------------------------- */

/* How a tag's value is stored. */
typedef enum tag_kind {
    TK_PLAIN,  /* into `field` as written */
    TK_PMID,   /* PMID and source id */
    TK_FAU,    /* full author name */
    TK_AU,     /* short author name: an author only when no FAU gave it */
    TK_ARTID,  /* LID/AID: "value [kind]" */
    TK_ISSN,   /* "1234-5678 (Print)" */
    TK_TITLE,  /* TI: noted, so BTI knows whether it is the title */
    TK_BOOK,   /* BTI: the book's title */
    TK_PUBTYPE,
} tag_kind;

typedef struct tag_info {
    const char *tag;
    wn_field field;
    tag_kind kind;
} tag_info;

#define TAG4(a, b, c, d)                                                         \
    ((uint32_t)(unsigned char)(a) << 24 | (uint32_t)(unsigned char)(b) << 16 |  \
     (uint32_t)(unsigned char)(c) << 8 | (uint32_t)(unsigned char)(d))

/* The tags with a field of their own, plus the frequent administrative ones
 * (so their tag string needs no copy). Anything not listed is an extra. */
static const tag_info *tag_lookup(uint32_t key)
{
    static const tag_info
        pmid = {"PMID", WN_F_PMID, TK_PMID}, ti = {"TI", WN_F_TITLE, TK_TITLE},
        bti = {"BTI", WN_F_JOURNAL, TK_BOOK}, ab = {"AB", WN_F_ABSTRACT, TK_PLAIN},
        fau = {"FAU", WN_F_AUTHOR, TK_FAU}, au = {"AU", WN_F_AUTHOR, TK_AU},
        cn = {"CN", WN_F_AUTHOR, TK_PLAIN}, dp = {"DP", WN_F_DATE, TK_PLAIN},
        ta = {"TA", WN_F_JOURNAL_ABBR, TK_PLAIN}, jt = {"JT", WN_F_JOURNAL, TK_PLAIN},
        vi = {"VI", WN_F_VOLUME, TK_PLAIN}, ip = {"IP", WN_F_ISSUE, TK_PLAIN},
        pg = {"PG", WN_F_PAGES, TK_PLAIN}, lid = {"LID", WN_F_EXTRA, TK_ARTID},
        aid = {"AID", WN_F_EXTRA, TK_ARTID}, pmc = {"PMC", WN_F_PMCID, TK_PLAIN},
        is = {"IS", WN_F_ISSN, TK_ISSN}, issn = {"ISSN", WN_F_ISSN, TK_ISSN},
        la = {"LA", WN_F_LANGUAGE, TK_PLAIN}, pt = {"PT", WN_F_PUBTYPE, TK_PUBTYPE},
        mh = {"MH", WN_F_KEYWORD, TK_PLAIN}, ot = {"OT", WN_F_KEYWORD, TK_PLAIN},
        pb = {"PB", WN_F_PUBLISHER, TK_PLAIN}, isbn = {"ISBN", WN_F_ISBN, TK_PLAIN},
        ad = {"AD", WN_F_EXTRA, TK_PLAIN}, own = {"OWN", WN_F_EXTRA, TK_PLAIN},
        stat = {"STAT", WN_F_EXTRA, TK_PLAIN}, dcom = {"DCOM", WN_F_EXTRA, TK_PLAIN},
        lr = {"LR", WN_F_EXTRA, TK_PLAIN}, ci = {"CI", WN_F_EXTRA, TK_PLAIN},
        dep = {"DEP", WN_F_EXTRA, TK_PLAIN}, pl = {"PL", WN_F_EXTRA, TK_PLAIN},
        jid = {"JID", WN_F_EXTRA, TK_PLAIN}, sb = {"SB", WN_F_EXTRA, TK_PLAIN},
        oid = {"OID", WN_F_EXTRA, TK_PLAIN}, edat = {"EDAT", WN_F_EXTRA, TK_PLAIN},
        mhda = {"MHDA", WN_F_EXTRA, TK_PLAIN}, crdt = {"CRDT", WN_F_EXTRA, TK_PLAIN},
        phst = {"PHST", WN_F_EXTRA, TK_PLAIN}, pst = {"PST", WN_F_EXTRA, TK_PLAIN},
        so = {"SO", WN_F_EXTRA, TK_PLAIN}, auid = {"AUID", WN_F_EXTRA, TK_PLAIN},
        oto = {"OTO", WN_F_EXTRA, TK_PLAIN}, gr = {"GR", WN_F_EXTRA, TK_PLAIN},
        rn = {"RN", WN_F_EXTRA, TK_PLAIN}, cois = {"COIS", WN_F_EXTRA, TK_PLAIN},
        pmcr = {"PMCR", WN_F_EXTRA, TK_PLAIN};
    switch (key) {
    case TAG4('P', 'M', 'I', 'D'): return &pmid;
    case TAG4('T', 'I', ' ', ' '): return &ti;
    case TAG4('B', 'T', 'I', ' '): return &bti;
    case TAG4('A', 'B', ' ', ' '): return &ab;
    case TAG4('F', 'A', 'U', ' '): return &fau;
    case TAG4('A', 'U', ' ', ' '): return &au;
    case TAG4('C', 'N', ' ', ' '): return &cn;
    case TAG4('D', 'P', ' ', ' '): return &dp;
    case TAG4('T', 'A', ' ', ' '): return &ta;
    case TAG4('J', 'T', ' ', ' '): return &jt;
    case TAG4('V', 'I', ' ', ' '): return &vi;
    case TAG4('I', 'P', ' ', ' '): return &ip;
    case TAG4('P', 'G', ' ', ' '): return &pg;
    case TAG4('L', 'I', 'D', ' '): return &lid;
    case TAG4('A', 'I', 'D', ' '): return &aid;
    case TAG4('P', 'M', 'C', ' '): return &pmc;
    case TAG4('I', 'S', ' ', ' '): return &is;
    case TAG4('I', 'S', 'S', 'N'): return &issn;
    case TAG4('L', 'A', ' ', ' '): return &la;
    case TAG4('P', 'T', ' ', ' '): return &pt;
    case TAG4('M', 'H', ' ', ' '): return &mh;
    case TAG4('O', 'T', ' ', ' '): return &ot;
    case TAG4('P', 'B', ' ', ' '): return &pb;
    case TAG4('I', 'S', 'B', 'N'): return &isbn;
    case TAG4('A', 'D', ' ', ' '): return &ad;
    case TAG4('O', 'W', 'N', ' '): return &own;
    case TAG4('S', 'T', 'A', 'T'): return &stat;
    case TAG4('D', 'C', 'O', 'M'): return &dcom;
    case TAG4('L', 'R', ' ', ' '): return &lr;
    case TAG4('C', 'I', ' ', ' '): return &ci;
    case TAG4('D', 'E', 'P', ' '): return &dep;
    case TAG4('P', 'L', ' ', ' '): return &pl;
    case TAG4('J', 'I', 'D', ' '): return &jid;
    case TAG4('S', 'B', ' ', ' '): return &sb;
    case TAG4('O', 'I', 'D', ' '): return &oid;
    case TAG4('E', 'D', 'A', 'T'): return &edat;
    case TAG4('M', 'H', 'D', 'A'): return &mhda;
    case TAG4('C', 'R', 'D', 'T'): return &crdt;
    case TAG4('P', 'H', 'S', 'T'): return &phst;
    case TAG4('P', 'S', 'T', ' '): return &pst;
    case TAG4('S', 'O', ' ', ' '): return &so;
    case TAG4('A', 'U', 'I', 'D'): return &auid;
    case TAG4('O', 'T', 'O', ' '): return &oto;
    case TAG4('G', 'R', ' ', ' '): return &gr;
    case TAG4('R', 'N', ' ', ' '): return &rn;
    case TAG4('C', 'O', 'I', 'S'): return &cois;
    case TAG4('P', 'M', 'C', 'R'): return &pmcr;
    default: return NULL;
    }
}

static int is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static int is_blank(char c) { return c == ' ' || c == '\t'; }

/* Recognizes "TAG - value": one to four capitals, then the dash, either at
 * column 5 (the padded layout, also "PMID-123") or with a space before or
 * after it ("TI-", "PMC -1", "ISSN - x"). The last rule keeps a wrapped line
 * such as "CT-guided biopsy" from passing for a tag. Returns the tag length
 * (0: not a tag line) and the offset where the value starts. */
static size_t tag_line(const char *s, size_t n, size_t *value_at)
{
    size_t t = 0;
    while (t < n && t < 4 && is_upper(s[t]))
        t++;
    if (t == 0)
        return 0;
    size_t d = t;
    while (d < n && d < 6 && s[d] == ' ')
        d++;
    if (d >= n || s[d] != '-')
        return 0;
    int padded = d == 4, space_before = d > t, space_after = d + 1 >= n || s[d + 1] == ' ';
    if (!padded && !space_before && !space_after)
        return 0;
    *value_at = d + 1;
    return t;
}

static uint32_t tag_key(const char *s, size_t t)
{
    char k[4] = {' ', ' ', ' ', ' '};
    memcpy(k, s, t);
    return TAG4(k[0], k[1], k[2], k[3]);
}

/* ---- the reader -------------------------------------------------------- */

typedef struct medline {
    wn_parser *p;
    /* The record being read. */
    int open;           /* a tag line has been seen since the last record ended */
    int has_pmid;
    int after_blank;    /* a blank line followed the record's last line */
    int warned_join;    /* one warning per record for unindented wrapping */
    size_t first_line, first_offset;
    size_t last_line, end; /* end: the byte after the last line's end */
    size_t fau_unpaired; /* FAU names whose short AU form has not come yet */
    int has_title, has_book, has_pubtype;
    int file_has_pmid;  /* -1 until known */
    /* The field whose value may still continue on the next lines. */
    const tag_info *pend;
    tag_info pend_extra; /* for tags not in the table */
    char pend_tag[5];
    const char *pend_val;
    size_t pend_len;
    int pend_joined;    /* value lives in p->scratch */
} medline;

/* Whether s holds "10.NNNN/..." somewhere, as a DOI without a marker does. */
static int holds_doi(const char *s, size_t len)
{
    for (size_t i = 0; i + 3 < len; i++) {
        if (s[i] != '1' || s[i + 1] != '0' || s[i + 2] != '.')
            continue;
        size_t j = i + 3;
        while (j < len && s[j] >= '0' && s[j] <= '9')
            j++;
        if (j - (i + 3) >= 4 && j + 1 < len && s[j] == '/')
            return 1;
    }
    return 0;
}

/* Adds "value [kind]" from LID/AID: a DOI goes to the DOI field without its
 * marker; other kinds ([pii], [pmc]...) stay extras as written. An unmarked
 * value is a DOI when it holds one, a link when it is one. */
static int add_article_id(medline *m, const char *tag, const char *v, size_t len)
{
    wn_record *r = m->p->rec;
    if (len && v[len - 1] == ']') {
        size_t open = len - 1;
        while (open > 0 && v[open] != '[')
            open--;
        if (v[open] == '[') {
            size_t kind_len = len - 1 - (open + 1);
            const char *kind = v + open + 1;
            if (kind_len == 3 && (kind[0] | 0x20) == 'd' && (kind[1] | 0x20) == 'o' &&
                (kind[2] | 0x20) == 'i')
                return wn_record_add(r, WN_F_DOI, tag, v, open);
            return wn_record_add(r, WN_F_EXTRA, tag, v, len);
        }
    }
    int found = holds_doi(v, len);
    if (found)
        return wn_record_add(r, WN_F_DOI, tag, v, len);
    if (len > 7 && (memcmp(v, "http://", 7) == 0 || memcmp(v, "https://", 8) == 0))
        return wn_record_add(r, WN_F_URL, tag, v, len);
    return wn_record_add(r, WN_F_EXTRA, tag, v, len);
}

/* IS values carry the medium in brackets; the same ISSN often comes twice
 * ("(Print)" and "(Linking)"), and one copy is enough. */
static int add_issn(medline *m, const char *tag, const char *v, size_t len)
{
    wn_record *r = m->p->rec;
    while (len && is_blank(v[len - 1]))
        len--;
    if (len && v[len - 1] == ')') {
        size_t open = len - 1;
        while (open > 0 && v[open] != '(')
            open--;
        if (v[open] == '(' && open > 0)
            len = open;
    }
    while (len && is_blank(v[len - 1]))
        len--;
    while (len && is_blank(*v))
        v++, len--;
    size_t n = wn_record_size(r);
    for (size_t i = 0; i < n; i++) {
        wn_field_value f = wn_record_at(r, i);
        if (f.field == WN_F_ISSN && f.len == len && memcmp(f.value, v, len) == 0)
            return 0;
    }
    return wn_record_add(r, WN_F_ISSN, tag, v, len);
}

/* AU holds "Surname IN"; written as "Surname, IN" it reads like every other
 * author. Anything else ("Smith, Tom", a single name) is kept as given. */
static int add_short_author(medline *m, const char *v, size_t len)
{
    wn_record *r = m->p->rec;
    size_t sp = len;
    while (sp > 0 && v[sp - 1] != ' ')
        sp--;
    size_t ini = len - sp;
    int initials = sp > 1 && ini >= 1 && ini <= 4 && !memchr(v, ',', len);
    for (size_t i = sp; initials && i < len; i++)
        initials = is_upper(v[i]);
    if (!initials || len + 1 > 256)
        return wn_record_add(r, WN_F_AUTHOR, "AU", v, len);
    char name[256];
    size_t surname = sp - 1;
    while (surname && is_blank(v[surname - 1]))
        surname--;
    memcpy(name, v, surname);
    name[surname] = ',';
    memcpy(name + surname + 1, v + sp - 1, len - (sp - 1));
    return wn_record_add(r, WN_F_AUTHOR, "AU", name, len + 1 - (sp - 1 - surname));
}

/* Stores the pending field, if any. */
static int flush_value(medline *m)
{
    const tag_info *t = m->pend;
    if (!t)
        return 0;
    m->pend = NULL;
    const char *v = m->pend_val;
    size_t len = m->pend_len;
    if (m->pend_joined) {
        v = m->p->scratch.data ? m->p->scratch.data : "";
        len = m->p->scratch.len;
        m->pend_joined = 0;
    }
    while (len && is_blank(*v))
        v++, len--;
    while (len && is_blank(v[len - 1]))
        len--;
    wn_record *r = m->p->rec;
    int rc;
    switch (t->kind) {
    case TK_PMID:
        rc = wn_record_add(r, WN_F_PMID, t->tag, v, len);
        if (!rc)
            rc = wn_record_add(r, WN_F_SOURCE_ID, t->tag, v, len);
        break;
    case TK_FAU: {
        size_t before = wn_record_size(r);
        rc = wn_record_add(r, WN_F_AUTHOR, t->tag, v, len);
        if (wn_record_size(r) > before)
            m->fau_unpaired++;
        break;
    }
    case TK_AU:
        if (m->fau_unpaired && len) {
            m->fau_unpaired--;
            rc = wn_record_add(r, WN_F_EXTRA, t->tag, v, len);
        } else {
            rc = add_short_author(m, v, len);
        }
        break;
    case TK_ARTID:
        rc = add_article_id(m, t->tag, v, len);
        break;
    case TK_ISSN:
        rc = add_issn(m, t->tag, v, len);
        break;
    default: {
        size_t before = wn_record_size(r);
        rc = wn_record_add(r, t->field, t->tag, v, len);
        if (wn_record_size(r) > before) {
            m->has_title |= t->kind == TK_TITLE;
            m->has_book |= t->kind == TK_BOOK;
            m->has_pubtype |= t->kind == TK_PUBTYPE;
        }
        break;
    }
    }
    return rc;
}

/* Appends a wrapped line to the pending value, joined by one space. */
static int continue_value(medline *m, const char *s, size_t n)
{
    wn_buf *b = &m->p->scratch;
    if (!m->pend_joined) {
        wn_buf_clear(b);
        if (wn_buf_append(b, m->pend_val, m->pend_len))
            return WN_ENOMEM;
        m->pend_joined = 1;
    }
    while (n && is_blank(*s))
        s++, n--;
    while (n && is_blank(s[n - 1]))
        n--;
    if (!n)
        return 0;
    while (b->len && is_blank(b->data[b->len - 1]))
        b->len--;
    if (b->len && wn_buf_putc(b, ' '))
        return WN_ENOMEM;
    return wn_buf_append(b, s, n);
}

/* Is there a PMID tag line at or after pos? Only asked for files whose
 * first blocks lack one, so the scan is rare. */
static int pmid_after(const char *text, size_t len, size_t pos)
{
    while (pos + 4 < len) {
        const char *hit = memchr(text + pos, 'P', len - pos);
        if (!hit)
            return 0;
        size_t at = (size_t)(hit - text);
        pos = at + 1;
        if (at > 0 && text[at - 1] != '\n' && text[at - 1] != '\r')
            continue;
        size_t va, n = len - at;
        const char *eol = memchr(hit, '\n', n);
        if (eol)
            n = (size_t)(eol - hit);
        if (tag_line(hit, n, &va) == 4 && memcmp(hit, "PMID", 4) == 0)
            return 1;
    }
    return 0;
}

/* A book (BTI without TI) has its book title as its title. */
static int book_title(wn_record *r)
{
    size_t n = wn_record_size(r), bti = n;
    for (size_t i = 0; i < n; i++) {
        wn_field_value f = wn_record_at(r, i);
        if (f.field == WN_F_TITLE)
            return 0;
        if (bti == n && f.field == WN_F_JOURNAL && strcmp(f.tag, "BTI") == 0)
            bti = i;
    }
    return bti < n ? wn_record_retag_at(r, bti, WN_F_TITLE, "BTI") : 0;
}

/* Whether a block without PMID describes a work on its own: a title plus an
 * author or a journal. */
static int is_complete(const wn_record *r)
{
    int title = 0, who_or_where = 0;
    size_t n = wn_record_size(r);
    for (size_t i = 0; i < n; i++) {
        wn_field_value f = wn_record_at(r, i);
        if (f.field == WN_F_TITLE || (f.field == WN_F_JOURNAL && strcmp(f.tag, "BTI") == 0))
            title = 1;
        if (f.field == WN_F_AUTHOR || f.field == WN_F_JOURNAL || f.field == WN_F_JOURNAL_ABBR ||
            (f.field == WN_F_EXTRA && strcmp(f.tag, "SO") == 0))
            who_or_where = 1;
    }
    return title && who_or_where;
}

/* Ends the record being read: emits it, or drops a fragment. A block is a
 * record when it has a PMID; in a file without any PMID (ERIC) every block
 * is one; otherwise a PMID-less block counts only when complete, so stray
 * bits between PubMed records are reported instead of posing as works. */
static int end_record(medline *m, size_t pos)
{
    if (!m->open)
        return 0;
    int rc = flush_value(m);
    if (rc)
        return rc;
    wn_parser *p = m->p;
    m->open = 0;
    if (wn_record_size(p->rec) == 0) {
        /* Only empty tags ("TI  -"): nothing to keep. */
        wn_parser_warn(p, m->first_line, "tags without values from line %zu; skipped",
                       m->first_line);
        return 0;
    }
    int keep = m->has_pmid;
    if (!keep) {
        if (m->file_has_pmid < 0)
            m->file_has_pmid = pmid_after(p->text, p->len, pos);
        keep = !m->file_has_pmid || is_complete(p->rec);
    }
    if (!keep) {
        char where[64];
        if (m->last_line > m->first_line)
            snprintf(where, sizeof where, "lines %zu-%zu have", m->first_line, m->last_line);
        else
            snprintf(where, sizeof where, "line %zu has", m->first_line);
        wn_parser_warn(p, m->first_line,
                       "%s no PMID and no title with an author or journal, in a file whose "
                       "records start with PMID; skipped",
                       where);
        wn_record_reset(p->rec);
        return 0;
    }
    if (m->has_pubtype)
        rc = wn_pubmed_add_type(p->rec, "PT");
    if (!rc && m->has_book && !m->has_title)
        rc = book_title(p->rec);
    if (rc)
        return rc;
    wn_origin *o = wn_record_origin(p->rec);
    o->line = m->first_line;
    o->offset = m->first_offset;
    o->length = m->end - m->first_offset;
    return wn_parser_emit(p);
}

static void begin_record(medline *m, size_t line, size_t offset)
{
    m->open = 1;
    m->has_pmid = 0;
    m->after_blank = 0;
    m->warned_join = 0;
    m->fau_unpaired = 0;
    m->has_title = m->has_book = m->has_pubtype = 0;
    m->first_line = line;
    m->first_offset = offset;
}

/* Short quote of a line for a warning, cut at a character boundary. */
static int quote_len(const char *s, size_t n)
{
    if (n <= 40)
        return (int)n;
    size_t cut = 40;
    while (cut && ((unsigned char)s[cut] & 0xC0) == 0x80)
        cut--;
    return (int)cut;
}

static int on_tag_line(medline *m, const char *s, size_t n, size_t t, size_t value_at,
                       size_t lineno, size_t offset)
{
    uint32_t key = tag_key(s, t);
    int is_pmid = key == TAG4('P', 'M', 'I', 'D');
    int rc;
    if (m->open && (m->after_blank || (is_pmid && m->has_pmid))) {
        if ((rc = end_record(m, offset)))
            return rc;
    } else if ((rc = flush_value(m))) {
        return rc;
    }
    if (!m->open)
        begin_record(m, lineno, offset);
    if (is_pmid) {
        m->has_pmid = 1;
        m->file_has_pmid = 1;
    }
    const tag_info *info = tag_lookup(key);
    if (!info) {
        memcpy(m->pend_tag, s, t);
        m->pend_tag[t] = '\0';
        m->pend_extra = (tag_info){m->pend_tag, WN_F_EXTRA, TK_PLAIN};
        info = &m->pend_extra;
    }
    m->pend = info;
    m->pend_val = s + value_at;
    m->pend_len = n - value_at;
    m->pend_joined = 0;
    return 0;
}

static int parse(wn_parser *p)
{
    medline m;
    memset(&m, 0, sizeof m);
    m.p = p;
    m.file_has_pmid = -1;
    wn_lines it;
    wn_lines_init(&it, p->text, p->len);
    const char *s;
    size_t n, offset;
    size_t tag_lines = 0;
    int rc = 0;
    while (wn_lines_next(&it, &s, &n, &offset)) {
        size_t value_at, t;
        if (n && is_upper(s[0]) && (t = tag_line(s, n, &value_at))) {
            tag_lines++;
            rc = on_tag_line(&m, s, n, t, value_at, it.lineno, offset);
            if (rc)
                goto done;
            m.end = it.pos, m.last_line = it.lineno;
            continue;
        }
        size_t lead = 0;
        while (lead < n && is_blank(s[lead]))
            lead++;
        if (lead == n) { /* blank: the record may end here */
            if (m.open)
                m.after_blank = 1;
            continue;
        }
        if (lead > 0 && m.pend) {
            /* A wrapped line; a blank line inside a value is tolerated. */
            m.after_blank = 0;
            if ((rc = continue_value(&m, s, n)))
                goto done;
            m.end = it.pos, m.last_line = it.lineno;
        } else if (lead == 0 && m.pend && !m.after_blank) {
            /* Wrapped without the indent, as some tools write it. */
            if (!m.warned_join) {
                m.warned_join = 1;
                wn_parser_warn(p, it.lineno,
                               "line is neither 'TAG - value' nor indented by six spaces; "
                               "joined to the %s value above",
                               m.pend->tag);
            }
            if ((rc = continue_value(&m, s, n)))
                goto done;
            m.end = it.pos, m.last_line = it.lineno;
        } else if (lead > 0) {
            wn_parser_warn(p, it.lineno, "continuation line with no tag line before it; ignored");
        } else {
            /* Stray text after a blank line ends the record before it. */
            if (m.after_blank && (rc = end_record(&m, offset)))
                goto done;
            wn_parser_warn(p, it.lineno, "'%.*s' is not a MEDLINE 'TAG - value' line; ignored",
                           quote_len(s, n), s);
        }
    }
    if ((rc = end_record(&m, p->len)))
        goto done;
    if (p->records == 0)
        rc = wn_parser_fail(p, 0, "no MEDLINE records found (%s)",
                            tag_lines ? "its tags hold no values"
                                      : "expected lines like 'PMID- 12345678'");
done:
    return rc;
}

/* ---- detection ----------------------------------------------------------- */

/* Scores the share of lines that look like MEDLINE, and what in them is
 * MEDLINE's own: PMID lines, tags of three or four letters ("FAU -",
 * "STAT-"), six-space continuations. RIS shares the two-letter "XX  - "
 * layout, so its TY/ER tags rule MEDLINE out. */
static int sniff(const char *text, size_t len)
{
    wn_lines it;
    wn_lines_init(&it, text, len);
    const char *s;
    size_t n;
    size_t tags = 0, padded = 0, long_tags = 0, pmid = 0, cont = 0, other = 0;
    while (wn_lines_next(&it, &s, &n, NULL)) {
        size_t lead = 0;
        while (lead < n && is_blank(s[lead]))
            lead++;
        if (lead == n)
            continue;
        size_t value_at, t = lead ? 0 : tag_line(s, n, &value_at);
        if (t) {
            tags++;
            if (value_at == 5 && (n == 5 || s[5] == ' ')) {
                padded++;
                if (t == 2 && (!memcmp(s, "TY", 2) || !memcmp(s, "ER", 2)))
                    return 0;
                if (t >= 3)
                    long_tags++;
                if (t == 4 && !memcmp(s, "PMID", 4))
                    pmid++;
            }
        } else if (lead == 6 && s[0] == ' ') {
            cont++;
        } else {
            other++;
        }
    }
    size_t lines = tags + cont + other;
    if (!padded || lines == 0)
        return 0;
    size_t fit = (tags + cont) * 100 / lines;
    if (fit < 50)
        return 0;
    int base = pmid ? 100 : long_tags ? 90 : cont ? 50 : 30;
    return (int)(base * (fit < 90 ? fit : 100) / 100);
}

const wn_format wn_format_medline = {"medline", "PubMed MEDLINE", sniff, parse};

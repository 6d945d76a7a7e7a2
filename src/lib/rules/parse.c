/* The rule file reader: tokens, statements, conditions, includes and lists,
 * compiled into a wn_rules (see docs/RULES.md for the language). Problems
 * are collected as FILE:LINE:COLUMN diagnostics; after one, the reader
 * skips to the next statement so a single check reports them all. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rules/rules_impl.h"
#include "winnow/error.h"
#include "winnow/text.h"

#define MAX_DIAGS 100
#define MAX_INCLUDE_DEPTH 16
#define MAX_NESTING 200
#define MAX_FILE_BYTES (16u * 1024u * 1024u)

typedef enum tok_type {
    T_WORD,
    T_STRING,
    T_REGEX,
    T_LPAREN,
    T_RPAREN,
    T_LBRACK,
    T_RBRACK,
    T_COMMA,
    T_LIST, /* @name */
    T_OP,   /* = != < <= > >= */
    T_TILDE,
    T_END,  /* end of the statement */
} tok_type;

typedef struct tok {
    tok_type type;
    char *text; /* owned: word, unescaped string, regex pattern, list name, op */
    size_t len;
    char *flags; /* regex flags */
    size_t line, col, offset; /* col in characters from 1; offset in the file */
    size_t end;               /* offset just past the token */
    size_t flags_col;
    int bol; /* first on its line, at column 1: starts a statement */
} tok;

typedef struct toks {
    tok *v;
    size_t n, cap;
} toks;

typedef struct named_list {
    char *name;
    size_t n;
    rl_term *terms;
    size_t n_terms;
    char **values;
} named_list;

typedef struct parser {
    wn_rules *r;
    wn_rule_diags *diags;
    wn_rules_read_fn read;
    void *read_ctx;
    /* the file being read */
    const char *path;
    const char *text;
    size_t len;
    toks *tk;
    size_t pos, stop;
    int failed;  /* the current statement has an error */
    int depth;
    int nomem;
    named_list *lists;
    size_t n_lists;
    toks **all_toks; /* kept until the end: lists borrow their text */
    size_t n_all_toks;
    char **stack; /* files being read, for include cycles */
    size_t n_stack;
    size_t cap_nodes;
    tok end; /* stands for the end of the statement */
    size_t *lex_errors; /* offsets of the current file's token errors */
    size_t n_lex_errors;
} parser;

/* ---- diagnostics ---------------------------------------------------------- */

static char *line_text(const char *text, size_t len, size_t offset)
{
    size_t a = offset > len ? len : offset, b = a;
    while (a > 0 && text[a - 1] != '\n')
        a--;
    while (b < len && text[b] != '\n')
        b++;
    if (b > a && text[b - 1] == '\r')
        b--;
    return wn_strndup(text + a, b - a);
}

static void diag_at(parser *P, const char *file, const char *text, size_t len, size_t line,
                    size_t col, size_t offset, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));

static void diag_at(parser *P, const char *file, const char *text, size_t len, size_t line,
                    size_t col, size_t offset, const char *fmt, ...)
{
    P->failed = 1;
    wn_rule_diags *d = P->diags;
    if (!d || d->n >= MAX_DIAGS)
        return;
    wn_rule_diag *grown = realloc(d->items, (d->n + 1) * sizeof *grown);
    if (!grown) {
        P->nomem = 1;
        return;
    }
    d->items = grown;
    wn_rule_diag *g = &d->items[d->n];
    wn_buf m = WN_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    int rc = wn_buf_vprintf(&m, fmt, ap);
    va_end(ap);
    g->file = wn_strdup(file);
    g->line = line;
    g->column = col;
    g->message = rc ? NULL : wn_buf_detach(&m);
    g->source_line = text ? line_text(text, len, offset) : wn_strdup("");
    wn_buf_free(&m);
    if (!g->file || !g->message || !g->source_line) {
        free(g->file);
        free(g->message);
        free(g->source_line);
        P->nomem = 1;
        return;
    }
    d->n++;
}

#define DIAG(P, t, ...) \
    diag_at(P, (P)->path, (P)->text, (P)->len, (t)->line, (t)->col, (t)->offset, __VA_ARGS__)

void wn_rule_diags_free(wn_rule_diags *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++) {
        free(d->items[i].file);
        free(d->items[i].message);
        free(d->items[i].source_line);
    }
    free(d->items);
    d->items = NULL;
    d->n = 0;
}

/* ---- tokens ---------------------------------------------------------------- */

static size_t chars_between(const char *s, size_t a, size_t b)
{
    size_t n = 0;
    for (size_t i = a; i < b; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

static int word_byte(unsigned char c)
{
    return c > ' ' && !strchr("()[],\"=<>!~#@", c);
}

static tok *push_tok(parser *P, toks *tk)
{
    if (tk->n == tk->cap) {
        size_t cap = tk->cap ? tk->cap * 2 : 64;
        tok *grown = realloc(tk->v, cap * sizeof *grown);
        if (!grown) {
            P->nomem = 1;
            return NULL;
        }
        tk->v = grown;
        tk->cap = cap;
    }
    tok *t = &tk->v[tk->n++];
    memset(t, 0, sizeof *t);
    return t;
}

static void free_toks(toks *tk)
{
    if (!tk)
        return;
    for (size_t i = 0; i < tk->n; i++) {
        free(tk->v[i].text);
        free(tk->v[i].flags);
    }
    free(tk->v);
    free(tk);
}

static void note_lex_error(parser *P, size_t offset)
{
    size_t *grown = realloc(P->lex_errors, (P->n_lex_errors + 1) * sizeof *grown);
    if (!grown) {
        P->nomem = 1;
        return;
    }
    P->lex_errors = grown;
    P->lex_errors[P->n_lex_errors++] = offset;
}

/* Splits the file into tokens; bad strings and regexes are diagnosed and
 * the rest of their line skipped. */
static void lex(parser *P, toks *tk)
{
    const char *s = P->text;
    size_t len = P->len, i = 0, line = 1, line_start = 0;
    tok_type prev = T_END;
    while (i < len && !P->nomem) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\n') {
            line++;
            line_start = ++i;
            prev = T_END;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
            i++;
            continue;
        }
        if (c == '#') {
            while (i < len && s[i] != '\n')
                i++;
            continue;
        }
        size_t start = i;
        tok probe = {0};
        probe.line = line;
        probe.col = chars_between(s, line_start, start) + 1;
        probe.offset = start;
        probe.bol = start == line_start;
        if (c == '"') {
            wn_buf b = WN_BUF_INIT;
            i++;
            int closed = 0;
            while (i < len && s[i] != '\n') {
                if (s[i] == '"') {
                    closed = 1;
                    i++;
                    break;
                }
                if (s[i] == '\\' && i + 1 < len && (s[i + 1] == '"' || s[i + 1] == '\\'))
                    i++;
                if (wn_buf_putc(&b, s[i++]))
                    P->nomem = 1;
            }
            if (!closed) {
                wn_buf_free(&b);
                DIAG(P, &probe, "unterminated string (a \" is missing on this line)");
                note_lex_error(P, start);
                continue;
            }
            probe.type = T_STRING;
            probe.len = b.len;
            probe.text = b.data ? wn_buf_detach(&b) : wn_strdup("");
        } else if (c == '/' && prev == T_TILDE) {
            i++;
            size_t a = i;
            int closed = 0;
            while (i < len && s[i] != '\n') {
                if (s[i] == '\\' && i + 1 < len && s[i + 1] != '\n') {
                    i += 2;
                    continue;
                }
                if (s[i] == '/') {
                    closed = 1;
                    break;
                }
                i++;
            }
            if (!closed) {
                DIAG(P, &probe, "unterminated regex (the closing / is missing on this line)");
                note_lex_error(P, start);
                continue;
            }
            probe.type = T_REGEX;
            probe.text = wn_strndup(s + a, i - a);
            probe.len = i - a;
            i++;
            size_t f = i;
            probe.flags_col = chars_between(s, line_start, f) + 1;
            while (i < len && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
                i++;
            probe.flags = wn_strndup(s + f, i - f);
        } else if (c == '@') {
            i++;
            while (i < len && word_byte((unsigned char)s[i]))
                i++;
            probe.type = T_LIST;
            probe.text = wn_strndup(s + start + 1, i - start - 1);
            probe.len = i - start - 1;
        } else if (strchr("=<>!", c)) {
            i++;
            if (i < len && s[i] == '=' && c != '=')
                i++;
            if (c == '!' && i - start == 1) {
                DIAG(P, &probe, "'!' must be followed by '=' (use NOT to negate)");
                note_lex_error(P, start);
                continue;
            }
            probe.type = T_OP;
            probe.text = wn_strndup(s + start, i - start);
            probe.len = i - start;
        } else if (strchr("()[],~", c)) {
            i++;
            probe.type = c == '(' ? T_LPAREN
                       : c == ')' ? T_RPAREN
                       : c == '[' ? T_LBRACK
                       : c == ']' ? T_RBRACK
                       : c == ',' ? T_COMMA
                                  : T_TILDE;
            probe.text = wn_strndup(s + start, 1);
            probe.len = 1;
        } else if (c < ' ') {
            /* Neither space nor part of a word: skip it, or the scan
             * would never move past it. */
            i++;
            DIAG(P, &probe, "unexpected control character (byte 0x%02X)", c);
            note_lex_error(P, start);
            continue;
        } else {
            while (i < len && word_byte((unsigned char)s[i]))
                i++;
            probe.type = T_WORD;
            probe.text = wn_strndup(s + start, i - start);
            probe.len = i - start;
        }
        if (!probe.text || (probe.type == T_REGEX && !probe.flags)) {
            free(probe.text);
            free(probe.flags);
            P->nomem = 1;
            return;
        }
        probe.end = i;
        tok *t = push_tok(P, tk);
        if (!t) {
            free(probe.text);
            free(probe.flags);
            return;
        }
        *t = probe;
        prev = probe.type;
    }
}

/* ---- parser helpers ------------------------------------------------------- */

static const tok *peek_at(parser *P, size_t k)
{
    if (P->pos + k < P->stop)
        return &P->tk->v[P->pos + k];
    /* The end of a statement sits just after its last token. */
    const tok *last = P->stop > 0 ? &P->tk->v[P->stop - 1] : NULL;
    tok end_tok = {0};
    end_tok.type = T_END;
    end_tok.text = "";
    end_tok.line = last ? last->line : 1;
    end_tok.col = last ? last->col + chars_between(P->text, last->offset, last->end) : 1;
    end_tok.offset = last ? last->offset : 0;
    P->end = end_tok;
    return &P->end;
}

static const tok *peek(parser *P) { return peek_at(P, 0); }

static const tok *next(parser *P)
{
    const tok *t = peek(P);
    if (P->pos < P->stop)
        P->pos++;
    return t;
}

static int is_word(const tok *t, const char *w)
{
    return t->type == T_WORD && !strcasecmp(t->text, w);
}

static const char *describe(const tok *t)
{
    return t->type == T_END ? "the end of the rule" : t->text;
}

static rl_node *new_node(parser *P, rl_kind kind)
{
    wn_rules *r = P->r;
    if (r->n_nodes == P->cap_nodes) {
        size_t cap = P->cap_nodes ? P->cap_nodes * 2 : 64;
        rl_node **grown = realloc(r->nodes, cap * sizeof *grown);
        if (!grown) {
            P->nomem = 1;
            return NULL;
        }
        r->nodes = grown;
        P->cap_nodes = cap;
    }
    rl_node *n = calloc(1, sizeof *n);
    if (!n) {
        P->nomem = 1;
        return NULL;
    }
    n->kind = kind;
    n->rule = r->n_rules;
    r->nodes[r->n_nodes++] = n;
    return n;
}

static int add_kid(parser *P, rl_node *n, rl_node *kid)
{
    rl_node **grown = realloc(n->kids, (n->n_kids + 1) * sizeof *grown);
    if (!grown) {
        P->nomem = 1;
        return -1;
    }
    n->kids = grown;
    n->kids[n->n_kids++] = kid;
    return 0;
}

static int add_value(parser *P, char ***values, size_t *n, const char *s, size_t len)
{
    wn_buf b = WN_BUF_INIT;
    char **grown = realloc(*values, (*n + 1) * sizeof *grown);
    if (!grown || rl_fold_phrase(s, len, &b)) {
        if (grown)
            *values = grown;
        wn_buf_free(&b);
        P->nomem = 1;
        return -1;
    }
    *values = grown;
    (*values)[(*n)++] = wn_buf_detach(&b);
    return 0;
}

/* ---- text terms ------------------------------------------------------------- */

static long dict_id(parser *P, const char *s, size_t len, int prefix)
{
    wn_rules *r = P->r;
    for (size_t i = 0; i < r->n_dict; i++)
        if (r->dict[i].prefix == prefix && r->dict[i].len == len &&
            !memcmp(r->dict[i].text, s, len))
            return (long)i;
    rl_dict_entry *grown = realloc(r->dict, (r->n_dict + 1) * sizeof *grown);
    if (!grown) {
        P->nomem = 1;
        return -1;
    }
    r->dict = grown;
    char *copy = wn_strndup(s, len);
    if (!copy) {
        P->nomem = 1;
        return -1;
    }
    r->dict[r->n_dict] = (rl_dict_entry){copy, len, prefix};
    return (long)r->n_dict++;
}

/* Whether a letter or digit starts at s[i] (a '*' there would cut a word). */
static int letter_at(const char *s, size_t len, size_t i)
{
    if (i >= len)
        return 0;
    unsigned char c = (unsigned char)s[i];
    return c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Appends the term a word or "phrase" token stands for to *terms. */
static int make_term(parser *P, const tok *t, rl_term **terms, size_t *n_terms,
                     const char *file, const char *text, size_t text_len)
{
    rl_words w = {NULL, 0, 0};
    wn_buf fold = WN_BUF_INIT;
    int rc = -1;
    uint32_t *ids = NULL;
    if (rl_split_words(t->text, t->len, &fold, &w)) {
        P->nomem = 1;
        goto done;
    }
    for (size_t i = 0; i < t->len; i++) {
        char c = t->text[i];
        int after_word = 0;
        for (size_t k = 0; k < w.n; k++)
            after_word |= w.v[k].end == i;
        int word_follows = letter_at(t->text, t->len, i + 1);
        if (c == '*' && (!after_word || word_follows)) {
            diag_at(P, file, text, text_len, t->line, t->col, t->offset,
                    "truncation '*' must end a word (as in child*) in '%s'", t->text);
            goto done;
        }
        if (c == '?' && t->type == T_WORD) {
            diag_at(P, file, text, text_len, t->line, t->col, t->offset,
                    "wildcard '?' is not supported in '%s'; use truncation (child*)",
                    t->text);
            goto done;
        }
    }
    if (w.n == 0) {
        diag_at(P, file, text, text_len, t->line, t->col, t->offset,
                "'%s' has no letters or digits to search for", t->text);
        goto done;
    }
    ids = malloc(w.n * sizeof *ids);
    rl_term *grown = ids ? realloc(*terms, (*n_terms + 1) * sizeof *grown) : NULL;
    if (!grown) {
        P->nomem = 1;
        goto done;
    }
    *terms = grown;
    for (size_t k = 0; k < w.n; k++) {
        int prefix = w.v[k].end < t->len && t->text[w.v[k].end] == '*';
        long id = dict_id(P, fold.data + w.v[k].off, w.v[k].len, prefix);
        if (id < 0)
            goto done;
        ids[k] = (uint32_t)id;
    }
    (*terms)[(*n_terms)++] = (rl_term){ids, w.n, RL_DEFAULT, 0};
    ids = NULL;
    rc = 0;
done:
    free(ids);
    free(w.v);
    wn_buf_free(&fold);
    return rc;
}

static named_list *find_list(parser *P, const char *name)
{
    for (size_t i = 0; i < P->n_lists; i++)
        if (!strcasecmp(P->lists[i].name, name))
            return &P->lists[i];
    return NULL;
}

static named_list *list_ref(parser *P, const tok *t)
{
    named_list *l = find_list(P, t->text);
    if (!l)
        DIAG(P, t, "unknown list '@%s' (define it above with: list %s = ...)", t->text,
             t->text);
    return l;
}

static int copy_terms(parser *P, rl_node *n, const rl_term *src, size_t k)
{
    rl_term *grown = realloc(n->terms, (n->n_terms + k) * sizeof *grown);
    if (!grown) {
        P->nomem = 1;
        return -1;
    }
    n->terms = grown;
    for (size_t i = 0; i < k; i++) {
        rl_term t = src[i];
        t.words = malloc(t.n * sizeof *t.words);
        if (!t.words) {
            P->nomem = 1;
            return -1;
        }
        memcpy(t.words, src[i].words, t.n * sizeof *t.words);
        n->terms[n->n_terms++] = t;
    }
    return 0;
}

/* ---- conditions ---------------------------------------------------------- */

static unsigned tag_fields(const char *tag)
{
    static const struct {
        const char *tag;
        unsigned fields;
    } tags[] = {{"ti", RL_TI}, {"ab", RL_AB}, {"tiab", RL_TI | RL_AB},
                {"kw", RL_KW}, {"mh", RL_KW}, {"au", RL_AU},
                {"so", RL_SO}, {"ta", RL_SO}, {"tiabkw", RL_DEFAULT},
                {"all", RL_TI | RL_AB | RL_KW | RL_AU | RL_SO}};
    for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++)
        if (!strcasecmp(tag, tags[i].tag))
            return tags[i].fields;
    return 0;
}

static void apply_tag(rl_node *n, unsigned fields)
{
    for (size_t i = 0; i < n->n_terms; i++)
        if (!n->terms[i].tagged) {
            n->terms[i].fields = fields;
            n->terms[i].tagged = 1;
        }
    for (size_t i = 0; i < n->n_kids; i++)
        apply_tag(n->kids[i], fields);
}

/* An optional [tag] after a term or group. */
static int maybe_tag(parser *P, rl_node *n)
{
    if (peek(P)->type != T_LBRACK)
        return 0;
    next(P);
    const tok *t = next(P);
    unsigned fields = t->type == T_WORD ? tag_fields(t->text) : 0;
    if (!fields) {
        DIAG(P, t, "unknown field tag '%s' (use ti, ab, tiab, kw, au or so)", describe(t));
        return -1;
    }
    const tok *close = next(P);
    if (close->type != T_RBRACK) {
        DIAG(P, close, "expected ']' to close the field tag, found '%s'", describe(close));
        return -1;
    }
    apply_tag(n, fields);
    return 0;
}

static rl_node *parse_or(parser *P);

/* Field names a test may read, with the aliases people write. */
static unsigned select_fields(const char *name)
{
    if (!strcasecmp(name, "journal") || !strcasecmp(name, "so"))
        return 1u << WN_F_JOURNAL | 1u << WN_F_JOURNAL_ABBR;
    if (!strcasecmp(name, "pubtype") || !strcasecmp(name, "pubtypes"))
        return 1u << WN_F_PUBTYPE | 1u << WN_F_TYPE_RAW;
    if (!strcasecmp(name, "author"))
        return 1u << WN_F_AUTHOR;
    if (!strcasecmp(name, "keyword"))
        return 1u << WN_F_KEYWORD;
    if (!strcasecmp(name, "url"))
        return 1u << WN_F_URL;
    int f = wn_field_by_name(name);
    if (f < 0) {
        /* Accept the name in any case. */
        for (int k = 0; k < WN_F_EXTRA; k++)
            if (!strcasecmp(name, wn_field_name((wn_field)k)))
                f = k;
    }
    return f >= 0 && f < WN_F_EXTRA ? 1u << f : 0;
}

static int parse_values(parser *P, rl_node *n)
{
    const tok *t = next(P);
    if (t->type == T_LIST) {
        named_list *l = list_ref(P, t);
        if (!l)
            return -1;
        for (size_t i = 0; i < l->n; i++)
            if (add_value(P, &n->values, &n->n_values, l->values[i], strlen(l->values[i])))
                return -1;
        return 0;
    }
    if (t->type != T_LPAREN) {
        DIAG(P, t, "expected a list of values in parentheses or @list after 'in', found '%s'",
             describe(t));
        return -1;
    }
    for (;;) {
        const tok *v = next(P);
        if (v->type != T_WORD && v->type != T_STRING) {
            DIAG(P, v, "expected a value, found '%s'", describe(v));
            return -1;
        }
        if (add_value(P, &n->values, &n->n_values, v->text, v->len))
            return -1;
        const tok *sep = next(P);
        if (sep->type == T_RPAREN)
            return 0;
        if (sep->type != T_COMMA) {
            DIAG(P, sep, "expected ',' or ')' in the list of values, found '%s'",
                 describe(sep));
            return -1;
        }
    }
}

/* The bytes a match can start with, as PCRE2 works them out (a table of
 * 256 flags), or NULL when it gives none (a fixed first character, which
 * the JIT finds fast itself, or any byte). Lets the evaluator skip values
 * in which no match can start without calling PCRE2; a pattern that can
 * match the empty string has no such set. */
static unsigned char *start_bytes_of(const pcre2_code *re)
{
    uint32_t type = 0, min_length = 0;
    const uint8_t *bitmap = NULL;
    if (pcre2_pattern_info(re, PCRE2_INFO_MINLENGTH, &min_length) || min_length == 0 ||
        pcre2_pattern_info(re, PCRE2_INFO_FIRSTCODETYPE, &type) || type != 0 ||
        pcre2_pattern_info(re, PCRE2_INFO_FIRSTBITMAP, &bitmap) || !bitmap)
        return NULL;
    unsigned char *t = malloc(256); /* optional: without it PCRE2 scans alone */
    for (unsigned c = 0; t && c < 256; c++)
        t[c] = (unsigned char)((bitmap[c / 8] >> (c % 8)) & 1);
    return t;
}

static int compile_regex(parser *P, rl_node *n, const tok *t)
{
    uint32_t opts = PCRE2_UTF | PCRE2_UCP;
    for (size_t i = 0; t->flags[i]; i++) {
        switch (t->flags[i]) {
        case 'i': opts |= PCRE2_CASELESS; break;
        case 'm': opts |= PCRE2_MULTILINE; break;
        case 's': opts |= PCRE2_DOTALL; break;
        case 'x': opts |= PCRE2_EXTENDED; break;
        default:
            diag_at(P, P->path, P->text, P->len, t->line, t->flags_col + i, t->offset,
                    "unknown regex flag '%c' (use i, m, s or x)", t->flags[i]);
            return -1;
        }
    }
    int err;
    PCRE2_SIZE at;
    n->re = pcre2_compile((PCRE2_SPTR)t->text, t->len, opts, &err, &at, NULL);
    if (!n->re) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(err, msg, sizeof msg);
        size_t col = t->col + 1 + chars_between(t->text, 0, at > t->len ? t->len : at);
        diag_at(P, P->path, P->text, P->len, t->line, col, t->offset, "regex: %s",
                (const char *)msg);
        return -1;
    }
    pcre2_jit_compile(n->re, PCRE2_JIT_COMPLETE); /* optional: falls back to the interpreter */
    n->start_bytes = start_bytes_of(n->re);
    P->r->n_regex++;
    return 0;
}

/* What follows a field name: ~ /re/, is VALUE, in (VALUES). */
/* Takes sel (its extra_tag): a node made here owns it, and it is freed
 * when none is. */
static rl_node *parse_comparison(parser *P, rl_select sel, const char *what)
{
    const tok *t = next(P);
    rl_node *n = NULL;
    if (t->type == T_TILDE) {
        const tok *re = next(P);
        if (re->type != T_REGEX)
            DIAG(P, re, "expected /regex/ after '~', found '%s'", describe(re));
        else
            n = new_node(P, RL_REGEX);
        if (!n) {
            free(sel.extra_tag);
            return NULL;
        }
        n->sel = sel;
        return compile_regex(P, n, re) ? NULL : n;
    }
    if (is_word(t, "is") || is_word(t, "in") || (t->type == T_OP && !strcmp(t->text, "="))) {
        n = new_node(P, RL_IS);
        if (!n) {
            free(sel.extra_tag);
            return NULL;
        }
        n->sel = sel;
        if (is_word(t, "in"))
            return parse_values(P, n) ? NULL : n;
        const tok *v = peek(P);
        if (v->type == T_LIST)
            return parse_values(P, n) ? NULL : n;
        next(P);
        if (v->type != T_WORD && v->type != T_STRING) {
            DIAG(P, v, "expected a value after '%s', found '%s'", t->text, describe(v));
            return NULL;
        }
        return add_value(P, &n->values, &n->n_values, v->text, v->len) ? NULL : n;
    }
    DIAG(P, t, "expected '~ /regex/', 'is VALUE' or 'in (VALUES)' after %s, found '%s'", what,
         describe(t));
    free(sel.extra_tag);
    return NULL;
}

static int parse_year_number(parser *P, const tok *t, const char *s, size_t len, int *out)
{
    if (len == 0 || len > 4) {
        DIAG(P, t, "expected a year (such as 1990), found '%s'", describe(t));
        return -1;
    }
    int v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') {
            DIAG(P, t, "expected a year (such as 1990), found '%s'", describe(t));
            return -1;
        }
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

static rl_node *parse_year(parser *P)
{
    rl_node *n = new_node(P, RL_YEAR);
    if (!n)
        return NULL;
    const tok *t = next(P);
    if (is_word(t, "is"))
        t = next(P);
    if (t->type == T_OP) {
        const tok *v = next(P);
        int y;
        if (v->type != T_WORD) {
            DIAG(P, v, "expected a year after '%s', found '%s'", t->text, describe(v));
            return NULL;
        }
        if (parse_year_number(P, v, v->text, v->len, &y))
            return NULL;
        const char *op = t->text;
        n->year_lo = 0;
        n->year_hi = INT_MAX;
        if (!strcmp(op, "="))
            n->year_lo = n->year_hi = y;
        else if (!strcmp(op, "<"))
            n->year_hi = y - 1;
        else if (!strcmp(op, "<="))
            n->year_hi = y;
        else if (!strcmp(op, ">"))
            n->year_lo = y + 1;
        else if (!strcmp(op, ">="))
            n->year_lo = y;
        else { /* != : a range that excludes one year is an OR of two */
            rl_node *lo = new_node(P, RL_YEAR), *hi = new_node(P, RL_YEAR);
            if (!lo || !hi)
                return NULL;
            lo->year_lo = 0;
            lo->year_hi = y - 1;
            hi->year_lo = y + 1;
            hi->year_hi = INT_MAX;
            n->kind = RL_OR;
            if (add_kid(P, n, lo) || add_kid(P, n, hi))
                return NULL;
        }
        return n;
    }
    if (t->type != T_WORD) {
        DIAG(P, t, "expected a year or a range (1990-2023) after 'year', found '%s'",
             describe(t));
        return NULL;
    }
    const char *dash = strstr(t->text, "..");
    size_t skip = 2;
    if (!dash) {
        dash = strchr(t->text, '-');
        skip = 1;
    }
    if (!dash) {
        if (parse_year_number(P, t, t->text, t->len, &n->year_lo))
            return NULL;
        n->year_hi = n->year_lo;
        return n;
    }
    size_t a = (size_t)(dash - t->text);
    if (parse_year_number(P, t, t->text, a, &n->year_lo) ||
        parse_year_number(P, t, dash + skip, t->len - a - skip, &n->year_hi))
        return NULL;
    if (n->year_lo > n->year_hi) {
        DIAG(P, t, "year range '%s' runs backwards", t->text);
        return NULL;
    }
    return n;
}

static rl_node *parse_text_term(parser *P, const tok *t)
{
    rl_node *n = new_node(P, RL_TEXT);
    if (!n || make_term(P, t, &n->terms, &n->n_terms, P->path, P->text, P->len))
        return NULL;
    return maybe_tag(P, n) ? NULL : n;
}

static rl_node *parse_primary(parser *P)
{
    const tok *t = peek(P);
    if (t->type == T_LPAREN) {
        if (++P->depth > MAX_NESTING) {
            DIAG(P, t, "parentheses nested too deeply");
            return NULL;
        }
        next(P);
        rl_node *n = parse_or(P);
        P->depth--;
        if (!n)
            return NULL;
        const tok *c = next(P);
        if (c->type != T_RPAREN) {
            DIAG(P, c, "expected ')' (or AND, OR, NOT, NEAR/n), found '%s'", describe(c));
            return NULL;
        }
        return maybe_tag(P, n) ? NULL : n;
    }
    if (t->type == T_LIST) {
        next(P);
        named_list *l = list_ref(P, t);
        rl_node *n = l ? new_node(P, RL_TEXT) : NULL;
        if (!n || copy_terms(P, n, l->terms, l->n_terms))
            return NULL;
        return maybe_tag(P, n) ? NULL : n;
    }
    if (t->type == T_STRING) {
        next(P);
        return parse_text_term(P, t);
    }
    if (t->type != T_WORD) {
        DIAG(P, t, "expected a search term or a test, found '%s'", describe(t));
        return NULL;
    }
    const tok *after = peek_at(P, 1);
    int compares = after->type == T_TILDE || after->type == T_OP || is_word(after, "is") ||
                   is_word(after, "in");
    if (is_word(t, "year") &&
        (compares || (after->type == T_WORD && after->text[0] >= '0' && after->text[0] <= '9'))) {
        next(P);
        return parse_year(P);
    }
    if (is_word(t, "has")) {
        next(P);
        const tok *f = next(P);
        rl_node *n = new_node(P, RL_HAS);
        if (!n)
            return NULL;
        if (is_word(f, "extra")) {
            const tok *tag = next(P);
            if (tag->type != T_STRING && tag->type != T_WORD) {
                DIAG(P, tag, "expected the extra tag's name after 'has extra', found '%s'",
                     describe(tag));
                return NULL;
            }
            wn_buf b = WN_BUF_INIT;
            if (rl_fold_phrase(tag->text, tag->len, &b)) {
                P->nomem = 1;
                return NULL;
            }
            n->sel.extra_tag = wn_buf_detach(&b);
            return n;
        }
        n->sel.fields = f->type == T_WORD ? select_fields(f->text) : 0;
        if (!n->sel.fields) {
            DIAG(P, f, "unknown field '%s' after 'has' (abstract, doi, year, journal, ...)",
                 describe(f));
            return NULL;
        }
        return n;
    }
    if (is_word(t, "is")) {
        next(P);
        const tok *a = next(P);
        if (is_word(a, "preprint"))
            return new_node(P, RL_PREPRINT);
        if (is_word(a, "open") && is_word(peek(P), "access")) {
            next(P);
            return new_node(P, RL_OA);
        }
        if (is_word(a, "peer") && is_word(peek(P), "reviewed")) {
            next(P);
            return new_node(P, RL_PEER);
        }
        DIAG(P, a, "expected 'open access', 'peer reviewed' or 'preprint' after 'is', found '%s'",
             describe(a));
        return NULL;
    }
    if (is_word(t, "extra") && (after->type == T_STRING || after->type == T_WORD)) {
        next(P);
        next(P);
        rl_select sel = {0, NULL};
        wn_buf b = WN_BUF_INIT;
        if (rl_fold_phrase(after->text, after->len, &b)) {
            P->nomem = 1;
            return NULL;
        }
        sel.extra_tag = wn_buf_detach(&b);
        return parse_comparison(P, sel, "the extra tag");
    }
    if (is_word(t, "source") && (is_word(after, "is") || is_word(after, "in"))) {
        next(P);
        rl_node *n = new_node(P, RL_SOURCE);
        if (!n)
            return NULL;
        const tok *op = next(P);
        if (is_word(op, "in") || peek(P)->type == T_LIST)
            return parse_values(P, n) ? NULL : n;
        const tok *v = next(P);
        if (v->type != T_WORD && v->type != T_STRING) {
            DIAG(P, v, "expected a source name after 'source is', found '%s'", describe(v));
            return NULL;
        }
        return add_value(P, &n->values, &n->n_values, v->text, v->len) ? NULL : n;
    }
    int equals = after->type == T_OP && !strcmp(after->text, "=");
    unsigned fields = compares && (after->type != T_OP || equals) ? select_fields(t->text) : 0;
    if (fields) {
        next(P);
        rl_select sel = {fields, NULL};
        return parse_comparison(P, sel, t->text);
    }
    next(P);
    return parse_text_term(P, t);
}

static int near_distance(const tok *t)
{
    if (t->type != T_WORD || strncasecmp(t->text, "near", 4))
        return -1;
    if (t->len == 4)
        return -2;
    if (t->text[4] != '/' || t->len < 6 || t->len > 8)
        return -1;
    int d = 0;
    for (size_t i = 5; i < t->len; i++) {
        if (t->text[i] < '0' || t->text[i] > '9')
            return -1;
        d = d * 10 + (t->text[i] - '0');
    }
    return d;
}

static rl_node *parse_near(parser *P)
{
    rl_node *left = parse_primary(P);
    for (int d; left && (d = near_distance(peek(P))) != -1;) {
        const tok *op = next(P);
        if (d == -2) {
            DIAG(P, op, "NEAR needs a distance in words, as in NEAR/3");
            return NULL;
        }
        if (left->kind != RL_TEXT) {
            DIAG(P, op, "NEAR joins search terms (or groups of terms joined by OR)");
            return NULL;
        }
        const tok *rt = peek(P);
        rl_node *right = parse_primary(P);
        if (!right)
            return NULL;
        if (right->kind != RL_TEXT) {
            DIAG(P, rt, "NEAR joins search terms (or groups of terms joined by OR)");
            return NULL;
        }
        rl_node *n = new_node(P, RL_NEAR);
        if (!n || add_kid(P, n, left) || add_kid(P, n, right))
            return NULL;
        n->distance = d;
        /* A tag after the whole NEAR (handled by the caller's group) or
         * after an operand applies to that operand's terms. */
        left = n;
    }
    return left;
}

static rl_node *parse_not(parser *P)
{
    const tok *t = peek(P);
    if (is_word(t, "not")) {
        next(P);
        if (++P->depth > MAX_NESTING) {
            DIAG(P, t, "NOT nested too deeply");
            return NULL;
        }
        rl_node *kid = parse_not(P);
        P->depth--;
        rl_node *n = kid ? new_node(P, RL_NOT) : NULL;
        if (!n || add_kid(P, n, kid))
            return NULL;
        return n;
    }
    return parse_near(P);
}

/* Folds a chain of the same operator into one node; ORs of plain terms
 * become one text node, so NEAR can take them as one operand. */
static rl_node *join(parser *P, rl_kind kind, rl_node *left, rl_node *right)
{
    if (kind == RL_OR && left->kind == RL_TEXT && right->kind == RL_TEXT) {
        if (copy_terms(P, left, right->terms, right->n_terms))
            return NULL;
        return left;
    }
    if (left->kind == kind)
        return add_kid(P, left, right) ? NULL : left;
    rl_node *n = new_node(P, kind);
    if (!n || add_kid(P, n, left) || add_kid(P, n, right))
        return NULL;
    return n;
}

static int starts_operand(const tok *t)
{
    return t->type == T_WORD || t->type == T_STRING || t->type == T_LPAREN ||
           t->type == T_LIST;
}

static rl_node *parse_and(parser *P)
{
    rl_node *left = parse_not(P);
    while (left) {
        const tok *t = peek(P);
        if (is_word(t, "and")) {
            next(P);
        } else if (is_word(t, "not")) {
            /* "a NOT b" means a AND NOT b, as in database search strings */
        } else if (is_word(t, "or") || !starts_operand(t)) {
            break;
        } else {
            DIAG(P, t,
                 "expected AND, OR, NOT or NEAR/n before '%s' (write a phrase in quotes: "
                 "\"social work\")",
                 t->text);
            return NULL;
        }
        rl_node *right = parse_not(P);
        left = right ? join(P, RL_AND, left, right) : NULL;
    }
    return left;
}

static rl_node *parse_or(parser *P)
{
    rl_node *left = parse_and(P);
    while (left && is_word(peek(P), "or")) {
        next(P);
        rl_node *right = parse_and(P);
        left = right ? join(P, RL_OR, left, right) : NULL;
    }
    return left;
}

/* ---- statements ------------------------------------------------------------- */

static int valid_name(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (!(c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'))
            return 0;
    }
    return 1;
}

static void expect_end(parser *P)
{
    const tok *t = peek(P);
    if (!P->failed && t->type != T_END) {
        if (t->type == T_RPAREN)
            DIAG(P, t, "')' without a matching '('");
        else
            DIAG(P, t, "unexpected '%s' (is an AND or OR missing?)", t->text);
    }
}

static void parse_rule(parser *P, wn_rule_action action)
{
    const tok *name = next(P);
    if (name->type != T_WORD || !valid_name(name->text) || is_word(name, "when")) {
        DIAG(P, name, "expected the rule's name (letters, digits, - _ .), found '%s'",
             describe(name));
        return;
    }
    for (size_t i = 0; i < P->r->n_rules; i++)
        if (!strcasecmp(P->r->rules[i].info.name, name->text)) {
            DIAG(P, name, "a rule named '%s' already exists (%s:%zu)", name->text,
                 P->r->rules[i].info.file, P->r->rules[i].info.line);
            return;
        }
    wn_rule_info info = {0};
    info.action = action;
    info.line = name->line;
    const tok *reason = NULL;
    if (peek(P)->type == T_STRING)
        reason = next(P);
    if (is_word(peek(P), "as")) {
        next(P);
        const tok *box = next(P);
        if (action == WN_RULE_FLAG && (is_word(box, "positive") || is_word(box, "negative")))
            info.negative = is_word(box, "negative");
        else if (action != WN_RULE_FLAG && (is_word(box, "automation") || is_word(box, "other")))
            info.other = is_word(box, "other");
        else {
            DIAG(P, box, "expected %s after 'as', found '%s'",
                 action == WN_RULE_FLAG ? "'positive' or 'negative'" : "'automation' or 'other'",
                 describe(box));
            return;
        }
    }
    if (action == WN_RULE_EXCLUDE)
        info.negative = 1;
    const tok *when = next(P);
    if (!is_word(when, "when")) {
        DIAG(P, when, "expected 'when' before the condition, found '%s'", describe(when));
        return;
    }
    if (peek(P)->type == T_END) {
        DIAG(P, peek(P), "expected a condition after 'when' (continuation lines must be "
                         "indented)");
        return;
    }
    rl_node *cond = parse_or(P);
    if (!cond)
        return;
    expect_end(P);
    if (P->failed)
        return;
    rl_rule *grown = realloc(P->r->rules, (P->r->n_rules + 1) * sizeof *grown);
    if (!grown) {
        P->nomem = 1;
        return;
    }
    P->r->rules = grown;
    info.name = wn_strdup(name->text);
    info.reason = wn_strdup(reason ? reason->text : name->text);
    info.file = wn_strdup(P->path);
    if (!info.name || !info.reason || !info.file) {
        free((char *)info.name);
        free((char *)info.reason);
        free((char *)info.file);
        P->nomem = 1;
        return;
    }
    P->r->rules[P->r->n_rules++] = (rl_rule){info, cond};
}

static void parse_list(parser *P)
{
    const tok *name = next(P);
    if (name->type != T_WORD || !valid_name(name->text)) {
        DIAG(P, name, "expected the list's name, found '%s'", describe(name));
        return;
    }
    if (find_list(P, name->text)) {
        DIAG(P, name, "a list named '%s' already exists", name->text);
        return;
    }
    const tok *eq = next(P);
    if (eq->type != T_OP || strcmp(eq->text, "=")) {
        DIAG(P, eq, "expected '=' after the list's name, found '%s'", describe(eq));
        return;
    }
    named_list l = {0};
    char **vals;
    for (;;) {
        const tok *v = next(P);
        if (v->type != T_WORD && v->type != T_STRING) {
            DIAG(P, v, "expected a list item (word or \"quoted text\"), found '%s'",
                 describe(v));
            break;
        }
        if (!(vals = realloc(l.values, (l.n + 1) * sizeof *vals))) {
            P->nomem = 1;
            break;
        }
        l.values = vals;
        l.values[l.n++] = NULL;
        wn_buf b = WN_BUF_INIT;
        if (rl_fold_phrase(v->text, v->len, &b)) {
            P->nomem = 1;
            break;
        }
        l.values[l.n - 1] = wn_buf_detach(&b);
        if (make_term(P, v, &l.terms, &l.n_terms, P->path, P->text, P->len))
            break;
        const tok *sep = peek(P);
        if (sep->type == T_END)
            break;
        next(P);
        if (sep->type != T_COMMA) {
            DIAG(P, sep, "expected ',' between list items, found '%s'", describe(sep));
            break;
        }
    }
    named_list *grown = P->failed ? NULL : realloc(P->lists, (P->n_lists + 1) * sizeof *grown);
    l.name = grown ? wn_strdup(name->text) : NULL;
    if (!l.name) {
        if (!P->failed)
            P->nomem = 1;
        if (grown)
            P->lists = grown;
        for (size_t i = 0; i < l.n_terms; i++)
            free(l.terms[i].words);
        for (size_t i = 0; i < l.n; i++)
            free(l.values[i]);
        free(l.terms);
        free(l.values);
        return;
    }
    P->lists = grown;
    P->lists[P->n_lists++] = l;
}

static int read_disk(void *ctx, const char *path, char **text, size_t *len, wn_err *err)
{
    (void)ctx;
    FILE *f = fopen(path, "rb");
    if (!f)
        return wn_err_set(err, WN_EIO, "cannot read '%s': %s", path, strerror(errno));
    wn_buf b = WN_BUF_INIT;
    b.limit = MAX_FILE_BYTES;
    char chunk[65536];
    size_t n;
    int rc = 0;
    while (!rc && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        rc = wn_buf_append(&b, chunk, n);
    if (!rc && ferror(f))
        rc = wn_err_set(err, WN_EIO, "cannot read '%s': %s", path, strerror(errno));
    else if (rc)
        rc = wn_err_set(err, WN_ENOMEM, "'%s' is too large for a rule file", path);
    fclose(f);
    if (!rc && !b.data)
        rc = wn_buf_append(&b, "", 0);
    if (rc) {
        wn_buf_free(&b);
        return rc;
    }
    *len = b.len;
    *text = wn_buf_detach(&b);
    return 0;
}

static void parse_file(parser *P, const char *path, char *text, size_t len);

static char *join_path(const char *base, const char *rel)
{
    if (rel[0] == '/')
        return wn_strdup(rel);
    const char *slash = strrchr(base, '/');
    wn_buf b = WN_BUF_INIT;
    if ((slash && wn_buf_append(&b, base, (size_t)(slash - base) + 1)) || wn_buf_puts(&b, rel)) {
        wn_buf_free(&b);
        return NULL;
    }
    return wn_buf_detach(&b);
}

static void parse_include(parser *P)
{
    const tok *t = next(P);
    if (t->type != T_STRING) {
        DIAG(P, t, "expected the file to include in quotes, found '%s'", describe(t));
        return;
    }
    expect_end(P);
    if (P->failed)
        return;
    char *path = join_path(P->path, t->text);
    if (!path) {
        P->nomem = 1;
        return;
    }
    for (size_t i = 0; i < P->n_stack; i++)
        if (!strcmp(P->stack[i], path)) {
            wn_buf chain = WN_BUF_INIT;
            for (size_t k = i; k < P->n_stack; k++)
                wn_buf_printf(&chain, "%s -> ", P->stack[k]);
            wn_buf_puts(&chain, path);
            DIAG(P, t, "include cycle: %s", chain.data ? chain.data : path);
            wn_buf_free(&chain);
            free(path);
            return;
        }
    if (P->n_stack >= MAX_INCLUDE_DEPTH) {
        DIAG(P, t, "includes nested more than %d deep", MAX_INCLUDE_DEPTH);
        free(path);
        return;
    }
    char *text = NULL;
    size_t len = 0;
    wn_err err = {0};
    int rc = P->read ? P->read(P->read_ctx, path, &text, &len, &err)
                     : read_disk(NULL, path, &text, &len, &err);
    if (rc) {
        DIAG(P, t, "%s", err.msg[0] ? err.msg : "cannot read the included file");
        free(path);
        return;
    }
    /* The included file is read with its own position; this statement's
     * position is restored afterwards. */
    parser saved = *P;
    parse_file(P, path, text, len);
    P->path = saved.path;
    P->text = saved.text;
    P->len = saved.len;
    P->tk = saved.tk;
    P->pos = saved.pos;
    P->stop = saved.stop;
    P->failed = 0;
    free(path);
}

static int add_file(parser *P, const char *path, char *text, size_t len)
{
    rl_file *grown = realloc(P->r->files, (P->r->n_files + 1) * sizeof *grown);
    if (!grown) {
        free(text);
        P->nomem = 1;
        return -1;
    }
    P->r->files = grown;
    rl_file *f = &grown[P->r->n_files];
    f->path = wn_strdup(path);
    f->text = text;
    if (!f->path) {
        free(text);
        P->nomem = 1;
        return -1;
    }
    wn_sha256_hex(text, len, f->sha256);
    P->r->n_files++;
    return 0;
}

/* Reads one file (taking text) and its includes. */
static void parse_file(parser *P, const char *path, char *text, size_t len)
{
    if (add_file(P, path, text, len))
        return;
    /* The strings stay put when an include grows the files array. */
    const char *my_path = P->r->files[P->r->n_files - 1].path;
    P->path = my_path;
    P->text = text;
    P->len = len;
    if (!wn_utf8_valid(text, len)) {
        diag_at(P, my_path, NULL, 0, 1, 1, 0, "the file is not valid UTF-8 text");
        return;
    }
    toks *tk = calloc(1, sizeof *tk);
    toks **kept = tk ? realloc(P->all_toks, (P->n_all_toks + 1) * sizeof *kept) : NULL;
    char **stack = kept ? realloc(P->stack, (P->n_stack + 1) * sizeof *stack) : NULL;
    if (kept)
        P->all_toks = kept;
    if (stack)
        P->stack = stack;
    if (!tk || !kept || !stack) {
        free(tk);
        P->nomem = 1;
        return;
    }
    P->all_toks[P->n_all_toks++] = tk;
    P->stack[P->n_stack++] = (char *)my_path;
    P->tk = tk;
    P->n_lex_errors = 0;
    lex(P, tk);
    size_t *lex_errors = P->lex_errors, n_lex_errors = P->n_lex_errors;
    P->lex_errors = NULL;
    P->n_lex_errors = 0;
    size_t i = 0, next_error = 0;
    while (i < tk->n && !P->nomem) {
        size_t stop = i + 1;
        while (stop < tk->n && !tk->v[stop].bol)
            stop++;
        P->tk = tk;
        P->pos = i;
        P->stop = stop;
        P->failed = 0;
        P->depth = 0;
        P->path = my_path;
        P->text = text;
        P->len = len;
        size_t to = stop < tk->n ? tk->v[stop].offset : len;
        /* lex_errors ascend, as statements do: one pass over both. */
        while (next_error < n_lex_errors && lex_errors[next_error] < tk->v[i].offset)
            next_error++;
        int lex_bad = next_error < n_lex_errors && lex_errors[next_error] < to;
        const tok *t = next(P);
        if (lex_bad)
            ; /* already reported */
        else if (!t->bol)
            DIAG(P, t, "a statement must start at the beginning of a line");
        else if (is_word(t, "exclude"))
            parse_rule(P, WN_RULE_EXCLUDE);
        else if (is_word(t, "require"))
            parse_rule(P, WN_RULE_REQUIRE);
        else if (is_word(t, "flag"))
            parse_rule(P, WN_RULE_FLAG);
        else if (is_word(t, "list"))
            parse_list(P);
        else if (is_word(t, "include"))
            parse_include(P);
        else
            DIAG(P, t,
                 "expected exclude, require, flag, list or include, found '%s' "
                 "(continuation lines must be indented)",
                 t->text);
        i = stop;
    }
    free(lex_errors);
    P->n_stack--;
}

/* ---- the rule set --------------------------------------------------------- */

uint64_t rl_hash(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

static void set_key(wn_rules *r, unsigned key) { r->lead[key >> 6] |= 1ull << (key & 63); }

/* Which words of a record can match entry e, by their first three bytes:
 * the record side checks only words led by ASCII bytes, whose folded form
 * starts with the same bytes lower-cased. A short stem admits every
 * continuation. */
static void note_lead(wn_rules *r, const rl_dict_entry *e)
{
    unsigned char c[3] = {0, 0, 0};
    size_t n = e->len < 3 ? e->len : 3;
    for (size_t k = 0; k < n; k++)
        if ((c[k] = (unsigned char)e->text[k]) >= 0x80)
            return; /* such words take the slow path on the record side */
    set_key(r, rl_lead_key(c[0], c[1], c[2]));
    if (!e->prefix || n == 3)
        return;
    for (unsigned x = 1; x < 0x80; x++) {
        if (n == 2) {
            set_key(r, rl_lead_key(c[0], c[1], x));
            continue;
        }
        set_key(r, rl_lead_key(c[0], x, 0));
        for (unsigned y = 1; y < 0x80; y++)
            set_key(r, rl_lead_key(c[0], x, y));
    }
}

static int build_table(wn_rules *r, rl_table *t, int prefix)
{
    size_t size = 16;
    while (size < r->n_dict * 2 + 16)
        size *= 2;
    t->slots = calloc(size, sizeof *t->slots);
    t->hashes = calloc(size, sizeof *t->hashes);
    if (!t->slots || !t->hashes)
        return WN_ENOMEM;
    t->mask = size - 1;
    for (size_t k = 0; k < r->n_dict; k++) {
        if (r->dict[k].prefix != prefix)
            continue;
        uint64_t h = rl_hash(r->dict[k].text, r->dict[k].len);
        size_t i = h & t->mask;
        while (t->slots[i])
            i = (i + 1) & t->mask;
        t->slots[i] = (uint32_t)k + 1;
        t->hashes[i] = h;
        note_lead(r, &r->dict[k]);
        if (prefix) {
            size_t n = r->dict[k].len;
            if (n >= 64)
                r->long_prefixes = 1;
            else if (n >= 2)
                r->stem_lengths[rl_stem_key(r->dict[k].text)] |= 1ull << n;
            else
                r->prefix_lengths |= 1ull << n;
        }
    }
    return 0;
}

static void note_uses(wn_rules *r, const rl_node *n)
{
    if (n->kind == RL_SOURCE)
        r->use_sources = 1;
    for (size_t i = 0; i < n->n_terms; i++)
        r->text_fields |= n->terms[i].fields;
    for (size_t i = 0; i < n->n_kids; i++)
        note_uses(r, n->kids[i]);
}

static void free_node(rl_node *n)
{
    free(n->kids);
    for (size_t i = 0; i < n->n_terms; i++)
        free(n->terms[i].words);
    free(n->terms);
    free(n->sel.extra_tag);
    pcre2_code_free(n->re);
    free(n->start_bytes);
    for (size_t i = 0; i < n->n_values; i++)
        free(n->values[i]);
    free(n->values);
    free(n);
}

void wn_rules_free(wn_rules *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n_nodes; i++)
        free_node(r->nodes[i]);
    free(r->nodes);
    for (size_t i = 0; i < r->n_rules; i++) {
        free((char *)r->rules[i].info.name);
        free((char *)r->rules[i].info.reason);
        free((char *)r->rules[i].info.file);
    }
    free(r->rules);
    for (size_t i = 0; i < r->n_files; i++) {
        free(r->files[i].path);
        free(r->files[i].text);
    }
    free(r->files);
    for (size_t i = 0; i < r->n_dict; i++)
        free(r->dict[i].text);
    free(r->dict);
    free(r->exact.slots);
    free(r->exact.hashes);
    free(r->prefix.slots);
    free(r->prefix.hashes);
    pcre2_match_context_free(r->mctx);
    free(r);
}

static size_t file_rank(const wn_rules *r, const char *file)
{
    for (size_t i = 0; i < r->n_files; i++)
        if (!strcmp(r->files[i].path, file))
            return i;
    return r->n_files;
}

/* Orders problems by file (in reading order), line and column: the lexer
 * finds some before the parser finds others on earlier lines. */
static void sort_diags(const wn_rules *r, wn_rule_diags *d)
{
    for (size_t i = 1; i < d->n; i++) {
        wn_rule_diag g = d->items[i];
        size_t rank = file_rank(r, g.file), k = i;
        while (k > 0) {
            const wn_rule_diag *h = &d->items[k - 1];
            size_t hr = file_rank(r, h->file);
            if (hr < rank || (hr == rank && (h->line < g.line ||
                                             (h->line == g.line && h->column <= g.column))))
                break;
            d->items[k] = *h;
            k--;
        }
        d->items[k] = g;
    }
}

int wn_rules_compile(const char *path, const char *text, size_t len, wn_rules_read_fn read,
                     void *read_ctx, wn_rules **out, wn_rule_diags *diags)
{
    *out = NULL;
    wn_rules *r = calloc(1, sizeof *r);
    char *copy = r ? wn_strndup(text, len) : NULL;
    if (!copy) {
        free(r);
        return WN_ENOMEM;
    }
    wn_rule_diags local = {NULL, 0};
    parser P = {0};
    P.r = r;
    P.diags = diags ? diags : &local;
    P.read = read;
    P.read_ctx = read_ctx;
    parse_file(&P, path, copy, len);
    for (size_t i = 0; i < P.n_lists; i++) {
        free(P.lists[i].name);
        for (size_t k = 0; k < P.lists[i].n_terms; k++)
            free(P.lists[i].terms[k].words);
        for (size_t k = 0; k < P.lists[i].n; k++)
            free(P.lists[i].values[k]);
        free(P.lists[i].terms);
        free(P.lists[i].values);
    }
    free(P.lists);
    for (size_t i = 0; i < P.n_all_toks; i++)
        free_toks(P.all_toks[i]);
    free(P.all_toks);
    free(P.stack);
    free(P.lex_errors);
    int bad = P.diags->n > 0;
    sort_diags(r, P.diags);
    wn_rule_diags_free(&local);
    if (P.nomem) {
        wn_rules_free(r);
        return WN_ENOMEM;
    }
    if (bad) {
        wn_rules_free(r);
        return WN_EPARSE;
    }
    r->mctx = pcre2_match_context_create(NULL);
    if (!r->mctx || build_table(r, &r->exact, 0) || build_table(r, &r->prefix, 1)) {
        wn_rules_free(r);
        return WN_ENOMEM;
    }
    pcre2_set_match_limit(r->mctx, RL_MATCH_LIMIT);
    pcre2_set_depth_limit(r->mctx, RL_DEPTH_LIMIT);
    for (size_t i = 0; i < r->n_rules; i++)
        note_uses(r, r->rules[i].cond);
    *out = r;
    return 0;
}

int wn_rules_load(const char *path, wn_rules **out, wn_rule_diags *diags)
{
    char *text;
    size_t len;
    wn_err err = {0};
    *out = NULL;
    int rc = read_disk(NULL, path, &text, &len, &err);
    if (rc) {
        if (diags) {
            parser P = {0};
            P.diags = diags;
            diag_at(&P, path, NULL, 0, 0, 0, 0, "%s", err.msg);
            if (P.nomem)
                return WN_ENOMEM;
        }
        return rc;
    }
    rc = wn_rules_compile(path, text, len, NULL, NULL, out, diags);
    free(text);
    return rc;
}

size_t wn_rules_count(const wn_rules *r) { return r->n_rules; }

wn_rule_info wn_rules_info(const wn_rules *r, size_t i) { return r->rules[i].info; }

size_t wn_rules_file_count(const wn_rules *r) { return r->n_files; }

void wn_rules_file(const wn_rules *r, size_t i, const char **path, const char **sha256,
                   const char **text)
{
    if (path)
        *path = r->files[i].path;
    if (sha256)
        *sha256 = r->files[i].sha256;
    if (text)
        *text = r->files[i].text;
}

int wn_rules_use_sources(const wn_rules *r) { return r->use_sources; }

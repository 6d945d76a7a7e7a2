/* The BibTeX reader on small inline inputs, one quirk at a time. */
#include <stdlib.h>
#include <string.h>

#include "support.h"

static void parse(t_parsed *p, const char *text)
{
    t_parse_str(p, text, "bibtex");
}

/* Parses text that must succeed with n records. */
static void parse_ok(t_parsed *p, const char *text, size_t n)
{
    parse(p, text);
    if (p->rc != 0)
        fail_msg("parse failed: %s", p->err.msg);
    assert_int_equal(p->n, n);
}

static void test_basic_entry(void **state)
{
    (void)state;
    t_parsed p;
    parse_ok(&p,
             "@Article{smith2020,\n"
             "  author = {Smith, John and Doe, Jane},\n"
             "  title = {A Title},\n"
             "  journal = {Journal of Tests},\n"
             "  year = {2020},\n"
             "  volume = {12},\n"
             "  number = {3},\n"
             "  pages = {123--129},\n"
             "  doi = {10.1000/ABC.123},\n"
             "  pmid = {12345678},\n"
             "  pmcid = {PMC1234567},\n"
             "  issn = {1234-5678},\n"
             "  isbn = {978-3-16-148410-0},\n"
             "  language = {English},\n"
             "  abstract = {An abstract.},\n"
             "  url = {https://example.org/x},\n"
             "  publisher = {Pub},\n"
             "  shortjournal = {J Tests},\n"
             "  note = {A note}\n"
             "}\n",
             1);
    t_assert_field(&p, 0, WN_F_TYPE_RAW, "article");
    t_assert_field(&p, 0, WN_F_TYPE, "article");
    t_assert_field(&p, 0, WN_F_SOURCE_ID, "smith2020");
    assert_string_equal(wn_record_get(p.recs[0], WN_F_AUTHOR, 0), "Smith, John");
    assert_string_equal(wn_record_get(p.recs[0], WN_F_AUTHOR, 1), "Doe, Jane");
    t_assert_field(&p, 0, WN_F_TITLE, "A Title");
    t_assert_field(&p, 0, WN_F_JOURNAL, "Journal of Tests");
    t_assert_field(&p, 0, WN_F_JOURNAL_ABBR, "J Tests");
    t_assert_field(&p, 0, WN_F_YEAR, "2020");
    t_assert_field(&p, 0, WN_F_VOLUME, "12");
    t_assert_field(&p, 0, WN_F_ISSUE, "3");
    t_assert_field(&p, 0, WN_F_PAGES, "123-129");
    t_assert_field(&p, 0, WN_F_START_PAGE, "123");
    t_assert_field(&p, 0, WN_F_END_PAGE, "129");
    t_assert_field(&p, 0, WN_F_DOI, "10.1000/abc.123");
    t_assert_field(&p, 0, WN_F_PMID, "12345678");
    t_assert_field(&p, 0, WN_F_PMCID, "PMC1234567");
    t_assert_field(&p, 0, WN_F_ISSN, "1234-5678");
    t_assert_field(&p, 0, WN_F_ISBN, "9783161484100");
    t_assert_field(&p, 0, WN_F_LANGUAGE, "English");
    t_assert_field(&p, 0, WN_F_ABSTRACT, "An abstract.");
    t_assert_field(&p, 0, WN_F_URL, "https://example.org/x");
    t_assert_field(&p, 0, WN_F_PUBLISHER, "Pub");
    assert_string_equal(t_extra(p.recs[0], "note"), "A note");
    assert_int_equal(p.n_warnings, 0);
    t_parsed_free(&p);
}

static void test_biblatex_fields(void **state)
{
    (void)state;
    t_parsed p;
    parse_ok(&p,
             "@article{k, journaltitle = {Full Name}, journal-abbrev = {F N},\n"
             "  date = {2019-03-12}, issue = {7}, langid = {german}, type = {Review}}\n",
             1);
    t_assert_field(&p, 0, WN_F_JOURNAL, "Full Name");
    t_assert_field(&p, 0, WN_F_JOURNAL_ABBR, "F N");
    t_assert_field(&p, 0, WN_F_DATE, "2019-03-12");
    t_assert_field(&p, 0, WN_F_YEAR, "2019");
    t_assert_field(&p, 0, WN_F_ISSUE, "7");
    t_assert_field(&p, 0, WN_F_LANGUAGE, "german");
    assert_string_equal(t_extra(p.recs[0], "type"), "Review");
    t_parsed_free(&p);
}

static void test_values(void **state)
{
    (void)state;
    t_parsed p;
    parse_ok(&p,
             "@misc{v,\n"
             "  title={{Protected {Nested} {{Braces}}}},\n"
             "  note = \"Quoted {with \"inner\" quotes} and {braces}\",\n"
             "  year = 1999,\n"
             "  edition = 2 # {nd} # \" ed.\",\n"
             "  howpublished = {  spread\n     over\tlines  },\n"
             "  Address = {Mixed Case Name},\n"
             "}\n",
             1);
    t_assert_field(&p, 0, WN_F_TITLE, "Protected Nested Braces");
    assert_string_equal(t_extra(p.recs[0], "note"), "Quoted with \"inner\" quotes and braces");
    t_assert_field(&p, 0, WN_F_YEAR, "1999");
    assert_string_equal(t_extra(p.recs[0], "edition"), "2nd ed.");
    assert_string_equal(t_extra(p.recs[0], "howpublished"), "spread over lines");
    assert_string_equal(t_extra(p.recs[0], "address"), "Mixed Case Name");
    t_parsed_free(&p);
}

static void test_strings_and_months(void **state)
{
    (void)state;
    t_parsed p;
    parse_ok(&p,
             "@String{jgr = \"J. Geophys. Res.\"}\n"
             "@STRING(Pre = {Proc. of })\n"
             "@string{full = pre # \"the \" # JGR}\n"
             "@article{a, journal = JGR, booktitle = Full, month = jan, year = 2001}\n"
             "@string{jan = \"Jan.\"}\n"
             "@article{b, month = JAN # \"~1\", journal = {X}}\n"
             "@article{c, month = dec, publisher = undefinedmacro}\n",
             3);
    t_assert_field(&p, 0, WN_F_JOURNAL, "J. Geophys. Res.");
    /* not part of a proceedings: booktitle stays beside the record */
    assert_string_equal(t_extra(p.recs[0], "booktitle"), "Proc. of the J. Geophys. Res.");
    assert_string_equal(t_extra(p.recs[0], "month"), "January");
    /* a @string can redefine a month name */
    assert_string_equal(t_extra(p.recs[1], "month"), "Jan. 1");
    assert_string_equal(t_extra(p.recs[2], "month"), "December");
    /* an unknown macro keeps its name and warns */
    t_assert_field(&p, 2, WN_F_PUBLISHER, "undefinedmacro");
    t_assert_warned(&p, "line 7: unknown @string macro 'undefinedmacro'");
    assert_int_equal(p.n_warnings, 1);
    t_parsed_free(&p);
}

static void test_comments_and_preamble(void **state)
{
    (void)state;
    t_parsed p;
    parse_ok(&p,
             "% Encoding: windows-1252\n"
             "This is text outside entries; write me@example.org.\n"
             "@preamble{\"\\newcommand{\\noopsort}[1]{} \"}\n"
             "@comment{jabref-meta: databaseType:bibtex;}\n"
             "@Comment{@article{hidden, title = {not an entry}}}\n"
             "% @article{disabled, title = {commented out}}\n"
             "@comment this whole line is a comment\n"
             "@book{kept, title = {Kept}}\n"
             "@Comment{jabref-meta: grouping:\n0 AllEntriesGroup:;\n}\n",
             1);
    t_assert_field(&p, 0, WN_F_SOURCE_ID, "kept");
    assert_int_equal(wn_record_origin_c(p.recs[0])->line, 8);
    assert_int_equal(p.n_warnings, 0);
    t_parsed_free(&p);
}

static void test_names(void **state)
{
    (void)state;
    t_parsed p;
    parse_ok(&p,
             "@article{n, author = {Smith, John and Jane Q. Public and "
             "Ludwig van Beethoven and van der Berg, Anna and "
             "Doe, Jr., John and {World Health Organization} and "
             "{Barnes and Noble, Inc.} and Aristotle and "
             "Jean de La Fontaine and Charles Louis Xavier Joseph de la Vall{\\'e}e Poussin and "
             "M{\\\"u}ller, J{\\\"o}rg and {\\'E}mile Zola and Maria~Silva AND Lee, K.\n"
             "   and others}}\n",
             1);
    static const char *const want[] = {
        "Smith, John",
        "Public, Jane Q.",
        "van Beethoven, Ludwig",
        "van der Berg, Anna",
        "Doe, John, Jr.",
        "World Health Organization",
        "Barnes and Noble, Inc.",
        "Aristotle",
        "de La Fontaine, Jean",
        "de la Vallée Poussin, Charles Louis Xavier Joseph",
        "Müller, Jörg",
        "Zola, Émile",
        "Silva, Maria",
        "Lee, K.",
    };
    const wn_record *r = p.recs[0];
    assert_int_equal(wn_record_count(r, WN_F_AUTHOR), sizeof want / sizeof want[0]);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        assert_string_equal(wn_record_get(r, WN_F_AUTHOR, i), want[i]);
    /* "and others" is kept as a marker, not as an author */
    assert_string_equal(t_extra(r, "etal"), "others");
    t_parsed_free(&p);
}

static void test_name_list_edges(void **state)
{
    (void)state;
    t_parsed p;
    parse_ok(&p,
             "@misc{a, author = {Smith, J. and}}\n"
             "@misc{b, author = { and Doe, J. and  and Roe, R.}}\n"
             "@misc{c, author = {Brand\\\\}}\n"
             "@misc{d, author = {Anderson, A. and Band, B.}}\n",
             4);
    assert_int_equal(wn_record_count(p.recs[0], WN_F_AUTHOR), 1);
    t_assert_field(&p, 0, WN_F_AUTHOR, "Smith, J.");
    assert_int_equal(wn_record_count(p.recs[1], WN_F_AUTHOR), 2);
    assert_string_equal(wn_record_get(p.recs[1], WN_F_AUTHOR, 1), "Roe, R.");
    t_assert_field(&p, 2, WN_F_AUTHOR, "Brand");
    /* "and" inside a word does not split */
    t_assert_field(&p, 3, WN_F_AUTHOR, "Anderson, A.");
    assert_string_equal(wn_record_get(p.recs[3], WN_F_AUTHOR, 1), "Band, B.");
    t_parsed_free(&p);
}

static void test_editor_kept_whole(void **state)
{
    (void)state;
    t_parsed p;
    parse_ok(&p, "@book{e, editor = {Coburn, Carol and M{\\\"u}ller, J.}, title = {T}}", 1);
    assert_string_equal(t_extra(p.recs[0], "editor"), "Coburn, Carol and Müller, J.");
    assert_int_equal(wn_record_count(p.recs[0], WN_F_AUTHOR), 0);
    t_parsed_free(&p);
}

static void test_latex_in_values(void **state)
{
    (void)state;
    t_parsed p;
    parse_ok(&p,
             "@article{l,\n"
             "  title = {Caf\\'{e}s {\\\"O}l \\c{c}a na\\\"ive --- a ``test'' of $\\alpha$ \\& "
             "\\emph{emphasis}},\n"
             "  journal = {Vet. \\& Comp.},\n"
             "  abstract = {50\\% of $^{2}$H~atoms {\\textless} 5},\n"
             "  doi = {10.1007/999-9\\_3},\n"
             "  url = {http://x.org/~me/a--b},\n"
             "  pages = {S12\\,--\\,S19},\n"
             "  file = {:C$\\backslash$:/Users/me/a\\_b.pdf:pdf},\n"
             "  keywords = {alpha; beta, gamma;; delta}\n"
             "}\n",
             1);
    t_assert_field(&p, 0, WN_F_TITLE, "Cafés Öl ça naïve — a “test” of α & emphasis");
    t_assert_field(&p, 0, WN_F_JOURNAL, "Vet. & Comp.");
    t_assert_field(&p, 0, WN_F_ABSTRACT, "50% of 2H atoms < 5");
    t_assert_field(&p, 0, WN_F_DOI, "10.1007/999-9_3");
    /* URLs are verbatim: ~ and -- stay */
    t_assert_field(&p, 0, WN_F_URL, "http://x.org/~me/a--b");
    t_assert_field(&p, 0, WN_F_PAGES, "S12 - S19");
    assert_string_equal(t_extra(p.recs[0], "file"), ":C\\:/Users/me/a_b.pdf:pdf");
    t_assert_field(&p, 0, WN_F_END_PAGE, "S19");
    assert_int_equal(wn_record_count(p.recs[0], WN_F_KEYWORD), 4);
    assert_string_equal(wn_record_get(p.recs[0], WN_F_KEYWORD, 3), "delta");
    t_parsed_free(&p);
}

static void test_booktitle(void **state)
{
    (void)state;
    t_parsed p;
    parse_ok(&p,
             "@inproceedings{a, booktitle = {Proc. A}}\n"
             "@InCollection{b, booktitle = {Coll. B}}\n"
             "@book{c, booktitle = {Not a container}}\n",
             3);
    t_assert_field(&p, 0, WN_F_JOURNAL, "Proc. A");
    t_assert_field(&p, 0, WN_F_TYPE, "conference");
    t_assert_field(&p, 1, WN_F_JOURNAL, "Coll. B");
    t_assert_field(&p, 1, WN_F_TYPE, "chapter");
    t_assert_field(&p, 2, WN_F_JOURNAL, NULL);
    assert_string_equal(t_extra(p.recs[2], "booktitle"), "Not a container");
    t_parsed_free(&p);
}

static void test_odd_layout(void **state)
{
    (void)state;
    t_parsed p;
    parse_ok(&p,
             "@ARTICLE {spaced ,\n"
             "title={{Title}},author = {A, B and\n"
             "    C, D},\n"
             "   year=2001}\n"
             "@misc{ key:with/odd+chars.1 , title = {x},,}\n"
             "@misc{nofields}\n"
             "@misc{lastcomma, title = {y},\n}\n",
             4);
    t_assert_field(&p, 0, WN_F_SOURCE_ID, "spaced");
    t_assert_field(&p, 0, WN_F_TITLE, "Title");
    assert_string_equal(wn_record_get(p.recs[0], WN_F_AUTHOR, 1), "C, D");
    t_assert_field(&p, 0, WN_F_YEAR, "2001");
    t_assert_field(&p, 1, WN_F_SOURCE_ID, "key:with/odd+chars.1");
    t_assert_field(&p, 2, WN_F_SOURCE_ID, "nofields");
    t_assert_field(&p, 2, WN_F_TYPE_RAW, "misc");
    t_assert_field(&p, 3, WN_F_TITLE, "y");
    assert_int_equal(p.n_warnings, 0);
    t_parsed_free(&p);
}

static void test_parentheses(void **state)
{
    (void)state;
    t_parsed p;
    parse_ok(&p,
             "@book(paren, title = {With (round) brackets}, year = \"1999\")\n"
             "@article{after, title = {Next}}\n",
             2);
    t_assert_field(&p, 0, WN_F_SOURCE_ID, "paren");
    t_assert_field(&p, 0, WN_F_TITLE, "With (round) brackets");
    t_assert_field(&p, 0, WN_F_YEAR, "1999");
    t_assert_field(&p, 1, WN_F_TITLE, "Next");
    t_parsed_free(&p);
}

static void test_keys(void **state)
{
    (void)state;
    t_parsed p;
    parse_ok(&p,
             "@article{,\n  title = {Empty key}\n}\n"
             "@misc{title = {No key}}\n",
             2);
    t_assert_field(&p, 0, WN_F_SOURCE_ID, NULL);
    t_assert_field(&p, 0, WN_F_TITLE, "Empty key");
    t_assert_field(&p, 1, WN_F_SOURCE_ID, NULL);
    t_assert_field(&p, 1, WN_F_TITLE, "No key");
    assert_int_equal(p.n_warnings, 2);
    t_assert_warned(&p, "line 1: entry '@article{' at line 1 has an empty key");
    t_assert_warned(&p, "line 4: entry '@misc{' at line 4 has no key");
    t_parsed_free(&p);
}

static void test_duplicate_field(void **state)
{
    (void)state;
    t_parsed p;
    parse_ok(&p,
             "@article{d,\n  title = {First},\n  author = {A, B},\n  title = {Second},\n"
             "  author = {C, D and E, F}\n}\n",
             1);
    t_assert_field(&p, 0, WN_F_TITLE, "First");
    assert_int_equal(wn_record_count(p.recs[0], WN_F_TITLE), 1);
    assert_string_equal(t_extra(p.recs[0], "title"), "Second");
    /* the second author list is not merged into the first */
    assert_int_equal(wn_record_count(p.recs[0], WN_F_AUTHOR), 1);
    assert_string_equal(t_extra(p.recs[0], "author"), "C, D and E, F");
    t_assert_warned(&p, "line 4: field 'title' appears twice in entry '@article{d'");
    t_assert_warned(&p, "line 5: field 'author' appears twice");
    t_parsed_free(&p);
}

static void test_origin(void **state)
{
    (void)state;
    const char *text = "% header\r\n\r\n@article{one,\r\n  title = {A}\r\n}\r\n"
                       "junk between\r\n  @book(two, title = {B})  trailing\r\n";
    t_parsed p;
    parse_ok(&p, text, 2);
    const char *one = strstr(text, "@article");
    const char *one_end = strstr(one, "\r\n}") + 3;
    const wn_origin *o = wn_record_origin_c(p.recs[0]);
    assert_int_equal(o->line, 3);
    assert_int_equal(o->offset, (size_t)(one - text));
    assert_int_equal(o->length, (size_t)(one_end - one));
    assert_int_equal(o->position, 1);
    const char *two = strstr(text, "@book");
    const char *two_end = strstr(two, "})") + 2;
    o = wn_record_origin_c(p.recs[1]);
    assert_int_equal(o->line, 7);
    assert_int_equal(o->offset, (size_t)(two - text));
    assert_int_equal(o->length, (size_t)(two_end - two));
    assert_int_equal(o->position, 2);
    t_parsed_free(&p);

    /* CR-only line ends (old Mac, JabRef UTF-16BE export) */
    parse_ok(&p, "%c\r\r@misc{a, title = {x}}\r@misc{b,\rtitle = {y}}\r", 2);
    assert_int_equal(wn_record_origin_c(p.recs[0])->line, 3);
    assert_int_equal(wn_record_origin_c(p.recs[1])->line, 4);
    t_parsed_free(&p);
}

static void test_errors(void **state)
{
    (void)state;
    t_parsed p;
    /* truncated at the end of the file */
    parse(&p, "@misc{ok, title = {fine}}\n\n@article{smith2020,\n  title = {Cut");
    assert_int_equal(p.rc, WN_EPARSE);
    assert_non_null(strstr(p.err.msg, "line 3: entry '@article{smith2020' starting at line 3 "
                                      "is not closed"));
    assert_int_equal(p.n, 1); /* the complete entry before it was delivered */
    t_parsed_free(&p);

    parse(&p, "@article{smith2020,\n  title = {Fine},\n  year = 2020\n");
    assert_int_equal(p.rc, WN_EPARSE);
    assert_non_null(strstr(p.err.msg, "entry '@article{smith2020' starting at line 1 is not "
                                      "closed"));
    t_parsed_free(&p);

    /* an unbalanced brace swallows the next entry */
    parse(&p, "@article{a,\n  title = {Unbalanced {{brace},\n}\n\n@article{b, title = {B}}\n");
    assert_int_equal(p.rc, WN_EPARSE);
    assert_non_null(strstr(p.err.msg, "line 2: unbalanced braces in field 'title' of entry "
                                      "'@article{a' starting at line 1 (the value runs into "
                                      "line 5)"));
    t_parsed_free(&p);

    /* a closing brace inside a quoted value */
    parse(&p, "@article{q,\n  title = \"x} y\"\n}\n");
    assert_int_equal(p.rc, WN_EPARSE);
    assert_non_null(strstr(p.err.msg, "unbalanced braces in field 'title'"));
    t_parsed_free(&p);

    parse(&p, "just some text\nand @ signs\n");
    assert_int_equal(p.rc, WN_EPARSE);
    assert_non_null(strstr(p.err.msg, "no BibTeX entries found"));
    t_parsed_free(&p);

    parse(&p, "@string{a = {only a macro}}\n@comment{nothing}\n");
    assert_int_equal(p.rc, WN_EPARSE);
    assert_non_null(strstr(p.err.msg, "no BibTeX entries found"));
    t_parsed_free(&p);
}

static void test_recoverable(void **state)
{
    (void)state;
    t_parsed p;
    /* an entry without its closing brace, followed by the next one */
    parse_ok(&p, "@article{a,\n  title = {A},\n\n@article{b, title = {B}}\n", 2);
    t_assert_field(&p, 0, WN_F_TITLE, "A");
    t_assert_field(&p, 1, WN_F_TITLE, "B");
    t_assert_warned(&p, "entry '@article{a' starting at line 1 is not closed before the "
                    "entry at line 4");
    assert_int_equal(wn_record_origin_c(p.recs[0])->length, strlen("@article{a,\n  title = {A},"));
    t_parsed_free(&p);

    /* a missing comma between fields */
    parse_ok(&p, "@article{m,\n  title = {T}\n  year = {2001}\n}\n", 1);
    t_assert_field(&p, 0, WN_F_TITLE, "T");
    t_assert_field(&p, 0, WN_F_YEAR, "2001");
    t_assert_warned(&p, "line 3: missing ',' after field 'title'");
    t_parsed_free(&p);

    /* text that is no field is skipped up to the next comma */
    parse_ok(&p, "@article{g,\n  stray words, title = {T}\n}\n", 1);
    t_assert_field(&p, 0, WN_F_TITLE, "T");
    t_assert_warned(&p, "expected 'field = value'");
    t_parsed_free(&p);
}

static void test_sniff(void **state)
{
    (void)state;
    const wn_format *bib = wn_format_find("bibtex");
    assert_non_null(bib);
    assert_ptr_equal(wn_format_find("bib"), bib);
    const char *whole = "@article{a,\n  title = {x}\n}\n@book{b, title = {y}}\n";
    assert_true(wn_format_sniff(bib, whole, strlen(whole)) >= 90);
    /* a window that starts in the middle of an entry */
    const char *mid = "us perspiciatis unde omnis},\n  year = {2001},\n  pages = {1--2}\n}\n\n"
                      "@article{next,\n  title = {x},\n}\n";
    assert_true(wn_format_sniff(bib, mid, strlen(mid)) > 0);
    /* only field lines (one long entry) */
    const char *fields = "  title = {x},\n  journal = {y},\n  abstract = {z},\n";
    assert_true(wn_format_sniff(bib, fields, strlen(fields)) > 0);

    static const char *const others[] = {
        "TY  - JOUR\nTI  - A title = {not bib}\nAU  - Smith, J\nER  - \n",
        "PMID- 12345678\nOWN - NLM\nTI  - Title\nAB  - x = {1}\n",
        "title,author,year\n\"A, b\",Smith,2020\n\"x = {y}\",z,2001\n",
        "[{\"id\": \"a\", \"title\": \"x\", \"type\": \"article-journal\"}]\n",
        "<?xml version=\"1.0\"?><xml><records><record><style face=\"normal\"\n"
        "font=\"default\"\nsize=\"100%\">x</style>\nface=\"normal\" font=\"default\"\n"
        "size=\"100%\">y</style></record></records></xml>\n",
    };
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
        assert_int_equal(wn_format_sniff(bib, others[i], strlen(others[i])), 0);
}

static void test_detection(void **state)
{
    (void)state;
    const char *text = "% Encoding: UTF-8\n\n@article{x, title = {Detected}}\n";
    t_parsed p;
    t_parse_text(&p, text, strlen(text), NULL);
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 1);
    t_assert_field(&p, 0, WN_F_TITLE, "Detected");
    t_parsed_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic_entry),
        cmocka_unit_test(test_biblatex_fields),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_strings_and_months),
        cmocka_unit_test(test_comments_and_preamble),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_name_list_edges),
        cmocka_unit_test(test_editor_kept_whole),
        cmocka_unit_test(test_latex_in_values),
        cmocka_unit_test(test_booktitle),
        cmocka_unit_test(test_odd_layout),
        cmocka_unit_test(test_parentheses),
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_duplicate_field),
        cmocka_unit_test(test_origin),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_recoverable),
        cmocka_unit_test(test_sniff),
        cmocka_unit_test(test_detection),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* LaTeX markup to plain UTF-8 (wn_latex_decode). */
#include <string.h>

#include "support.h"
#include "winnow/latex.h"

/* Decodes s into a fresh buffer and compares with want. */
static void check(const char *s, const char *want)
{
    wn_buf out = WN_BUF_INIT;
    assert_int_equal(wn_latex_decode(&out, s, strlen(s)), 0);
    if (strcmp(out.data ? out.data : "", want) != 0)
        fail_msg("decode(\"%s\") gave \"%s\", want \"%s\"", s, out.data ? out.data : "", want);
    wn_buf_free(&out);
}

static void test_accent_forms(void **state)
{
    (void)state;
    /* one accent in every way BibTeX files write it */
    check("caf\\'e", "café");
    check("caf\\'{e}", "café");
    check("caf{\\'e}", "café");
    check("caf{\\'{e}}", "café");
    check("\\'E", "É");
    check("M\\\"uller", "Müller");
    check("M{\\\"u}ller", "Müller");
    check("\\\"{O}l", "Öl");
    check("\\`a \\^o \\~n \\=a \\.z", "à ô ñ ā ż");
    check("\\c{c}a \\c c \\c{S}", "ça ç Ş");
    check("{\\v s} \\v{C} \\v{z}", "š Č ž");
    check("\\u{g} \\H{o} \\k{a} \\r{a} \\r A", "ğ ő ą å Å");
    check("\\d{s} \\b{k}", "ṣ ḵ");
    /* accents on a dotless i, with and without braces */
    check("\\'{\\i}", "í");
    check("\\\"\\i", "ï");
    check("{\\'\\i}nd", "índ");
    /* no precomposed letter: base plus combining mark */
    check("\\v{x}", "x\xcc\x8c");
    check("\\t{oo}", "o\xcd\xa1o");
    /* an accent with nothing under it is the accent character */
    check("\\~{}", "~");
    check("\\^{}", "^");
}

static void test_special_letters(void **state)
{
    (void)state;
    check("\\aa \\AA", "åÅ");
    check("{\\aa} {\\AA}", "å Å");
    check("{\\o}ster {\\O}", "øster Ø");
    check("Stra{\\ss}e", "Straße");
    check("Stra\\ss e", "Straße"); /* TeX swallows the space after \ss */
    check("\\ss{}x", "ßx");
    check("{\\ae} {\\AE} {\\oe} {\\OE}", "æ Æ œ Œ");
    check("{\\L}{\\'o}d{\\'z} {\\l}", "Łódź ł");
    check("{\\i} {\\j}", "ı ȷ");
}

static void test_braces_and_escapes(void **state)
{
    (void)state;
    check("{DNA} of {{Nested {Braces}}}", "DNA of Nested Braces");
    check("A \\& B, 5\\% of \\$10, a\\_b, \\#1, \\{x\\}", "A & B, 5% of $10, a_b, #1, {x}");
    check("{\\textless} 5 {\\textgreater} 1 {\\textasciitilde}", "< 5 > 1 ~");
    check("a\\textbackslash b", "a\\b");
}

static void test_dashes_quotes_ties(void **state)
{
    (void)state;
    check("pages 1--2", "pages 1–2");
    check("a---b", "a—b");
    check("well-known", "well-known");
    check("``quoted''", "“quoted”");
    check("it's `single'", "it's `single'");
    check("Dr.~Who", "Dr. Who");
}

static void test_commands(void **state)
{
    (void)state;
    check("\\textit{italic} \\emph{em} \\textbf{bold}", "italic em bold");
    check("{\\em emphasis}", "emphasis");
    /* unknown commands vanish, their argument stays */
    check("\\foo{bar} baz", "bar baz");
    check("a \\relax b", "a b");
    check("\\url{http://x.org/~me/a--b}", "http://x.org/~me/a--b");
    check("\\href{http://x.org}{the site}", "the site");
    check("see \\cite{key} here", "see here");
    check("10\\,mm and a\\quad b", "10 mm and a b");
}

static void test_math(void **state)
{
    (void)state;
    check("$\\alpha$-helix", "α-helix");
    check("$\\beta$ and $\\Omega$", "β and Ω");
    check("$\\mu$g", "μg");
    check("cm$^{2}$", "cm2");
    check("H$_2$O", "H2O");
    check("$p \\leq 0.05$", "p ≤ 0.05");
    check("$\\pm$ 2", "± 2");
    check("37$^\\circ$C", "37°C");
    check("$\\sin(\\delta)/\\delta \\to 1$", "sin(δ)/δ → 1");
    check("$\\sqrt{x}$", "√x");
    /* outside math, ^ and _ are kept */
    check("a_b^c", "a_b^c");
}

static void test_white_space(void **state)
{
    (void)state;
    check("  lots   of\n\tspace  ", "lots of space");
    check("line\r\nbreak", "line break");
    check("{ } x { }", "x");
    check("a \\\\ b", "a b");
    check("", "");
}

static void test_appends(void **state)
{
    (void)state;
    wn_buf out = WN_BUF_INIT;
    assert_int_equal(wn_buf_puts(&out, "x:"), 0);
    const char *s = "  {\\'e}t{\\'e}  ";
    assert_int_equal(wn_latex_decode(&out, s, strlen(s)), 0);
    assert_string_equal(out.data, "x:été");
    /* only len bytes are read */
    assert_int_equal(wn_latex_decode(&out, "!!ignored", 2), 0);
    assert_string_equal(out.data, "x:été!!");
    wn_buf_free(&out);
}

static void test_broken_input(void **state)
{
    (void)state;
    /* never more than the input, never a crash */
    check("ends with \\", "ends with");
    check("\\'", "'");
    check("\\c", "");
    check("{{{unclosed", "unclosed");
    check("}}}", "");
    check("$unclosed math^", "unclosed math");
    check("\\url{unclosed", "unclosed");
    check("\\verylongcommandnamethatisnotknownanywhereatall{x}", "x");
    check("\\\xc3\xa9", "é"); /* backslash before a UTF-8 letter */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accent_forms),     cmocka_unit_test(test_special_letters),
        cmocka_unit_test(test_braces_and_escapes), cmocka_unit_test(test_dashes_quotes_ties),
        cmocka_unit_test(test_commands),         cmocka_unit_test(test_math),
        cmocka_unit_test(test_white_space),      cmocka_unit_test(test_appends),
        cmocka_unit_test(test_broken_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

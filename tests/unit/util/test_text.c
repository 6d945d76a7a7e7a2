/* Input decoding and text helpers. */
#include <stdlib.h>
#include <string.h>

#include "support.h"

static void decode_ok(const char *bytes, size_t len, const char *want_text, const char *want_enc)
{
    wn_decoded d;
    wn_err err;
    assert_int_equal(wn_text_decode("t", bytes, len, &d, &err), 0);
    assert_string_equal(d.encoding, want_enc);
    assert_int_equal(d.len, strlen(want_text));
    assert_memory_equal(d.text, want_text, d.len);
    wn_decoded_free(&d);
}

static void test_utf8_plain_and_bom(void **state)
{
    (void)state;
    decode_ok("TY  - JOUR\n", 11, "TY  - JOUR\n", "utf-8");
    decode_ok("\xEF\xBB\xBFTY  - JOUR\n", 14, "TY  - JOUR\n", "utf-8-bom");
    decode_ok("Caf\xC3\xA9", 5, "Caf\xC3\xA9", "utf-8");
}

static void test_utf16(void **state)
{
    (void)state;
    /* "@a{é}" in UTF-16LE with BOM and UTF-16BE without. */
    const char le[] = "\xFF\xFE@\0a\0{\0\xE9\0}\0";
    decode_ok(le, sizeof le - 1, "@a{\xC3\xA9}", "utf-16le");
    const char be[] = "\0@\0a\0{\0\xE9\0}\0\n";
    decode_ok(be, sizeof be - 1, "@a{\xC3\xA9}\n", "utf-16be");
}

static void test_cp1252_fallback_names_line(void **state)
{
    (void)state;
    const char in[] = "line one\nabstract = {25\xB0 C \x93quoted\x94}\n";
    wn_decoded d;
    wn_err err;
    assert_int_equal(wn_text_decode("t", in, sizeof in - 1, &d, &err), 0);
    assert_string_equal(d.encoding, "windows-1252");
    assert_int_equal(d.first_bad_line, 2);
    assert_non_null(strstr(d.text, "25\xC2\xB0 C \xE2\x80\x9Cquoted\xE2\x80\x9D"));
    assert_true(wn_utf8_valid(d.text, d.len));
    wn_decoded_free(&d);
}

static void test_binary_refused(void **state)
{
    (void)state;
    const char in[] = "PK\x03\x04\nabc\0\0\x01";
    wn_decoded d;
    wn_err err;
    assert_int_equal(wn_text_decode("x.zip", in, sizeof in - 1, &d, &err), WN_EFORMAT);
    assert_non_null(strstr(err.msg, "'x.zip' line 2"));
    assert_non_null(strstr(err.msg, "binary"));
}

static void test_utf16_nul_refused(void **state)
{
    (void)state;
    /* "a\nb<U+0000>c" in UTF-16LE: the NUL would cut every value short. */
    const char le[] = "\xFF\xFE" "a\0\n\0b\0\0\0c\0";
    wn_decoded d;
    wn_err err;
    assert_int_equal(wn_text_decode("t.bib", le, sizeof le - 1, &d, &err), WN_EFORMAT);
    assert_non_null(strstr(err.msg, "'t.bib' line 2"));
    assert_non_null(strstr(err.msg, "NUL"));
}

/* The NUL check rides on the UTF-8 check's eight-byte steps: a NUL is
 * found wherever it sits in a step, and also after bytes that are not UTF-8. */
static void test_nul_found_anywhere(void **state)
{
    (void)state;
    char in[64];
    for (size_t at = 0; at < 40; at++) {
        memset(in, 'a', sizeof in);
        in[20] = '\n';
        in[at == 20 ? 21 : at] = '\0';
        wn_decoded d;
        wn_err err;
        assert_int_equal(wn_text_decode("t", in, sizeof in, &d, &err), WN_EFORMAT);
        assert_non_null(strstr(err.msg, at < 20 ? "line 1:" : "line 2:"));
    }
    /* windows-1252 first, NUL later: still refused, at the NUL's line. */
    const char mixed[] = "caf\xE9 and more text\nsecond\0line\n";
    wn_decoded d;
    wn_err err;
    assert_int_equal(wn_text_decode("t", mixed, sizeof mixed - 1, &d, &err), WN_EFORMAT);
    assert_non_null(strstr(err.msg, "line 2:"));
    /* A byte that is not UTF-8 deep in a long ASCII line names that line. */
    char late[200];
    memset(late, 'x', sizeof late);
    late[10] = '\n';
    late[150] = '\x93';
    assert_int_equal(wn_text_decode("t", late, sizeof late, &d, &err), 0);
    assert_string_equal(d.encoding, "windows-1252");
    assert_int_equal(d.first_bad_line, 2);
    wn_decoded_free(&d);
}

static void test_decode_as_named_encoding(void **state)
{
    (void)state;
    wn_decoded d;
    wn_err err;
    assert_int_equal(wn_text_decode_as("t", "latin1", "caf\xE9", 4, &d, &err), 0);
    assert_string_equal(d.text, "caf\xC3\xA9");
    wn_decoded_free(&d);
    assert_int_equal(wn_text_decode_as("t", "no-such-encoding", "x", 1, &d, &err), WN_EINVAL);
    assert_non_null(strstr(err.msg, "no-such-encoding"));
}

static void test_utf8_validation(void **state)
{
    (void)state;
    assert_true(wn_utf8_valid("plain ascii that is longer than eight", 37));
    assert_false(wn_utf8_valid("\xC0\xAF", 2));         /* overlong */
    assert_false(wn_utf8_valid("\xED\xA0\x80", 3));     /* surrogate */
    assert_false(wn_utf8_valid("abc\xE2\x82", 5));      /* truncated */
    assert_true(wn_utf8_valid("\xF0\x9F\x98\x80", 4));  /* emoji */
}

static void test_html_and_tags_and_space(void **state)
{
    (void)state;
    wn_buf b = WN_BUF_INIT;
    const char *s = "A &amp; B &#233;t&eacute; &#x3B1; &bogus; &";
    assert_int_equal(wn_html_unescape(&b, s, strlen(s)), 0);
    assert_string_equal(b.data, "A & B \xC3\xA9t\xC3\xA9 \xCE\xB1 &bogus; &");
    wn_buf_clear(&b);
    s = "H<sub>2</sub>O and <i>in vivo</i> x < y";
    assert_int_equal(wn_strip_inline_tags(&b, s, strlen(s)), 0);
    assert_string_equal(b.data, "H2O and in vivo x < y");
    wn_buf_clear(&b);
    s = "  a\t\tb \n c\xC2\xA0" "d  ";
    assert_int_equal(wn_collapse_space(&b, s, strlen(s)), 0);
    assert_string_equal(b.data, "a b c d");
    wn_buf_free(&b);
}

static void test_buf_limit(void **state)
{
    (void)state;
    wn_buf b = WN_BUF_INIT;
    b.limit = 8;
    assert_int_equal(wn_buf_puts(&b, "12345678"), 0);
    assert_int_equal(wn_buf_puts(&b, "9"), WN_ENOMEM);
    assert_string_equal(b.data, "12345678");
    wn_buf_free(&b);
}

static void test_sha256(void **state)
{
    (void)state;
    char hex[65];
    wn_sha256_hex("abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_plain_and_bom),
        cmocka_unit_test(test_utf16),
        cmocka_unit_test(test_cp1252_fallback_names_line),
        cmocka_unit_test(test_binary_refused),
        cmocka_unit_test(test_utf16_nul_refused),
        cmocka_unit_test(test_nul_found_anywhere),
        cmocka_unit_test(test_decode_as_named_encoding),
        cmocka_unit_test(test_utf8_validation),
        cmocka_unit_test(test_html_and_tags_and_space),
        cmocka_unit_test(test_buf_limit),
        cmocka_unit_test(test_sha256),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

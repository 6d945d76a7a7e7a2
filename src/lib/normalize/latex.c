/* LaTeX text to plain UTF-8: what a BibTeX value says, without the markup. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "winnow/error.h"
#include "winnow/latex.h"
#include "normalize/latex_impl.h"
#include "winnow/text.h"

/* ---- tables ----------------------------------------------------------- */

/* An accent command, its combining mark, and the precomposed letters
 * Unicode has for it (NFC of ASCII base + mark). Bases without a precomposed
 * form get the base followed by the combining mark. */
typedef struct accent {
    char cmd;
    unsigned combining;
    const char *bases;
    unsigned composed[40];
} accent;

static const accent accents[] = {
    {'\'', 0x0301, "acegiklmnoprsuwyzACEGIKLMNOPRSUWYZ",
     {0x00E1, 0x0107, 0x00E9, 0x01F5, 0x00ED, 0x1E31, 0x013A, 0x1E3F, 0x0144,
      0x00F3, 0x1E55, 0x0155, 0x015B, 0x00FA, 0x1E83, 0x00FD, 0x017A, 0x00C1,
      0x0106, 0x00C9, 0x01F4, 0x00CD, 0x1E30, 0x0139, 0x1E3E, 0x0143, 0x00D3,
      0x1E54, 0x0154, 0x015A, 0x00DA, 0x1E82, 0x00DD, 0x0179}},
    {'`', 0x0300, "aeinouwyAEINOUWY",
     {0x00E0, 0x00E8, 0x00EC, 0x01F9, 0x00F2, 0x00F9, 0x1E81, 0x1EF3, 0x00C0,
      0x00C8, 0x00CC, 0x01F8, 0x00D2, 0x00D9, 0x1E80, 0x1EF2}},
    {'^', 0x0302, "aceghijosuwyzACEGHIJOSUWYZ",
     {0x00E2, 0x0109, 0x00EA, 0x011D, 0x0125, 0x00EE, 0x0135, 0x00F4, 0x015D,
      0x00FB, 0x0175, 0x0177, 0x1E91, 0x00C2, 0x0108, 0x00CA, 0x011C, 0x0124,
      0x00CE, 0x0134, 0x00D4, 0x015C, 0x00DB, 0x0174, 0x0176, 0x1E90}},
    {'"', 0x0308, "aehiotuwxyAEHIOUWXY",
     {0x00E4, 0x00EB, 0x1E27, 0x00EF, 0x00F6, 0x1E97, 0x00FC, 0x1E85, 0x1E8D,
      0x00FF, 0x00C4, 0x00CB, 0x1E26, 0x00CF, 0x00D6, 0x00DC, 0x1E84, 0x1E8C,
      0x0178}},
    {'~', 0x0303, "aeinouvyAEINOUVY",
     {0x00E3, 0x1EBD, 0x0129, 0x00F1, 0x00F5, 0x0169, 0x1E7D, 0x1EF9, 0x00C3,
      0x1EBC, 0x0128, 0x00D1, 0x00D5, 0x0168, 0x1E7C, 0x1EF8}},
    {'=', 0x0304, "aegiouyAEGIOUY",
     {0x0101, 0x0113, 0x1E21, 0x012B, 0x014D, 0x016B, 0x0233, 0x0100, 0x0112,
      0x1E20, 0x012A, 0x014C, 0x016A, 0x0232}},
    {'.', 0x0307, "abcdefghmnoprstwxyzABCDEFGHIMNOPRSTWXYZ",
     {0x0227, 0x1E03, 0x010B, 0x1E0B, 0x0117, 0x1E1F, 0x0121, 0x1E23, 0x1E41,
      0x1E45, 0x022F, 0x1E57, 0x1E59, 0x1E61, 0x1E6B, 0x1E87, 0x1E8B, 0x1E8F,
      0x017C, 0x0226, 0x1E02, 0x010A, 0x1E0A, 0x0116, 0x1E1E, 0x0120, 0x1E22,
      0x0130, 0x1E40, 0x1E44, 0x022E, 0x1E56, 0x1E58, 0x1E60, 0x1E6A, 0x1E86,
      0x1E8A, 0x1E8E, 0x017B}},
    {'u', 0x0306, "aegiouAEGIOU",
     {0x0103, 0x0115, 0x011F, 0x012D, 0x014F, 0x016D, 0x0102, 0x0114, 0x011E,
      0x012C, 0x014E, 0x016C}},
    {'v', 0x030C, "acdeghijklnorstuzACDEGHIKLNORSTUZ",
     {0x01CE, 0x010D, 0x010F, 0x011B, 0x01E7, 0x021F, 0x01D0, 0x01F0, 0x01E9,
      0x013E, 0x0148, 0x01D2, 0x0159, 0x0161, 0x0165, 0x01D4, 0x017E, 0x01CD,
      0x010C, 0x010E, 0x011A, 0x01E6, 0x021E, 0x01CF, 0x01E8, 0x013D, 0x0147,
      0x01D1, 0x0158, 0x0160, 0x0164, 0x01D3, 0x017D}},
    {'H', 0x030B, "ouOU",
     {0x0151, 0x0171, 0x0150, 0x0170}},
    {'c', 0x0327, "cdeghklnrstCDEGHKLNRST",
     {0x00E7, 0x1E11, 0x0229, 0x0123, 0x1E29, 0x0137, 0x013C, 0x0146, 0x0157,
      0x015F, 0x0163, 0x00C7, 0x1E10, 0x0228, 0x0122, 0x1E28, 0x0136, 0x013B,
      0x0145, 0x0156, 0x015E, 0x0162}},
    {'k', 0x0328, "aeiouAEIOU",
     {0x0105, 0x0119, 0x012F, 0x01EB, 0x0173, 0x0104, 0x0118, 0x012E, 0x01EA,
      0x0172}},
    {'r', 0x030A, "auwyAU",
     {0x00E5, 0x016F, 0x1E98, 0x1E99, 0x00C5, 0x016E}},
    {'d', 0x0323, "abdehiklmnorstuvwyzABDEHIKLMNORSTUVWYZ",
     {0x1EA1, 0x1E05, 0x1E0D, 0x1EB9, 0x1E25, 0x1ECB, 0x1E33, 0x1E37, 0x1E43,
      0x1E47, 0x1ECD, 0x1E5B, 0x1E63, 0x1E6D, 0x1EE5, 0x1E7F, 0x1E89, 0x1EF5,
      0x1E93, 0x1EA0, 0x1E04, 0x1E0C, 0x1EB8, 0x1E24, 0x1ECA, 0x1E32, 0x1E36,
      0x1E42, 0x1E46, 0x1ECC, 0x1E5A, 0x1E62, 0x1E6C, 0x1EE4, 0x1E7E, 0x1E88,
      0x1EF4, 0x1E92}},
    {'b', 0x0331, "bdhklnrtzBDKLNRTZ",
     {0x1E07, 0x1E0F, 0x1E96, 0x1E35, 0x1E3B, 0x1E49, 0x1E5F, 0x1E6F, 0x1E95,
      0x1E06, 0x1E0E, 0x1E34, 0x1E3A, 0x1E48, 0x1E5E, 0x1E6E, 0x1E94}},
    {'t', 0x0361, "", {0}},
};

enum cmd_kind {
    CMD_LETTER,       /* a letter (\ss, \o) */
    CMD_SYMBOL,       /* a text symbol (\textless, \ldots) */
    CMD_MATH,         /* a math symbol or Greek letter: spaces after it are
                         kept, as sloppy text uses them outside $...$ too */
    CMD_ACCENT,       /* \c{c}, \v s ...: accent on the next letter */
    CMD_SPACE,        /* \quad, \par ...: one space */
    CMD_DROP_ARG,     /* \label{x}, \cite{x}: the argument is not text */
    CMD_VERBATIM_ARG, /* \url{x}: the argument is copied as written */
    CMD_HREF,         /* \href{url}{text}: keep the text only */
};

typedef struct command {
    const char *name;
    enum cmd_kind kind;
    const char *text;
} command;

/* Kept in strcmp order for bsearch. */
static const command commands[] = {
    {"AA", CMD_LETTER, "Å"}, {"AE", CMD_LETTER, "Æ"}, {"BibTeX", CMD_SYMBOL, "BibTeX"},
    {"DH", CMD_LETTER, "Ð"}, {"DJ", CMD_LETTER, "Đ"}, {"Delta", CMD_MATH, "Δ"},
    {"Gamma", CMD_MATH, "Γ"}, {"H", CMD_ACCENT, "H"}, {"L", CMD_LETTER, "Ł"},
    {"LaTeX", CMD_SYMBOL, "LaTeX"}, {"Lambda", CMD_MATH, "Λ"}, {"Leftarrow", CMD_MATH, "⇐"},
    {"NG", CMD_LETTER, "Ŋ"}, {"O", CMD_LETTER, "Ø"}, {"OE", CMD_LETTER, "Œ"},
    {"Omega", CMD_MATH, "Ω"}, {"P", CMD_SYMBOL, "¶"}, {"Phi", CMD_MATH, "Φ"},
    {"Pi", CMD_MATH, "Π"}, {"Psi", CMD_MATH, "Ψ"}, {"Rightarrow", CMD_MATH, "⇒"},
    {"S", CMD_SYMBOL, "§"}, {"SS", CMD_LETTER, "SS"}, {"Sigma", CMD_MATH, "Σ"},
    {"SortNoop", CMD_DROP_ARG, ""}, {"TH", CMD_LETTER, "Þ"}, {"TeX", CMD_SYMBOL, "TeX"},
    {"Theta", CMD_MATH, "Θ"}, {"Upsilon", CMD_MATH, "Υ"}, {"Xi", CMD_MATH, "Ξ"},
    {"aa", CMD_LETTER, "å"}, {"ae", CMD_LETTER, "æ"}, {"alpha", CMD_MATH, "α"},
    {"angle", CMD_MATH, "∠"}, {"approx", CMD_MATH, "≈"}, {"arccos", CMD_MATH, "arccos"},
    {"arcsin", CMD_MATH, "arcsin"}, {"arctan", CMD_MATH, "arctan"}, {"arg", CMD_MATH, "arg"},
    {"ast", CMD_MATH, "∗"}, {"b", CMD_ACCENT, "b"}, {"beta", CMD_MATH, "β"},
    {"bigskip", CMD_SPACE, ""}, {"bullet", CMD_MATH, "•"}, {"c", CMD_ACCENT, "c"},
    {"cap", CMD_MATH, "∩"}, {"cdot", CMD_MATH, "·"}, {"cdots", CMD_SYMBOL, "⋯"},
    {"chi", CMD_MATH, "χ"}, {"circ", CMD_MATH, "°"}, {"cite", CMD_DROP_ARG, ""},
    {"citep", CMD_DROP_ARG, ""}, {"citet", CMD_DROP_ARG, ""}, {"copyright", CMD_SYMBOL, "©"},
    {"cos", CMD_MATH, "cos"}, {"cosh", CMD_MATH, "cosh"}, {"cot", CMD_MATH, "cot"},
    {"csc", CMD_MATH, "csc"}, {"cup", CMD_MATH, "∪"}, {"d", CMD_ACCENT, "d"},
    {"dag", CMD_SYMBOL, "†"}, {"ddag", CMD_SYMBOL, "‡"}, {"degree", CMD_SYMBOL, "°"},
    {"delta", CMD_MATH, "δ"}, {"det", CMD_MATH, "det"}, {"dh", CMD_LETTER, "ð"},
    {"div", CMD_MATH, "÷"}, {"dj", CMD_LETTER, "đ"}, {"dots", CMD_SYMBOL, "…"},
    {"downarrow", CMD_MATH, "↓"}, {"ell", CMD_MATH, "ℓ"}, {"emptyset", CMD_MATH, "∅"},
    {"enskip", CMD_SPACE, ""}, {"enspace", CMD_SPACE, ""}, {"epsilon", CMD_MATH, "ε"},
    {"equiv", CMD_MATH, "≡"}, {"eta", CMD_MATH, "η"}, {"euro", CMD_SYMBOL, "€"},
    {"exists", CMD_MATH, "∃"}, {"exp", CMD_MATH, "exp"}, {"forall", CMD_MATH, "∀"},
    {"gamma", CMD_MATH, "γ"}, {"ge", CMD_MATH, "≥"}, {"geq", CMD_MATH, "≥"},
    {"gg", CMD_MATH, "≫"}, {"gtrsim", CMD_MATH, "≳"}, {"guillemetleft", CMD_SYMBOL, "«"},
    {"guillemetright", CMD_SYMBOL, "»"}, {"guillemotleft", CMD_SYMBOL, "«"},
    {"guillemotright", CMD_SYMBOL, "»"}, {"hbar", CMD_MATH, "ℏ"}, {"href", CMD_HREF, ""},
    {"hspace", CMD_DROP_ARG, ""}, {"i", CMD_LETTER, "ı"}, {"in", CMD_MATH, "∈"},
    {"inf", CMD_MATH, "inf"}, {"infty", CMD_MATH, "∞"}, {"int", CMD_MATH, "∫"},
    {"iota", CMD_MATH, "ι"}, {"j", CMD_LETTER, "ȷ"}, {"k", CMD_ACCENT, "k"},
    {"kappa", CMD_MATH, "κ"}, {"l", CMD_LETTER, "ł"}, {"label", CMD_DROP_ARG, ""},
    {"lambda", CMD_MATH, "λ"}, {"langle", CMD_MATH, "⟨"}, {"lbrace", CMD_MATH, "{"},
    {"ldots", CMD_SYMBOL, "…"}, {"le", CMD_MATH, "≤"}, {"leftarrow", CMD_MATH, "←"},
    {"leftrightarrow", CMD_MATH, "↔"}, {"leq", CMD_MATH, "≤"}, {"lesssim", CMD_MATH, "≲"},
    {"lg", CMD_MATH, "lg"}, {"lim", CMD_MATH, "lim"}, {"linebreak", CMD_SPACE, ""},
    {"ll", CMD_MATH, "≪"}, {"ln", CMD_MATH, "ln"}, {"log", CMD_MATH, "log"},
    {"max", CMD_MATH, "max"}, {"medskip", CMD_SPACE, ""}, {"mid", CMD_MATH, "|"},
    {"min", CMD_MATH, "min"}, {"mp", CMD_MATH, "∓"}, {"mu", CMD_MATH, "μ"},
    {"nabla", CMD_MATH, "∇"}, {"ne", CMD_MATH, "≠"}, {"neq", CMD_MATH, "≠"},
    {"newline", CMD_SPACE, ""}, {"ng", CMD_LETTER, "ŋ"}, {"nobreakspace", CMD_SPACE, ""},
    {"nolinkurl", CMD_VERBATIM_ARG, ""}, {"noopsort", CMD_DROP_ARG, ""},
    {"notin", CMD_MATH, "∉"}, {"nu", CMD_MATH, "ν"}, {"o", CMD_LETTER, "ø"},
    {"oe", CMD_LETTER, "œ"}, {"omega", CMD_MATH, "ω"}, {"omicron", CMD_MATH, "ο"},
    {"par", CMD_SPACE, ""}, {"parallel", CMD_MATH, "∥"}, {"partial", CMD_MATH, "∂"},
    {"path", CMD_VERBATIM_ARG, ""}, {"perp", CMD_MATH, "⊥"}, {"phi", CMD_MATH, "φ"},
    {"pi", CMD_MATH, "π"}, {"pm", CMD_MATH, "±"}, {"pounds", CMD_SYMBOL, "£"},
    {"prime", CMD_MATH, "′"}, {"prod", CMD_MATH, "∏"}, {"propto", CMD_MATH, "∝"},
    {"psi", CMD_MATH, "ψ"}, {"qquad", CMD_SPACE, ""}, {"quad", CMD_SPACE, ""},
    {"quotedblbase", CMD_SYMBOL, "„"}, {"r", CMD_ACCENT, "r"}, {"rangle", CMD_MATH, "⟩"},
    {"rbrace", CMD_MATH, "}"}, {"ref", CMD_DROP_ARG, ""}, {"rho", CMD_MATH, "ρ"},
    {"rightarrow", CMD_MATH, "→"}, {"sec", CMD_MATH, "sec"}, {"sigma", CMD_MATH, "σ"},
    {"sim", CMD_MATH, "∼"}, {"simeq", CMD_MATH, "≃"}, {"sin", CMD_MATH, "sin"},
    {"sinh", CMD_MATH, "sinh"}, {"smallskip", CMD_SPACE, ""}, {"sortnoop", CMD_DROP_ARG, ""},
    {"space", CMD_SPACE, ""}, {"sqrt", CMD_MATH, "√"}, {"ss", CMD_LETTER, "ß"},
    {"star", CMD_MATH, "⋆"}, {"subset", CMD_MATH, "⊂"}, {"sum", CMD_MATH, "∑"},
    {"sup", CMD_MATH, "sup"}, {"supset", CMD_MATH, "⊃"}, {"t", CMD_ACCENT, "t"},
    {"tan", CMD_MATH, "tan"}, {"tanh", CMD_MATH, "tanh"}, {"tau", CMD_MATH, "τ"},
    {"textasciicircum", CMD_SYMBOL, "^"}, {"textasciitilde", CMD_SYMBOL, "~"},
    {"textasteriskcentered", CMD_SYMBOL, "*"}, {"textbackslash", CMD_SYMBOL, "\\"},
    {"textbar", CMD_SYMBOL, "|"}, {"textbraceleft", CMD_SYMBOL, "{"},
    {"textbraceright", CMD_SYMBOL, "}"}, {"textbullet", CMD_SYMBOL, "•"},
    {"textcent", CMD_SYMBOL, "¢"}, {"textcopyright", CMD_SYMBOL, "©"},
    {"textdagger", CMD_SYMBOL, "†"}, {"textdaggerdbl", CMD_SYMBOL, "‡"},
    {"textdegree", CMD_SYMBOL, "°"}, {"textellipsis", CMD_SYMBOL, "…"},
    {"textemdash", CMD_SYMBOL, "—"}, {"textendash", CMD_SYMBOL, "–"},
    {"texteuro", CMD_SYMBOL, "€"}, {"textexclamdown", CMD_SYMBOL, "¡"},
    {"textgreater", CMD_SYMBOL, ">"}, {"textless", CMD_SYMBOL, "<"},
    {"textmu", CMD_SYMBOL, "µ"}, {"textonehalf", CMD_SYMBOL, "½"},
    {"textonequarter", CMD_SYMBOL, "¼"}, {"textparagraph", CMD_SYMBOL, "¶"},
    {"textperiodcentered", CMD_SYMBOL, "·"}, {"textperthousand", CMD_SYMBOL, "‰"},
    {"textpm", CMD_SYMBOL, "±"}, {"textquestiondown", CMD_SYMBOL, "¿"},
    {"textquotedbl", CMD_SYMBOL, "\""}, {"textquotedblleft", CMD_SYMBOL, "“"},
    {"textquotedblright", CMD_SYMBOL, "”"}, {"textquoteleft", CMD_SYMBOL, "‘"},
    {"textquoteright", CMD_SYMBOL, "’"}, {"textquotesingle", CMD_SYMBOL, "'"},
    {"textregistered", CMD_SYMBOL, "®"}, {"textsection", CMD_SYMBOL, "§"},
    {"textsterling", CMD_SYMBOL, "£"}, {"textthreequarters", CMD_SYMBOL, "¾"},
    {"texttrademark", CMD_SYMBOL, "™"}, {"textunderscore", CMD_SYMBOL, "_"},
    {"textyen", CMD_SYMBOL, "¥"}, {"th", CMD_LETTER, "þ"}, {"theta", CMD_MATH, "θ"},
    {"thinspace", CMD_SPACE, ""}, {"times", CMD_MATH, "×"}, {"to", CMD_MATH, "→"},
    {"u", CMD_ACCENT, "u"}, {"uparrow", CMD_MATH, "↑"}, {"upsilon", CMD_MATH, "υ"},
    {"url", CMD_VERBATIM_ARG, ""}, {"v", CMD_ACCENT, "v"}, {"varepsilon", CMD_MATH, "ε"},
    {"varkappa", CMD_MATH, "ϰ"}, {"varphi", CMD_MATH, "φ"}, {"varpi", CMD_MATH, "ϖ"},
    {"varrho", CMD_MATH, "ϱ"}, {"varsigma", CMD_MATH, "ς"}, {"vartheta", CMD_MATH, "ϑ"},
    {"vert", CMD_MATH, "|"}, {"vspace", CMD_DROP_ARG, ""}, {"xi", CMD_MATH, "ξ"},
    {"zeta", CMD_MATH, "ζ"},
};

/* Bytes the main loop must look at; everything else (spaces too) is
 * copied in runs. */
static const unsigned char special[256] = {
    ['\\'] = 1, ['{'] = 1, ['}'] = 1, ['~'] = 1, ['$'] = 1, ['-'] = 1, ['`'] = 1,
    ['\''] = 1, ['\t'] = 1, ['\n'] = 1, ['\r'] = 1, ['\f'] = 1, ['\v'] = 1,
    ['^'] = 1, ['_'] = 1,
};

/* ---- output ------------------------------------------------------------ */

typedef struct decoder {
    wn_buf *out;
    size_t start; /* out->len when this value began: no space before it */
    int space;    /* white space seen and not yet written */
    int math;     /* inside $...$ */
} decoder;

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int is_alpha(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }

static int flush_space(decoder *d)
{
    int rc = 0;
    if (d->space && d->out->len > d->start)
        rc = wn_buf_putc(d->out, ' ');
    d->space = 0;
    return rc;
}

static int emit(decoder *d, const char *s, size_t n)
{
    if (!n)
        return 0;
    if (flush_space(d))
        return WN_ENOMEM;
    return wn_buf_append(d->out, s, n);
}

static int emit_str(decoder *d, const char *s) { return emit(d, s, strlen(s)); }

/* Is there "  " in s[0..n)? Eight pairs at a time: a byte of
 * (w ^ spaces) | (next ^ spaces) is zero where a space follows a space. */
int wn_latex_has_double_space(const char *s, size_t n)
{
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    const uint64_t spaces = ones * ' ';
    size_t i = 0;
    for (; i + 9 <= n; i += 8) {
        uint64_t w, next;
        memcpy(&w, s + i, 8);
        memcpy(&next, s + i + 1, 8);
        uint64_t x = (w ^ spaces) | (next ^ spaces);
        if ((x - ones) & ~x & highs)
            return 1;
    }
    for (; i + 1 < n; i++)
        if (s[i] == ' ' && s[i + 1] == ' ')
            return 1;
    return 0;
}

/* A run of plain text, spaces included: spaces at its ends become pending
 * (so none is written at the ends of the value), and doubled ones are
 * folded. */
static int emit_run(decoder *d, const char *s, size_t n)
{
    size_t a = 0, z = n;
    while (a < z && s[a] == ' ')
        a++;
    if (a)
        d->space = 1;
    while (z > a && s[z - 1] == ' ')
        z--;
    int rc = 0;
    if (!wn_latex_has_double_space(s + a, z - a)) {
        rc = emit(d, s + a, z - a);
    } else {
        while (a < z && !rc) {
            size_t word = a;
            while (word < z && s[word] != ' ')
                word++;
            rc = emit(d, s + a, word - a);
            d->space = word < z;
            a = word;
            while (a < z && s[a] == ' ')
                a++;
        }
    }
    if (z < n)
        d->space = 1;
    return rc;
}

static int emit_cp(decoder *d, unsigned cp)
{
    if (flush_space(d))
        return WN_ENOMEM;
    return wn_buf_put_utf8(d->out, cp);
}

/* Length of the UTF-8 sequence starting with lead byte c (1 for others). */
static size_t utf8_len(unsigned char c)
{
    if (c >= 0xF0)
        return 4;
    if (c >= 0xE0)
        return 3;
    if (c >= 0xC0)
        return 2;
    return 1;
}

static void skip_spaces(const char *s, size_t len, size_t *i)
{
    while (*i < len && is_space((unsigned char)s[*i]))
        (*i)++;
}

/* Moves *i past a {group} starting at *i (if there is one). */
static void skip_group(const char *s, size_t len, size_t *i)
{
    if (*i >= len || s[*i] != '{')
        return;
    size_t depth = 0;
    while (*i < len) {
        char c = s[(*i)++];
        if (c == '\\')
            (*i)++;
        else if (c == '{')
            depth++;
        else if (c == '}' && --depth == 0)
            break;
    }
    if (*i > len)
        *i = len;
}

/* ---- accents ------------------------------------------------------------ */

static int compose(decoder *d, char cmd, unsigned base)
{
    const accent *a = NULL;
    for (size_t k = 0; k < sizeof accents / sizeof accents[0]; k++)
        if (accents[k].cmd == cmd)
            a = &accents[k];
    if (!a)
        return emit_cp(d, base);
    if (base < 0x80) {
        const char *hit = strchr(a->bases, (int)base);
        if (hit)
            return emit_cp(d, a->composed[hit - a->bases]);
    }
    if (emit_cp(d, base))
        return WN_ENOMEM;
    return wn_buf_put_utf8(d->out, a->combining);
}

/* An accent command has been read; *i is just past it. Its argument is the
 * next letter, {letter}, \i or {\i}; the rest of a group is left for the
 * main loop (whose brace handling drops the closing brace). */
static int accent_arg(decoder *d, char cmd, int named, const char *s, size_t len, size_t *i)
{
    size_t k = *i;
    if (named) /* \c c: TeX skips the space after a control word */
        skip_spaces(s, len, &k);
    if (k < len && s[k] == '{') {
        k++;
        skip_spaces(s, len, &k);
    }
    unsigned base = 0;
    if (k + 1 < len && s[k] == '\\' && (s[k + 1] == 'i' || s[k + 1] == 'j') &&
        (k + 2 >= len || !is_alpha((unsigned char)s[k + 2]))) {
        base = (unsigned char)s[k + 1]; /* dotless i/j under an accent */
        k += 2;
    } else if (k < len && s[k] != '}' && s[k] != '{' && s[k] != '\\' &&
               !is_space((unsigned char)s[k])) {
        const char *p = s + k;
        base = wn_utf8_next(&p, s + len);
        k = (size_t)(p - s);
    }
    *i = k;
    if (!base) /* "\~{}" is the accent character itself */
        return named ? 0 : emit(d, &cmd, 1);
    return compose(d, cmd, base);
}

/* ---- commands ------------------------------------------------------------ */

static int cmp_command(const void *key, const void *elem)
{
    return strcmp(key, ((const command *)elem)->name);
}

/* Control symbols: a backslash and one non-letter. *i is past the symbol. */
static int control_symbol(decoder *d, const char *s, size_t len, size_t *i)
{
    size_t at = *i;
    unsigned char c = (unsigned char)s[at];
    *i = at + 1;
    switch (c) {
    case '\'': case '`': case '^': case '"': case '~': case '=': case '.':
        return accent_arg(d, (char)c, 0, s, len, i);
    case '&': case '%': case '$': case '_': case '#': case '{': case '}':
        return emit(d, s + at, 1);
    case '\\': case ' ': case '\t': case '\n': case '\r': case ',': case ';': case ':':
    case '>':
        d->space = 1;
        return 0;
    case '(': case '[':
        d->math = 1;
        return 0;
    case ')': case ']':
        d->math = 0;
        return 0;
    case '!': case '-': case '/': case '@': case '*':
        return 0; /* spacing and hyphenation hints */
    default: {
        size_t n = utf8_len(c);
        if (n > len - at)
            n = len - at;
        *i = at + n;
        return emit(d, s + at, n);
    }
    }
}

/* A backslash at s[*i]: decode the command and move *i past what it used. */
static int control(decoder *d, const char *s, size_t len, size_t *i)
{
    size_t j = *i + 1;
    if (j >= len) {
        *i = len;
        return 0;
    }
    if (!is_alpha((unsigned char)s[j])) {
        *i = j;
        return control_symbol(d, s, len, i);
    }
    size_t k = j;
    while (k < len && is_alpha((unsigned char)s[k]))
        k++;
    *i = k;
    char name[32];
    size_t n = k - j;
    const command *cmd = NULL;
    if (n < sizeof name) {
        memcpy(name, s + j, n);
        name[n] = '\0';
        cmd = bsearch(name, commands, sizeof commands / sizeof commands[0], sizeof commands[0],
                      cmp_command);
    }
    if (!cmd) {
        /* Unknown: drop the command; a {group} after it is kept as text by
         * the main loop. */
        if (!d->math)
            skip_spaces(s, len, i);
        return 0;
    }
    switch (cmd->kind) {
    case CMD_LETTER:
    case CMD_SYMBOL:
        if (!d->math) /* TeX swallows the spaces after a control word */
            skip_spaces(s, len, i);
        return emit_str(d, cmd->text);
    case CMD_MATH:
        return emit_str(d, cmd->text);
    case CMD_ACCENT:
        return accent_arg(d, cmd->name[0], 1, s, len, i);
    case CMD_SPACE:
        d->space = 1;
        skip_spaces(s, len, i);
        return 0;
    case CMD_DROP_ARG:
    case CMD_HREF:
        skip_spaces(s, len, i);
        skip_group(s, len, i);
        return 0;
    case CMD_VERBATIM_ARG: {
        skip_spaces(s, len, i);
        if (*i >= len || s[*i] != '{')
            return 0;
        size_t from = *i + 1;
        skip_group(s, len, i);
        size_t to = *i;
        if (to > from && s[to - 1] == '}')
            to--;
        return emit(d, s + from, to - from);
    }
    }
    return 0;
}

/* ---- the decoder ----------------------------------------------------------- */

int wn_latex_decode(wn_buf *out, const char *s, size_t len)
{
    decoder d = {out, out->len, 0, 0};
    /* Output is about as long as input: reserve once. */
    if (wn_buf_reserve(out, len))
        return WN_ENOMEM;
    int rc = 0;
    size_t i = 0;
    while (i < len && !rc) {
        size_t run = i;
        const unsigned char *u = (const unsigned char *)s;
        while (run + 4 <= len && !(special[u[run]] | special[u[run + 1]] | special[u[run + 2]] |
                                   special[u[run + 3]]))
            run += 4;
        while (run < len && !special[u[run]])
            run++;
        if (run > i) {
            rc = emit_run(&d, s + i, run - i);
            i = run;
            continue;
        }
        char c = s[i];
        switch (c) {
        case '{':
        case '}':
            i++;
            break;
        case '~': /* a tie is a space that does not break */
            d.space = 1;
            i++;
            break;
        case '$':
            d.math = !d.math;
            i++;
            break;
        case '^':
        case '_':
            if (!d.math)
                rc = emit(&d, s + i, 1);
            i++;
            break;
        case '-': {
            size_t n = 1;
            while (i + n < len && s[i + n] == '-' && n < 3)
                n++;
            rc = n == 1 ? emit(&d, "-", 1) : emit_cp(&d, n == 2 ? 0x2013 : 0x2014);
            i += n;
            break;
        }
        case '`':
        case '\'':
            if (i + 1 < len && s[i + 1] == c) {
                rc = emit_cp(&d, c == '`' ? 0x201C : 0x201D);
                i += 2;
            } else {
                rc = emit(&d, s + i, 1);
                i++;
            }
            break;
        case '\\':
            rc = control(&d, s, len, &i);
            break;
        default: /* white space */
            d.space = 1;
            i++;
            break;
        }
    }
    /* The reserve above may have allocated without writing anything. */
    if (out->data)
        out->data[out->len] = '\0';
    return rc;
}

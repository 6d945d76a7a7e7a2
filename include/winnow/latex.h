/* winnow — LaTeX markup in bibliographic text, decoded to plain UTF-8.
 *
 * BibTeX values carry accents (\'e, {\"o}, \c{c}), special letters (\ss,
 * \o), escaped characters (\&, \%), protective braces, dashes (--), TeX
 * quotes (``...''), ties (~) and bits of math ($\alpha$). Readers turn
 * them into the text a person would read. */
#ifndef WINNOW_LATEX_H
#define WINNOW_LATEX_H

#include <stddef.h>

#include "winnow/buf.h"

/* Appends the plain UTF-8 reading of the LaTeX text s[0..len) to out:
 * braces removed, accents composed (\'e gives é, an accent without a
 * precomposed form gives the letter plus a combining mark), known symbols
 * and Greek letters replaced, formatting commands (\emph{x}, \textbf{x})
 * reduced to their argument, unknown commands dropped with their argument
 * text kept, "--" and "---" made en and em dashes, ``x'' made “x”, ~ made a
 * space, math shifts ($) and super/subscript marks dropped, and runs of
 * white space made one space with none at either end of the appended text.
 * Never fails on odd input; returns 0 or WN_ENOMEM. */
int wn_latex_decode(wn_buf *out, const char *s, size_t len);

#endif

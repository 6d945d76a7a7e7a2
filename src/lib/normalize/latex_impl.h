/* Internal: what the LaTeX decoder shares with the BibTeX reader. Not
 * installed. */
#ifndef WINNOW_LATEX_IMPL_H
#define WINNOW_LATEX_IMPL_H

#include <stddef.h>

/* Non-zero when s[0..n) holds two spaces in a row. */
int wn_latex_has_double_space(const char *s, size_t n);

#endif

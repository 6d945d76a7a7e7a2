/* libFuzzer target: arbitrary bytes through decoding, BibTeX sniffing and
 * the BibTeX reader (records checked as well formed; see fuzz_common.h),
 * and the LaTeX decoder on the whole text. */
#include "fuzz_common.h"
#include "winnow/winnow.h"

static void decode_latex(const char *text, size_t len)
{
    wn_buf out = WN_BUF_INIT;
    (void)wn_latex_decode(&out, text, len);
    wn_buf_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const fuzz_target bibtex = {"bibtex", FUZZ_WELL_FORMED, decode_latex};
    return fuzz_input(data, size, &bibtex);
}

/* libFuzzer target: arbitrary bytes through decoding, RIS sniffing and the
 * RIS reader. Besides memory errors it catches origins outside the input,
 * records out of order and values that are not non-empty UTF-8 C strings of
 * their stated length (FUZZ_WELL_FORMED). */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const fuzz_target ris = {"ris", FUZZ_WELL_FORMED, NULL};
    return fuzz_input(data, size, &ris);
}

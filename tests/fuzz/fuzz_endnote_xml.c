/* libFuzzer target: arbitrary bytes through decoding, EndNote XML detection
 * and the EndNote XML reader. Every record handed out must be well formed,
 * come after the one before, and have an origin spanning one <record>
 * element of the input; a successful parse must read at least one. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const fuzz_target enx = {
        "endnote-xml",
        FUZZ_WELL_FORMED | FUZZ_NEED_RECORDS | FUZZ_IN_ORDER | FUZZ_ELEMENT_ORIGINS, NULL};
    return fuzz_input(data, size, &enx);
}

/* libFuzzer target: arbitrary bytes through decoding, detection and the
 * Ovid text reader. Every record handed out must be well formed, and a
 * successful parse must read at least one. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const fuzz_target ovid = {"ovid", FUZZ_WELL_FORMED | FUZZ_NEED_RECORDS, NULL};
    return fuzz_input(data, size, &ovid);
}

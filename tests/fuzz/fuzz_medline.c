/* libFuzzer target: arbitrary bytes through decoding, MEDLINE sniffing and
 * the MEDLINE reader: records must be well formed (see fuzz_common.h), and
 * a successful parse must read at least one. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const fuzz_target medline = {"medline", FUZZ_WELL_FORMED | FUZZ_NEED_RECORDS, NULL};
    return fuzz_input(data, size, &medline);
}

/* libFuzzer target: arbitrary bytes through decoding, sniffing and each of
 * the API JSON readers (OpenAlex, Crossref, Publish or Perish) in turn.
 * Their records must be well formed (see fuzz_common.h), a successful parse
 * must yield records (all three fail on input without any), and every
 * record read is written by each exporter and read back. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const unsigned checks = FUZZ_WELL_FORMED | FUZZ_NEED_RECORDS | FUZZ_ROUND_TRIP;
    static const fuzz_target readers[] = {
        {"openalex", checks, NULL},
        {"crossref", checks, NULL},
        {"pop-json", checks, NULL},
    };
    for (size_t i = 0; i < sizeof readers / sizeof readers[0]; i++)
        fuzz_input(data, size, &readers[i]);
    return 0;
}

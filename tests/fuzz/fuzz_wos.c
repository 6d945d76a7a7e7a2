/* libFuzzer target: arbitrary bytes through decoding, detection and both Web
 * of Science readers (plain text and tab-delimited), which share their tag
 * table. Every record handed out must be well formed, and a successful parse
 * must read at least one. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const fuzz_target wos = {"wos", FUZZ_WELL_FORMED | FUZZ_NEED_RECORDS, NULL};
    static const fuzz_target wos_tab = {"wos-tab", FUZZ_WELL_FORMED | FUZZ_NEED_RECORDS, NULL};
    fuzz_input(data, size, &wos);
    return fuzz_input(data, size, &wos_tab);
}

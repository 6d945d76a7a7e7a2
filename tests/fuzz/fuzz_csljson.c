/* libFuzzer target: arbitrary bytes through decoding, CSL-JSON sniffing and
 * the CSL-JSON reader, whose records must be well formed (see fuzz_common.h);
 * every record read is then written by each exporter and read back, so the
 * writers see whatever the reader can produce. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const fuzz_target csljson = {"csljson", FUZZ_WELL_FORMED | FUZZ_ROUND_TRIP, NULL};
    return fuzz_input(data, size, &csljson);
}

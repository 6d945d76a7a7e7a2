/* libFuzzer target: arbitrary bytes through decoding, CSV sniffing and
 * the CSV reader, whose records must be well formed (see fuzz_common.h);
 * every record read is then written by each exporter and read back, so the
 * writers see whatever the reader can produce. The same text is then read
 * with a column mapping naming its first header cell, and its profile is
 * explained, so the --map and profile paths see it too. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "import/parser.h"

static int count_record(void *user, const wn_record *rec)
{
    (void)rec;
    (*(size_t *)user)++;
    return 0;
}

static void mapped(const char *text, size_t len)
{
    char why[256];
    wn_csv_explain(text, len, why, sizeof why);
    if (memchr(why, '\0', sizeof why) == NULL)
        abort();
    /* "title=<first cell>" from the first line, cut at a comma. */
    char map[64] = "title=";
    size_t n = 6;
    for (size_t i = 0; i < len && n + 1 < sizeof map; i++) {
        char c = text[i];
        if (c == ',' || c == '\n' || c == '\r' || c == '\0')
            break;
        map[n++] = c;
    }
    map[n] = '\0';
    wn_err err;
    if (wn_csv_map_check(map, &err) != 0)
        return;
    size_t seen = 0;
    wn_parse_opts opts = {"fuzz", count_record, NULL, &seen};
    wn_parse_stats st;
    int rc = wn_parse_mapped(wn_format_find("csv"), text, len, map, &opts, &st, &err);
    if (rc != 0 && err.msg[0] == '\0')
        abort();
    if (rc == 0 && st.records != seen)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const fuzz_target csv = {"csv", FUZZ_WELL_FORMED | FUZZ_ROUND_TRIP, mapped};
    return fuzz_input(data, size, &csv);
}

/* Times decoding and parsing one export file: bench/parse_bench FILE [FORMAT]
 *
 * Reports MB/s and records/s of wn_parse (which includes field
 * normalization), best of five runs, with the file already in memory. Build:
 *   cc -O2 -Iinclude bench/parse_bench.c build/libwinnow.a \
 *      $(pkg-config --libs sqlite3 libxml-2.0 libcjson libpcre2-8 libcurl libcrypto)
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "winnow/winnow.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    if (fseek(f, 0, SEEK_END) == 0) {
        long n = ftell(f);
        if (n >= 0 && fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1)) &&
            fread(buf, 1, (size_t)n, f) != (size_t)n) {
            free(buf);
            buf = NULL;
        }
        *len = (size_t)n;
    }
    fclose(f);
    return buf;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE [FORMAT]\n", argv[0]);
        return 2;
    }
    size_t len = 0;
    char *data = read_all(argv[1], &len);
    if (!data) {
        fprintf(stderr, "cannot read '%s'\n", argv[1]);
        return 1;
    }
    wn_err err;
    wn_decoded d;
    if (wn_text_decode(argv[1], data, len, &d, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        free(data);
        return 1;
    }
    const wn_format *f = NULL;
    wn_detection det;
    if (argc > 2)
        f = wn_format_find(argv[2]);
    else if (wn_format_detect(argv[1], d.text, d.len, &det, &err) == 0)
        f = det.format;
    if (!f) {
        fprintf(stderr, "%s\n", argc > 2 ? "unknown format" : err.msg);
        wn_decoded_free(&d);
        free(data);
        return 1;
    }
    double best = 1e9;
    wn_parse_stats stats = {0, 0};
    int rc = 0;
    for (int run = 0; run < 5 && !rc; run++) {
        wn_parse_opts opts = {argv[1], NULL, NULL, NULL};
        double t0 = now();
        rc = wn_parse(f, d.text, d.len, &opts, &stats, &err);
        double t = now() - t0;
        if (t < best)
            best = t;
    }
    if (rc)
        fprintf(stderr, "%s\n", err.msg);
    else
        printf("%s: %zu records, %.1f MB in %.3f s: %.0f MB/s, %.0f records/s\n",
               wn_format_name(f), stats.records, (double)d.len / 1e6, best,
               (double)d.len / 1e6 / best, (double)stats.records / best);
    wn_decoded_free(&d);
    free(data);
    return rc ? 1 : 0;
}

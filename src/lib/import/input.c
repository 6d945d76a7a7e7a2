/* Reading one export file: map, hash, decode, choose the format. Shared by
 * import into a project and by validation, which must agree exactly. */
#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "import/parser.h"

static int map_file(wn_input *in, const char *path, wn_err *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return wn_err_set(err, WN_EIO, "cannot read '%s': %s", in->name, strerror(errno));
    struct stat st;
    int rc = 0;
    if (fstat(fd, &st) != 0) {
        rc = wn_err_set(err, WN_EIO, "cannot read '%s': %s", in->name, strerror(errno));
    } else if (S_ISDIR(st.st_mode)) {
        rc = wn_err_set(err, WN_EIO, "cannot read '%s': it is a directory", in->name);
    } else if (st.st_size == 0) {
        rc = wn_err_set(err, WN_EFORMAT, "cannot import '%s': the file is empty", in->name);
    } else {
        void *data = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (data == MAP_FAILED) {
            rc = wn_err_set(err, WN_EIO, "cannot read '%s': %s", in->name, strerror(errno));
        } else {
            madvise(data, (size_t)st.st_size, MADV_SEQUENTIAL);
            in->bytes = data;
            in->size = (size_t)st.st_size;
        }
    }
    close(fd);
    return rc;
}

/* A CSV's "why" also says which database's header it has. */
static void explain_profile(wn_input *in)
{
    if (in->format != &wn_format_csv)
        return;
    char profile[160];
    wn_csv_explain(in->text.text, in->text.len, profile, sizeof profile);
    size_t used = strlen(in->why);
    if (profile[0] && used + 3 < sizeof in->why)
        snprintf(in->why + used, sizeof in->why - used, "; %s", profile);
}

/* The format named by the caller (checked against the content) or the one
 * the content shows. */
static int choose_format(wn_input *in, const char *format, wn_err *err)
{
    const char *text = in->text.text;
    size_t len = in->text.len;
    wn_detection det;
    wn_err detect_err;
    int detected = wn_format_detect(in->name, text, len, &det, &detect_err);
    if (!format) {
        if (detected)
            return wn_err_set(err, detected, "%s", detect_err.msg);
        in->format = det.format;
        snprintf(in->why, sizeof in->why, "%s", det.why);
        explain_profile(in);
        return 0;
    }
    in->format = wn_format_find(format);
    if (!in->format) {
        char names[256];
        wn_format_names(names, sizeof names);
        return wn_err_set(err, WN_EINVAL, "unknown format '%s' (known: %s)", format, names);
    }
    if (wn_format_sniff(in->format, text, len) == 0) {
        const char *label = wn_format_label(in->format);
        if (!detected && det.format != in->format)
            return wn_err_set(err, WN_EFORMAT, "cannot read '%s' as %s: its content is %s, not %s",
                              in->name, label, wn_format_label(det.format), label);
        return wn_err_set(err, WN_EFORMAT, "cannot read '%s' as %s: its content is not %s",
                          in->name, label, label);
    }
    snprintf(in->why, sizeof in->why, "as asked (--format %s)", wn_format_name(in->format));
    explain_profile(in);
    return 0;
}

static void *hash_main(void *arg)
{
    wn_input *in = arg;
    wn_sha256_hex(in->bytes, in->size, in->sha256);
    return NULL;
}

int wn_input_open(wn_input *in, const char *path, const char *name, const char *format,
                  const char *encoding, int flags, wn_err *err)
{
    memset(in, 0, sizeof *in);
    in->name = name ? name : path;
    int rc = map_file(in, path, err);
    if (rc)
        return rc;
    /* Hashing reads the whole file: it runs on the other core while this
     * one decodes (and, if the caller waits later, parses). */
    if (flags & WN_INPUT_HASH) {
        pthread_t *t = malloc(sizeof *t);
        if (t && pthread_create(t, NULL, hash_main, in) == 0) {
            in->hasher = t;
        } else {
            free(t);
            hash_main(in);
        }
    }
    rc = encoding ? wn_text_decode_as(in->name, encoding, in->bytes, in->size, &in->text, err)
                  : wn_text_decode(in->name, in->bytes, in->size, &in->text, err);
    if (!rc)
        rc = choose_format(in, format, err);
    return rc;
}

void wn_input_hash_wait(wn_input *in)
{
    if (!in->hasher)
        return;
    pthread_join(*(pthread_t *)in->hasher, NULL);
    free(in->hasher);
    in->hasher = NULL;
}

void wn_input_close(wn_input *in)
{
    if (!in)
        return;
    wn_input_hash_wait(in); /* the hasher reads the mapping */
    wn_decoded_free(&in->text);
    if (in->bytes)
        munmap((void *)in->bytes, in->size);
    memset(in, 0, sizeof *in);
}

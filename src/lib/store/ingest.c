/* Importing one export file into a project as one source, in one
 * transaction: the decoded text, every record, every warning, the audit row. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "import/parser.h"
#include "store/db.h"
#include "winnow/text.h"

#define BULK_IMPORT_BYTES (32u << 20) /* from here on, import without WAL */

/* Records travel from the parser (the calling thread) to the writer thread
 * through a small ring of reusable slots, so parsing and sqlite's work run
 * on two cores at once. Each side takes the lock once per batch of records,
 * not once per record: per record, the two threads mostly wait on each
 * other's lock. */
#define QUEUE_SLOTS 256
#define HANDOVER_BATCH 16

typedef struct held_warning {
    size_t line, record;
    char *message;
} held_warning;

typedef struct warning_list {
    held_warning *at;
    size_t n, cap;
} warning_list;

/* A record on its way to the writer, with the warnings raised while it was
 * read: the writer passes them on in record order, whichever thread
 * normalized the record, so warnings come out the same on every run. */
typedef struct queued {
    wn_record *rec;
    int finished; /* normalized by the parser (else the writer does it) */
    warning_list warnings;
} queued;

typedef struct ingest {
    wn_project *p;
    const wn_import_opts *o;
    const char *name; /* of the input, in warnings */
    int64_t source_id;
    wn_buf lists[WN_F_COUNT]; /* joined list fields of the current record */
    size_t warnings;
    int failed; /* a database error in the writer (message in p->err) */
    /* the queue: shared under mu */
    pthread_mutex_t mu;
    pthread_cond_t not_empty, not_full;
    queued slot[QUEUE_SLOTS];
    size_t count; /* handed over and not yet written */
    int done;
    int parser_waiting, writer_waiting;
    int queue_ready;
    /* the parser's side of the queue */
    size_t tail, unpublished, known_free;
    warning_list pending; /* raised since the last record was queued */
    int pending_oom;      /* one of them could not be kept */
    wn_err parser_err;    /* why queue_record stopped the parse, if it did */
    /* the writer's side */
    size_t head, written;
    /* warnings kept for the project: filled by the writer thread while it
     * runs, by the calling thread before and after */
    warning_list held;
    int held_oom;
    /* the decoded text, stored a chunk at a time (by the writer thread
     * whenever no record is waiting or a record reaches past what is
     * stored; all at once for imports from memory) */
    const char *text;
    size_t text_len, text_stored, text_seq;
    /* where the text being parsed starts in the source (imports from memory
     * join several texts) */
    wn_origin base;
} ingest;

static int write_record(ingest *in, const wn_record *rec)
{
    wn_project *p = in->p;
    sqlite3_stmt *s = wn_stmt(p, ST_RECORD_INSERT);
    if (!s)
        goto db_error;
    const wn_origin *o = wn_record_origin_c(rec);
    sqlite3_bind_int64(s, 1, in->source_id);
    sqlite3_bind_int64(s, 2, (sqlite3_int64)(in->base.position + o->position));
    sqlite3_bind_int64(s, 3, (sqlite3_int64)(in->base.line + o->line));
    sqlite3_bind_int64(s, 4, (sqlite3_int64)(in->base.offset + o->offset));
    sqlite3_bind_int64(s, 5, (sqlite3_int64)o->length);
    for (int f = 0; f < WN_F_COUNT; f++)
        wn_buf_clear(&in->lists[f]);
    size_t n = wn_record_size(rec), extras = 0;
    for (size_t i = 0; i < n; i++) {
        wn_field_value v = wn_record_at(rec, i);
        if (v.field == WN_F_EXTRA) {
            extras++;
            continue;
        }
        if (wn_field_is_list(v.field)) {
            wn_buf *b = &in->lists[v.field];
            if ((b->len && wn_buf_putc(b, '\n')) || wn_buf_append(b, v.value, v.len))
                return wn_err_set(&p->err, WN_ENOMEM, "out of memory");
        } else if (v.field == WN_F_YEAR) {
            sqlite3_bind_int(s, 6 + v.field, atoi(v.value));
        } else {
            /* Single-valued: the normalizer left exactly one. */
            wn_bind_text(s, 6 + v.field, v.value, v.len);
        }
    }
    for (int f = 0; f < WN_F_EXTRA; f++)
        if (wn_field_is_list((wn_field)f) && in->lists[f].len)
            wn_bind_text(s, 6 + f, in->lists[f].data, in->lists[f].len);
    if (sqlite3_step(s) != SQLITE_DONE)
        goto db_error;
    if (extras) {
        sqlite3_int64 id = sqlite3_last_insert_rowid(p->db);
        int ord = 0;
        for (size_t i = 0; i < n; i++) {
            wn_field_value v = wn_record_at(rec, i);
            if (v.field != WN_F_EXTRA)
                continue;
            sqlite3_stmt *e = wn_stmt(p, ST_EXTRA_INSERT);
            if (!e)
                goto db_error;
            sqlite3_bind_int64(e, 1, id);
            sqlite3_bind_int(e, 2, ord++);
            wn_bind_text(e, 3, v.tag, strlen(v.tag));
            wn_bind_text(e, 4, v.value, v.len);
            if (sqlite3_step(e) != SQLITE_DONE)
                goto db_error;
        }
    }
    return 0;
db_error:
    return wn_db_fail(p, "cannot store a record");
}

/* Appends h, whose message the list then owns (on success only). */
static int warning_list_push(warning_list *l, held_warning h)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        held_warning *at = realloc(l->at, cap * sizeof *at);
        if (!at)
            return WN_ENOMEM;
        l->at = at;
        l->cap = cap;
    }
    l->at[l->n++] = h;
    return 0;
}

static int warning_list_add(warning_list *l, size_t line, size_t record, const char *msg)
{
    char *copy = wn_strdup(msg);
    if (!copy || warning_list_push(l, (held_warning){line, record, copy})) {
        free(copy);
        return WN_ENOMEM;
    }
    return 0;
}

static void warning_list_free(warning_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->at[i].message);
    free(l->at);
    memset(l, 0, sizeof *l);
}

/* Shows a warning and keeps it for the project. The message is taken
 * over when owned is given (it is w->message), else copied. */
static void keep_warning(ingest *in, const wn_warning *w, char *owned)
{
    in->warnings++;
    if (in->o->on_warning)
        in->o->on_warning(in->o->user, w);
    char *msg = owned ? owned : wn_strdup(w->message);
    held_warning h = {w->line ? in->base.line + w->line : 0,
                      w->record ? in->base.position + w->record : 0, msg};
    if (!msg || warning_list_push(&in->held, h)) {
        free(msg);
        in->held_oom = 1;
    }
}

static void hold_warning(void *ctx, const wn_warning *w) { keep_warning(ctx, w, NULL); }

/* Shows and keeps, in their order, warnings that waited in a list; their
 * messages move to the kept list. */
static void hold_warnings(ingest *in, warning_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        wn_warning w = {in->name, l->at[i].line, l->at[i].record, l->at[i].message};
        keep_warning(in, &w, l->at[i].message);
    }
    l->n = 0;
}

static int write_warnings(ingest *in)
{
    for (size_t i = 0; i < in->held.n; i++) {
        const held_warning *h = &in->held.at[i];
        sqlite3_stmt *s = wn_stmt(in->p, ST_WARNING_INSERT);
        if (!s)
            return WN_EDB;
        sqlite3_bind_int64(s, 1, in->source_id);
        sqlite3_bind_int64(s, 2, (sqlite3_int64)h->line);
        sqlite3_bind_int64(s, 3, (sqlite3_int64)h->record);
        sqlite3_bind_text(s, 4, h->message, -1, SQLITE_STATIC);
        if (sqlite3_step(s) != SQLITE_DONE)
            return wn_db_fail(in->p, "cannot store a warning");
    }
    return 0;
}

/* The next WN_TEXT_CHUNK bytes of the input text (fewer at its end), as
 * one row. The text is kept whole so each record's raw text is a slice. */
static int store_next_chunk(ingest *in)
{
    size_t left = in->text_len - in->text_stored;
    size_t n = left < WN_TEXT_CHUNK ? left : WN_TEXT_CHUNK;
    sqlite3_stmt *s = wn_stmt(in->p, ST_TEXT_INSERT);
    if (!s)
        return WN_EDB;
    sqlite3_bind_int64(s, 1, in->source_id);
    sqlite3_bind_int64(s, 2, (sqlite3_int64)in->text_seq);
    sqlite3_bind_blob(s, 3, in->text + in->text_stored, (int)n, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_DONE)
        return wn_db_fail(in->p, "cannot store the input text");
    in->text_stored += n;
    in->text_seq++;
    return 0;
}

/* Parser side: a warning waits for the record it belongs to. */
static void pend_warning(void *ctx, const wn_warning *w)
{
    ingest *in = ctx;
    if (warning_list_add(&in->pending, w->line, w->record, w->message))
        in->pending_oom = 1;
}

/* A normalizer warning goes with the record, as a parser's would. */
typedef struct finishing {
    warning_list *into;
    const wn_record *rec;
    int oom;
} finishing;

static void finish_warning(void *ctx, const char *message)
{
    finishing *f = ctx;
    const wn_origin *o = wn_record_origin_c(f->rec);
    if (warning_list_add(f->into, o->line, o->position, message))
        f->oom = 1;
}

/* Normalizes a queued record on whichever thread calls; a failure is set
 * on err (the caller's own: the parser's or the project's). */
static int finish_queued(queued *q, const char *name, wn_err *err)
{
    finishing f = {&q->warnings, q->rec, 0};
    int rc = wn_record_finish(q->rec, finish_warning, &f);
    q->finished = 1;
    if (!rc && f.oom)
        rc = WN_ENOMEM;
    return rc ? wn_err_set(err, rc, "out of memory normalizing record %zu of '%s'",
                           wn_record_origin_c(q->rec)->position, name)
              : 0;
}

/* Parser side: publishes the records queued since the last call and learns
 * how many slots are free, waiting for one if asked to. */
static int hand_over(ingest *in, int wait_for_room)
{
    pthread_mutex_lock(&in->mu);
    in->count += in->unpublished;
    in->unpublished = 0;
    /* Wake a sleeping writer only once a batch is ready: woken for every
     * record, the two threads take turns instead of running together. */
    if (in->writer_waiting && (in->count >= QUEUE_SLOTS / 4 || in->done))
        pthread_cond_signal(&in->not_empty);
    while (wait_for_room && in->count == QUEUE_SLOTS && !in->failed) {
        in->parser_waiting = 1;
        pthread_cond_wait(&in->not_full, &in->mu);
        in->parser_waiting = 0;
    }
    in->known_free = QUEUE_SLOTS - in->count;
    int failed = in->failed;
    pthread_mutex_unlock(&in->mu);
    return failed ? WN_EDB : 0;
}

/* Parser side: a record goes into the next free slot. The parser normalizes
 * it only when the writer is behind; otherwise the writer, which then has
 * time to spare, does. */
static int queue_record(void *ctx, const wn_record *rec)
{
    ingest *in = ctx;
    int rc;
    if (!in->known_free && (rc = hand_over(in, 1)))
        return rc;
    queued *q = &in->slot[in->tail]; /* ours until it is published */
    if (wn_record_copy(q->rec, rec))
        return WN_ENOMEM;
    warning_list w = q->warnings; /* emptied by the writer */
    q->warnings = in->pending;
    in->pending = w;
    q->finished = 0;
    if (QUEUE_SLOTS - in->known_free >= QUEUE_SLOTS / 4 &&
        (rc = finish_queued(q, in->name, &in->parser_err)))
        return rc;
    in->tail = (in->tail + 1) % QUEUE_SLOTS;
    in->known_free--;
    if (++in->unpublished == HANDOVER_BATCH)
        return hand_over(in, 0);
    return 0;
}

/* Writer side: one record, its warnings first. The input text is stored
 * at least as far as the record reaches, so it keeps pace with the parse
 * even when the writer has no gaps to store it in. */
static int write_queued(ingest *in, queued *q)
{
    const wn_origin *o = wn_record_origin_c(q->rec);
    size_t reach = o->offset + o->length;
    while (in->text_stored < reach && in->text_stored < in->text_len) {
        int stored = store_next_chunk(in);
        if (stored)
            return stored;
    }
    int rc = q->finished ? 0 : finish_queued(q, in->name, &in->p->err);
    hold_warnings(in, &q->warnings);
    if (rc)
        return rc;
    if (in->held_oom)
        return wn_err_set(&in->p->err, WN_ENOMEM, "out of memory keeping warnings");
    return write_record(in, q->rec);
}

/* Writer thread: every record as it arrives, and the input text in the
 * gaps and as far as the records reach. Storing the text first would leave
 * the parser waiting on a full queue. */
static void *writer_main(void *arg)
{
    ingest *in = arg;
    int rc = 0;
    for (;;) {
        pthread_mutex_lock(&in->mu);
        in->count -= in->written;
        in->written = 0;
        if (rc) {
            in->failed = 1;
            pthread_cond_broadcast(&in->not_full);
            pthread_mutex_unlock(&in->mu);
            break;
        }
        if (in->parser_waiting && in->count <= QUEUE_SLOTS / 2)
            pthread_cond_signal(&in->not_full);
        int text_left = in->text_stored < in->text_len;
        while (in->count == 0 && !in->done && !text_left) {
            in->writer_waiting = 1;
            pthread_cond_wait(&in->not_empty, &in->mu);
            in->writer_waiting = 0;
        }
        size_t batch = in->count < HANDOVER_BATCH ? in->count : HANDOVER_BATCH;
        pthread_mutex_unlock(&in->mu);
        if (!batch) {
            if (!text_left) /* and done */
                break;
            rc = store_next_chunk(in);
            continue;
        }
        for (size_t k = 0; k < batch && !rc; k++) {
            rc = write_queued(in, &in->slot[in->head]);
            in->head = (in->head + 1) % QUEUE_SLOTS;
            in->written++;
        }
    }
    return NULL;
}

/* Calling thread: no more records; the writer finishes the queue. */
static void queue_close(ingest *in)
{
    pthread_mutex_lock(&in->mu);
    in->count += in->unpublished;
    in->unpublished = 0;
    in->done = 1;
    pthread_cond_signal(&in->not_empty);
    pthread_mutex_unlock(&in->mu);
}

static int queue_init(ingest *in)
{
    pthread_mutex_init(&in->mu, NULL);
    pthread_cond_init(&in->not_empty, NULL);
    pthread_cond_init(&in->not_full, NULL);
    in->queue_ready = 1;
    in->known_free = QUEUE_SLOTS;
    for (size_t i = 0; i < QUEUE_SLOTS; i++)
        if (!(in->slot[i].rec = wn_record_new()))
            return WN_ENOMEM;
    return 0;
}

static void queue_free(ingest *in)
{
    for (size_t i = 0; i < QUEUE_SLOTS; i++) {
        wn_record_free(in->slot[i].rec);
        warning_list_free(&in->slot[i].warnings);
    }
    pthread_mutex_destroy(&in->mu);
    pthread_cond_destroy(&in->not_empty);
    pthread_cond_destroy(&in->not_full);
}

/* Is a file with this hash already in this source? */
static int already_imported(wn_project *p, const char *source, const char *sha, int *seen)
{
    sqlite3_stmt *s = wn_stmt(p, ST_SOURCE_SEEN);
    if (!s)
        return WN_EDB;
    sqlite3_bind_text(s, 1, source, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, sha, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return wn_db_fail(p, "cannot read sources");
    *seen = rc == SQLITE_ROW;
    return 0;
}

/* WN_EEXISTS when the same input (by hash) is already in this source,
 * unless the import is forced. */
static int refuse_seen(wn_project *p, const wn_import_opts *o, const char *name,
                       const char *sha)
{
    int seen = 0, rc = already_imported(p, o->source_name, sha, &seen);
    if (rc || !seen || o->force)
        return rc;
    return wn_err_set(&p->err, WN_EEXISTS,
                      "'%s' is already imported into source '%s' (same sha256); use "
                      "--force to import it again",
                      name, o->source_name);
}

static int journal_is(wn_project *p, const char *mode)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(p->db, "PRAGMA journal_mode", -1, &s, NULL) != SQLITE_OK)
        return 0;
    int yes = sqlite3_step(s) == SQLITE_ROW &&
              strcmp((const char *)sqlite3_column_text(s, 0), mode) == 0;
    sqlite3_finalize(s);
    return yes;
}

static char *inputs_json(const char *file, const char *sha)
{
    cJSON *arr = cJSON_CreateArray(), *o = cJSON_CreateObject();
    if (!arr || !o) {
        cJSON_Delete(arr);
        cJSON_Delete(o);
        return NULL;
    }
    cJSON_AddItemToArray(arr, o);
    cJSON_AddStringToObject(o, "file", file);
    cJSON_AddStringToObject(o, "sha256", sha);
    char *s = cJSON_PrintUnformatted(arr);
    cJSON_Delete(arr);
    return s;
}

/* The source row of an import; its counts follow in finish_source. */
static int insert_source(wn_project *p, const wn_import_opts *o, const char *format,
                         const char *filename, const char *sha256, size_t bytes,
                         const char *encoding, int64_t *id)
{
    char now[32];
    wn_utc_now(now);
    sqlite3_stmt *s = wn_stmt(p, ST_SOURCE_INSERT);
    if (!s)
        return WN_EDB;
    sqlite3_bind_text(s, 1, o->source_name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, o->kind ? o->kind : "database", -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, format, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, filename, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, sha256, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 6, (sqlite3_int64)bytes);
    sqlite3_bind_text(s, 7, encoding, -1, SQLITE_STATIC);
    wn_bind_text(s, 8, o->searched_on, o->searched_on ? strlen(o->searched_on) : 0);
    wn_bind_text(s, 9, o->query, o->query ? strlen(o->query) : 0);
    sqlite3_bind_text(s, 10, now, -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_DONE)
        return wn_db_fail(p, "cannot record the source");
    *id = sqlite3_last_insert_rowid(p->db);
    return 0;
}

static int finish_source(wn_project *p, int64_t id, size_t records, size_t warnings)
{
    sqlite3_stmt *s = wn_stmt(p, ST_SOURCE_FINISH);
    if (!s)
        return WN_EDB;
    sqlite3_bind_int64(s, 1, (sqlite3_int64)records);
    sqlite3_bind_int64(s, 2, (sqlite3_int64)warnings);
    sqlite3_bind_int64(s, 3, id);
    if (sqlite3_step(s) != SQLITE_DONE)
        return wn_db_fail(p, "cannot record the source");
    return 0;
}

int wn_import_file(wn_project *p, const wn_import_opts *o, const wn_actor *actor,
                   wn_import_result *res)
{
    const char *name = o->display_name ? o->display_name : o->path;
    memset(res, 0, sizeof *res);
    wn_err_clear(&p->err);
    if (!o->source_name || !*o->source_name)
        return wn_err_set(&p->err, WN_EINVAL, "a source name is required (--source)");
    wn_input input;
    ingest in;
    memset(&in, 0, sizeof in);
    in.p = p;
    in.o = o;
    in.name = name;
    char *inputs = NULL;
    int in_tx = 0, rollback_journal = 0;
    int rc = wn_input_open(&input, o->path, name, o->format, o->encoding, WN_INPUT_HASH,
                           &p->err);
    if (rc)
        goto done;
    wn_input_hash_wait(&input); /* the duplicate check needs it now */
    memcpy(res->sha256, input.sha256, sizeof res->sha256);
    if ((rc = refuse_seen(p, o, name, res->sha256)))
        goto done;
    const wn_decoded *d = &input.text;
    const wn_format *f = input.format;
    snprintf(res->format, sizeof res->format, "%s", wn_format_name(f));
    snprintf(res->encoding, sizeof res->encoding, "%s", d->encoding);
    snprintf(res->why, sizeof res->why, "%s", input.why);

    if (d->len >= BULK_IMPORT_BYTES)
        rollback_journal = wn_db_exec(p, "PRAGMA journal_mode = DELETE") == 0 &&
                           journal_is(p, "delete");
    if ((rc = wn_tx_begin(p)))
        goto done;
    in_tx = 1;
    if ((rc = insert_source(p, o, res->format, name, res->sha256, input.size, d->encoding,
                            &in.source_id)))
        goto done;
    res->source_id = in.source_id;
    if (d->first_bad_line) {
        char msg[200];
        snprintf(msg, sizeof msg,
                 "not valid UTF-8 (first at line %zu): read as windows-1252; use "
                 "--encoding if that is wrong",
                 d->first_bad_line);
        wn_warning w = {name, d->first_bad_line, 0, msg};
        hold_warning(&in, &w);
    }
    /* From here until the writer is joined, only the writer thread uses the
     * connection. */
    in.text = d->text;
    in.text_len = d->len;
    if ((rc = queue_init(&in)) != 0) {
        wn_err_set(&p->err, rc, "out of memory");
        goto done;
    }
    pthread_t writer;
    if (pthread_create(&writer, NULL, writer_main, &in) != 0) {
        rc = wn_err_set(&p->err, WN_ENOMEM, "cannot start the import's writer thread");
        goto done;
    }
    /* Records leave the parser raw: queue_record or the writer finishes
     * them (wn_record_finish), whichever has the time. */
    wn_parse_opts po = {name, queue_record, pend_warning, &in};
    wn_parse_stats st = {0, 0};
    wn_err perr;
    rc = wn_parse_with(f, d->text, d->len, o->map, &po, &st, &perr, 1);
    queue_close(&in);
    pthread_join(writer, NULL);
    /* Warnings after the last record (or after a failure) come last. */
    hold_warnings(&in, &in.pending);
    if (in.failed) { /* the writer's error is on p->err */
        rc = rc ? rc : WN_EDB;
        goto done;
    }
    if (rc) {
        wn_err_set(&p->err, rc, "%s", in.parser_err.code ? in.parser_err.msg : perr.msg);
        goto done;
    }
    if (in.pending_oom || in.held_oom) {
        rc = wn_err_set(&p->err, WN_ENOMEM, "out of memory keeping warnings");
        goto done;
    }
    if ((rc = write_warnings(&in)))
        goto done;
    if (st.records == 0) {
        rc = wn_err_set(&p->err, WN_EPARSE, "cannot import '%s': no records found in it",
                        name);
        goto done;
    }
    res->records = st.records;
    res->warnings = in.warnings;
    if ((rc = finish_source(p, in.source_id, res->records, res->warnings)))
        goto done;
    char summary[700];
    snprintf(summary, sizeof summary,
             "imported %zu records from '%s' into source %lld '%s' (%s, %s, %zu warnings)",
             res->records, name, (long long)in.source_id, o->source_name, res->format,
             res->encoding, res->warnings);
    inputs = inputs_json(name, res->sha256);
    if (!inputs) {
        rc = wn_err_set(&p->err, WN_ENOMEM, "out of memory");
        goto done;
    }
    if ((rc = wn_audit_append(p, actor, inputs, summary)) || (rc = wn_tx_commit(p)))
        goto done;
    in_tx = 0;
done:
    if (in_tx)
        wn_tx_rollback(p);
    if (rollback_journal) {
        /* Back to WAL for concurrent reviewers; a statement left mid-step
         * would make the switch fail, so reset them all first. */
        wn_stmts_reset(p);
        wn_db_exec(p, "PRAGMA journal_mode = WAL");
    }
    if (rc)
        res->source_id = 0;
    for (int i = 0; i < WN_F_COUNT; i++)
        wn_buf_free(&in.lists[i]);
    if (in.queue_ready)
        queue_free(&in);
    warning_list_free(&in.pending);
    warning_list_free(&in.held);
    free(inputs);
    wn_input_close(&input);
    return rc;
}

/* Imports from memory write on the calling thread: API pages are small. */
static int write_now(void *ctx, const wn_record *rec)
{
    ingest *in = ctx;
    int rc = write_record(in, rec);
    in->failed = rc != 0; /* the message is on p->err */
    return rc;
}

/* The texts joined as they are stored: each ends with a line break. */
static int join_texts(const wn_import_text *texts, size_t n, wn_buf *out, size_t *offsets)
{
    for (size_t i = 0; i < n; i++) {
        offsets[i] = out->len;
        if (wn_buf_append(out, texts[i].text, texts[i].len))
            return WN_ENOMEM;
        if (texts[i].len && texts[i].text[texts[i].len - 1] != '\n' && wn_buf_putc(out, '\n'))
            return WN_ENOMEM;
    }
    return 0;
}

static size_t count_lines(const char *s, size_t len)
{
    size_t n = 0;
    for (const char *q = s; (q = memchr(q, '\n', len - (size_t)(q - s))) != NULL; q++)
        n++;
    return n;
}

int wn_import_texts(wn_project *p, const wn_import_opts *o, const wn_import_text *texts,
                    size_t n, const wn_import_hook *hook, const wn_actor *actor,
                    wn_import_result *res)
{
    const char *name = o->display_name;
    memset(res, 0, sizeof *res);
    wn_err_clear(&p->err);
    if (!o->source_name || !*o->source_name || !name || !o->format)
        return wn_err_set(&p->err, WN_EINVAL, "an import from memory needs a source name, "
                                              "a display name and a format");
    const wn_format *f = wn_format_find(o->format);
    if (!f)
        return wn_err_set(&p->err, WN_EFORMAT, "unknown format '%s'", o->format);
    ingest in;
    memset(&in, 0, sizeof in);
    in.p = p;
    in.o = o;
    in.name = name;
    wn_buf joined = WN_BUF_INIT;
    size_t *offsets = calloc(n ? n : 1, sizeof *offsets);
    char *inputs = NULL;
    int in_tx = 0, rc = 0;
    if (!offsets || join_texts(texts, n, &joined, offsets)) {
        rc = wn_err_set(&p->err, WN_ENOMEM, "out of memory joining '%s'", name);
        goto done;
    }
    if (!wn_utf8_valid(joined.data ? joined.data : "", joined.len)) {
        rc = wn_err_set(&p->err, WN_EFORMAT, "'%s' is not valid UTF-8", name);
        goto done;
    }
    wn_sha256_hex(joined.data ? joined.data : "", joined.len, res->sha256);
    snprintf(res->format, sizeof res->format, "%s", wn_format_name(f));
    snprintf(res->encoding, sizeof res->encoding, "utf-8");
    if ((rc = refuse_seen(p, o, name, res->sha256)))
        goto done;
    if ((rc = wn_tx_begin(p)))
        goto done;
    in_tx = 1;
    if ((rc = insert_source(p, o, res->format, name, res->sha256, joined.len, res->encoding,
                            &in.source_id)))
        goto done;
    in.text = joined.data;
    in.text_len = joined.len;
    while (!rc && in.text_stored < in.text_len)
        rc = store_next_chunk(&in);
    if (rc)
        goto done;
    res->source_id = in.source_id;
    for (size_t i = 0; i < n; i++) {
        if (!texts[i].len)
            continue;
        in.base.offset = offsets[i];
        wn_parse_opts po = {texts[i].name, write_now, hold_warning, &in};
        wn_parse_stats st = {0, 0};
        wn_err perr;
        rc = wn_parse(f, texts[i].text, texts[i].len, &po, &st, &perr);
        if (rc) {
            if (!in.failed) /* else the writer's message is on p->err */
                wn_err_set(&p->err, rc, "%s", perr.msg);
            goto done;
        }
        in.base.position += st.records;
        in.base.line += count_lines(joined.data + offsets[i],
                                    (i + 1 < n ? offsets[i + 1] : joined.len) - offsets[i]);
        res->records += st.records;
    }
    if (in.held_oom) {
        rc = wn_err_set(&p->err, WN_ENOMEM, "out of memory keeping warnings");
        goto done;
    }
    res->warnings = in.warnings;
    if ((rc = write_warnings(&in)) ||
        (rc = finish_source(p, in.source_id, res->records, res->warnings)))
        goto done;
    if (hook && hook->before_commit &&
        (rc = hook->before_commit(hook->user, p, res, offsets)))
        goto done;
    char summary[700];
    if (!hook || !hook->summary)
        snprintf(summary, sizeof summary,
                 "imported %zu records from '%s' into source %lld '%s' (%s, %zu warnings)",
                 res->records, name, (long long)in.source_id, o->source_name, res->format,
                 res->warnings);
    if (!(hook && hook->inputs_json) && !(inputs = inputs_json(name, res->sha256))) {
        rc = wn_err_set(&p->err, WN_ENOMEM, "out of memory");
        goto done;
    }
    if ((rc = wn_audit_append(p, actor, inputs ? inputs : hook->inputs_json,
                              hook && hook->summary ? hook->summary : summary)) ||
        (rc = wn_tx_commit(p)))
        goto done;
    in_tx = 0;
done:
    if (in_tx)
        wn_tx_rollback(p);
    if (rc)
        res->source_id = 0;
    for (int i = 0; i < WN_F_COUNT; i++)
        wn_buf_free(&in.lists[i]);
    warning_list_free(&in.held);
    free(inputs);
    free(offsets);
    wn_buf_free(&joined);
    return rc;
}

/* Opening, creating and migrating project files; cached statements. */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ledger/ledger.h"
#include "store/db.h"
#include "store/schema.h"
#include "winnow/text.h"
#include "winnow/version.h"

static const char *const stmt_sql[ST_COUNT] = {
    [ST_BEGIN] = "BEGIN IMMEDIATE",
    [ST_COMMIT] = "COMMIT",
    [ST_ROLLBACK] = "ROLLBACK",
    [ST_META_GET] = "SELECT value FROM meta WHERE key = :key",
    [ST_META_SET] = "INSERT OR REPLACE INTO meta(key, value) VALUES (:key, :value)",
    [ST_AUDIT_LAST] = "SELECT hash FROM audit ORDER BY id DESC LIMIT 1",
    [ST_AUDIT_INSERT] =
        "INSERT INTO audit(at, actor, version, command, inputs, summary, prev_hash, hash,"
        " seal) VALUES (:at, :actor, :version, :command, :inputs, :summary, :prev, :hash,"
        " :seal)",
    [ST_SOURCE_INSERT] =
        "INSERT INTO source(name, kind, format, filename, sha256, bytes, encoding,"
        " searched_on, query, imported_at) VALUES (:name, :kind, :format, :filename,"
        " :sha256, :bytes, :encoding, :searched_on, :query, :imported_at)",
    [ST_SOURCE_FINISH] =
        "UPDATE source SET records = :records, warnings = :warnings WHERE id = :id",
    [ST_SOURCE_SEEN] = "SELECT id FROM source WHERE name = :name AND sha256 = :sha256",
    [ST_SOURCE_BY_NAME] = "SELECT id FROM source WHERE name = :name ORDER BY id",
    [ST_SOURCE_BY_ID] = "SELECT id FROM source WHERE id = :id",
    [ST_TEXT_INSERT] =
        "INSERT INTO source_text(source_id, seq, data) VALUES (:source, :seq, :data)",
    [ST_TEXT_GET] =
        "SELECT seq, data FROM source_text WHERE source_id = :source AND seq BETWEEN "
        ":first AND :last ORDER BY seq",
    [ST_RECORD_INSERT] =
        "INSERT INTO record(source_id, position, line, byte_offset, byte_length, type,"
        " type_raw, title, authors, year, date, journal, journal_abbr, volume, issue,"
        " pages, start_page, end_page, doi, pmid, pmcid, issn, isbn, language, keywords,"
        " pubtypes, urls, publisher, source_ref, abstract) VALUES (?1, ?2, ?3, ?4, ?5,"
        " ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21,"
        " ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30)",
    [ST_EXTRA_INSERT] =
        "INSERT INTO record_extra(record_id, ord, tag, value) VALUES (?1, ?2, ?3, ?4)",
    [ST_WARNING_INSERT] =
        "INSERT INTO import_warning(source_id, line, record, message) VALUES (:source,"
        " :line, :record, :message)",
    [ST_RECORD_GET] =
        "SELECT r.source_id, r.position, r.line, r.byte_offset, r.byte_length, r.type,"
        " r.type_raw, r.title, r.authors, r.year, r.date, r.journal, r.journal_abbr,"
        " r.volume, r.issue, r.pages, r.start_page, r.end_page, r.doi, r.pmid, r.pmcid,"
        " r.issn, r.isbn, r.language, r.keywords, r.pubtypes, r.urls, r.publisher,"
        " r.source_ref, r.abstract, s.name, s.filename, r.id FROM record r JOIN source s"
        " ON s.id = r.source_id WHERE r.id = :id",
    [ST_EXTRAS_GET] =
        "SELECT tag, value FROM record_extra WHERE record_id = :id ORDER BY ord",
};

sqlite3_stmt *wn_stmt(wn_project *p, wn_stmt_id id)
{
    sqlite3_stmt *s = p->stmt[id];
    if (!s) {
        if (sqlite3_prepare_v3(p->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT, &s,
                               NULL) != SQLITE_OK) {
            wn_db_fail(p, "cannot prepare a statement");
            return NULL;
        }
        p->stmt[id] = s;
        return s;
    }
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return s;
}

void wn_stmts_reset(wn_project *p)
{
    for (int i = 0; i < ST_COUNT; i++)
        if (p->stmt[i])
            sqlite3_reset(p->stmt[i]);
}

int wn_db_fail(wn_project *p, const char *doing)
{
    return wn_err_set(&p->err, WN_EDB, "%s in '%s': %s", doing, p->path,
                      sqlite3_errmsg(p->db));
}

int wn_db_exec(wn_project *p, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(p->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        wn_err_set(&p->err, WN_EDB, "database error in '%s': %s", p->path,
                   msg ? msg : "unknown");
        sqlite3_free(msg);
        return WN_EDB;
    }
    return 0;
}

int wn_bind_text(sqlite3_stmt *s, int idx, const char *text, size_t len)
{
    if (!text)
        return sqlite3_bind_null(s, idx);
    return sqlite3_bind_text(s, idx, text, (int)len, SQLITE_STATIC);
}

static int step_done(wn_project *p, sqlite3_stmt *s, const char *doing)
{
    int rc = sqlite3_step(s);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return wn_db_fail(p, doing);
    return 0;
}

int wn_tx_begin(wn_project *p)
{
    sqlite3_stmt *s = wn_stmt(p, ST_BEGIN);
    return s ? step_done(p, s, "cannot start a transaction") : WN_EDB;
}

/* A cached SELECT left mid-way keeps its read transaction (and so an old
 * snapshot) open after COMMIT; every statement is reset around the end of a
 * transaction so the next one sees other processes' changes. */
int wn_tx_commit(wn_project *p)
{
    wn_stmts_reset(p);
    sqlite3_stmt *s = wn_stmt(p, ST_COMMIT);
    int rc = s ? step_done(p, s, "cannot commit") : WN_EDB;
    wn_stmts_reset(p);
    return rc;
}

void wn_tx_rollback(wn_project *p)
{
    wn_stmts_reset(p);
    if (!sqlite3_get_autocommit(p->db)) {
        sqlite3_stmt *s = wn_stmt(p, ST_ROLLBACK);
        if (s)
            sqlite3_step(s);
    }
    wn_stmts_reset(p);
}

int wn_tx_finish(wn_project *p, int rc, const wn_actor *actor, const char *inputs_json,
                 const char *summary)
{
    if (!rc)
        rc = wn_audit_append(p, actor, inputs_json, summary);
    if (!rc)
        rc = wn_tx_commit(p);
    if (rc)
        wn_tx_rollback(p);
    return rc;
}

/* ---- audit ------------------------------------------------------------ */

void wn_utc_now(char out[32])
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    char base[24];
    strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out, 32, "%.19s.%03dZ", base, (int)(ts.tv_nsec / 1000000L));
}

static const char *os_user(void)
{
    const char *u = getenv("WINNOW_USER");
    if (u && *u)
        return u;
    struct passwd *pw = getpwuid(geteuid());
    if (pw && pw->pw_name)
        return pw->pw_name;
    u = getenv("USER");
    return u && *u ? u : "unknown";
}

int wn_audit_append(wn_project *p, const wn_actor *actor, const char *inputs_json,
                    const char *summary)
{
    char at[32], hash[65], prev[65] = "";
    wn_utc_now(at);
    const char *who = actor && actor->user ? actor->user : os_user();
    const char *command = actor && actor->command ? actor->command : "";
    const char *inputs = inputs_json ? inputs_json : "[]";
    sqlite3_stmt *s = wn_stmt(p, ST_AUDIT_LAST);
    if (!s)
        return WN_EDB;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        snprintf(prev, sizeof prev, "%s", (const char *)sqlite3_column_text(s, 0));
    else if (rc != SQLITE_DONE)
        return wn_db_fail(p, "cannot read the audit log");
    /* Each entry's hash covers the previous hash and all of its own fields,
     * the decision chain's head (seal) included. */
    char seal[128];
    if ((rc = wn_ledger_seal_now(p, seal, sizeof seal)))
        return rc;
    const char *hashed[WN_AUDIT_HASHED] = {prev, at, who, wn_version(), command, inputs,
                                           summary, seal};
    wn_ledger_audit_hash(hashed, hash);
    s = wn_stmt(p, ST_AUDIT_INSERT);
    if (!s)
        return WN_EDB;
    sqlite3_bind_text(s, 1, at, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, who, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, wn_version(), -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, command, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, inputs, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 6, summary, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 7, prev, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 8, hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 9, seal, -1, SQLITE_STATIC);
    return step_done(p, s, "cannot write the audit log");
}

int wn_audit_each(wn_project *p, int (*fn)(void *ctx, const wn_audit_row *a), void *ctx)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(p->db,
                           "SELECT id, at, actor, version, command, inputs, summary, hash"
                           " FROM audit ORDER BY id",
                           -1, &s, NULL) != SQLITE_OK)
        return wn_db_fail(p, "cannot read the audit log");
    int rc = 0, step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        wn_audit_row a = {sqlite3_column_int64(s, 0),
                          (const char *)sqlite3_column_text(s, 1),
                          (const char *)sqlite3_column_text(s, 2),
                          (const char *)sqlite3_column_text(s, 3),
                          (const char *)sqlite3_column_text(s, 4),
                          (const char *)sqlite3_column_text(s, 5),
                          (const char *)sqlite3_column_text(s, 6),
                          (const char *)sqlite3_column_text(s, 7)};
        if ((rc = fn(ctx, &a)))
            break;
    }
    if (!rc && step != SQLITE_DONE)
        rc = wn_db_fail(p, "cannot read the audit log");
    sqlite3_finalize(s);
    return rc;
}

/* ---- open / create ---------------------------------------------------- */

static int pragma_int(wn_project *p, const char *sql, int *out)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(p->db, sql, -1, &s, NULL) != SQLITE_OK)
        return wn_db_fail(p, "cannot read project settings");
    int rc = sqlite3_step(s);
    *out = rc == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
    sqlite3_finalize(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : wn_db_fail(p, "cannot read project settings");
}

/* Brings the schema up to WN_SCHEMA_VERSION, one migration per transaction
 * step so a failure leaves the file at its previous version. */
static int migrate(wn_project *p)
{
    int version;
    int rc = pragma_int(p, "PRAGMA user_version", &version);
    if (rc)
        return rc;
    if (version > WN_SCHEMA_VERSION)
        return wn_err_set(&p->err, WN_EVERSION,
                          "'%s' was written by a newer winnow (schema %d; this is %s with "
                          "schema %d): upgrade winnow to open it",
                          p->path, version, wn_version(), WN_SCHEMA_VERSION);
    for (int v = version + 1; v <= WN_SCHEMA_VERSION; v++) {
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v);
        if ((rc = wn_tx_begin(p)))
            return rc;
        if ((rc = wn_db_exec(p, wn_schema_migration((size_t)v))) ||
            (rc = wn_db_exec(p, pragma))) {
            wn_tx_rollback(p);
            return rc;
        }
        if ((rc = wn_tx_commit(p)))
            return rc;
    }
    return 0;
}

static int open_db(wn_project **out, const char *path, int create, wn_err *err)
{
    *out = NULL;
    wn_project *p = calloc(1, sizeof *p);
    if (!p || !(p->path = wn_strdup(path))) {
        free(p);
        return wn_err_set(err, WN_ENOMEM, "out of memory");
    }
    /* A project is used by one thread at a time (an import hands it to its
     * writer thread and back), so the connection needs no locks of its
     * own: they cost an import's writer a tenth of its time. */
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    int rc = 0;
    if (sqlite3_open_v2(path, &p->db, flags, NULL) != SQLITE_OK) {
        rc = wn_err_set(err, WN_EIO, "cannot open project '%s': %s", path,
                        p->db ? sqlite3_errmsg(p->db) : "out of memory");
        goto fail;
    }
    sqlite3_extended_result_codes(p->db, 1);
    sqlite3_busy_timeout(p->db, 10000);
    /* Notes the decisions each transaction adds, for its audit entry to seal. */
    if (!(p->ledger = wn_ledger_new(p->db))) {
        rc = wn_err_set(err, WN_ENOMEM, "out of memory");
        goto fail;
    }
    int app_id = 0;
    if ((rc = pragma_int(p, "PRAGMA application_id", &app_id))) {
        /* Not a database at all: sqlite says "file is not a database". */
        rc = wn_err_set(err, WN_EFORMAT, "cannot open '%s': not a winnow project (%s)", path,
                        sqlite3_errmsg(p->db));
        goto fail;
    }
    if (!create && app_id != WN_APPLICATION_ID) {
        rc = wn_err_set(err, WN_EFORMAT, "cannot open '%s': not a winnow project", path);
        goto fail;
    }
    if (create) {
        char sql[128];
        /* 16 KiB pages: records of a few KiB pack several to a page instead
         * of one per 4 KiB page with half of it empty. */
        snprintf(sql, sizeof sql, "PRAGMA page_size = 16384; PRAGMA application_id = %d",
                 WN_APPLICATION_ID);
        if ((rc = wn_db_exec(p, sql)))
            goto fail_db;
    }
    if ((rc = wn_db_exec(p, "PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL;"
                            " PRAGMA synchronous = NORMAL;")))
        goto fail_db;
    if ((rc = migrate(p)))
        goto fail_db;
    *out = p;
    return 0;
fail_db:
    wn_err_set(err, p->err.code, "%s", p->err.msg);
fail:
    wn_project_close(p);
    return rc;
}

static void random_id(char out[33])
{
    unsigned char b[16] = {0};
    FILE *f = fopen("/dev/urandom", "rb");
    if (!f || fread(b, 1, sizeof b, f) != sizeof b) {
        /* No urandom: time and pid still make collisions unlikely. */
        unsigned long t = (unsigned long)time(NULL) ^ ((unsigned long)getpid() << 16);
        memcpy(b, &t, sizeof t);
    }
    if (f)
        fclose(f);
    for (int i = 0; i < 16; i++)
        snprintf(out + 2 * i, 3, "%02x", b[i]);
}

static int meta_set(wn_project *p, const char *key, const char *value)
{
    sqlite3_stmt *s = wn_stmt(p, ST_META_SET);
    if (!s)
        return WN_EDB;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, value, -1, SQLITE_STATIC);
    return step_done(p, s, "cannot write project settings");
}

int wn_project_create(wn_project **out, const char *path, const char *title, wn_err *err)
{
    struct stat st;
    *out = NULL;
    if (stat(path, &st) == 0)
        return wn_err_set(err, WN_EEXISTS, "cannot create '%s': the file already exists",
                          path);
    wn_project *p;
    int rc = open_db(&p, path, 1, err);
    if (rc) {
        unlink(path);
        return rc;
    }
    char now[32], id[33];
    wn_utc_now(now);
    random_id(id);
    wn_actor actor = {"init", NULL};
    char summary[600];
    snprintf(summary, sizeof summary, "created project '%s'", title ? title : "");
    if ((rc = wn_tx_begin(p)) || (rc = meta_set(p, "title", title ? title : "")) ||
        (rc = meta_set(p, "created_at", now)) || (rc = meta_set(p, "id", id)) ||
        (rc = wn_audit_append(p, &actor, NULL, summary)) || (rc = wn_tx_commit(p))) {
        wn_err_set(err, rc, "%s", p->err.msg);
        wn_project_close(p);
        unlink(path);
        return rc;
    }
    *out = p;
    return 0;
}

int wn_project_open(wn_project **out, const char *path, wn_err *err)
{
    struct stat st;
    *out = NULL;
    if (stat(path, &st) != 0)
        return wn_err_set(err, WN_ENOTFOUND,
                          "cannot open project '%s': no such file (create it with "
                          "'winnow init %s')",
                          path, path);
    return open_db(out, path, 0, err);
}

void wn_project_close(wn_project *p)
{
    if (!p)
        return;
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(p->stmt[i]);
    sqlite3_close(p->db);
    wn_ledger_free(p->ledger);
    wn_buf_free(&p->scratch);
    free(p->meta_source);
    free(p->meta_file);
    free(p->path);
    free(p);
}

const char *wn_project_errmsg(const wn_project *p) { return p ? p->err.msg : ""; }

const char *wn_project_path(const wn_project *p) { return p->path; }

char *wn_project_get_meta(wn_project *p, const char *key)
{
    sqlite3_stmt *s = wn_stmt(p, ST_META_GET);
    if (!s)
        return NULL;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_ROW)
        return NULL;
    return wn_strdup((const char *)sqlite3_column_text(s, 0));
}

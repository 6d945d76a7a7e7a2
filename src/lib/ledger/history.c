/* `winnow history ID`: one record's path, read from every stage's tables. */
#include <string.h>

#include "store/db.h"
#include "winnow/audit.h"
#include "winnow/units.h"

/* Each step is one query giving (time, text) rows; ?1 is the record id, ?2
 * its unit. A stage whose tables this project lacks is skipped. */
static const struct {
    const char *stage, *sql;
} steps[] = {
    {"import",
     "SELECT s.imported_at, printf('imported from ''%s'' line %d (record %d of the file)"
     " into source %d ''%s''%s', s.filename, r.line, r.position, s.id, s.name,"
     " CASE WHEN s.searched_on IS NULL THEN '' ELSE ', searched ' || s.searched_on END)"
     " FROM record r JOIN source s ON s.id = r.source_id WHERE r.id = ?1"},
    {"dedup",
     "SELECT NULL, CASE WHEN count(*) = 1 THEN printf('unit %d on its own: no duplicate"
     " found', ?2) ELSE printf('unit %d: one publication in %d records: %s', ?2, count(*),"
     " group_concat(what, '; ')) END FROM (SELECT printf('%d (%s, %s line %d)', r.id,"
     " s.name, s.filename, r.line) AS what FROM unit_member u JOIN record r ON"
     " r.id = u.record_id JOIN source s ON s.id = r.source_id WHERE u.unit_id = ?2"
     " ORDER BY r.id)"},
    {"rules",
     "SELECT r.at, printf('excluded by rule ''%s'' (%s; PRISMA: %s) of ''%s'' (sha256"
     " %.12s)', e.rule, e.reason, CASE e.box WHEN 'automation' THEN 'ineligible by"
     " automation tools' ELSE 'removed for other reasons' END, r.path, r.sha256)"
     " FROM rule_exclusion e JOIN rule_run r ON r.id = e.run_id WHERE e.unit_id = ?2"},
    {"rules",
     "SELECT at, printf('passed the criteria of ''%s'' (sha256 %.12s)', path, sha256)"
     " FROM rule_run WHERE id = (SELECT max(id) FROM rule_run) AND NOT EXISTS"
     " (SELECT 1 FROM rule_exclusion WHERE unit_id = ?2)"},
    {"ta",
     "SELECT assigned_at, printf('assigned to %s for title/abstract screening%s', reviewer,"
     " CASE WHEN calibration THEN ' (calibration sample)' ELSE '' END) FROM assignment"
     " WHERE stage = 'ta' AND unit_id = ?2 ORDER BY assigned_at, reviewer"},
    {"ta",
     "SELECT at, printf('%s %s %s%s%s', reviewer, CASE kind WHEN 'resolution' THEN"
     " 'resolved:' ELSE 'voted' END, decision, CASE WHEN reason IS NULL OR reason = ''"
     " THEN '' ELSE ' (' || reason || ')' END, CASE WHEN note IS NULL OR note = '' THEN ''"
     " ELSE ' note: ' || note END) FROM decision WHERE stage = 'ta' AND unit_id = ?2"
     " ORDER BY id"},
    {"fulltext",
     "SELECT updated_at, printf('report %d (study %d): %s%s%s', id, study_id,"
     " replace(status, '_', ' '), CASE WHEN reason IS NULL THEN '' ELSE ' (' || reason"
     " || ')' END, CASE WHEN location IS NULL THEN '' ELSE ' at ' || location END)"
     " FROM report WHERE unit_id = ?2 ORDER BY id"},
    {"ft",
     "SELECT a.assigned_at, printf('report %d assigned to %s for full-text assessment',"
     " a.unit_id, a.reviewer) FROM assignment a JOIN report r ON r.id = a.unit_id"
     " WHERE a.stage = 'ft' AND r.unit_id = ?2 ORDER BY a.assigned_at, a.reviewer"},
    {"ft",
     "SELECT d.at, printf('report %d: %s %s %s%s', d.unit_id, d.reviewer, CASE d.kind WHEN"
     " 'resolution' THEN 'resolved:' ELSE 'voted' END, d.decision, CASE WHEN d.reason IS"
     " NULL OR d.reason = '' THEN '' ELSE ' (' || d.reason || ')' END) FROM decision d"
     " JOIN report r ON r.id = d.unit_id WHERE d.stage = 'ft' AND r.unit_id = ?2"
     " ORDER BY d.id"},
};

static int missing_table(sqlite3 *db)
{
    const char *m = sqlite3_errmsg(db);
    return strstr(m, "no such table") || strstr(m, "no such column");
}

int wn_record_history(wn_project *p, int64_t record_id, int64_t *unit_id,
                      int (*fn)(void *ctx, const wn_history_event *e), void *ctx)
{
    int64_t unit;
    int rc = wn_unit_of_record(p, record_id, &unit);
    if (rc)
        return rc;
    if (unit_id)
        *unit_id = unit;
    for (size_t i = 0; i < sizeof steps / sizeof steps[0] && !rc; i++) {
        sqlite3_stmt *s;
        if (sqlite3_prepare_v2(p->db, steps[i].sql, -1, &s, NULL) != SQLITE_OK) {
            if (missing_table(p->db))
                continue;
            return wn_db_fail(p, "cannot read the record's history");
        }
        sqlite3_bind_int64(s, 1, record_id);
        sqlite3_bind_int64(s, 2, unit);
        int step;
        while (!rc && (step = sqlite3_step(s)) == SQLITE_ROW) {
            const char *text = (const char *)sqlite3_column_text(s, 1);
            if (!text)
                continue;
            wn_history_event e = {(const char *)sqlite3_column_text(s, 0), steps[i].stage,
                                  text};
            rc = fn(ctx, &e);
        }
        if (!rc && step != SQLITE_DONE)
            rc = wn_db_fail(p, "cannot read the record's history");
        sqlite3_finalize(s);
    }
    return rc;
}

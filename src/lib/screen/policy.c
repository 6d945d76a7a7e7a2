/* Consensus policies and exclusion reason lists, per stage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "screen/screen_impl.h"

static const char *const maybe_terms[] = {"maybe-counts-as-include", "maybe-counts-as-exclude",
                                          "maybe-needs-resolution"};
static const char *const maybe_words[] = {"include", "exclude", "resolve"};
static const char *const rule_terms[] = {"all-must-agree", "any-include-includes",
                                         "all-must-include", "majority"};

static void policy_text(wn_policy *pol)
{
    snprintf(pol->text, sizeof pol->text, "%s; %s", maybe_terms[pol->maybe],
             rule_terms[pol->rule]);
}

int wn_policy_parse(const char *text, wn_policy *out, wn_err *err)
{
    memset(out, 0, sizeof *out);
    int seen_maybe = 0, seen_rule = 0;
    const char *s = text ? text : "";
    while (*s) {
        while (*s == ' ' || *s == '\t' || *s == ';' || *s == ',' || *s == '\n')
            s++;
        size_t len = strcspn(s, ";,\n");
        while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
            len--;
        if (!len)
            break;
        int found = 0;
        for (int i = 0; i < 3 && !found; i++)
            if (strlen(maybe_terms[i]) == len && !strncasecmp(s, maybe_terms[i], len)) {
                if (seen_maybe++)
                    return wn_err_set(err, WN_EINVAL,
                                      "policy '%s' says twice how maybe counts", text);
                out->maybe = (wn_maybe_rule)i;
                found = 1;
            }
        for (int i = 0; i < 4 && !found; i++)
            if (strlen(rule_terms[i]) == len && !strncasecmp(s, rule_terms[i], len)) {
                if (seen_rule++)
                    return wn_err_set(err, WN_EINVAL,
                                      "policy '%s' names two rules for combining votes", text);
                out->rule = (wn_combine_rule)i;
                found = 1;
            }
        if (!found)
            return wn_err_set(err, WN_EINVAL,
                              "unknown policy term '%.*s' (maybe-counts-as-include, "
                              "maybe-counts-as-exclude, maybe-needs-resolution, all-must-agree, "
                              "any-include-includes, all-must-include, majority)",
                              (int)len, s);
        s += len;
        while (*s == ' ' || *s == '\t')
            s++;
    }
    policy_text(out);
    return 0;
}

int wn_policy_get(wn_project *p, const char *stage, wn_policy *out)
{
    memset(out, 0, sizeof *out);
    policy_text(out);
    if (!wn_screen_valid_stage(stage))
        return wn_screen_bad_stage(p, stage);
    sqlite3_stmt *s;
    int rc = wn_screen_prepare(p,
                               "SELECT maybe, rule, set_at FROM screen_policy WHERE stage = ?"
                               " ORDER BY id DESC LIMIT 1",
                               &s, "cannot read the policy");
    if (rc)
        return rc;
    sqlite3_bind_text(s, 1, stage, -1, SQLITE_STATIC);
    int step = sqlite3_step(s);
    if (step == SQLITE_ROW) {
        const char *maybe = (const char *)sqlite3_column_text(s, 0);
        const char *rule = (const char *)sqlite3_column_text(s, 1);
        for (int i = 0; i < 3; i++)
            if (!strcmp(maybe, maybe_words[i]))
                out->maybe = (wn_maybe_rule)i;
        for (int i = 0; i < 4; i++)
            if (!strcmp(rule, rule_terms[i]))
                out->rule = (wn_combine_rule)i;
        snprintf(out->set_at, sizeof out->set_at, "%s", (const char *)sqlite3_column_text(s, 2));
        policy_text(out);
    } else if (step != SQLITE_DONE) {
        rc = wn_db_fail(p, "cannot read the policy");
    }
    sqlite3_finalize(s);
    return rc;
}

int wn_policy_set(wn_project *p, const char *stage, const char *text, const wn_actor *actor)
{
    if (!wn_screen_valid_stage(stage))
        return wn_screen_bad_stage(p, stage);
    wn_policy pol;
    int rc = wn_policy_parse(text, &pol, &p->err);
    if (rc)
        return rc;
    sqlite3_stmt *s;
    if ((rc = wn_screen_prepare(p,
                                "INSERT INTO screen_policy(stage, text, maybe, rule, set_at)"
                                " VALUES (?, ?, ?, ?, ?)",
                                &s, "cannot set the policy")))
        return rc;
    char at[32], summary[256];
    wn_utc_now(at);
    sqlite3_bind_text(s, 1, stage, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, pol.text, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, maybe_words[pol.maybe], -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, rule_terms[pol.rule], -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, at, -1, SQLITE_STATIC);
    snprintf(summary, sizeof summary, "%s policy: %s", stage, pol.text);
    if (!(rc = wn_screen_begin(p))) {
        rc = wn_screen_run(p, s, "cannot set the policy");
        rc = wn_tx_finish(p, rc, actor, NULL, summary);
    }
    sqlite3_finalize(s);
    return rc;
}

wn_outcome wn_policy_outcome(const wn_policy *pol, int include, int exclude, int maybe)
{
    /* Maybe votes join a side, or stay undecided ones that need a person. */
    int undecided = 0;
    if (pol->maybe == WN_MAYBE_INCLUDE)
        include += maybe;
    else if (pol->maybe == WN_MAYBE_EXCLUDE)
        exclude += maybe;
    else
        undecided = maybe;
    int votes = include + exclude + undecided;
    if (!votes)
        return WN_OUTCOME_PENDING;
    switch (pol->rule) {
    case WN_RULE_ANY_INCLUDE:
        return include ? WN_OUTCOME_INCLUDE
                       : undecided ? WN_OUTCOME_CONFLICT : WN_OUTCOME_EXCLUDE;
    case WN_RULE_ALL_INCLUDE:
        return exclude ? WN_OUTCOME_EXCLUDE
                       : undecided ? WN_OUTCOME_CONFLICT : WN_OUTCOME_INCLUDE;
    case WN_RULE_MAJORITY:
        if (2 * include > votes)
            return WN_OUTCOME_INCLUDE;
        if (2 * exclude > votes)
            return WN_OUTCOME_EXCLUDE;
        return WN_OUTCOME_CONFLICT;
    case WN_RULE_ALL_AGREE:
    default:
        if (include == votes)
            return WN_OUTCOME_INCLUDE;
        if (exclude == votes)
            return WN_OUTCOME_EXCLUDE;
        return WN_OUTCOME_CONFLICT;
    }
}

const char *wn_outcome_name(wn_outcome o)
{
    switch (o) {
    case WN_OUTCOME_INCLUDE:
        return "include";
    case WN_OUTCOME_EXCLUDE:
        return "exclude";
    case WN_OUTCOME_CONFLICT:
        return "conflict";
    case WN_OUTCOME_PENDING:
    default:
        return "pending";
    }
}

int wn_reasons_set(wn_project *p, const char *stage, const char *const *reasons, size_t n,
                   const wn_actor *actor)
{
    if (!wn_screen_valid_stage(stage))
        return wn_screen_bad_stage(p, stage);
    for (size_t i = 0; i < n; i++) {
        if (!reasons[i] || !*reasons[i])
            return wn_err_set(&p->err, WN_EINVAL, "an exclusion reason may not be empty");
        for (size_t j = 0; j < i; j++)
            if (!strcasecmp(reasons[i], reasons[j]))
                return wn_err_set(&p->err, WN_EINVAL, "exclusion reason '%s' is listed twice",
                                  reasons[i]);
    }
    sqlite3_stmt *del = NULL, *ins = NULL;
    int rc;
    if ((rc = wn_screen_prepare(p, "DELETE FROM exclusion_reason WHERE stage = ?", &del,
                                "cannot set exclusion reasons")) ||
        (rc = wn_screen_prepare(p,
                                "INSERT INTO exclusion_reason(stage, ord, reason) VALUES (?, ?, ?)",
                                &ins, "cannot set exclusion reasons")))
        goto done;
    if ((rc = wn_screen_begin(p)))
        goto done;
    sqlite3_bind_text(del, 1, stage, -1, SQLITE_STATIC);
    rc = wn_screen_run(p, del, "cannot set exclusion reasons");
    for (size_t i = 0; i < n && !rc; i++) {
        sqlite3_bind_text(ins, 1, stage, -1, SQLITE_STATIC);
        sqlite3_bind_int64(ins, 2, (sqlite3_int64)i + 1);
        sqlite3_bind_text(ins, 3, reasons[i], -1, SQLITE_STATIC);
        rc = wn_screen_run(p, ins, "cannot set exclusion reasons");
    }
    wn_buf summary = WN_BUF_INIT;
    summary.limit = 4096;
    wn_buf_printf(&summary, "%s exclusion reasons:", stage);
    for (size_t i = 0; i < n; i++)
        wn_buf_printf(&summary, "%s %s", i ? ";" : "", reasons[i]);
    rc = wn_tx_finish(p, rc, actor, NULL, summary.data ? summary.data : "exclusion reasons");
    wn_buf_free(&summary);
done:
    sqlite3_finalize(del);
    sqlite3_finalize(ins);
    return rc;
}

int wn_reasons_get(wn_project *p, const char *stage, char ***reasons, size_t *n)
{
    if (!wn_screen_valid_stage(stage))
        return wn_screen_bad_stage(p, stage);
    return wn_screen_load_reasons(p, stage, reasons, n);
}

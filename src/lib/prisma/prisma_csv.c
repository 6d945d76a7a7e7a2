/* The PRISMA2020 R package's input CSV (also read by its Shiny app).
 *
 * Rows, columns and their text are the package's template, in its order;
 * only the n column is winnow's. How the package reads n shapes what is
 * written there:
 * - lists are "Name, n; Name, n": it splits on ";", takes the name up to
 *   the first comma and the number after it, so names lose any comma,
 *   semicolon or line break;
 * - its released versions fail on an exclusion list of one entry (or a bare
 *   number), so the two "excluded" lists always carry at least two entries,
 *   padded with "Other reasons, 0";
 * - "NA" hides a box: the previous-studies column of a new review, and the
 *   other-methods arm when no record came from it. */
#include <string.h>

#include "prisma/prisma_impl.h"

typedef enum csv_value {
    V_ZERO, /* a title or label row: the template's 0 */
    V_NA,   /* not something winnow counts */
    V_PREV_STUDIES, V_PREV_REPORTS,
    V_DATABASES, V_DATABASE_LIST, V_REGISTERS, V_REGISTER_LIST,
    V_WEBSITES, V_ORGANISATIONS, V_CITATIONS,
    V_DUPLICATES, V_AUTOMATION, V_REMOVED_OTHER, V_SCREENED, V_EXCLUDED,
    V_DBR_SOUGHT, V_DBR_NOT_RETRIEVED, V_OTHER_SOUGHT, V_OTHER_NOT_RETRIEVED,
    V_DBR_ASSESSED, V_DBR_REASONS, V_OTHER_ASSESSED, V_OTHER_REASONS,
    V_NEW_STUDIES, V_NEW_REPORTS, V_TOTAL_STUDIES, V_TOTAL_REPORTS,
} csv_value;

static const struct {
    const char *prefix; /* the template's first seven columns, as written there */
    csv_value value;
} rows[] = {
    {"NA,node4,prevstud,Grey title box; Previous studies,Previous studies,Grey title box; Previous studies,prevstud.html,", V_ZERO},
    {"previous_studies,node5,box1,Studies included in previous version of review,Studies included in previous version of review,Studies included in previous version of review,previous_studies.html,", V_PREV_STUDIES},
    {"previous_reports,NA,box1,Reports of studies included in previous version of review,Reports of studies included in previous version of review,NA,previous_reports.html,", V_PREV_REPORTS},
    {"NA,node6,newstud,Yellow title box; Identification of new studies via databases and registers,Identification of new studies via databases and registers,Yellow title box; Identification of new studies via databases and registers,newstud.html,", V_ZERO},
    {"database_results,node7,box2,Records identified from: Databases,Databases,Records identified from: Databases and Registers,database_results.html,", V_DATABASES},
    {"database_specific_results,NA,box2,Records identified from: specific databases,Specific Databases,NA,database_results.html,", V_DATABASE_LIST},
    {"register_results,NA,box2,Records identified from: Registers,Registers,NA,NA,", V_REGISTERS},
    {"register_specific_results,NA,box2,Records identified from: specific registers,Specific Registers,NA,database_results.html,", V_REGISTER_LIST},
    {"NA,node16,othstud,Grey title box; Identification of new studies via other methods,Identification of new studies via other methods,Grey title box; Identification of new studies via other methods,othstud.html,", V_ZERO},
    {"website_results,node17,box11,Records identified from: Websites,Websites,\"Records identified from: Websites, Organisations and Citation Searching\",website_results.html,", V_WEBSITES},
    {"organisation_results,,box11,Records identified from: Organisations,Organisations,NA,NA,", V_ORGANISATIONS},
    {"citations_results,NA,box11,Records identified from: Citation searching,Citation searching,NA,NA,", V_CITATIONS},
    {"duplicates,node8,box3,Duplicate records,Duplicate records,Duplicate records,duplicates.html,", V_DUPLICATES},
    {"excluded_automatic,NA,box3,Records marked as ineligible by automation tools,Records marked as ineligible by automation tools,NA,NA,", V_AUTOMATION},
    {"excluded_other,NA,box3,Records removed for other reasons,Records removed for other reasons,NA,NA,", V_REMOVED_OTHER},
    {"records_screened,node9,box4,Records screened (databases and registers),Records screened,Records screened (databases and registers),records_screened.html,", V_SCREENED},
    {"records_excluded,node10,box5,Records excluded (databases and registers),Records excluded,Records excluded (databases and registers),records_excluded.html,", V_EXCLUDED},
    {"dbr_sought_reports,node11,box6,Reports sought for retrieval (databases and registers),Reports sought for retrieval,Reports sought for retrieval (databases and registers),dbr_sought_reports.html,", V_DBR_SOUGHT},
    {"dbr_notretrieved_reports,node12,box7,Reports not retrieved (databases and registers),Reports not retrieved,Reports not retrieved (databases and registers),dbr_notretrieved_reports.html,", V_DBR_NOT_RETRIEVED},
    {"other_sought_reports,node18,box12,Reports sought for retrieval (other),Reports sought for retrieval,Reports sought for retrieval (other),other_sought_reports.html,", V_OTHER_SOUGHT},
    {"other_notretrieved_reports,node19,box13,Reports not retrieved (other),Reports not retrieved,Reports not retrieved (other),other_notretrieved_reports.html,", V_OTHER_NOT_RETRIEVED},
    {"dbr_assessed,node13,box8,Reports assessed for eligibility (databases and registers),Reports assessed for eligibility,Reports assessed for eligibility (databases and registers),dbr_assessed.html,", V_DBR_ASSESSED},
    {"dbr_excluded,node14,box9,\"Reports excluded (databases and registers): [separate reasons and numbers using ; e.g. Reason1, xxx; Reason2, xxx; Reason3, xxx]\",Reports excluded,Reports excluded (databases and registers),dbrexcludedrecords.html,", V_DBR_REASONS},
    {"other_assessed,node20,box14,Reports assessed for eligibility (other),Reports assessed for eligibility,Reports assessed for eligibility (other),other_assessed.html,", V_OTHER_ASSESSED},
    {"other_excluded,node21,box15,\"Reports excluded (other): [separate reasons and numbers using ; e.g. Reason1, xxx; Reason2, xxx; Reason3, xxx]\",Reports excluded,Reports excluded (other),other_excluded.html,", V_OTHER_REASONS},
    {"new_studies,node15,box10,New studies included in review,New studies included in review,New studies included in review,new_studies.html,", V_NEW_STUDIES},
    {"new_reports,NA,box10,Reports of new included studies,Reports of new included studies,NA,NA,", V_NEW_REPORTS},
    {"total_studies,node22,box16,Total studies included in review,Total studies included in review,Total studies included in review,total_studies.html,", V_TOTAL_STUDIES},
    {"total_reports,NA,box16,Reports of total included studies,Reports of total included studies,NA,NA,", V_TOTAL_REPORTS},
    {"identification,node1,identification,Blue identification box,Identification,Blue identification box,identification.html,", V_ZERO},
    {"screening,node2,screening,Blue screening box,Screening,Blue screening box,screening.html,", V_ZERO},
    {"included,node3,included,Blue included box,Included,Blue included box,included.html,", V_ZERO},
    {"total_studies_ma,node23,box17,Total studies included in meta-analysis,Total studies included in meta-analysis,Total studies included in meta-analysis,total_studies_meta_analysis.html,", V_NA},
    {"total_reports_ma,NA,box17,Reports of total included studies in meta-analysis,Reports of total included studies in meta-analysis,NA,NA,", V_NA},
};

/* A list name as the package can read it back: no separators inside. */
static int put_list_name(wn_buf *b, const char *name)
{
    size_t start = b->len;
    int space = 1; /* drop leading and repeated spaces */
    int rc = 0;
    for (const char *s = name; !rc && *s; s++) {
        char ch = *s;
        if (ch == ',' || ch == ';' || ch == '\n' || ch == '\r' || ch == '\t' || ch == '"')
            ch = ' ';
        if (ch == ' ' && space)
            continue;
        space = ch == ' ';
        rc = wn_buf_putc(b, ch);
    }
    while (!rc && b->len > start && b->data[b->len - 1] == ' ')
        wn_buf_truncate(b, b->len - 1);
    if (!rc && b->len == start)
        rc = wn_buf_puts(b, "Unnamed");
    return rc;
}

/* "Name, n; Name, n" quoted as one CSV field. min_entries pads the
 * exclusion lists; an empty source list is a bare 0. */
static int put_list(wn_buf *b, const wn_prisma_list *l, size_t min_entries)
{
    if (!l->len && !min_entries)
        return wn_buf_putc(b, '0');
    int rc = wn_buf_putc(b, '"');
    size_t i = 0;
    for (; !rc && i < l->len; i++) {
        if (i)
            rc = wn_buf_puts(b, "; ");
        if (!rc)
            rc = put_list_name(b, l->items[i].name);
        if (!rc)
            rc = wn_buf_printf(b, ", %lld", (long long)l->items[i].n);
    }
    if (!rc && i == 0) {
        rc = wn_buf_puts(b, "No reports excluded, 0");
        i++;
    }
    for (; !rc && i < min_entries; i++)
        rc = wn_buf_puts(b, l->len == 1 && !strcmp(l->items[0].name, "Other reasons")
                                ? "; Other, 0"
                                : "; Other reasons, 0");
    if (!rc)
        rc = wn_buf_putc(b, '"');
    return rc;
}

static int put_n(wn_buf *b, int64_t n) { return wn_buf_printf(b, "%lld", (long long)n); }

static int put_value(wn_buf *b, const wn_prisma *c, csv_value v)
{
    const wn_prisma_arm *dbr = &c->arm[WN_PRISMA_DBR], *oth = &c->arm[WN_PRISMA_OTHER];
    int other = wn_prisma_has_other_arm(c);
    switch (v) {
    case V_ZERO: return wn_buf_putc(b, '0');
    case V_NA: return wn_buf_puts(b, "NA");
    case V_PREV_STUDIES: return c->has_previous ? put_n(b, c->previous_studies) : wn_buf_puts(b, "NA");
    case V_PREV_REPORTS: return c->has_previous ? put_n(b, c->previous_reports) : wn_buf_puts(b, "NA");
    case V_DATABASES: return put_n(b, c->databases);
    case V_DATABASE_LIST: return put_list(b, &c->database_sources, 0);
    case V_REGISTERS: return put_n(b, c->registers);
    case V_REGISTER_LIST: return put_list(b, &c->register_sources, 0);
    case V_WEBSITES: return other ? put_n(b, c->websites) : wn_buf_puts(b, "NA");
    case V_ORGANISATIONS: return other ? put_n(b, c->organisations) : wn_buf_puts(b, "NA");
    case V_CITATIONS: return other ? put_n(b, c->citations) : wn_buf_puts(b, "NA");
    case V_DUPLICATES: return put_n(b, dbr->duplicates);
    case V_AUTOMATION: return put_n(b, dbr->automation);
    case V_REMOVED_OTHER: return put_n(b, dbr->removed_other);
    case V_SCREENED: return put_n(b, dbr->screened);
    case V_EXCLUDED: return put_n(b, dbr->excluded);
    case V_DBR_SOUGHT: return put_n(b, dbr->sought);
    case V_DBR_NOT_RETRIEVED: return put_n(b, dbr->not_retrieved);
    case V_OTHER_SOUGHT: return put_n(b, oth->sought);
    case V_OTHER_NOT_RETRIEVED: return put_n(b, oth->not_retrieved);
    case V_DBR_ASSESSED: return put_n(b, dbr->assessed);
    case V_DBR_REASONS: return put_list(b, &dbr->report_reasons, 2);
    case V_OTHER_ASSESSED: return put_n(b, oth->assessed);
    case V_OTHER_REASONS: return put_list(b, &oth->report_reasons, 2);
    case V_NEW_STUDIES: return put_n(b, c->new_studies);
    case V_NEW_REPORTS: return put_n(b, c->new_reports);
    case V_TOTAL_STUDIES: return put_n(b, c->total_studies);
    case V_TOTAL_REPORTS: return put_n(b, c->total_reports);
    }
    return WN_EINVAL;
}

int wn_prisma_write_csv(const wn_prisma *c, wn_buf *b)
{
    int rc = wn_buf_puts(b, "data,node,box,description,boxtext,tooltips,url,n\n");
    for (size_t i = 0; !rc && i < sizeof rows / sizeof rows[0]; i++) {
        rc = wn_buf_puts(b, rows[i].prefix);
        if (!rc)
            rc = put_value(b, c, rows[i].value);
        if (!rc)
            rc = wn_buf_putc(b, '\n');
    }
    return rc;
}

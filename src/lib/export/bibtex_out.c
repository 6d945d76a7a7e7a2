/* BibTeX export: placeholder while the writer is built. */
#include "export/export_impl.h"
static int bib_record(wn_export *x, const wn_record *rec) { (void)x; (void)rec; return WN_EINVAL; }
const wn_exporter wn_exporter_bibtex = {"bibtex", NULL, bib_record, NULL};

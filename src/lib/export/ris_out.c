/* RIS export: placeholder while the writer is built. */
#include "export/export_impl.h"
static int ris_record(wn_export *x, const wn_record *rec) { (void)x; (void)rec; return WN_EINVAL; }
const wn_exporter wn_exporter_ris = {"ris", NULL, ris_record, NULL};

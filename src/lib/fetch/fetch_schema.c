/* Project tables of the API fetchers (migration 2). */
#include "store/schema.h"

const char wn_schema_fetch[] = "";

/* Project tables of the PRISMA counts and audit checks (migration 6). */
#include "store/schema.h"

const char wn_schema_prisma[] = "";

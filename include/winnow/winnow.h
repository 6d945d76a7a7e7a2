/* winnow — systematic review screening: the whole public API. */
#ifndef WINNOW_WINNOW_H
#define WINNOW_WINNOW_H

#include "winnow/error.h"
#include "winnow/buf.h"
#include "winnow/text.h"
#include "winnow/record.h"
#include "winnow/normalize.h"
#include "winnow/latex.h"
#include "winnow/import.h"
#include "winnow/export.h"
#include "winnow/project.h"
#include "winnow/fetch.h"
#include "winnow/validate.h"
#include "winnow/units.h"
#include "winnow/rules.h"
#include "winnow/dedup.h"
#include "winnow/screening.h"
#include "winnow/screen_queue.h"
#include "winnow/prisma.h"
#include "winnow/audit.h"
#include "winnow/version.h"

#endif

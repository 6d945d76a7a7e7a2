#include "winnow/version.h"

const char *wn_version(void) { return WINNOW_VERSION; }

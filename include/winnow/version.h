#ifndef WINNOW_VERSION_H
#define WINNOW_VERSION_H
/* The version string of this build ("0.1.0"). */
const char *wn_version(void);
#endif

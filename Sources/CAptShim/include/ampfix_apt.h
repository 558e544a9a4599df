// A small C API over libapt-pkg (C++), for Swift. Every string returned is malloc'd and owned
// by the caller (free it); error messages come from apt's own error stack.
#ifndef AMPFIX_APT_H
#define AMPFIX_APT_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ampfix_apt ampfix_apt;

/// Reads apt's configuration (APT_CONFIG is honoured) and opens the package cache. With a
/// `root` other than "/", apt's Dir is that root and the cache is built in memory, never
/// written there. Returns NULL and sets *error on failure. One root per process.
ampfix_apt *ampfix_apt_open(const char *root, char **error);
void ampfix_apt_close(ampfix_apt *apt);

/// The installed and candidate (policy) versions of a package of the native architecture.
/// Returns 1 when found (either may be NULL), 0 when apt knows no such package.
int ampfix_apt_lookup(ampfix_apt *apt, const char *name, char **installed, char **candidate);

/// apt's version comparison (Debian policy): <0, 0 or >0.
int ampfix_apt_compare(const char *a, const char *b);

#ifdef __cplusplus
}
#endif
#endif

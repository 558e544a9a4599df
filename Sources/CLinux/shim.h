// Linux calls that Glibc's Swift module does not import: extended attributes, flock(2) (whose
// name Swift takes for the struct), and O_PATH (hidden behind _GNU_SOURCE).
#ifndef AMPFIX_CLINUX_SHIM_H
#define AMPFIX_CLINUX_SHIM_H

#include <fcntl.h>
#include <sys/file.h>
#include <sys/types.h>
#include <sys/xattr.h>

static inline int ampfix_flock(int fd, int operation) { return flock(fd, operation); }

#ifdef O_PATH
static const int ampfix_O_PATH = O_PATH;
#else
static const int ampfix_O_PATH = 010000000;
#endif

#endif

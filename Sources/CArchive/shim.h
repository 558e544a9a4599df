// libarchive, for `ampfix collect`'s .tar.gz (pax format, gzip filter).
#include <archive.h>
#include <archive_entry.h>

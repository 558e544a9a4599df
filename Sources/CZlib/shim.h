// zlib, for /proc/config.gz.
#include <zlib.h>

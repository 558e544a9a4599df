// libclamav (trait ClamAV): cl_cvdhead and cl_cvdverify for fault 7's definition files.
#include <clamav.h>

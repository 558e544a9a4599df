// libselinux: the kernel's SELinux state and access decisions on the loaded policy.
#include <selinux/selinux.h>

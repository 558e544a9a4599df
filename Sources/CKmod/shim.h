// libkmod: module lookup through a depmod index, module info, state and (dry-run) probing.
#include <libkmod.h>

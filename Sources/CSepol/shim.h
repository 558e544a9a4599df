// libsepol: access decisions computed from a binary policy file, for roots whose policy is not
// loaded in any kernel.
#include <stdio.h>
#include <sepol/debug.h>
#include <sepol/sepol.h>
#include <sepol/cil/cil.h>
#include <sepol/policydb/services.h>

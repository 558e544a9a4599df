#include <stddef.h>
#include <stdint.h>

// libFuzzer's entry for programs that bring their own main. SwiftPM links an executable's main
// as an alias of <Target>_main, so each fuzz target defines that and hands libFuzzer its
// callback here (libFuzzer's own main is then not linked).
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

// The command line as the C runtime passed it. Swift's runtime on Linux reads the arguments from
// /proc/self/cmdline, which does not exist in a chroot or image build without /proc mounted:
// ampfix would then see no arguments and run a plain diagnosis of / instead of what was asked.
// glibc calls the executable's init_array functions with (argc, argv, envp) before main, with or
// without /proc, so the arguments are captured here.
#include "process_arguments.h"
#include <stddef.h>

static int captured_argc;
static char *const *captured_argv;

__attribute__((constructor)) static void ampfix_capture_arguments(int argc, char **argv, char **envp) {
    (void)envp;
    captured_argc = argc;
    captured_argv = argv;
}

int ampfix_process_argc(void) { return captured_argv ? captured_argc : 0; }

char *const *ampfix_process_argv(void) { return captured_argv; }

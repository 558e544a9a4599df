#ifndef AMPFIX_PROCESS_ARGUMENTS_H
#define AMPFIX_PROCESS_ARGUMENTS_H

/// The process's argc, as the C runtime handed it to the program's constructors.
int ampfix_process_argc(void);
/// The process's argv (argc entries, then NULL), or NULL if the C runtime did not provide it.
char *const *ampfix_process_argv(void);

#endif

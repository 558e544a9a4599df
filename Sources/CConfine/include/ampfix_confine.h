// A program started in a mount namespace of its own, where an untrusted root is mounted
// noexec, nosuid and nodev and the host's trees are absent but for the read-only ones the
// program needs (DESIGN.md rule 8). Own code rather than bubblewrap: bubblewrap mounts what it
// binds nosuid and nodev but has no noexec, and noexec is what stops useradd --root from
// running the root's nscd, sss_cache or USERDEL_CMD.
#ifndef AMPFIX_CONFINE_H
#define AMPFIX_CONFINE_H

#include <sys/types.h>

// What ampfix_spawn_confined does, step by step; on a failure *failed_step names the step.
enum ampfix_confine_step {
    AMPFIX_CONFINE_NONE = 0,
    AMPFIX_CONFINE_CLONE,          // clone(CLONE_NEWNS)
    AMPFIX_CONFINE_PRIVATE,        // mount --make-rprivate /
    AMPFIX_CONFINE_TMPFS,          // the new root: an empty tmpfs
    AMPFIX_CONFINE_HOST_TREE,      // a read-only bind of a host tree the program needs
    AMPFIX_CONFINE_ROOT_BIND,      // the untrusted root, bound at its own path
    AMPFIX_CONFINE_ROOT_NOEXEC,    // ... and made noexec, nosuid, nodev
    AMPFIX_CONFINE_PIVOT,          // pivot_root into the tmpfs, the old root detached
    AMPFIX_CONFINE_DESCRIPTORS,    // stdin, stdout, stderr and the kept descriptors
    AMPFIX_CONFINE_EXEC,           // execve
};

// Starts `path` (a host path under one of `host_trees`) with `argv` and `envp` in a new mount
// namespace that holds only: each of `host_trees` (NULL-terminated host paths; a directory or
// file is bound read-only, nosuid, nodev; a symbolic link is copied as a link; a missing one is
// skipped), and the directory open at `root_fd`, bound at `root_path` (its own host path) without
// the mounts below it, noexec, nosuid and nodev (writable unless its mount is read-only). The child gets stdin from
// `stdin_fd`, stdout and stderr to `output_fd`, keeps `kept_fds` (close-on-exec cleared), and
// leads a process group of its own. Returns the child's pid, or -errno with *failed_step set
// (the child's own failures before execve are reported through a pipe; the child is reaped).
pid_t ampfix_spawn_confined(const char *path, char *const argv[], char *const envp[],
                            int root_fd, const char *root_path, char *const host_trees[],
                            int stdin_fd, int output_fd, const int *kept_fds, int kept_count,
                            int *failed_step);

#endif

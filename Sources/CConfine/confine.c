// See ampfix_confine.h. The child is made with clone(2) without CLONE_VM from a process with
// other threads, so between clone and execve it calls only system calls and string functions on
// its own stack buffers: no malloc, no stdio, nothing that takes a lock another thread may hold.
#define _GNU_SOURCE
#include "ampfix_confine.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

// Where the new root's tmpfs is mounted before pivot_root: any directory of the host does, as the
// mount is made in the child's own namespace and never seen outside it.
static const char base[] = "/tmp";

struct confinement {
    const char *path;
    char *const *argv;
    char *const *envp;
    int root_fd;
    const char *root_path;
    char *const *host_trees;
    int stdin_fd;
    int output_fd;
    const int *kept_fds;
    int kept_count;
    int report_fd;
};

struct failure {
    int step;
    int error;
};

static void fail(const struct confinement *c, int step) {
    struct failure f = {step, errno};
    ssize_t ignored = write(c->report_fd, &f, sizeof f);
    (void)ignored;
    _exit(127);
}

// base + path into `out` (PATH_MAX); 0, or -1 with errno ENAMETOOLONG.
static int under_base(char *out, const char *path) {
    size_t b = strlen(base), p = strlen(path);
    if (b + p + 1 > PATH_MAX) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(out, base, b);
    memcpy(out + b, path, p + 1);
    return 0;
}

// mkdir -p of every directory above `path` (and of `path` itself when `self`), in the tmpfs.
static int make_directories(char *path, int self) {
    for (char *slash = strchr(path + 1, '/'); ; slash = strchr(slash + 1, '/')) {
        if (slash) *slash = '\0';
        if (slash || self) {
            if (mkdir(path, 0755) != 0 && errno != EEXIST) {
                if (slash) *slash = '/';
                return -1;
            }
        }
        if (!slash) return 0;
        *slash = '/';
    }
}

// One host tree the program needs, in the new root as the host has it: a link as that link,
// a directory or file bound read-only, nosuid, nodev. A name the host lacks is left out.
static int add_host_tree(const char *tree) {
    char target[PATH_MAX], link[PATH_MAX];
    struct stat st;
    if (lstat(tree, &st) != 0) return errno == ENOENT ? 0 : -1;
    if (under_base(target, tree) != 0) return -1;
    if (S_ISLNK(st.st_mode)) {
        ssize_t length = readlink(tree, link, sizeof link - 1);
        if (length < 0) return -1;
        link[length] = '\0';
        if (make_directories(target, 0) != 0) return -1;
        return symlink(link, target) == 0 || errno == EEXIST ? 0 : -1;
    }
    if (S_ISDIR(st.st_mode)) {
        if (make_directories(target, 1) != 0) return -1;
    } else {
        if (make_directories(target, 0) != 0) return -1;
        int fd = open(target, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0) return -1;
        close(fd);
    }
    if (mount(tree, target, NULL, MS_BIND, NULL) != 0) return -1;
    return mount(NULL, target, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL);
}

// The untrusted root at its own path: its own mount only, never what is mounted below it (a
// procfs there would hand the tool /proc/PID/root, a way back to the host's tree; a bind of a
// host directory, a way to write it), made noexec, nosuid and nodev, and read-only where the
// root's mount is. `source` is "." (enter_root).
static void add_root(const struct confinement *c, const char *source) {
    char target[PATH_MAX];
    if (under_base(target, c->root_path) != 0 || make_directories(target, 1) != 0) fail(c, AMPFIX_CONFINE_ROOT_BIND);
    if (mount(source, target, NULL, MS_BIND, NULL) != 0) fail(c, AMPFIX_CONFINE_ROOT_BIND);
    struct statvfs sv;
    unsigned long readonly = fstatvfs(c->root_fd, &sv) == 0 && (sv.f_flag & ST_RDONLY) ? MS_RDONLY : 0;
    if (mount(NULL, target, NULL, MS_BIND | MS_REMOUNT | MS_NOEXEC | MS_NOSUID | MS_NODEV | readonly, NULL) != 0) {
        fail(c, AMPFIX_CONFINE_ROOT_NOEXEC);
    }
}

// The root, entered again in the child's namespace as its working directory (a bind's source
// must be a mount of the caller's own namespace, and the parent's descriptor is of the
// parent's; the working directory was moved to the new namespace by clone, and stays reachable
// once the tmpfs covers the root's path), checked to be the directory the parent opened.
static void enter_root(const struct confinement *c) {
    struct stat inner, outer, host;
    if (chdir(c->root_path) != 0 || stat(".", &inner) != 0 || fstat(c->root_fd, &outer) != 0 || stat("/", &host) != 0) {
        fail(c, AMPFIX_CONFINE_ROOT_BIND);
    }
    if (inner.st_dev != outer.st_dev || inner.st_ino != outer.st_ino) {
        errno = ESTALE;
        fail(c, AMPFIX_CONFINE_ROOT_BIND);
    }
    // The host's own / under another name ("/.", "/tmp/.."): nothing to confine it to.
    if (inner.st_dev == host.st_dev && inner.st_ino == host.st_ino) {
        errno = EINVAL;
        fail(c, AMPFIX_CONFINE_ROOT_BIND);
    }
}

static int child(void *argument) {
    const struct confinement *c = argument;
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) fail(c, AMPFIX_CONFINE_PRIVATE);
    // Before the tmpfs can cover the root's path.
    enter_root(c);
    if (mount("tmpfs", base, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=0755") != 0) fail(c, AMPFIX_CONFINE_TMPFS);
    for (char *const *tree = c->host_trees; *tree; tree++) {
        if (add_host_tree(*tree) != 0) fail(c, AMPFIX_CONFINE_HOST_TREE);
    }
    add_root(c, ".");
    if (chdir(base) != 0 || syscall(SYS_pivot_root, ".", ".") != 0 || umount2(".", MNT_DETACH) != 0 || chdir("/") != 0) {
        fail(c, AMPFIX_CONFINE_PIVOT);
    }
    // Nothing is made in the new root's own tmpfs from here on.
    // MS_BIND: this mount's flags only, never its file system's (which is the tmpfs, but a
    // superblock remount must never be one wrong path away).
    if (mount(NULL, "/", NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0) fail(c, AMPFIX_CONFINE_PIVOT);

    if (setpgid(0, 0) != 0) fail(c, AMPFIX_CONFINE_DESCRIPTORS);
    if (dup2(c->stdin_fd, 0) < 0 || dup2(c->output_fd, 1) < 0 || dup2(c->output_fd, 2) < 0) fail(c, AMPFIX_CONFINE_DESCRIPTORS);
    for (int i = 0; i < c->kept_count; i++) {
        if (fcntl(c->kept_fds[i], F_SETFD, 0) != 0) fail(c, AMPFIX_CONFINE_DESCRIPTORS);
    }
    execve(c->path, c->argv, c->envp);
    fail(c, AMPFIX_CONFINE_EXEC);
    return 127;
}

pid_t ampfix_spawn_confined(const char *path, char *const argv[], char *const envp[],
                            int root_fd, const char *root_path, char *const host_trees[],
                            int stdin_fd, int output_fd, const int *kept_fds, int kept_count,
                            int *failed_step) {
    *failed_step = AMPFIX_CONFINE_NONE;
    if (root_path[0] != '/') {
        *failed_step = AMPFIX_CONFINE_ROOT_BIND;
        return -EINVAL;
    }
    int report[2];
    if (pipe2(report, O_CLOEXEC) != 0) {
        *failed_step = AMPFIX_CONFINE_CLONE;
        return -errno;
    }
    struct confinement c = {
        path, argv, envp, root_fd, root_path, host_trees, stdin_fd, output_fd, kept_fds, kept_count, report[1],
    };
    const size_t stack_size = 256 * 1024;
    void *stack = mmap(NULL, stack_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (stack == MAP_FAILED) {
        int error = errno;
        close(report[0]);
        close(report[1]);
        *failed_step = AMPFIX_CONFINE_CLONE;
        return -error;
    }
    // The child has its own copy of this memory (no CLONE_VM): the stack is unmapped here at once.
    pid_t pid = clone(child, (char *)stack + stack_size, CLONE_NEWNS | SIGCHLD, &c);
    int clone_error = errno;
    munmap(stack, stack_size);
    close(report[1]);
    if (pid < 0) {
        close(report[0]);
        *failed_step = AMPFIX_CONFINE_CLONE;
        return -clone_error;
    }
    struct failure f;
    ssize_t got;
    do {
        got = read(report[0], &f, sizeof f);
    } while (got < 0 && errno == EINTR);
    close(report[0]);
    if (got == (ssize_t)sizeof f) {
        int status;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
        *failed_step = f.step;
        return -f.error;
    }
    return pid;
}

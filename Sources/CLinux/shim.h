// Linux calls that Glibc's Swift module does not import: extended attributes, flock(2) (whose
// name Swift takes for the struct), O_PATH and renameat2 (hidden behind _GNU_SOURCE).
#ifndef AMPFIX_CLINUX_SHIM_H
#define AMPFIX_CLINUX_SHIM_H

#include <fcntl.h>
#include <libintl.h>
#include <locale.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/vfs.h>
#include <sys/xattr.h>
#include <sys/syscall.h>
#include <unistd.h>

static inline int ampfix_flock(int fd, int operation) { return flock(fd, operation); }

// The file system type of a descriptor (statfs's magic), or -1.
static inline long ampfix_fs_type(int fd) {
    struct statfs info;
    return fstatfs(fd, &info) == 0 ? (long)info.f_type : -1;
}

#ifdef O_PATH
static const int ampfix_O_PATH = O_PATH;
#else
static const int ampfix_O_PATH = 010000000;
#endif

// prctl(PR_SET_CHILD_SUBREAPER): descendants orphaned by a tool ampfix runs (a daemon started
// with setsid, whose parent then exited) become ampfix's children instead of init's, so that
// they can be found and ended. prctl is variadic, which Swift does not import.
static inline int ampfix_become_subreaper(void) { return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); }

// renameat2(2) with RENAME_NOREPLACE (1): the destination is never overwritten. Through
// syscall(2), as glibc declares renameat2 only under _GNU_SOURCE.
static inline int ampfix_renameat_noreplace(int olddir, const char *oldname, int newdir, const char *newname) {
    return (int)syscall(SYS_renameat2, olddir, oldname, newdir, newname, 1U);
}

// glibc's gettext (the report's translations, po/*.po compiled to ampfix.mo). Wrapped because
// libintl.h may define the names as macros.
static inline const char *ampfix_dgettext(const char *domain, const char *msgid) { return dgettext(domain, msgid); }
static inline const char *ampfix_dngettext(const char *domain, const char *singular, const char *plural, unsigned long n) {
    return dngettext(domain, singular, plural, n);
}
static inline const char *ampfix_bindtextdomain(const char *domain, const char *directory) { return bindtextdomain(domain, directory); }
static inline const char *ampfix_bind_textdomain_codeset(const char *domain, const char *codeset) {
    return bind_textdomain_codeset(domain, codeset);
}

#endif

// The two kernel event sources fault 18's sampler reads, wrapped in C because their records are
// variable-length structures: fanotify (file events, notification class only: it never blocks
// or alters file access) and the proc connector (NETLINK_CONNECTOR, process exec and fork).
#ifndef AMPFIX_EVENTS_H
#define AMPFIX_EVENTS_H

#include <stdint.h>

// One event: the process it concerns and, for a fork, its parent.
struct ampfix_event {
    int32_t pid;
    int32_t parent;
    // 'f' file (fanotify), 'e' exec, 'k' fork
    char kind;
};

// fanotify on the file system (else the mount) holding `path`, for open, modify, close-write and
// open-exec. Returns the descriptor, or -errno. *how is set to "filesystem" or "mount".
int ampfix_fanotify_open(const char *path, const char **how);
// Reads what is pending (non-blocking) into `events` (at most `max`); event descriptors are
// closed. Returns the count, 0 when nothing is pending, or -errno.
int ampfix_fanotify_read(int fd, struct ampfix_event *events, int max);

// The proc connector, subscribed. Returns the descriptor, or -errno.
int ampfix_proc_connector_open(void);
// Reads one pending datagram's exec and fork events. Returns the count, or -errno.
int ampfix_proc_connector_read(int fd, struct ampfix_event *events, int max);
// Unsubscribes and closes.
void ampfix_proc_connector_close(int fd);

#endif

#define _GNU_SOURCE
#include "ampfix_events.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef FAN_OPEN_EXEC
#define FAN_OPEN_EXEC 0x00001000
#endif
#ifndef FAN_MARK_FILESYSTEM
#define FAN_MARK_FILESYSTEM 0x00000100
#endif
#ifndef FAN_REPORT_FID
#define FAN_REPORT_FID 0x00000200
#endif

int ampfix_fanotify_open(const char *path, const char **how) {
    // Identifiers instead of open descriptors where the kernel offers them (5.1+): nothing to
    // close, no descriptor limit to hit under load.
    int fd = fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK | FAN_REPORT_FID, O_RDONLY | O_LARGEFILE);
    if (fd < 0) fd = fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK, O_RDONLY | O_LARGEFILE);
    if (fd < 0) return -errno;
    uint64_t mask = FAN_OPEN | FAN_MODIFY | FAN_CLOSE_WRITE | FAN_OPEN_EXEC;
    if (fanotify_mark(fd, FAN_MARK_ADD | FAN_MARK_FILESYSTEM, mask, AT_FDCWD, path) == 0) {
        *how = "filesystem";
        return fd;
    }
    if (fanotify_mark(fd, FAN_MARK_ADD | FAN_MARK_MOUNT, mask, AT_FDCWD, path) == 0 ||
        fanotify_mark(fd, FAN_MARK_ADD | FAN_MARK_MOUNT, mask & ~(uint64_t)FAN_OPEN_EXEC, AT_FDCWD, path) == 0) {
        *how = "mount";
        return fd;
    }
    int error = errno;
    close(fd);
    return -error;
}

int ampfix_fanotify_read(int fd, struct ampfix_event *events, int max) {
    char buffer[65536] __attribute__((aligned(__alignof__(struct fanotify_event_metadata))));
    ssize_t length = read(fd, buffer, sizeof buffer);
    if (length < 0) return (errno == EAGAIN || errno == EINTR) ? 0 : -errno;
    int count = 0;
    struct fanotify_event_metadata *event = (struct fanotify_event_metadata *)buffer;
    while (FAN_EVENT_OK(event, length)) {
        if (event->fd >= 0) close(event->fd);
        if (count < max && !(event->mask & FAN_Q_OVERFLOW)) {
            events[count].pid = event->pid;
            events[count].parent = 0;
            events[count].kind = 'f';
            count++;
        }
        event = FAN_EVENT_NEXT(event, length);
    }
    return count;
}

static int proc_connector_send(int fd, enum proc_cn_mcast_op op) {
    char buffer[NLMSG_SPACE(sizeof(struct cn_msg) + sizeof(enum proc_cn_mcast_op))];
    memset(buffer, 0, sizeof buffer);
    struct nlmsghdr *header = (struct nlmsghdr *)buffer;
    header->nlmsg_len = sizeof buffer;
    header->nlmsg_type = NLMSG_DONE;
    header->nlmsg_pid = 0;
    struct cn_msg *message = NLMSG_DATA(header);
    message->id.idx = CN_IDX_PROC;
    message->id.val = CN_VAL_PROC;
    message->len = sizeof(enum proc_cn_mcast_op);
    memcpy(message->data, &op, sizeof op);
    return send(fd, buffer, sizeof buffer, 0) < 0 ? -errno : 0;
}

int ampfix_proc_connector_open(void) {
    int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_CONNECTOR);
    if (fd < 0) return -errno;
    struct sockaddr_nl address;
    memset(&address, 0, sizeof address);
    address.nl_family = AF_NETLINK;
    address.nl_groups = CN_IDX_PROC;
    address.nl_pid = 0;
    if (bind(fd, (struct sockaddr *)&address, sizeof address) < 0) {
        int error = errno;
        close(fd);
        return -error;
    }
    int sent = proc_connector_send(fd, PROC_CN_MCAST_LISTEN);
    if (sent < 0) {
        close(fd);
        return sent;
    }
    return fd;
}

int ampfix_proc_connector_read(int fd, struct ampfix_event *events, int max) {
    char buffer[16384] __attribute__((aligned(NLMSG_ALIGNTO)));
    ssize_t length = recv(fd, buffer, sizeof buffer, 0);
    if (length < 0) return (errno == EAGAIN || errno == EINTR) ? 0 : -errno;
    int count = 0;
    for (struct nlmsghdr *header = (struct nlmsghdr *)buffer; NLMSG_OK(header, (size_t)length); header = NLMSG_NEXT(header, length)) {
        if (header->nlmsg_type == NLMSG_ERROR || header->nlmsg_type == NLMSG_NOOP) continue;
        if (header->nlmsg_len < NLMSG_LENGTH(sizeof(struct cn_msg) + sizeof(struct proc_event))) continue;
        struct cn_msg *message = NLMSG_DATA(header);
        if (message->id.idx != CN_IDX_PROC || message->id.val != CN_VAL_PROC) continue;
        struct proc_event *event = (struct proc_event *)message->data;
        if (count >= max) break;
        if (event->what == PROC_EVENT_EXEC) {
            events[count].pid = event->event_data.exec.process_tgid;
            events[count].parent = 0;
            events[count].kind = 'e';
            count++;
        } else if (event->what == PROC_EVENT_FORK && event->event_data.fork.child_pid == event->event_data.fork.child_tgid) {
            // Threads (child_pid != child_tgid) are not process starts.
            events[count].pid = event->event_data.fork.child_tgid;
            events[count].parent = event->event_data.fork.parent_tgid;
            events[count].kind = 'k';
            count++;
        }
    }
    return count;
}

void ampfix_proc_connector_close(int fd) {
    proc_connector_send(fd, PROC_CN_MCAST_IGNORE);
    close(fd);
}

// libsemanage: the policy module store (opened with dlopen, see
// AmpfixSELinux/SELinuxLibraries.swift). Its message callback is variadic, which Swift cannot
// implement, so this header formats each message and hands the finished line to a plain C
// function pointer that Swift can provide.
#ifndef AMPFIX_CSEMANAGE_SHIM_H
#define AMPFIX_CSEMANAGE_SHIM_H

#include <stdarg.h>
#include <stdio.h>
#include <semanage/semanage.h>
#include <semanage/modules.h>

typedef void (*ampfix_semanage_sink)(void *context, int level, const char *message);

/// libsemanage is opened with dlopen, not linked: the two functions this header calls are
/// handed in as pointers (semanage_msg_get_level, semanage_msg_set_callback).
typedef int (*ampfix_semanage_get_level)(semanage_handle_t *handle);
typedef void (*ampfix_semanage_message_callback)(void *arg, semanage_handle_t *handle, const char *format, ...);
typedef void (*ampfix_semanage_set_callback)(semanage_handle_t *handle, ampfix_semanage_message_callback callback, void *arg);

struct ampfix_semanage_messages {
    ampfix_semanage_sink sink;
    void *context;
    ampfix_semanage_get_level get_level;
};

static inline void ampfix_semanage_message(void *arg, semanage_handle_t *handle, const char *format, ...) {
    struct ampfix_semanage_messages *messages = (struct ampfix_semanage_messages *)arg;
    char line[4096];
    va_list args;
    va_start(args, format);
    vsnprintf(line, sizeof line, format, args);
    va_end(args);
    if (messages && messages->sink) {
        messages->sink(messages->context, messages->get_level ? messages->get_level(handle) : 0, line);
    }
}

/// Routes every libsemanage (and libsepol, through it) message of `handle` to `messages`.
static inline void ampfix_semanage_capture(semanage_handle_t *handle, struct ampfix_semanage_messages *messages,
                                           ampfix_semanage_set_callback set_callback) {
    set_callback(handle, ampfix_semanage_message, messages);
}

#endif

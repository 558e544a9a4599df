// libsemanage: the policy module store. Its message callback is variadic, which Swift cannot
// implement, so this header formats each message and hands the finished line to a plain C
// function pointer that Swift can provide.
#ifndef AMPFIX_CSEMANAGE_SHIM_H
#define AMPFIX_CSEMANAGE_SHIM_H

#include <stdarg.h>
#include <stdio.h>
#include <semanage/semanage.h>
#include <semanage/modules.h>

typedef void (*ampfix_semanage_sink)(void *context, int level, const char *message);

struct ampfix_semanage_messages {
    ampfix_semanage_sink sink;
    void *context;
};

static inline void ampfix_semanage_message(void *arg, semanage_handle_t *handle, const char *format, ...) {
    struct ampfix_semanage_messages *messages = (struct ampfix_semanage_messages *)arg;
    char line[4096];
    va_list args;
    va_start(args, format);
    vsnprintf(line, sizeof line, format, args);
    va_end(args);
    if (messages && messages->sink) {
        messages->sink(messages->context, semanage_msg_get_level(handle), line);
    }
}

/// Routes every libsemanage (and libsepol, through it) message of `handle` to `messages`.
static inline void ampfix_semanage_capture(semanage_handle_t *handle, struct ampfix_semanage_messages *messages) {
    semanage_msg_set_callback(handle, ampfix_semanage_message, messages);
}

#endif

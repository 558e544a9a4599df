#include <sys/uio.h>
#include <systemd/sd-journal.h>

// sd-journal.h defines sd_journal_sendv as a macro adding CODE_FILE/CODE_LINE of the caller;
// Swift cannot call a function-like macro, so the function itself is called here (ampfix's
// entries carry their own fields).
static inline int ampfix_journal_sendv(const struct iovec *iov, int n) {
    return (sd_journal_sendv)(iov, n);
}

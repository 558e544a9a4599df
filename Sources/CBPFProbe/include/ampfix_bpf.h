// The connector's eBPF programs, opened, loaded, attached and detached through libbpf, which is
// opened at the first call (dlopen of libbpf.so.1), not linked: only `ampfix preflight` and a
// diagnosis that names faults 8, 9 or 16 need it. Nothing stays loaded or attached after a call
// returns (and a killed process leaves nothing: every program and attachment is a descriptor).
#pragma once
#include <stddef.h>

struct ampfix_bpf_program {
    char *name;         // the program's (function's) name
    char *section;      // its ELF section: kprobe/__fput, kretprobe/inet_csk_accept, ksyscall/nanosleep
    int attach_error;   // 0 attached (then detached at once), else a positive errno
    int attach_tried;   // 0 when the object did not load (nothing to attach)
    char *attach_log;   // libbpf's warnings while attaching (NULL when none)
};

struct ampfix_bpf_object {
    int open_error;     // 0, else the errno of opening the file (ELF, BTF)
    int load_error;     // 0 loaded (verifier, CO-RE relocations), else a positive errno
    int load_tried;
    int program_count;
    struct ampfix_bpf_program *programs;
    char *log;          // libbpf's warnings while opening and loading (the verifier log's tail on failure)
};

// An object that is not a regular file (a FIFO, a device, a directory): its open_error.
#define EFTYPE_NOT_REGULAR 4200

// The words for an error of a result: libbpf's own codes (4000 and up) by libbpf_strerror,
// the system's by strerror.
void ampfix_bpf_strerror(int error, char *buffer, size_t size);

// Opens libbpf; 0, or -1 with the loader's words in `error`.
int ampfix_bpf_open_library(char *error, size_t size);

// 1 when the running kernel has BPF ring buffers, 0 when it has not, negative errno when it
// cannot tell (libbpf_probe_bpf_map_type).
int ampfix_bpf_has_ringbuf(void);

// Opens each of `count` objects and lists their programs; with `load`, also sizes the map
// `events` (a ring buffer of `ringbuf_bytes`, or a perf event array with `using_ringbuf`
// cleared when `ringbuf_bytes` is 0), loads the object, attaches every program and detaches it.
// Objects are handled by up to `workers` threads. `results` has `count` entries.
void ampfix_bpf_probe(const char *const *paths, int count, int workers, int load, unsigned ringbuf_bytes,
                      struct ampfix_bpf_object *results);

// Frees what ampfix_bpf_probe allocated in `results`.
void ampfix_bpf_free(struct ampfix_bpf_object *results, int count);

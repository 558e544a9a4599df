#define _GNU_SOURCE
#include "ampfix_bpf.h"

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

// libbpf's functions, with libbpf's own types (from its headers), none of them linked.
#define AMPFIX_BPF_FUNCTIONS(X) \
    X(libbpf_set_print) X(libbpf_probe_bpf_map_type) X(bpf_object__close) \
    X(bpf_object__load) X(bpf_object__next_program) X(bpf_object__next_map) X(bpf_object__btf) \
    X(bpf_program__name) X(bpf_program__section_name) X(bpf_program__attach) X(bpf_link__destroy) \
    X(bpf_map__name) X(bpf_map__set_type) X(bpf_map__set_max_entries) X(bpf_map__set_key_size) \
    X(bpf_map__set_value_size) X(bpf_map__initial_value) X(bpf_map__set_initial_value) \
    X(btf__find_by_name_kind) X(btf__type_by_id) X(btf__name_by_offset) X(bpf_object__open_mem) X(libbpf_strerror)

static struct {
#define AMPFIX_BPF_POINTER(name) __typeof__(name) *name;
    AMPFIX_BPF_FUNCTIONS(AMPFIX_BPF_POINTER)
} lib;

static pthread_once_t opened = PTHREAD_ONCE_INIT;
static char open_error[512];

// libbpf's warnings go to the calling thread's buffer (each object is handled on one thread);
// only the last `capture_size` bytes are kept: the verifier log's end says why.
enum { capture_size = 8192 };
static __thread char *capture;
static __thread size_t captured;

static int print(enum libbpf_print_level level, const char *format, va_list arguments) {
    if (level != LIBBPF_WARN || capture == NULL) return 0;
    // libbpf hands over the whole verifier log as one message: formatted whole, its end kept.
    char *line = NULL;
    int length = vasprintf(&line, format, arguments);
    if (length <= 0 || line == NULL) return 0;
    const char *kept = line;
    if ((size_t)length > capture_size) {
        kept = line + length - capture_size;
        length = capture_size;
    }
    if (captured + (size_t)length > capture_size) {
        size_t drop = captured + (size_t)length - capture_size;
        if (drop > captured) drop = captured;
        memmove(capture, capture + drop, captured - drop);
        captured -= drop;
    }
    memcpy(capture + captured, kept, (size_t)length);
    captured += (size_t)length;
    free(line);
    return 0;
}

static void open_once(void) {
    void *handle = dlopen("libbpf.so.1", RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) {
        snprintf(open_error, sizeof open_error, "%s", dlerror());
        return;
    }
#define AMPFIX_BPF_LOOKUP(name) \
    if ((lib.name = (__typeof__(name) *)dlsym(handle, #name)) == NULL) { \
        snprintf(open_error, sizeof open_error, "libbpf.so.1 has no %s (libbpf 1.0 or later is needed)", #name); \
        return; \
    }
    AMPFIX_BPF_FUNCTIONS(AMPFIX_BPF_LOOKUP)
    lib.libbpf_set_print(print);
}

int ampfix_bpf_open_library(char *error, size_t size) {
    pthread_once(&opened, open_once);
    if (open_error[0] != 0) {
        snprintf(error, size, "%s", open_error);
        return -1;
    }
    return 0;
}

void ampfix_bpf_strerror(int error, char *buffer, size_t size) {
    if (error == EFTYPE_NOT_REGULAR) {
        snprintf(buffer, size, "not a regular file");
    } else if (lib.libbpf_strerror == NULL || lib.libbpf_strerror(error, buffer, size) != 0) {
        snprintf(buffer, size, "%s", strerror(error));
    }
}

int ampfix_bpf_has_ringbuf(void) {
    if (open_error[0] != 0 || lib.libbpf_probe_bpf_map_type == NULL) return -ENOSYS;
    return lib.libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, NULL);
}

static void start_capture(void) {
    capture = calloc(1, capture_size + 1);
    captured = 0;
}

// What was captured since start_capture, as a string (NULL when nothing), and capture stops.
static char *end_capture(void) {
    char *text = capture;
    capture = NULL;
    if (text != NULL && captured == 0) {
        free(text);
        return NULL;
    }
    if (text != NULL) text[captured] = 0;
    return text;
}

// Clears the object's `const volatile bool using_ringbuf` (events.h), found through the
// object's BTF in its .rodata section: the programs then write to a perf event array.
static int clear_using_ringbuf(struct bpf_object *object) {
    struct btf *btf = lib.bpf_object__btf(object);
    if (btf == NULL) return -ENOENT;
    int id = lib.btf__find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC);
    if (id < 0) return -ENOENT;
    const struct btf_type *section = lib.btf__type_by_id(btf, (unsigned)id);
    const struct btf_var_secinfo *variables = btf_var_secinfos(section);
    struct bpf_map *rodata = NULL;
    for (struct bpf_map *map = lib.bpf_object__next_map(object, NULL); map; map = lib.bpf_object__next_map(object, map)) {
        const char *name = lib.bpf_map__name(map);
        size_t length = strlen(name);
        if (length >= 7 && strcmp(name + length - 7, ".rodata") == 0) rodata = map;
    }
    if (rodata == NULL) return -ENOENT;
    for (int i = 0; i < btf_vlen(section); i++) {
        const struct btf_type *variable = lib.btf__type_by_id(btf, variables[i].type);
        if (strcmp(lib.btf__name_by_offset(btf, variable->name_off), "using_ringbuf") != 0) continue;
        size_t size = 0;
        const char *initial = lib.bpf_map__initial_value(rodata, &size);
        if (initial == NULL || variables[i].offset >= size) return -EINVAL;
        char *copy = malloc(size);
        if (copy == NULL) return -ENOMEM;
        memcpy(copy, initial, size);
        copy[variables[i].offset] = 0;
        int status = lib.bpf_map__set_initial_value(rodata, copy, size);
        free(copy);
        return status;
    }
    return -ENOENT;
}

// Sizes `events`: the objects leave its size to the loader.
static int size_events(struct bpf_object *object, unsigned ringbuf_bytes) {
    for (struct bpf_map *map = lib.bpf_object__next_map(object, NULL); map; map = lib.bpf_object__next_map(object, map)) {
        if (strcmp(lib.bpf_map__name(map), "events") != 0) continue;
        if (ringbuf_bytes > 0) return lib.bpf_map__set_max_entries(map, ringbuf_bytes);
        // A perf event array: one entry per possible CPU (libbpf fills in 0).
        int status = lib.bpf_map__set_type(map, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
        if (status == 0) status = lib.bpf_map__set_key_size(map, sizeof(int));
        if (status == 0) status = lib.bpf_map__set_value_size(map, sizeof(int));
        if (status == 0) status = lib.bpf_map__set_max_entries(map, 0);
        if (status == 0) status = clear_using_ringbuf(object);
        return status;
    }
    return 0;
}

static int is_kprobe(const char *section) {
    return strncmp(section, "kprobe/", 7) == 0 || strncmp(section, "kretprobe/", 10) == 0 ||
           strncmp(section, "ksyscall/", 9) == 0 || strncmp(section, "kretsyscall/", 12) == 0;
}

enum { largest_object = 16 << 20 };

// The object's bytes, read once through one descriptor: not a link, not a FIFO or device (opened
// without blocking, then required to be a regular file), owned by root or by the caller and
// writable by nobody else, at most `largest_object` bytes. libbpf then parses these bytes, never
// the path (which could be swapped between a check and its open).
static char *read_object(const char *path, size_t *size, int *error) {
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        *error = errno;
        return NULL;
    }
    struct stat status;
    char *bytes = NULL;
    if (fstat(fd, &status) != 0) {
        *error = errno;
    } else if (!S_ISREG(status.st_mode)) {
        *error = EFTYPE_NOT_REGULAR;
    } else if ((status.st_uid != 0 && status.st_uid != geteuid()) || (status.st_mode & (S_IWGRP | S_IWOTH))) {
        *error = EPERM;
    } else if (status.st_size > largest_object) {
        *error = EFBIG;
    } else if ((bytes = malloc((size_t)status.st_size + 1)) == NULL) {
        *error = ENOMEM;
    } else {
        size_t done = 0;
        while (done < (size_t)status.st_size) {
            ssize_t count = read(fd, bytes + done, (size_t)status.st_size - done);
            if (count < 0 && errno == EINTR) continue;
            if (count <= 0) break;
            done += (size_t)count;
        }
        if (done != (size_t)status.st_size) {
            *error = EIO;
            free(bytes);
            bytes = NULL;
        } else {
            *size = done;
        }
    }
    close(fd);
    return bytes;
}

static void probe_object(const char *path, int load, unsigned ringbuf_bytes, struct ampfix_bpf_object *result) {
    memset(result, 0, sizeof *result);
    size_t size = 0;
    int error = 0;
    char *bytes = read_object(path, &size, &error);
    if (bytes == NULL) {
        result->open_error = error ? error : EINVAL;
        return;
    }
    // libbpf names the object (and its maps' prefixes) after the file.
    const char *base = strrchr(path, '/');
    char name[64];
    snprintf(name, sizeof name, "%s", base ? base + 1 : path);
    char *dot = strchr(name, '.');
    if (dot) *dot = 0;
    LIBBPF_OPTS(bpf_object_open_opts, options, .object_name = name);
    start_capture();
    struct bpf_object *object = lib.bpf_object__open_mem(bytes, size, &options);
    if (object == NULL) {
        result->open_error = errno ? errno : EINVAL;
        result->log = end_capture();
        free(bytes);
        return;
    }
    int count = 0;
    for (struct bpf_program *p = lib.bpf_object__next_program(object, NULL); p; p = lib.bpf_object__next_program(object, p)) count++;
    result->programs = calloc((size_t)count, sizeof *result->programs);
    result->program_count = result->programs ? count : 0;
    int index = 0;
    for (struct bpf_program *p = lib.bpf_object__next_program(object, NULL); p && index < result->program_count;
         p = lib.bpf_object__next_program(object, p), index++) {
        result->programs[index].name = strdup(lib.bpf_program__name(p));
        result->programs[index].section = strdup(lib.bpf_program__section_name(p));
    }
    if (load) {
        result->load_tried = 1;
        int status = size_events(object, ringbuf_bytes);
        if (status == 0) status = lib.bpf_object__load(object);
        result->load_error = status < 0 ? -status : 0;
    }
    result->log = end_capture();
    if (load && result->load_error == 0) {
        // Without the kernel's kprobe event source (before 4.17) libbpf creates a kprobe through
        // tracefs (kprobe_events), where it would outlive a killed process: not attached there.
        int legacy_only = access("/sys/bus/event_source/devices/kprobe/type", F_OK) != 0 &&
                          (access("/sys/kernel/tracing/kprobe_events", F_OK) == 0 ||
                           access("/sys/kernel/debug/tracing/kprobe_events", F_OK) == 0);
        index = 0;
        for (struct bpf_program *p = lib.bpf_object__next_program(object, NULL); p && index < result->program_count;
             p = lib.bpf_object__next_program(object, p), index++) {
            struct ampfix_bpf_program *program = &result->programs[index];
            program->attach_tried = 1;
            if (is_kprobe(program->section) && legacy_only) {
                program->attach_error = ENOTSUP;
                continue;
            }
            start_capture();
            errno = 0;
            struct bpf_link *link = lib.bpf_program__attach(p);
            program->attach_error = link ? 0 : (errno ? errno : EINVAL);
            if (link) lib.bpf_link__destroy(link);
            program->attach_log = end_capture();
        }
    }
    lib.bpf_object__close(object);
    free(bytes);
}

struct work {
    const char *const *paths;
    int count;
    int load;
    unsigned ringbuf_bytes;
    struct ampfix_bpf_object *results;
    int next;
    pthread_mutex_t lock;
};

static void *worker(void *argument) {
    struct work *work = argument;
    for (;;) {
        pthread_mutex_lock(&work->lock);
        int index = work->next++;
        pthread_mutex_unlock(&work->lock);
        if (index >= work->count) return NULL;
        probe_object(work->paths[index], work->load, work->ringbuf_bytes, &work->results[index]);
    }
}

void ampfix_bpf_probe(const char *const *paths, int count, int workers, int load, unsigned ringbuf_bytes,
                      struct ampfix_bpf_object *results) {
    struct work work = {paths, count, load, ringbuf_bytes, results, 0, PTHREAD_MUTEX_INITIALIZER};
    if (open_error[0] != 0 || lib.bpf_object__open_mem == NULL) {
        for (int i = 0; i < count; i++) {
            memset(&results[i], 0, sizeof results[i]);
            results[i].open_error = ENOSYS;
        }
        return;
    }
    if (workers < 1) workers = 1;
    if (workers > count) workers = count;
    pthread_t threads[64];
    int started = 0;
    for (int i = 1; i < workers && started < 64; i++) {
        if (pthread_create(&threads[started], NULL, worker, &work) == 0) started++;
    }
    worker(&work);
    for (int i = 0; i < started; i++) pthread_join(threads[i], NULL);
    pthread_mutex_destroy(&work.lock);
}

void ampfix_bpf_free(struct ampfix_bpf_object *results, int count) {
    for (int i = 0; i < count; i++) {
        for (int j = 0; j < results[i].program_count; j++) {
            free(results[i].programs[j].name);
            free(results[i].programs[j].section);
            free(results[i].programs[j].attach_log);
        }
        free(results[i].programs);
        free(results[i].log);
        memset(&results[i], 0, sizeof results[i]);
    }
}

/* SPDX-License-Identifier: MIT */
/* Counters and the exit report. The hot path counts into the thread's cache; exited threads'
 * counts are folded into the globals. ALLOC8_DEMO_STATS=stderr (or 1) prints one line at exit,
 * any other value is a file the line is appended to. No stdio: nothing here may allocate. */
#define _GNU_SOURCE
#include "demo_allocator.h"
#include "demo_internal.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef O_CLOEXEC
#define O_CLOEXEC 0 /* Windows: handles are not inherited by default */
#endif

demo_counters_t demo_global_counters;

void alloc8_demo_stats_get(struct alloc8_demo_stats *out) {
    uint64_t sum[DEMO_COUNTERS];
    demo_tcache_lock();
    for (int i = 0; i < DEMO_COUNTERS; i++)
        sum[i] = atomic_load_explicit(&demo_global_counters.value[i], memory_order_relaxed);
    demo_tcache_sum_counters(sum);
    demo_tcache_unlock();
    out->malloc_calls = sum[DEMO_MALLOC];
    out->free_calls = sum[DEMO_FREE];
    out->memalign_calls = sum[DEMO_MEMALIGN];
    out->usable_size_calls = sum[DEMO_USABLE];
    out->bytes_requested = sum[DEMO_BYTES];
    out->large_allocs = sum[DEMO_LARGE];
    out->thread_caches = sum[DEMO_CACHES];
    out->thread_caches_reused = sum[DEMO_REUSED];
    out->thread_inits = sum[DEMO_THREAD_INIT];
    out->thread_cleanups = sum[DEMO_THREAD_CLEANUP];
    out->unhooked_caches = sum[DEMO_UNHOOKED];
    out->after_cleanup_calls = sum[DEMO_AFTER_CLEANUP];
    out->threads_created = (uint64_t)atomic_load_explicit(&demo_threads_created, memory_order_relaxed);
    out->locks_taken = sum[DEMO_LOCKS_TAKEN];
    out->locks_elided = sum[DEMO_LOCKS_ELIDED];
}

static char *demo_append(char *at, const char *text) {
    size_t n = strlen(text);
    memcpy(at, text, n);
    return at + n;
}

static char *demo_append_number(char *at, uint64_t value) {
    char digits[24];
    int n = 0;
    do
        digits[n++] = (char)('0' + value % 10);
    while ((value /= 10) != 0);
    while (n > 0)
        *at++ = digits[--n];
    return at;
}

/* Priority 101: the last destructor of this library, after the glue's (which cleans up the thread
 * that calls exit()), so the report includes that cleanup. */
__attribute__((destructor(101))) static void demo_report_at_exit(void) {
    const char *where = getenv("ALLOC8_DEMO_STATS");
    if (where == NULL || *where == '\0')
        return;
    struct alloc8_demo_stats s;
    alloc8_demo_stats_get(&s);
    static const char *const names[] = {
        " malloc=",  " free=",   " memalign=", " usable_size=", " bytes=",    " large=",
        " threads=", " reused=", " inits=",    " cleanups=",    " unhooked=", " after_cleanup="};
    const uint64_t values[] = {s.malloc_calls,    s.free_calls,      s.memalign_calls,  s.usable_size_calls,
                               s.bytes_requested, s.large_allocs,    s.thread_caches,   s.thread_caches_reused,
                               s.thread_inits,    s.thread_cleanups, s.unhooked_caches, s.after_cleanup_calls};
    char line[512], *at = demo_append(line, "alloc8-demo: pid=");
    at = demo_append_number(at, (uint64_t)getpid());
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++)
        at = demo_append_number(demo_append(at, names[i]), values[i]);
    *at++ = '\n';
    int to_stderr = strcmp(where, "stderr") == 0 || strcmp(where, "1") == 0;
    int fd = to_stderr ? STDERR_FILENO : open(where, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return;
    if (write(fd, line, (size_t)(at - line)) < 0) {
        /* nothing to be done at exit */
    }
    if (!to_stderr)
        close(fd);
}

/* SPDX-License-Identifier: MIT */
/* Allocator sources with 64 KiB of thread-local storage, far more than glibc's static TLS surplus
 * (about 1.6 KiB) that a dlopen'ed library with initial-exec thread-locals must fit into. Built into
 * a prefixed demo interposer to check that alloc8_add_interposer leaves the allocator's TLS model
 * alone (linux.tls_dlopen) and that TLS_MODEL initial-exec is applied (linux.tls_dlopen_initial_exec). */
#include <stddef.h>

static _Thread_local unsigned char big_tls_area[64 * 1024];

/* Marks one byte of the calling thread's area; returns how many bytes were marked in this thread. */
__attribute__((visibility("default"))) size_t big_tls_touch(size_t index) {
    index %= sizeof big_tls_area;
    if (big_tls_area[index] == 0) {
        big_tls_area[index] = 1;
        big_tls_area[0]++;
    }
    return big_tls_area[0];
}

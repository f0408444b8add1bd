/* SPDX-License-Identifier: MIT */
/* What the demo allocator needs from the operating system: address space, page size, yielding
 * the CPU, and a per-thread value with a destructor that runs when the thread ends. POSIX (Linux)
 * and Windows. */
#ifndef DEMO_OS_H
#define DEMO_OS_H

#include <stddef.h>
#include <stdint.h>

#ifdef _WIN32
#include <windows.h>

/* Reserve address space; demo_os_commit makes parts of it usable. NULL on failure. */
static inline void *demo_os_reserve(size_t size) {
    return VirtualAlloc(NULL, size, MEM_RESERVE, PAGE_NOACCESS);
}
static inline int demo_os_commit(void *at, size_t size) {
    return VirtualAlloc(at, size, MEM_COMMIT, PAGE_READWRITE) != NULL;
}
/* Reserved and committed at once; released whole by demo_os_unmap. NULL on failure. */
static inline void *demo_os_map(size_t size) {
    return VirtualAlloc(NULL, size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
}
static inline void demo_os_unmap(void *base, size_t size) {
    (void)size;
    VirtualFree(base, 0, MEM_RELEASE);
}
static inline size_t demo_os_page_size(void) {
    SYSTEM_INFO info;
    GetSystemInfo(&info);
    return info.dwPageSize;
}
static inline void demo_os_yield(void) {
    SwitchToThread();
}

/* A fiber-local slot: Windows calls the destructor when the thread ends (FlsAlloc). */
typedef DWORD demo_os_key;
static inline int demo_os_key_create(demo_os_key *key, PFLS_CALLBACK_FUNCTION destructor) {
    *key = FlsAlloc(destructor);
    return *key != FLS_OUT_OF_INDEXES;
}
static inline void demo_os_key_set(demo_os_key key, void *value) {
    FlsSetValue(key, value);
}
#define DEMO_OS_DESTRUCTOR(name) void WINAPI name(void *value)

/* A thread-local word in a Windows TLS slot; reading it leaves GetLastError() alone. */
typedef DWORD demo_os_tls;
static inline demo_os_tls demo_os_tls_alloc(void) {
    return TlsAlloc();
}
static inline uintptr_t demo_os_tls_get(demo_os_tls slot) {
    DWORD error = GetLastError();
    void *value = TlsGetValue(slot);
    SetLastError(error);
    return (uintptr_t)value;
}
static inline void demo_os_tls_set(demo_os_tls slot, uintptr_t value) {
    TlsSetValue(slot, (void *)value);
}
#else
#include <pthread.h>
#include <sched.h>

/* demo_os.c: mmap and friends (they need _GNU_SOURCE before any system header) */
void *demo_os_reserve(size_t size);
int demo_os_commit(void *at, size_t size);
void *demo_os_map(size_t size);
void demo_os_unmap(void *base, size_t size);
size_t demo_os_page_size(void);
static inline void demo_os_yield(void) {
    sched_yield();
}

/* A pthread key: glibc calls the destructor when the thread ends. */
typedef pthread_key_t demo_os_key;
static inline int demo_os_key_create(demo_os_key *key, void (*destructor)(void *)) {
    return pthread_key_create(key, destructor) == 0;
}
static inline void demo_os_key_set(demo_os_key key, void *value) {
    pthread_setspecific(key, value);
}
#define DEMO_OS_DESTRUCTOR(name) void name(void *value)
#endif

#endif

/* SPDX-License-Identifier: MIT */
/* Minimal declarations of libmalloc's public zone interface, for compile checks only.
   Matches libmalloc-792.1.1 include/malloc/malloc.h (field order and types of malloc_zone_t and
   malloc_introspection_t; the version each field appears in is noted), with the Mach types of
   xnu's mach/i386/vm_types.h, mach/arm/vm_types.h, mach/i386/boolean.h, mach/arm/boolean.h and
   mach/kern_return.h. Not Apple's text: written for alloc8's tests. */
#ifndef ALLOC8_TEST_MALLOC_MALLOC_H
#define ALLOC8_TEST_MALLOC_MALLOC_H

#include <stddef.h>
#include <stdint.h>

typedef uintptr_t vm_address_t;
typedef uintptr_t vm_size_t;
typedef int kern_return_t;
typedef unsigned int mach_port_t;
typedef mach_port_t task_t;
#if defined(__x86_64__)
typedef unsigned int boolean_t;
#else
typedef int boolean_t;
#endif
#define KERN_SUCCESS 0
typedef unsigned long long malloc_type_id_t;

struct malloc_introspection_t;

typedef struct _malloc_zone_t {
    void *reserved1; /* CFAllocator's */
    void *reserved2;
    size_t (*size)(struct _malloc_zone_t *zone, const void *ptr);
    void *(*malloc)(struct _malloc_zone_t *zone, size_t size);
    void *(*calloc)(struct _malloc_zone_t *zone, size_t num_items, size_t size);
    void *(*valloc)(struct _malloc_zone_t *zone, size_t size);
    void (*free)(struct _malloc_zone_t *zone, void *ptr);
    void *(*realloc)(struct _malloc_zone_t *zone, void *ptr, size_t size);
    void (*destroy)(struct _malloc_zone_t *zone);
    const char *zone_name;
    unsigned (*batch_malloc)(struct _malloc_zone_t *zone, size_t size, void **results, unsigned num_requested);
    void (*batch_free)(struct _malloc_zone_t *zone, void **to_be_freed, unsigned num_to_be_freed);
    struct malloc_introspection_t *introspect;
    unsigned version;
    void *(*memalign)(struct _malloc_zone_t *zone, size_t alignment, size_t size);                          /* 5 */
    void (*free_definite_size)(struct _malloc_zone_t *zone, void *ptr, size_t size);                        /* 6 */
    size_t (*pressure_relief)(struct _malloc_zone_t *zone, size_t goal);                                    /* 8 */
    boolean_t (*claimed_address)(struct _malloc_zone_t *zone, void *ptr);                                   /* 10 */
    void (*try_free_default)(struct _malloc_zone_t *zone, void *ptr);                                       /* 13 */
    void *(*malloc_with_options)(struct _malloc_zone_t *zone, size_t align, size_t size, uint64_t options); /* 15 */
    void *(*malloc_type_malloc)(struct _malloc_zone_t *zone, size_t size, malloc_type_id_t type_id);        /* 16 */
    void *(*malloc_type_calloc)(struct _malloc_zone_t *zone, size_t count, size_t size, malloc_type_id_t type_id);
    void *(*malloc_type_realloc)(struct _malloc_zone_t *zone, void *ptr, size_t size, malloc_type_id_t type_id);
    void *(*malloc_type_memalign)(struct _malloc_zone_t *zone, size_t alignment, size_t size, malloc_type_id_t type_id);
    void *(*malloc_type_malloc_with_options)(struct _malloc_zone_t *zone, size_t align, size_t size, uint64_t options,
                                             malloc_type_id_t type_id);
} malloc_zone_t;

extern malloc_zone_t *malloc_default_zone(void);
extern malloc_zone_t *malloc_default_purgeable_zone(void);
extern void malloc_zone_register(malloc_zone_t *zone);
extern void malloc_zone_unregister(malloc_zone_t *zone);
extern malloc_zone_t *malloc_zone_from_ptr(const void *ptr);
extern void malloc_zone_free(malloc_zone_t *zone, void *ptr);
extern size_t malloc_size(const void *ptr);
extern size_t malloc_good_size(size_t size);

typedef struct {
    vm_address_t address;
    vm_size_t size;
} vm_range_t;

typedef struct malloc_statistics_t {
    unsigned blocks_in_use;
    size_t size_in_use;
    size_t max_size_in_use;
    size_t size_allocated;
} malloc_statistics_t;

typedef kern_return_t memory_reader_t(task_t remote_task, vm_address_t remote_address, vm_size_t size,
                                      void **local_memory);
typedef void vm_range_recorder_t(task_t, void *, unsigned type, vm_range_t *, unsigned);
typedef void print_task_printer_t(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

typedef struct malloc_introspection_t {
    kern_return_t (*enumerator)(task_t task, void *, unsigned type_mask, vm_address_t zone_address,
                                memory_reader_t reader, vm_range_recorder_t recorder);
    size_t (*good_size)(malloc_zone_t *zone, size_t size);
    boolean_t (*check)(malloc_zone_t *zone);
    void (*print)(malloc_zone_t *zone, boolean_t verbose);
    void (*log)(malloc_zone_t *zone, void *address);
    void (*force_lock)(malloc_zone_t *zone);
    void (*force_unlock)(malloc_zone_t *zone);
    void (*statistics)(malloc_zone_t *zone, malloc_statistics_t *stats);
    boolean_t (*zone_locked)(malloc_zone_t *zone);
    boolean_t (*enable_discharge_checking)(malloc_zone_t *zone); /* 7 */
    void (*disable_discharge_checking)(malloc_zone_t *zone);     /* 7 */
    void (*discharge)(malloc_zone_t *zone, void *memory);        /* 7 */
#ifdef __BLOCKS__
    void (*enumerate_discharged_pointers)(malloc_zone_t *zone,
                                          void (^report_discharged)(void *memory, void *info)); /* 7 */
#else
    void *enumerate_unavailable_without_blocks;
#endif
    void (*reinit_lock)(malloc_zone_t *zone); /* 9 */
    void (*print_task)(task_t task, unsigned level, vm_address_t zone_address, memory_reader_t reader,
                       print_task_printer_t printer); /* 11 */
    void (*task_statistics)(task_t task, vm_address_t zone_address, memory_reader_t reader,
                            malloc_statistics_t *stats); /* 12 */
    unsigned zone_type;                                  /* 14 */
} malloc_introspection_t;

extern kern_return_t malloc_get_all_zones(task_t task, memory_reader_t reader, vm_address_t **addresses,
                                          unsigned *count);

#endif

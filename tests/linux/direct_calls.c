/* SPDX-License-Identifier: MIT */
/* spec.direct_calls (templates/linux/direct_calls.c.j2): which function each of this program's PLT
 * slots calls, read from the slots themselves after the calls below have gone through them.
 *   direct_calls [--relro] [--dlopen <library>] <name>=<expected> ...
 * <expected> is `glue` (the slot calls the interposer's definition: what dlsym(RTLD_DEFAULT) finds)
 * or `<library>:<symbol>` (the slot calls that library's own function: the interposer's definition
 * is one jump to it). With --relro (a program linked with -z now), every slot's page must also be
 * read-only again. --dlopen loads an interposer first with dlopen, where it must change nothing.
 * Then 100,000 blocks go through the slots, each written and read back. */
#define _GNU_SOURCE
#include "check.h"

#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct slot_query {
    const char *name;
    void **slot;
};

/* dl_iterate_phdr's callback for the first object (this program): the PLT slot of query->name. */
static int find_slot(struct dl_phdr_info *info, size_t size, void *data) {
    (void)size;
    struct slot_query *query = data;
    uintptr_t base = info->dlpi_addr;
    const ElfW(Dyn) *dynamic = NULL;
    for (int i = 0; i < info->dlpi_phnum; i++)
        if (info->dlpi_phdr[i].p_type == PT_DYNAMIC)
            dynamic = (const ElfW(Dyn) *)(base + info->dlpi_phdr[i].p_vaddr);
    const ElfW(Rela) *relocations = NULL;
    const ElfW(Sym) *symbols = NULL;
    const char *strings = NULL;
    size_t bytes = 0;
    for (const ElfW(Dyn) *d = dynamic; d != NULL && d->d_tag != DT_NULL; d++) {
        uintptr_t address = d->d_un.d_ptr < base ? base + d->d_un.d_ptr : d->d_un.d_ptr;
        if (d->d_tag == DT_JMPREL)
            relocations = (const ElfW(Rela) *)address;
        else if (d->d_tag == DT_PLTRELSZ)
            bytes = d->d_un.d_val;
        else if (d->d_tag == DT_SYMTAB)
            symbols = (const ElfW(Sym) *)address;
        else if (d->d_tag == DT_STRTAB)
            strings = (const char *)address;
    }
    for (size_t r = 0; relocations != NULL && r < bytes / sizeof *relocations; r++)
        if (ELF64_R_TYPE(relocations[r].r_info) == R_X86_64_JUMP_SLOT &&
            strcmp(strings + symbols[ELF64_R_SYM(relocations[r].r_info)].st_name, query->name) == 0)
            query->slot = (void **)(base + relocations[r].r_offset);
    return 1;
}

/* The permissions /proc/self/maps gives the mapping that holds `address` ("rw-p"), or "?". */
static void permissions(const void *address, char out[5]) {
    strcpy(out, "?");
    FILE *maps = fopen("/proc/self/maps", "r");
    if (maps == NULL)
        return;
    unsigned long start, end;
    char perms[5];
    while (fscanf(maps, "%lx-%lx %4s%*[^\n]", &start, &end, perms) == 3)
        if ((uintptr_t)address >= start && (uintptr_t)address < end) {
            memcpy(out, perms, 5);
            break;
        }
    fclose(maps);
}

/* What `expected` names: the interposer's definition of `name`, or a library's own symbol. */
static void *expected_function(const char *name, const char *expected) {
    if (strcmp(expected, "glue") == 0)
        return dlsym(RTLD_DEFAULT, name);
    char library[256];
    const char *colon = strchr(expected, ':');
    if (colon == NULL || (size_t)(colon - expected) >= sizeof library)
        return NULL;
    memcpy(library, expected, (size_t)(colon - expected));
    library[colon - expected] = '\0';
    void *handle = dlopen(library, RTLD_LAZY | RTLD_NOLOAD);
    return handle != NULL ? dlsym(handle, colon + 1) : NULL;
}

static void *volatile sink;

int main(int argc, char **argv) {
    int first = 1, relro = 0;
    if (first < argc && strcmp(argv[first], "--relro") == 0)
        relro = 1, first++;
    if (first + 1 < argc && strcmp(argv[first], "--dlopen") == 0) {
        CHECK(dlopen(argv[first + 1], RTLD_NOW | RTLD_LOCAL) != NULL, "dlopen %s: %s\n", argv[first + 1], dlerror());
        first += 2;
    }
    /* every name below goes through its PLT slot at least once (lazily bound slots are then set) */
    void *block = malloc(64), *aligned = aligned_alloc(64, 64), *memaligned = memalign(64, 64), *posix = NULL;
    CHECK(posix_memalign(&posix, 64, 64) == 0, "posix_memalign\n");
    void *zeroed = calloc(4, 16);
    block = realloc(block, 128);
    CHECK(block && aligned && memaligned && zeroed && malloc_usable_size(block) >= 128, "allocations\n");
    free(block);
    free(aligned);
    free(memaligned);
    free(posix);
    free(zeroed);

    for (int i = first; i < argc; i++) {
        char name[64];
        const char *equals = strchr(argv[i], '=');
        if (equals == NULL || (size_t)(equals - argv[i]) >= sizeof name) {
            printf("usage: direct_calls [--relro] [--dlopen <library>] <name>=<glue|library:symbol> ...\n");
            return 2;
        }
        memcpy(name, argv[i], (size_t)(equals - argv[i]));
        name[equals - argv[i]] = '\0';
        struct slot_query query = {name, NULL};
        dl_iterate_phdr(find_slot, &query);
        void *want = expected_function(name, equals + 1);
        CHECK(query.slot != NULL, "%s: this program has no PLT slot for it\n", name);
        CHECK(want != NULL, "%s: %s not found\n", name, equals + 1);
        if (query.slot == NULL || want == NULL)
            continue;
        void *got = *query.slot;
        Dl_info got_info = {0}, want_info = {0};
        (void)dladdr(got, &got_info);
        (void)dladdr(want, &want_info);
        CHECK(got == want, "%s: the PLT slot calls %p (%s in %s), not %s (%p in %s)\n", name, got,
              got_info.dli_sname ? got_info.dli_sname : "?", got_info.dli_fname ? got_info.dli_fname : "?", equals + 1,
              want, want_info.dli_fname ? want_info.dli_fname : "?");
        if (relro) {
            char perms[5];
            permissions(query.slot, perms);
            CHECK(strcmp(perms, "r--p") == 0, "%s: the PLT slot's page is %s, not read-only (r--p)\n", name, perms);
        }
    }

    /* the slots as they now are serve many blocks */
    for (int i = 0; i < 100000; i++) {
        size_t size = 1 + (size_t)(i % 1000);
        unsigned char *p = malloc(size);
        if (p == NULL) {
            CHECK(0, "malloc(%zu) failed\n", size);
            break;
        }
        memset(p, i & 0xff, size);
        sink = p;
        if (p[size - 1] != (i & 0xff) || p[0] != (i & 0xff)) {
            CHECK(0, "block %d lost its contents\n", i);
            break;
        }
        free(p);
    }
    return check_report("direct_calls");
}

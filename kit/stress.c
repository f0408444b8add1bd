/* SPDX-License-Identifier: MIT */
/* kit/stress.c: a seeded, reproducible, randomized differential stress of the whole C API
 * (docs/checking.md).
 *
 *   stress [facts...] [--seed S] [--ops N] [--trace FILE]
 *
 * N operations (200000 by default) drawn from the seed alone: malloc, calloc, realloc (growing,
 * shrinking, to 0, from NULL), memalign, posix_memalign, aligned_alloc (alignments 16 B to
 * 64 KiB), valloc, pvalloc, free, free_sized, free_aligned_sized, malloc_usable_size, and
 * requests that must fail (impossible sizes, bad alignments), over 1024 slots, with sizes in
 * every size class from 0 B to 4 MiB (5% of them a power of two or a byte either side, 1 B to
 * 64 KiB). Every block carries a pattern, checked before it is
 * resized or freed and at the end; every new block is checked against every live one (disjoint,
 * also as malloc_usable_size reports it), for its alignment and its usable size.
 *
 * Each operation's observable outcome (the call, success or the error, never an address or a
 * usable size) is one line; their FNV-1a hash is the digest printed at the end. The driver runs
 * the program under the interposer and under plain glibc (--reference) with the same seed: the
 * digests must be equal. --trace FILE writes the lines, so that the driver can show the first
 * one that differs. A check that fails stops the run with the block's history and the seed. */
#define _GNU_SOURCE
#include "kit.h"

#include <fcntl.h>

#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12
#pragma GCC diagnostic ignored "-Wuse-after-free" /* blocks are read after a realloc that FAILED */
#endif

enum { SLOTS = 1024, HISTORY = 240, RING = 4096, FULL_PATTERN = 4096 };

struct block {
    unsigned char *p;
    size_t size;   /* requested */
    size_t usable; /* malloc_usable_size when it was made or resized */
    size_t align;  /* what it must be aligned to */
    uint32_t tag;  /* the pattern's seed */
    int aligned_form;
    int sized;             /* how it may be freed with a size (C23): 1 free_sized (malloc, calloc, realloc),
                              2 free_aligned_sized (aligned_alloc), 0 neither (memalign, valloc, ...) */
    char history[HISTORY]; /* the calls that made it: "malloc(300) [op 12]; p = realloc(p, 8) [op 40]" */
};

struct freed {
    uintptr_t lo, hi;
    long op;
    char history[HISTORY]; /* the calls that made it */
    char how[64];          /* the call that freed it */
};

static struct block slots[SLOTS];
static uintptr_t live_lo[SLOTS], live_hi[SLOTS];   /* [p, p + size) of each live block; 0 when empty */
static uintptr_t live_ulo[SLOTS], live_uhi[SLOTS]; /* [p, p + usable) */
static struct freed ring[RING];
static long ring_next;
static uint64_t seed = 1, digest = 0xcbf29ce484222325ull;
static long ops = 200000, op;
static int trace_fd = -1, stopped;
static long allocations, failures_expected;
static char desc[160];

/* ---- patterns --------------------------------------------------------------------------------- */

static uint64_t word_at(uint32_t tag, size_t i) {
    return (((uint64_t)tag << 32) | tag) ^ (((uint64_t)(i >> 3) + 1) * 0x9E3779B97F4A7C15ull);
}

static unsigned char byte_at(uint32_t tag, size_t i) {
    uint64_t w = word_at(tag, i & ~(size_t)7);
    unsigned char b[8];
    memcpy(b, &w, 8);
    return b[i & 7];
}

static void fill_range(unsigned char *p, size_t from, size_t to, uint32_t tag) {
    size_t i = from;
    for (; i < to && (i & 7) != 0; i++)
        p[i] = byte_at(tag, i);
    for (; i + 8 <= to; i += 8) {
        uint64_t w = word_at(tag, i);
        memcpy(p + i, &w, 8);
    }
    for (; i < to; i++)
        p[i] = byte_at(tag, i);
}

/* The first offset in [from, to) that is not the pattern (zero: zeroes), or SIZE_MAX. */
static size_t check_range(const unsigned char *p, size_t from, size_t to, uint32_t tag, int zero) {
    size_t i = from;
    for (; i < to && (i & 7) != 0; i++)
        if (p[i] != (zero ? 0 : byte_at(tag, i)))
            return i;
    for (; i + 8 <= to; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        if (w != (zero ? 0 : word_at(tag, i)))
            break;
    }
    for (; i < to; i++)
        if (p[i] != (zero ? 0 : byte_at(tag, i)))
            return i;
    return SIZE_MAX;
}

/* The regions of a block of `size` bytes that carry the pattern: all of it up to 4 KiB; beyond,
   the first and last KiB and six windows of 64 bytes between (large blocks stay mostly
   untouched, so the run does not fault in every page). */
static int regions(size_t size, size_t from[8], size_t to[8]) {
    if (size <= FULL_PATTERN) {
        from[0] = 0, to[0] = size;
        return 1;
    }
    from[0] = 0, to[0] = 1024;
    from[1] = size - 1024, to[1] = size;
    for (int k = 1; k <= 6; k++) {
        from[k + 1] = (size / 7 * (size_t)k) & ~(size_t)7;
        to[k + 1] = from[k + 1] + 64;
    }
    return 8;
}

static void fill_block(unsigned char *p, size_t size, uint32_t tag) {
    size_t from[8], to[8];
    int n = regions(size, from, to);
    for (int r = 0; r < n; r++)
        fill_range(p, from[r], to[r], tag);
}

/* The first offset below `limit` of the pattern of a `size`-byte block that is wrong, or SIZE_MAX. */
static size_t check_block(const unsigned char *p, size_t size, size_t limit, uint32_t tag, int zero) {
    size_t from[8], to[8];
    int n = regions(size, from, to);
    size_t first = SIZE_MAX;
    for (int r = 0; r < n; r++) {
        size_t end = to[r] < limit ? to[r] : limit;
        if (from[r] >= end)
            continue;
        size_t at = check_range(p, from[r], end, tag, zero);
        if (at < first)
            first = at;
    }
    return first;
}

/* ---- outcomes, digest and failures ------------------------------------------------------------ */

static void outcome(const char *result) {
    char line[256];
    int n = snprintf(line, sizeof line, "op %ld: %s -> %s\n", op, desc, result);
    if (n < 0)
        return;
    size_t length = (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;
    for (size_t i = 0; i < length; i++) {
        digest ^= (unsigned char)line[i];
        digest *= 0x100000001b3ull;
    }
    if (trace_fd >= 0 && write(trace_fd, line, length) < 0)
        trace_fd = -1;
}

static void history_add(struct block *b, const char *call) {
    size_t used = strlen(b->history);
    char item[200];
    snprintf(item, sizeof item, "%s%s [op %ld]", used ? "; " : "", call, op);
    if (used + strlen(item) + 1 > HISTORY) { /* keep the first call and the latest ones */
        char *first_end = strchr(b->history, ';');
        if (first_end != NULL)
            snprintf(first_end, HISTORY - (size_t)(first_end - b->history), "; ...");
        used = strlen(b->history);
        if (used + strlen(item) + 1 > HISTORY)
            return;
    }
    memcpy(b->history + used, item, strlen(item) + 1);
}

/* The most recent free whose block covered `address` (its history), or NULL. */
static const struct freed *freed_at(uintptr_t address) {
    for (long i = ring_next - 1; i >= 0 && i >= ring_next - RING; i--) {
        const struct freed *f = &ring[i % RING];
        if (address >= f->lo && address < f->hi)
            return f;
    }
    return NULL;
}

static void remember_free(const struct block *b, const char *how) {
    struct freed *f = &ring[ring_next++ % RING];
    f->lo = (uintptr_t)b->p;
    f->hi = (uintptr_t)b->p + (b->size ? b->size : 1);
    f->op = op;
    snprintf(f->history, sizeof f->history, "%s", b->history);
    snprintf(f->how, sizeof f->how, "%s", how);
}

static void stress_fail(const char *who, const char *contract, const char *format, ...) KIT_PRINTF(3, 4);
static void stress_fail(const char *who, const char *contract, const char *format, ...) {
    char what[1200];
    va_list ap;
    va_start(ap, format);
    vsnprintf(what, sizeof what, format, ap);
    va_end(ap);
    atomic_fetch_add(&kit_failures, 1);
    kit_fail(who, contract, "seed %llu, op %ld: %s (replay: stress --seed %llu --ops %ld)", (unsigned long long)seed,
             op, what, (unsigned long long)seed, op + 1);
    stopped = 1;
}

/* ---- the operations --------------------------------------------------------------------------- */

static size_t pick_size(uint64_t r) {
    unsigned bucket = (unsigned)(r % 1000);
    r /= 1000;
    if (bucket < 10)
        return 0;
    if (bucket < 60) { /* a power of two, or a byte either side: where size classes and fast paths change
                          (mimalloc 2.0.9 misaligns blocks of 256 to 1024 bytes aligned to more than 128) */
        size_t edge = (size_t)1 << (r % 17); /* 1 B .. 64 KiB */
        return edge - 1 + (size_t)((r / 17) % 3);
    }
    unsigned e;
    if (bucket < 650)
        e = (unsigned)(r % 9); /* 1 B .. 511 B */
    else if (bucket < 950)
        e = 9 + (unsigned)(r % 5); /* 512 B .. 16 KiB */
    else if (bucket < 992)
        e = 14 + (unsigned)(r % 4); /* 16 KiB .. 256 KiB */
    else if (bucket < 998)
        e = 18 + (unsigned)(r % 2); /* 256 KiB .. 1 MiB */
    else
        e = 20 + (unsigned)(r % 2); /* 1 MiB .. 4 MiB */
    r /= 16;
    size_t base = (size_t)1 << e;
    return base + (size_t)(r % base);
}

/* Check a block just made in slot s (all of its fields set) against every live one, its
   alignment and usable size; `who` made it. 0 when a check failed. */
static int admit(int s, const char *who) {
    struct block *b = &slots[s];
    char whos[160];
    if (!kit_aligned(b->p, b->align)) {
        stress_fail(who, b->aligned_form ? C_ALIGNED : C_ALIGNMENT, "p = %s -> %p, not %zu-aligned", b->history,
                    (void *)b->p, b->align);
        return 0;
    }
    if (b->usable < b->size) {
        stress_fail("entry.usable_size", C_USABLE, "p = %s; malloc_usable_size(p) -> %zu", b->history, b->usable);
        return 0;
    }
    uintptr_t lo = (uintptr_t)b->p, hi = lo + (b->size ? b->size : 1), uhi = lo + b->usable;
    for (int t = 0; t < SLOTS; t++) {
        if (t == s || live_lo[t] == 0)
            continue;
        if (lo < live_hi[t] && live_lo[t] < hi) {
            const struct freed *f = freed_at(lo);
            snprintf(whos, sizeof whos, "%s+entry.free", who);
            char before[HISTORY + 128] = "";
            if (f != NULL)
                snprintf(before, sizeof before, "; before, that memory was the block made by %s, freed by %s [op %ld]",
                         f->history, f->how, f->op);
            stress_fail(whos, C_DISJOINT, "q = %s -> %p overlaps the live p = %s -> %p (size %zu, not freed)%s",
                        b->history, (void *)b->p, slots[t].history, (void *)slots[t].p, slots[t].size, before);
            return 0;
        }
        if (lo < live_uhi[t] && live_ulo[t] < uhi) {
            int q_first = lo < live_ulo[t];
            stress_fail("entry.usable_size", C_USABLE_WRITABLE,
                        "p = %s -> %p and q = %s -> %p: malloc_usable_size(%s) -> %zu reaches into %s", b->history,
                        (void *)b->p, slots[t].history, (void *)slots[t].p, q_first ? "p" : "q",
                        q_first ? b->usable : slots[t].usable, q_first ? "q" : "p");
            return 0;
        }
    }
    live_lo[s] = lo, live_hi[s] = hi, live_ulo[s] = lo, live_uhi[s] = uhi;
    return 1;
}

static void forget(int s) {
    live_lo[s] = live_hi[s] = live_ulo[s] = live_uhi[s] = 0;
    slots[s].p = NULL;
    slots[s].history[0] = '\0';
}

/* The pattern of slot s, checked up to `limit` bytes before `call`; 0 when it failed. */
static int intact(int s, size_t limit, const char *call) {
    struct block *b = &slots[s];
    size_t at = check_block(b->p, b->size, limit < b->size ? limit : b->size, b->tag, 0);
    if (at == SIZE_MAX)
        return 1;
    uintptr_t where = (uintptr_t)b->p + at;
    int culprit = -1;
    for (int t = 0; t < SLOTS; t++)
        if (t != s && live_lo[t] != 0 && where >= live_lo[t] && where < live_uhi[t])
            culprit = t;
    const struct freed *f = freed_at(where);
    char before[HISTORY + 128] = "";
    if (f != NULL)
        snprintf(before, sizeof before, "; before, that byte was in the block made by %s, freed by %s [op %ld]",
                 f->history, f->how, f->op);
    stress_fail("entry.malloc+entry.free", C_INTACT,
                "p = %s; written with its pattern; before %s, byte %zu of p (%p) changed to %#x%s%s%s", b->history,
                call, at, (void *)where, b->p[at], culprit >= 0 ? "; it lies inside the live block q = " : "",
                culprit >= 0 ? slots[culprit].history : "", before);
    return 0;
}

static const char *form_entry(const char *form, size_t alignment) {
    if (strcmp(form, "calloc") == 0)
        return kit_bound("calloc") ? "entry.calloc" : kit_plain_entry();
    if (strcmp(form, "realloc") == 0)
        return "entry.realloc";
    if (strcmp(form, "malloc") == 0 || alignment <= 16)
        return kit_plain_entry();
    return "entry.aligned";
}

static void allocate(int s, uint64_t r1, uint64_t r2) {
    struct block *b = &slots[s];
    size_t size = pick_size(r2);
    unsigned form = (unsigned)(r1 % 100);
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t alignment = (size_t)16 << ((r1 / 100) % 13); /* 16 B .. 64 KiB */
    const char *name;
    void *p = NULL;
    int rc = 0;
    b->aligned_form = 1;
    b->sized = 0;
    b->align = alignment;
    if (form < 50) {
        name = "malloc";
        snprintf(desc, sizeof desc, "s%d = malloc(%zu)", s, size);
        p = A.malloc(size);
        b->aligned_form = 0;
        b->sized = 1;
        b->align = kit_min_alignment(size);
    } else if (form < 65) {
        name = "calloc";
        size_t count = size % 3 == 0 && size ? 3 : 1;
        snprintf(desc, sizeof desc, "s%d = calloc(%zu, %zu)", s, count, size / count);
        p = A.calloc(count, size / count);
        size = count * (size / count);
        b->aligned_form = 0;
        b->sized = 1;
        b->align = kit_min_alignment(size);
    } else if (form < 71) {
        name = "realloc";
        snprintf(desc, sizeof desc, "s%d = realloc(NULL, %zu)", s, size);
        p = A.realloc(NULL, size);
        b->aligned_form = 0;
        b->sized = 1;
        b->align = kit_min_alignment(size);
    } else if (form < 78) {
        name = "memalign";
        if ((r1 / 100000) % 8 == 0) { /* not a power of two: rounded up */
            alignment = alignment / 16 * 24;
            b->align = alignment / 24 * 32;
        }
        snprintf(desc, sizeof desc, "s%d = memalign(%zu, %zu)", s, alignment, size);
        p = A.memalign(alignment, size);
    } else if (form < 85) {
        name = "posix_memalign";
        snprintf(desc, sizeof desc, "posix_memalign(&s%d, %zu, %zu)", s, alignment, size);
        rc = A.posix_memalign(&p, alignment, size);
        if (rc != 0)
            p = NULL;
    } else if (form < 93) {
        name = "aligned_alloc";
        snprintf(desc, sizeof desc, "s%d = aligned_alloc(%zu, %zu)", s, alignment, size);
        p = A.aligned_alloc(alignment, size);
        b->sized = 2;
    } else if (form < 97) {
        name = "valloc";
        alignment = b->align = page;
        snprintf(desc, sizeof desc, "s%d = valloc(%zu)", s, size);
        p = A.valloc(size);
    } else {
        name = "pvalloc";
        alignment = b->align = page;
        size += size == 0; /* glibc's pvalloc(0) is not a page */
        snprintf(desc, sizeof desc, "s%d = pvalloc(%zu)", s, size);
        p = A.pvalloc(size);
        size = (size + page - 1) / page * page;
    }
    int e = errno;
    char call[120]; /* the call as the FAIL lines show it: "malloc(300)" */
    const char *made = strstr(desc, " = ");
    if (made != NULL)
        snprintf(call, sizeof call, "%s", made + 3);
    else
        snprintf(call, sizeof call, "posix_memalign(&p, %zu, %zu)", alignment, size);
    if (p == NULL) {
        char result[64];
        snprintf(result, sizeof result, "NULL, %s", rc ? "error" : e == ENOMEM ? "ENOMEM" : "other errno");
        outcome(result);
        stress_fail(form_entry(name, alignment), C_MALLOC_OK, "p = %s -> NULL (errno %d, posix_memalign %d)", call, e,
                    rc);
        return;
    }
    allocations++;
    b->p = p;
    b->size = size;
    b->usable = A.usable_size(p);
    b->tag = (uint32_t)(r2 >> 40) | 1;
    b->history[0] = '\0';
    history_add(b, call);
    int zero_ok = 1;
    if (strcmp(name, "calloc") == 0) {
        size_t at = check_block(p, size, size, 0, 1);
        zero_ok = at == SIZE_MAX;
        if (!zero_ok) {
            const char *contract = C_CALLOC_ZERO;
            const char *who = "entry.calloc";
            if (!kit_bound("calloc") && K.zeroed_from && size >= K.zeroed_from) {
                contract = C_ZEROED_FROM;
                who = "entry.malloc+guarantees.zeroed_from";
            }
            outcome("ok, not zeroed");
            stress_fail(who, contract, "p = %s -> byte %zu is %#x, not 0", call, at, ((unsigned char *)p)[at]);
            live_lo[s] = 0;
            return;
        }
    }
    outcome("ok");
    if (!admit(s, form_entry(name, alignment))) {
        b->p = NULL; /* not freed: the heap is suspect */
        return;
    }
    fill_block(p, size, b->tag);
}

static void release(int s, uint64_t r1) {
    struct block *b = &slots[s];
    unsigned how = (unsigned)(r1 % 10);
    if (how < 2 && how + 1 != (unsigned)b->sized) /* the sized frees only for the blocks C23 allows */
        how = 2;
    char call[80];
    if (how == 0) {
        snprintf(desc, sizeof desc, "free_sized(s%d, %zu)", s, b->size);
        snprintf(call, sizeof call, "free_sized(p, %zu)", b->size);
    } else if (how == 1) {
        snprintf(desc, sizeof desc, "free_aligned_sized(s%d, %zu, %zu)", s, b->align, b->size);
        snprintf(call, sizeof call, "free_aligned_sized(p, %zu, %zu)", b->align, b->size);
    } else {
        snprintf(desc, sizeof desc, "free(s%d)", s);
        snprintf(call, sizeof call, "free(p)");
    }
    if (!intact(s, b->size, call))
        return;
    errno = 3333;
    if (how == 0 && A.free_sized != NULL)
        A.free_sized(b->p, b->size);
    else if (how == 1 && A.free_aligned_sized != NULL)
        A.free_aligned_sized(b->p, b->align, b->size);
    else
        A.free(b->p);
    int e = errno;
    outcome(e == 3333 ? "errno kept" : "errno changed");
    if (e != 3333) {
        stress_fail(K.free_preserves_errno ? "entry.free+guarantees.free_preserves_errno" : "the glue", C_FREE_ERRNO,
                    "p = %s; errno = 3333; %s -> errno %d", b->history, call, e);
        return;
    }
    remember_free(b, call);
    forget(s);
}

static void resize(int s, uint64_t r1, uint64_t r2) {
    struct block *b = &slots[s];
    unsigned how = (unsigned)(r1 % 100);
    size_t size;
    if (how < 2)
        size = 0;
    else if (how < 10)
        size = b->size; /* the same size */
    else if (how < 40)
        size = b->size / 2 + (size_t)(r2 % (b->size / 2 + 1)); /* shrink a little */
    else
        size = pick_size(r2);
    char call[80];
    snprintf(desc, sizeof desc, "s%d = realloc(s%d, %zu)", s, s, size);
    snprintf(call, sizeof call, "p = realloc(p, %zu)", size);
    if (!intact(s, b->size, call))
        return;
    size_t old_size = b->size, old_usable = b->usable;
    uint32_t old_tag = b->tag;
    unsigned char *old = b->p;
    unsigned char *p = A.realloc(old, size);
    int e = errno;
    if (size == 0) {
        outcome(p == NULL ? "NULL (freed)" : "a block");
        if (p != NULL) {
            stress_fail("the glue's realloc", C_REALLOC_EDGES, "p = %s; realloc(p, 0) -> %p (expected NULL, p freed)",
                        b->history, (void *)p);
            return;
        }
        remember_free(b, call);
        forget(s);
        return;
    }
    if (p == NULL) {
        outcome(e == ENOMEM ? "NULL, ENOMEM" : "NULL, other errno");
        stress_fail("entry.realloc", C_MALLOC_OK, "p = %s; %s -> NULL (errno %d)", b->history, call, e);
        return;
    }
    outcome("ok");
    live_lo[s] = live_hi[s] = live_ulo[s] = live_uhi[s] = 0;
    b->p = p;
    b->size = size;
    b->usable = A.usable_size(p);
    b->align = kit_min_alignment(size); /* realloc promises only the plain alignment */
    history_add(b, call);
    size_t keep = old_size < size ? old_size : size;
    size_t at = check_block(p, old_size, keep, old_tag, 0);
    if (at != SIZE_MAX) {
        stress_fail("entry.realloc", C_REALLOC_KEEPS,
                    "p = %s (old usable size %zu) -> byte %zu of the %zu kept changed to %#x", b->history, old_usable,
                    at, keep, p[at]);
        return;
    }
    b->aligned_form = 0;
    b->sized = 1;
    if (!admit(s, "entry.realloc")) {
        b->p = NULL;
        return;
    }
    (void)old;
    b->tag = (uint32_t)(r2 >> 40) | 1;
    fill_block(p, size, b->tag);
}

static void inspect(int s) {
    struct block *b = &slots[s];
    snprintf(desc, sizeof desc, "malloc_usable_size(s%d) >= %zu", s, b->size);
    size_t u = A.usable_size(b->p);
    outcome(u >= b->size ? "yes" : "no");
    if (u != b->usable)
        stress_fail("entry.usable_size", C_USABLE_STABLE, "p = %s; malloc_usable_size(p) -> %zu, later -> %zu",
                    b->history, b->usable, u);
    else
        intact(s, b->size, "malloc_usable_size(p)");
}

/* Requests that must fail, and how (the outcome line says it; the digest compares it). */
static void impossible(uint64_t r1) {
    unsigned what = (unsigned)(r1 % 6);
    void *p = NULL;
    int rc = 0;
    errno = 0;
    failures_expected++;
    switch (what) {
    case 0:
        snprintf(desc, sizeof desc, "malloc(SIZE_MAX - %u)", (unsigned)((r1 >> 8) % 4096));
        p = A.malloc(kit_opaque(SIZE_MAX - (r1 >> 8) % 4096));
        break;
    case 1:
        snprintf(desc, sizeof desc, "calloc(2^33, 2^33 + %u)", (unsigned)((r1 >> 8) % 64));
        p = A.calloc(kit_opaque((size_t)1 << 33), ((size_t)1 << 33) + (r1 >> 8) % 64);
        break;
    case 2:
        snprintf(desc, sizeof desc, "memalign(SIZE_MAX / 2 + 2, 16)");
        p = A.memalign(kit_opaque(SIZE_MAX / 2 + 2), 16);
        break;
    case 3: {
        size_t bad = 24 + 8 * ((r1 >> 8) % 4) * 2; /* 24, 40, 56, 72 */
        void *sentinel = (void *)(uintptr_t)0x1234;
        p = sentinel;
        snprintf(desc, sizeof desc, "posix_memalign(&x, %zu, 100)", bad);
        rc = A.posix_memalign(&p, kit_opaque(bad), 100);
        if (p == sentinel)
            p = NULL;
        break;
    }
    case 4:
        snprintf(desc, sizeof desc, "aligned_alloc(64, SIZE_MAX - 63)");
        p = A.aligned_alloc(64, kit_opaque(SIZE_MAX - 63));
        break;
    default:
        snprintf(desc, sizeof desc, "pvalloc(SIZE_MAX - 100)");
        p = A.pvalloc(kit_opaque(SIZE_MAX - 100));
        break;
    }
    int e = errno;
    char result[64];
    if (what == 3)
        snprintf(result, sizeof result, "%s%s",
                 rc == EINVAL ? "EINVAL"
                 : rc == 0    ? "0"
                              : "other error",
                 p ? ", *memptr changed" : "");
    else
        snprintf(result, sizeof result, "%s, %s", p ? "a block" : "NULL",
                 e == ENOMEM   ? "ENOMEM"
                 : e == EINVAL ? "EINVAL"
                 : e == 0      ? "errno 0"
                               : "other errno");
    outcome(result);
    if (p != NULL)
        A.free(p);
}

/* A failed realloc of a live block: NULL, ENOMEM, the block unchanged. */
static void impossible_resize(int s, uint64_t r1) {
    struct block *b = &slots[s];
    size_t huge = (size_t)PTRDIFF_MAX + 1 + (size_t)(r1 % 4096);
    snprintf(desc, sizeof desc, "realloc(s%d, PTRDIFF_MAX + %zu)", s, huge - (size_t)PTRDIFF_MAX);
    errno = 0;
    void *p = A.realloc(b->p, kit_opaque(huge));
    int e = errno;
    outcome(p ? "a block" : e == ENOMEM ? "NULL, ENOMEM" : "NULL, other errno");
    failures_expected++;
    if (p != NULL) {
        b->p = p; /* cannot be: the block now is what it returned */
        stress_fail("entry.realloc", C_ENOMEM, "p = %s; realloc(p, %#zx) -> %p", b->history, huge, p);
        return;
    }
    char call[80]; /* errno is in the outcome: the digest compares it with glibc's */
    snprintf(call, sizeof call, "realloc(p, %#zx) -> NULL, then any use of p", huge);
    intact(s, b->size, call);
}

int main(int argc, char **argv) {
    int next = kit_begin("stress", argc, argv, 600);
    const char *trace = NULL;
    for (int i = next; i < argc; i++) {
        if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
            seed = kit_number(argv[++i]);
        else if (strcmp(argv[i], "--ops") == 0 && i + 1 < argc)
            ops = (long)kit_number(argv[++i]);
        else if (strcmp(argv[i], "--trace") == 0 && i + 1 < argc)
            trace = argv[++i];
        else
            kit_usage(argv[i]);
    }
    if (trace != NULL) {
        trace_fd = open(trace, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (trace_fd < 0)
            kit_usage(trace);
    }
    uint64_t state = seed;
    kit_phase("stress: the random operations (the last FAIL line, if any, says which)");
    for (op = 0; op < ops && !stopped; op++) {
        uint64_t r0 = kit_random(&state), r1 = kit_random(&state), r2 = kit_random(&state);
        int s = (int)(r0 % SLOTS);
        unsigned kind = (unsigned)((r0 >> 32) % 1000);
        if (kind < 3) {
            impossible(r1);
        } else if (slots[s].p == NULL) {
            allocate(s, r1, r2);
        } else if (kind < 8) {
            impossible_resize(s, r1);
        } else if (kind < 450) {
            release(s, r1);
        } else if (kind < 800) {
            resize(s, r1, r2);
        } else {
            inspect(s);
        }
    }
    long done = op;
    kit_phase("stress: freeing what is left");
    for (int s = 0; s < SLOTS && !stopped; s++)
        if (slots[s].p != NULL) {
            snprintf(desc, sizeof desc, "free(s%d) at the end", s);
            if (intact(s, slots[s].size, "the final free(p)")) {
                A.free(slots[s].p);
                outcome("ok");
                forget(s);
            }
        }
    if (trace_fd >= 0)
        close(trace_fd);
    kit_say("stress: seed %llu, %ld operations, %ld blocks made, %ld requests that must fail", (unsigned long long)seed,
            done, allocations, failures_expected);
    kit_say("digest: %016llx%s", (unsigned long long)digest,
            stopped ? " (incomplete: the run stopped at a failure)" : "");
    atomic_store(&kit_checks, (int)done); /* every operation is checked */
    return kit_report();
}

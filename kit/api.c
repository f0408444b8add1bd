/* SPDX-License-Identifier: MIT */
/* kit/api.c: the C API's semantics through the glue, for the allocator behind it (docs/checking.md).
 *
 *   api [facts...]          (kit.h lists the facts; the driver passes them from the spec)
 *
 * Every size from 0 to 4100 bytes and large ones, each alignment from 1 byte to 1 MiB through
 * memalign, posix_memalign and aligned_alloc, valloc and pvalloc: the block is there, aligned
 * (16 bytes on x86_64, guarantees.alignment, the alignment asked for), disjoint from the other
 * live blocks, malloc_usable_size is at least the size asked for, stays the same until the block
 * is freed and reports bytes that are the block's alone; calloc zeroes reused memory and refuses
 * overflowing products; realloc keeps the contents and its edge cases are glibc's; failed
 * allocations set ENOMEM and leave what they were given untouched; the freeing functions keep
 * errno. Each failure prints the smallest call sequence that shows it, once per check. */
#define _GNU_SOURCE
#include "kit.h"

#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12
#pragma GCC diagnostic ignored "-Wuse-after-free" /* blocks are read after a realloc that FAILED */
#endif

static char errno_who[160];

/* Who answers for errno after a failed allocation through `entry`: the entry itself when the spec
 * says it sets errno, the glue otherwise. */
static const char *enomem_who(const char *entry) {
    snprintf(errno_who, sizeof errno_who, "%s+guarantees.sets_errno (%s)", entry, K.sets_errno);
    return errno_who;
}

static const char *free_errno_who(void) {
    return K.free_preserves_errno ? "entry.free+guarantees.free_preserves_errno (true)"
                                  : "the glue (guarantees.free_preserves_errno: false: it saves errno)";
}

/* Who zeroes a calloc block of `size` bytes. */
static const char *calloc_who(size_t size, const char **contract) {
    if (kit_bound("calloc")) {
        *contract = C_CALLOC_ZERO;
        return "entry.calloc";
    }
    if (K.zeroed_from != 0 && size >= K.zeroed_from) {
        *contract = C_ZEROED_FROM;
        return "entry.malloc+guarantees.zeroed_from";
    }
    *contract = "\"calloc: overflow check (ENOMEM), then malloc + memset\" (docs/spec.md, the derived calloc)";
    return "entry.calloc";
}

static void fill(unsigned char *p, size_t n, unsigned char seed) {
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)(seed + i * 7);
}

/* The first offset below n where the block differs from fill(seed), or n. */
static size_t first_change(const unsigned char *p, size_t n, unsigned char seed) {
    for (size_t i = 0; i < n; i++)
        if (p[i] != (unsigned char)(seed + i * 7))
            return i;
    return n;
}

/* ---- malloc: every small size, large sizes, zero ---------------------------------------------- */

/* One block of `n` bytes from malloc: there, aligned, usable_size >= n, all usable bytes
   writable; returns it (or NULL). */
static unsigned char *one_block(size_t n) {
    errno = 0;
    unsigned char *p = A.malloc(n);
    KIT_CHECK(p != NULL, kit_plain_entry(), C_MALLOC_OK, "p = malloc(%zu) -> NULL (errno %d)", n, errno);
    if (p == NULL)
        return NULL;
    size_t need = kit_min_alignment(n);
    KIT_CHECK(kit_aligned(p, need), kit_plain_entry(), C_ALIGNMENT, "p = malloc(%zu) -> %p, not %zu-aligned", n,
              (void *)p, need);
    size_t u = A.usable_size(p);
    KIT_CHECK(u >= n, "entry.usable_size", C_USABLE, "p = malloc(%zu); malloc_usable_size(p) -> %zu", n, u);
    return p;
}

static void check_sizes(void) {
    kit_phase("api: malloc of every size from 0 to 4100 bytes");
    for (size_t n = 0; n <= 4100; n++) {
        unsigned char *p = one_block(n);
        if (p == NULL)
            continue;
        size_t u = A.usable_size(p);
        fill(p, u, (unsigned char)n);
        size_t again = A.usable_size(p);
        KIT_CHECK(again == u, "entry.usable_size", C_USABLE_STABLE,
                  "p = malloc(%zu); malloc_usable_size(p) -> %zu; write %zu bytes; malloc_usable_size(p) -> %zu", n, u,
                  u, again);
        KIT_CHECK(first_change(p, u, (unsigned char)n) == u, "entry.malloc+entry.usable_size", C_INTACT,
                  "p = malloc(%zu); write its %zu usable bytes; read them back -> changed at offset %zu", n, u,
                  first_change(p, u, (unsigned char)n));
        A.free(p);
    }
    kit_phase("api: large blocks");
    static const size_t big[] = {65535, 65536, 65537, 100000, 131072, 262145, 1 << 20, (1 << 22) + 3};
    for (size_t i = 0; i < sizeof big / sizeof big[0]; i++) {
        unsigned char *p = one_block(big[i]);
        if (p == NULL)
            continue;
        p[0] = 1;
        p[big[i] - 1] = 2;
        KIT_CHECK(p[0] == 1 && p[big[i] - 1] == 2, "entry.malloc", C_INTACT,
                  "p = malloc(%zu); p[0] = 1; p[%zu] = 2; read back -> %d, %d", big[i], big[i] - 1, p[0],
                  p[big[i] - 1]);
        A.free(p);
    }
    kit_phase("api: malloc(0)");
    void *zeros[16];
    for (int i = 0; i < 16; i++) {
        zeros[i] = A.malloc(0);
        KIT_CHECK(zeros[i] != NULL, kit_plain_entry(), C_ZERO_SIZE, "malloc(0) -> NULL (call %d of 16)", i + 1);
        for (int j = 0; j < i; j++)
            KIT_CHECK(zeros[i] == NULL || zeros[i] != zeros[j], kit_plain_entry(), C_ZERO_SIZE,
                      "p%d = malloc(0); ...; p%d = malloc(0) -> the same pointer %p, p%d not freed", j, i, zeros[i], j);
    }
    for (int i = 0; i < 16; i++)
        A.free(zeros[i]);
}

/* ---- live blocks side by side: disjoint, usable bytes their own, usable_size stable ---------- */

enum { BATCH = 48 };

static void check_batch(size_t n, int aligned_form, size_t alignment) {
    unsigned char *p[BATCH];
    size_t u[BATCH];
    char call[64];
    if (aligned_form)
        snprintf(call, sizeof call, "memalign(%zu, %zu)", alignment, n);
    else
        snprintf(call, sizeof call, "malloc(%zu)", n);
    const char *who = aligned_form && alignment > 16 ? "entry.aligned" : kit_plain_entry();
    for (int i = 0; i < BATCH; i++) {
        p[i] = aligned_form ? A.memalign(alignment, n) : A.malloc(n);
        KIT_CHECK(p[i] != NULL, who, C_MALLOC_OK, "p%d = %s -> NULL (%d of %d blocks live)", i, call, i, BATCH);
        u[i] = p[i] ? A.usable_size(p[i]) : 0;
    }
    /* disjoint as asked for, then as malloc_usable_size reports */
    for (int i = 0; i < BATCH; i++)
        for (int j = 0; j < i; j++) {
            if (p[i] == NULL || p[j] == NULL)
                continue;
            size_t ni = n ? n : 1, nj = n ? n : 1;
            int overlap = p[i] < p[j] + nj && p[j] < p[i] + ni;
            KIT_CHECK(!overlap, who, C_DISJOINT, "p%d = %s -> %p; ...; p%d = %s -> %p, inside p%d (not freed)", j, call,
                      (void *)p[j], i, call, (void *)p[i], j);
            int lo = p[j] < p[i] ? j : i, hi = lo == i ? j : i;
            int usable_overlap = p[hi] < p[lo] + u[lo];
            KIT_CHECK(overlap || !usable_overlap, "entry.usable_size", C_USABLE_WRITABLE,
                      "p%d = %s -> %p; p%d = %s -> %p; malloc_usable_size(p%d) -> %zu reaches into p%d", j, call,
                      (void *)p[j], i, call, (void *)p[i], lo, u[lo], hi);
        }
    for (int i = 0; i < BATCH; i++)
        if (p[i] != NULL)
            fill(p[i], n, (unsigned char)(i * 13));
    for (int i = 0; i < BATCH; i += 2) { /* free half, allocate again: usable_size of the rest */
        A.free(p[i]);
        p[i] = NULL;
    }
    void *other[BATCH / 2];
    for (int i = 0; i < BATCH / 2; i++)
        other[i] = A.malloc(n + (size_t)i * 16);
    for (int i = 1; i < BATCH; i += 2) {
        if (p[i] == NULL)
            continue;
        size_t now = A.usable_size(p[i]);
        KIT_CHECK(now == u[i], "entry.usable_size", C_USABLE_STABLE,
                  "p = %s; malloc_usable_size(p) -> %zu; free and allocate other blocks; malloc_usable_size(p) "
                  "-> %zu",
                  call, u[i], now);
        size_t at = first_change(p[i], n, (unsigned char)(i * 13));
        KIT_CHECK(at == n, "entry.malloc+entry.free", C_INTACT,
                  "p = %s; write %zu bytes; free its neighbours, malloc(%zu..%zu) x %d; p changed at offset %zu", call,
                  n, n, n + (BATCH / 2 - 1) * 16, BATCH / 2, at);
        A.free(p[i]);
    }
    for (int i = 0; i < BATCH / 2; i++)
        A.free(other[i]);
}

static void check_batches(void) {
    kit_phase("api: live blocks side by side");
    static const size_t sizes[] = {0, 1, 8, 16, 24, 100, 256, 1000, 1024, 2000, 4096, 10000, 40000, 70000};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        check_batch(sizes[i], 0, 0);
    static const size_t alignments[] = {32, 64, 256, 4096};
    for (size_t i = 0; i < sizeof alignments / sizeof alignments[0]; i++) {
        check_batch(24, 1, alignments[i]);
        check_batch(3000, 1, alignments[i]);
    }
}

/* ---- failures: ENOMEM, and what a failed call must leave alone --------------------------------- */

static void check_enomem(void) {
    kit_phase("api: impossible sizes");
    static const size_t huge[] = {SIZE_MAX, (size_t)PTRDIFF_MAX + 1, (size_t)PTRDIFF_MAX, (size_t)PTRDIFF_MAX - 4096,
                                  (size_t)PTRDIFF_MAX / 2};
    for (size_t i = 0; i < sizeof huge / sizeof huge[0]; i++) {
        size_t n = kit_opaque(huge[i]);
        errno = 0;
        void *p = A.malloc(n);
        int e = errno;
        KIT_CHECK(p == NULL && e == ENOMEM, enomem_who(kit_plain_entry()), C_ENOMEM,
                  "errno = 0; malloc(%#zx) -> %p, errno %d (expected NULL, ENOMEM %d)", n, p, e, ENOMEM);
        errno = 0;
        p = A.calloc(1, n);
        e = errno;
        KIT_CHECK(p == NULL && e == ENOMEM, enomem_who(kit_bound("calloc") ? "entry.calloc" : kit_plain_entry()),
                  C_ENOMEM, "errno = 0; calloc(1, %#zx) -> %p, errno %d (expected NULL, ENOMEM)", n, p, e);
        errno = 0;
        p = A.memalign(64, n - 64);
        e = errno;
        KIT_CHECK(p == NULL && e == ENOMEM, enomem_who("entry.aligned"), C_ENOMEM,
                  "errno = 0; memalign(64, %#zx) -> %p, errno %d (expected NULL, ENOMEM)", n - 64, p, e);
        errno = 0;
        p = A.aligned_alloc(4096, n & ~(size_t)4095);
        e = errno;
        KIT_CHECK(p == NULL && e == ENOMEM, enomem_who("entry.aligned"), C_ENOMEM,
                  "errno = 0; aligned_alloc(4096, %#zx) -> %p, errno %d (expected NULL, ENOMEM)", n & ~(size_t)4095, p,
                  e);
        errno = 0;
        p = A.valloc(n);
        e = errno;
        KIT_CHECK(p == NULL && e == ENOMEM, enomem_who("entry.aligned"), C_ENOMEM,
                  "errno = 0; valloc(%#zx) -> %p, errno %d (expected NULL, ENOMEM)", n, p, e);
        void *sentinel = (void *)(uintptr_t)0x1234, *out = sentinel;
        int rc = A.posix_memalign(&out, 64, n);
        KIT_CHECK(rc == ENOMEM && out == sentinel, "entry.aligned", C_POSIX_MEMALIGN,
                  "posix_memalign(&p, 64, %#zx) -> %d, p %s (expected ENOMEM, p untouched)", n, rc,
                  out == sentinel ? "untouched" : "changed");
        unsigned char *keep = A.malloc(24);
        if (keep != NULL) {
            fill(keep, 24, 5);
            errno = 0;
            void *moved = A.realloc(keep, n);
            e = errno;
            KIT_CHECK(moved == NULL && e == ENOMEM,
                      enomem_who(kit_bound("realloc") ? "entry.realloc" : kit_plain_entry()), C_ENOMEM,
                      "p = malloc(24); errno = 0; realloc(p, %#zx) -> %p, errno %d (expected NULL, ENOMEM)", n, moved,
                      e);
            if (moved == NULL) {
                size_t at = first_change(keep, 24, 5);
                KIT_CHECK(at == 24, "entry.realloc", C_REALLOC_FAIL_KEEPS,
                          "p = malloc(24); write 24 bytes; realloc(p, %#zx) -> NULL; p changed at offset %zu", n, at);
                A.free(keep);
            } else {
                A.free(moved);
            }
        }
    }
    errno = 0;
    void *p = A.pvalloc(kit_opaque(SIZE_MAX - 10));
    int e = errno;
    KIT_CHECK(p == NULL && e == ENOMEM, enomem_who("entry.aligned"), C_ENOMEM,
              "errno = 0; pvalloc(SIZE_MAX - 10) -> %p, errno %d (expected NULL, ENOMEM: the page rounding overflows)",
              p, e);
}

/* ---- free, usable_size(NULL), errno across the freeing functions ------------------------------ */

static void check_free(void) {
    kit_phase("api: free");
    A.free(NULL);
    errno = 77;
    A.free(NULL);
    KIT_CHECK(errno == 77, free_errno_who(), C_FREE_ERRNO, "errno = 77; free(NULL) -> errno %d", errno);
    KIT_CHECK(A.usable_size(NULL) == 0, "the glue", "\"malloc_usable_size(NULL) is 0\" (glibc)",
              "malloc_usable_size(NULL) -> %zu", A.usable_size(NULL));
    static const size_t sizes[] = {1, 100, 5000, 70000, 1 << 20};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        void *p = A.malloc(sizes[i]);
        errno = 1234;
        A.free(p);
        KIT_CHECK(errno == 1234, free_errno_who(), C_FREE_ERRNO, "p = malloc(%zu); errno = 1234; free(p) -> errno %d",
                  sizes[i], errno);
        if (A.free_sized != NULL) {
            p = A.malloc(sizes[i]);
            errno = 1234;
            A.free_sized(p, sizes[i]);
            KIT_CHECK(errno == 1234, kit_bound("free_sized") ? "entry.free_sized" : free_errno_who(), C_FREE_ERRNO,
                      "p = malloc(%zu); errno = 1234; free_sized(p, %zu) -> errno %d", sizes[i], sizes[i], errno);
        }
        if (A.free_aligned_sized != NULL) {
            p = A.aligned_alloc(256, sizes[i]);
            errno = 1234;
            A.free_aligned_sized(p, 256, sizes[i]);
            KIT_CHECK(errno == 1234, kit_bound("free_aligned_sized") ? "entry.free_aligned_sized" : free_errno_who(),
                      C_FREE_ERRNO,
                      "p = aligned_alloc(256, %zu); errno = 1234; free_aligned_sized(p, 256, %zu) -> errno %d",
                      sizes[i], sizes[i], errno);
        }
    }
}

/* ---- calloc ----------------------------------------------------------------------------------- */

static void check_calloc(void) {
    kit_phase("api: calloc");
    static const size_t overflow[][2] = {
        {SIZE_MAX / 2, 3}, {(size_t)1 << 33, (size_t)1 << 33}, {SIZE_MAX, 2}, {2, SIZE_MAX / 2 + 1}};
    for (size_t i = 0; i < sizeof overflow / sizeof overflow[0]; i++) {
        errno = 0;
        void *p = A.calloc(kit_opaque(overflow[i][0]), overflow[i][1]);
        int e = errno;
        KIT_CHECK(p == NULL && e == ENOMEM, "the glue's calloc", C_CALLOC_OVERFLOW,
                  "errno = 0; calloc(%#zx, %#zx) -> %p, errno %d (the product overflows: expected NULL, ENOMEM)",
                  overflow[i][0], overflow[i][1], p, e);
        if (p != NULL)
            A.free(p);
    }
    size_t sizes[16] = {1, 16, 48, 100, 1000, 4096, 5000, 70000, 300000, 1 << 20};
    int count = 10;
    if (K.zeroed_from != 0 && K.zeroed_from <= ((size_t)64 << 20)) { /* both sides of the guarantee */
        sizes[count++] = K.zeroed_from - 1;
        sizes[count++] = K.zeroed_from;
        sizes[count++] = K.zeroed_from + 4096;
    }
    for (int i = 0; i < count; i++) {
        size_t n = sizes[i];
        for (int form = 0; form < 3; form++) {
            unsigned char *dirty = A.malloc(n); /* likely the block calloc gets next */
            if (dirty != NULL) {
                memset(dirty, 0xa5, n);
                A.free(dirty);
            }
            size_t count_arg = form == 0 ? 1 : form == 1 ? n : (n % 4 == 0 ? n / 4 : n);
            size_t size_arg = form == 0 ? n : form == 1 ? 1 : (n % 4 == 0 ? 4 : 1);
            unsigned char *z = A.calloc(count_arg, size_arg);
            const char *contract;
            const char *who = calloc_who(n, &contract);
            KIT_CHECK(z != NULL, who, C_MALLOC_OK, "calloc(%zu, %zu) -> NULL", count_arg, size_arg);
            if (z == NULL)
                continue;
            size_t at = n;
            for (size_t j = 0; j < n; j++)
                if (z[j] != 0) {
                    at = j;
                    break;
                }
            KIT_CHECK(at == n, who, contract,
                      "p = malloc(%zu); memset(p, 0xa5, %zu); free(p); q = calloc(%zu, %zu) -> q[%zu] = %#x, not 0", n,
                      n, count_arg, size_arg, at, at < n ? z[at] : 0);
            KIT_CHECK(kit_aligned(z, kit_min_alignment(n)), who, C_ALIGNMENT, "calloc(%zu, %zu) -> %p, not %zu-aligned",
                      count_arg, size_arg, (void *)z, kit_min_alignment(n));
            size_t u = A.usable_size(z);
            KIT_CHECK(u >= n, "entry.usable_size", C_USABLE, "p = calloc(%zu, %zu); malloc_usable_size(p) -> %zu",
                      count_arg, size_arg, u);
            A.free(z);
        }
    }
}

/* ---- realloc ---------------------------------------------------------------------------------- */

static void check_realloc(void) {
    kit_phase("api: realloc");
    static const size_t steps[] = {1, 16, 17, 100, 5000, 70000, 300000, 2000, 24, 3, 1 << 20, 8, 65536, 40};
    unsigned char *p = NULL;
    size_t have = 0;
    char history[600] = "";
    size_t used = 0;
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        size_t n = steps[i];
        int w = snprintf(history + used, sizeof history - used, "%sp = realloc(p, %zu)", i ? "; " : "", n);
        if (w > 0 && (size_t)w < sizeof history - used)
            used += (size_t)w;
        unsigned char *q = A.realloc(p, n);
        KIT_CHECK(q != NULL, "entry.realloc", C_MALLOC_OK, "p = NULL; %s -> NULL", history);
        if (q == NULL)
            break;
        p = q;
        KIT_CHECK(kit_aligned(p, kit_min_alignment(n)), "entry.realloc", C_ALIGNMENT,
                  "p = NULL; %s -> %p, not %zu-aligned", history, (void *)p, kit_min_alignment(n));
        size_t u = A.usable_size(p);
        KIT_CHECK(u >= n, "entry.usable_size", C_USABLE, "p = NULL; %s; malloc_usable_size(p) -> %zu", history, u);
        size_t keep = have < n ? have : n;
        size_t at = first_change(p, keep, 3);
        KIT_CHECK(at == keep, "entry.realloc", C_REALLOC_KEEPS,
                  "p = NULL; %s, writing all bytes each time: the first %zu bytes changed at offset %zu", history, keep,
                  at);
        fill(p, n, 3);
        have = n;
    }
    A.free(p);

    unsigned char *a = A.memalign(4096, 100);
    if (a != NULL) {
        fill(a, 100, 9);
        unsigned char *b = A.realloc(a, 20000);
        KIT_CHECK(b != NULL && first_change(b, 100, 9) == 100, "entry.realloc", C_REALLOC_KEEPS,
                  "p = memalign(4096, 100); write 100 bytes; realloc(p, 20000) -> %s", b ? "contents changed" : "NULL");
        A.free(b != NULL ? b : a);
    }
    void *q = A.realloc(NULL, 40);
    KIT_CHECK(q != NULL, "entry.realloc", C_REALLOC_EDGES, "realloc(NULL, 40) -> NULL");
    KIT_CHECK(q == NULL || A.usable_size(q) >= 40, "entry.usable_size", C_USABLE,
              "p = realloc(NULL, 40); malloc_usable_size(p) -> %zu", q ? A.usable_size(q) : 0);
    errno = 55;
    void *r = A.realloc(q, 0);
    KIT_CHECK(r == NULL, "the glue's realloc", C_REALLOC_EDGES,
              "p = realloc(NULL, 40); realloc(p, 0) -> %p (expected NULL, p freed)", r);
    if (r != NULL)
        A.free(r);
    unsigned char *s = A.malloc(3000);
    if (s != NULL) {
        fill(s, 3000, 1);
        unsigned char *t = A.realloc(s, 3000);
        KIT_CHECK(t != NULL && first_change(t, 3000, 1) == 3000, "entry.realloc", C_REALLOC_KEEPS,
                  "p = malloc(3000); write 3000 bytes; realloc(p, 3000) -> %s", t ? "contents changed" : "NULL");
        A.free(t != NULL ? t : s);
    }
}

/* ---- the aligned forms ------------------------------------------------------------------------ */

static void check_aligned(void) {
    kit_phase("api: memalign, posix_memalign, aligned_alloc");
    static const size_t sizes[] = {1, 24, 100, 4096, 70000};
    for (size_t a = 1; a <= ((size_t)1 << 20); a <<= 1) {
        const char *who = a > 16 ? "entry.aligned" : kit_plain_entry();
        for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
            size_t n = sizes[i];
            unsigned char *m = A.memalign(a, n);
            KIT_CHECK(m != NULL && kit_aligned(m, a), who, C_ALIGNED, "memalign(%zu, %zu) -> %p", a, n, (void *)m);
            if (m != NULL) {
                size_t u = A.usable_size(m);
                KIT_CHECK(u >= n, "entry.usable_size", C_USABLE, "p = memalign(%zu, %zu); malloc_usable_size(p) -> %zu",
                          a, n, u);
                fill(m, n, 4);
                KIT_CHECK(first_change(m, n, 4) == n, who, C_INTACT, "p = memalign(%zu, %zu); write and read %zu bytes",
                          a, n, n);
                A.free(m);
            }
            if (a >= sizeof(void *)) {
                void *pm = NULL;
                int rc = A.posix_memalign(&pm, a, n);
                KIT_CHECK(rc == 0 && pm != NULL && kit_aligned(pm, a), who, C_ALIGNED,
                          "posix_memalign(&p, %zu, %zu) -> %d, p = %p", a, n, rc, pm);
                if (rc == 0 && pm != NULL) {
                    KIT_CHECK(A.usable_size(pm) >= n, "entry.usable_size", C_USABLE,
                              "posix_memalign(&p, %zu, %zu); malloc_usable_size(p) -> %zu", a, n, A.usable_size(pm));
                    A.free(pm);
                }
            }
            void *aa = A.aligned_alloc(a, n);
            KIT_CHECK(aa != NULL && kit_aligned(aa, a), who, C_ALIGNED, "aligned_alloc(%zu, %zu) -> %p", a, n, aa);
            if (aa != NULL) {
                KIT_CHECK(A.usable_size(aa) >= n, "entry.usable_size", C_USABLE,
                          "p = aligned_alloc(%zu, %zu); malloc_usable_size(p) -> %zu", a, n, A.usable_size(aa));
                A.free(aa);
            }
        }
    }
    void *m = A.memalign(kit_opaque(24), 10);
    KIT_CHECK(m != NULL && kit_aligned(m, 32), "entry.aligned", C_MEMALIGN_ROUND,
              "memalign(24, 10) -> %p, not 32-aligned", m);
    A.free(m);
    m = A.memalign(kit_opaque(48), 100);
    KIT_CHECK(m != NULL && kit_aligned(m, 64), "entry.aligned", C_MEMALIGN_ROUND,
              "memalign(48, 100) -> %p, not 64-aligned", m);
    A.free(m);
    errno = 0;
    m = A.memalign(kit_opaque(SIZE_MAX / 2 + 2), 1);
    int e = errno;
    KIT_CHECK(m == NULL && e == EINVAL, "the glue's memalign", C_MEMALIGN_ROUND,
              "errno = 0; memalign(SIZE_MAX / 2 + 2, 1) -> %p, errno %d (expected NULL, EINVAL)", m, e);
    static const size_t bad[] = {0, 3, 4, 24, 1000};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        void *sentinel = (void *)(uintptr_t)0x1234, *pm = sentinel;
        int rc = A.posix_memalign(&pm, kit_opaque(bad[i]), 10);
        KIT_CHECK(rc == EINVAL && pm == sentinel, "the glue's posix_memalign", C_POSIX_MEMALIGN,
                  "posix_memalign(&p, %zu, 10) -> %d, p %s (expected EINVAL, p untouched)", bad[i], rc,
                  pm == sentinel ? "untouched" : "changed");
    }
    if (!K.reference) { /* glibc before 2.38 accepts these; the glue refuses them as 2.38 does */
        static const size_t not_pow2[] = {0, 24, 3};
        for (size_t i = 0; i < sizeof not_pow2 / sizeof not_pow2[0]; i++) {
            errno = 0;
            void *aa = A.aligned_alloc(kit_opaque(not_pow2[i]), 48);
            e = errno;
            KIT_CHECK(aa == NULL && e == EINVAL, "the glue's aligned_alloc", C_ALIGNED_ALLOC,
                      "errno = 0; aligned_alloc(%zu, 48) -> %p, errno %d (expected NULL, EINVAL)", not_pow2[i], aa, e);
            if (aa != NULL)
                A.free(aa);
        }
    }
    kit_phase("api: valloc, pvalloc");
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    static const size_t vsizes[] = {1, 10, 4096, 5000, 100000};
    for (size_t i = 0; i < sizeof vsizes / sizeof vsizes[0]; i++) {
        void *v = A.valloc(vsizes[i]);
        KIT_CHECK(v != NULL && kit_aligned(v, page) && A.usable_size(v) >= vsizes[i], "entry.aligned", C_PAGE,
                  "p = valloc(%zu) -> %p, malloc_usable_size(p) %zu (page %zu)", vsizes[i], v, v ? A.usable_size(v) : 0,
                  page);
        A.free(v);
        size_t rounded = (vsizes[i] + page - 1) / page * page;
        void *pv = A.pvalloc(vsizes[i]);
        KIT_CHECK(pv != NULL && kit_aligned(pv, page) && A.usable_size(pv) >= rounded, "entry.aligned", C_PAGE,
                  "p = pvalloc(%zu) -> %p, malloc_usable_size(p) %zu (expected a %zu-aligned block of at least %zu)",
                  vsizes[i], pv, pv ? A.usable_size(pv) : 0, page, rounded);
        A.free(pv);
    }
}

/* ---- blocks that are not the allocator's (entry.owns) ----------------------------------------- */

/* With entry.owns bound, the glue hands a block the allocator does not own to glibc: blocks made by
 * glibc's own malloc (before the interposer was in place, or by a library bound to glibc) keep
 * glibc's usable size, realloc moves them into the allocator with their contents, free returns
 * them to glibc. Without owns every pointer is the allocator's, and there is nothing to check.
 * Interpose mode only: glibc's functions are reached through a handle of libc.so.6. */
static void check_foreign(void) {
    if (!kit_bound("owns") || K.prefix != NULL || K.reference)
        return;
    kit_phase("api: blocks from glibc's own malloc (entry.owns must be 0 for them)");
    void *libc = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD);
    void *syms[3] = {NULL, NULL, NULL};
    static const char *const names[3] = {"malloc", "malloc_usable_size", "free"};
    for (int i = 0; i < 3 && libc != NULL; i++)
        syms[i] = dlsym(libc, names[i]);
    KIT_CHECK(syms[0] && syms[1] && syms[2] && strstr(kit_defined_in(syms[0]), "libc.so") != NULL, "the kit",
              "\"glibc's own malloc, malloc_usable_size and free are found in libc.so.6\"",
              "dlopen(\"libc.so.6\", RTLD_NOLOAD) -> %p; dlsym(malloc) -> %p in %s", libc, syms[0],
              kit_defined_in(syms[0]));
    if (!(syms[0] && syms[1] && syms[2]))
        return;
    void *(*glibc_malloc)(size_t);
    size_t (*glibc_usable_size)(void *);
    void (*glibc_free)(void *);
    KIT_SET(glibc_malloc, syms[0]);
    KIT_SET(glibc_usable_size, syms[1]);
    KIT_SET(glibc_free, syms[2]);
    static const size_t sizes[] = {24, 100, 1000, 5000, 200000};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        size_t n = sizes[i];
        unsigned char *q = glibc_malloc(n);
        if (q == NULL)
            continue;
        fill(q, n, (unsigned char)i);
        size_t theirs = glibc_usable_size(q), ours = A.usable_size(q);
        KIT_CHECK(ours == theirs, "entry.owns", C_OWNS,
                  "q = glibc's own malloc(%zu) -> %p; malloc_usable_size(q) -> %zu, but glibc's malloc_usable_size(q) "
                  "-> %zu",
                  n, (void *)q, ours, theirs);
        if (ours != theirs) {
            glibc_free(q); /* not through the glue: the allocator would take it for its own */
            continue;
        }
        size_t bigger = 2 * n + 100;
        unsigned char *r = A.realloc(q, bigger);
        size_t changed = r ? first_change(r, n, (unsigned char)i) : 0;
        KIT_CHECK(r != NULL && changed == n && A.usable_size(r) >= bigger, "entry.owns", C_OWNS,
                  "q = glibc's own malloc(%zu) -> %p; r = realloc(q, %zu) -> %p, usable size %zu, contents changed "
                  "at offset %zu of %zu",
                  n, (void *)q, bigger, (void *)r, r ? A.usable_size(r) : 0, changed, n);
        A.free(r);
        A.free(glibc_malloc(n)); /* back to glibc through the glue's free */
    }
}

int main(int argc, char **argv) {
    int next = kit_begin("api", argc, argv, 300);
    if (next < argc)
        kit_usage(argv[next]);
    if (K.prefix != NULL)
        kit_say("api: prefixed mode: each call below is made through %s<name> of %s", K.prefix, K.lib);
    check_sizes();
    check_batches();
    check_free();
    check_calloc();
    check_realloc();
    check_aligned();
    check_enomem();
    check_foreign();
    kit_phase("api: done");
    return kit_report();
}

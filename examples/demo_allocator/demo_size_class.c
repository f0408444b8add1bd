/* SPDX-License-Identifier: MIT */
/* Size classes: 16..128 in steps of 16, then four classes per power of two up to 64 KiB
 * (160, 192, 224, 256, 320, ...). Every size is a multiple of 16, and every power of two from
 * 16 to 64 KiB is a class, which is what makes aligned allocation from classes possible. */
#include "demo_internal.h"

unsigned demo_class_of(size_t size) {
    if (size <= 128)
        return size == 0 ? 0 : (unsigned)((size + 15) / 16 - 1);
    unsigned lg = 63u - (unsigned)__builtin_clzll((unsigned long long)(size - 1)); /* 7..15 */
    return 8 + (lg - 7) * 4 + (unsigned)(((size - 1) >> (lg - 2)) & 3);
}

size_t demo_class_size(unsigned cls) {
    if (cls < 8)
        return (size_t)(cls + 1) * 16;
    unsigned k = cls - 8, lg = 7 + k / 4;
    return ((size_t)1 << lg) + (size_t)(k % 4 + 1) * ((size_t)1 << (lg - 2));
}

/* Objects of class c sit at multiples of its size from a span base aligned to 256 KiB, so a class
 * whose size is a multiple of the alignment hands out aligned objects. */
unsigned demo_class_for_alignment(size_t alignment, size_t size) {
    if (size > DEMO_SMALL_MAX || alignment > DEMO_SMALL_MAX)
        return DEMO_CLASSES;
    for (unsigned cls = demo_class_of(size > alignment ? size : alignment); cls < DEMO_CLASSES; cls++)
        if (demo_class_size(cls) % alignment == 0)
            return cls;
    return DEMO_CLASSES;
}

/* How many free objects a thread may keep per class: about 64 KiB worth, 4 to 256. */
unsigned demo_class_cache_limit(unsigned cls) {
    size_t n = 65536 / demo_class_size(cls);
    return n < 4 ? 4 : n > 256 ? 256 : (unsigned)n;
}

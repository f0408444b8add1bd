/* SPDX-License-Identifier: MIT */
/* Minimal equivalent of dyld-1378 include/mach-o/dyld-interposing.h, for compile checks only:
   DYLD_INTERPOSE(replacement, replacee) puts one {replacement, replacee} pair of addresses into
   section __DATA,__interpose (type interposing), which dyld reads when it loads the image.
   (The arm64e pointer-authentication qualifiers of the original do not apply to arm64 and
   x86_64.) Not Apple's text: written for alloc8's tests. */
#ifndef ALLOC8_TEST_DYLD_INTERPOSING_H
#define ALLOC8_TEST_DYLD_INTERPOSING_H

#define DYLD_INTERPOSE(_replacement, _replacee)                                                                        \
    __attribute__((used)) static struct {                                                                              \
        const void *replacement;                                                                                       \
        const void *replacee;                                                                                          \
    } _interpose_##_replacee __attribute__((section("__DATA,__interpose,interposing"))) = {                            \
        (const void *)(unsigned long)&_replacement, (const void *)(unsigned long)&_replacee};

#endif

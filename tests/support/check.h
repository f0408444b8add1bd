/* SPDX-License-Identifier: MIT */
/* The test harness of every C and C++ test program (Linux and Windows): header-only, and free of
 * any allocator's header, so that programs built without the demo allocator include it too.
 *   CHECK(condition, printf-style message)  counts the check; when the condition is false prints
 *                                           "FAIL: <message>  [<condition>, <file>:<line>]"
 *   DELTA(before, after, field)             how much a counter grew between two snapshots
 *   check_report(name)                      prints "<name>: N checks passed" (or "<name>: F of N
 *                                           checks failed"); main() returns it (0: all passed)
 * check_failures and check_count may be read, e.g. to stop early after a failure. Both are atomic:
 * threads may CHECK too. */
#ifndef ALLOC8_TEST_CHECK_H
#define ALLOC8_TEST_CHECK_H

#if defined(__cplusplus) && !defined(ALLOC8_TEST_NO_CXX_LIBRARY)
#include <atomic>
#include <cstdio>
static std::atomic<int> check_failures{0}, check_count{0};
#elif defined(__cplusplus)
/* C++ with no C++ standard library (tests/musl/cxx_program.cpp): checks from one thread only */
#include <stdio.h>
static int check_failures, check_count;
#else
#include <stdio.h>
static _Atomic int check_failures, check_count;
#endif

#define CHECK(cond, ...)                                                                                               \
    do {                                                                                                               \
        check_count++;                                                                                                 \
        if (!(cond)) {                                                                                                 \
            printf("FAIL: " __VA_ARGS__);                                                                              \
            printf("  [%s, %s:%d]\n", #cond, __FILE__, __LINE__);                                                      \
            check_failures++;                                                                                          \
        }                                                                                                              \
    } while (0)

/* How much `field` of a counters struct grew from the snapshot `before` to `after`. */
#define DELTA(before, after, field) ((unsigned long long)((after).field - (before).field))

/* Prints the summary; returns the process exit status (0 when every check passed). */
static inline int check_report(const char *name) {
    int failures = check_failures, count = check_count;
    if (failures) {
        printf("%s: %d of %d checks failed\n", name, failures, count);
        return 1;
    }
    printf("%s: %d checks passed\n", name, count);
    return 0;
}

#endif

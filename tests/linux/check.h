/* Test helper: CHECK(condition, printf-style message) prints a FAIL line when the condition is
 * false and counts checks and failures; main() returns check_report(name). */
#ifndef ALLOC8_CHECK_H
#define ALLOC8_CHECK_H

#include <stdio.h>

static int check_failures, check_count;

#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        check_count++;                                                                             \
        if (!(cond)) {                                                                             \
            printf("FAIL: " __VA_ARGS__);                                                          \
            printf("  [%s, %s:%d]\n", #cond, __FILE__, __LINE__);                                  \
            check_failures++;                                                                      \
        }                                                                                          \
    } while (0)

/* Prints the summary; returns the process exit status (0 when every check passed). */
static inline int check_report(const char *name) {
    if (check_failures) {
        printf("%s: %d of %d checks failed\n", name, check_failures, check_count);
        return 1;
    }
    printf("%s: %d checks passed\n", name, check_count);
    return 0;
}

#endif

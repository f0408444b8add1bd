/* CHECK for the Windows test programs: counts checks and failures, prints a FAIL line for each
 * failure; main() reports `failures` of `checks`. */
#ifndef ALLOC8_TEST_WINDOWS_CHECK_H
#define ALLOC8_TEST_WINDOWS_CHECK_H

#include <stdio.h>

static int failures, checks;

/* CHECK(condition, printf-style message): counts the check; prints the message when it fails. */
#define CHECK(cond, ...)                                                                                     \
    do {                                                                                                     \
        checks++;                                                                                            \
        if (!(cond)) {                                                                                       \
            failures++;                                                                                      \
            printf("FAIL: " __VA_ARGS__);                                                                    \
            printf("\n");                                                                                    \
        }                                                                                                    \
    } while (0)

#endif

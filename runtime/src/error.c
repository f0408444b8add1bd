/* SPDX-License-Identifier: MIT */
/* alloc8_last_error: one message per thread. */
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static _Thread_local char alloc8_rt_message[256];

const char *alloc8_last_error(void) {
    return alloc8_rt_message;
}

void alloc8_set_last_error(const char *message) {
    snprintf(alloc8_rt_message, sizeof alloc8_rt_message, "%s", message ? message : "");
}

void alloc8_rt_error(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(alloc8_rt_message, sizeof alloc8_rt_message, fmt, ap);
    va_end(ap);
}

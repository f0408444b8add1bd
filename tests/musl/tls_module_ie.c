/* SPDX-License-Identifier: MIT */
/* A module with an initial-exec thread-local, which musl's dlopen refuses (tls_dlopen.c). */
static _Thread_local int counter __attribute__((tls_model("initial-exec")));

int tls_module_ie_bump(void);

int tls_module_ie_bump(void) {
    return ++counter;
}

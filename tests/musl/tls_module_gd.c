/* SPDX-License-Identifier: MIT */
/* A module with a large global-dynamic thread-local, loaded with dlopen while threads run
 * (tls_dlopen.c). */
static _Thread_local unsigned char area[64 * 1024] __attribute__((tls_model("global-dynamic")));

int tls_module_gd_touch(int value);

int tls_module_gd_touch(int value) {
    for (int i = 0; i < (int)sizeof area; i += 4096)
        area[i] = (unsigned char)(area[i] + value);
    return area[0];
}

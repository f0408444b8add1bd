/* SPDX-License-Identifier: MIT */
/* A DLL the Windows test loads after the interposer DLL: its imports of the C runtime must be
 * patched as it is loaded (the loader's DLL notification), so its malloc reaches the allocator. */
#include <stdlib.h>

__declspec(dllexport) void *late_module_malloc(size_t size) {
    return malloc(size);
}
__declspec(dllexport) void late_module_free(void *ptr) {
    free(ptr);
}

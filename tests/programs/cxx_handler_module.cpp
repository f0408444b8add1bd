/* SPDX-License-Identifier: MIT */
// A C++ module that a C program loads with dlopen (tests/linux/cxx_dlopen.c): it installs a
// throwing new_handler and asks for an impossible allocation. Returns how many times the handler
// ran (1 when the glue called it), or -1 when std::bad_alloc was not caught.
#include <cstdint>
#include <new>

namespace {
int calls;
void handler() {
    calls++;
    throw std::bad_alloc();
}
} // namespace

extern "C" __attribute__((visibility("default"))) int alloc8_test_impossible_new(void) {
    calls = 0;
    std::set_new_handler(handler);
    volatile std::size_t huge = SIZE_MAX / 4;
    int result = -1;
    try {
        char *p = new char[huge];
        delete[] p;
    } catch (const std::bad_alloc &) {
        result = calls;
    }
    std::set_new_handler(nullptr);
    return result;
}

/* SPDX-License-Identifier: MIT */
// A C++ library loaded with RTLD_DEEPBIND (deepbind.c): its operator new binds, deep, to the C++
// runtime's, which it loads itself, and that one's malloc to glibc's, unless the interposer
// re-points both.
#include <cstddef>

extern "C" void *deep_new(std::size_t size) {
    return new char[size];
}
extern "C" void deep_delete(void *ptr) {
    delete[] static_cast<char *>(ptr);
}

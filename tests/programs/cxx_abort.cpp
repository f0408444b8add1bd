// With no new_handler installed, a failing throwing operator new in the generated C glue cannot
// throw std::bad_alloc: it prints a message and aborts (see expect_abort.sh).
#include <cstdint>
#include <cstdio>
#include <new>

int main() {
    volatile std::size_t huge = SIZE_MAX / 2;
    try {
        void *p = ::operator new(huge);
        ::operator delete(p);
    } catch (const std::bad_alloc &) {
        std::printf("NOT ABORTED (std::bad_alloc thrown)\n");
        return 3;
    }
    std::printf("NOT ABORTED (allocation succeeded)\n");
    return 3;
}

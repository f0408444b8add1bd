/* SPDX-License-Identifier: MIT */
// All 20 replaceable global operator new/delete functions, called explicitly. Under --alloc8 each
// new must reach the demo allocator exactly once and each delete must free exactly once. Also the
// new_handler protocol, nothrow failure and new(0). `new Aligned64[n]` below makes this binary
// reference _ZnamSt11align_val_t@CXXABI_1.3.11 (checked with readelf by check_binding.sh).
#include "check.h"
#include "demo_stats.h"

#include <cstdint>
#include <cstdio>
#include <new>

namespace {

alloc8_stats_fn stats;
bool strict;

bool aligned(const void *p, std::size_t a) {
    return (reinterpret_cast<std::uintptr_t>(p) & (a - 1)) == 0;
}

std::uint64_t served(const alloc8_demo_stats &s) {
    return s.malloc_calls + s.memalign_calls;
}

template <class F>
void expect_new(const char *what, F call, std::size_t alignment, void *&out) {
    alloc8_demo_stats a = alloc8_test_snapshot(stats);
    out = call();
    alloc8_demo_stats b = alloc8_test_snapshot(stats);
    CHECK(out != nullptr && aligned(out, alignment), "%s\n", what);
    if (strict)
        CHECK(served(b) - served(a) == 1, "%s\n", what);
}

template <class F>
void expect_delete(const char *what, F call) {
    alloc8_demo_stats a = alloc8_test_snapshot(stats);
    call();
    alloc8_demo_stats b = alloc8_test_snapshot(stats);
    if (strict)
        CHECK(b.free_calls - a.free_calls == 1, "%s\n", what);
}

struct alignas(64) Aligned64 {
    char bytes[64];
};

int handler_calls;
void throwing_handler() {
    handler_calls++;
    throw std::bad_alloc();
}

} // namespace

int main(int argc, char **argv) {
    strict = alloc8_test_required(argc, argv);
    stats = alloc8_test_stats_fn();
    std::printf("cxx_ops: start\n");
    std::fflush(stdout);
    if (strict && stats == nullptr) {
        std::printf("FAIL: --alloc8 given but the demo allocator is not loaded\n");
        return 1;
    }
    const std::align_val_t al{256};
    const std::nothrow_t &nt = std::nothrow;
    void *p = nullptr;

    // not formatted: a table, which clang-format 14 would break after each `expect_new(` (a lambda that is not
    // the last argument)
    // clang-format off
    expect_new("operator new(size_t)", [] { return ::operator new(100); }, 16, p);
    expect_delete("operator delete(void*)", [p] { ::operator delete(p); });
    expect_new("operator new[](size_t)", [] { return ::operator new[](100); }, 16, p);
    expect_delete("operator delete[](void*)", [p] { ::operator delete[](p); });
    expect_new("operator new(size_t, nothrow)", [&] { return ::operator new(100, nt); }, 16, p);
    expect_delete("operator delete(void*, nothrow)", [&, p] { ::operator delete(p, nt); });
    expect_new("operator new[](size_t, nothrow)", [&] { return ::operator new[](100, nt); }, 16, p);
    expect_delete("operator delete[](void*, nothrow)", [&, p] { ::operator delete[](p, nt); });
    expect_new("operator new(size_t) for sized delete", [] { return ::operator new(100); }, 16, p);
    expect_delete("operator delete(void*, size_t)", [p] { ::operator delete(p, 100); });
    expect_new("operator new[](size_t) for sized delete", [] { return ::operator new[](100); }, 16, p);
    expect_delete("operator delete[](void*, size_t)", [p] { ::operator delete[](p, 100); });
    expect_new("operator new(size_t, align_val_t)", [&] { return ::operator new(100, al); }, 256, p);
    expect_delete("operator delete(void*, align_val_t)", [&, p] { ::operator delete(p, al); });
    expect_new("operator new[](size_t, align_val_t)", [&] { return ::operator new[](100, al); }, 256, p);
    expect_delete("operator delete[](void*, align_val_t)", [&, p] { ::operator delete[](p, al); });
    expect_new("operator new(size_t, align_val_t, nothrow)", [&] { return ::operator new(100, al, nt); }, 256, p);
    expect_delete("operator delete(void*, align_val_t, nothrow)", [&, p] { ::operator delete(p, al, nt); });
    expect_new("operator new[](size_t, align_val_t, nothrow)", [&] { return ::operator new[](100, al, nt); }, 256, p);
    expect_delete("operator delete[](void*, align_val_t, nothrow)", [&, p] { ::operator delete[](p, al, nt); });
    expect_new("operator new(size_t, align_val_t) for sized delete", [&] { return ::operator new(100, al); }, 256, p);
    expect_delete("operator delete(void*, size_t, align_val_t)", [&, p] { ::operator delete(p, 100, al); });
    expect_new("operator new[](size_t, align_val_t) for sized delete", [&] { return ::operator new[](100, al); }, 256, p);
    expect_delete("operator delete[](void*, size_t, align_val_t)", [&, p] { ::operator delete[](p, 100, al); });
    // clang-format on

    // new-expressions of an over-aligned type use the aligned forms
    Aligned64 *array = new Aligned64[10];
    CHECK(aligned(array, 64), "new Aligned64[10] is 64-aligned\n");
    delete[] array;
    Aligned64 *one = new Aligned64;
    CHECK(aligned(one, 64), "new Aligned64 is 64-aligned\n");
    delete one;

    void *z1 = ::operator new(0), *z2 = ::operator new(0);
    CHECK(z1 != nullptr && z2 != nullptr && z1 != z2, "operator new(0) returns unique non-null pointers\n");
    ::operator delete(z1);
    ::operator delete(z2);

    volatile std::size_t huge = SIZE_MAX / 2;
    CHECK(::operator new(huge, nt) == nullptr, "nothrow new of a huge size returns nullptr\n");
    CHECK(::operator new[](huge, al, nt) == nullptr, "aligned nothrow new[] of a huge size returns nullptr\n");

    std::set_new_handler(throwing_handler);
    bool caught = false;
    try {
        void *never = ::operator new(huge);
        ::operator delete(never);
    } catch (const std::bad_alloc &) {
        caught = true;
    }
    std::set_new_handler(nullptr);
    CHECK(caught && handler_calls == 1, "a failing new calls the new_handler once; its bad_alloc propagates\n");

    if (check_failures == 0)
        std::printf("cxx_ops: all 20 operators%s, aligned new-expressions, new_handler, nothrow failure\n",
                    strict ? " reached the demo allocator" : " checked");
    return check_report("cxx_ops");
}

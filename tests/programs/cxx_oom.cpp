/* SPDX-License-Identifier: MIT */
// What a C++ program sees when operator new fails, through the interposer exactly as without it:
// std::bad_alloc with no new_handler (item 3 of the glue's C++ contract, docs/spec.md), the
// new_handler called by the nothrow forms too (a handler that releases an emergency reserve makes
// the allocation succeed), and nothrow forms returning nullptr where the throwing ones throw.
// The address space is limited (RLIMIT_AS) so that a 192 MiB request fails until the handler
// frees a 256 MiB reserve. Run with --alloc8 under the demo allocator, and without, under glibc.
#include "check.h"
#include "demo_stats.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <sys/resource.h>

namespace {

constexpr std::size_t MiB = 1024 * 1024;
constexpr std::size_t reserve_size = 256 * MiB, request = 192 * MiB;
void *reserve;
int handler_calls;

// The emergency reserve: a block malloc'd now and freed by the handler when memory runs out.
void take_reserve() {
    reserve = std::malloc(reserve_size);
}
void release_reserve() {
    handler_calls++;
    std::free(reserve);
    reserve = nullptr;
    std::set_new_handler(nullptr);
}
void throwing_handler() {
    handler_calls++;
    throw std::bad_alloc();
}
void uninstalling_handler() {
    handler_calls++;
    std::set_new_handler(nullptr);
}

// Limit the address space to what is mapped now plus `room`.
bool limit_address_space(std::size_t room) {
    std::FILE *f = std::fopen("/proc/self/statm", "r");
    unsigned long pages = 0;
    if (f == nullptr || std::fscanf(f, "%lu", &pages) != 1)
        return false;
    std::fclose(f);
    rlimit r{};
    r.rlim_cur = r.rlim_max = pages * 4096 + room;
    return setrlimit(RLIMIT_AS, &r) == 0;
}

template <class F, class D>
void expect_reserve_used(const char *what, F allocate, D release) {
    take_reserve();
    handler_calls = 0;
    std::set_new_handler(release_reserve);
    void *p = allocate();
    CHECK(p != nullptr && handler_calls == 1, "%s\n", what);
    std::set_new_handler(nullptr);
    release(p);
}

} // namespace

int main(int argc, char **argv) {
    int strict;
    alloc8_stats_fn stats = alloc8_test_begin(argc, argv, &strict);
    // A limit with room for small blocks but not for `request` while the reserve is held.
    take_reserve();
    CHECK(reserve != nullptr, "a 256 MiB reserve\n");
    std::free(reserve);
    if (!limit_address_space(reserve_size + 96 * MiB)) {
        std::printf("FAIL: setrlimit(RLIMIT_AS)\n");
        return 1;
    }
    alloc8_demo_stats before = alloc8_test_snapshot(stats);
    const std::nothrow_t &nt = std::nothrow;
    const std::align_val_t al{64};

    // 3: no handler: std::bad_alloc, from every throwing form
    volatile std::size_t huge = SIZE_MAX / 4;
    int caught = 0;
    // not formatted: one form a line; clang-format 14 would break after `expect_reserve_used(` (a lambda that is
    // not the last argument) and write `nullptr &&handler_calls` (taking && for an rvalue reference)
    // clang-format off
    try { (void)::operator new(huge); } catch (const std::bad_alloc &) { caught++; }
    try { (void)::operator new[](huge); } catch (const std::bad_alloc &) { caught++; }
    try { (void)::operator new(huge, al); } catch (const std::bad_alloc &) { caught++; }
    try { (void)::operator new[](huge, al); } catch (const std::bad_alloc &) { caught++; }
    try { (void)new char[huge]; } catch (const std::bad_alloc &) { caught++; }
    CHECK(caught == 5, "a failing throwing new with no new_handler throws std::bad_alloc (5 forms)\n");

    // the handler loop of the throwing forms: a handler that frees the reserve makes it succeed
    auto del = [](void *p) { ::operator delete(p); };
    auto del_array = [](void *p) { ::operator delete[](p); };
    auto del_aligned = [&](void *p) { ::operator delete(p, al); };
    auto del_aligned_array = [&](void *p) { ::operator delete[](p, al); };
    expect_reserve_used("throwing new: the handler released the reserve, and the retry succeeded",
                        [] { return ::operator new(request); }, del);
    // 4: the nothrow forms run the same loop
    expect_reserve_used("new(nothrow): the handler released the reserve, and the retry succeeded",
                        [&] { return ::operator new(request, nt); }, del);
    expect_reserve_used("new[](nothrow): the same", [&] { return ::operator new[](request, nt); }, del_array);
    expect_reserve_used("new(align_val_t, nothrow): the same",
                        [&] { return ::operator new(request, al, nt); }, del_aligned);
    expect_reserve_used("new[](align_val_t, nothrow): the same",
                        [&] { return ::operator new[](request, al, nt); }, del_aligned_array);

    // nothrow: nullptr where the throwing form would throw
    handler_calls = 0;
    CHECK(::operator new(huge, nt) == nullptr && handler_calls == 0, "new(nothrow) with no handler: nullptr\n");
    std::set_new_handler(throwing_handler);
    CHECK(::operator new(huge, nt) == nullptr && handler_calls == 1,
          "new(nothrow) whose handler throws std::bad_alloc: nullptr, handler called once\n");
    CHECK(::operator new[](huge, al, nt) == nullptr && handler_calls == 2,
          "new[](align_val_t, nothrow) whose handler throws: nullptr\n");
    std::set_new_handler(uninstalling_handler);
    CHECK(::operator new(huge, nt) == nullptr && handler_calls == 3,
          "new(nothrow) whose handler uninstalls itself: nullptr after one call\n");
    // clang-format on
    std::set_new_handler(nullptr);

    alloc8_demo_stats after = alloc8_test_snapshot(stats);
    if (strict)
        CHECK(after.malloc_calls + after.memalign_calls > before.malloc_calls + before.memalign_calls + 5,
              "the demo allocator served the retried allocations\n");
    return check_report("cxx_oom");
}

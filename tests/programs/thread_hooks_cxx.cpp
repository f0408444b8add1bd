/* SPDX-License-Identifier: MIT */
// Thread hooks seen from C++ (run under LD_PRELOAD of liballoc8demo.so with --alloc8):
// std::thread runs init before the thread's function; a thread_local object's destructor runs
// BEFORE the cleanup hook (glibc runs C++ thread_local destructors before key destructors, and
// the glue's cleanup comes in the last key destructor round), so it still allocates from an
// initialised thread; and init == cleanup == threads for a batch of std::threads.
#include "check.h"
#include "demo_stats.h"

#include <cstdio>
#include <string>
#include <thread>
#include <vector>

static alloc8_stats_fn stats;
static alloc8_thread_fn thread_info;

static alloc8_demo_thread me() {
    alloc8_demo_thread t;
    thread_info(&t);
    return t;
}

struct Farewell {
    std::string *text = nullptr;
    ~Farewell() {
        alloc8_demo_thread t = me();
        CHECK(t.state == DEMO_THREAD_HOOKED && t.cleanups == 0,
              "a thread_local destructor runs before the cleanup hook\n");
        delete text;
        text = new std::string(200, 'z'); // allocating here is fine
        delete text;
    }
};
static thread_local Farewell farewell;

int main(int argc, char **argv) {
    int strict;
    stats = alloc8_test_begin(argc, argv, &strict);
    thread_info = alloc8_test_thread_fn();
    if (!strict || thread_info == nullptr) {
        std::printf("FAIL: usage: thread_hooks_cxx --alloc8 (under LD_PRELOAD of the demo)\n");
        return 1;
    }
    std::printf("thread_hooks_cxx\n");
    std::fflush(stdout);
    alloc8_demo_stats before = alloc8_test_snapshot(stats);
    const int count = 16;
    std::vector<std::thread> threads;
    for (int i = 0; i < count; i++)
        threads.emplace_back([i] {
            alloc8_demo_thread t = me();
            CHECK(t.state == DEMO_THREAD_HOOKED && t.inits == 1 && t.cleanups == 0,
                  "std::thread: init ran before the thread's function\n");
            farewell.text = new std::string(static_cast<std::size_t>(100 + i), 'a');
            std::vector<int> v(1000, i);
            CHECK(v.back() == i, "the thread allocated\n");
        });
    for (auto &t : threads)
        t.join();
    alloc8_demo_stats after = alloc8_test_snapshot(stats);
    unsigned long long inits = after.thread_inits - before.thread_inits;
    unsigned long long cleanups = after.thread_cleanups - before.thread_cleanups;
    CHECK(inits == count && cleanups == count, "std::thread: init count == cleanup count == threads\n");
    CHECK(after.unhooked_caches == before.unhooked_caches, "no thread allocated before its init\n");
    std::printf("thread_hooks_cxx: %d threads, %llu inits, %llu cleanups\n", count, inits, cleanups);
    return check_report("thread_hooks_cxx");
}

/* SPDX-License-Identifier: MIT */
/* A thread musl starts itself: a SIGEV_THREAD timer's. musl's timer_create starts one thread per
 * timer through its internal pthread_create (not the wrapped symbol), and that thread runs every
 * callback of the timer; after each callback it runs the thread's key destructors and resets its
 * thread-locals to their initial values (cleanup_fromsig in src/time/timer_create.c), so to the
 * glue each callback is a thread of its own, as each is a new thread on glibc. Under the demo
 * allocator's musl interposer each callback must run after one init (lazily, before its first
 * allocation) and be followed by one cleanup; nothing allocates before init; the thread's end at
 * timer_delete adds no hook call. Usage: timer_thread --alloc8 (under LD_PRELOAD). */
#define _GNU_SOURCE
#include "check.h"
#include "demo_stats.h"

#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

enum { SHOTS = 5, WAIT_ROUNDS = 12000 }; /* 60 s of 5 ms sleeps: a safety net, not a timing */

static alloc8_stats_fn stats;
static alloc8_thread_fn thread_info;
static void *volatile sink;
static atomic_int calls, bad;

static void sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static void callback(union sigval value) {
    (void)value;
    sink = malloc(48);
    free(sink);
    struct alloc8_demo_thread t;
    thread_info(&t);
    if (t.state != DEMO_THREAD_HOOKED || t.inits != 1 || t.cleanups != 0)
        atomic_fetch_add(&bad, 1);
    atomic_fetch_add(&calls, 1);
}

int main(int argc, char **argv) {
    int strict;
    stats = alloc8_test_begin(argc, argv, &strict);
    thread_info = alloc8_test_thread_fn();
    if (!strict || thread_info == NULL) {
        printf("FAIL: usage: timer_thread --alloc8 (under LD_PRELOAD of the demo's musl interposer)\n");
        return 1;
    }
    sink = malloc(1); /* the main thread's init */
    free(sink);
    struct alloc8_demo_stats before = alloc8_test_snapshot(stats);
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_THREAD;
    ev.sigev_notify_function = callback;
    timer_t timer;
    CHECK(timer_create(CLOCK_MONOTONIC, &ev, &timer) == 0, "timer_create(SIGEV_THREAD)\n");
    for (int shot = 0; shot < SHOTS; shot++) {
        struct itimerspec when = {{0, 0}, {0, 1000000}};
        timer_settime(timer, 0, &when, NULL);
        for (int i = 0; i < WAIT_ROUNDS && atomic_load(&calls) < shot + 1; i++)
            sleep_ms(5);
    }
    struct alloc8_demo_stats fired = alloc8_test_snapshot(stats);
    for (int i = 0; i < WAIT_ROUNDS && DELTA(before, fired, thread_cleanups) < SHOTS; i++) {
        sleep_ms(5); /* the last callback's cleanup follows its return */
        fired = alloc8_test_snapshot(stats);
    }
    timer_delete(timer); /* the timer's thread ends */
    sleep_ms(50);
    struct alloc8_demo_stats after = alloc8_test_snapshot(stats);
    CHECK(atomic_load(&calls) == SHOTS, "every shot ran its callback (%d)\n", atomic_load(&calls));
    CHECK(atomic_load(&bad) == 0, "each callback ran after one init of its own and before its cleanup\n");
    CHECK(DELTA(before, fired, thread_inits) == SHOTS && DELTA(before, fired, thread_cleanups) == SHOTS,
          "one init and one cleanup per callback (inits +%llu, cleanups +%llu, callbacks %d)\n",
          (unsigned long long)DELTA(before, fired, thread_inits),
          (unsigned long long)DELTA(before, fired, thread_cleanups), SHOTS);
    CHECK(DELTA(fired, after, thread_inits) == 0 && DELTA(fired, after, thread_cleanups) == 0,
          "the thread's end at timer_delete added no hook call\n");
    CHECK(after.unhooked_caches == before.unhooked_caches, "no allocation before init\n");
    CHECK(after.threads_created == 1, "created_flag was set by the lazily initialised thread\n");
    return check_report("timer_thread");
}

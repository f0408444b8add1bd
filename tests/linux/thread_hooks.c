/* SPDX-License-Identifier: MIT */
/* Thread lifecycle hooks under LD_PRELOAD of liballoc8demo.so (docs/threads.md). The demo
 * allocator counts xxthread_init / xxthread_cleanup globally and per thread; every case checks
 * what the thread itself saw and the exact deltas.
 *
 * Usage: thread_hooks --alloc8 <case>
 *   paths   the lock-elision switch-over at the first thread, then one thread per exit path:
 *           return, pthread_exit, cancellation, detached, thrd_create, and pthread_create bound
 *           through its old symbol version GLIBC_2.2.5; cleanup runs once, in the last key
 *           destructor round, and allocation after it still works
 *   churn   10,000 short threads: inits == cleanups == threads, and caches are recycled
 *   timer   SIGEV_THREAD timer callbacks (threads glibc creates itself): init lazily, once
 *   absent  an interposer built without active hooks (activation: library not linked, or runtime
 *           with the hook functions missing): nothing is called, threads work as usual, and
 *           created_flag is still set before the first thread runs
 *   main_pthread_exit  the main thread leaves with pthread_exit while another thread still runs
 *           (the process ends with that thread; thread_exit_cleanup.sh checks the totals)
 *   at_start  an interposer with threads.lazy_init: false (and no created_flag): every thread the
 *           wrappers start gets init before its start routine and one cleanup, as in 'paths'; the
 *           main thread was attached at load; SIGEV_THREAD callback threads get no hook at all,
 *           which shows that calls into the allocator make no per-thread check
 *   keydtor  threads started by libc's own pthread_create whose first call into the allocator is
 *           in a key destructor: init then, and still exactly one cleanup each
 * Built with ALLOC8_TEST_STATIC, it is a -static program linked with the demo allocator's archive
 * (musl): the same cases, no LD_PRELOAD. */
#define _GNU_SOURCE
#include "demo_stats.h"
#include "check.h"

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <threads.h>
#include <time.h>
#include <unistd.h>

/* thread_hooks_old.c: pthread_create through the reference pthread_create@GLIBC_2.2.5 */
int alloc8_test_create_old(pthread_t *thread, void *(*start)(void *), void *arg);

static alloc8_stats_fn stats;
static alloc8_thread_fn thread_info;
static void *volatile sink;

static struct alloc8_demo_stats snap(void) {
    return alloc8_test_snapshot(stats);
}

static struct alloc8_demo_thread me(void) {
    struct alloc8_demo_thread t;
    thread_info(&t);
    return t;
}

enum { WAIT_ROUNDS = 12000 }; /* 60 s of 5 ms sleeps */

static void sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Wait until the global cleanup count reaches `target` (at most WAIT_ROUNDS sleeps of 5 ms: a
 * safety net far above the few milliseconds a thread needs to exit, even on a loaded machine). */
static uint64_t wait_cleanups(uint64_t target) {
    uint64_t now = 0;
    for (int i = 0; i < WAIT_ROUNDS && (now = snap().thread_cleanups) < target; i++)
        sleep_ms(5);
    return now;
}

/* ---- what a thread saw ------------------------------------------------------------------------ */

struct seen {
    struct alloc8_demo_thread at_start;        /* before the start routine allocated anything */
    uint64_t created_flag_at_start;            /* demo_threads_created, read inside the new thread */
    struct alloc8_demo_thread late;            /* in the last key destructor round, after cleanup */
    uint64_t late_mallocs, late_after_cleanup; /* counter deltas of one malloc+free made there */
    atomic_int late_ran;
};

static struct seen *current;        /* the case being run (one thread at a time) */
static int expect_created_flag = 1; /* 0 for an interposer that binds no created_flag */

/* A key created after the glue's (so it comes later in every round) whose destructor re-arms
 * itself until the last round: it runs after the glue's cleanup and allocates. */
static pthread_key_t late_key;

static void late_destructor(void *value) {
    static _Thread_local int rounds;
    if (++rounds < PTHREAD_DESTRUCTOR_ITERATIONS) {
        pthread_setspecific(late_key, value);
        return;
    }
    struct seen *s = value;
    s->late = me();
    struct alloc8_demo_stats before = snap();
    sink = malloc(64);
    free(sink);
    struct alloc8_demo_stats after = snap();
    s->late_mallocs = after.malloc_calls - before.malloc_calls;
    s->late_after_cleanup = after.after_cleanup_calls - before.after_cleanup_calls;
    atomic_store(&s->late_ran, 1);
}

static void thread_prologue(struct seen *s) {
    s->at_start = me();
    s->created_flag_at_start = snap().threads_created;
    pthread_setspecific(late_key, s);
    sink = malloc(100);
    free(sink);
}

enum exit_path { BY_RETURN, BY_PTHREAD_EXIT, BY_CANCEL, BY_DETACH };

static void *posix_body(void *arg) {
    enum exit_path how = (enum exit_path)(intptr_t)arg;
    thread_prologue(current);
    if (how == BY_PTHREAD_EXIT)
        pthread_exit((void *)7);
    if (how == BY_CANCEL)
        for (;;)
            sleep_ms(1); /* nanosleep is a cancellation point */
    return (void *)7;
}

static int c11_body(void *arg) {
    (void)arg;
    thread_prologue(current);
    return 7;
}

/* Run one thread to its end and check what it and the counters show. */
static void run_case(const char *name, int how, int old_symbol, int c11) {
    struct seen s;
    memset(&s, 0, sizeof s);
    current = &s;
    struct alloc8_demo_stats before = snap();
    pthread_t t;
    thrd_t c;
    void *result = NULL;
    int rc;
    if (c11)
        rc = thrd_create(&c, c11_body, NULL) == thrd_success ? 0 : -1;
    else if (old_symbol)
        rc = alloc8_test_create_old(&t, posix_body, (void *)(intptr_t)how);
    else if (how == BY_DETACH) {
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        rc = pthread_create(&t, &attr, posix_body, (void *)(intptr_t)how);
        pthread_attr_destroy(&attr);
    } else
        rc = pthread_create(&t, NULL, posix_body, (void *)(intptr_t)how);
    CHECK(rc == 0, "%s: the thread was created\n", name);
    if (rc != 0)
        return;
    if (c11) {
        int res = 0;
        thrd_join(c, &res);
        result = (void *)(intptr_t)res;
    } else if (how == BY_CANCEL) {
        sleep_ms(20);
        pthread_cancel(t);
        pthread_join(t, &result);
        CHECK(result == PTHREAD_CANCELED, "%s: the thread was cancelled\n", name);
    } else if (how != BY_DETACH) {
        pthread_join(t, &result);
    }
    uint64_t cleanups = wait_cleanups(before.thread_cleanups + 1);
    for (int i = 0; i < WAIT_ROUNDS && !atomic_load(&s.late_ran); i++)
        sleep_ms(5); /* a detached thread: wait for its last destructor round */
    struct alloc8_demo_stats after = snap();
    if (how != BY_CANCEL && how != BY_DETACH)
        CHECK(result == (void *)7, "%s: the start routine's result came back\n", name);
    CHECK(s.at_start.state == DEMO_THREAD_HOOKED && s.at_start.inits == 1,
          "%s: init ran in the new thread before its start routine (state %d, inits %u)\n", name, s.at_start.state,
          s.at_start.inits);
    CHECK(s.at_start.cleanups == 0, "%s: no cleanup before the start routine\n", name);
    CHECK(s.created_flag_at_start == (uint64_t)expect_created_flag, "%s: created_flag was %s before the thread ran\n",
          name, expect_created_flag ? "set" : "left alone");
    CHECK(after.thread_inits - before.thread_inits == 1, "%s: exactly one init (got %llu)\n", name,
          (unsigned long long)(after.thread_inits - before.thread_inits));
    CHECK(cleanups - before.thread_cleanups == 1 && after.thread_cleanups - before.thread_cleanups == 1,
          "%s: exactly one cleanup (got %llu)\n", name,
          (unsigned long long)(after.thread_cleanups - before.thread_cleanups));
    CHECK(atomic_load(&s.late_ran), "%s: the late key destructor ran\n", name);
    CHECK(s.late.cleanups == 1 && s.late.inits == 1 && s.late.state == DEMO_THREAD_TORN_DOWN,
          "%s: in the last destructor round cleanup had run once (state %d, inits %u, cleanups %u)\n", name,
          s.late.state, s.late.inits, s.late.cleanups);
    CHECK(s.late_mallocs == 1 && s.late_after_cleanup == 2,
          "%s: malloc+free after cleanup reached the allocator (mallocs %llu, after-cleanup calls %llu)\n", name,
          (unsigned long long)s.late_mallocs, (unsigned long long)s.late_after_cleanup);
    CHECK(after.unhooked_caches == before.unhooked_caches, "%s: no allocation before init\n", name);
}

/* Before any thread: the demo takes no locks; from the first pthread_create on it does. */
static void switch_over(void) {
    struct alloc8_demo_stats a = snap();
    CHECK(a.threads_created == 0, "created_flag is 0 while the process is single-threaded\n");
    for (int i = 0; i < 4; i++)
        free(malloc(1 << 20)); /* large blocks: the shared large-block set is used every time */
    struct alloc8_demo_stats b = snap();
#ifdef __GLIBC__
    CHECK(b.locks_elided - a.locks_elided >= 8 && b.locks_taken == a.locks_taken,
          "single-threaded: locks elided (+%llu), none taken (+%llu)\n",
          (unsigned long long)(b.locks_elided - a.locks_elided), (unsigned long long)(b.locks_taken - a.locks_taken));
#else
    /* musl (tests/musl/): no sign of the threads libc starts itself (__libc_single_threaded is
       glibc's), so the demo allocator takes its locks from the start */
    CHECK(b.locks_taken - a.locks_taken >= 8 && b.locks_elided == a.locks_elided,
          "no single-threaded sign on musl: locks taken (+%llu), none elided (+%llu)\n",
          (unsigned long long)(b.locks_taken - a.locks_taken), (unsigned long long)(b.locks_elided - a.locks_elided));
#endif
    run_case("first thread (return)", BY_RETURN, 0, 0);
    struct alloc8_demo_stats c = snap();
    for (int i = 0; i < 4; i++)
        free(malloc(1 << 20));
    struct alloc8_demo_stats d = snap();
    CHECK(c.threads_created == 1, "created_flag is 1 after the first pthread_create\n");
    CHECK(d.locks_taken - c.locks_taken >= 8 && d.locks_elided == c.locks_elided,
          "multi-threaded: locks taken (+%llu), none elided (+%llu)\n",
          (unsigned long long)(d.locks_taken - c.locks_taken), (unsigned long long)(d.locks_elided - c.locks_elided));
}

static void case_paths(void) {
    switch_over();
    run_case("pthread_exit", BY_PTHREAD_EXIT, 0, 0);
    run_case("cancelled", BY_CANCEL, 0, 0);
    run_case("detached", BY_DETACH, 0, 0);
    run_case("thrd_create", BY_RETURN, 0, 1);
    run_case("pthread_create@GLIBC_2.2.5", BY_RETURN, 1, 0);
    run_case("pthread_create@GLIBC_2.2.5, pthread_exit", BY_PTHREAD_EXIT, 1, 0);
}

/* ---- churn ------------------------------------------------------------------------------------- */

enum { CHURN_THREADS = 10000, CHURN_BATCH = 4 };
static atomic_int churn_bad;

static void *churn_body(void *arg) {
    (void)arg;
    struct alloc8_demo_thread t = me();
    if (t.state != DEMO_THREAD_HOOKED || t.inits != 1)
        atomic_fetch_add(&churn_bad, 1);
    void *p[8];
    for (int i = 0; i < 8; i++)
        p[i] = malloc((size_t)(16 << i));
    for (int i = 0; i < 8; i++)
        free(p[i]);
    return NULL;
}

static void case_churn(void) {
    struct alloc8_demo_stats before = snap();
    int created = 0;
    for (int i = 0; i < CHURN_THREADS; i += CHURN_BATCH) {
        pthread_t t[CHURN_BATCH];
        int n = 0;
        for (int j = 0; j < CHURN_BATCH; j++)
            if (pthread_create(&t[n], NULL, churn_body, NULL) == 0)
                n++;
        for (int j = 0; j < n; j++)
            pthread_join(t[j], NULL);
        created += n;
    }
    struct alloc8_demo_stats after = snap();
    uint64_t inits = after.thread_inits - before.thread_inits;
    uint64_t cleanups = after.thread_cleanups - before.thread_cleanups;
    uint64_t caches = after.thread_caches - before.thread_caches;
    uint64_t fresh = caches - (after.thread_caches_reused - before.thread_caches_reused);
    CHECK(created == CHURN_THREADS, "all %d threads were created (%d)\n", CHURN_THREADS, created);
    CHECK(inits == (uint64_t)created && cleanups == (uint64_t)created,
          "init count == cleanup count == thread count (%llu, %llu, %d)\n", (unsigned long long)inits,
          (unsigned long long)cleanups, created);
    CHECK(atomic_load(&churn_bad) == 0, "every thread saw its init before its start routine (%d did not)\n",
          atomic_load(&churn_bad));
    CHECK(caches == (uint64_t)created && fresh <= 2 * CHURN_BATCH,
          "caches are recycled: %llu handed out, only %llu new (bounded footprint)\n", (unsigned long long)caches,
          (unsigned long long)fresh);
    CHECK(after.unhooked_caches == before.unhooked_caches, "no thread allocated before its init\n");
    printf("churn: %d threads, %llu inits, %llu cleanups, %llu new caches\n", created, (unsigned long long)inits,
           (unsigned long long)cleanups, (unsigned long long)fresh);
}

/* ---- SIGEV_THREAD timers: threads created inside glibc, not through pthread_create ----------- */

enum { TIMER_SHOTS = 5 };
static atomic_int timer_calls, timer_bad;

static void timer_body(union sigval value) {
    (void)value;
    sink = malloc(48);
    free(sink);
    struct alloc8_demo_thread t = me();
    if (t.state != DEMO_THREAD_HOOKED || t.inits != 1 || t.cleanups != 0)
        atomic_fetch_add(&timer_bad, 1);
    atomic_fetch_add(&timer_calls, 1);
}

/* Fire a SIGEV_THREAD timer TIMER_SHOTS times, one shot after the other; each callback thread
   counts itself in timer_calls. */
static void fire_timer(void (*callback)(union sigval)) {
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_THREAD;
    ev.sigev_notify_function = callback;
    timer_t timer;
    CHECK(timer_create(CLOCK_MONOTONIC, &ev, &timer) == 0, "timer_create(SIGEV_THREAD)\n");
    for (int shot = 0; shot < TIMER_SHOTS; shot++) {
        struct itimerspec when = {{0, 0}, {0, 1000000}};
        timer_settime(timer, 0, &when, NULL);
        for (int i = 0; i < WAIT_ROUNDS && atomic_load(&timer_calls) < shot + 1; i++)
            sleep_ms(5);
    }
    timer_delete(timer);
}

static void case_timer(void) {
    struct alloc8_demo_stats before = snap();
    fire_timer(timer_body);
    /* each callback thread ends after its callback; glibc's helper thread lives on */
    uint64_t cleanups = wait_cleanups(before.thread_cleanups + TIMER_SHOTS);
    sleep_ms(50);
    struct alloc8_demo_stats after = snap();
    uint64_t inits = after.thread_inits - before.thread_inits;
    CHECK(atomic_load(&timer_calls) == TIMER_SHOTS, "every timer fired (%d)\n", atomic_load(&timer_calls));
    CHECK(atomic_load(&timer_bad) == 0, "every callback thread had exactly one init and no cleanup yet\n");
    /* glibc 2.36 runs callbacks in a new thread each, started by a helper thread it makes once */
    CHECK(inits == TIMER_SHOTS || inits == TIMER_SHOTS + 1,
          "one init per callback thread (plus glibc's helper thread, if it allocates): %llu\n",
          (unsigned long long)inits);
    CHECK(cleanups - before.thread_cleanups == TIMER_SHOTS &&
              after.thread_cleanups - before.thread_cleanups == TIMER_SHOTS,
          "one cleanup per ended callback thread (%llu)\n",
          (unsigned long long)(after.thread_cleanups - before.thread_cleanups));
    CHECK(after.unhooked_caches == before.unhooked_caches, "no thread allocated before its init\n");
    CHECK(after.threads_created == 1, "created_flag was set by the lazily initialised threads\n");
}

/* threads.lazy_init: false. The timer's callback threads are started by glibc itself, so they
   never pass the wrappers: with no per-call check they allocate without any hook. */
static atomic_int untouched_bad;

static void untouched_timer_body(union sigval value) {
    (void)value;
    sink = malloc(48);
    free(sink);
    struct alloc8_demo_thread t = me();
    if (t.state != DEMO_THREAD_UNHOOKED || t.inits != 0)
        atomic_fetch_add(&untouched_bad, 1);
    atomic_fetch_add(&timer_calls, 1);
}

static void case_at_start(void) {
    expect_created_flag = 0;
    run_case("pthread_create", BY_RETURN, 0, 0);
    run_case("pthread_exit", BY_PTHREAD_EXIT, 0, 0);
    run_case("cancelled", BY_CANCEL, 0, 0);
    run_case("detached", BY_DETACH, 0, 0);
    run_case("thrd_create", BY_RETURN, 0, 1);
    run_case("pthread_create@GLIBC_2.2.5", BY_RETURN, 1, 0);
    struct alloc8_demo_stats before = snap();
    fire_timer(untouched_timer_body);
    sleep_ms(50);
    struct alloc8_demo_stats after = snap();
    CHECK(atomic_load(&timer_calls) == TIMER_SHOTS, "every timer fired (%d)\n", atomic_load(&timer_calls));
    CHECK(atomic_load(&untouched_bad) == 0, "no callback thread ran a hook; each made its own cache\n");
    CHECK(after.thread_inits == before.thread_inits && after.thread_cleanups == before.thread_cleanups,
          "no hook ran for threads glibc started (inits +%llu, cleanups +%llu)\n",
          (unsigned long long)(after.thread_inits - before.thread_inits),
          (unsigned long long)(after.thread_cleanups - before.thread_cleanups));
    CHECK(after.unhooked_caches - before.unhooked_caches >= TIMER_SHOTS,
          "the allocator set up the callback threads itself (%llu caches)\n",
          (unsigned long long)(after.unhooked_caches - before.unhooked_caches));
    CHECK(after.threads_created == 0, "created_flag is not bound, so it stayed 0\n");
}

struct absent_seen {
    struct alloc8_demo_thread thread;
    uint64_t created_flag; /* read by the thread before its first allocation */
};

static void *absent_body(void *arg) {
    struct absent_seen *seen = arg;
    seen->created_flag = snap().threads_created;
    seen->thread = me();
    sink = malloc(100);
    free(sink);
    return (void *)7;
}

static void case_absent(void) {
    struct alloc8_demo_stats before = snap();
    CHECK(before.threads_created == 0, "created_flag is 0 before the first thread\n");
    struct absent_seen seen;
    pthread_t t;
    void *result = NULL;
    CHECK(pthread_create(&t, NULL, absent_body, &seen) == 0 && pthread_join(t, &result) == 0 && result == (void *)7,
          "pthread_create and join work\n");
    struct alloc8_demo_stats after = snap();
    CHECK(seen.thread.inits == 0 && seen.thread.state == DEMO_THREAD_NO_CACHE, "no init hook ran in the thread\n");
    CHECK(after.thread_inits == 0 && after.thread_cleanups == 0, "no hook was ever called\n");
    CHECK(after.unhooked_caches - before.unhooked_caches == 1, "the allocator managed the thread's cache itself\n");
    CHECK(seen.created_flag == 1, "created_flag was set before the thread ran, with no hooks present\n");
}

/* ---- keydtor: threads first seen inside another key's destructor --------------------------------
   Started through libc's own pthread_create (as threads made inside libc, or in a static link,
   are), they make no call into the allocator until a key destructor of theirs allocates. */
enum { KEYDTOR_THREADS = 10 };
static pthread_key_t keydtor_key;
static atomic_int keydtor_hooked; /* destructors that saw the thread initialised by that call */
static atomic_int keydtor_bare;   /* start routines that ran with no init (libc's own route) */

static void keydtor_destructor(void *value) {
    (void)value;
    sink = malloc(200); /* the thread's first call into the allocator */
    free(sink);
    struct alloc8_demo_thread t = me();
    if (t.state == DEMO_THREAD_HOOKED && t.inits == 1 && t.cleanups == 0)
        atomic_fetch_add(&keydtor_hooked, 1);
}

static void *keydtor_body(void *arg) {
    if (me().inits == 0)
        atomic_fetch_add(&keydtor_bare, 1);
    pthread_setspecific(keydtor_key, arg); /* no allocation: keys below 32 use the thread's own slots */
    return NULL;
}

typedef int create_fn(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);
#ifdef ALLOC8_TEST_STATIC
/* a -static link with the archive's --wrap=pthread_create: libc's own function is __real_ */
create_fn __real_pthread_create;
#endif

static void case_keydtor(void) {
#ifdef ALLOC8_TEST_STATIC
    void *fn = NULL;
    create_fn *real = __real_pthread_create;
    memcpy(&fn, &real, sizeof real);
#else
    void *libc = dlopen("libc.so.6", RTLD_LAZY | RTLD_NOLOAD);
    void *fn = libc != NULL ? dlsym(libc, "pthread_create") : NULL;
#endif
    CHECK(fn != NULL, "libc's own pthread_create found\n");
    if (fn == NULL)
        return;
    create_fn *libc_create;
    memcpy(&libc_create, &fn, sizeof fn);
    CHECK(pthread_key_create(&keydtor_key, keydtor_destructor) == 0, "a key with an allocating destructor\n");
    struct alloc8_demo_stats before = snap();
    for (int i = 0; i < KEYDTOR_THREADS; i++) {
        pthread_t t;
        CHECK(libc_create(&t, NULL, keydtor_body, &keydtor_key) == 0 && pthread_join(t, NULL) == 0,
              "thread %d started by libc's pthread_create and joined\n", i);
    }
    struct alloc8_demo_stats after = snap();
    CHECK(atomic_load(&keydtor_bare) == KEYDTOR_THREADS,
          "each thread's start routine ran with no init: libc's route, not the wrapper (%d of %d)\n",
          atomic_load(&keydtor_bare), KEYDTOR_THREADS);
    CHECK(atomic_load(&keydtor_hooked) == KEYDTOR_THREADS,
          "each thread got init before its first allocation, in a key destructor (%d of %d)\n",
          atomic_load(&keydtor_hooked), KEYDTOR_THREADS);
    CHECK(after.thread_inits - before.thread_inits == KEYDTOR_THREADS &&
              after.thread_cleanups - before.thread_cleanups == KEYDTOR_THREADS,
          "one init and one cleanup per thread (inits +%llu, cleanups +%llu, threads %d)\n",
          (unsigned long long)(after.thread_inits - before.thread_inits),
          (unsigned long long)(after.thread_cleanups - before.thread_cleanups), KEYDTOR_THREADS);
}

static void *linger_body(void *arg) {
    (void)arg;
    sleep_ms(50);
    sink = malloc(300);
    free(sink);
    return NULL;
}

static void case_main_pthread_exit(void) {
    pthread_t t;
    CHECK(pthread_create(&t, NULL, linger_body, NULL) == 0, "a thread outlives main\n");
    check_report("thread_hooks");
    fflush(stdout);
    pthread_exit(NULL); /* key destructors run for the main thread too */
}

int main(int argc, char **argv) {
    int strict;
    stats = alloc8_test_begin(argc, argv, &strict);
    thread_info = alloc8_test_thread_fn();
    const char *which = argc > 2 ? argv[2] : "";
    if (!strict || thread_info == NULL) {
        printf("FAIL: usage: thread_hooks --alloc8 paths|churn|timer|absent|main_pthread_exit|at_start|keydtor "
               "(under LD_PRELOAD of the demo)\n");
        return 1;
    }
    printf("thread_hooks %s\n", which);
    fflush(stdout);
    sink = malloc(1); /* the main thread: lazily initialised by its first allocation, or at load */
    free(sink);
    struct alloc8_demo_thread m = me();
    int hooks = strcmp(which, "absent") != 0;
    CHECK(!hooks || (m.state == DEMO_THREAD_HOOKED && m.inits == 1 && m.cleanups == 0),
          "the main thread was initialised %s, once (state %d, inits %u)\n",
          strcmp(which, "at_start") == 0 ? "at load" : "lazily", m.state, m.inits);
    pthread_key_create(&late_key, late_destructor); /* after the glue's key */
    if (strcmp(which, "paths") == 0)
        case_paths();
    else if (strcmp(which, "churn") == 0)
        case_churn();
    else if (strcmp(which, "timer") == 0)
        case_timer();
    else if (strcmp(which, "absent") == 0)
        case_absent();
    else if (strcmp(which, "main_pthread_exit") == 0)
        case_main_pthread_exit();
    else if (strcmp(which, "at_start") == 0)
        case_at_start();
    else if (strcmp(which, "keydtor") == 0)
        case_keydtor();
    else {
        printf("FAIL: unknown case '%s'\n", which);
        return 1;
    }
    return check_report("thread_hooks");
}

/* SPDX-License-Identifier: MIT */
/* kit/threads.c: thread churn with cross-thread frees (docs/checking.md).
 *
 *   threads [facts...] [--rounds N]
 *
 * ROUNDS rounds (--rounds N: fewer) of PER_ROUND threads each, of four kinds: returning from the start routine,
 * leaving through pthread_exit from a nested call, detached, and cancelled (deferred, while
 * blocked in pause(), with a cleanup handler that frees the thread's own blocks). Every thread
 * first makes its keepsake, a block that outlives it (the main thread frees every keepsake at the
 * end), then BLOCKS blocks (16 bytes to 2 KiB, some aligned, some resized, and a few over 32 KiB),
 * writes a pattern into each, and trades half of them through a shared exchange: it frees the
 * block it takes out, which another thread made, often one that has ended since. Every block is
 * checked against the live ones when it is made (disjoint) and for its pattern before it is
 * freed, so a block handed out while it is alive (a thread cache or arena recycled when its
 * thread ends, a lost cross-thread free) is found, with the thread that made it and how that
 * thread ended. The thread hooks are checked with the glue's own counts
 * (alloc8_thread_hook_counts): init ran once in every thread before its start routine (in a
 * prefixed library, which the threads do not start through, before the thread's first call), and
 * cleanup once for each thread after it ended. The counts are fixed; the main thread waits for
 * events (joins, a condition variable), never for a time, except for the cleanups of detached
 * threads, which run after their last signal: those it polls, a bounded number of times. */
#define _GNU_SOURCE
#include "kit.h"

#include <pthread.h>
#include <time.h>

enum { ROUNDS = 16, PER_ROUND = 8, BLOCKS = 48, EXCHANGE = 192, THREADS = ROUNDS * PER_ROUND };
enum { KEEPSAKE = 20000 }; /* a size no other block of this program has */
enum { KIND_RETURN, KIND_EXIT, KIND_DETACHED, KIND_CANCELLED, KINDS };
static const char *const kind_names[KINDS] = {"returned from its start routine", "called pthread_exit",
                                              "was detached and returned", "was cancelled in pause()"};

/* A block's facts live here, in static memory, not in the block: a corrupted block cannot hide
   who made it. The exchange holds ticket numbers (0: empty). */
struct ticket {
    unsigned char *p;
    size_t size;
    uint32_t tag;
    int maker; /* thread number */
    int live;  /* its index in the registry of live blocks + 1 (0: not registered) */
    char how[64];
};
enum { TICKETS = THREADS * (BLOCKS + 1) + 1 };
static struct ticket tickets[TICKETS];
static atomic_int next_ticket = 1;
static atomic_int exchange[EXCHANGE];

struct thread_record {
    int kind, round;
    int keepsake; /* its ticket */
    atomic_int ended;
    pthread_t id;
};
static struct thread_record records[THREADS];

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static int ready_to_cancel, detached_done; /* under lock */
static atomic_long made, freed, cross_frees;
static atomic_int reported;

/* The live blocks (tickets), to check each new block against: a block is registered after it is
   made and unregistered before it is freed, so an overlap is always a block handed out twice. */
static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static int registry[TICKETS], registered;

static unsigned char pattern(uint32_t tag, size_t i) {
    return (unsigned char)(tag + i * 31 + (i >> 8));
}

static void fill(struct ticket *t) {
    for (size_t i = 0; i < t->size; i++)
        t->p[i] = pattern(t->tag, i);
}

static size_t first_change(const struct ticket *t, size_t limit) {
    for (size_t i = 0; i < limit; i++)
        if (t->p[i] != pattern(t->tag, i))
            return i;
    return SIZE_MAX;
}

static const char *who_answers(void) {
    static char who[128];
    snprintf(who, sizeof who, "entry.malloc+entry.free%s%s", kit_bound("threads.cleanup") ? "+threads.cleanup" : "",
             kit_bound("threads.init") ? "+threads.init" : "");
    return who;
}

/* "thread 3 (round 0), which had returned from its start routine" */
static void describe_maker(char *out, size_t size, int maker) {
    if (maker < 0) {
        snprintf(out, size, "the main thread");
        return;
    }
    const struct thread_record *m = &records[maker];
    snprintf(out, size, "thread %d (round %d), which %s", maker, m->round,
             atomic_load(&m->ended) ? kind_names[m->kind] : "was still running");
}

/* Register ticket `number`, just made by thread `self`; 0 (and a FAIL line) if it overlaps a
   live block. */
static int enter(int number, int self) {
    struct ticket *t = &tickets[number];
    uintptr_t lo = (uintptr_t)t->p, hi = lo + (t->size ? t->size : 1);
    pthread_mutex_lock(&registry_lock);
    int other = 0;
    for (int i = 0; i < registered && other == 0; i++) {
        const struct ticket *u = &tickets[registry[i]];
        if (lo < (uintptr_t)u->p + u->size && (uintptr_t)u->p < hi)
            other = registry[i];
    }
    if (other == 0) {
        registry[registered] = number;
        t->live = ++registered;
    }
    pthread_mutex_unlock(&registry_lock);
    atomic_fetch_add(&kit_checks, 1);
    if (other == 0)
        return 1;
    atomic_fetch_add(&kit_failures, 1);
    if (atomic_fetch_add(&reported, 1) == 0) {
        const struct ticket *u = &tickets[other];
        char maker[128];
        describe_maker(maker, sizeof maker, u->maker);
        kit_fail(who_answers(), C_DISJOINT,
                 "thread %d (round %d): q = %s -> %p overlaps the live p = %s -> %p, made by %s; p was not freed", self,
                 records[self].round, t->how, (void *)t->p, u->how, (void *)u->p, maker);
    }
    return 0;
}

static void leave_registry(int number) {
    struct ticket *t = &tickets[number];
    pthread_mutex_lock(&registry_lock);
    int at = t->live - 1;
    int last = registry[--registered];
    registry[at] = last;
    tickets[last].live = at + 1;
    t->live = 0;
    pthread_mutex_unlock(&registry_lock);
}

/* Check a block and free it (in thread `self`, -1: the main thread). */
static void check_and_free(int number, int self) {
    struct ticket *t = &tickets[number];
    size_t at = first_change(t, t->size);
    if (at != SIZE_MAX) {
        atomic_fetch_add(&kit_failures, 1);
        if (atomic_fetch_add(&reported, 1) == 0) {
            char maker[128], finder[32];
            describe_maker(maker, sizeof maker, t->maker);
            if (self < 0)
                snprintf(finder, sizeof finder, "the main thread");
            else
                snprintf(finder, sizeof finder, "thread %d", self);
            kit_fail(who_answers(), C_INTACT,
                     "p = %s -> %p, written by %s; other threads started and allocated; then %s found byte %zu of p "
                     "changed to %#x while p was alive (not freed)",
                     t->how, (void *)t->p, maker, finder, at, t->p[at]);
        }
        return; /* not freed: the heap is suspect */
    }
    atomic_fetch_add(&kit_checks, 1);
    if (t->maker != self)
        atomic_fetch_add(&cross_frees, 1);
    leave_registry(number);
    A.free(t->p);
    t->p = NULL;
    atomic_fetch_add(&freed, 1);
}

/* ---- the thread hooks, counted by the glue (kit_hook_counts, kit/kit.h) ------------------------ */
static unsigned long hooks_before[KIT_HOOK_COUNTS]; /* the main thread's reading before the first round */

/* Whether the kit's threads attach to the hooks: not in a prefixed library with lazy_init: false
   (its pthread_create wrappers are not the program's, and no other thread runs the hooks). */
static int threads_attach(void) {
    return K.prefix == NULL || !K.threads_at_start;
}

/* In thread `self`, after its first call into the library: `at_start` was read first thing in
   its start routine. */
static void check_thread_hooks(int self, const unsigned long at_start[KIT_HOOK_COUNTS]) {
    if (kit_hook_counts == NULL || !hooks_before[0] || !threads_attach())
        return;
    unsigned long now[KIT_HOOK_COUNTS];
    kit_hook_counts(now);
    const struct thread_record *me = &records[self];
    if (kit_bound("threads.init") && K.prefix == NULL)
        KIT_CHECK(at_start[1] == 1, "the glue's pthread_create", C_HOOK_AT_START,
                  "thread %d (round %d), started by pthread_create: when its start routine began, threads.init (%s) "
                  "had run %lu times in it (the glue's count)",
                  self, me->round, kit_symbol("threads.init"), at_start[1]);
    if (kit_bound("threads.init"))
        KIT_CHECK(now[1] == 1, "the glue", K.prefix ? C_HOOK_LAZY : C_HOOK_AT_START,
                  "thread %d (round %d): after its first call into the library, threads.init (%s) had run %lu times "
                  "in it (the glue's count)",
                  self, me->round, kit_symbol("threads.init"), now[1]);
    if (kit_bound("threads.cleanup"))
        KIT_CHECK(now[2] == 0, "the glue", C_HOOK_CLEANUP,
                  "thread %d (round %d): threads.cleanup (%s) had run %lu times in it while it was still running", self,
                  me->round, kit_symbol("threads.cleanup"), now[2]);
}

/* After every thread ended: init ran once for each (and for the main thread if it attached during
   the rounds), cleanup once for each. Returns the summary for the PASS line. */
static const char *check_hook_totals(int started) {
    static char summary[160];
    if (kit_hook_counts == NULL) {
        int bound = kit_bound("threads.init") || kit_bound("threads.cleanup");
        snprintf(summary, sizeof summary, "; no thread hooks to count (%s)",
                 bound ? "compiled out of the library" : "the spec has none");
        return summary;
    }
    if (!hooks_before[0]) {
        snprintf(summary, sizeof summary, "; the thread hooks do not run in this process (absent)");
        return summary;
    }
    unsigned long want = threads_attach() ? (unsigned long)started : 0, now[KIT_HOOK_COUNTS];
    /* a detached thread runs its key destructors (cleanup) after its last signal: wait for them,
       a bounded number of times (60,000 waits of at least 1 ms) */
    for (int i = 0; i < 60000; i++) {
        kit_hook_counts(now);
        if (now[4] - hooks_before[4] - (now[2] - hooks_before[2]) >= want || !kit_bound("threads.cleanup"))
            break;
        struct timespec ms = {0, 1000000};
        nanosleep(&ms, NULL);
    }
    unsigned long main_inits = now[1] - hooks_before[1], main_cleanups = now[2] - hooks_before[2];
    unsigned long inits = now[3] - hooks_before[3] - main_inits, cleanups = now[4] - hooks_before[4] - main_cleanups;
    if (kit_bound("threads.init"))
        KIT_CHECK(inits == want, "the glue", K.prefix ? C_HOOK_LAZY : C_HOOK_AT_START,
                  "%d threads started through pthread_create%s: threads.init (%s) ran %lu times in them (the glue's "
                  "count), expected %lu",
                  started, K.prefix ? " (calling the prefixed library)" : "", kit_symbol("threads.init"), inits, want);
    if (kit_bound("threads.cleanup"))
        KIT_CHECK(cleanups == want && main_cleanups == 0, "the glue", C_HOOK_CLEANUP,
                  "%d threads started through pthread_create and ended: threads.cleanup (%s) ran %lu times for them "
                  "and %lu times in the main thread, which is still running (the glue's counts), expected %lu and 0",
                  started, kit_symbol("threads.cleanup"), cleanups, main_cleanups, want);
    snprintf(summary, sizeof summary, "; thread hooks (the glue's counts): init %lu, cleanup %lu times in them", inits,
             cleanups);
    return summary;
}

/* ---- threads.created_flag, read through the glue (alloc8_thread_created_flag) ------------------ */
typedef int created_flag_fn(void);
static created_flag_fn *created_flag;
static atomic_int probe_saw;

static void *probe_main(void *arg) { /* reads the flag first thing, and makes no call into the library */
    (void)arg;
    atomic_store(&probe_saw, created_flag());
    return NULL;
}

/* Before the rounds (interpose mode, where the program's pthread_create is the glue's): a thread
   started first reads the flag first thing in its start routine. After them (prefixed mode, whose
   threads attach at their first call, when the hooks run): the flag is set. The PASS line's part. */
static const char *check_created_flag(int after_rounds) {
    static char summary[160];
    const char *symbol = kit_symbol("threads.created_flag");
    if (symbol == NULL || (after_rounds && K.prefix == NULL))
        return summary;
    if (created_flag == NULL) {
        void *sym = dlsym(kit_handle, "alloc8_thread_created_flag");
        if (kit_in_library(sym))
            KIT_SET(created_flag, sym);
    }
    int value = created_flag != NULL ? created_flag() : -1;
    if (created_flag == NULL || value < 0) {
        snprintf(summary, sizeof summary, "; created_flag (%s) not checked: %s", symbol,
                 created_flag == NULL ? "the library has no alloc8_thread_created_flag" : "absent (a weak reference)");
        return summary;
    }
    if (K.prefix == NULL) {
        pthread_t probe;
        if (pthread_create(&probe, NULL, probe_main, NULL) != 0)
            return summary;
        pthread_join(probe, NULL);
        value = atomic_load(&probe_saw);
        KIT_CHECK(value == 1, "the glue's pthread_create", C_CREATED_FLAG,
                  "the first thread the kit started, by pthread_create, read threads.created_flag (%s) first thing in "
                  "its start routine: %d (alloc8_thread_created_flag)",
                  symbol, value);
    } else if (after_rounds) {
        if (kit_hook_counts == NULL || !hooks_before[0] || !threads_attach()) {
            snprintf(summary, sizeof summary, "; created_flag (%s) not checked: no thread attaches", symbol);
            return summary;
        }
        KIT_CHECK(value == 1, "the glue", C_CREATED_FLAG,
                  "after the rounds' threads called the prefixed library, threads.created_flag (%s) is %d "
                  "(alloc8_thread_created_flag)",
                  symbol, value);
    } else {
        return summary;
    }
    snprintf(summary, sizeof summary, "; created_flag (%s) set%s", symbol,
             K.prefix ? " once threads attached" : " before the first thread ran");
    return summary;
}

struct worker {
    int self;
    uint64_t rng;
    int own[BLOCKS];
    int own_count;
};

/* A new block of `size` bytes (or a random one when 0); its ticket, or 0. */
static int new_block(struct worker *w, size_t size) {
    uint64_t r = kit_random(&w->rng);
    if (size == 0) /* 16 B .. 2 KiB, or 32 KiB .. 100 KiB: never the keepsake's size */
        size = r % 100 < 92 ? 16 + (size_t)((r >> 8) % 2000) : 32769 + (size_t)((r >> 8) % 67232);
    int number = atomic_fetch_add(&next_ticket, 1);
    struct ticket *t = &tickets[number];
    if (r % 7 == 0 && size <= 2015) {
        size_t alignment = (size_t)64 << ((r >> 32) % 7);
        snprintf(t->how, sizeof t->how, "aligned_alloc(%zu, %zu)", alignment, size);
        t->p = A.aligned_alloc(alignment, size);
        KIT_CHECK(t->p == NULL || kit_aligned(t->p, alignment), "entry.aligned", C_ALIGNED,
                  "in thread %d: aligned_alloc(%zu, %zu) -> %p", w->self, alignment, size, (void *)t->p);
    } else {
        snprintf(t->how, sizeof t->how, "malloc(%zu)", size);
        t->p = A.malloc(size);
    }
    KIT_CHECK(t->p != NULL, "entry.malloc", C_MALLOC_OK, "in thread %d: %s -> NULL", w->self, t->how);
    if (t->p == NULL)
        return 0;
    t->size = size;
    t->tag = (uint32_t)(r >> 40);
    t->maker = w->self;
    if (!enter(number, w->self))
        return 0;
    fill(t);
    atomic_fetch_add(&made, 1);
    if (r % 5 == 0 && size != KEEPSAKE) { /* grow or shrink it */
        size_t new_size = 16 + (size_t)((r >> 20) % 2000);
        size_t keep = size < new_size ? size : new_size;
        leave_registry(number);
        unsigned char *q = A.realloc(t->p, new_size);
        KIT_CHECK(q != NULL, "entry.realloc", C_MALLOC_OK, "in thread %d: p = %s; realloc(p, %zu) -> NULL", w->self,
                  t->how, new_size);
        if (q == NULL)
            return 0;
        t->p = q;
        size_t at = first_change(t, keep);
        KIT_CHECK(at == SIZE_MAX, "entry.realloc", C_REALLOC_KEEPS,
                  "in thread %d: p = %s; realloc(p, %zu): byte %zu changed", w->self, t->how, new_size, at);
        t->size = new_size;
        size_t used = strlen(t->how);
        snprintf(t->how + used, sizeof t->how - used, "; realloc(p, %zu)", new_size);
        if (!enter(number, w->self))
            return 0;
        fill(t);
    }
    return number;
}

/* The work of every thread: make blocks, trade half of them, free some of the rest. */
static void work(struct worker *w) {
    for (int i = 0; i < BLOCKS && atomic_load(&reported) == 0; i++) {
        int number = new_block(w, 0);
        if (number == 0)
            continue;
        if (i % 2 == 0) {
            int slot = (int)(kit_random(&w->rng) % EXCHANGE);
            int taken = atomic_exchange(&exchange[slot], number);
            if (taken != 0)
                check_and_free(taken, w->self);
        } else {
            w->own[w->own_count++] = number;
        }
    }
    for (int i = 0; i < w->own_count / 2; i++) /* free half of its own; the rest at its end */
        check_and_free(w->own[i], w->self);
    int kept = w->own_count - w->own_count / 2;
    memmove(w->own, w->own + w->own_count / 2, (size_t)kept * sizeof w->own[0]);
    w->own_count = kept;
}

static void free_own(struct worker *w) {
    for (int i = 0; i < w->own_count; i++)
        check_and_free(w->own[i], w->self);
    w->own_count = 0;
}

static void cancelled_cleanup(void *arg) {
    struct worker *w = arg;
    free_own(w);
    atomic_store(&records[w->self].ended, 1);
}

static void leave(struct worker *w) { /* pthread_exit from a nested call */
    free_own(w);
    atomic_store(&records[w->self].ended, 1);
    pthread_exit(NULL);
}

static void *thread_main(void *arg) {
    unsigned long at_start[KIT_HOOK_COUNTS] = {0}; /* first of all: no call into the library before it */
    if (kit_hook_counts != NULL)
        kit_hook_counts(at_start);
    struct worker w;
    memset(&w, 0, sizeof w);
    w.self = (int)(intptr_t)arg;
    w.rng = 0x5EED0000u + (uint64_t)w.self;
    struct thread_record *me = &records[w.self];
    me->keepsake = new_block(&w, KEEPSAKE); /* its first block, freed by the main thread at the end */
    check_thread_hooks(w.self, at_start);
    if (me->kind == KIND_CANCELLED) {
        pthread_cleanup_push(cancelled_cleanup, &w);
        work(&w);
        pthread_mutex_lock(&lock);
        ready_to_cancel++;
        pthread_cond_broadcast(&changed);
        pthread_mutex_unlock(&lock);
        for (;;)
            pause(); /* a cancellation point: the main thread cancels it here */
        pthread_cleanup_pop(0);
    }
    work(&w);
    if (me->kind == KIND_EXIT)
        leave(&w);
    free_own(&w);
    atomic_store(&me->ended, 1);
    if (me->kind == KIND_DETACHED) {
        pthread_mutex_lock(&lock);
        detached_done++;
        pthread_cond_broadcast(&changed);
        pthread_mutex_unlock(&lock);
    }
    return NULL;
}

static char phase[96];

int main(int argc, char **argv) {
    int next = kit_begin("threads", argc, argv, 300);
    int max_rounds = ROUNDS;
    if (next + 1 < argc && strcmp(argv[next], "--rounds") == 0) { /* fewer (the driver's --quick) */
        max_rounds = (int)kit_number(argv[next + 1]);
        if (max_rounds < 1 || max_rounds > ROUNDS)
            kit_usage("--rounds: 1 to 16");
        next += 2;
    }
    if (next < argc)
        kit_usage(argv[next]);
    kit_phase("threads: a first thread reads threads.created_flag");
    const char *flag = check_created_flag(0); /* its thread runs the hooks before their counts are read */
    if (kit_hook_counts != NULL)
        kit_hook_counts(hooks_before);
    pthread_attr_t detached;
    pthread_attr_init(&detached);
    pthread_attr_setdetachstate(&detached, PTHREAD_CREATE_DETACHED);
    int detached_started = 0, cancel_started = 0, rounds = 0, started = 0;
    for (int round = 0; round < max_rounds && atomic_load(&reported) == 0; round++, rounds++) {
        snprintf(phase, sizeof phase, "threads: round %d of %d (%d threads: create, join, cancel)", round + 1,
                 max_rounds, PER_ROUND);
        kit_phase(phase);
        for (int k = 0; k < PER_ROUND; k++) {
            int n = round * PER_ROUND + k;
            records[n].kind = (k + round) % KINDS;
            records[n].round = round;
            int rc = pthread_create(&records[n].id, records[n].kind == KIND_DETACHED ? &detached : NULL, thread_main,
                                    (void *)(intptr_t)n);
            KIT_CHECK(rc == 0, "the glue's pthread_create", "a thread can be created",
                      "pthread_create -> %d (thread %d of round %d)", rc, k, round);
            if (rc != 0) {
                records[n].ended = 1;
                records[n].kind = -1;
                continue;
            }
            started++;
            detached_started += records[n].kind == KIND_DETACHED;
            cancel_started += records[n].kind == KIND_CANCELLED;
        }
        /* the cancelled kind: once each is blocked in pause(), cancel and join it */
        pthread_mutex_lock(&lock);
        while (ready_to_cancel < cancel_started)
            pthread_cond_wait(&changed, &lock);
        pthread_mutex_unlock(&lock);
        for (int k = 0; k < PER_ROUND; k++) {
            int n = round * PER_ROUND + k;
            if (records[n].kind == KIND_CANCELLED)
                pthread_cancel(records[n].id);
        }
        for (int k = 0; k < PER_ROUND; k++) {
            int n = round * PER_ROUND + k;
            if (records[n].kind < 0 || records[n].kind == KIND_DETACHED)
                continue;
            void *result = NULL;
            pthread_join(records[n].id, &result);
            if (records[n].kind == KIND_CANCELLED)
                KIT_CHECK(result == PTHREAD_CANCELED, "the glue's pthread_create",
                          "a cancelled thread ends with PTHREAD_CANCELED",
                          "pthread_cancel(t) of a thread in pause(); pthread_join(t) -> %p", result);
        }
        pthread_mutex_lock(&lock);
        while (detached_done < detached_started)
            pthread_cond_wait(&changed, &lock);
        pthread_mutex_unlock(&lock);
    }
    kit_phase("threads: the main thread frees what is left in the exchange and the keepsakes");
    for (int i = 0; i < EXCHANGE && atomic_load(&reported) == 0; i++) {
        int number = atomic_exchange(&exchange[i], 0);
        if (number != 0)
            check_and_free(number, -1);
    }
    for (int n = 0; n < rounds * PER_ROUND && atomic_load(&reported) == 0; n++)
        if (records[n].kind >= 0 && records[n].keepsake != 0)
            check_and_free(records[n].keepsake, -1);
    pthread_attr_destroy(&detached);
    const char *hooks = atomic_load(&reported) == 0 ? check_hook_totals(started) : "";
    if (K.prefix != NULL)
        flag = check_created_flag(1);
    kit_say(
        "threads: %d threads in %d rounds (returned, pthread_exit, detached, cancelled), %ld blocks made, %ld freed, "
        "%ld of them by a thread other than their maker%s%s",
        rounds * PER_ROUND, rounds, atomic_load(&made), atomic_load(&freed), atomic_load(&cross_frees), hooks, flag);
    return kit_report();
}

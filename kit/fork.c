/* SPDX-License-Identifier: MIT */
/* kit/fork.c: fork from a multithreaded process while its threads allocate, then allocate in the
 * child (docs/checking.md).
 *
 *   fork [facts...] [--forks N]
 *
 * FORKS times (--forks N: fewer): WORKERS threads allocate and free (mostly small blocks, some aligned, some
 * reallocated, a few large ones), each at least MIN_ALLOCS times since the last fork, so that all
 * of them are inside the allocator, taking and releasing its locks; the main thread forks in the
 * middle of that. The child makes one block of every size class and an aligned one, frees them
 * and exits; every FULL_EVERY-th child also reallocates, callocs, makes a 1 MiB block and starts
 * a thread that allocates (the workers wait while that child runs, so that it does not compete
 * with them for the CPU). An allocator whose entry.lock does not take every one of its locks
 * leaves the child holding a lock that a thread of the parent had at the fork: the child hangs in
 * its first allocation that needs it. The child's alarm (CHILD_SECONDS, far above its
 * milliseconds of work) then names the call it hung in and the contract. A fork catches a missing
 * lock only when a worker holds that lock at that instant, so the check forks many times, cheaply:
 * it is a sample, whose odds grow with the time the allocator spends holding the lock. */
#define _GNU_SOURCE
#include "kit.h"

#include <pthread.h>
#include <sys/wait.h>

enum { WORKERS = 4, FORKS = 100, FULL_EVERY = 20, MIN_ALLOCS = 20, CHILD_HUNG = 42 };
static int forks = FORKS; /* --forks N: fewer */
#define CHILD_SECONDS 10
#define STRING(x) #x
#define TEXT(x) STRING(x)

static pthread_mutex_t gate = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_changed = PTHREAD_COND_INITIALIZER;
static int round_open, finished; /* under gate */
static atomic_long round_allocs[WORKERS];
static atomic_int worker_failures;

static int wait_for_round(void) {
    pthread_mutex_lock(&gate);
    while (!round_open && !finished)
        pthread_cond_wait(&gate_changed, &gate);
    int go = !finished;
    pthread_mutex_unlock(&gate);
    return go;
}

static void set_round(int open, int done) {
    pthread_mutex_lock(&gate);
    round_open = open;
    finished = done;
    pthread_cond_broadcast(&gate_changed);
    pthread_mutex_unlock(&gate);
}

static int round_is_open(void) {
    pthread_mutex_lock(&gate);
    int open = round_open;
    pthread_mutex_unlock(&gate);
    return open;
}

static void *worker(void *arg) {
    int id = (int)(intptr_t)arg;
    uint64_t rng = 0xF0F0u + (uint64_t)id;
    while (wait_for_round()) {
        for (unsigned n = 0; n % 32 != 0 || round_is_open(); n++) {
            /* mostly small blocks, so that the workers spend their time in the allocator's
               common paths (and under its locks), not copying or faulting in large blocks */
            uint64_t r = kit_random(&rng);
            size_t size = 1 + (size_t)((r >> 8) % (r % 2048 == 0 ? 300000 : 1024));
            unsigned char *p = (r >> 40) % 8 == 0 ? A.memalign((size_t)32 << ((r >> 44) % 8), size) : A.malloc(size);
            if (p == NULL) {
                atomic_fetch_add(&worker_failures, 1);
                continue;
            }
            p[0] = 7;
            p[size - 1] = 7;
            if ((r >> 48) % 4 == 0 && size <= 1024) {
                unsigned char *q = A.realloc(p, size * 2);
                if (q != NULL)
                    p = q;
            }
            A.free(p);
            atomic_fetch_add(&round_allocs[id], 1);
        }
    }
    return NULL;
}

/* ---- the child -------------------------------------------------------------------------------- */

static char hung_prefix[1024]; /* the FAIL line up to the call the child hung in (made before fork) */
static const char *volatile child_step = "its first allocation";
static int fork_number;

static void child_alarm(int sig) {
    (void)sig;
    kit_say_raw(hung_prefix, (const char *)child_step, "");
    kit_say_raw(" never returned (the child's alarm fired after " TEXT(CHILD_SECONDS) " s)\n", "", "");
    _exit(CHILD_HUNG);
}

static void step(const char *what) {
    child_step = what;
    kit_phase(what); /* a crash in the child names the call too (kit_on_signal) */
}

static void *child_thread(void *arg) {
    (void)arg;
    step("malloc(200) in a thread the child created");
    void *p = A.malloc(200);
    step("free(p) in a thread the child created");
    A.free(p);
    return p;
}

/* The child's fixed work. Every fork: one block of each size class and an aligned one (cheap, so
   that many forks fit in the run: each is one chance to catch a lock held at the fork). Every
   FULL_EVERY-th fork also: realloc, calloc, large blocks and a thread of the child's own. */
static int child_work(int full) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = child_alarm;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, NULL);
    alarm(CHILD_SECONDS);
    static const char *const steps[][4] = {
        {"malloc(1)", "realloc(p, 2)", "calloc(1, 1)", "free(p)"},
        {"malloc(100)", "realloc(p, 200)", "calloc(100, 1)", "free(p)"},
        {"malloc(5000)", "realloc(p, 10000)", "calloc(5000, 1)", "free(p)"},
        {"malloc(70000)", "realloc(p, 140000)", "calloc(70000, 1)", "free(p)"},
        {"malloc(1048576)", "realloc(p, 2097152)", "calloc(1048576, 1)", "free(p)"},
    };
    static const size_t sizes[] = {1, 100, 5000, 70000, 1 << 20};
    size_t classes = full ? 5 : 4;
    char *blocks[5];
    for (size_t i = 0; i < classes; i++) {
        step(steps[i][0]);
        blocks[i] = A.malloc(sizes[i]);
        if (blocks[i] == NULL)
            return 2;
        blocks[i][0] = blocks[i][sizes[i] - 1] = 'c';
    }
    step("memalign(4096, 100)");
    void *m = A.memalign(4096, 100);
    if (m == NULL || !kit_aligned(m, 4096))
        return 5;
    step("free(p) of memalign(4096, 100)");
    A.free(m);
    for (size_t i = 0; i < classes; i++) {
        if (full) {
            memset(blocks[i], 'c', sizes[i]);
            step(steps[i][1]);
            char *q = A.realloc(blocks[i], sizes[i] * 2);
            if (q == NULL || q[sizes[i] - 1] != 'c')
                return 3;
            blocks[i] = q;
            step(steps[i][2]);
            unsigned char *z = A.calloc(sizes[i], 1);
            if (z == NULL || z[0] != 0 || z[sizes[i] / 2] != 0 || z[sizes[i] - 1] != 0)
                return 4;
            step(steps[i][3]);
            A.free(z);
        }
        step(steps[i][3]);
        A.free(blocks[i]);
    }
    if (!full)
        return 0;
    step("pthread_create of a thread that allocates");
    pthread_t t;
    if (pthread_create(&t, NULL, child_thread, NULL) != 0)
        return 6;
    step("pthread_join of a thread that allocates");
    pthread_join(t, NULL);
    return 0;
}

static const char *const child_errors[] = {"",
                                           "",
                                           "an allocation returned NULL",
                                           "realloc lost the contents",
                                           "calloc's block was not zeroed",
                                           "memalign(4096, 100) failed or was misaligned",
                                           "pthread_create failed"};

int main(int argc, char **argv) {
    int next = kit_begin("fork", argc, argv, 600);
    if (next + 1 < argc && strcmp(argv[next], "--forks") == 0) { /* fewer (the driver's --quick) */
        forks = (int)kit_number(argv[next + 1]);
        if (forks < 1 || forks > FORKS)
            kit_usage("--forks: 1 to 100");
        next += 2;
    }
    if (next < argc)
        kit_usage(argv[next]);
    char who[512];
    const char *contract;
    if (kit_bound("lock")) {
        kit_who(who, sizeof who,
                kit_bound("fork_child") ? "entry.lock+entry.unlock+entry.fork_child" : "entry.lock+entry.unlock");
        contract = "\"lock: fork: take every lock of the allocator (in the parent, before fork)\" and \"unlock: fork: "
                   "release them (in the parent, and in the child unless fork_child is bound)\" (docs/spec.md, entry)";
    } else {
        snprintf(who, sizeof who, "the spec (entry.lock and entry.unlock are not bound)");
        contract =
            "\"Without lock/unlock, no fork handlers are installed\" (docs/spec.md): an allocator with locks must "
            "bind them";
    }
    pthread_t threads[WORKERS];
    for (int i = 0; i < WORKERS; i++)
        if (pthread_create(&threads[i], NULL, worker, (void *)(intptr_t)i) != 0) {
            kit_say("FAIL fork: pthread_create of worker %d failed", i);
            return 1;
        }
    static char phase[128];
    for (fork_number = 1; fork_number <= forks && atomic_load(&kit_failures) == 0; fork_number++) {
        int full = fork_number % FULL_EVERY == 0;
        for (int i = 0; i < WORKERS; i++)
            atomic_store(&round_allocs[i], 0);
        set_round(1, 0);
        snprintf(phase, sizeof phase, "fork: fork %d of %d, waiting for the workers to allocate", fork_number, forks);
        kit_phase(phase);
        for (int i = 0; i < WORKERS; i++)
            while (atomic_load(&round_allocs[i]) < MIN_ALLOCS)
                sched_yield();
        snprintf(hung_prefix, sizeof hung_prefix,
                 "FAIL fork: %s broke %s: fork() while %d threads were allocating (fork %d of %d), then in the child: ",
                 who, contract, WORKERS, fork_number, forks);
        snprintf(phase, sizeof phase, "fork: fork %d of %d, in fork() (the prepare handlers take the locks)",
                 fork_number, forks);
        pid_t pid = fork(); /* the workers are allocating right now */
        if (pid == 0)
            _exit(child_work(full));
        if (full)
            set_round(0, 0); /* the workers wait while the larger child runs: it needs the CPU */
        atomic_fetch_add(&kit_checks, 1);
        if (pid < 0) {
            kit_say("FAIL fork: fork() failed: %s", strerror(errno));
            atomic_fetch_add(&kit_failures, 1);
            break;
        }
        snprintf(phase, sizeof phase, "fork: fork %d of %d, waiting for the child", fork_number, forks);
        int status = 0;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
            continue;
        atomic_fetch_add(&kit_failures, 1);
        if (WIFEXITED(status) && WEXITSTATUS(status) == CHILD_HUNG)
            continue; /* the child printed its FAIL line */
        if (WIFSIGNALED(status))
            kit_say("%sthe child was killed by signal %d (%s) (the line before names its call)", hung_prefix,
                    WTERMSIG(status), strsignal(WTERMSIG(status)));
        else {
            int code = WEXITSTATUS(status);
            kit_say("%s%s (exit status %d)", hung_prefix,
                    code > 0 && code < (int)(sizeof child_errors / sizeof child_errors[0]) ? child_errors[code]
                                                                                           : "it failed",
                    code);
        }
    }
    set_round(0, 1);
    for (int i = 0; i < WORKERS; i++)
        pthread_join(threads[i], NULL);
    KIT_CHECK(atomic_load(&worker_failures) == 0, "entry.malloc", C_MALLOC_OK,
              "%d allocations of the worker threads returned NULL", atomic_load(&worker_failures));
    if (atomic_load(&kit_failures) == 0)
        kit_say("fork: %d forks, each while %d threads were allocating; every child allocated and exited", forks,
                WORKERS);
    return kit_report();
}

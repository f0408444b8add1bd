/* SPDX-License-Identifier: MIT */
/* fork() in a threaded program that links a library whose fork prepare handler allocates
 * (atfork_lib.c, registered from its constructor, before the interposer's constructor runs).
 * glibc's own malloc takes its locks inside fork(), after every prepare handler; the glue's prepare
 * handler, which takes the allocator's locks, must likewise run last, or the library's malloc waits
 * for a lock the forking thread already holds, forever (issue: a hang in fork).
 *
 * Usage: atfork_order [--alloc8]   (--alloc8: under the demo interposer, whose counters must show
 * that it served the handler's blocks). A hang is reported by an alarm after 120 s, far above the
 * milliseconds a fork takes here, so that it fails as a FAIL line rather than a test timeout. */
#define _GNU_SOURCE
#include "demo_stats.h"
#include "atfork_lib.h"
#include "check.h"

#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

enum { FORKS = 3, HANG_SECONDS = 120 };

static pthread_mutex_t gate = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cond = PTHREAD_COND_INITIALIZER;
static int finished;

/* Keeps the process multithreaded (the allocator takes its locks) until main lets it go. */
static void *bystander(void *arg) {
    (void)arg;
    pthread_mutex_lock(&gate);
    while (!finished)
        pthread_cond_wait(&gate_cond, &gate);
    pthread_mutex_unlock(&gate);
    return NULL;
}

static void on_alarm(int sig) {
    (void)sig;
    static const char msg[] =
        "FAIL: fork() did not return: a prepare handler waits for a lock the forking thread holds\n";
    (void)!write(1, msg, sizeof msg - 1);
    _exit(1);
}

int main(int argc, char **argv) {
    int strict;
    alloc8_stats_fn stats = alloc8_test_begin(argc, argv, &strict);
    signal(SIGALRM, on_alarm);
    alarm(HANG_SECONDS);
    pthread_t thread;
    CHECK(pthread_create(&thread, NULL, bystander, NULL) == 0, "a second thread runs during the forks\n");
    struct alloc8_demo_stats before = {0}, after = {0};
    if (stats != NULL)
        stats(&before);
    for (int i = 0; i < FORKS; i++) {
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) {
            /* the child: the allocator and the library's child handler have run; allocate */
            struct atfork_lib_counts c;
            atfork_lib_counts_get(&c);
            int ok = c.children == 1;
            for (int n = 1; n <= 64 && ok; n++) {
                void *p = malloc((size_t)n * 40);
                ok = p != NULL;
                free(p);
            }
            _exit(ok ? 0 : 3);
        }
        CHECK(pid > 0, "fork %d\n", i);
        int status = 0;
        CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
              "child %d ran the library's child handler once and could allocate (status %#x)\n", i, status);
    }
    alarm(0);
    if (stats != NULL)
        stats(&after);
    struct atfork_lib_counts c;
    atfork_lib_counts_get(&c);
    CHECK(c.registered, "the library registered its handlers from its constructor\n");
    CHECK(c.prepares == FORKS && c.parents == FORKS, "its prepare and parent handlers ran per fork (%d, %d)\n",
          c.prepares, c.parents);
    CHECK(c.prepare_blocks == FORKS * 8, "its prepare handler got every block (%d)\n", c.prepare_blocks);
    if (strict)
        CHECK(after.malloc_calls - before.malloc_calls >= (uint64_t)FORKS * 8 &&
                  after.large_allocs - before.large_allocs >= (uint64_t)FORKS,
              "the allocator served the handler's blocks (mallocs +%llu, large +%llu)\n",
              (unsigned long long)(after.malloc_calls - before.malloc_calls),
              (unsigned long long)(after.large_allocs - before.large_allocs));
    pthread_mutex_lock(&gate);
    finished = 1;
    pthread_cond_broadcast(&gate_cond);
    pthread_mutex_unlock(&gate);
    pthread_join(thread, NULL);
    return check_report("atfork_order");
}

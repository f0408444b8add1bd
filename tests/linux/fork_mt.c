/* fork() from a multithreaded process while other threads allocate, then malloc in the child.
 * A child that deadlocks on an allocator lock inherited from the parent is killed by its alarm
 * and reported; the CTest timeout catches a hang in the parent. */
#define _GNU_SOURCE
#include "alloc8_test_stats.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

enum { WORKERS = 4, FORKS = 40 };
static atomic_int stop;

static void *worker(void *arg) {
    unsigned seed = (unsigned)(uintptr_t)arg;
    while (!atomic_load(&stop)) {
        seed = seed * 1103515245u + 12345u;
        size_t size = (seed >> 8) % (seed % 50 == 0 ? 300000 : 2000) + 1;
        char *p = malloc(size);
        if (p != NULL) {
            memset(p, 1, size);
            free(p);
        }
    }
    return NULL;
}

static int child_work(void) {
    alarm(20);
    size_t sizes[] = {1, 100, 5000, 70000, 1 << 20};
    for (int round = 0; round < 20; round++) {
        for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
            char *p = malloc(sizes[i]);
            if (p == NULL)
                return 1;
            memset(p, 'c', sizes[i]);
            char *q = realloc(p, sizes[i] * 2);
            if (q == NULL || q[sizes[i] - 1] != 'c')
                return 2;
            free(q);
            int *z = calloc(sizes[i], sizeof(int));
            if (z == NULL || z[sizes[i] - 1] != 0)
                return 3;
            free(z);
        }
    }
    return 0;
}

int main(int argc, char **argv) {
    int strict;
    alloc8_stats_fn stats = alloc8_test_begin(argc, argv, &strict);
    struct alloc8_demo_stats before = alloc8_test_snapshot(stats);
    pthread_t threads[WORKERS];
    for (int i = 0; i < WORKERS; i++)
        pthread_create(&threads[i], NULL, worker, (void *)(uintptr_t)(i + 1));
    int failed = 0;
    for (int i = 0; i < FORKS; i++) {
        pid_t pid = fork();
        if (pid < 0) {
            printf("FAIL: fork\n");
            failed = 1;
            break;
        }
        if (pid == 0)
            _exit(child_work());
        int status;
        if (waitpid(pid, &status, 0) != pid) {
            printf("FAIL: waitpid\n");
            failed = 1;
        } else if (WIFSIGNALED(status)) {
            printf("FAIL: child %d killed by signal %d%s\n", i, WTERMSIG(status),
                   WTERMSIG(status) == SIGALRM ? " (deadlock in the child)" : "");
            failed = 1;
        } else if (WEXITSTATUS(status) != 0) {
            printf("FAIL: child %d failed its checks (status %d)\n", i, WEXITSTATUS(status));
            failed = 1;
        }
    }
    atomic_store(&stop, 1);
    for (int i = 0; i < WORKERS; i++)
        pthread_join(threads[i], NULL);
    struct alloc8_demo_stats after = alloc8_test_snapshot(stats);
    if (strict && after.malloc_calls - before.malloc_calls < 1000) {
        printf("FAIL: the demo allocator did not serve the workers\n");
        failed = 1;
    }
    if (failed)
        return 1;
    printf("fork: %d forks from a process with %d allocating threads; every child allocated and exited 0\n",
           FORKS, WORKERS);
    return 0;
}

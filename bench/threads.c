/* SPDX-License-Identifier: MIT */
/* N threads, one after another: pthread_create, one malloc(32)/free in the thread, pthread_join.
 * Run with and without the thread hooks to see what they add to a thread's life. */
#include <pthread.h>
#include <stdlib.h>

static void *body(void *arg) {
    void *p = malloc(32);
    __asm__ volatile("" : : "r"(p) : "memory");
    free(p);
    return arg;
}

int main(int argc, char **argv) {
    long threads = argc > 1 ? atol(argv[1]) : 10000;
    for (long i = 0; i < threads; i++) {
        pthread_t t;
        if (pthread_create(&t, NULL, body, NULL) != 0)
            return 1;
        pthread_join(t, NULL);
    }
    return 0;
}

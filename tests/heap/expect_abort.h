/* SPDX-License-Identifier: MIT */
/* Run a function in a child process and check that it aborts, printing a given message. */
#ifndef ALLOC8_TEST_EXPECT_ABORT_H
#define ALLOC8_TEST_EXPECT_ABORT_H

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* 1 iff fn() ends the child with SIGABRT after writing `message` to stderr; *out gets stderr. */
static int expect_abort(void (*fn)(void), const char *message, char *out, size_t out_size) {
    int pipefd[2];
    if (pipe(pipefd) != 0)
        return 0;
    pid_t child = fork();
    if (child == 0) {
        close(pipefd[0]);
        dup2(pipefd[1], 2);
        alarm(20);
        fn();
        _exit(0); /* it returned: wrong */
    }
    close(pipefd[1]);
    size_t used = 0;
    ssize_t n;
    while (used + 1 < out_size && (n = read(pipefd[0], out + used, out_size - 1 - used)) > 0)
        used += (size_t)n;
    out[used] = '\0';
    close(pipefd[0]);
    int status = 0;
    waitpid(child, &status, 0);
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT && strstr(out, message) != NULL;
}

#endif

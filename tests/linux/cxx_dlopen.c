/* SPDX-License-Identifier: MIT */
/* A C program (no C++ runtime at start) and the glue's C++ operators:
 *   1. with --alloc8, before any C++ runtime is loaded, a failing throwing operator new (called
 *      by its mangled name) has nobody to throw std::bad_alloc for it: it must abort with a
 *      message naming alloc8 and operator new (checked in a child process);
 *   2. a C++ module loaded later with dlopen (RTLD_LOCAL: its C++ runtime is not in the global
 *      scope) installs a throwing new_handler and asks for an impossible new: the handler must
 *      run once and its std::bad_alloc reach the module's catch.
 * Usage: cxx_dlopen <module.so> [--alloc8] */
#define _GNU_SOURCE
#include "demo_stats.h"
#include "check.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static int abort_without_cxx_runtime(void) {
    void *(*new_fn)(size_t);
    alloc8_test_lookup("_Znwm", &new_fn, sizeof new_fn);
    if (new_fn == NULL)
        return 0;
    int pipefd[2];
    if (pipe(pipefd) != 0)
        return 0;
    pid_t child = fork();
    if (child == 0) {
        dup2(pipefd[1], STDERR_FILENO);
        volatile size_t huge = SIZE_MAX / 4;
        new_fn(huge);
        _exit(0); /* not reached when it aborts */
    }
    close(pipefd[1]);
    char message[512] = {0};
    size_t got = 0;
    ssize_t n;
    while (got < sizeof message - 1 && (n = read(pipefd[0], message + got, sizeof message - 1 - got)) > 0)
        got += (size_t)n;
    close(pipefd[0]);
    int status = 0;
    waitpid(child, &status, 0);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT,
          "no C++ runtime loaded: a failing operator new aborts (status %#x)\n", status);
    CHECK(strstr(message, "alloc8") != NULL && strstr(message, "operator new") != NULL,
          "the abort message names alloc8 and operator new: %s\n", message);
    return 1;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        printf("usage: cxx_dlopen <module.so> [--alloc8]\n");
        return 2;
    }
    int strict = alloc8_test_required(argc, argv);
    if (strict) {
        CHECK(dlsym(RTLD_DEFAULT, "_ZSt15get_new_handlerv") == NULL, "no C++ runtime is loaded yet\n");
        CHECK(abort_without_cxx_runtime(), "the interposer exports operator new\n");
    }
    void *module = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    CHECK(module != NULL, "dlopen %s: %s\n", argv[1], module ? "" : dlerror());
    if (module != NULL) {
        int (*impossible_new)(void);
        void *sym = dlsym(module, "alloc8_test_impossible_new");
        memcpy(&impossible_new, &sym, sizeof impossible_new);
        CHECK(sym != NULL, "the module exports alloc8_test_impossible_new\n");
        if (sym != NULL) {
            int calls = impossible_new();
            CHECK(calls == 1, "the module's new_handler ran once and its bad_alloc was caught (%d)\n", calls);
        }
    }
    return check_report("cxx_dlopen");
}

/* SPDX-License-Identifier: MIT */
/* A C++ program built for musl: g++ with musl's headers (musl-gcc with REALGCC), linked against
 * cxx_runtime.c, the stand-in for a C++ runtime (there is no C++ standard library for musl here,
 * so the program uses the language alone: classes, virtual destructors, over-aligned types, arrays
 * of objects, nothrow new). Every operator new and delete is called, explicitly and through
 * new-expressions.
 *   cxx_program --alloc8   under LD_PRELOAD of the musl interposer: each call is the interposer's,
 *                          served by the demo allocator (its counters), none reaches the stand-in
 *   cxx_program            the reference run: the stand-in serves each call
 * The results of the work are checked the same way in both runs. */
#define ALLOC8_TEST_NO_CXX_LIBRARY 1
#include "check.h"
#include "demo_stats.h"

#include <stdint.h>

namespace std {
struct nothrow_t {
    explicit nothrow_t() = default;
};
extern const nothrow_t nothrow;     /* defined by the C++ runtime (cxx_runtime.c) */
enum class align_val_t : size_t {}; /* as the compiler declares it */
} // namespace std

void *operator new(size_t, const std::nothrow_t &) noexcept;
void *operator new[](size_t, const std::nothrow_t &) noexcept;
void *operator new(size_t, std::align_val_t, const std::nothrow_t &) noexcept;
void *operator new[](size_t, std::align_val_t, const std::nothrow_t &) noexcept;
void operator delete(void *, const std::nothrow_t &) noexcept;
void operator delete[](void *, const std::nothrow_t &) noexcept;
void operator delete(void *, std::align_val_t, const std::nothrow_t &) noexcept;
void operator delete[](void *, std::align_val_t, const std::nothrow_t &) noexcept;

extern "C" unsigned long cxxrt_calls(void); /* calls the stand-in served */

static alloc8_stats_fn stats;
static int strict;

static bool aligned_to(const void *p, size_t alignment) {
    return (uintptr_t)p % alignment == 0;
}

/* Runs `call` (one operator) and checks who served it: under the interposer the demo allocator's
 * `field` grows by one and the stand-in is not called; in the reference run the stand-in is. */
#define SERVED(call, field, what)                                                                                      \
    do {                                                                                                               \
        struct alloc8_demo_stats before_ = alloc8_test_snapshot(stats);                                                \
        unsigned long runtime_ = cxxrt_calls();                                                                        \
        call;                                                                                                          \
        struct alloc8_demo_stats after_ = alloc8_test_snapshot(stats);                                                 \
        runtime_ = cxxrt_calls() - runtime_;                                                                           \
        if (strict)                                                                                                    \
            CHECK(DELTA(before_, after_, field) == 1 && runtime_ == 0,                                                 \
                  "%s: the interposer's (" #field " +%llu, the runtime's +%lu)\n", what,                               \
                  DELTA(before_, after_, field), runtime_);                                                            \
        else                                                                                                           \
            CHECK(runtime_ == 1, "%s: the runtime's (+%lu)\n", what, runtime_);                                        \
    } while (0)

static void each_operator() {
    const std::align_val_t a256 = std::align_val_t(256), a4k = std::align_val_t(4096);
    void *p;
    SERVED(p = operator new(24), malloc_calls, "operator new(size_t)");
    SERVED(operator delete(p), free_calls, "operator delete(void *)");
    SERVED(p = operator new[](40), malloc_calls, "operator new[](size_t)");
    SERVED(operator delete[](p), free_calls, "operator delete[](void *)");
    SERVED(p = operator new(24, std::nothrow), malloc_calls, "operator new(size_t, nothrow_t)");
    SERVED(operator delete(p, std::nothrow), free_calls, "operator delete(void *, nothrow_t)");
    SERVED(p = operator new[](40, std::nothrow), malloc_calls, "operator new[](size_t, nothrow_t)");
    SERVED(operator delete[](p, std::nothrow), free_calls, "operator delete[](void *, nothrow_t)");
    SERVED(p = operator new(100), malloc_calls, "operator new(size_t)");
    SERVED(operator delete(p, 100), free_calls, "operator delete(void *, size_t)");
    SERVED(p = operator new[](100), malloc_calls, "operator new[](size_t)");
    SERVED(operator delete[](p, 100), free_calls, "operator delete[](void *, size_t)");

    SERVED(p = operator new(24, a256), memalign_calls, "operator new(size_t, align_val_t)");
    CHECK(aligned_to(p, 256), "operator new(24, align_val_t(256)) is aligned\n");
    SERVED(operator delete(p, a256), free_calls, "operator delete(void *, align_val_t)");
    SERVED(p = operator new[](5000, a4k), memalign_calls, "operator new[](size_t, align_val_t)");
    CHECK(aligned_to(p, 4096), "operator new[](5000, align_val_t(4096)) is aligned\n");
    SERVED(operator delete[](p, a4k), free_calls, "operator delete[](void *, align_val_t)");
    SERVED(p = operator new(300, a256, std::nothrow), memalign_calls, "operator new(size_t, align_val_t, nothrow_t)");
    CHECK(aligned_to(p, 256), "nothrow aligned new is aligned\n");
    SERVED(operator delete(p, a256, std::nothrow), free_calls, "operator delete(void *, align_val_t, nothrow_t)");
    SERVED(p = operator new[](300, a256, std::nothrow), memalign_calls,
           "operator new[](size_t, align_val_t, nothrow_t)");
    CHECK(aligned_to(p, 256), "nothrow aligned new[] is aligned\n");
    SERVED(operator delete[](p, a256, std::nothrow), free_calls, "operator delete[](void *, align_val_t, nothrow_t)");
    SERVED(p = operator new(300, a256), memalign_calls, "operator new(size_t, align_val_t)");
    SERVED(operator delete(p, 300, a256), free_calls, "operator delete(void *, size_t, align_val_t)");
    SERVED(p = operator new[](300, a256), memalign_calls, "operator new[](size_t, align_val_t)");
    SERVED(operator delete[](p, 300, a256), free_calls, "operator delete[](void *, size_t, align_val_t)");

    /* a request no allocator can meet: nothrow returns NULL (no new_handler: none is installed) */
    void *huge = operator new(SIZE_MAX / 2, std::nothrow);
    CHECK(huge == NULL, "operator new(SIZE_MAX / 2, nothrow) returns NULL\n");
}

/* ---- the work: shapes of three kinds, deleted through the base class ---------------------------- */

static unsigned long news; /* new-expressions evaluated, each one allocation */

struct shape {
    shape *next = nullptr;
    virtual ~shape() {}
    virtual long area() const { return 0; }
};

struct rect : shape {
    long w, h;
    rect(long w_, long h_) : w(w_), h(h_) {}
    long area() const override { return w * h; }
};

struct alignas(128) tile : shape { /* over-aligned: aligned new, aligned sized delete */
    long cells[12];
    explicit tile(long v) {
        for (long &c : cells)
            c = v;
    }
    long area() const override {
        long sum = 0;
        for (long c : cells)
            sum += c;
        return aligned_to(this, 128) ? sum : -1000000;
    }
};

struct label : shape { /* owns an array */
    char *text;
    int length;
    explicit label(int n) : text(new char[n]), length(n) {
        news++;
        for (int i = 0; i < n; i++)
            text[i] = (char)('a' + i % 26);
    }
    ~label() override { delete[] text; }
    long area() const override { return length + (text[length - 1] - 'a'); }
};

struct counted { /* a class with a destructor: new[] stores the count, delete[] is sized */
    long value = 7;
    ~counted() { value = 0; }
};

static long expected_area(long i) {
    switch (i % 3) {
    case 0: return (i % 17 + 1) * (i % 5 + 2);
    case 1: return 12 * i;
    default: {
        long n = i % 40 + 1;
        return n + (n - 1) % 26;
    }
    }
}

static void the_work() {
    enum { SHAPES = 30000, ROUNDS = 4 };
    struct alloc8_demo_stats before = alloc8_test_snapshot(stats);
    unsigned long runtime = cxxrt_calls();
    news = 0;
    long total = 0, expected = 0;
    for (int round = 0; round < ROUNDS; round++) {
        shape *list = nullptr;
        for (long i = 0; i < SHAPES; i++) {
            shape *s;
            if (i % 3 == 0)
                s = new rect(i % 17 + 1, i % 5 + 2);
            else if (i % 3 == 1)
                s = new tile(i);
            else
                s = new label((int)(i % 40 + 1));
            news++;
            s->next = list;
            list = s;
            expected += expected_area(i);
        }
        counted *many = new counted[1000];
        news++;
        for (int i = 0; i < 1000; i++)
            total += many[i].value;
        expected += 7000;
        delete[] many;
        while (list != nullptr) {
            shape *s = list;
            list = s->next;
            total += s->area();
            delete s; /* the virtual destructor: sized (and aligned, for a tile) delete */
        }
    }
    struct alloc8_demo_stats after = alloc8_test_snapshot(stats);
    runtime = cxxrt_calls() - runtime;
    CHECK(total == expected, "the shapes' areas add up (%ld, expected %ld)\n", total, expected);
    if (strict) {
        unsigned long long served = DELTA(before, after, malloc_calls) + DELTA(before, after, memalign_calls);
        CHECK(served == news && DELTA(before, after, free_calls) == news && runtime == 0,
              "%lu new-expressions and as many deletes, all the interposer's (allocations +%llu, frees +%llu, the "
              "runtime's +%lu)\n",
              news, served, DELTA(before, after, free_calls), runtime);
    } else {
        CHECK(runtime == 2 * news, "%lu new-expressions and as many deletes, all the runtime's (+%lu)\n", news,
              runtime);
    }
}

int main(int argc, char **argv) {
    stats = alloc8_test_begin(argc, argv, &strict);
    each_operator();
    the_work();
    return check_report(strict ? "C++ on musl (the interposer's operators)" : "C++ on musl (the runtime's operators)");
}

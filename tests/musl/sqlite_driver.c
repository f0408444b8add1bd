/* SPDX-License-Identifier: MIT */
/* A real program nobody here wrote, built for musl: SQLite (the amalgamation that the npm
 * package better-sqlite3 12.11.1 ships, fetched when the test runs: sqlite.sh), driven through its
 * C API. An in-memory database gets ROWS rows through a prepared statement, an index, updates,
 * deletes, a table built from a GROUP BY, a join, a large sort and a recursive query; every result
 * is printed on stdout, which sqlite.sh compares with a run without the interposer.
 * With --alloc8 (under LD_PRELOAD of the demo allocator's musl interposer) the counters must show
 * that SQLite's memory came from the allocator; that proof goes to stderr, so stdout stays
 * comparable. */
#define _GNU_SOURCE
#include "check.h"
#include "demo_stats.h"
#include "sqlite3.h"

#include <stdio.h>
#include <stdlib.h>

enum { ROWS = 300000 };

static sqlite3 *db;

static void fail(const char *what, const char *detail) {
    printf("FAIL: %s: %s\n", what, detail != NULL ? detail : "(no message)");
    exit(1);
}

static void exec(const char *sql) {
    char *error = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &error) != SQLITE_OK)
        fail(sql, error);
}

static int print_row(void *tag, int columns, char **values, char **names) {
    (void)names;
    printf("%s:", (const char *)tag);
    for (int i = 0; i < columns; i++)
        printf(" %s", values[i] != NULL ? values[i] : "NULL");
    printf("\n");
    return 0;
}

static void query(const char *tag, const char *sql) {
    char *error = NULL;
    if (sqlite3_exec(db, sql, print_row, (void *)tag, &error) != SQLITE_OK)
        fail(sql, error);
}

static void insert_rows(void) {
    sqlite3_stmt *insert = NULL;
    if (sqlite3_prepare_v2(db, "INSERT INTO t(id, k, name, v, data) VALUES (?1, ?2, ?3, ?4, zeroblob(?5))", -1, &insert,
                           NULL) != SQLITE_OK)
        fail("prepare", sqlite3_errmsg(db));
    exec("BEGIN");
    char name[64];
    for (int i = 1; i <= ROWS; i++) {
        snprintf(name, sizeof name, "row%d-%x", i, (unsigned)i * 2654435761u);
        sqlite3_bind_int(insert, 1, i);
        sqlite3_bind_int(insert, 2, (int)((unsigned)i * 7919u % 1000u));
        sqlite3_bind_text(insert, 3, name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_double(insert, 4, i * 0.5);
        sqlite3_bind_int(insert, 5, i % 64);
        if (sqlite3_step(insert) != SQLITE_DONE)
            fail("insert", sqlite3_errmsg(db));
        sqlite3_reset(insert);
    }
    exec("COMMIT");
    sqlite3_finalize(insert);
}

int main(int argc, char **argv) {
    int strict;
    alloc8_stats_fn stats = alloc8_test_begin(argc, argv, &strict);
    struct alloc8_demo_stats before = alloc8_test_snapshot(stats);
    if (sqlite3_open(":memory:", &db) != SQLITE_OK)
        fail("open", "in-memory database");
    printf("sqlite %s\n", sqlite3_libversion());
    exec("CREATE TABLE t(id INTEGER PRIMARY KEY, k INTEGER, name TEXT, v REAL, data BLOB)");
    insert_rows();
    exec("CREATE INDEX t_k ON t(k)");
    query("totals", "SELECT count(*), sum(k), total(v), sum(length(name)), sum(length(data)) FROM t");
    query("groups", "SELECT k, count(*), min(id), max(id) FROM t GROUP BY k ORDER BY count(*) DESC, k LIMIT 5");
    query("by index", "SELECT name FROM t WHERE k = 77 ORDER BY id DESC LIMIT 3");
    query("like", "SELECT count(*) FROM t WHERE name LIKE 'row1%5-%'");
    exec("UPDATE t SET v = v * 2, name = upper(name) WHERE k % 3 = 0");
    exec("DELETE FROM t WHERE id % 10 = 0");
    query("after update", "SELECT count(*), total(v), sum(name GLOB 'ROW*') FROM t");
    exec("CREATE TABLE u AS SELECT k, group_concat(id) AS ids FROM t WHERE id < 20000 GROUP BY k");
    query("grouped", "SELECT count(*), sum(length(ids)) FROM u");
    query("join", "SELECT count(*), sum(t.id % 97) FROM t JOIN u USING (k)");
    query("sort", "SELECT name, id FROM t ORDER BY name DESC LIMIT 2 OFFSET 100000");
    query("cte", "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000) "
                 "SELECT sum(x), count(*) FROM c");
    query("distinct", "SELECT count(DISTINCT substr(name, 1, 6)) FROM t");
    if (sqlite3_close(db) != SQLITE_OK)
        fail("close", "busy");
    struct alloc8_demo_stats after = alloc8_test_snapshot(stats);
    printf("done\n");
    if (strict) {
        unsigned long long mallocs = DELTA(before, after, malloc_calls), frees = DELTA(before, after, free_calls);
        fprintf(stderr, "sqlite under the demo allocator: %llu allocations, %llu frees, %llu bytes requested\n",
                mallocs, frees, DELTA(before, after, bytes_requested));
        if (mallocs < ROWS / 10 || frees < ROWS / 10) {
            printf("FAIL: the allocator did not serve SQLite (%llu allocations, %llu frees)\n", mallocs, frees);
            return 1;
        }
    }
    return 0;
}

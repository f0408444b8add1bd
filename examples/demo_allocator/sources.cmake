# SPDX-License-Identifier: MIT
# The demo allocator's sources, for alloc8_add_interposer(... SOURCES ${ALLOC8_DEMO_SOURCES}).
set(ALLOC8_DEMO_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/demo_api.c
    ${CMAKE_CURRENT_LIST_DIR}/demo_large.c
    ${CMAKE_CURRENT_LIST_DIR}/demo_os.c
    ${CMAKE_CURRENT_LIST_DIR}/demo_size_class.c
    ${CMAKE_CURRENT_LIST_DIR}/demo_span.c
    ${CMAKE_CURRENT_LIST_DIR}/demo_stats.c
    ${CMAKE_CURRENT_LIST_DIR}/demo_tcache.c)

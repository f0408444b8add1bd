# SPDX-License-Identifier: MIT
# alloc8_conformance.cmake: the kit's CTest tests for an allocator built with alloc8 (docs/checking.md).
# Included by alloc8.cmake.
#
#   alloc8_add_conformance_tests(<target> [CHECKS <check>...] [SEED <n>] [TIMEOUT <seconds>] [QUICK])
#
# <target> is a library made by alloc8_add_interposer for Linux: shared (interpose or prefixed
# mode), or a STATIC archive in interpose mode, which is linked whole into the kit's programs of
# its own (alloc8_kit/<target>/, with the archive's --wrap options and ENABLE_EXPORTS), as a program
# that links it would. Registers one CTest test per check, alloc8.<target>.<check>, with the label
# alloc8.<target> (`ctest -L alloc8.<target>`); call enable_testing() (or include(CTest)) first.
# The checks (default: all) are the kit's programs, built once per project from the kit's sources
# (kit/ in alloc8's source tree, share/alloc8/kit when installed) as alloc8_kit_<check>:
#   api      the C API's semantics through the glue: alignment, usable_size, errno, realloc, calloc,
#            the memalign family, blocks disjoint
#   stress   a seeded random sequence of the whole API (SEED, default 1), contents verified, its
#            outcomes compared with the same sequence under glibc
#   threads  thread churn (returned, pthread_exit, detached, cancelled) with cross-thread frees
#   fork     fork while threads allocate, then allocation in the child
#   cxx      the 20 C++ operators new and delete (when the spec has them: cxx: true), the
#            new_handler loop, bad_alloc and nullptr; built only when the project has enabled C++
#            (enable_language(CXX) before this call): otherwise the test reports the check skipped
#            (exit 77, CTest's SKIP_RETURN_CODE) with the reason
#   programs programs installed on the machine (sort, python3, perl, gcc, git), each run without and
#            with the library: the same output, and its malloc bound to the library (a shared
#            library in interpose mode)
# QUICK: fewer iterations of the same checks (alloc8-gen --quick: 20,000 stress operations instead of
# 200,000, 4 rounds of threads instead of 16, 20 forks instead of 100), for edit-compile-test loops.
# Each test runs `alloc8-gen <spec> --check-library <library> --checks <check>`, which first proves
# that the library served the program. TIMEOUT (default 300) is a safety net: each program stops
# itself with a message when it makes no progress.
include_guard(GLOBAL)

# The kit's programs, once per project (and once per static archive, linked with it: <archive>);
# sets <out_var> to the directory that holds them.
function(_alloc8_kit_programs out_var archive)
  set(name alloc8_kit)
  set(dir "${CMAKE_BINARY_DIR}/alloc8_kit")
  if(archive)
    set(name alloc8_kit_${archive})
    set(dir "${dir}/${archive}")
  endif()
  if(NOT TARGET ${name}_api)
    get_property(gen_dir GLOBAL PROPERTY ALLOC8_GEN_DIR)
    get_filename_component(kit_dir "${gen_dir}/../kit" ABSOLUTE)
    if(NOT EXISTS "${kit_dir}/kit.h")
      message(FATAL_ERROR "alloc8_add_conformance_tests: the kit's sources are not at ${kit_dir}")
    endif()
    find_package(Threads REQUIRED)
    get_property(languages GLOBAL PROPERTY ENABLED_LANGUAGES)
    set(programs api stress threads fork)
    if("CXX" IN_LIST languages)
      list(APPEND programs cxx)
    endif()
    foreach(check IN LISTS programs)
      if(check STREQUAL "cxx")
        add_executable(${name}_${check} "${kit_dir}/cxx.cpp")
      else()
        add_executable(${name}_${check} "${kit_dir}/${check}.c")
      endif()
      set_target_properties(${name}_${check} PROPERTIES
        C_STANDARD 11 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF
        CXX_STANDARD 17 CXX_STANDARD_REQUIRED ON CXX_EXTENSIONS OFF
        OUTPUT_NAME alloc8_kit_${check} RUNTIME_OUTPUT_DIRECTORY "${dir}")
      if(CMAKE_C_COMPILER_ID MATCHES "GNU|Clang")
        # the compiler must not fold or drop the allocation calls under test
        target_compile_options(${name}_${check} PRIVATE -fno-builtin)
      endif()
      if(archive)
        # all of it (the program calls the family through dlsym, so nothing would pull it in), its
        # definitions exported for the kit's dlsym, its usage requirements (--wrap) as for any user
        set_target_properties(${name}_${check} PROPERTIES ENABLE_EXPORTS ON)
        target_link_libraries(${name}_${check} PRIVATE -Wl,--whole-archive ${archive} -Wl,--no-whole-archive)
      endif()
      target_link_libraries(${name}_${check} PRIVATE Threads::Threads ${CMAKE_DL_LIBS})
    endforeach()
  endif()
  # every kit program is in the same directory (per configuration)
  set(${out_var} "$<TARGET_FILE_DIR:${name}_api>" PARENT_SCOPE)
endfunction()

function(alloc8_add_conformance_tests target)
  cmake_parse_arguments(PARSE_ARGV 1 A8 "QUICK" "SEED;TIMEOUT" "CHECKS")
  if(A8_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "alloc8_add_conformance_tests(${target}): unexpected arguments: ${A8_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT TARGET ${target})
    message(FATAL_ERROR "alloc8_add_conformance_tests(${target}): no such target (make it with alloc8_add_interposer first)")
  endif()
  get_target_property(spec ${target} ALLOC8_SPEC)
  get_target_property(platform ${target} ALLOC8_PLATFORM)
  get_target_property(type ${target} TYPE)
  if(NOT spec)
    message(FATAL_ERROR "alloc8_add_conformance_tests(${target}): ${target} was not made by alloc8_add_interposer")
  endif()
  if(NOT platform STREQUAL "linux" OR NOT CMAKE_SYSTEM_NAME STREQUAL "Linux"
     OR NOT type MATCHES "^(SHARED|STATIC)_LIBRARY$")
    message(FATAL_ERROR "alloc8_add_conformance_tests(${target}): the kit checks libraries built for Linux "
                        "(LD_PRELOAD, dlopen, or a static archive linked in); ${target} is a ${type} for ${platform}")
  endif()
  set(all_checks api stress threads fork cxx programs)
  # cxx applies when the glue defines the C++ operators: a file tagged cxx (alloc8-gen --describe)
  alloc8_generator_command(gen)
  execute_process(COMMAND ${gen} "${spec}" --platform linux --describe
                  OUTPUT_VARIABLE facts ERROR_VARIABLE errors RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "alloc8_add_conformance_tests(${target}): the spec is not usable:\n${errors}")
  endif()
  set(applicable api stress threads fork)
  if(facts MATCHES "(^|\n)output=([a-z]+,)*cxx[, ]")
    list(APPEND applicable cxx)
  endif()
  set(archive "")
  if(type STREQUAL "STATIC_LIBRARY")
    set(archive ${target})
    if(NOT facts MATCHES "(^|\n)mode=interpose(\n|$)")
      message(FATAL_ERROR "alloc8_add_conformance_tests(${target}): a static archive in prefixed mode; the kit "
                          "checks a prefixed library as a shared library (alloc8_add_interposer without STATIC)")
    endif()
  elseif(facts MATCHES "(^|\n)mode=interpose(\n|$)") # a prefixed library serves no program by itself
    list(APPEND applicable programs)
  endif()
  set(checks ${A8_CHECKS})
  if(NOT checks)
    set(checks ${applicable})
  endif()
  foreach(check IN LISTS checks)
    if(NOT check IN_LIST all_checks)
      message(FATAL_ERROR "alloc8_add_conformance_tests(${target}): unknown check ${check}; "
                          "expected some of ${all_checks}")
    endif()
    if(NOT check IN_LIST applicable AND check STREQUAL "programs" AND archive)
      message(FATAL_ERROR "alloc8_add_conformance_tests(${target}): CHECKS programs: a static archive serves "
                          "only the programs linked with it")
    elseif(NOT check IN_LIST applicable AND check STREQUAL "programs")
      message(FATAL_ERROR "alloc8_add_conformance_tests(${target}): CHECKS programs: the spec is in prefixed "
                          "mode: its library serves no program by itself")
    elseif(NOT check IN_LIST applicable)
      message(FATAL_ERROR "alloc8_add_conformance_tests(${target}): CHECKS ${check}: the spec defines no C++ "
                          "operators (cxx: false, or prefixed mode)")
    endif()
  endforeach()
  set(seed "")
  if(DEFINED A8_SEED)
    set(seed --seed ${A8_SEED})
  endif()
  if(A8_QUICK)
    list(APPEND seed --quick)
  endif()
  if(NOT A8_TIMEOUT)
    set(A8_TIMEOUT 300)
  endif()
  _alloc8_kit_programs(programs "${archive}")
  foreach(check IN LISTS checks)
    add_test(NAME alloc8.${target}.${check}
             COMMAND ${gen} "${spec}" --check-library "$<TARGET_FILE:${target}>" --checks ${check}
                     --kit-programs "${programs}" ${seed})
    set_tests_properties(alloc8.${target}.${check} PROPERTIES LABELS "alloc8.${target}" TIMEOUT ${A8_TIMEOUT}
                         SKIP_RETURN_CODE 77)
  endforeach()
endfunction()

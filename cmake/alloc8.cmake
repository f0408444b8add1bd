# SPDX-License-Identifier: MIT
# alloc8.cmake: build-system integration for alloc8.
#
#   alloc8_add_interposer(<target> SPEC <spec.yaml> [SOURCES <allocator sources>...] [PLATFORM <p>]
#                         [STATIC] [THREAD_HOOKS ON|OFF] [TLS_MODEL <model>]
#                         [CHECK_ENTRIES ON|RUNTIME|OFF] [CHECKED] [TESTS])
#
# generates the glue for <spec.yaml> at build time (again whenever the spec, a template or the
# generator changes) and builds it together with SOURCES into the shared library <target>
# (for LD_PRELOAD; a DLL on Windows), or with STATIC into a static library to link into static
# executables (on Windows: the link-time mode, which defines the C runtime's names in the program;
# on Linux its users link with --wrap for pthread_create, thrd_create and __register_atfork, a
# usage requirement of the archive).
#
# PLATFORM (default: the platform being built for; musl when the C compiler builds for musl, as
# musl-gcc or Alpine's gcc do) is one the spec lists. PLATFORM musl with a toolchain that is not
# musl's builds the target with musl-gcc (found on PATH, or ALLOC8_MUSL_GCC): every compile and link
# of it runs musl-gcc instead of the project's C compiler (cmake/alloc8_musl_cc.sh). The programs
# that load or link it must be built for musl as well: alloc8_build_with_musl(<target>...) builds
# any targets (executables, libraries; C only) the same way. A STATIC archive for musl in interpose
# mode also makes its users' links pull its malloc in (-u malloc), so it wins over musl's own in
# `-static` links (docs/platforms.md, "musl").
#
# TLS_MODEL (Linux; global-dynamic, local-dynamic, initial-exec, local-exec) is the thread-local
# model of the whole library: -ftls-model=<model> for SOURCES and the glue's own thread-locals.
# Without it SOURCES keep the compiler's model and the glue's are initial-exec (fast, but the
# library then needs all of its TLS in the static block: dlopen works only while that fits the
# loader's surplus). TLS_MODEL global-dynamic builds a library that dlopen can always load
# (docs/threads.md, "Thread-local storage").
#
# CHECKED (Linux: glibc and musl): the checked build. The glue is compiled with ALLOC8_CHECKED=1, and every call into
# the allocator goes through a check of its entry's contract (docs/spec.md, "Checked build"): the
# alignment of every block, usable_size at least the size requested and the same until free, owns
# true for the allocator's blocks and false for others, errno as the guarantees declare, zeroed
# memory from entry.calloc, sized frees given the size requested. A broken contract prints one line
# naming the entry and the contract, then aborts. For testing an allocator (build it twice, under two
# target names); without CHECKED none of it is compiled.
#
# CHECK_ENTRIES (default ON; Linux: glibc and musl): before linking, `alloc8-gen --check-entries`
# reads the objects of SOURCES (objdump, from binutils) and fails the build with one line per entry
# that reaches, through the functions it calls, a name the glue exports (malloc, __libc_malloc, ...)
# or a libc function that allocates through it (strdup, fopen, printf, ...; musl's own list on
# musl): such a call comes back into the allocator, usually under its own lock, and the first
# program it serves hangs (docs/spec.md, "Where an allocator may get its memory"). entry.init is not
# checked (its calls are served from the bootstrap area). At run time (glibc shared libraries only),
# the library's own calls to the malloc family go through a check that stops the program with a
# message when an entry other than init is on the stack, and its calls to glibc's __libc_* names
# always stop it (the linker's --wrap sends them there; the program's calls are not affected).
# CHECK_ENTRIES RUNTIME keeps only the run-time check; OFF turns both off, for an allocator whose
# entries call the malloc family on purpose while holding no lock.
#
# Thread hooks (the spec's `threads:` section), by its `activation`:
#   runtime  compiled in; the hooks are weak symbols, absent hooks cost nothing at run time.
#   build    compiled in when THREAD_HOOKS is ON; its default is the spec's `enabled`.
#   library  not compiled in; alloc8_add_interposer also creates the INTERFACE library
#            <target>_threads, and `target_link_libraries(<target> PRIVATE <target>_threads)`
#            switches the hooks on.
#
# TESTS: also alloc8_add_conformance_tests(<target>), the kit's CTest tests for it (below).
#
#   alloc8_add_heap(<target> SPEC <spec.yaml> [SOURCES <sources>...] [SHARED] [PLATFORM <p>])
#
# generates the spec's `heap:` dispatch (<heap>_allocate, _allocate_norefs, _deallocate; the
# C++ header with cxx_header) and builds it into the static (or SHARED) library <target>, linked
# to alloc8::runtime; its users include <heap>.h. A spec may consist of `name` and `heap` alone.
#
#   alloc8_add_conformance_tests(<target> [CHECKS <check>...] [SEED <n>] [TIMEOUT <seconds>])
#
# registers the kit's CTest tests (alloc8.<target>.<check>, label alloc8.<target>) for a Linux
# shared library made by alloc8_add_interposer (alloc8_conformance.cmake, docs/checking.md).
#
# Available after add_subdirectory(alloc8) or find_package(alloc8 CONFIG).
include_guard(GLOBAL)

# Where the generator package and its templates are; alloc8Config.cmake sets ALLOC8_GEN_DIR for
# an installed copy, the source tree uses its own gen/.
if(NOT DEFINED ALLOC8_GEN_DIR)
  get_filename_component(ALLOC8_GEN_DIR "${CMAKE_CURRENT_LIST_DIR}/../gen" ABSOLUTE)
endif()
set_property(GLOBAL PROPERTY ALLOC8_GEN_DIR "${ALLOC8_GEN_DIR}")
set_property(GLOBAL PROPERTY ALLOC8_CMAKE_DIR "${CMAKE_CURRENT_LIST_DIR}") # alloc8_musl_cc.sh

# Find a Python 3 that can import jinja2 and yaml. The python3 first on PATH may be another
# interpreter (pyenv, a venv) without them, so try it, then the system ones. The one chosen is
# kept as the interpreter itself (sys.executable): a pyenv shim costs most of a second per start,
# and the generator starts once per target at configure time and per test.
function(alloc8_find_python)
  get_property(checked GLOBAL PROPERTY ALLOC8_PYTHON_CHECKED)
  if(ALLOC8_PYTHON AND checked STREQUAL ALLOC8_PYTHON)
    return() # already checked in this configure run (a Python start-up per spec is slow)
  endif()
  if(ALLOC8_PYTHON)
    execute_process(COMMAND "${ALLOC8_PYTHON}" -c "import jinja2, yaml"
                    RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
    if(rc EQUAL 0)
      set_property(GLOBAL PROPERTY ALLOC8_PYTHON_CHECKED "${ALLOC8_PYTHON}")
      return()
    endif()
    message(FATAL_ERROR "alloc8: ALLOC8_PYTHON=${ALLOC8_PYTHON} cannot import jinja2 and yaml. "
                        "Install python3-jinja2 and python3-yaml, or point ALLOC8_PYTHON at a Python 3 that has them.")
  endif()
  set(candidates "$ENV{ALLOC8_PYTHON}")
  find_program(ALLOC8_PYTHON3_ON_PATH NAMES python3)
  list(APPEND candidates "${ALLOC8_PYTHON3_ON_PATH}" /usr/bin/python3 /usr/local/bin/python3)
  unset(ALLOC8_PYTHON3_ON_PATH CACHE)
  set(tried "")
  foreach(candidate IN LISTS candidates)
    if(candidate STREQUAL "" OR NOT EXISTS "${candidate}")
      continue()
    endif()
    list(APPEND tried "${candidate}")
    execute_process(COMMAND "${candidate}" -c
                            "import sys, jinja2, yaml; print(sys.executable); sys.exit(sys.version_info < (3, 7))"
                    RESULT_VARIABLE rc OUTPUT_VARIABLE executable OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    if(rc EQUAL 0)
      if(NOT executable OR NOT EXISTS "${executable}")
        set(executable "${candidate}")
      endif()
      set(ALLOC8_PYTHON "${executable}" CACHE FILEPATH "Python 3 with jinja2 and yaml, used by alloc8-gen")
      set_property(GLOBAL PROPERTY ALLOC8_PYTHON_CHECKED "${executable}")
      message(STATUS "alloc8: generator runs with ${executable}")
      return()
    endif()
  endforeach()
  string(REPLACE ";" ", " tried "${tried}")
  message(FATAL_ERROR "alloc8: no Python 3 that can import jinja2 and yaml was found (tried: ${tried}). "
                      "On Debian/Ubuntu: apt-get install python3-jinja2 python3-yaml. "
                      "Or pass -DALLOC8_PYTHON=/path/to/python3.")
endfunction()

# The command that runs the generator: usable in add_custom_command and execute_process.
function(alloc8_generator_command out_var)
  alloc8_find_python()
  get_property(gen_dir GLOBAL PROPERTY ALLOC8_GEN_DIR)
  set(${out_var} "${CMAKE_COMMAND}" -E env "PYTHONPATH=${gen_dir}" "${ALLOC8_PYTHON}" -m alloc8gen PARENT_SCOPE)
endfunction()

# Generate <spec> for <platform> into <out_dir> at build time (again whenever the spec, a template
# or the generator changes). Asks `alloc8-gen --describe` once, now, and sets in the caller:
#   <prefix>_<key>          for every key=value line (glue, threads, heap, heap_fallback, ...)
#   <prefix>_outputs_<tag>  the generated files the generator tags <tag>: glue (the interposer's),
#                           heap (the heap dispatch), cxx (the C++ operators), exceptions (to be
#                           compiled with -fexceptions), ... (gen/alloc8gen/platforms.py, output_tags)
function(_alloc8_generate caller spec platform out_dir prefix)
  alloc8_generator_command(gen)
  # The spec decides which files exist (cxx, init, mode, heap): ask the generator now, and
  # configure again whenever the spec changes.
  execute_process(COMMAND ${gen} "${spec}" --platform ${platform} --out "${out_dir}" --describe
                  OUTPUT_VARIABLE facts ERROR_VARIABLE errors RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${caller}: the spec is not usable:\n${errors}")
  endif()
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${spec}")
  string(STRIP "${facts}" facts)
  string(REPLACE "\n" ";" facts "${facts}")
  set(outputs "")
  set(all_tags "")
  foreach(fact IN LISTS facts)
    if(fact MATCHES "^output=([a-z,]+) (.+)$")
      set(file "${CMAKE_MATCH_2}")
      list(APPEND outputs "${file}")
      string(REPLACE "," ";" tags "${CMAKE_MATCH_1}")
      foreach(tag IN LISTS tags)
        list(APPEND tagged_${tag} "${file}")
      endforeach()
      list(APPEND all_tags ${tags})
    elseif(fact MATCHES "^([a-z_]+)=(.*)$")
      set(${prefix}_${CMAKE_MATCH_1} "${CMAKE_MATCH_2}" PARENT_SCOPE)
    endif()
  endforeach()
  list(REMOVE_DUPLICATES all_tags)
  foreach(tag IN LISTS all_tags)
    set(${prefix}_outputs_${tag} "${tagged_${tag}}" PARENT_SCOPE)
  endforeach()

  get_property(gen_dir GLOBAL PROPERTY ALLOC8_GEN_DIR)
  file(GLOB generator_files CONFIGURE_DEPENDS "${gen_dir}/alloc8gen/*.py")
  file(GLOB_RECURSE template_files CONFIGURE_DEPENDS "${gen_dir}/../templates/*.j2")
  get_filename_component(spec_name "${spec}" NAME)
  add_custom_command(
    OUTPUT ${outputs}
    COMMAND ${gen} "${spec}" --platform ${platform} --out "${out_dir}"
    DEPENDS "${spec}" ${generator_files} ${template_files}
    COMMENT "alloc8: generating the ${platform} glue for ${caller} from ${spec_name}"
    VERBATIM)
endfunction()

# The platform to generate for when none is given: the one being built for.
function(_alloc8_default_platform out_var)
  if(CMAKE_SYSTEM_NAME STREQUAL "Darwin")
    set(${out_var} macos PARENT_SCOPE)
  elseif(WIN32)
    set(${out_var} windows PARENT_SCOPE)
  else()
    _alloc8_toolchain_is_musl(musl)
    if(musl)
      set(${out_var} musl PARENT_SCOPE)
    else()
      set(${out_var} linux PARENT_SCOPE)
    endif()
  endif()
endfunction()

# Whether the project's C compiler builds for musl: on Linux, a C library that is none of glibc,
# uClibc and bionic (which define __GLIBC__, __UCLIBC__, __BIONIC__). Asked once per build tree.
function(_alloc8_toolchain_is_musl out_var)
  if(NOT DEFINED ALLOC8_TOOLCHAIN_IS_MUSL)
    set(musl OFF)
    if(CMAKE_SYSTEM_NAME STREQUAL "Linux" AND CMAKE_C_COMPILER)
      set(probe "${CMAKE_BINARY_DIR}${CMAKE_FILES_DIRECTORY}/alloc8_musl_probe.c")
      file(WRITE "${probe}" "#include <stdio.h>\n#if defined(__GLIBC__) || defined(__UCLIBC__) || defined(__BIONIC__)\n"
                            "#error not musl\n#endif\nint main(void) { return 0; }\n")
      try_compile(musl "${CMAKE_BINARY_DIR}${CMAKE_FILES_DIRECTORY}/alloc8_musl_probe" "${probe}")
    endif()
    set(ALLOC8_TOOLCHAIN_IS_MUSL ${musl} CACHE INTERNAL "the C compiler builds for musl")
  endif()
  set(${out_var} ${ALLOC8_TOOLCHAIN_IS_MUSL} PARENT_SCOPE)
endfunction()

# alloc8_build_with_musl(<target>...): build the targets (C sources) with musl-gcc, for PLATFORM musl
# when the project's toolchain is not musl's (nothing to do when it is). Their compiles and links
# run musl-gcc in place of the project's C compiler, with the same arguments.
function(alloc8_build_with_musl)
  _alloc8_toolchain_is_musl(native)
  if(native)
    return()
  endif()
  find_program(ALLOC8_MUSL_GCC NAMES musl-gcc DOC "musl-gcc, for the targets alloc8 builds for musl")
  if(NOT ALLOC8_MUSL_GCC)
    message(FATAL_ERROR "alloc8: building for musl needs musl-gcc (Debian: apt-get install musl-tools), "
                        "a musl toolchain as the C compiler, or -DALLOC8_MUSL_GCC=/path/to/musl-gcc")
  endif()
  get_property(cmake_dir GLOBAL PROPERTY ALLOC8_CMAKE_DIR)
  set(launch sh "${cmake_dir}/alloc8_musl_cc.sh" "${ALLOC8_MUSL_GCC}" "${CMAKE_C_COMPILER}")
  string(REPLACE ";" " " launch_rule "${launch}")
  foreach(target IN LISTS ARGN)
    set_target_properties(${target} PROPERTIES C_COMPILER_LAUNCHER "${launch}" RULE_LAUNCH_LINK "${launch_rule}")
  endforeach()
endfunction()

# The checks both public functions make on their parsed arguments (A8_*); sets A8_PLATFORM's
# default and `spec` (the absolute path) in the caller. A macro, so it sees the caller's variables.
macro(_alloc8_check_arguments fn)
  if(A8_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "${fn}(${target}): unexpected arguments: ${A8_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT A8_SPEC)
    message(FATAL_ERROR "${fn}(${target}): SPEC <file.yaml> is required")
  endif()
  if(NOT A8_PLATFORM)
    _alloc8_default_platform(A8_PLATFORM)
  endif()
  get_filename_component(spec "${A8_SPEC}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  if(NOT EXISTS "${spec}")
    message(FATAL_ERROR "${fn}(${target}): spec ${spec} does not exist")
  endif()
endmacro()

function(alloc8_add_interposer target)
  cmake_parse_arguments(PARSE_ARGV 1 A8 "STATIC;CHECKED;TESTS" "SPEC;PLATFORM;THREAD_HOOKS;TLS_MODEL;CHECK_ENTRIES" "SOURCES")
  _alloc8_check_arguments(alloc8_add_interposer)
  set(out_dir "${CMAKE_CURRENT_BINARY_DIR}/alloc8/${target}")
  _alloc8_generate(${target} "${spec}" ${A8_PLATFORM} "${out_dir}" a8)
  if(NOT a8_glue)
    message(FATAL_ERROR "alloc8_add_interposer(${target}): ${A8_SPEC} has no 'entry' (it describes only "
                        "a heap): there is no allocator to interpose; use alloc8_add_heap(${target} SPEC ...)")
  endif()
  if(A8_STATIC AND a8_library STREQUAL "yes")
    message(FATAL_ERROR "alloc8_add_interposer(${target}): STATIC with a spec that has 'library': the glue "
                        "loads that library with dlopen at run time, which a static link does not support "
                        "(docs/spec.md, library); build a shared library (no STATIC)")
  endif()
  set(activation "${a8_threads}")
  if(DEFINED A8_THREAD_HOOKS AND NOT activation MATCHES "^(build|runtime)$")
    message(FATAL_ERROR "alloc8_add_interposer(${target}): THREAD_HOOKS is for specs with "
                        "'threads: {activation: build}' (or runtime); this spec has threads=${activation}"
                        "; with activation: library, link ${target}_threads instead")
  endif()

  # the generator's glue files; the heap dispatch (if the spec has one) is alloc8_add_heap's
  set(library_sources ${a8_outputs_glue})
  if(activation STREQUAL "library")
    # Linking <target>_threads switches the hooks on. The thread source is always built: with the
    # hooks off it still sets threads.created_flag (or compiles to nothing).
    add_library(${target}_threads INTERFACE)
    target_compile_definitions(${target}_threads INTERFACE ALLOC8_THREAD_HOOKS=1)
  endif()
  if(A8_STATIC)
    add_library(${target} STATIC ${A8_SOURCES} ${library_sources})
  else()
    add_library(${target} SHARED ${A8_SOURCES} ${library_sources})
  endif()
  if(DEFINED A8_THREAD_HOOKS)
    if(A8_THREAD_HOOKS)
      target_compile_definitions(${target} PRIVATE ALLOC8_THREAD_HOOKS=1)
    else()
      target_compile_definitions(${target} PRIVATE ALLOC8_THREAD_HOOKS=0)
    endif()
  endif()
  set_target_properties(${target} PROPERTIES
    C_STANDARD 11 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF
    C_VISIBILITY_PRESET hidden CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON
    POSITION_INDEPENDENT_CODE ON
    ALLOC8_SPEC "${spec}" ALLOC8_PLATFORM "${A8_PLATFORM}") # for alloc8_add_conformance_tests
  if(A8_PLATFORM STREQUAL "musl")
    alloc8_build_with_musl(${target}) # musl-gcc, unless the toolchain is musl's
    if(A8_STATIC AND a8_mode STREQUAL "interpose")
      # the archive's malloc is linked before libc.a is searched, even when the program itself
      # only allocates through libc (strdup, fopen, ...)
      target_link_options(${target} INTERFACE "LINKER:--undefined=malloc")
    endif()
  endif()
  if(A8_CHECKED)
    if(NOT A8_PLATFORM MATCHES "^(linux|musl)$")
      message(FATAL_ERROR "alloc8_add_interposer(${target}): CHECKED is for the linux and musl platforms (docs/spec.md, "
                          "\"Checked build\"); this target is built for ${A8_PLATFORM}")
    endif()
    # the glue's checks of every entry's contract (glue.h, <name>_malloc.c)
    target_compile_definitions(${target} PRIVATE ALLOC8_CHECKED=1)
    set_target_properties(${target} PROPERTIES ALLOC8_CHECKED ON)
  endif()
  # The generated directory holds <name>.h (the prefixed API) for users of the library.
  target_include_directories(${target} PUBLIC "$<BUILD_INTERFACE:${out_dir}/${A8_PLATFORM}>")
  find_package(Threads REQUIRED)
  target_link_libraries(${target} PRIVATE Threads::Threads ${CMAKE_DL_LIBS})
  if(A8_PLATFORM STREQUAL "windows")
    if(A8_STATIC)
      # the link-time mode: the C runtime's names are defined in the program, TLS callbacks
      # stand in for DllMain (docs/platforms.md)
      target_compile_definitions(${target} PRIVATE ALLOC8_STATIC=1)
    elseif(MINGW)
      # the DLL carries libgcc itself instead of needing libgcc_s_seh-1.dll next to it
      target_link_options(${target} PRIVATE -static-libgcc)
    endif()
  elseif(A8_PLATFORM STREQUAL "macos")
    # A dylib for DYLD_INSERT_LIBRARIES (docs/platforms.md). Its interpose entries name libc++abi's
    # operator new/delete, so it links libc++ when the spec has cxx.
    if(a8_outputs_exceptions)
      set_source_files_properties(${a8_outputs_exceptions} PROPERTIES COMPILE_OPTIONS "-fexceptions")
    endif()
    if(a8_outputs_cxx)
      target_link_libraries(${target} PRIVATE c++)
    endif()
  elseif(CMAKE_C_COMPILER_ID MATCHES "GNU|Clang")
    if(A8_STATIC)
      # a static link cannot replace libc's pthread_create or __register_atfork: the archive
      # defines __wrap_<name> for them (docs/threads.md, "Static links")
      target_compile_definitions(${target} PRIVATE ALLOC8_STATIC=1)
      string(REPLACE "," ";" wrapped "${a8_static_wraps}")
      foreach(name IN LISTS wrapped)
        target_link_options(${target} INTERFACE "LINKER:--wrap=${name}")
      endforeach()
    endif()
    if(A8_TLS_MODEL)
      if(NOT A8_TLS_MODEL MATCHES "^(global-dynamic|local-dynamic|initial-exec|local-exec)$")
        message(FATAL_ERROR "alloc8_add_interposer(${target}): TLS_MODEL ${A8_TLS_MODEL} is not one of "
                            "global-dynamic, local-dynamic, initial-exec, local-exec")
      endif()
      # the allocator's sources and the glue's own thread-locals (glue.h: ALLOC8_TLS_MODEL)
      target_compile_options(${target} PRIVATE "-ftls-model=${A8_TLS_MODEL}")
      target_compile_definitions(${target} PRIVATE "ALLOC8_TLS_MODEL=\"${A8_TLS_MODEL}\"")
    endif()
    # -fno-plt: the glue calls the allocator's entry points through the GOT directly (one
    # instruction less per call into a separate allocator library such as libmimalloc.so).
    target_compile_options(${target} PRIVATE -fno-plt)
    # a C++ new_handler may throw std::bad_alloc through the generated operator new, and
    # thread cancellation unwinds through the pthread_create trampoline.
    if(a8_outputs_exceptions)
      set_source_files_properties(${a8_outputs_exceptions} PROPERTIES COMPILE_OPTIONS "-fexceptions")
    endif()
  endif()
  if(NOT DEFINED A8_CHECK_ENTRIES)
    set(A8_CHECK_ENTRIES ON)
  endif()
  if(NOT A8_CHECK_ENTRIES MATCHES "^(ON|RUNTIME|OFF)$")
    message(FATAL_ERROR "alloc8_add_interposer(${target}): CHECK_ENTRIES ${A8_CHECK_ENTRIES} is not one of ON, RUNTIME, OFF")
  endif()
  if(A8_CHECK_ENTRIES STREQUAL "ON" AND A8_SOURCES AND A8_PLATFORM MATCHES "^(linux|musl)$"
     AND CMAKE_SYSTEM_NAME STREQUAL "Linux")
    # No entry may call back into the glue (docs/spec.md, "Where an allocator may get its memory"):
    # the objects of SOURCES are read before every link; the glue's own objects are left out.
    alloc8_generator_command(gen)
    set(objdump "")
    if(CMAKE_OBJDUMP)
      set(objdump --objdump "${CMAKE_OBJDUMP}")
    endif()
    string(REPLACE "." "[.]" glue_dir "/alloc8/${target}/${A8_PLATFORM}/") # target names: [A-Za-z0-9_.+-]
    string(REPLACE "+" "[+]" glue_dir "${glue_dir}")
    add_custom_command(TARGET ${target} PRE_LINK
      COMMAND ${gen} "${spec}" --platform ${A8_PLATFORM} ${objdump}
              --check-entries "$<FILTER:$<TARGET_OBJECTS:${target}>,EXCLUDE,${glue_dir}>"
      COMMENT "alloc8: checking that the entries of ${target} never call back into the glue (CHECK_ENTRIES)"
      COMMAND_EXPAND_LISTS VERBATIM)
  endif()
  if(CMAKE_SYSTEM_NAME STREQUAL "Linux" AND NOT A8_STATIC)
    # -z defs: a missing entry point is a link error, not a crash at load time;
    # -z nodelete: an allocator must never be unloaded while its blocks are alive.
    target_link_options(${target} PRIVATE "LINKER:-z,defs" "LINKER:-z,nodelete")
  endif()
  if(A8_PLATFORM STREQUAL "musl" AND NOT A8_STATIC)
    # musl-gcc's specs replace gcc's link line and drop --eh-frame-hdr, without which the unwinder
    # (the run-time check below, C++ exceptions) cannot find this library's unwind tables
    target_link_options(${target} PRIVATE "LINKER:--eh-frame-hdr")
  endif()
  if(CMAKE_SYSTEM_NAME STREQUAL "Linux" AND NOT A8_STATIC AND NOT A8_CHECK_ENTRIES STREQUAL "OFF")
    # the library's own references to the malloc family (and glibc's __libc_* names) go to the
    # glue's run-time checks (docs/spec.md, "Where an allocator may get its memory"); self_wraps is
    # empty for a platform without them
    string(REPLACE "," ";" self_wrapped "${a8_self_wraps}")
    foreach(name IN LISTS self_wrapped)
      target_link_options(${target} PRIVATE "LINKER:--wrap=${name}")
    endforeach()
  endif()
  if(A8_TESTS)
    alloc8_add_conformance_tests(${target}) # the kit (alloc8_conformance.cmake, docs/checking.md)
  endif()
endfunction()

function(alloc8_add_heap target)
  cmake_parse_arguments(PARSE_ARGV 1 A8 "SHARED" "SPEC;PLATFORM" "SOURCES")
  _alloc8_check_arguments(alloc8_add_heap)
  if(NOT TARGET alloc8::runtime)
    message(FATAL_ERROR "alloc8_add_heap(${target}): the alloc8 runtime (alloc8::runtime) is not "
                        "available: add_subdirectory(alloc8) or find_package(alloc8 CONFIG) first")
  endif()
  set(out_dir "${CMAKE_CURRENT_BINARY_DIR}/alloc8/${target}")
  _alloc8_generate(${target} "${spec}" ${A8_PLATFORM} "${out_dir}" a8)
  if(a8_heap STREQUAL "none")
    message(FATAL_ERROR "alloc8_add_heap(${target}): ${A8_SPEC} has no 'heap' section")
  endif()
  if(a8_heap_fallback STREQUAL "gc" AND WIN32)
    message(FATAL_ERROR "alloc8_add_heap(${target}): the heap falls back to the GC, but the alloc8 "
                        "runtime has no GC on Windows (not ported: docs/platforms.md); use 'fallback: allocator'")
  endif()
  if(a8_heap_fallback STREQUAL "gc" AND DEFINED ALLOC8_RUNTIME_HAS_GC AND NOT ALLOC8_RUNTIME_HAS_GC)
    message(FATAL_ERROR "alloc8_add_heap(${target}): the heap falls back to the GC, but the alloc8 "
                        "runtime was built without the Boehm GC (Debian: apt-get install libgc-dev, "
                        "then configure again)")
  endif()
  # the generator's heap files (<heap>.h, .c, .hpp); its glue files are alloc8_add_interposer's
  if(A8_SHARED)
    add_library(${target} SHARED ${A8_SOURCES} ${a8_outputs_heap})
  else()
    add_library(${target} STATIC ${A8_SOURCES} ${a8_outputs_heap})
  endif()
  set_target_properties(${target} PROPERTIES
    C_STANDARD 11 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF POSITION_INDEPENDENT_CODE ON)
  # <heap>.h (and <heap>.hpp) for the users of the heap
  target_include_directories(${target} PUBLIC "$<BUILD_INTERFACE:${out_dir}/${A8_PLATFORM}>")
  # the runtime brings the current allocator, the registry and (with fallback gc) the GC
  target_link_libraries(${target} PUBLIC alloc8::runtime)
endfunction()

include("${CMAKE_CURRENT_LIST_DIR}/alloc8_conformance.cmake")

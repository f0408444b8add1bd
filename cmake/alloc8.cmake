# alloc8.cmake: build-system integration for alloc8.
#
#   alloc8_add_interposer(<target> SPEC <spec.yaml> [SOURCES <allocator sources>...] [PLATFORM <p>]
#                         [STATIC] [THREAD_HOOKS ON|OFF])
#
# generates the glue for <spec.yaml> at build time (again whenever the spec, a template or the
# generator changes) and builds it together with SOURCES into the shared library <target>
# (for LD_PRELOAD), or with STATIC into a static library to link into static executables.
#
# Thread hooks (the spec's `threads:` section), by its `activation`:
#   runtime  compiled in; the hooks are weak symbols, absent hooks cost nothing at run time.
#   build    compiled in when THREAD_HOOKS is ON; its default is the spec's `enabled`.
#   library  not compiled in; alloc8_add_interposer also creates the INTERFACE library
#            <target>_threads, and `target_link_libraries(<target> PRIVATE <target>_threads)`
#            switches the hooks on.
# Available after add_subdirectory(alloc8) or find_package(alloc8 CONFIG).
include_guard(GLOBAL)

# Where the generator package and its templates are; alloc8Config.cmake sets ALLOC8_GEN_DIR for
# an installed copy, the source tree uses its own gen/.
if(NOT DEFINED ALLOC8_GEN_DIR)
  get_filename_component(ALLOC8_GEN_DIR "${CMAKE_CURRENT_LIST_DIR}/../gen" ABSOLUTE)
endif()
set_property(GLOBAL PROPERTY ALLOC8_GEN_DIR "${ALLOC8_GEN_DIR}")

# Find a Python 3 that can import jinja2 and yaml. The python3 first on PATH may be another
# interpreter (pyenv, a venv) without them, so try it, then the system ones.
function(alloc8_find_python)
  if(ALLOC8_PYTHON)
    execute_process(COMMAND "${ALLOC8_PYTHON}" -c "import jinja2, yaml"
                    RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
    if(rc EQUAL 0)
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
    execute_process(COMMAND "${candidate}" -c "import sys, jinja2, yaml; sys.exit(sys.version_info < (3, 7))"
                    RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
    if(rc EQUAL 0)
      set(ALLOC8_PYTHON "${candidate}" CACHE FILEPATH "Python 3 with jinja2 and yaml, used by alloc8-gen")
      message(STATUS "alloc8: generator runs with ${candidate}")
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

function(alloc8_add_interposer target)
  cmake_parse_arguments(PARSE_ARGV 1 A8 "STATIC" "SPEC;PLATFORM;THREAD_HOOKS" "SOURCES")
  if(A8_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "alloc8_add_interposer(${target}): unexpected arguments: ${A8_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT A8_SPEC)
    message(FATAL_ERROR "alloc8_add_interposer(${target}): SPEC <file.yaml> is required")
  endif()
  if(NOT A8_PLATFORM)
    if(CMAKE_SYSTEM_NAME STREQUAL "Darwin")
      set(A8_PLATFORM macos)
    elseif(WIN32)
      set(A8_PLATFORM windows)
    else()
      set(A8_PLATFORM linux)
    endif()
  endif()
  get_filename_component(spec "${A8_SPEC}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  if(NOT EXISTS "${spec}")
    message(FATAL_ERROR "alloc8_add_interposer(${target}): spec ${spec} does not exist")
  endif()
  set(out_dir "${CMAKE_CURRENT_BINARY_DIR}/alloc8/${target}")
  alloc8_generator_command(gen)

  # The spec decides which files exist (cxx, init, mode): ask the generator now, and configure
  # again whenever the spec changes.
  execute_process(COMMAND ${gen} "${spec}" --platform ${A8_PLATFORM} --out "${out_dir}" --list-outputs
                  OUTPUT_VARIABLE outputs ERROR_VARIABLE errors RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "alloc8_add_interposer(${target}): the spec is not usable:\n${errors}")
  endif()
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${spec}")
  string(STRIP "${outputs}" outputs)
  string(REPLACE "\n" ";" outputs "${outputs}")
  execute_process(COMMAND ${gen} "${spec}" --platform ${A8_PLATFORM} --describe
                  OUTPUT_VARIABLE facts RESULT_VARIABLE rc ERROR_QUIET)
  if(NOT rc EQUAL 0 OR NOT facts MATCHES "threads=([a-z]+)")
    message(FATAL_ERROR "alloc8_add_interposer(${target}): alloc8-gen --describe failed")
  endif()
  set(activation "${CMAKE_MATCH_1}")
  set(thread_file "")
  foreach(file IN LISTS outputs)
    if(file MATCHES "_threads\\.c$")
      set(thread_file "${file}")
    endif()
  endforeach()
  if(DEFINED A8_THREAD_HOOKS AND NOT activation MATCHES "^(build|runtime)$")
    message(FATAL_ERROR "alloc8_add_interposer(${target}): THREAD_HOOKS is for specs with "
                        "'threads: {activation: build}' (or runtime); this spec has threads=${activation}"
                        "; with activation: library, link ${target}_threads instead")
  endif()

  get_property(gen_dir GLOBAL PROPERTY ALLOC8_GEN_DIR)
  file(GLOB generator_files "${gen_dir}/alloc8gen/*.py")
  file(GLOB_RECURSE template_files "${gen_dir}/../templates/*.j2")
  get_filename_component(spec_name "${spec}" NAME)
  add_custom_command(
    OUTPUT ${outputs}
    COMMAND ${gen} "${spec}" --platform ${A8_PLATFORM} --out "${out_dir}"
    DEPENDS "${spec}" ${generator_files} ${template_files}
    COMMENT "alloc8: generating the ${A8_PLATFORM} glue for ${target} from ${spec_name}"
    VERBATIM)

  set(library_sources ${outputs})
  if(activation STREQUAL "library")
    # Linking <target>_threads adds the hook source and switches the glue's check on.
    list(REMOVE_ITEM library_sources "${thread_file}")
    add_library(${target}_threads INTERFACE)
    target_sources(${target}_threads INTERFACE "${thread_file}")
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
  if(A8_STATIC AND thread_file)
    # libc's pthread_create cannot be replaced in a static executable: lazy init only.
    target_compile_definitions(${target} PRIVATE ALLOC8_NO_THREAD_WRAPPERS=1)
  endif()
  set_target_properties(${target} PROPERTIES
    C_STANDARD 11 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF
    C_VISIBILITY_PRESET hidden CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON
    POSITION_INDEPENDENT_CODE ON
    ALLOC8_GENERATED_DIR "${out_dir}/${A8_PLATFORM}")
  # The generated directory holds <name>.h (the prefixed API) for users of the library.
  target_include_directories(${target} PUBLIC "$<BUILD_INTERFACE:${out_dir}/${A8_PLATFORM}>")
  find_package(Threads REQUIRED)
  target_link_libraries(${target} PRIVATE Threads::Threads ${CMAKE_DL_LIBS})
  if(CMAKE_C_COMPILER_ID MATCHES "GNU|Clang")
    # initial-exec TLS never calls __tls_get_addr, which may allocate: that would recurse.
    target_compile_options(${target} PRIVATE -ftls-model=initial-exec)
    foreach(file IN LISTS outputs)
      if(file MATCHES "_cxx\\.c$|_threads\\.c$")
        # a C++ new_handler may throw std::bad_alloc through the generated operator new, and
        # thread cancellation unwinds through the pthread_create trampoline.
        set_source_files_properties("${file}" PROPERTIES COMPILE_OPTIONS "-fexceptions")
      endif()
    endforeach()
  endif()
  if(CMAKE_SYSTEM_NAME STREQUAL "Linux" AND NOT A8_STATIC)
    # -z defs: a missing entry point is a link error, not a crash at load time;
    # -z nodelete: an allocator must never be unloaded while its blocks are alive.
    target_link_options(${target} PRIVATE "LINKER:-z,defs" "LINKER:-z,nodelete")
  endif()
endfunction()

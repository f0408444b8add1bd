# SPDX-License-Identifier: MIT
"""Names a spec may not give the generated C: every rule about what an allocator-supplied name
(spec name, prefix, entry symbols, thread hooks, heap name) may collide with, and its data.

The generated files include system headers (errno.h, stdio.h, pthread.h, windows.h, gc/gc.h, ...;
see the `#include <...>` lines in templates/), so a name those headers declare or define as a
macro, a name the compiler predefines, or a keyword breaks the build. The rules:

- names starting with '_' are the C implementation's (C11 7.1.3), '__linux__', '_WIN32', ...;
- the glue's own prefix 'alloc8_' in any case (ALLOC8_... are the glue's macros);
- C and C++ keywords and C++'s alternative tokens (the heap's C++ header is C++; and_eq, ...);
- HEADER_NAMES: the names the headers of every platform's generated files declare at file scope or
  define as macros, and the ISO C library's (compilers know its functions as builtins);
- for a spec that lists windows, names starting with an upper-case letter: windows.h alone
  declares some 37,000 of them (HeapAlloc, DWORD, TRUE, ...), too many to list;
- the names the templates derive from a spec's names (DERIVED: <heap>_allocate, <HEAP>_ALIGNMENT,
  <name>_dll_event, ALLOC8_<NAME>_H, <prefix>malloc, ...) may not be header names either;
- the files a spec generates may not be named like a system header they would shadow, nor differ
  from each other only in case (HEADER_FILES; checked in validate.py).

HEADER_NAMES and HEADER_FILES are derived from the compilers and headers of the project's build
machine (gcc, clang and mingw-w64 with glibc and the Boehm GC; clang with the minimal macOS
declarations of tests/platform/macos) by tests/gen/headers.py; tests/gen/test_reserved.py fails
when a header name is accepted, and `python3 tests/gen/headers.py` prints the ones missing.
"""

# How a spec's names reach C besides as themselves ({} the name, {U} the name in upper case).
# tests/gen/test_reserved.py renders the templates with marker names and fails on a pattern
# missing here.
DERIVED = {
    "spec": ("{}_dll_event", "{}_tls_callback", "{}_tls_thread_callback", "ALLOC8_{U}_GLUE_H",
             "ALLOC8_{U}_MACOS_H", "ALLOC8_{U}_H", "ALLOC8_{U}_BUILD", "ALLOC8_{U}_API"),
    "heap": ("{}_allocate", "{}_allocate_norefs", "{}_deallocate", "{}_try_allocate", "{}_try_allocate_norefs",
             "{}_try", "{}_dispatch", "{}_exhausted", "{}_fallback", "{}_fallback_free", "{}_gc_thread",
             "{}_gc_thread_ready", "{U}_ALIGNMENT", "{U}_UNLIKELY", "ALLOC8_HEAP_{U}_H", "ALLOC8_HEAP_{U}_HPP"),
}

C_KEYWORDS = frozenset("""
auto break case char const continue default do double else enum extern float for goto if inline
int long register restrict return short signed sizeof static struct switch typedef union unsigned
void volatile while _Alignas _Alignof _Atomic _Bool _Complex _Generic _Imaginary _Noreturn
_Static_assert _Thread_local asm typeof typeof_unqual bool true false alignas alignof static_assert
thread_local nullptr constexpr
""".split())
CXX_KEYWORDS = frozenset("""
catch char8_t char16_t char32_t class co_await co_return co_yield concept consteval constinit
const_cast decltype delete dynamic_cast explicit export final friend import module mutable
namespace new noexcept operator override private protected public reinterpret_cast requires
static_cast template this throw try typeid typename using virtual wchar_t
""".split())
CXX_ALTERNATIVE_TOKENS = frozenset("and and_eq bitand bitor compl not not_eq or or_eq xor xor_eq".split())
# gcc warns (-Wmain) about a 'main' that is not the program's entry point
SPECIAL = frozenset(["main"])
# Names the heap's C++ struct (templates/heap/heap.hpp.j2) declares inside itself: a member may
# not have its class's name. tests/gen/test_reserved.py reads them from the rendered header.
HEAP_CXX_NAMES = frozenset("allocate deallocate with_allocator without_allocator prime".split())

GLUE_PREFIX = "alloc8_"

# Every name that starts with one of these (SYS_ names differ between architectures, GC_ between
# versions of the GC, ...); the members a derived name could equal are in HEADER_NAMES too.
HEADER_FAMILIES = frozenset("""
ADJ_ ATOMIC_ AT_ CLOCK_ CLONE_ CPU_ DBL_ DF_ DT_ EF_ EI_ ELF32_ ELF64_ ELFOSABI_ ELF_ EM_ ET_ Elf32_
Elf64_ FE_ FLT_ FPE_ FP_ F_ GC_ GNU_ HUGE_ ILL_ INT_ LA_ LC_ LDBL_ LOCK_ MADV_ MAP_ MIPS_ MOD_ M_
NT_ ODK_ OEX_ O_ PF_ POSIX_ PTHREAD_ PT_ REG_ RHF_ RTLD_ R_ SA_ SCHED_ SEGV_ SHF_ SHN_ SHT_ SIG_ SI_
STA_ STB_ STO_ STT_ SYMINFO_ SYS_ S_ UINT_ VER_ atomic_ fmaximum_ fminimum_ malloc_ memory_ pthread_
sched_ szOID_ thrd_ uint_
""".split())
HEADER_NAMES = frozenset("""
AIO_PRIO_DELTA_MAX ALLOC8_ALLOCATOR_H ALLOC8_CURRENT_H ALLOC8_GC_H ALLOC8_REGISTRY_H
ALLOC8_TEST_DLFCN_H ALLOC8_TEST_DYLD_INTERPOSING_H ALLOC8_TEST_ERRNO_H ALLOC8_TEST_MALLOC_MALLOC_H
ALLOC8_TEST_PTHREAD_H ALLOC8_TEST_STDLIB_H ALLOC8_TEST_STRING_H ALLOC8_TEST_UNISTD_H
BCRYPT_OBJECT_ALIGNMENT BCRYPT_STRUCT_ALIGNMENT BC_BASE_MAX BC_DIM_MAX BC_SCALE_MAX BC_STRING_MAX
BIG_ENDIAN BOOL_MAX BOOL_WIDTH BUFSIZ BUS_ADRALN BUS_ADRERR BUS_MCEERR_AO BUS_MCEERR_AR BUS_OBJERR
BYTE_ORDER CHARCLASS_NAME_MAX CHAR_BIT CHAR_MAX CHAR_MIN CHAR_WIDTH CLD_CONTINUED CLD_DUMPED
CLD_EXITED CLD_KILLED CLD_STOPPED CLD_TRAPPED CLOCKS_PER_SEC CLOSE_RANGE_CLOEXEC CLOSE_RANGE_UNSHARE
CMPLX CMPLXF CMPLXF128 CMPLXF32 CMPLXF32X CMPLXF64 CMPLXF64X CMPLXL COLL_WEIGHTS_MAX CSIGNAL
DECIMAL_DIG DELAYTIMER_MAX DLFO_EH_SEGMENT_TYPE DLFO_STRUCT_HAS_EH_COUNT DLFO_STRUCT_HAS_EH_DBASE
DL_CALL_FCT DN_ACCESS DN_ATTRIB DN_CREATE DN_DELETE DN_MODIFY DN_MULTISHOT DN_RENAME DTF_1_CONFEXP
DTF_1_PARINIT DYLD_INTERPOSE Dl_info Dl_serinfo Dl_serpath E2BIG EACCES EADDRINUSE EADDRNOTAVAIL
EADV EAFNOSUPPORT EAGAIN EALREADY EBADE EBADF EBADFD EBADMSG EBADR EBADRQC EBADSLT EBFONT EBUSY
ECANCELED ECHILD ECHRNG ECOMM ECONNABORTED ECONNREFUSED ECONNRESET EDEADLK EDEADLOCK EDESTADDRREQ
EDOM EDOTDOT EDQUOT EEXIST EFAULT EFA_PARISC_1_0 EFA_PARISC_1_1 EFA_PARISC_2_0 EFBIG EHOSTDOWN
EHOSTUNREACH EHWPOISON EIDRM EILSEQ EINPROGRESS EINTR EINVAL EIO EISCONN EISDIR EISNAM EKEYEXPIRED
EKEYREJECTED EKEYREVOKED EL2HLT EL2NSYNC EL3HLT EL3RST ELFCLASS32 ELFCLASS64 ELFCLASSNONE
ELFCLASSNUM ELFCOMPRESS_HIOS ELFCOMPRESS_HIPROC ELFCOMPRESS_LOOS ELFCOMPRESS_LOPROC ELFCOMPRESS_ZLIB
ELFDATA2LSB ELFDATA2MSB ELFDATANONE ELFDATANUM ELFMAG ELFMAG0 ELFMAG1 ELFMAG2 ELFMAG3 ELIBACC
ELIBBAD ELIBEXEC ELIBMAX ELIBSCN ELNRNG ELOOP EMEDIUMTYPE EMFILE EMLINK EMSGSIZE EMULTIHOP
ENAMETOOLONG ENAVAIL ENETDOWN ENETRESET ENETUNREACH ENFILE ENOANO ENOBUFS ENOCSI ENODATA ENODEV
ENOENT ENOEXEC ENOKEY ENOLCK ENOLINK ENOMEDIUM ENOMEM ENOMSG ENONET ENOPKG ENOPROTOOPT ENOSPC ENOSR
ENOSTR ENOSYS ENOTBLK ENOTCONN ENOTDIR ENOTEMPTY ENOTNAM ENOTRECOVERABLE ENOTSOCK ENOTSUP ENOTTY
ENOTUNIQ ENXIO EOF EOPNOTSUPP EOVERFLOW EOWNERDEAD EPERM EPFNOSUPPORT EPIPE EPROTO EPROTONOSUPPORT
EPROTOTYPE ERANGE EREMCHG EREMOTE EREMOTEIO ERESTART ERFKILL EROFS ERROR_MAPPED_ALIGNMENT ESHUTDOWN
ESOCKTNOSUPPORT ESPIPE ESRCH ESRMNT ESTALE ESTRPIPE ETIME ETIMEDOUT ETOOMANYREFS ETXTBSY EUCLEAN
EUNATCH EUSERS EV_CURRENT EV_NONE EV_NUM EWOULDBLOCK EXDEV EXFULL EXIT_FAILURE EXIT_SUCCESS
EXPR_NEST_MAX E_MIPS_ARCH_1 E_MIPS_ARCH_2 E_MIPS_ARCH_3 E_MIPS_ARCH_32 E_MIPS_ARCH_4 E_MIPS_ARCH_5
E_MIPS_ARCH_64 ElfW Elf_MIPS_ABIFlags_v0 Elf_Options Elf_Options_Hw Elf_Symndx
FALLOC_FL_COLLAPSE_RANGE FALLOC_FL_INSERT_RANGE FALLOC_FL_KEEP_SIZE FALLOC_FL_NO_HIDE_STALE
FALLOC_FL_PUNCH_HOLE FALLOC_FL_UNSHARE_RANGE FALLOC_FL_ZERO_RANGE FAPPEND FASYNC FD_CLOEXEC FD_CLR
FD_ISSET FD_SET FD_SETSIZE FD_ZERO FFSYNC FILE FILENAME_MAX FNDELAY FNONBLOCK FOPEN_MAX F_LOCK F_OK
F_TEST F_TLOCK F_ULOCK GC_debug_free GC_debug_malloc GC_debug_realloc GC_free GC_malloc GC_memalign
GC_posix_memalign GC_realloc GRP_COMDAT HOST_NAME_MAX I INFINITY INT16_C INT16_MAX INT16_MIN
INT16_WIDTH INT32_C INT32_MAX INT32_MIN INT32_WIDTH INT64_C INT64_MAX INT64_MIN INT64_WIDTH INT8_C
INT8_MAX INT8_MIN INT8_WIDTH INTMAX_C INTMAX_MAX INTMAX_MIN INTMAX_WIDTH INTPTR_MAX INTPTR_MIN
INTPTR_WIDTH IOV_MAX KERN_SUCCESS LAV_CURRENT LIBGCC2_UNWIND_ATTRIBUTE LINE_MAX LITTLE_ENDIAN
LITUSE_ALPHA_ADDR LITUSE_ALPHA_BASE LITUSE_ALPHA_BYTOFF LITUSE_ALPHA_JSR LITUSE_ALPHA_TLS_GD
LITUSE_ALPHA_TLS_LDM LLONG_MAX LLONG_MIN LLONG_WIDTH LL_DELAY_LOAD LL_DELTA LL_EXACT_MATCH
LL_EXPORTS LL_IGNORE_INT_VER LL_NONE LL_REQUIRE_MINOR LM_ID_BASE LM_ID_NEWLM LOGIN_NAME_MAX LONG_BIT
LONG_LONG_MAX LONG_LONG_MIN LONG_MAX LONG_MIN LONG_WIDTH L_INCR L_SET L_XTND L_ctermid L_cuserid
L_tmpnam La_x32_regs La_x32_retval La_x86_64_regs La_x86_64_retval La_x86_64_vector La_x86_64_xmm
La_x86_64_ymm La_x86_64_zmm Lmid_t MATH_ERREXCEPT MATH_ERRNO MAXFLOAT MAX_CANON MAX_HANDLE_SZ
MAX_INPUT MAX_NATURAL_ALIGNMENT MB_CUR_MAX MB_LEN_MAX MCL_CURRENT MCL_FUTURE MCL_ONFAULT
MEMORY_ALLOCATION_ALIGNMENT MFD_ALLOW_SEALING MFD_CLOEXEC MFD_HUGETLB MINSIGSTKSZ MLOCK_ONFAULT
MQ_PRIO_MAX MREMAP_DONTUNMAP MREMAP_FIXED MREMAP_MAYMOVE MS_ASYNC MS_INVALIDATE MS_SYNC NAME_MAX NAN
NFDBITS NGREG NGROUPS_MAX NL_ARGMAX NL_LANGMAX NL_MSGMAX NL_NMAX NL_SETMAX NL_TEXTMAX
NOTE_GNU_PROPERTY_SECTION_NAME NSIG NULL NZERO OHWA0_R4KEOP_CHECKED OHWA1_R4KEOP_CLEAN OHW_R4KEOP
OHW_R5KCVTL OHW_R5KEOP OHW_R8KPFETCH ONCE_FLAG_INIT OPAD_POSTFIX OPAD_PREFIX OPAD_SYMBOL PATH_MAX
PDP_ENDIAN PIPE_BUF PKEY_DISABLE_ACCESS PKEY_DISABLE_WRITE PN_XNUM POLL_ERR POLL_HUP POLL_IN
POLL_MSG POLL_OUT POLL_PRI PPC64_LOCAL_ENTRY_OFFSET PPC64_OPT_LOCALENTRY PPC64_OPT_MULTI_TOC
PPC64_OPT_TLS PPC_OPT_TLS PRIX16 PRIX32 PRIX64 PRIX8 PRIXFAST16 PRIXFAST32 PRIXFAST64 PRIXFAST8
PRIXLEAST16 PRIXLEAST32 PRIXLEAST64 PRIXLEAST8 PRIXMAX PRIXPTR PRId16 PRId32 PRId64 PRId8 PRIdFAST16
PRIdFAST32 PRIdFAST64 PRIdFAST8 PRIdLEAST16 PRIdLEAST32 PRIdLEAST64 PRIdLEAST8 PRIdMAX PRIdPTR
PRIi16 PRIi32 PRIi64 PRIi8 PRIiFAST16 PRIiFAST32 PRIiFAST64 PRIiFAST8 PRIiLEAST16 PRIiLEAST32
PRIiLEAST64 PRIiLEAST8 PRIiMAX PRIiPTR PRIo16 PRIo32 PRIo64 PRIo8 PRIoFAST16 PRIoFAST32 PRIoFAST64
PRIoFAST8 PRIoLEAST16 PRIoLEAST32 PRIoLEAST64 PRIoLEAST8 PRIoMAX PRIoPTR PRIu16 PRIu32 PRIu64 PRIu8
PRIuFAST16 PRIuFAST32 PRIuFAST64 PRIuFAST8 PRIuLEAST16 PRIuLEAST32 PRIuLEAST64 PRIuLEAST8 PRIuMAX
PRIuPTR PRIx16 PRIx32 PRIx64 PRIx8 PRIxFAST16 PRIxFAST32 PRIxFAST64 PRIxFAST8 PRIxLEAST16
PRIxLEAST32 PRIxLEAST64 PRIxLEAST8 PRIxMAX PRIxPTR PROBE_ALIGNMENT PROT_EXEC PROT_GROWSDOWN
PROT_GROWSUP PROT_NONE PROT_READ PROT_WRITE PTRDIFF_MAX PTRDIFF_MIN PTRDIFF_WIDTH P_tmpdir RAND_MAX
RENAME_EXCHANGE RENAME_NOREPLACE RENAME_WHITEOUT RE_DUP_MAX RTSIG_MAX RT_ADD RT_CONSISTENT RT_DELETE
RWF_WRITE_LIFE_NOT_SET RWH_WRITE_LIFE_EXTREME RWH_WRITE_LIFE_LONG RWH_WRITE_LIFE_MEDIUM
RWH_WRITE_LIFE_NONE RWH_WRITE_LIFE_NOT_SET RWH_WRITE_LIFE_SHORT R_OK SCHAR_MAX SCHAR_MIN SCHAR_WIDTH
SCNd16 SCNd32 SCNd64 SCNd8 SCNdFAST16 SCNdFAST32 SCNdFAST64 SCNdFAST8 SCNdLEAST16 SCNdLEAST32
SCNdLEAST64 SCNdLEAST8 SCNdMAX SCNdPTR SCNi16 SCNi32 SCNi64 SCNi8 SCNiFAST16 SCNiFAST32 SCNiFAST64
SCNiFAST8 SCNiLEAST16 SCNiLEAST32 SCNiLEAST64 SCNiLEAST8 SCNiMAX SCNiPTR SCNo16 SCNo32 SCNo64 SCNo8
SCNoFAST16 SCNoFAST32 SCNoFAST64 SCNoFAST8 SCNoLEAST16 SCNoLEAST32 SCNoLEAST64 SCNoLEAST8 SCNoMAX
SCNoPTR SCNu16 SCNu32 SCNu64 SCNu8 SCNuFAST16 SCNuFAST32 SCNuFAST64 SCNuFAST8 SCNuLEAST16
SCNuLEAST32 SCNuLEAST64 SCNuLEAST8 SCNuMAX SCNuPTR SCNx16 SCNx32 SCNx64 SCNx8 SCNxFAST16 SCNxFAST32
SCNxFAST64 SCNxFAST8 SCNxLEAST16 SCNxLEAST32 SCNxLEAST64 SCNxLEAST8 SCNxMAX SCNxPTR SEEK_CUR
SEEK_DATA SEEK_END SEEK_HOLE SEEK_SET SELFMAG SEM_VALUE_MAX SHRT_MAX SHRT_MIN SHRT_WIDTH SIGABRT
SIGALRM SIGBUS SIGCHLD SIGCLD SIGCONT SIGEV_NONE SIGEV_SIGNAL SIGEV_THREAD SIGEV_THREAD_ID SIGFPE
SIGHUP SIGILL SIGINT SIGIO SIGIOT SIGKILL SIGPIPE SIGPOLL SIGPROF SIGPWR SIGQUIT SIGRTMAX SIGRTMIN
SIGSEGV SIGSTKFLT SIGSTKSZ SIGSTOP SIGSYS SIGTERM SIGTRAP SIGTSTP SIGTTIN SIGTTOU SIGURG SIGUSR1
SIGUSR2 SIGVTALRM SIGWINCH SIGXCPU SIGXFSZ SIZE_MAX SIZE_WIDTH SNAN SNANF SNANF128 SNANF32 SNANF32X
SNANF64 SNANF64X SNANL SPLICE_F_GIFT SPLICE_F_MORE SPLICE_F_MOVE SPLICE_F_NONBLOCK SSIZE_MAX
SS_DISABLE SS_ONSTACK STDERR_FILENO STDIN_FILENO STDOUT_FILENO STN_UNDEF STV_DEFAULT STV_HIDDEN
STV_INTERNAL STV_PROTECTED SYNC_FILE_RANGE_WAIT_AFTER SYNC_FILE_RANGE_WAIT_BEFORE
SYNC_FILE_RANGE_WRITE SYNC_FILE_RANGE_WRITE_AND_WAIT SYS_pkey_free TEMP_FAILURE_RETRY TIMER_ABSTIME
TIME_UTC TMP_MAX TRAP_BRANCH TRAP_BRKPT TRAP_HWBKPT TRAP_TRACE TRAP_UNK TSS_DTOR_ITERATIONS
TTY_NAME_MAX TYPE_ALIGNMENT UCHAR_MAX UCHAR_WIDTH UINT16_C UINT16_MAX UINT16_WIDTH UINT32_C
UINT32_MAX UINT32_WIDTH UINT64_C UINT64_MAX UINT64_WIDTH UINT8_C UINT8_MAX UINT8_WIDTH UINTMAX_C
UINTMAX_MAX UINTMAX_WIDTH UINTPTR_MAX UINTPTR_WIDTH ULLONG_MAX ULLONG_WIDTH ULONG_LONG_MAX ULONG_MAX
ULONG_WIDTH USHRT_MAX USHRT_WIDTH UTIME_NOW UTIME_OMIT Val_GNU_MIPS_ABI_FP_64
Val_GNU_MIPS_ABI_FP_64A Val_GNU_MIPS_ABI_FP_ANY Val_GNU_MIPS_ABI_FP_DOUBLE Val_GNU_MIPS_ABI_FP_MAX
Val_GNU_MIPS_ABI_FP_OLD_64 Val_GNU_MIPS_ABI_FP_SINGLE Val_GNU_MIPS_ABI_FP_SOFT
Val_GNU_MIPS_ABI_FP_XX WCHAR_MAX WCHAR_MIN WCHAR_WIDTH WCONTINUED WEOF WEXITED WEXITSTATUS
WIFCONTINUED WIFEXITED WIFSIGNALED WIFSTOPPED WINT_MAX WINT_MIN WINT_WIDTH WNOHANG WNOWAIT WORD_BIT
WSTOPPED WSTOPSIG WTERMSIG WUNTRACED W_OK XATTR_LIST_MAX XATTR_NAME_MAX XATTR_SIZE_MAX X_OK a64l
abnormal_termination abort abs accept access acct acos acosf acosf32 acosf32x acosf64 acosf64x acosh
acoshf acoshf32 acoshf32x acoshf64 acoshf64x acoshl acosl alarm alignas aligned_alloc alignof alloca
arc4random arc4random_buf arc4random_uniform asctime asctime_r asctime_s asin asinf asinf32 asinf32x
asinf64 asinf64x asinh asinhf asinhf32 asinhf32x asinhf64 asinhf64x asinhl asinl asprintf assert
assert_perror at_quick_exit atan atan2 atan2f atan2f32 atan2f32x atan2f64 atan2f64x atan2l atanf
atanf32 atanf32x atanf64 atanf64x atanh atanhf atanhf32 atanhf32x atanhf64 atanhf64x atanhl atanl
atexit atof atoi atol atoll atomic_is_lock_free auxGetDevCaps auxGetDevCapsA auxGetDevCapsW
auxGetNumDevs auxGetVolume auxOutMessage auxSetVolume basename bcmp bcopy be16toh be32toh be64toh
bind bind_textdomain_codeset bindtextdomain blkcnt64_t blkcnt_t blksize_t bool boolean
boolean_array_from_ndr boolean_from_ndr boolean_t brk bsearch bsearch_s btowc byte
byte_array_from_ndr byte_from_ndr bzero c16rtomb c32rtomb c8rtomb cPRIV_KEY_CACHE_MAX_ITEMS_DEFAULT
cPRIV_KEY_CACHE_PURGE_INTERVAL_SECONDS_DEFAULT cabs cabsf cabsf32 cabsf32x cabsf64 cabsf64x cabsl
cacos cacosf cacosf32 cacosf32x cacosf64 cacosf64x cacosh cacoshf cacoshf32 cacoshf32x cacoshf64
cacoshf64x cacoshl cacosl caddr_t call_once calloc canonicalize canonicalize_file_name canonicalizef
canonicalizef32 canonicalizef32x canonicalizef64 canonicalizef64x canonicalizel carg cargf cargf32
cargf32x cargf64 cargf64x cargl casin casinf casinf32 casinf32x casinf64 casinf64x casinh casinhf
casinhf32 casinhf32x casinhf64 casinhf64x casinhl casinl catan catanf catanf32 catanf32x catanf64
catanf64x catanh catanhf catanhf32 catanhf32x catanhf64 catanhf64x catanhl catanl cbNDRContext cbrt
cbrtf cbrtf32 cbrtf32x cbrtf64 cbrtf64x cbrtl ccos ccosf ccosf32 ccosf32x ccosf64 ccosf64x ccosh
ccoshf ccoshf32 ccoshf32x ccoshf64 ccoshf64x ccoshl ccosl cdecl ceil ceilf ceilf32 ceilf32x ceilf64
ceilf64x ceill cexp cexpf cexpf32 cexpf32x cexpf64 cexpf64x cexpl chdir chgsign chown chroot chx1
chx10 chx11 chx12 chx13 chx14 chx15 chx16 chx2 chx3 chx4 chx5 chx6 chx7 chx8 chx9 cimag cimagf
cimagf32 cimagf32x cimagf64 cimagf64x cimagl clearenv clearerr clearerr_s clearerr_unlocked clock
clock_adjtime clock_getcpuclockid clock_getres clock_gettime clock_nanosleep clock_settime clock_t
clockid_t clog clog10 clog10f clog10f32 clog10f32x clog10f64 clog10f64x clog10l clogf clogf32
clogf32x clogf64 clogf64x clogl clone close close_range closefrom closesocket cmb1 cmb10 cmb11 cmb12
cmb13 cmb14 cmb15 cmb16 cmb2 cmb3 cmb4 cmb5 cmb6 cmb7 cmb8 cmb9 cnd_broadcast cnd_destroy cnd_init
cnd_signal cnd_t cnd_timedwait cnd_wait comparison_fn_t complex confstr conj conjf conjf32 conjf32x
conjf64 conjf64x conjl connect cookie_close_function_t cookie_io_functions_t cookie_read_function_t
cookie_seek_function_t cookie_write_function_t copy_file_range copysign copysignf copysignf32
copysignf32x copysignf64 copysignf64x copysignl cos cosf cosf32 cosf32x cosf64 cosf64x cosh coshf
coshf32 coshf32x coshf64 coshf64x coshl cosl cpow cpowf cpowf32 cpowf32x cpowf64 cpowf64x cpowl
cproj cprojf cprojf32 cprojf32x cprojf64 cprojf64x cprojl cpu_set_t creal crealf crealf32 crealf32x
crealf64 crealf64x creall creat creat64 crypt cs_byte csin csinf csinf32 csinf32x csinf64 csinf64x
csinh csinhf csinhf32 csinhf32x csinhf64 csinhf64x csinhl csinl csqrt csqrtf csqrtf32 csqrtf32x
csqrtf64 csqrtf64x csqrtl ctan ctanf ctanf32 ctanf32x ctanf64 ctanf64x ctanh ctanhf ctanhf32
ctanhf32x ctanhf64 ctanhf64x ctanhl ctanl ctermid ctime ctime_r ctime_s ctl1 ctlFirst ctlLast
cuserid dadd daddl daddr_t daemon daylight dcgettext dcngettext ddiv ddivl dev_t dfma dfmal dgettext
difftime div div_t dl_iterate_phdr dladdr dladdr1 dlclose dlerror dlinfo dlmopen dlopen dlsym dlvsym
dmul dmull dngettext double_t dprintf drand48 drand48_r drem dremf dreml dsqrt dsqrtl dsub dsubl dup
dup2 dup3 duplocale dwFORCE_KEY_PROTECTION_DISABLED dwFORCE_KEY_PROTECTION_HIGH
dwFORCE_KEY_PROTECTION_USER_SELECT dysize eaccess ecvt ecvt_r edt1 edt10 edt11 edt12 edt13 edt14
edt15 edt16 edt2 edt3 edt4 edt5 edt6 edt7 edt8 edt9 eeptAnsiString eeptBinary eeptLongVal eeptNone
eeptPointerVal eeptShortVal eeptUnicodeString endusershell environ erand48 erand48_r erf erfc erfcf
erfcf32 erfcf32x erfcf64 erfcf64x erfcl erff erff32 erff32x erff64 erff64x erfl errno errno_t
error_status_t error_t euidaccess exception_code exception_info execl execle execlp execv execve
execveat execvp execvpe exit exp exp10 exp10f exp10f32 exp10f32x exp10f64 exp10f64x exp10l exp2
exp2f exp2f32 exp2f32x exp2f64 exp2f64x exp2l expf expf32 expf32x expf64 expf64x expl explicit_bzero
expm1 expm1f expm1f32 expm1f32x expm1f64 expm1f64x expm1l f32add f32addf32x f32addf64 f32addf64x
f32div f32divf32x f32divf64 f32divf64x f32fma f32fmaf32x f32fmaf64 f32fmaf64x f32mul f32mulf32x
f32mulf64 f32mulf64x f32sqrt f32sqrtf32x f32sqrtf64 f32sqrtf64x f32sub f32subf32x f32subf64
f32subf64x f32xadd f32xaddf64 f32xaddf64x f32xdiv f32xdivf64 f32xdivf64x f32xfma f32xfmaf64
f32xfmaf64x f32xmul f32xmulf64 f32xmulf64x f32xsqrt f32xsqrtf64 f32xsqrtf64x f32xsub f32xsubf64
f32xsubf64x f64add f64addf64x f64div f64divf64x f64fma f64fmaf64x f64mul f64mulf64x f64sqrt
f64sqrtf64x f64sub f64subf64x f64xadd f64xdiv f64xfma f64xmul f64xsqrt f64xsub fabs fabsf fabsf32
fabsf32x fabsf64 fabsf64x fabsl faccessat fadd faddl fallocate fallocate64 false far fchdir fchown
fchownat fclose fcloseall fcntl fcntl64 fcvt fcvt_r fd_mask fd_set fdatasync fdim fdimf fdimf32
fdimf32x fdimf64 fdimf64x fdiml fdiv fdivl fdopen feclearexcept fedisableexcept feenableexcept
fegetenv fegetexcept fegetexceptflag fegetmode fegetround feholdexcept femode_t fenv_t feof
feof_unlocked feraiseexcept ferror ferror_unlocked fesetenv fesetexcept fesetexceptflag fesetmode
fesetround fetestexcept fetestexceptflag feupdateenv fexcept_t fexecve fflush fflush_unlocked ffma
ffmal ffs ffsl ffsll fgetc fgetc_unlocked fgetchar fgetpos fgetpos64 fgets fgets_unlocked fgetwc
fgetwc_unlocked fgetws fgetws_unlocked fileno fileno_unlocked finite finitef finitel float_t
flockfile floor floorf floorf32 floorf32x floorf64 floorf64x floorl flushall fma fmaf fmaf32 fmaf32x
fmaf64 fmaf64x fmal fmax fmaxf fmaxf32 fmaxf32x fmaxf64 fmaxf64x fmaximum fmaximumf fmaximumf32
fmaximumf32x fmaximumf64 fmaximumf64x fmaximuml fmaxl fmaxmag fmaxmagf fmaxmagf32 fmaxmagf32x
fmaxmagf64 fmaxmagf64x fmaxmagl fmemopen fmin fminf fminf32 fminf32x fminf64 fminf64x fminimum
fminimumf fminimumf32 fminimumf32x fminimumf64 fminimumf64x fminimuml fminl fminmag fminmagf
fminmagf32 fminmagf32x fminmagf64 fminmagf64x fminmagl fmod fmodf fmodf32 fmodf32x fmodf64 fmodf64x
fmodl fmul fmull fopen fopen64 fopen_s fopencookie fork fpathconf fpclass fpclassify fpos64_t fpos_t
fpregset_t fpreset fprintf fprintf_s fputc fputc_unlocked fputchar fputs fputs_unlocked fputwc
fputwc_unlocked fputws fputws_unlocked fread fread_s fread_unlocked free freelocale freopen
freopen64 freopen_s frexp frexpf frexpf32 frexpf32x frexpf64 frexpf64x frexpl frm1 frm2 frm3 frm4
fromfp fromfpf fromfpf32 fromfpf32x fromfpf64 fromfpf64x fromfpl fromfpx fromfpxf fromfpxf32
fromfpxf32x fromfpxf64 fromfpxf64x fromfpxl fsblkcnt64_t fsblkcnt_t fscanf fscanf_s fseek fseeko
fseeko64 fsetpos fsetpos64 fsfilcnt64_t fsfilcnt_t fsid_t fsqrt fsqrtl fstat64 fsub fsubl fsync
ftell ftello ftello64 ftime ftruncate ftruncate64 ftrylockfile funlockfile fwide fwprintf fwprintf_s
fwrite fwrite_unlocked fwscanf fwscanf_s g_rgSCardRawPci g_rgSCardT0Pci g_rgSCardT1Pci gamma gammaf
gammal gcvt get_current_dir_name getc getc_unlocked getchar getchar_unlocked getcpu getcwd getdate
getdate_err getdate_r getdelim getdomainname getdtablesize getegid getentropy getenv getenv_s
geteuid getgid getgroups gethostbyaddr gethostbyname gethostid gethostname getline getloadavg
getlogin getlogin_r getopt getpagesize getpass getpayload getpayloadf getpayloadf32 getpayloadf32x
getpayloadf64 getpayloadf64x getpayloadl getpeername getpgid getpgrp getpid getppid getprotobyname
getprotobynumber getpt getresgid getresuid gets gets_s getservbyname getservbyport getsid
getsockname getsockopt getsubopt gettext gettid getuid getusershell getw getwc getwc_unlocked
getwchar getwchar_unlocked getwd gid_t gmtime gmtime_r gmtime_s grantpt greg_t gregset_t
group_member grp1 grp2 grp3 grp4 gsignal h_addr h_errno handle_t htobe16 htobe32 htobe64 htole16
htole32 htole64 htonl htons hyper hypot hypotf hypotf32 hypotf32x hypotf64 hypotf64x hypotl ico1
ico2 ico3 ico4 id_t ilogb ilogbf ilogbf32 ilogbf32x ilogbf64 ilogbf64x ilogbl imaxabs imaxdiv
imaxdiv_t index inet_addr inet_ntoa initstate initstate_r ino64_t ino_t int16_t int32_t int64_t
int8_t int_fast16_t int_fast32_t int_fast64_t int_fast8_t int_least16_t int_least32_t int_least64_t
int_least8_t interface intmax_t intptr_t ioctlsocket is_wctype isalnum isalnum_l isalpha isalpha_l
isascii isascii_l isatty isblank isblank_l iscanonical iscntrl iscntrl_l iscsym iscsymf isctype
isdigit isdigit_l iseqsig isfinite isgraph isgraph_l isgreater isgreaterequal isinf isinff isinfl
isleadbyte isless islessequal islessgreater islower islower_l isnan isnanf isnanl isnormal isprint
isprint_l ispunct ispunct_l issignaling isspace isspace_l issubnormal isunordered isupper isupper_l
iswalnum iswalnum_l iswalpha iswalpha_l iswascii iswblank iswblank_l iswcntrl iswcntrl_l iswctype
iswctype_l iswdigit iswdigit_l iswgraph iswgraph_l iswlower iswlower_l iswprint iswprint_l iswpunct
iswpunct_l iswspace iswspace_l iswupper iswupper_l iswxdigit iswxdigit_l isxdigit isxdigit_l iszero
itoa j0 j0f j0f32 j0f32x j0f64 j0f64x j0l j1 j1f j1f32 j1f32x j1f64 j1f64x j1l jmp_buf jn jnf jnf32
jnf32x jnf64 jnf64x jnl joyGetDevCaps joyGetDevCapsA joyGetDevCapsW joyGetNumDevs joyGetPos
joyGetPosEx joyGetThreshold joyReleaseCapture joySetCapture joySetThreshold jrand48 jrand48_r
kAddingDocumentSequence kAddingFixedDocument kAddingFixedPage kDocumentSequenceAdded
kFixedDocumentAdded kFixedPageAdded kFontAdded kImageAdded kJobConsumption kJobProduction
kResourceAdded kXpsDocumentCommitted kern_return_t key_t keybd_event kill kill_dependency killpg
l64a la_activity la_objclose la_objopen la_objsearch la_preinit la_symbind32 la_symbind64 la_version
la_x32_gnu_pltenter la_x32_gnu_pltexit la_x86_64_gnu_pltenter la_x86_64_gnu_pltexit labs lchown
lcong48 lcong48_r ldexp ldexpf ldexpf32 ldexpf32x ldexpf64 ldexpf64x ldexpl ldiv ldiv_t le16toh
le32toh le64toh lgamma lgamma_r lgammaf lgammaf32 lgammaf32_r lgammaf32x lgammaf32x_r lgammaf64
lgammaf64_r lgammaf64x lgammaf64x_r lgammaf_r lgammal lgammal_r link linkat linux listen llabs lldiv
lldiv_t llogb llogbf llogbf32 llogbf32x llogbf64 llogbf64x llogbl llrint llrintf llrintf32
llrintf32x llrintf64 llrintf64x llrintl llround llroundf llroundf32 llroundf32x llroundf64
llroundf64x llroundl lltoa lltow locale_t localeconv localeinfo_struct localtime localtime_r
localtime_s lockf lockf64 loff_t log log10 log10f log10f32 log10f32x log10f64 log10f64x log10l log1p
log1pf log1pf32 log1pf32x log1pf64 log1pf64x log1pl log2 log2f log2f32 log2f32x log2f64 log2f64x
log2l logb logbf logbf32 logbf32x logbf64 logbf64x logbl logf logf32 logf32x logf64 logf64x logl
longjmp lrand48 lrand48_r lrint lrintf lrintf32 lrintf32x lrintf64 lrintf64x lrintl lround lroundf
lroundf32 lroundf32x lroundf64 lroundf64x lroundl lseek lseek64 lst1 lst10 lst11 lst12 lst13 lst14
lst15 lst16 lst2 lst3 lst4 lst5 lst6 lst7 lst8 lst9 lstrcat lstrcatA lstrcatW lstrcmp lstrcmpA
lstrcmpW lstrcmpi lstrcmpiA lstrcmpiW lstrcpy lstrcpyA lstrcpyW lstrcpyn lstrcpynA lstrcpynW lstrlen
lstrlenA lstrlenW ltoa mach_port_t madvise mallinfo mallinfo2 malloc malloc_zone_free mallopt
math_errhandling matherr max max_align_t mblen mbrlen mbrtoc16 mbrtoc32 mbrtoc8 mbrtowc mbsinit
mbsnrtowcs mbsrtowcs mbsrtowcs_s mbstate_t mbstowcs mbstowcs_s mbtowc mciGetCreatorTask
mciGetDeviceID mciGetDeviceIDA mciGetDeviceIDFromElementID mciGetDeviceIDFromElementIDA
mciGetDeviceIDFromElementIDW mciGetDeviceIDW mciGetErrorString mciGetErrorStringA mciGetErrorStringW
mciGetYieldProc mciSendCommand mciSendCommandA mciSendCommandW mciSendString mciSendStringA
mciSendStringW mciSetYieldProc mcontext_t memalign memccpy memchr memcmp memcpy memcpy_s
memfd_create memfrob memicmp memmem memmove memmove_s mempcpy memrchr memset midiConnect
midiDisconnect midiInAddBuffer midiInClose midiInGetDevCaps midiInGetDevCapsA midiInGetDevCapsW
midiInGetErrorText midiInGetErrorTextA midiInGetErrorTextW midiInGetID midiInGetNumDevs
midiInMessage midiInOpen midiInPrepareHeader midiInReset midiInStart midiInStop
midiInUnprepareHeader midiOutCacheDrumPatches midiOutCachePatches midiOutClose midiOutGetDevCaps
midiOutGetDevCapsA midiOutGetDevCapsW midiOutGetErrorText midiOutGetErrorTextA midiOutGetErrorTextW
midiOutGetID midiOutGetNumDevs midiOutGetVolume midiOutLongMsg midiOutMessage midiOutOpen
midiOutPrepareHeader midiOutReset midiOutSetVolume midiOutShortMsg midiOutUnprepareHeader
midiStreamClose midiStreamOpen midiStreamOut midiStreamPause midiStreamPosition midiStreamProperty
midiStreamRestart midiStreamStop midl_user_allocate midl_user_free min mincore mingw_getsp
mingw_gettimeofday mixerClose mixerGetControlDetails mixerGetControlDetailsA mixerGetControlDetailsW
mixerGetDevCaps mixerGetDevCapsA mixerGetDevCapsW mixerGetID mixerGetLineControls
mixerGetLineControlsA mixerGetLineControlsW mixerGetLineInfo mixerGetLineInfoA mixerGetLineInfoW
mixerGetNumDevs mixerMessage mixerOpen mixerSetControlDetails mkdtemp mkostemp mkostemp64 mkostemps
mkostemps64 mkstemp mkstemp64 mkstemps mkstemps64 mktemp mktime mlock mlock2 mlockall mmap mmap64
mmioAdvance mmioAscend mmioClose mmioCreateChunk mmioDescend mmioFOURCC mmioFlush mmioGetInfo
mmioInstallIOProc mmioInstallIOProcA mmioInstallIOProcW mmioOpen mmioOpenA mmioOpenW mmioRead
mmioRename mmioRenameA mmioRenameW mmioSeek mmioSendMessage mmioSetBuffer mmioSetInfo
mmioStringToFOURCC mmioStringToFOURCCA mmioStringToFOURCCW mmioWrite mode_t modf modff modff32
modff32x modff64 modff64x modfl mouse_event mprotect mrand48 mrand48_r mremap msync mtx_destroy
mtx_init mtx_lock mtx_plain mtx_recursive mtx_t mtx_timed mtx_timedlock mtx_trylock mtx_unlock
munlock munlockall munmap name_to_handle_at nan nanf nanf32 nanf32x nanf64 nanf64x nanl nanosleep
near nearbyint nearbyintf nearbyintf32 nearbyintf32x nearbyintf64 nearbyintf64x nearbyintl newlocale
nextafter nextafterf nextafterf32 nextafterf32x nextafterf64 nextafterf64x nextafterl nextdown
nextdownf nextdownf32 nextdownf32x nextdownf64 nextdownf64x nextdownl nexttoward nexttowardf
nexttowardl nextup nextupf nextupf32 nextupf32x nextupf64 nextupf64x nextupl ngettext nice nlink_t
noreturn nrand48 nrand48_r ntohl ntohs obstack_printf obstack_vprintf off32_t off64_t off_t offsetof
on_exit once_flag onexit onexit_t open open64 open_by_handle_at open_memstream open_wmemstream
openat openat64 optarg opterr optind optopt pascal pathconf pause pclose perror pid_t pipe pipe2
pkey_alloc pkey_free pkey_get pkey_mprotect pkey_set popen posix_fadvise posix_fadvise64
posix_fallocate posix_fallocate64 posix_madvise posix_memalign posix_openpt pow powf powf32 powf32x
powf64 powf64x powl pread pread64 print_task_printer_t printf printf_s process_madvise
process_mrelease profil program_invocation_name program_invocation_short_name pselect psh1 psh10
psh11 psh12 psh13 psh14 psh15 psh16 psh2 psh3 psh4 psh5 psh6 psh7 psh8 psh9 pshHelp psiginfo psignal
pthreadlocinfo pthreadmbcinfo ptrdiff_t ptsname ptsname_r putc putc_unlocked putchar
putchar_unlocked putenv puts putw putwc putwc_unlocked putwchar putwchar_unlocked pvalloc pwrite
pwrite64 qecvt qecvt_r qfcvt qfcvt_r qgcvt qsort qsort_r qsort_s quad_t quick_exit rad1 rad10 rad11
rad12 rad13 rad14 rad15 rad16 rad2 rad3 rad4 rad5 rad6 rad7 rad8 rad9 raise rand rand_r random
random_r rawmemchr rcclClientUnknownLocality rcclInvalid rcclLocal rcclRemote rct1 rct2 rct3 rct4
rctGuaranteed rctInvalid rctNormal rctTraining read readahead readlink readlinkat realloc
reallocarray reallocf realpath recv recvfrom register_t remainder remainderf remainderf32
remainderf32x remainderf64 remainderf64x remainderl remap_file_pages remoteMETAFILEPICT remove
remquo remquof remquof32 remquof32x remquof64 remquof64x remquol rename renameat renameat2 revoke
rewind rindex rint rintf rintf32 rintf32x rintf64 rintf64x rintl rlafIPv4 rlafIPv6 rlafInvalid rmdir
rmtmp round roundeven roundevenf roundevenf32 roundevenf32x roundevenf64 roundevenf64x roundevenl
roundf roundf32 roundf32x roundf64 roundf64x roundl rpc_binding_handle_t rpc_binding_vector_t
rpmatch rsize_t s_addr s_host s_imp s_impno s_lh s_net sa_handler sa_sigaction sbrk scalb scalbf
scalbl scalbln scalblnf scalblnf32 scalblnf32x scalblnf64 scalblnf64x scalblnl scalbn scalbnf
scalbnf32 scalbnf32x scalbnf64 scalbnf64x scalbnl scanf scanf_s scr1 scr2 scr3 scr4 scr5 scr6 scr7
scr8 secure_getenv seed48 seed48_r select send sendto setbuf setbuffer setdomainname setegid setenv
seteuid setgid sethostid sethostname setjmp setlinebuf setlocale setlogin setns setpayload
setpayloadf setpayloadf32 setpayloadf32x setpayloadf64 setpayloadf64x setpayloadl setpayloadsig
setpayloadsigf setpayloadsigf32 setpayloadsigf32x setpayloadsigf64 setpayloadsigf64x setpayloadsigl
setpgid setpgrp setregid setresgid setresuid setreuid setsid setsockopt setstate setstate_r setuid
setusershell setvbuf shm_open shm_unlink shutdown si_addr si_addr_lsb si_arch si_band si_call_addr
si_fd si_int si_lower si_overrun si_pid si_pkey si_ptr si_status si_stime si_syscall si_timerid
si_uid si_upper si_utime si_value sig_atomic_t sig_t sigabbrev_np sigaction sigaddset sigaltstack
sigandset sigblock sigdelset sigdescr_np sigemptyset sigev_notify_attributes sigev_notify_function
sigevent_t sigfillset siggetmask sighandler_t sighold sigignore siginfo_t siginterrupt sigisemptyset
sigismember sigjmp_buf siglongjmp sigmask signal signbit signgam significand significandf
significandl sigorset sigpause sigpending sigprocmask sigqueue sigrelse sigreturn sigset sigset_t
sigsetjmp sigsetmask sigstack sigsuspend sigtimedwait sigval_t sigwait sigwaitinfo sin sincos
sincosf sincosf32 sincosf32x sincosf64 sincosf64x sincosl sinf sinf32 sinf32x sinf64 sinf64x sinh
sinhf sinhf32 sinhf32x sinhf64 sinhf64x sinhl sinl size_t sleep small_array_from_ndr small_from_ndr
small_from_ndr_temp sndAlias sndPlaySound sndPlaySoundA sndPlaySoundW snprintf snwprintf socket
socklen_t splice sprintf sprintf_s sqrt sqrtf sqrtf32 sqrtf32x sqrtf64 sqrtf64x sqrtl srand srand48
srand48_r srandom srandom_r sscanf sscanf_s ssignal ssize_t st_atime st_ctime st_mtime stack_t
stat64 static_assert stc1 stc10 stc11 stc12 stc13 stc14 stc15 stc16 stc17 stc18 stc19 stc2 stc20
stc21 stc22 stc23 stc24 stc25 stc26 stc27 stc28 stc29 stc3 stc30 stc31 stc32 stc4 stc5 stc6 stc7
stc8 stc9 std stderr stdin stdout stpcpy stpncpy strcasecmp strcasecmp_l strcasestr strcat strcat_s
strchr strchrnul strcmp strcmpi strcoll strcoll_l strcpy strcpy_s strcspn strdup strdupa strerror
strerror_l strerror_r strerror_s strerrordesc_np strerrorname_np strfromd strfromf strfromf32
strfromf32x strfromf64 strfromf64x strfroml strfry strftime strftime_l stricmp strlen strlwr
strlwr_l strncasecmp strncasecmp_l strncat strncat_s strncmp strncpy strncpy_s strndup strndupa
strnicmp strnlen strnlen_s strnset strpbrk strptime strptime_l strrchr strrev strsep strset
strsignal strspn strstr strtod strtod_l strtof strtof32 strtof32_l strtof32x strtof32x_l strtof64
strtof64_l strtof64x strtof64x_l strtof_l strtoimax strtok strtok_r strtok_s strtol strtol_l strtold
strtold_l strtoll strtoll_l strtoq strtoul strtoul_l strtoull strtoull_l strtoumax strtouq strupr
strverscmp strxfrm strxfrm_l suseconds_t swab swprintf swprintf_s swscanf swscanf_s symlink
symlinkat sync sync_file_range syncfs sys_errlist sys_nerr syscall sysconf system sysv_signal
szFORCE_KEY_PROTECTION szKEY_CACHE_ENABLED szKEY_CACHE_SECONDS szKEY_CRYPTOAPI_PRIVATE_KEY_OPTIONS
szOIDVerisign_FailInfo szOIDVerisign_MessageType szOIDVerisign_PkiStatus
szOIDVerisign_RecipientNonce szOIDVerisign_SenderNonce szOIDVerisign_TransactionID
szPRIV_KEY_CACHE_MAX_ITEMS szPRIV_KEY_CACHE_PURGE_INTERVAL_SECONDS sz_CERT_STORE_PROV_COLLECTION
sz_CERT_STORE_PROV_FILENAME sz_CERT_STORE_PROV_FILENAME_W sz_CERT_STORE_PROV_LDAP
sz_CERT_STORE_PROV_LDAP_W sz_CERT_STORE_PROV_MEMORY sz_CERT_STORE_PROV_PHYSICAL
sz_CERT_STORE_PROV_PHYSICAL_W sz_CERT_STORE_PROV_PKCS12 sz_CERT_STORE_PROV_PKCS7
sz_CERT_STORE_PROV_SERIALIZED sz_CERT_STORE_PROV_SMART_CARD sz_CERT_STORE_PROV_SMART_CARD_W
sz_CERT_STORE_PROV_SYSTEM sz_CERT_STORE_PROV_SYSTEM_REGISTRY sz_CERT_STORE_PROV_SYSTEM_REGISTRY_W
sz_CERT_STORE_PROV_SYSTEM_W tagLC_ID tag_inner_PROPVARIANT tan tanf tanf32 tanf32x tanf64 tanf64x
tanh tanhf tanhf32 tanhf32x tanhf64 tanhf64x tanhl tanl task_t tcgetpgrp tcsetpgrp tee tempnam
textdomain tgamma tgammaf tgammaf32 tgammaf32x tgammaf64 tgammaf64x tgammal tgkill thread_local
threadlocaleinfostruct threadlocinfo threadmbcinfostruct time timeBeginPeriod timeEndPeriod
timeGetDevCaps timeGetSystemTime timeGetTime timeKillEvent timeSetEvent time_t timegm timelocal
timer_create timer_delete timer_getoverrun timer_gettime timer_settime timer_t timerclear timercmp
timerisset timespec_get timespec_getres timezone tmpfile tmpfile64 tmpnam tmpnam_r tmpnam_s toascii
toascii_l tolower tolower_l totalorder totalorderf totalorderf32 totalorderf32x totalorderf64
totalorderf64x totalorderl totalordermag totalordermagf totalordermagf32 totalordermagf32x
totalordermagf64 totalordermagf64x totalordermagl toupper toupper_l towctrans towctrans_l towlower
towlower_l towupper towupper_l true trunc truncate truncate64 truncf truncf32 truncf32x truncf64
truncf64x truncl tss_create tss_delete tss_dtor_t tss_get tss_set tss_t ttyname ttyname_r ttyslot
tzname tzset uCLSSPEC uSTGMEDIUM u_char u_int u_int16_t u_int32_t u_int64 u_int64_t u_int8_t u_long
u_quad_t u_short ua_CharUpper ua_CharUpperW ua_lstrcmp ua_lstrcmpW ua_lstrcmpi ua_lstrcmpiW
ua_lstrlen ua_lstrlenW ua_tcscpy ua_wcschr ua_wcscpy ua_wcsicmp ua_wcslen ua_wcsrchr ualarm
uaw_CharUpperW uaw_lstrcmpW uaw_lstrcmpiW uaw_lstrlenW uaw_wcschr uaw_wcscpy uaw_wcsicmp uaw_wcslen
uaw_wcsrchr ucontext_t ufromfp ufromfpf ufromfpf32 ufromfpf32x ufromfpf64 ufromfpf64x ufromfpl
ufromfpx ufromfpxf ufromfpxf32 ufromfpxf32x ufromfpxf64 ufromfpxf64x ufromfpxl uid_t uint uint16_t
uint32_t uint64_t uint8_t uintmax_t uintptr_t ulltoa ulltow ulong ultoa ungetc ungetwc unix unlink
unlinkat unlockpt unsetenv unshare useconds_t uselocale userBITMAP userCLIPFORMAT userFLAG_STGMEDIUM
userHBITMAP userHENHMETAFILE userHGLOBAL userHMETAFILE userHMETAFILEPICT userHPALETTE userSTGMEDIUM
ushort usleep uuid_t uuid_vector_t va_arg va_copy va_end va_list va_start valloc vasprintf vdprintf
vfork vfprintf vfprintf_s vfscanf vfwprintf vfwprintf_s vfwscanf vhangup vm_address_t
vm_range_recorder_t vm_range_t vm_size_t vmsplice vprintf vprintf_s vscanf vsnprintf vsnprintf_s
vsnwprintf vsprintf vsprintf_s vsscanf vswprintf vswprintf_s vswscanf vwprintf vwprintf_s vwscanf
wWinMain waveInAddBuffer waveInClose waveInGetDevCaps waveInGetDevCapsA waveInGetDevCapsW
waveInGetErrorText waveInGetErrorTextA waveInGetErrorTextW waveInGetID waveInGetNumDevs
waveInGetPosition waveInMessage waveInOpen waveInPrepareHeader waveInReset waveInStart waveInStop
waveInUnprepareHeader waveOutBreakLoop waveOutClose waveOutGetDevCaps waveOutGetDevCapsA
waveOutGetDevCapsW waveOutGetErrorText waveOutGetErrorTextA waveOutGetErrorTextW waveOutGetID
waveOutGetNumDevs waveOutGetPitch waveOutGetPlaybackRate waveOutGetPosition waveOutGetVolume
waveOutMessage waveOutOpen waveOutPause waveOutPrepareHeader waveOutReset waveOutRestart
waveOutSetPitch waveOutSetPlaybackRate waveOutSetVolume waveOutUnprepareHeader waveOutWrite wcpcpy
wcpncpy wcrtomb wcrtomb_s wcscasecmp wcscasecmp_l wcscat wcscat_s wcschr wcschrnul wcscmp wcscoll
wcscoll_l wcscpy wcscpy_s wcscspn wcsdup wcsftime wcsftime_l wcsicmp wcsicoll wcslen wcslwr
wcsncasecmp wcsncasecmp_l wcsncat wcsncat_s wcsncmp wcsncpy wcsncpy_s wcsnicmp wcsnlen wcsnlen_s
wcsnrtombs wcsnset wcspbrk wcsrchr wcsrev wcsrtombs wcsrtombs_s wcsset wcsspn wcsstr wcstod wcstod_l
wcstof wcstof32 wcstof32_l wcstof32x wcstof32x_l wcstof64 wcstof64_l wcstof64x wcstof64x_l wcstof_l
wcstoimax wcstok wcstok_s wcstol wcstol_l wcstold wcstold_l wcstoll wcstoll_l wcstombs wcstombs_s
wcstoq wcstoul wcstoul_l wcstoull wcstoull_l wcstoumax wcstouq wcsupr wcswcs wcswidth wcsxfrm
wcsxfrm_l wctob wctomb wctomb_s wctrans wctrans_l wctrans_t wctype wctype_l wctype_t wcwidth
wglCopyContext wglCreateContext wglCreateLayerContext wglDeleteContext wglDescribeLayerPlane
wglGetCurrentContext wglGetCurrentDC wglGetLayerPaletteEntries wglGetProcAddress wglMakeCurrent
wglRealizeLayerPalette wglSetLayerPaletteEntries wglShareLists wglSwapLayerBuffers
wglSwapMultipleBuffers wglUseFontBitmaps wglUseFontBitmapsA wglUseFontBitmapsW wglUseFontOutlines
wglUseFontOutlinesA wglUseFontOutlinesW wint_t wireASYNC_STGMEDIUM wireBRECORD wireBSTR
wireCLIPFORMAT wireFLAG_STGMEDIUM wireHACCEL wireHBITMAP wireHBRUSH wireHDC wireHENHMETAFILE
wireHFONT wireHGLOBAL wireHICON wireHMENU wireHMETAFILE wireHMETAFILEPICT wireHMONITOR wireHPALETTE
wireHRGN wireHWND wirePSAFEARRAY wireSAFEARRAY wireSNB wireSTGMEDIUM wireVARIANT wmemchr wmemcmp
wmemcpy wmemcpy_s wmemmove wmemmove_s wmempcpy wmemset wpopen wprintf wprintf_s write wscanf
wscanf_s wsprintf wsprintfA wsprintfW wszOID_CERT_PROP_ID wtoll wvsprintf wvsprintfA wvsprintfW y0
y0f y0f32 y0f32x y0f64 y0f64x y0l y1 y1f y1f32 y1f32x y1f64 y1f64x y1l yn ynf ynf32 ynf32x ynf64
ynf64x ynl
""".split())

# Headers at the top of an include directory that the generated files reach, lower case, without
# '.h' (availability*, targetconditionals: the real macOS SDK's, which the minimal headers of
# tests/platform/macos leave out).
HEADER_FILES = frozenset("""
__stddef_max_align_t __wmmintrin_aes __wmmintrin_pclmul _bsd_types _mingw _mingw_mac _mingw_off_t
_mingw_secapi _mingw_unicode _timeval adxintrin alloca ammintrin amxbf16intrin amxint8intrin
amxintrin amxtileintrin apiset apisetcconv availability availabilityinternal availabilitymacros
avx2intrin avx5124fmapsintrin avx5124vnniwintrin avx512bf16intrin avx512bf16vlintrin
avx512bitalgintrin avx512bwintrin avx512cdintrin avx512dqintrin avx512erintrin avx512fintrin
avx512fp16intrin avx512fp16vlintrin avx512ifmaintrin avx512ifmavlintrin avx512pfintrin
avx512vbmi2intrin avx512vbmi2vlintrin avx512vbmiintrin avx512vbmivlintrin avx512vlbf16intrin
avx512vlbitalgintrin avx512vlbwintrin avx512vlcdintrin avx512vldqintrin avx512vlintrin
avx512vlvbmi2intrin avx512vlvnniintrin avx512vlvp2intersectintrin avx512vnniintrin
avx512vnnivlintrin avx512vp2intersectintrin avx512vp2intersectvlintrin avx512vpopcntdqintrin
avx512vpopcntdqvlintrin avxintrin avxvnniintrin basetsd bcrypt bemapiset bmi2intrin bmiintrin cderr
cetintrin cguid cldemoteintrin clflushoptintrin clwbintrin clzerointrin combaseapi commdlg
concurrencysal corecrt corecrt_startup corecrt_stdio_config corecrt_wstdlib crc32intrin crtdefs
ctype datetimeapi dde ddeml debugapi dlfcn dlgs dpapi driverspecs elf emmintrin endian enqcmdintrin
errhandlingapi errno excpt f16cintrin fcntl features features-time64 fibersapi fileapi fltwinerror
fma4intrin fmaintrin fxsrintrin gfniintrin guiddef handleapi heapapi hresetintrin ia32intrin imm
immintrin inaddr interlockedapi invpcidintrin ioapiset jobapi keylockerintrin ktmtypes libloaderapi
limits link lwpintrin lzcntintrin lzexpand malloc mcx memoryapi minwinbase minwindef mm3dnow
mm_malloc mmintrin mmsystem movdirintrin msxml mwaitintrin mwaitxintrin namedpipeapi namespaceapi
nb30 ncrypt oaidl objbase objidl objidlbase ole2 oleauto oleidl pconfigintrin pkuintrin pmmintrin
popcntintrin poppack prfchwintrin process processenv processthreadsapi processtopologyapi profileapi
propidl prsht psapi pshpack1 pshpack2 pshpack4 pshpack8 pthread ptwriteintrin rdseedintrin
realtimeapiset reason rpc rpcasync rpcdce rpcdcep rpcndr rpcnsi rpcnsip rpcnterr rpcsal rtmintrin
sal sched sdkddkver securityappcontainer securitybaseapi serializeintrin servprov sgxintrin
shaintrin shellapi signal smmintrin specstrings stdarg stdatomic stdc-predef stddef stdint stdio
stdlib stralign string stringapiset strings synchapi sysinfoapi syslimits systemtopologyapi
targetconditionals tbmintrin threadpoolapiset threadpoollegacyapiset threads time timezoneapi
tmmintrin tsxldtrkintrin tvout uintrintrin unistd unknwn unknwnbase unwind urlmon utilapiset vadefs
vaesintrin virtdisk vpclmulqdqintrin waitpkgintrin wbnoinvdintrin winapifamily winbase wincon
wincrypt windef windows winefs winerror wingdi winioctl winnetwk winnls winnt winperf winreg
winscard winsmcrd winsock winspool winsvc winternl winuser winver wmmintrin wnnc wow64apiset wtypes
wtypesbase x86gprintrin x86intrin xmmintrin xopintrin xsavecintrin xsaveintrin xsaveoptintrin
xsavesintrin xtestintrin
""".split())


_FAMILIES = tuple(sorted(HEADER_FAMILIES))


def _family_example(family):
    """A name of the family, for a message (only then: scanning every name takes a while)."""
    return min((n for n in HEADER_NAMES if n.startswith(family)), default=None)


def in_headers(name, exact=False):
    """Whether the system headers declare or define `name`, or (unless `exact`) a name of its
    family. Names the templates derive are checked exactly: 'SYS_HEAP_ALIGNMENT' is no syscall."""
    return name in HEADER_NAMES or (not exact and name.startswith(_FAMILIES))


HEADERS_EXPECTED = "a name no system header uses (docs/spec.md, 'Reserved names')"


def problem(name, role, platforms):
    """Why `name` (a C identifier) cannot be a spec's `role` name ('spec', 'prefix', 'entry',
    'hook' or 'heap') in a spec listing `platforms`: (what, expected), `what` ending a sentence
    that starts "'<key>' is '<name>', "; None if it can be."""
    if name.startswith("_"):
        return ("which starts with an underscore (such names are reserved for the C implementation)",
                "a name that does not start with '_'")
    if name.lower().startswith(GLUE_PREFIX):
        return (f"which uses the prefix '{name[:len(GLUE_PREFIX)]}' reserved for the glue",
                f"a name without the '{GLUE_PREFIX}' prefix" + ("" if name.startswith(GLUE_PREFIX) else " (in any case)"))
    if role != "prefix":
        for words, what in ((CXX_KEYWORDS, "a C++ keyword"),
                            (CXX_ALTERNATIVE_TOKENS, "a C++ alternative token (an operator in C++, a macro of iso646.h)"),
                            (SPECIAL, "the name of a program's entry point"),
                            (HEAP_CXX_NAMES if role == "heap" else (), "a name the heap's C++ struct declares as a member")):
            if name in words:
                return what, "a name that is not a C or C++ keyword" if "keyword" in what else "another name"
    if "windows" in platforms and name[0].isupper() and role != "spec":
        return ("which starts with an upper-case letter, as the Windows API's names do (windows.h declares "
                "some 37,000: HeapAlloc, DWORD, TRUE, ...)",
                "a name starting with a lower-case letter for a spec that lists windows")
    if role == "prefix":
        from .exports import MALLOC_API
        for api in MALLOC_API:
            if in_headers(name + api, exact=True):
                return f"which would make the exported '{name + api}' a name the system headers use", HEADERS_EXPECTED
        return None
    if role != "spec" and name in HEADER_NAMES:
        return "a name of the C library or of the system headers the generated code includes", HEADERS_EXPECTED
    if role != "spec" and in_headers(name):
        family = next(f for f in _FAMILIES if name.startswith(f))
        example = _family_example(family)
        return (f"a name in the system headers' namespace '{family}*'" + (f" ({example}, ...)" if example else ""),
                HEADERS_EXPECTED)
    for pattern in DERIVED.get(role, ()):
        derived = pattern.format(name, U=name.upper())
        if in_headers(derived, exact=True):
            return f"which would make the generated '{derived}' a name the system headers use", HEADERS_EXPECTED
    return None

/* SPDX-License-Identifier: MIT */
/* A glue header that declares mimalloc's mi_usable_size with void * where mimalloc.h has
   const void *: tests/bindings/declarations.sh must refuse it. */
#include <stddef.h>
size_t mi_usable_size(void *ptr);

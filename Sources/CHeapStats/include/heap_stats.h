#ifndef DIALTONE_HEAP_STATS_H
#define DIALTONE_HEAP_STATS_H

#include <stddef.h>

/// Bytes malloc has handed out and not had back, in every arena: glibc's mallinfo2, whose
/// header Swift's Glibc module does not import.
size_t dialtone_heap_in_use(void);

#endif

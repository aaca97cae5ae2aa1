#include <malloc.h>

#include "heap_stats.h"

size_t dialtone_heap_in_use(void) {
    struct mallinfo2 info = mallinfo2();
    return info.uordblks + info.hblkhd;
}

/* Helpers the benchmarks share: this process's resident memory. */
#ifndef UNSPIN_BENCH_H
#define UNSPIN_BENCH_H

#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

/* Resident memory now, in KiB (-1: unknown). */
static inline long rss_kb(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long size, res = -1;
    if (f) {
        if (fscanf(f, "%ld %ld", &size, &res) != 2)
            res = -1;
        fclose(f);
    }
    return res < 0 ? -1 : res * (sysconf(_SC_PAGESIZE) / 1024);
}

/* Peak resident memory so far, in KiB (-1: unknown). */
static inline long peak_rss_kb(void)
{
    struct rusage ru;
    return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : -1;
}

#endif

#!/usr/bin/env python3
"""Run a command with a time limit; record its wall time and peak memory.

usage: rusage.py OUT TIMEOUT_S CMD [ARG...]

The command's standard input, output and error are the caller's.  OUT gets
one line "wall_s=SECONDS cpu_s=SECONDS rss_kb=KB": wall time, user + system
CPU time and peak resident memory (ru_maxrss) of the command.  Exit status:
the command's, or 124 when it ran past TIMEOUT_S seconds (it is killed).
"""
import os
import resource
import subprocess
import sys
import time


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__.strip().splitlines()[2])
    out, limit, cmd = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
    start = time.monotonic()
    proc = subprocess.Popen(cmd)
    try:
        rc = proc.wait(timeout=limit)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        rc = 124
    wall = time.monotonic() - start
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(out, "w") as f:
        f.write("wall_s=%.2f cpu_s=%.2f rss_kb=%d\n"
                % (wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss))
    sys.exit(rc if rc >= 0 else 128 - rc)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""peak_rss.py LIMIT_MIB SECONDS CMD...: runs CMD (stdout and stderr pass
through), and prints its exit status, whether it finished within SECONDS
and whether its peak resident memory stayed under LIMIT_MIB. The numbers
themselves vary by machine and build; the golden output holds only the
verdicts."""
import resource
import subprocess
import sys

limit_mib, seconds, cmd = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3:]
try:
    rc = subprocess.run(cmd, timeout=seconds).returncode
    in_time = "yes"
except subprocess.TimeoutExpired:
    rc, in_time = "killed", "no"
peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(f"status {rc}; within {seconds:g} s: {in_time}; "
      f"peak memory under {limit_mib} MiB: {'yes' if peak_kib < limit_mib * 1024 else 'no'}",
      flush=True)
if peak_kib >= limit_mib * 1024:
    print(f"  (peak {peak_kib // 1024} MiB)", file=sys.stderr)

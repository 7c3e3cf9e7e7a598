"""What every peer script of nnlab's benchmark harness reports, the same way the nnlab side does.

- the CPU window of the timed part: this process's CPU ticks (/proc/self/stat utime + stime) and
  the whole machine's busy ticks (/proc/stat) at its start and end, so the harness can tell how
  much CPU other processes took while the peer was being timed;
- the peak resident set size (VmHWM of /proc/self/status);
- the shared libraries the process has mapped (/proc/self/maps), read after the first matrix
  product so that a lazily loaded BLAS is in the list, and the configuration string each BLAS
  library reports about itself (its version).

The harness (dev.nnlab.bench) decides from that list which BLAS was used, and refuses the
reference BLAS. One JSON object on stdout is the result; everything else goes to stderr.
"""
import ctypes
import json
import os
import sys
import time

TICK = os.sysconf("SC_CLK_TCK")


def machine_busy_ticks():
    """user + nice + system + irq + softirq + steal over all CPUs, from the first line of /proc/stat."""
    with open("/proc/stat") as f:
        fields = [int(v) for v in f.readline().split()[1:]]
    user, nice, system, idle, iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    return user + nice + system + irq + softirq + steal


def self_ticks():
    with open("/proc/self/stat") as f:
        text = f.read()
    fields = text[text.rindex(")") + 2:].split()
    return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of proc(5))


def children_ticks():
    t = os.times()
    return round((t.children_user + t.children_system) * TICK)


class CpuWindow:
    """Start it just before the timed part; `close()` just after. `children=True` counts the CPU of
    finished child processes as this side's own (for a peer that is a command-line program)."""

    def __init__(self, children=False):
        self.children = children
        self.start_wall = time.perf_counter()
        self.start_busy = machine_busy_ticks()
        self.start_self = self._own()

    def _own(self):
        return children_ticks() if self.children else self_ticks()

    def close(self):
        wall = time.perf_counter() - self.start_wall
        return {"wall_s": wall,
                "cpu_self_s": (self._own() - self.start_self) / TICK,
                "cpu_busy_s": (machine_busy_ticks() - self.start_busy) / TICK}


def peak_rss_kib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return -1


def children_peak_rss_kib():
    import resource
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux


def mapped_libraries():
    """Every file path mapped into this process, once each (the pathname column of /proc/self/maps)."""
    paths = []
    with open("/proc/self/maps") as f:
        for line in f:
            parts = line.split(None, 5)
            if len(parts) == 6 and parts[5].startswith("/"):
                p = parts[5].strip()
                if p not in paths:
                    paths.append(p)
    return paths


CONFIG_SYMBOLS = ("openblas_get_config", "openblas_get_config64_", "scipy_openblas_get_config64_",
                  "scipy_openblas_get_config")


def blas_configs(paths):
    """{path: the library's own description}, e.g. 'OpenBLAS 0.3.21 DYNAMIC_ARCH ... Zen', for each
    mapped library that exports an OpenBLAS configuration function."""
    out = {}
    for p in paths:
        low = os.path.basename(p).lower()
        if not any(k in low for k in ("blas", "lapack", "mkl", "blis")):
            continue
        try:
            lib = ctypes.CDLL(p)
        except OSError:
            continue
        for name in CONFIG_SYMBOLS:
            fn = getattr(lib, name, None)
            if fn is not None:
                fn.restype = ctypes.c_char_p
                out[p] = fn().decode("utf-8", "replace").strip()
                break
    return out


SET_THREADS_SYMBOLS = ("openblas_set_num_threads", "openblas_set_num_threads64_", "scipy_openblas_set_num_threads64_",
                       "scipy_openblas_set_num_threads")


def set_blas_threads(paths, n):
    """Sets OpenBLAS's thread count through whichever OpenBLAS is loaded; False when none is."""
    done = False
    for p in blas_configs(paths):
        lib = ctypes.CDLL(p)
        for name in SET_THREADS_SYMBOLS:
            fn = getattr(lib, name, None)
            if fn is not None:
                fn(ctypes.c_int(n))
                done = True
                break
    return done


def say(*args):
    print(*args, file=sys.stderr, flush=True)


def missing(reason):
    """Tells the harness this peer cannot run here, and why; exit code 3."""
    print(json.dumps({"missing": reason}), flush=True)
    sys.exit(3)


def emit(result):
    print(json.dumps(result), flush=True)


def probe_result(versions, libraries=None):
    libs = mapped_libraries() if libraries is None else libraries
    return {"probe": True, "versions": versions, "libraries": libs, "blas_configs": blas_configs(libs)}


def measured(window, throughput, unit, quality, quality_unit, versions, libraries=None, extra=None, peak=None):
    """The result line: one measurement of one workload on this peer."""
    libs = mapped_libraries() if libraries is None else libraries
    out = {"throughput": throughput, "unit": unit, "quality": quality, "quality_unit": quality_unit,
           "peak_rss_kib": peak_rss_kib() if peak is None else peak, "versions": versions,
           "libraries": libs, "blas_configs": blas_configs(libs), "extra": extra or {}}
    out.update(window)
    return out

"""W0 on a peer: SGEMM 1024x1024x1024 (float32, C = A B) through numpy's BLAS, in GFLOPS.

Run by the harness with the Python whose numpy is measured (Debian's /usr/bin/python3, and the
`python3` on PATH when its numpy brings another OpenBLAS) and OPENBLAS_NUM_THREADS=--threads.
Times --threads first, then 1 thread (set through OpenBLAS's own openblas_set_num_threads). Each
figure is the median of --reps calls after --warmup untimed ones, as on the nnlab side.
"""
import argparse
import platform
import sys
import time

import bench_common as bc

try:
    import numpy as np
except ImportError:
    bc.missing(f"{sys.executable} cannot import numpy (Debian: apt-get install python3-numpy)")


def gflops_median(a, b, c, warmup, reps):
    for _ in range(warmup):
        np.matmul(a, b, out=c)
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        np.matmul(a, b, out=c)
        times.append(time.perf_counter() - t0)
    times.sort()
    n = a.shape[0]
    return 2.0 * n * n * n / times[len(times) // 2] / 1e9


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--probe", action="store_true")
    ap.add_argument("--size", type=int, default=1024)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--warmup", type=int, default=8)
    ap.add_argument("--reps", type=int, default=10)
    args, _ = ap.parse_known_args()  # the harness passes every script --workload, --data-dir, --epochs, --seed

    rng = np.random.default_rng(1)
    n = args.size
    a = rng.uniform(-1, 1, (n, n)).astype(np.float32)
    b = rng.uniform(-1, 1, (n, n)).astype(np.float32)
    c = np.empty((n, n), np.float32)
    np.matmul(a[:64, :64], b[:64, :64])  # loads the BLAS before /proc/self/maps is read
    versions = {"python": platform.python_version(), "python_path": sys.executable, "numpy": np.__version__}
    if args.probe:
        bc.emit(bc.probe_result(versions))
        return
    libs = bc.mapped_libraries()
    window = bc.CpuWindow()
    gflops = gflops_median(a, b, c, args.warmup, args.reps)
    cpu = window.close()
    extra = {"gflops_threads": {str(args.threads): round(gflops, 1)}}
    if args.threads > 1 and bc.set_blas_threads(libs, 1):
        extra["gflops_threads"]["1"] = round(gflops_median(a, b, c, 2, args.reps), 1)
    bc.emit(bc.measured(cpu, round(gflops, 1), "GFLOPS", None, None, versions, libs, extra))


if __name__ == "__main__":
    main()

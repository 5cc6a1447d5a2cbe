#!/usr/bin/env python3
"""Fresh processes of two or more deriv binaries, interleaved, against /bin/true.

    python3 bench/fresh_ab.py OLD NEW [--runs 400] [-- ARGS...]

Starts `/bin/true`, then each binary with ARGS (default: `grad` of W1),
in turn, RUNS times (interleaved, so that the machine's load changes
touch every binary alike), each with os.posix_spawn and its output on
/dev/null, and prints each one's median wall time, quartiles and ratio to
`/bin/true`. This is W8's measure (bench/compare.py times the same with
its own runner); use it to decide whether a change to the process start
helps. Copy the binaries first: a `cargo build` replaces target/release/deriv.
"""
import argparse
import os
import statistics
import sys
import time

W1 = "sqrt(x^2+exp(x^2)) + cos(x^2+exp(x^2))"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("binaries", nargs="+")
    ap.add_argument("--runs", type=int, default=400)
    argv = sys.argv[1:]
    cut = argv.index("--") if "--" in argv else len(argv)
    a = ap.parse_args(argv[:cut])
    args = argv[cut + 1:] or ["grad", W1]
    null = os.open(os.devnull, os.O_WRONLY)
    actions = [(os.POSIX_SPAWN_DUP2, null, 1), (os.POSIX_SPAWN_DUP2, null, 2)]
    runs = [("/bin/true", ["/bin/true"])] + [(b, [b] + args) for b in a.binaries]
    times = {name: [] for name, _ in runs}
    for _ in range(a.runs):
        for name, argv in runs:
            t = time.perf_counter()
            pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=actions)
            os.waitpid(pid, 0)
            times[name].append(time.perf_counter() - t)
    base = statistics.median(times["/bin/true"])
    print(f"{a.runs} runs each, interleaved; args: {' '.join(args)}")
    for name, _ in runs:
        ts = times[name]
        q = statistics.quantiles(ts, n=4)
        m = statistics.median(ts)
        print(f"{name:40s} median {m * 1e3:.3f} ms  (q1 {q[0] * 1e3:.3f}, q3 {q[2] * 1e3:.3f})"
              f"  {m / base:.2f}x /bin/true")


if __name__ == "__main__":
    main()

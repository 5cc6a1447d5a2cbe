#!/usr/bin/env python3
"""Times the inputs that once hung or took seconds (found by the fuzzers;
see tests/regressions.rs and tests/hostile/inputs.txt). The tests check
their results; this is where their speed is measured.

    cargo build --release && python3 bench/slow_inputs.py [--deriv target/release/deriv] [--runs 3]

Prints the best wall time of each over --runs runs, and the exit code.
"""
import argparse
import subprocess
import time

CASES = [
    # big rationals: num-bigint's binary gcd took 6 s here before dashu-int's Lehmer gcd
    ('sigmoid tower, order 5', ['taylor', 'sigmoid(x1/x_1**x2^3)', '--at', 'x1=1,x2=-9,x_1=99/4',
                                '--order', '5', '--max-output', '1000']),
    ('exact powers, order 5', ['taylor', 'nt^nt^4*3/2**(-11t)^-24*3/2**(-11t)^-2',
                               '--at', 'nt=21/2,t=105/4', '--order', '5']),
    ('tower of powers, order 5', ['taylor', 'x^(y^(22*r))', '--at', 'x=103/4,y=103/4,r=103/4',
                                  '--order', '5']),
    ('hashing (3/2)^30230', ['simplify', '(3/2)^30230 + (3/2)^30231 + x']),
    ('2^(10^9) left unevaluated', ['simplify', '2^(10^9)']),
    ('deep sin nest, third derivative', ['diff', 'sin(' * 999 + 't' + ')' * 999, '--wrt', 't',
                                        '--order', '3', '--max-output', '1000']),
    ('taylor of exp, order 1999', ['taylor', 'exp(t)', '--at', 't=1/3', '--order', '1999',
                                   '--max-terms', '2000', '--max-output', '1000']),
    # session 6: Euclid on thousands of bits; 69 s before the fraction-free division
    ('log of a symbolic power, order 8', ['taylor', 'log(u^2+ alphav^tant2)', '--at',
                                          'alphav=57/4,tant2=-3/2,u=30', '--order', '8',
                                          '--max-terms', '200', '--max-nodes', '100000',
                                          '--max-output', '1000']),
    # session 6, cli target: the budget charged by the leading coefficient (1 s, now 0.01 s)
    ('expanding a power of a power', ['simplify', '(a1 + (a1 + 228)^728)^72']),
    # session 6, cli target: 13 s under the sanitizer and load, then an output-limit error
    ('14th derivative of atan, big output', ['diff', 'atan(2/4/y*2/ (y*3)^k2/ (y*3)^k23)',
                                             '--at', 'y=1-.5', '--wrt', 'y', '--order', '14']),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--deriv', default='target/release/deriv')
    ap.add_argument('--runs', type=int, default=3)
    args = ap.parse_args()
    print(f"{'input':40} {'best s':>8} {'exit':>5}")
    for name, argv in CASES:
        best, code = float('inf'), None
        for _ in range(args.runs):
            t = time.perf_counter()
            r = subprocess.run([args.deriv] + argv, capture_output=True)
            best = min(best, time.perf_counter() - t)
            code = r.returncode
        print(f"{name:40} {best:8.3f} {code:5}")


if __name__ == '__main__':
    main()

#!/usr/bin/env python3
"""Runs `--check` (symbolic, forward, reverse and finite differences) on every
grad/hessian/jacobian case of the acceptance kit that has a point.

    cargo build --release && python3 bench/check_modes.py [--deriv target/release/deriv] [--cases ../shared/acceptance/cases.jsonl]

Prints the largest discrepancies and the count of cases where the modes agree.
"""
import argparse
import json
import subprocess


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--deriv', default='target/release/deriv')
    ap.add_argument('--cases', default='../shared/acceptance/cases.jsonl')
    args = ap.parse_args()
    agree = total = 0
    worst_modes = worst_fd = 0.0
    for line in open(args.cases):
        c = json.loads(line)
        if c['kind'] not in ('grad', 'hessian', 'jacobian') or '--at' not in c['args']:
            continue
        argv = list(c['args'])
        i = argv.index('--') if '--' in argv else len(argv)
        argv[i:i] = ['--check', '--format', 'json']
        out = subprocess.run([args.deriv] + argv, input=(c.get('stdin') or '').encode(), capture_output=True)
        total += 1
        try:
            chk = json.loads(out.stdout)['check']
        except (ValueError, KeyError):
            print('%s: no check result (exit %d): %s' % (c['id'], out.returncode, out.stderr.decode()[:200]))
            continue
        worst_modes = max(worst_modes, chk['max_discrepancy_modes'])
        worst_fd = max(worst_fd, chk['max_discrepancy_finite_difference'])
        if chk['agree'] and out.returncode == 0:
            agree += 1
        else:
            print('%s: modes %.3g, finite differences %.3g (exit %d)' % (
                c['id'], chk['max_discrepancy_modes'], chk['max_discrepancy_finite_difference'], out.returncode))
    print('largest discrepancy between symbolic, forward and reverse: %.3g' % worst_modes)
    print('largest discrepancy against central finite differences: %.3g' % worst_fd)
    print('modes agree on %d of %d cases' % (agree, total))


if __name__ == '__main__':
    main()

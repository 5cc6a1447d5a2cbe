#!/usr/bin/env python3
"""Per entry, the size ratio that check.py's "simplification quality" block
summarizes: (count_ops(deriv output) + 1) / (ref_ops + 1), for every case
of a cases file that has `ref_ops`, largest first; a count of entries
smaller than, equal to and larger than SymPy's `simplify`.

    python3 bench/quality_cases.py target/release/deriv [cases.jsonl]

The cases default to the acceptance kit's; `tests/reference/random_cases.py
--quality` writes more.
"""
import collections
import json
import os
import subprocess
import sys

KIT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'shared', 'acceptance')
sys.path.insert(0, KIT)
import check  # noqa: E402

KEYS = {'grad': 'gradient', 'hessian': 'hessian', 'jacobian': 'jacobian', 'diff': 'derivative',
        'taylor': 'polynomial', 'linearize': 'polynomial', 'simplify': 'result'}


def flat(x):
    return [y for z in x for y in flat(z)] if isinstance(x, list) else [x]


def main():
    deriv = sys.argv[1]
    path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(KIT, 'cases.jsonl')
    rows = []
    for line in open(path):
        c = json.loads(line)
        if c['kind'] not in KEYS or not c.get('ref_ops'):
            continue
        r = subprocess.run([deriv] + check.with_format(c['args']), input=c.get('stdin'),
                           capture_output=True, text=True)
        try:
            entries = flat(json.loads(r.stdout)[KEYS[c['kind']]])
        except (ValueError, KeyError):
            continue
        for i, s in enumerate(entries):
            ref = c['ref_ops'][i] if i < len(c['ref_ops']) else None
            if s is None or ref is None:
                continue
            ops = check.count_ops_str(s)
            rows.append(((ops + 1) / (ref + 1), c['id'], c['kind'], i, ops, ref, s))
    rows.sort(reverse=True)
    print(collections.Counter('smaller' if r[0] < 1 else 'equal' if r[0] == 1 else 'larger' for r in rows))
    # an entry whose reference is a lone number or name (0 operations) has
    # a ratio of at least 1 whatever deriv prints: the share of those bounds
    # how low a median can go
    for kinds, label in ((('grad', 'hessian', 'jacobian', 'diff'), 'derivatives'),
                         (('taylor', 'linearize'), 'taylor/linearize'),
                         (('simplify',), 'simplify')):
        sel = [r for r in rows if r[2] in kinds]
        if sel:
            atoms = sum(1 for r in sel if r[5] == 0)
            print('%s: %d entries, %d (%.0f%%) with a reference of 0 operations'
                  % (label, len(sel), atoms, 100.0 * atoms / len(sel)))
    for ratio, cid, kind, i, ops, ref, s in rows:
        if ratio > 1:
            print('%.2f\t%s\t%s[%d]\t%d vs %d\t%s' % (ratio, cid, kind, i, ops, ref, s[:120]))


if __name__ == '__main__':
    main()

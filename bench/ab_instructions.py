"""Instruction counts (callgrind) of the bench workloads in two deriv
binaries, for an A/B test that the machine's load does not disturb:

    python3 bench/ab_instructions.py OLD_BINARY NEW_BINARY [KEY...]

KEYs select workloads by substring of their key (`W3:gradient`); W7
(points) and the W3 sizes above 1000 are left out. Needs valgrind.

    python3 bench/ab_instructions.py --compute OLD NEW [KEY...]

counts only the symbolic step of `grad` and `hessian` (what `compute_s`
times: the derivative and its tidying, inside `cli::derivs::symbolic`),
not the start, the parser or the printer, which otherwise dominate the
smaller workloads.
"""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import workloads as w  # noqa: E402

argv = sys.argv[1:]
compute = '--compute' in argv
argv = [a for a in argv if a != '--compute']
old, new = argv[0], argv[1]
want = argv[2:]
toggle = ['--toggle-collect=*derivs::symbolic*'] if compute else []
for c in w.CASES:
    if c.kind == 'points' or (want and not any(k in c.key for k in want)):
        continue
    if c.size and c.size > 1000:
        continue
    if c.kind in ('grad', 'hessian'):
        args = [c.kind, c.expr, '--vars', ','.join(c.vars)]
    elif compute:
        continue
    elif c.kind == 'taylor':
        args = ['taylor', c.expr, '--at', c.point_arg, '--order', str(c.order)]
    else:
        continue
    reps = '20' if (c.size or 0) < 500 else '2'
    res = []
    for b in (old, new):
        out = subprocess.run(['valgrind', '--tool=callgrind', '--callgrind-out-file=/dev/null'] + toggle + [b] + args + ['--repeat', reps], capture_output=True, text=True).stderr
        m = re.search(r'Collected : (\d+)', out)
        res.append(int(m.group(1)) if m else 0)
    print('%-40s %12d %12d  %+.1f%%' % (c.key, res[0], res[1], 100.0 * (res[1] - res[0]) / max(res[0], 1)))

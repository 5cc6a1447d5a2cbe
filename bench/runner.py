"""Running processes for bench/compare.py: wall time, exit code and peak
memory (from wait4, for that one child) of a process, and deriv's workloads
with `--timings --repeat N`, or, where this deriv binary has no `--timings`,
whole-process wall time less a bare `deriv` start (marked `wall`)."""
import dataclasses
import hashlib
import json
import os
import signal
import threading
import time

import workloads as wl

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'out')


class Proc:
    """One finished process."""

    def __init__(self, wall, rc, rss_kib, stderr, timed_out):
        self.wall, self.rc, self.rss_kib = wall, rc, rss_kib
        self.stderr, self.timed_out = stderr, timed_out

    @property
    def ok(self):
        return self.rc == 0 and not self.timed_out


TIME = '/usr/bin/time'

# Repetitions of a deriv job in one process, at the least (`--repeat`): the
# median of 5 stands against one run slowed by the machine's other work.
MIN_REPS = 5


def spawn(argv, stdin=None, stdout=os.devnull, timeout=120.0, rss=False):
    """Runs argv with stdin and stdout from/to files; stderr is captured.
    With `rss`, the process runs under GNU time, which forks a small child
    and reports its peak resident set (a child spawned straight from this
    Python process would count the parent's pages, shared until exec).
    Kills the process group it started after `timeout` seconds."""
    os.makedirs(OUT, exist_ok=True)
    err_path = os.path.join(OUT, f'stderr-{os.getpid()}.txt')
    rss_path = os.path.join(OUT, f'rss-{os.getpid()}.txt')
    if rss and os.access(TIME, os.X_OK):
        argv = [TIME, '-f', '%M', '-o', rss_path] + list(argv)
    else:
        rss = False
    actions = [(os.POSIX_SPAWN_OPEN, 0, stdin or os.devnull, os.O_RDONLY, 0),
               (os.POSIX_SPAWN_OPEN, 1, stdout, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
               (os.POSIX_SPAWN_OPEN, 2, err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)]
    killed = []

    def kill(pid):
        killed.append(True)
        try:
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    t0 = time.perf_counter()
    pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=actions, setpgroup=0)
    timer = threading.Timer(timeout, kill, (pid,))
    timer.start()
    _, status, _ = os.wait4(pid, 0)
    wall = time.perf_counter() - t0
    timer.cancel()
    with open(err_path, errors='replace') as f:
        err = f.read()
    rc = os.waitstatus_to_exitcode(status)
    return Proc(wall, rc, read_rss(rss_path) if rss else None, err, bool(killed))


def read_rss(path):
    """GNU time's `%M` (KiB), the last line of its output file."""
    try:
        with open(path) as f:
            return int(f.read().split()[-1])
    except (OSError, ValueError, IndexError):
        return None


def timings_of(stderr):
    """The `{"timings": ...}` line deriv printed last on stderr, or None."""
    for line in reversed(stderr.splitlines()):
        line = line.strip()
        if line.startswith('{') and '"timings"' in line:
            try:
                return json.loads(line)
            except json.JSONDecodeError:
                return None
    return None


class Deriv:
    """The deriv binary under test, and what it supports."""

    def __init__(self, path, timeout, budget):
        self.path, self.timeout, self.budget = path, timeout, budget
        probe = spawn([path, 'grad', 'x^2', '--timings', '--repeat', '2'], timeout=30)
        self.has_timings = probe.ok and timings_of(probe.stderr) is not None
        csv = os.path.join(OUT, 'probe.csv')
        with open(csv, 'w') as f:
            f.write('x\n1\n2\n')
        self.has_points = spawn([path, 'grad', 'x^2', '--points', csv], timeout=30).ok
        self.start_s = min(spawn([path, '--version']).wall for _ in range(21))

    def expr_file(self, case):
        digest = hashlib.sha1(case.expr.encode()).hexdigest()[:12]
        path = os.path.join(OUT, f'expr-{digest}.txt')
        with open(path, 'w') as f:
            f.write(case.expr)
        return path

    def argv(self, case, csv=None):
        """deriv's command line for the case (the expression comes on stdin)."""
        vars_ = ['--vars', ','.join(case.vars)]
        if case.kind in ('grad', 'hessian'):
            return [case.kind, '-'] + vars_
        if case.kind == 'taylor':
            return ['taylor', '-', '--at', case.point_arg, '--order', str(case.order)]
        if case.kind == 'value':
            return ['grad', '-', '--format', 'json', '--at', case.point_arg] + vars_
        if case.kind == 'value-float':
            # the point's numbers written as floats (`x=1.0`): evaluated in
            # floats, as the peers do, not rounded correctly from the exact point
            at = ','.join(f'{n}={float(v)!r}' for n, v in case.at)
            return ['grad', '-', '--format', 'json', '--at', at] + vars_
        if case.kind == 'points':
            return ['grad', '-', '--points', csv] + vars_
        raise ValueError(case.kind)

    def measure(self, argv, stdin, stdout=os.devnull):
        """Median phases of argv: {'phases': {...}, 'reps': N, 'mode': 'timings'|'wall',
        'rss_kib': .., 'wall': ..} or {'error': ...}."""
        if self.has_timings:
            return self._timed(argv, stdin, stdout)
        return self._wall(argv, stdin, stdout)

    def _timed(self, argv, stdin, stdout):
        first = spawn([self.path] + argv + ['--timings', '--repeat', '1'], stdin, stdout,
                      self.timeout, rss=True)
        if not first.ok:
            return failure(first, self.timeout)
        t = timings_of(first.stderr)
        if t is None:
            return {'error': 'no {"timings": ...} line on stderr'}
        # at least MIN_REPS, so that the median is not one noisy run of three
        reps = max(MIN_REPS, min(1000, int(self.budget / max(t['timings'].get('total_s', 1e-9), 1e-9))))
        run = first
        if reps > 1:
            run = spawn([self.path] + argv + ['--timings', '--repeat', str(reps)], stdin,
                        os.devnull, self.timeout, rss=True)
            if not run.ok:
                return failure(run, self.timeout)
            t = timings_of(run.stderr)
            if t is None:
                return {'error': 'no {"timings": ...} line on stderr'}
        # peak memory of one job (the `--repeat 1` run): repetitions in one
        # process add what the allocator keeps between them, not the job's
        return {'phases': t['timings'], 'reps': t.get('repeat', reps), 'mode': 'timings',
                'rss_kib': first.rss_kib, 'wall': run.wall}

    def _wall(self, argv, stdin, stdout):
        first = spawn([self.path] + argv, stdin, stdout, self.timeout)
        if not first.ok:
            return failure(first, self.timeout)
        runs = [first]
        while sum(r.wall for r in runs) < self.budget and len(runs) < 200:
            runs.append(spawn([self.path] + argv, stdin, os.devnull, self.timeout))
        wall = min(r.wall for r in runs)
        mem = spawn([self.path] + argv, stdin, os.devnull, self.timeout, rss=True)
        return {'phases': {'total_s': wall - self.start_s}, 'reps': len(runs),
                'mode': 'wall', 'rss_kib': mem.rss_kib, 'wall': wall}

    def run(self, case):
        """The case's figures: {'main': result, 'rows': [(label, result)], 'check': x}."""
        stdin = self.expr_file(case)
        if case.kind == 'points':
            return self.run_points(case, stdin)
        out = os.path.join(OUT, 'deriv-out.txt')
        res = self.measure(self.argv(case), stdin, out)
        res['metric'] = 'eval_s' if case.kind == 'value' else 'compute_s'
        check = None
        rows = []
        if case.kind == 'value' and 'error' not in res:
            with open(out) as f:
                check = sum(json.loads(f.read())['value'])
            float_case = dataclasses.replace(case, kind='value-float')
            row = self.measure(self.argv(float_case), stdin)
            row['metric'] = 'eval_s'
            rows.append(('at the point written as floats (float evaluation, as the peers)', row))
        return {'main': res, 'rows': rows, 'check': check}

    def run_points(self, case, stdin):
        if not self.has_points:
            return {'main': {'error': 'this deriv has no --points'}, 'rows': [], 'check': None}
        csv = points_csv(case)
        out = os.path.join(OUT, 'deriv-points.csv')
        main = self.measure(self.argv(case, csv), stdin, out)
        main['metric'] = 'eval_s'
        one = self.measure(self.argv(case, csv) + ['--threads', '1'], stdin)
        one['metric'] = 'eval_s'
        rows = [('1 thread', one)]
        end = dict(main)
        end['metric'] = 'total_s'
        rows.append(('end to end (read CSV, evaluate, write CSV)', end))
        check = None
        if 'error' not in main:
            import numpy as np
            check = float(np.loadtxt(out, delimiter=',', skiprows=1, ndmin=2).sum())
        return {'main': main, 'rows': rows, 'check': check}


def failure(proc, timeout):
    if proc.timed_out:
        return {'error': f'timeout > {timeout:g} s'}
    last = proc.stderr.strip().splitlines()[-1:] or ['']
    return {'error': f'exit {proc.rc}: {last[0][:120]}'}


def points_csv(case):
    """W7's CSV for the case, written once into bench/out/."""
    path = os.path.join(OUT, f'points-{len(case.vars)}vars-{case.npoints}-seed{wl.POINT_SEED}.csv')
    if not os.path.exists(path):
        wl.write_points_csv(case, path + '.tmp')
        os.replace(path + '.tmp', path)
    return path


def figure(res):
    """The figure a deriv result stands for, in seconds (None on error), and
    whether it is whole-process wall time less a bare start."""
    if 'error' in res:
        return None, False
    phases = res['phases']
    if res['mode'] == 'wall':
        return phases['total_s'], True
    return phases.get(res['metric']), False

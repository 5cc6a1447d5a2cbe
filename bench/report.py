"""Writes bench/RESULTS.md from bench/compare.py's figures: one table per
workload, each peer's median, deriv's, deriv's ratio to the best peer and
the peak memory, then the machine and its load."""
import datetime
import statistics
import subprocess

import runner
import workloads as wl

KEYS = {'SymPy': 'sympy', 'SymEngine': 'symengine', 'CasADi': 'casadi', 'JAX': 'jax'}


def fmt_s(s):
    """Seconds with 3 significant digits in a readable unit."""
    if s is None:
        return 'n/a'
    for unit, scale in (('s', 1), ('ms', 1e-3), ('µs', 1e-6)):
        if s >= scale:
            return f'{s / scale:.3g} {unit}'
    return f'{s / 1e-9:.3g} ns'


def mib(kib):
    return '—' if not kib else f'{kib / 1024:.0f}'


def cell(case, s, marker=''):
    if s is None:
        return 'n/a'
    if s <= 0:
        return '≈ 0' + marker + ' (within the start\'s noise)'
    text = fmt_s(s) + marker
    if case.kind == 'points':
        text += f' ({s / case.npoints * 1e9:.3g} ns/pt)'
    return text


def best_peer(peers, res):
    figures = [(r['median_s'], name) for name in peers
               if 'median_s' in (r := res.get(KEYS[name], {}))]
    return min(figures) if figures else (None, None)


def ratio(mine, best):
    if mine is None or mine <= 0 or best[0] is None:
        return '—'
    return f'{mine / best[0]:.3g}× ({best[1]})'


def table(case_results, peers):
    """The rows of one workload's table, and its notes."""
    head = '| case | ' + ' | '.join(peers) + ' | deriv | deriv ÷ best peer | peak RSS MiB: deriv; ' \
           + ' / '.join(peers) + ' |'
    lines = [head, '|' + '---|' * (len(peers) + 4)]
    notes = []
    for case, res in case_results:
        peer_res, d = res['peers'], res['deriv']
        best = best_peer(peers, peer_res)
        cells = []
        for name in peers:
            r = peer_res.get(KEYS[name])
            cells.append('—' if r is None else r.get('error') or cell(case, r['median_s']))
        mine, wall = runner.figure(d['main'])
        mem = f"{mib(d['main'].get('rss_kib'))}; " + ' / '.join(
            mib((peer_res.get(KEYS[n]) or {}).get('rss_kib')) for n in peers)
        dcell = d['main'].get('error') or cell(case, mine, ' †' if wall else '')
        lines.append(f'| {case.label} | ' + ' | '.join(cells) + f' | {dcell} | {ratio(mine, best)} | {mem} |')
        for label, r in d['rows']:
            fig, wall = runner.figure(r)
            dcell = r.get('error') or cell(case, fig, ' †' if wall else '')
            lines.append(f'| {case.label}: deriv {label} | ' + ' | '.join('' for _ in peers)
                         + f' | {dcell} | {ratio(fig, best)} | {mib(r.get("rss_kib"))} |')
        notes.extend(case_notes(case, peer_res, d, peers))
    return lines, notes


def growth(cases, rounds=None):
    """Lines on how deriv's figure grows from N=1000 to N=10000 (issue 9:
    linear cost, at most 12 times), where a workload has both sizes of a
    command; for W3's gradient, also from `rounds` (compare.growth_rounds),
    where both sizes were taken one after the other in each round."""
    out = []
    for kind in ('grad', 'hessian'):
        figs = {}
        for case, res in cases:
            if case.kind == kind and case.size in (1000, 10000):
                fig, wall = runner.figure(res['deriv']['main'])
                if fig and not wall:
                    figs[case.size] = fig
        if len(figs) == 2:
            out.append(f'- deriv\'s `{kind}` at N=10000 ÷ at N=1000, from the table: {figs[10000] / figs[1000]:.3g} '
                       '(linear cost: 10; the issue asks for at most 12).')
    if rounds and any(c.workload == 'W3' for c, _ in cases):
        for name, pairs in rounds.items():
            a = statistics.median(p[0] for p in pairs)
            b = statistics.median(p[1] for p in pairs)
            each = sorted(p[1] / p[0] for p in pairs)
            what = '`compute_s`' if name.startswith('deriv') else '`SX gradient`'
            # 'deriv stats': deriv's other commands, in the same rounds
            tool, _, command = name.partition(' ')
            subject = f"{tool}'s `{command}`" if command else f"{name}'s gradient"
            out.append(f'- {subject} at N=10000 ÷ at N=1000 in {len(pairs)} rounds that take '
                       f'both sizes one after the other ({what}): **{b / a:.3g}**, the ratio of the '
                       f'medians ({fmt_s(a)} and {fmt_s(b)}); the rounds\' own ratios from {each[0]:.3g} '
                       f'to {each[-1]:.3g}, median {statistics.median(each):.3g}.')
    return out + [''] if out else []


def case_notes(case, peer_res, d, peers):
    out = []
    how = []
    for name in peers:
        r = peer_res.get(KEYS[name])
        if r and 'median_s' in r:
            extra = f", first call (trace + compile) {fmt_s(r['compile_s'])}" if 'compile_s' in r else ''
            rounds = f", median of {len(r['rounds'])} rounds" if r.get('rounds') else ''
            how.append(f"{name} `{r['method']}` ×{r['reps']}{extra}{rounds}")
    m = d['main']
    if 'error' not in m:
        rounds = f", median of {m['rounds']} such processes in rounds" if m.get('rounds') else ''
        what = (f"`{m['metric']}`, median of {m['reps']} in one process (`--timings --repeat`){rounds}"
                if m['mode'] == 'timings' else
                f'† whole-process wall time less a bare start, fastest of {m["reps"]} processes')
        how.append(f'deriv {what}')
    out.append(f'- {case.label}: ' + '; '.join(how) + '.')
    if case.kind == 'value':
        out.append('  - deriv\'s value at an exact point is the correctly rounded one: the point '
                   'is substituted exactly and the result evaluated in interval arithmetic at '
                   'rising precision until both ends round to the same float (the peers, and '
                   'deriv at a point written as floats, evaluate in floats, which may be an ulp '
                   'off).')
    checks = [(n, peer_res[KEYS[n]]['check']) for n in peers
              if 'check' in peer_res.get(KEYS[n], {})]
    if d.get('check') is not None:
        checks.append(('deriv', d['check']))
    if checks:
        ref = checks[0][1]
        agree = all(abs(v - ref) <= 1e-9 * max(1.0, abs(ref)) for _, v in checks)
        vals = ', '.join(f'{n} {v:.12g}' for n, v in checks)
        word = 'agree to 1e-9 relative' if agree else '**DISAGREE**'
        out.append(f'  - sum of all output values: {vals}: {word}.')
    return out


def fresh_table(rows):
    lines = ['| process | median wall | ÷ /bin/true | peak RSS MiB |', '|---|---|---|---|']
    base = next((r.get('median_s') for label, r in rows if label == '/bin/true'), None)
    for label, r in rows:
        if 'error' in r:
            lines.append(f'| `{label}` | {r["error"]} | — | — |')
            continue
        rel = f"{r['median_s'] / base:.3g}×" if base else '—'
        lines.append(f"| `{label}` | {fmt_s(r['median_s'])} (of {r['reps']}) | {rel} | {mib(r['rss_kib'])} |")
    return lines


def git_commit():
    try:
        head = subprocess.run(['git', 'rev-parse', '--short', 'HEAD'], capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(['git', 'status', '--porcelain', '--', 'src', 'Cargo.toml'],
                               capture_output=True, text=True).stdout.strip()
        return head + (' with uncommitted changes to src/' if dirty else '')
    except (OSError, subprocess.CalledProcessError):
        return 'unknown'


def header(info, deriv, peers, versions, baselines, only):
    now = datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')
    mode = ('in-process figures from `--timings --repeat N`' if deriv.has_timings else
            '**this binary has no `--timings`**: each deriv figure marked † is the fastest '
            'whole-process wall time less the fastest bare `deriv --version` start '
            f'({fmt_s(deriv.start_s)}), so it includes parsing and printing, and is noisy below '
            'a millisecond')
    pts = '' if deriv.has_points else ' **This binary has no `--points`**: W7 has no deriv figures.'
    base = ', '.join(f'{n} {mib(k)}' for n, k in baselines.items())
    return [
        '# deriv against its peers',
        '',
        f'Written by `bench/compare.sh` on {now}, in {info["minutes"]:.1f} minutes'
        + (f' (workloads {", ".join(sorted(only))} only)' if only else '') + '.',
        '',
        f'- Machine: {info["nproc"]} cores (`nproc`), {info["cpu"]}.',
        f'- Load (`/proc/loadavg`, 1/5/15 min): {info["load"]} at the start, {info["load_end"]} '
        'at the end. The machine is shared with other work, so figures can vary by a factor of 2 '
        'between runs.',
        f'- deriv: `{deriv.path}` (release build) at commit {git_commit()}; {mode}.{pts}',
        '- Peers: ' + ', '.join(f'{k} {v}' for k, v in versions.items()) + ', each in-process, '
        'in a fresh Python process per case, median of repeated runs (about 1 s of them; a '
        'step slower than that runs once). The method is named under each table.',
        '- Each case runs in rounds, every tool once a round, in turn (a tool whose round takes '
        'over 3 s runs one): a spell of load from the machine\'s other work then slows one round '
        'of each tool rather than the whole of one tool\'s figure. A figure is the median of its '
        'rounds\' figures (the notes under each table say how many).',
        '- Peak RSS is the process\'s maximum resident set (GNU time\'s `%M`). A peer\'s includes its '
        f'interpreter and libraries: with only the library imported it is {base} MiB.',
        '- `deriv ÷ best peer` below 1 means deriv is faster. Where a tool\'s time at the smaller '
        'sizes of a series (W3, W6) predicts more than its timeout at the next, that size is '
        'skipped (the growth between the last two sizes is assumed to go on).',
        '',
    ]


def write(path, *, info, deriv, peers, versions, baselines, results, fresh, only, rounds=None):
    lines = header(info, deriv, peers, versions, baselines, only)
    for w, desc in wl.WORKLOADS.items():
        cases = [(c, results[c.key]) for c in wl.CASES if c.workload == w and c.key in results]
        if w == 'W8' and fresh:
            lines += [f'## {w}: {desc}', ''] + fresh_table(fresh) + ['']
        if not cases:
            continue
        lines += [f'## {w}: {desc}', '']
        rows, notes = table(cases, peers)
        lines += rows + [''] + growth(cases, rounds) + ['How each figure was taken:', ''] + notes + ['']
    with open(path, 'w') as f:
        f.write('\n'.join(lines))

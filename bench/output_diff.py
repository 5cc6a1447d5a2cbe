#!/usr/bin/env python3
"""Runs two deriv binaries on every case of one or more cases files (the
acceptance kit's format: `args`, `stdin`) and reports the cases whose
standard output, standard error or exit code differ, in text and in JSON:
the check that a change meant only for speed leaves every output as it was.

    python3 bench/output_diff.py OLD_BINARY NEW_BINARY CASES.jsonl [MORE.jsonl ...]

Cases files: ../shared/acceptance/cases.jsonl, and those that
`tests/reference/random_cases.py --n N --seed S` writes. The binaries'
own names appear in clap's usage lines, so copy both to the same name in
two directories, or expect those lines to differ.
"""
import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor


def run(binary, case, json_format):
    args = list(case['args']) + (['--format', 'json'] if json_format else [])
    try:
        r = subprocess.run([binary] + args, input=case.get('stdin') or '',
                           capture_output=True, text=True, timeout=60)
        return (r.returncode, r.stdout, r.stderr)
    except subprocess.TimeoutExpired:
        return ('timeout', '', '')


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    old, new, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    cases = [json.loads(line) for f in files for line in open(f) if line.strip()]

    def one(case):
        out = []
        for json_format in (False, True):
            a, b = run(old, case, json_format), run(new, case, json_format)
            if a != b:
                out.append((case['id'], json_format, a, b))
        return out

    differ = []
    with ThreadPoolExecutor(4) as ex:
        for found in ex.map(one, cases):
            differ += found
    print('cases %d, differing outputs %d' % (len(cases), len(differ)))
    for cid, json_format, a, b in differ[:10]:
        print('%s (%s)' % (cid, 'json' if json_format else 'text'))
        print('  old: %r' % (a,))
        print('  new: %r' % (b,))
    sys.exit(1 if differ else 0)


if __name__ == '__main__':
    main()

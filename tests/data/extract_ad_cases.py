#!/usr/bin/env python3
"""Extracts the grad/hessian/jacobian cases with a point from the acceptance
kit into tests/data/ad_cases.jsonl (input, stdin, vars, point, kind), for
tests/modes.rs: symbolic, forward and reverse must agree on all of them.

    python3 tests/data/extract_ad_cases.py ../shared/acceptance/cases.jsonl > tests/data/ad_cases.jsonl
"""
import json
import sys

for line in open(sys.argv[1]):
    c = json.loads(line)
    if c['kind'] not in ('grad', 'hessian', 'jacobian') or not c.get('point'):
        continue
    src = c['stdin'] if c.get('stdin') is not None else c['input']
    print(json.dumps({'id': c['id'], 'kind': c['kind'], 'src': src, 'vars': c['vars'],
                      'point': c['point']}))

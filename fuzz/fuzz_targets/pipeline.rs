//! The whole pipeline: parse, (canonical) simplify, differentiate, print,
//! parse the printed text again and compare with what was printed.
#![no_main]

mod common;

use deriv::diff::Differentiator;
use deriv::expr::{ExprId, Store};
use deriv::parse::{Output, ParseErrorKind, ParseOptions, parse_program};
use deriv::print::{infix, latex};
use libfuzzer_sys::fuzz_target;

/// Node budget: keeps each run fast; hitting it is a clean error.
const MAX_NODES: usize = 100_000;

fn round_trip(store: &mut Store, f: ExprId, what: &str) {
    // as the CLI does (--max-output): a graph can print exponentially large
    if deriv::print::printed_size(store, &[f]) > 1 << 20 {
        return;
    }
    let text = infix(store, f);
    let _ = latex(store, f);
    let opts = ParseOptions {
        max_depth: 1_000_000,
        max_len: usize::MAX,
    };
    let g = match parse_program(store, &text, &opts) {
        Ok(p) => match p.output {
            Output::Scalar(g) => g,
            Output::Vector(_) => panic!("{what}: printed scalar {text:?} parses as a vector"),
        },
        Err(e) if matches!(e.kind, ParseErrorKind::TooDeep { .. }) => return,
        Err(e) => panic!("{what}: printed {text:?} does not parse: {}", e.message()),
    };
    // reading the text back went past a bound of the store (an exact
    // number over its bits, as the CLI reports): what it built is
    // discarded, not compared
    if store.overflowed().is_some() {
        return;
    }
    if g == f {
        return;
    }
    // a real difference shows at every probe point, rounding noise rarely
    let probes: Vec<Vec<f64>> = (0..3)
        .map(|k| common::values(store, &[f, g], &common::probe(k)))
        .collect();
    assert!(
        !probes.iter().all(|v| common::disagree(v[0], v[1])),
        "{what}: {text:?} reparsed differs: {probes:?}"
    );
}

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let mut store = Store::new();
    let Ok(program) = parse_program(&mut store, src, &ParseOptions::default()) else {
        return;
    };
    if store.overflowed().is_some() {
        return;
    }
    let roots = match program.output {
        Output::Scalar(f) => vec![f],
        Output::Vector(fs) => fs,
    };
    let vars = store.free_vars(&roots);
    for &f in roots.iter().take(3) {
        round_trip(&mut store, f, "simplify");
        if store.overflowed().is_some() {
            return;
        }
        let mut d = Differentiator::new(MAX_NODES);
        for &v in vars.iter().take(3) {
            let Ok(df) = d.diff(&mut store, f, v) else {
                return;
            };
            if store.overflowed().is_some() {
                return;
            }
            round_trip(&mut store, df, "diff");
            if store.overflowed().is_some() {
                return;
            }
        }
        if let Some(&v) = vars.first() {
            let Ok(d2) = d.diff_many(&mut store, f, &[v, v]) else {
                return;
            };
            if store.overflowed().is_some() {
                return;
            }
            round_trip(&mut store, d2, "diff2");
        }
    }
});

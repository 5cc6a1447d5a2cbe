//! The evaluator and Taylor expansion on random expressions and points:
//! header bytes pick the order and an exact point, the rest is the
//! expression. The Taylor polynomial's constant term must be f(a) and its
//! linear terms the gradient at a (when those are finite).
#![no_main]

mod common;

use deriv::diff::Differentiator;
use deriv::eval::{Env, kinks};
use deriv::expr::{ExprId, Store, Sym};
use deriv::parse::{Output, ParseOptions, parse_program};
use deriv::series::{SeriesOptions, taylor};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() < 4 {
        return;
    }
    let (head, rest) = data.split_at(4);
    let Ok(src) = std::str::from_utf8(rest) else {
        return;
    };
    let mut store = Store::new();
    let Ok(program) = parse_program(&mut store, src, &ParseOptions::default()) else {
        return;
    };
    let Output::Scalar(f) = program.output else {
        return;
    };
    let vars = store.free_vars(&[f]);
    if vars.len() > 3 || store.overflowed().is_some() {
        return;
    }
    let order = u32::from(head[0] % 6);
    // exact point values k/4 for k in -128..=127
    let point: Vec<(Sym, ExprId)> = vars
        .iter()
        .zip(&head[1..])
        .map(|(&v, &b)| (v, store.frac(i64::from(b as i8), 4)))
        .collect();
    let value = |s: Sym| {
        vars.iter()
            .position(|v| *v == s)
            .map_or(f64::NAN, |i| f64::from(head[1 + i] as i8) / 4.0)
    };
    let fa = common::values(&store, &[f], &value)[0];
    let moderate = common::moderate(&store, &[f], &value);
    let mut env = Env::new();
    for &v in &vars {
        env.set(v, value(v));
    }
    let kinky = !kinks(&store, &[f], &env).expect("all bound").is_empty();
    let opts = SeriesOptions {
        max_terms: 200,
        max_nodes: 100_000,
    };
    let Ok(t) = taylor(&mut store, f, &point, order, &opts) else {
        return;
    };
    if store.overflowed().is_some() {
        return;
    }
    let coeff = |exps: &[u32]| {
        t.terms
            .iter()
            .find(|(e, _)| e.as_slice() == exps)
            .map(|(_, c)| *c)
    };
    let zeros = vec![0u32; vars.len()];
    let poly = t.to_expr(&mut store);
    // as the CLI does (--max-output): a graph can print exponentially large
    if deriv::print::printed_size(&store, &[poly]) < 1 << 20 {
        let _ = deriv::print::infix(&store, poly);
    }
    if !moderate {
        return;
    }
    let c0 = coeff(&zeros).map_or(0.0, |c| common::values(&store, &[c], &value)[0]);
    assert!(
        !common::disagree(fa, c0),
        "taylor constant term {c0} but f(a) = {fa}"
    );
    if order == 0 || kinky {
        return;
    }
    let mut d = Differentiator::new(100_000);
    for (i, &v) in vars.iter().enumerate() {
        let Ok(df) = d.diff(&mut store, f, v) else {
            return;
        };
        if store.overflowed().is_some() {
            return;
        }
        let mut e = zeros.clone();
        e[i] = 1;
        let Some(c1) = coeff(&e).map_or(Some(0.0), |c| {
            common::moderate(&store, &[c], &value).then(|| common::values(&store, &[c], &value)[0])
        }) else {
            continue;
        };
        if !common::moderate(&store, &[df], &value) {
            continue;
        }
        let dfa = common::values(&store, &[df], &value)[0];
        assert!(
            !common::disagree(dfa, c1),
            "taylor linear coefficient {c1} but the derivative is {dfa}"
        );
    }
});

//! Derivatives against SymPy: gradients and Hessians of the curated
//! expressions in `reference/derivatives.jsonl` (made by
//! `reference/make_reference.py`), evaluated at exact points.

use deriv::diff::Differentiator;
use deriv::eval::{Env, eval_many};
use deriv::expr::{ExprId, Store, Sym};
use deriv::parse::{Output, ParseOptions, parse_expr, parse_program};
use serde_json::Value;

fn close(got: f64, want: f64) -> bool {
    (got - want).abs() <= 1e-10 * want.abs().max(1.0)
}

fn scalar(store: &mut Store, src: &str) -> ExprId {
    match parse_program(store, src, &ParseOptions::default())
        .expect("parses")
        .output
    {
        Output::Scalar(f) => f,
        Output::Vector(_) => panic!("scalar expected: {src}"),
    }
}

struct Case {
    store: Store,
    f: ExprId,
    vars: Vec<Sym>,
    env: Env,
    line: Value,
}

fn cases() -> Vec<Case> {
    let data = include_str!("reference/derivatives.jsonl");
    data.lines()
        .map(|line| {
            let line: Value = serde_json::from_str(line).expect("json");
            let mut store = Store::new();
            let f = scalar(&mut store, line["expr"].as_str().expect("expr"));
            let vars: Vec<Sym> = line["vars"]
                .as_array()
                .expect("vars")
                .iter()
                .map(|v| store.sym(v.as_str().expect("name")))
                .collect();
            let mut env = Env::new();
            for (k, v) in line["point"].as_object().expect("point") {
                let value = parse_expr(
                    &mut store,
                    v.as_str().expect("value"),
                    &ParseOptions::default(),
                )
                .expect("value");
                let x = deriv::eval::eval(&store, value, &Env::new()).expect("closed");
                let s = store.sym(k);
                env.set(s, x);
            }
            Case {
                store,
                f,
                vars,
                env,
                line,
            }
        })
        .collect()
}

#[test]
fn values_match_sympy() {
    for c in cases() {
        let v = eval_many(&c.store, &[c.f], &c.env).expect("eval")[0];
        let want = c.line["value"].as_f64().expect("value");
        assert!(close(v, want), "{}: value {v} vs {want}", c.line["expr"]);
    }
}

#[test]
fn gradients_match_sympy() {
    for mut c in cases() {
        let g = Differentiator::default()
            .gradient(&mut c.store, c.f, &c.vars)
            .expect("gradient");
        let got = eval_many(&c.store, &g, &c.env).expect("eval");
        for (i, want) in c.line["grad"].as_array().expect("grad").iter().enumerate() {
            let want = want.as_f64().expect("number");
            assert!(
                close(got[i], want),
                "{}: d/d{} = {} vs {want}",
                c.line["expr"],
                i,
                got[i]
            );
        }
    }
}

#[test]
fn hessians_match_sympy_and_are_symmetric() {
    for mut c in cases() {
        let h = Differentiator::default()
            .hessian(&mut c.store, c.f, &c.vars)
            .expect("hessian");
        let n = c.vars.len();
        for (i, row) in h.iter().enumerate() {
            for (j, hij) in row.iter().enumerate() {
                assert_eq!(*hij, h[j][i], "{}: not symmetric", c.line["expr"]);
            }
        }
        let flat: Vec<ExprId> = h.iter().flatten().copied().collect();
        let got = eval_many(&c.store, &flat, &c.env).expect("eval");
        let want: Vec<f64> = c.line["hessian"]
            .as_array()
            .expect("hessian")
            .iter()
            .flat_map(|row| {
                row.as_array()
                    .expect("row")
                    .iter()
                    .map(|v| v.as_f64().expect("number"))
            })
            .collect();
        for (k, (g, w)) in got.iter().zip(&want).enumerate() {
            assert!(
                close(*g, *w),
                "{}: H[{}][{}] = {g} vs {w}",
                c.line["expr"],
                k / n,
                k % n
            );
        }
    }
}

#[test]
fn mixed_partials_commute() {
    for mut c in cases() {
        if c.vars.len() < 2 {
            continue;
        }
        let mut d = Differentiator::default();
        let (a, b) = (c.vars[0], c.vars[1]);
        let ab = d.diff_many(&mut c.store, c.f, &[a, b]).expect("diff");
        let ba = d.diff_many(&mut c.store, c.f, &[b, a]).expect("diff");
        let v = eval_many(&c.store, &[ab, ba], &c.env).expect("eval");
        assert!(
            close(v[0], v[1]),
            "{}: {} vs {}",
            c.line["expr"],
            v[0],
            v[1]
        );
    }
}

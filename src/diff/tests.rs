//! Unit tests of `diff`: gradients and Hessians against SymPy, for the
//! curated expressions in `tests/reference/derivatives.jsonl` (made by
//! `tests/reference/make_reference.py`), evaluated at exact points; the
//! sparse Hessian against the dense one.

use super::Differentiator;
use crate::eval::{Env, eval_many};
use crate::expr::{ExprId, Store, Sym};
use crate::parse::{Output, ParseOptions, parse_expr, parse_program};
use serde_json::Value;

fn close(got: f64, want: f64) -> bool {
    (got - want).abs() <= 1e-10 * want.abs().max(1.0)
}

use crate::parse::testing::scalar;

struct Case {
    store: Store,
    f: ExprId,
    vars: Vec<Sym>,
    env: Env,
    line: Value,
}

fn cases() -> Vec<Case> {
    let data = include_str!("../../tests/reference/derivatives.jsonl");
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
                let x = crate::eval::eval(&store, value, &Env::new()).expect("closed");
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

/// The Hessian visits only the pairs that can be non-zero; every entry is
/// the same node as differentiating each pair in turn with a fresh
/// differentiator (the dense sweep), zeros included.
#[test]
fn sparse_hessian_is_the_dense_one() {
    let sources = [
        workloads::rosenbrock(12),
        "x*y*z + sin(x*y)*exp(z) - tanh(x - z)^2 + w".to_string(),
        "max(a, b, c)*abs(a - d) + atan2(b, e)".to_string(),
    ];
    for src in sources {
        let mut s = Store::new();
        let f = scalar(&mut s, &src);
        let vars = s.free_vars(&[f]);
        let h = Differentiator::default()
            .hessian(&mut s, f, &vars)
            .expect("hessian");
        let mut d = Differentiator::default();
        let g = d.gradient(&mut s, f, &vars).expect("gradient");
        for (i, gi) in g.iter().enumerate() {
            for (j, v) in vars.iter().enumerate() {
                let want = Differentiator::default()
                    .diff(&mut s, *gi, *v)
                    .expect("diff");
                assert_eq!(h[i][j], want, "{src}: H[{i}][{j}]");
                assert_eq!(h[j][i], h[i][j], "{src}: not symmetric");
            }
        }
    }
}

/// The bench workloads (bench/scaling.py builds the same inputs).
mod workloads {
    pub fn rosenbrock(n: usize) -> String {
        (1..n)
            .map(|i| format!("100*(x{} - x{i}^2)^2 + (1 - x{i})^2", i + 1))
            .collect::<Vec<_>>()
            .join(" + ")
    }

    pub fn product(n: usize) -> String {
        (1..=n)
            .map(|i| format!("(x{i} + {i})"))
            .collect::<Vec<_>>()
            .join("*")
    }

    pub fn network(inputs: usize, hidden: usize) -> String {
        let units: Vec<String> = (1..=hidden)
            .map(|j| {
                let pre: Vec<String> = (1..=inputs).map(|i| format!("w1_{j}_{i}*x{i}")).collect();
                format!("w2_{j}*tanh({} + b1_{j})", pre.join(" + "))
            })
            .collect();
        format!("(y - ({}) - b2)^2", units.join(" + "))
    }

    pub fn network_vars(inputs: usize, hidden: usize) -> Vec<String> {
        let mut v = Vec::new();
        for j in 1..=hidden {
            v.extend((1..=inputs).map(|i| format!("w1_{j}_{i}")));
        }
        v.extend((1..=hidden).map(|j| format!("b1_{j}")));
        v.extend((1..=hidden).map(|j| format!("w2_{j}")));
        v.push("b2".to_string());
        v
    }
}

/// In-process figures for the symbolic step alone (parse excluded), best
/// of several runs on a fresh store. A measurement, not a test: run with
/// `cargo test --release --lib -- --ignored --nocapture diff::tests::timings`.
#[test]
#[ignore]
fn timings() {
    use std::time::Instant;
    let w1 = "sqrt(x^2+exp(x^2)) + cos(x^2+exp(x^2))".to_string();
    /// name, source, variables (default: all), Hessian?, runs
    type Job = (&'static str, String, Option<Vec<String>>, bool, usize);
    let jobs: Vec<Job> = vec![
        ("W1 gradient", w1, None, false, 2000),
        (
            "W4 gradient",
            workloads::network(4, 8),
            Some(workloads::network_vars(4, 8)),
            false,
            200,
        ),
        (
            "W5 product gradient",
            workloads::product(50),
            None,
            false,
            200,
        ),
        (
            "W3 gradient N=1000",
            workloads::rosenbrock(1000),
            None,
            false,
            20,
        ),
        (
            "W3 gradient N=10000",
            workloads::rosenbrock(10000),
            None,
            false,
            3,
        ),
        (
            "W3 Hessian N=100",
            workloads::rosenbrock(100),
            None,
            true,
            50,
        ),
        (
            "W3 Hessian N=1000",
            workloads::rosenbrock(1000),
            None,
            true,
            3,
        ),
    ];
    for (name, src, vars, hessian, runs) in jobs {
        let mut best = f64::INFINITY;
        for _ in 0..runs {
            let mut s = Store::new();
            let opts = ParseOptions {
                max_len: usize::MAX,
                ..ParseOptions::default()
            };
            let Output::Scalar(f) = parse_program(&mut s, &src, &opts).expect("parses").output
            else {
                panic!("scalar")
            };
            let vars: Vec<Sym> = match &vars {
                Some(names) => names.iter().map(|n| s.sym(n)).collect(),
                None => s.free_vars(&[f]),
            };
            let t = Instant::now();
            let mut d = Differentiator::default();
            if hessian {
                d.hessian(&mut s, f, &vars).expect("hessian");
            } else {
                d.gradient(&mut s, f, &vars).expect("gradient");
            }
            best = best.min(t.elapsed().as_secs_f64());
        }
        println!("{name:<24} {:>12.1} µs", best * 1e6);
    }
}

/// A gradient's sweeps (derivatives kept by node id, one variable at a
/// time) give the same nodes as memoized partial derivatives, in either
/// order of use on one differentiator and on a fresh one.
#[test]
fn gradient_sweeps_agree_with_memoized_partials() {
    for mut c in cases() {
        let mut d = Differentiator::default();
        let partials: Vec<ExprId> = c
            .vars
            .iter()
            .map(|&v| d.diff(&mut c.store, c.f, v).expect("diff"))
            .collect();
        let swept = d.gradient(&mut c.store, c.f, &c.vars).expect("gradient");
        assert_eq!(swept, partials, "{}", c.line["expr"]);
        let fresh = Differentiator::default()
            .gradient(&mut c.store, c.f, &c.vars)
            .expect("gradient");
        assert_eq!(fresh, partials, "{}", c.line["expr"]);
        // and memoized partials after many sweeps
        for _ in 0..3 {
            d.gradient(&mut c.store, c.f, &c.vars).expect("gradient");
        }
        let again: Vec<ExprId> = c
            .vars
            .iter()
            .map(|&v| d.diff(&mut c.store, c.f, v).expect("diff"))
            .collect();
        assert_eq!(again, partials, "{}", c.line["expr"]);
    }
}

/// The Rosenbrock gradient for N = 4, derived by hand: `∂/∂x_i` of
/// `100*(x_{i+1} - x_i^2)^2` is `400*x_i*(x_i^2 - x_{i+1})`, of
/// `(1 - x_i)^2` is `2*x_i - 2`, and of `100*(x_i - x_{i-1}^2)^2` is
/// `200*x_i - 200*x_{i-1}^2`; the like terms in `x_i` add up (202). The
/// numbers of the squares' derivatives stay apart from their sums until
/// the sum above collects them: the printed form is the canonical one.
#[test]
fn rosenbrock_gradient_by_hand() {
    let mut s = Store::new();
    let f = scalar(&mut s, &workloads::rosenbrock(4));
    let vars: Vec<Sym> = (1..=4).map(|i| s.sym(&format!("x{i}"))).collect();
    let g = Differentiator::default()
        .gradient(&mut s, f, &vars)
        .expect("gradient");
    let got: Vec<String> = g.iter().map(|&d| crate::print::infix(&s, d)).collect();
    assert_eq!(
        got,
        [
            "2*x1 + 400*x1*(x1^2 - x2) - 2",
            "202*x2 - 200*x1^2 + 400*x2*(x2^2 - x3) - 2",
            "202*x3 - 200*x2^2 + 400*x3*(x3^2 - x4) - 2",
            "200*x4 - 200*x3^2",
        ]
    );
    // one variable at a time, memoized, gives the same nodes
    let mut d = Differentiator::default();
    for (v, want) in vars.iter().zip(&g) {
        assert_eq!(d.diff(&mut s, f, *v).expect("diff"), *want);
    }
}

/// Found by fuzzing the pipeline with debug assertions: floats past their
/// range among exact numbers (`1e300*444444444444`, left unfolded), where
/// the grouping of a product decides its rounding. The rules keep only
/// exact coefficients apart; debug builds check each shortcut against the
/// constructors, so this test fails there if one is taken wrongly.
#[test]
fn float_coefficients_past_their_range_differentiate_as_built() {
    let src =
        "4(t+1)(t-7) 1e300t^1/3*444444444444t^6444444444(t+1)(64444444t^6444444444444444)4t^41/3";
    let mut s = Store::new();
    let f = scalar(&mut s, src);
    let t = s.sym("t");
    let g = Differentiator::default()
        .gradient(&mut s, f, &[t])
        .expect("gradient");
    let d = Differentiator::default().diff(&mut s, f, t).expect("diff");
    assert_eq!(g, vec![d]);
    let h = Differentiator::default()
        .hessian(&mut s, f, &[t])
        .expect("hessian");
    let d2 = Differentiator::default().diff(&mut s, d, t).expect("diff");
    assert_eq!(h, vec![vec![d2]]);
}

/// Found by fuzzing the pipeline with debug assertions: a coefficient kept
/// apart from a sum with a float in it (`26.25*t - ss/9 + v/9`) and then
/// distributed over it once, where the rules distribute each factor in
/// turn, rounding the float at each (`-(S)^2/3` by `ss`: `-1/3 * (-2/9 *
/// S)`, not `2/27 * S`). Debug builds check each shortcut against the
/// constructors, so this test fails there if one is taken wrongly.
#[test]
fn coefficients_stay_off_sums_with_floats() {
    let mut s = Store::new();
    let f = scalar(&mut s, "(52.5/2*t-(ss-v)/9)^3");
    let vars: Vec<Sym> = ["t", "ss", "v"].iter().map(|v| s.sym(v)).collect();
    for &a in &vars {
        for &b in &vars {
            let d = Differentiator::default().diff(&mut s, f, a).expect("diff");
            let d2 = Differentiator::default().diff(&mut s, d, b).expect("diff");
            let many = Differentiator::default()
                .diff_many(&mut s, f, &[a, b])
                .expect("diff");
            assert_eq!(many, d2);
        }
    }
    let h = Differentiator::default()
        .hessian(&mut s, f, &vars)
        .expect("hessian");
    assert_eq!(h.len(), 3);
}

/// Where the variable is the store's only one, the sweep reads which
/// nodes depend on it from their flags, not from an index: the derivative
/// is the same node structure either way (the same printed form as in a
/// store where a second variable, interned first, makes the index needed),
/// for every one-variable expression of the reference set and a few more.
#[test]
fn a_lone_variable_needs_no_index() {
    let data = include_str!("../../tests/reference/derivatives.jsonl");
    let mut exprs: Vec<String> = data
        .lines()
        .filter_map(|line| {
            let line: Value = serde_json::from_str(line).expect("json");
            let vars = line["vars"].as_array().expect("vars");
            (vars.len() == 1 && vars[0] == "x")
                .then(|| line["expr"].as_str().expect("expr").to_string())
        })
        .collect();
    exprs.extend(
        [
            "sqrt(x^2+exp(x^2)) + cos(x^2+exp(x^2))",
            "sin(cos(exp(sin(x))))",
            "x^x + 2^x + log(x)*pi",
            "(x + 1)*(x + 2)*(x + 3) - 7",
        ]
        .map(String::from),
    );
    assert!(exprs.len() >= 8, "{} expressions", exprs.len());
    for e in &exprs {
        let mut alone = Store::new();
        let f = scalar(&mut alone, e);
        assert_eq!(alone.sym_count(), 1, "{e}");
        let x = alone.sym("x");
        let d1 = Differentiator::default()
            .diff(&mut alone, f, x)
            .expect("diff");
        let mut two = Store::new();
        two.sym("y");
        let g = scalar(&mut two, e);
        let x = two.sym("x");
        let d2 = Differentiator::default()
            .diff(&mut two, g, x)
            .expect("diff");
        assert_eq!(
            crate::print::infix(&alone, d1),
            crate::print::infix(&two, d2),
            "{e}"
        );
    }
}

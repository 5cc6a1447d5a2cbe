//! The evaluator and Taylor expansion on random expressions and points,
//! through the front door (`deriv::Session`): header bytes pick the order
//! and an exact point, the rest is the expression. The Taylor polynomial's
//! constant term must be f(a) and its linear terms the gradient at a,
//! finite or not, unless a warning explains the difference (a value
//! outside the domain, a kink, a possibly inexact value).
#![no_main]

mod common;

use deriv::expr::Sym;
use deriv::{Expr, Limits, Point, Session};
use libfuzzer_sys::fuzz_target;

/// Highest order tried (byte 0 mod 16); the term budget bounds the work.
const MAX_ORDER: u8 = 15;

/// Values of `exprs` at `p`, and whether any came with a warning.
fn values(s: &mut Session, exprs: &[Expr], p: &Point) -> (Vec<f64>, bool) {
    let e = s.eval_exprs(exprs, p);
    (e.values, !e.warnings.is_empty())
}

/// True when the float evaluation of `exprs` at `p` has only moderate
/// intermediate values (comparing two formulas, with float constants in
/// them, is meaningful only without huge terms that cancel).
fn moderate(s: &Session, exprs: &[Expr], p: &Point) -> bool {
    let ids: Vec<_> = exprs.iter().map(Expr::id).collect();
    common::moderate(s.store(), &ids, &|v: Sym| p.float(v))
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 4 {
        return;
    }
    let (head, rest) = data.split_at(4);
    let Ok(src) = std::str::from_utf8(rest) else {
        return;
    };
    let mut s = Session::with_limits(Limits {
        max_nodes: 100_000,
        max_terms: 200,
        ..Limits::default()
    });
    let Ok(f) = s.parse(src) else {
        return;
    };
    if f.is_vector() {
        return;
    }
    let vars = s.variables(&f);
    if vars.len() > 3 {
        return;
    }
    let order = u32::from(head[0] % (MAX_ORDER + 1));
    // exact point values k/4 for k in -128..=127
    let text: Vec<String> = s
        .names(&vars)
        .iter()
        .zip(&head[1..])
        .map(|(n, &b)| format!("{n}={}/4", b as i8))
        .collect();
    let p = if text.is_empty() {
        Point::default()
    } else {
        match s.point(&text.join(",")) {
            Ok(p) => p,
            Err(_) => return,
        }
    };
    let Ok(fa) = s.eval(&f, &p) else {
        return;
    };
    let root = s.expr(f.roots()[0]);
    let kinky = !s.kinks(&f.roots(), &p).is_empty();
    let Ok(t) = s.taylor(&f, &p, order, false) else {
        return;
    };
    if s.check().is_err() {
        return;
    }
    let warned = !fa.warnings.is_empty() || !t.warnings.is_empty();
    let constant = t.terms.iter().find(|(_, m)| m.is_empty());
    let (c0, c0_warned) = match constant {
        Some((c, _)) => {
            let (v, w) = values(&mut s, std::slice::from_ref(c), &p);
            (v[0], w)
        }
        None => (0.0, false),
    };
    let fa = fa.values[0];
    if !warned && !c0_warned && moderate(&s, &[root.clone()], &p) {
        assert!(
            !common::disagree(fa, c0),
            "taylor constant term {c0} but f(a) = {fa}"
        );
    }
    if order == 0 || kinky || warned {
        return;
    }
    let Ok(g) = s.gradient_wrt(&f, &vars) else {
        return;
    };
    if s.check().is_err() || !moderate(&s, &g.entries, &p) {
        return;
    }
    let (grad, grad_warned) = values(&mut s, &g.entries, &p);
    if grad_warned {
        return;
    }
    for (i, &v) in vars.iter().enumerate() {
        let linear = t
            .terms
            .iter()
            .find(|(_, m)| m.len() == 1 && m[0].1 == 1 && s.needed(&[m[0].0.id()]) == [v]);
        let (c1, c1_warned) = match linear {
            Some((c, _)) => {
                let (val, w) = values(&mut s, std::slice::from_ref(c), &p);
                (val[0], w)
            }
            None => (0.0, false),
        };
        assert!(
            c1_warned || !common::disagree(grad[i], c1),
            "taylor linear coefficient {c1} but the derivative is {}",
            grad[i]
        );
    }
});

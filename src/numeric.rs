//! Numeric policy at a point: values with exact folding, the warnings that
//! go with them (values outside the domain, kinks), finite differences and
//! the discrepancy `--check` reports. The front door ([`crate::Session`])
//! and the command line both come here, so they give the same numbers.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::ad::Pins;
use crate::eval::{PreciseOptions, Rounding, Tape, eval_exact};
use crate::expr::{ExprId, Func, Node, Store, Sym};
use crate::point::Point;
use crate::session::Expr;
use crate::warning::{KinkRule, Warning};

/// How many subexpressions outside the domain are named one by one.
const NAMED: usize = 3;

/// Precision of the exact evaluation of roots: from 64 bits (eleven more
/// than a float's, which settles the rounding nearly always; W1's value
/// at x=1 costs 10% less than from 128), doubling up to enough for a zero
/// that does not fold (about 1100 bits), bounded so that the pass stays
/// cheap.
const EXACT: PreciseOptions = PreciseOptions {
    start_bits: 64,
    max_bits: 2048,
};

/// Evaluates `roots` at `point`, with the warnings for subexpressions
/// outside the domain.
///
/// At an exact point each subexpression is also evaluated with the point
/// substituted exactly, so `cos(pi/2)` is 0 and `tan(pi/2)` is a pole (inf)
/// rather than `tan(1.5707963267948966)`. A value that is NaN or inf in
/// floats stays so: exact folding can drop a singularity, and `t/t` at 0 is
/// undefined. Then each root with no float literal is evaluated by
/// [`eval_exact`] (interval arithmetic, raising precision): its value is
/// the correctly rounded one (`sin(10^30)`, `tan(x)` at `x=pi/2+1/10^30`),
/// or, past the precision bound, the float value with a
/// [`Warning::Inexact`]. The exact pass is skipped when the store is over
/// half of `max_nodes`.
pub fn evaluate(
    store: &mut Arc<Store>,
    roots: &[ExprId],
    point: &Point,
    max_nodes: usize,
) -> (Vec<f64>, Vec<Warning>) {
    let tape = Tape::new(store, roots);
    let mut slots = tape.eval_slots(&|sym: Sym| point.float(sym));
    let mut inexact = Vec::new();
    let mut exact_ids = Vec::new();
    if point.is_exact() && store.len() < max_nodes / 2 {
        let map: FxHashMap<Sym, ExprId> = point.exact_values().into_iter().collect();
        let st = Arc::make_mut(store);
        let exact = st.substitute_vars(tape.ids(), &map);
        let exact_tape = Tape::new(st, &exact);
        for (v, e) in slots.iter_mut().zip(exact_tape.eval(&|_| f64::NAN)) {
            if v.is_finite() {
                *v = e;
            }
        }
        inexact = round_roots(st, &tape, &exact, &mut slots);
        exact_ids = exact;
    }
    let out = tape.roots_of(&slots);
    let mut warnings = domain_warnings(store, &tape, &slots, point, &exact_ids);
    warnings.extend(
        inexact
            .into_iter()
            .map(|(at, value, bits)| Warning::Inexact {
                expr: Expr::new(store, at),
                value,
                bits,
                point: point.clone(),
            }),
    );
    (out, warnings)
}

/// Puts the correctly rounded value of each root (`exact[slot]` is the
/// root with the point substituted) into its slot; the roots that could
/// not be rounded with certainty, with the bits tried.
fn round_roots(
    st: &Store,
    tape: &Tape,
    exact: &[ExprId],
    slots: &mut [f64],
) -> Vec<(ExprId, f64, usize)> {
    let mut inexact = Vec::new();
    let mut done = rustc_hash::FxHashSet::default();
    for &r in tape.root_slots() {
        let r = r as usize;
        let e = exact[r];
        if !done.insert(r) || has_float(st, e) {
            continue;
        }
        let Ok(p) = eval_exact(st, e, &EXACT) else {
            continue;
        };
        match p.rounding {
            Rounding::Correct => slots[r] = p.value,
            Rounding::Uncertain => inexact.push((tape.ids()[r], slots[r], p.bits)),
        }
    }
    inexact
}

/// True when `id` holds a float literal (its value is then the float's).
pub fn has_float(store: &Store, id: ExprId) -> bool {
    store
        .reachable(&[id])
        .iter()
        .any(|&n| store.as_num(n).is_some_and(|x| !x.is_exact()))
}

/// The warnings for the subexpressions whose value is NaN or infinite
/// though their operands are finite (the first [`NAMED`] of them), or for
/// a root whose value is not finite when no subexpression is to blame.
/// A subexpression is named even when the root is finite: `log(x, 0)` at
/// `x=2` is `-0.0` only through `ln(0) = -inf`.
///
/// With `exact` (the subexpressions with the point substituted, slot by
/// slot), a source whose exact value is certainly finite is a float
/// artefact (`pi - x` is 0 in floats at `x=pi+1/10^30`) and is not named.
fn domain_warnings(
    store: &Arc<Store>,
    tape: &Tape,
    slots: &[f64],
    point: &Point,
    exact: &[ExprId],
) -> Vec<Warning> {
    let mut sources = tape.nonfinite_sources(slots);
    let slot_of = tape.slot_map();
    if !exact.is_empty() {
        sources.retain(|bad| {
            let p = eval_exact(store, exact[slot_of[bad]], &EXACT);
            !p.is_ok_and(|p| p.rounding == Rounding::Correct && p.value.is_finite())
        });
    }
    if sources.is_empty() {
        sources = tape
            .root_slots()
            .iter()
            .filter(|&&r| !slots[r as usize].is_finite())
            .map(|&r| tape.ids()[r as usize])
            .collect();
        sources.dedup();
    }
    let mut warnings: Vec<Warning> = sources
        .iter()
        .take(NAMED)
        .map(|bad| Warning::Domain {
            expr: Expr::new(store, *bad),
            value: slots[slot_of[bad]],
            point: point.clone(),
        })
        .collect();
    if sources.len() > NAMED {
        warnings.push(Warning::MoreDomain {
            count: sources.len() - NAMED,
        });
    }
    warnings
}

/// The non-smooth subexpressions of `roots` evaluated exactly at their
/// kinks at `point`, as warnings naming the convention used.
///
/// At an exact point a kink is found from the exact value of the argument
/// (`abs(sin(x))` at `x=pi`, `abs(x^2-2)` at `x=sqrt(2)`), where floats
/// miss it; elsewhere from the float values.
pub fn kinks(store: &Arc<Store>, roots: &[ExprId], point: &Point) -> Vec<Warning> {
    at_kinks(store, roots, point)
        .into_iter()
        .map(|(at, _)| {
            let rule = match store.node(at) {
                Node::Call(Func::Abs, _) => KinkRule::Sign,
                Node::Call(Func::Relu, _) => KinkRule::Step,
                Node::Call(Func::Min | Func::Max, _) => KinkRule::EqualSplit,
                _ => KinkRule::Zero,
            };
            Warning::Kink {
                expr: Expr::new(store, at),
                rule,
                point: point.clone(),
            }
        })
        .collect()
}

/// The values the AD modes must pin so that they follow SPEC's convention
/// at the kinks [`kinks`] finds: the argument of `abs`, `relu`, `sign`,
/// `step` at 0, the tied arguments of `min`/`max` at their common value.
pub fn kink_pins(store: &Store, roots: &[ExprId], point: &Point) -> Pins {
    Pins(
        at_kinks(store, roots, point)
            .into_iter()
            .flat_map(|(_, p)| p)
            .collect(),
    )
}

/// What exact values say of one non-smooth call.
enum Decided {
    /// On its kink: the arguments to pin, with their values.
    Kink(Vec<(ExprId, f64)>),
    /// Off its kink.
    Smooth,
}

/// The calls at a kink, in id order, with the values to pin: exact
/// decisions where the point is exact and they settle it, float ones
/// otherwise.
fn at_kinks(store: &Store, roots: &[ExprId], point: &Point) -> Vec<(ExprId, Vec<(ExprId, f64)>)> {
    let floats = crate::eval::kinks(store, roots, &point.env()).unwrap_or_default();
    let decided = if point.is_exact() {
        exact_kinks(store, roots, point)
    } else {
        Vec::new()
    };
    let mut out: Vec<(ExprId, Vec<(ExprId, f64)>)> = Vec::new();
    for (at, d) in &decided {
        if let Decided::Kink(p) = d {
            out.push((*at, p.clone()));
        }
    }
    for k in floats {
        if decided.iter().all(|(at, _)| *at != k.at) {
            out.push((k.at, float_pins(store, k.at, point)));
        }
    }
    out.sort_by_key(|(at, _)| *at);
    out
}

/// The pins of a kink found in floats: the argument values as they are.
fn float_pins(store: &Store, at: ExprId, point: &Point) -> Vec<(ExprId, f64)> {
    let Node::Call(_, args) = store.node(at) else {
        return Vec::new();
    };
    let tape = Tape::new(store, args);
    let vals = tape.eval(&|s| point.float(s));
    args.iter().copied().zip(vals).collect()
}

fn is_piecewise(f: Func) -> bool {
    matches!(
        f,
        Func::Abs
            | Func::Relu
            | Func::Sign
            | Func::Step
            | Func::Min
            | Func::Max
            | Func::Floor
            | Func::Ceil
            | Func::Round
    )
}

/// Exact decisions for the non-smooth calls of `roots` at an exact point.
fn exact_kinks(store: &Store, roots: &[ExprId], point: &Point) -> Vec<(ExprId, Decided)> {
    let calls: Vec<ExprId> = store
        .reachable(roots)
        .into_iter()
        .filter(|&id| matches!(store.node(id), Node::Call(f, _) if is_piecewise(*f)))
        .collect();
    if calls.is_empty() {
        return Vec::new();
    }
    let mut st = store.clone();
    let map: FxHashMap<Sym, ExprId> = point.exact_values().into_iter().collect();
    let mut out = Vec::new();
    for call in calls {
        let Node::Call(&f, args) = store.node(call) else {
            continue;
        };
        let exact = st.substitute_vars(args, &map);
        if let Some(d) = decide(&mut st, f, args, &exact) {
            out.push((call, d));
        }
    }
    out
}

/// Whether the call `f(args)` is on its kink, from the exact arguments;
/// `None` when exact evaluation does not settle it.
fn decide(st: &mut Store, f: Func, args: &[ExprId], exact: &[ExprId]) -> Option<Decided> {
    let vals: Vec<f64> = exact
        .iter()
        .map(|&a| rounded(st, a))
        .collect::<Option<_>>()?;
    if matches!(f, Func::Floor | Func::Ceil | Func::Round) {
        return Some(decide_jump(st, f, args[0], exact[0], vals[0]));
    }
    if !matches!(f, Func::Min | Func::Max) {
        return Some(if is_zero(st, exact[0], vals[0]) {
            Decided::Kink(vec![(args[0], 0.0)])
        } else {
            Decided::Smooth
        });
    }
    let best = if f == Func::Max {
        vals.iter().copied().fold(f64::NEG_INFINITY, f64::max)
    } else {
        vals.iter().copied().fold(f64::INFINITY, f64::min)
    };
    let first = vals.iter().position(|v| *v == best)?;
    let mut tied = vec![(args[first], best)];
    for i in (first + 1)..vals.len() {
        if vals[i] == best {
            let d = st.sub(exact[i], exact[first]);
            if rounded(st, d).is_some_and(|v| is_zero(st, d, v)) {
                tied.push((args[i], best));
            }
        }
    }
    Some(if tied.len() > 1 {
        Decided::Kink(tied)
    } else {
        Decided::Smooth
    })
}

/// Whether `floor`, `ceil` or `round` of the exact argument `exact` (whose
/// correctly rounded value is `v`) sits on a jump: the argument minus the
/// nearest jump is zero. The argument is pinned to the jump.
fn decide_jump(st: &mut Store, f: Func, arg: ExprId, exact: ExprId, v: f64) -> Decided {
    let k = match f {
        Func::Round => v.floor() + 0.5,
        _ => v.round(),
    };
    let Some(q) = num_rational::BigRational::from_float(k) else {
        return Decided::Smooth;
    };
    let k_exact = st.rational(q);
    let d = st.sub(exact, k_exact);
    if rounded(st, d).is_some_and(|x| is_zero(st, d, x)) {
        Decided::Kink(vec![(arg, k)])
    } else {
        Decided::Smooth
    }
}

/// The correctly rounded value of a closed expression, if certain.
fn rounded(st: &Store, id: ExprId) -> Option<f64> {
    let p = eval_exact(st, id, &EXACT).ok()?;
    (p.rounding == Rounding::Correct && !p.value.is_nan()).then_some(p.value)
}

/// Zero: folded to 0, or an expression (not a number) that rounds to 0
/// at over a thousand bits.
fn is_zero(st: &Store, id: ExprId, rounded: f64) -> bool {
    match st.as_num(id) {
        Some(n) => n.is_zero(),
        None => rounded == 0.0,
    }
}

/// Central finite differences of `outputs` at `point`, one row per output,
/// one column per variable of `vars`; with `of_gradient`, of the
/// reverse-mode gradient of `outputs[0]` instead (a Hessian).
pub fn finite_differences(
    store: &Store,
    outputs: &[ExprId],
    point: &Point,
    vars: &[Sym],
    of_gradient: bool,
) -> Vec<Vec<f64>> {
    let base = |v: Sym| point.float(v);
    let tape = Tape::new(store, outputs);
    let n = vars.len();
    let rows = if of_gradient { n } else { outputs.len() };
    let mut out = vec![vec![0.0; n]; rows];
    for (j, &var) in vars.iter().enumerate() {
        let x0 = base(var);
        let h = f64::EPSILON.cbrt() * x0.abs().max(1.0);
        let at = |sign: f64| move |v: Sym| if v == var { x0 + sign * h } else { base(v) };
        let (plus, minus) = if of_gradient {
            (
                crate::ad::jacobian_reverse(store, outputs, &at(1.0), vars).remove(0),
                crate::ad::jacobian_reverse(store, outputs, &at(-1.0), vars).remove(0),
            )
        } else {
            (tape.eval(&at(1.0)), tape.eval(&at(-1.0)))
        };
        for (i, row) in out.iter_mut().enumerate() {
            row[j] = (plus[i] - minus[i]) / (2.0 * h);
        }
    }
    out
}

/// The largest relative discrepancy between two matrices: NaN = NaN and
/// inf = inf agree; a non-finite value against anything else is an
/// infinite discrepancy (inf against 2.7e32 is not agreement).
pub fn discrepancy(a: &[Vec<f64>], b: &[Vec<f64>]) -> f64 {
    a.iter()
        .flatten()
        .zip(b.iter().flatten())
        .map(|(x, y)| {
            if x == y || x.is_nan() && y.is_nan() {
                0.0
            } else if !x.is_finite() || !y.is_finite() {
                f64::INFINITY
            } else {
                (x - y).abs() / x.abs().max(y.abs()).max(1.0)
            }
        })
        .fold(0.0, f64::max)
}

/// A float as deriv prints it: shortest round-trip digits, exponent form
/// for very large and very small magnitudes, `NaN`, `inf`, `-inf`.
///
/// ```
/// use deriv::numeric::float_text;
/// assert_eq!(float_text(0.5), "0.5");
/// assert_eq!(float_text(1e20), "1e20");
/// assert_eq!(float_text(f64::NEG_INFINITY), "-inf");
/// ```
pub fn float_text(v: f64) -> String {
    if v.is_nan() {
        "NaN".into()
    } else if v.is_infinite() {
        if v > 0.0 { "inf".into() } else { "-inf".into() }
    } else if v != 0.0 && (v.abs() >= 1e16 || v.abs() < 1e-5) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{ParseOptions, parse_expr};

    fn at(src: &str, point: &str) -> (Vec<f64>, Vec<Warning>) {
        let mut store = Store::new();
        let f = parse_expr(&mut store, src, &ParseOptions::default()).unwrap();
        let p = Point::parse(&mut store, point, &ParseOptions::default()).unwrap();
        let mut store = Arc::new(store);
        evaluate(&mut store, &[f], &p, usize::MAX)
    }

    #[test]
    fn exact_points_fold_exactly() {
        // cos(pi/2) is 0, not 6.1e-17; tan(pi/2) is a pole
        assert_eq!(at("cos(x)", "x=pi/2").0, [0.0]);
        let (v, w) = at("tan(x)", "x=pi/2");
        assert!(v[0].is_infinite());
        assert_eq!(w.len(), 1);
        // a float point is evaluated in floats
        assert_ne!(at("cos(x)", "x=1.5707963267948966").0, [0.0]);
    }

    #[test]
    fn discrepancy_counts_nonfinite_values() {
        assert_eq!(discrepancy(&[vec![f64::NAN]], &[vec![f64::NAN]]), 0.0);
        assert!(discrepancy(&[vec![f64::INFINITY]], &[vec![2.7e32]]).is_infinite());
        assert_eq!(discrepancy(&[vec![2.0]], &[vec![3.0]]), 1.0 / 3.0);
    }

    #[test]
    fn finite_differences_of_a_square() {
        let mut store = Store::new();
        let f = parse_expr(&mut store, "x^2", &ParseOptions::default()).unwrap();
        let p = Point::parse(&mut store, "x=3", &ParseOptions::default()).unwrap();
        let x = store.find_sym("x").unwrap();
        let d = finite_differences(&store, &[f], &p, &[x], false);
        assert!((d[0][0] - 6.0).abs() < 1e-8);
    }
}

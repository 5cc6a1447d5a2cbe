//! Common factors out of sums: `a*b + a*c = a*(b + c)`, where that is
//! smaller.
//!
//! The chain and product rules leave sums whose terms share factors:
//! `s*(s - 1)^2*u^2 - 2*s*t*(s - 1)*u + s^2*(s - 1)*u^2` (the second
//! derivative of `sigmoid(tan(p))`, with `s = sigmoid(tan(p))` and `u =
//! tan(p)^2 + 1`) is `s*(s - 1)*u*((s - 1)*u - 2*t + s*u)`. A factor is
//! common when its base occurs in every term with exponents of one sign;
//! the smallest exponent in size comes out (`x^2*a + x^3*b = x^2*(a + x*b)`,
//! `a/x + b/x^2 = (a + b/x)/x`). Variables alone are left in place: taking
//! them out saves little and costs a rebuilt sum on every polynomial. The identity holds wherever either side
//! is defined, and both are defined at the same points: every factor stays,
//! the common one outside the sum, so the domain is unchanged. Unlike the
//! polynomial normal form ([`super::normal_form`]) nothing is expanded, so
//! the atoms (`sigmoid(tan(p))`) need not be polynomial.
//!
//! Each sum is rewritten bottom-up and kept only where its operation count
//! ([`crate::poly::count_ops`]) goes down.

use rustc_hash::FxHashMap;
use smallvec::SmallVec;

use crate::expr::{ExprId, IdMap, Node, Number, Store};
use crate::poly::count_ops;

/// `ids` with the common factors of their sums taken out where that makes
/// a sum smaller (module docs); the graph is walked once for all of them.
///
/// ```
/// use deriv::{expr::Store, parse::{parse_expr, ParseOptions}, print::infix};
/// use deriv::simplify::collect::common_factors;
/// let mut s = Store::new();
/// let e = parse_expr(&mut s, "exp(x)*sin(x)*y + exp(x)*sin(x)^2", &ParseOptions::default())?;
/// let c = common_factors(&mut s, &[e])[0];
/// assert_eq!(infix(&s, c), "exp(x)*sin(x)*(y + sin(x))");
/// # Ok::<(), deriv::parse::ParseError>(())
/// ```
pub fn common_factors(store: &mut Store, ids: &[ExprId]) -> Vec<ExprId> {
    let order = store.reachable(ids);
    common_factors_in(store, ids, order)
}

/// [`common_factors`], given the nodes reachable from `ids` in ascending
/// order (`Store::reachable`).
pub(crate) fn common_factors_in(
    store: &mut Store,
    ids: &[ExprId],
    order: Vec<ExprId>,
) -> Vec<ExprId> {
    let mut done = IdMap::for_order(&order);
    let mut memo = FxHashMap::default();
    for id in order {
        // operands unchanged (most nodes): the node as it is, no list made
        let changed = store.node(id).children().iter().any(|c| done[c] != *c);
        let mut new = if changed {
            let kids: SmallVec<[ExprId; 8]> =
                store.node(id).children().iter().map(|c| done[c]).collect();
            store.rebuild(id, &kids)
        } else {
            id
        };
        if let Node::Add(terms) = store.node(new)
            && may_take_out(store, terms)
            && let terms = SmallVec::<[ExprId; 8]>::from_slice(terms)
            && let Some(out) = take_out(store, &terms)
            && count_ops(store, out, &mut memo) < count_ops(store, new, &mut memo)
        {
            new = out;
        }
        done.insert(id, new);
    }
    ids.iter().map(|i| done[i]).collect()
}

/// A term's factors, as they stand in the node (a lone factor for a term
/// that is not a product).
fn term_factors<'a>(store: &'a Store, term: &'a ExprId) -> &'a [ExprId] {
    match store.node(*term) {
        Node::Mul(xs) => xs,
        _ => std::slice::from_ref(term),
    }
}

/// A factor's base: `b` of `b^n` for a number `n`, else the factor.
fn base_of(store: &Store, f: ExprId) -> ExprId {
    match store.node(f) {
        Node::Pow([b, e]) if store.as_num(*e).is_some() => *b,
        _ => f,
    }
}

/// Whether [`take_out`] can find anything: some base of the first term,
/// neither a number nor a variable (variables alone stay in place), is a
/// base in every other term. Ids only, nothing built: most sums have no
/// such base, and are passed over at this cost.
fn may_take_out(store: &Store, terms: &[ExprId]) -> bool {
    let Some((first, others)) = terms.split_first() else {
        return false;
    };
    term_factors(store, first).iter().any(|&f| {
        let b = base_of(store, f);
        !matches!(store.node(b), Node::Num(_) | Node::Var(_))
            && others.iter().all(|t| {
                term_factors(store, t)
                    .iter()
                    .any(|&g| base_of(store, g) == b)
            })
    })
}

/// A term's factors, each a base with its numeric exponent (the node of
/// `1` for a factor that is not a power): ids, not numbers, so nothing is
/// cloned, and equal exponents are equal ids (numbers are interned).
type TermFactors = SmallVec<[(ExprId, ExprId); 4]>;

/// A term as its factors, each a base with a numeric exponent.
fn factors(store: &Store, term: ExprId, one: ExprId) -> TermFactors {
    let xs: &[ExprId] = match store.node(term) {
        Node::Mul(xs) => xs,
        _ => std::slice::from_ref(&term),
    };
    xs.iter()
        .map(|&f| match store.node(f) {
            Node::Pow([b, e]) if store.as_num(*e).is_some() => (*b, *e),
            _ => (f, one),
        })
        .collect()
}

/// The number of an exponent of [`factors`].
fn num(store: &Store, e: ExprId) -> &Number {
    store.as_num(e).expect("a numeric exponent")
}

/// The sum of `terms` with its common factors outside, `None` when none.
fn take_out(store: &mut Store, terms: &[ExprId]) -> Option<ExprId> {
    let one = store.int(1);
    let split: SmallVec<[TermFactors; 4]> = terms.iter().map(|&t| factors(store, t, one)).collect();
    // (base, exponent that comes out)
    let mut common: SmallVec<[(ExprId, ExprId); 4]> = SmallVec::new();
    for &(base, _) in &split[0] {
        if matches!(store.node(base), Node::Num(_)) || common.iter().any(|(b, _)| *b == base) {
            continue;
        }
        // the exponent of `base` in every term, if it is in every term
        // exactly once in every term: `x^3*x^(-1)` (kept apart by the
        // canonical form, for its domain) is not a common `x`
        let exps: Option<SmallVec<[ExprId; 4]>> = split
            .iter()
            .map(|t| {
                let mut found = t.iter().filter(|(b, _)| *b == base);
                let &(_, e) = found.next()?;
                if found.next().is_some() {
                    return None;
                }
                Some(e)
            })
            .collect();
        let Some(exps) = exps else {
            continue;
        };
        let positive = exps.iter().all(|&e| {
            let n = num(store, e);
            !n.is_negative() && !n.is_zero()
        });
        let negative = exps.iter().all(|&e| num(store, e).is_negative());
        if !positive && !negative {
            continue;
        }
        let least = exps
            .iter()
            .copied()
            .min_by(|&a, &b| num(store, a).abs().cmp_value(&num(store, b).abs()))?;
        common.push((base, least));
    }
    // a variable alone out of a sum saves at most a product per term,
    // and costs a rebuild of the sum: only with something bigger
    if common
        .iter()
        .all(|(b, _)| matches!(store.node(*b), Node::Var(_)))
    {
        return None;
    }
    let mut rest: SmallVec<[ExprId; 8]> = SmallVec::with_capacity(terms.len());
    for (&term, t) in terms.iter().zip(&split) {
        // each common factor whole in this term: the term without them
        let whole: Option<SmallVec<[usize; 4]>> = t
            .iter()
            .enumerate()
            .filter_map(|(i, (b, e))| {
                let k = common.iter().find(|(c, _)| c == b)?;
                Some((i, *e == k.1))
            })
            .map(|(i, whole)| whole.then_some(i))
            .collect();
        if let Some(drop) = whole {
            rest.push(store.mul_without(term, &drop));
            continue;
        }
        let mut fs: SmallVec<[ExprId; 8]> = SmallVec::with_capacity(t.len());
        for &(b, e) in t {
            let left = match common.iter().find(|(c, _)| *c == b) {
                Some(&(_, k)) => {
                    let n = num(store, e).add(&num(store, k).neg());
                    if n.is_zero() {
                        continue;
                    }
                    store.number(n)
                }
                None => e,
            };
            fs.push(store.pow(b, left));
        }
        rest.push(store.mul(&fs));
    }
    let sum = store.add(&rest);
    let mut outside: SmallVec<[ExprId; 8]> = common.iter().map(|&(b, k)| store.pow(b, k)).collect();
    outside.push(sum);
    Some(store.mul(&outside))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{ParseOptions, parse_expr};
    use crate::print::infix;

    fn run(src: &str) -> String {
        let mut s = Store::new();
        let e = parse_expr(&mut s, src, &ParseOptions::default()).unwrap();
        let r = common_factors(&mut s, &[e])[0];
        infix(&s, r)
    }

    #[test]
    fn factors_come_out_where_smaller() {
        // the second derivative of sigmoid(tan(p)), as deriv computes it:
        // s*(s - 1)*u is common to the three terms (by hand)
        let d2 = "sigmoid(tan(p))*(sigmoid(tan(p)) - 1)^2*(tan(p)^2 + 1)^2 \
                  - 2*sigmoid(tan(p))*tan(p)*(sigmoid(tan(p)) - 1)*(tan(p)^2 + 1) \
                  + sigmoid(tan(p))^2*(sigmoid(tan(p)) - 1)*(tan(p)^2 + 1)^2";
        let got = run(d2);
        assert!(
            got.starts_with("sigmoid(tan(p))*(sigmoid(tan(p)) - 1)*(tan(p)^2 + 1)*("),
            "{got}"
        );
        // powers: the smaller exponent comes out, of either sign
        assert_eq!(
            run("x^2*exp(y)*sin(y) + x^3*exp(y)*cos(y)"),
            "x^2*exp(y)*(x*cos(y) + sin(y))"
        );
        assert_eq!(
            run("exp(y)*sin(y)/x + exp(y)*cos(y)/x^2"),
            "exp(y)*(cos(y)/x + sin(y))/x"
        );
    }

    #[test]
    fn sums_without_a_common_base_are_passed_over() {
        let mut s = Store::new();
        let mut may = |src: &str| {
            let e = parse_expr(&mut s, src, &ParseOptions::default()).unwrap();
            let Node::Add(terms) = s.node(e) else {
                panic!("{src} is not a sum")
            };
            may_take_out(&s, terms)
        };
        // a number or a variable in common is not enough
        assert!(!may("2*x*y + 3*x*z"));
        assert!(!may("202*x2 - 200*x1^2 + 400*x2*(x2^2 - x3) - 2"));
        // a base in every term, under any numeric exponents
        assert!(may("sin(x)*y + sin(x)^2*z"));
        assert!(may("y/sin(x) + sin(x)^3"));
        // in some terms only
        assert!(!may("exp(x)*y + sin(x)*z + exp(x)"));
    }

    #[test]
    fn nothing_common_or_nothing_gained() {
        // no factor in every term
        assert_eq!(run("x*y + y*z + x*z"), "x*y + x*z + y*z");
        // mixed signs of exponent: x*a + b/x is left alone
        assert_eq!(run("x*sin(y) + cos(y)/x"), "cos(y)/x + x*sin(y)");
        // a base twice in a term (the canonical form keeps x^3/x apart)
        // is not a common factor: the Hessian of tan(x^3/x) came out wrong
        // (tests/newcomer.rs has the command)
        let got = run("4*x^4*x^(-1)*exp(x)*sin(y) + x^2*x^(-1)*exp(x)");
        assert!(got.starts_with("exp(x)*"), "{got}");
        assert!(got.contains("x^4") && got.contains("x^2"), "{got}");
        // only variables in common: left as they are
        assert_eq!(run("x*a + x*b"), "a*x + b*x");
        assert_eq!(run("x*sin(a) + x*sin(b)"), "x*sin(a) + x*sin(b)");
    }
}

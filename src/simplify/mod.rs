//! Opt-in rewrites beyond the canonical form, for `deriv simplify`.
//!
//! The constructors apply only rewrites valid on the whole real domain;
//! `simplify` goes further, as SymPy's `simplify` does: like bases cancel
//! (`x/x = 1`, `x^2/x = x`, valid wherever the input is defined) and
//! `c*sin(u)^2 + c*cos(u)^2 = c`. The result agrees with the input wherever
//! the input is defined.
//!
//! Last, the result is compared with its polynomial normal forms over its
//! atoms ([`crate::poly::Normal`]): the expanded and the factored ratio of
//! polynomials with common factors cancelled, and the smallest by
//! operation count ([`crate::poly::count_ops`], SymPy's `count_ops` of the
//! printed form over the graph written out as a tree) is kept; ties keep
//! the canonical form. So `(x+1)^2 - x^2 - 2*x` is `1`. Cancelling a
//! common factor extends the domain where the factor vanishes:
//! `(x^2-1)/(x-1)` becomes `x + 1`, defined at `x = 1` too. We chose this,
//! as SymPy does, because `simplify` is a rewrite the user asks for and the
//! contract above (agreement wherever the input is defined) still holds;
//! derivatives never go through it.

use rustc_hash::FxHashMap;

use crate::expr::{ExprId, Func, Node, Number, Store};
use crate::poly::Normal;

pub mod collect;
pub mod guarded;
pub mod normal_form;
pub mod sigmoid;

/// Simplifies `e` bottom-up; idempotent.
///
/// ```
/// use deriv::{expr::Store, simplify::simplify, print::infix};
/// let mut s = Store::new();
/// let x = s.var("x");
/// let q = s.div(x, x);
/// let one = simplify(&mut s, q);
/// assert_eq!(infix(&s, one), "1");
/// ```
pub fn simplify(store: &mut Store, e: ExprId) -> ExprId {
    // one bottom-up pass can expose more to cancel (`x/(x/(x/x))`: the
    // inner `x/x` becomes 1 only after its power was rebuilt), so passes
    // repeat until nothing changes; each pass only shrinks or reorders
    let mut cur = e;
    for _ in 0..MAX_PASSES {
        let next = pass(store, cur);
        if next == cur {
            break;
        }
        cur = next;
    }
    let mut normal = Normal::new();
    normal.normalize(store, cur)
}

/// More passes than any input has needed; a bound, not a tuning knob.
const MAX_PASSES: usize = 32;

fn pass(store: &mut Store, e: ExprId) -> ExprId {
    let mut done: FxHashMap<ExprId, ExprId> = FxHashMap::default();
    for id in store.reachable(&[e]) {
        let node = store.node(id);
        let kids: Vec<ExprId> = node.children().iter().map(|c| done[c]).collect();
        let new = match node {
            Node::Num(_) | Node::Const(_) | Node::Var(_) => id,
            Node::Add(_) => {
                let a = store.add(&kids);
                pythagoras(store, a)
            }
            Node::Mul(_) => cancel(store, &kids),
            Node::Pow(_) => {
                // a power of a product distributes: cancel the result too
                let p = store.pow(kids[0], kids[1]);
                settle(store, p)
            }
            Node::Call(&f, _) => {
                let c = store.call(f, &kids);
                settle(store, c)
            }
        };
        done.insert(id, new);
    }
    done[&e]
}

/// A rebuilt node that came out as a product or a sum gets the rewrites of
/// its kind.
fn settle(store: &mut Store, id: ExprId) -> ExprId {
    match store.node(id) {
        Node::Mul(xs) => {
            let xs = xs.to_vec();
            cancel(store, &xs)
        }
        Node::Add(_) => pythagoras(store, id),
        _ => id,
    }
}

/// A product with like bases merged whatever the domain (`x^2 * x^-1 = x`).
fn cancel(store: &mut Store, factors: &[ExprId]) -> ExprId {
    let product = store.mul(factors);
    let Node::Mul(xs) = store.node(product) else {
        return product;
    };
    let mut order: Vec<ExprId> = Vec::new();
    let mut sums: FxHashMap<ExprId, Number> = FxHashMap::default();
    let mut rest: Vec<ExprId> = Vec::new();
    for &f in xs.iter() {
        let (b, e) = match store.node(f) {
            Node::Num(_) => {
                rest.push(f);
                continue;
            }
            Node::Pow([b, e]) => match store.as_num(*e) {
                Some(n) => nested_power(store, *b, n.clone()),
                None => (f, Number::int(1)),
            },
            _ => (f, Number::int(1)),
        };
        match sums.get_mut(&b) {
            Some(s) => *s = s.add(&e),
            None => {
                order.push(b);
                sums.insert(b, e);
            }
        }
    }
    for b in order {
        let e = store.number(sums[&b].clone());
        rest.push(store.pow(b, e));
    }
    store.mul(&rest)
}

/// `(b^a)^n` as `(b, a*n)` for an integer `n` (valid wherever it is defined).
fn nested_power(store: &Store, b: ExprId, n: Number) -> (ExprId, Number) {
    if let Node::Pow([b2, e2]) = store.node(b)
        && let Some(a) = store.as_num(*e2)
        && n.is_integer()
    {
        return (*b2, a.mul(&n));
    }
    (b, n)
}

/// `c*sin(u)^2 + c*cos(u)^2 = c` for every matching pair of terms.
fn pythagoras(store: &mut Store, sum: ExprId) -> ExprId {
    let Node::Add(terms) = store.node(sum) else {
        return sum;
    };
    let mut terms: Vec<Option<ExprId>> = terms.iter().map(|t| Some(*t)).collect();
    let mut replaced = Vec::new();
    for i in 0..terms.len() {
        let Some((u, other)) = terms[i].and_then(|t| square_of(store, t, Func::Sin)) else {
            continue;
        };
        for j in 0..terms.len() {
            if let Some((v, o2)) = terms[j].and_then(|t| square_of(store, t, Func::Cos))
                && v == u
                && o2 == other
            {
                terms[i] = None;
                terms[j] = None;
                replaced.push(other);
                break;
            }
        }
    }
    if replaced.is_empty() {
        return sum;
    }
    let all: Vec<ExprId> = terms.into_iter().flatten().chain(replaced).collect();
    store.add(&all)
}

/// `Some((u, rest))` when `t = rest * f(u)^2`.
fn square_of(store: &mut Store, t: ExprId, f: Func) -> Option<(ExprId, ExprId)> {
    let factors: Vec<ExprId> = match store.node(t) {
        Node::Mul(xs) => xs.to_vec(),
        _ => vec![t],
    };
    let k = factors.iter().position(|&x| match store.node(x) {
        Node::Pow([b, e]) => {
            store.as_num(*e).is_some_and(|n| *n == Number::int(2))
                && matches!(store.node(*b), Node::Call(g, _) if *g == f)
        }
        _ => false,
    })?;
    let Node::Pow([b, _]) = store.node(factors[k]) else {
        return None;
    };
    let u = store.node(*b).children()[0];
    let others: Vec<ExprId> = factors
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != k)
        .map(|(_, x)| *x)
        .collect();
    Some((u, store.mul(&others)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{ParseOptions, parse_expr};
    use crate::print::infix;

    fn simp(src: &str) -> String {
        let mut s = Store::new();
        let e = parse_expr(&mut s, src, &ParseOptions::default()).expect("parses");
        let r = simplify(&mut s, e);
        assert_eq!(simplify(&mut s, r), r, "not idempotent: {src}");
        infix(&s, r)
    }

    #[test]
    fn like_bases_cancel() {
        assert_eq!(simp("x/x"), "1");
        assert_eq!(simp("x^2/x"), "x");
        assert_eq!(simp("3*x/x + 2"), "5");
        assert_eq!(simp("x2/(5/4)/x*sigmoid(x2)/(x2/(5/4)/x)"), "sigmoid(x2)");
        // (x^2)^(1/2) is |x|, not x: not an integer power, left alone
        assert_eq!(simp("sqrt(x^2)"), "sqrt(x^2)");
    }

    #[test]
    fn normal_forms_when_smaller() {
        assert_eq!(simp("(x+1)^2 - x^2 - 2*x"), "1");
        assert_eq!(
            simp("(tanh(v) + tanh(u))^2 - tanh(v)^2 - 2*tanh(v)*tanh(u)"),
            "tanh(u)^2"
        );
        assert_eq!(simp("(x^2-1)/(x-1)"), "x + 1");
        assert_eq!(simp("(x+1)^5"), "(x + 1)^5");
    }

    #[test]
    fn pythagorean_identity() {
        assert_eq!(simp("cos(t)^2 + sin(t)^2 + 0*s"), "1");
        assert_eq!(simp("2*x*sin(y)^2 + 2*x*cos(y)^2 + 1"), "2*x + 1");
        assert_eq!(simp("sin(x)^2 + cos(y)^2"), "cos(y)^2 + sin(x)^2");
    }
}

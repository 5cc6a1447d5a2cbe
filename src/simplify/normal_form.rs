//! The polynomial normal form of a derivative result, where it is smaller
//! and defined exactly where the result is.
//!
//! [`crate::poly::Normal`] writes an expression as a ratio of polynomials
//! over its atoms: products distributed over sums, fractions over one
//! denominator, like terms collected, common factors cancelled. For
//! `simplify` that is the whole story; a derivative also carries a
//! guarantee (README: it agrees with the true derivative wherever the input
//! is defined, and is defined nowhere the input is not), and two steps of
//! the normal form can break it:
//!
//! - cancelling a common factor of numerator and denominator makes the
//!   result defined where that factor vanishes (`(x^2 - 1)/(x - 1)`);
//! - collecting like terms can drop an atom, and with it its domain
//!   (`log(x)*(a + 1) - a*log(x) - log(x)` is `0`).
//!
//! A derivative exists only where its input is defined, so a rewrite that
//! changes the result only at points where the result or the *input* is
//! undefined is exact there (issue 12). So a normal form is kept only
//! when it is smaller by [`crate::poly::count_ops`] and, checked on the
//! polynomials:
//!
//! - every atom of the result other than a variable is still in it, or is
//!   a part of the input along a strict path (where its being undefined
//!   makes the input undefined);
//! - every divisor of the result (each negative power outside an atom)
//!   vanishes only where the normal form's denominator does, or where the
//!   input divides by zero: each factor the exact [`gcd`] finds of the
//!   divisor is also a factor of the new denominator or of a base the
//!   input divides by;
//! - a root atom written back as whole powers (`t^2` as `x` for
//!   `t = sqrt(x)`, see [`Normal`]) leaves its base non-negative, through
//!   a fractional power still in the form or in the input.
//!
//! Where the check cannot decide (a multivariate gcd it does not find, the
//! work budget), the result is kept as it is. `b^2*(b - c)/(3*c^2) +
//! b^2/(3*c)` becomes `b^3/(3*c^2)`; the Hessian entry
//! `1/sqrt(x) - 4/(w*x^2) + x*(16/(w*x^3) - 1/x^(3/2))/4` of
//! `x*(sqrt(x) + 2/(x*w))` becomes `3/(4*sqrt(x))`, because the input
//! divides by `w`; on its own (no input) it stays, its normal form free of
//! `w` being defined at `w = 0`.

use super::guarded::Guards;
use crate::expr::{ExprId, FirstSeen, Node, Number, Store};
use crate::poly::{Budget, Normal, Poly, count_ops, gcd};
use rustc_hash::{FxHashMap, FxHashSet};
use smallvec::SmallVec;

/// Results larger than this many operations are left as they are: the
/// normal form of a large expression is rarely smaller, and converting it
/// costs time in proportion to its expanded size.
const MAX_OPS: u64 = 400;

/// A smaller budget than [`Budget::DEFAULT`]: this runs on every entry of
/// a Hessian or Jacobian.
const BUDGET: Budget = Budget {
    max_terms: 200,
    work: 200_000,
};

/// Each of `ids` replaced by its normal form where that is smaller and has
/// the same domain (module docs); results without two fractions or two
/// terms with a common factor in one sum (see `fractions`) are left alone.
///
/// ```
/// use deriv::{expr::Store, parse::{parse_expr, ParseOptions}, print::infix};
/// use deriv::simplify::normal_form::smaller;
/// let mut s = Store::new();
/// let o = ParseOptions::default();
/// let d = parse_expr(&mut s, "b^2*(b - c)/(3*c^2) + b^2/(3*c)", &o)?;
/// let n = smaller(&mut s, &[], &[d])[0];
/// assert_eq!(infix(&s, n), "b^3/(3*c^2)");
/// // cancelling x - 1 would make it defined at x = 1: kept as it is
/// let q = parse_expr(&mut s, "(x^2 - 1)/(x - 1)", &o)?;
/// assert_eq!(smaller(&mut s, &[], &[q])[0], q);
/// # Ok::<(), deriv::parse::ParseError>(())
/// ```
pub fn smaller(store: &mut Store, inputs: &[ExprId], ids: &[ExprId]) -> Vec<ExprId> {
    let order = store.reachable(ids);
    smaller_in(store, inputs, ids, &order)
}

/// [`smaller`], given the nodes reachable from `ids` in ascending order
/// (`Store::reachable`), so that passes one after the other walk the
/// graph once.
pub(crate) fn smaller_in(
    store: &mut Store,
    inputs: &[ExprId],
    ids: &[ExprId],
    order: &[ExprId],
) -> Vec<ExprId> {
    let worth = fractions(store, ids, order);
    smaller_where(store, inputs, ids, |id| worth[&id])
}

/// [`smaller`] without its quick filter (whether a sum has fractions to
/// join or factors to collect): for entries known to be worth the try.
pub fn smaller_always(store: &mut Store, inputs: &[ExprId], ids: &[ExprId]) -> Vec<ExprId> {
    smaller_where(store, inputs, ids, |_| true)
}

fn smaller_where(
    store: &mut Store,
    inputs: &[ExprId],
    ids: &[ExprId],
    worth: impl Fn(ExprId) -> bool,
) -> Vec<ExprId> {
    let mut memo = FxHashMap::default();
    let mut domain: Option<InputDomain> = None;
    ids.iter()
        .map(|&id| {
            if !worth(id) {
                return id;
            }
            let ops = count_ops(store, id, &mut memo);
            if ops > MAX_OPS {
                return id;
            }
            let domain = domain.get_or_insert_with(|| InputDomain::of(store, inputs));
            match candidate(store, domain, id) {
                Some(n) if count_ops(store, n, &mut memo) < ops => n,
                _ => id,
            }
        })
        .collect()
}

/// The conditions under which the inputs are defined, read along strict
/// paths (sums, products, powers with a numeric exponent; see [`Guards`]):
/// the bases they divide by or take fractional powers of, and the parts
/// on those paths, function calls included, each of whose own domain the
/// input's is within.
struct InputDomain {
    guards: Guards,
    parts: FxHashSet<ExprId>,
}

impl InputDomain {
    fn of(store: &Store, inputs: &[ExprId]) -> InputDomain {
        let mut parts = FxHashSet::default();
        let mut stack = inputs.to_vec();
        while let Some(id) = stack.pop() {
            if !parts.insert(id) {
                continue;
            }
            match store.node(id) {
                Node::Add(xs) | Node::Mul(xs) => stack.extend(xs.iter().copied()),
                Node::Pow([b, e]) if store.as_num(*e).is_some() => stack.push(*b),
                Node::Call(f, args) if super::guarded::keeps_undefined(*f) => {
                    stack.extend(args.iter().copied());
                }
                _ => {}
            }
        }
        InputDomain {
            guards: Guards::of(store, inputs),
            parts,
        }
    }
}

/// The smaller of the expanded and factored normal forms of `id`, when it
/// changes `id` only where `id` or the input is undefined, and is
/// undefined wherever `id` is unless the input is too.
fn candidate(store: &mut Store, input: &InputDomain, id: ExprId) -> Option<ExprId> {
    let mut normal = Normal::with_budget(BUDGET);
    let r = normal.to_rat(store, id)?;
    // the variant with cos^2 + sin^2 = 1 applied that looks smallest
    let r = {
        let atom_ops: Vec<u64> = {
            let mut memo = FxHashMap::default();
            normal
                .atoms()
                .iter()
                .map(|&a| count_ops(store, a, &mut memo))
                .collect()
        };
        let size =
            |r: &crate::poly::Rat| ops_floor(&r.num, &atom_ops) + ops_floor(&r.den, &atom_ops);
        let mut best = r;
        for v in normal.pythagorean_variants(store, &best.clone()) {
            if size(&v) < size(&best) {
                best = v;
            }
        }
        best
    };
    // every atom of the result with a domain of its own is still there,
    // or is a part of the input (a variable may go: where it divides, the
    // divisors below keep it)
    let atoms = normal.atoms().to_vec();
    let mut kept: Vec<bool> = atoms
        .iter()
        .map(|&a| matches!(store.node(a), Node::Var(_)) || input.parts.contains(&a))
        .collect();
    for i in r.num.atoms().into_iter().chain(r.den.atoms()) {
        if let Some(k) = kept.get_mut(i) {
            *k = true;
        }
        // sin(u) and cos(u) have the domain of u: one keeps the other's
        if let Node::Call(crate::expr::Func::Sin | crate::expr::Func::Cos, u) = store.node(atoms[i])
        {
            let u = u[0];
            for (j, &b) in atoms.iter().enumerate() {
                if matches!(store.node(b), Node::Call(crate::expr::Func::Sin | crate::expr::Func::Cos, v) if v[0] == u)
                {
                    kept[j] = true;
                }
            }
        }
    }
    if kept.contains(&false) {
        return None;
    }
    // no form of r can beat the result: skip building them
    let mut memo = FxHashMap::default();
    let atom_ops: Vec<u64> = atoms
        .iter()
        .map(|&a| count_ops(store, a, &mut memo))
        .collect();
    let ops = count_ops(store, id, &mut memo);
    let den = if r.den.is_constant() {
        0
    } else {
        1 + ops_floor(&r.den, &atom_ops)
    };
    if ops_floor(&r.num, &atom_ops) + den >= ops {
        return None;
    }
    // where the result divides by zero, the new denominator vanishes too,
    // or the input divides by zero there
    let mut budget = BUDGET;
    let mut zeros = vec![r.den.clone()];
    for b in input.guards.nonzero() {
        if let Some(rb) = normal.to_rat(store, b) {
            zeros.push(rb.num);
        }
    }
    for d in divisors(store, id, &normal) {
        // a divisor positive by its form (`tan(y)^2 + 1`) never vanishes
        if let Node::Pow(&[b, _]) = store.node(d)
            && super::guarded::is_positive(store, b)
        {
            continue;
        }
        let rd = normal.to_rat(store, d)?;
        // the divisor d = b^(-k) vanishes... its reciprocal's numerator
        // is where b = 0: the denominator of d's own ratio
        if !vanishes_within(&rd.den, &zeros, &mut budget)? {
            return None;
        }
    }
    let expanded = normal.rat_expr(store, &r);
    let factored = normal.factored_expr(store, &r);
    let best = if count_ops(store, factored, &mut memo) < count_ops(store, expanded, &mut memo) {
        factored
    } else {
        expanded
    };
    // a root atom `b^(1/q)` written back as whole powers of `b` (`t^2` as
    // `x` for `t = sqrt(x)`) would be defined for b < 0: the form keeps a
    // fractional power of `b`, or the input makes `b` non-negative
    let written = Guards::of(store, &[best]);
    for &a in &atoms {
        if let Node::Pow(&[b, e]) = store.node(a)
            && store.as_num(e).is_some_and(|n| !n.is_integer())
            && !written.is_nonneg(b)
            && !input.guards.is_nonneg(b)
        {
            return None;
        }
    }
    Some(best)
}

/// A floor under the operations of any form of `p` that [`Normal`]
/// writes, expanded or with its content and common monomial taken out
/// (whose atoms are then not counted): per term, the products of its
/// atoms, their powers, a coefficient other than one and the atoms' own
/// operations (`atom_ops`, by atom number), and the sums between the terms;
/// for a perfect power `s^k`, which the factored form writes so, the
/// floor of `s` and the power where that is lower.
fn ops_floor(p: &Poly, atom_ops: &[u64]) -> u64 {
    let q = p.div_mono(&p.mono_content()).unwrap_or_else(|| p.clone());
    let (_, q) = q.primitive_integer();
    let one = num_bigint::BigUint::from(1u32);
    let mut ops = q.len().saturating_sub(1) as u64;
    for (m, c) in q.terms() {
        let mut atoms: u64 = 0;
        for (i, &e) in m.iter().enumerate() {
            if e > 0 {
                atoms += 1;
                ops += u64::from(e > 1) + atom_ops.get(i).copied().unwrap_or(0);
            }
        }
        ops += atoms.saturating_sub(1) + u64::from(atoms > 0 && c.magnitude() != &one);
    }
    match crate::poly::perfect_power(&q) {
        Some((root, _)) => ops.min(ops_floor(&root, atom_ops) + 1),
        None => ops,
    }
}

/// The negative powers of `id` outside its atoms (`x^(-2)`, `sqrt(u)^(-3)`):
/// where each base is zero the result is undefined.
fn divisors(store: &Store, id: ExprId, normal: &Normal) -> Vec<ExprId> {
    let atoms: rustc_hash::FxHashSet<ExprId> = normal.atoms().iter().copied().collect();
    let mut out = Vec::new();
    let mut seen = rustc_hash::FxHashSet::default();
    let mut stack = vec![id];
    while let Some(n) = stack.pop() {
        if !seen.insert(n) || atoms.contains(&n) {
            continue;
        }
        match store.node(n) {
            Node::Add(xs) | Node::Mul(xs) => stack.extend(xs.iter().copied()),
            Node::Pow([b, e]) => {
                if store.as_num(*e).is_some_and(|k| k.is_negative()) {
                    out.push(n);
                }
                stack.push(*b);
            }
            _ => {}
        }
    }
    out
}

/// For each node reachable from `ids`: whether a sum in it (outside
/// calls) has two or more terms with a negative power in them, fractions
/// that one denominator could join, or two terms with a factor in common.
/// Without either, the normal form is rarely smaller, and it costs more
/// than the derivative itself (the speed benchmarks' W1). One pass over
/// the shared graph.
fn fractions(store: &Store, ids: &[ExprId], order: &[ExprId]) -> FxHashMap<ExprId, bool> {
    // per node: (has a negative power, has a sum worth normalizing, is a
    // polynomial in the variables)
    let mut flags = Flags::for_order(order);
    for &n in order {
        let f = match store.node(n) {
            Node::Num(_) | Node::Var(_) | Node::Const(_) => (false, false, true),
            Node::Pow([b, e]) => {
                let (d, f, p) = flags.get(*b);
                let k = store.as_num(*e);
                let negative = k.is_some_and(|k| k.is_negative());
                let natural = k.and_then(Number::as_i64).is_some_and(|k| k > 0);
                // a fraction in a denominator (`1/(x^2*(1/x^2 - 1))`)
                (d || negative, f || (d && negative), p && natural)
            }
            Node::Mul(xs) => xs.iter().fold((false, false, true), |(d, f, p), x| {
                let (xd, xf, xp) = flags.get(*x);
                (d || xd, f || xf, p && xp)
            }),
            Node::Add(xs) => {
                let poly = xs.iter().all(|x| flags.get(*x).2);
                let two = xs.iter().filter(|x| flags.get(**x).0).count() >= 2
                    || shared_factor(store, xs)
                    || pythagorean(store, xs)
                    || (poly && products_of_sums(store, xs));
                xs.iter().fold((false, two, poly), |(d, f, p), x| {
                    let (xd, xf, _) = flags.get(*x);
                    (d || xd, f || xf, p)
                })
            }
            _ => (false, false, false),
        };
        flags.set(n, f);
    }
    ids.iter().map(|&id| (id, flags.get(id).1)).collect()
}

/// The three flags of [`fractions`] per node of one walk, by index over
/// the walk's range where its ids are dense there (a product of 49 sums
/// reads 49 entries: no hashing), else in a hash map.
struct Flags {
    lo: usize,
    table: Vec<u8>,
    sparse: FxHashMap<ExprId, u8>,
}

impl Flags {
    fn for_order(order: &[ExprId]) -> Flags {
        let span = crate::expr::dense_span(order);
        Flags {
            lo: span.map_or(0, |s| s.0),
            table: span.map_or_else(Vec::new, |(_, len)| vec![0; len]),
            sparse: FxHashMap::default(),
        }
    }

    fn set(&mut self, id: ExprId, (d, f, p): (bool, bool, bool)) {
        let bits = 1 | u8::from(d) << 1 | u8::from(f) << 2 | u8::from(p) << 3;
        match id.index().checked_sub(self.lo) {
            Some(i) if i < self.table.len() => self.table[i] = bits,
            _ => {
                self.sparse.insert(id, bits);
            }
        }
    }

    /// The flags of `id`, which must be set (children come first).
    fn get(&self, id: ExprId) -> (bool, bool, bool) {
        let bits = match id.index().checked_sub(self.lo) {
            Some(i) if i < self.table.len() => self.table[i],
            _ => self.sparse[&id],
        };
        debug_assert!(bits & 1 == 1, "flags read before they are set");
        (bits & 2 != 0, bits & 4 != 0, bits & 8 != 0)
    }
}

/// True when two terms of a sum have a factor other than a variable or a
/// sum in common, up to its power (`exp(u)*u + exp(u)`,
/// `sigmoid(u)^2*(1 - u) + u*sigmoid(u)`): the normal form may collect
/// them.
fn shared_factor(store: &Store, terms: &[ExprId]) -> bool {
    // the bases met so far and the term of each, found by a linear search
    // among few (most sums: no table built)
    let mut bases: SmallVec<[(ExprId, usize); 16]> = SmallVec::new();
    let mut seen = FirstSeen::default();
    let mut first_term = |base: ExprId, i: usize| -> usize {
        if let Some(at) = seen.find(&bases, |b| b.0, base) {
            return bases[at].1;
        }
        seen.pushed(base, bases.len());
        bases.push((base, i));
        i
    };
    for (i, &t) in terms.iter().enumerate() {
        let factors = match store.node(t) {
            Node::Mul(xs) => xs,
            _ => std::slice::from_ref(&terms[i]),
        };
        for &f in factors {
            let base = match store.node(f) {
                Node::Num(_) => continue,
                Node::Pow([b, _]) => *b,
                _ => f,
            };
            // collecting a variable or a sum saves little on terms the
            // canonical form keeps expanded (`2*x - 400*x*(y - x^2)`, the
            // chain rule's `(x + x*exp(x^2))` in two terms), and costs a
            // conversion per entry: a third of the W1 gradient's time
            if matches!(store.node(base), Node::Var(_) | Node::Add(_)) {
                continue;
            }
            if first_term(base, i) != i {
                return true;
            }
        }
    }
    false
}

/// True when two terms of a sum are products with a sum among their
/// factors (`2*x*(2*x - 1)*(x + 3)^2 + x^2*(x + 3)^2`): multiplied out,
/// their monomials may collect or cancel (the Hessian of
/// `(3 + x)^3*(x - x*x)*x^2` is one short polynomial). Asked only of
/// polynomials in the variables, where expanding is cheap.
fn products_of_sums(store: &Store, terms: &[ExprId]) -> bool {
    let has_sum = |t: ExprId| match store.node(t) {
        Node::Mul(xs) => xs.iter().any(|&f| match store.node(f) {
            Node::Add(_) => true,
            Node::Pow([b, e]) => {
                matches!(store.node(*b), Node::Add(_))
                    && store
                        .as_num(*e)
                        .is_some_and(|k| k.as_i64().is_some_and(|k| k > 0))
            }
            _ => false,
        }),
        _ => false,
    };
    terms.iter().filter(|&&t| has_sum(t)).count() >= 2
}

/// True when the terms of a sum hold `sin(u)` and `cos(u)` for one `u`,
/// one of them squared or more (`-cos(x)^2/sin(x)^2 - 1`): the normal
/// form may apply `sin(u)^2 + cos(u)^2 = 1`
/// ([`Normal::pythagorean_variants`]).
fn pythagorean(store: &Store, terms: &[ExprId]) -> bool {
    use crate::expr::Func;
    let mut seen: Vec<(ExprId, Func, bool)> = Vec::new();
    for &t in terms {
        let factors = match store.node(t) {
            Node::Mul(xs) => xs,
            _ => std::slice::from_ref(&t),
        };
        for &f in factors {
            let (base, square) = match store.node(f) {
                Node::Pow([b, e]) => (
                    *b,
                    store
                        .as_num(*e)
                        .and_then(|n| n.as_i64())
                        .is_some_and(|k| k.abs() >= 2),
                ),
                _ => (f, false),
            };
            if let Node::Call(g @ (Func::Sin | Func::Cos), u) = store.node(base) {
                seen.push((u[0], *g, square));
            }
        }
    }
    seen.iter().any(|(u, g, sq)| {
        seen.iter()
            .any(|(v, h, sq2)| u == v && g != h && (*sq || *sq2))
    })
}

/// True when every factor of `d` that [`gcd`] finds is shared with one
/// of `zeros`, so that one of them vanishes wherever `d` does; `None` over
/// the budget.
fn vanishes_within(d: &Poly, zeros: &[Poly], budget: &mut Budget) -> Option<bool> {
    let mut rest = d.clone();
    // each round removes at least one factor of degree >= 1
    'rounds: for _ in 0..64 {
        if rest.is_constant() {
            return Some(true);
        }
        for z in zeros {
            if z.is_constant() {
                continue;
            }
            let g = gcd(&rest, z, budget).ok()?;
            if !g.is_constant() {
                rest = rest.div_exact(&g, budget).ok()??;
                continue 'rounds;
            }
        }
        return Some(false);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{ParseOptions, parse_expr};
    use crate::print::infix;

    /// The input and the result, printed.
    fn run2(src: &str) -> (String, String) {
        let mut s = Store::new();
        let e = parse_expr(&mut s, src, &ParseOptions::default()).unwrap();
        let r = smaller(&mut s, &[], &[e])[0];
        (infix(&s, e), infix(&s, r))
    }

    fn run(src: &str) -> String {
        run2(src).1
    }

    #[test]
    fn products_distribute_and_fractions_combine() {
        // (y + 1/x)*x is x*y + 1 only where x is not 0: kept
        let (a, b) = run2("(y + 1/x)*x");
        assert_eq!(a, b);
        // over one denominator: (a*c + a*d)/(c*d) + ... by hand
        // (the factored a*(2*d - 1)/(c*d^2) is as long: ties keep this one)
        assert_eq!(run("a/(c*d) + a/(c*d^2)*(d - 1)"), "(2*a*d - a)/(c*d^2)");
        // b^2*(b - c)/(3*c^2) + b^2*c/(3*c^2) = b^3/(3*c^2)
        assert_eq!(run("b^2*(b - c)/(3*c^2) + b^2/(3*c)"), "b^3/(3*c^2)");
    }

    #[test]
    fn the_domain_is_kept() {
        // cancelling a factor of the denominator: defined at x = 1 after
        let (a, b) = run2("(x^2 - 1)/(x - 1)");
        assert_eq!(a, b);
        // an atom that cancels out: log(x) would be lost
        let got = run("log(x)*(a + 1) - a*log(x) - log(x) + y");
        assert!(got.contains("log(x)"), "{got}");
        // x/(x*y) + 1/y is 2/y only where x is not 0
        let (a, b) = run2("x/(x*y) + 1/y");
        assert_eq!(a, b);
        // the normal form of this Hessian entry has no w: defined at w = 0
        let (a, b) = run2("1/sqrt(x) - 4/(w*x^2) + x*(16/(w*x^3) - 1/x^(3/2))/4");
        assert_eq!(a, b);
        // a root atom written back as x: sqrt(x)/sqrt(x) - exp(x)/x would
        // be defined for x < 0
        let (a, b) = run2("sqrt(x)/sqrt(x) - exp(x)/x");
        assert_eq!(a, b);
    }

    /// `smaller` with an input: the result of the input and the form.
    fn with_input(input: &str, result: &str) -> String {
        let mut s = Store::new();
        let o = ParseOptions::default();
        let f = parse_expr(&mut s, input, &o).unwrap();
        let e = parse_expr(&mut s, result, &o).unwrap();
        let r = smaller(&mut s, &[f], &[e])[0];
        infix(&s, r)
    }

    #[test]
    fn the_input_domain_allows_more() {
        // the Hessian entry of x*(sqrt(x) + 2/(x*w)): the input divides by
        // x*w and takes sqrt(x); by hand, d2/dx2 (x^(3/2) + 2/w) = 3/(4*sqrt(x))
        let h = "1/sqrt(x) - 4/(w*x^2) + x*(16/(w*x^3) - 1/x^(3/2))/4";
        assert_eq!(with_input("x*(sqrt(x) + 2/(x*w))", h), "3/(4*sqrt(x))");
        // the derivative of atanh(x) - (log(1 + x) - log(1 - x))/2 is 0
        // wherever the input is defined (|x| < 1); the logs make x = 1 and
        // x = -1 points where the input is undefined
        let d = "1/(2*(x - 1)) + 1/(1 - x^2) - 1/(2*(x + 1))";
        assert_eq!(with_input("atanh(x) - (log(1 + x) - log(1 - x))/2", d), "0");
        // an input that does not divide by x - 1: kept
        assert_eq!(
            with_input("x", d),
            "1/(2*(x - 1)) + 1/(1 - x^2) - 1/(2*(x + 1))"
        );
        // the input takes sqrt(x), so x >= 0 wherever it is defined
        assert_eq!(
            with_input("sqrt(x) + exp(x)", "sqrt(x)/sqrt(x) - exp(x)/x"),
            "(x - exp(x))/x"
        );
    }
}

//! Smart constructors: the only code that creates nodes.
//!
//! Every constructor returns the canonical form of what it is asked for:
//! flattened, sorted, constants folded exactly (`1/2 + 1/3 = 5/6`,
//! `sqrt(8) = 2*sqrt(2)`, `exp(0) = 1`), like terms and like powers merged.
//! Only rewrites valid on the whole real domain are applied: `x/x`,
//! `sqrt(x)^2` and `sqrt(x^2)` stay as they are.

use num_rational::BigRational;
use rustc_hash::FxHashMap;
use smallvec::SmallVec;

use super::coeff::Coeff;
use super::{Constant, ExprId, Func, Node, Number, Store, Sym};

/// Where `x^e` is defined on the reals, for a numeric exponent `e`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Domain {
    All,
    NonZero,
    NonNeg,
    Pos,
}

impl Domain {
    pub(super) fn of(e: &Number) -> Domain {
        let integral = match e {
            Number::Rational(r) => r.is_integer(),
            Number::Float(f) => f.fract() == 0.0,
        };
        match (integral, e.is_negative()) {
            (true, false) => Domain::All,
            (true, true) => Domain::NonZero,
            (false, false) => Domain::NonNeg,
            (false, true) => Domain::Pos,
        }
    }

    pub(super) fn meet(self, other: Domain) -> Domain {
        use Domain::*;
        match (self, other) {
            (All, d) | (d, All) => d,
            (a, b) if a == b => a,
            _ => Pos,
        }
    }
}

/// The like terms of a sum while it is built: their rest, their summed
/// coefficient, whether one is singular, and the one term while it is
/// alone.
type LikeTerms = (ExprId, Coeff, bool, Option<ExprId>);

/// A sum while it is built: the constant and the coefficients as machine
/// fractions while they are small ([`Coeff`]: no big integers built per
/// term); each distinct rest, in order of first occurrence, with its
/// coefficient, whether a term with it is singular, and the term itself
/// while no like term has joined it (found by a linear search among few,
/// through `seen` among many); and the terms left unmerged because
/// merging them overflows a float.
struct Collect {
    constant: Coeff,
    coeffs: SmallVec<[LikeTerms; 8]>,
    seen: super::FirstSeen,
    extra: SmallVec<[ExprId; 2]>,
}

impl Default for Collect {
    fn default() -> Collect {
        Collect {
            constant: Coeff::ZERO,
            coeffs: SmallVec::new(),
            seen: super::FirstSeen::default(),
            extra: SmallVec::new(),
        }
    }
}

/// A term of a sum while it is built: a node, or a coefficient and a rest
/// (with whether the term is singular) of a term not built.
enum Item {
    Term(ExprId),
    Scaled(Coeff, ExprId, bool),
}

impl Store {
    /// A number.
    pub fn number(&mut self, n: Number) -> ExprId {
        debug_assert!(!n.to_f64().is_infinite() || n.is_exact());
        // a machine integer from the tables; any other number as it is
        // (not rebuilt from a machine integer)
        if let Some(i) = n.as_i64() {
            return self.int(i);
        }
        let n = self.bounded(n);
        self.intern_num(n)
    }

    /// An exact integer.
    pub fn int(&mut self, i: i64) -> ExprId {
        let Some(slot) = self.small_int_slot(i) else {
            if let Some(&id) = self.large_ints.get(&i) {
                return id;
            }
            let n = self.bounded(Number::int(i));
            let id = self.intern_num(n);
            if self.overflowed().is_none() {
                self.large_ints.insert(i, id);
            }
            return id;
        };
        match self.small_ints[slot] {
            ExprId::NONE => {
                let id = self.intern_num(Number::int(i));
                // after an overflow every constructor gives a placeholder
                if self.overflowed().is_none() {
                    self.small_ints[slot] = id;
                }
                id
            }
            id => id,
        }
    }

    /// The exact fraction `n/d`.
    ///
    /// # Panics
    /// If `d` is zero.
    pub fn frac(&mut self, n: i64, d: i64) -> ExprId {
        self.number(Number::frac(n, d))
    }

    /// An exact rational.
    pub fn rational(&mut self, r: BigRational) -> ExprId {
        self.number(Number::Rational(r))
    }

    /// A float (finite, or NaN for the undefined constant).
    pub fn float(&mut self, f: f64) -> ExprId {
        self.number(Number::float(f))
    }

    /// `pi` or `e`.
    pub fn constant(&mut self, c: Constant) -> ExprId {
        self.intern(Node::Const(&c))
    }

    /// The variable with this name.
    pub fn var(&mut self, name: &str) -> ExprId {
        let s = self.sym(name);
        self.var_sym(s)
    }

    /// The variable behind an interned name.
    pub fn var_sym(&mut self, s: Sym) -> ExprId {
        self.intern(Node::Var(&s))
    }

    /// `-a`.
    pub fn neg(&mut self, a: ExprId) -> ExprId {
        let m = self.int(-1);
        self.mul(&[m, a])
    }

    /// `a - b`.
    pub fn sub(&mut self, a: ExprId, b: ExprId) -> ExprId {
        let nb = self.neg(b);
        self.add(&[a, nb])
    }

    /// `a / b`.
    pub fn div(&mut self, a: ExprId, b: ExprId) -> ExprId {
        let r = self.recip(b);
        self.mul(&[a, r])
    }

    /// `1 / a`.
    pub fn recip(&mut self, a: ExprId) -> ExprId {
        let m = self.int(-1);
        self.pow(a, m)
    }

    /// `a ^ n` for an integer `n`.
    pub fn powi(&mut self, a: ExprId, n: i64) -> ExprId {
        let e = self.int(n);
        self.pow(a, e)
    }

    /// `sqrt(a)`, that is `a^(1/2)`.
    pub fn sqrt(&mut self, a: ExprId) -> ExprId {
        let h = self.frac(1, 2);
        self.pow(a, h)
    }

    /// A one-argument function.
    pub fn call1(&mut self, f: Func, a: ExprId) -> ExprId {
        self.call(f, &[a])
    }

    /// `log(x, base)`, that is `log(x)/log(base)`.
    pub fn log_base(&mut self, x: ExprId, base: ExprId) -> ExprId {
        let lx = self.call1(Func::Ln, x);
        let lb = self.call1(Func::Ln, base);
        self.div(lx, lb)
    }

    /// The node `id` with its operands replaced by `kids`, through the
    /// constructors (a leaf is itself).
    pub fn rebuild(&mut self, id: ExprId, kids: &[ExprId]) -> ExprId {
        let node = self.node(id);
        if kids == node.children() {
            return id;
        }
        match node {
            Node::Num(_) | Node::Const(_) | Node::Var(_) => id,
            Node::Add(_) => self.add(kids),
            Node::Mul(_) => self.mul(kids),
            Node::Pow(_) => self.pow(kids[0], kids[1]),
            Node::Call(&f, _) => self.call(f, kids),
        }
    }

    /// `roots` with variables replaced by the given expressions, rebuilt
    /// through the constructors (so exact values fold: `cos(x)` at
    /// `x = pi/2` is `0`).
    pub fn substitute_vars(
        &mut self,
        roots: &[ExprId],
        values: &FxHashMap<Sym, ExprId>,
    ) -> Vec<ExprId> {
        let order = self.reachable(roots);
        let mut done = super::IdMap::for_order(&order);
        for id in order {
            let node = self.node(id);
            let kids: SmallVec<[ExprId; 8]> = node.children().iter().map(|c| done[c]).collect();
            let new = match node {
                Node::Var(s) => values.get(s).copied().unwrap_or(id),
                _ => self.rebuild(id, &kids),
            };
            done.insert(id, new);
        }
        roots.iter().map(|r| done[r]).collect()
    }

    /// A sum. Like terms that cancel are `0`, or the undefined constant
    /// when they are singular (`1/0 - 1/0`; see [`Store::is_singular`]).
    pub fn add(&mut self, terms: &[ExprId]) -> ExprId {
        if self.overflow.is_some() {
            // the result is discarded: stay cheap
            return self.zero();
        }
        let mut flat: SmallVec<[ExprId; 8]> = SmallVec::with_capacity(terms.len());
        for &t in terms {
            match self.node(t) {
                Node::Add(xs) => flat.extend_from_slice(xs),
                _ => flat.push(t),
            }
        }
        if flat.iter().any(|t| self.is_nan(*t)) {
            return self.nan();
        }
        let mut sum = Collect::default();
        for t in flat {
            self.collect_term(&mut sum, t);
        }
        self.collected(&sum)
    }

    /// The sum of `k * n` over `parts` (`k` the node of a number, or
    /// [`ExprId::NONE`] for 1), as [`Store::add`] of the products
    /// [`Store::mul`] makes: but where `n` is a sum, its terms join this
    /// sum each with its coefficient times `k`, and the product, which
    /// distributes `k` over the sum, is never built (a derivative's
    /// `2*(x - 1)` inside a larger sum).
    pub(crate) fn add_scaled(&mut self, parts: &[(ExprId, ExprId)]) -> ExprId {
        if self.overflow.is_some() {
            return self.zero();
        }
        let mut flat: SmallVec<[Item; 8]> = SmallVec::with_capacity(parts.len() + 2);
        for &(k, n) in parts {
            if k == ExprId::NONE {
                self.push_terms(n, &mut flat);
            } else if !self.push_scaled(k, n, &mut flat) {
                let t = self.mul(&[k, n]);
                self.push_terms(t, &mut flat);
            }
        }
        let id = if flat
            .iter()
            .any(|i| matches!(i, Item::Term(t) if self.is_nan(*t)))
        {
            self.nan()
        } else {
            let mut sum = Collect::default();
            // drained, not moved whole into an iterator (a copy of the list)
            for item in flat.drain(..) {
                match item {
                    Item::Term(t) => self.collect_term(&mut sum, t),
                    Item::Scaled(c, rest, singular) => {
                        self.collect_like(&mut sum, c, rest, singular, None);
                    }
                }
            }
            self.collected(&sum)
        };
        debug_same!(self, id, {
            let terms: Vec<ExprId> = parts
                .iter()
                .map(|&(k, n)| {
                    if k == ExprId::NONE {
                        n
                    } else {
                        self.mul(&[k, n])
                    }
                })
                .collect();
            self.add(&terms)
        });
        id
    }

    /// Whether the rest of a term holds a number (one left apart from the
    /// coefficient, past a float's range): the constructor folds a number
    /// into it, so a term is not scaled by its coefficient alone.
    fn has_number(&self, rest: ExprId) -> bool {
        match self.node(rest) {
            Node::Mul(fs) => fs.iter().any(|f| matches!(self.node(*f), Node::Num(_))),
            node => matches!(node, Node::Num(_)),
        }
    }

    /// The terms of `t` (itself, or its terms if it is a sum) onto `flat`.
    fn push_terms(&self, t: ExprId, flat: &mut SmallVec<[Item; 8]>) {
        match self.node(t) {
            Node::Add(xs) => flat.extend(xs.iter().map(|&x| Item::Term(x))),
            _ => flat.push(Item::Term(t)),
        }
    }

    /// The terms of `k * n` onto `flat`, each (the terms of a sum `n`, or
    /// `n` itself) as `k` times its coefficient and its rest, as
    /// [`Store::mul`] distributes `k` over a sum (`scale_term`) or scales
    /// a term; false, with nothing pushed, where a coefficient would leave
    /// the bounds (the product is built then).
    fn push_scaled(&mut self, k: ExprId, n: ExprId, flat: &mut SmallVec<[Item; 8]>) -> bool {
        let Some(by) = self.as_num(k) else {
            return false;
        };
        if self.is_nan(k) || by.is_zero() || self.is_nan(n) {
            return false;
        }
        let by = by.clone();
        let (xs, sum): (SmallVec<[ExprId; 8]>, bool) = match self.node(n) {
            Node::Add(xs) => (SmallVec::from_slice(xs), true),
            _ => (smallvec::smallvec![n], false),
        };
        let start = flat.len();
        for t in xs {
            if matches!(self.node(t), Node::Num(_)) {
                // a number times k: as the constructor folds it; a sum's
                // constant that vanishes (a float underflow) is dropped
                // with the sum k*n that the constructor builds
                let c = self.mul(&[k, t]);
                if !(sum && self.as_num(c).is_some_and(Number::is_zero)) {
                    flat.push(Item::Term(c));
                }
                continue;
            }
            let (c, rest) = self.split_coeff_small(t);
            let c = c.mul(&by);
            if c.overflows() || c.is_zero() || self.has_number(rest) {
                flat.truncate(start);
                return false;
            }
            let c = self.bounded_coeff(c);
            flat.push(Item::Scaled(c, rest, self.is_singular(t)));
        }
        true
    }

    /// One term of a sum being built ([`Store::add`]): a number joins the
    /// constant, any other term its like terms.
    fn collect_term(&mut self, sum: &mut Collect, t: ExprId) {
        if let Node::Num(n) = self.node(t) {
            let total = sum.constant.add(&Coeff::of(n));
            if total.overflows() {
                sum.extra.push(t);
            } else {
                sum.constant = self.bounded_coeff(total);
            }
            return;
        }
        let singular = self.is_singular(t);
        let (c, rest) = self.split_coeff_small(t);
        self.collect_like(sum, c, rest, singular, Some(t));
    }

    /// The term `c * rest` (built: `t`) joins its like terms.
    fn collect_like(
        &mut self,
        sum: &mut Collect,
        c: Coeff,
        rest: ExprId,
        singular: bool,
        t: Option<ExprId>,
    ) {
        match sum.seen.find(&sum.coeffs, |e| e.0, rest) {
            Some(i) => {
                let total = sum.coeffs[i].1.add(&c);
                if total.overflows() {
                    let t = match t {
                        Some(t) => t,
                        None => self.scaled_term(&c, rest),
                    };
                    sum.extra.push(t);
                } else {
                    let total = self.bounded_coeff(total);
                    let (_, old, bad, alone) = &mut sum.coeffs[i];
                    *old = total;
                    *bad |= singular;
                    *alone = None;
                }
            }
            None => {
                sum.seen.pushed(rest, sum.coeffs.len());
                sum.coeffs.push((rest, c, singular, t));
            }
        }
    }

    /// The sum of the terms collected.
    fn collected(&mut self, sum: &Collect) -> ExprId {
        // by reference: the sum while built is some 400 bytes, and moving
        // it (or its list, into an iterator) was a copy of them all
        let Collect {
            constant,
            coeffs,
            extra,
            ..
        } = sum;
        let mut out: SmallVec<[ExprId; 8]> = SmallVec::with_capacity(coeffs.len() + 1);
        for &(rest, ref c, bad, alone) in coeffs {
            if !c.is_zero() {
                // a term no like term joined is as it was
                let term = match alone {
                    Some(t) => t,
                    None => self.scaled_term(c, rest),
                };
                out.push(term);
            } else if bad {
                // inf - inf, or an undefined value minus itself
                return self.nan();
            } else {
                self.note_dropped(&[rest]);
            }
        }
        out.extend_from_slice(extra);
        self.sort_canonical(&mut out);
        match (out.len(), constant.is_zero()) {
            (0, _) => self.coeff_node(constant),
            (1, true) => out[0],
            (_, zero) => {
                if !zero {
                    let c = self.coeff_node(constant);
                    out.insert(0, c);
                }
                self.intern_add(&out)
            }
        }
    }

    /// Splits a term into its numeric coefficient and the rest.
    pub fn split_coeff(&mut self, t: ExprId) -> (Number, ExprId) {
        if let Node::Num(n) = self.node(t) {
            return ((*n).clone(), self.int(1));
        }
        match self.coeff_and_rest(t) {
            Some((c, rest)) => (self.as_num(c).expect("a number").clone(), rest),
            None => (Number::int(1), t),
        }
    }

    /// [`Store::split_coeff`] of a term that is not a number, the
    /// coefficient as a [`Coeff`] (no big integer built for a small one).
    pub(super) fn split_coeff_small(&mut self, t: ExprId) -> (Coeff, ExprId) {
        match self.coeff_and_rest(t) {
            Some((c, rest)) => (Coeff::of(self.as_num(c).expect("a number")), rest),
            None => (Coeff::ONE, t),
        }
    }

    /// The numeric coefficient's node of a product that has one, and the
    /// product of the other factors.
    fn coeff_and_rest(&mut self, t: ExprId) -> Option<(ExprId, ExprId)> {
        let Node::Mul(xs) = self.node(t) else {
            return None;
        };
        let c = xs[0];
        if !matches!(self.node(c), Node::Num(_)) {
            return None;
        }
        let rest: SmallVec<[ExprId; 8]> = SmallVec::from_slice(&xs[1..]);
        let r = if rest.len() == 1 {
            rest[0]
        } else {
            self.intern_mul(&rest)
        };
        Some((c, r))
    }

    /// `c * rest` for a canonical, coefficient-free, non-sum `rest`.
    fn scaled_term(&mut self, c: &Coeff, rest: ExprId) -> ExprId {
        if c.is_one() {
            return rest;
        }
        let c = self.coeff_node(c);
        self.scale_by(c, rest)
    }

    /// `c * rest` for the node `c` of a number other than one and a
    /// canonical, coefficient-free, non-sum `rest`.
    fn scale_by(&mut self, c: ExprId, rest: ExprId) -> ExprId {
        let mut xs: SmallVec<[ExprId; 8]> = SmallVec::new();
        xs.push(c);
        match self.node(rest) {
            Node::Mul(fs) => xs.extend_from_slice(fs),
            _ => xs.push(rest),
        }
        self.intern_mul(&xs)
    }

    /// True when `a` is positive wherever it is defined, by its form (a
    /// cheap structural test): a positive number, `pi`, `e`, `exp`,
    /// `cosh`, `sigmoid`, `softplus`, a sum of non-negative terms one of
    /// which is positive (`tan(y)^2 + 1`: even powers are non-negative), a
    /// product of positive factors, a positive base to any power.
    pub fn is_positive(&self, a: ExprId) -> bool {
        self.sign_of(a, 0) == Some(Sign::Positive)
    }

    fn sign_of(&self, e: ExprId, depth: u32) -> Option<Sign> {
        if depth > 8 {
            return None;
        }
        let sign = |x: ExprId| self.sign_of(x, depth + 1);
        match self.node(e) {
            Node::Num(n) if n.is_zero() => Some(Sign::NonNegative),
            Node::Num(n) => (!n.is_negative()).then_some(Sign::Positive),
            Node::Const(_) => Some(Sign::Positive),
            Node::Add(xs) => {
                let mut any = false;
                for &x in xs.iter() {
                    any |= sign(x)? == Sign::Positive;
                }
                Some(if any {
                    Sign::Positive
                } else {
                    Sign::NonNegative
                })
            }
            Node::Mul(xs) => {
                let mut all = true;
                for &x in xs.iter() {
                    all &= sign(x)? == Sign::Positive;
                }
                Some(if all {
                    Sign::Positive
                } else {
                    Sign::NonNegative
                })
            }
            Node::Pow([b, x]) => {
                let n = self.as_num(*x);
                let natural = n.is_some_and(|n| n.is_integer() && !n.is_negative());
                let even = natural && n.and_then(|n| n.as_i64()).is_some_and(|k| k % 2 == 0);
                match sign(*b) {
                    // a positive base to any power is positive
                    Some(Sign::Positive) => Some(Sign::Positive),
                    Some(Sign::NonNegative) if natural => Some(Sign::NonNegative),
                    // an even power is non-negative, whatever the base
                    _ if even => Some(Sign::NonNegative),
                    _ => None,
                }
            }
            Node::Call(f, args) => match f {
                Func::Exp | Func::Cosh | Func::Sigmoid | Func::Softplus => Some(Sign::Positive),
                Func::Abs | Func::Relu | Func::Step => Some(Sign::NonNegative),
                Func::Sinh | Func::Asinh | Func::Atan | Func::Tanh | Func::Erf | Func::Cbrt => {
                    sign(args[0]).filter(|s| *s == Sign::Positive)
                }
                _ => None,
            },
            Node::Var(_) => None,
        }
    }
}

/// What [`Store::is_positive`] knows of a sign.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Sign {
    Positive,
    NonNegative,
}

/// True for a float result that is not finite: such a result is not folded
/// (a number node is always finite) and the operands stay as they are.
pub(super) fn overflows(n: &Number) -> bool {
    !n.is_exact() && !n.to_f64().is_finite()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A product whose like bases merge into a power with another base
    /// (`e*e` is `exp(2)`) merges that with a factor of the new base: found
    /// by fuzzing the pipeline with debug assertions, where the second
    /// derivative of `b^4*e*sinh(16*e^2*b^(4*e/a)/a)*t/a` by `a` built
    /// `exp(2)*exp(2)` in one product. By hand: `e*e*exp(2) = e^4`.
    #[test]
    fn merged_powers_with_a_new_base_merge_again() {
        let mut s = Store::new();
        let e = s.constant(Constant::E);
        let two = s.int(2);
        let four = s.int(4);
        let exp2 = s.call1(Func::Exp, two);
        let exp4 = s.call1(Func::Exp, four);
        let x = s.var("x");
        for factors in [vec![e, e, exp2], vec![exp2, e, e], vec![x, e, exp2, e]] {
            let p = s.mul(&factors);
            let want = if factors.contains(&x) {
                s.mul(&[x, exp4])
            } else {
                exp4
            };
            assert_eq!(p, want, "{}", crate::print::infix(&s, p));
            // and the constructor gives it back as it is
            let again = s.mul(&[p]);
            assert_eq!(again, p);
        }
    }

    /// Room made ahead (`Store::reserve`) is bounded by the store's size
    /// bound, so asking for any amount is safe, and the nodes built after
    /// it are found again as before.
    #[test]
    fn room_made_ahead_stays_within_the_bound() {
        let mut s = Store::with_limits(64, 100, 1000);
        s.reserve(usize::MAX);
        let x = s.var("x");
        let terms: Vec<ExprId> = (1..=50)
            .map(|k| {
                let c = s.int(k);
                s.mul(&[c, x])
            })
            .collect();
        let again: Vec<ExprId> = (1..=50)
            .map(|k| {
                let c = s.int(k);
                s.mul(&[c, x])
            })
            .collect();
        assert_eq!(terms, again);
        assert!(s.overflowed().is_none());
    }

    /// The index finds every node again after it has grown many times,
    /// and tells apart nodes that differ only below the top: 30,000 sums
    /// and products, each asked for twice, make each node once.
    #[test]
    fn nodes_are_found_again_after_the_index_grows() {
        let mut s = Store::new();
        let x = s.var("x");
        let y = s.var("y");
        let make = |s: &mut Store, k: i64| {
            let c = s.int(k);
            let t = s.mul(&[c, x]);
            let u = s.add(&[t, y]);
            s.mul(&[u, x])
        };
        let first: Vec<ExprId> = (1..=30_000).map(|k| make(&mut s, k)).collect();
        let len = s.len();
        let again: Vec<ExprId> = (1..=30_000).rev().map(|k| make(&mut s, k)).rev().collect();
        assert_eq!(first, again);
        assert_eq!(s.len(), len);
        let distinct: std::collections::HashSet<ExprId> = first.iter().copied().collect();
        assert_eq!(distinct.len(), first.len());
    }

    #[test]
    fn like_terms_merge_and_ids_are_shared() {
        let mut s = Store::new();
        let x = s.var("x");
        let a = s.add(&[x, x]);
        let two = s.int(2);
        let b = s.mul(&[two, x]);
        assert_eq!(a, b);
        assert_eq!(s.add(&[x, x]), a);
        let m = s.neg(x);
        assert_eq!(s.add(&[x, m]), s.int(0));
    }

    #[test]
    fn a_product_but_one_factor_is_what_mul_gives() {
        // every factor of several products left out in turn, times numbers
        // of every kind: the shortcut of the product rule against the
        // constructor on the whole list
        let mut s = Store::new();
        let mut products = Vec::new();
        for text in [
            "x*y*z",
            "3*x*y",
            "x*(y + 1)*(z - 2)",
            "x^2*x^(-1)*y",
            "sin(x)*cos(y)*exp(z)*x",
            "(x + 1)*y",
        ] {
            products.push(crate::parse::parse_expr(&mut s, text, &Default::default()).unwrap());
        }
        let nan = s.nan();
        let bys = [
            s.int(1),
            s.int(-1),
            s.int(2),
            s.frac(1, 3),
            s.float(2.5),
            s.int(0),
            nan,
        ];
        for &p in &products {
            let n = s.node(p).children().len();
            for i in 0..n {
                for &by in &bys {
                    let mut all: Vec<ExprId> = s.node(p).children().to_vec();
                    all.remove(i);
                    all.push(by);
                    let want = s.mul(&all);
                    assert_eq!(
                        s.mul_all_but(p, i, by),
                        want,
                        "{} but {i}",
                        crate::print::infix(&s, p)
                    );
                }
            }
        }
    }

    /// `8^-888`: exact, and 0 once a float multiplies it.
    fn tiny(s: &mut Store) -> ExprId {
        let den = num_bigint::BigInt::from(8).pow(888);
        s.rational(BigRational::new(1.into(), den))
    }

    #[test]
    fn a_scaled_sum_is_the_sum_of_the_products() {
        // every pair of parts, each a number times an expression (sums,
        // products, numbers, floats, coefficients past a float's range,
        // terms that cancel): the sum without the products built, against
        // the constructors on the products
        let mut s = Store::new();
        let mut ns: Vec<ExprId> = [
            "x - 1",
            "2*x + 3*y - 4",
            "x^2 - x*y/3 + 0.5",
            "1e300*x + y",
            "-x",
            "3*x*y",
            "sin(x)",
            "1 - x",
            "2.5",
            "2.0*x + 7*y",
        ]
        .iter()
        .map(|t| crate::parse::parse_expr(&mut s, t, &Default::default()).unwrap())
        .collect();
        // sums with a term whose numbers are left apart (found by fuzzing:
        // a huge exact number times 0.0 is not folded)
        let (x, y) = (s.var("x"), s.var("y"));
        let big = s.float(1e300);
        let huge = {
            let n = num_bigint::BigInt::from(2).pow(3000);
            s.rational(BigRational::from_integer(n))
        };
        let zero = s.float(0.0);
        for apart in [s.mul(&[big, big, x]), s.mul(&[huge, zero, x])] {
            let sum = s.add(&[apart, y]);
            ns.push(sum);
        }
        let ks = [
            ExprId::NONE,
            s.int(2),
            s.int(-1),
            s.frac(1, 3),
            s.float(2.5),
            s.float(1e300),
            s.nan(),
            // times a float coefficient, underflows to 0 (found by fuzzing)
            tiny(&mut s),
        ];
        for &a in &ns {
            for &b in &ns {
                for &ka in &ks {
                    for &kb in &ks {
                        let parts = [(ka, a), (kb, b)];
                        let built: Vec<ExprId> = parts
                            .iter()
                            .map(|&(k, n)| if k == ExprId::NONE { n } else { s.mul(&[k, n]) })
                            .collect();
                        let want = s.add(&built);
                        assert_eq!(
                            s.add_scaled(&parts),
                            want,
                            "{:?}",
                            built
                                .iter()
                                .map(|&t| crate::print::infix(&s, t))
                                .collect::<Vec<_>>()
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn a_scaled_node_is_the_product() {
        // Store::scale against the constructor on [k, n]
        let mut s = Store::new();
        let ns: Vec<ExprId> = [
            "3*x*y",
            "x*y",
            "-x",
            "sin(x)",
            "x^2",
            "x*(y + 1)",
            "2.5*x",
            "1e300*x",
            "x - 1",
            "7",
            "2.0*x",
        ]
        .iter()
        .map(|t| crate::parse::parse_expr(&mut s, t, &Default::default()).unwrap())
        .collect();
        let big = s.float(1e300);
        let x = s.var("x");
        // numbers left apart: 1e300*1e300 overflows a float
        let apart = s.mul(&[big, big, x]);
        let nan = s.nan();
        let ks = [
            s.int(2),
            s.int(-1),
            s.frac(1, 3),
            s.frac(-1, 3),
            s.float(2.5),
            big,
            s.int(0),
            nan,
            tiny(&mut s),
        ];
        for &n in ns.iter().chain([&apart]) {
            for &k in &ks {
                let want = s.mul(&[k, n]);
                assert_eq!(
                    s.scale(k, n),
                    want,
                    "{} * {}",
                    crate::print::infix(&s, k),
                    crate::print::infix(&s, n)
                );
            }
        }
    }

    #[test]
    fn like_terms_merge_past_the_linear_search() {
        // 40 terms over 20 rests: past SMALL_SEARCH distinct rests the
        // like terms are found through a hash map; each rest v_j comes
        // twice, as (j+1)*v_j and (j+21)*v_j, and also once cancelled
        let mut s = Store::new();
        let vs: Vec<ExprId> = (0..20).map(|j| s.var(&format!("v{j}"))).collect();
        let mut terms = Vec::new();
        for k in 0..40i64 {
            let c = s.int(k + 1);
            terms.push(s.mul(&[c, vs[(k % 20) as usize]]));
        }
        let m = s.neg(vs[19]);
        terms.push(m);
        let one = s.int(1);
        terms.push(one);
        let sum = s.add(&terms);
        // by hand: 2j + 22 for j < 19, and 2*19 + 22 - 1 = 59 for v19; the
        // constant is printed last
        let mut want: Vec<String> = (0..20)
            .map(|j| format!("{}*v{j}", if j == 19 { 59 } else { 2 * j + 22 }))
            .collect();
        want.push("1".into());
        let want = want.join(" + ");
        assert_eq!(crate::print::infix(&s, sum), want);
        // the same sum in another order is the same node
        terms.reverse();
        assert_eq!(s.add(&terms), sum);
    }

    #[test]
    fn a_number_has_one_id_however_it_is_built() {
        let mut s = Store::new();
        // small integers come from the table, others from the index; both
        // must agree with the node a rational or a float reaches
        for k in [-300i64, -256, -1, 0, 1, 2, 255, 256, 257, 1 << 40] {
            let a = s.int(k);
            let b = s.number(Number::frac(2 * k, 2));
            let c = s.rational(BigRational::from_integer(k.into()));
            assert_eq!((a, b), (c, c), "{k}");
            assert_eq!(s.as_num(a).and_then(Number::as_i64), Some(k));
            assert_ne!(s.float(k as f64), a, "a float is not the exact integer");
        }
        assert_ne!(s.int(3), s.frac(3, 2));
    }

    #[test]
    fn exact_constants_fold() {
        let mut s = Store::new();
        let (h, t) = (s.frac(1, 2), s.frac(1, 3));
        assert_eq!(s.add(&[h, t]), s.frac(5, 6));
        let eight = s.int(8);
        let r8 = s.sqrt(eight);
        let two = s.int(2);
        let r2 = s.sqrt(two);
        assert_eq!(r8, s.mul(&[two, r2]));
        let zero = s.int(0);
        assert_eq!(s.call1(Func::Exp, zero), s.int(1));
        assert_eq!(s.mul(&[r2, r2]), two);
    }

    #[test]
    fn domain_changing_rewrites_are_not_applied() {
        let mut s = Store::new();
        let x = s.var("x");
        let r = s.recip(x);
        let q = s.mul(&[x, r]);
        assert!(matches!(s.node(q), Node::Mul(_)));
        let sq = s.powi(x, 2);
        let root = s.sqrt(sq);
        assert!(matches!(s.node(root), Node::Pow(_)));
        let rx = s.sqrt(x);
        let back = s.powi(rx, 2);
        assert_ne!(back, x);
        // x * x^2 = x^3 and x^-1 * x^-2 = x^-3 keep the domain
        assert_eq!(s.mul(&[x, sq]), s.powi(x, 3));
    }

    #[test]
    fn coefficients_distribute_over_a_single_sum() {
        let mut s = Store::new();
        let (x, y) = (s.var("x"), s.var("y"));
        let d = s.sub(x, y);
        let e = s.sub(x, d);
        assert_eq!(e, y);
    }

    #[test]
    fn special_angles() {
        let mut s = Store::new();
        let pi = s.constant(Constant::Pi);
        let third = s.frac(1, 3);
        let a = s.mul(&[third, pi]);
        assert_eq!(s.call1(Func::Cos, a), s.frac(1, 2));
    }
}

//! Smart constructors for powers: exact folding of numeric powers and
//! roots (`sqrt(8) = 2*sqrt(2)`, `(1/2)^(1/2) = sqrt(2)/2`), `e^x = exp(x)`,
//! powers of powers and of products where that keeps the domain. A power
//! of the undefined constant is undefined, and so are `u^0` and `1^u` for
//! a singular `u` (see [`Store::is_singular`]).

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Signed, Zero};

use smallvec::SmallVec;

use super::build::{Domain, overflows};
use super::number::split_power;
use super::{Constant, ExprId, Func, Node, Number, Store};

impl Store {
    /// A power.
    pub fn pow(&mut self, b: ExprId, e: ExprId) -> ExprId {
        if self.overflow.is_some() {
            // the result is discarded: stay cheap
            return self.zero();
        }
        if self.is_nan(b) || self.is_nan(e) {
            return self.nan();
        }
        if let Node::Num(n) = self.node(e) {
            if n.is_zero() && n.is_exact() {
                // u^0 = 1 only where u is defined
                return if self.is_singular(b) {
                    self.nan()
                } else {
                    self.int(1)
                };
            }
            if n.is_one() {
                return b;
            }
        }
        match self.node(b) {
            Node::Num(n) if n.is_one() => {
                return if self.is_singular(e) { self.nan() } else { b };
            }
            Node::Const(Constant::E) => return self.call1(Func::Exp, e),
            _ => {}
        }
        if let (Node::Num(nb), Node::Num(ne)) = (self.node(b), self.node(e)) {
            let (nb, ne) = (nb.clone(), ne.clone());
            if let Some(v) = self.fold_pow(&nb, &ne) {
                return v;
            }
        }
        if let Some(v) = self.pow_rewrite(b, e) {
            return v;
        }
        // an integer power of a sum takes its content out: (2*x + 2)^-1 = 1/2*(x + 1)^-1
        if self.as_num(e).is_some_and(Number::is_integer)
            && let Some((c, primitive)) = self.content_coeff(b)
        {
            let c = self.coeff_node(&c);
            let pc = self.pow(c, e);
            let pp = self.pow(primitive, e);
            return self.mul(&[pc, pp]);
        }
        self.intern(Node::Pow(&[b, e]))
    }

    /// Rewrites of `b^e` by the shape of `b`.
    fn pow_rewrite(&mut self, b: ExprId, e: ExprId) -> Option<ExprId> {
        let ne = self.as_num(e).cloned();
        match self.node(b) {
            Node::Pow(&[b2, e2]) => {
                if self.is_positive(b2) {
                    let x = self.mul(&[e2, e]);
                    return Some(self.pow(b2, x));
                }
                let (n2, n) = (self.as_num(e2)?.clone(), ne?);
                if !n.is_integer() {
                    return None;
                }
                let composite = if n.is_negative() {
                    Domain::of(&n2.abs().neg())
                } else {
                    Domain::of(&n2)
                };
                let prod = n2.mul(&n);
                if overflows(&prod) {
                    return None;
                }
                let prod = self.bounded(prod);
                (Domain::of(&prod) == composite).then(|| {
                    let p = self.number(prod);
                    self.pow(b2, p)
                })
            }
            Node::Mul(xs) => {
                let xs: SmallVec<[ExprId; 8]> = SmallVec::from_slice(xs);
                // a float exponent is applied to the product as a whole:
                // splitting can overflow one factor and underflow another
                let n = ne.filter(Number::is_exact)?;
                if n.is_integer() {
                    let parts: SmallVec<[ExprId; 8]> = xs.iter().map(|&x| self.pow(x, e)).collect();
                    return Some(self.mul(&parts));
                }
                let c = self.as_num(xs[0])?.clone();
                if c.is_negative() {
                    return None;
                }
                let rest = if xs.len() == 2 {
                    xs[1]
                } else {
                    self.intern_mul(&xs[1..])
                };
                let cn = self.number(c);
                let pc = self.pow(cn, e);
                let pr = self.pow(rest, e);
                Some(self.mul(&[pc, pr]))
            }
            Node::Call(Func::Exp, a) => {
                let a = a[0];
                let x = self.mul(&[a, e]);
                Some(self.call1(Func::Exp, x))
            }
            _ => None,
        }
    }

    /// Folds `b^e` for numbers, exactly where both are exact.
    fn fold_pow(&mut self, b: &Number, e: &Number) -> Option<ExprId> {
        if !b.is_exact() || !e.is_exact() {
            let v = b.to_f64().powf(e.to_f64());
            return v.is_finite().then(|| self.float(v));
        }
        let (br, er) = (b.as_rational()?.clone(), e.as_rational()?.clone());
        if er.is_integer() {
            let v = b.pow_int_within(er.numer(), self.max_exact_bits())?;
            return Some(self.number(v));
        }
        if br.is_zero() {
            return er.is_positive().then(|| self.int(0));
        }
        if br.is_negative() {
            return None;
        }
        let q = u32::try_from(er.denom().clone()).ok()?;
        let max = self.max_exact_bits();
        let (cn, ln) = root_parts(br.numer(), &er, q, max)?;
        let (cd, ld) = root_parts(br.denom(), &(-er.clone()), q, max)?;
        let coeff = self.rational(cn * cd);
        let mut factors = vec![coeff];
        match (ln, ld) {
            (Some((bn, fnum)), Some((bd, fden))) if fnum == fden => {
                let base = self.rational(BigRational::from_integer(bn * bd));
                let f = self.rational(fnum);
                factors.push(self.intern(Node::Pow(&[base, f])));
            }
            (a, b) => {
                for (base, f) in [a, b].into_iter().flatten() {
                    let base = self.rational(BigRational::from_integer(base));
                    let f = self.rational(f);
                    factors.push(self.intern(Node::Pow(&[base, f])));
                }
            }
        }
        Some(self.mul(&factors))
    }
}

/// `m^e = c * base^f` with an exact `c` and `f` in (0, 1): the coefficient
/// and the leftover root (`None` when there is none). `None` overall when
/// the exact coefficient would be too large.
#[allow(clippy::type_complexity)]
fn root_parts(
    m: &BigInt,
    e: &BigRational,
    q: u32,
    max_bits: u64,
) -> Option<(BigRational, Option<(BigInt, BigRational)>)> {
    if m.is_one() {
        return Some((BigRational::one(), None));
    }
    let k = e.floor();
    let f = e - &k;
    let mk = Number::Rational(BigRational::from_integer(m.clone()))
        .pow_int_within(k.numer(), max_bits)?;
    let mut c = mk.as_rational()?.clone();
    let (a, rest) = split_power(m, q);
    let r = f.numer().clone();
    if !a.is_one() {
        let ar = Number::Rational(BigRational::from_integer(a)).pow_int_within(&r, max_bits)?;
        c *= ar.as_rational()?;
    }
    let left = (!rest.is_one()).then_some((rest, f));
    Some((c, left))
}

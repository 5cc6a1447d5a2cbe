//! Products: the coefficient and the factors sorted into numerator and
//! denominator, and where a product's minus sign goes.

use num_traits::One;

use super::{Child, Layout, Prec, Shape, Sub, number};
use crate::expr::split::{coefficient, split_coefficient};
use num_traits::Signed;

use crate::expr::{ExprId, Node, Number};

/// A product's factor before the layout turns it into a [`Child`].
enum Factor {
    Expr(ExprId),
    NegSum(ExprId),
    NegPow(ExprId, Number),
    Pow(ExprId, Number),
    Num(Number),
}

impl Layout<'_> {
    /// The term `of` as a product: its coefficient (negated with `negate`)
    /// times its other factors.
    pub(super) fn product(&self, of: ExprId, negate: bool) -> Shape {
        let (c, fs) = split_coefficient(self.store, &of);
        if fs.is_empty() {
            let c = c.cloned().unwrap_or(Number::int(1));
            return number(if negate { c.neg() } else { c });
        }
        let mut flip = None;
        if c.is_some_and(Number::is_negative) != negate {
            flip = self.flippable_sum(fs);
            if flip.is_none() {
                return Shape::Neg(Child::plain(Sub::Term(of, !negate)));
            }
        }
        let (num, mut den) = self.split_fraction(c, fs, flip);
        let divisor = if self.style.split_float_divisor {
            self.float_divisor(&mut den)
        } else {
            None
        };
        let stacked = self.style.stacked_fractions;
        let num_min = if stacked && !den.is_empty() && num.len() == 1 {
            Prec::Sum
        } else {
            Prec::Product
        };
        let den_min = match (stacked, den.len()) {
            (true, 1) => Prec::Sum,
            (false, 1) => Prec::Power,
            _ => Prec::Product,
        };
        Shape::Product {
            den_group: !stacked && den.len() > 1,
            num: num.into_iter().map(|f| self.factor(f, num_min)).collect(),
            den: den.into_iter().map(|f| self.factor(f, den_min)).collect(),
            divisor: divisor.map(|q| Child::plain(Sub::Num(q))),
        }
    }

    /// Sorts the magnitude of the coefficient (`None` for one) and the
    /// factors into numerator and denominator; `flip` is the factor the
    /// minus sign moves into.
    fn split_fraction(
        &self,
        c: Option<&Number>,
        fs: &[ExprId],
        flip: Option<ExprId>,
    ) -> (Vec<Factor>, Vec<Factor>) {
        let mut num: Vec<Factor> = Vec::new();
        let mut den: Vec<Factor> = Vec::new();
        let mut zero_den = false;
        match c {
            None => {}
            Some(Number::Rational(r)) => {
                if !r.numer().magnitude().is_one() {
                    num.push(Factor::Num(Number::Rational(r.numer().abs().into())));
                }
                if !r.is_integer() {
                    den.push(Factor::Num(Number::Rational(r.denom().clone().into())));
                }
            }
            Some(c @ Number::Float(_)) => num.push(Factor::Num(c.abs())),
        }
        for &f in fs {
            let exponent = match self.store.node(f) {
                Node::Pow([b, e]) => Some((*b, self.store.as_num(*e))),
                _ => None,
            };
            match exponent {
                Some((b, e)) if Some(f) == flip => {
                    let e = e.cloned().unwrap_or(Number::int(1));
                    if e.is_negative() {
                        den.push(Factor::NegPow(b, e.neg()));
                    } else {
                        num.push(Factor::NegPow(b, e));
                    }
                }
                _ if Some(f) == flip => num.push(Factor::NegSum(f)),
                Some((b, Some(e))) if e.is_negative() && !self.keeps_negative_exponent(b) => {
                    den.push(Factor::Pow(b, e.neg()));
                }
                // `x/0`, but only as the whole denominator: `1/(0*x)` or
                // `x/(2*0)` would read back as `1/0`
                Some((b, Some(e))) if self.is_reciprocal_zero(b, e) && !zero_den => {
                    zero_den = true;
                }
                _ => num.push(Factor::Expr(f)),
            }
        }
        if zero_den {
            if den.is_empty() {
                den.push(Factor::Num(Number::int(0)));
            } else if let Some(&f) = fs.iter().find(|&&f| self.reciprocal_zero(f)) {
                num.push(Factor::Expr(f));
            }
        }
        (num, den)
    }

    /// A factor in a slot that requires `min`.
    fn factor(&self, f: Factor, min: Prec) -> Child {
        let group = |sub| Child { sub, group: true };
        match f {
            Factor::Expr(id) => self.operand(Sub::Expr(id), min),
            Factor::NegSum(id) => group(Sub::Negated(id)),
            Factor::NegPow(b, e) if e.is_one() => group(Sub::Negated(b)),
            Factor::NegPow(b, e) => Child::plain(Sub::NegatedPower(b, e)),
            Factor::Num(n) => Child::plain(Sub::Num(n)),
            Factor::Pow(b, e) if e.is_one() => self.operand(Sub::Expr(b), min),
            Factor::Pow(b, e) => Child::plain(Sub::Power(b, e)),
        }
    }

    /// Takes the number out of a denominator that also holds a sum with a
    /// float coefficient.
    fn float_divisor(&self, den: &mut Vec<Factor>) -> Option<Number> {
        let float_sum = |b: ExprId| match self.store.node(b) {
            Node::Add(xs) => xs
                .iter()
                .any(|&t| coefficient(self.store, t).is_some_and(|c| !c.is_exact())),
            _ => false,
        };
        let has = den
            .iter()
            .any(|f| matches!(f, Factor::Pow(b, _) | Factor::NegPow(b, _) if float_sum(*b)));
        if !has || den.len() < 2 {
            return None;
        }
        let k = den.iter().position(|f| matches!(f, Factor::Num(_)))?;
        match den.remove(k) {
            Factor::Num(q) => Some(q),
            _ => unreachable!("position found a number"),
        }
    }

    /// The first factor among `fs` that is a sum, or an odd integer power
    /// of a sum, with a negative term: a product's minus moves into it, and
    /// the whole is one operation shorter (`2*q*(a - p - q)` for
    /// `-2*q*(p - a + q)`, as SymPy prints it). Always `None` unless the
    /// style flips signs.
    pub(super) fn flippable_sum(&self, fs: &[ExprId]) -> Option<ExprId> {
        if !self.style.flip_signs {
            return None;
        }
        let base = |f: ExprId| match self.store.node(f) {
            Node::Add(_) => Some(f),
            Node::Pow([b, e])
                if matches!(self.store.node(*b), Node::Add(_))
                    && self
                        .store
                        .as_num(*e)
                        .and_then(Number::as_i64)
                        .is_some_and(|k| k % 2 != 0) =>
            {
                Some(*b)
            }
            _ => None,
        };
        let flippable = |f: &ExprId| {
            base(*f).is_some_and(|sum| {
                self.store
                    .operands(sum)
                    .iter()
                    .any(|&t| coefficient(self.store, t).is_some_and(Number::is_negative))
            })
        };
        // a sum itself before a power of one: `(x - 1)^3` keeps its form
        // where it can
        let plain = |f: &ExprId| matches!(self.store.node(*f), Node::Add(_));
        fs.iter()
            .copied()
            .find(|f| plain(f) && flippable(f))
            .or_else(|| fs.iter().copied().find(flippable))
    }
}

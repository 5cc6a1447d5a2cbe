//! The infix printer: deriv's own syntax, with minimal parentheses.
//!
//! Output parses back to the same expression (round trip). Sums print
//! `a + (-1)*b` as `a - b`, products split into numerator and denominator
//! (`3*x/(2*y)`), `x^(1/2)` prints as `sqrt(x)` and negative powers as
//! quotients.

use std::fmt::Write;

use num_traits::{One, Signed};

use crate::expr::{ExprId, Node, Number, Store, format_float};

/// Binding strength of what was printed, for parenthesization.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Prec {
    Sum,
    Product,
    Power,
    Atom,
}

/// Prints an expression in deriv's syntax.
pub fn infix(store: &Store, id: ExprId) -> String {
    let mut p = Infix {
        store,
        out: String::new(),
    };
    p.expr(id);
    p.out
}

struct Infix<'a> {
    store: &'a Store,
    out: String,
}

/// One factor of a product as printed: `base^exponent` with the exponent's
/// sign made positive for the denominator.
enum Factor {
    Expr(ExprId),
    /// A sum printed with every sign flipped (the product's minus moved in).
    NegSum(ExprId),
    /// `(-sum)^n` for an odd `n`, the minus moved in likewise.
    NegPow(ExprId, Number),
    Pow(ExprId, Number),
    Num(Number),
}

impl Infix<'_> {
    fn expr(&mut self, id: ExprId) -> Prec {
        match self.store.node(id) {
            Node::Num(n) => self.number(n),
            Node::Const(c) => {
                self.out.push_str(c.name());
                Prec::Atom
            }
            Node::Var(s) => {
                self.out.push_str(self.store.name(*s));
                Prec::Atom
            }
            Node::Call(f, args) => {
                self.out.push_str(f.name());
                self.out.push('(');
                for (i, a) in args.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    self.expr(*a);
                }
                self.out.push(')');
                Prec::Atom
            }
            Node::Add(xs) => {
                self.sum(xs, false);
                Prec::Sum
            }
            Node::Mul(_) => {
                let (c, fs) = split_product(self.store, id);
                self.product(&c, fs)
            }
            Node::Pow([b, e]) => self.power(*b, *e),
        }
    }

    fn number(&mut self, n: &Number) -> Prec {
        match n {
            Number::Rational(r) => {
                let _ = write!(self.out, "{r}");
                if r.numer() < &0.into() {
                    Prec::Sum
                } else if r.is_integer() {
                    Prec::Atom
                } else {
                    Prec::Product
                }
            }
            Number::Float(f) => {
                self.out.push_str(&format_float(*f));
                if *f < 0.0 { Prec::Sum } else { Prec::Atom }
            }
        }
    }

    /// Prints `id` with parentheses when it binds less tightly than `min`.
    fn operand(&mut self, id: ExprId, min: Prec) {
        if self.prec(id) < min {
            self.out.push('(');
            self.expr(id);
            self.out.push(')');
        } else {
            self.expr(id);
        }
    }

    /// The precedence `expr(id)` would report, without printing.
    fn prec(&self, id: ExprId) -> Prec {
        match self.store.node(id) {
            Node::Num(Number::Rational(r)) if r.numer() < &0.into() => Prec::Sum,
            Node::Num(Number::Rational(r)) if !r.is_integer() => Prec::Product,
            Node::Num(Number::Float(f)) if *f < 0.0 => Prec::Sum,
            Node::Num(_) | Node::Const(_) | Node::Var(_) | Node::Call(..) => Prec::Atom,
            Node::Add(_) => Prec::Sum,
            Node::Mul(xs) => match self.store.as_num(xs[0]) {
                Some(c) if c.is_negative() => Prec::Sum,
                _ => Prec::Product,
            },
            Node::Pow([_, e]) => match self.store.as_num(*e) {
                Some(n) if n.is_negative() => Prec::Product,
                Some(n) if is_half(n) => Prec::Atom,
                _ => Prec::Power,
            },
        }
    }

    /// Prints a sum; with `negate`, the sum of the negated terms.
    fn sum(&mut self, xs: &[ExprId], negate: bool) {
        // the constant term goes last, as in `x^2 - 4`
        let (num, rest) = match self.store.node(xs[0]) {
            Node::Num(_) => (Some(xs[0]), &xs[1..]),
            _ => (None, xs),
        };
        // ... and a positive term leads rather than a minus: `1 - x`, `t - pi/3`
        let mut ordered: Vec<ExprId> = rest.iter().chain(num.iter()).copied().collect();
        let negative = |t: ExprId| {
            let (c, fs) = split_product(self.store, t);
            c.is_negative() != negate && self.flippable_sum(fs).is_none()
        };
        if negative(ordered[0])
            && let Some(k) = ordered.iter().position(|&t| !negative(t))
        {
            let lead = ordered.remove(k);
            ordered.insert(0, lead);
        }
        for (i, &t) in ordered.iter().enumerate() {
            let (c, fs) = split_product(self.store, t);
            let c = if negate { c.neg() } else { c };
            if i == 0 {
                self.product(&c, fs);
            } else if c.is_negative() && self.flippable_sum(fs).is_none() {
                self.out.push_str(" - ");
                self.product(&c.neg(), fs);
            } else {
                self.out.push_str(" + ");
                self.product(&c, fs);
            }
        }
    }

    /// Prints `c * f1 * f2 * ...` as `[-]numerator[/denominator]`.
    fn product(&mut self, c: &Number, fs: &[ExprId]) -> Prec {
        if fs.is_empty() {
            return self.number(c);
        }
        let mut negative = c.is_negative();
        // `-s*(s - 1)` reads better as `s*(1 - s)`: move the minus into the
        // one sum when that does not add negative terms
        let flip = if negative {
            self.flippable_sum(fs)
        } else {
            None
        };
        if flip.is_some() {
            negative = false;
        }
        let c = c.abs();
        let mut num: Vec<Factor> = Vec::new();
        let mut den: Vec<Factor> = Vec::new();
        match &c {
            Number::Rational(r) => {
                if !r.numer().abs().is_one() {
                    num.push(Factor::Num(Number::Rational(r.numer().clone().into())));
                }
                if !r.is_integer() {
                    den.push(Factor::Num(Number::Rational(r.denom().clone().into())));
                }
            }
            Number::Float(_) => num.push(Factor::Num(c.clone())),
        }
        for &f in fs {
            match self.store.node(f) {
                Node::Pow([b, e]) if Some(f) == flip => {
                    let e = self.store.as_num(*e).cloned().unwrap_or(Number::int(1));
                    if e.is_negative() {
                        den.push(Factor::NegPow(*b, e.neg()));
                    } else {
                        num.push(Factor::NegPow(*b, e));
                    }
                }
                _ if Some(f) == flip => num.push(Factor::NegSum(f)),
                Node::Pow([b, e])
                    if self.store.as_num(*e).is_some_and(Number::is_negative)
                        && !self.keeps_negative_exponent(*b) =>
                {
                    let e = self
                        .store
                        .as_num(*e)
                        .map(Number::neg)
                        .unwrap_or(Number::int(1));
                    den.push(Factor::Pow(*b, e));
                }
                _ => num.push(Factor::Expr(f)),
            }
        }
        if negative {
            self.out.push('-');
        }
        let single = num.len() <= 1 && den.is_empty();
        if num.is_empty() {
            self.out.push('1');
        }
        self.factors(&num);
        // `x/(2*(y - 0.5))` would parse back as `x/(2*y - 1.0)`: a float sum
        // keeps its number apart, `x/(y - 0.5)/2`
        let trailing = self.split_float_denominator(&mut den);
        if !den.is_empty() {
            self.out.push('/');
            if den.len() > 1 {
                self.out.push('(');
                self.factors(&den);
                self.out.push(')');
            } else {
                self.factor(&den[0], Prec::Power);
            }
        }
        if let Some(q) = trailing {
            self.out.push('/');
            self.number(&q);
        }
        match (negative, single, num.first()) {
            (true, _, _) => Prec::Sum,
            (false, true, Some(Factor::Expr(id))) => self.prec(*id),
            _ => Prec::Product,
        }
    }

    /// Takes the number out of a denominator that also holds a sum with a
    /// float coefficient.
    fn split_float_denominator(&self, den: &mut Vec<Factor>) -> Option<Number> {
        let float_sum = |b: &ExprId| matches!(self.store.node(*b), Node::Add(xs) if xs.iter().any(|&t| !split_product(self.store, t).0.is_exact()));
        let has = den
            .iter()
            .any(|f| matches!(f, Factor::Pow(b, _) | Factor::NegPow(b, _) if float_sum(b)));
        let k = den.iter().position(|f| matches!(f, Factor::Num(_)))?;
        if !has || den.len() < 2 {
            return None;
        }
        match den.remove(k) {
            Factor::Num(q) => Some(q),
            other => {
                den.insert(k, other);
                None
            }
        }
    }

    fn factors(&mut self, fs: &[Factor]) {
        for (i, f) in fs.iter().enumerate() {
            if i > 0 {
                self.out.push('*');
            }
            self.factor(f, Prec::Product);
        }
    }

    /// Prints one factor, in parentheses if it binds less than `min`
    /// (a denominator of one factor needs `Power`: `x/(2*y)`, `x/y^2`).
    fn factor(&mut self, f: &Factor, min: Prec) {
        match f {
            Factor::Expr(id) => self.operand(*id, min),
            Factor::NegSum(id) => {
                self.out.push('(');
                self.sum(self.store.node(*id).children(), true);
                self.out.push(')');
            }
            Factor::NegPow(b, e) => {
                self.out.push('(');
                self.sum(self.store.node(*b).children(), true);
                self.out.push(')');
                if !e.is_one() {
                    self.out.push('^');
                    self.number(e);
                }
            }
            Factor::Num(n) => {
                self.number(n);
            }
            Factor::Pow(b, e) if e.is_one() => self.operand(*b, min),
            Factor::Pow(b, e) => {
                self.power_parts(*b, e);
            }
        }
    }

    /// The one factor among `fs` that is a sum, or an odd integer power of a
    /// sum, whose negation has no more negative terms: a product's minus can
    /// move into it.
    fn flippable_sum(&self, fs: &[ExprId]) -> Option<ExprId> {
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
        let candidates: Vec<(ExprId, ExprId)> =
            fs.iter().filter_map(|&f| base(f).map(|b| (f, b))).collect();
        let [(f, sum)] = candidates[..] else {
            return None;
        };
        let terms = self.store.node(sum).children();
        let neg = terms
            .iter()
            .filter(|&&t| split_product(self.store, t).0.is_negative())
            .count();
        (terms.len() - neg <= neg).then_some(f)
    }

    /// A negative power whose base is a number or a power with a numeric
    /// exponent prints as `b^(-n)`: `1/0^2` or `1/(1/x)^2` would parse back
    /// to something else (`1/x^y` reads back as itself).
    fn keeps_negative_exponent(&self, b: ExprId) -> bool {
        match self.store.node(b) {
            Node::Num(_) => true,
            Node::Pow([_, e]) => self.store.as_num(*e).is_some(),
            _ => false,
        }
    }

    fn power(&mut self, b: ExprId, e: ExprId) -> Prec {
        match self.store.as_num(e) {
            Some(n) if n.is_negative() && self.keeps_negative_exponent(b) => {
                self.operand(b, Prec::Atom);
                self.out.push_str("^(");
                let n = n.clone();
                self.number(&n);
                self.out.push(')');
                Prec::Power
            }
            Some(n) if n.is_negative() => {
                self.out.push_str("1/");
                let pos = n.neg();
                if pos.is_one() {
                    self.operand(b, Prec::Power);
                } else {
                    self.power_parts(b, &pos);
                }
                Prec::Product
            }
            Some(n) => {
                let n = n.clone();
                self.power_parts(b, &n)
            }
            None => {
                self.operand(b, Prec::Atom);
                self.out.push('^');
                self.operand(e, Prec::Atom);
                Prec::Power
            }
        }
    }

    /// `b^n` for a positive number `n` (`sqrt(b)` for one half).
    fn power_parts(&mut self, b: ExprId, n: &Number) -> Prec {
        if is_half(n) {
            self.out.push_str("sqrt(");
            self.expr(b);
            self.out.push(')');
            return Prec::Atom;
        }
        self.operand(b, Prec::Atom);
        self.out.push('^');
        let atomic =
            matches!(n, Number::Rational(r) if r.is_integer()) || matches!(n, Number::Float(_));
        if atomic {
            self.number(n);
        } else {
            self.out.push('(');
            self.number(n);
            self.out.push(')');
        }
        Prec::Power
    }
}

fn is_half(n: &Number) -> bool {
    *n == Number::frac(1, 2)
}

/// Splits a term into its numeric coefficient and its other factors.
fn split_product(store: &Store, id: ExprId) -> (Number, &[ExprId]) {
    match store.node(id) {
        Node::Mul(xs) => match store.as_num(xs[0]) {
            Some(c) => (c.clone(), &xs[1..]),
            None => (Number::int(1), &xs[..]),
        },
        Node::Num(n) => (n.clone(), &[]),
        _ => (Number::int(1), std::slice::from_ref(store.id_ref(id))),
    }
}

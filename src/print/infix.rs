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
                self.sum(xs);
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

    fn sum(&mut self, xs: &[ExprId]) {
        // the constant term goes last, as in `x^2 - 4`
        let (num, rest) = match self.store.node(xs[0]) {
            Node::Num(_) => (Some(xs[0]), &xs[1..]),
            _ => (None, xs),
        };
        // ... and a positive term leads rather than a minus: `1 - x`, `t - pi/3`
        let mut ordered: Vec<ExprId> = rest.iter().chain(num.iter()).copied().collect();
        let negative = |t: ExprId| split_product(self.store, t).0.is_negative();
        if negative(ordered[0])
            && let Some(k) = ordered.iter().position(|&t| !negative(t))
        {
            let lead = ordered.remove(k);
            ordered.insert(0, lead);
        }
        for (i, &t) in ordered.iter().enumerate() {
            let (c, fs) = split_product(self.store, t);
            if i == 0 {
                self.product(&c, fs);
            } else if c.is_negative() {
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
        let negative = c.is_negative();
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
                Node::Pow([b, e])
                    if self.store.as_num(*e).is_some_and(Number::is_negative)
                        && !nested_power(self.store, *b) =>
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
        match (negative, single, num.first()) {
            (true, _, _) => Prec::Sum,
            (false, true, Some(Factor::Expr(id))) => self.prec(*id),
            _ => Prec::Product,
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
            Factor::Num(n) => {
                self.number(n);
            }
            Factor::Pow(b, e) if e.is_one() => self.operand(*b, min),
            Factor::Pow(b, e) => {
                self.power_parts(*b, e);
            }
        }
    }

    fn power(&mut self, b: ExprId, e: ExprId) -> Prec {
        match self.store.as_num(e) {
            Some(n) if n.is_negative() && nested_power(self.store, b) => {
                // `(1/x)^-3`, not `1/(1/x)^3`: that reads back as `x^-3`,
                // then inverted, a different (if equal) expression
                let n = n.clone();
                self.operand(b, Prec::Atom);
                self.out.push('^');
                if matches!(&n, Number::Rational(r) if r.is_integer()) {
                    self.number(&n);
                } else {
                    self.out.push('(');
                    self.number(&n);
                    self.out.push(')');
                }
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

/// True when `b` is itself a power with a numeric exponent: a negative power
/// of it prints with its exponent (`(1/x)^-3`) rather than as a quotient,
/// which would read back as a different (if equal) expression.
fn nested_power(store: &Store, b: ExprId) -> bool {
    matches!(store.node(b), Node::Pow([_, e]) if store.as_num(*e).is_some())
}

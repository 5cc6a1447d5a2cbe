//! The printer core: one pass that decides how an expression is laid out,
//! whatever the notation. Infix and LaTeX only render its result; a code
//! printer (Python, C, Rust) is meant to render the same layout.
//!
//! The canonical form has no subtraction, division or negation (`a - b` is
//! `a + (-1)*b`, `a/b` is `a*b^(-1)`). The layout restores them:
//!
//! - **sums** ([`Shape::Sum`]): terms in canonical order with the number
//!   last (`x^2 - 4`), a positive term leading when there is one (`1 - x`),
//!   each term a sign and a magnitude;
//! - **products** ([`Shape::Product`]): the rational coefficient split into
//!   numerator and denominator, factors with a negative numeric exponent in
//!   the denominator (`3*x/(2*y)`), the sign outside ([`Shape::Neg`]);
//! - **powers** ([`Shape::Power`], [`Shape::Sqrt`]) and **calls**;
//! - **parentheses**: every child is a [`Child`] whose `group` flag says
//!   whether the notation must parenthesize it, decided from the
//!   notation's precedences ([`Style`]).
//!
//! The layout is produced one level at a time: [`Layout::shape`] turns a
//! [`Sub`] (a store node, or a piece of one such as "this term with its
//! coefficient negated") into a [`Shape`] whose children are again
//! [`Sub`]s. A renderer walks it with an explicit stack ([`render`]), so
//! printing never recurses, and a graph as deep as the store allows prints
//! on any thread. A code printer can also look at the [`Sub::Expr`]
//! children to name shared subexpressions once (common subexpressions are
//! the same id).
//!
//! Notations differ in a few decisions, which [`Style`] lists: whether a
//! product's minus sign moves into a sum factor (`s*(1 - s)` rather than
//! `-s*(s - 1)`), whether fractions are stacked (`\frac{a}{b}` needs no
//! parentheses around a lone numerator) and how tightly calls, roots and
//! numbers bind. Everything else is shared.

mod poly;
mod product;
mod render;
#[cfg(test)]
mod tests;

pub use poly::Monomial;
pub use render::{Notation, Printer, Token, join, push_product, push_sum, render};

use crate::expr::split::{coefficient, split_coefficient};
use crate::expr::{Constant, ExprId, Func, Node, Number, Store, Sym};

/// Binding strength of a printed form, for parenthesization: a child is
/// parenthesized when it binds less tightly than its slot requires.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub enum Prec {
    /// A sum, or anything with a leading minus.
    Sum,
    /// A product or quotient.
    Product,
    /// A power.
    Power,
    /// A name, number, call or anything in brackets of its own.
    Atom,
}

/// The decisions in which notations differ. Everything else in the layout
/// is shared.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    /// Move a product's minus sign into its one sum factor when that does
    /// not add minus signs: `s*(1 - s)` for `-s*(s - 1)`.
    pub flip_signs: bool,
    /// Print a negative power of a number or of a numeric power as
    /// `b^(-n)`, not `1/b^n` (which would read back differently).
    pub keep_negative_exponents: bool,
    /// Take the number out of a denominator that holds a sum with a float
    /// coefficient: `x/(y - 0.5)/2`, since `x/(2*(y - 0.5))` would read
    /// back as `x/(2*y - 1.0)`.
    pub split_float_divisor: bool,
    /// Fractions are two-dimensional (`\frac{a}{b}`): a numerator or
    /// denominator of one factor needs no parentheses.
    pub stacked_fractions: bool,
    /// Exponents are raised (`x^{a + b}`) and never need parentheses.
    pub raised_exponents: bool,
    /// How tightly a non-negative number binds (`3/4` is a quotient).
    pub number_prec: fn(&Number) -> Prec,
    /// How tightly a call binds (`e^{x}` is a power in LaTeX).
    pub call_prec: fn(Func) -> Prec,
    /// How tightly a square root binds.
    pub sqrt_prec: Prec,
    /// Whether a factor of a polynomial term is parenthesized (`alone`: it
    /// is the whole term, with coefficient one).
    pub poly_group: fn(&Store, ExprId, bool) -> bool,
}

/// A piece of an expression to lay out: a node of the store, or a node
/// seen differently (negated, with a new coefficient, raised to a power).
#[derive(Clone, Debug, PartialEq)]
pub enum Sub {
    /// A node as it is.
    Expr(ExprId),
    /// A term of a sum as a product: its coefficient, negated with `true`,
    /// times its other factors ([`split_coefficient`]).
    Term(ExprId, bool),
    /// A sum with the sign of every term flipped.
    Negated(ExprId),
    /// A number.
    Num(Number),
    /// `base^n` for a positive number `n`.
    Power(ExprId, Number),
    /// `(-sum)^n`: a power of a negated sum, for an odd integer `n > 1`.
    NegatedPower(ExprId, Number),
    /// A polynomial given to [`Layout::with_monomials`]: its sum.
    Polynomial,
    /// The term of that polynomial at this index.
    Monomial(usize),
}

/// A child of a shape, and whether the notation must parenthesize it.
#[derive(Clone, Debug, PartialEq)]
pub struct Child {
    /// What the child is.
    pub sub: Sub,
    /// Put it in parentheses.
    pub group: bool,
}

impl Child {
    /// A child without parentheses.
    pub fn plain(sub: Sub) -> Child {
        Child { sub, group: false }
    }
}

/// One term of a sum: its sign and its magnitude.
#[derive(Clone, Debug, PartialEq)]
pub struct Term {
    /// Printed with a minus (` - ` between terms, `-` first).
    pub negative: bool,
    /// The magnitude.
    pub child: Child,
}

/// One level of the layout.
#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    /// A non-negative number.
    Num(Number),
    /// A constant.
    Const(Constant),
    /// A variable.
    Var(Sym),
    /// A minus sign before the child.
    Neg(Child),
    /// A sum of signed terms: at least two, or one for a polynomial.
    Sum(Vec<Term>),
    /// `num / den / divisor`: the numerator's factors (empty means `1`),
    /// the denominator's factors (empty means none), and a number divided
    /// last (see [`Style::split_float_divisor`]).
    Product {
        /// Factors of the numerator.
        num: Vec<Child>,
        /// Factors of the denominator.
        den: Vec<Child>,
        /// The denominator has several factors that a linear notation
        /// must parenthesize together (`x/(2*y)`).
        den_group: bool,
        /// A number the whole is divided by afterwards.
        divisor: Option<Child>,
    },
    /// `base^exp`.
    Power {
        /// The base.
        base: Child,
        /// The exponent.
        exp: Child,
    },
    /// The square root of the child.
    Sqrt(Child),
    /// A function applied to its arguments.
    Call(Func, Vec<Child>),
    /// A term of a Taylor polynomial: a non-negative coefficient, the rest
    /// of the coefficient, and powers of the expansion's variables.
    Monomial {
        /// The numeric coefficient.
        coeff: Number,
        /// The other factors of the coefficient, as one expression.
        rest: Option<Child>,
        /// `(base, k)`: `base^k`.
        powers: Vec<(Child, u32)>,
    },
}

/// Lays out expressions of one store in one [`Style`].
pub struct Layout<'a> {
    store: &'a Store,
    style: &'a Style,
    monomials: Vec<Monomial>,
}

impl<'a> Layout<'a> {
    /// A layout of the nodes of `store`.
    pub fn new(store: &'a Store, style: &'a Style) -> Layout<'a> {
        Layout::with_monomials(store, style, Vec::new())
    }

    /// A layout that also knows a polynomial ([`Sub::Polynomial`]), built
    /// by [`Monomial::split_all`].
    pub fn with_monomials(
        store: &'a Store,
        style: &'a Style,
        monomials: Vec<Monomial>,
    ) -> Layout<'a> {
        Layout {
            store,
            style,
            monomials,
        }
    }

    /// The store laid out.
    pub fn store(&self) -> &'a Store {
        self.store
    }

    /// The shape of one piece.
    pub fn shape(&self, sub: Sub) -> Shape {
        match sub {
            Sub::Expr(id) => self.node(id),
            Sub::Term(of, negate) => self.product(of, negate),
            Sub::Negated(id) => self.sum(self.store.operands(id), true),
            Sub::Num(n) => number(n),
            Sub::Power(b, n) => self.power_parts(b, n),
            Sub::NegatedPower(b, n) => Shape::Power {
                base: Child {
                    sub: Sub::Negated(b),
                    group: true,
                },
                exp: self.exponent(Sub::Num(n)),
            },
            Sub::Polynomial => self.polynomial(),
            Sub::Monomial(k) => self.monomial(k),
        }
    }

    /// How tightly the shape of `sub` binds, in this style.
    pub fn prec(&self, sub: &Sub) -> Prec {
        match sub {
            Sub::Expr(id) => self.prec_of(*id),
            Sub::Num(n) => self.number_prec(n),
            Sub::Term(of, negate)
                if coefficient(self.store, *of).is_some_and(Number::is_negative) != *negate =>
            {
                Prec::Sum
            }
            Sub::Term(..) | Sub::Monomial(_) => Prec::Product,
            Sub::Negated(_) | Sub::Polynomial => Prec::Sum,
            Sub::Power(_, n) if is_half(n) => self.style.sqrt_prec,
            Sub::Power(..) | Sub::NegatedPower(..) => Prec::Power,
        }
    }

    fn prec_of(&self, id: ExprId) -> Prec {
        match self.store.node(id) {
            Node::Num(n) => self.number_prec(n),
            Node::Const(_) | Node::Var(_) => Prec::Atom,
            Node::Call(f, _) => (self.style.call_prec)(*f),
            Node::Add(_) => Prec::Sum,
            Node::Mul(_) if coefficient(self.store, id).is_some_and(Number::is_negative) => {
                Prec::Sum
            }
            Node::Mul(_) => Prec::Product,
            Node::Pow([_, e]) => match self.store.as_num(*e) {
                Some(n) if n.is_negative() => Prec::Product,
                Some(n) if is_half(n) => self.style.sqrt_prec,
                _ => Prec::Power,
            },
        }
    }

    fn number_prec(&self, n: &Number) -> Prec {
        if n.is_negative() {
            Prec::Sum
        } else {
            (self.style.number_prec)(n)
        }
    }

    /// `sub`, parenthesized when it binds less tightly than `min`.
    fn operand(&self, sub: Sub, min: Prec) -> Child {
        Child {
            group: self.prec(&sub) < min,
            sub,
        }
    }

    /// An exponent: parenthesized unless exponents are raised or it is
    /// atomic.
    fn exponent(&self, sub: Sub) -> Child {
        if self.style.raised_exponents {
            Child::plain(sub)
        } else {
            self.operand(sub, Prec::Atom)
        }
    }

    fn node(&self, id: ExprId) -> Shape {
        match self.store.node(id) {
            Node::Num(n) => number(n.clone()),
            Node::Const(c) => Shape::Const(*c),
            Node::Var(s) => Shape::Var(*s),
            Node::Call(f, args) => Shape::Call(
                *f,
                args.iter().map(|&a| Child::plain(Sub::Expr(a))).collect(),
            ),
            Node::Add(xs) => self.sum(xs, false),
            Node::Mul(_) => self.product(id, false),
            Node::Pow([b, e]) => self.power(id, *b, *e),
        }
    }

    /// A sum; with `negate`, the sum of the negated terms.
    fn sum(&self, xs: &[ExprId], negate: bool) -> Shape {
        // the constant term goes last, as in `x^2 - 4`
        let (num, rest) = match self.store.node(xs[0]) {
            Node::Num(_) => (Some(xs[0]), &xs[1..]),
            _ => (None, xs),
        };
        let mut ordered: Vec<(ExprId, bool)> = rest
            .iter()
            .chain(num.iter())
            .map(|&t| (t, self.term_negative(t, negate)))
            .collect();
        // ... and a positive term leads rather than a minus: `1 - x`, `t - pi/3`
        if ordered[0].1
            && let Some(k) = ordered.iter().position(|t| !t.1)
        {
            let lead = ordered.remove(k);
            ordered.insert(0, lead);
        }
        let terms = ordered
            .into_iter()
            .map(|(t, negative)| Term {
                negative,
                child: Child::plain(Sub::Term(t, negate != negative)),
            })
            .collect();
        Shape::Sum(terms)
    }

    /// Whether a term (negated with `negate`) prints with a minus: its
    /// coefficient is negative and the minus cannot move into a sum factor.
    fn term_negative(&self, t: ExprId, negate: bool) -> bool {
        let c = coefficient(self.store, t).is_some_and(Number::is_negative);
        if c == negate {
            return false;
        }
        !self.style.flip_signs
            || self
                .flippable_sum(split_coefficient(self.store, &t).1)
                .is_none()
    }

    /// A negative power whose base is a number or a power with a numeric
    /// exponent prints as `b^(-n)` in styles that keep negative exponents:
    /// `1/0^2` or `1/(1/x)^2` would parse back to something else.
    fn keeps_negative_exponent(&self, b: ExprId) -> bool {
        self.style.keep_negative_exponents
            && match self.store.node(b) {
                Node::Num(_) => true,
                Node::Pow([_, e]) => self.store.as_num(*e).is_some(),
                _ => false,
            }
    }

    /// `b^n` is `0^(-1)`, which prints as `1/0` in every style.
    fn is_reciprocal_zero(&self, b: ExprId, n: &Number) -> bool {
        self.store.as_num(b) == Some(&Number::int(0)) && *n == Number::int(-1)
    }

    /// The node `f` is `0^(-1)`.
    fn reciprocal_zero(&self, f: ExprId) -> bool {
        matches!(self.store.node(f), Node::Pow([b, e])
            if self.store.as_num(*e).is_some_and(|n| self.is_reciprocal_zero(*b, n)))
    }

    /// The power `id = b^e`.
    fn power(&self, id: ExprId, b: ExprId, e: ExprId) -> Shape {
        // `0^(-1)`, the value of `1/0` or `tan(pi/2)`, reads as `1/0` (which
        // parses back to it)
        if self
            .store
            .as_num(e)
            .is_some_and(|n| self.is_reciprocal_zero(b, n))
        {
            return Shape::Product {
                num: Vec::new(),
                den: vec![Child::plain(Sub::Num(Number::int(0)))],
                den_group: false,
                divisor: None,
            };
        }
        match self.store.as_num(e) {
            Some(n) if n.is_negative() && self.keeps_negative_exponent(b) => Shape::Power {
                base: self.operand(Sub::Expr(b), Prec::Atom),
                exp: self.exponent(Sub::Num(n.clone())),
            },
            // `1/b^n`, as a quotient
            Some(n) if n.is_negative() => self.product(id, false),
            Some(n) => self.power_parts(b, n.clone()),
            None => Shape::Power {
                base: self.operand(Sub::Expr(b), Prec::Atom),
                exp: self.exponent(Sub::Expr(e)),
            },
        }
    }

    /// `b^n` for a non-negative number `n` (a square root for one half).
    fn power_parts(&self, b: ExprId, n: Number) -> Shape {
        if is_half(&n) {
            return Shape::Sqrt(Child::plain(Sub::Expr(b)));
        }
        Shape::Power {
            base: self.operand(Sub::Expr(b), Prec::Atom),
            exp: self.exponent(Sub::Num(n)),
        }
    }
}

/// A number: a minus sign before its magnitude when negative.
fn number(n: Number) -> Shape {
    if n.is_negative() {
        Shape::Neg(Child::plain(Sub::Num(n.neg())))
    } else {
        Shape::Num(n)
    }
}

fn is_half(n: &Number) -> bool {
    matches!(n, Number::Rational(r) if *r.numer() == 1.into() && *r.denom() == 2.into())
}

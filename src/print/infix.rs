//! The infix printer: deriv's own syntax, with minimal parentheses.
//!
//! Output parses back to the same expression (round trip). It renders the
//! shared [layout](super::layout): sums print `a + (-1)*b` as `a - b`,
//! products split into numerator and denominator (`3*x/(2*y)`), `x^(1/2)`
//! prints as `sqrt(x)` and negative powers as quotients. This style also
//! moves a product's minus into a sum factor (`s*(1 - s)`), keeps `b^(-n)`
//! where `1/b^n` would read back differently, and keeps a number apart from
//! a float sum in a denominator (`x/(y - 0.5)/2`).

use std::fmt::Write;

use num_traits::One;

use super::layout::{
    Layout, Notation, Prec, Printer, Shape, Style, Sub, Token, join, push_product, push_sum, render,
};
use crate::expr::{ExprId, Func, Node, Number, Store};

/// The layout decisions of the infix syntax.
pub static STYLE: Style = Style {
    flip_signs: true,
    keep_negative_exponents: true,
    split_float_divisor: true,
    stacked_fractions: false,
    raised_exponents: false,
    number_prec,
    call_prec,
    sqrt_prec: Prec::Atom,
    poly_group,
};

/// Prints an expression in deriv's syntax.
///
/// ```
/// # use deriv::{expr::Store, print::infix};
/// let mut s = Store::new();
/// let (x, y) = (s.var("x"), s.var("y"));
/// let f = s.sub(x, y);
/// let g = s.div(f, y);
/// assert_eq!(infix(&s, g), "(x - y)/y");
/// ```
pub fn infix(store: &Store, id: ExprId) -> String {
    render(&Infix, &Layout::new(store, &STYLE), Sub::Expr(id))
}

/// Prints each of `ids` in deriv's syntax, as [`infix()`] does; a node that
/// several of them share is laid out once.
///
/// ```
/// # use deriv::{expr::Store, print::infix_all};
/// let mut s = Store::new();
/// let (x, y) = (s.var("x"), s.var("y"));
/// let f = s.sub(x, y);
/// let g = s.mul(&[f, y]);
/// assert_eq!(infix_all(&s, &[f, g]), ["x - y", "y*(x - y)"]);
/// ```
pub fn infix_all(store: &Store, ids: &[ExprId]) -> Vec<String> {
    let mut p = infix_printer(store);
    ids.iter().map(|&id| p.expr(id).to_string()).collect()
}

/// A [`Printer`] of deriv's syntax: [`infix()`] for many results, each
/// shared node laid out once (a large matrix is printed a cell at a time
/// rather than as a string per cell).
///
/// ```
/// # use deriv::{expr::Store, print::infix_printer};
/// let mut s = Store::new();
/// let (x, y) = (s.var("x"), s.var("y"));
/// let f = s.sub(x, y);
/// let g = s.div(y, f);
/// let mut p = infix_printer(&s);
/// assert_eq!(p.expr(f), "x - y");
/// assert_eq!(p.expr(g), "y/(x - y)");
/// ```
pub fn infix_printer(store: &Store) -> Printer<'_, Infix> {
    Printer::new(Infix, Layout::new(store, &STYLE))
}

/// The infix notation, for [`render`].
#[derive(Clone, Copy, Debug, Default)]
pub struct Infix;

impl Notation for Infix {
    fn style(&self) -> &'static Style {
        &STYLE
    }

    fn brackets(&self) -> (&'static str, &'static str) {
        ("(", ")")
    }

    fn number(&self, n: &Number, out: &mut String) {
        let _ = write!(out, "{n}");
    }

    fn expand<'a>(&self, layout: &Layout<'a>, shape: Shape, out: &mut Vec<Token<'a>>) {
        match shape {
            Shape::Num(n) => out.push(Token::Num(n)),
            Shape::Const(c) => out.push(Token::Str(c.name())),
            Shape::Var(s) => out.push(Token::Str(layout.store().name(s))),
            Shape::Neg(c) => out.extend([Token::Str("-"), Token::Child(c)]),
            Shape::Sum(terms) => push_sum(terms, out),
            Shape::Product {
                num,
                den,
                den_group,
                divisor,
            } => push_product((num, den, den_group, divisor), "1", out),
            Shape::Power { base, exp } => {
                out.extend([Token::Child(base), Token::Str("^"), Token::Child(exp)]);
            }
            Shape::Sqrt(c) => out.extend([Token::Str("sqrt("), Token::Child(c), Token::Str(")")]),
            Shape::Call(f, args) => {
                out.extend([Token::Str(f.name()), Token::Str("(")]);
                join(args, ", ", out);
                out.push(Token::Str(")"));
            }
            Shape::Monomial {
                coeff,
                rest,
                powers,
            } => monomial(coeff, rest, powers, out),
        }
    }
}

/// A polynomial term: `numerator*rest*base^k/denominator`.
fn monomial<'a>(
    coeff: Number,
    rest: Option<super::layout::Child>,
    powers: Vec<(super::layout::Child, u32)>,
    out: &mut Vec<Token<'a>>,
) {
    let bare = rest.is_none() && powers.is_empty();
    let mut parts: Vec<Vec<Token<'a>>> = Vec::new();
    let mut den = None;
    match &coeff {
        Number::Rational(r) => {
            if !r.numer().is_one() || bare {
                parts.push(vec![Token::Text(r.numer().to_string())]);
            }
            if !r.is_integer() {
                den = Some(r.denom().to_string());
            }
        }
        Number::Float(_) => parts.push(vec![Token::Text(coeff.to_string())]),
    }
    if let Some(r) = rest {
        parts.push(vec![Token::Child(r)]);
    }
    for (b, k) in powers {
        let mut part = vec![Token::Child(b)];
        if k != 1 {
            part.extend([Token::Str("^"), Token::Text(k.to_string())]);
        }
        parts.push(part);
    }
    if parts.is_empty() {
        out.push(Token::Str("1"));
    }
    for (i, part) in parts.into_iter().enumerate() {
        if i > 0 {
            out.push(Token::Str("*"));
        }
        out.extend(part);
    }
    if let Some(d) = den {
        out.extend([Token::Str("/"), Token::Text(d)]);
    }
}

/// A non-negative number: a fraction binds as a quotient.
fn number_prec(n: &Number) -> Prec {
    match n {
        Number::Rational(r) if !r.is_integer() => Prec::Product,
        _ => Prec::Atom,
    }
}

/// Calls print as `f(x)`: atoms.
fn call_prec(_: Func) -> Prec {
    Prec::Atom
}

/// A factor of a polynomial term is parenthesized unless it is a single
/// atom or prints without `+`, `-` and `/`; the whole term alone is not.
fn poly_group(store: &Store, id: ExprId, alone: bool) -> bool {
    if alone {
        return false;
    }
    match store.node(id) {
        Node::Var(_) | Node::Const(_) | Node::Call(..) => false,
        Node::Num(n) if n.is_integer() && !n.is_negative() => false,
        Node::Pow([_, e]) if store.as_num(*e).is_some_and(|n| *n == Number::frac(1, 2)) => false,
        Node::Mul(_) | Node::Pow(_) => infix(store, id).contains(['+', '-', '/']),
        _ => true,
    }
}

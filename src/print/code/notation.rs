//! The part every language shares: the shared [layout](crate::print::layout)
//! rendered as an expression of the language. Sums, products, quotients and
//! parentheses come from the layout unchanged; the languages differ only in
//! numbers, constants, powers and calls, which [`Language`] answers.

use num_bigint::BigInt;
use rustc_hash::FxHashMap;

use super::Language;
use crate::expr::{Constant, ExprId, Func, Number, Store, Sym};
use crate::print::layout::{
    Child, Layout, Notation, Prec, Shape, Style, Sub, Token, push_product, push_sum, render,
};

/// The layout decisions of the code printers: the infix decisions, except
/// that nothing is read back, so negative exponents become quotients and a
/// float divisor stays in the denominator.
pub static STYLE: Style = Style {
    flip_signs: true,
    keep_negative_exponents: false,
    split_float_divisor: false,
    stacked_fractions: false,
    raised_exponents: false,
    number_prec,
    call_prec,
    sqrt_prec: Prec::Atom,
    poly_group,
};

/// A language's notation with the identifiers of the variables and locals.
pub struct Code<'n> {
    /// The language.
    pub lang: Language,
    /// The identifier of every variable and local.
    pub names: &'n FxHashMap<Sym, String>,
}

impl Code<'_> {
    /// `id` as an expression of the language.
    pub fn expr(&self, store: &Store, id: ExprId) -> String {
        render(self, &Layout::new(store, &STYLE), Sub::Expr(id))
    }
}

impl Notation for Code<'_> {
    fn style(&self) -> &'static Style {
        &STYLE
    }

    fn brackets(&self) -> (&'static str, &'static str) {
        ("(", ")")
    }

    fn number(&self, n: &Number, out: &mut String) {
        out.push_str(&literal(self.lang, n));
    }

    fn expand<'a>(&self, layout: &Layout<'a>, shape: Shape, out: &mut Vec<Token<'a>>) {
        match shape {
            Shape::Num(n) => out.push(Token::Text(literal(self.lang, &n))),
            Shape::Const(c) => out.push(Token::Str(self.lang.constant(c))),
            Shape::Var(s) => out.push(Token::Text(
                self.names
                    .get(&s)
                    .cloned()
                    .unwrap_or_else(|| layout.store().name(s).to_string()),
            )),
            Shape::Neg(c) => out.extend([Token::Str("-"), Token::Child(c)]),
            Shape::Sum(terms) => push_sum(terms, out),
            Shape::Product {
                num,
                den,
                den_group,
                divisor,
            } => push_product((num, den, den_group, divisor), "1.0", out),
            Shape::Power { base, exp } => {
                let int = integer_exponent(layout.store(), &exp.sub);
                self.lang.power(base, exp, int, out);
            }
            Shape::Sqrt(c) => self.lang.call(Callee::Sqrt, vec![c], out),
            Shape::Call(f, args) => self.lang.call(f.into(), args, out),
            Shape::Monomial {
                coeff,
                rest,
                powers,
            } => {
                out.push(Token::Text(literal(self.lang, &coeff)));
                if let Some(r) = rest {
                    out.extend([Token::Str("*"), Token::Child(r)]);
                }
                for (b, k) in powers {
                    out.push(Token::Str("*"));
                    let exp = Child::plain(Sub::Num(Number::int(i64::from(k))));
                    self.lang.power(b, exp, Some(i64::from(k)), out);
                }
            }
        }
    }
}

/// A function as the code printers see it: deriv's functions and the
/// square root (which the canonical form writes as a power).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Callee {
    /// One of deriv's functions.
    F(Func),
    /// The square root.
    Sqrt,
}

impl From<Func> for Callee {
    fn from(f: Func) -> Callee {
        Callee::F(f)
    }
}

/// The exponent as a small integer, when it is one.
fn integer_exponent(store: &Store, sub: &Sub) -> Option<i64> {
    let n = match sub {
        Sub::Num(n) => n,
        Sub::Expr(id) => store.as_num(*id)?,
        _ => return None,
    };
    match n {
        Number::Rational(r) if r.is_integer() => i32::try_from(r.numer()).ok().map(i64::from),
        _ => None,
    }
}

/// A non-negative number as a floating literal: integers as `3.0`, an
/// exact fraction as a division that is correctly rounded in double
/// (`1.0/3.0`, both parts exact), anything else as the nearest double.
pub fn literal(lang: Language, n: &Number) -> String {
    match n {
        Number::Rational(r) if r.is_integer() => integer(lang, r.numer()),
        Number::Rational(r) if exact(r.numer()) && exact(r.denom()) => {
            format!("{}/{}", integer(lang, r.numer()), integer(lang, r.denom()))
        }
        _ => float(lang, n.to_f64()),
    }
}

/// Integers of at most 53 bits are exact doubles.
fn exact(i: &BigInt) -> bool {
    i.bits() <= 53
}

fn integer(lang: Language, i: &BigInt) -> String {
    if exact(i) {
        format!("{i}.0")
    } else {
        float(lang, Number::Rational(i.clone().into()).to_f64())
    }
}

/// A double: the shortest text that reads back to it, or the language's
/// name for infinity and NaN.
pub fn float(lang: Language, f: f64) -> String {
    if f.is_nan() {
        lang.special(false).to_string()
    } else if f.is_infinite() {
        lang.special(true).to_string()
    } else {
        format!("{f:?}")
    }
}

/// A fraction binds as a quotient.
fn number_prec(n: &Number) -> Prec {
    match n {
        Number::Rational(r) if !r.is_integer() => Prec::Product,
        _ => Prec::Atom,
    }
}

fn call_prec(_: Func) -> Prec {
    Prec::Atom
}

/// The code printers print no polynomial layout; a factor would be
/// parenthesized unless it is the whole term.
fn poly_group(_: &Store, _: ExprId, alone: bool) -> bool {
    !alone
}

/// Which constants a language names: `pi` and `e`.
pub fn constants(store: &Store, roots: &[ExprId]) -> Vec<Constant> {
    let mut found = Vec::new();
    for id in store.reachable(roots) {
        if let crate::expr::Node::Const(c) = store.node(id)
            && !found.contains(c)
        {
            found.push(*c);
        }
    }
    found
}

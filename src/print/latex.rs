//! The LaTeX printer: math-mode text for KaTeX and LaTeX documents.
//!
//! Renders the shared [layout](super::layout), as the infix printer does: sums print
//! `a + (-1)*b` as `a - b` with the number last, products split into a
//! numerator and a denominator by negative numeric exponents and print as
//! `\frac{3 x}{2 y}`, `x^(1/2)` prints as `\sqrt{x}`. Factors are
//! juxtaposed (`2 x \sin\left(x\right)`) except before a factor that starts
//! with a digit (`2 \cdot 3^{x}`); groups use `\left( \right)`. Output
//! is deterministic and uses only macros KaTeX supports.

mod names;

use std::fmt::Write;

use super::layout::{
    Child, Layout, Notation, Prec, Printer, Shape, Style, Sub, Token, push_sum, render,
};
use crate::expr::{Constant, ExprId, Func, Node, Number, Store, format_float};

/// The layout decisions of LaTeX: stacked fractions and raised exponents,
/// no sign moved into a sum.
pub static STYLE: Style = Style {
    flip_signs: false,
    keep_negative_exponents: false,
    split_float_divisor: false,
    stacked_fractions: true,
    raised_exponents: true,
    number_prec,
    call_prec,
    sqrt_prec: Prec::Power,
    poly_group,
};

/// Prints an expression as LaTeX math (without `$` delimiters).
///
/// ```
/// use deriv::expr::Store;
/// use deriv::print::latex;
///
/// let mut store = Store::new();
/// let x = store.var("x");
/// let one = store.int(1);
/// let sum = store.add(&[x, one]);
/// let f = store.sqrt(sum);
/// let g = store.div(x, f);
/// assert_eq!(latex(&store, g), r"\frac{x}{\sqrt{x + 1}}");
/// ```
pub fn latex(store: &Store, id: ExprId) -> String {
    render(&Latex, &Layout::new(store, &STYLE), Sub::Expr(id))
}

/// Prints each of `ids` as LaTeX, as [`latex()`] does; a node that several
/// of them share is laid out once.
pub fn latex_all(store: &Store, ids: &[ExprId]) -> Vec<String> {
    let mut p = latex_printer(store);
    ids.iter().map(|&id| p.expr(id).to_string()).collect()
}

/// A [`Printer`] of LaTeX: [`latex()`] for many results, each shared node
/// laid out once.
pub fn latex_printer(store: &Store) -> Printer<'_, Latex> {
    Printer::new(Latex, Layout::new(store, &STYLE))
}

/// A matrix of already printed entries as a `bmatrix` environment:
/// `\begin{bmatrix} a & b \\ c & d \end{bmatrix}`.
///
/// ```
/// use deriv::print::latex::latex_matrix;
///
/// let rows = vec![vec!["a".to_string(), "b".to_string()], vec!["c".to_string(), "d".to_string()]];
/// assert_eq!(latex_matrix(&rows), r"\begin{bmatrix} a & b \\ c & d \end{bmatrix}");
/// ```
pub fn latex_matrix(rows: &[Vec<String>]) -> String {
    let body: Vec<String> = rows.iter().map(|row| row.join(" & ")).collect();
    format!(
        "\\begin{{bmatrix}} {} \\end{{bmatrix}}",
        body.join(" \\\\ ")
    )
}

/// The LaTeX notation, for [`render`].
#[derive(Clone, Copy, Debug, Default)]
pub struct Latex;

impl Notation for Latex {
    fn style(&self) -> &'static Style {
        &STYLE
    }

    fn brackets(&self) -> (&'static str, &'static str) {
        ("\\left(", "\\right)")
    }

    /// Juxtaposed factors are separated by a space, or by `\cdot` before
    /// a digit (`2 \cdot 3^{x}`).
    fn gap(&self, next: char) -> &'static str {
        if next.is_ascii_digit() {
            " \\cdot "
        } else {
            " "
        }
    }

    fn number(&self, n: &Number, out: &mut String) {
        match n {
            Number::Rational(r) if r.is_integer() => {
                let _ = write!(out, "{}", r.numer());
            }
            Number::Rational(r) => {
                let _ = write!(out, "\\frac{{{}}}{{{}}}", r.numer(), r.denom());
            }
            Number::Float(f) => out.push_str(&float(*f)),
        }
    }

    fn expand<'a>(&self, layout: &Layout<'a>, shape: Shape, out: &mut Vec<Token<'a>>) {
        match shape {
            Shape::Num(n) => out.push(Token::Num(n)),
            Shape::Const(c) => out.push(Token::Str(constant(c))),
            Shape::Var(s) => out.push(Token::Text(names::variable(layout.store().name(s)))),
            Shape::Neg(c) => out.extend([Token::Str("-"), Token::Child(c)]),
            Shape::Sum(terms) => push_sum(terms, out),
            Shape::Product { num, den, .. } if den.is_empty() => juxtapose(num, out),
            Shape::Product { num, den, .. } => {
                out.push(Token::Str("\\frac{"));
                if num.is_empty() {
                    out.push(Token::Str("1"));
                }
                juxtapose(num, out);
                out.push(Token::Str("}{"));
                juxtapose(den, out);
                out.push(Token::Str("}"));
            }
            Shape::Power { base, exp } => power(layout.store(), base, exp, out),
            Shape::Sqrt(c) => out.extend([Token::Str("\\sqrt{"), Token::Child(c), Token::Str("}")]),
            Shape::Call(f, args) => call(f, args, out),
            Shape::Monomial {
                coeff,
                rest,
                powers,
            } => monomial(coeff, rest, powers, out),
        }
    }
}

/// Factors side by side, with a [`Token::Gap`] between them.
fn juxtapose<'a>(children: Vec<Child>, out: &mut Vec<Token<'a>>) {
    for (i, c) in children.into_iter().enumerate() {
        if i > 0 {
            out.push(Token::Gap);
        }
        out.push(Token::Child(c));
    }
}

/// `b^{e}`, or `\sin^{2}\left(x\right)` for a trigonometric base and an
/// integer exponent.
fn power<'a>(store: &'a Store, base: Child, exp: Child, out: &mut Vec<Token<'a>>) {
    if let Sub::Expr(b) = base.sub
        && let Node::Call(f, args) = store.node(b)
        && is_trig(*f)
        && matches!(&exp.sub, Sub::Num(n) if n.is_integer())
    {
        out.extend([
            Token::Str(func_name(*f)),
            Token::Str("^{"),
            Token::Child(exp),
            Token::Str("}"),
        ]);
        arguments(
            args.iter().map(|&a| Child::plain(Sub::Expr(a))).collect(),
            out,
        );
        return;
    }
    out.extend([
        Token::Child(base),
        Token::Str("^{"),
        Token::Child(exp),
        Token::Str("}"),
    ]);
}

fn call<'a>(f: Func, args: Vec<Child>, out: &mut Vec<Token<'a>>) {
    let (open, close) = match f {
        _ if args.len() != 1 => ("", ""),
        Func::Exp => ("e^{", "}"),
        Func::Cbrt => ("\\sqrt[3]{", "}"),
        Func::Abs => ("\\left|", "\\right|"),
        Func::Floor => ("\\left\\lfloor ", "\\right\\rfloor"),
        Func::Ceil => ("\\left\\lceil ", "\\right\\rceil"),
        _ => ("", ""),
    };
    if open.is_empty() {
        out.push(Token::Str(func_name(f)));
        arguments(args, out);
    } else {
        out.push(Token::Str(open));
        out.extend(args.into_iter().map(Token::Child));
        out.push(Token::Str(close));
    }
}

/// `\left(a, b\right)`.
fn arguments<'a>(args: Vec<Child>, out: &mut Vec<Token<'a>>) {
    out.push(Token::Str("\\left("));
    for (i, a) in args.into_iter().enumerate() {
        if i > 0 {
            out.push(Token::Str(", "));
        }
        out.push(Token::Child(a));
    }
    out.push(Token::Str("\\right)"));
}

/// A polynomial term: `\frac{1}{2} \left(x - 1\right)^{2}`, its parts
/// separated by spaces.
fn monomial<'a>(
    coeff: Number,
    rest: Option<Child>,
    powers: Vec<(Child, u32)>,
    out: &mut Vec<Token<'a>>,
) {
    let bare = rest.is_none() && powers.is_empty();
    let mut first = true;
    let mut space = |out: &mut Vec<Token<'a>>| {
        if !std::mem::take(&mut first) {
            out.push(Token::Str(" "));
        }
    };
    if !coeff.is_one() || bare || !coeff.is_integer() {
        space(out);
        out.push(Token::Text(number(&coeff)));
    }
    if let Some(r) = rest {
        space(out);
        out.push(Token::Child(r));
    }
    for (b, k) in powers {
        space(out);
        out.push(Token::Child(b));
        if k != 1 {
            out.push(Token::Text(format!("^{{{k}}}")));
        }
    }
}

/// A non-negative number: `12`, `\frac{3}{4}`, `1.5 \cdot 10^{-7}`.
fn number(n: &Number) -> String {
    match n {
        Number::Rational(r) if r.is_integer() => r.numer().to_string(),
        Number::Rational(r) => format!("\\frac{{{}}}{{{}}}", r.numer(), r.denom()),
        Number::Float(f) => float(*f),
    }
}

/// A non-negative number binds as a quotient when it is a fraction or a
/// float with an exponent.
fn number_prec(n: &Number) -> Prec {
    match n {
        Number::Rational(r) if r.is_integer() => Prec::Atom,
        Number::Rational(_) => Prec::Product,
        Number::Float(f) if float(*f).contains("\\cdot") => Prec::Product,
        Number::Float(_) => Prec::Atom,
    }
}

/// `e^{x}` and `\sqrt[3]{x}` bind as powers; other calls are atoms.
fn call_prec(f: Func) -> Prec {
    match f {
        Func::Exp | Func::Cbrt => Prec::Power,
        _ => Prec::Atom,
    }
}

/// A factor of a polynomial term is parenthesized when it is a sum.
fn poly_group(store: &Store, id: ExprId, _alone: bool) -> bool {
    matches!(store.node(id), Node::Add(_))
}

fn constant(c: Constant) -> &'static str {
    match c {
        Constant::Pi => "\\pi",
        Constant::E => "e",
    }
}

/// Functions written `\sin^{2}\left(x\right)` when raised to an integer power.
fn is_trig(f: Func) -> bool {
    matches!(
        f,
        Func::Sin | Func::Cos | Func::Tan | Func::Sinh | Func::Cosh | Func::Tanh
    )
}

/// The LaTeX operator name of a function.
#[rustfmt::skip]
fn func_name(f: Func) -> &'static str {
    use Func::*;
    match f {
        Sin => "\\sin", Cos => "\\cos", Tan => "\\tan",
        Asin => "\\arcsin", Acos => "\\arccos", Atan => "\\arctan",
        Sinh => "\\sinh", Cosh => "\\cosh", Tanh => "\\tanh",
        Asinh => "\\operatorname{asinh}", Acosh => "\\operatorname{acosh}",
        Atanh => "\\operatorname{atanh}",
        Exp => "\\exp", Ln => "\\ln", Cbrt => "\\operatorname{cbrt}",
        Abs => "\\operatorname{abs}", Sign => "\\operatorname{sign}",
        Step => "\\operatorname{step}", Sigmoid => "\\operatorname{sigmoid}",
        Relu => "\\operatorname{relu}", Softplus => "\\operatorname{softplus}",
        Erf => "\\operatorname{erf}", Atan2 => "\\operatorname{atan2}",
        Min => "\\min", Max => "\\max",
        Floor => "\\operatorname{floor}", Ceil => "\\operatorname{ceil}",
        Round => "\\operatorname{round}", Erfc => "\\operatorname{erfc}",
        Sinc => "\\operatorname{sinc}",
    }
}

/// A non-negative float as `format_float` writes it, with an exponent as
/// `\cdot 10^{k}`: `1.5e-7` → `1.5 \cdot 10^{-7}`.
fn float(x: f64) -> String {
    if x.is_nan() {
        return "\\mathrm{NaN}".to_string();
    }
    if x.is_infinite() {
        return "\\infty".to_string();
    }
    let s = format_float(x);
    match s.split_once(['e', 'E']) {
        Some((mantissa, exp)) => format!("{mantissa} \\cdot 10^{{{exp}}}"),
        None => s,
    }
}

#[cfg(test)]
mod corpus;
#[cfg(test)]
mod tests;

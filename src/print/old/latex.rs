//! The LaTeX printer: math-mode text for KaTeX and LaTeX documents.
//!
//! Mirrors the infix printer's layout of the canonical forms: sums print
//! `a + (-1)*b` as `a - b` with the number last, products split into a
//! numerator and a denominator by negative numeric exponents and print as
//! `\frac{3 x}{2 y}`, `x^(1/2)` prints as `\sqrt{x}`. Factors are
//! juxtaposed (`2 x \sin\left(x\right)`) except before a factor that starts
//! with a digit (`2 \cdot 3^{x}`); groups use `\left( \right)`. Output
//! is deterministic and uses only macros KaTeX supports.

mod names;

use num_traits::{One, Signed};

use crate::expr::{Constant, ExprId, Func, Node, Number, Store, format_float};

/// Binding strength of what was printed, for parenthesization.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Prec {
    Sum,
    Product,
    Power,
    Atom,
}

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
    let mut p = Latex {
        store,
        out: String::new(),
    };
    p.expr(id);
    p.out
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

struct Latex<'a> {
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

impl Latex<'_> {
    fn expr(&mut self, id: ExprId) -> Prec {
        match self.store.node(id) {
            Node::Num(n) => self.number(n),
            Node::Const(c) => {
                self.out.push_str(constant(*c));
                Prec::Atom
            }
            Node::Var(s) => {
                self.out.push_str(&names::variable(self.store.name(*s)));
                Prec::Atom
            }
            Node::Call(f, args) => self.call(*f, args),
            Node::Add(xs) => {
                self.sum(xs);
                Prec::Sum
            }
            Node::Mul(_) => {
                let (c, fs) = split_product(self.store, id);
                self.product(&c, fs)
            }
            Node::Pow([_, e]) if self.store.as_num(*e).is_some_and(Number::is_negative) => {
                self.product(&Number::int(1), std::slice::from_ref(self.store.id_ref(id)))
            }
            Node::Pow([b, e]) => self.power(*b, *e),
        }
    }

    /// Prints `id` and returns the text instead of appending it.
    fn render(&mut self, id: ExprId) -> (String, Prec) {
        let saved = std::mem::take(&mut self.out);
        let prec = self.expr(id);
        (std::mem::replace(&mut self.out, saved), prec)
    }

    fn group(&mut self, text: &str) {
        self.out.push_str("\\left(");
        self.out.push_str(text);
        self.out.push_str("\\right)");
    }

    fn number(&mut self, n: &Number) -> Prec {
        if n.is_negative() {
            self.out.push('-');
            self.number(&n.abs());
            return Prec::Sum;
        }
        match n {
            Number::Rational(r) if r.is_integer() => {
                self.out.push_str(&r.numer().to_string());
                Prec::Atom
            }
            Number::Rational(r) => {
                self.out
                    .push_str(&format!("\\frac{{{}}}{{{}}}", r.numer(), r.denom()));
                Prec::Product
            }
            Number::Float(f) => {
                let text = float(*f);
                self.out.push_str(&text);
                if text.contains("\\cdot") {
                    Prec::Product
                } else {
                    Prec::Atom
                }
            }
        }
    }

    fn sum(&mut self, xs: &[ExprId]) {
        // the constant term goes last, as in `x^{2} - 4`
        let (num, rest) = match self.store.node(xs[0]) {
            Node::Num(_) => (Some(xs[0]), &xs[1..]),
            _ => (None, xs),
        };
        // ... unless the sum would start with a minus: the first positive
        // term leads instead (`1 - x`, `y - \frac{x}{2}`, not `-x + 1`)
        let mut ordered: Vec<ExprId> = rest.iter().chain(num.iter()).copied().collect();
        let negative = |t: &ExprId| split_product(self.store, *t).0.is_negative();
        if ordered.first().is_some_and(negative)
            && let Some(k) = ordered.iter().position(|t| !negative(t))
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

    /// Prints `c * f1 * f2 * ...` as `[-]numerator` or
    /// `[-]\frac{numerator}{denominator}`.
    fn product(&mut self, c: &Number, fs: &[ExprId]) -> Prec {
        if fs.is_empty() {
            return self.number(c);
        }
        let negative = c.is_negative();
        let (num, den) = self.split_fraction(&c.abs(), fs);
        if negative {
            self.out.push('-');
        }
        let prec = if den.is_empty() {
            self.factors(&num, Prec::Product)
        } else {
            self.out.push_str("\\frac{");
            if num.is_empty() {
                self.out.push('1');
            }
            self.slot(&num);
            self.out.push_str("}{");
            self.slot(&den);
            self.out.push('}');
            Prec::Product
        };
        if negative { Prec::Sum } else { prec }
    }

    /// Sorts the coefficient and the factors into numerator and denominator.
    fn split_fraction(&self, c: &Number, fs: &[ExprId]) -> (Vec<Factor>, Vec<Factor>) {
        let mut num: Vec<Factor> = Vec::new();
        let mut den: Vec<Factor> = Vec::new();
        match c {
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
                Node::Pow([b, e]) if self.store.as_num(*e).is_some_and(Number::is_negative) => {
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
        (num, den)
    }

    /// One slot of a `\frac`: a lone factor needs no parentheses.
    fn slot(&mut self, fs: &[Factor]) {
        let min = if fs.len() == 1 {
            Prec::Sum
        } else {
            Prec::Product
        };
        self.factors(fs, min);
    }

    /// Juxtaposes factors, with `\cdot` before one that starts with a digit;
    /// a factor binding less than `min` is parenthesized.
    fn factors(&mut self, fs: &[Factor], min: Prec) -> Prec {
        let mut prec = Prec::Product;
        for (i, f) in fs.iter().enumerate() {
            let saved = std::mem::take(&mut self.out);
            prec = self.factor(f, min);
            let text = std::mem::replace(&mut self.out, saved);
            if i > 0 {
                let digit = text.starts_with(|c: char| c.is_ascii_digit());
                self.out.push_str(if digit { " \\cdot " } else { " " });
            }
            self.out.push_str(&text);
        }
        if fs.len() == 1 { prec } else { Prec::Product }
    }

    /// Prints one factor, in parentheses if it binds less than `min`.
    fn factor(&mut self, f: &Factor, min: Prec) -> Prec {
        match f {
            Factor::Expr(id) => self.grouped(*id, min),
            Factor::Num(n) => self.number(n),
            Factor::Pow(b, e) if e.is_one() => self.grouped(*b, min),
            Factor::Pow(b, e) => self.power_parts(*b, e),
        }
    }

    /// Prints `id`, in `\left( \right)` when it binds less than `min`.
    fn grouped(&mut self, id: ExprId, min: Prec) -> Prec {
        let (text, prec) = self.render(id);
        if prec < min {
            self.group(&text);
            Prec::Atom
        } else {
            self.out.push_str(&text);
            prec
        }
    }

    /// `b^e` for a non-negative or non-numeric exponent.
    fn power(&mut self, b: ExprId, e: ExprId) -> Prec {
        if let Some(n) = self.store.as_num(e) {
            return self.power_parts(b, &n.clone());
        }
        self.grouped(b, Prec::Atom);
        self.out.push_str("^{");
        self.expr(e);
        self.out.push('}');
        Prec::Power
    }

    /// `b^n` for a positive number `n`: `\sqrt{b}` for one half,
    /// `\sin^{2}\left(x\right)` for a trigonometric base and integer `n`.
    fn power_parts(&mut self, b: ExprId, n: &Number) -> Prec {
        if *n == Number::frac(1, 2) {
            self.out.push_str("\\sqrt{");
            self.expr(b);
            self.out.push('}');
            return Prec::Power;
        }
        if let Node::Call(f, args) = self.store.node(b)
            && n.is_integer()
            && is_trig(*f)
        {
            self.out.push_str(func_name(*f));
            self.out.push_str("^{");
            self.number(n);
            self.out.push('}');
            self.arguments(args);
            return Prec::Power;
        }
        self.grouped(b, Prec::Atom);
        self.out.push_str("^{");
        self.number(n);
        self.out.push('}');
        Prec::Power
    }

    fn call(&mut self, f: Func, args: &[ExprId]) -> Prec {
        let Some(&a) = args.first() else {
            self.out.push_str(func_name(f));
            self.arguments(args);
            return Prec::Atom;
        };
        match f {
            Func::Exp => self.wrapped("e^{", a, "}", Prec::Power),
            Func::Cbrt => self.wrapped("\\sqrt[3]{", a, "}", Prec::Power),
            Func::Abs => self.wrapped("\\left|", a, "\\right|", Prec::Atom),
            _ => {
                self.out.push_str(func_name(f));
                self.arguments(args);
                Prec::Atom
            }
        }
    }

    fn wrapped(&mut self, open: &str, id: ExprId, close: &str, prec: Prec) -> Prec {
        self.out.push_str(open);
        self.expr(id);
        self.out.push_str(close);
        prec
    }

    /// `\left(a, b\right)`.
    fn arguments(&mut self, args: &[ExprId]) {
        self.out.push_str("\\left(");
        for (i, &a) in args.iter().enumerate() {
            if i > 0 {
                self.out.push_str(", ");
            }
            self.expr(a);
        }
        self.out.push_str("\\right)");
    }
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

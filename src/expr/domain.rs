//! Constant subexpressions that have no real value, and the undefined
//! constant.
//!
//! A constant subexpression may have no real value: a pole (`0^(-1)`,
//! `log(0)`, `tan(pi/2)`, which folds to `0^(-1)`) or an argument outside
//! the domain (`(-1)^(1/2)`, `log(-2)`, `asin(2)`, `acosh(0)`,
//! `atanh(1)`). The Taylor expansion uses [`Store::is_undefined`] to refuse
//! a polynomial whose coefficients would be undefined, rather than print
//! `sqrt(-1)`.
//!
//! # The undefined constant
//!
//! An undefined form (`0/0`, `inf - inf`, `0*inf`) is the number node
//! holding a float NaN ([`Store::nan`]). It is what a constructor returns
//! when folding would otherwise throw an undefined value away:
//!
//! - anything combined with NaN is NaN (`x + 0/0`, `sin(0/0)`, `(0/0)^0`);
//! - `0*u` is NaN when `u` is *singular* ([`Store::is_singular`]): it
//!   contains NaN, a pole, a constant outside the domain, or a float
//!   overflow kept unfolded (`1e308*10`, `exp(1000.0)`); so `0/0`,
//!   `0*(1/0)`, `0.0*(1e308*10)` are NaN;
//! - like terms that cancel are NaN when they are singular:
//!   `1/0 - 1/0` and `sqrt(-1) - sqrt(-1)` are NaN, `x - x` is `0`;
//! - `u^0` and `1^u` are NaN for a singular `u`, and `sign(u)` or
//!   `step(u)` of a positive-looking singular `u` is not folded to `1`.
//!
//! With free variables nothing changes: `0*log(t)` is `0` and `x/x` stays
//! `x/x`, because the expression is defined for some values. A pole or a
//! domain error that only a numeric evaluation can see (`log(pi - 4)`,
//! whose argument is neither a number nor a visibly negative product, or
//! `asin(pi)`) is not singular: it is left to evaluation, NaN with a
//! warning.
//!
//! The undefined constant evaluates to NaN in [`crate::eval`], and prints
//! as `0/0` ([`super::format_float`] of a NaN), which parses back to it.

use std::cmp::Ordering;

use rustc_hash::FxHashMap;

use super::{ExprId, Func, Node, Number, Store};

/// Flag bit: the node is singular (see [`Store::is_singular`]).
const SINGULAR: u8 = 1;
/// Flag bit: the node contains a variable.
const HAS_VAR: u8 = 2;
/// Flag bit: the node contains a `sigmoid` call.
const HAS_SIGMOID: u8 = 4;
/// Flag bit: the node contains a power with a numeric exponent that is
/// negative or not an integer, or a logarithm: what a guard is read from
/// ([`crate::simplify::guarded::Guards`]).
const HAS_GUARD: u8 = 8;
/// Flag bit, of the node alone (not passed up to the nodes above it): a
/// sum known to have no content to take out ([`Store::content`] is `None`),
/// set the first time it is asked, so that most sums need no entry in the
/// store's table of contents.
pub(super) const NO_CONTENT: u8 = 16;
/// Flag bit: the node contains a float number.
const HAS_FLOAT: u8 = 32;

/// Memoized answers of [`Store::is_undefined`] for one store.
#[derive(Default)]
pub struct Undefined {
    memo: FxHashMap<ExprId, bool>,
}

impl Store {
    /// The parts of `root` that have no finite value somewhere on the real
    /// line, where their operands are finite: every power with an
    /// exponent other than a natural number (`1/u`, `sqrt(u)`, `u^v`),
    /// every call of a function defined on part of the line only (`log`,
    /// `tan`, `asin`, `acos`, `acosh`, `atanh`). Where one of them is not
    /// finite, `root` is undefined as a formula, even where float
    /// arithmetic gives it a value (`(1/sin(a))^(-1)` is `0` at `a = 0`
    /// through `1/0 = inf`). Where all are finite, `root` is defined; it
    /// can still overflow (`exp(1000)`), as its derivatives then do.
    ///
    /// ```
    /// use deriv::{expr::Store, parse::{parse_expr, ParseOptions}, print::infix};
    /// let mut s = Store::new();
    /// let f = parse_expr(&mut s, "exp(x)*log(y) + 1/x", &ParseOptions::default())?;
    /// let parts: Vec<String> = s.partial_parts(f).iter().map(|&p| infix(&s, p)).collect();
    /// assert_eq!(parts.len(), 2);
    /// assert!(parts.contains(&"log(y)".to_string()) && parts.contains(&"1/x".to_string()));
    /// # Ok::<(), deriv::parse::ParseError>(())
    /// ```
    pub fn partial_parts(&self, root: ExprId) -> Vec<ExprId> {
        let mut out = Vec::new();
        for id in self.reachable(&[root]) {
            let partial = match self.node(id) {
                Node::Pow([_, e]) => !self
                    .as_num(*e)
                    .is_some_and(|n| n.is_integer() && !n.is_negative()),
                Node::Call(f, _) => matches!(
                    f,
                    Func::Ln | Func::Tan | Func::Asin | Func::Acos | Func::Acosh | Func::Atanh
                ),
                _ => false,
            };
            if partial {
                out.push(id);
            }
        }
        out
    }

    /// The undefined constant: the number node holding NaN (see the module
    /// docs).
    pub fn nan(&mut self) -> ExprId {
        self.number(Number::float(f64::NAN))
    }

    /// True for the undefined constant.
    pub fn is_nan(&self, id: ExprId) -> bool {
        matches!(self.node(id), Node::Num(n) if matches!(*n, Number::Float(f) if f.is_nan()))
    }

    /// True when `id` contains a subexpression that has no finite real
    /// value wherever it appears: the undefined constant, a constant pole
    /// (`0^(-1)`), a number outside a function's domain (`sqrt(-1)`,
    /// `log(-2*pi)`), or a float overflow kept unfolded (`1e308*10`,
    /// `exp(1000.0)`). Constant time (a flag set when the node is made).
    pub fn is_singular(&self, id: ExprId) -> bool {
        self.flags[id.index()] & SINGULAR != 0
    }

    /// True when `id` has no free variable (a closed constant expression).
    /// Constant time.
    pub fn is_closed(&self, id: ExprId) -> bool {
        self.flags[id.index()] & HAS_VAR == 0
    }

    /// True when `id` contains a `sigmoid` call. Constant time.
    pub fn has_sigmoid(&self, id: ExprId) -> bool {
        self.flags[id.index()] & HAS_SIGMOID != 0
    }

    /// True when `id` contains a power with a numeric exponent that is
    /// negative or not an integer, or a logarithm: a node without one
    /// holds no guard ([`crate::simplify::guarded::Guards`]). Constant time.
    pub fn has_guard(&self, id: ExprId) -> bool {
        self.flags[id.index()] & HAS_GUARD != 0
    }

    /// True when `id` contains a float number (a literal with a decimal
    /// point or an exponent, or the undefined constant). Constant time.
    pub(crate) fn has_float(&self, id: ExprId) -> bool {
        self.flags[id.index()] & HAS_FLOAT != 0
    }

    /// The flags of a node about to be interned, from its operands'.
    pub(super) fn flags_of(&self, node: Node<'_>) -> u8 {
        let inherited = node
            .children()
            .iter()
            .fold(0, |f, c| f | self.flags[c.index()])
            & !NO_CONTENT;
        let var = match node {
            Node::Var(_) => HAS_VAR,
            Node::Num(Number::Float(_)) => HAS_FLOAT,
            Node::Call(Func::Sigmoid, _) => HAS_SIGMOID,
            Node::Call(Func::Ln, _) => HAS_GUARD,
            Node::Pow([_, e]) => match self.as_num(*e) {
                // as Guards reads them: a float exponent is never an integer
                Some(n) if n.is_negative() || !n.is_integer() => HAS_GUARD,
                _ => 0,
            },
            _ => 0,
        };
        let here = if self.singular_here(node) {
            SINGULAR
        } else {
            0
        };
        inherited | var | here
    }

    fn singular_here(&self, node: Node<'_>) -> bool {
        match node {
            // only a float is NaN (no exact number is converted to see)
            Node::Num(n) => matches!(n, Number::Float(x) if x.is_nan()),
            // two numbers in one sum or product: their float result overflowed
            Node::Add(xs) | Node::Mul(xs) => xs.len() > 1 && self.as_num(xs[1]).is_some(),
            Node::Pow([b, e]) => {
                let e_fractional = self.as_num(*e).is_some_and(|e| !is_integral(e));
                match (self.as_num(*b), self.as_num(*e)) {
                    (Some(nb), Some(ne)) if !nb.is_exact() || !ne.is_exact() => {
                        !nb.to_f64().powf(ne.to_f64()).is_finite()
                    }
                    (Some(nb), Some(ne)) => {
                        (nb.is_zero() && ne.is_negative()) || (nb.is_negative() && e_fractional)
                    }
                    _ => e_fractional && self.is_negative_constant(*b),
                }
            }
            Node::Call(f, args) if args.len() == 1 => match self.node(args[0]) {
                Node::Num(n) => match *n {
                    Number::Float(x) => !f.apply_f64(&[x]).is_finite(),
                    Number::Rational(_) => self.undefined_call(*f, args[0]),
                },
                _ => *f == Func::Ln && self.is_negative_constant(args[0]),
            },
            _ => false,
        }
    }

    /// True for a closed expression visibly below zero: a negative number,
    /// or a negative number times factors positive wherever defined
    /// (`-2*pi`, `-exp(2)`).
    fn is_negative_constant(&self, id: ExprId) -> bool {
        if !self.is_closed(id) {
            return false;
        }
        match self.node(id) {
            Node::Num(n) => n.is_negative(),
            Node::Mul(xs) => {
                self.as_num(xs[0]).is_some_and(Number::is_negative)
                    && xs[1..].iter().all(|x| self.is_positive(*x))
            }
            _ => false,
        }
    }

    /// True when `id` contains a numeric subexpression without a real
    /// value (see the module docs). Only operands that are numbers are
    /// judged: `log(x)` is not undefined, and neither is `log(-pi)`, which
    /// is left to evaluation (NaN with a warning).
    pub fn is_undefined(&self, id: ExprId, memo: &mut Undefined) -> bool {
        // iterative post-order over the nodes not yet judged
        let mut stack = vec![(id, false)];
        while let Some((n, expanded)) = stack.pop() {
            if memo.memo.contains_key(&n) {
                continue;
            }
            if !expanded {
                stack.push((n, true));
                for &c in self.operands(n) {
                    if !memo.memo.contains_key(&c) {
                        stack.push((c, false));
                    }
                }
                continue;
            }
            let bad = self.operands(n).iter().any(|c| memo.memo[c]) || self.undefined_here(n);
            memo.memo.insert(n, bad);
        }
        memo.memo[&id]
    }

    fn undefined_here(&self, id: ExprId) -> bool {
        match self.node(id) {
            Node::Num(n) => n.to_f64().is_nan(),
            Node::Pow([b, e]) => match (self.as_num(*b), self.as_num(*e)) {
                (Some(b), Some(e)) => {
                    let fractional = !e.is_integer() && e.to_f64().fract() != 0.0;
                    (b.is_zero() && e.is_negative()) || (b.is_negative() && fractional)
                }
                _ => false,
            },
            Node::Call(f, args) if args.len() == 1 => self.undefined_call(*f, args[0]),
            _ => false,
        }
    }

    /// A function of one numeric argument outside its domain or at a pole.
    fn undefined_call(&self, f: Func, arg: ExprId) -> bool {
        let one = Number::int(1);
        let Some(v) = self.as_num(arg) else {
            return false;
        };
        let abs_vs_one = v.abs().cmp_value(&one);
        match f {
            Func::Ln => v.is_negative() || v.is_zero(),
            Func::Asin | Func::Acos => abs_vs_one == Ordering::Greater,
            Func::Acosh => v.cmp_value(&one) == Ordering::Less,
            Func::Atanh => abs_vs_one != Ordering::Less,
            _ => false,
        }
    }
}

/// True for an integer value (exact, or a float without a fraction).
fn is_integral(e: &Number) -> bool {
    match e {
        Number::Rational(r) => r.is_integer(),
        Number::Float(f) => f.fract() == 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{ParseOptions, parse_expr};

    #[test]
    fn guard_bearing_nodes_are_flagged() {
        let mut s = Store::new();
        let mut flag = |src: &str| {
            let e = parse_expr(&mut s, src, &ParseOptions::default()).unwrap();
            s.has_guard(e)
        };
        // what Guards reads: a negative or fractional power, a logarithm,
        // anywhere below (a float exponent is never an integer to it)
        for src in [
            "1/x",
            "sqrt(x)",
            "log(x)",
            "x^2.0",
            "exp(-1/x^2) + y",
            "x^(-2)*y",
        ] {
            assert!(flag(src), "{src}");
        }
        for src in ["x^2 + sin(y)*3", "exp(x)*cos(x)", "100*(x2 - x1^2)^2"] {
            assert!(!flag(src), "{src}");
        }
    }

    fn undefined(src: &str) -> bool {
        let mut s = Store::new();
        let e = parse_expr(&mut s, src, &ParseOptions::default()).expect("parses");
        s.is_undefined(e, &mut Undefined::default())
    }

    #[test]
    fn a_node_knows_whether_a_sigmoid_is_in_it() {
        for (src, has) in [
            ("sigmoid(x)", true),
            ("2*exp(sigmoid(x)^2 + y) - 1", true),
            ("x*sigmoid(y)^(-1)", true),
            ("exp(-x)/(1 + exp(-x))", false),
            ("tanh(x) + softplus(x)", false),
        ] {
            let mut s = Store::new();
            let e = parse_expr(&mut s, src, &ParseOptions::default()).expect("parses");
            // the flag agrees with a walk over the whole graph
            let walked = s
                .reachable(&[e])
                .into_iter()
                .any(|n| matches!(s.node(n), Node::Call(Func::Sigmoid, _)));
            assert_eq!((s.has_sigmoid(e), walked), (has, has), "{src}");
        }
    }

    #[test]
    fn poles_and_domains() {
        for src in [
            "1/0",
            "tan(pi/2)",
            "log(0)",
            "sqrt(-1)",
            "(-8)^(1/3)",
            "x + log(-2)",
            "asin(2)",
            "acos(-3/2)",
            "acosh(0)",
            "atanh(1)",
            "atanh(-1.0)",
            "exp(1/0)",
        ] {
            assert!(undefined(src), "{src}");
        }
        for src in [
            "x",
            "1/x",
            "log(x)",
            "(-2)^3",
            "(-2.0)^2.0",
            "sqrt(2)",
            "asin(1)",
            "acosh(1)",
            "atanh(1/2)",
            "exp(1000)",
            "0^0",
        ] {
            assert!(!undefined(src), "{src}");
        }
    }

    fn build(s: &mut Store, src: &str) -> ExprId {
        parse_expr(s, src, &ParseOptions::default()).expect("parses")
    }

    #[test]
    fn undefined_forms_are_nan() {
        for src in [
            "0/0",
            "0.0/0.0",
            "(1/0)-(1/0)",
            "0*(1/0)",
            "0.0*(1e308*10)",
            "1e308*10 - 1e308*10",
            "sqrt(-1)-sqrt(-1)",
            "(x-x)/(x-x)",
            "0.0/0.0 + x",
            "sin(0/0)",
            "(0/0)^0",
            "(1/0)^0",
            "1^(1/0)",
            "2^(0/0)",
            "max(0/0, 1)",
            "atan2(0/0, 1)",
            "0*log(-2)",
            "0*log(-2*pi)",
            "sqrt(-pi) - sqrt(-pi)",
            "0*exp(1000.0)",
            "0*(x + 1/0)",
            "x*(1/0) - x*(1/0)",
        ] {
            let mut s = Store::new();
            let e = build(&mut s, src);
            assert!(
                s.is_nan(e),
                "{src} is {}",
                crate::print::infix::infix(&s, e)
            );
            assert!(undefined(src), "{src}");
        }
    }

    #[test]
    fn defined_forms_fold_as_before() {
        let mut s = Store::new();
        for (src, want) in [
            ("x - x", "0"),
            ("0*log(t)", "0"),
            ("0*(1/t)", "0"),
            ("0*exp(1000)", "0"),
            ("0*2^(10^9)", "0"),
            ("x^0", "1"),
            ("1^x", "1"),
            ("sign(exp(x))", "1"),
            ("0^0", "1"),
        ] {
            let (e, w) = (build(&mut s, src), build(&mut s, want));
            assert_eq!(e, w, "{src}");
            assert!(!s.is_singular(e), "{src}");
        }
        let q = build(&mut s, "x/x");
        assert!(matches!(s.node(q), Node::Mul(_)));
        let sign = build(&mut s, "sign(exp(log(-1)))");
        assert!(matches!(s.node(sign), Node::Call(Func::Sign, _)));
    }

    #[test]
    fn singular_and_closed_flags() {
        let mut s = Store::new();
        for src in [
            "1/0",
            "sqrt(-1)",
            "log(0)",
            "1e308*10",
            "exp(1000.0)",
            "x + log(-pi)",
        ] {
            let e = build(&mut s, src);
            assert!(s.is_singular(e), "{src}");
        }
        for src in [
            "1/x",
            "log(x)",
            "sqrt(2)",
            "exp(1000)",
            "log(pi - 4)",
            "2^(10^9)",
        ] {
            let e = build(&mut s, src);
            assert!(!s.is_singular(e), "{src}");
        }
        let c = build(&mut s, "sin(pi/7) + 2");
        let v = build(&mut s, "sin(pi/7) + y");
        assert!(s.is_closed(c) && !s.is_closed(v));
    }

    #[test]
    fn nan_prints_as_text_that_parses_back() {
        let mut s = Store::new();
        let e = build(&mut s, "0/0 + y");
        let text = crate::print::infix::infix(&s, e);
        assert_eq!(text, "0/0");
        assert_eq!(build(&mut s, &text), e);
    }

    #[test]
    fn substituted_point_gives_nan() {
        // x/x at x = 1 stays x/x until the point is put in: then 1
        let mut s = Store::new();
        let (e, one) = (build(&mut s, "(x-1)/(x-1)"), s.int(1));
        let x = s.find_sym("x").expect("x");
        let map = [(x, one)].into_iter().collect();
        let at = s.substitute_vars(&[e], &map)[0];
        assert!(s.is_nan(at));
        let env = crate::eval::Env::new();
        assert!(crate::eval::eval(&s, at, &env).expect("closed").is_nan());
    }

    #[test]
    fn derivative_of_undefined_is_undefined() {
        let mut s = Store::new();
        let f = build(&mut s, "x*(y-y)/(y-y)");
        let x = s.find_sym("x").expect("x");
        let d = crate::diff::Differentiator::default()
            .diff(&mut s, f, x)
            .expect("small");
        assert!(s.is_nan(d));
    }
}

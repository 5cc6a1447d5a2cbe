//! Constant subexpressions that have no real value: a pole (`0^(-1)`,
//! `log(0)`, `tan(pi/2)`, which folds to `0^(-1)`) or an argument outside
//! the domain (`(-1)^(1/2)`, `log(-2)`, `asin(2)`, `acosh(0)`,
//! `atanh(1)`). The Taylor expansion uses it to refuse a polynomial whose
//! coefficients would be undefined, rather than print `sqrt(-1)`.

use std::cmp::Ordering;

use rustc_hash::FxHashMap;

use super::{ExprId, Func, Node, Number, Store};

/// Memoized answers of [`Store::is_undefined`] for one store.
#[derive(Default)]
pub struct Undefined {
    memo: FxHashMap<ExprId, bool>,
}

impl Store {
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
        let one = Number::int(1);
        match self.node(id) {
            Node::Pow([b, e]) => match (self.as_num(*b), self.as_num(*e)) {
                (Some(b), Some(e)) => {
                    let fractional = !e.is_integer() && e.to_f64().fract() != 0.0;
                    (b.is_zero() && e.is_negative()) || (b.is_negative() && fractional)
                }
                _ => false,
            },
            Node::Call(f, args) if args.len() == 1 => {
                let Some(v) = self.as_num(args[0]) else {
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
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{ParseOptions, parse_expr};

    fn undefined(src: &str) -> bool {
        let mut s = Store::new();
        let e = parse_expr(&mut s, src, &ParseOptions::default()).expect("parses");
        s.is_undefined(e, &mut Undefined::default())
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
}

use super::infix;
use super::latex::latex;
use crate::expr::{ExprId, Node, Number, Store};
use num_traits::One;
/// Prints a sum of polynomial terms `c * Π base^k` in the given order,
/// keeping each monomial factored (`13 + 6*(x - 1) + (x - 1)^2/2`), as
/// Taylor polynomials are written. `terms` holds `(coefficient, [(base, k)])`.
pub fn polynomial(store: &mut Store, terms: &[(ExprId, Vec<(ExprId, u32)>)]) -> String {
    let mut out = String::new();
    for (i, (c, mono)) in terms.iter().enumerate() {
        let (negative, text) = poly_term(store, *c, mono);
        match (i, negative) {
            (0, true) => out.push('-'),
            (0, false) => {}
            (_, true) => out.push_str(" - "),
            (_, false) => out.push_str(" + "),
        }
        out.push_str(&text);
    }
    if out.is_empty() {
        out.push('0');
    }
    out
}

/// One term of [`polynomial`]: its sign and the text of its magnitude.
fn poly_term(store: &mut Store, c: ExprId, mono: &[(ExprId, u32)]) -> (bool, String) {
    let (mut num, mut rest) = split_coefficient(store, c);
    // a coefficient that is a sum of negative terms reads better negated:
    // `- (2*cos(1) + 1)*x^2`, not `+ (-2*cos(1) - 1)*x^2`
    if let [sum] = rest[..]
        && !mono.is_empty()
        && let Node::Add(terms) = store.node(sum)
        && terms
            .iter()
            .all(|&t| split_coefficient(store, t).0.is_negative())
    {
        rest = vec![store.neg(sum)];
        num = num.neg();
    }
    let negative = num.is_negative();
    let num = num.abs();
    let mut parts: Vec<String> = Vec::new();
    let mut den = String::new();
    match &num {
        Number::Rational(r) => {
            if *r.numer() != 1.into() || (rest.is_empty() && mono.is_empty()) {
                parts.push(r.numer().to_string());
            }
            if !r.is_integer() {
                den = r.denom().to_string();
            }
        }
        Number::Float(f) => parts.push(crate::expr::format_float(*f)),
    }
    if !rest.is_empty() {
        let r = store.mul(&rest);
        let alone = parts.is_empty() && mono.is_empty() && den.is_empty() && !negative;
        parts.push(if alone {
            infix::infix(store, r)
        } else {
            wrap(store, r)
        });
    }
    for &(b, k) in mono {
        let base = wrap(store, b);
        parts.push(if k == 1 { base } else { format!("{base}^{k}") });
    }
    let mut text = if parts.is_empty() {
        "1".to_string()
    } else {
        parts.join("*")
    };
    if !den.is_empty() {
        text = format!("{text}/{den}");
    }
    (negative, text)
}

/// The infix text of `id`, in parentheses unless it is a single atom.
fn wrap(store: &Store, id: ExprId) -> String {
    let s = infix::infix(store, id);
    match store.node(id) {
        Node::Var(_) | Node::Const(_) | Node::Call(..) => s,
        Node::Num(n) if n.is_integer() && !n.is_negative() => s,
        Node::Pow([_, e]) if store.as_num(*e).is_some_and(|n| *n == Number::frac(1, 2)) => s,
        Node::Mul(_) | Node::Pow(_) if !s.contains(['+', '-', '/']) => s,
        _ => format!("({s})"),
    }
}

/// [`polynomial`] in LaTeX: `13 + 6 \left(x - 1\right) + \frac{1}{2} x^{2}`.
pub fn latex_polynomial(store: &mut Store, terms: &[(ExprId, Vec<(ExprId, u32)>)]) -> String {
    let mut out = String::new();
    for (i, (c, mono)) in terms.iter().enumerate() {
        let (num, rest) = split_coefficient(store, *c);
        match (i, num.is_negative()) {
            (0, true) => out.push('-'),
            (0, false) => {}
            (_, true) => out.push_str(" - "),
            (_, false) => out.push_str(" + "),
        }
        let mut parts: Vec<String> = Vec::new();
        let num = num.abs();
        let bare = rest.is_empty() && mono.is_empty();
        match &num {
            Number::Rational(r) if r.is_integer() => {
                if !r.is_one() || bare {
                    parts.push(r.to_string());
                }
            }
            Number::Rational(r) => parts.push(format!("\\frac{{{}}}{{{}}}", r.numer(), r.denom())),
            Number::Float(_) => {
                let n = store.number(num.clone());
                parts.push(latex(store, n));
            }
        }
        if !rest.is_empty() {
            let r = store.mul(&rest);
            let t = latex(store, r);
            parts.push(if matches!(store.node(r), Node::Add(_)) {
                format!("\\left({t}\\right)")
            } else {
                t
            });
        }
        for &(b, k) in mono {
            let t = latex(store, b);
            let base = if matches!(store.node(b), Node::Add(_)) {
                format!("\\left({t}\\right)")
            } else {
                t
            };
            parts.push(if k == 1 {
                base
            } else {
                format!("{base}^{{{k}}}")
            });
        }
        out.push_str(&parts.join(" "));
    }
    if out.is_empty() {
        out.push('0');
    }
    out
}

/// A coefficient's number and its other factors.
fn split_coefficient(store: &Store, c: ExprId) -> (Number, Vec<ExprId>) {
    match store.node(c) {
        Node::Num(n) => (n.clone(), vec![]),
        Node::Mul(xs) => match store.as_num(xs[0]) {
            Some(n) => (n.clone(), xs[1..].to_vec()),
            None => (Number::int(1), xs.to_vec()),
        },
        _ => (Number::int(1), vec![c]),
    }
}

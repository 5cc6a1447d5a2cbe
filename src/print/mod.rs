//! Printers: deriv's own infix syntax (round-trips through the parser),
//! and the formats built on it.

pub mod infix;
pub mod sexpr;

pub use infix::infix;

use crate::expr::{ExprId, Node, Number, Store};

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
    let (num, rest): (Number, Vec<ExprId>) = match store.node(c) {
        Node::Num(n) => (n.clone(), vec![]),
        Node::Mul(xs) => match store.as_num(xs[0]) {
            Some(n) => (n.clone(), xs[1..].to_vec()),
            None => (Number::int(1), xs.to_vec()),
        },
        _ => (Number::int(1), vec![c]),
    };
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
        parts.push(wrap(store, r));
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
pub mod latex;
pub use latex::latex;

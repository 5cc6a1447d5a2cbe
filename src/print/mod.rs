//! Printers: deriv's own infix syntax (round-trips through the parser),
//! and the formats built on it.

pub mod code;
pub mod infix;
pub mod latex;
pub mod layout;
pub mod sexpr;

pub use infix::{infix, infix_all, infix_printer};
pub use latex::{latex, latex_all, latex_matrix, latex_printer};

use layout::{Layout, Monomial, Sub, render};

use crate::expr::{ExprId, Node, Store};

/// An upper estimate of the bytes [`infix()`] prints for all of `roots`,
/// saturating: the printed text is a tree, which can be exponentially larger
/// than the shared graph (`a1 = a0*a0; a2 = a1*a1; ...`), so callers check
/// this before printing. Linear in the size of the graph.
pub fn printed_size(store: &Store, roots: &[ExprId]) -> u64 {
    let ids = store.reachable(roots);
    let mut size: rustc_hash::FxHashMap<ExprId, u64> = rustc_hash::FxHashMap::default();
    for &id in &ids {
        let node = store.node(id);
        let own: u64 = match node {
            Node::Num(n) => 24 + n.bits() / 3,
            Node::Const(_) => 2,
            Node::Var(s) => store.name(*s).len() as u64,
            Node::Add(xs) | Node::Mul(xs) => 3 * xs.len() as u64 + 2,
            Node::Pow(_) => 6,
            Node::Call(f, xs) => f.name().len() as u64 + 2 * xs.len() as u64 + 2,
        };
        let total = node
            .children()
            .iter()
            .fold(own, |acc, c| acc.saturating_add(size[c]));
        size.insert(id, total);
    }
    roots
        .iter()
        .fold(0u64, |acc, r| acc.saturating_add(size[r]))
}

/// Prints a sum of polynomial terms `c * Π base^k` in the given order,
/// keeping each monomial factored (`13 + 6*(x - 1) + (x - 1)^2/2`), as
/// Taylor polynomials are written. `terms` holds `(coefficient, [(base, k)])`.
/// The store gains the products the coefficients are split into.
///
/// ```
/// # use deriv::{expr::Store, print::polynomial};
/// let mut s = Store::new();
/// let (x, one, half) = (s.var("x"), s.int(1), s.frac(1, 2));
/// let b = s.sub(x, one);
/// assert_eq!(polynomial(&mut s, &[(one, vec![]), (half, vec![(b, 2)])]), "1 + (x - 1)^2/2");
/// ```
pub fn polynomial(store: &mut Store, terms: &[(ExprId, Vec<(ExprId, u32)>)]) -> String {
    let monomials = Monomial::split_all(store, &infix::STYLE, terms);
    let layout = Layout::with_monomials(store, &infix::STYLE, monomials);
    render(&infix::Infix, &layout, Sub::Polynomial)
}

/// [`polynomial`] in LaTeX: `13 + 6 \left(x - 1\right) + \frac{1}{2} x^{2}`.
///
/// ```
/// # use deriv::{expr::Store, print::latex_polynomial};
/// let mut s = Store::new();
/// let (x, one, half) = (s.var("x"), s.int(1), s.frac(1, 2));
/// let b = s.sub(x, one);
/// let t = latex_polynomial(&mut s, &[(one, vec![]), (half, vec![(b, 2)])]);
/// assert_eq!(t, r"1 + \frac{1}{2} \left(x - 1\right)^{2}");
/// ```
pub fn latex_polynomial(store: &mut Store, terms: &[(ExprId, Vec<(ExprId, u32)>)]) -> String {
    let monomials = Monomial::split_all(store, &latex::STYLE, terms);
    let layout = Layout::with_monomials(store, &latex::STYLE, monomials);
    render(&latex::Latex, &layout, Sub::Polynomial)
}

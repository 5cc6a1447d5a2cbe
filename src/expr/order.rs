//! Canonical order of expressions and natural order of names.
//!
//! The order is structural (numbers, then everything else compared as
//! `base^exponent` and products as lists of factors, variables by *name*),
//! never by raw id, so output does not depend on construction history.
//! Like bases sort next to each other: `x < x^2 < x*y < y`.

use std::cmp::Ordering;

use super::{ExprId, Node, Store};

/// Natural order of names (SPEC): runs of digits compare as numbers, other
/// runs by bytes, a prefix first: `x < x1 < x2 < x10 < x_1 < y`.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a.as_bytes(), b.as_bytes());
    while !x.is_empty() && !y.is_empty() {
        let (rx, tx) = split_run(x);
        let (ry, ty) = split_run(y);
        let ord = match (rx[0].is_ascii_digit(), ry[0].is_ascii_digit()) {
            (true, true) => cmp_digits(rx, ry),
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            (false, false) => rx.cmp(ry),
        };
        if ord != Ordering::Equal {
            return ord;
        }
        (x, y) = (tx, ty);
    }
    x.len().cmp(&y.len()).then_with(|| a.cmp(b))
}

fn split_run(s: &[u8]) -> (&[u8], &[u8]) {
    let digit = s[0].is_ascii_digit();
    let n = s.iter().take_while(|c| c.is_ascii_digit() == digit).count();
    s.split_at(n)
}

fn cmp_digits(a: &[u8], b: &[u8]) -> Ordering {
    let ta = trim_zeros(a);
    let tb = trim_zeros(b);
    ta.len()
        .cmp(&tb.len())
        .then(ta.cmp(tb))
        .then(a.len().cmp(&b.len()))
}

fn trim_zeros(s: &[u8]) -> &[u8] {
    let n = s.iter().take_while(|&&c| c == b'0').count();
    &s[n..]
}

/// How deep the structural comparison goes before it falls back to
/// fingerprints: keeps comparing long chains (`sin(sin(...))`) cheap and
/// the recursion shallow whatever the depth of the graph.
const CMP_DEPTH: u32 = 12;

impl Store {
    /// The canonical order of two expressions.
    pub fn cmp_expr(&self, a: ExprId, b: ExprId) -> Ordering {
        self.cmp_at(a, b, 0)
    }

    fn cmp_at(&self, a: ExprId, b: ExprId, depth: u32) -> Ordering {
        if a == b {
            return Ordering::Equal;
        }
        if depth > CMP_DEPTH {
            return self.fingerprint(a).cmp(&self.fingerprint(b));
        }
        let d = depth + 1;
        let (na, nb) = (self.node(a), self.node(b));
        match (na, nb) {
            (Node::Num(x), Node::Num(y)) => return x.cmp_value(y),
            (Node::Num(_), _) => return Ordering::Less,
            (_, Node::Num(_)) => return Ordering::Greater,
            _ => {}
        }
        if matches!(na, Node::Mul(_)) || matches!(nb, Node::Mul(_)) {
            return self.cmp_products(a, b, d);
        }
        if matches!(na, Node::Pow(_)) || matches!(nb, Node::Pow(_)) {
            let (ba, ea) = self.base_exp(a);
            let (bb, eb) = self.base_exp(b);
            return self
                .cmp_at(ba, bb, d)
                .then_with(|| self.cmp_exponents(ea, eb, d));
        }
        let rank = |n: &Node| match n {
            Node::Const(_) => 1,
            Node::Var(_) => 2,
            Node::Call(..) => 3,
            Node::Add(_) => 4,
            _ => 5,
        };
        rank(na).cmp(&rank(nb)).then_with(|| match (na, nb) {
            (Node::Const(x), Node::Const(y)) => x.cmp(y),
            (Node::Var(x), Node::Var(y)) => natural_cmp(self.name(*x), self.name(*y)),
            (Node::Call(f, xs), Node::Call(g, ys)) => {
                f.name().cmp(g.name()).then_with(|| self.cmp_lists(xs, ys, d))
            }
            (Node::Add(xs), Node::Add(ys)) => self.cmp_lists(xs, ys, d),
            _ => Ordering::Equal,
        })
    }

    fn cmp_exponents(&self, ea: Option<ExprId>, eb: Option<ExprId>, d: u32) -> Ordering {
        match (ea, eb) {
            (None, None) => Ordering::Equal,
            (Some(x), Some(y)) => self.cmp_at(x, y, d),
            // an implicit exponent 1 against a written one
            (None, Some(y)) => self.cmp_one(y),
            (Some(x), None) => self.cmp_one(x).reverse(),
        }
    }

    /// Compares the implicit exponent `1` with `e`.
    fn cmp_one(&self, e: ExprId) -> Ordering {
        match self.node(e) {
            Node::Num(n) => super::Number::int(1).cmp_value(n),
            _ => Ordering::Less,
        }
    }

    /// `(base, Some(exponent))` for a power, `(e, None)` otherwise.
    fn base_exp(&self, e: ExprId) -> (ExprId, Option<ExprId>) {
        match self.node(e) {
            Node::Pow([b, x]) => (*b, Some(*x)),
            _ => (e, None),
        }
    }

    /// Products compare by their non-numeric factors, then by coefficient.
    fn cmp_products(&self, a: ExprId, b: ExprId, d: u32) -> Ordering {
        let (ca, fa) = self.split_factors(a);
        let (cb, fb) = self.split_factors(b);
        self.cmp_lists(fa, fb, d).then_with(|| match (ca, cb) {
            (Some(x), Some(y)) => self.cmp_at(x, y, d),
            (None, Some(_)) => Ordering::Less,
            (Some(_), None) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        })
    }

    fn split_factors(&self, e: ExprId) -> (Option<ExprId>, &[ExprId]) {
        match self.node(e) {
            Node::Mul(xs) if matches!(self.node(xs[0]), Node::Num(_)) => (Some(xs[0]), &xs[1..]),
            Node::Mul(xs) => (None, xs),
            _ => (None, std::slice::from_ref(self.id_ref(e))),
        }
    }

    fn cmp_lists(&self, xs: &[ExprId], ys: &[ExprId], d: u32) -> Ordering {
        for (x, y) in xs.iter().zip(ys) {
            let o = self.cmp_at(*x, *y, d);
            if o != Ordering::Equal {
                return o;
            }
        }
        xs.len().cmp(&ys.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order_of_spec() {
        let mut names = vec!["y", "x_1", "x10", "x2", "x1", "x"];
        names.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(names, ["x", "x1", "x2", "x10", "x_1", "y"]);
        let mut names = vec!["y10", "y9", "y_2", "Y1"];
        names.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(names, ["Y1", "y9", "y10", "y_2"]);
        let mut names = vec!["a12", "a2", "a1", "b"];
        names.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(names, ["a1", "a2", "a12", "b"]);
    }
}

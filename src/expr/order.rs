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

/// A byte string whose order is [`natural_cmp`]'s: per run a type byte
/// (digits `1` before other text `2`), then a digit run as its length
/// without leading zeros (4 bytes), those digits and its written length,
/// other text as its bytes and a `0`; a `0` at the end, so a name that
/// ends first sorts first. Names hold no NUL. Equal keys are equal names.
pub fn natural_key(name: &str) -> Box<[u8]> {
    let mut key = Vec::with_capacity(name.len() + 8);
    natural_key_into(name, &mut key);
    key.into_boxed_slice()
}

/// [`natural_key`] of `name`, appended to `key`.
pub(crate) fn natural_key_into(name: &str, key: &mut Vec<u8>) {
    let mut x = name.as_bytes();
    while !x.is_empty() {
        let (run, rest) = split_run(x);
        if run[0].is_ascii_digit() {
            let trimmed = trim_zeros(run);
            key.push(1);
            key.extend_from_slice(&(trimmed.len() as u32).to_be_bytes());
            key.extend_from_slice(trimmed);
            key.extend_from_slice(&(run.len() as u32).to_be_bytes());
        } else {
            key.push(2);
            key.extend_from_slice(run);
            key.push(0);
        }
        x = rest;
    }
    key.push(0);
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

/// How deep the structural comparison looks: a compound subexpression
/// more than this many levels below the top of either side is compared as
/// an atom, by its structural fingerprint. Keeps comparing long chains
/// (`sin(sin(...))`) cheap and the recursion shallow whatever the depth of
/// the graph. The result is still a total order: it is the structural order
/// of the two trees cut at this depth, each node at its own level.
const CMP_DEPTH: u32 = 4;

/// A node and its level in the tree being compared (0 at the top).
#[derive(Clone, Copy)]
struct Side {
    id: ExprId,
    level: u32,
}

impl Side {
    fn child(self, id: ExprId) -> Side {
        Side {
            id,
            level: self.level + 1,
        }
    }
}

/// Pairs remembered by [`Store::sort_canonical`] before the memo starts
/// afresh (a few megabytes).
const ORDERS_MAX: usize = 1 << 18;

/// Lists this short are sorted directly: finding runs costs more.
const SORT_SMALL: usize = 6;

/// Elements outside the longest sorted run that [`Store::sort_canonical`]
/// still inserts one at a time; past it, a full sort.
const INSERTS_MAX: usize = 32;

impl Store {
    /// Where `x` goes among `xs`, which are in canonical order and
    /// none of them `x`: the number of them before it.
    pub(crate) fn place_canonical(&mut self, xs: &[ExprId], x: ExprId) -> usize {
        let mut memo = std::mem::take(&mut self.orders);
        if memo.len() > ORDERS_MAX {
            memo.clear();
        }
        let at = xs.partition_point(|&y| self.cmp_memo(&mut memo, y, x) == Ordering::Less);
        self.orders = memo;
        at
    }

    /// Sorts `xs` in the canonical order ([`Store::cmp_expr`]). The factors
    /// and terms of a product or sum built from others arrive mostly
    /// sorted (a canonical product times one more factor), so the longest
    /// sorted run is kept and the few others are inserted by binary search:
    /// `O(k log n)` comparisons instead of a sort's `O(n log n)`. The order
    /// of pairs of calls of one function (two `cos`), whose comparison walks a few levels of both trees, is
    /// remembered: the chain rule through a deep composition builds its
    /// product a factor at a time and meets the same pairs again.
    pub(crate) fn sort_canonical(&mut self, xs: &mut [ExprId]) {
        let n = xs.len();
        if n < 2 {
            return;
        }
        let mut memo = std::mem::take(&mut self.orders);
        if memo.len() > ORDERS_MAX {
            memo.clear();
        }
        let mut cmp = |a: ExprId, b: ExprId| self.cmp_memo(&mut memo, a, b);
        if n <= SORT_SMALL {
            xs.sort_by(|&a, &b| cmp(a, b));
            self.orders = memo;
            return;
        }
        // the longest non-descending run
        let (mut best, mut start) = ((0, 1), 0);
        for i in 1..n {
            if cmp(xs[i - 1], xs[i]) == Ordering::Greater {
                if i - start > best.1 - best.0 {
                    best = (start, i);
                }
                start = i;
            }
        }
        if n - start > best.1 - best.0 {
            best = (start, n);
        }
        if best != (0, n) {
            if n - (best.1 - best.0) <= INSERTS_MAX {
                let mut sorted: Vec<ExprId> = Vec::with_capacity(n);
                sorted.extend_from_slice(&xs[best.0..best.1]);
                let others = xs[..best.0].iter().chain(&xs[best.1..]);
                for &x in others {
                    let at = sorted.partition_point(|&y| cmp(y, x) != Ordering::Greater);
                    sorted.insert(at, x);
                }
                xs.copy_from_slice(&sorted);
            } else {
                xs.sort_by(|&a, &b| cmp(a, b));
            }
        }
        self.orders = memo;
    }

    /// [`Store::cmp_expr`], through the memo for pairs of calls of one
    /// function (other pairs differ near the top, or seldom meet again).
    fn cmp_memo(
        &self,
        memo: &mut rustc_hash::FxHashMap<(ExprId, ExprId), Ordering>,
        a: ExprId,
        b: ExprId,
    ) -> Ordering {
        let alike = match (self.node(a), self.node(b)) {
            (Node::Call(f, _), Node::Call(g, _)) => f == g,
            _ => false,
        };
        if a == b || !alike {
            return self.cmp_expr(a, b);
        }
        let (key, flip) = if a < b {
            ((a, b), false)
        } else {
            ((b, a), true)
        };
        let o = *memo
            .entry(key)
            .or_insert_with(|| self.cmp_expr(key.0, key.1));
        if flip { o.reverse() } else { o }
    }

    /// The canonical order of two expressions.
    pub fn cmp_expr(&self, a: ExprId, b: ExprId) -> Ordering {
        self.cmp_at(Side { id: a, level: 0 }, Side { id: b, level: 0 })
    }

    /// True when `s` is compared as an atom (a compound node below the cut).
    fn is_cut(&self, s: Side) -> bool {
        s.level > CMP_DEPTH
            && !matches!(
                self.node(s.id),
                Node::Num(_) | Node::Const(_) | Node::Var(_)
            )
    }

    fn cmp_at(&self, a: Side, b: Side) -> Ordering {
        if a.id == b.id
            && (a.level == b.level || a.level.max(b.level) + self.depth(a.id) <= CMP_DEPTH + 1)
        {
            return Ordering::Equal;
        }
        let (cut_a, cut_b) = (self.is_cut(a), self.is_cut(b));
        let (na, nb) = (self.node(a.id), self.node(b.id));
        match (na, nb) {
            (Node::Num(x), Node::Num(y)) => return x.cmp_value(y),
            (Node::Num(_), _) => return Ordering::Less,
            (_, Node::Num(_)) => return Ordering::Greater,
            _ => {}
        }
        let is_mul = |n: Node, cut: bool| !cut && matches!(n, Node::Mul(_));
        if is_mul(na, cut_a) || is_mul(nb, cut_b) {
            return self.cmp_products(a, b);
        }
        let is_pow = |n: Node, cut: bool| !cut && matches!(n, Node::Pow(_));
        if is_pow(na, cut_a) || is_pow(nb, cut_b) {
            let (ba, ea) = self.base_exp(a);
            let (bb, eb) = self.base_exp(b);
            return self.cmp_at(ba, bb).then_with(|| self.cmp_exponents(ea, eb));
        }
        let rank = |n: Node, cut: bool| match n {
            _ if cut => 6,
            Node::Const(_) => 1,
            Node::Var(_) => 2,
            Node::Call(..) => 3,
            Node::Add(_) => 4,
            _ => 5,
        };
        if cut_a || cut_b {
            return rank(na, cut_a)
                .cmp(&rank(nb, cut_b))
                .then_with(|| self.fingerprint(a.id).cmp(&self.fingerprint(b.id)));
        }
        rank(na, false)
            .cmp(&rank(nb, false))
            .then_with(|| match (na, nb) {
                (Node::Const(x), Node::Const(y)) => x.cmp(y),
                (Node::Var(x), Node::Var(y)) => self.cmp_names(*x, *y),
                (Node::Call(f, xs), Node::Call(g, ys)) => f
                    .name()
                    .cmp(g.name())
                    .then_with(|| self.cmp_lists(xs, a.level + 1, ys, b.level + 1)),
                (Node::Add(xs), Node::Add(ys)) => self.cmp_lists(xs, a.level + 1, ys, b.level + 1),
                _ => Ordering::Equal,
            })
    }

    fn cmp_exponents(&self, ea: Option<Side>, eb: Option<Side>) -> Ordering {
        match (ea, eb) {
            (None, None) => Ordering::Equal,
            (Some(x), Some(y)) => self.cmp_at(x, y),
            // an implicit exponent 1 against a written one
            (None, Some(y)) => self.cmp_one(y.id),
            (Some(x), None) => self.cmp_one(x.id).reverse(),
        }
    }

    /// Compares the implicit exponent `1` with `e`.
    fn cmp_one(&self, e: ExprId) -> Ordering {
        match self.node(e) {
            Node::Num(n) => n.cmp_one().reverse(),
            _ => Ordering::Less,
        }
    }

    /// `(base, Some(exponent))` for a power, `(e, None)` otherwise.
    fn base_exp(&self, e: Side) -> (Side, Option<Side>) {
        match self.node(e.id) {
            Node::Pow([b, x]) if !self.is_cut(e) => (e.child(*b), Some(e.child(*x))),
            _ => (e, None),
        }
    }

    /// Products compare by their non-numeric factors, then by coefficient.
    fn cmp_products(&self, a: Side, b: Side) -> Ordering {
        // a non-product is the one factor of itself
        let (alone_a, alone_b) = ([a.id], [b.id]);
        let (ca, fa, la) = self.split_factors(a).unwrap_or((None, &alone_a, a.level));
        let (cb, fb, lb) = self.split_factors(b).unwrap_or((None, &alone_b, b.level));
        self.cmp_lists(fa, la, fb, lb).then_with(|| match (ca, cb) {
            (Some(x), Some(y)) => self.cmp_at(x, y),
            (None, Some(_)) => Ordering::Less,
            (Some(_), None) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        })
    }

    /// The coefficient, the other factors and their level, for a product
    /// (above the cut).
    fn split_factors(&self, e: Side) -> Option<(Option<Side>, &[ExprId], u32)> {
        match self.node(e.id) {
            Node::Mul(xs) if !self.is_cut(e) => Some(if matches!(self.node(xs[0]), Node::Num(_)) {
                (Some(e.child(xs[0])), &xs[1..], e.level + 1)
            } else {
                (None, xs, e.level + 1)
            }),
            _ => None,
        }
    }

    fn cmp_lists(&self, xs: &[ExprId], lx: u32, ys: &[ExprId], ly: u32) -> Ordering {
        for (x, y) in xs.iter().zip(ys) {
            let o = self.cmp_at(Side { id: *x, level: lx }, Side { id: *y, level: ly });
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

    /// The keys order names as `natural_cmp` does: every pair of a set of
    /// names with digit runs, leading zeros, prefixes, underscores, case
    /// and non-ASCII letters.
    #[test]
    fn natural_keys_follow_natural_cmp() {
        let parts = [
            "", "x", "x_", "y", "Y", "ab", "0", "00", "1", "01", "9", "10", "007", "_", "α", "x1",
            "2b",
        ];
        let mut names = Vec::new();
        for a in parts {
            for b in parts {
                for c in ["", "1", "a", "02"] {
                    let n = format!("{a}{b}{c}");
                    if !n.is_empty() {
                        names.push(n);
                    }
                }
            }
        }
        for a in &names {
            for b in &names {
                assert_eq!(
                    natural_key(a).cmp(&natural_key(b)),
                    natural_cmp(a, b),
                    "{a} {b}"
                );
            }
        }
    }

    /// A store orders its variables as `natural_cmp` orders their names,
    /// where the first 16 bytes of two keys settle it and where they do
    /// not: names alike for longer than that (`alpha_beta_gamma1` and
    /// `..2`), digit runs whose keys differ only after byte 16, a name
    /// that is another's prefix, and keys with zero bytes past the end of
    /// a shorter one.
    #[test]
    fn variables_compare_by_their_names_in_natural_order() {
        let mut names = vec![
            "x",
            "x1",
            "x2",
            "x10",
            "x01",
            "x0001",
            "x12345678",
            "x12345679",
            "x123456789",
            "y",
        ];
        names.extend([
            "alpha_beta_gamma",
            "alpha_beta_gamma1",
            "alpha_beta_gamma2",
            "alpha_beta_gamma10",
            "alpha_beta_gammb",
            "alpha_beta_gamm",
            "w1_3_2",
            "w1_3_10",
            "w1_10_2",
            "w01_3_2",
            "aaaaaaaaaaaaaaa",
            "aaaaaaaaaaaaaaaa",
            "aaaaaaaaaaaaaaaaa",
            "aaaaaaaaaaaaaaaa1",
            "aaaaaaaaaaaaaaaa_",
            "x1_",
            "x1a",
            "α1",
        ]);
        // keys whose first 16 bytes agree (kept whole), and short keys
        // (kept as their heads alone), side by side
        names.extend([
            "w1_2_3",
            "w1_2_30",
            "w1_2_03",
            "w1_2_3a",
            "w1_2_",
            "w1_2",
            "abcdefghijklmnopqrst",
            "abcdefghijklmnopqrsu",
            "abcdefghijklmnop",
            "abcdefghijklmnopq",
            "x0",
            "x00",
            "x000000000000000000001",
            "1",
            "01",
            "α",
            "t99999999",
            "t100000000",
            "t099999999",
            "_",
            "a_b_c_d_e_f_g",
        ]);
        let mut s = Store::new();
        let syms: Vec<_> = names.iter().map(|n| s.sym(n)).collect();
        for (a, &sa) in names.iter().zip(&syms) {
            for (b, &sb) in names.iter().zip(&syms) {
                assert_eq!(s.cmp_names(sa, sb), natural_cmp(a, b), "{a} {b}");
            }
        }
    }

    /// The run-and-insert sort with its memo orders every arrangement as
    /// the plain sort by `cmp_expr` does: sorted, one or many out of place,
    /// reversed, and lists longer than the insertion bound.
    #[test]
    fn sort_canonical_is_the_canonical_sort() {
        let mut s = Store::new();
        let mut xs = Vec::new();
        for k in 0..48 {
            let text = match k % 4 {
                0 => format!("cos(sin(x + {k}))"),
                1 => format!("cos(x)^{k}*y"),
                2 => format!("sin(cos(exp(sin(cos(x)))) + {k})"),
                _ => format!("x{k}"),
            };
            xs.push(crate::parse::parse_expr(&mut s, &text, &Default::default()).unwrap());
        }
        let mut want = xs.clone();
        want.sort_by(|a, b| s.cmp_expr(*a, *b));
        let mut cases: Vec<Vec<ExprId>> = vec![want.clone(), xs.clone()];
        let mut rev = want.clone();
        rev.reverse();
        cases.push(rev);
        for k in [0, 5, 47] {
            let mut moved = want.clone();
            let x = moved.remove(k);
            moved.insert((k * 7 + 3) % moved.len(), x);
            cases.push(moved);
        }
        for n in [2, 6, 7, 20, 48] {
            let mut part = xs[..n].to_vec();
            let mut sorted = part.clone();
            sorted.sort_by(|a, b| s.cmp_expr(*a, *b));
            s.sort_canonical(&mut part);
            assert_eq!(part, sorted, "first {n}");
        }
        for mut c in cases {
            s.sort_canonical(&mut c);
            assert_eq!(c, want);
        }
    }
}

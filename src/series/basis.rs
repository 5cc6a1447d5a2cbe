//! The monomial basis of truncated multivariate power series.
//!
//! Monomials in `n` variables of total degree at most `N` are listed in
//! graded order: by total degree, then by exponent vectors in descending
//! lexicographic order (`x^2`, `x*y`, `y^2`). A monomial's position is
//! computed from its exponents in `O(n)` (combinatorial number system), so
//! products need neither a hash map nor a quadratic table.

/// The number of monomials of total degree at most `order` in `vars`
/// variables, `C(order + vars, vars)`, saturating at `u128::MAX`.
pub fn monomial_count(vars: usize, order: u32) -> u128 {
    let (n, k) = (
        order as u128 + vars as u128,
        (vars as u128).min(order as u128),
    );
    let mut c: u128 = 1;
    for i in 1..=k {
        // c * (n - k + i) / i is exact: it is C(n - k + i, i)
        match c.checked_mul(n - k + i) {
            Some(p) => c = p / i,
            None => return u128::MAX,
        }
    }
    c
}

/// The monomials up to a total degree, in graded order.
#[derive(Debug, Clone)]
pub struct Basis {
    vars: usize,
    order: usize,
    /// Exponent vectors, `vars` entries per monomial.
    exps: Vec<u32>,
    /// Total degree of each monomial.
    degrees: Vec<u32>,
    /// `starts[d]`: index of the first monomial of degree `d` (`order + 2` entries).
    starts: Vec<usize>,
    /// `ways[r * (vars + 1) + k] = C(r + k, k)`: monomials of degree `<= r` in `k` variables.
    ways: Vec<usize>,
}

impl Basis {
    /// The basis for `vars` variables up to total degree `order`; the
    /// caller has checked that [`monomial_count`] fits in memory.
    #[cfg(test)]
    pub fn new(vars: usize, order: u32) -> Basis {
        Basis::try_new(vars, order).expect("a small basis")
    }

    /// The basis for `vars` variables up to total degree `order`, or
    /// `None` when its tables cannot be allocated.
    pub fn try_new(vars: usize, order: u32) -> Option<Basis> {
        let order = order as usize;
        let count = usize::try_from(monomial_count(vars, order as u32)).ok()?;
        let table = order.checked_add(1)?.checked_mul(vars.checked_add(1)?)?;
        let mut ways: Vec<usize> = Vec::new();
        ways.try_reserve_exact(table).ok()?;
        ways.resize(table, 0);
        let mut exps = Vec::new();
        exps.try_reserve_exact(count.checked_mul(vars)?).ok()?;
        let mut degrees = Vec::new();
        degrees.try_reserve_exact(count).ok()?;
        let mut starts = Vec::new();
        starts.try_reserve_exact(order.checked_add(2)?).ok()?;
        for r in 0..=order {
            for k in 0..=vars {
                let v = if r == 0 || k == 0 {
                    1
                } else {
                    ways[(r - 1) * (vars + 1) + k] + ways[r * (vars + 1) + k - 1]
                };
                ways[r * (vars + 1) + k] = v;
            }
        }
        let mut basis = Basis {
            vars,
            order,
            exps,
            degrees,
            starts,
            ways,
        };
        for d in 0..=order {
            basis.starts.push(basis.degrees.len());
            basis.push_degree(d);
        }
        basis.starts.push(basis.degrees.len());
        Some(basis)
    }

    /// Appends the monomials of degree `d` in descending lexicographic order.
    fn push_degree(&mut self, d: usize) {
        let n = self.vars;
        if n == 0 {
            if d == 0 {
                self.degrees.push(0);
            }
            return;
        }
        let mut e = vec![0u32; n];
        e[0] = d as u32;
        loop {
            self.exps.extend_from_slice(&e);
            self.degrees.push(d as u32);
            // the last position before the end that is non-zero moves one unit right
            let Some(i) = (0..n - 1).rev().find(|&i| e[i] > 0) else {
                return;
            };
            let tail: u32 = e[i + 1..].iter().sum();
            e[i] -= 1;
            e[i + 1..].iter_mut().for_each(|x| *x = 0);
            e[i + 1] = tail + 1;
        }
    }

    /// Number of monomials.
    pub fn len(&self) -> usize {
        self.degrees.len()
    }

    /// The truncation order.
    pub fn order(&self) -> usize {
        self.order
    }

    /// The exponent vector of monomial `m`.
    pub fn exponents(&self, m: usize) -> &[u32] {
        &self.exps[m * self.vars..(m + 1) * self.vars]
    }

    /// The total degree of monomial `m`.
    pub fn degree(&self, m: usize) -> usize {
        self.degrees[m] as usize
    }

    /// The index range of the monomials of degree `d`.
    pub fn part(&self, d: usize) -> std::ops::Range<usize> {
        self.starts[d]..self.starts[d + 1]
    }

    /// The monomial `x_i` (degree one), if the order is at least one.
    pub fn var_monomial(&self, i: usize) -> Option<usize> {
        (self.order >= 1 && i < self.vars).then_some(1 + i)
    }

    /// The index of the monomial with exponents `e` (one per variable),
    /// if its total degree is at most the order.
    pub fn index(&self, e: &[u32]) -> Option<usize> {
        let d = e.iter().map(|&k| k as usize).sum::<usize>();
        if d > self.order || e.len() != self.vars {
            return None;
        }
        Some(self.rank(d, |i| e[i] as usize))
    }

    /// The rank of the monomial of total degree `d` with exponents `e(i)`.
    fn rank(&self, d: usize, e: impl Fn(usize) -> usize) -> usize {
        let w = self.vars + 1;
        let mut rank = self.starts[d];
        let mut rest = d;
        for i in 0..self.vars.saturating_sub(1) {
            let e = e(i);
            if rest > e {
                // monomials with the same prefix and a larger exponent here
                rank += self.ways[(rest - e - 1) * w + (self.vars - 1 - i)];
            }
            rest -= e;
        }
        rank
    }

    /// The index of the product of monomials `p` and `q`; the caller
    /// ensures the total degree is at most the order.
    pub fn product(&self, p: usize, q: usize) -> usize {
        let d = (self.degrees[p] + self.degrees[q]) as usize;
        debug_assert!(d <= self.order);
        let (ep, eq) = (self.exponents(p), self.exponents(q));
        self.rank(d, |i| (ep[i] + eq[i]) as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_do_not_overflow() {
        assert_eq!(monomial_count(2, 3), 10);
        assert_eq!(monomial_count(1, 100_000), 100_001);
        assert_eq!(monomial_count(0, 7), 1);
        assert_eq!(monomial_count(3, 0), 1);
        assert_eq!(monomial_count(200, 200), u128::MAX);
    }

    #[test]
    fn graded_descending_lexicographic_order() {
        let b = Basis::new(2, 2);
        let all: Vec<&[u32]> = (0..b.len()).map(|m| b.exponents(m)).collect();
        assert_eq!(all, [[0, 0], [1, 0], [0, 1], [2, 0], [1, 1], [0, 2]]);
        let b = Basis::new(3, 2);
        assert_eq!(b.exponents(5), [1, 1, 0]);
        assert_eq!(b.exponents(6), [1, 0, 1]);
        assert_eq!(b.exponents(7), [0, 2, 0]);
    }

    #[test]
    fn product_ranks_match_the_listing() {
        for (vars, order) in [(1, 5), (2, 4), (3, 4), (4, 3)] {
            let b = Basis::new(vars, order);
            assert_eq!(b.len() as u128, monomial_count(vars, order));
            for p in 0..b.len() {
                for q in 0..b.len() {
                    if b.degree(p) + b.degree(q) > b.order() {
                        continue;
                    }
                    let sum: Vec<u32> = b
                        .exponents(p)
                        .iter()
                        .zip(b.exponents(q))
                        .map(|(x, y)| x + y)
                        .collect();
                    assert_eq!(b.exponents(b.product(p, q)), &sum[..]);
                }
            }
        }
    }
}

//! Arithmetic on truncated power series with [`ExprId`] coefficients.
//!
//! A series is a `Vec<ExprId>` indexed by the monomials of a [`Basis`];
//! entries past the end are zero, so a constant is a one-element vector.
//! Every coefficient is built with the store's constructors, so exact
//! inputs give exact coefficients and a float anywhere gives floats.
//! Products are sparse (zero coefficients are skipped) and truncated at
//! the basis order; each output coefficient is one n-ary sum.

use super::basis::Basis;
use crate::expr::{ExprId, Node, Store};
use crate::poly::{Normal, Rat};
use num_rational::BigRational;

/// A truncated power series: coefficients in basis order, missing = zero.
pub type Series = Vec<ExprId>;

/// Why a series operation stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fail {
    /// A division by a constant term that is exactly zero.
    Singular,
    /// The store grew past the node budget.
    TooLarge,
    /// A series of the basis's length could not be allocated.
    Memory,
    /// A quotient with a pole of this order at the point.
    Pole(u32),
}

/// Coefficient sums under construction for the monomials of one degree.
pub struct Part {
    degree: usize,
    terms: Vec<Vec<ExprId>>,
    /// The sums of the exact products whose factors are in normal form,
    /// kept as rational functions over the atoms (no expression built).
    normal: Vec<Option<Rat>>,
    /// The sums of the products whose factors are all rational numbers
    /// (no conversion, no expression built).
    rational: Vec<Option<BigRational>>,
}

/// The store, the basis and the budget shared by all series operations.
pub struct Ctx<'s> {
    /// The expression store holding every coefficient.
    pub store: &'s mut Store,
    /// The monomial basis.
    pub basis: Basis,
    /// The exact zero.
    pub zero: ExprId,
    /// The exact one.
    pub one: ExprId,
    node_limit: usize,
    /// The orders of validity lost to divisions by series that vanish at
    /// the point (see [`super::laurent`]).
    pub extra_order: usize,
    /// Exact coefficients in normal form over their atoms.
    normal: Normal,
}

impl<'s> Ctx<'s> {
    /// A context that fails with [`Fail::TooLarge`] once the store holds
    /// `max_nodes` more nodes than now.
    pub fn new(store: &'s mut Store, basis: Basis, max_nodes: usize) -> Ctx<'s> {
        let zero = store.int(0);
        let one = store.int(1);
        let node_limit = store.len().saturating_add(max_nodes);
        Ctx {
            store,
            basis,
            zero,
            one,
            node_limit,
            extra_order: 0,
            normal: Normal::new(),
        }
    }

    /// Fails when the store has outgrown the budget.
    pub fn check(&self) -> Result<(), Fail> {
        if self.store.len() > self.node_limit || self.store.overflowed().is_some() {
            Err(Fail::TooLarge)
        } else {
            Ok(())
        }
    }

    /// The smaller of `id` and its polynomial normal form over its atoms
    /// (`sigmoid(1)`, `log(2)`, ...): coefficients that would repeat
    /// unexpanded products of earlier ones stay short polynomials.
    pub fn normal(&mut self, id: ExprId) -> ExprId {
        // numbers, variables, constants and calls are their own normal form
        match self.store.node(id) {
            Node::Num(_) | Node::Var(_) | Node::Const(_) | Node::Call(..) => id,
            _ => self.normal.normalize(self.store, id),
        }
    }

    /// `id` as a rational function over its atoms, when it converts.
    pub fn rat(&mut self, id: ExprId) -> Option<Rat> {
        self.normal.to_rat(self.store, id)
    }

    /// The smaller of the expanded and factored forms of `r`, remembered
    /// as a normal form.
    pub fn emit(&mut self, r: Rat) -> ExprId {
        self.normal.emit_smallest(self.store, r)
    }

    /// The exact rational number `c · a · b`, when every factor is one.
    fn rational_product(&self, c: Option<ExprId>, a: ExprId, b: ExprId) -> Option<BigRational> {
        use crate::expr::rational::mul_rational;
        // machine-word products where the numbers are small (most series
        // coefficients): `Ratio`'s own reduces through big-integer gcds
        let q = |id: ExprId| self.store.as_num(id).and_then(|n| n.as_rational());
        let p = mul_rational(q(a)?, q(b)?);
        match c {
            Some(c) => Some(mul_rational(&p, q(c)?)),
            None => Some(p),
        }
    }

    /// True for an exact or float zero.
    pub fn is_zero(&self, id: ExprId) -> bool {
        id == self.zero || self.store.as_num(id).is_some_and(|n| n.is_zero())
    }

    /// Coefficient `i` of `s`.
    pub fn get(&self, s: &[ExprId], i: usize) -> ExprId {
        s.get(i).copied().unwrap_or(self.zero)
    }

    /// An upper bound of the total degree of `s`: that of its last entry.
    pub fn degree(&self, s: &[ExprId]) -> usize {
        s.len().checked_sub(1).map_or(0, |m| self.basis.degree(m))
    }

    /// True when `s` has no non-zero coefficient past the constant term.
    pub fn is_const(&self, s: &[ExprId]) -> bool {
        s.iter().skip(1).all(|&c| self.is_zero(c))
    }

    /// Drops trailing zeros.
    pub fn trim(&self, mut s: Series) -> Series {
        while s.len() > 1 && s.last().is_some_and(|&c| self.is_zero(c)) {
            s.pop();
        }
        s
    }

    /// A series of zeros, long enough for every monomial.
    ///
    /// # Errors
    /// [`Fail::Memory`] when it cannot be allocated.
    pub fn zeros(&self) -> Result<Series, Fail> {
        let mut s = Vec::new();
        s.try_reserve_exact(self.basis.len())
            .map_err(|_| Fail::Memory)?;
        s.resize(self.basis.len(), self.zero);
        Ok(s)
    }

    /// `Σ args`, coefficient-wise. Only exact zeros are skipped (here, in
    /// [`Ctx::scale`] and in products), so a float `0.0` keeps values floats. Only exact zeros are skipped here and in
    /// products, so a float `0.0` keeps later values floats.
    pub fn sum(&mut self, args: &[&[ExprId]]) -> Series {
        let len = args.iter().map(|a| a.len()).max().unwrap_or(1);
        let mut out = Vec::with_capacity(len);
        let mut terms = Vec::with_capacity(args.len());
        for i in 0..len {
            terms.clear();
            terms.extend(
                args.iter()
                    .map(|a| self.get(a, i))
                    .filter(|&c| c != self.zero),
            );
            out.push(self.store.add(&terms));
        }
        self.trim(out)
    }

    /// `c * s` for a scalar `c`.
    pub fn scale(&mut self, c: ExprId, s: &[ExprId]) -> Series {
        let mut out = Vec::with_capacity(s.len());
        for &x in s {
            out.push(if x == self.zero {
                self.zero
            } else {
                self.store.mul(&[c, x])
            });
        }
        self.trim(out)
    }

    /// `c + s` for a scalar `c`.
    pub fn shift(&mut self, c: ExprId, s: &[ExprId]) -> Series {
        let mut out = if s.is_empty() {
            vec![self.zero]
        } else {
            s.to_vec()
        };
        out[0] = self.store.add(&[c, out[0]]);
        out
    }

    /// The truncated product `a * b`.
    ///
    /// # Errors
    /// [`Fail::TooLarge`] when the store outgrows the budget.
    pub fn mul(&mut self, a: &[ExprId], b: &[ExprId]) -> Result<Series, Fail> {
        if self.is_const(a) {
            return Ok(self.scale(self.get(a, 0), b));
        }
        if self.is_const(b) {
            return Ok(self.scale(self.get(b, 0), a));
        }
        let mut out = self.zeros()?;
        let (da, db) = (self.degree(a), self.degree(b));
        for d in 0..=self.basis.order().min(da + db) {
            let mut part = self.part(d);
            for i in d.saturating_sub(db)..=d.min(da) {
                self.accumulate(&mut part, None, a, i, b, d - i)?;
            }
            self.finish(part, &mut out);
        }
        Ok(self.trim(out))
    }

    /// An empty accumulator for the degree-`d` part.
    pub fn part(&self, d: usize) -> Part {
        Part {
            degree: d,
            terms: vec![Vec::new(); self.basis.part(d).len()],
            normal: vec![None; self.basis.part(d).len()],
            rational: vec![None; self.basis.part(d).len()],
        }
    }

    /// Adds `c * a_i * b_j` (degree-`i` part of `a` times degree-`j` part
    /// of `b`, times an optional scalar) to an accumulator of degree `i + j`.
    ///
    /// # Errors
    /// [`Fail::TooLarge`] when the store outgrows the budget.
    pub fn accumulate(
        &mut self,
        part: &mut Part,
        c: Option<ExprId>,
        a: &[ExprId],
        i: usize,
        b: &[ExprId],
        j: usize,
    ) -> Result<(), Fail> {
        debug_assert_eq!(part.degree, i + j);
        let base = self.basis.part(part.degree).start;
        let qs: Vec<usize> = self
            .basis
            .part(j)
            .filter(|&q| self.get(b, q) != self.zero)
            .collect();
        if qs.is_empty() {
            return Ok(());
        }
        for p in self.basis.part(i) {
            let ap = self.get(a, p);
            if ap == self.zero {
                continue;
            }
            for &q in &qs {
                let r = self.basis.product(p, q) - base;
                let bq = self.get(b, q);
                if let Some(p) = self.rational_product(c, ap, bq) {
                    let slot = &mut part.rational[r];
                    *slot = Some(match slot.take() {
                        Some(sum) => crate::expr::rational::add_rational(&sum, &p),
                        None => p,
                    });
                    continue;
                }
                let factors = match c {
                    Some(c) => vec![c, ap, bq],
                    None => vec![ap, bq],
                };
                let acc = part.normal[r].take();
                let had = acc.is_some() || part.terms[r].is_empty();
                if had && let Some(sum) = self.normal.add_product(self.store, acc.clone(), &factors)
                {
                    part.normal[r] = Some(sum);
                    continue;
                }
                if let Some(a) = acc {
                    let e = self.normal.emit(self.store, a);
                    part.terms[r].push(e);
                }
                let t = match c {
                    Some(c) => self.store.mul(&[c, ap, bq]),
                    None => self.store.mul(&[ap, bq]),
                };
                part.terms[r].push(t);
            }
            self.check()?;
        }
        Ok(())
    }

    /// Writes the sums of an accumulator into `out`.
    pub fn finish(&mut self, part: Part, out: &mut Series) {
        let range = self.basis.part(part.degree);
        let sums = part.terms.into_iter().zip(part.normal).zip(part.rational);
        for (r, ((mut terms, mut normal), rational)) in range.zip(sums) {
            if let Some(q) = rational {
                match normal.take() {
                    Some(n) => match self.normal.add_rational(n, &q) {
                        Ok(sum) => normal = Some(sum),
                        Err(n) => {
                            normal = Some(n);
                            terms.push(self.store.rational(q));
                        }
                    },
                    None if terms.is_empty() => {
                        out[r] = self.store.rational(q);
                        continue;
                    }
                    None => terms.push(self.store.rational(q)),
                }
            }
            if let Some(n) = normal {
                if terms.is_empty() {
                    out[r] = self.normal.emit_smallest(self.store, n);
                    continue;
                }
                terms.push(self.normal.emit(self.store, n));
            }
            if !terms.is_empty() {
                let sum = self.store.add(&terms);
                // the recurrences feed this coefficient back into products:
                // expanded, it stays a short polynomial in the atoms
                out[r] = self.normal(sum);
            }
        }
    }

    /// The degree-`k` part of `u` from `k*u_k = Σ_{j=1..k} j*a_j*w_{k-j}`
    /// summed over the `(a, w)` pairs and multiplied by `c` (the Euler
    /// operator applied to `u = f(a)`, where `w = f'(a)`).
    ///
    /// # Errors
    /// [`Fail::TooLarge`] when the store outgrows the budget.
    pub fn euler_part(
        &mut self,
        pairs: &[(&[ExprId], &[ExprId])],
        c: ExprId,
        k: usize,
        out: &mut Series,
    ) -> Result<(), Fail> {
        let mut part = self.part(k);
        let top = pairs.iter().map(|(a, _)| self.degree(a)).max().unwrap_or(0);
        for j in 1..=k.min(top) {
            // most arguments are low-degree polynomials (`exp(t)`: only
            // j = 1): skip the factor j/k where every `a` is zero in degree j
            let nonzero = pairs
                .iter()
                .any(|(a, _)| self.basis.part(j).any(|p| self.get(a, p) != self.zero));
            if !nonzero {
                continue;
            }
            let f = self.store.frac(j as i64, k as i64);
            let f = self.store.mul(&[c, f]);
            for (a, w) in pairs {
                self.accumulate(&mut part, Some(f), a, j, w, k - j)?;
            }
        }
        self.finish(part, out);
        Ok(())
    }

    /// `u` with `u_0 = u0` and `Du = Σ w·Da` over the pairs, for fully
    /// known `w`: the integral of a known derivative.
    ///
    /// # Errors
    /// [`Fail::TooLarge`] when the store outgrows the budget.
    pub fn integrate(
        &mut self,
        pairs: &[(&[ExprId], &[ExprId])],
        u0: ExprId,
    ) -> Result<Series, Fail> {
        let mut u = self.zeros()?;
        u[0] = u0;
        for k in 1..=self.basis.order() {
            self.euler_part(pairs, self.one, k, &mut u)?;
        }
        Ok(self.trim(u))
    }

    /// The solution of `Du = (c + l*u + q*u^2)·Da` with `u_0 = u0`: `exp`
    /// (`l = 1`), `tan` (`c = q = 1`), `tanh` (`c = 1, q = -1`), sigmoid
    /// (`l = 1, q = -1`).
    ///
    /// # Errors
    /// [`Fail::TooLarge`] when the store outgrows the budget.
    pub fn riccati(
        &mut self,
        a: &[ExprId],
        u0: ExprId,
        c: i64,
        l: i64,
        q: i64,
    ) -> Result<Series, Fail> {
        let (n, cl, cq) = (self.basis.order(), self.store.int(l), self.store.int(q));
        let mut u = self.zeros()?;
        let mut w = self.zeros()?;
        u[0] = u0;
        for k in 1..=n {
            let m = k - 1;
            if q != 0 {
                let mut part = self.part(m);
                for i in 0..=m {
                    self.accumulate(&mut part, Some(cq), &u, i, &u, m - i)?;
                }
                self.finish(part, &mut w);
            }
            for r in self.basis.part(m).filter(|_| l != 0) {
                let lin = self.store.mul(&[cl, u[r]]);
                w[r] = self.store.add(&[w[r], lin]);
            }
            if m == 0 {
                let c = self.store.int(c);
                w[0] = self.store.add(&[w[0], c]);
            }
            self.euler_part(&[(a, &w)], self.one, k, &mut u)?;
        }
        Ok(self.trim(u))
    }

    /// `(s, c)` with `Ds = c·Da`, `Dc = sigma·s·Da`: `sin`/`cos` for
    /// `sigma = -1`, `sinh`/`cosh` for `sigma = 1`.
    ///
    /// # Errors
    /// [`Fail::TooLarge`] when the store outgrows the budget.
    pub fn pair(
        &mut self,
        a: &[ExprId],
        s0: ExprId,
        c0: ExprId,
        sigma: i64,
    ) -> Result<(Series, Series), Fail> {
        let sigma = self.store.int(sigma);
        let (mut s, mut c) = (self.zeros()?, self.zeros()?);
        s[0] = s0;
        c[0] = c0;
        for k in 1..=self.basis.order() {
            self.euler_part(&[(a, &c)], self.one, k, &mut s)?;
            self.euler_part(&[(a, &s)], sigma, k, &mut c)?;
        }
        Ok((self.trim(s), self.trim(c)))
    }
}

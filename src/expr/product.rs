//! Smart constructors for products: numbers folded into one coefficient,
//! like bases merged (`x*x^2 = x^3`) where that keeps the domain, contents
//! of sums taken out, a coefficient distributed over a lone sum. A zero
//! coefficient collapses the product to `0`, or to the undefined constant
//! when a factor is singular (`0/0`, `0*(1/0)`; see [`Store::is_singular`]).

use num_rational::BigRational;
use num_traits::{One, Signed, Zero};
use smallvec::SmallVec;

use super::build::{Domain, overflows};
use super::coeff::Coeff;
use super::{ExprId, Node, Number, Store, number};

/// The operands of `p`, copied (debug checks).
fn xs_of(s: &Store, p: ExprId) -> Factors {
    SmallVec::from_slice(s.node(p).children())
}

/// A product's factors while it is built: most products have a few, and
/// those stay off the heap.
type Factors = SmallVec<[ExprId; 8]>;

/// The most symbolic factors [`Store::mul_apart`] takes (it compares
/// every pair of bases).
const APART_MAX: usize = 8;

/// Whether none of `xs` is NaN (a NaN factor makes the product NaN).
fn none_nan(s: &Store, xs: &[ExprId]) -> bool {
    xs.iter().all(|&x| !s.is_nan(x))
}

impl Store {
    /// A product.
    pub fn mul(&mut self, factors: &[ExprId]) -> ExprId {
        if self.overflow.is_some() {
            // the result is discarded: stay cheap
            return self.zero();
        }
        if let Some(id) = self.mul_one_more(factors) {
            debug_same!(self, id, self.mul_passes(factors), "{factors:?}");
            return id;
        }
        if let Some(id) = self.mul_apart(factors) {
            debug_same!(self, id, self.mul_passes(factors), "{factors:?}");
            return id;
        }
        self.mul_passes(factors)
    }

    /// A product of a few factors (products among them flattened) whose
    /// bases are all distinct and whose numbers are small exact ones
    /// (machine fractions): nothing merges, so the passes would only fold
    /// the numbers into one coefficient, take the contents of sums out
    /// beside another factor, put the factors in canonical order and
    /// distribute the coefficient over a lone sum; this does just that,
    /// without their tables (the chain rule's products: `1/2 *
    /// (x^2 + exp(x^2))^(-1/2) * 2 * (x + x*exp(x^2))`). `None` where
    /// the passes are needed: a base met twice, a float, a coefficient
    /// past a machine fraction or zero, NaN, more than [`APART_MAX`]
    /// factors.
    fn mul_apart(&mut self, factors: &[ExprId]) -> Option<ExprId> {
        if self.max_bits < 62 {
            return None;
        }
        let mut coeff = Coeff::ONE;
        let mut xs: Factors = SmallVec::new();
        for &f in factors {
            let parts = match self.node(f) {
                Node::Mul(ys) => ys,
                _ => std::slice::from_ref(&f),
            };
            for &y in parts {
                match self.node(y) {
                    Node::Num(n) => {
                        let Coeff::Small(a, b) = Coeff::of(n) else {
                            return None;
                        };
                        coeff = coeff.times(&Coeff::Small(a, b));
                    }
                    _ => xs.push(y),
                }
            }
            if xs.len() > APART_MAX || !matches!(coeff, Coeff::Small(..)) {
                return None;
            }
        }
        if coeff.is_zero() || !none_nan(self, &xs) {
            return None;
        }
        if xs.len() >= 2 {
            for x in xs.iter_mut() {
                if let Some((c, primitive)) = self.content_coeff(*x) {
                    coeff = coeff.times(&c);
                    *x = primitive;
                }
            }
            if !matches!(coeff, Coeff::Small(..)) {
                return None;
            }
        }
        let base = |s: &Store, x: ExprId| match s.node(x) {
            Node::Pow([b, e]) if matches!(s.node(*e), Node::Num(_)) => *b,
            _ => x,
        };
        for (i, &x) in xs.iter().enumerate() {
            let b = base(self, x);
            if xs[i + 1..].iter().any(|&y| base(self, y) == b) {
                return None;
            }
        }
        self.sort_canonical(&mut xs);
        Some(self.finish_product(&coeff, xs))
    }

    /// The product of a coefficient and symbolic factors in canonical
    /// order, none merging: the coefficient distributed over a lone sum,
    /// else placed first (`1` left out).
    fn finish_product(&mut self, coeff: &Coeff, mut xs: Factors) -> ExprId {
        if !coeff.is_one()
            && let Some(id) = self.distribute(&coeff.number(), &xs)
        {
            return id;
        }
        match (xs.len(), coeff.is_one()) {
            (0, _) => self.coeff_node(coeff),
            (1, true) => xs[0],
            (_, one) => {
                if !one {
                    let c = self.coeff_node(coeff);
                    xs.insert(0, c);
                }
                self.intern_mul(&xs)
            }
        }
    }

    /// A canonical product `p` times `q`, a factor or another canonical
    /// product (`[p, q]` or `[q, p]`), where the constructor's passes
    /// would only put `q`'s symbolic factors in their places among `p`'s
    /// and multiply exact coefficients: none of `q`'s factors has a base
    /// that one of `p`'s has (nothing merges), none is a sum with a content,
    /// nor is `p`'s one symbolic factor (no content joins the coefficient).
    /// Each place is found by binary search, so that the chain rule's
    /// product of `n` factors, built a factor or two at a time (the
    /// derivative of `sin(cos(exp(...)))`), costs `n log n` comparisons,
    /// not `n²`. `None` where the passes are needed.
    fn mul_one_more(&mut self, factors: &[ExprId]) -> Option<ExprId> {
        let &[a, b] = factors else {
            return None;
        };
        let width = |s: &Store, x: ExprId| match s.node(x) {
            Node::Mul(xs) => xs.len(),
            _ => 0,
        };
        let (p, q) = match (width(self, a), width(self, b)) {
            (0, 0) => return None,
            (m, n) if m >= n => (a, b),
            _ => (b, a),
        };
        let num = |s: &Store, x: ExprId| matches!(s.node(x), Node::Num(_));
        let mut xs: Factors = SmallVec::from_slice(self.node(p).children());
        let mut coeff = Coeff::ONE;
        if num(self, xs[0]) {
            coeff = self.exact_coeff(xs.remove(0))?;
        }
        let mut more: Factors = match self.node(q) {
            Node::Mul(ys) => SmallVec::from_slice(ys),
            _ => smallvec::smallvec![q],
        };
        if num(self, more[0]) {
            let c = self.exact_coeff(more.remove(0))?;
            coeff = coeff.times(&c);
            if coeff.overflows() {
                return None;
            }
            coeff = self.bounded_coeff(coeff);
        }
        if more.is_empty() || (xs.len() < 2 && matches!(self.node(xs[0]), Node::Add(_))) {
            return None;
        }
        let base = |s: &Store, x: ExprId| match s.node(x) {
            Node::Pow([b, e]) if num(s, *e) => *b,
            _ => x,
        };
        for &g in &more {
            let sum = matches!(self.node(g), Node::Add(_));
            if num(self, g) || self.is_nan(g) || (sum && self.content_coeff(g).is_some()) {
                return None;
            }
            let bg = base(self, g);
            if xs.iter().any(|&x| base(self, x) == bg) {
                return None;
            }
        }
        for g in more {
            let at = self.place_canonical(&xs, g);
            xs.insert(at, g);
        }
        if !coeff.is_one() {
            let c = self.coeff_node(&coeff);
            xs.insert(0, c);
        }
        Some(self.intern_mul(&xs))
    }

    /// The coefficient of a product, `Some` when it is exact (a float's
    /// rounding depends on how the product is grouped: the passes fold it).
    fn exact_coeff(&self, c: ExprId) -> Option<Coeff> {
        match self.node(c) {
            Node::Num(n) if n.is_exact() => Some(Coeff::of(n)),
            _ => None,
        }
    }

    /// [`Store::mul`] by the constructor's passes.
    fn mul_passes(&mut self, factors: &[ExprId]) -> ExprId {
        let mut work: Factors = SmallVec::from_slice(factors);
        for _ in 0..16 {
            match self.mul_pass(&work) {
                Ok(id) => return id,
                Err(next) => work = next,
            }
        }
        self.mul_pass(&work)
            .unwrap_or_else(|next| self.intern_mul(&next))
    }

    /// The product of the factors of the product `p` but its `i`-th, times
    /// `by`, as [`Store::mul`] builds it: the product rule asks this of every
    /// factor that depends on the variable. Where `by` is a number and the
    /// factors left are two or more, none a number, they are a canonical
    /// product as they stand (in order, like bases apart, sums primitive,
    /// as they were in `p`), and `by` is its coefficient: interned without
    /// the constructor's passes; so is a lone factor left, times 1.
    pub(crate) fn mul_all_but(&mut self, p: ExprId, i: usize, by: ExprId) -> ExprId {
        let Node::Mul(xs) = self.node(p) else {
            return self.mul(&[by]);
        };
        let mut rest: Factors = SmallVec::with_capacity(xs.len() + 1);
        rest.extend_from_slice(&xs[..i]);
        rest.extend_from_slice(&xs[i + 1..]);
        // a number, not 0 (the product vanishes) nor undefined (it absorbs)
        let by_number = self.as_num(by).filter(|n| !n.is_zero() && !self.is_nan(by));
        let one = by_number.is_some_and(Number::is_one);
        let fast = if self.overflow.is_some() || by_number.is_none() {
            None
        } else if rest.len() == 1 && one {
            Some(rest[0])
        } else if rest.len() >= 2 && !matches!(self.node(rest[0]), Node::Num(_)) {
            if !one {
                rest.insert(0, by);
            }
            Some(self.intern_mul(&rest))
        } else {
            None
        };
        if let Some(id) = fast {
            debug_same!(self, id, {
                let mut all = xs_of(self, p);
                all.remove(i);
                all.push(by);
                self.mul(&all)
            });
            return id;
        }
        rest.push(by);
        self.mul(&rest)
    }

    /// The product `p` without its factors at the positions `drop`
    /// (ascending), as [`Store::mul`] builds the factors left. The factors
    /// left of a canonical product are one as they stand (in order, like
    /// bases apart, sums primitive) unless a numeric coefficient is left
    /// with a lone sum, which the constructor distributes over it; that,
    /// and a `p` that is not a product, go through the constructor.
    pub(crate) fn mul_without(&mut self, p: ExprId, drop: &[usize]) -> ExprId {
        let Node::Mul(xs) = self.node(p) else {
            let left: Factors = if drop.is_empty() {
                smallvec::smallvec![p]
            } else {
                SmallVec::new()
            };
            return self.mul(&left);
        };
        let left: Factors = xs
            .iter()
            .enumerate()
            .filter(|(i, _)| drop.binary_search(i).is_err())
            .map(|(_, &f)| f)
            .collect();
        let num = |s: &Store, f: ExprId| matches!(s.node(f), Node::Num(_));
        // a number only first (the coefficient), and not alone, nor with
        // a lone sum (the constructor distributes it)
        let fast = self.overflow.is_none()
            && !left.iter().any(|&f| self.is_nan(f))
            && !left.is_empty()
            && !left[1..].iter().any(|&f| num(self, f))
            && !matches!(left[..], [f] if num(self, f))
            && !matches!(left[..], [c, f] if num(self, c) && matches!(self.node(f), Node::Add(_)));
        if !fast {
            return self.mul(&left);
        }
        let id = match left[..] {
            [f] => f,
            _ => self.intern_mul(&left),
        };
        debug_same!(self, id, self.mul(&left));
        id
    }

    /// The factors with nested products flattened and, among two or more
    /// symbolic factors, every sum made primitive (its content joins the
    /// coefficient: `(2*x + 2)*y = 2*(x + 1)*y`, so the result does not
    /// depend on how the product was grouped); `None` when a factor is NaN.
    fn flatten_factors(&mut self, factors: &[ExprId]) -> Option<(Coeff, Factors)> {
        let mut coeff = Coeff::ONE;
        let mut flat: Factors = SmallVec::with_capacity(factors.len());
        for &f in factors {
            match self.node(f) {
                Node::Mul(xs) => flat.extend_from_slice(xs),
                _ => flat.push(f),
            }
        }
        if flat.iter().any(|f| self.is_nan(*f)) {
            return None;
        }
        let symbolic = flat
            .iter()
            .filter(|f| !matches!(self.node(**f), Node::Num(_)))
            .count();
        if symbolic >= 2 {
            for f in flat.iter_mut() {
                if let Some((c, primitive)) = self.content_coeff(*f) {
                    coeff = coeff.times(&c);
                    *f = primitive;
                }
            }
        }
        Some((coeff, flat))
    }

    /// One round of product canonicalization; `Err` asks for another round
    /// because merging powers produced numbers or products.
    fn mul_pass(&mut self, factors: &[ExprId]) -> Result<ExprId, Factors> {
        let Some((mut coeff, flat)) = self.flatten_factors(factors) else {
            return Ok(self.nan());
        };
        // 0*u is 0 only where u is defined: 0/0, 0*(1/0), 0.0*(1e308*10)
        let singular = factors.iter().any(|f| self.is_singular(*f));
        // numbers left unfolded because folding them overflows a float:
        // `1e300*1e300*x` stays as written, and evaluates to inf
        let mut extra: Factors = SmallVec::new();
        // factors by base, each base numbered in order of first occurrence
        let mut bases: Factors = SmallVec::new();
        let mut seen = super::FirstSeen::default();
        // (base number, factor, numeric exponent's node): ids, not numbers,
        // so that an item is small and no exponent is cloned
        let mut items: SmallVec<[(u32, ExprId, Option<ExprId>); 8]> =
            SmallVec::with_capacity(flat.len());
        for f in flat {
            let (b, e) = match self.node(f) {
                Node::Num(n) => {
                    let prod = coeff.mul(n);
                    if prod.overflows() {
                        extra.push(f);
                    } else {
                        coeff = self.bounded_coeff(prod);
                    }
                    continue;
                }
                Node::Pow([b, e]) => match self.node(*e) {
                    Node::Num(_) => (*b, Some(*e)),
                    _ => (f, None),
                },
                _ => (f, None),
            };
            let g = seen.find(&bases, |&x| x, b).unwrap_or_else(|| {
                seen.pushed(b, bases.len());
                bases.push(b);
                bases.len() - 1
            });
            items.push((g as u32, f, e));
        }
        // stable: a base's factors keep their order
        items.sort_by_key(|t| t.0);
        if coeff.is_zero() {
            if singular || !extra.is_empty() {
                return Ok(self.nan());
            }
            self.note_dropped(factors);
            return Ok(self.number(if coeff.is_exact() {
                Number::int(0)
            } else {
                Number::float(0.0)
            }));
        }
        let mut out = extra;
        let mut again = false;
        for run in items.chunk_by(|x, y| x.0 == y.0) {
            if let [(_, f, _)] = run {
                out.push(*f);
                continue;
            }
            let group: SmallVec<[(ExprId, Option<ExprId>); 4]> =
                run.iter().map(|(_, f, e)| (*f, *e)).collect();
            let base = bases[run[0].0 as usize];
            for p in self.merge_powers(base, &group) {
                // another round where the merged power is a number or a
                // product, or has a base of its own that may be another
                // factor's (`e*e` is `exp(2)`, beside an `exp(2)` already
                // there)
                let kept = match self.node(p) {
                    Node::Pow([b, e]) if matches!(self.node(*e), Node::Num(_)) => *b == base,
                    _ => p == base,
                };
                again |= !kept || matches!(self.node(p), Node::Num(_) | Node::Mul(_));
                out.push(p);
            }
        }
        if again {
            let c = self.coeff_node(&coeff);
            out.push(c);
            return Err(out);
        }
        self.sort_canonical(&mut out);
        Ok(self.finish_product(&coeff, out))
    }

    /// Merges `b^e1 * b^e2 * ...` (numeric exponents, sum `s`). When `b^s`
    /// has the domain of the product it is `b^s`; otherwise the canonical
    /// pair `b^(s - k) * b^k` with the smallest `k` that keeps the domain
    /// (`x^2 * x^-1 = x^2 * x^-1`, `x^3 * x^-2 = x^2 * x^-1`: `x` is not
    /// either of them at `x = 0`), so the result never depends on grouping.
    /// A float sum that overflows keeps the factors apart.
    fn merge_powers(
        &mut self,
        b: ExprId,
        group: &[(ExprId, Option<ExprId>)],
    ) -> SmallVec<[ExprId; 2]> {
        let exps: SmallVec<[Number; 4]> = group
            .iter()
            .map(|(_, e)| {
                e.and_then(|e| self.as_num(e).cloned())
                    .unwrap_or(Number::int(1))
            })
            .collect();
        let mut sum = Number::int(0);
        for e in &exps {
            sum = self.bounded(sum.add(e));
        }
        if overflows(&sum) {
            return group.iter().map(|g| g.0).collect();
        }
        let dom = exps.iter().fold(Domain::All, |d, e| d.meet(Domain::of(e)));
        if self.is_positive(b) || Domain::of(&sum) == dom || exps.iter().any(|e| !e.is_exact()) {
            let e = self.number(sum);
            return smallvec::smallvec![self.pow(b, e)];
        }
        let k = match dom {
            Domain::NonZero => Number::int(-1),
            Domain::Pos => Number::frac(-1, 2),
            Domain::NonNeg | Domain::All => Number::frac(1, 2),
        };
        let rest = sum.add(&k.neg());
        let (e1, e2) = (self.number(rest), self.number(k));
        smallvec::smallvec![self.pow(b, e1), self.pow(b, e2)]
    }

    /// A sum as `c * A` with `A` primitive: the gcd of its exact coefficients
    /// taken out, signed so that `A` has fewer negative terms than `-A` (at
    /// a tie, a positive first non-constant term): `-2*x - 4 = -2*(x + 2)`;
    /// with a float coefficient, only the sign. `None` when `c` would be 1.
    pub fn content(&mut self, sum: ExprId) -> Option<(Number, ExprId)> {
        self.content_coeff(sum).map(|(c, p)| (c.number(), p))
    }

    /// [`Store::content`], the number as a [`Coeff`]: a small one is
    /// copied out of the kept contents, not a big rational cloned.
    pub(super) fn content_coeff(&mut self, sum: ExprId) -> Option<(Coeff, ExprId)> {
        if !matches!(self.node(sum), Node::Add(_)) {
            return None;
        }
        if self.flags[sum.index()] & super::domain::NO_CONTENT != 0 {
            return None;
        }
        if let Some(known) = self.contents.get(&sum) {
            return Some(known.clone());
        }
        let found = self.find_content(sum).map(|(c, p)| (Coeff::of(&c), p));
        if self.overflow.is_none() {
            // a result built past an overflow is discarded: not kept
            match &found {
                None => self.flags[sum.index()] |= super::domain::NO_CONTENT,
                Some(f) => {
                    self.contents.insert(sum, f.clone());
                }
            }
        }
        found
    }

    fn find_content(&mut self, sum: ExprId) -> Option<(Number, ExprId)> {
        let terms: Factors = match self.node(sum) {
            Node::Add(terms) => SmallVec::from_slice(terms),
            _ => return None,
        };
        let mut lead_negative = None;
        let mut negatives = 0usize;
        let mut floats = false;
        let mut coeffs: SmallVec<[Coeff; 8]> = SmallVec::with_capacity(terms.len());
        for &t in terms.iter() {
            // the coefficient alone: the rest of the term is not built
            let c = match self.node(t) {
                Node::Num(n) => Coeff::of(n),
                _ => self.term_coeff(t),
            };
            floats |= !c.is_exact();
            negatives += usize::from(c.is_negative());
            if lead_negative.is_none() && !matches!(self.node(t), Node::Num(_)) {
                lead_negative = Some(c.is_negative());
            }
            coeffs.push(c);
        }
        // the sign with fewer negative terms; at a tie, a positive first variable term
        let flip = 2 * negatives > terms.len()
            || (2 * negatives == terms.len() && lead_negative == Some(true));
        // the gcd of the magnitudes (a float coefficient: only the sign is
        // normalized), in machine words where they are small: most sums'
        // is 1, and then no big number is built
        let g = if floats {
            BigRational::one()
        } else {
            match Coeff::magnitude_gcd(&coeffs) {
                Some((0, _)) => return None,
                Some((1, 1)) if !flip => return None,
                Some((n, d)) => BigRational::new_raw(n.into(), d.into()),
                None => coeffs
                    .iter()
                    .map(|c| {
                        c.number()
                            .as_rational()
                            .map_or_else(BigRational::one, |r| r.abs())
                    })
                    .reduce(|g, r| {
                        let (gd, rd) = (g.denom(), r.denom());
                        let lcm = gd / number::gcd(gd, rd) * rd;
                        BigRational::new_raw(number::gcd(g.numer(), r.numer()), lcm)
                    })?,
            }
        };
        let c = if flip { -g } else { g };
        if c.is_one() || c.is_zero() {
            return None;
        }
        let by = Number::Rational(c.recip());
        let inv = self.number(by.clone());
        Some((
            Number::Rational(c),
            self.scaled_sum(inv, &by, &terms, &coeffs),
        ))
    }

    /// The numeric coefficient of a term that is not a number (1 where it
    /// has none).
    fn term_coeff(&self, t: ExprId) -> Coeff {
        match self.node(t) {
            Node::Mul(fs) => self.as_num(fs[0]).map_or(Coeff::ONE, Coeff::of),
            _ => Coeff::ONE,
        }
    }

    /// `by * (t1 + t2 + ...)` for the terms of a canonical sum, `coeffs`
    /// their coefficients, `by` (node `c`) a number other than 0, as
    /// [`Store::add`] of the scaled terms builds it. The terms' rests are
    /// distinct (like terms were collected) and stay so, so nothing
    /// collects: where each term was scaled by its coefficient alone, or
    /// is a number, the scaled terms only need the canonical order (the
    /// coefficient decides it only between rests that compare equal).
    fn scaled_sum(&mut self, c: ExprId, by: &Number, terms: &[ExprId], coeffs: &[Coeff]) -> ExprId {
        let mut plain = true;
        let mut out: Factors = SmallVec::with_capacity(terms.len());
        for (&t, k) in terms.iter().zip(coeffs) {
            let (id, fast) = self.scale_term(c, by, t, k);
            // the constant scaled is the constant, unless it vanished (a
            // float underflow); a term that became a number needs the sum
            plain &= fast
                || (matches!(self.node(t), Node::Num(_))
                    && self.as_num(id).is_some_and(|n| !n.is_zero()));
            out.push(id);
        }
        if !plain || self.overflow.is_some() {
            return self.add(&out);
        }
        self.sort_canonical(&mut out);
        let id = self.intern_add(&out);
        debug_same!(self, id, self.add(&out));
        id
    }

    /// `inv * t` (`inv` the node of the number `by`) for a term `t` of a
    /// canonical sum whose coefficient is `k`, as [`Store::mul`] builds it:
    /// the term's rest (never a sum: a coefficient is distributed over a
    /// lone sum) keeps its factors as they are, and only the coefficient
    /// changes. Numbers, and a coefficient past the bounds, go through the
    /// constructor.
    /// Also whether it took that way.
    fn scale_term(&mut self, inv: ExprId, by: &Number, t: ExprId, k: &Coeff) -> (ExprId, bool) {
        // a second number in the term (left apart from the coefficient,
        // past a float's range: `N*0.0*x` for a huge N) would take `by` in
        // the constructor: the term goes that way
        let apart = match self.node(t) {
            Node::Mul(fs) => fs[1..]
                .iter()
                .any(|f| matches!(self.node(*f), Node::Num(_))),
            _ => false,
        };
        let fast = if self.overflow.is_some() || apart || matches!(self.node(t), Node::Num(_)) {
            None
        } else {
            let k = k.mul(by);
            // a float product that underflows to 0 goes through the
            // constructor, which drops the term (`2.0*x * 8^-888`)
            (!k.overflows() && !k.is_zero()).then(|| {
                let k = self.bounded_coeff(k);
                // the factors but the coefficient, in their order
                let mut xs: Factors = SmallVec::new();
                match self.node(t) {
                    Node::Mul(fs) if matches!(self.node(fs[0]), Node::Num(_)) => {
                        xs.extend_from_slice(&fs[1..]);
                    }
                    Node::Mul(fs) => xs.extend_from_slice(fs),
                    _ => xs.push(t),
                }
                if !k.is_one() {
                    xs.insert(0, self.coeff_node(&k));
                }
                match xs[..] {
                    [one] => one,
                    _ => self.intern_mul(&xs),
                }
            })
        };
        match fast {
            Some(id) => {
                debug_same!(
                    self,
                    id,
                    self.mul(&[inv, t]),
                    "{}",
                    crate::print::infix(self, t)
                );
                (id, true)
            }
            None => (self.mul(&[inv, t]), false),
        }
    }

    /// `k * n` for the node `k` of a number, as [`Store::mul`] makes it;
    /// where `n` is neither a sum nor a number, by scaling its coefficient
    /// (`2 * 3*x*y = 6*x*y`, as [`Store::scale_term`] does a sum's term),
    /// without the constructor's passes.
    pub(crate) fn scale(&mut self, k: ExprId, n: ExprId) -> ExprId {
        // (a term with a number left apart goes to the constructor in
        // scale_term itself)
        let plain = !matches!(self.node(n), Node::Add(_) | Node::Num(_));
        let by = self.as_num(k).filter(|b| !b.is_zero()).cloned();
        match by {
            Some(by) if plain && !self.is_nan(k) => {
                let c = self.term_coeff(n);
                self.scale_term(k, &by, n, &c).0
            }
            _ => self.mul(&[k, n]),
        }
    }

    /// Distributes a numeric coefficient over a sum that is the whole rest of
    /// the product, as SymPy does: `2*(x + y) = 2*x + 2*y`, `-(x - y) = y - x`.
    fn distribute(&mut self, coeff: &Number, out: &[ExprId]) -> Option<ExprId> {
        if coeff.is_one() || out.len() != 1 || !matches!(self.node(out[0]), Node::Add(_)) {
            return None;
        }
        let terms = SmallVec::<[ExprId; 8]>::from_slice(self.node(out[0]).children());
        let c = self.number(coeff.clone());
        let coeffs: SmallVec<[Coeff; 8]> = terms.iter().map(|&t| self.term_coeff(t)).collect();
        Some(self.scaled_sum(c, coeff, &terms, &coeffs))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{ParseOptions, parse_expr};

    fn parse(s: &mut Store, text: &str) -> ExprId {
        parse_expr(s, text, &ParseOptions::default()).unwrap()
    }

    /// Factors where bases repeat, sums have contents, and numbers are
    /// exact and float.
    const LEAVES: [&str; 16] = [
        "-sin(cos(x))",
        "exp(sin(x))",
        "cos(x)",
        "2*sin(x)^2",
        "x",
        "x + 1",
        "2*x + 2",
        "x^2",
        "sqrt(x)",
        "3/4",
        "y^-1",
        "cos(exp(x))",
        "-1/2*tan(y)",
        "(x + y)^3",
        "1.5*z",
        "z",
    ];

    /// `texts` parsed into `s`.
    fn leaves(s: &mut Store, texts: &[&str]) -> Vec<ExprId> {
        texts.iter().map(|t| parse(s, t)).collect()
    }

    /// A linear congruential generator: the same draws on every run.
    struct Draws(u64);

    impl Draws {
        /// A number in `0..n`.
        fn next(&mut self, n: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (self.0 >> 33) as usize % n
        }

        /// `1..=most` of `from`, drawn with repetition.
        fn some(&mut self, from: &[ExprId], most: usize) -> Vec<ExprId> {
            let k = 1 + self.next(most);
            (0..k).map(|_| from[self.next(from.len())]).collect()
        }
    }

    /// A product times a factor or another product is what the
    /// constructor's passes make of the pair, whether or not the binary
    /// search path takes it: over pairs of products of up to five factors
    /// from [`LEAVES`].
    #[test]
    fn a_product_times_more_is_what_the_passes_make() {
        let mut s = Store::new();
        let leaves = leaves(&mut s, &LEAVES);
        let mut draws = Draws(12345);
        let mut fast = 0;
        for _ in 0..400 {
            let p = draws.some(&leaves, 5);
            let p = s.mul(&p);
            let q = draws.some(&leaves, 3);
            let q = s.mul(&q);
            for pair in [[p, q], [q, p]] {
                fast += usize::from(s.mul_one_more(&pair).is_some());
                assert_eq!(s.mul(&pair), s.mul_passes(&pair), "{pair:?}");
            }
        }
        assert!(fast > 100, "the binary search path took {fast} pairs");
    }

    /// Products of a few factors, drawn from [`LEAVES`] and more numbers
    /// (exact, float, zero, big) and sums, are what the passes make,
    /// whether or not they take the short way of distinct bases (which
    /// most of them do).
    #[test]
    fn a_product_of_distinct_bases_is_what_the_passes_make() {
        let mut s = Store::new();
        let mut texts = LEAVES.to_vec();
        texts.extend([
            "-x - 3",
            "2",
            "-1",
            "0",
            "0.5",
            "123456789012345678901",
            "u - v",
        ]);
        let leaves = leaves(&mut s, &texts);
        let mut draws = Draws(977);
        let mut short = 0;
        for _ in 0..600 {
            let p = draws.some(&leaves, 6);
            short += usize::from(s.mul_apart(&p).is_some());
            assert_eq!(s.mul(&p), s.mul_passes(&p), "{p:?}");
        }
        assert!(short > 150, "the short way took {short} products");
    }

    /// The chain rule's product through `sin(cos(exp(...)))`, a factor
    /// (or `-1` times one) at a time, takes the binary search path at every
    /// step, and is the product of all its factors built at once.
    #[test]
    fn a_chain_of_factors_is_placed_not_sorted() {
        let mut s = Store::new();
        let mut inner = "x".to_string();
        let mut factors = Vec::new();
        for k in 0..30 {
            let (f, d) = match k % 3 {
                0 => ("sin", format!("cos({inner})")),
                1 => ("cos", format!("-sin({inner})")),
                _ => ("exp", format!("exp({inner})")),
            };
            factors.push(parse(&mut s, &d));
            inner = format!("{f}({inner})");
        }
        let mut acc = factors[0];
        for &f in &factors[1..] {
            assert!(s.mul_one_more(&[f, acc]).is_some());
            acc = s.mul(&[f, acc]);
        }
        assert_eq!(acc, s.mul_passes(&factors));
    }
}

//! Expressions to rational functions over atoms and back.

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::One;
use rustc_hash::{FxHashMap, FxHashSet};

use super::count::count_ops;
use super::rat::Rat;
use super::sparse::{Budget, Mono, OverBudget, Poly};
use crate::expr::{ExprId, Node, Store};

/// Largest integer exponent expanded (`(a + b)^n`); larger powers are atoms.
const MAX_EXPONENT: i64 = 1_000;

/// Converts expressions to rational functions over atoms and back, with a
/// table of atoms and a cache of converted results shared by every call,
/// so that expressions built from earlier results convert in time
/// proportional to the new work only.
#[derive(Debug, Default)]
pub struct Normal {
    atoms: Vec<ExprId>,
    index: FxHashMap<ExprId, usize>,
    cache: FxHashMap<ExprId, Rat>,
    failed: FxHashSet<ExprId>,
    /// Results of [`Normal::normalize`] and [`Normal::emit_smallest`]:
    /// their own normal form.
    settled: FxHashSet<ExprId>,
    ops: FxHashMap<ExprId, u64>,
    budget: Option<Budget>,
    /// Per base raised to fractional powers: the least common denominator
    /// `q` of its exponents, so that its powers are powers of one atom
    /// `b^(1/q)` (and `b` itself, when it is an atom, is that atom to the
    /// `q`): `x^(3/2)/sqrt(x)` is `t^3/t = t^2`, written back as `x`.
    roots: FxHashMap<ExprId, i64>,
}

impl Normal {
    /// A converter with the [`Budget::DEFAULT`] budget per conversion.
    pub fn new() -> Normal {
        Normal::with_budget(Budget::DEFAULT)
    }

    /// A converter with the given budget per conversion.
    pub fn with_budget(budget: Budget) -> Normal {
        Normal {
            budget: Some(budget),
            ..Normal::default()
        }
    }

    /// `r` rewritten with `cos(u)^2 = 1 - sin(u)^2`, and with `sin(u)^2 =
    /// 1 - cos(u)^2`, for each `u` whose sine and cosine are both atoms:
    /// the variants, each in lowest terms (so `(-cos(x)^2 - sin(x)^2)/
    /// sin(x)^2` has the variant `-1/sin(x)^2`). An identity on the whole
    /// real line. Over the budget, fewer variants.
    pub fn pythagorean_variants(&self, store: &Store, r: &Rat) -> Vec<Rat> {
        use crate::expr::Func;
        let mut out = Vec::new();
        // an undefined part (`log(-1)`): nothing to gain, and writing the
        // variants back sent the power constructor into unbounded
        // recursion (eval_series fuzzer, session 7)
        if self.atoms.iter().any(|&a| store.is_singular(a)) {
            return out;
        }
        let mut budget = self.budget.unwrap_or(Budget::DEFAULT);
        for (i, &a) in self.atoms.iter().enumerate() {
            let Node::Call(Func::Sin, u) = store.node(a) else {
                continue;
            };
            let Some(j) = self
                .atoms
                .iter()
                .position(|&b| matches!(store.node(b), Node::Call(Func::Cos, v) if v[0] == u[0]))
            else {
                continue;
            };
            for (gone, kept) in [(j, i), (i, j)] {
                let num = reduce_square(&r.num, gone, kept, &mut budget);
                let den = reduce_square(&r.den, gone, kept, &mut budget);
                if let (Some(n), Some(d)) = (num, den)
                    && let Ok(Some(v)) = Rat::new(n, d, &mut budget)
                    && v != *r
                {
                    out.push(v.normalized());
                }
            }
        }
        out
    }

    /// The atoms met so far, by number.
    pub fn atoms(&self) -> &[ExprId] {
        &self.atoms
    }

    /// The tree operation count of `id` (see [`super::count_ops`]).
    pub fn ops(&mut self, store: &Store, id: ExprId) -> u64 {
        count_ops(store, id, &mut self.ops)
    }

    /// `id` as a rational function of its atoms; `None` when it holds a
    /// float, divides by zero or is over the budget.
    pub fn to_rat(&mut self, store: &mut Store, root: ExprId) -> Option<Rat> {
        if let Some(r) = self.cache.get(&root) {
            return Some(r.clone());
        }
        if self.failed.contains(&root) {
            return None;
        }
        self.find_roots(store, root);
        let mut budget = self.budget.unwrap_or(Budget::DEFAULT);
        let mut memo: FxHashMap<ExprId, Rat> = FxHashMap::default();
        let mut stack = vec![(root, false)];
        while let Some((id, ready)) = stack.pop() {
            if memo.contains_key(&id) || self.cache.contains_key(&id) {
                continue;
            }
            if self.failed.contains(&id) {
                self.failed.insert(root);
                return None;
            }
            let kids = poly_children(store, id);
            let known = |k: &ExprId| memo.contains_key(k) || self.cache.contains_key(k);
            if !ready && !kids.iter().all(known) {
                stack.push((id, true));
                stack.extend(kids.iter().filter(|k| !known(k)).map(|&k| (k, false)));
                continue;
            }
            match self.node_rat(store, id, &memo, &mut budget) {
                Ok(Some(r)) => {
                    memo.insert(id, r);
                }
                _ => {
                    self.failed.insert(root);
                    return None;
                }
            }
        }
        memo.remove(&root).map(Rat::normalized)
    }

    /// Records the denominators of the fractional exponents below `root`
    /// (outside atoms) in [`Normal::roots`]. A base whose denominator
    /// grows converts differently from now on, so the cache of converted
    /// results is dropped (the atoms stay: each stands for what it is).
    fn find_roots(&mut self, store: &Store, root: ExprId) {
        let mut seen: FxHashSet<ExprId> = FxHashSet::default();
        let mut stack = vec![root];
        let mut grew = false;
        while let Some(id) = stack.pop() {
            if !seen.insert(id) || self.cache.contains_key(&id) {
                continue;
            }
            if let Node::Pow([base, e]) = store.node(id)
                && let PowKind::Root(_, q) = power_kind(store, *e)
                && unifies(store, *base)
            {
                let old = self.roots.get(base).copied().unwrap_or(1);
                let new = lcm(old, q);
                if new <= MAX_EXPONENT && new != old {
                    self.roots.insert(*base, new);
                    grew = true;
                }
            }
            stack.extend(poly_children(store, id));
        }
        if grew {
            self.cache.clear();
            self.settled.clear();
        }
    }

    /// The atom `b^(1/q)` for a base recorded in [`Normal::roots`].
    fn root_atom(&mut self, store: &mut Store, base: ExprId) -> Option<(Rat, i64)> {
        let q = *self.roots.get(&base)?;
        let inv = store.frac(1, q);
        let root = store.pow(base, inv);
        matches!(store.node(root), Node::Pow(..)).then(|| (self.atom(root), q))
    }

    fn get<'a>(&'a self, memo: &'a FxHashMap<ExprId, Rat>, id: ExprId) -> Option<&'a Rat> {
        memo.get(&id).or_else(|| self.cache.get(&id))
    }

    fn atom(&mut self, id: ExprId) -> Rat {
        let n = self.atoms.len();
        let i = *self.index.entry(id).or_insert(n);
        if i == n {
            self.atoms.push(id);
        }
        Rat::poly(Poly::atom(i))
    }

    fn node_rat(
        &mut self,
        store: &mut Store,
        id: ExprId,
        memo: &FxHashMap<ExprId, Rat>,
        b: &mut Budget,
    ) -> Result<Option<Rat>, OverBudget> {
        let node = store.node(id);
        Ok(Some(match node {
            Node::Num(n) => match n.as_rational() {
                Some(r) => Rat::poly(Poly::constant(r)),
                None => return Ok(None),
            },
            Node::Add(xs) => {
                let rs: Vec<&Rat> = xs.iter().filter_map(|x| self.get(memo, *x)).collect();
                if rs.len() < xs.len() {
                    return Err(OverBudget);
                }
                if rs.iter().all(|r| r.is_poly()) {
                    let ps: Vec<&Poly> = rs.iter().map(|r| &r.num).collect();
                    return Ok(Some(Rat::poly(Poly::sum(&ps, b)?)));
                }
                let mut acc = Rat::zero();
                for x in xs.iter() {
                    acc = acc.add(self.get(memo, *x).ok_or(OverBudget)?, b)?;
                }
                acc
            }
            Node::Mul(xs) => {
                let mut acc = Rat::one();
                for x in xs.iter() {
                    acc = acc.mul(self.get(memo, *x).ok_or(OverBudget)?, b)?;
                }
                acc
            }
            Node::Pow(&[base, e]) => match power_kind(store, e) {
                PowKind::Int(n) => {
                    let r = self.get(memo, base).ok_or(OverBudget)?.clone();
                    return r.pow(n, b);
                }
                PowKind::Root(p, q) => {
                    if let Some((t, big)) = self.root_atom(store, base) {
                        return t.pow(p * (big / q), b);
                    }
                    let inv = store.frac(1, q);
                    let root = store.pow(base, inv);
                    if matches!(store.node(root), Node::Pow(..)) && root != id {
                        return self.atom(root).pow(p, b);
                    }
                    self.atom(id)
                }
                PowKind::Other => match self.root_atom(store, id) {
                    Some((t, q)) => return t.pow(q, b),
                    None => self.atom(id),
                },
            },
            Node::Const(_) | Node::Var(_) | Node::Call(..) => match self.root_atom(store, id) {
                Some((t, q)) => return t.pow(q, b),
                None => self.atom(id),
            },
        }))
    }

    /// The expanded expression of a polynomial, built with the store's
    /// constructors.
    pub fn poly_expr(&self, store: &mut Store, p: &Poly) -> ExprId {
        let mut terms = Vec::with_capacity(p.len());
        for (i, (m, _)) in p.terms().iter().enumerate() {
            let mut f = vec![store.rational(p.coeff(i))];
            for (a, &e) in m.iter().enumerate() {
                if e > 0 {
                    f.push(self.atom_power(store, a, i64::from(e)));
                }
            }
            terms.push(store.mul(&f));
        }
        store.add(&terms)
    }

    /// Atom number `a` to the power `e`; a root atom `b^(1/q)` of a base
    /// that unifies ([`Normal::roots`]) as `b^(e/q)`, so that `t^2` for
    /// `t = sqrt(x)` is `x`.
    fn atom_power(&self, store: &mut Store, a: usize, e: i64) -> ExprId {
        let atom = self.atoms[a];
        if let Node::Pow(&[base, r]) = store.node(atom)
            && self.roots.contains_key(&base)
            && let PowKind::Root(1, q) = power_kind(store, r)
        {
            let k = store.frac(e, q);
            return store.pow(base, k);
        }
        store.powi(atom, e)
    }

    /// The expanded form `num / den`.
    pub fn rat_expr(&self, store: &mut Store, r: &Rat) -> ExprId {
        let n = self.poly_expr(store, &r.num);
        if r.is_poly() {
            return n;
        }
        let d = self.poly_expr(store, &r.den);
        store.div(n, d)
    }

    /// A factored form: numeric content, common monomial and the
    /// primitive rest of numerator and denominator, `c·m·p / (m'·q)`; with
    /// the linear factors in one atom taken out of `p` and `q` too
    /// (`(sigmoid(a) - 1)*(2*sigmoid(a) - 1)`, `linear_factors`) where
    /// that is shorter.
    pub fn factored_expr(&self, store: &mut Store, r: &Rat) -> ExprId {
        let plain = self.factored_with(store, r, false);
        let linear = self.factored_with(store, r, true);
        if linear != plain {
            let mut memo = FxHashMap::default();
            if count_ops(store, linear, &mut memo) < count_ops(store, plain, &mut memo) {
                return linear;
            }
        }
        plain
    }

    fn factored_with(&self, store: &mut Store, r: &Rat, linear: bool) -> ExprId {
        let (cn, n) = self.split(store, &r.num, linear);
        let (cd, d) = self.split(store, &r.den, linear);
        let c = store.rational(crate::expr::rational::mul_rational(&cn, &cd.recip()));
        let q = store.div(n, d);
        store.mul(&[c, q])
    }

    /// `(content, monomial · primitive rest)` of a polynomial.
    fn split(&self, store: &mut Store, p: &Poly, linear: bool) -> (BigRational, ExprId) {
        if p.is_zero() {
            return (BigRational::one(), store.int(0));
        }
        let (g, rest) = p.primitive_integer();
        let c = crate::expr::rational::reduced(g, p.den().clone());
        let m = p.mono_content();
        let rest = rest.div_mono(&m).unwrap_or(rest);
        let mono = Poly::build(vec![(m, BigInt::one())], BigInt::one());
        let mut factors = vec![self.poly_expr(store, &mono)];
        let rest = if linear {
            let (found, rest) = linear_factors(&rest);
            for f in &found {
                factors.push(self.poly_expr(store, f));
            }
            match perfect_power(&rest) {
                Some((root, k)) => {
                    let base = self.poly_expr(store, &root);
                    let k = store.int(i64::from(k));
                    factors.push(store.pow(base, k));
                    Poly::int(1)
                }
                None => rest,
            }
        } else {
            rest
        };
        // the linear factors are primitive with a positive leading term:
        // the rest carries the sign
        factors.push(self.poly_expr(store, &rest));
        (c, store.mul(&factors))
    }

    /// The smallest of `id`, its expanded normal form and its factored
    /// form by [`Normal::ops`] (ties keep the earlier: `id`, expanded,
    /// factored); `id` itself when it does not convert. The result's
    /// rational function is cached, so expressions built from it convert
    /// quickly.
    pub fn normalize(&mut self, store: &mut Store, id: ExprId) -> ExprId {
        if self.settled.contains(&id) {
            return id;
        }
        let Some(r) = self.to_rat(store, id) else {
            return id;
        };
        let mut best = id;
        let mut best_ops = self.ops(store, id);
        let mut best_r = r.clone();
        let variants = self.pythagorean_variants(store, &r);
        for v in std::iter::once(r).chain(variants) {
            let expanded = self.rat_expr(store, &v);
            let factored = self.factored_expr(store, &v);
            for e in [expanded, factored] {
                let o = self.ops(store, e);
                if o < best_ops {
                    (best, best_ops, best_r) = (e, o, v.clone());
                }
            }
        }
        self.cache.insert(best, best_r);
        self.settled.insert(best);
        best
    }

    /// The smaller of the expanded and the factored form of `r` by
    /// [`Normal::ops`] (ties keep the expanded one), remembered so that
    /// [`Normal::normalize`] returns it unchanged and expressions built
    /// from it convert quickly.
    pub fn emit_smallest(&mut self, store: &mut Store, r: Rat) -> ExprId {
        let r = r.normalized();
        let expanded = self.rat_expr(store, &r);
        if r.is_poly() && r.num.den().is_one() && r.num.mono_content().is_empty() {
            // the factored form has nothing to factor out but the content
            let (g, _) = r.num.primitive_integer();
            if g.is_one() {
                self.cache.insert(expanded, r);
                self.settled.insert(expanded);
                return expanded;
            }
        }
        let factored = self.factored_expr(store, &r);
        let best = if self.ops(store, factored) < self.ops(store, expanded) {
            factored
        } else {
            expanded
        };
        self.cache.insert(best, r);
        self.settled.insert(best);
        best
    }

    /// The cached rational function of `id`, if it was normalized here.
    pub fn cached(&self, id: ExprId) -> Option<&Rat> {
        self.cache.get(&id)
    }

    /// `acc + Π factors` over rational functions (each factor converted
    /// once and cached); `None` when a factor does not convert or the
    /// budget runs out.
    pub fn add_product(
        &mut self,
        store: &mut Store,
        acc: Option<Rat>,
        factors: &[ExprId],
    ) -> Option<Rat> {
        for &f in factors {
            if !self.cache.contains_key(&f) {
                let r = self.to_rat(store, f)?;
                self.cache.insert(f, r);
            }
        }
        let mut b = self.budget.unwrap_or(Budget::DEFAULT);
        let mut p = self.cache.get(&factors[0])?.clone();
        for f in &factors[1..] {
            p = p.mul(self.cache.get(f)?, &mut b).ok()?;
        }
        let sum = match acc {
            Some(a) => a.add(&p, &mut b).ok()?,
            None => p,
        };
        // a denominator other than a monomial expands badly (powers of
        // `8*asin(1/8) - 1` lose their factored form, and floats their
        // accuracy): leave those to the expressions
        (sum.den.len() <= 1).then_some(sum)
    }

    /// `acc + q` for a rational number `q`; `acc` back when over the budget.
    ///
    /// # Errors
    /// `acc` unchanged when the budget runs out.
    pub fn add_rational(&mut self, acc: Rat, q: &BigRational) -> Result<Rat, Rat> {
        let mut b = self.budget.unwrap_or(Budget::DEFAULT);
        match acc.add(&Rat::poly(Poly::constant(q)), &mut b) {
            Ok(sum) => Ok(sum),
            Err(_) => Err(acc),
        }
    }

    /// The expanded expression of `r`, cached so that expressions built
    /// from it convert quickly.
    pub fn emit(&mut self, store: &mut Store, r: Rat) -> ExprId {
        let r = r.normalized();
        let e = self.rat_expr(store, &r);
        self.cache.insert(e, r);
        e
    }

    /// Converts `id` and caches its rational function without building any
    /// expression, so that expressions built from `id` convert quickly;
    /// false when it does not convert.
    pub fn remember(&mut self, store: &mut Store, id: ExprId) -> bool {
        match self.to_rat(store, id) {
            Some(r) => {
                self.cache.insert(id, r);
                true
            }
            None => false,
        }
    }

    /// Like [`Normal::normalize`] but always the expanded form (when it
    /// converts).
    pub fn expand(&mut self, store: &mut Store, id: ExprId) -> ExprId {
        let Some(r) = self.to_rat(store, id) else {
            return id;
        };
        let e = self.rat_expr(store, &r);
        self.cache.insert(e, r);
        e
    }
}

enum PowKind {
    Int(i64),
    Root(i64, i64),
    Other,
}

fn power_kind(store: &Store, e: ExprId) -> PowKind {
    let Some(r) = store.as_num(e).and_then(|n| n.as_rational()) else {
        return PowKind::Other;
    };
    let (Ok(p), Ok(q)) = (i64::try_from(r.numer()), i64::try_from(r.denom())) else {
        return PowKind::Other;
    };
    if p.abs() > MAX_EXPONENT || q > MAX_EXPONENT {
        PowKind::Other
    } else if q == 1 {
        PowKind::Int(p)
    } else {
        PowKind::Root(p, q)
    }
}

/// The factors `q*a - p` of `poly` for an atom `a` and a small rational
/// root `p/q` (1, -1, 2, -2, 1/2, -1/2, 3, 1/3, ...: those of the
/// derivatives of `sigmoid`, `tanh`, `sin`), each found by substituting
/// the root and dividing exactly, with the rest; the product of all is
/// `poly`. Tried only on a polynomial of a few terms, within a small
/// budget.
pub fn linear_factors(poly: &Poly) -> (Vec<Poly>, Poly) {
    const ROOTS: [(i64, i64); 10] = [
        (1, 1),
        (-1, 1),
        (1, 2),
        (-1, 2),
        (2, 1),
        (-2, 1),
        (1, 3),
        (-1, 3),
        (3, 1),
        (-3, 1),
    ];
    let mut found = Vec::new();
    let mut rest = poly.clone();
    if rest.len() < 2 || rest.len() > 40 {
        return (found, rest);
    }
    let mut budget = Budget {
        max_terms: 200,
        work: 50_000,
    };
    for a in rest.atoms() {
        for &(p, q) in &ROOTS {
            // at most the degree in `a` factors
            while rest.degree_in(a) > 0 && !rest.is_constant() {
                let factor = Poly::build(
                    vec![
                        (super::mono::trimmed(unit_mono(a)), BigInt::from(q)),
                        (Vec::new(), BigInt::from(-p)),
                    ],
                    BigInt::one(),
                );
                match rest.div_exact(&factor, &mut budget) {
                    Ok(Some(quotient)) if rest.len() > 1 => {
                        found.push(factor);
                        rest = quotient;
                    }
                    _ => break,
                }
            }
        }
    }
    (found, rest)
}

/// `(s, k)` with `s^k = p` for the largest `k` in 2..=5 that has one (a
/// quotient rule's `(u*cos(t) - 1)^3`, expanded by the normal form), found
/// term by term in the monomial order: `s`'s leading term is the `k`-th
/// root of `p`'s, and each next one is the leading term of `p - s^k`
/// divided by `k·lead(s)^(k-1)`. Tried on a polynomial of a few terms,
/// within a small budget.
pub fn perfect_power(p: &Poly) -> Option<(Poly, u32)> {
    use num_traits::Signed;
    if p.len() < 2 || p.len() > 40 {
        return None;
    }
    let mut budget = Budget {
        max_terms: 200,
        work: 50_000,
    };
    let root_of = |c: &BigInt, k: u32| -> Option<BigInt> {
        let r = c.nth_root(k);
        (num_traits::pow(r.clone(), k as usize) == *c).then_some(r)
    };
    'k: for k in (2..=5u32).rev() {
        let (m, c) = &p.terms()[0];
        if m.iter().any(|e| e % k != 0) || (k % 2 == 0 && c.is_negative()) {
            continue;
        }
        let (Some(cr), Some(dr)) = (root_of(c, k), root_of(p.den(), k)) else {
            continue;
        };
        let lead_m: Mono = m.iter().map(|e| e / k).collect();
        let lead_c = BigRational::new(cr, dr);
        let mut s =
            Poly::build(vec![(lead_m.clone(), BigInt::one())], BigInt::one()).scale(&lead_c);
        // k·lead(s)^(k-1), the divisor of each next term
        let div_m: Mono = lead_m.iter().map(|e| e * (k - 1)).collect();
        let div_c = num_traits::pow(lead_c.clone(), (k - 1) as usize)
            * BigRational::from_integer(BigInt::from(k));
        for _ in 0..=p.len() {
            let Ok(power) = s.pow(k, &mut budget) else {
                return None;
            };
            let Ok(r) = p.sub(&power, &mut budget) else {
                return None;
            };
            if r.is_zero() {
                return Some((s, k));
            }
            let (rm, _) = &r.terms()[0];
            let Some(tm) = super::mono::mono_div(rm, &div_m) else {
                continue 'k;
            };
            if super::mono::trimmed(tm.clone()) >= super::mono::trimmed(lead_m.clone()) {
                continue 'k;
            }
            let tc = r.coeff(0) / &div_c;
            let term = Poly::build(vec![(tm, BigInt::one())], BigInt::one()).scale(&tc);
            let Ok(next) = s.add(&term, &mut budget) else {
                return None;
            };
            s = next;
        }
    }
    None
}

/// The monomial of atom `a` to the first power.
fn unit_mono(a: usize) -> Mono {
    let mut m = vec![0; a + 1];
    m[a] = 1;
    m
}

/// `p` with each power `a^e` (`e >= 2`) of atom `gone` written as
/// `a^(e mod 2) * (1 - b^2)^(e div 2)` for atom `kept` (`b`); `None`
/// over the budget.
fn reduce_square(p: &Poly, gone: usize, kept: usize, budget: &mut Budget) -> Option<Poly> {
    if p.degree_in(gone) < 2 {
        return Some(p.clone());
    }
    let one_minus = Poly::int(1)
        .sub(&Poly::atom(kept).pow(2, budget).ok()?, budget)
        .ok()?;
    let mut sum = Poly::zero();
    for (k, (m, _)) in p.terms().iter().enumerate() {
        let e = m.get(gone).copied().unwrap_or(0);
        let mut m = m.clone();
        if let Some(x) = m.get_mut(gone) {
            *x = e % 2;
        }
        let m = super::mono::trimmed(m);
        let factor = one_minus.pow(e / 2, budget).ok()?;
        let term = factor.mul_term(&m, &p.coeff(k))?;
        sum = sum.add(&term, budget).ok()?;
    }
    Some(sum)
}

/// Whether the powers of `base` unify over one root atom: not a number
/// (`sqrt(2)` and `2` stay apart, and a negative number's root is
/// undefined).
fn unifies(store: &Store, base: ExprId) -> bool {
    // nor a power (`(u^v)^(1/2)`): kept apart, as before unification
    !matches!(store.node(base), Node::Num(_) | Node::Pow(..))
}

fn lcm(a: i64, b: i64) -> i64 {
    let (mut x, mut y) = (a, b);
    while y != 0 {
        (x, y) = (y, x % y);
    }
    a / x * b
}

/// The operands that are themselves converted (not atoms).
fn poly_children(store: &Store, id: ExprId) -> Vec<ExprId> {
    match store.node(id) {
        Node::Add(xs) | Node::Mul(xs) => xs.to_vec(),
        Node::Pow([b, e]) if matches!(power_kind(store, *e), PowKind::Int(_)) => vec![*b],
        _ => Vec::new(),
    }
}

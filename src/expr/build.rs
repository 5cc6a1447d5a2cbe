//! Smart constructors: the only code that creates nodes.
//!
//! Every constructor returns the canonical form of what it is asked for:
//! flattened, sorted, constants folded exactly (`1/2 + 1/3 = 5/6`,
//! `sqrt(8) = 2*sqrt(2)`, `exp(0) = 1`), like terms and like powers merged.
//! Only rewrites valid on the whole real domain are applied: `x/x`,
//! `sqrt(x)^2` and `sqrt(x^2)` stay as they are.

use num_bigint::BigInt;
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::{One, Signed, Zero};
use rustc_hash::FxHashMap;

use super::number::{exact_root, split_power};
use super::{Constant, ExprId, Func, Node, Number, Store, Sym};

/// Where `x^e` is defined on the reals, for a numeric exponent `e`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Domain {
    All,
    NonZero,
    NonNeg,
    Pos,
}

impl Domain {
    fn of(e: &Number) -> Domain {
        let integral = match e {
            Number::Rational(r) => r.is_integer(),
            Number::Float(f) => f.fract() == 0.0,
        };
        match (integral, e.is_negative()) {
            (true, false) => Domain::All,
            (true, true) => Domain::NonZero,
            (false, false) => Domain::NonNeg,
            (false, true) => Domain::Pos,
        }
    }

    fn meet(self, other: Domain) -> Domain {
        use Domain::*;
        match (self, other) {
            (All, d) | (d, All) => d,
            (a, b) if a == b => a,
            _ => Pos,
        }
    }
}

impl Store {
    /// A number.
    pub fn number(&mut self, n: Number) -> ExprId {
        debug_assert!(n.to_f64().is_finite() || n.is_exact());
        let n = self.bounded(n);
        self.intern(Node::Num(n))
    }

    /// An exact integer.
    pub fn int(&mut self, i: i64) -> ExprId {
        self.number(Number::int(i))
    }

    /// The exact fraction `n/d`.
    ///
    /// # Panics
    /// If `d` is zero.
    pub fn frac(&mut self, n: i64, d: i64) -> ExprId {
        self.number(Number::frac(n, d))
    }

    /// An exact rational.
    pub fn rational(&mut self, r: BigRational) -> ExprId {
        self.number(Number::Rational(r))
    }

    /// A float (finite).
    pub fn float(&mut self, f: f64) -> ExprId {
        self.number(Number::float(f))
    }

    /// `pi` or `e`.
    pub fn constant(&mut self, c: Constant) -> ExprId {
        self.intern(Node::Const(c))
    }

    /// The variable with this name.
    pub fn var(&mut self, name: &str) -> ExprId {
        let s = self.sym(name);
        self.var_sym(s)
    }

    /// The variable behind an interned name.
    pub fn var_sym(&mut self, s: Sym) -> ExprId {
        self.intern(Node::Var(s))
    }

    /// `-a`.
    pub fn neg(&mut self, a: ExprId) -> ExprId {
        let m = self.int(-1);
        self.mul(&[m, a])
    }

    /// `a - b`.
    pub fn sub(&mut self, a: ExprId, b: ExprId) -> ExprId {
        let nb = self.neg(b);
        self.add(&[a, nb])
    }

    /// `a / b`.
    pub fn div(&mut self, a: ExprId, b: ExprId) -> ExprId {
        let r = self.recip(b);
        self.mul(&[a, r])
    }

    /// `1 / a`.
    pub fn recip(&mut self, a: ExprId) -> ExprId {
        let m = self.int(-1);
        self.pow(a, m)
    }

    /// `a ^ n` for an integer `n`.
    pub fn powi(&mut self, a: ExprId, n: i64) -> ExprId {
        let e = self.int(n);
        self.pow(a, e)
    }

    /// `sqrt(a)`, that is `a^(1/2)`.
    pub fn sqrt(&mut self, a: ExprId) -> ExprId {
        let h = self.frac(1, 2);
        self.pow(a, h)
    }

    /// A one-argument function.
    pub fn call1(&mut self, f: Func, a: ExprId) -> ExprId {
        self.call(f, &[a])
    }

    /// `log(x, base)`, that is `log(x)/log(base)`.
    pub fn log_base(&mut self, x: ExprId, base: ExprId) -> ExprId {
        let lx = self.call1(Func::Ln, x);
        let lb = self.call1(Func::Ln, base);
        self.div(lx, lb)
    }

    /// A sum.
    pub fn add(&mut self, terms: &[ExprId]) -> ExprId {
        if self.overflow.is_some() {
            // the result is discarded: stay cheap
            return self.zero();
        }
        let mut constant = Number::int(0);
        let mut rests: Vec<ExprId> = Vec::new();
        let mut coeffs: FxHashMap<ExprId, Number> = FxHashMap::default();
        // terms left unmerged because merging them overflows a float
        let mut extra: Vec<ExprId> = Vec::new();
        let visit =
            |store: &mut Store, t: ExprId, constant: &mut Number, extra: &mut Vec<ExprId>| {
                if let Node::Num(n) = store.node(t) {
                    let sum = constant.add(n);
                    if overflows(&sum) {
                        extra.push(t);
                    } else {
                        *constant = store.bounded(sum);
                    }
                    return None;
                }
                Some(t)
            };
        let mut flat = Vec::with_capacity(terms.len());
        for &t in terms {
            match self.node(t) {
                Node::Add(xs) => flat.extend_from_slice(xs),
                _ => flat.push(t),
            }
        }
        for t in flat {
            let Some(t) = visit(self, t, &mut constant, &mut extra) else {
                continue;
            };
            let (c, rest) = self.split_coeff(t);
            match coeffs.get_mut(&rest) {
                Some(old) => {
                    let sum = old.add(&c);
                    if overflows(&sum) {
                        extra.push(t);
                    } else {
                        *old = self.bounded(sum);
                    }
                }
                None => {
                    rests.push(rest);
                    coeffs.insert(rest, c);
                }
            }
        }
        let mut out = Vec::with_capacity(rests.len() + 1);
        for rest in rests {
            let c = &coeffs[&rest];
            if !c.is_zero() {
                let c = c.clone();
                out.push(self.scale(c, rest));
            }
        }
        out.extend(extra);
        out.sort_by(|a, b| self.cmp_expr(*a, *b));
        match (out.len(), constant.is_zero()) {
            (0, _) => self.number(constant),
            (1, true) => out[0],
            (_, zero) => {
                if !zero {
                    let c = self.number(constant);
                    out.insert(0, c);
                }
                self.intern(Node::Add(out.into()))
            }
        }
    }

    /// Splits a term into its numeric coefficient and the rest.
    pub fn split_coeff(&mut self, t: ExprId) -> (Number, ExprId) {
        match self.node(t) {
            Node::Mul(xs) => {
                if let Node::Num(c) = self.node(xs[0]) {
                    let c = c.clone();
                    let rest: Vec<ExprId> = xs[1..].to_vec();
                    let r = if rest.len() == 1 {
                        rest[0]
                    } else {
                        self.intern(Node::Mul(rest.into()))
                    };
                    (c, r)
                } else {
                    (Number::int(1), t)
                }
            }
            Node::Num(n) => (n.clone(), self.int(1)),
            _ => (Number::int(1), t),
        }
    }

    /// `c * rest` for a canonical, coefficient-free, non-sum `rest`.
    fn scale(&mut self, c: Number, rest: ExprId) -> ExprId {
        if c.is_one() {
            return rest;
        }
        let c = self.number(c);
        let mut xs = vec![c];
        match self.node(rest) {
            Node::Mul(fs) => xs.extend_from_slice(fs),
            _ => xs.push(rest),
        }
        self.intern(Node::Mul(xs.into()))
    }

    /// A product.
    pub fn mul(&mut self, factors: &[ExprId]) -> ExprId {
        if self.overflow.is_some() {
            // the result is discarded: stay cheap
            return self.zero();
        }
        let mut work = factors.to_vec();
        for _ in 0..16 {
            match self.mul_pass(&work) {
                Ok(id) => return id,
                Err(next) => work = next,
            }
        }
        self.mul_pass(&work)
            .unwrap_or_else(|next| self.intern(Node::Mul(next.into())))
    }

    /// One round of product canonicalization; `Err` asks for another round
    /// because merging powers produced numbers or products.
    fn mul_pass(&mut self, factors: &[ExprId]) -> Result<ExprId, Vec<ExprId>> {
        let mut coeff = Number::int(1);
        let mut flat = Vec::with_capacity(factors.len());
        for &f in factors {
            match self.node(f) {
                Node::Mul(xs) => flat.extend_from_slice(xs),
                _ => flat.push(f),
            }
        }
        // numbers left unfolded because folding them overflows a float:
        // `1e300*1e300*x` stays as written, and evaluates to inf
        let mut extra: Vec<ExprId> = Vec::new();
        let mut bases: Vec<ExprId> = Vec::new();
        let mut groups: FxHashMap<ExprId, Vec<(ExprId, Option<Number>)>> = FxHashMap::default();
        for f in flat {
            let (b, e) = match self.node(f) {
                Node::Num(n) => {
                    let prod = coeff.mul(n);
                    if overflows(&prod) {
                        extra.push(f);
                    } else {
                        coeff = self.bounded(prod);
                    }
                    continue;
                }
                Node::Pow([b, e]) => match self.node(*e) {
                    Node::Num(n) => (*b, Some(n.clone())),
                    _ => (f, None),
                },
                _ => (f, None),
            };
            groups.entry(b).or_insert_with(|| {
                bases.push(b);
                Vec::new()
            });
            groups.get_mut(&b).expect("group").push((f, e));
        }
        if coeff.is_zero() {
            return Ok(self.number(if coeff.is_exact() {
                Number::int(0)
            } else {
                Number::float(0.0)
            }));
        }
        let mut out = extra;
        let mut again = false;
        for b in bases {
            let group = groups.remove(&b).expect("group");
            if group.len() == 1 {
                out.push(group[0].0);
                continue;
            }
            match self.merge_powers(b, &group) {
                Some(p) => {
                    again |= matches!(self.node(p), Node::Num(_) | Node::Mul(_));
                    out.push(p);
                }
                None => out.extend(group.iter().map(|g| g.0)),
            }
        }
        if again {
            let c = self.number(coeff);
            out.push(c);
            return Err(out);
        }
        out.sort_by(|a, b| self.cmp_expr(*a, *b));
        if let Some(id) = self.distribute(&coeff, &out) {
            return Ok(id);
        }
        Ok(match (out.len(), coeff.is_one()) {
            (0, _) => self.number(coeff),
            (1, true) => out[0],
            (_, one) => {
                if !one {
                    let c = self.number(coeff);
                    out.insert(0, c);
                }
                self.intern(Node::Mul(out.into()))
            }
        })
    }

    /// Merges `b^e1 * b^e2 * ...` when that keeps the domain; `None` keeps
    /// the factors apart (`x^2 * x^-1` is not `x` at `x = 0`).
    fn merge_powers(&mut self, b: ExprId, group: &[(ExprId, Option<Number>)]) -> Option<ExprId> {
        let mut sum = Number::int(0);
        let mut dom = Domain::All;
        for (_, e) in group {
            let e = e.clone().unwrap_or(Number::int(1));
            dom = dom.meet(Domain::of(&e));
            sum = self.bounded(sum.add(&e));
        }
        if overflows(&sum) {
            return None;
        }
        if !self.is_positive(b) && Domain::of(&sum) != dom {
            return None;
        }
        let e = self.number(sum);
        Some(self.pow(b, e))
    }

    /// Distributes a numeric coefficient over the one sum in a product, as
    /// SymPy does for `c*(a + b)`, and in longer products when that removes
    /// coefficients (`1/2*(2*x + 2*y)*z = (x + y)*z`).
    fn distribute(&mut self, coeff: &Number, out: &[ExprId]) -> Option<ExprId> {
        if coeff.is_one() {
            return None;
        }
        let sums: Vec<usize> = (0..out.len())
            .filter(|&i| matches!(self.node(out[i]), Node::Add(_)))
            .collect();
        if sums.len() != 1 {
            return None;
        }
        let terms: Vec<ExprId> = self.node(out[sums[0]]).children().to_vec();
        if out.len() > 1 {
            let unit = |n: &Number| n.abs().is_one();
            let coeffs: Vec<Number> = terms.iter().map(|&t| self.split_coeff(t).0).collect();
            let before = usize::from(!unit(coeff)) + coeffs.iter().filter(|c| !unit(c)).count();
            let after = coeffs.iter().filter(|c| !unit(&c.mul(coeff))).count();
            if after >= before || !coeff.is_exact() {
                return None;
            }
        }
        let c = self.number(coeff.clone());
        let scaled: Vec<ExprId> = terms.iter().map(|&t| self.mul(&[c, t])).collect();
        let sum = self.add(&scaled);
        let mut rest: Vec<ExprId> = out.to_vec();
        rest[sums[0]] = sum;
        Some(self.mul(&rest))
    }

    /// True when `a` is positive wherever it is defined (a cheap structural test).
    pub fn is_positive(&self, a: ExprId) -> bool {
        self.positive_depth(a, 4)
    }

    fn positive_depth(&self, a: ExprId, depth: u32) -> bool {
        if depth == 0 {
            return false;
        }
        match self.node(a) {
            Node::Num(n) => !n.is_negative() && !n.is_zero(),
            Node::Const(_) => true,
            Node::Call(Func::Exp | Func::Cosh | Func::Sigmoid | Func::Softplus, _) => true,
            Node::Pow([b, _]) => self.positive_depth(*b, depth - 1),
            Node::Add(xs) | Node::Mul(xs) => xs.iter().all(|x| self.positive_depth(*x, depth - 1)),
            _ => false,
        }
    }

    /// A power.
    pub fn pow(&mut self, b: ExprId, e: ExprId) -> ExprId {
        if self.overflow.is_some() {
            // the result is discarded: stay cheap
            return self.zero();
        }
        if let Node::Num(n) = self.node(e) {
            if n.is_zero() && n.is_exact() {
                return self.int(1);
            }
            if n.is_one() {
                return b;
            }
        }
        match self.node(b) {
            Node::Num(n) if n.is_one() => return b,
            Node::Const(Constant::E) => return self.call1(Func::Exp, e),
            _ => {}
        }
        if let (Node::Num(nb), Node::Num(ne)) = (self.node(b), self.node(e)) {
            let (nb, ne) = (nb.clone(), ne.clone());
            if let Some(v) = self.fold_pow(&nb, &ne) {
                return v;
            }
        }
        if let Some(v) = self.pow_rewrite(b, e) {
            return v;
        }
        self.intern(Node::Pow([b, e]))
    }

    /// Rewrites of `b^e` by the shape of `b`.
    fn pow_rewrite(&mut self, b: ExprId, e: ExprId) -> Option<ExprId> {
        let ne = self.as_num(e).cloned();
        match self.node(b).clone() {
            Node::Pow([b2, e2]) => {
                if self.is_positive(b2) {
                    let x = self.mul(&[e2, e]);
                    return Some(self.pow(b2, x));
                }
                let (n2, n) = (self.as_num(e2)?.clone(), ne?);
                if !n.is_integer() {
                    return None;
                }
                let composite = if n.is_negative() {
                    Domain::of(&n2.abs().neg())
                } else {
                    Domain::of(&n2)
                };
                let prod = n2.mul(&n);
                if overflows(&prod) {
                    return None;
                }
                let prod = self.bounded(prod);
                (Domain::of(&prod) == composite).then(|| {
                    let p = self.number(prod);
                    self.pow(b2, p)
                })
            }
            Node::Mul(xs) => {
                let n = ne?;
                if n.is_integer() {
                    let parts: Vec<ExprId> = xs.iter().map(|&x| self.pow(x, e)).collect();
                    return Some(self.mul(&parts));
                }
                let c = self.as_num(xs[0])?.clone();
                if c.is_negative() {
                    return None;
                }
                let rest = if xs.len() == 2 {
                    xs[1]
                } else {
                    self.intern(Node::Mul(xs[1..].into()))
                };
                let cn = self.number(c);
                let pc = self.pow(cn, e);
                let pr = self.intern(Node::Pow([rest, e]));
                Some(self.mul(&[pc, pr]))
            }
            Node::Call(Func::Exp, a) => {
                let x = self.mul(&[a[0], e]);
                Some(self.call1(Func::Exp, x))
            }
            _ => None,
        }
    }

    /// Folds `b^e` for numbers, exactly where both are exact.
    fn fold_pow(&mut self, b: &Number, e: &Number) -> Option<ExprId> {
        if !b.is_exact() || !e.is_exact() {
            let v = b.to_f64().powf(e.to_f64());
            return v.is_finite().then(|| self.float(v));
        }
        let (br, er) = (b.as_rational()?.clone(), e.as_rational()?.clone());
        if er.is_integer() {
            let v = b.pow_int_within(er.numer(), self.max_exact_bits())?;
            return Some(self.number(v));
        }
        if br.is_zero() {
            return er.is_positive().then(|| self.int(0));
        }
        if br.is_negative() {
            return None;
        }
        let q = u32::try_from(er.denom().clone()).ok()?;
        let max = self.max_exact_bits();
        let (cn, ln) = root_parts(br.numer(), &er, q, max)?;
        let (cd, ld) = root_parts(br.denom(), &(-er.clone()), q, max)?;
        let coeff = self.rational(cn * cd);
        let mut factors = vec![coeff];
        match (ln, ld) {
            (Some((bn, fnum)), Some((bd, fden))) if fnum == fden => {
                let base = self.rational(BigRational::from_integer(bn * bd));
                let f = self.rational(fnum);
                factors.push(self.intern(Node::Pow([base, f])));
            }
            (a, b) => {
                for (base, f) in [a, b].into_iter().flatten() {
                    let base = self.rational(BigRational::from_integer(base));
                    let f = self.rational(f);
                    factors.push(self.intern(Node::Pow([base, f])));
                }
            }
        }
        Some(self.mul(&factors))
    }

    /// A function application.
    pub fn call(&mut self, f: Func, args: &[ExprId]) -> ExprId {
        if self.overflow.is_some() {
            // the result is discarded: stay cheap
            return self.zero();
        }
        debug_assert!(f.arity().is_none_or(|n| n == args.len()));
        match f {
            Func::Min | Func::Max => return self.min_max(f, args),
            Func::Atan2 => return self.atan2(args[0], args[1]),
            _ => {}
        }
        let a = args[0];
        if let Some(v) = self.fold_call(f, a) {
            return v;
        }
        if let Some(v) = self.call_symmetry(f, a) {
            return v;
        }
        self.intern(Node::Call(f, vec![a].into()))
    }

    /// Odd and even functions take the sign out of their argument:
    /// `sin(-x) = -sin(x)`, `cos(-x) = cos(x)`, `abs(2*x) = 2*abs(x)`.
    fn call_symmetry(&mut self, f: Func, a: ExprId) -> Option<ExprId> {
        use Func::*;
        if f == Abs
            && let Node::Mul(xs) = self.node(a).clone()
            && let Node::Num(c) = self.node(xs[0]).clone()
        {
            let c = self.number(c.abs());
            let rest = if xs.len() == 2 {
                xs[1]
            } else {
                self.intern(Node::Mul(xs[1..].into()))
            };
            let inner = self.call1(Abs, rest);
            return Some(self.mul(&[c, inner]));
        }
        let odd = matches!(
            f,
            Sin | Tan | Asin | Atan | Sinh | Tanh | Asinh | Atanh | Erf | Cbrt | Sign
        );
        let even = matches!(f, Cos | Cosh | Abs);
        if !odd && !even {
            return None;
        }
        let inner = self.negated(a)?;
        let v = self.call1(f, inner);
        Some(if odd { self.neg(v) } else { v })
    }

    /// `Some(b)` with `a = -b` when `a` visibly carries a minus sign.
    pub fn negated(&mut self, a: ExprId) -> Option<ExprId> {
        match self.node(a) {
            Node::Num(n) if n.is_negative() => {
                let n = n.neg();
                Some(self.number(n))
            }
            Node::Mul(xs) if self.as_num(xs[0]).is_some_and(|c| c.is_negative()) => {
                Some(self.neg(a))
            }
            _ => None,
        }
    }

    fn min_max(&mut self, f: Func, args: &[ExprId]) -> ExprId {
        let mut flat = Vec::new();
        let mut best: Option<Number> = None;
        for &a in args {
            let items: Vec<ExprId> = match self.node(a) {
                Node::Call(g, xs) if *g == f => xs.to_vec(),
                _ => vec![a],
            };
            for x in items {
                if let Node::Num(n) = self.node(x) {
                    let better = best.as_ref().is_none_or(|b| {
                        let o = n.cmp_value(b);
                        if f == Func::Max { o.is_gt() } else { o.is_lt() }
                    });
                    if better {
                        best = Some(n.clone());
                    }
                } else if !flat.contains(&x) {
                    flat.push(x);
                }
            }
        }
        if let Some(b) = best {
            let n = self.number(b);
            flat.push(n);
        }
        flat.sort_by(|a, b| self.cmp_expr(*a, *b));
        if flat.len() == 1 {
            return flat[0];
        }
        self.intern(Node::Call(f, flat.into()))
    }

    fn atan2(&mut self, y: ExprId, x: ExprId) -> ExprId {
        if let (Some(ny), Some(nx)) = (self.as_num(y), self.as_num(x)) {
            let (ny, nx) = (ny.clone(), nx.clone());
            if !ny.is_exact() || !nx.is_exact() {
                let v = ny.to_f64().atan2(nx.to_f64());
                return self.float(v);
            }
            if !nx.is_negative() && !nx.is_zero() {
                let q = self.div(y, x);
                return self.call1(Func::Atan, q);
            }
            if nx.is_zero() && !ny.is_zero() {
                let half_pi = self.pi_times(Number::frac(if ny.is_negative() { -1 } else { 1 }, 2));
                return half_pi;
            }
            if nx.is_negative() && ny.is_zero() {
                return self.constant(Constant::Pi);
            }
        }
        self.intern(Node::Call(Func::Atan2, vec![y, x].into()))
    }

    fn pi_times(&mut self, r: Number) -> ExprId {
        let c = self.number(r);
        let p = self.constant(Constant::Pi);
        self.mul(&[c, p])
    }

    /// Exact values of functions at special points, and floats folded.
    fn fold_call(&mut self, f: Func, a: ExprId) -> Option<ExprId> {
        use Func::*;
        match self.node(a).clone() {
            Node::Num(Number::Float(x)) => {
                let v = f.apply_f64(&[x]);
                return v.is_finite().then(|| self.float(v));
            }
            Node::Num(Number::Rational(q)) => return self.fold_exact(f, &q),
            Node::Call(Exp, x) if f == Ln => return Some(x[0]),
            Node::Call(g, x) if g == f && matches!(f, Abs | Sign | Step) => {
                return Some(self.call1(g, x[0]));
            }
            Node::Const(Constant::E) if f == Ln => return Some(self.int(1)),
            _ => {}
        }
        if matches!(f, Sin | Cos | Tan)
            && let Some(r) = self.pi_multiple(a)
        {
            return self.trig_special(f, &r);
        }
        if self.is_positive(a) {
            return match f {
                Abs | Relu => Some(a),
                Sign | Step => Some(self.int(1)),
                _ => None,
            };
        }
        None
    }

    fn fold_exact(&mut self, f: Func, q: &BigRational) -> Option<ExprId> {
        use Func::*;
        let zero = q.is_zero();
        let one = q.is_one();
        let r = |s: &mut Store, v: BigRational| Some(s.rational(v));
        let int = |v: i64| BigRational::from_integer(BigInt::from(v));
        match f {
            Abs => r(self, q.abs()),
            Sign => r(self, int(q.signum().numer().try_into().unwrap_or(0))),
            Step => r(self, int(i64::from(q.is_positive()))),
            Relu => r(self, if q.is_positive() { q.clone() } else { int(0) }),
            Sin | Tan | Asin | Atan | Sinh | Tanh | Asinh | Atanh | Erf if zero => r(self, int(0)),
            Cos | Cosh | Exp if zero => r(self, int(1)),
            Ln | Acosh if one => r(self, int(0)),
            Acos if one => r(self, int(0)),
            Acos if zero => Some(self.pi_times(Number::frac(1, 2))),
            Asin if one => Some(self.pi_times(Number::frac(1, 2))),
            Atan if one => Some(self.pi_times(Number::frac(1, 4))),
            Acos if *q == -int(1) => Some(self.constant(Constant::Pi)),
            Sigmoid if zero => r(self, BigRational::new(1.into(), 2.into())),
            Softplus if zero => {
                let two = self.int(2);
                Some(self.call1(Ln, two))
            }
            Cbrt => {
                let n = exact_root(&q.numer().abs(), 3)?;
                let d = exact_root(q.denom(), 3)?;
                let v = BigRational::new(n, d);
                r(self, if q.is_negative() { -v } else { v })
            }
            _ => None,
        }
    }

    /// `Some(r)` when `a = r*pi` for an exact rational `r`.
    fn pi_multiple(&self, a: ExprId) -> Option<BigRational> {
        match self.node(a) {
            Node::Const(Constant::Pi) => Some(BigRational::one()),
            Node::Mul(xs)
                if xs.len() == 2 && matches!(self.node(xs[1]), Node::Const(Constant::Pi)) =>
            {
                self.as_num(xs[0])?.as_rational().cloned()
            }
            _ => None,
        }
    }

    /// `sin`, `cos`, `tan` at multiples of `pi/6` and `pi/4`.
    fn trig_special(&mut self, f: Func, r: &BigRational) -> Option<ExprId> {
        let twelve = BigRational::from_integer(BigInt::from(12));
        let k = r * &twelve;
        if !k.is_integer() {
            return None;
        }
        let k: i64 = k
            .to_integer()
            .mod_floor(&BigInt::from(24))
            .try_into()
            .ok()?;
        // sin at k*pi/12 for k = 0..6 (multiples of pi/12 that have table entries)
        let sin_at = |s: &mut Store, k: i64| -> Option<ExprId> {
            let (k, sign) = if k >= 12 { (k - 12, -1) } else { (k, 1) };
            let k = if k > 6 { 12 - k } else { k };
            let v = match k {
                0 => s.int(0),
                2 => s.frac(1, 2),
                3 => {
                    let two = s.int(2);
                    let r2 = s.sqrt(two);
                    let h = s.frac(1, 2);
                    s.mul(&[h, r2])
                }
                4 => {
                    let three = s.int(3);
                    let r3 = s.sqrt(three);
                    let h = s.frac(1, 2);
                    s.mul(&[h, r3])
                }
                6 => s.int(1),
                _ => return None,
            };
            let m = s.int(sign);
            Some(s.mul(&[m, v]))
        };
        match f {
            Func::Sin => sin_at(self, k),
            Func::Cos => sin_at(self, (k + 6) % 24),
            _ => {
                if (k % 12) == 6 {
                    return None;
                }
                let s = sin_at(self, k)?;
                let c = sin_at(self, (k + 6) % 24)?;
                Some(self.div(s, c))
            }
        }
    }
}

/// True for a float result that is not finite: such a result is not folded
/// (a number node is always finite) and the operands stay as they are.
fn overflows(n: &Number) -> bool {
    !n.is_exact() && !n.to_f64().is_finite()
}

/// `m^e = c * base^f` with an exact `c` and `f` in (0, 1): the coefficient
/// and the leftover root (`None` when there is none). `None` overall when
/// the exact coefficient would be too large.
#[allow(clippy::type_complexity)]
fn root_parts(
    m: &BigInt,
    e: &BigRational,
    q: u32,
    max_bits: u64,
) -> Option<(BigRational, Option<(BigInt, BigRational)>)> {
    if m.is_one() {
        return Some((BigRational::one(), None));
    }
    let k = e.floor();
    let f = e - &k;
    let mk = Number::Rational(BigRational::from_integer(m.clone()))
        .pow_int_within(k.numer(), max_bits)?;
    let mut c = mk.as_rational()?.clone();
    let (a, rest) = split_power(m, q);
    let r = f.numer().clone();
    if !a.is_one() {
        let ar = Number::Rational(BigRational::from_integer(a)).pow_int_within(&r, max_bits)?;
        c *= ar.as_rational()?;
    }
    let left = (!rest.is_one()).then_some((rest, f));
    Some((c, left))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_terms_merge_and_ids_are_shared() {
        let mut s = Store::new();
        let x = s.var("x");
        let a = s.add(&[x, x]);
        let two = s.int(2);
        let b = s.mul(&[two, x]);
        assert_eq!(a, b);
        assert_eq!(s.add(&[x, x]), a);
        let m = s.neg(x);
        assert_eq!(s.add(&[x, m]), s.int(0));
    }

    #[test]
    fn exact_constants_fold() {
        let mut s = Store::new();
        let (h, t) = (s.frac(1, 2), s.frac(1, 3));
        assert_eq!(s.add(&[h, t]), s.frac(5, 6));
        let eight = s.int(8);
        let r8 = s.sqrt(eight);
        let two = s.int(2);
        let r2 = s.sqrt(two);
        assert_eq!(r8, s.mul(&[two, r2]));
        let zero = s.int(0);
        assert_eq!(s.call1(Func::Exp, zero), s.int(1));
        assert_eq!(s.mul(&[r2, r2]), two);
    }

    #[test]
    fn domain_changing_rewrites_are_not_applied() {
        let mut s = Store::new();
        let x = s.var("x");
        let r = s.recip(x);
        let q = s.mul(&[x, r]);
        assert!(matches!(s.node(q), Node::Mul(_)));
        let sq = s.powi(x, 2);
        let root = s.sqrt(sq);
        assert!(matches!(s.node(root), Node::Pow(_)));
        let rx = s.sqrt(x);
        let back = s.powi(rx, 2);
        assert_ne!(back, x);
        // x * x^2 = x^3 and x^-1 * x^-2 = x^-3 keep the domain
        assert_eq!(s.mul(&[x, sq]), s.powi(x, 3));
    }

    #[test]
    fn coefficients_distribute_over_a_single_sum() {
        let mut s = Store::new();
        let (x, y) = (s.var("x"), s.var("y"));
        let d = s.sub(x, y);
        let e = s.sub(x, d);
        assert_eq!(e, y);
    }

    #[test]
    fn special_angles() {
        let mut s = Store::new();
        let pi = s.constant(Constant::Pi);
        let third = s.frac(1, 3);
        let a = s.mul(&[third, pi]);
        assert_eq!(s.call1(Func::Cos, a), s.frac(1, 2));
    }
}

//! Smart constructors for function applications: exact values at special
//! points (`exp(0) = 1`, `cos(pi/3) = 1/2`), floats folded, odd and even
//! symmetry (`sin(-x) = -sin(x)`), flattened and sorted `min`/`max`. A
//! function of the undefined constant is undefined, and `sign(u)` of a
//! singular `u` is not folded (see [`Store::is_singular`]).

use num_bigint::BigInt;
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::{One, Signed, Zero};

use super::number::exact_root;
use super::{Constant, ExprId, Func, Node, Number, Store};

impl Store {
    /// A function application.
    pub fn call(&mut self, f: Func, args: &[ExprId]) -> ExprId {
        if self.overflow.is_some() {
            // the result is discarded: stay cheap
            return self.zero();
        }
        debug_assert!(f.arity().is_none_or(|n| n == args.len()));
        if args.iter().any(|a| self.is_nan(*a)) {
            return self.nan();
        }
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
        self.intern_call(f, &[a])
    }

    /// A trigonometric or hyperbolic function of an inverse one, where the
    /// algebraic form has exactly the same domain (as SymPy evaluates
    /// them): `cos(atan(x)) = 1/sqrt(x^2 + 1)`, `tan(asin(x)) =
    /// x/sqrt(1 - x^2)` (both undefined outside `[-1, 1]`, both with a pole
    /// at 1). `sin(asin(x)) = x` is left alone: `x` is defined everywhere.
    fn of_inverse(&mut self, f: Func, g: Func, x: ExprId) -> Option<ExprId> {
        use Func::*;
        let one = self.int(1);
        // sqrt(1 + x^2), sqrt(1 - x^2), sqrt(x - 1)*sqrt(x + 1)
        let root = |s: &mut Store, plus: Option<bool>| {
            let sq = s.powi(x, 2);
            match plus {
                Some(true) => {
                    let a = s.add(&[sq, one]);
                    s.sqrt(a)
                }
                Some(false) => {
                    let a = s.sub(one, sq);
                    s.sqrt(a)
                }
                None => {
                    let (m, p) = (s.sub(x, one), s.add(&[x, one]));
                    let (m, p) = (s.sqrt(m), s.sqrt(p));
                    s.mul(&[m, p])
                }
            }
        };
        Some(match (f, g) {
            (Tan, Atan) | (Sinh, Asinh) => x,
            (Sin, Atan) | (Tanh, Asinh) => {
                let r = root(self, Some(true));
                self.div(x, r)
            }
            (Cos, Atan) => {
                let r = root(self, Some(true));
                self.recip(r)
            }
            (Cosh, Asinh) => root(self, Some(true)),
            (Cos, Asin) | (Sin, Acos) => root(self, Some(false)),
            (Tan, Asin) | (Sinh, Atanh) => {
                let r = root(self, Some(false));
                self.div(x, r)
            }
            (Tan, Acos) => {
                let r = root(self, Some(false));
                self.div(r, x)
            }
            (Cosh, Atanh) => {
                let r = root(self, Some(false));
                self.recip(r)
            }
            (Sinh, Acosh) => root(self, None),
            (Tanh, Acosh) => {
                let r = root(self, None);
                self.div(r, x)
            }
            _ => return None,
        })
    }

    /// Odd and even functions take the sign out of their argument:
    /// `sin(-x) = -sin(x)`, `cos(-x) = cos(x)`, `abs(2*x) = 2*abs(x)`.
    fn call_symmetry(&mut self, f: Func, a: ExprId) -> Option<ExprId> {
        use Func::*;
        if f == Abs
            && let Node::Mul(xs) = self.node(a)
            && let Node::Num(c) = self.node(xs[0])
        {
            let (c, xs) = (c.abs(), smallvec::SmallVec::<[ExprId; 4]>::from_slice(xs));
            let c = self.number(c);
            let rest = if xs.len() == 2 {
                xs[1]
            } else {
                self.intern_mul(&xs[1..])
            };
            let inner = self.call1(Abs, rest);
            return Some(self.mul(&[c, inner]));
        }
        let odd = matches!(
            f,
            Sin | Tan | Asin | Atan | Sinh | Tanh | Asinh | Atanh | Erf | Cbrt | Sign | Round
        );
        let even = matches!(f, Cos | Cosh | Abs | Sinc);
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
        self.sort_canonical(&mut flat);
        if flat.len() == 1 {
            return flat[0];
        }
        self.intern_call(f, &flat)
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
        self.intern_call(Func::Atan2, &[y, x])
    }

    fn pi_times(&mut self, r: Number) -> ExprId {
        let c = self.number(r);
        let p = self.constant(Constant::Pi);
        self.mul(&[c, p])
    }

    /// Exact values of functions at special points, and floats folded.
    fn fold_call(&mut self, f: Func, a: ExprId) -> Option<ExprId> {
        use Func::*;
        // the argument's shape, its operands copied out: no node is cloned
        let (call, pair) = match self.node(a) {
            Node::Num(n) => {
                return match n {
                    &Number::Float(x) => {
                        let v = f.apply_f64(&[x]);
                        v.is_finite().then(|| self.float(v))
                    }
                    Number::Rational(q) => {
                        let q = q.clone();
                        self.fold_exact(f, &q)
                    }
                };
            }
            Node::Const(Constant::E) if f == Ln => return Some(self.int(1)),
            Node::Call(g, x) => (Some((*g, x[0])), None),
            Node::Mul(xs) if xs.len() == 2 => (None, Some((xs[0], xs[1]))),
            _ => (None, None),
        };
        if let Some((g, x)) = call {
            if g == Exp && f == Ln {
                return Some(x);
            }
            // `exp(log(u)) = u` and `exp(c*log(u)) = u^c` where `u` is
            // positive wherever it is defined: both sides have its domain
            if g == Ln && f == Exp && self.is_positive(x) && !self.is_singular(x) {
                return Some(x);
            }
            if g == f && matches!(f, Abs | Sign | Step) {
                return Some(self.call1(g, x));
            }
            // an integer stays itself: `floor(ceil(x)) = ceil(x)`
            if matches!(g, Floor | Ceil | Round) && matches!(f, Floor | Ceil | Round) {
                return Some(a);
            }
            if let Some(v) = self.of_inverse(f, g, x) {
                return Some(v);
            }
        }
        if let Some((c, l)) = pair
            && f == Exp
            && let (Node::Num(_), Node::Call(Ln, u)) = (self.node(c), self.node(l))
            && self.is_positive(u[0])
            && !self.is_singular(u[0])
        {
            let u = u[0];
            return Some(self.pow(u, c));
        }
        if matches!(f, Sin | Cos | Tan)
            && let Some(r) = self.pi_multiple(a)
        {
            return self.trig_special(f, &r);
        }
        if matches!(f, Sin | Cos | Tan)
            && let Some(folded) = self.trig_shift(f, a)
        {
            return Some(folded);
        }
        if f == Sinc
            && let Some(r) = self.pi_multiple(a)
        {
            // `sin(r*pi)/(r*pi)` where the sine has an exact value
            let s = self.trig_special(Sin, &r)?;
            return Some(self.div(s, a));
        }
        if matches!(f, Floor | Ceil | Round) {
            return self.fold_whole(f, a);
        }
        if self.is_positive(a) && !self.is_singular(a) {
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
        let half = || BigRational::new(BigInt::from(1), BigInt::from(2));
        match f {
            Abs => r(self, q.abs()),
            Sign => r(self, int(q.signum().numer().try_into().unwrap_or(0))),
            Step => r(self, int(i64::from(q.is_positive()))),
            Relu => r(self, if q.is_positive() { q.clone() } else { int(0) }),
            Sin | Tan | Asin | Atan | Sinh | Tanh | Asinh | Atanh | Erf if zero => r(self, int(0)),
            Cos | Cosh | Exp | Erfc | Sinc if zero => r(self, int(1)),
            Floor | Ceil | Round => r(self, super::whole::whole(f, q)),
            Ln | Acosh if one => r(self, int(0)),
            Acos if one => r(self, int(0)),
            Acos if zero => Some(self.pi_times(Number::frac(1, 2))),
            Asin if one => Some(self.pi_times(Number::frac(1, 2))),
            Atan if one => Some(self.pi_times(Number::frac(1, 4))),
            Acos if *q == -int(1) => Some(self.constant(Constant::Pi)),
            Asin if *q == half() => Some(self.pi_times(Number::frac(1, 6))),
            Acos if *q == half() => Some(self.pi_times(Number::frac(1, 3))),
            Acos if *q == -half() => Some(self.pi_times(Number::frac(2, 3))),
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

    /// `sin`, `cos`, `tan` of a sum with a rational multiple of `pi` in it,
    /// reduced by whole periods (`sin(25*pi/2 + y)` is `sin(pi/2 + y)`),
    /// and by quarter turns where the multiple is one of `pi/2`:
    /// `sin(u + pi/2) = cos(u)`, `sin(u + pi) = -sin(u)`, `cos(u + pi/2) =
    /// -sin(u)`, `tan(u + pi) = tan(u)`, `tan(u + pi/2) = -cos(u)/sin(u)`
    /// (undefined where `sin(u) = 0`, as the input is). Identities on the
    /// whole real line, as SymPy applies them.
    fn trig_shift(&mut self, f: Func, a: ExprId) -> Option<ExprId> {
        let Node::Add(xs) = self.node(a) else {
            return None;
        };
        let xs = xs.to_vec();
        let (i, r) = xs
            .iter()
            .enumerate()
            .find_map(|(i, &x)| self.pi_multiple(x).map(|r| (i, r)))?;
        let period = BigRational::from_integer(BigInt::from(if f == Func::Tan { 1 } else { 2 }));
        // into (-period/2, period/2]: `cos(y - pi/3)` stays as it is
        let half = &period / BigRational::from_integer(BigInt::from(2));
        let mut reduced = &r - &period * (&r / &period).floor();
        if reduced > half {
            reduced -= &period;
        }
        let rest: Vec<ExprId> = xs
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, &x)| x)
            .collect();
        let u = self.add(&rest);
        let twice = &reduced * BigRational::from_integer(BigInt::from(2));
        if !twice.is_integer() {
            if reduced == r {
                return None;
            }
            let shift = self.pi_times(Number::Rational(reduced));
            let arg = self.add(&[u, shift]);
            return Some(self.call1(f, arg));
        }
        // quarter turns: k*pi/2, k in 0..4
        let k: i64 = twice.to_integer().try_into().ok()?;
        let k = k.rem_euclid(4);
        let neg = |s: &mut Store, e: ExprId| s.neg(e);
        Some(match (f, k) {
            (Func::Sin, 0) | (Func::Cos, 3) => self.call1(Func::Sin, u),
            (Func::Sin, 1) | (Func::Cos, 0) => self.call1(Func::Cos, u),
            (Func::Sin, 2) | (Func::Cos, 1) => {
                let s = self.call1(Func::Sin, u);
                neg(self, s)
            }
            (Func::Sin, 3) | (Func::Cos, 2) => {
                let c = self.call1(Func::Cos, u);
                neg(self, c)
            }
            (Func::Tan, 0) => self.call1(Func::Tan, u),
            (Func::Tan, _) => {
                let c = self.call1(Func::Cos, u);
                let s = self.call1(Func::Sin, u);
                let q = self.div(c, s);
                neg(self, q)
            }
            _ => return None,
        })
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
                // at a pole (k = 6, 18) this is sin/0: the pole 0^(-1),
                // as for 1/0, sec(pi/2) and cot(0), never tan(1.5707963267948966)
                let s = sin_at(self, k)?;
                let c = sin_at(self, (k + 6) % 24)?;
                Some(self.div(s, c))
            }
        }
    }
}

/// A function of the language that the constructors rewrite into others
/// (as `sec(x)` is `1/cos(x)`): the value is the same everywhere, the
/// domain included, and so are derivatives and series.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rewrite {
    /// `log10(x) = log(x)/log(10)`.
    Log10,
    /// `log2(x) = log(x)/log(2)`.
    Log2,
    /// `asec(x) = acos(1/x)`, for `|x| >= 1`.
    Asec,
    /// `acsc(x) = asin(1/x)`, for `|x| >= 1`.
    Acsc,
    /// `acot(x) = atan(1/x)`: odd, in `(-pi/2, pi/2]`, as SymPy's; at 0
    /// it is `atan(1/0) = pi/2` (see [`Rewrite::apply`]).
    Acot,
    /// `sech(x) = 1/cosh(x)`.
    Sech,
    /// `csch(x) = 1/sinh(x)`, for `x != 0`.
    Csch,
    /// `coth(x) = 1/tanh(x)`, for `x != 0` (not `cosh/sinh`, which is
    /// `inf/inf` in floats past 710).
    Coth,
    /// `asech(x) = acosh(1/x)`, for `0 < x <= 1`.
    Asech,
    /// `acsch(x) = asinh(1/x)`, for `x != 0`.
    Acsch,
    /// `acoth(x) = atanh(1/x)`, for `|x| > 1`.
    Acoth,
}

impl Rewrite {
    /// Every rewritten function.
    pub const ALL: &'static [Rewrite] = &[
        Rewrite::Log10,
        Rewrite::Log2,
        Rewrite::Asec,
        Rewrite::Acsc,
        Rewrite::Acot,
        Rewrite::Sech,
        Rewrite::Csch,
        Rewrite::Coth,
        Rewrite::Asech,
        Rewrite::Acsch,
        Rewrite::Acoth,
    ];

    /// The name in deriv's syntax.
    pub fn name(self) -> &'static str {
        match self {
            Rewrite::Log10 => "log10",
            Rewrite::Log2 => "log2",
            Rewrite::Asec => "asec",
            Rewrite::Acsc => "acsc",
            Rewrite::Acot => "acot",
            Rewrite::Sech => "sech",
            Rewrite::Csch => "csch",
            Rewrite::Coth => "coth",
            Rewrite::Asech => "asech",
            Rewrite::Acsch => "acsch",
            Rewrite::Acoth => "acoth",
        }
    }

    /// The rewritten function called `name`, if any.
    pub fn from_name(name: &str) -> Option<Rewrite> {
        Rewrite::ALL.iter().copied().find(|r| r.name() == name)
    }

    /// The function applied to `x`, through the constructors. At a pole
    /// of the inner reciprocal the reciprocal is infinite: `acot(0)` is
    /// `atan(0^(-1))`, which evaluates to `pi/2` (`atan(+inf)`, SymPy's
    /// `acot(0)`) with a warning naming `1/x`, and its derivative there,
    /// where `acot` jumps, is NaN, never a number.
    pub fn apply(self, s: &mut Store, x: ExprId) -> ExprId {
        let (outer, inner) = match self {
            Rewrite::Log10 | Rewrite::Log2 => {
                let base = s.int(if self == Rewrite::Log10 { 10 } else { 2 });
                return s.log_base(x, base);
            }
            Rewrite::Sech => (None, Some(Func::Cosh)),
            Rewrite::Csch => (None, Some(Func::Sinh)),
            Rewrite::Coth => (None, Some(Func::Tanh)),
            Rewrite::Asec => (Some(Func::Acos), None),
            Rewrite::Acsc => (Some(Func::Asin), None),
            Rewrite::Acot => (Some(Func::Atan), None),
            Rewrite::Asech => (Some(Func::Acosh), None),
            Rewrite::Acsch => (Some(Func::Asinh), None),
            Rewrite::Acoth => (Some(Func::Atanh), None),
        };
        let u = match inner {
            Some(g) => s.call1(g, x),
            None => x,
        };
        let r = s.recip(u);
        match outer {
            Some(f) => s.call1(f, r),
            None => r,
        }
    }
}

//! The derivative table: one rule per function, through the constructors.

use crate::expr::{Constant, ExprId, Func, Store};

/// `∂f(args)/∂args[i]`; `call` is the node `f(args)` itself (reused by
/// `exp`, `tan`, `tanh`, `sigmoid`, `cbrt`).
pub fn partial(s: &mut Store, f: Func, args: &[ExprId], i: usize, call: ExprId) -> ExprId {
    let a = args[0];
    match f {
        Func::Sin => s.call1(Func::Cos, a),
        Func::Cos => {
            let v = s.call1(Func::Sin, a);
            s.neg(v)
        }
        Func::Tan => one_plus_square(s, call, 1),
        Func::Tanh => one_plus_square(s, call, -1),
        Func::Asin => inv_sqrt(s, a, 1, -1, 1),
        Func::Acos => inv_sqrt(s, a, 1, -1, -1),
        Func::Asinh => inv_sqrt(s, a, 1, 1, 1),
        Func::Acosh => inv_sqrt(s, a, -1, 1, 1),
        Func::Atan => {
            let d = one_plus_square(s, a, 1);
            s.recip(d)
        }
        Func::Atanh => {
            let d = one_plus_square(s, a, -1);
            s.recip(d)
        }
        Func::Sinh => s.call1(Func::Cosh, a),
        Func::Cosh => s.call1(Func::Sinh, a),
        Func::Exp => call,
        Func::Ln => s.recip(a),
        Func::Cbrt => {
            let third = s.frac(1, 3);
            let inv = s.powi(call, -2);
            s.mul(&[third, inv])
        }
        Func::Abs => s.call1(Func::Sign, a),
        Func::Sign | Func::Step | Func::Floor | Func::Ceil | Func::Round => s.int(0),
        Func::Relu => s.call1(Func::Step, a),
        Func::Sigmoid => {
            let m = s.neg(call);
            let one = s.int(1);
            let rest = s.add(&[one, m]);
            s.mul(&[call, rest])
        }
        Func::Softplus => s.call1(Func::Sigmoid, a),
        Func::Erf => {
            let pi = s.constant(Constant::Pi);
            let c = s.frac(-1, 2);
            let r = s.pow(pi, c);
            let two = s.int(2);
            let sq = s.powi(a, 2);
            let m = s.neg(sq);
            let ex = s.call1(Func::Exp, m);
            s.mul(&[two, r, ex])
        }
        Func::Erfc => {
            let d = partial(s, Func::Erf, args, i, call);
            s.neg(d)
        }
        Func::Sinc => sinc_partial(s, a, call),
        Func::Atan2 => atan2_partial(s, args[0], args[1], i),
        Func::Min | Func::Max => min_max_partial(s, f, args, i),
    }
}

/// `sinc'(x) = (cos(x) - sinc(x))/x`: SymPy's `cos(x)/x - sin(x)/x^2`
/// in one fraction. At exactly 0 it is `0/0`, undefined (NaN, never a
/// number); the AD modes and the Taylor rule give the true 0 there.
fn sinc_partial(s: &mut Store, a: ExprId, call: ExprId) -> ExprId {
    let c = s.call1(Func::Cos, a);
    let d = s.sub(c, call);
    s.div(d, a)
}

/// `1 + sign*u^2`.
fn one_plus_square(s: &mut Store, u: ExprId, sign: i64) -> ExprId {
    let one = s.int(1);
    let sq = s.powi(u, 2);
    let k = s.int(sign);
    let t = s.mul(&[k, sq]);
    s.add(&[one, t])
}

/// `out * (c + k*a^2)^(-1/2)`.
fn inv_sqrt(s: &mut Store, a: ExprId, c: i64, k: i64, out: i64) -> ExprId {
    let c = s.int(c);
    let sq = s.powi(a, 2);
    let k = s.int(k);
    let t = s.mul(&[k, sq]);
    let inner = s.add(&[c, t]);
    let e = s.frac(-1, 2);
    let p = s.pow(inner, e);
    let o = s.int(out);
    s.mul(&[o, p])
}

/// `∂atan2(y, x)/∂y = x/(x^2 + y^2)`, `∂/∂x = -y/(x^2 + y^2)`.
fn atan2_partial(s: &mut Store, y: ExprId, x: ExprId, i: usize) -> ExprId {
    let x2 = s.powi(x, 2);
    let y2 = s.powi(y, 2);
    let r2 = s.add(&[x2, y2]);
    let num = if i == 0 { x } else { s.neg(y) };
    s.div(num, r2)
}

/// The share of argument `i` in the derivative of `min`/`max`: 1 where it
/// alone is extreme, `1/k` where `k` arguments tie (SPEC: 1/2 : 1/2).
fn min_max_partial(s: &mut Store, f: Func, args: &[ExprId], i: usize) -> ExprId {
    let half = s.frac(1, 2);
    let one = s.int(1);
    if args.len() == 2 {
        // max: (1 + sign(a_i - a_j))/2, min: (1 - sign(a_i - a_j))/2
        let d = s.sub(args[i], args[1 - i]);
        let sg = s.call1(Func::Sign, d);
        let sg = if f == Func::Max { sg } else { s.neg(sg) };
        let t = s.add(&[one, sg]);
        return s.mul(&[half, t]);
    }
    let mut wins = Vec::new();
    let mut ties = vec![one];
    for (j, &b) in args.iter().enumerate() {
        if j == i {
            continue;
        }
        // a_i >= b (max) or a_i <= b (min): 1 - step(b - a_i) resp. 1 - step(a_i - b)
        let d = if f == Func::Max {
            s.sub(b, args[i])
        } else {
            s.sub(args[i], b)
        };
        let st = s.call1(Func::Step, d);
        let m = s.neg(st);
        wins.push(s.add(&[one, m]));
        let e = s.sub(args[i], b);
        let sg = s.call1(Func::Sign, e);
        let ab = s.call1(Func::Abs, sg);
        let m = s.neg(ab);
        ties.push(s.add(&[one, m]));
    }
    let count = s.add(&ties);
    let inv = s.recip(count);
    wins.push(inv);
    s.mul(&wins)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::print::infix;

    fn d(f: Func) -> String {
        let mut s = Store::new();
        let x = s.var("x");
        let c = s.call1(f, x);
        let p = partial(&mut s, f, &[x], 0, c);
        infix(&s, p)
    }

    #[test]
    fn elementary_rules() {
        assert_eq!(d(Func::Sin), "cos(x)");
        assert_eq!(d(Func::Cos), "-sin(x)");
        assert_eq!(d(Func::Tan), "tan(x)^2 + 1");
        assert_eq!(d(Func::Exp), "exp(x)");
        assert_eq!(d(Func::Ln), "1/x");
        assert_eq!(d(Func::Abs), "sign(x)");
        assert_eq!(d(Func::Relu), "step(x)");
        assert_eq!(d(Func::Sign), "0");
        assert_eq!(d(Func::Step), "0");
        assert_eq!(d(Func::Softplus), "sigmoid(x)");
        assert_eq!(d(Func::Sigmoid), "sigmoid(x)*(1 - sigmoid(x))");
        assert_eq!(d(Func::Atan), "1/(x^2 + 1)");
        assert_eq!(d(Func::Asin), "1/sqrt(1 - x^2)");
        assert_eq!(d(Func::Acos), "-1/sqrt(1 - x^2)");
        assert_eq!(d(Func::Asinh), "1/sqrt(x^2 + 1)");
        assert_eq!(d(Func::Acosh), "1/sqrt(x^2 - 1)");
        assert_eq!(d(Func::Atanh), "1/(1 - x^2)");
        assert_eq!(d(Func::Tanh), "1 - tanh(x)^2");
        assert_eq!(d(Func::Sinh), "cosh(x)");
        assert_eq!(d(Func::Cosh), "sinh(x)");
        assert_eq!(d(Func::Cbrt), "1/(3*cbrt(x)^2)");
        assert_eq!(d(Func::Erf), "2*exp(-x^2)/sqrt(pi)");
        assert_eq!(d(Func::Erfc), "-2*exp(-x^2)/sqrt(pi)");
        assert_eq!(d(Func::Sinc), "(cos(x) - sinc(x))/x");
        for f in [Func::Floor, Func::Ceil, Func::Round] {
            assert_eq!(d(f), "0");
        }
    }

    #[test]
    fn two_argument_rules() {
        let mut s = Store::new();
        let (x, y) = (s.var("x"), s.var("y"));
        let c = s.call(Func::Atan2, &[y, x]);
        let dy = partial(&mut s, Func::Atan2, &[y, x], 0, c);
        assert_eq!(infix(&s, dy), "x/(x^2 + y^2)");
        let m = s.call(Func::Max, &[x, y]);
        let dx = partial(&mut s, Func::Max, &[x, y], 0, m);
        assert_eq!(infix(&s, dx), "sign(x - y)/2 + 1/2");
    }
}

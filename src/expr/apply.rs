//! Functions evaluated on floats, with IEEE semantics: the float meaning
//! of every [`Func`], shared by constant folding and the evaluation tape.

use super::Func;
use super::elementary;

impl Func {
    /// Evaluates the function on floats with IEEE semantics: a value outside
    /// the real domain is NaN or ±inf, never an error.
    #[inline]
    pub fn apply_f64(self, args: &[f64]) -> f64 {
        let x = args[0];
        match self {
            Func::Sin => elementary::sin(x),
            Func::Cos => elementary::cos(x),
            Func::Tan => x.tan(),
            Func::Asin => x.asin(),
            Func::Acos => x.acos(),
            Func::Atan => x.atan(),
            Func::Sinh => x.sinh(),
            Func::Cosh => x.cosh(),
            Func::Tanh => x.tanh(),
            Func::Asinh => x.asinh(),
            Func::Acosh => x.acosh(),
            Func::Atanh => x.atanh(),
            Func::Exp => elementary::exp(x),
            Func::Ln => x.ln(),
            Func::Cbrt => x.cbrt(),
            Func::Abs => x.abs(),
            Func::Sign => sign(x),
            Func::Step => step(x),
            Func::Sigmoid => sigmoid(x),
            Func::Relu => relu(x),
            Func::Softplus => softplus(x),
            Func::Erf => libm::erf(x),
            Func::Erfc => libm::erfc(x),
            Func::Floor => x.floor(),
            Func::Ceil => x.ceil(),
            Func::Round => x.round(),
            Func::Sinc => sinc(x),
            Func::Atan2 => x.atan2(args[1]),
            Func::Min => fold_nan(args, f64::min),
            Func::Max => fold_nan(args, f64::max),
        }
    }
}

fn sign(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else if x < 0.0 {
        -1.0
    } else {
        x * 0.0
    }
}

fn step(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else if x.is_nan() {
        x
    } else {
        0.0
    }
}

fn relu(x: f64) -> f64 {
    if x > 0.0 || x.is_nan() { x } else { 0.0 }
}

fn sigmoid(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

fn softplus(x: f64) -> f64 {
    if x > 0.0 {
        x + (-x).exp().ln_1p()
    } else {
        x.exp().ln_1p()
    }
}

/// `sin(x)/x`, 1 at 0. Below `2^-26` in magnitude `sin(x)/x` rounds to 1
/// (its error is `x^2/6`), and `sin(x)` would underflow for subnormal `x`.
fn sinc(x: f64) -> f64 {
    if x.abs() < 1.0 / 67_108_864.0 {
        1.0
    } else {
        x.sin() / x
    }
}

fn fold_nan(args: &[f64], f: fn(f64, f64) -> f64) -> f64 {
    if args.iter().any(|a| a.is_nan()) {
        return f64::NAN;
    }
    args.iter().copied().reduce(f).unwrap_or(f64::NAN)
}

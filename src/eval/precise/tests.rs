//! The cases of issue 11, by hand.

use super::*;
use crate::parse::{ParseOptions, parse_expr};

fn exact(src: &str) -> Precise {
    let mut s = Store::new();
    let e = parse_expr(&mut s, src, &ParseOptions::default()).expect("parses");
    eval_exact(&s, e, &PreciseOptions::default()).expect("closed")
}

fn correct(src: &str, want: f64) {
    let v = exact(src);
    assert_eq!(v.rounding, Rounding::Correct, "{src}: {v:?}");
    assert!(
        v.value == want || (v.value.is_nan() && want.is_nan()),
        "{src}: {} != {want}",
        v.value
    );
}

#[test]
fn issue_cases() {
    correct("sin(10^30)", -0.09011690191213806);
    correct("tan(pi/2 + 1/10^30)", -1e30);
    correct("(1 + 1/10^20)^(10^20)", std::f64::consts::E);
    correct("1/(pi + 1/10^30 - pi)", 1e30);
    correct("cos(pi/2)", 0.0);
    correct("sqrt(2)^2", 2.0);
    correct("sqrt(2)*sqrt(3)", 6f64.sqrt());
}

#[test]
fn undefined_and_poles() {
    correct("0/0", f64::NAN);
    correct("sqrt(-1)", f64::NAN);
    correct("log(-2)", f64::NAN);
    correct("(-8)^(1/3)", f64::NAN);
    correct("1/0", f64::INFINITY);
    correct("log(0)", f64::NEG_INFINITY);
    correct("atanh(1)", f64::INFINITY);
    correct("asin(2)", f64::NAN);
}

#[test]
fn functions_round_correctly() {
    correct("exp(1)", std::f64::consts::E);
    correct("pi", std::f64::consts::PI);
    correct("log(2)", std::f64::consts::LN_2);
    correct("atan(1)*4", std::f64::consts::PI);
    correct("erf(1/2)", 0.5204998778130465);
    correct("erf(3)", 0.9999779095030014);
    correct("erf(10)", 1.0);
    correct("erf(1/10^30)", 1.1283791670955125e-30);
    correct("sigmoid(1)", 0.7310585786300049);
    correct("softplus(-100)", 3.720075976020836e-44);
    correct("softplus(100)", 100.0);
    correct("softplus(1)", 1.3132616875182228);
    correct("atan2(1, -1)", 3.0 * std::f64::consts::FRAC_PI_4);
    correct("atan2(-1, 0)", -std::f64::consts::FRAC_PI_2);
    correct("min(pi, 3, e)", std::f64::consts::E);
    correct("max(pi, 3)", std::f64::consts::PI);
    correct("cbrt(2)", 2f64.cbrt());
    correct("asinh(1)", 0.881373587019543);
    correct("acosh(2)", 1.3169578969248168);
    correct("cosh(-1)", 1.5430806348152437);
    correct("abs(sin(4))", 0.7568024953079282);
    correct("sign(sin(4))", -1.0);
    correct("step(cos(1))", 1.0);
    correct("relu(sin(4))", 0.0);
    correct("2^(1/3)", 2f64.cbrt());
    correct("exp(1000)", f64::INFINITY);
    correct("exp(-1000)", 0.0);
    correct("sinh(1) - (e - 1/e)/2", 0.0);
}

#[test]
fn huge_inputs_return_quickly() {
    let start = std::time::Instant::now();
    let v = exact("sin(2^(10^5))");
    assert_eq!(v.rounding, Rounding::Uncertain, "{v:?}");
    correct("2^(10^9)", f64::INFINITY);
    correct("(1/2)^(10^20)", 0.0);
    correct("exp(10^30)", f64::INFINITY);
    correct("sin(10^100)", -0.3723761236612767);
    assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
}

#[test]
fn free_variables_are_an_error() {
    let mut s = Store::new();
    let e = parse_expr(&mut s, "x + 1", &ParseOptions::default()).expect("parses");
    let err = eval_exact(&s, e, &PreciseOptions::default()).unwrap_err();
    assert_eq!(err, PreciseError::FreeVariable("x".into()));
}

/// Issue 12's functions on arguments that do not fold (mpmath, 50 digits).
#[test]
fn integer_parts_erfc_and_sinc() {
    correct("floor(sqrt(2))", 1.0);
    correct("ceil(sqrt(2))", 2.0);
    correct("round(3*sqrt(2))", 4.0);
    correct("round(-3*sqrt(2))", -4.0);
    correct("floor(10^10*sqrt(2))", 14142135623.0);
    correct("erfc(sqrt(2))", 0.04550026389635842);
    correct("erfc(-1/3)", 1.362648111766063);
    correct("erfc(15)", 7.212994172451207e-100);
    correct("erfc(1/10^20)", 1.0);
    correct("sinc(sqrt(2))", 0.6984559986366083);
    // an argument that is 0 without folding to it: the interval around 0
    correct("sinc(sinh(1) - (e - 1/e)/2)", 1.0);
    // on a jump that does not fold, the interval never settles: not a
    // confident number
    let v = exact("floor(sinh(1) - (e - 1/e)/2)");
    assert_eq!(v.rounding, Rounding::Uncertain);
}

/// The fast square root's bounds hold the true root (astro-float's
/// correctly rounded one lies within them, and they are two ulps apart),
/// over arguments of every size; exact squares stay tight; and the exact
/// evaluation of square roots still rounds correctly.
#[test]
fn sqrt_bounds_enclose_the_root() {
    use astro_float::BigFloat;
    let p = 128;
    let mut state = 0x853c_49e6_748f_ea9bu64;
    for i in 0..2000 {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1442695040888963407);
        let m = 1.0 + (state >> 11) as f64 / (1u64 << 53) as f64;
        let x = interval::from_f64(m * 2f64.powi(i % 600 - 300));
        let (lo, hi) = funcs::sqrt_bounds(&x, p).expect("a positive finite argument");
        let root = x.sqrt(p + 64, interval::RM);
        assert!(
            !interval::lt(&root, &lo) && !interval::lt(&hi, &root),
            "{x}"
        );
        let width = hi.sub(&lo, p + 64, interval::RM);
        let ulp2 = interval::pow2(i64::from(root.exponent().unwrap()) - p as i64 + 2);
        assert!(!interval::lt(&ulp2, &width), "{x}: too wide");
    }
    let nine = BigFloat::from_word(9, 64);
    let (lo, hi) = funcs::sqrt_bounds(&nine, p).unwrap();
    let three = BigFloat::from_word(3, 64);
    assert!(!interval::lt(&three, &lo) && !interval::lt(&hi, &three));
    correct("sqrt(2)", std::f64::consts::SQRT_2);
    // mpmath at 50 digits: 0.5185956241330958, 1e+150
    correct("1/sqrt(1 + exp(1))", 0.5185956241330958);
    correct("sqrt(10^300 + 1)", 1e150);
}

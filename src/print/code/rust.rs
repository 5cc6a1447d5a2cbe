//! Rust: `fn f(x: f64, ...) -> f64`, `[f64; N]` or `[[f64; C]; R]`; the
//! helpers are nested in the function, so several exported functions can
//! share one module.

use super::{Call, Callee, Parts, Shape, helpers};
use crate::expr::Func;

/// Keywords, and the names the code uses.
pub(super) const RESERVED: &[&str] = &[
    "as",
    "break",
    "const",
    "continue",
    "crate",
    "else",
    "enum",
    "extern",
    "false",
    "fn",
    "for",
    "if",
    "impl",
    "in",
    "let",
    "loop",
    "match",
    "mod",
    "move",
    "mut",
    "pub",
    "ref",
    "return",
    "self",
    "Self",
    "static",
    "struct",
    "super",
    "trait",
    "true",
    "type",
    "unsafe",
    "use",
    "where",
    "while",
    "async",
    "await",
    "dyn",
    "abstract",
    "become",
    "box",
    "do",
    "final",
    "macro",
    "override",
    "priv",
    "typeof",
    "unsized",
    "virtual",
    "yield",
    "try",
    "gen",
    "_",
    "f64",
    "std",
    "deriv_sign",
    "deriv_step",
    "deriv_relu",
    "deriv_sigmoid",
    "deriv_softplus",
    "deriv_erf",
    "deriv_erfc",
    "deriv_sinc",
    "deriv_min",
    "deriv_max",
];

/// How a function is called.
pub(super) fn call(f: Callee) -> Call {
    let Callee::F(f) = f else {
        return Call::new("f64::sqrt(");
    };
    match f {
        Func::Min => Call::binary("deriv_min("),
        Func::Max => Call::binary("deriv_max("),
        _ => Call::new(match f {
            Func::Sin => "f64::sin(",
            Func::Cos => "f64::cos(",
            Func::Tan => "f64::tan(",
            Func::Asin => "f64::asin(",
            Func::Acos => "f64::acos(",
            Func::Atan => "f64::atan(",
            Func::Sinh => "f64::sinh(",
            Func::Cosh => "f64::cosh(",
            Func::Tanh => "f64::tanh(",
            Func::Asinh => "f64::asinh(",
            Func::Acosh => "f64::acosh(",
            Func::Atanh => "f64::atanh(",
            Func::Exp => "f64::exp(",
            Func::Ln => "f64::ln(",
            Func::Cbrt => "f64::cbrt(",
            Func::Abs => "f64::abs(",
            Func::Sign => "deriv_sign(",
            Func::Step => "deriv_step(",
            Func::Sigmoid => "deriv_sigmoid(",
            Func::Relu => "deriv_relu(",
            Func::Softplus => "deriv_softplus(",
            Func::Erf => "deriv_erf(",
            Func::Erfc => "deriv_erfc(",
            Func::Floor => "f64::floor(",
            Func::Ceil => "f64::ceil(",
            Func::Round => "f64::round(",
            Func::Sinc => "deriv_sinc(",
            Func::Atan2 => "f64::atan2(",
            Func::Min | Func::Max => "(",
        }),
    }
}

const HELPERS: &[(Func, &str)] = &[
    (
        Func::Sign,
        "fn deriv_sign(x: f64) -> f64 {\n\
         if x > 0.0 { 1.0 } else if x < 0.0 { -1.0 } else { x * 0.0 }\n}\n",
    ),
    (
        Func::Step,
        "fn deriv_step(x: f64) -> f64 {\n\
         if x > 0.0 { 1.0 } else if x.is_nan() { x } else { 0.0 }\n}\n",
    ),
    (
        Func::Relu,
        "fn deriv_relu(x: f64) -> f64 {\n\
         if x > 0.0 || x.is_nan() { x } else { 0.0 }\n}\n",
    ),
    (
        Func::Sigmoid,
        "fn deriv_sigmoid(x: f64) -> f64 {\n\
         if x >= 0.0 {\n    1.0 / (1.0 + (-x).exp())\n} else {\n    \
         let e = x.exp();\n    e / (1.0 + e)\n}\n}\n",
    ),
    (
        Func::Softplus,
        "fn deriv_softplus(x: f64) -> f64 {\n\
         if x > 0.0 { x + (-x).exp().ln_1p() } else { x.exp().ln_1p() }\n}\n",
    ),
    (Func::Erf, ERF),
    (Func::Erfc, ERFC),
    (
        Func::Sinc,
        "fn deriv_sinc(x: f64) -> f64 {\n\
         if x.abs() >= 1.0 / 67_108_864.0 { x.sin() / x } else { 1.0 }\n}\n",
    ),
    (
        Func::Min,
        "fn deriv_min(a: f64, b: f64) -> f64 {\n\
         if a.is_nan() || b.is_nan() { f64::NAN } else { a.min(b) }\n}\n",
    ),
    (
        Func::Max,
        "fn deriv_max(a: f64, b: f64) -> f64 {\n\
         if a.is_nan() || b.is_nan() { f64::NAN } else { a.max(b) }\n}\n",
    ),
];

/// `erf`, which Rust's standard library lacks: below 2 the series
/// `2/sqrt(pi) exp(-x^2) sum (2x^2)^n x/(2n+1)!!` (positive terms), from 2
/// to 6 one minus Laplace's continued fraction for `erfc`, beyond 6 one
/// (within half an ulp).
const ERF: &str = "fn deriv_erf(x: f64) -> f64 {\n\
    let a = x.abs();\n\
    if a.is_nan() {\n    return x;\n}\n\
    if a >= 6.0 {\n    return 1.0_f64.copysign(x);\n}\n\
    let r = if a < 2.0 {\n    \
        let (mut term, mut sum, mut n) = (a, a, 0.0);\n    \
        while term > sum * 1e-17 {\n        \
            n += 1.0;\n        \
            term *= 2.0 * a * a / (2.0 * n + 1.0);\n        \
            sum += term;\n    \
        }\n    \
        std::f64::consts::FRAC_2_SQRT_PI * sum * (-a * a).exp()\n\
    } else {\n    \
        let mut k = 0.0;\n    \
        for i in (1..=60).rev() {\n        \
            k = (f64::from(i) / 2.0) / (a + k);\n    \
        }\n    \
        1.0 - (-a * a).exp() / std::f64::consts::PI.sqrt() / (a + k)\n\
    };\n\
    r.copysign(x)\n}\n";

/// `erfc`, which Rust's standard library lacks: below 1 in magnitude one
/// minus the series of `erf`, from 1 Laplace's continued fraction (250
/// terms, within a few ulps from 1 on) with `x^2` split exactly, and
/// `2 - erfc(-x)` for negative `x`.
const ERFC: &str = "fn deriv_erfc(x: f64) -> f64 {\n\
    let a = x.abs();\n\
    if a.is_nan() {\n    return x;\n}\n\
    if a < 1.0 {\n    \
        let (mut term, mut sum, mut n) = (a, a, 0.0);\n    \
        while term > sum * 1e-17 {\n        \
            n += 1.0;\n        \
            term *= 2.0 * a * a / (2.0 * n + 1.0);\n        \
            sum += term;\n    \
        }\n    \
        let e = std::f64::consts::FRAC_2_SQRT_PI * sum * (-a * a).exp();\n    \
        return 1.0 - e.copysign(x);\n\
    }\n\
    let mut k = 0.0;\n\
    for i in (1..=250).rev() {\n    \
        k = (f64::from(i) / 2.0) / (a + k);\n\
    }\n\
    let hi = a * a;\n\
    let lo = a.mul_add(a, -hi);\n\
    let r = (-hi).exp() * (-lo).exp() / std::f64::consts::PI.sqrt() / (a + k);\n\
    if x < 0.0 { 2.0 - r } else { r }\n}\n";

/// The whole text: one function.
pub(super) fn emit(p: &Parts) -> String {
    let params: Vec<String> = p.params.iter().map(|x| format!("{x}: f64")).collect();
    let ty = match p.shape {
        Shape::Scalar => "f64".to_string(),
        Shape::Vector(n) => format!("[f64; {n}]"),
        Shape::Matrix(r, c) => format!("[[f64; {c}]; {r}]"),
    };
    let mut out =
        String::from("#[allow(non_snake_case, unused_variables, unused_parens, clippy::all)]\n");
    out.push_str(&format!(
        "fn {}({}) -> {ty} {{\n",
        p.name,
        params.join(", ")
    ));
    let mut text = String::new();
    helpers(p, HELPERS, &mut text);
    for line in text.lines() {
        let indent = if line.starts_with("fn ") || line == "}" {
            "    "
        } else {
            "        "
        };
        out.push_str(&format!("{indent}{line}\n"));
    }
    for (name, e) in &p.locals {
        out.push_str(&format!("    let {name} = {e};\n"));
    }
    let list = |xs: &[String]| format!("[{}]", xs.join(", "));
    let value = match p.shape {
        Shape::Scalar => p.results[0].clone(),
        Shape::Vector(_) => list(&p.results),
        Shape::Matrix(..) => {
            let rows: Vec<String> = p.rows().into_iter().map(list).collect();
            format!("[\n        {},\n    ]", rows.join(",\n        "))
        }
    };
    out.push_str(&format!("    {value}\n}}\n"));
    out
}

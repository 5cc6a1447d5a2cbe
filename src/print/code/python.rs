//! Python with the `math` module: a float, a list, or a list of rows.

use super::{Call, Callee, Parts, Shape, helpers};
use crate::expr::Func;

/// Keywords, and the names the code uses.
pub(super) const RESERVED: &[&str] = &[
    "False",
    "None",
    "True",
    "and",
    "as",
    "assert",
    "async",
    "await",
    "break",
    "class",
    "continue",
    "def",
    "del",
    "elif",
    "else",
    "except",
    "finally",
    "for",
    "from",
    "global",
    "if",
    "import",
    "in",
    "is",
    "lambda",
    "nonlocal",
    "not",
    "or",
    "pass",
    "raise",
    "return",
    "try",
    "while",
    "with",
    "yield",
    "math",
    "abs",
    "min",
    "max",
    "any",
    "float",
    "_",
    "_sign",
    "_step",
    "_relu",
    "_sigmoid",
    "_softplus",
    "_cbrt",
    "_floor",
    "_ceil",
    "_round",
    "_sinc",
    "_min",
    "_max",
];

/// How a function is called.
pub(super) fn call(f: Callee) -> Call {
    let Callee::F(f) = f else {
        return Call::new("math.sqrt(");
    };
    Call::new(match f {
        Func::Sin => "math.sin(",
        Func::Cos => "math.cos(",
        Func::Tan => "math.tan(",
        Func::Asin => "math.asin(",
        Func::Acos => "math.acos(",
        Func::Atan => "math.atan(",
        Func::Sinh => "math.sinh(",
        Func::Cosh => "math.cosh(",
        Func::Tanh => "math.tanh(",
        Func::Asinh => "math.asinh(",
        Func::Acosh => "math.acosh(",
        Func::Atanh => "math.atanh(",
        Func::Exp => "math.exp(",
        Func::Ln => "math.log(",
        Func::Cbrt => "_cbrt(",
        Func::Abs => "abs(",
        Func::Sign => "_sign(",
        Func::Step => "_step(",
        Func::Sigmoid => "_sigmoid(",
        Func::Relu => "_relu(",
        Func::Softplus => "_softplus(",
        Func::Erf => "math.erf(",
        Func::Erfc => "math.erfc(",
        Func::Floor => "_floor(",
        Func::Ceil => "_ceil(",
        Func::Round => "_round(",
        Func::Sinc => "_sinc(",
        Func::Atan2 => "math.atan2(",
        Func::Min => "_min(",
        Func::Max => "_max(",
    })
}

const HELPERS: &[(Func, &str)] = &[
    (
        Func::Cbrt,
        "def _cbrt(x):\n    if hasattr(math, \"cbrt\"):\n        return math.cbrt(x)\n    \
         r = abs(x) ** (1.0 / 3.0)\n    if 0.0 < r < math.inf:\n        \
         r -= (r * r * r - abs(x)) / (3.0 * r * r)\n    return math.copysign(r, x)\n",
    ),
    (
        Func::Sign,
        "def _sign(x):\n    return 1.0 if x > 0 else -1.0 if x < 0 else x * 0.0\n",
    ),
    (
        Func::Step,
        "def _step(x):\n    return 1.0 if x > 0 else x if x != x else 0.0\n",
    ),
    (
        Func::Relu,
        "def _relu(x):\n    return x if x > 0 or x != x else 0.0\n",
    ),
    (
        Func::Sigmoid,
        "def _sigmoid(x):\n    if x >= 0:\n        return 1.0 / (1.0 + math.exp(-x))\n    \
         e = math.exp(x)\n    return e / (1.0 + e)\n",
    ),
    (
        Func::Softplus,
        "def _softplus(x):\n    if x > 0:\n        return x + math.log1p(math.exp(-x))\n    \
         return math.log1p(math.exp(x))\n",
    ),
    (
        Func::Floor,
        "def _floor(x):\n    return float(math.floor(x)) if math.isfinite(x) else x\n",
    ),
    (
        Func::Ceil,
        "def _ceil(x):\n    return float(math.ceil(x)) if math.isfinite(x) else x\n",
    ),
    (
        Func::Round,
        "def _round(x):\n    if not math.isfinite(x):\n        return x\n    \
         t = float(math.trunc(x))\n    if abs(x - t) >= 0.5:\n        \
         t += math.copysign(1.0, x)\n    return math.copysign(t, x)\n",
    ),
    (
        Func::Sinc,
        "def _sinc(x):\n    return math.sin(x) / x if abs(x) >= 2.0 ** -26 else 1.0\n",
    ),
    (
        Func::Min,
        "def _min(*xs):\n    return math.nan if any(v != v for v in xs) else min(xs)\n",
    ),
    (
        Func::Max,
        "def _max(*xs):\n    return math.nan if any(v != v for v in xs) else max(xs)\n",
    ),
];

/// The helpers the code needs, each followed by two blank lines.
pub(super) fn python_helpers(p: &Parts) -> String {
    let mut text = String::new();
    helpers(p, HELPERS, &mut text);
    text.replace("\ndef ", "\n\n\ndef ")
}

/// `[a, b]`, or rows of them, or the one value.
pub(super) fn value(p: &Parts, list: fn(&[String]) -> String) -> String {
    match p.shape {
        Shape::Scalar => p.results[0].clone(),
        Shape::Vector(_) => list(&p.results),
        Shape::Matrix(..) => {
            let rows: Vec<String> = p.rows().into_iter().map(list).collect();
            format!("[\n        {},\n    ]", rows.join(",\n        "))
        }
    }
}

/// `[a, b]`.
pub(super) fn list(xs: &[String]) -> String {
    format!("[{}]", xs.join(", "))
}

/// The locals, one a line.
pub(super) fn body(p: &Parts, out: &mut String) {
    for (name, e) in &p.locals {
        out.push_str(&format!("    {name} = {e}\n"));
    }
}

/// The whole module text.
pub(super) fn emit(p: &Parts) -> String {
    let mut out = String::from("import math\n\n\n");
    let helpers = python_helpers(p);
    if !helpers.is_empty() {
        out.push_str(&helpers);
        out.push_str("\n\n");
    }
    out.push_str(&format!("def {}({}):\n", p.name, p.params.join(", ")));
    body(p, &mut out);
    out.push_str(&format!("    return {}\n", value(p, list)));
    out
}

//! NumPy: elementwise on arrays, returning an array of shape
//! `result shape + broadcast shape of the arguments`.

use super::{Call, Callee, Parts, Shape, helpers};
use crate::expr::Func;

/// Names the code uses, beyond Python's.
pub(super) const RESERVED: &[&str] = &["np", "_erf", "_erfc", "_round", "_result"];

/// How a function is called.
pub(super) fn call(f: Callee) -> Call {
    let Callee::F(f) = f else {
        return Call::new("np.sqrt(");
    };
    match f {
        Func::Step => Call {
            open: "np.heaviside(",
            close: ", 0.0)",
            binary: false,
        },
        Func::Relu => Call {
            open: "np.maximum(",
            close: ", 0.0)",
            binary: false,
        },
        Func::Min => Call::binary("np.minimum("),
        Func::Max => Call::binary("np.maximum("),
        _ => Call::new(name(f)),
    }
}

fn name(f: Func) -> &'static str {
    match f {
        Func::Sin => "np.sin(",
        Func::Cos => "np.cos(",
        Func::Tan => "np.tan(",
        Func::Asin => "np.arcsin(",
        Func::Acos => "np.arccos(",
        Func::Atan => "np.arctan(",
        Func::Sinh => "np.sinh(",
        Func::Cosh => "np.cosh(",
        Func::Tanh => "np.tanh(",
        Func::Asinh => "np.arcsinh(",
        Func::Acosh => "np.arccosh(",
        Func::Atanh => "np.arctanh(",
        Func::Exp => "np.exp(",
        Func::Ln => "np.log(",
        Func::Cbrt => "np.cbrt(",
        Func::Abs => "np.abs(",
        Func::Sign => "np.sign(",
        Func::Sigmoid => "_sigmoid(",
        Func::Softplus => "_softplus(",
        Func::Erf => "_erf(",
        Func::Erfc => "_erfc(",
        Func::Floor => "np.floor(",
        Func::Ceil => "np.ceil(",
        Func::Round => "_round(",
        Func::Sinc => "_sinc(",
        Func::Atan2 => "np.arctan2(",
        // written above with their own calls
        Func::Step | Func::Relu | Func::Min | Func::Max => "(",
    }
}

const HELPERS: &[(Func, &str)] = &[
    (
        Func::Sigmoid,
        "def _sigmoid(x):\n    e = np.exp(-np.abs(x))\n    \
         return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))\n",
    ),
    (
        Func::Softplus,
        "def _softplus(x):\n    return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))\n",
    ),
    (
        Func::Erf,
        "def _erf(x):\n    return np.vectorize(math.erf, otypes=[float])(x)\n",
    ),
    (
        Func::Erfc,
        "def _erfc(x):\n    return np.vectorize(math.erfc, otypes=[float])(x)\n",
    ),
    (
        Func::Round,
        "def _round(x):\n    t = np.trunc(x)\n    \
         with np.errstate(invalid=\"ignore\"):\n        \
         r = np.where(np.abs(x - t) >= 0.5, t + np.sign(x), t)\n    \
         return np.copysign(r, x)\n",
    ),
    (
        Func::Sinc,
        "def _sinc(x):\n    small = np.abs(x) < 2.0 ** -26\n    \
         return np.where(small, 1.0, np.sin(x) / np.where(small, 1.0, x))\n",
    ),
];

const RESULT: &str = "def _result(values, shape, *args):\n    \
    arrays = np.broadcast_arrays(*values, *args)[: len(values)]\n    \
    if not arrays:\n        \
    return np.zeros(shape + np.broadcast_shapes(*(np.shape(a) for a in args)))\n    \
    return np.stack(arrays).reshape(shape + arrays[0].shape)\n";

/// The whole module text.
pub(super) fn emit(p: &Parts) -> String {
    let mut out = String::new();
    if p.uses(Func::Erf) || p.uses(Func::Erfc) {
        out.push_str("import math\n\n");
    }
    out.push_str("import numpy as np\n\n\n");
    let mut text = String::new();
    helpers(p, HELPERS, &mut text);
    text.push_str(RESULT);
    out.push_str(&text.replace("\ndef ", "\n\n\ndef "));
    out.push_str("\n\n");
    out.push_str(&format!("def {}({}):\n", p.name, p.params.join(", ")));
    for x in &p.params {
        out.push_str(&format!("    {x} = np.asarray({x}, dtype=float)\n"));
    }
    super::python::body(p, &mut out);
    let shape = match p.shape {
        Shape::Scalar => "()".to_string(),
        Shape::Vector(n) => format!("({n},)"),
        Shape::Matrix(r, c) => format!("({r}, {c})"),
    };
    let mut args = vec![super::python::list(&p.results), shape];
    args.extend(p.params.iter().cloned());
    out.push_str(&format!("    return _result({})\n", args.join(", ")));
    out
}

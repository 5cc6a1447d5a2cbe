//! C99 with `<math.h>`: `double f(...)` for a scalar, else a `void`
//! function filling `double *out` row-major. Helpers are `static` and
//! guarded, so several exported functions can share one file.

use super::{Call, Callee, Parts, Shape, helpers};
use crate::expr::{Constant, Func};

/// Keywords, and the names the code uses.
pub(super) const RESERVED: &[&str] = &[
    "auto",
    "break",
    "case",
    "char",
    "const",
    "continue",
    "default",
    "do",
    "double",
    "else",
    "enum",
    "extern",
    "float",
    "for",
    "goto",
    "if",
    "inline",
    "int",
    "long",
    "register",
    "restrict",
    "return",
    "short",
    "signed",
    "sizeof",
    "static",
    "struct",
    "switch",
    "typedef",
    "union",
    "unsigned",
    "void",
    "volatile",
    "while",
    "_Bool",
    "_",
    "out",
    "e",
    "sin",
    "cos",
    "tan",
    "asin",
    "acos",
    "atan",
    "sinh",
    "cosh",
    "tanh",
    "asinh",
    "acosh",
    "atanh",
    "exp",
    "log",
    "log1p",
    "cbrt",
    "fabs",
    "erf",
    "erfc",
    "floor",
    "ceil",
    "round",
    "atan2",
    "fmin",
    "fmax",
    "pow",
    "sqrt",
    "NAN",
    "INFINITY",
    "M_PI",
    "M_E",
    "deriv_sign",
    "deriv_step",
    "deriv_relu",
    "deriv_sigmoid",
    "deriv_softplus",
    "deriv_min",
    "deriv_max",
    "deriv_sinc",
];

/// How a function is called.
pub(super) fn call(f: Callee) -> Call {
    let Callee::F(f) = f else {
        return Call::new("sqrt(");
    };
    match f {
        Func::Min => Call::binary("deriv_min("),
        Func::Max => Call::binary("deriv_max("),
        _ => Call::new(match f {
            Func::Sin => "sin(",
            Func::Cos => "cos(",
            Func::Tan => "tan(",
            Func::Asin => "asin(",
            Func::Acos => "acos(",
            Func::Atan => "atan(",
            Func::Sinh => "sinh(",
            Func::Cosh => "cosh(",
            Func::Tanh => "tanh(",
            Func::Asinh => "asinh(",
            Func::Acosh => "acosh(",
            Func::Atanh => "atanh(",
            Func::Exp => "exp(",
            Func::Ln => "log(",
            Func::Cbrt => "cbrt(",
            Func::Abs => "fabs(",
            Func::Sign => "deriv_sign(",
            Func::Step => "deriv_step(",
            Func::Sigmoid => "deriv_sigmoid(",
            Func::Relu => "deriv_relu(",
            Func::Softplus => "deriv_softplus(",
            Func::Erf => "erf(",
            Func::Erfc => "erfc(",
            Func::Floor => "floor(",
            Func::Ceil => "ceil(",
            Func::Round => "round(",
            Func::Sinc => "deriv_sinc(",
            Func::Atan2 => "atan2(",
            Func::Min | Func::Max => "(",
        }),
    }
}

const HELPERS: &[(Func, &str)] = &[
    (
        Func::Sign,
        "#ifndef DERIV_SIGN\n#define DERIV_SIGN\nstatic double deriv_sign(double x)\n{\n    \
         return x > 0.0 ? 1.0 : x < 0.0 ? -1.0 : x * 0.0;\n}\n#endif\n",
    ),
    (
        Func::Step,
        "#ifndef DERIV_STEP\n#define DERIV_STEP\nstatic double deriv_step(double x)\n{\n    \
         return x > 0.0 ? 1.0 : x != x ? x : 0.0;\n}\n#endif\n",
    ),
    (
        Func::Relu,
        "#ifndef DERIV_RELU\n#define DERIV_RELU\nstatic double deriv_relu(double x)\n{\n    \
         return x > 0.0 || x != x ? x : 0.0;\n}\n#endif\n",
    ),
    (
        Func::Sigmoid,
        "#ifndef DERIV_SIGMOID\n#define DERIV_SIGMOID\nstatic double deriv_sigmoid(double x)\n{\n    \
         if (x >= 0.0)\n        return 1.0 / (1.0 + exp(-x));\n    \
         const double e = exp(x);\n    return e / (1.0 + e);\n}\n#endif\n",
    ),
    (
        Func::Softplus,
        "#ifndef DERIV_SOFTPLUS\n#define DERIV_SOFTPLUS\nstatic double deriv_softplus(double x)\n{\n    \
         return x > 0.0 ? x + log1p(exp(-x)) : log1p(exp(x));\n}\n#endif\n",
    ),
    (
        Func::Sinc,
        "#ifndef DERIV_SINC\n#define DERIV_SINC\nstatic double deriv_sinc(double x)\n{\n    \
         return fabs(x) >= 0x1p-26 ? sin(x) / x : 1.0;\n}\n#endif\n",
    ),
    (
        Func::Min,
        "#ifndef DERIV_MIN\n#define DERIV_MIN\nstatic double deriv_min(double a, double b)\n{\n    \
         return a != a || b != b ? NAN : fmin(a, b);\n}\n#endif\n",
    ),
    (
        Func::Max,
        "#ifndef DERIV_MAX\n#define DERIV_MAX\nstatic double deriv_max(double a, double b)\n{\n    \
         return a != a || b != b ? NAN : fmax(a, b);\n}\n#endif\n",
    ),
];

/// The whole file text.
pub(super) fn emit(p: &Parts) -> String {
    let mut out = String::from("#include <math.h>\n\n");
    for (c, name, value) in [
        (Constant::Pi, "M_PI", "3.14159265358979323846"),
        (Constant::E, "M_E", "2.7182818284590452354"),
    ] {
        if p.constants.contains(&c) {
            out.push_str(&format!(
                "#ifndef {name}\n#define {name} {value}\n#endif\n\n"
            ));
        }
    }
    let mut text = String::new();
    helpers(p, HELPERS, &mut text);
    out.push_str(&text.replace("#endif\n#ifndef", "#endif\n\n#ifndef"));
    if !text.is_empty() {
        out.push('\n');
    }
    let mut params: Vec<String> = p.params.iter().map(|x| format!("double {x}")).collect();
    let scalar = p.shape == Shape::Scalar;
    if !scalar {
        params.push("double *out".to_string());
        out.push_str(&match p.shape {
            Shape::Matrix(r, c) => format!(
                "/* out: {} doubles, the {r}x{c} matrix row-major (row i, column j at out[i*{c} + j]) */\n",
                p.shape.len()
            ),
            _ => format!("/* out: {} doubles */\n", p.shape.len()),
        });
    }
    if params.is_empty() {
        params.push("void".to_string());
    }
    let ret = if scalar { "double" } else { "void" };
    out.push_str(&format!("{ret} {}({})\n{{\n", p.name, params.join(", ")));
    for (name, e) in &p.locals {
        out.push_str(&format!("    const double {name} = {e};\n"));
    }
    if scalar {
        out.push_str(&format!("    return {};\n", p.results[0]));
    } else {
        for (k, e) in p.results.iter().enumerate() {
            out.push_str(&format!("    out[{k}] = {e};\n"));
        }
    }
    out.push_str("}\n");
    out
}

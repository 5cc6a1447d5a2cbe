//! Code export: a result as a self-contained function in Python, NumPy, C
//! or Rust, its shared subexpressions hoisted into locals.
//!
//! The expressions are rendered from the one printer
//! [layout](crate::print::layout), as infix and LaTeX are: signs, quotients
//! and parentheses are decided there, the languages differ only in numbers
//! (always floating: `3.0`, `1.0/3.0`), constants, powers and calls.
//! Where a language lacks one of deriv's functions (`sign`, `step`,
//! `relu`, `sigmoid`, `softplus`, NaN-propagating `min`/`max`, `erf` in
//! Rust and NumPy) a small helper is emitted with the function, following
//! deriv's conventions: `sign(0) = 0`, `step(0) = 0`, `relu(0) = 0`, NaN in,
//! NaN out.
//!
//! - **Python**: `def grad_f(x, y):` with `math`, returning a float, a
//!   list or a list of rows. Where deriv gives NaN or ±inf (outside the
//!   domain) `math` raises instead.
//! - **NumPy**: the same, elementwise on arrays (IEEE: NaN and ±inf, no
//!   exceptions), returning an array of shape `result shape + input shape`.
//! - **C**: `double f(double x)` for a scalar, else
//!   `void grad_f(double x, double y, double *out)` filling `out` row-major.
//! - **Rust**: `fn grad_f(x: f64, y: f64) -> [f64; 2]` (`f64` for a scalar,
//!   `[[f64; C]; R]` for a matrix); helpers are nested in the function.
//!
//! ```
//! use deriv::print::code::{Language, Shape, function};
//! let mut s = deriv::expr::Store::new();
//! let (x, y) = (s.var("x"), s.var("y"));
//! let f = s.mul(&[x, y]);
//! let g = s.call1(deriv::expr::Func::Sin, f);
//! let params = [s.sym("x"), s.sym("y")];
//! let code = function(&mut s, Language::C, "f", &params, &[g], Shape::Scalar);
//! assert!(code.contains("double f(double x, double y)"));
//! assert!(code.contains("return sin(x*y);"));
//! ```

mod c;
mod notation;
mod numpy;
mod python;
mod rust;

pub use notation::{Callee, STYLE};

use rustc_hash::{FxHashMap, FxHashSet};

use crate::cse::Program;
use crate::expr::{Constant, ExprId, Func, Node, Store, Sym};
use crate::print::layout::{Child, Token};
use notation::Code;

/// A target language.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Language {
    /// Python with the `math` module.
    Python,
    /// Python with NumPy, elementwise on arrays.
    Numpy,
    /// C99 with `<math.h>` (link with `-lm`).
    C,
    /// Rust.
    Rust,
}

/// The shape of a result.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Shape {
    /// One number.
    Scalar,
    /// A vector of this length.
    Vector(usize),
    /// A matrix: rows, columns (results listed row-major).
    Matrix(usize, usize),
}

impl Shape {
    /// How many numbers the result holds.
    pub fn len(self) -> usize {
        match self {
            Shape::Scalar => 1,
            Shape::Vector(n) => n,
            Shape::Matrix(r, c) => r * c,
        }
    }

    /// Whether the result holds no number.
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }
}

/// What a language's printer assembles: identifiers and rendered
/// expressions.
struct Parts {
    name: String,
    params: Vec<String>,
    locals: Vec<(String, String)>,
    results: Vec<String>,
    shape: Shape,
    funcs: FxHashSet<Func>,
    constants: Vec<Constant>,
}

impl Parts {
    /// Whether the code calls `f`.
    fn uses(&self, f: Func) -> bool {
        self.funcs.contains(&f)
    }

    /// The results, rows of `cols` (for a matrix).
    fn rows(&self) -> Vec<&[String]> {
        match self.shape {
            Shape::Matrix(_, cols) if cols > 0 => self.results.chunks(cols).collect(),
            Shape::Matrix(rows, _) => vec![&[][..]; rows],
            _ => vec![&self.results[..]],
        }
    }
}

/// `roots` (of length `shape.len()`, row-major) as a function `name` of
/// `params` in `lang`, shared subexpressions hoisted into locals. Free
/// variables of the roots missing from `params` become further parameters
/// after them, in natural order. The store gains the rewritten
/// expressions.
pub fn function(
    store: &mut Store,
    lang: Language,
    name: &str,
    params: &[Sym],
    roots: &[ExprId],
    shape: Shape,
) -> String {
    let program = crate::cse::common_subexpressions(store, roots);
    program_function(store, lang, name, params, &program, shape)
}

/// A straight-line program (its statements become locals, its results
/// the function's value) as a function, as [`function`] does.
pub fn program_function(
    store: &Store,
    lang: Language,
    name: &str,
    params: &[Sym],
    program: &Program,
    shape: Shape,
) -> String {
    let exprs: Vec<ExprId> = program
        .statements
        .iter()
        .map(|s| s.1)
        .chain(program.results.iter().copied())
        .collect();
    let locals: FxHashSet<Sym> = program.statements.iter().map(|s| s.0).collect();
    let mut all = params.to_vec();
    let mut extra: Vec<Sym> = store
        .free_vars(&exprs)
        .into_iter()
        .filter(|s| !locals.contains(s) && !params.contains(s))
        .collect();
    extra.sort_by(|a, b| store.cmp_names(*a, *b));
    all.extend(extra);
    let reserved = lang.reserved(name);
    let mut names = FxHashMap::default();
    let mut taken = FxHashSet::default();
    for &s in all.iter().chain(program.statements.iter().map(|s| &s.0)) {
        let mut id = store.name(s).to_string();
        while reserved.contains(&id.as_str()) || taken.contains(&id) {
            id.push('_');
        }
        taken.insert(id.clone());
        names.insert(s, id);
    }
    let code = Code {
        lang,
        names: &names,
    };
    let mut funcs = FxHashSet::default();
    for id in store.reachable(&exprs) {
        if let Node::Call(f, _) = store.node(id) {
            funcs.insert(*f);
        }
    }
    let parts = Parts {
        name: name.to_string(),
        params: all.iter().map(|s| names[s].clone()).collect(),
        locals: program
            .statements
            .iter()
            .map(|(s, e)| (names[s].clone(), code.expr(store, *e)))
            .collect(),
        results: program
            .results
            .iter()
            .map(|&r| code.expr(store, r))
            .collect(),
        shape,
        funcs,
        constants: notation::constants(store, &exprs),
    };
    lang.emit(&parts)
}

/// How a language calls a function: the text before the arguments, the
/// text after them, and whether more than two arguments nest as binary
/// calls (`fmin(a, fmin(b, c))`).
#[derive(Clone, Copy, Debug)]
struct Call {
    open: &'static str,
    close: &'static str,
    binary: bool,
}

impl Call {
    const fn new(open: &'static str) -> Call {
        Call {
            open,
            close: ")",
            binary: false,
        }
    }

    const fn binary(open: &'static str) -> Call {
        Call {
            open,
            close: ")",
            binary: true,
        }
    }
}

impl Language {
    fn constant(self, c: Constant) -> &'static str {
        match (self, c) {
            (Language::Python, Constant::Pi) => "math.pi",
            (Language::Python, Constant::E) => "math.e",
            (Language::Numpy, Constant::Pi) => "np.pi",
            (Language::Numpy, Constant::E) => "np.e",
            (Language::C, Constant::Pi) => "M_PI",
            (Language::C, Constant::E) => "M_E",
            (Language::Rust, Constant::Pi) => "std::f64::consts::PI",
            (Language::Rust, Constant::E) => "std::f64::consts::E",
        }
    }

    /// Infinity (`inf`) or NaN.
    fn special(self, inf: bool) -> &'static str {
        match (self, inf) {
            (Language::Python, true) => "math.inf",
            (Language::Python, false) => "math.nan",
            (Language::Numpy, true) => "np.inf",
            (Language::Numpy, false) => "np.nan",
            (Language::C, true) => "INFINITY",
            (Language::C, false) => "NAN",
            (Language::Rust, true) => "f64::INFINITY",
            (Language::Rust, false) => "f64::NAN",
        }
    }

    /// `base^exp`; `int` is the exponent when it is a small integer.
    fn power<'a>(self, base: Child, exp: Child, int: Option<i64>, out: &mut Vec<Token<'a>>) {
        let spec = match (self, int) {
            (Language::Python | Language::Numpy, Some(n)) => {
                out.extend([Token::Child(base), Token::Text(format!("**{n}"))]);
                return;
            }
            (Language::Rust, Some(n)) => {
                out.extend([
                    Token::Str("f64::powi("),
                    Token::Child(Child::plain(base.sub)),
                    Token::Text(format!(", {n})")),
                ]);
                return;
            }
            (Language::Python, None) => Call::new("math.pow("),
            (Language::Numpy, None) => Call::new("np.power("),
            (Language::C, _) => Call::new("pow("),
            (Language::Rust, None) => Call::new("f64::powf("),
        };
        call(spec, vec![base, exp], out);
    }

    /// A function applied to its arguments.
    fn call<'a>(self, f: Callee, args: Vec<Child>, out: &mut Vec<Token<'a>>) {
        let spec = match self {
            Language::Python => python::call(f),
            Language::Numpy => numpy::call(f),
            Language::C => c::call(f),
            Language::Rust => rust::call(f),
        };
        call(spec, args, out);
    }

    /// Identifiers a variable must not take: keywords and the names the
    /// code uses.
    fn reserved(self, name: &str) -> Vec<&str> {
        let mut r: Vec<&str> = match self {
            Language::Python => python::RESERVED.to_vec(),
            Language::Numpy => [python::RESERVED, numpy::RESERVED].concat(),
            Language::C => c::RESERVED.to_vec(),
            Language::Rust => rust::RESERVED.to_vec(),
        };
        r.push(name);
        r
    }

    fn emit(self, p: &Parts) -> String {
        match self {
            Language::Python => python::emit(p),
            Language::Numpy => numpy::emit(p),
            Language::C => c::emit(p),
            Language::Rust => rust::emit(p),
        }
    }
}

/// A call's tokens; arguments need no parentheses of their own.
fn call<'a>(spec: Call, args: Vec<Child>, out: &mut Vec<Token<'a>>) {
    let args: Vec<Child> = args.into_iter().map(|c| Child::plain(c.sub)).collect();
    let n = args.len();
    if spec.binary && n > 2 {
        for (i, a) in args.into_iter().enumerate() {
            if i + 1 < n {
                out.extend([Token::Str(spec.open), Token::Child(a), Token::Str(", ")]);
            } else {
                out.push(Token::Child(a));
            }
        }
        out.extend((1..n).map(|_| Token::Str(spec.close)));
    } else {
        out.push(Token::Str(spec.open));
        crate::print::layout::join(args, ", ", out);
        out.push(Token::Str(spec.close));
    }
}

/// Appends the helper texts whose function the code uses, in order.
fn helpers(p: &Parts, table: &[(Func, &str)], out: &mut String) {
    let mut done: Vec<&str> = Vec::new();
    for (f, text) in table {
        if p.uses(*f) && !done.contains(text) {
            out.push_str(text);
            done.push(text);
        }
    }
}

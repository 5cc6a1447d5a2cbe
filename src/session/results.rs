//! What the front door's commands return: plain data holding [`Expr`]
//! handles, numbers and [`Warning`]s; `Display` gives the text form.

use std::fmt;

use crate::numeric::float_text;
use crate::point::Point;
use crate::session::Expr;
use crate::warning::Warning;

/// How derivative values at a point are computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Derivative expressions, evaluated (with exact folding at exact points).
    Symbolic,
    /// Forward-mode automatic differentiation on the tape.
    Forward,
    /// Reverse-mode automatic differentiation on the tape (Hessians:
    /// forward-over-reverse).
    Reverse,
}

impl Mode {
    /// `symbolic`, `forward` or `reverse`.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Symbolic => "symbolic",
            Mode::Forward => "forward",
            Mode::Reverse => "reverse",
        }
    }
}

/// A gradient: one partial derivative per variable.
#[derive(Clone, Debug, PartialEq)]
pub struct Gradient {
    /// The variables, in order.
    pub vars: Vec<String>,
    /// `df/dvar` for each variable.
    pub entries: Vec<Expr>,
}

/// `df/dx = ...`, one line per variable.
impl fmt::Display for Gradient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines: Vec<String> = self
            .vars
            .iter()
            .zip(&self.entries)
            .map(|(v, e)| format!("df/d{v} = {e}"))
            .collect();
        f.write_str(&lines.join("\n"))
    }
}

/// A Hessian or a Jacobian: rows of expressions, one column per variable.
#[derive(Clone, Debug, PartialEq)]
pub struct Matrix {
    /// The variables (columns), in order.
    pub vars: Vec<String>,
    /// The entries, row by row.
    pub rows: Vec<Vec<Expr>>,
}

/// `[a, b]`, one line per row.
impl fmt::Display for Matrix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines: Vec<String> = self
            .rows
            .iter()
            .map(|row| {
                let cells: Vec<String> = row.iter().map(Expr::to_string).collect();
                format!("[{}]", cells.join(", "))
            })
            .collect();
        f.write_str(&lines.join("\n"))
    }
}

/// The canonical, simplified form of a function.
#[derive(Clone, Debug, PartialEq)]
pub struct Simplified {
    /// One expression, or one per component of a vector.
    pub exprs: Vec<Expr>,
    /// The function is a vector.
    pub vector: bool,
}

impl fmt::Display for Simplified {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cells: Vec<String> = self.exprs.iter().map(Expr::to_string).collect();
        if self.vector {
            write!(f, "[{}]", cells.join(", "))
        } else {
            f.write_str(&cells.join(", "))
        }
    }
}

/// Values at a point.
#[derive(Clone, Debug, PartialEq)]
pub struct Evaluation {
    /// One value, or one per component of a vector.
    pub values: Vec<f64>,
    /// The function is a vector.
    pub vector: bool,
    /// Values outside the domain, with the subexpressions responsible.
    pub warnings: Vec<Warning>,
}

impl fmt::Display for Evaluation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cells: Vec<String> = self.values.iter().map(|v| float_text(*v)).collect();
        if self.vector {
            write!(f, "[{}]", cells.join(", "))
        } else {
            f.write_str(&cells.join(", "))
        }
    }
}

/// A Taylor polynomial `Σ c · Π (x_i − a_i)^k_i`, by increasing degree.
#[derive(Clone, Debug, PartialEq)]
pub struct Polynomial {
    /// The total degree asked for.
    pub order: u32,
    /// The expansion point.
    pub point: Point,
    /// The terms: a coefficient and the powers of the displacements
    /// `x_i - a_i` (only those with a positive exponent).
    pub terms: Vec<(Expr, Vec<(Expr, u32)>)>,
    /// The same polynomial as printed: the terms above, or, where the
    /// function is a polynomial that they would only restate, its terms
    /// in powers of the variables themselves (`x` rather than
    /// `1/2 + (x - 1/2)`); the terms of one degree that share a constant
    /// coefficient are one term, over a sum of the displacements or a
    /// power of one linear form of them (`cos(3)*(x + y - 3)`).
    pub shown: Vec<(Expr, Vec<(Expr, u32)>)>,
    /// The polynomial in deriv's syntax, monomials kept factored (LaTeX:
    /// [`crate::Session::polynomial_latex`]).
    pub text: String,
    /// Subexpressions with no real value at the point (coefficients that
    /// depend on them are undefined), and kinks at the point.
    pub warnings: Vec<Warning>,
}

impl fmt::Display for Polynomial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// `--check`: how far the modes, and finite differences, are apart.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Checked {
    /// Largest relative discrepancy between symbolic, forward and reverse.
    pub modes: f64,
    /// Largest relative discrepancy between symbolic and central finite differences.
    pub finite_difference: f64,
    /// The point is a kink (finite differences straddle two slopes there
    /// and are not compared).
    pub at_kink: bool,
}

impl Checked {
    /// Tolerance between the exact modes.
    pub const MODES_TOL: f64 = 1e-9;
    /// Tolerance against finite differences.
    pub const FD_TOL: f64 = 1e-4;

    /// The modes agree (and, away from a kink, so do finite differences).
    pub fn agree(&self) -> bool {
        self.modes <= Self::MODES_TOL && (self.at_kink || self.finite_difference <= Self::FD_TOL)
    }
}

/// The computational graph at a point: intermediate variables, local
/// partials, and the reverse and forward sweeps (the lecture notes' view).
#[derive(Clone, Debug)]
pub struct TraceReport {
    /// The graph.
    pub trace: crate::trace::Trace,
    /// Values, partials, adjoints and tangents at the point.
    pub sweeps: crate::trace::Sweeps,
    /// The point.
    pub point: Point,
    /// A value outside the domain.
    pub warnings: Vec<Warning>,
}

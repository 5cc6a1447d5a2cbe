//! The one value every command produces: what it computed, as data. The
//! renderers (`render`) turn it into JSON, text or LaTeX; none of the
//! commands formats its own output.

use deriv::cse::Program;
use deriv::expr::{ExprId, Sym};
use deriv::{Checked, Mode, Point, Polynomial, Stats, TraceReport};

use super::input::Input;

/// A finished command: the session its results live in, and the report.
pub struct Done {
    /// The session and the parsed input.
    pub input: Input,
    /// The result.
    pub report: Report,
}

impl Done {
    /// A result already written (`--points`).
    pub fn streamed(input: Input, command: &'static str) -> Done {
        let mut report = Report::new(command, "", Vec::new());
        report.streamed = true;
        Done { input, report }
    }
}

/// Which derivative object a block holds.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    /// The gradient of a scalar.
    Grad,
    /// The Hessian of a scalar.
    Hessian,
    /// The Jacobian of a vector (or of a scalar: one row).
    Jacobian,
}

impl Kind {
    /// The command's name.
    pub fn command(self) -> &'static str {
        match self {
            Kind::Grad => "grad",
            Kind::Hessian => "hessian",
            Kind::Jacobian => "jacobian",
        }
    }

    /// The JSON key of the expressions.
    pub fn key(self) -> &'static str {
        match self {
            Kind::Grad => "gradient",
            Kind::Hessian => "hessian",
            Kind::Jacobian => "jacobian",
        }
    }

    /// The symbol in LaTeX.
    pub fn head(self) -> &'static str {
        match self {
            Kind::Grad => "\\nabla f",
            Kind::Hessian => "H",
            Kind::Jacobian => "J",
        }
    }
}

/// The shape of a result's values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// One value.
    Scalar,
    /// A list (a vector's components, a gradient).
    Vector,
    /// Rows (a Hessian, a Jacobian).
    Matrix,
}

/// One part of a result.
pub enum Block {
    /// `eval`: the values.
    Value {
        /// One per component.
        values: Vec<f64>,
        /// The input is a vector.
        vector: bool,
        /// The point, if one was given.
        point: Option<Point>,
    },
    /// `simplify`: the simplified expressions.
    Simplified {
        /// One per component.
        exprs: Vec<ExprId>,
        /// The input is a vector.
        vector: bool,
    },
    /// `diff`: the derivative (and with `--cse` its program, printed as text).
    Derivative {
        /// The variables, one per differentiation.
        wrt: Vec<Sym>,
        /// An order too high to list `wrt` that many times: `wrt` holds
        /// the one variable.
        order: Option<u32>,
        /// The derivative.
        expr: ExprId,
        /// `--cse`.
        program: Option<Program>,
    },
    /// `diff --at`: the derivative's value.
    DerivativeAt {
        /// The value.
        value: f64,
        /// The point.
        point: Point,
    },
    /// `grad`, `hessian`, `jacobian`: the expressions.
    Matrix {
        /// Which object.
        kind: Kind,
        /// Rows of entries (one row for a gradient).
        rows: Vec<Vec<ExprId>>,
    },
    /// `--cse`: the derivatives as a straight-line program, its results
    /// in the shape of `rows` (the derivative expressions, for JSON).
    Program {
        /// Which object.
        kind: Kind,
        /// The program.
        program: Program,
        /// The derivative expressions, rows of entries.
        rows: Vec<Vec<ExprId>>,
    },
    /// `--mode forward|reverse`: no expressions were computed.
    Mode(Kind, Mode),
    /// Derivative values at a point.
    Values {
        /// Which object.
        kind: Kind,
        /// Rows of values (one row for a gradient).
        rows: Vec<Vec<f64>>,
        /// The point.
        point: Point,
    },
    /// `--exact`: the exact values at an exact point, in the shape of the
    /// values (`None`: no exact value). `cells` is `None` where the point
    /// or the expression holds a float.
    Exact {
        /// Scalar, vector or matrix.
        shape: Shape,
        /// Rows of entries.
        cells: Option<Vec<Vec<Option<ExprId>>>>,
    },
    /// `--check`.
    Check(Checked),
    /// `taylor`, `linearize`.
    Taylor(Polynomial),
    /// `taylor`, `linearize` of a vector: one polynomial per component.
    Taylors(Vec<Polynomial>),
    /// `stats`.
    Stats(Stats),
    /// `trace`.
    Trace(TraceReport),
}

/// A command's result.
pub struct Report {
    /// The command's name.
    pub command: &'static str,
    /// The input as given.
    pub input: String,
    /// The variables used.
    pub vars: Vec<Sym>,
    /// What was computed, in output order.
    pub blocks: Vec<Block>,
    /// Whether the result reports a failed check (exit 1 with output).
    pub failed: bool,
    /// The result was written as it was computed (`--points`).
    pub streamed: bool,
}

impl Report {
    /// A result with no blocks yet.
    pub fn new(command: &'static str, input: &str, vars: Vec<Sym>) -> Report {
        Report {
            command,
            input: input.to_string(),
            vars,
            blocks: Vec::new(),
            failed: false,
            streamed: false,
        }
    }

    /// Adds a block.
    pub fn push(&mut self, b: Block) {
        self.blocks.push(b);
    }

    /// Adds the blocks given (none, or an optional one).
    pub fn extend(&mut self, bs: impl IntoIterator<Item = Block>) {
        self.blocks.extend(bs);
    }
}

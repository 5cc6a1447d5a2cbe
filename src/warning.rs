//! Warnings as data: what the library noticed about a result without
//! failing (values outside the domain, kinks, undefined Taylor
//! coefficients). The library never prints them; `Display` words them the
//! way the command line shows them.

use std::fmt;

use crate::numeric::float_text;
use crate::point::Point;
use crate::session::Expr;

/// Which convention a derivative at a kink follows (SPEC).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KinkRule {
    /// `abs'(0) = sign(0) = 0`.
    Sign,
    /// `relu'(0) = step(0) = 0`.
    Step,
    /// `min`/`max` at a tie: the derivative splits equally.
    EqualSplit,
    /// `sign`, `step`: the derivative is 0.
    Zero,
}

/// Something a result carries with it.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Warning {
    /// A subexpression has no real value at the point (NaN), or is
    /// infinite (a pole, or beyond the float range).
    Domain {
        /// The subexpression.
        expr: Expr,
        /// Its value there.
        value: f64,
        /// The point (empty for a constant expression).
        point: Point,
    },
    /// More subexpressions are outside the domain than were named.
    MoreDomain {
        /// How many more.
        count: usize,
    },
    /// A non-smooth function evaluated exactly at its kink.
    Kink {
        /// The subexpression (`abs(x)`, `max(x, y)`, ...).
        expr: Expr,
        /// The convention used.
        rule: KinkRule,
        /// The point.
        point: Point,
    },
    /// A Taylor coefficient depends on a subexpression with no real value
    /// at the expansion point.
    Undefined {
        /// The subexpression.
        expr: Expr,
        /// The expansion point.
        point: Point,
    },
    /// A derivative computed numerically (`--mode forward|reverse`) is NaN
    /// or infinite.
    NonFinite {
        /// The entry, as `df/dx`, `d2f/dxdy` or `df2/dx`.
        name: String,
        /// Its value.
        value: f64,
        /// The point.
        point: Point,
    },
    /// More derivatives are not finite than were named.
    MoreNonFinite {
        /// How many more.
        count: usize,
    },
    /// Over many points (`--points`): a subexpression outside the domain
    /// at some of them.
    Rows {
        /// The subexpression.
        expr: Expr,
        /// At how many points.
        rows: usize,
        /// The first of them, counted from 0.
        first_row: usize,
    },
    /// A value at an exact point that exact evaluation could not round
    /// with certainty within its precision bound: it may not be correctly
    /// rounded.
    Inexact {
        /// The expression.
        expr: Expr,
        /// The value given (the float evaluation).
        value: f64,
        /// The precision tried, in bits.
        bits: usize,
        /// The point (empty for a constant expression).
        point: Point,
    },
    /// A float literal that is not 0 as written but is below the float
    /// range: read as 0 (`1e-400`), or as a subnormal float with fewer than
    /// 53 significant bits (`1e-310`).
    Underflow {
        /// The literal as written.
        literal: String,
        /// The float it is read as.
        value: f64,
    },
    /// A part of the expression as written that cancels out of its
    /// canonical form (`0*log(x)`, `log(x) - log(x)`) has no finite value
    /// at the point: the value given is the canonical form's.
    Cancelled {
        /// The part.
        expr: Expr,
        /// Its value at the point.
        value: f64,
        /// The point.
        point: Point,
    },
    /// The function has no finite value at the point, so its derivatives
    /// do not exist there: their values are given as NaN (a rewritten
    /// derivative may have a value where the function has none, such as
    /// `cos(a)` for `(1/sin(a))^(-1)` at `a = 0`).
    NoDerivative {
        /// The function (a component, for a Jacobian row).
        expr: Expr,
        /// The part of it that is not finite there (the function itself,
        /// or a part such as `1/sin(a)`).
        part: Expr,
        /// The part's value there.
        value: f64,
        /// The point.
        point: Point,
    },
    /// Over many points (`--points`): the function has no finite value at
    /// some of them, where its derivatives are given as NaN.
    NoDerivativeRows {
        /// At how many points.
        rows: usize,
        /// The first of them, counted from 0.
        first_row: usize,
    },
    /// A value of the computational graph is outside the domain.
    TraceDomain {
        /// The point.
        point: Point,
    },
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::Domain { expr, value, point } => domain(f, expr, *value, point),
            Warning::MoreDomain { count: 1 } => {
                f.write_str("1 more subexpression is outside the domain")
            }
            Warning::MoreDomain { count } => {
                write!(f, "{count} more subexpressions are outside the domain")
            }
            Warning::Kink { expr, rule, point } => {
                let rule = match rule {
                    KinkRule::Sign => "abs'(0) = sign(0) = 0",
                    KinkRule::Step => "relu'(0) = step(0) = 0",
                    KinkRule::EqualSplit => {
                        "an equal split of the derivative between the tied arguments"
                    }
                    KinkRule::Zero => "the derivative is 0",
                };
                write!(f, "{} has a kink at {point}; using {rule}", expr.named())
            }
            Warning::Undefined { expr, point } => write!(
                f,
                "{} has no real value at {point} (a pole, or outside the domain): \
                 the coefficients that depend on it are undefined",
                expr.named()
            ),
            Warning::NonFinite { name, value, point } => write!(
                f,
                "`{name}` is {} at {point}: the derivative is outside the domain or beyond the float range",
                float_text(*value)
            ),
            Warning::MoreNonFinite { count: 1 } => f.write_str("1 more derivative is not finite"),
            Warning::MoreNonFinite { count } => {
                write!(f, "{count} more derivatives are not finite")
            }
            Warning::Rows {
                expr,
                rows,
                first_row,
            } => write!(
                f,
                "{} is outside the domain or beyond the float range at {rows} point{} \
                 (the first is data row {})",
                expr.named(),
                if *rows == 1 { "" } else { "s" },
                first_row + 1
            ),
            Warning::Inexact {
                expr,
                value,
                bits,
                point,
            } => {
                let at = if point.is_empty() {
                    String::new()
                } else {
                    format!(" at {point}")
                };
                write!(
                    f,
                    "`{}` is {}{at}, which may not be correctly rounded: \
                     exact evaluation to {bits} bits did not settle it",
                    expr.short(),
                    float_text(*value)
                )
            }
            Warning::Underflow { literal, value } if *value == 0.0 => write!(
                f,
                "`{literal}` is below the float range and is read as 0; \
                 an exact value such as 10^-400 keeps it"
            ),
            Warning::Underflow { literal, value } => write!(
                f,
                "`{literal}` is below the normal float range and is read as {}, \
                 with fewer than 53 significant bits",
                float_text(*value)
            ),
            Warning::Cancelled { expr, value, point } => {
                let at = if point.is_empty() {
                    String::new()
                } else {
                    format!(" at {point}")
                };
                write!(
                    f,
                    "{} is {}{at}, but cancels out of the expression as written \
                     (`0*u` or `u - u`): the value given is that of the canonical form, \
                     where it does not occur",
                    expr.named(),
                    float_text(*value)
                )
            }
            Warning::NoDerivative {
                expr,
                part,
                value,
                point,
            } => {
                let why = if part == expr {
                    format!("is {}", float_text(*value))
                } else {
                    format!("is undefined ({} is {})", part.named(), float_text(*value))
                };
                write!(
                    f,
                    "{} {why} at {point}: it has no derivative there, so the derivative is given as NaN",
                    expr.named()
                )
            }
            Warning::NoDerivativeRows { rows, first_row } => write!(
                f,
                "the function is undefined at {rows} point{} (the first is data row {}): \
                 it has no derivative there, so the derivatives are given as NaN",
                if *rows == 1 { "" } else { "s" },
                first_row + 1
            ),
            Warning::TraceDomain { point } => {
                write!(f, "a value is outside the domain at {point}")
            }
        }
    }
}

fn domain(f: &mut fmt::Formatter<'_>, expr: &Expr, value: f64, point: &Point) -> fmt::Result {
    let at = if point.is_empty() {
        String::new()
    } else {
        format!(" at {point}")
    };
    let why = if value.is_nan() {
        "the value is outside the domain"
    } else {
        "the value is outside the domain or beyond the float range"
    };
    write!(f, "{} is {}{at}: {why}", expr.named(), float_text(value))
}

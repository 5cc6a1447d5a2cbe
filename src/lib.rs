//! deriv: symbolic differentiation as a library.
//!
//! The front door is [`Session`]: it parses expressions and programs into
//! [`Function`] handles and computes gradients, Hessians, Jacobians,
//! partial derivatives of any order, Taylor polynomials, linearizations,
//! values at a point (exact where the input is exact) and the
//! computational graph. Results print through `Display` in deriv's own
//! syntax, which parses back.
//!
//! The lecture notes' worked example, `f(x) = sqrt(x² + exp(x²)) + cos(x² + exp(x²))`:
//!
//! ```
//! let mut s = deriv::Session::new();
//! let f = s.parse("sqrt(x^2+exp(x^2)) + cos(x^2+exp(x^2))")?;
//! let g = s.gradient(&f)?;
//! assert_eq!(
//!     g.to_string(),
//!     "df/dx = (x + x*exp(x^2))*(1/sqrt(x^2 + exp(x^2)) - 2*sin(x^2 + exp(x^2)))"
//! );
//! // its value at x = 1/2, the notes' point
//! let p = s.point("x=1/2")?;
//! let v = s.eval_exprs(&g.entries, &p);
//! assert!((v.values[0] + 1.3604310785982792).abs() < 1e-15);
//! # Ok::<(), deriv::Error>(())
//! ```
//!
//! MML Example 5.15: the Taylor polynomial of order 3 of
//! `x² + 2xy + y³` at (1, 2) is the function itself, expanded at the point:
//!
//! ```
//! let mut s = deriv::Session::new();
//! let f = s.parse("x^2 + 2*x*y + y^3")?;
//! let p = s.point("x=1,y=2")?;
//! let t = s.taylor(&f, &p, 3, false)?;
//! assert_eq!(
//!     t.to_string(),
//!     "13 + 6*(x - 1) + 14*(y - 2) + (x - 1)^2 + 2*(x - 1)*(y - 2) + 6*(y - 2)^2 + (y - 2)^3"
//! );
//! # Ok::<(), deriv::Error>(())
//! ```
//!
//! Underneath, one module per stage of the pipeline: [`parse`] (text →
//! expression graph), [`expr`] (the hash-consed graph and its canonical
//! constructors), [`simplify`], [`diff`] (symbolic derivatives), [`eval`]
//! (numeric values on a compiled tape), [`ad`] (automatic
//! differentiation), [`series`] (Taylor polynomials), [`trace`] and [`cse`]
//! (the computational graph and straight-line programs), [`print`](mod@print) (output
//! formats); [`numeric`] holds the numeric policy at a point (exact
//! folding, kinks, checks). The `deriv` binary is a client of this front
//! door (feature `cli`, on by default; `default-features = false` builds
//! the library without clap).
// No unsafe code but one call: the batch kernel's AVX2 variant, entered
// after `is_x86_feature_detected!("avx2")` (src/eval/batch/kernel.rs).
#![deny(unsafe_code)]
#![warn(missing_docs)]

/// In debug builds, that a shortcut built what the constructors build:
/// `got == want`, unless the store has overflowed (every constructor then
/// gives a placeholder, and the result is discarded with an error).
macro_rules! debug_same {
    ($store:expr, $got:expr, $want:expr $(, $($arg:tt)+)?) => {
        if cfg!(debug_assertions) {
            let want = $want;
            if $store.overflowed().is_none() {
                assert_eq!($got, want $(, $($arg)+)?);
            }
        }
    };
}

pub mod ad;
pub mod cse;
pub mod diff;
mod error;
pub mod eval;
pub mod expr;
pub mod numeric;
pub mod parse;
pub mod point;
pub mod poly;
pub mod print;
pub mod series;
mod session;
pub mod simplify;
pub mod trace;
mod warning;

pub use error::{Error, Limit};
pub use point::{Coord, Point};
pub use session::{
    Checked, Evaluation, Expr, Function, Gradient, Limits, Matrix, Mode, Polynomial, Session,
    Simplified, Stats, TraceReport,
};
pub use warning::{KinkRule, Warning};

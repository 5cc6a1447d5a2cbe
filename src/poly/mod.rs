//! Polynomial and rational normal forms over atoms.
//!
//! Each maximal non-polynomial subterm of an expression — a call
//! (`tanh(u)`, `sigmoid(3/8)`, `log(2)`), a constant (`pi`), a variable, a
//! power with a symbolic exponent (`x^y`) — is an *atom*; a power with a
//! rational exponent `p/q` is the atom `b^(1/q)` to the power `p`
//! (`x^(3/2)` is `sqrt(x)^3`). Over its atoms an exact expression is a
//! ratio of two sparse multivariate polynomials with rational coefficients
//! ([`Rat`] of [`Poly`]); [`Normal`] converts expressions to that form,
//! cancels common factors by polynomial [`gcd`] (exact for univariate
//! polynomials and monomial or numeric content; see [`gcd`] for the
//! multivariate cases), and converts back through the store's canonical
//! constructors, as an expanded or a factored expression.
//!
//! Why not a crate: the maintained candidates (`zippel-gcd` for sparse
//! gcd over the rationals) bring their own polynomial and ring types, a
//! parallel runtime, and gcd loops without a work budget; deriv needs
//! conversion to and from its store, a hard budget on every operation and
//! no panics, so this module is small and self-contained.
//!
//! Guarantees: every operation is charged to a [`Budget`]; over budget,
//! a float in the input, a division by a zero polynomial, all give `None`
//! (the callers then keep the input unchanged). Nothing here panics on
//! user input.
//!
//! Cancelling a common factor changes the domain where that factor is
//! zero: `(x^2 - 1)/(x - 1)` becomes `x + 1`, now defined at `x = 1`.
//! The result agrees with the input wherever the input is defined.
//!
//! ```
//! use deriv::{expr::Store, parse::{parse_expr, ParseOptions}, poly::Normal, print::infix};
//! let mut s = Store::new();
//! let e = parse_expr(&mut s, "(x^2 - 1)/(x - 1)", &ParseOptions::default()).unwrap();
//! let mut n = Normal::new();
//! let r = n.normalize(&mut s, e);
//! assert_eq!(infix(&s, r), "x + 1");
//! ```

mod content;
mod convert;
mod count;
mod gcd;
mod mono;
mod rat;
mod sparse;

pub use convert::Normal;
pub(crate) use convert::perfect_power;
pub use count::count_ops;
pub use gcd::{from_rational_terms, gcd};
pub use rat::Rat;
pub use sparse::{Budget, Mono, OverBudget, Poly, mono_div, mono_mul};

#[cfg(test)]
mod tests;

//! deriv: symbolic differentiation as a library.
//!
//! The pipeline, one module per stage: [`parse`] (text → expression graph),
//! [`expr`] (the hash-consed graph and its canonical constructors),
//! [`diff`] (symbolic derivatives), [`eval`] (numeric values), [`series`]
//! (Taylor polynomials), [`print`] (output formats) and [`cli`] (the
//! command line on top).
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod ad;
#[cfg(feature = "cli")]
pub mod cli;
pub mod cse;
pub mod diff;
pub mod eval;
pub mod expr;
pub mod parse;
pub mod print;
pub mod series;
pub mod simplify;
pub mod trace;

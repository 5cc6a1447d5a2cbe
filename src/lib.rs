//! deriv: symbolic differentiation as a library.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod expr;
pub mod series;

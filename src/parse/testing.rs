//! Parsing helpers for the unit tests of every module (one place).

use crate::expr::{ExprId, Store};
use crate::parse::{Output, ParseOptions, parse_expr, parse_program};

/// A scalar expression (no statements), with the default options; panics
/// with the rendered error.
pub fn expr(store: &mut Store, src: &str) -> ExprId {
    parse_expr(store, src, &ParseOptions::default()).unwrap_or_else(|e| panic!("{}", e.render(src)))
}

/// The output of a program, with the default options.
pub fn output(store: &mut Store, src: &str) -> Output {
    parse_program(store, src, &ParseOptions::default())
        .unwrap_or_else(|e| panic!("{}", e.render(src)))
        .output
}

/// The output of a program that ends in a scalar.
pub fn scalar(store: &mut Store, src: &str) -> ExprId {
    match output(store, src) {
        Output::Scalar(f) => f,
        Output::Vector(_) => panic!("scalar expected: {src}"),
    }
}

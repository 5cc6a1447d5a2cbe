//! The printers before the layout core, kept only to compare outputs.
#![allow(dead_code, missing_docs, clippy::all)]
mod compare;
pub mod infix;
pub mod latex;
pub mod poly;

//! Printers: expressions back to text, the last stage of the pipeline.

pub mod sexpr;

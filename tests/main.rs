//! The integration test binary: one module per area.

mod grammar;
mod diff;

//! The integration test binary: one module per area.

mod diff;
mod grammar;
mod modes;
mod series;

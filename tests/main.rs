//! The integration test binary: one module per area.

mod diff;
mod grammar;
mod regressions;
mod series;

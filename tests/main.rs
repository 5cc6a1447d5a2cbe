//! The integration test binary: one module per area.

mod diff;
mod grammar;
mod hostile;
mod regressions;
mod series;

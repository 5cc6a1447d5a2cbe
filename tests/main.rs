//! The integration test binary: one module per area.

mod diff;
mod grammar;
mod props;
mod series;

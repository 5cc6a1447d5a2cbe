//! The integration test binary: one module per area.

mod cse;
mod diff;
mod grammar;
mod modes;
mod series;
mod trace;

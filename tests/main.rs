//! The integration test binary: one module per area.

mod algebra;
mod cli;
mod codegen;
mod functions;
mod grammar;
mod hostile;
mod json_shape;
mod library;
mod modes;
mod newcomer;
mod points;
mod precise;
mod precision;
mod props;
mod regressions;
mod series_limits;
mod series_singular;
mod taylor_forms;
mod trace;

/// insta settings for every snapshot of this binary: files go to the
/// top-level `snapshots/` folder (resolved against `tests/`), named with the
/// module path. Use as `let _g = settings().bind_to_scope();`.
pub fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("../snapshots");
    s.set_prepend_module_to_snapshot(true);
    s
}

//! `deriv trace`: the computational graph, its local partials and both
//! sweeps at a point.

use super::args::TraceArgs;
use super::clock::{Ctx, Phase};
use super::error::CliError;
use super::input::Input;
use super::report::{Block, Done, Report};

pub fn run(a: &TraceArgs, ctx: &mut Ctx) -> Result<Done, CliError> {
    let mut i = Input::load(&a.common, ctx)?;
    let f = i.f.clone();
    i.s.scalar(&f, "trace").map_err(|e| i.err(e))?;
    let needed = i.s.needed(&f.roots());
    let point = i.point(&a.at, &needed, &[])?;
    let t = ctx
        .clock
        .time(Phase::Compute, || i.s.trace(&f, &point))
        .map_err(|e| i.err(e))?;
    ctx.warnings.extend(t.warnings.iter().cloned());
    let vars = i.s.variables(&f);
    let mut report = Report::new("trace", f.source(), vars);
    report.push(Block::Trace(t));
    Ok(Done { input: i, report })
}

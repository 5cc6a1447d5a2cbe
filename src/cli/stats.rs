//! `deriv stats`: operation counts of f, its gradient written out, and its
//! reverse-sweep gradient program.

use super::args::StatsArgs;
use super::clock::{Ctx, Phase};
use super::error::CliError;
use super::input::Input;
use super::report::{Block, Done, Report};

pub fn run(a: &StatsArgs, ctx: &mut Ctx) -> Result<Done, CliError> {
    let mut i = Input::load(&a.common, ctx)?;
    let f = i.f.clone();
    i.s.scalar(&f, "stats").map_err(|e| i.err(e))?;
    let vars = i.vars(a.vars.as_deref())?;
    let stats = ctx
        .clock
        .time(Phase::Compute, || i.s.stats(&f, &vars))
        .map_err(|e| i.err(e))?;
    let mut report = Report::new("stats", f.source(), vars);
    report.push(Block::Stats(stats));
    Ok(Done { input: i, report })
}

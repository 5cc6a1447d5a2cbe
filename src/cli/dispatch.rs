//! From the parsed command line to the command that runs it.

use super::args::{Cli, Command};
use super::clock::Ctx;
use super::error::CliError;
use super::report::{Done, Kind};
use super::{derivs, diff, eval, simplify, stats, taylor, trace};

pub fn execute(cli: &Cli, ctx: &mut Ctx) -> Result<Done, CliError> {
    super::render::code::refuse(&cli.command)?;
    match &cli.command {
        Command::Eval(a) => eval::run(a, ctx),
        Command::Simplify(a) => simplify::run(a, ctx),
        Command::Diff(a) => diff::run(a, ctx),
        Command::Grad(a) => derivs::run(Kind::Grad, a, ctx),
        Command::Hessian(a) => derivs::run(Kind::Hessian, a, ctx),
        Command::Jacobian(a) => derivs::run(Kind::Jacobian, a, ctx),
        Command::Taylor(a) => taylor::run(
            &a.common,
            ("taylor", &a.at, a.order, a.numeric),
            (a.vars.as_deref(), Some(a.max_terms), &a.batch),
            ctx,
        ),
        Command::Linearize(a) => {
            let more = (a.vars.as_deref(), None, &a.batch);
            taylor::run(&a.common, ("linearize", &a.at, 1, a.numeric), more, ctx)
        }
        Command::Stats(a) => stats::run(a, ctx),
        Command::Trace(a) => trace::run(a, ctx),
        Command::Completions(_) | Command::Man | Command::Help(_) => {
            Err(CliError::plain("not a computation"))
        }
    }
}

//! `deriv taylor` and `deriv linearize`.

use super::args::Common;
use super::clock::{Ctx, Phase};
use super::error::CliError;
use super::input::Input;
use super::points::{self, Shape, Target};
use super::report::{Block, Done, Report};

/// `(command, point, order, numeric)`.
type Ask<'a> = (&'static str, &'a str, u32, bool);

pub fn run(
    c: &Common,
    (command, at, order, numeric): Ask<'_>,
    (vars, max_terms, batch): (Option<&str>, Option<usize>, &super::args::Batch),
    ctx: &mut Ctx,
) -> Result<Done, CliError> {
    let mut limits = c.limits();
    if let Some(t) = max_terms {
        limits.max_terms = t;
    }
    let mut i = Input::load_with(c, limits, ctx)?;
    let f = i.f.clone();
    // --vars: expand in those only; the point gives them, the other
    // variables stay symbolic parameters
    let needed = match vars {
        Some(list) => i.vars(Some(list))?,
        None => i.s.needed(&f.roots()),
    };
    let point = i.point(at, &needed, &[])?;
    let wanted: rustc_hash::FxHashSet<_> = needed.iter().copied().collect();
    if let Some(c) = point.coords().iter().find(|c| !wanted.contains(&c.sym))
        && vars.is_some()
    {
        return Err(CliError::plain(format!(
            "`{}` is given in --at but is not in --vars: it would be a second \
             expansion variable; drop it from --at, or add it to --vars",
            c.name
        )));
    }
    ctx.warnings.extend(i.s.cancelled(&f, &point));
    let numeric = numeric || !point.is_exact();
    let mut polys = ctx
        .clock
        .time(Phase::Compute, || {
            i.s.taylor_each(&f, &point, order, numeric)
        })
        .map_err(|e| {
            let limit = e.limit();
            let e = i.err(e);
            match limit {
                Some((deriv::Limit::Output, _)) if !numeric => {
                    e.hint("--numeric gives float coefficients")
                }
                _ => e,
            }
        })?;
    if batch.points.is_some() {
        let roots: Vec<_> = polys.iter().map(|p| i.s.polynomial_expr(p)).collect();
        let (names, shape) = if f.is_vector() {
            let names = (1..=roots.len()).map(|k| format!("{command}{k}"));
            (names.collect(), Shape::Vector)
        } else {
            (vec![command.to_string()], Shape::Scalar)
        };
        let t = Target {
            roots: &roots,
            names,
            shape,
            guards: Vec::new(),
        };
        points::run(&mut i, &t, batch, ctx)?;
        return Ok(Done::streamed(i, command));
    }
    if i.format == super::args::Format::Latex {
        let ids: Vec<deriv::expr::ExprId> = polys
            .iter()
            .flat_map(|p| &p.shown)
            .flat_map(|(c, mono)| std::iter::once(c.id()).chain(mono.iter().map(|m| m.0.id())))
            .collect();
        i.check_output(&ids)?;
    }
    for p in &polys {
        ctx.warnings.extend(p.warnings.iter().cloned());
    }
    let vars = if vars.is_some() {
        needed
    } else {
        i.s.variables(&f)
    };
    let mut report = Report::new(command, f.source(), vars);
    report.push(match polys.pop() {
        Some(p) if !f.is_vector() => Block::Taylor(p),
        last => Block::Taylors(polys.into_iter().chain(last).collect()),
    });
    Ok(Done { input: i, report })
}

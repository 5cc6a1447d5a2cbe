//! `deriv diff`: a partial derivative of any order, mixed in the order of `--wrt`.

use deriv::point::parse_names;

use super::args::DiffArgs;
use super::clock::{Ctx, Phase};
use super::error::{CliError, usage_error};
use super::input::Input;
use super::points::{self, Shape, Target};
use super::report::{Block, Done, Report};

pub fn run(a: &DiffArgs, ctx: &mut Ctx) -> Result<Done, CliError> {
    if a.order.is_some() && a.wrt.contains(',') {
        return Err(usage_error(
            "diff",
            "--order repeats the one variable of --wrt; with several --wrt variables, list them instead",
        ));
    }
    let limits = deriv::Limits {
        max_order: a.max_order,
        ..a.common.limits()
    };
    let mut i = Input::load_with(&a.common, limits, ctx)?;
    let f = i.f.clone();
    let e = i.s.scalar(&f, "diff").map_err(|e| i.err(e))?;
    let names = parse_names(&a.wrt, true)
        .map_err(|e| CliError::from_lib(e, "", Some(("--wrt", &a.wrt))))?;
    let wrt = i.s.syms(&names);
    let df = ctx
        .clock
        .time(Phase::Compute, || match a.order {
            Some(n) => i.s.diff_order(&f, wrt[0], n),
            None => i.s.diff(&f, &wrt),
        })
        .map_err(|e| i.err(e))?
        .id();
    // one entry per differentiation, as SPEC has it; an order above
    // --max-order (answered because the derivatives vanish or repeat) is
    // given as "order" instead of a list that long
    let wrt = match a.order {
        Some(n) if n <= a.max_order => vec![wrt[0]; n as usize],
        _ => wrt,
    };
    let order = a.order.filter(|n| *n > a.max_order);
    if a.batch.points.is_some() {
        let names = i.names(&wrt);
        let name = match names.len() {
            1 => format!("df/d{}", names[0]),
            n => format!("d{n}f/d{}", names.join("d")),
        };
        let t = Target {
            roots: &[df],
            names: vec![name],
            shape: Shape::Scalar,
            guards: vec![(i.s.store().partial_parts(e), 0..1)],
        };
        points::run(&mut i, &t, &a.batch, ctx)?;
        return Ok(Done::streamed(i, "diff"));
    }
    i.check_output(&[df])?;
    let vars = i.s.variables(&f);
    let program = if a.cse {
        Some(
            ctx.clock
                .time(Phase::Compute, || i.s.program(&[df]))
                .map_err(|e| i.err(e))?,
        )
    } else {
        None
    };
    let mut report = Report::new("diff", f.source(), vars);
    report.push(Block::Derivative {
        wrt,
        order,
        expr: df,
        program,
    });
    if let Some(at) = &a.at {
        let needed = i.s.needed(&f.roots());
        let point = i.point(at, &needed, &[])?;
        ctx.warnings.extend(i.s.cancelled(&f, &point));
        ctx.warnings.extend(i.s.kinks(&[e], &point));
        let (mut v, w) = ctx.clock.time(Phase::Eval, || i.s.values(&[df], &point));
        ctx.warnings.extend(w);
        let w = ctx.clock.time(Phase::Eval, || {
            i.s.where_undefined(&[e], std::slice::from_ref(&(0..1)), &mut v, &point)
        });
        ctx.warnings.extend(w);
        let exact = a
            .exact
            .then(|| i.exact(&[df], &point, super::report::Shape::Scalar, 0));
        report.push(Block::DerivativeAt { value: v[0], point });
        report.extend(exact);
    }
    i.s.check().map_err(|e| i.err(e))?;
    Ok(Done { input: i, report })
}

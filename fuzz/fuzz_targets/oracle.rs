//! Never a confident wrong number: an exact expression at an exact point,
//! built from the input as a tree of our own (sums, products, integer
//! powers, sin/cos/tan/exp/log/sqrt/atan, rationals, `pi`, `e`), printed in
//! deriv's syntax and evaluated through the front door (`Session::eval`),
//! must agree with an independent evaluation at 768 and 1536 bits
//! (astro-float, `tests/precision/reference.rs`) to 1 ulp, or warn. A
//! finite value where the expression is undefined, or NaN/inf where it is
//! finite, with no warning, is a finding too.
#![no_main]

#[path = "../../tests/precision/reference.rs"]
mod reference;

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use reference::{Ex, FUNS, OPS, point_text, verdict};

/// A rational: small, or a power of ten (or its inverse).
fn rational(u: &mut Unstructured) -> Result<Ex> {
    if u.ratio(1, 5)? {
        let big = 10i64.pow(u.int_in_range(1..=18)?);
        return Ok(if u.arbitrary()? {
            Ex::Rat(1, big)
        } else {
            Ex::Rat(big, 1)
        });
    }
    Ok(Ex::Rat(u.int_in_range(-99..=99)?, u.int_in_range(1..=16)?))
}

/// An expression of at most `depth` levels; `budget` bounds the nodes.
fn expr(u: &mut Unstructured, depth: u32, budget: &mut u32) -> Result<Ex> {
    *budget = budget.saturating_sub(1);
    let leaf = depth == 0 || *budget == 0 || u.is_empty();
    let k = if leaf {
        u.int_in_range(0..=3)?
    } else {
        u.int_in_range(0..=9)?
    };
    Ok(match k {
        0 => rational(u)?,
        1 => u.choose(&[Ex::Pi, Ex::E])?.clone(),
        2 | 3 => Ex::Var(u.int_in_range(0..=2)?),
        4..=6 => {
            let op = *u.choose(&OPS)?;
            let a = expr(u, depth - 1, budget)?;
            let b = expr(u, depth - 1, budget)?;
            Ex::Bin(op, Box::new(a), Box::new(b))
        }
        7 => {
            let n = *u.choose(&[-3, -2, -1, 2, 3, 4, 5, 7])?;
            Ex::Pow(Box::new(expr(u, depth - 1, budget)?), n)
        }
        _ => {
            let f = *u.choose(&FUNS)?;
            Ex::Call(f, Box::new(expr(u, depth - 1, budget)?))
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(point) = (0..3)
        .map(|_| Ok((u.int_in_range(-60i64..=60)?, u.int_in_range(1i64..=16)?)))
        .collect::<Result<Vec<_>>>()
    else {
        return;
    };
    let mut budget = 40;
    let Ok(ex) = expr(&mut u, 6, &mut budget) else {
        return;
    };
    let text = ex.to_string();
    let mut s = deriv::Session::new();
    let (Ok(f), Ok(p)) = (s.parse(&text), s.point(&point_text(&point))) else {
        return;
    };
    // a clean error (a limit) is a normal outcome
    let Ok(v) = s.eval(&f, &p) else {
        return;
    };
    let want = reference::reference(&ex, &point);
    // issue 11 item 1 is fixed: a cancelled part undefined at the point warns
    let folded = false;
    if let Err(e) = verdict(&want, v.values[0], !v.warnings.is_empty(), folded) {
        panic!("deriv eval \"{text}\" --at {}: {e}", point_text(&point));
    }
});

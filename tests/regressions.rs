//! Inputs the fuzzers (`fuzz/`) found, each with what went wrong. They run
//! through the library on a 256 MiB stack, like the binary, and must finish
//! quickly.

use std::time::{Duration, Instant};

use deriv::expr::Store;
use deriv::parse::{ParseOptions, parse_program};

/// Runs `f` on a thread with the binary's stack and checks it takes less
/// than `secs` seconds.
fn quick<T: Send + 'static>(secs: u64, f: impl FnOnce() -> T + Send + 'static) -> T {
    let start = Instant::now();
    let out = std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("no panic");
    assert!(
        start.elapsed() < Duration::from_secs(secs),
        "took {:?}",
        start.elapsed()
    );
    out
}

fn parses(src: &'static str) -> bool {
    quick(10, move || {
        let mut s = Store::new();
        parse_program(&mut s, src, &ParseOptions::default()).is_ok()
    })
}

/// fuzz/parse timeout: hashing a big exact rational (`(3/2)^30230`) went
/// through `Ratio`'s recursive continued-fraction hash, quadratic in the
/// size. Numbers now hash and compare numerator and denominator directly.
#[test]
fn big_rational_hashes_fast() {
    // the input as found (a syntax error at the end, after the slow part)
    let _ = parses("(3/2)^(302)0(1/-t)(1(3/2)^(30230)0(1/-t)(1^(3/2)-t)2)*");
    assert!(parses("(3/2)^30230 + (3/2)^30231 + x"));
}

/// Comparing two rationals with a long common continued fraction (ratios
/// of consecutive Fibonacci numbers) recursed once per term.
#[test]
fn close_rationals_compare_fast() {
    quick(10, || {
        let (mut a, mut b) = (num_bigint::BigInt::from(1), num_bigint::BigInt::from(1));
        for _ in 0..20_000 {
            let c = &a + &b;
            a = b;
            b = c;
        }
        let c = &a + &b;
        let src = format!("max({b}/{a}, {c}/{b}, x)");
        let mut s = Store::new();
        assert!(parse_program(&mut s, &src, &ParseOptions::default()).is_ok());
    });
}

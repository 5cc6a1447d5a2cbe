//! The parser on raw bytes: any input is a program or a `ParseError` with a
//! span inside the input; never a panic, never a stack overflow.
#![no_main]

use deriv::expr::Store;
use deriv::parse::{ParseOptions, parse_expr, parse_program};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let opts = ParseOptions::default();
    let mut store = Store::new();
    match parse_program(&mut store, src, &opts) {
        Ok(_) => {}
        Err(e) => {
            assert!(e.span.start <= e.span.end && e.span.end <= src.len().max(1));
            let _ = e.render(src);
            let _ = e.message();
        }
    }
    let mut store = Store::new();
    if let Err(e) = parse_expr(&mut store, src, &opts) {
        assert!(e.span.start <= e.span.end && e.span.end <= src.len().max(1));
        let _ = e.render(src);
    }
});

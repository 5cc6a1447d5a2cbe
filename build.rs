//! Links the `deriv` binary as a position-dependent executable on Linux.
//!
//! A position-independent executable (the toolchain's default) is loaded
//! at a random address, so the dynamic loader applies its 2,500 relative
//! relocations (the addresses in its tables of strings, vtables and jump
//! tables) at every start, each writing to a page that is then copied for
//! the process. Linked with `-no-pie` the linker resolves them once: 93
//! relocations are left, and a fresh `deriv grad` of W1 took 0.99 ms
//! against 1.14 ms (`/bin/true`: 0.60 ms), medians of 500 interleaved runs
//! of `bench/fresh_ab.py` (W8 of issue 9: within 2x of a bare process
//! start). The objects are compiled as before (position-independent code
//! runs at a fixed address as it is); what is given up is the random
//! placement of the executable's own code (libraries, stack and heap are
//! still placed at random), a hardening against memory-corruption exploits
//! that matters less for a program in safe Rust. The library crate and the
//! tests are unaffected, and so is a statically linked build.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    // a statically linked build (`crt-static`) is a static PIE, whose
    // start-up code relocates itself: linked `-no-pie`, it crashes
    let features = std::env::var("CARGO_CFG_TARGET_FEATURE").unwrap_or_default();
    let static_crt = features.split(',').any(|f| f == "crt-static");
    if os == "linux" && !static_crt {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}

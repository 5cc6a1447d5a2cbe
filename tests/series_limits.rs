//! Issue 11 item 8: raised Taylor limits end in a clean error, never an
//! abort. Each case runs the binary under `ulimit -v 3000000` (3 GB of
//! address space) through `sh -c`, as the commands do, and checks
//! that it exits with status 1 and an error message (a `SIGABRT` from a
//! failed allocation gives no status, and "memory allocation ... failed").

use std::process::Command;

/// Runs `deriv ARGS` under a 3 GB address-space limit; `(status, stderr)`.
fn run_limited(args: &[&str]) -> (Option<i32>, String) {
    let quoted: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
    let script = format!(
        "ulimit -v 3000000 && exec '{}' {} > /dev/null",
        env!("CARGO_BIN_EXE_deriv"),
        quoted.join(" ")
    );
    let out = Command::new("sh")
        .args(["-c", &script])
        .output()
        .expect("sh runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn assert_clean_error(args: &[&str], expect: &str) {
    let (code, err) = run_limited(args);
    assert_eq!(code, Some(1), "{args:?}: status {code:?}, stderr {err}");
    assert!(err.starts_with("deriv: error: "), "{args:?}: {err}");
    assert!(err.contains(expect), "{args:?}: {err}");
    assert!(!err.contains("memory allocation"), "{args:?}: {err}");
}

/// The command, with the largest `--max-terms` the CLI accepts
/// (2^32; the 2^64 - 1 is refused by the option's range).
#[test]
fn order_of_a_hundred_million_is_a_clean_error() {
    let max = "4294967296";
    for order in ["100000000", "1000000000", "4294967295"] {
        for f in ["x", "sin(x)", "exp(x)*sigmoid(x)"] {
            let args = [
                "taylor",
                f,
                "--at",
                "x=0",
                "--order",
                order,
                "--max-terms",
                max,
            ];
            assert_clean_error(&args, "does not fit in memory");
        }
    }
}

/// Two variables: the basis of order 70000 has 2.45·10^9 monomials.
#[test]
fn two_variables_of_a_large_order_are_a_clean_error() {
    let args = [
        "taylor",
        "x*y",
        "--at",
        "x=0,y=0",
        "--order",
        "70000",
        "--max-terms",
        "4294967296",
    ];
    assert_clean_error(&args, "does not fit in memory");
}

/// The issue's `--max-terms 18446744073709551615` is refused by the
/// option's range, with a message and status 2, not an abort.
#[test]
fn max_terms_past_the_cap_is_refused() {
    let args = [
        "taylor",
        "x",
        "--at",
        "x=0",
        "--order",
        "100000000",
        "--max-terms",
        "18446744073709551615",
    ];
    let (code, err) = run_limited(&args);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("--max-terms"), "{err}");
}

/// A function of a linear argument at a high order stops on its
/// coefficient budget instead of running for minutes.
#[test]
fn sigmoid_at_a_high_order_stops_on_its_budget() {
    let args = [
        "taylor",
        "sigmoid(x)",
        "--at",
        "x=1",
        "--order",
        "10000000",
        "--max-terms",
        "4294967296",
    ];
    let (code, err) = run_limited(&args);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.starts_with("deriv: error: "), "{err}");
}

//! The one integration-test binary: each module is a test file.

mod series;

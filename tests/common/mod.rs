//! Running the real `sipview` binary from integration tests.

// Each test file uses its own part of these helpers.
#![allow(dead_code)]

pub mod tmux;

use std::process::Command;

/// Runs sipview and returns its standard output; fails the test on a
/// non-zero exit, showing standard error.
pub fn sipview_ok(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_sipview"))
        .args(args)
        .output()
        .expect("run sipview");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs sipview and returns its exit code, standard output and standard
/// error, whatever the outcome.
pub fn sipview_status(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_sipview"))
        .args(args)
        .output()
        .expect("run sipview");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

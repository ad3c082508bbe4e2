//! Running the real `sipview` binary from integration tests.

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

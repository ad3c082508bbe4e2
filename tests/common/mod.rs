//! Running the real `sipview` binary from integration tests.

// Each test file uses its own part of these helpers.
#![allow(dead_code)]

pub mod tmux;

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::thread::{sleep, JoinHandle};
use std::time::Duration;

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

/// A running `sipview -L udp:127.0.0.1:0 ARGS`: the child, the address it
/// bound (its first stderr line says it: no fixed port, no race) and a
/// thread that collects the rest of its stderr.
pub fn sipview_listening(args: &[&str]) -> (Child, String, JoinHandle<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sipview"))
        .args(["-L", "udp:127.0.0.1:0"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sipview -L");
    let mut err = BufReader::new(child.stderr.take().expect("stderr"));
    let mut first = String::new();
    err.read_line(&mut first).expect("stderr line");
    let addr = first
        .trim()
        .strip_prefix("sipview: listening for HEP on udp:")
        .unwrap_or_else(|| panic!("unexpected first line: {first:?}"))
        .to_owned();
    let rest = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    (child, addr, rest)
}

/// `calls` calls of sipp's built-in uac from 127.0.0.1:`uac` to
/// 127.0.0.1:`to` (the uas itself, or a proxy in front of it), answered by
/// sipp's built-in uas on `uas`; every run bounded in time.
pub fn sipp_calls(to: u16, uas: u16, uac: u16, calls: u32) {
    let n = calls.to_string();
    let uas = Command::new("timeout")
        .args(["20", "sipp", "-sn", "uas", "-i", "127.0.0.1"])
        .args([
            "-p",
            &uas.to_string(),
            "-m",
            &n,
            "-nostdin",
            "-timeout",
            "20s",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("sipp must be installed (apt-get install sip-tester)");
    sleep(Duration::from_millis(400));
    let status = Command::new("timeout")
        .args(["20", "sipp", &format!("127.0.0.1:{to}"), "-sn", "uac"])
        .args(["-i", "127.0.0.1", "-p", &uac.to_string()])
        .args([
            "-m", &n, "-r", "20", "-d", "50", "-nostdin", "-timeout", "20s",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("run sipp uac");
    assert!(status.success(), "sipp uac failed");
    let _ = uas.wait_with_output();
}

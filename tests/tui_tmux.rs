//! The real binary in a real terminal (tmux), driven as a person would:
//! open a sample, move, open the ladder and the explain pane, filter, save a
//! pcap and read it back, quit. Asserts on the text tmux shows.

mod common;

use common::tmux::Tmux;
use std::path::Path;
use std::process::Command;
use std::thread::sleep;
use std::time::{Duration, Instant};

#[test]
fn a_person_browses_saves_and_quits() {
    let dir = tempfile::tempdir().expect("tempdir");
    let t = Tmux::start(&["-I", "samples/udp-invite-mix.pcap", "--theme", "monochrome"]);
    let s = t.wait_for("Calls 4/4");
    assert!(
        s.contains("udp-auth-1@sipview.test") || s.contains("COMPLETED"),
        "{s}"
    );

    // Second call, into its ladder.
    t.keys(&["j", "Enter"]);
    let s = t.wait_for("Call flow: 10 message(s)");
    assert!(s.contains("401 Unauthorized"), "{s}");
    assert!(s.contains("Explain"), "{s}");
    // Move to the challenge: the explain pane says what it is.
    t.keys(&["j"]);
    t.wait_for("WWW-Authenticate");
    t.wait_for("Normal: the first request went out without");
    // Copy the message: no display here, so OSC 52 carries it to tmux.
    t.keys(&["y"]);
    t.wait_for("via OSC 52");
    let copied = t.clipboard();
    assert!(
        copied.starts_with("SIP/2.0 401 Unauthorized\n"),
        "{copied:?}"
    );
    assert!(
        copied.contains("WWW-Authenticate: Digest realm=\"sipview.test\""),
        "{copied:?}"
    );
    // Hide and show the explain pane.
    t.keys(&["e"]);
    sleep(Duration::from_millis(300));
    assert!(!t.screen().contains("┌ Explain "), "explain pane hidden");
    t.keys(&["e"]);
    t.wait_for("┌ Explain ");

    // Back to the list, filter busy calls.
    t.keys(&["q", "f"]);
    t.wait_for("Filter:");
    t.type_text("state=busy");
    t.keys(&["Enter"]);
    let s = t.wait_for("Calls 1/4");
    assert!(s.contains("BUSY"), "{s}");

    // Save what is shown, read it back.
    let out = dir.path().join("busy.pcap");
    t.keys(&["s", "C-u"]);
    t.type_text(&out.display().to_string());
    t.keys(&["Enter"]);
    t.wait_for("saved 4 packets of 1 calls");
    assert!(Path::new(&out).exists());
    let back = Command::new(env!("CARGO_BIN_EXE_sipview"))
        .args([
            "-I",
            &out.display().to_string(),
            "--list",
            "--format",
            "json",
        ])
        .output()
        .expect("read back");
    let rows: serde_json::Value = serde_json::from_slice(&back.stdout).expect("json");
    assert_eq!(rows.as_array().map(Vec::len), Some(1));
    assert_eq!(rows[0]["call_id"], "udp-busy-1@sipview.test");

    // Quit: the process ends and the terminal is given back.
    t.keys(&["q"]);
    let start = Instant::now();
    while t.alive() && start.elapsed() < Duration::from_secs(5) {
        sleep(Duration::from_millis(50));
    }
    assert!(!t.alive(), "sipview did not quit");
}

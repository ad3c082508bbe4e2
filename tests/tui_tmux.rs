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

/// One row of sngrep's key table (`../shared/reference/sngrep-keys.md`):
/// the keys pressed, what the screen must then show, and the keys that
/// bring it back to where the next row starts.
struct KeyCase {
    what: &'static str,
    press: &'static [&'static str],
    shows: &'static str,
    back: &'static [&'static str],
}

/// Every key of sngrep's table whose action sipview has, each spelling of
/// it, on a real sample: the screen must show what the action does.
#[test]
fn every_sngrep_key_does_what_sngrep_does() {
    const LIST: &[KeyCase] = &[
        KeyCase {
            what: "help",
            press: &["F1"],
            shows: "┌ Help (line 1/",
            back: &["q"],
        },
        KeyCase {
            what: "help",
            press: &["h"],
            shows: "┌ Help (line 1/",
            back: &["Escape"],
        },
        KeyCase {
            what: "help",
            press: &["?"],
            shows: "┌ Help (line 1/",
            back: &["Q"],
        },
        KeyCase {
            what: "raw",
            press: &["F6"],
            shows: "┌ Raw: 1 call(s)",
            back: &["q"],
        },
        KeyCase {
            what: "raw",
            press: &["R"],
            shows: "┌ Raw: 1 call(s)",
            back: &["q"],
        },
        KeyCase {
            what: "raw",
            press: &["r"],
            shows: "┌ Raw: 1 call(s)",
            back: &["q"],
        },
        KeyCase {
            what: "save",
            press: &["F2"],
            shows: "Save to (.pcap = packets, else text): udp-invite-mix-calls.pcap",
            back: &["Escape"],
        },
        KeyCase {
            what: "save",
            press: &["s"],
            shows: "Save to (",
            back: &["Escape"],
        },
        KeyCase {
            what: "save",
            press: &["S"],
            shows: "Save to (",
            back: &["Escape"],
        },
        KeyCase {
            what: "search",
            press: &["F3", "b", "u", "s", "y"],
            shows: "Calls 1/4",
            back: &["Escape", "c", "Home"],
        },
        KeyCase {
            what: "search",
            press: &["/"],
            shows: "Search: ",
            back: &["Escape"],
        },
        KeyCase {
            what: "search",
            press: &["Tab"],
            shows: "Search: ",
            back: &["Escape"],
        },
        KeyCase {
            what: "filter",
            press: &["F7"],
            shows: "Filter: ",
            back: &["Escape"],
        },
        KeyCase {
            what: "filter",
            press: &["f"],
            shows: "Filter: ",
            back: &["Escape"],
        },
        KeyCase {
            what: "filter",
            press: &["F"],
            shows: "Filter: ",
            back: &["Escape"],
        },
        KeyCase {
            what: "columns",
            press: &["F10"],
            shows: " Columns: Space, +/- ",
            back: &["Escape"],
        },
        KeyCase {
            what: "columns",
            press: &["t"],
            shows: " Columns: Space, +/- ",
            back: &["Escape"],
        },
        KeyCase {
            what: "columns",
            press: &["T"],
            shows: " Columns: Space, +/- ",
            back: &["Escape"],
        },
        KeyCase {
            what: "settings",
            press: &["F8"],
            shows: "┌ Settings",
            back: &["q"],
        },
        KeyCase {
            what: "settings",
            press: &["o"],
            shows: "┌ Settings",
            back: &["q"],
        },
        KeyCase {
            what: "settings",
            press: &["O"],
            shows: "┌ Settings",
            back: &["q"],
        },
        KeyCase {
            what: "stats",
            press: &["i"],
            shows: "┌ Statistics",
            back: &["q"],
        },
        KeyCase {
            what: "extended flow",
            press: &["F4"],
            shows: "┌ Call flow: 7 message(s), 1 call(s)",
            back: &["q"],
        },
        KeyCase {
            what: "extended flow",
            press: &["x"],
            shows: "┌ Call flow: 7 message(s), 1 call(s)",
            back: &["q"],
        },
        KeyCase {
            what: "open the flow",
            press: &["Enter"],
            shows: "┌ Call flow: 7 message(s), 1 call(s)",
            back: &["q"],
        },
        // Space marks and stays: "Space, Down, Space" marks two calls.
        KeyCase {
            what: "select",
            press: &["Space", "Down", "Space"],
            shows: "[2 marked]",
            back: &["Space", "Up", "Space"],
        },
        KeyCase {
            what: "move",
            press: &["j", "j", "Enter"],
            shows: "486 Busy Here",
            back: &["q", "k", "k"],
        },
        KeyCase {
            what: "move",
            press: &["Down", "Up", "Enter"],
            shows: "┌ Call flow: 7 message(s)",
            back: &["q"],
        },
        KeyCase {
            what: "last",
            press: &["End", "Enter"],
            shows: "CANCEL",
            back: &["q"],
        },
        KeyCase {
            what: "first",
            press: &["Home", "Enter"],
            shows: "┌ Call flow: 7 message(s)",
            back: &["q"],
        },
        KeyCase {
            what: "last",
            press: &["C-e", "Enter"],
            shows: "CANCEL",
            back: &["q", "C-a"],
        },
        KeyCase {
            what: "page down",
            press: &["PageDown", "Enter"],
            shows: "CANCEL",
            back: &["q", "PageUp"],
        },
        KeyCase {
            what: "sort next column",
            press: &[">"],
            shows: "IDX▲",
            back: &["<"],
        },
        KeyCase {
            what: "pause",
            press: &["p"],
            shows: "display paused",
            back: &["p"],
        },
        KeyCase {
            what: "only a method",
            press: &["m"],
            shows: "[INVITE only]",
            back: &["m"],
        },
    ];
    const FLOW: &[KeyCase] = &[
        KeyCase {
            what: "SDP info off",
            press: &["d"],
            shows: "─ INVITE (SDP) ─►",
            back: &["d"],
        },
        KeyCase {
            what: "SDP info off",
            press: &["F2"],
            shows: "─ INVITE (SDP) ─►",
            back: &["F2"],
        },
        KeyCase {
            what: "only SDP",
            press: &["D"],
            shows: "showing only messages with SDP",
            back: &["D"],
        },
        KeyCase {
            what: "time format",
            press: &["w"],
            shows: "+0.000157",
            back: &["w", "w"],
        },
        KeyCase {
            what: "raw",
            press: &["F6"],
            shows: "┌ Raw: 1 call(s)",
            back: &["q"],
        },
        KeyCase {
            what: "raw",
            press: &["r"],
            shows: "┌ Raw: 1 call(s)",
            back: &["q"],
        },
        KeyCase {
            what: "colour mode",
            press: &["c"],
            shows: "arrows coloured by Call-ID",
            back: &["c", "c"],
        },
        KeyCase {
            what: "one column per host",
            press: &["s"],
            shows: "one lane per IP",
            back: &["s"],
        },
        KeyCase {
            what: "syntax highlight",
            press: &["C"],
            shows: "header highlighting off",
            back: &["C"],
        },
        KeyCase {
            what: "syntax highlight",
            press: &["F8"],
            shows: "header highlighting off",
            back: &["F8"],
        },
        KeyCase {
            what: "media",
            press: &["m"],
            shows: "RTP and DTMF rows hidden",
            back: &["m"],
        },
        KeyCase {
            what: "media",
            press: &["F3"],
            shows: "RTP and DTMF rows hidden",
            back: &["F3"],
        },
        KeyCase {
            what: "raw preview off",
            press: &["t"],
            shows: "message and explain panes hidden",
            back: &["t"],
        },
        KeyCase {
            what: "select two messages: the diff",
            press: &["Space", "j", "Space"],
            shows: "┐┌ #2 100 Trying ─",
            back: &["q"],
        },
        KeyCase {
            what: "help",
            press: &["F1"],
            shows: "┌ Help (line 1/",
            back: &["q"],
        },
    ];
    let t = Tmux::start(&["-I", "samples/udp-invite-mix.pcap", "--theme", "monochrome"]);
    t.wait_for("Calls 4/4");
    let run = |cases: &[KeyCase], home: &str| {
        // One key at a time: Escape and the next key sent together read
        // as Alt and that key.
        let send = |keys: &[&str]| {
            for k in keys {
                t.keys(&[k]);
                sleep(Duration::from_millis(120));
            }
        };
        for c in cases {
            send(c.press);
            let start = Instant::now();
            let mut s = t.screen();
            while !s.contains(c.shows) && start.elapsed() < Duration::from_secs(5) {
                sleep(Duration::from_millis(50));
                s = t.screen();
            }
            assert!(
                s.contains(c.shows),
                "{} ({:?}) did not show {:?}:\n{s}",
                c.what,
                c.press,
                c.shows
            );
            send(c.back);
            t.wait_for(home);
        }
    };
    run(LIST, "┌ Calls 4/4 ─");
    t.keys(&["Enter"]);
    t.wait_for("┌ Call flow: 7 message(s), 1 call(s) ─");
    run(FLOW, "┌ Call flow: 7 message(s), 1 call(s) ─");
    // Esc and q leave the flow, then quit the list (a file: no question).
    t.keys(&["Escape"]);
    t.wait_for("┌ Calls 4/4 ─");
    t.keys(&["q"]);
    let start = Instant::now();
    while t.alive() && start.elapsed() < Duration::from_secs(5) {
        sleep(Duration::from_millis(50));
    }
    assert!(!t.alive(), "q on the list did not quit");
}

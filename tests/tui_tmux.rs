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

const fn k(
    what: &'static str,
    press: &'static [&'static str],
    shows: &'static str,
    back: &'static [&'static str],
) -> KeyCase {
    KeyCase {
        what,
        press,
        shows,
        back,
    }
}

/// Every key of sngrep's table whose action sipview has, each spelling of
/// it, on a real sample: the screen must show what the action does.
#[test]
fn every_sngrep_key_does_what_sngrep_does() {
    const LIST: &[KeyCase] = &[
        k("help", &["F1"], "┌ Help (line 1/", &["q"]),
        k("help", &["h"], "┌ Help (line 1/", &["Escape"]),
        k("help", &["?"], "┌ Help (line 1/", &["Q"]),
        k("raw", &["F6"], "┌ Raw: 1 call(s)", &["q"]),
        k("raw", &["R"], "┌ Raw: 1 call(s)", &["q"]),
        k("raw", &["r"], "┌ Raw: 1 call(s)", &["q"]),
        k(
            "save",
            &["F2"],
            "Save to (.pcap = packets, else text): udp-invite-mix-calls.pcap",
            &["Escape"],
        ),
        k("save", &["s"], "Save to (", &["Escape"]),
        k("save", &["S"], "Save to (", &["Escape"]),
        k(
            "search",
            &["F3", "b", "u", "s", "y"],
            "Calls 1/4",
            &["Escape", "c", "Home"],
        ),
        k("search", &["/"], "Search: ", &["Escape"]),
        k("search", &["Tab"], "Search: ", &["Escape"]),
        k("filter", &["F7"], "Filter: ", &["Escape"]),
        k("filter", &["f"], "Filter: ", &["Escape"]),
        k("filter", &["F"], "Filter: ", &["Escape"]),
        k("columns", &["F10"], " Columns: Space, +/- ", &["Escape"]),
        k("columns", &["t"], " Columns: Space, +/- ", &["Escape"]),
        k("columns", &["T"], " Columns: Space, +/- ", &["Escape"]),
        k("settings", &["F8"], "┌ Settings", &["q"]),
        k("settings", &["o"], "┌ Settings", &["q"]),
        k("settings", &["O"], "┌ Settings", &["q"]),
        k("stats", &["i"], "┌ Statistics", &["q"]),
        k(
            "extended flow",
            &["F4"],
            "┌ Call flow: 7 message(s), 1 call(s)",
            &["q"],
        ),
        k(
            "extended flow",
            &["x"],
            "┌ Call flow: 7 message(s), 1 call(s)",
            &["q"],
        ),
        k(
            "open the flow",
            &["Enter"],
            "┌ Call flow: 7 message(s), 1 call(s)",
            &["q"],
        ),
        // Space marks and stays: "Space, Down, Space" marks two calls.
        k(
            "select",
            &["Space", "Down", "Space"],
            "[2 marked]",
            &["Space", "Up", "Space"],
        ),
        k(
            "move",
            &["j", "j", "Enter"],
            "486 Busy Here",
            &["q", "k", "k"],
        ),
        k(
            "move",
            &["Down", "Up", "Enter"],
            "┌ Call flow: 7 message(s)",
            &["q"],
        ),
        k("last", &["End", "Enter"], "CANCEL", &["q"]),
        k(
            "first",
            &["Home", "Enter"],
            "┌ Call flow: 7 message(s)",
            &["q"],
        ),
        k("last", &["C-e", "Enter"], "CANCEL", &["q", "C-a"]),
        k(
            "page down",
            &["PageDown", "Enter"],
            "CANCEL",
            &["q", "PageUp"],
        ),
        k("sort next column", &[">"], "IDX▲", &["<"]),
        k("pause", &["p"], "display paused", &["p"]),
        k("only a method", &["m"], "[INVITE only]", &["m"]),
    ];
    const FLOW: &[KeyCase] = &[
        k("SDP info off", &["d"], "─ INVITE (SDP) ─►", &["d"]),
        k("SDP info off", &["F2"], "─ INVITE (SDP) ─►", &["F2"]),
        k("only SDP", &["D"], "showing only messages with SDP", &["D"]),
        k("time format", &["w"], "+0.000157", &["w", "w"]),
        k("raw", &["F6"], "┌ Raw: 1 call(s)", &["q"]),
        k("raw", &["r"], "┌ Raw: 1 call(s)", &["q"]),
        k(
            "colour mode",
            &["c"],
            "arrows coloured by Call-ID",
            &["c", "c"],
        ),
        k("one column per host", &["s"], "one lane per IP", &["s"]),
        k(
            "syntax highlight",
            &["C"],
            "header highlighting off",
            &["C"],
        ),
        k(
            "syntax highlight",
            &["F8"],
            "header highlighting off",
            &["F8"],
        ),
        k("media", &["m"], "RTP and DTMF rows hidden", &["m"]),
        k("media", &["F3"], "RTP and DTMF rows hidden", &["F3"]),
        k(
            "raw preview off",
            &["t"],
            "message and explain panes hidden",
            &["t"],
        ),
        k(
            "select two messages: the diff",
            &["Space", "j", "Space"],
            "┐┌ #2 100 Trying ─",
            &["q"],
        ),
        k("help", &["F1"], "┌ Help (line 1/", &["q"]),
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

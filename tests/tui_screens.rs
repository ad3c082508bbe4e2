//! Every screen drawn on ratatui's TestBackend from real samples, driven by
//! the same key events a person types; snapshots (insta) of the text, plus
//! assertions on what matters on each screen.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use sipview::tui::app::Screen;
use sipview::tui::config::{Column, Config};
use sipview::tui::theme::Theme;
use sipview::tui::{App, Session};
use std::path::Path;

fn app(sample: &str) -> App {
    let session = Session::open_loaded(&Path::new("samples").join(sample)).expect("sample loads");
    App::new(session, Config::default(), Theme::monochrome())
}

fn press(app: &mut App, keys: &str) {
    for c in keys.chars() {
        app.key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
}

fn key(app: &mut App, code: KeyCode) {
    app.key(KeyEvent::new(code, KeyModifiers::NONE));
}

/// The screen as text, one line per row, trailing spaces cut.
fn screen(app: &mut App, width: u16, height: u16) -> String {
    let mut term = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    term.draw(|f| app.draw(f)).expect("draw");
    let buf = term.backend().buffer();
    let mut out = String::new();
    for y in 0..height {
        let mut line = String::new();
        for x in 0..width {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[test]
fn call_list_at_80x24() {
    let mut a = app("udp-invite-mix.pcap");
    let s = screen(&mut a, 80, 24);
    assert!(s.contains("Calls 4/4"), "{s}");
    assert!(s.contains("IDX") && s.contains("METHOD") && s.contains("VERDICT"));
    assert!(s.contains("COMPLETED") && s.contains("BUSY") && s.contains("CANCELLED"));
    assert!(s.contains("calls 4 shown 4 | messages 28"), "{s}");
    assert!(s.contains("F1 Help"));
    insta::assert_snapshot!("list_80x24", s);
}

#[test]
fn call_list_on_a_wide_screen() {
    let mut a = app("diag-timeouts.pcap");
    let s = screen(&mut a, 250, 12);
    for verdict in [
        "timeout!",
        // An OPTIONS and a BYE that fail are risks, not failed calls.
        "too-many-hops?",
        "loop!",
        "session-timer!",
        "no-dialog?",
    ] {
        assert!(s.contains(verdict), "{verdict} missing:\n{s}");
    }
    insta::assert_snapshot!("list_250x12", s);
}

#[test]
fn ladder_with_message_and_explain_pane() {
    let mut a = app("udp-invite-mix.pcap");
    press(&mut a, "j");
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.screen(), Screen::Flow);
    let s = screen(&mut a, 160, 40);
    assert!(s.contains("Call flow: 10 message(s), 1 call(s)"), "{s}");
    assert!(
        s.contains("INVITE (SDP PCMU 127.0.0.1:6000)") || s.contains("INVITE (SDP"),
        "{s}"
    );
    assert!(s.contains("401 Unauthorized"));
    assert!(s.contains("Explain"));
    // The first message is selected: its raw text and its explanation.
    assert!(s.contains("INVITE sip:bob@"), "{s}");
    insta::assert_snapshot!("flow_auth_call", s);

    // Down to the 401: the explain pane explains the challenge.
    press(&mut a, "j");
    let s = screen(&mut a, 160, 40);
    assert!(s.contains("WWW-Authenticate"), "{s}");
    assert!(
        s.contains("Normal: the first request went out without"),
        "{s}"
    );
}

#[test]
fn time_formats_cycle_with_w() {
    let mut a = app("udp-invite-mix.pcap");
    key(&mut a, KeyCode::Enter);
    let absolute = screen(&mut a, 120, 20);
    assert!(absolute.contains("11:18:31.136064"), "{absolute}");
    press(&mut a, "w");
    let delta = screen(&mut a, 120, 20);
    let first_arrow = delta.lines().nth(2).unwrap_or("");
    assert!(first_arrow.starts_with("│      +0.000000"), "{delta}");
    press(&mut a, "w");
    let since_first = screen(&mut a, 120, 20);
    let bye = since_first
        .lines()
        .find(|l| l.contains("BYE"))
        .unwrap_or("");
    assert!(bye.starts_with("│      +0.5"), "{since_first}");
}

#[test]
fn raw_view_and_search() {
    let mut a = app("udp-invite-mix.pcap");
    press(&mut a, "r");
    assert_eq!(a.screen(), Screen::Raw);
    let s = screen(&mut a, 100, 30);
    assert!(s.contains("Raw: 1 call(s)"), "{s}");
    assert!(s.contains("INVITE sip:bob@"), "{s}");
    press(&mut a, "/BYE");
    key(&mut a, KeyCode::Enter);
    let s = screen(&mut a, 100, 30);
    assert!(s.lines().nth(1).unwrap_or("").contains("BYE"), "{s}");
    key(&mut a, KeyCode::Esc);
    assert_eq!(a.screen(), Screen::List);
}

#[test]
fn diff_of_two_messages() {
    let mut a = app("udp-invite-mix.pcap");
    press(&mut a, "j");
    key(&mut a, KeyCode::Enter);
    // INVITE without credentials, then the INVITE with them.
    press(&mut a, " jjj ");
    assert_eq!(a.screen(), Screen::Diff);
    let s = screen(&mut a, 160, 30);
    assert!(s.contains("#1 INVITE"), "{s}");
    assert!(s.contains("#4 INVITE"), "{s}");
    assert!(s.contains("Authorization: Digest"), "{s}");
    insta::assert_snapshot!("diff_invite_retry", s);
}

#[test]
fn filter_prompt_and_quick_filters() {
    let mut a = app("diag-timeouts.pcap");
    press(&mut a, "f");
    press(&mut a, "code>=482");
    key(&mut a, KeyCode::Enter);
    let s = screen(&mut a, 120, 15);
    // 483 and 482; 408, 422 and 481 are below.
    assert!(s.contains("Calls 2/5"), "{s}");
    assert!(s.contains("[filter: code>=482]"));
    press(&mut a, "c");
    let s = screen(&mut a, 120, 15);
    assert!(s.contains("Calls 5/5"), "{s}");

    let mut a = app("sip-parser-stress.pcap");
    press(&mut a, "m");
    let s = screen(&mut a, 120, 20);
    assert!(
        s.contains("[INVITE only]") && s.contains("Calls 4/13"),
        "{s}"
    );
    // `m` steps through the methods the capture has, most calls first
    // (INVITE 4, MESSAGE 3, OPTIONS 3, then the ones of a call each, by
    // name), and back to all: never a method with no call, never one left out.
    press(&mut a, "mm");
    let s = screen(&mut a, 120, 20);
    assert!(
        s.contains("[OPTIONS only]") && s.contains("Calls 3/13"),
        "{s}"
    );
    for (method, calls) in [("KDMQ", 1), ("NOTIFY", 1), ("PING", 1)] {
        press(&mut a, "m");
        let s = screen(&mut a, 120, 20);
        assert!(
            s.contains(&format!("[{method} only]")) && s.contains(&format!("Calls {calls}/13")),
            "{s}"
        );
    }
    press(&mut a, "m");
    let s = screen(&mut a, 120, 20);
    assert!(!s.contains(" only]") && s.contains("Calls 13/13"), "{s}");
    press(&mut a, "u");
    let s = screen(&mut a, 120, 20);
    assert!(s.contains("Calls 10/13"), "OPTIONS hidden: {s}");
    press(&mut a, "u!");
    let s = screen(&mut a, 120, 20);
    assert!(s.contains("[problems]"), "{s}");
    assert!(s.contains("Calls 2/13"), "{s}");
}

#[test]
fn search_as_you_type() {
    let mut a = app("udp-invite-mix.pcap");
    press(&mut a, "/busy");
    let s = screen(&mut a, 120, 15);
    assert!(s.contains("Search: busy"), "{s}");
    assert!(s.contains("Calls 1/4"), "{s}");
    key(&mut a, KeyCode::Esc);
    let s = screen(&mut a, 120, 15);
    assert!(s.contains("Calls 4/4"), "Esc restores the list: {s}");
}

#[test]
fn sort_by_column() {
    let mut a = app("diag-timeouts.pcap");
    // IDX, METHOD, FROM, TO, SOURCE, DESTINATION, MSGS: sort by messages.
    press(&mut a, ">>>>>>>z");
    let s = screen(&mut a, 200, 12);
    let first_row = s.lines().nth(2).unwrap_or("");
    assert!(
        first_row.contains("INVITE") && first_row.contains(" 4 "),
        "{s}"
    );
    assert!(s.contains("MSGS▼"), "{s}");
}

#[test]
fn packet_text_never_reaches_the_terminal_raw() {
    let mut a = app("sip-parser-stress.pcap");
    // Call 11 carries ESC sequences and a BEL in its headers.
    for _ in 0..10 {
        press(&mut a, "j");
    }
    key(&mut a, KeyCode::Enter);
    let s = screen(&mut a, 200, 40);
    assert!(s.contains(r"evil\e[31mRED\e[0m\e]0;pwned\x07 phone"), "{s}");
    assert!(!s.chars().any(|c| c.is_control() && c != '\n'), "{s:?}");
}

#[test]
fn help_lists_every_screen() {
    let mut a = app("udp-invite-mix.pcap");
    key(&mut a, KeyCode::F(1));
    assert_eq!(a.screen(), Screen::Help);
    let s = a
        .text
        .as_ref()
        .map(|t| t.lines.join("\n"))
        .unwrap_or_default();
    assert!(
        s.contains("Call list")
            && s.contains("Call flow")
            && s.contains("Raw text, statistics, streams, help")
            && s.contains("Diff of two messages"),
        "{s}"
    );
    press(&mut a, "q");
    assert_eq!(a.screen(), Screen::List);
}

#[test]
fn save_dialog_writes_a_pcap_and_reports_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut a = app("udp-invite-mix.pcap");
    press(&mut a, "s");
    // Replace the suggested name.
    a.key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
    let out = dir.path().join("saved.pcap");
    press(&mut a, &out.display().to_string());
    key(&mut a, KeyCode::Enter);
    let s = screen(&mut a, 160, 10);
    assert!(s.contains("saved 28 packets of 4 calls"), "{s}");
    let back = Session::open_loaded(&out).expect("saved file loads");
    assert_eq!(back.lock().store.calls().len(), 4);

    press(&mut a, "s");
    a.key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
    press(&mut a, "/nonexistent-dir/x.pcap");
    key(&mut a, KeyCode::Enter);
    let s = screen(&mut a, 160, 10);
    assert!(s.contains("/nonexistent-dir/x.pcap"), "{s}");
    assert_eq!(a.screen(), Screen::List, "an error is shown, not a crash");
}

fn app_with(sample: &str, config: Config) -> App {
    let session = Session::open_loaded(&Path::new("samples").join(sample)).expect("sample loads");
    App::new(session, config, Theme::monochrome())
}

#[test]
fn merged_calls_with_host_names_and_merged_hosts() {
    let config = Config {
        host_names: vec![("192.0.2.10".into(), "phone".into())],
        merge_hosts: vec![("sbc".into(), vec!["192.0.2.20".into(), "192.0.2.30".into()])],
        ..Config::default()
    };
    let mut a = app_with("sip-parser-stress.pcap", config);
    // Calls 9 and 10 are the two legs of one call through 192.0.2.20.
    for _ in 0..8 {
        press(&mut a, "j");
    }
    // sngrep's Space, Down, Space: two calls marked, drawn as [x].
    press(&mut a, " j ");
    let s = screen(&mut a, 200, 30);
    assert_eq!(s.matches("[x]").count(), 2, "{s}");
    key(&mut a, KeyCode::Enter);
    let s = screen(&mut a, 200, 30);
    assert!(s.contains("Call flow: 7 message(s), 2 call(s)"), "{s}");
    let heading = s.lines().nth(1).unwrap_or("");
    assert!(
        heading.contains("phone:6060") && heading.contains("sbc"),
        "{heading}"
    );
    assert!(!heading.contains("192.0.2.30"), "{heading}");
    // Per IP:port vs per IP: `s` toggles; a named IP then shows its name alone.
    press(&mut a, "s");
    let s = screen(&mut a, 200, 30);
    let heading = s.lines().nth(1).unwrap_or("");
    assert!(
        heading.contains("phone") && !heading.contains("phone:6060"),
        "{heading}"
    );
}

#[test]
fn column_chooser_hides_and_shows_columns() {
    let mut a = app("udp-invite-mix.pcap");
    key(&mut a, KeyCode::F(10));
    let s = screen(&mut a, 160, 30);
    assert!(
        s.contains("Columns: Space, +/-") && s.contains("[x] METHOD") && s.contains("[ ] CALL-ID"),
        "{s}"
    );
    // Hide METHOD (second entry), show CALL-ID (13th).
    press(&mut a, "j ");
    for _ in 0..11 {
        press(&mut a, "j");
    }
    press(&mut a, " ");
    key(&mut a, KeyCode::Esc);
    let s = screen(&mut a, 250, 12);
    let header = s.lines().nth(1).unwrap_or("");
    assert!(!header.contains("METHOD"), "{header}");
    assert!(header.contains("CALL-ID"), "{header}");
    assert!(s.contains("udp-busy-1@sipview.test"), "{s}");
}

#[test]
fn help_and_raw_snapshots() {
    let mut a = app("udp-invite-mix.pcap");
    key(&mut a, KeyCode::F(1));
    insta::assert_snapshot!("help_100x50", screen(&mut a, 100, 50));
    press(&mut a, "q");
    press(&mut a, "jjR");
    insta::assert_snapshot!("raw_busy_call", screen(&mut a, 100, 30));
}

#[test]
fn rtp_streams_and_dtmf_on_the_ladder() {
    let mut a = app("rtp-g711-dtmf.pcap");
    key(&mut a, KeyCode::Enter);
    // The media addresses share the parties' IP: RTP runs between the
    // two parties' lanes, and everything fits without scrolling.
    let s = screen(&mut a, 160, 24);
    assert!(
        s.contains("Call flow: 6 message(s), 1 call(s) 3 RTP stream(s) ") && !s.contains("◄► "),
        "{s}"
    );
    assert!(s.contains("RTP PCMA 236 pk"), "{s}");
    press(&mut a, "000000");
    let s = screen(&mut a, 250, 24);
    // Both directions of the voice, the event stream and the key, between
    // the media addresses, in time order with the messages.
    assert_eq!(s.matches("RTP PCMA 236 pkts").count(), 2, "{s}");
    assert!(s.contains("RTP telephone-event 10 pkts"), "{s}");
    let ack = s.find("ACK").unwrap_or(usize::MAX);
    let rtp = s.find("RTP PCMA").unwrap_or(0);
    let dtmf = s.find("DTMF 1").unwrap_or(0);
    let bye = s.find("BYE").unwrap_or(0);
    assert!(ack < rtp && rtp < dtmf && dtmf < bye, "{s}");
    let heading = s.lines().nth(1).unwrap_or("");
    assert!(
        heading.contains("127.0.0.1:5131") && !heading.contains("127.0.0.1:6130"),
        "{heading}"
    );
    // The explain pane's diagnosis reads the RTP too: nothing wrong here.
    assert!(s.contains("[OK] Completed normally"), "{s}");
    insta::assert_snapshot!("ladder_with_rtp_250x24", s);

    // Media rows are not selectable: j from ACK goes to BYE.
    press(&mut a, "jjjj");
    let s = screen(&mut a, 250, 24);
    assert!(s.contains("#5 BYE"), "{s}");

    // m hides the media rows, and brings them back.
    press(&mut a, "m");
    let s = screen(&mut a, 250, 24);
    assert!(!s.contains("RTP PCMA") && !s.contains("DTMF 1"), "{s}");
    assert!(s.contains("BYE") && !s.contains("RTP stream"), "{s}");
    press(&mut a, "m");
    let s = screen(&mut a, 250, 24);
    assert!(s.contains("RTP PCMA"), "{s}");

    // M: the call's streams with their figures.
    press(&mut a, "M");
    assert_eq!(a.screen(), Screen::Streams);
    let s = screen(&mut a, 100, 30);
    assert!(s.contains("RTP streams of 1 call(s): 3"), "{s}");
    assert!(s.contains("SSRC 0xdee0ee8f  PCMA (PT 8)"), "{s}");
    assert!(s.contains("packets 236  lost 0 (0.0%)"), "{s}");
    assert!(s.contains("DTMF 1"), "{s}");
    key(&mut a, KeyCode::Esc);
    assert_eq!(a.screen(), Screen::Flow);
}

#[test]
fn media_columns_and_verdicts_in_the_list() {
    let config = Config {
        columns: vec![
            Column::Index,
            Column::State,
            Column::Verdict,
            Column::Rtp,
            Column::Loss,
            Column::Jitter,
            Column::Codec,
        ],
        ..Config::default()
    };
    let mut a = app_with("rtp-one-way.pcap", config);
    let s = screen(&mut a, 120, 10);
    let header = s.lines().nth(1).unwrap_or("");
    for h in ["RTP", "LOSS", "JITTER", "CODEC"] {
        assert!(header.contains(h), "{h} missing: {header}");
    }
    let row = |n: &str| {
        s.lines()
            .find(|l| {
                let l = l.trim_start_matches('│');
                l.strip_prefix("[ ]")
                    .unwrap_or(l)
                    .trim_start()
                    .starts_with(n)
            })
            .unwrap_or("")
            .to_owned()
    };
    let first = row("1 ");
    assert!(
        first.contains("one-way-audio!") && first.contains("2/246") && first.contains("PCMA"),
        "{s}"
    );
    let second = row("2 ");
    assert!(second.contains("no-rtp!") && second.contains("0/0"), "{s}");
    // Sorting by the RTP column puts the call without RTP first.
    key(&mut a, KeyCode::Char('>'));
    // In the list of all streams, M shows both of the first call's.
    press(&mut a, "M");
    let s = screen(&mut a, 100, 30);
    assert!(s.contains("RTP streams: 2"), "{s}");
}

/// An OPTIONS (or its 200 OK) of call `n` as HEP v3, at second `n`.
fn hep_options(n: u32, answer: bool) -> Vec<u8> {
    use sipview::capture::Timestamp;
    use sipview::hep::{self, HepPacket, IPPROTO_UDP, PROTO_TYPE_SIP};
    let start = if answer {
        "SIP/2.0 200 OK".to_owned()
    } else {
        "OPTIONS sip:pbx@192.0.2.1 SIP/2.0".to_owned()
    };
    let payload = format!(
        "{start}\r\nVia: SIP/2.0/UDP 192.0.2.7:5060;branch=z9hG4bK-rot-{n}\r\n\
         From: <sip:probe@192.0.2.7>;tag=rot-{n}\r\nTo: <sip:pbx@192.0.2.1>\r\n\
         Call-ID: rotation-{n}@sipview.test\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n"
    );
    let (src, dst) = if answer {
        ("192.0.2.1:5060", "192.0.2.7:5060")
    } else {
        ("192.0.2.7:5060", "192.0.2.1:5060")
    };
    let p = HepPacket {
        version: 3,
        ip_proto: IPPROTO_UDP,
        src: src.parse().expect("addr"),
        dst: dst.parse().expect("addr"),
        ts: Some(Timestamp::from_secs_micros(1_795_000_000 + u64::from(n), 0)),
        proto_type: Some(PROTO_TYPE_SIP),
        capture_id: Some(1),
        auth_key: None,
        correlation_id: None,
        payload: payload.as_bytes(),
    };
    let mut out = Vec::new();
    hep::encode_v3(&p, &mut out).expect("encode");
    out
}

/// Draws until `want` is on the screen (the HEP thread runs on its own).
fn screen_with(a: &mut App, want: &str) -> String {
    let mut s = String::new();
    for _ in 0..100 {
        s = screen(a, 250, 30);
        if s.contains(want) {
            return s;
        }
        std::thread::sleep(std::time::Duration::from_millis(30));
    }
    panic!("{want:?} never showed:\n{s}");
}

#[test]
fn screens_follow_calls_renumbered_by_rotation() {
    use sipview::hep::HepListener;
    use sipview::load::Limit;
    let listener = HepListener::bind("127.0.0.1:0".parse().expect("addr")).expect("bind");
    let to = listener.local_addr();
    // 8 messages at most, rotating: the 8th message drops the oldest
    // quarter of the calls (one of four).
    let limit = Limit {
        messages: 8,
        rotate: true,
        ..Limit::default()
    };
    let session = Session::hep(listener, None, limit, None).expect("hep session");
    let mut a = App::new(session, Config::default(), Theme::monochrome());
    let sock = std::net::UdpSocket::bind("127.0.0.1:0").expect("udp");
    let send = |n: u32, answer: bool| {
        sock.send_to(&hep_options(n, answer), to).expect("send");
    };
    for n in 1..=3 {
        send(n, false);
        send(n, true);
    }
    send(4, false);
    screen_with(&mut a, "messages 7");
    // The ladder of call 3 (third row).
    press(&mut a, "jj");
    key(&mut a, KeyCode::Enter);
    let s = screen_with(&mut a, "rotation-3@");
    assert!(s.contains("Call flow: 2 message(s), 1 call(s)"), "{s}");
    // The 8th message rotates call 1 out: call 3 is now the second call and
    // its ladder stays on it.
    send(4, true);
    let s = screen_with(
        &mut a,
        "1 oldest calls forgotten to stay under the message limit",
    );
    assert!(
        s.contains("rotation-3@") && s.contains("Call flow: 2 message(s)"),
        "{s}"
    );
    key(&mut a, KeyCode::Esc);
    let s = screen(&mut a, 160, 30);
    assert!(s.contains("calls 3 shown 3"), "{s}");
    assert!(!s.contains("rotation-1@"), "{s}");
    // Back on the list, call 2 is the first row; its ladder, then a rotation
    // that takes it: back to the list, said on the status line.
    key(&mut a, KeyCode::Home);
    key(&mut a, KeyCode::Enter);
    screen_with(&mut a, "rotation-2@");
    for n in 5..=7 {
        send(n, false);
        send(n, true);
    }
    let s = screen_with(&mut a, "rotated out (-R): back to the list");
    assert_eq!(a.screen(), Screen::List, "{s}");
    assert!(!s.contains("rotation-2@"), "{s}");
}

/// The status bar of a loaded capture says what was not decoded and where
/// damage stopped the read, so a short or empty list has its reason.
#[test]
fn status_bar_names_what_was_not_read() {
    let mut tls = app("tls-5061.pcap");
    let s = screen(&mut tls, 160, 24);
    assert!(s.contains("calls 0"), "{s}");
    assert!(s.contains("not decoded: 4 TLS (not decrypted)"), "{s}");
    let mut cut = app("truncated-udp-invite-mix.pcap");
    let s = screen(&mut cut, 200, 24);
    assert!(s.contains("capture damaged: read stopped at byte"), "{s}");
    let mut whole = app("udp-invite-mix.pcap");
    let s = screen(&mut whole, 200, 24);
    assert!(!s.contains("not decoded") && !s.contains("damaged"), "{s}");
}

/// The ladder fits: at 80x24, 120x36 and 160x45 a three-party call (a
/// proxy relaying) and an RTP call show every lane's heading and every
/// arrow with its arrowhead, without scrolling sideways.
#[test]
fn ladders_fit_at_common_terminal_sizes() {
    for (sample, lanes, arrows) in [
        ("diag-proxy-relay.pcap", 3, 6),
        ("rtp-g711-dtmf.pcap", 2, 10),
    ] {
        for (w, h) in [(80u16, 24u16), (120, 36), (160, 45)] {
            let mut a = app(sample);
            key(&mut a, KeyCode::Enter);
            let s = screen(&mut a, w, h);
            let ladder: Vec<&str> = s
                .lines()
                .skip(1)
                .take_while(|l| !l.starts_with('└'))
                .collect();
            let heading = ladder.first().copied().unwrap_or("");
            let names = heading
                .trim_start_matches('│')
                .split('│')
                .next()
                .unwrap_or("")
                .split_whitespace()
                .count();
            assert_eq!(names, lanes, "{sample} at {w}x{h}: {heading}\n{s}");
            let rows: Vec<&&str> = ladder
                .iter()
                .filter(|l| {
                    l.trim_start_matches('│')
                        .starts_with(|c: char| c.is_ascii_digit())
                })
                .collect();
            assert!(
                rows.len() >= arrows.min(h as usize / 2 - 4),
                "{sample} at {w}x{h}\n{s}"
            );
            for row in rows {
                let lane_part: String = row.chars().skip(18).collect();
                assert!(
                    lane_part.contains('►') || lane_part.contains('◄'),
                    "{sample} at {w}x{h}: no arrowhead in {row}\n{s}"
                );
            }
            assert!(
                !s.contains("◄► "),
                "{sample} at {w}x{h} scrolls sideways\n{s}"
            );
        }
    }
}

/// `i`: statistics as tables, not JSON: requests by method, responses by
/// code, dialogs by state, the busiest addresses and the RTP.
#[test]
fn statistics_are_tables() {
    let mut a = app("udp-invite-mix.pcap");
    press(&mut a, "i");
    assert_eq!(a.screen(), Screen::Stats);
    let text = a
        .text
        .as_ref()
        .map(|t| t.lines.join("\n"))
        .unwrap_or_default();
    assert!(!text.contains('{'), "{text}");
    for want in [
        "SIP messages     28",
        "Calls (Call-IDs) 4",
        "Requests by method",
        "Responses by code",
        "Dialogs by state",
        "Top talkers (messages sent)",
        "  COMPLETED                           2   50.0%",
        "  BUSY                                1   25.0%",
        "  CANCELLED                           1   25.0%",
    ] {
        assert!(text.contains(want), "{want:?} missing:\n{text}");
    }
    let invites = text
        .lines()
        .find(|l| l.trim_start().starts_with("INVITE "))
        .unwrap_or("");
    assert!(invites.contains(" 5 "), "{text}");
}

/// The field captures (`../shared/captures/`, not shipped): at 160x45 the
/// ladder of every call shows every lane, each message row with an
/// arrowhead, and nothing scrolls sideways.
#[test]
fn every_field_call_fits_at_160x45() {
    let dir = Path::new("../shared/captures");
    let Ok(entries) = std::fs::read_dir(dir) else {
        eprintln!("skipped: {} is absent", dir.display());
        return;
    };
    let mut files: Vec<_> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "pcap" || e == "pcapng"))
        .collect();
    files.sort();
    let mut ladders = 0;
    for file in files {
        let Ok(session) = Session::open_loaded(&file) else {
            continue;
        };
        let mut a = App::new(session, Config::default(), Theme::monochrome());
        let calls = a.session.lock().store.calls().len();
        for call in 0..calls {
            a.list.move_to(call);
            key(&mut a, KeyCode::Enter);
            let s = screen(&mut a, 160, 45);
            let want = a.flow.as_ref().map_or(0, |f| f.columns.len());
            let heading = s.lines().nth(1).unwrap_or("");
            let heading = heading
                .trim_start_matches('│')
                .split('│')
                .next()
                .unwrap_or("");
            assert_eq!(
                heading.split_whitespace().count(),
                want,
                "{} call {}: lanes missing\n{s}",
                file.display(),
                call + 1
            );
            assert!(
                !s.contains("◄► "),
                "{} call {} scrolls\n{s}",
                file.display(),
                call + 1
            );
            ladders += 1;
            key(&mut a, KeyCode::Esc);
        }
    }
    eprintln!("{ladders} ladders of the field captures fit at 160x45");
}

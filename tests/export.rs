//! `--save`: selected calls to pcap (the original packets) or text, read
//! back with sipview itself (and tshark when installed).

mod common;

use common::{sipview_ok, sipview_status};
use std::path::Path;
use std::process::Command;

fn path_str(p: &Path) -> &str {
    p.to_str().expect("utf-8 temp path")
}

fn json(file: &str, view: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["-I", file, view, "--format", "json"];
    args.extend_from_slice(extra);
    serde_json::from_str(&sipview_ok(&args)).expect("json")
}

/// Saves with `--save` and returns the one line sipview printed.
fn save(input: &str, out: &Path, extra: &[&str]) -> String {
    let mut args = vec!["-I", input, "--save", path_str(out)];
    args.extend_from_slice(extra);
    let (code, stdout, stderr) = sipview_status(&args);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.is_empty(), "{stdout:?}");
    assert_eq!(stderr.lines().count(), 1, "{stderr:?}");
    stderr
}

fn call_ids(list: &serde_json::Value) -> Vec<String> {
    list.as_array()
        .expect("array")
        .iter()
        .map(|r| r["call_id"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// SIP messages tshark finds in `file`, when tshark is installed.
fn tshark_sip_messages(file: &Path) -> Option<usize> {
    let found = Command::new("sh")
        .args(["-c", "command -v tshark"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        eprintln!("tshark not installed: cross-check skipped");
        return None;
    }
    let out = Command::new("tshark")
        .args(["-r", path_str(file), "-Y", "sip"])
        .output()
        .expect("run tshark");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8_lossy(&out.stdout).lines().count())
}

#[test]
fn pcap_of_all_calls_reads_back_the_same() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("mix.pcap");
    let input = "samples/udp-invite-mix.pcap";
    let line = save(input, &out, &[]);
    assert_eq!(
        line,
        format!(
            "sipview: saved 28 packets of 4 calls to {}\n",
            out.display()
        )
    );
    // Nanosecond pcap, little-endian as libpcap writes it on this host.
    let bytes = std::fs::read(&out).expect("read saved");
    assert_eq!(bytes.get(..4), Some(&0xa1b2_3c4d_u32.to_ne_bytes()[..]));

    let saved = path_str(&out);
    // Same calls, states, parties, times (to the microsecond) and counts.
    assert_eq!(
        json(saved, "--list", &[]),
        json(input, "--list", &[]),
        "call list differs after the round trip"
    );
    let (orig, back) = (json(input, "--summary", &[]), json(saved, "--summary", &[]));
    assert_eq!(back["calls"], 4);
    assert_eq!(back["sip_messages"], orig["sip_messages"]);
    assert_eq!(back["sip_messages"], 28);
    assert_eq!(back["packets"], 28);
    if let Some(n) = tshark_sip_messages(&out) {
        assert_eq!(n, 28);
    }
}

#[test]
fn problems_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    for input in ["samples/diag-codec.pcap", "samples/udp-invite-mix.pcap"] {
        let out = dir.path().join("problems.pcap");
        let flagged = json(input, "--list", &["--problems"]);
        let rows = flagged.as_array().expect("array");
        let messages: u64 = rows.iter().filter_map(|r| r["messages"].as_u64()).sum();
        let line = save(input, &out, &["--problems"]);
        assert_eq!(
            line,
            format!(
                "sipview: saved {messages} packets of {} calls to {}\n",
                rows.len(),
                out.display()
            )
        );
        let back = json(path_str(&out), "--list", &[]);
        assert_eq!(call_ids(&back), call_ids(&flagged), "{input}");
        let summary = json(path_str(&out), "--summary", &[]);
        assert_eq!(summary["sip_messages"], messages, "{input}");
        if let Some(n) = tshark_sip_messages(&out) {
            assert_eq!(n as u64, messages, "{input}");
        }
    }
    // The no-answer sample: both calls need a look (an INVITE never
    // answered, a 200 OK never ACKed), 11 packets in all.
    let line = save(
        "samples/udp-no-answer.pcap",
        &dir.path().join("two.pcap"),
        &["--problems"],
    );
    assert!(line.contains("saved 11 packets of 2 calls"), "{line}");
}

#[test]
fn text_has_a_line_per_message_then_the_message() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("mix.txt");
    let line = save("samples/udp-invite-mix.pcap", &out, &[]);
    assert_eq!(
        line,
        format!(
            "sipview: saved 28 messages of 4 calls as text to {}\n",
            out.display()
        )
    );
    let text = std::fs::read_to_string(&out).expect("read text");
    assert!(!text.contains('\r'));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines.get(..4),
        Some(
            &[
                "2026-11-23 11:18:31.136064 127.0.0.1:5063 -> 127.0.0.1:5062 UDP",
                "INVITE sip:bob@127.0.0.1:5062 SIP/2.0",
                "Via: SIP/2.0/UDP 127.0.0.1:5063;branch=z9hG4bK-call-1-inv;rport",
                "Max-Forwards: 70",
            ][..]
        )
    );
    // The INVITE's body ends, one blank line, then the 100 Trying.
    let trying = lines
        .iter()
        .position(|l| *l == "SIP/2.0 100 Trying")
        .expect("100 Trying");
    assert_eq!(
        lines.get(trying - 3..trying),
        Some(
            &[
                "a=sendrecv",
                "",
                "2026-11-23 11:18:31.136221 127.0.0.1:5062 -> 127.0.0.1:5063 UDP",
            ][..]
        )
    );
    let headers = lines
        .iter()
        .filter(|l| l.starts_with("2026-11-23 "))
        .count();
    assert_eq!(headers, 28);
    // Messages in time order across calls.
    let times: Vec<&str> = lines
        .iter()
        .filter(|l| l.starts_with("2026-11-23 "))
        .map(|l| &l[..26])
        .collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
}

#[test]
fn save_format_overrides_the_file_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let as_text = dir.path().join("calls.pcap");
    save(
        "samples/udp-invite-mix.pcap",
        &as_text,
        &["--save-format", "text"],
    );
    let text = std::fs::read_to_string(&as_text).expect("read text");
    assert!(
        text.starts_with("2026-11-23 11:18:31.136064 "),
        "{text:.80}"
    );

    let as_pcap = dir.path().join("calls.out");
    save(
        "samples/udp-invite-mix.pcap",
        &as_pcap,
        &["--save-format", "pcap"],
    );
    let summary = json(path_str(&as_pcap), "--summary", &[]);
    assert_eq!(summary["sip_messages"], 28);
}

#[test]
fn missing_directory_is_one_line_and_exit_1() {
    let dir = tempfile::tempdir().expect("tempdir");
    for name in ["calls.pcap", "calls.txt"] {
        let out = dir.path().join("no-such-dir").join(name);
        let (code, stdout, stderr) = sipview_status(&[
            "-I",
            "samples/udp-invite-mix.pcap",
            "--save",
            path_str(&out),
        ]);
        assert_eq!(code, 1);
        assert!(stdout.is_empty());
        assert_eq!(stderr.lines().count(), 1, "{stderr:?}");
        assert!(stderr.starts_with("sipview: "), "{stderr:?}");
        assert!(stderr.contains(path_str(&out)), "{stderr:?}");
        assert!(stderr.contains("No such file or directory"), "{stderr:?}");
        assert!(!stderr.contains("panicked"), "{stderr:?}");
    }
}

#[test]
fn full_disk_is_an_error() {
    if !Path::new("/dev/full").exists() {
        return;
    }
    let (code, _, stderr) =
        sipview_status(&["-I", "samples/udp-invite-mix.pcap", "--save", "/dev/full"]);
    assert_eq!(code, 1);
    assert_eq!(stderr.lines().count(), 1, "{stderr:?}");
    assert!(
        stderr.contains("/dev/full") && stderr.contains("No space left"),
        "{stderr:?}"
    );
}

#[test]
fn never_overwrites_the_capture_being_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let copy = dir.path().join("mix.pcap");
    std::fs::copy("samples/udp-invite-mix.pcap", &copy).expect("copy");
    let (code, _, stderr) = sipview_status(&["-I", path_str(&copy), "--save", path_str(&copy)]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("it is the capture being read"),
        "{stderr:?}"
    );
    assert_eq!(
        std::fs::read(&copy).expect("read copy"),
        std::fs::read("samples/udp-invite-mix.pcap").expect("read sample")
    );
}

#[test]
fn other_link_types_are_skipped_and_counted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("two.pcap");
    let line = save("samples/pcapng-two-linktypes.pcapng", &out, &[]);
    assert_eq!(
        line,
        format!(
            "sipview: saved 2 packets of 2 calls to {}; skipped 2 packets of another \
             link type (a pcap file holds one; save as text to keep them)\n",
            out.display()
        )
    );
    // The Ethernet interface's MESSAGE and 200 OK.
    let summary = json(path_str(&out), "--summary", &[]);
    assert_eq!(summary["calls"], 1);
    assert_eq!(summary["sip_messages"], 2);
    // Text keeps all four.
    let text = dir.path().join("two.txt");
    let line = save("samples/pcapng-two-linktypes.pcapng", &text, &[]);
    assert!(line.contains("saved 4 messages of 2 calls"), "{line}");
}

#[test]
fn reassembled_messages_are_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("split.pcap");
    // INVITE, 200 OK and ACK each span several segments; the rest fit one.
    let line = save("samples/tcp-split-message.pcap", &out, &[]);
    assert!(
        line.contains("saved 7 packets of 1 calls")
            && line.contains("; 3 messages were reassembled from several packets"),
        "{line}"
    );
    let line = save("samples/ipv4-fragmented-udp.pcap", &out, &[]);
    assert!(
        line.contains("saved 4 packets of 1 calls")
            && line.contains("; 2 messages were reassembled"),
        "{line}"
    );
    // One message per segment: nothing partial.
    let line = save("samples/tcp-invite-mix.pcap", &out, &[]);
    assert_eq!(
        line,
        format!(
            "sipview: saved 28 packets of 4 calls to {}\n",
            out.display()
        )
    );
}

#[test]
fn the_calls_rtp_is_saved_with_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    // The one-way capture: the talking call's audio and key (246 RTP
    // packets) and the silent call (none); saving the whole file keeps
    // every stream with the same figures.
    let input = "samples/rtp-one-way.pcap";
    let out = dir.path().join("one-way.pcap");
    let line = save(input, &out, &[]);
    assert_eq!(
        line,
        format!(
            "sipview: saved 258 packets of 2 calls to {} (246 of them RTP and RTCP)\n",
            out.display()
        )
    );
    let before = json(input, "--streams", &[]);
    let after = json(path_str(&out), "--streams", &[]);
    let figures = |v: &serde_json::Value| -> Vec<(String, String, String, u64, u64, String)> {
        v.as_array()
            .expect("streams")
            .iter()
            .map(|s| {
                (
                    s["src"].as_str().unwrap_or("").to_owned(),
                    s["dst"].as_str().unwrap_or("").to_owned(),
                    s["ssrc"].as_str().unwrap_or("").to_owned(),
                    s["packets"].as_u64().unwrap_or(0),
                    s["lost"].as_u64().unwrap_or(0),
                    s["jitter_ms"].to_string(),
                )
            })
            .collect()
    };
    assert_eq!(figures(&after), figures(&before));
    assert_eq!(figures(&after).len(), 2);
    // The verdicts that read the RTP come back the same.
    let verdicts = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .expect("rows")
            .iter()
            .map(|r| r["verdict"]["word"].as_str().unwrap_or("").to_owned())
            .collect()
    };
    assert_eq!(
        verdicts(&json(path_str(&out), "--list", &[])),
        ["one-way-audio", "no-rtp"]
    );

    // Only the problem calls: still the RTP of the one that has it, not
    // the RTP of a call left out.
    let nat = dir.path().join("nat.pcap");
    let line = save("samples/rtp-nat.pcap", &nat, &["--problems"]);
    assert!(
        line.contains("saved 478 packets of 1 calls") && line.contains("(472 of them RTP"),
        "{line}"
    );
    let text = dir.path().join("g711.pcap");
    save("samples/rtp-g711-dtmf.pcap", &text, &["--filter", "rtp=0"]);
    let empty = json(path_str(&text), "--streams", &[]);
    assert_eq!(empty.as_array().map(Vec::len), Some(0));
}

#[test]
fn raw_ip_captures_save_too() {
    // LINKTYPE_RAW (101) is DLT_RAW (12) to libpcap: asking it for a
    // savefile of type 101 failed before.
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("raw.pcap");
    let line = save("samples/raw-ip.pcap", &out, &[]);
    assert!(line.contains("saved 4 packets of 2 calls"), "{line}");
    let back = json(path_str(&out), "--summary", &[]);
    assert_eq!(back["sip_messages"], 4);
    assert_eq!(back["calls"], 2);
    assert_eq!(
        call_ids(&json(path_str(&out), "--list", &[])),
        call_ids(&json("samples/raw-ip.pcap", "--list", &[]))
    );
}

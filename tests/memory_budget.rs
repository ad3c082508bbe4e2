//! The byte budget (`--max-memory`) and `-l` on files: a flood of big
//! messages stays within the budget live and from a file, what was left out
//! is counted and said, and `-R` keeps the newest calls.

use sipview::capture::{CaptureReader, CaptureSource};
use sipview::limit::ByteSize;
use sipview::load::{Limit, LimitHit, Pipeline};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

const BIG: usize = 60_000;

/// One INVITE of about `BIG` bytes (a padded header), call `n`.
fn big_invite(n: usize) -> Vec<u8> {
    let mut m = format!(
        "INVITE sip:bob@192.0.2.2 SIP/2.0\r\n\
         Via: SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bK-flood-{n}\r\n\
         From: <sip:alice@192.0.2.1>;tag=f{n}\r\n\
         To: <sip:bob@192.0.2.2>\r\n\
         Call-ID: flood-{n}@192.0.2.1\r\n\
         CSeq: 1 INVITE\r\n\
         X-Padding: "
    )
    .into_bytes();
    m.resize(BIG, b'p');
    m.extend_from_slice(b"\r\nContent-Length: 0\r\n\r\n");
    m
}

/// A raw-IPv4 pcap (linktype 101): the INVITEs on one TCP connection, a
/// message per segment, so every message is copied into the store's arena
/// as reassembled TCP bytes are.
fn flood_pcap(path: &Path, calls: usize) {
    let mut out = Vec::new();
    out.extend_from_slice(&0xa1b2_c3d4u32.to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&4u16.to_le_bytes());
    out.extend_from_slice(&[0; 8]);
    out.extend_from_slice(&65_535u32.to_le_bytes());
    out.extend_from_slice(&101u32.to_le_bytes());
    let mut seq: u32 = 1000;
    for n in 0..calls {
        let payload = big_invite(n);
        let total = 20 + 20 + payload.len();
        let mut p = Vec::with_capacity(total);
        p.extend_from_slice(&[
            0x45,
            0,
            (total >> 8) as u8,
            total as u8,
            0,
            0,
            0x40,
            0,
            64,
            6,
            0,
            0,
        ]);
        p.extend_from_slice(&[192, 0, 2, 1, 192, 0, 2, 2]);
        p.extend_from_slice(&40000u16.to_be_bytes());
        p.extend_from_slice(&5060u16.to_be_bytes());
        p.extend_from_slice(&seq.to_be_bytes());
        p.extend_from_slice(&1u32.to_be_bytes());
        p.extend_from_slice(&[0x50, 0x18, 0xff, 0xff, 0, 0, 0, 0]);
        p.extend_from_slice(&payload);
        seq = seq.wrapping_add(payload.len() as u32);
        out.extend_from_slice(&(n as u32 + 1).to_le_bytes());
        out.extend_from_slice(&0u32.to_le_bytes());
        out.extend_from_slice(&(p.len() as u32).to_le_bytes());
        out.extend_from_slice(&(p.len() as u32).to_le_bytes());
        out.extend_from_slice(&p);
    }
    let mut f = std::fs::File::create(path).expect("temp capture");
    f.write_all(&out).expect("temp capture written");
}

fn temp_capture(name: &str, calls: usize) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sipview-budget-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    flood_pcap(&path, calls);
    path
}

fn sipview(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_sipview"))
        .args(args)
        .output()
        .expect("sipview runs")
}

#[test]
fn sizes_read_as_people_write_them() {
    let b = |s: &str| s.parse::<ByteSize>().map(|b| b.0);
    assert_eq!(b("512M"), Ok(512 << 20));
    assert_eq!(b("2G"), Ok(2 << 30));
    assert_eq!(b("1.5g"), Ok(3 << 29));
    assert_eq!(b("64KiB"), Ok(64 << 10));
    assert_eq!(b("800000"), Ok(800_000));
    assert!(b("0").is_err());
    assert!(b("-1G").is_err());
    assert!(b("12Q").is_err());
    assert!(b("lots").is_err());
    assert_eq!(ByteSize(6 << 30).to_string(), "6G");
    assert_eq!(ByteSize(3 << 29).to_string(), "1.5G");
}

#[test]
fn a_flood_of_big_messages_stays_within_the_budget() {
    let path = temp_capture("flood.pcap", 400);
    let budget: u64 = 4 << 20;
    for rotate in [false, true] {
        let mut pipeline = Pipeline::new();
        pipeline.set_limit(Limit {
            bytes: budget,
            rotate,
            ..Limit::default()
        });
        let source = CaptureSource::open(&path).expect("flood opens");
        let reader = CaptureReader::new(&source).expect("flood reads");
        let mut most = 0u64;
        reader.read_all(|p| {
            pipeline.push(p);
            pipeline.enforce_limit();
            most = most.max(pipeline.memory_bytes());
        });
        // Checked before each packet: at most one message past it.
        assert!(
            most <= budget + BIG as u64 + 1024,
            "rotate {rotate}: {most} held"
        );
        let held = pipeline.store.messages().len();
        assert!(held < 400 && held > 20, "rotate {rotate}: {held} kept");
        let left = pipeline.left_out();
        assert_eq!(left.limit, Some(LimitHit::Bytes(budget)));
        let calls: Vec<String> = pipeline
            .store
            .calls()
            .iter()
            .map(|c| c.call_id_lossy())
            .collect();
        if rotate {
            assert!(left.calls_forgotten > 0 && left.packets_ignored == 0);
            assert_eq!(left.calls_forgotten as usize + calls.len(), 400);
            assert_eq!(
                calls.last().map(String::as_str),
                Some("flood-399@192.0.2.1")
            );
        } else {
            assert_eq!(left.packets_ignored as usize + held, 400);
            assert_eq!(calls.first().map(String::as_str), Some("flood-0@192.0.2.1"));
        }
    }
}

#[test]
fn files_honour_the_limits_and_say_what_was_left_out() {
    let path = temp_capture("flood-cli.pcap", 120);
    let file = path.to_str().expect("utf-8 temp path");

    // No limit given: a file is read whole.
    let whole = sipview(&["-I", file, "--summary", "--format", "json"]);
    assert!(whole.status.success());
    let s: serde_json::Value = serde_json::from_slice(&whole.stdout).expect("summary JSON");
    assert_eq!(s["calls"], 120);
    assert!(s["left_out"]["limit"].is_null(), "{s}");

    // -l on a file: the first 30 messages, the rest counted and said.
    let out = sipview(&["-I", file, "-l", "30", "--summary", "--format", "json"]);
    assert!(out.status.success());
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).expect("summary JSON");
    assert_eq!(s["sip_messages"], 30);
    assert_eq!(s["left_out"]["packets_ignored"], 90);
    assert_eq!(s["left_out"]["limit"]["messages"], 30);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("90 packets ignored after the message limit (-l 30) was reached"),
        "{err}"
    );

    // The byte budget with -R: the newest calls kept, the oldest counted.
    let out = sipview(&["-I", file, "--max-memory", "2M", "-R", "--list"]);
    assert!(out.status.success());
    let list = String::from_utf8_lossy(&out.stdout);
    assert!(list.contains("flood-119@192.0.2.1"), "{list}");
    assert!(!list.contains("flood-0@192.0.2.1"), "{list}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("oldest calls forgotten to stay under the memory budget (--max-memory 2M)"),
        "{err}"
    );

    // A bad size is a one-line error.
    let out = sipview(&["-I", file, "--max-memory", "lots", "--list"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is not a size"), "{err}");
}

#[test]
fn help_prints_the_default_budget() {
    let out = sipview(&["--help"]);
    let help = String::from_utf8_lossy(&out.stdout);
    let default = ByteSize(sipview::limit::default_memory_budget()).to_string();
    assert!(help.contains(&format!("[default: {default}]")), "{help}");
}

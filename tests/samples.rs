//! Every shipped sample: sipview's call and message counts equal the truth
//! (what the scripts put in the file), which equals tshark's counts except
//! where samples/README.md documents a tshark shortcoming.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples")
}

/// Rows of a TSV file with a header line, as column-name -> value maps.
fn tsv(name: &str) -> Vec<BTreeMap<String, String>> {
    let text = std::fs::read_to_string(samples().join(name)).expect("read tsv");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("header").split('\t').collect();
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            header
                .iter()
                .map(|h| h.to_string())
                .zip(l.split('\t').map(str::to_owned))
                .collect()
        })
        .collect()
}

fn num(row: &BTreeMap<String, String>, key: &str) -> u64 {
    row.get(key)
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("{key} in {row:?}"))
}

fn summary(file: &Path) -> serde_json::Value {
    let out = common::sipview_ok(&[
        "-I",
        file.to_str().unwrap_or_default(),
        "--summary",
        "--format",
        "json",
    ]);
    serde_json::from_str(&out).expect("summary json")
}

#[test]
fn every_sample_has_expected_counts_and_sipview_matches_them() {
    let expected = tsv("expected-counts.tsv");
    let listed: Vec<&str> = expected.iter().map(|r| r["file"].as_str()).collect();
    for entry in std::fs::read_dir(samples()).expect("samples dir") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        let capture = [".pcap", ".pcapng", ".pcap.gz"]
            .iter()
            .any(|e| name.ends_with(e));
        if capture && name != "not-a-capture.pcap" {
            assert!(
                listed.contains(&name.as_str()),
                "{name} has no row in expected-counts.tsv"
            );
        }
    }
    let mut failures = Vec::new();
    for row in &expected {
        let s = summary(&samples().join(&row["file"]));
        let got = (s["calls"].as_u64(), s["sip_messages"].as_u64());
        let want = (Some(num(row, "calls")), Some(num(row, "messages")));
        if got != want {
            failures.push(format!(
                "{}: sipview {:?}, expected {:?}",
                row["file"], got, want
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn expected_counts_equal_tshark_except_documented_cases() {
    let tshark: BTreeMap<String, (u64, u64)> = tsv("tshark-counts.tsv")
        .into_iter()
        .map(|r| (r["file"].clone(), (num(&r, "calls"), num(&r, "messages"))))
        .collect();
    let readme = std::fs::read_to_string(samples().join("README.md")).expect("README");
    let mut deviations = 0;
    for row in tsv("expected-counts.tsv") {
        let file = &row["file"];
        let t = tshark
            .get(file)
            .unwrap_or_else(|| panic!("{file} missing from tshark-counts.tsv"));
        if *t != (num(&row, "calls"), num(&row, "messages")) {
            deviations += 1;
            let note = row.get("note").map(String::as_str).unwrap_or("");
            assert!(
                note.contains("tshark"),
                "{file}: differs from tshark {t:?} without a note"
            );
            assert!(
                readme.contains(&format!("| {file} |")),
                "{file}: deviation not in samples/README.md"
            );
        }
    }
    // Where tshark 4.0 miscounts (out-of-order TCP matches once tshark is told
    // to reorder, and tcp-hostile-framing is where tshark gives up on a
    // connection); any new deviation needs a look.
    assert_eq!(
        deviations, 3,
        "tcp-keepalive, tcp-hostile-framing and sip-parser-stress differ from tshark"
    );
}

/// The committed tshark counts are what tshark says today (skipped only
/// where tshark is not installed; CI installs it).
#[test]
fn committed_tshark_counts_are_current() {
    let have_tshark = Command::new("tshark")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !have_tshark {
        assert!(std::env::var_os("CI").is_none(), "CI must install tshark");
        eprintln!("tshark not installed: skipping");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    for entry in std::fs::read_dir(samples()).expect("samples dir") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).expect("copy");
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/tshark-counts.sh");
    let out = Command::new("bash")
        .arg(script)
        .arg(dir.path())
        .env("COUNTS_ONLY", "1")
        .output()
        .expect("run tshark-counts.sh");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let fresh =
        std::fs::read_to_string(dir.path().join("tshark-counts.tsv")).expect("fresh counts");
    let committed =
        std::fs::read_to_string(samples().join("tshark-counts.tsv")).expect("committed counts");
    assert_eq!(fresh, committed);
}

#[test]
fn truncated_capture_is_read_up_to_the_damage() {
    let file = samples().join("truncated-udp-invite-mix.pcap");
    let out = Command::new(env!("CARGO_BIN_EXE_sipview"))
        .args(["-I", file.to_str().unwrap_or_default(), "--list"])
        .output()
        .expect("run");
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err.trim(),
        "sipview: warning: capture damaged: read stopped at byte 4428 after packet 10: record cut short (file truncated)"
    );
    let s = summary(&file);
    assert_eq!(s["packets"], 10);
    assert_eq!(s["truncated"]["offset"], 4428);
    assert_eq!(s["truncated"]["after_packet"], 10);
}

#[test]
fn what_is_not_decoded_is_accounted_by_reason() {
    let tunnels = summary(&samples().join("tunnels-mix.pcap"));
    assert_eq!(tunnels["calls"], 11);
    assert_eq!(tunnels["not_ip_packets"], 1, "the PPPoE discovery frame");
    assert_eq!(
        tunnels["unsupported_tunnel_packets"], 1,
        "PPTP's enhanced GRE"
    );
    let tls = summary(&samples().join("tls-5061.pcap"));
    assert_eq!(tls["calls"], 0);
    assert_eq!(tls["tls_segments"], 4, "no calls, and the reason: TLS");
    let vxlan = summary(&samples().join("vxlan-sipp.pcap"));
    assert_eq!(vxlan["calls"], 3);
    assert_eq!(vxlan["sip_messages"], 18);
    let framing = summary(&samples().join("tcp-hostile-framing.pcap"));
    assert_eq!(
        framing["stream_messages_cut"], 2,
        "the cut messages are counted"
    );
    let sctp = summary(&samples().join("sctp-sip.pcap"));
    assert_eq!(
        (sctp["calls"].as_u64(), sctp["sip_messages"].as_u64()),
        (Some(2), Some(9))
    );
    assert_eq!(
        sctp["sctp_data_chunks"], 11,
        "9 messages, the 200 OK in 3 fragments"
    );
    assert_eq!(sctp["sctp_fragments_dropped"], 0);
    let sctp_path = samples().join("sctp-sip.pcap");
    let sctp_path = sctp_path.to_str().expect("path");
    let flow = common::sipview_ok(&["-I", sctp_path, "--flow", "1"]);
    assert!(
        flow.contains("200 OK (SDP)"),
        "the fragmented 200 OK put together:\n{flow}"
    );
    let list = common::sipview_ok(&["-I", sctp_path, "--list", "--format", "csv"]);
    assert_eq!(list.matches(",SCTP,").count(), 2, "{list}");
    let explain = common::sipview_ok(&["-I", sctp_path, "--explain", "1"]);
    assert!(
        explain.contains("m=audio 49170 RTP/AVP 0 8 101"),
        "the body read back:\n{explain}"
    );
    // VXLAN on another port: nothing by default, and the summary says what
    // to give; with the option, the calls.
    let other = samples().join("vxlan-8472-sipp.pcap");
    let other = other.to_str().expect("path");
    let hidden = summary(Path::new(other));
    assert_eq!(
        (
            hidden["calls"].as_u64(),
            hidden["vxlan_other_port"].as_u64()
        ),
        (Some(0), Some(8472))
    );
    assert_eq!(
        hidden["vxlan_other_port_packets"], 26,
        "every frame but the 2 ARP ones"
    );
    let text = common::sipview_ok(&["-I", other, "--summary"]);
    assert!(text.contains("read it with --vxlan-port 8472"), "{text}");
    let out = common::sipview_ok(&[
        "-I",
        other,
        "--vxlan-port",
        "8472",
        "--summary",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).expect("summary json");
    assert_eq!(
        (v["calls"].as_u64(), v["sip_messages"].as_u64()),
        (Some(3), Some(18))
    );
    assert_eq!(v["vxlan_other_port_packets"], 0);
    let (code, _, err) = common::sipview_status(&["-I", other, "--vxlan-port", "0", "--list"]);
    assert_eq!(code, 1);
    assert!(err.contains("bad --vxlan-port"), "{err}");
}

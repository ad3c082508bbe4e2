//! `--streams` and the media diagnosis on the real rtp-*.pcap samples,
//! figures compared with what `tshark -q -z rtp,streams` says.

mod common;

use serde_json::Value;
use std::process::Command;

const RTP_SAMPLES: [&str; 3] = ["rtp-g711-dtmf.pcap", "rtp-one-way.pcap", "rtp-nat.pcap"];

fn path(file: &str) -> String {
    format!("{}/samples/{file}", env!("CARGO_MANIFEST_DIR"))
}

fn streams(file: &str) -> Vec<Value> {
    let out = common::sipview_ok(&["-I", &path(file), "--streams", "--format", "json"]);
    match serde_json::from_str(&out).expect("streams json") {
        Value::Array(rows) => rows,
        other => panic!("not an array: {other}"),
    }
}

/// One row of tshark's RTP stream table.
#[derive(Debug)]
struct TsharkStream {
    src: String,
    dst: String,
    ssrc: u32,
    packets: u64,
    /// Expected minus received, as RFC 3550 A.3 computes it: duplicates
    /// make it go down (negative on a stream with only duplicates).
    lost: i64,
    max_delta_ms: f64,
    mean_jitter_ms: f64,
    max_jitter_ms: f64,
}

/// `tshark -q -z rtp,streams`, parsed; `None` when tshark is missing.
fn tshark_streams(file: &str) -> Option<Vec<TsharkStream>> {
    let out = Command::new("tshark")
        .args(["-q", "-z", "rtp,streams", "-r", &path(file)])
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let rows = text
        .lines()
        .filter(|l| {
            l.split_whitespace()
                .next()
                .is_some_and(|w| w.contains('.') && w.parse::<f64>().is_ok())
        })
        .map(|l| {
            // start end src-ip src-port dst-ip dst-port ssrc payload... pkts
            // lost (pct) min-delta mean-delta max-delta min-jitter
            // mean-jitter max-jitter [X]
            let mut w: Vec<&str> = l.split_whitespace().collect();
            if w.last() == Some(&"X") {
                w.pop();
            }
            let n = w.len();
            let f = |i: usize| w[i].parse::<f64>().expect("number");
            TsharkStream {
                src: format!("{}:{}", w[2], w[3]),
                dst: format!("{}:{}", w[4], w[5]),
                ssrc: u32::from_str_radix(w[6].trim_start_matches("0x"), 16).expect("ssrc"),
                packets: w[n - 9].parse().expect("packets"),
                lost: w[n - 8].parse().expect("lost"),
                max_delta_ms: f(n - 4),
                mean_jitter_ms: f(n - 2),
                max_jitter_ms: f(n - 1),
            }
        })
        .collect();
    Some(rows)
}

fn have_tshark() -> bool {
    let ok = Command::new("tshark")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(std::env::var_os("CI").is_none(), "CI must install tshark");
        eprintln!("tshark not installed: skipping");
    }
    ok
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

#[test]
fn streams_packets_loss_and_jitter_match_tshark() {
    if !have_tshark() {
        return;
    }
    let mut compared = 0;
    for file in RTP_SAMPLES {
        let ours = streams(file);
        let theirs = tshark_streams(file).expect("tshark ran");
        assert_eq!(ours.len(), theirs.len(), "{file}: stream count");
        for t in &theirs {
            let ssrc = format!("0x{:08x}", t.ssrc);
            let o = ours
                .iter()
                .find(|o| o["src"] == t.src && o["dst"] == t.dst && o["ssrc"] == ssrc.as_str())
                .unwrap_or_else(|| panic!("{file}: no stream {t:?} in {ours:?}"));
            let what = format!("{file} {} -> {} {ssrc}", t.src, t.dst);
            assert_eq!(o["packets"].as_u64(), Some(t.packets), "{what}");
            // sipview counts duplicates apart and never reports negative
            // loss: tshark's figure is expected minus every packet received.
            let lost = num(&o["lost"]) as i64 - num(&o["duplicates"]) as i64;
            assert_eq!(lost, t.lost, "{what}");
            // tshark prints milliseconds with 3 decimals.
            assert!(
                (num(&o["max_delta_ms"]) - t.max_delta_ms).abs() < 0.0015,
                "{what}: max delta {} vs {}",
                o["max_delta_ms"],
                t.max_delta_ms
            );
            // Both follow RFC 3550 A.8 over arrival order with the payload's
            // clock rate; they differ only by rounding (tshark's output to
            // 3 decimals, both in double precision from µs timestamps), so
            // a few µs of tolerance. tshark computes no jitter for
            // telephone-events (it prints -1 / 0); neither does sipview,
            // since an event's timestamp is when the key went down.
            assert!(
                (num(&o["mean_jitter_ms"]) - t.mean_jitter_ms).abs() < 0.005,
                "{what}: mean jitter {} vs {}",
                o["mean_jitter_ms"],
                t.mean_jitter_ms
            );
            assert!(
                (num(&o["max_jitter_ms"]) - t.max_jitter_ms).abs() < 0.005,
                "{what}: max jitter {} vs {}",
                o["max_jitter_ms"],
                t.max_jitter_ms
            );
            compared += 1;
        }
    }
    assert_eq!(compared, 7);
}

#[test]
fn stream_json_fields_and_counts() {
    let rows = streams("rtp-g711-dtmf.pcap");
    assert_eq!(rows.len(), 3);
    for r in &rows {
        for key in [
            "src",
            "dst",
            "ssrc",
            "payload_type",
            "codec",
            "packets",
            "lost",
            "duplicates",
            "out_of_order",
            "max_delta_ms",
            "jitter_ms",
            "first",
            "last",
            "call_id",
            "dtmf",
        ] {
            assert!(r.get(key).is_some(), "{key} missing in {r}");
        }
        assert_eq!(r["call_id"], "rtp-g711-dtmf-1@sipview.test");
        assert_eq!(r["lost"], 0);
        assert_eq!(r["out_of_order"], 0);
    }
    let audio: Vec<&Value> = rows.iter().filter(|r| r["codec"] == "PCMA").collect();
    assert_eq!(audio.len(), 2);
    for a in audio {
        assert_eq!(a["payload_type"], 8);
        assert_eq!(a["packets"], 236);
        assert_eq!(a["ssrc"], "0xdee0ee8f");
        assert_eq!(a["dtmf"], "");
        // 30 ms packets on loopback: well under a millisecond of jitter.
        assert!(num(&a["jitter_ms"]) < 2.0, "{a}");
    }
}

#[test]
fn dtmf_digits_are_decoded_once_per_key() {
    for file in ["rtp-g711-dtmf.pcap", "rtp-one-way.pcap"] {
        let rows = streams(file);
        let events: Vec<&Value> = rows
            .iter()
            .filter(|r| r["codec"] == "telephone-event")
            .collect();
        assert_eq!(events.len(), 1, "{file}");
        let e = events[0];
        assert_eq!(e["ssrc"], "0x0e05384e");
        assert_eq!(e["payload_type"], 101);
        assert_eq!(e["packets"], 10);
        assert_eq!(e["event_packets"], 10);
        // The end packet comes three times with one sequence number.
        assert_eq!(e["duplicates"], 2);
        assert_eq!(e["dtmf"], "1", "{file}");
        let digits = e["dtmf_events"].as_array().expect("dtmf_events");
        assert_eq!(digits.len(), 1);
        assert_eq!(digits[0]["ended"], true);
        assert_eq!(digits[0]["time"], e["first"]);
    }
}

#[test]
fn streams_text_is_a_table() {
    let out = common::sipview_ok(&["-I", &path("rtp-g711-dtmf.pcap"), "--streams"]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "{out}");
    assert!(lines[0].starts_with("IDX  SOURCE"), "{out}");
    assert!(
        lines[3].contains("telephone-event") && lines[3].ends_with("DTMF 1"),
        "{out}"
    );
    // Aligned: the SSRC column starts at the same place on every line.
    let at = lines[0].find("SSRC").expect("SSRC heading");
    for l in &lines[1..] {
        assert!(l[at..].starts_with("0x"), "{out}");
    }
    // A capture without RTP: the heading only.
    let out = common::sipview_ok(&["-I", &path("udp-invite-mix.pcap"), "--streams"]);
    assert_eq!(out.lines().count(), 1, "{out}");
}

/// The rules of the call's diagnosis, from --explain.
fn rules(file: &str, call: &str) -> Vec<String> {
    let out = common::sipview_ok(&["-I", &path(file), "--explain", call, "--format", "json"]);
    let v: Value = serde_json::from_str(&out).expect("explain json");
    v["diagnosis"]
        .as_array()
        .expect("diagnosis")
        .iter()
        .map(|f| f["rule"].as_str().unwrap_or_default().to_owned())
        .collect()
}

const MEDIA_RULES: [&str; 5] = [
    "one-way-audio",
    "no-rtp",
    "rtp-address",
    "rtp-quality",
    "dtmf-unaccepted",
];

#[test]
fn one_way_audio_and_unaccepted_dtmf_are_found() {
    let r = rules("rtp-one-way.pcap", "rtp-one-way-1@sipview.test");
    // The most serious first: it is the call's verdict.
    assert_eq!(
        r.first().map(String::as_str),
        Some("one-way-audio"),
        "{r:?}"
    );
    assert!(r.contains(&"dtmf-unaccepted".to_owned()), "{r:?}");
    // The weaker offer/answer warning gives way to the events seen.
    assert!(!r.contains(&"dtmf".to_owned()), "{r:?}");
    let out = common::sipview_ok(&["-I", &path("rtp-one-way.pcap"), "--explain", "1"]);
    assert!(
        out.contains("RTP one way only: caller -> callee (236 packets), nothing from the callee"),
        "{out}"
    );
    assert!(out.contains("DTMF 1 sent as RTP events"), "{out}");
}

#[test]
fn a_silent_answered_call_has_no_rtp_when_the_capture_has_rtp() {
    let r = rules("rtp-one-way.pcap", "rtp-silent-1@sipview.test");
    assert!(r.contains(&"no-rtp".to_owned()), "{r:?}");
    assert!(!r.contains(&"one-way-audio".to_owned()), "{r:?}");
}

#[test]
fn rtp_from_an_address_the_sdp_did_not_announce() {
    let r = rules("rtp-nat.pcap", "1");
    assert_eq!(
        r.iter()
            .filter(|x| MEDIA_RULES.contains(&x.as_str()))
            .collect::<Vec<_>>(),
        ["rtp-address"],
        "{r:?}"
    );
    let out = common::sipview_ok(&["-I", &path("rtp-nat.pcap"), "--explain", "1"]);
    assert!(
        out.contains("RTP to 127.0.0.1:6158 comes from 127.0.0.1:6154, while the SDP announced 127.0.0.2:6154"),
        "{out}"
    );
}

#[test]
fn audio_both_ways_has_no_media_finding() {
    let r = rules("rtp-g711-dtmf.pcap", "1");
    assert!(
        !r.iter().any(|x| MEDIA_RULES.contains(&x.as_str())),
        "{r:?}"
    );
    assert_eq!(r, ["completed"]);
}

#[test]
fn sip_only_captures_get_no_media_findings() {
    // SDP everywhere, private media addresses, answered calls: but no RTP
    // in the file, so nothing can be said about media.
    for (file, calls) in [
        ("udp-invite-mix.pcap", 4),
        ("diag-nat.pcap", 1),
        ("diag-dtmf.pcap", 1),
        ("diag-codec.pcap", 2),
        ("tcp-invite-mix.pcap", 4),
    ] {
        for call in 1..=calls {
            let r = rules(file, &call.to_string());
            assert!(
                !r.iter().any(|x| MEDIA_RULES.contains(&x.as_str())),
                "{file} call {call}: {r:?}"
            );
        }
        let rows = streams(file);
        assert!(rows.is_empty(), "{file}: {rows:?}");
    }
}

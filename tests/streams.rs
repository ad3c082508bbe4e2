//! `--streams` and the media diagnosis on the real rtp-*.pcap samples,
//! figures compared with what `tshark -q -z rtp,streams` says.

mod common;

use serde_json::Value;
use std::process::Command;

const RTP_SAMPLES: [&str; 6] = [
    "rtp-g711-dtmf.pcap",
    "rtp-shared-port.pcap",
    "rtp-one-way.pcap",
    "rtp-nat.pcap",
    "rtp-rtcp.pcap",
    "rtp-rtcp-downstream.pcap",
];

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
    assert_eq!(compared, 17);
}

/// One report block of an SR or RR, as tshark decodes it.
#[derive(Debug, Clone, Copy)]
struct TsharkBlock {
    ssrc: u32,
    /// Out of 256.
    fraction: u8,
    cumulative: i32,
    /// Timestamp units.
    jitter: u32,
}

/// One compound RTCP packet, as tshark decodes it.
#[derive(Debug)]
struct TsharkRtcp {
    /// SSRC of the SR or RR that opens it.
    sender: u32,
    sender_reports: usize,
    receiver_reports: usize,
    blocks: Vec<TsharkBlock>,
}

fn hex32(s: &str) -> u32 {
    u32::from_str_radix(s.trim_start_matches("0x"), 16).unwrap_or_else(|_| panic!("hex {s}"))
}

/// Every RTCP packet of a capture in frame order, from tshark's fields
/// (`-E occurrence=a`: one frame per line, the values of a field that
/// occurs several times joined by commas); `None` when tshark is missing.
fn tshark_rtcp(file: &str) -> Option<Vec<TsharkRtcp>> {
    let out = Command::new("tshark")
        .args(["-n", "-r", &path(file), "-Y", "rtcp", "-T", "fields"])
        .args(["-E", "occurrence=a", "-E", "aggregator=,"])
        .args(["-e", "rtcp.pt", "-e", "rtcp.senderssrc", "-e", "rtcp.rc"])
        .args(["-e", "rtcp.ssrc.identifier", "-e", "rtcp.ssrc.fraction"])
        .args(["-e", "rtcp.ssrc.cum_nr", "-e", "rtcp.ssrc.jitter"])
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let list = |s: &str| -> Vec<String> {
        s.split(',')
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let packets = text
        .lines()
        .map(|l| {
            let f: Vec<Vec<String>> = l.split('\t').map(list).collect();
            let field = |i: usize| f.get(i).cloned().unwrap_or_default();
            let types = field(0);
            let count = |t: &str| types.iter().filter(|x| x.as_str() == t).count();
            // rtcp.ssrc.identifier also holds the SDES chunks' and the BYE's
            // SSRCs; the report blocks come first in a compound packet, one
            // per unit of the SR/RR reception report counts.
            let blocks: usize = field(2)
                .iter()
                .map(|n| n.parse::<usize>().expect("rc"))
                .sum();
            let (ids, fractions, lost, jitter) = (field(3), field(4), field(5), field(6));
            assert_eq!(
                (fractions.len(), lost.len(), jitter.len()),
                (blocks, blocks, blocks),
                "{file}: {l}"
            );
            TsharkRtcp {
                sender: hex32(field(1).first().expect("sender SSRC")),
                sender_reports: count("200"),
                receiver_reports: count("201"),
                blocks: (0..blocks)
                    .map(|i| TsharkBlock {
                        ssrc: hex32(&ids[i]),
                        fraction: fractions[i].parse().expect("fraction"),
                        cumulative: lost[i].parse().expect("cumulative lost"),
                        jitter: jitter[i].parse().expect("jitter"),
                    })
                    .collect(),
            }
        })
        .collect();
    Some(packets)
}

/// What sipview must say about one stream's RTCP, worked out from tshark's
/// decoding: SRs whose sender is the stream's SSRC, report blocks about it
/// and the last of them (loss in percent to one decimal, jitter in ms for
/// the 8000 Hz clock of the G.711 samples). `None` when RTCP says nothing
/// about the stream.
fn expected_rtcp(rtcp: &[TsharkRtcp], ssrc: u32) -> Option<(usize, usize, Option<TsharkBlock>)> {
    let sender_reports: usize = rtcp
        .iter()
        .filter(|p| p.sender == ssrc)
        .map(|p| p.sender_reports)
        .sum();
    let about: Vec<TsharkBlock> = rtcp
        .iter()
        .flat_map(|p| p.blocks.iter().copied())
        .filter(|b| b.ssrc == ssrc)
        .collect();
    (sender_reports + about.len() > 0).then(|| (sender_reports, about.len(), about.last().copied()))
}

#[test]
fn rtcp_reports_match_tshark() {
    if !have_tshark() {
        return;
    }
    let mut with_rtcp = 0;
    for file in RTP_SAMPLES {
        let rtcp = tshark_rtcp(file).expect("tshark ran");
        if file == "rtp-rtcp.pcap" {
            // Both kinds of report are in the comparison: 10 SRs, 1 RR.
            let srs: usize = rtcp.iter().map(|p| p.sender_reports).sum();
            let rrs: usize = rtcp.iter().map(|p| p.receiver_reports).sum();
            assert_eq!((rtcp.len(), srs, rrs), (11, 10, 1), "{rtcp:?}");
        }
        for o in streams(file) {
            let ssrc = hex32(o["ssrc"].as_str().expect("ssrc"));
            let what = format!("{file} {} -> {} {}", o["src"], o["dst"], o["ssrc"]);
            let Some((srs, blocks, last)) = expected_rtcp(&rtcp, ssrc) else {
                assert!(o["rtcp"].is_null(), "{what}: {}", o["rtcp"]);
                continue;
            };
            let r = &o["rtcp"];
            assert_eq!(r["sender_reports"].as_u64(), Some(srs as u64), "{what}");
            assert_eq!(
                r["receiver_reports"].as_u64(),
                Some(blocks as u64),
                "{what}"
            );
            let Some(last) = last else {
                for k in ["fraction_lost_percent", "cumulative_lost", "jitter_ms"] {
                    assert!(r[k].is_null(), "{what}: {k} without a block: {r}");
                }
                continue;
            };
            assert_eq!(o["codec"], "PCMU", "{what}: jitter below is for 8000 Hz");
            let percent = (f64::from(last.fraction) * 1000.0 / 256.0).round() / 10.0;
            assert_eq!(num(&r["fraction_lost_percent"]), percent, "{what}");
            assert_eq!(
                r["cumulative_lost"].as_i64(),
                Some(i64::from(last.cumulative)),
                "{what}"
            );
            let jitter_ms = f64::from(last.jitter) * 1000.0 / 8000.0;
            assert!(
                (num(&r["jitter_ms"]) - jitter_ms).abs() < 0.0005,
                "{what}: jitter {} ms vs {jitter_ms} ms ({} units)",
                r["jitter_ms"],
                last.jitter
            );
            with_rtcp += 1;
        }
    }
    // Only the rtp-rtcp*.pcap files have RTCP: both streams of each.
    assert_eq!(with_rtcp, 4);
}

/// The figures built into rtp-rtcp.pcap by scripts/make-rtcp-sample.py, so
/// that a change on either side (sipview or tshark) shows.
#[test]
fn rtcp_sample_has_the_figures_it_was_made_with() {
    let rows = streams("rtp-rtcp.pcap");
    assert_eq!(rows.len(), 2);
    let by_ssrc = |ssrc: &str| {
        rows.iter()
            .find(|r| r["ssrc"] == ssrc)
            .unwrap_or_else(|| panic!("no stream {ssrc} in {rows:?}"))
    };
    // The caller's stream: 250 sent, 5 lost on the way.
    let caller = by_ssrc("0xa11ce001");
    assert_eq!(caller["src"], "127.0.0.1:6160");
    assert_eq!(caller["dst"], "127.0.0.1:6164");
    assert_eq!(
        (&caller["packets"], &caller["expected"], &caller["lost"]),
        (&Value::from(245), &Value::from(250), &Value::from(5))
    );
    // 4 SRs, then SR + BYE when hanging up; the callee's 5 SRs and its
    // final RR each carry a block about it. The last block: the RR, 1 of
    // the 11 packets since the callee's previous report lost (25/256).
    let r = &caller["rtcp"];
    assert_eq!(
        (&r["sender_reports"], &r["receiver_reports"]),
        (&Value::from(5), &Value::from(6))
    );
    assert_eq!(r["fraction_lost_percent"], 9.8);
    assert_eq!(r["cumulative_lost"], 5);
    assert_eq!(r["jitter_ms"], 0.375, "3 units of 1/8000 s");
    // The callee's stream: all 250, sequence numbers through 65535 -> 0.
    let callee = by_ssrc("0xb0b0b002");
    assert_eq!(callee["src"], "127.0.0.1:6164");
    assert_eq!(
        (&callee["packets"], &callee["expected"], &callee["lost"]),
        (&Value::from(250), &Value::from(250), &Value::from(0))
    );
    let r = &callee["rtcp"];
    assert_eq!(
        (&r["sender_reports"], &r["receiver_reports"]),
        (&Value::from(5), &Value::from(5))
    );
    assert_eq!(r["fraction_lost_percent"], 0.0);
    assert_eq!(r["cumulative_lost"], 0);
    assert_eq!(r["jitter_ms"], 0.125, "1 unit");
    for r in &rows {
        assert_eq!(r["call_id"], "rtp-rtcp-1@sipview.test");
        assert_eq!(r["codec"], "PCMU");
    }
    let s: Value = serde_json::from_str(&common::sipview_ok(&[
        "-I",
        &path("rtp-rtcp.pcap"),
        "--summary",
        "--format",
        "json",
    ]))
    .expect("summary json");
    assert_eq!(s["rtcp_packets"], 11);
    assert_eq!(s["rtp_packets"], 495);
    // The ladder draws both streams, the loss on the caller's.
    let flow = common::sipview_ok(&["-I", &path("rtp-rtcp.pcap"), "--flow", "1"]);
    assert!(flow.contains("RTP PCMU 250 pkts"), "{flow}");
    assert!(flow.contains("RTP PCMU 245 pkts, 5 lost"), "{flow}");
    // 2 % loss and half a millisecond of jitter are no media finding.
    assert_eq!(rules("rtp-rtcp.pcap", "1"), ["completed"]);
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

const MEDIA_RULES: [&str; 6] = [
    "one-way-audio",
    "no-rtp",
    "rtp-address",
    "rtp-quality",
    "dtmf-unaccepted",
    "rtcp-loss",
];

#[test]
fn loss_after_the_capture_point_from_the_receivers_rtcp() {
    // The capture has all 250 of the callee's packets; the caller's
    // reports count 12 lost: they went missing past the capture point.
    let rows = streams("rtp-rtcp-downstream.pcap");
    let callee = rows
        .iter()
        .find(|r| r["ssrc"] == "0xb0b0b002")
        .expect("callee's stream");
    assert_eq!(
        (callee["packets"].as_u64(), callee["lost"].as_u64()),
        (Some(250), Some(0))
    );
    assert_eq!(callee["rtcp"]["cumulative_lost"], 12);
    assert_eq!(
        rules("rtp-rtcp-downstream.pcap", "1"),
        ["rtcp-loss", "completed"]
    );
    let out = common::sipview_ok(&["-I", &path("rtp-rtcp-downstream.pcap"), "--explain", "1"]);
    assert!(
        out.contains(
            "RTP lost after the capture point: 127.0.0.1:6164 -> 127.0.0.1:6160: \
             the receiver reports 12 lost, the capture saw 0 of 250 lost"
        ),
        "{out}"
    );
    // The caller's own loss happened before the capture and its receiver
    // reports no more than the capture saw (5): no finding for it.
    assert!(
        !out.contains("127.0.0.1:6160 -> 127.0.0.1:6164: the receiver"),
        "{out}"
    );
    let list = common::sipview_ok(&["-I", &path("rtp-rtcp-downstream.pcap"), "--list"]);
    assert!(list.contains("rtcp-loss?"), "{list}");
}

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

/// Two calls at once answered from one media port: every stream stays whole
/// with the call that announced both of its ends, the digits of each caller
/// with their own call, and neither call is blamed for the other's RTP.
#[test]
fn a_media_port_shared_by_two_calls_keeps_each_calls_streams() {
    let rows = streams("rtp-shared-port.pcap");
    let got: Vec<(String, String, u64, String, String)> = rows
        .iter()
        .map(|r| {
            (
                r["src"].as_str().unwrap_or_default().to_owned(),
                r["dst"].as_str().unwrap_or_default().to_owned(),
                r["packets"].as_u64().unwrap_or_default(),
                r["call_id"].as_str().unwrap_or_default().to_owned(),
                r["dtmf"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let row = |src: &str, dst: &str, n: u64, call: &str, dtmf: &str| {
        (
            format!("127.0.0.1:{src}"),
            format!("127.0.0.1:{dst}"),
            n,
            format!("rtp-shared-{call}-1@sipview.test"),
            dtmf.to_owned(),
        )
    };
    assert_eq!(
        got,
        [
            row("6162", "6166", 236, "a", ""),
            row("6166", "6162", 236, "a", ""),
            row("6162", "6170", 236, "b", ""),
            row("6170", "6162", 236, "b", ""),
            row("6166", "6162", 10, "a", "1"),
            row("6170", "6162", 10, "b", "1"),
        ]
    );
    assert!(rows
        .iter()
        .all(|r| r["shared_with"] == serde_json::json!([])));
    for call in ["1", "2"] {
        assert_eq!(
            rules("rtp-shared-port.pcap", call),
            ["completed"],
            "call {call}"
        );
    }
}

/// Direct media between two legs of a B2BUA: both legs announced both ends,
/// so each lists the two streams, draws them, and names the other as a
/// related leg.
#[test]
fn direct_media_streams_belong_to_both_legs() {
    let file = "diag-direct-media.pcap";
    let rows = streams(file);
    assert_eq!(rows.len(), 2, "{rows:?}");
    for r in &rows {
        let mut calls = vec![r["call_id"].as_str().unwrap_or_default().to_owned()];
        for c in r["shared_with"].as_array().expect("shared_with") {
            calls.push(c.as_str().unwrap_or_default().to_owned());
        }
        calls.sort();
        assert_eq!(calls, ["5a1e3c2d@10.2.0.1", "leg1@10.2.0.11"]);
        assert_eq!(r["packets"], 178);
    }
    for call in ["1", "2"] {
        let flow = common::sipview_ok(&["-I", &path(file), "--flow", call]);
        assert_eq!(
            flow.matches("RTP PCMU 178 pkts").count(),
            2,
            "call {call}:\n{flow}"
        );
    }
    let out = common::sipview_ok(&["-I", &path(file), "--list", "--format", "json"]);
    let list: Value = serde_json::from_str(&out).expect("list json");
    let related = |i: usize| list[i]["related"].clone();
    assert_eq!(related(0), serde_json::json!(["5a1e3c2d@10.2.0.1"]));
    assert_eq!(related(1), serde_json::json!(["leg1@10.2.0.11"]));
}

/// A re-INVITE from PCMU to Opus on one SSRC: the new payload type counts
/// its timestamps at 48 kHz from a base of its own. Read as one timeline
/// that is 6 seconds of "jitter", a MOS of 1 and a false rtp-quality
/// warning; it is two timelines of 20 ms packets.
#[test]
fn a_codec_change_on_one_ssrc_is_no_jitter() {
    let rows = streams("rtp-codec-reinvite.pcap");
    let caller = rows
        .iter()
        .find(|r| r["ssrc"] == "0x0711ca44")
        .expect("the caller's stream");
    assert_eq!(caller["packets"], 201);
    assert!(num(&caller["max_jitter_ms"]) < 5.0, "{caller}");
    let list = common::sipview_ok(&[
        "-I",
        &path("rtp-codec-reinvite.pcap"),
        "--list",
        "--format",
        "json",
    ]);
    let list: Value = serde_json::from_str(&list).expect("list json");
    assert_eq!(list[0]["verdict"]["word"], "completed", "{list}");
}

//! Audio export, MOS and DTMF in every mode, held against other tools:
//! the WAV sipview writes is compared sample for sample with the RTP
//! payload tshark extracts, decoded by sox; loss keeps the file's length;
//! the MOS of clean and lossy samples; INFO digits of a real capture.

mod common;

use common::{sipview_ok, sipview_status};
use std::path::{Path, PathBuf};
use std::process::Command;

fn sample(name: &str) -> String {
    format!("{}/samples/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn field(name: &str) -> Option<String> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/captures")
        .join(name);
    if p.exists() {
        Some(p.display().to_string())
    } else {
        println!("skipped: {} not here", p.display());
        None
    }
}

/// The samples of a mono or stereo 16-bit WAV, with its channel count.
fn read_wav(path: &Path) -> (u16, Vec<i16>) {
    let bytes = std::fs::read(path).expect("read wav");
    assert_eq!(&bytes[0..4], b"RIFF");
    assert_eq!(&bytes[8..16], b"WAVEfmt ");
    let channels = u16::from_le_bytes([bytes[22], bytes[23]]);
    assert_eq!(
        u32::from_le_bytes([bytes[24], bytes[25], bytes[26], bytes[27]]),
        8000
    );
    let data = u32::from_le_bytes([bytes[40], bytes[41], bytes[42], bytes[43]]) as usize;
    assert_eq!(bytes.len(), 44 + data);
    let samples = bytes[44..]
        .chunks_exact(2)
        .map(|c| i16::from_le_bytes([c[0], c[1]]))
        .collect();
    (channels, samples)
}

fn export(file: &str, args: &[&str], out: &Path) -> String {
    let out_s = out.display().to_string();
    let mut all = vec!["-I", file];
    all.extend_from_slice(args);
    all.extend_from_slice(&["-o", &out_s]);
    let (code, _, err) = sipview_status(&all);
    assert_eq!(code, 0, "{err}");
    err
}

/// What tshark and sox make of one stream: its samples placed by RTP
/// timestamp from the first packet (silence where nothing was sent).
fn reference(file: &str, filter: &str, law: &str) -> Vec<i16> {
    let out = Command::new("tshark")
        .args([
            "-n",
            "-r",
            file,
            "-d",
            "udp.port==6130,rtp",
            "-d",
            "udp.port==6134,rtp",
        ])
        .args([
            "-Y",
            filter,
            "-T",
            "fields",
            "-e",
            "rtp.timestamp",
            "-e",
            "rtp.payload",
        ])
        .output()
        .expect("tshark (apt-get install tshark)");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut packets: Vec<(i64, Vec<u8>)> = Vec::new();
    for line in text.lines() {
        let mut parts = line.split('\t');
        let ts: i64 = parts
            .next()
            .and_then(|t| t.parse().ok())
            .expect("timestamp");
        let hex: String = parts.next().unwrap_or("").replace(':', "");
        let bytes: Vec<u8> = (0..hex.len() / 2)
            .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).expect("hex"))
            .collect();
        packets.push((ts, bytes));
    }
    assert!(
        packets.len() > 100,
        "tshark found {} packets",
        packets.len()
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let raw = dir.path().join("in.raw");
    let pcm = dir.path().join("out.raw");
    let all: Vec<u8> = packets.iter().flat_map(|(_, b)| b.clone()).collect();
    std::fs::write(&raw, &all).expect("write raw");
    let status = Command::new("sox")
        .args(["-t", law, "-r", "8000", "-c", "1"])
        .arg(&raw)
        .args(["-t", "raw", "-e", "signed-integer", "-b", "16", "-L"])
        .arg(&pcm)
        .status()
        .expect("sox (apt-get install sox)");
    assert!(status.success());
    let decoded: Vec<i16> = std::fs::read(&pcm)
        .expect("read pcm")
        .chunks_exact(2)
        .map(|c| i16::from_le_bytes([c[0], c[1]]))
        .collect();
    assert_eq!(decoded.len(), all.len());
    let first = packets[0].0;
    let mut placed: Vec<i16> = Vec::new();
    let mut at = 0;
    for (ts, bytes) in &packets {
        let pos = (ts - first) as usize;
        if placed.len() < pos + bytes.len() {
            placed.resize(pos + bytes.len(), 0);
        }
        placed[pos..pos + bytes.len()].copy_from_slice(&decoded[at..at + bytes.len()]);
        at += bytes.len();
    }
    placed
}

const CALLEE_AUDIO: &str = "udp.srcport==6134 && udp.dstport==6130 && rtp.p_type==8";
const CALLER_AUDIO: &str = "udp.srcport==6130 && udp.dstport==6134 && rtp.p_type==8";

#[test]
fn one_stream_equals_tshark_payload_decoded_by_sox() {
    let file = sample("rtp-g711-dtmf.pcap");
    let dir = tempfile::tempdir().expect("temp dir");
    for (n, filter) in [("1", CALLEE_AUDIO), ("2", CALLER_AUDIO)] {
        let wav = dir.path().join(format!("s{n}.wav"));
        let said = export(&file, &["--audio", "1", "--stream", n], &wav);
        assert!(said.contains("mono"), "{said}");
        let (channels, got) = read_wav(&wav);
        assert_eq!(channels, 1);
        let want = reference(&file, filter, "al");
        assert_eq!(got.len(), want.len(), "stream {n}: length");
        let differ = got.iter().zip(&want).filter(|(a, b)| a != b).count();
        assert_eq!(differ, 0, "stream {n}: {differ} samples differ");
        // 236 packets of 30 ms (240 samples), no gap.
        assert_eq!(got.len(), 236 * 240);
    }
}

#[test]
fn the_call_is_stereo_caller_left_callee_right_on_one_timeline() {
    let file = sample("rtp-g711-dtmf.pcap");
    let dir = tempfile::tempdir().expect("temp dir");
    let wav = dir.path().join("call.wav");
    let said = export(&file, &["--audio", "1"], &wav);
    assert!(said.contains("stereo"), "{said}");
    let (channels, frames) = read_wav(&wav);
    assert_eq!(channels, 2);
    let left: Vec<i16> = frames.iter().step_by(2).copied().collect();
    let right: Vec<i16> = frames.iter().skip(1).step_by(2).copied().collect();
    // The caller (127.0.0.1:6130) sends stream 2, starting 4.7 ms after the
    // callee's: 37 or 38 samples later on the timeline.
    let caller = reference(&file, CALLER_AUDIO, "al");
    let callee = reference(&file, CALLEE_AUDIO, "al");
    let offset = left.iter().position(|&s| s != 0).expect("left has audio");
    assert!(
        (36..=39).contains(&offset),
        "caller's audio starts at {offset}"
    );
    assert_eq!(&left[offset..offset + caller.len()], &caller[..]);
    assert_eq!(&right[..callee.len()], &callee[..]);
}

#[test]
fn lost_packets_are_silence_and_the_length_stays() {
    let dir = tempfile::tempdir().expect("temp dir");
    let clean = dir.path().join("clean.wav");
    let lossy = dir.path().join("lossy.wav");
    export(
        &sample("rtp-g711-dtmf.pcap"),
        &["--audio", "1", "--stream", "1"],
        &clean,
    );
    export(
        &sample("rtp-g711-loss.pcap"),
        &["--audio", "1", "--stream", "1"],
        &lossy,
    );
    let (_, clean) = read_wav(&clean);
    let (_, lossy) = read_wav(&lossy);
    assert_eq!(clean.len(), lossy.len());
    // Every sample is the clean one, or silence where a packet was lost.
    let mut silenced = 0;
    for (a, b) in clean.iter().zip(&lossy) {
        if a != b {
            assert_eq!(*b, 0);
            silenced += 1;
        }
    }
    // 28 packets of 240 samples removed (A-law silence decodes to +-8, not 0).
    assert_eq!(silenced, 28 * 240);
}

#[test]
fn another_codec_is_named_and_nothing_is_written_for_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wav = dir.path().join("x.wav");
    let out_s = wav.display().to_string();
    let (code, _, err) = sipview_status(&[
        "-I",
        &sample("rtp-g711-dtmf.pcap"),
        "--audio",
        "1",
        "--stream",
        "99",
        "-o",
        &out_s,
    ]);
    assert_ne!(code, 0);
    assert!(err.contains("stream 99 is not one of"), "{err}");
    assert_eq!(err.lines().count(), 1);
}

fn stream_mos(file: &str) -> Vec<Option<f64>> {
    let json = sipview_ok(&["-I", file, "--streams", "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_str(&json).expect("json");
    rows.as_array()
        .expect("rows")
        .iter()
        .map(|r| r["quality"]["mos"].as_f64())
        .collect()
}

#[test]
fn mos_of_clean_and_lossy_streams() {
    let clean = stream_mos(&sample("rtp-g711-dtmf.pcap"));
    // Two G.711 streams without loss, the events stream unrated.
    assert!(
        clean[0].is_some_and(|m| (4.3..=4.45).contains(&m)),
        "{clean:?}"
    );
    assert!(
        clean[1].is_some_and(|m| (4.3..=4.45).contains(&m)),
        "{clean:?}"
    );
    assert_eq!(clean[2], None);
    let lossy = stream_mos(&sample("rtp-g711-loss.pcap"));
    assert!(
        lossy[0].is_some_and(|m| (2.9..=3.4).contains(&m)),
        "{lossy:?}"
    );
    assert!(lossy[1].is_some_and(|m| m > 4.3), "{lossy:?}");
    // The text table and the filter read the same numbers.
    let text = sipview_ok(&["-I", &sample("rtp-g711-loss.pcap"), "--streams"]);
    assert!(
        text.lines().next().is_some_and(|h| h.contains("MOS")),
        "{text}"
    );
    let low = sipview_ok(&["-I", &sample("rtp-g711-loss.pcap"), "--filter", "mos<3.6"]);
    assert_eq!(low.lines().count(), 2, "{low}");
    let none = sipview_ok(&["-I", &sample("rtp-g711-dtmf.pcap"), "--filter", "mos<3.6"]);
    assert_eq!(none.lines().count(), 1, "{none}");
}

#[test]
fn field_capture_mos_one_bad_direction() {
    let Some(file) = field("Asterisk_ZFONE_XLITE.pcap") else {
        return;
    };
    let mos = stream_mos(&file);
    // .40 -> .41 clean, .41 -> .40 lost 64 %: unusable.
    assert!(mos[0].is_some_and(|m| m > 4.3), "{mos:?}");
    assert!(mos[1].is_some_and(|m| m < 1.5), "{mos:?}");
    let explain = sipview_ok(&["-I", &file, "--explain", "5"]);
    assert!(
        explain.contains(
            "[PROBLEM] Low listening quality: 192.168.10.41:64508 -> 192.168.10.40:49848 MOS 1.00"
        ),
        "{explain}"
    );
    let clean = field("SIP_CALL_RTP_G711.pcap").expect("with the other");
    for m in stream_mos(&clean) {
        assert!(m.is_some_and(|m| m > 4.3), "{m:?}");
    }
}

#[test]
fn info_digits_of_a_real_capture_in_flow_explain_and_json() {
    let Some(file) = field("DTMFsipinfo.pcap") else {
        return;
    };
    let flow = sipview_ok(&["-I", &file, "--flow", "1"]);
    let digits: Vec<&str> = flow
        .lines()
        .filter_map(|l| l.split("INFO DTMF ").nth(1))
        .filter_map(|rest| rest.get(..1))
        .collect();
    assert_eq!(digits, ["1", "3", "4", "2"], "{flow}");
    assert!(flow.contains("INFO DTMF 1 (180 ms)"), "{flow}");
    let explain = sipview_ok(&["-I", &file, "--explain", "1"]);
    assert!(explain.contains("DTMF keys: 1342"), "{explain}");
    assert_eq!(
        // The call's DTMF list: one line per key, its mode named.
        explain
            .matches("180 ms  SIP INFO (application/dtmf-relay)")
            .count(),
        4,
        "{explain}"
    );
    assert!(explain.contains("DTMF key 3 sent as SIP INFO (application/dtmf-relay), held 180 ms"));
    let json = sipview_ok(&["-I", &file, "--explain", "1", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).expect("json");
    let keys: Vec<(String, String)> = v["dtmf"]
        .as_array()
        .expect("dtmf list")
        .iter()
        .map(|k| {
            (
                k["digit"].as_str().unwrap_or("").to_owned(),
                k["mode"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    let want: Vec<(String, String)> = ["1", "3", "4", "2"]
        .iter()
        .map(|d| (d.to_string(), "info".to_owned()))
        .collect();
    assert_eq!(keys, want);
    let flow_json = sipview_ok(&["-I", &file, "--flow", "1", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&flow_json).expect("json");
    let arrows: String = v["arrows"]
        .as_array()
        .expect("arrows")
        .iter()
        .filter_map(|a| a["dtmf"].as_str())
        .collect();
    assert_eq!(arrows, "1342");
}

fn rules(file: &str, call: &str) -> Vec<(String, String)> {
    let json = sipview_ok(&["-I", file, "--explain", call, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).expect("json");
    v["diagnosis"]
        .as_array()
        .expect("diagnosis")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or("").to_owned(),
                f["severity"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

#[test]
fn dtmf_mode_mismatch_findings_on_their_samples_only() {
    let info = rules(&sample("diag-dtmf-info.pcap"), "1");
    assert!(
        info.iter().any(|(r, _)| r == "dtmf-mode-mismatch"),
        "{info:?}"
    );
    let flow = sipview_ok(&["-I", &sample("diag-dtmf-info.pcap"), "--flow", "1"]);
    assert!(flow.contains("INFO DTMF 5 (160 ms)"), "{flow}");
    let none = rules(&sample("diag-dtmf-nopath.pcap"), "1");
    assert!(none.iter().any(|(r, _)| r == "dtmf-no-path"), "{none:?}");
    // Normal calls, RFC 4733 keys, an answer that dropped telephone-event
    // (its own rule), a codec mismatch: none of these two findings.
    for (file, call) in [
        ("rtp-g711-dtmf.pcap", "1"),
        ("rtp-one-way.pcap", "1"),
        ("diag-dtmf.pcap", "1"),
        ("diag-codec.pcap", "1"),
        ("diag-codec.pcap", "2"),
        ("udp-invite-mix.pcap", "1"),
    ] {
        let found = rules(&sample(file), call);
        assert!(
            !found
                .iter()
                .any(|(r, _)| r == "dtmf-mode-mismatch" || r == "dtmf-no-path" || r == "mos-low"),
            "{file} {call}: {found:?}"
        );
    }
}

#[test]
fn w_on_the_ladder_writes_the_wav_and_says_where() {
    let t =
        common::tmux::Tmux::start(&["-I", "samples/rtp-g711-dtmf.pcap", "--theme", "monochrome"]);
    t.wait_for("Calls 1/1");
    t.keys(&["Enter"]);
    t.wait_for("Call flow");
    t.keys(&["W"]);
    t.wait_for(
        "wrote 7.1 s of audio to rtp-g711-dtmf-call1.wav (left the caller, right the callee)",
    );
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("rtp-g711-dtmf-call1.wav");
    let (channels, frames) = read_wav(&path);
    let _ = std::fs::remove_file(&path);
    assert_eq!(channels, 2);
    assert!(frames.len() > 2 * 56_000, "{}", frames.len());
}

//! Audio export, MOS and DTMF in every mode, held against other tools:
//! the WAV sipview writes is compared sample for sample with the RTP
//! payload tshark extracts, decoded by sox; loss keeps the file's length;
//! G.722 and Opus calls (tones sent by a real SIP call on loopback) come
//! out at their rates with their tones, a call of two rates as one file;
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

/// A 16-bit WAV: its rate, channel count and interleaved samples.
fn read_wav_at(path: &Path) -> (u32, u16, Vec<i16>) {
    let bytes = std::fs::read(path).expect("read wav");
    assert_eq!(&bytes[0..4], b"RIFF");
    assert_eq!(&bytes[8..16], b"WAVEfmt ");
    let channels = u16::from_le_bytes([bytes[22], bytes[23]]);
    let rate = u32::from_le_bytes([bytes[24], bytes[25], bytes[26], bytes[27]]);
    let byte_rate = u32::from_le_bytes([bytes[28], bytes[29], bytes[30], bytes[31]]);
    assert_eq!(byte_rate, rate * 2 * u32::from(channels));
    let data = u32::from_le_bytes([bytes[40], bytes[41], bytes[42], bytes[43]]) as usize;
    assert_eq!(bytes.len(), 44 + data);
    let samples = bytes[44..]
        .chunks_exact(2)
        .map(|c| i16::from_le_bytes([c[0], c[1]]))
        .collect();
    (rate, channels, samples)
}

/// The samples of a mono or stereo 8 kHz WAV (G.711), with its channel
/// count.
fn read_wav(path: &Path) -> (u16, Vec<i16>) {
    let (rate, channels, samples) = read_wav_at(path);
    assert_eq!(rate, 8000);
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

// ------------------------------------------------------------ G.722, Opus

/// One channel of interleaved samples.
fn channel(samples: &[i16], channels: u16, ch: usize) -> Vec<i16> {
    samples
        .iter()
        .skip(ch)
        .step_by(usize::from(channels))
        .copied()
        .collect()
}

/// The DFT of `x` at `freq` Hz, as (cos, sin) sums (a phasor recurrence).
fn dft_at(x: &[i16], rate: u32, freq: f64) -> (f64, f64) {
    let w = 2.0 * std::f64::consts::PI * freq / f64::from(rate);
    let (step_c, step_s) = (w.cos(), w.sin());
    let (mut c, mut s) = (1.0f64, 0.0f64);
    let (mut re, mut im) = (0.0, 0.0);
    for (n, &v) in x.iter().enumerate() {
        re += f64::from(v) * c;
        im += f64::from(v) * s;
        (c, s) = (c * step_c - s * step_s, s * step_c + c * step_s);
        if n % 1024 == 1023 {
            // keep the phasor on the unit circle
            let r = (c * c + s * s).sqrt();
            (c, s) = (c / r, s / r);
        }
    }
    (re, im)
}

/// The strongest tone of `x` (Hz) and how much of `x` it is: the energy
/// of the best-fitting sine over that of the rest, in dB.
fn tone(x: &[i16], rate: u32) -> (f64, f64) {
    let power = |x: &[i16], f: f64| {
        let (a, b) = dft_at(x, rate, f);
        a * a + b * b
    };
    let head = &x[..x.len().min(rate as usize / 10)];
    let mut best = (0.0, 0.0);
    let mut f = 50.0;
    while f < f64::from(rate) / 2.0 - 50.0 {
        let p = power(head, f);
        if p > best.1 {
            best = (f, p);
        }
        f += 5.0;
    }
    let mut fine = (best.0, 0.0);
    let mut f = best.0 - 8.0;
    while f <= best.0 + 8.0 {
        let p = power(x, f);
        if p > fine.1 {
            fine = (f, p);
        }
        f += 0.05;
    }
    let freq = fine.0;
    let (a, b) = dft_at(x, rate, freq);
    let n = x.len() as f64;
    let w = 2.0 * std::f64::consts::PI * freq / f64::from(rate);
    let (mut fit, mut rest) = (0.0, 0.0);
    for (i, &v) in x.iter().enumerate() {
        let y = 2.0 / n * (a * (w * i as f64).cos() + b * (w * i as f64).sin());
        fit += y * y;
        rest += (f64::from(v) - y).powi(2);
    }
    (freq, 10.0 * (fit / rest.max(1.0)).log10())
}

/// `x[from..to]` (seconds) of a channel at `rate`.
fn span(x: &[i16], rate: u32, from: f64, to: f64) -> &[i16] {
    let at = |t: f64| ((t * f64::from(rate)) as usize).min(x.len());
    &x[at(from)..at(to)]
}

fn assert_tone(x: &[i16], rate: u32, want: f64, min_db: f64, what: &str) {
    let (f, db) = tone(x, rate);
    assert!(
        (f - want).abs() < 1.0 && db > min_db,
        "{what}: {f:.2} Hz at {db:.1} dB, want {want} Hz above {min_db} dB"
    );
}

fn rms(x: &[i16]) -> f64 {
    (x.iter().map(|&v| f64::from(v).powi(2)).sum::<f64>() / x.len().max(1) as f64).sqrt()
}

/// Where `part` sits in `whole`, and how far off each sample of it is at
/// worst (every `step`-th sample of `whole` from the offset on).
fn find(whole: &[i16], part: &[i16], step: usize, offsets: std::ops::Range<usize>) -> (usize, i32) {
    offsets
        .map(|off| {
            let worst = part
                .iter()
                .enumerate()
                .map(|(i, &p)| {
                    whole
                        .get(off + i * step)
                        .map_or(i32::MAX, |&w| (i32::from(w) - i32::from(p)).abs())
                })
                .max()
                .unwrap_or(0);
            (off, worst)
        })
        .min_by_key(|&(_, worst)| worst)
        .expect("an offset")
}

/// Capture times (s) of the RTP packets tshark finds with `filter`, RTP
/// being on `ports`.
fn rtp_times(file: &str, filter: &str, ports: &[u16]) -> Vec<f64> {
    let decode: Vec<String> = ports
        .iter()
        .flat_map(|p| ["-d".to_owned(), format!("udp.port=={p},rtp")])
        .collect();
    let out = Command::new("tshark")
        .args(["-n", "-r", file])
        .args(&decode)
        .args(["-Y", filter, "-T", "fields", "-e", "frame.time_epoch"])
        .output()
        .expect("tshark (apt-get install tshark)");
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.trim().parse().ok())
        .collect()
}

#[test]
fn g722_streams_are_16_khz_with_their_tones_and_placed_at_the_8_khz_clock() {
    let file = sample("rtp-g722.pcap");
    let dir = tempfile::tempdir().expect("temp dir");
    for (n, freq, min_db) in [("1", 1000.0, 40.0), ("2", 5000.0, 18.0)] {
        let wav = dir.path().join(format!("s{n}.wav"));
        let said = export(&file, &["--audio", "1", "--stream", n], &wav);
        assert!(said.contains("mono, 16000 Hz"), "{said}");
        let (rate, channels, got) = read_wav_at(&wav);
        assert_eq!((rate, channels), (16_000, 1));
        // 150 packets of 160 bytes, timestamps +160 at 8000 Hz: 20 ms each,
        // 320 samples at 16 kHz, no gap.
        assert_eq!(got.len(), 150 * 320, "stream {n}");
        assert_tone(
            span(&got, rate, 0.1, 2.9),
            rate,
            freq,
            min_db,
            &format!("stream {n}"),
        );
        // Every packet is there: no 20 ms of silence anywhere.
        for (i, chunk) in got.chunks(320).enumerate() {
            assert!(
                rms(chunk) > 5000.0,
                "stream {n}, packet {i}: {}",
                rms(chunk)
            );
        }
    }
    let wav = dir.path().join("call.wav");
    let said = export(&file, &["--audio", "1"], &wav);
    assert!(said.contains("16000 Hz"), "{said}");
    let (rate, channels, frames) = read_wav_at(&wav);
    assert_eq!((rate, channels), (16_000, 2));
    let left = channel(&frames, 2, 0);
    let right = channel(&frames, 2, 1);
    assert_tone(span(&left, rate, 0.1, 2.9), rate, 1000.0, 40.0, "caller");
    assert_tone(span(&right, rate, 0.1, 2.9), rate, 5000.0, 18.0, "callee");
}

#[test]
fn opus_streams_are_48_khz_with_their_tones_found_by_the_sdp_payload_type() {
    let file = sample("rtp-opus.pcap");
    // Payload type 107 is dynamic: only the SDP's rtpmap says Opus.
    let streams = sipview_ok(&["-I", &file, "--streams"]);
    assert_eq!(streams.matches(" 107  opus ").count(), 2, "{streams}");
    let dir = tempfile::tempdir().expect("temp dir");
    for (n, freq, min_db) in [("1", 1000.0, 30.0), ("2", 10_000.0, 8.0)] {
        let wav = dir.path().join(format!("s{n}.wav"));
        let said = export(&file, &["--audio", "1", "--stream", n], &wav);
        assert!(said.contains("mono, 48000 Hz"), "{said}");
        let (rate, channels, got) = read_wav_at(&wav);
        assert_eq!((rate, channels), (48_000, 1));
        // 151 packets of 20 ms (timestamps +960 at 48000 Hz).
        assert_eq!(got.len(), 151 * 960, "stream {n}");
        assert_tone(
            span(&got, rate, 0.05, 3.0),
            rate,
            freq,
            min_db,
            &format!("stream {n}"),
        );
    }
}

#[test]
fn opus_loss_is_concealed_and_corrupt_packets_are_skipped_and_counted() {
    let dir = tempfile::tempdir().expect("temp dir");
    let clean = dir.path().join("clean.wav");
    let lossy = dir.path().join("lossy.wav");
    export(
        &sample("rtp-opus.pcap"),
        &["--audio", "1", "--stream", "1"],
        &clean,
    );
    let said = export(
        &sample("rtp-opus-loss.pcap"),
        &["--audio", "1", "--stream", "1"],
        &lossy,
    );
    assert!(said.contains("2 corrupt packet(s) skipped"), "{said}");
    let (_, _, clean) = read_wav_at(&clean);
    let (rate, _, lossy) = read_wav_at(&lossy);
    assert_eq!(rate, 48_000);
    assert_eq!(clean.len(), lossy.len());
    let slot = |k: usize| k * 960..(k + 1) * 960;
    // Up to the first lost packet (the 15th) nothing differs.
    assert_eq!(&clean[..14 * 960], &lossy[..14 * 960]);
    // Lost (every 15th; the 76th to 78th after the 75th) and corrupt (the
    // 40th and 110th) packets, counted from 1.
    let lost: Vec<usize> = (1..=151)
        .filter(|n| n % 15 == 0 || (76..=78).contains(n))
        .collect();
    let single: Vec<usize> = lost
        .iter()
        .chain(&[40, 110])
        .copied()
        .filter(|n| !lost.contains(&(n - 1)) && !lost.contains(&(n + 1)))
        .collect();
    assert_eq!(single.len(), 11);
    for n in single {
        // Concealed with the tone from the next packet's FEC, not silence.
        let s = &lossy[slot(n - 1)];
        assert!(
            rms(s) > 0.5 * rms(&clean[slot(n - 1)]),
            "packet {n}: {}",
            rms(s)
        );
        assert_tone(s, rate, 1000.0, 20.0, &format!("packet {n}"));
    }
    // The burst of four (75 to 78): PLC goes on with the tone, then fades.
    assert!(rms(&lossy[slot(74)]) > 0.3 * rms(&clean[slot(74)]));
    assert!(rms(&lossy[slot(76)]) < 0.1 * rms(&clean[slot(76)]));
    // Far from any loss the audio is the clean one again.
    let (a, b) = (&clean[slot(95)], &lossy[slot(95)]);
    let err: Vec<i16> = a.iter().zip(b).map(|(x, y)| x - y).collect();
    assert!(rms(&err) < 0.02 * rms(a), "{}", rms(&err));
    // And the other direction, untouched, is the same sample for sample.
    let c2 = dir.path().join("c2.wav");
    let l2 = dir.path().join("l2.wav");
    export(
        &sample("rtp-opus.pcap"),
        &["--audio", "1", "--stream", "2"],
        &c2,
    );
    export(
        &sample("rtp-opus-loss.pcap"),
        &["--audio", "1", "--stream", "2"],
        &l2,
    );
    assert_eq!(read_wav_at(&c2), read_wav_at(&l2));
}

#[test]
fn g711_one_way_and_g722_the_other_make_one_16_khz_file_keeping_every_g711_sample() {
    let file = sample("rtp-codec-mix.pcap");
    let dir = tempfile::tempdir().expect("temp dir");
    let call = dir.path().join("call.wav");
    let said = export(&file, &["--audio", "1"], &call);
    assert!(
        said.contains("16000 Hz") && said.contains("stream(s) 1, 2"),
        "{said}"
    );
    let (rate, channels, frames) = read_wav_at(&call);
    assert_eq!((rate, channels), (16_000, 2));
    // 100 packets of 20 ms each way, the two starting within a few ms.
    assert!(
        (32_000..32_200).contains(&(frames.len() / 2)),
        "{}",
        frames.len() / 2
    );
    let left = channel(&frames, 2, 0);
    let right = channel(&frames, 2, 1);
    // The caller's PCMU alone is an 8 kHz file; in the call each of its
    // samples is every other one, unchanged, the ones between interpolated.
    let s1 = dir.path().join("s1.wav");
    assert!(export(&file, &["--audio", "1", "--stream", "1"], &s1).contains("8000 Hz"));
    let (_, pcmu) = read_wav(&s1);
    assert_eq!(pcmu.len(), 100 * 160);
    // Each stream starts at its first packet's capture time.
    let first = rtp_times(&file, "rtp", &[6196, 6200])[0];
    let at = |port: u16| {
        let t = rtp_times(&file, &format!("rtp && udp.srcport=={port}"), &[6196, 6200])[0];
        ((t - first) * 16_000.0) as usize
    };
    let (off, worst) = find(&left, &pcmu, 2, 0..200);
    assert!(worst <= 1, "PCMU in the call at {off}: off by {worst}");
    assert!(
        off.abs_diff(at(6196)) <= 1,
        "PCMU at {off}, its first packet at {}",
        at(6196)
    );
    assert_tone(
        span(&left, rate, 0.1, 1.9),
        rate,
        1000.0,
        30.0,
        "caller (PCMU)",
    );
    // Between the 8 kHz samples is the band-limited tone: nothing above
    // 4 kHz (G.711's band) worth hearing.
    let (f, _) = tone(span(&left, rate, 0.1, 1.9), rate);
    assert!((f - 1000.0).abs() < 1.0);
    let (hi_re, hi_im) = dft_at(span(&left, rate, 0.1, 1.9), rate, 7000.0);
    let (lo_re, lo_im) = dft_at(span(&left, rate, 0.1, 1.9), rate, 1000.0);
    let image_db =
        10.0 * ((hi_re * hi_re + hi_im * hi_im) / (lo_re * lo_re + lo_im * lo_im)).log10();
    assert!(
        image_db < -60.0,
        "the 7 kHz image of 1 kHz is at {image_db:.1} dB"
    );
    // The callee's G.722 is at its own rate already: the same samples.
    let s2 = dir.path().join("s2.wav");
    export(&file, &["--audio", "1", "--stream", "2"], &s2);
    let (_, _, g722) = read_wav_at(&s2);
    assert_eq!(g722.len(), 100 * 320);
    let (off, worst) = find(&right, &g722, 1, 0..200);
    assert_eq!(worst, 0, "G.722 in the call at {off}");
    assert!(
        off.abs_diff(at(6200)) <= 1,
        "G.722 at {off}, its first packet at {}",
        at(6200)
    );
    assert_tone(
        span(&right, rate, 0.1, 1.9),
        rate,
        5000.0,
        18.0,
        "callee (G.722)",
    );
}

#[test]
fn a_reinvite_from_pcmu_to_opus_is_one_48_khz_file_on_the_arrival_timeline() {
    let file = sample("rtp-codec-reinvite.pcap");
    let dir = tempfile::tempdir().expect("temp dir");
    let wav = dir.path().join("call.wav");
    let said = export(&file, &["--audio", "1"], &wav);
    // The callee's new SSRC follows its first one: both are written.
    assert!(
        said.contains("48000 Hz") && said.contains("stream(s) 1, 2, 3"),
        "{said}"
    );
    assert!(!said.contains("overlaps"), "{said}");
    let (rate, channels, frames) = read_wav_at(&wav);
    assert_eq!((rate, channels), (48_000, 2));
    let left = channel(&frames, 2, 0);
    let right = channel(&frames, 2, 1);
    // PCMU first (brought up from 8 kHz), then Opus, on each side.
    assert_tone(
        span(&left, rate, 0.1, 1.9),
        rate,
        1000.0,
        30.0,
        "caller, PCMU",
    );
    assert_tone(
        span(&right, rate, 0.1, 1.9),
        rate,
        2000.0,
        30.0,
        "callee, PCMU",
    );
    assert_tone(
        span(&left, rate, 2.3, 3.9),
        rate,
        3000.0,
        30.0,
        "caller, Opus",
    );
    assert_tone(
        span(&right, rate, 2.3, 3.9),
        rate,
        6000.0,
        30.0,
        "callee, Opus",
    );
    // Each phase starts where its first packet arrived (the caller's Opus
    // timestamps start from a new base on the same SSRC: placed by
    // arrival), with the re-INVITE's pause silent between.
    let ports = [6204, 6208];
    let first = rtp_times(&file, "rtp", &ports)[0];
    for (x, filter, what) in [
        (
            &left,
            "rtp && udp.srcport==6204 && rtp.p_type==107",
            "caller",
        ),
        (
            &right,
            "rtp && udp.srcport==6208 && rtp.p_type==107",
            "callee",
        ),
    ] {
        let opus = rtp_times(&file, filter, &ports);
        assert_eq!(opus.len(), 101, "{what}");
        let want = ((opus[0] - first) * 48_000.0) as usize;
        let pcmu = rtp_times(&file, &filter.replace("107", "0"), &ports);
        assert_eq!(pcmu.len(), 100, "{what}");
        let pcmu_end = ((pcmu[99] - first + 0.02) * 48_000.0) as usize;
        assert!(
            pcmu_end + 2400 < want,
            "{what}: a pause of {} samples",
            want - pcmu_end
        );
        let onset = (pcmu_end + 250..want + 4800)
            .find(|&i| x[i].abs() > 3000)
            .expect("onset");
        // Opus's first 6.5 ms are its encoder's look-ahead (312 samples).
        assert!(
            (want..want + 400).contains(&onset),
            "{what}: Opus from {onset}, its first packet at {want}"
        );
        assert!(
            x[pcmu_end + 250..want - 250].iter().all(|&v| v.abs() < 200),
            "{what}: not silent between the codecs"
        );
    }
}

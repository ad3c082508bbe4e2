//! Live capture on loopback with real sipp calls, checked against tcpdump
//! capturing the same traffic at the same time. Needs root (CI runs as
//! root), sipp and tcpdump (scripts/test.sh installs them).

mod common;

use common::tmux::Tmux;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::thread::sleep;
use std::time::Duration;

fn sipview() -> Command {
    Command::new(env!("CARGO_BIN_EXE_sipview"))
}

fn require_root() {
    // SAFETY: geteuid has no preconditions.
    let euid = unsafe { libc::geteuid() };
    assert_eq!(
        euid, 0,
        "live capture tests need root (CI runs them as root)"
    );
}

/// A port pair of its own per test, so tests may run in parallel.
fn ports(base: u16) -> (u16, u16) {
    (base, base + 1)
}

/// The BPF filter of a test's two sipp ports.
fn port_filter(uas: u16, uac: u16) -> String {
    format!("udp port {uas} or udp port {uac}")
}

/// sipview capturing on lo (ports `uas`, `uac`) with `args` while sipp
/// makes `calls` calls; its output once it stopped by itself.
fn capture_during_calls(args: &[&str], uas: u16, uac: u16, calls: u32) -> Output {
    let live = sipview()
        .args(["-i", "lo"])
        .args(args)
        .args(port_filter(uas, uac).split(' '))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sipview -i lo");
    sleep(Duration::from_millis(800));
    common::sipp_calls(uas, uas, uac, calls);
    wait(live)
}

fn wait(mut child: Child) -> Output {
    let _ = child.try_wait();
    child.wait_with_output().expect("wait")
}

fn tcpdump(filter: &str, out: &Path) -> Child {
    let child = Command::new("tcpdump")
        .args([
            "-i",
            "lo",
            "-n",
            "-U",
            "--immediate-mode",
            "-Z",
            "root",
            "-w",
        ])
        .arg(out)
        .arg(filter)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("tcpdump must be installed");
    sleep(Duration::from_millis(800));
    child
}

fn stop(child: &Child) {
    // SAFETY: kill with a pid we own.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGINT);
    }
}

fn json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "sipview failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

fn summary_of(file: &Path) -> serde_json::Value {
    let out = sipview()
        .arg("-I")
        .arg(file)
        .args(["--summary", "--format", "json"])
        .output()
        .expect("sipview -I");
    json(&out)
}

#[test]
fn live_capture_sees_what_tcpdump_sees() {
    require_root();
    let dir = tempfile::tempdir().expect("tempdir");
    let (uas, uac) = ports(6020);
    let filter = port_filter(uas, uac);
    let dump = dir.path().join("tcpdump.pcap");
    let saved = dir.path().join("sipview-O.pcap");
    let td = tcpdump(&filter, &dump);
    let saved_arg = saved.display().to_string();
    let out = capture_during_calls(
        &[
            "--stop-after",
            "8",
            "--list",
            "--format",
            "json",
            "-O",
            &saved_arg,
        ],
        uas,
        uac,
        5,
    );
    stop(&td);
    let _ = wait(td);

    let rows = json(&out);
    let rows = rows.as_array().expect("rows");
    assert_eq!(rows.len(), 5, "five calls: {rows:?}");
    let live_messages: u64 = rows
        .iter()
        .map(|r| r["messages"].as_u64().unwrap_or(0))
        .sum();
    assert!(rows.iter().all(|r| r["state"] == "completed"), "{rows:?}");

    // The same numbers from what tcpdump wrote at the same time.
    let from_tcpdump = summary_of(&dump);
    assert_eq!(from_tcpdump["calls"], 5, "{from_tcpdump}");
    assert_eq!(
        from_tcpdump["sip_messages"].as_u64(),
        Some(live_messages),
        "{from_tcpdump}"
    );

    // -O wrote every packet as it came: read back, same counts.
    let from_o = summary_of(&saved);
    assert_eq!(from_o["calls"], 5, "{from_o}");
    assert_eq!(from_o["sip_messages"].as_u64(), Some(live_messages));

    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("kernel dropped 0"), "{err}");
    assert!(
        err.contains(&format!("{live_messages} SIP messages, 5 calls")),
        "{err}"
    );
}

#[test]
fn headless_lines_and_the_message_limit() {
    require_root();
    let (uas, uac) = ports(6030);
    let out = capture_during_calls(
        &["-N", "--stop-after", "6", "-l", "8", "--format", "json"],
        uas,
        uac,
        3,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    // -N --format json: one JSON object per kept message, as it was seen.
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    assert_eq!(lines.len(), 8, "the limit keeps 8 messages: {text}");
    assert_eq!(lines[0]["method"], "INVITE");
    assert_eq!(lines[0]["src"], format!("127.0.0.1:{uac}"));
    assert_eq!(lines[0]["dst"], format!("127.0.0.1:{uas}"));
    assert_eq!(lines[1]["code"], 180);
    assert_eq!(lines[0]["call_id"], lines[1]["call_id"]);
    let err = String::from_utf8_lossy(&out.stderr);
    // 3 calls x 6 messages: the 10 after the limit are ignored and counted.
    assert!(err.contains("10 ignored at the limit"), "{err}");
}

#[test]
fn rotation_keeps_the_newest_calls() {
    require_root();
    let (uas, uac) = ports(6040);
    let out = capture_during_calls(
        &[
            "--stop-after",
            "7",
            "-l",
            "12",
            "-R",
            "--list",
            "--format",
            "json",
        ],
        uas,
        uac,
        6,
    );
    let rows = json(&out);
    let rows = rows.as_array().expect("rows");
    let msgs: u64 = rows
        .iter()
        .map(|r| r["messages"].as_u64().unwrap_or(0))
        .sum();
    assert!(msgs <= 12, "{rows:?}");
    // The last call is always kept.
    let last = rows
        .last()
        .and_then(|r| r["call_id"].as_str())
        .unwrap_or("");
    assert!(last.starts_with("6-"), "{rows:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains(" 0 calls rotated out"), "{err}");
}

#[test]
fn bad_filter_missing_device_and_no_permission() {
    let out = sipview()
        .args(["-i", "lo", "--list", "port", "50x60"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("sipview: bad capture filter \"port 50x60\""),
        "{err}"
    );

    let out = sipview()
        .args(["-i", "nosuchdev0", "--list"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "sipview: no capture device named \"nosuchdev0\" (see `ip link`; `any` captures on all)\n"
    );

    // The same filter on a file.
    let out = sipview()
        .args([
            "-I",
            "samples/udp-invite-mix.pcap",
            "--list",
            "--format",
            "json",
            "port",
            "5063",
        ])
        .output()
        .expect("run");
    assert_eq!(json(&out).as_array().map(Vec::len), Some(4));
    let out = sipview()
        .args([
            "-I",
            "samples/udp-invite-mix.pcap",
            "--summary",
            "--format",
            "json",
            "tcp",
        ])
        .output()
        .expect("run");
    assert_eq!(json(&out)["sip_messages"], 0);

    // Without the capability: a copy of the binary run as `nobody`.
    require_root();
    let dir = tempfile::tempdir().expect("tempdir");
    let copy = dir.path().join("sipview");
    std::fs::copy(env!("CARGO_BIN_EXE_sipview"), &copy).expect("copy");
    // The temp dir must be reachable for nobody.
    Command::new("chmod")
        .arg("755")
        .arg(dir.path())
        .status()
        .expect("chmod");
    let out = Command::new("runuser")
        .args(["-u", "nobody", "--"])
        .arg(&copy)
        .args(["-i", "lo", "--list"])
        .output()
        .expect("runuser");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("sipview: no permission to capture on lo: run as root"),
        "{err}"
    );
    assert!(
        err.contains("setcap cap_net_raw,cap_net_admin=eip"),
        "{err}"
    );
}

#[test]
fn the_screens_follow_a_live_capture() {
    require_root();
    let (uas, uac) = ports(6050);
    let filter = port_filter(uas, uac);
    let mut args = vec!["-i", "lo", "--theme", "monochrome"];
    args.extend(filter.split(' '));
    let t = Tmux::start(&args);
    t.wait_for("capturing on lo");
    common::sipp_calls(uas, uas, uac, 2);
    let s = t.wait_for("calls 2 shown 2 | messages 12");
    assert!(s.contains("COMPLETED"), "{s}");
    // Pause the display: new calls are captured but not shown.
    t.keys(&["p"]);
    t.wait_for("PAUSED");
    common::sipp_calls(uas, uas, uac, 1);
    sleep(Duration::from_millis(500));
    assert!(t.screen().contains("Calls 2/2"), "{}", t.screen());
    t.keys(&["p"]);
    t.wait_for("calls 3 shown 3");
    // Quitting a live capture asks first.
    t.keys(&["q"]);
    t.wait_for("quit and stop capturing?");
    t.keys(&["y"]);
    let start = std::time::Instant::now();
    while t.alive() && start.elapsed() < Duration::from_secs(5) {
        sleep(Duration::from_millis(50));
    }
    assert!(!t.alive(), "sipview did not quit");
}

/// One sipp call with media (scripts/sipp/rtp-uac.xml and rtp-uas.xml, the
/// scenarios of samples/rtp-g711-dtmf.pcap): SIP on `sip`/`sip + 1`, RTP
/// on `media` (caller) and `media + 4` (callee).
fn sipp_media_call(sip: u16, media: u16) {
    let scen = format!("{}/scripts/sipp", env!("CARGO_MANIFEST_DIR"));
    let common = ["-t", "u1", "-i", "127.0.0.1", "-mi", "127.0.0.1", "-m", "1"];
    let common_tail = ["-nd", "-nostdin", "-timeout", "30s"];
    let uas = Command::new("timeout")
        .args(["40", "sipp", "-sf", &format!("{scen}/rtp-uas.xml")])
        .args(common)
        .args(common_tail)
        .args(["-p", &sip.to_string(), "-mp", &(media + 4).to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("sipp must be installed (apt-get install sip-tester)");
    sleep(Duration::from_millis(500));
    let status = Command::new("timeout")
        .args(["40", "sipp", &format!("127.0.0.1:{sip}")])
        .args(["-sf", &format!("{scen}/rtp-uac.xml")])
        .args(common)
        .args(common_tail)
        .args(["-p", &(sip + 1).to_string(), "-mp", &media.to_string()])
        .args(["-s", "bob", "-cid_str", "live-rtp-%u@sipview.test"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("run sipp uac");
    assert!(status.success(), "sipp uac with media failed");
    let _ = wait(uas);
}

fn streams_of(file: &Path) -> serde_json::Value {
    let out = sipview()
        .arg("-I")
        .arg(file)
        .args(["--streams", "--format", "json"])
        .output()
        .expect("sipview -I --streams");
    json(&out)
}

/// (src, dst, ssrc, codec, packets, lost, dtmf) of each stream.
fn stream_figures(
    v: &serde_json::Value,
) -> Vec<(String, String, String, String, u64, u64, String)> {
    let text = |s: &serde_json::Value, k: &str| s[k].as_str().unwrap_or("").to_owned();
    v.as_array()
        .expect("streams")
        .iter()
        .map(|s| {
            (
                text(s, "src"),
                text(s, "dst"),
                text(s, "ssrc"),
                text(s, "codec"),
                s["packets"].as_u64().unwrap_or(0),
                s["lost"].as_u64().unwrap_or(0),
                text(s, "dtmf"),
            )
        })
        .collect()
}

#[test]
fn rtp_is_followed_live() {
    require_root();
    let dir = tempfile::tempdir().expect("tempdir");
    let (sip, media) = (6060, 6064);
    let filter = format!(
        "udp portrange {sip}-{} or udp portrange {media}-{}",
        sip + 1,
        media + 5
    );
    let dump = dir.path().join("tcpdump.pcap");
    let td = tcpdump(&filter, &dump);
    let live = sipview()
        .args([
            "-i",
            "lo",
            "--stop-after",
            "16",
            "--streams",
            "--format",
            "json",
        ])
        .args(filter.split(' '))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sipview -i lo");
    sleep(Duration::from_millis(800));
    sipp_media_call(sip, media);
    let out = wait(live);
    stop(&td);
    let _ = wait(td);

    // The call's three streams, as the sample of the same scenarios has
    // them: A-law both ways (236 packets each) and the key 1 as events.
    let live_streams = stream_figures(&json(&out));
    assert_eq!(live_streams.len(), 3, "{live_streams:?}");
    let packets: u64 = live_streams.iter().map(|s| s.4).sum();
    assert_eq!(packets, 482, "{live_streams:?}");
    assert!(
        live_streams
            .iter()
            .any(|s| s.3 == "telephone-event" && s.6 == "1"),
        "{live_streams:?}"
    );
    assert!(live_streams.iter().all(|s| s.5 == 0), "{live_streams:?}");
    // Stream for stream what reading tcpdump's file gives.
    assert_eq!(live_streams, stream_figures(&streams_of(&dump)));
}

#[test]
fn every_message_gets_its_line_while_calls_rotate_out() {
    require_root();
    let (uas, uac) = ports(6080);
    // 12 messages at most: calls rotate out while their last messages may
    // not have been printed yet; each still gets its line, once.
    let out = capture_during_calls(&["--stop-after", "7", "-N", "-l", "12", "-R"], uas, uac, 6);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    // INVITE, 180, 200, ACK, BYE, 200 for each of the 6 calls.
    assert_eq!(lines.len(), 36, "{text}");
    for n in 1..=6 {
        let of_call = lines
            .iter()
            .filter(|l| l.contains(&format!("  {n}-")))
            .count();
        assert_eq!(of_call, 6, "call {n}:\n{text}");
    }
    let mut sorted = lines.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), 36, "a line came out twice:\n{text}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains(" 0 calls rotated out"), "{err}");
}

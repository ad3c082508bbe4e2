//! A real HEP peer: Kamailio (Debian package) proxies sipp calls on
//! loopback and mirrors every message with its siptrace module, as HEP v3
//! and as HEP v2, to sipview -L. Needs kamailio and sipp (scripts/test.sh
//! installs them).

mod common;

use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::Duration;

const CONFIG: &str = "tests/kamailio/siptrace.cfg";

/// Kamailio in the foreground, bounded by `timeout` in case the test dies.
fn kamailio(proxy: u16, hep: &str, uas: u16, version: u8) -> Child {
    let child = Command::new("timeout")
        .args(["40", "kamailio", "-DD", "-E", "-f", CONFIG])
        .args([
            "-l",
            &format!("udp:127.0.0.1:{proxy}"),
            "-m",
            "32",
            "-M",
            "4",
        ])
        .args(["-A", &format!("HEP_URI=\"sip:{hep}\"")])
        .args(["-A", &format!("UAS_URI=\"sip:127.0.0.1:{uas}\"")])
        .args(["-A", &format!("HEP_VERSION={version}")])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kamailio must be installed (apt-get install kamailio)");
    sleep(Duration::from_millis(1500));
    child
}

fn stop(child: &Child) {
    // SAFETY: kill with the pid of a child we started (`timeout`, which
    // passes the signal on to kamailio).
    unsafe {
        libc::kill(child.id() as i32, libc::SIGTERM);
    }
}

/// Three calls through Kamailio; sipview must see each whole, both legs.
fn calls_through_kamailio(version: u8, base: u16) {
    let (proxy, uac, uas) = (base, base + 1, base + 2);
    let (sipview, hep, stderr) =
        common::sipview_listening(&["--stop-after", "8", "--list", "--format", "json"]);
    let kam = kamailio(proxy, &hep, uas, version);
    common::sipp_calls(proxy, uas, uac, 3);
    let out = sipview.wait_with_output().expect("sipview");
    stop(&kam);
    let kam_log = kam
        .wait_with_output()
        .map(|o| String::from_utf8_lossy(&o.stderr).into_owned())
        .unwrap_or_default();
    let err = stderr.join().expect("stderr");
    assert!(out.status.success(), "sipview: {err}");
    assert!(err.contains(" 0 not HEP or damaged"), "{err}");

    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let rows = rows.as_array().expect("rows");
    assert_eq!(
        rows.len(),
        3,
        "three calls: {rows:?}\nsipview: {err}\nkamailio: {kam_log}"
    );
    for row in rows {
        let id = row["call_id"].as_str().unwrap_or("");
        assert!(id.ends_with("@127.0.0.1"), "{row}");
        assert_eq!(row["state"], "completed", "{row}");
        assert_eq!(row["transport"], "UDP", "{row}");
        // The uac's INVITE as it reached the proxy, the original addresses.
        assert_eq!(row["src"], format!("127.0.0.1:{uac}"), "{row}");
        assert_eq!(row["dst"], format!("127.0.0.1:{proxy}"), "{row}");
        // Each transaction in and out of the proxy: INVITE, 180, 200 and
        // BYE, 200 on both legs, and the ACK as it arrived (11). Kamailio's
        // own 100 Trying is usually traced too, but not always for the
        // first call a fresh child handles (seen once in CI), so it is not
        // counted on.
        assert!(row["messages"].as_u64() >= Some(11), "{row}");
    }
}

#[test]
fn kamailio_siptrace_hep3_to_sipview() {
    calls_through_kamailio(3, 6120);
}

#[test]
fn kamailio_siptrace_hep2_to_sipview() {
    calls_through_kamailio(2, 6130);
}

//! HEP end to end with real processes: sipview -H into sipview -L on
//! loopback, hand-built HEP v2/v3 datagrams into sipview -L, and arbitrary
//! bytes into the HEP decoder.

mod common;

use proptest::prelude::*;
use sipview::capture::Timestamp;
use sipview::hep::{self, HepPacket, IPPROTO_TCP, IPPROTO_UDP, PROTO_TYPE_SIP};
use sipview::load::Pipeline;
use std::net::{SocketAddr, UdpSocket};
use std::os::unix::fs::PermissionsExt;
use std::process::{Child, Command, Output};
use std::thread::JoinHandle;

const SAMPLE: &str = "samples/udp-invite-mix.pcap";

fn sipview() -> Command {
    Command::new(env!("CARGO_BIN_EXE_sipview"))
}

/// A running `sipview -L udp:127.0.0.1:0 ARGS`, with the port it bound.
struct Receiver {
    child: Child,
    addr: SocketAddr,
    stderr: JoinHandle<String>,
}

impl Receiver {
    fn start(args: &[&str]) -> Receiver {
        let (child, addr, stderr) = common::sipview_listening(args);
        Receiver {
            child,
            addr: addr.parse().expect("address"),
            stderr,
        }
    }

    fn finish(self) -> (Output, String) {
        let out = self.child.wait_with_output().expect("wait");
        let err = self.stderr.join().expect("stderr thread");
        assert!(out.status.success(), "sipview -L failed: {err}");
        (out, err)
    }
}

fn json(bytes: &[u8]) -> serde_json::Value {
    serde_json::from_slice(bytes).expect("json")
}

/// `sipview -I FILE --list --format json`.
fn list_of(file: &str) -> serde_json::Value {
    let out = sipview()
        .args(["-I", file, "--list", "--format", "json"])
        .output()
        .expect("sipview -I");
    json(&out.stdout)
}

/// The rows are the calls of `want`, to the microsecond.
fn assert_same_calls(rows: &[serde_json::Value], want: &serde_json::Value) {
    let want = want.as_array().expect("rows");
    assert_eq!(rows.len(), want.len());
    for (got, want) in rows.iter().zip(want) {
        for key in [
            "call_id",
            "src",
            "dst",
            "transport",
            "start",
            "last",
            "messages",
            "state",
        ] {
            assert_eq!(got[key], want[key], "{key} of {}", want["call_id"]);
        }
    }
}

#[test]
fn sipview_sends_hep_to_sipview() {
    let receiver = Receiver::start(&["--stop-after", "4", "--list", "--format", "json"]);
    let to = format!("udp:{}", receiver.addr);
    let sent = sipview()
        .args(["-I", SAMPLE, "-H", &to, "--summary", "--hep-id", "77"])
        .args(["--hep-password", "secret"])
        .output()
        .expect("sipview -H");
    assert!(
        sent.status.success(),
        "{}",
        String::from_utf8_lossy(&sent.stderr)
    );
    let summary = String::from_utf8_lossy(&sent.stdout);
    assert!(summary.contains("sip messages       28"), "{summary}");
    let sent_err = String::from_utf8_lossy(&sent.stderr);
    assert!(
        sent_err.contains(&format!("HEP sent to {to}: 28 SIP messages, 0 failed")),
        "{sent_err}"
    );

    let (out, err) = receiver.finish();
    assert!(
        err.contains("HEP received: 28 datagrams, 28 SIP, 0 of other types skipped, 0 not HEP"),
        "{err}"
    );
    let received = json(&out.stdout);
    let rows = received.as_array().expect("rows");
    assert_eq!(rows.len(), 4, "{received}");
    let messages: u64 = rows.iter().filter_map(|r| r["messages"].as_u64()).sum();
    assert_eq!(messages, 28);

    // Row for row what reading the file gives: Call-IDs, addresses,
    // transport, start and end times to the microsecond, states.
    let direct = list_of(SAMPLE);
    assert_same_calls(rows, &direct);
    assert_eq!(received, direct);
}

fn v3(src: &str, dst: &str, proto: u8, proto_type: u8, payload: &[u8]) -> Vec<u8> {
    let p = HepPacket {
        version: 3,
        ip_proto: proto,
        src: src.parse().expect("addr"),
        dst: dst.parse().expect("addr"),
        ts: Some(Timestamp::from_secs_micros(1_795_000_000, 250_000)),
        proto_type: Some(proto_type),
        capture_id: Some(1),
        auth_key: None,
        correlation_id: None,
        payload,
    };
    let mut out = Vec::new();
    hep::encode_v3(&p, &mut out).expect("encode");
    out
}

/// HEP v2 (IPv4) as Kamailio builds it: time header in host order.
fn v2(src: [u8; 4], sport: u16, dst: [u8; 4], dport: u16, payload: &[u8]) -> Vec<u8> {
    let mut b = vec![2, 16, 2, IPPROTO_UDP];
    b.extend_from_slice(&sport.to_be_bytes());
    b.extend_from_slice(&dport.to_be_bytes());
    b.extend_from_slice(&src);
    b.extend_from_slice(&dst);
    b.extend_from_slice(&1_795_000_001u32.to_le_bytes());
    b.extend_from_slice(&500_000u32.to_le_bytes());
    b.extend_from_slice(&9u16.to_le_bytes());
    b.extend_from_slice(&[0, 0]);
    b.extend_from_slice(payload);
    b
}

fn request(call_id: &str, method: &str) -> Vec<u8> {
    format!(
        "{method} sip:bob@example.com SIP/2.0\r\n\
         Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-{call_id}\r\n\
         From: <sip:alice@example.com>;tag=a\r\n\
         To: <sip:bob@example.com>\r\n\
         Call-ID: {call_id}\r\n\
         CSeq: 1 {method}\r\n\
         Content-Length: 0\r\n\r\n"
    )
    .into_bytes()
}

#[test]
fn hand_built_hep_v2_v3_tcp_and_junk() {
    let receiver = Receiver::start(&["--stop-after", "2", "--list", "--format", "json"]);
    let socket = UdpSocket::bind("127.0.0.1:0").expect("bind");
    let datagrams = [
        v3(
            "10.0.0.1:5060",
            "10.0.0.2:5060",
            IPPROTO_TCP,
            PROTO_TYPE_SIP,
            &request("tcp-1", "INVITE"),
        ),
        v2(
            [192, 168, 7, 1],
            5070,
            [192, 168, 7, 2],
            5080,
            &request("v2-1", "OPTIONS"),
        ),
        // RTCP reports (type 5) are not SIP.
        v3(
            "10.0.0.1:4000",
            "10.0.0.2:4000",
            IPPROTO_UDP,
            5,
            b"\x80\xc8\x00\x06",
        ),
        b"not HEP at all".to_vec(),
    ];
    for d in &datagrams {
        socket.send_to(d, receiver.addr).expect("send");
    }
    let (out, err) = receiver.finish();
    assert!(
        err.contains("4 datagrams, 2 SIP, 1 of other types skipped, 1 not HEP or damaged (last: not a HEP packet"),
        "{err}"
    );
    let rows = json(&out.stdout);
    let rows = rows.as_array().expect("rows");
    assert_eq!(rows.len(), 2, "{rows:?}");
    let tcp = rows
        .iter()
        .find(|r| r["call_id"] == "tcp-1")
        .expect("tcp call");
    assert_eq!(tcp["transport"], "TCP");
    assert_eq!(tcp["src"], "10.0.0.1:5060");
    assert_eq!(tcp["start"], "2026-11-18T11:06:40.250000Z");
    let v2 = rows
        .iter()
        .find(|r| r["call_id"] == "v2-1")
        .expect("v2 call");
    assert_eq!(
        (&v2["src"], &v2["dst"]),
        (&"192.168.7.1:5070".into(), &"192.168.7.2:5080".into())
    );
    assert_eq!(v2["transport"], "UDP");
    assert_eq!(v2["start"], "2026-11-18T11:06:41.500000Z");
}

#[test]
fn bad_hep_addresses_are_one_line_errors() {
    for (args, want) in [
        (
            vec!["-L", "tcp:127.0.0.1:9060", "--list"],
            "transport \"tcp\" is not supported",
        ),
        (vec!["-L", "udp:127.0.0.1", "--list"], "no port"),
        (
            vec!["-I", SAMPLE, "-H", "127.0.0.1:9060", "--list"],
            "bad HEP address",
        ),
    ] {
        let out = sipview().args(&args).output().expect("run");
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(want), "{err}");
    }
    // -L with -I makes no sense: a usage error.
    let out = sipview()
        .args(["-L", "udp:127.0.0.1:0", "-I", SAMPLE, "--list"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Any datagram: an error or a packet, never a panic, and what decodes
    /// goes through the rebuilt IP packet and the whole pipeline.
    #[test]
    fn any_bytes_decode_or_fail(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        if let Ok(p) = hep::decode(&bytes) {
            push_through_pipeline(&p);
        }
    }

    /// A valid packet with bytes flipped, cut or appended.
    #[test]
    fn damaged_hep3_never_panics(
        at in 0usize..200,
        byte in any::<u8>(),
        cut in 0usize..200,
        tail in proptest::collection::vec(any::<u8>(), 0..8),
    ) {
        let mut b = v3("[2001:db8::1]:5060", "[::1]:5062", IPPROTO_TCP, 1, &request("p", "BYE"));
        if let Some(x) = b.get_mut(at) {
            *x = byte;
        }
        b.truncate(b.len().saturating_sub(cut));
        b.extend_from_slice(&tail);
        if let Ok(p) = hep::decode(&b) {
            push_through_pipeline(&p);
        }
    }
}

fn push_through_pipeline(p: &HepPacket<'_>) {
    let mut ip = Vec::new();
    if hep::ip_packet(p, &mut ip).is_ok() {
        let mut pipeline = Pipeline::new();
        pipeline.push(&sipview::capture::Packet {
            number: 1,
            ts: p.ts.unwrap_or_default(),
            link: sipview::capture::LinkType::RAW,
            data: &ip,
            orig_len: ip.len() as u32,
            file_offset: None,
        });
    }
}

#[test]
fn a_capture_filter_applies_to_hep_packets() {
    // HEP's rebuilt packets are raw IP, like samples/raw-ip.pcap: a filter
    // must match them there too.
    let out = sipview()
        .args([
            "-I",
            "samples/raw-ip.pcap",
            "--summary",
            "--format",
            "json",
            "udp",
        ])
        .output()
        .expect("run");
    assert_eq!(json(&out.stdout)["sip_messages"], 4);

    let receiver = Receiver::start(&["--stop-after", "2", "--list", "--format", "json", "tcp"]);
    let socket = UdpSocket::bind("127.0.0.1:0").expect("bind");
    let tcp = request("tcp-1", "INVITE");
    let udp = request("udp-1", "INVITE");
    for d in [
        v3(
            "10.0.0.1:5060",
            "10.0.0.2:5060",
            IPPROTO_TCP,
            PROTO_TYPE_SIP,
            &tcp,
        ),
        v3(
            "10.0.0.1:5060",
            "10.0.0.2:5060",
            IPPROTO_UDP,
            PROTO_TYPE_SIP,
            &udp,
        ),
    ] {
        socket.send_to(&d, receiver.addr).expect("send");
    }
    let (out, _) = receiver.finish();
    let rows = json(&out.stdout);
    let ids: Vec<&str> = rows
        .as_array()
        .expect("rows")
        .iter()
        .filter_map(|r| r["call_id"].as_str())
        .collect();
    assert_eq!(ids, ["tcp-1"]);
}

#[test]
fn calls_received_as_hep_can_be_saved_as_pcap() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Run as root, sipview gives root up once the socket is open: the file
    // is written as `nobody`, who needs a directory it may write in.
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).expect("chmod");
    let out = dir.path().join("from-hep.pcap");
    let out_str = out.to_str().expect("utf-8 path");
    let receiver = Receiver::start(&["--stop-after", "4", "--save", out_str]);
    let to = format!("udp:{}", receiver.addr);
    let sent = sipview()
        .args(["-I", SAMPLE, "-H", &to, "--summary"])
        .output()
        .expect("sipview -H");
    assert!(sent.status.success());
    let (_, err) = receiver.finish();
    assert!(
        err.contains(&format!("saved 28 packets of 4 calls to {out_str}")),
        "{err}"
    );

    // No packets were kept: each message went out in an IP packet made up
    // around it, which reads back as the same calls at the same times.
    let back = list_of(out_str);
    let rows = back.as_array().expect("rows");
    assert_eq!(rows.len(), 4, "{back}");
    assert_same_calls(rows, &list_of(SAMPLE));
    // tshark reads the file too, as raw IP with UDP.
    if let Ok(t) = Command::new("tshark")
        .args([
            "-r",
            out_str,
            "-Y",
            "sip",
            "-T",
            "fields",
            "-e",
            "sip.Call-ID",
        ])
        .output()
    {
        if t.status.success() {
            assert_eq!(String::from_utf8_lossy(&t.stdout).lines().count(), 28);
        }
    }
}

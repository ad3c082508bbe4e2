//! `--explain`: start lines explained from the knowledge base, headers read
//! back from the capture (file offsets, the TCP arena, an inflated .gz).

mod common;

fn explain(file: &str, call: &str) -> String {
    common::sipview_ok(&["-I", &format!("samples/{file}"), "--explain", call])
}

/// The block of one message (`#n ...` up to the blank line).
fn block(text: &str, n: usize) -> &str {
    let start = text.find(&format!("#{n} ")).expect("message block");
    let rest = &text[start..];
    &rest[..rest.find("\n\n").unwrap_or(rest.len())]
}

#[test]
fn first_challenge_is_explained_as_normal() {
    let text = explain("udp-invite-mix.pcap", "udp-auth-1@sipview.test");
    let challenge = block(&text, 2);
    assert!(challenge.contains("  401 Unauthorized\n"), "{challenge}");
    assert!(challenge.contains("Normal: the first request went out without credentials"));
    assert!(challenge.contains("Read more: RFC 3261 §21.4.2"));
    assert!(challenge.contains("Asterisk PJSIP Troubleshooting Guide"));
    assert!(challenge.contains(
        "  | WWW-Authenticate: Digest realm=\"sipview.test\", nonce=\"9c1d2e3f4a5b6c7d-1\", algorithm=MD5, qop=\"auth\""
    ));
    let invite = block(&text, 1);
    assert!(invite.contains("Starts a call") && invite.contains("Creates a dialog."));
    assert_eq!(
        text.lines().filter(|l| l.starts_with('#')).count(),
        10,
        "one block per message"
    );
}

#[test]
fn tcp_messages_come_from_the_arena() {
    let text = explain("tcp-invite-mix.pcap", "tcp-cancel-1@sipview.test");
    let terminated = block(&text, 6);
    assert!(
        terminated.contains("  487 Request Terminated\n"),
        "{terminated}"
    );
    assert!(terminated.contains("  | CSeq: 1 INVITE"));
    assert!(!text.contains("unreadable"));
}

#[test]
fn gzip_capture_bytes_are_read_back() {
    let text = explain("udp-invite-mix.pcap.gz", "udp-busy-1@sipview.test");
    let busy = block(&text, 3);
    assert!(busy.contains("  486 Busy Here\n"), "{busy}");
    assert!(busy.contains("  | Call-ID: udp-busy-1@sipview.test"));
}

#[test]
fn unknown_methods_ipv6_and_escapes() {
    let text = explain("sip-parser-stress.pcap", "kdmq-1@sipview.test");
    assert!(block(&text, 1).contains("Not a standard SIP method"));
    let text = explain("sip-parser-stress.pcap", "ipv6-1@sipview.test");
    assert!(text.contains("  | Via: SIP/2.0/UDP [2001:db8::"), "{text}");
    assert!(text.contains("  603 Decline\n"));
    let text = explain("sip-parser-stress.pcap", "escape-1@sipview.test");
    assert!(
        text.contains(r"evil\e[31mRED\e[0m\e]0;pwned\x07 phone"),
        "{text}"
    );
    assert!(!text.chars().any(|c| c.is_control() && c != '\n'));
}

#[test]
fn headers_are_explained_from_their_values() {
    let compact = explain("sip-parser-stress.pcap", "compact-1@sipview.test");
    let first = block(&compact, 1);
    assert!(first.contains("  | v: SIP/2.0/UDP 192.0.2.10:6060;branch=z9hG4bK-compact-1\n  |     Via (compact \"v\")\n"), "{first}");
    assert!(first.contains("  |     Call-ID (compact \"i\")\n"));
    assert!(first.contains("No To tag: this request is outside any dialog"));
    let badlen = explain("sip-parser-stress.pcap", "badlen-1@sipview.test");
    assert!(badlen.contains("Says 500 bytes but the body has 20"));
    let v6 = explain("sip-parser-stress.pcap", "ipv6-1@sipview.test");
    assert!(
        v6.contains("Hop 1: UDP from [2001:db8::2]:6060, branch with the RFC 3261 cookie z9hG4bK")
    );
    // A request's own Via and Contact from a public source are NAT; a
    // response's Via names the receiver, its received= what the server saw.
    let nat = explain("diag-nat-proven.pcap", "1");
    let register = block(&nat, 1);
    assert!(register.contains(
        "The top Via names the private address 192.168.1.50 but the packet came from a public one"
    ), "{register}");
    assert!(register.contains("Private address 192.168.1.50 in a packet from a public address"));
    let challenge = block(&nat, 2);
    assert!(challenge.contains(
        "The server saw the request come from 203.0.113.7, not from the 192.168.1.50 its sender wrote"
    ), "{challenge}");
    assert!(!challenge.contains("The top Via names"));
    // On one LAN, nothing of the kind.
    let lan = explain("diag-proxy-relay.pcap", "1");
    assert!(!lan.contains("behind NAT"), "{lan}");
    let auth = explain("udp-invite-mix.pcap", "udp-auth-1@sipview.test");
    assert!(auth.contains("  |     scheme Digest, realm=sipview.test, nonce=9c1d2e3f4a5b6c7d-1, algorithm=MD5, qop=auth\n"), "{auth}");
}

#[test]
fn sdp_bodies_are_explained_line_by_line() {
    let text = explain("diag-nat.pcap", "1");
    let invite = block(&text, 1);
    let sdp = &invite[invite.find("  SDP body\n").expect("SDP section")..];
    assert!(sdp.contains("  : c=IN IP4 192.168.1.50\n"), "{sdp}");
    // Loopback is no public source: no NAT claim from the SDP alone.
    assert!(!sdp.contains("behind NAT"), "{sdp}");
    let proven = explain("diag-nat-proven.pcap", "2");
    assert!(proven.contains(
        "192.168.1.50 is a private address but the packet came from 203.0.113.7: the sender is behind NAT"
    ), "{proven}");
    assert!(sdp.contains("Payload types, most wanted first: 0=PCMU 8=PCMA 101=telephone-event."));
    assert!(sdp.contains("RTP/AVP: plain RTP, not encrypted."));
    assert!(sdp.contains("telephone-event: DTMF keys sent as RTP events (RFC 4733)"));

    let dtmf = explain("diag-dtmf.pcap", "1");
    let answer = block(&dtmf, 2);
    assert!(answer.contains("200 OK"), "{answer}");
    assert!(
        answer.contains(
            "No telephone-event here: keys pressed can only go as SIP INFO or in-band tones."
        ),
        "{answer}"
    );
    assert!(answer.contains("  : a=sendrecv\n  :     Media both ways (the default)."));

    let json = common::sipview_ok(&[
        "-I",
        "samples/diag-dtmf.pcap",
        "--explain",
        "1",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&json).expect("json");
    let first_sdp = &v["messages"][0]["sdp"];
    let m = first_sdp
        .as_array()
        .and_then(|a| {
            a.iter()
                .find(|l| l["raw"].as_str().is_some_and(|r| r.starts_with("m=")))
        })
        .expect("m= line");
    assert_eq!(m["note"]["name"], "m= (media)");
    assert!(m["note"]["sources"][0]
        .as_str()
        .unwrap_or("")
        .starts_with("RFC 4566"));
    // Messages without a body have no SDP notes.
    assert_eq!(v["messages"][2]["sdp"].as_array().map(Vec::len), Some(0));
}

#[test]
fn bidi_c1_and_backslashes_never_reach_the_terminal_raw() {
    let text = explain("hostile-text.pcap", "1");
    for raw in ['\u{202e}', '\u{2066}', '\u{9b}', '\u{1b}'] {
        assert!(!text.contains(raw), "{raw:?} printed raw");
    }
    assert!(
        text.contains(r#"From: "\u{202e}evil\u{2066}x" <sip:mallory@sipview.test>"#),
        "{text}"
    );
    assert!(text.contains(r"User-Agent: phone\x9b31m"));
    // The packet's own backslash-e is not shown like an escaped ESC.
    assert!(text.contains(r"Subject: not an escape: \\e[31m"));
    let json = common::sipview_ok(&[
        "-I",
        "samples/hostile-text.pcap",
        "--list",
        "--format",
        "json",
    ]);
    assert!(
        !json.contains('\u{202e}') && !json.contains('\u{9b}'),
        "{json}"
    );
    assert!(
        json.contains(r#""from_display": "\u202eevil\u2066x""#),
        "{json}"
    );
    let rows: serde_json::Value = serde_json::from_str(&json).expect("still JSON");
    assert_eq!(rows[0]["user_agent"], "phone\u{9b}31m");
}

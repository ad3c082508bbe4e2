//! The SIP scanner on the shapes real traffic takes.

use sipview::sip::{self, HeaderLines, Malformed, NameAddr, StartLine};

#[test]
fn compact_forms_folding_lf_only_and_space_before_colon() {
    let raw = b"KDMQ sip:[2001:db8::1]:5060;transport=udp SIP/2.0\n\
v: SIP/2.0/UDP [2001:db8::2]:5070;branch=z9hG4bK-77;rport\n\
f: \"Alice \\\"A\\\" Smith\" <sip:alice@[2001:db8::2]>;tag=ft1\n\
t: <sip:bob@example.com>\n\
i  : folded-call@host\n\
CSeq: 7\n\t KDMQ\n\
Subject: one\n two\n\
l: 4\n\
\n\
abcdEXTRA";
    let m = sip::parse(raw).expect("a SIP message");
    assert_eq!(
        m.start,
        StartLine::Request {
            method: b"KDMQ",
            uri: b"sip:[2001:db8::1]:5060;transport=udp"
        }
    );
    assert_eq!(m.call_id(), Some(&b"folded-call@host"[..]));
    assert_eq!(m.cseq(), Some((7, &b"KDMQ"[..])));
    let via = m.top_via().expect("via");
    assert_eq!(via.transport, b"UDP");
    assert_eq!(via.sent_by, b"[2001:db8::2]:5070");
    assert_eq!(via.branch(), Some(&b"z9hG4bK-77"[..]));
    assert_eq!(via.param(b"rport"), Some(&b""[..]));
    let from = m.from().expect("from");
    assert_eq!(from.display, Some(&b"Alice \\\"A\\\" Smith"[..]));
    assert_eq!(from.user(), Some(&b"alice"[..]));
    assert_eq!(from.tag(), Some(&b"ft1"[..]));
    assert_eq!(m.to().and_then(|t| t.tag()), None);
    assert_eq!(m.body, b"abcd");
    assert!(
        m.malformed.is_empty(),
        "{:?}",
        m.malformed.reasons().collect::<Vec<_>>()
    );
    let subject = HeaderLines::new(&raw[raw.iter().position(|&b| b == b'\n').unwrap() + 1..])
        .find(|h| h.name == b"Subject")
        .expect("subject");
    assert_eq!(&*subject.value, b"one two");
}

#[test]
fn response_with_non_utf8_reason_and_body() {
    let raw = b"SIP/2.0 480 No money left \xff\xfe\r\n\
Via: SIP/2.0/TCP 10.0.0.1:5060;branch=z9hG4bKx\r\n\
From: <sip:100@pbx>;tag=a\r\nTo: <sip:200@pbx>;tag=b\r\n\
Call-ID: c1\r\nCSeq: 2 INVITE\r\nContent-Length: 0\r\n\r\n";
    let m = sip::parse(raw).expect("response");
    assert_eq!(m.status_code(), Some(480));
    assert_eq!(m.method(), Some(&b"INVITE"[..]));
    match m.start {
        StartLine::Response { reason, .. } => assert_eq!(reason, b"No money left \xff\xfe"),
        _ => panic!("not a response"),
    }
    assert!(m.malformed.is_empty());
}

#[test]
fn damaged_messages_are_kept_and_flagged() {
    let no_call_id = b"OPTIONS sip:x SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nbroken line\r\nCSeq: x OPTIONS\r\nContent-Length: 99\r\n\r\nshort";
    let m = sip::parse(no_call_id).expect("still a message");
    for flag in [
        Malformed::NO_CALL_ID,
        Malformed::NO_FROM,
        Malformed::NO_TO,
        Malformed::BAD_CSEQ,
        Malformed::BAD_HEADER_LINE,
        Malformed::BODY_TOO_SHORT,
    ] {
        assert!(m.malformed.contains(flag), "missing {flag:?}");
    }
    assert!(!m.malformed.contains(Malformed::NO_VIA));
    let cut = b"INVITE sip:bob@h SIP/2.0\r\nCall-ID: abc\r\nFrom: <sip:a@h>;tag=1\r\n";
    let m = sip::parse(cut).expect("cut message");
    assert!(m.malformed.contains(Malformed::NO_HEADER_END));
}

#[test]
fn not_sip() {
    for raw in [
        &b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"[..],
        b"SIP/2.0 99 Low\r\n\r\n",
        b"HELLO WORLD\r\n",
        b"INVITE sip:x SIP/3.0\r\n\r\n",
        b"\r\n\r\n",
        b"",
        b"INV\xffITE sip:x SIP/2.0\r\n\r\n",
    ] {
        assert!(
            sip::parse(raw).is_none(),
            "{:?}",
            String::from_utf8_lossy(raw)
        );
    }
}

#[test]
fn name_addr_forms() {
    let plain = NameAddr::parse(b"sip:100@10.0.0.1;tag=99");
    assert_eq!(plain.uri, b"sip:100@10.0.0.1");
    assert_eq!(plain.tag(), Some(&b"99"[..]));
    assert_eq!(plain.display, None);
    let tel = NameAddr::parse(b"Bob <tel:+15551234;phone-context=x>;tag=t");
    assert_eq!(tel.display, Some(&b"Bob"[..]));
    assert_eq!(tel.user(), Some(&b"+15551234"[..]));
    let quoted = NameAddr::parse(b"\"a <b>; c\" <sips:carol:pw@h>");
    assert_eq!(quoted.display, Some(&b"a <b>; c"[..]));
    assert_eq!(quoted.user(), Some(&b"carol"[..]));
    assert_eq!(quoted.tag(), None);
}

//! Unit tests of the HEP codec: round trips, hand-built v1/v2 packets, and
//! damaged input answered with errors.

use super::*;
use crate::capture::Timestamp;
use std::net::SocketAddr;

const SIP: &[u8] = b"OPTIONS sip:a@b SIP/2.0\r\nCall-ID: x\r\nContent-Length: 0\r\n\r\n";

fn sample<'a>(src: &str, dst: &str, tcp: bool) -> HepPacket<'a> {
    HepPacket {
        version: 3,
        ip_proto: if tcp { IPPROTO_TCP } else { IPPROTO_UDP },
        src: src.parse().expect("addr"),
        dst: dst.parse().expect("addr"),
        ts: Some(Timestamp::from_secs_micros(1_795_000_000, 123_456)),
        proto_type: Some(PROTO_TYPE_SIP),
        capture_id: Some(2001),
        auth_key: Some(b"secret"),
        correlation_id: Some(b"corr-1"),
        payload: SIP,
    }
}

fn encoded(p: &HepPacket<'_>) -> Vec<u8> {
    let mut out = Vec::new();
    encode_v3(p, &mut out).expect("encodes");
    out
}

#[test]
fn v3_round_trip_ipv4_and_ipv6() {
    for p in [
        sample("10.0.0.1:5060", "10.0.0.2:5062", false),
        sample("[2001:db8::1]:5060", "[2001:db8::2]:5061", true),
    ] {
        let bytes = encoded(&p);
        assert_eq!(&bytes[..4], b"HEP3");
        assert_eq!(
            u16::from_be_bytes([bytes[4], bytes[5]]) as usize,
            bytes.len()
        );
        assert_eq!(decode(&bytes).expect("decodes"), p);
    }
}

#[test]
fn v3_optional_chunks_left_out() {
    let mut p = sample("10.0.0.1:5060", "10.0.0.2:5062", false);
    p.ts = None;
    p.proto_type = None;
    p.capture_id = None;
    p.auth_key = None;
    p.correlation_id = None;
    let bytes = encoded(&p);
    let back = decode(&bytes).expect("decodes");
    assert_eq!(back, p);
    assert!(back.is_sip(), "no type is taken as SIP");
}

#[test]
fn v3_vendor_and_unknown_chunks_are_skipped() {
    let mut bytes = encoded(&sample("10.0.0.1:5060", "10.0.0.2:5062", false));
    // A vendor chunk reusing the payload type, and an unknown generic one.
    bytes.extend_from_slice(&[0x00, 0x02, 0x00, 0x0f, 0x00, 0x08, 0xde, 0xad]);
    bytes.extend_from_slice(&[0x00, 0x00, 0x00, 0x63, 0x00, 0x07, 0x01]);
    let len = bytes.len() as u16;
    bytes[4..6].copy_from_slice(&len.to_be_bytes());
    assert_eq!(decode(&bytes).expect("decodes").payload, SIP);
}

#[test]
fn v3_encode_refuses_what_it_cannot_write() {
    let mut p = sample("10.0.0.1:5060", "[::1]:5062", false);
    assert!(matches!(
        encode_v3(&p, &mut Vec::new()),
        Err(HepError::MixedFamilies)
    ));
    p.dst = "10.0.0.2:5062".parse().expect("addr");
    let big = vec![b'x'; 70_000];
    p.payload = &big;
    assert!(matches!(
        encode_v3(&p, &mut Vec::new()),
        Err(HepError::TooLarge(_))
    ));
}

/// A HEP v2 packet as Kamailio's siptrace builds it: fixed header with ports
/// in network order, the addresses, then the time header in host order
/// (little-endian here) padded to 12 bytes.
fn v2_ipv4(version: u8) -> Vec<u8> {
    let mut b = vec![version, 16, 2, 17];
    b.extend_from_slice(&5060u16.to_be_bytes());
    b.extend_from_slice(&5080u16.to_be_bytes());
    b.extend_from_slice(&[192, 168, 1, 10, 192, 168, 1, 20]);
    if version == 2 {
        b.extend_from_slice(&1_795_000_000u32.to_le_bytes());
        b.extend_from_slice(&654_321u32.to_le_bytes());
        b.extend_from_slice(&77u16.to_le_bytes());
        b.extend_from_slice(&[0, 0]);
    }
    b.extend_from_slice(SIP);
    b
}

#[test]
fn v2_hand_built_ipv4() {
    let bytes = v2_ipv4(2);
    let p = decode(&bytes).expect("decodes");
    assert_eq!(p.version, 2);
    assert_eq!(p.ip_proto, IPPROTO_UDP);
    assert_eq!(
        p.src,
        "192.168.1.10:5060".parse::<SocketAddr>().expect("addr")
    );
    assert_eq!(
        p.dst,
        "192.168.1.20:5080".parse::<SocketAddr>().expect("addr")
    );
    assert_eq!(
        p.ts,
        Some(Timestamp::from_secs_micros(1_795_000_000, 654_321))
    );
    assert_eq!(p.capture_id, Some(77));
    assert_eq!(p.payload, SIP);
    assert!(p.is_sip());
}

#[test]
fn v2_big_endian_sender_and_v1() {
    let mut bytes = v2_ipv4(2);
    bytes[24..28].copy_from_slice(&1_795_000_000u32.to_be_bytes());
    bytes[28..32].copy_from_slice(&654_321u32.to_be_bytes());
    let p = decode(&bytes).expect("decodes");
    assert_eq!(
        p.ts,
        Some(Timestamp::from_secs_micros(1_795_000_000, 654_321))
    );

    let v1 = v2_ipv4(1);
    let p = decode(&v1).expect("v1 decodes");
    assert_eq!((p.version, p.ts, p.payload), (1, None, SIP));
}

#[test]
fn v2_ipv6() {
    let mut b = vec![2, 40, 10, 6];
    b.extend_from_slice(&5060u16.to_be_bytes());
    b.extend_from_slice(&5061u16.to_be_bytes());
    let s: std::net::Ipv6Addr = "2001:db8::1".parse().expect("v6");
    let d: std::net::Ipv6Addr = "2001:db8::2".parse().expect("v6");
    b.extend_from_slice(&s.octets());
    b.extend_from_slice(&d.octets());
    b.extend_from_slice(&[0; 12]);
    b.extend_from_slice(SIP);
    let p = decode(&b).expect("decodes");
    assert_eq!(
        p.src,
        "[2001:db8::1]:5060".parse::<SocketAddr>().expect("addr")
    );
    assert!(p.is_tcp());
}

#[test]
fn every_cut_of_a_good_packet_is_an_error() {
    let v3 = encoded(&sample("10.0.0.1:5060", "10.0.0.2:5062", false));
    for n in 0..v3.len() {
        assert!(decode(&v3[..n]).is_err(), "v3 cut at {n}");
    }
    let v2 = v2_ipv4(2);
    // Up to the end of the time header; a shorter payload is still a payload.
    for n in 0..=16 + 12 {
        assert!(decode(&v2[..n]).is_err(), "v2 cut at {n}");
    }
}

#[test]
fn damaged_v3_errors_name_the_problem() {
    let good = encoded(&sample("10.0.0.1:5060", "10.0.0.2:5062", false));

    let mut longer = good.clone();
    longer.push(0);
    assert!(matches!(
        decode(&longer),
        Err(HepError::LengthMismatch { .. })
    ));

    // First chunk's length below its own header.
    let mut short = good.clone();
    short[10..12].copy_from_slice(&3u16.to_be_bytes());
    assert!(matches!(
        decode(&short),
        Err(HepError::ChunkTooShort { .. })
    ));

    // First chunk's length past the end.
    let mut over = good.clone();
    over[10..12].copy_from_slice(&60_000u16.to_be_bytes());
    assert!(matches!(decode(&over), Err(HepError::ChunkOverrun { .. })));

    // The IP family chunk (1 byte) made 2 bytes long by eating the next byte.
    let mut size = good.clone();
    size[10..12].copy_from_slice(&8u16.to_be_bytes());
    assert!(decode(&size).is_err());

    assert!(matches!(
        decode(b"GET / HTTP/1.1"),
        Err(HepError::NotHep(_))
    ));
    assert!(matches!(decode(&[]), Err(HepError::NotHep(_))));

    let mut family = v2_ipv4(2);
    family[2] = 99;
    assert!(matches!(decode(&family), Err(HepError::Family(99))));
}

#[test]
fn missing_chunks_are_named() {
    let p = sample("10.0.0.1:5060", "10.0.0.2:5062", false);
    let bytes = encoded(&p);
    // Rebuild the packet without one chunk type at a time.
    for (kind, what) in [
        (chunk::PAYLOAD, "payload"),
        (chunk::SRC_PORT, "port"),
        (chunk::IPV4_DST, "address"),
        (chunk::IP_PROTO, "IP protocol"),
    ] {
        let without = drop_chunk(&bytes, kind);
        let err = decode(&without).expect_err("incomplete").to_string();
        assert!(err.contains(what), "{err}");
    }
    let compressed = {
        let mut b = drop_chunk(&bytes, chunk::PAYLOAD);
        b.extend_from_slice(&[0, 0, 0, 16, 0, 7, 1]);
        let len = b.len() as u16;
        b[4..6].copy_from_slice(&len.to_be_bytes());
        b
    };
    assert!(matches!(decode(&compressed), Err(HepError::Compressed)));
}

fn drop_chunk(bytes: &[u8], kind: u16) -> Vec<u8> {
    let mut out = bytes[..6].to_vec();
    let mut at = 6;
    while at < bytes.len() {
        let t = u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]);
        let len = u16::from_be_bytes([bytes[at + 4], bytes[at + 5]]) as usize;
        if t != kind {
            out.extend_from_slice(&bytes[at..at + len]);
        }
        at += len;
    }
    let len = out.len() as u16;
    out[4..6].copy_from_slice(&len.to_be_bytes());
    out
}

#[test]
fn rebuilt_ip_packets_carry_the_original_flow() {
    use etherparse::{NetSlice, SlicedPacket, TransportSlice};
    for tcp in [false, true] {
        let p = sample("10.0.0.1:5060", "10.0.0.2:5062", tcp);
        let mut ip = Vec::new();
        ip_packet(&p, &mut ip).expect("builds");
        let sliced = SlicedPacket::from_ip(&ip).expect("parses");
        let Some(NetSlice::Ipv4(v4)) = sliced.net else {
            panic!("not IPv4")
        };
        assert_eq!(v4.header().source(), [10, 0, 0, 1]);
        assert_eq!(v4.header().destination(), [10, 0, 0, 2]);
        match sliced.transport {
            Some(TransportSlice::Udp(u)) if !tcp => {
                assert_eq!((u.source_port(), u.destination_port()), (5060, 5062));
                assert_eq!(u.payload(), SIP);
            }
            Some(TransportSlice::Tcp(t)) if tcp => {
                assert!(t.syn() && t.fin());
                assert_eq!(t.payload(), SIP);
            }
            _ => panic!("wrong transport"),
        }
    }
}

//! Properties over arbitrary bytes: nothing from the network may panic sipview.

use proptest::prelude::*;
use sipview::capture::{CaptureReader, LinkType, Packet, Timestamp};
use sipview::load::Pipeline;
use sipview::sip::{self, Malformed, StreamFramer};
use sipview::views::{flow::Ladder, list, list_table};

const INVITE: &[u8] = b"INVITE sip:bob@[2001:db8::5]:5060 SIP/2.0\r\n\
Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-1;rport\r\n\
Max-Forwards: 70\r\n\
From: \"Alice\" <sip:alice@example.com>;tag=abc\r\n\
To: <sip:bob@example.com>\r\n\
Call-ID: prop-1@example.com\r\n\
CSeq: 1 INVITE\r\n\
Content-Type: application/sdp\r\n\
Content-Length: 29\r\n\
\r\n\
v=0\r\nc=IN IP4 192.0.2.1\r\nm=\r\n";

/// Little-endian pcap file header, Ethernet link type.
const PCAP_HEADER: [u8; 24] = [
    0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 1, 0, 0, 0,
];
/// A pcapng section header block (28 bytes) followed by an Ethernet interface block (20 bytes).
const PCAPNG_HEADER: [u8; 48] = [
    0x0a, 0x0d, 0x0d, 0x0a, 28, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 28, 0, 0, 0, 1, 0, 0, 0, 20, 0, 0, 0, 1, 0, 0, 0, 0xff, 0xff, 0,
    0, 20, 0, 0, 0,
];

fn packet(link: LinkType, data: &[u8], n: u64) -> Packet<'_> {
    Packet {
        number: n,
        ts: Timestamp(n * 1_000_000),
        link,
        data,
        orig_len: data.len() as u32,
        file_offset: None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn any_bytes_parse_without_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        if let Some(m) = sip::parse(&bytes) {
            let _ = (m.call_id(), m.cseq(), m.from(), m.to(), m.top_via(), m.has_sdp(), m.method());
        }
        let mut framer = StreamFramer::<u8>::new();
        let mut n = 0;
        framer.push(1, &bytes, &mut |m| { n += 1; let _ = sip::parse(m); });
    }

    #[test]
    fn a_valid_message_cut_anywhere_is_malformed_or_not_sip(cut in 0usize..INVITE.len()) {
        let first_line_end = INVITE.iter().position(|&b| b == b'\n').unwrap_or(0);
        match sip::parse(&INVITE[..cut]) {
            None => prop_assert!(cut <= first_line_end, "cut at {} after the start line lost the message", cut),
            Some(m) => prop_assert!(!m.malformed.is_empty(), "cut at {} parsed as a whole message", cut),
        }
    }

    #[test]
    fn stream_split_anywhere_frames_the_same(a in 0usize..INVITE.len(), b in 0usize..INVITE.len()) {
        let (a, b) = (a.min(b), a.max(b));
        let mut stream = b"\r\n\r\n".to_vec();
        stream.extend_from_slice(INVITE);
        stream.extend_from_slice(INVITE);
        let mut framer = StreamFramer::<u8>::new();
        let mut got: Vec<Vec<u8>> = Vec::new();
        for chunk in [&stream[..a], &stream[a..b], &stream[b..]] {
            framer.push(7, chunk, &mut |m| got.push(m.to_vec()));
        }
        prop_assert_eq!(got.len(), 2);
        for m in &got {
            prop_assert_eq!(&m[..], INVITE);
            let parsed = sip::parse(m).expect("framed message parses");
            prop_assert_eq!(parsed.malformed, Malformed::none());
        }
    }

    #[test]
    fn any_packets_through_the_whole_pipeline(
        link in prop_oneof![
            Just(LinkType::ETHERNET), Just(LinkType::LINUX_SLL), Just(LinkType::LINUX_SLL2),
            Just(LinkType::RAW), Just(LinkType::NULL), Just(LinkType::IPV6)
        ],
        packets in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..600), 1..12),
    ) {
        let mut pipeline = Pipeline::new();
        for (i, p) in packets.iter().enumerate() {
            pipeline.push(&packet(link, p, i as u64 + 1));
        }
        let rows = list::rows(&pipeline.store);
        let _ = list_table::to_text(&rows, &sipview::views::columns::LIST_TEXT);
        for i in 0..pipeline.store.calls().len() {
            let _ = Ladder::build(&pipeline.store, &[i as u32]).to_text();
        }
    }

}

proptest! {
    // Each case allocates the reader's 1 MiB buffer: fewer cases, same reach.
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn any_file_bytes_read_without_panic(
        header in prop_oneof![Just(PCAP_HEADER.to_vec()), Just(PCAPNG_HEADER.to_vec()), Just(Vec::new())],
        tail in proptest::collection::vec(any::<u8>(), 0..4096),
    ) {
        let mut bytes = header;
        bytes.extend_from_slice(&tail);
        if let Ok(reader) = CaptureReader::from_read(std::io::Cursor::new(bytes), std::path::Path::new("prop")) {
            let mut pipeline = Pipeline::new();
            let _ = reader.read_all(|p| pipeline.push(p));
        }
    }
}

/// Raw IPv4 + UDP around a payload, for the pipeline properties below.
fn raw_udp(payload: &[u8]) -> Vec<u8> {
    let total = 20 + 8 + payload.len();
    let mut p = vec![
        0x45,
        0,
        (total >> 8) as u8,
        total as u8,
        0,
        1,
        0,
        0,
        64,
        17,
        0,
        0,
        192,
        0,
        2,
        1,
        192,
        0,
        2,
        2,
    ];
    let udp_len = 8 + payload.len();
    p.extend_from_slice(&[
        0x13,
        0xc4,
        0x17,
        0x70,
        (udp_len >> 8) as u8,
        udp_len as u8,
        0,
        0,
    ]);
    p.extend_from_slice(payload);
    p
}

#[test]
fn a_cut_datagram_is_counted_as_malformed_not_dropped() {
    let mut pipeline = Pipeline::new();
    let cut = &INVITE[..INVITE.len() - 10];
    pipeline.push(&packet(LinkType::RAW, &raw_udp(cut), 1));
    let stats = pipeline.store.stats();
    assert_eq!(stats.sip_messages, 1);
    assert_eq!(stats.malformed, 1);
    assert_eq!(pipeline.store.calls().len(), 1);
}

/// A first fragment (more-fragments set, offset 0) that never gets its rest.
fn lonely_fragment(id: u16) -> Vec<u8> {
    let payload = [0u8; 64];
    let total = 20 + payload.len();
    let mut p = vec![
        0x45,
        0,
        (total >> 8) as u8,
        total as u8,
        (id >> 8) as u8,
        id as u8,
        0x20, // more fragments, offset 0
        0,
        64,
        17,
        0,
        0,
        198,
        51,
        100,
        1,
        198,
        51,
        100,
        2,
    ];
    p.extend_from_slice(&payload);
    p
}

#[test]
fn a_fragment_flood_is_evicted_not_hoarded() {
    let mut pipeline = Pipeline::new();
    for id in 0..5000u16 {
        // All within one second of capture time, so only the size cap can act.
        let data = lonely_fragment(id);
        pipeline.push(&Packet {
            number: id as u64 + 1,
            ts: Timestamp(1_000_000_000 + id as u64),
            link: LinkType::RAW,
            data: &data,
            orig_len: data.len() as u32,
            file_offset: None,
        });
    }
    let stats = pipeline.decode_stats();
    assert_eq!(stats.ip_fragments, 5000);
    assert_eq!(stats.reassembled_datagrams, 0);
    // At most 1024 sets are held; everything beyond was evicted.
    assert!(stats.fragments_evicted >= 5000 - 1024, "{stats:?}");
}

#[test]
fn framing_after_junk_does_not_depend_on_segment_cuts() {
    // Found by the fuzzer: junk, then a line starting with a stray CR.
    let stream = b"junk\n\rOPTIONS sip:x SIP/2.0\r\nCall-ID: j\r\nContent-Length: 0\r\n\r\n";
    let frame = |cuts: &[usize]| {
        let mut framer = StreamFramer::<u8>::new();
        let mut got: Vec<Vec<u8>> = Vec::new();
        let mut at = 0;
        for &c in cuts.iter().chain(std::iter::once(&stream.len())) {
            framer.push(1, &stream[at..c], &mut |m| got.push(m.to_vec()));
            at = c;
        }
        got
    };
    let whole = frame(&[]);
    assert_eq!(whole.len(), 1);
    for cut in 1..stream.len() {
        assert_eq!(frame(&[cut]), whole, "cut at {cut}");
    }
}

/// Raw IPv4 + TCP (no options) from port `sport` with the given flags.
fn raw_tcp(sport: u16, seq: u32, flags: u8, payload: &[u8]) -> Vec<u8> {
    let total = 40 + payload.len();
    let mut p = vec![
        0x45,
        0,
        (total >> 8) as u8,
        total as u8,
        0,
        0,
        0x40,
        0,
        64,
        6,
        0,
        0,
        203,
        0,
        113,
        1,
        203,
        0,
        113,
        2,
    ];
    p.extend_from_slice(&sport.to_be_bytes());
    p.extend_from_slice(&5060u16.to_be_bytes());
    p.extend_from_slice(&seq.to_be_bytes());
    p.extend_from_slice(&[0, 0, 0, 0, 0x50, flags, 0xff, 0xff, 0, 0, 0, 0]);
    p.extend_from_slice(payload);
    p
}

#[test]
fn out_of_order_tcp_floods_are_given_up_not_hoarded() {
    const SYN: u8 = 0x02;
    const ACK: u8 = 0x10;
    let chunk = vec![b'x'; 60_000];
    let mut pipeline = Pipeline::new();
    let mut n = 0;
    let mut push = |data: Vec<u8>| {
        n += 1;
        pipeline.push(&packet(LinkType::RAW, &data, n));
    };
    // 1,200 connections each parking 60 kB behind a gap that never fills:
    // 72 MB in all, past the 64 MiB held across connections.
    for conn in 0..1200u16 {
        let sport = 10_000 + conn;
        push(raw_tcp(sport, 1000, SYN, &[]));
        push(raw_tcp(sport, 1001 + 500, ACK, &chunk));
    }
    let stats = pipeline.decode_stats();
    assert!(
        stats.tcp_gap_bytes >= 60_000 * 1000,
        "held bytes were not given up: {stats:?}"
    );
}

#[test]
fn fuzz_regression_framer_lone_cr() {
    // fuzz/regressions/sip_parser-framer-eq-lone-cr
    let data = b"A\r\n\rP s SIP/2.0\n\n";
    let mut whole: Vec<Vec<u8>> = Vec::new();
    StreamFramer::<u8>::new().push(1, data, &mut |m| whole.push(m.to_vec()));
    let mut split: Vec<Vec<u8>> = Vec::new();
    let mut framer = StreamFramer::<u8>::new();
    for chunk in [&data[..0], &data[..11], &data[11..]] {
        framer.push(1, chunk, &mut |m| split.push(m.to_vec()));
    }
    assert_eq!(whole, split);
    assert_eq!(whole, vec![b"P s SIP/2.0\n\n".to_vec()]);
}

/// Outer headers of every tunnel and encapsulation sipview peels, up to the
/// point where the carried bytes start (Ethernet frames, EtherType last).
fn tunnel_prefixes() -> Vec<Vec<u8>> {
    let eth = |ethertype: u16| {
        let mut f = vec![2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1];
        f.extend_from_slice(&ethertype.to_be_bytes());
        f
    };
    let ipv4 = |proto: u8| {
        let mut h = eth(0x0800);
        h.extend_from_slice(&[0x45, 0, 0x05, 0xdc, 0, 0, 0, 0, 64, proto, 0, 0]);
        h.extend_from_slice(&[198, 51, 100, 1, 198, 51, 100, 2]);
        h
    };
    let udp = |dport: u16| {
        let mut h = ipv4(17);
        h.extend_from_slice(&[0xc0, 0x00]);
        h.extend_from_slice(&dport.to_be_bytes());
        h.extend_from_slice(&[0x05, 0xc8, 0, 0]);
        h
    };
    let with = |mut base: Vec<u8>, tail: &[u8]| {
        base.extend_from_slice(tail);
        base
    };
    vec![
        with(eth(0x8864), &[0x11, 0, 0x12, 0x34, 0x05, 0xdc, 0x00, 0x21]),
        with(eth(0x8847), &[0, 0x06, 0x41, 0x40]),
        with(udp(4789), &[0x08, 0, 0, 0, 0, 0, 0x2a, 0]),
        with(udp(6081), &[0x02, 0, 0x65, 0x58, 0, 0, 0x2a, 0]),
        with(ipv4(47), &[0x00, 0x00, 0x08, 0x00]),
        with(ipv4(47), &[0xb0, 0x00, 0x65, 0x58]),
        with(ipv4(47), &[0x10, 0x00, 0x88, 0xbe, 0, 0, 0, 1]),
        with(ipv4(47), &[0x10, 0x00, 0x22, 0xeb, 0, 0, 0, 1]),
        // SCTP: the common header, then one DATA chunk header (B and E).
        with(
            ipv4(132),
            &[
                0x13, 0xc4, 0x13, 0xc4, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0x03, 0x02, 0x00, 0, 0, 0, 1, 0,
                0, 0, 0, 0, 0, 0, 0,
            ],
        ),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    /// Any bytes after a tunnel's outer header, the header cut anywhere: no
    /// panic, and a packet is counted under one reason at most.
    #[test]
    fn any_bytes_inside_a_tunnel_decode_without_panic(
        which in 0usize..9,
        tail in proptest::collection::vec(any::<u8>(), 0..600),
        cut in 0usize..80,
    ) {
        let mut bytes = tunnel_prefixes()[which].clone();
        let keep = bytes.len().saturating_sub(cut % bytes.len().max(1));
        bytes.truncate(keep);
        bytes.extend_from_slice(&tail);
        let mut pipeline = Pipeline::new();
        pipeline.push(&packet(LinkType::ETHERNET, &bytes, 1));
        let stats = pipeline.decode_stats();
        let seen = stats.not_ip + stats.tunnel_unsupported + stats.unsupported_link;
        prop_assert!(seen <= 1);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// SCTP packets of any chunks (DATA with any flags, TSNs and lengths,
    /// other types) in any number: no panic; a SIP message in a whole DATA
    /// chunk is found whatever chunks surround it; a cut common header is
    /// counted.
    #[test]
    fn any_sctp_chunks_decode_without_panic_and_whole_messages_are_found(
        chunks in proptest::collection::vec(
            (any::<u8>(), 0u8..16, any::<u32>(), proptest::collection::vec(any::<u8>(), 0..80)),
            0..6,
        ),
        at in 0usize..6,
        cut in 0usize..12,
    ) {
        let sctp = |chunks: &[(u8, u8, u32, Vec<u8>)]| {
            let mut p = vec![0x13, 0xc4, 0x13, 0xc4, 0, 0, 0, 1, 0, 0, 0, 0];
            for (kind, flags, tsn, data) in chunks {
                let kind = if kind % 2 == 0 { 0 } else { *kind };
                let len = if kind == 0 { 16 + data.len() } else { 4 + data.len() };
                p.extend_from_slice(&[kind, *flags]);
                p.extend_from_slice(&(len as u16).to_be_bytes());
                if kind == 0 {
                    p.extend_from_slice(&tsn.to_be_bytes());
                    p.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 0]);
                }
                p.extend_from_slice(data);
                while p.len() % 4 != 0 {
                    p.push(0);
                }
            }
            p
        };
        let raw = |payload: Vec<u8>| {
            let mut h = vec![0x45, 0, 0, 0, 0, 0, 0, 0, 64, 132, 0, 0, 192, 0, 2, 1, 192, 0, 2, 2];
            let total = (h.len() + payload.len()) as u16;
            h[2..4].copy_from_slice(&total.to_be_bytes());
            h.extend_from_slice(&payload);
            h
        };
        let mut pipeline = Pipeline::new();
        pipeline.push(&packet(LinkType::RAW, &raw(sctp(&chunks)), 1));
        // A whole OPTIONS among them, on a TSN none of the others uses.
        let mut with_sip = chunks.clone();
        let tsn = chunks.iter().map(|c| c.2).max().unwrap_or(0).wrapping_add(1);
        with_sip.insert(at.min(chunks.len()), (0, 3, tsn, INVITE.to_vec()));
        let mut pipeline = Pipeline::new();
        pipeline.push(&packet(LinkType::RAW, &raw(sctp(&with_sip)), 1));
        prop_assert!(!pipeline.store.messages().is_empty());
        let mut cut_header = sctp(&[]);
        cut_header.truncate(cut);
        let mut pipeline = Pipeline::new();
        pipeline.push(&packet(LinkType::RAW, &raw(cut_header), 1));
        prop_assert_eq!(pipeline.decode_stats().not_ip, 1);
    }
}

/// A small valid message over TCP, numbered so each one can be told apart.
fn numbered_options(i: usize) -> Vec<u8> {
    format!(
        "OPTIONS sip:ping@example.com SIP/2.0\r\n\
Via: SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bK-{i}\r\n\
From: <sip:a@example.com>;tag={i}\r\n\
To: <sip:ping@example.com>\r\n\
Call-ID: frame-{i}@example.com\r\n\
CSeq: {i} OPTIONS\r\n\
Content-Length: 0\r\n\r\n"
    )
    .into_bytes()
}

/// Frames `stream` pushed in pieces of `chunk` bytes.
fn frame_in_chunks(stream: &[u8], chunk: usize) -> Vec<Vec<u8>> {
    let mut framer = StreamFramer::<u8>::new();
    let mut got: Vec<Vec<u8>> = Vec::new();
    for piece in stream.chunks(chunk.max(1)) {
        framer.push(3, piece, &mut |m| got.push(m.to_vec()));
    }
    got
}

/// Frames `stream` whole and in several chunkings; all must agree.
fn frame_any_chunking(stream: &[u8]) -> Vec<Vec<u8>> {
    let whole = frame_in_chunks(stream, stream.len());
    for chunk in [1, 7, 500, 1448, 8192, 65_536] {
        assert!(
            frame_in_chunks(stream, chunk) == whole,
            "framing differs with {chunk}-byte chunks"
        );
    }
    whole
}

/// How many of `wanted` are among `got`, each exactly.
fn found(got: &[Vec<u8>], wanted: &[Vec<u8>]) -> usize {
    wanted.iter().filter(|w| got.contains(w)).count()
}

fn long_header_message(len: usize) -> Vec<u8> {
    let mut m =
        b"INVITE sip:bob@example.com SIP/2.0\r\nCall-ID: long@example.com\r\nX-Long: ".to_vec();
    m.resize(m.len() + len, b'a');
    m.extend_from_slice(b"\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n");
    m
}

#[test]
fn a_100_kb_header_line_hides_none_of_the_3_messages_after_it() {
    let valid: Vec<Vec<u8>> = (0..3).map(numbered_options).collect();
    let mut stream = long_header_message(100_000);
    stream.extend(valid.concat());
    let got = frame_any_chunking(&stream);
    assert_eq!(found(&got, &valid), 3);
    // The long message is kept, cut short and flagged, not dropped.
    assert_eq!(got.len(), 4);
    let cut = sip::parse(&got[0]).expect("the cut message still parses");
    assert!(cut.malformed.contains(Malformed::NO_HEADER_END));
    assert_eq!(cut.call_id(), Some(&b"long@example.com"[..]));
    assert!(got[0].len() <= 64 * 1024);
}

#[test]
fn a_lying_content_length_hides_none_of_the_messages_after_it() {
    let valid: Vec<Vec<u8>> = (0..5).map(numbered_options).collect();
    let mut stream =
        b"INVITE sip:bob@example.com SIP/2.0\r\nCall-ID: liar@example.com\r\nContent-Length: 999999999\r\n\r\nv=0\r\n"
            .to_vec();
    stream.extend(valid.concat());
    let got = frame_any_chunking(&stream);
    assert_eq!(found(&got, &valid), 5);
    assert_eq!(got.len(), 6);
    let cut = sip::parse(&got[0]).expect("the cut message still parses");
    assert!(cut.malformed.contains(Malformed::BODY_TOO_SHORT));
}

#[test]
fn ten_100_kb_lines_among_2000_messages_lose_none() {
    let valid: Vec<Vec<u8>> = (0..2000).map(numbered_options).collect();
    let mut stream = Vec::new();
    for (i, m) in valid.iter().enumerate() {
        if i % 200 == 100 {
            stream.extend(long_header_message(100_000));
        }
        stream.extend_from_slice(m);
    }
    let got = frame_any_chunking(&stream);
    assert_eq!(found(&got, &valid), 2000);
    assert_eq!(got.len(), 2010);
}

#[test]
fn a_sipfrag_body_is_not_taken_for_the_next_message() {
    let notify = b"NOTIFY sip:a@example.com SIP/2.0\r\nCall-ID: refer@example.com\r\n\
Content-Type: message/sipfrag;version=2.0\r\nContent-Length: 16\r\n\r\nSIP/2.0 200 OK\r\n"
        .to_vec();
    let mut stream = notify.clone();
    stream.extend(numbered_options(1));
    let got = frame_any_chunking(&stream);
    assert_eq!(got, vec![notify, numbered_options(1)]);
}

#[test]
fn a_start_line_among_headers_starts_the_next_message() {
    let valid = numbered_options(7);
    let mut stream = b"OPTIONS sip:x SIP/2.0\r\nCall-ID: no-end@example.com\r\n".to_vec();
    stream.extend_from_slice(&valid);
    let got = frame_any_chunking(&stream);
    assert_eq!(got.len(), 2);
    assert_eq!(got[1], valid);
}

/// Junk that holds no line a start line could be: any bytes without an S
/// (so no "SIP/2.0" in any case), maybe an endless line, maybe a head with a lying
/// Content-Length; it ends at a line end so the next line is the message's.
fn junk() -> impl Strategy<Value = Vec<u8>> {
    (
        proptest::collection::vec(any::<u8>(), 0..3000),
        prop_oneof![Just(0usize), 8_000usize..9_000, 60_000usize..140_000],
        any::<bool>(),
    )
        .prop_map(|(bytes, long, liar)| {
            let mut j = Vec::new();
            if liar {
                j.extend_from_slice(b"INVITE sip:x SIP/2.0\r\nContent-Length: 999999999\r\n\r\n");
            }
            j.extend(bytes.iter().map(|&b| {
                if b.eq_ignore_ascii_case(&b's') {
                    b'x'
                } else {
                    b
                }
            }));
            j.resize(j.len() + long, b'z');
            j.push(b'\n');
            j
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn every_complete_message_after_any_junk_is_found(
        junk in junk(),
        count in 1usize..6,
        cuts in proptest::collection::vec(any::<proptest::sample::Index>(), 0..6),
    ) {
        let valid: Vec<Vec<u8>> = (0..count).map(numbered_options).collect();
        let mut stream = junk;
        stream.extend(valid.concat());
        let mut cuts: Vec<usize> = cuts.iter().map(|c| c.index(stream.len())).collect();
        cuts.sort_unstable();
        let mut framer = StreamFramer::<u8>::new();
        let mut got: Vec<Vec<u8>> = Vec::new();
        let mut at = 0;
        for c in cuts.into_iter().chain(std::iter::once(stream.len())) {
            framer.push(1, &stream[at..c], &mut |m| got.push(m.to_vec()));
            at = c;
        }
        prop_assert_eq!(found(&got, &valid), count);
        prop_assert_eq!(&got, &frame_in_chunks(&stream, stream.len()));
    }
}

/// Pieces that steer the framer through every phase and cap.
fn framing_piece() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(b"INVITE sip:x SIP/2.0\r\n".to_vec()),
        Just(b"SIP/2.0 200 OK\n".to_vec()),
        Just(b"Call-ID: c\r\n".to_vec()),
        Just(b"Content-Type: message/sipfrag\r\n".to_vec()),
        (0usize..40).prop_map(|n| format!("Content-Length: {n}\r\n").into_bytes()),
        Just(b"Content-Length: 999999999\r\n".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\r".to_vec()),
        Just(b"\n".to_vec()),
        (8_190usize..8_195).prop_map(|n| vec![b'y'; n]),
        (65_530usize..65_540).prop_map(|n| vec![b'y'; n]),
        proptest::collection::vec(any::<u8>(), 0..40),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn framing_never_depends_on_where_the_stream_is_cut(
        pieces in proptest::collection::vec(framing_piece(), 0..40),
        cuts in proptest::collection::vec(any::<proptest::sample::Index>(), 0..8),
    ) {
        let stream = pieces.concat();
        let mut cuts: Vec<usize> = cuts.iter().map(|c| c.index(stream.len() + 1)).collect();
        cuts.sort_unstable();
        let mut framer = StreamFramer::<u8>::new();
        let mut got: Vec<Vec<u8>> = Vec::new();
        let mut at = 0;
        for c in cuts.into_iter().chain(std::iter::once(stream.len())) {
            framer.push(1, &stream[at..c], &mut |m| got.push(m.to_vec()));
            at = c;
        }
        prop_assert!(got == frame_in_chunks(&stream, stream.len()), "framing depends on the cuts");
        prop_assert!(got.iter().all(|m| m.len() <= 64 * 1024 + (1 << 20)));
    }
}

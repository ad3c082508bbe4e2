//! Throughput of the hot path: the SIP scanner alone, and the whole pipeline
//! (link layer to calls) on a real sample replayed from memory.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sipview::capture::{CaptureReader, CaptureSource};
use sipview::load::Pipeline;
use std::hint::black_box;
use std::path::Path;

const INVITE: &[u8] = b"INVITE sip:bob@192.0.2.20:5060 SIP/2.0\r\n\
Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-524287-1---5a9c7d8f;rport\r\n\
Max-Forwards: 70\r\n\
Contact: <sip:alice@192.0.2.10:5060;transport=udp>\r\n\
To: <sip:bob@example.com>\r\n\
From: \"Alice\" <sip:alice@example.com>;tag=9fxced76sl\r\n\
Call-ID: 3848276298220188511@192.0.2.10\r\n\
CSeq: 1 INVITE\r\n\
Allow: INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, NOTIFY, MESSAGE, SUBSCRIBE, INFO\r\n\
Content-Type: application/sdp\r\n\
Supported: replaces, timer\r\n\
User-Agent: bench/1.0\r\n\
Content-Length: 129\r\n\
\r\n\
v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\n\
m=audio 4000 RTP/AVP 0 8 101\r\na=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\n";

fn parser(c: &mut Criterion) {
    let mut g = c.benchmark_group("sip");
    g.throughput(Throughput::Elements(1));
    g.bench_function("parse_invite", |b| {
        b.iter(|| {
            let m = sipview::sip::parse(black_box(INVITE)).expect("parses");
            black_box(m.call_id());
            black_box(m.cseq());
            black_box(m.from().and_then(|f| f.tag()));
            black_box(m.top_via().and_then(|v| v.branch()));
        })
    });
    g.finish();
}

fn pipeline(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/udp-invite-mix.pcap");
    let Ok(source) = CaptureSource::open(&path) else {
        return;
    };
    let mut packets: Vec<(sipview::capture::LinkType, u64, Vec<u8>)> = Vec::new();
    if let Ok(reader) = CaptureReader::new(&source) {
        reader.read_all(|p| packets.push((p.link, p.ts.0, p.data.to_vec())));
    }
    let mut g = c.benchmark_group("pipeline");
    g.throughput(Throughput::Elements(packets.len() as u64));
    g.bench_function("udp_invite_mix", |b| {
        b.iter(|| {
            let mut pipeline = Pipeline::new();
            for (i, (link, ts, data)) in packets.iter().enumerate() {
                pipeline.push(&sipview::capture::Packet {
                    number: i as u64 + 1,
                    ts: sipview::capture::Timestamp(*ts),
                    link: *link,
                    data,
                    orig_len: data.len() as u32,
                    file_offset: None,
                });
            }
            black_box(pipeline.store.calls().len())
        })
    });
    g.finish();
}

/// A TCP stream of start lines with no blank line between them: every line
/// starts a message that never ends, the worst case for resynchronising.
fn framing(c: &mut Criterion) {
    let mut stream = Vec::new();
    for i in 0..20_000 {
        stream.extend_from_slice(format!("OPTIONS sip:host{i}.example.com SIP/2.0\r\n").as_bytes());
    }
    let mut g = c.benchmark_group("framing");
    g.throughput(Throughput::Bytes(stream.len() as u64));
    g.bench_function("start_lines_without_blank_lines", |b| {
        b.iter(|| {
            let mut framer = sipview::sip::StreamFramer::<u8>::new();
            let mut n = 0usize;
            // Segments of a typical MSS, as TCP reassembly hands them over.
            for seg in stream.chunks(1448) {
                framer.push(1, black_box(seg), &mut |m| n += m.len());
            }
            black_box((n, framer.skipped_bytes()))
        })
    });
    // The common case, for comparison: valid messages with SDP bodies.
    let mut valid = Vec::new();
    while valid.len() < stream.len() {
        valid.extend_from_slice(INVITE);
    }
    g.throughput(Throughput::Bytes(valid.len() as u64));
    g.bench_function("invites_with_sdp", |b| {
        b.iter(|| {
            let mut framer = sipview::sip::StreamFramer::<u8>::new();
            let mut n = 0usize;
            for seg in valid.chunks(1448) {
                framer.push(1, black_box(seg), &mut |m| n += m.len());
            }
            black_box(n)
        })
    });
    g.finish();
}

criterion_group!(benches, parser, pipeline, framing);
criterion_main!(benches);

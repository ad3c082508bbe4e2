//! The SIP scanner, header splitter and stream framer on arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sipview::sip::{self, HeaderLines, Malformed, NameAddr, StreamFramer, Via};
use std::hint::black_box;

fn touch(msg: &sip::SipMessage<'_>) {
    black_box(msg.is_request());
    black_box(msg.call_id());
    black_box(msg.cseq());
    black_box(msg.method());
    black_box(msg.status_code());
    black_box(msg.has_sdp());
    black_box(msg.from().map(|f| (f.user(), f.tag())));
    black_box(msg.to().map(|t| (t.user(), t.tag(), t.display)));
    black_box(msg.top_via().map(|v| (v.branch(), v.transport, v.sent_by)));
    black_box(msg.malformed.reasons().count());
    black_box(Malformed::from_bits(msg.malformed.bits()).reasons().count());
    if let Some(via) = msg.headers.via.as_deref() {
        for entry in Via::entries(via) {
            black_box(Via::parse(entry).map(|v| v.branch()));
        }
    }
    if let Some(contact) = msg.headers.contact.as_deref() {
        let na = NameAddr::parse(contact);
        black_box((na.user(), na.tag(), na.param(b"expires")));
    }
}

/// Split points for the framer, taken from the input itself so that the
/// fuzzer can steer them.
fn cuts(data: &[u8]) -> (usize, usize) {
    let n = data.len();
    if n < 2 {
        return (0, n);
    }
    let a = (data[0] as usize * 257 + data[n - 1] as usize) % (n + 1);
    let b = (data[n / 2] as usize * 131 + n) % (n + 1);
    (a.min(b), a.max(b))
}

fuzz_target!(|data: &[u8]| {
    if let Some(msg) = sip::parse(data) {
        touch(&msg);
    }

    let mut lines = HeaderLines::new(data);
    for h in lines.by_ref() {
        black_box((h.name, &h.value, h.raw, h.broken));
    }
    black_box((lines.ended_by_blank_line(), lines.remainder()));

    let (a, b) = cuts(data);
    let mut framer = StreamFramer::<u8>::new();
    let mut chunked: Vec<Vec<u8>> = Vec::new();
    for chunk in [&data[..a], &data[a..b], &data[b..]] {
        framer.push(0, chunk, &mut |m| {
            if let Some(msg) = sip::parse(m) {
                touch(&msg);
            }
            chunked.push(m.to_vec());
        });
    }
    black_box(framer.skipped_bytes());
    framer.reset(&0);

    // Differential check: the messages framed must not depend on where the
    // stream was cut (regressions/sip_parser-framer-eq-lone-cr was one).
    let mut whole: Vec<Vec<u8>> = Vec::new();
    StreamFramer::<u8>::new().push(1, data, &mut |m| whole.push(m.to_vec()));
    assert_eq!(whole, chunked, "framing depends on chunking at {a}/{b}");
});

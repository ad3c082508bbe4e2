//! The TCP/WebSocket stream framer fed in random chunk sizes.
//!
//! Input: 8 bytes that seed the chunking, then the stream. The stream is
//! framed three ways (whole; in chunks of random sizes up to a bound the
//! seed picks; and in other random chunks interleaved with the first on a
//! second stream key) and every way must hand on the same messages and
//! count the same cut messages and skipped bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sipview::sip::{self, StreamFramer};
use std::hint::black_box;

/// Largest chunk, picked by the seed: single bytes up to a jumbo read.
const BOUNDS: [usize; 8] = [1, 2, 7, 64, 536, 1460, 16_384, 65_536];

struct Chunks {
    state: u64,
    bound: usize,
}

impl Chunks {
    /// At most about 2,048 chunks per stream, so that big inputs (past the
    /// framer's 64 KiB and 1 MiB thresholds) still run fast enough to mutate.
    fn new(seed: u64, salt: u64, len: usize) -> Self {
        let state = (seed ^ salt).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        let bound = BOUNDS[(seed >> (salt % 7 * 3)) as usize % BOUNDS.len()].max(len / 1024);
        Chunks { state, bound }
    }
    /// xorshift64: the sizes only need to be varied, not good.
    fn next(&mut self) -> usize {
        self.state ^= self.state << 13;
        self.state ^= self.state >> 7;
        self.state ^= self.state << 17;
        1 + (self.state as usize) % self.bound
    }
}

type Framed = (Vec<Vec<u8>>, u64, u64);

fn whole(stream: &[u8]) -> Framed {
    let mut framer = StreamFramer::<u8>::new();
    let mut out = Vec::new();
    framer.push(0, stream, &mut |m| out.push(m.to_vec()));
    (out, framer.cut_messages(), framer.skipped_bytes())
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 8 {
        return;
    }
    let (head, stream) = data.split_at(8);
    let seed = u64::from_le_bytes(head.try_into().unwrap_or([0; 8]));
    let expected = whole(stream);

    // Two keys framed at once, each in its own random chunks, pushes
    // interleaved: keys must not leak into each other.
    let mut framer = StreamFramer::<u8>::new();
    let mut got: [Vec<Vec<u8>>; 2] = [Vec::new(), Vec::new()];
    let mut chunks = [
        Chunks::new(seed, 1, stream.len()),
        Chunks::new(seed, 2, stream.len()),
    ];
    let mut at = [0usize; 2];
    let mut turn = 0usize;
    while at[0] < stream.len() || at[1] < stream.len() {
        let k = if at[turn] < stream.len() {
            turn
        } else {
            1 - turn
        };
        let end = (at[k] + chunks[k].next()).min(stream.len());
        let out = &mut got[k];
        framer.push(k as u8, &stream[at[k]..end], &mut |m| {
            if let Some(msg) = sip::parse(m) {
                black_box((msg.call_id(), msg.cseq(), msg.malformed.bits()));
            }
            out.push(m.to_vec());
        });
        at[k] = end;
        turn = (turn + (seed as usize >> 5 & 1) + 1) % 2;
    }
    for (k, messages) in got.iter().enumerate() {
        assert!(
            *messages == expected.0,
            "key {k}: {} messages in chunks, {} whole",
            messages.len(),
            expected.0.len()
        );
    }
    assert_eq!(framer.cut_messages(), 2 * expected.1, "cut messages differ");
    assert_eq!(
        framer.skipped_bytes(),
        2 * expected.2,
        "skipped bytes differ"
    );
});

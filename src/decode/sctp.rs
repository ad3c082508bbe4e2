//! SIP over SCTP (RFC 4168), as IMS and carrier cores carry it: the DATA
//! chunks of a packet (several may share one), each a whole user message
//! or a fragment of one, put back together per association direction and
//! stream (RFC 9260 6.9), retransmitted chunks (a TSN seen already) left
//! out. Any payload protocol identifier is read: SIP's is 0 in practice,
//! and the content decides what is SIP.
//!
//! Bounded: a message longer than [`MAX_MESSAGE`] is dropped, at most
//! [`MAX_OPEN`] messages are being put together at once and [`MAX_FLOWS`]
//! directions remembered for retransmissions; what is dropped is counted.

use super::segment::FlowKey;
use foldhash::HashMap;
use std::collections::VecDeque;
use std::net::{IpAddr, SocketAddr};

const COMMON_HEADER: usize = 12;
const DATA: u8 = 0;
const DATA_HEADER: usize = 16;
/// Flags of a DATA chunk: the last and the first fragment of a message.
const END: u8 = 0x01;
const BEGIN: u8 = 0x02;
/// Largest user message put back together.
pub const MAX_MESSAGE: usize = 256 * 1024;
/// Messages being put together at once.
pub const MAX_OPEN: usize = 1024;
/// Association directions whose recent TSNs are remembered.
pub const MAX_FLOWS: usize = 4096;
/// Recent TSNs remembered per direction.
const RECENT_TSNS: usize = 64;

/// A DATA chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DataChunk<'a> {
    pub flags: u8,
    pub tsn: u32,
    pub stream: u16,
    pub ppid: u32,
    pub data: &'a [u8],
}

/// The ports and the DATA chunks of an SCTP packet; `None` when the common
/// header is cut. A chunk whose length runs past the packet ends the list.
pub fn parse(ip_payload: &[u8]) -> Option<(u16, u16, Vec<DataChunk<'_>>)> {
    let header = ip_payload.get(..COMMON_HEADER)?;
    let src = u16::from_be_bytes([header[0], header[1]]);
    let dst = u16::from_be_bytes([header[2], header[3]]);
    let mut chunks = Vec::new();
    let mut at = COMMON_HEADER;
    while let Some(head) = ip_payload.get(at..at + 4) {
        let (kind, flags) = (head[0], head[1]);
        let len = usize::from(u16::from_be_bytes([head[2], head[3]]));
        let Some(chunk) = ip_payload.get(at..at + len).filter(|_| len >= 4) else {
            break;
        };
        if kind == DATA && len >= DATA_HEADER {
            let be32 =
                |i: usize| u32::from_be_bytes([chunk[i], chunk[i + 1], chunk[i + 2], chunk[i + 3]]);
            chunks.push(DataChunk {
                flags,
                tsn: be32(4),
                stream: u16::from_be_bytes([chunk[8], chunk[9]]),
                ppid: be32(12),
                data: &chunk[DATA_HEADER..],
            });
        }
        // Chunks are padded to a multiple of 4 bytes.
        at += len.div_ceil(4) * 4;
    }
    Some((src, dst, chunks))
}

/// Where a complete user message goes: its flow, its bytes and, when it
/// sat whole in one chunk, its offset in the packet's IP payload.
pub type OnMessage<'a> = dyn FnMut(FlowKey, &[u8], Option<usize>) + 'a;

/// A message being put together.
#[derive(Debug)]
struct Open {
    next_tsn: u32,
    bytes: Vec<u8>,
}

/// What the reassembler dropped.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SctpStats {
    pub data_chunks: u64,
    pub retransmitted_chunks: u64,
    /// Fragments that came without their start, out of order, or past
    /// [`MAX_MESSAGE`] / [`MAX_OPEN`].
    pub fragments_dropped: u64,
}

#[derive(Debug, Default)]
pub struct SctpReassembler {
    open: HashMap<(FlowKey, u16), Open>,
    recent: HashMap<FlowKey, VecDeque<u32>>,
    stats: SctpStats,
}

impl SctpReassembler {
    pub fn stats(&self) -> SctpStats {
        self.stats
    }

    /// Bytes of the messages being put together, for the byte budget (a
    /// walk over at most [`MAX_OPEN`] entries).
    pub fn held_bytes(&self) -> usize {
        self.open
            .values()
            .map(|o| o.bytes.len() + 48)
            .sum::<usize>()
            + self.recent.len() * 600
    }

    /// The complete user messages of an SCTP packet from `src` to `dst`
    /// (IP addresses), each handed to `out` with the flow and, when it sat
    /// whole in one chunk, its offset in `ip_payload`.
    pub fn packet(
        &mut self,
        src: IpAddr,
        dst: IpAddr,
        ip_payload: &[u8],
        out: &mut OnMessage<'_>,
    ) -> bool {
        let Some((sport, dport, chunks)) = parse(ip_payload) else {
            return false;
        };
        let flow = FlowKey {
            src: SocketAddr::new(src, sport),
            dst: SocketAddr::new(dst, dport),
        };
        for c in chunks {
            self.stats.data_chunks += 1;
            if self.seen_before(flow, c.tsn) {
                self.stats.retransmitted_chunks += 1;
                continue;
            }
            let key = (flow, c.stream);
            match (c.flags & BEGIN != 0, c.flags & END != 0) {
                (true, true) => {
                    let offset = c.data.as_ptr() as usize - ip_payload.as_ptr() as usize;
                    out(flow, c.data, Some(offset));
                }
                (true, false) => {
                    if self.open.len() >= MAX_OPEN && !self.open.contains_key(&key) {
                        self.stats.fragments_dropped += 1;
                        continue;
                    }
                    let open = Open {
                        next_tsn: c.tsn.wrapping_add(1),
                        bytes: c.data.to_vec(),
                    };
                    if self.open.insert(key, open).is_some() {
                        // The message before never ended.
                        self.stats.fragments_dropped += 1;
                    }
                }
                (false, last) => {
                    let Some(open) = self.open.get_mut(&key) else {
                        self.stats.fragments_dropped += 1;
                        continue;
                    };
                    if open.next_tsn != c.tsn || open.bytes.len() + c.data.len() > MAX_MESSAGE {
                        self.open.remove(&key);
                        self.stats.fragments_dropped += 1;
                        continue;
                    }
                    open.bytes.extend_from_slice(c.data);
                    open.next_tsn = c.tsn.wrapping_add(1);
                    if last {
                        if let Some(done) = self.open.remove(&key) {
                            out(flow, &done.bytes, None);
                        }
                    }
                }
            }
        }
        true
    }

    /// True when this direction carried `tsn` lately (a retransmission);
    /// remembers it otherwise.
    fn seen_before(&mut self, flow: FlowKey, tsn: u32) -> bool {
        if self.recent.len() >= MAX_FLOWS && !self.recent.contains_key(&flow) {
            self.recent.clear();
        }
        let recent = self.recent.entry(flow).or_default();
        if recent.contains(&tsn) {
            return true;
        }
        if recent.len() >= RECENT_TSNS {
            recent.pop_front();
        }
        recent.push_back(tsn);
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An SCTP packet from port 5060 to 5060 with the given DATA chunks
    /// (flags, tsn, stream, data).
    fn packet(chunks: &[(u8, u32, u16, &[u8])]) -> Vec<u8> {
        let mut p = vec![0x13, 0xc4, 0x13, 0xc4, 0, 0, 0, 1, 0, 0, 0, 0];
        for &(flags, tsn, stream, data) in chunks {
            let len = (DATA_HEADER + data.len()) as u16;
            p.extend_from_slice(&[DATA, flags]);
            p.extend_from_slice(&len.to_be_bytes());
            p.extend_from_slice(&tsn.to_be_bytes());
            p.extend_from_slice(&stream.to_be_bytes());
            p.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
            p.extend_from_slice(data);
            while p.len() % 4 != 0 {
                p.push(0);
            }
        }
        p
    }

    fn messages(r: &mut SctpReassembler, p: &[u8]) -> Vec<Vec<u8>> {
        let ip: IpAddr = "192.0.2.1".parse().expect("ip");
        let mut got = Vec::new();
        r.packet(ip, ip, p, &mut |_, m, _| got.push(m.to_vec()));
        got
    }

    #[test]
    fn several_chunks_fragments_and_retransmissions() {
        let mut r = SctpReassembler::default();
        let two = packet(&[
            (BEGIN | END, 1, 0, b"OPTIONS a"),
            (BEGIN | END, 2, 1, b"OPTIONS b"),
        ]);
        assert_eq!(
            messages(&mut r, &two),
            [b"OPTIONS a".to_vec(), b"OPTIONS b".to_vec()]
        );
        assert_eq!(
            messages(&mut r, &two),
            Vec::<Vec<u8>>::new(),
            "retransmitted"
        );
        assert_eq!(
            messages(&mut r, &packet(&[(BEGIN, 3, 0, b"INVITE ")])),
            Vec::<Vec<u8>>::new()
        );
        assert_eq!(
            messages(&mut r, &packet(&[(0, 4, 0, b"sip:")])),
            Vec::<Vec<u8>>::new()
        );
        assert_eq!(
            messages(&mut r, &packet(&[(END, 5, 0, b"bob")])),
            [b"INVITE sip:bob".to_vec()]
        );
        // A middle fragment without its start is dropped, counted.
        assert_eq!(
            messages(&mut r, &packet(&[(END, 9, 0, b"x")])),
            Vec::<Vec<u8>>::new()
        );
        assert_eq!(r.stats().fragments_dropped, 1);
        assert_eq!(r.stats().retransmitted_chunks, 2);
    }

    #[test]
    fn cut_chunks_end_the_list() {
        let mut p = packet(&[(BEGIN | END, 1, 0, b"OPTIONS a")]);
        p.truncate(p.len() - 6);
        let (_, _, chunks) = parse(&p).expect("header");
        assert!(chunks.is_empty());
        assert!(parse(&p[..11]).is_none());
    }
}

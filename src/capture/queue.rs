//! Packets handed from the device threads to the one thread that feeds the
//! pipeline. The device threads only copy packets in, so a slow moment in
//! the pipeline (rotating out old calls under `-R` compacts the store) never
//! keeps them from emptying the kernel's ring buffer; the queue is bounded
//! in packets and bytes, and what does not fit is counted, not hoarded.

use super::{LinkType, Packet, Timestamp};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, RecvTimeoutError, SyncSender, TrySendError};
use std::sync::Arc;
use std::time::Duration;

/// At most this many packets wait...
pub const MAX_PACKETS: usize = 200_000;
/// ...and at most this many bytes of them (a few seconds of a busy link).
pub const MAX_BYTES: usize = 64 << 20;

/// A packet copied out of libpcap's buffer.
#[derive(Debug, Clone)]
pub struct OwnedPacket {
    pub number: u64,
    pub ts: Timestamp,
    pub link: LinkType,
    pub orig_len: u32,
    pub data: Vec<u8>,
}

impl OwnedPacket {
    pub fn packet(&self) -> Packet<'_> {
        Packet {
            number: self.number,
            ts: self.ts,
            link: self.link,
            data: &self.data,
            orig_len: self.orig_len,
            file_offset: None,
        }
    }
}

/// What the producers and the consumer share.
#[derive(Debug, Default)]
pub struct QueueCounters {
    bytes: AtomicUsize,
    /// Packets dropped because the queue was full.
    pub dropped: AtomicU64,
}

/// The device side; one clone per device thread. The queue closes when the
/// last one is dropped.
#[derive(Clone)]
pub struct PacketSender {
    tx: SyncSender<OwnedPacket>,
    counters: Arc<QueueCounters>,
    max_bytes: usize,
}

/// The pipeline side.
pub struct PacketReceiver {
    rx: Receiver<OwnedPacket>,
    counters: Arc<QueueCounters>,
}

/// A queue of at most `max_packets` packets and `max_bytes` bytes.
pub fn packet_queue(
    max_packets: usize,
    max_bytes: usize,
) -> (PacketSender, PacketReceiver, Arc<QueueCounters>) {
    let (tx, rx) = sync_channel(max_packets);
    let counters = Arc::new(QueueCounters::default());
    (
        PacketSender {
            tx,
            counters: Arc::clone(&counters),
            max_bytes,
        },
        PacketReceiver {
            rx,
            counters: Arc::clone(&counters),
        },
        counters,
    )
}

impl PacketSender {
    /// Copies the packet in; false (and counted) when the queue is full.
    pub fn push(&self, p: &Packet<'_>) -> bool {
        let len = p.data.len();
        let held = self.counters.bytes.fetch_add(len, Ordering::AcqRel);
        if held + len > self.max_bytes {
            return self.refuse(len);
        }
        let owned = OwnedPacket {
            number: p.number,
            ts: p.ts,
            link: p.link,
            orig_len: p.orig_len,
            data: p.data.to_vec(),
        };
        match self.tx.try_send(owned) {
            Ok(()) => true,
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => self.refuse(len),
        }
    }

    fn refuse(&self, len: usize) -> bool {
        self.counters.bytes.fetch_sub(len, Ordering::AcqRel);
        self.counters.dropped.fetch_add(1, Ordering::Relaxed);
        false
    }
}

/// What [`PacketReceiver::next`] found.
pub enum Next {
    Packet(OwnedPacket),
    /// Nothing for a while; the queue is still open.
    Idle,
    /// Every sender is gone and the queue is empty.
    Closed,
}

impl PacketReceiver {
    /// The next packet, waiting at most `wait`.
    pub fn next(&self, wait: Duration) -> Next {
        match self.rx.recv_timeout(wait) {
            Ok(p) => self.taken(p),
            Err(RecvTimeoutError::Timeout) => Next::Idle,
            Err(RecvTimeoutError::Disconnected) => Next::Closed,
        }
    }

    /// The next packet if one is waiting.
    pub fn try_next(&self) -> Option<OwnedPacket> {
        match self.rx.try_recv() {
            Ok(p) => match self.taken(p) {
                Next::Packet(p) => Some(p),
                _ => None,
            },
            Err(_) => None,
        }
    }

    fn taken(&self, p: OwnedPacket) -> Next {
        self.counters
            .bytes
            .fetch_sub(p.data.len(), Ordering::AcqRel);
        Next::Packet(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn packet(data: &[u8]) -> Packet<'_> {
        Packet {
            number: 1,
            ts: Timestamp(5),
            link: LinkType::RAW,
            data,
            orig_len: data.len() as u32,
            file_offset: None,
        }
    }

    #[test]
    fn bounded_by_packets_and_bytes_and_closes_with_the_last_sender() {
        let (tx, rx, counters) = packet_queue(2, 10);
        assert!(tx.push(&packet(&[1; 4])));
        assert!(tx.push(&packet(&[2; 4])));
        // Full by count.
        assert!(!tx.push(&packet(&[3; 1])));
        match rx.next(Duration::from_millis(10)) {
            Next::Packet(p) => assert_eq!((p.data, p.ts), (vec![1; 4], Timestamp(5))),
            _ => panic!("a packet was waiting"),
        }
        // Room for one packet, but 4 + 7 bytes is over 10.
        assert!(!tx.push(&packet(&[4; 7])));
        assert!(tx.push(&packet(&[5; 6])));
        assert_eq!(counters.dropped.load(Ordering::Relaxed), 2);
        let tx2 = tx.clone();
        drop(tx);
        assert!(rx.try_next().is_some());
        assert!(rx.try_next().is_some());
        assert!(matches!(rx.next(Duration::from_millis(10)), Next::Idle));
        drop(tx2);
        assert!(matches!(rx.next(Duration::from_millis(10)), Next::Closed));
    }
}

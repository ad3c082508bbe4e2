//! A small jitter buffer per stream: packets are decoded in sequence-number
//! order, as a receiver plays them, since the G.722 and Opus decoders carry
//! state from one packet to the next. A few packets are held; one that
//! comes after its turn has been played is too late, one seen already is
//! a duplicate.

/// Packets held before the oldest is played: 100 ms of 20 ms packets.
pub const DEPTH: usize = 5;

/// A packet waiting for its turn.
pub struct Held {
    /// Extended sequence number.
    pub seq: i64,
    /// Output frame of its capture time.
    pub arrival: i64,
    pub payload_type: u8,
    pub timestamp: u32,
    pub payload: Vec<u8>,
}

/// What became of a packet given to [`Reorder::push`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taken {
    Held,
    Duplicate,
    Late,
}

#[derive(Default)]
pub struct Reorder {
    /// Sorted by sequence number.
    held: Vec<Held>,
    /// Last sequence number pushed and its extension.
    last_in: Option<(u16, i64)>,
    /// Extended sequence number of the last packet played.
    played: Option<i64>,
    /// Payload buffers of played packets, to reuse.
    spare: Vec<Vec<u8>>,
}

impl Reorder {
    /// The extended sequence number of `seq`: the nearest to the last one.
    pub fn extend(&self, seq: u16) -> i64 {
        match self.last_in {
            None => i64::from(seq),
            Some((last, ext)) => ext + i64::from(seq.wrapping_sub(last) as i16),
        }
    }

    pub fn push(
        &mut self,
        seq: u16,
        arrival: i64,
        payload_type: u8,
        timestamp: u32,
        payload: &[u8],
    ) -> Taken {
        let ext = self.extend(seq);
        if self.played.is_some_and(|p| ext <= p) {
            // Played already, or its turn is gone: a duplicate when it is
            // one of the last packets played (that cannot be told apart
            // without keeping them all; a late packet is rare).
            return if self.played.is_some_and(|p| ext == p) {
                Taken::Duplicate
            } else {
                Taken::Late
            };
        }
        let at = match self.held.binary_search_by_key(&ext, |h| h.seq) {
            Ok(_) => return Taken::Duplicate,
            Err(at) => at,
        };
        self.last_in = Some((seq, ext));
        let mut buf = self.spare.pop().unwrap_or_default();
        buf.clear();
        buf.extend_from_slice(payload);
        self.held.insert(
            at,
            Held {
                seq: ext,
                arrival,
                payload_type,
                timestamp,
                payload: buf,
            },
        );
        Taken::Held
    }

    /// The next packet to play: the oldest held once more than [`DEPTH`]
    /// are, or any while `drain`.
    pub fn pop(&mut self, drain: bool) -> Option<Held> {
        if self.held.is_empty() || (!drain && self.held.len() <= DEPTH) {
            return None;
        }
        let h = self.held.remove(0);
        self.played = Some(h.seq);
        Some(h)
    }

    /// Gives a played packet's buffer back.
    pub fn recycle(&mut self, h: Held) {
        if self.spare.len() < DEPTH + 1 {
            self.spare.push(h.payload);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(seqs: &[u16]) -> (Vec<i64>, Vec<Taken>) {
        let mut r = Reorder::default();
        let mut played = Vec::new();
        let mut taken = Vec::new();
        for &s in seqs {
            taken.push(r.push(s, 0, 0, 0, &[1, 2]));
            while let Some(h) = r.pop(false) {
                played.push(h.seq);
                r.recycle(h);
            }
        }
        while let Some(h) = r.pop(true) {
            played.push(h.seq);
        }
        (played, taken)
    }

    #[test]
    fn reordered_packets_play_in_order_across_the_wrap() {
        let (played, _) = order(&[65533, 65535, 65534, 1, 0, 2, 3, 5, 4]);
        let want: Vec<i64> = (65533..65533 + 9).collect();
        assert_eq!(played, want);
    }

    #[test]
    fn duplicates_and_late_packets_are_not_played() {
        let mut seqs: Vec<u16> = (10..30).collect();
        seqs.insert(5, 12); // a duplicate still held
        seqs.push(29); // a duplicate of the last played (after draining)
        seqs.insert(18, 11); // long after its turn
        let (played, taken) = order(&seqs);
        assert_eq!(played, (10..30).collect::<Vec<i64>>());
        assert_eq!(taken[5], Taken::Duplicate);
        assert_eq!(taken[18], Taken::Late);
        assert_eq!(taken.iter().filter(|&&t| t == Taken::Held).count(), 20);
    }
}

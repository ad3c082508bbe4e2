//! Counters of one RTP stream: loss from sequence numbers (RFC 3550 A.1,
//! A.3) and interarrival jitter (RFC 3550 A.8).

/// Packets this far behind the highest sequence number are remembered, to
/// tell a duplicate from a late packet.
const WINDOW: u64 = 128;

/// Sequence numbers extended past their 16-bit wrap, and what they say.
#[derive(Debug, Clone, Default)]
pub struct SeqTracker {
    /// Extended highest sequence number; starts high above 0 so that late
    /// packets before the first one seen still fit.
    max: u64,
    /// Lowest extended sequence number seen.
    base: u64,
    /// Bit i set: `max - i` was received.
    window: u128,
    started: bool,
    /// Distinct sequence numbers received.
    pub unique: u64,
    pub duplicates: u64,
    /// Packets older than the highest one seen before them.
    pub out_of_order: u64,
    /// Forward jumps over missing numbers in arrival order: each is a run
    /// of packets lost together (late ones may fill it later).
    pub loss_runs: u64,
}

impl SeqTracker {
    pub fn push(&mut self, seq: u16) {
        if !self.started {
            self.started = true;
            self.max = (1u64 << 32) + u64::from(seq);
            self.base = self.max;
            self.window = 1;
            self.unique = 1;
            return;
        }
        // The nearest reading of a 16-bit number: a wrap forward or back.
        let delta = i64::from(seq.wrapping_sub(self.max as u16) as i16);
        if delta > 0 {
            let step = delta as u64;
            if step > 1 {
                self.loss_runs += 1;
            }
            self.window = if step >= WINDOW {
                0
            } else {
                self.window << step
            };
            self.window |= 1;
            self.max += step;
            self.unique += 1;
        } else if delta == 0 {
            self.duplicates += 1;
        } else {
            let back = delta.unsigned_abs();
            let ext = self.max.saturating_sub(back);
            if back < WINDOW {
                let bit = 1u128 << back;
                if self.window & bit != 0 {
                    self.duplicates += 1;
                    return;
                }
                self.window |= bit;
            }
            self.unique += 1;
            self.out_of_order += 1;
            self.base = self.base.min(ext);
        }
    }

    /// Packets the sequence numbers say were sent (RFC 3550 A.3).
    pub fn expected(&self) -> u64 {
        if self.started {
            self.max - self.base + 1
        } else {
            0
        }
    }

    /// Expected minus received, duplicates not counted as received (so
    /// never negative; RFC 3550's figure can go below zero on duplicates).
    pub fn lost(&self) -> u64 {
        self.expected().saturating_sub(self.unique)
    }
}

/// Interarrival jitter: the mean deviation of packet spacing at the
/// receiver from the spacing of their RTP timestamps, smoothed by 1/16.
#[derive(Debug, Clone, Default)]
pub struct Jitter {
    /// Previous (arrival - timestamp) in seconds.
    last_transit: Option<f64>,
    /// Arrival of the first packet: times are taken from it, since epoch
    /// nanoseconds do not fit an f64 to the microsecond.
    origin_ns: Option<u64>,
    /// RTP timestamp of the first packet and the wraps since, to extend
    /// timestamps past 32 bits.
    ts_ext: Option<(u32, i64)>,
    /// The clock rate of the timeline being followed.
    timeline: Option<u32>,
    /// Current estimate, seconds.
    pub jitter: f64,
    pub max: f64,
    sum: f64,
    samples: u64,
}

impl Jitter {
    /// One packet: its arrival time (ns since the epoch), RTP timestamp,
    /// payload type and the payload's clock rate.
    ///
    /// A payload type of another clock rate on the same SSRC (a re-INVITE
    /// from PCMU to Opus) starts a new timeline: its timestamps count at
    /// its own clock and from a base of its own, so the spacing across the
    /// change says nothing about the network. The estimate carries on from
    /// there. One clock (PCMU and its comfort noise) is one timeline.
    pub fn push(&mut self, arrival_ns: u64, rtp_ts: u32, clock_rate: u32) {
        if clock_rate == 0 {
            return;
        }
        if self
            .timeline
            .replace(clock_rate)
            .is_some_and(|t| t != clock_rate)
        {
            self.last_transit = None;
            self.origin_ns = None;
            self.ts_ext = None;
        }
        // Timestamps move forward by small steps; read each one as the
        // nearest value to the last, so a 32-bit wrap is no jump.
        let ext = match self.ts_ext {
            None => 0,
            Some((last, ext)) => ext + i64::from(rtp_ts.wrapping_sub(last) as i32),
        };
        self.ts_ext = Some((rtp_ts, ext));
        let origin = *self.origin_ns.get_or_insert(arrival_ns);
        let since = arrival_ns as i128 - origin as i128;
        let transit = since as f64 / 1e9 - ext as f64 / f64::from(clock_rate);
        if let Some(last) = self.last_transit {
            let d = (transit - last).abs();
            self.jitter += (d - self.jitter) / 16.0;
            self.max = self.max.max(self.jitter);
            self.sum += self.jitter;
            self.samples += 1;
        }
        self.last_transit = Some(transit);
    }

    /// Mean of the estimate over the packets after the first, seconds.
    pub fn mean(&self) -> f64 {
        if self.samples == 0 {
            0.0
        } else {
            self.sum / self.samples as f64
        }
    }
}

/// Clock rate of the static payload types of RFC 3551 (table 4 and 5).
pub fn static_clock_rate(pt: u8) -> Option<u32> {
    Some(match pt {
        0..=9 | 12 | 13 | 15 | 18 => 8000,
        10 | 11 => 44_100,
        14 | 25 | 26 | 28 | 31..=34 => 90_000,
        16 => 11_025,
        17 => 22_050,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn track(seqs: &[u16]) -> SeqTracker {
        let mut t = SeqTracker::default();
        for &s in seqs {
            t.push(s);
        }
        t
    }

    #[test]
    fn in_order_no_loss() {
        let t = track(&[10, 11, 12, 13]);
        assert_eq!(
            (t.expected(), t.lost(), t.duplicates, t.out_of_order),
            (4, 0, 0, 0)
        );
    }

    #[test]
    fn gaps_duplicates_and_reordering() {
        let t = track(&[1, 2, 4, 3, 3, 7, 6, 7]);
        // expected 1..=7, received 1 2 3 4 6 7: 5 is lost.
        assert_eq!(t.expected(), 7);
        assert_eq!(t.lost(), 1);
        assert_eq!(t.duplicates, 2);
        assert_eq!(t.out_of_order, 2);
    }

    #[test]
    fn wrap_around_counts_through_zero() {
        let t = track(&[65534, 65535, 0, 2]);
        assert_eq!((t.expected(), t.lost()), (5, 1));
        // A late packet from before the first one seen.
        let t = track(&[0, 1, 65535]);
        assert_eq!((t.expected(), t.lost(), t.out_of_order), (3, 0, 1));
    }

    #[test]
    fn jitter_zero_for_perfect_spacing_and_grows_with_wobble() {
        let mut j = Jitter::default();
        for i in 0..50u64 {
            j.push(i * 20_000_000, (i * 160) as u32, 8000);
        }
        assert!(j.jitter.abs() < 1e-12);
        let mut j = Jitter::default();
        for i in 0..50u64 {
            let wobble = if i % 2 == 0 { 5_000_000 } else { 0 };
            j.push(i * 20_000_000 + wobble, (i * 160) as u32, 8000);
        }
        // Every step is 5 ms off; the estimate converges towards 5 ms.
        assert!(j.jitter > 0.004 && j.jitter < 0.0051, "{}", j.jitter);
        assert!(j.max >= j.jitter && j.mean() > 0.0);
    }

    #[test]
    fn a_new_clock_rate_starts_a_new_timeline() {
        let mut j = Jitter::default();
        for i in 0..50u64 {
            j.push(i * 20_000_000, 1000 + (i * 160) as u32, 8000);
        }
        // Opus from a new base at 48 kHz, 20 ms apart as before.
        for i in 50..100u64 {
            j.push(i * 20_000_000, 777_000 + (i * 960) as u32, 48000);
        }
        assert!(j.max < 1e-9, "{}", j.max);
    }

    #[test]
    fn jitter_timestamp_wrap_is_no_jump() {
        let mut j = Jitter::default();
        let start = u32::MAX - 320;
        for i in 0..10u32 {
            j.push(u64::from(i) * 20_000_000, start.wrapping_add(i * 160), 8000);
        }
        assert!(j.jitter.abs() < 1e-9);
    }
}

//! RFC 4733 telephone-events (DTMF keys sent as RTP) turned into digits.
//!
//! An event is sent as a run of packets with the same RTP timestamp (the
//! moment the key went down) and a growing duration; the last one has the
//! end bit and is usually sent three times. So one digit per timestamp,
//! whatever the packets lost or repeated.

use crate::capture::Timestamp;

/// Digits kept per stream; a stream with more (a fax tone generator?) only
/// counts them.
const MAX_DIGITS: usize = 256;

/// One key press.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DtmfDigit {
    pub digit: char,
    /// Capture time of the first packet of the event.
    pub ts: Timestamp,
    /// Duration in timestamp units, from the last packet seen of the event.
    pub duration: u16,
    /// The end packet arrived.
    pub ended: bool,
}

/// The digits of one stream, in order.
#[derive(Debug, Clone, Default)]
pub struct DtmfEvents {
    pub digits: Vec<DtmfDigit>,
    /// Events past [`MAX_DIGITS`].
    pub dropped: u32,
    /// RTP timestamp of the event in progress.
    current: Option<u32>,
}

/// The character of event codes 0-15 (RFC 4733 3.2): 0-9, *, #, A-D.
pub fn event_char(event: u8) -> Option<char> {
    const KEYS: &[u8; 16] = b"0123456789*#ABCD";
    KEYS.get(usize::from(event)).map(|&b| char::from(b))
}

impl DtmfEvents {
    /// Reads one telephone-event payload (4 bytes: event, E/R/volume,
    /// duration); other events (tones, flash) and short payloads are skipped.
    pub fn push(&mut self, rtp_timestamp: u32, payload: &[u8], ts: Timestamp) {
        let [event, flags, d0, d1, ..] = *payload else {
            return;
        };
        let Some(digit) = event_char(event) else {
            return;
        };
        let ended = flags & 0x80 != 0;
        let duration = u16::from_be_bytes([d0, d1]);
        if self.current == Some(rtp_timestamp) {
            if let Some(last) = self.digits.last_mut() {
                last.ended |= ended;
                last.duration = last.duration.max(duration);
            }
            return;
        }
        self.current = Some(rtp_timestamp);
        if self.digits.len() >= MAX_DIGITS {
            self.dropped += 1;
            return;
        }
        self.digits.push(DtmfDigit {
            digit,
            ts,
            duration,
            ended,
        });
    }

    /// The digits pressed, as typed.
    pub fn text(&self) -> String {
        self.digits.iter().map(|d| d.digit).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payload(event: u8, end: bool, duration: u16) -> [u8; 4] {
        let d = duration.to_be_bytes();
        [event, if end { 0x8a } else { 0x0a }, d[0], d[1]]
    }

    #[test]
    fn one_digit_per_event_end_repeats_counted_once() {
        let mut e = DtmfEvents::default();
        for (i, d) in [0u16, 320, 640].iter().enumerate() {
            e.push(13280, &payload(1, false, *d), Timestamp(i as u64));
        }
        for _ in 0..3 {
            e.push(13280, &payload(1, true, 960), Timestamp(9));
        }
        e.push(20000, &payload(11, true, 800), Timestamp(20));
        e.push(30000, &payload(42, false, 0), Timestamp(30));
        e.push(40000, &[5, 0], Timestamp(40));
        assert_eq!(e.text(), "1#");
        assert_eq!(e.digits[0].ts, Timestamp(0));
        assert!(e.digits[0].ended);
        assert_eq!(e.digits[0].duration, 960);
    }

    #[test]
    fn event_codes() {
        assert_eq!(event_char(0), Some('0'));
        assert_eq!(event_char(10), Some('*'));
        assert_eq!(event_char(15), Some('D'));
        assert_eq!(event_char(16), None);
    }
}

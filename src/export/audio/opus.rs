//! Opus decoding with libopus (through the `opus` crate), at 48 kHz mono:
//! a stereo stream (`sprop-stereo=1`) is mixed down by libopus itself, as
//! each direction of a call is one channel of the WAV.
//!
//! Loss is concealed as a receiver does it, not left silent: when packets
//! are missing before one that arrived, the gap is filled by libopus's
//! packet loss concealment, and its last frame from the in-band FEC copy
//! the arriving packet carries when the sender put one in (RFC 7587
//! `useinbandfec`; without one libopus conceals that frame too). At most
//! [`MAX_CONCEAL`] is concealed: past it the concealment has faded out and
//! the rest of a long gap (hold, DTX) stays silent.

use ::opus::{Channels, Decoder};

/// Why a packet's payload gave no audio.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    #[error("empty payload")]
    Empty,
    #[error("not Opus: {0}")]
    Opus(#[from] ::opus::Error),
}

const RATE: u32 = 48_000;
/// The longest Opus packet: 120 ms.
const MAX_PACKET: usize = 5760;
/// Concealment and FEC come in steps of 2.5 ms (libopus requires it).
const STEP: usize = 120;
/// The most audio concealed for one gap: 120 ms.
pub const MAX_CONCEAL: usize = 5760;

pub struct OpusStream {
    decoder: Decoder,
    /// Samples of the last packet decoded: the size of a lost one.
    last_frame: usize,
}

impl OpusStream {
    pub fn new() -> Result<OpusStream, DecodeError> {
        Ok(OpusStream {
            decoder: Decoder::new(RATE, Channels::Mono)?,
            last_frame: 960,
        })
    }

    /// Replaces `out` by the 48 kHz samples of one packet; an invalid
    /// packet is an error and leaves the decoder as it was.
    pub fn decode(&mut self, payload: &[u8], out: &mut Vec<i16>) -> Result<(), DecodeError> {
        out.clear();
        out.resize(MAX_PACKET, 0);
        match self.decoder.decode(payload, out, false) {
            Ok(n) => {
                out.truncate(n);
                self.last_frame = n.clamp(STEP, MAX_PACKET);
                Ok(())
            }
            Err(e) => {
                out.clear();
                Err(e.into())
            }
        }
    }

    /// Replaces `out` by audio for the `missing` samples just before
    /// `next` (rounded down to 2.5 ms, at most [`MAX_CONCEAL`]): PLC, then
    /// FEC from `next` for the frame before it when `next_follows_loss`.
    pub fn conceal(
        &mut self,
        missing: usize,
        next: &[u8],
        next_follows_loss: bool,
        out: &mut Vec<i16>,
    ) {
        out.clear();
        let total = missing.min(MAX_CONCEAL) / STEP * STEP;
        if total == 0 {
            return;
        }
        // The FEC copy is of the frame right before `next`, as long as it.
        let fec = if next_follows_loss {
            ::opus::packet::get_nb_samples(next, RATE)
                .map(|n| n.min(total) / STEP * STEP)
                .unwrap_or(0)
        } else {
            0
        };
        out.resize(total, 0);
        let plc = total - fec;
        let mut done = 0;
        // PLC in frames the size of the last packet, as they were lost.
        while done < plc {
            let n = (plc - done).min(self.last_frame);
            match self.decoder.decode(&[], &mut out[done..done + n], false) {
                Ok(got) if got > 0 => done += got.min(n),
                _ => break,
            }
        }
        if done == plc && fec > 0 {
            let tail = &mut out[plc..];
            done += match self.decoder.decode(next, tail, true) {
                Ok(n) if n == fec => n,
                // No FEC to be had: that frame is concealed as well.
                _ => self.decoder.decode(&[], tail, false).unwrap_or(0).min(fec),
            };
        }
        out.truncate(done);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::opus::{Application, Encoder};

    fn tone(freq: f64, n: usize) -> Vec<i16> {
        (0..n)
            .map(|i| (8000.0 * (2.0 * std::f64::consts::PI * freq * i as f64 / 48e3).sin()) as i16)
            .collect()
    }

    /// Zero crossings per second: twice the frequency of a pure tone.
    fn crossings(s: &[i16]) -> f64 {
        let n = s.windows(2).filter(|w| (w[0] < 0) != (w[1] < 0)).count();
        n as f64 * 48e3 / s.len() as f64 / 2.0
    }

    fn packets(freq: f64, fec: bool) -> Vec<Vec<u8>> {
        let mut enc = Encoder::new(RATE, Channels::Mono, Application::Voip).expect("encoder");
        enc.set_inband_fec(fec).expect("fec");
        enc.set_packet_loss_perc(if fec { 20 } else { 0 })
            .expect("loss");
        enc.set_bitrate(::opus::Bitrate::Bits(32_000))
            .expect("bitrate");
        tone(freq, 48_000)
            .chunks(960)
            .map(|f| enc.encode_vec(f, 1500).expect("encode"))
            .collect()
    }

    #[test]
    fn packets_decode_to_the_tone_at_48_khz() {
        let mut d = OpusStream::new().expect("decoder");
        let mut all = Vec::new();
        let mut out = Vec::new();
        for p in packets(1000.0, false) {
            d.decode(&p, &mut out).expect("valid");
            assert_eq!(out.len(), 960);
            all.extend_from_slice(&out);
        }
        let f = crossings(&all[4800..]);
        assert!((f - 1000.0).abs() < 5.0, "{f} Hz");
    }

    #[test]
    fn a_lost_packet_is_concealed_with_its_length_and_fec_when_there() {
        for fec in [false, true] {
            let ps = packets(440.0, fec);
            let mut d = OpusStream::new().expect("decoder");
            let mut out = Vec::new();
            for p in &ps[..20] {
                d.decode(p, &mut out).expect("valid");
            }
            // Packets 20 and 21 lost: 40 ms before packet 22.
            d.conceal(1920, &ps[22], true, &mut out);
            assert_eq!(out.len(), 1920, "fec {fec}");
            let energy: f64 = out.iter().map(|&s| f64::from(s).powi(2)).sum::<f64>() / 1920.0;
            assert!(
                energy.sqrt() > 1000.0,
                "fec {fec}: concealment is {} RMS",
                energy.sqrt()
            );
            let f = crossings(&out);
            assert!((f - 440.0).abs() < 30.0, "fec {fec}: {f} Hz");
            d.decode(&ps[22], &mut out).expect("valid");
            assert_eq!(out.len(), 960);
        }
    }

    #[test]
    fn invalid_packets_are_errors_and_gaps_are_capped() {
        let mut d = OpusStream::new().expect("decoder");
        let mut out = Vec::new();
        // Code 3 with no frames; a frame length past the end.
        assert!(d.decode(&[0x7b, 0x00], &mut out).is_err());
        assert!(d.decode(&[0x7a, 0xfc, 0x01], &mut out).is_err());
        assert!(out.is_empty());
        d.conceal(48_000, &[0x7b, 0x00], true, &mut out);
        assert_eq!(out.len(), MAX_CONCEAL);
        d.conceal(100, &[], true, &mut out);
        assert!(out.is_empty(), "less than 2.5 ms is not concealed");
    }
}

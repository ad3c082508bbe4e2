//! G.722 (ITU-T, 1988) decoding: sub-band ADPCM at 64 kbit/s, one byte per
//! pair of 16 kHz samples, as RFC 3551 puts it in RTP. The decoder is the
//! `audio-codec` crate's, a Rust port of SpanDSP's (the one Asterisk and
//! FreeSWITCH use); every byte value is a valid code, so no payload is
//! corrupt.

use audio_codec::g722::{Bitrate, G722Decoder};

/// One stream's decoder: the predictors carry over from packet to packet.
pub struct G722Stream(G722Decoder);

impl G722Stream {
    pub fn new() -> G722Stream {
        // Not packed (one code per byte), 16 kHz output.
        G722Stream(G722Decoder::with_options(
            Bitrate::Mode1_64000,
            false,
            false,
        ))
    }

    /// Appends the 16 kHz samples of one payload to `out`.
    pub fn decode(&mut self, payload: &[u8], out: &mut Vec<i16>) {
        let at = out.len();
        out.resize(at + 2 * payload.len(), 0);
        // The buffer holds two samples per byte, all a payload can give.
        let n = self
            .0
            .decode_frame_into(payload, &mut out[at..])
            .unwrap_or(0);
        out.truncate(at + n);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use audio_codec::g722::G722Encoder;
    use audio_codec::Encoder;

    #[test]
    fn a_tone_comes_back_at_16_khz() {
        // 100 ms of a 5 kHz tone (above G.711's band) at 16 kHz.
        let tone: Vec<i16> = (0..1600)
            .map(|i| {
                (8000.0 * (2.0 * std::f64::consts::PI * 5000.0 * i as f64 / 16e3).sin()) as i16
            })
            .collect();
        let mut enc = G722Encoder::new();
        let mut bytes = vec![0u8; 1600];
        let n = enc.encode_into(&tone, &mut bytes).expect("encode");
        assert_eq!(n, 800);
        let mut d = G722Stream::new();
        let mut out = Vec::new();
        for packet in bytes[..n].chunks(160) {
            d.decode(packet, &mut out);
        }
        assert_eq!(out.len(), 1600);
        // After the filters settle, the decoded tone follows the input
        // (the codec's delay is 22 samples at 16 kHz).
        let delay = (0..40)
            .max_by_key(|&d| {
                (200..1500)
                    .map(|i| i64::from(out[i + d]) * i64::from(tone[i]))
                    .sum::<i64>()
            })
            .unwrap_or(0);
        let err: f64 = (200..1500)
            .map(|i| (f64::from(out[i + delay]) - f64::from(tone[i])).powi(2))
            .sum();
        let sig: f64 = (200..1500).map(|i| f64::from(tone[i]).powi(2)).sum();
        let snr = 10.0 * (sig / err).log10();
        assert!(snr > 20.0, "SNR {snr:.1} dB at delay {delay}");
    }
}

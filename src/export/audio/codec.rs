//! Which codecs the audio export decodes, what a payload type of a stream
//! means to it, and one decoder per stream.

use super::opus::{DecodeError, OpusStream};
use super::{g711, g722::G722Stream};

/// A codec sipview decodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codec {
    Ulaw,
    Alaw,
    G722,
    Opus,
}

impl Codec {
    /// By the name of an `a=rtpmap` (or RFC 3551's for a static type).
    pub fn of_name(name: &str) -> Option<Codec> {
        let name = name.split('/').next().unwrap_or(name);
        [
            ("PCMU", Codec::Ulaw),
            ("PCMA", Codec::Alaw),
            ("G722", Codec::G722),
            ("opus", Codec::Opus),
        ]
        .into_iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, c)| c)
    }

    /// Samples per second of the decoded audio.
    pub fn rate(self) -> u32 {
        match self {
            Codec::Ulaw | Codec::Alaw => 8000,
            Codec::G722 => 16_000,
            // libopus decodes any Opus stream at 48 kHz, its native rate.
            Codec::Opus => 48_000,
        }
    }

    /// Ticks per second of the RTP timestamps. Fixed by the RFCs whatever
    /// an SDP says: 8000 for G.722 although it samples at 16 kHz (RFC 3551
    /// 4.5.2, kept for compatibility with a mistake in RFC 1890), 48000 for
    /// Opus at every bandwidth (RFC 7587 4.1).
    pub fn clock(self) -> u32 {
        match self {
            Codec::Ulaw | Codec::Alaw | Codec::G722 => 8000,
            Codec::Opus => 48_000,
        }
    }

    /// Whether concealing a loss is left to the decoder (see
    /// [`StreamDecoder::conceal`]).
    pub fn conceals(self) -> bool {
        self == Codec::Opus
    }
}

/// What the packets of one payload type become.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Audio(Codec),
    /// Comfort noise (RFC 3389) and telephone-events (RFC 4733): silence.
    Silence,
    /// A codec sipview does not decode: silence too.
    Other,
}

impl Kind {
    /// Payload type `pt` called `name` by the SDP (or RFC 3551).
    pub fn of(pt: u8, name: &str) -> Kind {
        if let Some(c) = Codec::of_name(name) {
            return Kind::Audio(c);
        }
        if pt == 13
            || name.eq_ignore_ascii_case("CN")
            || name.eq_ignore_ascii_case("telephone-event")
        {
            return Kind::Silence;
        }
        Kind::Other
    }
}

/// The decoder of one stream's current codec (G.722 and Opus keep state
/// from packet to packet).
pub enum StreamDecoder {
    G711(&'static [i16; 256]),
    G722(Box<G722Stream>),
    Opus(OpusStream),
}

impl StreamDecoder {
    pub fn new(codec: Codec) -> Result<StreamDecoder, DecodeError> {
        Ok(match codec {
            Codec::Ulaw => StreamDecoder::G711(&g711::ULAW),
            Codec::Alaw => StreamDecoder::G711(&g711::ALAW),
            Codec::G722 => StreamDecoder::G722(Box::new(G722Stream::new())),
            Codec::Opus => StreamDecoder::Opus(OpusStream::new()?),
        })
    }

    /// Decodes one payload into `out` (replaced) at the codec's rate.
    pub fn decode(&mut self, payload: &[u8], out: &mut Vec<i16>) -> Result<(), DecodeError> {
        out.clear();
        if payload.is_empty() {
            return Err(DecodeError::Empty);
        }
        match self {
            StreamDecoder::G711(table) => {
                out.extend(payload.iter().map(|&b| table[usize::from(b)]));
                Ok(())
            }
            StreamDecoder::G722(d) => {
                d.decode(payload, out);
                Ok(())
            }
            StreamDecoder::Opus(d) => d.decode(payload, out),
        }
    }

    /// Audio for up to `missing` samples lost just before `next` (Opus
    /// only; the other codecs leave a loss silent), into `out` (replaced).
    /// `next_follows_loss`: the packet just before `next` was lost or
    /// corrupt, so `next` may carry it again (in-band FEC).
    pub fn conceal(
        &mut self,
        missing: usize,
        next: &[u8],
        next_follows_loss: bool,
        out: &mut Vec<i16>,
    ) {
        out.clear();
        if let StreamDecoder::Opus(d) = self {
            d.conceal(missing, next, next_follows_loss, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_rates_and_clocks() {
        assert_eq!(Codec::of_name("opus"), Some(Codec::Opus));
        assert_eq!(Codec::of_name("OPUS/48000/2"), Some(Codec::Opus));
        assert_eq!(Codec::of_name("g722"), Some(Codec::G722));
        assert_eq!(Codec::of_name("G729"), None);
        assert_eq!((Codec::G722.rate(), Codec::G722.clock()), (16_000, 8000));
        assert_eq!((Codec::Opus.rate(), Codec::Opus.clock()), (48_000, 48_000));
        assert_eq!(Kind::of(13, "CN"), Kind::Silence);
        assert_eq!(Kind::of(101, "telephone-event"), Kind::Silence);
        assert_eq!(Kind::of(18, "G729"), Kind::Other);
        assert_eq!(Kind::of(0, "PCMU"), Kind::Audio(Codec::Ulaw));
    }

    #[test]
    fn any_bytes_decode_or_fail_without_panic() {
        let mut seed = 0x2545_f491_u32;
        let mut out = Vec::new();
        for codec in [Codec::Ulaw, Codec::Alaw, Codec::G722, Codec::Opus] {
            let mut d = StreamDecoder::new(codec).expect("decoder");
            for len in 0..400usize {
                let bytes: Vec<u8> = (0..len % 97)
                    .map(|_| {
                        seed ^= seed << 13;
                        seed ^= seed >> 17;
                        seed ^= seed << 5;
                        seed as u8
                    })
                    .collect();
                let _ = d.decode(&bytes, &mut out);
                assert!(out.len() <= 5760, "{codec:?}: {} samples", out.len());
                d.conceal(len * 48, &bytes, len % 2 == 0, &mut out);
                assert!(out.len() <= 48 * 400);
            }
        }
    }
}

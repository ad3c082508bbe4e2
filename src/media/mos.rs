//! Listening quality of an RTP stream as one number: the ITU-T G.107
//! E-model's transmission rating R and the MOS it maps to, from what the
//! capture measured.
//!
//! R = Ro - Is - Id - Ie,eff + A, with the G.107 defaults for everything a
//! capture cannot see (Ro = 94.77, Is = 1.41, A = 0), so a perfect G.711
//! call rates about 93.2 (MOS 4.41). Measured:
//! - Ie,eff = Ie + (95 - Ie) * Ppl / (Ppl / BurstR + Bpl): Ppl the packet
//!   loss in percent from the sequence numbers, BurstR from the loss runs
//!   (a two-state Markov model, p = runs / received, q = runs / lost,
//!   BurstR = 1 / (p + q); 1 for random loss, never below 1 here), Ie and
//!   Bpl the codec's values from G.113 Appendix I.
//! - Id from a one-way delay estimate Ta: the packetization (20 ms, the
//!   usual ptime), a jitter buffer twice the highest RFC 3550 jitter (at
//!   least 20 ms), and no network delay (a capture at one point cannot see
//!   it). Id = 0.024 Ta + 0.11 (Ta - 177.3) for Ta over 177.3 ms (the usual
//!   simplification of G.107's Idd, Cole and Rosenbluth 2001).

use super::stream::{Side, Stream};
use super::tracker::MediaTracker;
use serde::Serialize;

/// G.107 default basic signal-to-noise ratio.
pub const RO: f64 = 94.77;
/// G.107 default simultaneous impairment factor.
pub const IS: f64 = 1.41;
/// Advantage factor: none (a wired or mobile call is not rated kinder).
pub const A: f64 = 0.0;
/// Packetization assumed, ms.
pub const PACKETIZATION_MS: f64 = 20.0;
/// Smallest jitter buffer assumed, ms.
pub const MIN_JITTER_BUFFER_MS: f64 = 20.0;
/// A MOS is given for streams of at least this many expected packets
/// (about a second at 20 ms): fewer are no measure of a call.
pub const MIN_PACKETS_FOR_MOS: u64 = 50;

/// Equipment impairment values of a codec (G.113 Appendix I).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CodecImpairment {
    /// The codec the values are for, as G.113 names it.
    pub name: &'static str,
    /// Equipment impairment factor with no loss.
    pub ie: f64,
    /// Packet-loss robustness factor.
    pub bpl: f64,
}

/// The values for a codec named in the SDP (or by its static payload type):
/// G.711 with packet loss concealment (G.711 Appendix I, what phones and
/// PBXs do), G.729A, G.723.1 at 6.3 kbit/s. `None` for a codec G.113 has
/// no narrowband values for here (G.722 and Opus are wideband, rated on
/// another scale).
pub fn impairment(codec: &str) -> Option<CodecImpairment> {
    let c = codec.to_ascii_uppercase();
    let name = c.split('/').next().unwrap_or(&c);
    Some(match name {
        "PCMU" | "PCMA" | "G711" | "G711U" | "G711A" => CodecImpairment {
            name: "G.711 with PLC",
            ie: 0.0,
            bpl: 25.1,
        },
        "G729" | "G729A" | "G729AB" => CodecImpairment {
            name: "G.729A",
            ie: 11.0,
            bpl: 19.0,
        },
        "G723" | "G7231" => CodecImpairment {
            name: "G.723.1 6.3 kbit/s",
            ie: 15.0,
            bpl: 16.1,
        },
        _ => return None,
    })
}

/// What went into a rating, each input as measured or assumed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MosInputs {
    /// Packet loss, percent of expected (Ppl).
    pub loss_percent: f64,
    /// Loss burst ratio (1: random).
    pub burst_r: f64,
    /// Highest RFC 3550 jitter, ms.
    pub max_jitter_ms: f64,
    /// One-way delay estimate Ta, ms.
    pub delay_ms: f64,
    pub codec: CodecImpairment,
}

/// A rating: R, MOS and the impairments that took R down.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Quality {
    pub r: f64,
    pub mos: f64,
    /// Delay impairment Id.
    pub id: f64,
    /// Effective equipment impairment Ie,eff (codec and loss).
    pub ie_eff: f64,
    pub inputs: MosInputs,
}

/// MOS from R (G.107 Annex B).
pub fn mos_from_r(r: f64) -> f64 {
    if r.is_nan() || r <= 0.0 {
        1.0
    } else if r >= 100.0 {
        4.5
    } else {
        1.0 + 0.035 * r + r * (r - 60.0) * (100.0 - r) * 7.0e-6
    }
}

/// Delay impairment from the one-way delay Ta in ms.
pub fn delay_impairment(ta_ms: f64) -> f64 {
    let ta = ta_ms.max(0.0);
    0.024 * ta + if ta > 177.3 { 0.11 * (ta - 177.3) } else { 0.0 }
}

/// BurstR of a loss pattern: `runs` separate losses of `lost` packets in
/// all among `received` (1 when there is too little to tell).
pub fn burst_ratio(lost: u64, runs: u64, received: u64) -> f64 {
    if lost < 2 || runs == 0 || received == 0 {
        return 1.0;
    }
    let runs = runs.min(lost) as f64;
    let p = runs / received as f64;
    let q = runs / lost as f64;
    (1.0 / (p + q)).max(1.0)
}

/// The E-model on measured inputs.
pub fn rate(inputs: MosInputs) -> Quality {
    let MosInputs {
        loss_percent,
        burst_r,
        codec,
        delay_ms,
        ..
    } = inputs;
    let ppl = loss_percent.clamp(0.0, 100.0);
    let burst = burst_r.max(1.0);
    // Very bursty loss can push the formula past 95: no worse than silence.
    let ie_eff = (codec.ie + (95.0 - codec.ie) * ppl / (ppl / burst + codec.bpl)).min(95.0);
    let id = delay_impairment(delay_ms);
    let r = (RO - IS - id - ie_eff + A).clamp(0.0, 100.0);
    Quality {
        r,
        mos: mos_from_r(r),
        id,
        ie_eff,
        inputs,
    }
}

/// The one-way delay estimate for a highest jitter (ms).
pub fn delay_estimate(max_jitter_ms: f64) -> f64 {
    PACKETIZATION_MS + (2.0 * max_jitter_ms).max(MIN_JITTER_BUFFER_MS)
}

/// The rating of some voice streams taken together (one stream, or every
/// stream of one direction of a call, SSRC changes included): `None` with
/// too few packets, only events, or a codec without G.113 values.
pub fn of_streams(media: &MediaTracker, streams: &[&Stream]) -> Option<Quality> {
    let voice: Vec<&&Stream> = streams.iter().filter(|s| !s.events_only()).collect();
    // The codec of the stream with the most packets.
    let main = voice.iter().max_by_key(|s| s.packets)?;
    let codec = impairment(&media.codec(main))?;
    let (mut expected, mut lost, mut runs, mut received) = (0u64, 0u64, 0u64, 0u64);
    let mut max_jitter = 0.0f64;
    for s in &voice {
        // Events share the sequence numbers: they count as received.
        expected += s.seq.expected();
        lost += s.lost();
        runs += s.seq.loss_runs;
        received += s.seq.unique;
        max_jitter = max_jitter.max(s.jitter.max * 1000.0);
    }
    if expected < MIN_PACKETS_FOR_MOS {
        return None;
    }
    let loss_percent = lost as f64 * 100.0 / expected as f64;
    Some(rate(MosInputs {
        loss_percent,
        burst_r: burst_ratio(lost, runs, received),
        max_jitter_ms: max_jitter,
        delay_ms: delay_estimate(max_jitter),
        codec,
    }))
}

/// The rating of each direction of a call: the streams towards the
/// caller (what the caller heard) and towards the callee, several SSRCs of
/// one direction taken together.
pub fn of_call(media: &MediaTracker, call: u32) -> CallQuality {
    let sides = super::CallSides::of(media, call);
    let streams: Vec<&Stream> = media.call_streams(call).collect();
    let towards = |side: Side| {
        let mine: Vec<&Stream> = streams
            .iter()
            .copied()
            .filter(|s| sides.towards(s) == Some(side))
            .collect();
        of_streams(media, &mine)
    };
    CallQuality {
        to_caller: towards(Side::Caller),
        to_callee: towards(Side::Callee),
    }
}

/// A call's two directions rated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct CallQuality {
    /// What the caller heard (the callee's audio).
    pub to_caller: Option<Quality>,
    /// What the callee heard.
    pub to_callee: Option<Quality>,
}

impl CallQuality {
    /// The lower MOS of the two directions.
    pub fn worst_mos(&self) -> Option<f64> {
        [self.to_caller, self.to_callee]
            .iter()
            .flatten()
            .map(|q| q.mos)
            .reduce(f64::min)
    }
}

/// The rating of one stream.
pub fn of_stream(media: &MediaTracker, s: &Stream) -> Option<Quality> {
    of_streams(media, &[s])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g711() -> CodecImpairment {
        impairment("PCMU").expect("G.711 has values")
    }

    fn inputs(loss: f64, burst: f64, jitter: f64, codec: CodecImpairment) -> MosInputs {
        MosInputs {
            loss_percent: loss,
            burst_r: burst,
            max_jitter_ms: jitter,
            delay_ms: delay_estimate(jitter),
            codec,
        }
    }

    #[test]
    fn clean_g711_is_the_g107_default() {
        let q = rate(inputs(0.0, 1.0, 1.0, g711()));
        // Ta = 40 ms: Id = 0.96.
        assert!((q.r - 92.4).abs() < 0.1, "{}", q.r);
        assert!((q.mos - 4.39).abs() < 0.02, "{}", q.mos);
    }

    #[test]
    fn loss_and_bursts_lower_the_rating() {
        let random = rate(inputs(5.0, 1.0, 1.0, g711()));
        let bursty = rate(inputs(5.0, 3.0, 1.0, g711()));
        // Ie,eff = 95 * 5 / (5 + 25.1) = 15.8.
        assert!((random.ie_eff - 15.78).abs() < 0.05, "{}", random.ie_eff);
        assert!(bursty.mos < random.mos);
        assert!(random.mos > 3.6 && random.mos < 4.0, "{}", random.mos);
        let broken = rate(inputs(64.0, 1.0, 1.0, g711()));
        assert!(broken.mos < 1.5, "{}", broken.mos);
        let g729 = rate(inputs(0.0, 1.0, 1.0, impairment("G729").expect("values")));
        assert!((g729.r - 81.4).abs() < 0.1, "{}", g729.r);
    }

    #[test]
    fn mos_formula_bounds() {
        assert_eq!(mos_from_r(-5.0), 1.0);
        assert_eq!(mos_from_r(f64::NAN), 1.0);
        assert_eq!(mos_from_r(120.0), 4.5);
        assert!((mos_from_r(50.0) - 2.58).abs() < 0.01);
        assert!(delay_impairment(200.0) > delay_impairment(150.0) + 1.2);
    }

    #[test]
    fn burst_ratio_of_runs() {
        // 10 losses in 10 runs among 990 received: random, BurstR about 1.
        assert!((burst_ratio(10, 10, 990) - 1.0).abs() < 0.02);
        // The same 10 in 2 runs: bursty.
        assert!(burst_ratio(10, 2, 990) > 4.0);
        assert_eq!(burst_ratio(1, 1, 100), 1.0);
        assert_eq!(burst_ratio(5, 0, 0), 1.0);
    }
}

//! Each RTP packet of the streams being written, from the capture to its
//! place in the WAV: held in its stream's jitter buffer, decoded in order,
//! placed by its RTP timestamp (counted at the codec's clock) on the
//! file's timeline (counted at the file's rate), brought up to the file's
//! rate when its codec decodes at a lower one.

use super::codec::{Codec, Kind, StreamDecoder};
use super::reorder::{Held, Reorder, Taken};
use super::resample::Upsampler;
use super::wav::WavWriter;
use crate::capture::Timestamp;
use crate::decode::{Payload, Segment};
use crate::media::rtp;
use foldhash::HashMap;
use std::net::SocketAddr;

/// One stream being written.
pub struct Placed {
    pub number: usize,
    pub src: SocketAddr,
    pub dst: SocketAddr,
    pub ssrc: u32,
    pub first: Timestamp,
    pub last: Timestamp,
    pub channel: u16,
    /// What its payload types carry.
    pub kinds: Vec<(u8, Kind)>,
    pub corrupt: u64,
    pub late: u64,
    /// Why its decoder could not be made, if it could not.
    pub failed: Option<String>,
    jitter: Reorder,
    decoder: Option<(Codec, StreamDecoder)>,
    /// For a codec slower than the file.
    up: Option<Upsampler>,
    /// (extended RTP timestamp, its frame, the clock it counts).
    anchor: Option<(i64, i64, u32)>,
    /// Last RTP timestamp and its extension, to read wraps.
    last_ts: Option<(u32, i64)>,
    last_seq: Option<i64>,
    /// Frame after the last packet decoded, while the audio goes on (a
    /// concealment starts there).
    end: Option<i64>,
    /// The last packet was corrupt.
    after_corrupt: bool,
}

impl Placed {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        number: usize,
        src: SocketAddr,
        dst: SocketAddr,
        ssrc: u32,
        first: Timestamp,
        last: Timestamp,
        channel: u16,
        kinds: Vec<(u8, Kind)>,
    ) -> Placed {
        Placed {
            number,
            src,
            dst,
            ssrc,
            first,
            last,
            channel,
            kinds,
            corrupt: 0,
            late: 0,
            failed: None,
            jitter: Reorder::default(),
            decoder: None,
            up: None,
            anchor: None,
            last_ts: None,
            last_seq: None,
            end: None,
            after_corrupt: false,
        }
    }

    fn kind(&self, pt: u8) -> Kind {
        self.kinds
            .iter()
            .find(|(p, _)| *p == pt)
            .map(|(_, k)| *k)
            .unwrap_or_else(|| Kind::of(pt, crate::sip::static_codec(pt).unwrap_or("")))
    }
}

/// The streams written by flow, for the lookup of each datagram.
pub type ByFlow = HashMap<(SocketAddr, SocketAddr), Vec<usize>>;

pub struct AudioWriter<'a> {
    pub placed: Vec<Placed>,
    pub by_flow: ByFlow,
    pub start: Timestamp,
    /// The file's rate.
    pub rate: u32,
    pub limit: u64,
    pub out: &'a mut WavWriter,
    pub error: Option<std::io::Error>,
    pub written: u64,
    pub dropped: u64,
    samples: Vec<i16>,
    concealed: Vec<i16>,
}

/// The frame of capture time `t` on a timeline starting at `start`.
pub fn frame_at(start: Timestamp, t: Timestamp, rate: u32) -> i64 {
    t.micros_since(start).saturating_mul(i64::from(rate)) / 1_000_000
}

impl<'a> AudioWriter<'a> {
    pub fn new(
        placed: Vec<Placed>,
        by_flow: ByFlow,
        start: Timestamp,
        rate: u32,
        limit: u64,
        out: &'a mut WavWriter,
    ) -> AudioWriter<'a> {
        AudioWriter {
            placed,
            by_flow,
            start,
            rate,
            limit,
            out,
            error: None,
            written: 0,
            dropped: 0,
            samples: Vec::new(),
            concealed: Vec::new(),
        }
    }

    /// One decoded segment of the capture.
    pub fn segment(&mut self, seg: &Segment<'_>) {
        let Payload::Datagram { bytes, .. } = seg.payload else {
            return;
        };
        let Some(candidates) = self.by_flow.get(&(seg.flow.src, seg.flow.dst)) else {
            return;
        };
        let Ok(p) = rtp::parse(bytes) else {
            return;
        };
        let Some(&k) = candidates.iter().find(|&&k| {
            self.placed
                .get(k)
                .is_some_and(|s| s.ssrc == p.ssrc && s.first <= seg.ts && seg.ts <= s.last)
        }) else {
            return;
        };
        let arrival = frame_at(self.start, seg.ts, self.rate);
        let Some(s) = self.placed.get_mut(k) else {
            return;
        };
        match s
            .jitter
            .push(p.seq, arrival, p.payload_type, p.timestamp, p.payload)
        {
            Taken::Held => {}
            Taken::Duplicate => return,
            Taken::Late => {
                s.late += 1;
                return;
            }
        }
        while let Some(h) = self.placed.get_mut(k).and_then(|s| s.jitter.pop(false)) {
            self.play(k, h);
        }
    }

    /// Plays what the jitter buffers still hold and ends every stream.
    pub fn finish(&mut self) {
        for k in 0..self.placed.len() {
            while let Some(h) = self.placed.get_mut(k).and_then(|s| s.jitter.pop(true)) {
                self.play(k, h);
            }
            self.flush_upsampler(k);
        }
    }

    /// One packet of stream `k`, in sequence order.
    fn play(&mut self, k: usize, h: Held) {
        let rate = i64::from(self.rate);
        let Some(s) = self.placed.get_mut(k) else {
            return;
        };
        let follows_loss = s.last_seq.is_some_and(|l| h.seq > l + 1) || s.after_corrupt;
        s.last_seq = Some(h.seq);
        // Extended timestamp: each read as the nearest to the last.
        let ext = match s.last_ts {
            None => 0,
            Some((last, ext)) => ext + i64::from(h.timestamp.wrapping_sub(last) as i32),
        };
        s.last_ts = Some((h.timestamp, ext));
        let Kind::Audio(codec) = s.kind(h.payload_type) else {
            // Comfort noise, events, codecs not decoded: silence, which no
            // concealment reaches over.
            s.end = None;
            s.after_corrupt = false;
            self.recycle(k, h);
            return;
        };
        if s.decoder.as_ref().map(|(c, _)| *c) != Some(codec) && !self.new_decoder(k, codec) {
            self.recycle(k, h);
            return;
        }
        let Some(s) = self.placed.get_mut(k) else {
            return;
        };
        let clock = i64::from(codec.clock());
        let (anchor_ts, anchor_frame, _) = *s.anchor.get_or_insert((ext, h.arrival, codec.clock()));
        let mut frame = anchor_frame + (ext - anchor_ts).saturating_mul(rate) / clock;
        // A timestamp further than a second from the arrival time: placed
        // by arrival.
        if (frame - h.arrival).abs() > rate {
            s.anchor = Some((ext, h.arrival, codec.clock()));
            frame = h.arrival;
        }
        let per_sample = rate / i64::from(codec.rate());
        let Some((_, decoder)) = s.decoder.as_mut() else {
            return;
        };
        if codec.conceals() {
            if let Some(end) = s.end.filter(|&e| e < frame) {
                let missing = usize::try_from((frame - end) / per_sample).unwrap_or(0);
                decoder.conceal(missing, &h.payload, follows_loss, &mut self.concealed);
                let concealed = std::mem::take(&mut self.concealed);
                self.place(k, end, &concealed);
                self.concealed = concealed;
            }
        }
        let Some(s) = self.placed.get_mut(k) else {
            return;
        };
        let Some((_, decoder)) = s.decoder.as_mut() else {
            return;
        };
        if decoder.decode(&h.payload, &mut self.samples).is_err() {
            // Skipped; a decoder that conceals fills its place from the
            // next packet.
            s.corrupt += 1;
            s.after_corrupt = true;
            self.recycle(k, h);
            return;
        }
        s.after_corrupt = false;
        let n = self.samples.len() as i64 * per_sample;
        s.end = Some(frame + n);
        if frame < 0 || (frame + n) as u64 > self.limit {
            self.dropped += 1;
        } else {
            let samples = std::mem::take(&mut self.samples);
            self.place(k, frame, &samples);
            self.samples = samples;
            self.written += 1;
        }
        self.recycle(k, h);
    }

    fn recycle(&mut self, k: usize, h: Held) {
        if let Some(s) = self.placed.get_mut(k) {
            s.jitter.recycle(h);
        }
    }

    /// A decoder for `codec` in stream `k` (the last one's audio ended);
    /// false when there is none to be had.
    fn new_decoder(&mut self, k: usize, codec: Codec) -> bool {
        self.flush_upsampler(k);
        let rate = self.rate;
        let Some(s) = self.placed.get_mut(k) else {
            return false;
        };
        // The file's rate is a multiple of every codec's that was seen
        // when it was chosen; any other is left silent.
        if !rate.is_multiple_of(codec.rate()) {
            return false;
        }
        match StreamDecoder::new(codec) {
            Ok(d) => s.decoder = Some((codec, d)),
            Err(e) => {
                s.failed.get_or_insert_with(|| e.to_string());
                return false;
            }
        }
        s.end = None;
        s.up = (codec.rate() < rate).then(|| Upsampler::new((rate / codec.rate()) as usize));
        // Timestamps at another clock start a new anchor.
        if s.anchor.is_some_and(|(_, _, c)| c != codec.clock()) {
            s.anchor = None;
        }
        true
    }

    /// Samples of stream `k` at its codec's rate, from frame `at` on.
    fn place(&mut self, k: usize, at: i64, samples: &[i16]) {
        let Some(s) = self.placed.get_mut(k) else {
            return;
        };
        let channel = s.channel;
        let (out, limit, error) = (&mut *self.out, self.limit, &mut self.error);
        match s.up.as_mut() {
            None => {
                let Ok(at) = u64::try_from(at) else {
                    return;
                };
                let n = samples.len().min(limit.saturating_sub(at) as usize);
                if let Err(e) = out.put(channel, at, &samples[..n]) {
                    error.get_or_insert(e);
                }
            }
            Some(up) => up.push(at, samples, &mut |at, block| {
                add_clipped(out, channel, at, block, limit, error)
            }),
        }
    }

    fn flush_upsampler(&mut self, k: usize) {
        let Some(s) = self.placed.get_mut(k) else {
            return;
        };
        let channel = s.channel;
        let (out, limit, error) = (&mut *self.out, self.limit, &mut self.error);
        if let Some(up) = s.up.as_mut() {
            up.flush(&mut |at, block| add_clipped(out, channel, at, block, limit, error));
        }
    }
}

/// Adds the part of `block` (from frame `at`) that is inside the file.
fn add_clipped(
    out: &mut WavWriter,
    channel: u16,
    at: i64,
    block: &[i16],
    limit: u64,
    error: &mut Option<std::io::Error>,
) {
    let skip = usize::try_from(-at).unwrap_or(0).min(block.len());
    let at = at.max(0) as u64;
    let n = (block.len() - skip).min(limit.saturating_sub(at) as usize);
    if n == 0 {
        return;
    }
    if let Err(e) = out.add(channel, at, &block[skip..skip + n]) {
        error.get_or_insert(e);
    }
}

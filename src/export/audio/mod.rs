//! A call's audio as a WAV file: the capture is read again for the call's
//! RTP (as saving its packets does) and every packet's samples are written
//! in place on the call's timeline, so nothing but a few packets per
//! stream is held in memory.
//!
//! Stereo: left is the caller's direction (what the caller said, the
//! streams towards the callee), right the callee's. Each stream is placed
//! by its first packet's capture time and then by its RTP timestamps, so
//! lost packets (but see Loss below), gaps and hold are silence and both
//! channels line up with the ladder's times; a timestamp that strays more than a second from the
//! arrival time (a sender re-syncing) is placed by arrival again. Several
//! streams of one direction (a re-INVITE, a transfer) follow each other; a
//! stream overlapping one already placed in its channel (the same audio
//! relayed on a second leg) is left out.
//!
//! Codecs, by the name the call's SDP gives the payload type (RFC 3551's
//! for a static type without rtpmap): G.711 µ-law and A-law (8 kHz), G.722
//! (16 kHz; its RTP timestamps count 8000 a second all the same) and Opus
//! (decoded at 48 kHz, the rate its timestamps count, whatever its
//! bandwidth). The file has one rate, the highest among the codecs of the
//! streams written: a call with G.711 one way and G.722 the other is a
//! 16 kHz file, one with Opus anywhere 48 kHz, and the slower streams are
//! brought up to it by an interpolating filter (`resample.rs`). Each
//! packet is placed by its timestamp at its codec's clock and is as long
//! as its codec's decoded samples at the file's rate. A codec change on
//! one SSRC (a re-INVITE) gets a new decoder, and a new anchor on the
//! timeline when its clock differs.
//!
//! Loss: G.711 and G.722 leave a lost packet silent; Opus conceals it as a
//! receiver does (libopus PLC, or FEC from the next packet: `opus.rs`).
//! Packets are decoded in sequence order (a small jitter buffer:
//! `reorder.rs`); one that comes too late, and a payload the decoder
//! refuses, is skipped and counted in the report. Comfort noise (PT 13)
//! and telephone-events are silence; a stream of any other codec is named
//! in the report and left out, the others are still written.

mod codec;
mod g711;
mod g722;
mod opus;
mod reorder;
mod resample;
mod wav;
mod writer;

use super::{discard, refuse_the_capture, reread, ExportError};
use crate::capture::{CaptureSource, Timestamp};
use crate::decode::{Decoder, Segment};
use crate::media::{CallSides, MediaTracker, Side, Stream};
use codec::Kind;
use foldhash::HashMapExt;
use std::path::{Path, PathBuf};
use wav::WavWriter;
use writer::{frame_at, AudioWriter, ByFlow, Placed};

/// The WAV's rate when no stream is written (G.711's).
const DEFAULT_RATE: u32 = 8000;
/// Streams of one channel overlapping by more than this (µs) are the same
/// audio twice.
const OVERLAP_US: i64 = 1_000_000;

/// Which audio to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AudioSelection {
    /// Both directions, stereo.
    Call,
    /// One stream alone, mono: its number in the list given.
    Stream(usize),
}

/// What [`save_audio`] wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct AudioReport {
    pub path: PathBuf,
    pub channels: u16,
    pub sample_rate: u32,
    pub frames: u64,
    /// Capture time of the first frame.
    pub start: Option<Timestamp>,
    /// Numbers of the streams written.
    pub streams_written: Vec<usize>,
    pub packets_written: u64,
    /// One line per stream left out (codec not decoded, overlap), and per
    /// stream with packets skipped (corrupt, too late) or codecs silenced.
    pub left_out: Vec<String>,
    /// Packets placed before the start or past the file's limits.
    pub packets_dropped: u64,
    /// Packets whose payload the decoder refused.
    pub packets_corrupt: u64,
    /// Packets that came after their turn in the jitter buffer.
    pub packets_late: u64,
}

impl AudioReport {
    pub fn seconds(&self) -> f64 {
        self.frames as f64 / f64::from(self.sample_rate)
    }
}

/// The channel of a stream in a call's stereo file: 0 (left) for the
/// caller's direction.
fn channel_of(sides: &CallSides, s: &Stream) -> u16 {
    let towards = sides
        .towards(s)
        .or_else(|| s.dst_side.or_else(|| s.src_side.map(Side::other)));
    match towards {
        Some(Side::Caller) => 1,
        _ => 0,
    }
}

/// Writes the audio of `call` (or of one of its streams) to `path`;
/// `streams` are the call's streams, each with the number the report names
/// it by (its `--streams` index).
pub fn save_audio(
    source: &CaptureSource,
    media: &MediaTracker,
    call: u32,
    streams: &[(usize, &Stream)],
    selection: AudioSelection,
    path: &Path,
) -> Result<AudioReport, ExportError> {
    refuse_the_capture(source, path)?;
    // Read and write: a stereo frame's other channel is read back.
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)
        .map_err(|e| ExportError::Create {
            path: path.to_path_buf(),
            source: e,
        })?;
    let sides = CallSides::of(media, call);
    let channels: u16 = match selection {
        AudioSelection::Call => 2,
        AudioSelection::Stream(_) => 1,
    };
    let mut report = AudioReport {
        path: path.to_path_buf(),
        channels,
        sample_rate: DEFAULT_RATE,
        frames: 0,
        start: None,
        streams_written: Vec::new(),
        packets_written: 0,
        left_out: Vec::new(),
        packets_dropped: 0,
        packets_corrupt: 0,
        packets_late: 0,
    };
    let chosen: Vec<(usize, &Stream)> = match selection {
        AudioSelection::Call => streams.to_vec(),
        AudioSelection::Stream(n) => streams.iter().copied().filter(|(i, _)| *i == n).collect(),
    };
    let mut placed: Vec<Placed> = Vec::new();
    let mut by_flow = ByFlow::new();
    for (i, s) in chosen {
        if s.events_only() {
            continue;
        }
        let kinds: Vec<(u8, Kind)> = s
            .media_payload_types()
            .map(|pt| (pt, Kind::of(pt, &media.payload_codec(s, pt))))
            .collect();
        let silenced: Vec<String> = s
            .media_payload_types()
            .filter(|pt| kinds.contains(&(*pt, Kind::Other)))
            .map(|pt| crate::views::escape::clean(&media.payload_codec(s, pt)).into_owned())
            .collect();
        if !kinds.iter().any(|(_, k)| matches!(k, Kind::Audio(_))) {
            let codec = media.codec(s);
            report.left_out.push(format!(
                "codec {} of stream {} ({} -> {}) not decoded: sipview writes G.711 (PCMU, PCMA), G.722 and Opus only",
                crate::views::escape::clean(&codec),
                i,
                s.src,
                s.dst
            ));
            continue;
        }
        let channel = match selection {
            AudioSelection::Call => channel_of(&sides, s),
            AudioSelection::Stream(_) => 0,
        };
        let overlaps = placed.iter().find(|p| {
            p.channel == channel
                && s.first
                    .micros_since(p.last)
                    .max(p.first.micros_since(s.last))
                    < -OVERLAP_US
        });
        if let Some(p) = overlaps {
            report.left_out.push(format!(
                "stream {} ({} -> {}) overlaps another of the same direction (SSRC 0x{:08x}): left out",
                i,
                s.src,
                s.dst,
                p.ssrc
            ));
            continue;
        }
        if !silenced.is_empty() {
            report.left_out.push(format!(
                "codec {} of stream {} ({} -> {}) not decoded: its packets are silence",
                silenced.join(", "),
                i,
                s.src,
                s.dst
            ));
        }
        report.streams_written.push(i);
        by_flow
            .entry((s.src, s.dst))
            .or_default()
            .push(placed.len());
        placed.push(Placed::new(
            i, s.src, s.dst, s.ssrc, s.first, s.last, channel, kinds,
        ));
    }
    // The highest rate any codec of the streams decodes at.
    let rate = placed
        .iter()
        .flat_map(|p| p.kinds.iter())
        .filter_map(|(_, k)| match k {
            Kind::Audio(c) => Some(c.rate()),
            _ => None,
        })
        .max()
        .unwrap_or(DEFAULT_RATE);
    report.sample_rate = rate;
    let start = placed.iter().map(|p| p.first).min();
    report.start = start;
    let end = placed.iter().map(|p| p.last).max();

    let reader = reread(source, path)?;
    let mut out = WavWriter::new(file, channels, rate);
    // No longer than the streams' span (and a second), nor than a WAV holds.
    let span_frames = match (start, end) {
        (Some(a), Some(b)) => (b.micros_since(a).max(0) as u64 / 1_000_000 + 2) * u64::from(rate),
        _ => 0,
    };
    let limit = span_frames.min(out.max_frames());
    let mut writer = AudioWriter::new(
        placed,
        by_flow,
        start.unwrap_or_default(),
        rate,
        limit,
        &mut out,
    );
    if start.is_some() {
        let mut decoder = Decoder::new();
        reader.read_all(|p| {
            if writer.error.is_some() {
                return;
            }
            decoder.decode(p, &mut |seg: Segment<'_>| writer.segment(&seg));
        });
        if writer.error.is_none() {
            writer.finish();
        }
    }
    let error = writer.error.take();
    report.packets_written = writer.written;
    report.packets_dropped = writer.dropped;
    for p in &writer.placed {
        report.packets_corrupt += p.corrupt;
        report.packets_late += p.late;
        if let Some(why) = &p.failed {
            report.left_out.push(format!(
                "stream {} ({} -> {}): no decoder ({}): its packets are silence",
                p.number,
                p.src,
                p.dst,
                crate::views::escape::clean(why)
            ));
        }
        if p.corrupt > 0 {
            report.left_out.push(format!(
                "stream {} ({} -> {}): {} corrupt packet(s) skipped",
                p.number, p.src, p.dst, p.corrupt
            ));
        }
        if p.late > 0 {
            report.left_out.push(format!(
                "stream {} ({} -> {}): {} packet(s) came after their turn and were skipped",
                p.number, p.src, p.dst, p.late
            ));
        }
    }
    drop(writer);
    let write_error = |e: std::io::Error| ExportError::Write {
        path: path.to_path_buf(),
        source: e,
    };
    if let Some(e) = error {
        discard(path);
        return Err(write_error(e));
    }
    // Both channels run to the end of the last stream.
    let last_frame = match (start, end) {
        (Some(a), Some(b)) => frame_at(a, b, rate).max(0) as u64,
        _ => 0,
    };
    match out.finish(last_frame.min(limit)) {
        Ok(frames) => report.frames = frames,
        Err(e) => {
            discard(path);
            return Err(write_error(e));
        }
    }
    Ok(report)
}

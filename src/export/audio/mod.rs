//! A call's audio as a WAV file: the capture is read again for the call's
//! RTP (as saving its packets does) and every packet's samples are written
//! in place on the call's timeline, so nothing but the packet at hand is
//! held in memory.
//!
//! Stereo: left is the caller's direction (what the caller said, the
//! streams towards the callee), right the callee's. Each stream is placed
//! by its first packet's capture time and then by its RTP timestamps, so
//! lost packets, gaps and hold are silence and both channels line up with
//! the ladder's times; a timestamp that strays more than a second from the
//! arrival time (a sender re-syncing) is placed by arrival again. Several
//! streams of one direction (a re-INVITE, a transfer) follow each other; a
//! stream overlapping one already placed in its channel (the same audio
//! relayed on a second leg) is left out.
//!
//! G.711 µ-law and A-law are decoded; comfort noise (PT 13) and
//! telephone-events are silence; a stream of any other codec is named in
//! the report and left out, the others are still written.

mod g711;
mod wav;

use super::{discard, refuse_the_capture, reread, ExportError};
use crate::capture::{CaptureSource, Timestamp};
use crate::decode::{Decoder, Payload, Segment};
use crate::media::{rtp, CallSides, MediaTracker, Side, Stream};
use foldhash::{HashMap, HashMapExt};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use wav::WavWriter;

/// G.711's sampling rate, the WAV's.
pub const SAMPLE_RATE: u32 = 8000;
/// A timestamp further than this from the arrival time (in samples) is
/// placed by arrival.
const RESYNC: i64 = SAMPLE_RATE as i64;
/// Streams of one channel overlapping by more than this (µs) are the same
/// audio twice.
const OVERLAP_US: i64 = 1_000_000;
/// Comfort noise (RFC 3389).
const PT_CN: u8 = 13;

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
    /// One line per stream left out (codec not decoded, overlap).
    pub left_out: Vec<String>,
    /// Packets placed before the start or past the file's limits.
    pub packets_dropped: u64,
}

impl AudioReport {
    pub fn seconds(&self) -> f64 {
        self.frames as f64 / f64::from(self.sample_rate)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Law {
    Ulaw,
    Alaw,
}

impl Law {
    fn of_pt(pt: u8) -> Option<Law> {
        match pt {
            0 => Some(Law::Ulaw),
            8 => Some(Law::Alaw),
            _ => None,
        }
    }

    fn of_name(codec: &str) -> Option<Law> {
        let c = codec.to_ascii_uppercase();
        match c.split('/').next().unwrap_or(&c) {
            "PCMU" => Some(Law::Ulaw),
            "PCMA" => Some(Law::Alaw),
            _ => None,
        }
    }

    fn table(self) -> &'static [i16; 256] {
        match self {
            Law::Ulaw => &g711::ULAW,
            Law::Alaw => &g711::ALAW,
        }
    }
}

/// One stream being written.
struct Placed {
    ssrc: u32,
    first: Timestamp,
    last: Timestamp,
    channel: u16,
    main_pt: u8,
    law: Law,
    /// (extended RTP timestamp of the anchor, its frame).
    anchor: Option<(i64, i64)>,
    /// Last RTP timestamp and its extension, to read wraps.
    last_ts: Option<(u32, i64)>,
}

/// The streams written by flow, for the lookup of each datagram.
type ByFlow = HashMap<(SocketAddr, SocketAddr), Vec<usize>>;

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
        sample_rate: SAMPLE_RATE,
        frames: 0,
        start: None,
        streams_written: Vec::new(),
        packets_written: 0,
        left_out: Vec::new(),
        packets_dropped: 0,
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
        let codec = media.codec(s);
        let Some(law) = Law::of_name(&codec).or_else(|| Law::of_pt(s.payload_type)) else {
            report.left_out.push(format!(
                "codec {} of stream {} ({} -> {}) not decoded: sipview writes G.711 (PCMU, PCMA) only",
                crate::views::escape::clean(&codec),
                i,
                s.src,
                s.dst
            ));
            continue;
        };
        let channel = match selection {
            AudioSelection::Call => channel_of(&sides, s),
            AudioSelection::Stream(_) => 0,
        };
        let overlaps = placed.iter().find(|p| {
            p.channel == channel
                && s.first
                    .micros_since(p.last)
                    .min(p.first.micros_since(s.last))
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
        report.streams_written.push(i);
        by_flow
            .entry((s.src, s.dst))
            .or_default()
            .push(placed.len());
        placed.push(Placed {
            ssrc: s.ssrc,
            first: s.first,
            last: s.last,
            channel,
            main_pt: s.payload_type,
            law,
            anchor: None,
            last_ts: None,
        });
    }
    let start = placed.iter().map(|p| p.first).min();
    report.start = start;
    let end = placed.iter().map(|p| p.last).max();

    let reader = reread(source, path)?;
    let mut out = WavWriter::new(file, channels, SAMPLE_RATE);
    // No longer than the streams' span (and a second), nor than a WAV holds.
    let span_frames = match (start, end) {
        (Some(a), Some(b)) => {
            (b.micros_since(a).max(0) as u64 / 1_000_000 + 2) * u64::from(SAMPLE_RATE)
        }
        _ => 0,
    };
    let limit = span_frames.min(out.max_frames());
    let mut writer = AudioWriter {
        placed,
        by_flow,
        start: start.unwrap_or_default(),
        limit,
        out: &mut out,
        error: None,
        samples: Vec::new(),
        written: 0,
        dropped: 0,
    };
    if start.is_some() {
        let mut decoder = Decoder::new();
        reader.read_all(|p| {
            if writer.error.is_some() {
                return;
            }
            decoder.decode(p, &mut |seg: Segment<'_>| writer.segment(&seg));
        });
    }
    let error = writer.error.take();
    report.packets_written = writer.written;
    report.packets_dropped = writer.dropped;
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
        (Some(a), Some(b)) => frame_at(a, b).max(0) as u64,
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

/// The frame of capture time `t` on a timeline starting at `start`.
fn frame_at(start: Timestamp, t: Timestamp) -> i64 {
    t.micros_since(start).saturating_mul(i64::from(SAMPLE_RATE)) / 1_000_000
}

struct AudioWriter<'a> {
    placed: Vec<Placed>,
    by_flow: ByFlow,
    start: Timestamp,
    limit: u64,
    out: &'a mut WavWriter,
    error: Option<std::io::Error>,
    samples: Vec<i16>,
    written: u64,
    dropped: u64,
}

impl AudioWriter<'_> {
    fn segment(&mut self, seg: &Segment<'_>) {
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
        let arrival = frame_at(self.start, seg.ts);
        let Some(s) = self.placed.get_mut(k) else {
            return;
        };
        // Extended timestamp: each read as the nearest to the last.
        let ext = match s.last_ts {
            None => 0,
            Some((last, ext)) => ext + i64::from(p.timestamp.wrapping_sub(last) as i32),
        };
        s.last_ts = Some((p.timestamp, ext));
        let law = if p.payload_type == s.main_pt {
            Some(s.law)
        } else {
            Law::of_pt(p.payload_type)
        };
        let (anchor_ts, anchor_frame) = *s.anchor.get_or_insert((ext, arrival));
        let mut frame = anchor_frame + (ext - anchor_ts);
        if (frame - arrival).abs() > RESYNC {
            s.anchor = Some((ext, arrival));
            frame = arrival;
        }
        let channel = s.channel;
        // Comfort noise, events and other payloads: silence.
        let Some(law) = law.filter(|_| p.payload_type != PT_CN) else {
            return;
        };
        let table = law.table();
        self.samples.clear();
        self.samples
            .extend(p.payload.iter().map(|&b| table[usize::from(b)]));
        let n = self.samples.len() as u64;
        if frame < 0 || frame as u64 + n > self.limit {
            self.dropped += 1;
            return;
        }
        match self.out.put(channel, frame as u64, &self.samples) {
            Ok(()) => self.written += 1,
            Err(e) => self.error = Some(e),
        }
    }
}

//! Drives the stages over a capture: packets -> payloads -> messages -> calls,
//! and the datagrams that are not SIP -> media streams of those calls.

use crate::calls::{CallStore, Observation};
use crate::capture::{CaptureError, CaptureReader, CaptureSource, Packet, StopReason};
use crate::decode::{DecodeStats, Decoder, FlowKey, Payload, Segment};
use crate::media::{Datagram, MediaTracker, Side};
use crate::sip::{self, SipMessage, StreamFramer};
use std::path::Path;
use std::time::{Duration, Instant};

/// One packet at a time through decode, SIP and calls; shared by file
/// reading and (later) live capture.
#[derive(Default)]
pub struct Pipeline {
    decoder: Decoder,
    framer: StreamFramer<FlowKey>,
    pub store: CallStore,
    pub media: MediaTracker,
    packets: u64,
}

impl Pipeline {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn packets(&self) -> u64 {
        self.packets
    }

    pub fn decode_stats(&self) -> DecodeStats {
        self.decoder.stats()
    }

    pub fn stream_bytes_skipped(&self) -> u64 {
        self.framer.skipped_bytes()
    }

    pub fn push(&mut self, packet: &Packet<'_>) {
        self.packets += 1;
        let Pipeline {
            decoder,
            framer,
            store,
            media,
            ..
        } = self;
        decoder.decode(packet, &mut |seg: Segment<'_>| {
            on_segment(framer, store, media, &seg)
        });
    }
}

fn on_segment(
    framer: &mut StreamFramer<FlowKey>,
    store: &mut CallStore,
    media: &mut MediaTracker,
    seg: &Segment<'_>,
) {
    match seg.payload {
        Payload::Datagram { bytes, file_offset } => match sip::parse(bytes) {
            Some(msg) => add_sip(store, media, &observe(seg, bytes, file_offset), &msg),
            None => media.push(&Datagram {
                packet_number: seg.packet_number,
                ts: seg.ts,
                src: seg.flow.src,
                dst: seg.flow.dst,
                bytes,
            }),
        },
        Payload::WsMessage { bytes } => {
            if let Some(msg) = sip::parse(bytes) {
                add_sip(store, media, &observe(seg, bytes, None), &msg);
            }
        }
        Payload::Stream { bytes } => framer.push(seg.flow, bytes, &mut |m| {
            if let Some(msg) = sip::parse(m) {
                add_sip(store, media, &observe(seg, m, None), &msg);
            }
        }),
        Payload::StreamReset => framer.reset(&seg.flow),
    }
}

/// Adds a SIP message to its call and, when it carries SDP, tells the media
/// tracker where that side wants its RTP.
fn add_sip(
    store: &mut CallStore,
    media: &mut MediaTracker,
    seen: &Observation<'_>,
    msg: &SipMessage<'_>,
) {
    let index = store.add(seen, msg);
    let Some(rec) = store
        .message(index)
        .filter(|r| r.has_sdp && !r.retransmission)
    else {
        return;
    };
    let Some(call) = rec
        .call
        .and_then(|c| store.calls().get(c as usize).map(|x| (c, x)))
    else {
        return;
    };
    let side = if rec.src == call.1.src {
        Side::Caller
    } else {
        Side::Callee
    };
    media.announce(call.0, index, rec.ts, side, msg.body);
}

fn observe<'a>(seg: &Segment<'_>, bytes: &'a [u8], file_offset: Option<u64>) -> Observation<'a> {
    Observation {
        packet_number: seg.packet_number,
        ts: seg.ts,
        src: seg.flow.src,
        dst: seg.flow.dst,
        transport: seg.transport,
        file_offset,
        bytes,
    }
}

/// A capture read into calls.
pub struct Capture {
    pub source: CaptureSource,
    pub store: CallStore,
    pub media: MediaTracker,
    pub summary: LoadSummary,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct LoadSummary {
    pub packets: u64,
    pub bytes: u64,
    pub decode: DecodeStats,
    pub stream_bytes_skipped: u64,
    /// Where reading stopped early on a damaged file.
    pub stopped: Option<StopReason>,
    #[serde(skip)]
    pub elapsed: Duration,
}

/// Reads a whole capture file.
pub fn load_file(path: &Path) -> Result<Capture, CaptureError> {
    let started = Instant::now();
    let source = CaptureSource::open(path)?;
    let reader = CaptureReader::new(&source)?;
    let mut pipeline = Pipeline::new();
    let outcome = reader.read_all(|p| pipeline.push(p));
    let summary = LoadSummary {
        packets: outcome.packets,
        bytes: outcome.bytes,
        decode: pipeline.decode_stats(),
        stream_bytes_skipped: pipeline.stream_bytes_skipped(),
        stopped: outcome.stopped,
        elapsed: started.elapsed(),
    };
    Ok(Capture {
        source,
        store: pipeline.store,
        media: pipeline.media,
        summary,
    })
}

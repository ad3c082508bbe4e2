//! Drives the stages over a capture: packets -> payloads -> messages -> calls,
//! and the datagrams that are not SIP -> media streams of those calls.

use crate::calls::{CallStore, Observation};
use crate::capture::{CaptureError, CaptureReader, CaptureSource, FileFilter, Packet, StopReason};
use crate::decode::{DecodeStats, Decoder, FlowKey, Payload, Segment, Transport};
use crate::hep::{HepSender, Outgoing};
use crate::media::{Datagram, MediaTracker, Side};
use crate::sip::{self, SipMessage, StreamFramer};
use std::path::{Path, PathBuf};
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
    limit: Option<Limit>,
    /// Packets not looked at because the message limit was reached.
    pub dropped_packets: u64,
    /// Calls forgotten to stay under the limit (`-R`).
    pub rotated_calls: u64,
    /// Sees every SIP message before the store does (`-H`); none by default.
    tap: Option<MessageTap>,
    /// Sees every SIP message once the store has it (`-N`); none by default.
    added: Option<AddedHook>,
}

/// Called with the store and the index of every message once it is added,
/// under the same lock: nothing (a rotation, say) comes in between.
pub type AddedHook = Box<dyn FnMut(&CallStore, u32) + Send>;

/// Called with every SIP message found, where and when it was seen.
pub type MessageTap = Box<dyn FnMut(&Observation<'_>) + Send>;

/// The message limit of a live capture (`-l N`, `-R`).
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub messages: usize,
    /// Forget the oldest calls instead of ignoring new packets.
    pub rotate: bool,
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

    /// TCP / WebSocket messages cut short by the framer (kept, malformed).
    pub fn stream_messages_cut(&self) -> u64 {
        self.framer.cut_messages()
    }

    pub fn set_tap(&mut self, tap: MessageTap) {
        self.tap = Some(tap);
    }

    pub fn set_added_hook(&mut self, hook: AddedHook) {
        self.added = Some(hook);
    }

    pub fn set_limit(&mut self, limit: Limit) {
        self.limit = Some(limit);
    }

    /// True when the limit is reached and new packets are being ignored.
    pub fn is_full(&self) -> bool {
        self.limit
            .is_some_and(|l| !l.rotate && self.store.messages().len() >= l.messages)
    }

    /// Keeps a live store under its limit: with `-R` a quarter of the
    /// calls, the oldest, are forgotten at once (the store is compacted in
    /// place, a pass over all of it, so not for every new message).
    pub fn enforce_limit(&mut self) {
        let Some(limit) = self.limit else { return };
        if !limit.rotate || self.store.messages().len() < limit.messages {
            return;
        }
        let drop = (self.store.calls().len() / 4).max(1);
        let renumbered = self.store.forget_oldest(drop);
        self.media.forget_calls(&renumbered);
        self.rotated_calls += drop as u64;
    }

    pub fn push(&mut self, packet: &Packet<'_>) {
        if self.is_full() {
            self.dropped_packets += 1;
            return;
        }
        self.packets += 1;
        let Pipeline {
            decoder,
            framer,
            store,
            media,
            tap,
            added,
            ..
        } = self;
        let mut sink = Sink {
            store,
            media,
            tap,
            added,
        };
        decoder.decode(packet, &mut |seg: Segment<'_>| {
            on_segment(framer, &mut sink, &seg)
        });
    }
}

fn on_segment(framer: &mut StreamFramer<FlowKey>, sink: &mut Sink<'_>, seg: &Segment<'_>) {
    match seg.payload {
        Payload::Datagram { bytes, file_offset } => match sip::parse(bytes) {
            Some(msg) => sink.add_sip(&observe(seg, bytes, file_offset), &msg),
            None => sink.media.push(&Datagram {
                packet_number: seg.packet_number,
                ts: seg.ts,
                src: seg.flow.src,
                dst: seg.flow.dst,
                bytes,
            }),
        },
        Payload::Message { bytes, file_offset } => {
            if let Some(msg) = sip::parse(bytes) {
                sink.add_sip(&observe(seg, bytes, file_offset), &msg);
            }
        }
        Payload::Stream { bytes } => framer.push(seg.flow, bytes, &mut |m| {
            if let Some(msg) = sip::parse(m) {
                sink.add_sip(&observe(seg, m, None), &msg);
            }
        }),
        Payload::StreamReset => framer.reset(&seg.flow),
    }
}

/// Where the SIP messages and the other datagrams of a packet go.
struct Sink<'a> {
    store: &'a mut CallStore,
    media: &'a mut MediaTracker,
    tap: &'a mut Option<MessageTap>,
    added: &'a mut Option<AddedHook>,
}

impl Sink<'_> {
    /// Adds a SIP message to its call (after the tap, if any, has seen it)
    /// and tells the media tracker about its SDP.
    fn add_sip(&mut self, seen: &Observation<'_>, msg: &SipMessage<'_>) {
        if let Some(tap) = self.tap {
            tap(seen);
        }
        let index = self.store.add(seen, msg);
        announce_sdp(self.store, self.media, index, msg.body);
        // Once a call is over, its media addresses are free for the next
        // call that announces them.
        let over = self.store.message(index).and_then(|r| r.call).filter(|&c| {
            let call = self.store.calls().get(c as usize);
            call.and_then(|c| c.state).is_some_and(|s| s.is_over())
        });
        if let Some(call) = over {
            self.media.call_ended(call);
        }
        if let Some(added) = self.added {
            added(self.store, index);
        }
    }
}

/// When message `index` carries SDP, tells the media tracker where that side
/// of its call wants its RTP.
fn announce_sdp(store: &CallStore, media: &mut MediaTracker, index: u32, body: &[u8]) {
    let Some(rec) = store
        .message(index)
        .filter(|r| r.has_sdp && !r.retransmission)
    else {
        return;
    };
    let Some((call, first)) = rec
        .call
        .and_then(|c| store.calls().get(c as usize).map(|x| (c, x)))
    else {
        return;
    };
    let side = if rec.src == first.src {
        Side::Caller
    } else {
        Side::Callee
    };
    media.announce(call, index, rec.ts, side, body);
}

/// A tap that sends every message on as HEP (`-H`). Send failures are
/// counted in the sender's stats, never stop the capture.
pub fn hep_tap(mut sender: HepSender) -> MessageTap {
    Box::new(move |seen: &Observation<'_>| {
        let _ = sender.send(&Outgoing {
            src: seen.src,
            dst: seen.dst,
            ts: seen.ts,
            tcp: matches!(seen.transport, Transport::Tcp | Transport::Ws),
            payload: seen.bytes,
        });
    })
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
    pub stream_messages_cut: u64,
    /// Where reading stopped early on a damaged file.
    pub stopped: Option<StopReason>,
    #[serde(skip)]
    pub elapsed: Duration,
}

/// Reads a whole capture file.
pub fn load_file(path: &Path) -> Result<Capture, CaptureError> {
    load_file_filtered(path, None)
}

/// Reads several capture files as one capture, packets in time order.
pub fn load_files(paths: &[PathBuf], filter: Option<&str>) -> Result<Capture, CaptureError> {
    load_files_tapped(paths, filter, None)
}

/// Reads a whole capture file, keeping only the packets a BPF filter
/// (already checked with [`crate::capture::check_filter`]) lets through.
pub fn load_file_filtered(path: &Path, filter: Option<&str>) -> Result<Capture, CaptureError> {
    load_files_tapped(&[path.to_path_buf()], filter, None)
}

/// [`load_files`], with every SIP message also given to `tap`.
pub fn load_files_tapped(
    paths: &[PathBuf],
    filter: Option<&str>,
    tap: Option<MessageTap>,
) -> Result<Capture, CaptureError> {
    let started = Instant::now();
    let source = CaptureSource::open_all(paths)?;
    let reader = CaptureReader::new(&source)?;
    let mut pipeline = Pipeline::new();
    if let Some(tap) = tap {
        pipeline.set_tap(tap);
    }
    let mut filter = filter.and_then(|f| FileFilter::new(f).ok());
    let outcome = reader.read_all(|p| {
        if filter.as_mut().is_none_or(|f| f.matches(p)) {
            pipeline.push(p)
        }
    });
    let summary = LoadSummary {
        packets: outcome.packets,
        bytes: outcome.bytes,
        decode: pipeline.decode_stats(),
        stream_bytes_skipped: pipeline.stream_bytes_skipped(),
        stream_messages_cut: pipeline.stream_messages_cut(),
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

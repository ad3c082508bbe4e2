//! Drives the stages over a capture: packets -> payloads -> messages -> calls,
//! and the datagrams that are not SIP -> media streams of those calls.

use crate::calls::{CallStore, Observation};
use crate::capture::{
    CaptureError, CaptureReader, CaptureSource, FileFilter, Origin, Packet, StopReason,
};
use crate::decode::{DecodeStats, Decoder, FlowKey, Payload, Segment, Transport};
use crate::hep::{HepSender, Outgoing};
pub use crate::limit::{ByteSize, LeftOut, Limit, LimitHit};
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
    /// Bytes held by the decoder's reassembly, as last counted: counting
    /// walks its SCTP table, so every [`COUNT_EVERY`] packets; the rest of
    /// [`Pipeline::memory_bytes`] is counted in O(1) as it goes.
    decoder_held: u64,
    /// Packets since `decoder_held` was counted.
    since_count: u32,
    /// Packets not looked at because a limit was reached.
    pub dropped_packets: u64,
    /// The limit that stopped new packets or rotated calls out, first time.
    pub limit_hit: Option<LimitHit>,
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

/// Packets between two counts of the decoder's reassembly bytes.
const COUNT_EVERY: u32 = 256;

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

    /// Bytes held by every stage: the call store (records, calls, message
    /// bytes copied into its arena, strings), the reassembly buffers of
    /// the decoder and the SIP framer, and the media tracker.
    pub fn memory_bytes(&self) -> u64 {
        self.held_besides_decoder() + self.decoder.held_bytes() as u64
    }

    fn held_besides_decoder(&self) -> u64 {
        self.store.memory_bytes() + self.media.memory_bytes() + self.framer.held_bytes() as u64
    }

    /// The figures of a capture read through this pipeline.
    pub fn summary(
        &self,
        packets: u64,
        bytes: u64,
        stopped: Option<StopReason>,
        elapsed: Duration,
    ) -> LoadSummary {
        LoadSummary {
            packets,
            bytes,
            decode: self.decode_stats(),
            stream_bytes_skipped: self.stream_bytes_skipped(),
            stream_messages_cut: self.stream_messages_cut(),
            left_out: self.left_out(),
            stopped,
            elapsed,
        }
    }

    pub fn left_out(&self) -> LeftOut {
        LeftOut {
            limit: self.limit_hit,
            packets_ignored: self.dropped_packets,
            calls_forgotten: self.rotated_calls,
        }
    }

    /// The limit the capture is at, if any.
    fn over_limit(&self) -> Option<LimitHit> {
        let limit = self.limit?;
        if self.store.messages().len() >= limit.messages {
            return Some(LimitHit::Messages(limit.messages));
        }
        let held = self.held_besides_decoder() + self.decoder_held;
        (held >= limit.bytes).then_some(LimitHit::Bytes(limit.bytes))
    }

    /// True when a limit is reached and new packets are being ignored.
    pub fn is_full(&self) -> bool {
        self.limit.is_some_and(|l| !l.rotate) && self.over_limit().is_some()
    }

    /// Keeps the capture under its limits: with `-R` a quarter of the
    /// calls, the oldest, are forgotten at once (the store is compacted in
    /// place, a pass over all of it, so not for every new message).
    pub fn enforce_limit(&mut self) {
        if !self.limit.is_some_and(|l| l.rotate) {
            return;
        }
        let Some(hit) = self.over_limit() else { return };
        self.limit_hit.get_or_insert(hit);
        let before = self.store.calls().len();
        let renumbered = self.store.forget_oldest((before / 4).max(1));
        self.media.forget_calls(&renumbered);
        self.rotated_calls += (before - self.store.calls().len()) as u64;
    }

    pub fn push(&mut self, packet: &Packet<'_>) {
        if self.limit.is_some() {
            self.since_count += 1;
            if self.since_count >= COUNT_EVERY {
                self.since_count = 0;
                self.decoder_held = self.decoder.held_bytes() as u64;
            }
        }
        if self.is_full() {
            if self.limit_hit.is_none() {
                self.limit_hit = self.over_limit();
            }
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
    pub origin: Origin,
    pub source: CaptureSource,
    pub store: CallStore,
    pub media: MediaTracker,
    pub summary: LoadSummary,
}

impl Capture {
    /// What the views read.
    pub fn view(&self) -> CaptureView<'_> {
        CaptureView {
            origin: &self.origin,
            source: &self.source,
            store: &self.store,
            media: &self.media,
        }
    }
}

/// One capture as every view and export reads it, whether it was read
/// from files ([`Capture::view`]) or is still arriving on the screens
/// (`Session::view`, borrowed under the pipeline's lock).
#[derive(Clone, Copy)]
pub struct CaptureView<'a> {
    pub origin: &'a Origin,
    /// Where message bytes are read back from (nothing, live: the store's
    /// arena holds them).
    pub source: &'a CaptureSource,
    pub store: &'a CallStore,
    pub media: &'a MediaTracker,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct LoadSummary {
    pub packets: u64,
    pub bytes: u64,
    pub decode: DecodeStats,
    pub stream_bytes_skipped: u64,
    pub stream_messages_cut: u64,
    /// What a limit kept out of the capture.
    pub left_out: LeftOut,
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
    load_files_tapped(paths, filter, None, Limit::default())
}

/// Reads a whole capture file, keeping only the packets a BPF filter
/// (already checked with [`crate::capture::check_filter`]) lets through.
pub fn load_file_filtered(path: &Path, filter: Option<&str>) -> Result<Capture, CaptureError> {
    load_files_tapped(&[path.to_path_buf()], filter, None, Limit::default())
}

/// [`load_files`], with every SIP message also given to `tap`, holding
/// what `limit` allows.
pub fn load_files_tapped(
    paths: &[PathBuf],
    filter: Option<&str>,
    tap: Option<MessageTap>,
    limit: Limit,
) -> Result<Capture, CaptureError> {
    let started = Instant::now();
    let source = CaptureSource::open_all(paths)?;
    let reader = CaptureReader::new(&source)?;
    let mut pipeline = Pipeline::new();
    pipeline.set_limit(limit);
    if let Some(tap) = tap {
        pipeline.set_tap(tap);
    }
    let mut filter = filter.and_then(|f| FileFilter::new(f).ok());
    let outcome = reader.read_all(|p| {
        if filter.as_mut().is_none_or(|f| f.matches(p)) {
            pipeline.push(p);
            pipeline.enforce_limit();
        }
    });
    let summary = pipeline.summary(
        outcome.packets,
        outcome.bytes,
        outcome.stopped,
        started.elapsed(),
    );
    Ok(Capture {
        origin: Origin::Files(paths.to_vec()),
        source,
        store: pipeline.store,
        media: pipeline.media,
        summary,
    })
}

//! Selected calls as a pcap file of their original packets.
//!
//! The capture is read again and every packet that carried a message of the
//! calls is copied as it was: timestamp, bytes, original length. A message
//! reassembled from several TCP segments or IP fragments knows only the
//! packet that completed it (one packet number per message), so only that
//! packet is saved; [`SaveReport::partial_messages`] counts such messages.
//! Packets without SIP (TCP handshakes, bare ACKs, FINs) are not saved
//! either, so a reader that needs a FIN or SYN to follow a reused TCP
//! connection may miss the later messages on it.
//!
//! A live capture (or HEP) keeps no packets, only the messages: each one is
//! then written in an IP packet made up around it, between its addresses
//! and at its time (link type RAW), and no RTP can be saved.
//!
//! The calls' RTP and RTCP are saved too, without the tracker keeping a
//! packet list: each media flow of the calls (source and destination
//! address) is known with the span of time it was seen in, and every UDP
//! datagram of such a flow inside such a span is copied.

use super::{discard, refuse_the_capture, reread, ExportError, SaveReport};
use crate::calls::{CallStore, MessageBytes};
use crate::capture::{rebuilt, CaptureSource, LinkType, Packet, Timestamp};
use crate::decode::{Decoder, Payload, Segment, Transport};
use crate::media::MediaTracker;
use ::pcap::{Capture, Linktype, PacketHeader, Precision, Savefile};
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use memchr::memmem;
use std::net::SocketAddr;
use std::os::unix::fs::FileExt;
use std::path::Path;

/// Media flows of the saved calls, each with the spans it was seen in.
type MediaSpans = HashMap<(SocketAddr, SocketAddr), Vec<(Timestamp, Timestamp)>>;

/// pcap file and record header sizes, to check what reached the disk.
const FILE_HEADER: u64 = 24;
const RECORD_HEADER: u64 = 16;
/// The snap length the pcap crate gives every dead handle.
const DEAD_SNAPLEN: u32 = 65_535;
/// Offset of the snap length in the pcap file header.
const SNAPLEN_OFFSET: u64 = 16;

/// Writes the original packets of every message of `calls`, and of their
/// RTP and RTCP when `media` is given, in capture order, to a nanosecond
/// pcap file at `path`.
pub fn save_pcap(
    source: &CaptureSource,
    store: &CallStore,
    media: Option<&MediaTracker>,
    calls: &[u32],
    path: &Path,
) -> Result<SaveReport, ExportError> {
    // The pcap crate turns the path into a C string and panics on non-UTF-8.
    let name = path.to_str().ok_or_else(|| ExportError::NotUtf8 {
        path: path.to_path_buf(),
    })?;
    refuse_the_capture(source, path)?;
    // Fail before re-reading the capture, in the system's own words.
    std::fs::File::create(path).map_err(|e| ExportError::Create {
        path: path.to_path_buf(),
        source: e,
    })?;

    if source.is_live() {
        return save_rebuilt(source, store, calls, name, path);
    }
    let mut wanted: HashSet<u64> = HashSet::new();
    // Messages not at a file offset: they may not sit whole in their packet.
    let mut arena: HashMap<u64, Vec<u32>> = HashMap::new();
    for index in store.messages_of_calls(calls) {
        let Some(rec) = store.message(index) else {
            continue;
        };
        wanted.insert(rec.packet_number);
        if matches!(rec.bytes, MessageBytes::Arena { .. }) {
            arena.entry(rec.packet_number).or_default().push(index);
        }
    }

    let reader = reread(source, path)?;
    let mut w = Writer {
        name,
        path,
        source,
        store,
        wanted: &wanted,
        arena: &arena,
        media: media_spans(media, calls),
        decoder: Decoder::new(),
        out: None,
        link: None,
        first_link_in_capture: None,
        error: None,
        report: SaveReport {
            path: path.to_path_buf(),
            packets_written: 0,
            link_type: LinkType::ETHERNET,
            skipped_other_link: 0,
            partial_messages: 0,
            media_packets: 0,
        },
        expected_bytes: FILE_HEADER,
        max_caplen: 0,
    };
    reader.read_all(|p| w.packet(p));
    let result = w.finish();
    if result.is_err() {
        discard(path);
    }
    result
}

struct Writer<'a> {
    name: &'a str,
    path: &'a Path,
    source: &'a CaptureSource,
    store: &'a CallStore,
    wanted: &'a HashSet<u64>,
    arena: &'a HashMap<u64, Vec<u32>>,
    /// Empty when no media is saved: then packets are not decoded at all.
    media: MediaSpans,
    decoder: Decoder,
    out: Option<Savefile>,
    /// Link type of the file: that of the first selected packet.
    link: Option<LinkType>,
    first_link_in_capture: Option<LinkType>,
    /// The first failure; later packets are then ignored.
    error: Option<ExportError>,
    report: SaveReport,
    expected_bytes: u64,
    max_caplen: u32,
}

impl Writer<'_> {
    fn packet(&mut self, p: &Packet<'_>) {
        self.first_link_in_capture.get_or_insert(p.link);
        if self.error.is_some() {
            return;
        }
        let is_media = !self.wanted.contains(&p.number) && self.is_media(p);
        if !is_media && !self.wanted.contains(&p.number) {
            return;
        }
        let link = *self.link.get_or_insert(p.link);
        if p.link != link {
            self.report.skipped_other_link += 1;
            return;
        }
        // The reader's buffer bounds a packet at 1 MiB: this always fits.
        let caplen = p.data.len() as u32;
        if self.out.is_none() {
            match open(self.name, link) {
                Ok(out) => self.out = Some(out),
                Err(e) => {
                    self.error = Some(self.pcap_error(e));
                    return;
                }
            }
        }
        let Some(out) = self.out.as_mut() else {
            return;
        };
        let header = PacketHeader {
            ts: timeval(p.ts.0),
            caplen,
            len: p.orig_len,
        };
        out.write(&::pcap::Packet {
            header: &header,
            data: p.data,
        });
        self.report.packets_written += 1;
        self.report.media_packets += u64::from(is_media);
        self.expected_bytes += RECORD_HEADER + u64::from(caplen);
        self.max_caplen = self.max_caplen.max(caplen);
        self.report.partial_messages += self.partial_in(p);
    }

    /// A UDP datagram of one of the calls' media flows, in its time span.
    fn is_media(&mut self, p: &Packet<'_>) -> bool {
        if self.media.is_empty() {
            return false;
        }
        let mut found = false;
        let media = &self.media;
        self.decoder.decode(p, &mut |seg: Segment<'_>| {
            if !matches!(seg.payload, Payload::Datagram { .. }) {
                return;
            }
            found |= media
                .get(&(seg.flow.src, seg.flow.dst))
                .is_some_and(|spans| spans.iter().any(|&(a, b)| a <= seg.ts && seg.ts <= b));
        });
        found
    }

    /// Messages of this packet whose bytes it does not hold whole.
    fn partial_in(&self, p: &Packet<'_>) -> u64 {
        let Some(indices) = self.arena.get(&p.number) else {
            return 0;
        };
        indices
            .iter()
            .filter(|&&i| {
                let bytes = self
                    .store
                    .message(i)
                    .and_then(|rec| self.store.message_bytes(rec, self.source).ok());
                !bytes.is_some_and(|b| !b.is_empty() && memmem::find(p.data, &b).is_some())
            })
            .count() as u64
    }

    fn pcap_error(&self, e: ::pcap::Error) -> ExportError {
        pcap_error(self.path, e)
    }

    fn finish(mut self) -> Result<SaveReport, ExportError> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        let link = self
            .link
            .or(self.first_link_in_capture)
            .unwrap_or(LinkType::ETHERNET);
        self.report.link_type = link;
        // No packet selected: still a valid, empty capture file.
        let mut out = match self.out.take() {
            Some(out) => out,
            None => open(self.name, link).map_err(|e| self.pcap_error(e))?,
        };
        out.flush().map_err(|e| self.pcap_error(e))?;
        drop(out);
        check_written(self.path, self.expected_bytes, self.max_caplen)?;
        Ok(self.report)
    }
}

/// A libpcap error in the system's words when it carries an errno.
fn pcap_error(path: &Path, e: ::pcap::Error) -> ExportError {
    let path = path.to_path_buf();
    match e {
        ::pcap::Error::ErrnoError(errno) => ExportError::Write {
            path,
            source: std::io::Error::from_raw_os_error(errno.0),
        },
        source => ExportError::Pcap { path, source },
    }
}

/// libpcap drops failed writes silently; a regular file's size tells (on a
/// device or pipe a lost write can go unnoticed). Then the snap length is
/// raised to the longest record when needed.
fn check_written(path: &Path, expected: u64, max_caplen: u32) -> Result<(), ExportError> {
    let Ok(meta) = std::fs::metadata(path) else {
        return Ok(());
    };
    if !meta.is_file() {
        return Ok(());
    }
    if meta.len() != expected {
        return Err(ExportError::Short {
            path: path.to_path_buf(),
            written: meta.len(),
            expected,
        });
    }
    if max_caplen > DEAD_SNAPLEN {
        raise_snaplen(path, max_caplen).map_err(|e| ExportError::Write {
            path: path.to_path_buf(),
            source: e,
        })?;
    }
    Ok(())
}

/// Nanosecond precision keeps every timestamp sipview read (pcap in us or
/// ns, pcapng up to ns) exactly.
fn open(name: &str, link: LinkType) -> Result<Savefile, ::pcap::Error> {
    Capture::dead_with_precision(Linktype(link.dlt()), Precision::Nano)?.savefile(name)
}

/// libpcap readers cut records longer than the header's snap length (65535
/// from the pcap crate); loopback packets can be longer, so the header is
/// raised to the longest record, in the host byte order libpcap wrote it in.
fn raise_snaplen(path: &Path, snaplen: u32) -> std::io::Result<()> {
    let file = std::fs::OpenOptions::new().write(true).open(path)?;
    file.write_all_at(&snaplen.to_ne_bytes(), SNAPLEN_OFFSET)
}

/// With nanosecond precision libpcap writes `tv_usec` as nanoseconds.
fn timeval(ns: u64) -> libc::timeval {
    libc::timeval {
        tv_sec: (ns / 1_000_000_000) as libc::time_t,
        tv_usec: (ns % 1_000_000_000) as libc::suseconds_t,
    }
}

/// Every RTP stream and RTCP flow of the calls, as flow -> time spans.
fn media_spans(media: Option<&MediaTracker>, calls: &[u32]) -> MediaSpans {
    let mut spans = MediaSpans::new();
    let Some(media) = media else {
        return spans;
    };
    for &c in calls {
        for s in media.call_streams(c) {
            spans
                .entry((s.src, s.dst))
                .or_default()
                .push((s.first, s.last));
        }
        for f in media.call_rtcp(c) {
            spans
                .entry((f.src, f.dst))
                .or_default()
                .push((f.first, f.last));
        }
    }
    spans
}

/// The messages of `calls` each in a made-up IP packet, for a live capture.
fn save_rebuilt(
    source: &CaptureSource,
    store: &CallStore,
    calls: &[u32],
    name: &str,
    path: &Path,
) -> Result<SaveReport, ExportError> {
    let pcap_error = |e| pcap_error(path, e);
    let mut out = open(name, LinkType::RAW).map_err(pcap_error)?;
    let mut report = SaveReport {
        path: path.to_path_buf(),
        packets_written: 0,
        link_type: LinkType::RAW,
        skipped_other_link: 0,
        partial_messages: 0,
        media_packets: 0,
    };
    let mut packet = Vec::new();
    let (mut expected, mut max_caplen) = (FILE_HEADER, 0u32);
    for index in store.messages_of_calls(calls) {
        let Some(rec) = store.message(index) else {
            continue;
        };
        // Live messages are all in the arena: nothing is read from a file.
        let Ok(bytes) = store.message_bytes(rec, source) else {
            continue;
        };
        let (src, dst) = (store.endpoints.addr(rec.src), store.endpoints.addr(rec.dst));
        let tcp = !matches!(rec.transport, Transport::Udp);
        if rebuilt::ip_packet(src, dst, tcp, &bytes, &mut packet).is_err() {
            continue;
        }
        let caplen = u32::try_from(packet.len()).unwrap_or(u32::MAX);
        out.write(&::pcap::Packet {
            header: &PacketHeader {
                ts: timeval(rec.ts.0),
                caplen,
                len: caplen,
            },
            data: &packet,
        });
        report.packets_written += 1;
        expected += RECORD_HEADER + u64::from(caplen);
        max_caplen = max_caplen.max(caplen);
    }
    out.flush().map_err(pcap_error)?;
    drop(out);
    check_written(path, expected, max_caplen)?;
    Ok(report)
}

use super::{CaptureError, CaptureSource, LinkType, Packet, Timestamp};
use pcap_parser::pcapng::Block;
use pcap_parser::traits::PcapNGPacketBlock;
use pcap_parser::traits::PcapReaderIterator;
use pcap_parser::{create_reader, PcapBlockOwned, PcapError};
use std::io::Read;
use std::path::Path;

/// Large enough for any sane record (snap length is at most 256 KiB); a record
/// claiming more than this is treated as damage, which bounds memory too.
const BUFFER_CAPACITY: usize = 1 << 20;

/// Record header sizes, to turn a record's offset into its data's offset.
const LEGACY_RECORD_HEADER: u64 = 16;
const EPB_HEADER: u64 = 28;
const SPB_HEADER: u64 = 12;

/// Why reading stopped before the end of the file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StopReason {
    /// Byte offset in the (decompressed) capture where the damage starts.
    pub offset: u64,
    /// Frame number of the last packet read in full.
    pub after_packet: u64,
    pub reason: String,
}

/// What a complete read gives back besides the packets.
#[derive(Debug, Clone, Default)]
pub struct ReadOutcome {
    pub packets: u64,
    pub bytes: u64,
    /// `None` when the whole file was read.
    pub stopped: Option<StopReason>,
}

#[derive(Debug, Clone, Copy)]
struct Interface {
    link: LinkType,
    /// Timestamp units per second.
    resolution: u64,
    offset_secs: i64,
}

/// Reads a capture's files (pcap and pcapng, each interface with its own
/// link type, with pcap-parser) as one: packets in time order across the
/// files, numbered in that order, each with its offset in the capture's
/// offset space (see [`CaptureSource`]).
pub struct CaptureReader {
    files: Vec<FileReader>,
}

/// What a read hands every packet to.
type OnPacket<'a> = dyn FnMut(&Packet<'_>) + 'a;

/// Reads one file.
struct FileReader {
    inner: Box<dyn PcapReaderIterator + Send>,
    path: std::path::PathBuf,
    /// Where the file starts in the capture's offset space.
    base: u64,
    interfaces: Vec<Interface>,
    legacy_link: LinkType,
    legacy_nanos: bool,
    /// Packets of this file read so far.
    packets: u64,
    /// Bytes consumed so far: the offset of the next record.
    consumed: u64,
    extra_damage: Option<String>,
    stalled: u8,
    /// Set when the file has no more packets: `Some(None)` at its end,
    /// `Some(Some(..))` where damage stopped it.
    finished: Option<Option<StopReason>>,
}

/// How many leading bytes [`HeadKeeper`] keeps (the longest magic known).
const HEAD_BYTES: usize = 24;

/// Passes reads through, keeping a copy of the file's first bytes.
struct HeadKeeper<R> {
    inner: R,
    head: std::sync::Arc<std::sync::Mutex<Vec<u8>>>,
    done: bool,
}

impl<R: Read> Read for HeadKeeper<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if !self.done {
            if let Ok(mut head) = self.head.lock() {
                let want = HEAD_BYTES.saturating_sub(head.len()).min(n);
                head.extend_from_slice(&buf[..want]);
                self.done = head.len() >= HEAD_BYTES || n == 0;
            }
        }
        Ok(n)
    }
}

impl CaptureReader {
    pub fn new(source: &CaptureSource) -> Result<Self, CaptureError> {
        let mut files = Vec::with_capacity(source.parts().len());
        for part in source.parts() {
            let path = part.path().to_path_buf();
            let file = part.reader().map_err(|e| CaptureError::Read {
                path: path.clone(),
                source: e,
            })?;
            let mut reader = FileReader::new(file, &path)?;
            reader.base = part.base();
            reader.extra_damage = part.inflate_damage().map(str::to_owned);
            files.push(reader);
        }
        Ok(CaptureReader { files })
    }

    /// Reads from any byte source (`path` only names it in errors); file
    /// offsets are then offsets in that source.
    pub fn from_read(read: impl Read + Send + 'static, path: &Path) -> Result<Self, CaptureError> {
        Ok(CaptureReader {
            files: vec![FileReader::new(read, path)?],
        })
    }

    /// Calls `on_packet` for every packet, the earliest of the files' next
    /// packets first (a file's own order is kept), until every file ended
    /// or met damage; never fails on bad bytes. Damage in one file ends
    /// that file only.
    pub fn read_all(mut self, mut on_packet: impl FnMut(&Packet<'_>)) -> ReadOutcome {
        let mut number = 0u64;
        if let [file] = self.files.as_mut_slice() {
            // One file: its own order, each record parsed once.
            while file.take(number + 1, &mut on_packet).is_some() {
                number += 1;
            }
        }
        let mut next: Vec<Option<Timestamp>> =
            self.files.iter_mut().map(FileReader::peek).collect();
        loop {
            let earliest = next
                .iter()
                .enumerate()
                .filter_map(|(i, ts)| ts.map(|t| (t, i)))
                .min();
            let Some((_, i)) = earliest else { break };
            let (Some(file), Some(slot)) = (self.files.get_mut(i), next.get_mut(i)) else {
                break;
            };
            number += 1;
            file.take(number, &mut on_packet);
            *slot = file.peek();
        }
        let several = self.files.len() > 1;
        let mut stopped = None;
        for f in &mut self.files {
            if let Some(mut s) = f.finished.take().flatten() {
                if several {
                    s.reason = format!("{}: {}", f.path.display(), s.reason);
                }
                stopped = stopped.or(Some(s));
            }
        }
        ReadOutcome {
            packets: number,
            bytes: self.files.iter().map(|f| f.consumed).sum(),
            stopped,
        }
    }
}

impl FileReader {
    fn new(read: impl Read + Send + 'static, path: &Path) -> Result<Self, CaptureError> {
        let path = path.to_path_buf();
        // The first bytes are kept as they pass, to name another capture
        // format if the readers refuse the file (a Cursor chained in front
        // would hand the pcapng reader a short first read).
        let head = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let read = HeadKeeper {
            inner: read,
            head: std::sync::Arc::clone(&head),
            done: false,
        };
        let inner = match create_reader(BUFFER_CAPACITY, read) {
            Ok(r) => r,
            Err(PcapError::Eof) => return Err(CaptureError::Empty { path }),
            Err(_) => {
                let head = head.lock().map(|h| h.clone()).unwrap_or_default();
                return Err(match super::error::other_format(&head) {
                    Some(format) => CaptureError::OtherFormat { path, format },
                    None => CaptureError::NotACapture { path },
                });
            }
        };
        Ok(FileReader {
            inner,
            path,
            base: 0,
            interfaces: Vec::new(),
            legacy_link: LinkType::ETHERNET,
            legacy_nanos: false,
            packets: 0,
            consumed: 0,
            extra_damage: None,
            stalled: 0,
            finished: None,
        })
    }

    /// Reads up to the next packet (taking in the headers and interface
    /// descriptions on the way) and gives its time; `None` once the file
    /// ended or met damage. The packet stays unread.
    fn peek(&mut self) -> Option<Timestamp> {
        self.advance(None)
    }

    /// Hands the next packet to `on_packet` as packet `number` of the
    /// capture; `None` once the file ended or met damage.
    fn take(&mut self, number: u64, on_packet: &mut OnPacket<'_>) -> Option<Timestamp> {
        self.advance(Some((number, on_packet)))
    }

    fn advance(&mut self, mut deliver: Option<(u64, &mut OnPacket<'_>)>) -> Option<Timestamp> {
        if self.finished.is_some() {
            return None;
        }
        loop {
            match self.inner.next() {
                Ok((len, block)) => {
                    self.stalled = 0;
                    let packet = packet_of(
                        &block,
                        self.base + self.consumed,
                        &mut self.interfaces,
                        &mut self.legacy_link,
                        &mut self.legacy_nanos,
                        deliver.as_ref().map_or(0, |(n, _)| *n),
                    );
                    let ts = packet.as_ref().map(|p| p.ts);
                    match (packet, deliver.as_mut()) {
                        (Some(_), None) => return ts,
                        (Some(p), Some((_, on_packet))) => {
                            self.packets += 1;
                            on_packet(&p);
                        }
                        (None, _) => {}
                    }
                    self.inner.consume(len);
                    self.consumed += len as u64;
                    if ts.is_some() {
                        return ts;
                    }
                }
                Err(PcapError::Eof) => {
                    let extra = self.extra_damage.take();
                    self.finished = Some(extra.map(|reason| self.damage(&reason)));
                    return None;
                }
                Err(PcapError::Incomplete(_)) => {
                    self.stalled += 1;
                    if self.stalled > 2 || self.inner.refill().is_err() {
                        return self.stop("record cut short (file truncated)");
                    }
                }
                Err(PcapError::UnexpectedEof) => {
                    return self.stop("record cut short (file truncated)")
                }
                Err(PcapError::BufferTooSmall) => {
                    return self.stop("record larger than any real packet (corrupt length)")
                }
                Err(PcapError::ReadError) => return self.stop("read error"),
                Err(_) => return self.stop("unrecognised record (corrupt data)"),
            }
        }
    }

    fn stop(&mut self, reason: &str) -> Option<Timestamp> {
        self.finished = Some(Some(self.damage(reason)));
        None
    }

    fn damage(&self, reason: &str) -> StopReason {
        StopReason {
            offset: self.base + self.consumed,
            after_packet: self.packets,
            reason: reason.to_owned(),
        }
    }
}

fn packet_of<'a>(
    block: &'a PcapBlockOwned<'_>,
    record_offset: u64,
    interfaces: &mut Vec<Interface>,
    legacy_link: &mut LinkType,
    legacy_nanos: &mut bool,
    number: u64,
) -> Option<Packet<'a>> {
    match block {
        PcapBlockOwned::LegacyHeader(h) => {
            *legacy_link = LinkType(h.network.0);
            *legacy_nanos = h.is_nanosecond_precision();
            None
        }
        PcapBlockOwned::Legacy(b) => {
            let sub = if *legacy_nanos {
                b.ts_usec as u64
            } else {
                b.ts_usec as u64 * 1_000
            };
            let data = b.data.get(..b.caplen as usize).unwrap_or(b.data);
            Some(Packet {
                number,
                ts: Timestamp((b.ts_sec as u64) * 1_000_000_000 + sub),
                link: *legacy_link,
                data,
                orig_len: b.origlen,
                file_offset: Some(record_offset + LEGACY_RECORD_HEADER),
            })
        }
        PcapBlockOwned::NG(Block::SectionHeader(_)) => {
            // Interface ids restart in every section.
            interfaces.clear();
            None
        }
        PcapBlockOwned::NG(Block::InterfaceDescription(idb)) => {
            interfaces.push(Interface {
                link: LinkType(idb.linktype.0),
                resolution: idb.ts_resolution().unwrap_or(1_000_000).max(1),
                offset_secs: idb.ts_offset(),
            });
            None
        }
        PcapBlockOwned::NG(Block::EnhancedPacket(epb)) => {
            let iface = interfaces.get(epb.if_id as usize).copied()?;
            let ticks = ((epb.ts_high as u64) << 32) | epb.ts_low as u64;
            let ns = (ticks as u128 * 1_000_000_000 / iface.resolution as u128) as i128
                + iface.offset_secs as i128 * 1_000_000_000;
            Some(Packet {
                number,
                ts: Timestamp(ns.clamp(0, u64::MAX as i128) as u64),
                link: iface.link,
                data: epb.packet_data(),
                orig_len: epb.origlen,
                file_offset: Some(record_offset + EPB_HEADER),
            })
        }
        PcapBlockOwned::NG(Block::SimplePacket(spb)) => {
            let iface = interfaces.first().copied()?;
            Some(Packet {
                number,
                ts: Timestamp(0),
                link: iface.link,
                data: spb.packet_data(),
                orig_len: spb.origlen,
                file_offset: Some(record_offset + SPB_HEADER),
            })
        }
        PcapBlockOwned::NG(_) => None,
    }
}

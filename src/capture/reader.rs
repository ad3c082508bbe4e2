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

/// Reads pcap and pcapng (each interface with its own link type) with pcap-parser.
pub struct CaptureReader {
    inner: Box<dyn PcapReaderIterator + Send>,
    interfaces: Vec<Interface>,
    legacy_link: LinkType,
    legacy_nanos: bool,
    packets: u64,
    /// Bytes consumed so far: the offset of the next record.
    consumed: u64,
    extra_damage: Option<String>,
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
        let path = source.path().to_path_buf();
        let file = source.reader().map_err(|e| CaptureError::Read {
            path: path.clone(),
            source: e,
        })?;
        let mut reader = Self::from_read(file, &path)?;
        reader.extra_damage = source.inflate_damage().map(str::to_owned);
        Ok(reader)
    }

    /// Reads from any byte source (`path` only names it in errors); file
    /// offsets are then offsets in that source.
    pub fn from_read(read: impl Read + Send + 'static, path: &Path) -> Result<Self, CaptureError> {
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
        Ok(CaptureReader {
            inner,
            interfaces: Vec::new(),
            legacy_link: LinkType::ETHERNET,
            legacy_nanos: false,
            packets: 0,
            consumed: 0,
            extra_damage: None,
        })
    }

    /// Calls `on_packet` for every packet until the end of the file or the
    /// first damage; never fails on bad bytes.
    pub fn read_all(mut self, mut on_packet: impl FnMut(&Packet<'_>)) -> ReadOutcome {
        let mut stalled = 0u8;
        let stopped = loop {
            let record_offset = self.consumed;
            match self.inner.next() {
                Ok((len, block)) => {
                    stalled = 0;
                    let packet = packet_of(
                        &block,
                        record_offset,
                        &mut self.interfaces,
                        &mut self.legacy_link,
                        &mut self.legacy_nanos,
                        self.packets + 1,
                    );
                    if let Some(p) = packet {
                        self.packets += 1;
                        on_packet(&p);
                    }
                    self.inner.consume(len);
                    self.consumed += len as u64;
                }
                Err(PcapError::Eof) => break None,
                Err(PcapError::Incomplete(_)) => {
                    stalled += 1;
                    if stalled > 2 || self.inner.refill().is_err() {
                        break Some(self.damage("record cut short (file truncated)"));
                    }
                }
                Err(PcapError::UnexpectedEof) => {
                    break Some(self.damage("record cut short (file truncated)"))
                }
                Err(PcapError::BufferTooSmall) => {
                    break Some(self.damage("record larger than any real packet (corrupt length)"))
                }
                Err(PcapError::ReadError) => break Some(self.damage("read error")),
                Err(_) => break Some(self.damage("unrecognised record (corrupt data)")),
            }
        };
        let stopped = stopped.or_else(|| {
            self.extra_damage.take().map(|reason| StopReason {
                offset: self.consumed,
                after_packet: self.packets,
                reason,
            })
        });
        ReadOutcome {
            packets: self.packets,
            bytes: self.consumed,
            stopped,
        }
    }

    fn damage(&self, reason: &str) -> StopReason {
        StopReason {
            offset: self.consumed,
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

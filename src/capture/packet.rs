/// Capture time in nanoseconds since the Unix epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Timestamp(pub u64);

impl Timestamp {
    pub fn from_secs_micros(secs: u64, micros: u64) -> Self {
        Timestamp(
            secs.saturating_mul(1_000_000_000)
                .saturating_add(micros.saturating_mul(1_000)),
        )
    }
    pub fn from_secs_nanos(secs: u64, nanos: u64) -> Self {
        Timestamp(secs.saturating_mul(1_000_000_000).saturating_add(nanos))
    }
    pub fn secs(self) -> u64 {
        self.0 / 1_000_000_000
    }
    pub fn subsec_micros(self) -> u32 {
        ((self.0 % 1_000_000_000) / 1_000) as u32
    }
    /// Signed difference `self - earlier` in microseconds.
    pub fn micros_since(self, earlier: Timestamp) -> i64 {
        (self.0 as i128 - earlier.0 as i128).clamp(i64::MIN as i128, i64::MAX as i128) as i64
            / 1_000
    }
}

/// Link-layer header type, as numbered by tcpdump.org's LINKTYPE_ registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LinkType(pub i32);

impl LinkType {
    pub const NULL: LinkType = LinkType(0);
    pub const ETHERNET: LinkType = LinkType(1);
    pub const RAW: LinkType = LinkType(101);
    pub const LOOP: LinkType = LinkType(108);
    pub const LINUX_SLL: LinkType = LinkType(113);
    pub const IPV4: LinkType = LinkType(228);
    pub const IPV6: LinkType = LinkType(229);
    pub const LINUX_SLL2: LinkType = LinkType(276);
    /// Some BSDs write DLT_RAW as 12 or 14 in capture files.
    pub const RAW_BSD12: LinkType = LinkType(12);
    pub const RAW_BSD14: LinkType = LinkType(14);

    /// The DLT_ number libpcap wants for a handle (filters, savefiles).
    /// Files carry LINKTYPE_ numbers, which are the same except for a few,
    /// of which raw IP is the one that matters here (files, and packets
    /// rebuilt from HEP or live messages): LINKTYPE_RAW is 101, DLT_RAW 12
    /// (14 on OpenBSD). libpcap writes the LINKTYPE_ back into a file.
    pub fn dlt(self) -> i32 {
        match self {
            LinkType::RAW if cfg!(target_os = "openbsd") => 14,
            LinkType::RAW => 12,
            other => other.0,
        }
    }
}

/// One captured frame, borrowed from the reader's buffer.
#[derive(Debug, Clone, Copy)]
pub struct Packet<'a> {
    /// 1-based frame number, as Wireshark counts.
    pub number: u64,
    pub ts: Timestamp,
    pub link: LinkType,
    pub data: &'a [u8],
    /// Length on the wire; larger than `data.len()` when the snap length cut it.
    pub orig_len: u32,
    /// Offset of `data` in the capture file (the decompressed file for `.gz`).
    pub file_offset: Option<u64>,
}

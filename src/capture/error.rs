use std::path::PathBuf;

/// The capture formats sipview recognises but does not read, by the magic
/// bytes at the start of the file (what Wireshark's readers check).
pub fn other_format(head: &[u8]) -> Option<&'static str> {
    const MAGICS: [(&[u8], &str); 7] = [
        (b"GMBU", "Microsoft Network Monitor 2.x"),
        (b"RTSS", "Microsoft Network Monitor 1.x"),
        (b"snoop\0\0\0", "Solaris snoop"),
        (b"TRSNIFF data    \x1a", "Network General Sniffer"),
        (b"iptrace 1.0", "AIX iptrace"),
        (b"iptrace 2.0", "AIX iptrace"),
        (b"XCP\0", "NetXRay / Windows Sniffer"),
    ];
    MAGICS
        .iter()
        .find(|(magic, _)| head.starts_with(magic))
        .map(|&(_, name)| name)
}

/// Why a capture could not be opened at all. Damage found part-way through a
/// file is not an error: it ends the read with a [`super::StopReason`].
#[derive(Debug, thiserror::Error)]
pub enum CaptureError {
    #[error("cannot open {path}: {source}")]
    Open {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path} is empty")]
    Empty { path: PathBuf },
    #[error("{path} is not a pcap or pcapng capture")]
    NotACapture { path: PathBuf },
    #[error("{path} is a {format} capture, which sipview does not read: convert it with `editcap -F pcapng {path} out.pcapng` (editcap comes with tshark)")]
    OtherFormat { path: PathBuf, format: &'static str },
    #[error("{path} is a directory, not a capture file")]
    IsDirectory { path: PathBuf },
    #[error("{path} inflates past {cap} bytes (the free space of the temporary folder less 1 GiB, or --max-inflate): gunzip it where there is room, or give a larger --max-inflate")]
    InflatesTooMuch { path: PathBuf, cap: u64 },
    #[error("no capture file given")]
    NoFiles,
    #[error("{path} holds no pcap, pcapng or gzip capture file")]
    EmptyDirectory { path: PathBuf },
    #[error("no file matches {pattern}")]
    NoMatch { pattern: String },
    #[error("bad pattern {pattern}: {reason}")]
    BadPattern { pattern: String, reason: String },
}

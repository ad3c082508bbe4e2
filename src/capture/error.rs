use std::path::PathBuf;

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
    #[error("{path} is a directory, not a capture file")]
    IsDirectory { path: PathBuf },
}

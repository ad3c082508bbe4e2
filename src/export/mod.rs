//! Stage 7: selected calls out to files, as the TUI's save dialog and
//! `--save` write them: the original packets as pcap, or the messages as
//! text.
//!
//! Nothing upstream imports this module: it reads the capture, the call
//! store and the view helpers, and writes files.

mod audio;
mod pcap;
mod save;
mod text;

pub use self::audio::{save_audio, AudioReport, AudioSelection};
pub use self::pcap::save_pcap;
pub use self::save::{save_calls, SaveAs};
pub use self::text::save_text;

use crate::capture::{CaptureError, CaptureReader, CaptureSource, LinkType};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// Why a save failed; every message names the file being written.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot create {path}: {source}")]
    Create {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Pcap {
        path: PathBuf,
        #[source]
        source: ::pcap::Error,
    },
    #[error("{path} is incomplete ({written} of {expected} bytes written; disk full?)")]
    Short {
        path: PathBuf,
        written: u64,
        expected: u64,
    },
    #[error("cannot save to {path}: libpcap needs a UTF-8 file name")]
    NotUtf8 { path: PathBuf },
    #[error("cannot save to {path}: it is the capture being read")]
    IsTheCapture { path: PathBuf },
    #[error("cannot save to {path}: {source}")]
    Reread {
        path: PathBuf,
        #[source]
        source: CaptureError,
    },
}

/// What [`save_pcap`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaveReport {
    pub path: PathBuf,
    pub packets_written: u64,
    /// Link type of the file (a pcap file holds exactly one).
    pub link_type: LinkType,
    /// Selected packets left out because their link type differs from the
    /// first one seen (pcapng with several interfaces).
    pub skipped_other_link: u64,
    /// Saved messages whose bytes are not whole in their saved packet:
    /// reassembled from TCP segments or IP fragments, of which only the
    /// packet that completed the message is known. Masked WebSocket frames
    /// count here too (their bytes differ on the wire).
    pub partial_messages: u64,
    /// RTP and RTCP packets of the calls' streams among those written.
    pub media_packets: u64,
}

/// What [`save_text`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextReport {
    pub path: PathBuf,
    pub messages: usize,
}

/// Creating `path` truncates it: if it is the capture itself, the messages
/// still to be read from it would be lost.
fn refuse_the_capture(source: &CaptureSource, path: &Path) -> Result<(), ExportError> {
    let Ok(out) = std::fs::metadata(path) else {
        return Ok(());
    };
    for part in source.parts() {
        let Ok(cap) = std::fs::metadata(part.path()) else {
            continue;
        };
        if out.dev() == cap.dev() && out.ino() == cap.ino() {
            return Err(ExportError::IsTheCapture {
                path: path.to_path_buf(),
            });
        }
    }
    Ok(())
}

/// Removes what a failed save left, so no cut file passes for a whole one;
/// devices and pipes are left alone.
/// The capture opened again to copy packets from; on failure the half
/// written `path` is removed.
fn reread(source: &CaptureSource, path: &Path) -> Result<CaptureReader, ExportError> {
    CaptureReader::new(source).map_err(|e| {
        discard(path);
        ExportError::Reread {
            path: path.to_path_buf(),
            source: e,
        }
    })
}

fn discard(path: &Path) {
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file()) {
        let _ = std::fs::remove_file(path);
    }
}

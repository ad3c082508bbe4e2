//! One save of some calls, as `--save` and the screens' save prompt both
//! do it: the format from the file's name (or asked for), the file written,
//! and one line saying what it holds.

use super::{save_pcap, save_text, ExportError};
use crate::load::CaptureView;
use crate::views::escape::clean;
use std::path::Path;

/// What to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveAs {
    /// The original packets (rebuilt ones, live), with the calls' RTP.
    Pcap,
    /// The messages as the raw view shows them.
    Text,
}

impl SaveAs {
    /// Pcap for a name ending in `.pcap`, text otherwise.
    pub fn from_name(path: &Path) -> SaveAs {
        match path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("pcap"))
        {
            true => SaveAs::Pcap,
            false => SaveAs::Text,
        }
    }
}

/// Writes the calls to `path`; the line to show says what was written.
pub fn save_calls(
    view: &CaptureView<'_>,
    calls: &[u32],
    path: &Path,
    format: SaveAs,
) -> Result<String, ExportError> {
    let name = clean(&path.display().to_string()).into_owned();
    let n = calls.len();
    Ok(match format {
        SaveAs::Pcap => {
            let r = save_pcap(view.source, view.store, Some(view.media), calls, path)?;
            let mut line = format!("saved {} packets of {n} calls to {name}", r.packets_written);
            if r.media_packets > 0 {
                line += &format!(" ({} of them RTP and RTCP)", r.media_packets);
            }
            if view.origin.is_live() {
                line += " (live: each message in a rebuilt IP packet; -O keeps the real ones)";
            }
            if r.skipped_other_link > 0 {
                line += &format!(
                    "; skipped {} packets of another link type (a pcap file holds one; \
                     save as text to keep them)",
                    r.skipped_other_link
                );
            }
            if r.partial_messages > 0 {
                line += &format!(
                    "; {} messages were reassembled from several packets, \
                     only the packet that completed each was saved",
                    r.partial_messages
                );
            }
            line
        }
        SaveAs::Text => {
            let r = save_text(view.source, view.store, calls, path)?;
            format!(
                "saved {} messages of {n} calls as text to {name}",
                r.messages
            )
        }
    })
}

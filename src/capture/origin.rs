//! Where a capture's packets come from: files, live devices or a HEP
//! listener. Titles, summaries and default file names read it, so a live
//! capture never has to pretend to be a file.

use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Capture files read as one capture, in the order of their offsets.
    Files(Vec<PathBuf>),
    /// Live capture on these devices (`any`, `eth0`, ...).
    Devices(Vec<String>),
    /// HEP received on this UDP address.
    Hep(SocketAddr),
}

impl Origin {
    /// True when packets arrive while the capture is looked at.
    pub fn is_live(&self) -> bool {
        !matches!(self, Origin::Files(_))
    }

    /// The capture's name for titles, summaries and messages: the file (or
    /// the first and how many more), the devices, or the HEP address.
    pub fn name(&self) -> String {
        match self {
            Origin::Files(files) => match files.as_slice() {
                [] => String::new(),
                [one] => one.display().to_string(),
                [first, rest @ ..] => format!("{} (+{} files)", first.display(), rest.len()),
            },
            Origin::Devices(devices) => format!("live on {}", devices.join(",")),
            Origin::Hep(addr) => format!("HEP on udp:{addr}"),
        }
    }

    /// The devices a live capture runs on (the HEP listener counts as one,
    /// `hep:udp:ADDR`); empty for files.
    pub fn devices(&self) -> Vec<String> {
        match self {
            Origin::Files(_) => Vec::new(),
            Origin::Devices(d) => d.clone(),
            Origin::Hep(addr) => vec![format!("hep:udp:{addr}")],
        }
    }

    /// The start of a file name written from this capture (`dump` for
    /// `dump.pcap`, `live-eth0`, `hep-5060`): letters, digits, `-`, `_`
    /// and `.` only, so scp never reads a colon in it as a host.
    pub fn file_stem(&self) -> String {
        let stem = match self {
            Origin::Files(files) => files
                .first()
                .and_then(|f| f.file_stem())
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "capture".into()),
            Origin::Devices(devices) => format!("live-{}", devices.join("-")),
            Origin::Hep(addr) => format!("hep-{}", addr.port()),
        };
        stem.chars()
            .map(|c| match c.is_alphanumeric() || "-_.".contains(c) {
                true => c,
                false => '-',
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_stems() {
        let files = Origin::Files(vec!["/tmp/a b.pcap".into(), "/tmp/c.pcap".into()]);
        assert_eq!(files.name(), "/tmp/a b.pcap (+1 files)");
        assert_eq!(files.file_stem(), "a-b");
        assert!(!files.is_live());
        let live = Origin::Devices(vec!["eth0".into(), "lo".into()]);
        assert_eq!(live.name(), "live on eth0,lo");
        assert_eq!(live.file_stem(), "live-eth0-lo");
        assert_eq!(live.devices(), ["eth0", "lo"]);
        let hep = Origin::Hep("127.0.0.1:9060".parse().unwrap());
        assert_eq!(hep.file_stem(), "hep-9060");
        assert_eq!(hep.devices(), ["hep:udp:127.0.0.1:9060"]);
        assert!(hep.is_live());
    }
}

//! A BPF filter (tcpdump syntax) applied to packets read from a file, the
//! same expression `-i` gives libpcap: `sipview -I f.pcap port 5060`.

use super::live::LiveError;
use super::packet::{LinkType, Packet};

/// Compiled once per link type (a pcapng file may hold several).
pub struct FileFilter {
    expr: String,
    programs: Vec<(LinkType, Option<pcap::BpfProgram>)>,
}

impl FileFilter {
    pub fn new(expr: &str) -> Result<Self, LiveError> {
        super::live::check_filter(expr)?;
        Ok(FileFilter {
            expr: expr.to_owned(),
            programs: Vec::new(),
        })
    }

    /// True when the packet passes. A link type the expression cannot be
    /// compiled for (it names a layer that type lacks) lets nothing through.
    pub fn matches(&mut self, packet: &Packet<'_>) -> bool {
        let at = match self.programs.iter().position(|(l, _)| *l == packet.link) {
            Some(i) => i,
            None => {
                let program = pcap::Capture::dead(pcap::Linktype(packet.link.dlt()))
                    .ok()
                    .and_then(|d| d.compile(&self.expr, true).ok());
                self.programs.push((packet.link, program));
                self.programs.len() - 1
            }
        };
        self.programs[at]
            .1
            .as_ref()
            .is_some_and(|p| p.filter(packet.data))
    }
}

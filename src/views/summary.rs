use crate::capture::StopReason;
use crate::load::{Capture, CaptureView, LeftOut};
use serde::Serialize;

/// What `--summary` prints.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// The first file read (the only one, mostly).
    pub file: String,
    /// Every file read, in the order of their offsets, when more than one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<String>,
    pub packets: u64,
    pub bytes: u64,
    pub sip_messages: u64,
    pub calls: u64,
    pub malformed: u64,
    pub retransmissions: u64,
    pub without_call_id: u64,
    pub ip_fragments: u64,
    pub reassembled_datagrams: u64,
    pub fragments_evicted: u64,
    pub tcp_retransmitted_segments: u64,
    pub tcp_gap_bytes: u64,
    pub stream_bytes_skipped: u64,
    /// Messages on TCP / WebSocket cut short (an endless header, a body
    /// the stream never delivered): kept as malformed.
    pub stream_messages_cut: u64,
    pub unsupported_link_packets: u64,
    /// Link frames that carry no IP (ARP, PPPoE discovery, LLDP, ...) or
    /// whose IP headers are damaged.
    pub not_ip_packets: u64,
    /// GRE of a version or protocol not peeled.
    pub unsupported_tunnel_packets: u64,
    /// TCP segments starting with a TLS record: encrypted SIP, not read.
    pub tls_segments: u64,
    /// UDP datagrams shaped like VXLAN on a port not read as VXLAN.
    pub vxlan_other_port_packets: u64,
    /// The port of the last of them, to give `--vxlan-port`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vxlan_other_port: Option<u16>,
    /// SCTP DATA chunks read, those seen before (retransmissions, left
    /// out) and fragments that could not be put together.
    pub sctp_data_chunks: u64,
    pub sctp_retransmitted_chunks: u64,
    pub sctp_fragments_dropped: u64,
    pub rtp_streams: u64,
    pub rtp_packets: u64,
    pub rtcp_packets: u64,
    /// Streams past the tracker's cap: counted, not followed.
    pub rtp_streams_dropped: u64,
    pub elapsed_ms: f64,
    pub truncated: Option<StopReason>,
    /// What `-l` / `--max-memory` kept out.
    pub left_out: LeftOut,
    /// What `--filter`, `--problems` or `-c` kept, when one was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selected: Option<Selected>,
}

/// The part of a capture a selection keeps.
#[derive(Debug, Clone, Serialize)]
pub struct Selected {
    pub calls: u64,
    pub sip_messages: u64,
    pub rtp_streams: u64,
}

impl Selected {
    pub fn of(view: &CaptureView<'_>, calls: &[u32]) -> Selected {
        Selected {
            calls: calls.len() as u64,
            sip_messages: view.store.messages_of_calls(calls).len() as u64,
            rtp_streams: view.media.streams_of_calls(calls).len() as u64,
        }
    }
}

impl Summary {
    pub fn of(capture: &Capture) -> Summary {
        let s = &capture.summary;
        let st = capture.store.stats();
        Summary {
            file: match capture.source.parts() {
                [] => capture.origin.name(),
                _ => capture.source.path().display().to_string(),
            },
            files: match capture.source.parts() {
                [_] => Vec::new(),
                parts => parts
                    .iter()
                    .map(|p| p.path().display().to_string())
                    .collect(),
            },
            packets: s.packets,
            bytes: s.bytes,
            sip_messages: st.sip_messages,
            calls: capture.store.calls().len() as u64,
            malformed: st.malformed,
            retransmissions: st.retransmissions,
            without_call_id: st.without_call_id,
            ip_fragments: s.decode.ip_fragments,
            reassembled_datagrams: s.decode.reassembled_datagrams,
            fragments_evicted: s.decode.fragments_evicted,
            tcp_retransmitted_segments: s.decode.tcp_retransmitted_segments,
            tcp_gap_bytes: s.decode.tcp_gap_bytes,
            stream_bytes_skipped: s.stream_bytes_skipped,
            stream_messages_cut: s.stream_messages_cut,
            unsupported_link_packets: s.decode.unsupported_link,
            not_ip_packets: s.decode.not_ip,
            unsupported_tunnel_packets: s.decode.tunnel_unsupported,
            tls_segments: s.decode.tls_segments,
            vxlan_other_port_packets: s.decode.vxlan_other_port,
            vxlan_other_port: (s.decode.vxlan_other_port > 0)
                .then_some(s.decode.vxlan_other_port_last),
            sctp_data_chunks: s.decode.sctp_data_chunks,
            sctp_retransmitted_chunks: s.decode.sctp_retransmitted_chunks,
            sctp_fragments_dropped: s.decode.sctp_fragments_dropped,
            rtp_streams: capture.media.streams().len() as u64,
            rtp_packets: capture.media.stats().rtp_packets,
            rtcp_packets: capture.media.stats().rtcp_packets,
            rtp_streams_dropped: capture.media.stats().streams_dropped,
            elapsed_ms: s.elapsed.as_secs_f64() * 1000.0,
            truncated: s.stopped.clone(),
            left_out: s.left_out,
            selected: None,
        }
    }

    pub fn to_text(&self) -> String {
        let mut lines = vec![format!(
            "file               {}",
            super::escape::clean(&self.file)
        )];
        for f in self.files.iter().skip(1) {
            lines.push(format!("                   {}", super::escape::clean(f)));
        }
        lines.extend([
            format!("packets            {}", self.packets),
            format!("sip messages       {}", self.sip_messages),
            format!("calls              {}", self.calls),
            format!("malformed          {}", self.malformed),
            format!("retransmissions    {}", self.retransmissions),
        ]);
        let optional = [
            ("without Call-ID    ", self.without_call_id),
            ("ip fragments       ", self.ip_fragments),
            ("reassembled        ", self.reassembled_datagrams),
            ("fragments evicted  ", self.fragments_evicted),
            ("tcp retransmitted  ", self.tcp_retransmitted_segments),
            ("tcp gap bytes      ", self.tcp_gap_bytes),
            ("stream bytes skipped", self.stream_bytes_skipped),
            ("stream msgs cut    ", self.stream_messages_cut),
            ("unsupported link   ", self.unsupported_link_packets),
            ("not IP             ", self.not_ip_packets),
            ("unsupported tunnel ", self.unsupported_tunnel_packets),
            ("tls, not decrypted ", self.tls_segments),
            ("sctp data chunks   ", self.sctp_data_chunks),
            ("sctp retransmitted ", self.sctp_retransmitted_chunks),
            ("sctp frags dropped ", self.sctp_fragments_dropped),
            ("rtp streams        ", self.rtp_streams),
            ("rtp packets        ", self.rtp_packets),
            ("rtcp packets       ", self.rtcp_packets),
            ("rtp streams dropped", self.rtp_streams_dropped),
        ];
        for (name, n) in optional {
            if n > 0 {
                lines.push(format!("{name} {n}"));
            }
        }
        if let Some(port) = self.vxlan_other_port {
            lines.push(format!(
                "vxlan, not peeled   {} (UDP to {port} shaped like VXLAN: read it with --vxlan-port {port})",
                self.vxlan_other_port_packets
            ));
        }
        if let Some(sel) = &self.selected {
            lines.push(format!(
                "selected           {} calls, {} sip messages, {} rtp streams",
                sel.calls, sel.sip_messages, sel.rtp_streams
            ));
        }
        lines.push(format!("elapsed            {:.1} ms", self.elapsed_ms));
        if let Some(t) = &self.truncated {
            lines.push(truncation_note(t));
        }
        if let Some(line) = self.left_out.line() {
            lines.push(format!("left out: {line}"));
        }
        lines.join("\n") + "\n"
    }
}

/// One line saying where a damaged capture stopped being read.
/// The packets not decoded, by reason, in a few words for a status bar
/// ("not decoded: 4 TLS, 1 not IP"); `None` when every packet was.
pub fn undecoded_note(d: &crate::decode::DecodeStats) -> Option<String> {
    let mut parts: Vec<String> = [
        (d.tls_segments, "TLS (not decrypted)"),
        (d.not_ip, "not IP"),
        (d.unsupported_link, "unsupported link"),
        (d.tunnel_unsupported, "unsupported tunnel"),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{n} {what}"))
    .collect();
    if d.vxlan_other_port > 0 {
        let port = d.vxlan_other_port_last;
        parts.push(format!(
            "{} VXLAN on {port} (--vxlan-port {port})",
            d.vxlan_other_port
        ));
    }
    (!parts.is_empty()).then(|| format!("not decoded: {}", parts.join(", ")))
}

pub fn truncation_note(t: &StopReason) -> String {
    format!(
        "capture damaged: read stopped at byte {} after packet {}: {}",
        t.offset, t.after_packet, t.reason
    )
}

//! Tunnels a mirrored or carrier capture wraps SIP in: VXLAN and Geneve
//! (UDP), GRE with IP, transparent Ethernet bridging or ERSPAN II / III
//! inside. Each returns what it carries; the caller peels it and decodes
//! again, within the tunnel depth bound.

/// VXLAN's IANA port (RFC 7348).
pub const VXLAN_PORT: u16 = 4789;
/// Geneve's IANA port (RFC 8926).
pub const GENEVE_PORT: u16 = 6081;
/// UDP ports per tunnel kind that can be set (`--vxlan-port`, `--geneve-port`).
pub const MAX_TUNNEL_PORTS: usize = 4;

/// The UDP destination ports read as VXLAN and as Geneve: the IANA ports
/// unless the deployment uses others (Linux's old VXLAN default 8472, a
/// cloud mirror's own port).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TunnelPorts {
    vxlan: [u16; MAX_TUNNEL_PORTS],
    geneve: [u16; MAX_TUNNEL_PORTS],
}

impl Default for TunnelPorts {
    fn default() -> Self {
        TunnelPorts {
            vxlan: [VXLAN_PORT, 0, 0, 0],
            geneve: [GENEVE_PORT, 0, 0, 0],
        }
    }
}

/// Set once, at start-up, for the whole process: every decoder (the
/// load, a live capture, a save's second read of the file) must peel the
/// same tunnels, and none of them is handed options of its own.
static CONFIGURED: std::sync::OnceLock<TunnelPorts> = std::sync::OnceLock::new();

impl TunnelPorts {
    /// Ports given on the command line; an empty list keeps the IANA port
    /// of that kind. `None` when a list is longer than
    /// [`MAX_TUNNEL_PORTS`] or names port 0.
    pub fn new(vxlan: &[u16], geneve: &[u16]) -> Option<TunnelPorts> {
        let list = |given: &[u16], default: u16| {
            if given.len() > MAX_TUNNEL_PORTS || given.contains(&0) {
                return None;
            }
            let mut out = [0u16; MAX_TUNNEL_PORTS];
            match given {
                [] => out[0] = default,
                _ => out[..given.len()].copy_from_slice(given),
            }
            Some(out)
        };
        Some(TunnelPorts {
            vxlan: list(vxlan, VXLAN_PORT)?,
            geneve: list(geneve, GENEVE_PORT)?,
        })
    }

    /// Makes these the ports of every decoder made from now on; false when
    /// ports were configured already.
    pub fn configure(self) -> bool {
        CONFIGURED.set(self).is_ok()
    }

    /// The configured ports, else the IANA ones.
    pub fn configured() -> TunnelPorts {
        CONFIGURED.get().copied().unwrap_or_default()
    }

    /// What a UDP datagram to `port` carries, if `port` is a tunnel's.
    pub fn peel<'a>(&self, port: u16, bytes: &'a [u8]) -> Option<Inner<'a>> {
        if self.vxlan.contains(&port) {
            vxlan(bytes)
        } else if self.geneve.contains(&port) {
            geneve(bytes)
        } else {
            None
        }
    }
}

/// What a tunnel carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inner<'a> {
    /// An IPv4 or IPv6 packet.
    Ip(&'a [u8]),
    /// An Ethernet frame (VLAN tags and all).
    Ethernet(&'a [u8]),
}

const ETHER_IPV4: u16 = 0x0800;
const ETHER_IPV6: u16 = 0x86DD;
const TRANSPARENT_ETHERNET: u16 = 0x6558;
const ERSPAN_II: u16 = 0x88BE;
const ERSPAN_III: u16 = 0x22EB;

fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*b.get(at)?, *b.get(at + 1)?]))
}

fn by_protocol(protocol: u16, rest: &[u8]) -> Option<Inner<'_>> {
    match protocol {
        ETHER_IPV4 | ETHER_IPV6 => Some(Inner::Ip(rest)),
        TRANSPARENT_ETHERNET => Some(Inner::Ethernet(rest)),
        _ => None,
    }
}

/// VXLAN: 8 bytes (flags with the I bit, VNI), then an Ethernet frame.
pub fn vxlan(udp_payload: &[u8]) -> Option<Inner<'_>> {
    let flags = *udp_payload.first()?;
    if flags & 0x08 == 0 || udp_payload.len() < 8 + 14 {
        return None;
    }
    Some(Inner::Ethernet(&udp_payload[8..]))
}

/// A datagram shaped like VXLAN to the byte (flags exactly I, reserved
/// bytes zero, an Ethernet frame of IP or VLAN inside): on a port not read
/// as VXLAN, it is counted so `--summary` can name `--vxlan-port`.
pub fn looks_like_vxlan(udp_payload: &[u8]) -> bool {
    let reserved_zero =
        matches!(udp_payload.get(..4), Some([0x08, 0, 0, 0])) && udp_payload.get(7) == Some(&0);
    reserved_zero
        && matches!(
            be16(udp_payload, 8 + 12),
            Some(ETHER_IPV4 | ETHER_IPV6 | 0x8100 | 0x88a8)
        )
}

/// Geneve: version 0, options of `opt_len` 4-byte words, then the protocol
/// its type names (Ethernet or IP).
pub fn geneve(udp_payload: &[u8]) -> Option<Inner<'_>> {
    let first = *udp_payload.first()?;
    if first >> 6 != 0 {
        return None;
    }
    let header = 8 + usize::from(first & 0x3F) * 4;
    let protocol = be16(udp_payload, 2)?;
    by_protocol(protocol, udp_payload.get(header..)?)
}

/// GRE (RFC 2784 / 2890): optional checksum, key and sequence words after
/// the 4-byte base header; ERSPAN II and III add their own header before
/// the mirrored Ethernet frame.
pub fn gre(ip_payload: &[u8]) -> Option<Inner<'_>> {
    let flags = be16(ip_payload, 0)?;
    // Version 0 only (1 is PPTP's enhanced GRE).
    if flags & 0x0007 != 0 {
        return None;
    }
    let protocol = be16(ip_payload, 2)?;
    let mut header = 4;
    for bit in [0x8000, 0x2000, 0x1000] {
        if flags & bit != 0 {
            header += 4;
        }
    }
    let rest = ip_payload.get(header..)?;
    match protocol {
        ERSPAN_II => rest.get(8..).map(Inner::Ethernet),
        ERSPAN_III => {
            // 12 bytes; the O flag (last bit of the 12th byte) adds an
            // 8-byte platform subheader.
            let optional = rest.get(11).is_some_and(|b| b & 0x01 != 0);
            rest.get(if optional { 20 } else { 12 }..)
                .map(Inner::Ethernet)
        }
        other => by_protocol(other, rest),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_peeled() {
        let frame = [0u8; 14];
        let mut v = vec![0x08, 0, 0, 0, 0, 0, 0x2a, 0];
        v.extend_from_slice(&frame);
        assert_eq!(vxlan(&v), Some(Inner::Ethernet(&frame[..])));
        assert_eq!(vxlan(&v[..10]), None, "truncated");
        let mut g = vec![0x01, 0, 0x65, 0x58, 0, 0, 0x2a, 0, 1, 2, 3, 4];
        g.extend_from_slice(&frame);
        assert_eq!(geneve(&g), Some(Inner::Ethernet(&frame[..])));
        let ip = [0x45u8, 0, 0, 20];
        let mut gre_key = vec![0x20, 0, 0x08, 0x00, 0, 0, 0, 7];
        gre_key.extend_from_slice(&ip);
        assert_eq!(gre(&gre_key), Some(Inner::Ip(&ip[..])));
        let mut erspan2 = vec![0x10, 0, 0x88, 0xBE, 0, 0, 0, 1];
        erspan2.extend_from_slice(&[0x10, 0x01, 0, 0, 0, 0, 0, 0]);
        erspan2.extend_from_slice(&frame);
        assert_eq!(gre(&erspan2), Some(Inner::Ethernet(&frame[..])));
        let mut erspan3 = vec![0x10, 0, 0x22, 0xEB, 0, 0, 0, 1];
        erspan3.extend_from_slice(&[0x20, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01]);
        erspan3.extend_from_slice(&[0; 8]);
        erspan3.extend_from_slice(&frame);
        assert_eq!(gre(&erspan3), Some(Inner::Ethernet(&frame[..])));
        assert_eq!(gre(&[0x00, 0x01, 0x08, 0x00]), None, "enhanced GRE");
    }
}

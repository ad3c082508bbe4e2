//! Just enough SDP (RFC 4566): where media should go and which codecs are
//! on offer. [`lines`] reads a body without allocating (the media stage
//! reads every SDP of a capture); [`Sdp::parse`] builds an owned copy on it
//! for the explain engine.

use std::net::IpAddr;

/// One `m=` section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Media {
    pub kind: String,
    pub port: u16,
    /// Payload type numbers in the order offered.
    pub payloads: Vec<u8>,
    /// `a=rtpmap:PT name/rate` per payload type, names as sent.
    pub rtpmap: Vec<(u8, String)>,
    /// The section's own `c=` address, if any.
    pub connection: Option<IpAddr>,
    /// sendrecv / sendonly / recvonly / inactive, when given.
    pub direction: Option<String>,
    /// `a=rtcp:PORT [IN IP4 ADDR]` (RFC 3605): RTCP elsewhere than port + 1.
    pub rtcp: Option<(u16, Option<IpAddr>)>,
}

impl Media {
    /// Codec name of a payload type: rtpmap, or the static RFC 3551 name.
    pub fn codec(&self, pt: u8) -> String {
        self.rtpmap
            .iter()
            .find(|(p, _)| *p == pt)
            .map(|(_, name)| name.split('/').next().unwrap_or(name).to_owned())
            .unwrap_or_else(|| static_codec(pt).unwrap_or("unknown").to_owned())
    }

    pub fn has_telephone_event(&self) -> bool {
        self.rtpmap
            .iter()
            .any(|(_, n)| n.to_ascii_lowercase().starts_with("telephone-event"))
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sdp {
    /// Session-level `c=` address.
    pub connection: Option<IpAddr>,
    pub media: Vec<Media>,
}

impl Sdp {
    pub fn parse(body: &[u8]) -> Sdp {
        let mut sdp = Sdp::default();
        for line in lines(body) {
            if let SdpLine::Media(m) = line {
                sdp.media.push(Media {
                    kind: m.kind.to_owned(),
                    port: m.port,
                    payloads: m.payload_types().collect(),
                    rtpmap: Vec::new(),
                    connection: None,
                    direction: None,
                    rtcp: None,
                });
                continue;
            }
            let Some(m) = sdp.media.last_mut() else {
                if let SdpLine::Connection(addr) = line {
                    sdp.connection = addr;
                }
                continue;
            };
            match line {
                SdpLine::Connection(addr) => m.connection = addr,
                SdpLine::Rtpmap { pt, name } => m.rtpmap.push((pt, name.to_owned())),
                SdpLine::Rtcp { port, addr } => m.rtcp = Some((port, addr)),
                SdpLine::Direction(d) => m.direction = Some(d.to_owned()),
                SdpLine::Media(_) => {}
            }
        }
        sdp
    }

    /// The address media of a section is sent to: its own c= or the session's.
    pub fn media_address(&self, m: &Media) -> Option<IpAddr> {
        m.connection.or(self.connection)
    }

    pub fn audio(&self) -> Option<&Media> {
        self.media.iter().find(|m| m.kind == "audio")
    }
}

/// An `m=` line, borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MediaLine<'a> {
    pub kind: &'a str,
    /// 0 when missing or unreadable.
    pub port: u16,
    /// The whole value: kind, port, protocol, then the formats.
    value: &'a str,
}

impl<'a> MediaLine<'a> {
    /// Payload type numbers in the order offered.
    pub fn payload_types(&self) -> impl Iterator<Item = u8> + 'a {
        self.value
            .split_whitespace()
            .skip(3)
            .filter_map(|p| p.parse().ok())
    }
}

/// One SDP line sipview reads, borrowed from the body; the other lines
/// are skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SdpLine<'a> {
    /// `c=`: the address (`None` when unreadable).
    Connection(Option<IpAddr>),
    Media(MediaLine<'a>),
    /// `a=rtpmap:PT name/rate[/channels]`.
    Rtpmap {
        pt: u8,
        name: &'a str,
    },
    /// `a=rtcp:PORT [IN IP4 ADDR]` (RFC 3605).
    Rtcp {
        port: u16,
        addr: Option<IpAddr>,
    },
    /// `a=sendrecv`, `a=sendonly`, `a=recvonly`, `a=inactive`.
    Direction(&'a str),
}

/// The lines of an SDP body that matter for media, without allocating
/// (the media stage reads every SDP of a capture). Lines that are not
/// UTF-8 are skipped: the ones read here are ASCII.
pub fn lines(body: &[u8]) -> impl Iterator<Item = SdpLine<'_>> {
    let mut rest = body;
    std::iter::from_fn(move || loop {
        if rest.is_empty() {
            return None;
        }
        let (raw, next) = match memchr::memchr(b'\n', rest) {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, &[][..]),
        };
        rest = next;
        if let Some(line) = line(raw) {
            return Some(line);
        }
    })
}

fn line(raw: &[u8]) -> Option<SdpLine<'_>> {
    // Only c=, m= and a= matter: skip the others before reading them.
    let (&key, eq) = (raw.first()?, raw.get(1)?);
    if *eq != b'=' || !matches!(key, b'c' | b'm' | b'a') {
        return None;
    }
    let value = std::str::from_utf8(&raw[2..]).ok()?.trim_end();
    match key {
        b'c' => Some(SdpLine::Connection(connection_address(value))),
        b'm' => {
            let mut parts = value.split_whitespace();
            let kind = parts.next().unwrap_or("");
            let port = parts
                .next()
                .and_then(|p| p.split('/').next()?.parse().ok())
                .unwrap_or(0);
            Some(SdpLine::Media(MediaLine { kind, port, value }))
        }
        _ => attribute(value),
    }
}

fn attribute(value: &str) -> Option<SdpLine<'_>> {
    if let Some(map) = value.strip_prefix("rtpmap:") {
        let mut it = map.splitn(2, ' ');
        let pt = it.next()?.parse().ok()?;
        return Some(SdpLine::Rtpmap {
            pt,
            name: it.next()?.trim(),
        });
    }
    if let Some(rtcp) = value.strip_prefix("rtcp:") {
        let mut it = rtcp.splitn(2, ' ');
        let port = it.next()?.parse().ok()?;
        return Some(SdpLine::Rtcp {
            port,
            addr: it.next().and_then(connection_address),
        });
    }
    matches!(value, "sendrecv" | "sendonly" | "recvonly" | "inactive")
        .then_some(SdpLine::Direction(value))
}

/// `IN IP4 192.0.2.1` -> the address (multicast TTL suffixes dropped).
fn connection_address(value: &str) -> Option<IpAddr> {
    let addr = value.split_whitespace().nth(2)?;
    addr.split('/').next()?.parse().ok()
}

/// Static payload types of RFC 3551 that are still met in the field.
pub fn static_codec(pt: u8) -> Option<&'static str> {
    Some(match pt {
        0 => "PCMU",
        3 => "GSM",
        4 => "G723",
        8 => "PCMA",
        9 => "G722",
        18 => "G729",
        _ => return None,
    })
}

/// Private, shared or local addresses a peer on the internet cannot reach:
/// RFC 1918, RFC 6598 carrier-grade NAT, link-local, IPv6 unique-local.
pub fn is_private(addr: IpAddr) -> bool {
    match addr {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            v4.is_private() || v4.is_link_local() || (o[0] == 100 && (64..128).contains(&o[1]))
        }
        IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            (first & 0xfe00) == 0xfc00 || (first & 0xffc0) == 0xfe80
        }
    }
}

/// A public address: not private, loopback, unspecified or multicast.
pub fn is_public(addr: IpAddr) -> bool {
    !is_private(addr) && !addr.is_loopback() && !addr.is_unspecified() && !addr.is_multicast()
}

/// An address written inside a message that its sender cannot be reached
/// at: private, while the packet came from a public address (the sender is
/// behind NAT, unless a proxy relayed the message). Two private addresses
/// prove nothing: a LAN, a VPN, or a multi-homed host.
pub fn behind_nat(written: Option<IpAddr>, source: Option<IpAddr>) -> Option<IpAddr> {
    written.filter(|a| is_private(*a) && source.is_some_and(is_public))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rtcp_attribute_with_and_without_address() {
        let sdp = Sdp::parse(
            b"v=0\r\nc=IN IP4 10.0.0.1\r\nm=audio 4062 RTP/AVP 0\r\na=rtcp:4063 IN IP4 192.168.170.105\r\n\
              m=video 5000 RTP/AVP 96\r\na=rtcp:5009\r\n",
        );
        assert_eq!(
            sdp.media[0].rtcp,
            Some((4063, Some("192.168.170.105".parse().expect("ip"))))
        );
        assert_eq!(sdp.media[1].rtcp, Some((5009, None)));
    }
}

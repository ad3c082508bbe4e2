//! Just enough SDP (RFC 4566) for diagnosis: where media should go and which
//! codecs are on offer. Read on demand for one message, never on the hot path.

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
        let text = String::from_utf8_lossy(body);
        for line in text.lines() {
            let line = line.trim_end();
            let Some((key, value)) = line.split_once('=') else {
                continue;
            };
            match key {
                "c" => {
                    let addr = connection_address(value);
                    match sdp.media.last_mut() {
                        Some(m) => m.connection = addr,
                        None => sdp.connection = addr,
                    }
                }
                "m" => {
                    let mut parts = value.split_whitespace();
                    let kind = parts.next().unwrap_or("").to_owned();
                    let port = parts
                        .next()
                        .and_then(|p| p.split('/').next()?.parse().ok())
                        .unwrap_or(0);
                    let _proto = parts.next();
                    let payloads = parts.filter_map(|p| p.parse().ok()).collect();
                    sdp.media.push(Media {
                        kind,
                        port,
                        payloads,
                        rtpmap: Vec::new(),
                        connection: None,
                        direction: None,
                        rtcp: None,
                    });
                }
                "a" => {
                    let Some(m) = sdp.media.last_mut() else {
                        continue;
                    };
                    if let Some(map) = value.strip_prefix("rtpmap:") {
                        let mut it = map.splitn(2, ' ');
                        if let (Some(Ok(pt)), Some(name)) = (it.next().map(str::parse), it.next()) {
                            m.rtpmap.push((pt, name.trim().to_owned()));
                        }
                    } else if let Some(rtcp) = value.strip_prefix("rtcp:") {
                        let mut it = rtcp.splitn(2, ' ');
                        if let Some(Ok(port)) = it.next().map(str::parse) {
                            m.rtcp = Some((port, it.next().and_then(connection_address)));
                        }
                    } else if matches!(value, "sendrecv" | "sendonly" | "recvonly" | "inactive") {
                        m.direction = Some(value.to_owned());
                    }
                }
                _ => {}
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

/// An address written inside a message that its sender cannot be reached at:
/// private, and not the address the packet came from (the sender is behind NAT).
pub fn behind_nat(written: Option<IpAddr>, source: Option<IpAddr>) -> Option<IpAddr> {
    written.filter(|a| is_private(*a) && Some(*a) != source)
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

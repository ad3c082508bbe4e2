//! Reading HEP v3 (chunks) and the older fixed-header v1/v2 packets.

use super::message::{chunk, HepPacket, AF_INET, AF_INET6};
use super::HepError;
use crate::capture::Timestamp;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

const HEP3_MAGIC: &[u8; 4] = b"HEP3";
const HEP3_HEADER: usize = 6;
const CHUNK_HEADER: usize = 6;
/// v1/v2: version, header length, family, protocol, two ports.
const V2_HEADER: usize = 8;
/// v2 time header: seconds, microseconds, capture id, padded to 12 bytes
/// by the C struct every sender copies as is.
const V2_TIME: usize = 12;

/// Decodes one HEP packet (a whole UDP datagram).
pub fn decode(data: &[u8]) -> Result<HepPacket<'_>, HepError> {
    if data.starts_with(HEP3_MAGIC) {
        return decode_v3(data);
    }
    match data.first() {
        Some(1) | Some(2) => decode_v2(data),
        _ => Err(HepError::NotHep(data.iter().take(4).copied().collect())),
    }
}

fn take<const N: usize>(data: &[u8], at: usize) -> Result<[u8; N], HepError> {
    data.get(at..at + N)
        .and_then(|s| s.try_into().ok())
        .ok_or(HepError::Truncated {
            need: at + N,
            have: data.len(),
        })
}

/// Values of the chunks seen so far; the last of a repeated chunk wins.
#[derive(Default)]
struct Chunks<'a> {
    family: Option<u8>,
    ip_proto: Option<u8>,
    v4: (Option<Ipv4Addr>, Option<Ipv4Addr>),
    v6: (Option<Ipv6Addr>, Option<Ipv6Addr>),
    ports: (Option<u16>, Option<u16>),
    secs: Option<u32>,
    usecs: Option<u32>,
    proto_type: Option<u8>,
    capture_id: Option<u32>,
    auth_key: Option<&'a [u8]>,
    payload: Option<&'a [u8]>,
    compressed: bool,
    correlation_id: Option<&'a [u8]>,
}

fn decode_v3(data: &[u8]) -> Result<HepPacket<'_>, HepError> {
    let declared = u16::from_be_bytes(take(data, 4)?) as usize;
    if declared != data.len() {
        return Err(HepError::LengthMismatch {
            declared,
            actual: data.len(),
        });
    }
    let mut c = Chunks::default();
    let mut at = HEP3_HEADER;
    while at < data.len() {
        let head: [u8; CHUNK_HEADER] = take(data, at)?;
        let vendor = u16::from_be_bytes([head[0], head[1]]);
        let kind = u16::from_be_bytes([head[2], head[3]]);
        let len = u16::from_be_bytes([head[4], head[5]]) as usize;
        if len < CHUNK_HEADER {
            return Err(HepError::ChunkTooShort {
                chunk: kind,
                at,
                len,
            });
        }
        let Some(body) = data.get(at + CHUNK_HEADER..at + len) else {
            return Err(HepError::ChunkOverrun {
                chunk: kind,
                at,
                len,
                left: data.len() - at,
            });
        };
        // Vendor chunks (vendor id not 0) reuse type numbers for their own ends.
        if vendor == 0 {
            c.read(kind, body)?;
        }
        at += len;
    }
    c.finish()
}

fn fixed<const N: usize>(
    kind: u16,
    name: &'static str,
    expected: &'static str,
    body: &[u8],
) -> Result<[u8; N], HepError> {
    body.try_into().map_err(|_| HepError::ChunkSize {
        chunk: kind,
        name,
        expected,
        actual: body.len(),
    })
}

impl<'a> Chunks<'a> {
    fn read(&mut self, kind: u16, body: &'a [u8]) -> Result<(), HepError> {
        let byte = |name| fixed::<1>(kind, name, "1", body).map(|b| b[0]);
        let u16_be = |name| fixed::<2>(kind, name, "2", body).map(u16::from_be_bytes);
        let u32_be = |name| fixed::<4>(kind, name, "4", body).map(u32::from_be_bytes);
        let v4 = |name| fixed::<4>(kind, name, "4", body).map(Ipv4Addr::from);
        let v6 = |name| fixed::<16>(kind, name, "16", body).map(Ipv6Addr::from);
        match kind {
            chunk::IP_FAMILY => self.family = Some(byte("IP family")?),
            chunk::IP_PROTO => self.ip_proto = Some(byte("IP protocol")?),
            chunk::IPV4_SRC => self.v4.0 = Some(v4("IPv4 source")?),
            chunk::IPV4_DST => self.v4.1 = Some(v4("IPv4 destination")?),
            chunk::IPV6_SRC => self.v6.0 = Some(v6("IPv6 source")?),
            chunk::IPV6_DST => self.v6.1 = Some(v6("IPv6 destination")?),
            chunk::SRC_PORT => self.ports.0 = Some(u16_be("source port")?),
            chunk::DST_PORT => self.ports.1 = Some(u16_be("destination port")?),
            chunk::TS_SECS => self.secs = Some(u32_be("timestamp seconds")?),
            chunk::TS_USECS => self.usecs = Some(u32_be("timestamp microseconds")?),
            chunk::PROTO_TYPE => self.proto_type = Some(byte("protocol type")?),
            chunk::CAPTURE_ID => {
                // Some old agents send the id as 16 bits, as HEP v2 had it.
                self.capture_id = Some(match body.len() {
                    2 => u16_be("capture id")? as u32,
                    _ => fixed::<4>(kind, "capture id", "2 or 4", body).map(u32::from_be_bytes)?,
                })
            }
            chunk::AUTH_KEY => self.auth_key = Some(body),
            chunk::PAYLOAD => self.payload = Some(body),
            chunk::COMPRESSED_PAYLOAD => self.compressed = true,
            chunk::CORRELATION_ID => self.correlation_id = Some(body),
            _ => {}
        }
        Ok(())
    }

    fn finish(self) -> Result<HepPacket<'a>, HepError> {
        let payload = match (self.payload, self.compressed) {
            (Some(p), _) => p,
            (None, true) => return Err(HepError::Compressed),
            (None, false) => return Err(HepError::Missing("payload chunk")),
        };
        let (sport, dport) = match self.ports {
            (Some(s), Some(d)) => (s, d),
            _ => return Err(HepError::Missing("source and destination port chunks")),
        };
        let v4 = match self.v4 {
            (Some(s), Some(d)) => Some((IpAddr::V4(s), IpAddr::V4(d))),
            _ => None,
        };
        let v6 = match self.v6 {
            (Some(s), Some(d)) => Some((IpAddr::V6(s), IpAddr::V6(d))),
            _ => None,
        };
        // The family chunk picks when both pairs are present.
        let (src, dst) = match (self.family, v4, v6) {
            (Some(AF_INET6), _, Some(p)) | (_, None, Some(p)) => p,
            (_, Some(p), _) => p,
            (_, None, None) => {
                return Err(HepError::Missing("source and destination address chunks"))
            }
        };
        let ts = match (self.secs, self.usecs) {
            (Some(s), u) => Some(Timestamp::from_secs_micros(s as u64, u.unwrap_or(0) as u64)),
            (None, _) => None,
        };
        Ok(HepPacket {
            version: 3,
            ip_proto: self
                .ip_proto
                .ok_or(HepError::Missing("IP protocol chunk"))?,
            src: SocketAddr::new(src, sport),
            dst: SocketAddr::new(dst, dport),
            ts,
            proto_type: self.proto_type,
            capture_id: self.capture_id,
            auth_key: self.auth_key,
            correlation_id: self.correlation_id,
            payload,
        })
    }
}

/// HEP v1 and v2: a fixed header (ports in network order), the addresses,
/// for v2 a time header, then the payload.
fn decode_v2(data: &[u8]) -> Result<HepPacket<'_>, HepError> {
    let head: [u8; V2_HEADER] = take(data, 0)?;
    let version = head[0];
    let header_len = head[1] as usize;
    let family = head[2];
    let ip_proto = head[3];
    let sport = u16::from_be_bytes([head[4], head[5]]);
    let dport = u16::from_be_bytes([head[6], head[7]]);
    let (src, dst, addr_len) = match family {
        AF_INET => {
            let a: [u8; 8] = take(data, V2_HEADER)?;
            let s = Ipv4Addr::new(a[0], a[1], a[2], a[3]);
            let d = Ipv4Addr::new(a[4], a[5], a[6], a[7]);
            (IpAddr::V4(s), IpAddr::V4(d), 8)
        }
        // AF_INET6 is 10 on Linux; the BSDs number it 24, 28 or 30.
        AF_INET6 | 24 | 28 | 30 => {
            let s: [u8; 16] = take(data, V2_HEADER)?;
            let d: [u8; 16] = take(data, V2_HEADER + 16)?;
            (IpAddr::V6(s.into()), IpAddr::V6(d.into()), 32)
        }
        other => return Err(HepError::Family(other)),
    };
    // The length byte covers the fixed header and the addresses.
    if header_len < V2_HEADER + addr_len {
        return Err(HepError::Truncated {
            need: V2_HEADER + addr_len,
            have: header_len,
        });
    }
    let (ts, capture_id, payload_at) = if version == 2 {
        let t: [u8; V2_TIME] = take(data, header_len)?;
        let (ts, id) = v2_time(&t);
        (Some(ts), Some(id), header_len + V2_TIME)
    } else {
        (None, None, header_len)
    };
    let payload = data.get(payload_at..).unwrap_or(&[]);
    if payload.is_empty() {
        return Err(HepError::Missing("payload"));
    }
    Ok(HepPacket {
        version,
        ip_proto,
        src: SocketAddr::new(src, sport),
        dst: SocketAddr::new(dst, dport),
        ts,
        proto_type: None,
        capture_id,
        auth_key: None,
        correlation_id: None,
        payload,
    })
}

/// The v2 time header is copied from a C struct without byte-order
/// conversion, so it is in the sender's order: little-endian on every agent
/// in use (x86, ARM). A big-endian sender is recognised by its seconds
/// being a plausible date only when read big-endian.
fn v2_time(t: &[u8; V2_TIME]) -> (Timestamp, u32) {
    let le = |i: usize| u32::from_le_bytes([t[i], t[i + 1], t[i + 2], t[i + 3]]);
    let be = |i: usize| u32::from_be_bytes([t[i], t[i + 1], t[i + 2], t[i + 3]]);
    // 2000-01-01 .. 2100-01-01
    let plausible = |s: u32| (946_684_800..4_102_444_800).contains(&(s as u64));
    let big = !plausible(le(0)) && plausible(be(0));
    let (secs, usecs, id) = if big {
        (be(0), be(4), u16::from_be_bytes([t[8], t[9]]))
    } else {
        (le(0), le(4), u16::from_le_bytes([t[8], t[9]]))
    };
    (
        Timestamp::from_secs_micros(secs as u64, usecs as u64),
        id as u32,
    )
}

//! Writing HEP v3: a "HEP3" header and one generic chunk per field.

use super::message::{chunk, HepPacket, AF_INET, AF_INET6};
use super::HepError;
use std::net::IpAddr;

/// Appends `p` as one HEP3 packet to `out` (cleared first).
pub fn encode_v3(p: &HepPacket<'_>, out: &mut Vec<u8>) -> Result<(), HepError> {
    out.clear();
    out.extend_from_slice(b"HEP3");
    // Total length, written once the chunks are in.
    out.extend_from_slice(&[0, 0]);
    match (p.src.ip(), p.dst.ip()) {
        (IpAddr::V4(s), IpAddr::V4(d)) => {
            put(out, chunk::IP_FAMILY, &[AF_INET]);
            put(out, chunk::IP_PROTO, &[p.ip_proto]);
            put(out, chunk::IPV4_SRC, &s.octets());
            put(out, chunk::IPV4_DST, &d.octets());
        }
        (IpAddr::V6(s), IpAddr::V6(d)) => {
            put(out, chunk::IP_FAMILY, &[AF_INET6]);
            put(out, chunk::IP_PROTO, &[p.ip_proto]);
            put(out, chunk::IPV6_SRC, &s.octets());
            put(out, chunk::IPV6_DST, &d.octets());
        }
        _ => return Err(HepError::MixedFamilies),
    }
    put(out, chunk::SRC_PORT, &p.src.port().to_be_bytes());
    put(out, chunk::DST_PORT, &p.dst.port().to_be_bytes());
    if let Some(ts) = p.ts {
        let secs = u32::try_from(ts.secs()).unwrap_or(u32::MAX);
        put(out, chunk::TS_SECS, &secs.to_be_bytes());
        put(out, chunk::TS_USECS, &ts.subsec_micros().to_be_bytes());
    }
    if let Some(t) = p.proto_type {
        put(out, chunk::PROTO_TYPE, &[t]);
    }
    if let Some(id) = p.capture_id {
        put(out, chunk::CAPTURE_ID, &id.to_be_bytes());
    }
    if let Some(key) = p.auth_key {
        put_checked(out, chunk::AUTH_KEY, key)?;
    }
    put_checked(out, chunk::PAYLOAD, p.payload)?;
    if let Some(cid) = p.correlation_id {
        put_checked(out, chunk::CORRELATION_ID, cid)?;
    }
    let total = u16::try_from(out.len()).map_err(|_| HepError::TooLarge(out.len()))?;
    out[4..6].copy_from_slice(&total.to_be_bytes());
    Ok(())
}

/// A chunk whose value is known to be small.
fn put(out: &mut Vec<u8>, kind: u16, value: &[u8]) {
    out.extend_from_slice(&0u16.to_be_bytes());
    out.extend_from_slice(&kind.to_be_bytes());
    out.extend_from_slice(&((value.len() + 6) as u16).to_be_bytes());
    out.extend_from_slice(value);
}

fn put_checked(out: &mut Vec<u8>, kind: u16, value: &[u8]) -> Result<(), HepError> {
    if value.len() + 6 > u16::MAX as usize {
        return Err(HepError::TooLarge(out.len() + value.len() + 6));
    }
    put(out, kind, value);
    Ok(())
}

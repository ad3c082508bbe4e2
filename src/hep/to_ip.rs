//! A HEP payload wrapped back into the IP packet it was captured from, so
//! it goes through the same decoder as a packet from a file (link type RAW).

use super::message::HepPacket;
use super::HepError;
use crate::capture::{rebuilt, RebuildError};

/// Writes the raw IPv4/IPv6 + UDP or TCP packet carrying `hep`'s payload
/// between its original addresses and ports into `out` (cleared first).
/// Anything but TCP (SCTP too) goes out as a datagram: one message each.
pub fn ip_packet(hep: &HepPacket<'_>, out: &mut Vec<u8>) -> Result<(), HepError> {
    rebuilt::ip_packet(hep.src, hep.dst, hep.is_tcp(), hep.payload, out).map_err(|e| match e {
        RebuildError::MixedFamilies => HepError::MixedFamilies,
        RebuildError::Build(why) => HepError::Rebuild(why),
    })
}

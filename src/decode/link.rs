use super::cooked;
use crate::capture::LinkType;
use etherparse::{EtherType, Ethernet2HeaderSlice, SingleVlanHeaderSlice};

/// VLAN tag stacks deeper than this are not real traffic.
const MAX_VLAN_TAGS: usize = 4;

pub fn is_supported(link: LinkType) -> bool {
    matches!(
        link,
        LinkType::NULL
            | LinkType::ETHERNET
            | LinkType::RAW
            | LinkType::RAW_BSD12
            | LinkType::RAW_BSD14
            | LinkType::LOOP
            | LinkType::LINUX_SLL
            | LinkType::LINUX_SLL2
            | LinkType::IPV4
            | LinkType::IPV6
    )
}

/// Strips the link layer and returns the IP packet inside, if any.
pub fn ip_payload(link: LinkType, data: &[u8]) -> Option<&[u8]> {
    match link {
        LinkType::ETHERNET => ethernet(data),
        LinkType::LINUX_SLL => {
            let (proto, rest) = cooked::split_sll(data)?;
            by_ether_type(EtherType(proto), rest)
        }
        LinkType::LINUX_SLL2 => {
            let (proto, rest) = cooked::split_sll2(data)?;
            by_ether_type(EtherType(proto), rest)
        }
        LinkType::RAW
        | LinkType::RAW_BSD12
        | LinkType::RAW_BSD14
        | LinkType::IPV4
        | LinkType::IPV6 => is_ip(data).then_some(data),
        LinkType::NULL | LinkType::LOOP => {
            let family = data.get(..4)?;
            // DLT_NULL stores the address family in the capturing host's byte
            // order, DLT_LOOP in network order: accept either.
            let le = u32::from_le_bytes([family[0], family[1], family[2], family[3]]);
            let be = u32::from_be_bytes([family[0], family[1], family[2], family[3]]);
            let rest = &data[4..];
            // AF_INET is 2 everywhere; AF_INET6 is 24, 28 or 30 depending on the BSD.
            let known = |f: u32| matches!(f, 2 | 24 | 28 | 30);
            (known(le) || known(be))
                .then_some(rest)
                .filter(|r| is_ip(r))
        }
        _ => None,
    }
}

/// The IP packet inside an Ethernet frame (through VLAN tags, PPPoE, MPLS).
pub(super) fn ethernet(data: &[u8]) -> Option<&[u8]> {
    let eth = Ethernet2HeaderSlice::from_slice(data).ok()?;
    let mut ether_type = eth.ether_type();
    let mut rest = &data[eth.slice().len()..];
    for _ in 0..MAX_VLAN_TAGS {
        if !matches!(
            ether_type,
            EtherType::VLAN_TAGGED_FRAME
                | EtherType::PROVIDER_BRIDGING
                | EtherType::VLAN_DOUBLE_TAGGED_FRAME
        ) {
            break;
        }
        let tag = SingleVlanHeaderSlice::from_slice(rest).ok()?;
        ether_type = tag.ether_type();
        rest = &rest[tag.slice().len()..];
    }
    by_ether_type(ether_type, rest)
}

/// PPPoE session frames (RFC 2516), as a DSL line carries every packet.
const PPPOE_SESSION: EtherType = EtherType(0x8864);
/// MPLS unicast label stacks (RFC 3032).
const MPLS_UNICAST: EtherType = EtherType(0x8847);
/// Label stacks deeper than this are not real traffic.
const MAX_MPLS_LABELS: usize = 8;

fn by_ether_type(t: EtherType, rest: &[u8]) -> Option<&[u8]> {
    match t {
        EtherType::IPV4 | EtherType::IPV6 => Some(rest),
        PPPOE_SESSION => pppoe(rest),
        MPLS_UNICAST => mpls(rest),
        _ => None,
    }
}

/// PPPoE header (version/type, code, session, length) then the PPP
/// protocol: 0x0021 IPv4, 0x0057 IPv6; anything else (LCP, IPCP) is not IP.
fn pppoe(data: &[u8]) -> Option<&[u8]> {
    let header = data.get(..8)?;
    if header[0] != 0x11 || header[1] != 0 {
        return None;
    }
    let length = usize::from(u16::from_be_bytes([header[4], header[5]]));
    let protocol = u16::from_be_bytes([header[6], header[7]]);
    // The length counts the PPP protocol field and what follows; Ethernet
    // padding after it is not part of the packet.
    let end = (6 + length).min(data.len());
    let payload = data.get(8..end)?;
    matches!(protocol, 0x0021 | 0x0057)
        .then_some(payload)
        .filter(|p| is_ip(p))
}

/// Skips the label stack down to the bottom-of-stack label; what follows is
/// IPv4 or IPv6 by its first nibble.
fn mpls(data: &[u8]) -> Option<&[u8]> {
    let mut rest = data;
    for _ in 0..MAX_MPLS_LABELS {
        let entry = rest.get(..4)?;
        rest = &rest[4..];
        if entry[2] & 0x01 == 1 {
            return is_ip(rest).then_some(rest);
        }
    }
    None
}

fn is_ip(data: &[u8]) -> bool {
    matches!(data.first().map(|b| b >> 4), Some(4) | Some(6))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pppoe_and_mpls_carry_ip() {
        let ip = [0x45u8, 0, 0, 20];
        let mut pppoe_frame = vec![0x11, 0x00, 0x12, 0x34, 0x00, 6, 0x00, 0x21];
        pppoe_frame.extend_from_slice(&ip);
        pppoe_frame.extend_from_slice(&[0, 0]); // Ethernet padding
        assert_eq!(pppoe(&pppoe_frame), Some(&ip[..]));
        let lcp = [0x11, 0x00, 0x12, 0x34, 0x00, 6, 0xc0, 0x21, 1, 2, 3, 4];
        assert_eq!(pppoe(&lcp), None);
        let mut labels = vec![0x00, 0x01, 0x00, 0x40, 0x00, 0x02, 0x01, 0x40];
        labels.extend_from_slice(&ip);
        assert_eq!(mpls(&labels), Some(&ip[..]));
        assert_eq!(mpls(&[0u8; 40]), None);
    }
}

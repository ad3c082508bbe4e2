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

fn ethernet(data: &[u8]) -> Option<&[u8]> {
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

fn by_ether_type(t: EtherType, rest: &[u8]) -> Option<&[u8]> {
    match t {
        EtherType::IPV4 | EtherType::IPV6 => Some(rest),
        _ => None,
    }
}

fn is_ip(data: &[u8]) -> bool {
    matches!(data.first().map(|b| b >> 4), Some(4) | Some(6))
}

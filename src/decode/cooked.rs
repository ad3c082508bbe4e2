//! Linux cooked captures (`tcpdump -i any`), v1 and v2.
//!
//! etherparse lacks v2, and its v1 parser refuses ARPHRD types other than
//! Ethernet, netlink and GRE, yet `-i any` captures are full of loopback (772)
//! and tun (65534) packets. In both versions the protocol field is an
//! EtherType for IP packets, so a shim this small reads them all.

/// v1: packet type (2), ARPHRD (2), address length (2), address (8), protocol (2).
pub const SLL_HEADER_LEN: usize = 16;
/// v2: protocol (2), reserved (2), interface index (4), ARPHRD (2), packet
/// type (1), address length (1), address (8).
pub const SLL2_HEADER_LEN: usize = 20;

/// The EtherType and the payload after a v1 header.
pub fn split_sll(data: &[u8]) -> Option<(u16, &[u8])> {
    let header = data.get(..SLL_HEADER_LEN)?;
    Some((
        u16::from_be_bytes([header[14], header[15]]),
        &data[SLL_HEADER_LEN..],
    ))
}

/// The EtherType and the payload after a v2 header.
pub fn split_sll2(data: &[u8]) -> Option<(u16, &[u8])> {
    let header = data.get(..SLL2_HEADER_LEN)?;
    Some((
        u16::from_be_bytes([header[0], header[1]]),
        &data[SLL2_HEADER_LEN..],
    ))
}

//! HEP (the Homer Encapsulation Protocol), a capture-side source beside
//! [`crate::capture`]: SIP received from capture agents (heplify, Kamailio's
//! siptrace, another sipview) as HEP v3 or v2, rebuilt into the IP packets
//! they were captured as, with their original addresses and times; and the
//! SIP sipview reads sent on to a collector as HEP v3.

mod decode;
mod encode;
mod endpoint;
mod error;
mod message;
mod receiver;
mod sender;
mod to_ip;

pub use decode::decode;
pub use encode::encode_v3;
pub use endpoint::parse_endpoint;
pub use error::HepError;
pub use message::{chunk, HepPacket, IPPROTO_TCP, IPPROTO_UDP, PROTO_TYPE_SIP};
pub use receiver::{receive, HepListener, ReceiveStats};
pub use sender::{HepSender, Outgoing, SendStats};
pub use to_ip::ip_packet;

#[cfg(test)]
mod tests;

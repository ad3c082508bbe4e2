//! sipview: SIP call flows from captures, as a library.
//!
//! The data flows one way through the stages, one module each:
//! [`capture`] (files to packets) -> [`decode`] (packets to transport
//! payloads) -> [`sip`] (payloads to SIP messages) -> [`calls`] (messages to
//! calls and dialogs) -> [`views`] (calls to lists, ladders and summaries)
//! and [`export`] (selected calls to pcap or text files).
//! [`load`] drives the stages over a whole capture.

pub mod calls;
pub mod capture;
pub mod decode;
pub mod explain;
pub mod export;
pub mod load;
pub mod sip;
pub mod views;

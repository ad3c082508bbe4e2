//! sipview: SIP call flows from captures, as a library.
//!
//! The data flows one way through the stages, one module each:
//! [`capture`] (files to packets) -> [`decode`] (packets to transport
//! payloads) -> [`sip`] (payloads to SIP messages) -> [`calls`] (messages to
//! calls and dialogs) -> [`media`] (RTP and RTCP of the calls, from their
//! SDP) -> [`explain`] (what it means, what is wrong) ->
//! [`views`] (lists, ladders and summaries as text and JSON), [`export`]
//! (saving calls) and [`tui`] (the interactive screens over both).
//! [`hep`] is a second source beside [`capture`] (SIP received as HEP) and
//! a sink (SIP sent on as HEP). [`load`] drives the stages over a whole capture, [`session`] while it is
//! being read (a file loading, or live devices), [`live`] prints a live
//! capture without a terminal; [`limit`] says how much a capture may hold.

pub mod calls;
pub mod capture;
pub mod decode;
pub mod explain;
pub mod export;
pub mod hep;
pub mod limit;
pub mod live;
pub mod load;
pub mod media;
pub mod session;
pub mod sip;
pub mod tui;
pub mod views;

//! Stage 5: media. UDP datagrams that are not SIP in, RTP streams and RTCP
//! reports out, tied to calls through the addresses their SDP announced.
//!
//! Per stream only counters are kept (packets, loss from sequence numbers,
//! duplicates, reordering, gaps, RFC 3550 jitter, RFC 4733 digits); the
//! payloads are not. RTP that no SDP announced is found by a strict
//! heuristic and reported without a call.

mod announce;
pub mod dtmf;
mod endpoints;
pub mod mos;
pub mod rtcp;
pub mod rtp;
mod sides;
pub mod stats;
mod stream;
mod tracker;

pub use announce::{AnnouncedMedia, Announcement, Announcements, Direction, PayloadMap};
pub use sides::CallSides;
pub use stream::{PayloadInfo, Side, Stream};
pub use tracker::{
    BlockSeen, Datagram, MediaStats, MediaTracker, RtcpFlow, RtcpView, MAX_STREAMS, PROBATION,
};

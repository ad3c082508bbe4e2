//! Stage 3: transport payloads in, SIP messages out.
//!
//! A zero-copy scanner made for the hot path: it finds the start line and the
//! handful of headers grouping needs, borrowing from the payload. Typed parsing
//! of every header (rsip) is for the views, on one message at a time.

mod dtmf_info;
mod framing;
mod header_lines;
mod header_name;
mod malformed;
mod message;
mod name_addr;
mod sdp;
mod start_line;
mod via;

pub use dtmf_info::{info_format, parse_info_dtmf, InfoFormat, InfoKey};
pub use framing::StreamFramer;
pub use header_lines::{HeaderLine, HeaderLines};
pub use header_name::HeaderName;
pub use malformed::Malformed;
pub use message::{parse, KnownHeaders, SipMessage};
pub use name_addr::{host_addr, uri_user, NameAddr};
pub use sdp::{
    behind_nat, is_private, is_public, lines as sdp_lines, static_codec, Media, MediaLine, Sdp,
    SdpLine,
};
pub use start_line::{looks_like_sip, StartLine};
pub use via::Via;

//! Stage 1: capture files in, link-layer packets out.
//!
//! A capture is read record by record with a bounded buffer; every packet keeps
//! the file offset of its bytes so later stages can re-read a message from the
//! file instead of holding every payload in memory.

mod error;
mod packet;
mod reader;
mod source;

pub use error::CaptureError;
pub use packet::{LinkType, Packet, Timestamp};
pub use reader::{CaptureReader, ReadOutcome, StopReason};
pub use source::CaptureSource;

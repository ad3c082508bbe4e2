//! Stage 1: capture files (or live devices, through libpcap) in, link-layer
//! packets out.
//!
//! A capture is read record by record with a bounded buffer; every packet keeps
//! the file offset of its bytes so later stages can re-read a message from the
//! file instead of holding every payload in memory.

mod bpf;
mod error;
mod inputs;
mod live;
mod origin;
mod packet;
mod privileges;
pub mod queue;
mod reader;
pub mod rebuilt;
mod source;

pub use bpf::FileFilter;
pub use live::{check_filter, DeviceReader, LiveCapture, LiveError, LiveStats, REOPEN_OUTPUT};
pub use privileges::{drop_root, PrivilegeError};

pub use error::CaptureError;
pub use inputs::expand_inputs;
pub use origin::Origin;
pub use packet::{LinkType, Packet, Timestamp};
pub use reader::{CaptureReader, ReadOutcome, StopReason};
pub use rebuilt::RebuildError;
pub use source::{set_inflate_cap, CaptureSource};

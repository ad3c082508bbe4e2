//! Stage 4: SIP messages in, calls out.
//!
//! Groups messages by Call-ID, tracks dialogs and transactions inside a call,
//! matches responses to requests, marks retransmissions and follows each
//! call's state the way sngrep names it. Payloads are not kept: a message
//! remembers where its bytes are (capture file offset, or a small arena for
//! messages reassembled from several packets).

mod call;
mod endpoints;
mod intern;
mod memory;
mod record;
mod rotate;
mod state;
mod store;
mod transactions;

pub use call::{Call, InfoDtmf, Party, MAX_INFO_DTMF};
pub use endpoints::Endpoints;
pub use intern::{Interner, Sym};
pub use record::{Kind, MessageBytes, MessageRecord, Observation};
pub use rotate::Renumbering;
pub use state::CallState;
pub use store::{CallStore, StoreStats};

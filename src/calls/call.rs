use super::{CallState, Sym};
use crate::capture::Timestamp;
use crate::decode::Transport;
use crate::sip::NameAddr;

/// The From or To of a call's first message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Party {
    pub display: Option<Box<str>>,
    pub user: Option<Box<str>>,
    pub uri: Box<str>,
    pub tag: Option<Box<str>>,
}

fn text(b: &[u8]) -> Box<str> {
    String::from_utf8_lossy(b).into()
}

impl Party {
    pub fn from_name_addr(na: &NameAddr<'_>) -> Party {
        Party {
            display: na.display.filter(|d| !d.is_empty()).map(text),
            user: na.user().filter(|u| !u.is_empty()).map(text),
            uri: text(na.uri),
            tag: na.tag().filter(|t| !t.is_empty()).map(text),
        }
    }

    /// The user part, or the whole URI when it has none.
    pub fn user_or_uri(&self) -> &str {
        self.user.as_deref().unwrap_or(&self.uri)
    }
}

/// A dialog inside a call: one per (From tag, To tag) pair seen, each tag
/// kept as a fingerprint (the text is in the messages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dialog {
    pub from_tag: Option<u64>,
    pub to_tag: Option<u64>,
}

/// Everything sipview knows about one Call-ID.
#[derive(Debug, Clone)]
pub struct Call {
    /// 1-based position in arrival order.
    pub index: u32,
    pub call_id: Box<[u8]>,
    /// Method of the first request (or of the CSeq of a first response).
    pub first_method: Sym,
    pub from: Party,
    pub to: Party,
    /// Endpoints of the first message.
    pub src: u32,
    pub dst: u32,
    pub transport: Transport,
    pub start: Timestamp,
    pub last: Timestamp,
    /// Message indices in arrival order.
    pub messages: Vec<u32>,
    /// Only INVITE calls have a state.
    pub state: Option<CallState>,
    /// Final response to the first transaction of the first method.
    pub final_code: Option<u16>,
    pub answered: Option<Timestamp>,
    pub user_agent: Option<Sym>,
    pub server: Option<Sym>,
    /// The other leg's Call-ID from an X-Call-ID / X-CID header.
    pub x_call_id: Option<Box<[u8]>>,
    /// Indices of calls linked by X-Call-ID in either direction.
    pub related: Vec<u32>,
    pub dialogs: Vec<Dialog>,
    pub retransmissions: u32,
    pub malformed: u32,
    /// DTMF keys sent as SIP INFO (retransmissions left out), in order.
    pub info_dtmf: Vec<InfoDtmf>,
}

/// Keys kept per call; more (a flood of INFO) are not listed.
pub const MAX_INFO_DTMF: usize = 256;

/// One DTMF key sent in a SIP INFO request of a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InfoDtmf {
    /// Index of the INFO request in the store.
    pub message: u32,
    pub key: crate::sip::InfoKey,
}

impl Call {
    pub fn call_id_lossy(&self) -> String {
        String::from_utf8_lossy(&self.call_id).into_owned()
    }

    /// Time from the first message to the last, in microseconds.
    pub fn duration_micros(&self) -> i64 {
        self.last.micros_since(self.start)
    }
}

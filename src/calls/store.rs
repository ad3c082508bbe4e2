use super::call::{Call, Dialog, Party};
use super::transactions::CallTracker;
use super::{CallState, Endpoints, Interner, Kind, MessageBytes, MessageRecord, Observation, Sym};
use crate::capture::CaptureSource;
use crate::sip::NameAddr;
use crate::sip::{SipMessage, StartLine};
use foldhash::quality::RandomState;
use foldhash::{HashMap, HashMapExt};
use std::hash::{BuildHasher, Hash};

/// Dialogs kept per call; forking beyond this is folded into the last one.
const MAX_DIALOGS: usize = 64;

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct StoreStats {
    pub sip_messages: u64,
    pub malformed: u64,
    pub retransmissions: u64,
    /// Messages without a Call-ID (kept, but in no call).
    pub without_call_id: u64,
}

/// All calls and messages of a capture.
#[derive(Debug)]
pub struct CallStore {
    pub(super) calls: Vec<Call>,
    pub(super) by_id: HashMap<Box<[u8]>, u32>,
    pub(super) messages: Vec<MessageRecord>,
    pub endpoints: Endpoints,
    pub strings: Interner,
    pub(super) arena: Vec<u8>,
    /// (call, transaction) -> request index, to match responses.
    /// One per call, same index as `calls`.
    pub(super) trackers: Vec<CallTracker>,
    /// Call-IDs named by X-Call-ID before their call appeared.
    pub(super) waiting_related: HashMap<Box<[u8]>, Vec<u32>>,
    hasher: RandomState,
    pub(super) stats: StoreStats,
    /// Bytes of the Call-IDs kept (each twice: in its call and the map).
    pub(super) call_id_bytes: u64,
    invite: Sym,
}

impl Default for CallStore {
    fn default() -> Self {
        Self::new()
    }
}

impl CallStore {
    /// Message indices of the given calls, each once, in capture order.
    pub fn messages_of_calls(&self, calls: &[u32]) -> Vec<u32> {
        let mut msgs: Vec<u32> = calls
            .iter()
            .filter_map(|&c| self.calls().get(c as usize))
            .flat_map(|c| c.messages.iter().copied())
            .collect();
        msgs.sort_unstable();
        msgs.dedup();
        msgs
    }

    pub fn new() -> Self {
        let mut strings = Interner::default();
        let invite = strings.intern("INVITE");
        CallStore {
            calls: Vec::new(),
            by_id: HashMap::new(),
            messages: Vec::new(),
            endpoints: Endpoints::default(),
            strings,
            arena: Vec::new(),
            trackers: Vec::new(),
            waiting_related: HashMap::new(),
            hasher: RandomState::default(),
            stats: StoreStats::default(),
            call_id_bytes: 0,
            invite,
        }
    }

    pub fn calls(&self) -> &[Call] {
        &self.calls
    }

    pub fn messages(&self) -> &[MessageRecord] {
        &self.messages
    }

    pub fn message(&self, index: u32) -> Option<&MessageRecord> {
        self.messages.get(index as usize)
    }

    pub fn stats(&self) -> &StoreStats {
        &self.stats
    }

    pub fn call_by_id(&self, call_id: &[u8]) -> Option<&Call> {
        self.by_id
            .get(call_id)
            .and_then(|&i| self.calls.get(i as usize))
    }

    pub fn call_index(&self, call_id: &[u8]) -> Option<u32> {
        self.by_id.get(call_id).copied()
    }

    /// The bytes of a message, read back from the capture or the arena.
    pub fn message_bytes(
        &self,
        rec: &MessageRecord,
        source: &CaptureSource,
    ) -> std::io::Result<Vec<u8>> {
        match rec.bytes {
            MessageBytes::File { offset, len } => source.read_at(offset, len as usize),
            MessageBytes::Arena { offset, len } => {
                let start = offset as usize;
                Ok(self
                    .arena
                    .get(start..start + len as usize)
                    .unwrap_or(&[])
                    .to_vec())
            }
        }
    }

    fn fingerprint(&self, parts: impl Hash) -> u64 {
        self.hasher.hash_one(parts)
    }

    /// Adds one message; returns its index.
    pub fn add(&mut self, seen: &Observation<'_>, msg: &SipMessage<'_>) -> u32 {
        let index = self.messages.len() as u32;
        let bytes = match seen.file_offset {
            Some(offset) => MessageBytes::File {
                offset,
                len: seen.bytes.len() as u32,
            },
            None => {
                let offset = self.arena.len() as u64;
                self.arena.extend_from_slice(seen.bytes);
                MessageBytes::Arena {
                    offset,
                    len: seen.bytes.len() as u32,
                }
            }
        };
        let kind = match msg.start {
            StartLine::Request { method, .. } => Kind::Request(self.strings.intern_bytes(method)),
            StartLine::Response { code, .. } => Kind::Response(code),
        };
        let reason = match msg.start {
            StartLine::Response { reason, .. } => Some(self.strings.intern_bytes(reason)),
            StartLine::Request { .. } => None,
        };
        let cseq = msg.cseq().map(|(n, m)| (n, self.strings.intern_bytes(m)));
        let src = self.endpoints.id(seen.src);
        let dst = self.endpoints.id(seen.dst);
        self.stats.sip_messages += 1;
        if !msg.malformed.is_empty() {
            self.stats.malformed += 1;
        }
        let mut rec = MessageRecord {
            call: None,
            packet_number: seen.packet_number,
            ts: seen.ts,
            src,
            dst,
            transport: seen.transport,
            kind,
            cseq,
            reason,
            bytes,
            request: None,
            retransmission: false,
            has_sdp: msg.has_sdp(),
            malformed: msg.malformed,
        };
        let Some(call_id) = msg.call_id() else {
            self.stats.without_call_id += 1;
            self.messages.push(rec);
            return index;
        };
        // Parsed once here, used by every step below.
        let parts = Parts {
            from: msg.from(),
            to: msg.to(),
            branch: msg.top_via().and_then(|v| v.branch()).unwrap_or(&[]),
        };
        let call = self.call_for(call_id, &rec, &parts);
        rec.call = Some(call);
        self.track_transaction(call, index, &mut rec, &parts);
        self.update_call(call, index, &rec, msg, &parts);
        self.messages.push(rec);
        index
    }

    fn call_for(&mut self, call_id: &[u8], rec: &MessageRecord, parts: &Parts<'_>) -> u32 {
        if let Some(&i) = self.by_id.get(call_id) {
            return i;
        }
        let i = self.calls.len() as u32;
        let first_method = match rec.kind {
            Kind::Request(m) => m,
            Kind::Response(_) => rec
                .cseq
                .map(|(_, m)| m)
                .unwrap_or_else(|| self.strings.intern("")),
        };
        let party =
            |na: &Option<NameAddr<'_>>| na.as_ref().map(Party::from_name_addr).unwrap_or_default();
        self.calls.push(Call {
            index: i + 1,
            call_id: call_id.into(),
            first_method,
            from: party(&parts.from),
            to: party(&parts.to),
            src: rec.src,
            dst: rec.dst,
            transport: rec.transport,
            start: rec.ts,
            last: rec.ts,
            messages: Vec::new(),
            state: None,
            final_code: None,
            answered: None,
            user_agent: None,
            server: None,
            x_call_id: None,
            related: Vec::new(),
            dialogs: Vec::new(),
            retransmissions: 0,
            malformed: 0,
            info_dtmf: Vec::new(),
        });
        self.trackers.push(CallTracker::default());
        self.by_id.insert(call_id.into(), i);
        self.call_id_bytes += call_id.len() as u64;
        // Calls that named this Call-ID earlier are its related legs.
        if let Some(waiting) = self.waiting_related.remove(call_id) {
            for other in waiting {
                self.link(i, other);
            }
        }
        i
    }

    fn set_x_call_id(&mut self, call: u32, x: Box<[u8]>) {
        match self.by_id.get(&x).copied() {
            Some(other) => self.link(call, other),
            None => self
                .waiting_related
                .entry(x.clone())
                .or_default()
                .push(call),
        }
        if let Some(c) = self.calls.get_mut(call as usize) {
            c.x_call_id = Some(x);
        }
    }

    fn link(&mut self, a: u32, b: u32) {
        if a == b {
            return;
        }
        for (x, y) in [(a, b), (b, a)] {
            if let Some(c) = self.calls.get_mut(x as usize) {
                if !c.related.contains(&y) {
                    c.related.push(y);
                }
            }
        }
    }

    /// Matches responses to requests and marks retransmissions.
    fn track_transaction(
        &mut self,
        call: u32,
        index: u32,
        rec: &mut MessageRecord,
        parts: &Parts<'_>,
    ) {
        let branch = parts.branch;
        let cseq = rec.cseq;
        let tx_key = self.fingerprint((branch, cseq));
        let start = match rec.kind {
            Kind::Request(m) => (0u16, Some(m)),
            Kind::Response(code) => (code, None),
        };
        let to_tag = parts.to.and_then(|t| t.tag()).unwrap_or(&[]);
        // Same transaction, same kind of message, same direction: a resend.
        let print = self.fingerprint((branch, cseq, start, rec.src, rec.dst, to_tag));
        let Some(tracker) = self.trackers.get_mut(call as usize) else {
            return;
        };
        if tracker.seen_before(print) {
            rec.retransmission = true;
            self.stats.retransmissions += 1;
        }
        match rec.kind {
            Kind::Request(_) => tracker.add_request(tx_key, index),
            Kind::Response(_) => rec.request = tracker.request(tx_key),
        }
    }

    fn update_call(
        &mut self,
        call: u32,
        index: u32,
        rec: &MessageRecord,
        msg: &SipMessage<'_>,
        parts: &Parts<'_>,
    ) {
        // Tags are unique per dialog: a fingerprint, not an interned string.
        let from_tag = parts
            .from
            .and_then(|f| f.tag())
            .map(|t| self.fingerprint(t));
        let to_tag = parts.to.and_then(|t| t.tag()).map(|t| self.fingerprint(t));
        let user_agent = msg
            .headers
            .user_agent
            .as_deref()
            .map(|v| self.strings.intern_bytes(v));
        let server = msg
            .headers
            .server
            .as_deref()
            .map(|v| self.strings.intern_bytes(v));
        let x_call_id = msg
            .headers
            .x_call_id
            .as_deref()
            .map(|v| v.trim_ascii())
            .filter(|v| !v.is_empty())
            .map(Box::<[u8]>::from);
        let invite = self.invite;
        let strings = &self.strings;
        let Some(c) = self.calls.get_mut(call as usize) else {
            return;
        };
        let needs_x =
            c.x_call_id.is_none() && x_call_id.as_deref().is_some_and(|x| *x != *c.call_id);
        c.messages.push(index);
        c.last = c.last.max(rec.ts);
        c.start = c.start.min(rec.ts);
        c.retransmissions += rec.retransmission as u32;
        c.malformed += !rec.malformed.is_empty() as u32;
        if c.user_agent.is_none() {
            c.user_agent = user_agent;
        }
        if c.server.is_none() {
            c.server = server;
        }
        note_dialog(c, from_tag, to_tag);
        if !rec.retransmission && c.info_dtmf.len() < super::call::MAX_INFO_DTMF {
            if let Some(key) = info_dtmf(msg) {
                c.info_dtmf.push(super::call::InfoDtmf {
                    message: index,
                    key,
                });
            }
        }
        if !rec.retransmission {
            match rec.kind {
                Kind::Request(m) => c.state = CallState::after_request(c.state, strings.get(m)),
                Kind::Response(code) => {
                    let answers = rec.cseq.map(|(_, m)| m);
                    if answers == Some(invite) {
                        let before = c.state;
                        c.state = CallState::after_invite_response(c.state, code);
                        if c.state == Some(CallState::InCall) && before != c.state {
                            c.answered = Some(rec.ts);
                        }
                    }
                    if code >= 200 && answers == Some(c.first_method) {
                        c.final_code = Some(code);
                    }
                }
            }
        }
        if needs_x {
            if let Some(x) = x_call_id {
                self.set_x_call_id(call, x);
            }
        }
    }
}

/// Header values several steps of [`CallStore::add`] need.
struct Parts<'m> {
    from: Option<NameAddr<'m>>,
    to: Option<NameAddr<'m>>,
    branch: &'m [u8],
}

fn note_dialog(c: &mut Call, from_tag: Option<u64>, to_tag: Option<u64>) {
    if from_tag.is_none() {
        return;
    }
    // A dialog is known by its From tag until the To tag arrives.
    if let Some(d) = c.dialogs.iter_mut().find(|d| {
        d.from_tag == from_tag && (d.to_tag == to_tag || d.to_tag.is_none() || to_tag.is_none())
    }) {
        if d.to_tag.is_none() {
            d.to_tag = to_tag;
        }
        return;
    }
    // Requests from the callee carry the tags the other way round.
    if c.dialogs
        .iter()
        .any(|d| d.from_tag == to_tag && d.to_tag == from_tag)
    {
        return;
    }
    if c.dialogs.len() < MAX_DIALOGS {
        c.dialogs.push(Dialog { from_tag, to_tag });
    }
}

/// The DTMF key of an INFO request, if its body carries one.
fn info_dtmf(msg: &SipMessage<'_>) -> Option<crate::sip::InfoKey> {
    let StartLine::Request { method, .. } = msg.start else {
        return None;
    };
    if !method.eq_ignore_ascii_case(b"INFO") {
        return None;
    }
    crate::sip::parse_info_dtmf(msg.headers.content_type.as_deref()?, msg.body)
}

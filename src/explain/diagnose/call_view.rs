//! One call as the rules read it: its message records in order, and the
//! header facts of each message, parsed once when a rule first asks.

use crate::calls::{Call, CallStore, Kind, MessageRecord};
use crate::explain::digest::{self, DigestFields};
use crate::sip::{self, host_addr, NameAddr, Sdp, StartLine, Via};
use std::cell::OnceCell;
use std::net::{IpAddr, SocketAddr};

/// Reads a message's bytes back (from the capture or the store's arena).
pub type ReadBytes<'a> = &'a dyn Fn(&MessageRecord) -> Option<Vec<u8>>;

/// What the rules read from a message's headers and body.
#[derive(Debug, Default)]
pub struct Facts {
    /// Via entries, all header lines together.
    pub vias: usize,
    /// The top Via's sent-by as an address, when it is an IP literal.
    pub via_ip: Option<IpAddr>,
    pub via_port: Option<u16>,
    /// `received=` and `rport=` of the top Via (a response carries what the
    /// server saw of the request's source).
    pub received: Option<IpAddr>,
    pub rport: Option<u16>,
    pub branch: String,
    pub record_route: bool,
    pub contact_ip: Option<IpAddr>,
    pub contact: Option<String>,
    pub from_tag: String,
    pub to_tag: String,
    pub from_user: Option<String>,
    pub to_user: Option<String>,
    /// The user of a request's URI.
    pub uri_user: Option<String>,
    /// A request's URI as written.
    pub request_uri: Option<String>,
    pub software: Option<String>,
    pub event: Option<String>,
    pub reason: Option<String>,
    pub warning: Option<String>,
    pub hangup_cause: Option<String>,
    pub hangup_code: Option<String>,
    pub credentials: Option<DigestFields>,
    pub challenge: Option<DigestFields>,
    pub sdp: Option<Sdp>,
    /// The key of a DTMF INFO body (application/dtmf-relay `Signal=`, or
    /// application/dtmf).
    pub dtmf_key: Option<String>,
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn parse_port(s: &[u8]) -> Option<u16> {
    std::str::from_utf8(s).ok()?.trim().parse().ok()
}

/// The port after the host of a Via sent-by (`host:port`, `[v6]:port`).
fn sent_by_port(sent_by: &[u8]) -> Option<u16> {
    let s = std::str::from_utf8(sent_by).ok()?;
    let after = match s.rfind(']') {
        Some(end) => &s[end + 1..],
        None if s.matches(':').count() == 1 => &s[s.find(':')?..],
        None => return None,
    };
    after.strip_prefix(':')?.parse().ok()
}

impl Facts {
    pub fn of(bytes: &[u8]) -> Option<Facts> {
        let msg = sip::parse(bytes)?;
        let mut f = Facts::default();
        if let Some(via) = msg.top_via() {
            f.via_ip = host_addr(via.sent_by);
            f.via_port = sent_by_port(via.sent_by);
            f.received = via
                .param(b"received")
                .and_then(|r| std::str::from_utf8(r).ok()?.trim().parse().ok());
            f.rport = via.param(b"rport").and_then(parse_port);
            f.branch = via.branch().map(text).unwrap_or_default();
        }
        for h in msg.header_lines() {
            // Compared in place: this runs for every message a rule reads.
            // Most headers (From, To, CSeq, Contact, Content-*, ...) are not
            // wanted here: the first letter turns them away cheaply.
            let wanted = h.name.len() == 1
                || matches!(
                    h.name.first().map(u8::to_ascii_lowercase),
                    Some(b'v' | b'r' | b'e' | b'w' | b'x' | b'a' | b'p')
                );
            if !wanted {
                continue;
            }
            let compact = sip::HeaderName::expand_compact(h.name);
            let mut lower = [0u8; 32];
            let name = compact.map_or(h.name, str::as_bytes);
            if name.len() > lower.len() {
                continue;
            }
            lower[..name.len()].copy_from_slice(name);
            lower[..name.len()].make_ascii_lowercase();
            let name = std::str::from_utf8(&lower[..name.len()]).unwrap_or("");
            let value = || text(&h.value);
            match name {
                "via" => f.vias += Via::entries(&h.value).count(),
                "record-route" => f.record_route = true,
                "event" if f.event.is_none() => f.event = Some(value()),
                "warning" if f.warning.is_none() => f.warning = Some(value()),
                "x-asterisk-hangupcause" => f.hangup_cause = Some(value()),
                "x-asterisk-hangupcausecode" => f.hangup_code = Some(value()),
                "authorization" | "proxy-authorization" if f.credentials.is_none() => {
                    f.credentials = Some(digest::credentials(&value()));
                }
                "www-authenticate" | "proxy-authenticate" if f.challenge.is_none() => {
                    f.challenge = Some(digest::challenge(&value()));
                }
                _ => {}
            }
        }
        // Read by the scanner already (first occurrence, Server before
        // User-Agent).
        let known = &msg.headers;
        f.software = known
            .server
            .as_deref()
            .or(known.user_agent.as_deref())
            .map(text);
        f.reason = known.reason.as_deref().map(text);
        if let Some(c) = msg.headers.contact.as_deref() {
            let na = NameAddr::parse(c);
            f.contact_ip = host_addr(na.uri);
            f.contact = Some(text(na.uri));
        }
        let text_of = |b: Option<&[u8]>| b.map(text);
        if let Some(from) = msg.from() {
            f.from_user = text_of(from.user());
            f.from_tag = from.tag().map(text).unwrap_or_default();
        }
        if let Some(to) = msg.to() {
            f.to_user = text_of(to.user());
            f.to_tag = to.tag().map(text).unwrap_or_default();
        }
        if let StartLine::Request { uri, .. } = msg.start {
            f.uri_user = sip::uri_user(uri).filter(|u| !u.is_empty()).map(text);
            f.request_uri = Some(text(uri));
        }
        f.sdp = msg.has_sdp().then(|| Sdp::parse(msg.body));
        let content_type = msg
            .headers
            .content_type
            .as_deref()
            .map(|c| String::from_utf8_lossy(c).to_ascii_lowercase());
        if content_type.is_some_and(|c| c.contains("application/dtmf")) {
            f.dtmf_key = dtmf_key(msg.body);
        }
        Some(f)
    }

    /// The Event package without its parameters (`message-summary`).
    pub fn event_package(&self) -> Option<String> {
        let e = self.event.as_deref()?;
        Some(e.split(';').next().unwrap_or(e).trim().to_ascii_lowercase())
    }
}

/// The key in a DTMF INFO body: `Signal=5` (dtmf-relay) or the bare key
/// (application/dtmf); 0-9, *, #, A-D, or 10/11 for * and #.
fn dtmf_key(body: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?;
    let value = text
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once('=')?;
            k.trim().eq_ignore_ascii_case("signal").then_some(v.trim())
        })
        .unwrap_or_else(|| text.trim());
    let key = match value {
        "10" => "*",
        "11" => "#",
        v if v.len() == 1
            && v.chars()
                .all(|c| c.is_ascii_digit() || "*#ABCDabcd".contains(c)) =>
        {
            v
        }
        _ => return None,
    };
    Some(key.to_ascii_uppercase())
}

/// The rules pair requests and answers by scanning the call: a call longer
/// than this (a flood on one Call-ID) is read by its first messages, so a
/// crafted capture cannot make the diagnosis quadratic in its size.
pub const MOST_MESSAGES: usize = 2_000;

/// A call's messages, with what the rules need to ask of them.
pub struct CallView<'s> {
    pub store: &'s CallStore,
    pub call: &'s Call,
    pub index: u32,
    pub msgs: Vec<(u32, &'s MessageRecord)>,
    /// Boxed: most messages are never read, and a call's cells stay small.
    facts: Vec<OnceCell<Option<Box<Facts>>>>,
    read: ReadBytes<'s>,
}

impl<'s> CallView<'s> {
    pub fn new(store: &'s CallStore, index: u32, read: ReadBytes<'s>) -> Option<CallView<'s>> {
        let call = store.calls().get(index as usize)?;
        let msgs: Vec<(u32, &MessageRecord)> = call
            .messages
            .iter()
            .take(MOST_MESSAGES)
            .filter_map(|&i| store.message(i).map(|m| (i, m)))
            .collect();
        let facts = msgs.iter().map(|_| OnceCell::new()).collect();
        Some(CallView {
            store,
            call,
            index,
            msgs,
            facts,
            read,
        })
    }

    /// The header facts of the message at position `k` of the call.
    pub fn facts(&self, k: usize) -> Option<&Facts> {
        self.facts
            .get(k)?
            .get_or_init(|| {
                let (_, m) = self.msgs.get(k)?;
                Facts::of(&(self.read)(m)?).map(Box::new)
            })
            .as_deref()
    }

    /// Position in the call of a message index.
    pub fn position(&self, index: u32) -> Option<usize> {
        self.msgs.iter().position(|(i, _)| *i == index)
    }

    pub fn facts_of(&self, index: u32) -> Option<&Facts> {
        self.facts(self.position(index)?)
    }

    pub fn method(&self, m: &MessageRecord) -> &'s str {
        match m.kind {
            Kind::Request(sym) => self.store.strings.get(sym),
            Kind::Response(_) => "",
        }
    }

    /// The method a message's CSeq names.
    pub fn cseq_method(&self, m: &MessageRecord) -> &'s str {
        m.cseq.map_or("", |(_, sym)| self.store.strings.get(sym))
    }

    pub fn cseq_number(m: &MessageRecord) -> Option<u32> {
        m.cseq.map(|c| c.0)
    }

    pub fn code(m: &MessageRecord) -> Option<u16> {
        match m.kind {
            Kind::Response(code) => Some(code),
            Kind::Request(_) => None,
        }
    }

    pub fn reason(&self, m: &MessageRecord) -> &'s str {
        m.reason.map_or("", |r| self.store.strings.get(r))
    }

    pub fn addr(&self, endpoint: u32) -> SocketAddr {
        self.store.endpoints.addr(endpoint)
    }

    /// Responses, with their position, index and code.
    pub fn responses(&self) -> impl Iterator<Item = (usize, u32, &'s MessageRecord, u16)> + '_ {
        self.msgs
            .iter()
            .enumerate()
            .filter_map(|(k, &(i, m))| Self::code(m).map(|c| (k, i, m, c)))
    }

    /// Requests (first copies and resends), with position and index.
    pub fn requests(&self) -> impl Iterator<Item = (usize, u32, &'s MessageRecord)> + '_ {
        self.msgs
            .iter()
            .enumerate()
            .filter(|(_, (_, m))| matches!(m.kind, Kind::Request(_)))
            .map(|(k, &(i, m))| (k, i, m))
    }

    /// The responses to a request's transaction (same CSeq number and method).
    pub fn answers_to<'a>(
        &'a self,
        req: &'a MessageRecord,
    ) -> impl Iterator<Item = (usize, u32, &'s MessageRecord, u16)> + 'a {
        self.responses()
            .filter(move |(_, _, r, _)| r.cseq == req.cseq)
    }

    /// The final answer (first, not a resend) of a request's transaction.
    pub fn final_answer(
        &self,
        req: &MessageRecord,
    ) -> Option<(usize, u32, &'s MessageRecord, u16)> {
        self.answers_to(req)
            .find(|(_, _, r, c)| *c >= 200 && !r.retransmission)
    }

    /// Endpoints that received a request and sent the same request on to
    /// another address: proxies (and forking proxies) inside this call.
    pub fn hops(&self) -> Vec<u32> {
        // (sender, CSeq number, method) -> where it went.
        let mut sent: std::collections::HashMap<(u32, u32, &str), Vec<u32>> =
            std::collections::HashMap::new();
        for (_, _, b) in self.requests() {
            let key = (b.src, Self::cseq_number(b).unwrap_or(0), self.method(b));
            sent.entry(key).or_default().push(b.dst);
        }
        let mut hops = Vec::new();
        for (_, _, a) in self.requests() {
            let key = (a.dst, Self::cseq_number(a).unwrap_or(0), self.method(a));
            let onward = sent
                .get(&key)
                .is_some_and(|to| to.iter().any(|&d| d != a.src));
            if onward && !hops.contains(&a.dst) {
                hops.push(a.dst);
            }
        }
        hops
    }
}

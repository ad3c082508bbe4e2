//! Password guessing: one source whose REGISTERs are challenged again and
//! again within moments, its retries with credentials refused each time,
//! for one user or many. Read from the message records alone, once per
//! capture.
//!
//! Not guessing: phones answering their first challenge (an office booting
//! behind one NAT gets many 401s from one address, each followed by a 200),
//! or a phone that tries a wrong password once.

use super::finding::{span, Finding, Severity};
use super::stack::Advice;
use crate::calls::{CallStore, Kind};
use crate::capture::Timestamp;
use crate::explain::sources::{Source::*, SourceRef};
use crate::sip::is_public;
use foldhash::{HashMap, HashMapExt};
use std::net::IpAddr;

/// Challenges further apart than this belong to separate bursts.
const BURST_GAP_US: i64 = 2_000_000;
/// A burst needs this many challenges ...
const MOST_CHALLENGES: usize = 3;
/// ... this many of them answering retries that carried credentials.
const FAILED_RETRIES: usize = 2;
/// From a private address: this many users, and as many refused retries.
const LAN_USERS: usize = 3;

pub const GUESSING_SOURCES: &[SourceRef] = &[
    SourceRef::at(PjsipTroubleshooting, "Authentication is failing"),
    SourceRef::at(SngrepDumpReading, "INVITE rejection causes"),
    SourceRef::at(PjsipConfNotes, "system options"),
];

pub const DEFENCE: Advice = Advice {
    pjsip: "A fail2ban jail on Asterisk's security log (failed challenge responses, unknown endpoints) bans the \
            source; keep unknown users on the fake 401 so names cannot be told from wrong passwords; identify or \
            acl / contact_acl so endpoints are taken only from their own networks; long random passwords. The \
            global unidentified_request_count / unidentified_request_period turn a stream of unidentified \
            requests into a security event.",
    chan_sip: "alwaysauthreject=yes (an unknown user gets the same 401 as a wrong password), a fail2ban jail on \
               the 'Wrong password' and 'No matching peer found' lines of Asterisk's log, permit= / deny= on each \
               peer, and long random secrets.",
    plain: "fail2ban (or the server's own rate limit, such as Kamailio's pike module) on failed authentications, \
            the SIP port opened only to known networks, and long random passwords.",
};

/// One source's burst of refused REGISTERs.
#[derive(Debug, Clone)]
pub struct Burst {
    pub source: IpAddr,
    pub start: Timestamp,
    pub end: Timestamp,
    /// The challenges (401 / 407 / 403) and the requests they answer.
    pub messages: Vec<u32>,
    pub challenges: usize,
    /// Challenges answering a retry, after an earlier challenge of the call.
    pub failed_retries: usize,
    /// The users guessed (To user of the calls), in order of first guess.
    pub users: Vec<String>,
    /// A REGISTER of one of these users accepted from the same source,
    /// during or right after the burst: (request, answer, user).
    pub accepted: Option<(u32, u32, String)>,
}

impl Burst {
    pub fn holds(&self, message: u32) -> bool {
        self.messages.binary_search(&message).is_ok()
    }
}

struct Event {
    ts: Timestamp,
    request: u32,
    answer: u32,
    user: String,
    /// None: accepted (2xx); Some(retry): challenged or refused.
    refused: Option<bool>,
}

/// The bursts of the capture that read as guessing.
pub fn bursts(store: &CallStore) -> Vec<Burst> {
    let mut by_source: HashMap<IpAddr, Vec<Event>> = HashMap::new();
    for c in store.calls() {
        let user = c.to.user.as_deref().unwrap_or("").to_owned();
        let mut challenged = false;
        for &j in &c.messages {
            let Some(r) = store.message(j) else { continue };
            let Kind::Response(code) = r.kind else {
                continue;
            };
            let register = r
                .cseq
                .is_some_and(|(_, m)| store.strings.get(m) == "REGISTER");
            if !register || r.retransmission {
                continue;
            }
            let refused = match code {
                401 | 407 | 403 => {
                    let retry = challenged;
                    challenged = true;
                    Some(retry)
                }
                200..=299 => None,
                _ => continue,
            };
            let request = r.request.unwrap_or(j);
            by_source
                .entry(store.endpoints.addr(r.dst).ip())
                .or_default()
                .push(Event {
                    ts: r.ts,
                    request,
                    answer: j,
                    user: user.clone(),
                    refused,
                });
        }
    }
    let mut out = Vec::new();
    for (source, mut events) in by_source {
        events.sort_by_key(|e| e.ts);
        let mut start = 0;
        while start < events.len() {
            let mut end = start + 1;
            while end < events.len()
                && events[end].ts.micros_since(events[end - 1].ts) <= BURST_GAP_US
            {
                end += 1;
            }
            if let Some(b) = burst(source, &events[start..end]) {
                out.push(b);
            }
            start = end;
        }
    }
    out.sort_by_key(|b| b.start);
    out
}

fn burst(source: IpAddr, events: &[Event]) -> Option<Burst> {
    let refused: Vec<&Event> = events.iter().filter(|e| e.refused.is_some()).collect();
    let failed = refused.iter().filter(|e| e.refused == Some(true)).count();
    let mut users: Vec<String> = Vec::new();
    for e in &refused {
        if !users.contains(&e.user) {
            users.push(e.user.clone());
        }
    }
    // A phone behind a private address that loops on a wrong password (or
    // two lines of one phone, both wrong) is a misconfiguration the auth
    // rules name; inside the LAN it takes a sweep over accounts.
    let earned = refused.len() >= MOST_CHALLENGES
        && failed >= FAILED_RETRIES
        && (is_public(source) || users.len() >= LAN_USERS && failed >= LAN_USERS);
    if !earned {
        return None;
    }
    let first = refused.first()?;
    let accepted = events
        .iter()
        .find(|e| e.refused.is_none() && e.ts >= first.ts && users.contains(&e.user))
        .map(|e| (e.request, e.answer, e.user.clone()));
    let mut messages: Vec<u32> = refused.iter().flat_map(|e| [e.request, e.answer]).collect();
    messages.extend(accepted.iter().flat_map(|a| [a.0, a.1]));
    messages.sort_unstable();
    messages.dedup();
    Some(Burst {
        source,
        start: first.ts,
        end: refused.last().map_or(first.ts, |e| e.ts),
        messages,
        challenges: refused.len(),
        failed_retries: failed,
        users,
        accepted,
    })
}

/// The finding for the messages of one call (or AoR) inside a burst.
pub fn finding(b: &Burst, evidence: Vec<u32>, check: String) -> Finding {
    const SHOWN: usize = 5;
    let mut users: Vec<String> = b
        .users
        .iter()
        .take(SHOWN)
        .map(|u| format!("{u:?}"))
        .collect();
    if b.users.len() > SHOWN {
        users.push(format!("and {} more", b.users.len() - SHOWN));
    }
    let who = if b.users.len() == 1 {
        format!("user {}", users.join(", "))
    } else {
        format!("{} users ({})", b.users.len(), users.join(", "))
    };
    let took = span(b.end.micros_since(b.start));
    let (severity, title, outcome) = match &b.accepted {
        Some((_, _, user)) => (
            Severity::Problem,
            format!("Password guessing from {}: {} REGISTERs refused in {took}, then user {user:?} accepted", b.source, b.challenges),
            format!(
                " Then a REGISTER of user {user:?} from the same source was accepted: the guess may have found \
                 the password. Change it, and look for calls placed through that account."
            ),
        ),
        None => (
            Severity::Warning,
            format!("Password guessing from {}: {} REGISTERs refused in {took}", b.source, b.challenges),
            " None got through in this capture.".to_owned(),
        ),
    };
    Finding {
        rule: "auth-guessing",
        severity,
        title,
        detail: format!(
            "One source sent REGISTERs for {who} and was challenged or refused {} times in {took}; {} of them \
             answered retries that came back with credentials, each refused again. A phone with a wrong \
             password gives up after a try or two and comes back minutes later; this pace is a tool trying \
             passwords (and, with several users, account names).{outcome}",
            b.challenges, b.failed_retries
        ),
        check,
        evidence,
        sources: GUESSING_SOURCES,
    }
}

/// The burst this call's REGISTERs belong to, as a finding of the call.
pub fn guessing(
    v: &super::CallView<'_>,
    stack: &super::stack::LazyStack<'_>,
    evidence: &super::CaptureEvidence,
    out: &mut Vec<Finding>,
) {
    for b in evidence.guessing() {
        let mine: Vec<u32> = v
            .msgs
            .iter()
            .map(|(i, _)| *i)
            .filter(|i| b.holds(*i))
            .collect();
        if !mine.is_empty() {
            out.push(finding(b, mine, stack.pick(&DEFENCE)));
        }
    }
}

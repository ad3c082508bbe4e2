//! Registrations per address of record: every REGISTER of an AoR with what
//! it asked and what it got, and the traps the registrations documents
//! describe (late refreshes, a Contact that moves between refreshes, a
//! REGISTER nobody answers).
//!
//! The AoR is the To URI of the REGISTER (user@host), as the registrar sees
//! it; refreshes of one AoR may use several Call-IDs (after a reboot).

use super::diagnose::{
    guessing_bursts, guessing_finding, Finding, ReadBytes, Severity, Stack, GUESSING_DEFENCE,
};
use super::sources::{Source, SourceRef};
use crate::calls::{CallStore, Kind, MessageRecord};
use crate::capture::Timestamp;
use crate::sip::{self, NameAddr};
use foldhash::{HashMap, HashMapExt};
use std::net::SocketAddr;

/// One REGISTER transaction (retransmissions folded in).
#[derive(Debug, Clone)]
pub struct RegisterAttempt {
    /// Message index of the request.
    pub request: u32,
    pub ts: Timestamp,
    pub src: SocketAddr,
    pub dst: SocketAddr,
    pub call: u32,
    pub cseq: u32,
    /// First Contact URI, `*` for "remove all".
    pub contact: Option<String>,
    /// Expires asked: the Contact's `expires` parameter, else the Expires header.
    pub expires_asked: Option<u32>,
    /// How many times the request was resent.
    pub resent: u32,
    /// The final answer: message index, code and reason.
    pub answer: Option<(u32, u16, String)>,
    /// Expires the registrar granted this Contact in a 2xx.
    pub expires_granted: Option<u32>,
    /// Min-Expires of a 423.
    pub min_expires: Option<u32>,
    /// Time since the previous accepted REGISTER of the AoR, in microseconds.
    pub since_previous: Option<i64>,
    /// How long after the previous binding expired this refresh came, in
    /// microseconds (only when it came late).
    pub late_by: Option<i64>,
    pub contact_changed: bool,
    pub source_changed: bool,
    /// Another Call-ID than the AoR's REGISTER before it: the phone started
    /// its registration anew (a restart), RFC 3261 10.2.4.
    pub new_call_id: bool,
}

/// Everything seen for one address of record.
#[derive(Debug, Clone)]
pub struct Registration {
    pub aor: String,
    pub call_ids: Vec<String>,
    pub attempts: Vec<RegisterAttempt>,
    pub findings: Vec<Finding>,
}

use Source::*;
const REG_SOURCES: &[SourceRef] = &[
    SourceRef::at(PjsipTroubleshooting, "Inbound Registrations"),
    SourceRef::at(Rfc3261, "10.2.1"),
];
const LATE_SOURCES: &[SourceRef] = &[
    SourceRef::at(SngrepDumpReading, "message structure"),
    SourceRef::at(Rfc3261, "10.2.1"),
];
const TRAP_SOURCES: &[SourceRef] = &[
    SourceRef::doc(MaxContacts),
    SourceRef::at(PjsipTroubleshooting, "ARGH! NAT!"),
];
const FORBIDDEN_SOURCES: &[SourceRef] = &[
    SourceRef::at(PjsipTroubleshooting, "Inbound Registrations"),
    SourceRef::doc(MaxContacts),
];
const BRIEF_SOURCES: &[SourceRef] = &[SourceRef::at(Rfc3261, "10.3")];
const NO_ANSWER_SOURCES: &[SourceRef] = &[
    SourceRef::at(SngrepDumpReading, "INVITE rejection causes"),
    SourceRef::at(Rfc3261, "17.1.2.2"),
];

/// Every AoR that sent a REGISTER, in order of its first REGISTER.
/// REGISTERs refused in a password-guessing burst are named as such, not as
/// a phone's missing password.
pub fn registrations(store: &CallStore, read: ReadBytes<'_>) -> Vec<Registration> {
    let mut regs = registrations_in(store, 0..store.calls().len() as u32, read);
    let bursts = guessing_bursts(store);
    for reg in &mut regs {
        let mut guessed = false;
        for b in &bursts {
            let mine: Vec<u32> = reg
                .attempts
                .iter()
                .flat_map(|a| std::iter::once(a.request).chain(a.answer.as_ref().map(|x| x.0)))
                .filter(|i| b.holds(*i))
                .collect();
            if !mine.is_empty() {
                guessed = true;
                reg.findings.push(guessing_finding(
                    b,
                    mine,
                    Stack::Unknown.pick(&GUESSING_DEFENCE),
                ));
            }
        }
        if guessed {
            reg.findings.retain(|f| {
                !matches!(
                    f.rule,
                    "register-unanswered-challenge" | "register-forbidden"
                )
            });
            reg.findings.sort_by_key(|f| f.severity);
        }
    }
    regs
}

/// The same, over some calls only (one call's own diagnosis).
pub fn registrations_in(
    store: &CallStore,
    calls: impl IntoIterator<Item = u32>,
    read: ReadBytes<'_>,
) -> Vec<Registration> {
    let mut regs: Vec<Registration> = Vec::new();
    // (call, CSeq) -> (AoR, attempt): where a resend is folded in.
    let mut sent: HashMap<(u32, u32), (usize, usize)> = HashMap::new();
    for ci in calls {
        let Some(call) = store.calls().get(ci as usize) else {
            continue;
        };
        // The To of each REGISTER names its AoR: one Call-ID may carry the
        // REGISTERs of several users (a client registering accounts in turn).
        let call_aor = aor_of(&call.to.uri);
        for &i in &call.messages {
            let Some(m) = store.message(i).filter(|m| is_register(store, m)) else {
                continue;
            };
            let cseq = m.cseq.map_or(0, |c| c.0);
            if m.retransmission {
                if let Some(&(r, a)) = sent.get(&(ci, cseq)) {
                    regs[r].attempts[a].resent += 1;
                }
                continue;
            }
            let (a, to) = attempt(store, read, ci, &call.messages, i, m);
            let aor = to.unwrap_or_else(|| call_aor.clone());
            let at = match regs.iter().position(|r| r.aor == aor) {
                Some(p) => p,
                None => {
                    regs.push(Registration {
                        aor,
                        call_ids: Vec::new(),
                        attempts: Vec::new(),
                        findings: Vec::new(),
                    });
                    regs.len() - 1
                }
            };
            let reg = &mut regs[at];
            let id = call.call_id_lossy();
            if !reg.call_ids.contains(&id) {
                reg.call_ids.push(id);
            }
            sent.insert((ci, cseq), (at, reg.attempts.len()));
            reg.attempts.push(a);
        }
    }
    for reg in &mut regs {
        reg.attempts.sort_by_key(|a| a.ts);
        compare_refreshes(&mut reg.attempts);
        reg.findings = findings(&reg.attempts);
    }
    regs
}

fn is_register(store: &CallStore, m: &MessageRecord) -> bool {
    matches!(m.kind, Kind::Request(s) if store.strings.get(s) == "REGISTER")
}

/// `sip:alice@example.com;transport=udp` -> `alice@example.com`.
pub fn aor_of(uri: &str) -> String {
    let no_scheme = uri
        .strip_prefix("sips:")
        .or_else(|| uri.strip_prefix("sip:"))
        .unwrap_or(uri);
    no_scheme
        .split([';', '?'])
        .next()
        .unwrap_or(no_scheme)
        .to_owned()
}

fn attempt(
    store: &CallStore,
    read: ReadBytes<'_>,
    call: u32,
    messages: &[u32],
    i: u32,
    m: &MessageRecord,
) -> (RegisterAttempt, Option<String>) {
    let (contact, expires_asked, to) = read(m)
        .and_then(|b| {
            let msg = sip::parse(&b)?;
            let to = msg
                .to()
                .map(|t| aor_of(&String::from_utf8_lossy(t.uri)))
                .filter(|t| !t.is_empty());
            let contact = msg.header("Contact");
            let na = contact.as_deref().map(|c| NameAddr::parse(c.as_bytes()));
            let param_expires = na
                .and_then(|n| n.param(b"expires"))
                .and_then(|e| std::str::from_utf8(e).ok()?.trim().parse().ok());
            let header_expires = msg.header("Expires").and_then(|e| e.trim().parse().ok());
            let uri = match (contact.as_deref().map(str::trim), na) {
                (Some("*"), _) => Some("*".to_owned()),
                (_, Some(n)) => Some(String::from_utf8_lossy(n.uri).into_owned()),
                _ => None,
            };
            Some((uri, param_expires.or(header_expires), to))
        })
        .unwrap_or((None, None, None));
    let cseq = m.cseq.map_or(0, |c| c.0);
    let answer = messages
        .iter()
        .filter_map(|&j| store.message(j).map(|r| (j, r)))
        .find(|(_, r)| {
            matches!(r.kind, Kind::Response(c) if c >= 200) && r.cseq == m.cseq && r.src == m.dst
        });
    let mut out = RegisterAttempt {
        request: i,
        ts: m.ts,
        src: store.endpoints.addr(m.src),
        dst: store.endpoints.addr(m.dst),
        call,
        cseq,
        contact,
        expires_asked,
        resent: 0,
        answer: None,
        expires_granted: None,
        min_expires: None,
        since_previous: None,
        late_by: None,
        contact_changed: false,
        source_changed: false,
        new_call_id: false,
    };
    let Some((j, r)) = answer else {
        return (out, to);
    };
    let Kind::Response(code) = r.kind else {
        return (out, to);
    };
    let reason = r.reason.map_or("", |s| store.strings.get(s)).to_owned();
    out.answer = Some((j, code, reason));
    if let Some(msg_bytes) = read(r) {
        if let Some(msg) = sip::parse(&msg_bytes) {
            if (200..300).contains(&code) {
                out.expires_granted = granted(&msg, out.contact.as_deref()).or(out.expires_asked);
            } else if code == 423 {
                out.min_expires = msg
                    .header("Min-Expires")
                    .and_then(|e| e.trim().parse().ok());
            }
        }
    }
    (out, to)
}

/// The expiry a 2xx gives our Contact: its `expires` parameter in the
/// answer's Contact list, else the answer's Expires header.
fn granted(msg: &sip::SipMessage<'_>, contact: Option<&str>) -> Option<u32> {
    let ours = contact?;
    for value in msg.headers_named("Contact") {
        // One header may list several bindings.
        for one in split_contacts(&value) {
            let na = NameAddr::parse(one.as_bytes());
            if String::from_utf8_lossy(na.uri) == ours {
                if let Some(e) = na.param(b"expires") {
                    return std::str::from_utf8(e).ok()?.trim().parse().ok();
                }
            }
        }
    }
    msg.header("Expires").and_then(|e| e.trim().parse().ok())
}

/// Splits a Contact value on the commas between bindings (not inside <> or quotes).
fn split_contacts(value: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut quoted, mut start) = (0i32, false, 0);
    for (i, c) in value.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '<' if !quoted => depth += 1,
            '>' if !quoted => depth -= 1,
            ',' if !quoted && depth <= 0 => {
                parts.push(&value[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&value[start..]);
    parts
}

/// host:port of a Contact URI, what rewrite_contact and max_contacts compare.
fn contact_address(uri: &str) -> &str {
    let rest = uri.split_once(':').map_or(uri, |(_, r)| r);
    let host = rest.rsplit_once('@').map_or(rest, |(_, h)| h);
    host.split([';', '?']).next().unwrap_or(host)
}

/// Marks each accepted refresh against the binding before it.
fn compare_refreshes(attempts: &mut [RegisterAttempt]) {
    // (time accepted, granted seconds, contact, source) of the last binding.
    let mut bound: Option<(Timestamp, u32, Option<String>)> = None;
    let mut last_src: Option<SocketAddr> = None;
    let mut last_call: Option<u32> = None;
    for a in attempts.iter_mut() {
        a.source_changed = last_src.is_some_and(|s| s != a.src);
        last_src = Some(a.src);
        a.new_call_id = last_call.is_some_and(|c| c != a.call);
        last_call = Some(a.call);
        let accepted = matches!(a.answer, Some((_, c, _)) if (200..300).contains(&c));
        if !accepted {
            continue;
        }
        let removing = a.contact.as_deref() == Some("*") || a.expires_granted == Some(0);
        if let Some((at, granted, contact)) = &bound {
            a.since_previous = Some(a.ts.micros_since(*at));
            let expired_after = i64::from(*granted) * 1_000_000;
            let gap = a.ts.micros_since(*at);
            if *granted > 0 && gap > expired_after {
                a.late_by = Some(gap - expired_after);
            }
            if !removing {
                a.contact_changed = match (contact, &a.contact) {
                    (Some(old), Some(new)) => contact_address(old) != contact_address(new),
                    _ => false,
                };
            }
        }
        bound = if removing {
            None
        } else {
            Some((a.ts, a.expires_granted.unwrap_or(0), a.contact.clone()))
        };
    }
}

fn secs(micros: i64) -> String {
    format!("{:.1} s", micros as f64 / 1e6)
}

fn findings(attempts: &[RegisterAttempt]) -> Vec<Finding> {
    let mut out = Vec::new();
    for (n, a) in attempts.iter().enumerate() {
        let evidence = match &a.answer {
            Some((j, _, _)) => vec![a.request, *j],
            None => vec![a.request],
        };
        if a.answer.is_none() {
            out.push(Finding {
                rule: "register-no-answer",
                severity: Severity::Problem,
                title: format!(
                    "REGISTER (CSeq {}) sent {} time(s) to {} and never answered",
                    a.cseq,
                    a.resent + 1,
                    a.dst
                ),
                detail: "Nothing came back, not even an error: the registrar is down or unreachable, a firewall drops \
                         the traffic, or fail2ban has banned this address after failed attempts. The phone stays \
                         unregistered and cannot take calls."
                    .into(),
                check: "Is the registrar listening on that address and port; firewall and fail2ban on the server; \
                        capture on the server to see whether the REGISTER arrives.".into(),
                evidence: evidence.clone(),
                sources: NO_ANSWER_SOURCES,
            });
        }
        if let Some(late) = a.late_by {
            // A fraction of a second past a short grant is a timer's
            // rounding; a gap of a tenth of the grant or more is a risk.
            let granted = a.since_previous.unwrap_or(0) - late;
            let slight = late < 2_000_000 || late * 10 < granted;
            out.push(Finding {
                rule: "register-late",
                severity: if slight { Severity::Info } else { Severity::Warning },
                title: format!(
                    "Refresh came {} after the binding expired{}",
                    secs(late),
                    if slight { " (slightly late)" } else { "" }
                ),
                detail: format!(
                    "The previous registration was granted for a time that ran out before this refresh (it came {} \
                     after the previous one). For those {} the AoR had no contact: a call to it then would have \
                     failed (404 or 480).{}",
                    secs(a.since_previous.unwrap_or(0)),
                    secs(late),
                    if slight {
                        " So brief a gap is harmless unless a call fell into it."
                    } else {
                        ""
                    }
                ),
                check: "The phone's registration interval against the expiry the registrar grants; a phone that \
                        lost its network or was banned for a while; the registrar's minimum and maximum expiry.".into(),
                evidence: evidence.clone(),
                sources: LATE_SOURCES,
            });
        }
        if a.contact_changed {
            // Bound under another Call-ID before: the phone started over.
            let restarted = attempts[..n]
                .iter()
                .rev()
                .find(|p| matches!(p.answer, Some((_, c, _)) if (200..300).contains(&c)))
                .is_some_and(|p| p.call != a.call);
            out.push(Finding {
                rule: "register-contact-changed",
                severity: Severity::Warning,
                title: format!(
                    "Contact moved to {} between refreshes",
                    a.contact.as_deref().unwrap_or("?")
                ),
                detail: format!(
                    "{} The registrar then holds two contacts (the old one until it expires): with rewrite_contact \
                     the source address becomes the contact, so a NAT that changes the port does this on every \
                     refresh, and once max_contacts is reached the next REGISTER is refused with 403 and the phone \
                     may give up.{}",
                    if restarted {
                        "The same AoR registered again under a new Call-ID (the phone restarted its registration, \
                         as after a reboot) with a Contact on another address or port."
                    } else {
                        "The same AoR refreshed with a Contact on another address or port."
                    },
                    if restarted {
                        " Over TCP or TLS the registrar drops a contact when its connection closes; over UDP the old \
                         one stays until it expires."
                    } else {
                        ""
                    }
                ),
                check: "max_contacts on the AoR (at least twice the number of devices), remove_existing=yes to \
                        replace the soonest-expiring contact, and the NAT's UDP timeout on the phone's side.".into(),
                evidence: evidence.clone(),
                sources: TRAP_SOURCES,
            });
        }
        match &a.answer {
            Some((_, 403, reason)) => out.push(Finding {
                rule: "register-forbidden",
                severity: Severity::Problem,
                title: format!("REGISTER refused with 403 {reason}"),
                detail: "The registrar refused the binding: wrong credentials after a challenge, or (Asterisk) no \
                         max_contacts on the AoR or the new contact would exceed it."
                    .into(),
                check: "max_contacts and remove_existing on the AoR (max_contacts = 0 turns registration off); pjsip \
                        show aor <name> for the contacts already bound; an acl or contact_acl on the endpoint that \
                        refuses the address; the auth section if a challenge came first.".into(),
                evidence: evidence.clone(),
                sources: FORBIDDEN_SOURCES,
            }),
            Some((_, 423, _)) => out.push(Finding {
                rule: "register-interval-too-brief",
                // A phone that retried with a longer expiry and got bound
                // did what RFC 3261 asks: worth knowing, not a fault.
                severity: if attempts.get(n + 1).is_some_and(|next| {
                    matches!(next.answer, Some((_, c, _)) if (200..300).contains(&c))
                }) {
                    Severity::Normal
                } else {
                    Severity::Warning
                },
                title: format!(
                    "Expiry {} refused as too brief (423), the registrar wants at least {}",
                    a.expires_asked.map_or("?".into(), |e| e.to_string()),
                    a.min_expires.map_or("?".into(), |e| e.to_string())
                ),
                detail: "The phone asked for a registration shorter than the registrar allows. A phone should retry \
                         with the Min-Expires value; one that does not stays unregistered."
                    .into(),
                check: "The phone's registration expiry against the registrar's minimum (minimum_expiration on \
                        the Asterisk AoR).".into(),
                evidence: evidence.clone(),
                sources: BRIEF_SOURCES,
            }),
            _ => {}
        }
    }
    let final_challenge = attempts.last().and_then(|a| match &a.answer {
        Some((j, code @ (401 | 407), _)) => Some((a.request, *j, *code)),
        _ => None,
    });
    if let Some((req, j, code)) = final_challenge {
        out.push(Finding {
            rule: "register-unanswered-challenge",
            severity: Severity::Problem,
            title: format!("The last REGISTER got a {code} challenge and no retry with credentials followed"),
            detail: "A challenge is normal, but the phone never sent the REGISTER again with credentials: it has \
                     no password configured for this realm, or gave up."
                .into(),
            check: "The phone's auth user and password for this account, and the realm in the challenge.".into(),
            evidence: vec![req, j],
            sources: REG_SOURCES,
        });
    }
    out.sort_by_key(|f| f.severity);
    out
}

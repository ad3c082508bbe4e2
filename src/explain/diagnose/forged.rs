//! Requests no SIP stack writes: made by hand or by an attack tool (a
//! Via without a branch, a From without a tag, a request-URI with an empty
//! user or a loopback host, a loopback Contact, a Via naming the receiver).
//! Their addresses are invented, so they prove nothing about NAT.
//!
//! One old habit alone (RFC 2543 clients wrote no branch, and no From tag)
//! is not forgery: it takes two marks, one of which no real client leaves.

use super::call_view::{CallView, Facts};
use super::finding::{Finding, Severity};
use super::stack::{Advice, LazyStack};
use crate::calls::MessageRecord;
use crate::explain::sources::{Source::*, SourceRef};
use crate::sip::{host_addr, is_public};

const FORGED_SOURCES: &[SourceRef] = &[
    SourceRef::at(Rfc3261, "8.1.1"),
    SourceRef::at(PjsipTroubleshooting, "Unrecognized Endpoint"),
    SourceRef::at(PjsipConfNotes, "identify"),
];

const DEFENCE: Advice = Advice {
    pjsip: "Let only identified endpoints call: no anonymous endpoint (or one whose context leads nowhere), \
            identify sections with match= for peers known by address, an acl (or permit / deny on the endpoint) for \
            the SIP port, and fail2ban reading Asterisk's security log.",
    chan_sip: "allowguest=no (or a guest context that leads nowhere), alwaysauthreject=yes, permit= / deny= for \
               each peer, and fail2ban reading Asterisk's log.",
    plain: "Drop requests without a branch or a From tag at the edge (an SBC, or Kamailio's sanity module), take \
            calls only from known peers, and let fail2ban read the server's log.",
};

/// The marks of forgery on a request, when they add up to one.
pub fn marks(v: &CallView<'_>, m: &MessageRecord, f: &Facts) -> Option<Vec<String>> {
    let src = v.addr(m.src).ip();
    let dst = v.addr(m.dst).ip();
    // On loopback, loopback addresses are the truth.
    let loopback =
        |ip: Option<std::net::IpAddr>| !src.is_loopback() && ip.is_some_and(|a| a.is_loopback());
    let mut strong = Vec::new();
    let uri = f.request_uri.as_deref().unwrap_or("");
    let no_scheme = uri.split_once(':').map_or(uri, |(_, r)| r);
    if no_scheme.starts_with('@') {
        strong.push(format!("request-URI {uri:?} with an empty user"));
    } else if loopback(host_addr(uri.as_bytes())) {
        strong.push(format!("request-URI {uri:?} on loopback"));
    }
    match (&f.contact, f.contact_ip) {
        (Some(c), ip) if loopback(ip) => strong.push(format!("Contact {c:?} on loopback")),
        (None, _) if v.method(m) == "INVITE" => strong.push("an INVITE without Contact".into()),
        _ => {}
    }
    if f.via_ip == Some(dst) && src != dst {
        strong.push(format!("a Via naming the receiver {dst}, not the sender"));
    }
    if strong.is_empty() {
        return None;
    }
    let mut all = Vec::new();
    if f.branch.is_empty() {
        all.push("a Via without a branch".to_owned());
    }
    if f.from_tag.is_empty() {
        all.push("a From without a tag".to_owned());
    }
    all.extend(strong);
    (all.len() >= 2).then_some(all)
}

/// The call's first request, when it may be forged: one from the internet,
/// or one whose From has no tag (the call's record says so without reading
/// the message), so that a capture of ordinary LAN calls costs no reads.
fn suspect<'v, 's>(v: &'v CallView<'s>) -> Option<(usize, u32, &'s MessageRecord, &'v Facts)> {
    let (k, i, m) = v.requests().next()?;
    let src = v.addr(m.src).ip();
    if !is_public(src) && v.call.from.tag.is_some() {
        return None;
    }
    Some((k, i, m, v.facts(k)?))
}

/// The endpoint that opened this call with a forged request (only the
/// first request is read: a forger does not go on to a dialog).
pub fn forger(v: &CallView<'_>) -> Option<u32> {
    let (_, _, m, f) = suspect(v)?;
    marks(v, m, f).map(|_| m.src)
}

pub fn forged(v: &CallView<'_>, stack: &LazyStack<'_>, out: &mut Vec<Finding>) {
    let Some((_, i, m, f)) = suspect(v) else {
        return;
    };
    let Some(marks) = marks(v, m, f) else {
        return;
    };
    let method = v.method(m);
    let src = v.addr(m.src);
    let answers: Vec<(u32, u16, &str)> = v
        .answers_to(m)
        .filter(|(_, _, r, _)| !r.retransmission)
        .map(|(_, j, r, c)| (j, c, v.reason(r)))
        .collect();
    let reached = answers
        .iter()
        .find(|(_, c, _)| (180..300).contains(c) && *c != 181 && *c != 182);
    let last = answers.iter().find(|(_, c, _)| *c >= 200);
    let mut evidence = vec![i];
    evidence.extend(reached.map(|(j, _, _)| *j));
    evidence.extend(last.map(|(j, _, _)| *j));
    let title = match reached {
        Some((_, c, reason)) => format!("Forged {method} from {src}, answered {c} {reason}"),
        None => format!("Forged {method} from {src}"),
    };
    out.push(Finding {
        rule: "forged",
        severity: Severity::Warning,
        title,
        detail: format!(
            "No SIP stack writes a request like this ({}): it was made by hand or by an attack tool, to ring a \
             phone with a false caller ID or to see what the box answers. Its Via and Contact are invented, so \
             they say nothing about NAT; the packet's source {} is the only real address in it.{}",
            marks.join(", "),
            src.ip(),
            match (reached, last) {
                (Some((_, c, _)), _) if *c >= 200 => " The box accepted it.".to_owned(),
                (Some(_), Some((_, c, reason))) => {
                    format!(" The box let it through: a phone rang for it, then it was refused ({c} {reason}).")
                }
                (Some(_), None) => " The box let it through: a phone rang for it.".to_owned(),
                (None, Some((_, c, reason))) => format!(" The box refused it ({c} {reason})."),
                (None, None) => String::new(),
            }
        ),
        check: stack.pick(&DEFENCE),
        evidence,
        sources: FORGED_SOURCES,
    });
}

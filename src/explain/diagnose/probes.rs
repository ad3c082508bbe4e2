//! What the internet sends a PBX: a request from a public address that
//! carries a scanner's marks (its User-Agent, a `ping` / `sipvicious` From,
//! a branch without RFC 3261's cookie), and whether the box answered it.

use super::call_view::CallView;
use super::evidence::CaptureEvidence;
use super::finding::{span, Finding, Severity};
use super::stack::{Advice, LazyStack};
use crate::explain::sources::{Source::*, SourceRef};
use crate::sip::is_private;

const PROBE_SOURCES: &[SourceRef] = &[
    SourceRef::at(PjsipTroubleshooting, "Unrecognized Endpoint"),
    SourceRef::at(SngrepDumpReading, "INVITE rejection causes"),
];

/// User-Agents of the SIP scanners seen in the field (lower case).
const SCANNER_AGENTS: [&str; 8] = [
    "friendly-scanner",
    "sipvicious",
    "sipcli",
    "sip-scan",
    "sipscan",
    "vaxsipuseragent",
    "iwar",
    "sundayddr",
];
/// From users that scanners and probes write.
const PROBE_USERS: [&str; 4] = ["ping", "sipvicious", "scanner", "friendly-scanner"];

const DEFENCE: Advice = Advice {
    pjsip: "Keep unknown endpoints on the fake 401 (no anonymous endpoint unless needed), limit the SIP port \
            to known peers in the firewall or with acl / permit, and let fail2ban read Asterisk's security log.",
    chan_sip: "alwaysauthreject=yes and allowguest=no in sip.conf (scanners learn nothing), permit= / deny= for \
               peers, the firewall limited to known peers, and fail2ban reading Asterisk's log.",
    plain: "Limit the SIP port to known peers in the firewall, reject or ignore requests from unknown sources \
            (Kamailio: the pike and permissions modules), and fail2ban on the server's log.",
};

pub fn probes(
    v: &CallView<'_>,
    stack: &LazyStack<'_>,
    evidence: &CaptureEvidence,
    out: &mut Vec<Finding>,
) {
    let Some((k, i, m)) = v.requests().next() else {
        return;
    };
    if !matches!(v.method(m), "OPTIONS" | "INVITE" | "REGISTER") {
        return;
    }
    let src = v.addr(m.src);
    if is_private(src.ip()) || src.ip().is_loopback() {
        return;
    }
    let Some(f) = v.facts(k) else { return };
    let mut marks: Vec<String> = Vec::new();
    if let Some(ua) = &f.software {
        let lower = ua.to_ascii_lowercase();
        if SCANNER_AGENTS.iter().any(|s| lower.contains(s)) {
            marks.push(format!("User-Agent {ua:?}"));
        }
    }
    if let Some(user) = &f.from_user {
        if PROBE_USERS.iter().any(|p| user.eq_ignore_ascii_case(p)) {
            marks.push(format!("From user {user:?}"));
        }
    }
    if marks.is_empty() {
        return;
    }
    if !f.branch.starts_with("z9hG4bK") {
        marks.push(format!(
            "Via branch {:?} without the RFC 3261 cookie",
            f.branch
        ));
    }
    let answer = v.answers_to(m).find(|(_, _, _, c)| *c >= 200);
    let method = v.method(m);
    let (severity, answered) = match answer {
        Some((_, j, r, c)) => (Severity::Warning, Some((j, c, v.reason(r)))),
        None => (Severity::Info, None),
    };
    let sweep = sweep(v, evidence, src.ip());
    let mut evidence = vec![i];
    evidence.extend(answered.map(|(j, _, _)| j));
    out.push(Finding {
        rule: "scanner",
        severity,
        title: match answered {
            Some((_, c, reason)) => format!("Unsolicited {method} from the internet ({src}), answered {c} {reason}"),
            None => format!("Unsolicited {method} from the internet ({src}), not answered"),
        },
        detail: format!(
            "A request from a public address with a scanner's marks ({}): a probe looking for SIP servers to \
             break into or to call through.{sweep} {}",
            marks.join(", "),
            if answered.is_some() {
                "The box answered it, so the scanner now knows a SIP server listens here and will come back with \
                 password guessing."
            } else {
                "It got no answer, which is what a probe should get."
            }
        ),
        check: stack.pick(&DEFENCE),
        evidence,
        sources: PROBE_SOURCES,
    });
}

/// What else the probing address sent: ` It is one of 4 requests ...`, or
/// nothing for a lone probe.
fn sweep(v: &CallView<'_>, evidence: &CaptureEvidence, ip: std::net::IpAddr) -> String {
    let calls: Vec<&crate::calls::Call> = evidence
        .calls_from(ip)
        .iter()
        .filter_map(|&c| v.store.calls().get(c as usize))
        .collect();
    let (Some(first), Some(last)) = (calls.first(), calls.last()) else {
        return String::new();
    };
    if calls.len() < 2 {
        return String::new();
    }
    let mut methods: Vec<(&str, usize)> = Vec::new();
    let mut targets: Vec<&str> = Vec::new();
    for c in &calls {
        let m = v.store.strings.get(c.first_method);
        match methods.iter_mut().find(|(name, _)| *name == m) {
            Some(e) => e.1 += 1,
            None => methods.push((m, 1)),
        }
        let to = c.to.user.as_deref().unwrap_or("");
        if !targets.contains(&to) {
            targets.push(to);
        }
    }
    let methods: Vec<String> = methods.iter().map(|(m, n)| format!("{m} x{n}")).collect();
    format!(
        " It is one of {} requests this address sent in {} ({}) to {} different users or numbers: a sweep.",
        calls.len(),
        span(last.start.micros_since(first.start)),
        methods.join(", "),
        targets.len()
    )
}

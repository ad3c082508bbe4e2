//! Authentication read per transaction: each challenge paired with the
//! request that answers it (same call and method, a higher CSeq, carrying
//! credentials), and what came of that retry.

use super::call_view::{CallView, Facts};
use super::evidence::CaptureEvidence;
use super::finding::{span, Finding, Severity};
use super::stack::{Advice, LazyStack};
use crate::calls::MessageRecord;
use crate::explain::sources::{Source::*, SourceRef};

const AUTH_SOURCES: &[SourceRef] = &[
    SourceRef::at(PjsipTroubleshooting, "Authentication is failing"),
    SourceRef::at(SngrepDumpReading, "INVITE rejection causes"),
    SourceRef::at(Rfc3261, "22.2"),
];
const REPEAT_SOURCES: &[SourceRef] = &[
    SourceRef::at(PjsipTroubleshooting, "Unrecognized Endpoint"),
    SourceRef::at(PjsipTroubleshooting, "Authentication is failing"),
    SourceRef::at(Rfc3261, "22.2"),
];
const STALE_SOURCES: &[SourceRef] = &[
    SourceRef::at(Rfc2617, "3.2.1"),
    SourceRef::at(SipIntroPjsip, "SIP Authentication (Why 401 Happens)"),
];
const UNANSWERED_SOURCES: &[SourceRef] = &[
    SourceRef::at(SipIntroPjsip, "SIP Authentication (Why 401 Happens)"),
    SourceRef::at(Rfc3261, "22.2"),
];

/// A retry later than this after its challenge likely met an expired
/// nonce (servers keep nonces for seconds to tens of seconds).
const LATE_RETRY_US: i64 = 10_000_000;

const WRONG_AFTER_401: Advice = Advice {
    pjsip: "chan_pjsip answers a wrong password, and a request from an endpoint it cannot identify, with \
            another 401 (the fake challenge for unknown endpoints). Check pjsip show endpoint for an endpoint \
            named like the From user (identify / match= when peers are found by address), then the auth \
            section's username (case counts), password or md5_cred, and realm.",
    chan_sip: "chan_sip answers a wrong password with 403, so a second 401 means the credentials did not fit \
               this challenge: a nonce reused from an older challenge, or a realm or user name that does not \
               match the peer in sip.conf.",
    plain: "The server did not accept the credentials: the device's auth user name, password and realm \
            against the account on the server.",
};

const FORBIDDEN_AFTER_401: Advice = Advice {
    pjsip: "chan_pjsip answers a wrong password with another 401, so a 403 after the challenge points \
            elsewhere: an acl / contact_acl that refuses the address, or (REGISTER) an AoR without max_contacts \
            or already full.",
    chan_sip: "chan_sip answers 403 to a wrong password: its log says 'Wrong password' (or 'Username/auth name \
               mismatch') for the peer. Check secret= and the user name (defaultuser / the peer name, case \
               counts) in sip.conf against the device.",
    plain: "The credentials were refused: the device's auth user name and password against the account on the \
            server, and the realm in the challenge.",
};

fn stale(f: &Facts, reason: &str) -> bool {
    let phrase = reason.to_ascii_lowercase();
    f.challenge
        .as_ref()
        .and_then(|c| c.stale.as_deref())
        .is_some_and(|s| s.eq_ignore_ascii_case("true"))
        || phrase.contains("nonce")
        || phrase.contains("stale")
}

pub fn authentication(
    v: &CallView<'_>,
    stack: &LazyStack<'_>,
    evidence: &CaptureEvidence,
    out: &mut Vec<Finding>,
) {
    for (ck, ci, c, code) in v.responses() {
        if c.retransmission || !matches!(code, 401 | 407) {
            continue;
        }
        let method = v.cseq_method(c);
        let n = CallView::cseq_number(c).unwrap_or(0);
        // The request that answers this challenge: for the same To user (one
        // Call-ID may carry the REGISTERs of several accounts).
        let to_user = v.facts(ck).and_then(|f| f.to_user.clone());
        let retry = v.requests().find(|&(k, _, r)| {
            k > ck
                && !r.retransmission
                && v.method(r) == method
                && CallView::cseq_number(r).is_some_and(|rn| rn > n)
                && r.src == c.dst
                && v.facts(k).is_some_and(|f| {
                    f.credentials.is_some()
                        && (to_user.is_none() || f.to_user.is_none() || f.to_user == to_user)
                })
        });
        let Some((rk, ri, r)) = retry else {
            if method != "REGISTER" && method != "ACK" {
                unanswered(evidence, ci, c, code, method, out);
            }
            continue;
        };
        let Some((ak, ai, a, answer)) = v.final_answer(r) else {
            continue;
        };
        if (200..300).contains(&answer) || !matches!(answer, 401 | 407 | 403) {
            continue;
        }
        let delay = r.ts.micros_since(c.ts);
        let later_success = v
            .responses()
            .any(|(k, _, x, xc)| k > ak && (200..300).contains(&xc) && v.cseq_method(x) == method);
        let user = v
            .facts(rk)
            .and_then(|f| f.credentials.as_ref()?.username.clone())
            .unwrap_or_default();
        let realm = v
            .facts(rk)
            .and_then(|f| f.credentials.as_ref()?.realm.clone())
            .unwrap_or_default();
        let answer_facts = v.facts(ak);
        let reason = v.reason(a);
        let evidence_msgs = vec![ci, ri, ai];
        if matches!(answer, 401 | 407)
            && (answer_facts.is_some_and(|f| stale(f, reason)) || delay >= LATE_RETRY_US)
        {
            let said = if answer_facts.is_some_and(|f| stale(f, reason)) {
                format!("The server said so: {answer} {reason}.")
            } else {
                "The server did not say why, but a retry this late usually meets a nonce that has expired.".into()
            };
            out.push(Finding {
                rule: "auth-stale",
                severity: if later_success { Severity::Info } else { Severity::Warning },
                title: format!(
                    "{method} answered its challenge {} late: the nonce had expired",
                    span(delay)
                ),
                detail: format!(
                    "The credentials (user {user:?}, realm {realm:?}) came {} after the challenge, longer than \
                     the server keeps a nonce, so it challenged again with a fresh one. {said} This is not a \
                     wrong password{}.",
                    span(delay),
                    if later_success {
                        "; a later attempt went through"
                    } else {
                        ""
                    }
                ),
                check: "Why the device answers challenges so late: a busy or sleeping device, a slow DNS lookup \
                        before it resends, or a path that delays it; the server's nonce lifetime."
                    .into(),
                evidence: evidence_msgs,
                sources: STALE_SOURCES,
            });
            continue;
        }
        let mut detail = match answer {
            403 => format!(
                "The {method} was sent again with credentials (user {user:?}, realm {realm:?}) and refused with \
                 403 {reason}."
            ),
            _ => format!(
                "The {method} was sent again with credentials (user {user:?}, realm {realm:?}) {} after the \
                 challenge and challenged again ({answer} {reason}): the server did not accept them.",
                span(delay)
            ),
        };
        let mismatches = compare(v, ck, rk);
        if !mismatches.is_empty() {
            detail.push_str(&format!(
                " Compared with the challenge: {}.",
                mismatches.join("; ")
            ));
        }
        if !user.is_empty() && evidence.authenticated(&user) {
            detail.push_str(&format!(
                " User {user:?} authenticated elsewhere in this capture, so its password is right: look at \
                 what differs here (the realm, the address it came from, the nonce)."
            ));
        }
        if later_success {
            detail.push_str(" A later attempt went through.");
        }
        let (rule, advice, sources) = if answer == 403 {
            ("auth-rejected", &FORBIDDEN_AFTER_401, AUTH_SOURCES)
        } else {
            ("auth-repeat", &WRONG_AFTER_401, REPEAT_SOURCES)
        };
        out.push(Finding {
            rule,
            severity: if later_success {
                Severity::Warning
            } else {
                Severity::Problem
            },
            title: match answer {
                403 => format!("{method} refused with 403 after its digest challenge"),
                _ => format!("{method} challenged again after it was resent with credentials"),
            },
            detail,
            check: stack.pick(advice),
            evidence: evidence_msgs,
            sources,
        });
    }
}

/// A challenge to a call-related request that was never retried.
fn unanswered(
    evidence: &CaptureEvidence,
    ci: u32,
    c: &MessageRecord,
    code: u16,
    method: &str,
    out: &mut Vec<Finding>,
) {
    // Only once the capture has gone on a while past it: a capture that
    // ends right after the challenge proves nothing.
    let went_on = evidence.end.micros_since(c.ts) > 5_000_000;
    if !went_on {
        return;
    }
    out.push(Finding {
        rule: "auth-no-retry",
        severity: Severity::Problem,
        title: format!("{method} got a {code} challenge and was never sent again with credentials"),
        detail: "A challenge is the normal first answer, but the device did not retry with credentials: it has no \
                 user name and password for this server or realm, or it gave up."
            .into(),
        check: "The account's auth user and password on the device, and the realm in the challenge.".into(),
        evidence: vec![ci],
        sources: UNANSWERED_SOURCES,
    });
}

/// What can be checked without the password, challenge against retry.
fn compare(v: &CallView<'_>, ck: usize, rk: usize) -> Vec<String> {
    let (Some(cf), Some(rf)) = (v.facts(ck), v.facts(rk)) else {
        return Vec::new();
    };
    let (Some(ch), Some(cr)) = (&cf.challenge, &rf.credentials) else {
        return Vec::new();
    };
    let mut issues = Vec::new();
    let differs = |a: &Option<String>, b: &Option<String>| a.is_some() && b.is_some() && a != b;
    if differs(&cr.realm, &ch.realm) {
        issues.push(format!(
            "realm {:?} answers a challenge for realm {:?}",
            cr.realm.as_deref().unwrap_or(""),
            ch.realm.as_deref().unwrap_or("")
        ));
    }
    if differs(&cr.nonce, &ch.nonce) {
        issues.push(
            "the credentials use another nonce than the challenge gave (an old one reused)".into(),
        );
    }
    if let (Some(user), Some(from)) = (&cr.username, &rf.from_user) {
        if user != from {
            issues.push(format!(
                "user name {user:?} differs from the From user {from:?}"
            ));
        }
    }
    let algorithm = cr.algorithm.as_ref().or(ch.algorithm.as_ref());
    if algorithm.is_some_and(|a| !a.eq_ignore_ascii_case("MD5")) {
        issues.push(format!(
            "algorithm {} (many servers, Asterisk among them, know MD5 only)",
            algorithm.map_or("", String::as_str)
        ));
    }
    if ch.qop.is_some() && (cr.qop.is_none() || cr.nc.is_none() || cr.cnonce.is_none()) {
        issues.push("qop was offered but the credentials lack qop, nc or cnonce".into());
    }
    issues
}

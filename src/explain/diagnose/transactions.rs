//! What became of each transaction: a request nobody answered, a final
//! answer nobody ACKed, a BYE outside a confirmed dialog or where a CANCEL
//! was due, and the normal endings (only what the messages prove).

use super::call_view::CallView;
use super::evidence::CaptureEvidence;
use super::finding::{span, Finding, Severity};
use super::stack::{Advice, LazyStack};
use crate::calls::MessageRecord;
use crate::capture::Timestamp;
use crate::explain::sources::{Source::*, SourceRef};

const NO_RESPONSE_SOURCES: &[SourceRef] = &[
    SourceRef::at(SngrepDumpReading, "INVITE rejection causes"),
    SourceRef::at(Rfc3261, "17.1.1.2"),
];
const NO_ACK_SOURCES: &[SourceRef] = &[
    SourceRef::at(Rfc3261, "13.3.1.4"),
    SourceRef::at(PjsipTroubleshooting, "ARGH! NAT!"),
];
const ACK_FINAL_SOURCES: &[SourceRef] = &[SourceRef::at(Rfc3261, "17.1.1.3")];
const DIALOG_SOURCES: &[SourceRef] = &[
    SourceRef::at(Rfc3261, "15.1.2"),
    SourceRef::at(Rfc3261, "12.2.2"),
];
const CANCEL_SOURCES: &[SourceRef] = &[SourceRef::at(Rfc3261, "9.1"), SourceRef::at(Rfc3261, "15")];
const NORMAL_SOURCES: &[SourceRef] = &[SourceRef::at(SipIntroPjsip, "Most Common SIP Messages")];

/// A request whose only copy is this close to the capture's end may have
/// been answered after it.
const CAPTURE_END_GRACE_US: i64 = 2_000_000;
/// Without resends, an ACK for a 2xx missing this long after the answer is
/// missing (it goes end to end, perhaps after DNS and a new connection).
const ACK_WAIT_US: i64 = 4_000_000;
/// The ACK for a non-2xx is sent by the client transaction at once, hop by
/// hop: a second of capture without it is enough.
const FINAL_ACK_WAIT_US: i64 = 1_000_000;

const SILENT_PEER: Advice = Advice {
    pjsip: "Is Asterisk listening on that address and port (pjsip show transports)? Firewall rules and fail2ban \
            bans on both sides (fail2ban-client status); capture on the far side to see whether the request arrives.",
    chan_sip: "Is Asterisk listening on that address and port (sip show settings: bindaddr, bindport)? Firewall \
               rules and fail2ban bans on both sides (fail2ban-client status); capture on the far side to see \
               whether the request arrives.",
    plain: "Is the peer listening on that address and port? Firewall rules and fail2ban bans on both sides \
            (fail2ban-client status); capture on the far side to see whether the request arrives.",
};

/// The INVITE transactions of a call: first copy, its final answer.
struct Invite<'s> {
    index: u32,
    req: &'s MessageRecord,
    final_: Option<(usize, u32, &'s MessageRecord, u16)>,
    provisional: bool,
}

fn invites<'s>(v: &CallView<'s>) -> Vec<Invite<'s>> {
    v.requests()
        .filter(|(_, _, m)| v.method(m) == "INVITE" && !m.retransmission)
        .map(|(_, i, m)| Invite {
            index: i,
            req: m,
            final_: v.final_answer(m),
            provisional: v.answers_to(m).any(|(_, _, _, c)| c < 200),
        })
        .collect()
}

/// The first 2xx to an INVITE: when the dialog was confirmed.
fn confirmed(v: &CallView<'_>) -> Option<Timestamp> {
    v.responses()
        .find(|(_, _, r, c)| (200..300).contains(c) && v.cseq_method(r) == "INVITE")
        .map(|(_, _, r, _)| r.ts)
}

pub fn transactions(
    v: &CallView<'_>,
    stack: &LazyStack<'_>,
    evidence: &CaptureEvidence,
    out: &mut Vec<Finding>,
) {
    let acks_missing = missing_ack(v, evidence, out);
    // A BYE where none belonged is the more telling fault of a call whose
    // INVITE went unanswered or was refused.
    bye_misplaced(v, out);
    no_response(v, stack, evidence, acks_missing, out);
    final_not_acked(v, evidence, out);
}

/// Requests sent (and resent) that nothing ever answered.
fn no_response(
    v: &CallView<'_>,
    stack: &LazyStack<'_>,
    evidence: &CaptureEvidence,
    after_missing_ack: Option<Timestamp>,
    out: &mut Vec<Finding>,
) {
    let mut said: Vec<(Option<(u32, crate::calls::Sym)>, &str)> = Vec::new();
    for (_, _, m) in v.requests() {
        let method = v.method(m);
        if method == "ACK" || m.retransmission || v.answers_to(m).next().is_some() {
            continue;
        }
        if said.contains(&(m.cseq, method)) {
            continue;
        }
        // A BYE outside a confirmed dialog is read by bye_misplaced.
        if method == "BYE" && confirmed(v).is_none_or(|t| t > m.ts) {
            continue;
        }
        said.push((m.cseq, method));
        let copies: Vec<(u32, &MessageRecord)> = v
            .requests()
            .filter(|(_, _, o)| o.cseq == m.cseq && v.method(o) == method)
            .map(|(_, j, o)| (j, o))
            .collect();
        let last = copies.last().map_or(m.ts, |(_, o)| o.ts);
        if copies.len() < 2 && evidence.end.micros_since(last) < CAPTURE_END_GRACE_US {
            continue;
        }
        // A BYE after a 2xx that was never ACKed goes to the same
        // unreachable Contact: part of that finding, not a new one.
        if method == "BYE" && after_missing_ack.is_some_and(|t| m.ts >= t) {
            if let Some(f) = out.iter_mut().find(|f| f.rule == "no-ack") {
                f.evidence.extend(copies.iter().map(|(j, _)| *j));
            }
            continue;
        }
        let dst = v.addr(m.dst);
        // The same call first (a REGISTER's answer on the same sockets),
        // then anything in the capture.
        let in_call = v
            .msgs
            .iter()
            .filter(|(_, o)| o.src == m.dst && o.dst == m.src)
            .map(|(_, o)| o.ts)
            .min_by_key(|t| t.micros_since(m.ts).unsigned_abs());
        let answered_before = in_call.or_else(|| evidence.nearest_message(m.dst, m.src, m.ts));
        let (detail, check) = match answered_before {
            Some(t) => {
                let gap = t.micros_since(m.ts);
                let when = if gap <= 0 {
                    format!("{} before", span(gap))
                } else {
                    format!("{} after", span(gap))
                };
                (
                    format!(
                        "{dst} sent messages to {} on the same addresses {when} this request, so the path \
                         works both ways: the request most likely arrived and the far end dropped or ignored it \
                         (an overloaded or misconfigured peer, a script or policy that does not answer). A \
                         firewall or a fail2ban ban is the wrong lead here.",
                        v.addr(m.src)
                    ),
                    "The far end's own log for this Call-ID: why it received the request and sent nothing back."
                        .to_owned(),
                )
            }
            None => (
                "Not even a 100 Trying came back, and nothing else from that address reached this one in the \
                 whole capture. Either the request never reached the far end, or its answers never reached this \
                 capture point: a firewall dropping the traffic, an address banned by fail2ban after failed \
                 logins, or a wrong address or port for the peer."
                    .to_owned(),
                stack.pick(&SILENT_PEER),
            ),
        };
        out.push(Finding {
            rule: "no-response",
            severity: Severity::Problem,
            title: match copies.len() {
                0 | 1 => format!("{method} sent to {dst} and never answered"),
                n => format!("{method} sent {n} times to {dst} and never answered"),
            },
            detail,
            check,
            evidence: copies.iter().map(|(j, _)| *j).collect(),
            sources: NO_RESPONSE_SOURCES,
        });
    }
}

/// A 2xx to an INVITE that no ACK followed. Returns when the first one
/// was sent, so the BYE that follows it is read as its consequence.
fn missing_ack(
    v: &CallView<'_>,
    evidence: &CaptureEvidence,
    out: &mut Vec<Finding>,
) -> Option<Timestamp> {
    let mut first = None;
    for (k, i, m, code) in v.responses() {
        if !(200..300).contains(&code) || v.cseq_method(m) != "INVITE" || m.retransmission {
            continue;
        }
        let n = CallView::cseq_number(m);
        let acked = v
            .requests()
            .any(|(j, _, o)| j > k && v.method(o) == "ACK" && CallView::cseq_number(o) == n);
        if acked {
            continue;
        }
        let resent: Vec<u32> = v
            .responses()
            .filter(|(_, _, r, c)| *c == code && r.retransmission && r.cseq == m.cseq)
            .map(|(_, j, _, _)| j)
            .collect();
        // The callee giving up: a BYE from the side that answered.
        let bye = v
            .requests()
            .find(|(j, _, o)| *j > k && v.method(o) == "BYE" && o.src == m.src)
            .map(|(_, j, o)| (j, o.ts.micros_since(m.ts)));
        let waited = evidence.end.micros_since(m.ts) >= ACK_WAIT_US;
        let in_dialog_later = v
            .requests()
            .any(|(j, _, o)| j > k && o.src == m.dst && v.method(o) != "ACK");
        // Without resends or a BYE from the callee, an ACK that took
        // another path than this capture point is likelier than none.
        if resent.is_empty() && bye.is_none() && (!waited || in_dialog_later) {
            continue;
        }
        first.get_or_insert(m.ts);
        let contact = v.facts(k).and_then(|f| f.contact.clone());
        let transport = m.transport.as_str();
        let mut evidence_msgs = vec![i];
        evidence_msgs.extend(&resent);
        let mut detail = format!(
            "The caller never sent the ACK for this {code} (over {transport}){}. The ACK for a 2xx goes end to end, to \
             the Contact of the answer{} (through the Record-Route, if any): when that address is private or \
             unreachable from the caller, the ACK never arrives.",
            match resent.len() {
                0 => String::new(),
                n => format!("; the answer was resent {n} times"),
            },
            contact.map_or_else(String::new, |c| format!(" ({c})")),
        );
        if let Some((j, after)) = bye {
            evidence_msgs.push(j);
            detail.push_str(&format!(
                " The BYE {} after the answer is the callee giving up (it waits 32 s, 64 x T1).",
                span(after)
            ));
        }
        out.push(Finding {
            rule: "no-ack",
            severity: Severity::Problem,
            title: format!("{code} {} to the INVITE never ACKed", v.reason(m)),
            detail,
            check: "The Contact and Record-Route of the 2xx against what the caller can reach (a private address \
                    needs the answering side to advertise its public one); the caller's firewall for the return \
                    path."
                .into(),
            evidence: evidence_msgs,
            sources: NO_ACK_SOURCES,
        });
    }
    first
}

/// A final non-2xx answer to an INVITE that no ACK followed.
fn final_not_acked(v: &CallView<'_>, evidence: &CaptureEvidence, out: &mut Vec<Finding>) {
    for inv in invites(v) {
        let Some((k, i, m, code)) = inv.final_ else {
            continue;
        };
        if code < 300 {
            continue;
        }
        let n = CallView::cseq_number(inv.req);
        let acked = v
            .requests()
            .any(|(j, _, o)| j > k && v.method(o) == "ACK" && CallView::cseq_number(o) == n);
        let resent = v
            .responses()
            .any(|(_, _, r, c)| c == code && r.retransmission && r.cseq == m.cseq);
        // The caller went on to another request of the call instead.
        let moved_on = v
            .requests()
            .any(|(j, _, o)| j > k && o.src == inv.req.src && v.method(o) != "ACK");
        if acked || !(resent || moved_on || evidence.end.micros_since(m.ts) >= FINAL_ACK_WAIT_US) {
            continue;
        }
        out.push(Finding {
            rule: "no-ack-final",
            severity: Severity::Warning,
            title: format!("{code} {} never ACKed", v.reason(m)),
            detail: format!(
                "Every final answer to an INVITE that is not a 2xx must be acknowledged by the next hop with an \
                 ACK; the {code} got none{}. A protocol fault of the caller (or the ACK is lost on the way back): \
                 the callee keeps resending the {code} until its timer gives up.",
                if resent { " although it was resent" } else { "" }
            ),
            check: "The caller's SIP stack (an ACK for every non-2xx final answer, sent to the same address as \
                    the INVITE); whether the {code} reaches the caller at all."
                .replace("{code}", &code.to_string()),
            evidence: vec![inv.index, i],
            sources: ACK_FINAL_SOURCES,
        });
    }
}

/// BYE where no dialog was confirmed: instead of CANCEL while the INVITE
/// was still pending, or after the INVITE was refused.
fn bye_misplaced(v: &CallView<'_>, out: &mut Vec<Finding>) {
    let confirmed_at = confirmed(v);
    let invites = invites(v);
    for (_, i, m) in v.requests() {
        if v.method(m) != "BYE" || m.retransmission || confirmed_at.is_some_and(|t| t <= m.ts) {
            continue;
        }
        let pending = invites
            .iter()
            .find(|inv| inv.req.ts <= m.ts && inv.final_.is_none_or(|(_, _, f, _)| f.ts > m.ts));
        let answer = v.final_answer(m);
        if let Some(inv) = pending {
            out.push(Finding {
                rule: "bye-not-cancel",
                severity: Severity::Problem,
                title: "BYE sent while the INVITE was still unanswered: CANCEL was due".into(),
                detail: format!(
                    "The INVITE had {} when the caller sent BYE. Before a final answer there is no dialog to \
                     end; a caller that gives up must send CANCEL. The call never completed.",
                    if inv.provisional {
                        "only provisional answers"
                    } else {
                        "no answer at all"
                    }
                ),
                check: "The caller's SIP stack or script: CANCEL for a call not yet answered, BYE only after a 2xx."
                    .into(),
                evidence: vec![inv.index, i],
                sources: CANCEL_SOURCES,
            });
            continue;
        }
        let refused = invites.iter().rev().find(|inv| inv.req.ts <= m.ts);
        let Some(inv) = refused else { continue };
        let accepted = answer.is_some_and(|(_, _, _, c)| (200..300).contains(&c));
        let mut evidence = vec![inv.index, i];
        if let Some((_, j, _, _)) = answer {
            evidence.push(j);
        }
        out.push(Finding {
            rule: "bye-outside-dialog",
            severity: Severity::Warning,
            title: format!(
                "BYE sent although the INVITE was refused{}",
                if accepted { ", and answered 200" } else { "" }
            ),
            detail: format!(
                "No 2xx confirmed a dialog, so there was nothing to hang up: the BYE is a protocol fault of its \
                 sender.{}",
                if accepted {
                    " The far end answered it 2xx where 481 Call/Transaction Does Not Exist was due: a fault on that \
                     side too."
                } else {
                    ""
                }
            ),
            check: "The sender's SIP stack or test script: no BYE after a refused INVITE.".into(),
            evidence,
            sources: DIALOG_SOURCES,
        });
    }
}

/// The normal endings, named so the engineer can stop looking.
pub fn endings(v: &CallView<'_>, evidence: &CaptureEvidence, out: &mut Vec<Finding>) {
    let normal = |rule, title: String, detail: &str, at: u32| Finding {
        rule,
        severity: Severity::Normal,
        title,
        detail: detail.into(),
        check: String::new(),
        evidence: vec![at],
        sources: NORMAL_SOURCES,
    };
    let invites = invites(v);
    if let Some(first) = invites.first() {
        let answered = invites
            .iter()
            .find_map(|inv| inv.final_.filter(|(_, _, _, c)| (200..300).contains(c)));
        let bye_done = v.responses().find(|(_, _, r, c)| {
            (200..300).contains(c)
                && v.cseq_method(r) == "BYE"
                && answered.is_some_and(|(_, _, a, _)| a.ts <= r.ts)
        });
        let end = match (answered, bye_done) {
            (Some(_), Some((_, j, _, _))) => Some(normal(
                "completed",
                "Completed normally".into(),
                "The INVITE was answered 2xx, and the call was hung up with a BYE that was answered 2xx.",
                j,
            )),
            (Some((_, j, _, _)), None) => Some(normal(
                "in-call",
                "Answered; still in the call when the capture ends".into(),
                "The INVITE was answered 2xx and no BYE is in the capture: the call went on past its end.",
                j,
            )),
            (None, _) => match first.final_.map(|(_, j, _, c)| (j, c)) {
                Some((j, 487)) => Some(normal(
                    "cancelled",
                    "Cancelled by the caller".into(),
                    "The caller gave up before the answer (CANCEL, then 487 for the INVITE): a normal ending.",
                    j,
                )),
                Some((j, 486 | 600)) => Some(normal(
                    "busy",
                    "Callee busy".into(),
                    "The callee was busy: a normal answer, not a fault in the network.",
                    j,
                )),
                None if first.provisional && evidence.end >= first.req.ts => Some(normal(
                    "ringing",
                    "Still ringing when the capture ends".into(),
                    "The INVITE got provisional answers and no final one before the capture ended.",
                    first.index,
                )),
                _ => None,
            },
        };
        out.extend(end);
        return;
    }
    // Outside INVITE: a 2xx to the call's own method.
    let Some((_, _, m)) = v.requests().next() else {
        return;
    };
    let method = v.method(m);
    let Some((_, j, _, code)) = v
        .responses()
        .find(|(_, _, r, c)| (200..300).contains(c) && v.cseq_method(r) == method)
    else {
        return;
    };
    out.push(match method {
        "REGISTER" => normal(
            "registered",
            "Registered".into(),
            "The registrar accepted the binding.",
            j,
        ),
        _ => normal(
            "answered",
            format!("{method} answered {code}"),
            "The request was accepted.",
            j,
        ),
    });
}

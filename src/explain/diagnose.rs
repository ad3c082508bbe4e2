//! Call diagnosis: rules that read a whole call and name the likely cause of
//! what went wrong, with the messages that show it and what to check.
//!
//! Rules read the call's message records (method, code, direction, time,
//! retransmission marks); the few that need header values ask for a
//! message's bytes through the reader the caller passes in.

use super::digest;
use super::sources::{Source, SourceRef};
use crate::calls::{CallStore, Kind, MessageRecord};
use crate::media::MediaTracker;
use crate::sip::{self, behind_nat, host_addr, NameAddr, Sdp, StartLine, Via};
use serde::Serialize;
use std::net::IpAddr;

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The call failed or is failing for this reason.
    Problem,
    /// Worth a look: a risk, not (yet) a failure.
    Warning,
    /// A normal ending or step, said so the engineer can stop looking.
    Normal,
}

impl Severity {
    /// As in JSON: `problem`, `warning`, `normal`.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Problem => "problem",
            Severity::Warning => "warning",
            Severity::Normal => "normal",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Severity::Problem => "PROBLEM",
            Severity::Warning => "WARNING",
            Severity::Normal => "OK",
        }
    }
}

/// One conclusion about a call.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// Stable rule name, for filters and tests.
    pub rule: &'static str,
    pub severity: Severity,
    pub title: String,
    pub detail: String,
    pub check: &'static str,
    /// Indices of the messages that show it.
    pub evidence: Vec<u32>,
    #[serde(serialize_with = "super::sources::serialize_refs")]
    pub sources: &'static [SourceRef],
}

use Source::*;
const NO_RESPONSE_SOURCES: &[SourceRef] = &[
    SourceRef::at(SngrepDumpReading, "INVITE rejection causes"),
    SourceRef::at(Rfc3261, "17.1.1.2"),
];
const AUTH_REPEAT_SOURCES: &[SourceRef] = &[
    SourceRef::at(PjsipTroubleshooting, "Unrecognized Endpoint"),
    SourceRef::at(PjsipTroubleshooting, "Authentication is failing"),
];
const AUTH_REJECTED_SOURCES: &[SourceRef] = &[
    SourceRef::at(SngrepDumpReading, "INVITE rejection causes"),
    SourceRef::at(PjsipTroubleshooting, "Authentication is failing"),
    SourceRef::at(Rfc3261, "22.2"),
];
const REGISTER_FORBIDDEN_SOURCES: &[SourceRef] = &[
    SourceRef::at(PjsipTroubleshooting, "Inbound Registrations"),
    SourceRef::doc(MaxContacts),
];
const NOT_FOUND_SOURCES: &[SourceRef] = &[
    SourceRef::at(
        PjsipTroubleshooting,
        "Asterisk cannot find the specified extension",
    ),
    SourceRef::at(Rfc3261, "21.4.5"),
];
const CODEC_SOURCES: &[SourceRef] = &[
    SourceRef::at(Rfc3261, "21.4.26"),
    SourceRef::at(SngrepDumpReading, "response code table"),
];
const HANGUP_CAUSE_SOURCES: &[SourceRef] =
    &[SourceRef::at(SngrepDumpReading, "INVITE rejection causes")];
const NO_ACK_SOURCES: &[SourceRef] = &[
    SourceRef::at(Rfc3261, "13.3.1.4"),
    SourceRef::at(PjsipTroubleshooting, "ARGH! NAT!"),
];
const NAT_SOURCES: &[SourceRef] = &[
    SourceRef::at(PjsipTroubleshooting, "ARGH! NAT!"),
    SourceRef::at(
        SngrepDumpReading,
        "one-way audio (Односторонняя слышимость)",
    ),
    SourceRef::at(PjsipConfNotes, "transport and NAT options"),
];
const DTMF_SOURCES: &[SourceRef] = &[SourceRef::at(
    SipIntroPjsip,
    "DTMF in SIP Calls (Why IVR Keys Sometimes Fail)",
)];
const NORMAL_SOURCES: &[SourceRef] = &[SourceRef::at(SipIntroPjsip, "Most Common SIP Messages")];

/// A call summed up in one word, for the call list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// The rule of the most serious finding (`no-response`, `codec`,
    /// `completed`, ...), or `ok` when nothing was found.
    pub word: &'static str,
    /// `None` when nothing was found.
    pub severity: Option<Severity>,
}

impl Verdict {
    /// The findings come sorted, most serious first.
    pub fn of(findings: &[Finding]) -> Verdict {
        match findings.first() {
            Some(f) => Verdict {
                word: f.rule,
                severity: Some(f.severity),
            },
            None => Verdict {
                word: "ok",
                severity: None,
            },
        }
    }

    /// A problem or a warning: what `--problems` keeps.
    pub fn needs_a_look(&self) -> bool {
        matches!(self.severity, Some(Severity::Problem | Severity::Warning))
    }
}

/// Reads a message's bytes back (from the capture or the store's arena).
pub type ReadBytes<'a> = &'a dyn Fn(&MessageRecord) -> Option<Vec<u8>>;

/// Everything the signalling rules conclude about one call, problems first.
pub fn diagnose(store: &CallStore, call: u32, read: ReadBytes<'_>) -> Vec<Finding> {
    diagnose_with_media(store, None, call, read)
}

/// [`diagnose`], with the rules that read the call's RTP when the media
/// tracker of the capture is given.
pub fn diagnose_with_media(
    store: &CallStore,
    media: Option<&MediaTracker>,
    call: u32,
    read: ReadBytes<'_>,
) -> Vec<Finding> {
    let Some(c) = store.calls().get(call as usize) else {
        return Vec::new();
    };
    let msgs: Vec<(u32, &MessageRecord)> = c
        .messages
        .iter()
        .filter_map(|&i| store.message(i).map(|m| (i, m)))
        .collect();
    let view = CallView { store, msgs };
    let mut findings = Vec::new();
    no_response(&view, &mut findings);
    challenges(&view, &mut findings);
    auth_checks(&view, read, &mut findings);
    final_answers(&view, read, &mut findings);
    missing_ack(&view, &mut findings);
    media_and_nat(&view, read, &mut findings);
    super::media_checks::media_findings(store, media, call, &mut findings);
    // Events actually sent and refused say more than the offer/answer alone.
    if findings.iter().any(|f| f.rule == "dtmf-unaccepted") {
        findings.retain(|f| f.rule != "dtmf");
    }
    other_failures(&view, &mut findings);
    // A registration's own traps (late refresh, moving Contact) belong to
    // its verdict too; silence and 403 are already covered above.
    if store.strings.get(c.first_method) == "REGISTER" {
        for reg in super::registrations::registrations_in(store, [call], read) {
            findings.extend(
                reg.findings
                    .into_iter()
                    .filter(|f| !matches!(f.rule, "register-no-answer" | "register-forbidden")),
            );
        }
    }
    endings(&view, &mut findings);
    // A call with a problem did not end normally, whatever its last answer.
    if findings.iter().any(|f| f.severity == Severity::Problem) {
        findings.retain(|f| f.severity != Severity::Normal);
    }
    findings.sort_by_key(|f| f.severity);
    findings
}

struct CallView<'s> {
    store: &'s CallStore,
    msgs: Vec<(u32, &'s MessageRecord)>,
}

impl CallView<'_> {
    fn method(&self, m: &MessageRecord) -> &str {
        match m.kind {
            Kind::Request(sym) => self.store.strings.get(sym),
            Kind::Response(_) => "",
        }
    }

    /// The method a message's CSeq names.
    fn cseq_method(&self, m: &MessageRecord) -> &str {
        m.cseq.map_or("", |(_, sym)| self.store.strings.get(sym))
    }

    fn code(m: &MessageRecord) -> Option<u16> {
        match m.kind {
            Kind::Response(code) => Some(code),
            Kind::Request(_) => None,
        }
    }

    fn reason(&self, m: &MessageRecord) -> &str {
        m.reason.map_or("", |r| self.store.strings.get(r))
    }

    fn responses(&self) -> impl Iterator<Item = (u32, &MessageRecord, u16)> + '_ {
        self.msgs
            .iter()
            .filter_map(|&(i, m)| Self::code(m).map(|c| (i, m, c)))
    }
}

/// A request sent (and resent) that nothing ever answered.
fn no_response(v: &CallView<'_>, out: &mut Vec<Finding>) {
    let mut seen_methods: Vec<(u32, String)> = Vec::new();
    for &(i, m) in &v.msgs {
        let Kind::Request(_) = m.kind else { continue };
        let method = v.method(m);
        if method == "ACK" || m.retransmission {
            continue;
        }
        let answered = v.responses().any(|(_, r, _)| r.cseq == m.cseq);
        if answered
            || seen_methods
                .iter()
                .any(|(n, s)| Some(*n) == m.cseq.map(|c| c.0) && s == method)
        {
            continue;
        }
        seen_methods.push((m.cseq.map_or(0, |c| c.0), method.to_owned()));
        let copies: Vec<u32> = v
            .msgs
            .iter()
            .filter(|(_, o)| {
                o.cseq == m.cseq && matches!(o.kind, Kind::Request(_)) && v.method(o) == method
            })
            .map(|&(j, _)| j)
            .collect();
        let dst = v.store.endpoints.addr(m.dst);
        out.push(Finding {
            rule: "no-response",
            severity: Severity::Problem,
            title: match copies.len() {
                0 | 1 => format!("{method} sent to {dst} and never answered"),
                n => format!("{method} sent {n} times to {dst} and never answered"),
            },
            detail: "Not even a 100 Trying came back. Either the request never reached the far end, or its answers \
                     never reached this capture point: a firewall (iptables) dropping the traffic, an address banned \
                     by fail2ban after failed logins, or a wrong address or port for the peer."
                .into(),
            check: "Is the peer listening on that address and port? Firewall rules and fail2ban bans on both sides \
                    (fail2ban-client status); capture on the far side to see whether the request arrives.",
            evidence: if copies.is_empty() { vec![i] } else { copies },
            sources: NO_RESPONSE_SOURCES,
        });
    }
}

/// Pairs each 401/407 with what followed it: a repeat challenge or a 403.
fn challenges(v: &CallView<'_>, out: &mut Vec<Finding>) {
    let mut last_challenge: Option<(u32, String)> = None;
    for (i, m, code) in v.responses() {
        if m.retransmission || code < 200 {
            continue;
        }
        let method = v.cseq_method(m).to_owned();
        let after_challenge = last_challenge
            .as_ref()
            .filter(|(_, meth)| *meth == method)
            .map(|(j, _)| *j);
        match (code, after_challenge) {
            (401 | 407, Some(first)) => out.push(Finding {
                rule: "auth-repeat",
                severity: Severity::Problem,
                title: format!("{method} challenged again after it was resent with credentials"),
                detail: "A second challenge for the same request usually means Asterisk did not match the request \
                         to any endpoint: it then answers with a challenge that no password can meet (so scanners \
                         learn nothing). Suspect endpoint identification before the password."
                    .into(),
                check: "pjsip show endpoint <name>: does an endpoint named like the From user exist and load \
                        (typos in options stop it loading)? If peers are identified by address, a type=identify \
                        section with match= covering the source IP. Then the auth username (case counts) and realm.",
                evidence: vec![first, i],
                sources: AUTH_REPEAT_SOURCES,
            }),
            (403, Some(first)) if method != "REGISTER" => out.push(auth_rejected(&method, first, i)),
            (403, Some(first)) => {
                let mut f = auth_rejected(&method, first, i);
                f.detail.push_str(
                    " For a REGISTER, Asterisk also answers 403 when the AoR has no max_contacts or the new \
                     binding would exceed it.",
                );
                out.push(f);
            }
            _ => {}
        }
        last_challenge = matches!(code, 401 | 407).then_some((i, method));
    }
}

fn auth_rejected(method: &str, challenge: u32, refusal: u32) -> Finding {
    Finding {
        rule: "auth-rejected",
        severity: Severity::Problem,
        title: format!("{method} refused with 403 after its digest challenge"),
        detail: "The credentials sent in answer to the challenge were rejected: a wrong password, a user name in \
                 the wrong case, a realm that does not match, or an md5_cred not built from user:realm:password."
            .into(),
        check: "The username and password on the device against the auth section (username is case sensitive), \
                the realm in the challenge against the one the device uses, and md5_cred if set.",
        evidence: vec![challenge, refusal],
        sources: AUTH_REJECTED_SOURCES,
    }
}

/// Final answers that point at a cause on their own.
fn final_answers(v: &CallView<'_>, read: ReadBytes<'_>, out: &mut Vec<Finding>) {
    let challenged = |i: u32| {
        v.responses()
            .any(|(j, r, c)| j < i && matches!(c, 401 | 407) && v.cseq_method(r) == "REGISTER")
    };
    for (i, m, code) in v.responses() {
        if m.retransmission || code < 300 {
            continue;
        }
        let method = v.cseq_method(m);
        let reason = v.reason(m);
        match (method, code) {
            ("REGISTER", 403) if !challenged(i) => out.push(Finding {
                rule: "register-forbidden",
                severity: Severity::Problem,
                title: "REGISTER refused with 403 Forbidden".into(),
                detail: "Asterisk refuses a registration with 403 when the AoR has no max_contacts set, or when the \
                         new Contact would exceed max_contacts. With rewrite_contact on, one phone behind NAT can \
                         look like a new contact on every refresh and hit the limit."
                    .into(),
                check: "max_contacts on the AoR (at least 1); remove_existing=yes when a new registration should \
                        replace the old one; pjsip show aor <name> for the contacts already bound.",
                evidence: vec![i],
                sources: REGISTER_FORBIDDEN_SOURCES,
            }),
            ("INVITE", 404 | 484) => out.push(Finding {
                rule: "not-found",
                severity: Severity::Problem,
                title: format!("INVITE answered {code} {reason}"),
                detail: "The number dialled was not found where the call was routed: in Asterisk, no extension \
                         matching it in the context of the calling endpoint (484 when the digits are a prefix of \
                         something longer)."
                    .into(),
                check: "The endpoint's context= and the dialplan of that context (dialplan show <exten>@<context>); \
                        the CLI says which extension and context it searched.",
                evidence: vec![i],
                sources: NOT_FOUND_SOURCES,
            }),
            ("INVITE", 488 | 415 | 606) => out.push(codec_finding(code, reason, i)),
            ("INVITE", 480) if reason.to_ascii_lowercase().contains("codec") => out.push(codec_finding(code, reason, i)),
            _ => {}
        }
        if let Some(f) = hangup_cause(v, read, i, m, code) {
            out.push(f);
        }
    }
}

fn codec_finding(code: u16, reason: &str, i: u32) -> Finding {
    Finding {
        rule: "codec",
        severity: Severity::Problem,
        title: format!("INVITE answered {code} {reason}"),
        detail: "The far end found nothing acceptable in the offer: most often no codec in common, sometimes media \
                 settings that disagree (encryption on one side only) or a private media address."
            .into(),
        check: "The m= and a=rtpmap lines of the offer against the allow= list of the endpoint or trunk; the c= \
                address of the offer.",
        evidence: vec![i],
        sources: CODEC_SOURCES,
    }
}

/// Asterisk's X-Asterisk-HangupCause / -HangupCauseCode on a failure.
fn hangup_cause(
    v: &CallView<'_>,
    read: ReadBytes<'_>,
    i: u32,
    m: &MessageRecord,
    code: u16,
) -> Option<Finding> {
    if code < 400 {
        return None;
    }
    let bytes = read(m)?;
    let msg = sip::parse(&bytes)?;
    let mut cause = None;
    let mut cause_code = None;
    for h in msg.header_lines() {
        if h.name.eq_ignore_ascii_case(b"X-Asterisk-HangupCause") {
            cause = Some(String::from_utf8_lossy(&h.value).into_owned());
        } else if h.name.eq_ignore_ascii_case(b"X-Asterisk-HangupCauseCode") {
            cause_code = Some(String::from_utf8_lossy(&h.value).into_owned());
        }
    }
    let cause = cause?;
    let number = cause_code.as_deref().unwrap_or("?");
    Some(Finding {
        rule: "hangup-cause",
        severity: Severity::Problem,
        title: format!("{code} {} with Asterisk hangup cause {number}: {cause}", v.reason(m)),
        detail: format!(
            "Asterisk wrote why it hung up: cause {number} ({cause}), a Q.850 cause code. It names what failed \
             behind Asterisk (the dialled channel, the trunk, routing) rather than the SIP exchange itself."
        ),
        check: "The Asterisk log around this time for the channel that failed; for 'no route' or 'unallocated \
                number' causes, the dialplan and trunk the call was sent to.",
        evidence: vec![i],
        sources: HANGUP_CAUSE_SOURCES,
    })
}

/// A 2xx to INVITE resent with no ACK behind it.
fn missing_ack(v: &CallView<'_>, out: &mut Vec<Finding>) {
    for (i, m, code) in v.responses() {
        if !(200..300).contains(&code) || v.cseq_method(m) != "INVITE" || m.retransmission {
            continue;
        }
        let resent: Vec<u32> = v
            .responses()
            .filter(|(_, r, c)| *c == code && r.retransmission && r.cseq == m.cseq)
            .map(|(j, _, _)| j)
            .collect();
        let acked = v.msgs.iter().any(|(j, o)| {
            *j > i && v.method(o) == "ACK" && o.cseq.map(|c| c.0) == m.cseq.map(|c| c.0)
        });
        if resent.is_empty() || acked {
            continue;
        }
        let bye = v
            .msgs
            .iter()
            .find(|(j, o)| *j > i && v.method(o) == "BYE")
            .map(|&(j, o)| (j, o.ts.micros_since(m.ts)));
        let mut evidence = vec![i];
        evidence.extend(&resent);
        let mut detail = format!(
            "The answer was resent {} times and no ACK came back. The ACK for a 200 OK goes end to end to the \
             Contact (and Record-Route) of the answer; when that address is private or unroutable, the ACK never \
             arrives.",
            resent.len()
        );
        if let Some((j, after)) = bye {
            evidence.push(j);
            detail.push_str(&format!(
                " The BYE {:.1} s after the answer is the callee giving up (it waits 32 s, 64 x T1).",
                after as f64 / 1e6
            ));
        }
        out.push(Finding {
            rule: "no-ack",
            severity: Severity::Problem,
            title: "200 OK resent without an ACK".into(),
            detail,
            check: "The Contact and Record-Route of the 200 OK: a private address needs rewrite_contact / \
                    external_signaling_address on the Asterisk side, or a fixed NAT on the phone side; the caller's \
                    firewall for the return path.",
            evidence,
            sources: NO_ACK_SOURCES,
        });
    }
}

/// Any other failure answer, explained from the response code knowledge base
/// (408 timer B/F, 482 loop, 483 Max-Forwards, 422 Min-SE, 481 no dialog, ...).
fn other_failures(v: &CallView<'_>, out: &mut Vec<Finding>) {
    for (i, m, code) in v.responses() {
        let covered = out.iter().any(|f| f.evidence.contains(&i));
        // 422 / 423 ask for a longer interval; a retry that then succeeds
        // is the protocol working (RFC 4028, RFC 3261 10.3).
        let retried_fine = matches!(code, 422 | 423)
            && v.responses().any(|(j, r, c)| {
                j > i && (200..300).contains(&c) && v.cseq_method(r) == v.cseq_method(m)
            });
        if retried_fine {
            continue;
        }
        // Challenges are steps, busy and cancel are normal endings.
        if m.retransmission || code < 400 || covered || matches!(code, 401 | 407 | 486 | 487 | 600)
        {
            continue;
        }
        let e = super::explain_code(code);
        let mut detail = e.meaning().to_owned();
        if let Some((cause, _)) = e.cause() {
            detail.push(' ');
            detail.push_str(cause);
        }
        out.push(Finding {
            rule: failure_rule(code),
            severity: Severity::Problem,
            title: format!("{} answered {code} {}", v.cseq_method(m), v.reason(m)),
            detail,
            check: e.check(),
            evidence: vec![i],
            sources: e.sources(),
        });
    }
}

/// A failure's rule name: one word the call list can show.
fn failure_rule(code: u16) -> &'static str {
    match code {
        408 => "timeout",
        422 => "session-timer",
        423 => "interval-too-brief",
        481 => "no-dialog",
        482 => "loop",
        483 => "too-many-hops",
        500..=599 => "server-failure",
        600..=699 => "global-failure",
        _ => "failure",
    }
}

/// Normal endings, named so the engineer can stop looking.
fn endings(v: &CallView<'_>, out: &mut Vec<Finding>) {
    for (i, m, code) in v.responses() {
        if m.retransmission {
            continue;
        }
        let method = v.cseq_method(m);
        let normal = match (method, code) {
            ("INVITE", 487) => Some((
                "cancelled",
                "Cancelled by the caller",
                "The caller gave up before the answer (CANCEL, then 487 for the INVITE): a normal ending.",
            )),
            ("BYE", 200..=299) => Some((
                "completed",
                "Completed normally",
                "The call was answered and then hung up with a BYE that was answered 200.",
            )),
            ("INVITE", 486 | 600) => Some((
                "busy",
                "Callee busy",
                "The callee was busy: a normal answer, not a fault in the network.",
            )),
            _ => None,
        };
        if let Some((rule, title, detail)) = normal {
            out.push(Finding {
                rule,
                severity: Severity::Normal,
                title: title.into(),
                detail: detail.into(),
                check: "",
                evidence: vec![i],
                sources: NORMAL_SOURCES,
            });
        }
    }
}

/// What the addresses inside a message say, next to where it came from.
struct Inside {
    source: IpAddr,
    contact: Option<IpAddr>,
    via: Option<IpAddr>,
    sdp: Option<Sdp>,
}

fn inside(v: &CallView<'_>, read: ReadBytes<'_>, m: &MessageRecord) -> Option<Inside> {
    let bytes = read(m)?;
    let msg = sip::parse(&bytes)?;
    let contact = msg
        .headers
        .contact
        .as_deref()
        .and_then(|c| host_addr(NameAddr::parse(c).uri));
    let via = msg
        .top_via()
        .and_then(|via: Via<'_>| host_addr(via.sent_by));
    let sdp = msg.has_sdp().then(|| Sdp::parse(msg.body));
    Some(Inside {
        source: v.store.endpoints.addr(m.src).ip(),
        contact,
        via,
        sdp,
    })
}

/// Private addresses written into signalling or SDP by a peer whose packets
/// come from elsewhere (NAT), the DTMF offer left unanswered, and an answer
/// whose codecs the offer never had.
fn media_and_nat(v: &CallView<'_>, read: ReadBytes<'_>, out: &mut Vec<Finding>) {
    let mut nat: Vec<(u32, String)> = Vec::new();
    let mut offer: Option<(u32, Sdp)> = None;
    for &(i, m) in &v.msgs {
        if m.retransmission {
            continue;
        }
        let interesting = matches!(v.method(m), "INVITE" | "REGISTER" | "UPDATE")
            || matches!(CallView::code(m), Some(200..=299)) && v.cseq_method(m) == "INVITE";
        if !interesting {
            continue;
        }
        let Some(ins) = inside(v, read, m) else {
            continue;
        };
        let hidden = |addr: Option<IpAddr>| behind_nat(addr, Some(ins.source));
        if let Some(a) = hidden(ins.contact) {
            nat.push((i, format!("Contact {a}")));
        }
        if let Some(a) = hidden(ins.via) {
            nat.push((i, format!("Via {a}")));
        }
        let media = ins
            .sdp
            .as_ref()
            .and_then(|s| s.audio().and_then(|a| s.media_address(a)));
        if let Some(a) = hidden(media) {
            nat.push((i, format!("SDP c= {a}")));
        }
        let Some(sdp) = ins.sdp else { continue };
        match (v.method(m), CallView::code(m)) {
            ("INVITE", _) if offer.is_none() => offer = Some((i, sdp)),
            (_, Some(_)) => {
                if let Some((o, offered)) = offer.take() {
                    compare_offer_answer(o, &offered, i, &sdp, out);
                }
            }
            _ => {}
        }
    }
    if nat.is_empty() {
        return;
    }
    let said: Vec<String> = nat.iter().map(|(_, s)| s.clone()).collect();
    let mut evidence: Vec<u32> = nat.iter().map(|(i, _)| *i).collect();
    evidence.dedup();
    out.push(Finding {
        rule: "nat",
        severity: Severity::Warning,
        title: format!("Private address inside the messages: {}", said.join(", ")),
        detail: "A peer wrote a private address into its signalling or SDP while its packets come from another \
                 address: it sits behind NAT. Replies sent to the Contact, or RTP sent to the SDP address, will \
                 not reach it: expect calls that drop after about 32 s or one-way audio. On Asterisk, force_rport \
                 answers to where the request came from, rewrite_contact stores the real source as the contact, \
                 and local_net with external_signaling_address / external_media_address makes Asterisk announce \
                 its public address."
            .into(),
        check: "force_rport, rewrite_contact and rtp_symmetric on the endpoint; local_net, \
                external_signaling_address and external_media_address on the transport; the phone's own NAT / \
                STUN settings.",
        evidence,
        sources: NAT_SOURCES,
    });
}

fn compare_offer_answer(o: u32, offer: &Sdp, a: u32, answer: &Sdp, out: &mut Vec<Finding>) {
    let (Some(om), Some(am)) = (offer.audio(), answer.audio()) else {
        return;
    };
    let names = |m: &sip::Media| -> Vec<String> {
        m.payloads
            .iter()
            .map(|&pt| m.codec(pt).to_ascii_uppercase())
            .filter(|n| n != "TELEPHONE-EVENT")
            .collect()
    };
    let (offered, answered) = (names(om), names(am));
    if am.port != 0 && !answered.is_empty() && !answered.iter().any(|c| offered.contains(c)) {
        out.push(Finding {
            rule: "codec",
            severity: Severity::Problem,
            title: format!(
                "No common codec: offered {}, answered {}",
                offered.join(" "),
                answered.join(" ")
            ),
            detail: "The answer lists only codecs the offer did not have, so the two sides cannot agree on how to \
                     encode audio: expect silence or a quick hang-up."
                .into(),
            check: "allow= on both endpoints or trunks; the codecs the phone or provider supports.",
            evidence: vec![o, a],
            sources: CODEC_SOURCES,
        });
    }
    if om.has_telephone_event() && !am.has_telephone_event() {
        out.push(Finding {
            rule: "dtmf",
            severity: Severity::Warning,
            title: "telephone-event offered but not answered: DTMF keys may not arrive".into(),
            detail: "The offer proposed RFC 4733 telephone-events for DTMF and the answer left them out, so keys \
                     pressed will not be sent as RTP events; unless both sides agree on SIP INFO or in-band DTMF, an \
                     IVR will not hear them."
                .into(),
            check: "dtmf_mode on both endpoints (rfc4733, info, inband, auto) and the telephone-event rtpmap in \
                    both SDPs.",
            evidence: vec![o, a],
            sources: DTMF_SOURCES,
        });
    }
}

/// Pairs each challenge with the request sent after it and checks what can
/// be checked without the password.
fn auth_checks(v: &CallView<'_>, read: ReadBytes<'_>, out: &mut Vec<Finding>) {
    for (i, m, code) in v.responses() {
        if m.retransmission || !matches!(code, 401 | 407) {
            continue;
        }
        let method = v.cseq_method(m);
        let Some(&(r, retry)) = v
            .msgs
            .iter()
            .find(|(j, o)| *j > i && !o.retransmission && v.method(o) == method && o.src == m.dst)
        else {
            continue;
        };
        let (Some(cb), Some(rb)) = (read(m), read(retry)) else {
            continue;
        };
        let (Some(cmsg), Some(rmsg)) = (sip::parse(&cb), sip::parse(&rb)) else {
            continue;
        };
        let (ch_name, cr_name) = if code == 407 {
            ("Proxy-Authenticate", "Proxy-Authorization")
        } else {
            ("WWW-Authenticate", "Authorization")
        };
        let Some(ch) = cmsg.header(ch_name).map(|h| digest::challenge(&h)) else {
            continue;
        };
        let mut issues: Vec<String> = Vec::new();
        let mut serious = false;
        match rmsg.header(cr_name).map(|h| digest::credentials(&h)) {
            None => {
                issues.push(format!(
                    "the {method} sent after the challenge carries no {cr_name}"
                ));
                serious = true;
            }
            Some(cr) => {
                let differs =
                    |a: &Option<String>, b: &Option<String>| a.is_some() && b.is_some() && a != b;
                if differs(&cr.realm, &ch.realm) {
                    issues.push(format!(
                        "realm {:?} answers a challenge for realm {:?}",
                        cr.realm.as_deref().unwrap_or(""),
                        ch.realm.as_deref().unwrap_or("")
                    ));
                    serious = true;
                }
                if differs(&cr.nonce, &ch.nonce) {
                    issues.push("the credentials use another nonce than the challenge gave (an old one reused?)".into());
                }
                let from_user = rmsg
                    .from()
                    .and_then(|f| f.user())
                    .map(|u| String::from_utf8_lossy(u).into_owned());
                if let (Some(user), Some(from)) = (&cr.username, &from_user) {
                    if user != from {
                        issues.push(format!(
                            "username {user:?} differs from the From user {from:?} (Asterisk identifies the endpoint by the From user)"
                        ));
                    }
                }
                if let (Some(uri), StartLine::Request { uri: ruri, .. }) = (&cr.uri, rmsg.start) {
                    if uri.as_bytes() != ruri {
                        issues.push(format!(
                            "digest uri {uri:?} is not the request URI {:?}",
                            String::from_utf8_lossy(ruri)
                        ));
                    }
                }
                let algorithm = cr.algorithm.as_ref().or(ch.algorithm.as_ref());
                if algorithm.is_some_and(|a| !a.eq_ignore_ascii_case("MD5")) {
                    issues.push(format!(
                        "algorithm {} (Asterisk's digest supports MD5 only)",
                        algorithm.map_or("", String::as_str)
                    ));
                }
                if ch.qop.is_some() && (cr.qop.is_none() || cr.nc.is_none() || cr.cnonce.is_none())
                {
                    issues
                        .push("qop was offered but the credentials lack qop, nc or cnonce".into());
                    serious = true;
                }
            }
        }
        if ch
            .stale
            .as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case("true"))
        {
            issues.push("the challenge says stale=true: the nonce had expired, so a retry with the new nonce is expected and normal".into());
        }
        if issues.is_empty() {
            continue;
        }
        out.push(Finding {
            rule: "auth-check",
            severity: if serious { Severity::Problem } else { Severity::Warning },
            title: format!("{method} credentials checked against the {code} challenge: {} finding(s)", issues.len()),
            detail: format!("Comparing the challenge with the request sent after it: {}.", issues.join("; ")),
            check: "The auth section's username and realm against the device's settings; the device's digest \
                    algorithm (MD5); whether the device reuses an old nonce.",
            evidence: vec![i, r],
            sources: AUTH_REJECTED_SOURCES,
        });
    }
}

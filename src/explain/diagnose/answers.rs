//! Final answers that point at a cause, read with their values: the event
//! package of a SUBSCRIBE, what an unacceptable offer held, a Q.850 cause, a
//! Warning code, how fast a 603 came, whether the callee of a 404 was
//! registered; anything else from the response code knowledge base.

use super::call_view::{CallView, Facts};
use super::evidence::CaptureEvidence;
use super::finding::{span, Finding, Severity};
use super::offer;
use super::stack::{fit_text, Advice, LazyStack};
use crate::calls::MessageRecord;
use crate::explain::q850;
use crate::explain::sources::{Source::*, SourceRef};

const NOT_FOUND_SOURCES: &[SourceRef] = &[
    SourceRef::at(
        PjsipTroubleshooting,
        "Asterisk cannot find the specified extension",
    ),
    SourceRef::at(Rfc3261, "21.4.5"),
];
const UNAVAILABLE_SOURCES: &[SourceRef] = &[
    SourceRef::at(SngrepDumpReading, "response code table"),
    SourceRef::at(PjsipTroubleshooting, "Asterisk cannot route my call"),
    SourceRef::at(Rfc3261, "21.4.18"),
];
const FORBIDDEN_SOURCES: &[SourceRef] = &[
    SourceRef::at(SngrepDumpReading, "INVITE rejection causes"),
    SourceRef::at(PjsipTroubleshooting, "Inbound Registrations"),
    SourceRef::at(Rfc3261, "21.4.4"),
];
const REGISTER_FORBIDDEN_SOURCES: &[SourceRef] = &[
    SourceRef::at(PjsipTroubleshooting, "Inbound Registrations"),
    SourceRef::doc(MaxContacts),
];
const OFFER_SOURCES: &[SourceRef] = &[
    SourceRef::at(Rfc3264, "5.1"),
    SourceRef::at(Rfc3261, "21.4.26"),
    SourceRef::at(SngrepDumpReading, "response code table"),
];
const EVENT_SOURCES: &[SourceRef] = &[
    SourceRef::at(
        PjsipTroubleshooting,
        "Inbound Subscriptions: Presence/Dialog Info, MWI",
    ),
    SourceRef::at(Rfc6665, "8.3.2"),
];
const CAUSE_SOURCES: &[SourceRef] = &[
    SourceRef::at(SngrepDumpReading, "INVITE rejection causes"),
    SourceRef::at(Rfc3261, "20.43"),
];
const DECLINE_SOURCES: &[SourceRef] = &[SourceRef::at(Rfc3261, "21.6.2")];

const NOT_FOUND: Advice = Advice {
    pjsip: "The calling endpoint's context= in pjsip.conf and that context in the dialplan (dialplan show \
            <number>@<context>); the CLI says which extension and context it searched.",
    chan_sip: "The calling peer's context= in sip.conf and that context in extensions.conf (dialplan show \
               <number>@<context>); with verbose logging the CLI says which extension and context it searched.",
    plain: "The server's routing for that number (its dialplan, routing table or location service) and whether \
            the user exists there.",
};
const UNAVAILABLE: Advice = Advice {
    pjsip: "pjsip show aor <user>: an AoR without contacts answers 480 (or 404); Do Not Disturb on the phone.",
    chan_sip: "sip show peers: the callee UNREACHABLE or UNKNOWN (not registered, qualify failing); Do Not \
               Disturb on the phone.",
    plain: "Whether the callee is registered and reachable at the moment of the call; Do Not Disturb on its \
            device.",
};
const FORBIDDEN: Advice = Advice {
    pjsip: "An acl / contact_acl on the endpoint or in acl.conf that refuses the address; an endpoint that \
            could not be identified (identify / match=); the calling endpoint's allowed destinations.",
    chan_sip: "permit= / deny= and allowguest in sip.conf; insecure= for a trunk that does not authenticate; a \
               peer that matched another entry than intended.",
    plain: "The server's access rules for this caller (address lists, accounts, call permissions).",
};
const REGISTER_FORBIDDEN: Advice = Advice {
    pjsip: "max_contacts on the AoR (at least 1; 0 disables registration); remove_existing=yes when a new \
            registration should replace the old one; pjsip show aor <name> for the contacts already bound; \
            contact_acl.",
    chan_sip: "The peer in sip.conf: type=friend or peer with host=dynamic (a static host cannot register), \
               permit= / deny=, and the peer name matching the To user.",
    plain: "Whether the server allows this user to register from this address.",
};

/// The request a response answers (first copy).
fn request_of<'s>(v: &CallView<'s>, m: &MessageRecord) -> Option<(usize, u32, &'s MessageRecord)> {
    v.requests()
        .find(|(_, _, r)| r.cseq == m.cseq && v.method(r) == v.cseq_method(m))
}

/// Q.850 cause and Warning code of a response, as a sentence each.
fn causes(f: Option<&Facts>) -> Vec<String> {
    let Some(f) = f else { return Vec::new() };
    let mut said = Vec::new();
    if let Some(n) = f.reason.as_deref().and_then(q850::reason_cause) {
        match q850::cause(n) {
            Some((name, note)) => said.push(format!("Reason: Q.850 cause {n} ({name}): {note}.")),
            None => said.push(format!("Reason: Q.850 cause {n}.")),
        }
    }
    if let Some((code, meaning, text)) = f.warning.as_deref().and_then(q850::warning) {
        let text = if text.is_empty() {
            String::new()
        } else {
            format!(" \"{text}\"")
        };
        said.push(format!("Warning {code} ({meaning}){text}."));
    }
    said
}

pub fn final_answers(
    v: &CallView<'_>,
    stack: &LazyStack<'_>,
    evidence: &CaptureEvidence,
    out: &mut Vec<Finding>,
) {
    let confirmed = v
        .responses()
        .find(|(_, _, r, c)| (200..300).contains(c) && v.cseq_method(r) == "INVITE")
        .map(|(_, _, r, _)| r.ts);
    for (k, i, m, code) in v.responses() {
        // A failure the authentication, probe or forgery rules already read is
        // theirs.
        let read_by_auth = out.iter().any(|f| {
            (f.rule.starts_with("auth-") || matches!(f.rule, "scanner" | "forged"))
                && f.evidence.contains(&i)
        });
        // A 3xx redirect is a step (the call is diverted), not a failure.
        if m.retransmission || code < 400 || read_by_auth {
            continue;
        }
        let method = v.cseq_method(m);
        let reason = v.reason(m);
        let req = request_of(v, m);
        let in_dialog = confirmed.is_some_and(|t| req.is_some_and(|(_, _, r)| r.ts > t));
        // Challenges, busy, cancel and a brief interval retried well are
        // steps of the protocol, read elsewhere.
        let retried_fine = matches!(code, 422 | 423)
            && v.responses()
                .any(|(j, _, r, c)| j > k && (200..300).contains(&c) && v.cseq_method(r) == method);
        if retried_fine
            || matches!(code, 401 | 407)
            || method == "INVITE" && matches!(code, 486 | 487 | 600)
        {
            continue;
        }
        let causes = causes(v.facts(k));
        let mut f = match (method, code) {
            ("INVITE", 403) => simple(
                "forbidden",
                Severity::Problem,
                format!("INVITE refused with 403 {reason}"),
                "The server refused the call without asking for credentials: a policy or access rule, not a \
                 password (a wrong password follows a challenge)."
                    .into(),
                stack.pick(&FORBIDDEN),
                FORBIDDEN_SOURCES,
            ),
            ("REGISTER", 403) => simple(
                "register-forbidden",
                Severity::Problem,
                format!("REGISTER refused with 403 {reason}"),
                "The registrar refused the binding without a challenge: this user may not register from here, \
                 or (Asterisk PJSIP) the AoR has no max_contacts or is full."
                    .into(),
                stack.pick(&REGISTER_FORBIDDEN),
                REGISTER_FORBIDDEN_SOURCES,
            ),
            ("INVITE", 480) if reason.to_ascii_lowercase().contains("codec") => {
                offer_refused(v, m, req, code)
            }
            ("INVITE", 404 | 484 | 604 | 410 | 480) if !in_dialog => callee_missing(v, stack, evidence, m, req, code),
            ("INVITE", 603) if !in_dialog => {
                let mut f = declined(v, m, req);
                if f.rule == "declined" {
                    let user = req
                        .and_then(|(k, _, _)| v.facts(k).and_then(|f| f.uri_user.clone()))
                        .or_else(|| v.call.to.user.as_deref().map(str::to_owned));
                    if let Some(u) = user {
                        f.detail.push_str(&registration_story(evidence, &u, m, v, false));
                    }
                }
                f
            }
            ("INVITE", 488 | 415 | 606) => offer_refused(v, m, req, code),
            ("SUBSCRIBE" | "PUBLISH" | "NOTIFY", _) => event_refused(v, evidence, m, req, code),
            _ => generic(v, stack, m, code, method, in_dialog),
        };
        f.evidence.insert(0, i);
        if let Some((_, r, _)) = req {
            if !f.evidence.contains(&r) {
                f.evidence.insert(0, r);
            }
        }
        for c in &causes {
            f.detail.push(' ');
            f.detail.push_str(c);
        }
        // What Asterisk wrote of the cause says more than the code.
        out.extend(hangup_cause(v, k, i, m, code));
        out.push(f);
    }
}

fn simple(
    rule: &'static str,
    severity: Severity,
    title: String,
    detail: String,
    check: String,
    sources: &'static [SourceRef],
) -> Finding {
    Finding {
        rule,
        severity,
        title,
        detail,
        check,
        evidence: Vec::new(),
        sources,
    }
}

/// Where the callee's registrations stand at the time of the call. With
/// `dialplan_lead`, a registration on the very server that answered points
/// at the routing of the number (a 404's reading).
fn registration_story(
    evidence: &CaptureEvidence,
    user: &str,
    at: &MessageRecord,
    v: &CallView<'_>,
    dialplan_lead: bool,
) -> String {
    let regs = evidence.registrations(user);
    let before = regs.iter().rev().find(|r| r.at <= at.ts);
    let after = regs.iter().find(|r| r.at > at.ts);
    let answered_by = v.addr(at.src).ip();
    match (before, after) {
        (Some(r), _) => {
            let here = match (r.registrar.ip() == answered_by, dialplan_lead) {
                (true, true) => {
                    " with the very server that gave this answer: the user exists there as a device, so the lead \
                     is the routing of the number (the dialplan / context of the caller), not the registration"
                }
                (true, false) => " with the very server that gave this answer",
                _ => "",
            };
            format!(
                " {user} registered {} before this answer (from {}, with {}){here}.",
                span(at.ts.micros_since(r.at)),
                r.phone,
                r.registrar
            )
        }
        (None, Some(r)) => format!(
            " {user} registered only {} after this answer (from {}, with {}): at the time of the call it had \
             no binding in this capture.",
            span(r.at.micros_since(at.ts)),
            r.phone,
            r.registrar
        ),
        (None, None) => format!(
            " No accepted REGISTER of {user} is in this capture (it may have registered before the capture \
             started)."
        ),
    }
}

fn callee_missing(
    v: &CallView<'_>,
    stack: &LazyStack<'_>,
    evidence: &CaptureEvidence,
    m: &MessageRecord,
    req: Option<(usize, u32, &MessageRecord)>,
    code: u16,
) -> Finding {
    let reason = v.reason(m);
    let user = req
        .and_then(|(k, _, _)| {
            v.facts(k)
                .and_then(|f| f.uri_user.clone().or(f.to_user.clone()))
        })
        .or_else(|| v.call.to.user.as_deref().map(str::to_owned));
    let story = user
        .as_deref()
        .map(|u| registration_story(evidence, u, m, v, code != 480))
        .unwrap_or_default();
    let (rule, detail, advice, sources) = match code {
        480 => (
            "unavailable",
            "The callee could not be reached at the moment: not registered (no contact bound), its device \
             switched off or unreachable, or Do Not Disturb on it."
                .to_owned(),
            &UNAVAILABLE,
            UNAVAILABLE_SOURCES,
        ),
        484 => (
            "not-found",
            "The number dialled is a prefix of something longer: the server waited for more digits.".to_owned(),
            &NOT_FOUND,
            NOT_FOUND_SOURCES,
        ),
        _ => (
            "not-found",
            "The number dialled was not found where the call was routed (on Asterisk: no extension matching \
             it in the context of the calling device)."
                .to_owned(),
            &NOT_FOUND,
            NOT_FOUND_SOURCES,
        ),
    };
    simple(
        rule,
        Severity::Problem,
        format!("INVITE answered {code} {reason}"),
        detail + &story,
        stack.pick(advice),
        sources,
    )
}

fn declined(
    v: &CallView<'_>,
    m: &MessageRecord,
    req: Option<(usize, u32, &MessageRecord)>,
) -> Finding {
    let reason = v.reason(m);
    let rang =
        req.is_some_and(|(_, _, r)| v.answers_to(r).any(|(_, _, _, c)| (180..=183).contains(&c)));
    let after = req.map_or(i64::MAX, |(_, _, r)| m.ts.micros_since(r.ts));
    if !rang && after < 1_000_000 {
        return simple(
            "refused",
            Severity::Problem,
            format!("INVITE answered 603 {reason} {} after it was sent, without ringing", span(after)),
            "No person declines a call that fast and unseen: the 603 came from a server or proxy on the way (a \
             call policy, a blocked or anonymous caller, a barred destination, an overload guard)."
                .into(),
            "The server that sent the 603 (its address is on the answer): its logs and call policies for this \
             caller and number."
                .into(),
            DECLINE_SOURCES,
        );
    }
    simple(
        "declined",
        Severity::Problem,
        format!("INVITE answered 603 {reason}"),
        "The callee (or its device) declined the call after it was offered to it.".into(),
        "Whether the callee rejected it on purpose; call rejection rules on its device.".into(),
        DECLINE_SOURCES,
    )
}

fn offer_refused(
    v: &CallView<'_>,
    m: &MessageRecord,
    req: Option<(usize, u32, &MessageRecord)>,
    code: u16,
) -> Finding {
    let reason = v.reason(m);
    let sdp = req
        .and_then(|(k, _, _)| v.facts(k))
        .and_then(|f| f.sdp.as_ref());
    let unusable = sdp.map(offer::unusable).unwrap_or_default();
    if !unusable.is_empty() {
        return simple(
            "unusable-offer",
            Severity::Problem,
            format!("INVITE answered {code} {reason}: the offer had no usable media ({})", unusable.join(", ")),
            format!(
                "The offer itself asked for no active stream ({}): a line with its media disabled, a client that \
                 starts on hold, or a broken client. Nothing in it could be accepted, whatever the codecs: the \
                 cause is the offer, not a codec mismatch.",
                unusable.join(", ")
            ),
            "The caller's media settings for this line or account (audio enabled, codecs ticked, no \
             start-on-hold), and its software version."
                .into(),
            OFFER_SOURCES,
        );
    }
    let offered = sdp.map_or_else(|| "no SDP".to_owned(), offer::summary);
    simple(
        "codec",
        Severity::Problem,
        format!("INVITE answered {code} {reason}"),
        format!(
            "The far end found nothing acceptable in the offer ({offered}): most often no codec in common, \
             sometimes media settings that disagree (encryption on one side only) or a media address it refuses."
        ),
        "The m= and a=rtpmap lines of the offer against the codecs the far end allows (allow= on Asterisk \
         endpoints, peers and trunks); the c= address of the offer."
            .into(),
        OFFER_SOURCES,
    )
}

fn event_refused(
    v: &CallView<'_>,
    evidence: &CaptureEvidence,
    m: &MessageRecord,
    req: Option<(usize, u32, &MessageRecord)>,
    code: u16,
) -> Finding {
    let method = v.cseq_method(m);
    let reason = v.reason(m);
    let rf = req.and_then(|(k, _, _)| v.facts(k));
    let package = rf
        .and_then(Facts::event_package)
        .unwrap_or_else(|| "?".into());
    let title = format!("{method} (Event: {package}) answered {code} {reason}");
    let feature = match package.as_str() {
        "message-summary" => "message waiting (voicemail) indication",
        "presence" | "presence.winfo" => "presence",
        "dialog" => "busy lamps (BLF)",
        "reg" => "registration state",
        _ => "the feature that uses it",
    };
    if code == 489 {
        return simple(
            "event-unsupported",
            Severity::Info,
            title,
            format!(
                "The server does not implement the event package {package} (chan_sip, for one, has no \
                 presence.winfo): the phone's {feature} will not work with it. Harmless for calls."
            ),
            "Nothing for calls; turn the feature off on the phone to stop the noise.".into(),
            EVENT_SOURCES,
        );
    }
    let from_user = rf.and_then(|f| f.from_user.clone());
    let registrar = from_user
        .as_deref()
        .and_then(|u| evidence.registrations(u).last().map(|r| r.registrar));
    let elsewhere = registrar.filter(|r| r.ip() != v.addr(m.src).ip());
    if let Some(r) = elsewhere {
        return simple(
            "event-wrong-server",
            Severity::Warning,
            title,
            format!(
                "The phone registers with {r}, but sent this subscription to {}, which does not know it: its \
                 {feature} never works.",
                v.addr(m.src)
            ),
            format!("The phone's server setting for {feature} (for voicemail: the MWI / voicemail server or subscribe address)."),
            EVENT_SOURCES,
        );
    }
    if code == 404 && method == "SUBSCRIBE" {
        let what = match package.as_str() {
            "message-summary" => "no voicemail mailbox is configured for this user",
            "presence" | "dialog" => "no hint ties this extension to a device in the dialplan",
            _ => "the resource subscribed to does not exist on the server",
        };
        return simple(
            "event-not-found",
            Severity::Info,
            title,
            format!("The server has nothing to report for {package}: {what}. The phone's {feature} stays empty; harmless for calls."),
            "If the feature is wanted: the mailbox (mailbox= on a chan_sip peer, mailboxes= on a PJSIP AoR) or \
             the dialplan hint for the extension, in the caller's context."
                .into(),
            EVENT_SOURCES,
        );
    }
    simple(
        "event-refused",
        Severity::Warning,
        title,
        format!("The server refused the {method}: the phone's {feature} does not work. Calls are not affected."),
        crate::explain::explain_code(code).check().to_owned(),
        EVENT_SOURCES,
    )
}

/// A rule name for a failure the knowledge base explains.
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

fn generic(
    v: &CallView<'_>,
    stack: &LazyStack<'_>,
    m: &MessageRecord,
    code: u16,
    method: &str,
    in_dialog: bool,
) -> Finding {
    let e = crate::explain::explain_code(code);
    let mut detail = fit_text(e.meaning(), stack.get());
    if let Some((cause, _)) = e.cause() {
        let cause = fit_text(cause, stack.get());
        if !cause.is_empty() {
            detail.push(' ');
            detail.push_str(&cause);
        }
    }
    // The call or registration failed; anything else is a risk.
    let fails = matches!(method, "REGISTER") || method == "INVITE" && !in_dialog;
    let severity = match (method, code) {
        ("CANCEL", 481) => Severity::Info,
        _ if fails => Severity::Problem,
        _ => Severity::Warning,
    };
    let mut check = fit_text(e.check(), stack.get());
    if check.is_empty() {
        check = "The far end's logs for this request.".into();
    }
    simple(
        failure_rule(code),
        severity,
        format!("{method} answered {code} {}", v.reason(m)),
        detail,
        check,
        e.sources(),
    )
}

/// Asterisk's X-Asterisk-HangupCause / -HangupCauseCode on a failure.
fn hangup_cause(
    v: &CallView<'_>,
    k: usize,
    i: u32,
    m: &MessageRecord,
    code: u16,
) -> Option<Finding> {
    if code < 400 {
        return None;
    }
    let f = v.facts(k)?;
    let cause = f.hangup_cause.as_deref()?;
    let number = f.hangup_code.as_deref().unwrap_or("?");
    let q = number.trim().parse().ok().and_then(q850::cause);
    Some(Finding {
        rule: "hangup-cause",
        severity: Severity::Problem,
        title: format!("{code} {} with Asterisk hangup cause {number}: {cause}", v.reason(m)),
        detail: format!(
            "Asterisk wrote why it hung up: Q.850 cause {number}{}. It names what failed behind Asterisk (the \
             dialled channel, the trunk, routing) rather than the SIP exchange itself.",
            q.map_or_else(String::new, |(name, note)| format!(" ({name}): {note}"))
        ),
        check: "The Asterisk log around this time for the channel that failed; for 'no route' or 'unallocated \
                number' causes, the dialplan and trunk the call was sent to."
            .into(),
        evidence: vec![i],
        sources: CAUSE_SOURCES,
    })
}

//! 1xx: provisional responses.

use super::{at, doc, CodeInfo};
use crate::explain::sources::{
    Basis::{Documented, General},
    Source::*,
};

pub(super) static CODES: [CodeInfo; 6] = [
    CodeInfo {
        code: 100,
        reason: "Trying",
        meaning: "The next hop has the request and is working on it. It is local to that hop: it stops the sender retransmitting the INVITE but says nothing about the far end.",
        cause: "Asterisk sends it once an INVITE (with valid credentials, when auth is configured) is taken for processing; in a normal call 180 Ringing or 183 follows.",
        cause_basis: Documented,
        check: "If 100 is the last response, the next hop took the call but heard nothing further on: follow the next leg of the call.",
        challenge: None,
        sources: &[
            at(Rfc3261, "21.1.1"),
            at(SngrepDumpReading, "call examples"),
            at(SipIntroPjsip, "Most Common SIP Messages"),
        ],
    },
    CodeInfo {
        code: 180,
        reason: "Ringing",
        meaning: "The callee's device has the INVITE and is alerting the user. It usually has no SDP, so the caller's own device plays the ringback tone.",
        cause: "Ordinary call progress; it may be sent more than once while the phone rings, until it is answered or the caller gives up.",
        cause_basis: Documented,
        check: "Silence instead of ringback means the calling device is not generating the tone; far ends that play their own ringback send 183 with SDP instead (Asterisk does that with inband_progress).",
        challenge: None,
        sources: &[
            at(Rfc3261, "21.1.2"),
            at(SngrepDumpReading, "call examples"),
            at(PjsipConfNotes, "endpoint options"),
        ],
    },
    CodeInfo {
        code: 181,
        reason: "Call Is Being Forwarded",
        meaning: "A server on the path is diverting the call to another target. It is informational; the call goes on.",
        cause: "Call forwarding set on the callee's phone, PBX or provider; a Diversion or History-Info header, when present, tells from where.",
        cause_basis: General,
        check: "The Diversion / History-Info headers and the INVITE of the forwarded leg.",
        challenge: None,
        sources: &[at(Rfc3261, "21.1.3"), at(SngrepDumpReading, "response code table")],
    },
    CodeInfo {
        code: 182,
        reason: "Queued",
        meaning: "The callee cannot take the call now, so the server holds it in a queue rather than refusing it; the final answer comes when the call is served. The reason phrase may give the queue position or wait.",
        cause: "Provider or call-centre queues. Asterisk's own queues normally answer the call and play music instead.",
        cause_basis: General,
        check: "Only worth a look if no final response ever arrives.",
        challenge: None,
        sources: &[at(Rfc3261, "21.1.4"), at(SngrepDumpReading, "response code table")],
    },
    CodeInfo {
        code: 183,
        reason: "Session Progress",
        meaning: "Progress of no fixed kind, mostly used to carry SDP so the caller hears early media (ringback, announcements, tones) before the answer.",
        cause: "Trunks and gateways send it for early media. A 183 without SDP can come out of SS7 interworking for other reasons, and relaying it can cost the caller the ringback tone; Asterisk's ignore_183_without_sdp drops those.",
        cause_basis: Documented,
        check: "Whether it carries SDP and where that SDP sends the early media; with a forked call several 183s may arrive with different To tags (follow_early_media_fork).",
        challenge: None,
        sources: &[
            at(Rfc3261, "21.1.5"),
            at(PjsipConfNotes, "endpoint options"),
            at(SngrepDumpReading, "response code table"),
        ],
    },
    CodeInfo {
        code: 199,
        reason: "Early Dialog Terminated",
        meaning: "One branch of a forked INVITE has ended (it met a failure) while the INVITE as a whole is still pending. The early dialog with that To tag is gone.",
        cause: "Forking proxies and SBCs send it so the caller can drop the early media of the dead branch.",
        cause_basis: General,
        check: "Which branch ended (its To tag); the call may still be answered by another branch.",
        challenge: None,
        sources: &[doc(Rfc6228), at(SngrepDumpReading, "response code table")],
    },
];

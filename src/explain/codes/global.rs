//! 6xx: global failures.

use super::{at, doc, CodeInfo};
use crate::explain::sources::{Basis::General, Source::*};

pub(super) static CODES: [CodeInfo; 5] = [
    CodeInfo {
        code: 600,
        reason: "Busy Everywhere",
        meaning: "The callee is busy and no other device or service (voicemail included) will take the call; unlike 486, trying elsewhere is pointless.",
        cause: "The callee's service knows that every location is busy. Asterisk treats an incoming 600 as user busy.",
        cause_basis: General,
        check: "Nothing on the network: the callee is busy.",
        challenge: None,
        sources: &[at(Rfc3261, "21.6.1"), at(SngrepDumpReading, "response code table")],
    },
    CodeInfo {
        code: 603,
        reason: "Decline",
        meaning: "The callee's device was reached and the user explicitly does not want to, or cannot, take the call, without saying why; no other location should be tried.",
        cause: "A user pressing reject on a phone that declines this way, or a service refusing the call.",
        cause_basis: General,
        check: "Nothing on the network; if calls are declined unexpectedly, the callee's phone (reject, DND) or the provider's blocking rules.",
        challenge: None,
        sources: &[at(Rfc3261, "21.6.2"), at(SngrepDumpReading, "reason phrase list")],
    },
    CodeInfo {
        code: 604,
        reason: "Does Not Exist Anywhere",
        meaning: "The server knows for certain that the user does not exist anywhere, not just in its own domain.",
        cause: "A number not in service, answered by an authoritative database such as number portability.",
        cause_basis: General,
        check: "The dialled number.",
        challenge: None,
        sources: &[at(Rfc3261, "21.6.3"), at(SngrepDumpReading, "response code table")],
    },
    CodeInfo {
        code: 606,
        reason: "Not Acceptable",
        meaning: "The callee's device was reached and wants to talk, but it cannot support the session as described (media, bandwidth, addressing), and no other device would either. A Warning header may say why.",
        cause: "No usable codec or media type at the callee; Asterisk treats it like 488, as a bearer capability problem.",
        cause_basis: General,
        check: "The SDP offer against what the callee supports, and any Warning header.",
        challenge: None,
        sources: &[at(Rfc3261, "21.6.4"), at(SngrepDumpReading, "response code table")],
    },
    CodeInfo {
        code: 607,
        reason: "Unwanted",
        meaning: "The callee marked this call as unwanted (spam, nuisance); later calls from the same caller will probably be refused too.",
        cause: "Call-blocking or spam-labelling services on the callee's side.",
        cause_basis: General,
        check: "The caller ID presented and whether it looks like nuisance traffic.",
        challenge: None,
        sources: &[doc(Rfc8197), at(SngrepDumpReading, "response code table")],
    },
];

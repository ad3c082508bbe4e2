//! 3xx: redirection.

use super::{at, CodeInfo};
use crate::explain::sources::{
    Basis::{Documented, General},
    Source::*,
};

pub(super) static CODES: [CodeInfo; 5] = [
    CodeInfo {
        code: 300,
        reason: "Multiple Choices",
        meaning: "The address resolves to several locations, listed in Contact headers; the caller (or its user) picks one and sends the request there.",
        cause: "Redirect servers and forwarding features that offer more than one target. Whether Asterisk follows a 3xx on an outgoing call is set per endpoint (its redirect handling option).",
        cause_basis: General,
        check: "The Contact list and whether the calling side follows redirects at all.",
        challenge: None,
        sources: &[
            at(Rfc3261, "21.3.1"),
            at(SngrepDumpReading, "response code table"),
            at(PjsipConfNotes, "endpoint options"),
        ],
    },
    CodeInfo {
        code: 301,
        reason: "Moved Permanently",
        meaning: "The user is no longer at this address for good; the Contact header gives the new one, which callers should use from now on.",
        cause: "A number or account moved to another server or domain.",
        cause_basis: General,
        check: "The new address in Contact, and whether the caller retried there.",
        challenge: None,
        sources: &[at(Rfc3261, "21.3.2"), at(SngrepDumpReading, "response code table")],
    },
    CodeInfo {
        code: 302,
        reason: "Moved Temporarily",
        meaning: "Try the address in the Contact header for this request; the diversion is temporary and may carry an expiry.",
        cause: "Call forwarding set on the callee's phone or service: the device answers the INVITE with a 302 instead of ringing.",
        cause_basis: Documented,
        check: "The Contact target, and whether the caller follows it: a gateway with redirection turned off treats every 3xx as a failure (Cisco counts these as redirects mapped to client errors).",
        challenge: None,
        sources: &[
            at(Rfc3261, "21.3.3"),
            at(SngrepDumpReading, "response code table"),
            at(SngrepDumpReading, "Cisco gateway show commands"),
        ],
    },
    CodeInfo {
        code: 305,
        reason: "Use Proxy",
        meaning: "The target can only be reached through the proxy named in the Contact header; the caller should resend this one request through it.",
        cause: "Rare. Many clients ignore it because it lets a server steer traffic elsewhere.",
        cause_basis: General,
        check: "The proxy in Contact and whether the client honoured it.",
        challenge: None,
        sources: &[at(Rfc3261, "21.3.4"), at(SngrepDumpReading, "response code table")],
    },
    CodeInfo {
        code: 380,
        reason: "Alternative Service",
        meaning: "The call itself failed, but other services could serve it; the body describes them.",
        cause: "Rare in PBX and trunk traffic; some emergency-call and IMS setups use it.",
        cause_basis: General,
        check: "The response body for the alternatives offered.",
        challenge: None,
        sources: &[at(Rfc3261, "21.3.5"), at(SngrepDumpReading, "response code table")],
    },
];

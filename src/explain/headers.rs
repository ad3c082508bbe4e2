//! Headers explained from their actual values: what the header is for, and
//! what this value says (NAT, a missing tag, a length that does not match).

use super::digest;
use super::sources::{Source, SourceRef};
use crate::sip::{behind_nat, host_addr, HeaderName, NameAddr, Via};
use std::net::IpAddr;

/// What the header explanation needs to know about its message.
#[derive(Debug, Clone, Copy, Default)]
pub struct HeaderContext {
    /// Where the packet came from.
    pub source: Option<IpAddr>,
    pub body_len: usize,
    pub is_request: bool,
}

/// One header explained.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct HeaderNote {
    /// Full name; a compact form says so (`Call-ID (compact "i")`).
    pub name: String,
    pub lines: Vec<String>,
    #[serde(serialize_with = "super::sources::serialize_refs")]
    pub sources: &'static [SourceRef],
}

use Source::*;
const STRUCTURE: &[SourceRef] = &[
    SourceRef::at(SngrepDumpReading, "message structure"),
    SourceRef::at(Rfc3261, "20"),
];
const VIA: &[SourceRef] = &[
    SourceRef::at(SngrepDumpReading, "message structure"),
    SourceRef::at(Rfc3261, "20.42"),
    SourceRef::at(PjsipTroubleshooting, "ARGH! NAT!"),
];
const CONTACT: &[SourceRef] = &[
    SourceRef::at(SngrepDumpReading, "message structure"),
    SourceRef::at(PjsipTroubleshooting, "Inbound Registrations"),
    SourceRef::at(PjsipTroubleshooting, "ARGH! NAT!"),
];
const AUTH: &[SourceRef] = &[
    SourceRef::at(PjsipTroubleshooting, "Authentication is failing"),
    SourceRef::at(SipIntroPjsip, "SIP Authentication (Why 401 Happens)"),
    SourceRef::at(Rfc3261, "22.4"),
];
const TIMERS: &[SourceRef] = &[SourceRef::at(Rfc4028, "4")];
const GENERIC: &[SourceRef] = &[SourceRef::at(Rfc3261, "7.3")];

/// A header explained from its name (full or compact) and value.
pub fn explain_header(name: &[u8], value: &str, ctx: &HeaderContext) -> HeaderNote {
    let compact = HeaderName::expand_compact(name);
    let raw_name = String::from_utf8_lossy(name).into_owned();
    let full = compact.map_or(raw_name.clone(), str::to_owned);
    let shown = match compact {
        Some(f) => format!("{f} (compact \"{raw_name}\")"),
        None => raw_name,
    };
    let (lines, sources) = lines_for(&full.to_ascii_lowercase(), value, ctx);
    HeaderNote {
        name: shown,
        lines,
        sources,
    }
}

fn lines_for(name: &str, value: &str, ctx: &HeaderContext) -> (Vec<String>, &'static [SourceRef]) {
    let mut l: Vec<String> = Vec::new();
    let sources = match name {
        "via" => {
            l.push("One Via per hop the request passed, newest on top; responses travel back along them.".into());
            for (n, entry) in Via::entries(value.as_bytes()).enumerate() {
                let Some(via) = Via::parse(entry) else {
                    continue;
                };
                let sent_by = String::from_utf8_lossy(via.sent_by);
                let mut s = format!(
                    "Hop {}: {} from {sent_by}",
                    n + 1,
                    String::from_utf8_lossy(via.transport)
                );
                match via.branch() {
                    Some(b) if b.starts_with(b"z9hG4bK") => {
                        s.push_str(", branch with the RFC 3261 cookie z9hG4bK (the transaction id)")
                    }
                    Some(_) => {
                        s.push_str(", branch without the z9hG4bK cookie (an RFC 2543-era sender)")
                    }
                    None => s.push_str(", no branch"),
                }
                match (via.param(b"rport"), via.param(b"received")) {
                    (Some(p), _) if !p.is_empty() => s.push_str(&format!(
                        "; rport={} received says where the packet really came from",
                        String::from_utf8_lossy(p)
                    )),
                    (Some(_), _) => s.push_str(
                        "; rport asks for the answer to go back to the source port (NAT-friendly)",
                    ),
                    _ => {}
                }
                if let Some(r) = via.param(b"received") {
                    s.push_str(&format!("; received={}", String::from_utf8_lossy(r)));
                }
                l.push(s + ".");
                // A request's top Via is its sender's own; a response's
                // names the request's sender (the receiver), so only its
                // received= says anything about NAT.
                if n == 0 && ctx.is_request {
                    if let Some(a) = behind_nat(host_addr(via.sent_by), ctx.source) {
                        l.push(format!(
                            "The top Via names the private address {a} but the packet came from a public one: the sender is behind NAT (the server must answer to the real source: rport, force_rport)."
                        ));
                    }
                }
                if n == 0 && !ctx.is_request {
                    let sent = host_addr(via.sent_by).filter(|a| crate::sip::is_private(*a));
                    let seen = via
                        .param(b"received")
                        .and_then(|r| std::str::from_utf8(r).ok()?.trim().parse::<IpAddr>().ok());
                    if let (Some(sent), Some(seen)) = (sent, seen) {
                        if sent != seen {
                            l.push(format!(
                                "The server saw the request come from {seen}, not from the {sent} its sender wrote: the sender is behind NAT."
                            ));
                        }
                    }
                }
            }
            VIA
        }
        "from" | "to" => {
            let na = NameAddr::parse(value.as_bytes());
            let who = if name == "from" {
                "the caller (who sent the request)"
            } else {
                "the callee (the request's target)"
            };
            l.push(format!("Identifies {who}: display name, URI and tag."));
            if let Some(u) = na.user() {
                l.push(format!("User: {}.", String::from_utf8_lossy(u)));
            }
            match (name, na.tag()) {
                (_, Some(t)) => l.push(format!("tag={} identifies this side of the dialog.", String::from_utf8_lossy(t))),
                ("to", None) if ctx.is_request => l.push("No To tag: this request is outside any dialog (a new call or registration).".into()),
                ("to", None) => l.push("No To tag on a response: only normal for 100 Trying; other answers should add one.".into()),
                _ => l.push("No From tag: every request must carry one (RFC 3261).".into()),
            }
            if name == "from" {
                l.push("Asterisk identifies the sending endpoint by this user part unless identify by IP matches first.".into());
            }
            STRUCTURE
        }
        "call-id" => {
            l.push("The same for every message of the call (and of a registration's refreshes); a new call gets a new one.".into());
            STRUCTURE
        }
        "cseq" => {
            let mut parts = value.split_whitespace();
            let (n, m) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
            l.push(format!(
                "Request number {n} for {m}; a response repeats its request's CSeq, which is how answers are matched to requests."
            ));
            STRUCTURE
        }
        "contact" => {
            l.push("Where the sender wants to be reached directly: later requests of the dialog (and calls to a registered phone) go here.".into());
            if value.trim() == "*" {
                l.push("Contact: * (with Expires: 0) removes every binding of the AoR.".into());
            }
            let na = NameAddr::parse(value.as_bytes());
            let uri = String::from_utf8_lossy(na.uri).into_owned();
            if let Some(a) = behind_nat(host_addr(na.uri), ctx.source) {
                l.push(format!(
                    "Private address {a} in a packet from a public address: unless a proxy relayed this message, its sender is behind NAT and this Contact cannot be reached (the server must store the real source: rewrite_contact, nat=force_rport)."
                ));
            }
            if uri.contains(";ob") {
                l.push(";ob: the phone uses SIP outbound (RFC 5626) and keeps its connection open for incoming requests.".into());
            }
            if let Some(t) = uri.split(";transport=").nth(1) {
                l.push(format!("transport={}.", t.split(';').next().unwrap_or(t)));
            }
            if let Some(e) = na.param(b"expires") {
                l.push(format!(
                    "This binding asks for {} s.",
                    String::from_utf8_lossy(e)
                ));
            }
            CONTACT
        }
        "max-forwards" => {
            let n: Option<u32> = value.trim().parse().ok();
            l.push("How many more hops the request may take; each proxy lowers it by one (70 is usual).".into());
            if n == Some(0) {
                l.push("It reached 0: the next hop must answer 483 Too Many Hops, usually a routing loop.".into());
            }
            STRUCTURE
        }
        "expires" => {
            l.push(format!("Lifetime in seconds: {}.", value.trim()));
            if value.trim() == "0" {
                l.push("0 on a REGISTER removes the binding (unregistration).".into());
            }
            STRUCTURE
        }
        "authorization" | "proxy-authorization" => {
            let d = digest::credentials(value);
            l.push("Credentials answering an earlier challenge, computed from the password (which is never sent).".into());
            l.push(digest_line(&d));
            if d.algorithm
                .as_deref()
                .is_some_and(|a| !a.eq_ignore_ascii_case("MD5"))
            {
                l.push("Algorithm other than MD5: Asterisk's digest only does MD5.".into());
            }
            AUTH
        }
        "www-authenticate" | "proxy-authenticate" => {
            let d = digest::challenge(value);
            l.push(
                "A digest challenge: resend the request with credentials for this realm and nonce."
                    .into(),
            );
            l.push(digest_line(&d));
            if d.stale
                .as_deref()
                .is_some_and(|s| s.eq_ignore_ascii_case("true"))
            {
                l.push("stale=true: the password was fine, only the nonce had expired.".into());
            }
            AUTH
        }
        "content-length" => {
            let n: Option<usize> = value.trim().parse().ok();
            match n {
                Some(n) if n == ctx.body_len => l.push(format!("Body length {n} bytes, matching the body.")),
                Some(n) => l.push(format!(
                    "Says {n} bytes but the body has {}: a damaged or cut message (over TCP it breaks the framing of what follows).",
                    ctx.body_len
                )),
                None => l.push("Not a number: the message cannot be framed over TCP.".into()),
            }
            STRUCTURE
        }
        "content-type" => {
            l.push(format!("The body is {}.", value.trim()));
            STRUCTURE
        }
        "user-agent" | "server" => {
            l.push("The software of the client (User-Agent) or server (Server); useful to know which side's quirks apply.".into());
            STRUCTURE
        }
        "allow" => {
            l.push("Methods the sender accepts.".into());
            STRUCTURE
        }
        "supported" | "require" => {
            l.push(if name == "require" {
                "Extensions the receiver must support, or answer 420 Bad Extension.".into()
            } else {
                "Extensions the sender can use (100rel, timer, replaces, ...).".into()
            });
            STRUCTURE
        }
        "session-expires" => {
            l.push(format!(
                "Session timer: the call is refreshed every {} (RFC 4028); below the peer's Min-SE it is answered 422.",
                value.trim()
            ));
            TIMERS
        }
        "min-se" => {
            l.push(format!(
                "Smallest session interval accepted: {} s.",
                value.trim()
            ));
            TIMERS
        }
        "record-route" | "route" => {
            l.push(if name == "route" {
                "The proxies this request must pass, copied from Record-Route.".into()
            } else {
                "A proxy asking to stay in the path of the dialog; ACK and BYE follow these hops."
                    .into()
            });
            STRUCTURE
        }
        "reason" => {
            l.push(format!(
                "Why the call or request ended, as the sender states it: {}.",
                value.trim()
            ));
            STRUCTURE
        }
        "warning" => {
            l.push(format!("Extra detail about the failure: {}.", value.trim()));
            STRUCTURE
        }
        "x-asterisk-hangupcause" | "x-asterisk-hangupcausecode" => {
            l.push(
                "Asterisk's reason for hanging up (Q.850 cause), written on failure answers."
                    .into(),
            );
            const HANGUP: &[SourceRef] =
                &[SourceRef::at(SngrepDumpReading, "INVITE rejection causes")];
            HANGUP
        }
        _ => {
            l.push("A header sipview has no specific note for; shown as sent.".into());
            GENERIC
        }
    };
    (l, sources)
}

fn digest_line(d: &digest::DigestFields) -> String {
    let mut parts = vec![format!("scheme {}", d.scheme)];
    let fields = [
        ("username", &d.username),
        ("realm", &d.realm),
        ("nonce", &d.nonce),
        ("uri", &d.uri),
        ("algorithm", &d.algorithm),
        ("qop", &d.qop),
        ("nc", &d.nc),
        ("cnonce", &d.cnonce),
        ("opaque", &d.opaque),
        ("stale", &d.stale),
    ];
    for (k, v) in fields {
        if let Some(v) = v {
            parts.push(format!("{k}={v}"));
        }
    }
    parts.join(", ")
}

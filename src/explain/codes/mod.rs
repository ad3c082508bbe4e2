//! SIP response codes: meaning, the usual cause in an Asterisk/PJSIP
//! deployment, and what to check.
//!
//! One file per class (4xx in three, it is the big one). Every table is
//! sorted by code; [`code`] looks a code up and [`explain_code`] falls back
//! to the class for codes sipview has no entry for.

mod client;
mod client_call;
mod client_ext;
mod global;
mod provisional;
mod redirect;
mod server;
mod success;

use super::sources::{Basis, Source, SourceRef};

/// Text for 401 / 407, whose meaning depends on whether the challenge is the
/// first one for the request or comes back after credentials were sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Challenge {
    /// The normal case: first answer to a request without credentials.
    pub first: &'static str,
    /// The problem case: the challenge repeats after credentials were sent.
    pub repeated: &'static str,
}

/// What sipview knows about one response code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeInfo {
    pub code: u16,
    /// The reason phrase the RFCs give.
    pub reason: &'static str,
    /// What the code means, in one or two sentences.
    pub meaning: &'static str,
    /// The usual cause in an Asterisk/PJSIP deployment.
    pub cause: &'static str,
    /// Whether `cause` comes from the seed documents or is a general note.
    pub cause_basis: Basis,
    /// What to look at first.
    pub check: &'static str,
    /// Two texts for the authentication challenges (401, 407).
    pub challenge: Option<Challenge>,
    pub sources: &'static [SourceRef],
}

/// The six response classes (RFC 3261 §7.2, §21).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CodeClass {
    Provisional,
    Success,
    Redirection,
    ClientError,
    ServerError,
    GlobalFailure,
}

impl CodeClass {
    /// The class of a code in 100..=699, else `None`.
    pub fn of(code: u16) -> Option<CodeClass> {
        match code {
            100..=199 => Some(CodeClass::Provisional),
            200..=299 => Some(CodeClass::Success),
            300..=399 => Some(CodeClass::Redirection),
            400..=499 => Some(CodeClass::ClientError),
            500..=599 => Some(CodeClass::ServerError),
            600..=699 => Some(CodeClass::GlobalFailure),
            _ => None,
        }
    }

    pub fn info(self) -> &'static ClassInfo {
        &CLASSES[self as usize]
    }

    /// The entries of this class, in code order.
    pub fn codes(self) -> impl Iterator<Item = &'static CodeInfo> {
        all_codes().filter(move |c| CodeClass::of(c.code) == Some(self))
    }
}

/// What a whole class means, for codes without their own entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClassInfo {
    pub class: CodeClass,
    /// "4xx".
    pub range: &'static str,
    /// "client error".
    pub name: &'static str,
    pub meaning: &'static str,
    pub check: &'static str,
    pub sources: &'static [SourceRef],
}

const fn at(source: Source, section: &'static str) -> SourceRef {
    SourceRef::at(source, section)
}

const fn doc(source: Source) -> SourceRef {
    SourceRef::doc(source)
}

/// The classes, indexed by `CodeClass as usize`.
pub static CLASSES: [ClassInfo; 6] = [
    ClassInfo {
        class: CodeClass::Provisional,
        range: "1xx",
        name: "provisional",
        meaning: "Progress report: the request arrived and is being worked on, but this is not the answer yet. Any number of 1xx may come before the final response.",
        check: "Nothing by itself; if no final response follows, look at the far side and the timers.",
        sources: &[at(Source::Rfc3261, "21.1"), at(Source::SngrepDumpReading, "response code table")],
    },
    ClassInfo {
        class: CodeClass::Success,
        range: "2xx",
        name: "success",
        meaning: "The request worked. A 2xx to an INVITE means the call was answered and must be confirmed with ACK.",
        check: "For INVITE, that an ACK follows and media starts flowing.",
        sources: &[at(Source::Rfc3261, "21.2"), at(Source::SngrepDumpReading, "response code table")],
    },
    ClassInfo {
        class: CodeClass::Redirection,
        range: "3xx",
        name: "redirection",
        meaning: "The target is elsewhere: the Contact headers of the response say where to try next. Whether the caller follows them is local policy.",
        check: "The Contact list in the response and whether the sender is set to follow redirects (Asterisk's redirect handling, a gateway's 3xx setting).",
        sources: &[at(Source::Rfc3261, "21.3"), at(Source::SngrepDumpReading, "response code table")],
    },
    ClassInfo {
        class: CodeClass::ClientError,
        range: "4xx",
        name: "client error",
        meaning: "This server refuses the request as sent: something in it, or about its sender, is wrong here. Resending it unchanged to the same server will fail again, though another server might accept it.",
        check: "The request itself (URI, credentials, headers, SDP) and the receiving side's log for why it refused.",
        sources: &[at(Source::Rfc3261, "21.4"), at(Source::SngrepDumpReading, "response code table")],
    },
    ClassInfo {
        class: CodeClass::ServerError,
        range: "5xx",
        name: "server error",
        meaning: "The request may well be fine but the server failed to handle it: overload, an internal fault, or a failure further downstream. In provider networks a 5xx often points at their softswitch.",
        check: "The server's own log and, for trunks, the provider; see whether a Retry-After header says when to try again.",
        sources: &[at(Source::Rfc3261, "21.5"), at(Source::SngrepDumpReading, "response code table")],
    },
    ClassInfo {
        class: CodeClass::GlobalFailure,
        range: "6xx",
        name: "global failure",
        meaning: "A definitive answer for the user everywhere: no other location or server should be tried. Usually the callee's own decision (busy, declined).",
        check: "Nothing on the network is broken; the callee or its device refused the call.",
        sources: &[at(Source::Rfc3261, "21.6"), at(Source::SngrepDumpReading, "response code table")],
    },
];

/// The tables in code order.
static TABLES: [&[CodeInfo]; 8] = [
    &provisional::CODES,
    &success::CODES,
    &redirect::CODES,
    &client::CODES,
    &client_ext::CODES,
    &client_call::CODES,
    &server::CODES,
    &global::CODES,
];

/// The entry for `code`, if sipview has one.
pub fn code(code: u16) -> Option<&'static CodeInfo> {
    all_codes().find(|c| c.code == code)
}

/// Every entry, in code order.
pub fn all_codes() -> impl Iterator<Item = &'static CodeInfo> {
    TABLES.iter().flat_map(|t| t.iter())
}

/// Meaning shown for a number outside 100..=699.
pub const OUT_OF_RANGE_MEANING: &str = "Not a SIP status code: SIP responses carry a three-digit code from 100 to 699, whose first digit gives the class.";

static OUT_OF_RANGE_SOURCES: [SourceRef; 1] = [at(Source::Rfc3261, "7.2")];

/// A response code explained: its own entry, its class, or neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeExplanation {
    Known(&'static CodeInfo),
    /// No entry of its own: explained by its class.
    Class {
        code: u16,
        class: &'static ClassInfo,
    },
    /// Outside 100..=699.
    OutOfRange {
        code: u16,
    },
}

impl CodeExplanation {
    pub fn code(&self) -> u16 {
        match *self {
            CodeExplanation::Known(info) => info.code,
            CodeExplanation::Class { code, .. } | CodeExplanation::OutOfRange { code } => code,
        }
    }

    pub fn class(&self) -> Option<CodeClass> {
        CodeClass::of(self.code())
    }

    /// A title such as "486 Busy Here" or "499 (4xx client error)".
    pub fn title(&self) -> String {
        match self {
            CodeExplanation::Known(info) => format!("{} {}", info.code, info.reason),
            CodeExplanation::Class { code, class } => {
                format!("{code} ({} {})", class.range, class.name)
            }
            CodeExplanation::OutOfRange { code } => format!("{code} (not a SIP status code)"),
        }
    }

    pub fn meaning(&self) -> &'static str {
        match self {
            CodeExplanation::Known(info) => info.meaning,
            CodeExplanation::Class { class, .. } => class.meaning,
            CodeExplanation::OutOfRange { .. } => OUT_OF_RANGE_MEANING,
        }
    }

    /// The usual cause, when there is one to give.
    pub fn cause(&self) -> Option<(&'static str, Basis)> {
        match self {
            CodeExplanation::Known(info) => Some((info.cause, info.cause_basis)),
            _ => None,
        }
    }

    pub fn check(&self) -> &'static str {
        match self {
            CodeExplanation::Known(info) => info.check,
            CodeExplanation::Class { class, .. } => class.check,
            CodeExplanation::OutOfRange { .. } => {
                "The capture or the sender: the status line is malformed."
            }
        }
    }

    pub fn challenge(&self) -> Option<&'static Challenge> {
        match self {
            CodeExplanation::Known(info) => info.challenge.as_ref(),
            _ => None,
        }
    }

    pub fn sources(&self) -> &'static [SourceRef] {
        match self {
            CodeExplanation::Known(info) => info.sources,
            CodeExplanation::Class { class, .. } => class.sources,
            CodeExplanation::OutOfRange { .. } => &OUT_OF_RANGE_SOURCES,
        }
    }
}

/// Explains any code: its entry, else its class, else says it is not SIP.
pub fn explain_code(code: u16) -> CodeExplanation {
    match (self::code(code), CodeClass::of(code)) {
        (Some(info), _) => CodeExplanation::Known(info),
        (None, Some(class)) => CodeExplanation::Class {
            code,
            class: class.info(),
        },
        (None, None) => CodeExplanation::OutOfRange { code },
    }
}

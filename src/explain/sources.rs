//! Where each explanation comes from, so a reader can go and read more.
//!
//! Seed documents are the field guides in `shared/seeds/` the knowledge base
//! was written from (facts taken, every sentence in sipview's own words);
//! RFCs are cited for protocol facts. An entry points at one or more
//! [`SourceRef`]s: a document plus, where it helps, a section.

use std::fmt;

/// A document an explanation is based on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    /// Seed 000: the Asterisk PJSIP troubleshooting guide (English).
    PjsipTroubleshooting,
    /// Seed 001: reading SIP dumps with sngrep, response code tables and
    /// vendor reason phrases (Russian, with English copies).
    SngrepDumpReading,
    /// Seed 002: how max_contacts, remove_existing and rewrite_contact can
    /// lose registrations.
    MaxContacts,
    /// Seed 003: a SIP introduction for PJSIP-era Asterisk.
    SipIntroPjsip,
    /// Seed 004: pjsip.conf object model notes (Chinese).
    PjsipConfNotes,
    /// RFC 2543, SIP's first version (obsoleted by RFC 3261).
    Rfc2543,
    /// RFC 2617, HTTP Digest authentication (the scheme SIP borrows).
    Rfc2617,
    /// RFC 3261, SIP itself.
    Rfc3261,
    /// RFC 3262, reliable provisional responses (PRACK, 100rel).
    Rfc3262,
    /// RFC 3311, the UPDATE method.
    Rfc3311,
    /// RFC 3312, preconditions.
    Rfc3312,
    /// RFC 3329, security mechanism agreement.
    Rfc3329,
    /// RFC 3428, the MESSAGE method.
    Rfc3428,
    /// RFC 3515, the REFER method.
    Rfc3515,
    /// RFC 3578, overlap dialling.
    Rfc3578,
    /// RFC 3892, the Referred-By mechanism.
    Rfc3892,
    /// RFC 3903, event state publication (PUBLISH).
    Rfc3903,
    /// RFC 4028, session timers.
    Rfc4028,
    /// RFC 3264, the SDP offer/answer model.
    Rfc3264,
    /// RFC 3550, RTP and RTCP (loss, jitter, reports).
    Rfc3550,
    /// RFC 3551, the RTP audio/video profile (static payload types).
    Rfc3551,
    /// RFC 4566, SDP.
    Rfc4566,
    /// RFC 4733, telephone-events (DTMF in RTP).
    Rfc4733,
    /// RFC 4412, resource priority.
    Rfc4412,
    /// RFC 4474, SIP identity (Identity header).
    Rfc4474,
    /// RFC 5079, rejecting anonymous requests.
    Rfc5079,
    /// RFC 5360, consent for SIP requests.
    Rfc5360,
    /// RFC 5393, forking loops and Max-Breadth.
    Rfc5393,
    /// RFC 5626, SIP outbound (flows, keep-alives).
    Rfc5626,
    /// RFC 5839, conditional event notification.
    Rfc5839,
    /// RFC 6086, the INFO method and Info Packages.
    Rfc6086,
    /// RFC 6228, the 199 response.
    Rfc6228,
    /// RFC 6442, location conveyance.
    Rfc6442,
    /// RFC 6665, SIP events (SUBSCRIBE / NOTIFY).
    Rfc6665,
    /// RFC 8197, the 607 response.
    Rfc8197,
}

impl Source {
    /// Every source, seed documents first.
    pub const ALL: [Source; 35] = [
        Source::PjsipTroubleshooting,
        Source::SngrepDumpReading,
        Source::MaxContacts,
        Source::SipIntroPjsip,
        Source::PjsipConfNotes,
        Source::Rfc2543,
        Source::Rfc2617,
        Source::Rfc3261,
        Source::Rfc3262,
        Source::Rfc3311,
        Source::Rfc3312,
        Source::Rfc3329,
        Source::Rfc3428,
        Source::Rfc3515,
        Source::Rfc3578,
        Source::Rfc3892,
        Source::Rfc3903,
        Source::Rfc4028,
        Source::Rfc3264,
        Source::Rfc3550,
        Source::Rfc3551,
        Source::Rfc4566,
        Source::Rfc4733,
        Source::Rfc4412,
        Source::Rfc4474,
        Source::Rfc5079,
        Source::Rfc5360,
        Source::Rfc5393,
        Source::Rfc5626,
        Source::Rfc5839,
        Source::Rfc6086,
        Source::Rfc6228,
        Source::Rfc6442,
        Source::Rfc6665,
        Source::Rfc8197,
    ];

    /// The document's own title (in English; the original language in
    /// parentheses), to print after an explanation.
    pub fn short(self) -> &'static str {
        match self {
            Source::PjsipTroubleshooting => "Asterisk PJSIP Troubleshooting Guide",
            Source::SngrepDumpReading => {
                "Reading SIP dumps with sngrep (in Russian: разбор SIP дампов)"
            }
            Source::MaxContacts => "PJSIP mis-configuration can cause loss of SIP registrations",
            Source::SipIntroPjsip => "Asterisk PJSIP: SIP Intro (Latest Versions)",
            Source::PjsipConfNotes => "pjsip.conf object model notes (in Chinese: pjsip 配置笔记)",
            Source::Rfc2543 => "RFC 2543",
            Source::Rfc2617 => "RFC 2617",
            Source::Rfc3261 => "RFC 3261",
            Source::Rfc3262 => "RFC 3262",
            Source::Rfc3311 => "RFC 3311",
            Source::Rfc3312 => "RFC 3312",
            Source::Rfc3329 => "RFC 3329",
            Source::Rfc3428 => "RFC 3428",
            Source::Rfc3515 => "RFC 3515",
            Source::Rfc3578 => "RFC 3578",
            Source::Rfc3892 => "RFC 3892",
            Source::Rfc3903 => "RFC 3903",
            Source::Rfc4028 => "RFC 4028",
            Source::Rfc3264 => "RFC 3264",
            Source::Rfc3550 => "RFC 3550",
            Source::Rfc3551 => "RFC 3551",
            Source::Rfc4566 => "RFC 4566",
            Source::Rfc4733 => "RFC 4733",
            Source::Rfc4412 => "RFC 4412",
            Source::Rfc4474 => "RFC 4474",
            Source::Rfc5079 => "RFC 5079",
            Source::Rfc5360 => "RFC 5360",
            Source::Rfc5393 => "RFC 5393",
            Source::Rfc5626 => "RFC 5626",
            Source::Rfc5839 => "RFC 5839",
            Source::Rfc6086 => "RFC 6086",
            Source::Rfc6228 => "RFC 6228",
            Source::Rfc6442 => "RFC 6442",
            Source::Rfc6665 => "RFC 6665",
            Source::Rfc8197 => "RFC 8197",
        }
    }

    /// The seed document's file name under `shared/seeds/`; `None` for RFCs.
    pub fn file(self) -> Option<&'static str> {
        match self {
            Source::PjsipTroubleshooting => Some("000_ce1087c9b48a2d75.txt"),
            Source::SngrepDumpReading => Some("001_51cfa345e5ab3b3b.txt"),
            Source::MaxContacts => Some("002_be7ffd8d33e8cce8.txt"),
            Source::SipIntroPjsip => Some("003_903428c64ad14322.txt"),
            Source::PjsipConfNotes => Some("004_6401768e82f9c1b9.txt"),
            _ => None,
        }
    }

    /// The RFC number, for RFC sources.
    pub fn rfc_number(self) -> Option<u16> {
        self.short().strip_prefix("RFC ")?.parse().ok()
    }

    /// Where to read the document: the seed file name, or the RFC's address.
    pub fn location(self) -> String {
        match (self.file(), self.rfc_number()) {
            (Some(file), _) => format!("shared/seeds/{file}"),
            (None, Some(n)) => format!("https://www.rfc-editor.org/rfc/rfc{n}"),
            (None, None) => String::new(),
        }
    }

    /// True for the seed documents (field guides), false for RFCs.
    pub fn is_seed(self) -> bool {
        self.file().is_some()
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.short())
    }
}

/// A document and, when it helps the reader, the section to look at
/// (an RFC section such as "21.4.2", or a heading of a seed document).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SourceRef {
    pub source: Source,
    pub section: &'static str,
}

impl SourceRef {
    /// The whole document.
    pub const fn doc(source: Source) -> Self {
        SourceRef {
            source,
            section: "",
        }
    }

    /// One section or heading of a document.
    pub const fn at(source: Source, section: &'static str) -> Self {
        SourceRef { source, section }
    }
}

impl fmt::Display for SourceRef {
    /// `RFC 3261 §21.4.2`, or `Asterisk PJSIP Troubleshooting Guide: Inbound Registrations`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.source.short())?;
        if self.section.is_empty() {
            Ok(())
        } else if self.source.is_seed() {
            write!(f, ": {}", self.section)
        } else {
            write!(f, " \u{a7}{}", self.section)
        }
    }
}

/// Whether a piece of advice is backed by the seed documents or is a general
/// field note written for sipview (still worth checking, but not sourced
/// from a guide about this deployment type).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Basis {
    /// The seed documents say this (see the entry's sources).
    Documented,
    /// A general field note; no seed document says it.
    General,
}

impl Basis {
    /// A label for the explain pane, empty for documented advice.
    pub fn label(self) -> &'static str {
        match self {
            Basis::Documented => "",
            Basis::General => "general note",
        }
    }
}

/// Serialises references as their display text (`RFC 3261 §22.4`, ...).
pub fn serialize_refs<S: serde::Serializer>(
    refs: &&'static [SourceRef],
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_seq(refs.iter().map(ToString::to_string))
}

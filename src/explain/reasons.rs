//! Reason phrases seen in the field: what a provider's or switch's own
//! wording after the code tells the engineer.
//!
//! The status code says what kind of failure it is; these phrases often say
//! exactly which one (a wrong password, an empty balance, a private media
//! address). Matching ignores case, surrounding blanks and how many blanks
//! sit between words.

use super::sources::{Basis, Source, SourceRef};

/// How a phrase relates to the standard one for its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PhraseKind {
    /// A provider's or switch's own wording with a specific meaning.
    Vendor,
    /// A rewording (or old or misspelt form) of the standard phrase; it means
    /// what the code means.
    Variant,
}

/// What one field reason phrase tells the engineer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReasonInfo {
    pub code: u16,
    /// The phrase as the documents give it.
    pub phrase: &'static str,
    pub kind: PhraseKind,
    /// What the phrase tells the engineer.
    pub meaning: &'static str,
    /// What to look at.
    pub check: &'static str,
    pub basis: Basis,
    pub sources: &'static [SourceRef],
}

const LIST: &[SourceRef] = &[SourceRef::at(
    Source::SngrepDumpReading,
    "reason phrase list",
)];

const BALANCE: &str = "The account balance and tariff with the provider.";
const DATABASE: &str =
    "Nothing on the PBX side: report it to the provider, with the time and Call-ID.";
const CODECS: &str = "The codecs offered in the SDP against what the provider accepts (G.711 A-law / u-law are the safe choice).";
const ROUTING: &str = "The dialled number's format and whether the provider routes that destination for this account.";
const CREDENTIALS: &str =
    "The number, login and password configured on the device or in the outbound auth.";

const fn vendor(
    code: u16,
    phrase: &'static str,
    meaning: &'static str,
    check: &'static str,
) -> ReasonInfo {
    ReasonInfo {
        code,
        phrase,
        kind: PhraseKind::Vendor,
        meaning,
        check,
        basis: Basis::Documented,
        sources: LIST,
    }
}

const fn variant(code: u16, phrase: &'static str, meaning: &'static str) -> ReasonInfo {
    ReasonInfo {
        code,
        phrase,
        kind: PhraseKind::Variant,
        meaning,
        check: "As for the standard code.",
        basis: Basis::Documented,
        sources: LIST,
    }
}

/// Every recognised phrase, by code.
pub static REASONS: [ReasonInfo; 49] = [
    variant(182, "Call is Queued", "Another wording of 182 Queued: the call waits in a queue."),
    vendor(401, "Expired Authorization", "The server considers the registration or its authorisation expired; the device has to register again.", "The registration refresh interval and whether the re-REGISTER got through."),
    vendor(401, "AUTH Error: Stall nonce", "The nonce the credentials were computed with does not match what the server expects (\"stall\" presumably meaning stale). Often a wrong clock on the device or a digest implementation problem; the source also advises making sure the client is not blocking the provider's server.", "Date and time on the device, the digest algorithm, and firewall rules towards the provider."),
    ReasonInfo {
        code: 401,
        phrase: "nonce has changed",
        kind: PhraseKind::Vendor,
        meaning: "The credentials were refused because the nonce they were built with is no longer current, not because the password is wrong: digest's stale-nonce case. The client should answer the new challenge without asking the user again.",
        check: "Whether the client retries with the new nonce; if it loops, clocks and the nonce lifetime on the server (an Asterisk auth object has one).",
        basis: Basis::General,
        sources: &[
            SourceRef::at(Source::Rfc2617, "3.2.1"),
            SourceRef::at(Source::Rfc3261, "22.4"),
            SourceRef::at(Source::PjsipConfNotes, "auth"),
        ],
    },
    vendor(403, "No Such User", "The account does not exist: the number, login or password is wrong.", CREDENTIALS),
    vendor(403, "No license available", "The server has run out of SIP licences; the account is fine.", "The licence count on the server; report it to whoever runs it."),
    vendor(403, "You", "Listed with the same meaning as No Such User: the number, login or password is wrong (the phrase looks cut short in the source).", CREDENTIALS),
    vendor(403, "User Disabled", "The account exists but has been switched off.", "The account status with the provider or in the PBX."),
    vendor(403, "You do not have the required right", "The login in the From header is wrong for this account.", "The user part of From against the account login (from_user on an Asterisk endpoint)."),
    vendor(403, "Wrong Guess", "The password is wrong; the user name was accepted.", "The password on the device or in the outbound auth object."),
    vendor(403, "Conflict", "This SIP number is already in use elsewhere.", "Other devices or servers registered with the same account."),
    vendor(403, "Empty Route Set", "The switch has no gateway to route the call to.", ROUTING),
    vendor(403, "Caller Not Registered", "The calling account is unknown to the switch (it must be registered to call).", "The trunk registration and the caller ID / From user sent."),
    vendor(403, "Out of Look-Ahead Retries", "The switch tried every route or node it had for the call and none took it.", "Report to the provider; try again later or another destination."),
    vendor(403, "Invalid Phone Number", "The switch has no such destination.", ROUTING),
    vendor(403, "No Money Left on RFC Account", "Not enough money on the account to place the call.", BALANCE),
    vendor(404, "Undefined Reason", "The destination is not defined on the switch.", ROUTING),
    vendor(404, "Unknown user account", "The login and password were not found.", CREDENTIALS),
    vendor(404, "Out of Order", "The routing for this destination has no receiving gateways.", ROUTING),
    vendor(406, "No codecs match", "The codec configuration is wrong: the two sides share no codec.", CODECS),
    vendor(407, "User not found", "The proxy does not know the account; the source points at checking the account ID on the CommuniGate Pro server.", "The user ID configured on the proxy (CommuniGate Pro) and on the device."),
    vendor(408, "Login timed out", "The server got no answer to its authentication request in time.", "The path between device and server (firewall, NAT) and whether the authenticated request was sent at all."),
    vendor(410, "No Route", "A variant of 403 Empty Route Set: there is no route to the destination, or the resource no longer exists.", ROUTING),
    vendor(415, "No Media", "The call was placed with a codec the far side does not support.", CODECS),
    variant(416, "Unsupported Scheme", "A shorter wording of 416 Unsupported URI Scheme."),
    vendor(480, "Invalid Phone Number", "The number is wrong: too many or too few digits, or a bad country or area code.", "The dialled number's format (country code, prefixes) as sent in the Request-URI."),
    vendor(480, "Destination Not Found In Client Plan", "The destination is not included in this account's tariff plan.", BALANCE),
    vendor(480, "Wrong DB Response", "The provider's central database answered wrongly.", DATABASE),
    vendor(480, "DB Timeout", "The provider's central database did not answer in time.", DATABASE),
    vendor(480, "Database Error", "The provider's central database failed.", DATABASE),
    vendor(480, "Codec Mismatch", "The codecs do not match between the call and the route.", CODECS),
    vendor(480, "No Money Left on RFC Account", "Not enough money on the account.", BALANCE),
    vendor(480, "Empty Route Set", "The route for this destination has no receiving gateways; something is wrong with routing.", ROUTING),
    vendor(480, "No money left", "Not enough money on the account.", BALANCE),
    variant(481, "Call Leg/Transaction Does Not Exist", "The wording of the first SIP standard for 481: no matching dialog or transaction, which is normal when a duplicate packet arrives."),
    vendor(488, "Codec Mismatch", "No gateway supports the codec the call asked for.", CODECS),
    vendor(488, "Private IP Address", "The SDP gives a private (RFC 1918) address for RTP, which the provider cannot send media to: a NAT problem on the calling side.", "The c= line of the SDP; external_media_address and local_net on the Asterisk transport, or the phone's NAT / STUN settings."),
    variant(493, "Undeciperable", "A misspelling of 493 Undecipherable."),
    vendor(499, "Codec Mismatch", "A non-standard code used for a missing codec.", CODECS),
    variant(500, "Internal Server Error", "The HTTP-style wording of 500 Server Internal Error."),
    vendor(500, "DB Timeout", "The switch's database did not answer.", DATABASE),
    vendor(500, "Database Error", "The switch's database failed (the same fault as DB Timeout, seen at another stage).", DATABASE),
    vendor(500, "Wrong DB Response", "The switch's database gave a wrong answer.", DATABASE),
    vendor(500, "Undefined Reason", "The switch failed without naming a reason.", DATABASE),
    vendor(500, "account has been moved to a remote system", "The account now lives on another system; requests must go there.", "The server address configured for the account."),
    vendor(500, "Call placing quota exceeded", "Too many call attempts per second (CPS) for the account.", "The call rate towards the provider and the account's CPS limit."),
    variant(501, "Method Not Supported Here", "Another wording of 501 Not Implemented: the request's method is unknown to this server."),
    variant(505, "SIP Version not supported", "Another wording of 505 Version Not Supported."),
    variant(513, "Message too big", "Another wording of 513 Message Too Large."),
];

/// True when two phrases are the same word for word, ignoring ASCII case and
/// blanks.
fn same_phrase(a: &str, b: &str) -> bool {
    let mut a = a.split_whitespace();
    let mut b = b.split_whitespace();
    loop {
        match (a.next(), b.next()) {
            (None, None) => return true,
            (Some(x), Some(y)) if x.eq_ignore_ascii_case(y) => {}
            _ => return false,
        }
    }
}

/// The field phrase `reason` used with `code`, if the documents list it.
pub fn vendor_phrase(code: u16, reason: &str) -> Option<&'static ReasonInfo> {
    REASONS
        .iter()
        .find(|r| r.code == code && same_phrase(r.phrase, reason))
}

/// The field phrases known for one code.
pub fn phrases_for(code: u16) -> impl Iterator<Item = &'static ReasonInfo> {
    REASONS.iter().filter(move |r| r.code == code)
}

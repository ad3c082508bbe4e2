//! 2xx: success.

use super::{at, doc, CodeInfo};
use crate::explain::sources::{
    Basis::{Documented, General},
    Source::*,
};

pub(super) static CODES: [CodeInfo; 3] = [
    CodeInfo {
        code: 200,
        reason: "OK",
        meaning: "The request succeeded. For an INVITE it means the call was answered: the SDP in it settles the media, and the caller must confirm with ACK.",
        cause: "Normal. A 200 to REGISTER means the binding is stored; a 200 to BYE ends the call and carries no SDP. Good signalling does not prove the audio works: RTP travels separately and can still be blocked by NAT or a firewall.",
        cause_basis: Documented,
        check: "After a 200 to INVITE: an ACK must follow (repeated 200s mean it is not arriving, and the call drops after about 32 s), and RTP should flow both ways.",
        challenge: None,
        sources: &[
            at(Rfc3261, "21.2.1"),
            at(Rfc3261, "13.3.1.4"),
            at(SngrepDumpReading, "call examples"),
            at(SipIntroPjsip, "SIP vs RTP"),
        ],
    },
    CodeInfo {
        code: 202,
        reason: "Accepted",
        meaning: "Taken on but not finished. Mostly seen as the answer to a REFER (call transfer), whose outcome then arrives in NOTIFYs; older event stacks also answered SUBSCRIBE with it.",
        cause: "Normal during transfers. Asterisk reports the transfer's progress to the transferring phone in NOTIFYs, all steps or only the final one depending on refer_blind_progress.",
        cause_basis: Documented,
        check: "The NOTIFYs that follow: their sipfrag body tells whether the transfer target answered.",
        challenge: None,
        sources: &[
            doc(Rfc3515),
            doc(Rfc6665),
            at(PjsipConfNotes, "endpoint options"),
            at(SngrepDumpReading, "response code table"),
        ],
    },
    CodeInfo {
        code: 204,
        reason: "No Notification",
        meaning: "The subscription request worked, but no NOTIFY will follow now, because the subscriber already holds the current state (conditional event notification).",
        cause: "Presence and event servers that implement conditional notification; uncommon in Asterisk deployments.",
        cause_basis: General,
        check: "Nothing: the subscriber's cached state is still valid.",
        challenge: None,
        sources: &[doc(Rfc5839), at(SngrepDumpReading, "response code table")],
    },
];

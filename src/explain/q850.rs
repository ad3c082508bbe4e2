//! ITU-T Q.850 cause values, as carried by `Reason: Q.850;cause=N` (RFC
//! 3326) and Asterisk's X-Asterisk-HangupCauseCode, and the Warning codes of
//! RFC 3261 §20.43. Names are the standard ones; the notes are sipview's.

/// (cause, name, what it usually means behind a SIP answer)
const CAUSES: &[(u16, &str, &str)] = &[
    (1, "unallocated number", "the number dialled does not exist on the network that handled it"),
    (2, "no route to transit network", "the network asked to carry the call is not reachable from here"),
    (3, "no route to destination", "nothing routes towards the number (in Asterisk: an AoR with no contact, or no trunk for it)"),
    (6, "channel unacceptable", "the channel offered for the call cannot be used by the far side"),
    (16, "normal call clearing", "one side hung up: the normal end of a call"),
    (17, "user busy", "the callee is busy"),
    (18, "no user responding", "the callee's device did not answer the set-up at all"),
    (19, "no answer from user", "the callee's device rang but nobody picked up"),
    (20, "subscriber absent", "the callee is not reachable: not registered, switched off or out of coverage"),
    (21, "call rejected", "the callee (or a policy on its behalf) refused the call"),
    (22, "number changed", "the number moved; the new one may be given"),
    (26, "non-selected user clearing", "another device of the callee took the call"),
    (27, "destination out of order", "the callee's line or device is down"),
    (28, "invalid number format", "the number is incomplete or badly formed"),
    (29, "facility rejected", "a service the call asked for was refused"),
    (31, "normal, unspecified", "a normal failure without a more precise cause"),
    (34, "no circuit/channel available", "no line or channel was free for the call (trunk full, call limit reached)"),
    (38, "network out of order", "the network is not working and will not be for a while"),
    (41, "temporary failure", "the network failed briefly; a retry may work"),
    (42, "switching equipment congestion", "the switch is overloaded"),
    (44, "requested circuit/channel not available", "the exact channel asked for is in use"),
    (47, "resource unavailable, unspecified", "some resource needed for the call was missing"),
    (50, "requested facility not subscribed", "the caller's account does not include the service asked for"),
    (55, "incoming calls barred within CUG", "the callee does not accept calls from this group"),
    (57, "bearer capability not authorized", "the caller may not use this kind of call (e.g. data, video)"),
    (58, "bearer capability not presently available", "this kind of call cannot be carried now"),
    (63, "service or option not available", "a service asked for is not available"),
    (65, "bearer capability not implemented", "the network cannot carry this kind of call (often a codec or media mismatch)"),
    (66, "channel type not implemented", "the kind of channel asked for is not supported"),
    (69, "requested facility not implemented", "a service asked for is not supported"),
    (79, "service or option not implemented", "a service asked for is not supported"),
    (81, "invalid call reference value", "the far side does not know the call the message refers to"),
    (88, "incompatible destination", "the callee cannot handle this kind of call"),
    (95, "invalid message, unspecified", "a message was not understood"),
    (96, "mandatory information element missing", "a required part of a message was missing"),
    (97, "message type non-existent", "a message type was not known"),
    (99, "information element non-existent", "a part of a message was not known"),
    (100, "invalid information element contents", "a part of a message held a value not understood"),
    (102, "recovery on timer expiry", "a timer ran out waiting for the far side"),
    (111, "protocol error, unspecified", "the signalling went wrong"),
    (127, "interworking, unspecified", "the failure came from another network, which did not say why"),
];

/// The standard name and sipview's note for a Q.850 cause.
pub fn cause(n: u16) -> Option<(&'static str, &'static str)> {
    CAUSES
        .iter()
        .find(|(c, _, _)| *c == n)
        .map(|&(_, name, note)| (name, note))
}

/// The cause number of a `Reason:` value with the Q.850 protocol.
pub fn reason_cause(value: &str) -> Option<u16> {
    let lower = value.to_ascii_lowercase();
    let q850 = lower
        .split(',')
        .find(|r| r.trim_start().starts_with("q.850"))?;
    q850.split(';')
        .find_map(|p| p.trim().strip_prefix("cause="))
        .and_then(|n| n.trim().trim_matches('"').parse().ok())
}

/// RFC 3261 §20.43 warning codes.
const WARNINGS: &[(u16, &str)] = &[
    (300, "incompatible network protocol"),
    (301, "incompatible network address formats"),
    (302, "incompatible transport protocol"),
    (303, "incompatible bandwidth units"),
    (304, "media type not available"),
    (305, "incompatible media format"),
    (306, "attribute not understood"),
    (307, "session description parameter not understood"),
    (330, "multicast not available"),
    (331, "unicast not available"),
    (370, "insufficient bandwidth"),
    (399, "miscellaneous warning"),
];

/// A Warning header read: its code, the standard meaning, the text sent.
pub fn warning(value: &str) -> Option<(u16, &'static str, String)> {
    let mut parts = value.trim().splitn(3, ' ');
    let code: u16 = parts.next()?.parse().ok()?;
    let _agent = parts.next();
    let text = parts
        .next()
        .unwrap_or("")
        .trim()
        .trim_matches('"')
        .to_owned();
    let meaning = WARNINGS
        .iter()
        .find(|(c, _)| *c == code)
        .map_or("warning", |(_, m)| m);
    Some((code, meaning, text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_reason_and_warning() {
        assert_eq!(
            reason_cause("Q.850;cause=20;text=\"Subscriber absent\""),
            Some(20)
        );
        assert_eq!(reason_cause("SIP;cause=200, Q.850 ; cause=17"), Some(17));
        assert_eq!(reason_cause("SIP;cause=487"), None);
        assert_eq!(cause(34).map(|c| c.0), Some("no circuit/channel available"));
        assert_eq!(
            warning("304 pbx.example \"Media type not available\""),
            Some((
                304,
                "media type not available",
                "Media type not available".into()
            ))
        );
    }
}

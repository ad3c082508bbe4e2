//! SIP request methods: what each one does and how it relates to dialogs.
//!
//! Method names are case-sensitive in SIP (RFC 3261 §7.1), so `invite` is
//! strictly not INVITE; [`method`] still finds it, and [`method_or_generic`]
//! reports whether the case was exact so the pane can flag a sloppy peer.

use super::sources::{Source, SourceRef};

/// How a method stands towards dialogs (RFC 3261 §12).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DialogRole {
    /// Creates a dialog when its request succeeds (or, for INVITE, on a
    /// provisional response with a To tag).
    Creates,
    /// Only meaningful inside an existing dialog (or early dialog).
    InDialog,
    /// Works inside or outside a dialog and never creates one.
    Either,
    /// Never belongs to a dialog: a stand-alone transaction.
    Standalone,
}

impl DialogRole {
    pub fn creates_dialog(self) -> bool {
        self == DialogRole::Creates
    }
}

/// What sipview knows about one standard method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MethodInfo {
    /// The method as it appears on the request line (upper case).
    pub name: &'static str,
    /// One line for the ladder or a status bar.
    pub summary: &'static str,
    /// Two or three sentences for the explain pane.
    pub explanation: &'static str,
    pub dialog: DialogRole,
    pub sources: &'static [SourceRef],
}

impl MethodInfo {
    pub fn creates_dialog(&self) -> bool {
        self.dialog.creates_dialog()
    }
}

use Source::*;

const fn at(source: Source, section: &'static str) -> SourceRef {
    SourceRef::at(source, section)
}

const fn doc(source: Source) -> SourceRef {
    SourceRef::doc(source)
}

/// The standard methods sipview explains, in the order an engineer meets them.
pub static METHODS: [MethodInfo; 14] = [
    MethodInfo {
        name: "INVITE",
        summary: "Starts a call (or changes one already up: a re-INVITE).",
        explanation: "The caller offers a session, normally with an SDP body listing its codecs and the address where it wants to receive RTP. A first INVITE to Asterisk is often answered with 401 and sent again with credentials; after that expect 100 Trying, 180 or 183, then a final answer. The same method inside an established dialog is a re-INVITE, used for hold, direct media and codec changes.",
        dialog: DialogRole::Creates,
        sources: &[
            at(Rfc3261, "13"),
            at(SipIntroPjsip, "Most Common SIP Messages"),
            at(SngrepDumpReading, "call examples"),
        ],
    },
    MethodInfo {
        name: "ACK",
        summary: "Confirms the final answer to an INVITE.",
        explanation: "ACK is the third leg of the INVITE handshake and gets no response of its own. For a failure (4xx-6xx) it is sent hop by hop within the same transaction; for a 200 OK it is a new request sent end to end to the Contact of the answer. When the ACK for a 200 never arrives, the callee keeps resending the 200 and the call is torn down after about 32 seconds, which usually points at NAT or a wrong Contact.",
        dialog: DialogRole::InDialog,
        sources: &[
            at(Rfc3261, "13.2.2.4"),
            at(Rfc3261, "13.3.1.4"),
            at(Rfc3261, "17.1.1.3"),
            at(SipIntroPjsip, "Most Common SIP Messages"),
        ],
    },
    MethodInfo {
        name: "BYE",
        summary: "Hangs up an established call.",
        explanation: "Either side may send BYE once the call is answered; the other side replies 200 OK with no body and the media stops. A BYE that gets 481 means the receiver no longer knows the dialog, which often follows a restart or a Contact that pointed at the wrong address. If one side never receives the BYE, look at the transport and NAT between the parties.",
        dialog: DialogRole::InDialog,
        sources: &[
            at(Rfc3261, "15"),
            at(SngrepDumpReading, "call examples"),
            at(SipIntroPjsip, "Most Common SIP Messages"),
        ],
    },
    MethodInfo {
        name: "CANCEL",
        summary: "Withdraws an INVITE that has not been answered yet.",
        explanation: "The caller gave up before the callee answered. The CANCEL itself is answered with 200 OK, and the INVITE it cancels is then closed with 487 Request Terminated; both are normal for a call abandoned while ringing. A CANCEL only works on a pending INVITE: after the 200 OK the caller has to send BYE instead.",
        dialog: DialogRole::Standalone,
        sources: &[at(Rfc3261, "9"), at(SipIntroPjsip, "Most Common SIP Messages")],
    },
    MethodInfo {
        name: "REGISTER",
        summary: "Tells a registrar where a user can be reached.",
        explanation: "The phone binds the URI in its Contact header to the address of record named by the user part of the To header, for the number of seconds in Expires (0 removes the binding). In Asterisk the To user selects the AoR, and the AoR needs max_contacts set or the registration is refused with 403. A healthy exchange is REGISTER, 401, REGISTER with Authorization, 200 OK.",
        dialog: DialogRole::Standalone,
        sources: &[
            at(Rfc3261, "10"),
            at(PjsipTroubleshooting, "Inbound Registrations"),
            at(SngrepDumpReading, "REGISTER"),
        ],
    },
    MethodInfo {
        name: "OPTIONS",
        summary: "Asks a peer what it supports; widely used as a keep-alive ping.",
        explanation: "The answer lists the peer's methods and extensions (Allow, Supported). Asterisk sends OPTIONS to qualify contacts, and a peer that stops answering them is shown as unreachable. By default chan_pjsip challenges an incoming OPTIONS like any other request; allow_unauthenticated_options on the endpoint skips that, at the cost of letting outsiders probe for endpoint names.",
        dialog: DialogRole::Either,
        sources: &[
            at(Rfc3261, "11"),
            at(PjsipConfNotes, "endpoint options"),
            at(SngrepDumpReading, "peer status"),
        ],
    },
    MethodInfo {
        name: "SUBSCRIBE",
        summary: "Asks to be told about an event (presence, dialog state, voicemail).",
        explanation: "The Event header names the package, for example presence, dialog or message-summary, and the subscription creates a dialog in which NOTIFYs arrive. Asterisk handles it through res_pjsip_pubsub; presence and dialog need a hint for the extension in the endpoint's context, and voicemail needs mailboxes on the AoR. Endpoint identification and authentication apply just as for calls.",
        dialog: DialogRole::Creates,
        sources: &[
            doc(Rfc6665),
            at(PjsipTroubleshooting, "Inbound Subscriptions"),
        ],
    },
    MethodInfo {
        name: "NOTIFY",
        summary: "Delivers the state of a subscribed event.",
        explanation: "NOTIFY travels inside the dialog a SUBSCRIBE created, and a final one with Subscription-State terminated ends it. Asterisk also sends unsolicited NOTIFYs for voicemail (MWI) to endpoints that have mailboxes configured, and REFER reports transfer progress through NOTIFY with a sipfrag body.",
        dialog: DialogRole::InDialog,
        sources: &[
            doc(Rfc6665),
            at(PjsipTroubleshooting, "MWI"),
            at(PjsipConfNotes, "endpoint options"),
        ],
    },
    MethodInfo {
        name: "PUBLISH",
        summary: "Uploads event state (for example presence) to a server.",
        explanation: "A client publishes its own state so that the server can notify subscribers. Refreshes and updates carry SIP-If-Match with the entity tag the server returned; a stale tag gets 412 Conditional Request Failed.",
        dialog: DialogRole::Standalone,
        sources: &[doc(Rfc3903), at(SngrepDumpReading, "request categories")],
    },
    MethodInfo {
        name: "INFO",
        summary: "Carries application data inside a call without changing it.",
        explanation: "INFO rides in an existing INVITE dialog and does not touch the session state. Its most common use is DTMF: some phones and trunks send key presses as INFO instead of RFC 4733 telephone events, so an IVR that ignores keys from one trunk often means a DTMF mode mismatch.",
        dialog: DialogRole::InDialog,
        sources: &[
            doc(Rfc6086),
            at(SipIntroPjsip, "DTMF in SIP Calls"),
            at(SngrepDumpReading, "request categories"),
        ],
    },
    MethodInfo {
        name: "MESSAGE",
        summary: "Sends an instant message (text in the body).",
        explanation: "Each MESSAGE stands alone, like a pager message, although it may also be sent inside a call. Asterisk identifies and authenticates it like any other request.",
        dialog: DialogRole::Either,
        sources: &[
            doc(Rfc3428),
            at(PjsipTroubleshooting, "Unrecognized Endpoint"),
        ],
    },
    MethodInfo {
        name: "REFER",
        summary: "Asks the other side to call a third party (call transfer).",
        explanation: "The Refer-To header names the target; the receiver accepts with 202 and reports how the new call goes in NOTIFYs with a sipfrag body such as SIP/2.0 200 OK. Inside a call that subscription joins the existing dialog, outside one it creates a dialog. Asterisk's refer_blind_progress option chooses between reporting every step and only the final 200, which some phones insist on.",
        dialog: DialogRole::Creates,
        sources: &[doc(Rfc3515), at(PjsipConfNotes, "endpoint options")],
    },
    MethodInfo {
        name: "PRACK",
        summary: "Acknowledges a reliable provisional response (100rel).",
        explanation: "When both sides support 100rel, a 180 or 183 is sent with RSeq and repeated until the caller answers it with PRACK, so early media and ringing are not lost on a lossy path. In Asterisk the endpoint's 100rel setting decides whether this is offered, required or off.",
        dialog: DialogRole::InDialog,
        sources: &[doc(Rfc3262), at(PjsipConfNotes, "endpoint options")],
    },
    MethodInfo {
        name: "UPDATE",
        summary: "Changes session parameters, even before the call is answered.",
        explanation: "UPDATE can carry a new SDP offer or refresh a session timer without a re-INVITE, and it works in an early dialog. Asterisk may use it to send connected line (caller ID) updates when the peer lists UPDATE in Allow, instead of renegotiating media with a re-INVITE.",
        dialog: DialogRole::InDialog,
        sources: &[doc(Rfc3311), at(PjsipConfNotes, "endpoint options")],
    },
];

/// Summary shown for a method sipview does not know.
pub const GENERIC_METHOD_SUMMARY: &str =
    "Not a standard SIP method: an extension or vendor request.";

/// Explanation shown for a method sipview does not know.
pub const GENERIC_METHOD_EXPLANATION: &str = "SIP lets implementations define their own methods, and proxies pass them on unchanged. Examples seen in captures are KDMQ (Kamailio's DMQ replication between servers) and PING (a keep-alive some devices send). A server that does not implement the method should answer 501 Not Implemented, or 405 Method Not Allowed if it knows the method but refuses it for this address.";

/// Sources for the generic method text.
pub static GENERIC_METHOD_SOURCES: [SourceRef; 2] = [at(Rfc3261, "8.2.1"), at(Rfc3261, "21.5.2")];

/// The standard method named `name`, whatever its case.
pub fn method(name: &str) -> Option<&'static MethodInfo> {
    let name = name.trim();
    METHODS.iter().find(|m| m.name.eq_ignore_ascii_case(name))
}

/// A method explained: a known one, or the generic text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MethodExplanation<'a> {
    /// A standard method. `exact_case` is false when the request spelled it
    /// in another case (strictly a different, unknown method).
    Known {
        info: &'static MethodInfo,
        exact_case: bool,
    },
    /// Anything else, by the name it was sent with.
    Unknown { name: &'a str },
}

impl MethodExplanation<'_> {
    pub fn summary(&self) -> &'static str {
        match self {
            MethodExplanation::Known { info, .. } => info.summary,
            MethodExplanation::Unknown { .. } => GENERIC_METHOD_SUMMARY,
        }
    }

    pub fn explanation(&self) -> &'static str {
        match self {
            MethodExplanation::Known { info, .. } => info.explanation,
            MethodExplanation::Unknown { .. } => GENERIC_METHOD_EXPLANATION,
        }
    }

    pub fn sources(&self) -> &'static [SourceRef] {
        match self {
            MethodExplanation::Known { info, .. } => info.sources,
            MethodExplanation::Unknown { .. } => &GENERIC_METHOD_SOURCES,
        }
    }

    /// Whether the method creates a dialog; `None` when unknown.
    pub fn creates_dialog(&self) -> Option<bool> {
        match self {
            MethodExplanation::Known { info, .. } => Some(info.creates_dialog()),
            MethodExplanation::Unknown { .. } => None,
        }
    }
}

/// Explains any method name: the standard entry, or the generic text.
pub fn method_or_generic(name: &str) -> MethodExplanation<'_> {
    match method(name) {
        Some(info) => MethodExplanation::Known {
            info,
            exact_case: info.name == name.trim(),
        },
        None => MethodExplanation::Unknown { name: name.trim() },
    }
}

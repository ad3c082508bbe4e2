//! DTMF mode mismatches read from a call's offer, answer and INFO requests:
//! keys sent as SIP INFO where both SDPs negotiated RFC 4733
//! telephone-events, and calls with no DTMF path at all (no
//! telephone-event on either side and a compressed codec that in-band tones
//! do not survive). Each rule needs the offer and its answer both in the
//! capture: nothing is guessed from one side. (An offer with
//! telephone-event answered without it is the `dtmf` rule in offer.rs.)

use super::call_view::CallView;
use super::finding::{Finding, Severity};
use super::offer::codecs;
use crate::explain::sources::{Source::*, SourceRef};

const SOURCES: &[SourceRef] = &[
    SourceRef::at(
        SipIntroPjsip,
        "DTMF in SIP Calls (Why IVR Keys Sometimes Fail)",
    ),
    SourceRef::at(Rfc4733, "2.1"),
    SourceRef::at(Rfc6086, "4"),
];

/// Codecs too compressed to carry DTMF tones reliably in the audio.
const LOW_BITRATE: &[&str] = &[
    "G729", "G729A", "G723", "GSM", "ILBC", "AMR", "AMR-WB", "SPEEX",
];

/// One offer and the answer to it, as far as DTMF goes.
struct Negotiation {
    offer: u32,
    answer: u32,
    offer_events: bool,
    answer_events: bool,
    /// The answer's first codec (the one used), when the offer had it.
    codec: Option<String>,
}

/// Offers (INVITE, UPDATE) each with the answer that followed.
fn negotiations(v: &CallView<'_>) -> Vec<Negotiation> {
    let mut out = Vec::new();
    for (o, offered, i, sdp) in super::offer::offers_and_answers(v) {
        let (Some(om), Some(am)) = (offered.audio(), sdp.audio()) else {
            continue;
        };
        if om.port == 0 || am.port == 0 {
            continue;
        }
        out.push(Negotiation {
            offer: o,
            answer: i,
            offer_events: om.has_telephone_event(),
            answer_events: am.has_telephone_event(),
            codec: codecs(am)
                .into_iter()
                .next()
                .filter(|c| codecs(om).contains(c)),
        });
    }
    out
}

/// Adds the DTMF mode findings of a call.
pub fn dtmf_modes(v: &CallView<'_>, out: &mut Vec<Finding>) {
    let talks = negotiations(v);
    let info = &v.call.info_dtmf;
    if let Some(first_key) = info.first() {
        // The negotiation in force when the first key was sent.
        let before = talks.iter().rev().find(|n| n.answer < first_key.message);
        if let Some(n) = before.filter(|n| n.offer_events && n.answer_events) {
            let keys: String = info.iter().map(|d| d.key.key).collect();
            let refused = info
                .iter()
                .filter(|d| {
                    v.msgs
                        .iter()
                        .find(|(j, _)| *j == d.message)
                        .and_then(|(_, r)| v.final_answer(r))
                        .is_some_and(|(_, _, _, c)| c >= 300)
                })
                .count();
            let mut evidence = vec![n.offer, n.answer];
            evidence.extend(info.iter().map(|d| d.message));
            out.push(Finding {
                rule: "dtmf-mode-mismatch",
                severity: if refused > 0 {
                    Severity::Warning
                } else {
                    Severity::Info
                },
                title: format!(
                    "DTMF {keys} sent as SIP INFO although both SDPs negotiated RFC 4733 telephone-event"
                ),
                detail: format!(
                    "Offer and answer agreed on telephone-event, so the far end expects keys as RTP events; the \
                     sender used SIP INFO instead. If the receiver listens for one mode only, the keys are lost \
                     (an IVR that works inside the PBX but not through this trunk).{}",
                    if refused > 0 {
                        format!(" {refused} of the INFO requests were refused.")
                    } else {
                        " The INFO requests were accepted here; whether the application acted on them is not in \
                         the signalling."
                            .to_owned()
                    }
                ),
                check: "One DTMF mode on both sides: dtmf_mode=rfc4733 on both PJSIP endpoints (dtmfmode=rfc2833 on \
                        chan_sip), or info on both; the sender's DTMF setting (SIP INFO versus RFC 2833/4733)."
                    .into(),
                evidence,
                sources: SOURCES,
            });
        }
        return;
    }
    // No key was seen: a call with no path for keys at all.
    let Some(n) = talks.last() else {
        return;
    };
    let codec = n.codec.as_deref().unwrap_or("");
    if n.offer_events || n.answer_events || !LOW_BITRATE.contains(&codec) {
        return;
    }
    out.push(Finding {
        rule: "dtmf-no-path",
        severity: Severity::Info,
        title: format!("No DTMF path: no telephone-event on either side, audio in {codec}"),
        detail: format!(
            "Neither the offer nor the answer has telephone-event, so keys could go only as SIP INFO (if both \
             sides are set for it) or as tones inside the audio, and {codec} compresses tones badly: an IVR \
             may not hear keys pressed in this call."
        ),
        check: "Add telephone-event to both sides (dtmf_mode=rfc4733 on PJSIP endpoints, dtmfmode=rfc2833 on \
                chan_sip) or use G.711 if in-band DTMF is meant."
            .into(),
        evidence: vec![n.offer, n.answer],
        sources: SOURCES,
    });
}

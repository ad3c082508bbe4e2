//! The SDP offer read on its own (an offer with no usable stream) and
//! against its answer (no common codec, telephone-event dropped).

use super::call_view::CallView;
use super::finding::{Finding, Severity};
use crate::explain::sources::{Source::*, SourceRef};
use crate::sip::{Media, Sdp};

const CODEC_SOURCES: &[SourceRef] = &[
    SourceRef::at(Rfc3264, "6"),
    SourceRef::at(Rfc3261, "21.4.26"),
    SourceRef::at(SngrepDumpReading, "response code table"),
];
const DTMF_SOURCES: &[SourceRef] = &[SourceRef::at(
    SipIntroPjsip,
    "DTMF in SIP Calls (Why IVR Keys Sometimes Fail)",
)];

/// Codec names of a media section, telephone-event left out.
pub fn codecs(m: &Media) -> Vec<String> {
    m.payloads
        .iter()
        .map(|&pt| m.codec(pt).to_ascii_uppercase())
        .filter(|n| n != "TELEPHONE-EVENT")
        .collect()
}

/// Why an initial offer cannot set up any media: every stream refused
/// (port 0), no address (c=0.0.0.0), or every stream inactive.
pub fn unusable(sdp: &Sdp) -> Vec<String> {
    let mut why = Vec::new();
    if sdp.media.is_empty() {
        return why;
    }
    if sdp.media.iter().all(|m| m.port == 0) {
        let lines: Vec<String> = sdp
            .media
            .iter()
            .map(|m| format!("m={} 0", m.kind))
            .collect();
        why.push(lines.join(", "));
    }
    let unspecified = sdp
        .media
        .iter()
        .all(|m| sdp.media_address(m).is_some_and(|a| a.is_unspecified()));
    if unspecified {
        why.push("c=0.0.0.0".into());
    }
    if sdp
        .media
        .iter()
        .all(|m| m.direction.as_deref() == Some("inactive"))
    {
        why.push("a=inactive".into());
    }
    why
}

/// One line naming what an SDP offers.
pub fn summary(sdp: &Sdp) -> String {
    let Some(a) = sdp.audio() else {
        return "no audio stream".into();
    };
    let addr = sdp
        .media_address(a)
        .map_or_else(|| "?".to_owned(), |ip| ip.to_string());
    format!("audio {} at {addr}:{}", codecs(a).join(" "), a.port)
}

const INFO_SOURCES: &[SourceRef] = &[
    SourceRef::at(
        SipIntroPjsip,
        "DTMF in SIP Calls (Why IVR Keys Sometimes Fail)",
    ),
    SourceRef::at(Rfc6086, "4"),
];

/// DTMF keys sent as SIP INFO (application/dtmf-relay or application/dtmf).
pub fn dtmf_info(v: &CallView<'_>, out: &mut Vec<Finding>) {
    let mut keys = String::new();
    let mut evidence = Vec::new();
    for (k, i, m) in v.requests() {
        if m.retransmission || v.method(m) != "INFO" {
            continue;
        }
        if let Some(key) = v.facts(k).and_then(|f| f.dtmf_key.clone()) {
            keys.push_str(&key);
            evidence.push(i);
        }
    }
    if keys.is_empty() {
        return;
    }
    let refused = evidence.iter().filter(|&&i| {
        v.msgs
            .iter()
            .find(|(j, _)| *j == i)
            .and_then(|(_, r)| v.final_answer(r))
            .is_some_and(|(_, _, _, c)| c >= 300)
    });
    let refused = refused.count();
    out.push(Finding {
        rule: "dtmf-info",
        severity: if refused > 0 { Severity::Warning } else { Severity::Info },
        title: format!("DTMF {keys} sent as SIP INFO ({} key presses)", evidence.len()),
        detail: format!(
            "The keys went in the signalling, one INFO request each, not as RTP events or tones.{}",
            if refused > 0 {
                format!(" {refused} of them were refused: the far end does not take DTMF this way.")
            } else {
                " Both sides must use the same DTMF mode (info on both) for an IVR to hear them.".to_owned()
            }
        ),
        check: "The DTMF mode on both sides (dtmf_mode=info on PJSIP, dtmfmode=info on chan_sip) if the IVR does \
                not react."
            .into(),
        evidence,
        sources: INFO_SOURCES,
    });
}

/// Each offer (INVITE, UPDATE) with the answer that followed it, as
/// (offer index, offer SDP, answer index, answer SDP); retransmissions and
/// messages without SDP are passed over.
pub(super) fn offers_and_answers<'a>(v: &'a CallView<'_>) -> Vec<(u32, &'a Sdp, u32, &'a Sdp)> {
    let mut out = Vec::new();
    let mut offer: Option<(u32, &Sdp)> = None;
    for (k, &(i, m)) in v.msgs.iter().enumerate() {
        if m.retransmission || !m.has_sdp {
            continue;
        }
        let relevant = matches!(v.method(m), "INVITE" | "UPDATE")
            || matches!(CallView::code(m), Some(180..=299)) && v.cseq_method(m) == "INVITE";
        if !relevant {
            continue;
        }
        let Some(sdp) = v.facts(k).and_then(|f| f.sdp.as_ref()) else {
            continue;
        };
        match CallView::code(m) {
            None => offer = Some((i, sdp)),
            Some(_) => {
                if let Some((o, offered)) = offer.take() {
                    out.push((o, offered, i, sdp));
                }
            }
        }
    }
    out
}

/// Compares each offer with the answer that follows it.
pub fn offer_answer(v: &CallView<'_>, out: &mut Vec<Finding>) {
    for (o, offered, a, answered) in offers_and_answers(v) {
        compare(o, offered, a, answered, out);
    }
}

fn compare(o: u32, offer: &Sdp, a: u32, answer: &Sdp, out: &mut Vec<Finding>) {
    let (Some(om), Some(am)) = (offer.audio(), answer.audio()) else {
        return;
    };
    let (offered, answered) = (codecs(om), codecs(am));
    if om.port != 0
        && am.port != 0
        && !answered.is_empty()
        && !answered.iter().any(|c| offered.contains(c))
    {
        out.push(Finding {
            rule: "codec",
            severity: Severity::Problem,
            title: format!(
                "No common codec: offered {}, answered {}",
                offered.join(" "),
                answered.join(" ")
            ),
            detail: "The answer lists only codecs the offer did not have, so the two sides cannot agree on how to \
                     encode audio: expect silence or a quick hang-up."
                .into(),
            check: "The codecs allowed on both sides (allow= on Asterisk endpoints, peers and trunks); the codecs \
                    the phone or provider supports."
                .into(),
            evidence: vec![o, a],
            sources: CODEC_SOURCES,
        });
    }
    if om.has_telephone_event() && !am.has_telephone_event() && am.port != 0 {
        out.push(Finding {
            rule: "dtmf",
            severity: Severity::Warning,
            title: "telephone-event offered but not answered: DTMF keys may not arrive".into(),
            detail: "The offer proposed RFC 4733 telephone-events for DTMF and the answer left them out, so keys \
                     pressed will not be sent as RTP events; unless both sides agree on SIP INFO or in-band DTMF, an \
                     IVR will not hear them."
                .into(),
            check: "The DTMF mode on both sides (dtmf_mode on PJSIP, dtmfmode on chan_sip: rfc4733 / info / \
                    inband) and the telephone-event rtpmap in both SDPs."
                .into(),
            evidence: vec![o, a],
            sources: DTMF_SOURCES,
        });
    }
}

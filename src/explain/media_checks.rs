//! Diagnosis rules that read a call's RTP: audio one way only, RTP on an
//! address the SDP did not announce, no RTP at all, poor quality, and DTMF
//! events the answer did not accept.

use super::diagnose::{Finding, Severity};
use super::sources::{Source::*, SourceRef};
use crate::calls::{CallStore, Kind};
use crate::capture::Timestamp;
use crate::media::{CallSides, Direction, MediaTracker, Side, Stream};

const ONE_WAY_SOURCES: &[SourceRef] = &[
    SourceRef::at(
        SngrepDumpReading,
        "one-way audio (Односторонняя слышимость)",
    ),
    SourceRef::at(
        SipIntroPjsip,
        "Common SIP Problems Beginners Face: Call connects but no audio / one-way audio",
    ),
    SourceRef::at(PjsipTroubleshooting, "ARGH! NAT!"),
    SourceRef::at(PjsipConfNotes, "endpoint options"),
];
const ADDRESS_SOURCES: &[SourceRef] = &[
    SourceRef::at(PjsipTroubleshooting, "ARGH! NAT!"),
    SourceRef::at(
        SngrepDumpReading,
        "one-way audio (Односторонняя слышимость)",
    ),
    SourceRef::at(PjsipConfNotes, "transport and NAT options"),
];
const QUALITY_SOURCES: &[SourceRef] = &[
    SourceRef::at(
        SngrepDumpReading,
        "voice dropouts (4.13 Клиент жалуется на плохую связь, пропадение голоса)",
    ),
    SourceRef::at(Rfc3550, "6.4.1"),
    SourceRef::at(Rfc3550, "A.8"),
];
const DTMF_SOURCES: &[SourceRef] = &[
    SourceRef::at(
        SipIntroPjsip,
        "DTMF in SIP Calls (Why IVR Keys Sometimes Fail)",
    ),
    SourceRef::at(Rfc4733, "2.1"),
];

/// Loss above this share of the expected packets is worth a warning.
const LOSS_LIMIT: f64 = 0.05;
/// Loss above this share makes the audio unusable: a problem.
const BROKEN_LOSS: f64 = 0.20;
/// Mean RFC 3550 jitter above this (seconds) is worth a warning.
const JITTER_LIMIT: f64 = 0.030;
/// Loss is judged only on streams at least this long (a few packets lost
/// at the start of a short stream are no trend).
const MIN_EXPECTED: u64 = 50;
/// Silence after the answer shorter than this (µs) proves nothing.
const MIN_SILENCE_US: i64 = 1_000_000;

/// The media of one call: its own streams and those it shares with other
/// calls (B2BUA legs, direct media set up by re-INVITEs), each stream's
/// direction read from this call's SDP.
struct CallMedia<'m> {
    sides: CallSides,
    /// The tracker gives each stream to the calls that announced its ends,
    /// shared ones included.
    streams: Vec<&'m Stream>,
}

impl<'m> CallMedia<'m> {
    fn of(media: &'m MediaTracker, call: u32) -> CallMedia<'m> {
        CallMedia {
            sides: CallSides::of(media, call),
            streams: media.call_streams(call).collect(),
        }
    }
}

fn side_name(side: Side) -> &'static str {
    match side {
        Side::Caller => "caller",
        Side::Callee => "callee",
    }
}

/// Adds the media findings of one call. `None` media (the TUI before the
/// media stage is wired in) adds nothing.
pub fn media_findings(
    store: &CallStore,
    media: Option<&MediaTracker>,
    call: u32,
    out: &mut Vec<Finding>,
) {
    let (Some(media), Some(c)) = (media, store.calls().get(call as usize)) else {
        return;
    };
    let cm = CallMedia::of(media, call);
    let streams = cm.streams.clone();
    let all = &media.announcements;
    let mut announced: Vec<u32> = media.call_announcements(call).map(|a| a.message).collect();
    announced.sort_unstable();
    // The 2xx that answered the INVITE, for evidence and timing.
    let answer = c.messages.iter().copied().find(|&i| {
        store.message(i).is_some_and(|m| {
            matches!(m.kind, Kind::Response(200..=299))
                && !m.retransmission
                && m.cseq
                    .is_some_and(|(_, meth)| store.strings.get(meth) == "INVITE")
        })
    });
    // Hold or one-way on purpose: a sendonly/recvonly/inactive SDP.
    let not_both_ways = media.call_announcements(call).any(|a| {
        all.media(a)
            .iter()
            .any(|m| m.direction.is_some_and(|d| d != Direction::SendRecv))
    });
    // Most serious first: the verdict is the first problem found.
    if let (Some(answered), Some(answer)) = (c.answered, answer) {
        if !not_both_ways && !announced.is_empty() {
            let answer = Answer {
                at: answered,
                message: answer,
                call_end: c.last,
            };
            directions(media, &cm, &answer, &announced, out);
        }
    }
    address_mismatch(&cm, &announced, out);
    quality(&streams, out);
    super::mos_check::low_mos(media, &streams, out);
    loss_past_the_capture(media, &streams, out);
    dtmf_unaccepted(media, &cm, call, out);
}

/// When and by which message a call was answered, and its last message.
struct Answer {
    at: Timestamp,
    message: u32,
    call_end: Timestamp,
}

/// After the answer: no RTP at all, or RTP one way only.
fn directions(
    media: &MediaTracker,
    cm: &CallMedia<'_>,
    answer: &Answer,
    announced: &[u32],
    out: &mut Vec<Finding>,
) {
    let answered = answer.at;
    let after: Vec<&Stream> = cm
        .streams
        .iter()
        .copied()
        .filter(|s| s.last >= answered && !s.events_only())
        .collect();
    let mut evidence = announced.to_vec();
    evidence.push(answer.message);
    evidence.sort_unstable();
    evidence.dedup();
    if after.is_empty() {
        if media.has_rtp() && answer.call_end.micros_since(answered) >= MIN_SILENCE_US {
            out.push(Finding {
                rule: "no-rtp",
                severity: Severity::Problem,
                title: format!(
                    "No RTP at all after the 200 OK ({:.1} s of call)",
                    answer.call_end.micros_since(answered) as f64 / 1e6
                ),
                detail: "The call was answered and lasted, but no RTP to or from the addresses its SDP announced \
                         is in the capture, while other calls' RTP is: neither side's audio arrived here. Either \
                         the media goes another way than the capture point (direct media between the phones, \
                         another interface), or it is blocked or sent to unreachable addresses (NAT, firewall)."
                    .into(),
                check: "Where the capture was taken (does the RTP pass there?); direct_media on the endpoints; the \
                        SDP c= addresses against the real ones (NAT: external_media_address, local_net, \
                        rtp_symmetric); the firewall's RTP port range (rtp.conf rtpstart/rtpend).".into(),
                evidence,
                sources: ONE_WAY_SOURCES,
            });
        }
        return;
    }
    let count = |side: Side| -> u64 {
        after
            .iter()
            .filter(|s| cm.sides.towards(s) == Some(side))
            .map(|s| s.packets)
            .sum()
    };
    let (to_callee, to_caller) = (count(Side::Callee), count(Side::Caller));
    // The side that sent nothing, or under a tenth of what came the other
    // way (a few packets through before the path broke).
    let (few, many) = (to_callee.min(to_caller), to_callee.max(to_caller));
    if many == 0 || few > 0 && (few * 10 >= many || many < MIN_EXPECTED) {
        stopped_early(cm, &after, answered, &evidence, out);
        return;
    }
    let silent = if to_callee < to_caller {
        Side::Caller
    } else {
        Side::Callee
    };
    let title = if few == 0 {
        format!(
            "RTP one way only: {} -> {} ({many} packets), nothing from the {}",
            side_name(silent.other()),
            side_name(silent),
            side_name(silent)
        )
    } else {
        format!(
            "RTP mostly one way: {} -> {} {many} packets, back only {few}",
            side_name(silent.other()),
            side_name(silent),
        )
    };
    out.push(Finding {
        rule: "one-way-audio",
        severity: Severity::Problem,
        title,
        detail: format!(
            "After the answer the {sending} sent RTP to the {silent} but (almost) no RTP came back to the address the {sending}'s SDP announced: one side hears nothing. Most often NAT: the {silent} (or a PBX on its behalf) sends to a private or wrong address written in the SDP, or a firewall drops its RTP; less often the {silent} is muted or its media is sent elsewhere.",
            sending = side_name(silent.other()),
            silent = side_name(silent),
        ),
        check: "The c= and m= lines of both SDPs against where the RTP really comes from (--streams); symmetric \
                RTP on the PBX (rtp_symmetric on PJSIP, nat=comedia on chan_sip); the firewall's RTP port range \
                (rtp.conf rtpstart/rtpend on Asterisk, usually 10000-20000)."
            .into(),
        evidence,
        sources: ONE_WAY_SOURCES,
    });
}

/// Both directions flowed, but one stopped long before the other: the
/// audio went one way for the rest of the call (a NAT mapping that expired,
/// a re-INVITE one side did not follow).
fn stopped_early(
    cm: &CallMedia<'_>,
    after: &[&Stream],
    answered: Timestamp,
    evidence: &[u32],
    out: &mut Vec<Finding>,
) {
    let last = |side: Side| {
        after
            .iter()
            .filter(|s| cm.sides.towards(s) == Some(side))
            .map(|s| s.last)
            .max()
    };
    let (Some(to_callee), Some(to_caller)) = (last(Side::Callee), last(Side::Caller)) else {
        return;
    };
    let (early, late, stopped) = if to_callee < to_caller {
        (to_callee, to_caller, Side::Caller)
    } else {
        (to_caller, to_callee, Side::Callee)
    };
    let gap = late.micros_since(early);
    // Five seconds, and a third of the media time after the answer.
    if gap < 5_000_000 || gap * 3 < late.micros_since(answered) {
        return;
    }
    out.push(Finding {
        rule: "one-way-audio",
        severity: Severity::Problem,
        title: format!(
            "RTP from the {} stopped {:.1} s before the {}'s",
            side_name(stopped),
            gap as f64 / 1e6,
            side_name(stopped.other())
        ),
        detail: format!(
            "Both directions flowed after the answer, then the {} sent nothing more while the {} went on: for \
             the rest of the call one side heard silence. Often a NAT or firewall mapping that expired, or a \
             re-INVITE that moved the media on one side only.",
            side_name(stopped),
            side_name(stopped.other())
        ),
        check: "The messages around the time the RTP stopped (a re-INVITE or UPDATE, a hold); the NAT's UDP \
                timeout and symmetric RTP on the PBX. A PBX that hangs up some seconds after the RTP stopped may be \
                its own timer doing it: rtp_timeout (rtp_timeout_hold while on hold) on an Asterisk endpoint, \
                rtptimeout= in chan_sip."
            .into(),
        evidence: evidence.to_vec(),
        sources: ONE_WAY_SOURCES,
    });
}

/// RTP from or to an address no SDP of the call announced (NAT in between,
/// or an endpoint that does not send from where it receives).
fn address_mismatch(cm: &CallMedia<'_>, announced: &[u32], out: &mut Vec<Finding>) {
    let mut said: Vec<String> = Vec::new();
    for s in &cm.streams {
        match (cm.sides.side_of(s.src), cm.sides.side_of(s.dst)) {
            (_, None) if cm.sides.side_of(s.src).is_some() => {
                said.push(format!(
                    "RTP sent to {}, which no SDP of the call announced",
                    s.dst
                ));
            }
            (None, Some(to)) => {
                let mut expected: Vec<String> = cm
                    .sides
                    .announced_by(to.other())
                    .map(|a| a.to_string())
                    .collect();
                expected.dedup();
                let mut line = format!("RTP to {} comes from {}", s.dst, s.src);
                if !expected.is_empty() {
                    line.push_str(&format!(
                        ", while the SDP announced {}",
                        expected.join(" / ")
                    ));
                }
                said.push(line);
            }
            _ => {}
        }
    }
    if said.is_empty() {
        return;
    }
    said.dedup();
    out.push(Finding {
        rule: "rtp-address",
        severity: Severity::Warning,
        title: format!("RTP on an address the SDP did not announce: {}", said.join("; ")),
        detail: "The RTP of this call does not use the address:port its SDP gave. A NAT between the phone and \
                 the capture point rewrites the source; that works only while the far end sends its RTP back to \
                 where the packets come from (symmetric RTP, comedia). RTP sent to the announced, unreachable \
                 address gives one-way audio or none."
            .into(),
        check: "Symmetric RTP on the PBX (rtp_symmetric=yes on PJSIP, nat=comedia on chan_sip), and its own \
                public address in its SDP when it sits behind NAT (external_media_address / local_net on PJSIP, \
                externaddr / localnet on chan_sip); the phone's STUN / NAT settings."
            .into(),
        evidence: announced.to_vec(),
        sources: ADDRESS_SOURCES,
    });
}

/// Loss over 5 % or mean jitter over 30 ms on any audio stream.
fn quality(streams: &[&Stream], out: &mut Vec<Finding>) {
    let mut said: Vec<String> = Vec::new();
    let mut broken = false;
    for s in streams.iter().filter(|s| !s.events_only()) {
        let loss = s.loss_ratio();
        if s.seq.expected() >= MIN_EXPECTED && loss > LOSS_LIMIT {
            broken |= loss > BROKEN_LOSS;
            said.push(format!(
                "{} -> {} lost {} of {} packets ({:.1} %)",
                s.src,
                s.dst,
                s.lost(),
                s.seq.expected(),
                loss * 100.0
            ));
        }
        if s.jitter.mean() > JITTER_LIMIT {
            said.push(format!(
                "{} -> {} mean jitter {:.1} ms (max {:.1} ms)",
                s.src,
                s.dst,
                s.jitter.mean() * 1e3,
                s.jitter.max * 1e3
            ));
        }
    }
    if said.is_empty() {
        return;
    }
    out.push(Finding {
        rule: "rtp-quality",
        // A fifth of the audio gone is a failed call, not a risk.
        severity: if broken { Severity::Problem } else { Severity::Warning },
        title: format!("Poor RTP quality: {}", said.join("; ")),
        detail: "Packets missing from the sequence numbers, or arriving with uneven spacing, are heard as \
                 dropouts, robotic or choppy voice. The cause is on the path where the capture was taken or \
                 before it: a busy uplink or Wi-Fi, no QoS for voice, or a provider's network. (Loss counted at \
                 this capture point; jitter per RFC 3550.)"
            .into(),
        check: "Capture at both ends to find the stretch that loses packets; the phone's link (cable, not Wi-Fi); \
                QoS / DSCP EF for RTP on the router; ping and mtr towards the far end during a call.".into(),
        evidence: Vec::new(),
        sources: QUALITY_SOURCES,
    });
}

/// The receiver's RTCP reports more loss than the capture saw: packets are
/// lost between the capture point and the receiver.
fn loss_past_the_capture(media: &MediaTracker, streams: &[&Stream], out: &mut Vec<Finding>) {
    let mut said: Vec<String> = Vec::new();
    for s in streams.iter().filter(|s| !s.events_only()) {
        let Some(block) = media.rtcp_about(s).last else {
            continue;
        };
        let reported = i64::from(block.cumulative_lost);
        let seen = i64::try_from(s.lost()).unwrap_or(i64::MAX);
        let packets = i64::try_from(s.packets).unwrap_or(i64::MAX);
        // More than a few packets, and more than 2 % of the stream.
        let past = reported.saturating_sub(seen);
        if s.seq.expected() < MIN_EXPECTED || past < 5 || past * 50 < packets {
            continue;
        }
        said.push(format!(
            "{} -> {}: the receiver reports {reported} lost, the capture saw {seen} of {} lost",
            s.src,
            s.dst,
            s.seq.expected()
        ));
    }
    if said.is_empty() {
        return;
    }
    out.push(Finding {
        rule: "rtcp-loss",
        severity: Severity::Warning,
        title: format!("RTP lost after the capture point: {}", said.join("; ")),
        detail: "The receiver's RTCP reports count packets that never reached it; the capture saw them pass. \
                 So they are lost on the stretch between the capture point and the receiver: its access link, \
                 Wi-Fi, a firewall or a provider's network on that side."
            .into(),
        check: "That stretch of the path: the receiving phone's link (cable, not Wi-Fi), QoS / DSCP EF for RTP \
                towards it, mtr from the capture point to the receiver during a call.".into(),
        evidence: Vec::new(),
        sources: QUALITY_SOURCES,
    });
}

/// DTMF sent as RTP events to a side whose SDP did not accept
/// telephone-event.
fn dtmf_unaccepted(media: &MediaTracker, cm: &CallMedia<'_>, call: u32, out: &mut Vec<Finding>) {
    for s in cm.streams.iter().filter(|s| !s.dtmf.digits.is_empty()) {
        let Some(to) = cm.sides.towards(s) else {
            continue;
        };
        let theirs: Vec<_> = media
            .call_announcements(call)
            .filter(|a| a.side == to)
            .collect();
        let all = &media.announcements;
        if theirs.is_empty() || theirs.iter().any(|a| all.has_telephone_event(a)) {
            continue;
        }
        let mut evidence: Vec<u32> = media.call_announcements(call).map(|a| a.message).collect();
        evidence.sort_unstable();
        evidence.dedup();
        out.push(Finding {
            rule: "dtmf-unaccepted",
            severity: Severity::Problem,
            title: format!(
                "DTMF {} sent as RTP events, but the {}'s SDP did not accept telephone-event",
                s.dtmf.text(),
                side_name(to)
            ),
            detail: format!(
                "The {} sent {} key press(es) as RFC 4733 telephone-events (payload type {}) to a side whose SDP \
                 has no telephone-event: it will most likely ignore them, so an IVR or voicemail does not react \
                 to the keys.",
                side_name(to.other()),
                s.dtmf.digits.len(),
                media
                    .call_announcements(call)
                    .find_map(|a| {
                        all.media(a)
                            .iter()
                            .flat_map(|m| all.payloads(m))
                            .find(|p| p.telephone_event)
                            .map(|p| p.pt)
                    })
                    .map_or_else(|| "?".to_owned(), |pt| pt.to_string()),
            ),
            check: "dtmf_mode on both endpoints (rfc4733 on both, or info / inband on both); the telephone-event \
                    rtpmap in offer and answer.".into(),
            evidence,
            sources: DTMF_SOURCES,
        });
    }
}

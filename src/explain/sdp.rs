//! SDP bodies explained line by line: where the sender wants media, which
//! codecs it offers, DTMF, direction, packet time, encryption.
//!
//! Each line is read with the whole body parsed first, so a payload type on
//! an `m=` line is named from the `a=rtpmap` lines below it.

use super::headers::HeaderNote;
use super::sources::{Source, SourceRef};
use crate::sip::{behind_nat, Media, Sdp};
use std::net::IpAddr;

use Source::*;
const SESSION: &[SourceRef] = &[
    SourceRef::at(Rfc4566, "5"),
    SourceRef::at(SipIntroPjsip, "Key SIP Concepts You Must Know"),
];
const CONNECTION: &[SourceRef] = &[
    SourceRef::at(Rfc4566, "5.7"),
    SourceRef::at(PjsipTroubleshooting, "ARGH! NAT!"),
    SourceRef::at(
        SngrepDumpReading,
        "one-way audio (Односторонняя слышимость)",
    ),
];
const MEDIA: &[SourceRef] = &[
    SourceRef::at(Rfc4566, "5.14"),
    SourceRef::at(Rfc3264, "6"),
    SourceRef::at(Rfc3551, "6"),
];
const RTPMAP: &[SourceRef] = &[SourceRef::at(Rfc4566, "6"), SourceRef::at(Rfc3551, "6")];
const DTMF: &[SourceRef] = &[
    SourceRef::at(Rfc4733, "2.3"),
    SourceRef::at(
        SipIntroPjsip,
        "DTMF in SIP Calls (Why IVR Keys Sometimes Fail)",
    ),
];
const DIRECTION: &[SourceRef] = &[SourceRef::at(Rfc3264, "5.1"), SourceRef::at(Rfc3264, "8.4")];
const GENERIC: &[SourceRef] = &[SourceRef::at(Rfc4566, "5")];

/// Every line of an SDP body, in order, with what it says.
pub fn explain_sdp(body: &[u8], source: Option<IpAddr>) -> Vec<(String, HeaderNote)> {
    let sdp = Sdp::parse(body);
    let text = String::from_utf8_lossy(body);
    let mut section: Option<&Media> = None;
    let mut media_seen = 0;
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            continue;
        }
        let (key, value) = line.split_once('=').unwrap_or((line, ""));
        if key == "m" {
            section = sdp.media.get(media_seen);
            media_seen += 1;
        }
        let (name, lines, sources) = match key {
            "v" => (
                "v= (version)",
                vec![format!("SDP version {value}; always 0.")],
                SESSION,
            ),
            "o" => ("o= (origin)", origin(value), SESSION),
            "s" => (
                "s= (session name)",
                vec!["Free text naming the session; nothing depends on it.".to_owned()],
                SESSION,
            ),
            "c" => ("c= (connection)", connection(value, source), CONNECTION),
            "t" => ("t= (timing)", timing(value), SESSION),
            "m" => ("m= (media)", media(value, section), MEDIA),
            "a" => attribute(value, section),
            "b" => (
                "b= (bandwidth)",
                vec![format!("Bandwidth limit {value} (type:kbit/s).")],
                GENERIC,
            ),
            _ => (
                "SDP line",
                vec!["A line sipview has no note for.".to_owned()],
                GENERIC,
            ),
        };
        out.push((
            line.to_owned(),
            HeaderNote {
                name: name.to_owned(),
                lines,
                sources,
            },
        ));
    }
    out
}

fn origin(value: &str) -> Vec<String> {
    let f: Vec<&str> = value.split_whitespace().collect();
    let mut lines =
        vec!["Who made this description: user name, session id, version, address.".to_owned()];
    if let [user, id, version, _, _, addr, ..] = f.as_slice() {
        lines.push(format!(
            "User {user}, session {id}, version {version}, address {addr}. A re-INVITE that changes media must \
             raise the version; the same version means the same description."
        ));
    }
    lines
}

fn connection(value: &str, source: Option<IpAddr>) -> Vec<String> {
    let addr: Option<IpAddr> = value
        .split_whitespace()
        .nth(2)
        .and_then(|a| a.split('/').next()?.parse().ok());
    let mut lines = vec!["The address the sender wants RTP sent to.".to_owned()];
    match addr {
        Some(a) if a.is_unspecified() => lines
            .push("0.0.0.0 is the old way of putting the call on hold: send no media.".to_owned()),
        Some(a) => {
            if let Some(private) = behind_nat(Some(a), source) {
                lines.push(format!(
                    "{private} is a private address but the packet came from {}: the sender is behind NAT, media \
                     sent here will not arrive (one-way or no audio) unless the far end ignores it and answers to \
                     where RTP comes from (direct_media=no, rtp_symmetric, external_media_address).",
                    source.map_or_else(|| "elsewhere".to_owned(), |s| s.to_string())
                ));
            } else {
                lines.push(format!("Media to {a}."));
            }
        }
        None => lines.push("The address could not be read.".to_owned()),
    }
    lines
}

fn timing(value: &str) -> Vec<String> {
    if value.trim() == "0 0" {
        vec!["0 0: the session is not bounded in time (the usual value for calls).".to_owned()]
    } else {
        vec![format!("Start and stop time {value} (NTP seconds).")]
    }
}

fn media(value: &str, m: Option<&Media>) -> Vec<String> {
    let proto = value.split_whitespace().nth(2).unwrap_or("");
    let Some(m) = m else {
        return vec!["A media stream.".to_owned()];
    };
    let mut lines = Vec::new();
    if m.port == 0 {
        lines.push(format!(
            "{} stream with port 0: refused or turned off (RFC 3264).",
            m.kind
        ));
    } else {
        lines.push(format!("{} stream, RTP to port {}.", m.kind, m.port));
    }
    let codecs: Vec<String> = m
        .payloads
        .iter()
        .map(|&pt| format!("{pt}={}", m.codec(pt)))
        .collect();
    if !codecs.is_empty() {
        lines.push(format!(
            "Payload types, most wanted first: {}.",
            codecs.join(" ")
        ));
    }
    lines.push(match proto {
        "RTP/AVP" => "RTP/AVP: plain RTP, not encrypted.".to_owned(),
        "RTP/SAVP" => {
            "RTP/SAVP: SRTP; keys in a=crypto. Both ends must do SRTP or the call fails with 488."
                .to_owned()
        }
        "RTP/AVPF" | "RTP/SAVPF" | "UDP/TLS/RTP/SAVPF" => format!(
            "{proto}: RTP with feedback (WebRTC style); the far end must support it or answer 488."
        ),
        other => format!("Transport {other}."),
    });
    if m.kind == "audio" && m.port != 0 && !m.has_telephone_event() {
        lines.push(
            "No telephone-event here: keys pressed can only go as SIP INFO or in-band tones."
                .to_owned(),
        );
    }
    lines
}

type Explained = (&'static str, Vec<String>, &'static [SourceRef]);

fn attribute(value: &str, m: Option<&Media>) -> Explained {
    let (attr, arg) = value.split_once(':').unwrap_or((value, ""));
    match attr {
        "rtpmap" => {
            let (pt, name) = arg.split_once(' ').unwrap_or((arg, ""));
            let mut lines = vec![format!("Payload type {pt} is {name} (codec/clock rate).")];
            if name.to_ascii_lowercase().starts_with("telephone-event") {
                lines.push(
                    "telephone-event: DTMF keys sent as RTP events (RFC 4733), what dtmf_mode=rfc4733 uses."
                        .to_owned(),
                );
                return ("a=rtpmap", lines, DTMF);
            }
            ("a=rtpmap", lines, RTPMAP)
        }
        "fmtp" => {
            let (pt, params) = arg.split_once(' ').unwrap_or((arg, ""));
            let is_event = pt
                .parse::<u8>()
                .ok()
                .zip(m)
                .is_some_and(|(pt, m)| m.codec(pt).eq_ignore_ascii_case("telephone-event"));
            if is_event {
                (
                    "a=fmtp",
                    vec![format!(
                        "Events {params} are accepted (0-15: digits 0-9, *, #, A-D)."
                    )],
                    DTMF,
                )
            } else {
                (
                    "a=fmtp",
                    vec![format!("Parameters for payload type {pt}: {params}.")],
                    RTPMAP,
                )
            }
        }
        "ptime" => (
            "a=ptime",
            vec![format!(
                "{arg} ms of audio per RTP packet (20 is usual; both ends should agree)."
            )],
            RTPMAP,
        ),
        "maxptime" => (
            "a=maxptime",
            vec![format!("At most {arg} ms of audio per packet.")],
            RTPMAP,
        ),
        "sendrecv" => (
            "a=sendrecv",
            vec!["Media both ways (the default).".to_owned()],
            DIRECTION,
        ),
        "sendonly" => (
            "a=sendonly",
            vec!["The sender will send but not receive: usually the call is put on hold (music on hold)."
                .to_owned()],
            DIRECTION,
        ),
        "recvonly" => (
            "a=recvonly",
            vec!["The sender will receive but not send: the answer to a hold.".to_owned()],
            DIRECTION,
        ),
        "inactive" => (
            "a=inactive",
            vec!["No media either way: hold on both sides.".to_owned()],
            DIRECTION,
        ),
        "rtcp" => (
            "a=rtcp",
            vec![format!(
                "RTCP (quality reports) goes to {arg}, not the RTP port + 1."
            )],
            MEDIA,
        ),
        "crypto" => (
            "a=crypto",
            vec!["SDES-SRTP key for encrypted media. It travels in clear text unless signalling is on TLS."
                .to_owned()],
            MEDIA,
        ),
        "fingerprint" | "setup" => (
            "a=fingerprint / a=setup",
            vec!["DTLS-SRTP: media keys negotiated in a DTLS handshake (WebRTC).".to_owned()],
            MEDIA,
        ),
        "ice-ufrag" | "ice-pwd" | "candidate" | "ice-options" => (
            "ICE",
            vec!["ICE: candidate addresses to try for media, a NAT traversal aid.".to_owned()],
            MEDIA,
        ),
        _ => (
            "a= (attribute)",
            vec![format!("Attribute {attr}.")],
            GENERIC,
        ),
    }
}

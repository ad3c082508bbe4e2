//! NAT, only where a packet proves it: a private address written by a
//! sender whose packets come from a public one, or a server's `received=`
//! that differs from what the request's sender wrote in its Via.
//!
//! Not NAT: a response's Via (it names the receiver), a message relayed by
//! a proxy or B2BUA (it carries its originator's Contact and SDP), private
//! addresses talking to each other directly.

use super::call_view::CallView;
use super::finding::{Finding, Severity};
use super::stack::{Advice, LazyStack};
use crate::explain::sources::{Source::*, SourceRef};
use crate::sip::{is_private, is_public as public};
use std::net::{IpAddr, SocketAddr};

const NAT_SOURCES: &[SourceRef] = &[
    SourceRef::at(PjsipTroubleshooting, "ARGH! NAT!"),
    SourceRef::at(
        SngrepDumpReading,
        "one-way audio (Односторонняя слышимость)",
    ),
    SourceRef::at(PjsipConfNotes, "transport and NAT options"),
    SourceRef::at(Rfc3261, "18.2.1"),
];

const PHONE_BEHIND_NAT: Advice = Advice {
    pjsip: "On the endpoint: force_rport=yes (answer where the request came from), rewrite_contact=yes (store \
            the real source as the contact), rtp_symmetric=yes (send RTP back where it comes from) and \
            direct_media=no; or the phone's own NAT / STUN settings.",
    chan_sip: "In sip.conf for the peer: nat=force_rport,comedia (answer and send RTP to the real source) and \
               qualify=yes to keep the NAT's mapping open; or the phone's own NAT / STUN settings.",
    plain: "The server or proxy must answer to the packet's source (rport, RFC 3581) and reach the device at the \
            address its packets come from (Kamailio: fix_nated_contact / fix_nated_register and an RTP relay); \
            or set the device's own NAT / STUN / outbound proxy options.",
};

const SERVER_BEHIND_NAT: Advice = Advice {
    pjsip: "On the transport: local_net (the private networks) with external_signaling_address and \
            external_media_address (the public address), so Asterisk writes its public address.",
    chan_sip: "In sip.conf [general]: localnet= (the private networks) and externaddr= (the public address), \
               so Asterisk writes its public address.",
    plain: "The server must advertise its public address (its own external / advertised address setting, or \
            an SBC in front of it).",
};

/// One party shown behind NAT, with the addresses it wrote.
struct Party {
    /// Where its packets come from.
    seen: SocketAddr,
    written: Vec<String>,
    /// The answering server itself, rather than a phone.
    server: bool,
    evidence: Vec<u32>,
}

fn note(parties: &mut Vec<Party>, seen: SocketAddr, server: bool, what: String, i: u32) {
    let p = match parties.iter_mut().position(|p| p.seen == seen) {
        Some(at) => &mut parties[at],
        None => {
            parties.push(Party {
                seen,
                written: Vec::new(),
                server,
                evidence: Vec::new(),
            });
            let last = parties.len() - 1;
            &mut parties[last]
        }
    };
    if !p.written.contains(&what) {
        p.written.push(what);
    }
    if !p.evidence.contains(&i) {
        p.evidence.push(i);
    }
}

pub fn nat(v: &CallView<'_>, stack: &LazyStack<'_>, out: &mut Vec<Finding>) {
    // Without a public source only a server's received= can prove NAT, and
    // a server writes it in every answer to the party: the first answer to
    // each requester is enough (a message read costs a read).
    let any_public = v.msgs.iter().any(|(_, m)| public(v.addr(m.src).ip()));
    let hops = if any_public { v.hops() } else { Vec::new() };
    // One answer per requester, one with SDP where there is one: the offer
    // rules read it already.
    let mut sampled: Vec<(u32, usize)> = Vec::new();
    if !any_public {
        for (k, _, m, _) in v.responses().filter(|(_, _, m, _)| !m.retransmission) {
            match sampled.iter_mut().find(|(to, _)| *to == m.dst) {
                Some(s) if m.has_sdp && !v.msgs[s.1].1.has_sdp => s.1 = k,
                Some(_) => {}
                None => sampled.push((m.dst, k)),
            }
        }
    }
    // A forged request's Via and Contact are invented: neither it nor the
    // answers that copy its Via say anything about NAT.
    let forger = super::forged::forger(v);
    let mut parties: Vec<Party> = Vec::new();
    for (k, &(i, m)) in v.msgs.iter().enumerate() {
        if m.retransmission || !any_public && !sampled.iter().any(|(_, at)| *at == k) {
            continue;
        }
        if forger.is_some_and(|f| f == m.src || f == m.dst) {
            continue;
        }
        let Some(f) = v.facts(k) else { continue };
        let src = v.addr(m.src);
        let is_request = CallView::code(m).is_none();
        let from_server = m.src == v.call.dst;
        let relayed = hops.contains(&m.src) || is_request && (f.vias > 1 || f.record_route);
        let from_public = public(src.ip());
        let private = |a: Option<IpAddr>| a.filter(|a| is_private(*a));
        if is_request && from_public {
            if let Some(a) = private(f.via_ip) {
                note(&mut parties, src, from_server, format!("Via {a}"), i);
            }
        }
        if !relayed && from_public {
            if let Some(a) = private(f.contact_ip) {
                note(&mut parties, src, from_server, format!("Contact {a}"), i);
            }
            let media = f.sdp.as_ref().and_then(|s| {
                s.audio()
                    .and_then(|a| s.media_address(a).map(|ip| (ip, a.port)))
            });
            if let Some((a, port)) = media.filter(|(a, _)| is_private(*a)) {
                note(&mut parties, src, from_server, format!("SDP {a}:{port}"), i);
            }
        }
        // A server's word on the request's source: `received=` (and
        // `rport=`) in the Via it copied into the response.
        if !is_request {
            if let (Some(sent_by), Some(received)) = (private(f.via_ip), f.received) {
                if received != sent_by {
                    let port = f.rport.or(f.via_port).unwrap_or(5060);
                    let seen = SocketAddr::new(received, port);
                    let to_server = m.dst == v.call.dst;
                    note(&mut parties, seen, to_server, format!("Via {sent_by}"), i);
                }
            }
        }
    }
    for p in parties {
        let side = if !p.server {
            "The caller"
        } else {
            "The answering side"
        };
        let unreachable = p.written.join(", ");
        let advice = if p.server {
            &SERVER_BEHIND_NAT
        } else {
            &PHONE_BEHIND_NAT
        };
        out.push(Finding {
            rule: "nat",
            severity: Severity::Warning,
            title: format!(
                "{side} is behind NAT: it writes {unreachable}, its packets come from {}",
                p.seen
            ),
            detail: format!(
                "The addresses it wrote ({unreachable}) are private and cannot be reached from the other side \
                 of the NAT at {}: requests sent to such a Contact, and RTP sent to such an SDP address, get lost \
                 unless the far end answers to the packets' real source. Expect calls that drop after about 32 s \
                 (an ACK that never arrives) or one-way audio.",
                p.seen.ip()
            ),
            check: stack.pick(advice),
            evidence: p.evidence,
            sources: NAT_SOURCES,
        });
    }
}

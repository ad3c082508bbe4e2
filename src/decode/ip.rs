use super::tcp::Meta;
use super::tunnel::{self, Inner};
use super::{Decoder, FlowKey, Payload, Segment, Transport};
use crate::capture::Packet;
use etherparse::{IpNumber, LaxSlicedPacket, NetSlice, SlicedPacket, TcpSlice, UdpSlice};
use std::net::{IpAddr, SocketAddr};

/// IP-in-IP nesting deeper than this is not real traffic.
const MAX_TUNNEL_DEPTH: u8 = 4;

pub(super) struct Context<'p, 'a> {
    pub packet: &'p Packet<'a>,
    /// File offset of the IP header being decoded, when it is the packet's own bytes.
    pub ip_offset: Option<u64>,
}

struct Ip<'a> {
    src: IpAddr,
    dst: IpAddr,
    proto: IpNumber,
    payload: &'a [u8],
}

pub(super) fn decode_ip(
    dec: &mut Decoder,
    ctx: &Context<'_, '_>,
    data: &[u8],
    depth: u8,
    sink: &mut dyn FnMut(Segment<'_>),
) {
    if depth > MAX_TUNNEL_DEPTH {
        return;
    }
    let ip = match SlicedPacket::from_ip(data) {
        Ok(sliced) => {
            let Some(net) = sliced.net.as_ref() else {
                dec.stats.not_ip += 1;
                return;
            };
            let Some((src, dst)) = addresses(net) else {
                dec.stats.not_ip += 1;
                return;
            };
            let Some(p) = net.ip_payload_ref() else {
                return;
            };
            if p.fragmented {
                dec.stats.ip_fragments += 1;
                if let Some(whole) = dec.defrag.process(&sliced, ctx.packet.ts) {
                    dec.stats.reassembled_datagrams += 1;
                    let ip = Ip {
                        src,
                        dst,
                        proto: whole.ip_number,
                        payload: &whole.payload,
                    };
                    transport(dec, ctx, &ip, None, depth, sink);
                    dec.defrag.recycle(whole);
                }
                return;
            }
            Ip {
                src,
                dst,
                proto: p.ip_number,
                payload: p.payload,
            }
        }
        // Lenient fallback for packets cut by the snap length or with length
        // fields that disagree with the capture: take what is there.
        Err(_) => match LaxSlicedPacket::from_ip(data) {
            Ok(lax) => {
                let Some(net) = lax.net.as_ref() else {
                    dec.stats.not_ip += 1;
                    return;
                };
                let Some(p) = net.ip_payload_ref() else {
                    dec.stats.not_ip += 1;
                    return;
                };
                let (src, dst) = match net {
                    etherparse::LaxNetSlice::Ipv4(v4) => (
                        IpAddr::V4(v4.header().source_addr()),
                        IpAddr::V4(v4.header().destination_addr()),
                    ),
                    etherparse::LaxNetSlice::Ipv6(v6) => (
                        IpAddr::V6(v6.header().source_addr()),
                        IpAddr::V6(v6.header().destination_addr()),
                    ),
                    etherparse::LaxNetSlice::Arp(_) => return,
                };
                if p.fragmented {
                    dec.stats.not_ip += 1;
                    return;
                }
                Ip {
                    src,
                    dst,
                    proto: p.ip_number,
                    payload: p.payload,
                }
            }
            Err(_) => {
                dec.stats.not_ip += 1;
                return;
            }
        },
    };
    let payload_offset = ctx
        .ip_offset
        .map(|o| o + (ip.payload.as_ptr() as usize - data.as_ptr() as usize) as u64);
    transport(dec, ctx, &ip, payload_offset, depth, sink);
}

fn addresses(net: &NetSlice<'_>) -> Option<(IpAddr, IpAddr)> {
    match net {
        NetSlice::Ipv4(v4) => Some((
            IpAddr::V4(v4.header().source_addr()),
            IpAddr::V4(v4.header().destination_addr()),
        )),
        NetSlice::Ipv6(v6) => Some((
            IpAddr::V6(v6.header().source_addr()),
            IpAddr::V6(v6.header().destination_addr()),
        )),
        NetSlice::Arp(_) => None,
    }
}

fn transport(
    dec: &mut Decoder,
    ctx: &Context<'_, '_>,
    ip: &Ip<'_>,
    payload_offset: Option<u64>,
    depth: u8,
    sink: &mut dyn FnMut(Segment<'_>),
) {
    match ip.proto {
        IpNumber::UDP => {
            let Ok(udp) = UdpSlice::from_slice_lax(ip.payload) else {
                return;
            };
            let bytes = udp.payload();
            let file_offset = payload_offset
                .map(|o| o + (bytes.as_ptr() as usize - ip.payload.as_ptr() as usize) as u64);
            let inner = dec.tunnel_ports.peel(udp.destination_port(), bytes);
            if let Some(inner) = inner {
                peel(dec, ctx, inner, bytes, file_offset, depth, sink);
                return;
            }
            if tunnel::looks_like_vxlan(bytes) {
                dec.stats.vxlan_other_port += 1;
                dec.stats.vxlan_other_port_last = udp.destination_port();
            }
            sink(Segment {
                packet_number: ctx.packet.number,
                ts: ctx.packet.ts,
                flow: FlowKey {
                    src: SocketAddr::new(ip.src, udp.source_port()),
                    dst: SocketAddr::new(ip.dst, udp.destination_port()),
                },
                transport: Transport::Udp,
                payload: Payload::Datagram { bytes, file_offset },
            });
        }
        IpNumber::TCP => {
            let Ok(tcp) = TcpSlice::from_slice(ip.payload) else {
                return;
            };
            if looks_like_tls(tcp.payload()) {
                dec.stats.tls_segments += 1;
            }
            let meta = Meta {
                packet_number: ctx.packet.number,
                ts: ctx.packet.ts,
                flow: FlowKey {
                    src: SocketAddr::new(ip.src, tcp.source_port()),
                    dst: SocketAddr::new(ip.dst, tcp.destination_port()),
                },
            };
            dec.tcp.segment(&meta, &tcp, sink);
        }
        IpNumber::SCTP => {
            let (packet_number, ts) = (ctx.packet.number, ctx.packet.ts);
            let whole = dec
                .sctp
                .packet(ip.src, ip.dst, ip.payload, &mut |flow, bytes, at| {
                    sink(Segment {
                        packet_number,
                        ts,
                        flow,
                        transport: Transport::Sctp,
                        payload: Payload::Message {
                            bytes,
                            file_offset: at.and_then(|a| payload_offset.map(|o| o + a as u64)),
                        },
                    })
                });
            if !whole {
                dec.stats.not_ip += 1;
            }
        }
        IpNumber::GRE => match tunnel::gre(ip.payload) {
            Some(inner) => peel(dec, ctx, inner, ip.payload, payload_offset, depth, sink),
            None => dec.stats.tunnel_unsupported += 1,
        },
        // IP-in-IP (4) and IPv6-in-IPv4 / IPv6-in-IPv6 (41): peel and go again.
        IpNumber::IPV4 | IpNumber::IPV6 => {
            let inner = Context {
                packet: ctx.packet,
                ip_offset: payload_offset,
            };
            decode_ip(dec, &inner, ip.payload, depth + 1, sink);
        }
        _ => {}
    }
}

/// Decodes what a tunnel carried; `outer` (at `outer_offset` in the file)
/// holds it.
fn peel(
    dec: &mut Decoder,
    ctx: &Context<'_, '_>,
    inner: Inner<'_>,
    outer: &[u8],
    outer_offset: Option<u64>,
    depth: u8,
    sink: &mut dyn FnMut(Segment<'_>),
) {
    let packet = match inner {
        Inner::Ip(p) => Some(p),
        Inner::Ethernet(frame) => super::link::ethernet(frame),
    };
    let Some(packet) = packet else {
        dec.stats.not_ip += 1;
        return;
    };
    let inner_ctx = Context {
        packet: ctx.packet,
        ip_offset: outer_offset
            .map(|o| o + (packet.as_ptr() as usize - outer.as_ptr() as usize) as u64),
    };
    decode_ip(dec, &inner_ctx, packet, depth + 1, sink);
}

/// A TLS record header at the start of a segment (content type 20-23,
/// version 3.x, a record length TLS allows): SIP over TLS that sipview
/// cannot read without the keys, counted so "no calls" has its reason.
fn looks_like_tls(payload: &[u8]) -> bool {
    let [kind, major, minor, hi, lo, ..] = *payload else {
        return false;
    };
    let length = usize::from(u16::from_be_bytes([hi, lo]));
    (20..=23).contains(&kind) && major == 3 && minor <= 4 && (1..=18_432).contains(&length)
}

//! Sending SIP messages to a HEP collector (HOMER, heplify-server, another
//! sipview -L) as HEP v3 over UDP.

use super::message::{HepPacket, IPPROTO_TCP, IPPROTO_UDP, PROTO_TYPE_SIP};
use super::{encode_v3, HepError};
use crate::capture::Timestamp;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// One SIP message to send: where and when it was seen, and its bytes.
#[derive(Debug, Clone, Copy)]
pub struct Outgoing<'a> {
    pub src: SocketAddr,
    pub dst: SocketAddr,
    pub ts: Timestamp,
    /// Carried over TCP (or a protocol on it); UDP otherwise.
    pub tcp: bool,
    pub payload: &'a [u8],
}

/// What was sent; shared with whoever reports it.
#[derive(Debug, Default)]
pub struct SendStats {
    pub sent: AtomicU64,
    pub failed: AtomicU64,
    last_error: Mutex<Option<String>>,
}

impl SendStats {
    pub fn last_error(&self) -> Option<String> {
        self.last_error.lock().ok().and_then(|e| e.clone())
    }
}

pub struct HepSender {
    socket: UdpSocket,
    dest: SocketAddr,
    capture_id: u32,
    password: Option<Vec<u8>>,
    buf: Vec<u8>,
    stats: Arc<SendStats>,
}

impl HepSender {
    /// A sender to `dest` with capture agent id `capture_id` and, when
    /// given, an authentication key (sent in clear, as HEP does).
    pub fn new(
        dest: SocketAddr,
        capture_id: u32,
        password: Option<&str>,
    ) -> Result<Self, HepError> {
        let any: SocketAddr = match dest {
            SocketAddr::V4(_) => (Ipv4Addr::UNSPECIFIED, 0).into(),
            SocketAddr::V6(_) => (Ipv6Addr::UNSPECIFIED, 0).into(),
        };
        let socket =
            UdpSocket::bind(any).map_err(|source| HepError::Send { addr: dest, source })?;
        Ok(HepSender {
            socket,
            dest,
            capture_id,
            password: password.map(|p| p.as_bytes().to_vec()),
            buf: Vec::with_capacity(2048),
            stats: Arc::default(),
        })
    }

    pub fn destination(&self) -> SocketAddr {
        self.dest
    }

    pub fn stats(&self) -> Arc<SendStats> {
        Arc::clone(&self.stats)
    }

    /// Sends one message as one HEP3 packet. Failures are also counted in
    /// [`SendStats`], so a caller on the capture path may ignore them.
    pub fn send(&mut self, m: &Outgoing<'_>) -> Result<(), HepError> {
        let result = self.try_send(m);
        match &result {
            Ok(()) => self.stats.sent.fetch_add(1, Ordering::Relaxed),
            Err(e) => {
                if let Ok(mut last) = self.stats.last_error.lock() {
                    *last = Some(e.to_string());
                }
                self.stats.failed.fetch_add(1, Ordering::Relaxed)
            }
        };
        result
    }

    fn try_send(&mut self, m: &Outgoing<'_>) -> Result<(), HepError> {
        let packet = HepPacket {
            version: 3,
            ip_proto: if m.tcp { IPPROTO_TCP } else { IPPROTO_UDP },
            src: m.src,
            dst: m.dst,
            ts: Some(m.ts),
            proto_type: Some(PROTO_TYPE_SIP),
            capture_id: Some(self.capture_id),
            auth_key: self.password.as_deref(),
            correlation_id: None,
            payload: m.payload,
        };
        encode_v3(&packet, &mut self.buf)?;
        self.socket
            .send_to(&self.buf, self.dest)
            .map(|_| ())
            .map_err(|source| HepError::Send {
                addr: self.dest,
                source,
            })
    }
}

//! Receiving HEP over UDP: each datagram decoded, its SIP payload rebuilt
//! into an IP packet and handed on as if it had been captured here.

use super::{decode, ip_packet, HepError};
use crate::capture::{LinkType, Packet, Timestamp};
use std::io::ErrorKind;
use std::net::{SocketAddr, UdpSocket};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How often a quiet socket looks at the stop flag.
const POLL: Duration = Duration::from_millis(200);
/// Asked of the kernel so a burst (a whole file sent with -H) is not
/// dropped while the pipeline catches up; Linux caps it at rmem_max.
const RECEIVE_BUFFER: libc::c_int = 8 << 20;

/// What the listener saw; shared with whoever reports it.
#[derive(Debug, Default)]
pub struct ReceiveStats {
    pub datagrams: AtomicU64,
    /// SIP payloads handed on.
    pub sip: AtomicU64,
    /// HEP packets of other types (RTCP, logs, ...), skipped.
    pub other_types: AtomicU64,
    /// Datagrams that were not HEP or were damaged.
    pub bad: AtomicU64,
    last_error: Mutex<Option<String>>,
}

impl ReceiveStats {
    /// The last decoding error, to say why packets were counted as bad.
    pub fn last_error(&self) -> Option<String> {
        self.last_error.lock().ok().and_then(|e| e.clone())
    }

    fn bad(&self, e: &HepError) {
        self.bad.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut last) = self.last_error.lock() {
            *last = Some(e.to_string());
        }
    }
}

/// A bound UDP socket receiving HEP.
pub struct HepListener {
    socket: UdpSocket,
    addr: SocketAddr,
    stats: Arc<ReceiveStats>,
}

impl HepListener {
    pub fn bind(addr: SocketAddr) -> Result<Self, HepError> {
        let fail = |source| HepError::Bind { addr, source };
        let socket = UdpSocket::bind(addr).map_err(fail)?;
        socket.set_read_timeout(Some(POLL)).map_err(fail)?;
        grow_receive_buffer(&socket);
        let addr = socket.local_addr().map_err(fail)?;
        Ok(HepListener {
            socket,
            addr,
            stats: Arc::default(),
        })
    }

    /// The address bound (the real port when 0 was asked for).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn stats(&self) -> Arc<ReceiveStats> {
        Arc::clone(&self.stats)
    }

    /// Hands every SIP payload received, as a raw IP packet, to `on_packet`
    /// until `stop` is set.
    pub fn run(&self, stop: &AtomicBool, mut on_packet: impl FnMut(&Packet<'_>)) {
        let mut datagram = vec![0u8; 65_536];
        let mut ip = Vec::with_capacity(2048);
        let mut number = 0u64;
        while !stop.load(Ordering::Relaxed) {
            let len = match self.socket.recv_from(&mut datagram) {
                Ok((len, _from)) => len,
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                    continue
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                // A UDP socket has no lasting failure worth ending on;
                // pause so a persistent one cannot spin.
                Err(_) => {
                    std::thread::sleep(POLL);
                    continue;
                }
            };
            self.stats.datagrams.fetch_add(1, Ordering::Relaxed);
            let data = datagram.get(..len).unwrap_or(&[]);
            let hep = match decode(data) {
                Ok(h) => h,
                Err(e) => {
                    self.stats.bad(&e);
                    continue;
                }
            };
            if !hep.is_sip() {
                self.stats.other_types.fetch_add(1, Ordering::Relaxed);
                continue;
            }
            if let Err(e) = ip_packet(&hep, &mut ip) {
                self.stats.bad(&e);
                continue;
            }
            number += 1;
            self.stats.sip.fetch_add(1, Ordering::Relaxed);
            on_packet(&Packet {
                number,
                ts: hep.ts.unwrap_or_else(now),
                link: LinkType::RAW,
                data: &ip,
                orig_len: ip.len() as u32,
                file_offset: None,
            });
        }
    }
}

/// Binds `addr` and receives until `stop` is set: [`HepListener`] in one call.
pub fn receive(
    addr: SocketAddr,
    stop: &AtomicBool,
    on_packet: impl FnMut(&Packet<'_>),
) -> Result<Arc<ReceiveStats>, HepError> {
    let listener = HepListener::bind(addr)?;
    listener.run(stop, on_packet);
    Ok(listener.stats())
}

fn now() -> Timestamp {
    let d = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    Timestamp::from_secs_nanos(d.as_secs(), d.subsec_nanos() as u64)
}

fn grow_receive_buffer(socket: &UdpSocket) {
    use std::os::fd::AsRawFd;
    let size = RECEIVE_BUFFER;
    // SAFETY: a valid socket descriptor and a c_int option value of the
    // size given; failure only leaves the default buffer.
    unsafe {
        libc::setsockopt(
            socket.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_RCVBUF,
            (&size as *const libc::c_int).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        );
    }
}

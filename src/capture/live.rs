//! Live capture with libpcap: one handle per device, a BPF filter, packets
//! handed out as they arrive, and what the kernel dropped.

use super::packet::{LinkType, Packet, Timestamp};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// Why live capture could not start. Each says what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    #[error(
        "no permission to capture on {device}: run as root, or grant the binary the capability once with \
         `sudo setcap cap_net_raw,cap_net_admin=eip {binary}`"
    )]
    Permission { device: String, binary: String },
    #[error("no capture device named {device:?} (see `ip link`; `any` captures on all)")]
    NoDevice { device: String },
    #[error("bad capture filter {filter:?}: {message}")]
    BadFilter { filter: String, message: String },
    #[error("cannot capture on {device}: {message}")]
    Device { device: String, message: String },
    #[error("cannot write {path}: {message}")]
    Output { path: PathBuf, message: String },
}

/// Kernel and libpcap counters of one device.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct LiveStats {
    pub device: String,
    pub received: u32,
    pub dropped: u32,
    pub if_dropped: u32,
}

/// Open capture handles, one per device.
pub struct LiveCapture {
    handles: Vec<(String, pcap::Capture<pcap::Active>)>,
    /// `-O`: every packet of the first device written as it arrives.
    output: Option<(PathBuf, pcap::Savefile)>,
}

fn binary() -> String {
    std::env::current_exe()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| "sipview".into())
}

fn classify(device: &str, e: pcap::Error) -> LiveError {
    let message = e.to_string();
    let lower = message.to_ascii_lowercase();
    if lower.contains("permission") || lower.contains("not permitted") {
        LiveError::Permission {
            device: device.to_owned(),
            binary: binary(),
        }
    } else if lower.contains("no such device") || lower.contains("doesn't exist") {
        LiveError::NoDevice {
            device: device.to_owned(),
        }
    } else {
        LiveError::Device {
            device: device.to_owned(),
            message,
        }
    }
}

/// Checks a filter expression before anything is opened (a typo must not
/// cost the user a capture handle and a privilege drop).
pub fn check_filter(filter: &str) -> Result<(), LiveError> {
    let dead = pcap::Capture::dead(pcap::Linktype::ETHERNET).map_err(|e| LiveError::BadFilter {
        filter: filter.to_owned(),
        message: e.to_string(),
    })?;
    dead.compile(filter, true)
        .map(|_| ())
        .map_err(|e| LiveError::BadFilter {
            filter: filter.to_owned(),
            message: e.to_string(),
        })
}

impl LiveCapture {
    /// Opens every device (`any`, a name, or several) with the filter.
    /// `buffer`: the kernel's capture buffer per device, in bytes.
    pub fn open(
        devices: &[String],
        filter: Option<&str>,
        output: Option<&Path>,
        buffer: u32,
    ) -> Result<Self, LiveError> {
        if let Some(f) = filter {
            check_filter(f)?;
        }
        let mut handles = Vec::new();
        for dev in devices {
            let known = pcap::Device::list()
                .map(|l| l.iter().any(|d| d.name == *dev))
                .unwrap_or(true);
            if !known && dev != "any" {
                return Err(LiveError::NoDevice {
                    device: dev.clone(),
                });
            }
            let cap = pcap::Capture::from_device(dev.as_str())
                .map_err(|e| classify(dev, e))?
                .promisc(false)
                .snaplen(65_535)
                .immediate_mode(true)
                // Wake up now and then so a stop request is seen.
                .timeout(200)
                .buffer_size(i32::try_from(buffer).unwrap_or(i32::MAX))
                .precision(pcap::Precision::Nano)
                .open()
                .map_err(|e| classify(dev, e))?
                // libpcap ignores the read timeout in immediate mode on Linux:
                // read without blocking and wait in poll(2) instead, so a stop
                // request is seen within 200 ms on a silent device.
                .setnonblock()
                .map_err(|e| classify(dev, e))?;
            let mut cap = cap;
            if let Some(f) = filter {
                cap.filter(f, true).map_err(|e| LiveError::BadFilter {
                    filter: f.to_owned(),
                    message: e.to_string(),
                })?;
            }
            handles.push((dev.clone(), cap));
        }
        let output = match (output, handles.first()) {
            (Some(path), Some((_, cap))) => Some((path.to_path_buf(), open_output(cap, path)?)),
            _ => None,
        };
        Ok(LiveCapture { handles, output })
    }

    pub fn devices(&self) -> Vec<String> {
        self.handles.iter().map(|(d, _)| d.clone()).collect()
    }

    /// Splits into one reader per device (each runs on its own thread); the
    /// output file goes with the first.
    pub fn into_readers(self) -> Vec<DeviceReader> {
        let mut output = self.output;
        self.handles
            .into_iter()
            .map(|(device, cap)| DeviceReader {
                link: LinkType(cap.get_datalink().0),
                device,
                cap,
                output: output.take(),
            })
            .collect()
    }
}

fn open_output(
    cap: &pcap::Capture<pcap::Active>,
    path: &Path,
) -> Result<pcap::Savefile, LiveError> {
    if path.to_str().is_none() {
        return Err(LiveError::Output {
            path: path.to_path_buf(),
            message: "the path is not UTF-8".into(),
        });
    }
    cap.savefile(path).map_err(|e| LiveError::Output {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

/// Packets numbered across every device, as one capture.
pub static PACKET_NUMBER: AtomicU64 = AtomicU64::new(0);

/// Set by SIGUSR1: the `-O` file is closed and opened again (log rotation).
pub static REOPEN_OUTPUT: AtomicBool = AtomicBool::new(false);

/// One device's handle on its own thread.
pub struct DeviceReader {
    pub device: String,
    link: LinkType,
    cap: pcap::Capture<pcap::Active>,
    output: Option<(PathBuf, pcap::Savefile)>,
}

impl DeviceReader {
    /// Hands every packet to `on_packet` until `stop` is set. Returns the
    /// device's counters at the end.
    /// `dropped` gets the kernel's drop count of this device about once a
    /// second, so the screens can show it while the capture runs.
    pub fn run(
        mut self,
        stop: &AtomicBool,
        dropped: &AtomicU64,
        mut on_packet: impl FnMut(&Packet<'_>),
    ) -> LiveStats {
        let mut checked = std::time::Instant::now();
        while !stop.load(Ordering::Relaxed) {
            if checked.elapsed() >= std::time::Duration::from_secs(1) {
                let s = self.stats();
                dropped.store(
                    u64::from(s.dropped) + u64::from(s.if_dropped),
                    Ordering::Relaxed,
                );
                checked = std::time::Instant::now();
            }
            if REOPEN_OUTPUT.swap(false, Ordering::Relaxed) {
                self.reopen_output();
            }
            match self.cap.next_packet() {
                Ok(p) => {
                    if let Some((_, out)) = self.output.as_mut() {
                        out.write(&p);
                    }
                    let ts = Timestamp::from_secs_nanos(
                        p.header.ts.tv_sec as u64,
                        p.header.ts.tv_usec as u64,
                    );
                    let number = PACKET_NUMBER.fetch_add(1, Ordering::Relaxed) + 1;
                    on_packet(&Packet {
                        number,
                        ts,
                        link: self.link,
                        data: p.data,
                        orig_len: p.header.len,
                        file_offset: None,
                    });
                }
                Err(pcap::Error::TimeoutExpired) => {
                    if let Some((_, out)) = self.output.as_mut() {
                        let _ = out.flush();
                    }
                    self.wait_readable(200);
                }
                Err(_) => break,
            }
        }
        if let Some((_, out)) = self.output.as_mut() {
            let _ = out.flush();
        }
        self.stats()
    }

    /// Sleeps until the handle has packets or `ms` pass.
    fn wait_readable(&self, ms: i32) {
        use std::os::fd::AsRawFd;
        let mut fds = libc::pollfd {
            fd: self.cap.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd for the duration of the call.
        unsafe {
            libc::poll(&mut fds, 1, ms);
        }
    }

    fn reopen_output(&mut self) {
        if let Some((path, out)) = self.output.take() {
            let _ = { out }.flush();
            if let Ok(new) = open_output(&self.cap, &path) {
                self.output = Some((path, new));
            }
        }
    }

    pub fn stats(&mut self) -> LiveStats {
        let s = self.cap.stats().unwrap_or(pcap::Stat {
            received: 0,
            dropped: 0,
            if_dropped: 0,
        });
        LiveStats {
            device: self.device.clone(),
            received: s.received,
            dropped: s.dropped,
            if_dropped: s.if_dropped,
        }
    }
}

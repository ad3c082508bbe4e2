//! A call's DTMF keys in every mode sipview reads, in time order: RFC 4733
//! telephone-events in its RTP and keys sent as SIP INFO, each with the
//! mode named (inband tones are audio and are not detected).

use super::escape::clean;
use super::time;
use crate::calls::{CallStore, Kind};
use crate::capture::Timestamp;
use crate::media::MediaTracker;
use serde::Serialize;

/// How a key was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DtmfMode {
    /// RTP telephone-event (RFC 4733, dtmf_mode=rfc4733).
    Rfc4733,
    /// SIP INFO (dtmf_mode=info).
    Info,
}

impl DtmfMode {
    pub fn label(self) -> &'static str {
        match self {
            DtmfMode::Rfc4733 => "RFC 4733",
            DtmfMode::Info => "SIP INFO",
        }
    }
}

/// One key press of a call.
#[derive(Debug, Clone, Serialize)]
pub struct DtmfKey {
    pub digit: char,
    pub time: String,
    #[serde(skip)]
    pub ts: Timestamp,
    pub duration_ms: Option<f64>,
    pub mode: DtmfMode,
    /// `application/dtmf-relay` / `application/dtmf` for INFO, the
    /// telephone-event stream's addresses for RFC 4733.
    pub carried_by: String,
    /// The INFO request's index in the store (INFO only).
    pub message: Option<u32>,
    pub src: String,
    pub dst: String,
}

/// The keys of `calls` (INFO always; RTP events when `media` is given).
pub fn call_keys(store: &CallStore, media: Option<&MediaTracker>, calls: &[u32]) -> Vec<DtmfKey> {
    let mut keys = Vec::new();
    for &c in calls {
        let Some(call) = store.calls().get(c as usize) else {
            continue;
        };
        for d in &call.info_dtmf {
            let Some(m) = store.message(d.message) else {
                continue;
            };
            if !matches!(m.kind, Kind::Request(_)) {
                continue;
            }
            keys.push(DtmfKey {
                digit: d.key.key,
                time: time::rfc3339(m.ts),
                ts: m.ts,
                duration_ms: d.key.duration_ms.map(f64::from),
                mode: DtmfMode::Info,
                carried_by: d.key.format.content_type().to_owned(),
                message: Some(d.message),
                src: store.endpoints.addr(m.src).to_string(),
                dst: store.endpoints.addr(m.dst).to_string(),
            });
        }
    }
    if let Some(media) = media {
        for s in media.streams_of_calls(calls) {
            let clock = media.codec_clock_rate(s).filter(|&r| r > 0).unwrap_or(8000);
            for d in &s.dtmf.digits {
                keys.push(DtmfKey {
                    digit: d.digit,
                    time: time::rfc3339(d.ts),
                    ts: d.ts,
                    duration_ms: Some(f64::from(d.duration) * 1000.0 / f64::from(clock)),
                    mode: DtmfMode::Rfc4733,
                    carried_by: format!("RTP SSRC 0x{:08x}", s.ssrc),
                    message: None,
                    src: s.src.to_string(),
                    dst: s.dst.to_string(),
                });
            }
        }
    }
    keys.sort_by_key(|k| k.ts);
    keys
}

/// The arrow label of a key sent as INFO: `DTMF 1 (180 ms)`.
pub fn info_label(key: &crate::sip::InfoKey) -> String {
    match key.duration_ms {
        Some(d) => format!("DTMF {} ({d} ms)", key.key),
        None => format!("DTMF {}", key.key),
    }
}

/// The keys as lines: `08:14:36.869586  1  180 ms  SIP INFO (application/dtmf-relay)  a -> b`.
pub fn to_text(keys: &[DtmfKey]) -> String {
    let mut out = String::new();
    for k in keys {
        let duration = k
            .duration_ms
            .map_or_else(|| "-".to_owned(), |d| format!("{d:.0} ms"));
        out.push_str(&format!(
            "  {}  {}  {:>7}  {} ({})  {} -> {}\n",
            time::clock(k.ts),
            k.digit,
            duration,
            k.mode.label(),
            clean(&k.carried_by),
            k.src,
            k.dst
        ));
    }
    out
}

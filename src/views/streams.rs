//! `--streams`: one row per RTP stream with its quality figures, as an
//! aligned table or JSON.

use super::escape::{clean, truncate};
use super::time;
use crate::calls::CallStore;
use crate::media::mos::{self, Quality};
use crate::media::{MediaTracker, Stream};
use serde::Serialize;

/// Call-IDs are cut to this in the table (JSON has them whole).
const MAX_CALL_ID: usize = 40;

#[derive(Debug, Clone, Serialize)]
pub struct DtmfRow {
    pub digit: char,
    pub time: String,
    pub duration_ms: f64,
    pub ended: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct RtcpRow {
    /// Sender reports from the stream's sender.
    pub sender_reports: u64,
    /// Reports from the receiver that carry a block about the stream.
    pub receiver_reports: u64,
    /// From the receiver's last block: fraction lost since its previous
    /// report, cumulative loss and jitter.
    pub fraction_lost_percent: Option<f64>,
    pub cumulative_lost: Option<i32>,
    pub jitter_ms: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StreamRow {
    /// 1-based, in order of the first packet.
    pub index: usize,
    pub src: String,
    pub dst: String,
    /// `0x1234abcd`.
    pub ssrc: String,
    pub payload_type: u8,
    pub codec: String,
    pub packets: u64,
    /// What the sequence numbers say was sent.
    pub expected: u64,
    pub lost: u64,
    pub loss_percent: f64,
    pub duplicates: u64,
    pub out_of_order: u64,
    pub max_delta_ms: f64,
    /// RFC 3550 interarrival jitter at the last packet, and its maximum and
    /// mean over the stream.
    pub jitter_ms: f64,
    pub max_jitter_ms: f64,
    pub mean_jitter_ms: f64,
    pub first: String,
    pub last: String,
    pub duration_ms: f64,
    pub first_packet: u64,
    pub call_id: Option<String>,
    /// The call's index in `--list`.
    pub call: Option<u32>,
    /// Other calls whose SDP announced both ends too (B2BUA legs, direct
    /// media): the stream is theirs as well.
    pub shared_with: Vec<String>,
    /// Packets of RFC 4733 telephone-events.
    pub event_packets: u64,
    /// The digits the events carried, in order.
    pub dtmf: String,
    pub dtmf_events: Vec<DtmfRow>,
    pub rtcp: Option<RtcpRow>,
    /// G.107 E-model rating (MOS, R and the inputs), when the stream is
    /// long enough and its codec has G.113 values.
    pub quality: Option<Quality>,
}

fn ms(seconds: f64) -> f64 {
    (seconds * 1e6).round() / 1e3
}

fn us_to_ms(micros: i64) -> f64 {
    micros as f64 / 1e3
}

impl StreamRow {
    pub fn of(index: usize, s: &Stream, media: &MediaTracker, store: &CallStore) -> StreamRow {
        let call = s.call.and_then(|c| store.calls().get(c as usize));
        let clock = media.codec_clock_rate(s).filter(|&r| r > 0).unwrap_or(8000);
        let rtcp = media.rtcp_about(s);
        let rtcp = (rtcp.sender_reports + rtcp.receiver_reports > 0).then(|| RtcpRow {
            sender_reports: rtcp.sender_reports,
            receiver_reports: rtcp.receiver_reports,
            fraction_lost_percent: rtcp
                .last
                .map(|b| (f64::from(b.fraction_lost) * 1000.0 / 256.0).round() / 10.0),
            cumulative_lost: rtcp.last.map(|b| b.cumulative_lost),
            jitter_ms: rtcp
                .last
                .map(|b| ms(f64::from(b.jitter) / f64::from(clock))),
        });
        StreamRow {
            index,
            src: s.src.to_string(),
            dst: s.dst.to_string(),
            ssrc: format!("0x{:08x}", s.ssrc),
            payload_type: s.payload_type,
            codec: media.codec(s),
            packets: s.packets,
            expected: s.seq.expected(),
            lost: s.lost(),
            loss_percent: (s.loss_ratio() * 1000.0).round() / 10.0,
            duplicates: s.seq.duplicates,
            out_of_order: s.seq.out_of_order,
            max_delta_ms: us_to_ms(s.max_delta_us),
            jitter_ms: ms(s.jitter.jitter),
            max_jitter_ms: ms(s.jitter.max),
            mean_jitter_ms: ms(s.jitter.mean()),
            first: time::rfc3339(s.first),
            last: time::rfc3339(s.last),
            duration_ms: us_to_ms(s.last.micros_since(s.first)),
            first_packet: s.first_packet,
            call_id: call.map(|c| c.call_id_lossy()),
            call: call.map(|c| c.index),
            shared_with: s
                .shared_with
                .iter()
                .filter_map(|&c| store.calls().get(c as usize))
                .map(|c| c.call_id_lossy())
                .collect(),
            event_packets: s.event_packets,
            dtmf: s.dtmf.text(),
            dtmf_events: s
                .dtmf
                .digits
                .iter()
                .map(|d| DtmfRow {
                    digit: d.digit,
                    time: time::rfc3339(d.ts),
                    duration_ms: f64::from(d.duration) * 1000.0 / f64::from(clock),
                    ended: d.ended,
                })
                .collect(),
            rtcp,
            quality: mos::of_stream(media, s),
        }
    }
}

/// Every stream, in order of its first packet.
pub fn rows(media: &MediaTracker, store: &CallStore) -> Vec<StreamRow> {
    numbered(media)
        .into_iter()
        .map(|(i, s)| StreamRow::of(i, s, media, store))
        .collect()
}

/// The streams of some calls (those they share included), each with its
/// index among all the capture's streams, as `--streams` numbers them.
pub fn rows_of_calls(media: &MediaTracker, store: &CallStore, calls: &[u32]) -> Vec<StreamRow> {
    // By address: a capture of 100,000 streams must not compare each with
    // each.
    let mine: foldhash::HashSet<*const Stream> = media
        .streams_of_calls(calls)
        .into_iter()
        .map(|s| s as *const Stream)
        .collect();
    numbered(media)
        .into_iter()
        .filter(|(_, s)| mine.contains(&(*s as *const Stream)))
        .map(|(i, s)| StreamRow::of(i, s, media, store))
        .collect()
}

const HEADERS: [&str; 16] = [
    "IDX",
    "SOURCE",
    "DESTINATION",
    "SSRC",
    "PT",
    "CODEC",
    "PKTS",
    "LOST",
    "DUP",
    "OOO",
    "MAX-DELTA",
    "JITTER",
    "MAX-JITTER",
    "MOS",
    "START",
    "CALL-ID / DTMF",
];

/// The rows as an aligned table; times in ms.
pub fn to_text(rows: &[StreamRow]) -> String {
    let cells: Vec<[String; 16]> = rows
        .iter()
        .map(|r| {
            let mut tail = r
                .call_id
                .as_deref()
                .map(|c| truncate(&clean(c), MAX_CALL_ID).into_owned())
                .unwrap_or_else(|| "-".to_owned());
            for other in &r.shared_with {
                tail.push_str(&format!(", {}", truncate(&clean(other), MAX_CALL_ID)));
            }
            if !r.dtmf.is_empty() {
                tail.push_str(&format!("  DTMF {}", r.dtmf));
            }
            [
                r.index.to_string(),
                r.src.clone(),
                r.dst.clone(),
                r.ssrc.clone(),
                r.payload_type.to_string(),
                clean(&r.codec).into_owned(),
                r.packets.to_string(),
                format!("{} ({:.1}%)", r.lost, r.loss_percent),
                r.duplicates.to_string(),
                r.out_of_order.to_string(),
                format!("{:.3}", r.max_delta_ms),
                format!("{:.3}", r.jitter_ms),
                format!("{:.3}", r.max_jitter_ms),
                r.quality
                    .map_or_else(|| "-".to_owned(), |q| format!("{:.2}", q.mos)),
                r.first.replace('T', " ").trim_end_matches('Z').to_owned(),
                tail,
            ]
        })
        .collect();
    super::table::aligned(&HEADERS, &cells, "")
}

/// The rows as short blocks, a few lines per stream, for narrow screens
/// (the TUI's stream screen).
pub fn to_blocks(rows: &[StreamRow]) -> String {
    let mut out = String::new();
    if rows.is_empty() {
        out.push_str("No RTP streams.\n");
    }
    for r in rows {
        let clock = |t: &str| t.get(11..26).unwrap_or(t).to_owned();
        out.push_str(&format!(
            "#{} {} -> {}  SSRC {}  {} (PT {})\n",
            r.index,
            r.src,
            r.dst,
            r.ssrc,
            clean(&r.codec),
            r.payload_type
        ));
        out.push_str(&format!(
            "   packets {}  lost {} ({:.1}%)  duplicates {}  out of order {}  max delta {:.1} ms\n",
            r.packets, r.lost, r.loss_percent, r.duplicates, r.out_of_order, r.max_delta_ms
        ));
        out.push_str(&format!(
            "   jitter {:.3} ms (mean {:.3}, max {:.3})  {} to {} ({:.1} s)\n",
            r.jitter_ms,
            r.mean_jitter_ms,
            r.max_jitter_ms,
            clock(&r.first),
            clock(&r.last),
            r.duration_ms / 1000.0
        ));
        if let Some(q) = &r.quality {
            out.push_str(&format!("   {}\n", quality_text(q)));
        }
        if !r.dtmf.is_empty() {
            out.push_str(&format!("   DTMF {}\n", r.dtmf));
        }
        if let Some(rtcp) = &r.rtcp {
            let mut line = format!(
                "   RTCP: {} sender reports, {} receiver reports",
                rtcp.sender_reports, rtcp.receiver_reports
            );
            if let (Some(f), Some(c), Some(j)) = (
                rtcp.fraction_lost_percent,
                rtcp.cumulative_lost,
                rtcp.jitter_ms,
            ) {
                line.push_str(&format!(
                    "; last: {f:.1}% lost, {c} in all, jitter {j:.3} ms"
                ));
            }
            out.push_str(&line);
            out.push('\n');
        }
        match &r.call_id {
            Some(id) => {
                out.push_str(&format!("   call {}\n", truncate(&clean(id), 60)));
                for other in &r.shared_with {
                    out.push_str(&format!("   also call {}\n", truncate(&clean(other), 60)));
                }
            }
            None => out.push_str("   no call (RTP that no SDP announced)\n"),
        }
        out.push('\n');
    }
    out
}

/// One line: `MOS 4.39 (R 92.4): loss 0.0% (BurstR 1.0), delay estimate 40 ms, G.711 with PLC (Ie 0, Bpl 25.1)`.
pub fn quality_text(q: &Quality) -> String {
    let i = &q.inputs;
    format!(
        "MOS {:.2} (R {:.1}): loss {:.1}% (BurstR {:.1}), max jitter {:.1} ms so delay estimate {:.0} ms (Id {:.1}), {} (Ie {:.0}, Bpl {:.1}; Ie,eff {:.1})",
        q.mos,
        q.r,
        i.loss_percent,
        i.burst_r,
        i.max_jitter_ms,
        i.delay_ms,
        q.id,
        i.codec.name,
        i.codec.ie,
        i.codec.bpl,
        q.ie_eff
    )
}

/// Every stream with its `--streams` index (1-based, in order of the first
/// packet).
pub fn numbered(media: &MediaTracker) -> Vec<(usize, &Stream)> {
    let mut streams: Vec<&Stream> = media.streams().iter().collect();
    streams.sort_by_key(|s| (s.first, s.first_packet));
    streams
        .into_iter()
        .enumerate()
        .map(|(i, s)| (i + 1, s))
        .collect()
}

/// The streams of one call (those it shares included), each with its
/// `--streams` index.
pub fn numbered_of_call(media: &MediaTracker, call: u32) -> Vec<(usize, &Stream)> {
    let mine: Vec<&Stream> = media.call_streams(call).collect();
    numbered(media)
        .into_iter()
        .filter(|(_, s)| mine.iter().any(|m| std::ptr::eq(*m, *s)))
        .collect()
}

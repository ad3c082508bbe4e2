//! The ladder (call flow): one column per address:port, one arrow per message.

use super::escape::{clean, truncate};
use super::ladder::{Glyphs, LadderLayout, LaneArrow};
use super::time;
use crate::calls::{CallStore, Kind, MessageRecord};
use crate::capture::Timestamp;
use crate::media::{CallSides, MediaTracker, Side};
use serde::Serialize;

/// Reason phrases longer than this are cut on the arrow.
const MAX_REASON: usize = 32;
/// DTMF digits drawn per stream; the stream's own arrow names them all.
const MAX_DIGIT_ARROWS: usize = 32;

#[derive(Debug, Clone, Serialize)]
pub struct Arrow {
    /// Message index in the store.
    pub index: u32,
    pub packet: u64,
    pub time: String,
    #[serde(skip)]
    ts: crate::capture::Timestamp,
    /// Microseconds since the previous message of the ladder.
    pub delta_us: i64,
    /// Microseconds since the first message of the ladder.
    pub since_first_us: i64,
    pub from: usize,
    pub to: usize,
    pub src: String,
    pub dst: String,
    pub transport: &'static str,
    pub label: String,
    pub method: Option<String>,
    pub code: Option<u16>,
    pub reason: Option<String>,
    pub cseq: Option<String>,
    pub sdp: bool,
    pub retransmission: bool,
    pub malformed: Vec<&'static str>,
    /// Index of the request this response answers.
    pub answers: Option<u32>,
    /// The DTMF key an INFO request carried.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dtmf: Option<String>,
    pub call_id: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Ladder {
    pub call_ids: Vec<String>,
    /// Column headings (address:port), in order of first appearance.
    pub columns: Vec<String>,
    pub arrows: Vec<Arrow>,
    /// RTP streams (at their first packet) and DTMF digits (when pressed),
    /// when [`Ladder::with_media`] added them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub media: Vec<MediaArrow>,
    #[serde(skip)]
    first_ts: Option<crate::capture::Timestamp>,
}

/// An RTP stream or a DTMF digit on the ladder, between media addresses.
#[derive(Debug, Clone, Serialize)]
pub struct MediaArrow {
    /// `rtp` (a stream, at its first packet) or `dtmf` (one key press).
    pub kind: &'static str,
    pub time: String,
    #[serde(skip)]
    ts: Timestamp,
    pub from: usize,
    pub to: usize,
    pub src: String,
    pub dst: String,
    pub label: String,
    pub ssrc: String,
    pub codec: String,
    pub packets: u64,
    pub lost: u64,
    pub dtmf: String,
    pub call_id: String,
}

impl Arrow {
    pub fn ts(&self) -> Timestamp {
        self.ts
    }
}

impl MediaArrow {
    pub fn ts(&self) -> Timestamp {
        self.ts
    }
}

/// The calls drawn with `call` when its related legs are asked for: those
/// an X-Call-ID links to it, and those that carry a stream of it (B2BUA
/// legs whose media goes end to end, a call and the one its media moved
/// to).
pub fn related_legs(store: &CallStore, media: Option<&MediaTracker>, call: u32) -> Vec<u32> {
    let mut out: Vec<u32> = store
        .calls()
        .get(call as usize)
        .map(|c| c.related.clone())
        .unwrap_or_default();
    for c in media
        .map(|m| m.calls_sharing_media(call))
        .unwrap_or_default()
    {
        if !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

impl Ladder {
    /// Builds the ladder of one or more calls (merged in time order).
    pub fn build(store: &CallStore, calls: &[u32]) -> Ladder {
        let mut indices: Vec<u32> = calls
            .iter()
            .filter_map(|&c| store.calls().get(c as usize))
            .flat_map(|c| c.messages.iter().copied())
            .collect();
        indices.sort_by_key(|&i| store.message(i).map(|m| (m.ts, m.packet_number)));
        indices.dedup();
        let mut endpoint_cols: Vec<u32> = Vec::new();
        let mut col = |ep: u32| match endpoint_cols.iter().position(|&e| e == ep) {
            Some(p) => p,
            None => {
                endpoint_cols.push(ep);
                endpoint_cols.len() - 1
            }
        };
        let mut arrows = Vec::with_capacity(indices.len());
        let first_ts = indices
            .first()
            .and_then(|&i| store.message(i))
            .map(|m| m.ts);
        let mut prev = first_ts;
        for &i in &indices {
            let Some(m) = store.message(i) else { continue };
            let from = col(m.src);
            let to = col(m.dst);
            let delta = prev.map_or(0, |p| m.ts.micros_since(p));
            prev = Some(m.ts);
            arrows.push(arrow(
                store,
                i,
                m,
                from,
                to,
                delta,
                first_ts.map_or(0, |f| m.ts.micros_since(f)),
            ));
        }
        Ladder {
            call_ids: calls
                .iter()
                .filter_map(|&c| store.calls().get(c as usize))
                .map(|c| c.call_id_lossy())
                .collect(),
            columns: endpoint_cols
                .iter()
                .map(|&e| store.endpoints.addr(e).to_string())
                .collect(),
            arrows,
            media: Vec::new(),
            first_ts,
        }
    }

    /// Adds the calls' RTP streams, each as one arrow at its first packet
    /// ("RTP PCMA 236 pkts"), and their DTMF digits at the time of each key
    /// press; media addresses get columns after the signalling ones.
    pub fn with_media(mut self, store: &CallStore, media: &MediaTracker, calls: &[u32]) -> Ladder {
        // Sides are those of the first call drawn (a stream shared with
        // another leg has a direction in each), else the stream's own.
        let sides = calls.first().map(|&c| CallSides::of(media, c));
        // The caller's and the callee's signalling lanes (the first call's
        // first message), for media that shares their IP.
        let signalling = self.columns.len();
        let lane_of = |ep: u32| {
            let addr = store.endpoints.addr(ep).to_string();
            self.columns.iter().position(|c| *c == addr)
        };
        let party_lanes = calls
            .first()
            .and_then(|&c| store.calls().get(c as usize))
            .map_or((None, None), |c| (lane_of(c.src), lane_of(c.dst)));
        for s in media.streams_of_calls(calls) {
            // The caller's media address gets the left column, like its
            // signalling address.
            let towards = sides
                .as_ref()
                .and_then(|x| x.towards(s))
                .or_else(|| s.dst_side.or_else(|| s.src_side.map(Side::other)));
            let to_caller = towards == Some(Side::Caller);
            let (caller, callee) = party_lanes;
            let (src_hint, dst_hint) = match to_caller {
                true => (callee, caller),
                false => (caller, callee),
            };
            let (from, to) = if to_caller {
                let to = self.media_lane(s.dst, dst_hint, signalling);
                (self.media_lane(s.src, src_hint, signalling), to)
            } else {
                let from = self.media_lane(s.src, src_hint, signalling);
                (from, self.media_lane(s.dst, dst_hint, signalling))
            };
            let codec = media.codec(s);
            let dtmf = s.dtmf.text();
            let mut label = format!("RTP {} {} pkts", clean(&codec), s.packets);
            if s.lost() > 0 {
                label.push_str(&format!(", {} lost", s.lost()));
            }
            // Digits have lines of their own, unless there are too many.
            if s.dtmf.digits.len() > MAX_DIGIT_ARROWS {
                label.push_str(&format!(", DTMF {dtmf}"));
            }
            let call_id = s
                .call
                .and_then(|c| store.calls().get(c as usize))
                .map(|c| c.call_id_lossy())
                .unwrap_or_default();
            let arrow = |kind, ts, label: String| MediaArrow {
                kind,
                time: time::rfc3339(ts),
                ts,
                from,
                to,
                src: s.src.to_string(),
                dst: s.dst.to_string(),
                label,
                ssrc: format!("0x{:08x}", s.ssrc),
                codec: codec.clone(),
                packets: s.packets,
                lost: s.lost(),
                dtmf: dtmf.clone(),
                call_id: call_id.clone(),
            };
            self.media.push(arrow("rtp", s.first, label));
            for d in s.dtmf.digits.iter().take(MAX_DIGIT_ARROWS) {
                self.media
                    .push(arrow("dtmf", d.ts, format!("DTMF {}", d.digit)));
            }
        }
        self.media.sort_by_key(|m| m.ts);
        self
    }

    /// The lane a media address is drawn on: a signalling lane of the
    /// same IP (`hint`, that party's own, when it is one of them), so RTP
    /// runs between the parties; else a lane of its own after them.
    fn media_lane(
        &mut self,
        addr: std::net::SocketAddr,
        hint: Option<usize>,
        signalling: usize,
    ) -> usize {
        let same_ip: Vec<usize> = self.columns[..signalling.min(self.columns.len())]
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                c.parse::<std::net::SocketAddr>()
                    .is_ok_and(|a| a.ip() == addr.ip())
            })
            .map(|(i, _)| i)
            .collect();
        match hint
            .filter(|h| same_ip.contains(h))
            .or(same_ip.first().copied())
        {
            Some(lane) => lane,
            None => self.column(&addr.to_string()),
        }
    }

    fn column(&mut self, name: &str) -> usize {
        match self.columns.iter().position(|c| c == name) {
            Some(p) => p,
            None => {
                self.columns.push(name.to_owned());
                self.columns.len() - 1
            }
        }
    }

    /// The ladder as plain text, the way the TUI draws it (lanes laid
    /// out by [`LadderLayout`], never cut: a file has no width).
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for id in &self.call_ids {
            out.push_str(&format!("Call-ID: {}\n", clean(id)));
        }
        if let Some(ts) = self.first_ts {
            out.push_str(&format!("Date: {} (UTC)\n", time::date(ts)));
        }
        out.push('\n');
        let rows = self.rows();
        let arrows: Vec<LaneArrow<'_>> = rows.iter().filter_map(|&r| self.lane_arrow(r)).collect();
        let layout = LadderLayout::new(&self.columns, &arrows, None);
        // time (15) + two spaces + delta (up to 11) + two spaces
        let left = " ".repeat(15 + 2 + 11 + 2);
        out.push_str(format!("{left}{}", layout.heading_line()).trim_end());
        out.push('\n');
        out.push_str(format!("{left}{}", layout.row(None, Glyphs::ASCII)).trim_end());
        out.push('\n');
        for (i, &r) in rows.iter().enumerate() {
            let ts = self.row_ts(r);
            let delta = self.row_delta(&rows, i);
            let lanes = layout.row(self.lane_arrow(r), Glyphs::ASCII);
            let line = format!(
                "{:<15}  {:<11}  {lanes}",
                time::clock(ts),
                time::delta(delta)
            );
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }

    /// Messages and media merged by time; a message goes first at a tie.
    pub fn rows(&self) -> Vec<Row> {
        let mut rows: Vec<(Timestamp, Row)> = self
            .arrows
            .iter()
            .enumerate()
            .map(|(i, a)| (a.ts, Row::Message(i)))
            .chain(
                self.media
                    .iter()
                    .enumerate()
                    .map(|(i, m)| (m.ts, Row::Media(i))),
            )
            .collect();
        rows.sort_by_key(|(ts, _)| *ts);
        rows.into_iter().map(|(_, r)| r).collect()
    }

    /// When a row happened.
    pub fn row_ts(&self, r: Row) -> Timestamp {
        match r {
            Row::Message(i) => self.arrows.get(i).map(|a| a.ts),
            Row::Media(i) => self.media.get(i).map(|m| m.ts),
        }
        .unwrap_or_default()
    }

    /// Microseconds since the row above: without media the messages' own
    /// deltas, with it from whatever line is above.
    pub fn row_delta(&self, rows: &[Row], i: usize) -> i64 {
        match (rows.get(i), self.media.is_empty()) {
            (Some(&Row::Message(m)), true) => self.arrows.get(m).map_or(0, |a| a.delta_us),
            (Some(&r), _) => i
                .checked_sub(1)
                .and_then(|p| rows.get(p))
                .map_or(0, |&p| self.row_ts(r).micros_since(self.row_ts(p))),
            (None, _) => 0,
        }
    }

    /// A row's lanes and label, as drawn.
    pub fn lane_arrow(&self, r: Row) -> Option<LaneArrow<'_>> {
        match r {
            Row::Message(i) => self.arrows.get(i).map(|a| LaneArrow {
                from: a.from,
                to: a.to,
                label: &a.label,
            }),
            Row::Media(i) => self.media.get(i).map(|m| LaneArrow {
                from: m.from,
                to: m.to,
                label: &m.label,
            }),
        }
    }
}

/// A line of the ladder: a message, or an RTP stream or DTMF key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    Message(usize),
    Media(usize),
}

fn arrow(
    store: &CallStore,
    index: u32,
    m: &MessageRecord,
    from: usize,
    to: usize,
    delta: i64,
    since: i64,
) -> Arrow {
    let (method, code, reason) = match m.kind {
        Kind::Request(sym) => (Some(store.strings.get(sym).to_owned()), None, None),
        Kind::Response(code) => (
            None,
            Some(code),
            m.reason.map(|r| store.strings.get(r).to_owned()),
        ),
    };
    let mut label = match (&method, code) {
        (Some(meth), _) => clean(meth).into_owned(),
        (None, Some(code)) => {
            let r = reason
                .as_deref()
                .map(|r| truncate(&clean(r), MAX_REASON).into_owned());
            match r {
                Some(r) if !r.is_empty() => format!("{code} {r}"),
                _ => code.to_string(),
            }
        }
        (None, None) => String::new(),
    };
    if m.has_sdp {
        label.push_str(" (SDP)");
    }
    let dtmf = info_key(store, index, m);
    if let Some(key) = &dtmf {
        label.push_str(&format!(" {}", super::dtmf::info_label(key)));
    }
    if m.retransmission {
        label.push_str(" [retrans]");
    }
    if !m.malformed.is_empty() {
        label.push_str(" [malformed]");
    }
    Arrow {
        index,
        packet: m.packet_number,
        time: time::rfc3339(m.ts),
        ts: m.ts,
        delta_us: delta,
        since_first_us: since,
        from,
        to,
        src: store.endpoints.addr(m.src).to_string(),
        dst: store.endpoints.addr(m.dst).to_string(),
        transport: m.transport.as_str(),
        label,
        method,
        code,
        reason,
        cseq: m
            .cseq
            .map(|(n, meth)| format!("{n} {}", store.strings.get(meth))),
        sdp: m.has_sdp,
        retransmission: m.retransmission,
        malformed: m.malformed.reasons().collect(),
        answers: m.request,
        dtmf: dtmf.map(|k| k.key.to_string()),
        call_id: m
            .call
            .and_then(|c| store.calls().get(c as usize))
            .map(|c| c.call_id_lossy())
            .unwrap_or_default(),
    }
}

/// The DTMF key of an INFO request of a call, if it carried one.
pub(crate) fn info_key(
    store: &CallStore,
    index: u32,
    m: &MessageRecord,
) -> Option<crate::sip::InfoKey> {
    let call = store.calls().get(m.call? as usize)?;
    call.info_dtmf
        .iter()
        .find(|d| d.message == index)
        .map(|d| d.key)
}

//! The ladder (call flow): one column per address:port, one arrow per message.

use super::escape::{clean, truncate};
use super::time;
use crate::calls::{CallStore, Kind, MessageRecord};
use serde::Serialize;

/// Reason phrases longer than this are cut on the arrow.
const MAX_REASON: usize = 32;

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
    pub call_id: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Ladder {
    pub call_ids: Vec<String>,
    /// Column headings (address:port), in order of first appearance.
    pub columns: Vec<String>,
    pub arrows: Vec<Arrow>,
    #[serde(skip)]
    first_ts: Option<crate::capture::Timestamp>,
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
            first_ts,
        }
    }

    /// The ladder as plain text, the way the TUI draws it.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for id in &self.call_ids {
            out.push_str(&format!("Call-ID: {}\n", clean(id)));
        }
        if let Some(ts) = self.first_ts {
            out.push_str(&format!("Date: {} (UTC)\n", time::date(ts)));
        }
        out.push('\n');
        let widest_label = self
            .arrows
            .iter()
            .map(|a| a.label.chars().count())
            .max()
            .unwrap_or(0);
        let widest_col = self.columns.iter().map(String::len).max().unwrap_or(0);
        let gap = (widest_label + 8).max(widest_col + 2).max(22);
        // time (15) + two spaces + delta (up to 11) + two spaces
        let left = 15 + 2 + 11 + 2;
        let x = |c: usize| left + gap / 2 + c * gap;
        let width = x(self.columns.len().saturating_sub(1)) + gap / 2 + 1;

        let mut heading = vec![' '; width];
        for (c, name) in self.columns.iter().enumerate() {
            let start = x(c).saturating_sub(name.len() / 2);
            put(&mut heading, start, name);
        }
        out.push_str(heading.iter().collect::<String>().trim_end());
        out.push('\n');
        let mut bars = vec![' '; width];
        for c in 0..self.columns.len() {
            bars[x(c)] = '|';
        }
        out.push_str(bars.iter().collect::<String>().trim_end());
        out.push('\n');

        for a in &self.arrows {
            let mut row = bars.clone();
            put(&mut row, 0, &time::clock(a.ts));
            put(&mut row, 17, &time::delta(a.delta_us));
            draw_arrow(&mut row, x(a.from), x(a.to), &a.label, Glyphs::ASCII);
            out.push_str(row.iter().collect::<String>().trim_end());
            out.push('\n');
        }
        out
    }
}

/// The characters a ladder is drawn with: ASCII for text output, box
/// drawing for the screens.
#[derive(Debug, Clone, Copy)]
pub struct Glyphs {
    pub lane: char,
    pub line: char,
    pub right: char,
    pub left: char,
}

impl Glyphs {
    pub const ASCII: Glyphs = Glyphs {
        lane: '|',
        line: '-',
        right: '>',
        left: '<',
    };
    pub const BOX: Glyphs = Glyphs {
        lane: '│',
        line: '─',
        right: '►',
        left: '◄',
    };
}

/// Writes `s` into `row` from `at`, cutting what does not fit.
pub fn put(row: &mut [char], at: usize, s: &str) {
    for (i, ch) in s.chars().enumerate() {
        if let Some(slot) = row.get_mut(at + i) {
            *slot = ch;
        }
    }
}

/// One arrow from lane `from` to lane `to` with its label in the middle;
/// a message to its own host is drawn as a short loop back.
pub fn draw_arrow(row: &mut [char], from: usize, to: usize, label: &str, g: Glyphs) {
    let label = format!(" {label} ");
    if from == to {
        put(row, from + 1, &format!("{}{}{label}", g.left, g.line));
        return;
    }
    let (lo, hi) = (from.min(to), from.max(to));
    for slot in row.iter_mut().take(hi).skip(lo + 1) {
        *slot = g.line;
    }
    if to > from {
        if let Some(slot) = row.get_mut(hi - 1) {
            *slot = g.right;
        }
    } else if let Some(slot) = row.get_mut(lo + 1) {
        *slot = g.left;
    }
    let span = hi - lo - 1;
    let len = label.chars().count();
    put(row, lo + 1 + span.saturating_sub(len) / 2, &label);
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
        call_id: m
            .call
            .and_then(|c| store.calls().get(c as usize))
            .map(|c| c.call_id_lossy())
            .unwrap_or_default(),
    }
}

//! The call flow: the ladder on the left, the selected message on the right
//! (raw text with header names highlighted) and the explain pane under it.

use super::config::{Config, TimeFormat};
use super::theme::Theme;
use crate::calls::CallStore;
use crate::capture::Timestamp;
use crate::load::Pipeline;
use crate::media::MediaTracker;
use crate::session::Session;
use crate::sip::{self, Sdp};
use crate::views::escape::{clean, clean_bytes};
use crate::views::explain::{explain_calls_with_media, ExplainedCall};
pub use crate::views::flow::Row;
use crate::views::flow::{Arrow, Ladder};
use crate::views::ladder::{Glyphs, LadderLayout, LaneArrow};
use crate::views::time;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

/// What the arrows' colours tell apart (sngrep's `c`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorMode {
    /// Requests, and responses by class.
    Method,
    /// One colour per call (several legs drawn together).
    CallId,
    /// One colour per CSeq number (a transaction and its answers).
    Cseq,
}

impl ColorMode {
    pub fn next(self) -> Self {
        match self {
            ColorMode::Method => ColorMode::CallId,
            ColorMode::CallId => ColorMode::Cseq,
            ColorMode::Cseq => ColorMode::Method,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            ColorMode::Method => "method and response class",
            ColorMode::CallId => "Call-ID",
            ColorMode::Cseq => "CSeq",
        }
    }
}

/// Colours for the Call-ID and CSeq modes, in turn.
const PALETTE: [ratatui::style::Color; 6] = {
    use ratatui::style::Color;
    [
        Color::Cyan,
        Color::Yellow,
        Color::Magenta,
        Color::Green,
        Color::Blue,
        Color::Red,
    ]
};

/// Which pane the scroll keys move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Ladder,
    Message,
    Explain,
}

pub struct FlowState {
    /// The calls drawn (the chosen ones, plus related legs when extended).
    pub calls: Vec<u32>,
    pub base_calls: Vec<u32>,
    pub extended: bool,
    pub ladder: Ladder,
    /// Column names after merging (per IP or per IP:port, user names).
    pub columns: Vec<String>,
    /// (from, to) column of every arrow.
    pub lanes: Vec<(usize, usize)>,
    /// Arrow labels with the SDP summary.
    pub labels: Vec<String>,
    /// (from, to) column of every media arrow (RTP streams, DTMF keys).
    media_lanes: Vec<(usize, usize)>,
    /// The lines of the ladder in time order: messages and media.
    rows: Vec<Row>,
    /// Row of each message.
    message_rows: Vec<usize>,
    /// F3 / `m`: RTP streams and DTMF keys drawn between the messages.
    pub show_media: bool,
    /// F2 / `d`: SDP details (codec, address) on the arrows.
    pub sdp_detail: bool,
    /// `D`: only the messages with SDP (and the media).
    pub only_sdp: bool,
    /// `t`: the message and explain panes beside (or under) the ladder.
    pub show_details: bool,
    /// `c`: what the arrows' colours tell apart.
    pub color: ColorMode,
    /// F8 / `C`: the message without header highlighting.
    pub plain_message: bool,
    pub explained: ExplainedCall,
    pub selected: usize,
    pub offset: usize,
    pub hscroll: usize,
    pub per_ip: bool,
    pub time_format: TimeFormat,
    pub focus: Focus,
    pub message_scroll: u16,
    pub explain_scroll: u16,
    pub show_explain: bool,
    /// Ladder width in percent of the screen.
    pub split: u16,
    /// Arrows marked with Space, for the diff.
    pub marked: Vec<usize>,
    /// Messages in the store when built: a live ladder grows.
    built_at: usize,
    /// RTP packets of the calls when built, and when that was.
    built_media: (u64, std::time::Instant),
    /// Search inside the message text.
    pub search: String,
}

impl FlowState {
    pub fn new(session: &Session, pipeline: &Pipeline, calls: Vec<u32>, config: &Config) -> Self {
        let mut s = FlowState {
            base_calls: calls.clone(),
            calls,
            extended: false,
            ladder: Ladder::build(&pipeline.store, &[]),
            columns: Vec::new(),
            lanes: Vec::new(),
            labels: Vec::new(),
            media_lanes: Vec::new(),
            rows: Vec::new(),
            message_rows: Vec::new(),
            show_media: true,
            sdp_detail: true,
            only_sdp: false,
            show_details: true,
            color: ColorMode::Method,
            plain_message: false,
            explained: ExplainedCall {
                stack: crate::explain::Stack::Unknown,
                answered_by: String::new(),
                diagnosis: Vec::new(),
                dtmf: Vec::new(),
                messages: Vec::new(),
            },
            selected: 0,
            offset: 0,
            hscroll: 0,
            per_ip: false,
            time_format: config.time_format,
            focus: Focus::Ladder,
            message_scroll: 0,
            explain_scroll: 0,
            show_explain: true,
            split: config.split_percent.clamp(20, 80),
            marked: Vec::new(),
            built_at: 0,
            built_media: (0, std::time::Instant::now()),
            search: String::new(),
        };
        s.rebuild(session, pipeline, config);
        s
    }

    /// Rebuilds the ladder (calls changed, layout toggled, or the store grew).
    pub fn rebuild(&mut self, session: &Session, pipeline: &Pipeline, config: &Config) {
        let (store, media) = (&pipeline.store, &pipeline.media);
        self.calls = self.base_calls.clone();
        if self.extended {
            for &c in &self.base_calls {
                for r in crate::views::flow::related_legs(store, Some(media), c) {
                    if !self.calls.contains(&r) {
                        self.calls.push(r);
                    }
                }
            }
        }
        let ladder = Ladder::build(store, &self.calls);
        self.ladder = if self.show_media {
            ladder.with_media(store, media, &self.calls)
        } else {
            ladder
        };
        self.explained = explain_calls_with_media(store, Some(media), &session.source, &self.calls);
        let mut columns: Vec<String> = Vec::new();
        let mut col = |addr: &str| {
            let name = column_name(addr, self.per_ip, config);
            match columns.iter().position(|c| *c == name) {
                Some(p) => p,
                None => {
                    columns.push(name);
                    columns.len() - 1
                }
            }
        };
        self.lanes = self
            .ladder
            .arrows
            .iter()
            .map(|a| (col(&a.src), col(&a.dst)))
            .collect();
        self.media_lanes = self
            .ladder
            .media
            .iter()
            .map(|m| {
                // Columns in the ladder's order: the caller's media address
                // left of the callee's, like their signalling addresses.
                let name = |c: usize| self.ladder.columns.get(c).map_or("?", String::as_str);
                let left = col(name(m.from.min(m.to)));
                let right = col(name(m.from.max(m.to)));
                if m.from <= m.to {
                    (left, right)
                } else {
                    (right, left)
                }
            })
            .collect();
        self.columns = columns;
        let only_sdp = self.only_sdp;
        let ladder = &self.ladder;
        self.rows = ladder
            .rows()
            .into_iter()
            .filter(|r| match r {
                Row::Message(i) => !only_sdp || ladder.arrows.get(*i).is_some_and(|a| a.sdp),
                Row::Media(_) => true,
            })
            .collect();
        // A message filtered out (`D`) keeps the row of the one before it.
        self.message_rows = vec![0; self.ladder.arrows.len()];
        for (r, row) in self.rows.iter().enumerate() {
            if let Row::Message(i) = *row {
                if let Some(slot) = self.message_rows.get_mut(i) {
                    *slot = r;
                }
            }
        }
        self.labels = self
            .ladder
            .arrows
            .iter()
            .map(|a| match self.sdp_detail {
                true => label_with_sdp(session, store, a),
                false => a.label.clone(),
            })
            .collect();
        self.built_at = store.messages().len();
        self.built_media = (media_packets(media, &self.calls), std::time::Instant::now());
        self.selected = self
            .selected
            .min(self.ladder.arrows.len().saturating_sub(1));
    }

    /// True when the store has messages the ladder was built without, or
    /// (at most once a second, as RTP flows all the time) the calls have
    /// RTP it was built without.
    pub fn stale(&self, pipeline: &Pipeline) -> bool {
        pipeline.store.messages().len() != self.built_at
            || (self.show_media
                && self.built_media.1.elapsed() >= std::time::Duration::from_secs(1)
                && media_packets(&pipeline.media, &self.calls) != self.built_media.0)
    }

    /// The oldest `n` calls were rotated out: the calls drawn are
    /// renumbered, and the ladder is built again at the next refresh.
    /// False when none of them is left.
    pub fn forget_oldest(&mut self, n: u32) -> bool {
        self.base_calls = self
            .base_calls
            .iter()
            .filter_map(|c| c.checked_sub(n))
            .collect();
        self.calls = self.calls.iter().filter_map(|c| c.checked_sub(n)).collect();
        self.built_at = usize::MAX;
        !self.base_calls.is_empty()
    }

    /// The ladder's lines, messages and media, in time order.
    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    /// Selects the message on a row of the ladder (a click); media rows
    /// select nothing.
    pub fn select_row(&mut self, row: usize) {
        if let Some(&Row::Message(i)) = self.rows.get(row) {
            self.move_by(i as isize - self.selected as isize);
        }
    }

    pub fn move_by(&mut self, delta: isize) {
        let last = self.ladder.arrows.len().saturating_sub(1) as isize;
        let next = (self.selected as isize + delta).clamp(0, last.max(0)) as usize;
        if next != self.selected {
            self.selected = next;
            self.message_scroll = 0;
            self.explain_scroll = 0;
        }
    }

    pub fn current(&self) -> Option<&Arrow> {
        self.ladder.arrows.get(self.selected)
    }

    /// Space: marks the message; the second mark opens the diff.
    pub fn toggle_mark(&mut self) -> Option<(usize, usize)> {
        if let Some(p) = self.marked.iter().position(|&m| m == self.selected) {
            self.marked.remove(p);
            return None;
        }
        self.marked.push(self.selected);
        if self.marked.len() == 2 {
            let pair = (self.marked[0], self.marked[1]);
            self.marked.clear();
            return Some(pair);
        }
        None
    }

    /// Scrolls the focused pane.
    pub fn scroll(&mut self, delta: isize) {
        let apply = |v: u16| (v as isize + delta).clamp(0, u16::MAX as isize) as u16;
        match self.focus {
            Focus::Ladder => self.move_by(delta),
            Focus::Message => self.message_scroll = apply(self.message_scroll),
            Focus::Explain => self.explain_scroll = apply(self.explain_scroll),
        }
    }

    pub fn cycle_focus(&mut self) {
        self.focus = match (self.focus, self.show_explain) {
            (Focus::Ladder, _) => Focus::Message,
            (Focus::Message, true) => Focus::Explain,
            _ => Focus::Ladder,
        };
    }

    /// The ladder as text (for copying), laid out whole.
    pub fn ladder_text(&self) -> String {
        let layout = self.layout(None);
        let mut out = String::new();
        for id in &self.ladder.call_ids {
            out.push_str(&format!("Call-ID: {}\n", clean(id)));
        }
        out.push_str(&format!(
            "{:15}  {}\n",
            "",
            layout.heading_line().trim_end()
        ));
        for r in 0..self.rows.len() {
            out.push_str(&format!(
                "{}  {}\n",
                self.time_text(r),
                layout.row(self.lane_arrow(r), Glyphs::BOX).trim_end()
            ));
        }
        out
    }

    /// Row `r`'s arrow on the screen's lanes (merged per IP or by name).
    fn lane_arrow(&self, r: usize) -> Option<LaneArrow<'_>> {
        let (&(from, to), label) = match *self.rows.get(r)? {
            Row::Message(i) => (self.lanes.get(i)?, self.labels.get(i)?.as_str()),
            Row::Media(i) => (
                self.media_lanes.get(i)?,
                self.ladder.media.get(i)?.label.as_str(),
            ),
        };
        Some(LaneArrow { from, to, label })
    }

    /// The lanes laid out for the rows shown, fitted to `width` if given.
    pub fn layout(&self, width: Option<usize>) -> LadderLayout {
        let arrows: Vec<LaneArrow<'_>> = (0..self.rows.len())
            .filter_map(|r| self.lane_arrow(r))
            .collect();
        LadderLayout::new(&self.columns, &arrows, width)
    }

    fn row_ts(&self, r: usize) -> Option<Timestamp> {
        self.rows.get(r).map(|&row| self.ladder.row_ts(row))
    }

    /// The time column of row `r`. With media rows shown, deltas are from
    /// the row above, whatever it is.
    fn time_text(&self, r: usize) -> String {
        let Some(ts) = self.row_ts(r) else {
            return String::new();
        };
        let since = |earlier: Option<Timestamp>| earlier.map_or(0, |e| ts.micros_since(e));
        let delta = self.ladder.row_delta(&self.rows, r);
        match self.time_format {
            TimeFormat::Absolute => time::clock(ts),
            TimeFormat::SincePrevious => format!("{:>15}", time::delta(delta)),
            TimeFormat::SinceFirst => format!("{:>15}", time::delta(since(self.row_ts(0)))),
        }
    }
}

/// RTP packets of some calls so far.
fn media_packets(media: &MediaTracker, calls: &[u32]) -> u64 {
    media
        .streams_of_calls(calls)
        .iter()
        .map(|s| s.packets)
        .sum()
}

/// The column an address goes to: a user name, a merged host, its IP, or ip:port.
fn column_name(addr: &str, per_ip: bool, config: &Config) -> String {
    let parsed: Option<std::net::SocketAddr> = addr.parse().ok();
    let ip = parsed.map_or_else(|| addr.to_owned(), |a| a.ip().to_string());
    for (name, members) in &config.merge_hosts {
        if members.iter().any(|m| m == addr || *m == ip) {
            return name.clone();
        }
    }
    if let Some(name) = parsed.as_ref().and_then(|a| config.host_name(a)) {
        return if per_ip {
            name.to_owned()
        } else {
            match parsed {
                Some(a) if !name.contains(':') => format!("{name}:{}", a.port()),
                _ => name.to_owned(),
            }
        };
    }
    if per_ip {
        ip
    } else {
        addr.to_owned()
    }
}

/// `INVITE (SDP)` becomes `INVITE (SDP PCMU 10.0.0.5:16384)`.
fn label_with_sdp(session: &Session, store: &CallStore, a: &Arrow) -> String {
    if !a.sdp {
        return a.label.clone();
    }
    let summary = store
        .message(a.index)
        .and_then(|rec| session.bytes(store, rec))
        .and_then(|b| {
            let msg = sip::parse(&b)?;
            let sdp = Sdp::parse(msg.body);
            let audio = sdp.audio()?;
            let codec = audio.payloads.first().map(|&pt| audio.codec(pt))?;
            let addr = sdp
                .media_address(audio)
                .map_or_else(|| "?".to_owned(), |a| a.to_string());
            Some(format!("SDP {codec} {addr}:{}", audio.port))
        });
    match summary {
        Some(s) => a.label.replacen("(SDP)", &format!("({})", clean(&s)), 1),
        None => a.label.clone(),
    }
}

fn arrow_style(theme: &Theme, flow: &FlowState, a: &Arrow) -> Style {
    if a.retransmission {
        return theme.retransmission;
    }
    let pick = |n: usize| Style::default().fg(PALETTE[n % PALETTE.len()]);
    match flow.color {
        ColorMode::Method => {}
        ColorMode::CallId => {
            let n = flow.ladder.call_ids.iter().position(|c| *c == a.call_id);
            return pick(n.unwrap_or(0));
        }
        ColorMode::Cseq => {
            let n: usize = a
                .cseq
                .as_deref()
                .and_then(|c| c.split(' ').next())
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            return pick(n);
        }
    }
    match a.code {
        Some(code) => theme.code_style(code),
        None => theme.request,
    }
}

/// Below this width the panes go under the ladder instead of beside it.
const NARROW: u16 = 110;

/// Draws the screen; returns where the ladder went (for the mouse).
pub fn draw(
    f: &mut Frame,
    area: Rect,
    flow: &mut FlowState,
    session: &Session,
    store: &CallStore,
    theme: &Theme,
) -> Rect {
    let (ladder, details) = match (flow.show_details, flow.split, area.width < NARROW) {
        (false, _, _) => (area, None),
        (true, 0, _) => (Rect { width: 0, ..area }, Some(area)),
        (true, _, true) => {
            let parts = Layout::default()
                .direction(Direction::Vertical)
                .constraints([Constraint::Percentage(60), Constraint::Percentage(40)])
                .split(area);
            (parts[0], Some(parts[1]))
        }
        (true, split, false) => {
            let parts = Layout::default()
                .direction(Direction::Horizontal)
                .constraints([
                    Constraint::Percentage(split),
                    Constraint::Percentage(100 - split),
                ])
                .split(area);
            (parts[0], Some(parts[1]))
        }
    };
    if ladder.width > 0 {
        draw_ladder(f, ladder, flow, theme);
    }
    let Some(details) = details else {
        return ladder;
    };
    // Under a narrow ladder the two panes sit side by side; beside a wide
    // one, one above the other.
    let right = match (
        flow.show_explain,
        details.width < NARROW && details.height < area.height,
    ) {
        (false, _) => vec![details],
        (true, true) => Layout::default()
            .direction(Direction::Horizontal)
            .constraints([Constraint::Percentage(50), Constraint::Percentage(50)])
            .split(details)
            .to_vec(),
        (true, false) => Layout::default()
            .direction(Direction::Vertical)
            .constraints([Constraint::Percentage(45), Constraint::Percentage(55)])
            .split(details)
            .to_vec(),
    };
    draw_message(f, right[0], flow, session, store, theme);
    if let Some(&area) = right.get(1) {
        draw_explain(f, area, flow, theme);
    }
    ladder
}

fn pane(title: String, focused: bool, theme: &Theme) -> Block<'static> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(if focused {
            theme.border_focused
        } else {
            theme.border
        })
        .title(Line::styled(title, theme.title))
}

fn draw_ladder(f: &mut Frame, area: Rect, flow: &mut FlowState, theme: &Theme) {
    let height = area.height.saturating_sub(3) as usize;
    let selected_row = flow.message_rows.get(flow.selected).copied().unwrap_or(0);
    if selected_row < flow.offset {
        flow.offset = selected_row;
    } else if height > 0 && selected_row >= flow.offset + height {
        flow.offset = selected_row + 1 - height;
    }
    let inner_w = area.width.saturating_sub(2) as usize;
    let lanes_w = inner_w.saturating_sub(17);
    let layout = flow.layout(Some(lanes_w));
    let width = layout.width;
    // Never scroll past the last column.
    flow.hscroll = flow.hscroll.min(width.saturating_sub(lanes_w));
    let cut = |s: &str| -> String { s.chars().skip(flow.hscroll).take(lanes_w).collect() };
    let mut lines = vec![Line::from(vec![
        Span::raw(format!("{:17}", "")),
        Span::styled(cut(&layout.heading_line()), theme.header),
    ])];
    for r in flow.offset..(flow.offset + height).min(flow.rows.len()) {
        let (mut style, mut time_style) = match flow.rows.get(r) {
            Some(&Row::Message(i)) => match flow.ladder.arrows.get(i) {
                Some(a) if flow.marked.contains(&i) => {
                    (arrow_style(theme, flow, a).patch(theme.marked), theme.dim)
                }
                Some(a) => (arrow_style(theme, flow, a), theme.dim),
                None => continue,
            },
            Some(Row::Media(_)) => (theme.sdp, theme.dim),
            None => continue,
        };
        if r == selected_row {
            style = style.patch(theme.selected);
            time_style = time_style.patch(theme.selected);
        }
        lines.push(Line::from(vec![
            Span::styled(format!("{:15}", flow.time_text(r)), time_style),
            Span::raw("  "),
            Span::styled(cut(&layout.row(flow.lane_arrow(r), Glyphs::BOX)), style),
        ]));
    }
    let mut title = format!(
        " Call flow: {} message(s), {} call(s) ",
        flow.ladder.arrows.len(),
        flow.calls.len()
    );
    let streams = flow.ladder.media.iter().filter(|m| m.kind == "rtp").count();
    if streams > 0 {
        title.push_str(&format!("{streams} RTP stream(s) "));
    }
    if flow.hscroll > 0 || width > lanes_w {
        title.push_str(&format!(
            "◄► {}/{} ",
            flow.hscroll,
            width.saturating_sub(lanes_w)
        ));
    }
    let p = Paragraph::new(lines).style(theme.base).block(pane(
        title,
        flow.focus == Focus::Ladder,
        theme,
    ));
    f.render_widget(p, area);
}

/// The selected message, header names highlighted, search matches marked.
fn draw_message(
    f: &mut Frame,
    area: Rect,
    flow: &FlowState,
    session: &Session,
    store: &CallStore,
    theme: &Theme,
) {
    let text = flow
        .current()
        .and_then(|a| store.message(a.index))
        .and_then(|rec| session.bytes(store, rec));
    let mut lines: Vec<Line> = Vec::new();
    let title = match flow.current() {
        Some(a) => format!(
            " {} {} → {} {} ",
            a.time.get(11..26).unwrap_or(""),
            a.src,
            a.dst,
            a.transport
        ),
        None => " Message ".to_owned(),
    };
    match text {
        Some(bytes) => {
            let mut in_body = false;
            for (n, raw) in bytes.split(|&b| b == b'\n').enumerate() {
                let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
                let line = clean_bytes(raw);
                if raw.is_empty() {
                    in_body = true;
                }
                lines.push(match flow.plain_message {
                    true => Line::from(highlight(
                        &line,
                        &flow.search,
                        Style::default(),
                        theme.search_match,
                    )),
                    false => styled_message_line(&line, n == 0, in_body, &flow.search, theme),
                });
            }
        }
        None => lines.push(Line::styled("(message bytes unreadable)", theme.dim)),
    }
    let p = Paragraph::new(lines)
        .style(theme.base)
        .scroll((flow.message_scroll, 0))
        .wrap(Wrap { trim: false })
        .block(pane(title, flow.focus == Focus::Message, theme));
    f.render_widget(p, area);
}

fn styled_message_line(
    line: &str,
    first: bool,
    in_body: bool,
    search: &str,
    theme: &Theme,
) -> Line<'static> {
    let base = if first {
        theme.title
    } else if in_body {
        theme.sdp
    } else {
        Style::default()
    };
    let mut spans = Vec::new();
    let rest = if !first && !in_body {
        match line.split_once(':') {
            Some((name, value)) if !name.contains(' ') => {
                spans.push(Span::styled(format!("{name}:"), theme.header_name));
                value.to_owned()
            }
            _ => line.to_owned(),
        }
    } else {
        line.to_owned()
    };
    spans.extend(highlight(&rest, search, base, theme.search_match));
    Line::from(spans)
}

/// Splits `text` into spans with every (case-insensitive) match of `needle` marked.
pub fn highlight(text: &str, needle: &str, base: Style, mark: Style) -> Vec<Span<'static>> {
    if needle.is_empty() {
        return vec![Span::styled(text.to_owned(), base)];
    }
    let lower = text.to_lowercase();
    let n = needle.to_lowercase();
    if lower.len() != text.len() {
        // Case folding changed byte offsets: mark nothing rather than cut a character.
        return vec![Span::styled(text.to_owned(), base)];
    }
    let mut spans = Vec::new();
    let mut at = 0;
    while let Some(p) = lower[at..].find(&n) {
        let start = at + p;
        if start > at {
            spans.push(Span::styled(text[at..start].to_owned(), base));
        }
        spans.push(Span::styled(text[start..start + n.len()].to_owned(), mark));
        at = start + n.len();
    }
    if at < text.len() {
        spans.push(Span::styled(text[at..].to_owned(), base));
    }
    spans
}

/// The diagnosis of the calls, then the selected message explained line by line.
fn draw_explain(f: &mut Frame, area: Rect, flow: &FlowState, theme: &Theme) {
    let mut lines: Vec<Line> = Vec::new();
    if flow.explained.stack != crate::explain::Stack::Unknown {
        lines.push(Line::styled(
            format!("Answering side: {}", clean(&flow.explained.answered_by)),
            theme.dim,
        ));
    }
    if flow.explained.diagnosis.is_empty() {
        lines.push(Line::styled("Diagnosis: nothing to report", theme.normal));
    }
    for d in &flow.explained.diagnosis {
        let style = match d.severity {
            crate::explain::Severity::Problem => theme.problem,
            crate::explain::Severity::Warning => theme.warning,
            crate::explain::Severity::Info | crate::explain::Severity::Normal => theme.normal,
        };
        let evidence: Vec<String> = d
            .evidence
            .iter()
            .filter_map(|&i| flow.ladder.arrows.iter().position(|a| a.index == i))
            .map(|p| format!("#{}", p + 1))
            .collect();
        lines.push(Line::from(vec![
            Span::styled(
                format!("[{}] ", d.severity.label()),
                style.add_modifier(Modifier::BOLD),
            ),
            Span::styled(clean(&d.title).into_owned(), style),
            Span::styled(format!("  {}", evidence.join(" ")), theme.dim),
        ]));
        // Normal endings are named only; problems get the why and the what-to-check.
        if d.severity == crate::explain::Severity::Normal {
            continue;
        }
        lines.push(Line::styled(format!("  {}", d.detail), theme.note));
        if !d.check.is_empty() {
            lines.push(Line::styled(format!("  Check: {}", d.check), theme.note));
        }
    }
    lines.push(Line::raw(""));
    if let Some(m) = flow.explained.messages.get(flow.selected) {
        lines.push(Line::styled(
            format!("#{} {}", flow.selected + 1, clean(&m.start_line.title)),
            theme.title,
        ));
        for l in &m.start_line.lines {
            lines.push(Line::styled(format!("  {}", clean(l)), theme.note));
        }
        if !m.start_line.sources.is_empty() {
            lines.push(Line::styled(
                format!("  Read more: {}", m.start_line.sources.join("; ")),
                theme.dim,
            ));
        }
        for h in m.headers.iter().chain(m.sdp.iter()) {
            let (name, value) = h
                .raw
                .split_once(['=', ':'])
                .map_or((h.raw.as_str(), ""), |(n, _)| (n, &h.raw[n.len()..]));
            lines.push(Line::from(vec![
                Span::styled(name.to_owned(), theme.header_name),
                Span::raw(value.to_owned()),
            ]));
            for l in &h.note.lines {
                lines.push(Line::styled(format!("    {}", clean(l)), theme.note));
            }
        }
        if let Some(why) = &m.unreadable {
            lines.push(Line::styled(format!("(unreadable: {why})"), theme.dim));
        }
    }
    let p = Paragraph::new(lines)
        .style(theme.base)
        .scroll((flow.explain_scroll, 0))
        .wrap(Wrap { trim: false })
        .block(pane(
            " Explain ".to_owned(),
            flow.focus == Focus::Explain,
            theme,
        ));
    f.render_widget(p, area);
}

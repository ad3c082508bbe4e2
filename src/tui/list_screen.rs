//! The call list: one row per call, sorted, filtered, marked.

use super::config::{Column, Config};
use super::effect::{Effect, PromptKind};
use super::keys::Action;
use super::theme::Theme;
use crate::calls::{CallState, CallStore};
use crate::explain::{self, Severity, Verdict};
use crate::load::CaptureView;
use crate::views::escape::clean;
use crate::views::ladder::cut_end;
use crate::views::list::{CallMedia, CallRow};
use crate::views::selection::Selection;
use foldhash::HashMap;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Row, Table, TableState};
use ratatui::Frame;
use std::collections::BTreeSet;

/// A verdict stays right while its call has the same messages and RTP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct VerdictKey {
    messages: usize,
    rtp_packets: u64,
    capture_has_rtp: bool,
}

#[derive(Default)]
pub struct ListState {
    /// Call indices shown, in display order.
    pub order: Vec<u32>,
    /// Calls in the store when `order` was computed.
    pub known: usize,
    /// Messages in the store when `order` was computed.
    known_messages: usize,
    pub selected: usize,
    pub offset: usize,
    pub marked: BTreeSet<u32>,
    pub sort: Option<(Column, bool)>,
    /// The filter expression as typed (the parsed one is in `selection`).
    pub filter_text: String,
    /// Which calls are shown: the same rules as the headless views'.
    pub selection: Selection,
    /// Verdicts by call, with what the call had when they were computed.
    verdicts: HashMap<u32, (VerdictKey, Verdict)>,
    /// The capture-wide evidence of the diagnosis, the store's message
    /// count when built, and when (rebuilt at most once a second while the
    /// store grows, so a loading file costs one pass a second, not one per
    /// call).
    evidence: Option<(usize, std::time::Instant, explain::CaptureEvidence)>,
    pub dirty: bool,
    /// When a filtered or sorted order was last rebuilt.
    rebuilt: Option<std::time::Instant>,
}

impl ListState {
    pub fn new(config: &Config) -> Self {
        ListState {
            selection: Selection {
                hidden_methods: config.hide_methods.clone(),
                ..Selection::default()
            },
            dirty: true,
            ..Default::default()
        }
    }

    /// What the command line asked the list to start with (`-c`,
    /// `--filter`, `--problems`); the settings' hidden keepalives stay.
    pub fn start_with(&mut self, selection: Selection, filter_text: String) {
        let hidden = std::mem::take(&mut self.selection.hidden_methods);
        self.selection = Selection {
            hidden_methods: hidden,
            ..selection
        };
        self.filter_text = filter_text;
        self.invalidate();
    }

    /// The oldest `n` calls were rotated out and the rest renumbered: the
    /// order, marks and cached verdicts follow the calls they were about.
    pub fn forget_oldest(&mut self, n: u32) {
        self.order = self.order.iter().filter_map(|c| c.checked_sub(n)).collect();
        self.selected = self.selected.min(self.order.len().saturating_sub(1));
        self.marked = self
            .marked
            .iter()
            .filter_map(|c| c.checked_sub(n))
            .collect();
        self.verdicts.clear();
        self.evidence = None;
        self.dirty = true;
    }

    /// Filters or sorting changed: the order is rebuilt before the next draw.
    pub fn invalidate(&mut self) {
        self.dirty = true;
    }

    fn is_plain(&self) -> bool {
        self.sort.is_none() && self.selection.is_everything()
    }

    /// The verdict of a call, cached until the call gets more messages or
    /// RTP.
    pub fn verdict(&mut self, data: &CaptureView<'_>, call: u32) -> Verdict {
        let key = VerdictKey {
            messages: data
                .store
                .calls()
                .get(call as usize)
                .map_or(0, |c| c.messages.len()),
            rtp_packets: data.media.call_streams(call).map(|s| s.packets).sum(),
            capture_has_rtp: data.media.has_rtp(),
        };
        if let Some((k, v)) = self.verdicts.get(&call) {
            if *k == key {
                return *v;
            }
        }
        let messages = data.store.messages().len();
        let stale = self.evidence.as_ref().is_none_or(|(n, at, _)| {
            *n != messages && at.elapsed() >= std::time::Duration::from_secs(1)
        });
        if stale {
            let built = explain::CaptureEvidence::build(data.store);
            self.evidence = Some((messages, std::time::Instant::now(), built));
        }
        let Some((_, _, evidence)) = &self.evidence else {
            return Verdict::of(&[]);
        };
        let read =
            |rec: &crate::calls::MessageRecord| data.store.message_bytes(rec, data.source).ok();
        let diagnoser = explain::Diagnoser::new(data.store, Some(data.media), evidence, &read);
        let v = Verdict::of(&diagnoser.call(call).findings);
        self.verdicts.insert(call, (key, v));
        v
    }

    /// Rebuilds the order when the store grew or a filter changed.
    pub fn refresh(&mut self, data: &CaptureView<'_>) {
        let store = data.store;
        let calls = store.calls().len();
        let grew = calls != self.known || store.messages().len() != self.known_messages;
        if !self.dirty && !grew {
            return;
        }
        // Growth alone rebuilds a filtered or sorted order at most twice a
        // second, so keys stay quick while a big file loads.
        let plain = self.is_plain();
        if !self.dirty
            && !plain
            && self
                .rebuilt
                .is_some_and(|t| t.elapsed() < std::time::Duration::from_millis(500))
        {
            return;
        }
        let keep = self.order.get(self.selected).copied();
        if plain {
            self.order = (0..calls as u32).collect();
        } else {
            self.order = self.filtered(data);
        }
        self.known = calls;
        self.known_messages = store.messages().len();
        self.dirty = false;
        self.rebuilt = Some(std::time::Instant::now());
        // The selection stays on the same call when it is still shown.
        if let Some(k) = keep {
            if let Some(p) = self.order.iter().position(|&c| c == k) {
                self.selected = p;
            }
        }
        self.selected = self.selected.min(self.order.len().saturating_sub(1));
    }

    fn filtered(&mut self, data: &CaptureView<'_>) -> Vec<u32> {
        let (store, source) = (data.store, data.source);
        let selection = self.selection.clone();
        let needs_verdict =
            selection.needs_verdict() || self.sort.is_some_and(|(c, _)| c == Column::Verdict);
        let needs_media = selection.needs_media() || self.sort.is_some_and(|(c, _)| c.is_media());
        let mut rows: Vec<(u32, CallRow)> = Vec::new();
        for (i, call) in store.calls().iter().enumerate() {
            let i = i as u32;
            if !selection.passes_method(store.strings.get(call.first_method)) {
                continue;
            }
            let mut row = CallRow::of(store, call);
            if needs_verdict {
                row.verdict = Some(self.verdict(data, i));
            }
            if needs_media {
                row.media = CallMedia::of(data.media, i);
            }
            let mut payload = || crate::views::raw::call_text(source, store, &[i]);
            if selection.passes_row(&row, &mut payload) {
                rows.push((i, row));
            }
        }
        if let Some((col, descending)) = self.sort {
            rows.sort_by(|(ai, a), (bi, b)| {
                let o = col.compare(a, b).then(ai.cmp(bi));
                if descending {
                    o.reverse()
                } else {
                    o
                }
            });
        }
        rows.into_iter().map(|(i, _)| i).collect()
    }

    pub fn current(&self) -> Option<u32> {
        self.order.get(self.selected).copied()
    }

    /// The marked calls, or the current one when none is marked.
    pub fn chosen(&self) -> Vec<u32> {
        if self.marked.is_empty() {
            self.current().into_iter().collect()
        } else {
            self.marked.iter().copied().collect()
        }
    }

    pub fn move_by(&mut self, delta: isize) {
        let last = self.order.len().saturating_sub(1) as isize;
        self.selected = (self.selected as isize + delta).clamp(0, last.max(0)) as usize;
    }

    pub fn move_to(&mut self, pos: usize) {
        self.selected = pos.min(self.order.len().saturating_sub(1));
    }

    pub fn toggle_mark(&mut self) {
        if let Some(c) = self.current() {
            if !self.marked.remove(&c) {
                self.marked.insert(c);
            }
        }
    }

    /// What a key of the list does (`page`: rows on screen; `columns`:
    /// those shown, for sorting by the next one).
    pub fn act(&mut self, action: Action, page: isize, columns: &[Column]) -> Effect {
        use Action as A;
        match action {
            A::Up => self.move_by(-1),
            A::Down => self.move_by(1),
            A::PageDown => self.move_by(page),
            A::PageUp => self.move_by(-page),
            A::HalfDown => self.move_by(page / 2),
            A::HalfUp => self.move_by(-page / 2),
            A::First => self.move_to(0),
            A::Last => self.move_to(usize::MAX),
            A::Back => return Effect::Quit,
            A::OpenFlow => return Effect::OpenFlow { extended: false },
            A::OpenExtended => return Effect::OpenFlow { extended: true },
            // sngrep's Space marks and stays: "Space, Down, Space" marks two.
            A::Mark => self.toggle_mark(),
            A::Raw => return Effect::OpenRaw(self.chosen()),
            A::Search => return Effect::Prompt(PromptKind::Search, self.filter_text.clone()),
            A::Filter => return Effect::Prompt(PromptKind::Filter, self.filter_text.clone()),
            A::Save => return Effect::AskSave,
            A::MethodFilter => return Effect::NextMethod,
            A::ProblemsOnly => {
                self.selection.problems_only = !self.selection.problems_only;
                self.invalidate();
            }
            A::Pause => return Effect::TogglePause,
            A::HideMethods => return Effect::ToggleHiddenMethods,
            A::SortPrevious => self.step_sort(columns, false),
            A::SortNext => self.step_sort(columns, true),
            A::SwapOrder => self.swap_order(),
            A::ClearFilter => {
                self.filter_text.clear();
                self.selection.filter = None;
                self.invalidate();
            }
            A::CopyCalls => return Effect::CopyCalls(self.chosen()),
            A::CopyList => return Effect::CopyList,
            A::Stats => return Effect::OpenStats,
            A::Streams => {
                let calls = (!self.marked.is_empty()).then(|| self.chosen());
                return Effect::OpenStreams(calls);
            }
            A::Columns => return Effect::OpenColumns,
            A::ClearCalls => return Effect::ClearCalls,
            A::Settings => return Effect::OpenSettings,
            _ => {}
        }
        Effect::None
    }

    /// `m`: the next of the methods the capture has (most calls first), or
    /// all after the last; the status line's words for it.
    pub fn next_method(&mut self, store: &CallStore) -> String {
        let present = methods_present(store);
        let next = match &self.selection.method {
            None => present.first().cloned(),
            Some(m) => present
                .iter()
                .position(|p| p == m)
                .and_then(|i| present.get(i + 1))
                .cloned(),
        };
        self.selection.method = next;
        self.invalidate();
        let shown = self.selection.method.as_deref().unwrap_or("all methods");
        format!("showing {shown}")
    }

    /// `<` / `>`: sort by the previous / next visible column.
    pub fn step_sort(&mut self, columns: &[Column], forward: bool) {
        let pos = self
            .sort
            .and_then(|(c, _)| columns.iter().position(|&x| x == c));
        let next = match (pos, forward) {
            (None, true) => Some(0),
            (None, false) => columns.len().checked_sub(1),
            (Some(p), true) => (p + 1 < columns.len()).then_some(p + 1),
            (Some(p), false) => p.checked_sub(1),
        };
        self.sort = next.and_then(|n| columns.get(n)).map(|&c| (c, false));
        self.invalidate();
    }

    pub fn swap_order(&mut self) {
        if let Some((c, d)) = self.sort {
            self.sort = Some((c, !d));
            self.invalidate();
        }
    }
}

/// The text of one cell.
pub fn cell(col: Column, r: &CallRow) -> String {
    col.cell(r)
}

/// The `[x]` box in front of each row.
const MARK_WIDTH: u16 = 3;

/// The configured columns that fit in a list `width` wide (the chooser
/// says which do not).
pub fn fitting_columns(columns: &[Column], width: u16) -> Vec<Column> {
    fit(columns, width.saturating_sub(2 + MARK_WIDTH + 1))
        .into_iter()
        .map(|(c, _)| c)
        .collect()
}

/// Width of a column on the screens; the flexible ones share what is left.
fn width(col: Column) -> (u16, bool) {
    (col.spec().width, col.spec().flexible)
}

/// The columns that fit in `space` and their widths, in the configured
/// order; a narrow terminal loses the least wanted columns rather than
/// squeezing every column unreadable.
fn fit(columns: &[Column], space: u16) -> Vec<(Column, u16)> {
    let mut keep: Vec<Column> = Vec::new();
    let mut used = 0u16;
    let mut by_priority = columns.to_vec();
    by_priority.sort_by_key(|c| c.spec().priority);
    for c in by_priority.iter() {
        let (w, _) = width(*c);
        if used + w < space || keep.is_empty() {
            used += w + 1;
            keep.push(*c);
        }
    }
    let mut chosen: Vec<(Column, u16)> = columns
        .iter()
        .filter(|c| keep.contains(c))
        .map(|&c| (c, width(c).0))
        .collect();
    let flexible = chosen.iter().filter(|(c, _)| width(*c).1).count() as u16;
    if let Some(extra) = space.saturating_sub(used).checked_div(flexible) {
        for (c, w) in &mut chosen {
            if width(*c).1 {
                *w += extra.min(40);
            }
        }
    }
    chosen
}

fn state_style(theme: &Theme, row: &CallRow, state: Option<CallState>) -> Style {
    match state {
        Some(CallState::Completed | CallState::InCall) => theme.state_ok,
        Some(CallState::CallSetup | CallState::Ringing) => theme.state_progress,
        Some(CallState::Cancelled) => theme.dim,
        Some(_) => theme.state_failed,
        None => match row.final_code {
            Some(c) if c >= 300 => theme.state_failed,
            Some(_) => theme.state_ok,
            None => theme.state_progress,
        },
    }
}

pub fn draw(
    f: &mut Frame,
    area: Rect,
    list: &mut ListState,
    data: &CaptureView<'_>,
    config: &Config,
    theme: &Theme,
) {
    let store = data.store;
    // Borders, and the mark box with its gap.
    let fitted = fit(
        &config.columns,
        area.width.saturating_sub(2 + MARK_WIDTH + 1),
    );
    let columns: Vec<Column> = fitted.iter().map(|(c, _)| *c).collect();
    let inner_height = area.height.saturating_sub(3) as usize;
    // Keep the selection on screen.
    if list.selected < list.offset {
        list.offset = list.selected;
    } else if inner_height > 0 && list.selected >= list.offset + inner_height {
        list.offset = list.selected + 1 - inner_height;
    }
    let visible: Vec<u32> = list
        .order
        .iter()
        .skip(list.offset)
        .take(inner_height.max(1))
        .copied()
        .collect();
    let mut rows = Vec::with_capacity(visible.len());
    for &ci in &visible {
        let Some(call) = store.calls().get(ci as usize) else {
            continue;
        };
        let mut row = CallRow::of(store, call);
        if columns.contains(&Column::Verdict) {
            row.verdict = Some(list.verdict(data, ci));
        }
        if columns.iter().any(|&c| c.is_media()) {
            row.media = CallMedia::of(data.media, ci);
        }
        let marked = list.marked.contains(&ci);
        let mark = Cell::from(if marked { "[x]" } else { "[ ]" });
        let cells: Vec<Cell> = std::iter::once(mark)
            .chain(fitted.iter().map(|&(c, w)| {
                // Cut to the column with a mark, never silently.
                let text = cut_end(&cell(c, &row), w as usize);
                let style = match c {
                    Column::State => state_style(theme, &row, call.state),
                    Column::Verdict => match row.verdict.and_then(|v| v.severity) {
                        Some(Severity::Problem) => theme.problem,
                        Some(Severity::Warning) => theme.warning,
                        _ => theme.normal,
                    },
                    _ => Style::default(),
                };
                Cell::from(Span::styled(text, style))
            }))
            .collect();
        let mut r = Row::new(cells);
        if marked {
            r = r.style(theme.marked);
        }
        rows.push(r);
    }
    let header = Row::new(
        std::iter::once(String::new()).chain(columns.iter().map(|&c| {
            let mut t = c.title().to_owned();
            if let Some((s, desc)) = list.sort {
                if s == c {
                    t.push(if desc { '▼' } else { '▲' });
                }
            }
            t
        })),
    )
    .style(theme.header);
    let title = list_title(list, store);
    let widths = std::iter::once(Constraint::Length(MARK_WIDTH))
        .chain(fitted.iter().map(|&(_, w)| Constraint::Length(w)));
    let table = Table::new(rows, widths)
        .header(header)
        .block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(theme.border)
                .title(Line::styled(title, theme.title)),
        )
        .row_highlight_style(theme.selected)
        .style(theme.base);
    let mut state = TableState::default();
    if !list.order.is_empty() {
        state.select(Some(list.selected - list.offset.min(list.selected)));
    }
    f.render_stateful_widget(table, area, &mut state);
}

/// Methods that open a call in this capture, most calls first.
fn methods_present(store: &CallStore) -> Vec<String> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for c in store.calls() {
        let m = store.strings.get(c.first_method);
        match counts.iter_mut().find(|(x, _)| x == m) {
            Some((_, n)) => *n += 1,
            None => counts.push((m.to_owned(), 1)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    counts.into_iter().map(|(m, _)| m).collect()
}

fn list_title(list: &ListState, store: &CallStore) -> String {
    let mut parts = vec![format!(
        " Calls {}/{} ",
        list.order.len(),
        store.calls().len()
    )];
    let selection = &list.selection;
    if let Some(m) = &selection.method {
        parts.push(format!("[{} only] ", clean(m)));
    }
    if selection.problems_only {
        parts.push("[problems] ".into());
    }
    if !selection.hidden_methods.is_empty() {
        parts.push("[hiding keepalives] ".into());
    }
    if !list.filter_text.is_empty() {
        parts.push(format!("[filter: {}] ", clean(&list.filter_text)));
    }
    if !list.marked.is_empty() {
        parts.push(format!("[{} marked] ", list.marked.len()));
    }
    parts.concat()
}

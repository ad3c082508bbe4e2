//! Full-screen text: the raw view of whole calls, the message diff and help.

use super::effect::{Effect, PromptKind};
use super::flow_screen::highlight;
use super::keys::Action;
use super::theme::Theme;
use crate::load::{CaptureView, Pipeline};
use crate::views::streams;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

/// Scrollable text with search (`/`, `n`, `N`).
pub struct TextState {
    pub title: String,
    pub lines: Vec<String>,
    pub scroll: usize,
    /// Characters scrolled off the left (Left / Right).
    pub hscroll: usize,
    pub search: String,
}

impl TextState {
    /// The stream screen: the streams of some calls (all when `None`),
    /// numbered as `--streams` numbers them, with their figures.
    pub fn streams(view: &CaptureView<'_>, calls: Option<&[u32]>) -> TextState {
        let (store, media) = (view.store, view.media);
        let rows = match calls {
            Some(calls) => streams::rows_of_calls(media, store, calls),
            None => streams::rows(media, store),
        };
        let title = match calls {
            Some(c) => format!("RTP streams of {} call(s): {}", c.len(), rows.len()),
            None => format!("RTP streams: {}", rows.len()),
        };
        TextState::new(title, &streams::to_blocks(&rows))
    }

    /// The statistics screen, with what was not decoded.
    pub fn stats(view: &CaptureView<'_>, pipeline: &Pipeline) -> TextState {
        let mut text = crate::views::stats::to_text(
            &view.origin.name(),
            pipeline.packets(),
            view.store,
            view.media,
        );
        if let Some(note) = crate::views::summary::undecoded_note(&pipeline.decode_stats()) {
            text.push_str(&format!("\n{note}\n"));
        }
        TextState::new("Statistics".into(), &text)
    }

    /// What a key of a text screen (raw, help, statistics, streams) does.
    pub fn act(&mut self, action: Action) -> Effect {
        use Action as A;
        let page = 20;
        match action {
            A::Up => self.scroll_by(-1),
            A::Down => self.scroll_by(1),
            A::PageDown => self.scroll_by(page),
            A::PageUp => self.scroll_by(-page),
            A::First => self.scroll = 0,
            A::Last => self.scroll_by(isize::MAX / 2),
            A::Left => self.hscroll = self.hscroll.saturating_sub(8),
            A::Right => self.hscroll += 8,
            A::Find => return Effect::Prompt(PromptKind::TextSearch, self.search.clone()),
            A::FindNext | A::FindPrevious if !self.find(action == A::FindNext) => {
                return Effect::error("not found")
            }
            A::CopyText => return Effect::Copy(self.lines.join("\n"), "text"),
            A::Back => return Effect::Back,
            _ => {}
        }
        Effect::None
    }

    pub fn new(title: String, text: &str) -> Self {
        TextState {
            title,
            lines: text.lines().map(str::to_owned).collect(),
            scroll: 0,
            hscroll: 0,
            search: String::new(),
        }
    }

    pub fn scroll_by(&mut self, delta: isize) {
        let last = self.lines.len().saturating_sub(1) as isize;
        self.scroll = (self.scroll as isize + delta).clamp(0, last.max(0)) as usize;
    }

    /// Jumps to the next (or previous) line holding the search text.
    pub fn find(&mut self, forward: bool) -> bool {
        if self.search.is_empty() || self.lines.is_empty() {
            return false;
        }
        let needle = self.search.to_lowercase();
        let n = self.lines.len();
        for step in 1..=n {
            let i = if forward {
                (self.scroll + step) % n
            } else {
                (self.scroll + n - step % n) % n
            };
            if self.lines[i].to_lowercase().contains(&needle) {
                self.scroll = i;
                return true;
            }
        }
        false
    }

    /// Search from the current line on (used while typing).
    pub fn find_from_here(&mut self) -> bool {
        if self
            .lines
            .get(self.scroll)
            .is_some_and(|l| l.to_lowercase().contains(&self.search.to_lowercase()))
        {
            return true;
        }
        self.find(true)
    }
}

pub fn draw_text(f: &mut Frame, area: Rect, t: &TextState, theme: &Theme) {
    let height = area.height.saturating_sub(2) as usize;
    let lines: Vec<Line> = t
        .lines
        .iter()
        .skip(t.scroll)
        .take(height)
        .map(|l| {
            let l: String = l.chars().skip(t.hscroll).collect();
            Line::from(highlight(
                &l,
                &t.search,
                Style::default(),
                theme.search_match,
            ))
        })
        .collect();
    let title = format!(
        " {} (line {}/{}) ",
        t.title,
        t.scroll + 1,
        t.lines.len().max(1)
    );
    let p = Paragraph::new(lines).style(theme.base).block(
        Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border)
            .title(Line::styled(title, theme.title)),
    );
    f.render_widget(p, area);
}

/// Two messages side by side, lines aligned by a longest-common-subsequence
/// match so a header added on one side does not shift everything after it.
pub struct DiffState {
    pub left_title: String,
    pub right_title: String,
    /// Aligned rows: (left line, right line); `None` where one side has no line.
    pub rows: Vec<(Option<String>, Option<String>)>,
    pub scroll: usize,
    /// Characters scrolled off the left of both sides (Left / Right).
    pub hscroll: usize,
}

impl DiffState {
    /// What a key of the diff does.
    pub fn act(&mut self, action: Action) -> Effect {
        use Action as A;
        match action {
            A::Up => self.scroll_by(-1),
            A::Down => self.scroll_by(1),
            A::PageDown => self.scroll_by(20),
            A::PageUp => self.scroll_by(-20),
            A::Left => self.hscroll = self.hscroll.saturating_sub(8),
            A::Right => self.hscroll += 8,
            A::Back => return Effect::Back,
            _ => {}
        }
        Effect::None
    }

    pub fn new(left_title: String, left: &str, right_title: String, right: &str) -> Self {
        DiffState {
            left_title,
            right_title,
            rows: align(left, right),
            scroll: 0,
            hscroll: 0,
        }
    }

    pub fn scroll_by(&mut self, delta: isize) {
        let last = self.rows.len().saturating_sub(1) as isize;
        self.scroll = (self.scroll as isize + delta).clamp(0, last.max(0)) as usize;
    }

    /// Rows that differ.
    pub fn changed(&self) -> usize {
        self.rows.iter().filter(|(l, r)| l != r).count()
    }
}

/// Line alignment by LCS; messages are short (tens of lines), so the
/// quadratic table is small. Very long inputs fall back to line-by-line.
pub fn align(left: &str, right: &str) -> Vec<(Option<String>, Option<String>)> {
    let a: Vec<&str> = left.lines().collect();
    let b: Vec<&str> = right.lines().collect();
    if a.len() * b.len() > 4_000_000 {
        let n = a.len().max(b.len());
        return (0..n)
            .map(|i| {
                (
                    a.get(i).map(|s| s.to_string()),
                    b.get(i).map(|s| s.to_string()),
                )
            })
            .collect();
    }
    let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut rows = Vec::new();
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            rows.push((Some(a[i].to_owned()), Some(b[j].to_owned())));
            i += 1;
            j += 1;
        } else if i < a.len() && j < b.len() && lcs[i + 1][j] == lcs[i][j + 1] {
            // Both sides changed here: show them on one row.
            rows.push((Some(a[i].to_owned()), Some(b[j].to_owned())));
            i += 1;
            j += 1;
        } else if j >= b.len() || (i < a.len() && lcs[i + 1][j] >= lcs[i][j + 1]) {
            rows.push((Some(a[i].to_owned()), None));
            i += 1;
        } else {
            rows.push((None, Some(b[j].to_owned())));
            j += 1;
        }
    }
    rows
}

pub fn draw_diff(f: &mut Frame, area: Rect, d: &DiffState, theme: &Theme) {
    let halves = Layout::default()
        .direction(Direction::Horizontal)
        .constraints([Constraint::Percentage(50), Constraint::Percentage(50)])
        .split(area);
    let height = area.height.saturating_sub(2) as usize;
    for (side, half) in halves.iter().enumerate() {
        let lines: Vec<Line> = d
            .rows
            .iter()
            .skip(d.scroll)
            .take(height)
            .map(|(l, r)| {
                let (mine, other) = if side == 0 { (l, r) } else { (r, l) };
                let style = match (mine, other) {
                    (Some(a), Some(b)) if a == b => Style::default(),
                    (Some(_), Some(_)) => theme.diff_changed,
                    (Some(_), None) => theme.diff_only,
                    (None, _) => theme.dim,
                };
                let text: String = mine
                    .as_deref()
                    .unwrap_or("")
                    .chars()
                    .skip(d.hscroll)
                    .collect();
                Line::from(Span::styled(text, style))
            })
            .collect();
        let title = if side == 0 {
            &d.left_title
        } else {
            &d.right_title
        };
        let p = Paragraph::new(lines).style(theme.base).block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(theme.border)
                .title(Line::styled(format!(" {title} "), theme.title)),
        );
        f.render_widget(p, *half);
    }
}

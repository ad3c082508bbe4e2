//! The two lines under every screen: the status line (the capture, live
//! counters, loading progress, what was not read) and the bottom line (a
//! prompt, the last action's result, or the screen's key hints from the
//! key table).

use super::effect::{Prompt, PromptKind};
use super::keys;
use super::screen::Screen;
use super::theme::Theme;
use crate::load::Pipeline;
use crate::session::Session;
use crate::views::escape::clean;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Gauge, Paragraph};
use ratatui::Frame;
use std::sync::atomic::Ordering;

/// The status line: the capture, the calls shown, and live counters,
/// loading progress or what was not read.
pub fn draw_status(
    f: &mut Frame,
    area: Rect,
    session: &Session,
    pipeline: &Pipeline,
    shown: usize,
    paused: bool,
    theme: &Theme,
) {
    let store = &pipeline.store;
    let malformed = store.stats().malformed;
    // A live capture's devices follow in the state part.
    let name = match session.is_live() {
        true => "live".to_owned(),
        false => clean(&session.origin.name()).into_owned(),
    };
    let left = format!(
        " {name} | calls {} shown {} | messages {} | malformed {} ",
        store.calls().len(),
        shown,
        store.messages().len(),
        malformed,
    );
    if session.is_live() {
        let pipeline_note = if paused { " | PAUSED" } else { "" };
        let state = if session.is_loading() {
            "capturing"
        } else {
            "stopped"
        };
        let text = format!(
            "{left}| {state} on {} | packets {} | kernel dropped {}{}{pipeline_note}",
            session.origin.devices().join(","),
            session.progress.packets.load(Ordering::Relaxed),
            session
                .kernel_dropped
                .iter()
                .map(|d| d.load(Ordering::Relaxed))
                .sum::<u64>(),
            limit_note(pipeline, session.queue_dropped()),
        );
        f.render_widget(Paragraph::new(text).style(theme.status), area);
    } else if session.is_loading() {
        let total = session.source.len().max(1);
        let read = session.progress.bytes_read.load(Ordering::Relaxed);
        let secs = session.started.elapsed().as_secs_f64().max(0.001);
        let packets = session.progress.packets.load(Ordering::Relaxed);
        let label = format!(
            "{left}| loading {:.0}% {:.1}/{:.1} MiB, {:.0} packets/s",
            read as f64 * 100.0 / total as f64,
            read as f64 / 1048576.0,
            total as f64 / 1048576.0,
            packets as f64 / secs
        );
        let g = Gauge::default()
            .ratio((read as f64 / total as f64).clamp(0.0, 1.0))
            .label(label)
            .gauge_style(theme.status);
        f.render_widget(g, area);
    } else {
        // Loaded: what was not decoded and where damage stopped the
        // read, so "0 calls" or a short list comes with its reason.
        let mut text = left;
        if let Some(note) = crate::views::summary::undecoded_note(&pipeline.decode_stats()) {
            text.push_str(&format!("| {note} "));
        }
        if let Some(line) = pipeline.left_out().line() {
            text.push_str(&format!("| {line} "));
        }
        if let Some(stop) = session.stopped() {
            text.push_str(&format!(
                "| {} ",
                clean(&crate::views::summary::truncation_note(&stop))
            ));
        }
        f.render_widget(Paragraph::new(text).style(theme.status), area);
    }
}

/// The bottom line: a prompt being typed, the last action's result, or
/// the screen's key hints.
pub fn draw_bottom(
    f: &mut Frame,
    area: Rect,
    prompt: Option<&Prompt>,
    message: Option<&(String, bool)>,
    screen: Screen,
    theme: &Theme,
) {
    let line = if let Some(p) = prompt {
        let label = match p.kind {
            PromptKind::Search => "Search: ",
            PromptKind::Filter => "Filter: ",
            PromptKind::Save => "Save to (.pcap = packets, else text): ",
            PromptKind::MessageSearch | PromptKind::TextSearch => "Find: ",
        };
        Line::from(vec![
            Span::styled(label, theme.key),
            Span::raw(clean(&p.text).into_owned()),
            Span::styled("█", theme.dim),
        ])
    } else if let Some((m, err)) = message {
        Line::styled(
            clean(m).into_owned(),
            if *err { theme.problem } else { theme.normal },
        )
    } else {
        key_hints(screen, area.width, theme)
    };
    f.render_widget(Paragraph::new(line).style(theme.base), area);
}

fn key_hints(screen: Screen, width: u16, theme: &Theme) -> Line<'static> {
    let tables = screen.keys();
    // As many hints as fit, the last (quit / back) always.
    let q = match screen {
        Screen::List => "Quit",
        _ => "Back",
    };
    let mut hints = keys::hints(tables, q);
    let last = hints.pop();
    let cost = |(k, what): &(String, &str)| (k.chars().count() + what.chars().count() + 3) as u16;
    let mut room = width.saturating_sub(last.as_ref().map_or(0, cost));
    let mut shown = Vec::new();
    for hint in hints {
        if cost(&hint) <= room {
            room -= cost(&hint);
            shown.push(hint);
        }
    }
    shown.extend(last);
    let mut spans = Vec::new();
    for (k, what) in shown {
        spans.push(Span::styled(k, theme.key));
        spans.push(Span::styled(format!(" {what}  "), Style::default()));
    }
    Line::from(spans)
}

/// What the message limit cost so far, for the status bar (the caller
/// holds the pipeline: taking the lock again here would wait forever).
fn limit_note(pipeline: &Pipeline, queue_dropped: u64) -> String {
    let mut s = String::new();
    if queue_dropped > 0 {
        s.push_str(&format!(" | {queue_dropped} dropped with sipview behind"));
    }
    if let Some(line) = pipeline.left_out().line() {
        s.push_str(&format!(" | {line}"));
    }
    s
}

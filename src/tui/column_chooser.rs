//! The column chooser over the call list (F10, `t`): every column of the
//! table, Space shows or hides one, `+` / `-` move it, and a shown column
//! the terminal has no room for says so.

use super::list_screen;
use super::theme::Theme;
use crate::views::columns::Column;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

#[derive(Debug, Default)]
pub struct ColumnChooser {
    /// The row of the cursor, in the table's order.
    cursor: usize,
}

impl ColumnChooser {
    /// A key, changing `shown` (the list's columns, in order); false when
    /// the chooser closes.
    pub fn key(&mut self, k: KeyEvent, shown: &mut Vec<Column>) -> bool {
        let all: Vec<Column> = Column::all().collect();
        let cur = self.cursor.min(all.len() - 1);
        let col = all[cur];
        match k.code {
            KeyCode::Up | KeyCode::Char('k') => self.cursor = cur.saturating_sub(1),
            KeyCode::Down | KeyCode::Char('j') => self.cursor = (cur + 1).min(all.len() - 1),
            KeyCode::Char(' ') | KeyCode::Enter => match shown.iter().position(|&c| c == col) {
                // The last column stays.
                Some(p) if shown.len() > 1 => {
                    shown.remove(p);
                }
                Some(_) => {}
                None => {
                    // Shown in the order of the full list.
                    let at = shown
                        .iter()
                        .position(|c| all.iter().position(|x| x == c) > Some(cur))
                        .unwrap_or(shown.len());
                    shown.insert(at, col);
                }
            },
            KeyCode::Char('+') | KeyCode::Char('-') => {
                if let Some(p) = shown.iter().position(|&c| c == col) {
                    let q = if k.code == KeyCode::Char('-') {
                        p.saturating_sub(1)
                    } else {
                        (p + 1).min(shown.len() - 1)
                    };
                    shown.swap(p, q);
                }
            }
            KeyCode::Esc | KeyCode::Char('q') | KeyCode::F(10) | KeyCode::Char('t') => {
                return false
            }
            _ => {}
        }
        true
    }

    /// A box in the middle of `area` (the list's).
    pub fn draw(&self, f: &mut Frame, area: Rect, shown: &[Column], theme: &Theme) {
        let fitting = list_screen::fitting_columns(shown, area.width);
        let width = 36.min(area.width);
        let height = (Column::all().count() as u16 + 3).min(area.height);
        let popup = Rect {
            x: area.x + area.width.saturating_sub(width) / 2,
            y: area.y + area.height.saturating_sub(height) / 2,
            width,
            height,
        };
        let lines: Vec<Line> = Column::all()
            .enumerate()
            .map(|(i, c)| {
                let on = shown.contains(&c);
                let mut text = format!("[{}] {}", if on { 'x' } else { ' ' }, c.title());
                if on && !fitting.contains(&c) {
                    text.push_str("  (no room)");
                }
                let style = if i == self.cursor {
                    theme.selected
                } else {
                    Style::default()
                };
                Line::styled(text, style)
            })
            .collect();
        f.render_widget(Clear, popup);
        f.render_widget(
            Paragraph::new(lines).style(theme.base).block(
                Block::default()
                    .borders(Borders::ALL)
                    .border_style(theme.border_focused)
                    .title(Line::styled(" Columns: Space, +/- ", theme.title)),
            ),
            popup,
        );
    }
}

//! The interactive state: which screen is up, what is selected, and what
//! each key does. No terminal here: tests drive it with key events and a
//! ratatui TestBackend.

use super::column_chooser::ColumnChooser;
use super::config::{Column, Config};
use super::effect::Effect;
pub use super::effect::{Prompt, PromptKind};
use super::flow_screen::{self, FlowState};
use super::keys;
use super::list_screen::{self, ListState};
pub use super::screen::Screen;
use super::status_bar;
use super::text_screens::{self, DiffState, TextState};
use super::theme::Theme;
use crate::session::Session;
use crate::views::escape::{clean, clean_bytes};
use crate::views::filter::Filter;
use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEventKind,
};
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::Frame;
use std::path::PathBuf;
use std::sync::Arc;

pub struct App {
    pub session: Arc<Session>,
    pub config: Config,
    pub theme: Theme,
    pub stack: Vec<Screen>,
    pub list: ListState,
    pub flow: Option<FlowState>,
    pub text: Option<TextState>,
    pub diff: Option<DiffState>,
    pub prompt: Option<Prompt>,
    /// The last action's result, shown in the status line.
    pub message: Option<(String, bool)>,
    pub quit: bool,
    /// Live: the display is frozen (the capture goes on).
    pub paused: bool,
    /// Calls rotated out (-R) that the screens have caught up with.
    rotated_seen: u64,
    /// Quit was asked for while capturing live: the next key confirms.
    confirm_quit: bool,
    /// F10: the column chooser is open, with its cursor.
    pub columns: Option<ColumnChooser>,
    /// Where the list and the ladder were drawn, for mouse clicks.
    list_area: Rect,
    ladder_area: Rect,
}

impl App {
    pub fn new(session: Arc<Session>, config: Config, theme: Theme) -> Self {
        App {
            list: ListState::new(&config),
            session,
            config,
            theme,
            stack: vec![Screen::List],
            flow: None,
            text: None,
            diff: None,
            prompt: None,
            message: None,
            quit: false,
            paused: false,
            rotated_seen: 0,
            confirm_quit: false,
            columns: None,
            list_area: Rect::default(),
            ladder_area: Rect::default(),
        }
    }

    pub fn screen(&self) -> Screen {
        self.stack.last().copied().unwrap_or(Screen::List)
    }

    fn info(&mut self, text: impl Into<String>) {
        self.message = Some((text.into(), false));
    }

    fn error(&mut self, text: impl Into<String>) {
        self.message = Some((text.into(), true));
    }

    fn back(&mut self) {
        if self.stack.len() > 1 {
            self.stack.pop();
        } else {
            self.quit = true;
        }
    }

    /// One terminal event. Returns true when the screen needs a redraw.
    pub fn handle(&mut self, event: &Event) -> bool {
        match event {
            Event::Key(k) if k.kind != KeyEventKind::Release => {
                self.key(*k);
                true
            }
            Event::Mouse(m) => {
                self.mouse(m.kind, m.column, m.row);
                true
            }
            Event::Resize(..) => true,
            _ => false,
        }
    }

    pub fn key(&mut self, k: KeyEvent) {
        // Keys need an order to act on; after the first, the order is
        // rebuilt once per frame, not per key (typing a filter stays quick).
        if self.list.order.is_empty() {
            self.refresh();
        }
        if k.code == KeyCode::Char('c') && k.modifiers.contains(KeyModifiers::CONTROL) {
            self.quit = true;
            return;
        }
        if self.prompt.is_some() {
            self.prompt_key(k);
            return;
        }
        if let Some(chooser) = self.columns.as_mut() {
            if !chooser.key(k, &mut self.config.columns) {
                self.columns = None;
            }
            return;
        }
        self.message = None;
        if self.confirm_quit {
            self.confirm_quit = false;
            if matches!(
                k.code,
                KeyCode::Char('y' | 'Y' | 'q' | 'Q') | KeyCode::Enter
            ) {
                self.quit = true;
            } else {
                self.info("still capturing");
            }
            return;
        }
        let Some(action) = keys::action(self.screen().keys(), &k) else {
            return;
        };
        if action == keys::Action::Help {
            if self.screen() != Screen::Help {
                self.text_screen_help();
            }
            return;
        }
        let effect = match self.screen() {
            Screen::List => {
                let page = self.page();
                self.list.act(action, page, &self.config.columns)
            }
            Screen::Flow | Screen::Message => {
                let page = (self.ladder_area.height.saturating_sub(3) as isize).max(1);
                match self.flow.as_mut() {
                    Some(flow) => flow.act(action, page, &self.config),
                    None => Effect::Back,
                }
            }
            // The stream screen's `W`: the call of the ladder below, else
            // the list's.
            Screen::Streams if action == keys::Action::WriteAudio => {
                let call = match (&self.flow, self.stack.contains(&Screen::Flow)) {
                    (Some(f), true) => f.calls.first().copied(),
                    _ => self.list.chosen().first().copied(),
                };
                Effect::WriteAudio(call)
            }
            Screen::Raw | Screen::Help | Screen::Stats | Screen::Streams => {
                match self.text.as_mut() {
                    Some(t) => t.act(action),
                    None => Effect::Back,
                }
            }
            Screen::Diff => match self.diff.as_mut() {
                Some(d) => d.act(action),
                None => Effect::Back,
            },
        };
        self.apply(effect);
    }

    /// Carries out what a screen asked for.
    fn apply(&mut self, effect: Effect) {
        match effect {
            Effect::None => {}
            Effect::Back => {
                self.back();
                self.restore_text_after_back();
            }
            Effect::Quit => self.quit_asking(),
            Effect::OpenFlow { extended } => self.open_flow(extended),
            Effect::FullMessage => self.stack.push(Screen::Message),
            Effect::OpenRaw(calls) => self.open_raw(calls),
            Effect::OpenStreams(calls) => self.open_streams(calls),
            Effect::OpenStats => self.open_stats(),
            Effect::OpenSettings => self.open_settings(),
            Effect::OpenDiff(a, b) => self.open_diff(a, b),
            Effect::OpenColumns => self.columns = Some(ColumnChooser::default()),
            Effect::Prompt(kind, text) => self.prompt = Some(Prompt { kind, text }),
            Effect::AskSave => self.ask_save(),
            Effect::CopyCalls(calls) => {
                let text = self.calls_text(&calls);
                self.copy(&text, "call text");
            }
            Effect::CopyList => {
                let text = self.list_text();
                self.copy(&text, "call list");
            }
            Effect::CopyMessage => {
                let text = self.current_message_text().unwrap_or_default();
                self.copy(&text, "message");
            }
            Effect::Copy(text, what) => self.copy(&text, what),
            Effect::NextMethod => {
                let said = self.list.next_method(&self.session.lock().store);
                self.info(said);
            }
            Effect::ToggleHiddenMethods => self.toggle_hidden_methods(),
            Effect::ClearCalls => self.clear_calls(),
            Effect::TogglePause => self.toggle_pause(),
            Effect::RebuildFlow(said) => {
                self.rebuild_flow();
                self.info(said);
            }
            Effect::FindMessage(forward) => self.find_message(forward),
            Effect::WriteAudio(call) => self.write_audio(call),
            Effect::Say(text, is_error) => self.message = Some((text, is_error)),
        }
    }

    fn text_screen_help(&mut self) {
        self.text = Some(TextState::new("Help".into(), &keys::help_text()));
        self.stack.push(Screen::Help);
    }

    /// Page size of the list (rows on screen).
    fn page(&self) -> isize {
        (self.list_area.height.saturating_sub(3) as isize).max(1)
    }

    /// Quits, asking first while a live capture is running (unless the
    /// config says not to).
    fn quit_asking(&mut self) {
        if self.session.is_live() && self.config.confirm_quit {
            self.confirm_quit = true;
            self.info("quit and stop capturing? y / Enter: quit, any other key: stay");
        } else {
            self.quit = true;
        }
    }

    fn toggle_hidden_methods(&mut self) {
        if self.config.hide_methods.is_empty() {
            self.config.hide_methods = vec!["OPTIONS".to_owned()];
        }
        let hidden = &mut self.list.selection.hidden_methods;
        *hidden = match hidden.is_empty() {
            true => self.config.hide_methods.clone(),
            false => Vec::new(),
        };
        self.list.invalidate();
        self.info(if !self.list.selection.hidden_methods.is_empty() {
            format!("hiding {}", self.config.hide_methods.join(", "))
        } else {
            "showing every method".to_owned()
        });
    }

    /// F5 / Ctrl-L: forgets every call so far (a live capture goes on).
    fn clear_calls(&mut self) {
        let session = Arc::clone(&self.session);
        let mut pipeline = session.lock();
        let n = pipeline.store.calls().len();
        let renumbered = pipeline.store.forget_oldest(n);
        pipeline.media.forget_calls(&renumbered);
        drop(pipeline);
        // The calls go; what the list selects and how it sorts stay.
        let mut list = ListState::new(&self.config);
        list.selection = std::mem::take(&mut self.list.selection);
        list.filter_text = std::mem::take(&mut self.list.filter_text);
        list.sort = self.list.sort;
        self.list = list;
        self.flow = None;
        self.info(format!("{n} calls cleared"));
    }

    /// F8 / `o`: what the screens run with.
    fn open_settings(&mut self) {
        let text = self.config.describe();
        self.text = Some(TextState::new("Settings".into(), &text));
        self.stack.push(Screen::Help);
    }

    /// `W`: the call's audio as a WAV file, the status line saying where.
    fn write_audio(&mut self, call: Option<u32>) {
        let Some(call) = call else {
            self.error("no call to write the audio of");
            return;
        };
        let (text, is_error) = super::audio::write_call_audio(&self.session, call);
        self.message = Some((text, is_error));
    }

    fn toggle_pause(&mut self) {
        self.paused = !self.paused;
        self.info(if self.paused {
            "display paused (the capture goes on): p resumes"
        } else {
            "display resumed"
        });
    }

    /// Messages and packets so far: the screen is redrawn when they change.
    pub fn data_version(&self) -> (usize, u64) {
        let pipeline = self.session.lock();
        (pipeline.store.messages().len(), pipeline.packets())
    }

    /// Help over the raw view must not lose the raw text on the way back.
    fn restore_text_after_back(&mut self) {
        if self.screen() == Screen::Raw {
            if let Some(flow_calls) = self.flow.as_ref().map(|f| f.calls.clone()) {
                self.text = Some(TextState::new("Raw".into(), &self.calls_text(&flow_calls)));
            } else {
                let calls = self.list.chosen();
                self.text = Some(TextState::new("Raw".into(), &self.calls_text(&calls)));
            }
        }
    }

    fn prompt_key(&mut self, k: KeyEvent) {
        let Some(p) = self.prompt.as_mut() else {
            return;
        };
        match k.code {
            KeyCode::Esc => {
                let kind = p.kind.clone();
                self.prompt = None;
                if kind == PromptKind::Search {
                    // Cancelling a search leaves the list as it was before.
                    self.apply_filter(&self.list.filter_text.clone(), false);
                }
                return;
            }
            KeyCode::Enter => {
                let Some(p) = self.prompt.take() else {
                    return;
                };
                self.prompt_done(p);
                return;
            }
            KeyCode::Backspace => {
                p.text.pop();
            }
            KeyCode::Char('u') if k.modifiers.contains(KeyModifiers::CONTROL) => p.text.clear(),
            KeyCode::Char(c) if !c.is_control() => p.text.push(c),
            _ => return,
        }
        // Live effects while typing.
        let (kind, text) = (p.kind.clone(), p.text.clone());
        match kind {
            PromptKind::Search => {
                self.apply_filter(&text, true);
            }
            PromptKind::MessageSearch => {
                if let Some(f) = self.flow.as_mut() {
                    f.search = text;
                }
            }
            PromptKind::TextSearch => {
                if let Some(t) = self.text.as_mut() {
                    t.search = text;
                    t.find_from_here();
                }
            }
            _ => {}
        }
    }

    fn prompt_done(&mut self, p: Prompt) {
        match p.kind {
            PromptKind::Search | PromptKind::Filter => {
                if self.apply_filter(&p.text, false) {
                    self.list.filter_text = p.text;
                    self.list.move_to(0);
                }
            }
            PromptKind::Save => self.save(&p.text),
            PromptKind::MessageSearch => {
                if let Some(f) = self.flow.as_mut() {
                    f.search = p.text;
                }
                self.find_message(true);
            }
            PromptKind::TextSearch => {
                if let Some(t) = self.text.as_mut() {
                    t.search = p.text;
                    if !t.find_from_here() {
                        self.error("not found");
                    }
                }
            }
        }
    }

    /// Applies a filter expression; a bad one is reported (quietly while typing).
    fn apply_filter(&mut self, text: &str, typing: bool) -> bool {
        match Filter::parse(text) {
            Ok(f) => {
                self.list.selection.filter = (!f.is_empty()).then_some(f);
                self.list.invalidate();
                true
            }
            Err(e) => {
                if !typing {
                    self.error(format!("filter: {e}"));
                }
                false
            }
        }
    }

    fn ask_save(&mut self) {
        let stem = self.session.origin.file_stem();
        self.prompt = Some(Prompt {
            kind: PromptKind::Save,
            text: format!("{stem}-calls.pcap"),
        });
    }

    /// The calls a save or copy from the current screen is about.
    fn calls_in_view(&self) -> Vec<u32> {
        match (self.screen(), &self.flow) {
            (Screen::Flow | Screen::Message, Some(f)) => f.calls.clone(),
            _ if !self.list.marked.is_empty() => self.list.marked.iter().copied().collect(),
            _ => self.list.order.clone(),
        }
    }

    fn save(&mut self, path: &str) {
        let path = PathBuf::from(path.trim());
        if path.as_os_str().is_empty() {
            return;
        }
        let calls = self.calls_in_view();
        let session = Arc::clone(&self.session);
        let pipeline = session.lock();
        let format = crate::export::SaveAs::from_name(&path);
        let result = crate::export::save_calls(&session.view(&pipeline), &calls, &path, format);
        drop(pipeline);
        match result {
            Ok(s) => self.info(s),
            Err(e) => self.error(clean(&e.to_string()).into_owned()),
        }
    }

    fn copy(&mut self, text: &str, what: &str) {
        match super::clipboard::copy(text) {
            Ok(how) => self.info(format!(
                "copied the {what} ({} bytes) via {how}",
                text.len()
            )),
            Err(e) => self.error(e),
        }
    }

    fn calls_text(&self, calls: &[u32]) -> String {
        let pipeline = self.session.lock();
        crate::views::raw::call_text(&self.session.source, &pipeline.store, calls)
    }

    /// The list as shown: its order, its columns, verdicts and RTP included.
    fn list_text(&mut self) -> String {
        let session = Arc::clone(&self.session);
        let pipeline = session.lock();
        let view = session.view(&pipeline);
        let order = self.list.order.clone();
        let mut rows = Vec::with_capacity(order.len());
        for i in order {
            let Some(call) = view.store.calls().get(i as usize) else {
                continue;
            };
            let mut row = crate::views::list::CallRow::of(view.store, call);
            row.verdict = Some(self.list.verdict(&view, i));
            row.media = crate::views::list::CallMedia::of(view.media, i);
            rows.push(row);
        }
        crate::views::list_table::to_text(&rows, &self.config.columns)
    }

    fn current_message_text(&self) -> Option<String> {
        let flow = self.flow.as_ref()?;
        let a = flow.current()?;
        let pipeline = self.session.lock();
        let rec = pipeline.store.message(a.index)?;
        let bytes = self.session.bytes(&pipeline.store, rec)?;
        Some(
            bytes
                .split(|&b| b == b'\n')
                .map(|l| clean_bytes(l.strip_suffix(b"\r").unwrap_or(l)))
                .collect::<Vec<_>>()
                .join("\n"),
        )
    }

    /// Moves to the next (or previous) message whose text holds the search.
    fn find_message(&mut self, forward: bool) {
        let Some(flow) = self.flow.as_ref() else {
            return;
        };
        let needle = flow.search.to_lowercase();
        if needle.is_empty() {
            return;
        }
        let n = flow.ladder.arrows.len();
        let found = {
            let pipeline = self.session.lock();
            let store = &pipeline.store;
            (1..=n).find_map(|step| {
                let i = if forward {
                    (flow.selected + step) % n
                } else {
                    (flow.selected + n - step % n) % n
                };
                let rec = store.message(flow.ladder.arrows[i].index)?;
                let text = String::from_utf8_lossy(&self.session.bytes(store, rec)?).to_lowercase();
                text.contains(&needle).then_some(i)
            })
        };
        match (found, self.flow.as_mut()) {
            (Some(i), Some(f)) => {
                let delta = i as isize - f.selected as isize;
                f.move_by(delta);
            }
            _ => self.error(format!("{:?} not found in this call", clean(&needle))),
        }
    }

    fn open_flow(&mut self, extended: bool) {
        let calls = self.list.chosen();
        if calls.is_empty() {
            return;
        }
        let session = Arc::clone(&self.session);
        let pipeline = session.lock();
        let mut flow = FlowState::new(&session, &pipeline, calls, &self.config);
        if extended {
            flow.extended = true;
            flow.rebuild(&session, &pipeline, &self.config);
        }
        drop(pipeline);
        self.flow = Some(flow);
        self.stack.push(Screen::Flow);
    }

    fn rebuild_flow(&mut self) {
        let session = Arc::clone(&self.session);
        let pipeline = session.lock();
        if let Some(f) = self.flow.as_mut() {
            f.rebuild(&session, &pipeline, &self.config);
        }
    }

    fn open_raw(&mut self, calls: Vec<u32>) {
        if calls.is_empty() {
            return;
        }
        let text = self.calls_text(&calls);
        self.text = Some(TextState::new(
            format!("Raw: {} call(s)", calls.len()),
            &text,
        ));
        self.stack.push(Screen::Raw);
    }

    fn open_diff(&mut self, a: usize, b: usize) {
        let Some(flow) = self.flow.as_ref() else {
            return;
        };
        let (a, b) = (a.min(b), a.max(b));
        let pipeline = self.session.lock();
        let store = &pipeline.store;
        let text = |i: usize| -> (String, String) {
            let Some(arrow) = flow.ladder.arrows.get(i) else {
                return (String::new(), String::new());
            };
            let body = store
                .message(arrow.index)
                .and_then(|rec| self.session.bytes(store, rec))
                .map(|b| {
                    b.split(|&c| c == b'\n')
                        .map(|l| clean_bytes(l.strip_suffix(b"\r").unwrap_or(l)))
                        .collect::<Vec<_>>()
                        .join("\n")
                })
                .unwrap_or_default();
            (format!("#{} {}", i + 1, clean(&arrow.label)), body)
        };
        let (lt, l) = text(a);
        let (rt, r) = text(b);
        drop(pipeline);
        let d = DiffState::new(lt, &l, rt, &r);
        self.info(format!("{} line(s) differ", d.changed()));
        self.diff = Some(d);
        self.stack.push(Screen::Diff);
    }

    /// The RTP streams of some calls (all streams when `None`), with their
    /// figures, as `--streams` gives them.
    fn open_streams(&mut self, calls: Option<Vec<u32>>) {
        let pipeline = self.session.lock();
        let text = TextState::streams(&self.session.view(&pipeline), calls.as_deref());
        drop(pipeline);
        self.text = Some(text);
        self.stack.push(Screen::Streams);
    }

    fn open_stats(&mut self) {
        let pipeline = self.session.lock();
        let text = TextState::stats(&self.session.view(&pipeline), &pipeline);
        drop(pipeline);
        self.text = Some(text);
        self.stack.push(Screen::Stats);
    }

    fn mouse(&mut self, kind: MouseEventKind, x: u16, y: u16) {
        let inside = |r: Rect| x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height;
        match (self.screen(), kind) {
            (Screen::List, MouseEventKind::ScrollDown) => self.list.move_by(3),
            (Screen::List, MouseEventKind::ScrollUp) => self.list.move_by(-3),
            (Screen::List, MouseEventKind::Down(MouseButton::Left)) if inside(self.list_area) => {
                // Border and header take the first two rows.
                if let Some(row) = y.checked_sub(self.list_area.y + 2) {
                    let pos = self.list.offset + row as usize;
                    if pos < self.list.order.len() {
                        self.list.selected = pos;
                    }
                }
            }
            (Screen::Flow, MouseEventKind::ScrollDown) => {
                if let Some(f) = self.flow.as_mut() {
                    f.scroll(3)
                }
            }
            (Screen::Flow, MouseEventKind::ScrollUp) => {
                if let Some(f) = self.flow.as_mut() {
                    f.scroll(-3)
                }
            }
            (Screen::Flow, MouseEventKind::Down(MouseButton::Left)) if inside(self.ladder_area) => {
                if let (Some(row), Some(f)) =
                    (y.checked_sub(self.ladder_area.y + 2), self.flow.as_mut())
                {
                    let pos = f.offset + row as usize;
                    if pos < f.rows().len() {
                        f.focus = flow_screen::Focus::Ladder;
                        f.select_row(pos);
                    }
                }
            }
            (
                Screen::Raw | Screen::Help | Screen::Stats | Screen::Streams,
                MouseEventKind::ScrollDown,
            ) => {
                if let Some(t) = self.text.as_mut() {
                    t.scroll_by(3)
                }
            }
            (
                Screen::Raw | Screen::Help | Screen::Stats | Screen::Streams,
                MouseEventKind::ScrollUp,
            ) => {
                if let Some(t) = self.text.as_mut() {
                    t.scroll_by(-3)
                }
            }
            _ => {}
        }
    }

    /// Brings the list and an open ladder up to date with the store.
    pub fn refresh(&mut self) {
        let session = Arc::clone(&self.session);
        let pipeline = session.lock();
        // Calls rotated out (-R) renumber the rest: follow them even while
        // paused, or the screens would point at other calls.
        let rotated = pipeline.rotated_calls.saturating_sub(self.rotated_seen);
        if rotated > 0 {
            self.rotated_seen = pipeline.rotated_calls;
            self.after_rotation(u32::try_from(rotated).unwrap_or(u32::MAX));
        }
        if self.paused && !self.list.dirty {
            return;
        }
        self.list.refresh(&session.view(&pipeline));
        if let Some(f) = self.flow.as_mut() {
            if f.stale(&pipeline) {
                f.rebuild(&session, &pipeline, &self.config);
            }
        }
    }

    /// The oldest `n` calls are gone and the rest renumbered.
    fn after_rotation(&mut self, n: u32) {
        self.list.forget_oldest(n);
        let Some(flow) = self.flow.as_mut() else {
            return;
        };
        if flow.forget_oldest(n) {
            return;
        }
        self.flow = None;
        while matches!(self.screen(), Screen::Flow | Screen::Message | Screen::Diff) {
            self.stack.pop();
        }
        self.info("the call was rotated out (-R): back to the list");
    }

    pub fn draw(&mut self, f: &mut Frame) {
        self.refresh();
        let area = f.area();
        let rows = Layout::default()
            .direction(Direction::Vertical)
            .constraints([
                Constraint::Min(3),
                Constraint::Length(1),
                Constraint::Length(1),
            ])
            .split(area);
        let session = Arc::clone(&self.session);
        let pipeline = session.lock();
        let store = &pipeline.store;
        match self.screen() {
            Screen::List => {
                self.list_area = rows[0];
                list_screen::draw(
                    f,
                    rows[0],
                    &mut self.list,
                    &session.view(&pipeline),
                    &self.config,
                    &self.theme,
                );
            }
            Screen::Flow => {
                if let Some(flow) = self.flow.as_mut() {
                    self.ladder_area =
                        flow_screen::draw(f, rows[0], flow, &session, store, &self.theme);
                }
            }
            Screen::Message => {
                if let Some(flow) = self.flow.as_mut() {
                    let saved = (flow.split, flow.show_explain);
                    flow.split = 0;
                    flow_screen::draw(f, rows[0], flow, &session, store, &self.theme);
                    (flow.split, flow.show_explain) = saved;
                }
            }
            Screen::Raw | Screen::Help | Screen::Stats | Screen::Streams => {
                if let Some(t) = &self.text {
                    text_screens::draw_text(f, rows[0], t, &self.theme);
                }
            }
            Screen::Diff => {
                if let Some(d) = &self.diff {
                    text_screens::draw_diff(f, rows[0], d, &self.theme);
                }
            }
        }
        if let Some(chooser) = &self.columns {
            chooser.draw(f, rows[0], &self.config.columns, &self.theme);
        }
        let shown = self.list.order.len();
        status_bar::draw_status(
            f,
            rows[1],
            &session,
            &pipeline,
            shown,
            self.paused,
            &self.theme,
        );
        drop(pipeline);
        let message = self.message.as_ref();
        let screen = self.screen();
        status_bar::draw_bottom(
            f,
            rows[2],
            self.prompt.as_ref(),
            message,
            screen,
            &self.theme,
        );
    }
}

/// Columns a name list turns into (unknown names were refused by the config).
pub fn columns_or_default(cols: &[Column]) -> Vec<Column> {
    if cols.is_empty() {
        Column::default_set()
    } else {
        cols.to_vec()
    }
}

//! What each key of the ladder (and of its full-screen message) does to
//! the ladder's own state; what reaches past it comes back as an
//! [`Effect`].

use super::config::{Config, TimeFormat};
use super::effect::{Effect, PromptKind};
use super::flow_screen::{FlowState, Focus};
use super::keys::Action;

impl FlowState {
    /// `page`: ladder rows on screen.
    pub fn act(&mut self, action: Action, page: isize, config: &Config) -> Effect {
        use Action as A;
        match action {
            A::Up => self.scroll(-1),
            A::Down => self.scroll(1),
            A::PageDown => self.scroll(page),
            A::PageUp => self.scroll(-page),
            A::First => self.move_by(isize::MIN / 2),
            A::Last => self.move_by(isize::MAX / 2),
            A::Left => self.hscroll = self.hscroll.saturating_sub(8),
            A::Right => self.hscroll += 8,
            A::Pane => self.cycle_focus(),
            A::Explain => {
                self.show_explain = !self.show_explain;
                if self.focus == Focus::Explain {
                    self.focus = Focus::Ladder;
                }
            }
            A::Details => {
                self.show_details = !self.show_details;
                self.focus = Focus::Ladder;
                let shown = on_off(self.show_details, "shown", "hidden");
                return Effect::info(format!("message and explain panes {shown}"));
            }
            A::TimeFormat => {
                self.time_format = match self.time_format {
                    TimeFormat::Absolute => TimeFormat::SincePrevious,
                    TimeFormat::SincePrevious => TimeFormat::SinceFirst,
                    TimeFormat::SinceFirst => TimeFormat::Absolute,
                }
            }
            A::Narrower => self.split = self.split.saturating_sub(5).max(20),
            A::Wider => self.split = (self.split + 5).min(85),
            A::ResetSplit => self.split = config.split_percent.clamp(20, 80),
            A::PerIp => {
                self.per_ip = !self.per_ip;
                let lanes = on_off(self.per_ip, "IP", "IP:port");
                return Effect::RebuildFlow(format!("one lane per {lanes}"));
            }
            A::Extended => {
                self.extended = !self.extended;
                let legs = on_off(self.extended, "added", "removed");
                return Effect::RebuildFlow(format!("related legs {legs}"));
            }
            A::Media => {
                self.show_media = !self.show_media;
                let shown = on_off(self.show_media, "shown", "hidden");
                return Effect::RebuildFlow(format!("RTP and DTMF rows {shown}"));
            }
            A::SdpDetail => {
                self.sdp_detail = !self.sdp_detail;
                let shown = on_off(self.sdp_detail, "on the arrows", "hidden");
                return Effect::RebuildFlow(format!("SDP details {shown}"));
            }
            A::OnlySdp => {
                self.only_sdp = !self.only_sdp;
                let shown = on_off(self.only_sdp, "only messages with SDP", "every message");
                return Effect::RebuildFlow(format!("showing {shown}"));
            }
            A::ColorMode => {
                self.color = self.color.next();
                return Effect::info(format!("arrows coloured by {}", self.color.name()));
            }
            A::Syntax => {
                self.plain_message = !self.plain_message;
                let on = on_off(self.plain_message, "off", "on");
                return Effect::info(format!("header highlighting {on}"));
            }
            A::CallStreams => return Effect::OpenStreams(Some(self.calls.clone())),
            A::WriteAudio => return Effect::WriteAudio(self.calls.first().copied()),
            A::Mark => {
                if let Some((a, b)) = self.toggle_mark() {
                    return Effect::OpenDiff(a, b);
                }
            }
            A::FullMessage => return Effect::FullMessage,
            A::Find => return Effect::Prompt(PromptKind::MessageSearch, self.search.clone()),
            A::FindNext => return Effect::FindMessage(true),
            A::FindPrevious => return Effect::FindMessage(false),
            A::Raw => return Effect::OpenRaw(self.calls.clone()),
            A::CopyMessage => return Effect::CopyMessage,
            A::CopyCallText => return Effect::CopyCalls(self.calls.clone()),
            A::CopyLadder => return Effect::Copy(self.ladder_text(), "ladder"),
            A::Save => return Effect::AskSave,
            A::Pause => return Effect::TogglePause,
            A::Back => return Effect::Back,
            _ => {}
        }
        Effect::None
    }
}

/// The word for a toggle's new state, for the status line.
fn on_off(flag: bool, on: &'static str, off: &'static str) -> &'static str {
    if flag {
        on
    } else {
        off
    }
}

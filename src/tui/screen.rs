//! Which screen is up, and the key tables each one reads.

use super::keys;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    List,
    Flow,
    /// The selected message full screen.
    Message,
    Raw,
    Diff,
    Help,
    Stats,
    /// RTP streams with their figures.
    Streams,
}

impl Screen {
    /// The key tables of the screen, first match wins: what dispatch, the
    /// hint bar and the help read.
    pub fn keys(self) -> &'static [&'static [keys::Binding]] {
        match self {
            Screen::List => &[keys::LIST],
            Screen::Flow => &[keys::FLOW],
            Screen::Message => &[keys::MESSAGE, keys::FLOW],
            Screen::Raw | Screen::Help | Screen::Stats | Screen::Streams => &[keys::TEXT],
            Screen::Diff => &[keys::DIFF],
        }
    }
}

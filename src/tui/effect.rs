//! What a screen asks of the app after a key: the screens own their state
//! and keys ([`super::list_screen`], [`super::flow_screen`],
//! [`super::text_screens`]); whatever reaches past one screen (opening
//! another, the capture, the clipboard, the status line) comes back here
//! and [`super::App`] carries it out.

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// The key was handled within the screen.
    None,
    /// Back to the screen below (on the list: quit).
    Back,
    /// Quit, asking first while capturing live.
    Quit,
    /// The ladder of the list's chosen calls; with related legs.
    OpenFlow {
        extended: bool,
    },
    /// The full-screen message of the ladder's selection.
    FullMessage,
    /// The raw text of these calls.
    OpenRaw(Vec<u32>),
    /// The RTP streams of these calls (all when `None`).
    OpenStreams(Option<Vec<u32>>),
    OpenStats,
    OpenSettings,
    /// The diff of two ladder rows.
    OpenDiff(usize, usize),
    /// The column chooser over the list.
    OpenColumns,
    /// A line to type at the bottom, with its first text.
    Prompt(PromptKind, String),
    /// The save prompt with a default file name.
    AskSave,
    /// The text of these calls on the clipboard.
    CopyCalls(Vec<u32>),
    /// The list as shown, on the clipboard.
    CopyList,
    /// The ladder's selected message, on the clipboard.
    CopyMessage,
    /// This text, named `what` in the status line, on the clipboard.
    Copy(String, &'static str),
    /// `m`: the next method the capture has.
    NextMethod,
    /// `u`: hide or show the keepalive methods.
    ToggleHiddenMethods,
    /// F5: forget every call so far.
    ClearCalls,
    /// Live: freeze or thaw the display.
    TogglePause,
    /// The ladder is built again from the store, then `String` is shown.
    RebuildFlow(String),
    /// The next (or previous) message holding the ladder's search.
    FindMessage(bool),
    /// The audio of this call as a WAV file.
    WriteAudio(Option<u32>),
    /// A line for the status bar; `true` for an error.
    Say(String, bool),
}

impl Effect {
    pub fn info(text: impl Into<String>) -> Effect {
        Effect::Say(text.into(), false)
    }

    pub fn error(text: impl Into<String>) -> Effect {
        Effect::Say(text.into(), true)
    }
}

/// A line being typed at the bottom of the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptKind {
    /// `/` in the list: filters as you type.
    Search,
    /// F7: a display filter expression, applied on Enter.
    Filter,
    /// F2: where to save.
    Save,
    /// `/` in the flow: search in the message text.
    MessageSearch,
    /// `/` in the raw view.
    TextSearch,
}

pub struct Prompt {
    pub kind: PromptKind,
    pub text: String,
}

//! Every key of every screen, in one table per screen. The table drives
//! the dispatch (a key becomes an [`Action`]), the F1 help and the hint
//! bar, so the three can never disagree. sngrep's keys are bound where
//! sipview has the action (`../shared/reference/sngrep-keys.md` in the
//! project's notes); the help lists those it does not have and why.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a key does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Up,
    Down,
    PageUp,
    PageDown,
    HalfUp,
    HalfDown,
    First,
    Last,
    Left,
    Right,
    Back,
    Help,
    // The call list.
    OpenFlow,
    OpenExtended,
    Mark,
    Raw,
    Search,
    Filter,
    ClearFilter,
    Save,
    MethodFilter,
    ProblemsOnly,
    Pause,
    HideMethods,
    SortPrevious,
    SortNext,
    SwapOrder,
    CopyCalls,
    CopyList,
    Stats,
    Streams,
    Columns,
    ClearCalls,
    Settings,
    // The call flow.
    Pane,
    Explain,
    Details,
    TimeFormat,
    Narrower,
    Wider,
    ResetSplit,
    PerIp,
    Extended,
    Media,
    SdpDetail,
    OnlySdp,
    ColorMode,
    Syntax,
    FullMessage,
    Find,
    FindNext,
    FindPrevious,
    CopyMessage,
    CopyCallText,
    CopyLadder,
    CallStreams,
    CopyText,
    WriteAudio,
}

/// A key as the tables write it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Ctrl(char),
    F(u8),
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Home,
    End,
    Enter,
    Esc,
    Tab,
}

impl Key {
    fn matches(self, k: &KeyEvent) -> bool {
        let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
        match (self, k.code) {
            (Key::Ctrl(c), KeyCode::Char(x)) => ctrl && x.eq_ignore_ascii_case(&c),
            (Key::Char(c), KeyCode::Char(x)) => !ctrl && x == c,
            (Key::F(n), KeyCode::F(x)) => n == x,
            (Key::Up, KeyCode::Up)
            | (Key::Down, KeyCode::Down)
            | (Key::Left, KeyCode::Left)
            | (Key::Right, KeyCode::Right)
            | (Key::PageUp, KeyCode::PageUp)
            | (Key::PageDown, KeyCode::PageDown)
            | (Key::Home, KeyCode::Home)
            | (Key::End, KeyCode::End)
            | (Key::Enter, KeyCode::Enter)
            | (Key::Esc, KeyCode::Esc)
            | (Key::Tab, KeyCode::Tab) => true,
            _ => false,
        }
    }

    fn name(self) -> String {
        match self {
            Key::Char(' ') => "Space".into(),
            Key::Char(c) => c.to_string(),
            Key::Ctrl(c) => format!("Ctrl-{}", c.to_ascii_uppercase()),
            Key::F(n) => format!("F{n}"),
            Key::Up => "Up".into(),
            Key::Down => "Down".into(),
            Key::Left => "Left".into(),
            Key::Right => "Right".into(),
            Key::PageUp => "PgUp".into(),
            Key::PageDown => "PgDn".into(),
            Key::Home => "Home".into(),
            Key::End => "End".into(),
            Key::Enter => "Enter".into(),
            Key::Esc => "Esc".into(),
            Key::Tab => "Tab".into(),
        }
    }
}

/// Keys, what they do, their line in the help and (for the few that fit)
/// their word in the hint bar.
pub struct Binding {
    pub keys: &'static [Key],
    pub action: Action,
    pub help: &'static str,
    pub hint: Option<&'static str>,
}

const fn b(keys: &'static [Key], action: Action, help: &'static str) -> Binding {
    Binding {
        keys,
        action,
        help,
        hint: None,
    }
}

const fn h(
    keys: &'static [Key],
    action: Action,
    help: &'static str,
    hint: &'static str,
) -> Binding {
    Binding {
        keys,
        action,
        help,
        hint: Some(hint),
    }
}

use Key::*;

/// Keys of every screen, looked up after the screen's own.
pub const GLOBAL: &[Binding] = &[
    h(
        &[F(1), Char('?'), Char('H')],
        Action::Help,
        "this help",
        "Help",
    ),
    b(
        &[Esc, Char('q'), Char('Q')],
        Action::Back,
        "back; on the list, quit (asks while capturing live)",
    ),
];

pub const LIST: &[Binding] = &[
    b(&[Up, Char('k')], Action::Up, "previous call"),
    b(&[Down, Char('j')], Action::Down, "next call"),
    b(&[PageUp, Ctrl('b')], Action::PageUp, "page up"),
    b(&[PageDown, Ctrl('f')], Action::PageDown, "page down"),
    b(&[Ctrl('u')], Action::HalfUp, "half a page up"),
    b(&[Ctrl('d')], Action::HalfDown, "half a page down"),
    b(&[Home, Ctrl('a')], Action::First, "first call"),
    b(&[End, Ctrl('e')], Action::Last, "last call"),
    h(&[Char('h')], Action::Help, "this help (as F1)", "Help"),
    h(
        &[Enter],
        Action::OpenFlow,
        "call flow of the marked calls (or this one)",
        "Flow",
    ),
    h(
        &[F(4), Char('x')],
        Action::OpenExtended,
        "flow with related legs (X-Call-ID, shared RTP)",
        "Extended",
    ),
    b(
        &[Char(' ')],
        Action::Mark,
        "mark / unmark the call (the cursor stays)",
    ),
    h(
        &[F(6), Char('R'), Char('r')],
        Action::Raw,
        "raw text of the marked calls (or this one)",
        "Raw",
    ),
    h(
        &[F(3), Char('/'), Tab],
        Action::Search,
        "search as you type (From, To, Call-ID, ...)",
        "Search",
    ),
    h(
        &[F(7), Char('f'), Char('F')],
        Action::Filter,
        "display filter (see below)",
        "Filter",
    ),
    b(&[Char('c')], Action::ClearFilter, "clear the filter"),
    h(
        &[F(2), Char('s'), Char('S')],
        Action::Save,
        "save marked (or shown) calls: .pcap = packets, else text",
        "Save",
    ),
    h(
        &[Char('m')],
        Action::MethodFilter,
        "only calls of a method present in the capture",
        "Method",
    ),
    h(
        &[Char('!')],
        Action::ProblemsOnly,
        "only calls with a problem or warning",
        "Problems",
    ),
    b(
        &[Char('p')],
        Action::Pause,
        "live: pause / resume the display (capture goes on)",
    ),
    b(
        &[Char('u')],
        Action::HideMethods,
        "hide / show keepalive methods (hide_methods)",
    ),
    b(
        &[Char('<')],
        Action::SortPrevious,
        "sort by the previous column",
    ),
    b(&[Char('>')], Action::SortNext, "sort by the next column"),
    b(&[Char('z')], Action::SwapOrder, "reverse the sort order"),
    b(&[Char('y')], Action::CopyCalls, "copy the calls' text"),
    b(&[Char('Y')], Action::CopyList, "copy the list as text"),
    b(&[Char('i')], Action::Stats, "capture statistics"),
    b(
        &[Char('M')],
        Action::Streams,
        "RTP streams (of the marked calls, else all)",
    ),
    b(
        &[F(10), Char('t'), Char('T')],
        Action::Columns,
        "columns: Space shows / hides, + - move",
    ),
    b(
        &[F(5), Ctrl('l'), F(9)],
        Action::ClearCalls,
        "clear the list (F9, sngrep's soft clear, clears too)",
    ),
    b(
        &[F(8), Char('o'), Char('O')],
        Action::Settings,
        "settings in effect and the config file's path",
    ),
];

pub const FLOW: &[Binding] = &[
    b(
        &[Up, Char('k')],
        Action::Up,
        "previous message (or scroll the focused pane)",
    ),
    b(&[Down, Char('j')], Action::Down, "next message"),
    b(&[PageUp, Ctrl('b')], Action::PageUp, "page up"),
    b(&[PageDown, Ctrl('f')], Action::PageDown, "page down"),
    b(&[Home, Ctrl('a')], Action::First, "first message"),
    b(&[End, Ctrl('e')], Action::Last, "last message"),
    b(&[Left, Char('h')], Action::Left, "scroll the ladder left"),
    b(
        &[Right, Char('l')],
        Action::Right,
        "scroll the ladder right",
    ),
    h(
        &[Tab],
        Action::Pane,
        "focus ladder / message / explain",
        "Pane",
    ),
    b(&[Enter], Action::FullMessage, "the message full screen"),
    h(
        &[Char('e')],
        Action::Explain,
        "show / hide the explain pane",
        "Explain",
    ),
    b(
        &[Char('t')],
        Action::Details,
        "show / hide the message and explain panes",
    ),
    h(
        &[Char(' ')],
        Action::Mark,
        "mark a message; the second mark opens the diff",
        "Diff",
    ),
    h(
        &[Char('w')],
        Action::TimeFormat,
        "time: absolute / since previous / since first",
        "Time",
    ),
    h(
        &[Char('s')],
        Action::PerIp,
        "one lane per IP or per IP:port",
        "Per IP",
    ),
    h(
        &[F(4), Char('x')],
        Action::Extended,
        "add / remove related legs",
        "Legs",
    ),
    h(
        &[F(2), Char('d')],
        Action::SdpDetail,
        "SDP details on the arrows (codec, address)",
        "SDP",
    ),
    h(
        &[F(3), Char('m')],
        Action::Media,
        "show / hide RTP streams and DTMF keys",
        "Media",
    ),
    b(&[Char('D')], Action::OnlySdp, "only the messages with SDP"),
    b(
        &[Char('M')],
        Action::CallStreams,
        "the call's RTP streams: loss, jitter, MOS, DTMF, RTCP",
    ),
    b(
        &[Char('W')],
        Action::WriteAudio,
        "write the call's audio as a WAV file",
    ),
    b(
        &[Char('c')],
        Action::ColorMode,
        "colour arrows by method / Call-ID / CSeq",
    ),
    b(
        &[F(8), Char('C')],
        Action::Syntax,
        "header highlighting in the message on / off",
    ),
    b(&[Char('9')], Action::Narrower, "ladder narrower"),
    b(&[Char('0')], Action::Wider, "ladder wider"),
    b(&[Char('T')], Action::ResetSplit, "ladder width reset"),
    b(&[Char('/')], Action::Find, "search in the message text"),
    b(&[Char('n')], Action::FindNext, "next match"),
    b(&[Char('N')], Action::FindPrevious, "previous match"),
    h(
        &[F(6), Char('R'), Char('r')],
        Action::Raw,
        "raw text of the call",
        "Raw",
    ),
    h(
        &[Char('y')],
        Action::CopyMessage,
        "copy the message",
        "Copy",
    ),
    b(
        &[Char('Y')],
        Action::CopyCallText,
        "copy the whole call as text",
    ),
    b(&[Char('L')], Action::CopyLadder, "copy the ladder as text"),
    b(&[Char('S')], Action::Save, "save the call (.pcap or text)"),
    b(
        &[Char('p')],
        Action::Pause,
        "live: pause / resume the display",
    ),
];

/// The full-screen message: back with Enter as well; the rest as the flow.
pub const MESSAGE: &[Binding] = &[b(&[Enter], Action::Back, "back to the ladder")];

/// Raw text, statistics, streams, help.
pub const TEXT: &[Binding] = &[
    b(&[Up, Char('k')], Action::Up, "scroll up"),
    b(&[Down, Char('j')], Action::Down, "scroll down"),
    b(&[PageUp, Ctrl('b')], Action::PageUp, "page up"),
    b(
        &[PageDown, Ctrl('f'), Char(' ')],
        Action::PageDown,
        "page down",
    ),
    b(&[Home], Action::First, "top"),
    b(&[End], Action::Last, "bottom"),
    b(&[Left, Char('h')], Action::Left, "scroll left"),
    b(&[Right, Char('l')], Action::Right, "scroll right"),
    h(&[Char('/')], Action::Find, "search", "Find"),
    h(&[Char('n')], Action::FindNext, "next match", "Next"),
    b(&[Char('N')], Action::FindPrevious, "previous match"),
    h(&[Char('y')], Action::CopyText, "copy the text", "Copy"),
    b(
        &[Char('W')],
        Action::WriteAudio,
        "stream screen: write the call's audio as WAV",
    ),
];

/// The diff of two messages.
pub const DIFF: &[Binding] = &[
    b(&[Up, Char('k')], Action::Up, "scroll up"),
    b(&[Down, Char('j')], Action::Down, "scroll down"),
    b(&[PageUp, Ctrl('b')], Action::PageUp, "page up"),
    b(&[PageDown, Ctrl('f')], Action::PageDown, "page down"),
    b(&[Left, Char('h')], Action::Left, "scroll left"),
    b(&[Right, Char('l')], Action::Right, "scroll right"),
];

/// The action of key `k` on a screen with `tables` (its own first).
pub fn action(tables: &[&[Binding]], k: &KeyEvent) -> Option<Action> {
    tables
        .iter()
        .copied()
        .chain([GLOBAL])
        .flat_map(|t| t.iter())
        .find(|b| b.keys.iter().any(|key| key.matches(k)))
        .map(|b| b.action)
}

/// The hint bar of a screen: its hinted keys, then `q` and what it does
/// there (`Quit` on the list, `Back` elsewhere).
pub fn hints(tables: &[&[Binding]], q: &'static str) -> Vec<(String, &'static str)> {
    let mut out: Vec<(String, &'static str)> = GLOBAL
        .iter()
        .chain(tables.iter().copied().flat_map(|t| t.iter()))
        .filter_map(|b| Some((b.keys.first()?.name(), b.hint?)))
        .filter(|(k, _)| k != "h")
        .collect();
    out.dedup();
    out.push(("q".into(), q));
    out
}

/// sngrep keys with no action here, and why.
const NOT_HERE: &[(&str, &str)] = &[
    (
        "A",
        "autoscroll: the list follows new calls from its last row",
    ),
    (
        "a",
        "address aliases: in the config file ([hosts], [merge])",
    ),
    (
        "9 0 in the list",
        "raw preview size: the list has no preview pane",
    ),
];

/// The F1 help, from the tables: fits 80 columns.
pub fn help_text() -> String {
    let mut out = String::from("sipview keys (sngrep's keys work too)\n");
    let sections: [(&str, &[Binding]); 6] = [
        ("Everywhere", GLOBAL),
        ("Call list", LIST),
        ("Call flow", FLOW),
        ("Message full screen (and the flow's keys)", MESSAGE),
        ("Raw text, statistics, streams, help", TEXT),
        ("Diff of two messages", DIFF),
    ];
    for (title, table) in sections {
        out.push('\n');
        out.push_str(title);
        out.push('\n');
        for b in table {
            let keys: Vec<String> = b.keys.iter().map(|k| k.name()).collect();
            out.push_str(&format!("  {:<18}{}\n", keys.join(" "), b.help));
        }
    }
    out.push_str(
        "\nDisplay filter (F7): text, /regex/, state=rejected, code>=400, method=REGISTER,\n\
         verdict=no-ack, problems, loss>5, rtp=0, codec=PCMA, dtmf~/1/, a or b, !x\n",
    );
    out.push_str("\nsngrep keys not here\n");
    for (k, why) in NOT_HERE {
        out.push_str(&format!("  {k:<18}{why}\n"));
    }
    out.push_str("\nCtrl-C quits at once. Mouse: click a row to select it, wheel to scroll.\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_key_is_bound_twice_on_a_screen() {
        for (name, table) in [
            ("list", LIST),
            ("flow", FLOW),
            ("text", TEXT),
            ("diff", DIFF),
        ] {
            let mut seen: Vec<Key> = Vec::new();
            for b in table.iter().chain(GLOBAL) {
                for k in b.keys {
                    assert!(!seen.contains(k), "{name}: {k:?} bound twice");
                    seen.push(*k);
                }
            }
        }
    }

    #[test]
    fn the_help_fits_80_columns_and_names_every_binding() {
        let help = help_text();
        for line in help.lines() {
            assert!(line.chars().count() <= 80, "{line}");
        }
        for t in [GLOBAL, LIST, FLOW, TEXT, DIFF] {
            for b in t {
                assert!(help.contains(b.help), "{}", b.help);
            }
        }
    }
}

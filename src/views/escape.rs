//! Text from packets is untrusted: control characters (ESC, BEL, CR, ...) are
//! shown escaped and never reach the terminal as they are.

use std::borrow::Cow;
use std::fmt::Write;

/// Replaces control characters with visible escapes (`\e`, `\r`, `\x07`, ...).
pub fn clean(s: &str) -> Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\x1b' => out.push_str("\\e"),
            '\r' => out.push_str("\\r"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Bytes from a packet as printable text: invalid UTF-8 becomes U+FFFD,
/// control characters are escaped.
pub fn clean_bytes(b: &[u8]) -> String {
    clean(&String::from_utf8_lossy(b)).into_owned()
}

/// Cuts `s` to at most `max` characters, marking the cut with `~`.
pub fn truncate(s: &str, max: usize) -> Cow<'_, str> {
    if s.chars().count() <= max {
        return Cow::Borrowed(s);
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('~');
    Cow::Owned(out)
}

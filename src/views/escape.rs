//! Text from packets is untrusted: control characters (ESC, BEL, CR, ...) are
//! shown escaped and never reach the terminal as they are.

use std::borrow::Cow;
use std::fmt::Write;

/// Bidirectional controls: they reorder what a terminal shows (a Call-ID or
/// user that reads differently from what it is).
fn is_bidi(c: char) -> bool {
    matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// What must not reach a terminal as it is: C0, DEL and C1 controls, and
/// the bidirectional controls.
fn is_unsafe(c: char) -> bool {
    c.is_control() || is_bidi(c)
}

/// Replaces control characters with visible escapes (`\e`, `\r`, `\x07`,
/// `\u{202e}`, ...); a backslash becomes `\\`, so a packet's own `\e` and
/// an escaped ESC differ.
pub fn clean(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| is_unsafe(c) || c == '\\') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\x1b' => out.push_str("\\e"),
            '\r' => out.push_str("\\r"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() && (c as u32) < 0x100 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if is_unsafe(c) => {
                let _ = write!(out, "\\u{{{:04x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// JSON text with the C1 and bidirectional controls written as `\uXXXX`
/// (serde escapes only C0): the same strings to a JSON reader, nothing a
/// terminal acts on when the JSON is printed.
pub fn json_safe(json: String) -> String {
    if !json.chars().any(|c| is_unsafe(c) && !c.is_ascii()) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if is_unsafe(c) && !c.is_ascii() {
            let _ = write!(out, "\\u{:04x}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

/// Bytes from a packet as printable text: invalid UTF-8 becomes U+FFFD,
/// control characters are escaped.
pub fn clean_bytes(b: &[u8]) -> String {
    clean(&String::from_utf8_lossy(b)).into_owned()
}

/// Cuts `s` to at most `max` characters, ending in `…` when cut.
pub fn truncate(s: &str, max: usize) -> Cow<'_, str> {
    if s.len() <= max || s.chars().count() <= max {
        return Cow::Borrowed(s);
    }
    if max == 0 {
        return Cow::Borrowed("");
    }
    let mut out: String = s.chars().take(max - 1).collect();
    out.push('…');
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_unsafe_character_is_escaped_and_unambiguous() {
        assert_eq!(clean("a\u{1b}[31mb"), "a\\e[31mb");
        assert_eq!(
            clean("a\\eb"),
            "a\\\\eb",
            "a literal backslash-e is not an ESC"
        );
        assert_eq!(clean("x\u{9b}y"), "x\\x9by");
        assert_eq!(clean("call\u{202e}lla"), "call\\u{202e}lla");
        assert_eq!(clean("\u{2066}\u{061c}"), "\\u{2066}\\u{061c}");
        assert_eq!(clean("plain"), "plain");
        let j = json_safe("{\"a\":\"x\u{9b}\u{202e}y\"}".into());
        assert_eq!(j, "{\"a\":\"x\\u009b\\u202ey\"}");
        let back: serde_json::Value = serde_json::from_str(&j).expect("still JSON");
        assert_eq!(back["a"], "x\u{9b}\u{202e}y");
    }
}

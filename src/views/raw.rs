//! The calls' messages as text, in time order: the raw view of the
//! screens, the filter's `payload` terms and "save as text" read it.

use super::escape::clean_bytes;
use super::time;
use crate::calls::CallStore;
use crate::capture::CaptureSource;
use std::fmt::Write as _;

/// Every message of the calls in time order, each after a line with its
/// time, addresses and transport, a blank line between messages.
pub fn call_text(source: &CaptureSource, store: &CallStore, calls: &[u32]) -> String {
    let mut msgs: Vec<(u32, &crate::calls::MessageRecord)> = store
        .messages_of_calls(calls)
        .into_iter()
        .filter_map(|i| store.message(i).map(|r| (i, r)))
        .collect();
    // Arrival order breaks ties, so equal timestamps keep capture order.
    msgs.sort_by_key(|&(i, r)| (r.ts, i));
    let mut out = String::new();
    for (n, (_, rec)) in msgs.iter().enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let _ = writeln!(
            out,
            "{} {} -> {} {}",
            time::date_time(rec.ts),
            store.endpoints.addr(rec.src),
            store.endpoints.addr(rec.dst),
            rec.transport.as_str()
        );
        match store.message_bytes(rec, source) {
            Ok(bytes) => push_message(&mut out, &bytes),
            Err(e) => {
                let _ = writeln!(out, "[message bytes unreadable: {e}]");
            }
        }
    }
    out
}

/// The message line by line: CRLF and LF end lines, any other control
/// character is escaped. Trailing empty lines (the blank line closing a
/// body-less message) are dropped so one blank line separates messages.
fn push_message(out: &mut String, bytes: &[u8]) {
    let mut lines: Vec<&[u8]> = bytes
        .split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .collect();
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    for line in lines {
        out.push_str(&clean_bytes(line));
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::push_message;

    #[test]
    fn line_ends_kept_other_controls_escaped() {
        let mut out = String::new();
        push_message(
            &mut out,
            b"MESSAGE sip:b@x SIP/2.0\r\nSubject: a\x1b[2Jb\rc\tend\nLF-only: yes\r\n\r\n",
        );
        assert_eq!(
            out,
            "MESSAGE sip:b@x SIP/2.0\nSubject: a\\e[2Jb\\rc\\tend\nLF-only: yes\n"
        );
    }

    #[test]
    fn body_lines_and_invalid_utf8() {
        let mut out = String::new();
        push_message(&mut out, b"SIP/2.0 200 OK\r\n\r\nv=0\r\ns=\xff\r\n");
        assert_eq!(out, "SIP/2.0 200 OK\n\nv=0\ns=\u{fffd}\n");
    }
}

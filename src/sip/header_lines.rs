use memchr::memchr;
use std::borrow::Cow;

/// One logical header: folded continuation lines are joined with one space.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderLine<'a> {
    pub name: &'a [u8],
    pub value: Cow<'a, [u8]>,
    /// The header's lines as they appear in the message, line ending excluded.
    pub raw: &'a [u8],
    /// A line without a colon (kept so views can show it, flagged malformed).
    pub broken: bool,
}

/// Iterates the header lines of a message (after the start line) up to the
/// blank line. Takes CRLF or bare LF, folding, and spaces before the colon.
#[derive(Debug, Clone)]
pub struct HeaderLines<'a> {
    rest: &'a [u8],
    done: bool,
    ended_by_blank_line: bool,
}

impl<'a> HeaderLines<'a> {
    /// `block` starts at the first header line.
    pub fn new(block: &'a [u8]) -> Self {
        HeaderLines {
            rest: block,
            done: false,
            ended_by_blank_line: false,
        }
    }

    /// After iteration: did a blank line end the headers?
    pub fn ended_by_blank_line(&self) -> bool {
        self.ended_by_blank_line
    }

    /// After iteration: the bytes after the blank line (the body).
    pub fn remainder(&self) -> &'a [u8] {
        self.rest
    }
}

/// Splits off one physical line: (line without ending, rest after the ending).
fn split_line(bytes: &[u8]) -> (&[u8], &[u8], bool) {
    match memchr(b'\n', bytes) {
        Some(i) => {
            let line = &bytes[..i];
            (
                line.strip_suffix(b"\r").unwrap_or(line),
                &bytes[i + 1..],
                true,
            )
        }
        None => (bytes, &[], false),
    }
}

fn trim(mut s: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = s {
        if first.is_ascii_whitespace() {
            s = rest;
        } else {
            break;
        }
    }
    while let [rest @ .., last] = s {
        if last.is_ascii_whitespace() {
            s = rest;
        } else {
            break;
        }
    }
    s
}

impl<'a> Iterator for HeaderLines<'a> {
    type Item = HeaderLine<'a>;

    fn next(&mut self) -> Option<HeaderLine<'a>> {
        if self.done || self.rest.is_empty() {
            self.done = true;
            return None;
        }
        let start = self.rest;
        let (line, mut after, _) = split_line(start);
        if line.is_empty() {
            self.done = true;
            self.ended_by_blank_line = true;
            self.rest = after;
            return None;
        }
        // Gather continuation lines (starting with space or tab).
        let mut folded = false;
        let mut raw_len = line.len();
        while let Some(&b) = after.first() {
            if b != b' ' && b != b'\t' {
                break;
            }
            let (cont, next, _) = split_line(after);
            folded = true;
            raw_len = (cont.as_ptr() as usize - start.as_ptr() as usize) + cont.len();
            after = next;
        }
        self.rest = after;
        let raw = &start[..raw_len];
        let Some(colon) = memchr(b':', line) else {
            return Some(HeaderLine {
                name: trim(line),
                value: Cow::Borrowed(&[]),
                raw,
                broken: true,
            });
        };
        let name = trim(&line[..colon]);
        let value = if folded {
            let mut joined = Vec::with_capacity(raw.len());
            for (i, part) in raw[colon + 1..].split(|&b| b == b'\n').enumerate() {
                let part = trim(part);
                if part.is_empty() {
                    continue;
                }
                if i > 0 && !joined.is_empty() {
                    joined.push(b' ');
                }
                joined.extend_from_slice(part);
            }
            Cow::Owned(joined)
        } else {
            Cow::Borrowed(trim(&line[colon + 1..]))
        };
        let broken = name.is_empty()
            || name
                .iter()
                .any(|b| b.is_ascii_whitespace() || b.is_ascii_control());
        Some(HeaderLine {
            name,
            value,
            raw,
            broken,
        })
    }
}

use memchr::memchr;

/// The first line of a SIP message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartLine<'a> {
    Request { method: &'a [u8], uri: &'a [u8] },
    Response { code: u16, reason: &'a [u8] },
}

/// Start lines longer than this are not SIP (the URI would be absurd).
const MAX_START_LINE: usize = 8 * 1024;

/// True when `bytes` begin with a SIP request or status line, on any port.
pub fn looks_like_sip(bytes: &[u8]) -> bool {
    first_line(bytes).and_then(parse_start_line).is_some()
}

/// The first line without its line ending, if one ends within reach.
pub(crate) fn first_line(bytes: &[u8]) -> Option<&[u8]> {
    let window = &bytes[..bytes.len().min(MAX_START_LINE)];
    let end = memchr(b'\n', window)?;
    let line = &window[..end];
    Some(line.strip_suffix(b"\r").unwrap_or(line))
}

fn is_sip_version(v: &[u8]) -> bool {
    v.eq_ignore_ascii_case(b"SIP/2.0")
}

/// RFC 3261 `token` characters: what a method name may be made of.
fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-.!%*_+`'~".contains(&b)
}

pub(crate) fn parse_start_line(line: &[u8]) -> Option<StartLine<'_>> {
    if line.len() >= 8 && is_sip_version(&line[..7]) && line[7] == b' ' {
        let rest = &line[8..];
        let digits = rest.get(..3)?;
        if !digits.iter().all(u8::is_ascii_digit) || rest.get(3).is_some_and(|&b| b != b' ') {
            return None;
        }
        let code = digits.iter().fold(0u16, |n, d| n * 10 + (d - b'0') as u16);
        if !(100..=699).contains(&code) {
            return None;
        }
        let reason = rest.get(4..).unwrap_or(&[]);
        return Some(StartLine::Response { code, reason });
    }
    let sp1 = memchr(b' ', line)?;
    let method = &line[..sp1];
    if method.is_empty() || !method.iter().all(|&b| is_token_byte(b)) {
        return None;
    }
    let rest = &line[sp1 + 1..];
    let sp2 = memchr(b' ', rest)?;
    let uri = &rest[..sp2];
    if uri.is_empty() || !is_sip_version(&rest[sp2 + 1..]) {
        return None;
    }
    Some(StartLine::Request { method, uri })
}

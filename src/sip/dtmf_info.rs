//! DTMF keys carried in SIP INFO bodies: `application/dtmf-relay`
//! (`Signal=5` and `Duration=160` lines, the format Cisco made common) and
//! `application/dtmf` (the key alone, sometimes in the same `Signal=`
//! form). Read from untrusted bytes: anything unexpected is no key.

/// Which INFO body format carried the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum InfoFormat {
    /// `application/dtmf-relay`.
    DtmfRelay,
    /// `application/dtmf`.
    Dtmf,
}

impl InfoFormat {
    /// The content type, as sent.
    pub fn content_type(self) -> &'static str {
        match self {
            InfoFormat::DtmfRelay => "application/dtmf-relay",
            InfoFormat::Dtmf => "application/dtmf",
        }
    }
}

/// One key press read from an INFO body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InfoKey {
    /// 0-9, *, #, A-D.
    pub key: char,
    /// `Duration=` in milliseconds, when the body gave one.
    pub duration_ms: Option<u32>,
    pub format: InfoFormat,
}

/// Bodies longer than this are not DTMF (a key and a duration fit in 40).
const MAX_BODY: usize = 512;
/// Durations above this (ms) are taken for garbage.
const MAX_DURATION_MS: u32 = 60_000;

/// The format named by a Content-Type value, if it is a DTMF one.
pub fn info_format(content_type: &[u8]) -> Option<InfoFormat> {
    let media = content_type.split(|&b| b == b';').next()?.trim_ascii();
    if media.eq_ignore_ascii_case(b"application/dtmf-relay") {
        Some(InfoFormat::DtmfRelay)
    } else if media.eq_ignore_ascii_case(b"application/dtmf") {
        Some(InfoFormat::Dtmf)
    } else {
        None
    }
}

/// The key of a DTMF INFO body of the given Content-Type.
pub fn parse_info_dtmf(content_type: &[u8], body: &[u8]) -> Option<InfoKey> {
    let format = info_format(content_type)?;
    if body.len() > MAX_BODY {
        return None;
    }
    let text = std::str::from_utf8(body).ok()?;
    let field = |name: &str| {
        text.lines().find_map(|l| {
            let (k, v) = l.split_once('=')?;
            k.trim().eq_ignore_ascii_case(name).then_some(v.trim())
        })
    };
    let value = match field("signal") {
        Some(v) => v,
        // application/dtmf: the key alone.
        None if format == InfoFormat::Dtmf => text.trim(),
        None => return None,
    };
    let key = match value {
        "10" => '*',
        "11" => '#',
        "12" => 'A',
        "13" => 'B',
        "14" => 'C',
        "15" => 'D',
        v if v.len() == 1 => {
            let c = v.chars().next()?.to_ascii_uppercase();
            if !(c.is_ascii_digit() || "*#ABCD".contains(c)) {
                return None;
            }
            c
        }
        _ => return None,
    };
    let duration_ms = field("duration")
        .and_then(|d| d.parse::<u32>().ok())
        .filter(|&d| d <= MAX_DURATION_MS);
    Some(InfoKey {
        key,
        duration_ms,
        format,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dtmf_relay_with_spaces_and_duration() {
        let k = parse_info_dtmf(b"application/dtmf-relay", b"Signal= 2\r\nDuration= 180\r\n")
            .expect("a key");
        assert_eq!(k.key, '2');
        assert_eq!(k.duration_ms, Some(180));
        assert_eq!(k.format, InfoFormat::DtmfRelay);
    }

    #[test]
    fn bare_dtmf_and_star_codes() {
        let k = parse_info_dtmf(b"Application/DTMF; charset=x", b"#\r\n").expect("a key");
        assert_eq!(
            (k.key, k.duration_ms, k.format),
            ('#', None, InfoFormat::Dtmf)
        );
        let k = parse_info_dtmf(b"application/dtmf-relay", b"Signal=10\nDuration=x").expect("key");
        assert_eq!((k.key, k.duration_ms), ('*', None));
    }

    #[test]
    fn not_keys() {
        assert!(parse_info_dtmf(b"application/sdp", b"Signal=1").is_none());
        assert!(parse_info_dtmf(b"application/dtmf-relay", b"1").is_none());
        assert!(parse_info_dtmf(b"application/dtmf-relay", b"Signal=99").is_none());
        assert!(parse_info_dtmf(b"application/dtmf", b"\xff\xfe").is_none());
        assert!(parse_info_dtmf(b"application/dtmf", b"").is_none());
        assert!(parse_info_dtmf(b"application/dtmf", b"x").is_none());
    }
}

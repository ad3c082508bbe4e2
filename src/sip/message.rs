use super::header_lines::HeaderLines;
use super::start_line::{first_line, parse_start_line};
use super::{HeaderName, Malformed, NameAddr, StartLine, Via};
use std::borrow::Cow;

/// The headers sipview needs for every message, as found (first occurrence).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KnownHeaders<'a> {
    pub call_id: Option<Cow<'a, [u8]>>,
    pub from: Option<Cow<'a, [u8]>>,
    pub to: Option<Cow<'a, [u8]>>,
    pub cseq: Option<Cow<'a, [u8]>>,
    /// The first Via header line (its first entry is the top Via).
    pub via: Option<Cow<'a, [u8]>>,
    pub contact: Option<Cow<'a, [u8]>>,
    pub content_length: Option<Cow<'a, [u8]>>,
    pub content_type: Option<Cow<'a, [u8]>>,
    pub user_agent: Option<Cow<'a, [u8]>>,
    pub server: Option<Cow<'a, [u8]>>,
    pub x_call_id: Option<Cow<'a, [u8]>>,
    pub reason: Option<Cow<'a, [u8]>>,
}

/// A SIP message as scanned; everything borrows from the payload unless a
/// folded header had to be joined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SipMessage<'a> {
    pub raw: &'a [u8],
    pub start: StartLine<'a>,
    pub headers: KnownHeaders<'a>,
    pub body: &'a [u8],
    pub malformed: Malformed,
}

/// Scans a message. `None` when the bytes do not start with a SIP start line;
/// anything after a valid start line is a message, flagged when damaged.
pub fn parse(raw: &[u8]) -> Option<SipMessage<'_>> {
    let line = first_line(raw)?;
    let start = parse_start_line(line)?;
    let header_start = memchr::memchr(b'\n', raw).map_or(raw.len(), |i| i + 1);
    let mut headers = KnownHeaders::default();
    let mut malformed = Malformed::none();
    let mut lines = HeaderLines::new(&raw[header_start..]);
    for h in lines.by_ref() {
        if h.broken {
            malformed.insert(Malformed::BAD_HEADER_LINE);
            continue;
        }
        let slot = match HeaderName::classify(h.name) {
            HeaderName::CallId => &mut headers.call_id,
            HeaderName::From => &mut headers.from,
            HeaderName::To => &mut headers.to,
            HeaderName::CSeq => &mut headers.cseq,
            HeaderName::Via => &mut headers.via,
            HeaderName::Contact => &mut headers.contact,
            HeaderName::ContentLength => &mut headers.content_length,
            HeaderName::ContentType => &mut headers.content_type,
            HeaderName::UserAgent => &mut headers.user_agent,
            HeaderName::Server => &mut headers.server,
            HeaderName::XCallId => &mut headers.x_call_id,
            HeaderName::Reason => &mut headers.reason,
            HeaderName::Other => continue,
        };
        if slot.is_none() {
            *slot = Some(h.value);
        }
    }
    if !lines.ended_by_blank_line() {
        malformed.insert(Malformed::NO_HEADER_END);
    }
    let rest = lines.remainder();
    let body = match headers.content_length.as_deref().map(parse_length) {
        None => rest,
        Some(Some(len)) if len <= rest.len() => &rest[..len],
        Some(Some(_)) => {
            malformed.insert(Malformed::BODY_TOO_SHORT);
            rest
        }
        Some(None) => {
            malformed.insert(Malformed::BAD_CONTENT_LENGTH);
            rest
        }
    };
    let msg = SipMessage {
        raw,
        start,
        headers,
        body,
        malformed,
    };
    Some(msg.with_checks())
}

/// Content-Length: decimal digits only.
pub(crate) fn parse_length(v: &[u8]) -> Option<usize> {
    let v = v.trim_ascii();
    if v.is_empty() || v.len() > 9 || !v.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(v.iter().fold(0usize, |n, d| n * 10 + (d - b'0') as usize))
}

impl<'a> SipMessage<'a> {
    fn with_checks(mut self) -> Self {
        let h = &self.headers;
        let checks = [
            (
                h.call_id.as_deref().is_none_or(|v| v.is_empty()),
                Malformed::NO_CALL_ID,
            ),
            (h.from.is_none(), Malformed::NO_FROM),
            (h.to.is_none(), Malformed::NO_TO),
            (self.cseq().is_none(), Malformed::BAD_CSEQ),
            (h.via.is_none(), Malformed::NO_VIA),
        ];
        for (bad, flag) in checks {
            if bad {
                self.malformed.insert(flag);
            }
        }
        self
    }

    /// The header lines after the start line (any header, folded and compact forms included).
    pub fn header_lines(&self) -> HeaderLines<'a> {
        let start = memchr::memchr(b'\n', self.raw).map_or(self.raw.len(), |i| i + 1);
        HeaderLines::new(&self.raw[start..])
    }

    /// The first header with this full name (any case, compact form
    /// included: `m` for Contact), as text.
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers_named(name).next()
    }

    /// Every header with this full name (or its compact form), in order.
    pub fn headers_named<'s>(&'s self, name: &'s str) -> impl Iterator<Item = String> + 's {
        self.header_lines()
            .filter(move |h| {
                h.name.eq_ignore_ascii_case(name.as_bytes())
                    || super::HeaderName::expand_compact(h.name)
                        .is_some_and(|full| full.eq_ignore_ascii_case(name))
            })
            .map(|h| String::from_utf8_lossy(&h.value).into_owned())
    }

    pub fn is_request(&self) -> bool {
        matches!(self.start, StartLine::Request { .. })
    }

    /// The method of a request, or the CSeq method a response answers.
    pub fn method(&self) -> Option<&[u8]> {
        match self.start {
            StartLine::Request { method, .. } => Some(method),
            StartLine::Response { .. } => self.cseq().map(|(_, m)| m),
        }
    }

    pub fn status_code(&self) -> Option<u16> {
        match self.start {
            StartLine::Response { code, .. } => Some(code),
            StartLine::Request { .. } => None,
        }
    }

    pub fn call_id(&self) -> Option<&[u8]> {
        self.headers.call_id.as_deref().filter(|v| !v.is_empty())
    }

    /// CSeq number and method.
    pub fn cseq(&self) -> Option<(u32, &[u8])> {
        let v = self.headers.cseq.as_deref()?.trim_ascii();
        let split = v.iter().position(|b| b.is_ascii_whitespace())?;
        let num = std::str::from_utf8(&v[..split]).ok()?.parse().ok()?;
        let method = v[split..].trim_ascii();
        (!method.is_empty()).then_some((num, method))
    }

    pub fn from(&self) -> Option<NameAddr<'_>> {
        self.headers.from.as_deref().map(NameAddr::parse)
    }

    pub fn to(&self) -> Option<NameAddr<'_>> {
        self.headers.to.as_deref().map(NameAddr::parse)
    }

    pub fn top_via(&self) -> Option<Via<'_>> {
        let v = self.headers.via.as_deref()?;
        Via::entries(v).next().and_then(Via::parse)
    }

    /// True when the body is SDP (by Content-Type, or by its first line when untyped).
    pub fn has_sdp(&self) -> bool {
        if self.body.is_empty() {
            return false;
        }
        match self.headers.content_type.as_deref() {
            Some(ct) => {
                memchr::memmem::find(&ct.to_ascii_lowercase(), b"application/sdp").is_some()
            }
            None => self.body.starts_with(b"v=0"),
        }
    }
}

/// Headers sipview reads on the hot path; everything else is `Other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HeaderName {
    CallId,
    From,
    To,
    CSeq,
    Via,
    Contact,
    ContentLength,
    ContentType,
    UserAgent,
    Server,
    /// `X-Call-ID` or `X-CID`: the other leg's Call-ID, written by B2BUAs.
    XCallId,
    Reason,
    Other,
}

impl HeaderName {
    /// Classifies a header name, full or compact (RFC 3261 7.3.3), any case.
    pub fn classify(name: &[u8]) -> HeaderName {
        if name.len() == 1 {
            return match name[0].to_ascii_lowercase() {
                b'i' => HeaderName::CallId,
                b'f' => HeaderName::From,
                b't' => HeaderName::To,
                b'v' => HeaderName::Via,
                b'm' => HeaderName::Contact,
                b'l' => HeaderName::ContentLength,
                b'c' => HeaderName::ContentType,
                _ => HeaderName::Other,
            };
        }
        let eq = |s: &[u8]| name.eq_ignore_ascii_case(s);
        match name.len() {
            2 if eq(b"To") => HeaderName::To,
            3 if eq(b"Via") => HeaderName::Via,
            4 if eq(b"From") => HeaderName::From,
            4 if eq(b"CSeq") => HeaderName::CSeq,
            5 if eq(b"X-CID") => HeaderName::XCallId,
            6 if eq(b"Reason") => HeaderName::Reason,
            6 if eq(b"Server") => HeaderName::Server,
            7 if eq(b"Call-ID") => HeaderName::CallId,
            7 if eq(b"Contact") => HeaderName::Contact,
            9 if eq(b"X-Call-ID") => HeaderName::XCallId,
            10 if eq(b"User-Agent") => HeaderName::UserAgent,
            12 if eq(b"Content-Type") => HeaderName::ContentType,
            14 if eq(b"Content-Length") => HeaderName::ContentLength,
            _ => HeaderName::Other,
        }
    }

    /// The full name of a compact form (RFC 3261 and its extensions).
    pub fn expand_compact(name: &[u8]) -> Option<&'static str> {
        if name.len() != 1 {
            return None;
        }
        Some(match name[0].to_ascii_lowercase() {
            b'a' => "Accept-Contact",
            b'b' => "Referred-By",
            b'c' => "Content-Type",
            b'd' => "Request-Disposition",
            b'e' => "Content-Encoding",
            b'f' => "From",
            b'i' => "Call-ID",
            b'j' => "Reject-Contact",
            b'k' => "Supported",
            b'l' => "Content-Length",
            b'm' => "Contact",
            b'n' => "Identity-Info",
            b'o' => "Event",
            b'r' => "Refer-To",
            b's' => "Subject",
            b't' => "To",
            b'u' => "Allow-Events",
            b'v' => "Via",
            b'x' => "Session-Expires",
            b'y' => "Identity",
            _ => return None,
        })
    }
}

use super::name_addr::param;
use memchr::memchr;

/// One Via entry: `SIP/2.0/UDP host:port;branch=...;rport`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Via<'a> {
    pub transport: &'a [u8],
    pub sent_by: &'a [u8],
    pub params: &'a [u8],
}

impl<'a> Via<'a> {
    /// Splits a Via header value into its entries (commas outside brackets and quotes).
    pub fn entries(value: &'a [u8]) -> impl Iterator<Item = &'a [u8]> + 'a {
        let mut rest = Some(value);
        std::iter::from_fn(move || {
            let v = rest?;
            let mut depth = 0i32;
            let mut quoted = false;
            for (i, &b) in v.iter().enumerate() {
                match b {
                    b'"' => quoted = !quoted,
                    b'[' if !quoted => depth += 1,
                    b']' if !quoted => depth -= 1,
                    b',' if !quoted && depth <= 0 => {
                        rest = Some(&v[i + 1..]);
                        return Some(&v[..i]);
                    }
                    _ => {}
                }
            }
            rest = None;
            Some(v)
        })
        .map(|s| s.trim_ascii())
        .filter(|s| !s.is_empty())
    }

    pub fn parse(entry: &'a [u8]) -> Option<Via<'a>> {
        let entry = entry.trim_ascii();
        let space = entry.iter().position(|b| b.is_ascii_whitespace())?;
        let protocol = &entry[..space];
        let transport = protocol
            .rsplit(|&b| b == b'/')
            .next()
            .unwrap_or(protocol)
            .trim_ascii();
        let rest = entry[space..].trim_ascii_start();
        let semi = memchr(b';', rest).unwrap_or(rest.len());
        Some(Via {
            transport,
            sent_by: rest[..semi].trim_ascii(),
            params: &rest[semi..],
        })
    }

    pub fn param(&self, name: &[u8]) -> Option<&'a [u8]> {
        param(self.params, name)
    }

    pub fn branch(&self) -> Option<&'a [u8]> {
        self.param(b"branch")
    }
}

use memchr::memchr;

/// A From / To / Contact value: `"Display" <uri>;params` or `uri;params`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NameAddr<'a> {
    pub display: Option<&'a [u8]>,
    pub uri: &'a [u8],
    /// Header parameters after the URI (`;tag=...`), leading `;` included.
    pub params: &'a [u8],
}

fn trim(s: &[u8]) -> &[u8] {
    let start = s
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(s.len());
    let end = s
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(start, |e| e + 1);
    &s[start..end.max(start)]
}

impl<'a> NameAddr<'a> {
    pub fn parse(value: &'a [u8]) -> NameAddr<'a> {
        let value = trim(value);
        // Skip a quoted display name first: it may hold '<' or ';'.
        let mut search_from = 0;
        let mut quoted = None;
        if value.first() == Some(&b'"') {
            let mut i = 1;
            while i < value.len() {
                match value[i] {
                    b'\\' => i += 2,
                    b'"' => break,
                    _ => i += 1,
                }
            }
            quoted = Some(&value[1..i.min(value.len())]);
            search_from = (i + 1).min(value.len());
        }
        if let Some(lt) = memchr(b'<', &value[search_from..]).map(|p| p + search_from) {
            let gt = memchr(b'>', &value[lt..]).map_or(value.len(), |p| p + lt);
            let display = quoted.or_else(|| {
                let d = trim(&value[..lt]);
                (!d.is_empty()).then_some(d)
            });
            return NameAddr {
                display,
                uri: &value[lt + 1..gt],
                params: value.get(gt + 1..).map(trim).unwrap_or(&[]),
            };
        }
        // addr-spec: parameters after the URI belong to the header.
        let semi = memchr(b';', value).unwrap_or(value.len());
        NameAddr {
            display: quoted,
            uri: trim(&value[..semi]),
            params: &value[semi..],
        }
    }

    /// The user part of a sip:/sips: URI, or the number of a tel: URI.
    pub fn user(&self) -> Option<&'a [u8]> {
        uri_user(self.uri)
    }

    /// A header parameter by name, e.g. `tag`; `Some(b"")` for a bare flag.
    pub fn param(&self, name: &[u8]) -> Option<&'a [u8]> {
        param(self.params, name)
    }

    pub fn tag(&self) -> Option<&'a [u8]> {
        self.param(b"tag")
    }
}

/// The user part of a URI (`sip:user@host` -> `user`).
pub fn uri_user(uri: &[u8]) -> Option<&[u8]> {
    let colon = memchr(b':', uri)?;
    let scheme = &uri[..colon];
    let rest = &uri[colon + 1..];
    if scheme.eq_ignore_ascii_case(b"tel") {
        let end = memchr(b';', rest).unwrap_or(rest.len());
        return Some(&rest[..end]);
    }
    let at = memchr(b'@', rest)?;
    let user = &rest[..at];
    // user;user-params or user:password
    let end = user
        .iter()
        .position(|&b| b == b':' || b == b';')
        .unwrap_or(user.len());
    Some(&user[..end])
}

/// Finds `;name=value` (or a bare `;name`) in a parameter list, any case.
pub fn param<'a>(params: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    params.split(|&b| b == b';').skip(1).find_map(|p| {
        let p = trim(p);
        let (k, v) = match memchr(b'=', p) {
            Some(eq) => (trim(&p[..eq]), trim(&p[eq + 1..])),
            None => (p, &p[p.len()..]),
        };
        k.eq_ignore_ascii_case(name).then_some(v)
    })
}

/// The host of a URI or a Via sent-by (`sip:u@[2001:db8::1]:5060;x`,
/// `10.0.0.1:5060`), when it is an IP address rather than a name.
pub fn host_addr(s: &[u8]) -> Option<std::net::IpAddr> {
    let s = std::str::from_utf8(s).ok()?;
    let s = s
        .split_once(':')
        .filter(|(scheme, _)| scheme.starts_with("sip") || *scheme == "tel")
        .map_or(s, |(_, r)| r);
    let s = s.rsplit_once('@').map_or(s, |(_, host)| host);
    let s = s.split([';', '>', '?']).next()?;
    if let Some(rest) = s.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok();
    }
    s.split(':').next()?.parse().ok()
}

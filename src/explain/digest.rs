//! Digest challenges and credentials (RFC 3261 22, RFC 2617), read from
//! header values for the authentication checks.
//!
//! rsip's typed headers parse them where they can; rsip refuses some real
//! values (an IPv6 address in `uri=`, `algorithm=SHA-256`), so the plain
//! `name=value` reader below takes over then. The pane never goes blank
//! because a typed parse failed.

use rsip::prelude::*;

/// The fields of a challenge (WWW-/Proxy-Authenticate) or of credentials
/// (Authorization / Proxy-Authorization); absent fields are `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DigestFields {
    pub scheme: String,
    pub username: Option<String>,
    pub realm: Option<String>,
    pub nonce: Option<String>,
    pub uri: Option<String>,
    pub response: Option<String>,
    pub algorithm: Option<String>,
    pub qop: Option<String>,
    pub nc: Option<String>,
    pub cnonce: Option<String>,
    pub stale: Option<String>,
    pub opaque: Option<String>,
}

/// Credentials from an Authorization or Proxy-Authorization value.
pub fn credentials(value: &str) -> DigestFields {
    match rsip::headers::Authorization::new(value).typed() {
        Ok(a) => {
            let (qop, nc, cnonce) = match &a.qop {
                Some(rsip::headers::auth::AuthQop::Auth { cnonce, nc }) => (
                    Some("auth".to_owned()),
                    Some(format!("{nc:08x}")),
                    Some(cnonce.clone()),
                ),
                Some(rsip::headers::auth::AuthQop::AuthInt { cnonce, nc }) => (
                    Some("auth-int".to_owned()),
                    Some(format!("{nc:08x}")),
                    Some(cnonce.clone()),
                ),
                None => (None, None, None),
            };
            DigestFields {
                scheme: a.scheme.to_string(),
                username: Some(a.username.clone()),
                realm: Some(a.realm.clone()),
                nonce: Some(a.nonce.clone()),
                // rsip rebuilds the URI; the text as sent is what the check compares.
                uri: params(value).uri,
                response: Some(a.response.clone()),
                algorithm: a.algorithm.map(|x| x.to_string()),
                qop,
                nc,
                cnonce,
                stale: None,
                opaque: a.opaque.clone(),
            }
        }
        Err(_) => params(value),
    }
}

/// A challenge from a WWW-Authenticate or Proxy-Authenticate value.
pub fn challenge(value: &str) -> DigestFields {
    match rsip::headers::WwwAuthenticate::new(value).typed() {
        Ok(w) => DigestFields {
            scheme: w.scheme.to_string(),
            realm: Some(w.realm.clone()),
            nonce: Some(w.nonce.clone()),
            algorithm: w.algorithm.map(|x| x.to_string()),
            qop: w.qop.map(|q| q.to_string()),
            stale: w.stale.clone(),
            opaque: w.opaque.clone(),
            ..DigestFields::default()
        },
        Err(_) => params(value),
    }
}

/// `Scheme k=v, k="v", ...` read by hand.
fn params(value: &str) -> DigestFields {
    let value = value.trim();
    let (scheme, rest) = value.split_once(char::is_whitespace).unwrap_or((value, ""));
    let mut f = DigestFields {
        scheme: scheme.to_owned(),
        ..DigestFields::default()
    };
    let mut rest = rest.trim_start();
    while !rest.is_empty() {
        let Some((key, after)) = rest.split_once('=') else {
            break;
        };
        let key = key
            .trim()
            .trim_start_matches(',')
            .trim()
            .to_ascii_lowercase();
        let after = after.trim_start();
        let (val, next) = if let Some(q) = after.strip_prefix('"') {
            let end = q.find('"').unwrap_or(q.len());
            (&q[..end], q.get(end + 1..).unwrap_or(""))
        } else {
            let end = after.find(',').unwrap_or(after.len());
            (after[..end].trim(), &after[end..])
        };
        let slot = match key.as_str() {
            "username" => &mut f.username,
            "realm" => &mut f.realm,
            "nonce" => &mut f.nonce,
            "uri" => &mut f.uri,
            "response" => &mut f.response,
            "algorithm" => &mut f.algorithm,
            "qop" => &mut f.qop,
            "nc" => &mut f.nc,
            "cnonce" => &mut f.cnonce,
            "stale" => &mut f.stale,
            "opaque" => &mut f.opaque,
            _ => &mut None,
        };
        *slot = Some(val.to_owned());
        rest = next.trim_start().trim_start_matches(',').trim_start();
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rsip_and_fallback_agree_on_what_matters() {
        let v4 = r#"Digest username="alice", realm="asterisk", nonce="n1", uri="sip:bob@127.0.0.1:5101", response="0123", algorithm=MD5, qop=auth, nc=00000001, cnonce="c1""#;
        let c = credentials(v4);
        assert_eq!(c.username.as_deref(), Some("alice"));
        assert_eq!(c.uri.as_deref(), Some("sip:bob@127.0.0.1:5101"));
        assert_eq!(c.qop.as_deref(), Some("auth"));
        assert_eq!(c.nc.as_deref(), Some("00000001"));
        assert_eq!(c.cnonce.as_deref(), Some("c1"));
        // rsip refuses IPv6 and SHA-256; the hand reader takes over.
        let v6 = r#"Digest username="bob", realm="r", nonce="n", uri="sip:bob@[2001:db8::1]", response="x", algorithm=SHA-256"#;
        let c = credentials(v6);
        assert_eq!(c.uri.as_deref(), Some("sip:bob@[2001:db8::1]"));
        assert_eq!(c.algorithm.as_deref(), Some("SHA-256"));
        let ch = challenge(
            r#"Digest realm="asterisk", nonce="n1", algorithm=MD5, qop="auth", stale=true"#,
        );
        assert_eq!(ch.realm.as_deref(), Some("asterisk"));
        assert_eq!(ch.qop.as_deref(), Some("auth"));
        assert_eq!(ch.stale.as_deref(), Some("true"));
    }
}

//! `udp:ADDR:PORT`, the form `-L` and `-H` take (as sngrep's do).

use super::HepError;
use std::net::{SocketAddr, ToSocketAddrs};

/// Parses `udp:ADDR:PORT` (`ADDR` an IPv4 address, `[IPv6]` or a host name).
pub fn parse_endpoint(spec: &str) -> Result<SocketAddr, HepError> {
    let bad = |why: &str| HepError::Endpoint {
        spec: spec.to_owned(),
        why: why.to_owned(),
    };
    let (scheme, rest) = spec.split_once(':').ok_or_else(|| bad("no transport"))?;
    if !scheme.eq_ignore_ascii_case("udp") {
        return Err(bad(&format!(
            "transport {scheme:?} is not supported, only udp"
        )));
    }
    if let Ok(addr) = rest.parse::<SocketAddr>() {
        return Ok(addr);
    }
    let (host, port) = rest.rsplit_once(':').ok_or_else(|| bad("no port"))?;
    if port.parse::<u16>().is_err() {
        return Err(bad(&format!("{port:?} is not a port number")));
    }
    if host.is_empty() {
        return Err(bad("no address"));
    }
    rest.to_socket_addrs()
        .map_err(|e| bad(&format!("cannot resolve {host:?}: {e}")))?
        .next()
        .ok_or_else(|| bad(&format!("{host:?} has no address")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_and_errors() {
        assert_eq!(
            parse_endpoint("udp:127.0.0.1:9060").ok(),
            "127.0.0.1:9060".parse().ok()
        );
        assert_eq!(
            parse_endpoint("UDP:[::1]:9060").ok(),
            "[::1]:9060".parse().ok()
        );
        for bad in [
            "127.0.0.1:9060",
            "tcp:127.0.0.1:9060",
            "udp:127.0.0.1",
            "udp::9060",
            "udp:1.2.3.4:x",
        ] {
            assert!(parse_endpoint(bad).is_err(), "{bad}");
        }
    }
}

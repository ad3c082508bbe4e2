//! RTP fixed header (RFC 3550 5.1), read by hand with every length checked:
//! the bytes come off the wire and may be anything.

use thiserror::Error;

/// Why a datagram is not an RTP packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum RtpError {
    #[error("shorter than the 12-byte RTP header")]
    TooShort,
    #[error("RTP version {0}, not 2")]
    Version(u8),
    #[error("CSRC list runs past the end")]
    CsrcOverrun,
    #[error("header extension runs past the end")]
    ExtensionOverrun,
    #[error("padding count larger than the payload")]
    BadPadding,
    #[error("an RTCP packet (payload type 72-76 with the marker bit)")]
    Rtcp,
}

/// The fields of an RTP header sipview counts with, and the payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RtpPacket<'a> {
    pub marker: bool,
    pub payload_type: u8,
    pub seq: u16,
    pub timestamp: u32,
    pub ssrc: u32,
    /// Between the header (CSRCs and extension included) and the padding.
    pub payload: &'a [u8],
}

const HEADER: usize = 12;

fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// True when the second byte says RTCP (packet types 192-223), the test of
/// RFC 5761 4 for RTP and RTCP sharing a port.
pub fn looks_like_rtcp(bytes: &[u8]) -> bool {
    bytes.len() >= 8 && bytes[0] >> 6 == 2 && (192..=223).contains(&bytes[1])
}

/// Parses the fixed header, CSRC list, extension and padding.
pub fn parse(bytes: &[u8]) -> Result<RtpPacket<'_>, RtpError> {
    let (Some(&b0), Some(&b1)) = (bytes.first(), bytes.get(1)) else {
        return Err(RtpError::TooShort);
    };
    if bytes.len() < HEADER {
        return Err(RtpError::TooShort);
    }
    let version = b0 >> 6;
    if version != 2 {
        return Err(RtpError::Version(version));
    }
    if looks_like_rtcp(bytes) {
        return Err(RtpError::Rtcp);
    }
    let padding = b0 & 0x20 != 0;
    let extension = b0 & 0x10 != 0;
    let csrc_count = usize::from(b0 & 0x0f);
    let mut start = HEADER + 4 * csrc_count;
    if start > bytes.len() {
        return Err(RtpError::CsrcOverrun);
    }
    if extension {
        // 16-bit profile id, then the length in 32-bit words.
        let words = be16(bytes, start + 2).ok_or(RtpError::ExtensionOverrun)?;
        start += 4 + 4 * usize::from(words);
        if start > bytes.len() {
            return Err(RtpError::ExtensionOverrun);
        }
    }
    let mut end = bytes.len();
    if padding {
        // The last byte counts the padding, itself included.
        let pad = usize::from(bytes[end - 1]);
        if pad == 0 || pad > end - start {
            return Err(RtpError::BadPadding);
        }
        end -= pad;
    }
    Ok(RtpPacket {
        marker: b1 & 0x80 != 0,
        payload_type: b1 & 0x7f,
        seq: be16(bytes, 2).ok_or(RtpError::TooShort)?,
        timestamp: be32(bytes, 4).ok_or(RtpError::TooShort)?,
        ssrc: be32(bytes, 8).ok_or(RtpError::TooShort)?,
        payload: bytes.get(start..end).ok_or(RtpError::BadPadding)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(b0: u8, pt: u8, seq: u16) -> Vec<u8> {
        let mut v = vec![b0, pt];
        v.extend_from_slice(&seq.to_be_bytes());
        v.extend_from_slice(&160u32.to_be_bytes());
        v.extend_from_slice(&0x1234_abcdu32.to_be_bytes());
        v
    }

    #[test]
    fn plain_header_and_payload() {
        let mut b = header(0x80, 0x80 | 8, 7);
        b.extend_from_slice(&[1, 2, 3]);
        let p = parse(&b).expect("rtp");
        assert!(p.marker);
        assert_eq!(
            (p.payload_type, p.seq, p.timestamp, p.ssrc),
            (8, 7, 160, 0x1234_abcd)
        );
        assert_eq!(p.payload, &[1, 2, 3]);
    }

    #[test]
    fn csrc_extension_and_padding_are_skipped() {
        // 2 CSRCs, an extension of one word, 2 bytes of padding.
        let mut b = header(0x80 | 0x20 | 0x10 | 2, 0, 1);
        b.extend_from_slice(&[0; 8]);
        b.extend_from_slice(&[0xbe, 0xde, 0, 1, 9, 9, 9, 9]);
        b.extend_from_slice(&[5, 6, 0, 2]);
        assert_eq!(parse(&b).expect("rtp").payload, &[5, 6]);
    }

    #[test]
    fn damaged_headers_are_refused() {
        assert_eq!(parse(&[0x80, 0]), Err(RtpError::TooShort));
        assert_eq!(parse(&header(0x40, 0, 1)), Err(RtpError::Version(1)));
        assert_eq!(parse(&header(0x8f, 0, 1)), Err(RtpError::CsrcOverrun));
        let mut ext = header(0x90, 0, 1);
        ext.extend_from_slice(&[0, 0, 0, 9]);
        assert_eq!(parse(&ext), Err(RtpError::ExtensionOverrun));
        let mut pad = header(0xa0, 0, 1);
        pad.push(200);
        assert_eq!(parse(&pad), Err(RtpError::BadPadding));
        let mut zero = header(0xa0, 0, 1);
        zero.push(0);
        assert_eq!(parse(&zero), Err(RtpError::BadPadding));
        assert_eq!(parse(&header(0x80, 200, 1)), Err(RtpError::Rtcp));
    }
}

#[cfg(test)]
mod hostile {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(5000))]

        /// Whatever the bytes, parsing returns and the payload lies inside them.
        #[test]
        fn any_bytes_parse_without_panic(bytes in proptest::collection::vec(any::<u8>(), 0..128)) {
            if let Ok(p) = parse(&bytes) {
                prop_assert!(p.payload.len() + HEADER <= bytes.len());
            }
            let _ = super::super::rtcp::parse(&bytes);
        }

        /// The same with a version-2 first byte, so the deeper checks run.
        #[test]
        fn version_two_bytes_parse_without_panic(mut bytes in proptest::collection::vec(any::<u8>(), 1..128)) {
            bytes[0] = 0x80 | (bytes[0] & 0x3f);
            if let Ok(p) = parse(&bytes) {
                prop_assert!(p.payload.len() + HEADER <= bytes.len());
            }
            let _ = super::super::rtcp::parse(&bytes);
        }
    }
}

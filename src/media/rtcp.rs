//! RTCP sender and receiver reports (RFC 3550 6.4), read from a compound
//! packet: what the endpoints themselves say about loss and jitter.

use thiserror::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum RtcpError {
    #[error("not an RTCP packet (version 2, packet type 192-223)")]
    NotRtcp,
    #[error("RTCP length runs past the end of the datagram")]
    Overrun,
}

/// One report block: what the reporter received from `ssrc`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportBlock {
    pub ssrc: u32,
    /// Fraction lost since the last report, out of 256.
    pub fraction_lost: u8,
    /// Cumulative packets lost (24-bit signed).
    pub cumulative_lost: i32,
    /// Interarrival jitter in the stream's timestamp units.
    pub jitter: u32,
}

/// What one compound RTCP packet holds that sipview summarises.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RtcpSummary {
    /// SSRC of the sender of the first SR or RR.
    pub sender_ssrc: Option<u32>,
    pub sender_reports: u32,
    pub receiver_reports: u32,
    /// Report blocks in order (a few at most in practice).
    pub blocks: Vec<ReportBlock>,
}

/// Report blocks read per packet; more are ignored (RFC 3550 allows 31).
const MAX_BLOCKS: usize = 31;

fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn block(b: &[u8]) -> Option<ReportBlock> {
    let lost = b.get(5..8)?;
    // Sign-extend the 24-bit count.
    let raw = i32::from_be_bytes([0, lost[0], lost[1], lost[2]]);
    let cumulative_lost = if raw & 0x0080_0000 != 0 {
        raw - 0x0100_0000
    } else {
        raw
    };
    Some(ReportBlock {
        ssrc: be32(b, 0)?,
        fraction_lost: *b.get(4)?,
        cumulative_lost,
        jitter: be32(b, 12)?,
    })
}

/// Parses a compound packet; other packet types (SDES, BYE, APP, ...) are
/// stepped over by their length.
pub fn parse(bytes: &[u8]) -> Result<RtcpSummary, RtcpError> {
    if !super::rtp::looks_like_rtcp(bytes) {
        return Err(RtcpError::NotRtcp);
    }
    let mut out = RtcpSummary::default();
    let mut rest = bytes;
    while rest.len() >= 4 {
        if rest[0] >> 6 != 2 {
            return Err(RtcpError::NotRtcp);
        }
        let count = usize::from(rest[0] & 0x1f);
        let kind = rest[1];
        let words = usize::from(u16::from_be_bytes([rest[2], rest[3]]));
        let len = 4 * (words + 1);
        let packet = rest.get(..len).ok_or(RtcpError::Overrun)?;
        // SR: sender SSRC + 20 bytes of sender info; RR: sender SSRC.
        let blocks_at = match kind {
            200 => Some(28),
            201 => Some(8),
            _ => None,
        };
        if let Some(at) = blocks_at {
            if kind == 200 {
                out.sender_reports += 1;
            } else {
                out.receiver_reports += 1;
            }
            if out.sender_ssrc.is_none() {
                out.sender_ssrc = be32(packet, 4);
            }
            for i in 0..count {
                if out.blocks.len() >= MAX_BLOCKS {
                    break;
                }
                match packet.get(at + 24 * i..at + 24 * (i + 1)).and_then(block) {
                    Some(b) => out.blocks.push(b),
                    None => return Err(RtcpError::Overrun),
                }
            }
        }
        rest = &rest[len..];
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report_block(ssrc: u32, fraction: u8, lost: [u8; 3], jitter: u32) -> Vec<u8> {
        let mut b = ssrc.to_be_bytes().to_vec();
        b.push(fraction);
        b.extend_from_slice(&lost);
        b.extend_from_slice(&100u32.to_be_bytes());
        b.extend_from_slice(&jitter.to_be_bytes());
        b.extend_from_slice(&[0; 8]);
        b
    }

    #[test]
    fn sender_report_with_a_block_then_sdes() {
        let mut p = vec![0x81, 200, 0, 12];
        p.extend_from_slice(&0xaabb_ccddu32.to_be_bytes());
        p.extend_from_slice(&[0; 20]);
        p.extend_from_slice(&report_block(0x1111_2222, 64, [0, 0, 5], 80));
        p.extend_from_slice(&[0x81, 202, 0, 1, 0, 0, 0, 1]);
        let s = parse(&p).expect("rtcp");
        assert_eq!(s.sender_ssrc, Some(0xaabb_ccdd));
        assert_eq!((s.sender_reports, s.receiver_reports), (1, 0));
        assert_eq!(
            s.blocks,
            vec![ReportBlock {
                ssrc: 0x1111_2222,
                fraction_lost: 64,
                cumulative_lost: 5,
                jitter: 80
            }]
        );
    }

    #[test]
    fn receiver_report_negative_loss_and_overruns() {
        let mut p = vec![0x81, 201, 0, 7];
        p.extend_from_slice(&1u32.to_be_bytes());
        p.extend_from_slice(&report_block(2, 0, [0xff, 0xff, 0xfe], 3));
        let s = parse(&p).expect("rtcp");
        assert_eq!(s.receiver_reports, 1);
        assert_eq!(s.blocks[0].cumulative_lost, -2);
        // The length says more than there is.
        assert_eq!(parse(&p[..20]), Err(RtcpError::Overrun));
        // Two blocks announced, room for one.
        let mut two = p.clone();
        two[0] = 0x82;
        assert_eq!(parse(&two), Err(RtcpError::Overrun));
        assert_eq!(parse(&[0x80, 0, 0, 0]), Err(RtcpError::NotRtcp));
    }
}

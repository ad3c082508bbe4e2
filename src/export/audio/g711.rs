//! G.711 (ITU-T, 1972) decoding: µ-law and A-law bytes to 16-bit linear
//! samples, one table of 256 values each, built at compile time from the
//! companding rules (the same values as the classic Sun reference code,
//! sox and Wireshark).

/// µ-law byte -> sample.
pub static ULAW: [i16; 256] = {
    let mut t = [0i16; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = ulaw(i as u8);
        i += 1;
    }
    t
};
/// A-law byte -> sample.
pub static ALAW: [i16; 256] = {
    let mut t = [0i16; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = alaw(i as u8);
        i += 1;
    }
    t
};

/// µ-law: bits inverted; sign, 3-bit segment, 4-bit step; bias 0x84.
const fn ulaw(byte: u8) -> i16 {
    let u = !byte;
    let t = (((u & 0x0f) as i32) << 3) + 0x84;
    let t = t << ((u & 0x70) >> 4);
    (if u & 0x80 != 0 { 0x84 - t } else { t - 0x84 }) as i16
}

/// A-law: even bits inverted; sign, 3-bit segment, 4-bit step.
const fn alaw(byte: u8) -> i16 {
    let a = byte ^ 0x55;
    let mut t = ((a & 0x0f) as i32) << 4;
    let seg = (a & 0x70) >> 4;
    match seg {
        0 => t += 8,
        1 => t += 0x108,
        _ => {
            t += 0x108;
            t <<= seg - 1;
        }
    }
    (if a & 0x80 != 0 { t } else { -t }) as i16
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        // Silence and the extremes of each law.
        assert_eq!(ULAW[0xff], 0);
        assert_eq!(ULAW[0x7f], 0);
        assert_eq!(ULAW[0x00], -32124);
        assert_eq!(ULAW[0x80], 32124);
        assert_eq!(ALAW[0xd5], 8);
        assert_eq!(ALAW[0x55], -8);
        assert_eq!(ALAW[0xaa], 32256);
        assert_eq!(ALAW[0x2a], -32256);
    }
}

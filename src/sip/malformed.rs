/// What is wrong with a message that is still kept and shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Malformed(u16);

impl Malformed {
    pub const NO_HEADER_END: Malformed = Malformed(1);
    pub const NO_CALL_ID: Malformed = Malformed(1 << 1);
    pub const NO_FROM: Malformed = Malformed(1 << 2);
    pub const NO_TO: Malformed = Malformed(1 << 3);
    pub const BAD_CSEQ: Malformed = Malformed(1 << 4);
    pub const NO_VIA: Malformed = Malformed(1 << 5);
    pub const BAD_HEADER_LINE: Malformed = Malformed(1 << 6);
    pub const BAD_CONTENT_LENGTH: Malformed = Malformed(1 << 7);
    pub const BODY_TOO_SHORT: Malformed = Malformed(1 << 8);

    const NAMES: [&'static str; 9] = [
        "headers not ended by a blank line",
        "no Call-ID",
        "no From",
        "no To",
        "missing or bad CSeq",
        "no Via",
        "header line without a colon",
        "bad Content-Length",
        "body shorter than Content-Length",
    ];

    pub fn none() -> Self {
        Malformed(0)
    }
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
    pub fn contains(self, other: Malformed) -> bool {
        self.0 & other.0 == other.0
    }
    pub fn insert(&mut self, other: Malformed) {
        self.0 |= other.0;
    }
    pub fn bits(self) -> u16 {
        self.0
    }
    pub fn from_bits(bits: u16) -> Self {
        Malformed(bits)
    }

    /// Human-readable reasons, in a fixed order.
    pub fn reasons(self) -> impl Iterator<Item = &'static str> {
        Self::NAMES
            .iter()
            .enumerate()
            .filter(move |(i, _)| self.0 & (1 << i) != 0)
            .map(|(_, n)| *n)
    }
}

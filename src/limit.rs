//! What a capture may hold: a message count (`-l`) and a byte budget
//! (`--max-memory`), what happens at them (`-R`), and what they kept out.

/// What a capture may hold (`-l N`, `--max-memory`, `-R`).
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub messages: usize,
    /// Bytes held by the stages (see [`crate::load::Pipeline::memory_bytes`]).
    pub bytes: u64,
    /// Forget the oldest calls instead of ignoring new packets.
    pub rotate: bool,
}

impl Default for Limit {
    /// No limit.
    fn default() -> Self {
        Limit {
            messages: usize::MAX,
            bytes: u64::MAX,
            rotate: false,
        }
    }
}

/// Which limit a capture reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LimitHit {
    Messages(usize),
    Bytes(u64),
}

impl std::fmt::Display for LimitHit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LimitHit::Messages(n) => write!(f, "the message limit (-l {n})"),
            LimitHit::Bytes(b) => write!(f, "the memory budget (--max-memory {})", ByteSize(*b)),
        }
    }
}

/// Bytes as a person writes them: 512M, 6G, 1.5G.
#[derive(Debug, Clone, Copy)]
pub struct ByteSize(pub u64);

impl std::fmt::Display for ByteSize {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        const UNITS: [(u64, &str); 3] = [(1 << 30, "G"), (1 << 20, "M"), (1 << 10, "K")];
        for (size, unit) in UNITS {
            if self.0 >= size {
                let v = self.0 as f64 / size as f64;
                return match v.fract() < 0.05 {
                    true => write!(f, "{}{unit}", v.round() as u64),
                    false => write!(f, "{v:.1}{unit}"),
                };
            }
        }
        write!(f, "{}", self.0)
    }
}

impl std::str::FromStr for ByteSize {
    type Err = String;
    /// `2G`, `512M`, `1.5g`, `800000` (bytes); K, M, G, T are powers of 1024.
    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let (number, unit) = match s.find(|c: char| c.is_ascii_alphabetic()) {
            Some(i) => s.split_at(i),
            None => (s, ""),
        };
        let v: f64 = number
            .trim()
            .parse()
            .map_err(|_| format!("{s:?} is not a size (e.g. 512M, 2G)"))?;
        let scale: u64 = match unit
            .trim_end_matches(['b', 'B', 'i'])
            .to_ascii_uppercase()
            .as_str()
        {
            "" => 1,
            "K" => 1 << 10,
            "M" => 1 << 20,
            "G" => 1 << 30,
            "T" => 1 << 40,
            _ => return Err(format!("unknown unit {unit:?} in {s:?} (use K, M, G or T)")),
        };
        if !(v.is_finite() && v > 0.0) {
            return Err(format!("{s:?} is not a size above zero"));
        }
        Ok(ByteSize((v * scale as f64).min(u64::MAX as f64) as u64))
    }
}

/// What the limits kept out: packets ignored once full, or the oldest
/// calls forgotten (`-R`), and the limit that did it.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct LeftOut {
    pub limit: Option<LimitHit>,
    pub packets_ignored: u64,
    pub calls_forgotten: u64,
}

impl LeftOut {
    /// One line for the status bar and stderr, when anything was left out.
    pub fn line(&self) -> Option<String> {
        let limit = self.limit?;
        Some(match self.calls_forgotten {
            0 => format!(
                "{} packets ignored after {limit} was reached: the oldest calls are kept (-R keeps the newest)",
                self.packets_ignored
            ),
            n => format!("{n} oldest calls forgotten to stay under {limit}"),
        })
    }
}

/// The default byte budget: a quarter of the machine's memory (4 GiB when
/// it cannot be read), so a flood or a huge file cannot take the box down.
pub fn default_memory_budget() -> u64 {
    const FALLBACK: u64 = 4 << 30;
    let info = rustix::system::sysinfo();
    let total = (info.totalram as u64).saturating_mul(u64::from(info.mem_unit.max(1)));
    match total {
        0 => FALLBACK,
        t => t / 4,
    }
}

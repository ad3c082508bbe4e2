//! Timestamps as UTC text. Captures come from servers in any zone; UTC is the
//! one reading everybody can compare with their logs.

use crate::capture::Timestamp;

/// (year, month, day) from days since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + (m <= 2) as i64, m, d)
}

/// `2026-11-23`
pub fn date(ts: Timestamp) -> String {
    let (y, m, d) = civil_from_days((ts.secs() / 86_400) as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

/// `11:02:03.123456`
pub fn clock(ts: Timestamp) -> String {
    let s = ts.secs() % 86_400;
    format!(
        "{:02}:{:02}:{:02}.{:06}",
        s / 3600,
        s / 60 % 60,
        s % 60,
        ts.subsec_micros()
    )
}

/// `2026-11-23 11:02:03.123456`
pub fn date_time(ts: Timestamp) -> String {
    format!("{} {}", date(ts), clock(ts))
}

/// `2026-11-23T11:02:03.123456Z`
pub fn rfc3339(ts: Timestamp) -> String {
    format!("{}T{}Z", date(ts), clock(ts))
}

/// Signed seconds with microseconds: `+0.000544`, `-1.250000`.
pub fn delta(micros: i64) -> String {
    let sign = if micros < 0 { '-' } else { '+' };
    let m = micros.unsigned_abs();
    format!("{sign}{}.{:06}", m / 1_000_000, m % 1_000_000)
}

/// Call length for lists: `0:00:32.250`, hours first.
pub fn duration(micros: i64) -> String {
    let ms = micros.max(0) / 1_000;
    let s = ms / 1_000;
    format!(
        "{}:{:02}:{:02}.{:03}",
        s / 3600,
        s / 60 % 60,
        s % 60,
        ms % 1_000
    )
}

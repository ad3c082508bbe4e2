//! The listening-quality finding: a stream whose G.107 MOS is low, with
//! the inputs that took it down. Only streams long enough to be a measure
//! are judged: a few lost packets in a two-second stream are no verdict.

use super::diagnose::{Finding, Severity};
use super::sources::{Source::*, SourceRef};
use crate::media::mos::{self, Quality};
use crate::media::{MediaTracker, Stream};

/// Below this MOS a stream is worth a warning (users notice).
pub const MOS_WARNING: f64 = 3.6;
/// Below this MOS it is a problem (many users are dissatisfied).
pub const MOS_PROBLEM: f64 = 3.1;
/// A stream is judged with at least this many expected packets...
const MIN_EXPECTED: u64 = 250;
/// ...over at least this long (µs).
const MIN_DURATION_US: i64 = 5_000_000;
/// An impairment worth naming takes at least this many R points.
const NAMED_IMPAIRMENT: f64 = 3.0;

const SOURCES: &[SourceRef] = &[
    SourceRef::at(
        SngrepDumpReading,
        "voice dropouts (4.13 Клиент жалуется на плохую связь, пропадение голоса)",
    ),
    SourceRef::at(Rfc3550, "6.4.1"),
];

/// What pulled a rating down, largest first.
pub fn pulled_down_by(q: &Quality) -> Vec<String> {
    let i = &q.inputs;
    let loss_part = q.ie_eff - i.codec.ie;
    let mut parts: Vec<(f64, String)> = Vec::new();
    if loss_part >= NAMED_IMPAIRMENT {
        parts.push((
            loss_part,
            format!(
                "packet loss {:.1} % (burst ratio {:.1}) takes {loss_part:.0} R points",
                i.loss_percent, i.burst_r
            ),
        ));
    }
    if i.codec.ie >= NAMED_IMPAIRMENT {
        parts.push((
            i.codec.ie,
            format!("the codec ({}) takes {:.0}", i.codec.name, i.codec.ie),
        ));
    }
    if q.id >= NAMED_IMPAIRMENT {
        parts.push((
            q.id,
            format!(
                "jitter up to {:.0} ms (a jitter buffer making the delay about {:.0} ms) takes {:.0}",
                i.max_jitter_ms, i.delay_ms, q.id
            ),
        ));
    }
    parts.sort_by(|a, b| b.0.total_cmp(&a.0));
    parts.into_iter().map(|(_, s)| s).collect()
}

/// Adds the finding for the call's streams rated below [`MOS_WARNING`].
pub fn low_mos(media: &MediaTracker, streams: &[&Stream], out: &mut Vec<Finding>) {
    let mut said = Vec::new();
    let mut why = Vec::new();
    let mut worst = f64::MAX;
    for s in streams.iter().filter(|s| !s.events_only()) {
        if s.seq.expected() < MIN_EXPECTED || s.last.micros_since(s.first) < MIN_DURATION_US {
            continue;
        }
        let Some(q) = mos::of_stream(media, s) else {
            continue;
        };
        if q.mos >= MOS_WARNING {
            continue;
        }
        worst = worst.min(q.mos);
        said.push(format!(
            "{} -> {} MOS {:.2} (R {:.0})",
            s.src, s.dst, q.mos, q.r
        ));
        let down = pulled_down_by(&q);
        if !down.is_empty() {
            why.push(format!("{} -> {}: {}", s.src, s.dst, down.join(", ")));
        }
    }
    if said.is_empty() {
        return;
    }
    out.push(Finding {
        rule: "mos-low",
        severity: if worst < MOS_PROBLEM {
            Severity::Problem
        } else {
            Severity::Warning
        },
        title: format!("Low listening quality: {}", said.join("; ")),
        detail: format!(
            "The ITU-T G.107 E-model rates what a listener hears from the loss, its bursts, the delay a jitter \
             buffer adds and the codec; below {MOS_WARNING} users notice, below {MOS_PROBLEM} many are \
             dissatisfied. {}",
            if why.is_empty() {
                String::new()
            } else {
                format!("Pulled down by: {}.", why.join("; "))
            }
        ),
        check: "Capture at both ends to find where packets are lost or delayed; the phone's link (cable, not \
                Wi-Fi); QoS / DSCP EF for RTP; a lighter codec only hides loss."
            .into(),
        evidence: Vec::new(),
        sources: SOURCES,
    });
}

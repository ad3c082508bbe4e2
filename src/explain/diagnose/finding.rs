//! What a diagnosis says: findings, how much each matters, and the one-word
//! verdict the call list shows.

use crate::explain::sources::SourceRef;
use serde::Serialize;

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The call, the registration or the media failed, for this reason.
    Problem,
    /// Worth a look: a risk, not (yet) a failure.
    Warning,
    /// Harmless, said so the engineer does not chase it.
    Info,
    /// A normal ending or step, said so the engineer can stop looking.
    Normal,
}

impl Severity {
    /// As in JSON and the filter: `problem`, `warning`, `info`, `normal`.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Problem => "problem",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Normal => "normal",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Severity::Problem => "PROBLEM",
            Severity::Warning => "WARNING",
            Severity::Info => "INFO",
            Severity::Normal => "OK",
        }
    }
}

/// One conclusion about a call.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// Stable rule name, for filters and tests.
    pub rule: &'static str,
    pub severity: Severity,
    pub title: String,
    pub detail: String,
    /// What to look at, for the software that answered (empty: nothing).
    pub check: String,
    /// Indices of the messages that show it.
    pub evidence: Vec<u32>,
    #[serde(serialize_with = "crate::explain::sources::serialize_refs")]
    pub sources: &'static [SourceRef],
}

/// A call summed up in one word, for the call list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// The rule of the most serious finding (`no-response`, `codec`,
    /// `completed`, ...), or `ok` when nothing was found.
    pub word: &'static str,
    /// `None` when nothing was found.
    pub severity: Option<Severity>,
}

impl Verdict {
    /// The findings come sorted, most serious first.
    pub fn of(findings: &[Finding]) -> Verdict {
        match findings.first() {
            Some(f) => Verdict {
                word: f.rule,
                severity: Some(f.severity),
            },
            None => Verdict {
                word: "ok",
                severity: None,
            },
        }
    }

    /// A problem or a warning: what `--problems` keeps.
    pub fn needs_a_look(&self) -> bool {
        matches!(self.severity, Some(Severity::Problem | Severity::Warning))
    }
}

/// At most this many findings per call: the heaviest, each once.
pub const MOST_FINDINGS: usize = 6;

/// Folds findings of one rule into the first (its evidence grows, the
/// finding does not repeat), orders them heaviest first and keeps a handful.
/// A call with a problem did not end normally, whatever its last answer.
pub fn settle(mut findings: Vec<Finding>) -> Vec<Finding> {
    let mut out: Vec<Finding> = Vec::with_capacity(findings.len());
    for f in findings.drain(..) {
        match out
            .iter_mut()
            .find(|o| o.rule == f.rule && o.severity == f.severity)
        {
            Some(o) => {
                for e in f.evidence {
                    if !o.evidence.contains(&e) {
                        o.evidence.push(e);
                    }
                }
            }
            None => out.push(f),
        }
    }
    if out.iter().any(|f| f.severity == Severity::Problem) {
        out.retain(|f| f.severity != Severity::Normal);
    }
    for f in &mut out {
        f.evidence.sort_unstable();
    }
    // Stable: within a severity, the order the rules ran (cause before
    // consequence) stays.
    out.sort_by_key(|f| f.severity);
    out.truncate(MOST_FINDINGS);
    out
}

/// A duration for a sentence: `0.07 ms`, `350 ms`, `5.9 s`.
pub fn span(us: i64) -> String {
    let us = us.unsigned_abs();
    match us {
        0..=999 => format!("{:.2} ms", us as f64 / 1e3),
        1_000..=999_999 => format!("{} ms", us / 1_000),
        _ => format!("{:.1} s", us as f64 / 1e6),
    }
}

//! Call diagnosis: rules that read a whole call and name the likely cause of
//! what went wrong, with the messages that show it and what to check, for
//! the software that answered.
//!
//! Every finding is earned by evidence in the capture. Rules read the
//! call's message records and, through [`CallView`], the header facts of
//! the messages they need; what one call cannot tell (did the peer answer
//! anything else, did the callee register) comes from [`CaptureEvidence`],
//! built once per capture. [`settle`] then folds repeats, orders the
//! findings heaviest first and keeps a handful.

mod answers;
mod auth;
mod call_view;
mod dtmf;
mod evidence;
mod finding;
mod forged;
mod guessing;
mod nat;
mod offer;
mod probes;
mod stack;
mod transactions;

pub use call_view::{CallView, Facts, ReadBytes};
pub use evidence::{CaptureEvidence, Registered};
pub use finding::{settle, Finding, Severity, Verdict, MOST_FINDINGS};
pub use guessing::{
    bursts as guessing_bursts, finding as guessing_finding, Burst, DEFENCE as GUESSING_DEFENCE,
};
pub use stack::{fit_text, Stack};

use crate::calls::CallStore;
use crate::media::MediaTracker;

/// A call's diagnosis: the software that answered, and the findings.
#[derive(Debug, Clone)]
pub struct Diagnosis {
    pub stack: Stack,
    pub findings: Vec<Finding>,
}

/// Diagnoses the calls of one capture, sharing the capture-wide evidence.
pub struct Diagnoser<'a> {
    store: &'a CallStore,
    media: Option<&'a MediaTracker>,
    evidence: &'a CaptureEvidence,
    read: ReadBytes<'a>,
}

impl<'a> Diagnoser<'a> {
    /// `evidence` is [`CaptureEvidence::build`] of the same store and media.
    pub fn new(
        store: &'a CallStore,
        media: Option<&'a MediaTracker>,
        evidence: &'a CaptureEvidence,
        read: ReadBytes<'a>,
    ) -> Self {
        Diagnoser {
            store,
            media,
            evidence,
            read,
        }
    }

    /// Everything the rules conclude about one call, heaviest first; the
    /// answering stack is named when a rule needed it for its advice.
    pub fn call(&self, call: u32) -> Diagnosis {
        self.diagnose(call, false)
    }

    /// [`Diagnoser::call`], the answering stack always named (the explain
    /// pane shows it).
    pub fn explain(&self, call: u32) -> Diagnosis {
        self.diagnose(call, true)
    }

    fn diagnose(&self, call: u32, name_stack: bool) -> Diagnosis {
        let Some(v) = CallView::new(self.store, call, self.read) else {
            return Diagnosis {
                stack: Stack::Unknown,
                findings: Vec::new(),
            };
        };
        let ev = self.evidence;
        let stack = stack::LazyStack::new(&v, ev);
        let mut out = Vec::new();
        // Cause before consequence: the order rules run is the order
        // findings of one severity keep.
        probes::probes(&v, &stack, ev, &mut out);
        forged::forged(&v, &stack, &mut out);
        guessing::guessing(&v, &stack, ev, &mut out);
        auth::authentication(&v, &stack, ev, &mut out);
        answers::final_answers(&v, &stack, ev, &mut out);
        transactions::transactions(&v, &stack, ev, &mut out);
        offer::offer_answer(&v, &mut out);
        offer::dtmf_info(&v, &mut out);
        dtmf::dtmf_modes(&v, &mut out);
        // NAT before the media findings it explains (RTP on unannounced
        // addresses, one-way audio).
        nat::nat(&v, &stack, &mut out);
        super::media_checks::media_findings(self.store, self.media, call, &mut out);
        // Events actually sent and refused say more than the offer/answer alone.
        if out.iter().any(|f| f.rule == "dtmf-unaccepted") {
            out.retain(|f| f.rule != "dtmf");
        }
        // A registration's own traps (late refresh, moving Contact) belong to
        // its verdict too; silence and 403 are already read above.
        if self.store.strings.get(v.call.first_method) == "REGISTER" {
            for reg in super::registrations::registrations_in(self.store, [call], self.read) {
                // A last challenge the auth rules read (a retry challenged
                // again) is not also "never retried".
                let auth_read = out.iter().any(|f| f.rule.starts_with("auth-"));
                out.extend(reg.findings.into_iter().filter(|f| {
                    let covered = matches!(
                        f.rule,
                        "register-no-answer" | "register-forbidden" | "auth-guessing"
                    );
                    let retried = auth_read && f.rule == "register-unanswered-challenge";
                    !(covered || retried)
                }));
            }
        }
        // From a scanner, a forger or a guesser, refused credentials and
        // challenges left unanswered are the attack, not a phone's password.
        if out
            .iter()
            .any(|f| matches!(f.rule, "auth-guessing" | "scanner" | "forged"))
        {
            out.retain(|f| {
                !matches!(
                    f.rule,
                    "auth-repeat"
                        | "auth-rejected"
                        | "auth-no-retry"
                        | "register-unanswered-challenge"
                )
            });
        }
        transactions::endings(&v, ev, &mut out);
        // Named when asked or when a rule needed it already: a quiet call in
        // the list does not pay for reading its server's messages.
        let stack = if name_stack {
            stack.get().clone()
        } else {
            stack.known().cloned().unwrap_or(Stack::Unknown)
        };
        Diagnosis {
            stack,
            findings: settle(out),
        }
    }
}

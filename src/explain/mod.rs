//! Stage 5: explain. What a SIP method, response code or reason phrase
//! means, and what is most likely wrong, for an Asterisk/PJSIP deployment.
//!
//! This module is a knowledge base: static tables plus small lookups. It only
//! reads data the earlier stages produce (a method name, a status code, a
//! reason phrase) and never calls up into [`crate::views`]; the views and the
//! explain pane call into it.
//!
//! - [`methods`]: the standard request methods, with a generic text for
//!   extension methods ([`method_or_generic`]).
//! - [`codes`]: every response code sipview knows, with a fallback to the
//!   code's class ([`explain_code`]); 401 and 407 carry two texts, for the
//!   normal first challenge and for a challenge that repeats.
//! - [`reasons`]: provider and switch reason phrases seen in the field
//!   ([`vendor_phrase`]).
//! - [`sources`]: the documents each entry is based on.

pub mod codes;
pub mod diagnose;
pub mod digest;
pub mod headers;
mod media_checks;
pub mod methods;
pub mod mos_check;
pub mod q850;
pub mod reasons;
pub mod registrations;
pub mod sdp;
pub mod sources;

pub use codes::{
    all_codes, code, explain_code, Challenge, ClassInfo, CodeClass, CodeExplanation, CodeInfo,
};
pub use diagnose::{
    fit_text, CaptureEvidence, Diagnoser, Diagnosis, Finding, Severity, Stack, Verdict,
};
pub use methods::{method, method_or_generic, DialogRole, MethodExplanation, MethodInfo};
pub use reasons::{vendor_phrase, PhraseKind, ReasonInfo};
pub use sources::{Basis, Source, SourceRef};

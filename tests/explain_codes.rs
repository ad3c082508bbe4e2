//! The explain knowledge base: methods, response codes, field reason phrases.

use sipview::explain::{
    self, codes, methods, reasons, Basis, CodeClass, CodeExplanation, DialogRole,
    MethodExplanation, PhraseKind, Source, SourceRef,
};

/// Every code in the 1xx-6xx table of seed document 001 (English table and
/// the Russian list), written out so a dropped entry fails loudly.
const SEED_001_CODES: [u16; 73] = [
    100, 180, 181, 182, 183, 199, // 1xx
    200, 202, 204, // 2xx
    300, 301, 302, 305, 380, // 3xx
    400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 420,
    421, 422, 423, 424, 428, 429, 433, 436, 437, 438, 439, 440, 469, 470, 480, 481, 482, 483, 484,
    485, 486, 487, 488, 489, 491, 493, 494, // 4xx
    500, 501, 502, 503, 504, 505, 513, 580, // 5xx
    600, 603, 604, 606, 607, // 6xx
];

/// The RFC 3261 codes (§21); all are in the seed table too, checked anyway.
const RFC_3261_CODES: [u16; 45] = [
    100, 180, 181, 182, 183, 200, 300, 301, 302, 305, 380, 400, 401, 402, 403, 404, 405, 406, 407,
    408, 410, 413, 414, 415, 416, 420, 421, 423, 480, 481, 482, 483, 484, 485, 486, 487, 488, 491,
    493, 500, 501, 502, 503, 504, 505,
];

const METHOD_NAMES: [&str; 14] = [
    "INVITE",
    "ACK",
    "BYE",
    "CANCEL",
    "REGISTER",
    "OPTIONS",
    "SUBSCRIBE",
    "NOTIFY",
    "PUBLISH",
    "INFO",
    "MESSAGE",
    "REFER",
    "PRACK",
    "UPDATE",
];

fn assert_clean(what: &str, text: &str) {
    assert!(!text.trim().is_empty(), "{what}: empty text");
    assert!(
        !text.chars().any(char::is_control),
        "{what}: control character in {text:?}"
    );
    assert_eq!(text, text.trim(), "{what}: stray blanks around {text:?}");
}

fn assert_sources(what: &str, sources: &[SourceRef]) {
    assert!(!sources.is_empty(), "{what}: no source");
    for s in sources {
        assert!(!s.source.short().is_empty(), "{what}: unnamed source");
        assert!(!s.to_string().is_empty(), "{what}: empty source label");
        assert!(!s.section.chars().any(char::is_control), "{what}: {s:?}");
    }
}

#[test]
fn every_seed_table_code_is_present() {
    for c in SEED_001_CODES.iter().chain(RFC_3261_CODES.iter()) {
        let info = explain::code(*c).unwrap_or_else(|| panic!("code {c} missing"));
        assert_eq!(info.code, *c);
        assert!(matches!(
            explain::explain_code(*c),
            CodeExplanation::Known(_)
        ));
    }
    // 430 Flow Failed is folded into 429's row in the seed; it has its own entry.
    assert_eq!(explain::code(430).map(|c| c.reason), Some("Flow Failed"));
}

#[test]
fn code_tables_are_sorted_unique_and_classed() {
    let all: Vec<u16> = explain::all_codes().map(|c| c.code).collect();
    assert!(all.windows(2).all(|w| w[0] < w[1]), "{all:?}");
    assert_eq!(all.len(), SEED_001_CODES.len() + 1);
    for class in [
        CodeClass::Provisional,
        CodeClass::Success,
        CodeClass::Redirection,
        CodeClass::ClientError,
        CodeClass::ServerError,
        CodeClass::GlobalFailure,
    ] {
        assert_eq!(class.info().class, class);
        assert!(class.codes().count() > 0);
        assert!(class.codes().all(|c| CodeClass::of(c.code) == Some(class)));
    }
}

#[test]
fn well_known_reasons() {
    let reason = |c| explain::code(c).map(|i| i.reason);
    assert_eq!(reason(200), Some("OK"));
    assert_eq!(reason(401), Some("Unauthorized"));
    assert_eq!(reason(486), Some("Busy Here"));
    assert_eq!(reason(487), Some("Request Terminated"));
    assert_eq!(reason(488), Some("Not Acceptable Here"));
    assert_eq!(reason(503), Some("Service Unavailable"));
    assert_eq!(reason(603), Some("Decline"));
}

#[test]
fn auth_challenges_have_two_different_texts() {
    for c in [401, 407] {
        let info = explain::code(c).unwrap_or_else(|| panic!("{c} missing"));
        let ch = info
            .challenge
            .unwrap_or_else(|| panic!("{c} has no challenge texts"));
        assert_ne!(ch.first, ch.repeated, "{c}");
        assert!(ch.first.starts_with("Normal"), "{c}: {}", ch.first);
        assert!(ch.repeated.starts_with("A problem"), "{c}: {}", ch.repeated);
        assert_eq!(explain::explain_code(c).challenge(), Some(&ch));
    }
    // Only the challenges carry them.
    let with: Vec<u16> = explain::all_codes()
        .filter(|c| c.challenge.is_some())
        .map(|c| c.code)
        .collect();
    assert_eq!(with, [401, 407]);
    // The fake challenge for unknown endpoints is part of 401's story.
    let info = explain::code(401).map(|i| i.cause).unwrap_or_default();
    assert!(info.contains("matches no endpoint"), "{info}");
}

#[test]
fn unknown_codes_fall_back_to_their_class() {
    let cases = [
        (102, CodeClass::Provisional, "1xx"),
        (299, CodeClass::Success, "2xx"),
        (399, CodeClass::Redirection, "3xx"),
        (499, CodeClass::ClientError, "4xx"),
        (599, CodeClass::ServerError, "5xx"),
        (699, CodeClass::GlobalFailure, "6xx"),
    ];
    for (c, class, range) in cases {
        assert!(explain::code(c).is_none(), "{c} should have no entry");
        let e = explain::explain_code(c);
        match e {
            CodeExplanation::Class { code, class: info } => {
                assert_eq!(code, c);
                assert_eq!(info.class, class);
                assert_eq!(info.range, range);
            }
            other => panic!("{c}: {other:?}"),
        }
        assert_eq!(e.class(), Some(class));
        assert_eq!(e.meaning(), class.info().meaning);
        assert!(
            e.title().starts_with(&format!("{c} ({range}")),
            "{}",
            e.title()
        );
        assert!(e.cause().is_none());
        assert!(e.challenge().is_none());
        assert_sources("class fallback", e.sources());
    }
    for c in [0, 99, 700, 999, u16::MAX] {
        let e = explain::explain_code(c);
        assert_eq!(e, CodeExplanation::OutOfRange { code: c });
        assert_eq!(e.class(), None);
        assert_clean("out of range", e.meaning());
        assert_sources("out of range", e.sources());
    }
}

#[test]
fn known_code_explanation_passes_fields_through() {
    let e = explain::explain_code(488);
    assert_eq!(e.code(), 488);
    assert_eq!(e.title(), "488 Not Acceptable Here");
    let (cause, basis) = e.cause().unwrap_or(("", Basis::General));
    assert!(cause.contains("RFC 1918"), "{cause}");
    assert_eq!(basis, Basis::Documented);
}

#[test]
fn vendor_phrases_match_case_and_blank_insensitively() {
    let cases = [
        (403, "Wrong Guess"),
        (403, "wrong guess"),
        (403, "  WRONG   GUESS \t"),
        (480, "No money left"),
        (480, "NO MONEY LEFT"),
        (488, "Private IP Address"),
        (488, "private ip address"),
        (401, "nonce has changed"),
        (401, "Nonce Has Changed"),
        (401, "AUTH Error: Stall nonce"),
        (499, "Codec Mismatch"),
        (500, "Call placing quota exceeded"),
    ];
    for (c, phrase) in cases {
        let r = explain::vendor_phrase(c, phrase)
            .unwrap_or_else(|| panic!("{c} {phrase:?} not recognised"));
        assert_eq!(r.code, c);
    }
    // The phrase belongs to its code.
    assert!(explain::vendor_phrase(404, "Wrong Guess").is_none());
    assert!(explain::vendor_phrase(403, "Wrong").is_none());
    assert!(explain::vendor_phrase(403, "Wrong Guess again").is_none());
    assert!(explain::vendor_phrase(403, "").is_none());
    // Standard phrases are the codes' business, not field phrases.
    assert!(explain::vendor_phrase(403, "Forbidden").is_none());
    assert!(explain::vendor_phrase(480, "Temporarily Unavailable").is_none());
    // The same words can mean different things under different codes.
    let db480 = explain::vendor_phrase(480, "DB Timeout").map(|r| r.code);
    let db500 = explain::vendor_phrase(500, "db timeout").map(|r| r.code);
    assert_eq!((db480, db500), (Some(480), Some(500)));
    assert_eq!(reasons::phrases_for(403).count(), 12);
}

#[test]
fn vendor_phrases_are_unique_and_sorted() {
    let list = &reasons::REASONS;
    assert!(list.windows(2).all(|w| w[0].code <= w[1].code));
    for (i, a) in list.iter().enumerate() {
        for b in &list[i + 1..] {
            assert!(
                !(a.code == b.code && a.phrase.eq_ignore_ascii_case(b.phrase)),
                "duplicate {} {}",
                a.code,
                a.phrase
            );
        }
        // A variant rewords a standard phrase, so its code has an entry.
        if a.kind == PhraseKind::Variant {
            assert!(explain::code(a.code).is_some(), "{}", a.code);
        }
        // No field phrase repeats its code's standard phrase.
        if let Some(info) = explain::code(a.code) {
            assert!(!info.reason.eq_ignore_ascii_case(a.phrase), "{}", a.phrase);
        }
    }
}

#[test]
fn methods_are_found_in_any_case() {
    for name in METHOD_NAMES {
        let info = explain::method(name).unwrap_or_else(|| panic!("{name} missing"));
        assert_eq!(info.name, name);
        let lower = name.to_ascii_lowercase();
        assert_eq!(explain::method(&lower).map(|m| m.name), Some(name));
        match explain::method_or_generic(&lower) {
            MethodExplanation::Known { info, exact_case } => {
                assert_eq!(info.name, name);
                assert!(!exact_case);
            }
            other => panic!("{lower}: {other:?}"),
        }
        assert!(matches!(
            explain::method_or_generic(name),
            MethodExplanation::Known {
                exact_case: true,
                ..
            }
        ));
    }
    assert_eq!(methods::METHODS.len(), METHOD_NAMES.len());
}

#[test]
fn dialog_roles() {
    let creates = |n| explain::method(n).map(|m| m.creates_dialog());
    assert_eq!(creates("INVITE"), Some(true));
    assert_eq!(creates("SUBSCRIBE"), Some(true));
    assert_eq!(creates("REGISTER"), Some(false));
    assert_eq!(creates("BYE"), Some(false));
    assert_eq!(creates("OPTIONS"), Some(false));
    assert_eq!(
        explain::method("ACK").map(|m| m.dialog),
        Some(DialogRole::InDialog)
    );
    assert_eq!(
        explain::method("CANCEL").map(|m| m.dialog),
        Some(DialogRole::Standalone)
    );
}

#[test]
fn unknown_methods_get_the_generic_text() {
    for name in ["KDMQ", "PING", "FOO", "INVITEX", ""] {
        let e = explain::method_or_generic(name);
        assert_eq!(e, MethodExplanation::Unknown { name });
        assert_eq!(e.summary(), methods::GENERIC_METHOD_SUMMARY);
        assert_eq!(e.explanation(), methods::GENERIC_METHOD_EXPLANATION);
        assert_eq!(e.creates_dialog(), None);
        assert_sources("generic method", e.sources());
    }
    assert!(methods::GENERIC_METHOD_EXPLANATION.contains("KDMQ"));
    assert!(explain::method("KDMQ").is_none());
}

#[test]
fn every_entry_is_sourced_and_clean() {
    for m in &methods::METHODS {
        let what = m.name;
        assert_clean(what, m.name);
        assert_clean(what, m.summary);
        assert_clean(what, m.explanation);
        assert_sources(what, m.sources);
    }
    assert_clean("generic", methods::GENERIC_METHOD_SUMMARY);
    assert_clean("generic", methods::GENERIC_METHOD_EXPLANATION);
    for c in explain::all_codes() {
        let what = format!("{} {}", c.code, c.reason);
        for text in [c.reason, c.meaning, c.cause, c.check] {
            assert_clean(&what, text);
        }
        if let Some(ch) = c.challenge {
            assert_clean(&what, ch.first);
            assert_clean(&what, ch.repeated);
        }
        assert_sources(&what, c.sources);
    }
    for class in &codes::CLASSES {
        for text in [class.range, class.name, class.meaning, class.check] {
            assert_clean(class.range, text);
        }
        assert_sources(class.range, class.sources);
    }
    for r in &reasons::REASONS {
        let what = format!("{} {}", r.code, r.phrase);
        for text in [r.phrase, r.meaning, r.check] {
            assert_clean(&what, text);
        }
        assert_sources(&what, r.sources);
    }
}

#[test]
fn seed_documents_are_cited_and_named() {
    for s in Source::ALL {
        assert!(!s.short().is_empty());
        assert!(!s.location().is_empty(), "{s}");
        assert_eq!(s.is_seed(), s.file().is_some());
        assert_eq!(s.is_seed(), s.rfc_number().is_none(), "{s}");
    }
    assert_eq!(
        Source::PjsipTroubleshooting.short(),
        "Asterisk PJSIP Troubleshooting Guide"
    );
    assert_eq!(
        Source::SngrepDumpReading.file(),
        Some("001_51cfa345e5ab3b3b.txt")
    );
    assert_eq!(Source::Rfc3261.rfc_number(), Some(3261));
    let r = SourceRef::at(Source::Rfc3261, "21.4.2");
    assert_eq!(r.to_string(), "RFC 3261 \u{a7}21.4.2");
    // Each seed document backs at least one entry.
    let cited = |s: Source| {
        explain::all_codes().any(|c| c.sources.iter().any(|r| r.source == s))
            || methods::METHODS
                .iter()
                .any(|m| m.sources.iter().any(|r| r.source == s))
    };
    for s in Source::ALL.iter().filter(|s| s.is_seed()) {
        assert!(cited(*s), "{s} never cited");
    }
}

#[test]
fn the_seeds_facts_on_identification_auth_and_registration_are_in_the_pane() {
    let info = |n: u16| explain::code(n).unwrap_or_else(|| panic!("{n} missing"));
    let has = |n: u16, text: &str, words: &[&str]| {
        for w in words {
            assert!(text.contains(w), "{n}: {w:?} missing from {text:?}");
        }
    };
    let c401 = info(401);
    has(
        401,
        c401.check,
        &[
            "pjsip show identifiers",
            "endpoint_identifier_order",
            "type = endpoint",
            "setvar for set_var",
            "type = identify",
            "no host names",
        ],
    );
    let repeated = c401.challenge.map_or("", |c| c.repeated);
    has(
        401,
        repeated,
        &[
            "auth_type = md5",
            "username:realm:password",
            "32 hex digits",
        ],
    );
    let c403 = info(403);
    has(
        403,
        c403.cause,
        &[
            "max_contacts = 0",
            "contact_acl",
            "'Wrong password'",
            "not registered",
        ],
    );
    has(
        403,
        c403.check,
        &["max_contacts is headroom, not protection"],
    );
    has(
        404,
        info(404).cause,
        &["cause 3, No route to destination", "no aors=", "type = aor"],
    );
    has(
        407,
        info(407).check,
        &["default_realm", "answers any realm"],
    );
    has(480, info(480).cause, &["UNREACHABLE", "DND"]);
}

//! The notes of `../shared/captures/README.md`, one test each: what an
//! experienced engineer reads in real captures nobody here made, held
//! against sipview's diagnosis. The captures are not in the repository; when
//! the folder is absent every test says so on one line and passes.

use sipview::explain::{CaptureEvidence, Diagnoser, Diagnosis, Severity};
use sipview::load::load_file;
use std::path::PathBuf;

fn folder() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/captures")
}

/// Every call of a field capture, diagnosed; `None` (and a line saying so)
/// when the capture is not here.
fn diagnosed(name: &str) -> Option<Vec<(String, Diagnosis)>> {
    let path = folder().join(name);
    if !path.exists() {
        println!(
            "skipped: {} is absent (field captures live outside the repository)",
            path.display()
        );
        return None;
    }
    let capture = load_file(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
    let store = &capture.store;
    let read = |r: &sipview::calls::MessageRecord| store.message_bytes(r, &capture.source).ok();
    let evidence = CaptureEvidence::build(store);
    let d = Diagnoser::new(store, Some(&capture.media), &evidence, &read);
    Some(
        store
            .calls()
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let method = store.strings.get(c.first_method).to_owned();
                (method, d.explain(i as u32))
            })
            .collect(),
    )
}

fn rules(d: &Diagnosis) -> Vec<(&'static str, Severity)> {
    d.findings.iter().map(|f| (f.rule, f.severity)).collect()
}

fn verdict(d: &Diagnosis) -> &'static str {
    d.findings.first().map_or("ok", |f| f.rule)
}

/// Every text of a diagnosis, for "never says" checks.
fn all_text(d: &Diagnosis) -> String {
    d.findings
        .iter()
        .map(|f| format!("{} {} {}", f.title, f.detail, f.check))
        .collect::<Vec<_>>()
        .join("\n")
}

fn no_nat(calls: &[(String, Diagnosis)], name: &str) {
    for (i, (_, d)) in calls.iter().enumerate() {
        assert!(
            !d.findings
                .iter()
                .any(|f| f.rule == "nat" || f.rule == "rtp-address"),
            "{name} call {}: NAT claimed on a LAN: {:?}",
            i + 1,
            rules(d)
        );
    }
}

#[test]
fn routing_error_reads_the_dialplan_not_the_registration() {
    let Some(calls) = diagnosed("sip-routing-error.pcapng") else {
        return;
    };
    assert_eq!(calls.len(), 18);
    no_nat(&calls, "sip-routing-error");
    let of = |method: &str, word: &str| {
        calls
            .iter()
            .filter(|(m, d)| m == method && verdict(d) == word)
            .count()
    };
    assert_eq!(of("REGISTER", "registered"), 2);
    assert_eq!(of("INVITE", "not-found"), 2);
    for (_, d) in calls.iter().filter(|(m, _)| m == "INVITE") {
        let f = &d.findings[0];
        assert_eq!(f.severity, Severity::Problem);
        assert!(
            f.detail
                .contains("with the very server that gave this answer"),
            "{}",
            f.detail
        );
        assert!(f.check.contains("context= in sip.conf"), "{}", f.check);
        assert_eq!(
            d.stack.describe(),
            "Asterisk 11.7.0~dfsg-1ubuntu1 (chan_sip)"
        );
    }
    // 489 Bad Event and "no mailbox": information, no PJSIP modules.
    assert_eq!(
        of("PUBLISH", "event-unsupported") + of("SUBSCRIBE", "event-unsupported"),
        8
    );
    assert_eq!(of("SUBSCRIBE", "event-not-found"), 1);
    // MWI sent to the repro proxy that has no such user: the phone's setting.
    assert_eq!(of("SUBSCRIBE", "event-wrong-server"), 5);
    for (m, d) in &calls {
        assert!(!all_text(d).contains("res_pjsip"), "{m}: {}", all_text(d));
        assert!(!all_text(d).contains("pjsip show"), "{m}: {}", all_text(d));
        if matches!(verdict(d), "event-unsupported" | "event-not-found") {
            assert_eq!(d.findings[0].severity, Severity::Info);
        }
    }
}

#[test]
fn zfone_xlite_one_direction_loses_its_audio_and_nothing_is_nat() {
    let Some(calls) = diagnosed("Asterisk_ZFONE_XLITE.pcap") else {
        return;
    };
    assert_eq!(calls.len(), 5);
    no_nat(&calls, "Asterisk_ZFONE_XLITE");
    let words: Vec<&str> = calls.iter().map(|(_, d)| verdict(d)).collect();
    assert_eq!(
        words,
        [
            "registered",
            "answered",
            "event-not-found",
            "event-not-found",
            "rtp-quality"
        ]
    );
    let invite = &calls[4].1;
    assert_eq!(
        rules(invite),
        [
            ("rtp-quality", Severity::Problem),
            ("mos-low", Severity::Problem)
        ],
        "direct media is configuration, not NAT, and its RTP is there; the lossy direction rates MOS 1"
    );
    assert!(invite.findings[0]
        .title
        .contains("192.168.10.41:64508 -> 192.168.10.40:49848 lost 369 of 574 packets (64.3 %)"));
}

#[test]
fn proxied_call_is_completed_on_three_lanes() {
    let Some(calls) = diagnosed("sip-proxy.pcap") else {
        return;
    };
    assert_eq!(calls.len(), 1);
    assert_eq!(rules(&calls[0].1), [("completed", Severity::Normal)]);
    let ladder = std::process::Command::new(env!("CARGO_BIN_EXE_sipview"))
        .args([
            "-I",
            &folder().join("sip-proxy.pcap").to_string_lossy(),
            "--flow",
            "1",
        ])
        .output()
        .expect("run sipview");
    let text = String::from_utf8_lossy(&ladder.stdout);
    let lanes = text
        .lines()
        .find(|l| l.contains("10.33.6.101:5060"))
        .unwrap_or("");
    for lane in ["10.33.6.101:5060", "10.33.6.102:5080", "10.33.6.100:5060"] {
        assert!(lanes.contains(lane), "{text}");
    }
}

#[test]
fn plain_call_is_completed_without_nat() {
    let Some(calls) = diagnosed("sip_call.pcap") else {
        return;
    };
    assert_eq!(rules(&calls[0].1), [("completed", Severity::Normal)]);
}

#[test]
fn codec_reject_names_the_unusable_offer_and_the_scanner() {
    let Some(calls) = diagnosed("sip-488-codec-reject.pcapng") else {
        return;
    };
    let words: Vec<&str> = calls.iter().map(|(_, d)| verdict(d)).collect();
    assert_eq!(words, ["answered", "answered", "scanner", "unusable-offer"]);
    let scanner = &calls[2].1.findings[0];
    assert_eq!(scanner.severity, Severity::Warning);
    assert!(
        scanner.title.contains("176.9.39.206:5010"),
        "{}",
        scanner.title
    );
    assert!(
        scanner.title.contains("answered 200 OK"),
        "{}",
        scanner.title
    );
    let offer = &calls[3].1.findings[0];
    assert_eq!(offer.severity, Severity::Problem);
    assert!(
        offer.title.contains("m=audio 0, c=0.0.0.0, a=inactive"),
        "{}",
        offer.title
    );
    assert!(!all_text(&calls[3].1).contains("No common codec"));
}

#[test]
fn g711_capture_is_quiet_where_all_is_well() {
    let Some(calls) = diagnosed("SIP_CALL_RTP_G711.pcap") else {
        return;
    };
    let words: Vec<&str> = calls.iter().map(|(_, d)| verdict(d)).collect();
    assert_eq!(words, ["in-call", "register-late", "registered", "ringing"]);
    // 20.3 s after a 20 s grant: said, but as information.
    assert_eq!(
        rules(&calls[1].1),
        [
            ("register-late", Severity::Info),
            ("registered", Severity::Normal)
        ]
    );
    for (_, d) in &calls {
        assert!(
            d.findings.iter().all(|f| f.severity >= Severity::Info),
            "{:?}",
            rules(d)
        );
    }
}

#[test]
fn sipp_branch_counts_every_invite_transaction() {
    let Some(calls) = diagnosed("sipp-branch-scenario.pcapng") else {
        return;
    };
    assert_eq!(calls.len(), 1334);
    let count = |word: &str| calls.iter().filter(|(_, d)| verdict(d) == word).count();
    let has = |rule: &str| {
        calls
            .iter()
            .filter(|(_, d)| d.findings.iter().any(|f| f.rule == rule))
            .count()
    };
    assert_eq!(count("forbidden"), 1148);
    assert_eq!(has("no-ack-final"), 1148, "every 403 went un-ACKed");
    assert_eq!(
        has("bye-outside-dialog"),
        1027,
        "then a BYE answered 200 instead of 481"
    );
    assert_eq!(count("completed"), 96);
    assert_eq!(count("in-call"), 5);
    assert_eq!(count("no-ack"), 1);
    assert_eq!(count("bye-not-cancel"), 12);
    assert_eq!(count("no-response") + count("ringing"), 72);
    for (_, d) in calls.iter().filter(|(_, d)| verdict(d) == "forbidden") {
        assert!(
            !all_text(d).contains("regist"),
            "a 403 to an INVITE: no registration advice"
        );
    }
    for (_, d) in calls.iter().filter(|(_, d)| verdict(d) == "no-response") {
        let f = &d.findings[0];
        assert!(
            f.detail
                .contains("A firewall or a fail2ban ban is the wrong lead here."),
            "{}",
            f.detail
        );
    }
}

#[test]
fn pppoe_capture_shows_its_call_and_the_info_digits() {
    let Some(calls) = diagnosed("DTMFsipinfo.pcap") else {
        return;
    };
    assert_eq!(calls.len(), 1, "read through Ethernet + PPPoE + PPP");
    let d = &calls[0].1;
    assert_eq!(
        rules(d),
        [
            ("dtmf-info", Severity::Info),
            ("dtmf-mode-mismatch", Severity::Info),
            ("in-call", Severity::Normal)
        ],
        "a forking proxy's CANCELs and extra 200s, and the session refreshes, are no fault"
    );
    assert!(
        d.findings[0]
            .title
            .starts_with("DTMF 1342 sent as SIP INFO"),
        "{}",
        d.findings[0].title
    );
    let capture = load_file(&folder().join("DTMFsipinfo.pcap")).expect("loads");
    assert_eq!(capture.store.messages().len(), 32);
}

#[test]
fn the_probe_is_named_with_its_defence_and_nothing_else_is_an_attack() {
    let Some(calls) = diagnosed("sip-488-codec-reject.pcapng") else {
        return;
    };
    let scanner = &calls[2].1.findings[0];
    assert!(
        scanner.detail.contains("From user \"ping\""),
        "{}",
        scanner.detail
    );
    assert!(scanner.check.contains("fail2ban"), "{}", scanner.check);
    assert!(
        scanner.check.contains("alwaysauthreject"),
        "{}",
        scanner.check
    );
    // Normal traffic of every field capture: no forgery, no guessing (a
    // LAN REGISTER answering its 401 is not a guess).
    for name in [
        "sip-488-codec-reject.pcapng",
        "sip-routing-error.pcapng",
        "Asterisk_ZFONE_XLITE.pcap",
        "SIP_CALL_RTP_G711.pcap",
        "sip-proxy.pcap",
        "sip_call.pcap",
        "DTMFsipinfo.pcap",
        "sipp-branch-scenario.pcapng",
    ] {
        let Some(calls) = diagnosed(name) else {
            return;
        };
        for (_, d) in &calls {
            assert!(
                d.findings
                    .iter()
                    .all(|f| f.rule != "forged" && f.rule != "auth-guessing"),
                "{name}: {:?}",
                rules(d)
            );
        }
    }
}

#[test]
fn registrations_are_filed_by_address_of_record() {
    let expect: [(&str, &[(&str, usize)]); 4] = [
        ("Asterisk_ZFONE_XLITE.pcap", &[("10009@192.168.10.2", 2)]),
        (
            "SIP_CALL_RTP_G711.pcap",
            &[("Ivan@Verso.com", 2), ("francisco@bestel.com", 1)],
        ),
        (
            "sip-routing-error.pcapng",
            &[
                ("telephone1@172.16.98.101", 2),
                ("telephone2@172.16.98.101", 2),
            ],
        ),
        // One AoR refreshed on 1,334 Call-IDs: one timeline.
        ("sipp-branch-scenario.pcapng", &[("ua1@nnl.cym:5061", 1334)]),
    ];
    for (name, aors) in expect {
        let path = folder().join(name);
        if !path.exists() {
            println!("skipped: {} is absent", path.display());
            return;
        }
        let capture = load_file(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let store = &capture.store;
        let read = |r: &sipview::calls::MessageRecord| store.message_bytes(r, &capture.source).ok();
        let regs = sipview::explain::registrations::registrations(store, &read);
        let got: Vec<(&str, usize)> = regs
            .iter()
            .map(|r| (r.aor.as_str(), r.attempts.len()))
            .collect();
        assert_eq!(got, aors, "{name}");
    }
}

//! Call diagnosis on real captures: each rule names its cause and its evidence.

mod common;

fn diagnosis(file: &str, call: &str) -> Vec<serde_json::Value> {
    let out = common::sipview_ok(&[
        "-I",
        &format!("samples/{file}"),
        "--explain",
        call,
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    v["diagnosis"].as_array().cloned().unwrap_or_default()
}

fn rules(findings: &[serde_json::Value]) -> Vec<(&str, &str)> {
    findings
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or(""),
                f["severity"].as_str().unwrap_or(""),
            )
        })
        .collect()
}

#[test]
fn request_never_answered() {
    let d = diagnosis("udp-no-answer.pcap", "noanswer-1@sipview.test");
    assert_eq!(rules(&d), [("no-response", "problem")]);
    assert_eq!(
        d[0]["title"],
        "INVITE sent 5 times to 127.0.0.1:6060 and never answered"
    );
    assert_eq!(d[0]["evidence"].as_array().map(Vec::len), Some(5));
    assert!(d[0]["detail"].as_str().unwrap_or("").contains("fail2ban"));
    assert!(d[0]["sources"][0]
        .as_str()
        .unwrap_or("")
        .contains("seed 001"));
}

#[test]
fn ok_resent_without_ack() {
    let d = diagnosis("udp-no-answer.pcap", "noack-1@sipview.test");
    assert_eq!(rules(&d), [("no-ack", "problem")]);
    assert!(d[0]["detail"]
        .as_str()
        .unwrap_or("")
        .starts_with("The answer was resent 3 times and no ACK came back."));
}

#[test]
fn normal_endings_are_named_not_flagged() {
    let expect = [
        ("udp-call-1@sipview.test", ("completed", "normal")),
        ("udp-busy-1@sipview.test", ("busy", "normal")),
        ("udp-cancel-1@sipview.test", ("cancelled", "normal")),
    ];
    for (call, rule) in expect {
        assert_eq!(
            rules(&diagnosis("udp-invite-mix.pcap", call)),
            [rule],
            "{call}"
        );
    }
    // A single challenge answered with credentials is not a problem.
    let auth = diagnosis("udp-register-auth.pcap", "1");
    assert!(auth.iter().all(|f| f["severity"] != "problem"), "{auth:?}");
}

#[test]
fn diagnosis_comes_first_in_text() {
    let text = common::sipview_ok(&["-I", "samples/udp-no-answer.pcap", "--explain", "1"]);
    assert!(
        text.starts_with("Diagnosis\n  [PROBLEM] INVITE sent 5 times"),
        "{text}"
    );
    assert!(text.contains("    Seen in: #1, #2, #3, #4, #5\n"));
}

/// (sample, call index, rule, severity, a phrase of the title)
const RULES: &[(&str, &str, &str, &str, &str)] = &[
    (
        "diag-auth-repeat.pcap",
        "1",
        "auth-repeat",
        "problem",
        "challenged again",
    ),
    (
        "diag-auth-rejected.pcap",
        "1",
        "auth-rejected",
        "problem",
        "REGISTER refused with 403",
    ),
    (
        "diag-auth-rejected.pcap",
        "2",
        "auth-rejected",
        "problem",
        "INVITE refused with 403",
    ),
    (
        "diag-register-max-contacts.pcap",
        "2",
        "auth-rejected",
        "problem",
        "REGISTER refused with 403",
    ),
    (
        "diag-not-found.pcap",
        "1",
        "not-found",
        "problem",
        "404 Not Found",
    ),
    (
        "diag-not-found.pcap",
        "2",
        "not-found",
        "problem",
        "484 Address Incomplete",
    ),
    (
        "diag-codec.pcap",
        "1",
        "codec",
        "problem",
        "488 Not Acceptable Here",
    ),
    (
        "diag-codec.pcap",
        "2",
        "codec",
        "problem",
        "No common codec: offered PCMU, answered G729",
    ),
    (
        "diag-hangupcause.pcap",
        "1",
        "hangup-cause",
        "problem",
        "hangup cause 34: Normal Circuit Congestion",
    ),
    (
        "diag-timeouts.pcap",
        "1",
        "timeout",
        "problem",
        "408 Request Timeout",
    ),
    (
        "diag-timeouts.pcap",
        "2",
        "too-many-hops",
        "problem",
        "483 Too Many Hops",
    ),
    (
        "diag-timeouts.pcap",
        "3",
        "loop",
        "problem",
        "482 Loop Detected",
    ),
    (
        "diag-timeouts.pcap",
        "4",
        "session-timer",
        "problem",
        "422 Session Interval Too Small",
    ),
    (
        "diag-timeouts.pcap",
        "5",
        "no-dialog",
        "problem",
        "481 Call/Transaction Does Not Exist",
    ),
    (
        "diag-no-ack.pcap",
        "1",
        "no-ack",
        "problem",
        "200 OK resent without an ACK",
    ),
    (
        "diag-nat.pcap",
        "1",
        "nat",
        "warning",
        "Contact 192.168.1.50, Via 192.168.1.50, SDP c= 192.168.1.50",
    ),
    (
        "diag-dtmf.pcap",
        "1",
        "dtmf",
        "warning",
        "telephone-event offered but not answered",
    ),
];

#[test]
fn every_rule_fires_on_its_sample() {
    let mut failures = Vec::new();
    for &(file, call, rule, severity, phrase) in RULES {
        let d = diagnosis(file, call);
        let hit = d
            .iter()
            .find(|f| f["rule"] == rule && f["severity"] == severity);
        match hit {
            Some(f) if f["title"].as_str().unwrap_or("").contains(phrase) => {
                assert!(
                    !f["evidence"].as_array().is_none_or(Vec::is_empty),
                    "{file}: no evidence"
                );
                assert!(
                    !f["sources"].as_array().is_none_or(Vec::is_empty),
                    "{file}: no source"
                );
            }
            _ => failures.push(format!(
                "{file} call {call}: no {rule}/{severity} with {phrase:?} in {d:?}"
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_failed_call_is_not_also_called_completed() {
    let d = diagnosis("diag-no-ack.pcap", "1");
    assert_eq!(rules(&d), [("no-ack", "problem")]);
    let detail = d[0]["detail"].as_str().unwrap_or("");
    assert!(
        detail.contains("The BYE 3"),
        "the BYE about 32 s after the answer: {detail}"
    );
}

#[test]
fn key_explain_lines_for_the_rules() {
    let repeat = common::sipview_ok(&["-I", "samples/diag-auth-repeat.pcap", "--explain", "1"]);
    assert!(repeat.contains("Suspect endpoint identification before the password."));
    assert!(repeat
        .contains("A problem: the request came back with credentials and was challenged again"));
    let nat = common::sipview_ok(&["-I", "samples/diag-nat.pcap", "--explain", "1"]);
    assert!(nat.contains("force_rport, rewrite_contact and rtp_symmetric"));
    assert!(nat.contains("pjsip-troubleshooting (seed 000): ARGH! NAT!"));
    let cause = common::sipview_ok(&["-I", "samples/diag-hangupcause.pcap", "--explain", "1"]);
    assert!(cause.contains("cause 34 (Normal Circuit Congestion)"));
}

#[test]
fn credentials_are_checked_against_the_challenge() {
    // The sample's caller authenticates as "bob" while its From user is
    // "alice": the call succeeds, but Asterisk would identify it by "alice".
    let d = diagnosis("udp-invite-mix.pcap", "udp-auth-1@sipview.test");
    assert_eq!(
        rules(&d),
        [("auth-check", "warning"), ("completed", "normal")]
    );
    assert_eq!(
        d[0]["detail"],
        "Comparing the challenge with the request sent after it: username \"bob\" differs from the From user \"alice\" (Asterisk identifies the endpoint by the From user)."
    );
    assert_eq!(d[0]["evidence"].as_array().map(Vec::len), Some(2));
}

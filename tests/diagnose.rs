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
        ("udp-auth-1@sipview.test", ("completed", "normal")),
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

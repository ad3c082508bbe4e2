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
        .contains("Reading SIP dumps with sngrep"));
}

#[test]
fn ok_resent_without_ack() {
    let d = diagnosis("udp-no-answer.pcap", "noack-1@sipview.test");
    assert_eq!(rules(&d), [("no-ack", "problem")]);
    let detail = d[0]["detail"].as_str().unwrap_or("");
    assert!(
        detail.starts_with(
            "The caller never sent the ACK for this 200 (over UDP); the answer was resent 3 times."
        ),
        "{detail}"
    );
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
    // A single challenge answered with credentials is a normal step: the
    // call completed, the registration went through, nothing else is said.
    assert_eq!(
        rules(&diagnosis("udp-invite-mix.pcap", "udp-auth-1@sipview.test")),
        [("completed", "normal")]
    );
    assert_eq!(
        rules(&diagnosis("udp-register-auth.pcap", "1")),
        [("registered", "normal")]
    );
}

#[test]
fn diagnosis_comes_first_in_text() {
    let text = common::sipview_ok(&["-I", "samples/udp-no-answer.pcap", "--explain", "1"]);
    assert!(
        text.starts_with("Diagnosis\n  Answering side: sipview-samples sipp-uas\n  [PROBLEM] INVITE sent 5 times"),
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
        "warning",
        "OPTIONS answered 483 Too Many Hops",
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
        "warning",
        "BYE answered 481 Call/Transaction Does Not Exist",
    ),
    (
        "diag-no-ack.pcap",
        "1",
        "no-ack",
        "problem",
        "200 OK to the INVITE never ACKed",
    ),
    // On loopback only the server's received= proves NAT.
    (
        "diag-nat.pcap",
        "1",
        "nat",
        "warning",
        "The caller is behind NAT: it writes Via 192.168.1.50, its packets come from 127.0.0.1:5117",
    ),
    (
        "diag-nat-proven.pcap",
        "2",
        "nat",
        "warning",
        "The caller is behind NAT: it writes Via 192.168.1.50, Contact 192.168.1.50, SDP 192.168.1.50:4000, its packets come from 203.0.113.7:40123",
    ),
    (
        "diag-auth-chan-sip.pcap",
        "1",
        "auth-rejected",
        "problem",
        "REGISTER refused with 403 after its digest challenge",
    ),
    (
        "diag-auth-pjsip.pcap",
        "1",
        "auth-repeat",
        "problem",
        "REGISTER challenged again after it was resent with credentials",
    ),
    (
        "diag-auth-stale.pcap",
        "1",
        "auth-stale",
        "info",
        "REGISTER answered its challenge 17.2 s late: the nonce had expired",
    ),
    (
        "diag-rtp-stops.pcap",
        "1",
        "one-way-audio",
        "problem",
        "RTP from the callee stopped 12.0 s before the caller's",
    ),
    (
        "diag-no-ack-tcp.pcap",
        "1",
        "no-ack",
        "problem",
        "200 OK to the INVITE never ACKed",
    ),
    (
        "diag-invite-faults.pcap",
        "2",
        "no-response",
        "problem",
        "INVITE sent 5 times to 10.4.0.1:5060 and never answered",
    ),
    (
        "diag-invite-faults.pcap",
        "3",
        "bye-not-cancel",
        "problem",
        "BYE sent while the INVITE was still unanswered: CANCEL was due",
    ),
    (
        "diag-invite-faults.pcap",
        "4",
        "forbidden",
        "problem",
        "INVITE refused with 403 Forbidden",
    ),
    (
        "diag-invite-faults.pcap",
        "4",
        "no-ack-final",
        "warning",
        "403 Forbidden never ACKed",
    ),
    (
        "diag-invite-faults.pcap",
        "4",
        "bye-outside-dialog",
        "warning",
        "BYE sent although the INVITE was refused, and answered 200",
    ),
    (
        "diag-invite-faults.pcap",
        "5",
        "refused",
        "problem",
        "INVITE answered 603 Decline 12 ms after it was sent, without ringing",
    ),
    (
        "diag-invite-faults.pcap",
        "6",
        "unavailable",
        "problem",
        "INVITE answered 480 Temporarily Unavailable",
    ),
    (
        "diag-invite-faults.pcap",
        "8",
        "codec",
        "problem",
        "INVITE answered 488 Not Acceptable Here",
    ),
    (
        "diag-invite-faults.pcap",
        "9",
        "scanner",
        "warning",
        "Unsolicited OPTIONS from the internet (203.0.113.66:5071), answered 404 Not Found",
    ),
    (
        "diag-scanner-sweep.pcap",
        "2",
        "scanner",
        "warning",
        "Unsolicited INVITE from the internet (203.0.113.66:5070), answered 401 Unauthorized",
    ),
    (
        "diag-password-guessing.pcap",
        "2",
        "auth-guessing",
        "warning",
        "Password guessing from 203.0.113.99: 8 REGISTERs refused in",
    ),
    (
        "diag-forged-invite.pcap",
        "1",
        "forged",
        "warning",
        "Forged INVITE from 203.0.113.150:5060, answered 180 Ringing",
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
    // sipp names no server: the advice stays plain SIP.
    let repeat = common::sipview_ok(&["-I", "samples/diag-auth-repeat.pcap", "--explain", "1"]);
    assert!(
        repeat.contains("Check: The server did not accept the credentials"),
        "{repeat}"
    );
    assert!(!repeat.contains("pjsip show"), "{repeat}");
    assert!(repeat
        .contains("A problem: the request came back with credentials and was challenged again"));
    let nat = common::sipview_ok(&["-I", "samples/diag-nat-proven.pcap", "--explain", "1"]);
    assert!(
        nat.contains("Answering side: Asterisk 18.20.0 (chan_pjsip)"),
        "{nat}"
    );
    assert!(nat.contains("force_rport=yes"), "{nat}");
    assert!(nat.contains("rewrite_contact=yes"));
    assert!(nat.contains("rtp_symmetric=yes"));
    assert!(nat.contains("Asterisk PJSIP Troubleshooting Guide: ARGH! NAT!"));
    let cause = common::sipview_ok(&["-I", "samples/diag-hangupcause.pcap", "--explain", "1"]);
    assert!(
        cause.contains("cause 34 (no circuit/channel available)"),
        "{cause}"
    );
}

#[test]
fn advice_follows_the_server_that_answered() {
    let chan_sip = common::sipview_ok(&["-I", "samples/diag-auth-chan-sip.pcap", "--explain", "1"]);
    assert!(
        chan_sip.contains("Answering side: Asterisk 11.25.3 (chan_sip)"),
        "{chan_sip}"
    );
    assert!(chan_sip
        .contains("chan_sip answers 403 to a wrong password: its log says 'Wrong password'"));
    // No chan_pjsip advice anywhere (only the guides' titles may name it).
    let advice: String = chan_sip
        .lines()
        .filter(|l| !l.trim_start().starts_with("Read more:"))
        .collect();
    for word in ["pjsip", "max_contacts", "res_pjsip", "rewrite_contact"] {
        assert!(!advice.contains(word), "{word} in {chan_sip}");
    }
    let pjsip = common::sipview_ok(&["-I", "samples/diag-auth-pjsip.pcap", "--explain", "1"]);
    assert!(
        pjsip.contains("Answering side: Asterisk 18.20.0 (chan_pjsip)"),
        "{pjsip}"
    );
    assert!(pjsip.contains("chan_pjsip answers a wrong password, and a request from an endpoint it cannot identify, with another 401"));
    assert!(pjsip.contains("pjsip show endpoint"));
    // Nothing repeats: one finding for the challenge that came back.
    let d = diagnosis("diag-auth-pjsip.pcap", "1");
    assert_eq!(rules(&d), [("auth-repeat", "problem")], "{d:?}");
}

#[test]
fn a_stale_nonce_is_not_a_wrong_password() {
    let d = diagnosis("diag-auth-stale.pcap", "1");
    assert_eq!(
        rules(&d),
        [("auth-stale", "info"), ("registered", "normal")],
        "{d:?}"
    );
    let detail = d[0]["detail"].as_str().unwrap_or("");
    assert!(
        detail.contains("The server said so: 401 nonce has changed."),
        "{detail}"
    );
    assert!(detail.contains("This is not a wrong password; a later attempt went through."));
}

#[test]
fn relayed_and_direct_media_calls_are_not_nat_and_have_their_rtp() {
    assert_eq!(
        rules(&diagnosis("diag-proxy-relay.pcap", "1")),
        [("completed", "normal")]
    );
    // A B2BUA's legs both own the media the re-INVITEs moved between the
    // phones: no "no RTP" on either.
    for leg in ["1", "2"] {
        assert_eq!(
            rules(&diagnosis("diag-direct-media.pcap", leg)),
            [("completed", "normal")],
            "leg {leg}"
        );
    }
}

#[test]
fn answers_are_read_with_their_values() {
    let absent = diagnosis("diag-invite-faults.pcap", "6");
    let detail = absent[0]["detail"].as_str().unwrap_or("");
    assert!(
        detail.contains("Reason: Q.850 cause 20 (subscriber absent)"),
        "{detail}"
    );
    assert!(
        detail.contains("carol registered only 3.0 s after this answer"),
        "{detail}"
    );
    let codec = diagnosis("diag-invite-faults.pcap", "8");
    let detail = codec[0]["detail"].as_str().unwrap_or("");
    assert!(
        detail.contains("(audio G729 at 10.4.0.11:8002)"),
        "{detail}"
    );
    assert!(
        detail.contains("Warning 305 (incompatible media format) \"Incompatible media format\".")
    );
    let silent = diagnosis("diag-invite-faults.pcap", "2");
    let detail = silent[0]["detail"].as_str().unwrap_or("");
    assert!(detail.contains("so the path works both ways"), "{detail}");
    assert!(detail.contains("A firewall or a fail2ban ban is the wrong lead here."));
}

fn text<'a>(f: &'a serde_json::Value, key: &str) -> &'a str {
    f[key].as_str().unwrap_or("")
}

#[test]
fn a_scanner_sweep_is_named_with_its_width_and_defence() {
    for call in ["1", "2", "3", "4"] {
        let d = diagnosis("diag-scanner-sweep.pcap", call);
        // The 401 to a scanner is the defence working, not a phone's
        // missing password.
        assert_eq!(rules(&d)[0], ("scanner", "warning"), "{call}: {d:?}");
        assert!(
            d.iter().all(|f| !text(f, "rule").starts_with("auth-")),
            "{d:?}"
        );
        let f = &d[0];
        assert!(
            text(f, "detail").contains("User-Agent \"friendly-scanner\""),
            "{}",
            text(f, "detail")
        );
        assert!(
            text(f, "detail").contains(
                "one of 4 requests this address sent in 123 ms (OPTIONS x1, INVITE x3) to 3 different"
            ),
            "{}",
            text(f, "detail")
        );
        // chan_sip answered: its own settings.
        assert!(text(f, "check").starts_with("alwaysauthreject=yes and allowguest=no"));
        assert!(text(f, "check").contains("fail2ban"));
    }
}

#[test]
fn password_guessing_is_read_from_the_pace_not_the_user_agent() {
    let lan = diagnosis("diag-password-guessing.pcap", "1");
    assert!(
        lan.iter().all(|f| text(f, "severity") == "normal"),
        "a LAN phone answering its 401 is normal: {lan:?}"
    );
    for (call, evidence) in [("2", 8), ("3", 4), ("4", 4)] {
        let d = diagnosis("diag-password-guessing.pcap", call);
        assert_eq!(rules(&d), [("auth-guessing", "warning")], "{call}: {d:?}");
        let f = &d[0];
        assert_eq!(
            f["evidence"].as_array().map(Vec::len),
            Some(evidence),
            "{call}"
        );
        let detail = text(f, "detail");
        assert!(
            detail.contains("REGISTERs for 3 users (\"1154\", \"1155\", \"1156\") and was challenged or refused 8 times"),
            "{detail}"
        );
        assert!(detail.contains("5 of them answered retries"), "{detail}");
        assert!(detail.contains("None got through"), "{detail}");
        // PJSIP answered: the fake 401, fail2ban, identify / acl.
        let check = text(f, "check");
        for word in ["fail2ban", "fake 401", "identify", "acl"] {
            assert!(check.contains(word), "{word}: {check}");
        }
        assert!(f["sources"][0]
            .as_str()
            .unwrap_or("")
            .contains("Authentication is failing"));
    }
}

#[test]
fn a_forged_invite_is_not_nat() {
    let d = diagnosis("diag-forged-invite.pcap", "1");
    assert_eq!(rules(&d), [("forged", "warning"), ("ringing", "normal")]);
    let f = &d[0];
    assert_eq!(f["evidence"], serde_json::json!([0, 2]));
    let detail = text(f, "detail");
    for mark in [
        "a Via without a branch",
        "a From without a tag",
        "request-URI \"sip:@127.0.0.1\" with an empty user",
        "Contact \"sip:127.0.0.1\" on loopback",
        "a Via naming the receiver 10.6.0.40",
    ] {
        assert!(detail.contains(mark), "{mark}: {detail}");
    }
    assert!(detail.contains("say nothing about NAT"), "{detail}");
    assert!(detail.contains("a phone rang for it"), "{detail}");
    assert!(text(f, "check").contains("fail2ban"));
}

#[test]
fn rtp_that_stops_names_the_pbx_timer_too() {
    let d = diagnosis("diag-rtp-stops.pcap", "1");
    let f = d
        .iter()
        .find(|f| f["rule"] == "one-way-audio")
        .expect("one-way-audio");
    let check = text(f, "check");
    assert!(
        check.contains("rtp_timeout (rtp_timeout_hold while on hold)"),
        "{check}"
    );
    assert!(check.contains("rtptimeout= in chan_sip"), "{check}");
}

#[test]
fn a_guess_that_got_through_is_a_problem() {
    let d = diagnosis("diag-password-guessed.pcap", "1");
    assert_eq!(rules(&d), [("auth-guessing", "problem")], "{d:?}");
    let f = &d[0];
    assert_eq!(
        text(f, "title"),
        "Password guessing from 203.0.113.99: 4 REGISTERs refused in 46 ms, then user \"1154\" accepted"
    );
    assert!(
        text(f, "detail").contains("Change it"),
        "{}",
        text(f, "detail")
    );
    // Every REGISTER and answer of the burst, the accepted one included.
    assert_eq!(
        f["evidence"],
        serde_json::json!([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    );
}

//! `--registrations`: the REGISTER timeline of each address of record and
//! the registration traps, on real sipp captures.

mod common;

fn aors(file: &str) -> Vec<serde_json::Value> {
    let text = common::sipview_ok(&[
        "-I",
        &format!("samples/{file}"),
        "--registrations",
        "--format",
        "json",
    ]);
    serde_json::from_str(&text).expect("json array")
}

fn rules(aor: &serde_json::Value) -> Vec<(String, String)> {
    aor["findings"]
        .as_array()
        .map(|f| {
            f.iter()
                .map(|f| {
                    (
                        f["rule"].as_str().unwrap_or("").to_owned(),
                        f["severity"].as_str().unwrap_or("").to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn challenge_then_binding_per_aor() {
    let aors = aors("udp-register-auth.pcap");
    let names: Vec<&str> = aors
        .iter()
        .map(|a| a["aor"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        names,
        [
            "alice@sipview.test",
            "bob@sipview.test",
            "carol@sipview.test"
        ]
    );
    for a in &aors {
        let regs = a["registers"].as_array().expect("registers");
        let answers: Vec<Option<u64>> = regs.iter().map(|r| r["code"].as_u64()).collect();
        assert_eq!(answers, [Some(401), Some(200)]);
        assert_eq!(regs[1]["expires_asked"], 3600);
        assert_eq!(regs[1]["expires_granted"], 3600);
        assert!(rules(a).is_empty(), "a challenge answered is normal: {a}");
    }
}

#[test]
fn second_phone_refused_by_max_contacts() {
    let aors = aors("diag-register-max-contacts.pcap");
    assert_eq!(aors.len(), 1, "both phones register one AoR");
    let a = &aors[0];
    assert_eq!(a["call_ids"].as_array().map(Vec::len), Some(2));
    let regs = a["registers"].as_array().expect("registers");
    assert_eq!(regs.len(), 4);
    assert_eq!(regs[2]["source_changed"], true);
    assert_eq!(regs[3]["code"], 403);
    assert_eq!(
        rules(a),
        [("register-forbidden".to_owned(), "problem".to_owned())]
    );
    let text = common::sipview_ok(&[
        "-I",
        "samples/diag-register-max-contacts.pcap",
        "--registrations",
    ]);
    assert!(
        text.starts_with("AoR alice@sipview.test  (4 REGISTER,"),
        "{text}"
    );
    assert!(text.contains("403 Forbidden"));
    assert!(text.contains("Read more: Asterisk PJSIP Troubleshooting Guide: Inbound Registrations; PJSIP mis-configuration can cause loss of SIP registrations"));
}

#[test]
fn capture_without_register_says_so() {
    let text = common::sipview_ok(&["-I", "samples/diag-codec.pcap", "--registrations"]);
    assert_eq!(text, "No REGISTER in this capture.\n");
}

#[test]
fn timeline_flags_late_refresh_moving_contact_and_silence() {
    let aors = aors("diag-register-timeline.pcap");
    let names: Vec<&str> = aors
        .iter()
        .map(|a| a["aor"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(names, ["alice@127.0.0.1", "bob@127.0.0.1"]);

    let alice = &aors[0];
    let regs = alice["registers"].as_array().expect("registers");
    let row = |r: &serde_json::Value| {
        (
            r["cseq"].as_u64().unwrap_or(0),
            r["code"].as_u64(),
            r["expires_asked"].as_u64(),
            r["expires_granted"].as_u64(),
        )
    };
    assert_eq!(
        regs.iter().map(row).collect::<Vec<_>>(),
        [
            (1, Some(423), Some(2), None),
            (2, Some(200), Some(5), Some(5)),
            (3, Some(200), Some(5), Some(5)),
            (4, Some(200), Some(5), Some(5)),
            (5, Some(200), Some(5), Some(5)),
            (6, Some(200), Some(5), Some(5)),
        ]
    );
    assert_eq!(regs[0]["min_expires"], 5);
    // 3 s after a 5 s binding: on time; 7 s after: late by about 2 s.
    assert!(regs[2]["late_by_s"].is_null());
    let late = regs[3]["late_by_s"].as_f64().expect("late refresh");
    assert!((1.5..2.5).contains(&late), "{late}");
    assert_eq!(regs[4]["contact_changed"], true);
    assert_eq!(regs[4]["contact"], "sip:alice@127.0.0.1:5999");
    assert_eq!(regs[5]["source_changed"], true);
    assert_eq!(regs[5]["src"], "127.0.0.1:5124");
    assert_eq!(
        rules(alice),
        [
            ("register-late".to_owned(), "warning".to_owned()),
            ("register-contact-changed".to_owned(), "warning".to_owned()),
            ("register-contact-changed".to_owned(), "warning".to_owned()),
            (
                "register-interval-too-brief".to_owned(),
                "normal".to_owned()
            ),
        ]
    );

    let bob = &aors[1];
    assert_eq!(bob["registers"][0]["resent"], 3);
    assert!(bob["registers"][0]["code"].is_null());
    assert_eq!(
        rules(bob),
        [("register-no-answer".to_owned(), "problem".to_owned())]
    );

    let text = common::sipview_ok(&[
        "-I",
        "samples/diag-register-timeline.pcap",
        "--registrations",
    ]);
    assert!(text.contains("LATE by 2.0 s"), "{text}");
    assert!(text.contains("CONTACT CHANGED, new source"));
    assert!(text.contains("NO ANSWER") && text.contains("resent 3x"));
    assert!(text.contains(
        "[PROBLEM] REGISTER (CSeq 1) sent 4 time(s) to 127.0.0.1:5126 and never answered"
    ));
}

fn codes(aor: &serde_json::Value, key: &str) -> Vec<serde_json::Value> {
    aor["registers"]
        .as_array()
        .map(|r| r.iter().map(|a| a[key].clone()).collect())
        .unwrap_or_default()
}

#[test]
fn a_restarted_phone_stays_one_timeline() {
    let aors = aors("diag-register-new-callid.pcap");
    assert_eq!(aors.len(), 1, "{aors:?}");
    let a = &aors[0];
    assert_eq!(a["aor"], "alice@10.7.0.1");
    assert_eq!(
        a["call_ids"],
        serde_json::json!(["boot1-alice@10.7.0.21", "boot2-alice@10.7.0.35"])
    );
    assert_eq!(
        codes(a, "new_call_id"),
        [false, false, false, false, true, false].map(serde_json::Value::from)
    );
    assert_eq!(
        codes(a, "contact_changed"),
        [false, false, false, false, false, true].map(serde_json::Value::from)
    );
    assert_eq!(
        rules(a),
        [("register-contact-changed".to_owned(), "warning".to_owned())]
    );
    let f = &a["findings"][0];
    let detail = f["detail"].as_str().unwrap_or("");
    assert!(
        detail.starts_with("The same AoR registered again under a new Call-ID"),
        "{detail}"
    );
    assert!(detail.contains("over UDP the old one stays"), "{detail}");
    assert_eq!(f["evidence"], serde_json::json!([10, 11]));
    let text = common::sipview_ok(&[
        "-I",
        "samples/diag-register-new-callid.pcap",
        "--registrations",
    ]);
    assert!(text.contains("new source, new Call-ID"), "{text}");
    assert!(text.contains("(6 REGISTER, 2 Call-IDs: boot1-alice@10.7.0.21, boot2-alice@10.7.0.35)"));
}

#[test]
fn one_call_id_many_users_each_under_its_own_to() {
    let aors = aors("diag-register-shared-callid.pcap");
    let got: Vec<(&str, Vec<serde_json::Value>)> = aors
        .iter()
        .map(|a| (a["aor"].as_str().unwrap_or(""), codes(a, "cseq")))
        .collect();
    let cseqs = |c: &[u64]| {
        c.iter()
            .map(|&n| serde_json::Value::from(n))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        got,
        [
            ("voi18063@voip.example.net", cseqs(&[70, 71])),
            ("voi18062@voip.example.net", cseqs(&[72, 73])),
            ("35104723@voip.example.net", cseqs(&[74, 75, 76, 77])),
        ]
    );
    // Every 401 is answered by its own user's retry: nothing to blame.
    for a in &aors {
        assert!(rules(a).is_empty(), "{a}");
        assert_eq!(a["call_ids"], serde_json::json!(["shared-3acc@10.8.0.50"]));
    }
    assert_eq!(
        codes(&aors[2], "expires_granted"),
        [None, Some(3600), None, Some(0)].map(|e: Option<u64>| serde_json::json!(e))
    );
}

#[test]
fn guessed_accounts_are_named_not_blamed_for_a_missing_password() {
    let aors = aors("diag-password-guessing.pcap");
    let names: Vec<&str> = aors
        .iter()
        .map(|a| a["aor"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        names,
        [
            "1001@10.6.0.2",
            "1154@10.6.0.2",
            "1155@10.6.0.2",
            "1156@10.6.0.2"
        ]
    );
    assert!(rules(&aors[0]).is_empty());
    for a in &aors[1..] {
        assert_eq!(
            rules(a),
            [("auth-guessing".to_owned(), "warning".to_owned())],
            "{a}"
        );
        let f = &a["findings"][0];
        assert!(f["title"]
            .as_str()
            .unwrap_or("")
            .starts_with("Password guessing from 203.0.113.99"));
        assert!(f["check"].as_str().unwrap_or("").contains("fail2ban"));
    }
    assert_eq!(
        aors[1]["findings"][0]["evidence"].as_array().map(Vec::len),
        Some(8)
    );
}

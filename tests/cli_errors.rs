//! One-line errors and exit codes at the binary edge.

mod common;

use common::sipview_status as sipview;

fn assert_one_line_error(stderr: &str, needle: &str) {
    assert_eq!(stderr.lines().count(), 1, "not one line: {stderr:?}");
    assert!(stderr.starts_with("sipview: "), "{stderr:?}");
    assert!(stderr.contains(needle), "{stderr:?} lacks {needle:?}");
    assert!(
        !stderr.contains("panicked") && !stderr.contains("backtrace"),
        "{stderr:?}"
    );
}

#[test]
fn missing_file() {
    let (code, out, err) = sipview(&["-I", "/nonexistent/dump.pcap", "--list"]);
    assert_eq!(code, 1);
    assert!(out.is_empty());
    assert_one_line_error(
        &err,
        "cannot open /nonexistent/dump.pcap: No such file or directory",
    );
}

#[test]
fn not_a_capture() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("notes.pcap");
    std::fs::write(&path, "these are my notes, not packets\n").expect("write");
    let (code, _, err) = sipview(&["-I", path.to_str().unwrap_or_default(), "--summary"]);
    assert_eq!(code, 1);
    assert_one_line_error(&err, "is not a pcap or pcapng capture");
}

#[test]
fn other_capture_formats_are_named_with_their_conversion() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (magic, format) in [
        (
            &b"GMBU\x02\x00\x01\x00"[..],
            "Microsoft Network Monitor 2.x",
        ),
        (&b"snoop\0\0\0\0\0\0\x02\0\0\0\x04"[..], "Solaris snoop"),
    ] {
        let path = dir.path().join("trace.cap");
        let mut bytes = magic.to_vec();
        bytes.resize(256, 0);
        std::fs::write(&path, &bytes).expect("write");
        let name = path.to_str().unwrap_or_default();
        let (code, _, err) = sipview(&["-I", name, "--list"]);
        assert_eq!(code, 1);
        assert_one_line_error(&err, &format!("is a {format} capture"));
        assert!(
            err.contains(&format!("editcap -F pcapng {name} out.pcapng")),
            "{err}"
        );
    }
}

#[test]
fn empty_file_and_directory() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("empty.pcap");
    std::fs::write(&path, "").expect("write");
    let (code, _, err) = sipview(&["-I", path.to_str().unwrap_or_default(), "--list"]);
    assert_eq!(code, 1);
    assert_one_line_error(&err, "is empty");
    let (code, _, err) = sipview(&["-I", dir.path().to_str().unwrap_or_default(), "--list"]);
    assert_eq!(code, 1);
    // A directory is read as the capture files in it: this one has none.
    assert_one_line_error(&err, "holds no pcap, pcapng or gzip capture file");
}

#[test]
fn unknown_call_id() {
    let (code, out, err) = sipview(&[
        "-I",
        "samples/udp-invite-mix.pcap",
        "--flow",
        "no-such-call",
    ]);
    assert_eq!(code, 1);
    assert!(out.is_empty());
    assert_one_line_error(&err, "no call with Call-ID \"no-such-call\"");
}

#[test]
fn bad_usage_is_exit_2() {
    let (code, _, err) = sipview(&["-I", "samples/udp-invite-mix.pcap", "--format", "xml"]);
    assert_eq!(code, 2);
    assert!(err.contains("invalid value 'xml'"), "{err}");
}

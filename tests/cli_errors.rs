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

/// A gzip capture is checked before it is inflated, and inflating stops at
/// the cap: a small file that would inflate to megabytes of zeros, a
/// gzipped text file.
#[test]
fn gzip_is_checked_first_and_inflated_up_to_the_cap() {
    use std::io::Write;
    let dir = tempfile::tempdir().expect("tempdir");
    let gz = |name: &str, head: &[u8], zeros: usize| {
        let path = dir.path().join(name);
        let file = std::fs::File::create(&path).expect("create");
        let mut enc = flate2::write::GzEncoder::new(file, flate2::Compression::best());
        enc.write_all(head).expect("write");
        enc.write_all(&vec![0u8; zeros]).expect("write");
        enc.finish().expect("finish");
        path.to_str().unwrap_or_default().to_owned()
    };
    // A pcap header (Ethernet) and 8 MiB of zeros: empty records.
    let mut pcap = vec![0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    pcap.extend_from_slice(&[0xff, 0xff, 0, 0, 1, 0, 0, 0]);
    let bomb = gz("bomb.pcap.gz", &pcap, 8 << 20);
    assert!(std::fs::metadata(&bomb).expect("size").len() < 20_000);
    let (code, _, err) = sipview(&["-I", &bomb, "--max-inflate", "1M", "--summary"]);
    assert_eq!(code, 1);
    assert_one_line_error(&err, "inflates past 1048576 bytes");
    let (code, out, _) = sipview(&["-I", &bomb, "--max-inflate", "16M", "--summary"]);
    assert_eq!(code, 0, "{out}");
    let text = gz("notes.txt.gz", b"just some notes, not a capture\n", 8 << 20);
    let (code, _, err) = sipview(&["-I", &text, "--summary"]);
    assert_eq!(code, 1);
    assert_one_line_error(&err, "is not a pcap or pcapng capture");
}

/// A damaged capture: the output as far as it was read, the damage on
/// stderr, exit 0; with --strict, exit 3.
#[test]
fn strict_makes_a_damaged_capture_exit_3() {
    let file = "samples/truncated-udp-invite-mix.pcap";
    let (code, out, err) = sipview(&["-I", file, "--list"]);
    assert_eq!(code, 0);
    assert!(
        err.contains("capture damaged: read stopped at byte"),
        "{err}"
    );
    let (strict_code, strict_out, _) = sipview(&["-I", file, "--list", "--strict"]);
    assert_eq!(strict_code, 3);
    assert_eq!(strict_out, out, "the same output");
    let (code, _, _) = sipview(&["-I", "samples/udp-invite-mix.pcap", "--list", "--strict"]);
    assert_eq!(code, 0);
}

/// sngrep's options where sipview has the action: -D prints the settings
/// (-f names the file, -F reads none), -r is accepted, -B sizes the live
/// buffer; --help says where sngrep's options mean something else.
#[test]
fn sngrep_options() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("mine.toml");
    std::fs::write(&file, "columns = [\"index\", \"from\", \"mos\"]\n").expect("write");
    let file = file.to_str().unwrap_or_default();
    let (code, out, _) = sipview(&["-D", "-f", file]);
    assert_eq!(code, 0);
    assert!(out.contains(&format!("Config file: {file}")), "{out}");
    assert!(out.contains("columns        index from mos\n"), "{out}");
    let (code, out, _) = sipview(&["-F", "-D"]);
    assert_eq!(code, 0);
    assert!(out.contains("columns        index method from to"), "{out}");
    let (code, _, err) = sipview(&["-F", "-f", file, "-D"]);
    assert_eq!(code, 2, "{err}");
    let (code, out, _) = sipview(&["-r", "-I", "samples/udp-invite-mix.pcap", "--list"]);
    assert_eq!(code, 0);
    assert_eq!(out.lines().count(), 5);
    let (code, _, err) = sipview(&["-B", "0", "-i", "lo"]);
    assert_eq!(code, 2);
    assert!(err.contains("0 is not in 1..=2047"), "{err}");
    // --columns belongs to --list.
    let (code, _, err) = sipview(&[
        "-I",
        "samples/udp-invite-mix.pcap",
        "--summary",
        "--columns",
        "from",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("give --list too"), "{err}");
    let (_, help, _) = sipview(&["--help"]);
    for needle in [
        "sngrep's options:",
        "-i DEV   is the capture device",
        "-l N     counts SIP messages, not dialogs",
    ] {
        assert!(help.contains(needle), "--help lacks {needle:?}");
    }
}

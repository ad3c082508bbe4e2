//! `W` on the ladder and the stream screen: the call's audio written as a
//! WAV file next to where sipview was started, the status bar saying where
//! (the headless twin is `--audio CALL -o FILE`).

use crate::session::Session;
use crate::views::escape::clean;
use std::path::PathBuf;

/// Writes `call`'s audio; the status line to show, and whether it is an
/// error.
pub fn write_call_audio(session: &Session, call: u32) -> (String, bool) {
    if session.is_live() {
        return (
            "audio is written from a capture file: save the calls as pcap (S), then open it".into(),
            true,
        );
    }
    let stem = session.origin.file_stem();
    let path = PathBuf::from(format!("{stem}-call{}.wav", call + 1));
    let pipeline = session.lock();
    let media = &pipeline.media;
    let streams = crate::views::streams::numbered_of_call(media, call);
    if streams.is_empty() {
        return ("no RTP stream in this call: no audio to write".into(), true);
    }
    let result = crate::export::save_audio(
        &session.source,
        media,
        call,
        &streams,
        crate::export::AudioSelection::Call,
        &path,
    );
    let name = clean(&path.display().to_string()).into_owned();
    match result {
        Ok(r) if r.streams_written.is_empty() => (
            format!(
                "no stream decoded: {}",
                clean(r.left_out.first().map(String::as_str).unwrap_or("?"))
            ),
            true,
        ),
        Ok(r) => {
            let mut s = format!(
                "wrote {:.1} s of audio to {name} (left the caller, right the callee)",
                r.seconds()
            );
            if let Some(first) = r.left_out.first() {
                s.push_str(&format!("; {}", clean(first)));
            }
            (s, false)
        }
        Err(e) => (clean(&e.to_string()).into_owned(), true),
    }
}

//! A 16-bit PCM WAV file written in place: every frame goes to its own
//! offset (a frame = one sample per channel), so the audio of each channel
//! is placed by time as packets come, and what is never written (loss,
//! gaps, hold) reads back as zeros, silence. Nothing is held in memory but
//! the packet being written.

use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;

const HEADER: u64 = 44;

pub struct WavWriter {
    file: File,
    channels: u16,
    rate: u32,
    /// Frames up to the furthest one written.
    frames: u64,
    buf: Vec<u8>,
}

impl WavWriter {
    pub fn new(file: File, channels: u16, rate: u32) -> WavWriter {
        WavWriter {
            file,
            channels: channels.max(1),
            rate,
            frames: 0,
            buf: Vec::new(),
        }
    }

    fn frame_bytes(&self) -> u64 {
        u64::from(self.channels) * 2
    }

    /// The most frames a WAV file can hold (its sizes are 32-bit).
    pub fn max_frames(&self) -> u64 {
        (u64::from(u32::MAX) - HEADER) / self.frame_bytes()
    }

    /// Writes `samples` to `channel` from frame `at` on; the other
    /// channels of those frames keep what they had.
    pub fn put(&mut self, channel: u16, at: u64, samples: &[i16]) -> io::Result<()> {
        self.write(channel, at, samples, false)
    }

    /// Adds `samples` to what `channel` holds from frame `at` on (clipped
    /// to 16 bits): for audio that overlaps other audio of the channel.
    pub fn add(&mut self, channel: u16, at: u64, samples: &[i16]) -> io::Result<()> {
        self.write(channel, at, samples, true)
    }

    fn write(&mut self, channel: u16, at: u64, samples: &[i16], add: bool) -> io::Result<()> {
        if samples.is_empty() || channel >= self.channels {
            return Ok(());
        }
        let fb = self.frame_bytes();
        let offset = HEADER + at * fb;
        let len = samples.len() * fb as usize;
        self.buf.clear();
        self.buf.resize(len, 0);
        if (add || self.channels > 1) && at < self.frames {
            // Read what is there (short past the end: zeros stay).
            let mut got = 0;
            while got < len {
                match self
                    .file
                    .read_at(&mut self.buf[got..], offset + got as u64)?
                {
                    0 => break,
                    n => got += n,
                }
            }
        }
        let ch = usize::from(channel) * 2;
        for (i, s) in samples.iter().enumerate() {
            let at = i * fb as usize + ch;
            if let Some(slot) = self.buf.get_mut(at..at + 2) {
                let v = if add {
                    s.saturating_add(i16::from_le_bytes([slot[0], slot[1]]))
                } else {
                    *s
                };
                slot.copy_from_slice(&v.to_le_bytes());
            }
        }
        self.file.write_all_at(&self.buf, offset)?;
        self.frames = self.frames.max(at + samples.len() as u64);
        Ok(())
    }

    /// Sizes the file to `frames` (at least those written) and writes the
    /// header.
    pub fn finish(self, frames: u64) -> io::Result<u64> {
        let frames = frames.max(self.frames);
        let data = frames * self.frame_bytes();
        self.file.set_len(HEADER + data)?;
        let mut h = Vec::with_capacity(HEADER as usize);
        let block = self.channels * 2;
        h.extend_from_slice(b"RIFF");
        h.extend_from_slice(&((36 + data) as u32).to_le_bytes());
        h.extend_from_slice(b"WAVEfmt ");
        h.extend_from_slice(&16u32.to_le_bytes());
        h.extend_from_slice(&1u16.to_le_bytes());
        h.extend_from_slice(&self.channels.to_le_bytes());
        h.extend_from_slice(&self.rate.to_le_bytes());
        h.extend_from_slice(&(self.rate * u32::from(block)).to_le_bytes());
        h.extend_from_slice(&block.to_le_bytes());
        h.extend_from_slice(&16u16.to_le_bytes());
        h.extend_from_slice(b"data");
        h.extend_from_slice(&(data as u32).to_le_bytes());
        self.file.write_all_at(&h, 0)?;
        Ok(frames)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A temporary folder and `a.wav` in it, open to read and write.
    fn temp_wav() -> (tempfile::TempDir, std::fs::File) {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(dir.path().join("a.wav"))
            .expect("create");
        (dir, file)
    }

    #[test]
    fn stereo_frames_interleave_and_gaps_are_silence() {
        let (dir, file) = temp_wav();
        let path = dir.path().join("a.wav");
        let mut w = WavWriter::new(file, 2, 8000);
        w.put(1, 2, &[7, 8]).expect("write");
        w.put(0, 0, &[1, 2, 3]).expect("write");
        let frames = w.finish(5).expect("finish");
        assert_eq!(frames, 5);
        let bytes = std::fs::read(&path).expect("read");
        assert_eq!(bytes.len(), 44 + 5 * 4);
        assert_eq!(&bytes[0..4], b"RIFF");
        let samples: Vec<i16> = bytes[44..]
            .chunks(2)
            .map(|c| i16::from_le_bytes([c[0], c[1]]))
            .collect();
        assert_eq!(samples, [1, 0, 2, 0, 3, 7, 0, 8, 0, 0]);
    }

    #[test]
    fn add_sums_with_what_is_there_and_clips() {
        let (dir, file) = temp_wav();
        let path = dir.path().join("a.wav");
        let mut w = WavWriter::new(file, 1, 48_000);
        w.put(0, 1, &[10, 20, 32_700]).expect("write");
        w.add(0, 0, &[1, 2, 3, 100, 5]).expect("add");
        assert_eq!(w.finish(0).expect("finish"), 5);
        let bytes = std::fs::read(&path).expect("read");
        assert_eq!(
            u32::from_le_bytes([bytes[24], bytes[25], bytes[26], bytes[27]]),
            48_000
        );
        let samples: Vec<i16> = bytes[44..]
            .chunks(2)
            .map(|c| i16::from_le_bytes([c[0], c[1]]))
            .collect();
        assert_eq!(samples, [1, 12, 23, 32_767, 5]);
    }
}

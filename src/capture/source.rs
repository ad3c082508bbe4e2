use super::CaptureError;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

/// The file packets are read from and re-read later by offset.
///
/// A gzip-compressed capture is inflated once into an anonymous temporary file,
/// so offsets stay valid and the payloads stay out of the heap.
#[derive(Debug)]
pub struct CaptureSource {
    path: PathBuf,
    file: File,
    len: u64,
    compressed: bool,
    /// Set when the gzip stream itself was damaged: the capture ends there.
    inflate_damage: Option<String>,
    /// No capture file behind it (see [`CaptureSource::live`]).
    live: bool,
}

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

impl CaptureSource {
    pub fn open(path: &Path) -> Result<Self, CaptureError> {
        let open_err = |source| CaptureError::Open {
            path: path.to_path_buf(),
            source,
        };
        let read_err = |source| CaptureError::Read {
            path: path.to_path_buf(),
            source,
        };
        if path.is_dir() {
            return Err(CaptureError::IsDirectory {
                path: path.to_path_buf(),
            });
        }
        let mut file = File::open(path).map_err(open_err)?;
        let mut magic = [0u8; 2];
        let n = read_prefix(&mut file, &mut magic).map_err(read_err)?;
        file.seek(SeekFrom::Start(0)).map_err(read_err)?;
        let compressed = n == 2 && magic == GZIP_MAGIC;
        let mut inflate_damage = None;
        if compressed {
            let (inflated, damage) = inflate_to_temp(file).map_err(read_err)?;
            file = inflated;
            inflate_damage = damage;
        }
        let len = file.metadata().map_err(read_err)?.len();
        if len == 0 {
            return Err(CaptureError::Empty {
                path: path.to_path_buf(),
            });
        }
        Ok(CaptureSource {
            path: path.to_path_buf(),
            file,
            len,
            compressed,
            inflate_damage,
            live: false,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Size in bytes of the (decompressed) capture.
    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn is_compressed(&self) -> bool {
        self.compressed
    }

    /// The gzip error that cut the decompressed capture short, if any.
    pub fn inflate_damage(&self) -> Option<&str> {
        self.inflate_damage.as_deref()
    }

    /// A fresh reader positioned at the start of the capture. It gets its
    /// own file position (a new open of the same file), so a second reader
    /// (a save while the screens still load) never moves the first one.
    pub fn reader(&self) -> io::Result<File> {
        use std::os::fd::AsRawFd;
        let own = File::open(format!("/proc/self/fd/{}", self.file.as_raw_fd()));
        let mut f = match own {
            Ok(f) => f,
            Err(_) => self.file.try_clone()?,
        };
        f.seek(SeekFrom::Start(0))?;
        Ok(f)
    }

    /// A source with no file behind it, for live capture: every message is
    /// kept in the store's arena, so nothing is ever read back from here.
    pub fn live(name: &str) -> io::Result<Self> {
        Ok(CaptureSource {
            path: PathBuf::from(name),
            file: tempfile::tempfile()?,
            len: 0,
            compressed: false,
            inflate_damage: None,
            live: true,
        })
    }

    /// True for live capture and HEP: no packet can be read back.
    pub fn is_live(&self) -> bool {
        self.live
    }

    /// Reads `len` bytes at `offset`; used to show a message long after it was parsed.
    pub fn read_at(&self, offset: u64, len: usize) -> io::Result<Vec<u8>> {
        let mut buf = vec![0u8; len];
        self.file.read_exact_at(&mut buf, offset)?;
        Ok(buf)
    }
}

fn read_prefix(file: &mut File, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

fn inflate_to_temp(file: File) -> io::Result<(File, Option<String>)> {
    let mut out = tempfile::tempfile()?;
    let mut gz = flate2::read::MultiGzDecoder::new(io::BufReader::new(file));
    // A damaged gzip stream keeps what inflated before the damage: the capture
    // reader then reads up to there like any other cut file.
    let damage = match io::copy(&mut gz, &mut out) {
        Ok(_) => None,
        Err(e)
            if e.kind() == io::ErrorKind::InvalidInput
                || e.kind() == io::ErrorKind::InvalidData
                || e.kind() == io::ErrorKind::UnexpectedEof =>
        {
            Some(format!("gzip stream damaged: {e}"))
        }
        Err(e) => return Err(e),
    };
    out.seek(SeekFrom::Start(0))?;
    Ok((out, damage))
}

//! The data behind the screens: a pipeline filled by a loader thread while
//! the screens read it, so a large file shows its first calls at once.

use crate::calls::{CallStore, MessageRecord};
use crate::capture::{CaptureError, CaptureReader, CaptureSource, StopReason};
use crate::load::Pipeline;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

/// How far the loader got.
#[derive(Debug, Default)]
pub struct Progress {
    pub bytes_read: AtomicU64,
    pub packets: AtomicU64,
    pub done: AtomicBool,
    pub stopped: Mutex<Option<StopReason>>,
}

/// A capture being read (or read) into calls.
pub struct Session {
    pub source: CaptureSource,
    pipeline: Mutex<Pipeline>,
    pub progress: Progress,
    pub started: Instant,
}

/// Packets read between two releases of the lock, so the screens never
/// wait long for the store while a big file loads.
const BATCH: u64 = 512;

impl Session {
    /// Opens a capture and starts reading it on a thread of its own.
    pub fn open(path: &Path) -> Result<Arc<Session>, CaptureError> {
        let source = CaptureSource::open(path)?;
        let reader = CaptureReader::new(&source)?;
        let session = Arc::new(Session {
            source,
            pipeline: Mutex::new(Pipeline::new()),
            progress: Progress::default(),
            started: Instant::now(),
        });
        let loader = Arc::clone(&session);
        std::thread::Builder::new()
            .name("sipview-loader".into())
            .spawn(move || loader.load(reader))
            .map_err(|e| CaptureError::Read {
                path: path.to_path_buf(),
                source: e,
            })?;
        Ok(session)
    }

    /// Reads the whole capture before returning (tests, snapshots).
    pub fn open_loaded(path: &Path) -> Result<Arc<Session>, CaptureError> {
        let source = CaptureSource::open(path)?;
        let reader = CaptureReader::new(&source)?;
        let session = Arc::new(Session {
            source,
            pipeline: Mutex::new(Pipeline::new()),
            progress: Progress::default(),
            started: Instant::now(),
        });
        session.load(reader);
        Ok(session)
    }

    fn load(&self, reader: CaptureReader) {
        let mut guard = Some(self.lock());
        let mut n = 0u64;
        let outcome = reader.read_all(|p| {
            let pipeline = guard.get_or_insert_with(|| self.lock());
            pipeline.push(p);
            n += 1;
            if n.is_multiple_of(BATCH) {
                if let Some(off) = p.file_offset {
                    self.progress.bytes_read.store(off, Ordering::Relaxed);
                }
                self.progress.packets.store(n, Ordering::Relaxed);
                // Let the screens in between batches.
                guard = None;
            }
        });
        drop(guard);
        self.progress.packets.store(n, Ordering::Relaxed);
        self.progress
            .bytes_read
            .store(self.source.len(), Ordering::Relaxed);
        if let Ok(mut s) = self.progress.stopped.lock() {
            *s = outcome.stopped;
        }
        self.progress.done.store(true, Ordering::Release);
    }

    /// The pipeline, for reading the store. A loader that panicked leaves
    /// the data as it was; it is still worth showing.
    pub fn lock(&self) -> MutexGuard<'_, Pipeline> {
        self.pipeline.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn is_loading(&self) -> bool {
        !self.progress.done.load(Ordering::Acquire)
    }

    /// A message's bytes read back (file or arena).
    pub fn bytes(&self, store: &CallStore, rec: &MessageRecord) -> Option<Vec<u8>> {
        store.message_bytes(rec, &self.source).ok()
    }
}

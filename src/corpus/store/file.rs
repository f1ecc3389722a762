//! One index file on disk: its name, its header and checksum, and writing it
//! safely beside concurrent readers and writers.
//!
//! Layout: 8 magic bytes (one value per kind of file: the analyses, the
//! corpus-wide tables, a shared slice), the schema key, the payload's length
//! and its xxh3-64 checksum (little-endian u64 each), then the payload. Both
//! of a corpus's files go through here, so they are checked, locked and
//! replaced the same way.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::Serialize;

/// The per-document analyses (and shared slices).
pub const MAGIC: &[u8; 8] = b"RFNXIDX\0";
/// The corpus-wide tables built from them.
pub const TABLES_MAGIC: &[u8; 8] = b"RFNXTBL\0";
const HEADER: usize = 8 + 3 * 8;

/// What decides whether an index was written by this build: the file format
/// and the engine's source (types and the code that fills them).
pub fn schema_key() -> u64 {
    let mut key = Vec::new();
    key.extend_from_slice(&super::FORMAT_VERSION.to_le_bytes());
    key.extend_from_slice(env!("REFNOTES_ENGINE_HASH").as_bytes());
    xxhash_rust::xxh3::xxh3_64(&key)
}

/// An index file of one corpus and the lock file beside it.
#[derive(Clone, Debug)]
pub struct IndexFile {
    path: PathBuf,
    lock: PathBuf,
    magic: &'static [u8; 8],
}

/// Why an index file on disk cannot be used; each names the file.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("index {}: cannot read it ({source}); rebuilding it", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("index {}: not a refnotes index (bad magic bytes); rebuilding it", path.display())]
    Magic { path: PathBuf },
    #[error("index {}: written by another version of refnotes; rebuilding it", path.display())]
    Version { path: PathBuf },
    #[error("index {}: truncated ({actual} bytes of payload, the header says {expected}); rebuilding it", path.display())]
    Truncated {
        path: PathBuf,
        expected: u64,
        actual: u64,
    },
    #[error("index {}: checksum mismatch (the file is corrupted); rebuilding it", path.display())]
    Checksum { path: PathBuf },
    #[error("index {}: cannot be decoded ({message}); rebuilding it", path.display())]
    Decode { path: PathBuf, message: String },
}

/// `value` encoded with its header, ready for [`IndexFile::write`].
pub fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    framed(MAGIC, |bytes| {
        postcard::to_extend(value, std::mem::take(bytes)).expect("index records always encode")
    })
}

/// A file's bytes: the header for `magic`, then the payload that `payload`
/// appends to the vector it is given (and returns), so a large payload is
/// written once, not copied behind its header.
pub fn framed(magic: &[u8; 8], payload: impl FnOnce(&mut Vec<u8>) -> Vec<u8>) -> Vec<u8> {
    let mut bytes = vec![0; HEADER];
    let mut bytes = payload(&mut bytes);
    let length = (bytes.len() - HEADER) as u64;
    let checksum = xxhash_rust::xxh3::xxh3_64(&bytes[HEADER..]);
    bytes[..8].copy_from_slice(magic);
    bytes[8..16].copy_from_slice(&schema_key().to_le_bytes());
    bytes[16..24].copy_from_slice(&length.to_le_bytes());
    bytes[24..32].copy_from_slice(&checksum.to_le_bytes());
    bytes
}

/// The checksum an encoded file's header states.
pub fn checksum_of(bytes: &[u8]) -> u64 {
    bytes.get(24..32).map_or(0, |word| {
        u64::from_le_bytes(word.try_into().expect("8 bytes"))
    })
}

/// What a header says, once its magic and schema key are this build's.
fn header(path: &Path, magic: &[u8; 8], bytes: &[u8]) -> Result<(u64, u64), ReadError> {
    let path = || path.to_path_buf();
    let word = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().expect("8 bytes"));
    if bytes.len() < HEADER || &bytes[..8] != magic {
        return Err(ReadError::Magic { path: path() });
    }
    if word(8) != schema_key() {
        return Err(ReadError::Version { path: path() });
    }
    Ok((word(16), word(24)))
}

/// The payload of a whole file's `bytes`, once its header, length and
/// checksum check out.
pub fn payload<'a>(path: &Path, magic: &[u8; 8], bytes: &'a [u8]) -> Result<&'a [u8], ReadError> {
    let (expected, checksum) = header(path, magic, bytes)?;
    let payload = &bytes[HEADER..];
    if payload.len() as u64 != expected {
        return Err(ReadError::Truncated {
            path: path.to_path_buf(),
            expected,
            actual: payload.len() as u64,
        });
    }
    if xxhash_rust::xxh3::xxh3_64(payload) != checksum {
        return Err(ReadError::Checksum {
            path: path.to_path_buf(),
        });
    }
    Ok(payload)
}

impl IndexFile {
    /// The index of the corpus with these roots, in `dir`. Refused (with the
    /// reason) when `dir` lies inside a root: refnotes never writes into the
    /// corpus.
    pub fn for_roots(dir: &Path, roots: &[PathBuf]) -> Result<IndexFile, String> {
        let absolute = |path: &Path| {
            path.canonicalize()
                .or_else(|_| std::path::absolute(path))
                .unwrap_or_else(|_| path.to_path_buf())
        };
        let dir_real = absolute(dir);
        let roots: Vec<PathBuf> = roots.iter().map(|root| absolute(root)).collect();
        if let Some(root) = roots.iter().find(|root| dir_real.starts_with(root)) {
            return Err(format!(
                "index folder {} is inside the corpus folder {}; refnotes never writes \
                 into the corpus, so the index is not used (set index_dir elsewhere)",
                dir.display(),
                root.display()
            ));
        }
        let mut key = Vec::new();
        for root in &roots {
            key.extend_from_slice(root.as_os_str().as_encoded_bytes());
            key.push(0);
        }
        let name: String = roots
            .first()
            .and_then(|root| root.file_name())
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_else(|| "corpus".to_string())
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .take(40)
            .collect();
        let stem = format!("{name}-{:016x}", xxhash_rust::xxh3::xxh3_64(&key));
        Ok(IndexFile {
            path: dir.join(format!("{stem}.rnx")),
            lock: dir.join(format!("{stem}.lock")),
            magic: MAGIC,
        })
    }

    /// The corpus-wide tables file beside this analyses file: its own magic
    /// bytes, the same lock (one writer at a time for the pair).
    pub fn tables(&self) -> IndexFile {
        IndexFile {
            path: self.path.with_extension("rnt"),
            lock: self.lock.clone(),
            magic: TABLES_MAGIC,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The index's contents; `None` when there is no index yet.
    pub fn read<T: DeserializeOwned>(&self) -> Result<Option<T>, ReadError> {
        let Some(bytes) = self.read_bytes()? else {
            return Ok(None);
        };
        let payload = payload(&self.path, self.magic, &bytes)?;
        postcard::from_bytes(payload)
            .map(Some)
            .map_err(|error| ReadError::Decode {
                path: self.path.clone(),
                message: error.to_string(),
            })
    }

    /// The file opened for reading; `None` when it does not exist.
    fn open_existing(&self) -> Result<Option<File>, ReadError> {
        match File::open(&self.path) {
            Ok(file) => Ok(Some(file)),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(self.io_error(error)),
        }
    }

    fn io_error(&self, source: std::io::Error) -> ReadError {
        ReadError::Io {
            path: self.path.clone(),
            source,
        }
    }

    /// The whole file, unchecked (see [`payload`]); `None` when it does not
    /// exist.
    pub fn read_bytes(&self) -> Result<Option<Vec<u8>>, ReadError> {
        let io = |source| self.io_error(source);
        let Some(mut file) = self.open_existing()? else {
            return Ok(None);
        };
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).map_err(io)?;
        Ok(Some(bytes))
    }

    /// Checks the file's header, length and checksum without decoding it,
    /// reading it in pieces (so without holding it in memory); its checksum
    /// when all is well, `None` when it does not exist.
    pub fn verify(&self) -> Result<Option<u64>, ReadError> {
        let io = |source| self.io_error(source);
        let Some(mut file) = self.open_existing()? else {
            return Ok(None);
        };
        let mut first = [0u8; HEADER];
        let mut got = 0;
        while got < HEADER {
            match file.read(&mut first[got..]).map_err(io)? {
                0 => break,
                n => got += n,
            }
        }
        let (expected, checksum) = header(&self.path, self.magic, &first[..got])?;
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        let mut buffer = vec![0u8; 1 << 20];
        let mut actual = 0u64;
        loop {
            let n = file.read(&mut buffer).map_err(io)?;
            if n == 0 {
                break;
            }
            hasher.update(&buffer[..n]);
            actual += n as u64;
        }
        if actual != expected {
            return Err(ReadError::Truncated {
                path: self.path.clone(),
                expected,
                actual,
            });
        }
        if hasher.digest() != checksum {
            return Err(ReadError::Checksum {
                path: self.path.clone(),
            });
        }
        Ok(Some(checksum))
    }

    /// Replaces the index with `bytes` (from [`encode`]): under the lock, into
    /// a temporary file that is synced and then renamed over the index.
    pub fn write(&self, bytes: &[u8]) -> Result<(), String> {
        let fail = |what: &str, path: &Path, error: std::io::Error| {
            format!(
                "index {}: cannot {what} {} ({error})",
                self.path.display(),
                path.display()
            )
        };
        let dir = self.path.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(dir).map_err(|e| fail("create the folder", dir, e))?;
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&self.lock)
            .map_err(|e| fail("open the lock", &self.lock, e))?;
        let _held = Lock::exclusive(&lock).map_err(|e| fail("lock", &self.lock, e))?;
        // Only a lock holder writes temporary files, so any left now are from
        // a writer that died mid-write.
        let mut temporary = self.path.clone().into_os_string();
        temporary.push(format!(".tmp{}", std::process::id()));
        let temporary = PathBuf::from(temporary);
        self.remove_leftovers();
        let written = (|| {
            let mut file = File::create(&temporary)?;
            file.write_all(bytes)?;
            file.sync_all()?;
            fs::rename(&temporary, &self.path)?;
            // The rename itself is durable once the folder is synced.
            #[cfg(unix)]
            File::open(dir)?.sync_all()?;
            Ok(())
        })();
        written.map_err(|e| {
            let _ = fs::remove_file(&temporary);
            fail("write", &temporary, e)
        })
    }

    fn remove_leftovers(&self) {
        let (Some(dir), Some(stem)) = (self.path.parent(), self.path.file_name()) else {
            return;
        };
        let prefix = format!("{}.tmp", stem.to_string_lossy());
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            if entry.file_name().to_string_lossy().starts_with(&prefix) {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

/// An exclusive advisory lock on a file, released when dropped.
struct Lock<'a>(&'a File);

impl<'a> Lock<'a> {
    #[cfg(unix)]
    fn exclusive(file: &'a File) -> std::io::Result<Lock<'a>> {
        use std::os::unix::io::AsRawFd;
        loop {
            // SAFETY: flock on a descriptor this function borrows for the call.
            if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) } == 0 {
                return Ok(Lock(file));
            }
            let error = std::io::Error::last_os_error();
            if error.kind() != std::io::ErrorKind::Interrupted {
                return Err(error);
            }
        }
    }

    #[cfg(not(unix))]
    fn exclusive(file: &'a File) -> std::io::Result<Lock<'a>> {
        file.lock()?;
        Ok(Lock(file))
    }
}

impl Drop for Lock<'_> {
    fn drop(&mut self) {
        #[cfg(unix)]
        {
            use std::os::unix::io::AsRawFd;
            // SAFETY: unlocking the descriptor locked in `exclusive`.
            unsafe { libc::flock(self.0.as_raw_fd(), libc::LOCK_UN) };
        }
        #[cfg(not(unix))]
        let _ = self.0.unlock();
    }
}

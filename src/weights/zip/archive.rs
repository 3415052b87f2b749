//! Reading a zip archive over the mapped file: the central directory through the `zip` crate,
//! stored entries sliced in place, deflated entries inflated only when small pickles or headers
//! are needed, and only up to a cap.

use crate::limits::{ZIP_MAX_ENTRIES, ZIP_MAX_INFLATED_ENTRY};
use std::borrow::Cow;
use std::io::Read;
use thiserror::Error;
// `::zip` is the crate; this module's parent is also called `zip`.
use ::zip::CompressionMethod;

/// Why a zip archive (PyTorch checkpoint, TorchScript, `.npz`) could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ArchiveError {
    /// The `zip` crate could not read the central directory; its message.
    #[error("not a readable zip archive: {0}")]
    Zip(String),
    /// More entries than [`ZIP_MAX_ENTRIES`](crate::limits::ZIP_MAX_ENTRIES).
    #[error("zip archive has {count} entries, more than the limit of {limit}")]
    TooManyEntries {
        /// Entries in the central directory.
        count: usize,
        /// The most entries accepted.
        limit: usize,
    },
    /// One entry cannot be sliced or inflated: data outside the file, sizes that disagree,
    /// more bytes than the cap for what it holds, or corrupt compressed data.
    #[error("zip entry {entry:?}: {why}")]
    Entry {
        /// The entry's name.
        entry: String,
        /// What is wrong.
        why: String,
    },
}

/// One entry of the central directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub(crate) index: usize,
    pub(crate) name: String,
    /// Stored without compression: its bytes can be sliced from the file.
    pub(crate) stored: bool,
    /// Absolute offset of the entry's data in the file.
    pub(crate) data_start: u64,
    pub(crate) compressed_size: u64,
    pub(crate) size: u64,
}

pub struct Archive<'a> {
    bytes: &'a [u8],
    zip: ::zip::ZipArchive<std::io::Cursor<&'a [u8]>>,
    pub(crate) entries: Vec<Entry>,
}

fn zip_err(e: ::zip::result::ZipError) -> ArchiveError {
    ArchiveError::Zip(e.to_string())
}

impl<'a> Archive<'a> {
    pub(crate) fn open(bytes: &'a [u8]) -> Result<Archive<'a>, ArchiveError> {
        let mut zip = ::zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(zip_err)?;
        if zip.len() > ZIP_MAX_ENTRIES {
            return Err(ArchiveError::TooManyEntries {
                count: zip.len(),
                limit: ZIP_MAX_ENTRIES,
            });
        }
        let mut entries = Vec::with_capacity(zip.len());
        for index in 0..zip.len() {
            let f = zip.by_index_raw(index).map_err(zip_err)?;
            let name = f.name().map_err(zip_err)?.into_owned();
            let data_start = f.data_start().ok_or_else(|| ArchiveError::Entry {
                entry: name.clone(),
                why: "local header could not be located".to_string(),
            })?;
            entries.push(Entry {
                index,
                stored: f.compression() == CompressionMethod::Stored,
                data_start,
                compressed_size: f.compressed_size(),
                size: f.size(),
                name,
            });
        }
        Ok(Archive {
            bytes,
            zip,
            entries,
        })
    }

    pub(crate) fn find(&self, name: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.name == name)
    }

    /// The bytes of a stored entry, sliced from the file after checking they lie inside it.
    pub(crate) fn stored_slice(&self, e: &Entry) -> Result<&'a [u8], ArchiveError> {
        let bad = |why: String| ArchiveError::Entry {
            entry: e.name.clone(),
            why,
        };
        if !e.stored {
            return Err(bad("entry is compressed".to_string()));
        }
        if e.size != e.compressed_size {
            return Err(bad(format!(
                "stored entry claims {} bytes uncompressed but {} stored",
                e.size, e.compressed_size
            )));
        }
        let end = e.data_start.checked_add(e.compressed_size);
        match end {
            Some(end) if end <= self.bytes.len() as u64 => self
                .bytes
                .get(e.data_start as usize..end as usize)
                .ok_or_else(|| bad("data lies outside the file".to_string())),
            _ => Err(bad(format!(
                "data ({} bytes at offset {}) runs past the end of the file ({} bytes)",
                e.compressed_size,
                e.data_start,
                self.bytes.len()
            ))),
        }
    }

    /// The contents of an entry: sliced when stored, else inflated up to `limit` bytes (an
    /// entry that inflates to more is an error, whatever its header claims).
    pub(crate) fn read(&mut self, e: &Entry, limit: u64) -> Result<Cow<'a, [u8]>, ArchiveError> {
        if e.stored {
            let data = self.stored_slice(e)?;
            if data.len() as u64 > limit {
                return Err(ArchiveError::Entry {
                    entry: e.name.clone(),
                    why: format!("{} bytes, more than the limit of {limit}", data.len()),
                });
            }
            return Ok(Cow::Borrowed(data));
        }
        let mut out = Vec::new();
        self.read_prefix_into(e, limit.saturating_add(1), &mut out)?;
        if out.len() as u64 > limit {
            return Err(ArchiveError::Entry {
                entry: e.name.clone(),
                why: format!("inflates to more than the limit of {limit} bytes"),
            });
        }
        Ok(Cow::Owned(out))
    }

    /// Inflate at most `max` bytes from the start of an entry (a header is all that is needed).
    pub(crate) fn read_prefix(
        &mut self,
        e: &Entry,
        max: u64,
    ) -> Result<Cow<'a, [u8]>, ArchiveError> {
        if e.stored {
            let data = self.stored_slice(e)?;
            let n = data.len().min(usize::try_from(max).unwrap_or(usize::MAX));
            return Ok(Cow::Borrowed(data.get(..n).unwrap_or_default()));
        }
        let mut out = Vec::new();
        self.read_prefix_into(e, max, &mut out)?;
        Ok(Cow::Owned(out))
    }

    fn read_prefix_into(
        &mut self,
        e: &Entry,
        max: u64,
        out: &mut Vec<u8>,
    ) -> Result<(), ArchiveError> {
        let max = max.min(ZIP_MAX_INFLATED_ENTRY.saturating_add(1));
        let f = self
            .zip
            .by_index(e.index)
            .map_err(|err| ArchiveError::Entry {
                entry: e.name.clone(),
                why: err.to_string(),
            })?;
        f.take(max)
            .read_to_end(out)
            .map_err(|err| ArchiveError::Entry {
                entry: e.name.clone(),
                why: format!("cannot inflate: {err}"),
            })?;
        Ok(())
    }
}

//! Which bytes of a remote file the readers need, fetched by range: a safetensors header,
//! growing prefixes of a GGUF file until its metadata ends, a zip's end record, directory,
//! local headers and small entries. Anything else is fetched whole, or left unread, by
//! [`super::plan`].

use std::path::Path;

use crate::limits::{
    NPY_MAX_HEADER, REMOTE_GGUF_FIRST_RANGE, REMOTE_GGUF_MAX_METADATA, REMOTE_MAX_BODY,
    REMOTE_MAX_WHOLE_WEIGHTS, REMOTE_SAFETENSORS_FIRST_RANGE, REMOTE_ZIP_MAX_ENTRY,
    REMOTE_ZIP_TAIL, SAFETENSORS_MAX_HEADER,
};
use crate::source::http::{Client, HttpError, shown};

use super::zip_dir::{self, LOCAL_FIXED, Located, ZIP64_EOCD_LEN};

/// Bytes fetched from one file: (offset, bytes) pieces.
pub(crate) type Pieces = Vec<(u64, Vec<u8>)>;

/// What was fetched of a file, or why it was not.
pub(crate) enum Fetch {
    /// Pieces to write into the sparse stand-in.
    Pieces(Pieces),
    /// Not read; the reason.
    Unread(String),
}

/// Range reads of one remote file of known size, serving reads inside its first fetched bytes
/// from memory.
pub(crate) struct RemoteReader<'a> {
    pub(crate) client: &'a Client,
    pub(crate) url: String,
    pub(crate) size: u64,
    pub(crate) head: Vec<u8>,
}

impl RemoteReader<'_> {
    /// Bytes `offset..offset+len`, clamped to the file's end.
    pub(crate) fn read(&self, offset: u64, len: u64) -> Result<Vec<u8>, HttpError> {
        let offset = offset.min(self.size);
        let len = len.min(self.size - offset);
        if len == 0 {
            return Ok(Vec::new());
        }
        let end = offset + len;
        if end <= self.head.len() as u64 {
            return Ok(self.head[offset as usize..end as usize].to_vec());
        }
        let fetched = self
            .client
            .get_range(&self.url, offset, len, REMOTE_MAX_BODY)?;
        // The file must be the size the listing (or the first answer) gave, and the answer
        // exactly the bytes asked for: anything else would lay out a different file.
        if let Some(total) = fetched.total
            && total != self.size
        {
            return Err(HttpError::BadRange {
                url: shown(&self.url),
                problem: format!(
                    "the server now says the file is {total} bytes, not the {} it said before",
                    self.size
                ),
            });
        }
        if fetched.bytes.len() as u64 != len {
            return Err(HttpError::BadRange {
                url: shown(&self.url),
                problem: format!(
                    "asked for {len} bytes at {offset}, got {}",
                    fetched.bytes.len()
                ),
            });
        }
        Ok(fetched.bytes)
    }
}

/// The header of a safetensors file: 8 bytes of length, then the JSON.
pub(crate) fn safetensors(r: &RemoteReader) -> Result<Fetch, HttpError> {
    let mut first = r.read(0, REMOTE_SAFETENSORS_FIRST_RANGE)?;
    let Some(len) = first
        .get(..8)
        .and_then(|b| b.try_into().ok())
        .map(u64::from_le_bytes)
    else {
        return Ok(Fetch::Pieces(vec![(0, first)]));
    };
    // A header over the cap (or past the end) is the reader's error to report, from the
    // length alone.
    let end = 8u64.saturating_add(len);
    if len <= SAFETENSORS_MAX_HEADER && end <= r.size && end > first.len() as u64 {
        let rest = r.read(first.len() as u64, end - first.len() as u64)?;
        first.extend(rest);
    }
    Ok(Fetch::Pieces(vec![(0, first)]))
}

/// Growing prefixes of a GGUF file until its key/values and tensor infos end.
pub(crate) fn gguf(r: &RemoteReader) -> Result<Fetch, HttpError> {
    let mut prefix = r.read(0, REMOTE_GGUF_FIRST_RANGE)?;
    loop {
        if crate::weights::gguf::metadata_complete(&prefix, r.size) {
            return Ok(Fetch::Pieces(vec![(0, prefix)]));
        }
        let have = prefix.len() as u64;
        if have >= REMOTE_GGUF_MAX_METADATA {
            return Ok(Fetch::Unread(format!(
                "its metadata runs past the first {} MiB, openseal's cap for reading GGUF headers remotely",
                REMOTE_GGUF_MAX_METADATA >> 20
            )));
        }
        let grow = have.min(REMOTE_GGUF_MAX_METADATA - have);
        let more = r.read(have, grow)?;
        if more.is_empty() {
            // The file ended: the whole of it is the prefix, which the reader judges.
            return Ok(Fetch::Pieces(vec![(0, prefix)]));
        }
        prefix.extend(more);
    }
}

/// A zip: its end record and directory, then each entry's local header, and the whole of every
/// entry that is not tensor storage (the pickle, `version`, `.npy` members).
pub(crate) fn zip(r: &RemoteReader) -> Result<Fetch, HttpError> {
    let tail_len = r.size.min(REMOTE_ZIP_TAIL);
    let tail_start = r.size - tail_len;
    let tail = r.read(tail_start, tail_len)?;
    let mut pieces: Pieces = vec![(tail_start, tail.clone())];
    let unread = |why: String| {
        Ok(Fetch::Unread(format!(
            "its zip directory cannot be read: {why}"
        )))
    };
    let at_or_fetch = |offset: u64, len: u64| -> Result<Vec<u8>, HttpError> {
        let in_tail = offset
            .checked_sub(tail_start)
            .and_then(|from| usize::try_from(from).ok())
            .and_then(|from| tail.get(from..from.checked_add(usize::try_from(len).ok()?)?));
        match in_tail {
            Some(bytes) => Ok(bytes.to_vec()),
            None => r.read(offset, len),
        }
    };
    let (cd_offset, cd_size) = match zip_dir::locate(&tail) {
        Err(why) => return unread(why),
        Ok(Located::Directory { offset, size }) => (offset, size),
        Ok(Located::Zip64Record { offset }) => {
            let record = at_or_fetch(offset, ZIP64_EOCD_LEN)?;
            pieces.push((offset, record.clone()));
            match zip_dir::zip64_directory(&record) {
                Ok(found) => found,
                Err(why) => return unread(why),
            }
        }
    };
    if cd_offset
        .checked_add(cd_size)
        .is_none_or(|end| end > r.size)
        || cd_size > REMOTE_MAX_BODY
    {
        return unread(format!(
            "the directory ({cd_size} bytes at {cd_offset}) does not fit in the file"
        ));
    }
    let cd = at_or_fetch(cd_offset, cd_size)?;
    let entries = match zip_dir::entries(&cd) {
        Ok(e) => e,
        Err(why) => return unread(why),
    };
    pieces.push((cd_offset, cd));
    let mut ranges = Vec::with_capacity(entries.len());
    let mut entry_bytes = 0u64;
    for e in &entries {
        // The local header's own name and extra field may differ from the directory's; 1 KiB
        // of slack covers PyTorch's alignment padding.
        let header = LOCAL_FIXED + e.name.len() as u64 + 1024;
        let body = if zip_dir::is_storage(&e.name) {
            0
        } else if e.compressed_size <= REMOTE_ZIP_MAX_ENTRY {
            e.compressed_size
        } else if e.name.ends_with(".npy") {
            NPY_MAX_HEADER.min(e.compressed_size)
        } else {
            return Ok(Fetch::Unread(format!(
                "its entry {:?} is {} bytes, over openseal's cap of {REMOTE_ZIP_MAX_ENTRY} for scanning a zip entry remotely",
                e.name, e.compressed_size
            )));
        };
        entry_bytes = entry_bytes.saturating_add(body);
        if entry_bytes > REMOTE_ZIP_MAX_ENTRY {
            return Ok(Fetch::Unread(format!(
                "its entries other than tensor storage hold over {} MiB, openseal's cap for scanning a zip remotely",
                REMOTE_ZIP_MAX_ENTRY >> 20
            )));
        }
        ranges.push((e.local_offset, header + body));
    }
    for (offset, len) in coalesce(ranges, r.size) {
        pieces.push((offset, at_or_fetch(offset, len)?));
    }
    Ok(Fetch::Pieces(pieces))
}

/// Merges ranges that overlap or lie within 64 KiB of each other (fewer requests for the
/// small entries a checkpoint keeps together), clamped to the file.
fn coalesce(mut ranges: Vec<(u64, u64)>, size: u64) -> Vec<(u64, u64)> {
    const GAP: u64 = 64 << 10;
    ranges.retain(|(o, _)| *o < size);
    ranges.sort_unstable();
    let mut out: Vec<(u64, u64)> = Vec::new();
    for (offset, len) in ranges {
        let end = offset.saturating_add(len).min(size);
        match out.last_mut() {
            Some((o, l))
                if offset <= (*o + *l).saturating_add(GAP) && end - *o <= REMOTE_MAX_BODY =>
            {
                *l = (*l).max(end - *o);
            }
            _ => out.push((offset, end - offset)),
        }
    }
    out
}

/// The first bytes of a `.npy` file: magic, version, header length, header.
pub(crate) fn npy(r: &RemoteReader) -> Result<Fetch, HttpError> {
    let first = r.read(0, 4096)?;
    let header_len = match (first.get(6), first.get(8..10), first.get(8..12)) {
        (Some(1), Some(b), _) => u64::from(u16::from_le_bytes([b[0], b[1]])) + 10,
        (Some(2 | 3), _, Some(b)) => u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]])) + 12,
        _ => 0,
    };
    let mut bytes = first;
    if header_len > bytes.len() as u64 && header_len <= NPY_MAX_HEADER {
        let have = bytes.len() as u64;
        bytes.extend(r.read(have, header_len - have)?);
    }
    Ok(Fetch::Pieces(vec![(0, bytes)]))
}

/// A weights file that ranges cannot serve (a legacy `torch.save` or a bare pickle, whose
/// pickle can be anywhere and must be scanned whole): the whole file up to a cap.
pub(crate) fn whole_weights(r: &RemoteReader, name: &Path) -> Result<Fetch, HttpError> {
    if r.size > REMOTE_MAX_WHOLE_WEIGHTS {
        return Ok(Fetch::Unread(format!(
            "{} is not a zip, safetensors or GGUF file, so scanning it needs all of its {} bytes; openseal downloads at most {} MiB of such a file remotely: download it and inspect it locally",
            name.display(),
            r.size,
            REMOTE_MAX_WHOLE_WEIGHTS >> 20
        )));
    }
    Ok(Fetch::Pieces(vec![(0, r.read(0, r.size)?)]))
}

#[cfg(test)]
mod tests {
    use super::coalesce;

    #[test]
    fn near_ranges_merge_and_far_ones_stay_apart() {
        assert_eq!(
            coalesce(vec![(100, 10), (0, 50), (1 << 30, 100)], 2 << 30),
            vec![(0, 110), (1 << 30, 100)]
        );
        assert_eq!(coalesce(vec![(90, 100)], 100), vec![(90, 10)]);
        assert_eq!(coalesce(vec![(200, 1)], 100), vec![]);
    }
}

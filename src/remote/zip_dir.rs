//! The zip central directory, read from fetched bytes to decide which ranges of a remote zip
//! (PyTorch checkpoint, `.npz`) to fetch. Hand-written because the `zip` crate reads every
//! entry's local header while listing, which over HTTP would cost one request per tensor before
//! anything is known; this reads the end record and the directory only. The fetched file is then
//! read by the same zip reader as a local one.

use crate::limits::ZIP_MAX_ENTRIES;

const EOCD_SIG: u32 = 0x0605_4b50;
const EOCD_LEN: usize = 22;
const ZIP64_LOCATOR_SIG: u32 = 0x0706_4b50;
const ZIP64_LOCATOR_LEN: usize = 20;
const ZIP64_EOCD_SIG: u32 = 0x0606_4b50;
/// Bytes of the zip64 end record that are read (signature to directory offset).
pub(crate) const ZIP64_EOCD_LEN: u64 = 56;
const CD_SIG: u32 = 0x0201_4b50;
const CD_FIXED: usize = 46;
/// The fixed part of a local file header.
pub(crate) const LOCAL_FIXED: u64 = 30;

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}
fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}
fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

/// Where the central directory is, or where the zip64 end record that says so is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Located {
    /// The directory's offset and size.
    Directory { offset: u64, size: u64 },
    /// The zip64 end record's offset: read [`ZIP64_EOCD_LEN`] bytes there, then
    /// [`zip64_directory`].
    Zip64Record { offset: u64 },
}

/// Finds the end of central directory record in `tail`, the last bytes of the file.
pub(crate) fn locate(tail: &[u8]) -> Result<Located, String> {
    if tail.len() < EOCD_LEN {
        return Err("too short to be a zip archive".into());
    }
    // The record is 22 bytes plus a comment of at most 65535; search backwards.
    let at = (0..=tail.len() - EOCD_LEN)
        .rev()
        .take(65536)
        .find(|&i| u32_at(tail, i) == Some(EOCD_SIG))
        .ok_or("no end of central directory record in the last 64 KiB")?;
    let entries = u16_at(tail, at + 10).unwrap_or(0);
    let size = u32_at(tail, at + 12).unwrap_or(0);
    let offset = u32_at(tail, at + 16).unwrap_or(0);
    let needs_zip64 = entries == u16::MAX || size == u32::MAX || offset == u32::MAX;
    if at >= ZIP64_LOCATOR_LEN && u32_at(tail, at - ZIP64_LOCATOR_LEN) == Some(ZIP64_LOCATOR_SIG) {
        let record = u64_at(tail, at - ZIP64_LOCATOR_LEN + 8).ok_or("zip64 locator cut short")?;
        return Ok(Located::Zip64Record { offset: record });
    }
    if needs_zip64 {
        return Err("the end record needs zip64 but there is no zip64 locator".into());
    }
    Ok(Located::Directory {
        offset: u64::from(offset),
        size: u64::from(size),
    })
}

/// The directory's offset and size from a zip64 end record.
pub(crate) fn zip64_directory(record: &[u8]) -> Result<(u64, u64), String> {
    if u32_at(record, 0) != Some(ZIP64_EOCD_SIG) {
        return Err("no zip64 end of central directory record where the locator points".into());
    }
    let size = u64_at(record, 40).ok_or("zip64 end record cut short")?;
    let offset = u64_at(record, 48).ok_or("zip64 end record cut short")?;
    Ok((offset, size))
}

/// One entry of the central directory: what is needed to fetch it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DirEntry {
    pub(crate) name: String,
    pub(crate) compressed_size: u64,
    /// Offset of its local header.
    pub(crate) local_offset: u64,
}

/// Parses every entry of the central directory `cd`.
pub(crate) fn entries(cd: &[u8]) -> Result<Vec<DirEntry>, String> {
    let mut out = Vec::new();
    let mut at = 0usize;
    while at + 4 <= cd.len() && u32_at(cd, at) == Some(CD_SIG) {
        if out.len() >= ZIP_MAX_ENTRIES {
            return Err(format!("more than {ZIP_MAX_ENTRIES} entries"));
        }
        let short = || format!("central directory entry at byte {at} cut short");
        let fixed = cd.get(at..at + CD_FIXED).ok_or_else(short)?;
        let mut compressed = u64::from(u32_at(fixed, 20).ok_or_else(short)?);
        let uncompressed = u32_at(fixed, 24).ok_or_else(short)?;
        let name_len = usize::from(u16_at(fixed, 28).ok_or_else(short)?);
        let extra_len = usize::from(u16_at(fixed, 30).ok_or_else(short)?);
        let comment_len = usize::from(u16_at(fixed, 32).ok_or_else(short)?);
        let mut local = u64::from(u32_at(fixed, 42).ok_or_else(short)?);
        let name_at = at + CD_FIXED;
        let name = cd.get(name_at..name_at + name_len).ok_or_else(short)?;
        let extra = cd
            .get(name_at + name_len..name_at + name_len + extra_len)
            .ok_or_else(short)?;
        // Zip64 extra field: the 64-bit values of the fields that read 0xFFFFFFFF, in order.
        let mut e = 0usize;
        while e + 4 <= extra.len() {
            let id = u16_at(extra, e).unwrap_or(0);
            let len = usize::from(u16_at(extra, e + 2).unwrap_or(0));
            let data = extra.get(e + 4..e + 4 + len).ok_or_else(short)?;
            if id == 1 {
                let mut k = 0usize;
                let mut next = || {
                    let v = u64_at(data, k);
                    k += 8;
                    v
                };
                if uncompressed == u32::MAX {
                    next().ok_or_else(short)?;
                }
                if compressed == u64::from(u32::MAX) {
                    compressed = next().ok_or_else(short)?;
                }
                if local == u64::from(u32::MAX) {
                    local = next().ok_or_else(short)?;
                }
            }
            e += 4 + len;
        }
        out.push(DirEntry {
            name: String::from_utf8_lossy(name).into_owned(),
            compressed_size: compressed,
            local_offset: local,
        });
        at = name_at + name_len + extra_len + comment_len;
    }
    Ok(out)
}

/// Whether an entry holds a PyTorch tensor storage (`ARCHIVE/data/KEY`, the key a number as
/// `torch.save` writes it), whose bytes are never needed for headers. Any other name is fetched,
/// so a pickle hidden under `data/` is scanned like every other.
pub(crate) fn is_storage(name: &str) -> bool {
    let mut parts = name.split('/');
    matches!(
        (parts.next(), parts.next(), parts.next(), parts.next()),
        (Some(_), Some("data"), Some(key), None)
            if !key.is_empty() && key.bytes().all(|b| b.is_ascii_digit())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn storages_are_told_from_pickles_and_side_entries() {
        assert!(is_storage("archive/data/0"));
        assert!(is_storage("model/data/140234"));
        assert!(!is_storage("archive/data.pkl"));
        assert!(!is_storage("archive/version"));
        assert!(!is_storage("archive/.data/serialization_id"));
        assert!(!is_storage("x.npy"));
        assert!(!is_storage("archive/data/evil.pkl"));
    }

    #[test]
    fn short_or_foreign_tails_are_errors_not_panics() {
        assert!(locate(&[]).is_err());
        assert!(locate(&[0u8; 100]).is_err());
        assert!(zip64_directory(&[0u8; 10]).is_err());
        assert_eq!(entries(&[1, 2, 3]).unwrap(), vec![]);
        let mut cd = CD_SIG.to_le_bytes().to_vec();
        cd.extend([0u8; 10]);
        assert!(entries(&cd).is_err());
    }
}

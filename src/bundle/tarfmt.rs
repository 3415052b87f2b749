//! The few tar structures a bundle uses, built and parsed with the `tar` crate's `Header`.
//!
//! A bundle is POSIX ustar: regular-file headers, and a PAX extended header (`x`) before a file
//! only when its path does not fit the ustar name/prefix fields or its size does not fit 11 octal
//! digits. The reader frames the stream itself (rather than through `tar::Archive`) so that it
//! sees every raw header — GNU long names, PAX globals, sparse files — bounds PAX headers before
//! reading them, and can check what follows the end-of-archive blocks.

use tar::{EntryType, Header};

/// The tar block size.
pub const BLOCK: usize = 512;

/// Largest size the ustar size field holds (11 octal digits); larger files need a PAX `size`.
pub(crate) const USTAR_MAX_SIZE: u64 = (1 << 33) - 1;

/// Name of the PAX extended-header pseudo-entries (fixed, so output is reproducible).
const PAX_HEADER_NAME: &[u8] = b"././@PaxHeader";

/// Bytes of zero padding after `size` bytes of data.
pub fn padding(size: u64) -> usize {
    let rem = (size % BLOCK as u64) as usize;
    if rem == 0 { 0 } else { BLOCK - rem }
}

/// One PAX record: `"<len> <key>=<value>\n"`, where `<len>` counts the whole record, itself
/// included.
pub fn pax_record(key: &str, value: &[u8]) -> Vec<u8> {
    let body = key.len() + value.len() + 3; // ' ', '=', '\n'
    let mut len = body + body.to_string().len();
    // Adding the length's own digits can add a digit.
    if len.to_string().len() != body.to_string().len() {
        len = body + len.to_string().len();
    }
    let mut rec = format!("{len} {key}=").into_bytes();
    rec.extend_from_slice(value);
    rec.push(b'\n');
    rec
}

/// Parses PAX extended-header data into (key, value) records, strictly: every record's length
/// must be exact, and there must be no bytes after the last record.
pub(crate) fn parse_pax(mut data: &[u8]) -> Result<Vec<(String, Vec<u8>)>, String> {
    let mut out = Vec::new();
    while !data.is_empty() {
        let space = data
            .iter()
            .position(|&b| b == b' ')
            .filter(|&p| p > 0 && p <= 20)
            .ok_or("record without a length")?;
        let len: usize = std::str::from_utf8(&data[..space])
            .ok()
            .filter(|s| s.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|s| s.parse().ok())
            .ok_or("record length is not a decimal number")?;
        if len <= space + 1 || len > data.len() {
            return Err(format!("record length {len} out of range"));
        }
        let record = &data[space + 1..len];
        let Some((&b'\n', kv)) = record.split_last() else {
            return Err("record does not end in a newline".into());
        };
        let eq = kv
            .iter()
            .position(|&b| b == b'=')
            .ok_or("record without `=`")?;
        let key =
            std::str::from_utf8(&kv[..eq]).map_err(|_| "record key is not UTF-8".to_string())?;
        out.push((key.to_string(), kv[eq + 1..].to_vec()));
        data = &data[len..];
    }
    Ok(out)
}

/// A ustar header with everything that must not vary between packs fixed: owner 0:0 with empty
/// names, the given mtime, no device numbers.
fn base_header(entry_type: EntryType, mode: u32, size: u64, mtime: u64) -> Header {
    let mut h = Header::new_ustar();
    h.set_entry_type(entry_type);
    h.set_mode(mode);
    h.set_uid(0);
    h.set_gid(0);
    h.set_mtime(mtime);
    h.set_size(size);
    // Empty user and group names cannot fail; ignore the Result so no error path exists.
    let _ = h.set_username("");
    let _ = h.set_groupname("");
    h
}

/// Whether `path` is stored exactly by the ustar name/prefix fields.
fn fits_ustar(h: &mut Header, path: &str) -> bool {
    h.set_path(path).is_ok() && h.path_bytes().as_ref() == path.as_bytes()
}

/// The header block(s) of a regular file: a PAX header first when needed, then the ustar header.
/// `path` must already have passed the bundle path rules (see [`crate::release::PathProblem`]).
pub fn file_header_blocks(path: &str, size: u64, executable: bool, mtime: u64) -> Vec<u8> {
    let mode = if executable { 0o755 } else { 0o644 };
    let mut h = base_header(EntryType::Regular, mode, size, mtime);
    let mut pax = Vec::new();
    if !fits_ustar(&mut h, path) {
        pax.extend(pax_record("path", path.as_bytes()));
        // Readers that ignore PAX still get a recognisable, truncated name.
        let name = &mut h.as_old_mut().name;
        name.fill(0);
        let cut = floor_char_boundary(path, name.len());
        name[..cut].copy_from_slice(&path.as_bytes()[..cut]);
    }
    if size > USTAR_MAX_SIZE {
        // `set_size` already wrote the GNU base-256 form for readers without PAX support.
        pax.extend(pax_record("size", size.to_string().as_bytes()));
    }
    h.set_cksum();

    let mut out = Vec::with_capacity(3 * BLOCK + pax.len());
    if !pax.is_empty() {
        let mut x = base_header(EntryType::XHeader, 0o644, pax.len() as u64, mtime);
        x.as_old_mut().name[..PAX_HEADER_NAME.len()].copy_from_slice(PAX_HEADER_NAME);
        x.set_cksum();
        out.extend_from_slice(x.as_bytes());
        out.extend_from_slice(&pax);
        out.resize(out.len() + padding(pax.len() as u64), 0);
    }
    out.extend_from_slice(h.as_bytes());
    out
}

/// The largest index ≤ `max` that is a char boundary of `s` (and ≤ its length).
fn floor_char_boundary(s: &str, max: usize) -> usize {
    let mut i = max.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Whether the stored checksum of a header block matches its contents (checksum field counted as
/// spaces, unsigned sum, as POSIX says).
pub(crate) fn checksum_ok(block: &[u8; BLOCK]) -> bool {
    let h = Header::from_byte_slice(block);
    let Ok(stored) = h.cksum() else { return false };
    let sum: u32 = block[..148]
        .iter()
        .chain([b' '; 8].iter())
        .chain(block[156..].iter())
        .map(|&b| u32::from(b))
        .sum();
    sum == stored
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pax_record_lengths_are_exact() {
        assert_eq!(pax_record("path", b"a"), b"9 path=a\n");
        // 8 bytes of body plus one length digit would be 9; 9 more bytes need a second digit.
        assert_eq!(pax_record("path", b"abcdefghij"), b"19 path=abcdefghij\n");
        for n in 0..300 {
            let v = vec![b'x'; n];
            let r = pax_record("path", &v);
            let (len, _) = std::str::from_utf8(&r).unwrap().split_once(' ').unwrap();
            assert_eq!(len.parse::<usize>().unwrap(), r.len(), "value of {n} bytes");
            assert_eq!(parse_pax(&r).unwrap(), vec![("path".to_string(), v)]);
        }
    }

    #[test]
    fn parse_pax_rejects_malformed() {
        for bad in [
            &b"5 a=b\n"[..],
            b"x path=a\n",
            b"11 path=a",
            b"11 path=a\nX",
            b"10 patha\n\n",
            b"99 path=a\n",
            b" path=a\n",
        ] {
            assert!(
                parse_pax(bad).is_err(),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
        assert_eq!(parse_pax(b"").unwrap(), vec![]);
    }

    #[test]
    fn short_and_long_paths() {
        let short = file_header_blocks("a/b.txt", 5, false, 1);
        assert_eq!(short.len(), BLOCK);
        let block: &[u8; BLOCK] = short[..BLOCK].try_into().unwrap();
        assert!(checksum_ok(block));
        let h = Header::from_byte_slice(block);
        assert_eq!(h.path_bytes().as_ref(), b"a/b.txt");
        assert_eq!(h.mode().unwrap(), 0o644);

        // 150 bytes in one component: no prefix split possible, so PAX.
        let long = format!("d/{}", "é".repeat(75));
        let blocks = file_header_blocks(&long, 5, true, 1);
        assert_eq!(blocks.len(), 3 * BLOCK);
        let x = Header::from_byte_slice(&blocks[..BLOCK]);
        assert_eq!(x.entry_type(), EntryType::XHeader);
        let pax_len = x.entry_size().unwrap() as usize;
        let recs = parse_pax(&blocks[BLOCK..BLOCK + pax_len]).unwrap();
        assert_eq!(recs, vec![("path".to_string(), long.as_bytes().to_vec())]);
        let h = Header::from_byte_slice(&blocks[2 * BLOCK..]);
        assert_eq!(h.mode().unwrap(), 0o755);

        // Long but splittable at a '/' into prefix and name: plain ustar.
        let split = format!("{}/{}", "p".repeat(150), "n".repeat(90));
        assert_eq!(file_header_blocks(&split, 0, false, 1).len(), BLOCK);
    }

    #[test]
    fn huge_files_get_a_pax_size() {
        let size = USTAR_MAX_SIZE + 1;
        let blocks = file_header_blocks("big.bin", size, false, 1);
        let x = Header::from_byte_slice(&blocks[..BLOCK]);
        let pax_len = x.entry_size().unwrap() as usize;
        let recs = parse_pax(&blocks[BLOCK..BLOCK + pax_len]).unwrap();
        assert_eq!(
            recs,
            vec![("size".to_string(), size.to_string().into_bytes())]
        );
        let h = Header::from_byte_slice(&blocks[2 * BLOCK..]);
        assert_eq!(h.entry_size().unwrap(), size);
        assert_eq!(h.path_bytes().as_ref(), b"big.bin");
    }

    #[test]
    fn checksum_detects_a_flip() {
        let mut block: [u8; BLOCK] = file_header_blocks("a", 1, false, 1)[..].try_into().unwrap();
        assert!(checksum_ok(&block));
        block[0] ^= 1;
        assert!(!checksum_ok(&block));
    }
}

//! Zip archives, the container of PyTorch checkpoints, TorchScript and NumPy `.npz`: the
//! bounded reader every zip-based format uses, and which of those formats an archive holds.

mod archive;

pub use archive::ArchiveError;
pub(crate) use archive::{Archive, Entry};

/// What a zip archive holds, judged from its entry names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZipKind {
    /// `torch.save`: `<prefix>/data.pkl` and `<prefix>/data/<key>`.
    Pytorch,
    /// `torch.jit.save`: also `code/` and `constants.pkl`.
    Torchscript,
    /// NumPy `savez`: only `.npy` entries.
    Npz,
    /// Any other zip archive.
    Other,
}

/// The kind of zip archive `bytes` is, or `None` when it is not a readable zip archive.
pub fn zip_kind(bytes: &[u8]) -> Option<ZipKind> {
    if !bytes.starts_with(b"PK\x03\x04") && !bytes.starts_with(b"PK\x05\x06") {
        return None;
    }
    let a = Archive::open(bytes).ok()?;
    let names: Vec<&str> = a.entries.iter().map(|e| e.name.as_str()).collect();
    let top_level = |n: &str, file: &str| top_level_folder(n, file).is_some();
    if names.iter().any(|n| top_level(n, "data.pkl")) {
        let ts = names.iter().any(|n| {
            top_level(n, "constants.pkl") || n.contains("/code/") || n.starts_with("code/")
        });
        return Some(if ts {
            ZipKind::Torchscript
        } else {
            ZipKind::Pytorch
        });
    }
    if !names.is_empty() && names.iter().all(|n| n.ends_with(".npy")) {
        return Some(ZipKind::Npz);
    }
    Some(ZipKind::Other)
}

/// The folder (`""` or `"<one folder>/"`) of entry `name` when it is `file` at the top of the
/// archive or one folder down, where `torch.save` puts everything.
pub(crate) fn top_level_folder<'n>(name: &'n str, file: &str) -> Option<&'n str> {
    name.strip_suffix(file)
        .filter(|p| p.is_empty() || (p.ends_with('/') && p.matches('/').count() == 1))
}

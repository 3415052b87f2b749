//! Recognising files that sit under a weights name but are something else: the usual results of
//! a failed download. Each gets a plain explanation and what to do.

/// Something that is not a weights file, recognised from its first bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Impostor {
    /// A Git LFS pointer (`version https://git-lfs...`): the real file was never fetched.
    LfsPointer { size: Option<u64> },
    /// An HTML page (an error or login page saved under the weights name).
    Html,
    /// Zero bytes.
    Empty,
}

impl Impostor {
    pub fn explain(&self) -> String {
        match self {
            Impostor::LfsPointer { size: Some(size) } => format!(
                "this is a Git LFS pointer to a {size}-byte file, not the weights: run `git lfs pull` in the repository"
            ),
            Impostor::LfsPointer { size: None } => {
                "this is a Git LFS pointer, not the weights: run `git lfs pull` in the repository"
                    .to_string()
            }
            Impostor::Html => {
                "this is an HTML page (an error or login page saved under a weights name), not weights: download the file again"
                    .to_string()
            }
            Impostor::Empty => "the file is empty (0 bytes): download it again".to_string(),
        }
    }
}

pub fn sniff(bytes: &[u8]) -> Option<Impostor> {
    if bytes.is_empty() {
        return Some(Impostor::Empty);
    }
    let head = &bytes[..bytes.len().min(1024)];
    if head.starts_with(b"version https://git-lfs") {
        let text = String::from_utf8_lossy(head);
        let size = text
            .lines()
            .find_map(|l| l.strip_prefix("size "))
            .and_then(|s| s.trim().parse().ok());
        return Some(Impostor::LfsPointer { size });
    }
    let trimmed = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map_or(&head[..0], |i| &head[i..]);
    let lower: Vec<u8> = trimmed
        .iter()
        .take(15)
        .map(u8::to_ascii_lowercase)
        .collect();
    if lower.starts_with(b"<!doctype html") || lower.starts_with(b"<html") {
        return Some(Impostor::Html);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lfs_pointer_with_size() {
        let p = b"version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 4976698672\n";
        assert_eq!(
            sniff(p),
            Some(Impostor::LfsPointer {
                size: Some(4976698672)
            })
        );
    }

    #[test]
    fn html_page() {
        assert_eq!(sniff(b"\n<!DOCTYPE html><html>"), Some(Impostor::Html));
        assert_eq!(sniff(b"<HTML><body>"), Some(Impostor::Html));
    }

    #[test]
    fn weights_are_not_impostors() {
        assert_eq!(sniff(b"\x10\0\0\0\0\0\0\0{}"), None);
        assert_eq!(sniff(b""), Some(Impostor::Empty));
    }
}

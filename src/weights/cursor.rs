//! A bounds-checked reader over a byte slice, shared by the hand-written parsers (GGUF, pickle,
//! NumPy). Every read is checked against the bytes that remain; nothing here allocates.

use thiserror::Error;

/// Not enough bytes left for a read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("at byte {offset}: needed {needed} bytes, only {remaining} remain")]
pub struct OutOfBounds {
    pub(crate) offset: u64,
    pub(crate) needed: u64,
    pub(crate) remaining: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endian {
    Little,
    Big,
}

#[derive(Debug, Clone)]
pub struct Cursor<'a> {
    data: &'a [u8],
    pos: usize,
    /// Offset of `data[0]` in the file, so errors report file offsets.
    base: u64,
    pub endian: Endian,
}

macro_rules! read_int {
    ($name:ident, $ty:ty) => {
        pub fn $name(&mut self) -> Result<$ty, OutOfBounds> {
            let bytes = self.array::<{ std::mem::size_of::<$ty>() }>()?;
            Ok(match self.endian {
                Endian::Little => <$ty>::from_le_bytes(bytes),
                Endian::Big => <$ty>::from_be_bytes(bytes),
            })
        }
    };
}

impl<'a> Cursor<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Self::with_base(data, 0)
    }

    /// A cursor over `data`, which starts at file offset `base`.
    pub fn with_base(data: &'a [u8], base: u64) -> Self {
        Cursor {
            data,
            pos: 0,
            base,
            endian: Endian::Little,
        }
    }

    /// File offset of the next byte to read.
    pub fn offset(&self) -> u64 {
        self.base + self.pos as u64
    }

    pub fn remaining(&self) -> u64 {
        (self.data.len() - self.pos) as u64
    }

    pub fn is_empty(&self) -> bool {
        self.pos == self.data.len()
    }

    fn out_of_bounds(&self, needed: u64) -> OutOfBounds {
        OutOfBounds {
            offset: self.offset(),
            needed,
            remaining: self.remaining(),
        }
    }

    /// The next `n` bytes; `n` is checked against what remains before anything else happens.
    pub fn take(&mut self, n: u64) -> Result<&'a [u8], OutOfBounds> {
        if n > self.remaining() {
            return Err(self.out_of_bounds(n));
        }
        let n = n as usize;
        let slice = &self.data[self.pos..self.pos + n];
        self.pos += n;
        Ok(slice)
    }

    pub fn skip(&mut self, n: u64) -> Result<(), OutOfBounds> {
        self.take(n).map(|_| ())
    }

    /// Check that `count` items of `item_size` bytes each could still follow, without reading
    /// them: the guard to run before reserving memory for `count` items.
    pub fn ensure_items(&self, count: u64, item_size: u64) -> Result<(), OutOfBounds> {
        match count.checked_mul(item_size) {
            Some(total) if total <= self.remaining() => Ok(()),
            Some(total) => Err(self.out_of_bounds(total)),
            None => Err(self.out_of_bounds(u64::MAX)),
        }
    }

    pub fn array<const N: usize>(&mut self) -> Result<[u8; N], OutOfBounds> {
        let bytes = self.take(N as u64)?;
        let mut out = [0u8; N];
        out.copy_from_slice(bytes);
        Ok(out)
    }

    pub fn u8(&mut self) -> Result<u8, OutOfBounds> {
        Ok(self.array::<1>()?[0])
    }

    read_int!(u16, u16);
    read_int!(u32, u32);
    read_int!(u64, u64);
    read_int!(i8, i8);
    read_int!(i16, i16);
    read_int!(i32, i32);
    read_int!(i64, i64);
    read_int!(f32, f32);
    read_int!(f64, f64);

    /// Peek at the next `n` bytes without consuming them (fewer if fewer remain).
    pub fn peek(&self, n: usize) -> &'a [u8] {
        let end = self.pos.saturating_add(n).min(self.data.len());
        &self.data[self.pos..end]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_byte_orders() {
        let mut c = Cursor::new(&[1, 0, 0, 0, 0, 0, 0, 1]);
        assert_eq!(c.u32().unwrap(), 1);
        c.endian = Endian::Big;
        assert_eq!(c.u32().unwrap(), 1);
        assert!(c.is_empty());
    }

    #[test]
    fn reports_offset_and_shortfall() {
        let mut c = Cursor::with_base(&[1, 2, 3], 100);
        c.u8().unwrap();
        let err = c.u32().unwrap_err();
        assert_eq!(
            err,
            OutOfBounds {
                offset: 101,
                needed: 4,
                remaining: 2
            }
        );
    }

    #[test]
    fn ensure_items_catches_overflow() {
        let c = Cursor::new(&[0; 16]);
        assert!(c.ensure_items(2, 8).is_ok());
        assert!(c.ensure_items(3, 8).is_err());
        assert!(c.ensure_items(u64::MAX, 2).is_err());
    }
}

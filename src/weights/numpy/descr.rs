//! NumPy dtype descriptions (`descr`): `'<f4'`, `'|b1'`, `'>i8'`, `'|O'`, `'<U10'`, or a list
//! of fields for structured dtypes.

use super::literal::Lit;
use crate::weights::dtype::{Dtype, StDtype};

/// A decoded `descr`.
#[derive(Debug, Clone, PartialEq)]
pub struct Descr {
    pub dtype: Dtype,
    /// Bytes per element, when known.
    pub itemsize: Option<u64>,
    pub big_endian: bool,
    /// Object array: the payload is a pickle.
    pub object: bool,
}

fn st_dtype(kind: u8, size: u64) -> Option<StDtype> {
    Some(match (kind, size) {
        (b'f', 2) => StDtype::F16,
        (b'f', 4) => StDtype::F32,
        (b'f', 8) => StDtype::F64,
        (b'i', 1) => StDtype::I8,
        (b'i', 2) => StDtype::I16,
        (b'i', 4) => StDtype::I32,
        (b'i', 8) => StDtype::I64,
        (b'u', 1) => StDtype::U8,
        (b'u', 2) => StDtype::U16,
        (b'u', 4) => StDtype::U32,
        (b'u', 8) => StDtype::U64,
        (b'b', 1) => StDtype::Bool,
        (b'c', 8) => StDtype::C64,
        _ => return None,
    })
}

/// Decode a simple (string) `descr`.
pub fn parse_simple(descr: &str) -> Result<Descr, String> {
    let b = descr.as_bytes();
    let (order, rest) = match b.first() {
        Some(o @ (b'<' | b'>' | b'|' | b'=')) => (*o, b.get(1..).unwrap_or_default()),
        _ => (b'=', b),
    };
    let Some((&kind, size_text)) = rest.split_first() else {
        return Err(format!("empty dtype {descr:?}"));
    };
    if kind == b'O' {
        return Ok(Descr {
            dtype: Dtype::Other {
                name: "object".to_string(),
                bits: None,
            },
            itemsize: None,
            big_endian: false,
            object: true,
        });
    }
    // Datetimes carry a unit: `<M8[ns]`.
    let digits_end = size_text
        .iter()
        .position(|c| !c.is_ascii_digit())
        .unwrap_or(size_text.len());
    let digits =
        std::str::from_utf8(size_text.get(..digits_end).unwrap_or_default()).unwrap_or_default();
    let size: u64 = digits
        .parse()
        .map_err(|_| format!("dtype {descr:?} has no element size"))?;
    let unit_ok = match size_text.get(digits_end..) {
        Some([]) => true,
        Some([b'[', .., b']']) => matches!(kind, b'M' | b'm'),
        _ => false,
    };
    if !unit_ok || !b"fiucbUSVaMm?".contains(&kind) {
        return Err(format!("unknown dtype {descr:?}"));
    }
    // Unicode counts 4-byte code points; the others count bytes.
    let itemsize = if kind == b'U' {
        size.checked_mul(4)
    } else {
        Some(size)
    };
    let dtype = match (kind == b'c' && size == 16, st_dtype(kind, size)) {
        (true, _) => Dtype::Other {
            name: "C128".to_string(),
            bits: Some(128),
        },
        (_, Some(d)) => Dtype::St(d),
        _ => Dtype::Other {
            name: descr.trim_start_matches(['<', '>', '|', '=']).to_string(),
            bits: itemsize.and_then(|s| s.checked_mul(8)),
        },
    };
    Ok(Descr {
        dtype,
        itemsize,
        big_endian: order == b'>' && size > 1,
        object: false,
    })
}

/// Bytes of one element of a structured dtype (a list of `(name, descr[, shape])`).
fn structured_size(fields: &[Lit], depth: usize) -> Result<(Option<u64>, bool, bool), String> {
    if depth > 8 {
        return Err("structured dtype nested too deeply".to_string());
    }
    let mut total = Some(0u64);
    let (mut object, mut big) = (false, false);
    for f in fields {
        let Lit::Tuple(parts) = f else {
            return Err("structured dtype field is not a tuple".to_string());
        };
        let (size, o, b) = match parts.get(1) {
            Some(Lit::Str(d)) => {
                let d = parse_simple(d)?;
                (d.itemsize, d.object, d.big_endian)
            }
            Some(Lit::List(inner)) => structured_size(inner, depth + 1)?,
            _ => return Err("structured dtype field has no dtype".to_string()),
        };
        object |= o;
        big |= b;
        let count = match parts.get(2) {
            Some(Lit::Tuple(dims)) => dims.iter().try_fold(1u64, |acc, d| match d {
                Lit::Int(n) => u64::try_from(*n).ok().and_then(|n| acc.checked_mul(n)),
                _ => None,
            }),
            Some(Lit::Int(n)) => u64::try_from(*n).ok(),
            _ => Some(1),
        };
        total = match (total, size, count) {
            (Some(t), Some(s), Some(c)) => s.checked_mul(c).and_then(|x| t.checked_add(x)),
            _ => None,
        };
    }
    Ok((total, object, big))
}

/// Decode any `descr` value.
pub fn parse(descr: &Lit) -> Result<Descr, String> {
    match descr {
        Lit::Str(s) => parse_simple(s),
        Lit::List(fields) => {
            let (itemsize, object, big_endian) = structured_size(fields, 0)?;
            Ok(Descr {
                dtype: Dtype::Other {
                    name: "structured".to_string(),
                    bits: itemsize.and_then(|s| s.checked_mul(8)),
                },
                itemsize,
                big_endian,
                object,
            })
        }
        _ => Err("descr is neither a string nor a list of fields".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simple() {
        assert_eq!(parse_simple("<f4").unwrap().dtype, Dtype::St(StDtype::F32));
        assert_eq!(parse_simple("|b1").unwrap().dtype, Dtype::St(StDtype::Bool));
        let be = parse_simple(">f8").unwrap();
        assert_eq!(be.dtype, Dtype::St(StDtype::F64));
        assert!(be.big_endian);
        assert!(!parse_simple("|u1").unwrap().big_endian);
        assert_eq!(parse_simple("<c16").unwrap().dtype.name(), "C128");
        assert!(parse_simple("|O").unwrap().object);
        let u = parse_simple("<U10").unwrap();
        assert_eq!(u.itemsize, Some(40));
        assert_eq!(
            u.dtype,
            Dtype::Other {
                name: "U10".into(),
                bits: Some(320)
            }
        );
        assert_eq!(parse_simple("<M8[ns]").unwrap().itemsize, Some(8));
        assert!(parse_simple("<q4").is_err());
        assert!(parse_simple("<f").is_err());
    }

    #[test]
    fn structured() {
        let l = super::super::literal::parse("[('x', '<f4'), ('y', '<i2', (3,))]").unwrap();
        let d = parse(&l).unwrap();
        assert_eq!(d.itemsize, Some(10));
        assert_eq!(d.dtype.name(), "structured");
    }
}

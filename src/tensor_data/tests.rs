use super::*;
use crate::weights::{Dtype, StDtype, TensorInfo};

fn info(shape: &[u64], strides: Option<Vec<u64>>, offset: u64, dtype: StDtype) -> TensorInfo {
    TensorInfo {
        name: "t".into(),
        dtype: Dtype::St(dtype),
        shape: shape.to_vec(),
        strides,
        offset: Some(offset),
        nbytes: None,
    }
}

#[test]
fn contiguous_little_endian_is_borrowed() {
    let file: Vec<u8> = (0..32).collect();
    let t = locate(
        &file,
        &info(&[2, 2], None, 4, StDtype::F32),
        ByteOrder::Little,
    )
    .unwrap();
    assert_eq!(t.len(), 16);
    assert!(!t.copies());
    assert!(matches!(t.read(0, 16), Cow::Borrowed(_)));
    assert_eq!(&*t.read(4, 4), &[8, 9, 10, 11]);
}

#[test]
fn fortran_order_is_gathered_row_major() {
    // A 2x3 u16 matrix stored column-major: element (i, j) at j*2 + i.
    let col_major: [u16; 6] = [0, 10, 1, 11, 2, 12];
    let file: Vec<u8> = col_major.iter().flat_map(|v| v.to_le_bytes()).collect();
    let t = locate(
        &file,
        &info(&[2, 3], Some(vec![1, 2]), 0, StDtype::U16),
        ByteOrder::Little,
    )
    .unwrap();
    let all: Vec<u16> = t
        .read(0, 12)
        .chunks(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    assert_eq!(all, [0, 1, 2, 10, 11, 12]);
    // A piece starting mid-row.
    let part: Vec<u16> = t
        .read(4, 6)
        .chunks(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    assert_eq!(part, [2, 10, 11]);
}

#[test]
fn big_endian_is_swapped() {
    let file = 1.5f32.to_be_bytes().to_vec();
    let t = locate(&file, &info(&[1], None, 0, StDtype::F32), ByteOrder::Big).unwrap();
    assert_eq!(&*t.read(0, 4), &1.5f32.to_le_bytes());
}

#[test]
fn out_of_file_and_unknown_sizes_are_errors() {
    let file = [0u8; 8];
    let e = locate(&file, &info(&[4], None, 0, StDtype::F32), ByteOrder::Little).unwrap_err();
    assert_eq!(
        e,
        DataError::OutsideFile {
            start: 0,
            end: 16,
            size: 8
        }
    );
    let e = locate(
        &file,
        &info(&[2, 2], Some(vec![1, 8]), 0, StDtype::U8),
        ByteOrder::Little,
    )
    .unwrap_err();
    assert!(matches!(e, DataError::OutsideFile { end: 10, .. }), "{e:?}");
    let mut no_offset = info(&[2], None, 0, StDtype::U8);
    no_offset.offset = None;
    assert_eq!(
        locate(&file, &no_offset, ByteOrder::Little).unwrap_err(),
        DataError::NotInFile
    );
}

#[test]
fn pieces_hold_whole_units() {
    let file = [0u8; 30];
    let t = locate(
        &file,
        &info(&[40], None, 0, StDtype::F6E2M3),
        ByteOrder::Little,
    )
    .unwrap();
    assert_eq!(t.len(), 30);
    assert_eq!(t.pieces(3, 10), vec![(0, 9), (9, 9), (18, 9), (27, 3)]);
}

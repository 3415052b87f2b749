use super::*;

fn f32s(f: DecodeF32, bytes: &[u8]) -> Vec<f32> {
    let mut v = Vec::new();
    f(bytes, &mut v);
    v
}

#[test]
fn f4_e2m1_covers_the_ocp_table() {
    // OCP MX spec v1.0, table for FP4 E2M1: codes 0..8 positive, 8..16 negative.
    let table = [0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0];
    let bytes: Vec<u8> = (0u8..8).map(|c| c | ((c | 8) << 4)).collect();
    let v = f32s(minifloat::f4_e2m1, &bytes);
    for (c, pair) in v.chunks(2).enumerate() {
        assert_eq!(pair[0], table[c]);
        assert_eq!(pair[1], -table[c]);
    }
}

#[test]
fn f6_extremes_match_the_spec() {
    // All-ones magnitude codes (0x1F) are the largest values; 0x01 the smallest subnormal.
    let pack = |codes: [u32; 4]| {
        let w = codes[0] | codes[1] << 6 | codes[2] << 12 | codes[3] << 18;
        vec![w as u8, (w >> 8) as u8, (w >> 16) as u8]
    };
    let b = pack([0x1F, 0x01, 0x3F, 0x20]);
    assert_eq!(f32s(minifloat::f6_e2m3, &b), [7.5, 0.125, -7.5, -0.0]);
    assert_eq!(f32s(minifloat::f6_e3m2, &b), [28.0, 0.0625, -28.0, -0.0]);
}

#[test]
fn fp8_variants() {
    let e5m2 = f32s(minifloat::f8_e5m2, &[0x3C, 0x7C, 0xFC, 0x7F, 0x7B]);
    assert_eq!(e5m2[..3], [1.0, f32::INFINITY, f32::NEG_INFINITY]);
    assert!(e5m2[3].is_nan());
    assert_eq!(e5m2[4], 57344.0);
    let fnuz = f32s(minifloat::f8_e4m3fnuz, &[0x40, 0x80, 0x7F, 0x01, 0x00]);
    assert_eq!(fnuz[0], 1.0);
    assert!(fnuz[1].is_nan());
    assert_eq!(fnuz[2], 240.0);
    assert_eq!(fnuz[3], 2f32.powi(-10));
    assert_eq!(fnuz[4], 0.0);
    let e5fnuz = f32s(minifloat::f8_e5m2fnuz, &[0x40, 0x80, 0x7F]);
    assert_eq!(e5fnuz[0], 1.0);
    assert!(e5fnuz[1].is_nan());
    assert_eq!(e5fnuz[2], 57344.0);
    let e8m0 = f32s(minifloat::f8_e8m0, &[127, 0, 254, 255]);
    assert_eq!(e8m0[..3], [1.0, 2f32.powi(-127), 2f32.powi(127)]);
    assert!(e8m0[3].is_nan());
}

#[test]
fn ggml_blocks() {
    let mut q8 = half::f16::from_f32(0.5).to_le_bytes().to_vec();
    q8.extend((0..32).map(|i| (i as i8 - 16) as u8));
    let v = f32s(ggml::q8_0, &q8);
    assert_eq!(v.len(), 32);
    assert_eq!(v[0], -8.0);
    assert_eq!(v[31], 7.5);
    let mut q4 = half::f16::from_f32(2.0).to_le_bytes().to_vec();
    q4.extend([0xF0u8; 16]);
    let v = f32s(ggml::q4_0, &q4);
    assert_eq!(v[..16], [-16.0; 16]);
    assert_eq!(v[16..], [14.0; 16]);
}

#[test]
fn every_safetensors_dtype_has_a_plan_or_a_reason() {
    for d in StDtype::ALL {
        match decoding(&Dtype::St(d)) {
            Ok(dec) => assert!(dec.unit_bytes > 0 && dec.unit_elems > 0),
            Err(why) => assert!(why.contains("C64"), "{why}"),
        }
    }
    assert!(
        decoding(&Dtype::Ggml(GgmlType(12))).is_err(),
        "Q4_K is not decoded"
    );
}

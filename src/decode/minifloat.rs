//! Decoders for element types candle cannot load: small integers, 8-bit floats other than
//! E4M3FN, and the OCP Microscaling (MX) element types F4 (E2M1), F6 (E2M3, E3M2) and the E8M0
//! scale type. Each decoder appends one value per element, exactly (every value fits f32).

use half::f16;

pub fn bool(bytes: &[u8], out: &mut Vec<f32>) {
    out.extend(bytes.iter().map(|&b| f32::from(u8::from(b != 0))));
}

pub fn i8(bytes: &[u8], out: &mut Vec<f32>) {
    out.extend(bytes.iter().map(|&b| f32::from(b as i8)));
}

pub fn u16(bytes: &[u8], out: &mut Vec<f32>) {
    out.extend(
        bytes
            .chunks_exact(2)
            .map(|c| f32::from(u16::from_le_bytes([c[0], c[1]]))),
    );
}

/// 64-bit unsigned integers become the nearest f64 (exact below 2^53).
pub fn u64(bytes: &[u8], out: &mut Vec<f64>) {
    out.extend(bytes.chunks_exact(8).map(|c| {
        let mut a = [0u8; 8];
        a.copy_from_slice(c);
        u64::from_le_bytes(a) as f64
    }));
}

/// A sign-exponent-mantissa float without infinities: `exp_bits`/`man_bits` wide, `bias`.
/// Exponent 0 is subnormal.
fn finite_float(bits: u32, exp_bits: u32, man_bits: u32, bias: i32) -> f32 {
    let sign = if bits >> (exp_bits + man_bits) & 1 == 1 {
        -1.0
    } else {
        1.0
    };
    let e = ((bits >> man_bits) & ((1 << exp_bits) - 1)) as i32;
    let m = (bits & ((1 << man_bits) - 1)) as f32 / (1u32 << man_bits) as f32;
    let magnitude = if e == 0 {
        m * 2f32.powi(1 - bias)
    } else {
        (1.0 + m) * 2f32.powi(e - bias)
    };
    sign * magnitude
}

/// FP8 E5M2 (IEEE-like, with infinities and NaN): the top byte of an f16.
pub fn f8_e5m2(bytes: &[u8], out: &mut Vec<f32>) {
    out.extend(
        bytes
            .iter()
            .map(|&b| f16::from_bits(u16::from(b) << 8).to_f32()),
    );
}

/// FP8 E4M3FNUZ (AMD/Graphcore): bias 8, no infinities, no negative zero; 0x80 is NaN.
pub fn f8_e4m3fnuz(bytes: &[u8], out: &mut Vec<f32>) {
    out.extend(bytes.iter().map(|&b| {
        if b == 0x80 {
            f32::NAN
        } else {
            finite_float(u32::from(b), 4, 3, 8)
        }
    }));
}

/// FP8 E5M2FNUZ: bias 16, no infinities, no negative zero; 0x80 is NaN.
pub fn f8_e5m2fnuz(bytes: &[u8], out: &mut Vec<f32>) {
    out.extend(bytes.iter().map(|&b| {
        if b == 0x80 {
            f32::NAN
        } else {
            finite_float(u32::from(b), 5, 2, 16)
        }
    }));
}

/// OCP MX E8M0 scale: 2^(b - 127); 0xFF is NaN. No sign, no zero.
pub fn f8_e8m0(bytes: &[u8], out: &mut Vec<f32>) {
    out.extend(bytes.iter().map(|&b| {
        if b == 0xFF {
            f32::NAN
        } else {
            2f32.powi(i32::from(b) - 127)
        }
    }));
}

/// OCP MX FP4 E2M1 (bias 1, max 6, no infinities or NaN), two per byte: the first element in
/// the low nibble, as PyTorch's `float4_e2m1fn_x2` packs them.
pub fn f4_e2m1(bytes: &[u8], out: &mut Vec<f32>) {
    for &b in bytes {
        out.push(finite_float(u32::from(b & 0x0F), 2, 1, 1));
        out.push(finite_float(u32::from(b >> 4), 2, 1, 1));
    }
}

/// Four 6-bit codes from three bytes, packed little-endian: element i is bits 6i..6i+6 of the
/// 24-bit little-endian integer the bytes form.
fn six_bit_codes(bytes: &[u8]) -> impl Iterator<Item = u32> + '_ {
    bytes.chunks_exact(3).flat_map(|c| {
        let word = u32::from(c[0]) | u32::from(c[1]) << 8 | u32::from(c[2]) << 16;
        (0..4).map(move |i| (word >> (6 * i)) & 0x3F)
    })
}

/// OCP MX FP6 E2M3: bias 1, max 7.5, no infinities or NaN.
pub fn f6_e2m3(bytes: &[u8], out: &mut Vec<f32>) {
    out.extend(six_bit_codes(bytes).map(|c| finite_float(c, 2, 3, 1)));
}

/// OCP MX FP6 E3M2: bias 3, max 28, no infinities or NaN.
pub fn f6_e3m2(bytes: &[u8], out: &mut Vec<f32>) {
    out.extend(six_bit_codes(bytes).map(|c| finite_float(c, 3, 2, 3)));
}

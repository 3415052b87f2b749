//! Statistics of a set of values that combine exactly across chunks: counts, min/max, and the
//! mean and sum of squared deviations (M2) merged with Chan et al.'s parallel formula in f64, so
//! chunk order and size do not change the result beyond rounding.

use serde::Serialize;

/// Partial statistics of some elements. Only finite values enter min, max, mean and M2.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Moments {
    pub(crate) elements: u64,
    pub(crate) finite: u64,
    pub(crate) nan: u64,
    pub(crate) pos_inf: u64,
    pub(crate) neg_inf: u64,
    pub(crate) zeros: u64,
    pub(crate) min: f64,
    pub(crate) max: f64,
    pub(crate) mean: f64,
    pub(crate) m2: f64,
}

impl Default for Moments {
    fn default() -> Self {
        Moments {
            elements: 0,
            finite: 0,
            nan: 0,
            pos_inf: 0,
            neg_inf: 0,
            zeros: 0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
            mean: 0.0,
            m2: 0.0,
        }
    }
}

impl Moments {
    pub(crate) fn merge(&mut self, o: &Moments) {
        self.elements += o.elements;
        self.nan += o.nan;
        self.pos_inf += o.pos_inf;
        self.neg_inf += o.neg_inf;
        self.zeros += o.zeros;
        if o.finite == 0 {
            return;
        }
        self.min = self.min.min(o.min);
        self.max = self.max.max(o.max);
        let (a, b) = (self.finite as f64, o.finite as f64);
        let n = a + b;
        let delta = o.mean - self.mean;
        self.mean += delta * (b / n);
        self.m2 += o.m2 + delta * delta * (a * b / n);
        self.finite += o.finite;
    }

    pub(crate) fn stats(&self) -> TensorStats {
        let any = self.finite > 0;
        TensorStats {
            elements: self.elements,
            finite: self.finite,
            nan: self.nan,
            pos_inf: self.pos_inf,
            neg_inf: self.neg_inf,
            zeros: self.zeros,
            zero_fraction: (self.elements > 0).then(|| self.zeros as f64 / self.elements as f64),
            min: any.then_some(self.min),
            max: any.then_some(self.max),
            mean: any.then_some(self.mean),
            std: any.then(|| (self.m2 / self.finite as f64).max(0.0).sqrt()),
        }
    }
}

/// Statistics of a tensor (or of all supported tensors of a file). min, max, mean and std are
/// over finite values only (NaN and ±inf are counted, not averaged) and absent when there are
/// none; std is the population standard deviation (numpy's default, ddof=0). `zeros` counts
/// +0.0 and -0.0.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TensorStats {
    /// Values counted.
    pub elements: u64,
    pub(crate) finite: u64,
    /// NaN values.
    pub nan: u64,
    /// +inf values.
    pub pos_inf: u64,
    /// -inf values.
    pub neg_inf: u64,
    pub(crate) zeros: u64,
    /// Zeros (+0.0 and -0.0) as a fraction of `elements`; absent when there are no elements.
    pub zero_fraction: Option<f64>,
    /// Smallest finite value.
    pub min: Option<f64>,
    /// Largest finite value.
    pub max: Option<f64>,
    /// Mean of the finite values.
    pub mean: Option<f64>,
    /// Population standard deviation of the finite values.
    pub std: Option<f64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(values: &[f64]) -> Moments {
        let fin: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
        let mean = fin.iter().sum::<f64>() / fin.len().max(1) as f64;
        Moments {
            elements: values.len() as u64,
            finite: fin.len() as u64,
            nan: values.iter().filter(|v| v.is_nan()).count() as u64,
            pos_inf: values.iter().filter(|v| **v == f64::INFINITY).count() as u64,
            neg_inf: values.iter().filter(|v| **v == f64::NEG_INFINITY).count() as u64,
            zeros: values.iter().filter(|v| **v == 0.0).count() as u64,
            min: fin.iter().copied().fold(f64::INFINITY, f64::min),
            max: fin.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            mean,
            m2: fin.iter().map(|v| (v - mean) * (v - mean)).sum(),
        }
    }

    #[test]
    fn merging_chunks_equals_the_whole() {
        let values = [1.0, f64::NAN, 3.0, f64::INFINITY, -2.0, 0.0, 10.0, -0.0];
        let whole = of(&values).stats();
        for cut in 0..=values.len() {
            let mut m = of(&values[..cut]);
            m.merge(&of(&values[cut..]));
            let s = m.stats();
            assert_eq!(s.elements, whole.elements);
            assert_eq!((s.nan, s.pos_inf, s.zeros), (1, 1, 2));
            assert_eq!((s.min, s.max), (Some(-2.0), Some(10.0)));
            assert!((s.mean.unwrap() - 2.0).abs() < 1e-12);
            assert!((s.std.unwrap() - whole.std.unwrap()).abs() < 1e-12);
        }
    }

    #[test]
    fn no_finite_values_means_no_min_or_mean() {
        let s = of(&[f64::NAN, f64::NEG_INFINITY]).stats();
        assert_eq!((s.min, s.mean, s.std), (None, None, None));
        assert_eq!((s.nan, s.neg_inf), (1, 1));
    }
}

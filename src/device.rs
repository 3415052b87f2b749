//! Where tensor arithmetic runs: `cpu` or `cuda:N` (the latter only in builds with the `cuda`
//! feature, which needs nvcc at build time).

use std::fmt;
use std::str::FromStr;
use thiserror::Error;

/// Where tensor arithmetic (statistics, the size of a diff's changes) runs; parsed from `cpu`,
/// `cuda` or `cuda:N`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Device {
    /// The CPU.
    #[default]
    Cpu,
    /// The NVIDIA GPU with this ordinal.
    Cuda(usize),
}

/// Why a device cannot be used.
#[derive(Debug, Error)]
pub enum DeviceError {
    /// Not `cpu`, `cuda` or `cuda:N`; the text.
    #[error("unknown device {0:?}: use cpu or cuda:N (for example cuda:0)")]
    Parse(String),
    /// A CUDA device in a build without the `cuda` feature.
    #[error(
        "device {0}: this openseal was built without CUDA support; rebuild it with `cargo build --release --features cuda` (needs the CUDA toolkit and nvcc) or use --device cpu"
    )]
    NoCudaSupport(Device),
    /// candle could not open the device (no such GPU, driver missing, ...).
    #[error("device {device}: {message}")]
    Unavailable {
        /// The device.
        device: Device,
        /// candle's message.
        message: String,
    },
}

impl FromStr for Device {
    type Err = DeviceError;
    fn from_str(s: &str) -> Result<Device, DeviceError> {
        match s {
            "cpu" => Ok(Device::Cpu),
            "cuda" => Ok(Device::Cuda(0)),
            _ => s
                .strip_prefix("cuda:")
                .and_then(|n| n.parse().ok())
                .map(Device::Cuda)
                .ok_or_else(|| DeviceError::Parse(s.to_string())),
        }
    }
}

impl fmt::Display for Device {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Device::Cpu => f.write_str("cpu"),
            Device::Cuda(n) => write!(f, "cuda:{n}"),
        }
    }
}

impl Device {
    /// Whether this build can use CUDA devices.
    pub(crate) fn cuda_built() -> bool {
        cfg!(feature = "cuda")
    }

    /// Open the device in candle. Fails with a clear message for CUDA in a build without it.
    pub fn open(self) -> Result<candle_core::Device, DeviceError> {
        match self {
            Device::Cpu => Ok(candle_core::Device::Cpu),
            Device::Cuda(_) if !Device::cuda_built() => Err(DeviceError::NoCudaSupport(self)),
            Device::Cuda(n) => {
                candle_core::Device::new_cuda(n).map_err(|e| DeviceError::Unavailable {
                    device: self,
                    message: crate::decode::candle_message(&e),
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_devices() {
        assert_eq!("cpu".parse::<Device>().unwrap(), Device::Cpu);
        assert_eq!("cuda:1".parse::<Device>().unwrap(), Device::Cuda(1));
        assert_eq!("cuda".parse::<Device>().unwrap(), Device::Cuda(0));
        assert!("gpu".parse::<Device>().is_err());
        assert!("cuda:x".parse::<Device>().is_err());
    }

    #[test]
    fn cuda_without_the_feature_is_a_clear_error() {
        if Device::cuda_built() {
            return;
        }
        let e = Device::Cuda(0).open().unwrap_err().to_string();
        assert!(e.contains("built without CUDA support"), "{e}");
    }
}

//! Licences: whether a licence string is open, in openseal's default mode (SPDX expressions,
//! aliases with warnings) or in MOT compatibility mode (MOT's exact-string rule), and whether it
//! fits the content kind of the component it is on.

mod aliases;
mod assess;
mod db;
mod error;

use std::sync::OnceLock;

pub(crate) use aliases::Aliases;
pub use assess::{LicenseWarning, Mode};
pub(crate) use db::LicenseDb;
pub use error::LicenseDataError;

/// Parse mode for SPDX expressions: the standard grammar, but deprecated ids (e.g. `GPL-3.0`,
/// common in model cards) are accepted and then reported as a warning.
pub(crate) fn spdx_parse(text: &str) -> Result<spdx::Expression, spdx::error::ParseError> {
    spdx::Expression::parse_mode(
        text,
        spdx::ParseMode {
            allow_deprecated: true,
            ..spdx::ParseMode::STRICT
        },
    )
}

/// The licence data compiled into the binary.
#[derive(Debug, Clone)]
pub struct Licenses {
    pub(crate) db: LicenseDb,
    pub(crate) aliases: Aliases,
}

impl Licenses {
    pub(crate) fn embedded() -> Result<&'static Licenses, LicenseDataError> {
        static L: OnceLock<Result<Licenses, LicenseDataError>> = OnceLock::new();
        L.get_or_init(|| {
            Ok(Licenses {
                db: LicenseDb::parse(
                    (
                        "formats/licenses/licenses.json",
                        include_str!("../../formats/licenses/licenses.json"),
                    ),
                    (
                        "formats/licenses/mof-licenses.json",
                        include_str!("../../formats/licenses/mof-licenses.json"),
                    ),
                    (
                        "formats/licenses/open-data.toml",
                        include_str!("../../formats/licenses/open-data.toml"),
                    ),
                    (
                        "formats/licenses/additions.toml",
                        include_str!("../../formats/licenses/additions.toml"),
                    ),
                )?,
                aliases: Aliases::parse(
                    "formats/licenses/aliases.toml",
                    include_str!("../../formats/licenses/aliases.toml"),
                )?,
            })
        })
        .as_ref()
        .map_err(Clone::clone)
    }
}

#[cfg(test)]
mod tests;

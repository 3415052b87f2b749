//! Licence hints: which licence a LICENSE file's text is, from phrases each licence's text
//! contains. A hint, not a legal finding: the report says which phrase matched.

/// (SPDX id or LicenseRef, phrases that must all occur, case-insensitively, after folding
/// whitespace). More specific licences come first (GPL mentions the LGPL, Apache mentions MIT...).
const TEXTS: &[(&str, &[&str])] = &[
    (
        "AGPL-3.0",
        &["gnu affero general public license", "version 3"],
    ),
    (
        "LGPL-3.0",
        &["gnu lesser general public license", "version 3"],
    ),
    (
        "LGPL-2.1",
        &["gnu lesser general public license", "version 2.1"],
    ),
    ("GPL-3.0", &["gnu general public license", "version 3"]),
    ("GPL-2.0", &["gnu general public license", "version 2"]),
    ("Apache-2.0", &["apache license", "version 2.0"]),
    ("MPL-2.0", &["mozilla public license", "2.0"]),
    (
        "LicenseRef-Llama-3.1-Community",
        &["llama 3.1 community license"],
    ),
    (
        "LicenseRef-Llama-3-Community",
        &["meta llama 3 community license"],
    ),
    (
        "LicenseRef-Llama-2-Community",
        &["llama 2 community license"],
    ),
    ("LicenseRef-Gemma-Terms", &["gemma terms of use"]),
    (
        "OpenRAIL-M",
        &["responsible ai license", "use-based restrictions"],
    ),
    (
        "CC-BY-SA-4.0",
        &["attribution-sharealike 4.0 international"],
    ),
    (
        "CC-BY-NC-4.0",
        &["attribution-noncommercial 4.0 international"],
    ),
    (
        "CC-BY-4.0",
        &["creative commons attribution 4.0 international"],
    ),
    (
        "CDLA-Permissive-2.0",
        &["community data license agreement", "permissive", "2.0"],
    ),
    ("OpenMDW-1.0", &["openmdw"]),
    (
        "BSD-3-Clause",
        &[
            "redistribution and use in source and binary forms",
            "neither the name",
        ],
    ),
    (
        "BSD-2-Clause",
        &["redistribution and use in source and binary forms"],
    ),
    (
        "MIT",
        &[
            "permission is hereby granted, free of charge",
            "the above copyright notice",
        ],
    ),
    (
        "ISC",
        &["permission to use, copy, modify, and/or distribute this software for any purpose"],
    ),
    (
        "Unlicense",
        &["this is free and unencumbered software released into the public domain"],
    ),
    ("CC0-1.0", &["cc0 1.0 universal"]),
];

/// The licence a text most likely is, by phrase matching. Reads at most the first 64 KiB.
pub fn identify(text: &str) -> Option<&'static str> {
    let head: String = text.chars().take(64 * 1024).collect();
    let folded = fold(&head);
    TEXTS
        .iter()
        .find(|(_, phrases)| phrases.iter().all(|p| folded.contains(p)))
        .map(|(id, _)| *id)
}

fn fold(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Whether a file name is that of a licence text.
pub fn is_license_file(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    ["LICENSE", "LICENCE", "COPYING", "NOTICE", "USE_POLICY"]
        .iter()
        .any(|p| upper.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_texts() {
        assert_eq!(
            identify(
                "                                 Apache License\n  Version 2.0, January 2004"
            ),
            Some("Apache-2.0")
        );
        let mit = "MIT License\n\nPermission is hereby granted, free of charge, to any person...\nThe above copyright notice and this permission notice";
        assert_eq!(identify(mit), Some("MIT"));
        assert_eq!(identify("All rights reserved."), None);
    }

    #[test]
    fn license_file_names() {
        assert!(is_license_file("LICENSE"));
        assert!(is_license_file("license.txt"));
        assert!(is_license_file("LICENCE-MIT"));
        assert!(!is_license_file("README.md"));
    }
}

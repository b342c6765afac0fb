//! The translation catalogue: both languages hold exactly the same keys, and every key the
//! code asks for exists.

use std::{
    collections::{BTreeMap, BTreeSet},
    path::{Path, PathBuf},
};

const LOCALES_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/locales");
const SOURCE_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src");

/// Locale → flattened keys, read the way rust-i18n reads them (`x.ar.yml` belongs to `ar`).
fn catalogues() -> BTreeMap<String, BTreeSet<String>> {
    let mut catalogues: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for entry in std::fs::read_dir(LOCALES_DIR).expect("locales folder") {
        let path = entry.expect("directory entry").path();
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("file name");
        let locale = stem.rsplit('.').next().expect("locale suffix").to_owned();
        let text = std::fs::read_to_string(&path).expect("readable catalogue");
        let value: serde_yaml::Value = serde_yaml::from_str(&text)
            .unwrap_or_else(|e| panic!("{} is not valid YAML: {e}", path.display()));
        let keys = catalogues.entry(locale).or_default();
        flatten("", &value, keys, &path);
    }
    catalogues
}

fn flatten(prefix: &str, value: &serde_yaml::Value, keys: &mut BTreeSet<String>, file: &Path) {
    match value {
        serde_yaml::Value::Mapping(map) => {
            for (key, child) in map {
                let key = key.as_str().expect("string keys");
                let full = if prefix.is_empty() {
                    key.to_owned()
                } else {
                    format!("{prefix}.{key}")
                };
                flatten(&full, child, keys, file);
            }
        }
        serde_yaml::Value::String(text) => {
            assert!(
                !text.trim().is_empty(),
                "{prefix} is empty in {}",
                file.display()
            );
            assert!(
                keys.insert(prefix.to_owned()),
                "{prefix} is defined twice ({})",
                file.display()
            );
        }
        other => panic!("{prefix} in {} is not text: {other:?}", file.display()),
    }
}

#[test]
fn arabic_and_english_catalogues_have_the_same_keys() {
    let catalogues = catalogues();
    assert_eq!(
        catalogues.keys().collect::<Vec<_>>(),
        ["ar", "en"],
        "exactly two languages"
    );
    let (ar, en) = (&catalogues["ar"], &catalogues["en"]);
    let only_ar: Vec<_> = ar.difference(en).collect();
    let only_en: Vec<_> = en.difference(ar).collect();
    assert!(
        only_ar.is_empty() && only_en.is_empty(),
        "only in Arabic: {only_ar:?}; only in English: {only_en:?}"
    );
}

/// Every literal key passed to `t("…")` or `t_with("…", …)` in the source, with its file.
fn keys_used_in_source() -> Vec<(String, PathBuf)> {
    fn is_key(text: &str) -> bool {
        text.contains('.')
            && text
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '_')
    }
    fn walk(dir: &Path, found: &mut Vec<(String, PathBuf)>) {
        for entry in std::fs::read_dir(dir).expect("source folder") {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                walk(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("readable source");
                for call in ["t(\"", "t_with(\""] {
                    for (start, _) in text.match_indices(call) {
                        let rest = &text[start + call.len()..];
                        if let Some(key) = rest.split('"').next().filter(|k| is_key(k)) {
                            found.push((key.to_owned(), path.clone()));
                        }
                    }
                }
            }
        }
    }
    let mut found = Vec::new();
    walk(Path::new(SOURCE_DIR), &mut found);
    found
}

#[test]
fn every_key_the_code_uses_exists_in_both_languages() {
    let catalogues = catalogues();
    let used = keys_used_in_source();
    assert!(used.len() > 10, "the scan found too few keys: {used:?}");
    let documents = app::pages::document::document_keys();
    for (locale, keys) in &catalogues {
        for (key, file) in &used {
            assert!(
                keys.contains(key),
                "{key} (used in {}) is missing from {locale}",
                file.display()
            );
        }
        for key in &documents {
            assert!(
                keys.contains(key),
                "document key {key} is missing from {locale}"
            );
        }
    }
}

//! Embeds every message catalogue found in assets/i18n/ into the binary, so that the terminal
//! runs from anywhere without an assets folder, and a translator adds a language by dropping
//! `xx.ftl` into that folder with no Rust change.

use std::fmt::Write as _;
use std::path::Path;
use std::{env, fs};

fn main() {
    let dir = Path::new(&env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
        .join("assets")
        .join("i18n");
    // A directory makes cargo rerun this script when any file in it is added or changed.
    println!("cargo:rerun-if-changed={}", dir.display());
    let entries = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read the catalogues in {}: {e}", dir.display()));
    let mut langs: Vec<(String, String)> = Vec::new();
    for entry in entries {
        let path = entry
            .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
            .path();
        if path.extension().and_then(|e| e.to_str()) != Some("ftl") {
            continue;
        }
        let code = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_else(|| panic!("{} is not named by a language code", path.display()))
            .to_string();
        let path = path
            .to_str()
            .unwrap_or_else(|| panic!("{} is not a UTF-8 path", path.display()))
            .to_string();
        langs.push((code, path));
    }
    // Italian is the default and the fallback, English the second language named in code
    // (`Lang::It`, `Lang::En` are indexes 0 and 1); the rest follow in a stable order.
    let rank = |code: &str| match code {
        "it" => 0,
        "en" => 1,
        _ => 2,
    };
    langs.sort_by(|a, b| (rank(&a.0), &a.0).cmp(&(rank(&b.0), &b.0)));
    for needed in ["it", "en"] {
        assert!(
            langs.iter().any(|(c, _)| c == needed),
            "assets/i18n/{needed}.ftl is missing: the terminal needs Italian and English"
        );
    }
    let mut out = String::from("&[\n");
    for (code, path) in &langs {
        writeln!(out, "    ({code:?}, include_str!({path:?})),").expect("writing to a String");
    }
    out.push_str("]\n");
    let dest = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("catalogues.rs");
    fs::write(&dest, out).unwrap_or_else(|e| panic!("cannot write {}: {e}", dest.display()));
}

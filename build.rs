//! Embeds the default theme and the `coursegen init` scaffold into the binary as
//! tables of `(relative path, bytes)`, so adding a file to either folder needs no
//! code change (house style: one table, not one field per asset).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

fn main() {
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let mut code = String::new();
    for (name, dir) in [("DEFAULT_THEME", "themes/default"), ("SCAFFOLD", "src/scaffold")] {
        let dir = root.join(dir);
        println!("cargo:rerun-if-changed={}", dir.display());
        let mut files = Vec::new();
        collect(&dir, &dir, &mut files);
        files.sort();
        let _ = writeln!(code, "/// Files of `{}`, as `(relative path, bytes)`.", dir.strip_prefix(&root).unwrap_or(&dir).display());
        let _ = writeln!(code, "pub const {name}: &[(&str, &[u8])] = &[");
        for (rel, abs) in files {
            println!("cargo:rerun-if-changed={}", abs.display());
            let _ = writeln!(code, "    ({rel:?}, include_bytes!({:?})),", abs.display().to_string());
        }
        code.push_str("];\n");
    }
    fs::write(out.join("embedded.rs"), code).expect("OUT_DIR is writable");
}

fn collect(base: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_string();
        if name.starts_with('.') && name != ".gitkeep" {
            continue;
        }
        if path.is_dir() {
            collect(base, &path, out);
        } else if let Ok(rel) = path.strip_prefix(base) {
            let rel = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
            out.push((rel, path));
        }
    }
}

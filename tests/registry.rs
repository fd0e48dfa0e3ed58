//! The registry and the `transforms/` folders must match one-to-one, and every transform
//! must have its source file, metadata, documentation sections and cases.

use std::collections::BTreeSet;

#[test]
fn registry_matches_transform_folders() {
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let folders: BTreeSet<String> = std::fs::read_dir(root.join("transforms"))
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let registered: BTreeSet<String> = remedy::transforms::registry()
        .iter()
        .map(|r| r.id().to_string())
        .collect();
    assert_eq!(
        folders, registered,
        "transforms/ folders and the registry differ"
    );
    let sources: BTreeSet<String> = std::fs::read_dir(root.join("src/transforms"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "mod.rs" && n.ends_with(".rs"))
        .map(|n| n.trim_end_matches(".rs").replace('_', "-"))
        .collect();
    assert_eq!(
        sources, registered,
        "src/transforms/<id>.rs files and the registry differ"
    );
    for id in &registered {
        let dir = root.join("transforms").join(id);
        assert!(
            dir.join("transform.toml").is_file(),
            "{id}: transform.toml missing"
        );
        assert!(dir.join("README.md").is_file(), "{id}: README.md missing");
        let cases = std::fs::read_dir(dir.join("cases"))
            .map(|d| d.count())
            .unwrap_or(0);
        assert!(cases > 0, "{id}: no cases");
        let r = remedy::transforms::find(id).unwrap();
        assert!(
            !r.meta().findings.is_empty(),
            "{id}: names no review finding"
        );
        assert!(!r.meta().cwe.is_empty(), "{id}: names no CWE");
    }
}

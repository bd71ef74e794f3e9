//! The example files of the guide (`examples/*.csv`) cannot rot: each is
//! imported with the real binary into a fresh database, in the order the
//! README gives (members first: the other files name members by 编号), and
//! every row arrives; importing them again adds nothing.

mod common;

use std::path::{Path, PathBuf};

use common::Workdir;

/// The import kinds in the order the README imports them, with the word of
/// the summary line (`导入 8 名党员（新增 8，更新 0）`).
const KINDS: &[(&str, &str)] = &[
    ("members", "名党员"),
    ("events", "条情况记录"),
    ("talks", "条谈话记录"),
    ("visits", "条走访记录"),
    ("hardship", "个困难台账"),
];

fn example(kind: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(format!("{kind}.csv"))
}

/// Data rows of an example: lines after the header (the examples hold no
/// quoted line breaks, which this checks).
fn data_rows(path: &Path) -> usize {
    let text = std::fs::read_to_string(path).unwrap();
    for (i, l) in text.lines().enumerate() {
        assert_eq!(
            l.matches('"').count() % 2,
            0,
            "{}: line {} has an open quote",
            path.display(),
            i + 1
        );
    }
    let n = text.lines().filter(|l| !l.trim().is_empty()).count();
    assert!(n >= 4, "{}: a few rows at least", path.display());
    n - 1
}

fn run(w: &Workdir, args: &[&str]) -> (String, String) {
    let out = w.command(args).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        out.status.success(),
        "guanhuai {args:?} exited {:?}\nstdout: {stdout}\nstderr: {stderr}",
        out.status.code()
    );
    (stdout, stderr)
}

#[test]
fn every_example_file_is_one_of_the_import_kinds() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        // cargo's own examples (the dataset generator) live beside them
        .filter(|p| p.is_file() && p.extension().is_none_or(|e| e != "rs"))
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut kinds: Vec<String> = KINDS.iter().map(|(k, _)| format!("{k}.csv")).collect();
    kinds.sort();
    assert_eq!(
        files, kinds,
        "an example file for each import kind, no other data file"
    );
    let readme = std::fs::read_to_string(dir.with_file_name("README.md")).unwrap();
    for f in &files {
        assert!(
            readme.contains(&format!("examples/{f}")),
            "README.md shows examples/{f}"
        );
    }
}

#[test]
fn the_examples_import_into_a_fresh_database_in_order() {
    let w = Workdir::new();
    for (kind, unit) in KINDS {
        let file = example(kind);
        let n = data_rows(&file);
        let (out, _) = run(&w, &["import", kind, file.to_str().unwrap()]);
        assert!(
            out.starts_with(&format!("导入 {n} {unit}（新增 {n}")),
            "{kind}: every one of the {n} rows is new: {out}"
        );
        // What is stored, read back through an export.
        let back = w.path(&format!("{kind}-back.csv"));
        let (out, _) = run(&w, &["export", kind, back.to_str().unwrap()]);
        assert!(out.starts_with(&format!("已导出 {n} 行")), "{kind}: {out}");
    }
    // A second import of the same files adds nothing.
    for (kind, unit) in KINDS {
        let file = example(kind);
        let n = data_rows(&file);
        let (out, _) = run(&w, &["import", kind, file.to_str().unwrap()]);
        assert!(
            out.starts_with(&format!("导入 {n} {unit}（新增 0")),
            "{kind} again: {out}"
        );
    }
    // The files tell one story: the hospital visit answers the illness, the
    // mobile member's homecoming still waits for a visit in person.
    let (csv, _) = run(&w, &["overdue", "--format", "csv"]);
    assert!(
        csv.lines()
            .any(|l| l.starts_with("DY003,张伟,event_visit:return_home,")),
        "{csv}"
    );
    assert!(!csv.contains("event_visit:illness"), "{csv}");
}

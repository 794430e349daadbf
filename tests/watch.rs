//! End-to-end tests of `batt watch`: files are edited, renamed, deleted and created under a running watch,
//! and the printed deltas and `out/` are checked (`out/` against a fresh `batt build` of the same files).
//!
//! Nothing waits on time: each step waits for the line the watch prints when it is done (a status line
//! `batt: … ms: …`), with `--rescan-on-stdin` driving the rescans, or, through the file-system watcher,
//! for the delta line of the step's final state (a save may reach the watch as one batch or as several).

mod common;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

/// How long a step may take before the test fails (a bound, never a synchronisation).
const STEP_LIMIT: Duration = Duration::from_secs(300);

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A scratch project: `solvers/main.py` (the fixture solvers), `tasks/` (the fixture tasks), `batt.toml`.
fn project(name: &str, scope: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("batt-watch-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for sub in ["solvers", "tasks"] {
        std::fs::create_dir_all(dir.join(sub)).ok();
    }
    std::fs::copy(fixtures().join("solvers.py"), dir.join("solvers/main.py")).ok();
    for entry in std::fs::read_dir(fixtures().join("tasks")).into_iter().flatten().flatten() {
        std::fs::copy(entry.path(), dir.join("tasks").join(entry.file_name())).ok();
    }
    write_config(&dir, scope);
    dir
}

fn write_config(dir: &Path, scope: &str) {
    let toml = format!("[build]\nsolvers = [\"solvers\"]\ntasks = [\"tasks\"]\nout = \"out\"\nscope = \"{scope}\"\n");
    std::fs::write(dir.join("batt.toml"), toml).ok();
}

/// A running `batt watch`, its standard output and error merged into one stream of lines.
struct Watch {
    child: Child,
    lines: Receiver<String>,
    seen: Vec<String>,
}

impl Watch {
    fn start(dir: &Path, extra: &[&str]) -> Watch {
        let Ok((reader, writer)) = std::io::pipe() else { panic!("pipe") };
        let Ok(writer2) = writer.try_clone() else { panic!("pipe") };
        let child = Command::new(env!("CARGO_BIN_EXE_batt"))
            .current_dir(dir)
            .args([&["watch"], extra].concat())
            .stdin(Stdio::piped())
            .stdout(writer)
            .stderr(writer2)
            .spawn();
        let Ok(child) = child else { panic!("could not start batt watch") };
        let (tx, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(reader).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut watch = Watch { child, lines, seen: Vec::new() };
        watch.until(|l| l.starts_with("batt: watching"));
        watch
    }

    /// The lines up to and including the first that satisfies `done`.
    fn until(&mut self, done: impl Fn(&str) -> bool) -> Vec<String> {
        let mut got = Vec::new();
        loop {
            match self.lines.recv_timeout(STEP_LIMIT) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    let stop = done(&line);
                    got.push(line);
                    if stop {
                        return got;
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    panic!("batt watch went quiet; it printed:\n{}", self.seen.join("\n"))
                }
                Err(RecvTimeoutError::Disconnected) => {
                    panic!("batt watch exited; it printed:\n{}", self.seen.join("\n"))
                }
            }
        }
    }

    /// Asks for a rescan (`--rescan-on-stdin`) and returns what it printed, its status line last.
    fn rescan(&mut self) -> Vec<String> {
        if let Some(stdin) = self.child.stdin.as_mut() {
            let _ = stdin.write_all(b"\n");
            let _ = stdin.flush();
        }
        self.until(is_status)
    }

    /// Waits for a delta line that starts with `task` and contains `to`, then for the end of its batch.
    fn delta(&mut self, task: &str, to: &str) -> Vec<String> {
        let prefix = format!("{task}  ");
        let mut got = self.until(|l| l.starts_with(&prefix) && l.contains(to));
        got.extend(self.until(is_status));
        got
    }

    /// Closes standard input and waits for the exit status.
    fn finish(mut self) -> Option<i32> {
        drop(self.child.stdin.take());
        self.child.wait().ok().and_then(|s| s.code())
    }

    /// Sends SIGINT (Ctrl-C) and waits for the exit status.
    fn interrupt(mut self) -> Option<i32> {
        let pid = self.child.id().to_string();
        // The shell's own `kill`: no procps needed.
        let sent = Command::new("sh").args(["-c", &format!("kill -INT {pid}")]).status();
        assert!(sent.is_ok_and(|s| s.success()), "could not send SIGINT");
        self.child.wait().ok().and_then(|s| s.code())
    }
}

/// The line a watch prints at the end of each batch.
fn is_status(line: &str) -> bool {
    line == "batt: no change" || (line.starts_with("batt: ") && line.contains(" ms: "))
}

/// The delta lines of a batch (a task id, two spaces, a result).
fn deltas(lines: &[String]) -> Vec<&String> {
    lines.iter().filter(|l| l.starts_with("fx_")).collect()
}

/// Asserts that `dir/out` is what a fresh `batt build` (no cache) of the same files writes.
fn assert_out_is_fresh(dir: &Path, step: &str) {
    let fresh = dir.join("fresh");
    let _ = std::fs::remove_dir_all(&fresh);
    let output = Command::new(env!("CARGO_BIN_EXE_batt"))
        .current_dir(dir)
        .args(["build", "--no-cache", "--out", "fresh"])
        .output();
    assert!(output.is_ok(), "could not run batt build");
    let (got, want) = (common::snapshot(&dir.join("out")), common::snapshot(&fresh));
    assert!(want.contains_key(Path::new("report.json")), "{step}: no fresh report");
    assert_eq!(got.keys().collect::<Vec<_>>(), want.keys().collect::<Vec<_>>(), "{step}");
    assert!(got == want, "{step}: out/ differs from a fresh build");
    std::fs::remove_dir_all(&fresh).ok();
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    assert!(text.contains(from), "{from:?} not in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).ok();
}

fn rename_solver(dir: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(dir.join("solvers/main.py")).unwrap_or_default();
    assert!(text.contains(from), "{from:?}");
    std::fs::write(dir.join("solvers/.main.py.new"), text.replacen(from, to, 1)).ok();
    std::fs::rename(dir.join("solvers/.main.py.new"), dir.join("solvers/main.py")).ok();
}

#[test]
fn watch_follows_edits_renames_deletions_creations_and_config() {
    let dir = project("steps", "own");
    let main = dir.join("solvers/main.py");
    let original = std::fs::read_to_string(&main).unwrap_or_default();
    let mut watch = Watch::start(&dir, &["--rescan-on-stdin"]);
    assert_out_is_fresh(&dir, "first build");

    // Nothing changed: nothing printed but the status.
    assert_eq!(watch.rescan(), vec!["batt: no change"]);

    // An edit in place that changes one solver's program.
    edit(&main, "O = upscale(I, TWO)", "O = upscale(I, THREE)");
    let lines = watch.rescan();
    assert_eq!(deltas(&lines), vec!["fx_upscale  3/3 → 0/3"], "{lines:?}");
    assert_out_is_fresh(&dir, "edit");

    // A file renamed: the same programs under the same names, nothing to print, out/ as it was.
    let before = common::snapshot(&dir.join("out"));
    std::fs::rename(&main, dir.join("solvers/renamed.py")).ok();
    let lines = watch.rescan();
    assert!(deltas(&lines).is_empty(), "{lines:?}");
    assert!(lines.iter().any(|l| l.contains("0 tasks changed")), "{lines:?}");
    assert!(common::snapshot(&dir.join("out")) == before, "a rename changed out/");

    // A file deleted: every task it solved loses its results.
    std::fs::remove_file(dir.join("solvers/renamed.py")).ok();
    let lines = watch.rescan();
    assert!(lines.iter().any(|l| l == "fx_mirror  4/4 → 0/4"), "{lines:?}");
    assert_eq!(deltas(&lines).len(), 5, "{lines:?}");
    assert_out_is_fresh(&dir, "delete");

    // A file created: its solvers are back.
    std::fs::write(&main, &original).ok();
    let lines = watch.rescan();
    assert!(lines.iter().any(|l| l.starts_with("fx_mirror  0/4 → 4/4  solve_fx_mirror  (")), "{lines:?}");
    assert!(lines.iter().any(|l| l.starts_with("fx_upscale  0/3 → 3/3  solve_fx_upscale  (")), "{lines:?}");
    assert_out_is_fresh(&dir, "create");

    // A syntax error mid-edit: reported with file:line:col, and the last good results are kept.
    let before = common::snapshot(&dir.join("out"));
    edit(&main, "O = upscale(I, TWO)", "O = upscale(I, TWO");
    let lines = watch.rescan();
    assert!(deltas(&lines).is_empty(), "{lines:?}");
    assert!(lines.iter().any(|l| l.contains("syntax errors; building with its last good version")), "{lines:?}");
    let error = lines.iter().find(|l| l.starts_with("solvers/main.py:") && l.contains(": P0"));
    assert!(error.is_some(), "{lines:?}");
    assert!(common::snapshot(&dir.join("out")) == before, "a syntax error changed out/");

    // Fixed with a change: the error is reported fixed and the change built.
    std::fs::write(&main, original.replacen("O = vmirror(I)", "O = hmirror(I)", 1)).ok();
    let lines = watch.rescan();
    assert!(lines.iter().any(|l| l.starts_with("fixed: solvers/main.py:") && l.contains(": P0")), "{lines:?}");
    assert!(lines.iter().any(|l| l.starts_with("fx_mirror  4/4 → ") && !l.contains("→ 4/4")), "{lines:?}");
    assert_out_is_fresh(&dir, "fix");

    // A task file deleted, then created again.
    let task = dir.join("tasks/fx_none.json");
    std::fs::remove_file(&task).ok();
    assert_eq!(deltas(&watch.rescan()), vec!["fx_none  0/3 → -"]);
    assert_out_is_fresh(&dir, "task deleted");
    std::fs::copy(fixtures().join("tasks/fx_none.json"), &task).ok();
    assert_eq!(deltas(&watch.rescan()), vec!["fx_none  - → 0/3"]);

    // batt.toml gone for a moment (an editor's save): the previous configuration stays, and out/ with it.
    let before = common::snapshot(&dir.join("out"));
    std::fs::rename(dir.join("batt.toml"), dir.join("batt.toml.away")).ok();
    let lines = watch.rescan();
    assert!(lines.iter().any(|l| l.contains("keeping the previous configuration")), "{lines:?}");
    assert!(deltas(&lines).is_empty() && common::snapshot(&dir.join("out")) == before, "{lines:?}");
    std::fs::rename(dir.join("batt.toml.away"), dir.join("batt.toml")).ok();

    // batt.toml: scope own → all runs every solver on every task.
    write_config(&dir, "all");
    let lines = watch.rescan();
    assert!(lines.iter().any(|l| l.starts_with("fx_border  0/3 → 1/3  solve_fx_recolor  (")), "{lines:?}");
    assert_out_is_fresh(&dir, "config");

    assert_eq!(watch.finish(), Some(0));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn watch_sees_editor_saves_and_exits_130_on_ctrl_c() {
    let dir = project("editor", "all");
    let main = dir.join("solvers/main.py");
    let mut watch = Watch::start(&dir, &[]);

    // Written in place.
    edit(&main, "def solve_fx_mirror(", "def solve_fx_mirror_a(");
    watch.delta("fx_mirror", "→ 4/4  solve_fx_mirror_a  (");
    assert_out_is_fresh(&dir, "write in place");

    // Written to another file, then renamed over it.
    rename_solver(&dir, "def solve_fx_mirror_a(", "def solve_fx_mirror_b(");
    watch.delta("fx_mirror", "→ 4/4  solve_fx_mirror_b  (");
    assert_out_is_fresh(&dir, "write then rename");

    // Deleted, then created again.
    let text = std::fs::read_to_string(&main).unwrap_or_default();
    std::fs::remove_file(&main).ok();
    std::fs::write(&main, text.replacen("def solve_fx_mirror_b(", "def solve_fx_mirror_c(", 1)).ok();
    watch.delta("fx_mirror", "→ 4/4  solve_fx_mirror_c  (");
    assert_out_is_fresh(&dir, "delete and recreate");

    // A new file: the same program under a name that sorts first.
    std::fs::write(dir.join("solvers/extra.py"), "def solve_fx_mirror_0(I):\n    O = vmirror(I)\n    return O\n").ok();
    watch.delta("fx_mirror", "→ 4/4  solve_fx_mirror_0  (");
    assert_out_is_fresh(&dir, "new file");

    assert_eq!(watch.interrupt(), Some(130));
    // out/ and the cache are consistent: a build with the cache finds nothing to write and nothing to run.
    let output = Command::new(env!("CARGO_BIN_EXE_batt")).current_dir(&dir).args(["build", "--json"]).output();
    let json: serde_json::Value =
        output.map(|o| serde_json::from_slice(&o.stdout).unwrap_or_default()).unwrap_or_default();
    assert_eq!(json["out"]["written"], 0, "{json}");
    assert_eq!(json["cache"]["misses"], 0, "{json}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn watch_follows_differ_files_and_the_diff_switch() {
    let dir = project("differs", "all");
    std::fs::create_dir_all(dir.join("differs")).ok();
    let differ = dir.join("differs/one.py");
    std::fs::write(&differ, "def differ_one(S, I, C):\n    return ONE\n").ok();
    let config = |enabled: bool| {
        let toml = format!(
            "[build]\nsolvers = [\"solvers\"]\ntasks = [\"tasks\"]\nout = \"out\"\ndiffers = [\"differs\"]\n\
             [diff]\nenabled = {enabled}\nrank_by = \"differ_one\"\n"
        );
        std::fs::write(dir.join("batt.toml"), toml).ok();
    };
    config(true);
    let mut watch = Watch::start(&dir, &["--rescan-on-stdin"]);
    assert_out_is_fresh(&dir, "first build");
    let report = || std::fs::read_to_string(dir.join("out/report.json")).unwrap_or_default();
    assert!(report().contains("\"differ_one\""), "{}", report());

    // The differ edited: its scores change, as a fresh build computes them.
    std::fs::write(&differ, "def differ_one(S, I, C):\n    return SEVEN\n").ok();
    watch.rescan();
    assert_out_is_fresh(&dir, "differ edited");

    // Differs switched off: no near misses, as in a fresh build, and the cache still in use.
    config(false);
    let lines = watch.rescan();
    assert!(!lines.iter().any(|l| l.contains("unavailable")), "{lines:?}");
    assert_out_is_fresh(&dir, "diff off");
    assert!(!report().contains("\"differ_one\""), "{}", report());
    assert_eq!(watch.finish(), Some(0));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn once_changed_exits_after_the_first_change() {
    let dir = project("once", "own");
    let mut watch = Watch::start(&dir, &["--once-changed"]);
    rename_solver(&dir, "O = upscale(I, TWO)", "O = upscale(I, THREE)");
    let lines = watch.until(is_status);
    assert_eq!(deltas(&lines), vec!["fx_upscale  3/3 → 0/3"], "{lines:?}");
    assert_eq!(watch.finish(), Some(0));
    assert_out_is_fresh(&dir, "once");
    std::fs::remove_dir_all(&dir).ok();
}

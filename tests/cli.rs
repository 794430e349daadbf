//! End-to-end tests of the `batt` binary on the project's fixtures (always) and on the ARC data in
//! `../shared` (skipped with a printed reason when it is absent).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn batt(args: &[&str]) -> Output {
    let root = env!("CARGO_MANIFEST_DIR");
    match Command::new(env!("CARGO_BIN_EXE_batt")).current_dir(root).args(args).output() {
        Ok(output) => output,
        Err(e) => panic!("could not run batt: {e}"),
    }
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("batt-e2e-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn report(out: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(out.join("report.json")).unwrap_or_default();
    serde_json::from_str(&text).unwrap_or(serde_json::Value::Null)
}

fn matches(report: &serde_json::Value, task: &str, solver: &str) -> Option<u64> {
    report["tasks"][task]["solvers"].as_array()?.iter().find(|s| s["name"] == solver)?["matches"].as_u64()
}

#[test]
fn build_on_fixtures_reports_each_solver_and_every_bad_input() {
    let out = scratch("fixtures");
    let out_s = out.to_string_lossy().to_string();
    let output = batt(&[
        "build",
        "--solvers",
        "tests/fixtures/solvers.py",
        "--solvers",
        "tests/fixtures/broken.py",
        "--tasks",
        "tests/fixtures/tasks",
        "--tasks",
        "tests/fixtures/bad_tasks",
        "--scope",
        "own",
        "--out",
        &out_s,
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    // The broken function is reported with file:line:col; its neighbours still load and run.
    assert!(stderr.contains("tests/fixtures/broken.py:21:20: P003"), "{stderr}");
    for bad in ["bad_color11", "bad_empty_grid", "bad_empty_row", "bad_ragged", "bad_too_big", "bad_missing_test"] {
        assert!(stderr.contains(&format!("(task {bad})")), "{bad}: {stderr}");
    }
    assert!(stderr.contains("bad_malformed.json:4:9: malformed JSON"), "{stderr}");

    let r = report(&out);
    assert_eq!(r["tasks"]["fx_mirror"]["samples"], 4);
    for (task, expected) in [
        ("fx_mirror", Some(4)),
        ("fx_recolor", Some(4)),
        ("fx_upscale", Some(3)),
        ("fx_objects", Some(4)),
        ("fx_crop", Some(3)),
        ("fx_none", None),
        ("fx_error", Some(2)),
        ("fx_shift", Some(4)),
        ("fx_broken", None),
        ("fx_border", Some(3)),
    ] {
        assert_eq!(matches(&r, task, &format!("solve_{task}")), expected, "{task}");
    }
    assert_eq!(r["summary"]["tasks_solved"], 6);
    assert_eq!(r["summary"]["invalid_solvers"], 1);
    // The expanded solvers and the ranked links are written.
    let mirror_hash = r["tasks"]["fx_mirror"]["solvers"][0]["hash"].as_str().unwrap_or("").to_string();
    let link = out.join(format!("tasks/fx_mirror/4-of-4/{mirror_hash}.py"));
    assert!(std::fs::read_to_string(&link).is_ok_and(|t| t.starts_with("from dsl import *")), "{link:?}");
    std::fs::remove_dir_all(&out).ok();
}

#[test]
fn rebuild_with_nothing_changed_uses_the_cache_and_rewrites_nothing() {
    let out = scratch("rebuild");
    let out_s = out.to_string_lossy().to_string();
    let args = [
        "build",
        "--solvers",
        "tests/fixtures/solvers.py",
        "--tasks",
        "tests/fixtures/tasks",
        "--json",
        "--out",
        &out_s,
    ];
    let first: serde_json::Value = serde_json::from_slice(&batt(&args).stdout).unwrap_or_default();
    let before = std::fs::read(out.join("report.json")).unwrap_or_default();
    let second: serde_json::Value = serde_json::from_slice(&batt(&args).stdout).unwrap_or_default();
    assert_eq!(second["cache"]["misses"], 0, "{second}");
    assert_eq!(second["cache"]["hits"], first["cache"]["misses"]);
    assert_eq!(second["out"]["written"], 0);
    assert_eq!(std::fs::read(out.join("report.json")).unwrap_or_default(), before);
    // The build exits without freeing its session, but it closes the cache: opening it needs no repair.
    let cache = redb::Builder::new().set_repair_callback(|repair| repair.abort()).create(out.join(".batt/cache.redb"));
    assert!(cache.is_ok(), "{:?}", cache.err());
    std::fs::remove_dir_all(&out).ok();
}

#[test]
fn a_folder_of_links_is_followed_and_its_bad_links_are_reported() {
    let dir = scratch("links");
    let (tasks, out) = (dir.join("tasks"), dir.join("out"));
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let link = |target: &Path, name: &str| std::os::unix::fs::symlink(target, tasks.join(name)).is_ok();
    assert!(std::fs::create_dir_all(&tasks).is_ok());
    assert!(link(&fixtures.join("tasks/fx_mirror.json"), "fx_mirror.json"));
    assert!(link(&fixtures.join("tasks/fx_crop.json"), "fx_crop.json"));
    assert!(link(&dir.join("gone.json"), "dangling.json"));
    assert!(link(&tasks, "loop"));
    let (tasks_s, out_s) = (tasks.to_string_lossy().to_string(), out.to_string_lossy().to_string());
    let output = batt(&[
        "build",
        "--solvers",
        "tests/fixtures/solvers.py",
        "--tasks",
        &tasks_s,
        "--scope",
        "own",
        "--out",
        &out_s,
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("dangling.json: skipped: a dangling link"), "{stderr}");
    assert!(stderr.contains("loop: skipped: a link loop back to"), "{stderr}");
    let r = report(&out);
    assert_eq!(r["summary"]["tasks"], 2, "{r}");
    assert_eq!(matches(&r, "fx_mirror", "solve_fx_mirror"), Some(4));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn tasks_with_the_same_id_and_ids_that_cannot_name_a_folder_are_reported() {
    let dir = scratch("ids");
    let (copy, out) = (dir.join("copy"), dir.join("out"));
    assert!(std::fs::create_dir_all(&copy).is_ok());
    let mirror = std::fs::read_to_string("tests/fixtures/tasks/fx_mirror.json").unwrap_or_default();
    assert!(std::fs::write(copy.join("fx_mirror.json"), &mirror).is_ok());
    let bundle = format!(r#"{{"train": {{"../escape": {mirror}, "fx_ok": {mirror}}}, "eval": {{}}}}"#);
    assert!(std::fs::write(copy.join("bundle.json"), bundle).is_ok());
    let (copy_s, out_s) = (copy.to_string_lossy().to_string(), out.to_string_lossy().to_string());
    let output = batt(&[
        "build",
        "--solvers",
        "tests/fixtures/solvers.py",
        "--tasks",
        "tests/fixtures/tasks",
        "--tasks",
        &copy_s,
        "--out",
        &out_s,
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("1 task left out (fx_mirror)"), "{stderr}");
    assert!(stderr.contains("the task id \"../escape\" cannot name a folder"), "{stderr}");
    assert!(!dir.join("escape").exists() && out.join("tasks/fx_ok").is_dir());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn run_prints_each_pair() {
    let output =
        batt(&["run", "tests/fixtures/solvers.py::solve_fx_error", "--task", "tests/fixtures/tasks/fx_error.json"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout.contains("train 0: pass"), "{stdout}");
    assert!(stdout.contains("train 1: StopIteration"), "{stdout}");
    assert!(stdout.contains("fx_error: 2/4 pairs solved"), "{stdout}");
    let output =
        batt(&["run", "tests/fixtures/solvers.py::solve_fx_mirror", "--task", "tests/fixtures/tasks/fx_mirror.json"]);
    assert_eq!(output.status.code(), Some(0));
    let output = batt(&["run", "tests/fixtures/solvers.py::no_such", "--task", "tests/fixtures/tasks/fx_mirror.json"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no function `no_such`"));
    // A misspelt name gets the nearest one; no name at all picks the task's own solver.
    let output =
        batt(&["run", "tests/fixtures/solvers.py::solve_fx_mirorr", "--task", "tests/fixtures/tasks/fx_mirror.json"]);
    assert!(String::from_utf8_lossy(&output.stderr).contains("did you mean `solve_fx_mirror`"));
    let output = batt(&["run", "tests/fixtures/solvers.py", "--task", "tests/fixtures/tasks/fx_error.json"]);
    assert!(String::from_utf8_lossy(&output.stdout).contains("fx_error: 2/4 pairs solved by solve_fx_error"));
}

/// (name, hash, score) of a task's near misses.
fn near(report: &serde_json::Value, task: &str) -> Vec<(String, String, i64)> {
    let list = report["tasks"][task]["near_misses"].as_array().cloned().unwrap_or_default();
    list.iter()
        .map(|m| {
            let text = |k: &str| m[k].as_str().unwrap_or("").to_string();
            (text("name"), text("hash"), m["score"].as_i64().unwrap_or(i64::MIN))
        })
        .collect()
}

#[test]
fn build_ranks_near_misses_and_links_them() {
    let out = scratch("near");
    let out_s = out.to_string_lossy().to_string();
    let base = ["build", "--solvers", "tests/fixtures/solvers.py", "--tasks", "tests/fixtures/tasks", "--json"];
    let differs = ["--differs", "tests/fixtures/differs.py", "--out", &out_s];
    let output = batt(&[&base[..], &differs[..]].concat());
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let r = report(&out);
    // fx_none: solve_fx_none returns rot270 for rot90, right shape, a third of the cells right on every
    // pair (see `batt run` below): 3 × 333. solve_fx_crop solves 3 of 4 pairs of fx_crop (3 × 1000) and
    // returns a grid of another shape on the last (0).
    let fx_none = near(&r, "fx_none");
    assert_eq!(fx_none.first().map(|m| (m.0.as_str(), m.2)), Some(("solve_fx_none", 999)), "{fx_none:?}");
    let fx_crop = near(&r, "fx_crop");
    assert_eq!(fx_crop.first().map(|m| (m.0.as_str(), m.2)), Some(("solve_fx_crop", 3000)), "{fx_crop:?}");
    assert!(fx_none.windows(2).all(|w| w[0].2 >= w[1].2), "{fx_none:?}");
    assert!(near(&r, "fx_mirror").iter().all(|m| m.0 != "solve_fx_mirror"), "a solver is no near miss of its task");
    assert_eq!(r["tasks"]["fx_none"]["near_misses"][0]["differ"], "cell_accuracy");
    assert_eq!(r["summary"]["tasks_with_near_misses"], 10);
    // Each near miss is linked as near/<score>-<hash>.py, and each user differ is expanded under differs/.
    let (_, hash, score) = &fx_none[0];
    let link = out.join(format!("tasks/fx_none/near/{score}-{hash}.py"));
    assert!(std::fs::read_to_string(&link).is_ok_and(|t| t.contains("def solve(I)")), "{link:?}");
    let expanded: Vec<String> = std::fs::read_dir(out.join("differs"))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .collect();
    assert_eq!(expanded.len(), 5);
    assert!(expanded.iter().all(|t| t.contains("def differ(S, I, C):")));

    // Ranked by the DSL twin of cell_accuracy: the same programs, the same scores.
    let output = batt(&[&base[..], &differs[..], &["--rank-by", "differ_cells"]].concat());
    assert_eq!(output.status.code(), Some(0));
    let again = report(&out);
    for task in ["fx_none", "fx_crop", "fx_border", "fx_shift", "fx_error", "fx_broken"] {
        assert_eq!(near(&again, task), near(&r, task), "{task}");
    }
    assert_eq!(again["tasks"]["fx_none"]["near_misses"][0]["differ"], "differ_cells");
    // An unknown differ is an error (exit 1), the build still completes.
    let output = batt(&[&base[..], &differs[..], &["--rank-by", "nope"]].concat());
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("rank_by = \"nope\" names no differ"));

    // Without the diff stage: no near misses, and the near/ links and differs/ are pruned.
    let output = batt(&[&base[..], &differs[..], &["--no-diff"]].concat());
    assert_eq!(output.status.code(), Some(0));
    assert!(near(&report(&out), "fx_none").is_empty());
    assert!(!out.join("tasks/fx_none/near").exists());
    assert_eq!(std::fs::read_dir(out.join("differs")).map(|d| d.count()).unwrap_or(0), 0);
    // Back on, from the cache: differ scores were cached too, so nothing is evaluated again.
    let output = batt(&[&base[..], &differs[..]].concat());
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_default();
    assert_eq!(json["cache"]["misses"], 0, "{json}");
    assert_eq!(near(&report(&out), "fx_none"), fx_none);
    std::fs::remove_dir_all(&out).ok();
}

#[test]
fn editing_a_differ_rescores_from_the_cache_correctly() {
    let out = scratch("edit-differ");
    let dir = scratch("edit-differ-src");
    std::fs::create_dir_all(&dir).ok();
    let differ = dir.join("d.py");
    let (out_s, differ_s) = (out.to_string_lossy().to_string(), differ.to_string_lossy().to_string());
    let args = ["build", "--solvers", "tests/fixtures/solvers.py", "--tasks", "tests/fixtures/tasks"];
    let args = [&args[..], &["--differs", &differ_s, "--rank-by", "differ_one", "--out", &out_s]].concat();
    // Every wrong grid scores 1, every solved pair scores 1: a near miss's score is its number of grids.
    std::fs::write(&differ, "def differ_one(S, I, C):\n    return ONE\n").ok();
    assert_eq!(batt(&args).status.code(), Some(0));
    let crop = |r: &serde_json::Value| near(r, "fx_crop").into_iter().find(|m| m.0 == "solve_fx_crop").map(|m| m.2);
    assert_eq!(crop(&report(&out)), Some(4));
    std::fs::write(&differ, "def differ_one(S, I, C):\n    return TEN\n").ok();
    assert_eq!(batt(&args).status.code(), Some(0));
    assert_eq!(crop(&report(&out)), Some(40));
    for dir in [out, dir] {
        std::fs::remove_dir_all(dir).ok();
    }
}

#[test]
fn run_prints_differ_scores_of_wrong_pairs() {
    let output = batt(&[
        "run",
        "tests/fixtures/solvers.py::solve_fx_none",
        "--task",
        "tests/fixtures/tasks/fx_none.json",
        "--differs",
        "tests/fixtures/differs.py",
    ]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1));
    // rot270 for rot90 keeps the shape, palette and objects; a third of the cells agree.
    for k in ["train 0", "train 1", "test 0"] {
        let line = stdout.lines().find(|l| l.starts_with(k)).unwrap_or("");
        for score in ["cell_accuracy=333", "shape_distance=1000", "palette_overlap=1000", "differ_cells=333"] {
            assert!(line.contains(score), "{k}: {score}: {stdout}");
        }
    }
    let output =
        batt(&["run", "tests/fixtures/solvers.py::solve_fx_crop", "--task", "tests/fixtures/tasks/fx_crop.json"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("train 0: pass\n"), "{stdout}");
    assert!(stdout.lines().any(|l| l.starts_with("test 0: fail  cell_accuracy=0  shape_distance=")), "{stdout}");
}

/// The project's own solvers each solve every pair of their ARC-AGI-1 training task.
#[test]
fn own_solvers_solve_their_tasks() {
    let training = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/arc/arc-agi-1/training");
    if !training.is_dir() {
        println!("skipped: {} is absent", training.display());
        return;
    }
    let out = scratch("own");
    let out_s = out.to_string_lossy().to_string();
    let training_s = training.to_string_lossy().to_string();
    let output = batt(&["build", "--solvers", "solvers", "--tasks", &training_s, "--scope", "own", "--out", &out_s]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let r = report(&out);
    let mut n = 0;
    for entry in std::fs::read_dir("solvers").into_iter().flatten().flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        for line in text.lines() {
            let Some(rest) = line.strip_prefix("def solve_") else { continue };
            let id = rest.split('(').next().unwrap_or("");
            let samples = r["tasks"][id]["samples"].as_u64();
            assert!(samples.is_some(), "no task {id}");
            assert_eq!(matches(&r, id, &format!("solve_{id}")), samples, "solve_{id}");
            n += 1;
        }
    }
    assert!(n >= 25, "only {n} solvers");
    std::fs::remove_dir_all(&out).ok();
}

#[test]
fn check_inline_and_expand() {
    let output = batt(&["check", "tests/fixtures/broken.py", "--json"]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("broken.py:21:20: P003"), "{stdout}");
    assert_eq!(batt(&["check", "tests/fixtures/solvers.py"]).status.code(), Some(0));

    let inline = batt(&["inline", "tests/fixtures/solvers.py::solve_fx_mirror"]);
    let text = String::from_utf8_lossy(&inline.stdout);
    let hash = text.lines().find_map(|l| l.strip_prefix("hash ")).unwrap_or("").to_string();
    assert_eq!(hash.len(), 32, "{text}");
    let expand = batt(&["expand", "tests/fixtures/solvers.py::solve_fx_mirror"]);
    let expanded = String::from_utf8_lossy(&expand.stdout).to_string();
    assert!(expanded.starts_with("from dsl import *\nfrom constants import *\n"), "{expanded}");
    // The expanded file is itself a solver with the same hash.
    let dir = scratch("expand");
    std::fs::create_dir_all(&dir).ok();
    let path = dir.join("expanded.py");
    std::fs::write(&path, &expanded).ok();
    let again = batt(&["inline", &path.to_string_lossy()]);
    assert!(String::from_utf8_lossy(&again.stdout).contains(&format!("hash {hash}")));

    // A solver whose inlined term doubles on every line: hashed structurally, reported as I001, never
    // printed whole (it would take 2^45 bytes).
    let mut doubling = "def solve(I):\n    x0 = vmirror(I)\n".to_string();
    for k in 1..=40 {
        doubling.push_str(&format!("    x{k} = hconcat(x{}, x{})\n", k - 1, k - 1));
    }
    doubling.push_str("    return x40\n");
    std::fs::write(&path, doubling).ok();
    let inline = batt(&["inline", &path.to_string_lossy()]);
    assert!(String::from_utf8_lossy(&inline.stderr).contains("I001"), "{inline:?}");
    assert!(String::from_utf8_lossy(&inline.stdout).contains("would print as"), "{inline:?}");
    // `batt check` on a folder: a file that is not UTF-8 is one error, and the next file is still checked.
    std::fs::write(dir.join("a_latin1.py"), b"def solve(I):\n    return \xff\n").ok();
    let check = batt(&["check", &dir.to_string_lossy()]);
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert!(stdout.contains("a_latin1.py:2:12: not UTF-8 text (byte 0xff)"), "{stdout}");
    assert!(String::from_utf8_lossy(&check.stderr).contains("2 files checked: 1 errors"), "{check:?}");
    std::fs::remove_file(dir.join("a_latin1.py")).ok();
    // Invalid solvers: their errors are printed and the exit code is 1.
    std::fs::write(&path, "def solve(I):\n    O = vmirorr(I)\n    return O\n").ok();
    let inline = batt(&["inline", &path.to_string_lossy()]);
    assert_eq!(inline.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&inline.stderr).contains("V002 unknown primitive `vmirorr`"));
    std::fs::remove_dir_all(&dir).ok();
}

/// A corpus big enough that a build takes a while: the fixture tasks copied `copies` times under new ids.
fn corpus(name: &str, copies: usize) -> PathBuf {
    let dir = scratch(name);
    std::fs::create_dir_all(&dir).ok();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tasks");
    for entry in std::fs::read_dir(&fixtures).into_iter().flatten().flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        let stem = entry.path().file_stem().and_then(|s| s.to_str()).unwrap_or("t").to_string();
        for k in 0..copies {
            std::fs::write(dir.join(format!("{stem}_{k:03}.json")), &text).ok();
        }
    }
    dir
}

#[test]
fn thread_count_does_not_change_the_output() {
    let tasks = corpus("jobs-tasks", 3);
    let (a, b) = (scratch("jobs-1"), scratch("jobs-2"));
    for (out, jobs) in [(&a, "1"), (&b, "2")] {
        let (t, o) = (tasks.to_string_lossy().to_string(), out.to_string_lossy().to_string());
        let args = ["build", "--solvers", "solvers", "--solvers", "tests/fixtures/solvers.py", "--tasks", &t];
        let output = batt(&[&args[..], &["--out", &o, "--jobs", jobs, "--scope", "all"]].concat());
        assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    }
    assert!(!common::snapshot(&a).is_empty());
    assert_eq!(common::snapshot(&a), common::snapshot(&b));
    for dir in [tasks, a, b] {
        std::fs::remove_dir_all(dir).ok();
    }
}

/// A build killed with SIGKILL at any point, then run again, leaves what a clean build leaves.
#[test]
fn a_killed_build_recovers_to_a_clean_one() {
    let tasks = corpus("kill-tasks", 40);
    let (killed, clean) = (scratch("kill-out"), scratch("kill-clean"));
    let (t, k, c) = (
        tasks.to_string_lossy().to_string(),
        killed.to_string_lossy().to_string(),
        clean.to_string_lossy().to_string(),
    );
    let base =
        ["build", "--solvers", "solvers", "--solvers", "tests/fixtures/solvers.py", "--tasks", &t, "--scope", "all"];
    // Kill builds after various delays: before, during and after their writes (a debug build of this corpus
    // takes about 2 s here). The sleeps only pick the
    // moment of the kill; what is asserted does not depend on where it fell.
    for delay_ms in [0u64, 10, 50, 200, 800, 1600, 2000, 2200, 2400] {
        let child = Command::new(env!("CARGO_BIN_EXE_batt"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args([&base[..], &["--out", &k]].concat())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn();
        let Ok(mut child) = child else { panic!("could not start batt") };
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
    }
    let resumed = batt(&[&base[..], &["--out", &k]].concat());
    assert_eq!(resumed.status.code(), Some(0), "{}", String::from_utf8_lossy(&resumed.stderr));
    let fresh = batt(&[&base[..], &["--out", &c, "--no-cache"]].concat());
    assert_eq!(fresh.status.code(), Some(0));
    let (got, want) = (common::snapshot(&killed), common::snapshot(&clean));
    assert!(want.contains_key(Path::new("report.json")));
    assert_eq!(got.keys().collect::<Vec<_>>(), want.keys().collect::<Vec<_>>());
    assert!(got == want, "out/ differs after a killed build");
    for dir in [tasks, killed, clean] {
        std::fs::remove_dir_all(dir).ok();
    }
}

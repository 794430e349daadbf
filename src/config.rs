//! The project configuration: `batt.toml`, with command-line flags laid over it.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use batt_runtime::Limits;
use serde::Deserialize;

/// Which (solver, task) combinations a build runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// Every solver on every task.
    All,
    /// `solve_<id>` only on task `<id>`.
    Own,
}

/// The resolved configuration of one invocation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    pub solvers: Vec<PathBuf>,
    pub tasks: Vec<PathBuf>,
    pub out: PathBuf,
    pub scope: Scope,
    pub keep: usize,
    pub limits: Limits,
    /// Files or directories read for their `differ_*` functions only (solver files are searched too).
    pub differs: Vec<PathBuf>,
    /// Whether the diff stage runs (`[diff] enabled`, `--no-diff`).
    pub diff: bool,
    /// The differ near misses are ranked by (`[diff] rank_by`).
    pub rank_by: String,
    /// The configuration file that was read; `None` when it does not exist and the defaults hold.
    pub file: Option<PathBuf>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    build: BuildSection,
    #[serde(default)]
    limits: LimitsSection,
    #[serde(default)]
    diff: DiffSection,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, default)]
struct BuildSection {
    solvers: Vec<PathBuf>,
    tasks: Vec<PathBuf>,
    out: PathBuf,
    scope: Scope,
    keep: usize,
    differs: Vec<PathBuf>,
}

impl Default for BuildSection {
    fn default() -> BuildSection {
        BuildSection {
            solvers: vec!["solvers".into()],
            tasks: vec![],
            out: "out".into(),
            scope: Scope::All,
            keep: 32,
            differs: vec![],
        }
    }
}

/// `[diff]`: the differ stage.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, default)]
struct DiffSection {
    enabled: bool,
    rank_by: String,
}

impl Default for DiffSection {
    fn default() -> DiffSection {
        DiffSection { enabled: true, rank_by: "cell_accuracy".into() }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, default)]
struct LimitsSection {
    fuel: u64,
    max_len: usize,
}

impl Default for LimitsSection {
    fn default() -> LimitsSection {
        let d = Limits::default();
        LimitsSection { fuel: d.fuel, max_len: d.max_len }
    }
}

/// Command-line values that override the file.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    pub solvers: Vec<PathBuf>,
    pub tasks: Vec<PathBuf>,
    pub out: Option<PathBuf>,
    pub scope: Option<Scope>,
    pub keep: Option<usize>,
    pub fuel: Option<u64>,
    pub differs: Vec<PathBuf>,
    /// `--no-diff`.
    pub no_diff: bool,
    pub rank_by: Option<String>,
}

impl Config {
    /// Reads `path` (if it exists; defaults otherwise) and applies `overrides`. Paths from the file are
    /// resolved against its directory; paths from the command line against the current directory.
    pub fn load(path: &Path, overrides: Overrides) -> Result<Config> {
        let (file, base) = if path.exists() {
            let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
            let file: File = toml::from_str(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
            (file, path.parent().map(Path::to_path_buf).unwrap_or_default())
        } else {
            (File::default(), PathBuf::new())
        };
        let rebase = |paths: Vec<PathBuf>| -> Vec<PathBuf> { paths.into_iter().map(|p| base.join(p)).collect() };
        let config = Config {
            solvers: if overrides.solvers.is_empty() { rebase(file.build.solvers) } else { overrides.solvers },
            tasks: if overrides.tasks.is_empty() { rebase(file.build.tasks) } else { overrides.tasks },
            out: overrides.out.unwrap_or_else(|| base.join(file.build.out)),
            scope: overrides.scope.unwrap_or(file.build.scope),
            keep: overrides.keep.unwrap_or(file.build.keep),
            limits: Limits { fuel: overrides.fuel.unwrap_or(file.limits.fuel), max_len: file.limits.max_len },
            differs: if overrides.differs.is_empty() { rebase(file.build.differs) } else { overrides.differs },
            diff: file.diff.enabled && !overrides.no_diff,
            rank_by: overrides.rank_by.unwrap_or(file.diff.rank_by),
            file: path.exists().then(|| path.to_path_buf()),
        };
        if config.keep == 0 {
            bail!("{}: keep must be at least 1", path.display());
        }
        Ok(config)
    }

    /// Refuses an output folder that is, holds, or lies inside a solver, task or differ path: batt prunes
    /// links and hash-named files under `out/solvers` and `out/tasks` (so `--out .` could remove a user's
    /// own links there), and a build would read its own output as input.
    /// Called by the commands that write `out/` (build, watch).
    pub fn check_out(&self) -> Result<()> {
        let out = resolved(&self.out);
        let inputs = [("solver", &self.solvers), ("task", &self.tasks), ("differ", &self.differs)];
        for (what, paths) in inputs {
            for path in paths {
                let input = resolved(path);
                if input.starts_with(&out) || out.starts_with(&input) {
                    bail!(
                        "the output folder {} overlaps the {what} path {}: give out/ a folder of its own \
                         (batt writes and prunes its files there, and would read them back as input)",
                        self.out.display(),
                        path.display()
                    );
                }
            }
        }
        Ok(())
    }
}

/// `path` made absolute, its links resolved as far as it exists, and `.`/`..` folded lexically beyond.
fn resolved(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    // The longest existing ancestor, canonicalised; the rest appended.
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            let mut out = real;
            for part in rest.iter().rev() {
                match part {
                    std::path::Component::ParentDir => {
                        out.pop();
                    }
                    std::path::Component::CurDir => {}
                    other => out.push(other),
                }
            }
            return out;
        }
        match (existing.parent(), existing.components().next_back()) {
            (Some(parent), Some(last)) => {
                rest.push(last);
                existing = parent;
            }
            _ => return absolute,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_values_are_rebased_and_flags_win() {
        let dir = std::env::temp_dir().join(format!("batt-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).ok();
        let path = dir.join("batt.toml");
        std::fs::write(&path, "[build]\nsolvers = [\"s\"]\nscope = \"own\"\n[limits]\nfuel = 5\n").ok();
        let config = Config::load(&path, Overrides::default()).ok();
        assert_eq!(config.as_ref().map(|c| c.solvers.clone()), Some(vec![dir.join("s")]));
        assert_eq!(config.as_ref().map(|c| (c.scope, c.limits.fuel)), Some((Scope::Own, 5)));
        let config = Config::load(&path, Overrides { scope: Some(Scope::All), ..Overrides::default() }).ok();
        assert_eq!(config.map(|c| c.scope), Some(Scope::All));
        std::fs::write(&path, "[build]\ndiffers = [\"d\"]\n[diff]\nrank_by = \"shape_distance\"\n").ok();
        let config = Config::load(&path, Overrides::default()).ok();
        assert_eq!(config.as_ref().map(|c| (c.differs.clone(), c.diff)), Some((vec![dir.join("d")], true)));
        assert_eq!(config.map(|c| c.rank_by), Some("shape_distance".to_string()));
        let config = Config::load(&path, Overrides { no_diff: true, ..Overrides::default() }).ok();
        assert_eq!(config.map(|c| c.diff), Some(false));
        std::fs::write(&path, "[build]\nsolverz = []\n").ok();
        let err = Config::load(&path, Overrides::default()).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains("solverz"), "{err}");
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn an_output_folder_that_overlaps_an_input_is_refused() {
        let dir = std::env::temp_dir().join(format!("batt-config-out-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("solvers")).ok();
        let load = |out: PathBuf| {
            let overrides = Overrides {
                solvers: vec![dir.join("solvers")],
                tasks: vec![dir.join("tasks/../tasks")],
                out: Some(out),
                ..Overrides::default()
            };
            Config::load(&dir.join("batt.toml"), overrides).and_then(|c| c.check_out()).map_err(|e| e.to_string())
        };
        let refused = |out: PathBuf| load(out).err().unwrap_or_default();
        assert!(refused(dir.clone()).contains("overlaps the solver path"));
        assert!(refused(dir.join("solvers/./out")).contains("overlaps the solver path"));
        assert!(refused(dir.join("tasks")).contains("overlaps the task path"));
        assert!(load(dir.join("out")).is_ok());
        assert!(load(dir.join("solvers-out")).is_ok());
        std::fs::remove_dir_all(&dir).ok();
    }
}

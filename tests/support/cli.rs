//! What the CLI test files (`tests/cli*.rs`) share: running the real binary
//! on a folder, fixture and scratch projects, and reading its JSON report.

// Each test file uses a different part.
#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// What one run of the binary gave.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn refnotes(dir: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_refnotes"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("REFNOTES_LOG")
        .output()
        .expect("the binary runs");
    Run {
        code: output.status.code().expect("exited normally"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

/// A temporary project: `files` as (relative path, bytes), plus empty folders.
pub fn project(files: &[(&str, &[u8])], folders: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, bytes) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    for folder in folders {
        std::fs::create_dir_all(dir.path().join(folder)).unwrap();
    }
    dir
}

pub fn json(run: &Run) -> Value {
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|err| panic!("not JSON ({err}): {}\nstderr: {}", run.stdout, run.stderr))
}

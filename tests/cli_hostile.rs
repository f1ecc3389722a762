//! The `refnotes` binary on hostile and odd folders: notes inside the
//! corpus, empty or all-skipped corpora, links out of the corpus and loops,
//! `/proc`, `/sys` and FIFOs, config paths outside its folder. Each must end,
//! in time, saying what it left out.

#[path = "support/cli.rs"]
mod cli;

use std::path::Path;
use std::process::Command;

use cli::{json, project, refnotes, Run};

/// Runs the binary like [`refnotes`], but fails the test if it has not
/// finished within `limit` (hostile folders used to make it run for ever).
fn refnotes_within(dir: &Path, args: &[&str], limit: std::time::Duration) -> Run {
    use std::io::Read;
    let mut child = Command::new(env!("CARGO_BIN_EXE_refnotes"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("REFNOTES_LOG")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary runs");
    // Read both pipes on threads so a full pipe cannot stall the child.
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut text = String::new();
        stdout.read_to_string(&mut text).map(|_| text)
    });
    let err = std::thread::spawn(move || {
        let mut text = String::new();
        stderr.read_to_string(&mut text).map(|_| text)
    });
    let deadline = std::time::Instant::now() + limit;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("refnotes {args:?} did not finish within {limit:?}");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    Run {
        code: status.code().expect("exited normally"),
        stdout: out.join().unwrap().expect("stdout is UTF-8"),
        stderr: err.join().unwrap().expect("stderr is UTF-8"),
    }
}

const HOSTILE_LIMIT: std::time::Duration = std::time::Duration::from_secs(60);

/// The example's corpus files and note, copied flat into one folder.
fn example_flat() -> tempfile::TempDir {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/aws-china");
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(example.join("corpus")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    std::fs::copy(example.join("notes.md"), dir.path().join("notes.md")).unwrap();
    dir
}

/// (line, code, message) of each diagnostic in a JSON report.
fn findings_of(run: &Run) -> Vec<(u64, String, String)> {
    json(run)["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["line"].as_u64().unwrap(),
                d["code"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Regression: with the note inside the corpus, every finding became
/// "wrong-source … notes does".
#[test]
fn a_note_inside_the_corpus_is_never_its_own_source() {
    let dir = example_flat();
    let example_corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/aws-china/corpus");
    let baseline = refnotes(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--corpus",
            example_corpus.to_str().unwrap(),
            "notes.md",
        ],
    );
    let expected = findings_of(&baseline);
    assert!(!expected.is_empty());
    let inside = refnotes(
        dir.path(),
        &["check", "--format", "json", "--corpus", ".", "notes.md"],
    );
    assert_eq!(findings_of(&inside), expected, "{}", inside.stderr);
    assert_eq!(inside.code, baseline.code);
    let said: Vec<&str> = inside
        .stderr
        .lines()
        .filter(|line| line.contains("not read as sources"))
        .collect();
    assert_eq!(
        said,
        ["warning: the corpus (.) holds the note ./notes.md; notes being checked are not read as sources"]
    );
    // The same from the config, as a list or a single path.
    for corpus in ["corpus = [\".\"]", "corpus = \"\""] {
        std::fs::write(dir.path().join("refnotes.toml"), corpus).unwrap();
        let run = refnotes(dir.path(), &["check", "--format", "json", "notes.md"]);
        assert_eq!(findings_of(&run), expected, "{corpus}: {}", run.stderr);
        assert!(run.stderr.contains("not read as sources"), "{}", run.stderr);
    }
    // Through a link in the corpus that leads back up to the note, followed.
    #[cfg(unix)]
    {
        std::fs::remove_file(dir.path().join("refnotes.toml")).unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::os::unix::fs::symlink("..", dir.path().join("sub/up")).unwrap();
        let run = refnotes(
            dir.path(),
            &[
                "check", "--follow", "--corpus", "sub", "--format", "json", "notes.md",
            ],
        );
        assert!(
            run.stderr.contains(
                "the corpus (sub) holds the note sub/up/notes.md; notes being checked are not read as sources"
            ),
            "{}",
            run.stderr
        );
        assert!(!run.stdout.contains("up/notes"), "{}", run.stdout);
    }
}

/// Regression: an empty corpus, or one whose every file was skipped, exited 0
/// and a CI job passed having checked nothing.
#[test]
fn an_empty_or_all_skipped_corpus_exits_2_unless_allowed() {
    let dir = project(
        &[
            ("notes.md", b"Revenue rose 5% to $3 million.\n"),
            ("skipped/blob.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
        ],
        &["corpus"],
    );
    let run = refnotes(dir.path(), &["check", "notes.md"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr.contains(
            "error: the corpus (corpus) holds no documents, so nothing would be checked; \
             add sources, or pass --allow-empty-corpus to check against none"
        ),
        "{}",
        run.stderr
    );
    let run = refnotes(
        dir.path(),
        &[
            "check", "--corpus", "skipped", "--format", "json", "notes.md",
        ],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("the corpus (skipped) holds no documents (1 file skipped, see above)"),
        "{}",
        run.stderr
    );
    let allowed = refnotes(dir.path(), &["check", "--allow-empty-corpus", "notes.md"]);
    assert_eq!(allowed.code, 0, "{}", allowed.stderr);
    assert!(allowed.stdout.contains("no-corpus"), "{}", allowed.stdout);
}

#[cfg(unix)]
fn symlink(target: impl AsRef<Path>, link: impl AsRef<Path>) {
    std::os::unix::fs::symlink(target, link).unwrap();
}

const SECRET: &[u8] =
    b"Vault notes\n\nThe root password for the production cluster is swordfish tango delta niner.\n";

const QUOTING_NOTE: &[u8] =
    "The admin wrote “the root password for the production cluster is hunter two”.\n".as_bytes();

/// Regression: a link in the corpus to a file elsewhere (say
/// `~/.aws/credentials`) was read, and a note quoting a few of its words
/// printed it in the misquote's "closest is …".
#[cfg(unix)]
#[test]
fn a_symlink_out_of_the_corpus_is_not_followed_unless_asked() {
    let elsewhere = project(&[("credentials.txt", SECRET)], &[]);
    let dir = project(
        &[
            ("notes.md", QUOTING_NOTE),
            ("corpus/wire.txt", b"Wire\n\nShares rose 4% on Monday.\n"),
        ],
        &[],
    );
    symlink(
        elsewhere.path().join("credentials.txt"),
        dir.path().join("corpus/creds.txt"),
    );
    for format in ["human", "json", "sarif"] {
        let run = refnotes_within(
            dir.path(),
            &["check", "--format", format, "notes.md"],
            HOSTILE_LIMIT,
        );
        assert!(
            !run.stdout.contains("swordfish"),
            "{format}: {}",
            run.stdout
        );
        assert!(
            run.stderr.contains(
                "warning: corpus/creds.txt: skipped: symbolic link (not followed; \
                 set follow_symlinks = true in refnotes.toml or pass --follow to read it)"
            ),
            "{}",
            run.stderr
        );
    }
    // A project's own config follows links only to places inside the corpus.
    std::fs::write(dir.path().join("refnotes.toml"), "follow_symlinks = true\n").unwrap();
    let run = refnotes_within(dir.path(), &["check", "notes.md"], HOSTILE_LIMIT);
    assert!(!run.stdout.contains("swordfish"), "{}", run.stdout);
    assert!(
        run.stderr
            .contains("corpus/creds.txt: skipped: symbolic link to ")
            && run
                .stderr
                .contains("outside the corpus (pass --follow to read it)"),
        "{}",
        run.stderr
    );
    // The user's own --follow reads it.
    let run = refnotes_within(
        dir.path(),
        &["check", "--follow", "notes.md"],
        HOSTILE_LIMIT,
    );
    assert!(run.stdout.contains("swordfish"), "{}", run.stdout);
}

/// A link inside the corpus to another place inside it is followed when the
/// config says so.
#[cfg(unix)]
#[test]
fn follow_symlinks_in_the_config_reads_links_within_the_corpus() {
    let dir = project(
        &[
            ("notes.md", b"A note.\n"),
            (
                "refnotes.toml",
                b"corpus = [\"corpus\"]\nfollow_symlinks = true\n",
            ),
            ("corpus/archive/old.txt", b"Old\n\nShares fell 2%.\n"),
        ],
        &[],
    );
    symlink("archive/old.txt", dir.path().join("corpus/latest.txt"));
    let run = refnotes_within(dir.path(), &["check", "notes.md"], HOSTILE_LIMIT);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    assert!(
        run.stdout.ends_with("in 1 note (2 sources)\n"),
        "{}",
        run.stdout
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_finishes_and_says_so() {
    let dir = project(
        &[
            ("notes.md", b"A note.\n"),
            ("corpus/a/wire.txt", b"Wire\n\nShares rose 4%.\n"),
        ],
        &[],
    );
    symlink(".", dir.path().join("corpus/self"));
    symlink("../..", dir.path().join("corpus/a/up"));
    let run = refnotes_within(dir.path(), &["check", "notes.md"], HOSTILE_LIMIT);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_links_not_followed(&run.stderr, ["corpus/a/up", "corpus/self"]);
    let run = refnotes_within(
        dir.path(),
        &["check", "--follow", "notes.md"],
        HOSTILE_LIMIT,
    );
    assert!(
        run.stderr
            .contains("corpus/self: skipped: symbolic link loops back to corpus"),
        "{}",
        run.stderr
    );
}

/// Regression: a link to `/proc`, `/sys` or `/proc/kmsg`, or a FIFO, made
/// `check` run for ever printing nothing.
#[cfg(target_os = "linux")]
#[test]
fn links_to_proc_and_sys_and_fifos_are_skipped_saying_why() {
    let dir = project(
        &[
            ("notes.md", b"A note.\n"),
            ("corpus/wire.txt", b"Wire\n\nShares rose 4%.\n"),
        ],
        &[],
    );
    let corpus = dir.path().join("corpus");
    symlink("/proc", corpus.join("proc"));
    symlink("/sys", corpus.join("sys"));
    symlink("/proc/kmsg", corpus.join("kmsg.txt"));
    let made = Command::new("mkfifo")
        .arg(corpus.join("pipe.txt"))
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    symlink("pipe.txt", corpus.join("pipe-link.txt"));
    let run = refnotes_within(dir.path(), &["check", "notes.md"], HOSTILE_LIMIT);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("warning: corpus/pipe.txt: skipped: not a regular file (a FIFO)"),
        "{}",
        run.stderr
    );
    assert_links_not_followed(
        &run.stderr,
        [
            "corpus/kmsg.txt",
            "corpus/pipe-link.txt",
            "corpus/proc",
            "corpus/sys",
        ],
    );
    let run = refnotes_within(
        dir.path(),
        &["check", "--follow", "notes.md"],
        HOSTILE_LIMIT,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    for (link, place) in [("kmsg.txt", "/proc"), ("proc", "/proc"), ("sys", "/sys")] {
        assert!(
            run.stderr.contains(&format!(
                "warning: corpus/{link}: skipped: symbolic link into {place}, which holds the kernel's files"
            )),
            "{}",
            run.stderr
        );
    }
    for fifo in ["pipe-link.txt", "pipe.txt"] {
        assert!(
            run.stderr.contains(&format!(
                "warning: corpus/{fifo}: skipped: not a regular file (a FIFO)"
            )),
            "{}",
            run.stderr
        );
    }
    assert!(
        run.stdout.ends_with("in 1 note (1 source)\n"),
        "{}",
        run.stdout
    );
}

/// Regression: `corpus = ["../../x"]` in a repository's config read files
/// outside the repository.
#[cfg(unix)]
#[test]
fn a_config_may_not_name_corpus_paths_outside_its_folder() {
    let dir = project(
        &[
            ("outside/secret.txt", SECRET),
            ("repo/notes.md", QUOTING_NOTE),
            ("repo/refnotes.toml", b"corpus = [\"../outside\"]\n"),
        ],
        &[],
    );
    let repo = dir.path().join("repo");
    let run = refnotes_within(&repo, &["check", "notes.md"], HOSTILE_LIMIT);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(!run.stdout.contains("swordfish"), "{}", run.stdout);
    assert!(
        run.stderr.contains(
            "warning: refnotes.toml: skipped corpus ../outside: it lies outside the config's \
             folder, and a config may only name corpus folders inside its own folder tree \
             (pass --corpus ../outside or --allow-external-corpus to read it)"
        ),
        "{}",
        run.stderr
    );
    // A link inside the repository that leads out is refused the same way.
    symlink("../outside", repo.join("vendored"));
    std::fs::write(repo.join("refnotes.toml"), "corpus = [\"vendored\"]\n").unwrap();
    let run = refnotes_within(&repo, &["check", "notes.md"], HOSTILE_LIMIT);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("skipped corpus vendored: it lies outside"),
        "{}",
        run.stderr
    );
    // The user may allow it, or name the folder in person.
    for args in [
        &["check", "--allow-external-corpus", "notes.md"][..],
        &["check", "--corpus", "../outside", "notes.md"][..],
    ] {
        let run = refnotes_within(&repo, args, HOSTILE_LIMIT);
        assert_eq!(run.code, 1, "{args:?}: {}", run.stderr);
        assert!(run.stdout.contains("swordfish"), "{}", run.stdout);
    }
}

/// Asserts that stderr says each link was skipped, not followed.
fn assert_links_not_followed<const N: usize>(stderr: &str, links: [&str; N]) {
    for link in links {
        assert!(
            stderr.contains(&format!(
                "warning: {link}: skipped: symbolic link (not followed"
            )),
            "{stderr}"
        );
    }
}

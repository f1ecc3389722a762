//! Tests for reading a corpus folder: what is read, what is left out with
//! a warning, and the limits.

use super::*;
use crate::text::Span;

fn write(root: &Path, relative: &str, bytes: &[u8]) -> PathBuf {
    let path = root.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, bytes).unwrap();
    path
}

fn ids(loaded: &Loaded) -> Vec<&str> {
    loaded.sources.iter().map(|s| s.id.as_str()).collect()
}

#[test]
fn ids_are_relative_paths_without_extension_sorted() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "b.txt", b"Second\nbody");
    write(dir.path(), "a/deep/one.md", b"# First heading\n\nbody");
    write(dir.path(), "a/x.y.markdown", b"\n\n  Dotted name  \n");
    write(dir.path(), "sheet.xlsx", b"PK");
    write(dir.path(), ".hidden/secret.txt", b"hidden");
    let loaded = load(&[dir.path().to_path_buf()], &LoadOptions::default()).unwrap();
    assert_eq!(ids(&loaded), ["a/deep/one", "a/x.y", "b"]);
    let titles: Vec<&str> = loaded.sources.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(titles, ["First heading", "Dotted name", "Second"]);
    let markdown: Vec<bool> = loaded.sources.iter().map(|s| s.markdown).collect();
    assert_eq!(markdown, [true, true, false]);
    let warnings: Vec<String> = loaded.warnings.iter().map(|w| w.message.clone()).collect();
    assert_eq!(
        warnings,
        [format!(
            "skipped: refnotes does not read .xlsx files (it reads {})",
            formats::KNOWN_EXTENSIONS
        )]
    );
    assert_eq!(loaded.sources[2].path, dir.path().join("b.txt"));
}

#[test]
fn a_saved_page_is_read_and_its_assets_pass_quietly() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "saved/page.html",
        b"<p>Sales rose 4% in May.</p>",
    );
    write(dir.path(), "saved/page_files/logo.png", b"\x89PNG");
    write(dir.path(), "other_files/chart.png", b"\x89PNG");
    let options = LoadOptions {
        cache_dir: Some(dir.path().join("cache")),
        ..LoadOptions::default()
    };
    let loaded = load(
        &[dir.path().join("saved"), dir.path().join("other_files")],
        &options,
    )
    .unwrap();
    assert_eq!(ids(&loaded), ["page"]);
    assert_eq!(loaded.sources[0].title, "Sales rose 4% in May.");
    assert!(loaded.sources[0].text.contains("\nSales rose 4% in May.\n"));
    // Not beside a saved page: said.
    let warned: Vec<&Path> = loaded.warnings.iter().map(|w| w.path.as_path()).collect();
    assert_eq!(warned, [dir.path().join("other_files/chart.png")]);
}

#[test]
fn a_single_file_is_a_corpus_of_one() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "report.txt", b"Title line\n");
    let loaded = load(std::slice::from_ref(&file), &LoadOptions::default()).unwrap();
    assert_eq!(ids(&loaded), ["report"]);
    assert_eq!(loaded.sources[0].path, file);
}

#[test]
fn bad_files_are_skipped_or_decoded_with_warnings() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "binary.txt", b"abc\0def");
    write(dir.path(), "latin1.txt", b"caf\xe9 au lait\n");
    write(dir.path(), "big.txt", &[b'x'; 64]);
    write(dir.path(), "fine.txt", b"fine");
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        dir.path().join("nowhere.txt"),
        dir.path().join("dangling.txt"),
    )
    .unwrap();
    let options = LoadOptions {
        max_file_size: 32,
        ..LoadOptions::default()
    };
    let loaded = load(&[dir.path().to_path_buf()], &options).unwrap();
    assert_eq!(ids(&loaded), ["fine", "latin1"]);
    assert_eq!(loaded.sources[1].text, "caf\u{fffd} au lait\n");
    let warnings: Vec<String> = loaded
        .warnings
        .iter()
        .map(|w| {
            let name = w.path.file_name().unwrap().to_string_lossy().into_owned();
            format!("{name}: {}", w.message.split(':').next().unwrap())
        })
        .collect();
    let mut expected = vec![
        "big.txt: skipped",
        "binary.txt: skipped",
        "latin1.txt: invalid UTF-8; undecodable bytes were replaced with U+FFFD",
    ];
    if cfg!(unix) {
        expected.insert(2, "dangling.txt: skipped");
    }
    assert_eq!(warnings, expected);
    let big = loaded
        .warnings
        .iter()
        .find(|w| w.path.ends_with("big.txt"))
        .unwrap();
    assert!(
        big.message.contains("over the size limit of 32 bytes"),
        "{big}"
    );
    assert!(big
        .to_string()
        .starts_with(&dir.path().display().to_string()));
}

#[test]
fn roots_that_are_missing_or_not_documents_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope");
    let err = load(std::slice::from_ref(&missing), &LoadOptions::default()).unwrap_err();
    assert!(matches!(err, LoadError::MissingRoot { .. }));
    assert!(err.to_string().contains(&missing.display().to_string()));
    let sheet = write(dir.path(), "figures.xlsx", b"PK");
    let err = load(&[sheet], &LoadOptions::default()).unwrap_err();
    assert!(matches!(err, LoadError::NotAFolder { .. }), "{err}");
}

#[test]
fn include_and_exclude_globs_filter_documents() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "keep/a.txt", b"a");
    write(dir.path(), "keep/drafts/b.txt", b"b");
    write(dir.path(), "other/c.md", b"c");
    let options = LoadOptions {
        include: vec!["keep/**".into()],
        exclude: vec!["**/drafts/**".into()],
        ..LoadOptions::default()
    };
    let loaded = load(&[dir.path().to_path_buf()], &options).unwrap();
    assert_eq!(ids(&loaded), ["keep/a"]);
    let bad = LoadOptions {
        include: vec!["[".into()],
        ..LoadOptions::default()
    };
    let err = load(&[dir.path().to_path_buf()], &bad).unwrap_err();
    assert!(err.to_string().contains("\"[\""), "{err}");
}

#[test]
fn clashing_ids_are_renamed_by_root_or_skipped() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "wire/story.txt", b"one");
    write(dir.path(), "filings/story.txt", b"two");
    write(dir.path(), "filings/story.md", b"three");
    let roots = [dir.path().join("wire"), dir.path().join("filings")];
    let loaded = load(&roots, &LoadOptions::default()).unwrap();
    assert_eq!(ids(&loaded), ["filings/story", "story"]);
    assert_eq!(loaded.sources[0].text, "three");
    assert_eq!(loaded.warnings.len(), 2, "{:?}", loaded.warnings);
    assert!(loaded.warnings[0].message.contains("\"filings/story\""));
    assert!(loaded.warnings[1].message.starts_with("skipped"));
}

#[test]
fn titles_prefer_front_matter_then_first_line_after_it() {
    let text = "---\ntitle: x\n---\n\n## Heading after\nbody";
    let front = FrontMatter {
        span: Span::new(0, 16),
        title: Some("  Front title ".into()),
        ..FrontMatter::default()
    };
    assert_eq!(title_of(text, Some(&front)), "Front title");
    let untitled = FrontMatter {
        title: None,
        ..front
    };
    assert_eq!(title_of(text, Some(&untitled)), "Heading after");
    assert_eq!(title_of("", None), "");
    assert_eq!(title_of("\u{feff}Plain\n", None), "Plain");
    let long = "word ".repeat(100);
    assert!(title_of(&long, None).chars().count() <= MAX_TITLE_CHARS + 1);
}

#[test]
fn the_walk_is_bounded_in_depth_and_count_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.txt", b"a");
    write(dir.path(), "one/b.txt", b"b");
    write(dir.path(), "one/two/three/deep.txt", b"deep");
    let shallow = LoadOptions {
        max_depth: 2,
        ..LoadOptions::default()
    };
    let loaded = load(&[dir.path().to_path_buf()], &shallow).unwrap();
    assert_eq!(ids(&loaded), ["a", "one/b"]);
    assert_eq!(loaded.warnings.len(), 1, "{:?}", loaded.warnings);
    assert!(loaded.warnings[0].path.ends_with("one/two"));
    assert_eq!(
        loaded.warnings[0].message,
        "skipped: deeper than 2 folders below the corpus root"
    );

    let few = LoadOptions {
        max_entries: 4,
        ..LoadOptions::default()
    };
    let loaded = load(&[dir.path().to_path_buf()], &few).unwrap();
    assert_eq!(ids(&loaded), ["a", "one/b"]);
    assert_eq!(loaded.warnings.len(), 1, "{:?}", loaded.warnings);
    assert!(
        loaded.warnings[0]
            .message
            .starts_with("stopped walking after 4 files and folders"),
        "{}",
        loaded.warnings[0]
    );
}

#[cfg(unix)]
#[test]
fn symlinks_are_skipped_followed_within_the_roots_or_followed() {
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "secret.txt", b"secret");
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "real/inside.txt", b"inside");
    std::os::unix::fs::symlink("real/inside.txt", dir.path().join("alias.txt")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        dir.path().join("creds.txt"),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path(), dir.path().join("elsewhere")).unwrap();
    let roots = [dir.path().to_path_buf()];
    let with = |symlinks| LoadOptions {
        symlinks,
        ..LoadOptions::default()
    };
    let messages = |loaded: &Loaded| -> Vec<String> {
        loaded
            .warnings
            .iter()
            .map(|w| {
                let name = w.path.file_name().unwrap().to_string_lossy().into_owned();
                let kind: String = w.message.split([',', '(']).next().unwrap().into();
                format!("{name}: {}", kind.trim_end())
            })
            .collect()
    };

    let skipped = load(&roots, &with(Symlinks::Skip)).unwrap();
    assert_eq!(ids(&skipped), ["real/inside"]);
    assert_eq!(
        messages(&skipped),
        [
            "alias.txt: skipped: symbolic link",
            "creds.txt: skipped: symbolic link",
            "elsewhere: skipped: symbolic link",
        ]
    );

    let within = load(&roots, &with(Symlinks::FollowWithinRoots)).unwrap();
    assert_eq!(ids(&within), ["alias", "real/inside"]);
    let outside_real = outside.path().canonicalize().unwrap();
    assert_eq!(
        within
            .warnings
            .iter()
            .map(|w| w.message.clone())
            .collect::<Vec<_>>(),
        [
            format!(
                "skipped: symbolic link to {}, outside the corpus (pass --follow to read it)",
                outside_real.join("secret.txt").display()
            ),
            format!(
                "skipped: symbolic link to {}, outside the corpus (pass --follow to read it)",
                outside_real.display()
            ),
        ]
    );

    let followed = load(&roots, &with(Symlinks::Follow)).unwrap();
    assert_eq!(
        ids(&followed),
        ["alias", "creds", "elsewhere/secret", "real/inside"]
    );
    assert!(followed.warnings.is_empty(), "{:?}", followed.warnings);
}

#[cfg(target_os = "linux")]
#[test]
fn kernel_file_systems_are_never_read() {
    let err_free = load(&[PathBuf::from("/proc")], &LoadOptions::default()).unwrap();
    assert!(err_free.sources.is_empty());
    assert_eq!(
        err_free.warnings[0].message,
        "skipped: /proc holds the kernel's files, not documents"
    );
    let single = load(&[PathBuf::from("/proc/kmsg")], &LoadOptions::default());
    assert!(single.is_ok_and(|loaded| loaded.sources.is_empty()));
}

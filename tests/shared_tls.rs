//! TLS to the shared index, against a real PostgreSQL (`pg_server`) that
//! refuses every login but the administrator's without TLS: a URL with
//! `sslmode=require` and the server's authority in `sslrootcert` loads and
//! checks; without `sslmode` it is refused by the server; with it but
//! without the authority, refnotes refuses the server's certificate.

mod pg_server;

use std::path::Path;
use std::process::{Command, Output};

use pg_server::PgServer;

fn refnotes(cache: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_refnotes"))
        .env("REFNOTES_CACHE_DIR", cache)
        .env_remove("PGSSLMODE")
        .env_remove("PGSSLROOTCERT")
        .args(args)
        .output()
        .unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn the_shared_index_is_reached_over_verified_tls_when_the_url_asks() {
    let Some(mut server) = PgServer::start() else {
        return;
    };
    let authority = server.require_tls();
    server
        .admin_sql("CREATE ROLE ana LOGIN SUPERUSER PASSWORD 'ana-pw'")
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    std::fs::write(
        corpus.join("a.txt"),
        "Norvalen Data Services said revenue was $4.62 billion in 2023.\n",
    )
    .unwrap();
    let note = dir.path().join("note.md");
    std::fs::write(&note, "Norvalen's revenue was $4.7 billion in 2023.\n").unwrap();
    let cache = dir.path().join("cache");
    let plain = server.url("ana", "ana-pw", "desk");
    let encrypted = format!(
        "{plain}&sslmode=require&sslrootcert={}",
        authority.display()
    );

    let loaded = refnotes(
        &cache,
        &[
            "index",
            "--quiet",
            "--corpus",
            corpus.to_str().unwrap(),
            "--to",
            &encrypted,
        ],
    );
    assert!(loaded.status.success(), "{}", stderr(&loaded));
    let check = |url: &str| {
        refnotes(
            &cache,
            &[
                "check",
                "--no-cache",
                "--format",
                "json",
                "--shared",
                url,
                note.to_str().unwrap(),
            ],
        )
    };
    let checked = check(&encrypted);
    assert_eq!(checked.status.code(), Some(1), "{}", stderr(&checked));
    assert!(
        String::from_utf8_lossy(&checked.stdout).contains("4.62 billion"),
        "{}",
        stderr(&checked)
    );

    // In the clear: the server refuses this user.
    let refused = check(&plain);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("no encryption"),
        "{}",
        stderr(&refused)
    );
    // Encrypted, but the server's authority is not trusted: refnotes refuses it.
    let untrusted = check(&format!("{plain}&sslmode=require"));
    assert_eq!(untrusted.status.code(), Some(2));
    assert!(
        stderr(&untrusted).contains("invalid peer certificate")
            && stderr(&untrusted).contains("sslrootcert=PATH"),
        "{}",
        stderr(&untrusted)
    );
    assert!(
        !stderr(&untrusted).contains("ana-pw"),
        "{}",
        stderr(&untrusted)
    );
}

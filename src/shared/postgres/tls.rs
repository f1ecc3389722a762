//! TLS to the shared index. The URL (else `PGSSLMODE`, else the service
//! file) asks for it with libpq's `sslmode`: `require`, `verify-ca` and
//! `verify-full` connect through rustls and verify the server's certificate
//! chain and name, against `sslrootcert` (else `PGSSLROOTCERT`) when given,
//! else the system's roots; `disable`, `allow` and `prefer` (and no
//! `sslmode`) connect in the clear. refnotes never encrypts without
//! verifying, so `require` is as strict as `verify-full`: a server with a
//! self-signed certificate needs its certificate named by `sslrootcert`.

use std::sync::Arc;

use anyhow::{anyhow, bail};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;

/// How connections to the database are made.
#[derive(Clone)]
pub(super) enum Tls {
    /// In the clear.
    Off,
    /// TLS, with the server's certificate and name verified.
    On(tokio_postgres_rustls::MakeRustlsConnect),
}

/// The TLS parameters of a connection URL: taken out of `connect` (the
/// database client reads neither) and turned into how to connect.
/// `setting(key, variable)` is the service file's `key`, else the
/// environment's `variable`; `shown` names the URL in errors.
pub(super) fn take_tls(
    connect: &str,
    setting: impl Fn(&str, &str) -> Option<String>,
    shown: &str,
) -> anyhow::Result<(String, Tls)> {
    let (base, query) = connect.split_once('?').unwrap_or((connect, ""));
    let mut mode = None;
    let mut root = None;
    let mut kept = Vec::new();
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        match pair.split_once('=') {
            Some(("sslmode", value)) => mode = Some(value.to_string()),
            Some(("sslrootcert", value)) => root = Some(percent_decoded(value)),
            _ => kept.push(pair),
        }
    }
    let connect = if kept.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    let mode = mode.or_else(|| setting("sslmode", "PGSSLMODE"));
    let encrypt = match mode.as_deref() {
        None | Some("disable" | "allow" | "prefer") => false,
        Some("require" | "verify-ca" | "verify-full") => true,
        Some(other) => bail!(
            "shared index {shown}: sslmode={other} is not one of disable, allow, prefer, \
             require, verify-ca, verify-full"
        ),
    };
    if !encrypt {
        return Ok((connect, Tls::Off));
    }
    let root = root.or_else(|| setting("sslrootcert", "PGSSLROOTCERT"));
    let roots = match &root {
        Some(path) => roots_from(path)
            .map_err(|error| anyhow!("shared index {shown}: sslrootcert {path}: {error}"))?,
        None => system_roots().map_err(|error| {
            anyhow!(
                "shared index {shown}: sslmode={}: {error}",
                mode.unwrap_or_default()
            )
        })?,
    };
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok((
        connect,
        Tls::On(tokio_postgres_rustls::MakeRustlsConnect::new(config)),
    ))
}

/// The certificates of a PEM file, as trust anchors.
fn roots_from(path: &str) -> Result<rustls::RootCertStore, String> {
    let certificates: Vec<CertificateDer> = CertificateDer::pem_file_iter(path)
        .map_err(|error| format!("cannot read it ({error})"))?
        .collect::<Result<_, _>>()
        .map_err(|error| format!("not a PEM certificate file ({error})"))?;
    if certificates.is_empty() {
        return Err("holds no PEM certificate".to_string());
    }
    let mut roots = rustls::RootCertStore::empty();
    for certificate in certificates {
        roots
            .add(certificate)
            .map_err(|error| format!("a certificate in it is not usable ({error})"))?;
    }
    Ok(roots)
}

/// The system's trusted roots.
fn system_roots() -> Result<rustls::RootCertStore, String> {
    let found = rustls_native_certs::load_native_certs();
    let mut roots = rustls::RootCertStore::empty();
    let (added, _) = roots.add_parsable_certificates(found.certs);
    if added == 0 {
        return Err(format!(
            "the system has no trusted certificates to verify the server with{}; name the \
             server's CA with sslrootcert=PATH",
            found
                .errors
                .first()
                .map(|error| format!(" ({error})"))
                .unwrap_or_default()
        ));
    }
    Ok(roots)
}

/// A URL parameter's value with `%XX` escapes decoded (a path may hold them).
fn percent_decoded(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_settings(_: &str, _: &str) -> Option<String> {
        None
    }

    #[test]
    fn tls_parameters_are_taken_out_and_read() {
        let (connect, tls) = take_tls(
            "postgres://h/db?sslmode=prefer&application_name=x",
            no_settings,
            "u",
        )
        .unwrap();
        assert_eq!(connect, "postgres://h/db?application_name=x");
        assert!(matches!(tls, Tls::Off));
        let (connect, tls) = take_tls("postgres://h/db", no_settings, "u").unwrap();
        assert_eq!(connect, "postgres://h/db");
        assert!(matches!(tls, Tls::Off));

        let error = take_tls("postgres://h/db?sslmode=sometimes", no_settings, "u")
            .err()
            .unwrap();
        assert!(
            error
                .to_string()
                .contains("sslmode=sometimes is not one of"),
            "{error}"
        );
        let error = take_tls(
            "postgres://h/db?sslmode=require&sslrootcert=%2Fno%2Fsuch.pem",
            no_settings,
            "u",
        )
        .err()
        .unwrap();
        assert!(
            error
                .to_string()
                .contains("sslrootcert /no/such.pem: cannot read it"),
            "{error}"
        );
        // The environment's mode, when the URL has none.
        let from_env = |_: &str, var: &str| (var == "PGSSLMODE").then(|| "verify-full".to_string());
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "").unwrap();
        let url = format!("postgres://h/db?sslrootcert={}", empty.display());
        let error = take_tls(&url, from_env, "u").err().unwrap();
        assert!(
            error.to_string().contains("holds no PEM certificate"),
            "{error}"
        );
    }
}

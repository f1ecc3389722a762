//! A test client that runs the real `refnotes serve --stdio` binary: sends
//! requests and notifications, answers the server's own requests, collects
//! notifications, and on drop checks that the server shut down and exited
//! cleanly.

use std::collections::VecDeque;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::jsonrpc::{read_message, write_message};

/// How long any single wait lasts before the test fails.
pub const TIMEOUT: Duration = Duration::from_secs(20);

/// [`TIMEOUT`], unless `REFNOTES_CLIENT_TIMEOUT_SECS` says otherwise (the
/// latency bench's cold checks of a 1,000-line note on 100 MB take longer).
fn timeout() -> Duration {
    std::env::var("REFNOTES_CLIENT_TIMEOUT_SECS")
        .ok()
        .and_then(|secs| secs.parse().ok())
        .map_or(TIMEOUT, Duration::from_secs)
}

pub struct TestServer {
    child: Child,
    stdin: Option<ChildStdin>,
    incoming: Receiver<Value>,
    notifications: VecDeque<Value>,
    next_id: i64,
    stderr: Arc<Mutex<String>>,
    /// What `workspace/configuration` is answered with, per item.
    pub configuration: Value,
    /// Every request the server sent to the client, in order.
    pub server_requests: Vec<Value>,
    /// Set once `shutdown` and `exit` have been sent and the exit checked.
    finished: bool,
}

/// A `file://` URI for an absolute path.
pub fn uri(path: &Path) -> String {
    let mut out = String::from("file://");
    for byte in path.to_string_lossy().bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

impl TestServer {
    /// Starts the server binary at `binary` with `serve --stdio`, logging at debug level.
    pub fn start(binary: &Path) -> TestServer {
        TestServer::start_logging(binary, "refnotes=debug")
    }

    /// Starts the server with `REFNOTES_LOG` set to `filter` (benches log
    /// warnings only: formatting debug lines costs the server time).
    pub fn start_logging(binary: &Path, filter: &str) -> TestServer {
        let mut child = Command::new(binary)
            .args(["serve", "--stdio"])
            .env("REFNOTES_LOG", filter)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start refnotes serve");
        let stdout = child.stdout.take().unwrap();
        let (sender, incoming) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Ok(Some(message)) = read_message(&mut reader) {
                if sender.send(message).is_err() {
                    break;
                }
            }
        });
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut pipe = child.stderr.take().unwrap();
        let sink = Arc::clone(&stderr);
        std::thread::spawn(move || {
            let mut buffer = [0u8; 4096];
            while let Ok(n) = std::io::Read::read(&mut pipe, &mut buffer) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buffer[..n]));
            }
        });
        TestServer {
            stdin: child.stdin.take(),
            child,
            incoming,
            notifications: VecDeque::new(),
            next_id: 1,
            stderr,
            configuration: Value::Null,
            server_requests: Vec::new(),
            finished: false,
        }
    }

    /// The server's log so far (stderr).
    pub fn log(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    pub fn send(&mut self, message: Value) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        write_message(stdin, &message).expect("write to server");
    }

    /// Writes bytes as they are, framed or not.
    pub fn send_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        std::io::Write::write_all(stdin, bytes).expect("write to server");
        std::io::Write::flush(stdin).expect("flush to server");
    }

    /// The next error reply with a null id (the answer to an unreadable message).
    pub fn null_id_error(&mut self) -> Value {
        self.receive_until(|m| m.get("id") == Some(&Value::Null) && m.get("error").is_some())
    }

    /// The response to request `id`, once it comes.
    pub fn response(&mut self, id: i64) -> Value {
        self.receive_until(|m| m.get("method").is_none() && m.get("id") == Some(&json!(id)))
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and returns the whole response (result or error).
    pub fn request_raw(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.receive_until(|message| {
            message.get("method").is_none() && message.get("id") == Some(&json!(id))
        })
    }

    /// Sends a request and returns its result; fails the test on an error response.
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.request_raw(method, params);
        if let Some(error) = response.get("error") {
            panic!(
                "{method} failed: {error}\n--- server log ---\n{}",
                self.log()
            );
        }
        response["result"].clone()
    }

    /// The next notification `method` whose params satisfy `wanted`, with
    /// earlier non-matching notifications kept for later waits.
    pub fn wait_for(&mut self, method: &str, wanted: impl Fn(&Value) -> bool) -> Value {
        let matches = |m: &Value| m["method"] == method && wanted(&m["params"]);
        if let Some(index) = self.notifications.iter().position(matches) {
            return self.notifications.remove(index).unwrap()["params"].clone();
        }
        let message = self.receive_until(|m| m.get("id").is_none() && matches(m));
        let last = self.notifications.pop_back();
        debug_assert_eq!(last.as_ref(), Some(&message));
        message["params"].clone()
    }

    /// Every notification `method` received so far and not yet consumed.
    pub fn take_notifications(&mut self, method: &str) -> Vec<Value> {
        let (taken, kept) = self
            .notifications
            .drain(..)
            .partition(|m| m["method"] == method);
        self.notifications = kept;
        taken.into_iter().map(|m| m["params"].clone()).collect()
    }

    /// The diagnostics published for `uri` at `version`.
    pub fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let params = self.wait_for("textDocument/publishDiagnostics", |p| {
            p["uri"] == uri && p["version"] == version
        });
        params["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// Reads messages, answering the server's requests and queueing
    /// notifications, until one satisfies `done` (which is returned; a matching
    /// notification is also left queued).
    fn receive_until(&mut self, done: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + timeout();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let message = match self.incoming.recv_timeout(left) {
                Ok(message) => message,
                Err(RecvTimeoutError::Timeout) => panic!(
                    "timed out; queued notifications: {:#?}\n--- server log ---\n{}",
                    self.notifications,
                    self.log()
                ),
                Err(RecvTimeoutError::Disconnected) => {
                    panic!(
                        "server closed its output\n--- server log ---\n{}",
                        self.log()
                    )
                }
            };
            if message.get("method").is_some() && message.get("id").is_some() {
                self.answer(&message);
                continue;
            }
            if message.get("id").is_none() {
                self.notifications.push_back(message.clone());
            }
            if done(&message) {
                return message;
            }
        }
    }

    fn answer(&mut self, request: &Value) {
        let result = match request["method"].as_str() {
            Some("workspace/configuration") => {
                let items = request["params"]["items"].as_array().map_or(0, Vec::len);
                Value::Array(vec![self.configuration.clone(); items])
            }
            _ => Value::Null,
        };
        self.server_requests.push(request.clone());
        let id = request["id"].clone();
        self.send(json!({"jsonrpc": "2.0", "id": id, "result": result}));
    }

    /// `initialize` then `initialized`; returns the initialize result.
    pub fn initialize(
        &mut self,
        root: Option<&Path>,
        capabilities: Value,
        options: Value,
    ) -> Value {
        let folders = root.map(|root| json!([{"uri": uri(root), "name": "ws"}]));
        let result = self.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": root.map(uri),
                "capabilities": capabilities,
                "initializationOptions": options,
                "workspaceFolders": folders,
            }),
        );
        self.notify("initialized", json!({}));
        result
    }

    /// Opens a file with its text on disk; returns its URI.
    pub fn open(&mut self, path: &Path) -> String {
        let text = std::fs::read_to_string(path).expect("read note");
        self.open_text(path, &text)
    }

    pub fn open_text(&mut self, path: &Path, text: &str) -> String {
        let uri = uri(path);
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}),
        );
        uri
    }

    /// `shutdown` then `exit`, and checks the server exits with status 0.
    pub fn shutdown(&mut self) {
        let response = self.request_raw("shutdown", Value::Null);
        assert_eq!(response["result"], Value::Null, "{response}");
        self.notify("exit", Value::Null);
        self.finished = true;
        let status = self.wait_exit();
        assert_eq!(status, Some(0), "server log:\n{}", self.log());
    }

    /// Waits for the process to end; its exit code, or `None` when it was killed.
    pub fn wait_exit(&mut self) -> Option<i32> {
        self.finished = true;
        let deadline = Instant::now() + timeout();
        loop {
            if let Some(status) = self.child.try_wait().expect("wait for server") {
                return status.code();
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("server did not exit\n--- server log ---\n{}", self.log());
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// A path inside a fixture folder copied to a fresh temporary folder.
    pub fn fixture(name: &str) -> (tempfile::TempDir, PathBuf) {
        let source = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/lsp")
            .join(name);
        let dir = tempfile::tempdir().expect("temp dir");
        copy_dir(&source, dir.path());
        let root = dir.path().to_path_buf();
        (dir, root)
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let _ = self.child.kill();
            eprintln!("--- server log ---\n{}", self.log());
            return;
        }
        if !self.finished {
            self.shutdown();
        }
    }
}

/// The messages of a `textDocument/publishDiagnostics` notification's
/// diagnostics.
pub fn diagnostic_messages(params: &Value) -> Vec<String> {
    params["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| d["message"].as_str().unwrap_or_default().to_string())
        .collect()
}

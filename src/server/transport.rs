//! The base protocol's framing, read before the protocol library sees it, so
//! that one bad frame costs one error reply instead of the server.
//!
//! tower-lsp-server answers an undecodable frame with `-32700` and then stops
//! reading, which ends the session. JSON-RPC 2.0 asks a server to answer a
//! parse error with `{"id": null, "error": {"code": -32700}}` and carry on,
//! and LSP has no batches (a JSON array) at all. So [`Deframer`] splits the
//! client's bytes into frames itself: header names in any case, `\r\n` or
//! `\n` line ends, and a body that must be one JSON-RPC message. Good frames
//! go on to the library with a canonical header; for a bad one it yields the
//! error to answer, then finds the next `Content-Length` header and goes on.
//! [`SharedOutput`] lets those answers and the library's own frames share
//! stdout without interleaving.

use std::io::Write;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use serde_json::Value;
use tower_lsp_server::jsonrpc::{Request, Response};

/// Header blocks longer than this are not headers.
const MAX_HEADER_BYTES: usize = 8 * 1024;
/// Bodies longer than this are refused without being read into memory first.
const MAX_BODY_BYTES: usize = 256 * 1024 * 1024;
const HEADER_NAME: &[u8] = b"content-length";

/// JSON-RPC's "Parse error": the body is not JSON.
pub const PARSE_ERROR: i64 = -32700;
/// JSON-RPC's "Invalid Request": JSON, but not one message.
pub const INVALID_REQUEST: i64 = -32600;

/// What the next bytes from the client make.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Frame {
    /// One message, framed again with a canonical header.
    Message(Vec<u8>),
    /// Bytes that make no message: the JSON-RPC error code to answer and why.
    Invalid { code: i64, reason: String },
}

/// Splits a byte stream into [`Frame`]s; feed it with [`Deframer::push`].
#[derive(Debug, Default)]
pub struct Deframer {
    buffer: Vec<u8>,
    /// After a bad frame: bytes before the next header are its leftovers.
    resyncing: bool,
}

impl Deframer {
    pub fn push(&mut self, bytes: &[u8]) {
        self.buffer.extend_from_slice(bytes);
    }

    /// The next complete frame, or `None` until more bytes arrive.
    pub fn next_frame(&mut self) -> Option<Frame> {
        loop {
            let blank = self
                .buffer
                .iter()
                .position(|b| !b.is_ascii_whitespace())
                .unwrap_or(self.buffer.len());
            self.buffer.drain(..blank);
            if self.buffer.is_empty() {
                return None;
            }
            if self.resyncing {
                match header_start(&self.buffer) {
                    HeaderStart::Yes => {}
                    HeaderStart::TooSoon => return None,
                    // The rest of a frame whose length was wrong: skip to the next header.
                    HeaderStart::No => match find_header_name(&self.buffer, 1) {
                        Some(at) => {
                            self.buffer.drain(..at);
                        }
                        None => {
                            let keep = self.buffer.len().min(HEADER_NAME.len());
                            self.buffer.drain(..self.buffer.len() - keep);
                            return None;
                        }
                    },
                }
            }
            self.resyncing = false;
            let Some((header_len, separator)) = header_end(&self.buffer) else {
                if self.buffer.len() > MAX_HEADER_BYTES {
                    return Some(self.skip_garbage("no end to the message header"));
                }
                return None;
            };
            let headers = &self.buffer[..header_len];
            let Some(length) = content_length(headers) else {
                return Some(self.skip_garbage("a message header without a Content-Length"));
            };
            if length > MAX_BODY_BYTES {
                return Some(self.skip_garbage("a message longer than 256 MiB"));
            }
            let body_start = header_len + separator;
            if self.buffer.len() < body_start + length {
                return None;
            }
            if length == 0 {
                self.buffer.drain(..body_start);
                continue;
            }
            let body = &self.buffer[body_start..body_start + length];
            let frame = classify(body);
            let consumed = match &frame {
                // A wrong length may have swallowed the next message's header:
                // resume there so that message is not lost too.
                Frame::Invalid { code, .. } if *code == PARSE_ERROR => {
                    resume_point(body).map_or(body_start + length, |at| body_start + at)
                }
                _ => body_start + length,
            };
            self.resyncing = matches!(frame, Frame::Invalid { .. });
            self.buffer.drain(..consumed);
            return Some(frame);
        }
    }

    /// Drops bytes up to the next header after the first byte.
    fn skip_garbage(&mut self, reason: &str) -> Frame {
        let next = resume_point(&self.buffer[1..]).map_or(self.buffer.len(), |at| at + 1);
        self.buffer.drain(..next);
        self.resyncing = true;
        Frame::Invalid {
            code: PARSE_ERROR,
            reason: reason.to_string(),
        }
    }
}

/// Whether a body is one JSON-RPC message tower-lsp-server will accept.
fn classify(body: &[u8]) -> Frame {
    let value: Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(error) => {
            return Frame::Invalid {
                code: PARSE_ERROR,
                reason: format!("the message is not JSON: {error}"),
            }
        }
    };
    let invalid = |reason: &str| Frame::Invalid {
        code: INVALID_REQUEST,
        reason: reason.to_string(),
    };
    if value.is_array() {
        return invalid("LSP has no batch messages: send each message in its own frame");
    }
    let is_message = serde_json::from_value::<Response>(value.clone()).is_ok()
        || serde_json::from_value::<Request>(value).is_ok();
    if !is_message {
        return invalid("the JSON is not a JSON-RPC 2.0 request, notification or response");
    }
    let mut framed = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    framed.extend_from_slice(body);
    Frame::Message(framed)
}

/// The length of the header block and of the blank line after it.
fn header_end(buffer: &[u8]) -> Option<(usize, usize)> {
    let crlf = memchr::memmem::find(buffer, b"\r\n\r\n").map(|at| (at, 4));
    let lf = memchr::memmem::find(buffer, b"\n\n").map(|at| (at, 2));
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
        (a, b) => a.or(b),
    }
}

/// The `Content-Length` of a header block, its name in any case.
fn content_length(headers: &[u8]) -> Option<usize> {
    let text = std::str::from_utf8(headers).ok()?;
    text.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.trim()
            .eq_ignore_ascii_case("content-length")
            .then(|| value.trim().parse().ok())?
    })
}

enum HeaderStart {
    Yes,
    No,
    /// A word with no `:` yet: wait for more bytes.
    TooSoon,
}

/// Whether the buffer starts with a `Content-Length` header line.
fn header_start(buffer: &[u8]) -> HeaderStart {
    let name_end = buffer
        .iter()
        .position(|&b| !(b.is_ascii_alphanumeric() || b == b'-'))
        .unwrap_or(buffer.len());
    let name = &buffer[..name_end];
    let prefix =
        name.len() <= HEADER_NAME.len() && name.eq_ignore_ascii_case(&HEADER_NAME[..name.len()]);
    if !prefix {
        HeaderStart::No
    } else if name_end == buffer.len() {
        HeaderStart::TooSoon
    } else if name.len() == HEADER_NAME.len() {
        HeaderStart::Yes
    } else {
        HeaderStart::No
    }
}

/// Where in unparsable bytes the next message's header starts (as when a
/// body's length was too long): the header name, or its first bytes at the
/// very end (the rest has not arrived yet).
fn resume_point(body: &[u8]) -> Option<usize> {
    find_header_name(body, 0).or_else(|| {
        (1..HEADER_NAME.len())
            .rev()
            .filter(|&n| n <= body.len())
            .find(|&n| body[body.len() - n..].eq_ignore_ascii_case(&HEADER_NAME[..n]))
            .map(|n| body.len() - n)
    })
}

/// Where `content-length` (any case) next occurs at or after `from`.
fn find_header_name(buffer: &[u8], from: usize) -> Option<usize> {
    let tail = buffer.get(from..)?;
    tail.windows(HEADER_NAME.len())
        .position(|w| w.eq_ignore_ascii_case(HEADER_NAME))
        .map(|at| from + at)
}

/// A JSON-RPC error reply with a null id, framed.
pub fn error_frame(code: i64, reason: &str) -> Vec<u8> {
    let message = if code == PARSE_ERROR {
        "Parse error"
    } else {
        "Invalid request"
    };
    let body = serde_json::json!({
        "jsonrpc": "2.0",
        "id": null,
        "error": {"code": code, "message": message, "data": reason},
    })
    .to_string();
    let mut framed = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    framed.extend_from_slice(body.as_bytes());
    framed
}

/// Stdout shared by the protocol library and the framing layer's replies:
/// every write goes out whole under one lock. (The library encodes whole
/// frames before writing and this writer takes all it is given, so frames
/// never interleave.)
#[derive(Clone)]
pub struct SharedOutput {
    out: Arc<Mutex<std::io::Stdout>>,
}

impl SharedOutput {
    pub fn stdout() -> SharedOutput {
        SharedOutput {
            out: Arc::new(Mutex::new(std::io::stdout())),
        }
    }

    pub fn write_frame(&self, frame: &[u8]) -> std::io::Result<()> {
        let mut out = self.out.lock().unwrap_or_else(|p| p.into_inner());
        out.write_all(frame)?;
        out.flush()
    }
}

impl tokio::io::AsyncWrite for SharedOutput {
    fn poll_write(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let mut out = self.out.lock().unwrap_or_else(|p| p.into_inner());
        Poll::Ready(out.write_all(buf).map(|()| buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        let mut out = self.out.lock().unwrap_or_else(|p| p.into_inner());
        Poll::Ready(out.flush())
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        self.poll_flush(cx)
    }
}

/// Reads the client's bytes from `input`, passes good frames to `to_library`
/// and answers bad ones on `output`, until the input ends.
pub async fn forward_frames(
    mut input: impl tokio::io::AsyncRead + Unpin,
    mut to_library: impl tokio::io::AsyncWrite + Unpin,
    output: SharedOutput,
) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut deframer = Deframer::default();
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let read = match input.read(&mut chunk).await {
            Ok(0) | Err(_) => break,
            Ok(read) => read,
        };
        deframer.push(&chunk[..read]);
        while let Some(frame) = deframer.next_frame() {
            match frame {
                Frame::Message(bytes) => {
                    if to_library.write_all(&bytes).await.is_err() {
                        return;
                    }
                }
                Frame::Invalid { code, reason } => {
                    tracing::warn!("bad message from the client ({code}): {reason}");
                    if output.write_frame(&error_frame(code, &reason)).is_err() {
                        return;
                    }
                }
            }
        }
    }
    let _ = to_library.shutdown().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    const PING: &str = r#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#;

    /// Every frame of `input`, fed in pieces of `step` bytes.
    fn frames(input: &str, step: usize) -> Vec<Frame> {
        let mut deframer = Deframer::default();
        let mut out = Vec::new();
        for piece in input.as_bytes().chunks(step.max(1)) {
            deframer.push(piece);
            while let Some(frame) = deframer.next_frame() {
                out.push(frame);
            }
        }
        out
    }

    fn codes(frames: &[Frame]) -> Vec<i64> {
        frames
            .iter()
            .map(|f| match f {
                Frame::Message(_) => 0,
                Frame::Invalid { code, .. } => *code,
            })
            .collect()
    }

    #[test]
    fn good_frames_pass_through_in_any_chunking() {
        let input = format!("{}{}", frame(PING), frame(PING));
        for step in [1, 7, 64, 4096] {
            let got = frames(&input, step);
            assert_eq!(got, vec![Frame::Message(frame(PING).into_bytes()); 2]);
        }
    }

    #[test]
    fn a_bad_frame_costs_one_error_and_the_next_frame_is_read() {
        let lower = format!("content-length: {}\n\n{PING}", PING.len());
        let short = format!("Content-Length: 5\r\n\r\n{PING}");
        let long = format!("Content-Length: {}\r\n\r\n{PING}", PING.len() + 10);
        let cases = [
            (frame("{not json"), vec![PARSE_ERROR, 0]),
            (frame(&format!("[{PING}]")), vec![INVALID_REQUEST, 0]),
            (frame(r#"{"hello":1}"#), vec![INVALID_REQUEST, 0]),
            (lower, vec![0, 0]),
            (short, vec![PARSE_ERROR, 0]),
            (long, vec![PARSE_ERROR, 0]),
            ("garbage\r\n\r\n".to_string(), vec![PARSE_ERROR, 0]),
        ];
        for (bad, expected) in cases {
            let input = format!("{bad}{}", frame(PING));
            for step in [1, 3, 4096] {
                assert_eq!(codes(&frames(&input, step)), expected, "{bad:?} by {step}");
            }
        }
    }

    #[test]
    fn error_replies_are_json_rpc_with_a_null_id() {
        let reply = error_frame(PARSE_ERROR, "the message is not JSON");
        let text = String::from_utf8(reply).unwrap();
        let (header, body) = text.split_once("\r\n\r\n").unwrap();
        assert_eq!(header, format!("Content-Length: {}", body.len()));
        let value: Value = serde_json::from_str(body).unwrap();
        assert_eq!(value["id"], Value::Null);
        assert_eq!(value["error"]["code"], PARSE_ERROR);
    }
}

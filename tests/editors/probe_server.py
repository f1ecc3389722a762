#!/usr/bin/env python3
"""Says whether a refnotes binary speaks LSP: sends initialize over stdio, waits
for the answer, then shuts the server down. Exit 0 if it answers with
capabilities, 1 (with the reason on stdout) if not. The editor tests use it to
skip, saying why, when the binary predates `refnotes serve`."""
import json
import subprocess
import sys
import threading


def send(process, message):
    body = json.dumps(message).encode()
    process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    process.stdin.flush()


def read_message(stream):
    length = None
    while True:
        line = stream.readline()
        if not line:
            return None
        line = line.strip()
        if not line:
            break
        name, _, value = line.partition(b":")
        if name.lower() == b"content-length":
            length = int(value)
    return json.loads(stream.read(length)) if length is not None else None


def answer(process, request_id):
    """The response to request_id, skipping notifications and server requests."""
    while True:
        message = read_message(process.stdout)
        if message is None or message.get("id") == request_id and "method" not in message:
            return message


def main():
    binary = sys.argv[1]
    try:
        process = subprocess.Popen([binary, "serve", "--stdio"], stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except OSError as error:
        print(f"{binary}: {error}")
        return 1
    timer = threading.Timer(20, process.kill)
    timer.start()
    try:
        send(process, {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                       "params": {"processId": None, "rootUri": None, "capabilities": {}}})
        reply = answer(process, 1)
        if reply is None or "capabilities" not in (reply.get("result") or {}):
            process.kill()
            stderr = process.stderr.read().decode(errors="replace").strip().splitlines()
            print(f"{binary} serve --stdio gave no initialize result"
                  f"{': ' + stderr[-1] if stderr else ''}")
            return 1
        send(process, {"jsonrpc": "2.0", "method": "initialized", "params": {}})
        send(process, {"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
        answer(process, 2)
        send(process, {"jsonrpc": "2.0", "method": "exit"})
        process.wait(10)
        return 0
    except (OSError, ValueError, subprocess.TimeoutExpired) as error:
        process.kill()
        stderr = process.stderr.read().decode(errors="replace").strip().splitlines()
        print(f"{binary} serve --stdio: {stderr[-1] if stderr else error}")
        return 1
    finally:
        timer.cancel()


if __name__ == "__main__":
    sys.exit(main())

//! Configuration: `refnotes.toml`, found by walking up from the notes.

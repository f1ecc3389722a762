//! Reading a corpus from disk: the only file-system access in the engine.

//! The command-line front end: `refnotes check` and `refnotes extract`.

pub fn main() -> i32 {
    0
}

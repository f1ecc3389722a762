//! Figure extraction throughput (`extract::figures::find`), one call per line
//! as the corpus indexer makes them, in MB/s: on figure-dense prose, and on
//! the shared seed articles (`../shared/seeds`) when they are beside the crate.
//!
//! Run `cargo bench --bench figures`; add `-- --quick` for a fast pass.

use std::path::Path;

use criterion::{Criterion, Throughput};
use refnotes::extract::figures::find;

const DENSE: &str =
    "Halvard Foods said on Tuesday that net sales rose 6.8% to $4.62 billion in the \
    third quarter, while about 38,000 people in 31 countries now work for the company. \
    The chief executive, who has led the business for twelve years, said it was investing \
    behind its brands and expected organic growth of 4% to 5% next year, up from 3% to 4%. \
    Analysts at several banks said the outlook was cautious but that the balance sheet, \
    with leverage of 2.7 times, left room for a dividend of 52 cents a share on Nov. 10. \
    The market for packaged food has been slow for a decade and many rivals have struggled \
    to grow volumes as shoppers switched to cheaper private labels in most of their stores.\n";

/// Text each sample is repeated up to: enough lines that a pass is not
/// dominated by a few long ones.
const BYTES: usize = 4 << 20;

/// The shared seed articles, joined; empty when they are not on this machine.
fn seed_articles() -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("{} not found: timing the dense prose only", dir.display());
        return String::new();
    };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    paths
        .iter()
        .filter_map(|path| std::fs::read_to_string(path).ok())
        .collect()
}

fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    let seeds = seed_articles();
    let mut group = criterion.benchmark_group("figures");
    for (name, sample) in [("dense-prose", DENSE), ("news-articles", seeds.as_str())] {
        if sample.is_empty() {
            continue;
        }
        let text = sample.repeat(BYTES.div_ceil(sample.len()));
        let lines: Vec<&str> = text.lines().collect();
        assert!(
            lines.iter().map(|line| find(line).len()).sum::<usize>() > 0,
            "{name}: no figures found"
        );
        group.throughput(Throughput::BytesDecimal(text.len() as u64));
        group.sample_size(10);
        group.bench_function(name, |bencher| {
            bencher.iter(|| lines.iter().map(|line| find(line).len()).sum::<usize>())
        });
    }
    group.finish();
    criterion.final_summary();
}

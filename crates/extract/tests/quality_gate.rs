//! Quality gate: extracts every page of the shared corpus, scores the result with the corpus's
//! own `score.py`, and fails when a metric falls below the value pinned in
//! `quality-baseline.json`. Runs where `../shared/corpus` exists (developers' machines and CI);
//! elsewhere it says so and passes.

use std::io::Write;
use std::process::Command;

mod support;
use support::corpus;

/// Metrics where lower is better (the share of boilerplate snippets found).
const LOWER_IS_BETTER: &[&str] = &["without"];

#[test]
fn corpus_scores_do_not_drop_below_the_baseline() {
    let root = corpus::corpus_root();
    if !root.join("score.py").exists() {
        println!("quality gate skipped: no corpus at {}", root.display());
        return;
    }
    let baseline_path = corpus::crate_dir().join("quality-baseline.json");
    let baseline: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(&baseline_path)
            .unwrap_or_else(|e| panic!("{}: {e}", baseline_path.display())),
    )
    .unwrap_or_else(|e| panic!("quality-baseline.json is not JSON: {e}"));
    let sets = baseline
        .as_object()
        .unwrap_or_else(|| panic!("quality-baseline.json must be an object of sets"));
    let config = clipbook_extract::Config::default();
    let mut failures = Vec::new();
    let mut report = String::new();
    for (set, pinned) in sets {
        if set.starts_with('_') {
            continue; // comments
        }
        let dir = root.join(set);
        let pages = corpus::load_set(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        let out = std::env::temp_dir().join(format!(
            "clipbook-quality-{set}-{}.jsonl",
            std::process::id()
        ));
        {
            let mut w = std::io::BufWriter::new(
                std::fs::File::create(&out).unwrap_or_else(|e| panic!("{e}")),
            );
            for page in &pages {
                writeln!(w, "{}", corpus::prediction(page, &config))
                    .unwrap_or_else(|e| panic!("{e}"));
            }
            w.flush().unwrap_or_else(|e| panic!("{e}"));
        }
        let output = Command::new("python3")
            .arg(root.join("score.py"))
            .arg(&dir)
            .arg(&out)
            .arg("--json")
            .output()
            .unwrap_or_else(|e| panic!("python3 is needed to run score.py: {e}"));
        let _ = std::fs::remove_file(&out);
        assert!(
            output.status.success(),
            "score.py failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        // Python prints NaN for metrics a set has no data for; JSON has no NaN.
        let stdout = String::from_utf8_lossy(&output.stdout).replace("NaN", "null");
        let got: serde_json::Value = serde_json::from_str(&stdout)
            .unwrap_or_else(|e| panic!("score.py printed no JSON ({e}): {stdout}"));
        let pinned = pinned
            .as_object()
            .unwrap_or_else(|| panic!("baseline for {set} must be an object"));
        for (metric, want) in pinned {
            let (Some(want), Some(have)) =
                (want.as_f64(), got.get(metric).and_then(|v| v.as_f64()))
            else {
                failures.push(format!(
                    "{set}: metric {metric} missing from score.py output"
                ));
                continue;
            };
            report.push_str(&format!(
                "{set:<18} {metric:<16} {have:.4} (pinned {want:.4})\n"
            ));
            let worse = if LOWER_IS_BETTER.contains(&metric.as_str()) {
                have > want
            } else {
                have < want
            };
            if worse {
                failures.push(format!(
                    "{set}: {metric} is {have:.4}, worse than the pinned {want:.4}"
                ));
            }
        }
    }
    println!("{report}");
    assert!(
        failures.is_empty(),
        "extraction quality dropped below quality-baseline.json (re-pin only for a deliberate trade-off):\n{}",
        failures.join("\n")
    );
}

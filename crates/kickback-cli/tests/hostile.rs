//! The hostile-input corpus (see tests/hostile/corpus.rs): every case ends
//! with its exit status and message, quickly, without a panic, and with a
//! short message.

#[path = "hostile/corpus.rs"]
mod corpus;

use assert_cmd::Command;
use std::time::Duration;

#[test]
fn hostile_inputs_give_their_exit_status_and_message() {
    let dir = tempfile::tempdir().unwrap();
    let cases = corpus::build(dir.path());
    let mut failures = Vec::new();
    for c in &cases {
        if let Some(why) = &c.skip {
            println!("skipped {}: {why}", c.name);
            continue;
        }
        let bin = assert_cmd::cargo::cargo_bin("kickback");
        let mut cmd = Command::from_std(c.command(&bin));
        cmd.current_dir(dir.path()).timeout(Duration::from_secs(60));
        if let Some(f) = &c.stdin {
            cmd.pipe_stdin(f).unwrap();
        }
        let out = cmd.output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let all = format!("{stdout}{stderr}");
        let code = out.status.code();
        let mut wrong = Vec::new();
        if code != Some(c.exit) {
            wrong.push(format!("exit {code:?}, expected {}", c.exit));
        }
        if !all.contains(&c.fragment) {
            wrong.push(format!("no {:?}", c.fragment));
        }
        if let Some(a) = &c.absent {
            if all.contains(a) {
                wrong.push(format!("has {a:?}"));
            }
        }
        if all.contains("panicked") {
            wrong.push("a panic".into());
        }
        if stderr.len() > 2000 {
            wrong.push(format!("{} bytes of stderr", stderr.len()));
        }
        if !wrong.is_empty() {
            let shown: String = all.chars().take(600).collect();
            failures.push(format!(
                "{}: {}\n    output: {shown}",
                c.name,
                wrong.join("; ")
            ));
        }
    }
    // restore permissions so that the temp folder can be removed
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for p in ["locked.csv", "locked_dir"] {
            let _ = std::fs::set_permissions(
                dir.path().join(p),
                std::fs::Permissions::from_mode(0o755),
            );
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

//! Regenerates the committed corpus:
//! `cargo run -p kickback-sim --example write_testdata -- testdata`
fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "testdata".to_string());
    if let Err(e) = kickback_sim::write_testdata(std::path::Path::new(&dir)) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
    println!("wrote the test corpus to {dir}");
}

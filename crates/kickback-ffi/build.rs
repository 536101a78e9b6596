//! Gives the shared library a SONAME on Linux and Android, so that programs
//! linked against it record the ABI version they need: `libkickback_ffi.so.0.MINOR`
//! before 1.0 (a 0.x minor release may break the ABI), `libkickback_ffi.so.MAJOR`
//! from 1.0. The same rule is in the header's contract.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if os == "linux" || os == "android" {
        let major = env!("CARGO_PKG_VERSION_MAJOR");
        let minor = env!("CARGO_PKG_VERSION_MINOR");
        let abi = if major == "0" {
            format!("0.{minor}")
        } else {
            major.to_string()
        };
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libkickback_ffi.so.{abi}");
    }
}

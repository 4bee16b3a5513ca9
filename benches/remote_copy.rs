//! Copy benchmark (not a timed test): one large file (a shard's biggest table, say) copied to a `file://` store
//! and back through `uptake::remote::Remote`, as a shard's results go up and the merge brings them down. Prints
//! the time of each way and the process's peak RSS: the copy reads and writes a part at a time, so the peak
//! stays near the parts in flight whatever the file's size.
//!
//! Run: `cargo bench --bench remote_copy` (`UPTAKE_BENCH_MB=1024`, the default, sets the file's size in MiB;
//! `UPTAKE_BENCH_DIR` the folder for the file, the store and the copy back, by default one under the system's
//! temporary folder, deleted afterwards; it needs three times the file's size on disk). Figures:
//! docs/deploy.md, "Results on object storage".

use std::io::Write;
use std::path::Path;
use std::time::Instant;

/// The allocator of the `uptake` binary, so that the peak is the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Peak RSS of this process so far, in MB.
fn peak_rss_mb() -> f64 {
    // SAFETY: getrusage fills the struct it is given; RUSAGE_SELF is always valid.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut ru) };
    ru.ru_maxrss as f64 / 1e3
}

fn main() {
    let mib: usize = std::env::var("UPTAKE_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1024);
    let tmp = match std::env::var("UPTAKE_BENCH_DIR") {
        Ok(d) => tempfile::tempdir_in(d),
        Err(_) => tempfile::tempdir(),
    }
    .expect("a folder for the bench");
    let (local, bucket, back) = (
        tmp.path().join("local"),
        tmp.path().join("bucket"),
        tmp.path().join("back"),
    );
    std::fs::create_dir_all(&local).unwrap();
    std::fs::create_dir_all(&bucket).unwrap();
    // bytes that do not repeat within a MiB, written a MiB at a time
    let mut f = std::io::BufWriter::new(std::fs::File::create(local.join("big.parquet")).unwrap());
    let mut block: Vec<u8> = (0u32..1 << 20)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    for m in 0..mib {
        block[0] = m as u8;
        f.write_all(&block).unwrap();
    }
    f.into_inner().unwrap().sync_all().unwrap();
    std::fs::write(local.join("shard.json"), "{}").unwrap();
    println!(
        "one file of {mib} MiB and one of 2 bytes; peak RSS before copying: {:.0} MB",
        peak_rss_mb()
    );
    let url = url::Url::from_directory_path(&bucket).unwrap().to_string();
    let remote = uptake::remote::Remote::open(&format!("{url}run")).expect("a file:// store");
    let t = Instant::now();
    remote
        .upload(&local, "s", &|_| false, Some("shard.json"))
        .expect("the copy up");
    let up = t.elapsed().as_secs_f64();
    let t = Instant::now();
    remote.download("s", &back).expect("the copy down");
    let down = t.elapsed().as_secs_f64();
    let same = files_equal(&local.join("big.parquet"), &back.join("big.parquet"));
    println!(
        "up {up:.2} s ({:.0} MB/s), down {down:.2} s ({:.0} MB/s), peak RSS {:.0} MB; the copy back is {}",
        mib as f64 * 1.048_576 / up,
        mib as f64 * 1.048_576 / down,
        peak_rss_mb(),
        if same { "the same file" } else { "NOT the same file" }
    );
    assert!(same, "the file came back different");
}

/// Whether two files hold the same bytes, compared a MiB at a time.
fn files_equal(a: &Path, b: &Path) -> bool {
    use std::io::Read;
    let (mut fa, mut fb) = match (std::fs::File::open(a), std::fs::File::open(b)) {
        (Ok(fa), Ok(fb)) => (fa, fb),
        _ => return false,
    };
    let (mut ba, mut bb) = (vec![0u8; 1 << 20], vec![0u8; 1 << 20]);
    loop {
        let na = fa.read(&mut ba).unwrap();
        let mut nb = 0;
        while nb < na {
            match fb.read(&mut bb[nb..na]).unwrap() {
                0 => return false,
                n => nb += n,
            }
        }
        if na == 0 {
            return fb.read(&mut bb).unwrap() == 0;
        }
        if ba[..na] != bb[..na] {
            return false;
        }
    }
}
